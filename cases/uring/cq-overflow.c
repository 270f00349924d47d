// SPDX-License-Identifier: MIT
/*
 * uring/cq-overflow: a CQ ring overfilled under IORING_FEAT_NODROP.
 * A ring of 4 SQ entries has 8 CQ entries; 12 NOPs (three submissions of 4,
 * nothing reaped) overfill it by 4. Checked: the CQ ring is exactly full,
 * IORING_SQ_CQ_OVERFLOW is set, the dropped-events counter stays 0, all 12
 * CQEs are eventually reaped once each, and the flag clears afterwards.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { RING_SQ = 4, RING_CQ = 8, NR_NOPS = 12 };

/*
 * Make ring (RING_SQ entries) and complete NR_NOPS NOPs tagged 0..11 without
 * reaping any. Each submission starts with no overflow pending, so none of
 * them meets the pre-5.19 -EBUSY for submitting while overflowed.
 */
static void overflow_ring(struct io_uring *ring, struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, io_uring_queue_init(RING_SQ, ring, 0));
	ASSERT_EQ((unsigned int)RING_CQ, *ring->cq.kring_entries);
	for (int batch = 0; batch < NR_NOPS / RING_SQ; batch++) {
		for (int i = 0; i < RING_SQ; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			ASSERT_NE(NULL, sqe);
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, batch * RING_SQ + i);
		}
		ASSERT_EQ(RING_SQ, io_uring_submit(ring));
	}
}

static unsigned int sq_flags(const struct io_uring *ring)
{
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE);
}

/*
 * Reap every CQE (uring_reap_one: bounded wait; it enters the kernel to flush
 * the overflow backlog when IORING_SQ_CQ_OVERFLOW is set), counting how often
 * each tag was seen in seen[NR_NOPS]. Returns the number reaped; stops after
 * NR_NOPS or at a wait that times out, and returns -1 on a tag out of range.
 */
static int reap_all(struct io_uring *ring, int *seen)
{
	struct io_uring_cqe cqe;
	int n = 0;

	while (n < NR_NOPS && !uring_reap_one(ring, &cqe)) {
		if (cqe.user_data >= NR_NOPS)
			return -1;
		seen[cqe.user_data]++;
		n++;
	}
	return n;
}

/*
 * io_uring_queue_init(3): when more entries are generated "than fits in the
 * ring before the application can reap them", the ring overflows; with
 * IORING_FEAT_NODROP the extra CQEs are held by the kernel, so the CQ ring
 * itself holds exactly cq_entries CQEs (since 5.5).
 */
TEST(overflowed_cq_ring_holds_exactly_cq_entries)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.5", "IORING_FEAT_NODROP",
			"io_uring_queue_init(3) overflow; io_uring_setup(2) "
			"IORING_FEAT_NODROP");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	overflow_ring(&ring, _metadata);
	EXPECT_EQ((unsigned int)RING_CQ, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_queue_init(3): the CQ ring overflow state "is indicated by
 * IORING_SQ_CQ_OVERFLOW being set in the SQ ring flags" (flag since 5.8).
 */
TEST(overflow_sets_sq_cq_overflow_flag)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.8", "IORING_SQ_CQ_OVERFLOW",
			"io_uring_queue_init(3) IORING_SQ_CQ_OVERFLOW");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	overflow_ring(&ring, _metadata);
	EXPECT_EQ(IORING_SQ_CQ_OVERFLOW, sq_flags(&ring) & IORING_SQ_CQ_OVERFLOW);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: "the kernel stores the event
 * internally until such a time that the CQ ring has room for more entries";
 * all 12 CQEs are reaped, each tag exactly once (since 5.5).
 */
TEST(nodrop_overflow_loses_no_cqe)
{
	struct io_uring ring;
	int seen[NR_NOPS] = { 0 }, once = 0;

	CONFORM_DECLARE("5.5", "IORING_FEAT_NODROP",
			"io_uring_setup(2) IORING_FEAT_NODROP");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	overflow_ring(&ring, _metadata);
	EXPECT_EQ(NR_NOPS, reap_all(&ring, seen));
	for (int i = 0; i < NR_NOPS; i++)
		once += seen[i] == 1;
	EXPECT_EQ(NR_NOPS, once);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: only when "the kernel has no free
 * memory to store the event internally" does the CQ ring's overflow counter
 * grow; an ordinary overflow leaves it 0 (since 5.5).
 */
TEST(nodrop_overflow_leaves_dropped_counter_zero)
{
	struct io_uring ring;
	int seen[NR_NOPS] = { 0 };

	CONFORM_DECLARE("5.5", "IORING_FEAT_NODROP",
			"io_uring_setup(2) IORING_FEAT_NODROP");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	overflow_ring(&ring, _metadata);
	EXPECT_EQ(0u, __atomic_load_n(ring.cq.koverflow, __ATOMIC_ACQUIRE));
	EXPECT_EQ(NR_NOPS, reap_all(&ring, seen));
	EXPECT_EQ(0u, __atomic_load_n(ring.cq.koverflow, __ATOMIC_ACQUIRE));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_queue_init(3): IORING_SQ_CQ_OVERFLOW marks the overflow state;
 * once the backlog has been flushed into the ring and reaped, the state is
 * over and the flag is clear again (since 5.8).
 */
TEST(overflow_flag_clears_once_backlog_is_reaped)
{
	struct io_uring ring;
	int seen[NR_NOPS] = { 0 };

	CONFORM_DECLARE("5.8", "IORING_SQ_CQ_OVERFLOW",
			"io_uring_queue_init(3) IORING_SQ_CQ_OVERFLOW");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	overflow_ring(&ring, _metadata);
	ASSERT_EQ(IORING_SQ_CQ_OVERFLOW, sq_flags(&ring) & IORING_SQ_CQ_OVERFLOW);
	ASSERT_EQ(NR_NOPS, reap_all(&ring, seen));
	EXPECT_EQ(0u, sq_flags(&ring) & IORING_SQ_CQ_OVERFLOW);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
