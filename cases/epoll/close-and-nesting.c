// SPDX-License-Identifier: MIT
/*
 * epoll/close-and-nesting: what closing a registered fd does to the interest
 * list (with and without a duplicate), and epoll instances watching other
 * epoll instances (readiness and the loop check).
 * Sources: epoll(7) Q&A, epoll_ctl(2) ELOOP.
 */
#include <poll.h>
#include <sys/epoll.h>

#include "conform_epoll.h"

/*
 * epoll(7) Q&A: closing a file descriptor removes it from all interest lists
 * once no other descriptor refers to the open file description: the pipe
 * that was ready is no longer reported (since 2.6).
 */
TEST(closing_the_only_fd_removes_it)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: closing the last fd of an open file "
			"description removes it from all interest lists");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	close(p[0]);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[1]);
	close(ep);
}

/*
 * epoll(7) Q&A: "A file descriptor is removed from an interest list only
 * after all the file descriptors referring to the underlying open file
 * description have been closed ... events may be reported for that file
 * descriptor": with a dup(2) left open, the closed fd's entry still reports
 * with its registered data (since 2.6).
 */
TEST(closed_fd_with_open_duplicate_still_reports)
{
	const __u64 tag = 0xd0d0d0d0ULL;
	struct epoll_event ev[2];
	int ep, p[2], d;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: an fd is removed only after all fds "
			"referring to the open file description are closed");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, tag);
	ASSERT_LE(0, d = dup(p[0]));
	close(p[0]);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(tag, ev[0].data.u64);
	/* The last reference goes: now the entry is removed. */
	close(d);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[1]);
	close(ep);
}

/*
 * epoll(7) Q&A: "you can add an epoll file descriptor inside another epoll
 * file descriptor set", and "If an epoll file descriptor has events waiting,
 * then it will indicate as being readable": the outer instance reports the
 * inner one as EPOLLIN once the inner one has a ready fd (since 2.6).
 */
TEST(outer_epoll_reports_inner_readiness)
{
	struct epoll_event ev[2];
	int outer, inner, p[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: an epoll fd with events waiting "
			"indicates as readable and can be added to another "
			"epoll set");
	EPOLL_REQUIRE();
	ASSERT_LE(0, outer = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, inner = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(inner, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
	ASSERT_EQ(0, epoll_ctl_tag(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 2));
	ASSERT_EQ(0, epoll_wait(outer, ev, 2, 0));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(outer, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(2, ev[0].data.u64);
	/* The inner instance still holds its own event. */
	ASSERT_EQ(1, epoll_wait(inner, ev, 2, 0));
	EXPECT_EQ(1, ev[0].data.u64);
	close(p[0]);
	close(p[1]);
	close(inner);
	close(outer);
}

/*
 * epoll(7) Q&A: "Is the epoll file descriptor itself poll/epoll/selectable?
 * Yes": poll(2) shows POLLIN exactly when the instance has events waiting
 * (since 2.6).
 */
TEST(epoll_fd_is_pollable)
{
	struct pollfd pfd;
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_create",
			"epoll(7) Q&A: the epoll file descriptor itself is "
			"poll/epoll/selectable");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	pfd.fd = ep;
	pfd.events = POLLIN;
	pfd.revents = 0;
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(1, write(p[1], "x", 1));
	pfd.revents = 0;
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_EQ(POLLIN, pfd.revents);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2): "ELOOP fd refers to an epoll instance and this EPOLL_CTL_ADD
 * operation would result in a circular loop of epoll instances monitoring
 * one another"; both a 2-cycle and a 3-cycle (since 2.6.38: commit
 * 22bacca48a17 "epoll: prevent creating circular epoll structures";
 * before it such an add succeeded).
 */
TEST(epoll_loop_gets_eloop)
{
	int a, b, c;

	CONFORM_DECLARE("2.6.38", "epoll_ctl",
			"epoll_ctl(2) ELOOP; commit 22bacca48a17 (2.6.38) "
			"epoll: prevent creating circular epoll structures");
	EPOLL_REQUIRE();
	ASSERT_LE(0, a = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, b = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, c = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(a, EPOLL_CTL_ADD, b, EPOLLIN, 1));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(b, EPOLL_CTL_ADD, a, EPOLLIN, 2));
	EXPECT_EQ(ELOOP, errno);
	ASSERT_EQ(0, epoll_ctl_tag(b, EPOLL_CTL_ADD, c, EPOLLIN, 3));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(c, EPOLL_CTL_ADD, a, EPOLLIN, 4));
	EXPECT_EQ(ELOOP, errno);
	close(c);
	close(b);
	close(a);
}

TEST_HARNESS_MAIN
