// SPDX-License-Identifier: MIT
/*
 * posix-aio/error-return: the aio_error/aio_return protocol beyond the
 * plain success and failure paths of posix-aio/read-write and errors: the
 * status of a request queued but not started, aio_return before it starts,
 * the errno of a failed read or write as the error status, aio_return and
 * aio_error called again after the result was taken, a control block never
 * submitted, and a control block used for a second request.
 * Sources: POSIX.1-2017 XSH aio_error() DESCRIPTION, RETURN VALUE, ERRORS;
 * aio_return() DESCRIPTION, RETURN VALUE, ERRORS; aio_error(3),
 * aio_return(3); read(2), write(2).
 *
 * Where POSIX leaves the result open ("undefined", "an error may be
 * returned"), the TEST asserts what glibc 2.36 does and says so: glibc's
 * aio_error and aio_return only read the status fields of the control
 * block (__error_code, __return_value), which aio_read/aio_write set to
 * EINPROGRESS and 0 when they queue the request; the worker sets the
 * return field when its call returns (on a pipe or socket first to pread's
 * -1, before it retries with read) and the error field when the request
 * completes.
 *
 * First kernel: glibc runs POSIX AIO in its own threads (pread/pwrite):
 * since is 2.6.0 in every declaration; a static glibc 2.36 binary itself
 * needs 3.2 to start.
 */
#include <aio.h>
#include <signal.h>
#include <sys/resource.h>

#include "conform_posix_aio.h"

/*
 * POSIX.1-2017 aio_error() RETURN VALUE: "If the asynchronous I/O operation
 * has not yet completed, then [EINPROGRESS] shall be returned" - also for
 * one that has not started. glibc runs one request at a time per
 * descriptor: a write on a socket queued behind a read of the same socket
 * that waits for data stays EINPROGRESS (though the write alone could
 * complete at once), and completes, with status 0 and its count, after the
 * read.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read/write in threads).
 */
TEST(queued_request_is_einprogress_before_it_starts)
{
	unsigned char rbuf[8], peer[16];
	struct aiocb rcb, wcb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() RETURN VALUE: EINPROGRESS "
			"while the operation has not completed, also before "
			"it has started; then 0, with its count");
	ASSERT_EQ(0, conform_socketpair(sv));
	posix_aio_prep(&rcb, sv[0], rbuf, sizeof(rbuf), 0);
	posix_aio_prep(&wcb, sv[0], "queued", 6, 0);
	ASSERT_EQ(0, aio_read(&rcb));
	ASSERT_EQ(0, aio_write(&wcb));
	EXPECT_TRUE(posix_aio_still_in_progress(&wcb));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	ASSERT_EQ(1, write(sv[1], "x", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&rcb));
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	EXPECT_EQ(0, aio_error(&wcb));
	EXPECT_EQ(6, aio_return(&wcb));
	EXPECT_EQ(1, aio_return(&rcb));
	ASSERT_EQ(6, recv(sv[1], peer, sizeof(peer), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(peer, "queued", 6));
	close(sv[0]);
	close(sv[1]);
}

/*
 * POSIX.1-2017 aio_return() DESCRIPTION: "If the error status for the
 * operation is equal to [EINPROGRESS], then the return status for the
 * operation is undefined." glibc gives the value it stored when it queued
 * the request, 0, as long as no worker has taken the request up: here a
 * read of a socket queued behind another read of it that waits for data.
 * The call does not disturb the request: once data comes, the queued read
 * returns its own byte count. (A request a worker has started on a pipe or
 * socket may show -1 meanwhile: glibc stores pread's ESPIPE result before
 * it retries with read, so only the queued state is asserted.)
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(return_while_queued_gives_zero_then_the_count)
{
	unsigned char buf1[5], buf2[5];
	struct aiocb running, queued;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is undefined while the error status is "
			"EINPROGRESS (glibc: aio_return(3) calls it "
			"undefined too; glibc 2.36 gives 0 for a request "
			"still queued, then the real count)");
	ASSERT_EQ(0, conform_socketpair(sv));
	posix_aio_prep(&running, sv[0], buf1, sizeof(buf1), 0);
	posix_aio_prep(&queued, sv[0], buf2, sizeof(buf2), 0);
	ASSERT_EQ(0, aio_read(&running));
	ASSERT_EQ(0, aio_read(&queued));
	ASSERT_EQ(EINPROGRESS, aio_error(&queued));
	EXPECT_EQ(0, aio_return(&queued));
	ASSERT_EQ(10, write(sv[1], "readyagain", 10));
	ASSERT_EQ(0, posix_aio_wait_done(&running));
	ASSERT_EQ(0, posix_aio_wait_done(&queued));
	EXPECT_EQ(5, aio_return(&running));
	EXPECT_EQ(0, aio_error(&queued));
	EXPECT_EQ(5, aio_return(&queued));
	EXPECT_EQ(0, memcmp(buf1, "ready", 5));
	EXPECT_EQ(0, memcmp(buf2, "again", 5));
	close(sv[0]);
	close(sv[1]);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: "The error status for an
 * asynchronous I/O operation is the errno value that would be set by the
 * corresponding read()"; aio_return() gives what read() returns, -1.
 * read(2) of a directory fails with EISDIR: so does the request.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(failed_read_status_is_the_read_errno_eisdir)
{
	unsigned char buf[64];
	struct aiocb cb;
	int dfd = open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the error "
			"status is the errno read() would set, EISDIR for a "
			"directory, and the return status is -1");
	ASSERT_LE(0, dfd);
	posix_aio_prep(&cb, dfd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EISDIR, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(dfd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno "that would be set by the
 * corresponding ... write()"; write(2) EFBIG: "An attempt was made to write
 * a file that exceeds the ... file size limit of the process" (with SIGXFSZ
 * ignored). With RLIMIT_FSIZE 4096 (set in the test child), a write at
 * offset 4096 fails with status EFBIG and return -1, and the file does not
 * grow.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(failed_write_status_is_the_write_errno_efbig)
{
	const struct rlimit lim = { 4096, 4096 };
	unsigned char buf[100] = { 0 };
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the error "
			"status is the errno write() would set, EFBIG past "
			"RLIMIT_FSIZE, with return status -1 and no growth "
			"of the file");
	ASSERT_LE(0, fd);
	ASSERT_NE(SIG_ERR, signal(SIGXFSZ, SIG_IGN));
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 4096);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EFBIG, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_return() DESCRIPTION: it "may be called exactly once to
 * retrieve the return status ...; thereafter, if the same aiocb structure
 * is used in a call to aio_return() or aio_error(), an error may be
 * returned" (ERRORS: EINVAL "may fail"). glibc keeps the status: a second
 * aio_return gives the byte count again, with no error.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(second_return_gives_the_same_count)
{
	unsigned char buf[300];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() DESCRIPTION: it is meant "
			"to be called once; a later call may return an error "
			"(glibc: aio_return(3) ERRORS lists EINVAL for it, "
			"yet glibc 2.36 returns the count again)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 10);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(300, aio_return(&cb));
	errno = 0;
	EXPECT_EQ(300, aio_return(&cb));
	EXPECT_EQ(0, errno);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() ERRORS: EINVAL "may fail" when aiocbp does not
 * refer to an operation "whose return status has not yet been retrieved".
 * glibc does not fail: after aio_return took the result of a failed
 * request, aio_error still gives its errno (EBADF, a read of a write-only
 * descriptor).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(error_after_return_still_gives_the_status)
{
	unsigned char buf[16];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0), wo;

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() ERRORS: EINVAL may be "
			"returned once the return status was retrieved "
			"(glibc: aio_error(3) ERRORS lists that EINVAL, yet "
			"glibc 2.36 still gives the status, EBADF)");
	ASSERT_LE(0, fd);
	wo = conform_reopen(fd, O_WRONLY);
	if (wo < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file write-only through /proc/self/fd (no /proc?)");
	}
	posix_aio_prep(&cb, wo, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	errno = 0;
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(0, errno);
	close(wo);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION (aio_return() likewise): "If the aiocb
 * structure pointed to by aiocbp is not associated with an operation that
 * has been scheduled, the results are undefined" (ERRORS: EINVAL "may
 * fail"). glibc reads the zeroed status fields of a control block never
 * submitted: aio_error 0 and aio_return 0, errno untouched, no EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(never_submitted_control_block_reads_as_zero)
{
	unsigned char buf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the result is "
			"undefined for a control block not associated with a "
			"scheduled operation (glibc: aio_error(3) lists "
			"EINVAL, yet glibc 2.36 reads a zeroed block as "
			"status 0 and return 0)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	errno = 0;
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	EXPECT_EQ(0, errno);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_return() DESCRIPTION: "When the aiocb structure referred
 * to by aiocbp is used to submit another asynchronous operation, then
 * aio_return() may be successfully used to retrieve the return status of
 * that operation." The block of a file read that returned 4096 is used
 * again for a read of an empty pipe: its status is EINPROGRESS again until
 * data comes, then 0, and aio_return gives the new count (3).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(reused_control_block_reports_the_new_request)
{
	unsigned char buf[4096];
	struct aiocb cb;
	int p[2], fd = conform_temp_file(8192, 0);

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() DESCRIPTION: once the "
			"control block is used to submit another operation, "
			"aio_return() gives that operation's return status");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 4096);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(4096, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	cb.aio_fildes = p[0];
	cb.aio_offset = 0;
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(3, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	close(p[0]);
	close(p[1]);
	close(fd);
}

TEST_HARNESS_MAIN
