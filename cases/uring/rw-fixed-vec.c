// SPDX-License-Identifier: MIT
/*
 * uring/rw-fixed-vec: IORING_OP_READV_FIXED and IORING_OP_WRITEV_FIXED
 * (kernel commit bdabba04bb10 "io_uring/rw: implement vectored registered
 * rw", 6.15): vectored I/O whose iovecs (sqe->addr, sqe->len of them) all
 * point into the registered buffer sqe->buf_index. The data goes to and
 * from the ranges in iovec order; an iovec outside the buffer, of length
 * 0, or a buf_index with no buffer fails with -EFAULT (io_vec_fill_bvec,
 * io_find_buf_node); an unreadable iovec array with -EFAULT and more than
 * UIO_MAXIOV iovecs with -EINVAL (iovec_from_user); a file not open for the
 * direction with -EBADF. A link orders a write before the read of the same
 * bytes. liburing 2.3 has no prep helper: the SQEs are filled by hand.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum {
	BUF_LEN = 8192,		/* the registered buffer, index 0 */
	FILE_LEN = 16384,
	TAG_WRITE = 1,
	TAG_READ = 2,
};

#define REQUIRE_READV_FIXED() \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_READV_FIXED, \
						 "IORING_OP_READV_FIXED"))
#define REQUIRE_WRITEV_FIXED() \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_WRITEV_FIXED, \
						 "IORING_OP_WRITEV_FIXED"))

/* A ring with one registered buffer (BUF_LEN bytes of anonymous memory). */
struct fixture {
	struct io_uring ring;
	unsigned char *buf;
};

/* Set up *f; the buffer holds zeros. */
static void fixture_init(struct __test_metadata *_metadata, struct fixture *f)
{
	struct iovec reg;

	f->buf = uring_anon_buf(BUF_LEN);
	ASSERT_NE(NULL, f->buf);
	ASSERT_EQ(0, io_uring_queue_init(8, &f->ring, 0));
	reg.iov_base = f->buf;
	reg.iov_len = BUF_LEN;
	ASSERT_EQ(0, io_uring_register_buffers(&f->ring, &reg, 1));
}

static void fixture_end(struct fixture *f)
{
	io_uring_queue_exit(&f->ring);
	munmap(f->buf, BUF_LEN);
}

/* An iovec of len bytes at offset off of the registered buffer. */
static struct iovec in_buf(struct fixture *f, size_t off, size_t len)
{
	struct iovec iov = { .iov_base = f->buf + off, .iov_len = len };

	return iov;
}

/*
 * Fill sqe with a READV_FIXED or WRITEV_FIXED (op) of the nr iovecs at iov,
 * on fd at file offset off, from registered buffer buf_index.
 */
static void prep_vec_fixed(struct io_uring_sqe *sqe, unsigned int op, int fd,
			   const struct iovec *iov, unsigned int nr, __u64 off,
			   unsigned int buf_index)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (__u8)op;
	sqe->fd = fd;
	sqe->addr = (__u64)(uintptr_t)iov;
	sqe->len = nr;
	sqe->off = off;
	sqe->buf_index = (__u16)buf_index;
}

/* Run one such request on f's ring: the CQE's res, or INT_MIN. */
static int run_vec_fixed(struct fixture *f, unsigned int op, int fd,
			 const struct iovec *iov, unsigned int nr, __u64 off,
			 unsigned int buf_index)
{
	struct io_uring_sqe sqe;

	prep_vec_fixed(&sqe, op, fd, iov, nr, off, buf_index);
	return uring_run_sqe_res(&f->ring, &sqe);
}

/*
 * io_uring_prep_writev_fixed(3): a vectored write "using registered
 * buffers"; the iovecs, ranges of the registered buffer in any order, are
 * gathered in iovec order and res is the byte count (kernel commit
 * bdabba04bb10, 6.15).
 */
TEST(writev_fixed_gathers_registered_ranges_in_order)
{
	struct fixture f;
	struct iovec iov[3];
	unsigned char back[1257], want[1257];
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_WRITEV_FIXED",
			"io_uring_prep_writev_fixed(3); commit bdabba04bb10 (6.15): io_uring/rw: implement vectored registered rw");
	REQUIRE_WRITEV_FIXED();
	fixture_init(_metadata, &f);
	conform_fill_pattern(f.buf, BUF_LEN, 0);
	iov[0] = in_buf(&f, 3000, 1200);
	iov[1] = in_buf(&f, 10, 7);
	iov[2] = in_buf(&f, 100, 50);
	memcpy(want, f.buf + 3000, 1200);
	memcpy(want + 1200, f.buf + 10, 7);
	memcpy(want + 1207, f.buf + 100, 50);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1257, run_vec_fixed(&f, REF_IORING_OP_WRITEV_FIXED, fd, iov,
				      3, 512, 0));
	EXPECT_EQ(512 + 1257, uring_file_size(fd));
	ASSERT_EQ(1257, pread(fd, back, sizeof(back), 512));
	EXPECT_EQ(0, memcmp(back, want, sizeof(want)));
	close(fd);
	fixture_end(&f);
}

/*
 * io_uring_prep_readv_fixed(3): a vectored read into registered buffers;
 * the file's bytes are scattered over the iovecs in order, res is the byte
 * count, and the rest of the buffer is untouched (kernel commit
 * bdabba04bb10, 6.15).
 */
TEST(readv_fixed_scatters_into_registered_ranges)
{
	struct fixture f;
	struct iovec iov[2];
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_READV_FIXED",
			"io_uring_prep_readv_fixed(3); commit bdabba04bb10 (6.15): io_uring/rw: implement vectored registered rw");
	REQUIRE_READV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	iov[0] = in_buf(&f, 4000, 100);
	iov[1] = in_buf(&f, 0, 300);
	EXPECT_EQ(400, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, fd, iov, 2,
				     1000, 0));
	EXPECT_TRUE(conform_check_pattern(f.buf + 4000, 100, 1000));
	EXPECT_TRUE(conform_check_pattern(f.buf, 300, 1100));
	EXPECT_EQ(0, f.buf[300]);
	EXPECT_EQ(0, f.buf[3999]);
	EXPECT_EQ(0, f.buf[4100]);
	close(fd);
	fixture_end(&f);
}

/*
 * io_vec_fill_bvec() (kernel commit 9ef4cbbcb4ac "io_uring: add infra for
 * importing vectored reg buffers", 6.15): every iovec must lie inside the
 * registered buffer; a READV_FIXED with one that runs past its end, or
 * lies wholly outside it, fails with -EFAULT and reads nothing into it.
 */
TEST(readv_fixed_iovec_outside_buffer_gets_efault)
{
	struct fixture f;
	struct iovec iov[2];
	char outside[64];
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_READV_FIXED",
			"commit 9ef4cbbcb4ac (6.15): io_uring: add infra for importing vectored reg buffers (io_vec_fill_bvec)");
	REQUIRE_READV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	iov[0] = in_buf(&f, 0, 100);
	iov[1] = in_buf(&f, BUF_LEN - 50, 100);
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, fd,
					 iov, 2, 0, 0));
	iov[1].iov_base = outside;
	iov[1].iov_len = sizeof(outside);
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, fd,
					 iov, 2, 0, 0));
	EXPECT_EQ(0, f.buf[0]);
	EXPECT_EQ(0, f.buf[99]);
	close(fd);
	fixture_end(&f);
}

/*
 * io_vec_fill_bvec() (kernel commit 9ef4cbbcb4ac, 6.15): a WRITEV_FIXED
 * with an iovec that runs past the end of the registered buffer fails with
 * -EFAULT, and nothing is written, not even its valid first iovec.
 */
TEST(writev_fixed_iovec_outside_buffer_gets_efault)
{
	struct fixture f;
	struct iovec iov[2];
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_WRITEV_FIXED",
			"commit 9ef4cbbcb4ac (6.15): io_uring: add infra for importing vectored reg buffers (io_vec_fill_bvec)");
	REQUIRE_WRITEV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	iov[0] = in_buf(&f, 0, 100);
	iov[1] = in_buf(&f, BUF_LEN - 1, 2);
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_WRITEV_FIXED, fd,
					 iov, 2, 0, 0));
	EXPECT_EQ(0, uring_file_size(fd));
	close(fd);
	fixture_end(&f);
}

/*
 * io_import_reg_vec() (kernel commit 9ef4cbbcb4ac, 6.15): a buf_index with
 * no registered buffer behind it fails the request with -EFAULT, as for
 * READ_FIXED (io_uring_enter(2): "EFAULT ... buf_index ... not registered"),
 * for both opcodes: an index past the one buffer, and any index on a ring
 * with none.
 */
TEST(vec_fixed_unregistered_buf_index_gets_efault)
{
	struct io_uring bare;
	struct io_uring_sqe sqe;
	struct fixture f;
	struct iovec iov;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_READV_FIXED",
			"commit 9ef4cbbcb4ac (6.15): io_uring: add infra for importing vectored reg buffers (io_import_reg_vec)");
	REQUIRE_READV_FIXED();
	REQUIRE_WRITEV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	iov = in_buf(&f, 0, 64);
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, fd,
					 &iov, 1, 0, 1));
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_WRITEV_FIXED, fd,
					 &iov, 1, 0, 1));
	ASSERT_EQ(0, io_uring_queue_init(4, &bare, 0));
	prep_vec_fixed(&sqe, REF_IORING_OP_READV_FIXED, fd, &iov, 1, 0, 0);
	EXPECT_EQ(-EFAULT, uring_run_sqe_res(&bare, &sqe));
	prep_vec_fixed(&sqe, REF_IORING_OP_WRITEV_FIXED, fd, &iov, 1, 0, 0);
	EXPECT_EQ(-EFAULT, uring_run_sqe_res(&bare, &sqe));
	io_uring_queue_exit(&bare);
	EXPECT_EQ(FILE_LEN, uring_file_size(fd));
	close(fd);
	fixture_end(&f);
}

/*
 * io_vec_fill_bvec() (kernel commit 9ef4cbbcb4ac, 6.15): an iovec of length
 * 0 fails the request with -EFAULT, unlike readv(2), which skips it.
 */
TEST(readv_fixed_zero_length_iovec_gets_efault)
{
	struct fixture f;
	struct iovec iov[2];
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_READV_FIXED",
			"commit 9ef4cbbcb4ac (6.15): io_uring: add infra for importing vectored reg buffers (io_vec_fill_bvec)");
	REQUIRE_READV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	iov[0] = in_buf(&f, 0, 100);
	iov[1] = in_buf(&f, 200, 0);
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, fd,
					 iov, 2, 0, 0));
	close(fd);
	fixture_end(&f);
}

/*
 * readv(2) EFAULT (the iovec array is outside the accessible address
 * space): a READV_FIXED whose sqe->addr points at an unreadable page fails
 * with -EFAULT (iovec_from_user(), kernel commit bdabba04bb10, 6.15).
 */
TEST(readv_fixed_unreadable_iovec_array_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct fixture f;
	void *none;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_READV_FIXED",
			"readv(2) EFAULT; commit bdabba04bb10 (6.15): io_uring/rw: implement vectored registered rw");
	REQUIRE_READV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	none = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	EXPECT_EQ(-EFAULT, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, fd,
					 none, 2, 0, 0));
	munmap(none, (size_t)page);
	close(fd);
	fixture_end(&f);
}

/*
 * writev(2) EINVAL (iovcnt greater than the permitted maximum, IOV_MAX): a
 * WRITEV_FIXED of IOV_MAX + 1 iovecs, all inside the registered buffer,
 * fails with -EINVAL and writes nothing (iovec_from_user(), kernel commit
 * bdabba04bb10, 6.15).
 */
TEST(writev_fixed_more_than_iov_max_iovecs_gets_einval)
{
	static struct iovec iov[IOV_MAX + 1];
	struct fixture f;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_WRITEV_FIXED",
			"writev(2) EINVAL IOV_MAX; commit bdabba04bb10 (6.15): io_uring/rw: implement vectored registered rw");
	REQUIRE_WRITEV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	for (size_t i = 0; i < IOV_MAX + 1; i++)
		iov[i] = in_buf(&f, i % BUF_LEN, 1);
	EXPECT_EQ(-EINVAL, run_vec_fixed(&f, REF_IORING_OP_WRITEV_FIXED, fd,
					 iov, IOV_MAX + 1, 0, 0));
	EXPECT_EQ(IOV_MAX, run_vec_fixed(&f, REF_IORING_OP_WRITEV_FIXED, fd,
					 iov, IOV_MAX, 0, 0));
	close(fd);
	fixture_end(&f);
}

/*
 * writev(2) EBADF (fd not open for writing): a WRITEV_FIXED to a file open
 * read-only fails with -EBADF, and a READV_FIXED from one open write-only
 * too (io_rw_init_file(), kernel commit bdabba04bb10, 6.15).
 */
TEST(vec_fixed_on_fd_without_the_access_gets_ebadf)
{
	struct fixture f;
	struct iovec iov;
	int fd, ro, wo;

	CONFORM_DECLARE("6.15", "IORING_OP_WRITEV_FIXED",
			"writev(2) EBADF not open for writing; commit bdabba04bb10 (6.15): io_uring/rw: implement vectored registered rw");
	REQUIRE_WRITEV_FIXED();
	REQUIRE_READV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	ro = conform_reopen(fd, O_RDONLY);
	wo = conform_reopen(fd, O_WRONLY);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	iov = in_buf(&f, 0, 64);
	EXPECT_EQ(-EBADF, run_vec_fixed(&f, REF_IORING_OP_WRITEV_FIXED, ro,
					&iov, 1, 0, 0));
	EXPECT_EQ(-EBADF, run_vec_fixed(&f, REF_IORING_OP_READV_FIXED, wo,
					&iov, 1, 0, 0));
	EXPECT_EQ(0, f.buf[0]);
	EXPECT_EQ(0, f.buf[63]);
	close(ro);
	close(wo);
	close(fd);
	fixture_end(&f);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "the next SQE will not be started
 * before the previous request completes": a WRITEV_FIXED linked to a
 * READV_FIXED of the same file range has written when the read starts, so
 * the read brings back the written bytes into another range of the
 * buffer; CQEs come in chain order (both opcodes since 6.15).
 */
TEST(linked_writev_fixed_then_readv_fixed_reads_back_written_data)
{
	struct fixture f;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct iovec wr[2], rd[2];
	int fd;

	CONFORM_DECLARE("6.15", "IORING_OP_READV_FIXED",
			"io_uring_enter(2) IOSQE_IO_LINK; commit bdabba04bb10 (6.15): io_uring/rw: implement vectored registered rw");
	REQUIRE_WRITEV_FIXED();
	REQUIRE_READV_FIXED();
	fixture_init(_metadata, &f);
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(f.buf, 1000, 50000);
	wr[0] = in_buf(&f, 0, 600);
	wr[1] = in_buf(&f, 600, 400);
	rd[0] = in_buf(&f, 4000, 300);
	rd[1] = in_buf(&f, 6000, 700);
	sqe = io_uring_get_sqe(&f.ring);
	ASSERT_NE(NULL, sqe);
	prep_vec_fixed(sqe, REF_IORING_OP_WRITEV_FIXED, fd, wr, 2, 2048, 0);
	sqe->flags = IOSQE_IO_LINK;
	sqe->user_data = TAG_WRITE;
	sqe = io_uring_get_sqe(&f.ring);
	ASSERT_NE(NULL, sqe);
	prep_vec_fixed(sqe, REF_IORING_OP_READV_FIXED, fd, rd, 2, 2048, 0);
	sqe->user_data = TAG_READ;
	ASSERT_EQ(2, io_uring_submit(&f.ring));
	ASSERT_EQ(0, uring_reap_one(&f.ring, &cqe));
	EXPECT_EQ((__u64)TAG_WRITE, cqe.user_data);
	EXPECT_EQ(1000, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&f.ring, &cqe));
	EXPECT_EQ((__u64)TAG_READ, cqe.user_data);
	EXPECT_EQ(1000, cqe.res);
	EXPECT_TRUE(conform_check_pattern(f.buf + 4000, 300, 50000));
	EXPECT_TRUE(conform_check_pattern(f.buf + 6000, 700, 50300));
	close(fd);
	fixture_end(&f);
}

TEST_HARNESS_MAIN
