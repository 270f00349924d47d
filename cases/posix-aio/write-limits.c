// SPDX-License-Identifier: MIT
/*
 * posix-aio/write-limits: aio_write against the limits on a file's size
 * and offset, beyond posix-aio/error-return (a write at the RLIMIT_FSIZE
 * limit fails with EFBIG): a write that crosses the limit is cut short at
 * it, one that ends exactly at it is whole, an O_APPEND write on a file
 * already at the limit fails with EFBIG whatever its aio_offset, a
 * zero-length write beyond the limit returns 0; the filesystem's largest
 * file size: a write at it fails with EFBIG and one crossing it is cut
 * short; a write whose end would overflow off_t, or at a negative offset,
 * fails with EINVAL; a zero-length write at the largest offset returns 0.
 * Sources: POSIX.1-2017 XSH aio_write() DESCRIPTION and ERRORS (EFBIG,
 * EINVAL for an invalid implied offset; errors found after queueing come
 * through aio_error), write() DESCRIPTION (only as many bytes as there is
 * room for are written; a count of 0 has no other result) and ERRORS
 * (EFBIG), getrlimit() RLIMIT_FSIZE; write(2) EFBIG ("or to write at a
 * position past the maximum allowed offset"), pwrite(2) EINVAL, setrlimit(2)
 * RLIMIT_FSIZE.
 *
 * RLIMIT_FSIZE is lowered in the test child only, with SIGXFSZ ignored.
 * The largest file size of the filesystem of TMPDIR (the kernel's
 * s_maxbytes) is found by ftruncate, which refuses a size above it with
 * EFBIG; a filesystem whose largest size is the largest off_t (tmpfs,
 * btrfs, xfs) has no offset past it, and those TESTs skip.
 *
 * glibc 2.36 runs each request in a worker thread with pwrite (the limit
 * is the process's); nothing newer than threads and pwrite is asked of the
 * kernel: since is 2.6.0 in every declaration; a static glibc 2.36 binary
 * itself needs 3.2 to start.
 */
#include <aio.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>

#include "conform_posix_aio.h"

/* The RLIMIT_FSIZE of the TESTs that lower it. */
#define LIMIT 4096

/* In the test child: SIGXFSZ ignored and RLIMIT_FSIZE at LIMIT. */
static void lower_fsize_limit(struct __test_metadata *_metadata)
{
	const struct rlimit lim = { LIMIT, LIMIT };

	ASSERT_NE(SIG_ERR, signal(SIGXFSZ, SIG_IGN));
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
}

/* aio_write len bytes of buf at off on fd and wait: cb has the outcome. */
static void write_and_wait(struct __test_metadata *_metadata, struct aiocb *cb,
			   int fd, unsigned char *buf, size_t len, off_t off)
{
	posix_aio_prep(cb, fd, buf, len, off);
	ASSERT_EQ(0, aio_write(cb));
	ASSERT_EQ(0, posix_aio_wait_done(cb));
}

/*
 * The largest size ftruncate accepts for fd (its filesystem's largest file
 * size), fd left at size 0; or -1 with *why set: a skip reason.
 */
static off_t largest_file_size(int fd, const char **why)
{
	struct rlimit lim;
	off_t lo = 0, hi = LLONG_MAX;

	*why = NULL;
	if (getrlimit(RLIMIT_FSIZE, &lim) < 0 || lim.rlim_cur != RLIM_INFINITY) {
		*why = CONFORM_ENV "RLIMIT_FSIZE is not unlimited: cannot find the filesystem's largest file size";
		return -1;
	}
	if (ftruncate(fd, hi) == 0) {
		ftruncate(fd, 0);
		return hi;
	}
	if (errno != EFBIG && errno != EINVAL) {
		*why = CONFORM_ENV "ftruncate of a temp file to LLONG_MAX failed with neither EFBIG nor EINVAL";
		return -1;
	}
	/* Accepted: lo; refused: hi. */
	while (hi - lo > 1) {
		off_t mid = lo + (hi - lo) / 2;

		if (ftruncate(fd, mid) == 0)
			lo = mid;
		else if (errno == EFBIG || errno == EINVAL)
			hi = mid;
		else {
			*why = CONFORM_ENV "ftruncate of a temp file failed with neither EFBIG nor EINVAL";
			return -1;
		}
	}
	if (ftruncate(fd, 0) < 0) {
		*why = CONFORM_ENV "ftruncate back to 0 failed";
		return -1;
	}
	return lo;
}

/*
 * The largest file size of TMPDIR's filesystem, for a TEST that needs an
 * offset past it: -1 with *why set when there is none (the largest size
 * is LLONG_MAX) or it cannot be found.
 */
static off_t largest_below_llong_max(int fd, const char **why)
{
	off_t max = largest_file_size(fd, why);

	if (max == LLONG_MAX) {
		*why = CONFORM_ENV "the filesystem of TMPDIR takes files up to LLONG_MAX bytes (ftruncate): no offset lies past its largest file size";
		return -1;
	}
	return max;
}

/*
 * POSIX.1-2017 write() DESCRIPTION: when more bytes are asked than there is
 * room for under the process's file size limit, only as many as there is
 * room for are written. With RLIMIT_FSIZE 4096, an aio_write of 200 bytes
 * at 4000 completes with status 0 and return 96, and the file ends at 4096
 * with those 96 bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_crossing_fsize_limit_is_cut_short)
{
	unsigned char wbuf[200], rbuf[200];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(4000, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 write() DESCRIPTION: only as many bytes "
			"as there is room for under the file size limit are "
			"written (glibc: aio_write(3) writes as pwrite(2))");
	ASSERT_LE(0, fd);
	lower_fsize_limit(_metadata);
	conform_fill_pattern(wbuf, sizeof(wbuf), 4000);
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), 4000);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(LIMIT - 4000, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(LIMIT, st.st_size);
	ASSERT_EQ(LIMIT - 4000, pread(fd, rbuf, sizeof(rbuf), 4000));
	EXPECT_TRUE(conform_check_pattern(rbuf, LIMIT - 4000, 4000));
	close(fd);
}

/*
 * POSIX.1-2017 write() ERRORS: EFBIG only when there is no room for any
 * byte under the file size limit. A write that ends exactly at the limit
 * has room for all: with RLIMIT_FSIZE 4096, 96 bytes at 4000 complete with
 * 96 and the file ends at 4096.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_ending_at_fsize_limit_is_whole)
{
	unsigned char wbuf[LIMIT - 4000];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(4000, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 write() ERRORS: EFBIG only when there is "
			"no room for any byte under the file size limit "
			"(glibc: aio_write(3) writes as pwrite(2))");
	ASSERT_LE(0, fd);
	lower_fsize_limit(_metadata);
	conform_fill_pattern(wbuf, sizeof(wbuf), 4000);
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), 4000);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ((ssize_t)sizeof(wbuf), aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(LIMIT, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: with O_APPEND the write goes to the
 * end of the file, aio_offset aside; write() ERRORS: EFBIG when no byte
 * fits under the file size limit. On an O_APPEND descriptor of a file of
 * 4096 bytes, with RLIMIT_FSIZE 4096, an aio_write with aio_offset 0 fails
 * with status EFBIG and return -1: the limit applies to the end, where the
 * write would go, and the file stays as it was.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(o_append_write_on_file_at_fsize_limit_fails_with_efbig)
{
	unsigned char wbuf[100], rbuf[100];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(LIMIT, O_APPEND);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 write() ERRORS: EFBIG when no byte fits "
			"under the file size limit, at the end for O_APPEND "
			"(glibc: aio_write(3) O_APPEND, pwrite(2) BUGS)");
	ASSERT_LE(0, fd);
	lower_fsize_limit(_metadata);
	memset(wbuf, 0, sizeof(wbuf));
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), 0);
	EXPECT_EQ(EFBIG, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(LIMIT, st.st_size);
	ASSERT_EQ(100, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(fd);
}

/*
 * POSIX.1-2017 write() DESCRIPTION: a count of 0 on a regular file returns
 * 0 with no other result when no error is detected; Linux checks the file
 * size limit only for bytes to write (generic_write_checks returns first
 * for a count of 0). With RLIMIT_FSIZE 4096, an aio_write of 0 bytes at
 * 1 MiB completes with status 0 and return 0, and the file does not grow.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(zero_length_write_beyond_fsize_limit_returns_zero)
{
	unsigned char wbuf[1] = { 0 };
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(100, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 write() DESCRIPTION: a count of 0 on a "
			"regular file returns 0 with no other result (glibc: "
			"aio_write(3) writes as pwrite(2))");
	ASSERT_LE(0, fd);
	lower_fsize_limit(_metadata);
	write_and_wait(_metadata, &cb, fd, wbuf, 0, 1 << 20);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(100, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EFBIG when aio_nbytes is above 0 and
 * aio_offset is at or beyond the offset maximum; write(2) EFBIG: a write
 * "at a position past the maximum allowed offset". An aio_write of 1 byte
 * at the largest file size of the filesystem of TMPDIR (found with
 * ftruncate) completes with status EFBIG and return -1, and the file does
 * not grow.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_at_filesystem_largest_size_fails_with_efbig)
{
	unsigned char wbuf[1] = { 0x42 };
	const char *why;
	struct aiocb cb;
	struct stat st;
	off_t max;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EFBIG when aio_offset "
			"is at or beyond the offset maximum (glibc: pwrite(2) "
			"found in the worker; write(2) EFBIG)");
	ASSERT_LE(0, fd);
	max = largest_below_llong_max(fd, &why);
	if (max < 0)
		close(fd);
	CONFORM_REQUIRE(why);
	TH_LOG("largest file size of TMPDIR's filesystem: %lld", (long long)max);
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), max);
	EXPECT_EQ(EFBIG, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: no data is transferred past the
 * offset maximum; write() DESCRIPTION: only as many bytes as there is room
 * for are written. An aio_write of 100 bytes that starts 10 bytes below
 * the largest file size of the filesystem of TMPDIR completes with 10, and
 * the file ends at that size.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_crossing_filesystem_largest_size_is_cut_short)
{
	unsigned char wbuf[100], rbuf[100];
	const char *why;
	struct aiocb cb;
	struct stat st;
	off_t max;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: no data transfer "
			"past the offset maximum, only the bytes there is room "
			"for (glibc: pwrite(2) found in the worker)");
	ASSERT_LE(0, fd);
	max = largest_below_llong_max(fd, &why);
	if (max < 0)
		close(fd);
	CONFORM_REQUIRE(why);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), max - 10);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(10, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(max, st.st_size);
	ASSERT_EQ(10, pread(fd, rbuf, sizeof(rbuf), max - 10));
	EXPECT_TRUE(conform_check_pattern(rbuf, 10, 0));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EINVAL when the file offset implied by
 * aio_offset would be invalid. An aio_write of 100 bytes at LLONG_MAX - 10
 * would end past the largest off_t: pwrite refuses it with EINVAL (the
 * kernel's rw_verify_area, on every filesystem), so aio_write returns 0,
 * then aio_error gives EINVAL and aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_whose_end_would_overflow_off_t_fails_with_einval)
{
	unsigned char wbuf[100] = { 0 };
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EINVAL when the file "
			"offset implied by aio_offset would be invalid (glibc: "
			"found by pwrite in the worker)");
	ASSERT_LE(0, fd);
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), LLONG_MAX - 10);
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EINVAL for an invalid implied offset;
 * pwrite(2) EINVAL for a negative offset. An aio_write at aio_offset -512
 * is queued (aio_write returns 0), then fails with status EINVAL and
 * return -1; nothing is written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_at_negative_offset_fails_later_with_einval)
{
	unsigned char wbuf[64] = { 0 };
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EINVAL when the file "
			"offset implied by aio_offset would be invalid (glibc: "
			"pwrite(2) EINVAL for a negative offset, found in the "
			"worker)");
	ASSERT_LE(0, fd);
	write_and_wait(_metadata, &cb, fd, wbuf, sizeof(wbuf), -512);
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 write() DESCRIPTION: a count of 0 on a regular file returns
 * 0 with no other result when no error is detected; Linux detects none at
 * the largest offset (rw_verify_area sees no overflow, and the write
 * checks return first for a count of 0). An aio_write of 0 bytes at
 * LLONG_MAX completes with status 0 and return 0; the size stays 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(zero_length_write_at_largest_offset_returns_zero)
{
	unsigned char wbuf[1] = { 0 };
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 write() DESCRIPTION: a count of 0 on a "
			"regular file returns 0 with no other result (glibc: "
			"aio_write(3) writes as pwrite(2))");
	ASSERT_LE(0, fd);
	write_and_wait(_metadata, &cb, fd, wbuf, 0, LLONG_MAX);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

TEST_HARNESS_MAIN
