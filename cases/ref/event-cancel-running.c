// SPDX-License-Identifier: MIT
/*
 * ref/event-cancel-running: a read event of the reference driver
 * (ref/event.c) cancelled without asking the kernel, while the kernel still
 * has the read. The kernel goes on and fills the buffer after the cancel, so
 * the buffer must stay alive in the cancellation until the final CQE; the
 * cancellation's completed() sees the normal result and the bytes, and only
 * then is the buffer released. A custom read event keeps the buffer in a
 * record whose cancellation notes what it saw.
 * Sources: ref/event.h ("a normal result that must not be lost"), DESIGN.md
 * section 7 ("cancel-requested holds the resources until the kernel's final
 * completion"), io_uring_enter(2) (the buffer of a request in flight must
 * stay valid until its completion).
 */
#include "conform_ref.h"

enum { LEN = 32 };

/* A read whose buffer sits in a record that the cancellation takes over. */
struct record {
	unsigned char buf[LEN];
};

struct rec_read {
	int fd;
	struct record *rec;	/* NULL once handed to a cancellation */
	unsigned int completes;
};

/* What the cancellation saw (one test per process). */
static struct {
	unsigned int completed, releases, cancel_results;
	int res;
	unsigned int flags;
	bool bytes_ok;		/* the buffer held the pattern at completed() */
	bool completed_before_release;
} seen;

static void rec_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct rec_read *ev = event;

	sqe->opcode = IORING_OP_READ;
	sqe->fd = ev->fd;
	sqe->addr = (uint64_t)(uintptr_t)ev->rec->buf;
	sqe->len = LEN;
}

static void rec_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct rec_read *ev = event;

	(void)cqe;
	ev->completes++;
}

static void rec_completed(void *data, const struct io_uring_cqe *cqe)
{
	struct record *rec = data;

	seen.completed++;
	seen.res = cqe->res;
	seen.flags = cqe->flags;
	seen.bytes_ok = cqe->res == LEN && conform_check_pattern(rec->buf, LEN, 0);
}

static void rec_cancel_result(void *data, int res)
{
	(void)data;
	(void)res;
	seen.cancel_results++;
}

static void rec_release(void *data)
{
	seen.releases++;
	seen.completed_before_release = seen.completed == 1;
	free(data);
}

static struct ref_cancellation rec_cancel(void *event)
{
	struct rec_read *ev = event;
	struct ref_cancellation c = {
		.data = ev->rec, .completed = rec_completed,
		.cancel_result = rec_cancel_result, .release = rec_release,
	};

	ev->rec = NULL;
	return c;
}

static const struct ref_event_ops rec_ops = {
	.prepare = rec_prepare, .complete = rec_complete, .cancel = rec_cancel,
};

struct setup {
	struct rec_read ev;
	struct ref_case_rig rig;
	ref_event_id id;
};

/*
 * A read of LEN bytes, submitted on an empty pipe (so the kernel holds it),
 * cancelled without asking; then LEN bytes of pattern are written, which the
 * kernel reads into the buffer the cancellation now owns; then drained.
 */
static void cancel_then_feed(struct __test_metadata *_metadata, struct setup *s)
{
	unsigned char data[LEN];

	memset(&seen, 0, sizeof(seen));
	ref_case_rig_init(_metadata, &s->rig, 4, 2);
	s->ev.fd = s->rig.p[0];
	s->ev.completes = 0;
	s->ev.rec = calloc(1, sizeof(*s->ev.rec));
	ASSERT_NE(NULL, s->ev.rec);
	ASSERT_EQ(0, ref_driver_start(&s->rig.drv, &s->ev, &rec_ops, &s->id));
	ASSERT_EQ(1, ref_driver_submit(&s->rig.drv));
	ASSERT_EQ(0, ref_driver_cancel(&s->rig.drv, s->id, false));
	ASSERT_EQ(NULL, s->ev.rec);
	ASSERT_EQ(0u, seen.releases);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(LEN, write(s->rig.p[1], data, sizeof(data)));
	ASSERT_EQ(0, ref_case_drain(&s->rig.drv));
}

/* ref/event.h: the cancelled read's normal result is not lost: completed()
 * gets the final CQE, res LEN, without IORING_CQE_F_MORE (5.6). */
TEST(cancellation_sees_normal_result)
{
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: a normal result that must not be lost");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	cancel_then_feed(_metadata, &s);
	EXPECT_EQ(1u, seen.completed);
	EXPECT_EQ(LEN, seen.res);
	EXPECT_EQ(0u, seen.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(0u, s.ev.completes);
	EXPECT_EQ(1u, s.rig.drv.stats.cancelled_completions);
	EXPECT_EQ(0u, s.rig.drv.stats.completions);
	ref_case_rig_free(&s.rig);
}

/* io_uring_enter(2): the kernel writes the buffer of a request in flight; the
 * cancellation kept it alive: it holds the bytes written after the cancel
 * (5.6). */
TEST(buffer_written_after_cancel_holds_the_bytes)
{
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2): a request's buffer stays in use "
			"until its completion");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	cancel_then_feed(_metadata, &s);
	EXPECT_TRUE(seen.bytes_ok);
	ref_case_rig_free(&s.rig);
}

/* ref/event.h: release runs once, after the final CQE (not at cancel) (5.6). */
TEST(buffer_released_once_after_final_cqe)
{
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h; DESIGN.md section 7: resources held "
			"until the final completion");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	cancel_then_feed(_metadata, &s);
	EXPECT_EQ(1u, seen.releases);
	EXPECT_TRUE(seen.completed_before_release);
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&s.rig.drv, s.id));
	ref_case_rig_free(&s.rig);
}

/* ref/event.h: without ask_kernel no IORING_OP_ASYNC_CANCEL is sent:
 * cancel_result is never called and nothing is queued by the cancel (5.6). */
TEST(cancel_without_asking_sends_no_async_cancel)
{
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: without ask_kernel no "
			"IORING_OP_ASYNC_CANCEL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	cancel_then_feed(_metadata, &s);
	EXPECT_EQ(0u, seen.cancel_results);
	EXPECT_EQ(0u, ref_ring_sq_pending(&s.rig.ring));
	EXPECT_EQ(*s.rig.ring.sq.ktail, *s.rig.ring.sq.khead);
	EXPECT_EQ(1u, *s.rig.ring.sq.khead);	/* only the read was ever submitted */
	ref_case_rig_free(&s.rig);
}

/*
 * ref/event.h: a read that already completed (data was in the pipe, the CQE
 * posted during the submit) but was not reaped when cancelled: its result
 * and bytes go to the cancellation all the same (5.6).
 */
TEST(completed_unreaped_read_result_goes_to_cancellation)
{
	unsigned char data[LEN];
	struct setup s;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h: a normal result that must not be lost");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	memset(&seen, 0, sizeof(seen));
	ref_case_rig_init(_metadata, &s.rig, 4, 2);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(LEN, write(s.rig.p[1], data, sizeof(data)));
	s.ev.fd = s.rig.p[0];
	s.ev.completes = 0;
	s.ev.rec = calloc(1, sizeof(*s.ev.rec));
	ASSERT_NE(NULL, s.ev.rec);
	ASSERT_EQ(0, ref_driver_start(&s.rig.drv, &s.ev, &rec_ops, &s.id));
	ASSERT_EQ(1, ref_driver_submit(&s.rig.drv));
	ASSERT_EQ(0, ref_driver_cancel(&s.rig.drv, s.id, false));
	ASSERT_EQ(0, ref_case_drain(&s.rig.drv));
	EXPECT_EQ(1u, seen.completed);
	EXPECT_EQ(LEN, seen.res);
	EXPECT_TRUE(seen.bytes_ok);
	EXPECT_EQ(1u, seen.releases);
	EXPECT_EQ(0u, s.ev.completes);
	ref_case_rig_free(&s.rig);
}

TEST_HARNESS_MAIN
