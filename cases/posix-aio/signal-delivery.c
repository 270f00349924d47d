// SPDX-License-Identifier: MIT
/*
 * posix-aio/signal-delivery: how the SIGEV_SIGNAL notification of a POSIX
 * AIO request is delivered, beyond posix-aio/notify and write-notify (which
 * take it with sigtimedwait in the thread that queued the request): it
 * stays pending while every thread blocks it and another thread accepts it
 * with sigwaitinfo; an SA_SIGINFO handler gets si_value and SI_ASYNCIO;
 * with the signal blocked in one thread it goes to the thread that does
 * not block it; one realtime signal queues per request in FIFO order, and
 * the lower-numbered of two pending realtime signals is delivered first; a
 * standard signal of two requests is pending once; an ignored signal is
 * discarded while the request completes; SIGUSR2 left at SIG_DFL ends the
 * process; si_pid and si_uid name the process itself.
 * Sources: POSIX.1-2017 XSH 2.4.2 Realtime Signal Generation and Delivery
 * (queued with the application value when SA_SIGINFO is set, FIFO for one
 * signal number, lowest realtime number delivered first, unspecified
 * queueing without SA_SIGINFO), <signal.h> DESCRIPTION (SIGEV_SIGNAL,
 * SI_ASYNCIO, default actions), sigaction() DESCRIPTION (SA_SIGINFO,
 * SIG_IGN); signal(7) ("Standard signals do not queue"); glibc's
 * notification (rt_sigqueueinfo to getpid() with its own pid and uid).
 *
 * glibc's AIO worker threads block every signal, so the test threads
 * decide where a notification goes. Handlers run only inside a bounded
 * ppoll whose mask lets the signal in. Where a TEST must know that a
 * notification has been generated before it looks (to see none), it
 * queues a marker read on the same descriptor asking for MARK_SIG and
 * takes that: glibc runs the requests of a descriptor one at a time in
 * queue order and notifies each before it starts the next.
 *
 * First kernel: glibc queues the signal with rt_sigqueueinfo from its
 * worker threads; nothing newer is asked of the kernel: since is 2.6.0 in
 * every declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "conform_posix_aio.h"

/* The signals the tests ask for, and the marker's. */
#define DELIV_SIG (SIGRTMIN + 2)
#define LOW_SIG (SIGRTMIN + 1)
#define HIGH_SIG (SIGRTMIN + 6)
#define MARK_SIG (SIGRTMIN + 8)

/* What the SA_SIGINFO handler saw: up to 4 deliveries, in order. */
static volatile sig_atomic_t nr_seen;
static siginfo_t seen[4];
static pid_t seen_tid[4];

static void record(int signo, siginfo_t *info, void *ctx)
{
	(void)signo;
	(void)ctx;
	if (nr_seen < 4) {
		seen[nr_seen] = *info;
		seen_tid[nr_seen] = gettid();
	}
	nr_seen++;
}

/* Install record() for signo, SA_SIGINFO, with every signal blocked while
 * it runs (so one ppoll lets exactly one delivery in). 0 or -1. */
static int catch_with_info(int signo)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = record;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	return sigaction(signo, &sa, NULL);
}

/* Let pending signals in for at most ms: ppoll with an empty mask. The
 * result of ppoll: -1 with EINTR when a handler ran. */
static int let_signals_in(int ms)
{
	const struct timespec limit = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t none;

	sigemptyset(&none);
	return ppoll(NULL, 0, &limit, &none);
}

/* Wait (5 s bound) until signo is pending for this thread or the process. */
static bool becomes_pending(int signo)
{
	struct timespec start, now;
	sigset_t pending;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (sigpending(&pending) < 0)
			return false;
		if (sigismember(&pending, signo))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return false;
		sched_yield();
	}
}

static bool is_pending(int signo)
{
	sigset_t pending;

	return sigpending(&pending) == 0 && sigismember(&pending, signo);
}

/* Queue a one-byte read of fd asking for MARK_SIG and take that signal:
 * every request queued on fd before it has been notified by then. */
static bool marker_passed(int fd)
{
	static char mbuf[1];
	struct aiocb mark;
	siginfo_t info;
	sigset_t set;

	if (posix_aio_block_signal(MARK_SIG, &set) < 0)
		return false;
	posix_aio_prep(&mark, fd, mbuf, 1, 0);
	posix_aio_want_signal(&mark.aio_sigevent, MARK_SIG, &mark);
	if (aio_read(&mark) != 0 ||
	    posix_aio_take_signal(&set, &info, 5000) != MARK_SIG)
		return false;
	return posix_aio_wait_done(&mark) == 0;
}

/* A thread that accepts DELIV_SIG with sigtimedwait (5 s). */
struct acceptor {
	int signo;
	siginfo_t info;
	pid_t tid;
};

static void *accept_signal(void *arg)
{
	struct acceptor *a = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, DELIV_SIG);
	a->tid = gettid();
	a->signo = posix_aio_take_signal(&set, &a->info, 5000);
	return NULL;
}

/*
 * POSIX 2.4.2: a signal generated with an application value is queued to
 * the process and stays pending until it is delivered or accepted; it is
 * accepted with its si_signo, si_code and si_value. DELIV_SIG is blocked in
 * every thread (glibc's workers block all signals): after the request
 * completes it is pending; a thread other than the one that queued the
 * request then accepts it with sigtimedwait: DELIV_SIG, SI_ASYNCIO, the
 * value; after that it is no longer pending.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(blocked_everywhere_signal_stays_pending_until_another_thread_accepts_it)
{
	int fd = conform_temp_file(4096, 0);
	struct acceptor a = { .signo = -1 };
	struct aiocb cb;
	char buf[100];
	sigset_t set;
	pthread_t t;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: the signal stays queued to the process until "
			"accepted, and is accepted with si_signo, si_code and "
			"si_value");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(DELIV_SIG, &set));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, DELIV_SIG, NULL);
	cb.aio_sigevent.sigev_value.sival_int = 0x600d;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	ASSERT_TRUE(becomes_pending(DELIV_SIG));
	ASSERT_EQ(0, pthread_create(&t, NULL, accept_signal, &a));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(DELIV_SIG, a.signo);
	EXPECT_NE(gettid(), a.tid);
	EXPECT_EQ(DELIV_SIG, a.info.si_signo);
	EXPECT_EQ(SI_ASYNCIO, a.info.si_code);
	EXPECT_EQ(0x600d, a.info.si_value.sival_int);
	EXPECT_FALSE(is_pending(DELIV_SIG));
	EXPECT_EQ(100, aio_return(&cb));
	close(fd);
}

/*
 * POSIX sigaction() DESCRIPTION: with SA_SIGINFO the handler is called
 * with a siginfo_t; 2.4.2 and <signal.h>: for a signal of an asynchronous
 * I/O completion si_code is SI_ASYNCIO and si_value the sigev_value. The
 * handler, let in once by a bounded ppoll, runs once with DELIV_SIG,
 * SI_ASYNCIO and si_value.sival_ptr the control block's address.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(sa_siginfo_handler_gets_si_value_and_si_asyncio)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	char buf[64];
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 sigaction() DESCRIPTION: an SA_SIGINFO "
			"handler gets a siginfo_t; 2.4.2: si_code SI_ASYNCIO "
			"and si_value the sigev_value");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(DELIV_SIG, &set));
	ASSERT_EQ(0, catch_with_info(DELIV_SIG));
	nr_seen = 0;
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, DELIV_SIG, &cb);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	ASSERT_TRUE(becomes_pending(DELIV_SIG));
	EXPECT_EQ(-1, let_signals_in(5000));
	EXPECT_EQ(EINTR, errno);
	ASSERT_EQ(1, nr_seen);
	EXPECT_EQ(DELIV_SIG, seen[0].si_signo);
	EXPECT_EQ(SI_ASYNCIO, seen[0].si_code);
	EXPECT_EQ((void *)&cb, seen[0].si_value.sival_ptr);
	EXPECT_EQ(64, aio_return(&cb));
	close(fd);
}

/* A thread that lets DELIV_SIG in (handler record()) and waits for it. */
struct taker {
	int ready_fd;
	int result;	/* of its bounded ppoll */
	int err;
	pid_t tid;
};

static void *take_in_thread(void *arg)
{
	struct taker *t = arg;
	const struct timespec limit = { 5, 0 };
	sigset_t blocked_but_sig;

	t->tid = gettid();
	/* This thread keeps DELIV_SIG blocked except inside its ppoll. */
	sigfillset(&blocked_but_sig);
	sigdelset(&blocked_but_sig, DELIV_SIG);
	if (write(t->ready_fd, "r", 1) != 1)
		return NULL;
	t->result = ppoll(NULL, 0, &limit, &blocked_but_sig);
	t->err = errno;
	return NULL;
}

/*
 * <signal.h> DESCRIPTION: SIGEV_SIGNAL generates the signal for the
 * process; a signal generated for the process goes to exactly one thread
 * that does not block it (XSH 2.4.1). The test thread blocks DELIV_SIG; a
 * second thread lets it in (in a bounded ppoll): the handler runs once, in
 * that thread, and its ppoll ends with EINTR.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(signal_goes_to_the_thread_that_does_not_block_it)
{
	int fd = conform_temp_file(4096, 0), r[2];
	struct taker tk = { .result = 0 };
	struct aiocb cb;
	char buf[16], c;
	sigset_t set;
	pthread_t t;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGEV_SIGNAL "
			"generates the signal for the process, delivered to a "
			"thread not blocking it (XSH 2.4.1)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(r));
	ASSERT_EQ(0, posix_aio_block_signal(DELIV_SIG, &set));
	ASSERT_EQ(0, catch_with_info(DELIV_SIG));
	nr_seen = 0;
	tk.ready_fd = r[1];
	ASSERT_EQ(0, pthread_create(&t, NULL, take_in_thread, &tk));
	ASSERT_TRUE(conform_fd_readable(r[0], 5000));
	ASSERT_EQ(1, read(r[0], &c, 1));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, DELIV_SIG, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-1, tk.result);
	EXPECT_EQ(EINTR, tk.err);
	ASSERT_EQ(1, nr_seen);
	EXPECT_EQ(tk.tid, seen_tid[0]);
	EXPECT_EQ(SI_ASYNCIO, seen[0].si_code);
	EXPECT_FALSE(is_pending(DELIV_SIG));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(r[0]);
	close(r[1]);
	close(fd);
}

/*
 * POSIX 2.4.2: with SA_SIGINFO set, each signal generated with a value is
 * queued, and "multiple occurrences" of one signal number are queued in
 * FIFO order. Five writes to one file (run in queue order by glibc, one
 * at a time per descriptor) ask for DELIV_SIG with values 0..4: five
 * DELIV_SIG are accepted, carrying 0, 1, 2, 3, 4 in that order, and no
 * sixth.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(realtime_signal_queues_one_per_request_in_fifo_order)
{
	int fd = conform_temp_file(0, 0);
	struct aiocb cbs[5];
	siginfo_t info;
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: with SA_SIGINFO one signal is queued per "
			"occurrence, in FIFO order");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(DELIV_SIG, &set));
	ASSERT_EQ(0, catch_with_info(DELIV_SIG));
	for (int i = 0; i < 5; i++) {
		posix_aio_prep(&cbs[i], fd, "0123456789", 10, (off_t)i * 10);
		posix_aio_want_signal(&cbs[i].aio_sigevent, DELIV_SIG, NULL);
		cbs[i].aio_sigevent.sigev_value.sival_int = i;
		ASSERT_EQ(0, aio_write(&cbs[i]));
	}
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(DELIV_SIG, posix_aio_take_signal(&set, &info, 5000));
		EXPECT_EQ(i, info.si_value.sival_int);
	}
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 0));
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(10, aio_return(&cbs[i]));
	}
	close(fd);
}

/*
 * POSIX 2.4.2: "When multiple unblocked signals, all in the range SIGRTMIN
 * to SIGRTMAX, are pending", the one with the lowest number is delivered
 * first. HIGH_SIG is generated first (its request completes and the
 * signal is pending), then LOW_SIG; both handlers block every signal while
 * they run, so each bounded ppoll lets one delivery in: LOW_SIG's handler
 * runs first, HIGH_SIG's at the second ppoll.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(lower_realtime_signal_is_delivered_first)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb hi, lo;
	char b1[8], b2[8];
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: of several pending realtime signals the "
			"lowest-numbered is delivered first");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(HIGH_SIG, &set));
	ASSERT_EQ(0, posix_aio_block_signal(LOW_SIG, &set));
	ASSERT_EQ(0, catch_with_info(HIGH_SIG));
	ASSERT_EQ(0, catch_with_info(LOW_SIG));
	nr_seen = 0;
	posix_aio_prep(&hi, fd, b1, sizeof(b1), 0);
	posix_aio_want_signal(&hi.aio_sigevent, HIGH_SIG, NULL);
	ASSERT_EQ(0, aio_read(&hi));
	ASSERT_TRUE(becomes_pending(HIGH_SIG));
	posix_aio_prep(&lo, fd, b2, sizeof(b2), 0);
	posix_aio_want_signal(&lo.aio_sigevent, LOW_SIG, NULL);
	ASSERT_EQ(0, aio_read(&lo));
	ASSERT_TRUE(becomes_pending(LOW_SIG));
	EXPECT_EQ(-1, let_signals_in(5000));
	ASSERT_EQ(1, nr_seen);
	EXPECT_EQ(LOW_SIG, seen[0].si_signo);
	EXPECT_EQ(-1, let_signals_in(5000));
	ASSERT_EQ(2, nr_seen);
	EXPECT_EQ(HIGH_SIG, seen[1].si_signo);
	ASSERT_EQ(0, posix_aio_wait_done(&hi));
	ASSERT_EQ(0, posix_aio_wait_done(&lo));
	close(fd);
}

/*
 * POSIX 2.4.2: "It is unspecified whether signals so generated are queued
 * when the SA_SIGINFO flag is not set for that signal"; signal(7):
 * "Standard signals do not queue. If multiple instances of a standard
 * signal are generated while that signal is blocked, then only one
 * instance of the signal is marked as pending". Two writes ask for
 * SIGUSR1 (blocked, SIG_DFL); once a marker queued behind them has
 * signaled, SIGUSR1 is accepted once (SI_ASYNCIO) and is then no longer
 * pending.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(standard_signal_of_two_requests_is_pending_once)
{
	int fd = conform_temp_file(0, 0);
	struct aiocb a, b;
	siginfo_t info;
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: without SA_SIGINFO queueing is unspecified "
			"(Linux signal(7): standard signals do not queue)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(SIGUSR1, &set));
	posix_aio_prep(&a, fd, "aa", 2, 0);
	posix_aio_want_signal(&a.aio_sigevent, SIGUSR1, &a);
	posix_aio_prep(&b, fd, "bb", 2, 2);
	posix_aio_want_signal(&b.aio_sigevent, SIGUSR1, &b);
	ASSERT_EQ(0, aio_write(&a));
	ASSERT_EQ(0, aio_write(&b));
	ASSERT_TRUE(marker_passed(fd));
	ASSERT_EQ(0, posix_aio_wait_done(&a));
	ASSERT_EQ(0, posix_aio_wait_done(&b));
	ASSERT_EQ(SIGUSR1, posix_aio_take_signal(&set, &info, 0));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, aio_return(&a));
	EXPECT_EQ(2, aio_return(&b));
	close(fd);
}

/*
 * POSIX sigaction() DESCRIPTION: with SIG_IGN, delivery of the signal has
 * no effect on the process. DELIV_SIG is ignored and not blocked: a read
 * asking for it completes normally (status 0, its count), and once a
 * marker queued behind it has signaled, DELIV_SIG is not pending.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(ignored_signal_is_discarded_and_the_request_completes)
{
	int fd = conform_temp_file(4096, 0);
	struct sigaction sa;
	struct aiocb cb;
	char buf[32];
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 sigaction() DESCRIPTION: SIG_IGN, "
			"delivery has no effect: the request completes and no "
			"signal stays pending");
	ASSERT_LE(0, fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	ASSERT_EQ(0, sigaction(DELIV_SIG, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, DELIV_SIG);
	ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &set, NULL));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, DELIV_SIG, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_TRUE(marker_passed(fd));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(32, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	EXPECT_FALSE(is_pending(DELIV_SIG));
	close(fd);
}

/*
 * POSIX <signal.h> DESCRIPTION: si_pid and si_uid give the sending
 * process and its real user ID; for SI_ASYNCIO POSIX only defines
 * si_value. glibc queues the notification itself (rt_sigqueueinfo to
 * getpid()) with its own process ID and getuid(): the accepted signal has
 * si_pid getpid() and si_uid getuid(). Asserted as glibc does it.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(si_pid_and_si_uid_are_the_process_itself)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	siginfo_t info;
	char buf[8];
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: si_pid and si_uid "
			"name the sender; SI_ASYNCIO defines only si_value "
			"(glibc: it queues the signal with its own pid and "
			"uid)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(DELIV_SIG, &set));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, DELIV_SIG, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(DELIV_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(getpid(), info.si_pid);
	EXPECT_EQ(getuid(), info.si_uid);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(fd);
}

/*
 * POSIX <signal.h> DESCRIPTION: the default action of SIGUSR2 is abnormal
 * termination of the process. A child that leaves SIGUSR2 at SIG_DFL and
 * unblocked queues a read asking for SIGUSR2 and then waits (a bounded
 * ppoll): it is killed by SIGUSR2 when the read completes, and never
 * reaches its exit.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(default_action_of_the_signal_ends_the_process)
{
	int fd = conform_temp_file(4096, 0), status;
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGUSR2's default "
			"action terminates the process: a SIGEV_SIGNAL SIGUSR2 "
			"left at SIG_DFL ends it");
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct aiocb cb;
		struct sigaction sa;
		sigset_t set;
		char buf[8];

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		if (sigaction(SIGUSR2, &sa, NULL) < 0 ||
		    sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
			_exit(2);
		posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
		posix_aio_want_signal(&cb.aio_sigevent, SIGUSR2, NULL);
		if (aio_read(&cb) != 0)
			_exit(3);
		let_signals_in(5000);
		_exit(4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGUSR2, WTERMSIG(status));
	close(fd);
}

TEST_HARNESS_MAIN
