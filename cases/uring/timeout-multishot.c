// SPDX-License-Identifier: MIT
/*
 * uring/timeout-multishot: IORING_OP_TIMEOUT with IORING_TIMEOUT_MULTISHOT
 * (Linux 6.4): a repeating timer that posts one -ETIME CQE per period, with
 * IORING_CQE_F_MORE while it stays armed; off gives the number of periods
 * (0: until removed). Removal, the last CQE and the refusal of absolute
 * multishot timeouts. The 6.1 header lacks the flag; it is defined here.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_TIMEOUT = 1, TAG_REMOVE = 2 };

/* One period: meant to expire. */
static struct __kernel_timespec period_ts = { .tv_nsec = 10 * 1000 * 1000 };

static void queue_multishot(struct io_uring *ring, unsigned int count,
			    unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, &period_ts, count,
			      REF_IORING_TIMEOUT_MULTISHOT | flags);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
}

/*
 * NULL if a multishot timeout of one period completes with a single -ETIME;
 * older kernels fail the unknown flag with -EINVAL. On a ring of its own
 * (uring_flag_result_missing()).
 */
static const char *multishot_timeout_missing(void)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout(&sqe, &period_ts, 1, REF_IORING_TIMEOUT_MULTISHOT);
	return uring_flag_result_missing(&sqe, -ETIME, "a one-period timeout",
					 "IORING_TIMEOUT_MULTISHOT");
}

#define REQUIRE_MULTISHOT_TIMEOUT()                                            \
	do {                                                                   \
		CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);                   \
		CONFORM_REQUIRE(multishot_timeout_missing());                  \
	} while (0)

/*
 * Kernel commit "io_uring: add support for multishot timeouts" (6.4): with
 * off 0 the timer re-arms after every expiry; each expiry posts a CQE with
 * res -ETIME and IORING_CQE_F_MORE, since more will follow. Three periods
 * are reaped.
 */
TEST(unbounded_multishot_timeout_repeats_with_f_more)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.4", "IORING_TIMEOUT_MULTISHOT",
			"io_uring_prep_timeout(3) IORING_TIMEOUT_MULTISHOT; commit io_uring: add support for multishot timeouts (6.4)");
	REQUIRE_MULTISHOT_TIMEOUT();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_multishot(&ring, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		EXPECT_EQ((__u64)TAG_TIMEOUT, cqe.user_data);
		EXPECT_EQ(-ETIME, cqe.res);
		EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	}
	/* Tearing the ring down cancels the still-armed timer. */
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit "io_uring: add support for multishot timeouts" (6.4):
 * removing a multishot timeout gets the removal 0 and ends the timeout with
 * -ECANCELED and no IORING_CQE_F_MORE: nothing follows. The period is 10 s
 * here, so no expiry comes first.
 */
TEST(removed_multishot_timeout_ends_without_f_more)
{
	struct __kernel_timespec long_ts = { .tv_sec = 10 };
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	bool seen_timeout = false, seen_remove = false;

	CONFORM_DECLARE("6.4", "IORING_TIMEOUT_MULTISHOT",
			"commit io_uring: add support for multishot timeouts (6.4): removal");
	REQUIRE_MULTISHOT_TIMEOUT();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &long_ts, 0, REF_IORING_TIMEOUT_MULTISHOT);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	ASSERT_EQ(1, io_uring_submit(&ring));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout_remove(sqe, TAG_TIMEOUT, 0);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		if (cqe.user_data == TAG_TIMEOUT) {
			seen_timeout = true;
			EXPECT_EQ(-ECANCELED, cqe.res);
			EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
		} else {
			seen_remove = true;
			EXPECT_EQ((__u64)TAG_REMOVE, cqe.user_data);
			EXPECT_EQ(0, cqe.res);
		}
	}
	EXPECT_TRUE(seen_timeout);
	EXPECT_TRUE(seen_remove);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit "io_uring: add support for multishot timeouts" (6.4): with
 * IORING_TIMEOUT_MULTISHOT, off > 0 is the number of expiries (not a
 * completion count): off 3 gives three -ETIME CQEs, the
 * first two with IORING_CQE_F_MORE, the last without; then no more CQEs.
 */
TEST(multishot_timeout_with_count_fires_count_times)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.4", "IORING_TIMEOUT_MULTISHOT",
			"io_uring_prep_timeout(3) IORING_TIMEOUT_MULTISHOT: count is the number of repeats");
	REQUIRE_MULTISHOT_TIMEOUT();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_multishot(&ring, 3, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		EXPECT_EQ((__u64)TAG_TIMEOUT, cqe.user_data);
		EXPECT_EQ(-ETIME, cqe.res);
		EXPECT_EQ(i < 2 ? IORING_CQE_F_MORE : 0,
			  cqe.flags & IORING_CQE_F_MORE);
	}
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit "io_uring: add support for multishot timeouts" (6.4): once
 * the last CQE (no IORING_CQE_F_MORE) is posted the timeout is gone: a
 * removal of its user_data gets -ENOENT.
 */
TEST(finished_multishot_timeout_cannot_be_removed)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.4", "IORING_TIMEOUT_MULTISHOT",
			"commit io_uring: add support for multishot timeouts (6.4): ENOENT after the last CQE");
	REQUIRE_MULTISHOT_TIMEOUT();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_multishot(&ring, 2, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	do {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		ASSERT_EQ(-ETIME, cqe.res);
	} while (cqe.flags & IORING_CQE_F_MORE);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout_remove(sqe, TAG_TIMEOUT, 0);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_REMOVE, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_uring/timeout.c (6.4): "multishot requests only make sense with
 * rel values": IORING_TIMEOUT_MULTISHOT with IORING_TIMEOUT_ABS fails with
 * -EINVAL.
 */
TEST(absolute_multishot_timeout_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.4", "IORING_TIMEOUT_MULTISHOT",
			"io_uring/timeout.c: multishot only with relative values, EINVAL");
	REQUIRE_MULTISHOT_TIMEOUT();
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_multishot(&ring, 0, IORING_TIMEOUT_ABS);
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
