// SPDX-License-Identifier: MIT
/*
 * uring/register-buffers: IORING_REGISTER_BUFFERS / IORING_UNREGISTER_BUFFERS
 * and the fixed-buffer opcodes IORING_OP_READ_FIXED / IORING_OP_WRITE_FIXED:
 * I/O from and into a registered buffer (the whole of it or a part), the
 * CQE's -EFAULT for ranges or indexes outside the registered table, and the
 * registration errors (EBUSY, ENXIO, EINVAL, EFAULT) of io_uring_register(2).
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"

enum { BUF_LEN = 8192 };

/*
 * Run one READ_FIXED (write false) or WRITE_FIXED (write true) of len bytes
 * at addr, file offset off, buffer index idx, and return its CQE's res
 * (or the negative error of the submit or the wait).
 */
static int run_fixed(struct io_uring *ring, bool write, int fd, void *addr,
		     unsigned int len, __u64 off, int idx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	if (write)
		io_uring_prep_write_fixed(sqe, fd, addr, len, off, idx);
	else
		io_uring_prep_read_fixed(sqe, fd, addr, len, off, idx);
	io_uring_sqe_set_data64(sqe, 0x600d);
	return uring_submit_res_or_error(ring);
}

/*
 * A 16 KiB patterned temp file, and ring set up with iov as its one
 * registered buffer; returns the file's fd.
 */
static int file_and_ring_with_buffer(struct __test_metadata *_metadata,
				     struct io_uring *ring, struct iovec *iov)
{
	int fd = conform_temp_file(16384, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(0, uring_register_raw(ring, IORING_REGISTER_BUFFERS, iov, 1));
	return fd;
}

/* On a ring of its own, io_uring_register(2) op fails: -1, errno err. */
static void expect_register_fails(struct __test_metadata *_metadata,
				  unsigned int op, void *arg, unsigned int nr,
				  int err)
{
	struct io_uring ring;

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, op, arg, nr));
	EXPECT_EQ(err, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_BUFFERS: after registration the
 * buffers are "eligible for I/O" with IORING_OP_WRITE_FIXED and buf_index;
 * the write stores the buffer's bytes (since 5.1).
 */
TEST(write_fixed_writes_from_registered_buffer)
{
	struct io_uring ring;
	struct iovec iov[2];
	char back[4096];
	void *a, *b;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITE_FIXED",
			"io_uring_register(2) IORING_REGISTER_BUFFERS");
	CONFORM_REQUIRE_URING();
	a = uring_anon_buf(4096);
	b = uring_anon_buf(4096);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	memset(a, 0, 4096);
	conform_fill_pattern(b, 4096, 0);
	iov[0] = (struct iovec){ .iov_base = a, .iov_len = 4096 };
	iov[1] = (struct iovec){ .iov_base = b, .iov_len = 4096 };
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, iov, 2));
	EXPECT_EQ(4096, run_fixed(&ring, true, fd, b, 4096, 0, 1));
	ASSERT_EQ(4096, pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(a, 4096);
	munmap(b, 4096);
}

/*
 * io_uring_register(2): "It is perfectly valid to setup a large buffer and
 * then only use part of it for an I/O, as long as the range is within the
 * originally mapped region": a READ_FIXED into the middle fills exactly
 * that range (since 5.1).
 */
TEST(read_fixed_into_part_of_registered_buffer)
{
	struct io_uring ring;
	struct iovec iov;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"io_uring_register(2) IORING_REGISTER_BUFFERS: part of a buffer");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(BUF_LEN);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, BUF_LEN);
	iov = (struct iovec){ .iov_base = buf, .iov_len = BUF_LEN };
	fd = file_and_ring_with_buffer(_metadata, &ring, &iov);
	EXPECT_EQ(2048, run_fixed(&ring, false, fd, buf + 1024, 2048, 4096, 0));
	EXPECT_TRUE(conform_check_pattern(buf + 1024, 2048, 4096));
	EXPECT_EQ(0xaa, buf[1023]);
	EXPECT_EQ(0xaa, buf[3072]);
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * io_uring_enter(2) CQE ERRORS: EFAULT when "the address range described by
 * addr and len does not fit within the buffer registered at buf_index":
 * a range running 100 bytes past the end (since 5.1).
 */
TEST(read_fixed_past_end_of_buffer_gets_efault)
{
	struct io_uring ring;
	struct iovec iov;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"io_uring_enter(2) CQE ERRORS EFAULT: range outside the buffer");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(BUF_LEN);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4096 };
	fd = file_and_ring_with_buffer(_metadata, &ring, &iov);
	/* The mapping goes on past the registered 4096 bytes: only the
	 * registered range matters, not whether the memory exists. */
	EXPECT_EQ(-EFAULT, run_fixed(&ring, false, fd, buf + 4096 - 100, 200, 0, 0));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * io_uring_enter(2) CQE ERRORS: EFAULT when the range "does not fit within
 * the buffer registered at buf_index": one starting 64 bytes before the
 * registered start, inside the same mapping (since 5.1).
 */
TEST(read_fixed_before_start_of_buffer_gets_efault)
{
	struct io_uring ring;
	struct iovec iov;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"io_uring_enter(2) CQE ERRORS EFAULT: range outside the buffer");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(BUF_LEN);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf + 4096, .iov_len = 4096 };
	fd = file_and_ring_with_buffer(_metadata, &ring, &iov);
	EXPECT_EQ(-EFAULT, run_fixed(&ring, false, fd, buf + 4096 - 64, 128, 0, 0));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * io_uring_enter(2) CQE ERRORS: EFAULT for READ_FIXED when the range does
 * not fit "the buffer registered at buf_index"; with one buffer registered,
 * buf_index 1 names none (the kernel's io_import_fixed gives -EFAULT for an
 * index at or past the table's end, since 5.1).
 */
TEST(read_fixed_with_index_past_table_gets_efault)
{
	struct io_uring ring;
	struct iovec iov;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"io_uring_enter(2) CQE ERRORS EFAULT; io_import_fixed() buf_index check");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4096 };
	fd = file_and_ring_with_buffer(_metadata, &ring, &iov);
	EXPECT_EQ(-EFAULT, run_fixed(&ring, false, fd, buf, 4096, 0, 1));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, 4096);
}

/*
 * io_uring_enter(2) CQE ERRORS: EFAULT for READ_FIXED / WRITE_FIXED when
 * "buffers were not registered for this io_uring instance" (since 5.1).
 */
TEST(write_fixed_without_registered_buffers_gets_efault)
{
	struct io_uring ring;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITE_FIXED",
			"io_uring_enter(2) CQE ERRORS EFAULT: no buffers registered");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	conform_fill_pattern(buf, 4096, 0);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EFAULT, run_fixed(&ring, true, fd, buf, 4096, 0, 0));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_END));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, 4096);
}

/*
 * io_uring_register(2) ERRORS: EBUSY when IORING_REGISTER_BUFFERS "was
 * specified, but there were already buffers ... registered"; to change
 * the set, unregister first (since 5.1).
 */
TEST(register_buffers_twice_gets_ebusy)
{
	struct io_uring ring;
	struct iovec iov;
	void *buf;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) ERRORS EBUSY");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4096 };
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(EBUSY, errno);
	/* After unregistering, registering works again. */
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_BUFFERS, NULL, 0));
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	io_uring_queue_exit(&ring);
	munmap(buf, 4096);
}

/*
 * io_uring_register(2) ERRORS: ENXIO when IORING_UNREGISTER_BUFFERS "was
 * specified, but there were no buffers ... registered" (since 5.1).
 */
TEST(unregister_buffers_without_registration_gets_enxio)
{
	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_BUFFERS",
			"io_uring_register(2) ERRORS ENXIO");
	CONFORM_REQUIRE_URING();
	expect_register_fails(_metadata, IORING_UNREGISTER_BUFFERS, NULL, 0, ENXIO);
}

/*
 * io_uring_register(2) ERRORS: EINVAL when IORING_REGISTER_BUFFERS "was
 * specified, but nr_args is 0" (since 5.1).
 */
TEST(register_zero_buffers_gets_einval)
{
	struct iovec iov = { 0 };

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) ERRORS EINVAL: nr_args is 0");
	CONFORM_REQUIRE_URING();
	expect_register_fails(_metadata, IORING_REGISTER_BUFFERS, &iov, 0, EINVAL);
}

/*
 * io_uring_register(2) ERRORS: EINVAL when IORING_REGISTER_BUFFERS' nr_args
 * exceeds the maximum: UIO_MAXIOV (1024) up to 5.12, 16384 since 5.13
 * (commit "io_uring: increase max number of reg buffers"); 16385 is above
 * both, so the array is never read (since 5.1).
 */
TEST(register_too_many_buffers_gets_einval)
{
	struct iovec iov = { 0 };

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) ERRORS EINVAL: nr_args above the maximum");
	CONFORM_REQUIRE_URING();
	expect_register_fails(_metadata, IORING_REGISTER_BUFFERS, &iov, 16385,
			      EINVAL);
}

/*
 * io_uring_register(2): "there is a size limit of 1GiB per buffer";
 * ERRORS: EFAULT when "iov_len is greater than 1GiB" (since 5.1). Only the
 * first page is mapped: the length is refused before any page is pinned.
 */
TEST(buffer_larger_than_1gib_gets_efault)
{
	struct iovec iov;
	void *buf;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) ERRORS EFAULT: iov_len above 1GiB");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf, .iov_len = (1UL << 30) + 4096 };
	expect_register_fails(_metadata, IORING_REGISTER_BUFFERS, &iov, 1, EFAULT);
	munmap(buf, 4096);
}

/*
 * io_uring_register(2) ERRORS: EFAULT when the "buffer is outside of the
 * process' accessible address space": a range just unmapped (since 5.1).
 */
TEST(unmapped_buffer_gets_efault)
{
	struct io_uring ring;
	struct iovec iov;
	void *buf;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) ERRORS EFAULT: buffer outside the address space");
	CONFORM_REQUIRE_URING();
	/* The ring first: its own mappings could reuse the freed range. */
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, munmap(buf, 4096));
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4096 };
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(EFAULT, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EINVAL when IORING_UNREGISTER_BUFFERS "was
 * specified, and nr_args is non-zero or arg is non-NULL"; the buffers stay
 * registered (since 5.1).
 */
TEST(unregister_buffers_with_nonzero_nr_args_gets_einval)
{
	struct io_uring ring;
	struct iovec iov;
	void *buf;

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_BUFFERS",
			"io_uring_register(2) ERRORS EINVAL: nr_args non-zero");
	CONFORM_REQUIRE_URING();
	buf = uring_anon_buf(4096);
	ASSERT_NE(NULL, buf);
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4096 };
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_BUFFERS, NULL, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_BUFFERS, NULL, 0));
	io_uring_queue_exit(&ring);
	munmap(buf, 4096);
}

TEST_HARNESS_MAIN
