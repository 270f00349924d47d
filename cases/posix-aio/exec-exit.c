// SPDX-License-Identifier: MIT
/*
 * posix-aio/exec-exit: what becomes of outstanding POSIX asynchronous I/O
 * when its process exits or execs. _exit() does not wait for a read of an
 * empty pipe and a write queued behind it is never done; exit() runs the
 * atexit handlers while requests are still outstanding (they can still
 * complete there); exec suppresses the notification of a read pending at
 * the exec and cancels it (its pipe keeps the data written after), while
 * the signal of a request that completed before the exec stays pending in
 * the new image, and the new image's own request on the same descriptor
 * completes.
 * Sources: POSIX.1-2017 XSH _Exit() DESCRIPTION (outstanding cancelable
 * operations may be canceled; those not canceled complete as if _Exit()
 * had not yet occurred, their signal notifications suppressed; _Exit() may
 * block awaiting completion; which I/O is canceled is
 * implementation-defined), exit() DESCRIPTION (the atexit functions run
 * first, then the process terminates as by _Exit()), execve() (XSH exec)
 * DESCRIPTION (the same for outstanding operations at exec; the new image
 * inherits the signal mask and the pending signals); execve(2) ("Any
 * outstanding asynchronous I/O operations are canceled"), _exit(2) (glibc's
 * _exit() calls exit_group(2): it ends every thread), aio(7) NOTES (glibc
 * runs POSIX AIO in threads of the process).
 * Where POSIX leaves the choice to the implementation, the TESTs assert
 * what follows from those glibc and Linux documents: every outstanding
 * request dies with the worker threads, none is awaited.
 *
 * The process whose requests are outstanding is a child of the test
 * process; the test reaps it with a bounded wait (pidfd, 5-10 s) and reads
 * its exit code. The exec TESTs run this program again through
 * /proc/self/exe with "--paio-exec <check> <fd> <fd>": a constructor that
 * runs before the harness (and before conform.h's own) makes the check in
 * the new image and exits with its result.
 *
 * First kernel: glibc runs POSIX AIO in its own threads (read, write,
 * rt_sigqueueinfo); exit_group and execve end them: since is 2.6.0 in every
 * declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <signal.h>
#include <sys/wait.h>

#include "conform_posix_aio.h"

/* The signal the SIGEV_SIGNAL tests ask for. */
#define EXIT_SIG (SIGRTMIN + 4)

#define EXEC_ARG "--paio-exec"

/* Exit codes of the exec'd check (and of the test's own children). */
enum {
	CHECK_PASSED = 0,
	CHECK_FAILED = 1,
	CHECK_USAGE = 2,
	EXEC_FAILED = 127,
};

/* The value the request completed before the exec sends. */
#define DONE_VALUE 5151

/*
 * The checks the new image makes (EXIT_SIG is blocked there: the signal
 * mask survives exec):
 *   nosignal  write a byte to wfd (the pipe a read of the old image was
 *             pending on); no EXIT_SIG comes within 200 ms;
 *   datastays write a byte to wfd; it can be read back from rfd at once;
 *   pending   EXIT_SIG is pending: taken at once, with SI_ASYNCIO and
 *             DONE_VALUE;
 *   ownread   an aio_read of rfd, then two bytes written to wfd: the
 *             read completes with status 0 and at least one byte.
 */
static int exec_check(const char *check, int rfd, int wfd)
{
	siginfo_t info;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, EXIT_SIG);
	if (!strcmp(check, "nosignal")) {
		if (write(wfd, "n", 1) != 1)
			return CHECK_FAILED;
		return posix_aio_take_signal(&set, &info, 200) < 0 &&
		       errno == EAGAIN ? CHECK_PASSED : CHECK_FAILED;
	}
	if (!strcmp(check, "datastays")) {
		char c = 0;

		if (write(wfd, "d", 1) != 1)
			return CHECK_FAILED;
		return conform_fd_readable(rfd, 0) && read(rfd, &c, 1) == 1 &&
		       c == 'd' ? CHECK_PASSED : CHECK_FAILED;
	}
	if (!strcmp(check, "pending"))
		return posix_aio_take_signal(&set, &info, 0) == EXIT_SIG &&
		       info.si_code == SI_ASYNCIO &&
		       info.si_value.sival_int == DONE_VALUE ?
		       CHECK_PASSED : CHECK_FAILED;
	if (!strcmp(check, "ownread")) {
		struct aiocb cb;
		char buf[2];

		posix_aio_prep(&cb, rfd, buf, sizeof(buf), 0);
		if (aio_read(&cb) != 0 || write(wfd, "ab", 2) != 2 ||
		    posix_aio_wait_done(&cb) < 0)
			return CHECK_FAILED;
		return aio_error(&cb) == 0 && aio_return(&cb) >= 1 ?
		       CHECK_PASSED : CHECK_FAILED;
	}
	return CHECK_USAGE;
}

/*
 * glibc passes argc and argv to constructors. Priority 101 runs this one
 * before every constructor without a priority, conform_init() among them,
 * so the exec'd image makes no temporary directory.
 */
static void __attribute__((constructor(101))) exec_helper(int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[1], EXEC_ARG))
		return;
	_exit(exec_check(argv[2], atoi(argv[3]), atoi(argv[4])));
}

/*
 * Wait for child pid to end, at most ms milliseconds (a pidfd polled; a
 * blocking waitpid where pidfd_open is missing). A child still running
 * then is killed. Its wait status, or -1 when it had to be killed.
 */
static int reap_within(pid_t pid, int ms)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status;

	if (pfd >= 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		int n = poll(&p, 1, ms);

		close(pfd);
		if (n != 1) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* The exit code of a child that exited, or -1 (killed, or not reaped). */
static int exit_code(int status)
{
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * In a child: exec this program to make check with rfd and wfd (whose
 * close-on-exec flags are cleared first). Returns only if it failed.
 */
static void exec_check_in_new_image(const char *check, int rfd, int wfd)
{
	char r[16], w[16];

	snprintf(r, sizeof(r), "%d", rfd);
	snprintf(w, sizeof(w), "%d", wfd);
	if (fcntl(rfd, F_SETFD, 0) < 0 || fcntl(wfd, F_SETFD, 0) < 0)
		_exit(CHECK_USAGE);
	execl("/proc/self/exe", "paio-exec-check", EXEC_ARG, check, r, w,
	      (char *)NULL);
	_exit(EXEC_FAILED);
}

/*
 * Fork a child that blocks EXIT_SIG, queues a one-byte aio_read of the
 * empty pipe p asking for SIGEV_SIGNAL EXIT_SIG, and execs this program
 * for check on p. Returns the child's exit code (-1: killed after 10 s).
 */
static int exec_with_pending_read(const char *check, int p[2])
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		static char buf[1];
		static struct aiocb cb;
		sigset_t set;

		if (posix_aio_block_signal(EXIT_SIG, &set) < 0)
			_exit(CHECK_USAGE);
		posix_aio_prep(&cb, p[0], buf, 1, 0);
		posix_aio_want_signal(&cb.aio_sigevent, EXIT_SIG, NULL);
		if (aio_read(&cb) != 0)
			_exit(CHECK_USAGE);
		exec_check_in_new_image(check, p[0], p[1]);
	}
	return exit_code(reap_within(pid, 10000));
}

#define EXEC_OR_SKIP(code)                                                     \
	do {                                                                   \
		if ((code) == EXEC_FAILED)                                     \
			SKIP(return, CONFORM_ENV "cannot exec /proc/self/exe (no /proc?)"); \
	} while (0)

/*
 * POSIX _Exit() DESCRIPTION: "The _Exit() operation may block awaiting
 * such I/O completion"; which I/O is canceled is implementation-defined.
 * glibc runs the request in a thread of the process (aio(7)) and its
 * _exit() ends every thread (_exit(2): exit_group): a child whose read of
 * an empty pipe is pending exits at once, with its status, and the read
 * took nothing: a byte written after is still in the pipe.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: exit_group ends the worker).
 */
TEST(exit_does_not_wait_for_a_pending_read)
{
	char c = 0;
	int p[2];
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 _Exit() DESCRIPTION: _Exit() may block "
			"awaiting outstanding I/O (glibc: aio(7) runs requests "
			"in threads, _exit(2) ends all threads: nothing is "
			"awaited)");
	ASSERT_EQ(0, conform_pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char buf[1];
		static struct aiocb cb;

		posix_aio_prep(&cb, p[0], buf, 1, 0);
		_exit(aio_read(&cb) == 0 ? 0 : 2);
	}
	EXPECT_EQ(0, exit_code(reap_within(pid, 5000)));
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_TRUE(conform_fd_readable(p[0], 0));
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ('k', c);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX _Exit() DESCRIPTION: outstanding cancelable operations may be
 * canceled; those that are not complete as if _Exit() had not occurred.
 * glibc queues a write on a socket behind a read of that socket that waits
 * for data (one request per descriptor at a time) and never starts it at
 * _exit(): its threads end (_exit(2)). The child checks the write is still
 * queued and exits; after it is reaped the peer has received nothing.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: exit_group ends the worker).
 */
TEST(queued_write_is_not_performed_after_exit)
{
	int sv[2];
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 _Exit() DESCRIPTION: which outstanding "
			"I/O is canceled is implementation-defined (glibc: "
			"aio(7) threads end at _exit(2): a queued write is "
			"never done)");
	ASSERT_EQ(0, conform_socketpair(sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct aiocb rcb, wcb;
		static char buf[1];
		const struct aiocb *list[1] = { &wcb };
		const struct timespec brief = { 0, 50 * 1000 * 1000 };

		posix_aio_prep(&rcb, sv[0], buf, 1, 0);
		posix_aio_prep(&wcb, sv[0], "late", 4, 0);
		if (aio_read(&rcb) != 0 || aio_write(&wcb) != 0)
			_exit(2);
		if (aio_suspend(list, 1, &brief) != -1 || errno != EAGAIN)
			_exit(3);
		_exit(0);
	}
	EXPECT_EQ(0, exit_code(reap_within(pid, 5000)));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	close(sv[0]);
	close(sv[1]);
}

/* The request the atexit handler of the exit() TEST finishes. */
static struct aiocb atexit_cb;
static int atexit_wfd = -1;

/* Runs inside exit(): the read must still be outstanding, and complete. */
static void finish_at_exit(void)
{
	if (aio_error(&atexit_cb) != EINPROGRESS)
		_exit(3);
	if (write(atexit_wfd, "x", 1) != 1 || posix_aio_wait_done(&atexit_cb) < 0)
		_exit(4);
	if (aio_error(&atexit_cb) != 0 || aio_return(&atexit_cb) != 1)
		_exit(5);
}

/*
 * POSIX exit() DESCRIPTION: exit() first calls the functions registered
 * with atexit(), and only then terminates the process as _Exit() does
 * (where outstanding I/O may be canceled). So in an atexit handler a read
 * of an empty pipe queued before exit(0) is still in progress, and when
 * the handler writes to the pipe it completes (status 0, one byte); the
 * process then exits with 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(atexit_handlers_run_while_requests_are_outstanding)
{
	int p[2];
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 exit() DESCRIPTION: atexit functions run "
			"before the process is terminated as by _Exit(), while "
			"its requests are still outstanding");
	ASSERT_EQ(0, conform_pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char buf[1];

		atexit_wfd = p[1];
		if (atexit(finish_at_exit) != 0)
			_exit(2);
		posix_aio_prep(&atexit_cb, p[0], buf, 1, 0);
		if (aio_read(&atexit_cb) != 0)
			_exit(2);
		exit(0);
	}
	EXPECT_EQ(0, exit_code(reap_within(pid, 10000)));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX execve() (XSH exec) DESCRIPTION: outstanding asynchronous I/O
 * operations may be canceled, and those not canceled complete "as if the
 * exec function had not yet occurred, but any associated signal
 * notifications shall be suppressed". A child blocks EXIT_SIG (the mask
 * survives exec), queues a read of an empty pipe asking for EXIT_SIG, and
 * execs; the new image writes to the pipe: no EXIT_SIG comes within 200 ms.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: execve ends the worker).
 */
TEST(exec_suppresses_the_notification_of_a_pending_read)
{
	int p[2], code;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 execve() DESCRIPTION: the signal "
			"notifications of operations outstanding at exec are "
			"suppressed");
	ASSERT_EQ(0, conform_pipe(p));
	code = exec_with_pending_read("nosignal", p);
	close(p[0]);
	close(p[1]);
	EXEC_OR_SKIP(code);
	EXPECT_EQ(CHECK_PASSED, code);
}

/*
 * POSIX execve() (XSH exec) DESCRIPTION: which outstanding operations are
 * canceled at exec is implementation-defined; execve(2): "Any outstanding
 * asynchronous I/O operations are canceled" (glibc's workers are threads,
 * which exec destroys). A read of an empty pipe pending at the exec takes
 * nothing: the byte the new image writes to the pipe is there for it to
 * read back.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: execve ends the worker).
 */
TEST(exec_cancels_a_pending_read)
{
	int p[2], code;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 execve() DESCRIPTION: which outstanding I/O "
			"is canceled is implementation-defined (glibc: "
			"execve(2), outstanding asynchronous I/O is canceled)");
	ASSERT_EQ(0, conform_pipe(p));
	code = exec_with_pending_read("datastays", p);
	close(p[0]);
	close(p[1]);
	EXEC_OR_SKIP(code);
	EXPECT_EQ(CHECK_PASSED, code);
}

/*
 * POSIX execve() (XSH exec) DESCRIPTION: the new process image inherits the
 * signal mask and the pending signals. Only the notifications of
 * outstanding operations are suppressed: a request that completed before
 * the exec has already generated its SIGEV_SIGNAL, and the new image takes
 * it (blocked, so pending) with si_code SI_ASYNCIO and the request's value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(signal_of_a_request_done_before_exec_stays_pending)
{
	int p[2], code;
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 execve() DESCRIPTION: the new image inherits "
			"pending signals, so the notification of a request "
			"completed before exec is delivered there");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "d", 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static struct aiocb cb;
		static char buf[1];
		struct timespec start, now;
		sigset_t set, pending;

		if (posix_aio_block_signal(EXIT_SIG, &set) < 0)
			_exit(CHECK_USAGE);
		posix_aio_prep(&cb, p[0], buf, 1, 0);
		posix_aio_want_signal(&cb.aio_sigevent, EXIT_SIG, NULL);
		cb.aio_sigevent.sigev_value.sival_int = DONE_VALUE;
		if (aio_read(&cb) != 0 || posix_aio_wait_done(&cb) < 0 ||
		    aio_return(&cb) != 1)
			_exit(CHECK_FAILED);
		/* The worker queues the signal right after it sets the status:
		 * wait (5 s bound) until it is pending before the exec. */
		clock_gettime(CLOCK_MONOTONIC, &start);
		for (;;) {
			if (sigpending(&pending) < 0)
				_exit(CHECK_USAGE);
			if (sigismember(&pending, EXIT_SIG))
				break;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= 5)
				_exit(CHECK_FAILED);
			sched_yield();
		}
		exec_check_in_new_image("pending", p[0], p[1]);
	}
	code = exit_code(reap_within(pid, 10000));
	close(p[0]);
	close(p[1]);
	EXEC_OR_SKIP(code);
	EXPECT_EQ(CHECK_PASSED, code);
}

/*
 * POSIX execve() (XSH exec) DESCRIPTION: operations outstanding at exec are
 * canceled or complete as if the exec had not occurred; either way the new
 * image starts with no request of its own. Its aio_read of the descriptor
 * the old image had a read pending on is not held behind that old request:
 * when two bytes are written it completes, status 0, with at least one
 * byte.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(new_image_request_on_the_same_fd_completes)
{
	int p[2], code;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 execve() DESCRIPTION: operations outstanding "
			"at exec are canceled or complete; the new image's own "
			"request on that descriptor runs");
	ASSERT_EQ(0, conform_pipe(p));
	code = exec_with_pending_read("ownread", p);
	close(p[0]);
	close(p[1]);
	EXEC_OR_SKIP(code);
	EXPECT_EQ(CHECK_PASSED, code);
}

TEST_HARNESS_MAIN
