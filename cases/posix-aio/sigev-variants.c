// SPDX-License-Identifier: MIT
/*
 * posix-aio/sigev-variants: the sigev_notify values and signal numbers a
 * POSIX AIO request can be given, beyond the plain SIGEV_NONE, SIGEV_SIGNAL
 * and SIGEV_THREAD of posix-aio/notify and write-notify (and its sigev_signo
 * SIGRTMAX + 1): SIGEV_NONE with a signal number and a function filled in,
 * a sigev_notify value POSIX does not define, the null signal 0 and
 * SIGRTMAX as sigev_signo, Linux's SIGEV_THREAD_ID, SIGEV_THREAD with no
 * function, and a control block reused with a new sigev_value.
 * Sources: POSIX.1-2017 XSH <signal.h> DESCRIPTION (SIGEV_NONE,
 * SIGEV_SIGNAL, SIGEV_THREAD; 0 is the null signal; SIGRTMIN..SIGRTMAX),
 * aio_read() DESCRIPTION and ERRORS (no error for aio_sigevent), aio_return()
 * DESCRIPTION (a control block may be used again once its result is
 * taken); sigevent(7) ("SIGEV_THREAD_ID (Linux-specific) Currently used
 * only by POSIX timers"); glibc's notification (aio_misc.c/aio_notify.c:
 * only SIGEV_SIGNAL and SIGEV_THREAD do anything).
 * Where neither POSIX nor glibc's documents decide (an unknown sigev_notify,
 * a NULL function), the TEST asserts what glibc 2.36 does and says so.
 *
 * Signals are blocked and taken with sigtimedwait (5 s for one that must
 * come). To know that a notification would have been sent by the time it
 * looks, a TEST queues a marker read on the same descriptor asking for
 * MARK_SIG and takes that: glibc runs a descriptor's requests one at a time
 * in queue order and notifies each before it starts the next. A
 * SIGEV_THREAD function reports through a pipe (200 ms to see nothing).
 *
 * First kernel: glibc runs POSIX AIO and its notifications in its own
 * threads (pread, rt_sigqueueinfo, pthread_create): since is 2.6.0 in
 * every declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "conform_posix_aio.h"

/* The signal the tests name in sigev_signo, and the marker's. */
#define VAR_SIG (SIGRTMIN + 3)
#define MARK_SIG (SIGRTMIN + 8)

/* Where report_call() writes one byte per call. */
static int report_fd = -1;

static void report_call(union sigval value)
{
	(void)value;
	if (write(report_fd, "f", 1) != 1)
		abort();
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
	posix_aio_want_signal(&mark.aio_sigevent, MARK_SIG, NULL);
	if (aio_read(&mark) != 0 ||
	    posix_aio_take_signal(&set, &info, 5000) != MARK_SIG)
		return false;
	return posix_aio_wait_done(&mark) == 0;
}

/* True when no signal at all is pending (all are blocked by the caller:
 * every realtime signal, so that one sent by mistake stays visible). */
static bool nothing_pending(void)
{
	sigset_t pending;

	if (sigpending(&pending) < 0)
		return false;
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&pending, s) == 1)
			return false;
	return true;
}

/* Block every realtime signal in the calling thread. 0 or -1. */
static int block_realtime_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
		sigaddset(&set, s);
	return sigprocmask(SIG_BLOCK, &set, NULL);
}

/*
 * POSIX <signal.h> DESCRIPTION: SIGEV_NONE, "No asynchronous notification
 * is delivered when the event of interest occurs"; sigevent(7): use only
 * the fields that matter for the sigev_notify given. A read with
 * SIGEV_NONE whose sigev_signo (VAR_SIG, blocked) and
 * sigev_notify_function are filled in completes (status 0, its count) and
 * neither raises the signal nor calls the function.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_none_ignores_the_signal_number_and_function)
{
	int p[2], fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	char buf[16];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGEV_NONE "
			"delivers no notification, whatever sigev_signo and "
			"sigev_notify_function hold");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, block_realtime_signals());
	report_fd = p[1];
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	cb.aio_sigevent.sigev_signo = VAR_SIG;
	cb.aio_sigevent.sigev_notify_function = report_call;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_TRUE(marker_passed(fd));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(nothing_pending());
	EXPECT_FALSE(conform_fd_readable(p[0], 200));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX <signal.h> DESCRIPTION defines SIGEV_NONE, SIGEV_SIGNAL and
 * SIGEV_THREAD; aio_read() ERRORS lists no error for any other
 * sigev_notify. glibc does not check it: aio_read with sigev_notify 77
 * (a signal number and a function filled in) returns 0, the read
 * completes (status 0, its count) and nothing is notified, as with
 * SIGEV_NONE. Asserted as glibc does it (a finding: timer_create(2)
 * refuses such a value with EINVAL).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(unknown_sigev_notify_is_accepted_and_notifies_nothing)
{
	int p[2], fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	char buf[16];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: none for an undefined "
			"sigev_notify (glibc: not checked, the request runs and "
			"notifies nothing)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, block_realtime_signals());
	report_fd = p[1];
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	cb.aio_sigevent.sigev_notify = 77;
	cb.aio_sigevent.sigev_signo = VAR_SIG;
	cb.aio_sigevent.sigev_notify_function = report_call;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_TRUE(marker_passed(fd));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(nothing_pending());
	EXPECT_FALSE(conform_fd_readable(p[0], 200));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX <signal.h> DESCRIPTION: "The value 0 is reserved for use as the
 * null signal"; glibc sends the notification with rt_sigqueueinfo, which
 * for signal 0 only checks that it could send (sigqueue(3): "no signal is
 * actually sent"). A read with SIGEV_SIGNAL and sigev_signo 0 completes
 * with status 0 and its count (glibc does not turn it into an error, as it
 * does for SIGRTMAX + 1) and no signal is pending.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(null_signal_number_completes_with_status_zero_and_sends_nothing)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	char buf[16];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: 0 is the null "
			"signal (glibc: rt_sigqueueinfo sends nothing for it, "
			"the request keeps status 0)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, block_realtime_signals());
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, 0, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_TRUE(marker_passed(fd));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(nothing_pending());
	close(fd);
}

/*
 * POSIX <signal.h> DESCRIPTION: the realtime signals run from SIGRTMIN to
 * SIGRTMAX inclusive; SIGEV_SIGNAL generates sigev_signo with its value.
 * The last of them works as a notification signal: a read asking for
 * SIGRTMAX completes and SIGRTMAX is accepted with SI_ASYNCIO and the
 * value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(sigrtmax_is_a_valid_notification_signal)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	siginfo_t info;
	char buf[16];
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: realtime signals "
			"span SIGRTMIN to SIGRTMAX inclusive; SIGEV_SIGNAL "
			"generates sigev_signo with sigev_value");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(SIGRTMAX, &set));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, SIGRTMAX, NULL);
	cb.aio_sigevent.sigev_value.sival_int = 0x7a7;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(SIGRTMAX, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(0x7a7, info.si_value.sival_int);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	close(fd);
}

/*
 * sigevent(7): "SIGEV_THREAD_ID (Linux-specific) Currently used only by
 * POSIX timers"; glibc's AIO acts on SIGEV_SIGNAL and SIGEV_THREAD only. A
 * read asking for SIGEV_THREAD_ID with VAR_SIG (blocked) and the test
 * thread's tid is accepted and completes (status 0, its count), and no
 * signal is sent to that thread or to the process.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_thread_id_is_not_used_by_aio)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	char buf[16];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"glibc sigevent(7) SIGEV_THREAD_ID: Linux-specific, "
			"used only by POSIX timers: aio_read sends the thread "
			"nothing");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, block_realtime_signals());
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD_ID;
	cb.aio_sigevent.sigev_signo = VAR_SIG;
	cb.aio_sigevent._sigev_un._tid = gettid();
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_TRUE(marker_passed(fd));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(nothing_pending());
	close(fd);
}

/*
 * POSIX <signal.h> DESCRIPTION: with SIGEV_THREAD, sigev_notify_function
 * is the function to call; aio_read() ERRORS has no error for a missing
 * one. glibc does not check it: aio_read with SIGEV_THREAD and a NULL
 * function returns 0, and when the read completes the notification thread
 * calls address 0: the process (a child, its core dump off) is killed by
 * SIGSEGV before it reaches its exit. Asserted as glibc does it (a
 * finding: the error is neither refused at the call nor reported).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: pthread_create, then NULL).
 */
TEST(sigev_thread_without_function_kills_the_process)
{
	int fd = conform_temp_file(4096, 0), status;
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: none for a NULL "
			"sigev_notify_function (glibc: accepted; its "
			"notification thread calls NULL: SIGSEGV)");
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		const struct timespec limit = { 5, 0 };
		struct rlimit none = { 0, 0 };
		struct aiocb cb;
		char buf[16];

		setrlimit(RLIMIT_CORE, &none);
		posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
		cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
		cb.aio_sigevent.sigev_notify_function = NULL;
		if (aio_read(&cb) != 0)
			_exit(2);
		if (posix_aio_wait_done(&cb) < 0)
			_exit(3);
		nanosleep(&limit, NULL);
		_exit(4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	close(fd);
}

/*
 * POSIX aio_return() DESCRIPTION: once the return status has been taken,
 * the control block may be used to submit another operation; <signal.h>:
 * SIGEV_SIGNAL carries sigev_value. One control block queued twice, with
 * sigev_value 1 and then (after the first result was taken) 2, gives two
 * signals carrying 1 and 2: the value of each request is the one it was
 * queued with.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(reused_control_block_notifies_with_its_new_value)
{
	int fd = conform_temp_file(4096, 0);
	struct aiocb cb;
	siginfo_t info;
	char buf[16];
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() DESCRIPTION: the aiocb may "
			"be used for another operation once its status is "
			"taken; <signal.h>: each carries its own sigev_value");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(VAR_SIG, &set));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, VAR_SIG, NULL);
	cb.aio_sigevent.sigev_value.sival_int = 1;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(VAR_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(1, info.si_value.sival_int);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	ASSERT_EQ(16, aio_return(&cb));
	cb.aio_offset = 16;
	cb.aio_sigevent.sigev_value.sival_int = 2;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(VAR_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(2, info.si_value.sival_int);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 16));
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 0));
	close(fd);
}

TEST_HARNESS_MAIN
