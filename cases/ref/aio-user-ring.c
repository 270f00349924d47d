// SPDX-License-Identifier: MIT
/*
 * ref/aio-user-ring: the reaper of ref/aio.c on fake completion rings in
 * ordinary memory, filled the way the kernel fills a real one: the header
 * checks (magic, incompat_features, header_length, head and tail in range)
 * that send it to io_getevents instead, and the arithmetic modulo nr (not a
 * power of two) across wraps. The fallback itself is checked on a real
 * context whose ring pointer is swapped for a fake one.
 * Sources: fs/aio.c struct aio_ring and aio_read_events_ring() (the user
 * ABI that libaio reads), DESIGN.md section 6, ref/aio.h.
 * The ring layout (magic 0xa10a10a1, header_length 32, no incompat
 * features) is 2.6's; every TEST here is declared since 2.6.
 */
#include "conform_ref.h"
#include "conform_ref_aio.h"

/* fs/aio.c: a ring with magic 0xa10a10a1, incompat_features 0 and
 * header_length 32 is the layout user space may read (since 2.6.x); ref
 * reaps the posted events from it, oldest first. */
TEST(valid_ring_is_reaped_in_order)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[7];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring: AIO_RING_MAGIC 0xa10a10a1, "
			"header_length 32");
	ASSERT_TRUE(ref_aio_ring_usable(r));
	for (int i = 0; i < 3; i++)
		ref_aio_case_post(r, 100 + i, i * 10);
	ASSERT_EQ(3, ref_aio_ring_reap(r, ev, 7));
	for (int i = 0; i < 3; i++)
		EXPECT_TRUE(ref_aio_case_is_posted(&ev[i], 100 + i, i * 10));
	EXPECT_EQ(3u, r->head);
	EXPECT_EQ(r->tail, r->head);
	free(r);
}

/* DESIGN.md section 6: a ring whose magic is not 0xa10a10a1 is not used:
 * -EOPNOTSUPP, nothing copied, head untouched (fs/aio.c AIO_RING_MAGIC). */
TEST(bad_magic_is_refused)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[2] = { 0 };

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c AIO_RING_MAGIC");
	ref_aio_case_post(r, 1, 0);
	r->magic = 0xa10a10a2U;
	EXPECT_FALSE(ref_aio_ring_usable(r));
	EXPECT_EQ(-EOPNOTSUPP, ref_aio_ring_reap(r, ev, 2));
	EXPECT_EQ(0u, r->head);
	EXPECT_EQ(0u, ev[0].data);
	free(r);
}

/* DESIGN.md section 6: any incompat_features bit means a layout this
 * reaper does not know: refused, head untouched (fs/aio.c
 * AIO_RING_INCOMPAT_FEATURES is 0). Each of the 32 bits alone. */
TEST(incompat_feature_bits_are_refused)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[2];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c AIO_RING_INCOMPAT_FEATURES (0)");
	ref_aio_case_post(r, 1, 0);
	for (int bit = 0; bit < 32; bit++) {
		r->incompat_features = 1U << bit;
		EXPECT_FALSE(ref_aio_ring_usable(r));
		EXPECT_EQ(-EOPNOTSUPP, ref_aio_ring_reap(r, ev, 2));
	}
	EXPECT_EQ(0u, r->head);
	/* compat_features may be anything: still usable. */
	r->incompat_features = 0;
	r->compat_features = 0xffffffffU;
	EXPECT_TRUE(ref_aio_ring_usable(r));
	EXPECT_EQ(1, ref_aio_ring_reap(r, ev, 2));
	free(r);
}

/* DESIGN.md section 6: header_length must be 32 (sizeof struct aio_ring):
 * events would start elsewhere otherwise. 0, 16, 31, 33 and 64 refused. */
TEST(header_length_other_than_32_is_refused)
{
	static const unsigned int lengths[] = { 0, 16, 31, 33, 64 };
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[2];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring header_length");
	ASSERT_EQ(32u, sizeof(struct ref_aio_ring));
	ref_aio_case_post(r, 1, 0);
	for (unsigned int i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		r->header_length = lengths[i];
		EXPECT_FALSE(ref_aio_ring_usable(r));
		EXPECT_EQ(-EOPNOTSUPP, ref_aio_ring_reap(r, ev, 2));
	}
	EXPECT_EQ(0u, r->head);
	free(r);
}

/* fs/aio.c: head and tail are indices below nr (the kernel clamps a head
 * that user space scribbled on); ref reads no slot beyond the ring and
 * leaves such a ring to io_getevents. */
TEST(head_or_tail_out_of_range_is_refused)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[8];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring and aio_read_events_ring(): "
			"head and tail below nr");
	r->head = 7;
	EXPECT_EQ(-EOPNOTSUPP, ref_aio_ring_reap(r, ev, 8));
	EXPECT_EQ(7u, r->head);
	r->head = 0;
	r->tail = 9;
	EXPECT_EQ(-EOPNOTSUPP, ref_aio_ring_reap(r, ev, 8));
	EXPECT_EQ(0u, r->head);
	free(r);
}

/* fs/aio.c: head == tail is an empty ring: nothing reaped, head stays. */
TEST(empty_ring_reaps_nothing)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[7];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring and aio_read_events_ring(): "
			"head == tail is empty");
	r->head = r->tail = 4;
	EXPECT_EQ(0, ref_aio_ring_reap(r, ev, 7));
	EXPECT_EQ(4u, r->head);
	free(r);
}

/*
 * DESIGN.md section 6: head and tail wrap modulo nr, not a power of two.
 * nr 7, head 5, tail 3: the ready events are slots 5, 6, 0, 1, 2 (five);
 * reaped in that order, head ends at 3.
 */
TEST(ready_events_wrap_modulo_nr)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[7];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring and aio_read_events_ring(): "
			"indices wrap modulo nr");
	r->head = r->tail = 5;
	for (int i = 0; i < 5; i++)
		ref_aio_case_post(r, 50 + i, i);
	ASSERT_EQ(3u, r->tail);
	ASSERT_EQ(5, ref_aio_ring_reap(r, ev, 7));
	for (int i = 0; i < 5; i++)
		EXPECT_TRUE(ref_aio_case_is_posted(&ev[i], 50 + i, i));
	EXPECT_EQ(3u, r->head);
	free(r);
}

/* fs/aio.c: one slot always stays empty (head == tail means empty), so a
 * full ring holds nr - 1 events: head 3, tail 2 of nr 7 is six events. */
TEST(full_ring_holds_nr_minus_one)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(7);
	struct io_event ev[7];

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring and aio_read_events_ring(): "
			"one slot stays empty");
	r->head = r->tail = 3;
	for (int i = 0; i < 6; i++)
		ref_aio_case_post(r, i, 0);
	ASSERT_EQ(2u, r->tail);
	ASSERT_EQ(6, ref_aio_ring_reap(r, ev, 7));
	for (int i = 0; i < 6; i++)
		EXPECT_EQ((uint64_t)i, ev[i].data);
	EXPECT_EQ(2u, r->head);
	free(r);
}

/* ref/aio.h: at most nr events are taken; the rest stay for the next
 * reap, head moved past the taken ones only (across the wrap: nr 5). */
TEST(reap_takes_at_most_nr)
{
	struct ref_aio_ring *r = ref_aio_case_fake_ring(5);
	struct io_event ev[4];

	CONFORM_DECLARE("2.6", "io_setup",
			"ref/aio.h ref_aio_reap on fs/aio.c struct aio_ring "
			"and aio_read_events_ring()");
	r->head = r->tail = 3;
	for (int i = 0; i < 4; i++)
		ref_aio_case_post(r, i, 0);
	ASSERT_EQ(2, ref_aio_ring_reap(r, ev, 2));
	EXPECT_EQ(0u, ev[0].data);
	EXPECT_EQ(1u, ev[1].data);
	EXPECT_EQ(0u, r->head);		/* 3 -> 4 -> 0 */
	ASSERT_EQ(2, ref_aio_ring_reap(r, ev, 4));
	EXPECT_EQ(2u, ev[0].data);
	EXPECT_EQ(3u, ev[1].data);
	EXPECT_EQ(2u, r->head);
	EXPECT_EQ(0, ref_aio_ring_reap(r, ev, 0));
	free(r);
}

/*
 * DESIGN.md section 6, modulo-nr arithmetic over many wraps: 5000 events
 * through rings of 2, 3, 7, 127 and 255 slots (nr - 1 and the kernel's
 * sizes for 4 KiB pages), posted in bursts of 1..nr-1 and reaped in
 * batches of 1..5: every event once, in order, none invented.
 */
TEST(many_events_through_small_rings_stay_in_order)
{
	static const unsigned int sizes[] = { 2, 3, 7, 127, 255 };

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring and aio_read_events_ring(): "
			"modulo-nr arithmetic");
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		unsigned int nr = sizes[s];
		struct ref_aio_ring *r = ref_aio_case_fake_ring(nr);
		uint64_t posted = 0, reaped = 0;
		unsigned int burst = 0, batch = 0;
		bool in_order = true;

		while (reaped < 5000) {
			struct io_event ev[5];
			unsigned int room = nr - 1 -
				ref_aio_ring_ready(r->head, r->tail, nr);
			int n;

			burst = burst % (nr - 1) + 1;
			for (unsigned int i = 0; i < burst && i < room && posted < 5000; i++) {
				ref_aio_case_post(r, posted, (int64_t)(posted % 97));
				posted++;
			}
			batch = batch % 5 + 1;
			n = ref_aio_ring_reap(r, ev, batch);
			ASSERT_LE(0, n);
			ASSERT_GE(batch, (unsigned int)n);
			for (int i = 0; i < n; i++, reaped++)
				in_order &= ref_aio_case_is_posted(&ev[i], reaped,
								   (int64_t)(reaped % 97));
			ASSERT_GT(nr, r->head);
		}
		EXPECT_TRUE(in_order) TH_LOG("nr %u: an event out of order or wrong", nr);
		EXPECT_EQ(5000u, posted);
		EXPECT_EQ(r->tail, r->head);
		free(r);
	}
}

/*
 * DESIGN.md section 6: when the header does not pass, ref_aio_reap falls
 * back to io_getevents with a zero timeout. A real context with one
 * completed read, its ring pointer swapped for a fake ring with a bad
 * magic holding a decoy event: the kernel's event comes back, the decoy
 * stays (io_getevents since 2.6).
 */
TEST(unusable_header_falls_back_to_getevents)
{
	static char buf[512];
	struct ref_aio_ring *fake = ref_aio_case_fake_ring(7);
	struct iocb cb, *list[1] = { &cb };
	struct ref_aio ctx;
	struct ref_aio_ring *real;
	struct io_event ev[2];
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2); ref/aio.h fallback");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_pread(&cb, fd, buf, sizeof(buf), 512, 77);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	ref_aio_case_post(fake, 1234, 0);
	fake->magic = 0;
	real = ctx.ring;
	ctx.ring = fake;
	ASSERT_EQ(1, ref_aio_reap(&ctx, ev, 2));
	EXPECT_EQ(77u, ev[0].data);
	EXPECT_EQ((uint64_t)(uintptr_t)&cb, ev[0].obj);
	EXPECT_EQ(512, ev[0].res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 512));
	EXPECT_EQ(0u, fake->head);
	/* The kernel moved the real ring's head itself. */
	EXPECT_EQ(real->tail, real->head);
	EXPECT_EQ(0, ref_aio_reap(&ctx, ev, 2));
	ctx.ring = real;
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
	free(fake);
}

TEST_HARNESS_MAIN
