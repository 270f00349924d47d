// SPDX-License-Identifier: MIT
/*
 * ref/paio-status: the life of a ref/paio control block (ref/paio.c, POSIX
 * AIO on io_uring): EINPROGRESS while a request runs, then its status;
 * ref_paio_return gives the result once; what ref does where POSIX leaves a
 * call undefined (return before completion or twice, reuse in progress);
 * and the errors detected when a request is queued.
 * Sources: POSIX.1-2017 XSH aio_error, aio_return, aio_read; ref/paio.h.
 */
#include <limits.h>

#include "conform_ref_paio.h"

/* POSIX aio_error: EINPROGRESS while "not yet completed"; a read on an
 * empty pipe stays so, then gives 0 and its count once fed (5.6). */
TEST(error_is_einprogress_until_done_then_zero)
{
	unsigned char buf[16], data[16];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_error(): EINPROGRESS while the request is "
			"not completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cb));
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(16, write(p[1], data, sizeof(data)));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(16, v);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/* ref/paio.h: POSIX leaves aio_return before completion undefined; ref
 * refuses with -EINPROGRESS and leaves the request alone: it still
 * completes with its data afterwards (5.6). */
TEST(return_before_completion_gets_einprogress)
{
	unsigned char buf[8];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 12345;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_return(): undefined before completion; "
			"ref/paio.h -EINPROGRESS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EINPROGRESS, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(12345, v);
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cb));
	ASSERT_EQ(8, write(p[1], "abcdefgh", 8));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(8, v);
	EXPECT_EQ(0, memcmp(buf, "abcdefgh", 8));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/* POSIX aio_return: the status is retrieved once; aio_return and aio_error
 * "may fail" with EINVAL afterwards. ref does: -EINVAL for both (5.6). */
TEST(second_return_and_error_after_return_get_einval)
{
	unsigned char buf[512];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_return(), aio_error() EINVAL after the "
			"status was retrieved");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 512);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(512, v);
	v = 777;
	EXPECT_EQ(-EINVAL, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(777, v);
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 512));
	ref_paio_free(&ctx);
	close(fd);
}

/* ref/paio.h: a zeroed control block never queued holds no status:
 * error and return give -EINVAL (POSIX aio_error EINVAL) (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(never_queued_block_has_no_status)
{
	struct ref_paio ctx;
	struct ref_aiocb cb = { 0 };
	ssize_t v = 3;

	CONFORM_DECLARE("5.1", "aio_error",
			"POSIX aio_error() EINVAL; ref/paio.h");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(-EINVAL, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(3, v);
	ref_paio_free(&ctx);
}

/* ref/paio.h: after ref_paio_return the block may be queued again; the
 * second request has its own result (5.6). */
TEST(block_is_reusable_after_return)
{
	unsigned char buf[100];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int fd = conform_temp_file(1000, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/paio.h: a block may be queued again after "
			"ref_paio_return");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	ASSERT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	cb.offset = 950;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(50, v);
	EXPECT_TRUE(conform_check_pattern(buf, 50, 950));
	ref_paio_free(&ctx);
	close(fd);
}

/* ref/paio.h Rule: a block in progress belongs to its request (POSIX:
 * reuse is undefined); queueing it again gets -EBUSY and changes
 * nothing (5.6). */
TEST(queueing_block_in_progress_gets_ebusy)
{
	unsigned char buf[8];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/paio.h: a block in progress belongs to its "
			"request");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EBUSY, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EBUSY, ref_paio_write(&ctx, &cb));
	EXPECT_EQ(-EBUSY, ref_paio_fsync(&ctx, O_SYNC, &cb));
	EXPECT_EQ(1u, ctx.in_progress);
	ASSERT_EQ(8, write(p[1], "12345678", 8));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(8, v);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/* POSIX aio_read ERRORS: EAGAIN, "not queued due to system resource
 * limitations"; ref's limit is the max given to ref_paio_init (5.6). */
TEST(request_beyond_max_gets_eagain)
{
	unsigned char buf[2][8];
	struct ref_paio ctx;
	struct ref_aiocb cb[2];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_read() EAGAIN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 1));
	for (int i = 0; i < 2; i++)
		cb[i] = ref_paio_case_cb(LIO_READ, p[0], buf[i], 8, 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb[0]));
	EXPECT_EQ(-EAGAIN, ref_paio_read(&ctx, &cb[1]));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &cb[1]));
	ref_paio_free(&ctx);
	EXPECT_EQ(ECANCELED, ref_paio_error(&ctx, &cb[0]));
	close(p[0]);
	close(p[1]);
}

/* POSIX aio_read ERRORS: EINVAL when "the file offset value implied by
 * aio_offset would be invalid", detected now or later; ref detects it now
 * (io_uring would read offset -1 as "the file position") (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(negative_offset_gets_einval_at_once)
{
	unsigned char buf[64];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.1", "aio_read",
			"POSIX aio_read() EINVAL: invalid offset");
	CONFORM_REQUIRE_URING();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), -1);
	EXPECT_EQ(-EINVAL, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EINVAL, ref_paio_write(&ctx, &cb));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(fd);
}

/* POSIX aio_read ERRORS: EINVAL for an invalid aio_nbytes; ref: more than
 * an SQE's 32-bit len can carry (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(nbytes_above_uint_max_gets_einval)
{
	unsigned char buf[64];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.1", "aio_read",
			"POSIX aio_read() EINVAL: invalid aio_nbytes");
	if (sizeof(size_t) < 8) {
		close(fd);
		SKIP(return, CONFORM_ENV "a 32-bit program: size_t nbytes cannot be above UINT_MAX");
	}
	CONFORM_REQUIRE_URING();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, (size_t)UINT_MAX + 1, 0);
	EXPECT_EQ(-EINVAL, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(fd);
}

/* ref/paio.h: max must be 1 .. 4096 (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(init_with_bad_max_gets_einval)
{
	struct ref_paio ctx;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"ref/paio.h: max must be 1 .. 4096");
	CONFORM_REQUIRE_URING();
	EXPECT_EQ(-EINVAL, ref_paio_init(&ctx, 0));
	ref_paio_free(&ctx);
	EXPECT_EQ(-EINVAL, ref_paio_init(&ctx, 4097));
	ref_paio_free(&ctx);
}

TEST_HARNESS_MAIN
