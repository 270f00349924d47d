// SPDX-License-Identifier: MIT
/*
 * uring/readv: IORING_OP_READV (Linux 5.1), the io_uring preadv2(2), beyond
 * the success path of uring/read-write: the errors EBADF (no such fd, or
 * one not open for reading), EINVAL (more than IOV_MAX iovecs), EFAULT (an
 * unreadable iovec array, an unwritable buffer), EISDIR (a directory); the
 * edges: no iovecs, zero-length iovecs, a read cut short by end of file,
 * offset -1 and the file position (IORING_FEAT_RW_CUR_POS, 5.6), a ring
 * with registered buffers; and IOSQE_BUFFER_SELECT (5.7), where the one
 * iovec gives the length and a provided buffer takes the data.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"

/* An IORING_OP_READV of nr iovecs at iov on fd at off, on sqe. */
static void prep_readv(struct io_uring_sqe *sqe, int fd,
		       const struct iovec *iov, unsigned int nr, __u64 off)
{
	memset(sqe, 0, sizeof(*sqe));
	io_uring_prep_readv(sqe, fd, iov, nr, off);
	sqe->user_data = 0x5eadf;
}

/* One READV on a ring of its own: res, or INT_MIN when it did not run. */
static int uring_readv(int fd, const struct iovec *iov, unsigned int nr,
		       __u64 off)
{
	struct io_uring_sqe sqe;

	prep_readv(&sqe, fd, iov, nr, off);
	return uring_run_one_sqe_res(&sqe);
}

/* A page mapped with prot (unmap with munmap(p, page)), or MAP_FAILED. */
static void *page_with(long page, int prot)
{
	return mmap(NULL, (size_t)page, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Does buf hold len bytes of value c? */
static bool all_bytes(const void *buf, size_t len, unsigned char c)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

/* PROVIDE_BUFFERS of one buffer of len bytes at addr, group bgid, ID bid. */
static int provide_one(struct io_uring *ring, void *addr, int len, int bgid,
		       int bid)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_provide_buffers(&sqe, addr, len, 1, bgid, bid);
	return uring_run_sqe_res(ring, &sqe);
}

/*
 * readv(2) EBADF: "fd is not a valid file descriptor"; io_uring_enter(2)
 * CQE errors, EBADF for the fd field (since 5.1).
 */
TEST(readv_bad_fd_gets_ebadf)
{
	char buf[8];
	struct iovec iov = { buf, sizeof(buf) };

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "readv(2) EBADF");
	CONFORM_REQUIRE_URING();
	EXPECT_EQ(-EBADF, uring_readv(conform_bad_fd(), &iov, 1, 0));
}

/*
 * read(2) EBADF: fd "is not open for reading": a regular file open
 * write-only, and a pipe's write end, whose data stays in the pipe
 * (since 5.1).
 */
TEST(readv_fd_not_open_for_reading_gets_ebadf)
{
	char buf[8] = { 0 };
	struct iovec iov = { buf, sizeof(buf) };
	int fd, wo, p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_READV",
			"read(2) EBADF not open for reading");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(100, 0);
	ASSERT_LE(0, fd);
	wo = conform_reopen(fd, O_WRONLY);
	ASSERT_LE(0, wo);
	EXPECT_EQ(-EBADF, uring_readv(wo, &iov, 1, 0));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	EXPECT_EQ(-EBADF, uring_readv(p[1], &iov, 1, 0));
	EXPECT_EQ(3, read(p[0], buf, sizeof(buf)));
	close(p[0]);
	close(p[1]);
	close(wo);
	close(fd);
}

/*
 * readv(2) EINVAL: iovcnt "is less than zero or greater than the
 * permitted maximum" (IOV_MAX): IOV_MAX + 1 iovecs fail and nothing is
 * read; IOV_MAX of them are read (since 5.1).
 */
TEST(readv_more_than_iov_max_iovecs_gets_einval)
{
	static struct iovec iov[IOV_MAX + 1];
	static char data[IOV_MAX + 1];
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "readv(2) EINVAL IOV_MAX");
	CONFORM_REQUIRE_URING();
	for (size_t i = 0; i < IOV_MAX + 1; i++) {
		iov[i].iov_base = data + i;
		iov[i].iov_len = 1;
	}
	fd = conform_temp_file(2 * IOV_MAX, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_readv(fd, iov, IOV_MAX + 1, 0));
	EXPECT_TRUE(all_bytes(data, sizeof(data), 0));
	EXPECT_EQ(IOV_MAX, uring_readv(fd, iov, IOV_MAX, 0));
	EXPECT_TRUE(conform_check_pattern(data, IOV_MAX, 0));
	close(fd);
}

/*
 * readv(2) EFAULT (the iovec array outside the accessible address space):
 * sqe->addr pointing at an unreadable page fails the read (since 5.1).
 */
TEST(readv_unreadable_iovec_array_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *none;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "readv(2) EFAULT");
	CONFORM_REQUIRE_URING();
	none = page_with(page, PROT_NONE);
	ASSERT_NE(MAP_FAILED, none);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EFAULT, uring_readv(fd, none, 1, 0));
	close(fd);
	munmap(none, (size_t)page);
}

/*
 * read(2) EFAULT: "buf is outside your accessible address space": an
 * iovec whose buffer is a read-only page cannot take the data, and the
 * read fails with nothing stored (since 5.1).
 */
TEST(readv_into_unwritable_buffer_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct iovec iov;
	void *ro;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "read(2) EFAULT");
	CONFORM_REQUIRE_URING();
	ro = page_with(page, PROT_READ);
	ASSERT_NE(MAP_FAILED, ro);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	iov.iov_base = ro;
	iov.iov_len = 64;
	EXPECT_EQ(-EFAULT, uring_readv(fd, &iov, 1, 0));
	EXPECT_TRUE(all_bytes(ro, 64, 0));
	close(fd);
	munmap(ro, (size_t)page);
}

/*
 * readv(2): the call "reads iovcnt buffers"; with iovcnt 0 there is
 * nothing to fill, as with read(2) of count zero ("In the absence of any
 * errors ... returns zero"): res 0 (since 5.1).
 */
TEST(readv_with_no_iovecs_completes_zero)
{
	char buf[8];
	struct iovec iov = { buf, sizeof(buf) };
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "read(2) count zero returns zero");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, uring_readv(fd, &iov, 0, 0));
	close(fd);
}

/*
 * readv(2): the call "reads iovcnt buffers from the file ... into the
 * buffers described by iov", in array order; an iovec of length 0 takes
 * nothing, so the data goes on into the next one: iovecs of 0, 100, 0
 * and 50 bytes get bytes 0..99 and 100..149 (since 5.1).
 */
TEST(readv_skips_zero_length_iovecs)
{
	char a[16], b[100], c[50];
	struct iovec iov[4] = {
		{ a, 0 }, { b, sizeof(b) }, { NULL, 0 }, { c, sizeof(c) },
	};
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "readv(2) iovecs filled in order");
	CONFORM_REQUIRE_URING();
	memset(a, 0x5a, sizeof(a));
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(150, uring_readv(fd, iov, 4, 0));
	EXPECT_TRUE(all_bytes(a, sizeof(a), 0x5a));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 0));
	EXPECT_TRUE(conform_check_pattern(c, sizeof(c), sizeof(b)));
	close(fd);
}

/*
 * readv(2): "Buffers are processed in array order. This means that readv()
 * completely fills iov[0] before proceeding to iov[1], and so on. (If
 * there is insufficient data, then not all buffers pointed to by iov may
 * be filled.)" A file of 1500 bytes read into three iovecs of
 * 1000: res 1500, the first full, 500 bytes in the second, the third
 * untouched (since 5.1).
 */
TEST(readv_short_read_fills_iovecs_in_order)
{
	static char a[1000], b[1000], c[1000];
	struct iovec iov[3] = {
		{ a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) },
	};
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV",
			"readv(2) insufficient data: not all buffers filled");
	CONFORM_REQUIRE_URING();
	memset(b, 0x5a, sizeof(b));
	memset(c, 0x5a, sizeof(c));
	fd = conform_temp_file(1500, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1500, uring_readv(fd, iov, 3, 0));
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 0));
	EXPECT_TRUE(conform_check_pattern(b, 500, sizeof(a)));
	EXPECT_TRUE(all_bytes(b + 500, 500, 0x5a));
	EXPECT_TRUE(all_bytes(c, sizeof(c), 0x5a));
	close(fd);
}

/*
 * io_uring_setup(2) IORING_FEAT_RW_CUR_POS: applications can specify
 * offset == -1 with IORING_OP_{READV,WRITEV} "to mean current file
 * position ... It'll use (and update) the current file position": a READV at -1 after lseek to
 * 3000 reads from 3000 and leaves the position after the data (since
 * 5.6).
 */
TEST(readv_at_offset_minus_one_uses_and_advances_file_position)
{
	char a[300], b[700];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int fd;

	CONFORM_DECLARE("5.6", "IORING_FEAT_RW_CUR_POS",
			"io_uring_setup(2) IORING_FEAT_RW_CUR_POS");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RW_CUR_POS);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3000, lseek(fd, 3000, SEEK_SET));
	EXPECT_EQ(1000, uring_readv(fd, iov, 2, (__u64)-1));
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 3000));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 3300));
	EXPECT_EQ(4000, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/*
 * read(2) EISDIR: "fd refers to a directory": a READV of a directory fd
 * (the program's private directory, open O_RDONLY) fails (since 5.1).
 */
TEST(readv_of_directory_gets_eisdir)
{
	char buf[64];
	struct iovec iov = { buf, sizeof(buf) };
	int dfd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "read(2) EISDIR");
	CONFORM_REQUIRE_URING();
	dfd = open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(-EISDIR, uring_readv(dfd, &iov, 1, 0));
	close(dfd);
}

/*
 * Against io_uring_enter(2) CQE ERRORS ("EINVAL IORING_OP_READV or
 * IORING_OP_WRITEV was specified in the submission queue entry, but the
 * io_uring instance has fixed buffers registered"): a ring with a
 * registered buffer runs a READV as any ring does, into the iovec's
 * buffer, here the registered buffer itself (every kernel since 5.1).
 */
TEST(readv_on_ring_with_registered_buffers_works)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	struct iovec iov;
	void *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV",
			"io_uring_enter(2) CQE ERRORS EINVAL READV with fixed buffers registered (not so)");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4096 };
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	prep_readv(&sqe, fd, &iov, 1, 1024);
	EXPECT_EQ(4096, uring_run_sqe_res(&ring, &sqe));
	EXPECT_TRUE(conform_check_pattern(buf, 4096, 1024));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, 4096);
}

/*
 * io_uring_enter(2) IOSQE_BUFFER_SELECT: the read takes a buffer of the
 * group in buf_group; for READV (kernel commit 8cab19f460b6, "io_uring: add
 * IOSQE_BUFFER_SELECT support for IORING_OP_READV", 5.7) the one iovec
 * gives only the length wanted: the data lands in the provided buffer,
 * the CQE carries IORING_CQE_F_BUFFER and the buffer ID, and res is the
 * smaller of iov_len and the buffer's length (since 5.7).
 */
TEST(readv_with_buffer_select_reads_into_provided_buffer)
{
	static char pbuf[256], unused[512];
	struct iovec iov = { unused, 100 };
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_enter(2) IOSQE_BUFFER_SELECT; commit 8cab19f460b6 (5.7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, provide_one(&ring, pbuf, sizeof(pbuf), 6, 9));
	prep_readv(&sqe, fd, &iov, 1, 512);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = 6;
	ASSERT_EQ(0, uring_run_sqe(&ring, &sqe, &cqe));
	EXPECT_EQ(100, cqe.res);
	EXPECT_EQ((unsigned int)IORING_CQE_F_BUFFER, cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_EQ(9u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(pbuf, 100, 512));
	EXPECT_TRUE(all_bytes(unused, sizeof(unused), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel commit 8cab19f460b6 ("io_uring: add IOSQE_BUFFER_SELECT support
 * for IORING_OP_READV", 5.7): with buffer selection a READV must name
 * exactly one iovec; two are refused with -EINVAL and the provided buffer
 * stays in its group for the next read (since 5.7).
 */
TEST(readv_buffer_select_with_two_iovecs_gets_einval)
{
	static char pbuf[256], a[64], b[64];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"commit 8cab19f460b6 (5.7): io_uring: add IOSQE_BUFFER_SELECT support for IORING_OP_READV");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, provide_one(&ring, pbuf, sizeof(pbuf), 6, 9));
	prep_readv(&sqe, fd, iov, 2, 0);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = 6;
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&ring, &sqe));
	prep_readv(&sqe, fd, iov, 1, 0);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = 6;
	ASSERT_EQ(0, uring_run_sqe(&ring, &sqe, &cqe));
	EXPECT_EQ((int)sizeof(a), cqe.res);
	EXPECT_EQ(9u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
