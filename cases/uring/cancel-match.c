// SPDX-License-Identifier: MIT
/*
 * uring/cancel-match: the match keys of IORING_OP_ASYNC_CANCEL beyond a
 * plain user_data (async-cancel.c has that, ALL and FD):
 * IORING_ASYNC_CANCEL_FD_FIXED (6.0, a registered file slot),
 * IORING_ASYNC_CANCEL_ANY (5.19), IORING_ASYNC_CANCEL_OP and
 * IORING_ASYNC_CANCEL_USERDATA (6.6; Debian's 6.1 has them from stable) and
 * the flag combinations refused with -EINVAL. Requests to cancel are polls
 * for POLLIN on empty pipes and 10 s timeouts, which cannot finish alone.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_A = 0x10, TAG_B = 0x11, TAG_CANCEL = 0x20 };

static struct __kernel_timespec long_ts = { .tv_sec = 10 };

/*
 * NULL if a cancel with flags (and fd, opcode as given) on a ring of its own
 * gets anything but -EINVAL, which is what kernels that do not know one of
 * the flags answer (uring_flag_result_missing()).
 */
static const char *cancel_flags_missing(unsigned int flags, int fd,
					unsigned int opcode, const char *name)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_cancel64(&sqe, 0x5eed, (int)flags);
	sqe.fd = fd;
	sqe.len = opcode;
	return uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					 "a cancel of an unknown user_data",
					 name);
}

#define REQUIRE_CANCEL_FD_FIXED()                                              \
	CONFORM_REQUIRE(cancel_flags_missing(IORING_ASYNC_CANCEL_FD |          \
					     IORING_ASYNC_CANCEL_FD_FIXED, 0, 0, \
					     "IORING_ASYNC_CANCEL_FD_FIXED"))
#define REQUIRE_CANCEL_ANY()                                                   \
	CONFORM_REQUIRE(cancel_flags_missing(IORING_ASYNC_CANCEL_ANY, 0, 0,    \
					     "IORING_ASYNC_CANCEL_ANY"))
#define REQUIRE_CANCEL_OP()                                                    \
	CONFORM_REQUIRE(cancel_flags_missing(                                  \
		REF_IORING_ASYNC_CANCEL_OP | REF_IORING_ASYNC_CANCEL_USERDATA, \
		0, IORING_OP_NOP, "IORING_ASYNC_CANCEL_OP/USERDATA"))

/* Queue a POLLIN poll on fd, tagged tag. */
static void queue_poll(struct io_uring *ring, int fd, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, tag);
}

/* Queue a cancel with flags, fd, opcode (in len) and addr, tagged TAG_CANCEL. */
static void queue_cancel(struct io_uring *ring, __u64 addr, unsigned int flags,
			 int fd, unsigned int opcode)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_cancel64(sqe, addr, (int)flags);
	sqe->fd = fd;
	sqe->len = opcode;
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
}

/*
 * Reap up to n CQEs (stopping at the first wait that runs out) and store
 * each res by tag, as uring_reap_tagged(); a tag whose CQE never came keeps
 * INT_MIN, so a failure shows which CQE is missing and what the others said.
 */
static void reap_tagged_partial(struct io_uring *ring, unsigned int n,
				const __u64 *tags, int *res)
{
	for (unsigned int i = 0; i < n; i++)
		res[i] = INT_MIN;
	for (unsigned int k = 0; k < n; k++) {
		struct io_uring_cqe cqe;

		if (uring_reap_one(ring, &cqe))
			return;
		for (unsigned int i = 0; i < n; i++)
			if (tags[i] == cqe.user_data)
				res[i] = cqe.res;
	}
}

/* Submit the queued cancel: its CQE comes with res, and no other CQE follows. */
static void expect_only_cancel_cqe(struct __test_metadata *_metadata,
				   struct io_uring *ring, int res)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(0, uring_submit_reap(ring, &cqe));
	EXPECT_EQ((__u64)TAG_CANCEL, cqe.user_data);
	EXPECT_EQ(res, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(ring));
}

/*
 * <linux/io_uring.h> (6.0): "IORING_ASYNC_CANCEL_FD_FIXED 'fd' passed in
 * is a fixed descriptor": with IORING_ASYNC_CANCEL_FD, fd
 * names a registered file slot (since 6.0). The poll on slot 0 is
 * cancelled (cancel 0, poll -ECANCELED); the poll on slot 1 stays and
 * reports POLLIN once its pipe is written.
 */
TEST(cancel_fd_fixed_cancels_only_request_on_that_slot)
{
	const __u64 tags[2] = { TAG_A, TAG_CANCEL };
	struct io_uring_cqe cqe;
	struct uring_two_polls t;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("6.0", "IORING_ASYNC_CANCEL_FD_FIXED",
			"linux/io_uring.h IORING_ASYNC_CANCEL_FD_FIXED");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_FD_FIXED();
	ASSERT_EQ(0, uring_two_polls_start(&t, true, TAG_A, TAG_B));
	queue_cancel(&t.ring, 0, IORING_ASYNC_CANCEL_FD |
		     IORING_ASYNC_CANCEL_FD_FIXED, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&t.ring));
	ASSERT_EQ(0, uring_reap_tagged(&t.ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&t.ring));
	ASSERT_EQ(1, write(t.p2[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&t.ring, &cqe));
	EXPECT_EQ((__u64)TAG_B, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	uring_two_polls_end(&t);
}

/*
 * io_uring_enter(2): a fixed file index that is not registered is "an
 * invalid file descriptor": a cancel by fixed fd 7 on a ring with 2
 * registered slots fails with -EBADF (since 6.0).
 */
TEST(cancel_fd_fixed_of_unregistered_slot_gets_ebadf)
{
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_ASYNC_CANCEL_FD_FIXED",
			"io_uring_enter(2) EBADF; io_uring/cancel.c");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_FD_FIXED();
	ASSERT_EQ(0, uring_two_polls_start(&t, true, TAG_A, TAG_B));
	queue_cancel(&t.ring, 0, IORING_ASYNC_CANCEL_FD |
		     IORING_ASYNC_CANCEL_FD_FIXED, 7, 0);
	expect_only_cancel_cqe(_metadata, &t.ring, -EBADF);
	uring_two_polls_end(&t);
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY: "Match any request in
 * the ring, regardless of user_data or file descriptor"; it cancels every
 * pending request and the result counts them (since 5.19): 2, and both
 * polls end with -ECANCELED.
 */
TEST(cancel_any_cancels_every_pending_request_and_counts)
{
	const __u64 tags[3] = { TAG_A, TAG_B, TAG_CANCEL };
	struct uring_two_polls t;
	int res[3] = { 1, 1, 1 };

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_ANY();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	queue_cancel(&t.ring, 0, IORING_ASYNC_CANCEL_ANY, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&t.ring));
	ASSERT_EQ(0, uring_reap_tagged(&t.ring, 3, tags, res));
	EXPECT_EQ(2, res[2]);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	uring_two_polls_end(&t);
}

/*
 * io_uring_prep_cancel(3): "If flags are used to match multiple requests,
 * then a positive value is returned indicating how many requests were
 * found"; with nothing pending that count is 0, not -ENOENT (kernel
 * io_uring/cancel.c __io_async_cancel() returns the count for ALL and ANY;
 * since 5.19).
 */
TEST(cancel_any_with_nothing_pending_counts_zero)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) count; io_uring/cancel.c "
			"__io_async_cancel()");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_ANY();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_cancel(&ring, 0, IORING_ASYNC_CANCEL_ANY, 0, 0);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_CANCEL, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_cancel(3) -EINVAL, "One of the fields set in the SQE was
 * invalid": IORING_ASYNC_CANCEL_FD together with IORING_ASYNC_CANCEL_ANY,
 * two keys that exclude each other (kernel io_uring/cancel.c, since 5.19).
 */
TEST(cancel_fd_with_any_gets_einval)
{
	struct uring_two_polls t;

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) -EINVAL; io_uring/cancel.c");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_ANY();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	queue_cancel(&t.ring, 0, IORING_ASYNC_CANCEL_FD |
		     IORING_ASYNC_CANCEL_ANY, t.p1[0], 0);
	expect_only_cancel_cqe(_metadata, &t.ring, -EINVAL);
	uring_two_polls_end(&t);
}

/*
 * <linux/io_uring.h> (6.6): "IORING_ASYNC_CANCEL_OP Match request based
 * on opcode", the opcode given in len (since 6.6). A pending poll and a
 * pending 10 s timeout; OP|ALL for IORING_OP_POLL_ADD cancels only the poll
 * (count 1, poll -ECANCELED); the timeout stays pending. (Debian 6.1.19x
 * takes the flag, but its poll cancel ignores the opcode key: it fails
 * here and in the next test, a kernel deviation.)
 */
TEST(cancel_op_cancels_only_requests_of_that_opcode)
{
	const __u64 tags[2] = { TAG_A, TAG_CANCEL };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fds[2], res[2] = { 1, 1 };

	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_OP();
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	queue_poll(&ring, fds[0], TAG_A);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &long_ts, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_B);
	ASSERT_EQ(2, io_uring_submit(&ring));
	queue_cancel(&ring, 0, REF_IORING_ASYNC_CANCEL_OP | IORING_ASYNC_CANCEL_ALL,
		     0, IORING_OP_POLL_ADD);
	ASSERT_EQ(1, io_uring_submit(&ring));
	reap_tagged_partial(&ring, 2, tags, res);
	EXPECT_EQ(1, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * <linux/io_uring.h> (6.6): "IORING_ASYNC_CANCEL_USERDATA Match on
 * user_data, default for no other key"; given with OP, both keys must
 * match (since 6.6). Two polls; the cancel names the opcode and TAG_B: only
 * that one is cancelled (0, -ECANCELED), the other stays.
 */
TEST(cancel_op_with_userdata_needs_both_to_match)
{
	const __u64 tags[2] = { TAG_B, TAG_CANCEL };
	struct uring_two_polls t;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_USERDATA",
			"linux/io_uring.h IORING_ASYNC_CANCEL_USERDATA");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_OP();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	queue_cancel(&t.ring, TAG_B, REF_IORING_ASYNC_CANCEL_OP |
		     REF_IORING_ASYNC_CANCEL_USERDATA, 0, IORING_OP_POLL_ADD);
	ASSERT_EQ(1, io_uring_submit(&t.ring));
	reap_tagged_partial(&t.ring, 2, tags, res);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&t.ring));
	uring_two_polls_end(&t);
}

/*
 * The same key pair with an opcode that no pending request has
 * (IORING_OP_TIMEOUT) and a user_data that one has: no match, so
 * io_uring_prep_cancel(3)'s -ENOENT, "could not be located" (since 6.6).
 */
TEST(cancel_op_with_userdata_of_other_opcode_gets_enoent)
{
	struct uring_two_polls t;

	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"io_uring_prep_cancel(3) -ENOENT");
	CONFORM_REQUIRE_URING();
	REQUIRE_CANCEL_OP();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	queue_cancel(&t.ring, TAG_A, REF_IORING_ASYNC_CANCEL_OP |
		     REF_IORING_ASYNC_CANCEL_USERDATA, 0, IORING_OP_TIMEOUT);
	expect_only_cancel_cqe(_metadata, &t.ring, -ENOENT);
	uring_two_polls_end(&t);
}

TEST_HARNESS_MAIN
