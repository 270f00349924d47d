// SPDX-License-Identifier: MIT
/*
 * posix-aio/cancel-fds: which requests aio_cancel reaches, by descriptor
 * and by request, beyond posix-aio/cancel, cancel-states and
 * request-queue (one descriptor; a descriptor with nothing queued; a bad
 * or closed descriptor): glibc keys its queues by descriptor number, so
 * a request on a dup'ed descriptor runs beside the original's and is
 * neither canceled by a cancel-all of the other number nor found through
 * it; a cancel-all of one pipe leaves another pipe's queued request; a
 * queued aio_fsync is canceled and the write before it still completes;
 * canceling the middle entry of a lio_listio list leaves the others;
 * a canceled request counts as done for a second cancel; and canceling
 * the first request of a descriptor while it waits for a worker leaves
 * the request queued behind it to complete (glibc 2.36 strands it: that
 * TEST fails there, a glibc defect).
 * Sources: POSIX.1-2017 XSH aio_cancel() DESCRIPTION (requests "against
 * fildes"; aiocbp for one request; fildes not the request's: unspecified
 * results), RETURN VALUE, aio_fsync() DESCRIPTION, lio_listio()
 * DESCRIPTION; aio_cancel(3), aio_init(3); dup(2).
 *
 * How the states are forced, without sleeps: each TEST runs in a fresh
 * child with no AIO thread yet. A read of an empty pipe keeps its worker
 * busy ("in progress", not cancelable); glibc 2.36 queues later requests
 * on the same descriptor number behind it (cancelable). Where regular-file
 * requests must wait, the TEST first calls aio_init with aio_threads 1 and
 * holds that only worker with a read of an empty pipe. A request that must
 * not have run is shown by a bounded aio_suspend running out (EAGAIN).
 *
 * First kernel: glibc runs POSIX AIO in its own threads (pread, read,
 * pwrite, fsync, fcntl): since is 2.6.0 in every declaration; a static
 * glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * The reads cbs[0..n-1] wait on one pipe (several descriptors of it):
 * write one byte at a time to wfd and, after each, wait (5 s bound) until
 * one more of them has completed, so that each gets exactly one byte.
 */
static void feed_one_byte_each(struct __test_metadata *_metadata, int wfd,
			       struct aiocb **cbs, int n)
{
	for (int done = 0; done < n; done++) {
		const struct timespec limit = { 5, 0 };
		int finished;

		ASSERT_EQ(1, write(wfd, "b", 1));
		for (;;) {
			finished = 0;
			for (int i = 0; i < n; i++)
				if (aio_error(cbs[i]) != EINPROGRESS)
					finished++;
			if (finished > done)
				break;
			ASSERT_EQ(0, aio_suspend((const struct aiocb **)cbs, n,
						 &limit));
		}
		ASSERT_EQ(done + 1, finished);
	}
	for (int i = 0; i < n; i++) {
		EXPECT_EQ(0, aio_error(cbs[i]));
		EXPECT_EQ(1, aio_return(cbs[i]));
	}
}

/* A duplicate of fd (CLOEXEC), another number for the same open file. */
static int dup_fd(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

/*
 * POSIX aio_cancel() DESCRIPTION: which operations are cancelable is
 * implementation-defined; aio_cancel(3): AIO_NOTCANCELED for a request in
 * progress. glibc queues by descriptor number: a read of a pipe through a
 * dup'ed descriptor, submitted while a read through the original number
 * waits for data, does not queue behind it but gets its own worker at
 * once, so canceling it gives AIO_NOTCANCELED (the same read on the
 * original number would be queued and canceled). Both then complete, one
 * byte each.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(request_on_dup_fd_runs_beside_the_original_and_is_notcanceled)
{
	unsigned char buf1[8], buf2[8];
	struct aiocb cb1, cb2, *both[2] = { &cb1, &cb2 };
	int p[2], d;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: cancelable "
			"operations implementation-defined (glibc: one queue "
			"per descriptor number, a dup'ed number runs apart)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, d = dup_fd(p[0]));
	posix_aio_prep(&cb1, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&cb2, d, buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&cb1));
	ASSERT_EQ(0, aio_read(&cb2));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(d, &cb2));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb2));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb1));
	feed_one_byte_each(_metadata, p[1], both, 2);
	close(d);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: with aiocbp NULL the operations "against
 * fildes" are canceled. Through a pipe's read end and a dup of it, each
 * number has a running read and a queued one; a cancel-all of the original
 * number gives AIO_NOTCANCELED, cancels its own queued read (ECANCELED)
 * and leaves the dup's queued read pending, which later completes with
 * its byte.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(cancel_all_on_fd_leaves_queued_request_on_its_dup)
{
	unsigned char buf[4][8];
	struct aiocb rp, qp, rd, qd, *left[3] = { &rp, &rd, &qd };
	int p[2], d;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: aiocbp NULL "
			"cancels the operations against fildes (glibc: "
			"matched by descriptor number, not by open file)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, d = dup_fd(p[0]));
	posix_aio_prep(&rp, p[0], buf[0], 8, 0);
	posix_aio_prep(&qp, p[0], buf[1], 8, 0);
	posix_aio_prep(&rd, d, buf[2], 8, 0);
	posix_aio_prep(&qd, d, buf[3], 8, 0);
	ASSERT_EQ(0, aio_read(&rp));
	ASSERT_EQ(0, aio_read(&qp));
	ASSERT_EQ(0, aio_read(&rd));
	ASSERT_EQ(0, aio_read(&qd));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], NULL));
	EXPECT_EQ(ECANCELED, aio_error(&qp));
	EXPECT_EQ(-1, aio_return(&qp));
	EXPECT_TRUE(posix_aio_still_in_progress(&qd));
	EXPECT_EQ(EINPROGRESS, aio_error(&rd));
	feed_one_byte_each(_metadata, p[1], left, 3);
	close(d);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: if fildes is not the descriptor the
 * request was initiated with, "unspecified results occur". glibc compares
 * the numbers: a control block submitted through a dup'ed descriptor,
 * given with the original number (same open file), fails with EINVAL and
 * the request is untouched; with its own number it is found
 * (AIO_NOTCANCELED: it is running).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(control_block_of_dup_fd_given_with_original_fd_gets_einval)
{
	unsigned char buf[8];
	struct aiocb cb, *one[1] = { &cb };
	int p[2], d;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: fildes not the "
			"request's descriptor, unspecified results (glibc: "
			"EINVAL, compared by number)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, d = dup_fd(p[0]));
	posix_aio_prep(&cb, d, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(p[0], &cb));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(d, &cb));
	feed_one_byte_each(_metadata, p[1], one, 1);
	close(d);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: only operations against fildes are
 * canceled. Two pipes, each with a running read and a queued one: a
 * cancel-all of the first gives AIO_NOTCANCELED and cancels its queued
 * read; the second pipe's queued read (cancelable too) stays pending and
 * later reads its own data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(cancel_all_on_one_pipe_leaves_another_pipes_queued_request)
{
	unsigned char buf[4][8];
	struct aiocb rp, qp, rq, qq;
	int p[2], q[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: aiocbp NULL "
			"cancels the operations against fildes only");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	posix_aio_prep(&rp, p[0], buf[0], 8, 0);
	posix_aio_prep(&qp, p[0], buf[1], 8, 0);
	posix_aio_prep(&rq, q[0], buf[2], 8, 0);
	posix_aio_prep(&qq, q[0], buf[3], 8, 0);
	ASSERT_EQ(0, aio_read(&rp));
	ASSERT_EQ(0, aio_read(&qp));
	ASSERT_EQ(0, aio_read(&rq));
	ASSERT_EQ(0, aio_read(&qq));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], NULL));
	EXPECT_EQ(ECANCELED, aio_error(&qp));
	EXPECT_TRUE(posix_aio_still_in_progress(&qq));
	ASSERT_EQ(3, write(q[1], "one", 3));
	ASSERT_EQ(0, posix_aio_wait_done(&rq));
	EXPECT_EQ(3, aio_return(&rq));
	ASSERT_EQ(3, write(q[1], "two", 3));
	ASSERT_EQ(0, posix_aio_wait_done(&qq));
	EXPECT_EQ(0, aio_error(&qq));
	EXPECT_EQ(3, aio_return(&qq));
	EXPECT_EQ(0, memcmp(buf[3], "two", 3));
	ASSERT_EQ(1, write(p[1], "p", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&rp));
	EXPECT_EQ(1, aio_return(&rp));
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION and RETURN VALUE: a queued aio_fsync is
 * an asynchronous operation like the others: canceled with AIO_CANCELED,
 * its status ECANCELED and -1. With the only worker held, a write and a
 * sync of a file wait in the queue; canceling the sync leaves the write,
 * which completes (4096 bytes in the file), and the sync stays canceled.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(queued_fsync_is_canceled_and_the_write_before_it_completes)
{
	unsigned char hbuf[1], wbuf[4096], rbuf[4096];
	struct aiocb hold, wcb, scb;
	int hp[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_CANCELED, "
			"here for a queued aio_fsync (glibc: one queue per "
			"descriptor, aio_init(3) aio_threads)");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_write(&wcb));
	ASSERT_EQ(0, aio_fsync(O_SYNC, &scb));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(fd, &scb));
	EXPECT_EQ(ECANCELED, aio_error(&scb));
	EXPECT_EQ(-1, aio_return(&scb));
	EXPECT_EQ(EINPROGRESS, aio_error(&wcb));
	EXPECT_EQ(1, posix_aio_release_the_worker(hp, &hold));
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	EXPECT_EQ(0, aio_error(&wcb));
	EXPECT_EQ(4096, aio_return(&wcb));
	EXPECT_EQ(ECANCELED, aio_error(&scb));
	ASSERT_EQ(4096, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: each entry is a request of its own;
 * aio_cancel() DESCRIPTION: with aiocbp only that request is canceled. A
 * LIO_NOWAIT list of three reads of a file waits behind the held worker;
 * canceling the middle entry gives AIO_CANCELED and leaves its buffer
 * untouched; the first and last entries then complete with their data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(cancel_of_middle_listio_entry_leaves_the_others)
{
	unsigned char hbuf[1], buf[3][512];
	struct aiocb hold, cbs[3], *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	int hp[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: aiocbp cancels "
			"that request only; lio_listio() DESCRIPTION entries "
			"(glibc: aio_init(3) aio_threads)");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	memset(buf, 0xee, sizeof(buf));
	for (int i = 0; i < 3; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 512, i * 512);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, NULL));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(fd, &cbs[1]));
	EXPECT_EQ(ECANCELED, aio_error(&cbs[1]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[0]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[2]));
	EXPECT_EQ(1, posix_aio_release_the_worker(hp, &hold));
	for (int i = 0; i < 3; i += 2) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(512, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(buf[i], 512, i * 512));
	}
	EXPECT_EQ(-1, aio_return(&cbs[1]));
	for (int i = 0; i < 512; i++)
		if (buf[1][i] != 0xee)
			ASSERT_EQ(0xee, buf[1][i]);
	close(fd);
}

/*
 * POSIX aio_cancel() RETURN VALUE: AIO_ALLDONE when all the operations
 * asked for "have already completed". A canceled request has completed (it
 * is no longer EINPROGRESS): canceling it again gives AIO_ALLDONE, as does
 * a cancel-all of the descriptor once the read ahead of it has finished.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(canceled_request_gets_alldone_when_canceled_again)
{
	unsigned char buf1[8], buf2[8];
	struct aiocb running, queued;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "
			"when the operations have completed, a canceled one "
			"included");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&running, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&queued, p[0], buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&running));
	ASSERT_EQ(0, aio_read(&queued));
	ASSERT_EQ(AIO_CANCELED, aio_cancel(p[0], &queued));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(p[0], &queued));
	EXPECT_EQ(ECANCELED, aio_error(&queued));
	ASSERT_EQ(2, write(p[1], "ok", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&running));
	EXPECT_EQ(2, aio_return(&running));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(p[0], NULL));
	EXPECT_EQ(ECANCELED, aio_error(&queued));
	close(p[0]);
	close(p[1]);
}

/*
 * aio_error of cb once it has settled, or EINPROGRESS when it is still in
 * progress after waiting up to secs seconds (aio_suspend, EINTR retried).
 */
static int error_within(const struct aiocb *cb, time_t secs)
{
	const struct aiocb *list[1] = { cb };
	const struct timespec limit = { secs, 0 };

	while (aio_error(cb) == EINPROGRESS)
		if (aio_suspend(list, 1, &limit) < 0 && errno != EINTR)
			break;
	return aio_error(cb);
}

/*
 * POSIX aio_cancel() DESCRIPTION: with aiocbp only that request is
 * canceled; the requests that are not canceled complete the normal way
 * (aio_read() DESCRIPTION: a queued read is performed). With the only
 * worker held (aio_threads 1), two reads of a file wait in the queue;
 * canceling the first gives AIO_CANCELED (ECANCELED) and, once the worker
 * is free, the second completes within 2 s: status 0, its 64 bytes at
 * offset 64. glibc 2.36 breaks this (a glibc defect): the request behind
 * the canceled first one of its descriptor is left off the run list and
 * stays EINPROGRESS; the TEST then cancels it (so no worker touches its
 * buffer later) and fails.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(request_queued_behind_a_canceled_one_still_completes)
{
	unsigned char hbuf[1], buf1[64], buf2[64];
	struct aiocb hold, first, second;
	int hp[2], fd, err, undo = -1;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: only the "
			"request given is canceled, the others are left to "
			"complete normally");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	posix_aio_prep(&first, fd, buf1, sizeof(buf1), 0);
	posix_aio_prep(&second, fd, buf2, sizeof(buf2), 64);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&second));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(fd, &first));
	EXPECT_EQ(ECANCELED, aio_error(&first));
	EXPECT_EQ(-1, aio_return(&first));
	EXPECT_EQ(1, posix_aio_release_the_worker(hp, &hold));
	err = error_within(&second, 2);
	if (err == EINPROGRESS) {
		/* Take it back so that nothing runs on buf2 after the test. */
		undo = aio_cancel(fd, &second);
		posix_aio_wait_done(&second);
		close(fd);
	}
	ASSERT_NE(EINPROGRESS, err)
		TH_LOG("glibc 2.36: still EINPROGRESS after 2 s: the request "
		       "behind the cancelled one is never run (taken back: "
		       "aio_cancel gave %s)",
		       undo == AIO_CANCELED ? "AIO_CANCELED" :
		       undo == AIO_NOTCANCELED ? "AIO_NOTCANCELED" :
		       undo == AIO_ALLDONE ? "AIO_ALLDONE" : "-1");
	EXPECT_EQ(0, err);
	EXPECT_EQ(64, aio_return(&second));
	EXPECT_TRUE(conform_check_pattern(buf2, sizeof(buf2), 64));
	close(fd);
}

TEST_HARNESS_MAIN
