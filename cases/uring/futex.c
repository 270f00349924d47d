// SPDX-License-Identifier: MIT
/*
 * uring/futex: IORING_OP_FUTEX_WAIT and IORING_OP_FUTEX_WAKE (Linux 6.7),
 * the asynchronous futex wait and wake with futex2 flags: a wait on a stale
 * value, a wait woken by a ring wake or by futex(2), the wake count, bitset
 * masks, cancellation and invalid flags. The 6.1 header and liburing 2.3
 * lack both opcodes and the futex2 flags: SQEs are filled by hand
 * (addr: the futex word, addr2: value or wake count, addr3: bitset mask,
 * fd: FUTEX2_* flags).
 */
#include <liburing.h>
#include <linux/futex.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_WAIT = 1, TAG_WAKE = 2, TAG_CANCEL = 3 };

static const unsigned int futex_flags = REF_FUTEX2_SIZE_U32 | REF_FUTEX2_PRIVATE;

#define REQUIRE_FUTEX()                                                        \
	do {                                                                   \
		CONFORM_REQUIRE(conform_uring_op_missing(                      \
			REF_IORING_OP_FUTEX_WAIT, "IORING_OP_FUTEX_WAIT"));    \
		CONFORM_REQUIRE(conform_uring_op_missing(                      \
			REF_IORING_OP_FUTEX_WAKE, "IORING_OP_FUTEX_WAKE"));    \
	} while (0)

/* Fill sqe for a futex op on word: val is the expected value or count. */
static void prep_futex(struct io_uring_sqe *sqe, unsigned char op,
		       unsigned int *word, __u64 val, __u64 mask,
		       unsigned int flags, __u64 tag)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = (int)flags;
	sqe->addr = (__u64)(uintptr_t)word;
	sqe->off = val;		/* addr2 */
	sqe->addr3 = mask;
	sqe->user_data = tag;
}

static void queue_futex(struct io_uring *ring, unsigned char op,
			unsigned int *word, __u64 val, __u64 mask, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	/* Never NULL here: every test queues at most two SQEs at a time. */
	if (sqe)
		prep_futex(sqe, op, word, val, mask, futex_flags, tag);
}

/* A 4-entry ring with a futex wait (value 0, bitset mask) on word submitted. */
static void ring_with_wait(struct __test_metadata *_metadata,
			   struct io_uring *ring, unsigned int *word,
			   __u64 mask)
{
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	queue_futex(ring, REF_IORING_OP_FUTEX_WAIT, word, 0, mask, TAG_WAIT);
	ASSERT_EQ(1, io_uring_submit(ring));
}

/* Wake one waiter (bitset mask) on word: the wake counts 1, the wait ends 0. */
static void wake_one_expect_wait_done(struct __test_metadata *_metadata,
				      struct io_uring *ring,
				      unsigned int *word, __u64 mask)
{
	const __u64 tags[2] = { TAG_WAIT, TAG_WAKE };
	int res[2] = { 1, 1 };

	queue_futex(ring, REF_IORING_OP_FUTEX_WAKE, word, 1, mask, TAG_WAKE);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
	EXPECT_EQ(1, res[1]);
	EXPECT_EQ(0, res[0]);
}

/*
 * futex(2) FUTEX_WAIT: fails with EAGAIN when "The value pointed to by
 * uaddr was not equal to the expected value val"; IORING_OP_FUTEX_WAIT does
 * the same, res -EAGAIN (kernel commit "io_uring: add support for futex
 * wake and wait", 6.7).
 */
TEST(futex_wait_on_changed_value_gets_eagain)
{
	unsigned int word = 1;
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"futex(2) EAGAIN; commit 194bb58c6090 (6.7): "
			"io_uring: add support for futex wake and wait");
	REQUIRE_FUTEX();
	prep_futex(&sqe, REF_IORING_OP_FUTEX_WAIT, &word, 0,
		   FUTEX_BITSET_MATCH_ANY, futex_flags, TAG_WAIT);
	EXPECT_EQ(-EAGAIN, uring_run_one_sqe_res(&sqe));
}

/*
 * IORING_OP_FUTEX_WAIT stays pending while the word holds the value, and an
 * IORING_OP_FUTEX_WAKE for one waiter wakes it: the wake's res is the
 * number woken, 1, and the wait completes with 0 (futex(2) FUTEX_WAKE
 * "returns the number of waiters that were woken up"; since 6.7).
 */
TEST(futex_wake_wakes_pending_wait_and_counts_it)
{
	unsigned int word = 0;
	struct io_uring ring;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAKE",
			"futex(2) FUTEX_WAKE; commit 194bb58c6090 (6.7): "
			"io_uring: add support for futex wake and wait");
	REQUIRE_FUTEX();
	ring_with_wait(_metadata, &ring, &word, FUTEX_BITSET_MATCH_ANY);
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	wake_one_expect_wait_done(_metadata, &ring, &word,
				  FUTEX_BITSET_MATCH_ANY);
	io_uring_queue_exit(&ring);
}

/*
 * The ring's futex wait is an ordinary futex waiter: futex(2)
 * FUTEX_WAKE_PRIVATE on the word wakes it and returns 1; the wait
 * completes with 0 (kernel commit "io_uring: add support for futex wake
 * and wait": FUTEX2_PRIVATE waits interoperate with futex(2); since 6.7).
 */
TEST(futex_wait_is_woken_by_futex_syscall)
{
	unsigned int word = 0;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"futex(2) FUTEX_WAKE_PRIVATE; commit 194bb58c6090 "
			"(6.7): io_uring: add support for futex wake and wait");
	REQUIRE_FUTEX();
	ring_with_wait(_metadata, &ring, &word, FUTEX_BITSET_MATCH_ANY);
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	EXPECT_EQ(1, syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1,
			     NULL, NULL, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_WAIT, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/* futex(2) FUTEX_WAKE: with no waiter on the word, 0 are woken (since 6.7). */
TEST(futex_wake_without_waiters_gets_zero)
{
	unsigned int word = 0;
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAKE", "futex(2) FUTEX_WAKE");
	REQUIRE_FUTEX();
	prep_futex(&sqe, REF_IORING_OP_FUTEX_WAKE, &word, 1,
		   FUTEX_BITSET_MATCH_ANY, futex_flags, TAG_WAKE);
	EXPECT_EQ(0, uring_run_one_sqe_res(&sqe));
}

/*
 * futex(2) FUTEX_WAKE_BITSET: only waiters whose bitset shares a bit with
 * the wake's mask are woken (addr3 holds the mask; since 6.7). A wait with
 * mask 0x1: a wake with mask 0x2 wakes 0 and the wait stays; a wake with
 * mask 0x1 then wakes it (1; wait 0).
 */
TEST(futex_wake_with_disjoint_mask_wakes_nobody)
{
	unsigned int word = 0;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAKE",
			"futex(2) FUTEX_WAKE_BITSET");
	REQUIRE_FUTEX();
	ring_with_wait(_metadata, &ring, &word, 0x1);
	queue_futex(&ring, REF_IORING_OP_FUTEX_WAKE, &word, 1, 0x2, TAG_WAKE);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_WAKE, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	wake_one_expect_wait_done(_metadata, &ring, &word, 0x1);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL on a pending futex wait: the
 * cancel gets 0 ("If found, the res field of the cqe will contain 0") and
 * the wait ends with -ECANCELED (since 6.7). 6.12, 6.18 and 7.2 give the
 * cancel res 1, a count (cases/known-failures.txt).
 */
TEST(cancelled_futex_wait_gets_ecanceled)
{
	const __u64 tags[2] = { TAG_WAIT, TAG_CANCEL };
	unsigned int word = 0;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	REQUIRE_FUTEX();
	ring_with_wait(_metadata, &ring, &word, FUTEX_BITSET_MATCH_ANY);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cancel64(sqe, TAG_WAIT, 0);
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * futex_waitv(2)-style flags: a futex2 flag bit the kernel does not define
 * (bit 20) makes the wait fail with -EINVAL (since 6.7).
 */
TEST(futex_wait_with_unknown_flag_gets_einval)
{
	unsigned int word = 0;
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"futex_waitv(2) flags; io_uring/futex.c "
			"io_futex_prep()");
	REQUIRE_FUTEX();
	prep_futex(&sqe, REF_IORING_OP_FUTEX_WAIT, &word, 0,
		   FUTEX_BITSET_MATCH_ANY, futex_flags | (1U << 20), TAG_WAIT);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * futex(2) FUTEX_WAIT_BITSET: EINVAL when the bitset is zero; the same for
 * IORING_OP_FUTEX_WAIT with addr3 0 (since 6.7).
 */
TEST(futex_wait_with_zero_mask_gets_einval)
{
	unsigned int word = 0;
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"futex(2) FUTEX_WAIT_BITSET EINVAL");
	REQUIRE_FUTEX();
	prep_futex(&sqe, REF_IORING_OP_FUTEX_WAIT, &word, 0, 0, futex_flags,
		   TAG_WAIT);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

TEST_HARNESS_MAIN
