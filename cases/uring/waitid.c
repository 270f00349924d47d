// SPDX-License-Identifier: MIT
/*
 * uring/waitid: IORING_OP_WAITID (Linux 6.7), the asynchronous waitid(2):
 * a request that completes when a child exits and fills the siginfo_t the
 * way waitid(2) does, WNOWAIT leaving the child waitable, and the errors
 * of waitid(2) (ECHILD, EINVAL) plus the request's own (unknown flags).
 * The 6.1 header and liburing 2.3 lack the opcode: SQEs are filled by hand
 * (len: idtype, fd: id, file_index: options, addr2: infop).
 */
#include <liburing.h>
#include <sys/wait.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG = 0x51 };

#define REQUIRE_WAITID()                                                       \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_WAITID,         \
						 "IORING_OP_WAITID"))

/* Queue a waitid request on ring: the SQE, or NULL when the SQ ring is
 * full (never here: each test has at most one SQE queued at a time). */
static struct io_uring_sqe *queue_waitid(struct io_uring *ring,
					 idtype_t idtype, id_t id,
					 siginfo_t *info, int options)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return NULL;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_WAITID;
	sqe->len = (__u32)idtype;
	sqe->fd = (int)id;
	sqe->file_index = (__u32)options;
	sqe->addr2 = (__u64)(uintptr_t)info;
	sqe->user_data = TAG;
	return sqe;
}

/*
 * Fork a child that waits for end of file on a pipe and then exits with
 * status code. *release is the write end: closing it lets the child exit.
 * Returns the child's pid, or -1.
 */
static pid_t child_waiting(int code, int *release)
{
	int p[2];
	pid_t pid;

	if (conform_pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		while (read(p[0], &c, 1) > 0)
			;
		_exit(code);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*release = p[1];
	return pid;
}

/*
 * Start a child_waiting(code) and submit a WEXITED waitid filling *info,
 * for that child (P_PID) or any child (P_ALL); returns the child's pid.
 */
static pid_t submit_waitid_for_child(struct __test_metadata *_metadata,
				     struct io_uring *ring, idtype_t idtype,
				     int code, siginfo_t *info, int *release)
{
	pid_t pid = child_waiting(code, release);

	ASSERT_LT(0, pid);
	memset(info, 0, sizeof(*info));
	queue_waitid(ring, idtype, idtype == P_PID ? (id_t)pid : 0, info,
		     WEXITED);
	ASSERT_EQ(1, io_uring_submit(ring));
	return pid;
}

/*
 * io_uring_enter(2) IORING_OP_WAITID "waitid(2)": the request stays
 * pending while the child runs, completes with res 0 once it exits, and
 * the siginfo_t holds SIGCHLD, CLD_EXITED, the child's pid and uid and its
 * exit status, as waitid(2) describes (since 6.7).
 */
TEST(completes_when_child_exits_with_siginfo_filled)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	siginfo_t info;
	int release;
	pid_t pid;

	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_WAITID, waitid(2)");
	REQUIRE_WAITID();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	pid = submit_waitid_for_child(_metadata, &ring, P_PID, 7, &info,
				      &release);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	close(release);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(SIGCHLD, info.si_signo);
	EXPECT_EQ(CLD_EXITED, info.si_code);
	EXPECT_EQ(pid, info.si_pid);
	EXPECT_EQ(getuid(), info.si_uid);
	EXPECT_EQ(7, info.si_status);
	/* Reaped: nothing is left to wait for. */
	EXPECT_EQ(-1, waitpid(pid, NULL, WNOHANG));
	EXPECT_EQ(ECHILD, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_WAITID with P_ALL; waitid(2): a child killed
 * by a signal is reported with CLD_KILLED and the signal in si_status
 * (since 6.7).
 */
TEST(p_all_reports_child_killed_by_signal)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	siginfo_t info;
	int release;
	pid_t pid;

	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"waitid(2) P_ALL, CLD_KILLED");
	REQUIRE_WAITID();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	pid = submit_waitid_for_child(_metadata, &ring, P_ALL, 0, &info,
				      &release);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(SIGCHLD, info.si_signo);
	EXPECT_EQ(CLD_KILLED, info.si_code);
	EXPECT_EQ(pid, info.si_pid);
	EXPECT_EQ(SIGKILL, info.si_status);
	close(release);
	io_uring_queue_exit(&ring);
}

/*
 * waitid(2) WNOWAIT "leave the child in a waitable state", through
 * IORING_OP_WAITID: the request reports the exit and a later waitpid(2)
 * still reaps the child with the same status (since 6.7).
 */
TEST(wnowait_leaves_child_waitable)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	siginfo_t info;
	int release, status = 0;
	pid_t pid;

	CONFORM_DECLARE("6.7", "IORING_OP_WAITID", "waitid(2) WNOWAIT");
	REQUIRE_WAITID();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	pid = child_waiting(3, &release);
	ASSERT_LT(0, pid);
	close(release);
	memset(&info, 0, sizeof(info));
	queue_waitid(&ring, P_PID, (id_t)pid, &info,
		    WEXITED | WNOWAIT);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(pid, info.si_pid);
	EXPECT_EQ(3, info.si_status);
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(3, WEXITSTATUS(status));
	io_uring_queue_exit(&ring);
}

/*
 * waitid(2) ECHILD "the process specified by idtype and id does not exist
 * or is not a child", through IORING_OP_WAITID: with no children at all,
 * and for a pid that is not a child (our parent), -ECHILD (since 6.7).
 */
TEST(no_such_child_gets_echild)
{
	struct io_uring ring;
	siginfo_t info;

	CONFORM_DECLARE("6.7", "IORING_OP_WAITID", "waitid(2) ECHILD");
	REQUIRE_WAITID();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_waitid(&ring, P_ALL, 0, &info, WEXITED);
	EXPECT_EQ(-ECHILD, uring_submit_res(&ring));
	queue_waitid(&ring, P_PID, (id_t)getppid(), &info,
		    WEXITED);
	EXPECT_EQ(-ECHILD, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * waitid(2) EINVAL "the options argument was invalid", through
 * IORING_OP_WAITID: options without WEXITED, WSTOPPED or WCONTINUED, and
 * an unknown idtype, both give -EINVAL (since 6.7).
 */
TEST(invalid_options_or_idtype_get_einval)
{
	struct io_uring ring;
	siginfo_t info;

	CONFORM_DECLARE("6.7", "IORING_OP_WAITID", "waitid(2) EINVAL");
	REQUIRE_WAITID();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_waitid(&ring, P_ALL, 0, &info, WNOHANG);
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	queue_waitid(&ring, (idtype_t)77, 0, &info, WEXITED);
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * IORING_OP_WAITID defines no request flags yet: a nonzero waitid_flags
 * (the rw_flags word) or an address in sqe->addr is refused with -EINVAL
 * (kernel io_uring/waitid.c io_waitid_prep, since 6.7).
 */
TEST(unknown_flags_or_addr_get_einval)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	siginfo_t info;

	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring/waitid.c io_waitid_prep(): EINVAL for flags or addr");
	REQUIRE_WAITID();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = queue_waitid(&ring, P_ALL, 0, &info, WEXITED);
	ASSERT_NE(NULL, sqe);
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	sqe = queue_waitid(&ring, P_ALL, 0, &info, WEXITED);
	ASSERT_NE(NULL, sqe);
	sqe->addr = (__u64)(uintptr_t)&info;
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
