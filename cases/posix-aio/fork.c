// SPDX-License-Identifier: MIT
/*
 * posix-aio/fork: POSIX asynchronous I/O across fork(). A request pending
 * in the parent when it forks is not inherited: it completes in the parent
 * only (its data lands in the parent's buffer, a pending write is done
 * once), its notification - a signal or a SIGEV_THREAD function - reaches
 * the parent only, and neither the child's exit nor its aio_cancel touches
 * it. A request the child queues itself (forked from a parent with no AIO
 * threads) notifies the child, not the parent.
 * Sources: POSIX.1-2017 XSH fork() DESCRIPTION ("Asynchronous input or
 * asynchronous output operations shall not be inherited by the child
 * process"; a child of a multithreaded process may only make
 * async-signal-safe calls until it execs), _Exit() DESCRIPTION (the
 * outstanding operations of the exiting process); fork(2) ("The child does
 * not inherit outstanding asynchronous I/O operations from its parent").
 * glibc documents nothing more about fork and its AIO.
 *
 * A parent with a pending request has glibc's worker threads, so its child
 * is the child of a multithreaded process: the children here only read,
 * write, sigpending and _exit (async-signal-safe), except in
 * child_aio_cancel_does_not_cancel_the_parents_requests, whose assertions
 * are all in the parent. Requests are kept pending by reading an empty
 * pipe (or writing a full one); the parent and child step each other with
 * pipes, every wait bounded (5 s for what must come, 200 ms to see
 * nothing).
 *
 * First kernel: glibc runs POSIX AIO in its own threads (read, write,
 * rt_sigqueueinfo, pthread_create); fork and pidfd_open (for a bounded
 * wait) are all the rest: since is 2.6.0 in every declaration; a static
 * glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "conform_posix_aio.h"

/* The signal the SIGEV_SIGNAL tests ask for. */
#define FORK_SIG (SIGRTMIN + 3)

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

/* The next byte on fd within 5 s, or -1. */
static int next_byte(int fd)
{
	unsigned char c;

	if (!conform_fd_readable(fd, 5000) || read(fd, &c, 1) != 1)
		return -1;
	return c;
}

/*
 * The thread of this process other than the caller (in a test child that
 * queued one request: glibc's worker), waited for up to 5 s. Its tid; 0
 * when none came; -1 when /proc/self/task cannot be read.
 */
static pid_t other_thread(void)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		pid_t found = 0;

		if (!d)
			return -1;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && atoi(e->d_name) != gettid())
				found = atoi(e->d_name);
		closedir(d);
		if (found)
			return found;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/* What the SIGEV_THREAD function reports to: its pid goes down this pipe. */
static int report_fd = -1;

static void report_pid(union sigval value)
{
	pid_t self = getpid();

	(void)value;
	if (write(report_fd, &self, sizeof(self)) != sizeof(self))
		abort();
}

/*
 * POSIX fork() DESCRIPTION: asynchronous I/O operations "shall not be
 * inherited by the child process" (fork(2) says the same). A read of an
 * empty pipe pending in the parent when it forks completes in the parent,
 * with the data in the parent's buffer; in the child, checked after the
 * parent's request completed, the same buffer still holds what it held at
 * fork: no read ever ran for the child.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(pending_read_fills_only_the_parents_buffer)
{
	static char buf[8] = "........";
	int p[2], go[2], rep[2];
	struct aiocb cb;
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 fork() DESCRIPTION: asynchronous I/O "
			"operations are not inherited by the child "
			"(fork(2): the child does not inherit outstanding "
			"aio_read requests)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(go));
	ASSERT_EQ(0, conform_pipe(rep));
	posix_aio_prep(&cb, p[0], buf, 4, 0);
	ASSERT_EQ(0, aio_read(&cb));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		if (read(go[0], &c, 1) != 1)
			_exit(2);
		c = memcmp(buf, "........", 8) == 0 ? 'u' : 'x';
		_exit(write(rep[1], &c, 1) == 1 ? 0 : 3);
	}
	ASSERT_EQ(4, write(p[1], "DATA", 4));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(4, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "DATA....", 8));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ('u', next_byte(rep[0]));
	EXPECT_EQ(0, reap_within(pid, 5000));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	close(rep[0]);
	close(rep[1]);
}

/*
 * POSIX fork() DESCRIPTION: asynchronous I/O operations are not inherited,
 * so the child does not perform the parent's pending write a second time.
 * A 4-byte aio_write to a full pipe is pending at fork; the parent drains
 * the pipe while the child lives: the 4 bytes come once after the filling,
 * the write completes with 4, and after the child has exited nothing more
 * is in the pipe.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(pending_write_is_performed_once)
{
	static char drain[4096];
	int p[2], go[2];
	long filled, got = 0;
	struct aiocb cb;
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 fork() DESCRIPTION: asynchronous I/O "
			"operations are not inherited by the child: a pending "
			"write is done once, by the parent");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(go));
	filled = conform_fill_until_full(p[1]);
	ASSERT_LT(0, filled);
	posix_aio_prep(&cb, p[1], "ONCE", 4, 0);
	ASSERT_EQ(0, aio_write(&cb));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		_exit(read(go[0], &c, 1) == 1 ? 0 : 2);
	}
	while (got < filled) {
		size_t want = filled - got < (long)sizeof(drain) ?
			      (size_t)(filled - got) : sizeof(drain);
		ssize_t n;

		ASSERT_TRUE(conform_fd_readable(p[0], 5000));
		n = read(p[0], drain, want);
		ASSERT_LT(0, n);
		got += n;
	}
	ASSERT_TRUE(conform_fd_readable(p[0], 5000));
	ASSERT_EQ(4, read(p[0], drain, sizeof(drain)));
	EXPECT_EQ(0, memcmp(drain, "ONCE", 4));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(4, aio_return(&cb));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, reap_within(pid, 5000));
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
}

/*
 * POSIX fork() DESCRIPTION: operations are not inherited, so neither is
 * their notification. A read pending at fork asks for SIGEV_SIGNAL
 * FORK_SIG, blocked in the parent and (the mask is inherited) in the
 * child. When it completes the parent takes the signal, with its value;
 * the child, asked afterwards, has no FORK_SIG pending (sigpending).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(sigev_signal_reaches_the_parent_only)
{
	int p[2], go[2], rep[2];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	char buf[4];
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 fork() DESCRIPTION: asynchronous I/O "
			"operations are not inherited: the SIGEV_SIGNAL of the "
			"parent's request goes to the parent only");
	ASSERT_EQ(0, posix_aio_block_signal(FORK_SIG, &set));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(go));
	ASSERT_EQ(0, conform_pipe(rep));
	posix_aio_prep(&cb, p[0], buf, 1, 0);
	posix_aio_want_signal(&cb.aio_sigevent, FORK_SIG, NULL);
	cb.aio_sigevent.sigev_value.sival_int = 4242;
	ASSERT_EQ(0, aio_read(&cb));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		sigset_t pending;
		char c;

		if (read(go[0], &c, 1) != 1 || sigpending(&pending) < 0)
			_exit(2);
		c = sigismember(&pending, FORK_SIG) ? 'p' : 'n';
		_exit(write(rep[1], &c, 1) == 1 ? 0 : 3);
	}
	ASSERT_EQ(1, write(p[1], "s", 1));
	ASSERT_EQ(FORK_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(4242, info.si_value.sival_int);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(1, aio_return(&cb));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ('n', next_byte(rep[0]));
	EXPECT_EQ(0, reap_within(pid, 5000));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	close(rep[0]);
	close(rep[1]);
}

/*
 * POSIX fork() DESCRIPTION: operations are not inherited, so a SIGEV_THREAD
 * notification runs in the parent only. The function of a read pending at
 * fork writes getpid() down a pipe: exactly one report comes, with the
 * parent's pid, and once the child has exited no other is there.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(sigev_thread_function_runs_in_the_parent_only)
{
	int p[2], go[2], rep[2];
	struct aiocb cb;
	pid_t pid, who;
	char buf[4];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 fork() DESCRIPTION: asynchronous I/O "
			"operations are not inherited: the SIGEV_THREAD "
			"function of the parent's request runs once, in the "
			"parent");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(go));
	ASSERT_EQ(0, conform_pipe(rep));
	report_fd = rep[1];
	posix_aio_prep(&cb, p[0], buf, 1, 0);
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb.aio_sigevent.sigev_notify_function = report_pid;
	ASSERT_EQ(0, aio_read(&cb));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		_exit(read(go[0], &c, 1) == 1 ? 0 : 2);
	}
	ASSERT_EQ(1, write(p[1], "t", 1));
	ASSERT_TRUE(conform_fd_readable(rep[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(who), read(rep[0], &who, sizeof(who)));
	EXPECT_EQ(getpid(), who);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, reap_within(pid, 5000));
	EXPECT_FALSE(conform_fd_readable(rep[0], 200));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	close(rep[0]);
	close(rep[1]);
}

/*
 * POSIX _Exit() DESCRIPTION: at process termination outstanding
 * asynchronous I/O of that process may be canceled; fork() DESCRIPTION:
 * the child has none of the parent's. So a child that exits at once does
 * not cancel the parent's read pending at fork: after the child is gone
 * the read is still in progress (not ECANCELED), and it completes with
 * the data written later.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(child_exit_leaves_the_parents_request_pending)
{
	struct aiocb cb;
	char buf[4];
	int p[2];
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 fork() DESCRIPTION: operations not "
			"inherited; _Exit() DESCRIPTION: only the exiting "
			"process's outstanding operations may be canceled");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, 2, 0);
	ASSERT_EQ(0, aio_read(&cb));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(0, reap_within(pid, 5000));
	EXPECT_TRUE(posix_aio_still_in_progress(&cb));
	ASSERT_EQ(2, write(p[1], "ok", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(2, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "ok", 2));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX fork() DESCRIPTION: operations are not inherited, so nothing the
 * child does can cancel the parent's. Two reads of one empty pipe are
 * pending at fork (the second queued behind the first, whose worker is
 * seen asleep in read(2) first). The child calls aio_cancel(fd, NULL) and
 * exits (a child of a multithreaded process, outside what POSIX defines
 * for it: only the parent's side is asserted). In the parent both reads
 * are still in progress, not ECANCELED, and both complete with their data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(child_aio_cancel_does_not_cancel_the_parents_requests)
{
	struct aiocb first, second;
	char b1[1], b2[1];
	int p[2], rep[2];
	pid_t pid, worker;
	int seen;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 fork() DESCRIPTION: asynchronous I/O "
			"operations are not inherited: aio_cancel in the child "
			"leaves the parent's requests alone");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(rep));
	posix_aio_prep(&first, p[0], b1, 1, 0);
	posix_aio_prep(&second, p[0], b2, 1, 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&second));
	worker = other_thread();
	seen = worker > 0 ? conform_wait_blocked_in(worker, SYS_read) : -1;
	if (seen != 1) {
		ASSERT_EQ(2, write(p[1], "xx", 2));
		ASSERT_EQ(0, posix_aio_wait_done(&first));
		ASSERT_EQ(0, posix_aio_wait_done(&second));
		SKIP(return, "%s", seen < 0 ?
		     CONFORM_ENV "/proc/self/task unreadable: cannot see the AIO worker block" :
		     CONFORM_UNSEEN "the AIO worker was not seen asleep in read(2) within 5 s");
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		aio_cancel(p[0], NULL);
		_exit(write(rep[1], "c", 1) == 1 ? 0 : 3);
	}
	EXPECT_EQ('c', next_byte(rep[0]));
	EXPECT_EQ(0, reap_within(pid, 5000));
	EXPECT_TRUE(posix_aio_still_in_progress(&first));
	EXPECT_TRUE(posix_aio_still_in_progress(&second));
	ASSERT_EQ(1, write(p[1], "A", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	ASSERT_EQ(1, write(p[1], "B", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&second));
	EXPECT_EQ(0, aio_error(&first));
	EXPECT_EQ(1, aio_return(&first));
	EXPECT_EQ('A', b1[0]);
	EXPECT_EQ(0, aio_error(&second));
	EXPECT_EQ(1, aio_return(&second));
	EXPECT_EQ('B', b2[0]);
	close(p[0]);
	close(p[1]);
	close(rep[0]);
	close(rep[1]);
}

/*
 * POSIX fork() DESCRIPTION: the child is a new process with a process ID
 * of its own; aio_read() DESCRIPTION: its request notifies as its
 * aio_sigevent says. A child forked by a parent that has no AIO threads
 * (nothing queued yet: the child may use any function) queues its own
 * read with SIGEV_SIGNAL FORK_SIG: it completes in the child, the child
 * takes the signal (SI_ASYNCIO, its value, si_pid the child's own), and the
 * parent, which blocks FORK_SIG too, has none pending.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo to getpid()).
 */
TEST(child_request_notifies_the_child_not_the_parent)
{
	sigset_t set, pending;
	int p[2], status;
	pid_t pid;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 fork() DESCRIPTION: the child is a new "
			"process; aio_read() DESCRIPTION: its own request "
			"notifies it per aio_sigevent, not the parent");
	ASSERT_EQ(0, posix_aio_block_signal(FORK_SIG, &set));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(3, write(p[1], "kid", 3));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct aiocb cb;
		siginfo_t info;
		char buf[8];

		posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
		posix_aio_want_signal(&cb.aio_sigevent, FORK_SIG, NULL);
		cb.aio_sigevent.sigev_value.sival_int = 99;
		if (aio_read(&cb) != 0)
			_exit(2);
		if (posix_aio_take_signal(&set, &info, 5000) != FORK_SIG)
			_exit(3);
		if (info.si_code != SI_ASYNCIO || info.si_value.sival_int != 99 ||
		    info.si_pid != getpid())
			_exit(4);
		if (posix_aio_wait_done(&cb) < 0 || aio_error(&cb) != 0 ||
		    aio_return(&cb) != 3 || memcmp(buf, "kid", 3))
			_exit(5);
		_exit(0);
	}
	status = reap_within(pid, 10000);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_FALSE(sigismember(&pending, FORK_SIG));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
