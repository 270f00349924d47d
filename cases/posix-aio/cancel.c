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
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_NOTCANCELED when at least one
 * requested operation cannot be canceled because it is in progress;
 * DESCRIPTION: such a request goes through the normal completion process.
 * Which requests are cancelable is implementation-defined: glibc's manual
 * (Cancel AIO Operations) says a request that cannot be canceled terminates
 * the usual way and keeps status EINPROGRESS meanwhile. A read a worker is
 * running on an empty pipe is such a request: AIO_NOTCANCELED, EINPROGRESS,
 * then its 16 bytes once the pipe is written.
 * First kernel: 2.6.0 (glibc worker threads, pread/read).
 */
TEST(running_request_gets_notcanceled)
{
	unsigned char rbuf[16], wbuf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: "
			"AIO_NOTCANCELED when a requested operation is in "
			"progress and cannot be canceled; it then completes "
			"the usual way (glibc: manual Cancel AIO Operations, "
			"a request not canceled runs on with status "
			"EINPROGRESS)");
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
 * POSIX.1-2017 aio_cancel() DESCRIPTION: an operation that is canceled gets
 * error status ECANCELED and return status -1; RETURN VALUE: AIO_CANCELED.
 * Which operations are cancelable is implementation-defined (glibc manual,
 * Cancel AIO Operations: the implementation decides). glibc runs one
 * request per descriptor at a time, so a read queued behind a running read
 * of the same pipe has not started and is canceled; the running one is left
 * alone.
 * First kernel: 2.6.0 (glibc worker threads, pread/read).
 */
TEST(queued_request_gets_canceled_with_ecanceled)
{
	unsigned char buf1[16], buf2[16], wbuf[16] = { 0 };
	struct aiocb cb1, cb2;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a canceled "
			"operation gets error status ECANCELED and return "
			"status -1, and the call returns AIO_CANCELED "
			"(glibc: manual Cancel AIO Operations leaves "
			"cancelability to the implementation; glibc cancels "
			"a request not yet started)");
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
 * POSIX.1-2017 aio_cancel() DESCRIPTION: with aiocbp NULL all the
 * outstanding cancelable requests on fildes are canceled; RETURN VALUE:
 * AIO_NOTCANCELED when at least one of them could not be. Of three reads of
 * one pipe, the two queued ones get ECANCELED and -1, the running one stays
 * EINPROGRESS (glibc manual, Cancel AIO Operations) and completes later.
 * First kernel: 2.6.0 (glibc worker threads, pread/read).
 */
TEST(cancel_all_cancels_queued_and_reports_notcanceled)
{
	unsigned char buf1[16], buf2[16], buf3[16], wbuf[16] = { 0 };
	struct aiocb cb1, cb2, cb3;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: with aiocbp "
			"NULL every cancelable request outstanding on fildes "
			"is canceled; RETURN VALUE AIO_NOTCANCELED as one "
			"could not be (glibc: manual Cancel AIO Operations, "
			"the running request stays EINPROGRESS)");
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
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE when all the
 * requested operations have already completed; DESCRIPTION: an operation
 * not canceled is not modified. A finished file read gets AIO_ALLDONE and
 * keeps status 0 and its count of 512.
 * First kernel: 2.6.0 (glibc worker threads, pread/read).
 */
TEST(finished_request_gets_alldone)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "
			"when the requested operation has already completed; "
			"its own status is left as it was");
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
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE when all the
 * operations have already completed, here all those of the descriptor
 * (aiocbp NULL) after its only read finished; that read keeps status 0 and
 * its count.
 * First kernel: 2.6.0 (glibc worker threads, pread/read).
 */
TEST(cancel_all_after_completion_gets_alldone)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: with aiocbp "
			"NULL, AIO_ALLDONE when every operation on fildes "
			"has already completed");
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
 * POSIX.1-2017 aio_cancel() ERRORS: the call fails with EBADF when fildes
 * is not a valid file descriptor (RETURN VALUE: -1 and errno). The
 * descriptor is one that cannot be open (conform_bad_fd: above
 * RLIMIT_NOFILE), with aiocbp NULL.
 * First kernel: 2.6.0 (glibc checks the descriptor with fcntl).
 */
TEST(bad_fd_fails_with_ebadf)
{
	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() ERRORS: EBADF when fildes "
			"is not a valid file descriptor, the call returning "
			"-1");
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(conform_bad_fd(), NULL));
	EXPECT_EQ(EBADF, errno);
}

TEST_HARNESS_MAIN
