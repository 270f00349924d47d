// SPDX-License-Identifier: MIT
/*
 * uring/futex-waitv: IORING_OP_FUTEX_WAITV (Linux 6.7), the asynchronous
 * futex_waitv(2): sqe->addr points at an array of struct futex_waitv
 * (<linux/futex.h>, 5.16), sqe->len is its length. The request waits on
 * all the futexes and completes with the index of the one woken, whether
 * woken by futex(2) FUTEX_WAKE or by IORING_OP_FUTEX_WAKE; it fails with
 * -EAGAIN when a futex word does not hold its expected value at submit,
 * with -EINVAL for a count of 0 or above FUTEX_WAITV_MAX, for waiter flags
 * the kernel does not know or a size other than 32 bits, for a nonzero
 * __reserved, and for the SQE fields that FUTEX_WAIT uses but FUTEX_WAITV
 * does not (fd: flags, addr2, addr3: mask, buf_index, file_index), with
 * -EFAULT for an unreadable array; a pending one is cancelled with
 * -ECANCELED. Waiters use REF_FUTEX2_SIZE_U32 | REF_FUTEX2_PRIVATE.
 * liburing 2.3 has no prep helper for it: SQEs are filled by hand.
 */
#include <liburing.h>
#include <linux/futex.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_WAITV = 0xf1, TAG_WAKE = 0xf2, TAG_CANCEL = 0xf3 };

static const unsigned int waiter_flags = REF_FUTEX2_SIZE_U32 |
					 REF_FUTEX2_PRIVATE;

#define REQUIRE_FUTEX_WAITV()                                                  \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FUTEX_WAITV,    \
						 "IORING_OP_FUTEX_WAITV"))

/* waitv[i] waits on words[i] while it holds 0, with waiter_flags. */
static void fill_waitv(struct futex_waitv *waitv, unsigned int *words,
		       unsigned int nr)
{
	memset(waitv, 0, nr * sizeof(*waitv));
	for (unsigned int i = 0; i < nr; i++) {
		waitv[i].val = 0;
		waitv[i].uaddr = (__u64)(uintptr_t)&words[i];
		waitv[i].flags = waiter_flags;
	}
}

/* An IORING_OP_FUTEX_WAITV SQE for nr waiters at waitv; all else 0. */
static void prep_waitv(struct io_uring_sqe *sqe, struct futex_waitv *waitv,
		       unsigned int nr)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_FUTEX_WAITV;
	sqe->addr = (__u64)(uintptr_t)waitv;
	sqe->len = nr;
	sqe->user_data = TAG_WAITV;
}

/* A 4-entry ring with a FUTEX_WAITV on nr waiters submitted and pending. */
static void ring_with_waitv(struct __test_metadata *_metadata,
			    struct io_uring *ring, struct futex_waitv *waitv,
			    unsigned int nr)
{
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	sqe = io_uring_get_sqe(ring);
	ASSERT_NE(NULL, sqe);
	prep_waitv(sqe, waitv, nr);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(ring));
}

/*
 * futex_waitv(2) (kernel commit bf69bad38cf6 "futex: Implement
 * sys_futex_waitv()", 5.16) "returns the index of a waiter whose futex was
 * woken"; IORING_OP_FUTEX_WAITV gives it in cqe->res (commit
 * 8f350194d5cf "io_uring: add support for vectored futex waits", 6.7).
 * Three futexes wait; futex(2) FUTEX_WAKE_PRIVATE on the second wakes one
 * waiter (returns 1) and the request completes with 1.
 */
TEST(futex_wake_on_second_word_completes_waitv_with_index_1)
{
	unsigned int words[3] = { 0, 0, 0 };
	struct futex_waitv waitv[3];
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) RETURN VALUE; commit 8f350194d5cf (6.7): "
			"io_uring: add support for vectored futex waits");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 3);
	ring_with_waitv(_metadata, &ring, waitv, 3);
	EXPECT_EQ(1, syscall(SYS_futex, &words[1], FUTEX_WAKE_PRIVATE, 1,
			     NULL, NULL, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_WAITV, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * The waiters of IORING_OP_FUTEX_WAITV are ordinary futex waiters, woken
 * by IORING_OP_FUTEX_WAKE too (6.7): a FUTEX_WAKE (futex2 flags in
 * sqe->fd, count 1 in sqe->addr2, any-bit mask in sqe->addr3) on the first
 * word wakes 1 and the vectored wait completes with index 0.
 */
TEST(ring_futex_wake_on_first_word_completes_waitv_with_index_0)
{
	const __u64 tags[2] = { TAG_WAITV, TAG_WAKE };
	unsigned int words[2] = { 0, 0 };
	struct futex_waitv waitv[2];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { INT_MIN, INT_MIN };

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) RETURN VALUE; commit 8f350194d5cf (6.7): "
			"io_uring: add support for vectored futex waits");
	REQUIRE_FUTEX_WAITV();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FUTEX_WAKE,
						 "IORING_OP_FUTEX_WAKE"));
	fill_waitv(waitv, words, 2);
	ring_with_waitv(_metadata, &ring, waitv, 2);
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_FUTEX_WAKE;
	sqe->fd = (int)waiter_flags;
	sqe->addr = (__u64)(uintptr_t)&words[0];
	sqe->addr2 = 1;
	sqe->addr3 = FUTEX_BITSET_MATCH_ANY;
	sqe->user_data = TAG_WAKE;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(1, res[1]);
	EXPECT_EQ(0, res[0]);
	io_uring_queue_exit(&ring);
}

/*
 * futex_waitv(2): "If any of the futex values do not match their
 * respective waiters[].val, the call fails immediately with the error
 * EAGAIN": the second word holds 1 where 0 is expected, and the request
 * fails at once with -EAGAIN (since 6.7).
 */
TEST(waitv_with_changed_value_gets_eagain)
{
	unsigned int words[2] = { 0, 1 };
	struct futex_waitv waitv[2];
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EAGAIN");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 2);
	prep_waitv(&sqe, waitv, 2);
	EXPECT_EQ(-EAGAIN, uring_run_one_sqe_res(&sqe));
}

/*
 * futex_waitv(2) ERRORS: EINVAL when "n was not in the range [1,
 * FUTEX_WAITV_MAX]"; io_uring/futex.c io_futexv_prep() checks sqe->len the
 * same way: 0 fails the request with -EINVAL (since 6.7).
 */
TEST(waitv_of_zero_futexes_gets_einval)
{
	unsigned int words[1] = { 0 };
	struct futex_waitv waitv[1];
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EINVAL: n not in [1, FUTEX_WAITV_MAX]");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 1);
	prep_waitv(&sqe, waitv, 0);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * futex_waitv(2) ERRORS: EINVAL when "n was not in the range [1,
 * FUTEX_WAITV_MAX]" (128, <linux/futex.h>): 129 well-formed waiters fail
 * the request with -EINVAL (since 6.7).
 */
TEST(waitv_of_more_than_waitv_max_futexes_gets_einval)
{
	static unsigned int words[FUTEX_WAITV_MAX + 1];
	static struct futex_waitv waitv[FUTEX_WAITV_MAX + 1];
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EINVAL: n not in [1, FUTEX_WAITV_MAX]");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, FUTEX_WAITV_MAX + 1);
	prep_waitv(&sqe, waitv, FUTEX_WAITV_MAX + 1);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * futex_waitv(2) ERRORS: EINVAL when "Any waiters[].flags field contains
 * an unknown flag" (kernel/futex/syscalls.c futex_parse_waitv(): flags
 * outside FUTEX2_VALID_MASK): bit 20 in the second waiter's flags fails
 * the request with -EINVAL (since 6.7).
 */
TEST(waiter_with_unknown_flag_gets_einval)
{
	unsigned int words[2] = { 0, 0 };
	struct futex_waitv waitv[2];
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EINVAL: unknown flags; "
			"kernel/futex/syscalls.c futex_parse_waitv()");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 2);
	waitv[1].flags |= 1U << 20;
	prep_waitv(&sqe, waitv, 2);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * futex_waitv(2) ERRORS: EINVAL when "Any waiters[].flags field is
 * missing a FUTEX2_SIZE_* flag or has a size flag different than
 * FUTEX2_SIZE_U32 set" (kernel/futex/futex.h futex_flags_valid(); futex2
 * flags since 6.7). The 64-bit size, 3 in the low two bits, is used.
 */
TEST(waiter_with_size_other_than_u32_gets_einval)
{
	unsigned int words[2] = { 0, 0 };
	struct futex_waitv waitv[2];
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EINVAL: size flag not FUTEX2_SIZE_U32");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 2);
	waitv[0].flags = REF_FUTEX2_PRIVATE | 3;
	prep_waitv(&sqe, waitv, 2);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * futex_waitv(2) ERRORS: EINVAL when "Any waiters[].__reserved field is
 * not 0" (<linux/futex.h>: "Should be 0"); the request fails with -EINVAL
 * (since 6.7).
 */
TEST(waiter_with_nonzero_reserved_gets_einval)
{
	unsigned int words[2] = { 0, 0 };
	struct futex_waitv waitv[2];
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EINVAL: __reserved not 0");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 2);
	waitv[1].__reserved = 1;
	prep_waitv(&sqe, waitv, 2);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * io_uring/futex.c io_futexv_prep(): "No flags or mask supported for
 * waitv": the SQE fields of IORING_OP_FUTEX_WAIT that FUTEX_WAITV does not
 * take (fd: the futex2 flags, addr2: the value, addr3: the mask, and
 * buf_index, file_index) must be 0; each set fails the request with
 * -EINVAL (since 6.7).
 */
TEST(waitv_with_unused_sqe_field_set_gets_einval)
{
	static const char *const names[] = {
		"fd", "addr2", "addr3", "buf_index", "file_index",
	};
	unsigned int words[2] = { 0, 0 };
	struct futex_waitv waitv[2];

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"io_uring/futex.c io_futexv_prep() -EINVAL");
	REQUIRE_FUTEX_WAITV();
	fill_waitv(waitv, words, 2);
	for (int field = 0; field < 5; field++) {
		struct io_uring_sqe sqe;

		prep_waitv(&sqe, waitv, 2);
		switch (field) {
		case 0:
			sqe.fd = (int)waiter_flags;
			break;
		case 1:
			sqe.addr2 = 1;
			break;
		case 2:
			sqe.addr3 = FUTEX_BITSET_MATCH_ANY;
			break;
		case 3:
			sqe.buf_index = 1;
			break;
		default:
			sqe.file_index = 1;
			break;
		}
		EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe))
			TH_LOG("sqe->%s set", names[field]);
	}
}

/*
 * futex_waitv(2) ERRORS: EFAULT when "waiters points outside the
 * accessible address space": an array at a kernel address (the top page)
 * fails the request with -EFAULT (since 6.7).
 */
TEST(waitv_with_unreadable_array_gets_efault)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"futex_waitv(2) ERRORS EFAULT");
	REQUIRE_FUTEX_WAITV();
	prep_waitv(&sqe, (struct futex_waitv *)(uintptr_t)-4096, 2);
	EXPECT_EQ(-EFAULT, uring_run_one_sqe_res(&sqe));
}

/* Submit a cancel of the pending FUTEX_WAITV; reap both CQEs into res. */
static void cancel_pending_waitv(struct __test_metadata *_metadata, int res[2])
{
	const __u64 tags[2] = { TAG_WAITV, TAG_CANCEL };
	unsigned int words[2] = { 0, 0 };
	struct futex_waitv waitv[2];
	struct io_uring_sqe *sqe;
	struct io_uring ring;

	fill_waitv(waitv, words, 2);
	ring_with_waitv(_metadata, &ring, waitv, 2);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cancel64(sqe, TAG_WAITV, 0);
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: a pending FUTEX_WAITV that is
 * cancelled completes with -ECANCELED (since 6.7).
 */
TEST(cancelled_waitv_ends_with_ecanceled)
{
	int res[2] = { INT_MIN, INT_MIN };

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	REQUIRE_FUTEX_WAITV();
	cancel_pending_waitv(_metadata, res);
	EXPECT_EQ(-ECANCELED, res[0]);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "If found, the res field of the
 * cqe will contain 0" (since 6.7). 6.12, 6.18 and 7.2 post 1, the count
 * io_uring/futex.c io_futex_cancel() returns, as for FUTEX_WAIT in
 * uring/futex (cases/known-failures.txt).
 */
TEST(cancel_of_pending_waitv_gets_zero)
{
	int res[2] = { INT_MIN, INT_MIN };

	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAITV",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	REQUIRE_FUTEX_WAITV();
	cancel_pending_waitv(_metadata, res);
	EXPECT_EQ(0, res[1]);
}

TEST_HARNESS_MAIN
