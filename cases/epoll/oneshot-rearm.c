// SPDX-License-Identifier: MIT
/*
 * epoll/oneshot-rearm: EPOLLONESHOT (2.6.2) beyond epoll/oneshot - a
 * disabled entry's mask as /proc/self/fdinfo shows it, an entry left out by
 * maxevents staying armed, and what EPOLL_CTL_MOD re-arms it to: one report
 * of the next arrival, a different mask, plain level-triggered reporting,
 * an edge-triggered entry that reports data already there, and a re-arm by
 * another thread waking a blocked wait. (A disabled entry not reporting
 * EPOLLHUP is in epoll/event-bits.)
 * Sources: epoll_ctl(2) EPOLLONESHOT, EPOLL_CTL_MOD, EPOLLERR/EPOLLHUP;
 * epoll_wait(2) maxevents and NOTES; proc(5) /proc/pid/fdinfo (epoll
 * "tfd:" lines, since 3.8); fs/eventpoll.c ep_send_events().
 */
#include "conform_epoll.h"

enum { TAG = 0x05, NEW_TAG = 0x7a };

/*
 * Set up ep with p[0] registered EPOLLIN | EPOLLONESHOT (tag TAG), write one
 * byte and take the one event; the entry is then disabled, the byte unread.
 */
static void fire_oneshot(struct __test_metadata *_metadata, int *ep, int p[2])
{
	struct epoll_event ev[2];

	epoll_new_watching_pipe(_metadata, ep, p, EPOLLIN | EPOLLONESHOT, TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(*ep, ev, 2, 1000));
	ASSERT_EQ(EPOLLIN, ev[0].events);
	ASSERT_EQ(TAG, ev[0].data.u64);
}

static void close3(int ep, int p[2])
{
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Read the byte(s) fire_oneshot() and the tests left in the pipe. */
static void drain(struct __test_metadata *_metadata, int fd)
{
	char buf[64];

	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, 0));
}

/*
 * The events mask of the entry for fd in /proc/self/fdinfo/<ep> (proc(5):
 * "tfd: <fd> events: <hex mask> data: ..."), or -1 when it is not listed
 * or cannot be read.
 */
static long fdinfo_mask(int ep, int fd)
{
	char path[64], line[256];
	long events = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned int mask;
		int tfd;

		if (sscanf(line, "tfd: %d events: %x", &tfd, &mask) == 2 &&
		    tfd == fd) {
			events = mask;
			break;
		}
	}
	fclose(f);
	return events;
}

/*
 * epoll_ctl(2) EPOLLONESHOT: re-armed with EPOLL_CTL_MOD while nothing is
 * ready, the entry reports nothing until new data arrives; that arrival is
 * reported once, with the new data field, and the entry is disabled again
 * (since 2.6.2).
 */
TEST(rearmed_idle_entry_reports_next_arrival_once)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: rearm with EPOLL_CTL_MOD");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p);
	drain(_metadata, p[0]);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLONESHOT, NEW_TAG));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(1, write(p[1], "y", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(NEW_TAG, ev[0].data.u64);
	ASSERT_EQ(1, write(p[1], "z", 1));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close3(ep, p);
}

/*
 * epoll_ctl(2): EPOLL_CTL_MOD re-arms "with a new event mask"; one without
 * EPOLLONESHOT turns the entry into a plain level-triggered one, which
 * reports the unread byte on every wait (since 2.6.2).
 */
TEST(rearm_without_oneshot_makes_entry_level_triggered)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: rearm with a new event "
			"mask");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, NEW_TAG));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(NEW_TAG, ev[0].data.u64);
	}
	close3(ep, p);
}

/*
 * epoll_ctl(2): the "new event mask" of the re-arm is what counts. A socket
 * whose one-shot EPOLLIN fired is re-armed for EPOLLOUT only: it reports
 * EPOLLOUT (it is writable), not the unread data (since 2.6.2).
 */
TEST(rearm_with_other_mask_reports_only_new_events)
{
	struct epoll_event ev[2];
	int ep, s[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: rearm with a new event "
			"mask");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0],
				   EPOLLIN | EPOLLONESHOT, TAG));
	ASSERT_EQ(1, write(s[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(EPOLLIN, ev[0].events);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0],
				   EPOLLOUT | EPOLLONESHOT, NEW_TAG));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	EXPECT_EQ(NEW_TAG, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLONESHOT and epoll_wait(2) NOTES (a change made by
 * another thread unblocks a waiting epoll_wait): a thread asleep on an
 * instance whose one-shot entry is disabled stays asleep through new data,
 * and the re-arm by EPOLL_CTL_MOD from the main thread wakes it with the
 * new data field (since 2.6.2).
 */
TEST(rearm_by_another_thread_wakes_a_blocked_wait)
{
	struct epoll_waiter w;
	int ep, p[2], seen;

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT rearm with EPOLL_CTL_MOD; "
			"epoll_wait(2) NOTES");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p);
	seen = epoll_waiter_start(_metadata, &w, ep);
	ASSERT_EQ(1, write(p[1], "y", 1));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLONESHOT, NEW_TAG));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block");
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(NEW_TAG, w.ev.data.u64);
out:
	close3(ep, p);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: the fd "is disabled in the interest list";
 * proc(5) fdinfo shows each entry's events mask. After the event the mask
 * holds only EPOLLONESHOT (fs/eventpoll.c ep_send_events() keeps only the
 * mode bits); EPOLL_CTL_MOD puts back the new mask plus the EPOLLERR |
 * EPOLLHUP every entry waits for (since 3.8, the fdinfo lines).
 */
TEST(fdinfo_shows_mask_cleared_while_disabled)
{
	int ep, p[2];
	long mask;

	CONFORM_DECLARE("3.8", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT (2.6.2) disabled in the "
			"interest list; proc(5) /proc/pid/fdinfo tfd lines "
			"(3.8)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLONESHOT, TAG);
	mask = fdinfo_mask(ep, p[0]);
	if (mask < 0) {
		close3(ep, p);
		SKIP(return, CONFORM_ENV "/proc/self/fdinfo/<epfd> unreadable or without tfd lines (no /proc)");
	}
	EXPECT_EQ(EPOLLIN | EPOLLONESHOT | EPOLLERR | EPOLLHUP, mask);
	close3(ep, p);
	fire_oneshot(_metadata, &ep, p);
	EXPECT_EQ(EPOLLONESHOT, fdinfo_mask(ep, p[0]));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLOUT | EPOLLONESHOT, NEW_TAG));
	EXPECT_EQ(EPOLLOUT | EPOLLONESHOT | EPOLLERR | EPOLLHUP,
		  fdinfo_mask(ep, p[0]));
	close3(ep, p);
}

/*
 * epoll_ctl(2) EPOLLONESHOT disables the fd "after an event notified for the
 * file descriptor by epoll_wait(2)"; epoll_wait(2) returns "up to
 * maxevents". Two ready one-shot pipes and maxevents 1: the one not
 * returned is not disabled and comes with the next wait; a third wait
 * finds nothing (since 2.6.2).
 */
TEST(entry_left_out_by_maxevents_stays_armed)
{
	struct epoll_event ev[2];
	int ep, p[2][2];
	__u64 first;

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: disabled after an event "
			"is notified; epoll_wait(2) up to maxevents");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[i][0],
					   EPOLLIN | EPOLLONESHOT, 10 + i));
		ASSERT_EQ(1, write(p[i][1], "x", 1));
	}
	ASSERT_EQ(1, epoll_wait(ep, ev, 1, 1000));
	first = ev[0].data.u64;
	ASSERT_EQ(1, epoll_wait(ep, ev, 1, 1000));
	EXPECT_EQ(10 + 11 - first, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	for (int i = 0; i < 2; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

/*
 * epoll_ctl(2): EPOLL_CTL_MOD re-arms; with EPOLLET | EPOLLONESHOT the
 * re-armed entry reports the byte already unread in the pipe (the re-arm
 * looks at the fd's present state; no new arrival is needed), once
 * (since 2.6.2).
 */
TEST(edge_triggered_rearm_reports_data_already_there)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT rearm with EPOLL_CTL_MOD; "
			"EPOLLET");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p,
				EPOLLIN | EPOLLET | EPOLLONESHOT, TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLET | EPOLLONESHOT, NEW_TAG));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(NEW_TAG, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close3(ep, p);
}

TEST_HARNESS_MAIN
