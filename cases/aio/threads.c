// SPDX-License-Identifier: MIT
/*
 * aio/threads: one Linux native AIO context used by several threads at
 * once, through the raw system calls and <linux/aio_abi.h>. A context
 * belongs to the process (its memory map: fs/aio.c keeps the contexts in
 * the mm's table), not to the thread that set it up: it outlives that
 * thread. Threads waiting in io_getevents(2) on one context share its
 * events: each event goes to exactly one of them, and each waiter returns
 * only with its min_nr; threads submitting at once all get the room that
 * io_setup(2) promised, and the ring then holds every event once; a
 * thread asleep inside io_submit (a pipe read) does not hold up the
 * others; io_cancel from one thread wakes a waiter in another with the
 * cancelled request's event; io_destroy wakes every waiter with EINVAL.
 * Waiters are seen asleep through /proc/self/task/<tid>/syscall before
 * what should wake them is done, so no test depends on timing.
 * Sources: io_setup(2), io_submit(2), io_getevents(2) (min_nr, EINVAL),
 * io_cancel(2), io_destroy(2); fs/aio.c (mm->ioctx_table, ring_lock in
 * aio_read_events_ring(), kill_ioctx() wake_up_all()); kernel commits
 * e92adcba261f "aio: io_getevents() should return if io_destroy() is
 * invoked" (2.6.27) and bfe4037e722e "aio: implement IOCB_CMD_POLL"
 * (4.19).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "conform_aio.h"

#define MAX_TAGS 256

/* A thread reaping from a shared context. With loop set it reaps until
 * io_getevents fails or times out; else it makes one call. */
struct reaper {
	aio_context_t ctx;
	long min_nr, nr;
	bool loop;
	atomic_int *total;	/* events reaped by all reapers (loop mode) */
	atomic_int tid;
	long ret;		/* the last io_getevents result */
	int err;
	int count;		/* events this thread reaped */
	struct io_event ev[MAX_TAGS];
};

static void *reap_in_thread(void *arg)
{
	struct reaper *r = arg;
	struct timespec bound = { .tv_sec = 5 };

	atomic_store(&r->tid, (int)gettid());
	do {
		long room = MAX_TAGS - r->count;

		errno = 0;
		r->ret = aio_sys_getevents(r->ctx, r->min_nr,
					   r->nr < room ? r->nr : room,
					   r->ev + r->count, &bound);
		r->err = errno;
		if (r->ret <= 0)
			break;
		r->count += (int)r->ret;
		if (r->total)
			atomic_fetch_add(r->total, (int)r->ret);
	} while (r->loop && r->count < MAX_TAGS);
	return NULL;
}

/*
 * Start n reapers and wait until each sleeps in io_getevents: 1 when all
 * were seen asleep, else the first other answer of
 * conform_wait_blocked_in() (0 not seen, -1 no /proc).
 */
static int start_reapers(struct __test_metadata *_metadata, pthread_t *th,
			 struct reaper *r, int n)
{
	int seen = 1;

	for (int i = 0; i < n; i++) {
		r[i].ret = -2;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, reap_in_thread, &r[i]));
	}
	for (int i = 0; i < n && seen == 1; i++) {
		while (!atomic_load(&r[i].tid))
			sched_yield();
		seen = conform_wait_blocked_in(atomic_load(&r[i].tid),
					       __NR_io_getevents);
	}
	return seen;
}

#define SKIP_UNLESS_SEEN(seen)                                                 \
	do {                                                                   \
		if ((seen) < 0)                                                \
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the threads asleep"); \
		if ((seen) == 0)                                               \
			SKIP(return, CONFORM_UNSEEN "a thread was not seen asleep in io_getevents within 5 s"); \
	} while (0)

/* One buffer for all the reads of a thread group: the kernel fills it
 * inside io_submit, and nothing reads it. */
static unsigned char scratch[8];

static void prep_read(struct iocb *cb, int fd, __u64 tag)
{
	aio_prep_rw(cb, IOCB_CMD_PREAD, fd, scratch, sizeof(scratch),
		    (long long)(tag % 64) * 8, tag);
}

/* Wait (5 s bound) until *counter reaches want; its last value. */
static int wait_count(atomic_int *counter, int want)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (atomic_load(counter) < want) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			break;
		sched_yield();
	}
	return atomic_load(counter);
}

/*
 * io_getevents(2) reads completion events "from the completion queue":
 * each event is taken once. Four threads loop in io_getevents on one
 * context while 64 reads complete there (in rounds of 8, each round
 * waking the sleepers); together they reap exactly the 64 events, each
 * tag once, and io_destroy then ends every loop with EINVAL (fs/aio.c
 * aio_read_events_ring() takes events under ctx->ring_lock) (since 2.6).
 */
TEST(each_event_goes_to_exactly_one_waiter)
{
	enum { WAITERS = 4, EVENTS = 64, ROUND = 8 };
	static struct reaper r[WAITERS];
	struct iocb cb[ROUND], *list[ROUND];
	unsigned char seen_tag[EVENTS] = { 0 };
	atomic_int total = 0;
	pthread_t th[WAITERS];
	aio_context_t ctx = 0;
	int seen, fd, reaped, sum = 0;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2): reads events from the completion queue; fs/aio.c aio_read_events_ring() under ring_lock");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(EVENTS, &ctx));
	for (int i = 0; i < WAITERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].ctx = ctx;
		r[i].min_nr = 1;
		r[i].nr = 4;
		r[i].loop = true;
		r[i].total = &total;
	}
	seen = start_reapers(_metadata, th, r, WAITERS);
	for (int round = 0; round < EVENTS / ROUND; round++) {
		for (int i = 0; i < ROUND; i++) {
			prep_read(&cb[i], fd, round * ROUND + i);
			list[i] = &cb[i];
		}
		ASSERT_EQ(ROUND, aio_sys_submit(ctx, ROUND, list));
	}
	reaped = wait_count(&total, EVENTS);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	for (int i = 0; i < WAITERS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	close(fd);
	SKIP_UNLESS_SEEN(seen);
	EXPECT_EQ(EVENTS, reaped);
	for (int i = 0; i < WAITERS; i++) {
		TH_LOG("waiter %d reaped %d events", i, r[i].count);
		sum += r[i].count;
		for (int k = 0; k < r[i].count; k++) {
			ASSERT_GT((__u64)EVENTS, r[i].ev[k].data);
			seen_tag[r[i].ev[k].data]++;
			EXPECT_EQ((__s64)sizeof(scratch), r[i].ev[k].res);
		}
		EXPECT_EQ(-1, r[i].ret);
		EXPECT_EQ(EINVAL, r[i].err);
	}
	EXPECT_EQ(EVENTS, sum);
	for (int t = 0; t < EVENTS; t++) {
		EXPECT_EQ(1, seen_tag[t]) TH_LOG("tag %d reaped %d times", t,
						 seen_tag[t]);
	}
}

/*
 * io_getevents(2) "attempts to read at least min_nr events and up to nr
 * events": two threads each wait with min_nr = nr = 2 while four events
 * complete; neither returns with fewer than 2 (nor more), so each returns
 * exactly 2, and between them they hold the four events once each (since
 * 2.6).
 */
TEST(each_waiter_returns_with_its_min_nr)
{
	static struct reaper r[2];
	struct iocb cb[4], *list[4];
	unsigned int tags = 0;
	pthread_t th[2];
	aio_context_t ctx = 0;
	int seen, fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2): reads at least min_nr events and up to nr events");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(8, &ctx));
	for (int i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].ctx = ctx;
		r[i].min_nr = 2;
		r[i].nr = 2;
	}
	seen = start_reapers(_metadata, th, r, 2);
	for (int i = 0; i < 4; i++) {
		prep_read(&cb[i], fd, i);
		list[i] = &cb[i];
	}
	ASSERT_EQ(4, aio_sys_submit(ctx, 4, list));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
	SKIP_UNLESS_SEEN(seen);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(2, r[i].ret);
		for (int k = 0; k < r[i].count && k < 2; k++) {
			ASSERT_GT(4U, r[i].ev[k].data);
			tags |= 1U << r[i].ev[k].data;
		}
	}
	EXPECT_EQ(0xfU, tags);
}

/* A thread submitting its share of reads, one io_submit each. */
struct submitter {
	aio_context_t ctx;
	int fd, index, count;
	atomic_int *go;
	int queued;
	long last_ret;
	int last_err;
	struct iocb cb[32];
};

static void *submit_in_thread(void *arg)
{
	struct submitter *s = arg;

	while (!atomic_load(s->go))
		sched_yield();
	for (int i = 0; i < s->count; i++) {
		struct iocb *list[1] = { &s->cb[i] };

		prep_read(&s->cb[i], s->fd, (__u64)s->index * 32 + i);
		errno = 0;
		s->last_ret = aio_sys_submit(s->ctx, 1, list);
		s->last_err = errno;
		if (s->last_ret != 1)
			break;
		s->queued++;
	}
	return NULL;
}

/*
 * io_setup(2): the context is "capable of receiving at least nr_events
 * events", from any thread: four threads submitting 32 reads each at the
 * same time on a context of 128 events all get every read queued (the
 * per-CPU slot batches of fs/aio.c leave room for that: ioctx_alloc()
 * doubles nr_events), and the ring then holds 128 unreaped events (tail -
 * head), reaped once each (since 2.6).
 */
TEST(concurrent_submitters_all_get_the_promised_room)
{
	enum { THREADS = 4, EACH = 32, EVENTS = THREADS * EACH };
	static struct submitter s[THREADS];
	static struct io_event ev[EVENTS];
	const volatile struct aio_ring_header *ring;
	unsigned char seen_tag[EVENTS] = { 0 };
	struct timespec zero = { 0, 0 };
	atomic_int go = 0;
	pthread_t th[THREADS];
	aio_context_t ctx = 0;
	long got;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_setup(2): capable of receiving at least nr_events events; fs/aio.c ioctx_alloc() doubles nr_events for the per-CPU batches");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(EVENTS, &ctx));
	ring = aio_ring_of(ctx);
	for (int i = 0; i < THREADS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].ctx = ctx;
		s[i].fd = fd;
		s[i].index = i;
		s[i].count = EACH;
		s[i].go = &go;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, submit_in_thread, &s[i]));
	}
	atomic_store(&go, 1);
	for (int i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	for (int i = 0; i < THREADS; i++) {
		EXPECT_EQ(EACH, s[i].queued) TH_LOG("thread %d: io_submit returned %ld (%s) after %d reads",
						    i, s[i].last_ret, strerror(s[i].last_err), s[i].queued);
	}
	EXPECT_EQ((unsigned int)EVENTS,
		  (ring->tail + ring->nr - ring->head) % ring->nr);
	got = aio_sys_getevents(ctx, 0, EVENTS, ev, &zero);
	EXPECT_EQ(EVENTS, got);
	for (long k = 0; k < got; k++) {
		ASSERT_GT((__u64)EVENTS, ev[k].data);
		seen_tag[ev[k].data]++;
	}
	for (int t = 0; t < EVENTS && got == EVENTS; t++) {
		EXPECT_EQ(1, seen_tag[t]) TH_LOG("tag %d reaped %d times", t,
						 seen_tag[t]);
	}
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * io_destroy(2) destroys the context for every thread: three threads
 * asleep in io_getevents on it are all woken (fs/aio.c kill_ioctx()
 * wake_up_all()) and each fails with EINVAL, "ctx_id is invalid", well
 * before its 5 s timeout, which would return 0 (since 2.6.27, commit
 * e92adcba261f "aio: io_getevents() should return if io_destroy() is
 * invoked"; aio/getevents covers one waiter).
 */
TEST(destroy_wakes_every_waiter_with_einval)
{
	enum { WAITERS = 3 };
	static struct reaper r[WAITERS];
	pthread_t th[WAITERS];
	aio_context_t ctx = 0;
	int seen;

	CONFORM_DECLARE("2.6.27", "io_destroy",
			"io_getevents(2) EINVAL: ctx_id is invalid; fs/aio.c kill_ioctx() wake_up_all(); commit e92adcba261f (2.6.27): aio: io_getevents() should return if io_destroy() is invoked");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	for (int i = 0; i < WAITERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].ctx = ctx;
		r[i].min_nr = 1;
		r[i].nr = 1;
	}
	seen = start_reapers(_metadata, th, r, WAITERS);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	for (int i = 0; i < WAITERS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	SKIP_UNLESS_SEEN(seen);
	for (int i = 0; i < WAITERS; i++) {
		EXPECT_EQ(-1, r[i].ret);
		EXPECT_EQ(EINVAL, r[i].err);
	}
}

/* A thread that sets up a context and ends. */
struct setup_thread {
	aio_context_t ctx;
	long ret;
};

static void *setup_in_thread(void *arg)
{
	struct setup_thread *t = arg;

	t->ret = aio_sys_setup(4, &t->ctx);
	return NULL;
}

/*
 * fork(2) speaks of the contexts of a process, and fs/aio.c keeps them in
 * the memory map's table (mm->ioctx_table), not in the thread: a context
 * set up by a thread that has since exited works for the other threads:
 * a read submitted there completes, its event is reaped, and io_destroy
 * succeeds (since 2.6).
 */
TEST(context_outlives_the_thread_that_set_it_up)
{
	static char buf[64];
	struct setup_thread t = { 0 };
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	pthread_t th;
	int fd;

	CONFORM_DECLARE("2.6", "io_setup",
			"fork(2): contexts belong to the process; fs/aio.c ioctx_alloc() adds the context to the mm's table");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, pthread_create(&th, NULL, setup_in_thread, &t));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_EQ(0, t.ret);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 64, 61);
	EXPECT_EQ(1, aio_sys_submit(t.ctx, 1, list));
	EXPECT_EQ(1, aio_sys_getevents(t.ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(61, ev.data);
	EXPECT_EQ((__s64)sizeof(buf), ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 64));
	EXPECT_EQ(0, aio_sys_destroy(t.ctx));
	close(fd);
}

/* A thread submitting one read of an empty pipe, asleep in io_submit. */
struct pipe_reader {
	aio_context_t ctx;
	struct iocb cb;
	char buf[16];
	atomic_int tid;
	atomic_int done;
	long ret;
};

static void *read_pipe_in_thread(void *arg)
{
	struct pipe_reader *p = arg;
	struct iocb *list[1] = { &p->cb };

	atomic_store(&p->tid, (int)gettid());
	p->ret = aio_sys_submit(p->ctx, 1, list);
	atomic_store(&p->done, 1);
	return NULL;
}

/*
 * A read of an empty pipe sleeps inside io_submit in its thread (fs/aio.c
 * aio_read() runs the pipe's read_iter there), holding no lock of the
 * context: meanwhile another thread's io_submit on the same context
 * queues a file read (1) and io_getevents returns its event, while the
 * first thread still sleeps; writing the pipe then ends the first
 * io_submit (1) and its event follows (read_iter path since 4.1).
 */
TEST(thread_asleep_in_io_submit_does_not_block_the_others)
{
	static char buf[64];
	struct pipe_reader pr = { .ret = -2 };
	struct timespec zero = { 0, 0 }, bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev = { 0 };
	long submitted = -2, ready = -2;
	int seen, still_asleep = -1, fd, p[2];
	pthread_t th;

	CONFORM_DECLARE("4.1", "io_submit",
			"fs/aio.c aio_read() runs read_iter in the submitting thread without a context lock (4.1); io_submit(2); io_getevents(2)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(8, &pr.ctx));
	aio_prep_rw(&pr.cb, IOCB_CMD_PREAD, p[0], pr.buf, sizeof(pr.buf), 0, 71);
	ASSERT_EQ(0, pthread_create(&th, NULL, read_pipe_in_thread, &pr));
	while (!atomic_load(&pr.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&pr.tid), __NR_io_submit);
	if (seen == 1) {
		aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 72);
		submitted = aio_sys_submit(pr.ctx, 1, list);
		ready = aio_sys_getevents(pr.ctx, 0, 1, &ev, &zero);
		still_asleep = !atomic_load(&pr.done);
	}
	ASSERT_EQ(3, write(p[1], "xyz", 3));
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (seen != 1) {
		EXPECT_EQ(0, aio_sys_destroy(pr.ctx));
		close(p[0]);
		close(p[1]);
		close(fd);
		if (seen < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the reader asleep");
		SKIP(return, CONFORM_UNSEEN "the reader was not seen asleep in io_submit (it returned %ld)",
		     pr.ret);
	}
	EXPECT_EQ(1, submitted);
	EXPECT_EQ(1, ready);
	EXPECT_EQ(72, ev.data);
	EXPECT_EQ(1, still_asleep);
	EXPECT_EQ(1, pr.ret);
	EXPECT_EQ(1, aio_sys_getevents(pr.ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(71, ev.data);
	EXPECT_EQ(3, ev.res);
	EXPECT_EQ(0, aio_sys_destroy(pr.ctx));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * io_cancel(2) from one thread ends a request another thread waits for:
 * a poll of an empty pipe is cancelled (io_cancel fails with EINPROGRESS:
 * the result comes "via the completion queue", as aio/cancel shows for a
 * single thread), and the thread asleep in io_getevents wakes with that
 * event, res 0, while the pipe stays unwritten (since 4.19, commit
 * bfe4037e722e "aio: implement IOCB_CMD_POLL").
 */
TEST(cancel_in_one_thread_wakes_the_waiter_in_another)
{
	static struct reaper r;
	struct iocb cb, *list[1] = { &cb };
	struct io_event result;
	pthread_t th;
	long cancelled;
	int seen, err, p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_cancel(2): the cancelled request's event goes to the completion queue; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, aio_sys_setup(4, &r.ctx));
	r.min_nr = 1;
	r.nr = 1;
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 81;
	ASSERT_EQ(1, aio_sys_submit(r.ctx, 1, list));
	seen = start_reapers(_metadata, &th, &r, 1);
	errno = 0;
	cancelled = aio_sys_cancel(r.ctx, &cb, &result);
	err = errno;
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, aio_sys_destroy(r.ctx));
	close(p[0]);
	close(p[1]);
	SKIP_UNLESS_SEEN(seen);
	EXPECT_EQ(-1, cancelled);
	EXPECT_EQ(EINPROGRESS, err);
	EXPECT_EQ(1, r.ret);
	EXPECT_EQ(81, r.ev[0].data);
	EXPECT_EQ((__u64)(unsigned long)&cb, r.ev[0].obj);
	EXPECT_EQ(0, r.ev[0].res);
}

TEST_HARNESS_MAIN
