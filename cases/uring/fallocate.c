// SPDX-License-Identifier: MIT
/*
 * uring/fallocate: IORING_OP_FALLOCATE, the asynchronous fallocate(2) (mode
 * in len, offset in off, length in addr): allocation that extends the file
 * with zeros, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, and the EBADF /
 * EINVAL / EFBIG / ESPIPE / EOPNOTSUPP errors.
 */
#include <liburing.h>
#include <linux/falloc.h>

#include "conform_uring.h"

/* IORING_OP_FALLOCATE(fd, mode, off, len) on a ring of its own: the res. */
static int uring_fallocate(int fd, int mode, off_t off, off_t len)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_fallocate(&sqe, fd, mode, off, len);
	return uring_run_one_sqe_res(&sqe);
}

/* True when the len bytes of fd at off are all zero. */
static bool range_is_zero(int fd, off_t off, size_t len)
{
	char buf[4096];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		if (pread(fd, buf, n, off) != (ssize_t)n)
			return false;
		for (size_t i = 0; i < n; i++)
			if (buf[i])
				return false;
		off += n;
		len -= n;
	}
	return true;
}

/* True when the len bytes of fd at off still hold the test pattern. */
static bool range_has_pattern(int fd, off_t off, size_t len)
{
	char buf[4096];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		if (pread(fd, buf, n, off) != (ssize_t)n ||
		    !conform_check_pattern(buf, n, off))
			return false;
		off += n;
		len -= n;
	}
	return true;
}

/* On a 4096-byte pattern file, fallocate(mode, off, len) completes with res and the size stays. */
static void expect_fallocate_refused(struct __test_metadata *_metadata,
				     int mode, off_t off, off_t len, int res)
{
	int fd = conform_temp_file(4096, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(res, uring_fallocate(fd, mode, off, len));
	EXPECT_EQ(4096, uring_file_size(fd));
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_FALLOCATE, fallocate(2) mode 0: allocates the
 * range and, when it ends past end of file, the size becomes offset+len;
 * the new bytes read as zeros and the old data stays (since 5.6).
 */
TEST(mode_zero_extends_file_with_zeros)
{
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE",
			"io_uring_enter(2) IORING_OP_FALLOCATE; fallocate(2) "
			"mode 0");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, uring_fallocate(fd, 0, 4096, 8192));
	EXPECT_EQ(12288, uring_file_size(fd));
	EXPECT_TRUE(range_has_pattern(fd, 0, 4096));
	EXPECT_TRUE(range_is_zero(fd, 4096, 8192));
	close(fd);
}

/*
 * fallocate(2) FALLOC_FL_KEEP_SIZE: "the file size will not be changed"
 * even when offset+len is greater than it (IORING_OP_FALLOCATE, since 5.6).
 */
TEST(keep_size_leaves_file_size_unchanged)
{
	int fd, ret;

	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE",
			"fallocate(2) FALLOC_FL_KEEP_SIZE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ret = uring_fallocate(fd, FALLOC_FL_KEEP_SIZE, 4096, 65536);
	if (ret == -EOPNOTSUPP) {
		close(fd);
		SKIP(return, CONFORM_ENV "the filesystem of TMPDIR does not support FALLOC_FL_KEEP_SIZE");
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(4096, uring_file_size(fd));
	EXPECT_TRUE(range_has_pattern(fd, 0, 4096));
	close(fd);
}

/*
 * fallocate(2) FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE: the range is
 * deallocated and reads as zeros, the size and the data around it stay
 * (IORING_OP_FALLOCATE, since 5.6).
 */
TEST(punch_hole_zeroes_range_and_keeps_size)
{
	int fd, ret;

	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE",
			"fallocate(2) FALLOC_FL_PUNCH_HOLE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	fd = conform_temp_file(12288, 0);
	ASSERT_LE(0, fd);
	ret = uring_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      4096, 4096);
	if (ret == -EOPNOTSUPP) {
		close(fd);
		SKIP(return, CONFORM_ENV "the filesystem of TMPDIR does not support FALLOC_FL_PUNCH_HOLE");
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(12288, uring_file_size(fd));
	EXPECT_TRUE(range_has_pattern(fd, 0, 4096));
	EXPECT_TRUE(range_is_zero(fd, 4096, 4096));
	EXPECT_TRUE(range_has_pattern(fd, 8192, 4096));
	close(fd);
}

/*
 * fallocate(2): "The FALLOC_FL_PUNCH_HOLE flag must be ORed with
 * FALLOC_FL_KEEP_SIZE in mode"; alone it is an unsupported mode, EOPNOTSUPP,
 * and the file is left as it was (IORING_OP_FALLOCATE, since 5.6).
 */
TEST(punch_hole_without_keep_size_gets_eopnotsupp)
{
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE",
			"fallocate(2) FALLOC_FL_PUNCH_HOLE needs "
			"FALLOC_FL_KEEP_SIZE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EOPNOTSUPP, uring_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
	EXPECT_EQ(8192, uring_file_size(fd));
	EXPECT_TRUE(range_has_pattern(fd, 0, 8192));
	close(fd);
}

/* fallocate(2) EINVAL: "len was less than or equal to 0" (IORING_OP_FALLOCATE, since 5.6). */
TEST(zero_length_gets_einval)
{
	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE", "fallocate(2) EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	expect_fallocate_refused(_metadata, 0, 0, 0, -EINVAL);
}

/* fallocate(2) EFBIG: "offset+len exceeds the maximum file size" (since 5.6). */
TEST(range_past_max_file_size_gets_efbig)
{
	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE", "fallocate(2) EFBIG");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	expect_fallocate_refused(_metadata, 0, LLONG_MAX - 4095, 8192, -EFBIG);
}

/*
 * fallocate(2) EBADF: fd "is not opened for writing" (IORING_OP_FALLOCATE,
 * since 5.6).
 */
TEST(read_only_fd_gets_ebadf)
{
	char path[300];
	int fd, wfd;

	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE", "fallocate(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	conform_tmppath(path, sizeof(path), "readonly");
	wfd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, wfd);
	close(wfd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, uring_fallocate(fd, 0, 0, 4096));
	EXPECT_EQ(0, uring_file_size(fd));
	close(fd);
	unlink(path);
}

/* fallocate(2) ESPIPE: "fd refers to a pipe or FIFO" (IORING_OP_FALLOCATE, since 5.6). */
TEST(pipe_gets_espipe)
{
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_FALLOCATE", "fallocate(2) ESPIPE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FALLOCATE);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-ESPIPE, uring_fallocate(p[1], 0, 0, 4096));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
