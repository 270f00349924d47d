// SPDX-License-Identifier: MIT
/*
 * uring/timeout: IORING_OP_TIMEOUT (expiry, completion count),
 * IORING_OP_TIMEOUT_REMOVE, IORING_OP_LINK_TIMEOUT on a read that waits
 * on an empty pipe or that completes first, and the -EINVAL of a TIMEOUT or
 * LINK_TIMEOUT whose len is not 1. Timeouts are either short and
 * meant to expire, or long (10 s) and meant never to; waits are bounded.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_TIMEOUT = 1, TAG_OTHER = 2, TAG_REMOVE = 3 };

/* Never reached in a passing run: the tests end long before. */
static struct __kernel_timespec long_ts = { .tv_sec = 10 };
/* Meant to expire. */
static struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };

static void queue_timeout(struct io_uring *ring, struct __kernel_timespec *ts,
			  unsigned int count, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, ts, count, 0);
	io_uring_sqe_set_data64(sqe, tag);
}

/* Submits a read of fd linked to a timeout of ts; reaps both into res. */
static void run_read_with_link_timeout(struct __test_metadata *_metadata,
				       struct io_uring *ring, int fd, char *buf,
				       unsigned int len,
				       struct __kernel_timespec *ts, int res[2])
{
	const __u64 tags[2] = { TAG_OTHER, TAG_TIMEOUT };
	struct io_uring_sqe *sqe;

	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, TAG_OTHER);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, ts, 0);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	ASSERT_EQ(2, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: with a count of 0 it "acts like a
 * timer"; completed "through expiration of the timer" it ends with -ETIME
 * (since 5.4).
 */
TEST(timeout_without_completions_expires_with_etime)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT: -ETIME on expiry");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(&ring, &short_ts, 0, TAG_TIMEOUT);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_TIMEOUT, cqe.user_data);
	EXPECT_EQ(-ETIME, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: off holds a completion count; when
 * that many other requests complete first, the timeout ends with res 0,
 * "completed through requests completing on their own" (since 5.4).
 * Count 1, a 10 s timer, then one NOP: both complete long before the timer
 * could expire (each wait is bounded to 2 s).
 */
TEST(timeout_with_count_completes_zero_after_count_cqes)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_OTHER };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT: completion count in off");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(&ring, &long_ts, 1, TAG_TIMEOUT);
	ASSERT_EQ(1, io_uring_submit(&ring));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, TAG_OTHER);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(0, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE: a timeout "found and canceled
 * successfully" gives the remove res 0; IORING_OP_TIMEOUT: "If the timeout
 * was canceled before it expired, the request will complete with
 * -ECANCELED" (since 5.5).
 */
TEST(timeout_remove_cancels_pending_timeout)
{
	const __u64 tags[2] = { TAG_TIMEOUT, TAG_REMOVE };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.5", "IORING_OP_TIMEOUT_REMOVE",
			"io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(&ring, &long_ts, 0, TAG_TIMEOUT);
	ASSERT_EQ(1, io_uring_submit(&ring));
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
 * io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE: "If the timeout request wasn't
 * found, the request will terminate with a result value of -ENOENT"
 * (since 5.5).
 */
TEST(timeout_remove_of_unknown_gets_enoent)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.5", "IORING_OP_TIMEOUT_REMOVE",
			"io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE: -ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout_remove(sqe, 0x5eed, 0);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_REMOVE, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timer cancels the linked
 * request, and the timeout "will complete with -ETIME if the timer expired
 * and the linked request was attempted canceled"; the cancelled read ends
 * with -ECANCELED (LINK_TIMEOUT since 5.5; the read is IORING_OP_READ,
 * so 5.6). The read waits on an empty pipe.
 */
TEST(link_timeout_expiry_cancels_waiting_read)
{
	struct io_uring ring;
	int fds[2], res[2] = { 1, 1 };
	char buf[16];

	CONFORM_DECLARE("5.6", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT: -ETIME, linked request -ECANCELED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	run_read_with_link_timeout(_metadata, &ring, fds[0], buf, sizeof(buf),
				   &short_ts, res);
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-ETIME, res[1]);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes with
 * "-ECANCELED if the timer got canceled because of completion of the linked
 * request" (LINK_TIMEOUT since 5.5; the read is IORING_OP_READ, so 5.6).
 * The pipe holds data, so the read finishes first.
 */
TEST(link_timeout_cancelled_when_linked_read_completes)
{
	struct io_uring ring;
	int fds[2], res[2] = { 1, 1 };
	char buf[16];

	CONFORM_DECLARE("5.6", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT: -ECANCELED when the linked request completes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(5, write(fds[1], "hello", 5));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	run_read_with_link_timeout(_metadata, &ring, fds[0], buf, sizeof(buf),
				   &long_ts, res);
	EXPECT_EQ(5, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Submit one IORING_OP_TIMEOUT of ts (count 0) whose len is len and reap it:
 * its res, or INT_MIN when it did not run.
 */
static int run_timeout_with_len(struct io_uring *ring,
				struct __kernel_timespec *ts, unsigned int len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, ts, 0, 0);
	sqe->len = len;
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	return uring_submit_res(ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: "len must contain 1 to signify one
 * timespec64 structure"; a timeout whose len is anything else completes
 * with -EINVAL, the prep of the timeout checking len != 1 since the opcode
 * came in 5.4 (commit 5262f567987d "io_uring: IORING_OP_TIMEOUT support").
 * len 0 and len 2, each with a 10 ms timer: a kernel that took either
 * would end it with -ETIME instead.
 */
TEST(timeout_with_len_other_than_one_gets_einval)
{
	static const unsigned int bad_len[] = { 0, 2 };
	struct io_uring ring;

	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT: len must contain 1; "
			"commit 5262f567987d (5.4)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	for (unsigned int i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++) {
		TH_LOG("len %u", bad_len[i]);
		EXPECT_EQ(-EINVAL, run_timeout_with_len(&ring, &short_ts,
							bad_len[i]));
	}
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: "The format of the command is
 * otherwise like IORING_OP_TIMEOUT", whose len "must contain 1"; a link
 * timeout with another len completes with -EINVAL, checked since the
 * opcode came in 5.5 (commit 2665abfd757f "io_uring: add support for linked
 * SQE timeouts"). len 0 and len 2, each linked behind a NOP and with a
 * 10 ms timer: a kernel that took either would end it with -ECANCELED or
 * -ETIME instead. The refused SQE breaks the chain and the NOP completes
 * with -ECANCELED, which
 * uring/link:later_sqe_failing_submission_cancels_link_head asserts; here
 * it is only reaped.
 */
TEST(link_timeout_with_len_other_than_one_gets_einval)
{
	static const unsigned int bad_len[] = { 0, 2 };
	const __u64 tags[2] = { TAG_OTHER, TAG_TIMEOUT };
	struct io_uring_sqe *sqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT: format like "
			"IORING_OP_TIMEOUT, len must contain 1; commit 2665abfd757f (5.5)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	for (unsigned int i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++) {
		int res[2] = { 1, 1 };

		TH_LOG("len %u", bad_len[i]);
		ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_OTHER, IOSQE_IO_LINK));
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_link_timeout(sqe, &short_ts, 0);
		sqe->len = bad_len[i];
		io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
		ASSERT_EQ(2, io_uring_submit(&ring));
		ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
		TH_LOG("linked NOP: %d", res[0]);
		EXPECT_EQ(-EINVAL, res[1]);
	}
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
