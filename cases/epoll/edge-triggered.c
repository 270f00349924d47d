// SPDX-License-Identifier: MIT
/*
 * epoll/edge-triggered: EPOLLET reporting - one report per change of state,
 * none for data that is merely still there, a new report for each new
 * arrival, and the write side becoming writable again.
 * Sources: epoll(7) "Level-triggered and edge-triggered", epoll_ctl(2)
 * EPOLLET.
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/*
 * epoll(7): "edge-triggered mode delivers events only when changes occur on
 * the monitored file descriptor": one write is reported once, and a second
 * wait without new data finds nothing although the data is unread
 * (since 2.6).
 */
TEST(arrival_is_reported_once)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7) Level-triggered and edge-triggered");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, 5);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(5, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll(7), the rfd scenario: 2 kB written, one event consumed, 1 kB read;
 * the next epoll_wait(2) does not report the 1 kB still in the pipe
 * (since 2.6). The 1 kB is then still readable, intact.
 */
TEST(partial_read_does_not_report_again)
{
	unsigned char buf[2048], back[2048];
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7) Level-triggered and edge-triggered: the "
			"rfd example");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, 1);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ((ssize_t)sizeof(buf), write(p[1], buf, sizeof(buf)));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(1024, read(p[0], back, 1024));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(1024, read(p[0], back + 1024, 1024));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll(7): "even with edge-triggered epoll, multiple events can be generated
 * upon receipt of multiple chunks of data": a second arrival, with the first
 * still unread, is reported again (since 2.6). A stream socket is used
 * because pipe wakeups changed here (5.5; "pipe: make pipe writes always
 * wake up readers" restored them in 5.14).
 */
TEST(new_arrival_without_draining_is_reported_again)
{
	struct epoll_event ev[2];
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7): multiple events can be generated upon "
			"receipt of multiple chunks of data");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0],
				   EPOLLIN | EPOLLET, 2));
	ASSERT_EQ(1, write(s[1], "a", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(1, write(s[1], "b", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(2, ev[0].data.u64);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll(7): with EPOLLET, wait for an event "only after read(2) or write(2)
 * return EAGAIN": after filling a pipe until write would block, no EPOLLOUT
 * is reported; draining it makes it writable, which is reported (since 2.6).
 */
TEST(full_pipe_reports_epollout_once_drained)
{
	char buf[4096];
	struct epoll_event ev[2];
	long filled;
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7): with EPOLLET wait only after read(2) or "
			"write(2) return EAGAIN");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[1],
				   EPOLLOUT | EPOLLET, 3));
	/* An empty pipe is writable: that first state is reported once. */
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	filled = conform_fill_until_full(p[1]);
	ASSERT_LT(0, filled);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_NONBLOCK));
	while (filled > 0) {
		ssize_t n = read(p[0], buf, sizeof(buf));

		ASSERT_LT(0, n);
		filled -= n;
	}
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	EXPECT_EQ(3, ev[0].data.u64);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLET applies per entry: the same pipe registered
 * level-triggered on another instance keeps being reported while the
 * edge-triggered one stays quiet (since 2.6).
 */
TEST(edge_entry_quiet_while_level_entry_reports)
{
	struct epoll_event ev[2];
	int et, lt, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll_ctl(2) EPOLLET: edge-triggered behaviour for "
			"the associated fd");
	EPOLL_REQUIRE();
	ASSERT_LE(0, et = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, lt = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(et, EPOLL_CTL_ADD, p[0],
				   EPOLLIN | EPOLLET, 1));
	ASSERT_EQ(0, epoll_ctl_tag(lt, EPOLL_CTL_ADD, p[0], EPOLLIN, 2));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(et, ev, 2, 1000));
	ASSERT_EQ(1, epoll_wait(lt, ev, 2, 1000));
	EXPECT_EQ(0, epoll_wait(et, ev, 2, 0));
	EXPECT_EQ(1, epoll_wait(lt, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(lt);
	close(et);
}

TEST_HARNESS_MAIN
