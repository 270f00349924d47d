// SPDX-License-Identifier: MIT
/*
 * eventfd/epoll: an eventfd watched by epoll(7) beyond the plain EPOLLIN of
 * eventfd/poll: an EFD_SEMAPHORE eventfd under level- and edge-triggered
 * watching (one level report per unit, no edge report for a read), every
 * write as a new edge, EPOLLOUT around the top of the counter, and a blocked
 * epoll_wait woken by a write.
 * Sources: eventfd(2) (EFD_SEMAPHORE since 2.6.30; the "poll(2), select(2)
 * (and similar)" paragraph: readable while the counter is greater than 0,
 * writable while a write of 1 would not block), epoll(7) ("Level-triggered
 * and edge-triggered": an edge-triggered entry is reported only when a
 * change occurs on the watched fd).
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_epoll.h"

#define COUNTER_MAX 0xfffffffffffffffeULL

/* Open an eventfd with EFD_CLOEXEC|flags, skipping if EFD_SEMAPHORE is
 * asked for and the kernel rejects it. */
#define EFD_OPEN_OR_SKIP(fd, initval, flags)                                   \
	do {                                                                   \
		(fd) = eventfd((initval), EFD_CLOEXEC | (flags));              \
		if ((fd) < 0 && errno == EINVAL && ((flags) & EFD_SEMAPHORE))  \
			SKIP(return, "eventfd(EFD_SEMAPHORE): EINVAL (flag not supported)"); \
		ASSERT_LE(0, (fd));                                            \
	} while (0)

/*
 * eventfd(2) EFD_SEMAPHORE: each read takes 1 from the counter, and the fd
 * is readable while the counter is above 0; epoll(7) level-triggered: each
 * wait reports a ready fd. A counter of 3 therefore gives exactly three
 * reporting waits, one before each read, and then none (since 2.6.30).
 */
TEST(semaphore_level_triggered_reports_once_per_unit)
{
	struct epoll_event ev[2];
	uint64_t v;
	int efd, ep, reports = 0;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30); epoll(7) level-triggered");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	EFD_OPEN_OR_SKIP(efd, 3, EFD_SEMAPHORE | EFD_NONBLOCK);
	ep = epoll_new_watching(_metadata, efd, EPOLLIN, 5);
	for (int i = 0; i < 5 && epoll_wait(ep, ev, 2, 0) == 1; i++) {
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(5, ev[0].data.u64);
		reports++;
		ASSERT_EQ(8, read(efd, &v, sizeof(v)));
		EXPECT_EQ(1, v);
	}
	EXPECT_EQ(3, reports);
	errno = 0;
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(ep);
	close(efd);
}

/*
 * epoll(7) edge-triggered: a report only when a change occurs; a read
 * leaves no more data "arriving". After a write of 3 to an EFD_SEMAPHORE
 * eventfd, an EPOLLIN|EPOLLET entry is reported once; a semaphore read
 * (counter now 2, fd still readable by poll) brings no new report
 * (since 2.6.30).
 */
TEST(semaphore_edge_triggered_read_brings_no_new_report)
{
	struct epoll_event ev[2];
	uint64_t v = 3;
	int efd, ep;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30); epoll(7) edge-triggered; eventfd keyed wakeups (2.6.30)");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	EFD_OPEN_OR_SKIP(efd, 0, EFD_SEMAPHORE | EFD_NONBLOCK);
	ep = epoll_new_watching(_metadata, efd, EPOLLIN | EPOLLET, 1);
	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ(1, v);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	EXPECT_TRUE(conform_fd_readable(efd, 0));
	close(ep);
	close(efd);
}

/*
 * eventfd(2) write(2) adds to the counter, a change that epoll(7) reports
 * to an edge-triggered entry each time, even though the fd was already
 * readable and nothing was read in between (since 2.6.22).
 */
TEST(each_write_is_a_new_edge)
{
	struct epoll_event ev[2];
	uint64_t one = 1, v;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write adds to the counter and wakes pollers; epoll(7) edge-triggered");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	EFD_OPEN_OR_SKIP(efd, 0, EFD_NONBLOCK);
	ep = epoll_new_watching(_metadata, efd, EPOLLIN | EPOLLET, 1);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(8, write(efd, &one, sizeof(one)));
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	}
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ(2, v);
	close(ep);
	close(efd);
}

/*
 * eventfd(2): writable while a write of at least 1 would not block; at the
 * maximum 0xfffffffffffffffe it would. An entry for EPOLLIN|EPOLLOUT on a
 * full counter reports EPOLLIN alone; after the read, EPOLLOUT alone
 * (since 2.6.22).
 */
TEST(full_counter_reports_epollin_without_epollout)
{
	struct epoll_event ev[2];
	uint64_t v = COUNTER_MAX;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) poll(2) paragraph: writable while a write of 1 would not block");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	EFD_OPEN_OR_SKIP(efd, 0, EFD_NONBLOCK);
	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	ep = epoll_new_watching(_metadata, efd, EPOLLIN | EPOLLOUT, 1);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ(COUNTER_MAX, v);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	close(ep);
	close(efd);
}

/*
 * epoll(7) edge-triggered, eventfd(2): a read of a full counter makes the
 * fd writable again, a change that an EPOLLOUT|EPOLLET entry reports;
 * before the read it reports nothing (since 2.6.22).
 */
TEST(read_of_full_counter_is_an_epollout_edge)
{
	struct epoll_event ev[2];
	uint64_t v = COUNTER_MAX;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): a read resets the counter and makes the fd writable; epoll(7) edge-triggered");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	EFD_OPEN_OR_SKIP(efd, 0, EFD_NONBLOCK);
	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	ep = epoll_new_watching(_metadata, efd, EPOLLOUT | EPOLLET, 2);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	EXPECT_EQ(2, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(efd);
}

/*
 * eventfd(2) "the file descriptor may be monitored by ... epoll(7)";
 * epoll_wait(2) blocks until an fd delivers an event: a thread asleep in
 * epoll_pwait on an empty EFD_SEMAPHORE eventfd wakes on a write with
 * EPOLLIN and the tag (since 2.6.30).
 */
TEST(blocked_wait_is_woken_by_write)
{
	struct epoll_waiter w;
	uint64_t one = 1;
	int efd, ep, seen;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30) monitored by epoll(7); epoll_wait(2) blocks until an event");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	EFD_OPEN_OR_SKIP(efd, 0, EFD_SEMAPHORE);
	ep = epoll_new_watching(_metadata, efd, EPOLLIN, 9);
	seen = epoll_waiter_start(_metadata, &w, ep);
	ASSERT_EQ(8, write(efd, &one, sizeof(one)));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block");
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(9, w.ev.data.u64);
	close(ep);
	close(efd);
}

TEST_HARNESS_MAIN
