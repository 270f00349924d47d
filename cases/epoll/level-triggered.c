// SPDX-License-Identifier: MIT
/*
 * epoll/level-triggered: the default (level-triggered) reporting of
 * epoll_wait(2) - repeated reports while unhandled, nothing after draining,
 * the user data, combining, maxevents and duplicate fds.
 * Sources: epoll(7) "Level-triggered and edge-triggered" and Q&A,
 * epoll_wait(2), epoll_ctl(2).
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/*
 * epoll(7): level-triggered epoll "is simply a faster poll(2)": data left
 * unread keeps the fd ready, so every epoll_wait(2) reports it (since 2.6).
 */
TEST(unread_pipe_is_reported_by_every_wait)
{
	const __u64 tag = 0x1111222233334444ULL;
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll(7) Level-triggered and edge-triggered: "
			"level-triggered is a faster poll(2)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, tag);
	ASSERT_EQ(1, write(p[1], "x", 1));
	for (int i = 0; i < 3; i++) {
		memset(ev, 0, sizeof(ev));
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(tag, ev[0].data.u64);
	}
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): returns "zero if no file descriptor became ready during the
 * requested timeout"; a timeout of 0 returns at once. Once the pipe is
 * drained it is no longer ready (since 2.6).
 */
TEST(drained_pipe_is_not_reported)
{
	unsigned char buf[100], back[100];
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) RETURN VALUE zero if no fd became "
			"ready");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ((ssize_t)sizeof(buf), write(p[1], buf, sizeof(buf)));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ((ssize_t)sizeof(back), read(p[0], back, sizeof(back)));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): "The data field of each returned epoll_event structure
 * contains the same data as was specified in the most recent call to
 * epoll_ctl(2) (EPOLL_CTL_ADD, EPOLL_CTL_MOD)" (since 2.6).
 */
TEST(reported_data_is_from_most_recent_ctl)
{
	const __u64 first = 0x0123456789abcdefULL, second = 0xfedcba9876543210ULL;
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2): data is that of the most recent "
			"epoll_ctl(2)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, first);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(first, ev[0].data.u64);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, second));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(second, ev[0].data.u64);
	EXPECT_EQ(EPOLLIN, ev[0].events);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll(7) Q&A: "If more than one event occurs between epoll_wait(2) calls,
 * are they combined or reported separately? They will be combined."
 * Three writes give one entry (since 2.6).
 */
TEST(several_arrivals_between_waits_are_combined)
{
	struct epoll_event ev[4];
	int ep, s[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll(7) Q&A: events between epoll_wait(2) calls "
			"are combined");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, 7));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(1, write(s[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 4, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(7, ev[0].data.u64);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_wait(2): "Up to maxevents are returned": with three ready fds and
 * maxevents 2, exactly 2 come back (since 2.6).
 */
TEST(maxevents_caps_the_number_returned)
{
	struct epoll_event ev[4];
	int ep, p[3][2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2): up to maxevents are returned");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[i][0], EPOLLIN,
					   i));
		ASSERT_EQ(1, write(p[i][1], "x", 1));
	}
	EXPECT_EQ(2, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(3, epoll_wait(ep, ev, 4, 1000));
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

/*
 * epoll(7) Q&A: the same fd cannot be added twice (EEXIST), but "it is
 * possible to add a duplicate (dup(2) ...) file descriptor to the same epoll
 * instance"; each registration is reported with its own data and events
 * (since 2.6).
 */
TEST(duplicate_fd_is_a_separate_entry)
{
	struct epoll_event ev[4];
	bool seen_a = false, seen_b = false;
	int ep, s[2], d, n;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: a dup(2) of a registered fd can be "
			"added as a separate entry");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_LE(0, d = dup(s[0]));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, 0xa));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, d, EPOLLOUT, 0xb));
	ASSERT_EQ(1, write(s[1], "x", 1));
	n = epoll_wait(ep, ev, 4, 1000);
	ASSERT_EQ(2, n);
	for (int i = 0; i < n; i++) {
		if (ev[i].data.u64 == 0xa) {
			seen_a = true;
			EXPECT_EQ(EPOLLIN, ev[i].events);
		} else if (ev[i].data.u64 == 0xb) {
			seen_b = true;
			EXPECT_EQ(EPOLLOUT, ev[i].events);
		}
	}
	EXPECT_TRUE(seen_a);
	EXPECT_TRUE(seen_b);
	close(d);
	close(s[0]);
	close(s[1]);
	close(ep);
}

TEST_HARNESS_MAIN
