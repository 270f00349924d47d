// SPDX-License-Identifier: MIT
/*
 * posix-aio/error-threads: aio_error and aio_return seen from threads
 * other than the submitter while a request is in progress: the status
 * changes exactly once, from EINPROGRESS to the final value (0, a write's
 * EPIPE, or ECANCELED), never through another value, and stays; the
 * return read right after the change is already the final one (glibc
 * stores a provisional -1 while it retries a pipe read, which must never
 * show once the status is final); several threads see the same result;
 * and a request outlives the thread that submitted it: its status,
 * return and cancellation work from another thread after that thread
 * has exited.
 * Sources: POSIX.1-2017 XSH aio_error() DESCRIPTION and RETURN VALUE
 * (EINPROGRESS until the operation completes, then 0 or the errno),
 * aio_return() DESCRIPTION and RETURN VALUE (the final status once
 * completed), aio_cancel() DESCRIPTION; aio_error(3), aio_return(3).
 *
 * How it is seen without sleeps: a poller thread reads aio_error in a loop
 * (sched_yield between reads), tells the test through a pipe once it has
 * seen EINPROGRESS, and the test only then completes the request (data
 * written to a pipe, the pipe's reader closed, or aio_cancel). Once the
 * status is no longer EINPROGRESS the poller reads aio_return, then reads
 * both 1000 times more; every wait is bounded (5 s). glibc's aio_error
 * takes the lock under which its worker publishes the status, and the
 * worker stores the return value before it.
 *
 * First kernel: glibc runs POSIX AIO in its own threads (read, write,
 * futex, clone): since is 2.6.0 in every declaration; a static glibc 2.36
 * binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

/* What one poller saw. */
struct poller {
	struct aiocb *cb;
	int ready_fd;		/* one byte written once EINPROGRESS was seen */
	int first;		/* the first aio_error it read */
	int final;		/* the first value other than EINPROGRESS */
	ssize_t ret;		/* aio_return read right after that */
	int unstable;		/* later reads that differed from final/ret */
	bool timed_out;		/* still EINPROGRESS after 5 s */
};

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 +
	       (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void *poll_status(void *arg)
{
	struct poller *p = arg;
	struct timespec t0;
	int e;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	p->first = e = aio_error(p->cb);
	if (write(p->ready_fd, "r", 1) != 1)
		abort();
	while (e == EINPROGRESS) {
		if (ms_since(&t0) > 5000) {
			p->timed_out = true;
			return NULL;
		}
		sched_yield();
		e = aio_error(p->cb);
	}
	p->final = e;
	p->ret = aio_return(p->cb);
	for (int i = 0; i < 1000; i++)
		if (aio_error(p->cb) != p->final || aio_return(p->cb) != p->ret)
			p->unstable++;
	return NULL;
}

/* Start n pollers on cb and wait (5 s bound each) until each has read
 * its first status. ready is a pipe made by the caller. */
static void start_pollers(struct __test_metadata *_metadata, pthread_t *thr,
			  struct poller *p, int n, struct aiocb *cb,
			  int ready[2])
{
	char c;

	for (int i = 0; i < n; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].cb = cb;
		p[i].ready_fd = ready[1];
		ASSERT_EQ(0, pthread_create(&thr[i], NULL, poll_status, &p[i]));
	}
	for (int i = 0; i < n; i++) {
		ASSERT_TRUE(conform_fd_readable(ready[0], 5000));
		ASSERT_EQ(1, read(ready[0], &c, 1));
	}
}

/* Join n pollers; each must have seen EINPROGRESS, then final and ret,
 * and nothing else afterwards. */
static void expect_one_change(struct __test_metadata *_metadata,
			      pthread_t *thr, struct poller *p, int n,
			      int final, ssize_t ret)
{
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(thr[i], NULL));
		EXPECT_FALSE(p[i].timed_out);
		EXPECT_EQ(EINPROGRESS, p[i].first);
		EXPECT_EQ(final, p[i].final);
		EXPECT_EQ(ret, p[i].ret);
		EXPECT_EQ(0, p[i].unstable);
	}
}

/*
 * POSIX aio_error() RETURN VALUE: EINPROGRESS while the operation has not
 * completed, 0 once it has completed successfully; aio_return() RETURN
 * VALUE: then the count read() returns. A thread polling a read of an
 * empty pipe sees EINPROGRESS, then - after 7 bytes are written - 0, with
 * aio_return already 7 (never glibc's provisional -1 of the pread it
 * retried), and neither changes again.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(status_seen_by_another_thread_changes_once_to_zero_with_the_count)
{
	unsigned char buf[16];
	struct poller p;
	struct aiocb cb;
	pthread_t thr;
	int fds[2], ready[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() RETURN VALUE: EINPROGRESS "
			"until completed, then 0; aio_return() RETURN VALUE: "
			"the final count once completed");
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, conform_pipe(ready));
	posix_aio_prep(&cb, fds[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	start_pollers(_metadata, &thr, &p, 1, &cb, ready);
	ASSERT_EQ(7, write(fds[1], "changed", 7));
	expect_one_change(_metadata, &thr, &p, 1, 0, 7);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(ready[0]);
	close(ready[1]);
	close(fds[0]);
	close(fds[1]);
}

/*
 * POSIX aio_error() RETURN VALUE: once the operation has completed
 * unsuccessfully, the errno write() would set; aio_return(): -1. A thread
 * polling a write blocked on a full pipe sees EINPROGRESS, then - once the
 * read end is closed - EPIPE (SIGPIPE ignored), with aio_return -1, and
 * nothing else after.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(status_seen_by_another_thread_changes_once_to_the_write_error)
{
	unsigned char wbuf[32] = { 0 };
	struct poller p;
	struct aiocb cb;
	pthread_t thr;
	int fds[2], ready[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() RETURN VALUE: EINPROGRESS "
			"until completed, then the errno write() would set; "
			"write() ERRORS EPIPE");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, conform_pipe(ready));
	ASSERT_LT(0, conform_fill_until_full(fds[1]));
	posix_aio_prep(&cb, fds[1], wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	start_pollers(_metadata, &thr, &p, 1, &cb, ready);
	close(fds[0]);
	expect_one_change(_metadata, &thr, &p, 1, EPIPE, -1);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(ready[0]);
	close(ready[1]);
	close(fds[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: a canceled operation's error status
 * becomes ECANCELED and its return -1; aio_error() RETURN VALUE:
 * EINPROGRESS before. A thread polling a read queued behind another read
 * of the same empty pipe sees EINPROGRESS, then - when the test cancels it
 * (AIO_CANCELED) - ECANCELED with aio_return -1, and nothing else after.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(status_seen_by_another_thread_changes_once_to_ecanceled)
{
	unsigned char buf1[8], buf2[8];
	struct aiocb running, queued;
	struct poller p;
	pthread_t thr;
	int fds[2], ready[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a canceled "
			"operation gets ECANCELED and -1; aio_error() RETURN "
			"VALUE EINPROGRESS before");
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, conform_pipe(ready));
	posix_aio_prep(&running, fds[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&queued, fds[0], buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&running));
	ASSERT_EQ(0, aio_read(&queued));
	start_pollers(_metadata, &thr, &p, 1, &queued, ready);
	EXPECT_EQ(AIO_CANCELED, aio_cancel(fds[0], &queued));
	expect_one_change(_metadata, &thr, &p, 1, ECANCELED, -1);
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&running));
	EXPECT_EQ(1, aio_return(&running));
	close(ready[0]);
	close(ready[1]);
	close(fds[0]);
	close(fds[1]);
}

/*
 * POSIX aio_error() and aio_return() RETURN VALUE: the status of the
 * operation, whoever asks. Three threads polling the same read of an empty
 * socket each see EINPROGRESS, then 0 with aio_return 9 once 9 bytes are
 * sent, and no other value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(several_threads_see_the_same_final_status_and_count)
{
	unsigned char buf[16];
	struct poller p[3];
	struct aiocb cb;
	pthread_t thr[3];
	int sv[2], ready[2];

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() RETURN VALUE: the return "
			"status once completed; aio_error() RETURN VALUE (the "
			"same for every thread)");
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, conform_pipe(ready));
	posix_aio_prep(&cb, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	start_pollers(_metadata, thr, p, 3, &cb, ready);
	ASSERT_EQ(9, write(sv[1], "all three", 9));
	expect_one_change(_metadata, thr, p, 3, 0, 9);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, memcmp(buf, "all three", 9));
	close(ready[0]);
	close(ready[1]);
	close(sv[0]);
	close(sv[1]);
}

/* A thread that submits the reads of a job and exits. */
struct submit_job {
	struct aiocb *cbs;
	int n;
	int ret;	/* first failing aio_read's -1, else 0 */
};

static void *submit_and_exit(void *arg)
{
	struct submit_job *j = arg;

	j->ret = 0;
	for (int i = 0; i < j->n && j->ret == 0; i++)
		j->ret = aio_read(&j->cbs[i]);
	return NULL;
}

/*
 * POSIX aio_error() and aio_return() DESCRIPTION: they give the status of
 * the operation the control block names; nothing ties it to the thread
 * that submitted it (glibc's requests belong to the process). A read of an
 * empty pipe submitted by a thread that has then exited (joined) is still
 * EINPROGRESS; once data comes it completes, and the test thread reads 0
 * and the count.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(request_outlives_its_submitting_thread)
{
	unsigned char buf[16];
	struct aiocb cb;
	struct submit_job job = { &cb, 1, -2 };
	pthread_t thr;
	int fds[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the status of "
			"the operation of aiocbp, for any thread (glibc: "
			"requests belong to the process)");
	ASSERT_EQ(0, conform_pipe(fds));
	posix_aio_prep(&cb, fds[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, pthread_create(&thr, NULL, submit_and_exit, &job));
	ASSERT_EQ(0, pthread_join(thr, NULL));
	ASSERT_EQ(0, job.ret);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(6, write(fds[1], "orphan", 6));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(6, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "orphan", 6));
	close(fds[0]);
	close(fds[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: it cancels the operations against fildes
 * (or the one of aiocbp), whichever thread submitted them. Two reads of
 * an empty pipe submitted by a thread that has exited: a cancel-all from
 * the test thread gives AIO_NOTCANCELED, cancels the queued one
 * (ECANCELED, -1) and leaves the running one, which completes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(cancel_reaches_requests_of_an_exited_thread)
{
	unsigned char buf[2][8];
	struct aiocb cbs[2];
	struct submit_job job = { cbs, 2, -2 };
	pthread_t thr;
	int fds[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: cancels the "
			"operations against fildes, whichever thread queued "
			"them (glibc: requests belong to the process)");
	ASSERT_EQ(0, conform_pipe(fds));
	posix_aio_prep(&cbs[0], fds[0], buf[0], 8, 0);
	posix_aio_prep(&cbs[1], fds[0], buf[1], 8, 0);
	ASSERT_EQ(0, pthread_create(&thr, NULL, submit_and_exit, &job));
	ASSERT_EQ(0, pthread_join(thr, NULL));
	ASSERT_EQ(0, job.ret);
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(fds[0], NULL));
	EXPECT_EQ(ECANCELED, aio_error(&cbs[1]));
	EXPECT_EQ(-1, aio_return(&cbs[1]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[0]));
	ASSERT_EQ(2, write(fds[1], "go", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	EXPECT_EQ(0, aio_error(&cbs[0]));
	EXPECT_EQ(2, aio_return(&cbs[0]));
	close(fds[0]);
	close(fds[1]);
}

TEST_HARNESS_MAIN
