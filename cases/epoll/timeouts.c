// SPDX-License-Identifier: MIT
/*
 * epoll/timeouts: the timeout of epoll_wait(2), epoll_pwait(2) and
 * epoll_pwait2(2) - 0 returns without sleeping, -1 (any negative) blocks
 * until another thread makes an fd ready, a positive timeout returns 0
 * after at least that long; a signal arriving during epoll_pwait is held
 * off or let in by sigmask; epoll_pwait2 with a NULL timeout blocks, takes
 * a huge tv_sec, and refuses an unreadable timeout (EFAULT); a sigmask of
 * the wrong size is refused (EINVAL). (epoll/pwait and epoll/pwait2 have
 * the EINTR for a signal pending before the call, the zero and invalid
 * timespecs and a ready fd under a NULL timeout.)
 * epoll_pwait2 is called through syscall(2): a kernel before 5.11 gives
 * ENOSYS, and its tests skip.
 * Sources: epoll_wait(2) (epoll_pwait since 2.6.19, epoll_pwait2 since
 * 5.11; pselect(2) and ppoll(2) for the timeout), getrusage(2)
 * ru_nvcsw, signal(7), fs/eventpoll.c and kernel/signal.c
 * set_user_sigmask().
 */
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <linux/time_types.h>

#include "conform_epoll.h"

enum { TAG = 0x71 };

/* A positive timeout long enough to measure, short for the run time. */
#define TIMEOUT_MS 20

static int sys_epoll_pwait2(int ep, struct epoll_event *ev, int maxevents,
			    const struct __kernel_timespec *timeout,
			    const sigset_t *mask, size_t sigsetsize)
{
	return (int)syscall(__NR_epoll_pwait2, ep, ev, maxevents, timeout,
			    mask, sigsetsize);
}

/* The kernel's sigset_t is _NSIG bits. */
#define KSIGSET_SIZE ((size_t)_NSIG / 8)

/* Skip the test when epoll_pwait2 does not exist: on fd -1 it fails with
 * ENOSYS there and EBADF where it exists. */
#define REQUIRE_EPOLL_PWAIT2()                                                 \
	do {                                                                   \
		struct epoll_event probe_ev_;                                  \
		if (sys_epoll_pwait2(-1, &probe_ev_, 1, NULL, NULL, 0) < 0)    \
			CONFORM_SKIP_IF_ENOSYS(errno, "epoll_pwait2");         \
	} while (0)

static long elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L +
	       (b->tv_nsec - a->tv_nsec) / 1000000L;
}

/* ------------------------------------------------------------------ */
/* A thread blocked in one of the calls, bounded from outside          */
/* ------------------------------------------------------------------ */

enum call { CALL_WAIT, CALL_PWAIT, CALL_PWAIT2 };

struct blocked {
	int ep;
	enum call call;
	int timeout;			/* epoll_wait, epoll_pwait */
	const struct __kernel_timespec *ts;	/* epoll_pwait2 */
	bool use_mask;
	sigset_t mask;			/* the sigmask argument */
	sigset_t own;			/* the thread's mask outside the call */
	pthread_t th;
	pid_t tid;
	int state;			/* 0 starting, 1 about to call, 2 done */
	int ret, err;
	int handled_after;		/* SIGUSR1 handler runs seen on return */
	struct epoll_event ev;
};

static void *blocked_main(void *arg)
{
	struct blocked *b = arg;

	pthread_sigmask(SIG_SETMASK, &b->own, NULL);
	b->tid = gettid();
	__atomic_store_n(&b->state, 1, __ATOMIC_RELEASE);
	switch (b->call) {
	case CALL_WAIT:
		b->ret = epoll_wait(b->ep, &b->ev, 1, b->timeout);
		break;
	case CALL_PWAIT:
		b->ret = epoll_pwait(b->ep, &b->ev, 1, b->timeout,
				     b->use_mask ? &b->mask : NULL);
		break;
	case CALL_PWAIT2:
		b->ret = sys_epoll_pwait2(b->ep, &b->ev, 1, b->ts,
					  b->use_mask ? &b->mask : NULL,
					  b->use_mask ? KSIGSET_SIZE : 0);
		break;
	}
	b->err = errno;
	b->handled_after = conform_signal_count(SIGUSR1);
	__atomic_store_n(&b->state, 2, __ATOMIC_RELEASE);
	return NULL;
}

/* Counting handler for SIGUSR1, without SA_RESTART (epoll calls are never
 * restarted anyway: signal(7)). */
static void count_sigusr1(struct __test_metadata *_metadata)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
}

/*
 * Start b (filled in by the caller) and return once it is seen asleep in
 * its call: what conform_wait_blocked_in() says (1, 0, or -1).
 */
static int blocked_start(struct __test_metadata *_metadata, struct blocked *b)
{
	static const long nr[] = {
		[CALL_WAIT] = CONFORM_NR_EPOLL_WAIT,
		[CALL_PWAIT] = SYS_epoll_pwait,
		[CALL_PWAIT2] = __NR_epoll_pwait2,
	};

	b->state = 0;
	ASSERT_EQ(0, pthread_create(&b->th, NULL, blocked_main, b));
	while (__atomic_load_n(&b->state, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	return conform_wait_blocked_in(b->tid, nr[b->call]);
}

/*
 * Join b within 5 s; a call still blocked then (the wakeup was lost) is
 * ended with SIGUSR1 (EINTR) so that the test fails rather than hangs.
 * Returns true when it ended by itself.
 */
static bool blocked_join(struct __test_metadata *_metadata, struct blocked *b)
{
	struct timespec limit;
	bool by_itself = true;

	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 5;
	if (pthread_timedjoin_np(b->th, NULL, &limit) == 0)
		return true;
	by_itself = false;
	while (__atomic_load_n(&b->state, __ATOMIC_ACQUIRE) != 2) {
		pthread_kill(b->th, SIGUSR1);
		sched_yield();
	}
	EXPECT_EQ(0, pthread_join(b->th, NULL));
	return by_itself;
}

#define SKIP_UNSEEN(label) \
	SKIP(goto label, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block")

/* ------------------------------------------------------------------ */

/*
 * Start b's call (a wait with no end but an event) in a thread on a new
 * epoll instance watching an empty pipe, see it asleep, write the pipe:
 * the call returns the pipe's one EPOLLIN event.
 */
static void expect_blocked_until_write(struct __test_metadata *_metadata,
				       struct blocked *b)
{
	int p[2], seen;

	count_sigusr1(_metadata);
	sigemptyset(&b->own);
	epoll_new_watching_pipe(_metadata, &b->ep, p, EPOLLIN, TAG);
	seen = blocked_start(_metadata, b);
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_TRUE(blocked_join(_metadata, b));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, b->ret);
	EXPECT_EQ(EPOLLIN, b->ev.events);
	EXPECT_EQ(TAG, b->ev.data.u64);
out:
	close(p[0]);
	close(p[1]);
	close(b->ep);
}

/*
 * epoll_wait(2): "Specifying a timeout of zero causes epoll_wait() to return
 * immediately, even if no events are available": it returns 0 without
 * putting the thread to sleep, which getrusage(2) RUSAGE_THREAD would count
 * in ru_nvcsw, the voluntary context switches (since 2.6; seen through
 * RUSAGE_THREAD since 2.6.26).
 */
TEST(zero_timeout_returns_zero_without_sleeping)
{
	struct epoll_event ev[2];
	struct rusage before, after;
	int ep, p[2];

	CONFORM_DECLARE("2.6.26", "epoll_wait",
			"epoll_wait(2) timeout of zero returns immediately; "
			"getrusage(2) RUSAGE_THREAD (since 2.6.26) ru_nvcsw");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &before));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, getrusage(RUSAGE_THREAD, &after));
	EXPECT_EQ(before.ru_nvcsw, after.ru_nvcsw);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): "Specifying a timeout of -1 causes epoll_wait() to block
 * indefinitely": a thread seen asleep in epoll_wait(-1) returns the pipe's
 * event once the main thread writes to it (since 2.6).
 */
TEST(minus_one_blocks_until_another_thread_makes_fd_ready)
{
	struct blocked b = { .call = CALL_WAIT, .timeout = -1 };

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) timeout of -1 blocks indefinitely");
	EPOLL_REQUIRE();
	expect_blocked_until_write(_metadata, &b);
}

/*
 * fs/eventpoll.c: every negative timeout means "no timeout", like -1 (the
 * man page names only -1); INT_MIN is not EINVAL: the thread blocks until
 * the write (since 2.6).
 */
TEST(any_negative_timeout_blocks_like_minus_one)
{
	struct blocked b = { .call = CALL_WAIT, .timeout = INT_MIN };

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) timeout -1; fs/eventpoll.c: a negative "
			"timeout is infinite");
	EPOLL_REQUIRE();
	expect_blocked_until_write(_metadata, &b);
}

/*
 * epoll_wait(2): the call blocks until "the timeout expires" and returns
 * "zero if no file descriptor became ready during the requested timeout
 * milliseconds"; the interval "will be rounded up to the system clock
 * granularity", so at least TIMEOUT_MS pass (CLOCK_MONOTONIC). No upper
 * bound is asserted (since 2.6).
 */
TEST(positive_timeout_returns_zero_after_at_least_that_long)
{
	struct epoll_event ev[2];
	struct timespec t0, t1;
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) timeout; RETURN VALUE zero when the "
			"timeout expired");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &t0));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, TIMEOUT_MS));
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &t1));
	EXPECT_LE(TIMEOUT_MS, elapsed_ms(&t0, &t1));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): epoll_pwait() replaces the signal mask by sigmask for the
 * call. A SIGUSR1 sent to a thread asleep in epoll_pwait, with SIGUSR1 in
 * sigmask (but unblocked outside), does not interrupt it: the wait returns
 * the pipe's event; the signal is then delivered as the old mask comes
 * back, before the call returns to the program (since 2.6.19).
 */
TEST(signal_blocked_by_sigmask_does_not_interrupt_the_wait)
{
	struct blocked b = { .call = CALL_PWAIT, .timeout = 5000,
			     .use_mask = true };
	int p[2], seen;

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) epoll_pwait() (since 2.6.19) sigmask");
	EPOLL_REQUIRE();
	count_sigusr1(_metadata);
	conform_signal_counts[SIGUSR1] = 0;
	sigemptyset(&b.own);
	sigemptyset(&b.mask);
	sigaddset(&b.mask, SIGUSR1);
	epoll_new_watching_pipe(_metadata, &b.ep, p, EPOLLIN, TAG);
	seen = blocked_start(_metadata, &b);
	ASSERT_EQ(0, pthread_kill(b.th, SIGUSR1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_TRUE(blocked_join(_metadata, &b));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, b.ret);
	EXPECT_EQ(TAG, b.ev.data.u64);
	EXPECT_EQ(1, b.handled_after);
out:
	close(p[0]);
	close(p[1]);
	close(b.ep);
}

/*
 * epoll_wait(2): EINTR "The call was interrupted by a signal handler before
 * ... any of the requested events occurred"; epoll_pwait()'s sigmask lets
 * in a signal the thread otherwise blocks. SIGUSR1, blocked outside the
 * call and not in sigmask, sent while the thread sleeps in epoll_pwait,
 * ends the wait with EINTR after the handler ran (since 2.6.19).
 */
TEST(signal_let_in_by_sigmask_interrupts_the_sleeping_wait)
{
	struct blocked b = { .call = CALL_PWAIT, .timeout = 5000,
			     .use_mask = true };
	int p[2], seen;

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) epoll_pwait() (since 2.6.19) sigmask; "
			"EINTR");
	EPOLL_REQUIRE();
	count_sigusr1(_metadata);
	conform_signal_counts[SIGUSR1] = 0;
	sigemptyset(&b.own);
	sigaddset(&b.own, SIGUSR1);
	sigemptyset(&b.mask);
	epoll_new_watching_pipe(_metadata, &b.ep, p, EPOLLIN, TAG);
	seen = blocked_start(_metadata, &b);
	ASSERT_EQ(0, pthread_kill(b.th, SIGUSR1));
	EXPECT_TRUE(blocked_join(_metadata, &b));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(-1, b.ret);
	EXPECT_EQ(EINTR, b.err);
	EXPECT_EQ(1, b.handled_after);
out:
	close(p[0]);
	close(p[1]);
	close(b.ep);
}

/*
 * The raw epoll_pwait() takes sigsetsize, the size of the kernel's sigset
 * (kernel/signal.c set_user_sigmask(): "if (sigsetsize != sizeof(sigset_t))
 * return -EINVAL"); with a NULL sigmask the size is not looked at
 * (since 2.6.19).
 */
TEST(pwait_sigmask_of_wrong_size_gets_einval)
{
	struct epoll_event ev[2];
	sigset_t mask;
	int ep;

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) epoll_pwait() raw sigsetsize; "
			"kernel/signal.c set_user_sigmask()");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	sigemptyset(&mask);
	errno = 0;
	EXPECT_EQ(-1, syscall(SYS_epoll_pwait, ep, ev, 2, 0, &mask,
			      KSIGSET_SIZE / 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, syscall(SYS_epoll_pwait, ep, ev, 2, 0, &mask,
			     KSIGSET_SIZE));
	EXPECT_EQ(0, syscall(SYS_epoll_pwait, ep, ev, 2, 0, NULL,
			     KSIGSET_SIZE / 2));
	close(ep);
}

/*
 * epoll_wait(2) epoll_pwait2: "If timeout is NULL, then epoll_pwait2() can
 * block indefinitely": a thread seen asleep in it returns the pipe's event
 * once the main thread writes (since 5.11).
 */
TEST(pwait2_null_timeout_blocks_until_event)
{
	struct blocked b = { .call = CALL_PWAIT2, .ts = NULL };

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) NULL "
			"timeout blocks indefinitely");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	expect_blocked_until_write(_metadata, &b);
}

/*
 * epoll_wait(2) epoll_pwait2: the timeout works as in pselect(2) and
 * ppoll(2); a timespec of TIMEOUT_MS on an idle pipe returns 0 after at
 * least that long (CLOCK_MONOTONIC). No upper bound (since 5.11).
 */
TEST(pwait2_timespec_returns_zero_after_at_least_that_long)
{
	struct __kernel_timespec ts = { 0, TIMEOUT_MS * 1000000LL };
	struct epoll_event ev[2];
	struct timespec t0, t1;
	int ep, p[2];

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) timeout as "
			"in pselect(2) and ppoll(2)");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &t0));
	EXPECT_EQ(0, sys_epoll_pwait2(ep, ev, 2, &ts, NULL, 0));
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &t1));
	EXPECT_LE(TIMEOUT_MS, elapsed_ms(&t0, &t1));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * pselect(2)/ppoll(2), whose timeout epoll_pwait2 shares: a timespec is
 * valid when tv_sec >= 0 and tv_nsec is within [0, 999999999]; a huge
 * tv_sec (LLONG_MAX) is valid, not EINVAL (the end time saturates): with a
 * ready fd the call returns it (since 5.11).
 */
TEST(pwait2_huge_tv_sec_is_valid)
{
	struct __kernel_timespec huge = { LLONG_MAX, 999999999 };
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11); ppoll(2) "
			"timeout; fs/select.c poll_select_set_timeout()");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, sys_epoll_pwait2(ep, ev, 2, &huge, NULL, 0));
	EXPECT_EQ(TAG, ev[0].data.u64);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_pwait2 reads *timeout from user memory (ppoll(2) ERRORS: "EFAULT
 * ... tmo_p ... points outside the accessible address space"): a timeout
 * in a PROT_NONE page gives EFAULT, even with an fd ready (since 5.11).
 */
TEST(pwait2_unreadable_timeout_gets_efault)
{
	struct epoll_event ev[2];
	long page = sysconf(_SC_PAGESIZE);
	void *none;
	int ep, p[2];

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11); ppoll(2) "
			"EFAULT");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	errno = 0;
	EXPECT_EQ(-1, sys_epoll_pwait2(ep, ev, 2, none, NULL, 0));
	EXPECT_EQ(EFAULT, errno);
	munmap(none, page);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_pwait2 takes sigsetsize like epoll_pwait (kernel/signal.c
 * set_user_sigmask()): a wrong size with a sigmask gives EINVAL
 * (since 5.11).
 */
TEST(pwait2_sigmask_of_wrong_size_gets_einval)
{
	struct __kernel_timespec zero = { 0, 0 };
	struct epoll_event ev[2];
	sigset_t mask;
	int ep;

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) sigmask; "
			"kernel/signal.c set_user_sigmask()");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	sigemptyset(&mask);
	errno = 0;
	EXPECT_EQ(-1, sys_epoll_pwait2(ep, ev, 2, &zero, &mask,
				       KSIGSET_SIZE + 8));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, sys_epoll_pwait2(ep, ev, 2, &zero, &mask, KSIGSET_SIZE));
	close(ep);
}

TEST_HARNESS_MAIN
