// SPDX-License-Identifier: MIT
/*
 * aio/getevents: reaping completions with io_getevents(2) through the raw
 * system call: the min_nr/nr bounds, the timeout, argument errors, how
 * reaping moves the head of the completion ring mapped at the context, and
 * what io_destroy(2) does to a thread waiting in io_getevents.
 * Completions are made deterministic with buffered reads of a regular file,
 * which complete before io_submit returns.
 * Sources: io_getevents(2), fs/aio.c (struct aio_ring, DESIGN.md section 6).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "conform_aio.h"

/* io_getevents(2) ERRORS: EINVAL "min_nr is out of range or nr is out of range": min_nr greater than nr (since 2.6). */
TEST(min_nr_above_nr_gets_einval)
{
	struct timespec zero = { 0 };
	struct io_event ev[2];
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EINVAL: min_nr is out of range or nr is out of range");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_getevents(ctx, 2, 1, ev, &zero));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/* io_getevents(2) ERRORS: EINVAL "min_nr is out of range": a negative min_nr (since 2.6). */
TEST(negative_min_nr_gets_einval)
{
	struct timespec zero = { 0 };
	struct io_event ev[1];
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EINVAL: min_nr is out of range");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_getevents(ctx, -1, 1, ev, &zero));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/* io_getevents(2) ERRORS: EINVAL "ctx_id is invalid" (a destroyed context) (since 2.6). */
TEST(destroyed_ctx_gets_einval)
{
	struct timespec zero = { 0 };
	struct io_event ev[1];
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EINVAL: ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ASSERT_EQ(0, aio_sys_destroy(ctx));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_getevents(ctx, 0, 1, ev, &zero));
	EXPECT_EQ(EINVAL, errno);
}

/* io_getevents(2) ERRORS: EFAULT "Either events or timeout is an invalid pointer" (an inaccessible timeout) (since 2.6). */
TEST(inaccessible_timeout_gets_efault)
{
	struct io_event ev[1];
	aio_context_t ctx = 0;
	long page = sysconf(_SC_PAGESIZE);
	void *hole;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EFAULT: events or timeout is an invalid pointer");
	CONFORM_REQUIRE_AIO();
	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_getevents(ctx, 1, 1, ev, hole));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	munmap(hole, page);
}

/* io_getevents(2): the count "may be 0 ... if the timeout expired": a zero timeout with nothing pending returns 0 at once (since 2.6). */
TEST(zero_timeout_with_nothing_pending_returns_zero)
{
	struct timespec zero = { 0 };
	struct io_event ev[1];
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) RETURN VALUE: 0 if the timeout expired");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	EXPECT_EQ(0, aio_sys_getevents(ctx, 1, 1, ev, &zero));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * io_getevents(2): with min_nr 1 and nothing that can complete, the call
 * waits for the timeout and returns 0 events (since 2.6). The 20 ms timeout
 * is only the bound: the wait cannot be satisfied.
 */
TEST(timeout_expires_with_zero_events)
{
	struct timespec shortwait = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_event ev[1];
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2): waits up to timeout, may return 0 events");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	EXPECT_EQ(0, aio_sys_getevents(ctx, 1, 1, ev, &shortwait));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * io_getevents(2): "read at least min_nr events and up to nr events": with
 * three completions queued, nr 2 returns exactly 2 and the next call returns
 * the remaining one; each event is delivered once (since 2.6).
 */
TEST(returns_at_most_nr_events)
{
	static char buf[3][512];
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb[3], *list[3] = { &cb[0], &cb[1], &cb[2] };
	struct io_event ev[3];
	aio_context_t ctx = 0;
	unsigned int seen = 0;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2): reads at least min_nr and up to nr events");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, aio_sys_setup(8, &ctx));
	for (int i = 0; i < 3; i++)
		aio_prep_rw(&cb[i], IOCB_CMD_PREAD, fd, buf[i], sizeof(buf[i]),
			    512 * i, i);
	ASSERT_EQ(3, aio_sys_submit(ctx, 3, list));
	ASSERT_EQ(2, aio_sys_getevents(ctx, 1, 2, ev, &bound));
	ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 3, &ev[2], &bound));
	for (int i = 0; i < 3; i++) {
		ASSERT_GT(3, ev[i].data);
		EXPECT_EQ(512, ev[i].res);
		seen |= 1U << ev[i].data;
	}
	EXPECT_EQ(7U, seen);	/* each of the three exactly once */
	for (int i = 0; i < 3; i++)
		EXPECT_TRUE(conform_check_pattern(buf[i], sizeof(buf[i]), 512 * i));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * fs/aio.c struct aio_ring (DESIGN.md section 6): each completion is
 * published by advancing the ring's tail; io_getevents consumes them and
 * advances head to meet it (user-visible ring since 2.6).
 */
TEST(ring_head_follows_tail_when_reaped)
{
	static char buf[2][256];
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb[2], *list[2] = { &cb[0], &cb[1] };
	struct io_event ev[2];
	const volatile struct aio_ring_header *ring;
	aio_context_t ctx = 0;
	unsigned int head0;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"fs/aio.c struct aio_ring: completions advance tail, io_getevents advances head");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, aio_sys_setup(8, &ctx));
	ring = aio_ring_of(ctx);
	ASSERT_EQ(0xa10a10a1U, ring->magic);
	head0 = ring->head;
	for (int i = 0; i < 2; i++)
		aio_prep_rw(&cb[i], IOCB_CMD_PREAD, fd, buf[i], sizeof(buf[i]),
			    0, i);
	ASSERT_EQ(2, aio_sys_submit(ctx, 2, list));
	/* Both completed inside io_submit: two events published. */
	EXPECT_EQ(2U, (ring->tail + ring->nr - head0) % ring->nr);
	ASSERT_EQ(2, aio_sys_getevents(ctx, 2, 2, ev, &bound));
	EXPECT_EQ(ring->tail, ring->head);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/* A thread that waits in io_getevents on a context with nothing pending. */
struct ctx_waiter {
	aio_context_t ctx;
	atomic_int tid;		/* gettid() of the thread, 0 until it runs */
	long ret;		/* what io_getevents returned */
	int err;		/* and its errno */
	atomic_int done;	/* set once io_getevents has returned */
};

/* How long the waiter's io_getevents may wait: only a bound, never reached on a correct kernel. */
#define WAITER_TIMEOUT_S 10

static void *wait_for_events(void *arg)
{
	struct ctx_waiter *w = arg;
	struct timespec bound = { .tv_sec = WAITER_TIMEOUT_S };
	struct io_event ev;

	atomic_store(&w->tid, (int)gettid());
	errno = 0;
	w->ret = aio_sys_getevents(w->ctx, 1, 1, &ev, &bound);
	w->err = errno;
	atomic_store(&w->done, 1);
	return NULL;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * io_getevents(2) EINVAL "ctx_id is invalid", for a waiter too: io_destroy
 * of a context wakes a thread asleep in io_getevents on it, which returns
 * -1 with EINVAL at once (fs/aio.c: kill_ioctx() wakes ctx->wait and
 * aio_read_events() reports the dead context as -EINVAL), and io_destroy,
 * which waits until that thread has let go of the context, returns 0 (since
 * 2.6.27, commit e92adcba261f "aio: io_getevents() should return if
 * io_destroy() is invoked"). The waiter's timeout is 10 s; both must be
 * done well before it (5 s). The thread is seen asleep in io_getevents
 * (/proc/self/task/<tid>/syscall) before io_destroy.
 */
TEST(destroy_wakes_waiter_with_einval)
{
	struct ctx_waiter w = { .ret = -2 };
	struct timespec t0;
	double took;
	pthread_t th;
	int seen, early;

	CONFORM_DECLARE("2.6.27", "io_getevents",
			"io_getevents(2) EINVAL: ctx_id is invalid; fs/aio.c kill_ioctx() wakes waiters; commit e92adcba261f (2.6.27): aio: io_getevents() should return if io_destroy() is invoked");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_for_events, &w));
	while (!atomic_load(&w.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&w.tid), SYS_io_getevents);
	early = atomic_load(&w.done);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	ASSERT_EQ(0, pthread_join(th, NULL));
	took = seconds_since(&t0);
	/* Returning before io_destroy is wrong whatever else was seen. */
	if (early)
		TH_LOG("io_getevents returned %ld (%s) before io_destroy",
		       w.ret, strerror(w.err));
	ASSERT_EQ(0, early);
	if (seen < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter asleep in io_getevents");
	if (seen == 0)
		SKIP(return, CONFORM_UNSEEN "the waiter was not seen asleep in io_getevents within 5 s (io_getevents returned %ld, %s)",
		     w.ret, strerror(w.err));
	if (took >= 5.0)
		TH_LOG("io_destroy and the waiter's return took %.3f s", took);
	EXPECT_GT(5.0, took);
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINVAL, w.err);
}

TEST_HARNESS_MAIN
