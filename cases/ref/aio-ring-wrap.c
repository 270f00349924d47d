// SPDX-License-Identifier: MIT
/*
 * ref/aio-ring-wrap: the reaper of ref/aio.c on the real completion ring
 * that io_setup maps at the context address: its size (what the header
 * says, not a power of two), reaping several times round it without a
 * system call, and the kernel honouring the head that user space stores
 * (it reads it back to free slots for io_submit, and io_getevents goes on
 * from it). Events come from buffered reads of a regular file, which
 * complete inside io_submit.
 * Sources: io_setup(2), fs/aio.c aio_setup_ring() (nr = (pages * PAGE_SIZE
 * - 32) / 32), refill_reqs_available() (reads ring->head),
 * aio_read_events_ring(); DESIGN.md section 6.
 */
#include "conform_ref.h"
#include "conform_ref_aio.h"

/* A batch the kernel always takes: well under half the ring (the kernel
 * may hold up to half of its free slots in per-CPU caches), at most 32. */
static unsigned int batch_for(const struct ref_aio *ctx)
{
	unsigned int b = ctx->nr_events / 4;

	return b > 32 ? 32 : b ? b : 1;
}

/* Submit n one-byte reads of fd at offsets first.., data = offset. */
static int submit_reads(struct ref_aio *ctx, int fd, unsigned char *bytes,
			uint64_t first, unsigned int n)
{
	struct iocb cb[32], *list[32];

	for (unsigned int i = 0; i < n; i++) {
		uint64_t off = first + i;

		ref_aio_prep_pread(&cb[i], fd, &bytes[off], 1, (int64_t)off, off);
		list[i] = &cb[i];
	}
	return ref_aio_submit(ctx, list, n);
}

/*
 * io_setup(2): the ring holds "at least nr_events"; fs/aio.c sizes it in
 * whole pages, nr = (pages * PAGE_SIZE - 32) / 32, which is odd and so
 * never a power of two. ref records the header's nr (since 2.6.x).
 */
TEST(recorded_size_is_the_headers_and_not_a_power_of_two)
{
	struct ref_aio ctx;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2); fs/aio.c aio_setup_ring(): nr = (pages "
			"* PAGE_SIZE - 32) / 32");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 5));
	ASSERT_TRUE(ref_aio_ring_usable(ctx.ring));
	EXPECT_EQ(ctx.ring->nr, ctx.nr_events);
	EXPECT_LE(5u, ctx.nr_events);
	EXPECT_EQ(1u, ctx.nr_events & 1) TH_LOG("nr %u", ctx.nr_events);
	EXPECT_EQ(((unsigned long)ctx.nr_events + 1) * 32 % (unsigned long)getpagesize(), 0ul)
		TH_LOG("nr %u is not (pages * page size - 32) / 32", ctx.nr_events);
	EXPECT_EQ(0, ref_aio_free(&ctx));
}

/*
 * DESIGN.md section 6, fs/aio.c: the ring wraps modulo nr. Three times
 * round the ring in batches, reaped only from user space (ref_aio_reap,
 * no io_getevents): every read's event exactly once with res 1, the head
 * always meeting the tail, and io_submit never short of slots, because the
 * kernel reads the head user space stored (refill_reqs_available).
 */
TEST(user_reaping_wraps_the_real_ring_three_times)
{
	struct ref_aio ctx;
	unsigned char *bytes, *seen;
	unsigned int batch, total, wraps = 0, last_head = 0;
	struct io_event ev[32];
	uint64_t done = 0;
	bool each_once = true, res_ok = true;
	int fd;

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c: io_submit frees slots from the head user "
			"space stores (refill_reqs_available())");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 1));
	ASSERT_TRUE(ref_aio_ring_usable(ctx.ring));
	batch = batch_for(&ctx);
	total = 3 * ctx.nr_events + batch;
	fd = conform_temp_file(total, 0);
	ASSERT_LE(0, fd);
	bytes = calloc(total, 1);
	seen = calloc(total, 1);
	ASSERT_TRUE(bytes && seen);
	while (done < total) {
		unsigned int n = total - done < batch ? total - done : batch;
		int got = 0;

		ASSERT_EQ((int)n, submit_reads(&ctx, fd, bytes, done, n));
		/* Buffered reads complete inside io_submit: all n are there. */
		while (got < (int)n) {
			int r = ref_aio_reap(&ctx, ev, 32);

			ASSERT_LT(0, r);
			for (int i = 0; i < r; i++) {
				ASSERT_GT(total, ev[i].data);
				each_once &= !seen[ev[i].data]++;
				res_ok &= ev[i].res == 1 && ev[i].res2 == 0;
			}
			got += r;
		}
		ASSERT_EQ((int)n, got);
		EXPECT_EQ(ctx.ring->tail, ctx.ring->head);
		ASSERT_GT(ctx.nr_events, ctx.ring->head);
		wraps += ctx.ring->head < last_head;
		last_head = ctx.ring->head;
		done += n;
	}
	EXPECT_TRUE(each_once);
	EXPECT_TRUE(res_ok);
	EXPECT_EQ(3u, wraps);
	EXPECT_TRUE(conform_check_pattern(bytes, total, 0));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	free(bytes);
	free(seen);
	close(fd);
}

/*
 * fs/aio.c aio_read_events_ring(): io_getevents reads from the head the
 * ring holds, so it goes on where user-space reaping stopped: of 6 events
 * ref_aio_ring_reap takes 2, io_getevents the other 4, none twice (since
 * 2.6.x).
 */
TEST(getevents_continues_after_user_reaping)
{
	struct timespec zero = { 0 };
	unsigned char bytes[6];
	struct io_event ev[8];
	struct ref_aio ctx;
	unsigned int seen = 0;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"fs/aio.c aio_read_events_ring(): io_getevents reads "
			"from ring->head");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(sizeof(bytes), 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_aio_init(&ctx, 8));
	ASSERT_EQ(6, submit_reads(&ctx, fd, bytes, 0, 6));
	ASSERT_EQ(2, ref_aio_ring_reap(ctx.ring, ev, 2));
	ASSERT_EQ(4, aio_sys_getevents(ctx.id, 0, 8, &ev[2], &zero));
	for (int i = 0; i < 6; i++) {
		ASSERT_GT(6u, ev[i].data);
		EXPECT_EQ(0u, seen & (1u << ev[i].data));
		seen |= 1u << ev[i].data;
	}
	EXPECT_EQ(0x3fu, seen);
	EXPECT_EQ(0, ref_aio_ring_reap(ctx.ring, ev, 8));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/*
 * fs/aio.c: the kernel wraps its tail modulo nr too: after events
 * reaped up to one slot short of the end, the next batch's events sit
 * across the end of the ring and ref_aio_ring_reap reads them in
 * submission order (synchronous reads complete in io_submit, one by one)
 * (since 2.6).
 */
TEST(events_across_the_end_of_the_ring_come_in_order)
{
	struct ref_aio ctx;
	unsigned char *bytes;
	struct io_event ev[4];
	unsigned int nr, filler;
	int fd;

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c aio_complete(): the tail wraps modulo nr");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 1));
	nr = ctx.nr_events;
	fd = conform_temp_file(nr + 4, 0);
	ASSERT_LE(0, fd);
	bytes = calloc(nr + 4, 1);
	ASSERT_NE(NULL, bytes);
	/* Move head and tail to nr - 1, a batch at a time. */
	for (filler = 0; filler < nr - 1;) {
		struct io_event sink[32];
		unsigned int n = nr - 1 - filler;

		if (n > batch_for(&ctx))
			n = batch_for(&ctx);
		ASSERT_EQ((int)n, submit_reads(&ctx, fd, bytes, filler, n));
		ASSERT_EQ((int)n, ref_aio_ring_reap(ctx.ring, sink, 32));
		filler += n;
	}
	ASSERT_EQ(nr - 1, ctx.ring->head);
	ASSERT_EQ(3, submit_reads(&ctx, fd, bytes, filler, 3));
	EXPECT_EQ(2u, ctx.ring->tail);	/* nr - 1 -> 0 -> 1 -> 2 */
	ASSERT_EQ(3, ref_aio_ring_reap(ctx.ring, ev, 4));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(filler + i, ev[i].data);
		EXPECT_EQ(1, ev[i].res);
	}
	EXPECT_EQ(2u, ctx.ring->head);
	EXPECT_TRUE(conform_check_pattern(bytes, nr + 2, 0));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	free(bytes);
	close(fd);
}

TEST_HARNESS_MAIN
