// SPDX-License-Identifier: MIT
/*
 * uring/timeout-update: IORING_OP_TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE
 * (5.11), which re-arms a pending IORING_OP_TIMEOUT with a new relative or
 * absolute (IORING_TIMEOUT_ABS) expiry, and with IORING_LINK_TIMEOUT_UPDATE
 * (5.15), which does the same for a pending IORING_OP_LINK_TIMEOUT; plus the
 * update's own results (-ENOENT, -EINVAL). Long timers (10 s) are meant never
 * to expire in a passing run; each wait is bounded.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_TIMEOUT = 1, TAG_UPDATE = 2, TAG_READ = 3 };

/* Never reached in a passing run. */
static struct __kernel_timespec long_ts = { .tv_sec = 10 };
/* Meant to expire. */
static struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };

/*
 * NULL if an update with these timeout_flags (IORING_TIMEOUT_UPDATE added)
 * of a user_data no timeout carries gets -ENOENT; kernels that do not know
 * the flag refuse it with -EINVAL (a removal takes no flags). Probed on a
 * ring of its own (uring_flag_result_missing()).
 */
static const char *update_flag_missing(unsigned int flags, const char *name)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout_update(&sqe, &ts, 0x5eed, flags);
	return uring_flag_result_missing(&sqe, -ENOENT,
					 "an update of an unknown timeout",
					 name);
}

#define REQUIRE_TIMEOUT_UPDATE()                                               \
	do {                                                                   \
		CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);            \
		CONFORM_REQUIRE(update_flag_missing(0, "IORING_TIMEOUT_UPDATE")); \
	} while (0)

#define REQUIRE_LINK_TIMEOUT_UPDATE()                                          \
	do {                                                                   \
		REQUIRE_TIMEOUT_UPDATE();                                      \
		CONFORM_REQUIRE(update_flag_missing(IORING_LINK_TIMEOUT_UPDATE, \
						    "IORING_LINK_TIMEOUT_UPDATE")); \
	} while (0)

/* Queue a plain timeout (count 0) of *ts, tagged TAG_TIMEOUT. */
static void queue_timeout(struct io_uring *ring, struct __kernel_timespec *ts)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, ts, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
}

/* Queue an update of timeout target to *ts (flags as given), TAG_UPDATE. */
static void queue_update(struct io_uring *ring, __u64 target,
			 struct __kernel_timespec *ts, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout_update(sqe, ts, target, flags);
	io_uring_sqe_set_data64(sqe, TAG_UPDATE);
}

/* A 10 s timeout updated to ts (flags): update 0, then the timeout -ETIME. */
static void expect_update_expires_timeout(struct __test_metadata *_metadata,
					  struct io_uring *ring,
					  struct __kernel_timespec *ts,
					  unsigned int flags)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_UPDATE };
	int res[2] = { 1, 1 };

	queue_timeout(ring, &long_ts);
	ASSERT_EQ(1, io_uring_submit(ring));
	queue_update(ring, TAG_TIMEOUT, ts, flags);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ETIME, res[0]);
}

/*
 * A 10 s timeout updated to ts (flags): the update fails with err, and the
 * timeout stays pending: a removal gets 0 and the timeout -ECANCELED.
 */
static void expect_update_fails_keeps_timeout(struct __test_metadata *_metadata,
					      struct io_uring *ring,
					      struct __kernel_timespec *ts,
					      unsigned int flags, int err)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_UPDATE };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int res[2] = { 1, 1 };

	queue_timeout(ring, &long_ts);
	ASSERT_EQ(1, io_uring_submit(ring));
	queue_update(ring, TAG_TIMEOUT, ts, flags);
	ASSERT_EQ(0, uring_submit_reap(ring, &cqe));
	EXPECT_EQ((__u64)TAG_UPDATE, cqe.user_data);
	EXPECT_EQ(err, cqe.res);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_timeout_remove(sqe, TAG_TIMEOUT, 0);
	io_uring_sqe_set_data64(sqe, TAG_UPDATE);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE: with IORING_TIMEOUT_UPDATE,
 * "instead of removing an existing operation, it updates it", result 0 when
 * found (since 5.11). A 10 s timeout updated to 10 ms: the update gets 0 and
 * the timeout then expires with -ETIME, within the 2 s bound.
 */
TEST(update_shortens_pending_timeout_which_then_expires)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.11", "IORING_TIMEOUT_UPDATE",
			"io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE IORING_TIMEOUT_UPDATE");
	REQUIRE_TIMEOUT_UPDATE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	expect_update_expires_timeout(_metadata, &ring, &short_ts, 0);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE: an update's "timeout_flags
 * may also contain IORING_TIMEOUT_ABS, in which case the value given is an
 * absolute one" on CLOCK_MONOTONIC (since 5.11). An absolute deadline one
 * second in the past: the update gets 0, the timeout -ETIME at once.
 */
TEST(update_to_past_absolute_deadline_expires_at_once)
{
	struct __kernel_timespec abs_ts;
	struct timespec now;
	struct io_uring ring;

	CONFORM_DECLARE("5.11", "IORING_TIMEOUT_UPDATE",
			"io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE IORING_TIMEOUT_UPDATE with IORING_TIMEOUT_ABS");
	REQUIRE_TIMEOUT_UPDATE();
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &now));
	ASSERT_GT(now.tv_sec, 1);
	abs_ts.tv_sec = now.tv_sec - 1;
	abs_ts.tv_nsec = now.tv_nsec;
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	expect_update_expires_timeout(_metadata, &ring, &abs_ts,
				      IORING_TIMEOUT_ABS);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout_update(3) ERRORS: -ENOENT, "The timeout identified
 * by user_data could not be found ... or triggered before the update"
 * (since 5.11). The target timeout has expired and been reaped.
 */
TEST(update_of_expired_timeout_gets_enoent)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.11", "IORING_TIMEOUT_UPDATE",
			"io_uring_prep_timeout_update(3) ERRORS ENOENT");
	REQUIRE_TIMEOUT_UPDATE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(&ring, &short_ts);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	ASSERT_EQ((__u64)TAG_TIMEOUT, cqe.user_data);
	ASSERT_EQ(-ETIME, cqe.res);
	queue_update(&ring, TAG_TIMEOUT, &long_ts, 0);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_UPDATE, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout_update(3) ERRORS: -EINVAL when "the specified
 * timeout seconds or nanoseconds where < 0" (since 5.16, commit
 * 2087009c74d4 "io_uring: validate timespec for timeout removals"; the
 * update itself is 5.11). tv_nsec -1; the
 * pending timeout is left as it was: a removal then finds it (0) and it
 * ends with -ECANCELED.
 * Debian's 5.10.0-46 does not refuse it (cases/known-failures.txt).
 */
TEST(update_with_negative_nsec_gets_einval_and_keeps_timeout)
{
	struct __kernel_timespec bad_ts = { .tv_sec = 0, .tv_nsec = -1 };
	struct io_uring ring;

	CONFORM_DECLARE("5.16", "IORING_TIMEOUT_UPDATE",
			"io_uring_prep_timeout_update(3) ERRORS EINVAL: nanoseconds < 0; commit 2087009c74d4 (5.16)");
	REQUIRE_TIMEOUT_UPDATE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	expect_update_fails_keeps_timeout(_metadata, &ring, &bad_ts, 0,
					  -EINVAL);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout_update(3) ERRORS: -EINVAL when, "for example, two
 * clocksources where given" (IORING_TIMEOUT_BOOTTIME with
 * IORING_TIMEOUT_REALTIME). 5.11 to 5.14 know neither clock flag and refuse
 * them with the same -EINVAL (since 5.11).
 */
TEST(update_with_two_clocks_gets_einval)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("5.11", "IORING_TIMEOUT_UPDATE",
			"io_uring_prep_timeout_update(3) ERRORS EINVAL: two clocksources");
	REQUIRE_TIMEOUT_UPDATE();
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout_update(&sqe, &long_ts, 0x5eed,
				     IORING_TIMEOUT_BOOTTIME |
				     IORING_TIMEOUT_REALTIME);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/* Queue a read of the empty pipe rfd, linked to a 10 s link timeout. */
static void queue_read_with_link_timeout(struct io_uring *ring, int rfd,
					 char *buf, unsigned int len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, rfd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, &long_ts, 0);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
}

/*
 * Kernel commit "io_uring: allow updating linked timeouts" (5.15): with
 * IORING_LINK_TIMEOUT_UPDATE the update acts on a pending
 * IORING_OP_LINK_TIMEOUT (since 5.15). A read of an empty pipe with a 10 s
 * link timeout, updated to 10 ms: update 0, then the timer fires as for any
 * link timeout: the read -ECANCELED, the link timeout -ETIME.
 */
TEST(link_timeout_update_shortens_link_timeout)
{
	const __u64 tags[3] = { TAG_READ, TAG_TIMEOUT, TAG_UPDATE };
	struct io_uring ring;
	int fds[2], res[3] = { 1, 1, 1 };
	char buf[16];

	CONFORM_DECLARE("5.15", "IORING_LINK_TIMEOUT_UPDATE",
			"commit io_uring: allow updating linked timeouts (5.15)");
	REQUIRE_LINK_TIMEOUT_UPDATE();
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_with_link_timeout(&ring, fds[0], buf, sizeof(buf));
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	queue_update(&ring, TAG_TIMEOUT, &short_ts, IORING_LINK_TIMEOUT_UPDATE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 3, tags, res));
	EXPECT_EQ(0, res[2]);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, res[1]);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Kernel commit "io_uring: allow updating linked timeouts" (5.15): with
 * IORING_LINK_TIMEOUT_UPDATE only link timeouts are searched, so an
 * update naming a plain IORING_OP_TIMEOUT with that flag gets -ENOENT and
 * leaves it pending (a removal then gets 0, the timeout -ECANCELED).
 */
TEST(link_timeout_update_does_not_match_plain_timeout)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.15", "IORING_LINK_TIMEOUT_UPDATE",
			"commit io_uring: allow updating linked timeouts (5.15): only link timeouts match");
	REQUIRE_LINK_TIMEOUT_UPDATE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	expect_update_fails_keeps_timeout(_metadata, &ring, &short_ts,
					  IORING_LINK_TIMEOUT_UPDATE, -ENOENT);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
