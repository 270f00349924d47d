// SPDX-License-Identifier: MIT
/*
 * uring/iowq-exit: the io-wq worker threads of a task. Since 5.12
 * (IORING_FEAT_NATIVE_WORKERS) they are threads of the submitting task,
 * named iou-wrk-<tid>: one appears when a request is punted to io-wq
 * (IOSQE_ASYNC), all of them exit with the thread they work for, and
 * since 7.0 also once the task's last ring is closed. With
 * IORING_REGISTER_IOWQ_MAX_WORKERS (5.15) limits of 1, blocking work runs
 * one request at a time: a second request of the same class waits for
 * the first to finish, for unbounded work (a SPLICE from a pipe) and for
 * bounded work (an OPENAT of a FIFO) alike.
 *
 * Why these requests: an io-wq worker given a forced-async READ of a
 * pollable file (a pipe) arms a poll and lets go (kernel
 * io_wq_submit_work(): "opcode_poll && file_can_poll", 6.x), so such a
 * read occupies no worker while it waits. SPLICE has no poll support and
 * blocks its worker on an empty pipe; OPENAT of a FIFO for reading blocks
 * its worker until a writer opens the FIFO (fifo(7)).
 *
 * No test here probes IOSQE_ASYNC with uring_sqe_flag_missing(): that
 * probe runs an async NOP, whose worker would be this process's too and
 * would be counted (or, on kernels with io-wq exit-on-idle, be on its way
 * out when the test queues its work). Native workers (5.12) and
 * IORING_REGISTER_IOWQ_MAX_WORKERS (5.15) imply IOSQE_ASYNC (5.6).
 */
#include <liburing.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/wait.h>

#include "conform_uring.h"

enum {
	/* Step (ms) of the bounded waits on /proc/self/task. */
	STEP_MS = 2,
};

/*
 * NULL when io-wq workers are threads of the task (IORING_FEAT_NATIVE_WORKERS,
 * 5.12, commit "io_uring: flag new native workers with
 * IORING_FEAT_NATIVE_WORKERS"); else why not.
 */
static const char *native_workers_missing(void)
{
	return conform_uring_feature_missing(IORING_FEAT_NATIVE_WORKERS,
					     "IORING_FEAT_NATIVE_WORKERS");
}

/*
 * Threads of this process other than the calling one (a test process has
 * no threads of its own but what the test starts), or -1 when
 * /proc/self/task cannot be read; *named gets how many are named
 * iou-wrk-<tid>. A new worker shows under its creator's name until it
 * first runs and names itself.
 */
static int count_threads(pid_t tid, int *named)
{
	char want[32];

	snprintf(want, sizeof(want), "iou-wrk-%d", (int)tid);
	return uring_other_threads(NULL, want, named);
}

/*
 * Wait (URING_REAP_BOUND_MS, checking every STEP_MS) until a thread named
 * iou-wrk-<tid> exists (want_named > 0) or until no thread but the caller
 * is left (want_named 0). Returns true when reached.
 */
static bool wait_threads(pid_t tid, int want_named)
{
	struct timespec step = { .tv_nsec = STEP_MS * 1000000L };

	for (int i = 0; i < URING_REAP_BOUND_MS / STEP_MS; i++) {
		int named, n = count_threads(tid, &named);

		if (n < 0)
			return false;
		if (want_named ? named >= want_named : n == 0)
			return true;
		nanosleep(&step, NULL);
	}
	return false;
}

/* Queue (not submit) an IOSQE_ASYNC READ of 16 bytes of rfd, tagged tag. */
static void queue_async_read(struct io_uring *ring, int rfd, char *buf,
			     __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, rfd, buf, 16, 0);
	io_uring_sqe_set_data64(sqe, tag);
	sqe->flags |= IOSQE_ASYNC;
}

/* Queue a SPLICE of up to 16 bytes from pipe in to pipe out, tagged tag. */
static void queue_splice(struct io_uring *ring, int in, int out, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_splice(sqe, in, -1, out, -1, 16, 0);
	io_uring_sqe_set_data64(sqe, tag);
	sqe->flags |= IOSQE_ASYNC;
}

/*
 * io_uring_enter(2) IOSQE_ASYNC: the request is issued "in an async
 * manner", by io-wq; since 5.12 its workers are threads of the submitting
 * task (IORING_FEAT_NATIVE_WORKERS), named iou-wrk-<tid of the task>:
 * an async READ of an empty pipe makes one appear in /proc/self/task
 * (since 5.12).
 */
TEST(async_request_starts_iou_wrk_thread)
{
	struct io_uring ring;
	char buf[16];
	int p[2], named;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"io_uring_enter(2) IOSQE_ASYNC; io_uring_setup(2) IORING_FEAT_NATIVE_WORKERS");
	CONFORM_REQUIRE(native_workers_missing());
	if (count_threads(gettid(), &named) < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the workers");
	ASSERT_EQ(0, named);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_async_read(&ring, p[0], buf, 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_TRUE(wait_threads(gettid(), 1))
		TH_LOG("no iou-wrk-%d thread within %d ms", (int)gettid(),
		       URING_REAP_BOUND_MS);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * Kernel commits 38aa434ab933 ("io_uring/io-wq: add exit-on-idle state")
 * and 912146614894 ("io_uring: allow io-wq workers to exit when unused"),
 * 7.0: "When the last io_uring ctx is removed from the task context, mark
 * the io-wq exit-on-idle so workers can go away". After the task's only
 * ring, which had a blocked SPLICE on an io-wq worker, is closed, the
 * request is cancelled and every worker thread exits (since 7.0;
 * io_uring_register_iowq_max_workers(3) says idle workers "are reaped when
 * they are not necessary anymore", but before 7.0 the last one of each
 * class stayed as long as the task lived, which shows here as a skip
 * naming the missing change).
 */
TEST(workers_exit_after_last_ring_closes)
{
	struct io_uring ring;
	int p[2], q[2], named;

	CONFORM_DECLARE("7.0", "IORING_FEAT_NATIVE_WORKERS",
			"kernel commits 38aa434ab933, 912146614894 (io-wq exit-on-idle); io_uring_register_iowq_max_workers(3)");
	CONFORM_REQUIRE(native_workers_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	if (count_threads(gettid(), &named) < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the workers");
	ASSERT_EQ(0, named);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_splice(&ring, p[0], q[1], 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_TRUE(wait_threads(gettid(), 1));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	if (!wait_threads(gettid(), 0)) {
		count_threads(gettid(), &named);
		close(p[0]);
		close(p[1]);
		close(q[0]);
		close(q[1]);
		SKIP(return, "%d iou-wrk-%d thread(s) still there %d ms after the last ring closed: no io-wq exit-on-idle (kernel commit 912146614894, 7.0)",
		     named, (int)gettid(), URING_REAP_BOUND_MS);
	}
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* A thread that submits one SPLICE from an empty pipe and exits. */
struct splicer {
	struct io_uring *ring;
	int in, out;
	pid_t tid;
	bool seen;	/* its iou-wrk-<tid> thread showed up */
	int submitted;
};

static void *splicer_main(void *arg)
{
	struct splicer *s = arg;

	s->tid = gettid();
	queue_splice(s->ring, s->in, s->out, 0x7d);
	s->submitted = io_uring_submit(s->ring);
	s->seen = s->submitted == 1 && wait_threads(s->tid, 1);
	return NULL;
}

/*
 * Since 5.12 the io-wq belongs to the task that submitted, and is torn
 * down when that task exits (kernel do_exit() -> io_uring_files_cancel()
 * -> io_uring_cancel_generic(), which ends in io_uring_clean_tctx(): the
 * io-wq is put and exited, its workers signalled and waited for). A
 * thread that leaves a SPLICE blocked on its worker and exits takes that
 * worker with it, while the ring, open in the rest of the process, stays:
 * no thread but the main one is left, the SPLICE's CQE comes (its result
 * is only logged: -EINTR on some kernels, the kernel-internal -ERESTARTSYS
 * (-512) on others), and the ring is still usable (since 5.12).
 */
TEST(workers_exit_with_their_thread)
{
	struct splicer s = { 0 };
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int p[2], q[2], named;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"kernel io_uring_cancel_generic()/io_uring_clean_tctx(): io-wq exits with its task (5.12 native workers)");
	CONFORM_REQUIRE(native_workers_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	if (count_threads(gettid(), &named) < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the workers");
	ASSERT_EQ(0, named);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	s.ring = &ring;
	s.in = p[0];
	s.out = q[1];
	ASSERT_EQ(0, uring_run_in_thread(splicer_main, &s));
	ASSERT_EQ(1, s.submitted);
	ASSERT_TRUE(s.seen)
		TH_LOG("no iou-wrk-%d thread while the thread lived", (int)s.tid);
	EXPECT_TRUE(wait_threads(gettid(), 0))
		TH_LOG("threads of the exited thread's io-wq are still there %d ms later",
		       URING_REAP_BOUND_MS);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x7du, cqe.user_data);
	TH_LOG("the interrupted SPLICE completed with %d", cqe.res);
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/*
 * NULL when IORING_REGISTER_IOWQ_MAX_WORKERS (5.15) is known: a query
 * (both values 0) succeeds on a ring of its own; else why not.
 */
static const char *max_workers_missing(void)
{
	__u32 vals[2] = { 0, 0 };

	return uring_register_missing(IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2,
				      "IORING_REGISTER_IOWQ_MAX_WORKERS");
}

/*
 * io_uring_register_iowq_max_workers(3): "Unbounded: Work items here may
 * take an indefinite amount of time to complete. Examples include doing
 * IO to sockets, pipes"; the second value limits them. With an unbounded
 * limit of 1, two SPLICEs from two empty pipes cannot both wait: the one
 * worker blocks in the first, so data written to the second pipe is not
 * moved, and no CQE comes, until the first pipe gets data; then both
 * complete, and only one worker thread ever existed (since 5.15).
 */
TEST(unbounded_limit_one_runs_one_pipe_splice_at_a_time)
{
	__u32 vals[2] = { 0, 1 };
	const __u64 tags[2] = { 1, 2 };
	struct io_uring ring;
	int a[2], b[2], qa[2], qb[2], res[2], n, named;
	bool native;

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3) unbounded workers; io_uring_register(2)");
	CONFORM_REQUIRE(max_workers_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	/* Workers are threads of this process to count only since 5.12. */
	native = native_workers_missing() == NULL;
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, conform_pipe(qa));
	ASSERT_EQ(0, conform_pipe(qb));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_IOWQ_MAX_WORKERS,
					vals, 2));
	queue_splice(&ring, a[0], qa[1], tags[0]);
	queue_splice(&ring, b[0], qb[1], tags[1]);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(1, write(b[1], "b", 1));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	EXPECT_FALSE(conform_fd_readable(qb[0], 0));
	n = count_threads(gettid(), &named);
	if (native && n >= 0)
		EXPECT_EQ(1, n);
	ASSERT_EQ(1, write(a[1], "a", 1));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(1, res[0]);
	EXPECT_EQ(1, res[1]);
	EXPECT_TRUE(conform_fd_readable(qb[0], 0));
	io_uring_queue_exit(&ring);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]);
	close(qa[0]); close(qa[1]); close(qb[0]); close(qb[1]);
}

/* Queue an IOSQE_ASYNC OPENAT of path, read-only, tagged tag. */
static void queue_open_fifo(struct io_uring *ring, const char *path, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	io_uring_sqe_set_data64(sqe, tag);
	sqe->flags |= IOSQE_ASYNC;
}

/*
 * io_uring_register_iowq_max_workers(3): the first value limits the
 * bounded workers. The kernel counts a request as unbounded only when its
 * opcode is marked so and its file is not a regular one (kernel
 * io_prep_async_work(): unbound_nonreg_file); IORING_OP_OPENAT has no
 * file and no such mark, so it is bounded work, even when opening a FIFO
 * blocks (fifo(7): "opening the FIFO blocks until the other end is
 * opened also"). With a bounded limit of 1, a second OPENAT waits behind
 * the first: its FIFO's writer (an O_RDWR open, which never blocks) does
 * not complete it until the first FIFO also gets one; then both complete
 * with an fd (since 5.15).
 */
TEST(bounded_limit_one_runs_one_fifo_open_at_a_time)
{
	__u32 vals[2] = { 1, 0 };
	const __u64 tags[2] = { 1, 2 };
	char f1[300], f2[300];
	struct io_uring ring;
	int w1, w2, res[2];

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3) bounded workers; kernel io_prep_async_work(); fifo(7)");
	CONFORM_REQUIRE(max_workers_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(f1, sizeof(f1), "fifo1");
	conform_tmppath(f2, sizeof(f2), "fifo2");
	ASSERT_EQ(0, mkfifo(f1, 0600));
	ASSERT_EQ(0, mkfifo(f2, 0600));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_IOWQ_MAX_WORKERS,
					vals, 2));
	queue_open_fifo(&ring, f1, tags[0]);
	queue_open_fifo(&ring, f2, tags[1]);
	ASSERT_EQ(2, io_uring_submit(&ring));
	w2 = open(f2, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, w2);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	w1 = open(f1, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, w1);
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_LE(0, res[0]);
	EXPECT_LE(0, res[1]);
	for (int i = 0; i < 2; i++)
		if (res[i] >= 0)
			close(res[i]);
	io_uring_queue_exit(&ring);
	close(w1);
	close(w2);
	unlink(f1);
	unlink(f2);
}

/*
 * The counterpart of the test above, which shows that the limit, not the
 * FIFOs, holds the second OPENAT back: io_uring_register_iowq_max_workers(3)
 * "These are both maximum values": with a bounded limit of 2 a second
 * worker takes the second OPENAT while the first blocks, so the writer of
 * the second FIFO completes it while the first still waits (since 5.15).
 */
TEST(bounded_limit_two_runs_two_fifo_opens_at_once)
{
	__u32 vals[2] = { 2, 0 };
	char f1[300], f2[300];
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int w1, w2;

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3) bounded workers; fifo(7)");
	CONFORM_REQUIRE(max_workers_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(f1, sizeof(f1), "fifo1");
	conform_tmppath(f2, sizeof(f2), "fifo2");
	ASSERT_EQ(0, mkfifo(f1, 0600));
	ASSERT_EQ(0, mkfifo(f2, 0600));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_IOWQ_MAX_WORKERS,
					vals, 2));
	queue_open_fifo(&ring, f1, 1);
	queue_open_fifo(&ring, f2, 2);
	ASSERT_EQ(2, io_uring_submit(&ring));
	w2 = open(f2, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, w2);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(2u, cqe.user_data);
	EXPECT_LE(0, cqe.res);
	if (cqe.res >= 0)
		close(cqe.res);
	w1 = open(f1, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, w1);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1u, cqe.user_data);
	EXPECT_LE(0, cqe.res);
	if (cqe.res >= 0)
		close(cqe.res);
	io_uring_queue_exit(&ring);
	close(w1);
	close(w2);
	unlink(f1);
	unlink(f2);
}

/*
 * io_uring_register_iowq_max_workers(3): "By default, the amount of
 * bounded IO workers is limited to how many SQ entries the ring was setup
 * with, or 4 times the number of online CPUs in the system, whichever is
 * smaller". Since 5.12 the io-wq belongs to the task and is made with its
 * first ring (kernel io_init_wq_offload(): "Do QD, or 4 * CPUS, whatever
 * is smallest", from the ring that creates the task context): in a fresh
 * process whose first ring has 2 entries, a query through a second,
 * 64-entry ring reads a bounded limit of 2, not min(64, 4 * CPUs) (since
 * 5.15, the query).
 */
TEST(default_bounded_limit_comes_from_first_ring_of_task)
{
	int status;
	pid_t pid;

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3) default bounded limit; kernel io_init_wq_offload()");
	CONFORM_REQUIRE(max_workers_missing());
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring small, big;
		__u32 vals[2] = { 0, 0 };

		if (io_uring_queue_init(2, &small, 0) ||
		    io_uring_queue_init(64, &big, 0))
			_exit(200);
		if (uring_register_raw(&big, IORING_REGISTER_IOWQ_MAX_WORKERS,
				       vals, 2))
			_exit(201);
		_exit(vals[0] > 199 ? 199 : (int)vals[0]);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_GT(200, WEXITSTATUS(status))
		TH_LOG("child set-up failed: %d", WEXITSTATUS(status));
	EXPECT_EQ(2, WEXITSTATUS(status))
		TH_LOG("bounded limit read through the 64-entry ring: %d (CPUs online: %ld)",
		       WEXITSTATUS(status), sysconf(_SC_NPROCESSORS_ONLN));
}

TEST_HARNESS_MAIN
