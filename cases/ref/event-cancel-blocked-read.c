// SPDX-License-Identifier: MIT
/*
 * ref/event-cancel-blocked-read: a read event of the reference driver
 * (ref/event.c) blocked on an empty pipe, cancelled with ask_kernel. The
 * driver's IORING_OP_ASYNC_CANCEL finds the request (result 0), the read
 * completes with -ECANCELED, that CQE goes to the cancellation and never to
 * complete(), and the cancellation is released exactly once, after both
 * CQEs. The read consumed nothing: data written afterwards stays in the pipe.
 * Sources: ref/event.h, DESIGN.md section 7, io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL ("res 0 if found and cancelled"; the target
 * completes with -ECANCELED).
 */
#include "conform_ref.h"

static int completes;

static void counting_complete(void *event, const struct io_uring_cqe *cqe)
{
	completes++;
	ref_read_ops.complete(event, cqe);
}

struct setup {
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;
};

/* A read of 8 bytes on an empty pipe, submitted, then cancelled asking the
 * kernel, and everything drained. */
static void cancel_blocked_read(struct __test_metadata *_metadata, struct setup *s)
{
	static struct ref_event_ops ops;

	ops = ref_case_watched_ops(&ref_read_ops);
	ops.complete = counting_complete;
	ref_case_rig_init(_metadata, &s->rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&s->r, s->rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&s->rig.drv, &s->r, &ops, &s->id));
	ASSERT_EQ(1, ref_driver_submit(&s->rig.drv));
	ASSERT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&s->rig.drv, s->id));
	ASSERT_EQ(0, ref_driver_cancel(&s->rig.drv, s->id, true));
	ASSERT_EQ(REF_EVENT_CANCEL_REQUESTED, ref_driver_state(&s->rig.drv, s->id));
	ASSERT_EQ(0, ref_case_drain(&s->rig.drv));
}

static void teardown(struct setup *s)
{
	ref_io_event_free(&s->r);
	ref_case_rig_free(&s->rig);
}

/* io_uring_enter(2) IORING_OP_ASYNC_CANCEL (5.5): res 0 when the target was
 * found and cancelled; the driver reports it to cancel_result once. First
 * kernel 5.7 (IORING_FEAT_FAST_POLL): the pipe read waits in io_uring's poll;
 * 5.6 punts it to io-wq, where it blocks and the cancel gives -EALREADY. */
TEST(cancel_result_is_zero)
{
	struct setup s;

	CONFORM_DECLARE("5.7", "IORING_FEAT_FAST_POLL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: res 0 when "
			"found; a pipe read waits in io_uring's poll "
			"(IORING_FEAT_FAST_POLL 5.7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_FAST_POLL);
	cancel_blocked_read(_metadata, &s);
	EXPECT_EQ(1, ref_case_seen.cancel_results);
	EXPECT_EQ(0, ref_case_seen.cancel_res);
	teardown(&s);
}

/* io_uring_enter(2) IORING_OP_ASYNC_CANCEL: the cancelled request completes
 * with -ECANCELED; ref/event.h: that CQE goes to the cancellation (final,
 * no IORING_CQE_F_MORE) and complete() is never called (5.7: the read waits
 * in poll, IORING_FEAT_FAST_POLL; blocked in io-wq on 5.6 it ends -EINTR). */
TEST(target_ecanceled_goes_to_cancellation_not_complete)
{
	struct setup s;

	CONFORM_DECLARE("5.7", "IORING_FEAT_FAST_POLL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: the target "
			"completes with -ECANCELED (waiting in poll, "
			"IORING_FEAT_FAST_POLL 5.7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_FAST_POLL);
	cancel_blocked_read(_metadata, &s);
	EXPECT_EQ(1, ref_case_seen.completed);
	EXPECT_EQ(-ECANCELED, ref_case_seen.last_res);
	EXPECT_EQ(0u, ref_case_seen.last_flags & IORING_CQE_F_MORE);
	EXPECT_EQ(0, completes);
	EXPECT_FALSE(s.r.done);
	EXPECT_EQ(1u, s.rig.drv.stats.cancelled_completions);
	EXPECT_EQ(0u, s.rig.drv.stats.completions);
	EXPECT_EQ(0u, s.rig.drv.stats.stray);
	teardown(&s);
}

/* ref/event.h: release is "called once, after the final CQE and the
 * cancel's CQE"; the id is then inert (5.6: IORING_OP_READ). */
TEST(release_runs_once_after_both_cqes)
{
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"ref/event.h: release called once after the final CQE "
			"and the cancel's CQE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	cancel_blocked_read(_metadata, &s);
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(1, ref_case_seen.completed_at_release);
	EXPECT_EQ(1, ref_case_seen.cancel_results_at_release);
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&s.rig.drv, s.id));
	EXPECT_EQ(0u, s.rig.drv.in_flight);
	teardown(&s);
}

/* io_uring_enter(2): a request cancelled before it read anything consumed
 * nothing: 8 bytes written after the cancel are all still in the pipe
 * (5.6). */
TEST(cancelled_read_consumes_no_later_data)
{
	unsigned char data[8], back[16];
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: a "
			"cancelled read transfers nothing");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	cancel_blocked_read(_metadata, &s);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(s.rig.p[1], data, sizeof(data)));
	ASSERT_EQ((ssize_t)sizeof(data), read(s.rig.p[0], back, sizeof(back)));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(data), 0));
	teardown(&s);
}

TEST_HARNESS_MAIN
