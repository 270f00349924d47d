// SPDX-License-Identifier: MIT
/*
 * aio/ring-mremap: what mremap(2), munmap(2) and mprotect(2) of the
 * completion ring do to a Linux native AIO context, through the raw
 * system calls and <linux/aio_abi.h>. aio/ring-header covers moving the
 * whole ring (the new address becomes the context id, the old one is
 * EINVAL) and io_destroy after munmap (EINVAL). Here: the ring cannot
 * grow (its mapping is VM_DONTEXPAND: EFAULT) nor be duplicated with
 * MREMAP_DONTUNMAP (EINVAL); a move that would leave part of the ring
 * behind is refused with EINVAL since 7.1 (before, it moved the context
 * and left an orphan mapping); shrinking in place keeps the context; a
 * request pending while the ring moves completes into the ring at its
 * new address, and io_destroy unmaps the ring where it now is; the
 * requests of a context whose ring was unmapped still run and complete;
 * a read-only ring serves the io_* calls (the kernel writes the ring
 * through its own mapping), an inaccessible one hides the context until
 * its protection is restored (the kernel reads the header's id with
 * get_user).
 * No man page describes the ring; sources are the kernel's: fs/aio.c
 * aio_ring_mmap() (VM_DONTEXPAND), aio_ring_mremap(), lookup_ioctx(),
 * kill_ioctx(), aio_complete(), aio_read_events_ring(); mm/mremap.c
 * vma_to_resize(); kernel commits e4a0d3e720e7 "aio: Make it possible to
 * remap aio ring" (3.19), db446a08c23d "aio: convert the ioctx list to
 * table lookup v3" (3.12), 3adf7ae18bf4 "fs: aio: reject partial mremap
 * to avoid Null-pointer-dereference error" (7.1), and mremap(2) (EFAULT,
 * EINVAL, MREMAP_DONTUNMAP since 5.7).
 */
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_aio.h"

/* The bytes the ring of ctx maps: the header and nr events, whole pages. */
static size_t ring_len(aio_context_t ctx)
{
	size_t bytes = sizeof(struct aio_ring_header) +
		       aio_ring_of(ctx)->nr * sizeof(struct io_event);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (bytes + page - 1) / page * page;
}

static void *ctx_addr(aio_context_t ctx)
{
	return (void *)(unsigned long)ctx;
}

/* Is the page at addr mapped? (mincore(2) ENOMEM: "not mapped") */
static bool page_mapped(void *addr)
{
	unsigned char vec;

	return mincore(addr, (size_t)sysconf(_SC_PAGESIZE), &vec) == 0;
}

/* A free range of len bytes (PROT_NONE) to move a ring into; NULL on failure. */
static void *reserve(size_t len)
{
	void *hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	return hole == MAP_FAILED ? NULL : hole;
}

/* io_getevents(ctx, 0, 1) with a zero timeout: 0 when the context is
 * found and has nothing ready, else -1 with errno. */
static long peek(aio_context_t ctx)
{
	struct timespec zero = { 0, 0 };
	struct io_event ev;

	return aio_sys_getevents(ctx, 0, 1, &ev, &zero);
}

/* Submit one 64-byte read of fd at ctx and reap it (5 s bound): 1 when
 * its event came back with the data, else what failed (-1). */
static long read_round_trip(aio_context_t ctx, int fd, __u64 tag)
{
	static char buf[64];
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;

	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 128, tag);
	if (aio_sys_submit(ctx, 1, list) != 1)
		return -1;
	if (aio_sys_getevents(ctx, 1, 1, &ev, &bound) != 1)
		return -1;
	return ev.data == tag && ev.res == (__s64)sizeof(buf) &&
	       conform_check_pattern(buf, sizeof(buf), 128) ? 1 : -1;
}

/*
 * fs/aio.c aio_ring_mmap() marks the ring's mapping VM_DONTEXPAND, and
 * mm/mremap.c vma_to_resize() refuses to grow such a mapping with EFAULT
 * (mremap(2) EFAULT: mappings "of different types"), in place or with
 * MREMAP_MAYMOVE; the context is left as it was: found at its address,
 * its ring intact (since 3.19, commit e4a0d3e720e7 "aio: Make it possible
 * to remap aio ring", which gave the ring its own mmap; before, the ring
 * was an ordinary file mapping).
 */
TEST(growing_the_ring_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	aio_context_t ctx = 0;
	void *in_place, *moved;
	int err_in_place, err_moved, fd;
	size_t len;

	CONFORM_DECLARE("3.19", "io_setup",
			"fs/aio.c aio_ring_mmap() VM_DONTEXPAND; mm/mremap.c vma_to_resize() -EFAULT; mremap(2) EFAULT; commit e4a0d3e720e7 (3.19): aio: Make it possible to remap aio ring");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	len = ring_len(ctx);
	errno = 0;
	in_place = mremap(ctx_addr(ctx), len, len + page, 0);
	err_in_place = errno;
	errno = 0;
	moved = mremap(ctx_addr(ctx), len, len + page, MREMAP_MAYMOVE);
	err_moved = errno;
	EXPECT_EQ(MAP_FAILED, in_place);
	EXPECT_EQ(EFAULT, err_in_place);
	EXPECT_EQ(MAP_FAILED, moved);
	EXPECT_EQ(EFAULT, err_moved);
	EXPECT_EQ(0xa10a10a1U, aio_ring_of(ctx)->magic);
	EXPECT_EQ(1, read_round_trip(ctx, fd, 11));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/* NULL if mremap(2) knows MREMAP_DONTUNMAP (5.7): it moves a private
 * anonymous page and leaves the old range mapped. */
static const char *dontunmap_missing(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *q;

	if (p == MAP_FAILED)
		return CONFORM_ENV "mmap of a page for the MREMAP_DONTUNMAP probe failed";
	/* new_address is read with MREMAP_DONTUNMAP (a hint; it must be
	 * page aligned): pass NULL. */
	q = mremap(p, page, page, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	munmap(p, page);
	if (q != MAP_FAILED) {
		munmap(q, page);
		return NULL;
	}
	snprintf(conform_why, sizeof(conform_why),
		 "mremap(MREMAP_DONTUNMAP) of an anonymous page: %s (flag not supported)",
		 strerror(errno));
	return conform_why;
}

/*
 * mremap(2) EINVAL: MREMAP_DONTUNMAP on a mapping it does not apply to:
 * the ring (a VM_DONTEXPAND file mapping) cannot be duplicated that way,
 * which would leave two rings of one context (mm/mremap.c vma_to_resize():
 * VM_DONTEXPAND; from 5.7 to 5.12 the flag took private anonymous
 * mappings only, also EINVAL); the context stays where it was (since 5.7,
 * when MREMAP_DONTUNMAP came).
 */
TEST(dontunmap_move_of_the_ring_gets_einval)
{
	aio_context_t ctx = 0;
	void *hole, *to;
	size_t len;
	int err, fd;

	CONFORM_DECLARE("5.7", "io_setup",
			"mremap(2) EINVAL: MREMAP_DONTUNMAP on a mapping it does not apply to; mm/mremap.c vma_to_resize() VM_DONTEXPAND; fs/aio.c aio_ring_mmap()");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dontunmap_missing());
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	len = ring_len(ctx);
	ASSERT_NE(NULL, hole = reserve(len));
	errno = 0;
	to = mremap(ctx_addr(ctx), len, len,
		    MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, hole);
	err = errno;
	EXPECT_EQ(MAP_FAILED, to);
	EXPECT_EQ(EINVAL, err);
	EXPECT_EQ(1, read_round_trip(ctx, fd, 12));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	munmap(hole, len);
	close(fd);
}

/*
 * Move part of the ring at old (len bytes, more than a page) to hole with
 * mremap(old, size, size, MAYMOVE | FIXED): the mremap result. A kernel
 * that accepts it moves the context to hole and leaves the rest of the
 * ring at old + size as an orphan mapping that must never be touched: it
 * is unmapped here at once, and the caller's io_destroy of the moved
 * context unmaps len bytes from hole (its own reservation).
 */
static void *move_part(aio_context_t ctx, size_t size, size_t len, void *hole)
{
	void *to = mremap(ctx_addr(ctx), size, size,
			  MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	int err = errno;

	if (to != MAP_FAILED)
		munmap((char *)ctx_addr(ctx) + size, len - size);
	errno = err;
	return to;
}

/*
 * fs/aio.c aio_ring_mremap() accepts a move only of the whole ring (its
 * VMA must be ctx->mmap_size long): moving its first page alone, or
 * shrinking it to one page while moving it, fails with EINVAL, mm/mremap.c
 * moves the page tables back, and the context stays found at its address
 * (shrinking has already unmapped the tail). Since 7.1, commit
 * 3adf7ae18bf4 "fs: aio: reject partial mremap to avoid
 * Null-pointer-dereference error" (also in stable kernels down to 5.10);
 * before, the context moved with the part and the rest was left as an
 * orphan mapping whose later use could oops the kernel. Probed: a kernel
 * that accepts the partial move (the probe cleans up) skips.
 */
TEST(moving_part_of_the_ring_gets_einval)
{
	long page = sysconf(_SC_PAGESIZE);
	aio_context_t ctx = 0;
	void *hole, *to;
	size_t len;
	int err, fd;

	CONFORM_DECLARE("7.1", "io_setup",
			"fs/aio.c aio_ring_mremap(): the moved VMA must cover the whole ring; commit 3adf7ae18bf4 (7.1): fs: aio: reject partial mremap to avoid Null-pointer-dereference error");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(1000, &ctx));
	len = ring_len(ctx);
	ASSERT_LT((size_t)page, len);
	ASSERT_NE(NULL, hole = reserve(len));
	errno = 0;
	to = move_part(ctx, page, len, hole);
	err = errno;
	if (to != MAP_FAILED) {
		aio_context_t moved = (aio_context_t)(unsigned long)to;

		EXPECT_EQ(0, aio_sys_destroy(moved));
		munmap(hole, len);
		close(fd);
		SKIP(return, "mremap moved the first page of the ring alone (the context followed it): kernel without commit 3adf7ae18bf4 (fs: aio: reject partial mremap)");
	}
	EXPECT_EQ(EINVAL, err);
	for (size_t off = 0; off < len; off += page)
		EXPECT_TRUE(page_mapped((char *)ctx_addr(ctx) + off));
	EXPECT_EQ(0, peek(ctx));
	EXPECT_EQ(1, read_round_trip(ctx, fd, 13));
	/* Shrinking while moving leaves the tail behind too. */
	errno = 0;
	to = mremap(ctx_addr(ctx), len, page, MREMAP_MAYMOVE | MREMAP_FIXED,
		    hole);
	err = errno;
	EXPECT_EQ(MAP_FAILED, to);
	EXPECT_EQ(EINVAL, err);
	if (to != MAP_FAILED) {
		EXPECT_EQ(0, aio_sys_destroy((aio_context_t)(unsigned long)to));
	} else {
		EXPECT_EQ(0xa10a10a1U, aio_ring_of(ctx)->magic);
		EXPECT_EQ(1, read_round_trip(ctx, fd, 14));
		EXPECT_EQ(0, aio_sys_destroy(ctx));
	}
	munmap(hole, len);
	close(fd);
}

/*
 * mm/mremap.c: shrinking a mapping in place only unmaps its tail (no
 * VM_DONTEXPAND check, no ->mremap call): a ring shrunk to its first page
 * keeps its address, which is still the context id; requests complete
 * and are reaped as before (fs/aio.c writes events through its own
 * mapping of the ring pages, aio_complete(), and io_getevents copies
 * them from there), and io_destroy still succeeds (since 3.19, commit
 * e4a0d3e720e7, which defined what mremap does to the ring; kernel source
 * only).
 */
TEST(shrinking_the_ring_in_place_keeps_the_context)
{
	long page = sysconf(_SC_PAGESIZE);
	aio_context_t ctx = 0;
	void *to, *guard;
	size_t len;
	int fd;

	CONFORM_DECLARE("3.19", "io_setup",
			"mm/mremap.c: shrinking in place unmaps the tail only; fs/aio.c aio_complete() and aio_read_events_ring() use the kernel's ring pages; commit e4a0d3e720e7 (3.19): aio: Make it possible to remap aio ring; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(1000, &ctx));
	len = ring_len(ctx);
	ASSERT_LT((size_t)page, len);
	to = mremap(ctx_addr(ctx), len, page, 0);
	ASSERT_EQ(ctx_addr(ctx), to) TH_LOG("mremap shrinking the ring: %s",
					    strerror(errno));
	EXPECT_FALSE(page_mapped((char *)to + page));
	/* Keep the freed tail ours: io_destroy unmaps the ring's full
	 * original length from its address. */
	guard = mmap((char *)to + page, len - page, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	EXPECT_EQ((char *)to + page, guard);
	EXPECT_EQ(0xa10a10a1U, aio_ring_of(ctx)->magic);
	EXPECT_EQ(0, peek(ctx));
	EXPECT_EQ(1, read_round_trip(ctx, fd, 15));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	EXPECT_FALSE(page_mapped(to));
	if (guard != MAP_FAILED)
		munmap(guard, len - page);
	close(fd);
}

/*
 * fs/aio.c aio_ring_mremap() moves the context, requests and all: a poll
 * of an empty pipe pending while the whole ring is moved completes, once
 * the pipe is written, into the ring at its new address: the header seen
 * there has one event more (tail), and io_getevents at the new address
 * returns the poll's event (since 4.19: ring moves since 3.19, commit
 * e4a0d3e720e7; IOCB_CMD_POLL 4.19).
 */
TEST(request_pending_across_a_move_completes_into_the_moved_ring)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	const volatile struct aio_ring_header *ring;
	struct io_event ev;
	aio_context_t ctx = 0, moved;
	unsigned int tail0;
	void *hole, *to;
	size_t len;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c aio_ring_mremap() updates the context's address; commit e4a0d3e720e7 (3.19): aio: Make it possible to remap aio ring; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 16;
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	len = ring_len(ctx);
	ASSERT_NE(NULL, hole = reserve(len));
	to = mremap(ctx_addr(ctx), len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		    hole);
	ASSERT_EQ(hole, to) TH_LOG("mremap of the ring: %s", strerror(errno));
	moved = (aio_context_t)(unsigned long)to;
	ring = aio_ring_of(moved);
	tail0 = ring->tail;
	EXPECT_EQ(0, peek(moved));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, aio_sys_getevents(moved, 1, 1, &ev, &bound));
	EXPECT_EQ(16, ev.data);
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	EXPECT_EQ((tail0 + 1) % ring->nr, ring->tail);
	EXPECT_EQ(ring->tail, ring->head);
	EXPECT_EQ(0, aio_sys_destroy(moved));
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c kill_ioctx() unmaps ctx->mmap_base, which aio_ring_mremap()
 * keeps at the ring's current address: io_destroy of a moved context
 * unmaps the ring where it now is (commit e4a0d3e720e7 names the bug it
 * fixes: "kill_ioctx() will call munmap() on wrong (old) address") (since
 * 3.19).
 */
TEST(destroy_unmaps_the_ring_at_its_new_address)
{
	long page = sysconf(_SC_PAGESIZE);
	aio_context_t ctx = 0;
	void *hole, *to;
	size_t len;

	CONFORM_DECLARE("3.19", "io_destroy",
			"fs/aio.c kill_ioctx() vm_munmap(ctx->mmap_base) kept current by aio_ring_mremap(); commit e4a0d3e720e7 (3.19): aio: Make it possible to remap aio ring");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(1000, &ctx));
	len = ring_len(ctx);
	ASSERT_NE(NULL, hole = reserve(len));
	to = mremap(ctx_addr(ctx), len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		    hole);
	ASSERT_EQ(hole, to) TH_LOG("mremap of the ring: %s", strerror(errno));
	EXPECT_FALSE(page_mapped(ctx_addr(ctx)));
	EXPECT_TRUE(page_mapped(to));
	EXPECT_EQ(0, aio_sys_destroy((aio_context_t)(unsigned long)to));
	for (size_t off = 0; off < len; off += page)
		EXPECT_FALSE(page_mapped((char *)to + off));
}

/* The eventfd's counter without blocking: -1 when it is 0. */
static long long eventfd_count(int efd)
{
	uint64_t v = 0;

	return read(efd, &v, sizeof(v)) == sizeof(v) ? (long long)v : -1;
}

/*
 * fs/aio.c: unmapping the ring does not destroy the context (only
 * io_destroy or the process's exit does: exit_aio()); its requests keep
 * running and complete into the kernel's ring pages: a poll of an empty
 * pipe submitted with IOCB_FLAG_RESFD before munmap of the whole ring
 * signals its eventfd once the pipe is written, although no io_* call can
 * reach the context any more (EINVAL, aio/ring-header). The context is
 * freed when the test's process exits (since 4.19, IOCB_CMD_POLL; the
 * lookup through the mapped header since 3.12, commit db446a08c23d).
 */
TEST(requests_complete_after_the_ring_is_unmapped)
{
	struct iocb cb, *list[1] = { &cb };
	aio_context_t ctx = 0;
	int p[2], efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c: munmap of the ring leaves the context (exit_aio() frees it), aio_complete() writes the kernel's ring pages and signals IOCB_FLAG_RESFD; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL; kernel source only");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = (__u32)efd;
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	ASSERT_EQ(0, munmap(ctx_addr(ctx), ring_len(ctx)));
	EXPECT_EQ(-1, eventfd_count(efd));
	errno = 0;
	EXPECT_EQ(-1, peek(ctx));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_TRUE(conform_fd_readable(efd, 5000));
	EXPECT_EQ(1, eventfd_count(efd));
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c lookup_ioctx() only reads the ring (get_user of the header's
 * id), and the kernel writes events, tail and head through its own
 * mapping of the ring pages (aio_complete(), aio_read_events_ring()): a
 * ring made read-only with mprotect(2) still serves io_submit and
 * io_getevents, and the program sees head and tail move in it (since
 * 3.12, commit db446a08c23d "aio: convert the ioctx list to table lookup
 * v3"; kernel source only).
 */
TEST(read_only_ring_still_serves_the_calls)
{
	const volatile struct aio_ring_header *ring;
	aio_context_t ctx = 0;
	unsigned int head0;
	int fd;

	CONFORM_DECLARE("3.12", "io_getevents",
			"fs/aio.c lookup_ioctx() get_user(ring->id); aio_complete() and aio_read_events_ring() write the ring through the kernel's mapping; commit db446a08c23d (3.12): aio: convert the ioctx list to table lookup v3; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ring = aio_ring_of(ctx);
	head0 = ring->head;
	ASSERT_EQ(0, mprotect(ctx_addr(ctx), ring_len(ctx), PROT_READ));
	EXPECT_EQ(1, read_round_trip(ctx, fd, 17));
	EXPECT_EQ((head0 + 1) % ring->nr, ring->head);
	EXPECT_EQ(ring->head, ring->tail);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * fs/aio.c lookup_ioctx() finds the context by reading the header's id
 * at the context address (get_user): with the ring made inaccessible
 * (mprotect PROT_NONE) that read faults and io_getevents and io_submit
 * fail with EINVAL, "ctx_id is invalid"; the context is not destroyed:
 * once the protection is restored the same id works again (since 3.12,
 * commit db446a08c23d; kernel source only).
 */
TEST(inaccessible_ring_hides_the_context_until_restored)
{
	static char buf[64];
	struct iocb cb, *list[1] = { &cb };
	aio_context_t ctx = 0;
	long got, submitted;
	int err_got, err_submitted, fd;
	size_t len;

	CONFORM_DECLARE("3.12", "io_getevents",
			"fs/aio.c lookup_ioctx() get_user(ring->id) fails: io_getevents(2)/io_submit(2) EINVAL; commit db446a08c23d (3.12): aio: convert the ioctx list to table lookup v3; kernel source only");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	len = ring_len(ctx);
	ASSERT_EQ(0, mprotect(ctx_addr(ctx), len, PROT_NONE));
	errno = 0;
	got = peek(ctx);
	err_got = errno;
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 18);
	errno = 0;
	submitted = aio_sys_submit(ctx, 1, list);
	err_submitted = errno;
	ASSERT_EQ(0, mprotect(ctx_addr(ctx), len, PROT_READ | PROT_WRITE));
	EXPECT_EQ(-1, got);
	EXPECT_EQ(EINVAL, err_got);
	EXPECT_EQ(-1, submitted);
	EXPECT_EQ(EINVAL, err_submitted);
	EXPECT_EQ(0, peek(ctx));
	EXPECT_EQ(1, read_round_trip(ctx, fd, 19));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

TEST_HARNESS_MAIN
