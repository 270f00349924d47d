// SPDX-License-Identifier: MIT
/*
 * posix-aio/suspend-notify: aio_suspend together with the completion
 * notifications and end states of the requests it waits for, beyond
 * posix-aio/suspend and posix-aio/suspend-edges: a listed request's
 * completion signal handled by another thread does not interrupt the wait
 * (0); the wait does not wait for a SIGEV_THREAD function; after a thread
 * notification or a list signal has been seen, aio_suspend returns 0 at
 * once; an entry of a LIO_NOWAIT list ends the wait before the list is
 * notified; a request already canceled counts as completed, and so does
 * one that fails during the wait. (A wait ended by aio_cancel is
 * posix-aio/cancel-notify's.)
 * Sources: POSIX.1-2017 XSH aio_suspend() DESCRIPTION, RETURN VALUE, ERRORS
 * (a completed operation is one whose error status is not EINPROGRESS),
 * aio_cancel() DESCRIPTION, lio_listio() DESCRIPTION; aio_suspend(3);
 * write(2) EPIPE.
 *
 * Not asserted: aio_suspend in the thread that runs the handler of a listed
 * request's completion signal. POSIX allows both 0 (the request completed)
 * and EINTR (ERRORS: the completion signal of an awaited request may cause
 * it); glibc queues the signal and then wakes the waiter, so which one the
 * caller sees depends on whether the signal's wake-up reaches the sleeping
 * thread before the futex wake does - a race glibc does not document.
 *
 * Requests that must stay pending read an empty pipe or write a full one;
 * a helper thread acts (write, close) only once it has seen the
 * test thread asleep in futex(2) in aio_suspend (conform_wait_blocked_in).
 * No sleeps; 5 s bounds.
 *
 * First kernel: glibc's aio_suspend waits on a futex its worker threads
 * wake: since is 2.6.0 in every declaration; a static glibc 2.36 binary
 * itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "conform_posix_aio.h"

#define LIST_SIG (SIGRTMIN + 8)

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

/*
 * A helper thread: once the test thread tid sleeps in futex, it does its
 * act - write 8 bytes to fd, or close fd - then, for ACT_WRITE_THEN_HANDLE,
 * lets the pending signal signo reach its handler. If the sleep is not
 * seen, it acts all the same, so that the wait ends; the TEST then skips.
 */
enum act { ACT_WRITE, ACT_WRITE_THEN_HANDLE, ACT_CLOSE };

struct helper {
	pid_t tid;
	enum act act;
	int fd;			/* written or closed */
	int signo;		/* for ACT_WRITE_THEN_HANDLE */
	int seen;		/* conform_wait_blocked_in() */
	int result;		/* of ppoll */
	int err;
};

static void *help_when_asleep(void *arg)
{
	struct helper *h = arg;

	h->seen = conform_wait_blocked_in(h->tid, SYS_futex);
	switch (h->act) {
	case ACT_WRITE:
	case ACT_WRITE_THEN_HANDLE:
		if (write(h->fd, "12345678", 8) != 8)
			h->seen = -2;
		break;
	case ACT_CLOSE:
		close(h->fd);
		break;
	}
	if (h->act == ACT_WRITE_THEN_HANDLE) {
		const struct timespec limit = { 5, 0 };
		sigset_t during;

		/* The signal is blocked everywhere until now; let it in here. */
		pthread_sigmask(SIG_SETMASK, NULL, &during);
		sigdelset(&during, h->signo);
		h->result = ppoll(NULL, 0, &limit, &during);
		h->err = errno;
	}
	return NULL;
}

/* Why the helper could not see the test thread asleep, for a SKIP. */
static const char *unseen_why(int seen)
{
	if (seen == -1)
		return CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the test thread asleep in futex";
	return CONFORM_UNSEEN "the test thread was not seen asleep in futex within 5 s";
}

static volatile sig_atomic_t handler_runs;
static volatile pid_t handler_tid;

static void on_completion(int signo)
{
	(void)signo;
	handler_runs++;
	handler_tid = gettid();
}

/*
 * POSIX aio_suspend() DESCRIPTION and RETURN VALUE: it returns 0 once a
 * listed operation has completed; ERRORS EINTR only when a signal
 * interrupts the function itself. A listed read of an empty pipe asks for
 * SIGUSR2 at completion, with a handler; the test thread blocks SIGUSR2,
 * a helper thread takes it. When the helper feeds the pipe during the
 * wait, aio_suspend returns 0 and the handler ran once, in the helper.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex and rt_sigqueueinfo).
 */
TEST(completion_signal_handled_by_another_thread_returns_zero)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *list[1];
	unsigned char buf[8];
	struct sigaction sa;
	struct helper h;
	struct aiocb cb;
	sigset_t set;
	pthread_t tid;
	int p[2], ret, err;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() RETURN VALUE: 0 once a "
			"listed operation completed; ERRORS EINTR only for a "
			"signal interrupting the call (glibc/POSIX behaviour)");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_completion;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR2, &sa, NULL));
	ASSERT_EQ(0, posix_aio_block_signal(SIGUSR2, &set));
	handler_runs = 0;
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, SIGUSR2, &cb);
	ASSERT_EQ(0, aio_read(&cb));
	list[0] = &cb;
	memset(&h, 0, sizeof(h));
	h.tid = gettid();
	h.act = ACT_WRITE_THEN_HANDLE;
	h.fd = p[1];
	h.signo = SIGUSR2;
	ASSERT_EQ(0, pthread_create(&tid, NULL, help_when_asleep, &h));
	errno = 0;
	ret = aio_suspend(list, 1, &limit);
	err = errno;
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_NE(-2, h.seen);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	if (h.seen != 1)
		SKIP(goto out, "%s", unseen_why(h.seen));
	EXPECT_EQ(0, ret) TH_LOG("aio_suspend: %s", strerror(err));
	EXPECT_EQ(-1, h.result);
	EXPECT_EQ(EINTR, h.err);
	EXPECT_EQ(1, handler_runs);
	EXPECT_NE(gettid(), handler_tid);
	EXPECT_EQ(8, aio_return(&cb));
out:
	close(p[0]);
	close(p[1]);
}

/* The SIGEV_THREAD function of the next TEST: reports "s", waits (5 s
 * bound) until its gate pipe is readable, then reports "f". */
static int gate_fd = -1, report_fd = -1;

static void gated_notify(union sigval value)
{
	(void)value;
	if (write(report_fd, "s", 1) != 1)
		abort();
	conform_fd_readable(gate_fd, 5000);
	if (write(report_fd, "f", 1) != 1)
		abort();
}

/*
 * POSIX aio_suspend() DESCRIPTION: it waits until a listed operation "has
 * completed" - not for its notification. A listed read of an empty pipe
 * with a SIGEV_THREAD function that blocks until released: fed during the
 * wait, aio_suspend returns 0 while the function has not finished; once
 * released, it has run once.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex and pthread_create).
 */
TEST(wait_does_not_wait_for_the_sigev_thread_function)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *list[1];
	unsigned char buf[8];
	char got[2];
	struct helper h;
	struct aiocb cb;
	pthread_t tid;
	int p[2], gate[2], rp[2], ret, finished;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: waits until a "
			"listed operation has completed, not for its "
			"SIGEV_THREAD notification (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(gate));
	ASSERT_EQ(0, conform_pipe(rp));
	gate_fd = gate[0];
	report_fd = rp[1];
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb.aio_sigevent.sigev_notify_function = gated_notify;
	ASSERT_EQ(0, aio_read(&cb));
	list[0] = &cb;
	memset(&h, 0, sizeof(h));
	h.tid = gettid();
	h.act = ACT_WRITE;
	h.fd = p[1];
	ASSERT_EQ(0, pthread_create(&tid, NULL, help_when_asleep, &h));
	ret = aio_suspend(list, 1, &limit);
	finished = 0;
	while (conform_fd_readable(rp[0], 0) && read(rp[0], got, 1) == 1)
		finished += got[0] == 'f';
	ASSERT_EQ(1, write(gate[1], "g", 1));
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_NE(-2, h.seen);
	if (h.seen != 1) {
		ASSERT_EQ(0, posix_aio_wait_done(&cb));
		SKIP(goto out, "%s", unseen_why(h.seen));
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, finished);
	for (int n = 0; !finished && n < 2; n++) {
		ASSERT_TRUE(conform_fd_readable(rp[0], 5000));
		ASSERT_EQ(1, read(rp[0], got, 1));
		finished += got[0] == 'f';
	}
	EXPECT_EQ(1, finished);
	EXPECT_EQ(8, aio_return(&cb));
out:
	close(p[0]);
	close(p[1]);
	close(gate[0]);
	close(gate[1]);
	close(rp[0]);
	close(rp[1]);
}

static void report_value(union sigval value)
{
	if (write(report_fd, &value.sival_ptr, sizeof(value.sival_ptr)) !=
	    sizeof(value.sival_ptr))
		abort();
}

/*
 * POSIX aio_suspend() DESCRIPTION: if a listed operation has completed
 * when it is called, it returns without suspending. Once a read's
 * SIGEV_THREAD function has run (it reported through a pipe), aio_suspend
 * on that read with a zero timeout returns 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no wait at all).
 */
TEST(after_the_thread_notification_returns_zero_at_once)
{
	const struct timespec zero = { 0, 0 };
	const struct aiocb *list[1];
	unsigned char buf[300];
	struct aiocb cb;
	void *got = NULL;
	int rp[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: returns without "
			"suspending when a listed operation has completed, as "
			"its notification shows (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 700);
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb.aio_sigevent.sigev_notify_function = report_value;
	cb.aio_sigevent.sigev_value.sival_ptr = &cb;
	ASSERT_EQ(0, aio_read(&cb));
	list[0] = &cb;
	ASSERT_TRUE(conform_fd_readable(rp[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(got), read(rp[0], &got, sizeof(got)));
	EXPECT_EQ((void *)&cb, got);
	EXPECT_EQ(0, aio_suspend(list, 1, &zero));
	EXPECT_EQ(300, aio_return(&cb));
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: the LIO_NOWAIT list signal comes when all
 * its requests have completed; aio_suspend() DESCRIPTION: then it returns
 * at once for each of them. After the list signal of a file read, a file
 * write and a socket write has been taken, aio_suspend with a zero timeout
 * returns 0 on each entry alone.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no wait at all).
 */
TEST(after_the_list_signal_each_entry_returns_zero_at_once)
{
	const struct timespec zero = { 0, 0 };
	unsigned char rbuf[400], wbuf[400], sbuf[100], peer[100];
	struct aiocb cbs[3], *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int sv[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: returns without "
			"suspending for completed operations; lio_listio() "
			"DESCRIPTION: list signal once all completed "
			"(glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	conform_fill_pattern(sbuf, sizeof(sbuf), 0);
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, rbuf, sizeof(rbuf), 0);
	posix_aio_prep_lio(&cbs[1], LIO_WRITE, fd, wbuf, sizeof(wbuf), 4096);
	posix_aio_prep_lio(&cbs[2], LIO_WRITE, sv[0], sbuf, sizeof(sbuf), 0);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, &sev));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	for (int i = 0; i < 3; i++) {
		const struct aiocb *one[1] = { &cbs[i] };

		EXPECT_EQ(0, aio_suspend(one, 1, &zero));
		EXPECT_EQ(0, aio_error(&cbs[i]));
	}
	EXPECT_EQ(400, aio_return(&cbs[0]));
	EXPECT_EQ(400, aio_return(&cbs[1]));
	EXPECT_EQ(100, aio_return(&cbs[2]));
	ASSERT_EQ(100, read(sv[1], peer, sizeof(peer)));
	close(sv[0]);
	close(sv[1]);
	close(fd);
}

/*
 * POSIX aio_suspend() DESCRIPTION: the listed control blocks may have been
 * queued by lio_listio(), and the wait ends when one listed operation has
 * completed; lio_listio() DESCRIPTION: the LIO_NOWAIT list signal comes
 * only when all of its requests have. The test thread waits on entry A of
 * a list of two pipe reads (A, B); a helper feeds A's pipe during the wait:
 * aio_suspend returns 0 with A done, while B is in progress and the list
 * signal not pending; feeding B's pipe then brings the list signal.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(list_entry_ends_the_wait_before_the_list_signal)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *wait_list[1];
	unsigned char buf[2][8];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	struct helper h;
	sigset_t set, pending;
	siginfo_t info;
	pthread_t tid;
	int p[2][2], ret;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: listed blocks "
			"may come from lio_listio(), one completed ends the "
			"wait; lio_listio() DESCRIPTION: list signal once all "
			"completed (glibc/POSIX behaviour)");
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[i][0], buf[i], 8, 0);
	}
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	wait_list[0] = &cbs[0];
	memset(&h, 0, sizeof(h));
	h.tid = gettid();
	h.act = ACT_WRITE;
	h.fd = p[0][1];
	ASSERT_EQ(0, pthread_create(&tid, NULL, help_when_asleep, &h));
	ret = aio_suspend(wait_list, 1, &limit);
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_NE(-2, h.seen);
	ASSERT_EQ(0, sigpending(&pending));
	if (h.seen == 1) {
		EXPECT_EQ(0, ret);
		EXPECT_EQ(0, aio_error(&cbs[0]));
		EXPECT_EQ(EINPROGRESS, aio_error(&cbs[1]));
		EXPECT_EQ(0, sigismember(&pending, LIST_SIG));
	}
	ASSERT_EQ(8, write(p[1][1], "entry B!", 8));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(8, aio_return(&cbs[i]));
		close(p[i][0]);
		close(p[i][1]);
	}
	if (h.seen != 1)
		SKIP(return, "%s", unseen_why(h.seen));
}

/*
 * POSIX aio_suspend() DESCRIPTION: it returns without suspending when a
 * listed operation has completed (error status not EINPROGRESS). A read
 * canceled while queued (ECANCELED) makes aio_suspend with a zero timeout
 * return 0, while the same call on the still running read it waited
 * behind times out with EAGAIN.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no wait at all).
 */
TEST(already_canceled_request_returns_zero_at_once)
{
	const struct timespec zero = { 0, 0 };
	const struct aiocb *list[1];
	unsigned char b1[8], b2[8];
	struct aiocb first, queued;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: returns without "
			"suspending when a listed operation's status is not "
			"EINPROGRESS, ECANCELED too (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&first, p[0], b1, sizeof(b1), 0);
	posix_aio_prep(&queued, p[0], b2, sizeof(b2), 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&queued));
	ASSERT_EQ(AIO_CANCELED, aio_cancel(p[0], &queued));
	list[0] = &queued;
	EXPECT_EQ(0, aio_suspend(list, 1, &zero));
	EXPECT_EQ(ECANCELED, aio_error(&queued));
	list[0] = &first;
	errno = 0;
	EXPECT_EQ(-1, aio_suspend(list, 1, &zero));
	EXPECT_EQ(EAGAIN, errno);
	end_pending_read(_metadata, p, &first, 8);
}

/*
 * POSIX aio_suspend() DESCRIPTION/RETURN VALUE: a failed operation has
 * completed too (its status is its error, not EINPROGRESS); write(2)
 * EPIPE: the pipe's read end is closed. The test thread waits on a write
 * blocked on a full pipe; a helper closes the pipe's only read end during
 * the wait: aio_suspend returns 0, the write has status EPIPE and return
 * -1 (SIGPIPE ignored).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(request_failing_during_the_wait_ends_it)
{
	const struct timespec limit = { 5, 0 };
	const struct aiocb *list[1];
	static unsigned char buf[4096];
	struct helper h;
	struct aiocb cb;
	pthread_t tid;
	int p[2], ret;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() RETURN VALUE: 0 after an "
			"operation completed, failed ones too; write(2) EPIPE "
			"(glibc/POSIX behaviour)");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LT(0, conform_fill_until_full(p[1]));
	posix_aio_prep(&cb, p[1], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	list[0] = &cb;
	memset(&h, 0, sizeof(h));
	h.tid = gettid();
	h.act = ACT_CLOSE;
	h.fd = p[0];
	ASSERT_EQ(0, pthread_create(&tid, NULL, help_when_asleep, &h));
	ret = aio_suspend(list, 1, &limit);
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	if (h.seen != 1) {
		close(p[1]);
		SKIP(return, "%s", unseen_why(h.seen));
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(EPIPE, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(p[1]);
}

TEST_HARNESS_MAIN
