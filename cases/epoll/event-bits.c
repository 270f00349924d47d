// SPDX-License-Identifier: MIT
/*
 * epoll/event-bits: the rules of the events mask itself, whatever the fd:
 * an entry reports only the bits it asked for (EPOLLIN and EPOLLRDNORM are
 * separate bits although poll(2) calls them equivalent) plus EPOLLERR and
 * EPOLLHUP, which epoll_ctl(2) adds to every mask - also to a mask
 * modified down to 0 - but which still follow the entry's EPOLLET and
 * EPOLLONESHOT; EPOLLMSG and EPOLLNVAL are never reported; and what epoll
 * reports for an entry is what poll(2) reports for the same fd and mask.
 * The plain "EPOLLERR/EPOLLHUP with an empty mask" cases are in epoll/hup,
 * a closed fd leaving the interest list in epoll/close-and-nesting.
 * Sources: epoll_ctl(2) (EPOLLERR, EPOLLHUP "always wait for this event",
 * EPOLLET, EPOLLONESHOT), epoll(7) ("level-triggered ... simply a faster
 * poll(2)"), poll(2) (POLLRDNORM "Equivalent to POLLIN", POLLNVAL, "Linux
 * also knows about, but does not use POLLMSG"), fs/eventpoll.c
 * ep_item_poll() (the mask applied to what the file's poll method returns).
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "conform_epoll.h"

/* Every readiness bit an entry can ask for. */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

/* A wait for an event that must come: a bound only. */
#define WAIT_MS 1000

/*
 * The events ep reports for the entry tagged tag in a wait of up to ms: 0
 * when it is not among those reported, -1 when the wait fails.
 */
static long events_of(int ep, __u64 tag, int ms)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, 8, ms);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (ev[i].data.u64 == tag)
			return ev[i].events;
	return 0;
}

/*
 * epoll_ctl(2): events is "a bit mask composed by ORing together zero or
 * more event types"; epoll reports, of what the file is ready for, the
 * types the entry asked for (fs/eventpoll.c ep_item_poll() masks the poll
 * result with them). poll(2) calls POLLRDNORM "Equivalent to POLLIN", yet
 * they are distinct bits: three entries (through dup(2)) on one readable
 * pipe asking for EPOLLIN, EPOLLRDNORM and both get exactly EPOLLIN,
 * EPOLLRDNORM and both (since 2.6).
 */
TEST(only_the_requested_bits_are_reported)
{
	int ep, p[2], d1, d2;

	CONFORM_DECLARE("2.6", "EPOLLRDNORM",
			"epoll_ctl(2) events bit mask; poll(2) POLLRDNORM; "
			"fs/eventpoll.c ep_item_poll()");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_LE(0, d1 = dup(p[0]));
	ASSERT_LE(0, d2 = dup(p[0]));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, d1, EPOLLRDNORM, 2));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, d2,
				   EPOLLIN | EPOLLRDNORM, 3));
	ASSERT_EQ(1, write(p[1], "b", 1));
	EXPECT_EQ(EPOLLIN, events_of(ep, 1, WAIT_MS));
	EXPECT_EQ(EPOLLRDNORM, events_of(ep, 2, WAIT_MS));
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM, events_of(ep, 3, WAIT_MS));
	close(d2);
	close(d1);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * poll(2): "Linux also knows about, but does not use POLLMSG". Entries
 * asking for EPOLLMSG alone, on fds ready for everything they can be ready
 * for (a pipe's both ends with data in it, a socket pair with data, an
 * eventfd with a count), report nothing (since 2.6).
 */
TEST(epollmsg_is_never_reported)
{
	uint64_t one = 1;
	int ep, p[2], s[2], efd;
	struct epoll_event ev[8];

	CONFORM_DECLARE("2.6", "EPOLLMSG",
			"poll(2): Linux also knows about, but does not use "
			"POLLMSG");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_EQ(1, write(p[1], "m", 1));
	ASSERT_EQ(1, write(s[1], "m", 1));
	ASSERT_EQ(8, write(efd, &one, sizeof(one)));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLMSG, 1));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[1], EPOLLMSG, 2));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLMSG, 3));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, efd, EPOLLMSG, 4));
	EXPECT_EQ(0, epoll_wait(ep, ev, 8, 0));
	/* The same fds asked for everything are ready, without EPOLLMSG. */
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0], ALL_BITS, 3));
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND,
		  events_of(ep, 3, WAIT_MS));
	close(efd);
	close(s[0]);
	close(s[1]);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * poll(2) POLLNVAL "Invalid request: fd not open" is what poll(2) reports
 * for a closed number; epoll never reports it: an entry asking for
 * EPOLLNVAL alone on a ready pipe reports nothing, and once the fd is
 * closed the entry is gone (epoll(7) Q&A) while poll(2) on the same number
 * returns POLLNVAL (since 2.6).
 */
TEST(epollnval_is_never_reported)
{
	struct epoll_event ev[2];
	struct pollfd pfd = { .events = POLLIN };
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLNVAL",
			"poll(2) POLLNVAL fd not open; epoll(7) Q&A closing "
			"an fd removes it from all interest lists");
	EPOLL_REQUIRE();
	/* glibc's <sys/epoll.h> has no EPOLLNVAL; the kernel's
	 * (<linux/eventpoll.h>, which clashes with <sys/epoll.h>) is the
	 * value of <poll.h>'s POLLNVAL, used here. */
	epoll_new_watching_pipe(_metadata, &ep, p, POLLNVAL, 7);
	ASSERT_EQ(1, write(p[1], "n", 1));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   ALL_BITS | POLLNVAL, 7));
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM, events_of(ep, 7, WAIT_MS));
	pfd.fd = p[0];
	close(p[0]);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLNVAL, pfd.revents);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLHUP: "epoll_wait(2) will always wait for this event; it
 * is not necessary to set it in events" - for EPOLL_CTL_MOD as for
 * EPOLL_CTL_ADD: an entry modified to an events mask of 0 stops reporting
 * the data that is there, yet reports EPOLLHUP when the writer closes
 * (since 2.6).
 */
TEST(mask_modified_to_zero_still_reports_epollhup)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"epoll_ctl(2) EPOLLHUP always waited for; "
			"EPOLL_CTL_MOD");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 9);
	ASSERT_EQ(1, write(p[1], "z", 1));
	ASSERT_EQ(EPOLLIN, events_of(ep, 9, WAIT_MS));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], 0, 9));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[1]);
	EXPECT_EQ(EPOLLHUP, events_of(ep, 9, WAIT_MS));
	close(ep);
	close(p[0]);
}

/*
 * epoll_ctl(2) EPOLLET: edge-triggered notification applies to every event
 * of the entry, the always-reported ones included: a hang-up is reported
 * once, and the next wait returns nothing although the pipe's writer is
 * still gone; a level-triggered entry on the same pipe keeps reporting it
 * (since 2.6).
 */
TEST(edge_triggered_epollhup_is_reported_once)
{
	struct epoll_event ev[2];
	int et, lt, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll_ctl(2) EPOLLET and EPOLLHUP; epoll(7) "
			"edge-triggered");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &et, p, EPOLLET, 1);
	ASSERT_LE(0, lt = epoll_new_watching(_metadata, p[0], 0, 2));
	close(p[1]);
	EXPECT_EQ(EPOLLHUP, events_of(et, 1, WAIT_MS));
	EXPECT_EQ(0, epoll_wait(et, ev, 2, 0));
	EXPECT_EQ(EPOLLHUP, events_of(lt, 2, WAIT_MS));
	EXPECT_EQ(EPOLLHUP, events_of(lt, 2, 0));
	close(lt);
	close(et);
	close(p[0]);
}

/*
 * epoll_ctl(2) EPOLLONESHOT (since 2.6.2): once an event has been reported
 * the entry is disabled and "no other events will be reported" - EPOLLHUP,
 * always waited for otherwise, included. After its EPOLLIN the writer's
 * close goes unreported; re-armed with EPOLL_CTL_MOD the entry reports
 * EPOLLIN|EPOLLHUP.
 */
TEST(disabled_oneshot_entry_does_not_report_epollhup)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT (since 2.6.2): no other "
			"events will be reported");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLONESHOT, 4);
	ASSERT_EQ(1, write(p[1], "o", 1));
	ASSERT_EQ(EPOLLIN, events_of(ep, 4, WAIT_MS));
	close(p[1]);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLONESHOT, 4));
	EXPECT_EQ(EPOLLIN | EPOLLHUP, events_of(ep, 4, WAIT_MS));
	close(ep);
	close(p[0]);
}

/*
 * poll(2) revents for fd with every bit asked for; -1 if poll failed or
 * reported nothing.
 */
static int poll_revents(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = ALL_BITS };

	return poll(&pfd, 1, 0) == 1 ? pfd.revents : -1;
}

/*
 * epoll(7): level-triggered epoll "is simply a faster poll(2)"; the EPOLL*
 * bits are the POLL* bits (<sys/epoll.h>, poll(2)). For fds in states that
 * set many bits at once - a pipe's read end with data and no writer, a
 * pipe's write end with no reader, a socket whose peer shut down writing,
 * a socket pair's end with data - the events an entry asking for every bit
 * reports are the revents poll(2) gives for the same request (since
 * 2.6.17, the first kernel with EPOLLRDHUP/POLLRDHUP).
 */
TEST(reported_events_equal_poll_revents)
{
	int ep, r[2], w[2], s[2], t[2], fds[4];

	CONFORM_DECLARE("2.6.17", "epoll_wait",
			"epoll(7) level-triggered is a faster poll(2); "
			"poll(2) events and revents");
	EPOLL_REQUIRE();
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(r));
	ASSERT_EQ(0, conform_pipe(w));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, conform_socketpair(t));
	ASSERT_EQ(1, write(r[1], "r", 1));
	close(r[1]);
	close(w[0]);
	ASSERT_EQ(0, shutdown(s[1], SHUT_WR));
	ASSERT_EQ(1, write(t[1], "t", 1));
	fds[0] = r[0];
	fds[1] = w[1];
	fds[2] = s[0];
	fds[3] = t[0];
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, fds[i], ALL_BITS,
					   i + 1));
	for (int i = 0; i < 4; i++) {
		int want = poll_revents(fds[i]);

		ASSERT_LT(0, want) TH_LOG("fd #%d", i);
		EXPECT_EQ(want, events_of(ep, i + 1, WAIT_MS))
			TH_LOG("fd #%d: poll 0x%x", i, want);
	}
	close(ep);
	close(r[0]);
	close(w[1]);
	close(s[0]);
	close(s[1]);
	close(t[0]);
	close(t[1]);
}

TEST_HARNESS_MAIN
