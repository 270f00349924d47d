// SPDX-License-Identifier: MIT
/*
 * uring/writev: the error paths of IORING_OP_WRITEV (5.1), the io_uring
 * pwritev2(2), whose success path uring/read-write covers: EBADF (no such
 * fd, or one not open for writing), EINVAL (more than IOV_MAX iovecs, an
 * iov_len past SSIZE_MAX), EFAULT (unreadable iovec array or data), EPIPE
 * (a pipe without reader). On a pipe, which cannot seek, the offset is
 * not an error (pwritev(2) would give ESPIPE): 0 and positive offsets are
 * ignored, and -1 (the file position) works since 5.9. A short write to a
 * non-blocking pipe takes the iovecs in order.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"

/* Run one IORING_OP_WRITEV of nr iovecs at iov on fd at off: res or INT_MIN. */
static int uring_writev(int fd, const struct iovec *iov, unsigned int nr,
			__u64 off)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_writev(&sqe, fd, iov, nr, off);
	return uring_run_one_sqe_res(&sqe);
}

/* A PROT_NONE page (unmap with munmap(p, page)), or MAP_FAILED. */
static void *unreadable_page(long page)
{
	return mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
}

/*
 * writev(2) EBADF: "fd is not a valid file descriptor"; io_uring_enter(2)
 * CQE errors, EBADF for the fd field (since 5.1).
 */
TEST(writev_bad_fd_gets_ebadf)
{
	char data[8] = "abcdefg";
	struct iovec iov = { data, sizeof(data) };

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV", "writev(2) EBADF");
	CONFORM_REQUIRE_URING();
	EXPECT_EQ(-EBADF, uring_writev(conform_bad_fd(), &iov, 1, 0));
}

/*
 * writev(2) EBADF: fd "is not open for writing": a regular file open
 * read-only, and a pipe's read end; the file is left as it was (since 5.1).
 */
TEST(writev_fd_not_open_for_writing_gets_ebadf)
{
	char data[8] = "abcdefg";
	struct iovec iov = { data, sizeof(data) };
	int fd, ro, p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"writev(2) EBADF not open for writing");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(100, 0);
	ASSERT_LE(0, fd);
	ro = conform_reopen(fd, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EBADF, uring_writev(ro, &iov, 1, 0));
	EXPECT_EQ(100, uring_file_size(fd));
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-EBADF, uring_writev(p[0], &iov, 1, 0));
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
	close(ro);
	close(fd);
}

/*
 * writev(2) EINVAL: iovcnt "is less than zero or greater than the
 * permitted maximum" (IOV_MAX): IOV_MAX + 1 readable iovecs fail and write
 * nothing; IOV_MAX of them are written (since 5.1).
 */
TEST(writev_more_than_iov_max_iovecs_gets_einval)
{
	static struct iovec iov[IOV_MAX + 1];
	static char data[IOV_MAX + 1];
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV", "writev(2) EINVAL IOV_MAX");
	CONFORM_REQUIRE_URING();
	for (size_t i = 0; i < IOV_MAX + 1; i++) {
		iov[i].iov_base = data + i;
		iov[i].iov_len = 1;
	}
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_writev(fd, iov, IOV_MAX + 1, 0));
	EXPECT_EQ(0, uring_file_size(fd));
	EXPECT_EQ(IOV_MAX, uring_writev(fd, iov, IOV_MAX, 0));
	close(fd);
}

/*
 * writev(2) EINVAL: "The sum of the iov_len values overflows an ssize_t
 * value". Linux checks each iov_len as it copies the iovecs: one above
 * SSIZE_MAX fails the write with EINVAL and nothing is written (since
 * 5.1).
 */
TEST(writev_iov_len_past_ssize_max_gets_einval)
{
	char data[8] = "abcdefg";
	struct iovec iov[2] = {
		{ data, 4 },
		{ data, (size_t)SSIZE_MAX + 1 },
	};
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"writev(2) EINVAL iov_len sum overflows ssize_t");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_writev(fd, iov, 2, 0));
	EXPECT_EQ(0, uring_file_size(fd));
	close(fd);
}

/*
 * Against writev(2) EINVAL ("The sum of the iov_len values overflows an
 * ssize_t value"), Linux does not refuse a sum past SSIZE_MAX when each
 * iov_len is below it: import_iovec() cuts the total to MAX_RW_COUNT and
 * the write goes ahead. With the data on an unreadable page, two iovecs of
 * SSIZE_MAX / 2 + 1 bytes fail with EFAULT from the copy, not EINVAL, and
 * nothing is written (every kernel since 5.1; plain writev(2) alike).
 */
TEST(writev_iov_len_sum_past_ssize_max_is_not_refused)
{
	long page = sysconf(_SC_PAGESIZE);
	struct iovec iov[2];
	void *none;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"writev(2) EINVAL sum of iov_len overflows ssize_t (not checked: import_iovec truncates to MAX_RW_COUNT)");
	CONFORM_REQUIRE_URING();
	none = unreadable_page(page);
	ASSERT_NE(MAP_FAILED, none);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	iov[0].iov_base = none;
	iov[0].iov_len = (size_t)SSIZE_MAX / 2 + 1;
	iov[1] = iov[0];
	EXPECT_EQ(-EFAULT, uring_writev(fd, iov, 2, 0));
	EXPECT_EQ(0, uring_file_size(fd));
	close(fd);
	munmap(none, (size_t)page);
}

/*
 * writev(2) EFAULT (the iovec array outside the accessible address space):
 * sqe->addr pointing at an unreadable page fails the write (since 5.1).
 */
TEST(writev_unreadable_iovec_array_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *none;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV", "writev(2) EFAULT");
	CONFORM_REQUIRE_URING();
	none = unreadable_page(page);
	ASSERT_NE(MAP_FAILED, none);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EFAULT, uring_writev(fd, none, 1, 0));
	EXPECT_EQ(0, uring_file_size(fd));
	close(fd);
	munmap(none, (size_t)page);
}

/*
 * write(2) EFAULT: "buf is outside your accessible address space": an
 * iovec whose data is an unreadable page fails the write to a regular file
 * with nothing written (since 5.1).
 */
TEST(writev_unreadable_data_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct iovec iov;
	void *none;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV", "write(2) EFAULT");
	CONFORM_REQUIRE_URING();
	none = unreadable_page(page);
	ASSERT_NE(MAP_FAILED, none);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	iov.iov_base = none;
	iov.iov_len = 64;
	EXPECT_EQ(-EFAULT, uring_writev(fd, &iov, 1, 0));
	EXPECT_EQ(0, uring_file_size(fd));
	close(fd);
	munmap(none, (size_t)page);
}

/*
 * write(2) EPIPE: "fd is connected to a pipe ... whose reading end is
 * closed" (the writer also gets SIGPIPE, ignored here) (since 5.1).
 */
TEST(writev_to_pipe_without_reader_gets_epipe)
{
	char data[8] = "abcdefg";
	struct iovec iov = { data, sizeof(data) };
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV", "write(2) EPIPE");
	CONFORM_REQUIRE_URING();
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	close(p[0]);
	EXPECT_EQ(-EPIPE, uring_writev(p[1], &iov, 1, 0));
	close(p[1]);
}

/*
 * io_uring_prep_writev(3): "On files that are not capable of seeking, the
 * offset must be 0 or -1". The kernel does not refuse an offset on a pipe
 * the way pwritev(2) does (ESPIPE): offset 0, and a positive one too, are
 * ignored and the data is written (since 5.1).
 */
TEST(writev_to_pipe_ignores_offset)
{
	char data[6] = "pipe!", back[16];
	struct iovec iov = { data, sizeof(data) };
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"io_uring_prep_writev(3) not capable of seeking, offset 0 or -1; pwritev(2) ESPIPE");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ((int)sizeof(data), uring_writev(p[1], &iov, 1, 0));
	EXPECT_EQ((int)sizeof(data), uring_writev(p[1], &iov, 1, 4096));
	EXPECT_EQ(2 * (ssize_t)sizeof(data), read(p[0], back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, data, sizeof(data)));
	EXPECT_EQ(0, memcmp(back + sizeof(data), data, sizeof(data)));
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_prep_writev(3): offset -1 means the file position
 * (IORING_FEAT_RW_CUR_POS, 5.6); a pipe has none, and offset -1 on it
 * writes as write(2) does. Kernel commit 0fef948363f6 ("io_uring: make
 * offset == -1 consistent with preadv2/pwritev2", 5.9; 5.6 to 5.8 refused
 * it with -EINVAL).
 */
TEST(writev_to_pipe_at_offset_minus_one_writes)
{
	char data[6] = "pipe?", back[16];
	struct iovec iov = { data, sizeof(data) };
	int p[2];

	CONFORM_DECLARE("5.9", "IORING_OP_WRITEV",
			"io_uring_prep_writev(3) offset -1; commit 0fef948363f6 (5.9): io_uring: make offset == -1 consistent with preadv2/pwritev2");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RW_CUR_POS);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ((int)sizeof(data), uring_writev(p[1], &iov, 1, (__u64)-1));
	EXPECT_EQ((ssize_t)sizeof(data), read(p[0], back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, data, sizeof(data)));
	close(p[0]);
	close(p[1]);
}

/*
 * writev(2): "Buffers are processed in array order ... writev() writes
 * out the entire contents of iov[0] before proceeding to iov[1]"; pipe(7),
 * O_NONBLOCK with n > PIPE_BUF: "from 1 to n bytes may be written (i.e., a
 * partial write may occur)". A non-blocking pipe of one page, given
 * iovecs of 100 bytes, a page and 1000 bytes, takes one page: all of
 * iov[0], then the start of iov[1]; res is the page size (since 5.1).
 */
TEST(writev_short_write_to_pipe_keeps_iovec_order)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *a, *b, *c, *back;
	struct iovec iov[3];
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"writev(2) iovecs in order; pipe(7) O_NONBLOCK partial write");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_NONBLOCK));
	ASSERT_EQ(page, fcntl(p[1], F_SETPIPE_SZ, (int)page));
	a = malloc(100);
	b = malloc((size_t)page);
	c = malloc(1000);
	back = malloc(2 * (size_t)page);
	ASSERT_TRUE(a && b && c && back);
	conform_fill_pattern(a, 100, 0);
	conform_fill_pattern(b, (size_t)page, 100);
	conform_fill_pattern(c, 1000, 100 + (unsigned long long)page);
	iov[0].iov_base = a;
	iov[0].iov_len = 100;
	iov[1].iov_base = b;
	iov[1].iov_len = (size_t)page;
	iov[2].iov_base = c;
	iov[2].iov_len = 1000;
	EXPECT_EQ(page, uring_writev(p[1], iov, 3, 0));
	EXPECT_EQ(page, read(p[0], back, 2 * (size_t)page));
	EXPECT_TRUE(conform_check_pattern(back, (size_t)page, 0));
	free(a);
	free(b);
	free(c);
	free(back);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
