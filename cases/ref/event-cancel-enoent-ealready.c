// SPDX-License-Identifier: MIT
/*
 * ref/event-cancel-enoent-ealready: the own result of the
 * IORING_OP_ASYNC_CANCEL the reference driver (ref/event.c) sends for an
 * event cancelled with ask_kernel, as handed to the cancellation's
 * cancel_result, together with what the cancelled operation completes with:
 * -ENOENT when the target had already completed (CQE posted, not reaped);
 * for a read forced into io-wq on an empty pipe, one of three exact pairs; for
 * a splice asleep in an io-wq worker, -EALREADY. In each case the
 * cancellation is released once, after both CQEs.
 * Sources: io_uring_enter(2) IORING_OP_ASYNC_CANCEL (0 found, -ENOENT not
 * found, -EALREADY found and attempted: the request may or may not end),
 * DESIGN.md section 7, ref/event.h.
 */
#include "conform_ref.h"

/* ref_read_ops with IOSQE_ASYNC: the read is issued from io-wq (5.6). */
static void async_read_prepare(void *event, struct io_uring_sqe *sqe)
{
	ref_read_ops.prepare(event, sqe);
	sqe->flags |= IOSQE_ASYNC;
}

/* A splice of 8 bytes from one pipe into another; io_uring cannot poll for
 * it, so it blocks in an io-wq worker while the source is empty (5.7). */
struct splice_event {
	int in, out;
};

static void splice_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct splice_event *ev = event;

	sqe->opcode = IORING_OP_SPLICE;
	sqe->splice_fd_in = ev->in;
	sqe->splice_off_in = (uint64_t)-1;
	sqe->fd = ev->out;
	sqe->off = (uint64_t)-1;
	sqe->len = 8;
}

static void splice_complete(void *event, const struct io_uring_cqe *cqe)
{
	(void)event;
	(void)cqe;
}

static struct ref_cancellation splice_cancel(void *event)
{
	struct ref_cancellation c = { 0 };

	(void)event;
	return ref_case_watch(c);
}

static const struct ref_event_ops splice_ops = {
	.prepare = splice_prepare, .complete = splice_complete,
	.cancel = splice_cancel,
};

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL (5.5): "If not found, res will
 * contain -ENOENT." First kernel 5.6 (IORING_OP_READ). A read with data waiting completes; cancelled after its
 * CQE was posted but before it is reaped, the cancel finds nothing (-ENOENT)
 * and the read's normal result (8) still reaches the cancellation, which is
 * released once after both.
 * When the CQE is posted is not promised: the test waits for it (bounded)
 * without reaping it. The read end is O_NONBLOCK so that no kernel hands the
 * read to io-wq: 5.10 and 6.1 cannot read a blocking pipe without blocking
 * (pipes lack FMODE_NOWAIT there; 6.1 io_uring/rw.c io_read() punts such a
 * file), and an io-wq worker keeps the request as its current work for a
 * moment after posting the CQE (6.1 io_uring/io-wq.c: cur_work is cleared
 * only after do_work() returns), where a cancel would find it running
 * (-EALREADY) instead of completed. With O_NONBLOCK the read is done by the
 * submitting task on every kernel (6.1 __io_file_supports_nowait(): "any
 * ->read/write should understand O_NONBLOCK").
 */
TEST(cancel_of_completed_unreaped_read_gets_enoent)
{
	const struct __kernel_timespec bound = { .tv_sec = REF_CASE_BOUND_S };
	struct ref_event_ops ops = ref_case_watched_ops(&ref_read_ops);
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: -ENOENT if "
			"not found");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, fcntl(rig.p[0], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(8, write(rig.p[1], "12345678", 8));
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	/* Wait for the CQE without reaping it: posted, not reaped. */
	ASSERT_EQ(0, ref_ring_wait(&rig.ring, 1, &bound));
	ASSERT_EQ(1u, ref_ring_cq_ready(&rig.ring));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, true));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(1, ref_case_seen.cancel_results);
	EXPECT_EQ(-ENOENT, ref_case_seen.cancel_res);
	EXPECT_EQ(1, ref_case_seen.completed);
	EXPECT_EQ(8, ref_case_seen.last_res);
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(1, ref_case_seen.completed_at_release);
	EXPECT_EQ(1, ref_case_seen.cancel_results_at_release);
	EXPECT_FALSE(r.done);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/*
 * io_uring_enter(2) IOSQE_ASYNC (5.6) and IORING_OP_ASYNC_CANCEL (5.5): a
 * read forced into io-wq on an empty pipe (first kernel 5.6). Three exact outcomes are known:
 * - cancel 0, read -ECANCELED: the request was found before it ran, or
 *   found waiting in the poll that newer io-wq arms for a pollable file
 *   instead of blocking (what 6.18 shows);
 * - cancel -EALREADY, read -EINTR: it was found running in a worker, which
 *   is woken as by a signal (io-wq reading blockingly, as 5.10 does);
 * - cancel -EALREADY, read -ECANCELED: a worker had taken it but not yet
 *   started it (6.1 io_uring/io-wq.c io_wq_worker_cancel() flags the
 *   worker's next_work and counts it as running; io_wq_submit_work() then
 *   fails flagged work with -ECANCELED); seen now and then on 6.12.
 * Any other pair fails, and so does a read that never ends: a cancel that
 * flags the request while the worker arms its poll must not be lost (6.1
 * io_uring/poll.c __io_arm_poll_handler() marks such a request cancelled;
 * 6.18 and 7.2 now and then leave it armed after -EALREADY, and the drain
 * runs out: a kernel defect, listed in cases/known-failures.txt).
 */
TEST(cancel_of_async_pipe_read_gives_one_documented_pair)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_read_ops);
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id id;

	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: 0, or "
			"-EALREADY found running; io_uring_enter(2) "
			"IOSQE_ASYNC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ops.prepare = async_read_prepare;
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, true));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	ASSERT_EQ(1, ref_case_seen.cancel_results);
	ASSERT_EQ(1, ref_case_seen.completed);
	if (ref_case_seen.cancel_res == 0) {
		TH_LOG("cancel 0, read -ECANCELED: found before running or in its poll");
		EXPECT_EQ(-ECANCELED, ref_case_seen.last_res);
	} else if (ref_case_seen.last_res == -ECANCELED) {
		TH_LOG("cancel %d, read -ECANCELED: flagged in a worker before it started",
		       ref_case_seen.cancel_res);
		EXPECT_EQ(-EALREADY, ref_case_seen.cancel_res);
	} else {
		TH_LOG("cancel %d, read %d: found running in io-wq",
		       ref_case_seen.cancel_res, ref_case_seen.last_res);
		EXPECT_EQ(-EALREADY, ref_case_seen.cancel_res);
		EXPECT_EQ(-EINTR, ref_case_seen.last_res);
	}
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(1, ref_case_seen.completed_at_release);
	EXPECT_EQ(1, ref_case_seen.cancel_results_at_release);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/* The splice of splice_ops on two fresh pipes, seen asleep in its io-wq
 * worker (conform_ref.h ref_case_wait_worker_asleep_in: wchan, or the top
 * of /proc stack where wchan reads "0"), then cancelled with ask_kernel and
 * drained. 1 done, 0 when not seen asleep: the pipes are closed and the
 * TEST skipped (saying what the probe saw). */
static int cancel_sleeping_splice(struct __test_metadata *_metadata,
				  int in[2], int out[2])
{
	char why[160] = "";
	struct splice_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	int seen_asleep;

	ASSERT_EQ(0, conform_pipe(in));
	ASSERT_EQ(0, conform_pipe(out));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ev.in = in[0];
	ev.out = out[1];
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &splice_ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&drv));
	seen_asleep = ref_case_wait_worker_asleep_in("pipe_wait_readable",
						     why, sizeof(why));
	/* Not seen asleep (the test will skip): feed the splice so that it
	 * ends whatever the cancel does. */
	if (!seen_asleep)
		ASSERT_EQ(8, write(in[1], "12345678", 8));
	ASSERT_EQ(0, ref_driver_cancel(&drv, id, true));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	if (!seen_asleep) {
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		SKIP(return 0, CONFORM_UNSEEN "no io-wq worker seen asleep in pipe_wait_readable "
		     "within 2 s: %s", why);
	}
	return seen_asleep;
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "If found and attempted
 * canceled, the res field will contain -EALREADY" (5.5). A splice from an
 * empty pipe sleeps in an io-wq worker (IORING_OP_SPLICE 5.7; seen through
 * /proc/self/task/<tid>, as workers are threads of the process since 5.12,
 * IORING_FEAT_NATIVE_WORKERS: first kernel 5.12): the cancel gives
 * -EALREADY, the splice ends, and the cancellation is released after both.
 * The cancel is sent only once the worker is seen asleep, so it finds the
 * splice running, whatever the worker does next. If the interrupted worker
 * is done before the cancel has finished looking elsewhere, the answer must
 * still be -EALREADY (6.1 io_uring/cancel.c __io_async_cancel(): a request
 * found running and flagged "isn't the same as not having found it");
 * 6.18 and 7.2 then give -ENOENT, now and then (a kernel defect, listed in
 * cases/known-failures.txt).
 */
TEST(cancel_of_splice_asleep_in_io_wq_gets_ealready)
{
	int in[2], out[2];

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: -EALREADY "
			"if found and attempted; io-wq workers are threads of "
			"the process since 5.12 (IORING_FEAT_NATIVE_WORKERS)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	if (!cancel_sleeping_splice(_metadata, in, out))
		return;
	EXPECT_EQ(1, ref_case_seen.cancel_results);
	EXPECT_EQ(-EALREADY, ref_case_seen.cancel_res);
	EXPECT_EQ(1, ref_case_seen.completed);
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(1, ref_case_seen.completed_at_release);
	EXPECT_EQ(1, ref_case_seen.cancel_results_at_release);
	close(in[0]); close(in[1]); close(out[0]); close(out[1]);
}

/*
 * DESIGN.md section 7: a request running in io-wq, when the cancel reaches
 * it, usually completes with -EINTR; include/linux/errno.h: ERESTARTSYS
 * (512) and its kin "should never be seen by user programs". The splice
 * interrupted by the cancel above must end with -EINTR (IORING_OP_SPLICE
 * 5.7; the worker is seen asleep since 5.12, IORING_FEAT_NATIVE_WORKERS:
 * first kernel 5.12).
 */
TEST(splice_interrupted_in_io_wq_completes_with_eintr)
{
	int in[2], out[2];

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"DESIGN.md section 7: a running io-wq request "
			"cancelled usually ends -EINTR; workers seen as "
			"threads since 5.12 (IORING_FEAT_NATIVE_WORKERS)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	if (!cancel_sleeping_splice(_metadata, in, out))
		return;
	ASSERT_EQ(1, ref_case_seen.completed);
	EXPECT_EQ(-EINTR, ref_case_seen.last_res);
	close(in[0]); close(in[1]); close(out[0]); close(out[1]);
}

TEST_HARNESS_MAIN
