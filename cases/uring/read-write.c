// SPDX-License-Identifier: MIT
/*
 * uring/read-write: IORING_OP_READ / IORING_OP_WRITE (and the vectored
 * READV / WRITEV) on a temporary file and on a pipe: exact byte counts and
 * data, offsets, the file position with offset -1, end of file, a read that
 * waits for a pipe writer, and the EBADF cases.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"

/* Prepare a read or write SQE of len bytes at off on fd, tagged tag. */
static void prep_rw(struct io_uring *ring, bool write, int fd, void *buf,
		    unsigned int len, __u64 off, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (write)
		io_uring_prep_write(sqe, fd, buf, len, off);
	else
		io_uring_prep_read(sqe, fd, buf, len, off);
	io_uring_sqe_set_data64(sqe, tag);
}

/*
 * io_uring_enter(2) IORING_OP_READ: like pread(2); res is the number of
 * bytes transferred, the data is the file's at that offset (since 5.6).
 */
TEST(read_returns_exact_bytes_and_data_at_offset)
{
	static char buf[4096];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IORING_OP_READ");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, false, fd, buf, sizeof(buf), 4096, 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1u, cqe.user_data);
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_WRITE: like pwrite(2); res is the number of
 * bytes written, and they land at the given offset (since 5.6).
 */
TEST(write_stores_exact_bytes_at_offset)
{
	static char buf[3000], back[3000];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"io_uring_enter(2) IORING_OP_WRITE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 1000);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, true, fd, buf, sizeof(buf), 1000, 2);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	EXPECT_EQ(4000, lseek(fd, 0, SEEK_END));
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 1000));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 1000));
	io_uring_queue_exit(&ring);
	close(fd);
}

/* pread(2) as referenced by io_uring_enter(2): a read at end of file returns 0 (since 5.6). */
TEST(read_at_eof_returns_zero)
{
	char buf[512];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"pread(2) at end of file, via io_uring_enter(2) IORING_OP_READ");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, false, fd, buf, sizeof(buf), 4096, 3);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) CQE ERRORS: EBADF when "the fd field in the submission
 * queue entry is invalid"; a number that is not an open descriptor (above
 * RLIMIT_NOFILE, so it cannot be) gives res -EBADF (since 5.1 for the
 * vectored reads; this test uses IORING_OP_READ, so 5.6).
 */
TEST(read_on_closed_fd_gets_ebadf)
{
	char buf[64];
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) CQE ERRORS EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, false, conform_bad_fd(), buf, sizeof(buf), 0, 4);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-EBADF, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2): write results match pwritev2(2), whose errors are those
 * of write(2): EBADF when fd "is not open for writing"; a pipe's read end
 * is not (since 5.6).
 */
TEST(write_on_pipe_read_end_gets_ebadf)
{
	char buf[8] = "abcdefg";
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"write(2) EBADF, via io_uring_enter(2) IORING_OP_WRITE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, true, fds[0], buf, sizeof(buf), 0, 5);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-EBADF, cqe.res);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * read(2) on a pipe, which io_uring_enter(2) IORING_OP_READ mirrors: the
 * read waits while the pipe is empty and completes with what the writer
 * wrote once it writes (since 5.6). Checked: no CQE before the write (a
 * bounded wait times out), then exactly the written bytes.
 */
TEST(pipe_read_completes_only_after_write)
{
	char out[100], in[100];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"read(2) on an empty pipe, via io_uring_enter(2) IORING_OP_READ");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, false, fds[0], in, sizeof(in), 0, 6);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ((ssize_t)sizeof(out), write(fds[1], out, sizeof(out)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(6u, cqe.user_data);
	EXPECT_EQ((int)sizeof(out), cqe.res);
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IORING_OP_READV: like preadv2(2); the data fills the
 * iovecs in order and res is the total (since 5.1).
 */
TEST(readv_scatters_into_iovecs_in_order)
{
	static char a[1000], b[3096];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV",
			"io_uring_enter(2) IORING_OP_READV, preadv2(2)");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_readv(sqe, fd, iov, 2, 512);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(4096, cqe.res);
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 512));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 512 + sizeof(a)));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_WRITEV: like pwritev2(2); the iovecs are
 * written back to back from the offset and res is the total (since 5.1).
 */
TEST(writev_gathers_from_iovecs_in_order)
{
	static char a[700], b[1300], back[2000];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"io_uring_enter(2) IORING_OP_WRITEV, pwritev2(2)");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(a, sizeof(a), 100);
	conform_fill_pattern(b, sizeof(b), 100 + sizeof(a));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_writev(sqe, fd, iov, 2, 100);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(2000, cqe.res);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 100));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 100));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_setup(2) IORING_FEAT_RW_CUR_POS / io_uring_enter(2) IORING_OP_READ:
 * offset -1 "will use (and advance) the file position, like the read(2)"
 * (since 5.6).
 */
TEST(read_at_offset_minus_one_uses_and_advances_file_position)
{
	static char buf[1000];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_FEAT_RW_CUR_POS",
			"io_uring_setup(2) IORING_FEAT_RW_CUR_POS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RW_CUR_POS);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3000, lseek(fd, 3000, SEEK_SET));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_rw(&ring, false, fd, buf, sizeof(buf), (__u64)-1, 9);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 3000));
	EXPECT_EQ(4000, lseek(fd, 0, SEEK_CUR));
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
