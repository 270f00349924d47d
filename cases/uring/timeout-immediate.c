// SPDX-License-Identifier: MIT
/*
 * uring/timeout-immediate: IORING_TIMEOUT_IMMEDIATE_ARG (Linux 7.1,
 * commit "io_uring/timeout: immediate timeout arg"): with it, sqe->addr of
 * IORING_OP_TIMEOUT and IORING_OP_LINK_TIMEOUT holds the timeout in
 * nanoseconds instead of a pointer to a struct __kernel_timespec, and
 * sqe->addr2 of an IORING_TIMEOUT_UPDATE does the same. A timeout given so
 * expires with -ETIME (not before its time), completes with 0 once its
 * count of CQEs is posted, bounds a linked request, is re-armed by an
 * update, works with IORING_TIMEOUT_ABS, and a value beyond the signed
 * 64-bit range fails with -EINVAL; a kernel that does not know the flag
 * refuses it with -EINVAL, as any unknown timeout flag. (The two-clock
 * -EINVAL of IORING_TIMEOUT_CLOCK_MASK is in uring/timeout-flags.)
 * Long timers (10 s) are meant never to expire in a passing run; each
 * wait is bounded.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_TIMEOUT = 1, TAG_NOP = 2, TAG_READ = 3, TAG_UPDATE = 4 };

#define NSEC_PER_MSEC 1000000ULL
/* Never reached in a passing run. */
#define LONG_NS (10000 * NSEC_PER_MSEC)
/* Meant to expire. */
#define SHORT_NS (20 * NSEC_PER_MSEC)

/*
 * A TIMEOUT (or LINK_TIMEOUT: op) whose sqe->addr is ns nanoseconds, with
 * IORING_TIMEOUT_IMMEDIATE_ARG | flags and count in sqe->off.
 */
static void prep_timeout_ns(struct io_uring_sqe *sqe, unsigned char op,
			    __u64 ns, unsigned int count, unsigned int flags)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = -1;
	sqe->addr = ns;
	sqe->len = 1;
	sqe->off = count;
	sqe->timeout_flags = REF_IORING_TIMEOUT_IMMEDIATE_ARG | flags;
	sqe->user_data = TAG_TIMEOUT;
}

/*
 * The probe: NULL if a 1 ms TIMEOUT given in nanoseconds expires with
 * -ETIME; a kernel without IORING_TIMEOUT_IMMEDIATE_ARG refuses the flag
 * with -EINVAL. On a ring of its own (uring_flag_result_missing()).
 */
static const char *immediate_arg_missing(void)
{
	struct io_uring_sqe sqe;

	prep_timeout_ns(&sqe, IORING_OP_TIMEOUT, NSEC_PER_MSEC, 0, 0);
	return uring_flag_result_missing(&sqe, -ETIME,
					 "a 1 ms timeout given in sqe->addr",
					 "IORING_TIMEOUT_IMMEDIATE_ARG");
}

#define REQUIRE_IMMEDIATE_ARG()                                                \
	do {                                                                   \
		CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);                   \
		CONFORM_REQUIRE(immediate_arg_missing());                      \
	} while (0)

static __u64 monotonic_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (__u64)now.tv_sec * 1000000000ULL + (__u64)now.tv_nsec;
}

/* Queue a timeout request op of ns nanoseconds on ring (ASSERTs a free SQE). */
static void queue_timeout_ns(struct __test_metadata *_metadata,
			     struct io_uring *ring, unsigned char op, __u64 ns,
			     unsigned int count, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ASSERT_NE(NULL, sqe);
	prep_timeout_ns(sqe, op, ns, count, flags);
}

/*
 * <linux/io_uring.h> IORING_TIMEOUT_IMMEDIATE_ARG: "If set, sqe->addr
 * stores the timeout value in nanoseconds instead of pointing to a
 * timespec" (since 7.1). A 20 ms timeout given so (0x1312d00, not a
 * mapped address) expires with -ETIME, and not before 20 ms have passed
 * (a timer never expires early; a lower bound, not a race).
 */
TEST(immediate_timeout_expires_with_etime_after_its_time)
{
	struct io_uring ring;
	__u64 start, elapsed;
	int res;

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"<linux/io_uring.h> IORING_TIMEOUT_IMMEDIATE_ARG");
	REQUIRE_IMMEDIATE_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	start = monotonic_ns();
	queue_timeout_ns(_metadata, &ring, IORING_OP_TIMEOUT, SHORT_NS, 0, 0);
	res = uring_submit_res(&ring);
	elapsed = monotonic_ns() - start;
	EXPECT_EQ(-ETIME, res);
	EXPECT_LE(SHORT_NS, elapsed)
		TH_LOG("expired after %llu ns", (unsigned long long)elapsed);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout(3): the timeout "will trigger if either the
 * specified timeout has occurred, or the specified number of events to
 * wait for have been posted to the CQ ring", completing with 0 in the
 * latter case; the same with the timeout given in nanoseconds
 * (since 7.1): a 10 s timeout with count 1 completes with 0 once a NOP's
 * CQE is posted.
 */
TEST(immediate_timeout_with_count_completes_after_count_cqes)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_NOP };
	struct io_uring ring;
	int res[2] = { INT_MIN, INT_MIN };

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"io_uring_prep_timeout(3) count; "
			"<linux/io_uring.h> IORING_TIMEOUT_IMMEDIATE_ARG");
	REQUIRE_IMMEDIATE_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout_ns(_metadata, &ring, IORING_OP_TIMEOUT, LONG_NS, 1, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_NOP, 0));
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(0, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_link_timeout(3): a LINK_TIMEOUT bounds the request it is
 * linked to; when it fires the request is cancelled (-ECANCELED) and the
 * timeout completes with -ETIME. IORING_OP_LINK_TIMEOUT shares the
 * TIMEOUT's prep, so IORING_TIMEOUT_IMMEDIATE_ARG gives its sqe->addr in
 * nanoseconds too (since 7.1): a read of an empty pipe with a 20 ms link
 * timeout so given ends -ECANCELED.
 */
TEST(immediate_link_timeout_cancels_blocked_read)
{
	const __u64 tags[2] = { TAG_READ, TAG_TIMEOUT };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { INT_MIN, INT_MIN };
	char buf[8];
	int p[2];

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"io_uring_prep_link_timeout(3); "
			"<linux/io_uring.h> IORING_TIMEOUT_IMMEDIATE_ARG");
	REQUIRE_IMMEDIATE_ARG();
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, p[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	sqe->flags |= IOSQE_IO_LINK;
	queue_timeout_ns(_metadata, &ring, IORING_OP_LINK_TIMEOUT, SHORT_NS,
			 0, 0);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, res[1]);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * Commit "io_uring/timeout: immediate timeout arg": with IORING_TIMEOUT_UPDATE
 * the flag makes "sqe->addr2 for timeout update requests ... be
 * interpreted as a time value in nanoseconds" (since 7.1). A pending 10 s
 * timeout updated to 1 ms so: the update completes with 0 and the timeout
 * then expires with -ETIME.
 */
TEST(immediate_update_rearms_pending_timeout)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_UPDATE };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { INT_MIN, INT_MIN };

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"commit \"io_uring/timeout: immediate timeout arg\": "
			"sqe->addr2 of an update");
	REQUIRE_IMMEDIATE_ARG();
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout_ns(_metadata, &ring, IORING_OP_TIMEOUT, LONG_NS, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_TIMEOUT_REMOVE;
	sqe->fd = -1;
	sqe->addr = TAG_TIMEOUT;
	sqe->addr2 = NSEC_PER_MSEC;
	sqe->timeout_flags = IORING_TIMEOUT_UPDATE |
			     REF_IORING_TIMEOUT_IMMEDIATE_ARG;
	sqe->user_data = TAG_UPDATE;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ETIME, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout(3) IORING_TIMEOUT_ABS: "The value specified ... is
 * an absolute value rather than a relative one"; given in nanoseconds it
 * is a CLOCK_MONOTONIC time (since 7.1). A deadline one second ago has
 * passed: the timeout expires at once with -ETIME, where the same number
 * taken as relative would be days.
 */
TEST(immediate_absolute_deadline_in_past_expires_at_once)
{
	struct io_uring ring;

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"io_uring_prep_timeout(3) IORING_TIMEOUT_ABS; "
			"<linux/io_uring.h> IORING_TIMEOUT_IMMEDIATE_ARG");
	REQUIRE_IMMEDIATE_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout_ns(_metadata, &ring, IORING_OP_TIMEOUT,
			 monotonic_ns() - 1000 * NSEC_PER_MSEC, 0,
			 IORING_TIMEOUT_ABS);
	EXPECT_EQ(-ETIME, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_timeout(3) ERRORS: -EINVAL when "the specified timeout
 * seconds or nanoseconds were < 0"; a nanosecond count is a signed 64-bit
 * ktime, so 2^63 (negative as such) fails the timeout with -EINVAL
 * (since 7.1).
 */
TEST(immediate_value_beyond_signed_range_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"io_uring_prep_timeout(3) ERRORS EINVAL: timeout < 0");
	REQUIRE_IMMEDIATE_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout_ns(_metadata, &ring, IORING_OP_TIMEOUT, 1ULL << 63, 0, 0);
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * A kernel checks timeout_flags against the flags it knows and refuses
 * others with -EINVAL (io_uring_prep_timeout(3) ERRORS: "One of the fields
 * set in the SQE was invalid"). Which variant applies is told by an
 * IORING_OP_TIMEOUT_REMOVE (5.5) carrying IORING_TIMEOUT_UPDATE (5.11) |
 * IORING_TIMEOUT_IMMEDIATE_ARG for a user_data no timeout has: where it
 * gets -ENOENT the kernel knows IORING_TIMEOUT_IMMEDIATE_ARG (7.1) and a
 * 1 ms TIMEOUT given in nanoseconds expires with -ETIME; where it gets
 * -EINVAL (one of the flags unknown) the TIMEOUT is refused with -EINVAL
 * too, its sqe->addr never read as a pointer (which would give -EFAULT).
 * The variant seen is logged.
 */
TEST(immediate_arg_is_refused_with_einval_where_unknown)
{
	struct io_uring_sqe sqe;
	int known, res;

	CONFORM_DECLARE("5.5", "IORING_TIMEOUT_IMMEDIATE_ARG",
			"io_uring_prep_timeout(3) ERRORS EINVAL; "
			"io_uring_prep_timeout_update(3)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_TIMEOUT_REMOVE;
	sqe.fd = -1;
	sqe.addr = 0x5eed;
	sqe.addr2 = NSEC_PER_MSEC;
	sqe.timeout_flags = IORING_TIMEOUT_UPDATE |
			    REF_IORING_TIMEOUT_IMMEDIATE_ARG;
	known = uring_run_one_sqe_res(&sqe);
	ASSERT_TRUE(known == -ENOENT || known == -EINVAL)
		TH_LOG("the update probe completed with %d", known);
	prep_timeout_ns(&sqe, IORING_OP_TIMEOUT, NSEC_PER_MSEC, 0, 0);
	res = uring_run_one_sqe_res(&sqe);
	if (known == -ENOENT) {
		TH_LOG("the kernel knows IORING_TIMEOUT_IMMEDIATE_ARG (update: -ENOENT)");
		EXPECT_EQ(-ETIME, res);
	} else {
		TH_LOG("the kernel does not know IORING_TIMEOUT_IMMEDIATE_ARG (update: -EINVAL)");
		EXPECT_EQ(-EINVAL, res);
	}
}

TEST_HARNESS_MAIN
