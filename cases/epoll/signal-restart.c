// SPDX-License-Identifier: MIT
/*
 * epoll/signal-restart: how signals end (or do not end) the waits of
 * epoll_wait(2), epoll_pwait(2) and epoll_pwait2(2). signal(7) lists
 * epoll_wait and epoll_pwait among the interfaces "never restarted after
 * being interrupted by a signal handler, regardless of the use of
 * SA_RESTART": a handler installed with SA_RESTART still ends each of the
 * three calls with EINTR (epoll_pwait2, 5.11, shares their code). A signal
 * that runs no handler - ignored with SIG_IGN, or one whose default action
 * is to ignore it - does not end the wait; nor does one that the
 * epoll_pwait2 sigmask blocks. signal(7) also lists both calls among those
 * that fail with EINTR after the process is stopped by a stop signal and
 * resumed by SIGCONT, with no handler at all. An event ready when the call
 * starts wins over a signal the sigmask lets in (EINTR only "before ... any
 * of the requested events occurred"), and a timeout of 0 returns 0 without
 * looking at signals; in both cases the signal stays pending.
 * (EINTR from a pending signal unblocked by the sigmask is in epoll/pwait
 * and epoll/pwait2; a signal sent during epoll_pwait and blocked or let in
 * by its sigmask, the zero and negative timeouts in epoll/timeouts.)
 * epoll_pwait2 is called through syscall(2): a kernel before 5.11 gives
 * ENOSYS, and its tests skip.
 * Sources: signal(7) "Interruption of system calls and library functions by
 * signal handlers" and "... by stop signals", epoll_wait(2) (EINTR,
 * epoll_pwait 2.6.19, epoll_pwait2 5.11), sigaction(2) SA_RESTART and
 * SIG_IGN, fs/eventpoll.c ep_poll() (-EINTR, never -ERESTARTSYS; events
 * and a zero timeout are looked at before signals).
 */
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <linux/time_types.h>

#include "conform_epoll.h"

enum { TAG = 0x5e };

/* The wait of every blocked call: long, only a bound (a call restarted or
 * not woken ends with 0 after it, and the test fails). */
#define BOUND_MS 5000

/* The kernel's sigset_t is _NSIG bits (the raw sigsetsize argument). */
#define KSIGSET_SIZE ((size_t)_NSIG / 8)

static int sys_epoll_pwait2(int ep, struct epoll_event *ev, int maxevents,
			    const struct __kernel_timespec *timeout,
			    const sigset_t *mask, size_t sigsetsize)
{
	return (int)syscall(__NR_epoll_pwait2, ep, ev, maxevents, timeout,
			    mask, sigsetsize);
}

/* Skip when epoll_pwait2 does not exist: on fd -1 it gives ENOSYS there and
 * EBADF where it exists. */
#define REQUIRE_EPOLL_PWAIT2()                                                 \
	do {                                                                   \
		struct epoll_event probe_ev_;                                  \
		if (sys_epoll_pwait2(-1, &probe_ev_, 1, NULL, NULL, 0) < 0)    \
			CONFORM_SKIP_IF_ENOSYS(errno, "epoll_pwait2");         \
	} while (0)

/* ------------------------------------------------------------------ */
/* A thread blocked in one of the calls                                */
/* ------------------------------------------------------------------ */

enum call { WAIT, PWAIT, PWAIT2 };

struct waiter {
	int ep;
	enum call call;
	bool use_mask;		/* pass mask as the sigmask argument */
	sigset_t mask;
	pthread_t th;
	pid_t tid;
	int started;
	int ret, err;
	int handled;		/* handler runs for SIGUSR1 seen on return */
	struct epoll_event ev;
};

static void *waiter_main(void *arg)
{
	struct __kernel_timespec ts = { BOUND_MS / 1000, 0 };
	struct waiter *w = arg;

	w->tid = gettid();
	__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
	switch (w->call) {
	case WAIT:
		w->ret = epoll_wait(w->ep, &w->ev, 1, BOUND_MS);
		break;
	case PWAIT:
		w->ret = epoll_pwait(w->ep, &w->ev, 1, BOUND_MS,
				     w->use_mask ? &w->mask : NULL);
		break;
	case PWAIT2:
		w->ret = sys_epoll_pwait2(w->ep, &w->ev, 1, &ts,
					  w->use_mask ? &w->mask : NULL,
					  KSIGSET_SIZE);
		break;
	}
	w->err = errno;
	w->handled = conform_signal_count(SIGUSR1);
	return NULL;
}

/* Start w (ep, call and mask filled in) and return what
 * conform_wait_blocked_in() says once it is seen asleep (1, 0 or -1). */
static int waiter_start(struct __test_metadata *_metadata, struct waiter *w)
{
	static const long nr[] = {
		[WAIT] = CONFORM_NR_EPOLL_WAIT,
		[PWAIT] = SYS_epoll_pwait,
		[PWAIT2] = __NR_epoll_pwait2,
	};

	w->started = 0;
	ASSERT_EQ(0, pthread_create(&w->th, NULL, waiter_main, w));
	while (!__atomic_load_n(&w->started, __ATOMIC_ACQUIRE))
		sched_yield();
	return conform_wait_blocked_in(w->tid, nr[w->call]);
}

/* SIGUSR1 handled by conform_on_signal() with the given sa_flags; the
 * count starts at 0. */
static void handle_sigusr1(struct __test_metadata *_metadata, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	conform_signal_counts[SIGUSR1] = 0;
}

#define SKIP_UNSEEN(label) \
	SKIP(goto label, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block")

/*
 * A thread blocked in call (on an idle pipe, no sigmask) gets SIGUSR1,
 * whose handler was installed with SA_RESTART: the call fails with EINTR
 * once the handler ran, rather than going back to sleep until BOUND_MS.
 */
static void expect_eintr_despite_sa_restart(struct __test_metadata *_metadata,
					    enum call call)
{
	struct waiter w = { .call = call };
	int p[2], seen;

	handle_sigusr1(_metadata, SA_RESTART);
	epoll_new_watching_pipe(_metadata, &w.ep, p, EPOLLIN, TAG);
	seen = waiter_start(_metadata, &w);
	ASSERT_EQ(0, pthread_kill(w.th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	EXPECT_EQ(1, w.handled);
out:
	close(p[0]);
	close(p[1]);
	close(w.ep);
}

/*
 * signal(7): epoll_wait is "never restarted after being interrupted by a
 * signal handler, regardless of the use of SA_RESTART" (fs/eventpoll.c
 * ep_poll() returns -EINTR, not -ERESTARTSYS) (since 2.6).
 */
TEST(epoll_wait_interrupted_under_sa_restart_gets_eintr)
{
	CONFORM_DECLARE("2.6", "epoll_wait",
			"signal(7): epoll_wait never restarted, regardless of "
			"SA_RESTART; epoll_wait(2) EINTR");
	EPOLL_REQUIRE();
	expect_eintr_despite_sa_restart(_metadata, WAIT);
}

/* signal(7): the same for epoll_pwait (since 2.6.19). */
TEST(epoll_pwait_interrupted_under_sa_restart_gets_eintr)
{
	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"signal(7): epoll_pwait never restarted, regardless of "
			"SA_RESTART; epoll_wait(2) EINTR");
	EPOLL_REQUIRE();
	expect_eintr_despite_sa_restart(_metadata, PWAIT);
}

/*
 * epoll_pwait2 (5.11) is not in signal(7)'s list, which predates it; it is
 * epoll_pwait with a timespec (epoll_wait(2)) and shares ep_poll(), so a
 * handler with SA_RESTART ends it with EINTR too (since 5.11).
 */
TEST(epoll_pwait2_interrupted_under_sa_restart_gets_eintr)
{
	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (5.11) EINTR; signal(7) "
			"epoll_pwait never restarted");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	expect_eintr_despite_sa_restart(_metadata, PWAIT2);
}

/*
 * A signal that runs no handler does not end the wait: the kernel discards
 * an ignored signal when it is sent (signal(7): "Ign Default action is to
 * ignore the signal"; sigaction(2) SIG_IGN), so nothing is pending and the
 * thread sleeps on; the write then wakes it with the event. sig is sent
 * with disposition handler (SIG_IGN or SIG_DFL).
 */
static void expect_no_interruption(struct __test_metadata *_metadata, int sig,
				   void (*handler)(int))
{
	struct waiter w = { .call = WAIT };
	struct sigaction sa;
	int p[2], seen;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(sig, &sa, NULL));
	epoll_new_watching_pipe(_metadata, &w.ep, p, EPOLLIN, TAG);
	seen = waiter_start(_metadata, &w);
	ASSERT_EQ(0, pthread_kill(w.th, sig));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(TAG, w.ev.data.u64);
out:
	close(p[0]);
	close(p[1]);
	close(w.ep);
}

/*
 * signal(7): only a signal handler interrupts a blocked call ("If a signal
 * handler is invoked while a system call ... is blocked"); SIGUSR1 set to
 * SIG_IGN (sigaction(2)) is discarded and the epoll_wait goes on to return
 * the event (since 2.6).
 */
TEST(ignored_signal_does_not_interrupt_epoll_wait)
{
	CONFORM_DECLARE("2.6", "epoll_wait",
			"signal(7) interruption by signal handlers; "
			"sigaction(2) SIG_IGN");
	EPOLL_REQUIRE();
	expect_no_interruption(_metadata, SIGUSR1, SIG_IGN);
}

/*
 * signal(7): SIGWINCH's default action is Ign; with SIG_DFL it is discarded
 * like an ignored one and the epoll_wait goes on to return the event
 * (since 2.6).
 */
TEST(signal_ignored_by_default_does_not_interrupt_epoll_wait)
{
	CONFORM_DECLARE("2.6", "epoll_wait",
			"signal(7) standard signals: SIGWINCH default action "
			"Ign; interruption by signal handlers");
	EPOLL_REQUIRE();
	expect_no_interruption(_metadata, SIGWINCH, SIG_DFL);
}

/*
 * epoll_wait(2): epoll_pwait2 takes a sigmask like epoll_pwait, set for the
 * duration of the call. A SIGUSR1 sent to a thread asleep in epoll_pwait2
 * with SIGUSR1 in sigmask (unblocked outside) does not interrupt it: the
 * call returns the pipe's event; the signal is delivered as the old mask
 * comes back, before the call returns to the program (since 5.11).
 */
TEST(epoll_pwait2_signal_blocked_by_sigmask_does_not_interrupt)
{
	struct waiter w = { .call = PWAIT2, .use_mask = true };
	int p[2], seen;

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (5.11) sigmask as in "
			"epoll_pwait()");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	handle_sigusr1(_metadata, 0);
	sigemptyset(&w.mask);
	sigaddset(&w.mask, SIGUSR1);
	epoll_new_watching_pipe(_metadata, &w.ep, p, EPOLLIN, TAG);
	seen = waiter_start(_metadata, &w);
	ASSERT_EQ(0, pthread_kill(w.th, SIGUSR1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP_UNSEEN(out);
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(TAG, w.ev.data.u64);
	EXPECT_EQ(1, w.handled);
out:
	close(p[0]);
	close(p[1]);
	close(w.ep);
}

/* ------------------------------------------------------------------ */
/* Stop and continue: a child process blocked in the call              */
/* ------------------------------------------------------------------ */

/*
 * Wait until process pid (a child) is asleep in system call nr, seen
 * through /proc/<pid>/syscall as conform_wait_blocked_in() does for a
 * thread. 1 seen, 0 not within 5 s, -1 the file cannot be read.
 */
static int child_blocked_in(pid_t pid, long nr)
{
	struct timespec start, now;
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0)
			return -1;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return -1;
		buf[n] = '\0';
		if (buf[0] != 'r' && strtol(buf, NULL, 10) == nr)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/*
 * signal(7) "Interruption of system calls and library functions by stop
 * signals": with no handler at all, epoll_wait and epoll_pwait fail with
 * EINTR after the process is stopped by a stop signal and resumed by
 * SIGCONT. A child blocks in the call (BOUND_MS on an idle pipe) and
 * sends back ret and errno through a pipe; once it is seen asleep the
 * parent stops it with SIGSTOP, sees it stopped (waitpid WUNTRACED) and
 * continues it.
 */
static void expect_eintr_after_stop(struct __test_metadata *_metadata,
				    enum call call, long nr)
{
	int ep, p[2], res[2], seen, st, got[2] = { 0, 0 };
	pid_t pid;

	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(0, conform_pipe(res));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct epoll_event ev;
		sigset_t none;
		int out[2];

		sigemptyset(&none);
		out[0] = call == WAIT ?
			epoll_wait(ep, &ev, 1, BOUND_MS) :
			epoll_pwait(ep, &ev, 1, BOUND_MS, &none);
		out[1] = errno;
		_exit(write(res[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	close(res[1]);
	seen = child_blocked_in(pid, nr);
	if (seen < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		SKIP(goto out, CONFORM_ENV "/proc/<pid>/syscall unreadable: cannot see the child block");
	}
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ(pid, waitpid(pid, &st, WUNTRACED));
	EXPECT_TRUE(WIFSTOPPED(st));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ((ssize_t)sizeof(got), read(res[0], got, sizeof(got)));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(1, seen);
	EXPECT_EQ(-1, got[0]);
	EXPECT_EQ(EINTR, got[1]);
out:
	close(res[0]);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* signal(7) stop signals list: epoll_wait (since 2.6). */
TEST(stop_and_continue_ends_epoll_wait_with_eintr)
{
	CONFORM_DECLARE("2.6", "epoll_wait",
			"signal(7) Interruption of system calls by stop "
			"signals: epoll_wait");
	EPOLL_REQUIRE();
	expect_eintr_after_stop(_metadata, WAIT, CONFORM_NR_EPOLL_WAIT);
}

/* signal(7) stop signals list: epoll_pwait (since 2.6.19). */
TEST(stop_and_continue_ends_epoll_pwait_with_eintr)
{
	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"signal(7) Interruption of system calls by stop "
			"signals: epoll_pwait");
	EPOLL_REQUIRE();
	expect_eintr_after_stop(_metadata, PWAIT, SYS_epoll_pwait);
}

/* ------------------------------------------------------------------ */
/* What comes before signals                                           */
/* ------------------------------------------------------------------ */

/*
 * epoll_wait(2) EINTR: only when interrupted "before either (1) any of the
 * requested events occurred or (2) the timeout expired". With a readable
 * pipe and a pending SIGUSR1 that the sigmask unblocks, epoll_pwait
 * returns the event, not EINTR (fs/eventpoll.c ep_poll() delivers events
 * before it looks at signals); the old mask comes back at once, so the
 * handler has not run and the signal is still pending (since 2.6.19).
 */
TEST(ready_event_wins_over_signal_let_in_by_sigmask)
{
	struct epoll_event ev[2];
	sigset_t none, pending;
	int ep, p[2];

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) EINTR only before an event occurred; "
			"fs/eventpoll.c ep_poll()");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	conform_pend_signal(_metadata, SIGUSR1);
	sigemptyset(&none);
	ASSERT_EQ(1, epoll_pwait(ep, ev, 2, BOUND_MS, &none));
	EXPECT_EQ(TAG, ev[0].data.u64);
	EXPECT_EQ(0, conform_signal_count(SIGUSR1));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(1, sigismember(&pending, SIGUSR1));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): "a timeout of zero causes epoll_wait() to return
 * immediately, even if no events are available", and EINTR is for a
 * signal caught before "the timeout expired". With timeout 0 the timeout
 * has expired at once: epoll_pwait with a sigmask that unblocks a pending
 * SIGUSR1 returns 0, not EINTR (fs/eventpoll.c ep_poll() returns for a
 * zero timeout before its signal check); the handler has not run and the
 * signal stays pending (since 2.6.19).
 */
TEST(zero_timeout_returns_zero_despite_signal_let_in_by_sigmask)
{
	struct epoll_event ev[2];
	sigset_t none, pending;
	int ep, p[2];

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) timeout of zero returns immediately; "
			"fs/eventpoll.c ep_poll()");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	conform_pend_signal(_metadata, SIGUSR1);
	sigemptyset(&none);
	EXPECT_EQ(0, epoll_pwait(ep, ev, 2, 0, &none));
	EXPECT_EQ(0, conform_signal_count(SIGUSR1));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(1, sigismember(&pending, SIGUSR1));
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST_HARNESS_MAIN
