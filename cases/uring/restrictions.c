// SPDX-License-Identifier: MIT
/*
 * uring/restrictions: rings started with IORING_SETUP_R_DISABLED,
 * IORING_REGISTER_RESTRICTIONS and IORING_REGISTER_ENABLE_RINGS: no
 * submission while disabled (EBADFD), restrictions only on a disabled ring
 * and only once, the allowlist of SQE opcodes, SQE flags (allowed and
 * required) and register opcodes enforced with EACCES once enabled, and
 * unrestricted registration while the ring is still disabled. Also: an
 * allowed SQE flag next to one not allowed, required flags counting as
 * allowed but no others, opcodes out of range (EINVAL), and a refused
 * registration leaving the ring free to register again.
 */
#include <liburing.h>

#include "conform_uring.h"

/* A ring of 4 entries created with IORING_SETUP_R_DISABLED. */
static int disabled_ring(struct io_uring *ring)
{
	return io_uring_queue_init(4, ring, IORING_SETUP_R_DISABLED);
}

static struct io_uring_restriction allow_sqe_op(__u8 op)
{
	struct io_uring_restriction r;

	memset(&r, 0, sizeof(r));
	r.opcode = IORING_RESTRICTION_SQE_OP;
	r.sqe_op = op;
	return r;
}

static struct io_uring_restriction sqe_flags(__u16 kind, __u8 flags)
{
	struct io_uring_restriction r;

	memset(&r, 0, sizeof(r));
	r.opcode = kind;
	r.sqe_flags = flags;
	return r;
}

static struct io_uring_restriction allow_register_op(__u8 op)
{
	struct io_uring_restriction r;

	memset(&r, 0, sizeof(r));
	r.opcode = IORING_RESTRICTION_REGISTER_OP;
	r.register_op = op;
	return r;
}

/*
 * io_uring_setup(2) IORING_SETUP_R_DISABLED: "submissions are not allowed";
 * io_uring_enter(2) ERRORS: EBADFD when "the io_uring ring is not in the
 * right state (enabled)" (since 5.10). Once enabled, the same SQE goes.
 */
TEST(disabled_ring_refuses_submission_with_ebadfd)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.10", "IORING_SETUP_R_DISABLED",
			"io_uring_setup(2) IORING_SETUP_R_DISABLED; io_uring_enter(2) ERRORS EBADFD");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, disabled_ring(&ring));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 0xd15a);
	EXPECT_EQ(-EBADFD, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xd15au, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EBADFD when "IORING_REGISTER_RESTRICTIONS
 * was specified, but the io_uring ring is not disabled" (since 5.10).
 */
TEST(restrictions_on_enabled_ring_get_ebadfd)
{
	struct io_uring_restriction r = allow_sqe_op(IORING_OP_NOP);
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_RESTRICTIONS",
			"io_uring_register(2) ERRORS EBADFD: ring not disabled");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	EXPECT_EQ(EBADFD, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EBADFD when "IORING_REGISTER_ENABLE_RINGS
 * ... was specified, but the io_uring ring is not disabled": enabling a
 * second time fails (since 5.10).
 */
TEST(enable_rings_twice_gets_ebadfd)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_ENABLE_RINGS",
			"io_uring_register(2) ERRORS EBADFD: ring not disabled");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(EBADFD, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_RESTRICTIONS: "All the restrictions
 * must be submitted with a single io_uring_register(2) call"; ERRORS: EBUSY
 * when "there were already ... restrictions registered" (since 5.10).
 */
TEST(second_restrictions_registration_gets_ebusy)
{
	struct io_uring_restriction r = allow_sqe_op(IORING_OP_NOP);
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_RESTRICTIONS",
			"io_uring_register(2) ERRORS EBUSY: restrictions already registered");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	EXPECT_EQ(EBUSY, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EINVAL when IORING_REGISTER_RESTRICTIONS'
 * "restriction opcode is invalid"; 200 names no restriction kind
 * (since 5.10).
 */
TEST(unknown_restriction_opcode_gets_einval)
{
	struct io_uring_restriction r = allow_sqe_op(IORING_OP_NOP);
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_RESTRICTIONS",
			"io_uring_register(2) ERRORS EINVAL: restriction opcode invalid");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	r.opcode = 200;
	ASSERT_EQ(0, disabled_ring(&ring));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_RESTRICTIONS: the entries are "an
 * allowlist (opcodes and flags not registered, are not allowed)";
 * io_uring_enter(2) CQE ERRORS: EACCES when the "opcode in a submission
 * queue entry is not allowed due to registered restrictions". With only
 * NOP allowed, an FSYNC completes with -EACCES and a NOP with 0
 * (since 5.10).
 */
TEST(opcode_not_in_allowlist_completes_eacces)
{
	struct io_uring_restriction r = allow_sqe_op(IORING_OP_NOP);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.10", "IORING_RESTRICTION_SQE_OP",
			"io_uring_enter(2) CQE ERRORS EACCES: opcode not allowed");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_fsync(sqe, fd, 0);
	io_uring_sqe_set_data64(sqe, 0xf5);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xf5u, cqe.user_data);
	EXPECT_EQ(-EACCES, cqe.res);
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_ALLOWED: SQE flags not
 * registered as allowed are refused; with no flags allowed, a NOP carrying
 * IOSQE_IO_DRAIN completes with -EACCES (since 5.10).
 */
TEST(sqe_flag_not_allowed_completes_eacces)
{
	struct io_uring_restriction r = allow_sqe_op(IORING_OP_NOP);
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_RESTRICTION_SQE_FLAGS_ALLOWED",
			"io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_ALLOWED");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, IOSQE_IO_DRAIN));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_RESTRICTIONS: an entry can "require
 * certain flags to be specified (these flags must be set on each submission
 * queue entry)"; IORING_RESTRICTION_SQE_FLAGS_REQUIRED with IOSQE_IO_DRAIN
 * refuses a NOP without it (-EACCES) and runs one with it (since 5.10).
 */
TEST(required_sqe_flag_missing_completes_eacces)
{
	struct io_uring_restriction r[2];
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_RESTRICTION_SQE_FLAGS_REQUIRED",
			"io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_REQUIRED");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	r[0] = allow_sqe_op(IORING_OP_NOP);
	r[1] = sqe_flags(IORING_RESTRICTION_SQE_FLAGS_REQUIRED, IOSQE_IO_DRAIN);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, r, 2));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, IOSQE_IO_DRAIN));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EACCES when "The opcode field is not allowed
 * due to registered restrictions": with only IORING_REGISTER_PROBE allowed,
 * IORING_REGISTER_PERSONALITY fails once the ring is enabled (since 5.10).
 */
TEST(register_opcode_not_in_allowlist_gets_eacces)
{
	struct io_uring_restriction r = allow_register_op(IORING_REGISTER_PROBE);
	struct io_uring_probe *probe;
	struct io_uring ring;
	size_t len = sizeof(*probe) + 8 * sizeof(struct io_uring_probe_op);

	CONFORM_DECLARE("5.10", "IORING_RESTRICTION_REGISTER_OP",
			"io_uring_register(2) ERRORS EACCES: opcode not allowed");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	probe = calloc(1, len);
	ASSERT_NE(NULL, probe);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &r, 1));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_PERSONALITY, NULL, 0));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_PROBE, probe, 8));
	io_uring_queue_exit(&ring);
	free(probe);
}

/*
 * io_uring_register(2) IORING_REGISTER_ENABLE_RINGS: "While the io_uring
 * ring is disabled ... registrations are not restricted": with restrictions
 * that allow only IORING_REGISTER_PROBE, IORING_REGISTER_PERSONALITY still
 * works until the ring is enabled, and unregistering it is refused with
 * EACCES after (since 5.10).
 */
TEST(registration_unrestricted_while_disabled)
{
	struct io_uring_restriction r[2];
	struct io_uring ring;
	int id;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_ENABLE_RINGS",
			"io_uring_register(2) IORING_REGISTER_ENABLE_RINGS: registrations not restricted while disabled");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	r[0] = allow_sqe_op(IORING_OP_NOP);
	r[1] = allow_register_op(IORING_REGISTER_PROBE);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, r, 2));
	id = uring_register_raw(&ring, IORING_REGISTER_PERSONALITY, NULL, 0);
	EXPECT_LT(0, id);
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_PERSONALITY, NULL, id));
	EXPECT_EQ(EACCES, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_ALLOWED: the flags
 * listed may be used, any other is refused. With IOSQE_IO_DRAIN allowed, a
 * NOP carrying it completes with 0 and one carrying IOSQE_ASYNC with
 * -EACCES (since 5.10).
 */
TEST(allowed_sqe_flag_runs_and_unlisted_flag_completes_eacces)
{
	struct io_uring_restriction r[2];
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_RESTRICTION_SQE_FLAGS_ALLOWED",
			"io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_ALLOWED");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	r[0] = allow_sqe_op(IORING_OP_NOP);
	r[1] = sqe_flags(IORING_RESTRICTION_SQE_FLAGS_ALLOWED, IOSQE_IO_DRAIN);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, r, 2));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, IOSQE_IO_DRAIN));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, IOSQE_ASYNC));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_REQUIRED: the required
 * flags "must be set on each submission queue entry"; the kernel
 * (io_check_restriction()) lets through the flags that are allowed or
 * required and no others. With IOSQE_IO_DRAIN required and nothing
 * allowed, a NOP carrying IOSQE_IO_DRAIN and IOSQE_ASYNC completes with
 * -EACCES (since 5.10).
 */
TEST(required_flag_with_an_unlisted_flag_completes_eacces)
{
	struct io_uring_restriction r[2];
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_RESTRICTION_SQE_FLAGS_REQUIRED",
			"io_uring_register(2) IORING_RESTRICTION_SQE_FLAGS_REQUIRED; "
			"io_uring/io_uring.c io_check_restriction()");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	r[0] = allow_sqe_op(IORING_OP_NOP);
	r[1] = sqe_flags(IORING_RESTRICTION_SQE_FLAGS_REQUIRED, IOSQE_IO_DRAIN);
	ASSERT_EQ(0, disabled_ring(&ring));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, r, 2));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, IOSQE_IO_DRAIN | IOSQE_ASYNC));
	EXPECT_EQ(0, uring_run_nop(&ring, IOSQE_IO_DRAIN));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EINVAL when a restriction is invalid; the
 * kernel (io_parse_restrictions()) refuses an IORING_RESTRICTION_SQE_OP
 * or IORING_RESTRICTION_REGISTER_OP entry naming an opcode past the last
 * one it knows (255 for both here) (since 5.10).
 */
TEST(opcode_out_of_range_in_restriction_gets_einval)
{
	struct io_uring_restriction sqe_r = allow_sqe_op(255);
	struct io_uring_restriction reg_r = allow_register_op(255);
	struct io_uring ring;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_RESTRICTIONS",
			"io_uring_register(2) ERRORS EINVAL; io_uring/register.c io_parse_restrictions()");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, disabled_ring(&ring));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &sqe_r, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &reg_r, 1));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/register.c io_register_restrictions(): "Reset all restrictions
 * if an error happened": a registration refused with EINVAL leaves none
 * behind, so the next one is accepted (not EBUSY) and is what the enabled
 * ring enforces: only NOP allowed, FSYNC refused (since 5.10).
 */
TEST(refused_restrictions_leave_the_ring_free_to_register)
{
	struct io_uring_restriction bad[2], good = allow_sqe_op(IORING_OP_NOP);
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.10", "IORING_REGISTER_RESTRICTIONS",
			"io_uring/register.c io_register_restrictions(): reset on error");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	bad[0] = allow_sqe_op(IORING_OP_FSYNC);
	bad[1] = allow_sqe_op(IORING_OP_NOP);
	bad[1].opcode = 200;
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, disabled_ring(&ring));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, bad, 2));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_RESTRICTIONS, &good, 1));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_fsync(sqe, fd, 0);
	EXPECT_EQ(-EACCES, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
