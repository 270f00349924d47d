// SPDX-License-Identifier: MIT
/*
 * posix-aio/fsync: aio_fsync with O_SYNC and O_DSYNC, its argument checks,
 * the fields it ignores, and its ordering after earlier requests.
 * Sources: POSIX.1-2017 XSH aio_fsync; aio_fsync(3).
 *
 * First kernel: glibc runs the sync in a worker thread with fsync(2) or
 * fdatasync(2): since is
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * aio_fsync(3): with op O_SYNC the queued I/O is completed "as if by a call
 * of fsync(2)"; the sync request itself reports aio_error 0 and aio_return 0
 * (what fsync returns) on success (glibc 2.1+).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(o_sync_completes_with_zero)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_fsync",
			"aio_fsync(3) O_SYNC as if by fsync(2); POSIX "
			"aio_fsync() (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_SYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * aio_fsync(3): "if op is O_DSYNC, this call is the asynchronous analog of
 * fdatasync(2)"; success gives aio_error 0 and aio_return 0.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(o_dsync_completes_with_zero)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_fsync",
			"aio_fsync(3) O_DSYNC asynchronous analog of "
			"fdatasync(2); POSIX aio_fsync() (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_DSYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * POSIX aio_fsync ERRORS (shall fail): EINVAL "A value of op other than
 * O_DSYNC or O_SYNC was specified". aio_fsync(3) lists the same.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(bad_op_fails_with_einval)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_fsync",
			"POSIX aio_fsync() ERRORS EINVAL op other than "
			"O_DSYNC or O_SYNC; aio_fsync(3) (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_RDWR, &cb));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * POSIX aio_fsync ERRORS (shall fail): EBADF when aio_fildes "is not a valid
 * file descriptor"; glibc checks this before queueing, so the call fails.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(closed_fd_fails_with_ebadf)
{
	struct aiocb cb;

	CONFORM_DECLARE("2.6", "aio_fsync",
			"POSIX aio_fsync() ERRORS EBADF; aio_fsync(3) "
			"(glibc/POSIX behaviour)");
	posix_aio_prep(&cb, conform_bad_fd(), NULL, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_SYNC, &cb));
	EXPECT_EQ(EBADF, errno);
}

/*
 * aio_fsync(3): "Apart from aio_fildes, the only field ... that is used by
 * this call is the aio_sigevent field ... All other fields are ignored."
 * An aio_reqprio that aio_read would reject (-1) does not matter here.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(ignores_aio_reqprio)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_fsync",
			"aio_fsync(3): apart from aio_fildes only "
			"aio_sigevent is used (glibc/POSIX behaviour)");
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
 * POSIX aio_fsync: all I/O "queued at the time of the call to aio_fsync()"
 * on that descriptor is completed by the sync; so when the sync request has
 * completed, a write queued before it has completed too (with its count).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(completes_after_earlier_write)
{
	unsigned char wbuf[8192], rbuf[8192];
	struct aiocb wcb, scb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "aio_fsync",
			"POSIX aio_fsync(): completes all I/O queued at the "
			"time of the call (glibc/POSIX behaviour)");
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
