// SPDX-License-Identifier: MIT
/*
 * uring/msg-ring: IORING_OP_MSG_RING, one ring posting a CQE on another
 * (5.18): the target CQE carries the SQE's len as res and off as user_data,
 * the sender gets its own CQE with res 0, a ring may message itself, and
 * the errors (a target that is no ring, unknown command, CQE_SKIP on a data
 * message). Also IORING_MSG_SEND_FD (6.0), passing a fixed file from one
 * ring's table to another's. Also IORING_MSG_RING_FLAGS_PASS (6.3: the
 * target CQE's flags are the SQE's file_index; ignored by a SEND_FD),
 * msg_ring_flags and file_index the kernel refuses, a target whose CQ ring
 * is full (the message waits in its overflow list) and a target with
 * IORING_SETUP_DEFER_TASKRUN messaged from another thread's ring.
 * Sources: io_uring_enter(2) IORING_OP_MSG_RING, io_uring_prep_msg_ring(3),
 * <linux/io_uring.h> and the kernel's io_uring/msg_ring.c.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

/* Queue a MSG_RING data message to target_fd on ring, tagged tag. */
static struct io_uring_sqe *queue_msg(struct io_uring *ring, int target_fd,
				      unsigned int len, __u64 data, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (sqe) {
		io_uring_prep_msg_ring(sqe, target_fd, len, data, 0);
		io_uring_sqe_set_data64(sqe, tag);
	}
	return sqe;
}

/* Two 4-entry rings, a sender src and a target dst. */
static void two_rings(struct __test_metadata *_metadata, struct io_uring *src,
		      struct io_uring *dst)
{
	ASSERT_EQ(0, io_uring_queue_init(4, src, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, dst, 0));
}

/* Submit the message queued on src: it fails -EINVAL and dst gets no CQE. */
static void expect_message_refused(struct __test_metadata *_metadata,
				   struct io_uring *src, struct io_uring *dst)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(1, io_uring_submit(src));
	ASSERT_EQ(0, uring_reap_one(src, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(dst));
}

/*
 * io_uring_enter(2) IORING_OP_MSG_RING: "On the target ring, a CQE will be
 * posted with the res field matching the len set, and a user_data field
 * matching the off value" (since 5.18).
 */
TEST(target_ring_gets_cqe_with_len_as_res_and_off_as_user_data)
{
	struct io_uring src, dst;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring_enter(2) IORING_OP_MSG_RING");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, queue_msg(&src, dst.ring_fd, 0x5a5a1234u,
				  0x1122334455667788ULL, 1));
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
	EXPECT_EQ(0x1122334455667788ULL, cqe.user_data);
	EXPECT_EQ(0x5a5a1234, cqe.res);
	EXPECT_EQ(0, cqe.flags);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * io_uring_prep_msg_ring(3): the request itself completes on the sending
 * ring like any other, res 0 on success, with its own user_data; the
 * message CQE does not appear there (since 5.18).
 */
TEST(sender_gets_own_cqe_with_res_zero_and_no_message)
{
	struct io_uring src, dst;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring_prep_msg_ring(3)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, queue_msg(&src, dst.ring_fd, 9, 0xabc, 0x51));
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&src, &cqe));
	EXPECT_EQ(0x51, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&src));
	ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
	EXPECT_EQ(0xabc, cqe.user_data);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * io_uring_prep_msg_ring(3): "The targeted ring may be any ring that the
 * user has access to, even the ring itself" (since 5.18): a ring messaging
 * itself gets two CQEs, the request's (res 0) and the message (res = len).
 */
TEST(ring_may_message_itself)
{
	const __u64 tags[2] = { 0x77, 0xdead0001 };
	struct io_uring ring;
	int res[2] = { 1, 1 };

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring_prep_msg_ring(3) even the ring itself");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_msg(&ring, ring.ring_fd, 42, tags[1], tags[0]));
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(42, res[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_msg_ring(3) ERRORS: "-EBADFD The descriptor passed in fd
 * does not refer to an io_uring file descriptor" (since 5.18). A pipe.
 */
TEST(target_that_is_not_a_ring_gets_ebadfd)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int pfd[2];

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring_prep_msg_ring(3) -EBADFD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_msg(&ring, pfd[1], 1, 2, 3));
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-EBADFD, cqe.res);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring_prep_msg_ring(3) ERRORS: "-EINVAL One of the fields set in the
 * SQE was invalid". The command is in sqe->addr: IORING_MSG_DATA (0) and,
 * since 6.0, IORING_MSG_SEND_FD (1); 5.18 and 5.19 require addr 0. An
 * unknown command (99) fails with -EINVAL on every kernel, and no CQE
 * reaches the target.
 */
TEST(unknown_command_gets_einval_and_posts_nothing)
{
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring_prep_msg_ring(3) -EINVAL; "
			"io_uring/msg_ring.c");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, sqe = queue_msg(&src, dst.ring_fd, 1, 2, 3));
	sqe->addr = 99;
	expect_message_refused(_metadata, &src, &dst);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * <linux/io_uring.h>: IORING_MSG_RING_CQE_SKIP, "Don't post a CQE to the
 * target ring. Not applicable for IORING_MSG_DATA" (flag since 6.0; on 5.18
 * and 5.19 any msg_ring_flags bit is refused). A data message with it fails
 * with -EINVAL.
 */
TEST(data_message_with_cqe_skip_gets_einval)
{
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"linux/io_uring.h IORING_MSG_RING_CQE_SKIP not for "
			"IORING_MSG_DATA; 5.18-5.19 refuse any flag");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, sqe = queue_msg(&src, dst.ring_fd, 1, 2, 3));
	sqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
	expect_message_refused(_metadata, &src, &dst);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * Prepare an IORING_MSG_SEND_FD: the file in src_slot of the sending ring's
 * table goes into dst_slot of the target's table. Fields as in
 * <linux/io_uring.h> and io_uring/msg_ring.c: addr is the command, addr3
 * the source slot, file_index the target slot plus one, off the user_data
 * of the target's CQE. len stays 0: 6.0 and 6.1 copy len into the target's
 * res, later kernels refuse a non-zero len (-EINVAL) and put the install
 * result there, which is 0 for a chosen slot, so both post res 0.
 */
static void prep_send_fd(struct io_uring_sqe *sqe, int target_fd,
			 unsigned int src_slot, unsigned int dst_slot,
			 __u64 data)
{
	io_uring_prep_msg_ring(sqe, target_fd, 0, data, 0);
	sqe->addr = IORING_MSG_SEND_FD;
	sqe->addr3 = src_slot;
	sqe->file_index = dst_slot + 1;
}

/* A pipe, and two rings: src with the write end in slot 0, dst with sparse[nr]. */
static void send_fd_rings(struct __test_metadata *_metadata, int pfd[2],
			  struct io_uring *src, struct io_uring *dst,
			  int *sparse, unsigned int nr)
{
	ASSERT_EQ(0, conform_pipe(pfd));
	two_rings(_metadata, src, dst);
	ASSERT_EQ(0, io_uring_register_files(src, &pfd[1], 1));
	ASSERT_EQ(0, io_uring_register_files(dst, sparse, nr));
}

/* Write the one byte at byte through fixed-file slot of ring; the CQE res. */
static int write_through_slot(struct __test_metadata *_metadata,
			      struct io_uring *ring, int slot,
			      const char *byte)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_write(sqe, slot, byte, 1, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_one(ring, &cqe));
	return cqe.res;
}

/*
 * <linux/io_uring.h> IORING_MSG_SEND_FD: "send a registered fd to another
 * ring" (since 6.0). The target gets the file in the chosen slot and a CQE
 * with res 0 and user_data = off; the sender's CQE has res 0. Checked by
 * writing through the target's slot into a pipe.
 */
TEST(send_fd_installs_fixed_file_in_target_slot)
{
	int pfd[2], sparse[2] = { -1, -1 };
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char c = 0;

	CONFORM_DECLARE("6.0", "IORING_MSG_SEND_FD",
			"linux/io_uring.h IORING_MSG_SEND_FD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	send_fd_rings(_metadata, pfd, &src, &dst, sparse, 2);

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&src));
	prep_send_fd(sqe, dst.ring_fd, 0, 1, 0xf00d);
	io_uring_sqe_set_data64(sqe, 5);
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&src, &cqe));
	if (cqe.res == -EINVAL)
		SKIP(goto out, "IORING_MSG_SEND_FD gets -EINVAL: command unknown (5.18/5.19)");
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
	EXPECT_EQ(0xf00d, cqe.user_data);
	EXPECT_EQ(0, cqe.res);

	EXPECT_EQ(1, write_through_slot(_metadata, &dst, 1, "m"));
	ASSERT_EQ(1, read(pfd[0], &c, 1));
	EXPECT_EQ('m', c);
out:
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * <linux/io_uring.h> IORING_MSG_RING_CQE_SKIP: "Don't post a CQE to the
 * target ring" (since 6.0): with it, IORING_MSG_SEND_FD still installs the
 * file but the target's CQ stays empty.
 */
TEST(send_fd_with_cqe_skip_posts_no_target_cqe)
{
	int pfd[2], sparse[1] = { -1 };
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.0", "IORING_MSG_RING_CQE_SKIP",
			"linux/io_uring.h IORING_MSG_RING_CQE_SKIP");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	send_fd_rings(_metadata, pfd, &src, &dst, sparse, 1);

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&src));
	prep_send_fd(sqe, dst.ring_fd, 0, 0, 4);
	sqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&src, &cqe));
	if (cqe.res == -EINVAL)
		SKIP(goto out, "IORING_MSG_SEND_FD with CQE_SKIP gets -EINVAL: unknown (5.18/5.19)");
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&dst));

	/* The file did arrive: the slot is usable. */
	EXPECT_EQ(1, write_through_slot(_metadata, &dst, 0, "k"));
out:
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * <linux/io_uring.h> IORING_MSG_RING_FLAGS_PASS: "Pass through the flags
 * from sqe->file_index to cqe->flags" (since 6.3; 6.1 refuses the flag
 * with -EINVAL). A data message with it: the target CQE carries res = len,
 * user_data = off and flags = the file_index value.
 */
TEST(flags_pass_puts_file_index_in_target_cqe_flags)
{
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.3", "IORING_MSG_RING_FLAGS_PASS",
			"linux/io_uring.h IORING_MSG_RING_FLAGS_PASS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, sqe = queue_msg(&src, dst.ring_fd, 7, 0x77, 0x10));
	sqe->msg_ring_flags = REF_IORING_MSG_RING_FLAGS_PASS;
	sqe->file_index = 0x12340000u;
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&src, &cqe));
	if (cqe.res == -EINVAL)
		SKIP(goto out, "IORING_MSG_RING_FLAGS_PASS: a data message with it gets -EINVAL (flag unknown)");
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
	EXPECT_EQ(0x77u, cqe.user_data);
	EXPECT_EQ(7, cqe.res);
	EXPECT_EQ(0x12340000u, cqe.flags);
out:
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * io_uring/msg_ring.c: IORING_MSG_RING_FLAGS_PASS applies to
 * IORING_MSG_DATA only; io_msg_send_fd() reads file_index as the target
 * slot whatever the flag, so a SEND_FD with it is not refused: the file is
 * installed and the target CQE has flags 0 (since 6.3, the first kernel
 * that accepts the flag at all).
 */
TEST(flags_pass_with_send_fd_still_installs_with_flags_zero)
{
	int pfd[2], sparse[2] = { -1, -1 };
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.3", "IORING_MSG_RING_FLAGS_PASS",
			"io_uring/msg_ring.c io_msg_send_fd(): FLAGS_PASS only for IORING_MSG_DATA");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	send_fd_rings(_metadata, pfd, &src, &dst, sparse, 2);

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&src));
	prep_send_fd(sqe, dst.ring_fd, 0, 1, 0xfa55);
	sqe->msg_ring_flags = REF_IORING_MSG_RING_FLAGS_PASS;
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&src, &cqe));
	if (cqe.res == -EINVAL)
		SKIP(goto out, "IORING_MSG_SEND_FD with IORING_MSG_RING_FLAGS_PASS gets -EINVAL: a flag or the command unknown (before 6.3)");
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
	EXPECT_EQ(0xfa55u, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0u, cqe.flags);
	EXPECT_EQ(1, write_through_slot(_metadata, &dst, 1, "p"));
out:
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring_prep_msg_ring(3) ERRORS: "-EINVAL One of the fields set in the
 * SQE was invalid": io_msg_ring_prep() refuses msg_ring_flags bits it does
 * not know (bit 7 here); 5.18 and 5.19 refuse any. No CQE reaches the
 * target (since 5.18).
 */
TEST(unknown_msg_ring_flag_gets_einval)
{
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring_prep_msg_ring(3) -EINVAL; io_uring/msg_ring.c io_msg_ring_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, sqe = queue_msg(&src, dst.ring_fd, 1, 2, 3));
	sqe->msg_ring_flags = 1u << 7;
	expect_message_refused(_metadata, &src, &dst);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * io_uring/msg_ring.c io_msg_ring_data(): a data message uses file_index
 * only with IORING_MSG_RING_FLAGS_PASS; without the flag a non-zero
 * file_index is refused with -EINVAL and nothing is posted (since 5.18,
 * whose prep refuses the field outright).
 */
TEST(data_message_with_file_index_but_no_flags_pass_gets_einval)
{
	struct io_uring src, dst;
	struct io_uring_sqe *sqe;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring/msg_ring.c io_msg_ring_data(): file_index only with FLAGS_PASS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	two_rings(_metadata, &src, &dst);
	ASSERT_NE(NULL, sqe = queue_msg(&src, dst.ring_fd, 1, 2, 3));
	sqe->file_index = 5;
	expect_message_refused(_metadata, &src, &dst);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/*
 * io_uring/msg_ring.c posts the message CQE with overflow allowed
 * (io_post_aux_cqe()), and io_uring_setup(2) IORING_FEAT_NODROP keeps
 * overflowed CQEs: a message to a ring whose CQ ring is full succeeds for
 * the sender (res 0), the target shows IORING_SQ_CQ_OVERFLOW, and once the
 * CQEs before it are reaped the message arrives intact (since 5.18).
 */
TEST(message_to_full_cq_ring_waits_in_overflow)
{
	const __u64 tags[2] = { 0xf1, 0xf2 };
	struct io_uring src, dst;
	struct io_uring_cqe cqe;
	unsigned int cq;

	CONFORM_DECLARE("5.18", "IORING_OP_MSG_RING",
			"io_uring/msg_ring.c io_post_aux_cqe() with overflow; "
			"io_uring_setup(2) IORING_FEAT_NODROP");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	ASSERT_EQ(0, io_uring_queue_init(4, &src, 0));
	ASSERT_EQ(0, io_uring_queue_init(1, &dst, 0));
	cq = *dst.cq.kring_entries;
	ASSERT_EQ(2u, cq);
	for (unsigned int i = 0; i < cq; i++) {
		ASSERT_NE(NULL, uring_queue_nop(&dst, tags[i], 0));
		ASSERT_EQ(1, io_uring_submit(&dst));
	}
	ASSERT_EQ(cq, io_uring_cq_ready(&dst));

	ASSERT_NE(NULL, queue_msg(&src, dst.ring_fd, 99, 0xfeed, 0x5e));
	ASSERT_EQ(1, io_uring_submit(&src));
	ASSERT_EQ(0, uring_reap_one(&src, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ((unsigned int)IORING_SQ_CQ_OVERFLOW,
		  __atomic_load_n(dst.sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(cq, io_uring_cq_ready(&dst));

	for (unsigned int i = 0; i < cq; i++) {
		ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
		EXPECT_EQ(tags[i], cqe.user_data);
	}
	ASSERT_EQ(0, uring_reap_one(&dst, &cqe));
	EXPECT_EQ(0xfeedu, cqe.user_data);
	EXPECT_EQ(99, cqe.res);
	EXPECT_EQ(0u, __atomic_load_n(dst.sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_CQ_OVERFLOW);
	io_uring_queue_exit(&src);
	io_uring_queue_exit(&dst);
}

/* A ring of another thread that sends one data message to target_fd. */
struct thread_sender {
	int target_fd;
	int res;	/* the sender's CQE res, INT_MIN when it did not run */
};

static void *send_from_own_ring(void *arg)
{
	struct thread_sender *s = arg;
	struct io_uring ring;

	s->res = INT_MIN;
	if (io_uring_queue_init(2, &ring, 0))
		return NULL;
	if (queue_msg(&ring, s->target_fd, 0x44, 0xd7d7, 1))
		s->res = uring_submit_res(&ring);
	io_uring_queue_exit(&ring);
	return NULL;
}

/*
 * Wait (URING_REAP_BOUND_MS) for a CQE on a DEFER_TASKRUN ring, entering
 * with IORING_ENTER_GETEVENTS so that its deferred work runs (liburing uses
 * IORING_ENTER_EXT_ARG, which every kernel with DEFER_TASKRUN has); copy it
 * to *out and mark it seen. 0, or the wait's negative error.
 */
static int reap_defer(struct io_uring *ring, struct io_uring_cqe *out)
{
	struct __kernel_timespec ts = {
		.tv_sec = URING_REAP_BOUND_MS / 1000,
		.tv_nsec = (URING_REAP_BOUND_MS % 1000) * 1000000L,
	};
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (ret)
		return ret;
	*out = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: completions of such a ring
 * are run by its submitter task in io_uring_enter(2) with
 * IORING_ENTER_GETEVENTS; io_uring/msg_ring.c queues a message to it as
 * task work of that task. A message from a ring of another thread: the
 * sender's CQE has res 0, and the target's submitter gets the CQE (res =
 * len, user_data = off) when it waits for events (since 6.1).
 */
TEST(message_to_defer_taskrun_ring_from_another_thread_arrives)
{
	struct thread_sender s;
	struct io_uring dst;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN; io_uring/msg_ring.c");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MSG_RING);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	ASSERT_EQ(0, io_uring_queue_init(4, &dst, IORING_SETUP_SINGLE_ISSUER |
					 IORING_SETUP_DEFER_TASKRUN));
	s.target_fd = dst.ring_fd;
	ASSERT_EQ(0, uring_run_in_thread(send_from_own_ring, &s));
	EXPECT_EQ(0, s.res);
	ASSERT_EQ(0, reap_defer(&dst, &cqe));
	EXPECT_EQ(0xd7d7u, cqe.user_data);
	EXPECT_EQ(0x44, cqe.res);
	EXPECT_EQ(0u, cqe.flags);
	io_uring_queue_exit(&dst);
}

TEST_HARNESS_MAIN
