// SPDX-License-Identifier: MIT
/*
 * aio/getevents-eintr: how a wait in io_getevents(2) ends early: signals
 * and timeouts, through the raw system calls and <linux/aio_abi.h>.
 * io_getevents is "never restarted after being interrupted by a signal
 * handler, regardless of the use of SA_RESTART" (signal(7)): it fails
 * with EINTR, or returns the events it had already read when that is
 * fewer than min_nr; requests still pending are not affected and complete
 * later. io_pgetevents (4.18) ends with -ERESTARTNOHAND, so a handler
 * makes it fail with EINTR too, SA_RESTART or not, while a stop and
 * continue (SIGSTOP, SIGCONT: no handler runs) restarts it; io_getevents
 * instead fails with EINTR after a stop and continue, although signal(7)
 * does not list it among the interfaces that do. A timeout, zero or not,
 * returns the events there are, fewer than min_nr.
 * Waiters are threads (or, for the stop signals, child processes) seen
 * asleep in their call through /proc before the signal is sent, so no
 * test depends on timing.
 * Sources: io_getevents(2) (RETURN VALUE, EINTR), signal(7) ("Interruption
 * of system calls and library functions by signal handlers"), fs/aio.c
 * SYSCALL io_getevents (-EINTR when no event was read and a signal is
 * pending) and io_pgetevents (-ERESTARTNOHAND), read_events(); kernel
 * commits 7a074e96dee6 "aio: implement io_pgetevents" (4.18) and
 * bfe4037e722e "aio: implement IOCB_CMD_POLL" (4.19).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "conform_aio.h"

/* NULL if io_pgetevents exists (4.18); else why not. */
static const char *pgetevents_missing(void)
{
	static char why[128];
	struct timespec zero = { 0, 0 };
	struct io_event ev;
	aio_context_t ctx = 0;
	const char *aio_why = conform_aio_unavailable();
	long ret;
	int err;

	if (aio_why)
		return aio_why;
	if (aio_sys_setup(1, &ctx))
		return CONFORM_ENV "io_setup failed for the io_pgetevents probe";
	ret = aio_sys_pgetevents(ctx, 0, 1, &ev, &zero, NULL);
	err = errno;
	aio_sys_destroy(ctx);
	if (ret == 0)
		return NULL;
	snprintf(why, sizeof(why), "io_pgetevents: %s%s", strerror(err),
		 err == ENOSYS ? " (system call not available)" : "");
	return why;
}

/* Install conform_on_signal() for sig, with the given sa_flags, and reset
 * its count. */
static void count_signal(struct __test_metadata *_metadata, int sig,
			 int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(sig, &sa, NULL));
	conform_signal_counts[sig] = 0;
}

/* A thread waiting in io_getevents or io_pgetevents (bound: 5 s, never
 * reached on a correct kernel). */
struct waiter {
	aio_context_t ctx;
	long min_nr, nr;
	bool pgetevents;	/* io_pgetevents with an empty mask */
	atomic_int tid;		/* gettid(), 0 until the thread runs */
	long ret;
	int err;
	struct io_event ev[4];
};

static void *wait_in_thread(void *arg)
{
	struct waiter *w = arg;
	struct timespec bound = { .tv_sec = 5 };
	sigset_t none;
	struct ref_aio_sigset usig = { &none, REF_KERNEL_SIGSET_SIZE };

	sigemptyset(&none);
	atomic_store(&w->tid, (int)gettid());
	errno = 0;
	if (w->pgetevents)
		w->ret = aio_sys_pgetevents(w->ctx, w->min_nr, w->nr, w->ev,
					&bound, &usig);
	else
		w->ret = aio_sys_getevents(w->ctx, w->min_nr, w->nr, w->ev,
					   &bound);
	w->err = errno;
	return NULL;
}

/*
 * Start the waiter, wait until it sleeps in its call, send it SIGUSR1 and
 * join it. Returns what conform_wait_blocked_in() said: 1 when the thread
 * was seen asleep before the signal, 0 or -1 when not (the caller skips).
 */
static int interrupt_waiter(struct __test_metadata *_metadata,
			    struct waiter *w)
{
	pthread_t th;
	int seen;

	w->ret = -2;
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_in_thread, w));
	while (!atomic_load(&w->tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&w->tid),
				       w->pgetevents ? __NR_io_pgetevents :
						       __NR_io_getevents);
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	return seen;
}

#define SKIP_UNLESS_SEEN(seen, w)                                              \
	do {                                                                   \
		if ((seen) < 0)                                                \
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter asleep"); \
		if ((seen) == 0)                                               \
			SKIP(return, CONFORM_UNSEEN "the waiter was not seen asleep (its call returned %ld, %s)", \
			     (w)->ret, strerror((w)->err));                    \
	} while (0)

/*
 * io_getevents(2) ERRORS: EINTR "Interrupted by a signal handler": a
 * thread asleep in io_getevents (min_nr 1, nothing pending) and sent
 * SIGUSR1, whose handler has no SA_RESTART, runs the handler and fails
 * with EINTR at once, long before its 5 s timeout (which would return 0)
 * (since 2.6).
 */
TEST(handler_ends_wait_with_eintr)
{
	struct waiter w = { .min_nr = 1, .nr = 1 };
	int seen;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EINTR: interrupted by a signal handler");
	CONFORM_REQUIRE_AIO();
	count_signal(_metadata, SIGUSR1, 0);
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	seen = interrupt_waiter(_metadata, &w);
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	SKIP_UNLESS_SEEN(seen, &w);
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
}

/*
 * signal(7): io_getevents(2) is one of the interfaces "never restarted
 * after being interrupted by a signal handler, regardless of the use of
 * SA_RESTART; they always fail with the error EINTR": with an SA_RESTART
 * handler the interrupted wait still fails with EINTR (fs/aio.c returns
 * -EINTR, not a restart code) instead of waiting on to its timeout (since
 * 2.6).
 */
TEST(sa_restart_handler_still_gets_eintr)
{
	struct waiter w = { .min_nr = 1, .nr = 1 };
	int seen;

	CONFORM_DECLARE("2.6", "io_getevents",
			"signal(7): io_getevents(2) is never restarted after a handler, regardless of SA_RESTART; fs/aio.c SYSCALL io_getevents returns -EINTR");
	CONFORM_REQUIRE_AIO();
	count_signal(_metadata, SIGUSR1, SA_RESTART);
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	seen = interrupt_waiter(_metadata, &w);
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	SKIP_UNLESS_SEEN(seen, &w);
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
}

/* A 4096-byte pattern file in *fd and one completed read on ctx, tagged 31. */
static void one_ready_event(struct __test_metadata *_metadata,
			    aio_context_t ctx, int *fd, struct iocb *cb,
			    char *buf)
{
	struct iocb *list[1] = { cb };

	ASSERT_LE(0, *fd = conform_temp_file(4096, 0));
	aio_prep_rw(cb, IOCB_CMD_PREAD, *fd, buf, 64, 256, 31);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
}

/*
 * io_getevents(2) RETURN VALUE: "It may also be a nonzero value less than
 * min_nr, if the call was interrupted by a signal handler": a waiter
 * asking for min_nr 2 takes the one completed event, sleeps for the
 * second, and on SIGUSR1 returns 1 with that event rather than failing
 * with EINTR and losing it; nothing is left in the ring (since 2.6).
 */
TEST(signal_returns_the_events_already_read)
{
	static char buf[64];
	struct waiter w = { .min_nr = 2, .nr = 2 };
	struct timespec zero = { 0, 0 };
	struct io_event left;
	struct iocb cb;
	int seen, fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) RETURN VALUE: a nonzero value less than min_nr if interrupted by a signal handler");
	CONFORM_REQUIRE_AIO();
	count_signal(_metadata, SIGUSR1, 0);
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	one_ready_event(_metadata, w.ctx, &fd, &cb, buf);
	seen = interrupt_waiter(_metadata, &w);
	if (seen != 1) {
		EXPECT_EQ(0, aio_sys_destroy(w.ctx));
		close(fd);
		SKIP_UNLESS_SEEN(seen, &w);
	}
	EXPECT_EQ(0, aio_sys_getevents(w.ctx, 0, 1, &left, &zero));
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	close(fd);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(31, w.ev[0].data);
	EXPECT_EQ(64, w.ev[0].res);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
}

/*
 * io_getevents(2) EINTR ends the wait, not the requests: a poll of an
 * empty pipe pending while its waiter is interrupted (EINTR) stays
 * queued; writing the pipe afterwards completes it (POLLIN) and the next
 * io_getevents returns its event (since 4.19, IOCB_CMD_POLL).
 */
TEST(request_pending_across_eintr_still_completes)
{
	struct waiter w = { .min_nr = 1, .nr = 1 };
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	int seen, p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_getevents(2) EINTR; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	count_signal(_metadata, SIGUSR1, 0);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 41;
	ASSERT_EQ(1, aio_sys_submit(w.ctx, 1, list));
	seen = interrupt_waiter(_metadata, &w);
	if (seen != 1) {
		EXPECT_EQ(0, aio_sys_destroy(w.ctx));
		close(p[0]);
		close(p[1]);
		SKIP_UNLESS_SEEN(seen, &w);
	}
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, aio_sys_getevents(w.ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(41, ev.data);
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c io_pgetevents() returns -ERESTARTNOHAND when a signal ends a
 * wait that read nothing: restarted only when no handler ran, so a
 * handler installed with SA_RESTART still makes io_pgetevents (here with
 * an empty mask) fail with EINTR, as ppoll(2) does (since 4.18, commit
 * 7a074e96dee6 "aio: implement io_pgetevents").
 */
TEST(pgetevents_with_sa_restart_handler_gets_eintr)
{
	struct waiter w = { .min_nr = 1, .nr = 1, .pgetevents = true };
	int seen;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"fs/aio.c io_pgetevents(): -ERESTARTNOHAND, never restarted after a handler; signal(7) SA_RESTART; commit 7a074e96dee6 (4.18): aio: implement io_pgetevents");
	CONFORM_REQUIRE(pgetevents_missing());
	count_signal(_metadata, SIGUSR1, SA_RESTART);
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	seen = interrupt_waiter(_metadata, &w);
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	SKIP_UNLESS_SEEN(seen, &w);
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
}

/*
 * io_getevents(2) RETURN VALUE: "a value less than min_nr, if the timeout
 * expired": with a zero timeout the call does not wait: with one event
 * ready and min_nr 3 it returns that one event at once (since 2.6).
 */
TEST(zero_timeout_returns_fewer_than_min_nr_at_once)
{
	static char buf[64];
	struct timespec zero = { 0, 0 };
	struct io_event ev[3];
	aio_context_t ctx = 0;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) RETURN VALUE: a value less than min_nr if the timeout expired");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	one_ready_event(_metadata, ctx, &fd, &cb, buf);
	EXPECT_EQ(1, aio_sys_getevents(ctx, 3, 3, ev, &zero));
	EXPECT_EQ(31, ev[0].data);
	EXPECT_EQ(0, aio_sys_getevents(ctx, 3, 3, ev, &zero));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * io_getevents(2) RETURN VALUE: "a value less than min_nr, if the timeout
 * expired": with one event ready and min_nr 2 the call takes it, waits
 * its 20 ms for a second that cannot come (nothing else is queued), and
 * returns the one (since 2.6). The 20 ms is the bound under test, not a
 * delay to win a race.
 */
TEST(expired_timeout_returns_fewer_than_min_nr)
{
	static char buf[64];
	struct timespec shortwait = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_event ev[2];
	aio_context_t ctx = 0;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) RETURN VALUE: a value less than min_nr if the timeout expired");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	one_ready_event(_metadata, ctx, &fd, &cb, buf);
	EXPECT_EQ(1, aio_sys_getevents(ctx, 2, 2, ev, &shortwait));
	EXPECT_EQ(31, ev[0].data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Stop and continue: a child process, watched from the test           */
/* ------------------------------------------------------------------ */

/*
 * Wait until process pid (a child, single-threaded) is asleep in system
 * call nr, as conform_wait_blocked_in() does for a thread of this
 * process: /proc/<pid>/syscall shows the call's number only once the
 * task sleeps in it. 1 seen, 0 not within 5 s, -1 unreadable (no /proc,
 * or ptrace access to the child refused, e.g. by Yama).
 */
static int wait_child_blocked_in(pid_t pid, long nr)
{
	struct timespec start, now;
	char path[64], text[128];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t len;

		if (fd < 0)
			return -1;
		len = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (len <= 0)
			return -1;
		text[len] = '\0';
		if (text[0] != 'r' && strtol(text, NULL, 10) == nr)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/* waitpid(pid, flags | WNOHANG) until it reports, for at most 5 s: what
 * it returned (pid, or 0 when nothing came). */
static pid_t wait_child_bounded(pid_t pid, int *status, int flags)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t got = waitpid(pid, status, flags | WNOHANG);

		if (got != 0)
			return got;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/* What the child reports: its first call and the reap after it. */
struct stop_report {
	long ret, reaped;
	int err;
	__u64 data;
	__s64 res;
};

/*
 * The child: a context with a poll of the pipe end poll_fd pending, one
 * wait in io_getevents or io_pgetevents (empty mask), then a bounded reap
 * of whatever is left; the report goes to report_fd. No handler is
 * installed: SIGSTOP and SIGCONT keep their default actions.
 */
static void __attribute__((noreturn))
child_waits(bool pgetevents, int poll_fd, int report_fd)
{
	struct timespec bound = { .tv_sec = 5 };
	struct stop_report rep = { .ret = -2, .reaped = -2 };
	struct iocb cb, *list[1] = { &cb };
	sigset_t none;
	struct ref_aio_sigset usig = { &none, REF_KERNEL_SIGSET_SIZE };
	struct io_event ev = { 0 };
	aio_context_t ctx = 0;

	sigemptyset(&none);
	if (aio_sys_setup(4, &ctx) == 0) {
		aio_prep_poll(&cb, poll_fd, POLLIN);
		cb.aio_data = 51;
		if (aio_sys_submit(ctx, 1, list) == 1) {
			errno = 0;
			rep.ret = pgetevents ?
				  aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig) :
				  aio_sys_getevents(ctx, 1, 1, &ev, &bound);
			rep.err = errno;
			if (rep.ret != 1)
				rep.reaped = aio_sys_getevents(ctx, 1, 1, &ev,
							       &bound);
			rep.data = ev.data;
			rep.res = ev.res;
		}
	}
	if (write(report_fd, &rep, sizeof(rep)) != sizeof(rep))
		_exit(2);
	_exit(0);
}

/*
 * Fork a child that waits (child_waits()), see it asleep in its call,
 * stop it (SIGSTOP, seen stopped), continue it (SIGCONT), then write its
 * pipe and read its report. Returns what wait_child_blocked_in() said (1
 * seen; 0 or -1: the caller skips); *rep holds the report.
 */
static int stop_and_continue(struct __test_metadata *_metadata,
			     bool pgetevents, struct stop_report *rep)
{
	int p[2], r[2], status, seen;
	pid_t pid;

	memset(rep, 0, sizeof(*rep));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(r));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		child_waits(pgetevents, p[0], r[1]);
	seen = wait_child_blocked_in(pid, pgetevents ? __NR_io_pgetevents :
						       __NR_io_getevents);
	if (seen == 1) {
		ASSERT_EQ(0, kill(pid, SIGSTOP));
		ASSERT_EQ(pid, wait_child_bounded(pid, &status, WUNTRACED));
		ASSERT_TRUE(WIFSTOPPED(status));
		ASSERT_EQ(0, kill(pid, SIGCONT));
	}
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_TRUE(conform_fd_readable(r[0], 10000));
	ASSERT_EQ((ssize_t)sizeof(*rep), read(r[0], rep, sizeof(*rep)));
	ASSERT_EQ(pid, wait_child_bounded(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p[0]);
	close(p[1]);
	close(r[0]);
	close(r[1]);
	return seen;
}

#define SKIP_UNLESS_CHILD_SEEN(seen, rep)                                      \
	do {                                                                   \
		if ((seen) < 0)                                                \
			SKIP(return, CONFORM_ENV "/proc/<pid>/syscall of the child unreadable (no /proc, or ptrace access refused): cannot see it asleep"); \
		if ((seen) == 0)                                               \
			SKIP(return, CONFORM_UNSEEN "the child was not seen asleep in its call (it returned %ld)", \
			     (rep)->ret);                                      \
	} while (0)

/*
 * signal(7) says that on Linux certain blocking interfaces fail with
 * EINTR after the process is stopped by a stop signal and resumed by
 * SIGCONT, even with no handler, and lists epoll_wait(2), semop(2),
 * sigtimedwait(2) and others, but not io_getevents(2). io_getevents does
 * so too: fs/aio.c returns -EINTR whenever a signal is pending and no
 * event was read, a stop signal included. A child asleep in io_getevents
 * on a pending poll, stopped and continued, fails with EINTR; the poll is
 * not lost: the next io_getevents returns it once the pipe is written
 * (since 4.19 with IOCB_CMD_POLL; the -EINTR dates from 2.6).
 */
TEST(stop_and_continue_ends_getevents_with_eintr)
{
	struct stop_report rep;
	int seen;

	CONFORM_DECLARE("4.19", "io_getevents",
			"signal(7): EINTR after a stop signal and SIGCONT (io_getevents(2) not listed); fs/aio.c SYSCALL io_getevents: -EINTR when a signal is pending; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	seen = stop_and_continue(_metadata, false, &rep);
	SKIP_UNLESS_CHILD_SEEN(seen, &rep);
	EXPECT_EQ(-1, rep.ret);
	EXPECT_EQ(EINTR, rep.err);
	EXPECT_EQ(1, rep.reaped);
	EXPECT_EQ(51, rep.data);
	EXPECT_EQ(POLLIN, rep.res & POLLIN);
}

/*
 * fs/aio.c io_pgetevents(): the -ERESTARTNOHAND of an interrupted wait is
 * restarted when no handler ran: a child asleep in io_pgetevents on a
 * pending poll, stopped (SIGSTOP) and continued (SIGCONT), goes back to
 * waiting instead of failing, and returns the poll's event (1) once the
 * pipe is written (since 4.19: io_pgetevents 4.18, commit 7a074e96dee6;
 * IOCB_CMD_POLL 4.19).
 */
TEST(stop_and_continue_restarts_pgetevents)
{
	struct stop_report rep;
	int seen;

	CONFORM_DECLARE("4.19", "io_pgetevents",
			"fs/aio.c io_pgetevents(): -ERESTARTNOHAND is restarted when no handler ran; commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	CONFORM_REQUIRE(pgetevents_missing());
	AIO_REQUIRE_POLL();
	seen = stop_and_continue(_metadata, true, &rep);
	SKIP_UNLESS_CHILD_SEEN(seen, &rep);
	EXPECT_EQ(1, rep.ret);
	EXPECT_EQ(51, rep.data);
	EXPECT_EQ(POLLIN, rep.res & POLLIN);
}

TEST_HARNESS_MAIN
