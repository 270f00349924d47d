// SPDX-License-Identifier: MIT
/*
 * aio/setup: creating and destroying a Linux native AIO context through the
 * raw system calls (io_setup(2), io_destroy(2)), their argument checks, and
 * the completion ring header the kernel maps at the context address.
 * Sources: io_setup(2), io_destroy(2), proc(5) (/proc/sys/fs/aio-nr and
 * aio-max-nr), fs/aio.c (struct aio_ring, the user ABI that libaio reads).
 */
#include "conform_aio.h"

/* io_setup(2): "ctx_idp ... must be initialized to 0 prior to the call"; on success *ctx_idp is filled in (since 2.6). */
TEST(setup_then_destroy_succeeds)
{
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2): ctx_idp must be 0, filled in on success; io_destroy(2)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(8, &ctx));
	EXPECT_NE(0, ctx);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/* io_setup(2) ERRORS: EINVAL "nr_events should be greater than 0" (since 2.6). */
TEST(setup_with_zero_nr_events_gets_einval)
{
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EINVAL: nr_events should be greater than 0");
	CONFORM_REQUIRE_AIO();
	errno = 0;
	EXPECT_EQ(-1, aio_sys_setup(0, &ctx));
	EXPECT_EQ(EINVAL, errno);
	if (ctx)
		aio_sys_destroy(ctx);
}

/* io_setup(2) ERRORS: EINVAL "ctx_idp is not initialized" (not 0) (since 2.6). */
TEST(setup_with_nonzero_ctx_gets_einval)
{
	aio_context_t ctx = 0, stale;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EINVAL: ctx_idp is not initialized");
	CONFORM_REQUIRE_AIO();
	/* A real, live context id: the most plausible "not zeroed" value. */
	ASSERT_EQ(0, aio_sys_setup(1, &ctx));
	stale = ctx;
	errno = 0;
	EXPECT_EQ(-1, aio_sys_setup(1, &ctx));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_sys_destroy(stale));
	if (ctx != stale)
		aio_sys_destroy(ctx);
}

/*
 * io_setup(2) ERRORS: EINVAL when "nr_events exceeds internal limits"; in
 * fs/aio.c the limit is checked before fs.aio-max-nr, so a request of 2^28
 * events (far above the ring size cap) gets EINVAL (since 2.6).
 */
TEST(setup_beyond_internal_limit_gets_einval)
{
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EINVAL: nr_events exceeds internal limits; fs/aio.c ioctx_alloc() overflow check");
	CONFORM_REQUIRE_AIO();
	errno = 0;
	EXPECT_EQ(-1, aio_sys_setup(0x10000000U, &ctx));
	EXPECT_EQ(EINVAL, errno);
	if (ctx)
		aio_sys_destroy(ctx);
}

/*
 * io_setup(2) ERRORS: EAGAIN "nr_events exceeds the limit of available
 * events, as defined in /proc/sys/fs/aio-max-nr" (since 2.6; commit
 * 2a8a98673c13 in 4.12 changed how a request is counted against the limit,
 * but a request above the limit on its own was refused before it too).
 */
TEST(setup_above_aio_max_nr_gets_eagain)
{
	aio_context_t ctx = 0;
	long max_nr;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EAGAIN: nr_events exceeds /proc/sys/fs/aio-max-nr");
	CONFORM_REQUIRE_AIO();
	max_nr = conform_read_sysctl("/proc/sys/fs/aio-max-nr");
	if (max_nr < 0)
		SKIP(return, CONFORM_ENV "cannot read /proc/sys/fs/aio-max-nr (no /proc?)");
	/* Stay below the internal cap so that only aio-max-nr can refuse. */
	if (max_nr >= 4194304)
		SKIP(return, CONFORM_ENV "fs.aio-max-nr=%ld is above the internal limit: EAGAIN cannot be reached alone",
		     max_nr);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_setup((unsigned int)max_nr + 1, &ctx));
	EXPECT_EQ(EAGAIN, errno);
	if (ctx)
		aio_sys_destroy(ctx);
}

/* io_destroy(2) ERRORS: EINVAL "The AIO context specified by ctx_id is invalid": a context already destroyed (since 2.6). */
TEST(destroy_of_destroyed_ctx_gets_einval)
{
	aio_context_t ctx = 0;

	CONFORM_DECLARE("2.6", "io_destroy",
			"io_destroy(2) EINVAL: the AIO context specified by ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(1, &ctx));
	ASSERT_EQ(0, aio_sys_destroy(ctx));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_destroy(ctx));
	EXPECT_EQ(EINVAL, errno);
}

/* io_destroy(2) ERRORS: EINVAL for a ctx_id that never was a context (the address of an ordinary variable) (since 2.6). */
TEST(destroy_of_bogus_ctx_gets_einval)
{
	unsigned int not_a_ring[64] = { 0 };

	CONFORM_DECLARE("2.6", "io_destroy",
			"io_destroy(2) EINVAL: the AIO context specified by ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	errno = 0;
	EXPECT_EQ(-1, aio_sys_destroy((aio_context_t)(unsigned long)not_a_ring));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * fs/aio.c struct aio_ring: the context id is the address of the mapped
 * completion ring, whose header carries magic 0xa10a10a1 (AIO_RING_MAGIC),
 * incompat_features 0 and header_length 32 (sizeof the header); nr holds at
 * least the requested events and the fresh ring is empty, head == tail == 0
 * (user-visible ring since 2.6; DESIGN.md section 6).
 */
TEST(ring_header_is_valid_and_empty)
{
	aio_context_t ctx = 0;
	const volatile struct aio_ring_header *ring;

	CONFORM_DECLARE("2.6", "io_setup",
			"fs/aio.c struct aio_ring: AIO_RING_MAGIC, header_length, head and tail");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(16, &ctx));
	ring = aio_ring_of(ctx);
	EXPECT_EQ(0xa10a10a1U, ring->magic);
	EXPECT_EQ(0U, ring->incompat_features);
	EXPECT_EQ(32U, ring->header_length);
	EXPECT_GE(ring->nr, 16U);
	EXPECT_EQ(0U, ring->head);
	EXPECT_EQ(0U, ring->tail);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * proc(5) /proc/sys/fs/aio-nr: "the running total of the number of events
 * specified by io_setup(2) calls for all currently active AIO contexts";
 * io_setup(2) EAGAIN once a request would take it past aio-max-nr. A
 * destroyed context is no longer active, so io_destroy gives its events
 * back, by the time it returns, since 3.11 (fs/aio.c kill_ioctx(), commit
 * 36f5588905c1 "aio: refcounting cleanup"; before, an RCU callback gave them
 * back later). Since 4.12 (commit 2a8a98673c13) a context counts the
 * nr_events passed to io_setup, not its doubled ring size; before, the
 * doubled size was held against twice the limit, so a context of 40% of
 * aio-max-nr fits either way. Such a context, set up and destroyed eight
 * times in a row, must never get EAGAIN: were even half of it left counted
 * after each io_destroy, the fourth or fifth io_setup would. Other programs
 * may hold events meanwhile (cases run concurrently), so nothing asserts an
 * aio-nr value: the test only needs a tenth of the limit free beside it.
 */
#define AIO_CYCLES 8
/* Above this limit a context of 40% of it needs a ring of over 25 MiB. */
#define AIO_CYCLE_MAX_NR_CAP 1048576L

TEST(destroy_gives_events_back_to_aio_max_nr)
{
	long max_nr, in_use, ret;
	unsigned int nr;
	aio_context_t ctx;

	CONFORM_DECLARE("3.11", "io_destroy",
			"proc(5) /proc/sys/fs/aio-nr: events of all currently active contexts; io_setup(2) EAGAIN; fs/aio.c kill_ioctx(), commit 36f5588905c1 (3.11): aio: refcounting cleanup");
	CONFORM_REQUIRE_AIO();
	max_nr = conform_read_sysctl("/proc/sys/fs/aio-max-nr");
	in_use = conform_read_sysctl("/proc/sys/fs/aio-nr");
	if (max_nr < 0 || in_use < 0)
		SKIP(return, CONFORM_ENV "cannot read /proc/sys/fs/aio-max-nr and aio-nr (no /proc?)");
	if (max_nr < 1000 || max_nr > AIO_CYCLE_MAX_NR_CAP)
		SKIP(return, CONFORM_ENV "fs.aio-max-nr=%ld: a context of 40%% of it is too small to leave others room, or needs too large a ring",
		     max_nr);
	nr = (unsigned int)(max_nr * 2 / 5 + 1);
	if (in_use > max_nr / 2)
		SKIP(return, CONFORM_ENV "fs.aio-nr=%ld of fs.aio-max-nr=%ld: no room for a context of %u events beside what others hold",
		     in_use, max_nr, nr);
	for (int cycle = 1; cycle <= AIO_CYCLES; cycle++) {
		ctx = 0;
		errno = 0;
		ret = aio_sys_setup(nr, &ctx);
		if (ret != 0)
			TH_LOG("io_setup(%u) #%d of %d: %s; fs.aio-nr %ld, fs.aio-max-nr %ld",
			       nr, cycle, AIO_CYCLES, strerror(errno),
			       conform_read_sysctl("/proc/sys/fs/aio-nr"), max_nr);
		ASSERT_EQ(0, ret);
		ASSERT_EQ(0, aio_sys_destroy(ctx));
	}
}

TEST_HARNESS_MAIN
