// SPDX-License-Identifier: MIT
/*
 * uring/splice-tee: IORING_OP_SPLICE (5.7) and IORING_OP_TEE (5.8), the
 * asynchronous splice(2) and tee(2): file to pipe and pipe to file at
 * explicit offsets, offset -1 meaning the file position, end of file on a
 * pipe, SPLICE_F_FD_IN_FIXED, tee leaving the source pipe intact, and the
 * ESPIPE / EINVAL errors; EBADF for SPLICE_F_FD_IN_FIXED naming an empty
 * slot, EINVAL for an unknown splice_flags bit and for offsets on a tee.
 */
#include <liburing.h>

#include "conform_uring.h"

static int uring_splice(int fd_in, long long off_in, int fd_out,
			long long off_out, unsigned int len, unsigned int flags)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_splice(&sqe, fd_in, off_in, fd_out, off_out, len, flags);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_tee(int fd_in, int fd_out, unsigned int len)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_tee(&sqe, fd_in, fd_out, len, 0);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * io_uring_enter(2) IORING_OP_SPLICE: splice_fd_in/splice_off_in give the
 * source and its offset; from a file at an offset into a pipe, res is the
 * byte count, the pipe holds the file's bytes from that offset, and the file
 * position is not used or changed (splice(2)) (since 5.7).
 */
TEST(splice_file_to_pipe_at_offset_moves_exact_bytes)
{
	static char buf[3000];
	int fd, p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"io_uring_enter(2) IORING_OP_SPLICE, splice(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(3000, uring_splice(fd, 4096, p[1], -1, 3000, 0));
	EXPECT_EQ(3000, read(p[0], buf, sizeof(buf)));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_CUR));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * splice(2) from a pipe into a file at off_out: the bytes land at that
 * offset of the file (IORING_OP_SPLICE, offset in the SQE's off, since 5.7).
 */
TEST(splice_pipe_to_file_at_offset_writes_there)
{
	static char src[2000], back[2000];
	int fd, p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"splice(2) into a file at off_out");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(src, sizeof(src), 1000);
	ASSERT_EQ((ssize_t)sizeof(src), write(p[1], src, sizeof(src)));
	EXPECT_EQ(2000, uring_splice(p[0], -1, fd, 1000, 2000, 0));
	EXPECT_EQ(3000, lseek(fd, 0, SEEK_END));
	EXPECT_EQ(2000, pread(fd, back, sizeof(back), 1000));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 1000));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * io_uring_enter(2): "A sentinel value of -1 is used to pass the equivalent
 * of a NULL for the offsets"; splice(2) then reads from the file position
 * and advances it by the bytes moved (IORING_OP_SPLICE, since 5.7).
 */
TEST(splice_off_in_minus_one_uses_and_advances_file_position)
{
	static char buf[500];
	int fd, p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"io_uring_enter(2) IORING_OP_SPLICE: offset -1 means NULL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(100, lseek(fd, 100, SEEK_SET));
	EXPECT_EQ(500, uring_splice(fd, -1, p[1], -1, 500, 0));
	EXPECT_EQ(600, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(500, read(p[0], buf, sizeof(buf)));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 100));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * splice(2): it returns 0 when there is no data to transfer and the pipe
 * has no writers (end of input) (IORING_OP_SPLICE, since 5.7).
 */
TEST(splice_from_empty_pipe_without_writers_returns_zero)
{
	int fd, p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"splice(2): 0 at end of input");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	close(p[1]);
	EXPECT_EQ(0, uring_splice(p[0], -1, fd, 0, 4096, 0));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_END));
	close(p[0]);
	close(fd);
}

/*
 * splice(2) ESPIPE: "Either off_in or off_out was not NULL, but the
 * corresponding file descriptor refers to a pipe" (IORING_OP_SPLICE with an
 * offset other than -1 for the pipe, since 5.7).
 */
TEST(splice_offset_on_pipe_gets_espipe)
{
	int fd, p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE", "splice(2) ESPIPE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "data", 4));
	EXPECT_EQ(-ESPIPE, uring_splice(p[0], 0, fd, 0, 4, 0));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * splice(2) EINVAL: "Neither of the file descriptors refers to a pipe"
 * (IORING_OP_SPLICE between two regular files, since 5.7).
 */
TEST(splice_between_two_files_gets_einval)
{
	int a, b;

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"splice(2) EINVAL: neither fd is a pipe");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	a = conform_temp_file(4096, 0);
	b = conform_temp_file(0, 0);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	EXPECT_EQ(-EINVAL, uring_splice(a, 0, b, 0, 4096, 0));
	EXPECT_EQ(0, lseek(b, 0, SEEK_END));
	close(a);
	close(b);
}

/*
 * io_uring_enter(2) / io_uring_prep_splice(3): with SPLICE_F_FD_IN_FIXED in
 * splice_flags, splice_fd_in is an index into the registered file table
 * (since 5.7).
 */
TEST(splice_fd_in_fixed_uses_registered_file)
{
	static char buf[1000];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int fds[2], fd, p[2];

	CONFORM_DECLARE("5.7", "SPLICE_F_FD_IN_FIXED",
			"io_uring_prep_splice(3) SPLICE_F_FD_IN_FIXED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	fds[0] = -1;
	fds[1] = fd;
	ASSERT_EQ(0, io_uring_register_files(&ring, fds, 2));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_splice(sqe, 1, 2000, p[1], -1, sizeof(buf),
			     SPLICE_F_FD_IN_FIXED);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	EXPECT_EQ((ssize_t)sizeof(buf), read(p[0], buf, sizeof(buf)));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2000));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * tee(2): "tee() duplicates up to len bytes of data from the pipe referred
 * to by fd_in to the pipe referred to by fd_out. It does not consume the
 * data"; res is the byte count (IORING_OP_TEE, since 5.8).
 */
TEST(tee_duplicates_without_consuming_source)
{
	static char src[700], got[700];
	int a[2], b[2];

	CONFORM_DECLARE("5.8", "IORING_OP_TEE",
			"io_uring_enter(2) IORING_OP_TEE, tee(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TEE);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	conform_fill_pattern(src, sizeof(src), 0);
	ASSERT_EQ((ssize_t)sizeof(src), write(a[1], src, sizeof(src)));
	EXPECT_EQ(700, uring_tee(a[0], b[1], 700));
	memset(got, 0, sizeof(got));
	EXPECT_EQ(700, read(b[0], got, sizeof(got)));
	EXPECT_TRUE(conform_check_pattern(got, sizeof(got), 0));
	memset(got, 0, sizeof(got));
	EXPECT_EQ(700, read(a[0], got, sizeof(got)));
	EXPECT_TRUE(conform_check_pattern(got, sizeof(got), 0));
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * tee(2) EINVAL: "fd_in and fd_out refer to the same pipe" (IORING_OP_TEE,
 * since 5.8).
 */
TEST(tee_within_same_pipe_gets_einval)
{
	int p[2];

	CONFORM_DECLARE("5.8", "IORING_OP_TEE", "tee(2) EINVAL: same pipe");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TEE);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "data", 4));
	EXPECT_EQ(-EINVAL, uring_tee(p[0], p[1], 4));
	close(p[0]);
	close(p[1]);
}

/*
 * tee(2) EINVAL: "fd_in or fd_out does not refer to a pipe" (IORING_OP_TEE
 * with a regular file as the destination, since 5.8).
 */
TEST(tee_to_regular_file_gets_einval)
{
	int fd, p[2];

	CONFORM_DECLARE("5.8", "IORING_OP_TEE", "tee(2) EINVAL: not a pipe");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TEE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "data", 4));
	EXPECT_EQ(-EINVAL, uring_tee(p[0], fd, 4));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_END));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * Run one splice (tee when tee is true) of 4 bytes whose source is
 * registered-file slot 0 (SPLICE_F_FD_IN_FIXED) into fd_out, on a new ring
 * whose file table is one empty slot (-1) and the file fd_other. The CQE's
 * res, or INT_MIN when the ring could not be set up.
 */
static int fixed_in_from_empty_slot(bool tee, int fd_out, int fd_other)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int files[2] = { -1, fd_other }, res = INT_MIN;

	if (io_uring_queue_init(4, &ring, 0))
		return INT_MIN;
	if (io_uring_register_files(&ring, files, 2) == 0) {
		memset(&sqe, 0, sizeof(sqe));
		if (tee)
			io_uring_prep_tee(&sqe, 0, fd_out, 4, SPLICE_F_FD_IN_FIXED);
		else
			io_uring_prep_splice(&sqe, 0, -1, fd_out, -1, 4,
					     SPLICE_F_FD_IN_FIXED);
		res = uring_run_sqe_res(&ring, &sqe);
	}
	io_uring_queue_exit(&ring);
	return res;
}

/*
 * io_uring_enter(2) CQE ERRORS: EBADF, "The fd field in the submission
 * queue entry is invalid"; with SPLICE_F_FD_IN_FIXED splice_fd_in is a
 * registered-file index (io_uring_prep_splice(3)), and an empty slot (-1
 * in the table) is no file: -EBADF, and nothing reaches the pipe
 * (IORING_OP_SPLICE, since 5.7).
 */
TEST(splice_fd_in_fixed_empty_slot_gets_ebadf)
{
	int fd, p[2];

	CONFORM_DECLARE("5.7", "SPLICE_F_FD_IN_FIXED",
			"io_uring_prep_splice(3) SPLICE_F_FD_IN_FIXED; io_uring_enter(2) CQE ERRORS EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-EBADF, fixed_in_from_empty_slot(false, p[1], fd));
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * As above for IORING_OP_TEE, whose source is a pipe: with
 * SPLICE_F_FD_IN_FIXED naming an empty slot the tee fails with -EBADF and
 * the destination pipe stays empty (since 5.8).
 */
TEST(tee_fd_in_fixed_empty_slot_gets_ebadf)
{
	int a[2], b[2];

	CONFORM_DECLARE("5.8", "SPLICE_F_FD_IN_FIXED",
			"io_uring_prep_tee(3) SPLICE_F_FD_IN_FIXED; io_uring_enter(2) CQE ERRORS EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TEE);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(4, write(a[1], "data", 4));
	EXPECT_EQ(-EBADF, fixed_in_from_empty_slot(true, b[1], a[0]));
	EXPECT_FALSE(conform_fd_readable(b[0], 0));
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * Kernel __io_splice_prep(): splice_flags may hold the splice(2) flags
 * (SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_GIFT) and
 * SPLICE_F_FD_IN_FIXED, nothing else; another bit (1 << 30) fails the
 * request with -EINVAL (splice(2) EINVAL; io_uring_enter(2) CQE ERRORS),
 * and nothing is moved (IORING_OP_SPLICE, since 5.7).
 */
TEST(splice_with_unknown_flag_gets_einval)
{
	int fd, p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"io_uring/splice.c __io_splice_prep(): unknown splice_flags is EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-EINVAL, uring_splice(fd, 0, p[1], -1, 100, 1U << 30));
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * Kernel __io_splice_prep(), shared by IORING_OP_TEE: an unknown
 * splice_flags bit (1 << 30) gets -EINVAL; the destination stays empty
 * and the source keeps its data (since 5.8).
 */
TEST(tee_with_unknown_flag_gets_einval)
{
	struct io_uring_sqe sqe;
	int a[2], b[2];

	CONFORM_DECLARE("5.8", "IORING_OP_TEE",
			"io_uring/splice.c __io_splice_prep(): unknown splice_flags is EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TEE);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(4, write(a[1], "data", 4));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_tee(&sqe, a[0], b[1], 4, 1U << 30);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(b[0], 0));
	EXPECT_TRUE(conform_fd_readable(a[0], 0));
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * Kernel io_tee_prep(): tee(2) has no offsets (both ends are pipes); a
 * non-zero splice_off_in or off in an IORING_OP_TEE fails with -EINVAL
 * (tee(2) and io_uring_enter(2) CQE ERRORS EINVAL), each on its own
 * (since 5.8).
 */
TEST(tee_with_offset_gets_einval)
{
	struct io_uring_sqe sqe;
	int a[2], b[2];

	CONFORM_DECLARE("5.8", "IORING_OP_TEE",
			"io_uring/splice.c io_tee_prep(): splice_off_in or off non-zero is EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TEE);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(4, write(a[1], "data", 4));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_tee(&sqe, a[0], b[1], 4, 0);
	sqe.splice_off_in = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_tee(&sqe, a[0], b[1], 4, 0);
	sqe.off = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(b[0], 0));
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

TEST_HARNESS_MAIN
