// SPDX-License-Identifier: MIT
/*
 * epoll/wake-all: several threads asleep in epoll_wait(2) on ONE epoll
 * instance. A level-triggered ready fd is returned to every one of them
 * (each waits with maxevents 1): the kernel wakes them one at a time, and
 * each, having taken the still-ready entry, passes the wakeup on. An
 * edge-triggered or one-shot entry is returned to just one. Also: an fd
 * added, or modified into readiness, by another thread wakes a sleeping
 * wait; and successive waits with maxevents 1 round-robin through the
 * ready fds.
 * Sources: epoll(7) "Level-triggered and edge-triggered" (one thread woken
 * for EPOLLET), epoll_wait(2) NOTES (adding an fd while another thread
 * waits; round robin through the ready fds), epoll_ctl(2) EPOLLONESHOT;
 * fs/eventpoll.c (waiters sleep exclusively on the instance; an
 * entry still ready after a harvest is queued again and wakes the next).
 */
#include "conform_epoll.h"

enum { NR_W = 3 };

#define FD_TAG 0xa11ULL		/* the fd under test */
#define KICK_TAG 0xc1cULL	/* a level-triggered kick pipe, to end waits */

/*
 * One instance watching a pipe (the fd under test, events as given) and a
 * level-triggered kick pipe, and NR_W threads asleep on it.
 */
struct crowd {
	int ep, p[2], kick[2];
	struct epoll_waiter w[NR_W];
};

static void crowd_open(struct __test_metadata *_metadata, struct crowd *c,
		       unsigned int events)
{
	epoll_new_watching_pipe(_metadata, &c->ep, c->p, events, FD_TAG);
	ASSERT_EQ(0, conform_pipe(c->kick));
	ASSERT_EQ(0, epoll_ctl_tag(c->ep, EPOLL_CTL_ADD, c->kick[0], EPOLLIN,
				   KICK_TAG));
}

static void crowd_close(struct crowd *c)
{
	close(c->ep);
	close(c->p[0]);
	close(c->p[1]);
	close(c->kick[0]);
	close(c->kick[1]);
}

/* Start the NR_W waiters: 1 when all were seen asleep, else what
 * epoll_waiter_start() said for the first that was not. */
static int crowd_start(struct __test_metadata *_metadata, struct crowd *c)
{
	int all = 1;

	for (int i = 0; i < NR_W; i++) {
		int seen = epoll_waiter_start(_metadata, &c->w[i], c->ep);

		if (seen != 1 && all == 1)
			all = seen;
	}
	return all;
}

/* Make the kick pipe readable (level-triggered: every waiter still asleep
 * gets it, in turn) and join all waiters. */
static void crowd_join(struct __test_metadata *_metadata, struct crowd *c)
{
	ASSERT_EQ(1, write(c->kick[1], "k", 1));
	for (int i = 0; i < NR_W; i++)
		ASSERT_EQ(0, pthread_join(c->w[i].th, NULL));
}

/* How many waiters returned the fd under test; each must have returned
 * one event. */
static int crowd_got_fd(struct __test_metadata *_metadata, struct crowd *c)
{
	int n = 0;

	for (int i = 0; i < NR_W; i++) {
		EXPECT_EQ(1, c->w[i].ret);
		if (c->w[i].ret == 1 && c->w[i].ev.data.u64 == FD_TAG) {
			EXPECT_EQ(EPOLLIN, c->w[i].ev.events);
			n++;
		}
	}
	return n;
}

#define SKIP_UNSEEN(label) \
	SKIP(goto label, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiters block")

/*
 * epoll(7): level-triggered epoll "is simply a faster poll(2)": a ready fd
 * is reported to every wait while it stays ready. With NR_W threads asleep
 * on one instance (maxevents 1 each), one write to a level-triggered pipe
 * is returned to all NR_W of them, before any kick (since 2.6). (The kernel
 * wakes one waiter; the entry, still ready, goes back on the ready list and
 * the next waiter is woken: fs/eventpoll.c.)
 */
TEST(level_triggered_event_reaches_every_waiter)
{
	struct crowd c;
	int seen;

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll(7) Level-triggered and edge-triggered: "
			"level-triggered is a faster poll(2); fs/eventpoll.c");
	EPOLL_REQUIRE();
	crowd_open(_metadata, &c, EPOLLIN);
	seen = crowd_start(_metadata, &c);
	ASSERT_EQ(1, write(c.p[1], "x", 1));
	/* No kick: each waiter must get the pipe's event by itself. */
	for (int i = 0; i < NR_W; i++)
		ASSERT_EQ(0, pthread_join(c.w[i].th, NULL));
	if (seen < 0)
		SKIP_UNSEEN(out);
	ASSERT_EQ(1, seen);
	EXPECT_EQ(NR_W, crowd_got_fd(_metadata, &c));
out:
	crowd_close(&c);
}

/*
 * epoll(7): "If multiple threads ... are blocked in epoll_wait(2) waiting on
 * the same epoll file descriptor and a file descriptor in the interest list
 * that is marked for edge-triggered (EPOLLET) notification becomes ready,
 * just one of the threads ... is awoken". One write: exactly one of the
 * NR_W waiters returns it; the others return the kick that ends them
 * (since 2.6).
 */
TEST(edge_triggered_event_reaches_one_waiter)
{
	struct crowd c;
	int seen;

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7) Level-triggered and edge-triggered: just "
			"one of the threads is awoken");
	EPOLL_REQUIRE();
	crowd_open(_metadata, &c, EPOLLIN | EPOLLET);
	seen = crowd_start(_metadata, &c);
	ASSERT_EQ(1, write(c.p[1], "x", 1));
	crowd_join(_metadata, &c);
	if (seen < 0)
		SKIP_UNSEEN(out);
	ASSERT_EQ(1, seen);
	EXPECT_EQ(1, crowd_got_fd(_metadata, &c));
out:
	crowd_close(&c);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: after one event is notified "the file
 * descriptor is disabled": of NR_W threads asleep on the instance, one
 * returns the level-triggered one-shot pipe and no other does (since
 * 2.6.2).
 */
TEST(oneshot_event_reaches_one_waiter)
{
	struct crowd c;
	int seen;

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: disabled after an event "
			"is notified");
	EPOLL_REQUIRE();
	crowd_open(_metadata, &c, EPOLLIN | EPOLLONESHOT);
	seen = crowd_start(_metadata, &c);
	ASSERT_EQ(1, write(c.p[1], "x", 1));
	crowd_join(_metadata, &c);
	if (seen < 0)
		SKIP_UNSEEN(out);
	ASSERT_EQ(1, seen);
	EXPECT_EQ(1, crowd_got_fd(_metadata, &c));
out:
	crowd_close(&c);
}

/*
 * epoll_wait(2) NOTES: "While one thread is blocked in a call to
 * epoll_wait(), it is possible for another thread to add a file descriptor
 * to the waited-upon epoll instance. If the new file descriptor becomes
 * ready, it will cause the epoll_wait() call to unblock." Here the pipe is
 * already readable when it is added (since 2.6).
 */
TEST(fd_added_ready_by_another_thread_wakes_the_wait)
{
	struct epoll_waiter w;
	int ep, p[2], seen;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_wait(2) NOTES: adding an fd while another "
			"thread is blocked unblocks it when ready");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	seen = epoll_waiter_start(_metadata, &w, ep);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, FD_TAG));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(FD_TAG, w.ev.data.u64);
out:
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLL_CTL_MOD changes the events of an entry; when the new
 * mask matches what the fd already has, a thread asleep in epoll_wait is
 * woken, as for an add (epoll_wait(2) NOTES). The pipe holds data while
 * its entry asks for EPOLLOUT only (a read end is never writable); MOD to
 * EPOLLIN wakes the waiter (since 2.6).
 */
TEST(mod_into_readiness_by_another_thread_wakes_the_wait)
{
	struct epoll_waiter w;
	int ep, p[2], seen;

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"epoll_ctl(2) EPOLL_CTL_MOD; epoll_wait(2) NOTES: a "
			"change by another thread unblocks the wait");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLOUT, FD_TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	seen = epoll_waiter_start(_metadata, &w, ep);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, FD_TAG));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(FD_TAG, w.ev.data.u64);
out:
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2) NOTES: "If more than maxevents file descriptors are ready
 * when epoll_wait() is called, then successive epoll_wait() calls will
 * round robin through the set of ready file descriptors." Three ready
 * level-triggered pipes, maxevents 1: three waits return three different
 * fds, and the fourth starts the round again with the first (since 2.6).
 */
TEST(successive_waits_round_robin_through_ready_fds)
{
	struct epoll_event ev[1];
	int ep, p[3][2];
	__u64 got[4];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) NOTES: successive calls round robin "
			"through the set of ready file descriptors");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[i][0], EPOLLIN,
					   i));
		ASSERT_EQ(1, write(p[i][1], "x", 1));
	}
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(1, epoll_wait(ep, ev, 1, 1000));
		got[i] = ev[0].data.u64;
	}
	EXPECT_NE(got[0], got[1]);
	EXPECT_NE(got[1], got[2]);
	EXPECT_NE(got[0], got[2]);
	EXPECT_EQ(got[0], got[3]);
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

TEST_HARNESS_MAIN
