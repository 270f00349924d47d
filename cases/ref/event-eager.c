// SPDX-License-Identifier: MIT
/*
 * ref/event-eager: events whose is_eager() says yes are submitted by
 * ref_driver_start() of the reference driver (ref/event.c) itself: when
 * start returns the kernel has consumed the SQE (and SQEs prepared before
 * it), so the event is submitted, and a read with data waiting completes
 * with that data (its CQE posted during the submit or after it: that is not
 * promised). Events that are not eager wait in the SQ for the next submit,
 * and a cancel of an eager event is a cancel of a submitted one.
 * Sources: ref/event.h ("is_eager(): submit at once instead of waiting for
 * the next submit"), io_uring_enter(2) (the kernel consumes SQEs up to the
 * published tail on submission).
 */
#include "conform_ref.h"

static bool always(const void *event)
{
	(void)event;
	return true;
}

static bool never(const void *event)
{
	(void)event;
	return false;
}

static struct ref_event_ops read_ops_eager(bool (*is_eager)(const void *))
{
	struct ref_event_ops ops = ref_read_ops;

	ops.is_eager = is_eager;
	return ops;
}

struct setup {
	struct ref_io_event r[2];
	struct ref_case_rig rig;
	ref_event_id id[2];
};

static void setup(struct __test_metadata *_metadata, struct setup *s)
{
	ref_case_rig_init(_metadata, &s->rig, 4, 4);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, ref_read_event_init(&s->r[i], s->rig.p[0], 4, 0));
}

/* The reads' buffers are freed after the driver, whose teardown cancels
 * what is still in flight and drains it. */
static void teardown(struct setup *s)
{
	ref_case_rig_free(&s->rig);
	for (int i = 0; i < 2; i++)
		ref_io_event_free(&s->r[i]);
}

/* ref/event.h: an eager event is submitted by start: its state is submitted
 * and the kernel's SQ head has passed its SQE when start returns (5.6). */
TEST(eager_event_is_submitted_by_start)
{
	struct ref_event_ops ops = read_ops_eager(always);
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h is_eager(); io_uring_enter(2): SQEs "
			"consumed on submission");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	setup(_metadata, &s);
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[0], &ops, &s.id[0]));
	EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&s.rig.drv, s.id[0]));
	EXPECT_EQ(1u, *s.rig.ring.sq.khead);
	EXPECT_EQ(0u, ref_ring_sq_pending(&s.rig.ring));
	ASSERT_EQ(0, ref_driver_cancel(&s.rig.drv, s.id[0], true));
	teardown(&s);
}

/* ref/event.h: is_eager() false (or NULL) leaves the SQE for the next
 * submit: the event is prepared and the SQ head has not moved (5.6). */
TEST(event_not_eager_waits_for_submit)
{
	struct ref_event_ops ops = read_ops_eager(never);
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h is_eager()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	setup(_metadata, &s);
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[0], &ops, &s.id[0]));
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[1], &ref_read_ops, &s.id[1]));
	EXPECT_EQ(REF_EVENT_PREPARED, ref_driver_state(&s.rig.drv, s.id[0]));
	EXPECT_EQ(REF_EVENT_PREPARED, ref_driver_state(&s.rig.drv, s.id[1]));
	EXPECT_EQ(0u, *s.rig.ring.sq.khead);
	EXPECT_EQ(2u, ref_ring_sq_pending(&s.rig.ring));
	teardown(&s);
}

/* ref/event.h: start of an eager event submits what was prepared before it
 * too (the SQ is consumed in order): both are submitted (5.6). */
TEST(eager_start_submits_earlier_prepared_events)
{
	struct ref_event_ops eager = read_ops_eager(always);
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2): the SQ is consumed in order");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	setup(_metadata, &s);
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[0], &ref_read_ops, &s.id[0]));
	ASSERT_EQ(REF_EVENT_PREPARED, ref_driver_state(&s.rig.drv, s.id[0]));
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[1], &eager, &s.id[1]));
	EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&s.rig.drv, s.id[0]));
	EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&s.rig.drv, s.id[1]));
	EXPECT_EQ(2u, *s.rig.ring.sq.khead);
	teardown(&s);
}

/*
 * ref/event.h: an eager read with 4 bytes waiting is submitted by start (the
 * SQ head has passed it when start returns) and completes with those bytes
 * (IORING_OP_READ 5.6). Whether its CQE is already posted when start returns
 * is not promised and differs: 5.10 and 6.1 cannot read a blocking pipe
 * without blocking (pipes lack FMODE_NOWAIT; 6.1 io_uring/rw.c io_read()
 * punts the read, and it completes later, through task work and io-wq);
 * 6.12, 6.18 and 7.2 were seen to read it during the submit. So the CQE is
 * waited for (bounded), and which of the two happened is only logged.
 */
TEST(eager_read_with_data_waiting_completes_with_the_data)
{
	struct ref_event_ops ops = read_ops_eager(always);
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IORING_OP_READ; ref/event.h "
			"is_eager()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	setup(_metadata, &s);
	ASSERT_EQ(4, write(s.rig.p[1], "abcd", 4));
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[0], &ops, &s.id[0]));
	EXPECT_EQ(1u, *s.rig.ring.sq.khead);
	if (ref_ring_cq_ready(&s.rig.ring))
		TH_LOG("the read's CQE was posted during the submit");
	else
		TH_LOG("the read's CQE came after the submit (punted read: 5.10, 6.1)");
	ASSERT_EQ(0, ref_case_drain(&s.rig.drv));
	EXPECT_TRUE(s.r[0].done);
	EXPECT_EQ(4, s.r[0].res);
	EXPECT_EQ(0, memcmp(s.r[0].buf, "abcd", 4));
	teardown(&s);
}

/* ref/event.h: an eager event cannot be cancelled as unsubmitted: its
 * cancel is a cancel-requested one, its SQE is not turned into a NOP, and
 * asking the kernel reaches it (0 where the read waits in poll, 5.7; on 5.6
 * -EALREADY from io-wq), and the final CQE goes to the cancellation (first
 * kernel 5.6: IORING_OP_READ). */
TEST(cancel_of_eager_event_goes_through_the_kernel)
{
	struct ref_event_ops ops = read_ops_eager(always);
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"ref/event.h: a submitted event's cancel is "
			"cancel-requested; io_uring_enter(2) "
			"IORING_OP_ASYNC_CANCEL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	setup(_metadata, &s);
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r[0], &ops, &s.id[0]));
	ASSERT_EQ(0, ref_driver_cancel(&s.rig.drv, s.id[0], true));
	EXPECT_EQ(REF_EVENT_CANCEL_REQUESTED, ref_driver_state(&s.rig.drv, s.id[0]));
	ASSERT_EQ(0, ref_case_drain(&s.rig.drv));
	EXPECT_EQ(0u, s.rig.drv.stats.ignored);
	EXPECT_EQ(1u, s.rig.drv.stats.cancelled_completions);
	EXPECT_EQ(0u, s.rig.drv.stats.stray);
	teardown(&s);
}

TEST_HARNESS_MAIN
