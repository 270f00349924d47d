// SPDX-License-Identifier: MIT
/*
 * ref/event-cancel-after-completion: cancelling an event of the reference
 * driver (ref/event.c) after its final completion. The id is retired, so the
 * cancel gives -ENOENT and does nothing: the event type's cancel() is not
 * called, nothing is released (the buffer stays the user's, freed once by
 * ref_io_event_free), no IORING_OP_ASYNC_CANCEL is sent. A cancel from inside
 * complete() of the final CQE is already too late too.
 * Sources: ref/event.h ("0, or -ENOENT when id is not live"; ids retire
 * after the final completion), DESIGN.md section 7.
 */
#include "conform_ref.h"

/* ref_read_ops counting calls of cancel(), and trying a cancel of its own id
 * from complete() when self_cancel is set. */
static int cancels;
static struct ref_driver *self_drv;
static ref_event_id self_id;
static int self_cancel_ret = 1;

static struct ref_cancellation counting_cancel(void *event)
{
	cancels++;
	return ref_read_ops.cancel(event);
}

static void self_cancelling_complete(void *event, const struct io_uring_cqe *cqe)
{
	ref_read_ops.complete(event, cqe);
	if (self_drv)
		self_cancel_ret = ref_driver_cancel(self_drv, self_id, true);
}

static struct ref_event_ops counting_ops(void)
{
	struct ref_event_ops ops = ref_read_ops;

	ops.cancel = counting_cancel;
	ops.complete = self_cancelling_complete;
	return ops;
}

struct setup {
	unsigned char data[16];
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;
};

/* A read of 16 bytes of pattern, started, completed and reaped. */
static void complete_read(struct __test_metadata *_metadata, struct setup *s,
			  const struct ref_event_ops *ops)
{
	ref_case_rig_init(_metadata, &s->rig, 4, 2);
	conform_fill_pattern(s->data, sizeof(s->data), 0);
	ASSERT_EQ(16, write(s->rig.p[1], s->data, sizeof(s->data)));
	ASSERT_EQ(0, ref_read_event_init(&s->r, s->rig.p[0], 16, 0));
	ASSERT_EQ(0, ref_driver_start(&s->rig.drv, &s->r, ops, &s->id));
	self_drv = NULL;
	ASSERT_EQ(0, ref_case_drain(&s->rig.drv));
	ASSERT_TRUE(s->r.done);
	ASSERT_EQ(16, s->r.res);
}

static void teardown(struct setup *s)
{
	ref_io_event_free(&s->r);
	ref_case_rig_free(&s->rig);
}

/* ref/event.h: after the final completion the id is not live: -ENOENT, with
 * and without ask_kernel (5.6). */
TEST(cancel_after_final_completion_gets_enoent)
{
	struct ref_event_ops ops = counting_ops();
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: -ENOENT when id is not live");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	complete_read(_metadata, &s, &ops);
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&s.rig.drv, s.id, true));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&s.rig.drv, s.id, false));
	teardown(&s);
}

/* ref/event.h: a late cancel takes nothing from the event: its cancel() is
 * not called and the buffer with the data stays the user's (freed once, by
 * ref_io_event_free; under ASan a double free would abort) (5.6). */
TEST(late_cancel_takes_nothing_from_the_event)
{
	struct ref_event_ops ops = counting_ops();
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: ids retire after the final completion");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	complete_read(_metadata, &s, &ops);
	ASSERT_EQ(-ENOENT, ref_driver_cancel(&s.rig.drv, s.id, true));
	EXPECT_EQ(0, cancels);
	ASSERT_NE(NULL, s.r.buf);
	EXPECT_TRUE(conform_check_pattern(s.r.buf, 16, 0));
	teardown(&s);
	EXPECT_EQ(NULL, s.r.buf);
}

/* ref/event.h: a late cancel queues no IORING_OP_ASYNC_CANCEL and leaves the
 * driver's counters alone (5.6). */
TEST(late_cancel_sends_nothing_to_the_kernel)
{
	struct ref_event_ops ops = counting_ops();
	struct ref_driver_stats before;
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: ids retire after the final completion");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	complete_read(_metadata, &s, &ops);
	before = s.rig.drv.stats;
	ASSERT_EQ(-ENOENT, ref_driver_cancel(&s.rig.drv, s.id, true));
	EXPECT_EQ(0u, ref_ring_sq_pending(&s.rig.ring));
	EXPECT_EQ(0u, s.rig.drv.in_flight);
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 20000000 };
	EXPECT_EQ(-ETIME, ref_driver_run(&s.rig.drv, 1, &ts));	/* no CQE comes */
	EXPECT_EQ(0, memcmp(&before, &s.rig.drv.stats, sizeof(before)));
	teardown(&s);
}

/* ref/event.h: the id retires before complete() of the final CQE runs, so a
 * cancel from inside complete() already gets -ENOENT (5.6). */
TEST(cancel_from_inside_final_complete_gets_enoent)
{
	struct ref_event_ops ops = counting_ops();
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: the id retires before complete() of the "
			"final CQE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &s.rig, 4, 2);
	ASSERT_EQ(4, write(s.rig.p[1], "abcd", 4));
	ASSERT_EQ(0, ref_read_event_init(&s.r, s.rig.p[0], 4, 0));
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.r, &ops, &s.id));
	self_drv = &s.rig.drv;
	self_id = s.id;
	ASSERT_EQ(0, ref_case_drain(&s.rig.drv));
	EXPECT_TRUE(s.r.done);
	EXPECT_EQ(-ENOENT, self_cancel_ret);
	EXPECT_EQ(0, cancels);
	teardown(&s);
}

TEST_HARNESS_MAIN
