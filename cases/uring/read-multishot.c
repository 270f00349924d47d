// SPDX-License-Identifier: MIT
/*
 * uring/read-multishot: IORING_OP_READ_MULTISHOT (Linux 6.7), one request
 * that keeps reading a pollable file into buffers taken from a provided-
 * buffer ring: a CQE per chunk, each with IORING_CQE_F_BUFFER and the
 * buffer ID and IORING_CQE_F_MORE while it stays armed; end of file, or no
 * buffer left (-ENOBUFS), ends it with a CQE without IORING_CQE_F_MORE.
 * Refusals: no IOSQE_BUFFER_SELECT, a file that cannot be polled. The 6.1
 * header and liburing 2.3 lack the opcode: SQEs are filled by hand.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { ENTRIES = 4, BUF_LEN = 64, BGID = 3, TAG = 0x77 };

#define REQUIRE_READ_MSHOT()                                                   \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_READ_MULTISHOT, \
						 "IORING_OP_READ_MULTISHOT"))

/* A ring, a pipe and a buffer ring of ENTRIES buffers of BUF_LEN bytes
 * (group BGID, buffer i at bufs + i * BUF_LEN), nbufs of them given. */
struct mshot {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	unsigned char *bufs;
	int p[2];
};

static int mshot_start(struct mshot *m, unsigned int nbufs)
{
	if (conform_pipe(m->p))
		return -1;
	if (io_uring_queue_init(8, &m->ring, 0))
		return -1;
	return uring_pbuf_ring_setup(&m->ring, ENTRIES, BUF_LEN, BGID, nbufs,
				     &m->br, &m->bufs);
}

static void mshot_end(struct mshot *m)
{
	io_uring_queue_exit(&m->ring);
	uring_pbuf_ring_unmap(m->br, m->bufs, ENTRIES, BUF_LEN);
	close(m->p[0]);
	if (m->p[1] >= 0)
		close(m->p[1]);
}

/* Queue a multishot read of fd; sqe_flags normally IOSQE_BUFFER_SELECT. */
static void queue_read_mshot(struct io_uring *ring, int fd,
			     unsigned char sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	/* Never NULL: each test queues one SQE on an 8-entry ring. */
	if (!sqe)
		return;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_READ_MULTISHOT;
	sqe->fd = fd;
	sqe->flags = sqe_flags;
	sqe->buf_group = BGID;
	sqe->user_data = TAG;
}

/* Write len bytes of the pattern (from offset off) into the pipe. */
static bool put(int fd, size_t len, unsigned long long off)
{
	unsigned char data[ENTRIES * BUF_LEN];

	conform_fill_pattern(data, len, off);
	return write(fd, data, len) == (ssize_t)len;
}

/*
 * io_uring_enter(2) IORING_OP_READ_MULTISHOT: on an empty pipe the request
 * stays armed and posts nothing; each chunk written then completes with
 * the bytes read, IORING_CQE_F_BUFFER with the buffer ID in the upper 16
 * bits, and IORING_CQE_F_MORE (since 6.7).
 */
TEST(each_chunk_posts_a_cqe_with_buffer_and_more)
{
	struct io_uring_cqe cqe;
	struct mshot m;

	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_READ_MULTISHOT");
	REQUIRE_READ_MSHOT();
	ASSERT_EQ(0, mshot_start(&m, ENTRIES));
	queue_read_mshot(&m.ring, m.p[0], IOSQE_BUFFER_SELECT);
	ASSERT_EQ(1, io_uring_submit(&m.ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&m.ring));
	for (unsigned int i = 0; i < 2; i++) {
		ASSERT_TRUE(put(m.p[1], 10 + i, 100 * i));
		ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
		EXPECT_EQ(TAG, cqe.user_data);
		EXPECT_EQ(10 + (int)i, cqe.res);
		EXPECT_EQ(IORING_CQE_F_BUFFER | IORING_CQE_F_MORE |
				  (i << IORING_CQE_BUFFER_SHIFT),
			  cqe.flags);
		EXPECT_TRUE(conform_check_pattern(m.bufs + i * BUF_LEN,
						  10 + i, 100 * i));
	}
	EXPECT_EQ(-ETIME, uring_wait_briefly(&m.ring));
	mshot_end(&m);
}

/*
 * io_uring_enter(2) IORING_OP_READ_MULTISHOT: a read takes at most the
 * size of one provided buffer, so data longer than a buffer is spread over
 * consecutive buffers, one CQE each, all with IORING_CQE_F_MORE (since 6.7).
 */
TEST(data_longer_than_a_buffer_fills_consecutive_buffers)
{
	struct io_uring_cqe cqe;
	struct mshot m;

	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_READ_MULTISHOT: one provided buffer per read");
	REQUIRE_READ_MSHOT();
	ASSERT_EQ(0, mshot_start(&m, ENTRIES));
	ASSERT_TRUE(put(m.p[1], 3 * BUF_LEN, 0));
	queue_read_mshot(&m.ring, m.p[0], IOSQE_BUFFER_SELECT);
	ASSERT_EQ(1, io_uring_submit(&m.ring));
	for (unsigned int i = 0; i < 3; i++) {
		ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
		EXPECT_EQ(BUF_LEN, cqe.res);
		EXPECT_EQ(IORING_CQE_F_BUFFER | IORING_CQE_F_MORE |
				  (i << IORING_CQE_BUFFER_SHIFT),
			  cqe.flags);
	}
	EXPECT_TRUE(conform_check_pattern(m.bufs, 3 * BUF_LEN, 0));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&m.ring));
	mshot_end(&m);
}

/*
 * io_uring_enter(2) IORING_OP_READ_MULTISHOT: end of file (the write end
 * closed) ends the request: a last CQE with res 0 and no IORING_CQE_F_MORE,
 * after which nothing more is posted (since 6.7).
 */
TEST(end_of_file_ends_it_with_zero_and_no_more)
{
	struct io_uring_cqe cqe;
	struct mshot m;

	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_READ_MULTISHOT: end of file ends the request");
	REQUIRE_READ_MSHOT();
	ASSERT_EQ(0, mshot_start(&m, ENTRIES));
	queue_read_mshot(&m.ring, m.p[0], IOSQE_BUFFER_SELECT);
	ASSERT_EQ(1, io_uring_submit(&m.ring));
	ASSERT_TRUE(put(m.p[1], 5, 0));
	ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
	EXPECT_EQ(5, cqe.res);
	EXPECT_NE(0, cqe.flags & IORING_CQE_F_MORE);
	close(m.p[1]);
	m.p[1] = -1;
	ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
	EXPECT_EQ(TAG, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&m.ring));
	mshot_end(&m);
}

/*
 * io_uring_enter(2) IORING_OP_READ_MULTISHOT: when the buffer group is
 * empty the request ends with -ENOBUFS and no IORING_CQE_F_MORE; the data
 * stays in the pipe (since 6.7).
 */
TEST(no_buffer_left_ends_it_with_enobufs)
{
	struct io_uring_cqe cqe;
	unsigned char got[8];
	struct mshot m;

	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_READ_MULTISHOT: ENOBUFS when the group is empty");
	REQUIRE_READ_MSHOT();
	ASSERT_EQ(0, mshot_start(&m, 1));
	queue_read_mshot(&m.ring, m.p[0], IOSQE_BUFFER_SELECT);
	ASSERT_EQ(1, io_uring_submit(&m.ring));
	ASSERT_TRUE(put(m.p[1], 4, 0));
	ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(IORING_CQE_F_BUFFER | IORING_CQE_F_MORE, cqe.flags);
	ASSERT_TRUE(put(m.p[1], 6, 4));
	ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
	EXPECT_EQ(-ENOBUFS, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(6, read(m.p[0], got, sizeof(got)));
	EXPECT_TRUE(conform_check_pattern(got, 6, 4));
	mshot_end(&m);
}

/*
 * io_uring_enter(2) IORING_OP_READ_MULTISHOT "must be used with provided
 * buffers": without IOSQE_BUFFER_SELECT the request fails with -EINVAL
 * (since 6.7).
 */
TEST(without_buffer_select_gets_einval)
{
	struct io_uring_cqe cqe;
	struct mshot m;

	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_READ_MULTISHOT: must be used with provided buffers");
	REQUIRE_READ_MSHOT();
	ASSERT_EQ(0, mshot_start(&m, ENTRIES));
	queue_read_mshot(&m.ring, m.p[0], 0);
	ASSERT_EQ(0, uring_submit_reap(&m.ring, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	mshot_end(&m);
}

/*
 * io_uring_enter(2) IORING_OP_READ_MULTISHOT works on files that can be
 * polled (pipes, sockets); on a regular file, which cannot, the request
 * fails with -EBADFD (kernel io_uring/rw.c, since 6.7).
 */
TEST(regular_file_gets_ebadfd)
{
	struct io_uring_cqe cqe;
	struct mshot m;
	int fd;

	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring/rw.c io_read_mshot(): -EBADFD for a file that cannot be polled");
	REQUIRE_READ_MSHOT();
	ASSERT_EQ(0, mshot_start(&m, ENTRIES));
	fd = conform_temp_file(256, 0);
	ASSERT_LE(0, fd);
	queue_read_mshot(&m.ring, fd, IOSQE_BUFFER_SELECT);
	ASSERT_EQ(0, uring_submit_reap(&m.ring, &cqe));
	EXPECT_EQ(-EBADFD, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	close(fd);
	mshot_end(&m);
}

TEST_HARNESS_MAIN
