// SPDX-License-Identifier: MIT
/*
 * uring/sq-rewind: IORING_SETUP_SQ_REWIND (7.0), the non-circular SQ: the
 * kernel ignores the SQ head and tail and takes the SQEs of each
 * submission from index 0 of the SQE array, so the application puts every
 * batch at the start; it requires IORING_SETUP_NO_SQARRAY (6.6) and is
 * refused with IORING_SETUP_SQPOLL. Raw system calls and mappings
 * throughout: liburing 2.3 cannot drive such a ring.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

#define REWIND (REF_IORING_SETUP_SQ_REWIND | REF_IORING_SETUP_NO_SQARRAY)

/* A ring driven by hand: its parameters, the mapping of the SQ and CQ
 * rings (one mapping, IORING_FEAT_SINGLE_MMAP) and that of the SQEs. */
struct rring {
	struct io_uring_params p;
	int fd;
	unsigned char *ring;
	size_t ring_len;
	struct io_uring_sqe *sqes;
	size_t sqes_len;
};

#define RU32(r, off) ((volatile __u32 *)((r)->ring + (off)))

/*
 * io_uring_setup(entries, ...) with flags, then its mappings. 0, or the
 * errno of the failing call (nothing is left open then).
 */
static int rring_open(struct rring *r, unsigned int entries,
		      unsigned int flags)
{
	size_t sq, cq;
	int err;

	memset(r, 0, sizeof(*r));
	r->p.flags = flags;
	r->fd = conform_sys_io_uring_setup(entries, &r->p);
	if (r->fd < 0)
		return errno;
	sq = r->p.sq_off.array + r->p.sq_entries * sizeof(__u32);
	cq = r->p.cq_off.cqes + r->p.cq_entries * sizeof(struct io_uring_cqe);
	r->ring_len = sq > cq ? sq : cq;
	r->sqes_len = r->p.sq_entries * sizeof(struct io_uring_sqe);
	r->ring = mmap(NULL, r->ring_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->ring == MAP_FAILED) {
		err = errno;
		close(r->fd);
		return err;
	}
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED) {
		err = errno;
		munmap(r->ring, r->ring_len);
		close(r->fd);
		return err;
	}
	return 0;
}

static void rring_close(struct rring *r)
{
	munmap(r->sqes, r->sqes_len);
	munmap(r->ring, r->ring_len);
	close(r->fd);
}

/* Fill SQE slot idx with a NOP tagged tag (the SQ tail is left alone). */
static void put_nop(struct rring *r, unsigned int idx, __u64 tag)
{
	memset(&r->sqes[idx], 0, sizeof(r->sqes[idx]));
	r->sqes[idx].opcode = IORING_OP_NOP;
	r->sqes[idx].user_data = tag;
}

static __u32 cq_ready(struct rring *r)
{
	return __atomic_load_n(RU32(r, r->p.cq_off.tail), __ATOMIC_ACQUIRE) -
	       *RU32(r, r->p.cq_off.head);
}

/*
 * Reap n CQEs (they must be there) into res[] by tag: res[tag - 1] gets
 * the CQE's res. Returns 0, or -1 when fewer than n are ready or a tag is
 * outside 1..max.
 */
static int reap_tags(struct rring *r, unsigned int n, int *res,
		     unsigned int max)
{
	__u32 head = *RU32(r, r->p.cq_off.head);
	__u32 mask = *RU32(r, r->p.cq_off.ring_mask);
	struct io_uring_cqe *cqes =
		(struct io_uring_cqe *)(r->ring + r->p.cq_off.cqes);

	if (cq_ready(r) < n)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_cqe *cqe = &cqes[(head + i) & mask];

		if (cqe->user_data < 1 || cqe->user_data > max)
			return -1;
		res[cqe->user_data - 1] = cqe->res;
	}
	__atomic_store_n(RU32(r, r->p.cq_off.head), head + n, __ATOMIC_RELEASE);
	return 0;
}

/* io_uring_enter(2): submit to_submit, wait for as many CQEs. */
static int submit_wait(struct rring *r, unsigned int to_submit,
		       unsigned int wait)
{
	return uring_sys_enter(r->fd, to_submit, wait, IORING_ENTER_GETEVENTS);
}

static const char *rewind_missing(void)
{
	return conform_uring_setup_missing(REWIND,
		"IORING_SETUP_SQ_REWIND | IORING_SETUP_NO_SQARRAY");
}

#define REQUIRE_REWIND() CONFORM_REQUIRE(rewind_missing())

/*
 * uapi io_uring.h IORING_SETUP_SQ_REWIND: "io_uring ignores SQ head and
 * tail and fetches SQEs to submit starting from index 0 ... the user
 * should place all SQE at the beginning of the SQ memory before issuing a
 * submission syscall". Two NOPs in slots 0 and 1, the tail left at 0,
 * are submitted by io_uring_enter(2) with to_submit 2; two more NOPs put
 * in slots 0 and 1 again are submitted by the next call; all four
 * complete with res 0, each with its own user_data (since 7.0, kernel
 * commit 5247c034a67f "io_uring: introduce non-circular SQ").
 */
TEST(sq_rewind_takes_each_batch_from_index_zero)
{
	int res[4] = { -1, -1, -1, -1 };
	struct rring r;

	CONFORM_DECLARE("7.0", "IORING_SETUP_SQ_REWIND",
			"uapi io_uring.h IORING_SETUP_SQ_REWIND; kernel commit 5247c034a67f");
	REQUIRE_REWIND();
	ASSERT_EQ(0, rring_open(&r, 4, REWIND));
	put_nop(&r, 0, 1);
	put_nop(&r, 1, 2);
	ASSERT_EQ(2, submit_wait(&r, 2, 2));
	ASSERT_EQ(0, reap_tags(&r, 2, res, 4));
	put_nop(&r, 0, 3);
	put_nop(&r, 1, 4);
	ASSERT_EQ(2, submit_wait(&r, 2, 2));
	ASSERT_EQ(0, reap_tags(&r, 2, res, 4));
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0, res[i]);
	EXPECT_EQ(0u, cq_ready(&r));
	rring_close(&r);
}

/*
 * uapi io_uring.h IORING_SETUP_SQ_REWIND: "The user must also never
 * change the SQ head and tail values and keep it set to 0": the kernel
 * does not move the SQ head either; after 3 SQEs were submitted it still
 * reads 0 (since 7.0).
 */
TEST(sq_rewind_leaves_sq_head_at_zero)
{
	int res[3] = { -1, -1, -1 };
	struct rring r;

	CONFORM_DECLARE("7.0", "IORING_SETUP_SQ_REWIND",
			"uapi io_uring.h IORING_SETUP_SQ_REWIND head and tail");
	REQUIRE_REWIND();
	ASSERT_EQ(0, rring_open(&r, 4, REWIND));
	for (unsigned int i = 0; i < 3; i++)
		put_nop(&r, i, 1 + i);
	ASSERT_EQ(3, submit_wait(&r, 3, 3));
	ASSERT_EQ(0, reap_tags(&r, 3, res, 3));
	EXPECT_EQ(0u, *RU32(&r, r.p.sq_off.head));
	EXPECT_EQ(0u, *RU32(&r, r.p.sq_off.tail));
	rring_close(&r);
}

/*
 * Kernel commit 5247c034a67f: with SQ_REWIND the SQ holds sq_entries SQEs
 * for every submission, so io_uring_enter(2) with a to_submit beyond
 * sq_entries (8 on a 4-entry ring) submits the 4 of slots 0 to 3 and
 * returns 4, as a circular ring returns the number of SQEs it held
 * (since 7.0).
 */
TEST(sq_rewind_submit_takes_at_most_sq_entries)
{
	int res[4] = { -1, -1, -1, -1 };
	struct rring r;

	CONFORM_DECLARE("7.0", "IORING_SETUP_SQ_REWIND",
			"kernel commit 5247c034a67f io_submit_sqes(); io_uring_enter(2) return value");
	REQUIRE_REWIND();
	ASSERT_EQ(0, rring_open(&r, 4, REWIND));
	ASSERT_EQ(4u, r.p.sq_entries);
	for (unsigned int i = 0; i < 4; i++)
		put_nop(&r, i, 1 + i);
	ASSERT_EQ(4, submit_wait(&r, 8, 4));
	ASSERT_EQ(0, reap_tags(&r, 4, res, 4));
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0, res[i]);
	rring_close(&r);
}

/*
 * Kernel commit 5247c034a67f: requests of one batch keep their order and
 * links within it: a NOP in slot 0 with IOSQE_IO_LINK and a NOP in slot 1
 * run as a chain, both with res 0, the head first (since 7.0).
 */
TEST(sq_rewind_links_sqes_of_a_batch)
{
	struct rring r;
	struct io_uring_cqe *cqes;
	__u32 head, mask;

	CONFORM_DECLARE("7.0", "IORING_SETUP_SQ_REWIND",
			"kernel commit 5247c034a67f; io_uring_enter(2) IOSQE_IO_LINK");
	REQUIRE_REWIND();
	ASSERT_EQ(0, rring_open(&r, 4, REWIND));
	put_nop(&r, 0, 1);
	r.sqes[0].flags = IOSQE_IO_LINK;
	put_nop(&r, 1, 2);
	ASSERT_EQ(2, submit_wait(&r, 2, 2));
	ASSERT_EQ(2u, cq_ready(&r));
	head = *RU32(&r, r.p.cq_off.head);
	mask = *RU32(&r, r.p.cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(r.ring + r.p.cq_off.cqes);
	EXPECT_EQ(1u, cqes[head & mask].user_data);
	EXPECT_EQ(0, cqes[head & mask].res);
	EXPECT_EQ(2u, cqes[(head + 1) & mask].user_data);
	EXPECT_EQ(0, cqes[(head + 1) & mask].res);
	rring_close(&r);
}

/*
 * uapi io_uring.h IORING_SETUP_SQ_REWIND: "It requires
 * IORING_SETUP_NO_SQARRAY"; without it io_uring_setup(2) fails with
 * EINVAL (since 7.0).
 */
TEST(sq_rewind_without_no_sqarray_gets_einval)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("7.0", "IORING_SETUP_SQ_REWIND",
			"uapi io_uring.h IORING_SETUP_SQ_REWIND requires NO_SQARRAY");
	REQUIRE_REWIND();
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_SQ_REWIND;
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

/*
 * uapi io_uring.h IORING_SETUP_SQ_REWIND: "is incompatible with
 * IORING_SETUP_SQPOLL"; io_uring_setup(2) with both fails with EINVAL
 * (the SQPOLL flag alone being accepted here) (since 7.0).
 */
TEST(sq_rewind_with_sqpoll_gets_einval)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("7.0", "IORING_SETUP_SQ_REWIND",
			"uapi io_uring.h IORING_SETUP_SQ_REWIND incompatible with SQPOLL");
	REQUIRE_REWIND();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL | REF_IORING_SETUP_NO_SQARRAY);
	memset(&p, 0, sizeof(p));
	p.flags = REWIND | IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
