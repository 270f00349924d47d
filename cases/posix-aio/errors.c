// SPDX-License-Identifier: MIT
/*
 * posix-aio/errors: how aio_read and aio_write report bad arguments.
 * POSIX lets EBADF and EINVAL be detected either when the call is made
 * (call returns -1 with errno) or later (aio_error gives the errno, aio_return
 * gives -1). glibc checks only aio_reqprio before queueing; the descriptor and
 * the offset are checked by pread/pwrite in the worker thread, so those
 * errors arrive asynchronously. The glibc manual says so for aio_read:
 * EBADF and EINVAL "need not be recognized before enqueueing the request and
 * so this error might also be signaled asynchronously".
 * Sources: POSIX.1-2017 XSH aio_read, aio_write (ERRORS); aio_read(3),
 * aio_write(3); pread(2).
 *
 * First kernel: glibc's POSIX AIO runs in user threads with pread/pwrite:
 * since is
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <limits.h>

#include "conform_posix_aio.h"

/* A regular file in the private dir, opened with flags, already unlinked. */
static int open_unlinked(int flags)
{
	char path[300];
	int fd;

	conform_tmppath(path, sizeof(path), "errors-file");
	fd = open(path, O_CREAT | O_EXCL | O_CLOEXEC | flags, 0600);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/*
 * POSIX aio_read ERRORS: EBADF "aio_fildes argument is not a valid file
 * descriptor open for reading", detected synchronously or asynchronously.
 * glibc 2.36 detects it in the worker: aio_read returns 0, then aio_error
 * gives EBADF and aio_return -1. The descriptor is one that cannot be open
 * (conform_bad_fd: above RLIMIT_NOFILE).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_on_closed_fd_fails_later_with_ebadf)
{
	char buf[64];
	struct aiocb cb;

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() ERRORS EBADF, detected "
			"synchronously or asynchronously; glibc manual "
			"aio_read (glibc/POSIX behaviour)");
	posix_aio_prep(&cb, conform_bad_fd(), buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
}

/*
 * POSIX aio_read ERRORS: EBADF also when the descriptor is not open for
 * reading; glibc reports it asynchronously (pread(2) on an O_WRONLY fd).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_on_write_only_fd_fails_later_with_ebadf)
{
	char buf[64];
	struct aiocb cb;
	int fd = open_unlinked(O_WRONLY);

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() ERRORS EBADF not open for reading; "
			"pread(2) EBADF (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX aio_write ERRORS: EBADF "aio_fildes argument is not a valid file
 * descriptor open for writing"; glibc reports it asynchronously (pwrite(2)
 * on an O_RDONLY fd). The file stays empty.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(write_on_read_only_fd_fails_later_with_ebadf)
{
	char buf[64];
	struct aiocb cb;
	struct stat st;
	int fd = open_unlinked(O_RDONLY);

	CONFORM_DECLARE("2.6", "aio_write",
			"POSIX aio_write() ERRORS EBADF not open for "
			"writing; pwrite(2) EBADF (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX aio_read ERRORS: EINVAL when "the file offset value implied by
 * aio_offset would be invalid"; pread(2) rejects a negative offset with
 * EINVAL. glibc reports it asynchronously.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_with_negative_offset_fails_later_with_einval)
{
	char buf[64];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() ERRORS EINVAL invalid implied file "
			"offset; pread(2) EINVAL (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), -1);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX aio_read ERRORS: EINVAL when "aio_reqprio is not a valid value"
 * (the valid range is 0 .. AIO_PRIO_DELTA_MAX). glibc checks it before
 * queueing, so aio_read itself fails with -1/EINVAL.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_with_negative_reqprio_fails_with_einval)
{
	char buf[64];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() ERRORS EINVAL aio_reqprio is not a "
			"valid value (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	cb.aio_reqprio = -1;
	errno = 0;
	EXPECT_EQ(-1, aio_read(&cb));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * POSIX aio_write ERRORS / <limits.h>: a process may lower its priority by
 * at most AIO_PRIO_DELTA_MAX (20 in glibc); one more is not a valid
 * aio_reqprio and glibc's aio_write fails at once with -1/EINVAL.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(write_with_reqprio_above_delta_max_fails_with_einval)
{
	char buf[64];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "aio_write",
			"POSIX aio_write() ERRORS EINVAL aio_reqprio; "
			"<limits.h> AIO_PRIO_DELTA_MAX (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(AIO_PRIO_DELTA_MAX, sysconf(_SC_AIO_PRIO_DELTA_MAX));
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	cb.aio_reqprio = AIO_PRIO_DELTA_MAX + 1;
	errno = 0;
	EXPECT_EQ(-1, aio_write(&cb));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX aio_read: aio_reqprio up to AIO_PRIO_DELTA_MAX is valid; the request
 * runs normally and returns the bytes read.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_with_reqprio_at_delta_max_succeeds)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read(): aio_reqprio up to "
			"AIO_PRIO_DELTA_MAX is valid (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 1024);
	cb.aio_reqprio = AIO_PRIO_DELTA_MAX;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	close(fd);
}

TEST_HARNESS_MAIN
