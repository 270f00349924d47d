// SPDX-License-Identifier: MIT
/*
 * posix-aio/cancel-notify: the notification of requests that aio_cancel
 * cancels, and of those it cannot cancel, beyond posix-aio/notify (the
 * sigev_value of one canceled read) and posix-aio/cancel-states (the
 * signals of a cancel-all, the SIGEV_THREAD of one canceled read): the
 * si_signo and si_code SI_ASYNCIO of a canceled request's signal; a
 * request that could not be canceled notifying at its end with its own
 * result, a count (SIGEV_THREAD) or an error (EPIPE, SIGEV_SIGNAL); a
 * cancel-all running each canceled request's SIGEV_THREAD function once;
 * an aio_suspend waiting on a request woken by its cancellation; and the
 * notification of a LIO_NOWAIT list whose entries are all canceled before
 * any of them ran (SIGEV_SIGNAL, with the entries' own signals, and
 * SIGEV_THREAD).
 * Sources: POSIX.1-2017 XSH aio_cancel() DESCRIPTION (normal asynchronous
 * notification for canceled operations; the others complete the usual
 * way), lio_listio() DESCRIPTION (the list notification once all requests
 * have completed), aio_suspend() DESCRIPTION, <signal.h> (SI_ASYNCIO),
 * 2.4.1 Signal Generation and Delivery (SIGEV_SIGNAL, SIGEV_THREAD);
 * aio_cancel(3).
 *
 * How the states are forced, without sleeps: each TEST runs in a fresh
 * child with no AIO thread yet; glibc 2.36 keeps one queue per descriptor
 * and runs its requests one at a time, so a read of an empty pipe is "in
 * progress" (not cancelable) and later requests on the same descriptor
 * wait behind it (cancelable). Signals are blocked in the test thread and
 * taken with sigtimedwait (5 s bound for one that must come; 0-50 ms to
 * see none); SIGEV_THREAD functions report through a pipe, read with a 5 s
 * poll bound (50 ms to see none).
 *
 * First kernel: glibc runs POSIX AIO in its own threads (read, write,
 * rt_sigqueueinfo, pthread_create, futex): since is 2.6.0 in every
 * declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

#define CANCEL_SIG (SIGRTMIN + 6)
#define LIST_SIG (SIGRTMIN + 7)

/* Write n bytes to wfd so that the read cb (of a pipe) ends, and wait for
 * it; its count must be n. */
static void finish_read(struct __test_metadata *_metadata, int wfd,
			struct aiocb *cb, size_t n)
{
	static const char bytes[64];

	ASSERT_GE(sizeof(bytes), n);
	ASSERT_EQ((ssize_t)n, write(wfd, bytes, n));
	ASSERT_EQ(0, posix_aio_wait_done(cb));
	EXPECT_EQ((ssize_t)n, aio_return(cb));
}

/* True when no signal of set is pending or comes within ms. */
static bool no_signal_within(const sigset_t *set, long ms)
{
	siginfo_t info;

	errno = 0;
	return posix_aio_take_signal(set, &info, ms) == -1 && errno == EAGAIN;
}

/*
 * SIGEV_THREAD reports: the function writes its sigev_value and the
 * status (aio_error, aio_return) of the control block watched[value] as it
 * is when the function runs, to report_fd.
 */
struct report {
	int value;
	int error;
	ssize_t ret;
};

static int report_fd = -1;
static struct aiocb *watched[8];

static void report_status(union sigval value)
{
	struct report r = { value.sival_int, -1, -2 };

	if (value.sival_int >= 0 && value.sival_int < 8 &&
	    watched[value.sival_int]) {
		r.error = aio_error(watched[value.sival_int]);
		r.ret = aio_return(watched[value.sival_int]);
	}
	if (write(report_fd, &r, sizeof(r)) != sizeof(r))
		abort();
}

/* Ask for report_status with value in *sev, watching cb. */
static void want_report(struct sigevent *sev, int value, struct aiocb *cb)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_THREAD;
	sev->sigev_notify_function = report_status;
	sev->sigev_value.sival_int = value;
	watched[value] = cb;
}

/* Take one report from rp (5 s bound). */
static void take_report(struct __test_metadata *_metadata, int rp,
			struct report *r)
{
	ASSERT_TRUE(conform_fd_readable(rp, 5000));
	ASSERT_EQ((ssize_t)sizeof(*r), read(rp, r, sizeof(*r)));
}

/*
 * POSIX aio_cancel() DESCRIPTION: a canceled operation gets its normal
 * asynchronous notification; <signal.h>: SI_ASYNCIO is the si_code of a
 * signal "sent by completion of an asynchronous I/O request". The signal of
 * a read canceled while queued (behind a read of the same empty pipe)
 * carries the requested signal number, si_code SI_ASYNCIO and the
 * sival_int given, and comes once.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(canceled_request_signal_has_signo_si_asyncio_and_value)
{
	unsigned char buf1[8], buf2[8];
	struct aiocb running, queued;
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a canceled "
			"operation gets its normal notification; <signal.h> "
			"SI_ASYNCIO (glibc: sigqueue with sigev_value)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, posix_aio_block_signal(CANCEL_SIG, &set));
	posix_aio_prep(&running, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&queued, p[0], buf2, sizeof(buf2), 0);
	posix_aio_want_signal(&queued.aio_sigevent, CANCEL_SIG, NULL);
	queued.aio_sigevent.sigev_value.sival_int = 0x5ca1;
	ASSERT_EQ(0, aio_read(&running));
	ASSERT_EQ(0, aio_read(&queued));
	ASSERT_EQ(AIO_CANCELED, aio_cancel(p[0], &queued));
	ASSERT_EQ(CANCEL_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(CANCEL_SIG, info.si_signo);
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(0x5ca1, info.si_value.sival_int);
	EXPECT_TRUE(no_signal_within(&set, 50));
	finish_read(_metadata, p[1], &running, 3);
	EXPECT_TRUE(no_signal_within(&set, 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: for requests that cannot be canceled
 * "the normal asynchronous completion process" takes place when they
 * complete. A read in progress on an empty pipe gets AIO_NOTCANCELED; its
 * SIGEV_THREAD function does not run then, but once 6 bytes arrive, once,
 * with its sigev_value, and the request's status is by then the read's own
 * result: error 0, return 6 (not ECANCELED, not -1).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(notcanceled_request_sigev_thread_runs_at_its_end_with_its_count)
{
	unsigned char buf[16];
	struct report r;
	struct aiocb cb;
	int p[2], rp[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: an operation "
			"that cannot be canceled completes and notifies the "
			"usual way (glibc: AIO_NOTCANCELED for a running "
			"request)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	want_report(&cb.aio_sigevent, 1, &cb);
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], &cb));
	EXPECT_FALSE(conform_fd_readable(rp[0], 50));
	ASSERT_EQ(6, write(p[1], "result", 6));
	take_report(_metadata, rp[0], &r);
	EXPECT_EQ(1, r.value);
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(6, r.ret);
	EXPECT_FALSE(conform_fd_readable(rp[0], 50));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, memcmp(buf, "result", 6));
	close(rp[0]);
	close(rp[1]);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: a request that is not canceled completes
 * the usual way, failure included. A write blocked on a full pipe gets
 * AIO_NOTCANCELED and no signal; when the read end is closed, write(2)
 * fails with EPIPE (SIGPIPE ignored), and only then does its SIGEV_SIGNAL
 * come, with the request's own error: aio_error EPIPE, aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(notcanceled_write_notifies_at_its_end_with_its_own_error)
{
	unsigned char wbuf[16] = { 0 };
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: an operation "
			"that cannot be canceled completes and notifies the "
			"usual way; write() ERRORS EPIPE (glibc: "
			"AIO_NOTCANCELED for a running request)");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LT(0, conform_fill_until_full(p[1]));
	ASSERT_EQ(0, posix_aio_block_signal(CANCEL_SIG, &set));
	posix_aio_prep(&cb, p[1], wbuf, sizeof(wbuf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, CANCEL_SIG, &cb);
	ASSERT_EQ(0, aio_write(&cb));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[1], &cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	EXPECT_TRUE(no_signal_within(&set, 50));
	close(p[0]);
	ASSERT_EQ(CANCEL_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)&cb, info.si_value.sival_ptr);
	EXPECT_EQ(EPIPE, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: with aiocbp NULL all cancelable
 * operations on fildes are canceled, each with its normal notification;
 * the one in progress notifies when it completes. Three reads queued
 * behind a running one, each with SIGEV_THREAD: after AIO_NOTCANCELED each
 * canceled read's function runs exactly once, with its own value, and
 * sees ECANCELED and -1; the running read's function runs only after it
 * completes, and sees 0 and its count.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(cancel_all_runs_each_canceled_sigev_thread_function_once)
{
	unsigned char buf[4][8];
	struct aiocb cbs[4];
	int seen[4] = { 0, 0, 0, 0 };
	struct report r;
	int p[2], rp[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: aiocbp NULL "
			"cancels all cancelable operations, each notified "
			"the normal way; 2.4.1 SIGEV_THREAD");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	for (int i = 0; i < 4; i++) {
		posix_aio_prep(&cbs[i], p[0], buf[i], sizeof(buf[i]), 0);
		want_report(&cbs[i].aio_sigevent, i, &cbs[i]);
		ASSERT_EQ(0, aio_read(&cbs[i]));
	}
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], NULL));
	for (int n = 0; n < 3; n++) {
		take_report(_metadata, rp[0], &r);
		ASSERT_LE(1, r.value);
		ASSERT_GE(3, r.value);
		seen[r.value]++;
		EXPECT_EQ(ECANCELED, r.error);
		EXPECT_EQ(-1, r.ret);
	}
	EXPECT_EQ(1, seen[1]);
	EXPECT_EQ(1, seen[2]);
	EXPECT_EQ(1, seen[3]);
	EXPECT_FALSE(conform_fd_readable(rp[0], 50));
	ASSERT_EQ(5, write(p[1], "last!", 5));
	take_report(_metadata, rp[0], &r);
	EXPECT_EQ(0, r.value);
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(5, r.ret);
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	EXPECT_FALSE(conform_fd_readable(rp[0], 50));
	close(rp[0]);
	close(rp[1]);
	close(p[0]);
	close(p[1]);
}

/* A thread that waits in aio_suspend on one control block (5 s bound). */
struct suspender {
	const struct aiocb *cb;
	int tid_pipe;		/* it writes its tid here first */
	int ret, err;
};

static void *suspend_on(void *arg)
{
	struct suspender *s = arg;
	const struct aiocb *list[1] = { s->cb };
	const struct timespec limit = { 5, 0 };
	pid_t tid = gettid();

	if (write(s->tid_pipe, &tid, sizeof(tid)) != sizeof(tid))
		abort();
	s->ret = aio_suspend(list, 1, &limit);
	s->err = s->ret < 0 ? errno : 0;
	return NULL;
}

/*
 * POSIX aio_cancel() DESCRIPTION: canceled operations get their normal
 * notification; aio_suspend() DESCRIPTION: it returns once one of the
 * listed operations has completed. A thread seen asleep (futex) in
 * aio_suspend on a read queued behind a running one is woken when that
 * read is canceled: aio_suspend returns 0 well before its 5 s timeout, and
 * the read's status is ECANCELED.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(cancel_wakes_aio_suspend_waiting_on_the_request)
{
	unsigned char buf1[8], buf2[8];
	struct aiocb running, queued;
	struct suspender s = { &queued, -1, -2, 0 };
	pthread_t thr;
	pid_t tid = 0;
	int p[2], tp[2], seen;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: canceled "
			"operations notified the normal way; aio_suspend() "
			"DESCRIPTION returns once a listed operation completed");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(tp));
	posix_aio_prep(&running, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&queued, p[0], buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&running));
	ASSERT_EQ(0, aio_read(&queued));
	s.tid_pipe = tp[1];
	ASSERT_EQ(0, pthread_create(&thr, NULL, suspend_on, &s));
	ASSERT_TRUE(conform_fd_readable(tp[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(tid), read(tp[0], &tid, sizeof(tid)));
	seen = conform_wait_blocked_in(tid, SYS_futex);
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &queued));
	ASSERT_EQ(0, pthread_join(thr, NULL));
	finish_read(_metadata, p[1], &running, 2);
	close(tp[0]);
	close(tp[1]);
	close(p[0]);
	close(p[1]);
	if (seen < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter asleep in aio_suspend");
	if (seen == 0)
		SKIP(return, CONFORM_UNSEEN "the waiter was not seen asleep in futex within 5 s");
	EXPECT_EQ(0, s.ret);
	EXPECT_EQ(0, s.err);
	EXPECT_EQ(ECANCELED, aio_error(&queued));
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_NOWAIT the sig notification
 * comes "when all the requests in the list have completed"; aio_cancel()
 * DESCRIPTION: a canceled request is notified the normal way, so it counts
 * as completed. A list of two reads queued behind a running read of the
 * same empty pipe: canceling the first sends nothing, canceling the second
 * sends the list signal (SI_ASYNCIO, the list's value) once, though no
 * entry ever ran and the read ahead of them is still in progress.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(nowait_list_whose_entries_are_all_canceled_gets_its_signal)
{
	unsigned char hbuf[8], buf[2][8];
	struct aiocb head, cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notification once all requests have completed; "
			"aio_cancel() DESCRIPTION: canceled requests notify "
			"(glibc: canceled entries count as complete)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	posix_aio_prep(&head, p[0], hbuf, sizeof(hbuf), 0);
	ASSERT_EQ(0, aio_read(&head));
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[0], buf[i], 8, 0);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &cbs[0]));
	EXPECT_TRUE(no_signal_within(&set, 50));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &cbs[1]));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	EXPECT_EQ(ECANCELED, aio_error(&cbs[0]));
	EXPECT_EQ(ECANCELED, aio_error(&cbs[1]));
	EXPECT_EQ(EINPROGRESS, aio_error(&head));
	EXPECT_TRUE(no_signal_within(&set, 50));
	finish_read(_metadata, p[1], &head, 1);
	EXPECT_TRUE(no_signal_within(&set, 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX lio_listio() DESCRIPTION: each entry's own aio_sigevent notifies
 * for it, and the sig argument for the whole list; aio_cancel()
 * DESCRIPTION: canceled requests get their normal notification. When the
 * two entries of a LIO_NOWAIT list (queued behind a running read of the
 * same pipe) are canceled with aiocbp NULL, three signals come: each
 * entry's own (CANCEL_SIG with its control block) once, and the list's
 * (LIST_SIG with the list) once.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(canceled_list_entries_notify_each_and_the_list_once)
{
	unsigned char hbuf[8], buf[2][8];
	struct aiocb head, cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	int seen[2] = { 0, 0 };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set, entry_set, list_set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: entry "
			"aio_sigevent and list sig notifications; aio_cancel() "
			"DESCRIPTION: canceled requests notify the normal way");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, posix_aio_block_signal(CANCEL_SIG, &entry_set));
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &list_set));
	sigemptyset(&set);
	sigaddset(&set, CANCEL_SIG);
	sigaddset(&set, LIST_SIG);
	posix_aio_prep(&head, p[0], hbuf, sizeof(hbuf), 0);
	ASSERT_EQ(0, aio_read(&head));
	for (int i = 0; i < 2; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[0], buf[i], 8, 0);
		posix_aio_want_signal(&cbs[i].aio_sigevent, CANCEL_SIG, &cbs[i]);
	}
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], NULL));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(CANCEL_SIG,
			  posix_aio_take_signal(&entry_set, &info, 5000));
		for (int j = 0; j < 2; j++)
			if (info.si_value.sival_ptr == (void *)&cbs[j])
				seen[j]++;
	}
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[1]);
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&list_set, &info, 5000));
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	EXPECT_TRUE(no_signal_within(&set, 50));
	finish_read(_metadata, p[1], &head, 4);
	EXPECT_TRUE(no_signal_within(&set, 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX lio_listio() DESCRIPTION and 2.4.1 SIGEV_THREAD: the list's
 * notification function runs when all requests have completed - here when
 * the last of the two entries is canceled (both queued behind a running
 * read of the same pipe): once, with the list's value, and both entries
 * are ECANCELED by then; nothing runs after the first cancel.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(nowait_list_sigev_thread_runs_once_when_last_entry_is_canceled)
{
	unsigned char hbuf[8], buf[2][8];
	struct aiocb head, cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	struct report r;
	int p[2], rp[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notification once all requests have completed; "
			"aio_cancel() DESCRIPTION; 2.4.1 SIGEV_THREAD");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	posix_aio_prep(&head, p[0], hbuf, sizeof(hbuf), 0);
	ASSERT_EQ(0, aio_read(&head));
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[0], buf[i], 8, 0);
	/* The function reports the second entry's status. */
	want_report(&sev, 2, &cbs[1]);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &cbs[1]));
	EXPECT_FALSE(conform_fd_readable(rp[0], 50));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &cbs[0]));
	take_report(_metadata, rp[0], &r);
	EXPECT_EQ(2, r.value);
	EXPECT_EQ(ECANCELED, r.error);
	EXPECT_EQ(ECANCELED, aio_error(&cbs[0]));
	EXPECT_FALSE(conform_fd_readable(rp[0], 50));
	finish_read(_metadata, p[1], &head, 2);
	EXPECT_FALSE(conform_fd_readable(rp[0], 0));
	close(rp[0]);
	close(rp[1]);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
