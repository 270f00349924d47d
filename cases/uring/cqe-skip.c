// SPDX-License-Identifier: MIT
/*
 * uring/cqe-skip: IOSQE_CQE_SKIP_SUCCESS (Linux 5.17, IORING_FEAT_CQE_SKIP):
 * no CQE for a request that succeeds, a CQE as usual for one that fails,
 * the CQEs of a chain after a failed skipping request left out (unless hard
 * linked), a linked timeout that carries the flag never posting, and
 * IOSQE_IO_DRAIN refused once the flag has been used on the ring.
 * Failing request: IORING_OP_ASYNC_CANCEL of a user_data nothing carries
 * (-ENOENT, io_uring_prep_cancel(3), since 5.5).
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_A = 1, TAG_B = 2, TAG_C = 3, TAG_TIMEOUT = 4 };

#define REQUIRE_CQE_SKIP() CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CQE_SKIP)

/* A request that fails when it runs: a cancel that finds nothing. */
static void queue_failing(struct io_uring *ring, __u64 tag, unsigned char flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_cancel64(sqe, 0x5eed5eedULL, 0);
	io_uring_sqe_set_data64(sqe, tag);
	sqe->flags |= flags;
}

/* Queue a read of fd (TAG_A) linked to a timeout ts (TAG_TIMEOUT) that skips its CQE. */
static void queue_read_with_skipping_timeout(struct io_uring *ring, int fd,
					     char *buf, unsigned int len,
					     struct __kernel_timespec *ts)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, TAG_A);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_link_timeout(sqe, ts, 0);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
}

/* Submit the n queued SQEs: exactly one CQE comes, tag's with res, and no more. */
static void submit_expect_only_cqe(struct __test_metadata *_metadata,
				   struct io_uring *ring, int n, __u64 tag,
				   int res)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(n, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_one(ring, &cqe));
	EXPECT_EQ(tag, cqe.user_data);
	EXPECT_EQ(res, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(ring));
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS: "Don't generate a CQE if the
 * request completes successfully" (since 5.17). A skipping NOP and a plain
 * NOP: only the plain one's CQE comes, and nothing after it.
 */
TEST(successful_request_with_skip_posts_no_cqe)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_queue_nop(&ring, TAG_A, IOSQE_CQE_SKIP_SUCCESS);
	uring_queue_nop(&ring, TAG_B, 0);
	submit_expect_only_cqe(_metadata, &ring, 2, TAG_B, 0);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS: "If the request fails, an
 * appropriate CQE will be posted as usual" (since 5.17): the failing cancel
 * posts its -ENOENT.
 */
TEST(failed_request_with_skip_still_posts_cqe)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS failed "
			"request posts a CQE");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_failing(&ring, TAG_A, IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_A, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS: "when all but the last request
 * of a normal link without linked timeouts are marked with the flag, only
 * one CQE per link is posted" (since 5.17). Three linked NOPs, the first
 * two skipping: one CQE, the last NOP's.
 */
TEST(skip_on_all_but_last_of_chain_gives_one_cqe)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS one CQE per "
			"link");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_queue_nop(&ring, TAG_A, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	uring_queue_nop(&ring, TAG_B, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	uring_queue_nop(&ring, TAG_C, 0);
	submit_expect_only_cqe(_metadata, &ring, 3, TAG_C, 0);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS: if the request fails, its CQE
 * is posted "and if there is no IOSQE_IO_HARDLINK, CQEs for all linked
 * requests will be omitted" (since 5.17). A failing skipping head and two
 * linked NOPs (cancelled by the broken chain): one CQE, the head's.
 */
TEST(failed_skip_head_omits_cqes_of_rest_of_chain)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS CQEs of "
			"linked requests omitted");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_failing(&ring, TAG_A, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	uring_queue_nop(&ring, TAG_B, IOSQE_IO_LINK);
	uring_queue_nop(&ring, TAG_C, 0);
	submit_expect_only_cqe(_metadata, &ring, 3, TAG_A, -ENOENT);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS with IOSQE_IO_HARDLINK: the hard
 * link is not severed by the failure, so the NOP after the failing skipping
 * head runs and posts its own CQE: two CQEs, -ENOENT then 0 (since 5.17).
 */
TEST(failed_skip_head_of_hardlink_lets_next_run_and_post)
{
	const __u64 tags[2] = { TAG_A, TAG_B };
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS with "
			"IOSQE_IO_HARDLINK");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_failing(&ring, TAG_A, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_HARDLINK);
	uring_queue_nop(&ring, TAG_B, 0);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(-ENOENT, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS: "if a linked timeout has the
 * flag set, it's guaranteed to not post a CQE ... regardless whether it
 * timed out or was canceled" (since 5.17). A read of an empty pipe with a
 * skipping 10 ms link timeout: the read ends -ECANCELED, and that is the
 * only CQE.
 */
TEST(expired_link_timeout_with_skip_posts_no_cqe)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	struct io_uring ring;
	int fds[2];
	char buf[16];

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked "
			"timeout");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_with_skipping_timeout(&ring, fds[0], buf, sizeof(buf), &ts);
	submit_expect_only_cqe(_metadata, &ring, 2, TAG_A, -ECANCELED);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * The same for a link timeout cancelled because its request finished first
 * (io_uring_enter(2), as above; since 5.17): the read of 5 waiting bytes
 * posts 5, and the skipping link timeout posts nothing.
 */
TEST(cancelled_link_timeout_with_skip_posts_no_cqe)
{
	struct __kernel_timespec ts = { .tv_sec = 10 };
	struct io_uring ring;
	int fds[2];
	char buf[16];

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked "
			"timeout");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(5, write(fds[1], "hello", 5));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_with_skipping_timeout(&ring, fds[0], buf, sizeof(buf), &ts);
	submit_expect_only_cqe(_metadata, &ring, 2, TAG_A, 5);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS: "after the first request with
 * IOSQE_CQE_SKIP_SUCCESS, all subsequent requests marked with drain will be
 * failed at submission time" (best effort, the page warns); the kernel
 * (io_uring.c io_init_req, since 5.17) fails them with -EOPNOTSUPP.
 */
TEST(drain_after_skip_on_same_ring_fails_eopnotsupp)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS drain; "
			"io_uring.c io_init_req()");
	REQUIRE_CQE_SKIP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_queue_nop(&ring, TAG_A, IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(1, io_uring_submit(&ring));
	uring_queue_nop(&ring, TAG_B, IOSQE_IO_DRAIN);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_B, cqe.user_data);
	EXPECT_EQ(-EOPNOTSUPP, cqe.res);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
