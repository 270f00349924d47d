// SPDX-License-Identifier: MIT
/*
 * eventfd/poll: readiness of an eventfd through poll(2), select(2) and
 * epoll(7): readable (POLLIN) while the counter is greater than 0, writable
 * (POLLOUT) while a write of 1 would not block.
 * Source: eventfd(2), "poll(2), select(2) (and similar)".
 */
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/select.h>

#include "conform_epoll.h"

/*
 * eventfd(2): a zero counter is not readable but is writable: poll reports
 * exactly POLLOUT (since 2.6.22).
 */
TEST(zero_counter_polls_pollout_only)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) poll(2) paragraph: POLLOUT, no POLLIN at counter 0");
	CONFORM_REQUIRE_EVENTFD();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	close(pfd.fd);
}

/*
 * eventfd(2): "readable (... the poll(2) POLLIN flag) if the counter has a
 * value greater than 0": after a write, exactly POLLIN | POLLOUT
 * (since 2.6.22).
 */
TEST(nonzero_counter_polls_pollin_and_pollout)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };
	uint64_t one = 1;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) poll(2) paragraph: POLLIN if the counter is greater than 0");
	CONFORM_REQUIRE_EVENTFD();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(8, write(pfd.fd, &one, sizeof(one)));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN | POLLOUT, pfd.revents);
	close(pfd.fd);
}

/* eventfd(2): a read resets the counter to 0, so the fd stops being readable (since 2.6.22). */
TEST(read_clears_pollin)
{
	struct pollfd pfd = { .events = POLLIN };
	uint64_t v;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): a read resets the counter, POLLIN clears");
	CONFORM_REQUIRE_EVENTFD();
	pfd.fd = eventfd(4, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	pfd.revents = 0;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents);
	close(pfd.fd);
}

/*
 * eventfd(2): select(2) puts the fd in readfds when the counter is greater
 * than 0, and leaves it out when it is 0 (since 2.6.22).
 */
TEST(select_readable_only_when_counter_nonzero)
{
	struct timeval tv = { 0, 0 };
	uint64_t one = 1;
	fd_set rfds;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) select(2): readable if the counter is greater than 0");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_GT(FD_SETSIZE, fd);
	FD_ZERO(&rfds);
	FD_SET(fd, &rfds);
	EXPECT_EQ(0, select(fd + 1, &rfds, NULL, NULL, &tv));
	EXPECT_FALSE(FD_ISSET(fd, &rfds));
	ASSERT_EQ(8, write(fd, &one, sizeof(one)));
	FD_ZERO(&rfds);
	FD_SET(fd, &rfds);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	EXPECT_EQ(1, select(fd + 1, &rfds, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(fd, &rfds));
	close(fd);
}

/*
 * eventfd(2): readiness is reported "analogously" through epoll(7): an
 * EPOLLIN interest fires after a write, with EPOLLIN and the caller's data
 * (since 2.6.22).
 */
TEST(epoll_reports_epollin_after_write)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1234 };
	struct epoll_event out[2];
	uint64_t one = 1;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): readiness reported through epoll(7) as through poll(2)");
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ(8, write(efd, &one, sizeof(one)));
	memset(out, 0, sizeof(out));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	EXPECT_EQ((uint32_t)EPOLLIN, out[0].events);
	EXPECT_EQ((uint64_t)0x1234, out[0].data.u64);
	close(ep);
	close(efd);
}

TEST_HARNESS_MAIN
