// SPDX-License-Identifier: MIT
/*
 * posix-aio/cancel-states: aio_cancel on requests in each state and on
 * control blocks glibc does not know, beyond posix-aio/cancel (running,
 * queued, finished, all, bad descriptor with NULL) and posix-aio/notify
 * (the SIGEV_SIGNAL of one canceled request): a write queued behind a read
 * of the same descriptor (glibc serialises per descriptor), the control
 * block of a request that could not be canceled left unchanged, a block
 * never submitted, a copy of a pending block, a block of another
 * descriptor, a bad descriptor with a block, the notifications of a
 * cancel-all (each canceled request at once, the running one when it
 * completes), SIGEV_THREAD for a canceled request, and a finished request
 * among pending ones.
 * Sources: POSIX.1-2017 XSH aio_cancel() DESCRIPTION, RETURN VALUE,
 * ERRORS; aio_cancel(3).
 *
 * States are forced without sleeps: each TEST runs in a fresh child with no
 * AIO thread yet; a read of an empty pipe or socket keeps its worker
 * busy ("in progress"); glibc 2.36 queues later requests on the same
 * descriptor behind it (one worker per descriptor). Where POSIX leaves the
 * result open ("unspecified results", "implementation-defined"), the TEST
 * asserts what glibc does and says so. Signals are blocked and taken with
 * sigtimedwait (5 s bound for one that must come, 0 s to see none).
 *
 * First kernel: glibc runs POSIX AIO in its own threads (pread, read,
 * write, rt_sigqueueinfo, pthread_create): since is 2.6.0 in every
 * declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

#define CANCEL_SIG (SIGRTMIN + 5)

/* Write n bytes to wfd so that the read cb (of the pipe or socket) ends,
 * and wait for it. */
static void finish_read(struct __test_metadata *_metadata, int wfd,
			struct aiocb *cb, size_t n)
{
	static const char bytes[64];

	ASSERT_GE(sizeof(bytes), n);
	ASSERT_EQ((ssize_t)n, write(wfd, bytes, n));
	ASSERT_EQ(0, posix_aio_wait_done(cb));
	EXPECT_EQ((ssize_t)n, aio_return(cb));
}

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_CANCELED "if the requested
 * operation(s) were canceled"; DESCRIPTION: "Which operations are
 * cancelable is implementation-defined" (glibc manual, Cancel AIO
 * Operations: the implementation decides). glibc runs one request per descriptor at a
 * time: a write on a socket, queued behind a read of that socket that waits
 * for data, has not started (it stays EINPROGRESS and the peer receives
 * nothing), so it is canceled: AIO_CANCELED, status ECANCELED, return -1,
 * and nothing is ever sent.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read/write in threads).
 */
TEST(write_queued_behind_read_of_same_fd_is_canceled_unsent)
{
	unsigned char rbuf[8];
	struct aiocb rcb, wcb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: "
			"AIO_CANCELED for a write queued behind a read of "
			"the same socket; it gets ECANCELED and -1 and is "
			"never sent (glibc: manual Cancel AIO Operations "
			"lets the implementation decide what is cancelable; "
			"glibc 2.36 cancels a request not yet started)");
	ASSERT_EQ(0, conform_socketpair(sv));
	posix_aio_prep(&rcb, sv[0], rbuf, sizeof(rbuf), 0);
	posix_aio_prep(&wcb, sv[0], "never sent", 10, 0);
	ASSERT_EQ(0, aio_read(&rcb));
	ASSERT_EQ(0, aio_write(&wcb));
	EXPECT_TRUE(posix_aio_still_in_progress(&wcb));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(sv[0], &wcb));
	EXPECT_EQ(ECANCELED, aio_error(&wcb));
	EXPECT_EQ(-1, aio_return(&wcb));
	finish_read(_metadata, sv[1], &rcb, 1);
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	close(sv[0]);
	close(sv[1]);
}

/* The members of struct aiocb that POSIX defines, equal in a and b. */
static bool same_public_members(const struct aiocb *a, const struct aiocb *b)
{
	return a->aio_fildes == b->aio_fildes &&
	       a->aio_offset == b->aio_offset &&
	       a->aio_buf == b->aio_buf &&
	       a->aio_nbytes == b->aio_nbytes &&
	       a->aio_reqprio == b->aio_reqprio &&
	       a->aio_lio_opcode == b->aio_lio_opcode &&
	       memcmp(&a->aio_sigevent, &b->aio_sigevent,
		      sizeof(a->aio_sigevent)) == 0;
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION: "For requested operations that are
 * not successfully canceled, the aiocbp shall not be modified by
 * aio_cancel()." After AIO_NOTCANCELED for a running read (of an empty
 * pipe), every member POSIX defines is what it was before the call, and the
 * status is still EINPROGRESS. (glibc's private return field is left out:
 * the worker itself stores pread's ESPIPE result there before it retries a
 * pipe with read, at a moment the test cannot see.)
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(not_canceled_control_block_is_unchanged)
{
	unsigned char buf[16];
	struct aiocb cb, before;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: the control "
			"block of an operation that is not canceled is not "
			"modified by the call (glibc: aio_cancel(3) says the "
			"same)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, CANCEL_SIG, &cb);
	cb.aio_sigevent.sigev_notify = SIGEV_NONE;
	cb.aio_reqprio = 3;
	ASSERT_EQ(0, aio_read(&cb));
	memcpy(&before, &cb, sizeof(cb));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], &cb));
	EXPECT_TRUE(same_public_members(&before, &cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	finish_read(_metadata, p[1], &cb, 4);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "if all of the
 * operations have already completed". glibc takes a control block whose
 * status is not EINPROGRESS as completed: one never submitted (zeroed, its
 * descriptor the one given) gets AIO_ALLDONE, not an error, and stays as it
 * was.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(never_submitted_control_block_gets_alldone)
{
	unsigned char buf[16];
	struct aiocb cb, before;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "
			"when the operations asked for have completed; a "
			"block never submitted is no request at all (glibc: "
			"undocumented; glibc 2.36 takes its status, not "
			"EINPROGRESS, as completed and answers AIO_ALLDONE)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	memcpy(&before, &cb, sizeof(cb));
	errno = 0;
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(p[0], &cb));
	EXPECT_EQ(0, errno);
	EXPECT_EQ(0, memcmp(&before, &cb, sizeof(cb)));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION: aiocbp "points to the asynchronous I/O control
 * block for a particular request"; a block that is no request's is outside
 * the specification. glibc finds requests by the address of their block: a
 * copy of a pending request's block (status EINPROGRESS, same descriptor)
 * is not in its queue, and aio_cancel fails with EINVAL; the real request
 * is left running.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(copy_of_pending_control_block_gets_einval)
{
	unsigned char buf[16];
	struct aiocb cb, copy;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: aiocbp "
			"points to the control block of a particular "
			"request; a copy of a pending one is no request's "
			"(glibc: undocumented; glibc 2.36 fails with EINVAL "
			"and the real request runs on)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	memcpy(&copy, &cb, sizeof(cb));
	ASSERT_EQ(EINPROGRESS, aio_error(&copy));
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(p[0], &copy));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	finish_read(_metadata, p[1], &cb, 2);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION: "If aiocbp is not NULL, then if
 * fildes does not have the same value as the file descriptor with which the
 * asynchronous operation was initiated, unspecified results occur." glibc
 * fails with EINVAL (the descriptor is valid: the write end of the same
 * pipe) and the request is untouched: still in progress, then completed
 * normally.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(control_block_of_another_fd_gets_einval)
{
	unsigned char buf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a fildes "
			"other than the one the request was started with "
			"gives unspecified results (glibc: aio_cancel(3) the "
			"same; glibc 2.36 fails with EINVAL and leaves the "
			"request untouched)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(p[1], &cb));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	finish_read(_metadata, p[1], &cb, 3);
	EXPECT_EQ(0, aio_error(&cb));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_cancel() ERRORS: EBADF "The fildes argument is not a
 * valid file descriptor" - also when a control block is given (its
 * aio_fildes the same bad number): glibc checks fildes before it looks at
 * the block.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: fcntl F_GETFL).
 */
TEST(bad_fd_with_control_block_gets_ebadf)
{
	unsigned char buf[16];
	struct aiocb cb;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() ERRORS: EBADF when fildes "
			"is not a valid file descriptor, also when a control "
			"block is given");
	posix_aio_prep(&cb, conform_bad_fd(), buf, sizeof(buf), 0);
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(cb.aio_fildes, &cb));
	EXPECT_EQ(EBADF, errno);
}

/* Take signals of set until n came or none within 5 s; count in seen[i]
 * those whose value is &cbs[i]. Returns how many were taken. */
static int take_cancel_signals(const sigset_t *set, struct aiocb *cbs,
			       int ncbs, int *seen, int n)
{
	siginfo_t info;
	int got = 0;

	while (got < n && posix_aio_take_signal(set, &info, 5000) > 0) {
		got++;
		for (int i = 0; i < ncbs; i++)
			if (info.si_value.sival_ptr == (void *)&cbs[i])
				seen[i]++;
	}
	return got;
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION: "Normal asynchronous notification
 * shall occur for asynchronous I/O operations that are successfully
 * canceled. If there are requests that cannot be canceled, then the normal
 * asynchronous completion process shall take place for those requests when
 * they are completed." With aiocbp NULL, the two reads queued behind a
 * running one each get their signal at once (ECANCELED by then); the
 * running read's signal comes only when it completes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(cancel_all_notifies_canceled_now_and_running_at_completion)
{
	unsigned char buf[3][8];
	struct aiocb cbs[3];
	int seen[3] = { 0, 0, 0 };
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: canceled "
			"operations get their normal notification at once, "
			"and an operation that could not be canceled gets "
			"its own when it completes");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, posix_aio_block_signal(CANCEL_SIG, &set));
	for (int i = 0; i < 3; i++) {
		posix_aio_prep(&cbs[i], p[0], buf[i], sizeof(buf[i]), 0);
		posix_aio_want_signal(&cbs[i].aio_sigevent, CANCEL_SIG, &cbs[i]);
		ASSERT_EQ(0, aio_read(&cbs[i]));
	}
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], NULL));
	EXPECT_EQ(2, take_cancel_signals(&set, cbs, 3, seen, 2));
	EXPECT_EQ(0, seen[0]);
	EXPECT_EQ(1, seen[1]);
	EXPECT_EQ(1, seen[2]);
	EXPECT_EQ(ECANCELED, aio_error(&cbs[1]));
	EXPECT_EQ(ECANCELED, aio_error(&cbs[2]));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 0));
	EXPECT_EQ(EAGAIN, errno);
	finish_read(_metadata, p[1], &cbs[0], 5);
	EXPECT_EQ(1, take_cancel_signals(&set, cbs, 3, seen, 1));
	EXPECT_EQ(1, seen[0]);
	close(p[0]);
	close(p[1]);
}

static int thread_report_fd = -1;
static const struct aiocb *thread_watched;

/* SIGEV_THREAD function: reports its value and the watched status. */
static void report_canceled(union sigval value)
{
	int msg[2] = { value.sival_int,
		       thread_watched ? aio_error(thread_watched) : -1 };

	if (write(thread_report_fd, msg, sizeof(msg)) != sizeof(msg))
		abort();
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION: normal notification occurs for a
 * canceled operation - SIGEV_THREAD too: the function of a canceled queued
 * read runs with its sigev_value, and the request's status is already
 * ECANCELED when it runs.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(canceled_request_sigev_thread_runs_with_ecanceled)
{
	unsigned char buf1[8], buf2[8];
	struct aiocb cb1, cb2;
	int p[2], rp[2], msg[2] = { 0, 0 };

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a canceled "
			"operation gets its normal notification, here its "
			"SIGEV_THREAD function with its sigev_value, its "
			"status already ECANCELED");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(rp));
	thread_report_fd = rp[1];
	thread_watched = &cb2;
	posix_aio_prep(&cb1, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&cb2, p[0], buf2, sizeof(buf2), 0);
	cb2.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb2.aio_sigevent.sigev_notify_function = report_canceled;
	cb2.aio_sigevent.sigev_value.sival_int = 0xcace;
	ASSERT_EQ(0, aio_read(&cb1));
	ASSERT_EQ(0, aio_read(&cb2));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &cb2));
	ASSERT_TRUE(conform_fd_readable(rp[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(msg), read(rp[0], msg, sizeof(msg)));
	EXPECT_EQ(0xcace, msg[0]);
	EXPECT_EQ(ECANCELED, msg[1]);
	finish_read(_metadata, p[1], &cb1, 1);
	EXPECT_FALSE(conform_fd_readable(rp[0], 0));
	close(rp[0]);
	close(rp[1]);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "if all of the
 * operations have already completed" - the operations asked for: a read of
 * a socket that has finished gets AIO_ALLDONE although another read of the
 * same socket is still running, which is left alone.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(finished_request_gets_alldone_while_another_runs)
{
	unsigned char buf1[4], buf2[4];
	struct aiocb done, running;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "
			"when the operation asked for has completed, though "
			"another request on the same socket still runs and "
			"is left alone");
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(4, write(sv[1], "done", 4));
	posix_aio_prep(&done, sv[0], buf1, sizeof(buf1), 0);
	ASSERT_EQ(0, aio_read(&done));
	ASSERT_EQ(0, posix_aio_wait_done(&done));
	posix_aio_prep(&running, sv[0], buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&running));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(sv[0], &done));
	EXPECT_EQ(0, aio_error(&done));
	EXPECT_EQ(4, aio_return(&done));
	EXPECT_EQ(EINPROGRESS, aio_error(&running));
	finish_read(_metadata, sv[1], &running, 2);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
