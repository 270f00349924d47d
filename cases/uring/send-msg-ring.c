// SPDX-License-Identifier: MIT
/*
 * uring/send-msg-ring: IORING_REGISTER_SEND_MSG_RING (6.13), an
 * IORING_OP_MSG_RING data message sent by io_uring_register(2) itself,
 * with fd -1 and the SQE as argument, so that a task without a ring of its
 * own can post a CQE on a target ring. Covered: the target's CQE (res =
 * sqe->len, user_data = sqe->off, flags with IORING_MSG_RING_FLAGS_PASS),
 * a DEFER_TASKRUN target, and the refusals: nr_args other than 1, a ring
 * fd instead of -1, IORING_MSG_SEND_FD, SQE flags or another opcode
 * (EINVAL), a target that is no ring (EBADFD) or not open (EBADF), and a
 * target ring still disabled (EBADFD). Sources:
 * io_uring_register_sync_msg(3), the kernel commit "io_uring/msg_ring: add
 * support for sending a sync message" (6.13), io_uring/register.c
 * io_uring_register_blind and io_uring/msg_ring.c io_uring_sync_msg_ring.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

/* An IORING_MSG_DATA message to target_fd: len becomes the CQE's res,
 * data its user_data. */
static void msg_sqe(struct io_uring_sqe *sqe, int target_fd, unsigned int len,
		    __u64 data)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_MSG_RING;
	sqe->fd = target_fd;
	sqe->addr = IORING_MSG_DATA;
	sqe->len = len;
	sqe->off = data;
}

/* io_uring_register(fd, IORING_REGISTER_SEND_MSG_RING, sqe, nr): as the
 * system call returns. */
static int send_msg(int fd, struct io_uring_sqe *sqe, unsigned int nr)
{
	return conform_sys_io_uring_register(fd,
					     REF_IORING_REGISTER_SEND_MSG_RING,
					     sqe, nr);
}

/*
 * NULL if IORING_REGISTER_SEND_MSG_RING delivers a message to a new ring;
 * else why not. Kernels before 6.13 refuse the opcode with EINVAL (fd -1
 * is no ring for them; the opcode is past IORING_REGISTER_LAST).
 */
static const char *send_msg_missing(void)
{
	const char *why = conform_uring_unavailable();
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int ret, err;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	msg_sqe(&sqe, ring.ring_fd, 1, 1);
	ret = send_msg(-1, &sqe, 1);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_SEND_MSG_RING: %s (not supported by this kernel)",
		 strerror(err));
	return conform_why;
}

#define REQUIRE_SEND_MSG() CONFORM_REQUIRE(send_msg_missing())

/* send_msg(-1, sqe, 1) fails with EINVAL and target gets no CQE. */
static void expect_einval_no_cqe(struct __test_metadata *_metadata,
				 struct io_uring *target,
				 struct io_uring_sqe *sqe, unsigned int nr)
{
	EXPECT_EQ(-1, send_msg(-1, sqe, nr));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-ETIME, uring_wait_briefly(target));
}

/*
 * io_uring_register_sync_msg(3): "A source ring is not required to send a
 * message to another ring ... the results of the operation is returned
 * directly rather than via a CQE. On the destination/receiving end, a CQE
 * is posted": io_uring_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe,
 * 1) returns 0 and the target gets one CQE with res = len and user_data =
 * off, as for IORING_OP_MSG_RING (since 6.13).
 */
TEST(message_posts_cqe_with_len_as_res_and_off_as_user_data)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring_register_sync_msg(3); kernel commit "
			"io_uring/msg_ring: add support for sending a sync "
			"message");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	msg_sqe(&sqe, ring.ring_fd, 0x5a5a1234u, 0x1122334455667788ULL);
	EXPECT_EQ(0, send_msg(-1, &sqe, 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x1122334455667788ULL, cqe.user_data);
	EXPECT_EQ(0x5a5a1234, cqe.res);
	EXPECT_EQ(0u, cqe.flags);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring.h> IORING_MSG_RING_FLAGS_PASS: "Pass through the flags
 * from sqe->file_index to cqe->flags"; the register path takes the same
 * message flags as IORING_OP_MSG_RING (since 6.13).
 */
TEST(flags_pass_sets_target_cqe_flags)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"linux/io_uring.h IORING_MSG_RING_FLAGS_PASS; "
			"io_uring/msg_ring.c __io_msg_ring_data");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	msg_sqe(&sqe, ring.ring_fd, 7, 0x77);
	sqe.msg_ring_flags = REF_IORING_MSG_RING_FLAGS_PASS;
	sqe.file_index = 0x5;
	EXPECT_EQ(0, send_msg(-1, &sqe, 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x77ULL, cqe.user_data);
	EXPECT_EQ(7, cqe.res);
	EXPECT_EQ(0x5u, cqe.flags);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/msg_ring.c: a target created with IORING_SETUP_SINGLE_ISSUER |
 * IORING_SETUP_DEFER_TASKRUN gets the message as task work of its
 * submitter; the CQE is there once the target waits for it with
 * IORING_ENTER_GETEVENTS (since 6.13).
 */
TEST(defer_taskrun_target_gets_cqe_on_its_wait)
{
	const unsigned int flags = IORING_SETUP_SINGLE_ISSUER |
				   IORING_SETUP_DEFER_TASKRUN;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int ret;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring/msg_ring.c io_msg_data_remote; "
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	REQUIRE_SEND_MSG();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, flags));
	msg_sqe(&sqe, ring.ring_fd, 3, 0xd7);
	EXPECT_EQ(0, send_msg(-1, &sqe, 1));
	memset(&arg, 0, sizeof(arg));
	ts.tv_sec = URING_REAP_BOUND_MS / 1000;
	ts.tv_nsec = 0;
	arg.ts = (__u64)(uintptr_t)&ts;
	ret = (int)syscall(__NR_io_uring_enter, ring.ring_fd, 0, 1,
			   IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
			   &arg, sizeof(arg));
	EXPECT_EQ(0, ret)
		TH_LOG("the wait for the message failed: %s", strerror(errno));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xd7ULL, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/register.c io_uring_register_send_msg_ring: the argument is one
 * SQE; nr_args other than 1, or no SQE, gets EINVAL (since 6.13).
 */
TEST(nr_args_not_one_or_null_sqe_gets_einval)
{
	struct io_uring_sqe sqe[2];
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring/register.c io_uring_register_send_msg_ring");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	msg_sqe(&sqe[0], ring.ring_fd, 1, 2);
	msg_sqe(&sqe[1], ring.ring_fd, 1, 2);
	expect_einval_no_cqe(_metadata, &ring, sqe, 0);
	expect_einval_no_cqe(_metadata, &ring, sqe, 2);
	expect_einval_no_cqe(_metadata, &ring, NULL, 1);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/register.c: SEND_MSG_RING is a "blind" opcode, taken only with
 * fd -1; given a ring fd, io_uring_register(2) treats it as an opcode of
 * that ring, which has none such: EINVAL, and no message (since 6.13).
 */
TEST(ring_fd_instead_of_minus_one_gets_einval)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring/register.c io_uring_register_blind");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	msg_sqe(&sqe, ring.ring_fd, 1, 2);
	EXPECT_EQ(-1, send_msg(ring.ring_fd, &sqe, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_sync_msg(3): "Only data request are supported, sending
 * files such as setup by io_uring_prep_msg_ring_fd(3) is not supported":
 * an IORING_MSG_SEND_FD message gets EINVAL (io_uring/msg_ring.c
 * io_uring_sync_msg_ring) (since 6.13).
 */
TEST(send_fd_command_gets_einval)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring_register_sync_msg(3) only data requests; "
			"io_uring/msg_ring.c io_uring_sync_msg_ring");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	msg_sqe(&sqe, ring.ring_fd, 0, 2);
	sqe.addr = IORING_MSG_SEND_FD;
	sqe.file_index = 1;
	expect_einval_no_cqe(_metadata, &ring, &sqe, 1);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_sync_msg_ring(3) (liburing 2.8): "It is invalid to
 * pass in anything in the flags field"; io_uring/register.c: an SQE with
 * IOSQE_ flags gets EINVAL, and so does an SQE whose opcode is not
 * IORING_OP_MSG_RING (since 6.13).
 */
TEST(sqe_flags_or_other_opcode_gets_einval)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring/register.c io_uring_register_send_msg_ring");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	msg_sqe(&sqe, ring.ring_fd, 1, 2);
	sqe.flags = IOSQE_ASYNC;
	expect_einval_no_cqe(_metadata, &ring, &sqe, 1);
	msg_sqe(&sqe, ring.ring_fd, 1, 2);
	sqe.opcode = IORING_OP_NOP;
	expect_einval_no_cqe(_metadata, &ring, &sqe, 1);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_msg_ring(3) ERRORS "-EBADFD The descriptor passed in fd
 * does not refer to an io_uring file descriptor", which the register path
 * keeps; a target fd that is not open gets EBADF (since 6.13).
 */
TEST(target_not_a_ring_gets_ebadfd_and_closed_fd_ebadf)
{
	struct io_uring_sqe sqe;
	int pfd[2];

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring_prep_msg_ring(3) -EBADFD; io_uring/msg_ring.c "
			"io_uring_sync_msg_ring");
	REQUIRE_SEND_MSG();
	ASSERT_EQ(0, conform_pipe(pfd));
	msg_sqe(&sqe, pfd[1], 1, 2);
	EXPECT_EQ(-1, send_msg(-1, &sqe, 1));
	EXPECT_EQ(EBADFD, errno);
	msg_sqe(&sqe, conform_bad_fd(), 1, 2);
	EXPECT_EQ(-1, send_msg(-1, &sqe, 1));
	EXPECT_EQ(EBADF, errno);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring/msg_ring.c __io_msg_ring_data: a target ring created with
 * IORING_SETUP_R_DISABLED and not yet enabled takes no message: EBADFD;
 * once enabled (IORING_REGISTER_ENABLE_RINGS) it takes one (since 6.13).
 */
TEST(disabled_target_gets_ebadfd_until_enabled)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_SEND_MSG_RING",
			"io_uring/msg_ring.c __io_msg_ring_data "
			"IORING_SETUP_R_DISABLED");
	REQUIRE_SEND_MSG();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_R_DISABLED));
	msg_sqe(&sqe, ring.ring_fd, 4, 0x44);
	EXPECT_EQ(-1, send_msg(-1, &sqe, 1));
	EXPECT_EQ(EBADFD, errno);
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_ENABLE_RINGS,
					NULL, 0));
	EXPECT_EQ(0, send_msg(-1, &sqe, 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x44ULL, cqe.user_data);
	EXPECT_EQ(4, cqe.res);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
