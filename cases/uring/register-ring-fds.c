// SPDX-License-Identifier: MIT
/*
 * uring/register-ring-fds: IORING_REGISTER_RING_FDS /
 * IORING_UNREGISTER_RING_FDS and IORING_ENTER_REGISTERED_RING as the kernel
 * sees them: offset -1 picks a free slot, a table of 16 slots per task,
 * entering through a slot (also after the ring fd is closed), the per-task
 * nature of the table, the error cases, and (since 6.3) io_uring_register(2)
 * through a registered ring with IORING_REGISTER_USE_REGISTERED_RING.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

/* IO_RINGFD_REG_MAX in the kernel; "currently limited to 16" (man page). */
enum { RING_SLOTS = 16 };

/* Register ring_fd at offset off (-1U: any); the syscall's result. */
static int reg_ring(int ring_fd, unsigned int off, unsigned int *got)
{
	struct io_uring_rsrc_update up;
	int ret;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.data = (__u64)ring_fd;
	ret = conform_sys_io_uring_register(ring_fd, IORING_REGISTER_RING_FDS,
					    &up, 1);
	if (got)
		*got = up.offset;
	return ret;
}

static int unreg_ring(int ring_fd, unsigned int off)
{
	struct io_uring_rsrc_update up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	return conform_sys_io_uring_register(ring_fd, IORING_UNREGISTER_RING_FDS,
					     &up, 1);
}

/* NULL if IORING_REGISTER_RING_FDS works; else why not. */
static const char *ring_fds_missing(void)
{
	struct io_uring ring;
	const char *why = conform_uring_unavailable();
	unsigned int off;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	if (reg_ring(ring.ring_fd, -1U, &off) == 1)
		unreg_ring(ring.ring_fd, off);
	else
		why = errno == EINVAL ?
		      "IORING_REGISTER_RING_FDS: EINVAL (opcode unknown)" :
		      "IORING_REGISTER_RING_FDS failed";
	io_uring_queue_exit(&ring);
	return why;
}

#define REQUIRE_RING_FDS() CONFORM_REQUIRE(ring_fds_missing())

/*
 * io_uring_register(2) IORING_REGISTER_RING_FDS: with offset -1 "upon
 * successful return of this system call, the field will contain the value
 * of the registered file descriptor"; the call returns the number of
 * entries registered, 1, and the slot is below 16 (since 5.18).
 */
TEST(offset_minus_one_picks_a_slot)
{
	struct io_uring ring;
	unsigned int off = 0xdead;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register(2) IORING_REGISTER_RING_FDS: offset -1");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(1, reg_ring(ring.ring_fd, -1U, &off));
	EXPECT_GT(RING_SLOTS, off);
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, off));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_REGISTERED_RING: "the ring_fd passed in is
 * the registered ring offset rather than a normal file descriptor"; a NOP
 * is submitted and waited for through the slot (since 5.18).
 */
TEST(enter_through_registered_slot_submits)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	unsigned int off;

	CONFORM_DECLARE("5.18", "IORING_ENTER_REGISTERED_RING",
			"io_uring_enter(2) IORING_ENTER_REGISTERED_RING");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, -1U, &off));
	uring_publish_nop(&ring, 0x5107);
	EXPECT_EQ(1, uring_sys_enter(off, 1, 1, IORING_ENTER_GETEVENTS |
					     IORING_ENTER_REGISTERED_RING));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x5107u, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, off));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_RING_FDS: registration "isn't done
 * [undone] automatically on ring exit": the slot holds its own reference,
 * so the ring keeps working through it after its only fd is closed
 * (since 5.18). The table belongs to the task, so another ring's fd serves
 * to unregister the slot.
 */
TEST(registered_slot_works_after_ring_fd_closed)
{
	struct io_uring ring, other;
	struct io_uring_cqe *cqe;
	unsigned int off;

	CONFORM_DECLARE("5.18", "IORING_ENTER_REGISTERED_RING",
			"io_uring_register(2) IORING_UNREGISTER_RING_FDS: not undone on ring exit");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &other, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 7, &off));
	EXPECT_EQ(7u, off);
	ASSERT_EQ(0, close(ring.ring_fd));
	ring.ring_fd = -1;
	uring_publish_nop(&ring, 0xc105ed);
	EXPECT_EQ(1, uring_sys_enter(off, 1, 1, IORING_ENTER_GETEVENTS |
					     IORING_ENTER_REGISTERED_RING));
	/* The wait for 1 CQE returned: it is in the ring. */
	ASSERT_EQ(0, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(0xc105edu, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	EXPECT_EQ(1, unreg_ring(other.ring_fd, off));
	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&other);
}

/*
 * io_uring_enter(2) ERRORS: EBADF, "fd is not a valid file descriptor":
 * with IORING_ENTER_REGISTERED_RING, a slot below 16 that holds no ring
 * (since 5.18).
 */
TEST(enter_through_empty_slot_gets_ebadf)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.18", "IORING_ENTER_REGISTERED_RING",
			"io_uring_enter(2) ERRORS EBADF");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 3, NULL));
	EXPECT_EQ(-1, uring_sys_enter(4, 0, 0, IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, 3));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_uring_enter() (since 5.18): with IORING_ENTER_REGISTERED_RING a
 * ring index at or above the table size (16, io_uring_register(2)) is
 * invalid, EINVAL.
 */
TEST(enter_with_index_past_table_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.18", "IORING_ENTER_REGISTERED_RING",
			"io_uring_enter(): index at or above IO_RINGFD_REG_MAX is EINVAL");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 0, NULL));
	EXPECT_EQ(-1, uring_sys_enter(RING_SLOTS, 0, 0,
				      IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_RING_FDS: "The maximum number of
 * supported registered ring descriptors is currently limited to 16"; with
 * all 16 slots taken, offset -1 finds none and the call fails with EBUSY
 * (kernel io_ring_add_registered_fd(), since 5.18).
 */
TEST(seventeenth_registration_gets_ebusy)
{
	struct io_uring ring;
	unsigned int off;
	int i, n = 0;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register(2) IORING_REGISTER_RING_FDS: limited to 16; io_ring_add_registered_fd() EBUSY");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	for (i = 0; i < RING_SLOTS; i++)
		n += reg_ring(ring.ring_fd, -1U, &off) == 1;
	EXPECT_EQ(RING_SLOTS, n);
	EXPECT_EQ(-1, reg_ring(ring.ring_fd, -1U, &off));
	EXPECT_EQ(EBUSY, errno);
	for (i = 0; i < RING_SLOTS; i++)
		EXPECT_EQ(1, unreg_ring(ring.ring_fd, i));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_ring_add_registered_fd() (since 5.18): an explicit offset that
 * already holds a ring is refused with EBUSY.
 */
TEST(explicit_offset_in_use_gets_ebusy)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_ring_add_registered_fd(): offset in use is EBUSY");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 2, NULL));
	EXPECT_EQ(-1, reg_ring(ring.ring_fd, 2, NULL));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, 2));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_RING_FDS: "Only the offset field
 * should be set"; kernel io_ringfd_unregister() refuses a nonzero data
 * with EINVAL and leaves the slot registered (since 5.18).
 */
TEST(unregister_with_nonzero_data_gets_einval)
{
	struct io_uring_rsrc_update up;
	struct io_uring ring;

	CONFORM_DECLARE("5.18", "IORING_UNREGISTER_RING_FDS",
			"io_uring_register(2) IORING_UNREGISTER_RING_FDS: only offset set; io_ringfd_unregister() EINVAL");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 5, NULL));
	memset(&up, 0, sizeof(up));
	up.offset = 5;
	up.data = (__u64)ring.ring_fd;
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_RING_FDS, &up, 1));
	EXPECT_EQ(EINVAL, errno);
	/* Still registered: entering through it works. */
	EXPECT_EQ(0, uring_sys_enter(5, 0, 0, IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, 5));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_RING_FDS: "The data field ... must
 * point to an io_uring file descriptor"; a pipe is refused with EOPNOTSUPP
 * (kernel io_ring_add_registered_fd(), since 5.18).
 */
TEST(register_non_ring_fd_gets_eopnotsupp)
{
	struct io_uring_rsrc_update up;
	struct io_uring ring;
	int pfd[2];

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_ring_add_registered_fd(): a non-io_uring fd is EOPNOTSUPP");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&up, 0, sizeof(up));
	up.offset = -1U;
	up.data = (__u64)pfd[0];
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_RING_FDS, &up, 1));
	EXPECT_EQ(EOPNOTSUPP, errno);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

struct other_task {
	int ring_fd;
	int own_reg, own_enter, own_unreg;
	int enter_ret, enter_err;
};

static void *other_task_main(void *arg)
{
	struct other_task *t = arg;

	/* This thread registers the ring in slot 12 of its own table... */
	t->own_reg = reg_ring(t->ring_fd, 12, NULL);
	t->own_enter = uring_sys_enter(12, 0, 0, IORING_ENTER_REGISTERED_RING);
	/* ...and does not see the main thread's slot 9. */
	t->enter_ret = uring_sys_enter(9, 0, 0, IORING_ENTER_REGISTERED_RING);
	t->enter_err = errno;
	t->own_unreg = unreg_ring(t->ring_fd, 12);
	return NULL;
}

/*
 * io_uring_register(2) IORING_REGISTER_RING_FDS: "Each thread or process
 * using a ring must register the file descriptor directly": the table is
 * per task, so in another thread that registered a slot of its own, the
 * main thread's slot is empty, EBADF (since 5.18).
 */
TEST(slot_is_private_to_registering_thread)
{
	struct other_task t = { 0 };
	struct io_uring ring;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register(2) IORING_REGISTER_RING_FDS: each thread registers its own");
	REQUIRE_RING_FDS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 9, NULL));
	t.ring_fd = ring.ring_fd;
	ASSERT_EQ(0, uring_run_in_thread(other_task_main, &t));
	EXPECT_EQ(1, t.own_reg);
	EXPECT_EQ(0, t.own_enter);
	EXPECT_EQ(-1, t.enter_ret);
	EXPECT_EQ(EBADF, t.enter_err);
	EXPECT_EQ(1, t.own_unreg);
	/* The registering thread still has its slot. */
	EXPECT_EQ(0, uring_sys_enter(9, 0, 0, IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(1, unreg_ring(ring.ring_fd, 9));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_USE_REGISTERED_RING (since 6.3,
 * IORING_FEAT_REG_REG_RING): with the flag ORed into the opcode, fd is a
 * registered ring index; unregistering the slot through itself works and
 * returns 1.
 */
TEST(register_through_registered_ring_index)
{
	struct io_uring_rsrc_update up;
	struct io_uring ring;

	CONFORM_DECLARE("6.3", "IORING_REGISTER_USE_REGISTERED_RING",
			"io_uring_register(2) IORING_REGISTER_USE_REGISTERED_RING (IORING_FEAT_REG_REG_RING)");
	REQUIRE_RING_FDS();
	CONFORM_REQUIRE_URING_FEATURE(REF_IORING_FEAT_REG_REG_RING);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, reg_ring(ring.ring_fd, 11, NULL));
	memset(&up, 0, sizeof(up));
	up.offset = 11;
	EXPECT_EQ(1, (int)syscall(__NR_io_uring_register, 11,
				  IORING_UNREGISTER_RING_FDS |
				  REF_IORING_REGISTER_USE_REGISTERED_RING, &up, 1));
	/* The slot is empty now. */
	EXPECT_EQ(-1, uring_sys_enter(11, 0, 0, IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(EBADF, errno);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
