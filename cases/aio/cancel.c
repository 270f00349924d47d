// SPDX-License-Identifier: MIT
/*
 * aio/cancel: io_cancel(2) and the cancellation done by io_destroy(2), through
 * the raw system calls and <linux/aio_abi.h>. Only IOCB_CMD_POLL registers a
 * cancel method in Linux: cancelling it reports EINPROGRESS and its event is
 * then delivered through the ring, never through io_cancel's result argument;
 * reads and writes cannot be cancelled (EINVAL).
 * Sources: io_cancel(2), io_destroy(2), fs/aio.c io_cancel() (the result
 * argument is no longer used, the io_event always comes through the ring;
 * IOCB_CMD_POLL since 4.19, commit bfe4037e722e: the 4.18 version was
 * reverted before that release), DESIGN.md section 7. io_cancel(2) lists
 * EAGAIN for "not canceled"; Linux gives EINVAL (since 2.6.14, patch
 * "change io_cancel return code for no cancel case"), which is asserted.
 */
#include <poll.h>

#include "conform_aio.h"

/* Make a pipe and a 4-event context, then submit a POLLIN poll (tagged data) on the empty read end. */
static void submit_poll_on_empty_pipe(struct __test_metadata *_metadata, int p[2],
				      aio_context_t *ctx, struct iocb *cb, __u64 data)
{
	struct iocb *list[1] = { cb };

	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, ctx));
	aio_prep_poll(cb, p[0], POLLIN);
	cb->aio_data = data;
	ASSERT_EQ(1, aio_sys_submit(*ctx, 1, list));
}

/* Destroy the context (expecting success) and close both ends of the pipe. */
static void destroy_ctx_and_close_pipe(struct __test_metadata *_metadata,
				       aio_context_t ctx, int p[2])
{
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c io_cancel(): cancelling a pending IOCB_CMD_POLL returns
 * -EINPROGRESS (the raw call: -1 with errno EINPROGRESS), meaning the
 * cancellation is under way and the event will come through the ring
 * (since 4.19; DESIGN.md section 7).
 */
TEST(cancel_of_pending_poll_gets_einprogress)
{
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb;
	struct io_event result, ev;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_cancel(): -EINPROGRESS, the event comes through the ring; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	submit_poll_on_empty_pipe(_metadata, p, &ctx, &cb, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINPROGRESS, errno);
	/* Reap the cancelled request before tearing down. */
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	destroy_ctx_and_close_pipe(_metadata, ctx, p);
}

/*
 * fs/aio.c: a cancelled IOCB_CMD_POLL still completes through
 * io_getevents(2), with the iocb's obj and data and res 0 (no events: the
 * poll mask is not evaluated once cancelled), and nothing is written into
 * io_cancel's result argument (since 4.19).
 */
TEST(cancelled_poll_completes_through_getevents_with_res_zero)
{
	const __u64 tag = 0x0123456789abcdefULL;
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb;
	struct io_event result, ev, untouched;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c aio_poll_complete_work(): a cancelled poll completes with mask 0 through the ring; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	submit_poll_on_empty_pipe(_metadata, p, &ctx, &cb, tag);
	memset(&result, 0x5a, sizeof(result));
	untouched = result;
	ASSERT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	ASSERT_EQ(EINPROGRESS, errno);
	ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ((__u64)(unsigned long)&cb, ev.obj);
	EXPECT_EQ(tag, ev.data);
	EXPECT_EQ(0, ev.res);
	EXPECT_EQ(0, memcmp(&result, &untouched, sizeof(result)));
	destroy_ctx_and_close_pipe(_metadata, ctx, p);
}

/* fs/aio.c io_cancel(): a request already cancelled is no longer active, so a second io_cancel gets EINVAL (since 4.19). */
TEST(second_cancel_of_poll_gets_einval)
{
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb;
	struct io_event result, ev;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_cancel(): a cancelled request is off active_reqs, EINVAL; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	submit_poll_on_empty_pipe(_metadata, p, &ctx, &cb, 0);
	ASSERT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	ASSERT_EQ(EINPROGRESS, errno);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	destroy_ctx_and_close_pipe(_metadata, ctx, p);
}

/*
 * DESIGN.md section 7, fs/aio.c: reads and writes cannot be cancelled: an
 * IOCB_CMD_PREAD on a regular file gets EINVAL from io_cancel (io_cancel(2)
 * documents EAGAIN for "not canceled", Linux returns EINVAL) (since 2.6.14;
 * 2.6.0-2.6.13 gave EAGAIN).
 */
TEST(cancel_of_read_gets_einval)
{
	static char buf[4096];
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event result, ev;
	aio_context_t ctx = 0;
	int fd;

	CONFORM_DECLARE("2.6.14", "io_cancel",
			"io_cancel(2) documents EAGAIN; Linux gives EINVAL since the patch change io_cancel return code for no cancel case (2005-09, 2.6.14)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(sizeof(buf), 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 0);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	/* The read is unaffected and completes normally. */
	ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(sizeof(buf), (size_t)ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/* fs/aio.c io_cancel(): an iocb that was never submitted is not found: EINVAL (since 2.6.14; EAGAIN before). */
TEST(cancel_of_unsubmitted_iocb_gets_einval)
{
	struct iocb cb;
	struct io_event result;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_DECLARE("2.6.14", "io_cancel",
			"io_cancel(2) documents EAGAIN; Linux gives EINVAL since the patch change io_cancel return code for no cancel case (2005-09, 2.6.14)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	destroy_ctx_and_close_pipe(_metadata, ctx, p);
}

/* io_cancel(2) ERRORS: EINVAL "The AIO context specified by ctx_id is invalid" (a destroyed context) (since 2.6). */
TEST(cancel_on_destroyed_ctx_gets_einval)
{
	struct iocb cb;
	struct io_event result;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_DECLARE("2.6", "io_cancel",
			"io_cancel(2) EINVAL: the AIO context specified by ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ASSERT_EQ(0, aio_sys_destroy(ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(p[1]);
}

/*
 * io_destroy(2): "will attempt to cancel all outstanding asynchronous I/O
 * operations": a poll pending on an empty pipe (which would never complete)
 * is cancelled and io_destroy returns 0 (poll since 4.19).
 */
TEST(destroy_cancels_pending_poll)
{
	struct iocb cb;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_destroy(2): cancels all outstanding operations; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	submit_poll_on_empty_pipe(_metadata, p, &ctx, &cb, 0);
	destroy_ctx_and_close_pipe(_metadata, ctx, p);
}

TEST_HARNESS_MAIN
