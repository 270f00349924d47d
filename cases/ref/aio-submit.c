// SPDX-License-Identifier: MIT
/*
 * ref/aio-submit: ref_aio_submit and io_submit's partial-submission rule:
 * iocbs are taken in order up to the first one refused; the count is
 * returned and that iocb's error is lost, unless it was the first; what
 * was not taken is not submitted at all (no event ever comes for it), and
 * submitting the rest again reports the refused iocb's own error.
 * Requests are buffered reads of a regular file (they complete inside
 * io_submit) and iocbs refused for a bad fd or opcode.
 * Sources: io_submit(2) (RETURN VALUE: "the number of iocbs submitted ...
 * may be less than nr", ERRORS), fs/aio.c SYSCALL io_submit ("i ? i :
 * ret"), ref/aio.h.
 */
#include "conform_ref.h"
#include "conform_ref_aio.h"

/* Four iocbs: reads of 256 bytes at 256 * i with data i, except bad (if
 * >= 0), which names an fd that is not open. */
static void prep_four(struct iocb cb[4], struct iocb *list[4], int fd,
		      char buf[4][256], int bad)
{
	for (int i = 0; i < 4; i++) {
		ref_aio_prep_pread(&cb[i], i == bad ? conform_bad_fd() : fd,
				   buf[i], 256, 256 * i, (uint64_t)i);
		list[i] = &cb[i];
	}
}

/* A 4096-byte temp file, an 8-event context on ctx and prep_four on the
 * file; returns the file's fd. */
static int four_reads_on_new_context(struct __test_metadata *_metadata,
				     struct ref_aio *ctx, struct iocb cb[4],
				     struct iocb *list[4], char buf[4][256],
				     int bad)
{
	int fd = conform_temp_file(4096, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_aio_init(ctx, 8));
	prep_four(cb, list, fd, buf, bad);
	return fd;
}

/* io_submit(2): "returns the number of iocbs submitted": all four valid
 * reads are taken, and each gives one event (since 2.6). */
TEST(all_valid_iocbs_are_taken)
{
	static char buf[4][256];
	struct iocb cb[4], *list[4];
	struct io_event ev[5];
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) RETURN VALUE");
	CONFORM_REQUIRE_AIO();
	fd = four_reads_on_new_context(_metadata, &ctx, cb, list, buf, -1);
	ASSERT_EQ(4, ref_aio_submit(&ctx, list, 4));
	ASSERT_EQ(4, ref_aio_wait(&ctx, ev, 4, 5, &ref_aio_case_bound));
	ref_aio_case_sort(ev, 4);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ((uint64_t)i, ev[i].data);
		EXPECT_EQ(256, ev[i].res);
		EXPECT_TRUE(conform_check_pattern(buf[i], 256, 256 * i));
	}
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/*
 * io_submit(2): the count "may be less than nr"; fs/aio.c stops at the
 * first iocb refused and returns how many were taken before it. The third
 * of four has a bad fd: 2 taken, exactly two events, none for the third
 * and fourth (since 2.6).
 */
TEST(submission_stops_at_the_first_refused_iocb)
{
	static char buf[4][256];
	struct iocb cb[4], *list[4];
	struct io_event ev[4];
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) RETURN VALUE: may be less than nr; "
			"fs/aio.c io_submit");
	CONFORM_REQUIRE_AIO();
	fd = four_reads_on_new_context(_metadata, &ctx, cb, list, buf, 2);
	ASSERT_EQ(2, ref_aio_submit(&ctx, list, 4));
	ASSERT_EQ(2, ref_aio_wait(&ctx, ev, 2, 4, &ref_aio_case_bound));
	ref_aio_case_sort(ev, 2);
	EXPECT_EQ(0u, ev[0].data);
	EXPECT_EQ(1u, ev[1].data);
	/* Nothing else was submitted: no third event, even after a wait. */
	EXPECT_EQ(0, ref_aio_wait(&ctx, ev, 1, 4,
				  &(struct timespec){ .tv_nsec = 20000000 }));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/*
 * ref/aio.h (io_submit's rule): after a short count n, submitting
 * list + n again returns the refused iocb's own error, -EBADF
 * (io_submit(2) EBADF); then list + n + 1 is taken normally (since 2.6).
 */
TEST(resubmitting_the_rest_reports_the_refused_iocbs_error)
{
	static char buf[4][256];
	struct iocb cb[4], *list[4];
	struct io_event ev[4];
	struct ref_aio ctx;
	int fd, n;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EBADF");
	CONFORM_REQUIRE_AIO();
	fd = four_reads_on_new_context(_metadata, &ctx, cb, list, buf, 2);
	n = ref_aio_submit(&ctx, list, 4);
	ASSERT_EQ(2, n);
	EXPECT_EQ(-EBADF, ref_aio_submit(&ctx, list + n, 4 - n));
	EXPECT_EQ(1, ref_aio_submit(&ctx, list + n + 1, 4 - n - 1));
	ASSERT_EQ(3, ref_aio_wait(&ctx, ev, 3, 4, &ref_aio_case_bound));
	ref_aio_case_sort(ev, 3);
	EXPECT_EQ(0u, ev[0].data);
	EXPECT_EQ(1u, ev[1].data);
	EXPECT_EQ(3u, ev[2].data);
	EXPECT_TRUE(conform_check_pattern(buf[3], 256, 768));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* io_submit(2) RETURN VALUE / ERRORS: when the first iocb is refused the
 * call fails with its error (-EBADF) and takes nothing, not even the
 * valid iocbs after it: no event comes (since 2.6). */
TEST(first_iocb_refused_takes_nothing)
{
	static char buf[4][256];
	struct iocb cb[4], *list[4];
	struct io_event ev[4];
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) RETURN VALUE and EBADF; fs/aio.c "
			"io_submit: i ? i : ret");
	CONFORM_REQUIRE_AIO();
	fd = four_reads_on_new_context(_metadata, &ctx, cb, list, buf, 0);
	EXPECT_EQ(-EBADF, ref_aio_submit(&ctx, list, 4));
	EXPECT_EQ(0, ref_aio_wait(&ctx, ev, 1, 4,
				  &(struct timespec){ .tv_nsec = 20000000 }));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* io_submit(2) EINVAL "The iocb ... is invalid" (an unknown
 * aio_lio_opcode, 99), in the middle: the count before it; first: -EINVAL
 * (since 2.6). */
TEST(unknown_opcode_is_refused_with_einval)
{
	static char buf[4][256];
	struct iocb cb[4], *list[4];
	struct io_event ev[4];
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: the iocb is invalid");
	CONFORM_REQUIRE_AIO();
	fd = four_reads_on_new_context(_metadata, &ctx, cb, list, buf, -1);
	cb[1].aio_lio_opcode = 99;
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 4));
	EXPECT_EQ(-EINVAL, ref_aio_submit(&ctx, list + 1, 3));
	ASSERT_EQ(1, ref_aio_wait(&ctx, ev, 1, 4, &ref_aio_case_bound));
	EXPECT_EQ(0u, ev[0].data);
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* io_submit(2): nr 0 submits nothing and returns 0 (since 2.6). */
TEST(submitting_zero_returns_zero)
{
	struct iocb *list[1] = { NULL };
	struct ref_aio ctx;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) RETURN VALUE");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	EXPECT_EQ(0, ref_aio_submit(&ctx, list, 0));
	EXPECT_EQ(0, ref_aio_free(&ctx));
}

/* io_submit(2) EINVAL "The AIO context specified by ctx_id is invalid": a
 * context already freed (since 2.6). */
TEST(submit_on_freed_context_gets_einval)
{
	static char buf[4][256];
	struct iocb cb[4], *list[4];
	struct ref_aio ctx, stale;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	stale = ctx;
	ASSERT_EQ(0, ref_aio_free(&ctx));
	prep_four(cb, list, fd, buf, -1);
	EXPECT_EQ(-EINVAL, ref_aio_submit(&stale, list, 4));
	EXPECT_EQ(-EINVAL, ref_aio_submit(&ctx, list, 4));
	close(fd);
}

/*
 * io_submit(2) EAGAIN "Insufficient resources are available to queue any
 * iocbs"; ref/aio.h: -EAGAIN for the rest means "reap, then retry". The
 * ring holds at most nr - 1 events (fs/aio.c), so submitting nr one-byte
 * reads without reaping ends, after one or more short counts, with
 * -EAGAIN, having taken between 1 and nr - 1 of them. Once every event is
 * reaped from the user ring (the kernel reads the head back), the rest is
 * taken again (since 2.6).
 */
TEST(out_of_slots_gives_eagain_until_reaped)
{
	struct iocb *cb, **list;
	struct io_event *ev;
	struct ref_aio ctx;
	unsigned int nr, taken = 0;
	char *bytes;
	int fd, ret, reaped = 0;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EAGAIN");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 1));
	nr = ctx.nr_events;
	fd = conform_temp_file(nr, 0);
	ASSERT_LE(0, fd);
	cb = calloc(nr, sizeof(*cb));
	list = calloc(nr, sizeof(*list));
	ev = calloc(nr, sizeof(*ev));
	bytes = calloc(nr, 1);
	ASSERT_TRUE(cb && list && ev && bytes);
	for (unsigned int i = 0; i < nr; i++) {
		ref_aio_prep_pread(&cb[i], fd, &bytes[i], 1, i, i);
		list[i] = &cb[i];
	}
	while ((ret = ref_aio_submit(&ctx, list + taken, nr - taken)) > 0)
		taken += (unsigned int)ret;
	EXPECT_EQ(-EAGAIN, ret);
	EXPECT_LE(1u, taken);
	EXPECT_GE(nr - 1, taken);
	while (reaped < (int)taken) {
		ret = ref_aio_reap(&ctx, ev, nr);
		ASSERT_LT(0, ret);
		reaped += ret;
	}
	EXPECT_EQ((int)taken, reaped);
	ret = ref_aio_submit(&ctx, list + taken, nr - taken);
	EXPECT_LE(1, ret);
	EXPECT_TRUE(conform_check_pattern(bytes, taken, 0));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	free(cb);
	free(list);
	free(ev);
	free(bytes);
	close(fd);
}

/* fs/aio.c io_submit_one(): a non-zero aio_reserved2 is refused with
 * -EINVAL, which is why ref's helpers zero the whole iocb; a helper run on
 * an iocb full of junk gives one that is taken (since 2.6). */
TEST(stale_reserved_field_gets_einval_and_prep_clears_it)
{
	char buf[16];
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	struct ref_aio ctx;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"fs/aio.c io_submit_one(): non-zero aio_reserved2 is "
			"-EINVAL");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_pread(&cb, fd, buf, sizeof(buf), 0, 1);
	cb.aio_reserved2 = 1;
	EXPECT_EQ(-EINVAL, ref_aio_submit(&ctx, list, 1));
	memset(&cb, 0xff, sizeof(cb));
	ref_aio_prep_pread(&cb, fd, buf, sizeof(buf), 0, 2);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	ASSERT_EQ(1, ref_aio_wait(&ctx, &ev, 1, 1, &ref_aio_case_bound));
	EXPECT_EQ(2u, ev.data);
	EXPECT_EQ((int64_t)sizeof(buf), ev.res);
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* fs/aio.c aio_poll() (4.19): the poll mask travels in aio_buf and must
 * fit 16 bits (1 << 16 is -EINVAL), and offset, nbytes and aio_rw_flags
 * must be 0 (a non-zero offset is -EINVAL). */
TEST(poll_mask_beyond_16_bits_or_offset_gets_einval)
{
	struct iocb cb, *list[1] = { &cb };
	struct ref_aio ctx;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c aio_poll(): mask must fit 16 bits, offset "
			"and nbytes must be 0");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_poll(&cb, p[0], 1U << 16, 1);
	EXPECT_EQ(-EINVAL, ref_aio_submit(&ctx, list, 1));
	ref_aio_prep_poll(&cb, p[0], POLLIN, 1);
	cb.aio_offset = 8;
	EXPECT_EQ(-EINVAL, ref_aio_submit(&ctx, list, 1));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
