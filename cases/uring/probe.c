// SPDX-License-Identifier: MIT
/*
 * uring/probe: IORING_REGISTER_PROBE, the opcode probe of io_uring_register(2):
 * which opcodes it lists, how ops_len and last_op are filled in, the EINVAL
 * for a buffer that is not zeroed, and what an SQE with an opcode past
 * last_op completes with.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { PROBE_SLOTS = 256 };

/* A zeroed probe buffer with room for nr ops; NULL when out of memory. */
static struct io_uring_probe *probe_alloc(unsigned int nr)
{
	return calloc(1, sizeof(struct io_uring_probe) +
			 nr * sizeof(struct io_uring_probe_op));
}

/* io_uring_register(ring, IORING_REGISTER_PROBE, p, nr): 0 or the errno. */
static int probe_errno(int ring_fd, struct io_uring_probe *p, unsigned int nr)
{
	if (conform_sys_io_uring_register(ring_fd, IORING_REGISTER_PROBE, p, nr) < 0)
		return errno;
	return 0;
}

/* A fresh ring fd for probing (raw setup: no liburing state needed). */
static int probe_ring(void)
{
	struct io_uring_params params;

	memset(&params, 0, sizeof(params));
	return conform_sys_io_uring_setup(4, &params);
}

/* A fresh ring fd, and in *p a zeroed probe buffer with room for nr ops. */
static int ring_and_probe_buf(struct __test_metadata *_metadata,
			      unsigned int nr, struct io_uring_probe **p)
{
	int fd = probe_ring();

	ASSERT_LE(0, fd);
	*p = probe_alloc(nr);
	ASSERT_NE(NULL, *p);
	return fd;
}

/*
 * io_uring_register(2) IORING_REGISTER_PROBE: each ops[] entry of a
 * supported opcode has IO_URING_OP_SUPPORTED set; NOP and READV exist since
 * 5.1, so every kernel with the probe (5.6) lists both.
 */
TEST(probe_lists_nop_and_readv_as_supported)
{
	struct io_uring_probe *p;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PROBE",
			"io_uring_register(2) IORING_REGISTER_PROBE "
			"IO_URING_OP_SUPPORTED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_NOP);
	fd = ring_and_probe_buf(_metadata, PROBE_SLOTS, &p);
	ASSERT_EQ(0, probe_errno(fd, p, PROBE_SLOTS));
	EXPECT_EQ(IO_URING_OP_SUPPORTED,
		  p->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	EXPECT_EQ(IO_URING_OP_SUPPORTED,
		  p->ops[IORING_OP_READV].flags & IO_URING_OP_SUPPORTED);
	free(p);
	close(fd);
}

/*
 * io_uring_register(2) IORING_REGISTER_PROBE: last_op is the highest opcode
 * the kernel knows and ops_len the number of ops[] entries filled in; with
 * room for more entries than opcodes, ops_len is last_op + 1 (since 5.6).
 */
TEST(probe_ops_len_is_last_op_plus_one)
{
	struct io_uring_probe *p;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PROBE",
			"io_uring_register(2) IORING_REGISTER_PROBE last_op "
			"and ops_len");
	CONFORM_REQUIRE_URING_OP(IORING_OP_NOP);
	fd = ring_and_probe_buf(_metadata, PROBE_SLOTS, &p);
	ASSERT_EQ(0, probe_errno(fd, p, PROBE_SLOTS));
	EXPECT_LE(IORING_OP_READV, p->last_op);
	EXPECT_EQ(p->last_op + 1, p->ops_len);
	free(p);
	close(fd);
}

/*
 * io_uring_register(2) IORING_REGISTER_PROBE: nr_args is the size of the
 * ops[] array; the kernel fills in no more than that many entries (ops_len
 * == nr_args) but still reports the full last_op (since 5.6).
 */
TEST(probe_ops_len_limited_to_nr_args)
{
	struct io_uring_probe *p;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PROBE",
			"io_uring_register(2) IORING_REGISTER_PROBE nr_args");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READV);
	fd = ring_and_probe_buf(_metadata, 2, &p);
	ASSERT_EQ(0, probe_errno(fd, p, 2));
	EXPECT_EQ(2, p->ops_len);
	EXPECT_LE(IORING_OP_READV, p->last_op);
	free(p);
	close(fd);
}

/*
 * io_uring_register(2) IORING_REGISTER_PROBE: ops[i].op holds the opcode
 * that entry describes, i.e. i (since 5.6).
 */
TEST(probe_entries_carry_their_opcode)
{
	struct io_uring_probe *p;
	int fd, bad = 0;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PROBE",
			"io_uring_register(2) IORING_REGISTER_PROBE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_NOP);
	fd = ring_and_probe_buf(_metadata, PROBE_SLOTS, &p);
	ASSERT_EQ(0, probe_errno(fd, p, PROBE_SLOTS));
	ASSERT_LT(0, p->ops_len);
	for (unsigned int i = 0; i < p->ops_len; i++) {
		if (p->ops[i].op != i) {
			TH_LOG("ops[%u].op is %u", i, p->ops[i].op);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
	free(p);
	close(fd);
}

/*
 * io_uring_register(2) IORING_REGISTER_PROBE: the probe structure passed in
 * must be zeroed; a non-zero byte in it gives EINVAL (kernel io_probe(),
 * since 5.6).
 */
TEST(probe_with_nonzero_buffer_gets_einval)
{
	struct io_uring_probe *p;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PROBE",
			"io_uring/register.c io_probe()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_NOP);
	fd = ring_and_probe_buf(_metadata, PROBE_SLOTS, &p);
	p->ops[1].resv2 = 1;
	EXPECT_EQ(EINVAL, probe_errno(fd, p, PROBE_SLOTS));
	free(p);
	close(fd);
}

/*
 * io_uring_enter(2) CQE ERRORS: EINVAL when "the flags field or opcode in a
 * submission queue entry is invalid"; an opcode past the probe's last_op is
 * consumed and completes with res -EINVAL. The -EINVAL of an unknown
 * opcode holds since 5.1, but last_op, which this test asserts against,
 * comes from the probe: since 5.6.
 */
TEST(sqe_with_opcode_past_last_op_completes_einval)
{
	struct io_uring_probe *p;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	unsigned int bad_op;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PROBE",
			"io_uring_enter(2) EINVAL invalid opcode; last_op "
			"from IORING_REGISTER_PROBE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_NOP);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	p = probe_alloc(PROBE_SLOTS);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, probe_errno(ring.ring_fd, p, PROBE_SLOTS));
	bad_op = p->last_op + 1u;
	free(p);
	if (bad_op > 255) {
		io_uring_queue_exit(&ring);
		SKIP(return, "last_op is 255: no opcode left past it");
	}
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_nop(sqe);
	sqe->opcode = (__u8)bad_op;
	io_uring_sqe_set_data64(sqe, 7);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(7u, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
