// SPDX-License-Identifier: MIT
/*
 * uring/sqpoll: rings with IORING_SETUP_SQPOLL: the kernel thread takes
 * SQEs published in the SQ ring without io_uring_enter(2), sets
 * IORING_SQ_NEED_WAKEUP once idle for sq_thread_idle ms, is woken with
 * IORING_ENTER_SQ_WAKEUP, serves plain fds since 5.11 (registered files
 * only before), and is bound to sq_thread_cpu with IORING_SETUP_SQ_AFF.
 */
#include <liburing.h>
#include <dirent.h>

#include "conform_uring.h"

enum {
	/* Idle time (ms) of threads that must not fall asleep in a test. */
	AWAKE_IDLE_MS = 10000,
	/* Idle time (ms) of threads meant to fall asleep. */
	SHORT_IDLE_MS = 10,
};

static int sqpoll_ring(struct io_uring *ring, unsigned int idle_ms,
		       unsigned int extra_flags, unsigned int cpu)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | extra_flags;
	p.sq_thread_idle = idle_ms;
	p.sq_thread_cpu = cpu;
	return io_uring_queue_init_params(4, ring, &p);
}

/*
 * Wait (5 s bound, checking every millisecond) until the SQ ring flags
 * show IORING_SQ_NEED_WAKEUP. The flag is a state the thread reaches after
 * its idle time; the loop waits for that state, it does not race it.
 */
static bool wait_need_wakeup(struct io_uring *ring)
{
	struct timespec ms = { .tv_nsec = 1000 * 1000 };

	for (int i = 0; i < 5000; i++) {
		if (io_uring_smp_load_acquire(ring->sq.kflags) &
		    IORING_SQ_NEED_WAKEUP)
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "the application can submit and
 * reap I/Os without doing a single system call": a NOP published in the SQ
 * ring while the thread is awake (it ran a request less than
 * sq_thread_idle ms ago) completes with no io_uring_enter(2); the CQE is
 * waited for with poll(2) on the ring fd (since 5.1).
 */
TEST(sq_thread_takes_sqe_without_enter)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, sqpoll_ring(&ring, AWAKE_IDLE_MS, 0, 0));
	/* Warm-up through io_uring_submit(), which wakes the thread if it
	 * sleeps: the idle time counts from the thread's last work, and
	 * right after creation it may already be asleep (seen on 6.18). */
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	uring_publish_nop(&ring, 0x5e1f);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x5e1fu, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "If the kernel thread is idle for
 * more than sq_thread_idle milliseconds, it will set the
 * IORING_SQ_NEED_WAKEUP bit in the flags field of the struct io_sq_ring"
 * (since 5.1).
 */
TEST(idle_sq_thread_sets_need_wakeup)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "IORING_SQ_NEED_WAKEUP",
			"io_uring_setup(2) IORING_SETUP_SQPOLL: IORING_SQ_NEED_WAKEUP after sq_thread_idle");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, sqpoll_ring(&ring, SHORT_IDLE_MS, 0, 0));
	EXPECT_TRUE(wait_need_wakeup(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_SQ_WAKEUP: wakes the SQ thread "to submit
 * IO"; with SQPOLL the call returns to_submit ("the return value will
 * generally be the same as to_submit"), and the published NOP completes
 * (since 5.1).
 */
TEST(sq_wakeup_enter_resumes_sleeping_thread)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.1", "IORING_ENTER_SQ_WAKEUP",
			"io_uring_enter(2) IORING_ENTER_SQ_WAKEUP");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, sqpoll_ring(&ring, SHORT_IDLE_MS, 0, 0));
	ASSERT_TRUE(wait_need_wakeup(&ring));
	uring_publish_nop(&ring, 0xa1a3);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0,
				     IORING_ENTER_SQ_WAKEUP));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xa1a3u, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "Before version 5.11 ... the
 * application must register a set of files ... Failure to do so will result
 * in submitted IO being errored with EBADF"; since 5.11
 * (IORING_FEAT_SQPOLL_NONFIXED) a plain fd works. Each variant is asserted
 * exactly; the read is IORING_OP_READ, so the test holds since 5.6.
 */
TEST(sqpoll_read_of_plain_fd)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	static char buf[4096];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL: EBADF before 5.11, IORING_FEAT_SQPOLL_NONFIXED since");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	ASSERT_EQ(0, io_uring_queue_init_params(4, &ring, &p));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, buf, sizeof(buf), 4096);
	ASSERT_TRUE(uring_submitted_one(&ring, io_uring_submit(&ring)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	if (p.features & IORING_FEAT_SQPOLL_NONFIXED) {
		EXPECT_EQ(4096, cqe.res);
		EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	} else {
		TH_LOG("no IORING_FEAT_SQPOLL_NONFIXED: kernel shows pre-5.11 behaviour");
		EXPECT_EQ(-EBADF, cqe.res);
	}
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * The tid of this process's SQ poll thread ("iou-sqp-<pid>", a thread of
 * the process since 5.12), 0 if there is none, -1 if /proc is unreadable.
 */
static pid_t find_sqpoll_thread(void)
{
	char want[32], path[300], comm[64];
	struct dirent *de;
	pid_t tid = 0;
	DIR *d;

	snprintf(want, sizeof(want), "iou-sqp-%d", (int)getpid());
	d = opendir("/proc/self/task");
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (!strcmp(comm, want)) {
			tid = (pid_t)atoi(de->d_name);
			break;
		}
	}
	closedir(d);
	return tid;
}

/*
 * io_uring_setup(2) IORING_SETUP_SQ_AFF: "the poll thread will be bound to
 * the cpu set in the sq_thread_cpu field" (since 5.1). The thread is
 * looked for as a thread of this process (since 5.12; before, it is a
 * kernel thread, and the test skips), so the test holds since 5.12. A NOP round trip first shows that
 * the thread has started and set its affinity.
 */
TEST(sq_aff_binds_thread_to_sq_thread_cpu)
{
	struct io_uring ring;
	cpu_set_t mine, theirs;
	int cpu;
	pid_t tid;

	int ret;

	CONFORM_DECLARE("5.12", "IORING_SETUP_SQ_AFF",
			"io_uring_setup(2) IORING_SETUP_SQ_AFF; iou-sqp thread of the process since 5.12");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(mine), &mine));
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &mine); cpu++)
		;
	ASSERT_GT(CPU_SETSIZE, cpu);
	/* No CONFORM_REQUIRE_URING_SETUP here: its probe ring's SQ thread
	 * could still be exiting while this test looks for its own. */
	ret = sqpoll_ring(&ring, AWAKE_IDLE_MS, IORING_SETUP_SQ_AFF, cpu);
	if (ret)
		SKIP(return, "%s", conform_uring_setup_why("IORING_SETUP_SQPOLL|IORING_SETUP_SQ_AFF", -ret));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	tid = find_sqpoll_thread();
	if (tid <= 0) {
		io_uring_queue_exit(&ring);
		if (tid < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the SQ thread");
		SKIP(return, "no iou-sqp-%d thread in /proc/self/task: the SQ thread is not a thread of this process", (int)getpid());
	}
	ASSERT_EQ(0, sched_getaffinity(tid, sizeof(theirs), &theirs));
	EXPECT_EQ(1, CPU_COUNT(&theirs));
	EXPECT_TRUE(CPU_ISSET(cpu, &theirs));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_sq_offload_create(): with IORING_SETUP_SQ_AFF an sq_thread_cpu
 * that is not a possible, online CPU makes io_uring_setup(2) fail with
 * EINVAL (since 5.2, commit 44a9bd18a0f0 "io_uring: fix failure to verify
 * SQ_AFF cpu"; 5.1 wrapped the number to CPU 0 and the setup succeeded).
 */
TEST(sq_aff_with_absent_cpu_gets_einval)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("5.2", "IORING_SETUP_SQ_AFF",
			"commit 44a9bd18a0f0 (5.2) io_uring: fix failure to verify SQ_AFF cpu");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
	p.sq_thread_idle = SHORT_IDLE_MS;
	p.sq_thread_cpu = 1U << 30;
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
