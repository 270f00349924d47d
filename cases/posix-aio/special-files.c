// SPDX-License-Identifier: MIT
/*
 * posix-aio/special-files: aio_read and aio_write on descriptors that are
 * not plain files of a disk filesystem: the character devices /dev/zero
 * (reads give zeros), /dev/null (reads give end of file, writes take
 * everything) and /dev/full (writes fail with ENOSPC); a memfd (a file
 * like any other, and its seals: F_SEAL_WRITE refuses every write and
 * F_SEAL_GROW a write past the end, with EPERM); and an O_PATH descriptor,
 * which is open for neither reading nor writing (EBADF). Reads of a
 * directory (EISDIR) are in posix-aio/error-return; eventfd and timerfd
 * are in posix-aio/counter-fds.
 * Sources: POSIX.1-2017 XSH aio_read() and aio_write() DESCRIPTION (read
 * and write as read() and write() would on the descriptor) and ERRORS
 * (EBADF not open for reading or writing; other errors as for read() and
 * write(), through aio_error), aio_error() DESCRIPTION; null(4), zero(4),
 * full(4) (writes fail with ENOSPC); memfd_create(2),
 * fcntl(2) "File seals" (F_SEAL_WRITE, F_SEAL_GROW), write(2) EPERM;
 * open(2) O_PATH (read(2) and write(2) fail with EBADF).
 *
 * glibc 2.36 runs each request in a worker thread with pread/pwrite (read/
 * write when the descriptor cannot seek): the outcome is what those calls
 * give. First kernel: 2.6.0 for the device files (nothing newer is asked
 * of the kernel), 3.17 for memfd_create and its seals, 2.6.39 for O_PATH;
 * a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <sys/mman.h>

#include "conform_posix_aio.h"

/*
 * Open the device path with flags, or SKIP: a guest or container without
 * the node is an environment without it.
 */
#define OPEN_DEVICE_OR_SKIP(fd, path, flags)                                   \
	do {                                                                   \
		(fd) = open((path), (flags) | O_CLOEXEC);                      \
		if ((fd) < 0)                                                  \
			SKIP(return, CONFORM_ENV "cannot open %s: %s", (path), \
			     strerror(errno));                                 \
	} while (0)

/* Run op on cb to completion: 0, or -1 when the call itself failed. */
static int run_to_completion(int (*op)(struct aiocb *), struct aiocb *cb)
{
	if (op(cb) < 0)
		return -1;
	return posix_aio_wait_done(cb);
}

/* The index of the first of len bytes at buf that is not val, or len. */
static size_t first_byte_not(const unsigned char *buf, size_t len, int val)
{
	size_t i = 0;

	while (i < len && buf[i] == val)
		i++;
	return i;
}

/*
 * A memfd with MFD_ALLOW_SEALING and size bytes of the test pattern, or -1
 * with *why set: memfd_create missing (ENOSYS: before 3.17) is the
 * kernel's lack, anything else this environment's.
 */
static int sealable_memfd(size_t size, const char **why)
{
	int fd = memfd_create("aioconf-posix-aio", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	*why = NULL;
	if (fd < 0) {
		*why = errno == ENOSYS
			? "memfd_create: ENOSYS (not in this kernel: since 3.17)"
			: CONFORM_ENV "memfd_create failed (refused here)";
		return -1;
	}
	if (conform_write_pattern(fd, size) < 0) {
		close(fd);
		*why = CONFORM_ENV "cannot fill the memfd";
		return -1;
	}
	return fd;
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: reads aio_nbytes as read() would;
 * zero(4): reads from /dev/zero always return zero bytes. An aio_read of
 * 4096 bytes at aio_offset 12345 (the device ignores it) completes with
 * 4096 and a buffer of zeros.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_of_dev_zero_fills_the_buffer_with_zeros)
{
	unsigned char buf[4096];
	struct aiocb cb;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes read "
			"as read() would from the device (glibc: pread(2); "
			"zero(4) reads give zero bytes)");
	OPEN_DEVICE_OR_SKIP(fd, "/dev/zero", O_RDONLY);
	memset(buf, 0xa5, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 12345);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(4096, aio_return(&cb));
	EXPECT_EQ(sizeof(buf), first_byte_not(buf, sizeof(buf), 0));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: as read() would; null(4): reads from
 * /dev/null always return end of file. An aio_read of /dev/null completes
 * with status 0 and return 0, the buffer untouched.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_of_dev_null_returns_end_of_file)
{
	unsigned char buf[256];
	struct aiocb cb;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes read "
			"as read() would from the device (glibc: pread(2); "
			"null(4) reads return end of file)");
	OPEN_DEVICE_OR_SKIP(fd, "/dev/null", O_RDONLY);
	memset(buf, 0xa5, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	EXPECT_EQ(sizeof(buf), first_byte_not(buf, sizeof(buf), 0xa5));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: writes aio_nbytes as write() would;
 * null(4): data written to /dev/null is discarded and the write succeeds.
 * An aio_write of 100000 bytes to /dev/null completes with 100000.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_to_dev_null_takes_every_byte)
{
	static unsigned char buf[100000];
	struct aiocb cb;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: aio_nbytes "
			"written as write() would to the device (glibc: "
			"pwrite(2); null(4) discards what is written)");
	OPEN_DEVICE_OR_SKIP(fd, "/dev/null", O_WRONLY);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 777);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(100000, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the status is the errno write()
 * would set; full(4): writes to /dev/full fail with ENOSPC. An aio_write
 * to /dev/full is queued (aio_write returns 0), then completes with
 * status ENOSPC and return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_to_dev_full_fails_with_enospc)
{
	unsigned char buf[512] = { 0 };
	struct aiocb cb;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno write() "
			"would set (glibc: pwrite(2) in the worker; full(4) "
			"writes fail with ENOSPC)");
	OPEN_DEVICE_OR_SKIP(fd, "/dev/full", O_WRONLY);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(ENOSPC, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() and aio_read() DESCRIPTION: at aio_offset, as
 * if lseek() came first; memfd_create(2): the memfd behaves like a
 * regular file. An aio_write of 3000 bytes at 5000 of an empty memfd
 * makes it 8000 bytes, and an aio_read of the same range returns them.
 * First kernel: 3.17 (memfd_create; glibc runs pread/pwrite in threads).
 */
TEST(memfd_takes_writes_and_reads_at_aio_offset)
{
	unsigned char wbuf[3000], rbuf[3000];
	struct aiocb cb;
	const char *why;
	struct stat st;
	int fd;

	CONFORM_DECLARE("3.17", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: written at "
			"aio_offset as if lseek() came first (glibc: "
			"pwrite(2); memfd_create(2) behaves like a regular "
			"file)");
	fd = sealable_memfd(0, &why);
	CONFORM_REQUIRE(why);
	conform_fill_pattern(wbuf, sizeof(wbuf), 5000);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 5000);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(3000, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(8000, st.st_size);
	posix_aio_prep(&cb, fd, rbuf, sizeof(rbuf), 5000);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(3000, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 5000));
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno write() would set;
 * fcntl(2) F_SEAL_WRITE: with it writes fail with EPERM (write(2) EPERM:
 * prevented by a file seal). An aio_write inside a sealed memfd
 * completes with status EPERM and return -1, and the memfd keeps its
 * bytes.
 * First kernel: 3.17 (memfd_create and F_SEAL_WRITE).
 */
TEST(memfd_with_write_seal_refuses_write_with_eperm)
{
	unsigned char wbuf[100] = { 0 }, rbuf[100];
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("3.17", "aio_write",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno write() "
			"would set (glibc: pwrite(2) in the worker; fcntl(2) "
			"F_SEAL_WRITE makes write fail with EPERM)");
	fd = sealable_memfd(4096, &why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(0, fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 1000);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(EPERM, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(100, pread(fd, rbuf, sizeof(rbuf), 1000));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 1000));
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno write() would set;
 * fcntl(2) F_SEAL_GROW: the file size cannot be increased, by write(2)
 * either. On a memfd of 4096 bytes with that seal, an aio_write at
 * 4096 completes with status EPERM and return -1 and the size stays 4096,
 * while one inside the file (at 0) is written.
 * First kernel: 3.17 (memfd_create and F_SEAL_GROW).
 */
TEST(memfd_with_grow_seal_refuses_write_past_end_with_eperm)
{
	unsigned char wbuf[100] = { 0 };
	struct aiocb cb;
	const char *why;
	struct stat st;
	int fd;

	CONFORM_DECLARE("3.17", "aio_write",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno write() "
			"would set (glibc: pwrite(2) in the worker; fcntl(2) "
			"F_SEAL_GROW refuses growing writes with EPERM)");
	fd = sealable_memfd(4096, &why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(0, fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 4096);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(EPERM, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(100, aio_return(&cb));
	close(fd);
}

/*
 * Make the file name of the private dir (its path in path), of size bytes,
 * and open it with O_PATH (and O_CLOEXEC): the fd, or -1 with errno.
 */
static int open_path_only(char *path, size_t len, const char *name,
			  size_t size)
{
	conform_tmppath(path, len, name);
	if (conform_pattern_file(path, size) < 0)
		return -1;
	return open(path, O_PATH | O_CLOEXEC);
}

/*
 * A kernel without O_PATH (before 2.6.39) ignores the unknown flag and
 * opens the file for reading: F_GETFL then lacks O_PATH.
 */
#define REQUIRE_O_PATH(fd)                                                     \
	do {                                                                   \
		if (!(fcntl((fd), F_GETFL) & O_PATH)) {                        \
			close(fd);                                             \
			SKIP(return, "open ignored O_PATH (F_GETFL lacks it): no O_PATH before 2.6.39"); \
		}                                                              \
	} while (0)

/*
 * POSIX.1-2017 aio_read() ERRORS: EBADF when aio_fildes is not a valid
 * descriptor open for reading; open(2) O_PATH: read(2) on such a
 * descriptor fails with EBADF. An aio_read of an O_PATH descriptor of a
 * 4096-byte file is queued, then completes with status EBADF and return -1.
 * First kernel: 2.6.39 (O_PATH; glibc runs pread in threads).
 */
TEST(read_of_o_path_fd_fails_later_with_ebadf)
{
	unsigned char buf[64];
	char path[300];
	struct aiocb cb;
	int fd;

	CONFORM_DECLARE("2.6.39", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EBADF when aio_fildes "
			"is not open for reading (glibc: found by pread in the "
			"worker; open(2) O_PATH read fails with EBADF)");
	ASSERT_LE(0, fd = open_path_only(path, sizeof(path), "opath-read",
					     4096));
	REQUIRE_O_PATH(fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EBADF when aio_fildes is not a valid
 * descriptor open for writing; open(2) O_PATH: write(2) fails with EBADF.
 * An aio_write to an O_PATH descriptor of an empty file is queued, then
 * completes with status EBADF and return -1; the file stays empty.
 * First kernel: 2.6.39 (O_PATH; glibc runs pwrite in threads).
 */
TEST(write_to_o_path_fd_fails_later_with_ebadf)
{
	unsigned char buf[64] = { 0 };
	char path[300];
	struct aiocb cb;
	struct stat st;
	int fd;

	CONFORM_DECLARE("2.6.39", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EBADF when aio_fildes "
			"is not open for writing (glibc: found by pwrite in the "
			"worker; open(2) O_PATH write fails with EBADF)");
	ASSERT_LE(0, fd = open_path_only(path, sizeof(path), "opath-write",
					     0));
	REQUIRE_O_PATH(fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

TEST_HARNESS_MAIN
