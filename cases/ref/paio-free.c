// SPDX-License-Identifier: MIT
/*
 * ref/paio-free: ref_paio_free with requests in flight: reads blocked on
 * empty pipes and an fsync ref holds back (a read asleep in an io-wq worker
 * is in ref/paio-cancel-running). Free cancels each, waits for every
 * final CQE, and only then closes the ring: afterwards each request is done
 * with ECANCELED, none took data written later, the ring fd is closed, and
 * the heap buffers can go (the sanitizer and valgrind runs of this program
 * check that nothing leaks and nothing is written after it is freed).
 * Sources: io_uring_enter(2) (a request's buffer must stay valid until its
 * completion); DESIGN.md section 7 (teardown cancels, then drains);
 * POSIX.1-2017 XSH aio_cancel, aio_error; ref/paio.h.
 */
#include "conform_ref_paio.h"

enum { NREADS = 4, LEN = 64 };

/*
 * ref/paio.c Rule: free cancels everything and drains before memory goes.
 * Four reads on an empty pipe, with heap buffers and control blocks: after
 * free each is done with ECANCELED (return -1), nothing is owed by the
 * kernel, and bytes written afterwards are all still in the pipe (5.6).
 */
TEST(free_cancels_blocked_reads_and_drains)
{
	unsigned char data[NREADS * LEN], back[NREADS * LEN];
	struct ref_aiocb *cbs;
	struct ref_paio ctx;
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"ref/paio.h; DESIGN.md section 7: teardown cancels, "
			"then drains");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, NREADS));
	cbs = calloc(NREADS, sizeof(*cbs));
	ASSERT_NE(NULL, cbs);
	for (int i = 0; i < NREADS; i++) {
		cbs[i] = ref_paio_case_cb(LIO_READ, p[0], malloc(LEN), LEN, 0);
		ASSERT_NE(NULL, cbs[i].buf);
		ASSERT_EQ(0, ref_paio_read(&ctx, &cbs[i]));
	}
	ref_paio_free(&ctx);
	EXPECT_EQ(0u, ctx.owed);
	EXPECT_EQ(0u, ctx.in_progress);
	for (int i = 0; i < NREADS; i++) {
		EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &cbs[i]));
		EXPECT_EQ(0, ref_paio_return(&ctx, &cbs[i], &v));
		EXPECT_EQ(-1, v);
		free(cbs[i].buf);
	}
	free(cbs);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(p[1], data, sizeof(data)));
	EXPECT_EQ((ssize_t)sizeof(back), read(p[0], back, sizeof(back)));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(p[0]);
	close(p[1]);
}

/* ref/paio.h: free closes the ring: no fd is left open by the context;
 * a second free does nothing (5.6). */
TEST(free_closes_the_ring_fd_once)
{
	unsigned char buf[8];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int p[2], before;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/paio.h: free closes the ring");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	before = ref_case_count_open_fds();
	ASSERT_EQ(0, ref_paio_init(&ctx, 2));
	EXPECT_EQ(before + 1, ref_case_count_open_fds());
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ref_paio_free(&ctx);
	EXPECT_EQ(before, ref_case_count_open_fds());
	ref_paio_free(&ctx);
	EXPECT_EQ(before, ref_case_count_open_fds());
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &cb));
	close(p[0]);
	close(p[1]);
}

/* ref/paio.c Rule: an fsync held back never reached the kernel; free ends
 * it with ECANCELED along with the read it waited for (5.6). */
TEST(free_cancels_held_fsync)
{
	unsigned char buf[8];
	struct ref_paio ctx;
	struct ref_aiocb rcb, scb;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/paio.c: a held fsync never reached the kernel; "
			"POSIX aio_error() ECANCELED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_FSYNC);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 2));
	rcb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	scb = ref_paio_case_cb(LIO_NOP, p[0], NULL, 0, 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &rcb));
	ASSERT_EQ(0, ref_paio_fsync(&ctx, O_DSYNC, &scb));
	ref_paio_free(&ctx);
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &rcb));
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &scb));
	EXPECT_EQ(0u, ctx.owed);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
