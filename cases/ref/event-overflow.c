// SPDX-License-Identifier: MIT
/*
 * ref/event-overflow: many events of the reference driver (ref/event.c)
 * completing into a small CQ ring (IORING_SETUP_CQSIZE, 4 entries). The
 * kernel keeps the completions that do not fit (IORING_FEAT_NODROP) and the
 * driver, which reaps and retries when a submit is refused with -EBUSY and
 * flushes the backlog when it reaps, loses none: every complete() runs
 * exactly once with its own result, and no CQE is stray.
 * Sources: io_uring_setup(2) IORING_SETUP_CQSIZE (5.5) and IORING_FEAT_NODROP
 * (5.5: completions are not dropped when the CQ ring is full; a submit may
 * fail with EBUSY until the backlog is reaped), ref/event.h.
 */
#include "conform_ref.h"

enum { SQ = 4, CQ = 4 };

static void small_ring(struct __test_metadata *_metadata, struct ref_ring *ring)
{
	struct ref_ring_opts opts = {
		.flags = IORING_SETUP_CQSIZE, .cq_entries = CQ,
	};

	ASSERT_EQ(0, ref_ring_init(ring, SQ, &opts));
	ASSERT_EQ((unsigned int)CQ, ring->cq.entries);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: 64 NOP events started in a row
 * through a 4-entry SQ and CQ (start submits whenever the SQ is full, so the
 * CQ overflows without being reaped) all complete, each exactly once with
 * res 0 (5.5).
 */
TEST(many_nops_into_small_cq_each_complete_once)
{
	enum { N = 64 };
	struct ref_case_nop_event ev[N];
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	CONFORM_DECLARE("5.5", "IORING_FEAT_NODROP",
			"io_uring_setup(2) IORING_FEAT_NODROP and "
			"IORING_SETUP_CQSIZE");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	memset(ev, 0, sizeof(ev));
	small_ring(_metadata, &ring);
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, N));
	for (int i = 0; i < N; i++)
		ASSERT_EQ(0, ref_driver_start(&drv, &ev[i], &ref_case_nop_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	for (int i = 0; i < N; i++) {
		EXPECT_EQ(1u, ev[i].calls);
		EXPECT_EQ(0, ev[i].res);
	}
	EXPECT_EQ((uint64_t)N, drv.stats.completions);
	EXPECT_EQ(0u, drv.stats.stray);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP: 16 reads blocked on 16 pipes are
 * all made ready before anything is reaped, so 12 of their CQEs wait in the
 * kernel's backlog; each read still completes once with its own pipe's 4
 * bytes (IORING_OP_READ, 5.6).
 */
TEST(blocked_reads_completing_at_once_all_arrive)
{
	enum { N = 16 };
	struct ref_io_event r[N];
	int p[N][2];
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_setup(2) IORING_FEAT_NODROP (5.5); "
			"IORING_OP_READ (5.6)");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	small_ring(_metadata, &ring);
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, N));
	for (int i = 0; i < N; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		ASSERT_EQ(0, ref_read_event_init(&r[i], p[i][0], 4, 0));
		ASSERT_EQ(0, ref_driver_start(&drv, &r[i], &ref_read_ops, &id));
	}
	ASSERT_LE(0, ref_driver_submit(&drv));
	ASSERT_EQ(0u, ref_ring_cq_ready(&ring));
	for (int i = 0; i < N; i++) {
		unsigned char data[4];

		conform_fill_pattern(data, sizeof(data), (unsigned long long)i * 4);
		ASSERT_EQ(4, write(p[i][1], data, sizeof(data)));
	}
	ASSERT_EQ(0, ref_case_drain(&drv));
	for (int i = 0; i < N; i++) {
		EXPECT_TRUE(r[i].done);
		EXPECT_EQ(4, r[i].res);
		EXPECT_TRUE(conform_check_pattern(r[i].buf, 4, (unsigned long long)i * 4));
	}
	EXPECT_EQ((uint64_t)N, drv.stats.completions);
	EXPECT_EQ(0u, drv.stats.stray);
	for (int i = 0; i < N; i++) {
		ref_io_event_free(&r[i]);
		close(p[i][0]);
		close(p[i][1]);
	}
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_NODROP / io_uring_enter(2) EBUSY: with the
 * CQ full and a backlog waiting, unreaped, new events still start and
 * complete: the driver reaps (delivering the backlog to its events) and
 * retries instead of failing. 8 NOPs overflow the ring; 8 more are started
 * before anything is reaped; all 16 complete once. The ring shows the
 * backlog with IORING_SQ_CQ_OVERFLOW in its SQ flags: that uapi flag came
 * in 5.8 (DESIGN.md section 8; liburing's test/cq-overflow-peek.c checks
 * it), so this TEST's first kernel is 5.8, not 5.5.
 */
TEST(events_started_on_overflowed_ring_complete)
{
	enum { N = 16 };
	struct ref_case_nop_event ev[N];
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	CONFORM_DECLARE("5.8", "IORING_SQ_CQ_OVERFLOW",
			"io_uring_setup(2) IORING_FEAT_NODROP; "
			"io_uring_enter(2) EBUSY; IORING_SQ_CQ_OVERFLOW "
			"in the SQ flags (5.8)");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	memset(ev, 0, sizeof(ev));
	small_ring(_metadata, &ring);
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, N));
	for (int i = 0; i < N / 2; i++)
		ASSERT_EQ(0, ref_driver_start(&drv, &ev[i], &ref_case_nop_ops, &id));
	ASSERT_LE(0, ref_driver_submit(&drv));
	ASSERT_EQ((unsigned int)CQ, ref_ring_cq_ready(&ring));
	ASSERT_EQ(IORING_SQ_CQ_OVERFLOW, *ring.sq.kflags & IORING_SQ_CQ_OVERFLOW);
	for (int i = N / 2; i < N; i++)
		ASSERT_EQ(0, ref_driver_start(&drv, &ev[i], &ref_case_nop_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	for (int i = 0; i < N; i++)
		EXPECT_EQ(1u, ev[i].calls);
	EXPECT_EQ((uint64_t)N, drv.stats.completions);
	EXPECT_EQ(0u, drv.stats.stray);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
