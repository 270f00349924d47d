// SPDX-License-Identifier: MIT
/*
 * ref/event-ids: the event ids of the reference driver (ref/event.c) on a
 * real ring. An id is slot index + generation carried in user_data: it is
 * never 0, it stops naming anything once its event has had its final
 * completion, a slot used again gets a new generation so that an old id does
 * not reach the new event, and a driver with every slot in use refuses a new
 * event with -EBUSY without touching the SQ.
 * Sources: ref/event.h, DESIGN.md section 7 ("an event is identified by slot
 * index + generation in user_data; retire the id only after the final
 * completion"), io_uring_enter(2) (user_data is copied verbatim into the CQE).
 */
#include "conform_ref.h"

/*
 * ref/event.h: "0 is never a valid id"; the generation starts at 1 and skips
 * 0 when it wraps. 64 NOP events through a 4-slot driver (every slot used
 * 16 times) all get non-zero, pairwise distinct ids (NOP since 5.1).
 */
TEST(ids_are_never_zero_and_never_repeat)
{
	enum { ROUNDS = 16, SLOTS = 4 };
	struct ref_case_nop_event ev[ROUNDS * SLOTS];
	ref_event_id ids[ROUNDS * SLOTS];
	struct ref_driver drv;
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"ref/event.h: 0 is never a valid id; "
			"io_uring_enter(2) user_data");
	CONFORM_REQUIRE_URING();
	memset(ev, 0, sizeof(ev));
	ASSERT_EQ(0, ref_ring_init(&ring, 8, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, SLOTS));
	for (int r = 0; r < ROUNDS; r++) {
		for (int s = 0; s < SLOTS; s++) {
			int i = r * SLOTS + s;

			ASSERT_EQ(0, ref_driver_start(&drv, &ev[i], &ref_case_nop_ops,
						      &ids[i]));
			EXPECT_NE(0u, ids[i]);
		}
		ASSERT_EQ(0, ref_case_drain(&drv));
	}
	for (int i = 0; i < ROUNDS * SLOTS; i++) {
		EXPECT_EQ(1u, ev[i].calls);
		EXPECT_EQ(0, ev[i].res);
		for (int j = 0; j < i; j++)
			EXPECT_NE(ids[j], ids[i]);
	}
	EXPECT_EQ((uint64_t)ROUNDS * SLOTS, drv.stats.completions);
	EXPECT_EQ(0u, drv.stats.stray);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/*
 * ref/event.h: after its final completion an event is retired: its id reports
 * REF_EVENT_INERT and ref_driver_cancel() on it gives -ENOENT, touching
 * nothing (the completed event is not called again) (NOP since 5.1).
 */
TEST(retired_id_is_inert_and_cancel_gets_enoent)
{
	struct ref_case_nop_event ev = { 0 };
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"ref/event.h; DESIGN.md section 7: retire the id "
			"after the final completion");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ref_case_nop_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_EQ(1u, ev.calls);
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&drv, id));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&drv, id, true));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&drv, id, false));
	EXPECT_EQ(0u, ref_ring_sq_pending(&ring));	/* no ASYNC_CANCEL queued */
	EXPECT_EQ(0u, drv.in_flight);
	EXPECT_EQ(1u, ev.calls);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/*
 * ref/event.h: a slot used again gets a new generation. With one slot, event
 * B takes the slot event A had: same index (low 32 bits), different id; A's
 * id stays inert, and cancelling it gives -ENOENT and leaves B alone (NOP
 * since 5.1).
 */
TEST(reused_slot_gets_new_generation)
{
	struct ref_case_nop_event a = { 0 }, b = { 0 };
	ref_event_id ida, idb;
	struct ref_driver drv;
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"ref/event.h: a reused slot gets a new generation");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 1));
	ASSERT_EQ(0, ref_driver_start(&drv, &a, &ref_case_nop_ops, &ida));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_EQ(0, ref_driver_start(&drv, &b, &ref_case_nop_ops, &idb));
	EXPECT_EQ((uint32_t)ida, (uint32_t)idb);
	EXPECT_NE(ida, idb);
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&drv, ida));
	EXPECT_EQ(REF_EVENT_PREPARED, ref_driver_state(&drv, idb));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&drv, ida, true));
	EXPECT_EQ(REF_EVENT_PREPARED, ref_driver_state(&drv, idb));
	ASSERT_EQ(0, ref_case_drain(&drv));
	EXPECT_EQ(1u, a.calls);
	EXPECT_EQ(1u, b.calls);
	EXPECT_EQ(0u, drv.stats.ignored);
	EXPECT_EQ(0u, drv.stats.stray);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/*
 * ref/event.h: ref_driver_start() gives -EBUSY when every slot is in use,
 * without taking an SQE or writing *id; a slot freed by a cancel makes
 * start work again. Two reads on an empty pipe (IORING_OP_READ, 5.6) hold
 * both slots of a 2-slot driver.
 */
TEST(start_with_all_slots_in_use_gets_ebusy)
{
	struct ref_io_event r[3];
	ref_event_id id[3];
	struct ref_case_rig rig;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"ref/event.h ref_driver_start(): -EBUSY");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 8, 2);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, ref_read_event_init(&r[i], rig.p[0], 16, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r[0], &ref_read_ops, &id[0]));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r[1], &ref_read_ops, &id[1]));
	id[2] = 12345;
	EXPECT_EQ(-EBUSY, ref_driver_start(&rig.drv, &r[2], &ref_read_ops, &id[2]));
	EXPECT_EQ(12345u, id[2]);
	EXPECT_EQ(2u, ref_ring_sq_pending(&rig.ring));
	EXPECT_EQ(2u, rig.drv.in_flight);
	/* Cancelled before submission: the slot is free at once. */
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id[1], false));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r[2], &ref_read_ops, &id[2]));
	EXPECT_NE(id[1], id[2]);
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id[0], true));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id[2], true));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_FALSE(r[0].done);
	EXPECT_FALSE(r[2].done);
	for (int i = 0; i < 3; i++)
		ref_io_event_free(&r[i]);
	ref_case_rig_free(&rig);
}

/*
 * ref/event.h: an id that was never handed out (0, or a slot index beyond
 * the driver's slots) names no event: REF_EVENT_INERT, cancel -ENOENT
 * (io_uring_setup since 5.1).
 */
TEST(ids_never_handed_out_are_inert)
{
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id beyond = (1ULL << 32) | 7;	/* generation 1, slot 7 of 2 */

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"ref/event.h: ids never handed out name no event");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&drv, 0));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&drv, beyond));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&drv, 1ULL << 32));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&drv, 0, true));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&drv, beyond, true));
	EXPECT_EQ(-ENOENT, ref_driver_cancel(&drv, 1ULL << 32, false));
	EXPECT_EQ(0u, ref_ring_sq_pending(&ring));
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
