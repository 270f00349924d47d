// SPDX-License-Identifier: MIT
/*
 * uring/submit-all: IORING_SETUP_SUBMIT_ALL (Linux 5.18). Without it,
 * io_uring_enter(2) stops submitting at the first SQE that fails while it
 * is being submitted: that SQE is consumed and completes with its error,
 * the ones after it stay in the SQ ring for a later enter. With it, the
 * kernel goes on and submits the whole batch.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_A = 1, TAG_BAD = 2, TAG_B = 3, TAG_C = 4, BAD_OPCODE = 0xfe };

/* Queue NOP A, a request with an opcode no kernel has (refused with
 * -EINVAL while it is being submitted), NOP B, then NOP C when four. */
static void queue_batch(struct io_uring *ring, bool four)
{
	struct io_uring_sqe *sqe;

	uring_queue_nop(ring, TAG_A, 0);
	sqe = uring_queue_nop(ring, TAG_BAD, 0);
	if (sqe)
		sqe->opcode = BAD_OPCODE;
	uring_queue_nop(ring, TAG_B, 0);
	if (four)
		uring_queue_nop(ring, TAG_C, 0);
}

/*
 * io_uring_enter(2) RETURN VALUE and io_uring_setup(2) (on
 * IORING_SETUP_SUBMIT_ALL): by default an SQE that fails during submission
 * ends the batch; the call returns the SQEs consumed, the failing one
 * included, and the rest stay queued (since 5.1).
 */
TEST(default_submission_stops_after_failing_sqe)
{
	const __u64 tags[2] = { TAG_A, TAG_BAD };
	struct io_uring ring;
	int res[2];

	CONFORM_DECLARE("5.1", "io_uring_enter",
			"io_uring_enter(2) RETURN VALUE; io_uring_setup(2) IORING_SETUP_SUBMIT_ALL");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_batch(&ring, false);
	EXPECT_EQ(2, io_uring_submit(&ring));
	EXPECT_EQ(1, io_uring_sq_ready(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * The SQE left behind after a failed submission is not lost: the next
 * io_uring_enter(2) submits it (since 5.1).
 */
TEST(sqes_left_behind_are_submitted_by_next_enter)
{
	const __u64 tags[2] = { TAG_A, TAG_BAD };
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int res[2];

	CONFORM_DECLARE("5.1", "io_uring_enter",
			"io_uring_enter(2) RETURN VALUE: SQEs not consumed stay queued");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_batch(&ring, false);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(0, io_uring_sq_ready(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG_B, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SUBMIT_ALL: "continue submit on error":
 * the whole batch is submitted (the call returns all of it, nothing stays
 * queued), the failing SQE completes with its error and the others run
 * (since 5.18).
 */
TEST(submit_all_submits_past_failing_sqe)
{
	const __u64 tags[4] = { TAG_A, TAG_BAD, TAG_B, TAG_C };
	struct io_uring ring;
	int res[4];

	CONFORM_DECLARE("5.18", "IORING_SETUP_SUBMIT_ALL",
			"io_uring_setup(2) IORING_SETUP_SUBMIT_ALL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SUBMIT_ALL);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_SUBMIT_ALL));
	queue_batch(&ring, true);
	EXPECT_EQ(4, io_uring_submit(&ring));
	EXPECT_EQ(0, io_uring_sq_ready(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 4, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(0, res[2]);
	EXPECT_EQ(0, res[3]);
	io_uring_queue_exit(&ring);
}

/*
 * IORING_SETUP_SUBMIT_ALL goes on past several failures, each with its own
 * CQE: an unknown opcode and an unknown SQE flag (bit 7) both give -EINVAL
 * (io_uring_enter(2) CQE errors), the NOP between them runs (since 5.18).
 */
TEST(submit_all_reports_each_failure)
{
	const __u64 tags[3] = { TAG_A, TAG_BAD, TAG_B };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[3];

	CONFORM_DECLARE("5.18", "IORING_SETUP_SUBMIT_ALL",
			"io_uring_setup(2) IORING_SETUP_SUBMIT_ALL; io_uring_enter(2) CQE ERRORS EINVAL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SUBMIT_ALL);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_SUBMIT_ALL));
	sqe = uring_queue_nop(&ring, TAG_A, 0x80);
	ASSERT_NE(NULL, sqe);
	sqe = uring_queue_nop(&ring, TAG_B, 0);
	ASSERT_NE(NULL, sqe);
	sqe = uring_queue_nop(&ring, TAG_BAD, 0);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = BAD_OPCODE;
	EXPECT_EQ(3, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 3, tags, res));
	EXPECT_EQ(-EINVAL, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(0, res[2]);
	io_uring_queue_exit(&ring);
}

/*
 * IORING_SETUP_SUBMIT_ALL does not change a link: a link whose head fails
 * during submission fails the rest of the chain with -ECANCELED, while the
 * SQE after the chain is still submitted and runs (io_uring_enter(2)
 * IOSQE_IO_LINK; since 5.18).
 */
TEST(submit_all_fails_broken_link_and_goes_on)
{
	const __u64 tags[3] = { TAG_BAD, TAG_A, TAG_B };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[3];

	CONFORM_DECLARE("5.18", "IORING_SETUP_SUBMIT_ALL",
			"io_uring_setup(2) IORING_SETUP_SUBMIT_ALL; io_uring_enter(2) IOSQE_IO_LINK");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SUBMIT_ALL);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_SUBMIT_ALL));
	sqe = uring_queue_nop(&ring, TAG_BAD, IOSQE_IO_LINK);
	ASSERT_NE(NULL, sqe);
	sqe->opcode = BAD_OPCODE;
	ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_A, 0));
	ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_B, 0));
	EXPECT_EQ(3, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 3, tags, res));
	EXPECT_EQ(-EINVAL, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	EXPECT_EQ(0, res[2]);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
