// SPDX-License-Identifier: MIT
/*
 * uring/cqe-mixed: IORING_SETUP_CQE_MIXED (6.18), a CQ ring of 16-byte
 * CQEs that also takes 32-byte ones. A 32-byte CQE carries IORING_CQE_F_32
 * and fills two CQ slots; one that would start in the last slot of the
 * ring (and so wrap) is preceded by a padding CQE with IORING_CQE_F_SKIP.
 * The producer here is IORING_OP_NOP with IORING_NOP_CQE32 (6.18, same
 * series), whose extra 16 bytes are sqe->off and sqe->addr. Setup refuses
 * CQE_MIXED with IORING_SETUP_CQE32 (EINVAL) and with a one-entry CQ ring
 * (EOVERFLOW). liburing 2.3 knows neither flag, so the CQ ring is read by
 * hand: slot i is cq.cqes[i & mask], 16 bytes each.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum {
	SQ_ENTRIES = 4,		/* and so 8 CQ entries */
	TAG_BIG = 9,
};

static const __u64 EXTRA1 = 0x0123456789abcdefULL;
static const __u64 EXTRA2 = 0xfedcba9876543210ULL;

/* A NOP SQE, nop_flags in the rw_flags word (sqe->nop_flags, 6.10). */
static void prep_nop(struct io_uring_sqe *sqe, unsigned int nop_flags,
		     __u64 tag)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->rw_flags = (__kernel_rwf_t)nop_flags;
	sqe->user_data = tag;
}

/* Init a ring of SQ_ENTRIES with setup flags (and 8 CQ entries): 0 or -errno. */
static int mixed_ring(struct io_uring *ring, unsigned int setup)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = setup;
	return io_uring_queue_init_params(SQ_ENTRIES, ring, &p);
}

#define REQUIRE_CQE_MIXED() \
	CONFORM_REQUIRE(conform_uring_setup_missing(REF_IORING_SETUP_CQE_MIXED, \
						    "IORING_SETUP_CQE_MIXED"))

/*
 * NULL if a NOP with IORING_NOP_CQE32 completes with 0 on a CQE_MIXED ring
 * (the ring flag probed first); else why not.
 */
static const char *mixed_cqe32_missing(void)
{
	const char *why = conform_uring_setup_missing(REF_IORING_SETUP_CQE_MIXED,
						      "IORING_SETUP_CQE_MIXED");
	struct io_uring ring;
	struct io_uring_sqe sqe;
	int res;

	if (why)
		return why;
	if (mixed_ring(&ring, REF_IORING_SETUP_CQE_MIXED))
		return "IORING_SETUP_CQE_MIXED: the probe's ring cannot be made";
	prep_nop(&sqe, REF_IORING_NOP_CQE32, 1);
	res = uring_run_sqe_res(&ring, &sqe);
	io_uring_queue_exit(&ring);
	if (res == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_NOP_CQE32: a NOP with it on a CQE_MIXED ring completes with %d (flag unknown)",
		 res);
	return conform_why;
}

static unsigned int cq_tail(struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->cq.ktail);
}

static unsigned int cq_head(struct io_uring *ring)
{
	return *ring->cq.khead;
}

/* The 16-byte CQ slot of ring index idx. */
static struct io_uring_cqe *cq_slot(struct io_uring *ring, unsigned int idx)
{
	return &ring->cq.cqes[idx & *ring->cq.kring_mask];
}

/*
 * Wait (URING_REAP_BOUND_MS at most, polling the ring fd) until n slots
 * past the CQ head are filled. 0, or -ETIME.
 */
static int wait_slots(struct io_uring *ring, unsigned int n)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (cq_tail(ring) - cq_head(ring) < n) {
		struct pollfd pfd = { .fd = ring->ring_fd, .events = POLLIN };

		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000L +
		    (now.tv_nsec - start.tv_nsec) / 1000000L > URING_REAP_BOUND_MS)
			return -ETIME;
		poll(&pfd, 1, 10);
	}
	return 0;
}

/*
 * Run n plain NOPs (tags 1..n, submitted SQ_ENTRIES at a time) and wait
 * until their n CQEs are in the ring, not reaped. 0, or -1.
 */
static int run_nops(struct io_uring *ring, unsigned int n)
{
	for (unsigned int i = 1; i <= n; i++) {
		if (!uring_queue_nop(ring, i, 0))
			return -1;
		if ((i % SQ_ENTRIES == 0 || i == n) && io_uring_submit(ring) <= 0)
			return -1;
	}
	return wait_slots(ring, n) ? -1 : 0;
}

/* Queue a NOP_CQE32 tagged TAG_BIG with EXTRA1/EXTRA2 (not submitted). */
static void queue_big_nop(struct __test_metadata *_metadata,
			  struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ASSERT_NE(NULL, sqe);
	prep_nop(sqe, REF_IORING_NOP_CQE32, TAG_BIG);
	sqe->off = EXTRA1;
	sqe->addr = EXTRA2;
}

/* EXPECT that slot idx starts the 32-byte CQE of queue_big_nop()'s NOP. */
static void expect_big_cqe_at(struct __test_metadata *_metadata,
			      struct io_uring *ring, unsigned int idx)
{
	struct io_uring_cqe *cqe = cq_slot(ring, idx);

	EXPECT_EQ((__u64)TAG_BIG, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(REF_IORING_CQE_F_32, cqe->flags);
	EXPECT_EQ(EXTRA1, cqe->big_cqe[0]);
	EXPECT_EQ(EXTRA2, cqe->big_cqe[1]);
}

/*
 * io_uring.h IORING_SETUP_CQE_MIXED: "Allow both 16b and 32b CQEs. If a 32b
 * CQE is posted, it will have IORING_CQE_F_32 set in cqe->flags"; a plain
 * NOP posts a 16-byte CQE without it, so two NOPs fill two consecutive
 * slots (kernel commit e26dca67fde1, 6.18).
 */
TEST(plain_nops_post_16_byte_cqes)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.18", "IORING_SETUP_CQE_MIXED",
			"io_uring.h IORING_SETUP_CQE_MIXED; commit e26dca67fde1 (6.18): io_uring: add support for IORING_SETUP_CQE_MIXED");
	REQUIRE_CQE_MIXED();
	ASSERT_EQ(0, mixed_ring(&ring, REF_IORING_SETUP_CQE_MIXED));
	ASSERT_NE(NULL, uring_queue_nop(&ring, 1, 0));
	ASSERT_NE(NULL, uring_queue_nop(&ring, 2, 0));
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_slots(&ring, 2));
	EXPECT_EQ(2u, cq_tail(&ring) - cq_head(&ring));
	EXPECT_EQ(1ULL, cq_slot(&ring, 0)->user_data);
	EXPECT_EQ(0u, cq_slot(&ring, 0)->flags);
	EXPECT_EQ(2ULL, cq_slot(&ring, 1)->user_data);
	EXPECT_EQ(0u, cq_slot(&ring, 1)->flags);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commits e26dca67fde1 and 806ecb209aa8 (6.18): on a CQE_MIXED ring
 * a NOP with IORING_NOP_CQE32 posts a 32-byte CQE, flagged
 * IORING_CQE_F_32, whose second 16 bytes (the next slot) hold sqe->off and
 * sqe->addr; it takes two slots of the ring, so the next CQE is two slots
 * further on.
 */
TEST(nop_cqe32_posts_cqe_f_32_in_two_slots)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.18", "IORING_CQE_F_32",
			"io_uring.h IORING_CQE_F_32; commits e26dca67fde1, 806ecb209aa8 (6.18)");
	CONFORM_REQUIRE(mixed_cqe32_missing());
	ASSERT_EQ(0, mixed_ring(&ring, REF_IORING_SETUP_CQE_MIXED));
	queue_big_nop(_metadata, &ring);
	ASSERT_NE(NULL, uring_queue_nop(&ring, 2, 0));
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_slots(&ring, 3));
	EXPECT_EQ(3u, cq_tail(&ring) - cq_head(&ring));
	expect_big_cqe_at(_metadata, &ring, 0);
	EXPECT_EQ(2ULL, cq_slot(&ring, 2)->user_data);
	EXPECT_EQ(0u, cq_slot(&ring, 2)->flags);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring.h IORING_CQE_F_SKIP and kernel commit e26dca67fde1 (6.18): "if
 * the ring is one (small) CQE entry away from wrapping, and an attempt is
 * made to post a 32b CQE ... a single dummy CQE is posted with the SKIP flag
 * set. The application should simply ignore those." With the CQ tail at
 * the last of 8 slots, the 32-byte CQE goes to slots 0 and 1 after a
 * padding CQE (user_data 0, res 0, flags IORING_CQE_F_SKIP) in slot 7. The
 * slot is filled with 0xff first.
 */
TEST(cqe32_at_ring_end_is_preceded_by_skip_cqe)
{
	struct io_uring ring;
	struct io_uring_cqe *pad;
	unsigned int last;

	CONFORM_DECLARE("6.18", "IORING_CQE_F_SKIP",
			"io_uring.h IORING_CQE_F_SKIP; commit e26dca67fde1 (6.18): io_uring: add support for IORING_SETUP_CQE_MIXED");
	CONFORM_REQUIRE(mixed_cqe32_missing());
	ASSERT_EQ(0, mixed_ring(&ring, REF_IORING_SETUP_CQE_MIXED));
	last = *ring.cq.kring_entries - 1;
	ASSERT_EQ(0, run_nops(&ring, last));
	io_uring_cq_advance(&ring, last);
	ASSERT_EQ(last, cq_tail(&ring));
	pad = cq_slot(&ring, last);
	memset(pad, 0xff, sizeof(*pad));
	queue_big_nop(_metadata, &ring);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_slots(&ring, 3));
	EXPECT_EQ(last + 3, cq_tail(&ring));
	EXPECT_EQ(0ULL, pad->user_data);
	EXPECT_EQ(0, pad->res);
	EXPECT_EQ(REF_IORING_CQE_F_SKIP, pad->flags);
	expect_big_cqe_at(_metadata, &ring, last + 1);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit e26dca67fde1 (6.18): padding is posted only when a 32-byte
 * CQE would wrap; with the tail two slots before the end, it fills the
 * last two slots and no IORING_CQE_F_SKIP CQE comes.
 */
TEST(cqe32_that_fits_before_ring_end_gets_no_skip_cqe)
{
	struct io_uring ring;
	unsigned int at;

	CONFORM_DECLARE("6.18", "IORING_CQE_F_SKIP",
			"commit e26dca67fde1 (6.18): io_uring: add support for IORING_SETUP_CQE_MIXED");
	CONFORM_REQUIRE(mixed_cqe32_missing());
	ASSERT_EQ(0, mixed_ring(&ring, REF_IORING_SETUP_CQE_MIXED));
	at = *ring.cq.kring_entries - 2;
	ASSERT_EQ(0, run_nops(&ring, at));
	io_uring_cq_advance(&ring, at);
	queue_big_nop(_metadata, &ring);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_slots(&ring, 2));
	EXPECT_EQ(at + 2, cq_tail(&ring));
	expect_big_cqe_at(_metadata, &ring, at);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: a CQE that finds the CQ ring full
 * is kept and posted once there is room. On a CQE_MIXED ring a 32-byte CQE
 * is kept whole (kernel commit e26dca67fde1, 6.18): with 7 of 8 slots
 * taken, the padding CQE fills the last slot, the 32-byte CQE overflows
 * (IORING_SQ_CQ_OVERFLOW), and after the ring is emptied a GETEVENTS enter
 * posts it in slots 0 and 1 with IORING_CQE_F_32 and its extra data.
 */
TEST(overflowed_cqe32_is_posted_whole_later)
{
	struct io_uring ring;
	unsigned int last;

	CONFORM_DECLARE("6.18", "IORING_CQE_F_32",
			"io_uring_setup(2) IORING_FEAT_NODROP; commit e26dca67fde1 (6.18): io_uring: add support for IORING_SETUP_CQE_MIXED");
	CONFORM_REQUIRE(mixed_cqe32_missing());
	ASSERT_EQ(0, mixed_ring(&ring, REF_IORING_SETUP_CQE_MIXED));
	last = *ring.cq.kring_entries - 1;
	ASSERT_EQ(0, run_nops(&ring, last));
	queue_big_nop(_metadata, &ring);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_slots(&ring, last + 1));
	EXPECT_EQ(last + 1, cq_tail(&ring));
	EXPECT_EQ(REF_IORING_CQE_F_SKIP, cq_slot(&ring, last)->flags);
	EXPECT_NE(0u, IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_CQ_OVERFLOW);
	io_uring_cq_advance(&ring, last + 1);
	ASSERT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 1, IORING_ENTER_GETEVENTS));
	ASSERT_EQ(0, wait_slots(&ring, 2));
	EXPECT_EQ(last + 3, cq_tail(&ring));
	expect_big_cqe_at(_metadata, &ring, last + 1);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup() (io_uring_sanitise_params, kernel commit e26dca67fde1,
 * 6.18): "Nonsensical to ask for CQE32 and mixed CQE support, it's not
 * supported to post 16b CQEs on a ring setup with CQE32": the two flags
 * together fail with EINVAL.
 */
TEST(cqe_mixed_with_cqe32_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("6.18", "IORING_SETUP_CQE_MIXED",
			"commit e26dca67fde1 (6.18): io_uring: add support for IORING_SETUP_CQE_MIXED (io_uring_sanitise_params)");
	REQUIRE_CQE_MIXED();
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_CQE_MIXED | IORING_SETUP_CQE32;
	EXPECT_EQ(-1, conform_sys_io_uring_setup(SQ_ENTRIES, &p));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Kernel commit e26dca67fde1 (6.18), rings_size(): a CQE_MIXED ring needs
 * at least 2 CQ entries (room for one 32-byte CQE); with
 * IORING_SETUP_CQSIZE and cq_entries 1 (and 1 SQ entry) the ring size is
 * refused, io_uring_setup fails with EOVERFLOW.
 */
TEST(cqe_mixed_with_one_cq_entry_gets_eoverflow)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("6.18", "IORING_SETUP_CQE_MIXED",
			"commit e26dca67fde1 (6.18): io_uring: add support for IORING_SETUP_CQE_MIXED (rings_size)");
	REQUIRE_CQE_MIXED();
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_CQE_MIXED | IORING_SETUP_CQSIZE;
	p.cq_entries = 1;
	fd = conform_sys_io_uring_setup(1, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EOVERFLOW, errno);
	if (fd >= 0)
		close(fd);
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_CQE_MIXED | IORING_SETUP_CQSIZE;
	p.cq_entries = 2;
	fd = conform_sys_io_uring_setup(1, &p);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
