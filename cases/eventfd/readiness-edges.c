// SPDX-License-Identifier: MIT
/*
 * eventfd/readiness-edges: poll(2), select(2) and epoll(7) readiness of an
 * eventfd at the edges eventfd/poll and eventfd/epoll leave out. The
 * overflow state: write(2) stops at 0xfffffffffffffffe, but a kernel
 * signal (here the completion of a Linux native AIO request with
 * IOCB_FLAG_RESFD) may take the counter to 0xffffffffffffffff, which
 * poll(2) reports as POLLERR (with POLLIN, without POLLOUT), select(2) as
 * readable and writable, and epoll(7) as EPOLLERR even when not asked for;
 * a read clears it, a semaphore read leaves the counter full, a write even
 * of 0 cannot go in. And the wake-ups: every read is an EPOLLOUT edge, the
 * signal that overflows is an EPOLLIN edge, a poll(2) blocked for POLLOUT
 * on a full counter returns when a read makes room.
 * Sources: eventfd(2) ("poll(2), select(2) (and similar)": POLLERR and
 * select's readable and writable on overflow, "possible ... if 2^64 eventfd
 * signal posts were performed by the KAIO subsystem"), kernel fs/eventfd.c
 * (eventfd_signal: "we allow the counter to reach the ULLONG_MAX value, and
 * we signal this as overflow condition by returning a EPOLLERR to
 * poll(2)"), io_submit(2) IOCB_FLAG_RESFD, epoll_ctl(2) EPOLLERR, epoll(7).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/select.h>

#include "conform_aio.h"
#include "conform_epoll.h"

/* eventfd(2): the largest value write(2) lets the counter hold. */
static const uint64_t counter_max = UINT64_MAX - 1;

enum { BLK = 512 };

/*
 * Inside a TEST: signal efd once from the kernel side: a BLK-byte read of
 * a temporary file submitted with IOCB_FLAG_RESFD and aio_resfd = efd
 * (io_submit(2); fs/aio.c aio_complete() calls eventfd_signal(), which adds
 * 1 but stops at 0xffffffffffffffff). The event is reaped (res BLK) and
 * the context destroyed; each step ASSERTed.
 */
static void aio_signal(struct __test_metadata *_metadata, int efd)
{
	static char buf[BLK];
	struct iocb cb;
	struct io_event ev;
	int fd = conform_temp_file(BLK, 0);

	ASSERT_LE(0, fd);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, BLK, 0, 0x51);
	cb.aio_flags |= IOCB_FLAG_RESFD;
	cb.aio_resfd = efd;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(BLK, ev.res);
	close(fd);
}

/*
 * Inside a TEST: take the zero counter of efd to 0xffffffffffffffff: a
 * write of 0xfffffffffffffffe (the most write(2) allows), then one AIO
 * signal. The buffered read completes inside io_submit, but the test does
 * not rely on it: it looks (poll(2) with a zero timeout, 1 s bound) until
 * POLLERR shows, which it does only at 0xffffffffffffffff.
 */
static void overflow_counter(struct __test_metadata *_metadata, int efd)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	struct timespec start, now;
	uint64_t v = counter_max;

	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	aio_signal(_metadata, efd);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		ASSERT_EQ(1, poll(&pfd, 1, 0));
		if (pfd.revents & POLLERR)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ASSERT_GT(1, now.tv_sec - start.tv_sec)
			TH_LOG("no POLLERR after the AIO signal: revents 0x%x",
			       pfd.revents);
		sched_yield();
	}
}

/*
 * eventfd(2): "If an overflow of the counter value was detected, then ...
 * poll(2) returns a POLLERR event"; fs/eventfd.c eventfd_poll(): POLLIN
 * while the counter is above 0, POLLOUT only while a write of 1 fits. At
 * 0xffffffffffffffff, reached by an AIO signal, poll for POLLIN|POLLOUT
 * returns exactly POLLIN|POLLERR (since 2.6.22).
 */
TEST(overflowed_counter_polls_pollerr_and_pollin_only)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"eventfd(2) poll(2): POLLERR on overflow; fs/eventfd.c eventfd_signal() lets the counter reach ULLONG_MAX");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	overflow_counter(_metadata, pfd.fd);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN | POLLERR, pfd.revents);
	close(pfd.fd);
}

/*
 * eventfd(2): "If an overflow of the counter value was detected, then
 * select(2) indicates the file descriptor as being both readable and
 * writable" (select's writable set takes POLLERR), although no write can
 * go in (since 2.6.22).
 */
TEST(select_counts_overflowed_counter_readable_and_writable)
{
	struct timeval tv = { 0, 0 };
	fd_set rfds, wfds;
	int fd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"eventfd(2) select(2): both readable and writable on overflow");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_GT(FD_SETSIZE, fd);
	overflow_counter(_metadata, fd);
	FD_ZERO(&rfds);
	FD_ZERO(&wfds);
	FD_SET(fd, &rfds);
	FD_SET(fd, &wfds);
	EXPECT_EQ(2, select(fd + 1, &rfds, &wfds, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(fd, &rfds));
	EXPECT_TRUE(FD_ISSET(fd, &wfds));
	close(fd);
}

/*
 * epoll_ctl(2) EPOLLERR: "epoll_wait(2) will always report for this
 * event; it is not necessary to set it in events". An EPOLLIN-only entry
 * on an overflowed eventfd reports EPOLLIN|EPOLLERR (since 2.6.22).
 */
TEST(epoll_reports_unrequested_epollerr_at_overflow)
{
	struct epoll_event ev[2];
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"epoll_ctl(2) EPOLLERR always reported; eventfd(2) POLLERR on overflow");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	EPOLL_REQUIRE();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	overflow_counter(_metadata, efd);
	ep = epoll_new_watching(_metadata, efd, EPOLLIN, 3);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ((uint32_t)(EPOLLIN | EPOLLERR), ev[0].events);
	EXPECT_EQ((uint64_t)3, ev[0].data.u64);
	close(ep);
	close(efd);
}

/*
 * eventfd(2): a read returns the counter and resets it to 0: from the
 * overflow it returns 0xffffffffffffffff, POLLERR clears, and the fd is
 * writable again: poll reports POLLOUT alone (since 2.6.22).
 */
TEST(read_of_overflowed_counter_clears_pollerr)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };
	uint64_t v = 0;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"eventfd(2) read resets the counter; POLLERR only on overflow");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	overflow_counter(_metadata, pfd.fd);
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	EXPECT_EQ(UINT64_MAX, v);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	close(pfd.fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE: a read takes 1, so from 0xffffffffffffffff it
 * leaves 0xfffffffffffffffe: no longer overflowed (no POLLERR) but full:
 * POLLIN without POLLOUT (since 2.6.30).
 */
TEST(semaphore_read_of_overflowed_counter_leaves_it_full)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };
	uint64_t v = 0;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE read decrements by 1; POLLERR only on overflow, POLLOUT only if a write of 1 fits");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, pfd.fd);
	overflow_counter(_metadata, pfd.fd);
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	close(pfd.fd);
}

/*
 * fs/eventfd.c eventfd_write(): a value goes in only while
 * ULLONG_MAX - count > value; at 0xffffffffffffffff not even 0 does, so a
 * nonblocking write of 0 gets EAGAIN there (eventfd(2): EAGAIN when the
 * write cannot be done without blocking), matching the missing POLLOUT
 * (since 2.6.22).
 */
TEST(write_of_zero_to_overflowed_counter_gets_eagain)
{
	uint64_t zero = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"fs/eventfd.c eventfd_write(): room check ULLONG_MAX - count > value; eventfd(2) write EAGAIN");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	overflow_counter(_metadata, fd);
	EXPECT_EQ(-1, write(fd, &zero, sizeof(zero)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2) NOTES: the kernel's signal posts add to the counter, and
 * fs/eventfd.c eventfd_signal() wakes the waiters with EPOLLIN even when
 * the counter was already readable. An EPOLLIN|EPOLLET entry on a full
 * counter, its first report consumed, reports again when an AIO signal
 * takes the counter to the overflow: EPOLLIN|EPOLLERR (since 2.6.22).
 */
TEST(signal_to_overflow_is_an_epollin_edge)
{
	struct epoll_event ev[2];
	uint64_t v = counter_max;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"eventfd(2) NOTES KAIO signal posts; fs/eventfd.c eventfd_signal() wakes with EPOLLIN; epoll(7) edge-triggered");
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE_AIO();
	EPOLL_REQUIRE();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	ep = epoll_new_watching(_metadata, efd, EPOLLIN | EPOLLET, 4);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ((uint32_t)EPOLLIN, ev[0].events);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	aio_signal(_metadata, efd);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ((uint32_t)(EPOLLIN | EPOLLERR), ev[0].events);
	EXPECT_EQ((uint64_t)4, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(efd);
}

/*
 * eventfd(2): a read changes the counter, and fs/eventfd.c wakes the
 * writers' wait queue with EPOLLOUT after each read; epoll(7): an
 * edge-triggered entry is reported when a change occurs. On a writable
 * counter of 5 an EPOLLOUT|EPOLLET entry, its first report consumed, is
 * reported once more after a read, although the fd was writable all along
 * (since 2.6.22).
 */
TEST(each_read_is_an_epollout_edge)
{
	struct epoll_event ev[2];
	uint64_t v = 0;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read; fs/eventfd.c eventfd_read() wakes writers with EPOLLOUT; epoll(7) edge-triggered");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	efd = eventfd(5, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ep = epoll_new_watching(_metadata, efd, EPOLLOUT | EPOLLET, 6);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ((uint32_t)EPOLLOUT, ev[0].events);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)5, v);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ((uint32_t)EPOLLOUT, ev[0].events);
	EXPECT_EQ((uint64_t)6, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(efd);
}

/* A thread in ppoll(2) for POLLOUT on fd (5 s, only a guard). */
struct poller {
	struct pollfd pfd;
	_Atomic pid_t tid;
	int ret;
};

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	struct timespec ts = { .tv_sec = 5 };

	atomic_store(&p->tid, gettid());
	p->ret = ppoll(&p->pfd, 1, &ts, NULL);
	return NULL;
}

/*
 * eventfd(2): the fd is writable "if it is possible to write a value of at
 * least 1 without blocking"; poll(2) waits for one of the events. A thread
 * seen asleep in ppoll for POLLOUT on a full counter returns 1 with
 * POLLOUT once a read resets the counter (since 2.6.22).
 */
TEST(blocked_poll_for_pollout_returns_on_read)
{
	struct poller p = { .pfd = { .fd = -1, .events = POLLOUT } };
	uint64_t v = counter_max;
	pthread_t th;
	int seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) poll(2) paragraph: writable if a write of 1 would not block; poll(2) waits for an event");
	CONFORM_REQUIRE_EVENTFD();
	p.pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, p.pfd.fd);
	ASSERT_EQ(8, write(p.pfd.fd, &v, sizeof(v)));
	ASSERT_EQ(0, pthread_create(&th, NULL, poller_main, &p));
	while (!atomic_load(&p.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&p.tid), SYS_ppoll);
	ASSERT_EQ(8, read(p.pfd.fd, &v, sizeof(v)));
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (seen < 0) {
		close(p.pfd.fd);
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the poller block");
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(counter_max, v);
	EXPECT_EQ(1, p.ret);
	EXPECT_EQ(POLLOUT, p.pfd.revents);
	close(p.pfd.fd);
}

TEST_HARNESS_MAIN
