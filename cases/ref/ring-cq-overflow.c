// SPDX-License-Identifier: MIT
/*
 * ref/ring-cq-overflow: the reference ring (ref/ring.c) when the CQ ring
 * overflows under IORING_FEAT_NODROP. A ring of 4 SQEs gets a 4-entry CQ
 * (IORING_SETUP_CQSIZE); 8 NOPs in two submissions of 4, nothing reaped in
 * between, leave 4 CQEs in the ring and 4 in the kernel's backlog. Checked:
 * the overflow flag, that ref_ring_for_each_completion flushes the backlog
 * and returns every user_data once, that ref_ring_wait returns at once on an
 * overflowed ring, and that the ring works normally afterwards.
 */
#include "conform_ref.h"

enum { RING_SQ = 4, RING_CQ = 4, NR_NOPS = 8 };

/* user_data -> how many CQEs carried it */
struct seen {
	unsigned int count[NR_NOPS];
	unsigned int stray;	/* user_data out of range */
	int bad_res;		/* CQEs with res != 0 */
};

static void count_cqe(const struct io_uring_cqe *cqe, void *arg)
{
	struct seen *s = arg;

	if (cqe->user_data < NR_NOPS)
		s->count[cqe->user_data]++;
	else
		s->stray++;
	if (cqe->res != 0)
		s->bad_res++;
}

/*
 * Make a ring with a 4-entry CQ and complete 8 NOPs tagged 0..7 without
 * reaping. The first submission fills the CQ exactly, so the second starts
 * with no backlog (before 5.19 submitting with a backlog gives -EBUSY).
 */
static void overflow_ring(struct ref_ring *ring, struct __test_metadata *_metadata)
{
	struct ref_ring_opts opts = {
		.flags = IORING_SETUP_CQSIZE, .cq_entries = RING_CQ,
	};

	ASSERT_EQ(0, ref_ring_init(ring, RING_SQ, &opts));
	ASSERT_EQ((unsigned int)RING_CQ, ring->cq.entries);
	for (int batch = 0; batch < NR_NOPS / RING_SQ; batch++) {
		for (int i = 0; i < RING_SQ; i++)
			ASSERT_TRUE(ref_prep_nop(ring, batch * RING_SQ + i));
		ASSERT_EQ(RING_SQ, ref_ring_submit(ring));
	}
}

static unsigned int sq_flags(const struct ref_ring *ring)
{
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: when the CQ ring is full the kernel
 * keeps further completions internally (since 5.5) and shows it with
 * IORING_SQ_CQ_OVERFLOW in the SQ ring flags (commit 6d5f90490460, 5.8); the
 * overflow counter stays 0.
 */
TEST(overflow_sets_flag_and_fills_cq_exactly)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.8", "IORING_SQ_CQ_OVERFLOW",
			"commit 6d5f90490460 (5.8): io_uring: export cq "
			"overflow status to userspace");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	overflow_ring(&ring, _metadata);
	EXPECT_EQ((unsigned int)RING_CQ, ref_ring_cq_ready(&ring));
	EXPECT_EQ(IORING_SQ_CQ_OVERFLOW, sq_flags(&ring) & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(0u, *ring.cq.koverflow);
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: held-back CQEs are flushed to the CQ
 * ring when the application enters the kernel with IORING_ENTER_GETEVENTS
 * after making room; ring.h says ref_ring_for_each_completion does that.
 * All 8 user_data come back exactly once, res 0, and the flag clears
 * (NODROP since 5.5, but the ring sees the backlog by IORING_SQ_CQ_OVERFLOW,
 * so this test holds from 5.8).
 */
TEST(for_each_completion_flushes_backlog_losing_nothing)
{
	struct ref_ring ring;
	struct seen s;

	CONFORM_DECLARE("5.8", "IORING_FEAT_NODROP with IORING_SQ_CQ_OVERFLOW",
			"io_uring_setup(2) IORING_FEAT_NODROP; commit "
			"6d5f90490460 (5.8)");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	overflow_ring(&ring, _metadata);
	memset(&s, 0, sizeof(s));
	EXPECT_EQ((unsigned int)NR_NOPS,
		  ref_ring_for_each_completion(&ring, count_cqe, &s));
	for (int i = 0; i < NR_NOPS; i++)
		EXPECT_EQ(1u, s.count[i]);
	EXPECT_EQ(0u, s.stray);
	EXPECT_EQ(0, s.bad_res);
	EXPECT_EQ(0u, sq_flags(&ring) & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(0u, ref_ring_cq_ready(&ring));
	ref_ring_free(&ring);
}

/*
 * ring.h: ref_ring_wait returns 0 once wait_nr CQEs are ready. With a full
 * CQ ring and a backlog the kernel cannot flush (no room), one CQE is ready
 * all along: the wait must return 0, not loop until the timeout. The risk
 * comes with IORING_SQ_CQ_OVERFLOW (5.8), which stays set until the caller
 * reaps; on 5.5-5.7 (IORING_FEAT_NODROP, no flag) the wait returns at once
 * as well, so this holds from 5.5.
 */
TEST(wait_on_overflowed_ring_returns_zero)
{
	const struct __kernel_timespec bound = { .tv_sec = 2 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.5", "IORING_FEAT_NODROP",
			"ref/include/ref/ring.h ref_ring_wait; "
			"io_uring_setup(2) IORING_FEAT_NODROP");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	overflow_ring(&ring, _metadata);
	EXPECT_EQ(0, ref_ring_wait(&ring, 1, &bound));
	EXPECT_EQ((unsigned int)RING_CQ, ref_ring_cq_ready(&ring));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2) EBUSY: before 5.19 a submission while completions wait
 * in the backlog fails; once everything is reaped the backlog is empty and
 * the ring takes requests again: 4 more NOPs, all back with res 0. Reaping
 * the backlog goes through ref_ring_for_each_completion, which enters the
 * kernel when IORING_SQ_CQ_OVERFLOW is set, so this holds from 5.8 (the
 * flag's commit 6d5f90490460), not from IORING_FEAT_NODROP's 5.5.
 */
TEST(ring_accepts_requests_after_backlog_drained)
{
	struct ref_ring ring;
	struct seen s;

	CONFORM_DECLARE("5.8", "IORING_FEAT_NODROP with IORING_SQ_CQ_OVERFLOW",
			"io_uring_enter(2) EBUSY; io_uring_setup(2) "
			"IORING_FEAT_NODROP");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	overflow_ring(&ring, _metadata);
	memset(&s, 0, sizeof(s));
	ASSERT_EQ((unsigned int)NR_NOPS,
		  ref_ring_for_each_completion(&ring, count_cqe, &s));
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < RING_SQ; i++)
		ASSERT_TRUE(ref_prep_nop(&ring, i));
	ASSERT_EQ(RING_SQ, ref_ring_submit_and_wait(&ring, RING_SQ));
	EXPECT_EQ((unsigned int)RING_SQ,
		  ref_ring_for_each_completion(&ring, count_cqe, &s));
	for (int i = 0; i < RING_SQ; i++)
		EXPECT_EQ(1u, s.count[i]);
	EXPECT_EQ(0, s.bad_res);
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_CQSIZE: cq_entries "must be greater than
 * entries, and may be rounded up to the next power-of-two" - 5 becomes 8,
 * and the SQ keeps its own size (since 5.5).
 */
TEST(cqsize_rounds_cq_entries_up_to_power_of_two)
{
	struct ref_ring_opts opts = {
		.flags = IORING_SETUP_CQSIZE, .cq_entries = 5,
	};
	struct ref_ring ring;

	CONFORM_DECLARE("5.5", "IORING_SETUP_CQSIZE",
			"io_uring_setup(2) IORING_SETUP_CQSIZE");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, &opts));
	EXPECT_EQ(8u, ring.cq.entries);
	EXPECT_EQ(7u, ring.cq.mask);
	EXPECT_EQ(4u, ring.sq.entries);
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
