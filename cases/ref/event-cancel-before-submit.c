// SPDX-License-Identifier: MIT
/*
 * ref/event-cancel-before-submit: cancelling an event of the reference
 * driver (ref/event.c) that is prepared but not yet submitted. The kernel
 * never saw the request, so the driver turns its SQE into a NOP whose
 * completion it ignores (stats.ignored), releases the event's resources at
 * once, never calls complete(), and asks the kernel nothing.
 * Sources: ref/event.h, DESIGN.md section 7 ("cancelling a prepared-but-
 * unsubmitted event turns its SQE into a NOP whose completion is ignored").
 */
#include "conform_ref.h"

/* Counts complete() calls of a read event. */
static int completes;

static void counting_complete(void *event, const struct io_uring_cqe *cqe)
{
	completes++;
	ref_read_ops.complete(event, cqe);
}

/*
 * ref/event.h: a prepared event cancelled before submission has its SQE
 * turned into a NOP; that NOP's CQE is counted in stats.ignored and
 * complete() is never called; the id is inert at once (first kernel 5.6:
 * the event is an IORING_OP_READ; the NOP it becomes is 5.1).
 */
TEST(cancelled_prepared_event_completes_as_ignored_nop)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_read_ops);
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h; DESIGN.md section 7: a prepared event's "
			"SQE becomes an ignored NOP");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ops.complete = counting_complete;
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ops, &id));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, false));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&rig.drv, id));
	EXPECT_EQ(0u, rig.drv.in_flight);
	/* The NOP still goes to the kernel and comes back. */
	EXPECT_EQ(1u, ref_ring_sq_pending(&rig.ring));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	EXPECT_EQ(1, ref_case_run(&rig.drv, 1));
	EXPECT_EQ(1u, rig.drv.stats.ignored);
	EXPECT_EQ(0u, rig.drv.stats.completions);
	EXPECT_EQ(0u, rig.drv.stats.cancelled_completions);
	EXPECT_EQ(0u, rig.drv.stats.stray);
	EXPECT_EQ(0, completes);
	EXPECT_EQ(0, ref_case_seen.completed);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/*
 * ref/event.h: "released at once": the cancellation's release runs inside
 * ref_driver_cancel(), before anything was submitted, exactly once, and
 * never again when the NOP's CQE comes (5.6).
 */
TEST(cancelled_prepared_event_is_released_at_once)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_read_ops);
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: released at once");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ops, &id));
	ASSERT_EQ(0, ref_case_seen.releases);
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, false));
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(NULL, r.buf);		/* the buffer went to the cancellation */
	EXPECT_EQ(1, ref_case_run(&rig.drv, 1));	/* the NOP */
	EXPECT_EQ(1, ref_case_seen.releases);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/*
 * ref/event.h: with ask_kernel the driver still sends no IORING_OP_ASYNC_CANCEL
 * for an event the kernel never saw: only the NOP is queued, and
 * cancel_result is never called (5.6).
 */
TEST(cancel_before_submit_asks_kernel_nothing)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_read_ops);
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: no IORING_OP_ASYNC_CANCEL for an event "
			"the kernel never saw");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ops, &id));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, true));
	EXPECT_EQ(1u, ref_ring_sq_pending(&rig.ring));
	EXPECT_EQ(1, ref_driver_submit(&rig.drv));
	EXPECT_EQ(1, ref_case_run(&rig.drv, 1));
	EXPECT_EQ(0, ref_case_seen.cancel_results);
	EXPECT_EQ(1u, rig.drv.stats.ignored);
	EXPECT_EQ(0u, rig.drv.stats.stray);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/* ref_read_ops with IOSQE_IO_DRAIN: the read starts only after every SQE
 * submitted before it has completed (io_uring_enter(2), since 5.2). */
static void drained_read_prepare(void *event, struct io_uring_sqe *sqe)
{
	ref_read_ops.prepare(event, sqe);
	sqe->flags |= IOSQE_IO_DRAIN;
}

/*
 * ref/event.h: the cancelled read never runs: of three reads of 4 bytes
 * prepared in a row on a pipe holding 12 bytes, the middle one is cancelled
 * before submission; the first and the third read bytes 0-3 and 4-7, and
 * bytes 8-11 stay in the pipe (5.6).
 * The third read carries IOSQE_IO_DRAIN, so it starts after the first has
 * completed: unlinked requests may run in any order (io_uring(7): requests
 * "can complete in any order"; on 5.10 and 6.1 a read of a blocking pipe
 * goes to io-wq, where the two reads may run in either order).
 */
TEST(cancelled_prepared_read_consumes_no_data)
{
	struct ref_event_ops drained = ref_read_ops;
	unsigned char data[12], rest[12];
	struct ref_io_event r[3];
	ref_event_id id[3];
	struct ref_case_rig rig;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h; io_uring_enter(2) IOSQE_IO_DRAIN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	drained.prepare = drained_read_prepare;
	ref_case_rig_init(_metadata, &rig, 4, 4);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(rig.p[1], data, sizeof(data)));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, ref_read_event_init(&r[i], rig.p[0], 4, 0));
		ASSERT_EQ(0, ref_driver_start(&rig.drv, &r[i],
					      i == 2 ? &drained : &ref_read_ops,
					      &id[i]));
	}
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id[1], true));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(4, r[0].res);
	EXPECT_TRUE(conform_check_pattern(r[0].buf, 4, 0));
	EXPECT_FALSE(r[1].done);
	EXPECT_EQ(4, r[2].res);
	EXPECT_TRUE(conform_check_pattern(r[2].buf, 4, 4));
	ASSERT_EQ(4, read(rig.p[0], rest, sizeof(rest)));
	EXPECT_TRUE(conform_check_pattern(rest, 4, 8));
	ref_case_run(&rig.drv, 0);
	EXPECT_EQ(1u, rig.drv.stats.ignored);
	for (int i = 0; i < 3; i++)
		ref_io_event_free(&r[i]);
	ref_case_rig_free(&rig);
}

TEST_HARNESS_MAIN
