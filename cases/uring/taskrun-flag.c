// SPDX-License-Identifier: MIT
/*
 * uring/taskrun-flag: IORING_SETUP_COOP_TASKRUN and
 * IORING_SETUP_TASKRUN_FLAG (5.19), with IORING_SETUP_DEFER_TASKRUN
 * (6.1): when task work is pending for a ring, TASKRUN_FLAG makes the
 * kernel set IORING_SQ_TASKRUN in the SQ ring flags, and clear it once
 * the work has run; the flag combinations io_uring_setup() refuses; and
 * what a DEFER_TASKRUN owner's io_uring_enter() runs, and what it leaves.
 * A COOP_TASKRUN completion is task work of the submitting task, run at
 * its next return to user space. To see it pending, the request is
 * submitted by a child process that then stops itself (SIGSTOP): a
 * stopped task is not woken by task_work_add(), so the work waits, with
 * no timing involved, until SIGCONT. The ring, mapped shared, is read by
 * the parent meanwhile. Completions come from a POLL_ADD on a pipe the
 * test writes. The uapi comment of TASKRUN_FLAG said "Not valid with
 * COOP_TASKRUN" until commit 0ed2e8bf61d6 corrected it to "without".
 * (defer_taskrun_without_single_issuer_gets_einval, the completion at the
 * GETEVENTS enter, IORING_SQ_TASKRUN with DEFER_TASKRUN and the -EEXIST
 * of another thread's enter are in uring/single-issuer.)
 */
#include <liburing.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "conform_uring.h"

enum { TAG_POLL = 0x7a, TAG_NOP = 0x7b };

/* errno of io_uring_setup(4, flags), or 0 when it made a ring (closed). */
static int setup_errno(unsigned int flags)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.sq_thread_idle = 10;
	fd = conform_sys_io_uring_setup(4, &p);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

static unsigned int sq_flags(struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->sq.kflags);
}

/* poll(2) of fd right now: its revents, or -1. */
static int revents_now(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) < 0 ? -1 : pfd.revents;
}

/*
 * io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG: "Used in conjunction with
 * IORING_SETUP_COOP_TASKRUN"; io_uring_create() (commit ef060ea9e4fd,
 * 5.19; since 6.1 DEFER_TASKRUN also qualifies) fails TASKRUN_FLAG alone
 * with EINVAL, while COOP_TASKRUN | TASKRUN_FLAG makes a ring (since 5.19).
 */
TEST(taskrun_flag_without_coop_or_defer_gets_einval)
{
	CONFORM_DECLARE("5.19", "IORING_SETUP_TASKRUN_FLAG",
			"io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG; commit ef060ea9e4fd (io_uring: add IORING_SETUP_TASKRUN_FLAG)");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	EXPECT_EQ(EINVAL, setup_errno(IORING_SETUP_TASKRUN_FLAG));
	EXPECT_EQ(0, setup_errno(IORING_SETUP_COOP_TASKRUN |
				 IORING_SETUP_TASKRUN_FLAG));
}

/*
 * Commit e1169f06d5bb ("io_uring: use TWA_SIGNAL_NO_IPI if
 * IORING_SETUP_COOP_TASKRUN is used", 5.19): "IPI related flags don't make
 * sense with SQPOLL": IORING_SETUP_SQPOLL with COOP_TASKRUN, or with
 * COOP_TASKRUN | TASKRUN_FLAG, or with TASKRUN_FLAG alone, fails with
 * EINVAL (since 5.19; liburing issue #1075: not in the man page). SQPOLL
 * alone makes a ring.
 */
TEST(coop_taskrun_or_taskrun_flag_with_sqpoll_gets_einval)
{
	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"commit e1169f06d5bb: IPI related flags don't make sense with SQPOLL; io_uring/io_uring.c io_uring_create()");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	EXPECT_EQ(EINVAL, setup_errno(IORING_SETUP_SQPOLL |
				      IORING_SETUP_COOP_TASKRUN));
	EXPECT_EQ(EINVAL, setup_errno(IORING_SETUP_SQPOLL |
				      IORING_SETUP_COOP_TASKRUN |
				      IORING_SETUP_TASKRUN_FLAG));
	EXPECT_EQ(EINVAL, setup_errno(IORING_SETUP_SQPOLL |
				      IORING_SETUP_TASKRUN_FLAG));
}

/*
 * Commit c0e0d6ba25f1 ("io_uring: add IORING_SETUP_DEFER_TASKRUN", 6.1)
 * adds DEFER_TASKRUN to the flags SQPOLL refuses: SQPOLL |
 * SINGLE_ISSUER | DEFER_TASKRUN fails with EINVAL; SINGLE_ISSUER |
 * DEFER_TASKRUN, with or without TASKRUN_FLAG, makes a ring (since 6.1).
 */
TEST(defer_taskrun_with_sqpoll_gets_einval)
{
	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"commit c0e0d6ba25f1 (io_uring: add IORING_SETUP_DEFER_TASKRUN): io_uring_create()");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	EXPECT_EQ(EINVAL, setup_errno(IORING_SETUP_SQPOLL |
				      IORING_SETUP_SINGLE_ISSUER |
				      IORING_SETUP_DEFER_TASKRUN));
	EXPECT_EQ(0, setup_errno(IORING_SETUP_SINGLE_ISSUER |
				 IORING_SETUP_DEFER_TASKRUN |
				 IORING_SETUP_TASKRUN_FLAG));
}

/*
 * A COOP_TASKRUN ring (with extra setup flags) whose POLLIN poll of an
 * empty pipe, tagged TAG_POLL, was submitted by child pid, now stopped.
 */
struct stopped {
	struct io_uring ring;
	int p[2];
	pid_t pid;
};

/*
 * The child: dies with its parent (a stopped orphan would stay), submits
 * the poll, stops; once continued, it has run its task work on the way
 * back to user space, enters with GETEVENTS (min 0) and exits 0.
 */
static void stopped_child(struct stopped *t, pid_t parent)
{
	struct io_uring_sqe *sqe;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(3);
	sqe = io_uring_get_sqe(&t->ring);
	if (!sqe)
		_exit(4);
	io_uring_prep_poll_add(sqe, t->p[0], POLLIN);
	io_uring_sqe_set_data64(sqe, TAG_POLL);
	if (io_uring_submit(&t->ring) != 1)
		_exit(5);
	raise(SIGSTOP);
	if (uring_sys_enter(t->ring.ring_fd, 0, 0, IORING_ENTER_GETEVENTS) < 0)
		_exit(6);
	_exit(0);
}

static void stopped_start(struct __test_metadata *_metadata,
			  struct stopped *t, unsigned int extra)
{
	pid_t parent = getpid();
	int st;

	ASSERT_EQ(0, conform_pipe(t->p));
	ASSERT_EQ(0, io_uring_queue_init(4, &t->ring,
					 IORING_SETUP_COOP_TASKRUN | extra));
	t->pid = fork();
	ASSERT_LE(0, t->pid);
	if (t->pid == 0)
		stopped_child(t, parent);
	ASSERT_EQ(t->pid, waitpid(t->pid, &st, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(st))
		TH_LOG("the submitting child did not stop: status 0x%x", st);
}

/*
 * Complete the poll while the child is stopped: its completion is now
 * task work the child owes. EXPECT (not ASSERT) from here until
 * stopped_resume(), so that the child is always continued.
 */
static void stopped_fire(struct __test_metadata *_metadata, struct stopped *t)
{
	EXPECT_EQ(1, write(t->p[1], "f", 1));
}

/* Continue the child and wait for it to exit 0. */
static void stopped_resume(struct __test_metadata *_metadata,
			   struct stopped *t)
{
	int st;

	ASSERT_EQ(0, kill(t->pid, SIGCONT));
	ASSERT_EQ(t->pid, waitpid(t->pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("the submitting child ended with status 0x%x", st);
}

/* The poll's CQE, now in the ring: TAG_POLL, POLLIN. */
static void stopped_reap(struct __test_metadata *_metadata, struct stopped *t)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(0, uring_reap_one(&t->ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
}

static void stopped_free(struct stopped *t)
{
	io_uring_queue_exit(&t->ring);
	close(t->p[0]);
	close(t->p[1]);
}

/*
 * <linux/io_uring.h> IORING_SETUP_TASKRUN_FLAG: "get notified if task
 * work is available for running and a kernel transition would be needed
 * to run it. This sets IORING_SQ_TASKRUN in the sq ring flags" (5.19).
 * The flag is clear before; once the stopped submitter owes the poll's
 * completion it is set, and the CQ ring is still empty.
 */
TEST(coop_pending_task_work_sets_sq_taskrun)
{
	struct stopped t;

	CONFORM_DECLARE("5.19", "IORING_SETUP_TASKRUN_FLAG",
			"<linux/io_uring.h> IORING_SETUP_TASKRUN_FLAG, IORING_SQ_TASKRUN; io_uring_setup(2)");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	stopped_start(_metadata, &t, IORING_SETUP_TASKRUN_FLAG);
	EXPECT_EQ(0u, sq_flags(&t.ring) & IORING_SQ_TASKRUN);
	stopped_fire(_metadata, &t);
	EXPECT_EQ((unsigned int)IORING_SQ_TASKRUN,
		  sq_flags(&t.ring) & IORING_SQ_TASKRUN);
	EXPECT_EQ(0u, io_uring_cq_ready(&t.ring));
	stopped_resume(_metadata, &t);
	stopped_free(&t);
}

/*
 * io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG: the flag tells "when it
 * would be useful to call io_uring_wait_cqe()"; the kernel clears
 * IORING_SQ_TASKRUN when it runs the task work (ctx_flush_and_put(),
 * commit ef060ea9e4fd, 5.19). Once the stopped submitter is continued
 * (and has entered with GETEVENTS), the CQE is in the ring with POLLIN
 * and the flag is clear.
 */
TEST(sq_taskrun_clears_once_the_task_work_has_run)
{
	struct stopped t;

	CONFORM_DECLARE("5.19", "IORING_SETUP_TASKRUN_FLAG",
			"io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG; commit ef060ea9e4fd: IORING_SQ_TASKRUN cleared in ctx_flush_and_put()");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	stopped_start(_metadata, &t, IORING_SETUP_TASKRUN_FLAG);
	stopped_fire(_metadata, &t);
	EXPECT_EQ((unsigned int)IORING_SQ_TASKRUN,
		  sq_flags(&t.ring) & IORING_SQ_TASKRUN);
	stopped_resume(_metadata, &t);
	EXPECT_EQ(0u, sq_flags(&t.ring) & IORING_SQ_TASKRUN);
	EXPECT_EQ(1u, io_uring_cq_ready(&t.ring));
	stopped_reap(_metadata, &t);
	stopped_free(&t);
}

/*
 * <linux/io_uring.h>: IORING_SQ_TASKRUN is what IORING_SETUP_TASKRUN_FLAG
 * asks for; a COOP_TASKRUN ring without it never shows the flag, also
 * while the stopped submitter owes the completion (since 5.19).
 */
TEST(coop_without_taskrun_flag_leaves_sq_taskrun_clear)
{
	struct stopped t;

	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"<linux/io_uring.h> IORING_SETUP_TASKRUN_FLAG, IORING_SQ_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN);
	stopped_start(_metadata, &t, 0);
	stopped_fire(_metadata, &t);
	EXPECT_EQ(0u, sq_flags(&t.ring) & IORING_SQ_TASKRUN);
	EXPECT_EQ(0u, io_uring_cq_ready(&t.ring));
	stopped_resume(_metadata, &t);
	EXPECT_EQ(0u, sq_flags(&t.ring) & IORING_SQ_TASKRUN);
	stopped_reap(_metadata, &t);
	stopped_free(&t);
}

/*
 * io_uring/io_uring.c io_uring_poll(): EPOLLIN when CQEs are ready or
 * io_has_work(), which counts only DEFER_TASKRUN's local work and CQ
 * overflow; COOP_TASKRUN task work owed by the submitter does not make the
 * ring fd readable (unlike DEFER_TASKRUN, uring/ring-fd-poll). poll(2)
 * by another process reports no POLLIN while the stopped submitter owes
 * the completion, and POLLIN once it has run it (since 5.19).
 */
TEST(coop_pending_task_work_leaves_ring_fd_unreadable)
{
	struct stopped t;

	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"io_uring/io_uring.c io_uring_poll(), io_has_work(); io_uring_setup(2) IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN);
	stopped_start(_metadata, &t, 0);
	stopped_fire(_metadata, &t);
	EXPECT_EQ(0, revents_now(t.ring.ring_fd) & POLLIN);
	stopped_resume(_metadata, &t);
	EXPECT_EQ(POLLIN, revents_now(t.ring.ring_fd) & POLLIN);
	stopped_reap(_metadata, &t);
	stopped_free(&t);
}

/*
 * A DEFER_TASKRUN ring (with extra flags) whose POLLIN poll of an empty
 * pipe, tagged TAG_POLL, has been completed by a write: its completion is
 * pending local task work.
 */
static void defer_pending(struct __test_metadata *_metadata,
			  struct io_uring *ring, int p[2], unsigned int extra)
{
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, IORING_SETUP_SINGLE_ISSUER |
					 IORING_SETUP_DEFER_TASKRUN | extra));
	sqe = io_uring_get_sqe(ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	io_uring_sqe_set_data64(sqe, TAG_POLL);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(1, write(p[1], "d", 1));
}

static void defer_free(struct io_uring *ring, int p[2])
{
	io_uring_queue_exit(ring);
	close(p[0]);
	close(p[1]);
}

/*
 * As coop_without_taskrun_flag_leaves_sq_taskrun_clear, for
 * DEFER_TASKRUN: without IORING_SETUP_TASKRUN_FLAG the pending local work
 * does not set IORING_SQ_TASKRUN (since 6.1).
 */
TEST(defer_without_taskrun_flag_leaves_sq_taskrun_clear)
{
	struct io_uring ring;
	int p[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"<linux/io_uring.h> IORING_SETUP_TASKRUN_FLAG; io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	defer_pending(_metadata, &ring, p, 0);
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	EXPECT_EQ(0u, sq_flags(&ring) & IORING_SQ_TASKRUN);
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 0,
				     IORING_ENTER_GETEVENTS));
	EXPECT_EQ(1u, io_uring_cq_ready(&ring));
	defer_free(&ring, p);
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: work is deferred "until
 * an io_uring_enter(2) call with the IORING_ENTER_GETEVENTS flag set":
 * an enter without it (to_submit 0, flags 0) returns 0 and runs nothing,
 * the CQ ring stays empty and IORING_SQ_TASKRUN stays set; the GETEVENTS
 * enter then posts the CQE (since 6.1).
 */
TEST(defer_enter_without_getevents_runs_no_deferred_work)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int p[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: until an io_uring_enter(2) call with IORING_ENTER_GETEVENTS");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	defer_pending(_metadata, &ring, p, IORING_SETUP_TASKRUN_FLAG);
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 0, 0));
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	EXPECT_EQ((unsigned int)IORING_SQ_TASKRUN,
		  sq_flags(&ring) & IORING_SQ_TASKRUN);
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 0,
				     IORING_ENTER_GETEVENTS));
	EXPECT_EQ(0u, sq_flags(&ring) & IORING_SQ_TASKRUN);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	defer_free(&ring, p);
}

/*
 * As defer_enter_without_getevents_runs_no_deferred_work, for an enter
 * that submits: a NOP submitted without GETEVENTS completes inline and
 * its CQE is posted, while the poll completion that was queued earlier
 * stays deferred; the GETEVENTS enter posts it after the NOP's, so CQ
 * order is the order the work ran, not the order of the events (since
 * 6.1).
 */
TEST(defer_submit_posts_inline_cqe_before_deferred_one)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int p[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	defer_pending(_metadata, &ring, p, 0);
	uring_publish_nop(&ring, TAG_NOP);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	EXPECT_EQ(1u, io_uring_cq_ready(&ring));
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 0,
				     IORING_ENTER_GETEVENTS));
	EXPECT_EQ(2u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_NOP, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	defer_free(&ring, p);
}

TEST_HARNESS_MAIN
