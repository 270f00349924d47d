// SPDX-License-Identifier: MIT
/*
 * uring/mem-region: IORING_REGISTER_MEM_REGION (6.13) with a region of
 * application memory (struct io_uring_mem_region_reg pointing at a struct
 * io_uring_region_desc, IORING_MEM_REGION_TYPE_USER), registered as wait
 * arguments (IORING_MEM_REGION_REG_WAIT_ARG, only while the ring is still
 * IORING_SETUP_R_DISABLED), and io_uring_enter(2) with
 * IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG (6.13), whose argument
 * is the byte offset of a struct io_uring_reg_wait in that region
 * (IORING_REG_WAIT_TS: its ts bounds the wait). The errors: an offset out
 * of the region or misaligned, another argsz, an unknown wait flag, no
 * wait region, a wait region on an enabled ring, a second region, non-zero
 * reserved fields, an unknown registration flag.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

#define WAIT_REG (IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | \
		  REF_IORING_ENTER_EXT_ARG_REG)
#define WAIT_SZ sizeof(struct ref_io_uring_reg_wait)

/* A ring and the page of application memory it may use as a region. */
struct region_ring {
	struct io_uring ring;
	struct ref_io_uring_reg_wait *waits;	/* the page, as wait args */
	size_t len;
};

/*
 * IORING_REGISTER_MEM_REGION of len bytes at mem (TYPE_USER) with the
 * registration flags given; as the system call returns (0, or -1).
 */
static int region_register(struct io_uring *ring, void *mem, size_t len,
			   __u64 reg_flags)
{
	struct ref_io_uring_region_desc rd;
	struct ref_io_uring_mem_region_reg reg;

	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (__u64)(uintptr_t)mem;
	rd.size = len;
	rd.flags = REF_IORING_MEM_REGION_TYPE_USER;
	memset(&reg, 0, sizeof(reg));
	reg.region_uptr = (__u64)(uintptr_t)&rd;
	reg.flags = reg_flags;
	return uring_register_raw(ring, REF_IORING_REGISTER_MEM_REGION, &reg, 1);
}

static int enable_rings(struct io_uring *ring)
{
	return uring_register_raw(ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
}

/* A 4-entry ring with setup flags and a zeroed page: 0, or -1 (nothing
 * left then). */
static int region_ring_open(struct region_ring *r, unsigned int flags)
{
	struct io_uring_params p;

	r->len = (size_t)sysconf(_SC_PAGESIZE);
	r->waits = uring_anon_buf(r->len);
	if (!r->waits)
		return -1;
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	if (io_uring_queue_init_params(4, &r->ring, &p)) {
		munmap(r->waits, r->len);
		return -1;
	}
	return 0;
}

static void region_ring_close(struct region_ring *r)
{
	io_uring_queue_exit(&r->ring);
	munmap(r->waits, r->len);
}

/*
 * The ring the wait tests use: created disabled, its page registered as
 * wait arguments, then enabled. 0, or -1.
 */
static int wait_ring_open(struct region_ring *r)
{
	if (region_ring_open(r, IORING_SETUP_R_DISABLED))
		return -1;
	if (region_register(&r->ring, r->waits, r->len,
			    REF_IORING_MEM_REGION_REG_WAIT_ARG) ||
	    enable_rings(&r->ring)) {
		region_ring_close(r);
		return -1;
	}
	return 0;
}

/* io_uring_enter(2) waiting for min_complete CQEs with the wait argument
 * at byte offset off of the region, argsz bytes; 0 or more, or -1. */
static int enter_reg(struct region_ring *r, unsigned int min_complete,
		     unsigned long off, size_t argsz)
{
	return (int)syscall(__NR_io_uring_enter, r->ring.ring_fd, 0,
			    min_complete, WAIT_REG, (void *)off, argsz);
}

/* A wait argument with a timeout of ms milliseconds. */
static void wait_timeout(struct ref_io_uring_reg_wait *w, long ms)
{
	memset(w, 0, sizeof(*w));
	w->ts.tv_sec = ms / 1000;
	w->ts.tv_nsec = (ms % 1000) * 1000000L;
	w->flags = REF_IORING_REG_WAIT_TS;
}

static long elapsed_ms(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - from->tv_sec) * 1000L +
	       (now.tv_nsec - from->tv_nsec) / 1000000L;
}

/* NULL if a page registers as wait arguments on a disabled ring. */
static const char *wait_region_missing(void)
{
	struct region_ring r;
	int ret, err;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	if (region_ring_open(&r, IORING_SETUP_R_DISABLED))
		return CONFORM_ENV "a ring with IORING_SETUP_R_DISABLED could not be set up";
	ret = region_register(&r.ring, r.waits, r.len,
			      REF_IORING_MEM_REGION_REG_WAIT_ARG);
	err = errno;
	region_ring_close(&r);
	if (ret == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_MEM_REGION with IORING_MEM_REGION_REG_WAIT_ARG: %s (not supported by this kernel)",
		 strerror(err));
	return conform_why;
}

#define REQUIRE_WAIT_REGION() CONFORM_REQUIRE(wait_region_missing())

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG_REG (uapi io_uring.h: the
 * argument "is an index into a previously registered fixed wait region
 * described by" struct io_uring_reg_wait; kernel commit d617b3147d54
 * "io_uring: restore back registered wait arguments": a byte offset): the
 * entry at offset 64 with IORING_REG_WAIT_TS and 20 ms bounds a wait on an
 * empty ring, which fails with ETIME once they have passed. The entry at
 * offset 0 carries an unknown flag, so a kernel reading it instead would
 * fail with EINVAL (since 6.13).
 */
TEST(reg_wait_timeout_from_region_ends_wait_with_etime)
{
	struct region_ring r;
	struct timespec start;

	CONFORM_DECLARE("6.13", "IORING_ENTER_EXT_ARG_REG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG_REG; kernel commit d617b3147d54");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, wait_ring_open(&r));
	wait_timeout(&r.waits[0], URING_REAP_BOUND_MS);
	r.waits[0].flags = 0x80;
	wait_timeout(&r.waits[1], URING_BRIEF_WAIT_MS);
	clock_gettime(CLOCK_MONOTONIC, &start);
	EXPECT_EQ(-1, enter_reg(&r, 1, WAIT_SZ, WAIT_SZ));
	EXPECT_EQ(ETIME, errno);
	EXPECT_LE(URING_BRIEF_WAIT_MS, elapsed_ms(&start));
	EXPECT_EQ(0u, io_uring_cq_ready(&r.ring));
	region_ring_close(&r);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG_REG: the registered argument only
 * bounds the wait; with the CQE waited for already there the call returns
 * 0 at once, however long the timeout (since 6.13).
 */
TEST(reg_wait_with_cqe_ready_returns_zero)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_ENTER_EXT_ARG_REG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG_REG");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, wait_ring_open(&r));
	wait_timeout(&r.waits[0], URING_REAP_BOUND_MS);
	uring_publish_nop(&r.ring, 5);
	ASSERT_EQ(1, uring_sys_enter(r.ring.ring_fd, 1, 0, 0));
	EXPECT_EQ(0, enter_reg(&r, 1, 0, WAIT_SZ));
	EXPECT_EQ(1u, io_uring_cq_ready(&r.ring));
	region_ring_close(&r);
}

/*
 * Kernel io_get_ext_arg_reg() (commit d617b3147d54): an offset whose entry
 * does not lie inside the registered wait region fails with EFAULT; here
 * the offset is the region's size (since 6.13).
 */
TEST(reg_wait_offset_beyond_region_gets_efault)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_ENTER_EXT_ARG_REG",
			"io_uring/io_uring.c io_get_ext_arg_reg() EFAULT");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, wait_ring_open(&r));
	EXPECT_EQ(-1, enter_reg(&r, 1, r.len, WAIT_SZ));
	EXPECT_EQ(EFAULT, errno);
	region_ring_close(&r);
}

/*
 * Kernel io_get_ext_arg_reg() (commit d617b3147d54): the offset must be a
 * multiple of sizeof(long); offset 4 fails with EFAULT (not EINVAL)
 * (since 6.13).
 */
TEST(reg_wait_misaligned_offset_gets_efault)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_ENTER_EXT_ARG_REG",
			"io_uring/io_uring.c io_get_ext_arg_reg() alignment");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, wait_ring_open(&r));
	wait_timeout(&r.waits[0], URING_BRIEF_WAIT_MS);
	wait_timeout(&r.waits[1], URING_BRIEF_WAIT_MS);
	EXPECT_EQ(-1, enter_reg(&r, 1, 4, WAIT_SZ));
	EXPECT_EQ(EFAULT, errno);
	region_ring_close(&r);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG_REG: argsz must be the size of
 * struct io_uring_reg_wait; another size gets EINVAL (kernel
 * io_get_ext_arg()) (since 6.13).
 */
TEST(reg_wait_wrong_argsz_gets_einval)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_ENTER_EXT_ARG_REG",
			"io_uring/io_uring.c io_get_ext_arg() argsz");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, wait_ring_open(&r));
	wait_timeout(&r.waits[0], URING_BRIEF_WAIT_MS);
	EXPECT_EQ(-1, enter_reg(&r, 1, 0, WAIT_SZ - 8));
	EXPECT_EQ(EINVAL, errno);
	region_ring_close(&r);
}

/*
 * uapi io_uring.h: IORING_REG_WAIT_TS is the one flag of struct
 * io_uring_reg_wait; an entry with another bit set fails the wait with
 * EINVAL (kernel io_get_ext_arg()) (since 6.13).
 */
TEST(reg_wait_unknown_flag_gets_einval)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_REG_WAIT_TS",
			"io_uring/io_uring.c io_get_ext_arg() reg_wait flags");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, wait_ring_open(&r));
	wait_timeout(&r.waits[0], URING_BRIEF_WAIT_MS);
	r.waits[0].flags |= REF_IORING_REG_WAIT_TS << 1;
	EXPECT_EQ(-1, enter_reg(&r, 1, 0, WAIT_SZ));
	EXPECT_EQ(EINVAL, errno);
	region_ring_close(&r);
}

/*
 * Kernel io_get_ext_arg_reg(): "also protects from NULL ->cq_wait_arg as
 * the size would be 0": IORING_ENTER_EXT_ARG_REG on a ring without a wait
 * region fails with EFAULT, even at offset 0 (since 6.13).
 */
TEST(ext_arg_reg_without_wait_region_gets_efault)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_ENTER_EXT_ARG_REG",
			"io_uring/io_uring.c io_get_ext_arg_reg() no region");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, region_ring_open(&r, 0));
	EXPECT_EQ(-1, enter_reg(&r, 1, 0, WAIT_SZ));
	EXPECT_EQ(EFAULT, errno);
	region_ring_close(&r);
}

/*
 * Kernel commit 93238e661855 ("io_uring: add memory region registration"):
 * a region registered without IORING_MEM_REGION_REG_WAIT_ARG needs no
 * disabled ring and is accepted on a running one, but it is no wait
 * region: IORING_ENTER_EXT_ARG_REG still fails with EFAULT (since 6.13).
 */
TEST(region_without_wait_arg_flag_is_no_wait_region)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_MEM_REGION",
			"kernel commit 93238e661855; io_uring/register.c io_register_mem_region()");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, region_ring_open(&r, 0));
	wait_timeout(&r.waits[0], URING_BRIEF_WAIT_MS);
	EXPECT_EQ(0, region_register(&r.ring, r.waits, r.len, 0));
	EXPECT_EQ(-1, enter_reg(&r, 1, 0, WAIT_SZ));
	EXPECT_EQ(EFAULT, errno);
	region_ring_close(&r);
}

/*
 * Kernel io_register_mem_region(): wait arguments are registered only
 * while the ring is disabled ("This ensures there are no waiters"); on a
 * ring created without IORING_SETUP_R_DISABLED the registration gets
 * EINVAL (since 6.13).
 */
TEST(wait_region_on_enabled_ring_gets_einval)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_MEM_REGION_REG_WAIT_ARG",
			"io_uring/register.c io_register_mem_region() R_DISABLED");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, region_ring_open(&r, 0));
	EXPECT_EQ(-1, region_register(&r.ring, r.waits, r.len,
				      REF_IORING_MEM_REGION_REG_WAIT_ARG));
	EXPECT_EQ(EINVAL, errno);
	region_ring_close(&r);
}

/*
 * Kernel io_register_mem_region(): a ring has one parameter region; a
 * second registration gets EBUSY (since 6.13).
 */
TEST(second_region_gets_ebusy)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct region_ring r;
	void *other;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_MEM_REGION",
			"io_uring/register.c io_register_mem_region() EBUSY");
	REQUIRE_WAIT_REGION();
	other = uring_anon_buf(page);
	ASSERT_NE(NULL, other);
	ASSERT_EQ(0, region_ring_open(&r, IORING_SETUP_R_DISABLED));
	ASSERT_EQ(0, region_register(&r.ring, r.waits, r.len,
				     REF_IORING_MEM_REGION_REG_WAIT_ARG));
	EXPECT_EQ(-1, region_register(&r.ring, other, page,
				      REF_IORING_MEM_REGION_REG_WAIT_ARG));
	EXPECT_EQ(EBUSY, errno);
	region_ring_close(&r);
	munmap(other, page);
}

/*
 * Kernel io_register_mem_region(): the __resv words of struct
 * io_uring_mem_region_reg are reserved; a non-zero one gets EINVAL
 * (since 6.13).
 */
TEST(mem_region_reg_nonzero_reserved_gets_einval)
{
	struct ref_io_uring_region_desc rd;
	struct ref_io_uring_mem_region_reg reg;
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_MEM_REGION",
			"io_uring/register.c io_register_mem_region() __resv");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, region_ring_open(&r, IORING_SETUP_R_DISABLED));
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (__u64)(uintptr_t)r.waits;
	rd.size = r.len;
	rd.flags = REF_IORING_MEM_REGION_TYPE_USER;
	memset(&reg, 0, sizeof(reg));
	reg.region_uptr = (__u64)(uintptr_t)&rd;
	reg.flags = REF_IORING_MEM_REGION_REG_WAIT_ARG;
	reg.__resv[1] = 1;
	EXPECT_EQ(-1, uring_register_raw(&r.ring, REF_IORING_REGISTER_MEM_REGION,
					 &reg, 1));
	EXPECT_EQ(EINVAL, errno);
	region_ring_close(&r);
}

/*
 * Kernel io_create_region(): the __resv words of struct
 * io_uring_region_desc are reserved; a non-zero one gets EINVAL
 * (since 6.13).
 */
TEST(region_desc_nonzero_reserved_gets_einval)
{
	struct ref_io_uring_region_desc rd;
	struct ref_io_uring_mem_region_reg reg;
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_MEM_REGION_TYPE_USER",
			"io_uring/memmap.c io_create_region() __resv");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, region_ring_open(&r, IORING_SETUP_R_DISABLED));
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (__u64)(uintptr_t)r.waits;
	rd.size = r.len;
	rd.flags = REF_IORING_MEM_REGION_TYPE_USER;
	rd.__resv[3] = 1;
	memset(&reg, 0, sizeof(reg));
	reg.region_uptr = (__u64)(uintptr_t)&rd;
	reg.flags = REF_IORING_MEM_REGION_REG_WAIT_ARG;
	EXPECT_EQ(-1, uring_register_raw(&r.ring, REF_IORING_REGISTER_MEM_REGION,
					 &reg, 1));
	EXPECT_EQ(EINVAL, errno);
	region_ring_close(&r);
}

/*
 * Kernel io_register_mem_region(): IORING_MEM_REGION_REG_WAIT_ARG is the
 * one registration flag; another bit gets EINVAL (since 6.13).
 */
TEST(mem_region_unknown_flag_gets_einval)
{
	struct region_ring r;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_MEM_REGION",
			"io_uring/register.c io_register_mem_region() flags");
	REQUIRE_WAIT_REGION();
	ASSERT_EQ(0, region_ring_open(&r, IORING_SETUP_R_DISABLED));
	EXPECT_EQ(-1, region_register(&r.ring, r.waits, r.len,
				      REF_IORING_MEM_REGION_REG_WAIT_ARG << 1));
	EXPECT_EQ(EINVAL, errno);
	region_ring_close(&r);
}

TEST_HARNESS_MAIN
