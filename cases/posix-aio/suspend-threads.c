// SPDX-License-Identifier: MIT
/*
 * posix-aio/suspend-threads: aio_suspend across threads: a thread waits on
 * a request another thread queued; two threads waiting on one request both
 * resume; a wait on requests queued by threads that have since exited ends
 * when one of them completes; 64 pending entries time out with EAGAIN; one
 * waiter timing out, or interrupted by a signal, leaves another waiter on
 * the same request waiting until it completes.
 * Sources: POSIX.1-2017 XSH aio_suspend() DESCRIPTION (it suspends "the
 * calling thread" until a listed operation has completed, a signal
 * interrupts it, or the timeout passes), RETURN VALUE, ERRORS (EAGAIN,
 * EINTR); XBD <limits.h> AIO_LISTIO_MAX; aio_suspend(3).
 *
 * aio_suspend64 is not repeated here: posix-aio/largefile64 covers it.
 *
 * Waiting threads report their thread id through a pipe before they call
 * aio_suspend; the test thread acts (writes a pipe, sends a signal) only
 * once it has seen them asleep in futex(2) (conform_wait_blocked_in). No
 * sleeps: 5 s bounds where a wait must not time out.
 *
 * First kernel: glibc's aio_suspend waits on a futex its worker threads
 * wake: since is 2.6.0 in every declaration; a static glibc 2.36 binary
 * itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#include "conform_posix_aio.h"

/* Start an aio_read of len bytes from the empty pipe p (made here). */
static void start_pending_read(struct __test_metadata *_metadata, int p[2],
			       struct aiocb *cb, void *buf, size_t len)
{
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(cb, p[0], buf, len, 0);
	ASSERT_EQ(0, aio_read(cb));
}

/* Write n zero bytes to the pipe p so that its read cb completes, wait for
 * it, and close the pipe. */
static void end_pending_read(struct __test_metadata *_metadata, int p[2],
			     struct aiocb *cb, size_t n)
{
	static const char zero[64];

	ASSERT_GE(sizeof(zero), n);
	ASSERT_EQ((ssize_t)n, write(p[1], zero, n));
	ASSERT_EQ(0, posix_aio_wait_done(cb));
	EXPECT_EQ((ssize_t)n, aio_return(cb));
	close(p[0]);
	close(p[1]);
}

/* A thread that calls aio_suspend(list, n, &limit), after sending its tid
 * through ready_fd. */
struct waiter {
	const struct aiocb *const *list;
	int n;
	struct timespec limit;
	int ready_fd;
	pid_t tid;
	int ret;
	int err;
	pthread_t thread;
};

static void *wait_on_list(void *arg)
{
	struct waiter *w = arg;
	pid_t tid = gettid();

	if (write(w->ready_fd, &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	errno = 0;
	w->ret = aio_suspend(w->list, w->n, &w->limit);
	w->err = errno;
	return NULL;
}

/*
 * Start waiter w on list (n entries) with a timeout of ms milliseconds,
 * and read its tid from the pipe ready (5 s bound).
 */
static void start_waiter(struct __test_metadata *_metadata, struct waiter *w,
			 const struct aiocb *const *list, int n, long ms,
			 int ready[2])
{
	memset(w, 0, sizeof(*w));
	w->list = list;
	w->n = n;
	w->limit.tv_sec = ms / 1000;
	w->limit.tv_nsec = (ms % 1000) * 1000000L;
	w->ready_fd = ready[1];
	w->ret = -2;
	ASSERT_EQ(0, pthread_create(&w->thread, NULL, wait_on_list, w));
	ASSERT_TRUE(conform_fd_readable(ready[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(w->tid), read(ready[0], &w->tid, sizeof(w->tid)));
}

/* Why a waiter was not seen asleep (conform_wait_blocked_in result). */
static const char *unseen_why(int seen)
{
	if (seen < 0)
		return CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiting thread asleep in futex";
	return CONFORM_UNSEEN "the waiting thread was not seen asleep in futex within 5 s";
}

/*
 * POSIX aio_suspend() DESCRIPTION: it suspends the calling thread until a
 * listed operation has completed - any operation of the process, whichever
 * thread queued it. A read queued by the test thread; another thread,
 * seen asleep in aio_suspend on it, resumes with 0 when the pipe is
 * written, and the read has its bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(thread_waits_on_a_request_another_thread_queued)
{
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct waiter w;
	struct aiocb cb;
	int p[2], ready[2], seen;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: the calling "
			"thread waits for a listed operation, queued by any "
			"thread (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(ready));
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	start_waiter(_metadata, &w, list, 1, 5000, ready);
	seen = conform_wait_blocked_in(w.tid, SYS_futex);
	end_pending_read(_metadata, p, &cb, 8);
	ASSERT_EQ(0, pthread_join(w.thread, NULL));
	if (seen != 1)
		SKIP(goto out, "%s", unseen_why(seen));
	EXPECT_EQ(0, w.ret) TH_LOG("aio_suspend: %s", strerror(w.err));
out:
	close(ready[0]);
	close(ready[1]);
}

/*
 * POSIX aio_suspend() DESCRIPTION and RETURN VALUE: each calling thread is
 * suspended until a listed operation has completed, then returns 0. Two
 * threads, both seen asleep in aio_suspend on the same pending read, both
 * return 0 once the pipe is written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(two_threads_waiting_on_one_request_both_resume)
{
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct waiter w[2];
	struct aiocb cb;
	int p[2], ready[2], seen[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: each calling "
			"thread is suspended until a listed operation completed; "
			"RETURN VALUE 0 (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(ready));
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	for (int i = 0; i < 2; i++)
		start_waiter(_metadata, &w[i], list, 1, 5000, ready);
	for (int i = 0; i < 2; i++)
		seen[i] = conform_wait_blocked_in(w[i].tid, SYS_futex);
	end_pending_read(_metadata, p, &cb, 8);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(w[i].thread, NULL));
	for (int i = 0; i < 2; i++)
		if (seen[i] != 1)
			SKIP(goto out, "%s", unseen_why(seen[i]));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, w[i].ret) TH_LOG("waiter %d: %s", i, strerror(w[i].err));
	}
out:
	close(ready[0]);
	close(ready[1]);
}

/* A thread that queues one read of the empty pipe of its own and exits. */
struct submitter {
	int fd;
	struct aiocb *cb;
	void *buf;
	int ret;
};

static void *submit_and_exit(void *arg)
{
	struct submitter *s = arg;

	posix_aio_prep(s->cb, s->fd, s->buf, 8, 0);
	s->ret = aio_read(s->cb);
	return NULL;
}

/*
 * POSIX aio_suspend() DESCRIPTION: it waits until "at least one" listed
 * operation has completed; the requests belong to the process, not to the
 * thread that queued them. Three threads each queue a read of their own
 * empty pipe and exit; a fourth, seen asleep in aio_suspend on the three,
 * returns 0 when the second pipe is written; the other two reads are still
 * in progress.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(wait_on_requests_of_exited_threads_ends_at_the_first_completion)
{
	const struct aiocb *list[3];
	unsigned char buf[3][8];
	struct submitter s[3];
	struct aiocb cbs[3];
	struct waiter w;
	pthread_t tid;
	int p[3][2], ready[2], seen;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: waits until at "
			"least one listed operation completed, whichever thread "
			"queued it (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(ready));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		s[i].fd = p[i][0];
		s[i].cb = &cbs[i];
		s[i].buf = buf[i];
		s[i].ret = -2;
		ASSERT_EQ(0, pthread_create(&tid, NULL, submit_and_exit, &s[i]));
		ASSERT_EQ(0, pthread_join(tid, NULL));
		ASSERT_EQ(0, s[i].ret);
		list[i] = &cbs[i];
	}
	start_waiter(_metadata, &w, list, 3, 5000, ready);
	seen = conform_wait_blocked_in(w.tid, SYS_futex);
	ASSERT_EQ(8, write(p[1][1], "second!!", 8));
	ASSERT_EQ(0, pthread_join(w.thread, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[1]));
	if (seen != 1) {
		for (int i = 0; i < 3; i += 2)
			end_pending_read(_metadata, p[i], &cbs[i], 8);
		SKIP(goto out, "%s", unseen_why(seen));
	}
	EXPECT_EQ(0, w.ret) TH_LOG("aio_suspend: %s", strerror(w.err));
	EXPECT_EQ(8, aio_return(&cbs[1]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[0]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[2]));
	for (int i = 0; i < 3; i += 2)
		end_pending_read(_metadata, p[i], &cbs[i], 8);
out:
	close(p[1][0]);
	close(p[1][1]);
	close(ready[0]);
	close(ready[1]);
}

/*
 * POSIX aio_suspend() ERRORS: EAGAIN when no listed operation completed
 * within the timeout; XBD <limits.h>: a list I/O call takes up to
 * AIO_LISTIO_MAX operations (glibc defines no such limit). A list of 64
 * reads of 64 empty pipes (more than glibc's 20 worker threads run, so
 * some are only queued) times out after 50 ms with EAGAIN, all 64 still in
 * progress; once every pipe is written, aio_suspend on them returns 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(timeout_with_64_pending_entries_gets_eagain)
{
	enum { N = 64 };
	const struct timespec brief = { 0, 50 * 1000 * 1000 };
	const struct timespec limit = { 5, 0 };
	static const struct aiocb *list[N];
	static unsigned char buf[N][4];
	static struct aiocb cbs[N];
	static int p[N][2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() ERRORS: EAGAIN no listed "
			"operation completed within the timeout; <limits.h> "
			"AIO_LISTIO_MAX (glibc: none, 64 entries)");
	for (int i = 0; i < N; i++) {
		start_pending_read(_metadata, p[i], &cbs[i], buf[i], 4);
		list[i] = &cbs[i];
	}
	errno = 0;
	EXPECT_EQ(-1, aio_suspend(list, N, &brief));
	EXPECT_EQ(EAGAIN, errno);
	for (int i = 0; i < N; i++)
		EXPECT_EQ(EINPROGRESS, aio_error(&cbs[i]));
	for (int i = 0; i < N; i++)
		ASSERT_EQ(4, write(p[i][1], "done", 4));
	EXPECT_EQ(0, aio_suspend(list, N, &limit));
	for (int i = 0; i < N; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(4, aio_return(&cbs[i]));
		close(p[i][0]);
		close(p[i][1]);
	}
}

/*
 * POSIX aio_suspend() DESCRIPTION and ERRORS: each caller's timeout is its
 * own; a wait that runs out (EAGAIN) ends only that thread's wait. Thread
 * A waits on a pending read with a 5 s bound; thread B on the same read
 * with 50 ms gets EAGAIN; A is still asleep afterwards and returns 0 when
 * the pipe is written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(one_waiter_timing_out_leaves_the_other_waiting)
{
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct waiter a, b;
	struct aiocb cb;
	int p[2], ready[2], seen;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() ERRORS: EAGAIN for the "
			"caller whose timeout passed; DESCRIPTION: others "
			"still wait for completion (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(ready));
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	start_waiter(_metadata, &a, list, 1, 5000, ready);
	seen = conform_wait_blocked_in(a.tid, SYS_futex);
	start_waiter(_metadata, &b, list, 1, 50, ready);
	ASSERT_EQ(0, pthread_join(b.thread, NULL));
	if (seen == 1)
		seen = conform_wait_blocked_in(a.tid, SYS_futex);
	end_pending_read(_metadata, p, &cb, 8);
	ASSERT_EQ(0, pthread_join(a.thread, NULL));
	if (seen != 1)
		SKIP(goto out, "%s", unseen_why(seen));
	EXPECT_EQ(-1, b.ret);
	EXPECT_EQ(EAGAIN, b.err);
	EXPECT_EQ(0, a.ret) TH_LOG("aio_suspend: %s", strerror(a.err));
out:
	close(ready[0]);
	close(ready[1]);
}

/*
 * POSIX aio_suspend() ERRORS: EINTR when a signal interrupts the function
 * - in the thread it is delivered to; DESCRIPTION: another thread waiting
 * on the same request stays suspended until it completes. Threads A and B
 * wait on one pending read (5 s); SIGUSR1 (handler, no SA_RESTART) sent to
 * B alone makes B return -1 with EINTR; A, still asleep, returns 0 once the
 * pipe is written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(signal_to_one_waiter_leaves_the_other_waiting)
{
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct sigaction sa;
	struct waiter a, b;
	struct aiocb cb;
	sigset_t set;
	int p[2], ready[2], seen_a, seen_b;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() ERRORS: EINTR in the thread "
			"the signal interrupted; DESCRIPTION: other waiters stay "
			"until completion (glibc/POSIX behaviour)");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	conform_signal_counts[SIGUSR1] = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &set, NULL));
	ASSERT_EQ(0, conform_pipe(ready));
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	start_waiter(_metadata, &a, list, 1, 5000, ready);
	start_waiter(_metadata, &b, list, 1, 5000, ready);
	seen_a = conform_wait_blocked_in(a.tid, SYS_futex);
	seen_b = conform_wait_blocked_in(b.tid, SYS_futex);
	if (seen_a != 1 || seen_b != 1) {
		end_pending_read(_metadata, p, &cb, 8);
		ASSERT_EQ(0, pthread_join(a.thread, NULL));
		ASSERT_EQ(0, pthread_join(b.thread, NULL));
		SKIP(goto out, "%s", unseen_why(seen_a != 1 ? seen_a : seen_b));
	}
	ASSERT_EQ(0, syscall(SYS_tgkill, getpid(), b.tid, SIGUSR1));
	ASSERT_EQ(0, pthread_join(b.thread, NULL));
	seen_a = conform_wait_blocked_in(a.tid, SYS_futex);
	end_pending_read(_metadata, p, &cb, 8);
	ASSERT_EQ(0, pthread_join(a.thread, NULL));
	if (seen_a != 1)
		SKIP(goto out, "%s", unseen_why(seen_a));
	EXPECT_EQ(-1, b.ret);
	EXPECT_EQ(EINTR, b.err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(0, a.ret) TH_LOG("aio_suspend: %s", strerror(a.err));
out:
	close(ready[0]);
	close(ready[1]);
}

TEST_HARNESS_MAIN
