// SPDX-License-Identifier: MIT
/*
 * ref/paio-cancel-running: ref_paio_cancel of a read that is running, asleep
 * in an io-wq worker. The kernel's cancel answers -EALREADY (found running)
 * and wakes the worker; the read ends with -EINTR. ref/paio.c reports that
 * as a cancelled request: AIO_CANCELED, error ECANCELED, return -1. glibc
 * cannot stop a read its worker thread is in (posix-aio/cancel:
 * running_request_gets_notcanceled).
 * The read is one of two reads of an inotify fd sharing one event: one read
 * takes it, the other is reissued in an io-wq worker, where it sleeps
 * (conform_ref_paio.h paio_case_iowq_start).
 * ref_paio_free of such a read waits for its end before the ring goes.
 * Sources: io_uring_enter(2) IORING_OP_ASYNC_CANCEL; DESIGN.md section 7
 * ("usually -EINTR (running in io-wq)"); POSIX.1-2017 XSH aio_cancel,
 * aio_error; inotify(7); ref/paio.h.
 */
#include "conform_ref_paio.h"

/*
 * ctx (4 entries) with paio_case_iowq_start()'s read asleep in io-wq; false,
 * the TEST skipped and everything freed, when no worker was seen asleep.
 */
static bool start_read_asleep_in_io_wq(struct __test_metadata *_metadata,
				       struct ref_paio *ctx,
				       struct paio_case_iowq *w)
{
	int seen;

	ASSERT_EQ(0, ref_paio_init(ctx, 4));
	seen = paio_case_iowq_start(ctx, w);
	ASSERT_LE(0, seen);
	if (!seen) {
		ref_paio_free(ctx);
		paio_case_iowq_end(w);
		SKIP(return false, CONFORM_UNSEEN "no io-wq worker seen asleep in wait_woken within "
		     "2 s: %s", w->why);
	}
	return true;
}

/*
 * DESIGN.md section 7: a request running in io-wq usually completes with
 * -EINTR after a cancel. ref/paio.c Rule: a request it cancelled that ends
 * with -EINTR was stopped by the cancel and transferred nothing, so POSIX
 * sees AIO_CANCELED with error ECANCELED and return -1; stats.interrupted
 * shows the -EINTR was seen (workers are threads of the process, so can be
 * seen asleep, since 5.12).
 */
TEST(read_asleep_in_io_wq_is_interrupted_and_reported_canceled)
{
	struct paio_case_iowq w;
	struct ref_paio ctx;
	ssize_t v = 0;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"DESIGN.md section 7: a running io-wq request "
			"cancelled ends -EINTR; POSIX aio_cancel() "
			"AIO_CANCELED; workers seen as threads since 5.12 "
			"(IORING_FEAT_NATIVE_WORKERS)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	if (!start_read_asleep_in_io_wq(_metadata, &ctx, &w))
		return;
	EXPECT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, w.fd, w.sleeping));
	EXPECT_EQ(1u, ctx.stats.interrupted);
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, w.sleeping));
	EXPECT_EQ(0, ref_paio_return(&ctx, w.sleeping, &v));
	EXPECT_EQ(-1, v);
	ref_paio_free(&ctx);
	paio_case_iowq_end(&w);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "If found and attempted
 * canceled, the res field will contain -EALREADY". The cancel of the
 * sleeping read is counted as running; 6.18 and 7.2 now and then answer
 * -ENOENT instead when the interrupted worker finishes first (a kernel
 * defect listed in cases/known-failures.txt for ref/event-cancel-enoent-
 * ealready); ref's answer does not depend on it (5.12).
 */
TEST(cancel_of_read_asleep_in_io_wq_is_counted_running)
{
	struct paio_case_iowq w;
	struct ref_paio ctx;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: -EALREADY "
			"if found and attempted; workers seen as threads "
			"since 5.12 (IORING_FEAT_NATIVE_WORKERS)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	if (!start_read_asleep_in_io_wq(_metadata, &ctx, &w))
		return;
	ASSERT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, w.fd, w.sleeping));
	EXPECT_EQ(1u, ctx.stats.cancel_running);
	EXPECT_EQ(0u, ctx.stats.cancel_found);
	ref_paio_free(&ctx);
	paio_case_iowq_end(&w);
}

/*
 * inotify(7): a read returns whole events, struct inotify_event plus the
 * name padded to the struct's 16-byte alignment: "created" (8 bytes with
 * its NUL) gives 16 + 16 = 32. The read that took the event ends with that
 * count, as read(2) would (5.6).
 */
TEST(read_that_took_the_event_returns_one_event)
{
	const struct inotify_event *ev;
	struct paio_case_iowq w;
	struct ref_paio ctx;
	ssize_t v = 0;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"inotify(7): a read returns whole events");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	ASSERT_LE(0, paio_case_iowq_start(&ctx, &w));
	ASSERT_EQ(0, ref_paio_error(&ctx, w.done));
	EXPECT_EQ(0, ref_paio_return(&ctx, w.done, &v));
	EXPECT_EQ(32, v);
	ev = (const struct inotify_event *)w.done->buf;
	EXPECT_EQ((uint32_t)IN_CREATE, ev->mask);
	EXPECT_EQ(16u, ev->len);
	EXPECT_STREQ("created", ev->name);
	ref_paio_free(&ctx);
	paio_case_iowq_end(&w);
}

/*
 * DESIGN.md section 7: a request asleep in io-wq completes with -EINTR
 * when cancelled; free waits for that completion (the worker still holds
 * the heap buffer until then), and the read ends ECANCELED; the read that
 * took the inotify event keeps its result (5.12: workers seen asleep).
 */
TEST(free_interrupts_read_asleep_in_io_wq)
{
	char why[160] = "";
	struct paio_case_iowq *w;
	struct ref_paio ctx;
	int seen;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"DESIGN.md section 7; ref/paio.h free waits for the "
			"final CQE; workers seen as threads since 5.12 "
			"(IORING_FEAT_NATIVE_WORKERS)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	w = malloc(sizeof(*w));
	ASSERT_NE(NULL, w);
	ASSERT_EQ(0, ref_paio_init(&ctx, 2));
	seen = paio_case_iowq_start(&ctx, w);
	ASSERT_LE(0, seen);
	ref_paio_free(&ctx);
	EXPECT_EQ(0u, ctx.owed);
	EXPECT_EQ(0, ref_paio_error(&ctx, w->done));
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, w->sleeping));
	if (seen)
		EXPECT_EQ(1u, ctx.stats.interrupted);
	paio_case_iowq_end(w);
	snprintf(why, sizeof(why), "%s", w->why);
	free(w);
	if (!seen)
		SKIP(return, CONFORM_UNSEEN "no io-wq worker seen asleep in wait_woken within "
		     "2 s: %s; the read may not have been running", why);
}

TEST_HARNESS_MAIN
