// SPDX-License-Identifier: MIT
/*
 * uring/ring-fd-poll: the ring file descriptor as an event source. An
 * io_uring fd polls readable (POLLIN) while CQEs wait in its CQ ring
 * (io_uring_poll(), since 5.1), and that readiness is seen through
 * poll(2), epoll (level- and edge-triggered), another ring's
 * IORING_OP_POLL_ADD and another ring's multishot POLL_ADD, for each
 * task-run mode of the polled ring: the default, IORING_SETUP_COOP_TASKRUN
 * (5.19), IORING_SETUP_DEFER_TASKRUN with IORING_SETUP_SINGLE_ISSUER (6.1)
 * and IORING_SETUP_SQPOLL (5.1). Every completion comes from a POLL_ADD on
 * a pipe (a registered file, so that SQPOLL rings of every kernel take it)
 * that the test writes, so nothing depends on timing.
 * With DEFER_TASKRUN the completion stays task work until the owner enters
 * with IORING_ENTER_GETEVENTS: io_uring_poll() reports POLLIN for that
 * pending work (io_has_work(), 6.1), so poll(2) sees it before the CQ tail
 * moves; whether epoll and ring pollers are woken for it changed: 6.1
 * woke every waiter of the CQ when the work was queued; since ring polling
 * got its own wait queue (->poll_wq; 6.12, 6.18, 7.2 seen) only a posted
 * CQE is sure to wake them, until commit b88902d8745a ("io_uring: wake
 * ring pollers for local task_work"). The tests assert what holds on
 * all (after the GETEVENTS enter the CQE is posted and every observer
 * sees it) and log what the kernel showed before it.
 * A multishot poll of a ring fd ends after its first CQE: the ring's CQ
 * wake-ups carry EPOLL_URING_WAKE and a multishot poll woken by one turns
 * single-shot (commits caf1aeaffc3b and 4464853277d0, 6.1, backported).
 * The registered eventfd: one count per separately posted completion, a
 * batch may count once (io_uring_register_eventfd(3) NOTES),
 * IORING_CQ_EVENTFD_DISABLED (5.8) also for completions run as task work,
 * IORING_REGISTER_EVENTFD_ASYNC (5.6) not signalled for them, the
 * DEFER_TASKRUN signal for pending work (6.1), and a multishot poll of a
 * registered eventfd.
 */
#include <liburing.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "conform_uring.h"

enum mode { M_DEFAULT, M_COOP, M_DEFER, M_SQPOLL };

static const char *const mode_name[] = {
	"default", "IORING_SETUP_COOP_TASKRUN",
	"IORING_SETUP_DEFER_TASKRUN", "IORING_SETUP_SQPOLL",
};

enum {
	TAG_SRC = 0x5c,		/* the polled ring's pipe poll */
	TAG_WATCH = 0x3a,	/* the observing ring's poll of the ring fd */
	TAG_NOP = 0x70,
	SQ_IDLE_MS = 10,
};

/* The setup flags of a mode. */
static unsigned int mode_flags(enum mode m)
{
	switch (m) {
	case M_COOP:
		return IORING_SETUP_COOP_TASKRUN;
	case M_DEFER:
		return IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	case M_SQPOLL:
		return IORING_SETUP_SQPOLL;
	default:
		return 0;
	}
}

/* NULL when a ring of mode m can be made; else why not (setup probe). */
static const char *mode_missing(enum mode m)
{
	if (m == M_DEFAULT)
		return conform_uring_unavailable();
	return conform_uring_setup_missing(mode_flags(m), mode_name[m]);
}

/*
 * The polled ring: mode m, 4 entries, the read end of pipe p registered as
 * fixed file 0. Its completions are POLLIN polls of that pipe, made to
 * complete by a byte the test writes.
 */
struct src {
	struct io_uring ring;
	int p[2];
	enum mode mode;
};

static void src_init(struct __test_metadata *_metadata, struct src *s,
		     enum mode m)
{
	struct io_uring_params prm;

	memset(&prm, 0, sizeof(prm));
	prm.flags = mode_flags(m);
	prm.sq_thread_idle = SQ_IDLE_MS;
	s->mode = m;
	ASSERT_EQ(0, conform_pipe(s->p));
	ASSERT_EQ(0, io_uring_queue_init_params(4, &s->ring, &prm));
	ASSERT_EQ(0, io_uring_register_files(&s->ring, &s->p[0], 1));
}

static void src_free(struct src *s)
{
	io_uring_queue_exit(&s->ring);
	close(s->p[0]);
	close(s->p[1]);
}

/* Submit the POLLIN poll of the (empty) pipe, tagged tag. */
static void src_arm(struct __test_metadata *_metadata, struct src *s,
		    __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

	ASSERT_NE(NULL, sqe);
	io_uring_prep_poll_add(sqe, 0, POLLIN);
	sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, tag);
	ASSERT_TRUE(uring_submitted_one(&s->ring, io_uring_submit(&s->ring)));
}

/* Write the byte that completes the armed poll. */
static void src_fire(struct __test_metadata *_metadata, struct src *s)
{
	ASSERT_EQ(1, write(s->p[1], "f", 1));
}

/*
 * Make the completion a CQE: with DEFER_TASKRUN the owner's
 * io_uring_enter(IORING_ENTER_GETEVENTS) runs the deferred task work; the
 * other modes post it by themselves (the task's own return from write(2),
 * or the SQ thread).
 */
static void src_post(struct __test_metadata *_metadata, struct src *s)
{
	if (s->mode == M_DEFER)
		ASSERT_EQ(0, uring_sys_enter(s->ring.ring_fd, 0, 0,
					     IORING_ENTER_GETEVENTS));
}

/* Reap the pipe poll's CQE (tag, POLLIN) and empty the pipe again. */
static void src_reap(struct __test_metadata *_metadata, struct src *s,
		     __u64 tag)
{
	struct io_uring_cqe cqe;
	char c;

	ASSERT_EQ(0, uring_reap_one(&s->ring, &cqe));
	EXPECT_EQ(tag, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	ASSERT_EQ(1, read(s->p[0], &c, 1));
}

/* poll(2) of fd right now: its revents, or -1. */
static int revents_now(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) < 0 ? -1 : pfd.revents;
}

/* CQEs in the ring, read from its tail: nothing enters the kernel. */
static unsigned int cq_ready(struct src *s)
{
	return io_uring_cq_ready(&s->ring);
}

/* ------------------------------------------------------------------ */
/* poll(2)                                                             */
/* ------------------------------------------------------------------ */

struct writer {
	int fd;
	pid_t tid;
	int seen;	/* conform_wait_blocked_in() */
	ssize_t wrote;
};

/* Write one byte once the main thread sleeps in ppoll(2). */
static void *writer_main(void *arg)
{
	struct writer *w = arg;

	w->seen = conform_wait_blocked_in(w->tid, SYS_ppoll);
	w->wrote = write(w->fd, "w", 1);
	return NULL;
}

/*
 * A task sleeping in ppoll(2) on the ring fd is woken by the CQE: the poll
 * of the pipe is armed, the ring fd is not readable; another thread
 * writes the pipe once this one sleeps in ppoll() (2 s bound), which
 * returns POLLIN with the CQE in the ring; once it is reaped the ring fd
 * is not readable again.
 */
static void poll_sees_cqe(struct __test_metadata *_metadata, enum mode m)
{
	struct timespec bound = { .tv_sec = 2 };
	struct writer w;
	struct pollfd pfd;
	struct src s;
	pthread_t th;
	int ret;

	src_init(_metadata, &s, m);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, revents_now(s.ring.ring_fd) & POLLIN);
	w.fd = s.p[1];
	w.tid = gettid();
	w.seen = 0;
	w.wrote = 0;
	ASSERT_EQ(0, pthread_create(&th, NULL, writer_main, &w));
	pfd.fd = s.ring.ring_fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	ret = ppoll(&pfd, 1, &bound, NULL);
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(1, w.wrote);
	if (w.seen != 1)
		TH_LOG("the writer did not see this thread asleep in ppoll (%d): readiness checked, not the wake-up",
		       w.seen);
	EXPECT_EQ(1, ret);
	EXPECT_EQ(POLLIN, pfd.revents & POLLIN);
	EXPECT_EQ(1u, cq_ready(&s));
	src_reap(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, revents_now(s.ring.ring_fd) & POLLIN);
	src_free(&s);
}

/*
 * io_uring_poll() (io_uring/io_uring.c): "EPOLLIN" when CQEs are ready "||
 * io_has_work(ctx)", which for DEFER_TASKRUN is pending local task work
 * (6.1). poll(2) of a DEFER_TASKRUN ring reports POLLIN once the pipe is
 * written although the CQ ring is still empty; the owner's GETEVENTS
 * enter posts the CQE (still POLLIN); once reaped, not readable.
 */
static void poll_sees_deferred_work(struct __test_metadata *_metadata)
{
	struct src s;

	src_init(_metadata, &s, M_DEFER);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, revents_now(s.ring.ring_fd) & POLLIN);
	src_fire(_metadata, &s);
	EXPECT_EQ(POLLIN, revents_now(s.ring.ring_fd) & POLLIN);
	EXPECT_EQ(0u, cq_ready(&s));
	src_post(_metadata, &s);
	EXPECT_EQ(1u, cq_ready(&s));
	EXPECT_EQ(POLLIN, revents_now(s.ring.ring_fd) & POLLIN);
	src_reap(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, revents_now(s.ring.ring_fd) & POLLIN);
	src_free(&s);
}

/*
 * io_uring(7) / io_uring_enter(2): the ring fd can be polled for POLLIN,
 * readable while CQEs wait (io_uring_poll(), since 5.1). Default mode.
 */
TEST(poll_is_woken_by_cqe_on_default_ring)
{
	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring/io_uring.c io_uring_poll(): EPOLLIN while CQEs are ready; poll(2)");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	poll_sees_cqe(_metadata, M_DEFAULT);
}

/*
 * As poll_is_woken_by_cqe_on_default_ring, for a ring with
 * IORING_SETUP_COOP_TASKRUN: the completion's task work does not
 * interrupt a task in user space, but this task sleeps in ppoll(2) and is
 * woken to run it (task_work_add() TWA_SIGNAL_NO_IPI wakes a sleeper,
 * commit e1169f06d5bb, 5.19).
 */
TEST(poll_is_woken_by_cqe_on_coop_taskrun_ring)
{
	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_COOP_TASKRUN; io_uring_poll(); poll(2)");
	CONFORM_REQUIRE(mode_missing(M_COOP));
	poll_sees_cqe(_metadata, M_COOP);
}

/*
 * With IORING_SETUP_DEFER_TASKRUN: poll(2) reports the deferred
 * completion as POLLIN before it is a CQE (io_has_work(), 6.1). Not a
 * sleeping poll: since ->poll_wq a poller is not reliably woken for local
 * task work (commit b88902d8745a "io_uring: wake ring pollers for local
 * task_work" describes it; seen on 7.2).
 */
TEST(poll_reports_deferred_work_on_defer_taskrun_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring/io_uring.c io_uring_poll() io_has_work(): pending local task work; io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_DEFER));
	poll_sees_deferred_work(_metadata);
}

/*
 * As poll_is_woken_by_cqe_on_default_ring, for an IORING_SETUP_SQPOLL
 * ring: the SQ thread posts the CQE and wakes the poller (since 5.1).
 */
TEST(poll_is_woken_by_cqe_on_sqpoll_ring)
{
	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL; io_uring_poll(); poll(2)");
	CONFORM_REQUIRE(mode_missing(M_SQPOLL));
	poll_sees_cqe(_metadata, M_SQPOLL);
}

/* ------------------------------------------------------------------ */
/* epoll                                                               */
/* ------------------------------------------------------------------ */

/* How often epoll_wait(2) failed with EINTR (no signal handler is set). */
static int ep_eintr;

/*
 * epoll_wait(2) of ep for at most ms milliseconds: the count, or -1. An
 * EINTR is counted and the wait resumed: task work queued for this task
 * (TWA_SIGNAL) makes a sleeping epoll_wait() return EINTR though no
 * handler ran (seen on 6.1 with a DEFER_TASKRUN ring).
 */
static int ep_wait(int ep, int ms, struct epoll_event *ev)
{
	struct timespec now, end;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		long left;

		ret = epoll_wait(ep, ev, 1, ms);
		if (ret >= 0 || errno != EINTR)
			return ret;
		ep_eintr++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000L +
		       (end.tv_nsec - now.tv_nsec) / 1000000L;
		ms = left > 0 ? (int)left : 0;
	}
}

/* Log the EINTRs ep_wait() resumed from, if any. */
static void log_eintr(struct __test_metadata *_metadata)
{
	if (ep_eintr)
		TH_LOG("epoll_wait() failed %d time(s) with EINTR without a signal handler (io_uring task work)",
		       ep_eintr);
}

/* A new epoll instance watching the ring fd of s with events. */
static int ep_watching(struct __test_metadata *_metadata, struct src *s,
		       unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.u64 = TAG_WATCH };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	EXPECT_LE(0, ep);
	if (ep >= 0)
		EXPECT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, s->ring.ring_fd, &ev));
	return ep;
}

/*
 * Fire the armed poll and make it a CQE. For DEFER_TASKRUN the epoll
 * count seen before the GETEVENTS enter is returned through *before (and
 * logged); -1 for the other modes.
 */
static void fire_and_post(struct __test_metadata *_metadata, struct src *s,
			  int ep, int *before)
{
	struct epoll_event ev;

	src_fire(_metadata, s);
	*before = -1;
	if (s->mode != M_DEFER)
		return;
	*before = ep_wait(ep, 0, &ev);
	TH_LOG("DEFER_TASKRUN: epoll saw %d event(s) while the completion was pending task work (6.1 wakes it; not sure since ->poll_wq, until commit b88902d8745a)",
	       *before);
	src_post(_metadata, s);
}

/*
 * epoll(7) level-triggered: the ring fd is reported with EPOLLIN once a
 * CQE is posted, again at every epoll_wait() while the CQE is not reaped,
 * and no more once it is.
 */
static void epoll_lt_sees_cqe(struct __test_metadata *_metadata, enum mode m)
{
	struct epoll_event ev;
	struct src s;
	int ep, before;

	src_init(_metadata, &s, m);
	ep = ep_watching(_metadata, &s, EPOLLIN);
	ASSERT_LE(0, ep);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, ep_wait(ep, 0, &ev));
	fire_and_post(_metadata, &s, ep, &before);
	ASSERT_EQ(1, ep_wait(ep, URING_REAP_BOUND_MS, &ev));
	EXPECT_EQ((unsigned int)EPOLLIN, ev.events & EPOLLIN);
	EXPECT_EQ((__u64)TAG_WATCH, ev.data.u64);
	EXPECT_EQ(1u, cq_ready(&s));
	EXPECT_EQ(1, ep_wait(ep, 0, &ev));
	src_reap(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, ep_wait(ep, 0, &ev));
	log_eintr(_metadata);
	close(ep);
	src_free(&s);
}

/*
 * epoll(7) edge-triggered (EPOLLET): a posted CQE is reported once; the
 * next epoll_wait() reports nothing although the CQE is not reaped; a
 * new CQE is a new edge, reported once more. With DEFER_TASKRUN the
 * first edge may come when the work is queued (6.1) or when the
 * GETEVENTS enter posts it (later kernels); it is counted over both.
 */
static void epoll_et_sees_cqe(struct __test_metadata *_metadata, enum mode m)
{
	struct epoll_event ev;
	struct src s;
	int ep, before, after;
	char c;

	src_init(_metadata, &s, m);
	ep = ep_watching(_metadata, &s, EPOLLIN | EPOLLET);
	ASSERT_LE(0, ep);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0, ep_wait(ep, 0, &ev));
	for (int round = 1; round <= 2; round++) {
		/* Round 2: a second CQE (the first one stays), a second
		 * edge. The pipe is emptied first, else the new poll would
		 * complete at once, while being submitted. */
		if (round == 2) {
			ASSERT_EQ(1, read(s.p[0], &c, 1));
			src_arm(_metadata, &s, TAG_SRC + 1);
		}
		fire_and_post(_metadata, &s, ep, &before);
		if (before > 0) {
			/* DEFER_TASKRUN: the edge came with the queued
			 * work; the posting may make one more. */
			after = ep_wait(ep, 0, &ev);
			TH_LOG("DEFER_TASKRUN: %d more edge(s) when the CQE was posted",
			       after);
			EXPECT_GE(1, after);
		} else {
			EXPECT_EQ(1, ep_wait(ep, URING_REAP_BOUND_MS, &ev));
			EXPECT_EQ((unsigned int)EPOLLIN, ev.events & EPOLLIN);
		}
		EXPECT_EQ((unsigned int)round, cq_ready(&s));
		/* The CQE is still there, but no new edge: nothing. */
		EXPECT_EQ(0, ep_wait(ep, 0, &ev));
	}
	log_eintr(_metadata);
	close(ep);
	src_free(&s);
}

/* epoll(7) level-triggered on the ring fd; default mode (since 5.1). */
TEST(epoll_lt_reports_cqe_until_reaped_on_default_ring)
{
	CONFORM_DECLARE("5.1", "io_uring_setup",
			"epoll(7) level-triggered; io_uring/io_uring.c io_uring_poll()");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	epoll_lt_sees_cqe(_metadata, M_DEFAULT);
}

/* epoll(7) level-triggered on a COOP_TASKRUN ring fd (since 5.19). */
TEST(epoll_lt_reports_cqe_until_reaped_on_coop_taskrun_ring)
{
	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"epoll(7) level-triggered; io_uring_setup(2) IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_COOP));
	epoll_lt_sees_cqe(_metadata, M_COOP);
}

/*
 * epoll(7) level-triggered on a DEFER_TASKRUN ring fd: reported once the
 * owner's GETEVENTS enter has posted the CQE (since 6.1); what epoll saw
 * while it was pending task work is logged.
 */
TEST(epoll_lt_reports_cqe_until_reaped_on_defer_taskrun_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"epoll(7) level-triggered; io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_DEFER));
	epoll_lt_sees_cqe(_metadata, M_DEFER);
}

/* epoll(7) level-triggered on an SQPOLL ring fd (since 5.1). */
TEST(epoll_lt_reports_cqe_until_reaped_on_sqpoll_ring)
{
	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"epoll(7) level-triggered; io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE(mode_missing(M_SQPOLL));
	epoll_lt_sees_cqe(_metadata, M_SQPOLL);
}

/* epoll(7) EPOLLET on the ring fd; default mode (since 5.1). */
TEST(epoll_et_reports_each_new_cqe_once_on_default_ring)
{
	CONFORM_DECLARE("5.1", "io_uring_setup",
			"epoll(7) EPOLLET; io_uring/io_uring.c io_uring_poll()");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	epoll_et_sees_cqe(_metadata, M_DEFAULT);
}

/* epoll(7) EPOLLET on a COOP_TASKRUN ring fd (since 5.19). */
TEST(epoll_et_reports_each_new_cqe_once_on_coop_taskrun_ring)
{
	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"epoll(7) EPOLLET; io_uring_setup(2) IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_COOP));
	epoll_et_sees_cqe(_metadata, M_COOP);
}

/*
 * epoll(7) EPOLLET on a DEFER_TASKRUN ring fd: one edge per completion,
 * whether at the queueing (6.1) or at the GETEVENTS enter (later); since
 * 6.1.
 */
TEST(epoll_et_reports_each_new_cqe_once_on_defer_taskrun_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"epoll(7) EPOLLET; io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_DEFER));
	epoll_et_sees_cqe(_metadata, M_DEFER);
}

/* epoll(7) EPOLLET on an SQPOLL ring fd (since 5.1). */
TEST(epoll_et_reports_each_new_cqe_once_on_sqpoll_ring)
{
	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"epoll(7) EPOLLET; io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE(mode_missing(M_SQPOLL));
	epoll_et_sees_cqe(_metadata, M_SQPOLL);
}

/* ------------------------------------------------------------------ */
/* Another ring's POLL_ADD of the ring fd                              */
/* ------------------------------------------------------------------ */

/* A default 4-entry ring with a POLLIN poll of fd (multishot or not). */
static void watch_init(struct __test_metadata *_metadata,
		       struct io_uring *w, int fd, bool multishot)
{
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, io_uring_queue_init(4, w, 0));
	sqe = io_uring_get_sqe(w);
	ASSERT_NE(NULL, sqe);
	if (multishot)
		io_uring_prep_poll_multishot(sqe, fd, POLLIN);
	else
		io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, TAG_WATCH);
	ASSERT_TRUE(uring_submitted_one(w, io_uring_submit(w)));
}

/*
 * With DEFER_TASKRUN: log whether the watching ring's poll completed
 * while the completion was still pending task work, then post it.
 */
static void log_watch_then_post(struct __test_metadata *_metadata,
				struct src *s, struct io_uring *w)
{
	if (s->mode != M_DEFER)
		return;
	TH_LOG("DEFER_TASKRUN: the watching poll %s while the completion was pending task work",
	       uring_wait_briefly(w) ? "had not completed" : "had completed");
	src_post(_metadata, s);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD works on any pollable file, a ring
 * fd too: another ring's POLLIN poll of the ring fd waits while the CQ
 * ring is empty and completes with POLLIN once a CQE is posted.
 */
static void ring_poll_sees_cqe(struct __test_metadata *_metadata, enum mode m)
{
	struct io_uring_cqe cqe;
	struct io_uring w;
	struct src s;

	src_init(_metadata, &s, m);
	watch_init(_metadata, &w, s.ring.ring_fd, false);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&w));
	src_fire(_metadata, &s);
	log_watch_then_post(_metadata, &s, &w);
	ASSERT_EQ(0, uring_reap_one(&w, &cqe));
	EXPECT_EQ((__u64)TAG_WATCH, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	EXPECT_EQ(1u, cq_ready(&s));
	src_reap(_metadata, &s, TAG_SRC);
	io_uring_queue_exit(&w);
	src_free(&s);
}

/*
 * Kernel commits caf1aeaffc3b ("eventpoll: add EPOLL_URING_WAKE poll
 * wakeup flag") and 4464853277d0 ("io_uring: pass in EPOLL_URING_WAKE for
 * eventfd signaling and wakeups"), 6.1 (Cc stable, in Debian's 5.10):
 * the ring's CQ wake-ups carry EPOLL_URING_WAKE, and a multishot poll
 * woken by one "disable[s] multishot": another ring's multishot POLLIN
 * poll of the ring fd completes once, with POLLIN and without
 * IORING_CQE_F_MORE, and a second CQE posts nothing more. Before (5.13 to
 * 6.0) it stayed armed; then its CQE has IORING_CQE_F_MORE and, as
 * io_uring_enter(2) says of that flag, more follow: the second CQE posts
 * another. Each variant is asserted by the F_MORE of the first CQE, and
 * logged.
 */
static void ring_multishot_poll_sees_cqe(struct __test_metadata *_metadata,
					 enum mode m)
{
	struct io_uring_cqe cqe;
	struct io_uring w;
	struct src s;
	bool more;

	src_init(_metadata, &s, m);
	watch_init(_metadata, &w, s.ring.ring_fd, true);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&w));
	src_fire(_metadata, &s);
	log_watch_then_post(_metadata, &s, &w);
	ASSERT_EQ(0, uring_reap_one(&w, &cqe));
	EXPECT_EQ((__u64)TAG_WATCH, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	more = cqe.flags & IORING_CQE_F_MORE;
	TH_LOG("%s", more ? "multishot poll of a ring fd stays armed (before 6.1)" :
			    "multishot poll of a ring fd ended after one CQE (EPOLL_URING_WAKE, 6.1)");
	src_reap(_metadata, &s, TAG_SRC);
	src_arm(_metadata, &s, TAG_SRC + 1);
	src_fire(_metadata, &s);
	src_post(_metadata, &s);
	if (more) {
		ASSERT_EQ(0, uring_reap_one(&w, &cqe));
		EXPECT_EQ(POLLIN, cqe.res);
	} else {
		EXPECT_EQ(-ETIME, uring_wait_briefly(&w));
	}
	src_reap(_metadata, &s, TAG_SRC + 1);
	io_uring_queue_exit(&w);
	src_free(&s);
}

/* Another ring's POLL_ADD of a default ring's fd (since 5.1). */
TEST(ring_poll_add_completes_on_cqe_of_default_ring)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD; io_uring/io_uring.c io_uring_poll()");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	ring_poll_sees_cqe(_metadata, M_DEFAULT);
}

/* Another ring's POLL_ADD of a COOP_TASKRUN ring's fd (since 5.19). */
TEST(ring_poll_add_completes_on_cqe_of_coop_taskrun_ring)
{
	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"io_uring_enter(2) IORING_OP_POLL_ADD; io_uring_setup(2) IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_COOP));
	ring_poll_sees_cqe(_metadata, M_COOP);
}

/*
 * Another ring's POLL_ADD of a DEFER_TASKRUN ring's fd: complete by the
 * time the owner's GETEVENTS enter has posted the CQE (since 6.1); whether
 * it did before is logged.
 */
TEST(ring_poll_add_completes_on_cqe_of_defer_taskrun_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_enter(2) IORING_OP_POLL_ADD; io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_DEFER));
	ring_poll_sees_cqe(_metadata, M_DEFER);
}

/* Another ring's POLL_ADD of an SQPOLL ring's fd (since 5.1). */
TEST(ring_poll_add_completes_on_cqe_of_sqpoll_ring)
{
	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"io_uring_enter(2) IORING_OP_POLL_ADD; io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE(mode_missing(M_SQPOLL));
	ring_poll_sees_cqe(_metadata, M_SQPOLL);
}

/*
 * NULL if a multishot poll is armed (IORING_POLL_ADD_MULTI, 5.13): on a
 * ring and pipe of their own, a write posts POLLIN with IORING_CQE_F_MORE.
 */
static const char *multishot_missing(void)
{
	struct io_uring_cqe cqe;
	struct io_uring r;
	const char *why = NULL;
	int p[2];

	if (conform_pipe(p))
		return CONFORM_ENV "pipe failed in the multishot probe";
	if (io_uring_queue_init(4, &r, 0)) {
		close(p[0]);
		close(p[1]);
		return CONFORM_ENV "io_uring_queue_init failed in the multishot probe";
	}
	io_uring_prep_poll_multishot(io_uring_get_sqe(&r), p[0], POLLIN);
	if (io_uring_submit(&r) != 1 || write(p[1], "m", 1) != 1 ||
	    uring_reap_one(&r, &cqe)) {
		why = "IORING_POLL_ADD_MULTI: the probe (a multishot poll of a pipe) did not complete";
	} else if (cqe.res != POLLIN || !(cqe.flags & IORING_CQE_F_MORE)) {
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_POLL_ADD_MULTI: a multishot poll of a written pipe completes with %d, flags 0x%x",
			 cqe.res, cqe.flags);
		why = conform_why;
	}
	io_uring_queue_exit(&r);
	close(p[0]);
	close(p[1]);
	return why;
}

/* Multishot POLL_ADD of a default ring's fd (see above; 6.1). */
TEST(ring_multishot_poll_ends_after_first_cqe_of_default_ring)
{
	CONFORM_DECLARE("6.1", "IORING_POLL_ADD_MULTI",
			"commit 4464853277d0 (io_uring: pass in EPOLL_URING_WAKE for eventfd signaling and wakeups); io_uring_enter(2) IORING_CQE_F_MORE");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE(multishot_missing());
	ring_multishot_poll_sees_cqe(_metadata, M_DEFAULT);
}

/* Multishot POLL_ADD of a COOP_TASKRUN ring's fd (6.1). */
TEST(ring_multishot_poll_ends_after_first_cqe_of_coop_taskrun_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_COOP_TASKRUN",
			"commit 4464853277d0 (EPOLL_URING_WAKE); io_uring_setup(2) IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_COOP));
	CONFORM_REQUIRE(multishot_missing());
	ring_multishot_poll_sees_cqe(_metadata, M_COOP);
}

/*
 * Multishot POLL_ADD of a DEFER_TASKRUN ring's fd: one CQE, by the time
 * the owner's GETEVENTS enter has posted (6.1).
 */
TEST(ring_multishot_poll_ends_after_first_cqe_of_defer_taskrun_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"commit 4464853277d0 (EPOLL_URING_WAKE); io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE(mode_missing(M_DEFER));
	CONFORM_REQUIRE(multishot_missing());
	ring_multishot_poll_sees_cqe(_metadata, M_DEFER);
}

/* Multishot POLL_ADD of an SQPOLL ring's fd (6.1). */
TEST(ring_multishot_poll_ends_after_first_cqe_of_sqpoll_ring)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_SQPOLL",
			"commit 4464853277d0 (EPOLL_URING_WAKE); io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE(mode_missing(M_SQPOLL));
	CONFORM_REQUIRE(multishot_missing());
	ring_multishot_poll_sees_cqe(_metadata, M_SQPOLL);
}

/* ------------------------------------------------------------------ */
/* The registered eventfd                                              */
/* ------------------------------------------------------------------ */

/* Register a new nonblocking eventfd on s with op; returns it. */
static int src_eventfd(struct __test_metadata *_metadata, struct src *s,
		       unsigned int op)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	EXPECT_LE(0, efd);
	if (efd >= 0)
		EXPECT_EQ(0, uring_register_raw(&s->ring, op, &efd, 1));
	return efd;
}

/* The eventfd's count, read (and so reset); 0 when it is 0. */
static uint64_t efd_take(int efd)
{
	uint64_t v = 0;

	return read(efd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? v : 0;
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD: "notified of completion
 * events"; each completion posted on its own signals it once: two pipe
 * polls completed by two separate writes leave a count of exactly 2 with
 * two CQEs in the ring (since 5.2).
 */
TEST(eventfd_counts_each_separately_posted_cqe)
{
	struct src s;
	int efd;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register(2) IORING_REGISTER_EVENTFD; io_uring_register_eventfd(3)");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE_EVENTFD();
	src_init(_metadata, &s, M_DEFAULT);
	efd = src_eventfd(_metadata, &s, IORING_REGISTER_EVENTFD);
	ASSERT_LE(0, efd);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_EQ(0u, efd_take(efd));
	src_fire(_metadata, &s);
	src_reap(_metadata, &s, TAG_SRC);
	src_arm(_metadata, &s, TAG_SRC + 1);
	src_fire(_metadata, &s);
	ASSERT_TRUE(conform_fd_readable(efd, URING_REAP_BOUND_MS));
	EXPECT_EQ(2u, efd_take(efd));
	src_reap(_metadata, &s, TAG_SRC + 1);
	close(efd);
	src_free(&s);
}

/*
 * io_uring_register_eventfd(3) NOTES: "batched completions of CQEs may
 * only trigger a single eventfd notification even if multiple CQEs are
 * posted ... make no assumptions on number of events being available
 * having a direct correlation to eventfd notifications" (io_uring.c:
 * "There's no depedency on 1:1 relationship"). Three NOPs submitted
 * together post three CQEs and raise the count by 1 to 3 (every kernel
 * tested: 1; logged); since 5.2.
 */
TEST(eventfd_may_count_a_batch_of_cqes_once)
{
	struct src s;
	uint64_t v;
	int efd;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register_eventfd(3) NOTES: batched completions may trigger a single notification");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE_EVENTFD();
	src_init(_metadata, &s, M_DEFAULT);
	efd = src_eventfd(_metadata, &s, IORING_REGISTER_EVENTFD);
	ASSERT_LE(0, efd);
	for (int i = 0; i < 3; i++)
		ASSERT_NE(NULL, uring_queue_nop(&s.ring, TAG_NOP + i, 0));
	ASSERT_EQ(3, io_uring_submit(&s.ring));
	ASSERT_TRUE(conform_fd_readable(efd, URING_REAP_BOUND_MS));
	v = efd_take(efd);
	TH_LOG("3 CQEs posted by one submit counted %llu", (unsigned long long)v);
	EXPECT_LE(1u, v);
	EXPECT_GE(3u, v);
	EXPECT_EQ(3u, cq_ready(&s));
	close(efd);
	src_free(&s);
}

/* The CQ ring's flags word, located by mapping offsets (5.8). */
static unsigned int *cq_flags_word(struct io_uring *ring,
				   const struct io_uring_params *p)
{
	return (unsigned int *)((char *)ring->cq.ring_ptr + p->cq_off.flags);
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD: "An application can
 * temporarily disable notifications ... by setting the
 * IORING_CQ_EVENTFD_DISABLED bit in the flags field of the CQ ring",
 * available since 5.8. Also for a completion that runs as task work (a
 * pipe poll completed by a write): with the bit set the CQE is posted and
 * the eventfd stays 0; with it cleared the next one signals it.
 */
TEST(eventfd_disabled_bit_covers_task_work_completion)
{
	struct io_uring_params p;
	unsigned int *flags;
	struct src s;
	int efd;

	CONFORM_DECLARE("5.8", "IORING_CQ_EVENTFD_DISABLED",
			"io_uring_register(2) IORING_REGISTER_EVENTFD: IORING_CQ_EVENTFD_DISABLED, available since 5.8");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE_EVENTFD();
	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, conform_pipe(s.p));
	ASSERT_EQ(0, io_uring_queue_init_params(4, &s.ring, &p));
	ASSERT_EQ(0, io_uring_register_files(&s.ring, &s.p[0], 1));
	if (!p.cq_off.flags) {
		src_free(&s);
		SKIP(return, "io_uring_params.cq_off.flags is 0: no CQ ring flags word for IORING_CQ_EVENTFD_DISABLED");
	}
	efd = src_eventfd(_metadata, &s, IORING_REGISTER_EVENTFD);
	ASSERT_LE(0, efd);
	flags = cq_flags_word(&s.ring, &p);
	__atomic_store_n(flags, __atomic_load_n(flags, __ATOMIC_RELAXED) |
			 IORING_CQ_EVENTFD_DISABLED, __ATOMIC_RELEASE);
	src_arm(_metadata, &s, TAG_SRC);
	src_fire(_metadata, &s);
	src_reap(_metadata, &s, TAG_SRC);
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	__atomic_store_n(flags, __atomic_load_n(flags, __ATOMIC_RELAXED) &
			 ~IORING_CQ_EVENTFD_DISABLED, __ATOMIC_RELEASE);
	src_arm(_metadata, &s, TAG_SRC + 1);
	src_fire(_metadata, &s);
	src_reap(_metadata, &s, TAG_SRC + 1);
	EXPECT_TRUE(conform_fd_readable(efd, URING_REAP_BOUND_MS));
	EXPECT_EQ(1u, efd_take(efd));
	close(efd);
	src_free(&s);
}

/*
 * NULL if IORING_REGISTER_EVENTFD_ASYNC registers an eventfd on a ring of
 * its own (uring_register_missing(): kernels before 5.6 refuse the
 * opcode); else why not.
 */
static const char *async_eventfd_missing(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	const char *why;

	if (efd < 0)
		return CONFORM_ENV "eventfd failed in the IORING_REGISTER_EVENTFD_ASYNC probe";
	why = uring_register_missing(IORING_REGISTER_EVENTFD_ASYNC, &efd, 1,
				     "IORING_REGISTER_EVENTFD_ASYNC");
	close(efd);
	return why;
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC: "notifications are
 * only posted for events that complete in an async manner. This means
 * that events that complete inline while being submitted do not trigger a
 * notification event." A pipe poll completed later by a write did not
 * complete inline, yet it is not signalled: the kernel signals an async
 * eventfd only from an io-wq worker (io_eventfd_signal():
 * "ev_fd->eventfd_async && !io_wq_current_is_worker()" skips; commit
 * f2842ab5b72d, 5.6). The CQE is posted and the eventfd stays 0 (every
 * kernel 5.10 to 7.2).
 */
TEST(eventfd_async_is_not_signalled_by_task_work_completion)
{
	struct src s;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_EVENTFD_ASYNC",
			"io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC; io_uring/eventfd.c io_eventfd_signal(): io-wq workers only");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE(async_eventfd_missing());
	src_init(_metadata, &s, M_DEFAULT);
	efd = src_eventfd(_metadata, &s, IORING_REGISTER_EVENTFD_ASYNC);
	ASSERT_LE(0, efd);
	src_arm(_metadata, &s, TAG_SRC);
	src_fire(_metadata, &s);
	src_reap(_metadata, &s, TAG_SRC);
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	close(efd);
	src_free(&s);
}

/*
 * Commit 21a091b970cd ("io_uring: signal registered eventfd to process
 * deferred task work", 6.1): with IORING_SETUP_DEFER_TASKRUN "that eventfd
 * also needs to be signalled when there are tasks to run": the pipe
 * write makes the eventfd readable (2 s bound: since commit cd305ee3633a
 * the signal from a wake-up handler is sent after an RCU grace period)
 * while the CQ ring is still empty; the GETEVENTS enter posts the CQE.
 */
TEST(eventfd_signalled_for_deferred_work_on_defer_taskrun_ring)
{
	struct src s;
	int efd;

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"commit 21a091b970cd (io_uring: signal registered eventfd to process deferred task work)");
	CONFORM_REQUIRE(mode_missing(M_DEFER));
	CONFORM_REQUIRE_EVENTFD();
	src_init(_metadata, &s, M_DEFER);
	efd = src_eventfd(_metadata, &s, IORING_REGISTER_EVENTFD);
	ASSERT_LE(0, efd);
	src_arm(_metadata, &s, TAG_SRC);
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	src_fire(_metadata, &s);
	EXPECT_TRUE(conform_fd_readable(efd, URING_REAP_BOUND_MS));
	EXPECT_EQ(0u, cq_ready(&s));
	src_post(_metadata, &s);
	EXPECT_EQ(1u, cq_ready(&s));
	src_reap(_metadata, &s, TAG_SRC);
	close(efd);
	src_free(&s);
}

/*
 * Commit 4464853277d0 ("io_uring: pass in EPOLL_URING_WAKE for eventfd
 * signaling and wakeups", 6.1, backported): the ring signals its eventfd
 * with EPOLL_URING_WAKE, so another ring's multishot POLLIN poll of that
 * eventfd turns single-shot at the first signal: one CQE with POLLIN and
 * without IORING_CQE_F_MORE, nothing at the next signal. Before (5.13 to
 * 6.0) it stayed armed, F_MORE set and a CQE per signal; each variant is
 * asserted by the F_MORE of the first CQE, and logged.
 */
TEST(multishot_poll_of_registered_eventfd_ends_at_first_signal)
{
	struct io_uring_cqe cqe;
	struct io_uring w;
	struct src s;
	bool more;
	int efd;

	CONFORM_DECLARE("6.1", "IORING_REGISTER_EVENTFD",
			"commit 4464853277d0 (io_uring: pass in EPOLL_URING_WAKE for eventfd signaling and wakeups); io_uring_enter(2) IORING_CQE_F_MORE");
	CONFORM_REQUIRE(mode_missing(M_DEFAULT));
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE(multishot_missing());
	src_init(_metadata, &s, M_DEFAULT);
	efd = src_eventfd(_metadata, &s, IORING_REGISTER_EVENTFD);
	ASSERT_LE(0, efd);
	watch_init(_metadata, &w, efd, true);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&w));
	src_arm(_metadata, &s, TAG_SRC);
	src_fire(_metadata, &s);
	ASSERT_EQ(0, uring_reap_one(&w, &cqe));
	EXPECT_EQ(POLLIN, cqe.res);
	more = cqe.flags & IORING_CQE_F_MORE;
	TH_LOG("%s", more ? "multishot poll of the eventfd stays armed (before 6.1)" :
			    "multishot poll of the eventfd ended at the first signal (EPOLL_URING_WAKE, 6.1)");
	src_reap(_metadata, &s, TAG_SRC);
	EXPECT_LE(1u, efd_take(efd));
	src_arm(_metadata, &s, TAG_SRC + 1);
	src_fire(_metadata, &s);
	if (more) {
		ASSERT_EQ(0, uring_reap_one(&w, &cqe));
		EXPECT_EQ(POLLIN, cqe.res);
	} else {
		EXPECT_EQ(-ETIME, uring_wait_briefly(&w));
	}
	src_reap(_metadata, &s, TAG_SRC + 1);
	io_uring_queue_exit(&w);
	close(efd);
	src_free(&s);
}

TEST_HARNESS_MAIN
