// SPDX-License-Identifier: MIT
/*
 * uring/recv-multishot: the sqe len of IORING_OP_RECV with
 * IORING_RECV_MULTISHOT (6.0). From 6.0 to 6.16 a multishot recv needed
 * len 0 and failed with -EINVAL otherwise; commit 6a8afb9fff64
 * ("io_uring/net: allow multishot receive per-invocation cap", 6.17) gave a
 * non-zero len a meaning: each receive of the multishot request transfers
 * at most len bytes. Sources: io_uring_prep_recv_multishot(3), the commit.
 * AF_UNIX stream sockets, buffers from a provided-buffer ring (5.19).
 */
#include <liburing.h>

#include "conform_uring.h"

enum {
	ENTRIES = 8,	/* buffers in the ring, a power of two */
	BUF_LEN = 64,	/* each; more than a burst, so only len can cut */
	BGID = 3,
	CAP = 4,	/* the sqe len */
	BURST = 10,	/* bytes written at once */
	TAG = 0x6d73,
};

/* Ring, its buffer ring of group BGID, and the socket pair. */
struct mshot {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	unsigned char *bufs;	/* buffer i at bufs + i * BUF_LEN */
	int sv[2];
};

/* Release what mshot_init() made (the ring's exit cancels the request). */
static void mshot_free(struct mshot *m)
{
	io_uring_queue_exit(&m->ring);
	uring_pbuf_ring_unmap(m->br, m->bufs, ENTRIES, BUF_LEN);
	close(m->sv[0]);
	close(m->sv[1]);
}

/*
 * Set up *m with all ENTRIES buffers in the ring: 0, or -1 with nothing
 * left to release.
 */
static int mshot_init(struct mshot *m)
{
	memset(m, 0, sizeof(*m));
	if (conform_socketpair(m->sv))
		return -1;
	if (io_uring_queue_init(8, &m->ring, 0)) {
		close(m->sv[0]);
		close(m->sv[1]);
		return -1;
	}
	if (uring_pbuf_ring_setup(&m->ring, ENTRIES, BUF_LEN, BGID, ENTRIES,
				  &m->br, &m->bufs)) {
		mshot_free(m);
		return -1;
	}
	return 0;
}

/*
 * Submit a multishot recv on sv[0] (tagged TAG, buffers from BGID) with
 * sqe len len and sqe optlen total, the overall byte cap of commit
 * 0ebc9a7ecf6a (6.17); liburing 2.3's header calls that field file_index
 * (the same 32 bits). 0, or -1.
 */
static int mshot_submit(struct mshot *m, unsigned int len, unsigned int total)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&m->ring);

	if (!sqe)
		return -1;
	io_uring_prep_recv_multishot(sqe, m->sv[0], NULL, len, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->file_index = total;
	io_uring_sqe_set_data64(sqe, TAG);
	return io_uring_submit(&m->ring) == 1 ? 0 : -1;
}

/*
 * The first CQE of a multishot recv with sqe len len and sqe optlen total,
 * one byte pending, on a set-up of its own, into *out: 0, or -1 when the
 * set-up failed or no CQE came.
 */
static int mshot_first_cqe(unsigned int len, unsigned int total,
			   struct io_uring_cqe *out)
{
	struct mshot m;
	int ret = -1;

	if (mshot_init(&m))
		return -1;
	if (write(m.sv[1], "p", 1) == 1 && !mshot_submit(&m, len, total))
		ret = uring_reap_one(&m.ring, out) ? -1 : 0;
	mshot_free(&m);
	return ret;
}

/*
 * NULL if a multishot recv (len 0) takes the pending byte and stays armed
 * (IORING_RECV_MULTISHOT, 6.0); else why not.
 */
static const char *mshot_recv_missing(void)
{
	struct io_uring_cqe cqe;

	if (mshot_first_cqe(0, 0, &cqe))
		return "IORING_RECV_MULTISHOT: the probe (a multishot recv, one byte pending) did not complete";
	if (cqe.res == 1 && (cqe.flags & IORING_CQE_F_MORE))
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_RECV_MULTISHOT: a multishot recv with one byte pending completes with %d, flags 0x%x",
		 cqe.res, cqe.flags);
	return conform_why;
}

/* Write BURST pattern bytes of the stream at offset off into sv[1]. */
static bool write_burst(struct mshot *m, unsigned long long off)
{
	char data[BURST];

	conform_fill_pattern(data, sizeof(data), off);
	return write(m->sv[1], data, sizeof(data)) == (ssize_t)sizeof(data);
}

/*
 * Reap the multishot recv's CQEs until *got (the stream offset received so
 * far) reaches want: each must keep the request armed (IORING_CQE_F_MORE),
 * name a buffer (IORING_CQE_F_BUFFER) holding the stream's next bytes, and
 * carry 1 to CAP bytes. Each buffer goes back into the ring once checked.
 */
static void reap_capped(struct __test_metadata *_metadata, struct mshot *m,
			int *got, int want)
{
	for (int n = 0; *got < want && n < want; n++) {
		struct io_uring_cqe cqe;
		unsigned int bid;

		ASSERT_EQ(0, uring_reap_one(&m->ring, &cqe));
		ASSERT_EQ((__u64)TAG, cqe.user_data);
		ASSERT_EQ((unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE);
		ASSERT_EQ((unsigned int)IORING_CQE_F_BUFFER,
			  cqe.flags & IORING_CQE_F_BUFFER);
		ASSERT_LT(0, cqe.res);
		ASSERT_GE(CAP, cqe.res)
			TH_LOG("a CQE of %d bytes at stream offset %d", cqe.res, *got);
		bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
		ASSERT_GT((unsigned int)ENTRIES, bid);
		EXPECT_TRUE(conform_check_pattern(m->bufs + bid * BUF_LEN,
						  (size_t)cqe.res,
						  (unsigned long long)*got));
		*got += cqe.res;
		io_uring_buf_ring_add(m->br, m->bufs + bid * BUF_LEN, BUF_LEN,
				      (unsigned short)bid,
				      io_uring_buf_ring_mask(ENTRIES), 0);
		io_uring_buf_ring_advance(m->br, 1);
	}
	ASSERT_EQ(want, *got);
}

/*
 * io_uring_prep_recv_multishot(3): the multishot recv "requires length to
 * be 0" (6.0; a non-zero len fails with -EINVAL), until commit
 * 6a8afb9fff64 (6.17): "Length can either be set to 0 ... or it can be set
 * to a positive value. If the latter is the case, then each trigger
 * invocation of the receive multishot will transfer at most length bytes".
 * No feature bit tells the two apart; the probe is the overall cap that
 * came with it (commit 0ebc9a7ecf6a, same 6.17 pull, built on the
 * per-receive cap): a multishot recv with sqe optlen 1 and a byte pending
 * completes once with it (no IORING_CQE_F_MORE) where the caps exist and
 * fails with -EINVAL before. The variant seen is logged and asserted, with
 * len 4 and 64-byte buffers: before 6.17, the recv with 10 bytes pending
 * fails with -EINVAL; since, it takes those 10 bytes and 10 more sent
 * while it waits in CQEs of 1 to 4 bytes each, the stream in order, each
 * with IORING_CQE_F_MORE.
 */
TEST(recv_multishot_len_refused_or_caps_every_receive)
{
	struct io_uring_cqe cqe;
	struct mshot m;
	int got = 0;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_recv_multishot(3) length: 0 required (6.0), a per-receive cap since commit 6a8afb9fff64 (6.17; probed by the overall cap of commit 0ebc9a7ecf6a, logged)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(uring_pbuf_ring_missing(ENTRIES, BGID));
	CONFORM_REQUIRE(mshot_recv_missing());
	ASSERT_EQ(0, mshot_first_cqe(0, 1, &cqe));
	ASSERT_TRUE(cqe.res == -EINVAL || (cqe.res == 1 && !(cqe.flags & IORING_CQE_F_MORE)))
		TH_LOG("the overall-cap probe completed with %d, flags 0x%x",
		       cqe.res, cqe.flags);
	ASSERT_EQ(0, mshot_init(&m));
	ASSERT_TRUE(write_burst(&m, 0));
	ASSERT_EQ(0, mshot_submit(&m, CAP, 0));
	if (cqe.res == -EINVAL) {
		TH_LOG("no multishot recv length caps (sqe optlen refused): before 6.17, a non-zero len is refused");
		ASSERT_EQ(0, uring_reap_one(&m.ring, &cqe));
		EXPECT_EQ(-EINVAL, cqe.res);
		EXPECT_EQ(0u, cqe.flags & IORING_CQE_F_MORE);
		mshot_free(&m);
		return;
	}
	TH_LOG("multishot recv length caps present (sqe optlen taken): 6.17 or later, len %d caps each receive",
	       CAP);
	reap_capped(_metadata, &m, &got, BURST);
	ASSERT_TRUE(write_burst(&m, BURST));
	reap_capped(_metadata, &m, &got, 2 * BURST);
	mshot_free(&m);
}

TEST_HARNESS_MAIN
