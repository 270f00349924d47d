// SPDX-License-Identifier: MIT
/*
 * uring/async-cancel: IORING_OP_ASYNC_CANCEL. The result of the cancel
 * itself (0, -ENOENT, -EALREADY, a count with IORING_ASYNC_CANCEL_ALL, also
 * with IORING_ASYNC_CANCEL_ANY) and what the cancelled request completes
 * with; the -EINVAL of an unknown cancel flag, a non-zero off, and
 * IORING_ASYNC_CANCEL_OP with ANY, none of which cancels anything.
 * Requests to cancel are reads
 * on empty pipes, which cannot finish on their own, and a long
 * IORING_OP_TIMEOUT.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_TARGET = 0x100, TAG_OTHER = 0x101, TAG_CANCEL = 0x200 };

/* Queue a read of the (empty) pipe read end fd, tagged tag. */
static void queue_pipe_read(struct io_uring *ring, int fd, void *buf,
			    unsigned int len, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, tag);
}

/* Queue an ASYNC_CANCEL for user_data target with flags, tagged TAG_CANCEL. */
static void queue_cancel(struct io_uring *ring, __u64 target, int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_cancel64(sqe, target, flags);
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
}

/*
 * Cancel flags (IORING_ASYNC_CANCEL_*) came in 5.19; earlier kernels reject
 * a non-zero cancel_flags with -EINVAL. Returns NULL if the flag is taken.
 * Probed with a cancel that matches nothing, on a ring of its own
 * (uring_flag_result_missing()).
 */
static const char *cancel_flag_missing(int flag, const char *name)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_cancel64(&sqe, 0xdeadbeef, flag);
	return uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					 "a cancel of an unknown user_data",
					 name);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: found -> 0, and the target is
 * terminated with -ECANCELED (since 5.5). Variant: if the read was already
 * running in an io-wq worker, the cancel gets -EALREADY and, the pipe read
 * being interruptible ("requests that are interruptible ... will get
 * canceled"), the read ends with -EINTR. Either pair is asserted exactly.
 */
TEST(cancel_of_waiting_read_gets_zero_and_read_ecanceled)
{
	const __u64 tags[2] = { TAG_TARGET, TAG_CANCEL };
	struct io_uring ring;
	char buf[16];
	int fds[2], res[2] = { 1, 1 };

	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_pipe_read(&ring, fds[0], buf, sizeof(buf), TAG_TARGET);
	ASSERT_EQ(1, io_uring_submit(&ring));
	queue_cancel(&ring, TAG_TARGET, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	if (res[1] == -EALREADY) {
		TH_LOG("read was running in io-wq: cancel -EALREADY, read %d", res[0]);
		EXPECT_EQ(-EINTR, res[0]);
	} else {
		EXPECT_EQ(0, res[1]);
		EXPECT_EQ(-ECANCELED, res[0]);
	}
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "Attempt to cancel an already
 * issued request", named by its user_data; a pending IORING_OP_TIMEOUT is
 * one. Found -> the cancel's res is 0, and IORING_OP_TIMEOUT: "If the
 * timeout was canceled before it expired, the request will complete with
 * -ECANCELED". Since 5.5 (commit "io_uring: make ASYNC_CANCEL work with
 * poll and timeout", in the 5.5 merge, the release that added
 * ASYNC_CANCEL). The timeout (count 0) is of 10 s, so it is pending when
 * the cancel is issued and cannot expire within the bounded reaps.
 */
TEST(cancel_of_pending_timeout_gets_zero_and_timeout_ecanceled)
{
	static struct __kernel_timespec long_ts = { .tv_sec = 10 };
	const __u64 tags[2] = { TAG_TARGET, TAG_CANCEL };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL of a pending "
			"IORING_OP_TIMEOUT: 0, timeout -ECANCELED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &long_ts, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_TARGET);
	ASSERT_EQ(1, io_uring_submit(&ring));
	queue_cancel(&ring, TAG_TARGET, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "If not found, res will contain
 * -ENOENT"; a user_data no request carries is not found (since 5.5).
 */
TEST(cancel_of_unknown_user_data_gets_enoent)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL -ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_cancel(&ring, 0x5eed, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_CANCEL, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_cancel(3): -ENOENT when the request "completed before the
 * cancelation request was issued" (since 5.5). Target: a NOP, reaped first.
 */
TEST(cancel_of_completed_request_gets_enoent)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_prep_cancel(3) -ENOENT for a completed "
			"request");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, TAG_TARGET);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	ASSERT_EQ((__u64)TAG_TARGET, cqe.user_data);
	queue_cancel(&ring, TAG_TARGET, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * An 8-entry ring and two empty pipes a and b, with a read of each submitted:
 * a's tagged TAG_TARGET, b's tagged tag_b.
 */
static void two_pending_pipe_reads(struct __test_metadata *_metadata,
				   struct io_uring *ring, int a[2], int b[2],
				   char buf[2][16], __u64 tag_b)
{
	ASSERT_EQ(0, io_uring_queue_init(8, ring, 0));
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	queue_pipe_read(ring, a[0], buf[0], sizeof(buf[0]), TAG_TARGET);
	queue_pipe_read(ring, b[0], buf[1], sizeof(buf[1]), tag_b);
	ASSERT_EQ(2, io_uring_submit(ring));
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ALL: cancel every request
 * that matches; "a positive value is returned indicating how many requests
 * were found and canceled" (since 5.19). Two reads share one user_data:
 * res 2, both -ECANCELED.
 */
TEST(cancel_all_cancels_every_match_and_counts_them)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[2][16];
	int a[2], b[2], cancel_res = 1, nr_target = 0;

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ALL",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ALL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE(cancel_flag_missing(IORING_ASYNC_CANCEL_ALL,
					    "IORING_ASYNC_CANCEL_ALL"));
	two_pending_pipe_reads(_metadata, &ring, a, b, buf, TAG_TARGET);
	queue_cancel(&ring, TAG_TARGET, IORING_ASYNC_CANCEL_ALL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	/* Both reads carry TAG_TARGET: count them rather than index them. */
	for (int k = 0; k < 3; k++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		if (cqe.user_data == TAG_CANCEL) {
			cancel_res = cqe.res;
		} else {
			ASSERT_EQ((__u64)TAG_TARGET, cqe.user_data);
			EXPECT_EQ(-ECANCELED, cqe.res);
			nr_target++;
		}
	}
	EXPECT_EQ(2, nr_target);
	EXPECT_EQ(2, cancel_res);
	io_uring_queue_exit(&ring);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD: "Match based on the file
 * descriptor used in the original request rather than the user_data"
 * (since 5.19). Only the read on that pipe is cancelled (res 0,
 * -ECANCELED); the read on the other pipe stays and completes normally.
 */
TEST(cancel_by_fd_cancels_only_the_request_on_that_fd)
{
	const __u64 tags[2] = { TAG_TARGET, TAG_CANCEL };
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[2][16];
	int a[2], b[2], res[2] = { 1, 1 };

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE(cancel_flag_missing(IORING_ASYNC_CANCEL_FD,
					    "IORING_ASYNC_CANCEL_FD"));
	two_pending_pipe_reads(_metadata, &ring, a, b, buf, TAG_OTHER);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cancel_fd(sqe, a[0], 0);
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	/* The other read is untouched: it completes with what is written. */
	ASSERT_EQ(3, write(b[1], "xyz", 3));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_OTHER, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	io_uring_queue_exit(&ring);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * A 4-entry ring and an empty pipe with a read of it submitted, tagged
 * TAG_TARGET; then the cancel in *cancel (tagged TAG_CANCEL) is run. The
 * cancel's res; the read is left pending.
 */
static int cancel_beside_pending_read(struct __test_metadata *_metadata,
				      struct io_uring *ring, int fds[2],
				      char *buf, unsigned int len,
				      const struct io_uring_sqe *cancel)
{
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	queue_pipe_read(ring, fds[0], buf, len, TAG_TARGET);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	*sqe = *cancel;
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
	return uring_submit_res(ring);
}

/* The read tagged TAG_TARGET is still pending: nothing within the brief
 * wait, then it completes with the 3 bytes written to the pipe. */
static void expect_read_still_pending(struct __test_metadata *_metadata,
				      struct io_uring *ring, int fds[2])
{
	struct io_uring_cqe cqe;

	EXPECT_EQ(-ETIME, uring_wait_briefly(ring));
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	ASSERT_EQ(0, uring_reap_one(ring, &cqe));
	EXPECT_EQ((__u64)TAG_TARGET, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
}

/*
 * io_uring_prep_cancel(3) -EINVAL, "One of the fields set in the SQE was
 * invalid": a cancel_flags bit no kernel defines (1 << 31) fails the
 * cancel, which cancels nothing (kernel io_async_cancel_prep(), "flags &
 * ~CANCEL_FLAGS"; before 5.19, when there were no cancel flags, any
 * non-zero cancel_flags). Since 5.5.
 */
TEST(cancel_with_unknown_flag_gets_einval_and_cancels_nothing)
{
	struct io_uring_sqe cancel;
	struct io_uring ring;
	char buf[16];
	int fds[2];

	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_prep_cancel(3) -EINVAL; io_uring/cancel.c io_async_cancel_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	memset(&cancel, 0, sizeof(cancel));
	io_uring_prep_cancel64(&cancel, TAG_TARGET, 0);
	cancel.cancel_flags = 1U << 31;
	EXPECT_EQ(-EINVAL, cancel_beside_pending_read(_metadata, &ring, fds,
						      buf, sizeof(buf), &cancel));
	expect_read_still_pending(_metadata, &ring, fds);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_prep_cancel(3) -EINVAL: IORING_OP_ASYNC_CANCEL has no offset;
 * a non-zero off fails the cancel (kernel io_async_cancel_prep(), "sqe->off
 * || sqe->splice_fd_in"), and the request named is left alone (since 5.5).
 */
TEST(cancel_with_nonzero_off_gets_einval_and_cancels_nothing)
{
	struct io_uring_sqe cancel;
	struct io_uring ring;
	char buf[16];
	int fds[2];

	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_prep_cancel(3) -EINVAL; io_uring/cancel.c io_async_cancel_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	memset(&cancel, 0, sizeof(cancel));
	io_uring_prep_cancel64(&cancel, TAG_TARGET, 0);
	cancel.off = 1;
	EXPECT_EQ(-EINVAL, cancel_beside_pending_read(_metadata, &ring, fds,
						      buf, sizeof(buf), &cancel));
	expect_read_still_pending(_metadata, &ring, fds);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * <linux/io_uring.h> IORING_ASYNC_CANCEL_OP, "Match request based on
 * opcode", and IORING_ASYNC_CANCEL_ANY, "Match any request", exclude each
 * other: the pair fails with -EINVAL (io_uring_prep_cancel(3) -EINVAL;
 * kernel io_async_cancel_prep()) and cancels nothing, not even the read
 * whose opcode it names (since 6.6; Debian's 6.1 has the flag too).
 */
TEST(cancel_op_with_any_gets_einval_and_cancels_nothing)
{
	struct io_uring_sqe cancel;
	struct io_uring ring;
	char buf[16];
	int fds[2];

	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"io_uring_prep_cancel(3) -EINVAL; io_uring/cancel.c io_async_cancel_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE(cancel_flag_missing(REF_IORING_ASYNC_CANCEL_OP,
					    "IORING_ASYNC_CANCEL_OP"));
	memset(&cancel, 0, sizeof(cancel));
	io_uring_prep_cancel64(&cancel, 0, REF_IORING_ASYNC_CANCEL_OP |
				   IORING_ASYNC_CANCEL_ANY);
	cancel.len = IORING_OP_READ;
	EXPECT_EQ(-EINVAL, cancel_beside_pending_read(_metadata, &ring, fds,
						      buf, sizeof(buf), &cancel));
	expect_read_still_pending(_metadata, &ring, fds);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * IORING_ASYNC_CANCEL_ALL together with IORING_ASYNC_CANCEL_ANY is not
 * one of the refused pairs (only FD or OP with ANY are, kernel
 * io_async_cancel_prep()): io_uring_prep_cancel(3) ANY matches "any
 * request in the ring" and ALL cancels every match; two pending reads with
 * different user_data are both cancelled (-ECANCELED) and the cancel
 * counts them, res 2 (since 5.19).
 */
TEST(cancel_all_with_any_cancels_every_request_and_counts)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[2][16];
	int a[2], b[2], cancel_res = 1, nr = 0;

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ALL, IORING_ASYNC_CANCEL_ANY");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE(cancel_flag_missing(IORING_ASYNC_CANCEL_ANY,
					    "IORING_ASYNC_CANCEL_ANY"));
	two_pending_pipe_reads(_metadata, &ring, a, b, buf, TAG_OTHER);
	queue_cancel(&ring, 0, IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int k = 0; k < 3; k++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		if (cqe.user_data == TAG_CANCEL) {
			cancel_res = cqe.res;
		} else {
			EXPECT_EQ(-ECANCELED, cqe.res);
			nr++;
		}
	}
	EXPECT_EQ(2, nr);
	EXPECT_EQ(2, cancel_res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

TEST_HARNESS_MAIN
