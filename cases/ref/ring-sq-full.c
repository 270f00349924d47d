// SPDX-License-Identifier: MIT
/*
 * ref/ring-sq-full: the reference ring's submission queue at its limits.
 * ring.h: every ref_prep_* returns false, touching nothing, when the SQ is
 * full; submitting frees the slots again. Checked: the size the kernel gives,
 * the exact point where prep fails, that a failed prep leaves the SQEs and
 * both tails unchanged, that submit returns the space, and that no request is
 * lost over several refills.
 */
#include <poll.h>

#include "conform_ref.h"

enum { ENTRIES = 4, ROUNDS = 3 };

struct tally {
	unsigned int count[ENTRIES * ROUNDS];
	unsigned int stray, bad_res;
};

static void tally_cqe(const struct io_uring_cqe *cqe, void *arg)
{
	struct tally *t = arg;

	if (cqe->user_data < ENTRIES * ROUNDS)
		t->count[cqe->user_data]++;
	else
		t->stray++;
	if (cqe->res != 0)
		t->bad_res++;
}

/*
 * io_uring_setup(2): entries is rounded up to a power of two; the SQ has
 * that many entries and the CQ, by default, twice as many (since 5.1).
 */
TEST(setup_rounds_entries_up_to_power_of_two)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2): entries rounded to a power of "
			"two, CQ twice the SQ");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 3, NULL));
	EXPECT_EQ(4u, ring.sq.entries);
	EXPECT_EQ(3u, ring.sq.mask);
	EXPECT_EQ(8u, ring.cq.entries);
	EXPECT_EQ(4u, ref_ring_sq_space(&ring));
	EXPECT_EQ(0u, ref_ring_sq_pending(&ring));
	ref_ring_free(&ring);
}

/*
 * io_uring(7): the SQ is full when the tail is sq_entries ahead of the head;
 * ring.h: prep returns false exactly then. 4 NOPs fit a 4-entry ring, the
 * 5th does not; ref_ring_get_sqe then gives NULL (since 5.1).
 */
TEST(prep_fails_exactly_when_entries_pending)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring(7) submission queue; "
			"ref/include/ref/ring.h ref_prep_*");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, ENTRIES, NULL));
	for (unsigned int i = 0; i < ENTRIES; i++) {
		EXPECT_EQ(ENTRIES - i, ref_ring_sq_space(&ring));
		EXPECT_TRUE(ref_prep_nop(&ring, i));
		EXPECT_EQ(i + 1, ref_ring_sq_pending(&ring));
	}
	EXPECT_FALSE(ref_prep_nop(&ring, 99));
	EXPECT_EQ(NULL, ref_ring_get_sqe(&ring));
	EXPECT_EQ((unsigned int)ENTRIES, ref_ring_sq_pending(&ring));
	EXPECT_EQ(0u, ref_ring_sq_space(&ring));
	ref_ring_free(&ring);
}

/*
 * ring.h: a prep on a full SQ "returns false, touching nothing": all SQE
 * slots keep their bytes, the local tail and the published tail do not move,
 * whatever the request type (since 5.1).
 */
TEST(prep_on_full_sq_touches_nothing)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_sqe before[ENTRIES];
	struct iovec iov = { .iov_base = before, .iov_len = 8 };
	struct ref_ring ring;
	unsigned int tail, ktail;
	char buf[8] = { 0 };

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"ref/include/ref/ring.h ref_prep_*: false on a full "
			"SQ, touching nothing");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, ENTRIES, NULL));
	for (unsigned int i = 0; i < ENTRIES; i++)
		ASSERT_TRUE(ref_prep_write(&ring, 1, buf, sizeof(buf), i, 100 + i));
	memcpy(before, ring.sq.sqes, sizeof(before));
	tail = ring.sq.tail;
	ktail = *ring.sq.ktail;

	EXPECT_FALSE(ref_prep_nop(&ring, 1));
	EXPECT_FALSE(ref_prep_read(&ring, 0, buf, sizeof(buf), 0, 2));
	EXPECT_FALSE(ref_prep_readv(&ring, 0, &iov, 1, 0, 3));
	EXPECT_FALSE(ref_prep_poll_add(&ring, 0, POLLIN, true, 4));
	EXPECT_FALSE(ref_prep_timeout(&ring, &ts, 1, 0, 5));
	EXPECT_FALSE(ref_prep_cancel(&ring, 100, 0, 6));
	EXPECT_FALSE(ref_prep_close(&ring, 0, 7));
	EXPECT_EQ(0, memcmp(before, ring.sq.sqes, sizeof(before)));
	EXPECT_EQ(tail, ring.sq.tail);
	EXPECT_EQ(ktail, *ring.sq.ktail);
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2): the return value is the number of SQEs consumed; the
 * kernel moves the SQ head past them, so their slots are free again and a
 * prep succeeds (since 5.1).
 */
TEST(submit_returns_the_space)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "io_uring_enter",
			"io_uring_enter(2) RETURN VALUE");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, ENTRIES, NULL));
	for (unsigned int i = 0; i < ENTRIES; i++)
		ASSERT_TRUE(ref_prep_nop(&ring, i));
	ASSERT_FALSE(ref_prep_nop(&ring, 99));
	EXPECT_EQ(ENTRIES, ref_ring_submit(&ring));
	EXPECT_EQ(0u, ref_ring_sq_pending(&ring));
	EXPECT_EQ((unsigned int)ENTRIES, ref_ring_sq_space(&ring));
	EXPECT_TRUE(ref_prep_nop(&ring, ENTRIES));
	EXPECT_EQ(1u, ref_ring_sq_pending(&ring));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2): each consumed SQE produces one CQE carrying its
 * user_data. Three rounds of fill-until-false, submit, reap: 12 NOPs, each
 * user_data back exactly once with res 0 (since 5.1).
 */
TEST(refilling_a_full_sq_loses_nothing)
{
	struct ref_ring ring;
	struct tally t;
	uint64_t next = 0;

	CONFORM_DECLARE("5.1", "io_uring_enter",
			"io_uring_enter(2): one CQE per consumed SQE");
	CONFORM_REQUIRE_URING();
	memset(&t, 0, sizeof(t));
	ASSERT_EQ(0, ref_ring_init(&ring, ENTRIES, NULL));
	for (int round = 0; round < ROUNDS; round++) {
		while (ref_prep_nop(&ring, next))
			next++;
		ASSERT_EQ((uint64_t)(round + 1) * ENTRIES, next);
		ASSERT_EQ(ENTRIES, ref_ring_submit_and_wait(&ring, ENTRIES));
		EXPECT_EQ((unsigned int)ENTRIES,
			  ref_ring_for_each_completion(&ring, tally_cqe, &t));
	}
	for (int i = 0; i < ENTRIES * ROUNDS; i++)
		EXPECT_EQ(1u, t.count[i]);
	EXPECT_EQ(0u, t.stray);
	EXPECT_EQ(0u, t.bad_res);
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
