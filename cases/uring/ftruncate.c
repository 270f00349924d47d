// SPDX-License-Identifier: MIT
/*
 * uring/ftruncate: IORING_OP_FTRUNCATE (Linux 6.9), the asynchronous
 * ftruncate(2), with the new length in the SQE's off field: shrinking,
 * extending with zeros, and the EINVAL / EBADF errors. liburing 2.3 has no
 * prep helper for it, so the SQEs are filled by hand.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

/* Skip unless the opcode probe lists IORING_OP_FTRUNCATE (number 55). */
#define REQUIRE_FTRUNCATE() \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FTRUNCATE, \
						 "IORING_OP_FTRUNCATE"))

/* An IORING_OP_FTRUNCATE SQE: fd in fd, the length in off, all else 0. */
static void prep_ftruncate(struct io_uring_sqe *sqe, int fd, long long len)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_FTRUNCATE;
	sqe->fd = fd;
	sqe->off = (__u64)len;
}

static int uring_ftruncate(int fd, long long len)
{
	struct io_uring_sqe sqe;

	prep_ftruncate(&sqe, fd, len);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * io_uring_prep_ftruncate(3), ftruncate(2): "If the file previously was
 * larger than this size, the extra data is lost"; res is 0 and the data
 * below the new length stays (IORING_OP_FTRUNCATE, since 6.9).
 */
TEST(ftruncate_shrinks_file_to_length)
{
	static char buf[3000];
	int fd;

	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"io_uring_prep_ftruncate(3); ftruncate(2)");
	REQUIRE_FTRUNCATE();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, uring_ftruncate(fd, 3000));
	EXPECT_EQ(3000, uring_file_size(fd));
	EXPECT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 0));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	EXPECT_EQ(0, pread(fd, buf, 1, 3000));
	close(fd);
}

/*
 * ftruncate(2): "If the file previously was shorter, it is extended, and
 * the extended part reads as null bytes" (IORING_OP_FTRUNCATE, since 6.9).
 */
TEST(ftruncate_extends_file_with_zeros)
{
	static char buf[4000];
	int fd;

	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"ftruncate(2) extended part reads as null bytes");
	REQUIRE_FTRUNCATE();
	fd = conform_temp_file(1000, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, uring_ftruncate(fd, 5000));
	EXPECT_EQ(5000, uring_file_size(fd));
	ASSERT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 1000));
	for (size_t i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(0, buf[i]);
	ASSERT_EQ(1000, pread(fd, buf, 1000, 0));
	EXPECT_TRUE(conform_check_pattern(buf, 1000, 0));
	close(fd);
}

/*
 * ftruncate(2) EINVAL: "The argument length is negative"; the file is left
 * as it was (IORING_OP_FTRUNCATE, since 6.9).
 */
TEST(ftruncate_negative_length_gets_einval)
{
	int fd;

	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"ftruncate(2) EINVAL negative length");
	REQUIRE_FTRUNCATE();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_ftruncate(fd, -1));
	EXPECT_EQ(4096, uring_file_size(fd));
	close(fd);
}

/*
 * ftruncate(2) "EBADF or EINVAL: fd is not open for writing"; Linux (and
 * the io_uring opcode, which calls the same do_ftruncate()) gives EINVAL
 * (since 6.9).
 */
TEST(ftruncate_read_only_fd_gets_einval)
{
	char path[300];
	int fd, wfd;

	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"ftruncate(2) EINVAL not open for writing");
	REQUIRE_FTRUNCATE();
	conform_tmppath(path, sizeof(path), "readonly");
	wfd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(100, write(wfd, path, 100));
	close(wfd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_ftruncate(fd, 0));
	EXPECT_EQ(100, uring_file_size(fd));
	close(fd);
	unlink(path);
}

/*
 * ftruncate(2) EINVAL: "fd does not reference a regular file" (a pipe's
 * write end here) (IORING_OP_FTRUNCATE, since 6.9).
 */
TEST(ftruncate_pipe_gets_einval)
{
	int p[2];

	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"ftruncate(2) EINVAL not a regular file");
	REQUIRE_FTRUNCATE();
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-EINVAL, uring_ftruncate(p[1], 0));
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) CQE errors: EBADF when the fd field does not hold a
 * valid file descriptor (IORING_OP_FTRUNCATE, since 6.9).
 */
TEST(ftruncate_bad_fd_gets_ebadf)
{
	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"io_uring_enter(2) EBADF");
	REQUIRE_FTRUNCATE();
	EXPECT_EQ(-EBADF, uring_ftruncate(conform_bad_fd(), 0));
}

/*
 * Kernel commit b4bb1900c12e ("io_uring: add support for ftruncate", 6.9):
 * the request uses only fd and off; a set addr or len field is refused with
 * EINVAL, and the file is untouched.
 */
TEST(ftruncate_with_unused_fields_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("6.9", "IORING_OP_FTRUNCATE",
			"commit b4bb1900c12e (6.9): io_uring: add support for "
			"ftruncate");
	REQUIRE_FTRUNCATE();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	prep_ftruncate(&sqe, fd, 0);
	sqe.len = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_ftruncate(&sqe, fd, 0);
	sqe.addr = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_EQ(4096, uring_file_size(fd));
	close(fd);
}

TEST_HARNESS_MAIN
