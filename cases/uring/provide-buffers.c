// SPDX-License-Identifier: MIT
/*
 * uring/provide-buffers: the legacy provided buffers, IORING_OP_PROVIDE_BUFFERS
 * and IORING_OP_REMOVE_BUFFERS (5.7), used by reads with IOSQE_BUFFER_SELECT:
 * the buffer ID in the CQE flags, the data in that buffer, one use per
 * buffer, ENOBUFS when the group is empty, removal counts and ENOENT, and
 * buffer selection refused on an opcode that does not read.
 */
#include <liburing.h>

#include "conform_uring.h"

/* PROVIDE_BUFFERS of nr buffers of len bytes from addr, group bgid, IDs from bid. */
static int provide(struct io_uring *ring, void *addr, int len, int nr,
		   int bgid, int bid)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_provide_buffers(&sqe, addr, len, nr, bgid, bid);
	return uring_run_sqe_res(ring, &sqe);
}

static int remove_bufs(struct io_uring *ring, int nr, int bgid)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_remove_buffers(&sqe, nr, bgid);
	return uring_run_sqe_res(ring, &sqe);
}

/* An IORING_OP_READ of len bytes at off with a buffer from group bgid. */
static int select_read(struct io_uring *ring, int fd, unsigned int len,
		       __u64 off, int bgid, struct io_uring_cqe *cqe)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_read(&sqe, fd, NULL, len, off);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = (__u16)bgid;
	return uring_run_sqe(ring, &sqe, cqe);
}

/* A private pattern file of size bytes and a 4-entry ring; the file's fd. */
static int pattern_file_and_ring(struct __test_metadata *_metadata,
				 size_t size, struct io_uring *ring)
{
	int fd = conform_temp_file(size, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	return fd;
}

/*
 * io_uring_prep_provide_buffers(3): "On success, res will contain the
 * number of successfully provided buffers" (IORING_OP_PROVIDE_BUFFERS,
 * since 5.7: io_add_buffers() returned the count). From 5.18 ("io_uring:
 * manage provided buffers strictly ordered") io_add_buffers() returns 0
 * once any buffer was added, and the request completes with 0
 * (cases/known-failures.txt).
 */
TEST(provide_buffers_res_is_number_provided)
{
	static char bufs[3][64];
	struct io_uring ring;

	CONFORM_DECLARE("5.7", "IORING_OP_PROVIDE_BUFFERS",
			"io_uring_prep_provide_buffers(3) res");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(3, provide(&ring, bufs, 64, 3, 1, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IOSQE_BUFFER_SELECT: the read takes a buffer from the
 * group in buf_group; the CQE has IORING_CQE_F_BUFFER set and the buffer ID
 * in the bits above IORING_CQE_BUFFER_SHIFT; the data is in that buffer
 * (since 5.7).
 */
TEST(read_with_buffer_select_fills_the_provided_buffer)
{
	static char buf[256];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_enter(2) IOSQE_BUFFER_SELECT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = pattern_file_and_ring(_metadata, 4096, &ring);
	ASSERT_LE(0, provide(&ring, buf, sizeof(buf), 1, 3, 7));
	ASSERT_EQ(0, select_read(&ring, fd, sizeof(buf), 512, 3, &cqe));
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	EXPECT_EQ((unsigned int)IORING_CQE_F_BUFFER, cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_EQ(7u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 512));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_prep_provide_buffers(3): each buffer has the length given when it
 * was provided; a read asking for more is cut to it (kernel
 * io_buffer_select(), since 5.7): res is the buffer's length.
 */
TEST(selected_read_is_limited_to_buffer_length)
{
	static char buf[100];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_prep_provide_buffers(3); io_uring/kbuf.c "
			"io_buffer_select()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = pattern_file_and_ring(_metadata, 8192, &ring);
	ASSERT_LE(0, provide(&ring, buf, sizeof(buf), 1, 4, 0));
	ASSERT_EQ(0, select_read(&ring, fd, 4096, 0, 4, &cqe));
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	EXPECT_EQ(0u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2): "Once a buffer has been used, it is no longer available
 * in the kernel pool"; "If no buffers are available ... the request will
 * fail with -ENOBUFS". Two buffers serve two reads, with distinct IDs from
 * the range provided, and a third read fails (since 5.7).
 */
TEST(each_buffer_serves_one_read_then_enobufs)
{
	static char bufs[2][128];
	struct io_uring ring;
	struct io_uring_cqe c1, c2, c3;
	unsigned int b1, b2;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_enter(2) IOSQE_BUFFER_SELECT -ENOBUFS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = pattern_file_and_ring(_metadata, 4096, &ring);
	ASSERT_LE(0, provide(&ring, bufs, 128, 2, 5, 20));
	ASSERT_EQ(0, select_read(&ring, fd, 128, 0, 5, &c1));
	ASSERT_EQ(0, select_read(&ring, fd, 128, 128, 5, &c2));
	ASSERT_EQ(0, select_read(&ring, fd, 128, 256, 5, &c3));
	EXPECT_EQ(128, c1.res);
	EXPECT_EQ(128, c2.res);
	b1 = c1.flags >> IORING_CQE_BUFFER_SHIFT;
	b2 = c2.flags >> IORING_CQE_BUFFER_SHIFT;
	EXPECT_TRUE((b1 == 20 && b2 == 21) || (b1 == 21 && b2 == 20))
		TH_LOG("buffer IDs %u and %u, want 20 and 21", b1, b2);
	if (b1 == 20 || b1 == 21)
		EXPECT_TRUE(conform_check_pattern(bufs[b1 - 20], 128, 0));
	if (b2 == 20 || b2 == 21)
		EXPECT_TRUE(conform_check_pattern(bufs[b2 - 20], 128, 128));
	EXPECT_EQ(-ENOBUFS, c3.res);
	EXPECT_EQ(0u, c3.flags & IORING_CQE_F_BUFFER);
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IOSQE_BUFFER_SELECT: a read from a group that holds no
 * buffer fails with -ENOBUFS (since 5.7).
 */
TEST(buffer_select_on_empty_group_gets_enobufs)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_enter(2) IOSQE_BUFFER_SELECT -ENOBUFS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = pattern_file_and_ring(_metadata, 4096, &ring);
	ASSERT_EQ(0, select_read(&ring, fd, 64, 0, 9, &cqe));
	EXPECT_EQ(-ENOBUFS, cqe.res);
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_REMOVE_BUFFERS: fd holds how many buffers to
 * remove from the group; res is the number removed, which is less when the
 * group holds fewer (kernel io_remove_buffers(), since 5.7).
 */
TEST(remove_buffers_returns_number_removed)
{
	static char bufs[4][32];
	struct io_uring ring;

	CONFORM_DECLARE("5.7", "IORING_OP_REMOVE_BUFFERS",
			"io_uring_enter(2) IORING_OP_REMOVE_BUFFERS; "
			"io_uring/kbuf.c io_remove_buffers()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_REMOVE_BUFFERS);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, provide(&ring, bufs, 32, 4, 6, 0));
	EXPECT_EQ(3, remove_bufs(&ring, 3, 6));
	EXPECT_EQ(1, remove_bufs(&ring, 10, 6));
	io_uring_queue_exit(&ring);
}

/*
 * IORING_OP_REMOVE_BUFFERS on a group ID that was never provided completes
 * with -ENOENT (kernel io_remove_buffers(), since 5.7).
 */
TEST(remove_buffers_of_unknown_group_gets_enoent)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.7", "IORING_OP_REMOVE_BUFFERS",
			"io_uring/kbuf.c io_remove_buffers()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_REMOVE_BUFFERS);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ENOENT, remove_bufs(&ring, 1, 77));
	io_uring_queue_exit(&ring);
}

/*
 * IORING_OP_REMOVE_BUFFERS: removed buffers are no longer in the pool, so a
 * selecting read then fails with -ENOBUFS (io_uring_enter(2), since 5.7).
 */
TEST(removed_buffer_is_no_longer_selected)
{
	static char buf[64];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.7", "IORING_OP_REMOVE_BUFFERS",
			"io_uring_enter(2) IORING_OP_REMOVE_BUFFERS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_REMOVE_BUFFERS);
	fd = pattern_file_and_ring(_metadata, 4096, &ring);
	ASSERT_LE(0, provide(&ring, buf, sizeof(buf), 1, 8, 0));
	ASSERT_EQ(1, remove_bufs(&ring, 1, 8));
	ASSERT_EQ(0, select_read(&ring, fd, 64, 0, 8, &cqe));
	EXPECT_EQ(-ENOBUFS, cqe.res);
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_prep_provide_buffers(3): "Attempting to use IOSQE_BUFFER_SELECT
 * with a command that doesn't support it will result in a CQE res error of
 * -EINVAL" (here IORING_OP_WRITE) (since 5.7).
 */
TEST(buffer_select_on_write_gets_einval)
{
	static char buf[64];
	struct io_uring ring;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	int fd;

	CONFORM_DECLARE("5.7", "IOSQE_BUFFER_SELECT",
			"io_uring_prep_provide_buffers(3) -EINVAL for a "
			"command without support");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	fd = pattern_file_and_ring(_metadata, 4096, &ring);
	ASSERT_LE(0, provide(&ring, buf, sizeof(buf), 1, 2, 0));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_write(&sqe, fd, NULL, 64, 0);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = 2;
	ASSERT_EQ(0, uring_run_sqe(&ring, &sqe, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
