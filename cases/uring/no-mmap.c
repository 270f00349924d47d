// SPDX-License-Identifier: MIT
/*
 * uring/no-mmap: rings in application memory, IORING_SETUP_NO_MMAP (6.5):
 * the kernel uses the memory at cq_off.user_addr for the SQ and CQ rings
 * and at sq_off.user_addr for the SQE array, instead of memory mapped from
 * the ring fd; and IORING_SETUP_REGISTERED_FD_ONLY (6.5), which returns a
 * registered ring index instead of an fd. Raw system calls throughout:
 * liburing 2.3 knows neither flag.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

#define NO_MMAP REF_IORING_SETUP_NO_MMAP
#define FD_ONLY REF_IORING_SETUP_REGISTERED_FD_ONLY

/* In 6.5 the resv2 fields of the offsets became user_addr. */
#define SQ_USER_ADDR(p) ((p)->sq_off.resv2)
#define CQ_USER_ADDR(p) ((p)->cq_off.resv2)

/* A ring whose memory this program owns: one page each, as 6.5 wants. */
struct user_ring {
	struct io_uring_params p;
	unsigned char *rings;	/* SQ and CQ ring, cq_off.user_addr */
	struct io_uring_sqe *sqes;	/* SQE array, sq_off.user_addr */
	size_t page;
	int fd;			/* fd, or the registered index with FD_ONLY */
};

#define RING_U32(r, off) ((volatile __u32 *)((r)->rings + (off)))

/*
 * io_uring_setup(4, ...) with NO_MMAP | extra over two fresh pages.
 * Returns 0, or the errno (the pages are then freed).
 */
static int user_ring_setup(struct user_ring *r, unsigned int extra)
{
	memset(r, 0, sizeof(*r));
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	r->rings = uring_anon_buf(r->page);
	r->sqes = uring_anon_buf(r->page);
	if (!r->rings || !r->sqes)
		return ENOMEM;
	r->p.flags = NO_MMAP | extra;
	CQ_USER_ADDR(&r->p) = (__u64)(uintptr_t)r->rings;
	SQ_USER_ADDR(&r->p) = (__u64)(uintptr_t)r->sqes;
	r->fd = conform_sys_io_uring_setup(4, &r->p);
	if (r->fd < 0) {
		int err = errno;

		munmap(r->rings, r->page);
		munmap(r->sqes, r->page);
		return err;
	}
	return 0;
}

static void user_ring_free(struct user_ring *r)
{
	if (!(r->p.flags & FD_ONLY))
		close(r->fd);
	/* A ring that exists only as a registered index ends with the task. */
	munmap(r->rings, r->page);
	munmap(r->sqes, r->page);
}

/* Put a NOP tagged tag in the next SQ slot and publish the new tail. */
static void user_ring_push_nop(struct user_ring *r, __u64 tag)
{
	__u32 tail = *RING_U32(r, r->p.sq_off.tail);
	__u32 idx = tail & *RING_U32(r, r->p.sq_off.ring_mask);
	__u32 *array = (__u32 *)(r->rings + r->p.sq_off.array);

	memset(&r->sqes[idx], 0, sizeof(r->sqes[idx]));
	r->sqes[idx].opcode = IORING_OP_NOP;
	r->sqes[idx].user_data = tag;
	array[idx] = idx;
	__atomic_store_n(RING_U32(r, r->p.sq_off.tail), tail + 1,
			 __ATOMIC_RELEASE);
}

/* The CQE at CQ head in the user memory; the caller checks one is there. */
static struct io_uring_cqe *user_ring_head_cqe(struct user_ring *r)
{
	__u32 head = *RING_U32(r, r->p.cq_off.head);
	__u32 mask = *RING_U32(r, r->p.cq_off.ring_mask);

	return (struct io_uring_cqe *)(r->rings + r->p.cq_off.cqes) +
	       (head & mask);
}

static __u32 user_ring_cq_ready(struct user_ring *r)
{
	return __atomic_load_n(RING_U32(r, r->p.cq_off.tail), __ATOMIC_ACQUIRE) -
	       *RING_U32(r, r->p.cq_off.head);
}

#define REQUIRE_NO_MMAP() \
	CONFORM_REQUIRE(no_mmap_missing())

static const char *no_mmap_missing(void)
{
	struct user_ring r;
	int err;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	err = user_ring_setup(&r, 0);
	if (err == EINVAL)
		return "IORING_SETUP_NO_MMAP: EINVAL (not supported by this kernel)";
	if (err)
		return conform_uring_setup_why("IORING_SETUP_NO_MMAP", err);
	user_ring_free(&r);
	return NULL;
}

/*
 * io_uring_setup(2) IORING_SETUP_NO_MMAP: the kernel sets up the rings in
 * the memory given and writes ring_entries and ring_mask there (since 6.5).
 */
TEST(no_mmap_ring_header_is_written_into_user_memory)
{
	struct user_ring r;

	CONFORM_DECLARE("6.5", "IORING_SETUP_NO_MMAP",
			"io_uring_setup(2) IORING_SETUP_NO_MMAP");
	REQUIRE_NO_MMAP();
	ASSERT_EQ(0, user_ring_setup(&r, 0));
	EXPECT_EQ(4u, r.p.sq_entries);
	EXPECT_EQ(8u, r.p.cq_entries);
	EXPECT_EQ(4u, *RING_U32(&r, r.p.sq_off.ring_entries));
	EXPECT_EQ(3u, *RING_U32(&r, r.p.sq_off.ring_mask));
	EXPECT_EQ(8u, *RING_U32(&r, r.p.cq_off.ring_entries));
	EXPECT_EQ(7u, *RING_U32(&r, r.p.cq_off.ring_mask));
	user_ring_free(&r);
}

/*
 * io_uring_setup(2) IORING_SETUP_NO_MMAP: SQEs are read from, and CQEs
 * written to, the application's memory: a NOP put there completes there
 * with its user_data and res 0 (since 6.5).
 */
TEST(no_mmap_nop_round_trip_through_user_memory)
{
	struct user_ring r;
	struct io_uring_cqe *cqe;

	CONFORM_DECLARE("6.5", "IORING_SETUP_NO_MMAP",
			"io_uring_setup(2) IORING_SETUP_NO_MMAP");
	REQUIRE_NO_MMAP();
	ASSERT_EQ(0, user_ring_setup(&r, 0));
	user_ring_push_nop(&r, 0xabcd);
	EXPECT_EQ(1, uring_sys_enter(r.fd, 1, 1, IORING_ENTER_GETEVENTS));
	ASSERT_EQ(1u, user_ring_cq_ready(&r));
	cqe = user_ring_head_cqe(&r);
	EXPECT_EQ(0xabcdULL, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(1u, *RING_U32(&r, r.p.sq_off.head));
	user_ring_free(&r);
}

/*
 * io_uring_setup(2) IORING_SETUP_NO_MMAP: the rings are not mapped from
 * the fd; the kernel refuses an mmap of IORING_OFF_SQ_RING on such a ring
 * (kernel io_uring_validate_mmap_request, since 6.5). The errno depends on
 * where the refusal is seen: io_uring_mmap() passes on its EINVAL, while
 * io_uring_get_unmapped_area(), which runs first wherever the ring file
 * has that hook (all architectures in the kernels tested here), turns any
 * refusal into ENOMEM. Both are accepted, each exactly
 * (uring_expect_mmap_refused()).
 */
TEST(no_mmap_ring_refuses_mmap_of_sq_ring)
{
	struct user_ring r;
	void *map;
	int err;

	CONFORM_DECLARE("6.5", "IORING_SETUP_NO_MMAP",
			"io_uring/io_uring.c io_uring_validate_mmap_request()");
	REQUIRE_NO_MMAP();
	ASSERT_EQ(0, user_ring_setup(&r, 0));
	map = mmap(NULL, r.page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
		   IORING_OFF_SQ_RING);
	err = errno;
	uring_expect_mmap_refused(_metadata, map, err, r.page);
	user_ring_free(&r);
}

/*
 * io_uring_setup(2) IORING_SETUP_NO_MMAP: the memory must be page aligned;
 * an address inside a page gets EINVAL (since 6.5).
 */
TEST(no_mmap_unaligned_ring_memory_gets_einval)
{
	struct io_uring_params p;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *mem;
	int fd;

	CONFORM_DECLARE("6.5", "IORING_SETUP_NO_MMAP",
			"io_uring_setup(2) IORING_SETUP_NO_MMAP page aligned");
	REQUIRE_NO_MMAP();
	mem = uring_anon_buf(2 * page);
	ASSERT_NE(NULL, mem);
	memset(&p, 0, sizeof(p));
	p.flags = NO_MMAP;
	CQ_USER_ADDR(&p) = (__u64)(uintptr_t)(mem + 64);
	SQ_USER_ADDR(&p) = (__u64)(uintptr_t)(mem + page);
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
	munmap(mem, 2 * page);
}

/*
 * io_uring_setup(2) IORING_SETUP_REGISTERED_FD_ONLY: "requires
 * IORING_SETUP_NO_MMAP"; without it the setup fails with EINVAL (since 6.5).
 */
TEST(registered_fd_only_without_no_mmap_gets_einval)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("6.5", "IORING_SETUP_REGISTERED_FD_ONLY",
			"io_uring_setup(2) IORING_SETUP_REGISTERED_FD_ONLY "
			"requires IORING_SETUP_NO_MMAP");
	REQUIRE_NO_MMAP();
	memset(&p, 0, sizeof(p));
	p.flags = FD_ONLY;
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

/*
 * io_uring_setup(2) IORING_SETUP_REGISTERED_FD_ONLY: no fd is installed;
 * the call returns the index of the ring in the task's registered ring
 * table, for io_uring_enter(2) with IORING_ENTER_REGISTERED_RING. The table
 * is empty in a fresh test child, so the index is 0 (since 6.5).
 */
TEST(registered_fd_only_returns_index_usable_with_registered_ring)
{
	struct user_ring r;
	struct io_uring_cqe *cqe;

	CONFORM_DECLARE("6.5", "IORING_SETUP_REGISTERED_FD_ONLY",
			"io_uring_setup(2) IORING_SETUP_REGISTERED_FD_ONLY");
	REQUIRE_NO_MMAP();
	ASSERT_EQ(0, user_ring_setup(&r, FD_ONLY));
	EXPECT_EQ(0, r.fd);
	user_ring_push_nop(&r, 42);
	EXPECT_EQ(1, uring_sys_enter(r.fd, 1, 1,
				     IORING_ENTER_GETEVENTS |
				     IORING_ENTER_REGISTERED_RING));
	ASSERT_EQ(1u, user_ring_cq_ready(&r));
	cqe = user_ring_head_cqe(&r);
	EXPECT_EQ(42ULL, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	user_ring_free(&r);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_RING_FDS: unregistering the index
 * of a REGISTERED_FD_ONLY ring drops the only reference the task had, so
 * entering through that index afterwards fails with EBADF (since 6.5).
 */
TEST(registered_fd_only_ring_gone_after_unregistering_its_index)
{
	struct io_uring_rsrc_update up;
	struct user_ring r;

	CONFORM_DECLARE("6.5", "IORING_SETUP_REGISTERED_FD_ONLY",
			"io_uring_register(2) IORING_UNREGISTER_RING_FDS");
	REQUIRE_NO_MMAP();
	ASSERT_EQ(0, user_ring_setup(&r, FD_ONLY));
	memset(&up, 0, sizeof(up));
	up.offset = (__u32)r.fd;
	EXPECT_EQ(1, conform_sys_io_uring_register(r.fd,
		  IORING_UNREGISTER_RING_FDS | REF_IORING_REGISTER_USE_REGISTERED_RING,
		  &up, 1));
	EXPECT_EQ(-1, uring_sys_enter(r.fd, 0, 0, IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(EBADF, errno);
	user_ring_free(&r);
}

TEST_HARNESS_MAIN
