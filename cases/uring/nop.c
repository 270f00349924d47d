// SPDX-License-Identifier: MIT
/*
 * uring/nop: IORING_OP_NOP, the smallest complete round trip through a ring.
 * Source: io_uring_enter(2), "IORING_OP_NOP: Do not perform any I/O. This is
 * useful for testing the performance of the io_uring implementation itself."
 */
#include <liburing.h>

#include "conform_uring.h"

/* io_uring_enter(2) IORING_OP_NOP: completes with res 0 (since 5.1). */
TEST(nop_completes_with_res_zero)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"io_uring_enter(2) IORING_OP_NOP");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_nop(sqe);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2): "user_data ... is copied verbatim from the submission
 * queue entry into the completion queue entry" (since 5.1).
 */
TEST(nop_echoes_user_data)
{
	const __u64 tag = 0xfeedfacecafef00dULL;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"io_uring_enter(2) user_data copied verbatim into the "
			"CQE");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, tag);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(tag, cqe.user_data);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
