// SPDX-License-Identifier: MIT
/*
 * posix-aio/suspend-edges: aio_suspend beyond posix-aio/suspend: the
 * timeout is a whole interval, a signal ends the wait with EINTR (also the
 * completion signal of a request that is not listed), the completion of a
 * request that is not listed does not end it, a request already done
 * anywhere in the list ends it at once, and glibc's answers for lists with
 * nothing to wait for (only NULL entries, nent 0) and a negative nent.
 * Sources: POSIX.1-2017 XSH aio_suspend() DESCRIPTION, RETURN VALUE,
 * ERRORS; aio_suspend(3).
 *
 * Requests that must stay pending are reads of empty pipes; each TEST ends
 * them by writing to the pipe and waits for them. A signal is sent, or a
 * pipe written, by a helper thread only after it has seen the test thread
 * asleep in futex(2) (glibc's aio_suspend waits on a futex), through
 * /proc/self/task/<tid>/syscall (conform_wait_blocked_in): no sleeps.
 * Timeouts are bounds: 5 s where the wait must not time out.
 *
 * First kernel: glibc 2.36 waits with futex(2) and is woken by its worker
 * threads; a handler run interrupts the wait with EINTR: since is 2.6.0
 * in every declaration; a static glibc 2.36 binary itself needs 3.2 to
 * start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#include "conform_posix_aio.h"

/* Make a pipe and start an aio_read of len bytes of its empty read end. */
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

/* NULL when /proc/self/task/<tid>/syscall of this thread can be read. */
static const char *blocked_state_unreadable(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)gettid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the test thread asleep in futex";
	close(fd);
	return NULL;
}

/*
 * What the helper thread does once the test thread sleeps in futex(2):
 * send it signo (tgkill) and/or write a byte to wfd, then (if done_cb)
 * wait for that request and note when it completed.
 */
struct waker {
	pid_t tid;
	int signo;
	int wfd;
	struct aiocb *done_cb;
	int seen;			/* conform_wait_blocked_in() */
	struct timespec done_at;	/* CLOCK_MONOTONIC */
};

static void *wake_when_asleep(void *arg)
{
	struct waker *w = arg;

	w->seen = conform_wait_blocked_in(w->tid, SYS_futex);
	if (w->seen != 1)
		return NULL;
	if (w->signo > 0)
		syscall(SYS_tgkill, getpid(), w->tid, w->signo);
	if (w->wfd >= 0 && write(w->wfd, "w", 1) != 1)
		w->seen = -2;
	if (w->done_cb) {
		posix_aio_wait_done(w->done_cb);
		clock_gettime(CLOCK_MONOTONIC, &w->done_at);
	}
	return NULL;
}

/* Start the waker w (blocking block_sig in it, if > 0, so that the signal
 * can only go to the test thread). */
static void start_waker(struct __test_metadata *_metadata, pthread_t *tid,
			struct waker *w, int block_sig)
{
	sigset_t set, old;

	sigemptyset(&set);
	if (block_sig > 0)
		sigaddset(&set, block_sig);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, &old));
	ASSERT_EQ(0, pthread_create(tid, NULL, wake_when_asleep, w));
	ASSERT_EQ(0, pthread_sigmask(SIG_SETMASK, &old, NULL));
}

/* Install conform_on_signal for signo without SA_RESTART, unblocked. */
static void count_signal(struct __test_metadata *_metadata, int signo)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(signo, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, signo);
	ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &set, NULL));
}

static long elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: it suspends "until the time
 * interval specified by timeout has passed"; ERRORS EAGAIN. A 150 ms
 * timeout on a pending request gives EAGAIN only after at least 150 ms
 * (CLOCK_MONOTONIC; a lower bound only).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(timeout_passes_in_full_before_eagain)
{
	const struct timespec limit = { 0, 150 * 1000 * 1000 };
	struct timespec t0, t1;
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: the wait "
			"lasts until the timeout interval has passed, "
			"measured on CLOCK_MONOTONIC, before the call fails "
			"with EAGAIN");
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &t0));
	errno = 0;
	EXPECT_EQ(-1, aio_suspend(list, 1, &limit));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &t1));
	EXPECT_LE(150, elapsed_ms(&t0, &t1));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	end_pending_read(_metadata, p, &cb, 8);
}

/*
 * POSIX.1-2017 aio_suspend() ERRORS: EINTR "A signal interrupted the
 * aio_suspend() function." A SIGUSR1 with a handler (no SA_RESTART), sent
 * to the test thread while it sleeps in aio_suspend on a pending read (5 s
 * timeout), makes it return -1 with EINTR; the handler ran once and the
 * read is still in progress.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(signal_interrupts_the_wait_with_eintr)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct waker w = { 0 };
	struct aiocb cb;
	pthread_t tid;
	int p[2], ret, err;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() ERRORS: EINTR when a "
			"signal interrupts the wait; the listed read stays "
			"in progress");
	CONFORM_REQUIRE(blocked_state_unreadable());
	count_signal(_metadata, SIGUSR1);
	conform_signal_counts[SIGUSR1] = 0;
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	w.tid = gettid();
	w.signo = SIGUSR1;
	w.wfd = -1;
	start_waker(_metadata, &tid, &w, SIGUSR1);
	errno = 0;
	ret = aio_suspend(list, 1, &limit);
	err = errno;
	ASSERT_EQ(0, pthread_join(tid, NULL));
	if (w.seen != 1) {
		end_pending_read(_metadata, p, &cb, 8);
		SKIP(return, CONFORM_UNSEEN "the test thread was not seen asleep in futex (%d)", w.seen);
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINTR, err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	end_pending_read(_metadata, p, &cb, 8);
}

/*
 * POSIX.1-2017 aio_suspend() ERRORS EINTR: "since each asynchronous I/O
 * operation may possibly provoke a signal when it completes, this error
 * return may be caused by the completion of one (or more) of the very I/O
 * operations being awaited" - or of one not awaited: a read that is not in
 * the list, asking for SIGEV_SIGNAL SIGUSR2 (handled), completes while the
 * test thread waits on another pending read: the wait ends with EINTR, the
 * listed read still in progress.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(completion_signal_of_unlisted_request_gives_eintr)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *list[1];
	unsigned char buf[8], obuf[8];
	struct waker w = { 0 };
	struct aiocb cb, other;
	pthread_t tid;
	int p[2], q[2], ret, err;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() ERRORS: EINTR, which an "
			"I/O completion signal can cause, here the signal of "
			"a request not in the list");
	CONFORM_REQUIRE(blocked_state_unreadable());
	count_signal(_metadata, SIGUSR2);
	conform_signal_counts[SIGUSR2] = 0;
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	ASSERT_EQ(0, conform_pipe(q));
	posix_aio_prep(&other, q[0], obuf, sizeof(obuf), 0);
	posix_aio_want_signal(&other.aio_sigevent, SIGUSR2, &other);
	ASSERT_EQ(0, aio_read(&other));
	list[0] = &cb;
	w.tid = gettid();
	w.wfd = q[1];
	start_waker(_metadata, &tid, &w, SIGUSR2);
	errno = 0;
	ret = aio_suspend(list, 1, &limit);
	err = errno;
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&other));
	if (w.seen != 1) {
		end_pending_read(_metadata, p, &cb, 8);
		SKIP(return, CONFORM_UNSEEN "the test thread was not seen asleep in futex (%d)", w.seen);
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINTR, err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR2));
	EXPECT_EQ(1, aio_return(&other));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	end_pending_read(_metadata, p, &cb, 8);
	close(q[0]);
	close(q[1]);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: it waits until "at least one of
 * the asynchronous I/O operations referenced by the list argument has
 * completed". A request not in the list that completes during the wait
 * (SIGEV_NONE) does not end it: the wait still runs out its 500 ms with
 * EAGAIN, after that request had completed, and the listed read is still in
 * progress.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(completion_of_unlisted_request_does_not_end_the_wait)
{
	const struct timespec limit = { 0, 500 * 1000 * 1000 };
	const struct aiocb *list[1];
	unsigned char buf[8], obuf[8];
	struct waker w = { 0 };
	struct timespec returned;
	struct aiocb cb, other;
	pthread_t tid;
	int p[2], q[2], ret, err;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: only the "
			"operations referenced by the list end the wait; a "
			"request outside it completing does not");
	CONFORM_REQUIRE(blocked_state_unreadable());
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	start_pending_read(_metadata, q, &other, obuf, sizeof(obuf));
	list[0] = &cb;
	w.tid = gettid();
	w.wfd = q[1];
	w.done_cb = &other;
	start_waker(_metadata, &tid, &w, 0);
	errno = 0;
	ret = aio_suspend(list, 1, &limit);
	err = errno;
	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &returned));
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&other));
	if (w.seen != 1 || elapsed_ms(&w.done_at, &returned) < 0) {
		end_pending_read(_metadata, p, &cb, 8);
		SKIP(return, CONFORM_UNSEEN "the unlisted read did not complete while the test thread waited (%d)", w.seen);
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EAGAIN, err);
	EXPECT_EQ(1, aio_return(&other));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	end_pending_read(_metadata, p, &cb, 8);
	close(q[0]);
	close(q[1]);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: "If any of the aiocb structures
 * in the list correspond to completed asynchronous I/O operations ... the
 * function shall return without suspending the calling thread." A finished
 * read listed last, after two pending reads and a NULL entry, makes it
 * return 0 (within its 5 s bound: the pending ones never complete by
 * themselves).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(finished_entry_after_pending_ones_returns_zero)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *list[4];
	unsigned char b1[8], b2[8], fbuf[100];
	struct aiocb c1, c2, done;
	int p1[2], p2[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: any listed "
			"operation already completed, here the last entry "
			"after pending ones and a NULL, makes it return 0 "
			"without suspending");
	ASSERT_LE(0, fd);
	posix_aio_prep(&done, fd, fbuf, sizeof(fbuf), 0);
	ASSERT_EQ(0, aio_read(&done));
	ASSERT_EQ(0, posix_aio_wait_done(&done));
	start_pending_read(_metadata, p1, &c1, b1, sizeof(b1));
	start_pending_read(_metadata, p2, &c2, b2, sizeof(b2));
	list[0] = &c1;
	list[1] = NULL;
	list[2] = &c2;
	list[3] = &done;
	EXPECT_EQ(0, aio_suspend(list, 4, &limit));
	EXPECT_EQ(EINPROGRESS, aio_error(&c1));
	EXPECT_EQ(EINPROGRESS, aio_error(&c2));
	EXPECT_EQ(100, aio_return(&done));
	end_pending_read(_metadata, p1, &c1, 1);
	end_pending_read(_metadata, p2, &c2, 2);
	close(fd);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: the list "may contain null
 * pointers, which are ignored"; with nothing but NULL entries there is no
 * operation to wait for, which POSIX does not address. glibc returns 0 at
 * once, even with no timeout (a NULL timeout would otherwise wait forever).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(list_of_only_null_entries_returns_zero_at_once)
{
	const struct aiocb *list[3] = { NULL, NULL, NULL };

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: null "
			"pointers in the list are ignored; a list of only "
			"NULLs, a case POSIX does not name, has nothing to "
			"wait for (glibc: undocumented; glibc 2.36 returns 0 "
			"at once, even without a timeout)");
	errno = 0;
	EXPECT_EQ(0, aio_suspend(list, 3, NULL));
	EXPECT_EQ(0, errno);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: "The nent argument indicates the
 * number of elements in the array"; with nent 0 there is nothing to wait
 * for. glibc returns 0 at once (no timeout given), without looking at the
 * array (whose entry here is a pending read).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(zero_entries_returns_zero_at_once)
{
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: nent gives "
			"the number of elements; with nent 0 there is "
			"nothing to wait for (glibc: undocumented; glibc "
			"2.36 returns 0 at once without looking at the "
			"array)");
	start_pending_read(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	errno = 0;
	EXPECT_EQ(0, aio_suspend(list, 0, NULL));
	EXPECT_EQ(0, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	end_pending_read(_metadata, p, &cb, 8);
}

/*
 * POSIX.1-2017 aio_suspend() RETURN VALUE: -1 with errno set when it does
 * not return after a completion; POSIX lists no error for a negative nent.
 * glibc 2.36 checks it first: nent -1 fails with EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(negative_nent_fails_with_einval)
{
	const struct aiocb *list[1] = { NULL };

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() RETURN VALUE: -1 with "
			"errno set when it does not return after a "
			"completion; POSIX lists no error for a negative "
			"nent (glibc: undocumented; glibc 2.36 fails with "
			"EINVAL)");
	errno = 0;
	EXPECT_EQ(-1, aio_suspend(list, -1, NULL));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
