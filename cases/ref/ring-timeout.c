// SPDX-License-Identifier: MIT
/*
 * ref/ring-timeout: IORING_OP_TIMEOUT and IORING_OP_LINK_TIMEOUT through the
 * reference ring. A link timeout follows a request marked IOSQE_IO_LINK via
 * ref_ring_last_sqe(). Timers are either short and meant to expire or long
 * (10 s) and meant never to; waits are bounded.
 */
#include "conform_ref.h"

enum { TAG_T = 1, TAG_A = 2, TAG_B = 3 };

static const struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };
static const struct __kernel_timespec long_ts = { .tv_sec = 10 };

/* Link the last SQE prepared to a link timeout (TAG_T) of ts, submit both
 * and reap their two CQEs into log. */
static void link_timeout_and_reap(struct __test_metadata *_metadata,
				  struct ref_ring *ring,
				  struct ref_case_cqe_log *log,
				  const struct __kernel_timespec *ts)
{
	ref_ring_last_sqe(ring)->flags |= IOSQE_IO_LINK;
	ASSERT_TRUE(ref_prep_link_timeout(ring, ts, 0, TAG_T));
	ASSERT_EQ(2, ref_ring_submit(ring));
	ASSERT_EQ(0, ref_case_reap_until(ring, log, 2));
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: with count 0 it is a plain timer; one
 * that completes "through expiration of the timer" has res -ETIME (5.4).
 */
TEST(timeout_expires_with_etime)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_timeout(&ring, &short_ts, 0, 0, TAG_T));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(-ETIME, ref_case_res_of(&log, TAG_T));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: with a count n it completes with res 0
 * once n other requests completed, before the timer (since 5.4). Count 2,
 * a 10 s timer, two NOPs: three CQEs, the timeout's res 0.
 */
TEST(timeout_with_count_completes_after_count_cqes)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT count");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_timeout(&ring, &long_ts, 2, 0, TAG_T));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_TRUE(ref_prep_nop(&ring, TAG_A));
	ASSERT_TRUE(ref_prep_nop(&ring, TAG_B));
	ASSERT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 3));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_T));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_A));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_B));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: when the timer expires first
 * the linked request is cancelled (-ECANCELED) and the timeout ends with
 * -ETIME (LINK_TIMEOUT since 5.5; the request is an IORING_OP_RECV, so this
 * test holds from 5.6). The request is a recv on an empty AF_UNIX socket,
 * which waits by poll on every kernel (so it is not running when cancelled).
 */
TEST(link_timeout_cancels_blocked_request)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[8];
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; "
			"IORING_OP_RECV (5.6)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[0], buf, sizeof(buf), 0, TAG_A));
	link_timeout_and_reap(_metadata, &ring, &log, &short_ts);
	EXPECT_EQ(-ECANCELED, ref_case_res_of(&log, TAG_A));
	EXPECT_EQ(-ETIME, ref_case_res_of(&log, TAG_T));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: "-ECANCELED if the timer got
 * canceled because of completion of the linked request" (since 5.5). A NOP
 * linked to a 10 s link timeout: NOP 0, timeout -ECANCELED.
 */
TEST(link_timeout_cancelled_when_request_completes_first)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_nop(&ring, TAG_A));
	link_timeout_and_reap(_metadata, &ring, &log, &long_ts);
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_A));
	EXPECT_EQ(-ECANCELED, ref_case_res_of(&log, TAG_T));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: it must follow a request with
 * IOSQE_IO_LINK; alone, it fails with -EINVAL (since 5.5).
 */
TEST(link_timeout_without_link_gets_einval)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_link_timeout(&ring, &long_ts, 0, TAG_T));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(-EINVAL, ref_case_res_of(&log, TAG_T));
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
