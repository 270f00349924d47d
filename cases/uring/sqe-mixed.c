// SPDX-License-Identifier: MIT
/*
 * uring/sqe-mixed: IORING_SETUP_SQE_MIXED (kernel commit 1cba30bf9fdd
 * "io_uring: add support for IORING_SETUP_SQE_MIXED", 6.19), a ring of
 * 64-byte SQEs that also takes 128-byte ones, marked by their opcode:
 * IORING_OP_NOP128 and IORING_OP_URING_CMD128 (same commit). A 128-byte
 * SQE fills two consecutive SQ slots and cannot wrap the ring; one in the
 * last slot, or without its second slot submitted, fails with -EINVAL, as
 * does a 128-byte opcode on a ring with neither SQE128 nor SQE_MIXED; on an
 * SQE128 ring the opcodes are plain 128-byte SQEs. Setup refuses SQE_MIXED
 * with SQE128 (EINVAL) and with a one-entry SQ ring (EOVERFLOW).
 * liburing 2.3 knows none of this: an SQE of 128 bytes is two SQEs got one
 * after the other (io_uring_get_sqe), filled by hand.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum {
	SQ_ENTRIES = 4,
	DECOY_TAG = 99,
	DECOY_OPCODE = 0xff,	/* an opcode no kernel has */
};

#define REQUIRE_SQE_MIXED()                                                   \
	do {                                                                  \
		CONFORM_REQUIRE(conform_uring_op_missing(                     \
			REF_IORING_OP_NOP128, "IORING_OP_NOP128"));           \
		CONFORM_REQUIRE(conform_uring_setup_missing(                  \
			REF_IORING_SETUP_SQE_MIXED, "IORING_SETUP_SQE_MIXED")); \
	} while (0)

/* Init a ring of n entries with setup flags: 0 or -errno. */
static int ring_with(struct io_uring *ring, unsigned int n, unsigned int setup)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = setup;
	return io_uring_queue_init_params(n, ring, &p);
}

/* An SQE of opcode op tagged tag, all else 0. */
static void prep_op(struct io_uring_sqe *sqe, unsigned int op, __u64 tag)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (__u8)op;
	sqe->user_data = tag;
}

/*
 * Queue a 128-byte SQE of opcode op tagged tag on a ring of 64-byte slots:
 * two consecutive slots, the first its head, the second its other 64 bytes,
 * which hold an SQE of an unknown opcode tagged DECOY_TAG, so that a kernel
 * reading that slot as an SQE of its own would post a CQE for it. Returns
 * the head, or NULL when the two slots are not consecutive (SQ full or
 * wrapping).
 */
static struct io_uring_sqe *queue_sqe128(struct io_uring *ring,
					 unsigned int op, __u64 tag)
{
	struct io_uring_sqe *head = io_uring_get_sqe(ring), *tail;

	if (!head)
		return NULL;
	tail = io_uring_get_sqe(ring);
	if (tail != head + 1)
		return NULL;
	prep_op(head, op, tag);
	prep_op(tail, DECOY_OPCODE, DECOY_TAG);
	return head;
}

/*
 * Submit the one 128-byte SQE queued on a mixed ring (two slots) and reap
 * its CQE: its res, or INT_MIN when the submit did not take both slots or
 * no CQE came.
 */
static int submit_sqe128_res(struct io_uring *ring)
{
	struct io_uring_cqe cqe;

	if (io_uring_submit(ring) != 2 || uring_reap_one(ring, &cqe))
		return INT_MIN;
	return cqe.res;
}

/* Run n NOPs through ring, one at a time, so that the SQ tail moves by n. */
static int run_nops(struct io_uring *ring, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (uring_run_nop(ring, 0) != 0)
			return -1;
	return 0;
}

/*
 * io_uring.h IORING_SETUP_SQE_MIXED: "Allow both 64b and 128b SQEs. If a
 * 128b SQE is posted, it will have a 128b opcode" (kernel commit
 * 1cba30bf9fdd, 6.19): IORING_OP_NOP128 fills two SQ slots and completes
 * with 0; the NOP after it is read from the slot after both, and the
 * second half of the NOP128 is not read as an SQE (its decoy posts no
 * CQE). The kernel takes 3 slots.
 */
TEST(nop128_takes_two_slots_and_next_sqe_follows)
{
	const __u64 tags[2] = { 1, 2 };
	struct io_uring ring;
	int res[2] = { -1, -1 };

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"io_uring.h IORING_SETUP_SQE_MIXED; commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED");
	REQUIRE_SQE_MIXED();
	ASSERT_EQ(0, ring_with(&ring, 8, REF_IORING_SETUP_SQE_MIXED));
	ASSERT_NE(NULL, queue_sqe128(&ring, REF_IORING_OP_NOP128, tags[0]));
	ASSERT_NE(NULL, uring_queue_nop(&ring, tags[1], 0));
	ASSERT_EQ(3, io_uring_submit(&ring));
	EXPECT_EQ(3u, *ring.sq.khead);
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * IORING_OP_NOP128 is a NOP (kernel commit 1cba30bf9fdd, 6.19: the same
 * prep and issue as IORING_OP_NOP): its nop flags work, e.g.
 * IORING_NOP_INJECT_RESULT completes it with sqe->len.
 */
TEST(nop128_takes_nop_flags)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (io_nop_prep)");
	REQUIRE_SQE_MIXED();
	ASSERT_EQ(0, ring_with(&ring, 8, REF_IORING_SETUP_SQE_MIXED));
	sqe = queue_sqe128(&ring, REF_IORING_OP_NOP128, 5);
	ASSERT_NE(NULL, sqe);
	sqe->rw_flags = (__kernel_rwf_t)REF_IORING_NOP_INJECT_RESULT;
	sqe->len = 321;
	EXPECT_EQ(321, submit_sqe128_res(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit 1cba30bf9fdd (6.19), io_init_req(): "A 128b op on a non-128b
 * SQ requires mixed SQE support": IORING_OP_NOP128 and
 * IORING_OP_URING_CMD128 on a ring with neither IORING_SETUP_SQE128 nor
 * IORING_SETUP_SQE_MIXED fail with -EINVAL.
 */
TEST(sqe128_opcodes_on_plain_ring_get_einval)
{
	struct io_uring_sqe sqe;
	int p[2];

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (io_init_req)");
	REQUIRE_SQE_MIXED();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_URING_CMD128,
						 "IORING_OP_URING_CMD128"));
	ASSERT_EQ(0, conform_pipe(p));
	prep_op(&sqe, REF_IORING_OP_NOP128, 1);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_op(&sqe, REF_IORING_OP_URING_CMD128, 2);
	sqe.fd = p[0];
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(p[0]);
	close(p[1]);
}

/*
 * Kernel commit 1cba30bf9fdd (6.19): "As SQEs must be contiguous in the SQ
 * ring, a 128b SQE cannot wrap the ring": an IORING_OP_NOP128 in the last
 * SQ slot fails with -EINVAL, and the kernel takes only that slot; the
 * slot after it (slot 0) is then read as an SQE of its own.
 */
TEST(nop128_in_last_sq_slot_gets_einval)
{
	struct io_uring ring;
	struct io_uring_sqe *last, *first;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (io_init_req)");
	REQUIRE_SQE_MIXED();
	ASSERT_EQ(0, ring_with(&ring, SQ_ENTRIES, REF_IORING_SETUP_SQE_MIXED));
	ASSERT_EQ(0, run_nops(&ring, SQ_ENTRIES - 1));
	last = io_uring_get_sqe(&ring);
	first = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, last);
	ASSERT_EQ(ring.sq.sqes, first);
	ASSERT_EQ(ring.sq.sqes + SQ_ENTRIES - 1, last);
	prep_op(last, REF_IORING_OP_NOP128, 7);
	prep_op(first, IORING_OP_NOP, 8);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(7ULL, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(8ULL, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit 1cba30bf9fdd (6.19): a 128-byte SQE on a mixed ring
 * "requires ... 2 contiguous entries" among those submitted: an
 * IORING_OP_NOP128 whose second slot is not part of the submission (one
 * slot submitted) fails with -EINVAL.
 */
TEST(nop128_without_its_second_slot_gets_einval)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (io_init_req)");
	REQUIRE_SQE_MIXED();
	ASSERT_EQ(0, ring_with(&ring, 8, REF_IORING_SETUP_SQE_MIXED));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_op(sqe, REF_IORING_OP_NOP128, 3);
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit 1cba30bf9fdd (6.19): when the ring is one slot away from
 * wrapping, "a single NOP SQE should be inserted with the SKIP_SUCCESS flag
 * set. The kernel will process this as a normal NOP and without posting a
 * CQE": such a NOP in the last slot lets an IORING_OP_NOP128 start in slot
 * 0, and only the NOP128 posts a CQE.
 */
TEST(skip_success_nop_pads_nop128_past_ring_end)
{
	struct io_uring ring;
	struct io_uring_sqe *pad;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED");
	REQUIRE_SQE_MIXED();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CQE_SKIP);
	ASSERT_EQ(0, ring_with(&ring, SQ_ENTRIES, REF_IORING_SETUP_SQE_MIXED));
	ASSERT_EQ(0, run_nops(&ring, SQ_ENTRIES - 1));
	pad = uring_queue_nop(&ring, 1, IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(ring.sq.sqes + SQ_ENTRIES - 1, pad);
	ASSERT_EQ(ring.sq.sqes,
		  queue_sqe128(&ring, REF_IORING_OP_NOP128, 2));
	ASSERT_EQ(3, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(2ULL, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit 1cba30bf9fdd (6.19), io_init_req(): the two-slot rule is
 * for rings of 64-byte SQEs only; on an IORING_SETUP_SQE128 ring every SQE
 * is 128 bytes, and IORING_OP_NOP128 is one of them: it completes with 0
 * and the next SQE follows in the next 128-byte slot.
 */
TEST(nop128_on_sqe128_ring_completes)
{
	const __u64 tags[2] = { 1, 2 };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int res[2] = { -1, -1 };

	CONFORM_DECLARE("6.19", "IORING_OP_NOP128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (io_init_req)");
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_NOP128,
						 "IORING_OP_NOP128"));
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQE128);
	ASSERT_EQ(0, ring_with(&ring, SQ_ENTRIES, IORING_SETUP_SQE128));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_op(sqe, REF_IORING_OP_NOP128, tags[0]);
	ASSERT_NE(NULL, uring_queue_nop(&ring, tags[1], 0));
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_cmd(): a command needs a file whose driver takes commands
 * (file_operations->uring_cmd); on a pipe an IORING_OP_URING_CMD128 of a
 * mixed ring fails with -EOPNOTSUPP, as IORING_OP_URING_CMD does (kernel
 * commit 1cba30bf9fdd, 6.19, issues it through io_uring_cmd()).
 */
TEST(uring_cmd128_on_pipe_gets_eopnotsupp)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int p[2];

	CONFORM_DECLARE("6.19", "IORING_OP_URING_CMD128",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED; io_uring_cmd() -EOPNOTSUPP");
	REQUIRE_SQE_MIXED();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_URING_CMD128,
						 "IORING_OP_URING_CMD128"));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ring_with(&ring, 8, REF_IORING_SETUP_SQE_MIXED));
	sqe = queue_sqe128(&ring, REF_IORING_OP_URING_CMD128, 4);
	ASSERT_NE(NULL, sqe);
	sqe->fd = p[0];
	EXPECT_EQ(-EOPNOTSUPP, submit_sqe128_res(&ring));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_setup() (io_uring_sanitise_params, kernel commit 1cba30bf9fdd,
 * 6.19): "Nonsensical to ask for SQE128 and mixed SQE support, it's not
 * supported to post 64b SQEs on a ring setup with SQE128": the two flags
 * together fail with EINVAL.
 */
TEST(sqe_mixed_with_sqe128_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("6.19", "IORING_SETUP_SQE_MIXED",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (io_uring_sanitise_params)");
	REQUIRE_SQE_MIXED();
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_SQE_MIXED | IORING_SETUP_SQE128;
	EXPECT_EQ(-1, conform_sys_io_uring_setup(SQ_ENTRIES, &p));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Kernel commit 1cba30bf9fdd (6.19), rings_size(): a mixed SQ ring needs at
 * least 2 entries (room for one 128-byte SQE); with 1 entry the ring size
 * is refused and io_uring_setup fails with EOVERFLOW, while 2 entries
 * work.
 */
TEST(sqe_mixed_with_one_sq_entry_gets_eoverflow)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("6.19", "IORING_SETUP_SQE_MIXED",
			"commit 1cba30bf9fdd (6.19): io_uring: add support for IORING_SETUP_SQE_MIXED (rings_size)");
	REQUIRE_SQE_MIXED();
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_SQE_MIXED;
	fd = conform_sys_io_uring_setup(1, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EOVERFLOW, errno);
	if (fd >= 0)
		close(fd);
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_SQE_MIXED;
	fd = conform_sys_io_uring_setup(2, &p);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
