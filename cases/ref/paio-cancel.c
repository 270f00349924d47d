// SPDX-License-Identifier: MIT
/*
 * ref/paio-cancel: ref_paio_cancel (aio_cancel on io_uring, ref/paio.c):
 * AIO_CANCELED for a read blocked on an empty pipe, with ECANCELED already
 * in its status when the call returns, where glibc answers AIO_NOTCANCELED
 * for the same read (its worker thread is inside read(2)); cancelling every
 * request of a descriptor; AIO_ALLDONE after completion; an fsync ref holds
 * back; EBADF and a block of another descriptor.
 * Sources: POSIX.1-2017 XSH aio_cancel; io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL; DESIGN.md section 7; ref/paio.h.
 *
 * Reads that must stay pending are reads on empty pipes; whatever a test
 * leaves pending, ref_paio_free cancels and drains.
 */
#include "conform_ref_paio.h"

/*
 * POSIX aio_cancel: AIO_CANCELED when the request was cancelled; its error
 * status is ECANCELED and its return -1. ref/paio.c Rule: the answer comes
 * only after the target's own CQE, so the status already says so. The
 * kernel either finds the read in its poll (cancel 0, read -ECANCELED) or,
 * where it reads a pipe blockingly in io-wq (5.10), interrupts it (-EINTR,
 * which ref reports as ECANCELED); both are AIO_CANCELED (5.6).
 */
TEST(blocked_pipe_read_gets_canceled_with_ecanceled)
{
	unsigned char buf[16];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"POSIX aio_cancel(): AIO_CANCELED, error ECANCELED, "
			"return -1");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, p[0], &cb));
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(-1, v);
	EXPECT_EQ(0u, ctx.in_progress);
	EXPECT_EQ(0u, ctx.owed);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel: a cancelled request does not happen. Bytes written to
 * the pipe after the cancel are not taken by the cancelled read: read(2)
 * still finds them all (5.6).
 */
TEST(canceled_read_takes_no_bytes)
{
	unsigned char buf[16], data[16], back[16];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"POSIX aio_cancel(): a cancelled request does not "
			"happen");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ASSERT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, p[0], &cb));
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(16, write(p[1], data, sizeof(data)));
	EXPECT_EQ(16, read(p[0], back, sizeof(back)));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/*
 * The same blocked pipe read through glibc: its worker thread is inside
 * read(2), which glibc cannot stop, so aio_cancel answers AIO_NOTCANCELED
 * and the read stays EINPROGRESS until fed (DESIGN.md section 7; POSIX
 * aio_cancel: a request in progress may not be cancellable). ref cancels
 * it (AIO_CANCELED): the kernel can stop its own request. Both are POSIX
 * answers (glibc 2.36; ring 5.6).
 */
TEST(glibc_cannot_cancel_the_read_ref_cancels)
{
	unsigned char gbuf[16], rbuf[16], data[16] = { 0 };
	struct ref_paio ctx;
	struct ref_aiocb rcb;
	struct aiocb gcb;
	int gp[2], rp[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"POSIX aio_cancel(): AIO_NOTCANCELED for a request in "
			"progress (glibc) and AIO_CANCELED (ref)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(gp));
	ASSERT_EQ(0, conform_pipe(rp));
	posix_aio_prep(&gcb, gp[0], gbuf, sizeof(gbuf), 0);
	ASSERT_EQ(0, aio_read(&gcb));
	EXPECT_EQ(AIO_NOTCANCELED, aio_cancel(gp[0], &gcb));
	EXPECT_EQ(EINPROGRESS, aio_error(&gcb));

	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	rcb = ref_paio_case_cb(LIO_READ, rp[0], rbuf, sizeof(rbuf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &rcb));
	EXPECT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, rp[0], &rcb));
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &rcb));

	ASSERT_EQ(16, write(gp[1], data, sizeof(data)));
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	EXPECT_EQ(16, aio_return(&gcb));
	ref_paio_free(&ctx);
	close(gp[0]);
	close(gp[1]);
	close(rp[0]);
	close(rp[1]);
}

/*
 * POSIX aio_cancel: with aiocbp NULL every outstanding request on fildes is
 * cancelled; AIO_CANCELED when all were. Three reads on one empty pipe all
 * end ECANCELED (5.6).
 */
TEST(cancel_all_cancels_every_read_on_fd)
{
	unsigned char buf[3][8];
	struct ref_paio ctx;
	struct ref_aiocb cb[3];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"POSIX aio_cancel(): aiocbp NULL cancels every "
			"request on fildes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	for (int i = 0; i < 3; i++) {
		cb[i] = ref_paio_case_cb(LIO_READ, p[0], buf[i], 8, 0);
		ASSERT_EQ(0, ref_paio_read(&ctx, &cb[i]));
	}
	EXPECT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, p[0], NULL));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &cb[i]));
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/* POSIX aio_cancel: only requests "against fildes" are cancelled; a read
 * on another pipe stays EINPROGRESS and completes normally (5.6). */
TEST(cancel_all_leaves_other_fds_alone)
{
	unsigned char buf[2][8];
	struct ref_paio ctx;
	struct ref_aiocb a, b;
	ssize_t v = 0;
	int p[2], q[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"POSIX aio_cancel(): only requests against fildes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	a = ref_paio_case_cb(LIO_READ, p[0], buf[0], 8, 0);
	b = ref_paio_case_cb(LIO_READ, q[0], buf[1], 8, 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &a));
	ASSERT_EQ(0, ref_paio_read(&ctx, &b));
	EXPECT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, p[0], NULL));
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &a));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &b));
	ASSERT_EQ(8, write(q[1], "qqqqqqqq", 8));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &b));
	EXPECT_EQ(0, ref_paio_return(&ctx, &b, &v));
	EXPECT_EQ(8, v);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/*
 * POSIX aio_cancel: AIO_ALLDONE when the operation had already completed;
 * it keeps its own status. Both for the block and for the descriptor
 * (aiocbp NULL), as glibc does (posix-aio/cancel) (5.6).
 */
TEST(finished_request_gets_alldone)
{
	unsigned char buf[512];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_cancel(): AIO_ALLDONE when already "
			"completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(AIO_ALLDONE, ref_paio_cancel(&ctx, fd, &cb));
	EXPECT_EQ(AIO_ALLDONE, ref_paio_cancel(&ctx, fd, NULL));
	EXPECT_EQ(0, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(512, v);
	EXPECT_EQ(AIO_ALLDONE, ref_paio_cancel(&ctx, fd, &cb));
	ref_paio_free(&ctx);
	close(fd);
}

/*
 * POSIX aio_cancel: AIO_ALLDONE for a request already completed. A read
 * whose data waits completes inside its own submit (the read end is
 * O_NONBLOCK, so every kernel reads it inline); its CQE is not reaped yet
 * when ref_paio_cancel is called. ref/paio.c reaps ready CQEs first, so it
 * answers AIO_ALLDONE without asking the kernel: no ASYNC_CANCEL result is
 * counted (5.6).
 */
TEST(completed_unreaped_read_gets_alldone_without_asking)
{
	unsigned char buf[8];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_cancel(): AIO_ALLDONE; ref/paio.c reaps "
			"ready CQEs first");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(8, write(p[1], "12345678", 8));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(AIO_ALLDONE, ref_paio_cancel(&ctx, p[0], &cb));
	EXPECT_EQ(0, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0u, ctx.stats.cancel_found + ctx.stats.cancel_running +
		      ctx.stats.cancel_not_found);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_cancel: with no outstanding request on fildes there is nothing
 * to cancel: AIO_ALLDONE (glibc answers the same) (5.1: only
 * io_uring_setup, no request reaches the kernel).
 */
TEST(no_request_on_fd_gets_alldone)
{
	struct ref_paio ctx;
	int p[2];

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"POSIX aio_cancel(): AIO_ALLDONE with nothing "
			"outstanding on fildes");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	EXPECT_EQ(AIO_ALLDONE, ref_paio_cancel(&ctx, p[0], NULL));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel(p[0], NULL));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/*
 * ref/paio.c Rule: an fsync held back behind an earlier request on its fd
 * never reached the kernel, so cancelling it is AIO_CANCELED at once
 * (ECANCELED, return -1); the earlier read is untouched (5.6).
 */
TEST(held_fsync_is_canceled_at_once)
{
	unsigned char buf[8];
	struct ref_paio ctx;
	struct ref_aiocb rcb, scb;
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_cancel(): AIO_CANCELED; ref/paio.c holds "
			"an fsync behind earlier I/O");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_FSYNC);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	rcb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	scb = ref_paio_case_cb(LIO_NOP, p[0], NULL, 0, 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &rcb));
	ASSERT_EQ(0, ref_paio_fsync(&ctx, O_SYNC, &scb));
	EXPECT_EQ(AIO_CANCELED, ref_paio_cancel(&ctx, p[0], &scb));
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &scb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &scb, &v));
	EXPECT_EQ(-1, v);
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &rcb));
	EXPECT_EQ(0u, ctx.stats.cancel_found + ctx.stats.cancel_running +
		      ctx.stats.cancel_not_found);
	ASSERT_EQ(8, write(p[1], "abcdefgh", 8));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &rcb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &rcb, &v));
	EXPECT_EQ(8, v);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/* POSIX aio_cancel ERRORS (shall fail): EBADF for a bad fildes; ref gives
 * -EBADF, glibc -1 with EBADF (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(bad_fd_gets_ebadf)
{
	struct ref_paio ctx;

	CONFORM_DECLARE("5.1", "aio_cancel",
			"POSIX aio_cancel() EBADF (glibc/POSIX behaviour, ref "
			"on io_uring_setup)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	EXPECT_EQ(-EBADF, ref_paio_cancel(&ctx, conform_bad_fd(), NULL));
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(conform_bad_fd(), NULL));
	EXPECT_EQ(EBADF, errno);
	ref_paio_free(&ctx);
}

/*
 * POSIX aio_cancel: a block whose fd is not fildes gives "unspecified
 * results"; glibc fails with EINVAL, and so does ref (-EINVAL), leaving the
 * request alone (5.6).
 */
TEST(block_of_another_fd_gets_einval)
{
	unsigned char buf[8], gbuf[8];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	struct aiocb gcb;
	int p[2], q[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_cancel(): unspecified for a block of "
			"another fd; glibc EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EINVAL, ref_paio_cancel(&ctx, q[0], &cb));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cb));
	posix_aio_prep(&gcb, p[0], gbuf, sizeof(gbuf), 0);
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(q[0], &gcb));
	EXPECT_EQ(EINVAL, errno);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

TEST_HARNESS_MAIN
