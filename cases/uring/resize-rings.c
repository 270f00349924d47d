// SPDX-License-Identifier: MIT
/*
 * uring/resize-rings: IORING_REGISTER_RESIZE_RINGS (6.13), which gives an
 * existing ring new SQ and CQ rings sized by a struct io_uring_params
 * (sq_entries, cq_entries, flags IORING_SETUP_CQSIZE / IORING_SETUP_CLAMP):
 * pending CQEs move to the new rings in order, the kernel writes the new
 * sizes and ring offsets back into the argument, the application maps the
 * rings again (the old mapping goes stale), a ring in application memory
 * (IORING_SETUP_NO_MMAP) moves to the memory given, a ring whose CQ has
 * overflowed is resized too (io_uring_resize_rings(3) says it fails; the
 * kernel does not check); and the errors: a ring without
 * IORING_SETUP_DEFER_TASKRUN (an SQPOLL ring among them: EINVAL), fewer CQ
 * entries than CQEs pending (EOVERFLOW), a NO_MMAP ring given no memory
 * (EFAULT), a flag other than CQSIZE/CLAMP, too many CQ entries without
 * CLAMP, fewer CQ than SQ entries (EINVAL). Raw system calls and mappings
 * throughout: liburing 2.3 knows no resizing.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

/* The flags of every ring resized here: DEFER_TASKRUN (which needs
 * SINGLE_ISSUER) is what resizing requires; with NO_SQARRAY the SQ ring
 * indexes the SQE array directly, so there is no index array to map. */
#define RESIZABLE (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | \
		   REF_IORING_SETUP_NO_SQARRAY)

/* In 6.5 the resv2 fields of the ring offsets became user_addr. */
#define SQ_USER_ADDR(p) ((p)->sq_off.resv2)
#define CQ_USER_ADDR(p) ((p)->cq_off.resv2)

/* A ring driven by hand: its parameters, the mapping of the SQ and CQ
 * rings (one mapping, IORING_FEAT_SINGLE_MMAP) and that of the SQEs. */
struct rring {
	struct io_uring_params p;
	int fd;
	unsigned char *ring;
	size_t ring_len;
	struct io_uring_sqe *sqes;
	size_t sqes_len;
	bool user_mem;		/* NO_MMAP: the memory is ours, not mapped */
};

#define RU32(r, off) ((volatile __u32 *)((r)->ring + (off)))

static size_t ring_bytes(const struct io_uring_params *p)
{
	size_t sq = p->sq_off.array + p->sq_entries * sizeof(__u32);
	size_t cq = p->cq_off.cqes +
		    p->cq_entries * sizeof(struct io_uring_cqe);

	return sq > cq ? sq : cq;
}

/* Map the rings of r->fd as r->p describes them: 0, or -1. */
static int rring_map(struct rring *r)
{
	r->ring_len = ring_bytes(&r->p);
	r->sqes_len = r->p.sq_entries * sizeof(struct io_uring_sqe);
	r->ring = mmap(NULL, r->ring_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->ring == MAP_FAILED) {
		r->ring = NULL;
		return -1;
	}
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED) {
		r->sqes = NULL;
		munmap(r->ring, r->ring_len);
		r->ring = NULL;
		return -1;
	}
	return 0;
}

static void rring_unmap(struct rring *r)
{
	if (r->ring)
		munmap(r->ring, r->ring_len);
	if (r->sqes)
		munmap(r->sqes, r->sqes_len);
	r->ring = NULL;
	r->sqes = NULL;
}

/*
 * io_uring_setup(sq, ...) with flags | IORING_SETUP_CQSIZE and cq CQ
 * entries, then its mappings. 0, or the errno of the failing call
 * (nothing is left open then).
 */
static int rring_open(struct rring *r, unsigned int sq, unsigned int cq,
		      unsigned int flags)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->p.flags = flags | IORING_SETUP_CQSIZE;
	r->p.cq_entries = cq;
	r->fd = conform_sys_io_uring_setup(sq, &r->p);
	if (r->fd < 0)
		return errno;
	if (rring_map(r)) {
		err = errno;
		close(r->fd);
		return err;
	}
	return 0;
}

static void rring_close(struct rring *r)
{
	if (!r->user_mem)
		rring_unmap(r);
	close(r->fd);
}

/* Put a NOP tagged tag in the next SQ slot and publish the new tail. */
static void rring_push_nop(struct rring *r, __u64 tag)
{
	__u32 tail = *RU32(r, r->p.sq_off.tail);
	__u32 idx = tail & *RU32(r, r->p.sq_off.ring_mask);

	memset(&r->sqes[idx], 0, sizeof(r->sqes[idx]));
	r->sqes[idx].opcode = IORING_OP_NOP;
	r->sqes[idx].user_data = tag;
	__atomic_store_n(RU32(r, r->p.sq_off.tail), tail + 1, __ATOMIC_RELEASE);
}

/* Post n NOPs tagged first.. and wait for their n CQEs: 0, or -1. */
static int rring_post_nops(struct rring *r, unsigned int n, __u64 first)
{
	for (unsigned int i = 0; i < n; i++)
		rring_push_nop(r, first + i);
	return uring_sys_enter(r->fd, n, n, IORING_ENTER_GETEVENTS) ==
	       (int)n ? 0 : -1;
}

static __u32 rring_cq_ready(struct rring *r)
{
	return __atomic_load_n(RU32(r, r->p.cq_off.tail), __ATOMIC_ACQUIRE) -
	       *RU32(r, r->p.cq_off.head);
}

/* The CQE i places after the CQ head (the caller checks it is there). */
static struct io_uring_cqe *rring_cqe(struct rring *r, unsigned int i)
{
	__u32 head = *RU32(r, r->p.cq_off.head);
	__u32 mask = *RU32(r, r->p.cq_off.ring_mask);

	return (struct io_uring_cqe *)(r->ring + r->p.cq_off.cqes) +
	       ((head + i) & mask);
}

static void rring_cq_advance(struct rring *r, unsigned int n)
{
	__atomic_store_n(RU32(r, r->p.cq_off.head),
			 *RU32(r, r->p.cq_off.head) + n, __ATOMIC_RELEASE);
}

/* The argument of a resize: sq/cq entries and flags, all else zero. */
static void resize_arg(struct io_uring_params *rp, unsigned int sq,
		       unsigned int cq, unsigned int flags)
{
	memset(rp, 0, sizeof(*rp));
	rp->sq_entries = sq;
	rp->cq_entries = cq;
	rp->flags = flags;
}

/* IORING_REGISTER_RESIZE_RINGS: as the system call returns (0, or -1). */
static int resize(int fd, struct io_uring_params *rp)
{
	return conform_sys_io_uring_register(fd, REF_IORING_REGISTER_RESIZE_RINGS,
					     rp, 1);
}

/* After a resize that returned 0: take the new sizes and offsets and map
 * the new rings (the old mapping is dropped). 0, or -1. */
static int rring_remap(struct rring *r, const struct io_uring_params *rp)
{
	rring_unmap(r);
	r->p.sq_entries = rp->sq_entries;
	r->p.cq_entries = rp->cq_entries;
	r->p.sq_off = rp->sq_off;
	r->p.cq_off = rp->cq_off;
	return rring_map(r);
}

/*
 * The probe: NULL if a resize of a DEFER_TASKRUN ring to the sizes it has
 * returns 0; else why not. Kernels before 6.13 refuse the unknown register
 * opcode with EINVAL.
 */
static const char *resize_missing(void)
{
	struct io_uring_params rp;
	struct rring r;
	int err, ret;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	err = rring_open(&r, 4, 8, RESIZABLE);
	if (err)
		return conform_uring_setup_why(
			"a SINGLE_ISSUER|DEFER_TASKRUN|NO_SQARRAY ring (what resizing needs)",
			err);
	resize_arg(&rp, 4, 8, IORING_SETUP_CQSIZE);
	ret = resize(r.fd, &rp);
	err = errno;
	rring_close(&r);
	if (ret == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_RESIZE_RINGS: %s (not supported by this kernel)",
		 strerror(err));
	return conform_why;
}

#define REQUIRE_RESIZE() CONFORM_REQUIRE(resize_missing())

/*
 * io_uring_resize_rings(3): "ring resizing is currently only supported on
 * rings setup with IORING_SETUP_DEFER_TASKRUN. Attempting to resize
 * differently configured rings will result in an -EINVAL error" (since
 * 6.13). A ring with none of the taskrun flags is the case here.
 */
TEST(resize_of_ring_without_defer_taskrun_gets_einval)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) only IORING_SETUP_DEFER_TASKRUN rings");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, REF_IORING_SETUP_NO_SQARRAY));
	resize_arg(&rp, 8, 16, IORING_SETUP_CQSIZE);
	EXPECT_EQ(-1, resize(r.fd, &rp));
	EXPECT_EQ(EINVAL, errno);
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3): "When a ring is resized, any pending SQ or CQ
 * entries are copied along the way": 4 CQEs left unreaped in a ring of 8
 * CQ entries are, after a resize to 32, the 4 CQEs at the head of the new
 * CQ ring, in the order they were posted; the ring then goes on (a fifth
 * NOP completes after them) (since 6.13).
 */
TEST(resize_bigger_keeps_pending_cqes_in_order)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) pending entries are copied");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	ASSERT_EQ(0, rring_post_nops(&r, 4, 1));
	ASSERT_EQ(4u, rring_cq_ready(&r));
	resize_arg(&rp, 8, 32, IORING_SETUP_CQSIZE);
	ASSERT_EQ(0, resize(r.fd, &rp));
	ASSERT_EQ(0, rring_remap(&r, &rp));
	EXPECT_EQ(32u, *RU32(&r, r.p.cq_off.ring_entries));
	ASSERT_EQ(4u, rring_cq_ready(&r));
	for (unsigned int i = 0; i < 4; i++) {
		EXPECT_EQ(1 + i, rring_cqe(&r, i)->user_data);
		EXPECT_EQ(0, rring_cqe(&r, i)->res);
	}
	rring_cq_advance(&r, 4);
	ASSERT_EQ(0, rring_post_nops(&r, 1, 5));
	ASSERT_EQ(1u, rring_cq_ready(&r));
	EXPECT_EQ(5u, rring_cqe(&r, 0)->user_data);
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3) / kernel commit 79cfe9e59c2a
 * ("io_uring/register: add IORING_REGISTER_RESIZE_RINGS"): the argument is
 * filled in as io_uring_setup(2) fills its own: sq_entries and cq_entries
 * rounded up to powers of two (5 -> 8, 20 -> 32) and the sq_off / cq_off
 * offsets of the new rings, which the application needs to map them. The
 * offsets are passed in as 0xff bytes, so that a kernel that left them
 * alone would be seen; they come back as io_uring_setup(2) gave them
 * (since 6.13).
 */
TEST(resize_writes_new_sizes_and_offsets_into_params)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3); kernel commit 79cfe9e59c2a");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	resize_arg(&rp, 5, 20, IORING_SETUP_CQSIZE);
	memset(&rp.sq_off, 0xff, offsetof(struct io_sqring_offsets, resv1));
	memset(&rp.cq_off, 0xff, offsetof(struct io_cqring_offsets, resv1));
	ASSERT_EQ(0, resize(r.fd, &rp));
	EXPECT_EQ(8u, rp.sq_entries);
	EXPECT_EQ(32u, rp.cq_entries);
	EXPECT_EQ(r.p.sq_off.head, rp.sq_off.head);
	EXPECT_EQ(r.p.sq_off.tail, rp.sq_off.tail);
	EXPECT_EQ(r.p.sq_off.ring_mask, rp.sq_off.ring_mask);
	EXPECT_EQ(r.p.sq_off.ring_entries, rp.sq_off.ring_entries);
	EXPECT_EQ(r.p.sq_off.flags, rp.sq_off.flags);
	EXPECT_EQ(r.p.sq_off.dropped, rp.sq_off.dropped);
	EXPECT_EQ(r.p.cq_off.head, rp.cq_off.head);
	EXPECT_EQ(r.p.cq_off.tail, rp.cq_off.tail);
	EXPECT_EQ(r.p.cq_off.ring_mask, rp.cq_off.ring_mask);
	EXPECT_EQ(r.p.cq_off.ring_entries, rp.cq_off.ring_entries);
	EXPECT_EQ(r.p.cq_off.overflow, rp.cq_off.overflow);
	EXPECT_EQ(r.p.cq_off.cqes, rp.cq_off.cqes);
	EXPECT_EQ(r.p.cq_off.flags, rp.cq_off.flags);
	rring_close(&r);
}

/*
 * Kernel commit 79cfe9e59c2a: the resize allocates new rings and frees the
 * old ones; a mapping made before goes stale and the application maps the
 * rings again. A NOP run after the resize completes in the new mapping
 * (whose ring_entries read the new size), and the CQ tail in the old
 * mapping stays where it was (since 6.13).
 */
TEST(resize_moves_rings_and_old_mapping_goes_stale)
{
	struct io_uring_params rp;
	struct rring r, old;
	__u32 old_tail;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"kernel commit 79cfe9e59c2a (new rings, mmap again)");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	old = r;
	old_tail = *RU32(&old, old.p.cq_off.tail);
	resize_arg(&rp, 4, 16, IORING_SETUP_CQSIZE);
	ASSERT_EQ(0, resize(r.fd, &rp));
	/* Map the new rings beside the old mapping, which is kept. */
	r.ring = NULL;
	r.sqes = NULL;
	ASSERT_EQ(0, rring_remap(&r, &rp));
	EXPECT_EQ(16u, *RU32(&r, r.p.cq_off.ring_entries));
	EXPECT_EQ(8u, *RU32(&old, old.p.cq_off.ring_entries));
	ASSERT_EQ(0, rring_post_nops(&r, 1, 77));
	ASSERT_EQ(1u, rring_cq_ready(&r));
	EXPECT_EQ(77u, rring_cqe(&r, 0)->user_data);
	EXPECT_EQ(old_tail, *RU32(&old, old.p.cq_off.tail));
	rring_unmap(&old);
	rring_close(&r);
}

/*
 * Kernel commit 79cfe9e59c2a: "If either of the destination rings can't
 * hold what is already there, then fail the operation" with EOVERFLOW:
 * 6 pending CQEs do not fit in 4 CQ entries. The ring is left as it was:
 * the same mapping still shows the 6 CQEs in order (since 6.13).
 */
TEST(resize_below_pending_cqes_gets_eoverflow_and_keeps_ring)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"kernel commit 79cfe9e59c2a (EOVERFLOW)");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 16, RESIZABLE));
	ASSERT_EQ(0, rring_post_nops(&r, 4, 1));
	ASSERT_EQ(0, rring_post_nops(&r, 2, 5));
	ASSERT_EQ(6u, rring_cq_ready(&r));
	resize_arg(&rp, 4, 4, IORING_SETUP_CQSIZE);
	EXPECT_EQ(-1, resize(r.fd, &rp));
	EXPECT_EQ(EOVERFLOW, errno);
	EXPECT_EQ(16u, *RU32(&r, r.p.cq_off.ring_entries));
	ASSERT_EQ(6u, rring_cq_ready(&r));
	for (unsigned int i = 0; i < 6; i++)
		EXPECT_EQ(1 + i, rring_cqe(&r, i)->user_data);
	rring_cq_advance(&r, 6);
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3): "It is not legal to resize a CQ ring that is
 * in an overflow condition, and attempting to do so will fail." The kernel
 * does not check for it (io_register_resize_rings() copies the CQEs of the
 * ring and leaves the overflow backlog on the ring's context): a ring of
 * 4 CQ entries with 4 more CQEs in its backlog (IORING_SQ_CQ_OVERFLOW set)
 * is resized to 16, and the next wait moves the backlog into the new ring:
 * all 8 CQEs, in order, and the overflow flag cleared. Asserted as the
 * kernel does it (seen on 6.18 and 7.2; the 6.13 code has no such check
 * either); the man page is wrong here (since 6.13).
 */
TEST(resize_of_overflowed_cq_succeeds_and_backlog_follows)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"kernel io_register_resize_rings() (io_uring_resize_rings(3) says it fails)");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 4, RESIZABLE));
	ASSERT_EQ(0, rring_post_nops(&r, 4, 1));
	ASSERT_EQ(0, rring_post_nops(&r, 4, 5));
	ASSERT_EQ(4u, rring_cq_ready(&r));
	ASSERT_TRUE(*RU32(&r, r.p.sq_off.flags) & IORING_SQ_CQ_OVERFLOW);
	resize_arg(&rp, 4, 16, IORING_SETUP_CQSIZE);
	ASSERT_EQ(0, resize(r.fd, &rp));
	ASSERT_EQ(0, rring_remap(&r, &rp));
	EXPECT_EQ(0, uring_sys_enter(r.fd, 0, 8, IORING_ENTER_GETEVENTS));
	ASSERT_EQ(8u, rring_cq_ready(&r));
	for (unsigned int i = 0; i < 8; i++)
		EXPECT_EQ(1 + i, rring_cqe(&r, i)->user_data);
	EXPECT_FALSE(*RU32(&r, r.p.sq_off.flags) & IORING_SQ_CQ_OVERFLOW);
	rring_cq_advance(&r, 8);
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3): only DEFER_TASKRUN rings are resized, and an
 * SQPOLL ring cannot be one (io_uring_setup(2): DEFER_TASKRUN is refused
 * with SQPOLL), so resizing an SQPOLL ring gets EINVAL (since 6.13).
 */
TEST(resize_of_sqpoll_ring_gets_einval)
{
	struct io_uring_params p, rp;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) only IORING_SETUP_DEFER_TASKRUN rings");
	REQUIRE_RESIZE();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	fd = conform_sys_io_uring_setup(4, &p);
	ASSERT_LE(0, fd);
	resize_arg(&rp, 8, 16, IORING_SETUP_CQSIZE);
	EXPECT_EQ(-1, resize(fd, &rp));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * io_uring_resize_rings(3): "Currently doesn't support resizing rings
 * setup with IORING_SETUP_NO_MMAP. This is purely a liburing limitation,
 * the kernel does support it": NO_MMAP is inherited, and the new rings go
 * in the memory at cq_off.user_addr and sq_off.user_addr of the argument.
 * 3 CQEs pending in the old memory show up in the new memory, in order
 * (since 6.13).
 */
TEST(resize_of_no_mmap_ring_moves_to_new_user_memory)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *mem[4];
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) IORING_SETUP_NO_MMAP");
	REQUIRE_RESIZE();
	for (int i = 0; i < 4; i++) {
		mem[i] = uring_anon_buf(page);
		ASSERT_NE(NULL, mem[i]);
	}
	memset(&r, 0, sizeof(r));
	r.user_mem = true;
	r.p.flags = RESIZABLE | REF_IORING_SETUP_NO_MMAP | IORING_SETUP_CQSIZE;
	r.p.cq_entries = 8;
	CQ_USER_ADDR(&r.p) = (__u64)(uintptr_t)mem[0];
	SQ_USER_ADDR(&r.p) = (__u64)(uintptr_t)mem[1];
	r.fd = conform_sys_io_uring_setup(4, &r.p);
	ASSERT_LE(0, r.fd);
	r.ring = mem[0];
	r.sqes = (struct io_uring_sqe *)mem[1];
	ASSERT_EQ(0, rring_post_nops(&r, 3, 1));
	resize_arg(&rp, 8, 32, IORING_SETUP_CQSIZE);
	CQ_USER_ADDR(&rp) = (__u64)(uintptr_t)mem[2];
	SQ_USER_ADDR(&rp) = (__u64)(uintptr_t)mem[3];
	ASSERT_EQ(0, resize(r.fd, &rp));
	r.p.cq_off = rp.cq_off;
	r.p.sq_off = rp.sq_off;
	r.ring = mem[2];
	r.sqes = (struct io_uring_sqe *)mem[3];
	EXPECT_EQ(32u, *RU32(&r, r.p.cq_off.ring_entries));
	ASSERT_EQ(3u, rring_cq_ready(&r));
	for (unsigned int i = 0; i < 3; i++)
		EXPECT_EQ(1 + i, rring_cqe(&r, i)->user_data);
	rring_cq_advance(&r, 3);
	ASSERT_EQ(0, rring_post_nops(&r, 1, 9));
	ASSERT_EQ(1u, rring_cq_ready(&r));
	EXPECT_EQ(9u, rring_cqe(&r, 0)->user_data);
	rring_close(&r);
	for (int i = 0; i < 4; i++)
		munmap(mem[i], page);
}

/*
 * Kernel io_uring/memmap.c io_create_region(): "user_addr should be set
 * IFF it's a user memory backed region". A ring of IORING_SETUP_NO_MMAP
 * keeps that flag through a resize, so its new rings must be in memory
 * the application gives; a resize with no cq_off.user_addr and
 * sq_off.user_addr gets EFAULT (6.13 pinned address 0, which fails with
 * EFAULT as well) (since 6.13).
 */
TEST(resize_of_no_mmap_ring_without_user_memory_gets_efault)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *mem[2];
	struct io_uring_params p, rp;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring/memmap.c io_create_region() user_addr");
	REQUIRE_RESIZE();
	for (int i = 0; i < 2; i++) {
		mem[i] = uring_anon_buf(page);
		ASSERT_NE(NULL, mem[i]);
	}
	memset(&p, 0, sizeof(p));
	p.flags = RESIZABLE | REF_IORING_SETUP_NO_MMAP;
	CQ_USER_ADDR(&p) = (__u64)(uintptr_t)mem[0];
	SQ_USER_ADDR(&p) = (__u64)(uintptr_t)mem[1];
	fd = conform_sys_io_uring_setup(4, &p);
	ASSERT_LE(0, fd);
	resize_arg(&rp, 8, 32, IORING_SETUP_CQSIZE);
	EXPECT_EQ(-1, resize(fd, &rp));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
	for (int i = 0; i < 2; i++)
		munmap(mem[i], page);
}

/*
 * io_uring_resize_rings(3): the valid flags are IORING_SETUP_CQSIZE and
 * IORING_SETUP_CLAMP; other properties are inherited from the ring. A
 * setup flag outside those two, IORING_SETUP_SQPOLL here, gets EINVAL
 * (kernel commit 79cfe9e59c2a: "The implementation only allows flag
 * associated with how the CQ ring is sized and clamped") (since 6.13).
 */
TEST(resize_with_flag_other_than_cqsize_or_clamp_gets_einval)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) valid flags");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	resize_arg(&rp, 8, 16, IORING_SETUP_CQSIZE | IORING_SETUP_SQPOLL);
	EXPECT_EQ(-1, resize(r.fd, &rp));
	EXPECT_EQ(EINVAL, errno);
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3) IORING_SETUP_CLAMP: "If set, then SQ and CQ
 * ring entries are clamped to the maximum allowable size": a resize
 * asking for 1 << 24 CQ entries gets as many as io_uring_setup(2) gives
 * for the same request with CLAMP (the kernel's maximum), written back
 * into cq_entries, and the new ring has that many (since 6.13).
 */
TEST(resize_with_clamp_caps_cq_entries_as_setup_does)
{
	struct io_uring_params rp, sp;
	struct rring r;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) IORING_SETUP_CLAMP");
	REQUIRE_RESIZE();
	memset(&sp, 0, sizeof(sp));
	sp.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
	sp.cq_entries = 1U << 24;
	fd = conform_sys_io_uring_setup(4, &sp);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_GT(1U << 24, sp.cq_entries);
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	resize_arg(&rp, 4, 1U << 24, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP);
	ASSERT_EQ(0, resize(r.fd, &rp));
	EXPECT_EQ(sp.cq_entries, rp.cq_entries);
	ASSERT_EQ(0, rring_remap(&r, &rp));
	EXPECT_EQ(sp.cq_entries, *RU32(&r, r.p.cq_off.ring_entries));
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3) IORING_SETUP_CLAMP: "If not set, setting sizes
 * too large will cause the operation to fail": 1 << 24 CQ entries without
 * CLAMP get EINVAL, and the ring keeps its 8 (since 6.13).
 */
TEST(resize_beyond_max_cq_without_clamp_gets_einval)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3) IORING_SETUP_CLAMP not set");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	resize_arg(&rp, 4, 1U << 24, IORING_SETUP_CQSIZE);
	EXPECT_EQ(-1, resize(r.fd, &rp));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(8u, *RU32(&r, r.p.cq_off.ring_entries));
	rring_close(&r);
}

/*
 * io_uring_resize_rings(3): the sizes are those of io_uring_setup(2),
 * whose ERRORS give EINVAL when "IORING_SETUP_CQSIZE was specified, but
 * io_uring_params.cq_entries was invalid": fewer CQ entries (4) than SQ
 * entries (8) (since 6.13).
 */
TEST(resize_with_fewer_cq_than_sq_entries_gets_einval)
{
	struct io_uring_params rp;
	struct rring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_RESIZE_RINGS",
			"io_uring_resize_rings(3); io_uring_setup(2) ERRORS EINVAL cq_entries");
	REQUIRE_RESIZE();
	ASSERT_EQ(0, rring_open(&r, 4, 8, RESIZABLE));
	resize_arg(&rp, 8, 4, IORING_SETUP_CQSIZE);
	EXPECT_EQ(-1, resize(r.fd, &rp));
	EXPECT_EQ(EINVAL, errno);
	rring_close(&r);
}

TEST_HARNESS_MAIN
