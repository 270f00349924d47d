// SPDX-License-Identifier: MIT
/*
 * ref/ring-wait: waiting for completions with the reference ring:
 * ref_ring_wait (with and without a timeout) and ref_ring_submit_and_wait.
 * Timeouts here are bounds or are meant to run out on an empty ring; nothing
 * depends on how long a wait took.
 */
#include "conform_ref.h"

static const struct __kernel_timespec brief = { .tv_nsec = 20 * 1000 * 1000 };
static const struct __kernel_timespec bound = { .tv_sec = 2 };

/*
 * ring.h: ref_ring_wait gives -ETIME when the timeout passes before wait_nr
 * CQEs are ready. io_uring_enter(2) documents -ETIME for a timed-out
 * IORING_ENTER_EXT_ARG wait (5.11); before that the ring waits with poll(2)
 * on the ring fd (readable while CQEs are ready, 5.1). Empty ring: -ETIME.
 */
TEST(wait_on_empty_ring_times_out_with_etime)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_GETEVENTS",
			"ref/include/ref/ring.h ref_ring_wait; "
			"io_uring_enter(2) ETIME");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	EXPECT_EQ(-ETIME, ref_ring_wait(&ring, 1, &brief));
	EXPECT_EQ(0u, ref_ring_cq_ready(&ring));
	ref_ring_free(&ring);
}

/*
 * ring.h: ref_ring_wait returns 0 once wait_nr CQEs are ready, and reaps
 * nothing. A NOP completes during submission (io_uring_enter(2): NOP does
 * no I/O), so the wait is satisfied before it starts; the CQE stays (5.1).
 */
TEST(wait_returns_zero_when_cqe_ready_and_reaps_nothing)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_GETEVENTS",
			"ref/include/ref/ring.h ref_ring_wait; "
			"io_uring_enter(2) IORING_OP_NOP");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_nop(&ring, 7));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_EQ(0, ref_ring_wait(&ring, 1, &bound));
	EXPECT_EQ(1u, ref_ring_cq_ready(&ring));
	EXPECT_EQ(0, ref_ring_wait(&ring, 1, NULL));
	EXPECT_EQ(1u, ref_ring_for_each_completion(&ring, ref_case_log_cqe, &log));
	EXPECT_EQ(0, ref_case_res_of(&log, 7));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2) min_complete: the wait lasts until that many CQEs are
 * ready. One ready and two wanted: the wait runs out (-ETIME) and the one
 * CQE is still there (since 5.1).
 */
TEST(wait_for_more_than_ready_times_out)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_GETEVENTS",
			"io_uring_enter(2) min_complete");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_nop(&ring, 1));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_EQ(-ETIME, ref_ring_wait(&ring, 2, &brief));
	EXPECT_EQ(1u, ref_ring_cq_ready(&ring));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2): with IORING_ENTER_GETEVENTS and min_complete n, the call
 * submits to_submit SQEs and returns the number submitted once n CQEs are
 * ready (since 5.1). Three NOPs, submit_and_wait(3): 3, and 3 CQEs ready.
 */
TEST(submit_and_wait_returns_count_with_n_ready)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_GETEVENTS",
			"io_uring_enter(2) IORING_ENTER_GETEVENTS "
			"min_complete");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	for (int i = 0; i < 3; i++)
		ASSERT_TRUE(ref_prep_nop(&ring, 10 + i));
	EXPECT_EQ(3, ref_ring_submit_and_wait(&ring, 3));
	EXPECT_EQ(3u, ref_ring_cq_ready(&ring));
	EXPECT_EQ(3u, ref_ring_for_each_completion(&ring, ref_case_log_cqe, &log));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(0, ref_case_res_of(&log, 10 + i));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2): a wait ends when a request that was pending completes.
 * A read on an empty pipe stays pending (a brief wait runs out); after the
 * pipe is written, an unbounded wait returns 0 and the read's CQE has the
 * bytes written (since 5.1; IORING_OP_READ 5.6).
 */
TEST(wait_returns_when_pending_read_completes)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_ENTER_GETEVENTS",
			"io_uring_enter(2) IORING_ENTER_GETEVENTS; "
			"IORING_OP_READ (5.6)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_read(&ring, p[0], buf, sizeof(buf), 0, 5));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_EQ(-ETIME, ref_ring_wait(&ring, 1, &brief));
	ASSERT_EQ(5, write(p[1], "hello", 5));
	EXPECT_EQ(0, ref_ring_wait(&ring, 1, NULL));
	EXPECT_EQ(1u, ref_ring_for_each_completion(&ring, ref_case_log_cqe, &log));
	EXPECT_EQ(5, ref_case_res_of(&log, 5));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
