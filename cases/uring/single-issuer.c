// SPDX-License-Identifier: MIT
/*
 * uring/single-issuer: IORING_SETUP_SINGLE_ISSUER (6.0) and
 * IORING_SETUP_DEFER_TASKRUN (6.1): which task may submit (the creator, or
 * the task that enables an R_DISABLED ring), -EEXIST for any other, the
 * SQPOLL exception, DEFER_TASKRUN's need of SINGLE_ISSUER, and completions
 * that wait for the submitter to enter with IORING_ENTER_GETEVENTS.
 */
#include <liburing.h>

#include "conform_uring.h"

#define REQUIRE_DEFER_TASKRUN()                                                \
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |               \
				    IORING_SETUP_DEFER_TASKRUN)

/* One io_uring_enter(2) or io_uring_register(2) made by another thread. */
struct other_call {
	int fd;
	unsigned int to_submit, min_complete, flags;
	bool enable;		/* IORING_REGISTER_ENABLE_RINGS instead */
	int ret, err;
};

static void *other_call_main(void *arg)
{
	struct other_call *c = arg;

	if (c->enable)
		c->ret = conform_sys_io_uring_register(c->fd,
				IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	else
		c->ret = uring_sys_enter(c->fd, c->to_submit, c->min_complete,
					 c->flags);
	c->err = c->ret < 0 ? errno : 0;
	return NULL;
}

/*
 * io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: "The submission task is
 * either the task that created the ring ... The kernel enforces this rule,
 * failing requests with -EEXIST": a submit from another thread fails with
 * EEXIST and leaves the SQE for the creator, who submits it (since 6.0).
 */
TEST(submit_from_other_thread_gets_eexist)
{
	struct other_call c = { .to_submit = 1 };
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.0", "IORING_SETUP_SINGLE_ISSUER",
			"io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: other tasks get EEXIST");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_SINGLE_ISSUER));
	uring_publish_nop(&ring, 0x0e1);
	c.fd = ring.ring_fd;
	ASSERT_EQ(0, uring_run_in_thread(other_call_main, &c));
	EXPECT_EQ(-1, c.ret);
	EXPECT_EQ(EEXIST, c.err);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x0e1u, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: "if IORING_SETUP_R_DISABLED
 * is specified then it is the task that enables the ring through
 * io_uring_register(2)": after another thread enables it, the creator's
 * own submit fails with EEXIST (since 6.0).
 */
TEST(enabling_task_becomes_the_submitter)
{
	struct other_call c = { .enable = true };
	struct io_uring ring;

	CONFORM_DECLARE("6.0", "IORING_SETUP_SINGLE_ISSUER",
			"io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER with IORING_SETUP_R_DISABLED");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_R_DISABLED);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_SINGLE_ISSUER |
						   IORING_SETUP_R_DISABLED));
	c.fd = ring.ring_fd;
	ASSERT_EQ(0, uring_run_in_thread(other_call_main, &c));
	ASSERT_EQ(0, c.ret);
	uring_publish_nop(&ring, 0x0e2);
	EXPECT_EQ(-1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	EXPECT_EQ(EEXIST, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: "when IORING_SETUP_SQPOLL
 * is set it is considered that the polling task is doing all submissions
 * ... disregarding how many userspace tasks do io_uring_enter(2)": another
 * thread's enter with IORING_ENTER_SQ_WAKEUP returns to_submit and the NOP
 * completes (since 6.0).
 */
TEST(sqpoll_ring_accepts_enter_from_any_thread)
{
	struct other_call c = { .to_submit = 1, .flags = IORING_ENTER_SQ_WAKEUP };
	struct io_uring ring;
	struct io_uring_params p;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.0", "IORING_SETUP_SINGLE_ISSUER",
			"io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER with IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	ASSERT_EQ(0, io_uring_queue_init_params(4, &ring, &p));
	uring_publish_nop(&ring, 0x0e3);
	c.fd = ring.ring_fd;
	ASSERT_EQ(0, uring_run_in_thread(other_call_main, &c));
	EXPECT_EQ(1, c.ret);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x0e3u, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: "This flag requires the
 * IORING_SETUP_SINGLE_ISSUER flag to be set"; without it, EINVAL
 * (since 6.1).
 */
TEST(defer_taskrun_without_single_issuer_gets_einval)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN requires IORING_SETUP_SINGLE_ISSUER");
	REQUIRE_DEFER_TASKRUN();
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_DEFER_TASKRUN;
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

/*
 * A DEFER_TASKRUN ring with a read of 16 bytes waiting on an empty pipe;
 * pfd gets the pipe. Returns 0 or -1.
 */
static int defer_ring_with_pipe_read(struct io_uring *ring, unsigned int extra,
				     int pfd[2], char *buf)
{
	struct io_uring_sqe *sqe;

	if (conform_pipe(pfd))
		return -1;
	if (io_uring_queue_init(4, ring, IORING_SETUP_SINGLE_ISSUER |
				IORING_SETUP_DEFER_TASKRUN | extra))
		return -1;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, pfd[0], buf, 16, 0);
	io_uring_sqe_set_data64(sqe, 0xdef);
	uring_publish_sq(ring);
	return uring_sys_enter(ring->ring_fd, 1, 0, 0) == 1 ? 0 : -1;
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: io_uring "should defer
 * work until an io_uring_enter(2) call with the IORING_ENTER_GETEVENTS flag
 * set": the pipe becoming readable does not post the read's CQE; the
 * submitter's GETEVENTS enter does, with the 16 bytes read (since 6.1).
 */
TEST(defer_taskrun_completes_only_on_getevents)
{
	char buf[16], data[16];
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int pfd[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	REQUIRE_DEFER_TASKRUN();
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, defer_ring_with_pipe_read(&ring, 0, pfd, buf));
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(16, write(pfd[1], data, sizeof(data)));
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 1,
				     IORING_ENTER_GETEVENTS));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(0xdefu, cqe->user_data);
	EXPECT_EQ(16, cqe->res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG: IORING_SQ_TASKRUN "is set in
 * the SQ ring flags whenever completions are pending that should be
 * processed"; with DEFER_TASKRUN the deferred read sets it, and the
 * GETEVENTS enter that runs the work clears it (since 6.1).
 */
TEST(defer_taskrun_pending_work_sets_sq_taskrun)
{
	struct io_uring ring;
	char buf[16], data[16];
	int pfd[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG, IORING_SQ_TASKRUN");
	REQUIRE_DEFER_TASKRUN();
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, defer_ring_with_pipe_read(&ring, IORING_SETUP_TASKRUN_FLAG,
					       pfd, buf));
	EXPECT_EQ(0u, io_uring_smp_load_acquire(ring.sq.kflags) & IORING_SQ_TASKRUN);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(16, write(pfd[1], data, sizeof(data)));
	EXPECT_EQ((unsigned int)IORING_SQ_TASKRUN,
		  io_uring_smp_load_acquire(ring.sq.kflags) & IORING_SQ_TASKRUN);
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 1,
				     IORING_ENTER_GETEVENTS));
	EXPECT_EQ(0u, io_uring_smp_load_acquire(ring.sq.kflags) & IORING_SQ_TASKRUN);
	EXPECT_EQ(1u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN "enforces that the call to
 * io_uring_enter(2) is called from the same thread that submitted
 * requests": another thread's GETEVENTS wait fails with EEXIST, and the
 * deferred CQE is still there for the submitter (since 6.1).
 */
TEST(defer_taskrun_getevents_from_other_thread_gets_eexist)
{
	struct other_call c = { .min_complete = 1, .flags = IORING_ENTER_GETEVENTS };
	struct io_uring ring;
	char buf[16], data[16];
	int pfd[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: same thread must enter");
	REQUIRE_DEFER_TASKRUN();
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, defer_ring_with_pipe_read(&ring, 0, pfd, buf));
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(16, write(pfd[1], data, sizeof(data)));
	c.fd = ring.ring_fd;
	ASSERT_EQ(0, uring_run_in_thread(other_call_main, &c));
	EXPECT_EQ(-1, c.ret);
	EXPECT_EQ(EEXIST, c.err);
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 1,
				     IORING_ENTER_GETEVENTS));
	EXPECT_EQ(1u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_HARNESS_MAIN
