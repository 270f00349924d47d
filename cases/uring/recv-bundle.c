// SPDX-License-Identifier: MIT
/*
 * uring/recv-bundle: IORING_RECVSEND_BUNDLE (6.10, IORING_FEAT_RECVSEND_BUNDLE):
 * a receive with a provided-buffer ring fills as many consecutive buffers
 * as the data needs and reports the first buffer ID and the total; a send
 * with provided buffers and the flag sends several buffers of the ring in
 * ring order; and ENOBUFS from an empty buffer group.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"
enum { ENTRIES = 8, BGID = 2, PIECE = 16, STRIDE = 32 };

/* Ring, buffer ring of group BGID, socket pair, and buffer memory. */
struct bundle {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	size_t br_len;
	unsigned char *mem;	/* buffer i at mem + i * STRIDE */
	int sv[2];
};

static int bundle_init(struct bundle *b)
{
	memset(b, 0, sizeof(*b));
	b->br_len = (size_t)sysconf(_SC_PAGESIZE);
	b->br = uring_anon_buf(b->br_len);
	b->mem = uring_anon_buf(ENTRIES * STRIDE);
	if (!b->br || !b->mem || io_uring_queue_init(4, &b->ring, 0))
		return -1;
	if (uring_register_pbuf_ring_raw(&b->ring, (__u64)(uintptr_t)b->br,
					 ENTRIES, BGID, 0))
		return -1;
	return conform_socketpair(b->sv);
}

static void bundle_free(struct bundle *b)
{
	close(b->sv[0]);
	close(b->sv[1]);
	io_uring_queue_exit(&b->ring);
	munmap(b->mem, ENTRIES * STRIDE);
	munmap(b->br, b->br_len);
}

/* Add buffers first..first+n-1 (PIECE bytes each, IDs = their numbers). */
static void add_bufs(struct bundle *b, int first, int n)
{
	for (int i = 0; i < n; i++)
		io_uring_buf_ring_add(b->br, b->mem + (first + i) * STRIDE, PIECE,
				      (unsigned short)(first + i),
				      io_uring_buf_ring_mask(ENTRIES), i);
	io_uring_buf_ring_advance(b->br, n);
}

/* An SQE of op (IORING_OP_RECV or IORING_OP_SEND) on fd, buffer from BGID. */
static void prep_selected(struct io_uring_sqe *sqe, int op, int fd,
			  unsigned int ioprio)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (__u8)op;
	sqe->fd = fd;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->ioprio = (__u16)ioprio;
}

/* Send n pattern bytes (stream offset off) on fd. */
static bool send_pattern(int fd, size_t n, unsigned long long off)
{
	char data[256];

	conform_fill_pattern(data, n, off);
	return write(fd, data, n) == (ssize_t)n;
}

#define REQUIRE_BUNDLE() \
	CONFORM_REQUIRE_URING_FEATURE(REF_IORING_FEAT_RECVSEND_BUNDLE)

/* The test of a plain receive needs only a buffer ring (5.19), not the bundle flag. */
#define REQUIRE_PBUF_RING() CONFORM_REQUIRE(uring_pbuf_ring_missing(ENTRIES, BGID))

/*
 * True when the first n bytes of the stream (offset 0) are in buffers
 * 0, 1, 2... in ring order, each filled before the next.
 */
static bool bundle_data_ok(const struct bundle *b, int n)
{
	for (int off = 0; off < n; off += PIECE) {
		int len = n - off < PIECE ? n - off : PIECE;

		if (!conform_check_pattern(b->mem + (off / PIECE) * STRIDE, len,
					   (unsigned long long)off))
			return false;
	}
	return true;
}

/*
 * Receive a bundle with 40 bytes pending and 4 buffers of 16 queued; the
 * CQE goes to *cqe. How many buffers one bundle receive takes depends on
 * what the kernel knows of the pending amount: a socket that reports no
 * queue length gets a single-buffer first pass (6.10 to 6.16 on AF_UNIX),
 * later kernels take more and retry once. The tests assert what every
 * variant shares, exactly, for the byte count the kernel chose.
 */
static int recv_40_as_bundle(struct __test_metadata *_metadata,
			     struct bundle *b, struct io_uring_cqe *cqe)
{
	struct io_uring_sqe sqe;

	add_bufs(b, 0, 4);
	if (!send_pattern(b->sv[1], 40, 0))
		return -1;
	prep_selected(&sqe, IORING_OP_RECV, b->sv[0], REF_IORING_RECVSEND_BUNDLE);
	if (uring_run_sqe(&b->ring, &sqe, cqe))
		return -1;
	TH_LOG("bundle receive took %d of 40 pending bytes", cqe->res);
	return 0;
}

/*
 * io_uring_prep_recv(3) IORING_RECVSEND_BUNDLE: the receive "will grab as
 * many buffers from the buffer group ID given and receive as much data as
 * it can into those buffers"; res is the total byte count, the CQE's
 * buffer ID is the first buffer's and the data continues in the following
 * buffers in ring order (since 6.10).
 */
TEST(recv_bundle_fills_buffers_in_ring_order_and_reports_first_id)
{
	struct bundle b;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.10", "IORING_RECVSEND_BUNDLE",
			"io_uring_prep_recv(3) IORING_RECVSEND_BUNDLE");
	REQUIRE_BUNDLE();
	ASSERT_EQ(0, bundle_init(&b));
	ASSERT_EQ(0, recv_40_as_bundle(_metadata, &b, &cqe));
	ASSERT_GE(cqe.res, PIECE);
	ASSERT_LE(cqe.res, 40);
	EXPECT_EQ((unsigned int)IORING_CQE_F_BUFFER, cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_EQ(0u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(bundle_data_ok(&b, cqe.res));
	bundle_free(&b);
}

/*
 * io_uring_prep_recv(3) IORING_RECVSEND_BUNDLE: every buffer the bundle
 * used is consumed, so the next receive gets the buffer after the last one
 * it touched, and the stream's next bytes (since 6.10).
 */
TEST(recv_after_bundle_gets_the_buffer_after_those_used)
{
	struct bundle b;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	int took, next;

	CONFORM_DECLARE("6.10", "IORING_RECVSEND_BUNDLE",
			"io_uring_prep_recv(3) IORING_RECVSEND_BUNDLE: used buffers are consumed");
	REQUIRE_BUNDLE();
	ASSERT_EQ(0, bundle_init(&b));
	ASSERT_EQ(0, recv_40_as_bundle(_metadata, &b, &cqe));
	took = cqe.res;
	ASSERT_GE(took, PIECE);
	ASSERT_LE(took, 40);
	next = (took + PIECE - 1) / PIECE;
	/* 5 more bytes, so that something is pending whatever the bundle took. */
	ASSERT_TRUE(send_pattern(b.sv[1], 5, 40));
	prep_selected(&sqe, IORING_OP_RECV, b.sv[0], 0);
	ASSERT_EQ(0, uring_run_sqe(&b.ring, &sqe, &cqe));
	EXPECT_EQ(45 - took < PIECE ? 45 - took : PIECE, cqe.res);
	EXPECT_EQ((unsigned int)next, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(b.mem + next * STRIDE, (size_t)cqe.res,
					  (unsigned long long)took));
	bundle_free(&b);
}

/*
 * The contrast (io_uring_register(2) IORING_REGISTER_PBUF_RING, 5.19):
 * without the bundle flag a receive uses one buffer, so 40 pending bytes
 * give 16, one buffer's worth. Needs only the buffer ring, not the bundle
 * feature, so it runs on 5.19 and later.
 */
TEST(recv_without_bundle_fills_only_one_buffer)
{
	struct bundle b;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.19", "IORING_REGISTER_PBUF_RING",
			"io_uring_register(2) IORING_REGISTER_PBUF_RING: one buffer per receive");
	REQUIRE_PBUF_RING();
	ASSERT_EQ(0, bundle_init(&b));
	add_bufs(&b, 0, 4);
	ASSERT_TRUE(send_pattern(b.sv[1], 40, 0));
	prep_selected(&sqe, IORING_OP_RECV, b.sv[0], 0);
	ASSERT_EQ(0, uring_run_sqe(&b.ring, &sqe, &cqe));
	EXPECT_EQ(PIECE, cqe.res);
	EXPECT_EQ(0u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	bundle_free(&b);
}

/*
 * io_uring_prep_recv(3) / provided buffers: with data pending and no
 * buffer in the group, a bundle receive fails with ENOBUFS (since 6.10).
 */
TEST(recv_bundle_with_empty_group_gets_enobufs)
{
	struct bundle b;
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.10", "IORING_RECVSEND_BUNDLE",
			"io_uring_prep_recv(3) IORING_RECVSEND_BUNDLE: ENOBUFS from an empty group");
	REQUIRE_BUNDLE();
	ASSERT_EQ(0, bundle_init(&b));
	ASSERT_TRUE(send_pattern(b.sv[1], 8, 0));
	prep_selected(&sqe, IORING_OP_RECV, b.sv[0], REF_IORING_RECVSEND_BUNDLE);
	EXPECT_EQ(-ENOBUFS, uring_run_sqe_res(&b.ring, &sqe));
	bundle_free(&b);
}

/*
 * io_uring_prep_send(3) IORING_RECVSEND_BUNDLE with IOSQE_BUFFER_SELECT:
 * the send takes the buffers queued in the ring, in ring order, and sends
 * them as one stream; res is the total and the CQE names the first buffer
 * (provided buffers for send and bundles, since 6.10).
 */
TEST(send_bundle_sends_queued_buffers_in_ring_order)
{
	struct bundle b;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	char got[3 * PIECE];

	CONFORM_DECLARE("6.10", "IORING_RECVSEND_BUNDLE",
			"io_uring_prep_send(3) IORING_RECVSEND_BUNDLE with IOSQE_BUFFER_SELECT");
	REQUIRE_BUNDLE();
	ASSERT_EQ(0, bundle_init(&b));
	for (int i = 0; i < 3; i++)
		conform_fill_pattern(b.mem + i * STRIDE, PIECE,
				     (unsigned long long)i * PIECE);
	add_bufs(&b, 0, 3);
	prep_selected(&sqe, IORING_OP_SEND, b.sv[0], REF_IORING_RECVSEND_BUNDLE);
	ASSERT_EQ(0, uring_run_sqe(&b.ring, &sqe, &cqe));
	EXPECT_EQ(3 * PIECE, cqe.res);
	EXPECT_EQ((unsigned int)IORING_CQE_F_BUFFER, cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_EQ(0u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_EQ((ssize_t)sizeof(got), recv(b.sv[1], got, sizeof(got), MSG_DONTWAIT));
	EXPECT_TRUE(conform_check_pattern(got, sizeof(got), 0));
	bundle_free(&b);
}

TEST_HARNESS_MAIN
