// SPDX-License-Identifier: MIT
/*
 * ref/event-states: the states ref_driver_state() reports for an event of the
 * reference driver (ref/event.c) on a real ring: inert before start, prepared
 * after start, submitted once the kernel consumed the SQE, cancel-requested
 * after a cancel of a submitted event, and inert again after the final
 * completion; a multishot event stays submitted while its CQEs carry
 * IORING_CQE_F_MORE.
 * Sources: ref/event.h (state diagram), DESIGN.md section 7, io_uring_enter(2)
 * (IORING_CQE_F_MORE: the request will post more completions).
 */
#include "conform_ref.h"

/* A multishot poll for POLLIN (IORING_POLL_ADD_MULTI, 5.13). */
struct poll_event {
	int fd;
	unsigned int calls, with_more;
	int last_res;
};

static void poll_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct poll_event *ev = event;

	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = ev->fd;
	sqe->poll32_events = POLLIN;
	sqe->len = IORING_POLL_ADD_MULTI;
}

static void poll_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct poll_event *ev = event;

	ev->calls++;
	ev->last_res = cqe->res;
	if (cqe->flags & IORING_CQE_F_MORE)
		ev->with_more++;
}

static int poll_final_res;
static unsigned int poll_final_flags;

static void poll_cancelled(void *data, const struct io_uring_cqe *cqe)
{
	(void)data;
	poll_final_res = cqe->res;
	poll_final_flags = cqe->flags;
}

static struct ref_cancellation poll_cancel(void *event)
{
	struct ref_cancellation c = { .completed = poll_cancelled };

	(void)event;
	return c;
}

static const struct ref_event_ops poll_ops = {
	.prepare = poll_prepare, .complete = poll_complete, .cancel = poll_cancel,
};

/*
 * ref/event.h: start leaves the event prepared (SQE written, not consumed);
 * after ref_driver_submit() the kernel has it (submitted); its final CQE
 * retires it (inert) and complete() sees the read's result (5.6).
 */
TEST(start_prepares_submit_submits_final_completion_retires)
{
	char msg[8];
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h state diagram");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], sizeof(msg), 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ref_read_ops, &id));
	EXPECT_EQ(REF_EVENT_PREPARED, ref_driver_state(&rig.drv, id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&rig.drv, id));
	conform_fill_pattern(msg, sizeof(msg), 0);
	ASSERT_EQ((ssize_t)sizeof(msg), write(rig.p[1], msg, sizeof(msg)));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&rig.drv, id));
	EXPECT_TRUE(r.done);
	EXPECT_EQ((int)sizeof(msg), r.res);
	EXPECT_TRUE(conform_check_pattern(r.buf, sizeof(msg), 0));
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/*
 * ref/event.h: cancelling a submitted event makes it cancel-requested until
 * its final CQE; a second cancel of the same id gives -ENOENT (5.6).
 */
TEST(cancelled_submitted_event_is_cancel_requested_until_final_cqe)
{
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h state diagram; DESIGN.md section 7");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ref_read_ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, false));
	EXPECT_EQ(REF_EVENT_CANCEL_REQUESTED, ref_driver_state(&rig.drv, id));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&rig.drv, id, true));
	EXPECT_EQ(REF_EVENT_CANCEL_REQUESTED, ref_driver_state(&rig.drv, id));
	/* Data ends the read; its CQE is the final one. */
	ASSERT_EQ(3, write(rig.p[1], "abc", 3));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&rig.drv, id));
	EXPECT_FALSE(r.done);
	EXPECT_EQ(1u, rig.drv.stats.cancelled_completions);
	EXPECT_EQ(0u, rig.drv.stats.completions);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/*
 * io_uring_enter(2) IORING_POLL_ADD_MULTI (5.13): a multishot poll posts one
 * CQE per wake-up, each with IORING_CQE_F_MORE while it stays armed.
 * ref/event.h: such an event stays submitted (its id live) through them.
 */
TEST(multishot_stays_submitted_while_cqes_carry_more)
{
	struct poll_event ev = { 0 };
	struct ref_case_rig rig;
	ref_event_id id;
	char c;

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_POLL_ADD_MULTI: "
			"IORING_CQE_F_MORE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ev.fd = rig.p[0];
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &ev, &poll_ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	for (unsigned int i = 1; i <= 2; i++) {
		ASSERT_EQ(1, write(rig.p[1], "x", 1));
		ASSERT_EQ(1, ref_case_run(&rig.drv, 1));
		if (i == 1 && ev.with_more == 0 && ev.last_res == -EINVAL) {
			ref_case_rig_free(&rig);
			SKIP(return, "IORING_POLL_ADD_MULTI: the poll ended -EINVAL, "
			     "without IORING_CQE_F_MORE");
		}
		ASSERT_EQ(i, ev.calls);
		EXPECT_EQ(i, ev.with_more);
		EXPECT_EQ(POLLIN, ev.last_res & POLLIN);
		EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&rig.drv, id));
		ASSERT_EQ(1, read(rig.p[0], &c, 1));
	}
	/* Asking the kernel ends it: the final CQE goes to the cancellation. */
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, true));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&rig.drv, id));
	EXPECT_EQ(-ECANCELED, poll_final_res);
	EXPECT_EQ(0u, poll_final_flags & IORING_CQE_F_MORE);
	EXPECT_EQ(2u, ev.calls);
	ref_case_rig_free(&rig);
}

/*
 * ref/event.h: an event whose SQE the kernel consumed is submitted even
 * before any CQE came: ref_driver_state() reads the SQ head. A read with data
 * already in the pipe completes during the submit; until its CQE is reaped
 * it is still submitted, and it is inert after (5.6).
 */
TEST(completed_but_unreaped_event_is_still_submitted)
{
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: ref_driver_state() reads the SQ head");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(4, write(rig.p[1], "data", 4));
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 4, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ref_read_ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&rig.drv, id));
	EXPECT_FALSE(r.done);
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&rig.drv, id));
	EXPECT_EQ(4, r.res);
	EXPECT_EQ(0, memcmp(r.buf, "data", 4));
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

TEST_HARNESS_MAIN
