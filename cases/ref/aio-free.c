// SPDX-License-Identifier: MIT
/*
 * ref/aio-free: ref_aio_free (io_destroy) with requests in flight. The only
 * request that stays pending without special hardware is a poll on an
 * empty pipe: io_destroy cancels it and waits for it to complete before it
 * returns, so the poll's eventfd (IOCB_FLAG_RESFD) has been signalled by
 * then; the ring is unmapped and the context id is dead.
 * Sources: io_destroy(2) ("will attempt to cancel all outstanding
 * asynchronous I/O operations ... will block on the completion of all
 * operations that could not be canceled"), fs/aio.c SYSCALL io_destroy
 * (waits for every request, then the ring is unmapped by kill_ioctx),
 * IOCB_CMD_POLL since 4.19, ref/aio.h.
 */
#include <sys/eventfd.h>

#include "conform_ref.h"
#include "conform_ref_aio.h"

/* An empty pipe p, a non-blocking eventfd and a 4-event context with n
 * polls for POLLIN pending on p[0] (data data0 + i), each signalling the
 * eventfd; returns the eventfd. */
static int polls_signalling_eventfd(struct __test_metadata *_metadata,
				    struct ref_aio *ctx, struct iocb *cb,
				    struct iocb **list, int n, uint64_t data0,
				    int p[2])
{
	int efd;

	ASSERT_EQ(0, conform_pipe(p));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, ref_aio_init(ctx, 4));
	for (int i = 0; i < n; i++) {
		ref_aio_prep_poll(&cb[i], p[0], POLLIN, data0 + (uint64_t)i);
		ref_aio_set_eventfd(&cb[i], efd);
	}
	ASSERT_EQ(n, ref_aio_submit(ctx, list, n));
	return efd;
}

/* io_destroy(2): a context with a poll pending on an empty pipe (which
 * would never complete) is destroyed: ref_aio_free returns 0 and clears
 * the context (since 4.19). */
TEST(free_with_pending_poll_returns_zero)
{
	struct iocb cb, *list[1] = { &cb };
	struct ref_aio ctx;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_destroy(2): cancels all outstanding operations");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_poll(&cb, p[0], POLLIN, 1);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	EXPECT_EQ(0u, ctx.id);
	EXPECT_EQ(NULL, ctx.ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_destroy(2) blocks until the requests in flight are done, and fs/aio.c
 * completes a cancelled poll like any request (aio_complete signals the
 * eventfd). So when ref_aio_free returns, two polls pending on an empty
 * pipe have each added 1 to their eventfd: it reads 2 at once, without
 * waiting (IOCB_FLAG_RESFD since 2.6.22, polls since 4.19).
 */
TEST(free_waits_for_cancelled_polls_to_complete)
{
	struct iocb cb[2], *list[2] = { &cb[0], &cb[1] };
	struct ref_aio ctx;
	uint64_t count = 0;
	int p[2], efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_destroy(2): blocks on the completion of "
			"operations; fs/aio.c io_destroy");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	efd = polls_signalling_eventfd(_metadata, &ctx, cb, list, 2, 0, p);
	errno = 0;
	EXPECT_EQ(-1, read(efd, &count, sizeof(count)));
	EXPECT_EQ(EAGAIN, errno);	/* nothing completed before the free */
	ASSERT_EQ(0, ref_aio_free(&ctx));
	EXPECT_EQ((ssize_t)sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(2u, count);
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c: after io_destroy the polls are gone: data written to the pipe
 * afterwards signals nothing (the eventfd stays 0 beyond the cancellation's
 * completions) and stays in the pipe, untouched (since 4.19).
 */
TEST(polls_end_with_the_context)
{
	struct iocb cb, *list[1] = { &cb };
	struct ref_aio ctx;
	uint64_t count = 0;
	char c = 0;
	int p[2], efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_destroy(2); fs/aio.c io_destroy: the context's "
			"requests end with it");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	efd = polls_signalling_eventfd(_metadata, &ctx, &cb, list, 1, 3, p);
	ASSERT_EQ(0, ref_aio_free(&ctx));
	ASSERT_EQ((ssize_t)sizeof(count), read(efd, &count, sizeof(count)));
	ASSERT_EQ(1u, count);
	ASSERT_EQ(1, write(p[1], "z", 1));
	errno = 0;
	EXPECT_EQ(-1, read(efd, &count, sizeof(count)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ('z', c);
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * fs/aio.c kill_ioctx(): io_destroy unmaps the ring at the context address
 * (the pointer ref kept is dead). Seen with mmap(2) MAP_FIXED_NOREPLACE
 * (4.17): refused with EEXIST there while the ring is mapped, placed
 * exactly there once it is not (io_destroy since 2.6; seen this way since
 * 4.17, this TEST's first kernel).
 */
TEST(free_unmaps_the_ring)
{
	long page = sysconf(_SC_PAGESIZE);
	struct ref_aio ctx;
	void *ring, *m;

	CONFORM_DECLARE("4.17", "MAP_FIXED_NOREPLACE",
			"fs/aio.c kill_ioctx(): io_destroy unmaps the ring; "
			"mmap(2) MAP_FIXED_NOREPLACE (4.17) to see it");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ring = ctx.ring;
	m = mmap(ring, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (m != MAP_FAILED && m != ring) {
		munmap(m, page);
		ref_aio_free(&ctx);
		SKIP(return, "mmap MAP_FIXED_NOREPLACE over the mapped ring "
		     "gave another address, not EEXIST: the flag is ignored");
	}
	ASSERT_EQ(MAP_FAILED, m);
	ASSERT_EQ(EEXIST, errno);
	ASSERT_EQ(0, ref_aio_free(&ctx));
	m = mmap(ring, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	EXPECT_EQ(ring, m);
	if (m != MAP_FAILED)
		munmap(m, page);
}

/* io_destroy(2) ERRORS: EINVAL "The AIO context specified by ctx_id is
 * invalid": freeing twice (the cleared context), or a stale copy of a
 * freed one, gives -EINVAL (since 2.6). */
TEST(free_of_freed_context_gets_einval)
{
	struct ref_aio ctx, stale;

	CONFORM_DECLARE("2.6", "io_destroy",
			"io_destroy(2) EINVAL");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	stale = ctx;
	ASSERT_EQ(0, ref_aio_free(&ctx));
	EXPECT_EQ(-EINVAL, ref_aio_free(&ctx));
	EXPECT_EQ(-EINVAL, ref_aio_free(&stale));
}

/* io_setup(2) ERRORS: EINVAL "nr_events ... should be greater than 0";
 * ref_aio_init passes the kernel's answer on and leaves the context empty
 * (since 2.6). */
TEST(init_with_zero_events_gets_einval)
{
	struct ref_aio ctx;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EINVAL");
	CONFORM_REQUIRE_AIO();
	memset(&ctx, 0x5a, sizeof(ctx));
	EXPECT_EQ(-EINVAL, ref_aio_init(&ctx, 0));
	EXPECT_EQ(0u, ctx.id);
	EXPECT_EQ(NULL, ctx.ring);
}

TEST_HARNESS_MAIN
