// SPDX-License-Identifier: MIT
/*
 * uring/read-fixed: IORING_OP_READ_FIXED / IORING_OP_WRITE_FIXED (Linux
 * 5.1), I/O through buffers registered with IORING_REGISTER_BUFFERS, beyond
 * uring/register-buffers (success, ranges and indexes outside the table,
 * no buffers registered) and uring/rsrc-tags (sparse tables): a
 * zero-length request, a read cut short by end of file, offset -1 and the
 * file position (5.6), the access mode of the fd (EBADF), buffer selection
 * refused (EOPNOTSUPP), a read-only mapping refused at registration
 * (EFAULT), and I/O through the kernel's own pinned pages after the
 * application unmapped the buffer.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"

enum { BUF_LEN = 8192, FILE_LEN = 16384 };

/* A READ_FIXED (write false) or WRITE_FIXED of len bytes at addr, file
 * offset off, buffer index idx, on sqe. */
static void prep_fixed(struct io_uring_sqe *sqe, bool write, int fd,
		       void *addr, unsigned int len, __u64 off, int idx)
{
	memset(sqe, 0, sizeof(*sqe));
	if (write)
		io_uring_prep_write_fixed(sqe, fd, addr, len, off, idx);
	else
		io_uring_prep_read_fixed(sqe, fd, addr, len, off, idx);
	sqe->user_data = 0xf1ed;
}

/* Run one READ_FIXED / WRITE_FIXED on ring: res or INT_MIN. */
static int run_fixed(struct io_uring *ring, bool write, int fd, void *addr,
		     unsigned int len, __u64 off, int idx)
{
	struct io_uring_sqe sqe;

	prep_fixed(&sqe, write, fd, addr, len, off, idx);
	return uring_run_sqe_res(ring, &sqe);
}

/*
 * A ring with one registered buffer of BUF_LEN bytes at *buf (anonymous,
 * filled with 0xaa) and a FILE_LEN-byte pattern file, whose fd is returned.
 */
static int ring_buffer_and_file(struct __test_metadata *_metadata,
				struct io_uring *ring, unsigned char **buf)
{
	struct iovec iov;
	int fd;

	*buf = uring_anon_buf(BUF_LEN);
	ASSERT_NE(NULL, *buf);
	memset(*buf, 0xaa, BUF_LEN);
	iov = (struct iovec){ .iov_base = *buf, .iov_len = BUF_LEN };
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(0, uring_register_raw(ring, IORING_REGISTER_BUFFERS, &iov, 1));
	fd = conform_temp_file(FILE_LEN, 0);
	ASSERT_LE(0, fd);
	return fd;
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

/*
 * read(2): "a read() with a count of 0 returns zero and has no other
 * effects"; a READ_FIXED of 0 bytes inside the registered buffer completes
 * with 0 and leaves the buffer as it was (since 5.1).
 */
TEST(read_fixed_of_zero_bytes_completes_zero)
{
	struct io_uring ring;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"read(2) count of 0 returns zero");
	CONFORM_REQUIRE_URING();
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	EXPECT_EQ(0, run_fixed(&ring, false, fd, buf + 100, 0, 0, 0));
	EXPECT_TRUE(all_bytes(buf, BUF_LEN, 0xaa));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * read(2): "It is not an error if this number is smaller than the number
 * of bytes requested; this may happen ... because we were close to
 * end-of-file"; "If the file offset is at or past
 * the end of file, no bytes are read, and read() returns zero". A
 * READ_FIXED of 8192 bytes at 12288 of a 16 KiB file gives 4096, one at
 * 16384 gives 0 (since 5.1).
 */
TEST(read_fixed_past_eof_returns_short_count)
{
	struct io_uring ring;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"read(2) RETURN VALUE: fewer bytes near end-of-file, zero at it");
	CONFORM_REQUIRE_URING();
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	EXPECT_EQ(4096, run_fixed(&ring, false, fd, buf, BUF_LEN, 12288, 0));
	EXPECT_TRUE(conform_check_pattern(buf, 4096, 12288));
	EXPECT_TRUE(all_bytes(buf + 4096, BUF_LEN - 4096, 0xaa));
	EXPECT_EQ(0, run_fixed(&ring, false, fd, buf, BUF_LEN, FILE_LEN, 0));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * io_uring_setup(2) IORING_FEAT_RW_CUR_POS: offset -1 with
 * IORING_OP_{READ,WRITE}_FIXED means "current file position ... It'll
 * use (and update) the current file position": a READ_FIXED at -1 after
 * lseek to 5000 reads from 5000 and moves the position to 6000 (since
 * 5.6).
 */
TEST(read_fixed_at_offset_minus_one_uses_and_advances_file_position)
{
	struct io_uring ring;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_FEAT_RW_CUR_POS",
			"io_uring_setup(2) IORING_FEAT_RW_CUR_POS: IORING_OP_{READ,WRITE}_FIXED");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RW_CUR_POS);
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	ASSERT_EQ(5000, lseek(fd, 5000, SEEK_SET));
	EXPECT_EQ(1000, run_fixed(&ring, false, fd, buf, 1000, (__u64)-1, 0));
	EXPECT_TRUE(conform_check_pattern(buf, 1000, 5000));
	EXPECT_EQ(6000, lseek(fd, 0, SEEK_CUR));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * write(2) EBADF: fd "is not open for writing": a WRITE_FIXED on a
 * read-only fd of the file fails and the file keeps its data (since 5.1).
 */
TEST(write_fixed_on_read_only_fd_gets_ebadf)
{
	struct io_uring ring;
	unsigned char *buf, back[64];
	int fd, ro;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITE_FIXED",
			"write(2) EBADF not open for writing");
	CONFORM_REQUIRE_URING();
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	ro = conform_reopen(fd, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EBADF, run_fixed(&ring, true, ro, buf, 64, 0, 0));
	ASSERT_EQ(64, pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	io_uring_queue_exit(&ring);
	close(ro);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * read(2) EBADF: fd "is not open for reading": a READ_FIXED on a
 * write-only fd of the file fails and the buffer stays as it was (since
 * 5.1).
 */
TEST(read_fixed_on_write_only_fd_gets_ebadf)
{
	struct io_uring ring;
	unsigned char *buf;
	int fd, wo;

	CONFORM_DECLARE("5.1", "IORING_OP_READ_FIXED",
			"read(2) EBADF not open for reading");
	CONFORM_REQUIRE_URING();
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	wo = conform_reopen(fd, O_WRONLY);
	ASSERT_LE(0, wo);
	EXPECT_EQ(-EBADF, run_fixed(&ring, false, wo, buf, 64, 0, 0));
	EXPECT_TRUE(all_bytes(buf, BUF_LEN, 0xaa));
	io_uring_queue_exit(&ring);
	close(wo);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * io_uring_enter(2) IOSQE_BUFFER_SELECT: buffer selection is for requests
 * that pick a provided buffer; READ_FIXED names a registered one instead,
 * and the flag on it is refused with -EOPNOTSUPP (kernel: the opcode table
 * has no buffer_select bit for it) (since 5.7, when the flag came).
 */
TEST(read_fixed_with_buffer_select_gets_eopnotsupp)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	unsigned char *buf;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_enter(2) IOSQE_BUFFER_SELECT; io_init_req() -EOPNOTSUPP without buffer_select");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	prep_fixed(&sqe, false, fd, buf, 64, 0, 0);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	EXPECT_EQ(-EOPNOTSUPP, uring_run_sqe_res(&ring, &sqe));
	EXPECT_TRUE(all_bytes(buf, BUF_LEN, 0xaa));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, BUF_LEN);
}

/*
 * io_uring_register(2) IORING_REGISTER_BUFFERS: the buffers "will be
 * locked in memory" for I/O in both directions, so the kernel pins them
 * for writing; a read-only mapping cannot be pinned so and the
 * registration fails with EFAULT (ERRORS: EFAULT, "buffer is outside of
 * the process' accessible address space") (since 5.1).
 */
TEST(register_read_only_mapping_gets_efault)
{
	struct io_uring ring;
	struct iovec iov;
	void *ro;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) IORING_REGISTER_BUFFERS locked in memory; ERRORS EFAULT");
	CONFORM_REQUIRE_URING();
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	iov = (struct iovec){ .iov_base = ro, .iov_len = 4096 };
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(EFAULT, errno);
	io_uring_queue_exit(&ring);
	munmap(ro, 4096);
}

/*
 * io_uring_register(2) IORING_REGISTER_BUFFERS: the buffers "will be
 * locked in memory"; "After a successful call, the supplied buffers are
 * mapped into the kernel and eligible for I/O": the kernel holds the
 * pages, not the application's mapping. After munmap of the buffer, a
 * WRITE_FIXED naming its old addresses still writes the bytes the buffer
 * held (since 5.1).
 */
TEST(write_fixed_uses_pinned_pages_after_unmap)
{
	struct io_uring ring;
	unsigned char *buf, back[4096];
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITE_FIXED",
			"io_uring_register(2) IORING_REGISTER_BUFFERS locked in memory, mapped into the kernel");
	CONFORM_REQUIRE_URING();
	fd = ring_buffer_and_file(_metadata, &ring, &buf);
	conform_fill_pattern(buf, 4096, 100);
	ASSERT_EQ(0, ftruncate(fd, 0));
	ASSERT_EQ(0, munmap(buf, BUF_LEN));
	EXPECT_EQ(4096, run_fixed(&ring, true, fd, buf, 4096, 100, 0));
	ASSERT_EQ(4096, pread(fd, back, sizeof(back), 100));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 100));
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
