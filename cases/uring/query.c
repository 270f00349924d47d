// SPDX-License-Identifier: MIT
/*
 * uring/query: IORING_REGISTER_QUERY (6.18, <linux/io_uring/query.h>), a
 * chain of struct io_uring_query_hdr, each asking one question
 * (query_op) and getting the answer in the buffer at query_data and an
 * error code in result. IO_URING_QUERY_OPCODES (struct
 * io_uring_query_opcode) is checked against what the kernel otherwise
 * shows: the opcode probe, a new ring's features, which setup, enter and
 * SQE flags it accepts, the first register opcode it refuses. Also: the
 * call without a ring (fd -1), a chain of two headers, a chain that loops
 * (ERANGE), an unknown query_op (result -EOPNOTSUPP, the call succeeds), a
 * malformed header (result -EINVAL), a buffer smaller or larger than the
 * answer, and nr_args (EINVAL). Sources: <linux/io_uring/query.h>, kernel
 * commit c265ae75f900 ("io_uring: introduce io_uring querying", 6.18),
 * io_uring/query.c io_query / io_handle_query_entry.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

/* A header asking op, answered into buf (size bytes). */
static struct ref_io_uring_query_hdr query_hdr(unsigned int op, void *buf,
					       unsigned int size)
{
	struct ref_io_uring_query_hdr h;

	memset(&h, 0, sizeof(h));
	h.query_op = op;
	h.query_data = (__u64)(uintptr_t)buf;
	h.size = size;
	return h;
}

/* io_uring_register(fd, IORING_REGISTER_QUERY, hdr, nr): as the system
 * call returns. */
static int query(int fd, struct ref_io_uring_query_hdr *hdr, unsigned int nr)
{
	return conform_sys_io_uring_register(fd, REF_IORING_REGISTER_QUERY, hdr,
					     nr);
}

/* IO_URING_QUERY_OPCODES without a ring into *q: the call's result, with
 * hdr.result in *result. */
static int query_opcodes(struct ref_io_uring_query_opcode *q, int *result)
{
	struct ref_io_uring_query_hdr h =
		query_hdr(REF_IO_URING_QUERY_OPCODES, q, sizeof(*q));
	int ret;

	memset(q, 0, sizeof(*q));
	ret = query(-1, &h, 0);
	*result = h.result;
	return ret;
}

/* NULL if IORING_REGISTER_QUERY answers IO_URING_QUERY_OPCODES without a
 * ring; else why not. Kernels before 6.18 refuse the opcode: EINVAL. */
static const char *query_missing(void)
{
	const char *why = conform_uring_unavailable();
	struct ref_io_uring_query_opcode q;
	int ret, result;

	if (why)
		return why;
	ret = query_opcodes(&q, &result);
	if (ret == 0 && result == 0)
		return NULL;
	if (ret == 0)
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_REGISTER_QUERY: IO_URING_QUERY_OPCODES answered with result %d",
			 result);
	else
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_REGISTER_QUERY: %s (not supported by this kernel)",
			 strerror(errno));
	return conform_why;
}

#define REQUIRE_QUERY() CONFORM_REQUIRE(query_missing())

/* The lowest bit of the low `width` bits not set in mask, or -1. */
static int lowest_clear_bit(__u64 mask, int width)
{
	for (int b = 0; b < width; b++)
		if (!(mask & (1ULL << b)))
			return b;
	return -1;
}

/*
 * <linux/io_uring/query.h> struct io_uring_query_opcode:
 * nr_request_opcodes is "The number of supported IORING_OP_* opcodes",
 * the same count IORING_REGISTER_PROBE gives as last_op + 1; the query
 * needs no ring ("Doesn't require a ring": fd -1) (since 6.18).
 */
TEST(nr_request_opcodes_matches_opcode_probe)
{
	enum { NR_OPS = 256 };
	struct ref_io_uring_query_opcode q;
	struct io_uring_probe *probe;
	struct io_uring ring;
	int result;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_opcode "
			"nr_request_opcodes; io_uring_register(2) "
			"IORING_REGISTER_PROBE");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&q, &result));
	ASSERT_EQ(0, result);
	probe = calloc(1, sizeof(*probe) + NR_OPS * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_PROBE, probe,
					NR_OPS));
	EXPECT_EQ(probe->last_op + 1u, q.nr_request_opcodes);
	io_uring_queue_exit(&ring);
	free(probe);
}

/*
 * <linux/io_uring/query.h>: feature_flags is the "Bitmask of all supported
 * IORING_FEAT_* flags", which io_uring_setup(2) reports in
 * io_uring_params.features; asked through a ring's fd the query answers
 * the same as without one (since 6.18).
 */
TEST(feature_flags_match_new_ring_features)
{
	struct ref_io_uring_query_opcode q;
	struct ref_io_uring_query_hdr h;
	struct io_uring_params p;
	struct io_uring ring;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_opcode "
			"feature_flags; io_uring_setup(2) features");
	REQUIRE_QUERY();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, io_uring_queue_init_params(2, &ring, &p));
	memset(&q, 0, sizeof(q));
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, sizeof(q));
	ASSERT_EQ(0, query(ring.ring_fd, &h, 0));
	ASSERT_EQ(0, h.result);
	EXPECT_EQ((__u64)p.features, q.feature_flags);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring/query.h>: ring_setup_flags is the "Bitmask of all
 * supported IORING_SETUP_* flags": it holds every flag of the 6.1 uapi
 * (IORING_SETUP_IOPOLL ... IORING_SETUP_DEFER_TASKRUN); IORING_SETUP_CLAMP,
 * in it, is accepted by io_uring_setup(2), and the lowest bit not in it is
 * refused with EINVAL (since 6.18).
 */
TEST(ring_setup_flags_are_the_setup_flags_accepted)
{
	const __u64 known_6_1 = (IORING_SETUP_DEFER_TASKRUN << 1) - 1;
	struct ref_io_uring_query_opcode q;
	struct io_uring_params p;
	int result, bit, fd;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_opcode "
			"ring_setup_flags; io_uring_setup(2) EINVAL");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&q, &result));
	ASSERT_EQ(0, result);
	EXPECT_EQ(known_6_1, q.ring_setup_flags & known_6_1);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP;
	fd = conform_sys_io_uring_setup(2, &p);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	bit = lowest_clear_bit(q.ring_setup_flags, 32);
	ASSERT_LE(0, bit) TH_LOG("every setup flag bit is set: nothing to refuse");
	TH_LOG("first setup flag not in the mask: bit %d", bit);
	memset(&p, 0, sizeof(p));
	p.flags = 1U << bit;
	fd = conform_sys_io_uring_setup(2, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

/*
 * <linux/io_uring/query.h>: enter_flags is the "Bitmask of all supported
 * IORING_ENTER_** flags": it holds those of the 6.1 uapi
 * (IORING_ENTER_GETEVENTS ... IORING_ENTER_REGISTERED_RING), and
 * io_uring_enter(2) refuses the lowest bit not in it with EINVAL (since
 * 6.18).
 */
TEST(enter_flags_are_the_enter_flags_accepted)
{
	const __u64 known_6_1 = (IORING_ENTER_REGISTERED_RING << 1) - 1;
	struct ref_io_uring_query_opcode q;
	struct io_uring ring;
	int result, bit;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_opcode "
			"enter_flags; io_uring_enter(2) EINVAL");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&q, &result));
	ASSERT_EQ(0, result);
	EXPECT_EQ(known_6_1, q.enter_flags & known_6_1);
	bit = lowest_clear_bit(q.enter_flags, 32);
	ASSERT_LE(0, bit) TH_LOG("every enter flag bit is set: nothing to refuse");
	TH_LOG("first enter flag not in the mask: bit %d", bit);
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	EXPECT_EQ(-1, uring_sys_enter(ring.ring_fd, 0, 0, 1U << bit));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring/query.h>: sqe_flags is the "Bitmask of all supported
 * IOSQE_* flags": it covers every IOSQE_* (IOSQE_FIXED_FILE ...
 * IOSQE_CQE_SKIP_SUCCESS), and a NOP carrying the lowest bit not in it
 * completes with -EINVAL (io_uring_enter(2)) (since 6.18).
 */
TEST(sqe_flags_cover_every_iosqe_flag)
{
	const __u64 iosqe = IOSQE_FIXED_FILE | IOSQE_IO_DRAIN | IOSQE_IO_LINK |
			    IOSQE_IO_HARDLINK | IOSQE_ASYNC |
			    IOSQE_BUFFER_SELECT | IOSQE_CQE_SKIP_SUCCESS;
	struct ref_io_uring_query_opcode q;
	struct io_uring_sqe sqe;
	int result, bit;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_opcode "
			"sqe_flags; io_uring_enter(2) CQE -EINVAL");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&q, &result));
	ASSERT_EQ(0, result);
	EXPECT_EQ(iosqe, q.sqe_flags & iosqe);
	bit = lowest_clear_bit(q.sqe_flags, 8);
	ASSERT_LE(0, bit) TH_LOG("all 8 SQE flag bits are set: nothing to refuse");
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_nop(&sqe);
	sqe.flags = (__u8)(1U << bit);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

/*
 * <linux/io_uring/query.h>: nr_register_opcodes is "The number of
 * supported IORING_[UN]REGISTER_* opcodes": IORING_REGISTER_QUERY itself
 * is below it, and io_uring_register(2) refuses opcode nr_register_opcodes
 * with EINVAL (since 6.18).
 */
TEST(nr_register_opcodes_is_first_refused_opcode)
{
	struct ref_io_uring_query_opcode q;
	struct io_uring ring;
	int result;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_opcode "
			"nr_register_opcodes; io_uring_register(2) EINVAL");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&q, &result));
	ASSERT_EQ(0, result);
	EXPECT_LT((unsigned int)REF_IORING_REGISTER_QUERY, q.nr_register_opcodes);
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, q.nr_register_opcodes, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring/query.h> struct io_uring_query_hdr next_entry: the
 * headers form a chain, each answered in turn: both of a chain of two get
 * result 0 and the same answer (since 6.18).
 */
TEST(chain_of_two_headers_is_processed)
{
	struct ref_io_uring_query_opcode q1, q2;
	struct ref_io_uring_query_hdr h1, h2;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_hdr next_entry; "
			"io_uring/query.c io_query");
	REQUIRE_QUERY();
	memset(&q1, 0, sizeof(q1));
	memset(&q2, 0, sizeof(q2));
	h1 = query_hdr(REF_IO_URING_QUERY_OPCODES, &q1, sizeof(q1));
	h2 = query_hdr(REF_IO_URING_QUERY_OPCODES, &q2, sizeof(q2));
	h1.next_entry = (__u64)(uintptr_t)&h2;
	ASSERT_EQ(0, query(-1, &h1, 0));
	EXPECT_EQ(0, h1.result);
	EXPECT_EQ(0, h2.result);
	EXPECT_NE(0u, q1.nr_request_opcodes);
	EXPECT_EQ(0, memcmp(&q1, &q2, sizeof(q1)));
}

/*
 * io_uring/query.c io_handle_query_entry: a query_op the kernel does not
 * know is answered in the header, result -EOPNOTSUPP and size 0, while
 * the call itself succeeds: the first unknown one is nr_query_opcodes
 * (6.18's io_uring_query_opcode), and 0xffff (since 6.18).
 */
TEST(unknown_query_op_sets_result_eopnotsupp)
{
	struct ref_io_uring_query_opcode q;
	struct ref_io_uring_query_hdr h;
	unsigned int ops[2];
	int result;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"io_uring/query.c io_handle_query_entry -EOPNOTSUPP; "
			"linux/io_uring/query.h nr_query_opcodes");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&q, &result));
	ASSERT_EQ(0, result);
	ASSERT_LE(1u, q.nr_query_opcodes);
	ops[0] = q.nr_query_opcodes;
	ops[1] = 0xffff;
	for (int i = 0; i < 2; i++) {
		h = query_hdr(ops[i], &q, sizeof(q));
		EXPECT_EQ(0, query(-1, &h, 0));
		EXPECT_EQ(-EOPNOTSUPP, h.result) TH_LOG("query_op %u", ops[i]);
		EXPECT_EQ(0u, h.size);
	}
}

/*
 * io_uring/query.c io_handle_query_entry: a header with a non-zero
 * __resv, a result that is not 0 on entry, or size 0 is answered with
 * result -EINVAL (the call itself returns 0) (since 6.18).
 */
TEST(malformed_header_sets_result_einval)
{
	struct ref_io_uring_query_opcode q;
	struct ref_io_uring_query_hdr h;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"linux/io_uring/query.h io_uring_query_hdr __resv; "
			"io_uring/query.c io_handle_query_entry -EINVAL");
	REQUIRE_QUERY();
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, sizeof(q));
	h.__resv[1] = 1;
	EXPECT_EQ(0, query(-1, &h, 0));
	EXPECT_EQ(-EINVAL, h.result);
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, sizeof(q));
	h.result = 5;
	EXPECT_EQ(0, query(-1, &h, 0));
	EXPECT_EQ(-EINVAL, h.result);
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, 0);
	EXPECT_EQ(0, query(-1, &h, 0));
	EXPECT_EQ(-EINVAL, h.result);
}

/*
 * io_uring/query.c io_handle_query_entry: the answer is cut to the size
 * given: with 4 bytes only nr_request_opcodes is written, the rest of the
 * buffer is left alone, and size stays 4 (since 6.18).
 */
TEST(short_buffer_gets_what_fits)
{
	struct ref_io_uring_query_opcode q, full;
	struct ref_io_uring_query_hdr h;
	int result;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"io_uring/query.c io_handle_query_entry size");
	REQUIRE_QUERY();
	ASSERT_EQ(0, query_opcodes(&full, &result));
	memset(&q, 0xa5, sizeof(q));
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, 4);
	ASSERT_EQ(0, query(-1, &h, 0));
	EXPECT_EQ(0, h.result);
	EXPECT_EQ(4u, h.size);
	EXPECT_EQ(full.nr_request_opcodes, q.nr_request_opcodes);
	EXPECT_EQ(0xa5a5a5a5u, q.nr_register_opcodes);
}

/*
 * io_uring/query.c io_handle_query_entry: given more room than the
 * answer, the kernel writes its whole struct io_uring_query_opcode, sets
 * size to the struct's size (48 bytes with 6.18's nr_query_opcodes) and
 * zeroes the rest of the buffer (copy_struct_to_user) (since 6.18).
 */
TEST(large_buffer_gets_answer_size_and_zeroed_tail)
{
	unsigned char buf[128];
	struct ref_io_uring_query_hdr h;
	bool tail_zero = true;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"io_uring/query.c io_handle_query_entry "
			"copy_struct_to_user");
	REQUIRE_QUERY();
	memset(buf, 0xa5, sizeof(buf));
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, buf, sizeof(buf));
	ASSERT_EQ(0, query(-1, &h, 0));
	EXPECT_EQ(0, h.result);
	EXPECT_EQ(sizeof(struct ref_io_uring_query_opcode), (size_t)h.size);
	for (size_t i = sizeof(struct ref_io_uring_query_opcode);
	     i < sizeof(buf); i++)
		tail_zero = tail_zero && buf[i] == 0;
	EXPECT_TRUE(tail_zero);
}

/*
 * io_uring/query.c io_query: nr_args must be 0 (the chain is walked
 * through next_entry); any other value gets EINVAL (since 6.18).
 */
TEST(nonzero_nr_args_gets_einval)
{
	struct ref_io_uring_query_opcode q;
	struct ref_io_uring_query_hdr h;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"io_uring/query.c io_query nr_args");
	REQUIRE_QUERY();
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, sizeof(q));
	EXPECT_EQ(-1, query(-1, &h, 1));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * io_uring/query.c io_query: a chain that loops back on itself is cut off
 * after a bounded number of entries with ERANGE (kernel commit
 * "io_uring/query: prevent infinite loops", 6.18, which fixes the
 * original query commit c265ae75f900) (since 6.18).
 */
TEST(looping_chain_gets_erange)
{
	struct ref_io_uring_query_opcode q;
	struct ref_io_uring_query_hdr h;

	CONFORM_DECLARE("6.18", "IORING_REGISTER_QUERY",
			"io_uring/query.c io_query IO_MAX_QUERY_ENTRIES; "
			"kernel commit io_uring/query: prevent infinite loops");
	REQUIRE_QUERY();
	h = query_hdr(REF_IO_URING_QUERY_OPCODES, &q, sizeof(q));
	h.next_entry = (__u64)(uintptr_t)&h;
	EXPECT_EQ(-1, query(-1, &h, 0));
	EXPECT_EQ(ERANGE, errno);
}

TEST_HARNESS_MAIN
