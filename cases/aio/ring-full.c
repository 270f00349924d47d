// SPDX-License-Identifier: MIT
/*
 * aio/ring-full: the submission limit of a Linux native AIO context,
 * through the raw system calls and <linux/aio_abi.h>. A context queues
 * only as many requests as its completion ring can hold events for: a
 * request holds its slot from io_submit(2) until its event is reaped, so
 * a batch larger than the room left is accepted in part (io_submit
 * returns the count queued), a batch that finds no room fails with
 * EAGAIN, and reaping gives the slots back. Requests still waiting (a
 * poll of an empty pipe, a pipe read asleep inside io_submit) hold theirs
 * as completed, unreaped events do. io_setup(2) guarantees room for the
 * nr_events asked; fs/aio.c gives more (the ring is rounded up, see
 * aio/ring-header) but hands slots to CPUs in batches, so on one CPU the
 * usable count is the ring's nr - 1 rounded down to the batch size. Also
 * the count argument itself: 0 queues nothing, a negative count is EINVAL.
 * The tests that count slots pin themselves to one CPU, which makes the
 * per-CPU batches deterministic.
 * Sources: io_setup(2), io_submit(2) (RETURN VALUE, EAGAIN, EINVAL),
 * io_getevents(2); fs/aio.c ioctx_alloc() (reqs_available = nr - 1,
 * req_batch), __get_reqs_available(), refill_reqs_available(),
 * user_refill_reqs_available(); kernel commits e1bdd5f27a5b "aio: percpu
 * reqs_available" (3.12) and d856f32a86b2 "aio: fix reqs_available
 * handling" (3.17: a slot is freed when its event is reaped, not when the
 * request completes); bfe4037e722e "aio: implement IOCB_CMD_POLL" (4.19).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "conform_aio.h"

/* Room for n read iocbs, their list, and n events to reap them into. */
struct batch {
	struct iocb *cbs;
	struct iocb **list;
	struct io_event *ev;
	unsigned int n;
};

static bool batch_alloc(struct batch *b, unsigned int n)
{
	b->n = n;
	b->cbs = calloc(n, sizeof(*b->cbs));
	b->list = calloc(n, sizeof(*b->list));
	b->ev = calloc(n, sizeof(*b->ev));
	return b->cbs && b->list && b->ev;
}

static void batch_free(struct batch *b)
{
	free(b->cbs);
	free(b->list);
	free(b->ev);
}

/* One buffer for every read: the reads run one after the other, inside
 * io_submit, so they never overlap. */
static unsigned char read_buf[8];

/* Entries [from, from + count) of b become 8-byte buffered reads of fd
 * (which complete inside io_submit), tagged tag0 + their index. */
static void prep_reads(struct batch *b, int fd, unsigned int from,
		       unsigned int count, __u64 tag0)
{
	for (unsigned int i = from; i < from + count; i++) {
		aio_prep_rw(&b->cbs[i], IOCB_CMD_PREAD, fd, read_buf,
			    sizeof(read_buf), (long long)(i % 64) * 8,
			    tag0 + i);
		b->list[i] = &b->cbs[i];
	}
}

/* Entries [0, count) of b become POLLIN polls of fd, tagged by index. */
static void prep_polls(struct batch *b, int fd, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		aio_prep_poll(&b->cbs[i], fd, POLLIN);
		b->cbs[i].aio_data = i;
		b->list[i] = &b->cbs[i];
	}
}

/* Reap exactly want events into ev (5 s bound): how many came. */
static long reap(aio_context_t ctx, struct io_event *ev, long want)
{
	struct timespec bound = { .tv_sec = 5 };
	long got = 0;

	while (got < want) {
		long n = aio_sys_getevents(ctx, want - got, want - got,
					   ev + got, &bound);

		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* Events ready now, without waiting (up to max). */
static long ready_now(aio_context_t ctx, struct io_event *ev, long max)
{
	struct timespec zero = { 0, 0 };

	return aio_sys_getevents(ctx, 0, max, ev, &zero);
}

/* The number of possible CPUs (/sys/devices/system/cpu/possible, ranges
 * such as "0-3,8"): num_possible_cpus() of fs/aio.c. -1 if unreadable. */
static long possible_cpus(void)
{
	char text[256], *p = text;
	long count = 0;
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	text[len] = '\0';
	while (*p && *p != '\n') {
		char *end;
		long first = strtol(p, &end, 10), last = first;

		if (end == p)
			return -1;
		p = end;
		if (*p == '-') {
			last = strtol(p + 1, &end, 10);
			p = end;
		}
		count += last - first + 1;
		if (*p == ',')
			p++;
	}
	return count > 0 ? count : -1;
}

/*
 * Pin the calling thread (and the threads it starts later) to the CPU it
 * runs on, so that every slot the context hands out comes from that CPU's
 * batch. NULL, or why not (a cpuset that forbids it).
 */
static const char *pin_to_this_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t one;

	if (cpu < 0)
		return CONFORM_ENV "sched_getcpu failed: cannot pin to one CPU";
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		return CONFORM_ENV "sched_setaffinity to one CPU refused";
	return NULL;
}

/*
 * How many slots a fresh context with a ring of nr events hands out on
 * one CPU (fs/aio.c ioctx_alloc(): reqs_available = nr - 1, req_batch =
 * (nr - 1) / (4 * possible CPUs), at least 1; __get_reqs_available()
 * moves whole batches to the CPU and refuses when less than a batch is
 * left).
 */
static long one_cpu_room(unsigned int nr, long cpus)
{
	unsigned long batch = (nr - 1) / (4 * (unsigned long)cpus);

	if (batch < 1)
		batch = 1;
	return (long)((nr - 1) / batch * batch);
}

/*
 * Inside a TEST: pin to one CPU, make a pattern file (*fd), a context of
 * 8 events (*ctx, its ring's nr in *nr) and a batch of nr + 8 entries.
 */
static void full_ring_setup(struct __test_metadata *_metadata, int *fd,
			    aio_context_t *ctx, unsigned int *nr,
			    struct batch *b)
{
	CONFORM_REQUIRE(pin_to_this_cpu());
	ASSERT_LE(0, *fd = conform_temp_file(4096, 0));
	*ctx = 0;
	ASSERT_EQ(0, aio_sys_setup(8, ctx));
	*nr = aio_ring_of(*ctx)->nr;
	ASSERT_TRUE(batch_alloc(b, *nr + 8));
}

/*
 * io_setup(2): the context "is capable of receiving at least nr_events
 * events": for contexts of 1, 32 and 500 events, one io_submit of that
 * many requests queues them all, and as many events come back (since 2.6).
 */
TEST(nr_events_requests_are_all_queued_at_once)
{
	static const unsigned int asked[] = { 1, 32, 500 };
	struct batch b;
	int fd;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2): the context is capable of receiving at least nr_events events");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_TRUE(batch_alloc(&b, 500));
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		aio_context_t ctx = 0;
		long ret;

		ASSERT_EQ(0, aio_sys_setup(asked[i], &ctx));
		prep_reads(&b, fd, 0, asked[i], 0);
		ret = aio_sys_submit(ctx, asked[i], b.list);
		if (ret != (long)asked[i])
			TH_LOG("io_setup(%u): io_submit of %u reads returned %ld (%s)",
			       asked[i], asked[i], ret, strerror(errno));
		EXPECT_EQ((long)asked[i], ret);
		if (ret > 0)
			EXPECT_EQ(ret, reap(ctx, b.ev, ret));
		EXPECT_EQ(0, aio_sys_destroy(ctx));
	}
	batch_free(&b);
	close(fd);
}

/*
 * io_submit(2) RETURN VALUE: "the number of iocbs submitted (which may be
 * less than nr)": a batch of more reads than the ring has slots (its nr
 * + 8) is queued in part: at least the 8 events asked of io_setup, at
 * most nr - 1 (fs/aio.c keeps one slot free: reqs_available starts at
 * nr - 1), and exactly the first ones of the batch, in order: the events
 * reaped are those of iocbs 0 .. count - 1. Completed but unreaped events
 * hold their slots since 3.17 (commit d856f32a86b2 "aio: fix
 * reqs_available handling"; from 3.12 to 3.16 a completion freed its slot
 * before it was reaped and the ring could overflow).
 */
TEST(batch_larger_than_the_room_is_queued_in_part)
{
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	long queued, got;
	int fd;

	CONFORM_DECLARE("3.17", "io_submit",
			"io_submit(2) RETURN VALUE: may be less than nr; fs/aio.c ioctx_alloc() reqs_available = nr - 1; commit d856f32a86b2 (3.17): aio: fix reqs_available handling");
	CONFORM_REQUIRE_AIO();
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	prep_reads(&b, fd, 0, nr + 8, 0);
	queued = aio_sys_submit(ctx, nr + 8, b.list);
	TH_LOG("ring nr %u: io_submit of %u reads queued %ld", nr, nr + 8,
	       queued);
	EXPECT_LE(8, queued);
	EXPECT_GE((long)nr - 1, queued);
	got = ready_now(ctx, b.ev, nr + 8);
	EXPECT_EQ(queued, got);
	for (long i = 0; i < got; i++) {
		EXPECT_EQ((__u64)i, b.ev[i].data);
		EXPECT_EQ((__u64)(unsigned long)&b.cbs[i], b.ev[i].obj);
		EXPECT_EQ((__s64)sizeof(read_buf), b.ev[i].res);
	}
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(fd);
}

/*
 * io_submit(2) EAGAIN: "Insufficient resources are available to queue any
 * iocbs": once the ring's slots are all held by unreaped events, another
 * io_submit, of one read or of many, fails with EAGAIN and queues
 * nothing: no event is added (since 3.17, commit d856f32a86b2).
 */
TEST(submit_to_full_ring_gets_eagain)
{
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	long queued, one, many;
	int fd, err_one, err_many;

	CONFORM_DECLARE("3.17", "io_submit",
			"io_submit(2) EAGAIN: insufficient resources to queue any iocbs; commit d856f32a86b2 (3.17): aio: fix reqs_available handling");
	CONFORM_REQUIRE_AIO();
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	prep_reads(&b, fd, 0, nr + 8, 0);
	queued = aio_sys_submit(ctx, nr + 8, b.list);
	ASSERT_LT(0, queued);
	errno = 0;
	one = aio_sys_submit(ctx, 1, &b.list[queued]);
	err_one = errno;
	errno = 0;
	many = aio_sys_submit(ctx, 8, &b.list[queued]);
	err_many = errno;
	EXPECT_EQ(-1, one);
	EXPECT_EQ(EAGAIN, err_one);
	EXPECT_EQ(-1, many);
	EXPECT_EQ(EAGAIN, err_many);
	EXPECT_EQ(queued, ready_now(ctx, b.ev, nr + 8));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(fd);
}

/*
 * fs/aio.c ioctx_alloc() and __get_reqs_available(): the ring's nr - 1
 * free slots are handed to CPUs in batches of (nr - 1) / (4 * possible
 * CPUs) (at least 1), and a CPU that needs a slot takes a whole batch or
 * nothing; so a program on one CPU queues exactly nr - 1 rounded down to a
 * multiple of the batch. Kernel source only (per-CPU batches since 3.12,
 * commit e1bdd5f27a5b "aio: percpu reqs_available"; slots held until
 * reaped since 3.17, commit d856f32a86b2).
 */
TEST(one_cpu_queues_nr_minus_one_rounded_down_to_the_batch)
{
	long cpus = possible_cpus();
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	long queued;
	int fd;

	CONFORM_DECLARE("3.17", "io_submit",
			"fs/aio.c ioctx_alloc() req_batch = (nr - 1) / (4 * num_possible_cpus()), __get_reqs_available() takes whole batches; commit e1bdd5f27a5b (3.12): aio: percpu reqs_available; commit d856f32a86b2 (3.17); kernel source only");
	CONFORM_REQUIRE_AIO();
	if (cpus < 0)
		SKIP(return, CONFORM_ENV "cannot read /sys/devices/system/cpu/possible (no /sys?)");
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	prep_reads(&b, fd, 0, nr + 8, 0);
	queued = aio_sys_submit(ctx, nr + 8, b.list);
	TH_LOG("ring nr %u, %ld possible CPUs: batch %ld, %ld queued",
	       nr, cpus, (long)((nr - 1) / (4 * cpus)), queued);
	EXPECT_EQ(one_cpu_room(nr, cpus), queued);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(fd);
}

/*
 * A slot comes back when its event is reaped (fs/aio.c
 * user_refill_reqs_available(): when a CPU runs out, the kernel counts
 * the events reaped since, from the ring's head): on a full ring, reaping
 * one event with io_getevents lets exactly one more request in (an
 * io_submit of two queues one), after which the ring is full again;
 * reaping every event lets a whole ring's worth in again (since 3.17,
 * commit d856f32a86b2 "aio: fix reqs_available handling").
 */
TEST(reaped_events_give_their_slots_back)
{
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	long queued, again;
	int fd;

	CONFORM_DECLARE("3.17", "io_submit",
			"fs/aio.c user_refill_reqs_available(): reaped events free their slots; io_submit(2) EAGAIN; commit d856f32a86b2 (3.17): aio: fix reqs_available handling");
	CONFORM_REQUIRE_AIO();
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	prep_reads(&b, fd, 0, nr + 8, 0);
	queued = aio_sys_submit(ctx, nr + 8, b.list);
	ASSERT_LT(2, queued);
	ASSERT_EQ(1, reap(ctx, b.ev, 1));
	EXPECT_EQ(0, b.ev[0].data);
	/* Two more reads, tagged after the batch: one fits. */
	prep_reads(&b, fd, 0, 2, nr + 8);
	EXPECT_EQ(1, aio_sys_submit(ctx, 2, b.list));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_submit(ctx, 1, &b.list[1]));
	EXPECT_EQ(EAGAIN, errno);
	/* Reap all: the batch's remaining events, then the new read. */
	EXPECT_EQ(queued, ready_now(ctx, b.ev, nr + 8));
	EXPECT_EQ((__u64)nr + 8, b.ev[queued - 1].data);
	prep_reads(&b, fd, 0, nr + 8, 0);
	again = aio_sys_submit(ctx, nr + 8, b.list);
	EXPECT_EQ(queued, again);
	EXPECT_EQ(again, ready_now(ctx, b.ev, nr + 8));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(fd);
}

/*
 * A request holds its slot from io_submit on, not only once it has
 * completed: polls of an empty pipe (IOCB_CMD_POLL, which wait on the
 * pipe without an event) fill the ring as reads do: as many are queued
 * as reads would be, the next io_submit gets EAGAIN, and no event is
 * there. Writing the pipe completes every poll (POLLIN), and once their
 * events are reaped the context takes requests again: at least the 8
 * events asked of io_setup (the completions may have run on other CPUs,
 * which keep the slots they free in their own batches). Since 4.19
 * (commit bfe4037e722e "aio: implement IOCB_CMD_POLL").
 */
TEST(pending_polls_hold_their_slots)
{
	long cpus = possible_cpus();
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	long queued, again;
	int fd, p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) EAGAIN; fs/aio.c aio_get_req() takes the slot at submission; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	if (cpus < 0)
		SKIP(return, CONFORM_ENV "cannot read /sys/devices/system/cpu/possible (no /sys?)");
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	ASSERT_EQ(0, conform_pipe(p));
	prep_polls(&b, p[0], nr + 8);
	queued = aio_sys_submit(ctx, nr + 8, b.list);
	EXPECT_EQ(one_cpu_room(nr, cpus), queued);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_submit(ctx, 1, &b.list[nr]));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, ready_now(ctx, b.ev, nr + 8));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(queued, reap(ctx, b.ev, queued));
	for (long i = 0; i < queued; i++)
		EXPECT_EQ(POLLIN, b.ev[i].res & POLLIN);
	prep_reads(&b, fd, 0, 8, 0);
	again = aio_sys_submit(ctx, 8, b.list);
	EXPECT_EQ(8, again);
	if (again > 0)
		EXPECT_EQ(again, reap(ctx, b.ev, again));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* A thread that submits one read of an empty pipe and sleeps in io_submit. */
struct pipe_reader {
	aio_context_t ctx;
	struct iocb cb;
	char buf[16];
	atomic_int tid;
	long ret;
	int err;
};

static void *read_pipe_in_thread(void *arg)
{
	struct pipe_reader *r = arg;
	struct iocb *list[1] = { &r->cb };

	atomic_store(&r->tid, (int)gettid());
	errno = 0;
	r->ret = aio_sys_submit(r->ctx, 1, list);
	r->err = errno;
	return NULL;
}

/*
 * A read of an empty pipe sleeps inside io_submit (fs/aio.c aio_read()
 * runs the pipe's read_iter in the submitting thread) after taking its
 * slot: while one thread sleeps there, the other requests of the context
 * get one slot less than on a context of their own (exactly the one-CPU
 * count minus one, both threads on the same CPU). Writing the pipe
 * completes the read: the thread's io_submit returns 1 and its event
 * comes with the others (read_iter path since 4.1, slots held until
 * reaped since 3.17).
 */
TEST(pipe_read_asleep_in_io_submit_holds_a_slot)
{
	struct pipe_reader r = { .ret = -2 };
	long cpus = possible_cpus();
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	pthread_t th;
	long queued;
	int fd, p[2], seen;

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"fs/aio.c aio_get_req() before aio_read() runs read_iter in the submitting thread (4.1); commit d856f32a86b2 (3.17): aio: fix reqs_available handling");
	CONFORM_REQUIRE_AIO();
	if (cpus < 0)
		SKIP(return, CONFORM_ENV "cannot read /sys/devices/system/cpu/possible (no /sys?)");
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	ASSERT_EQ(0, conform_pipe(p));
	r.ctx = ctx;
	aio_prep_rw(&r.cb, IOCB_CMD_PREAD, p[0], r.buf, sizeof(r.buf), 0,
		    0x7777);
	ASSERT_EQ(0, pthread_create(&th, NULL, read_pipe_in_thread, &r));
	while (!atomic_load(&r.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&r.tid), __NR_io_submit);
	queued = -1;
	if (seen == 1) {
		prep_reads(&b, fd, 0, nr + 8, 0);
		queued = aio_sys_submit(ctx, nr + 8, b.list);
	}
	ASSERT_EQ(2, write(p[1], "ab", 2));
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (seen != 1) {
		EXPECT_EQ(0, aio_sys_destroy(ctx));
		batch_free(&b);
		close(p[0]);
		close(p[1]);
		close(fd);
		if (seen < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the reader asleep");
		SKIP(return, CONFORM_UNSEEN "the reader was not seen asleep in io_submit (it returned %ld)",
		     r.ret);
	}
	EXPECT_EQ(one_cpu_room(nr, cpus) - 1, queued);
	EXPECT_EQ(1, r.ret);
	EXPECT_EQ(queued + 1, ready_now(ctx, b.ev, nr + 8));
	EXPECT_EQ(0, memcmp(r.buf, "ab", 2));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * io_submit(2) RETURN VALUE: "0 if nr is zero": an io_submit of no
 * iocbs returns 0 and queues nothing, even on a full ring, where any
 * request would get EAGAIN (fs/aio.c io_submit() returns before looking
 * for a slot) (since 2.6).
 */
TEST(submit_of_zero_iocbs_returns_zero_even_when_full)
{
	unsigned int nr;
	aio_context_t ctx;
	struct batch b;
	long queued;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) RETURN VALUE: 0 if nr is zero");
	CONFORM_REQUIRE_AIO();
	full_ring_setup(_metadata, &fd, &ctx, &nr, &b);
	EXPECT_EQ(0, aio_sys_submit(ctx, 0, b.list));
	prep_reads(&b, fd, 0, nr + 8, 0);
	queued = aio_sys_submit(ctx, nr + 8, b.list);
	ASSERT_LT(0, queued);
	EXPECT_EQ(0, aio_sys_submit(ctx, 0, &b.list[queued]));
	EXPECT_EQ(queued, ready_now(ctx, b.ev, nr + 8));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	batch_free(&b);
	close(fd);
}

/* io_submit(2) ERRORS: EINVAL "nr is less than 0"; nothing is queued (since 2.6). */
TEST(negative_nr_gets_einval)
{
	struct io_event ev;
	aio_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: nr is less than 0");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, read_buf, sizeof(read_buf), 0, 1);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_submit(ctx, -1, list));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, ready_now(ctx, &ev, 1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

TEST_HARNESS_MAIN
