// SPDX-License-Identifier: MIT
/*
 * uring/attach-wq: IORING_SETUP_ATTACH_WQ (5.6): a ring created with
 * params.wq_fd naming an existing ring shares its asynchronous worker
 * backend (io-wq) "rather than create a new separate thread pool", and,
 * with IORING_SETUP_SQPOLL (5.10), its SQ polling thread. Async requests
 * (IOSQE_ASYNC) of both rings complete, also after the other ring is
 * closed and in a ring of another process; IORING_REGISTER_IOWQ_MAX_WORKERS
 * set through one ring is read back through the other; and the errors of
 * wq_fd: not an io_uring (EINVAL), not open (EBADF before 5.12, ENXIO
 * since), an SQPOLL attach to a ring without an SQ thread (EINVAL).
 *
 * Since 5.12 io-wq is per task, not per ring (kernel commit "io_uring:
 * disable io-wq attaching", part of the 5.12 io-wq rework that brought
 * IORING_FEAT_NATIVE_WORKERS): the flag then only checks wq_fd, and the
 * rings of one task share its io-wq anyway. The tests assert what both
 * designs give, or the variant the feature bit names.
 */
#include <liburing.h>
#include <sys/wait.h>

#include "conform_uring.h"

/* io_uring_setup(4, ...) of a liburing ring with ATTACH_WQ | extra, wq_fd
 * given: 0, or the -errno of the setup. */
static int attached_ring(struct io_uring *ring, int wq_fd, unsigned int extra)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_ATTACH_WQ | extra;
	p.wq_fd = (__u32)wq_fd;
	if (extra & IORING_SETUP_SQPOLL)
		p.sq_thread_idle = 1000;
	return io_uring_queue_init_params(4, ring, &p);
}

/* The raw io_uring_setup(2) with ATTACH_WQ and wq_fd: fd, or -1/errno. */
static int attach_setup_raw(int wq_fd, unsigned int extra)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_ATTACH_WQ | extra;
	p.wq_fd = (__u32)wq_fd;
	if (extra & IORING_SETUP_SQPOLL)
		p.sq_thread_idle = 1000;
	return conform_sys_io_uring_setup(4, &p);
}

/*
 * Queue on ring a one-byte READ of the empty pipe p[0] with IOSQE_ASYNC
 * (so it goes to io-wq), tagged tag, into *buf, and submit it. 0, or -1.
 */
static int start_async_read(struct io_uring *ring, int p[2], char *buf,
			    __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -1;
	io_uring_prep_read(sqe, p[0], buf, 1, 0);
	sqe->flags |= IOSQE_ASYNC;
	io_uring_sqe_set_data64(sqe, tag);
	return io_uring_submit(ring) == 1 ? 0 : -1;
}

/*
 * An async read started on ring stays pending on the empty pipe, and
 * completes with 1 and the byte once one is written. 0 when all of that
 * happened; else a negative step number (for a child's exit status).
 */
static int async_read_round_trip(struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe cqe;
	char buf = 0;
	int p[2], ret = 0;

	if (conform_pipe(p))
		return -1;
	if (start_async_read(ring, p, &buf, tag))
		ret = -2;
	else if (uring_wait_briefly(ring) != -ETIME)
		ret = -3;
	else if (write(p[1], "k", 1) != 1)
		ret = -4;
	else if (uring_reap_one(ring, &cqe))
		ret = -5;
	else if (cqe.user_data != tag || cqe.res != 1 || buf != 'k')
		ret = -6;
	close(p[0]);
	close(p[1]);
	return ret;
}

static const char *attach_missing(void)
{
	struct io_uring a, b;
	const char *why = conform_uring_unavailable();
	int ret;

	if (why)
		return why;
	if (io_uring_queue_init(4, &a, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	ret = attached_ring(&b, a.ring_fd, 0);
	io_uring_queue_exit(&a);
	if (ret == 0) {
		io_uring_queue_exit(&b);
		return NULL;
	}
	return conform_uring_setup_why("IORING_SETUP_ATTACH_WQ", -ret);
}

#define REQUIRE_ATTACH() CONFORM_REQUIRE(attach_missing())

/*
 * io_uring_setup(2) IORING_SETUP_ATTACH_WQ: the new ring "will share the
 * asynchronous worker thread backend of the specified io_uring ring". An
 * IOSQE_ASYNC read of an empty pipe on each ring is pending at the same
 * time, and each completes with its byte once written (since 5.6).
 */
TEST(attached_rings_both_run_async_requests)
{
	struct io_uring a, b;
	struct io_uring_cqe cqe;
	char buf[2] = { 0, 0 };
	int p1[2], p2[2];

	CONFORM_DECLARE("5.6", "IORING_SETUP_ATTACH_WQ",
			"io_uring_setup(2) IORING_SETUP_ATTACH_WQ");
	REQUIRE_ATTACH();
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	ASSERT_EQ(0, conform_pipe(p1));
	ASSERT_EQ(0, conform_pipe(p2));
	ASSERT_EQ(0, io_uring_queue_init(4, &a, 0));
	ASSERT_EQ(0, attached_ring(&b, a.ring_fd, 0));
	ASSERT_EQ(0, start_async_read(&a, p1, &buf[0], 1));
	ASSERT_EQ(0, start_async_read(&b, p2, &buf[1], 2));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&a));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&b));
	ASSERT_EQ(1, write(p2[1], "b", 1));
	ASSERT_EQ(0, uring_reap_one(&b, &cqe));
	EXPECT_EQ(2u, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	EXPECT_EQ('b', buf[1]);
	ASSERT_EQ(1, write(p1[1], "a", 1));
	ASSERT_EQ(0, uring_reap_one(&a, &cqe));
	EXPECT_EQ(1u, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	EXPECT_EQ('a', buf[0]);
	io_uring_queue_exit(&b);
	io_uring_queue_exit(&a);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

/*
 * Kernel commit 24369c2e3bb0 ("io_uring: add io-wq workqueue sharing"):
 * the attached ring takes its own reference on the shared backend, so it
 * keeps working when the ring it attached to is closed: an async read on
 * it still completes (since 5.6).
 */
TEST(attached_ring_runs_async_requests_after_other_ring_closes)
{
	struct io_uring a, b;

	CONFORM_DECLARE("5.6", "IORING_SETUP_ATTACH_WQ",
			"kernel commit 24369c2e3bb0 (io-wq workqueue sharing)");
	REQUIRE_ATTACH();
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	ASSERT_EQ(0, io_uring_queue_init(4, &a, 0));
	ASSERT_EQ(0, attached_ring(&b, a.ring_fd, 0));
	io_uring_queue_exit(&a);
	EXPECT_EQ(0, async_read_round_trip(&b, 7));
	io_uring_queue_exit(&b);
}

/*
 * io_uring_setup(2) IORING_SETUP_ATTACH_WQ: wq_fd must be "an existing
 * io_uring ring file descriptor"; a pipe gets EINVAL (kernel: "If the flag
 * is set but it can't share io-wq, it fails", commit 24369c2e3bb0; kept
 * by 5.12's per-task io-wq, commit "io_uring: disable io-wq attaching":
 * "Retain compatibility with failing for an invalid attach attempt")
 * (since 5.6).
 */
TEST(attach_wq_fd_not_io_uring_gets_einval)
{
	int p[2], fd;

	CONFORM_DECLARE("5.6", "IORING_SETUP_ATTACH_WQ",
			"io_uring_setup(2) IORING_SETUP_ATTACH_WQ; kernel commit 24369c2e3bb0");
	REQUIRE_ATTACH();
	ASSERT_EQ(0, conform_pipe(p));
	fd = attach_setup_raw(p[0], 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
	close(p[0]);
	close(p[1]);
}

/*
 * wq_fd not open at all: 5.6 to 5.11 fail with EBADF (io_init_wq_offload,
 * commit 24369c2e3bb0); the 5.12 per-task io-wq rework keeps the check but
 * returns ENXIO (kernel commit "io_uring: disable io-wq attaching": "Retain
 * compatibility with failing for an invalid attach attempt"). The same rework brought
 * IORING_FEAT_NATIVE_WORKERS (5.12), which picks the variant asserted; the
 * log says which (since 5.6).
 */
TEST(attach_wq_fd_not_open_gets_ebadf_or_enxio)
{
	bool per_task;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_SETUP_ATTACH_WQ",
			"kernel commits 24369c2e3bb0 (EBADF), 'io_uring: disable io-wq attaching' (ENXIO, 5.12)");
	REQUIRE_ATTACH();
	per_task = !conform_uring_feature_missing(IORING_FEAT_NATIVE_WORKERS,
						  "IORING_FEAT_NATIVE_WORKERS");
	fd = attach_setup_raw(conform_bad_fd(), 0);
	EXPECT_EQ(-1, fd);
	if (per_task) {
		TH_LOG("IORING_FEAT_NATIVE_WORKERS: per-task io-wq, ENXIO");
		EXPECT_EQ(ENXIO, errno);
	} else {
		TH_LOG("no IORING_FEAT_NATIVE_WORKERS: shared io-wq, EBADF");
		EXPECT_EQ(EBADF, errno);
	}
	if (fd >= 0)
		close(fd);
}

/*
 * io_uring_setup(2) IORING_SETUP_ATTACH_WQ asks only for "an existing
 * io_uring ring file descriptor": a child process that inherited the
 * parent's ring fd attaches to it, and an async read on its new ring
 * completes there. Before 5.12 the child uses the parent's io-wq; since,
 * the flag checks wq_fd and the child's own io-wq serves it (since 5.6).
 */
TEST(attach_to_ring_of_another_process_is_accepted)
{
	struct io_uring a;
	int status;
	pid_t pid;

	CONFORM_DECLARE("5.6", "IORING_SETUP_ATTACH_WQ",
			"io_uring_setup(2) IORING_SETUP_ATTACH_WQ wq_fd");
	REQUIRE_ATTACH();
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	ASSERT_EQ(0, io_uring_queue_init(4, &a, 0));
	ASSERT_EQ(0, uring_run_nop(&a, IOSQE_ASYNC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring b;
		int ret = attached_ring(&b, a.ring_fd, 0);

		if (ret)
			_exit(100 - ret);	/* 100 + errno of the setup */
		ret = async_read_round_trip(&b, 9);
		io_uring_queue_exit(&b);
		_exit(-ret);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: %d (100 + setup errno, or the failing step)",
		       WEXITSTATUS(status));
	io_uring_queue_exit(&a);
}

/*
 * io_uring_register(2) IORING_REGISTER_IOWQ_MAX_WORKERS (5.15) sets the
 * worker limits of the io-wq the ring uses and writes the previous ones
 * back: limits set through one ring are what a query (0, 0) through the
 * ring attached to it reads, as both use one io-wq (since 5.15).
 */
TEST(iowq_max_workers_set_via_one_ring_is_read_via_attached_ring)
{
	struct io_uring a, b;
	__u32 set[2] = { 2, 3 }, got[2] = { 0, 0 };
	int ret;

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register(2) IORING_REGISTER_IOWQ_MAX_WORKERS; IORING_SETUP_ATTACH_WQ");
	REQUIRE_ATTACH();
	ASSERT_EQ(0, io_uring_queue_init(4, &a, 0));
	ASSERT_EQ(0, uring_run_nop(&a, 0));
	ASSERT_EQ(0, attached_ring(&b, a.ring_fd, 0));
	ASSERT_EQ(0, uring_run_nop(&b, 0));
	ret = uring_register_raw(&a, IORING_REGISTER_IOWQ_MAX_WORKERS, set, 2);
	if (ret < 0) {
		int err = errno;

		io_uring_queue_exit(&b);
		io_uring_queue_exit(&a);
		SKIP(return, "IORING_REGISTER_IOWQ_MAX_WORKERS: %s (not supported by this kernel)",
		     strerror(err));
	}
	EXPECT_EQ(0, uring_register_raw(&b, IORING_REGISTER_IOWQ_MAX_WORKERS,
					got, 2));
	EXPECT_EQ(2u, got[0]);
	EXPECT_EQ(3u, got[1]);
	io_uring_queue_exit(&b);
	io_uring_queue_exit(&a);
}

/*
 * Kernel commit aa06165de863 ("io_uring: enable IORING_SETUP_ATTACH_WQ to
 * attach to SQPOLL thread too"): with IORING_SETUP_SQPOLL the new ring
 * attaches to the SQ thread of wq_fd's ring; a ring without one gives
 * nothing to attach to, and the setup fails with EINVAL (since 5.10).
 */
TEST(sqpoll_attach_to_ring_without_sq_thread_gets_einval)
{
	struct io_uring a;
	int fd;

	CONFORM_DECLARE("5.10", "IORING_SETUP_ATTACH_WQ",
			"kernel commit aa06165de863 (attach to the SQPOLL thread)");
	REQUIRE_ATTACH();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, io_uring_queue_init(4, &a, 0));
	fd = attach_setup_raw(a.ring_fd, IORING_SETUP_SQPOLL);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
	io_uring_queue_exit(&a);
}

/* A 4-entry SQPOLL ring (1 s idle): 0, or -errno. */
static int sqpoll_ring(struct io_uring *ring)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 1000;
	return io_uring_queue_init_params(4, ring, &p);
}

/* The tids of this process's tasks (threads), t->n of them in t->tid, or
 * t->n -1 without /proc (conform_thread_ids). */
struct tasks {
	int n;
	pid_t tid[CONFORM_MAX_THREADS];
};

static void list_tasks(struct tasks *t)
{
	t->n = conform_thread_ids(t->tid);
}

/* How many tasks of after are not in before: the threads started in
 * between (a thread that exited meanwhile, such as the SQ thread of the
 * probe's ring, which ends after its ring is closed, does not count). */
static int new_tasks(const struct tasks *before, const struct tasks *after)
{
	int n = 0;

	for (int i = 0; i < after->n; i++) {
		int j = 0;

		while (j < before->n && before->tid[j] != after->tid[i])
			j++;
		n += j == before->n;
	}
	return n;
}

/*
 * Kernel commit aa06165de863: "multiple rings can share the same SQPOLL
 * thread". Since 5.12 (IORING_FEAT_NATIVE_WORKERS) the SQ thread is a
 * thread of the process that made the ring, so it shows in
 * /proc/self/task: a first SQPOLL ring starts one thread, a second SQPOLL
 * ring attached to it starts none, and a third one not attached starts
 * one (each seen after it ran a NOP). The threads are told apart by tid,
 * not counted, because an SQ thread of a ring closed earlier (the probe's)
 * exits on its own time.
 * Before 5.12 the SQ thread is a kernel thread outside the process and the
 * sharing cannot be seen from here (since 5.10).
 */
TEST(sqpoll_attach_shares_the_sq_thread)
{
	struct io_uring a, b, c;
	struct tasks t0, ta, tb, tc;

	CONFORM_DECLARE("5.10", "IORING_SETUP_ATTACH_WQ",
			"kernel commit aa06165de863 (attach to the SQPOLL thread)");
	REQUIRE_ATTACH();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	if (conform_uring_feature_missing(IORING_FEAT_NATIVE_WORKERS,
					  "IORING_FEAT_NATIVE_WORKERS"))
		SKIP(return, CONFORM_UNSEEN "no IORING_FEAT_NATIVE_WORKERS: the SQ thread is a kernel thread, not a task of this process, so its sharing cannot be seen");
	list_tasks(&t0);
	if (t0.n < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot tell the SQ threads");
	/* Each ring runs a NOP before the threads are listed: its SQ thread
	 * has then certainly started (6.18 starts it in io_uring_setup,
	 * 7.3.4 was seen to show it only later). */
	ASSERT_EQ(0, sqpoll_ring(&a));
	EXPECT_EQ(0, uring_run_nop(&a, 0));
	list_tasks(&ta);
	EXPECT_EQ(1, new_tasks(&t0, &ta));
	ASSERT_EQ(0, attached_ring(&b, a.ring_fd, IORING_SETUP_SQPOLL));
	EXPECT_EQ(0, uring_run_nop(&b, 0));
	list_tasks(&tb);
	EXPECT_EQ(0, new_tasks(&ta, &tb));
	ASSERT_EQ(0, sqpoll_ring(&c));
	EXPECT_EQ(0, uring_run_nop(&c, 0));
	list_tasks(&tc);
	EXPECT_EQ(1, new_tasks(&tb, &tc));
	io_uring_queue_exit(&c);
	io_uring_queue_exit(&b);
	io_uring_queue_exit(&a);
}

TEST_HARNESS_MAIN
