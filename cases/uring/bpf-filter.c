// SPDX-License-Identifier: MIT
/*
 * uring/bpf-filter: IORING_REGISTER_BPF_FILTER (7.0), classic BPF programs
 * (struct sock_filter arrays, <linux/filter.h>) attached to one request
 * opcode, run at submission on a struct io_uring_bpf_ctx (user_data,
 * opcode, sqe_flags, pdu_size and per-opcode data): a return of 0 fails the
 * request with -EACCES, anything else lets it run. Covered: the deny and
 * allow results, what the program sees (user_data, opcode, sqe_flags),
 * stacked filters, IO_URING_BPF_FILTER_DENY_REST, the pdu_size check with
 * IO_URING_BPF_FILTER_SZ_STRICT (-EMSGSIZE), programs outside the allowed
 * instruction subset and malformed registrations (-EINVAL), and the
 * task-level filters registered with ring fd -1: their seccomp-like
 * privilege rule (no_new_privs or CAP_SYS_ADMIN, else -EACCES), that they
 * apply to rings the task creates afterwards only, and that fork(2)
 * children inherit them. Sources: io_uring_register_bpf_filter(3)
 * (liburing 2.15), <linux/io_uring/bpf_filter.h>, the kernel's
 * io_uring/bpf_filter.c and io_uring/register.c, and the commits "io_uring:
 * add support for BPF filtering for opcode restrictions", "io_uring:
 * allow registration of per-task restrictions" and "io_uring/bpf_filter:
 * pass in expected filter payload size" (all merged for 7.0).
 * The 6.1 header and liburing 2.3 know none of this: the structures are
 * struct ref_io_uring_bpf* of ref/uapi.h, registered with the raw call.
 */
#include <liburing.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "conform_uring.h"
#include "ref/uapi.h"

/* Where the byte at ctx offset off sits in the 32-bit word a BPF_LD|BPF_W|
 * BPF_ABS at (off & ~3) loads: the load is in host byte order. */
static unsigned int ctx_byte_shift(size_t off)
{
	unsigned int pos = (unsigned int)(off & 3);

	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 8 * pos : 8 * (3 - pos);
}

/* A program of one instruction: return k for every request. */
#define RET_K(k) BPF_STMT(BPF_RET | BPF_K, (k))

static struct sock_filter prog_deny[] = { RET_K(0) };
static struct sock_filter prog_allow[] = { RET_K(1) };

/*
 * Allow when the byte of the context at off, masked with mask, equals val;
 * otherwise deny. prog must have room for 6 instructions; returns 6.
 */
static unsigned int prog_byte_test(struct sock_filter *prog, size_t off,
				   unsigned int mask, unsigned int val)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (unsigned int)(off & ~(size_t)3)),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, ctx_byte_shift(off)),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, mask),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, val, 0, 1),
		RET_K(1),
		RET_K(0),
	};

	memcpy(prog, p, sizeof(p));
	return 6;
}

/* The registration of prog (len instructions) for opcode op with flags. */
static struct ref_io_uring_bpf filter_reg(unsigned int op,
					  struct sock_filter *prog,
					  unsigned int len, unsigned int flags)
{
	struct ref_io_uring_bpf reg;

	memset(&reg, 0, sizeof(reg));
	reg.cmd_type = REF_IO_URING_BPF_CMD_FILTER;
	reg.filter.opcode = op;
	reg.filter.flags = flags;
	reg.filter.filter_len = len;
	reg.filter.filter_ptr = (__u64)(uintptr_t)prog;
	return reg;
}

/* IORING_REGISTER_BPF_FILTER of *reg on ring_fd (-1: the calling task), as
 * the system call returns: 0, or -1 with errno. */
static int register_reg(int ring_fd, struct ref_io_uring_bpf *reg)
{
	return conform_sys_io_uring_register(ring_fd,
					     REF_IORING_REGISTER_BPF_FILTER, reg, 1);
}

/* Register prog for opcode op on ring_fd: 0, or -1 with errno. */
static int register_filter(int ring_fd, unsigned int op,
			   struct sock_filter *prog, unsigned int len,
			   unsigned int flags)
{
	struct ref_io_uring_bpf reg = filter_reg(op, prog, len, flags);

	return register_reg(ring_fd, &reg);
}

/* NULL if a ring takes a filter that allows NOPs; else why not. */
static const char *bpf_filter_missing(void)
{
	struct ref_io_uring_bpf reg = filter_reg(IORING_OP_NOP, prog_allow, 1, 0);

	return uring_register_missing(REF_IORING_REGISTER_BPF_FILTER, &reg, 1,
				      "IORING_REGISTER_BPF_FILTER");
}

#define REQUIRE_BPF_FILTER() CONFORM_REQUIRE(bpf_filter_missing())

/* Run one NOP tagged tag with sqe_flags on ring: its res, as uring_run_nop. */
static int run_nop_tagged(struct io_uring *ring, __u64 tag,
			  unsigned char sqe_flags)
{
	if (!uring_queue_nop(ring, tag, sqe_flags))
		return -EBUSY;
	return uring_submit_res_or_error(ring);
}

/* Run an FSYNC of fd on ring: its res, as uring_run_nop. */
static int run_fsync(struct io_uring *ring, int fd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_fsync(sqe, fd, 0);
	return uring_submit_res_or_error(ring);
}

/*
 * Clear cap from this process's effective set (the test child's only), so
 * that a check of it fails. 0, or -1 with errno.
 */
static int drop_effective_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * Make this test child able to register task-level filters the way an
 * unprivileged program would: set no_new_privs. ASSERTed.
 */
static void set_no_new_privs(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
}

/*
 * io_uring_register_bpf_filter(3): the filter "must return non-zero to
 * allow the operation or zero to deny it (resulting in -EACCES being
 * returned to the application)"; it applies to its opcode only. A filter
 * returning 0 for IORING_OP_NOP: NOPs complete with -EACCES, an FSYNC on
 * the same ring runs (since 7.0).
 */
TEST(deny_filter_fails_its_opcode_with_eacces_only)
{
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"io_uring_register_bpf_filter(3): zero denies, -EACCES");
	REQUIRE_BPF_FILTER();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_EQ(0, register_filter(ring.ring_fd, IORING_OP_NOP, prog_deny, 1, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, 0));
	EXPECT_EQ(0, run_fsync(&ring, fd));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * <linux/io_uring/bpf_filter.h> struct io_uring_bpf_ctx: the program reads
 * the request's user_data. A filter that allows a NOP only when user_data
 * is 0x600d0000600d lets that NOP complete (res 0) and denies one tagged
 * otherwise (-EACCES) (since 7.0).
 */
TEST(filter_sees_user_data)
{
	const __u64 good = 0x600d0000600dULL;
	struct sock_filter prog[4] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct ref_io_uring_bpf_ctx, user_data)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x600d, 0, 1),
		RET_K(1),
		RET_K(0),
	};
	struct io_uring ring;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"linux/io_uring/bpf_filter.h struct io_uring_bpf_ctx user_data");
	REQUIRE_BPF_FILTER();
	/* Both 32-bit halves of good are 0x600d, so the load of the word at
	 * offset 0 sees it whatever the byte order. */
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, register_filter(ring.ring_fd, IORING_OP_NOP, prog, 4, 0));
	EXPECT_EQ(0, run_nop_tagged(&ring, good, 0));
	EXPECT_EQ(-EACCES, run_nop_tagged(&ring, 0xbad0000bad0ULL, 0));
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring/bpf_filter.h> struct io_uring_bpf_ctx: the program reads
 * the request's opcode. On one ring a NOP filter that allows opcode
 * IORING_OP_NOP lets NOPs run; on another one that allows only
 * IORING_OP_FSYNC denies them (since 7.0).
 */
TEST(filter_sees_opcode)
{
	const size_t off = offsetof(struct ref_io_uring_bpf_ctx, opcode);
	struct sock_filter prog[6];
	struct io_uring a, b;
	unsigned int len;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"linux/io_uring/bpf_filter.h struct io_uring_bpf_ctx opcode");
	REQUIRE_BPF_FILTER();
	ASSERT_EQ(0, io_uring_queue_init(4, &a, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, &b, 0));
	len = prog_byte_test(prog, off, 0xff, IORING_OP_NOP);
	ASSERT_EQ(0, register_filter(a.ring_fd, IORING_OP_NOP, prog, len, 0));
	len = prog_byte_test(prog, off, 0xff, IORING_OP_FSYNC);
	ASSERT_EQ(0, register_filter(b.ring_fd, IORING_OP_NOP, prog, len, 0));
	EXPECT_EQ(0, uring_run_nop(&a, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&b, 0));
	io_uring_queue_exit(&a);
	io_uring_queue_exit(&b);
}

/*
 * <linux/io_uring/bpf_filter.h> struct io_uring_bpf_ctx: the program reads
 * the request's sqe_flags. A NOP filter that allows only requests carrying
 * IOSQE_ASYNC denies a plain NOP (-EACCES) and runs one with the flag
 * (since 7.0).
 */
TEST(filter_sees_sqe_flags)
{
	struct sock_filter prog[6];
	struct io_uring ring;
	unsigned int len;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"linux/io_uring/bpf_filter.h struct io_uring_bpf_ctx sqe_flags");
	REQUIRE_BPF_FILTER();
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	len = prog_byte_test(prog, offsetof(struct ref_io_uring_bpf_ctx, sqe_flags),
			     IOSQE_ASYNC, IOSQE_ASYNC);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, register_filter(ring.ring_fd, IORING_OP_NOP, prog, len, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, IOSQE_ASYNC));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/bpf_filter.c: filters registered for the same opcode stack;
 * "The opcode is allowed IFF all filters return 1". An allowing filter and
 * then a denying one for NOP: NOPs fail with -EACCES (since 7.0).
 */
TEST(stacked_filters_must_all_allow)
{
	struct io_uring ring;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"io_uring/bpf_filter.c: allowed iff all filters of the opcode allow");
	REQUIRE_BPF_FILTER();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, register_filter(ring.ring_fd, IORING_OP_NOP, prog_allow, 1, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_EQ(0, register_filter(ring.ring_fd, IORING_OP_NOP, prog_deny, 1, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring/bpf_filter.h> IO_URING_BPF_FILTER_DENY_REST: "any
 * currently unset opcode will have a deny filter attached". An allowing
 * NOP filter registered with it: NOPs run, an FSYNC fails with -EACCES
 * (since 7.0).
 */
TEST(deny_rest_denies_opcodes_without_a_filter)
{
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("7.0", "IO_URING_BPF_FILTER_DENY_REST",
			"linux/io_uring/bpf_filter.h IO_URING_BPF_FILTER_DENY_REST");
	REQUIRE_BPF_FILTER();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(0, run_fsync(&ring, fd));
	ASSERT_EQ(0, register_filter(ring.ring_fd, IORING_OP_NOP, prog_allow, 1,
				     REF_IO_URING_BPF_FILTER_DENY_REST));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	EXPECT_EQ(-EACCES, run_fsync(&ring, fd));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring/bpf_filter.c io_bpf_filter_import(): a filter_len of 0 or a
 * program that is not valid classic BPF (no final return) is refused with
 * EINVAL; io_uring_check_cbpf_filter() allows loads of the context only as
 * 32-bit words at 4-byte-aligned offsets inside it, so a byte load and a
 * word load at offset 2 are refused with EINVAL too (since 7.0).
 */
TEST(program_outside_allowed_subset_gets_einval)
{
	struct sock_filter byte_load[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 8),
		RET_K(1),
	};
	struct sock_filter misaligned[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		RET_K(1),
	};
	struct sock_filter beyond[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, sizeof(struct ref_io_uring_bpf_ctx)),
		RET_K(1),
	};
	struct sock_filter no_return[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	struct io_uring ring;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"io_uring/bpf_filter.c io_bpf_filter_import(), io_uring_check_cbpf_filter()");
	REQUIRE_BPF_FILTER();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, register_filter(ring.ring_fd, IORING_OP_NOP, prog_allow, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, register_filter(ring.ring_fd, IORING_OP_NOP, no_return, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, register_filter(ring.ring_fd, IORING_OP_NOP, byte_load, 2, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, register_filter(ring.ring_fd, IORING_OP_NOP, misaligned, 2, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, register_filter(ring.ring_fd, IORING_OP_NOP, beyond, 2, 0));
	EXPECT_EQ(EINVAL, errno);
	/* None of them was installed: NOPs still run. */
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/bpf_filter.c io_bpf_filter_import() and io_uring/register.c:
 * EINVAL for a cmd_type other than IO_URING_BPF_CMD_FILTER, non-zero
 * cmd_flags, resv, filter.resv or filter.resv2, an unknown filter flag, an
 * opcode past the last one, and nr_args other than 1 (since 7.0).
 */
TEST(malformed_registration_gets_einval)
{
	struct ref_io_uring_bpf reg;
	struct io_uring ring;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"io_uring/bpf_filter.c io_bpf_filter_import() EINVAL");
	REQUIRE_BPF_FILTER();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0);
	reg.cmd_type = 0;
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);
	reg.cmd_type = REF_IO_URING_BPF_CMD_FILTER + 1;
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0);
	reg.cmd_flags = 1;
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0);
	reg.resv = 1;
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0);
	reg.filter.resv[0] = 1;
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0);
	reg.filter.resv2[4] = 1;
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0x80);
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(255, prog_deny, 1, 0);
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EINVAL, errno);

	reg = filter_reg(IORING_OP_NOP, prog_deny, 1, 0);
	EXPECT_EQ(-1, conform_sys_io_uring_register(ring.ring_fd,
						    REF_IORING_REGISTER_BPF_FILTER,
						    &reg, 2));
	EXPECT_EQ(EINVAL, errno);

	/* Nothing was installed: NOPs still run. */
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_bpf_filter(3) pdu_size, IO_URING_BPF_FILTER_SZ_STRICT
 * (<linux/io_uring/bpf_filter.h>: "if kernel and application don't agree
 * on pdu_size for the given opcode, fail the registration"): commit
 * "io_uring/bpf_filter: pass in expected filter payload size" fails such a
 * registration with EMSGSIZE, fails one whose pdu_size is larger than the
 * kernel's even without the flag, and writes the kernel's size back into
 * pdu_size. IORING_OP_SOCKET's payload is the socket member of struct
 * io_uring_bpf_ctx (family, type, protocol); a smaller size without the
 * flag is accepted (since 7.0).
 */
TEST(pdu_size_mismatch_gets_emsgsize_and_the_kernel_size)
{
	const unsigned int socket_pdu =
		sizeof(((struct ref_io_uring_bpf_ctx *)0)->socket);
	struct ref_io_uring_bpf reg;
	struct io_uring ring;

	CONFORM_DECLARE("7.0", "IO_URING_BPF_FILTER_SZ_STRICT",
			"linux/io_uring/bpf_filter.h IO_URING_BPF_FILTER_SZ_STRICT; "
			"commit io_uring/bpf_filter: pass in expected filter payload size");
	REQUIRE_BPF_FILTER();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));

	reg = filter_reg(IORING_OP_SOCKET, prog_allow, 1,
			 REF_IO_URING_BPF_FILTER_SZ_STRICT);
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(socket_pdu, reg.filter.pdu_size);

	reg = filter_reg(IORING_OP_SOCKET, prog_allow, 1, 0);
	reg.filter.pdu_size = (__u8)(socket_pdu + 8);
	EXPECT_EQ(-1, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(socket_pdu, reg.filter.pdu_size);

	reg = filter_reg(IORING_OP_SOCKET, prog_allow, 1, 0);
	EXPECT_EQ(0, register_reg(ring.ring_fd, &reg));
	EXPECT_EQ(socket_pdu, reg.filter.pdu_size);

	reg = filter_reg(IORING_OP_SOCKET, prog_allow, 1,
			 REF_IO_URING_BPF_FILTER_SZ_STRICT);
	reg.filter.pdu_size = (__u8)socket_pdu;
	EXPECT_EQ(0, register_reg(ring.ring_fd, &reg));
	io_uring_queue_exit(&ring);
}

/*
 * Commit "io_uring: allow registration of per-task restrictions" (7.0):
 * with ring fd -1 the filter is the calling task's, and "similar to
 * seccomp", registering it needs no_new_privs or CAP_SYS_ADMIN, else
 * EACCES. Without CAP_SYS_ADMIN in the effective set the call fails with
 * EACCES; after prctl(PR_SET_NO_NEW_PRIVS) it succeeds.
 */
TEST(task_filter_needs_no_new_privs_or_cap_sys_admin)
{
	struct ref_io_uring_bpf reg = filter_reg(IORING_OP_NOP, prog_allow, 1, 0);

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"commit io_uring: allow registration of per-task restrictions: "
			"no_new_privs or CAP_SYS_ADMIN, else EACCES");
	REQUIRE_BPF_FILTER();
	ASSERT_EQ(0, drop_effective_cap(CAP_SYS_ADMIN));
	EXPECT_EQ(-1, register_reg(-1, &reg));
	EXPECT_EQ(EACCES, errno);
	set_no_new_privs(_metadata);
	EXPECT_EQ(0, register_reg(-1, &reg));
}

/*
 * io_uring_register_bpf_filter(3): a task filter "applies to all io_uring
 * rings created by the task after the filter is registered ... Rings that
 * were created before the filter was registered are not affected". A NOP
 * deny filter for the task: NOPs fail with -EACCES on a ring made after it
 * and run on one made before (since 7.0).
 */
TEST(task_filter_applies_to_rings_created_after_it)
{
	struct io_uring before, after;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"io_uring_register_bpf_filter(3) io_uring_register_bpf_filter_task");
	REQUIRE_BPF_FILTER();
	set_no_new_privs(_metadata);
	ASSERT_EQ(0, io_uring_queue_init(4, &before, 0));
	ASSERT_EQ(0, register_filter(-1, IORING_OP_NOP, prog_deny, 1, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, &after, 0));
	EXPECT_EQ(-EACCES, uring_run_nop(&after, 0));
	EXPECT_EQ(0, uring_run_nop(&before, 0));
	io_uring_queue_exit(&before);
	io_uring_queue_exit(&after);
}

/*
 * io_uring_register_bpf_filter(3): a task filter "is inherited by child
 * processes created via fork(2)". After a NOP deny filter for the task, a
 * child makes a ring: its NOP completes with -EACCES, which the child
 * reports by its exit status (since 7.0).
 */
TEST(task_filter_is_inherited_across_fork)
{
	int status;
	pid_t pid;

	CONFORM_DECLARE("7.0", "IORING_REGISTER_BPF_FILTER",
			"io_uring_register_bpf_filter(3): inherited by fork(2) children");
	REQUIRE_BPF_FILTER();
	set_no_new_privs(_metadata);
	ASSERT_EQ(0, register_filter(-1, IORING_OP_NOP, prog_deny, 1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring ring;
		int res;

		if (io_uring_queue_init(4, &ring, 0))
			_exit(2);
		res = uring_run_nop(&ring, 0);
		io_uring_queue_exit(&ring);
		_exit(res == -EACCES ? 0 : res == 0 ? 1 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 1 = its NOP ran, 2 = no ring, 3 = other result");
}

TEST_HARNESS_MAIN
