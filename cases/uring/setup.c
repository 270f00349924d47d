// SPDX-License-Identifier: MIT
/*
 * uring/setup: io_uring_setup(2) and what it writes back into
 * struct io_uring_params: ring sizes (power-of-two rounding, the default
 * CQ of twice the SQ, IORING_SETUP_CQSIZE, IORING_SETUP_CLAMP), the sizes
 * seen in the mapped rings, and the documented EINVAL / EFAULT cases,
 * with those of IORING_SETUP_TASKRUN_FLAG without IORING_SETUP_COOP_TASKRUN
 * and of either with IORING_SETUP_SQPOLL (5.19).
 * Raw system calls throughout: liburing would hide the params.
 */
#include <limits.h>

#include "conform_uring.h"

/*
 * Call io_uring_setup(entries, p). Returns 0 and closes the ring when it
 * was created, else the errno. p is left as the kernel wrote it.
 */
static int setup_errno(unsigned int entries, struct io_uring_params *p)
{
	int fd = conform_sys_io_uring_setup(entries, p);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * io_uring_setup(2): the queues get "at least entries entries"; the kernel
 * rounds entries up to the next power of two and reports it in
 * sq_entries (since 5.1).
 */
TEST(entries_rounded_up_to_power_of_two)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2): entries rounded up to a power of two");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, setup_errno(5, &p));
	EXPECT_EQ(8u, p.sq_entries);
}

/*
 * io_uring_setup(2) / kernel io_uring_create(): without IORING_SETUP_CQSIZE
 * the CQ ring gets twice as many entries as the SQ ring (since 5.1).
 */
TEST(cq_entries_default_to_twice_sq_entries)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2); io_uring_create(): CQ twice the SQ");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, setup_errno(16, &p));
	EXPECT_EQ(16u, p.sq_entries);
	EXPECT_EQ(32u, p.cq_entries);
}

/*
 * io_uring_setup(2) IORING_SETUP_CQSIZE: the CQ ring is created with
 * params.cq_entries entries, which "may be rounded up to the next
 * power-of-two" (since 5.5).
 */
TEST(cqsize_sets_cq_entries_rounded_up)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.5", "IORING_SETUP_CQSIZE",
			"io_uring_setup(2) IORING_SETUP_CQSIZE");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 100;
	ASSERT_EQ(0, setup_errno(4, &p));
	EXPECT_EQ(4u, p.sq_entries);
	EXPECT_EQ(128u, p.cq_entries);
}

/*
 * io_uring_setup(2) ERRORS: EINVAL when "IORING_SETUP_CQSIZE was specified,
 * but io_uring_params.cq_entries was invalid"; 0 is invalid (since 5.5).
 */
TEST(cqsize_with_zero_cq_entries_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.5", "IORING_SETUP_CQSIZE",
			"io_uring_setup(2) ERRORS EINVAL: cq_entries invalid");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 0;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

/*
 * io_uring_setup(2) IORING_SETUP_CQSIZE: cq_entries "must be greater than
 * entries"; a CQ smaller than the SQ is invalid, EINVAL (since 5.5).
 */
TEST(cqsize_smaller_than_sq_entries_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.5", "IORING_SETUP_CQSIZE",
			"io_uring_setup(2) IORING_SETUP_CQSIZE: cq_entries must be greater than entries");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 8;
	EXPECT_EQ(EINVAL, setup_errno(16, &p));
}

/* io_uring_setup(2) ERRORS: EINVAL when "entries is out of bounds"; 0 is (since 5.1). */
TEST(zero_entries_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EINVAL: entries out of bounds");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	EXPECT_EQ(EINVAL, setup_errno(0, &p));
}

/*
 * io_uring_setup(2) IORING_SETUP_CLAMP: entries above IORING_MAX_ENTRIES
 * are clamped to it instead of failing (since 5.6). IORING_MAX_ENTRIES is
 * 32768 in the kernel since 5.4, so the CQ gets twice that.
 */
TEST(clamp_limits_entries_to_max)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.6", "IORING_SETUP_CLAMP",
			"io_uring_setup(2) IORING_SETUP_CLAMP");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CLAMP);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP;
	ASSERT_EQ(0, setup_errno(UINT_MAX, &p));
	EXPECT_EQ(32768u, p.sq_entries);
	EXPECT_EQ(65536u, p.cq_entries);
}

/*
 * io_uring_setup(2) ERRORS: EINVAL when "entries is out of bounds": one
 * more than the maximum (found through IORING_SETUP_CLAMP) fails without
 * CLAMP (the EINVAL since 5.1; this test finds the maximum with
 * IORING_SETUP_CLAMP, so 5.6).
 */
TEST(entries_above_max_gets_einval)
{
	struct io_uring_params p;
	unsigned int max;

	CONFORM_DECLARE("5.6", "IORING_SETUP_CLAMP",
			"io_uring_setup(2) ERRORS EINVAL: entries out of bounds");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CLAMP);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP;
	ASSERT_EQ(0, setup_errno(UINT_MAX, &p));
	max = p.sq_entries;
	memset(&p, 0, sizeof(p));
	EXPECT_EQ(EINVAL, setup_errno(max + 1, &p));
}

/*
 * io_uring_setup(2) ERRORS: EINVAL when "p.flags contains an unsupported
 * flag"; bit 31 is not defined by any kernel (since 5.1).
 */
TEST(unknown_setup_flag_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EINVAL: unsupported flag");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	p.flags = 1U << 31;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

/*
 * io_uring_setup(2): "The resv array must be initialized to zero";
 * ERRORS: EINVAL when it "contains non-zero data" (since 5.1).
 */
TEST(nonzero_resv_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EINVAL: resv non-zero");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	p.resv[0] = 1;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

/*
 * io_uring_setup(2) ERRORS: EINVAL when "IORING_SETUP_SQ_AFF was specified,
 * but IORING_SETUP_SQPOLL was not" (since 5.1).
 */
TEST(sq_aff_without_sqpoll_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.1", "IORING_SETUP_SQ_AFF",
			"io_uring_setup(2) ERRORS EINVAL: SQ_AFF without SQPOLL");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQ_AFF;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

/* io_uring_setup(2) ERRORS: EFAULT when "params is outside your accessible address space" (since 5.1). */
TEST(null_params_gets_efault)
{
	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EFAULT");
	CONFORM_REQUIRE_URING();
	EXPECT_EQ(EFAULT, setup_errno(4, NULL));
}

/*
 * io_uring_setup(2): the rings are mapped with mmap(2) at IORING_OFF_SQ_RING
 * and IORING_OFF_CQ_RING; the ring_entries and ring_mask fields found at
 * sq_off/cq_off hold the ring sizes from params and size - 1 (since 5.1).
 */
TEST(mapped_rings_report_entries_and_masks)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	void *sq, *cq;
	int fd;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) IORING_OFF_SQ_RING, IORING_OFF_CQ_RING");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	fd = conform_sys_io_uring_setup(8, &p);
	ASSERT_LE(0, fd);
	sq_len = p.sq_off.array + p.sq_entries * sizeof(__u32);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  fd, IORING_OFF_CQ_RING);
	close(fd);
	ASSERT_NE(MAP_FAILED, sq);
	ASSERT_NE(MAP_FAILED, cq);
	EXPECT_EQ(p.sq_entries, *(__u32 *)((char *)sq + p.sq_off.ring_entries));
	EXPECT_EQ(p.sq_entries - 1, *(__u32 *)((char *)sq + p.sq_off.ring_mask));
	EXPECT_EQ(p.cq_entries, *(__u32 *)((char *)cq + p.cq_off.ring_entries));
	EXPECT_EQ(p.cq_entries - 1, *(__u32 *)((char *)cq + p.cq_off.ring_mask));
	munmap(sq, sq_len);
	munmap(cq, cq_len);
}

/*
 * io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG is "Used in conjunction with
 * IORING_SETUP_COOP_TASKRUN" (or, since 6.1, IORING_SETUP_DEFER_TASKRUN);
 * alone it is refused with EINVAL (kernel io_uring_create(), later
 * io_uring_sanitise_params()). Since 5.19, probed by a setup with both
 * flags, which works.
 */
TEST(taskrun_flag_without_coop_taskrun_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.19", "IORING_SETUP_TASKRUN_FLAG",
			"io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG: used in conjunction with IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_TASKRUN_FLAG;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

/*
 * Kernel io_uring_create() (5.19, "IPI related flags don't make sense with
 * SQPOLL"; io_uring_sanitise_params() in later kernels): an SQPOLL ring's
 * completions are run by its poll thread, so IORING_SETUP_COOP_TASKRUN,
 * which only changes how the submitting task is told, is refused with it:
 * EINVAL (io_uring_setup(2) ERRORS: "p.flags contains an unsupported
 * flag"; the page does not name the pair). Each flag alone works.
 */
TEST(coop_taskrun_with_sqpoll_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"io_uring_create(): IPI related flags don't make sense with SQPOLL, EINVAL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN;
	p.sq_thread_idle = 10;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

/*
 * Kernel io_uring_create() / io_uring_sanitise_params(): the same refusal
 * for IORING_SETUP_TASKRUN_FLAG: with IORING_SETUP_SQPOLL (and
 * IORING_SETUP_COOP_TASKRUN, which it needs) the setup fails with EINVAL
 * (since 5.19).
 */
TEST(taskrun_flag_with_sqpoll_gets_einval)
{
	struct io_uring_params p;

	CONFORM_DECLARE("5.19", "IORING_SETUP_TASKRUN_FLAG",
			"io_uring_create(): IPI related flags don't make sense with SQPOLL, EINVAL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN |
				    IORING_SETUP_TASKRUN_FLAG);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN |
		  IORING_SETUP_TASKRUN_FLAG;
	p.sq_thread_idle = 10;
	EXPECT_EQ(EINVAL, setup_errno(4, &p));
}

TEST_HARNESS_MAIN
