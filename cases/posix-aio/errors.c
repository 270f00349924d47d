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
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
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
 * POSIX.1-2017 aio_read() ERRORS: EBADF when aio_fildes is not a valid file
 * descriptor open for reading, detected either at the call (-1 and errno)
 * or asynchronously (error status EBADF, return status -1). The glibc
 * manual (Asynchronous Reads/Writes) says the condition need not be
 * recognized before the request is enqueued; glibc 2.36 detects it in the
 * worker: aio_read returns 0, then aio_error gives EBADF and aio_return -1.
 * The descriptor is one that cannot be open (conform_bad_fd: above
 * RLIMIT_NOFILE).
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_on_closed_fd_fails_later_with_ebadf)
{
	char buf[64];
	struct aiocb cb;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EBADF for an "
			"aio_fildes that is not a valid descriptor open for "
			"reading, found at the call or later as error status "
			"EBADF with return status -1 (glibc: manual "
			"Asynchronous Reads/Writes, the error need not be "
			"recognized before enqueueing; glibc 2.36 finds it "
			"in the worker)");
	posix_aio_prep(&cb, conform_bad_fd(), buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EBADF also when aio_fildes is valid but
 * not open for reading; glibc 2.36 reports it asynchronously (its pread on
 * the O_WRONLY descriptor fails): aio_error EBADF, aio_return -1 (glibc
 * manual, Asynchronous Reads/Writes: may be signaled asynchronously).
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_on_write_only_fd_fails_later_with_ebadf)
{
	char buf[64];
	struct aiocb cb;
	int fd = open_unlinked(O_WRONLY);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EBADF for a "
			"descriptor not open for reading, here reported "
			"asynchronously as error status EBADF with return "
			"status -1 (glibc: manual Asynchronous Reads/Writes, "
			"the error need not be recognized before enqueueing; "
			"glibc 2.36 finds it in the worker)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EBADF when aio_fildes is not a valid
 * file descriptor open for writing, detected at the call or asynchronously;
 * glibc 2.36 reports it asynchronously (its pwrite on the O_RDONLY
 * descriptor fails): aio_error EBADF, aio_return -1, and the file stays
 * empty.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(write_on_read_only_fd_fails_later_with_ebadf)
{
	char buf[64];
	struct aiocb cb;
	struct stat st;
	int fd = open_unlinked(O_RDONLY);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EBADF for a "
			"descriptor not open for writing, here reported "
			"asynchronously as error status EBADF with return "
			"status -1, nothing written (glibc: manual "
			"Asynchronous Reads/Writes, the error need not be "
			"recognized before enqueueing; glibc 2.36 finds it "
			"in the worker)");
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
 * POSIX.1-2017 aio_read() ERRORS: EINVAL when the file offset implied by
 * aio_offset would be invalid, detected at the call or asynchronously. An
 * aio_offset of -1 is one (pread(2) EINVAL for a negative offset); glibc
 * 2.36 reports it asynchronously: aio_error EINVAL, aio_return -1.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_with_negative_offset_fails_later_with_einval)
{
	char buf[64];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL when the "
			"file offset implied by aio_offset would be invalid, "
			"here -1, reported as error status EINVAL with "
			"return status -1 (glibc: manual Asynchronous "
			"Reads/Writes, the error need not be recognized "
			"before enqueueing; glibc 2.36 finds it in the "
			"worker)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), -1);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EINVAL when aio_reqprio is not a valid
 * value. aio(7) ERRORS: EINVAL for an aio_reqprio less than 0 or above
 * sysconf(_SC_AIO_PRIO_DELTA_MAX). glibc checks it before queueing, so
 * aio_read itself returns -1 with errno EINVAL.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_with_negative_reqprio_fails_with_einval)
{
	char buf[64];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL when "
			"aio_reqprio is not a valid value, here -1 (glibc: "
			"aio(7) ERRORS, aio_reqprio below 0 is EINVAL; glibc "
			"checks it before queueing, so the call itself "
			"fails)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	cb.aio_reqprio = -1;
	errno = 0;
	EXPECT_EQ(-1, aio_read(&cb));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EINVAL when aio_reqprio is not a valid
 * value. aio(7): aio_reqprio must lie between 0 and
 * sysconf(_SC_AIO_PRIO_DELTA_MAX), which is AIO_PRIO_DELTA_MAX (20 in
 * glibc); one more is refused at once (-1, EINVAL) and the file stays
 * empty.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(write_with_reqprio_above_delta_max_fails_with_einval)
{
	char buf[64];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EINVAL when "
			"aio_reqprio is not a valid value, here "
			"AIO_PRIO_DELTA_MAX + 1; nothing is written (glibc: "
			"aio(7) ERRORS, the limit is "
			"sysconf(_SC_AIO_PRIO_DELTA_MAX), checked before "
			"queueing)");
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
 * POSIX.1-2017 aio_read() DESCRIPTION: with prioritized I/O the request is
 * submitted at the base scheduling priority minus aio_reqprio, and it reads
 * aio_nbytes at aio_offset. aio(7) allows aio_reqprio up to
 * sysconf(_SC_AIO_PRIO_DELTA_MAX): at AIO_PRIO_DELTA_MAX the read runs
 * normally and returns its 512 bytes.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_with_reqprio_at_delta_max_succeeds)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: the read is "
			"submitted at the base priority minus aio_reqprio "
			"and reads aio_nbytes from aio_offset (glibc: "
			"aio(7), any aio_reqprio from 0 to "
			"sysconf(_SC_AIO_PRIO_DELTA_MAX) is valid)");
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
