// SPDX-License-Identifier: MIT
/*
 * ref/paio-lio-listio: ref_paio_lio_listio (lio_listio on io_uring,
 * ref/paio.c, one submit for the whole list) in LIO_WAIT and LIO_NOWAIT
 * modes, LIO_NOP and NULL entries, a failing entry (EIO), and the checks
 * made before anything is queued. Where glibc has the same behaviour
 * (posix-aio/lio-listio) it is asserted beside ref's.
 * Sources: POSIX.1-2017 XSH lio_listio; lio_listio(3); ref/paio.h.
 */
#include "conform_ref_paio.h"

/*
 * lio_listio(3): with LIO_WAIT "the call blocks until all operations are
 * complete", 0 when all succeeded: right after it every entry has error 0
 * and its count, and the data is in the file (5.6).
 */
TEST(wait_mode_returns_after_all_complete)
{
	static unsigned char wbuf[3][4096], rbuf[3 * 4096];
	struct ref_paio ctx;
	struct ref_aiocb cbs[3];
	struct ref_aiocb *list[3];
	ssize_t v = 0;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"lio_listio(3) LIO_WAIT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	for (int i = 0; i < 3; i++) {
		conform_fill_pattern(wbuf[i], 4096, i * 4096);
		cbs[i] = ref_paio_case_cb(LIO_WRITE, fd, wbuf[i], 4096, i * 4096);
		list[i] = &cbs[i];
	}
	ASSERT_EQ(0, ref_paio_lio_listio(&ctx, LIO_WAIT, list, 3, NULL));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(0, ref_paio_error(&ctx, &cbs[i]));
		EXPECT_EQ(0, ref_paio_return(&ctx, &cbs[i], &v));
		EXPECT_EQ(4096, v);
	}
	ASSERT_EQ(3 * 4096, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	ref_paio_free(&ctx);
	close(fd);
}

/*
 * POSIX lio_listio ERRORS: EIO when one or more operations failed; the
 * others complete, and the failed one has its own status (a read from a
 * descriptor that cannot be open: EBADF). glibc: -1/EIO, the same
 * statuses (5.6).
 */
TEST(wait_mode_with_failed_entry_gets_eio)
{
	unsigned char good[512], bad[512], ggood[512], gbad[512];
	struct ref_paio ctx;
	struct ref_aiocb gcb, bcb;
	struct ref_aiocb *list[2] = { &gcb, &bcb };
	struct aiocb ggcb, gbcb;
	struct aiocb *glist[2] = { &ggcb, &gbcb };
	ssize_t v = 0;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX lio_listio() EIO");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	gcb = ref_paio_case_cb(LIO_READ, fd, good, sizeof(good), 512);
	bcb = ref_paio_case_cb(LIO_READ, conform_bad_fd(), bad, sizeof(bad), 0);
	EXPECT_EQ(-EIO, ref_paio_lio_listio(&ctx, LIO_WAIT, list, 2, NULL));
	EXPECT_EQ(0, ref_paio_error(&ctx, &gcb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &gcb, &v));
	EXPECT_EQ(512, v);
	EXPECT_TRUE(conform_check_pattern(good, sizeof(good), 512));
	EXPECT_EQ(EBADF, ref_paio_error(&ctx, &bcb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &bcb, &v));
	EXPECT_EQ(-1, v);

	posix_aio_prep_lio(&ggcb, LIO_READ, fd, ggood, sizeof(ggood), 512);
	posix_aio_prep_lio(&gbcb, LIO_READ, conform_bad_fd(), gbad,
			   sizeof(gbad), 0);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT, glist, 2, NULL));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, posix_aio_wait_done(&ggcb));
	ASSERT_EQ(0, posix_aio_wait_done(&gbcb));
	EXPECT_EQ(0, aio_error(&ggcb));
	EXPECT_EQ(EBADF, aio_error(&gbcb));
	ref_paio_free(&ctx);
	close(fd);
}

/*
 * lio_listio(3): with LIO_NOWAIT the operations are queued "and the call
 * returns immediately": reads on an empty pipe are still EINPROGRESS after
 * it, and complete like ref_paio_read requests once fed (5.6).
 */
TEST(nowait_mode_returns_with_requests_in_progress)
{
	unsigned char buf[2][8];
	struct ref_paio ctx;
	struct ref_aiocb cbs[2];
	struct ref_aiocb *list[2] = { &cbs[0], &cbs[1] };
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"lio_listio(3) LIO_NOWAIT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	for (int i = 0; i < 2; i++)
		cbs[i] = ref_paio_case_cb(LIO_READ, p[0], buf[i], 8, 0);
	ASSERT_EQ(0, ref_paio_lio_listio(&ctx, LIO_NOWAIT, list, 2, NULL));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cbs[0]));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cbs[1]));
	ASSERT_EQ(16, write(p[1], "aaaaaaaabbbbbbbb", 16));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cbs[i]));
		EXPECT_EQ(0, ref_paio_return(&ctx, &cbs[i], &v));
		EXPECT_EQ(8, v);
	}
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/*
 * lio_listio(3): "LIO_NOP Ignore this control block" and "Null pointers in
 * aiocb_list are ignored". A NOP entry with a bad fd would fail the list
 * (EIO) if it ran; ignored, it is never queued and has no status (5.6).
 */
TEST(nop_and_null_entries_are_ignored)
{
	unsigned char buf[512], nbuf[512];
	struct ref_paio ctx;
	struct ref_aiocb cb, nop;
	struct ref_aiocb *list[3] = { &nop, NULL, &cb };
	ssize_t v = 0;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"lio_listio(3) LIO_NOP; null pointers ignored");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	nop = ref_paio_case_cb(LIO_NOP, -1, nbuf, sizeof(nbuf), 0);
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 100);
	EXPECT_EQ(0, ref_paio_lio_listio(&ctx, LIO_WAIT, list, 3, NULL));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(512, v);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 100));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &nop));
	ref_paio_free(&ctx);
	close(fd);
}

/* POSIX lio_listio ERRORS (shall fail): EINVAL when "the mode argument is
 * not a proper value"; ref: -EINVAL, nothing queued (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(invalid_mode_gets_einval)
{
	unsigned char buf[512];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	struct ref_aiocb *list[1] = { &cb };
	int fd = conform_temp_file(4096, 0);
	int mode = LIO_WAIT + LIO_NOWAIT + 7;

	CONFORM_DECLARE("5.1", "lio_listio",
			"POSIX lio_listio() EINVAL: mode not a proper value "
			"(glibc/POSIX behaviour, ref on io_uring_setup)");
	CONFORM_REQUIRE_URING();
	ASSERT_LE(0, fd);
	ASSERT_NE(LIO_WAIT, mode);
	ASSERT_NE(LIO_NOWAIT, mode);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 0);
	EXPECT_EQ(-EINVAL, ref_paio_lio_listio(&ctx, mode, list, 1, NULL));
	EXPECT_EQ(-EINVAL, ref_paio_lio_listio(&ctx, LIO_WAIT, list, -1, NULL));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(fd);
}

/*
 * ref/paio.c Rule: every entry is checked before any is queued. An entry
 * with an opcode that is not LIO_READ, LIO_WRITE or LIO_NOP fails the call
 * with -EINVAL, and the valid entry before it is not queued either (5.1: only
 * io_uring_setup, no request reaches the kernel).
 */
TEST(bad_opcode_gets_einval_with_nothing_queued)
{
	unsigned char buf[2][64];
	struct ref_paio ctx;
	struct ref_aiocb good, bad;
	struct ref_aiocb *list[2] = { &good, &bad };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.1", "lio_listio",
			"ref/paio.c: every entry checked before any is queued");
	CONFORM_REQUIRE_URING();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	good = ref_paio_case_cb(LIO_READ, fd, buf[0], 64, 0);
	bad = ref_paio_case_cb(LIO_NOP + 10, fd, buf[1], 64, 0);
	EXPECT_EQ(-EINVAL, ref_paio_lio_listio(&ctx, LIO_NOWAIT, list, 2, NULL));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &good));
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(fd);
}

/*
 * POSIX lio_listio ERRORS: EAGAIN when "the resources necessary to queue
 * all the I/O requests were not available". ref: more entries than the
 * room left under max gives -EAGAIN, with none of them queued (5.1: only
 * io_uring_setup, no request reaches the kernel).
 */
TEST(list_beyond_max_gets_eagain_with_nothing_queued)
{
	unsigned char buf[3][8];
	struct ref_paio ctx;
	struct ref_aiocb cbs[3];
	struct ref_aiocb *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	int p[2];

	CONFORM_DECLARE("5.1", "lio_listio",
			"POSIX lio_listio() EAGAIN");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 2));
	for (int i = 0; i < 3; i++)
		cbs[i] = ref_paio_case_cb(LIO_READ, p[0], buf[i], 8, 0);
	EXPECT_EQ(-EAGAIN, ref_paio_lio_listio(&ctx, LIO_NOWAIT, list, 3, NULL));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &cbs[i]));
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
