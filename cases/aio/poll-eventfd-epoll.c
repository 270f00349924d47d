// SPDX-License-Identifier: MIT
/*
 * aio/poll-eventfd-epoll: IOCB_CMD_POLL, the one-shot poll of Linux native
 * AIO, aimed at the two other event interfaces: an eventfd (readable while
 * the counter is above 0, writable while a write of 1 would not block) and
 * an epoll instance (readable while one of its entries is ready); and a
 * poll that itself signals an eventfd through IOCB_FLAG_RESFD. Raw system
 * calls and <linux/aio_abi.h>; the event's res is the poll(2) revents,
 * limited to the requested events plus POLLERR and POLLHUP.
 * Sources: io_submit(2) IOCB_CMD_POLL (since 4.19, commit bfe4037e722e; the
 * man page says 4.18, whose version was reverted before release), eventfd(2),
 * epoll(7).
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "conform_aio.h"

enum { POLL_TAG = 0x9011 };

/* The largest value an eventfd counter holds (eventfd(2)). */
#define EFD_MAX 0xfffffffffffffffeULL

/*
 * Reap the poll submitted with aio_submit_pending() (tagged POLL_TAG) and
 * destroy ctx; its event must name cb and the tag. Returns the event's
 * res, or LLONG_MIN when none came.
 */
static long long reap_poll(struct __test_metadata *_metadata,
			   aio_context_t ctx, struct iocb *cb)
{
	struct io_event ev;

	if (!aio_reap_and_destroy(_metadata, ctx, &ev))
		return LLONG_MIN;
	EXPECT_EQ(POLL_TAG, ev.data);
	EXPECT_EQ((__u64)(unsigned long)cb, ev.obj);
	return ev.res;
}

/*
 * eventfd(2): the fd is readable (POLLIN) while the counter is greater than
 * 0. IOCB_CMD_POLL for POLLIN on an eventfd holding 1 completes at once with
 * res POLLIN: the POLLOUT it also shows was not asked for (since 4.19).
 */
TEST(pollin_on_nonzero_eventfd_completes_with_pollin)
{
	struct iocb cb;
	struct io_event ev;
	int efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL); eventfd(2) readable while the counter is above 0");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, efd = eventfd(1, EFD_CLOEXEC));
	aio_prep_poll(&cb, efd, POLLIN);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(POLLIN, ev.res);
	close(efd);
}

/*
 * eventfd(2): a write makes a zero counter nonzero and the fd readable;
 * io_submit(2) IOCB_CMD_POLL waits for that: pending while the counter is 0,
 * completed with POLLIN by the write (since 4.19).
 */
TEST(pollin_on_zero_eventfd_completes_when_written)
{
	uint64_t one = 1;
	aio_context_t ctx;
	struct iocb cb;
	int efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL); eventfd(2) write makes the fd readable");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	aio_prep_poll(&cb, efd, POLLIN);
	cb.aio_data = POLL_TAG;
	aio_submit_pending(_metadata, &ctx, &cb);
	ASSERT_EQ(8, write(efd, &one, sizeof(one)));
	EXPECT_EQ(POLLIN, reap_poll(_metadata, ctx, &cb));
	close(efd);
}

/*
 * eventfd(2): the fd is writable (POLLOUT) while a value of at least 1 can
 * be written without blocking, so a zero counter completes a POLLOUT poll
 * at once with res POLLOUT (since 4.19).
 */
TEST(pollout_on_zero_eventfd_completes_with_pollout)
{
	struct iocb cb;
	struct io_event ev;
	int efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL); eventfd(2) writable while a write of 1 fits");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	aio_prep_poll(&cb, efd, POLLOUT | POLLIN);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(POLLOUT, ev.res);
	close(efd);
}

/*
 * eventfd(2): at the maximum counter 0xfffffffffffffffe the fd is not
 * writable; a read (which resets the counter) makes it writable again. A
 * POLLOUT poll stays pending until that read, then completes with POLLOUT
 * (since 4.19).
 */
TEST(pollout_on_full_eventfd_completes_when_read)
{
	uint64_t val = EFD_MAX;
	aio_context_t ctx;
	struct iocb cb;
	int efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL); eventfd(2) not writable at the maximum");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_EQ(8, write(efd, &val, sizeof(val)));
	aio_prep_poll(&cb, efd, POLLOUT);
	cb.aio_data = POLL_TAG;
	aio_submit_pending(_metadata, &ctx, &cb);
	ASSERT_EQ(8, read(efd, &val, sizeof(val)));
	EXPECT_EQ(EFD_MAX, val);
	EXPECT_EQ(POLLOUT, reap_poll(_metadata, ctx, &cb));
	close(efd);
}

/*
 * io_submit(2) IOCB_FLAG_RESFD applies to every opcode, the poll included:
 * the completion of a poll on one eventfd adds 1 to the counter of the
 * eventfd named in aio_resfd, which stays 0 while the poll is pending
 * (IOCB_FLAG_RESFD since 2.6.22, IOCB_CMD_POLL since 4.19).
 */
TEST(poll_completion_signals_its_resfd_eventfd)
{
	uint64_t val = 1;
	aio_context_t ctx;
	struct iocb cb;
	int efd, resfd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_FLAG_RESFD (2.6.22) on IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL)");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_LE(0, resfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	aio_prep_poll(&cb, efd, POLLIN);
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = resfd;
	cb.aio_data = POLL_TAG;
	aio_submit_pending(_metadata, &ctx, &cb);
	EXPECT_EQ(-1, read(resfd, &val, sizeof(val)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(8, write(efd, &val, sizeof(val)));
	EXPECT_EQ(POLLIN, reap_poll(_metadata, ctx, &cb));
	val = 0;
	EXPECT_EQ(8, read(resfd, &val, sizeof(val)));
	EXPECT_EQ(1, val);
	close(resfd);
	close(efd);
}

/*
 * epoll(7): an epoll fd is itself pollable and readable while one of its
 * entries is ready; IOCB_CMD_POLL on it (since 4.19) completes at once with
 * POLLIN when a watched pipe holds data.
 */
TEST(pollin_on_epoll_fd_with_ready_entry_completes_with_pollin)
{
	struct iocb cb;
	struct io_event ev;
	int ep, p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL); epoll(7) an epoll fd is readable while an entry is ready");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, p[0],
			       &(struct epoll_event){ .events = EPOLLIN }));
	ASSERT_EQ(1, write(p[1], "e", 1));
	aio_prep_poll(&cb, ep, POLLIN);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(POLLIN, ev.res);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll(7) and io_submit(2) IOCB_CMD_POLL (since 4.19): a poll on an epoll
 * fd with nothing ready stays pending, and completes with POLLIN once a
 * watched fd turns ready; the entry's own readiness is left for epoll_wait
 * to report.
 */
TEST(pollin_on_idle_epoll_fd_completes_when_entry_turns_ready)
{
	struct epoll_event out;
	aio_context_t ctx;
	struct iocb cb;
	int ep, p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL); epoll(7) an epoll fd turns readable when an entry does");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, p[0],
			       &(struct epoll_event){ .events = EPOLLIN,
						      .data.u64 = 0xe0 }));
	aio_prep_poll(&cb, ep, POLLIN);
	cb.aio_data = POLL_TAG;
	aio_submit_pending(_metadata, &ctx, &cb);
	ASSERT_EQ(1, write(p[1], "e", 1));
	EXPECT_EQ(POLLIN, reap_poll(_metadata, ctx, &cb));
	ASSERT_EQ(1, epoll_wait(ep, &out, 1, 0));
	EXPECT_EQ(EPOLLIN, out.events);
	EXPECT_EQ(0xe0, out.data.u64);
	close(ep);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
