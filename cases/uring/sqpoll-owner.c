// SPDX-License-Identifier: MIT
/*
 * uring/sqpoll-owner: the life of the IORING_SETUP_SQPOLL thread and who
 * owns it. Since 5.12 (IORING_FEAT_NATIVE_WORKERS) the SQ thread is a
 * thread of the process that set the ring up, named iou-sqp-<pid>; it
 * exists while the ring does and goes with it. It submits in its owner's
 * context, so an SQE a forked child publishes on the shared ring runs in
 * the owner's memory (since 5.6, IORING_OP_READ). When the owner exits or
 * execs, the thread dies with the owner's other threads: the ring, still
 * open in another process, has IORING_SQ_NEED_WAKEUP set and
 * io_uring_enter(2) fails with EOWNERDEAD (since 5.12).
 *
 * History (kernel commits): d9d05217cb69 (5.11) stopped SQPOLL submission
 * on the creator's death with -EOWNERDEAD; 5.12 made the SQ thread a
 * thread of the creator (create_io_thread), and 041474885e97 ("io_uring:
 * kill io_sq_thread_fork() and return -EOWNERDEAD if the sq_thread is
 * gone", 5.12) kept the error once that thread is gone.
 */
#include <liburing.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "conform_uring.h"

enum {
	/* Idle time (ms) of an SQ thread that must not fall asleep. */
	AWAKE_IDLE_MS = 10000,
	/* Step (ms) of the bounded wait for the thread to go. */
	STEP_MS = 2,
};

/* The helper mode of this program, exec'd with "<mode> <ring fd>". */
#define HELPER_SQPOLL_ENTER "--lifecycle-sqpoll-enter"

/*
 * glibc passes argc and argv to constructors; priority 101 runs this one
 * before conform_init(), so the helper makes no temporary directory. The
 * helper enters the ring (to_submit 1, IORING_ENTER_SQ_WAKEUP) and exits
 * with the errno of the call, or 0 when it succeeded.
 */
static void __attribute__((constructor(101))) exec_helper(int argc, char **argv)
{
	int fd;

	if (argc != 3 || strcmp(argv[1], HELPER_SQPOLL_ENTER))
		return;
	fd = atoi(argv[2]);
	_exit(uring_sys_enter(fd, 1, 0, IORING_ENTER_SQ_WAKEUP) < 0 ? errno : 0);
}

/* An SQPOLL ring that stays awake (AWAKE_IDLE_MS): 0 or -errno. */
static int sqpoll_ring(struct io_uring *ring)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	return io_uring_queue_init_params(4, ring, &p);
}

/*
 * NULL when an SQPOLL ring can be set up and the kernel has native workers
 * (IORING_FEAT_NATIVE_WORKERS, 5.12: the SQ thread is a thread of the
 * process); else why not.
 */
static const char *native_sqpoll_missing(void)
{
	const char *why = conform_uring_setup_missing(IORING_SETUP_SQPOLL,
						      "IORING_SETUP_SQPOLL");

	if (why)
		return why;
	return conform_uring_feature_missing(IORING_FEAT_NATIVE_WORKERS,
					     "IORING_FEAT_NATIVE_WORKERS");
}

#define REQUIRE_NATIVE_SQPOLL() CONFORM_REQUIRE(native_sqpoll_missing())

/*
 * The number of threads of this process other than the caller (a test
 * process has no other threads of its own), or -1 when /proc/self/task
 * cannot be read; *named gets how many of them are named iou-sqp-<pid>.
 * A new SQ thread shows under its creator's name until it first runs and
 * names itself, so a thread is counted whatever its name.
 */
static int count_threads(int *named)
{
	char want[32];

	snprintf(want, sizeof(want), "iou-sqp-%d", (int)getpid());
	return uring_other_threads(NULL, want, named);
}

/*
 * Wait (URING_REAP_BOUND_MS, checking every STEP_MS) until this process
 * has no thread but the caller: the SQ threads of rings closed before (a
 * probe's) end after the close. The last count seen, -1 without /proc.
 */
static int wait_no_other_thread(void)
{
	struct timespec step = { .tv_nsec = STEP_MS * 1000000L };
	int named, n = count_threads(&named);

	for (int i = 0; n > 0 && i < URING_REAP_BOUND_MS / STEP_MS; i++) {
		nanosleep(&step, NULL);
		n = count_threads(&named);
	}
	return n;
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "a kernel thread is created to
 * perform submission queue polling"; since 5.12 it is a thread of the
 * creating process (kernel commit "io_uring: flag new native workers with
 * IORING_FEAT_NATIVE_WORKERS": the SQPOLL thread and io-wq workers are
 * threads of the task), named iou-sqp-<pid>: exactly one shows in
 * /proc/self/task once the ring has run a request (since 5.12).
 */
TEST(sq_thread_is_thread_of_creating_process)
{
	struct io_uring ring;
	int n, named;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"io_uring_setup(2) IORING_SETUP_SQPOLL, IORING_FEAT_NATIVE_WORKERS");
	REQUIRE_NATIVE_SQPOLL();
	/* The probe's ring may still be ending: wait for its thread. */
	n = wait_no_other_thread();
	if (n < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the SQ thread");
	ASSERT_EQ(0, n);
	ASSERT_EQ(0, sqpoll_ring(&ring));
	/* The NOP ran on the SQ thread, which has named itself by then. */
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	n = count_threads(&named);
	EXPECT_EQ(1, n);
	EXPECT_EQ(1, named);
	io_uring_queue_exit(&ring);
}

/*
 * The SQ thread lives as long as the ring that uses it: the ring's exit
 * stops it (kernel io_sq_thread_finish() from the ring's teardown, which
 * runs after the close; hence a bounded wait), and no iou-sqp-<pid> thread
 * is left (since 5.12).
 */
TEST(sq_thread_exits_after_ring_exit)
{
	struct io_uring ring;
	int n, named;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"io_uring_setup(2) IORING_SETUP_SQPOLL; kernel io_sq_thread_finish()");
	REQUIRE_NATIVE_SQPOLL();
	n = wait_no_other_thread();
	if (n < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the SQ thread");
	ASSERT_EQ(0, n);
	ASSERT_EQ(0, sqpoll_ring(&ring));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_EQ(1, count_threads(&named));
	ASSERT_EQ(1, named);
	io_uring_queue_exit(&ring);
	EXPECT_EQ(0, wait_no_other_thread())
		TH_LOG("an iou-sqp-%d thread is still there %d ms after the ring's exit",
		       (int)getpid(), URING_REAP_BOUND_MS);
}

/* The buffer of the shared-ring read; the child's copy stays zero. */
static char owner_buf[16];

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: the kernel thread submits the
 * SQEs "on behalf of" the application that set the ring up; it runs with
 * the creator's address space (before 5.12 the kernel thread took the
 * creator's mm, ctx->sqo_mm; since, it is a thread of the creator). An
 * IORING_OP_READ that a forked child publishes in the shared SQ ring
 * therefore fills the parent's buffer, not the child's, and both see the
 * CQE. The read names a registered file, which SQPOLL needs before 5.11
 * (since 5.6, IORING_OP_READ).
 */
TEST(forked_child_sqe_runs_in_owner_memory)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int p[2], status, ret;
	pid_t pid;

	CONFORM_DECLARE("5.6", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL: the SQ thread submits for the ring's creator");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	memset(owner_buf, 0, sizeof(owner_buf));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "abcd", 4));
	ret = sqpoll_ring(&ring);
	if (ret)
		SKIP(return, "%s", conform_uring_setup_why("IORING_SETUP_SQPOLL", -ret));
	ASSERT_EQ(0, io_uring_register_files(&ring, &p[0], 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_read(sqe, 0, owner_buf, 4, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		io_uring_sqe_set_data64(sqe, 0x0c);
		if (io_uring_submit(&ring) != 1)
			_exit(1);
		if (!conform_fd_readable(ring.ring_fd, URING_REAP_BOUND_MS))
			_exit(2);
		_exit(owner_buf[0] == 0 ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: step %d failed (1 submit, 2 no CQE, 3 data in the child's memory)",
		       WEXITSTATUS(status));
	/* The child moved the SQ tail: this process only reaps from now on. */
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x0cu, cqe.user_data);
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, memcmp(owner_buf, "abcd", 4));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/* What the grandchild saw of the ring after its owner had exited. */
struct orphan_view {
	int step;		/* 0, or the step that failed */
	unsigned int sq_flags;	/* the SQ ring flags */
	int enter_ret, enter_errno;
	bool sqe_taken;		/* the SQ head moved past the published NOP */
};

/*
 * Wait (URING_REAP_BOUND_MS) until the pipe read end rfd polls POLLHUP:
 * pipe(7), all write ends closed. poll(2) sleeps until then.
 */
static bool wait_hangup(int rfd)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };

	return poll(&pfd, 1, URING_REAP_BOUND_MS) == 1 &&
	       (pfd.revents & POLLHUP);
}

/*
 * The scenario of the owner-exit tests. This process becomes a subreaper
 * (prctl(2) PR_SET_CHILD_SUBREAPER) and forks the owner, which sets up an
 * SQPOLL ring, runs a NOP (the thread is up), forks the orphan-to-be and
 * exits. The orphan waits for end of file on a pipe whose write end only
 * the owner's file table held: that table goes when the last thread using
 * it, the SQ thread included, has exited, so the thread has stopped by
 * then. The orphan then publishes a NOP, enters with to_submit 1 and
 * IORING_ENTER_SQ_WAKEUP, and reports through another pipe. Returns 0, or
 * -1 when the scenario could not run.
 */
static int owner_exit_scenario(struct orphan_view *v)
{
	int gone[2], res[2], status;
	pid_t owner;
	ssize_t n;

	memset(v, 0, sizeof(*v));
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || conform_pipe(gone) ||
	    conform_pipe(res))
		return -1;
	owner = fork();
	if (owner < 0)
		return -1;
	if (owner == 0) {
		struct io_uring ring;
		pid_t orphan;

		close(res[0]);
		if (sqpoll_ring(&ring) || uring_run_nop(&ring, 0) != 0)
			_exit(1);
		orphan = fork();
		if (orphan < 0)
			_exit(2);
		if (orphan == 0) {
			struct orphan_view w = { 0 };
			unsigned int head;

			close(gone[1]);
			if (!wait_hangup(gone[0])) {
				w.step = 1;
			} else {
				w.sq_flags = io_uring_smp_load_acquire(ring.sq.kflags);
				head = io_uring_smp_load_acquire(ring.sq.khead);
				uring_publish_nop(&ring, 0x0d);
				w.enter_ret = uring_sys_enter(ring.ring_fd, 1, 0,
							      IORING_ENTER_SQ_WAKEUP);
				w.enter_errno = w.enter_ret < 0 ? errno : 0;
				w.sqe_taken = uring_wait_briefly(&ring) == 0 ||
					io_uring_smp_load_acquire(ring.sq.khead) != head;
			}
			n = write(res[1], &w, sizeof(w));
			_exit(n == (ssize_t)sizeof(w) ? 0 : 3);
		}
		_exit(0);	/* gone[1] closes with the last owner thread */
	}
	close(gone[0]);
	close(gone[1]);
	close(res[1]);
	if (waitpid(owner, &status, 0) != owner || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		close(res[0]);
		return -1;
	}
	/* The orphan is this subreaper's child now. */
	if (!conform_fd_readable(res[0], 5 * URING_REAP_BOUND_MS))
		v->step = 2;
	else if (read(res[0], v, sizeof(*v)) != (ssize_t)sizeof(*v))
		v->step = 3;
	close(res[0]);
	while (waitpid(-1, &status, 0) > 0)
		;
	return 0;
}

/*
 * io_uring_enter(2) ERRORS, kernel io_uring_enter(): on an SQPOLL ring
 * whose SQ thread is gone, the call fails with EOWNERDEAD (kernel commit
 * 041474885e97, 5.12). The thread is a thread of the ring's creator and
 * dies with it: a forked child that still has the ring after its parent
 * (the owner) exited gets EOWNERDEAD, and the NOP it published is not
 * taken (since 5.12).
 */
TEST(owner_exit_stops_sq_thread_and_enter_gets_eownerdead)
{
	struct orphan_view v;

	CONFORM_DECLARE("5.12", "IORING_SETUP_SQPOLL",
			"kernel commit 041474885e97 io_uring: return -EOWNERDEAD if the sq_thread is gone");
	REQUIRE_NATIVE_SQPOLL();
	ASSERT_EQ(0, owner_exit_scenario(&v));
	ASSERT_EQ(0, v.step)
		TH_LOG("step %d failed (1 owner's files not gone, 2/3 no report)", v.step);
	EXPECT_EQ(-1, v.enter_ret);
	EXPECT_EQ(EOWNERDEAD, v.enter_errno);
	EXPECT_FALSE(v.sqe_taken);
}

/*
 * Kernel io_sq_thread(): when the SQ thread exits it sets
 * IORING_SQ_NEED_WAKEUP in the SQ ring flags of its rings (commit
 * 5f3f26f98ae4, kept by 041474885e97, 5.12), so that an application
 * that follows io_uring_setup(2)'s rule ("check the flag ... and call
 * io_uring_enter(2) with IORING_ENTER_SQ_WAKEUP") enters and learns of
 * it: the orphaned child sees the flag set (since 5.12).
 */
TEST(owner_exit_sets_sq_need_wakeup)
{
	struct orphan_view v;

	CONFORM_DECLARE("5.12", "IORING_SQ_NEED_WAKEUP",
			"kernel io_sq_thread() sets IORING_SQ_NEED_WAKEUP on exit (commits 5f3f26f98ae4, 041474885e97)");
	REQUIRE_NATIVE_SQPOLL();
	ASSERT_EQ(0, owner_exit_scenario(&v));
	ASSERT_EQ(0, v.step)
		TH_LOG("step %d failed (1 owner's files not gone, 2/3 no report)", v.step);
	EXPECT_EQ((unsigned int)IORING_SQ_NEED_WAKEUP,
		  v.sq_flags & IORING_SQ_NEED_WAKEUP);
}

/*
 * execve(2): "All threads other than the calling thread are destroyed
 * during an execve()"; the SQ thread is one of them (a thread of the
 * process since 5.12). A ring fd kept across the exec (FD_CLOEXEC cleared)
 * still names the ring, but its SQ thread is gone: io_uring_enter(2) with
 * IORING_ENTER_SQ_WAKEUP fails with EOWNERDEAD in the new image (since
 * 5.12).
 */
TEST(exec_of_owner_stops_sq_thread)
{
	int status;
	pid_t pid;

	CONFORM_DECLARE("5.12", "IORING_SETUP_SQPOLL",
			"execve(2) other threads destroyed; kernel commit 041474885e97 (-EOWNERDEAD)");
	REQUIRE_NATIVE_SQPOLL();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring ring;
		char num[16];

		if (sqpoll_ring(&ring) || uring_run_nop(&ring, 0) != 0)
			_exit(201);
		if (fcntl(ring.ring_fd, F_SETFD, 0))
			_exit(202);
		snprintf(num, sizeof(num), "%d", ring.ring_fd);
		execl("/proc/self/exe", "sqpoll-owner-helper",
		      HELPER_SQPOLL_ENTER, num, (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 127)
		SKIP(return, CONFORM_ENV "cannot exec /proc/self/exe (no /proc?)");
	EXPECT_EQ(EOWNERDEAD, WEXITSTATUS(status))
		TH_LOG("helper: %d (errno of the enter, 0 success, 201/202 set-up)",
		       WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
