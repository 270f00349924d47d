// SPDX-License-Identifier: MIT
/*
 * posix-aio/request-queue: glibc's queue of POSIX AIO requests and its
 * worker threads as the application can steer and see them: aio_init's
 * aio_threads limit (requests beyond it wait, still cancelable, until a
 * worker is free; a value below 1 means 1; a limit of 2 lets two blocked
 * requests run side by side), and aio_cancel on a descriptor with nothing
 * queued, which leaves other descriptors' requests alone.
 * Sources: aio_init(3) (GNU extension, glibc 2.1; "to be effective, it must
 * be called before employing any other functions in the POSIX AIO API");
 * POSIX.1-2017 XSH aio_cancel; aio_cancel(3).
 *
 * Each TEST runs in a fresh child of a process that made no AIO call, so
 * aio_init comes first there. Requests block on empty pipes; a request that
 * must not have run is shown by a bounded aio_suspend running out (EAGAIN).
 * Only threads and pipes are asked of the kernel: since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/* aio_init with aio_threads = threads, the other fields at their defaults. */
static void init_threads(int threads)
{
	struct aioinit init;

	memset(&init, 0, sizeof(init));
	init.aio_threads = threads;
	init.aio_num = 64;
	init.aio_idle_time = 1;
	aio_init(&init);
}

/* True when cb is still in progress after a 50 ms aio_suspend ran out. */
static bool still_in_progress(const struct aiocb *cb)
{
	const struct aiocb *list[1] = { cb };
	struct timespec brief = { 0, 50 * 1000 * 1000 };

	return aio_suspend(list, 1, &brief) == -1 && errno == EAGAIN &&
	       aio_error(cb) == EINPROGRESS;
}

/*
 * Open pipes p1 and p2, write preload (if not NULL) into p2, then aio_read
 * p1 into b1 and p2 into b2 (len bytes each), in that order.
 */
static void start_reads_of_two_pipes(struct __test_metadata *_metadata,
				     int p1[2], struct aiocb *cb1, unsigned char *b1,
				     int p2[2], struct aiocb *cb2, unsigned char *b2,
				     size_t len, const char *preload)
{
	ASSERT_EQ(0, conform_pipe(p1));
	ASSERT_EQ(0, conform_pipe(p2));
	if (preload)
		ASSERT_EQ((ssize_t)strlen(preload),
			  write(p2[1], preload, strlen(preload)));
	posix_aio_prep(cb1, p1[0], b1, len, 0);
	posix_aio_prep(cb2, p2[0], b2, len, 0);
	ASSERT_EQ(0, aio_read(cb1));
	ASSERT_EQ(0, aio_read(cb2));
}

/* Close both ends of two pipes. */
static void close_two_pipes(int p1[2], int p2[2])
{
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

/*
 * glibc aio_init(3) DESCRIPTION: (GNU extension) aio_threads is the maximum
 * number of worker threads; when more operations are outstanding, the
 * excess ones are queued until a worker thread becomes free. With one
 * thread, held by a read of an empty pipe, a read of a pipe that holds data
 * waits; it runs, with its data, once the first request is done.
 * First kernel: 2.6.0 (glibc worker threads, read on pipes).
 */
TEST(request_beyond_thread_limit_waits_for_a_free_worker)
{
	unsigned char b1[8], b2[8];
	struct aiocb cb1, cb2;
	int p1[2], p2[2];

	CONFORM_DECLARE("2.6.0", "aio_init",
			"glibc aio_init(3) DESCRIPTION: aio_threads bounds "
			"the worker threads; a request beyond them is queued "
			"until a worker becomes free");
	init_threads(1);
	start_reads_of_two_pipes(_metadata, p1, &cb1, b1, p2, &cb2, b2,
				 sizeof(b1), "two");
	EXPECT_TRUE(still_in_progress(&cb2));
	ASSERT_EQ(3, write(p1[1], "one", 3));
	ASSERT_EQ(0, posix_aio_wait_done(&cb1));
	EXPECT_EQ(3, aio_return(&cb1));
	ASSERT_EQ(0, posix_aio_wait_done(&cb2));
	EXPECT_EQ(0, aio_error(&cb2));
	EXPECT_EQ(3, aio_return(&cb2));
	EXPECT_EQ(0, memcmp(b2, "two", 3));
	close_two_pipes(p1, p2);
}

/*
 * glibc aio_init(3) DESCRIPTION: an aio_threads value less than 1 is taken
 * as 1. With 0, a second request on another pipe waits behind a blocked
 * first one exactly as with 1.
 * First kernel: 2.6.0 (glibc worker threads, read on pipes).
 */
TEST(thread_limit_below_one_means_one)
{
	unsigned char b1[8], b2[8];
	struct aiocb cb1, cb2;
	int p1[2], p2[2];

	CONFORM_DECLARE("2.6.0", "aio_init",
			"glibc aio_init(3) DESCRIPTION: an aio_threads value "
			"below 1 is taken as 1");
	init_threads(0);
	start_reads_of_two_pipes(_metadata, p1, &cb1, b1, p2, &cb2, b2,
				 sizeof(b1), "2");
	EXPECT_TRUE(still_in_progress(&cb2));
	ASSERT_EQ(1, write(p1[1], "1", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&cb1));
	ASSERT_EQ(0, posix_aio_wait_done(&cb2));
	EXPECT_EQ(1, aio_return(&cb1));
	EXPECT_EQ(1, aio_return(&cb2));
	close_two_pipes(p1, p2);
}

/*
 * glibc aio_init(3) DESCRIPTION: aio_threads is a maximum, not a single
 * worker: with 2, two reads of two empty pipes both run (each blocked in
 * its own worker), so the second completes as soon as its pipe is written
 * while the first is still in progress.
 * First kernel: 2.6.0 (glibc worker threads, read on pipes).
 */
TEST(two_threads_run_two_blocked_requests_side_by_side)
{
	unsigned char b1[8], b2[8];
	struct aiocb cb1, cb2;
	int p1[2], p2[2];

	CONFORM_DECLARE("2.6.0", "aio_init",
			"glibc aio_init(3) DESCRIPTION: aio_threads is the "
			"maximum number of worker threads, so with 2 two "
			"blocked requests run at the same time");
	init_threads(2);
	start_reads_of_two_pipes(_metadata, p1, &cb1, b1, p2, &cb2, b2,
				 sizeof(b1), NULL);
	ASSERT_EQ(2, write(p2[1], "b2", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&cb2));
	EXPECT_EQ(2, aio_return(&cb2));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb1));
	ASSERT_EQ(2, write(p1[1], "b1", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&cb1));
	EXPECT_EQ(2, aio_return(&cb1));
	close_two_pipes(p1, p2);
}

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_CANCELED when the request was
 * canceled; DESCRIPTION: it gets ECANCELED and -1. glibc aio_init(3): a
 * request beyond the thread limit is only queued, not started, so it is
 * canceled although it is alone on its descriptor.
 * First kernel: 2.6.0 (glibc worker threads, read on pipes).
 */
TEST(request_queued_behind_thread_limit_is_canceled)
{
	unsigned char b1[8], b2[8];
	struct aiocb cb1, cb2;
	int p1[2], p2[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: "
			"AIO_CANCELED for a request that was canceled, its "
			"status then ECANCELED and -1 (glibc: aio_init(3), a "
			"request beyond aio_threads waits in the queue, not "
			"started)");
	init_threads(1);
	start_reads_of_two_pipes(_metadata, p1, &cb1, b1, p2, &cb2, b2,
				 sizeof(b1), NULL);
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p2[0], &cb2));
	EXPECT_EQ(ECANCELED, aio_error(&cb2));
	EXPECT_EQ(-1, aio_return(&cb2));
	ASSERT_EQ(1, write(p1[1], "x", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&cb1));
	EXPECT_EQ(1, aio_return(&cb1));
	close_two_pipes(p1, p2);
}

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE when all of the
 * operations have already completed. On a valid descriptor that never had a
 * request there is nothing left to cancel, a case POSIX does not name;
 * glibc (manual, Cancel AIO Operations: AIO_ALLDONE when every request has
 * terminated) returns AIO_ALLDONE for both ends of a pipe.
 * First kernel: 2.6.0 (glibc worker threads, read on pipes).
 */
TEST(cancel_on_fd_with_nothing_queued_gets_alldone)
{
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "
			"when all operations on fildes have already "
			"completed, here none was ever queued (glibc: manual "
			"Cancel AIO Operations, AIO_ALLDONE when all "
			"requests have terminated)");
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(p[0], NULL));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(p[1], NULL));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION: the call cancels requests
 * outstanding against fildes only: on another descriptor, with nothing
 * queued, it gets AIO_ALLDONE and a request pending on the first pipe stays
 * in progress and later completes normally.
 * First kernel: 2.6.0 (glibc worker threads, read on pipes).
 */
TEST(cancel_on_idle_fd_leaves_other_fds_requests_alone)
{
	unsigned char buf[8];
	struct aiocb cb;
	int p[2], q[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: only "
			"requests outstanding against fildes are canceled; a "
			"request on another descriptor runs on and completes "
			"normally");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(q[0], NULL));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(4, aio_return(&cb));
	close_two_pipes(p, q);
}

TEST_HARNESS_MAIN
