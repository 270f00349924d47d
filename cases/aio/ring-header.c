// SPDX-License-Identifier: MIT
/*
 * aio/ring-header: the completion ring that io_setup(2) maps into the
 * caller's address space, at the address it returns as the context id.
 * Its layout is fs/aio.c struct aio_ring: a 32-byte header (id, nr, head,
 * tail, magic 0xa10a10a1, compat_features 1, incompat_features 0,
 * header_length 32) followed by nr struct io_event slots; the kernel
 * publishes a completion in the slot at tail and moves tail, io_getevents
 * copies out from head and moves head, and a program may do the same in
 * user space. No man page or uapi header describes the ring: it is
 * documented only in the kernel source (fs/aio.c struct aio_ring and its
 * comments, aio_setup_ring(), ioctx_alloc(), lookup_ioctx(),
 * aio_read_events_ring()) and is the ABI libaio reads. Covered here: the
 * header fields setup.c leaves out (compat_features, the id the kernel
 * finds the context by), the ring's size, where events appear, reaping in
 * user space, wrapping past nr with either reaper, and what munmap and
 * mremap of the ring do to the context.
 * Completions come from buffered reads of a regular file, which complete
 * inside io_submit, so every event is in the ring when io_submit returns.
 */
#include "conform_aio.h"

/* The ring as this program reads and writes it: the header of
 * conform_aio.h, and the event slots right after it (header_length 32). */
static struct aio_ring_header *ring_rw(aio_context_t ctx)
{
	return (struct aio_ring_header *)(unsigned long)ctx;
}

static struct io_event *ring_slots(struct aio_ring_header *ring)
{
	return (struct io_event *)(ring + 1);
}

/* Bytes of a ring of nr slots: the header, then nr events of 32 bytes. */
static size_t ring_bytes(unsigned long nr)
{
	return sizeof(struct aio_ring_header) + nr * sizeof(struct io_event);
}

/*
 * Reap up to max events from the ring in user space, the way fs/aio.c
 * aio_read_events_ring() does in the kernel: read tail (acquire: the
 * kernel fills a slot before it moves tail), copy the slots from head,
 * then publish the new head (release). Returns the number reaped.
 */
static unsigned int user_reap(struct aio_ring_header *ring,
			      struct io_event *out, unsigned int max)
{
	unsigned int nr = ring->nr;
	unsigned int head = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	unsigned int tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	while (head != tail && n < max) {
		out[n++] = ring_slots(ring)[head];
		head = (head + 1) % nr;
	}
	__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
	return n;
}

/* Events in the ring, not yet reaped. */
static unsigned int ring_pending(const struct aio_ring_header *ring)
{
	return (ring->tail + ring->nr - ring->head) % ring->nr;
}

/* A buffered read of 8 bytes at offset (data % 512) * 8, tagged data. */
static void prep_small_read(struct iocb *cb, int fd, unsigned char *buf,
			    __u64 data)
{
	aio_prep_rw(cb, IOCB_CMD_PREAD, fd, buf, 8, (long long)(data % 512) * 8,
		    data);
}

/* The number of possible CPUs (/sys/devices/system/cpu/possible, a list of
 * ranges such as "0-3,8"), or -1 when it cannot be read. */
static long possible_cpus(void)
{
	char buf[256], *p = buf;
	long count = 0;
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	while (*p && *p != '\n') {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p)
			return -1;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			p = end;
		}
		count += hi - lo + 1;
		if (*p == ',')
			p++;
	}
	return count > 0 ? count : -1;
}

/*
 * fs/aio.c aio_setup_ring(): "compat_features" is AIO_RING_COMPAT_FEATURES,
 * 1, on every ring (the value has not changed since the ring was made user
 * visible in 2.6; kernel source only: struct aio_ring and
 * AIO_RING_COMPAT_FEATURES).
 */
TEST(header_compat_features_is_one)
{
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c aio_setup_ring(): ring->compat_features = AIO_RING_COMPAT_FEATURES (1); kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	EXPECT_EQ(1U, aio_ring_of(ctx)->compat_features);
	EXPECT_EQ(sizeof(struct aio_ring_header), aio_ring_of(ctx)->header_length);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * fs/aio.c lookup_ioctx(): every io_* call reads the header's id ("kernel
 * internal index number", the context's slot in the process's table) from
 * the ring at the address it is given, and accepts the context only if
 * that slot holds a context mapped at that address. So the id field is
 * load-bearing: with another value written into it the context is not
 * found (io_getevents gets EINVAL, as for an invalid ctx_id), and with the
 * value put back it works again (since 3.12, commit db446a08c23d "aio:
 * convert the ioctx list to table lookup v3"; kernel source only).
 */
TEST(kernel_finds_context_through_header_id)
{
	struct timespec zero = { 0, 0 };
	struct aio_ring_header *ring;
	struct io_event ev;
	aio_context_t ctx = 0;
	unsigned int id;
	long ret;
	int err;

	CONFORM_DECLARE("3.12", "io_getevents",
			"fs/aio.c lookup_ioctx() reads ring->id from the context address; commit db446a08c23d (3.12): aio: convert the ioctx list to table lookup v3; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ring = ring_rw(ctx);
	id = ring->id;
	/* An index no process table reaches. */
	ring->id = 0x7fffffffU;
	errno = 0;
	ret = aio_sys_getevents(ctx, 0, 1, &ev, &zero);
	err = errno;
	ring->id = id;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINVAL, err);
	EXPECT_EQ(0, aio_sys_getevents(ctx, 0, 1, &ev, &zero));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * fs/aio.c ioctx_alloc() and aio_setup_ring(): the ring holds more than
 * asked: nr_events is raised to 4 per possible CPU, doubled (up to half the
 * slots may sit in other CPUs' request caches), 2 are added, and the ring
 * is then grown to fill its last page: nr = (pages * page size - 32) / 32
 * with pages = ceil((32 + 32 * (2 * max(n, 4 * cpus) + 2)) / page size).
 * Kernel source only (since 3.11, commit e1bdd5f27a5b "aio: percpu
 * reqs_available"; the page rounding is older).
 */
TEST(ring_nr_is_the_rounded_up_size)
{
	static const unsigned int asked[] = { 1, 100, 1000, 3000 };
	long cpus = possible_cpus(), page = sysconf(_SC_PAGESIZE);

	CONFORM_DECLARE("3.11", "io_setup",
			"fs/aio.c ioctx_alloc() (max(nr_events, 4 * num_possible_cpus()) * 2) and aio_setup_ring() (+2, rounded to whole pages); commit e1bdd5f27a5b (3.11): aio: percpu reqs_available; kernel source only");
	CONFORM_REQUIRE_AIO();
	if (cpus < 0)
		SKIP(return, CONFORM_ENV "cannot read /sys/devices/system/cpu/possible (no /sys?)");
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		unsigned long least = 4 * (unsigned long)cpus;
		unsigned long n = asked[i] > least ? asked[i] : least;
		unsigned long bytes = ring_bytes(2 * n + 2);
		unsigned long pages = (bytes + page - 1) / page;
		aio_context_t ctx = 0;

		ASSERT_EQ(0, aio_sys_setup(asked[i], &ctx));
		TH_LOG("io_setup(%u) with %ld possible CPUs: ring nr %u",
		       asked[i], cpus, aio_ring_of(ctx)->nr);
		EXPECT_LE(asked[i], aio_ring_of(ctx)->nr);
		EXPECT_EQ((pages * page - sizeof(struct aio_ring_header)) /
			  sizeof(struct io_event), aio_ring_of(ctx)->nr);
		EXPECT_EQ(0, aio_sys_destroy(ctx));
	}
}

/*
 * fs/aio.c aio_complete(): a completion is written into the slot at the
 * ring's tail, then tail moves on by one; head stays where it was until
 * the event is reaped. The slot holds what io_getevents would return: the
 * iocb's address (obj), its aio_data and the result (since 2.6; kernel
 * source only).
 */
TEST(completion_is_written_in_the_slot_at_tail)
{
	static unsigned char buf[8];
	struct iocb cb, *list[1] = { &cb };
	struct aio_ring_header *ring;
	aio_context_t ctx = 0;
	unsigned int head0, tail0;
	struct io_event slot;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"fs/aio.c aio_complete(): the event goes in the slot at tail, then tail advances; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ring = ring_rw(ctx);
	head0 = ring->head;
	tail0 = ring->tail;
	prep_small_read(&cb, fd, buf, 77);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	EXPECT_EQ((tail0 + 1) % ring->nr, ring->tail);
	EXPECT_EQ(head0, ring->head);
	slot = ring_slots(ring)[tail0];
	EXPECT_EQ((__u64)(unsigned long)&cb, slot.obj);
	EXPECT_EQ(77, slot.data);
	EXPECT_EQ(8, slot.res);
	EXPECT_EQ(0, slot.res2);
	EXPECT_TRUE(conform_check_pattern(buf, 8, (77 % 512) * 8));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * fs/aio.c struct aio_ring: head is "written to by userland or under
 * ring_lock mutex by aio_read_events_ring()", which reads head from the
 * ring each time: events a program reaps itself, by copying them and
 * moving head, are gone for io_getevents, which returns only the rest
 * (since 2.6; kernel source only).
 */
TEST(user_space_reap_is_seen_by_getevents)
{
	static unsigned char buf[3][8];
	struct iocb cb[3], *list[3] = { &cb[0], &cb[1], &cb[2] };
	struct timespec zero = { 0, 0 };
	struct aio_ring_header *ring;
	struct io_event mine, rest[4];
	aio_context_t ctx = 0;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"fs/aio.c struct aio_ring: head written by userland or by aio_read_events_ring(), which reads it from the ring; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ring = ring_rw(ctx);
	for (int i = 0; i < 3; i++)
		prep_small_read(&cb[i], fd, buf[i], 10 + i);
	ASSERT_EQ(3, aio_sys_submit(ctx, 3, list));
	ASSERT_EQ(3U, ring_pending(ring));
	ASSERT_EQ(1U, user_reap(ring, &mine, 1));
	EXPECT_EQ(10, mine.data);
	EXPECT_EQ(2, aio_sys_getevents(ctx, 0, 4, rest, &zero));
	EXPECT_EQ(11, rest[0].data);
	EXPECT_EQ(12, rest[1].data);
	EXPECT_EQ(ring->tail, ring->head);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * Submit rounds of reads and reap each round with the reaper chosen
 * (io_getevents, or user_reap() in user space) until at least three times
 * the ring's nr events have gone through it; every event must come out
 * once, in submission order (each read completes inside io_submit), with
 * head and tail always inside [0, nr).
 */
static void run_rounds(struct __test_metadata *_metadata, bool in_user_space)
{
	enum { ROUND_MAX = 64 };
	static unsigned char buf[ROUND_MAX][8];
	struct iocb cb[ROUND_MAX], *list[ROUND_MAX];
	struct io_event ev[ROUND_MAX];
	struct timespec zero = { 0, 0 };
	struct aio_ring_header *ring;
	aio_context_t ctx = 0;
	unsigned int nr, round, total;
	__u64 next = 0, expect = 0;
	int fd;

	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(8, &ctx));
	ring = ring_rw(ctx);
	nr = ring->nr;
	/* A third of the ring per round: never more than it can take, with
	 * room for slots cached on other CPUs. */
	round = nr / 3 < ROUND_MAX ? nr / 3 : ROUND_MAX;
	ASSERT_LT(0U, round);
	total = 3 * nr + round / 2;
	TH_LOG("ring nr %u, rounds of %u, %u events", nr, round, total);
	while (expect < total) {
		long got;

		for (unsigned int i = 0; i < round; i++) {
			prep_small_read(&cb[i], fd, buf[i], next + i);
			list[i] = &cb[i];
		}
		got = aio_sys_submit(ctx, round, list);
		if (got != (long)round)
			TH_LOG("io_submit of round at event %llu: %ld (%s)",
			       (unsigned long long)next, got, strerror(errno));
		ASSERT_EQ((long)round, got);
		next += round;
		if (in_user_space)
			got = user_reap(ring, ev, ROUND_MAX);
		else
			got = aio_sys_getevents(ctx, 0, ROUND_MAX, ev, &zero);
		ASSERT_EQ((long)round, got);
		for (long i = 0; i < got; i++, expect++) {
			ASSERT_EQ(expect, ev[i].data);
			ASSERT_EQ(8, ev[i].res);
		}
		ASSERT_LT(ring->head, nr);
		ASSERT_LT(ring->tail, nr);
		ASSERT_EQ(ring->tail, ring->head);
	}
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * fs/aio.c aio_complete() and aio_read_events_ring(): tail and head are
 * indices modulo nr: reaped with io_getevents, a ring carries any number
 * of events, each once and in completion order (since 2.6; kernel source
 * only).
 */
TEST(ring_wraps_past_nr_when_reaped_by_getevents)
{
	CONFORM_DECLARE("2.6", "io_getevents",
			"fs/aio.c aio_complete() and aio_read_events_ring(): head and tail wrap modulo nr; kernel source only");
	CONFORM_REQUIRE_AIO();
	run_rounds(_metadata, false);
}

/*
 * fs/aio.c user_refill_reqs_available(): when a context runs out of free
 * slots the kernel reads head from the ring, so slots freed by a program
 * that reaps only in user space are given back and io_submit keeps
 * working past nr events (since 3.16, commit f8567a3845ac "aio: fix aio
 * request leak when events are reaped by userspace", reworked by
 * d856f32a86b2 "aio: fix reqs_available handling" in 3.17 and 3.16.y;
 * kernel source only).
 */
TEST(ring_wraps_past_nr_when_reaped_in_user_space)
{
	CONFORM_DECLARE("3.16", "io_submit",
			"fs/aio.c user_refill_reqs_available(); commit f8567a3845ac (3.16): aio: fix aio request leak when events are reaped by userspace; commit d856f32a86b2: aio: fix reqs_available handling; kernel source only");
	CONFORM_REQUIRE_AIO();
	run_rounds(_metadata, true);
}

/*
 * fs/aio.c lookup_ioctx() reads the id from the ring at the context
 * address (get_user): once the program has unmapped the ring, that read
 * faults and no call finds the context: io_destroy and io_getevents fail
 * with EINVAL, "the AIO context specified by ctx_id is invalid", not the
 * EFAULT io_destroy(2) also lists ("the context pointed to is invalid").
 * The context lives on until the process exits (exit_aio()). Since 3.12
 * (table lookup through ring->id, commit db446a08c23d); kernel source only.
 */
TEST(destroy_after_munmap_of_ring_gets_einval)
{
	struct timespec zero = { 0, 0 };
	struct io_event ev;
	aio_context_t ctx = 0;
	long page = sysconf(_SC_PAGESIZE), ret;
	size_t len;
	int err;

	CONFORM_DECLARE("3.12", "io_destroy",
			"io_destroy(2) EINVAL; fs/aio.c lookup_ioctx() get_user(ring->id) fails on an unmapped ring; commit db446a08c23d (3.12): aio: convert the ioctx list to table lookup v3; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	/* The ring fills whole pages: the header and nr slots. */
	len = ring_bytes(aio_ring_of(ctx)->nr);
	ASSERT_EQ(0U, len % (size_t)page);
	ASSERT_EQ(0, munmap((void *)(unsigned long)ctx, len));
	errno = 0;
	ret = aio_sys_destroy(ctx);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINVAL, err);
	errno = 0;
	ret = aio_sys_getevents(ctx, 0, 1, &ev, &zero);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINVAL, err);
	/* The context itself is freed when this test's process exits. */
}

/*
 * fs/aio.c aio_ring_mremap(): moving the ring with mremap(2) moves the
 * context: its new address is the context id (io_getevents and io_destroy
 * work there), and the old address is no context any more (EINVAL). Since
 * 3.19, commit e4a0d3e720e7 "aio: Make it possible to remap aio ring"
 * (for checkpoint/restore); kernel source only.
 */
TEST(mremap_of_ring_moves_the_context)
{
	static unsigned char buf[8];
	struct timespec zero = { 0, 0 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0, moved;
	size_t len;
	void *hole, *to;
	int fd;

	CONFORM_DECLARE("3.19", "io_setup",
			"fs/aio.c aio_ring_mremap(): ctx->user_id follows the ring; commit e4a0d3e720e7 (3.19): aio: Make it possible to remap aio ring; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	len = ring_bytes(aio_ring_of(ctx)->nr);
	/* Reserve a free range of the ring's size to move it into. */
	hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	to = mremap((void *)(unsigned long)ctx, len, len,
		    MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, to) TH_LOG("mremap of the ring: %s", strerror(errno));
	moved = (aio_context_t)(unsigned long)to;
	EXPECT_EQ(0xa10a10a1U, aio_ring_of(moved)->magic);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_getevents(ctx, 0, 1, &ev, &zero));
	EXPECT_EQ(EINVAL, errno);
	prep_small_read(&cb, fd, buf, 5);
	ASSERT_EQ(1, aio_sys_submit(moved, 1, list));
	ASSERT_EQ(1, aio_sys_getevents(moved, 1, 1, &ev, &zero));
	EXPECT_EQ(5, ev.data);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_destroy(ctx));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_sys_destroy(moved));
	close(fd);
}

TEST_HARNESS_MAIN
