// SPDX-License-Identifier: MIT
/*
 * uring/timeout-flags: the timeout_flags of IORING_OP_TIMEOUT beyond the
 * basics: clock selection with IORING_TIMEOUT_BOOTTIME and
 * IORING_TIMEOUT_REALTIME (5.15), alone and with IORING_TIMEOUT_ABS, the
 * -EINVAL for two clocks (also on a LINK_TIMEOUT), and
 * IORING_TIMEOUT_ETIME_SUCCESS (5.16), which keeps an expired timeout from
 * breaking its link, changes nothing on a LINK_TIMEOUT, and is refused by
 * TIMEOUT_REMOVE, removal or update (-EINVAL). Long timers (10 s) are
 * meant never to expire in a passing run; each wait is bounded.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_TIMEOUT = 1, TAG_NOP = 2, TAG_REMOVE = 3, TAG_OTHER = 4 };

/* Meant to expire. */
static struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };

/*
 * NULL if a 10 ms timeout with these flags expires with -ETIME; kernels
 * that do not know a flag fail the timeout with -EINVAL. Probed on a ring
 * of its own (uring_flag_result_missing()).
 */
static const char *timeout_flag_missing(unsigned int flags, const char *name)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout(&sqe, &short_ts, 0, flags);
	return uring_flag_result_missing(&sqe, -ETIME, "a 10 ms timeout", name);
}

#define REQUIRE_TIMEOUT_FLAG(flag)                                             \
	do {                                                                   \
		CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);                   \
		CONFORM_REQUIRE(timeout_flag_missing(flag, #flag));            \
	} while (0)

/* The time on clock clk, shifted by delta_sec seconds, as a kernel timespec. */
static struct __kernel_timespec clock_plus(clockid_t clk, long delta_sec)
{
	struct __kernel_timespec ts = { 0 };
	struct timespec now;

	if (clock_gettime(clk, &now) == 0) {
		ts.tv_sec = now.tv_sec + delta_sec;
		ts.tv_nsec = now.tv_nsec;
	}
	return ts;
}

/* Submit one timeout of *ts with flags and count 0; reap it; its res. */
static int run_timeout(struct io_uring *ring, struct __kernel_timespec *ts,
		       unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, ts, 0, flags);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	return uring_submit_res(ring);
}

/* Submits a short timeout with flags linked to a NOP; reaps both into res. */
static void run_timeout_linked_to_nop(struct __test_metadata *_metadata,
				      struct io_uring *ring, unsigned int flags,
				      int res[2])
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_NOP };
	struct io_uring_sqe *sqe;

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout(sqe, &short_ts, 0, flags);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, TAG_NOP);
	ASSERT_EQ(2, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: with IORING_TIMEOUT_REALTIME "the
 * clocksource used is CLOCK_REALTIME instead of CLOCK_MONOTONIC" (since
 * 5.15). An absolute deadline one second before CLOCK_REALTIME's now has
 * passed and expires at once with -ETIME; read on CLOCK_MONOTONIC (seconds
 * since boot) the same value would lie decades ahead.
 */
TEST(realtime_absolute_deadline_in_past_expires_with_etime)
{
	struct __kernel_timespec ts;
	struct io_uring ring;

	CONFORM_DECLARE("5.15", "IORING_TIMEOUT_REALTIME",
			"io_uring_enter(2) IORING_OP_TIMEOUT IORING_TIMEOUT_REALTIME");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_REALTIME);
	ts = clock_plus(CLOCK_REALTIME, -1);
	ASSERT_GT(ts.tv_sec, 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ETIME, run_timeout(&ring, &ts,
				      IORING_TIMEOUT_REALTIME | IORING_TIMEOUT_ABS));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: with IORING_TIMEOUT_BOOTTIME the
 * clock is CLOCK_BOOTTIME (since 5.15). An absolute deadline one second
 * before that clock's now expires at once with -ETIME.
 */
TEST(boottime_absolute_deadline_in_past_expires_with_etime)
{
	struct __kernel_timespec ts;
	struct io_uring ring;

	CONFORM_DECLARE("5.15", "IORING_TIMEOUT_BOOTTIME",
			"io_uring_enter(2) IORING_OP_TIMEOUT IORING_TIMEOUT_BOOTTIME");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_BOOTTIME);
	ts = clock_plus(CLOCK_BOOTTIME, -1);
	ASSERT_GT(ts.tv_sec, 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ETIME, run_timeout(&ring, &ts,
				      IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_ABS));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT, IORING_TIMEOUT_REALTIME with
 * IORING_TIMEOUT_ABS (since 5.15): a deadline 10 s after CLOCK_REALTIME's
 * now has not come: no CQE within the brief wait, and a removal finds the
 * timeout (0) and ends it with -ECANCELED.
 */
TEST(realtime_absolute_future_deadline_stays_pending)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_REMOVE };
	struct __kernel_timespec ts;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.15", "IORING_TIMEOUT_REALTIME",
			"io_uring_enter(2) IORING_OP_TIMEOUT IORING_TIMEOUT_REALTIME with IORING_TIMEOUT_ABS");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_REALTIME);
	ts = clock_plus(CLOCK_REALTIME, 10);
	ASSERT_GT(ts.tv_sec, 10);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0,
			      IORING_TIMEOUT_REALTIME | IORING_TIMEOUT_ABS);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout_remove(sqe, TAG_TIMEOUT, 0);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: a relative timeout on
 * IORING_TIMEOUT_BOOTTIME expires like one on CLOCK_MONOTONIC, with -ETIME
 * (since 5.15).
 */
TEST(boottime_relative_timeout_expires_with_etime)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.15", "IORING_TIMEOUT_BOOTTIME",
			"io_uring_enter(2) IORING_OP_TIMEOUT IORING_TIMEOUT_BOOTTIME");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_BOOTTIME);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ETIME, run_timeout(&ring, &short_ts, IORING_TIMEOUT_BOOTTIME));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout(3) ERRORS: -EINVAL when "two clocksources where
 * given": IORING_TIMEOUT_BOOTTIME with IORING_TIMEOUT_REALTIME fails the
 * timeout at once (since 5.15).
 */
TEST(timeout_with_two_clocks_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.15", "IORING_TIMEOUT_REALTIME",
			"io_uring_prep_timeout(3) ERRORS EINVAL: two clocksources");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_REALTIME);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EINVAL, run_timeout(&ring, &short_ts,
				       IORING_TIMEOUT_BOOTTIME |
				       IORING_TIMEOUT_REALTIME));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout(3) ERRORS: -EINVAL when "the specified timeout
 * seconds or nanoseconds where < 0", also on a selected clock (since 5.16,
 * commit f6223ff79966 "io_uring: Fix undefined-behaviour in io_issue_sqe";
 * the clock flags themselves are 5.15).
 * Debian's 5.10.0-46 does not refuse it (cases/known-failures.txt).
 */
TEST(realtime_timeout_with_negative_seconds_gets_einval)
{
	struct __kernel_timespec ts = { .tv_sec = -1 };
	struct io_uring ring;

	CONFORM_DECLARE("5.16", "IORING_TIMEOUT_REALTIME",
			"io_uring_prep_timeout(3) ERRORS EINVAL: seconds < 0; commit f6223ff79966 (5.16)");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_REALTIME);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EINVAL, run_timeout(&ring, &ts, IORING_TIMEOUT_REALTIME));
	io_uring_queue_exit(&ring);
}

/*
 * IORING_TIMEOUT_ETIME_SUCCESS (io_uring_prep_timeout_update(3): "Consider
 * an expired timeout a success in terms of the posted completion"; kernel
 * commit "io_uring: add flag to not fail link after timeout", 5.16): the
 * expired timeout still posts -ETIME, but the NOP linked after it runs
 * (res 0) instead of being cancelled with -ECANCELED.
 */
TEST(etime_success_timeout_does_not_break_link)
{
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.16", "IORING_TIMEOUT_ETIME_SUCCESS",
			"io_uring_prep_timeout(3) IORING_TIMEOUT_ETIME_SUCCESS");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_ETIME_SUCCESS);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	run_timeout_linked_to_nop(_metadata, &ring,
				  IORING_TIMEOUT_ETIME_SUCCESS, res);
	EXPECT_EQ(-ETIME, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
}

/*
 * The contrast (io_uring_enter(2) IOSQE_IO_LINK: "io_uring considers any
 * unexpected result an error"): without IORING_TIMEOUT_ETIME_SUCCESS the
 * expired timeout's -ETIME breaks the link and the NOP gets -ECANCELED.
 * Asserted where ETIME_SUCCESS exists (5.16), to show the flag is the
 * difference.
 */
TEST(expired_timeout_without_etime_success_breaks_link)
{
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.16", "IORING_TIMEOUT_ETIME_SUCCESS",
			"io_uring_enter(2) IOSQE_IO_LINK: an unexpected result breaks the link");
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_ETIME_SUCCESS);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	run_timeout_linked_to_nop(_metadata, &ring, 0, res);
	EXPECT_EQ(-ETIME, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	io_uring_queue_exit(&ring);
}

/* Never reached in a passing run: the tests end long before. */
static struct __kernel_timespec long_ts = { .tv_sec = 10 };

/* Queue a 10 s timeout (count 0) tagged TAG_TIMEOUT and submit it. */
static void start_long_timeout(struct __test_metadata *_metadata,
			       struct io_uring *ring)
{
	struct io_uring_sqe *sqe;

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_timeout(sqe, &long_ts, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	ASSERT_EQ(1, io_uring_submit(ring));
}

/*
 * The pending TAG_TIMEOUT is still there: no CQE within the brief wait,
 * and a plain removal finds it (0) and ends it with -ECANCELED.
 */
static void expect_timeout_still_pending(struct __test_metadata *_metadata,
					 struct io_uring *ring)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_REMOVE };
	struct io_uring_sqe *sqe;
	int res[2] = { 1, 1 };

	EXPECT_EQ(-ETIME, uring_wait_briefly(ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_timeout_remove(sqe, TAG_TIMEOUT, 0);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
}

/* Submit one TIMEOUT_REMOVE of TAG_TIMEOUT with flags (ts for an update);
 * reap it; its res. */
static int run_timeout_remove(struct io_uring *ring,
			      struct __kernel_timespec *ts, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return INT_MIN;
	if (flags & IORING_TIMEOUT_UPDATE)
		io_uring_prep_timeout_update(sqe, ts, TAG_TIMEOUT, flags);
	else
		io_uring_prep_timeout_remove(sqe, TAG_TIMEOUT, flags);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	return uring_submit_res(ring);
}

/*
 * Kernel io_timeout_remove_prep(): "timeout removal doesn't support
 * flags"; IORING_OP_TIMEOUT_REMOVE with IORING_TIMEOUT_ETIME_SUCCESS (a
 * flag of the timeout itself) fails with -EINVAL
 * (io_uring_prep_timeout_remove(3) -EINVAL: "One of the fields set in the
 * SQE was invalid") and the timeout stays pending. A removal has refused
 * every flag since 5.5 (5.11 added IORING_TIMEOUT_UPDATE, which makes it
 * an update); the flag itself is 5.16.
 */
TEST(timeout_remove_with_etime_success_gets_einval_and_keeps_timeout)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.5", "IORING_OP_TIMEOUT_REMOVE",
			"io_uring_prep_timeout_remove(3) -EINVAL; io_timeout_remove_prep(): removal takes no flags");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	start_long_timeout(_metadata, &ring);
	EXPECT_EQ(-EINVAL, run_timeout_remove(&ring, NULL,
					      IORING_TIMEOUT_ETIME_SUCCESS));
	expect_timeout_still_pending(_metadata, &ring);
	io_uring_queue_exit(&ring);
}

/*
 * NULL when IORING_OP_TIMEOUT_REMOVE knows IORING_TIMEOUT_UPDATE (5.11):
 * an update of a user_data no timeout carries gets -ENOENT; older kernels
 * refuse the flag with -EINVAL (uring_flag_result_missing()).
 */
static const char *timeout_update_missing(void)
{
	struct io_uring_sqe sqe;

	if (conform_uring_op_missing(IORING_OP_TIMEOUT_REMOVE,
				     "IORING_OP_TIMEOUT_REMOVE"))
		return conform_why;
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout_update(&sqe, &long_ts, 0x5eed, 0);
	return uring_flag_result_missing(&sqe, -ENOENT,
					 "an update of an unknown timeout",
					 "IORING_TIMEOUT_UPDATE");
}

/*
 * io_uring_prep_timeout_update(3) lists IORING_TIMEOUT_ETIME_SUCCESS among
 * the flags an update "may contain", but the kernel's
 * io_timeout_remove_prep() takes only IORING_TIMEOUT_UPDATE,
 * IORING_LINK_TIMEOUT_UPDATE and IORING_TIMEOUT_ABS in an update
 * ("tr->flags & ~(IORING_TIMEOUT_UPDATE_MASK|IORING_TIMEOUT_ABS)"): the
 * update fails with -EINVAL and the timeout is left as it was, pending.
 * What every kernel with updates does (5.11 to 7.2), asserted as such.
 */
TEST(timeout_update_with_etime_success_gets_einval_and_keeps_timeout)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.11", "IORING_TIMEOUT_UPDATE",
			"io_timeout_remove_prep(): update flags UPDATE_MASK and ABS only; io_uring_prep_timeout_update(3) -EINVAL");
	CONFORM_REQUIRE(timeout_update_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	start_long_timeout(_metadata, &ring);
	EXPECT_EQ(-EINVAL, run_timeout_remove(&ring, &short_ts,
					      IORING_TIMEOUT_UPDATE |
					      IORING_TIMEOUT_ETIME_SUCCESS));
	expect_timeout_still_pending(_metadata, &ring);
	io_uring_queue_exit(&ring);
}

/*
 * Queue a read of the empty pipe rfd (IOSQE_IO_LINK), a link timeout of
 * *ts with flags (IOSQE_IO_LINK too) and a NOP, tagged TAG_OTHER,
 * TAG_TIMEOUT and TAG_NOP; submit the three and reap them into res.
 */
static void run_read_link_timeout_nop(struct __test_metadata *_metadata,
				      struct io_uring *ring, int rfd,
				      struct __kernel_timespec *ts,
				      unsigned int flags, int res[3])
{
	const __u64 tags[3] = { TAG_OTHER, TAG_TIMEOUT, TAG_NOP };
	static char buf[16];
	struct io_uring_sqe *sqe;

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_read(sqe, rfd, buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_OTHER);
	sqe->flags |= IOSQE_IO_LINK;
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_link_timeout(sqe, ts, flags);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	sqe->flags |= IOSQE_IO_LINK;
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, TAG_NOP);
	ASSERT_EQ(3, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 3, tags, res));
}

/*
 * IORING_TIMEOUT_ETIME_SUCCESS on an IORING_OP_LINK_TIMEOUT: the flag is
 * accepted (the link timeout shares the flag check of IORING_OP_TIMEOUT,
 * kernel __io_timeout_prep()), but it changes nothing there: the expired
 * link timeout completes with -ETIME, the read it guards with -ECANCELED,
 * and the NOP linked after them is cancelled with the read's chain
 * (io_uring_enter(2) IORING_OP_LINK_TIMEOUT and IOSQE_IO_LINK). The flag
 * acts on the CQE of an IORING_OP_TIMEOUT only (commit "io_uring: add flag
 * to not fail link after timeout", 5.16).
 */
TEST(link_timeout_with_etime_success_still_breaks_the_chain)
{
	struct io_uring ring;
	int fds[2], res[3] = { 1, 1, 1 };

	CONFORM_DECLARE("5.16", "IORING_TIMEOUT_ETIME_SUCCESS",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; io_uring/timeout.c __io_timeout_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_ETIME_SUCCESS);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	run_read_link_timeout_nop(_metadata, &ring, fds[0], &short_ts,
				  IORING_TIMEOUT_ETIME_SUCCESS, res);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, res[1]);
	EXPECT_EQ(-ECANCELED, res[2]);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_prep_timeout(3) ERRORS: -EINVAL when "two clocksources where
 * given"; IORING_OP_LINK_TIMEOUT shares the check (kernel
 * __io_timeout_prep()). The link timeout fails with -EINVAL, and the read
 * it was linked to is failed with -ECANCELED without running (a link whose
 * later SQE fails to prepare: io_uring_enter(2) IOSQE_IO_LINK), as is the
 * NOP after (since 5.15).
 */
TEST(link_timeout_with_two_clocks_gets_einval)
{
	struct io_uring ring;
	int fds[2], res[3] = { 1, 1, 1 };

	CONFORM_DECLARE("5.15", "IORING_TIMEOUT_BOOTTIME",
			"io_uring_prep_timeout(3) ERRORS EINVAL: two clocksources; __io_timeout_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	REQUIRE_TIMEOUT_FLAG(IORING_TIMEOUT_BOOTTIME);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	run_read_link_timeout_nop(_metadata, &ring, fds[0], &long_ts,
				  IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME,
				  res);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(-ECANCELED, res[2]);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

TEST_HARNESS_MAIN
