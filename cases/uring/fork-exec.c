// SPDX-License-Identifier: MIT
/*
 * uring/fork-exec: a ring across fork(2) and execve(2). A forked child
 * shares the parent's ring (the fd and the MAP_SHARED rings): it can submit
 * on it, its request runs in its own address space, and the parent reaps
 * the CQE (since 5.6, IORING_OP_READ). IORING_SETUP_SINGLE_ISSUER (6.0)
 * refuses the child's submit, and from 6.1 its io_uring_register(2), with
 * EEXIST; IORING_SETUP_DEFER_TASKRUN (6.1) refuses the child's wait for
 * completions with EEXIST. The ring fd is close-on-exec (since 5.1); kept
 * open across an exec (FD_CLOEXEC cleared) it keeps the ring, with its
 * CQEs, alive in the new image; and an exec cancels the requests of the
 * task that execs (since 5.10).
 *
 * The exec tests run this program again through /proc/self/exe with a
 * helper argument: a constructor that runs before the harness (and before
 * conform.h's own) does the helper's one check and exits with its result.
 */
#include <liburing.h>
#include <sys/wait.h>

#include "conform_uring.h"

/* The helper modes of this program, exec'd with "<mode> <fd>". */
#define HELPER_FD_STATE "--lifecycle-fd-state"	/* fd open? an io_uring? */
#define HELPER_RING_READY "--lifecycle-ring-ready"	/* io_uring with a CQE? */
#define HELPER_WAIT_EOF "--lifecycle-wait-eof"	/* read fd until EOF */

/* Exit codes of the helper. */
enum {
	FD_NOT_OPEN = 10,
	FD_IS_URING = 11,
	FD_IS_OTHER = 12,
	RING_HAS_CQE = 20,
	RING_NO_CQE = 21,
	WAIT_DONE = 30,
	EXEC_FAILED = 127,
};

/* Does fd name an io_uring instance ("anon_inode:[io_uring]")? */
static bool fd_is_uring(int fd)
{
	char path[64], target[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return strstr(target, "io_uring") != NULL;
}

static int helper_fd_state(int fd)
{
	if (fcntl(fd, F_GETFD) < 0)
		return FD_NOT_OPEN;
	return fd_is_uring(fd) ? FD_IS_URING : FD_IS_OTHER;
}

static int helper_ring_ready(int fd)
{
	if (fcntl(fd, F_GETFD) < 0)
		return FD_NOT_OPEN;
	if (!fd_is_uring(fd))
		return FD_IS_OTHER;
	return conform_fd_readable(fd, 0) ? RING_HAS_CQE : RING_NO_CQE;
}

static int helper_wait_eof(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
	return WAIT_DONE;
}

/*
 * glibc passes argc and argv to constructors. Priority 101 runs this one
 * before every constructor without a priority, conform_init() among them,
 * so the helper makes no temporary directory.
 */
static void __attribute__((constructor(101))) exec_helper(int argc, char **argv)
{
	int fd;

	if (argc != 3 || strncmp(argv[1], "--lifecycle-", 12))
		return;
	fd = atoi(argv[2]);
	if (!strcmp(argv[1], HELPER_FD_STATE))
		_exit(helper_fd_state(fd));
	if (!strcmp(argv[1], HELPER_RING_READY))
		_exit(helper_ring_ready(fd));
	if (!strcmp(argv[1], HELPER_WAIT_EOF))
		_exit(helper_wait_eof(fd));
	_exit(EXEC_FAILED);
}

/* In a child: run this program as the helper mode on fd (no return). */
static void exec_helper_mode(const char *mode, int fd)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", fd);
	execl("/proc/self/exe", "fork-exec-helper", mode, num, (char *)NULL);
	_exit(EXEC_FAILED);
}

/* waitpid(pid): its exit code, or -1 when it did not exit normally. */
static int child_exit_code(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The buffer a forked child reads into; the parent's copy stays zero. */
static char shared_addr_buf[16];

/*
 * The forked child's side of the shared-ring tests: queue a 4-byte READ of
 * rfd into shared_addr_buf (tag 0xc4, SQE flags flags) on its copy of the
 * parent's ring, submit, wait (poll(2) on the ring fd, not reaping) for the
 * CQE to be posted, and check that its own memory holds the bytes.
 * Returns the child's exit code: 0, or the failing step.
 */
static int child_read_on_shared_ring(struct io_uring *ring, int rfd,
				     unsigned char flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, rfd, shared_addr_buf, 4, 0);
	io_uring_sqe_set_data64(sqe, 0xc4);
	sqe->flags |= flags;
	if (io_uring_submit(ring) != 1)
		return 1;
	if (!conform_fd_readable(ring->ring_fd, URING_REAP_BOUND_MS))
		return 2;
	return memcmp(shared_addr_buf, "abcd", 4) ? 3 : 0;
}

/*
 * The parent's side: fork a child that runs child_read_on_shared_ring()
 * on a pipe holding "abcd", then reap the child's CQE. EXPECTs the child's
 * success, the CQE (tag 0xc4, res 4), and the parent's buffer untouched.
 */
static void shared_ring_read(struct __test_metadata *_metadata,
			     unsigned char flags)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int p[2], code;
	pid_t pid;

	memset(shared_addr_buf, 0, sizeof(shared_addr_buf));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "abcd", 4));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_read_on_shared_ring(&ring, p[0], flags));
	code = child_exit_code(pid);
	EXPECT_EQ(0, code)
		TH_LOG("child: step %d failed (1 submit, 2 no CQE, 3 data not in the child's memory)",
		       code);
	/* The child moved the SQ tail: this process only reaps from now on. */
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xc4u, cqe.user_data);
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, shared_addr_buf[0]);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * fork(2): "The child inherits copies of the parent's set of open file
 * descriptors", and MAP_SHARED mappings stay shared (mmap(2)), so the
 * child has the parent's ring. A READ the child submits there runs in the
 * child's context: the bytes land in the child's copy of the buffer, not
 * the parent's, and the CQE is posted to the shared CQ ring, where the
 * parent reaps it (since 5.6, IORING_OP_READ).
 */
TEST(forked_child_submits_on_shared_ring_and_parent_reaps)
{
	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"fork(2) inherited fds; mmap(2) MAP_SHARED; io_uring_enter(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	shared_ring_read(_metadata, 0);
}

/*
 * io_uring_enter(2) IOSQE_ASYNC: the request is issued by an io-wq worker.
 * Workers act for the task that submitted (before 5.12 an io-wq kernel
 * thread took the submitter's mm for the work, kernel
 * io_req_work_grab_env(); since 5.12, IORING_FEAT_NATIVE_WORKERS, the
 * workers are threads of the submitting task itself): the child's async
 * READ fills the child's buffer, and the parent reaps the CQE (since 5.6).
 */
TEST(forked_child_async_read_runs_in_child_memory)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IOSQE_ASYNC; fork(2); io_uring_setup(2) IORING_FEAT_NATIVE_WORKERS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	shared_ring_read(_metadata, IOSQE_ASYNC);
}

/*
 * io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: "The kernel enforces this
 * rule, failing requests with -EEXIST"; a forked child is another task,
 * so its submit on the inherited ring fails with EEXIST and leaves the
 * SQE, which the creator then submits (since 6.0; the submitter is the
 * creating task since kernel commit 7cae596bc31f, 6.0).
 */
TEST(single_issuer_ring_refuses_forked_child_submit)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int code;
	pid_t pid;

	CONFORM_DECLARE("6.0", "IORING_SETUP_SINGLE_ISSUER",
			"io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: other tasks get EEXIST");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_SINGLE_ISSUER));
	uring_publish_nop(&ring, 0x5e);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(uring_sys_enter(ring.ring_fd, 1, 0, 0) < 0 ? errno : 0);
	code = child_exit_code(pid);
	EXPECT_EQ(EEXIST, code);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x5eu, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit d7cce96c449e ("io_uring: limit registration w/
 * SINGLE_ISSUER", 6.1): "Extend it to registration as well, so non-owning
 * task can't do registrations": a forked child's io_uring_register(2)
 * (IORING_REGISTER_PROBE) on an inherited SINGLE_ISSUER ring fails with
 * EEXIST, while the creator's succeeds (since 6.1).
 */
TEST(single_issuer_ring_refuses_forked_child_register)
{
	struct io_uring ring;
	struct io_uring_probe *probe;
	size_t len = sizeof(*probe) + 8 * sizeof(struct io_uring_probe_op);
	int code;
	pid_t pid;

	CONFORM_DECLARE("6.1", "IORING_SETUP_SINGLE_ISSUER",
			"kernel commit d7cce96c449e io_uring: limit registration w/ SINGLE_ISSUER");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER);
	probe = calloc(1, len);
	ASSERT_NE(NULL, probe);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_SINGLE_ISSUER));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(uring_register_raw(&ring, IORING_REGISTER_PROBE, probe, 8) < 0 ?
		      errno : 0);
	code = child_exit_code(pid);
	EXPECT_EQ(EEXIST, code);
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_PROBE, probe, 8));
	io_uring_queue_exit(&ring);
	free(probe);
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN "enforces that the call to
 * io_uring_enter(2) is called from the same thread that submitted
 * requests": a forked child's GETEVENTS wait on the inherited ring fails
 * with EEXIST (kernel io_allowed_run_tw()). A NOP's CQE is left in the CQ
 * ring first, so that a kernel without the check returns at once instead
 * of waiting; the CQE is still there for the parent (since 6.1).
 */
TEST(defer_taskrun_ring_refuses_forked_child_getevents)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int code;
	pid_t pid;

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: same thread must enter");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_SINGLE_ISSUER |
						   IORING_SETUP_DEFER_TASKRUN));
	uring_publish_nop(&ring, 0xdf);
	ASSERT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(uring_sys_enter(ring.ring_fd, 0, 1,
				      IORING_ENTER_GETEVENTS) < 0 ? errno : 0);
	code = child_exit_code(pid);
	EXPECT_EQ(EEXIST, code);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xdfu, cqe.user_data);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_uring_get_fd() (commit 2b188cc1bb85 "Add io_uring IO
 * interface", 5.1) allocates the ring fd with O_CLOEXEC: the fd that
 * io_uring_setup(2) returns has FD_CLOEXEC set (fcntl(2) F_GETFD) (since
 * 5.1; the man page does not say).
 */
TEST(ring_fd_is_close_on_exec)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"kernel io_uring_get_fd() O_CLOEXEC (commit 2b188cc1bb85); fcntl(2) F_GETFD");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	fd = conform_sys_io_uring_setup(4, &p);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

/* Fork a child that execs the helper mode on fd; its exit code. */
static int run_helper(const char *mode, int fd)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		exec_helper_mode(mode, fd);
	return child_exit_code(pid);
}

/*
 * execve(2): "By default, file descriptors remain open across an execve().
 * File descriptors that are marked close-on-exec are closed"; the ring fd
 * is close-on-exec, so the new image of a child that inherited it does not
 * have it (since 5.1).
 */
TEST(exec_closes_ring_fd)
{
	struct io_uring ring;
	int code;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"execve(2) close-on-exec fds are closed; kernel io_uring_get_fd() O_CLOEXEC");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	code = run_helper(HELPER_FD_STATE, ring.ring_fd);
	io_uring_queue_exit(&ring);
	if (code == EXEC_FAILED)
		SKIP(return, CONFORM_ENV "cannot exec /proc/self/exe (no /proc?)");
	EXPECT_EQ(FD_NOT_OPEN, code)
		TH_LOG("helper: %d (10 not open, 11 io_uring, 12 other file)", code);
}

/*
 * execve(2): file descriptors without close-on-exec "remain open across an
 * execve()"; the mappings of the old image are gone, but the open ring fd
 * is a reference to the ring (io_uring_setup(2): the ring is released with
 * its file). With FD_CLOEXEC cleared, and the parent's own references
 * dropped before the exec, the new image still has an io_uring fd, and
 * the ring on it still holds the CQE of a NOP run before: poll(2) on the
 * fd reports POLLIN ("the CQ ring has entries") (since 5.1).
 */
TEST(ring_fd_kept_across_exec_keeps_ring_and_cqe)
{
	struct io_uring ring;
	int go[2], code, fd;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"execve(2) fds remain open; io_uring_setup(2) ring lives with its file; poll(2) on a ring fd");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(go));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, 0xe0);
	ASSERT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	fd = ring.ring_fd;
	ASSERT_EQ(0, fcntl(fd, F_SETFD, 0));
	ASSERT_EQ(0, fcntl(go[0], F_SETFD, 0));
	{
		pid_t pid = fork();
		char c = 'g';

		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (read(go[0], &c, 1) != 1)
				_exit(EXEC_FAILED);
			exec_helper_mode(HELPER_RING_READY, fd);
		}
		/* This process lets go of the ring before the child execs. */
		io_uring_queue_exit(&ring);
		ASSERT_EQ(1, write(go[1], &c, 1));
		code = child_exit_code(pid);
	}
	close(go[0]);
	close(go[1]);
	if (code == EXEC_FAILED)
		SKIP(return, CONFORM_ENV "cannot exec /proc/self/exe (no /proc?)");
	EXPECT_EQ(RING_HAS_CQE, code)
		TH_LOG("helper: %d (10 not open, 12 not io_uring, 20 CQE seen, 21 no CQE)",
		       code);
}

/*
 * Kernel commit 0f2122045b94 ("io_uring: don't rely on weak ->files
 * references", 5.10): "When the tasks execs or exits its assigned files,
 * we cancel requests" (fs/exec.c io_uring_task_cancel()). A forked child
 * arms a POLL_ADD on an empty pipe on the shared ring, then execs (a
 * helper that waits, so the child does not exit; the ring fd is kept open
 * across the exec, so no close is involved): the poll is cancelled,
 * and the parent reaps its CQE with -ECANCELED (since 5.10).
 */
TEST(exec_cancels_requests_of_execing_task)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int p[2], w[2], code;
	pid_t pid;

	CONFORM_DECLARE("5.10", "IORING_OP_POLL_ADD",
			"kernel commit 0f2122045b94 io_uring: don't rely on weak ->files references (cancel on exec)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(w));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_poll_add(sqe, p[0], POLLIN);
		io_uring_sqe_set_data64(sqe, 0xec);
		if (io_uring_submit(&ring) != 1)
			_exit(1);
		/* The ring fd stays open: closing it is not what cancels. */
		if (fcntl(w[0], F_SETFD, 0) || fcntl(ring.ring_fd, F_SETFD, 0))
			_exit(2);
		exec_helper_mode(HELPER_WAIT_EOF, w[0]);
	}
	/* The child moved the SQ tail: this process only reaps from now on. */
	EXPECT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xecu, cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	close(w[1]);
	code = child_exit_code(pid);
	if (code == EXEC_FAILED)
		SKIP(return, CONFORM_ENV "cannot exec /proc/self/exe (no /proc?)");
	EXPECT_EQ(WAIT_DONE, code)
		TH_LOG("child: %d (1 submit failed, 2 fcntl failed, 30 helper done)",
		       code);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
	close(w[0]);
}

TEST_HARNESS_MAIN
