// SPDX-License-Identifier: MIT
/*
 * aio/cancel: io_cancel(2) and the cancellation done by io_destroy(2), through
 * the raw system calls and <linux/aio_abi.h>. Only IOCB_CMD_POLL registers a
 * cancel method in Linux: cancelling it reports EINPROGRESS and its event is
 * then delivered through the ring, never through io_cancel's result argument;
 * reads and writes cannot be cancelled (EINVAL).
 * Sources: io_cancel(2), io_destroy(2), fs/aio.c io_cancel() ("The result
 * argument is no longer used - the io_event is always delivered via the ring
 * buffer"; since 4.19/5.0 with IOCB_CMD_POLL from 4.18), DESIGN.md section 7.
 * io_cancel(2) lists EAGAIN for "not canceled"; the kernel gives EINVAL.
 */
#include <poll.h>

#include "conform.h"

CONFORM_SINCE("4.18", "io_cancel of IOCB_CMD_POLL");

static long sys_io_setup(unsigned int nr, aio_context_t *ctx)
{
	return syscall(__NR_io_setup, nr, ctx);
}

static long sys_io_destroy(aio_context_t ctx)
{
	return syscall(__NR_io_destroy, ctx);
}

static long sys_io_submit(aio_context_t ctx, long nr, struct iocb **list)
{
	return syscall(__NR_io_submit, ctx, nr, list);
}

static long sys_io_getevents(aio_context_t ctx, long min_nr, long nr,
			     struct io_event *ev, struct timespec *ts)
{
	return syscall(__NR_io_getevents, ctx, min_nr, nr, ev, ts);
}

static long sys_io_cancel(aio_context_t ctx, struct iocb *cb,
			  struct io_event *result)
{
	return syscall(__NR_io_cancel, ctx, cb, result);
}

static void prep_poll(struct iocb *cb, int fd, unsigned int events)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = IOCB_CMD_POLL;
	cb->aio_fildes = fd;
	cb->aio_buf = events;
}

/* NULL if io_submit accepts IOCB_CMD_POLL (4.18); else why not. */
static const char *aio_poll_missing(void)
{
	static char why[128];
	struct timespec bound = { .tv_sec = 1 };
	aio_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	long ret = -1;
	int p[2], err = 0;

	if (conform_aio_unavailable())
		return conform_aio_unavailable();
	if (conform_pipe(p) || write(p[1], "x", 1) != 1)
		return "cannot make a pipe for the IOCB_CMD_POLL probe";
	if (sys_io_setup(1, &ctx) == 0) {
		prep_poll(&cb, p[0], POLLIN);
		ret = sys_io_submit(ctx, 1, list);
		err = errno;
		if (ret == 1)
			sys_io_getevents(ctx, 1, 1, &ev, &bound);
		sys_io_destroy(ctx);
	} else {
		err = errno;
	}
	close(p[0]);
	close(p[1]);
	if (ret == 1)
		return NULL;
	snprintf(why, sizeof(why), "io_submit(IOCB_CMD_POLL): %s%s",
		 strerror(err),
		 err == EINVAL ? " (opcode not supported: kernel before 4.18)" : "");
	return why;
}

/*
 * fs/aio.c io_cancel(): cancelling a pending IOCB_CMD_POLL returns
 * -EINPROGRESS (the raw call: -1 with errno EINPROGRESS), meaning the
 * cancellation is under way and the event will come through the ring
 * (since 4.18; DESIGN.md section 7).
 */
TEST(cancel_of_pending_poll_gets_einprogress)
{
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event result, ev;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_REQUIRE(aio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	prep_poll(&cb, p[0], POLLIN);
	ASSERT_EQ(1, sys_io_submit(ctx, 1, list));
	errno = 0;
	EXPECT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINPROGRESS, errno);
	/* Reap the cancelled request before tearing down. */
	EXPECT_EQ(1, sys_io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(0, sys_io_destroy(ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c: a cancelled IOCB_CMD_POLL still completes through
 * io_getevents(2), with the iocb's obj and data and res 0 (no events: the
 * poll mask is not evaluated once cancelled), and nothing is written into
 * io_cancel's result argument (since 4.18).
 */
TEST(cancelled_poll_completes_through_getevents_with_res_zero)
{
	const __u64 tag = 0x0123456789abcdefULL;
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event result, ev, untouched;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_REQUIRE(aio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = tag;
	ASSERT_EQ(1, sys_io_submit(ctx, 1, list));
	memset(&result, 0x5a, sizeof(result));
	untouched = result;
	ASSERT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	ASSERT_EQ(EINPROGRESS, errno);
	ASSERT_EQ(1, sys_io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ((__u64)(unsigned long)&cb, ev.obj);
	EXPECT_EQ(tag, ev.data);
	EXPECT_EQ(0, ev.res);
	EXPECT_EQ(0, memcmp(&result, &untouched, sizeof(result)));
	EXPECT_EQ(0, sys_io_destroy(ctx));
	close(p[0]);
	close(p[1]);
}

/* fs/aio.c io_cancel(): a request already cancelled is no longer active, so a second io_cancel gets EINVAL (since 4.18). */
TEST(second_cancel_of_poll_gets_einval)
{
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event result, ev;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_REQUIRE(aio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	prep_poll(&cb, p[0], POLLIN);
	ASSERT_EQ(1, sys_io_submit(ctx, 1, list));
	ASSERT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	ASSERT_EQ(EINPROGRESS, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, sys_io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(0, sys_io_destroy(ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * DESIGN.md section 7, fs/aio.c: reads and writes cannot be cancelled: an
 * IOCB_CMD_PREAD on a regular file gets EINVAL from io_cancel (io_cancel(2)
 * documents EAGAIN for "not canceled", Linux returns EINVAL) (since 2.6).
 */
TEST(cancel_of_read_gets_einval)
{
	static char buf[4096];
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event result, ev;
	aio_context_t ctx = 0;
	int fd;

	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(sizeof(buf), 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	memset(&cb, 0, sizeof(cb));
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_fildes = fd;
	cb.aio_buf = (__u64)(unsigned long)buf;
	cb.aio_nbytes = sizeof(buf);
	ASSERT_EQ(1, sys_io_submit(ctx, 1, list));
	errno = 0;
	EXPECT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	/* The read is unaffected and completes normally. */
	ASSERT_EQ(1, sys_io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(sizeof(buf), (size_t)ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	EXPECT_EQ(0, sys_io_destroy(ctx));
	close(fd);
}

/* fs/aio.c io_cancel(): an iocb that was never submitted is not found: EINVAL (since 2.6). */
TEST(cancel_of_unsubmitted_iocb_gets_einval)
{
	struct iocb cb;
	struct io_event result;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	prep_poll(&cb, p[0], POLLIN);
	errno = 0;
	EXPECT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, sys_io_destroy(ctx));
	close(p[0]);
	close(p[1]);
}

/* io_cancel(2) ERRORS: EINVAL "The AIO context specified by ctx_id is invalid" (a destroyed context) (since 2.5). */
TEST(cancel_on_destroyed_ctx_gets_einval)
{
	struct iocb cb;
	struct io_event result;
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	ASSERT_EQ(0, sys_io_destroy(ctx));
	prep_poll(&cb, p[0], POLLIN);
	errno = 0;
	EXPECT_EQ(-1, sys_io_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(p[1]);
}

/*
 * io_destroy(2): "will attempt to cancel all outstanding asynchronous I/O
 * operations": a poll pending on an empty pipe (which would never complete)
 * is cancelled and io_destroy returns 0 (poll since 4.18).
 */
TEST(destroy_cancels_pending_poll)
{
	struct iocb cb, *list[1] = { &cb };
	aio_context_t ctx = 0;
	int p[2];

	CONFORM_REQUIRE(aio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, sys_io_setup(4, &ctx));
	prep_poll(&cb, p[0], POLLIN);
	ASSERT_EQ(1, sys_io_submit(ctx, 1, list));
	EXPECT_EQ(0, sys_io_destroy(ctx));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
