// SPDX-License-Identifier: MIT
/*
 * posix-aio/fsync: aio_fsync with O_SYNC and O_DSYNC, its argument checks,
 * the fields it ignores, and its ordering after earlier requests.
 * Sources: POSIX.1-2017 XSH aio_fsync; aio_fsync(3).
 *
 * First kernel: glibc runs the sync in a worker thread with fsync(2) or
 * fdatasync(2): since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION: with op O_SYNC all currently queued
 * I/O is completed as if by a call to fsync(), and the error status of the
 * sync request is reset to show success; aio_return() DESCRIPTION: the
 * return status is what fsync() returns, 0.
 * First kernel: 2.6.0 (glibc worker threads, fsync/fdatasync).
 */
TEST(o_sync_completes_with_zero)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: with op "
			"O_SYNC the queued I/O is completed as if by "
			"fsync(); the sync request ends with error status 0 "
			"and return status 0");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_SYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION: with op O_DSYNC all currently
 * queued I/O is completed as if by a call to fdatasync(); success gives
 * error status 0 and return status 0.
 * First kernel: 2.6.0 (glibc worker threads, fsync/fdatasync).
 */
TEST(o_dsync_completes_with_zero)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: with op "
			"O_DSYNC the queued I/O is completed as if by "
			"fdatasync(); the sync request ends with error "
			"status 0 and return status 0");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_DSYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() ERRORS: the call fails with EINVAL when op is a
 * value other than O_DSYNC or O_SYNC (aio_fsync(3) the same); O_RDWR is
 * such a value.
 * First kernel: 2.6.0 (glibc worker threads, fsync/fdatasync).
 */
TEST(bad_op_fails_with_einval)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: EINVAL when op is "
			"neither O_DSYNC nor O_SYNC, here O_RDWR");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_RDWR, &cb));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() ERRORS: the call fails with EBADF when
 * aio_fildes is not a valid file descriptor (all of aio_fsync()'s errors
 * are errors of the call); glibc checks the descriptor before queueing.
 * First kernel: 2.6.0 (glibc worker threads, fsync/fdatasync).
 */
TEST(closed_fd_fails_with_ebadf)
{
	struct aiocb cb;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: EBADF when "
			"aio_fildes is not a valid file descriptor, the call "
			"returning -1");
	posix_aio_prep(&cb, conform_bad_fd(), NULL, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_SYNC, &cb));
	EXPECT_EQ(EBADF, errno);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION: aio_sigevent gives the notification
 * and all the other members of the control block (besides aio_fildes) are
 * ignored; aio(7): aio_reqprio is ignored for file synchronization. An
 * aio_reqprio that aio_read would refuse (-1) does not stop the sync.
 * First kernel: 2.6.0 (glibc worker threads, fsync/fdatasync).
 */
TEST(ignores_aio_reqprio)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: apart from "
			"aio_fildes and aio_sigevent the members of the "
			"control block are ignored, so an aio_reqprio of -1 "
			"does not matter (glibc: aio_fsync(3) and aio(7) say "
			"the same)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	cb.aio_reqprio = -1;
	ASSERT_EQ(0, aio_fsync(O_SYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION: the I/O queued on the file at the
 * time of the call is forced to its completion state by the sync; so when
 * the sync request has completed, a write queued before it has completed
 * too (status 0, its count), with its data in the file.
 * First kernel: 2.6.0 (glibc worker threads, fsync/fdatasync).
 */
TEST(completes_after_earlier_write)
{
	unsigned char wbuf[8192], rbuf[8192];
	struct aiocb wcb, scb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: the sync "
			"covers the I/O on the file queued at the time of "
			"the call, so a write queued before it has completed "
			"when the sync has");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_write(&wcb));
	ASSERT_EQ(0, aio_fsync(O_SYNC, &scb));
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	EXPECT_EQ(0, aio_error(&scb));
	/* No wait on the write: it must already be complete. */
	EXPECT_EQ(0, aio_error(&wcb));
	EXPECT_EQ(8192, aio_return(&wcb));
	EXPECT_EQ(0, aio_return(&scb));
	ASSERT_EQ(8192, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	/* Leave nothing running behind if an EXPECT above failed. */
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	close(fd);
}

TEST_HARNESS_MAIN
