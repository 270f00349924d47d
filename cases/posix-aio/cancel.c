// SPDX-License-Identifier: MIT
/*
 * posix-aio/cancel: aio_cancel results for a request a worker is running,
 * one still queued, one already finished, all requests of a descriptor, and
 * a bad descriptor.
 * Sources: POSIX.1-2017 XSH aio_cancel; aio_cancel(3); DESIGN.md section 7.
 *
 * How the states are forced (glibc 2.36, without sleeps): glibc keeps one
 * queue per descriptor and one worker thread per busy descriptor. Each TEST
 * runs in a fresh child process with no AIO threads yet, so its first
 * aio_read gets a new worker at once; on an empty pipe that read stays
 * "in progress" in the worker. A second request on the same pipe waits in the
 * queue behind it. At the end each test writes to the pipe so that every
 * remaining read completes, and waits for it.
 *
 * First kernel: glibc runs POSIX AIO in user threads with pread/read, so
 * no newer kernel feature is involved: since is
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX aio_cancel: AIO_NOTCANCELED when a request "cannot be canceled
 * because it is in progress"; aio_cancel(3): its control block is not
 * changed, aio_error stays EINPROGRESS, and it later "terminate[s] in the
 * usual way". glibc cannot cancel a request its worker has started.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(running_request_gets_notcanceled)
{
	unsigned char rbuf[16], wbuf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_cancel",
			"POSIX aio_cancel(): AIO_NOTCANCELED for a request "
			"in progress; aio_cancel(3) (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], rbuf, sizeof(rbuf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], &cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	/* Let it finish the usual way. */
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(16, write(p[1], wbuf, sizeof(wbuf)));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel: AIO_CANCELED when the requested operation was canceled;
 * its error status becomes ECANCELED and its return status -1. A request
 * queued behind a running one on the same descriptor has not started.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(queued_request_gets_canceled_with_ecanceled)
{
	unsigned char buf1[16], buf2[16], wbuf[16] = { 0 };
	struct aiocb cb1, cb2;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_cancel",
			"POSIX aio_cancel(): AIO_CANCELED, error status "
			"ECANCELED, return status -1 (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb1, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&cb2, p[0], buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&cb1));
	ASSERT_EQ(0, aio_read(&cb2));
	EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &cb2));
	EXPECT_EQ(ECANCELED, aio_error(&cb2));
	EXPECT_EQ(-1, aio_return(&cb2));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb1));
	ASSERT_EQ(16, write(p[1], wbuf, sizeof(wbuf)));
	ASSERT_EQ(0, posix_aio_wait_done(&cb1));
	EXPECT_EQ(16, aio_return(&cb1));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel: with aiocbp NULL "all outstanding cancelable
 * asynchronous I/O operations against fildes shall be canceled", and the
 * result is AIO_NOTCANCELED if at least one could not be. The queued one
 * gets ECANCELED, the running one stays EINPROGRESS.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(cancel_all_cancels_queued_and_reports_notcanceled)
{
	unsigned char buf1[16], buf2[16], buf3[16], wbuf[16] = { 0 };
	struct aiocb cb1, cb2, cb3;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_cancel",
			"POSIX aio_cancel(): aiocbp NULL cancels all "
			"cancelable requests on fildes, AIO_NOTCANCELED if "
			"one could not be (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb1, p[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&cb2, p[0], buf2, sizeof(buf2), 0);
	posix_aio_prep(&cb3, p[0], buf3, sizeof(buf3), 0);
	ASSERT_EQ(0, aio_read(&cb1));
	ASSERT_EQ(0, aio_read(&cb2));
	ASSERT_EQ(0, aio_read(&cb3));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(p[0], NULL));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb1));
	EXPECT_EQ(ECANCELED, aio_error(&cb2));
	EXPECT_EQ(ECANCELED, aio_error(&cb3));
	EXPECT_EQ(-1, aio_return(&cb2));
	EXPECT_EQ(-1, aio_return(&cb3));
	ASSERT_EQ(16, write(p[1], wbuf, sizeof(wbuf)));
	ASSERT_EQ(0, posix_aio_wait_done(&cb1));
	EXPECT_EQ(16, aio_return(&cb1));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel: AIO_ALLDONE "if all of the operations have already
 * completed"; the finished request keeps its own status (0, byte count).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(finished_request_gets_alldone)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_cancel",
			"POSIX aio_cancel(): AIO_ALLDONE when all operations "
			"have already completed (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(fd, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	close(fd);
}

/*
 * POSIX aio_cancel: with aiocbp NULL and every request on the descriptor
 * finished, the result is AIO_ALLDONE (nothing was left to cancel).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(cancel_all_after_completion_gets_alldone)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_cancel",
			"POSIX aio_cancel(): aiocbp NULL, AIO_ALLDONE when "
			"all operations have completed (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 512);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(fd, NULL));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	close(fd);
}

/*
 * POSIX aio_cancel ERRORS (shall fail): EBADF "The fildes argument is not a
 * valid file descriptor"; aio_cancel(3) the same. glibc checks the
 * descriptor before it looks at any queue, so the call itself fails.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(bad_fd_fails_with_ebadf)
{
	CONFORM_DECLARE("2.6", "aio_cancel",
			"POSIX aio_cancel() ERRORS EBADF; aio_cancel(3) "
			"EBADF (glibc/POSIX behaviour)");
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(conform_bad_fd(), NULL));
	EXPECT_EQ(EBADF, errno);
}

TEST_HARNESS_MAIN
