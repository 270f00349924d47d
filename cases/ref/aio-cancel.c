// SPDX-License-Identifier: MIT
/*
 * ref/aio-cancel: ref_aio_cancel and the Rule it states (DESIGN.md section
 * 7): only IOCB_CMD_POLL can be cancelled; the kernel answers -EINPROGRESS,
 * which ref reports as 0 ("under way"), and the cancelled poll's event
 * still arrives through the ring (res 0); reads and writes give -EINVAL
 * and complete normally. Each answer of ref is checked against the raw
 * io_cancel's on the same kind of request. Polls wait on empty pipes.
 * Sources: io_cancel(2), fs/aio.c io_cancel() ("the io_event is always
 * delivered via the ring buffer. -EINPROGRESS indicates cancellation is
 * in progress", aio_poll_cancel, IOCB_CMD_POLL since 4.19), ref/aio.h.
 */
#include "conform_ref.h"
#include "conform_ref_aio.h"

/* A context with a poll for POLLIN pending on the empty pipe p. */
static void pending_poll(struct __test_metadata *_metadata, struct ref_aio *ctx,
			 struct iocb *cb, int p[2], uint64_t data)
{
	struct iocb *list[1] = { cb };

	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(ctx, 4));
	ref_aio_prep_poll(cb, p[0], POLLIN, data);
	ASSERT_EQ(1, ref_aio_submit(ctx, list, 1));
}

/* The same through the raw calls: a context id with a poll for POLLIN
 * pending on the empty pipe q. */
static void raw_pending_poll(struct __test_metadata *_metadata,
			     aio_context_t *id, struct iocb *cb, int q[2])
{
	struct iocb *list[1] = { cb };

	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, aio_sys_setup(4, id));
	aio_prep_poll(cb, q[0], POLLIN);
	ASSERT_EQ(1, aio_sys_submit(*id, 1, list));
}

/*
 * fs/aio.c io_cancel(): cancelling a pending IOCB_CMD_POLL gets
 * -EINPROGRESS from the kernel (raw call: -1, errno EINPROGRESS); ref
 * reports the same answer as 0, "under way" (since 4.19).
 */
TEST(cancel_of_pending_poll_is_under_way)
{
	struct timespec bound = ref_aio_case_bound;
	struct iocb rawcb, refcb;
	struct io_event ev, unused;
	struct ref_aio ctx;
	aio_context_t id = 0;
	int p[2], q[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_cancel(): -EINPROGRESS for a cancelled "
			"IOCB_CMD_POLL (aio_poll_cancel)");
	AIO_REQUIRE_POLL();
	raw_pending_poll(_metadata, &id, &rawcb, q);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(id, &rawcb, &unused));
	EXPECT_EQ(EINPROGRESS, errno);
	EXPECT_EQ(1, aio_sys_getevents(id, 1, 1, &ev, &bound));
	EXPECT_EQ(0, aio_sys_destroy(id));

	pending_poll(_metadata, &ctx, &refcb, p, 7);
	EXPECT_EQ(0, ref_aio_cancel(&ctx, &refcb));
	EXPECT_EQ(1, ref_aio_wait(&ctx, &ev, 1, 1, &ref_aio_case_bound));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	for (int i = 0; i < 2; i++) {
		close(p[i]);
		close(q[i]);
	}
}

/*
 * fs/aio.c aio_poll_complete_work(): the cancelled poll completes through
 * the ring like any request, with its obj and data and res 0 (no poll
 * mask is taken once cancelled), res2 0; reaped here by ref_aio_wait from
 * the user ring. Exactly one event (since 4.19).
 */
TEST(cancelled_poll_event_arrives_with_res_zero)
{
	struct timespec zero = { 0 };
	struct io_event ev[2];
	struct ref_aio ctx;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_cancel() and aio_poll_complete_work(): "
			"the cancelled poll's event is delivered via the "
			"ring, res 0");
	AIO_REQUIRE_POLL();
	pending_poll(_metadata, &ctx, &cb, p, 0x1234567890abcdefULL);
	ASSERT_EQ(0, ref_aio_cancel(&ctx, &cb));
	ASSERT_EQ(1, ref_aio_wait(&ctx, ev, 1, 2, &ref_aio_case_bound));
	EXPECT_EQ((uint64_t)(uintptr_t)&cb, ev[0].obj);
	EXPECT_EQ(0x1234567890abcdefULL, ev[0].data);
	EXPECT_EQ(0, ev[0].res);
	EXPECT_EQ(0, ev[0].res2);
	/* The poll is gone: data now written completes nothing. */
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(0, ref_aio_wait(&ctx, ev, 0, 2, &zero));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * DESIGN.md section 7, fs/aio.c: a read cannot be cancelled: io_cancel
 * gives -EINVAL, raw and through ref alike, and the read completes with
 * its full result (buffered read of a regular file) (since 2.6).
 */
TEST(cancel_of_read_gets_einval_and_read_completes)
{
	static char buf[2][1024];
	struct iocb cb[2], *list[2] = { &cb[0], &cb[1] };
	struct io_event ev, unused;
	aio_context_t id = 0;
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_cancel",
			"io_cancel(2) EINVAL; fs/aio.c io_cancel(): a read "
			"has no cancel method");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, aio_sys_setup(4, &id));
	aio_prep_rw(&cb[0], IOCB_CMD_PREAD, fd, buf[0], sizeof(buf[0]), 1024, 1);
	ASSERT_EQ(1, aio_sys_submit(id, 1, list));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(id, &cb[0], &unused));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_sys_destroy(id));

	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_pread(&cb[1], fd, buf[1], sizeof(buf[1]), 2048, 2);
	ASSERT_EQ(1, ref_aio_submit(&ctx, &list[1], 1));
	EXPECT_EQ(-EINVAL, ref_aio_cancel(&ctx, &cb[1]));
	ASSERT_EQ(1, ref_aio_wait(&ctx, &ev, 1, 1, &ref_aio_case_bound));
	EXPECT_EQ(2u, ev.data);
	EXPECT_EQ(1024, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf[1], sizeof(buf[1]), 2048));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* DESIGN.md section 7: a write cannot be cancelled either: -EINVAL, and
 * the write is done (2048 bytes, in the file) (since 2.6). */
TEST(cancel_of_write_gets_einval_and_write_completes)
{
	static char out[2048], back[2048];
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_cancel",
			"io_cancel(2) EINVAL; fs/aio.c io_cancel(): a write "
			"has no cancel method");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(out, sizeof(out), 4096);
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_pwrite(&cb, fd, out, sizeof(out), 4096, 3);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	EXPECT_EQ(-EINVAL, ref_aio_cancel(&ctx, &cb));
	ASSERT_EQ(1, ref_aio_wait(&ctx, &ev, 1, 1, &ref_aio_case_bound));
	EXPECT_EQ(2048, ev.res);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 4096));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 4096));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* fs/aio.c io_cancel(): a cancelled poll is no longer in flight: a second
 * cancel gets -EINVAL, raw and through ref alike (since 4.19). */
TEST(second_cancel_of_poll_gets_einval)
{
	struct timespec bound = ref_aio_case_bound;
	struct iocb rawcb, refcb;
	struct io_event ev, unused;
	struct ref_aio ctx;
	aio_context_t id = 0;
	int p[2], q[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_cancel(): -EINVAL for a request no "
			"longer in flight");
	AIO_REQUIRE_POLL();
	raw_pending_poll(_metadata, &id, &rawcb, q);
	ASSERT_EQ(-1, aio_sys_cancel(id, &rawcb, &unused));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(id, &rawcb, &unused));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, aio_sys_getevents(id, 1, 1, &ev, &bound));
	EXPECT_EQ(0, aio_sys_destroy(id));

	pending_poll(_metadata, &ctx, &refcb, p, 1);
	ASSERT_EQ(0, ref_aio_cancel(&ctx, &refcb));
	EXPECT_EQ(-EINVAL, ref_aio_cancel(&ctx, &refcb));
	EXPECT_EQ(1, ref_aio_wait(&ctx, &ev, 1, 1, &ref_aio_case_bound));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	for (int i = 0; i < 2; i++) {
		close(p[i]);
		close(q[i]);
	}
}

/* fs/aio.c io_cancel(): a poll that already completed (the pipe was
 * readable) is not in flight: -EINVAL; its event is the normal one,
 * POLLIN (since 4.19). */
TEST(cancel_of_completed_poll_gets_einval)
{
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	struct ref_aio ctx;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_cancel(): -EINVAL for a poll that "
			"already completed");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_poll(&cb, p[0], POLLIN, 5);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	ASSERT_EQ(1, ref_aio_wait(&ctx, &ev, 1, 1, &ref_aio_case_bound));
	EXPECT_EQ(POLLIN, ev.res);
	EXPECT_EQ(-EINVAL, ref_aio_cancel(&ctx, &cb));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(p[0]);
	close(p[1]);
}

/* fs/aio.c io_cancel(): an iocb never submitted is not found: -EINVAL,
 * raw and through ref alike (since 2.6). */
TEST(cancel_of_unsubmitted_iocb_gets_einval)
{
	struct io_event unused;
	struct ref_aio ctx;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "io_cancel",
			"io_cancel(2) EINVAL; fs/aio.c io_cancel(): iocb not "
			"found");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_poll(&cb, p[0], POLLIN, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_cancel(ctx.id, &cb, &unused));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, ref_aio_cancel(&ctx, &cb));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
