// SPDX-License-Identifier: MIT
/*
 * aio/blocking: which native AIO requests io_submit(2) performs before it
 * returns and which it leaves in flight, through the raw system calls and
 * <linux/aio_abi.h>. fs/aio.c runs a read or write through the file's
 * read_iter/write_iter in the submitting thread: a buffered transfer of a
 * regular file is finished (its event already in the ring) when io_submit
 * returns, even when the data must come from the disk, and a read of an
 * empty pipe sleeps inside io_submit until the pipe is written (a signal
 * then ends it with -EINTR in the event's res; it is not restarted).
 * IOCB_CMD_POLL (4.19) is queued on the file's wait queue and does not
 * hold up io_submit; IOCB_CMD_FSYNC (4.18) is handed to a kernel worker,
 * so its event comes after io_submit has returned. An O_DIRECT read of a
 * block device goes to the device; whether it completes before io_submit
 * returns is not documented, so only its result is asserted.
 * Sources: io_submit(2), io_getevents(2); Jens Axboe, "Efficient IO with
 * io_uring" (kernel.dk/io_uring.pdf, 2019): Linux aio "only supports async
 * IO for O_DIRECT (or un-buffered) accesses"; fs/aio.c aio_read(),
 * aio_write(), aio_rw_done() ("There's no easy way to restart the syscall
 * ... Just fail this IO with EINTR"), aio_fsync() (schedule_work); kernel
 * commits a3c0d439e727 "aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC"
 * (4.18) and bfe4037e722e "aio: implement IOCB_CMD_POLL" (4.19).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "conform_aio.h"

/* In this program's region of the namespace, MiB 10 to 11 (other cases
 * use the first and the last MiB). */
#define NVME_OFFSET ((10LL << 20) + (128 << 10))
#define CHUNK 65536

/* The event of ctx, if one is ready now (zero timeout): 1 and *ev, or 0. */
static long ready_event(aio_context_t ctx, struct io_event *ev)
{
	struct timespec zero = { 0, 0 };

	return aio_sys_getevents(ctx, 0, 1, ev, &zero);
}

/*
 * fs/aio.c aio_read(): the read runs through the file's read_iter in
 * io_submit; for a regular file without O_DIRECT that is the page cache
 * read, which waits for the disk when the pages are not cached ("only
 * supports async IO for O_DIRECT (or un-buffered) accesses", Axboe,
 * "Efficient IO with io_uring"). With the file's pages dropped first
 * (POSIX_FADV_DONTNEED after fsync), the read's event is in the ring when
 * io_submit returns: io_getevents with a zero timeout returns it, with the
 * data (since 2.6).
 */
TEST(buffered_read_completes_inside_io_submit)
{
	static char buf[CHUNK];
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"fs/aio.c aio_read() calls read_iter in io_submit; Axboe, Efficient IO with io_uring (2019): aio is async only for O_DIRECT");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4 * CHUNK, 0));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, CHUNK, 2 * CHUNK, 1);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	EXPECT_EQ(1, ready_event(ctx, &ev));
	EXPECT_EQ(1, ev.data);
	EXPECT_EQ(CHUNK, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, CHUNK, 2 * CHUNK));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * fs/aio.c aio_write(): likewise a buffered write of a regular file is
 * copied into the page cache inside io_submit: its event is ready when
 * io_submit returns, and a pread(2) sees the new bytes (since 2.6).
 */
TEST(buffered_write_completes_inside_io_submit)
{
	static char out[CHUNK], back[CHUNK];
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PWRITE",
			"fs/aio.c aio_write() calls write_iter in io_submit; Axboe, Efficient IO with io_uring (2019): aio is async only for O_DIRECT");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(2 * CHUNK, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	conform_fill_pattern(out, CHUNK, 999);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, CHUNK, CHUNK, 2);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	EXPECT_EQ(1, ready_event(ctx, &ev));
	EXPECT_EQ(CHUNK, ev.res);
	EXPECT_EQ(CHUNK, pread(fd, back, CHUNK, CHUNK));
	EXPECT_TRUE(conform_check_pattern(back, CHUNK, 999));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/* A thread submitting one iocb, watched from the main thread. */
struct submitter {
	aio_context_t ctx;
	struct iocb *cb;
	atomic_int tid;		/* gettid(), 0 until it runs */
	atomic_int done;	/* io_submit has returned */
	long ret;
	int err;
};

static void *submit_in_thread(void *arg)
{
	struct submitter *s = arg;
	struct iocb *list[1] = { s->cb };

	atomic_store(&s->tid, (int)gettid());
	errno = 0;
	s->ret = aio_sys_submit(s->ctx, 1, list);
	s->err = errno;
	atomic_store(&s->done, 1);
	return NULL;
}

/* Start a submitter of cb on ctx and wait until it sleeps in io_submit:
 * what conform_wait_blocked_in() says (1 seen, 0 not, -1 no /proc). */
static int start_blocked_submitter(struct __test_metadata *_metadata,
				   pthread_t *th, struct submitter *s)
{
	ASSERT_EQ(0, pthread_create(th, NULL, submit_in_thread, s));
	while (!atomic_load(&s->tid))
		sched_yield();
	return conform_wait_blocked_in(atomic_load(&s->tid), __NR_io_submit);
}

/*
 * A read of an empty pipe is not asynchronous: io_submit accepts it (no
 * EINVAL) and fs/aio.c aio_read() runs pipe_read() in the submitting
 * thread, which sleeps there, inside io_submit, until data comes. The
 * thread is seen asleep in io_submit; a write to the pipe wakes it,
 * io_submit returns 1, and the event is already in the ring with the
 * bytes (read_iter path since 4.1).
 */
TEST(pipe_read_sleeps_inside_io_submit_until_written)
{
	static char in[64];
	struct submitter s = { 0 };
	struct io_event ev;
	struct iocb cb;
	pthread_t th;
	int p[2], seen, early;

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"fs/aio.c aio_read() runs read_iter in the submitting thread (4.1); pipe(7): a read of an empty pipe blocks");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &s.ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 4);
	s.cb = &cb;
	seen = start_blocked_submitter(_metadata, &th, &s);
	early = atomic_load(&s.done);
	ASSERT_EQ(5, write(p[1], "hello", 5));
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (seen < 0 || (seen == 0 && !early)) {
		EXPECT_EQ(0, aio_sys_destroy(s.ctx));
		close(p[0]);
		close(p[1]);
		if (seen < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the submitter asleep");
		SKIP(return, CONFORM_UNSEEN "the submitter was not seen asleep in io_submit within 5 s");
	}
	if (early)
		TH_LOG("io_submit returned %ld (%s) before the pipe was written",
		       s.ret, strerror(s.err));
	EXPECT_EQ(0, early);
	EXPECT_EQ(1, s.ret);
	EXPECT_EQ(1, ready_event(s.ctx, &ev));
	EXPECT_EQ(4, ev.data);
	EXPECT_EQ(5, ev.res);
	EXPECT_EQ(0, memcmp(in, "hello", 5));
	EXPECT_EQ(0, aio_sys_destroy(s.ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c aio_rw_done(): a read interrupted by a signal while it sleeps
 * inside io_submit cannot be restarted ("There's no easy way to restart
 * the syscall since other AIO's may be already running. Just fail this IO
 * with EINTR"): even with an SA_RESTART handler, io_submit returns 1 and
 * the event's res is -EINTR; the handler runs (read_iter path since 4.1).
 */
TEST(signal_ends_pipe_read_in_io_submit_with_res_eintr)
{
	static char in[64];
	struct submitter s = { 0 };
	struct sigaction sa;
	struct io_event ev;
	struct iocb cb;
	pthread_t th;
	int p[2], seen;

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"fs/aio.c aio_rw_done(): -ERESTARTSYS becomes -EINTR in the event (no restart); read_iter path (4.1)");
	CONFORM_REQUIRE_AIO();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &s.ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 5);
	s.cb = &cb;
	seen = start_blocked_submitter(_metadata, &th, &s);
	if (seen != 1) {
		/* Release the submitter with data instead. */
		ASSERT_EQ(1, write(p[1], "x", 1));
		ASSERT_EQ(0, pthread_join(th, NULL));
		EXPECT_EQ(0, aio_sys_destroy(s.ctx));
		close(p[0]);
		close(p[1]);
		if (seen < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the submitter asleep");
		SKIP(return, CONFORM_UNSEEN "the submitter was not seen asleep in io_submit (it returned %ld)",
		     s.ret);
	}
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(1, s.ret);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(1, ready_event(s.ctx, &ev));
	EXPECT_EQ(5, ev.data);
	EXPECT_EQ(-EINTR, ev.res);
	/* Nothing was consumed: the pipe is still empty and readable later. */
	EXPECT_EQ(1, write(p[1], "y", 1));
	EXPECT_EQ(1, read(p[0], in, sizeof(in)));
	EXPECT_EQ(0, aio_sys_destroy(s.ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * IOCB_CMD_POLL (commit bfe4037e722e, 4.19) only puts a waiter on the
 * file's wait queue, so it does not hold up io_submit or the requests
 * after it: a batch of a poll of an empty pipe and a buffered read returns
 * 2, the read's event is ready at once and the poll's is not; the poll
 * completes (POLLIN) when the pipe is written.
 */
TEST(pending_poll_does_not_hold_up_io_submit)
{
	static char buf[512];
	struct iocb poll_cb, read_cb, *list[2] = { &poll_cb, &read_cb };
	struct timespec bound = { .tv_sec = 5 };
	struct io_event ev;
	aio_context_t ctx = 0;
	int p[2], fd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_CMD_POLL; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL (the poll waits on the file's wait queue)");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&poll_cb, p[0], POLLIN);
	poll_cb.aio_data = 10;
	aio_prep_rw(&read_cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 512, 11);
	ASSERT_EQ(2, aio_sys_submit(ctx, 2, list));
	EXPECT_EQ(1, ready_event(ctx, &ev));
	EXPECT_EQ(11, ev.data);
	EXPECT_EQ((__s64)sizeof(buf), ev.res);
	EXPECT_EQ(0, ready_event(ctx, &ev));
	ASSERT_EQ(1, write(p[1], "z", 1));
	ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(10, ev.data);
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* NULL if io_submit accepts IOCB_CMD_FSYNC on a regular file (4.18). */
static const char *fsync_missing(void)
{
	struct iocb cb;
	const char *why = conform_aio_unavailable();
	int fd;

	if (why)
		return why;
	fd = conform_temp_file(16, 0);
	if (fd < 0)
		return CONFORM_ENV "cannot make a temporary file for the IOCB_CMD_FSYNC probe";
	aio_prep_rw(&cb, IOCB_CMD_FSYNC, fd, NULL, 0, 0, 0);
	why = aio_probe_submit(&cb, "IOCB_CMD_FSYNC",
			       "opcode not supported on a regular file");
	close(fd);
	return why;
}

/*
 * Make the calling thread SCHED_FIFO on the one CPU it runs on, so that no
 * ordinary (SCHED_OTHER) thread, a per-CPU kernel worker included, runs on
 * that CPU until it sleeps or gives the policy up. NULL, or why not (the
 * affinity is left as it was).
 */
static const char *go_fifo_on_this_cpu(cpu_set_t *old)
{
	struct sched_param sp = { .sched_priority = 10 };
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (cpu < 0 || sched_getaffinity(0, sizeof(*old), old) < 0)
		return CONFORM_ENV "sched_getcpu/sched_getaffinity failed";
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		return CONFORM_ENV "cannot pin the thread to its CPU (sched_setaffinity)";
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "sched_setscheduler(SCHED_FIFO): %s (needs CAP_SYS_NICE or RLIMIT_RTPRIO)",
			 strerror(errno));
		sched_setaffinity(0, sizeof(*old), old);
		return conform_why;
	}
	return NULL;
}

static void back_to_other(const cpu_set_t *old)
{
	struct sched_param sp = { .sched_priority = 0 };

	sched_setscheduler(0, SCHED_OTHER, &sp);
	sched_setaffinity(0, sizeof(*old), old);
}

/*
 * Commit a3c0d439e727 (4.18) "aio: implement IOCB_CMD_FSYNC and
 * IOCB_CMD_FDSYNC": the sync runs from a workqueue (fs/aio.c aio_fsync()
 * calls schedule_work()), so that io_submit does not wait for it. Seen
 * deterministically: the submitting thread is SCHED_FIFO and pinned to its
 * CPU, where the per-CPU worker cannot run before the thread sleeps; so
 * when io_submit has returned 1, io_getevents with a zero timeout finds no
 * event yet. Back to SCHED_OTHER, a bounded io_getevents gets the event
 * with res 0 (since 4.18). Needs SCHED_FIFO (root).
 */
TEST(fsync_completes_after_io_submit_returns)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	cpu_set_t old;
	const char *why;
	long submitted, ready;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC (the sync runs from a workqueue); fs/aio.c aio_fsync() schedule_work()");
	CONFORM_REQUIRE(fsync_missing());
	ASSERT_LE(0, fd = conform_temp_file(4 * CHUNK, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_rw(&cb, IOCB_CMD_FSYNC, fd, NULL, 0, 0, 6);
	why = go_fifo_on_this_cpu(&old);
	if (why) {
		EXPECT_EQ(0, aio_sys_destroy(ctx));
		close(fd);
		SKIP(return, "%s", why);
	}
	submitted = aio_sys_submit(ctx, 1, list);
	ready = ready_event(ctx, &ev);
	back_to_other(&old);
	ASSERT_EQ(1, submitted);
	EXPECT_EQ(0, ready);
	if (ready == 0)
		ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(6, ev.data);
	EXPECT_EQ(0, ev.res);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * io_submit(2) queues the iocb; for an O_DIRECT read of a block device the
 * request goes to the device and may complete (by interrupt) before or
 * after io_submit returns: no page documents which, so only the outcome
 * is asserted, the byte count in res and the device's data, and whether
 * the event was already there is logged. The guest's NVMe namespace, in
 * MiB 10 (written with the pattern first) (since 2.6). Needs the aioconf
 * guest's NVMe namespace and root.
 */
TEST(direct_read_of_nvme_completes_with_its_data)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	void *buf = NULL;
	long ready;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"io_submit(2) IOCB_CMD_PREAD; open(2) O_DIRECT on a block device; pread(2) RETURN VALUE");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(conform_nvme_ns_missing());
	CONFORM_REQUIRE_ROOT();
	fd = open(CONFORM_NVME_NS, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", CONFORM_NVME_NS, strerror(errno));
	ASSERT_EQ(0, posix_memalign(&buf, 4096, CHUNK));
	conform_fill_pattern(buf, CHUNK, 777);
	ASSERT_EQ(CHUNK, pwrite(fd, buf, CHUNK, NVME_OFFSET));
	memset(buf, 0xee, CHUNK);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, CHUNK, NVME_OFFSET, 7);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	ready = ready_event(ctx, &ev);
	TH_LOG("the O_DIRECT read had %s when io_submit returned",
	       ready == 1 ? "already completed" : "not completed yet");
	if (ready != 1)
		ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(7, ev.data);
	EXPECT_EQ(CHUNK, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, CHUNK, 777));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	free(buf);
	close(fd);
}

TEST_HARNESS_MAIN
