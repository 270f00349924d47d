// SPDX-License-Identifier: MIT
/*
 * aio/poll: IOCB_CMD_POLL, a one-shot poll(2) submitted through io_submit,
 * driven through libaio (io_prep_poll, io_submit, io_getevents; libaio
 * returns -errno instead of setting errno). The event's res is the revents
 * mask. Blocking is forced with empty or full pipes.
 *
 * A poll that completes from the file's wake-up reports the wake-up's event
 * bits (a pipe wakes readers with POLLIN|POLLRDNORM, writers with
 * POLLOUT|POLLWRNORM), one ready at submission reports the ready bits masked
 * by the request. Tests that wait therefore ask for both bits of the pair so
 * that either path gives the same exact result.
 * Sources: io_submit(2) (IOCB_CMD_POLL), kernel commit bfe4037e722e "aio:
 * implement IOCB_CMD_POLL" (Linux 4.19: a one-shot poll submitted through
 * io_submit, res is the poll mask; its 4.18 predecessor 2c14fa838cbe was
 * reverted by a11e1d432b51 before 4.18 was released; io_submit(2) says 4.18),
 * poll(2) for the revents bits.
 */
#include <libaio.h>
#include <poll.h>

#include "conform.h"

/*
 * NULL if io_submit accepts IOCB_CMD_POLL; else why not. Kernels before 4.19
 * reject the opcode with EINVAL. The libaio twin of aio_poll_missing() in
 * conform_aio.h, which raw-syscall cases use (that header cannot be
 * included together with <libaio.h>).
 */
static const char *libaio_poll_missing(void)
{
	static char why[128];
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	const char *aio_why = conform_aio_unavailable();
	int p[2], ret;

	if (aio_why)
		return aio_why;
	if (conform_pipe(p))
		return CONFORM_ENV "cannot make a pipe for the IOCB_CMD_POLL probe";
	if (write(p[1], "x", 1) != 1) {
		close(p[0]);
		close(p[1]);
		return CONFORM_ENV "cannot write the pipe for the IOCB_CMD_POLL probe";
	}
	ret = io_queue_init(1, &ctx);
	if (ret < 0) {
		close(p[0]);
		close(p[1]);
		snprintf(why, sizeof(why),
			 CONFORM_ENV "io_queue_init for the IOCB_CMD_POLL probe: %s",
			 strerror(-ret));
		return why;
	}
	io_prep_poll(&cb, p[0], POLLIN);
	ret = io_submit(ctx, 1, list);
	if (ret == 1)
		io_getevents(ctx, 1, 1, &ev, &bound);
	io_queue_release(ctx);
	close(p[0]);
	close(p[1]);
	if (ret == 1)
		return NULL;
	snprintf(why, sizeof(why), "io_submit(IOCB_CMD_POLL): %s%s",
		 strerror(-ret),
		 ret == -EINVAL ? " (opcode not supported)" : "");
	return why;
}

static int submit_poll(io_context_t ctx, struct iocb *cb, int fd, int events)
{
	struct iocb *list[1] = { cb };

	io_prep_poll(cb, fd, events);
	return io_submit(ctx, 1, list);
}

/* Release the libaio queue (expecting success) and close both pipe ends. */
static void release_queue_and_close_pipe(struct __test_metadata *_metadata,
					 io_context_t ctx, int p[2])
{
	EXPECT_EQ(0, io_queue_release(ctx));
	close(p[0]);
	close(p[1]);
}

/* bfe4037e722e (4.19): a poll whose condition already holds completes with res = the ready events, POLLIN for a pipe with data. */
TEST(poll_on_readable_pipe_completes_with_pollin)
{
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL; res is the ready mask");
	CONFORM_REQUIRE(libaio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	ASSERT_EQ(1, submit_poll(ctx, &cb, p[0], POLLIN));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(&cb, ev.obj);
	EXPECT_EQ(POLLIN, ev.res);
	release_queue_and_close_pipe(_metadata, ctx, p);
}

/* bfe4037e722e (4.19): a poll on an empty pipe stays pending, and completes with POLLIN|POLLRDNORM once data is written. */
TEST(poll_on_empty_pipe_completes_when_written)
{
	struct timespec zero = { 0 }, bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL; a pending poll completes on the wake-up");
	CONFORM_REQUIRE(libaio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	ASSERT_EQ(1, submit_poll(ctx, &cb, p[0], POLLIN | POLLRDNORM));
	EXPECT_EQ(0, io_getevents(ctx, 0, 1, &ev, &zero));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(&cb, ev.obj);
	EXPECT_EQ(POLLIN | POLLRDNORM, ev.res);
	release_queue_and_close_pipe(_metadata, ctx, p);
}

/*
 * poll(2): POLLHUP is reported in revents even when not asked for; IOCB_CMD_POLL
 * always adds POLLERR|POLLHUP to the requested events (bfe4037e722e, 4.19).
 * An empty pipe whose write end is closed gives exactly POLLHUP.
 */
TEST(poll_reports_unrequested_pollhup)
{
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c aio_poll() adds EPOLLERR and EPOLLHUP to the events; poll(2) POLLHUP; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	CONFORM_REQUIRE(libaio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	close(p[1]);
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	ASSERT_EQ(1, submit_poll(ctx, &cb, p[0], POLLIN));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(POLLHUP, ev.res);
	EXPECT_EQ(0, io_queue_release(ctx));
	close(p[0]);
}

/* bfe4037e722e (4.19): POLLOUT on a full pipe stays pending until a read makes room, then completes with POLLOUT|POLLWRNORM. */
TEST(pollout_on_full_pipe_completes_when_drained)
{
	static char page[4096];
	struct timespec zero = { 0 }, bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL; poll(2) POLLOUT");
	CONFORM_REQUIRE(libaio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LT(0, conform_fill_until_full(p[1]));
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	ASSERT_EQ(1, submit_poll(ctx, &cb, p[1], POLLOUT | POLLWRNORM));
	EXPECT_EQ(0, io_getevents(ctx, 0, 1, &ev, &zero));
	ASSERT_EQ(sizeof(page), read(p[0], page, sizeof(page)));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(POLLOUT | POLLWRNORM, ev.res);
	release_queue_and_close_pipe(_metadata, ctx, p);
}

/* bfe4037e722e (4.19): the poll is one-shot: after its completion no second event comes although the pipe stays readable. */
TEST(poll_is_one_shot)
{
	struct timespec zero = { 0 }, bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL; a one-shot poll");
	CONFORM_REQUIRE(libaio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	ASSERT_EQ(1, submit_poll(ctx, &cb, p[0], POLLIN | POLLRDNORM));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(POLLIN | POLLRDNORM, ev.res);
	/* More data, still readable: nothing else is queued. */
	ASSERT_EQ(1, write(p[1], "y", 1));
	EXPECT_EQ(0, io_getevents(ctx, 0, 1, &ev, &zero));
	release_queue_and_close_pipe(_metadata, ctx, p);
}

/*
 * bfe4037e722e (4.19), fs/aio.c aio_poll(): fields that have no meaning for
 * a poll must be zero: a nonzero aio_offset makes io_submit fail with EINVAL.
 */
TEST(poll_with_offset_gets_einval)
{
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c aio_poll(): aio_offset must be 0, EINVAL; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	CONFORM_REQUIRE(libaio_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	io_prep_poll(&cb, p[0], POLLIN);
	cb.u.c.offset = 4096;
	EXPECT_EQ(-EINVAL, io_submit(ctx, 1, list));
	release_queue_and_close_pipe(_metadata, ctx, p);
}

TEST_HARNESS_MAIN
