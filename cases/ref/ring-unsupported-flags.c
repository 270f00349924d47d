// SPDX-License-Identifier: MIT
/*
 * ref/ring-unsupported-flags: ref_ring_init with setups it cannot or the
 * kernel will not make. ring.h: failures return the kernel's -errno and
 * leave no fd or mapping; ring.c refuses IORING_SETUP_SQE128 and
 * IORING_SETUP_CQE32 itself with -EOPNOTSUPP (it does not implement the
 * larger entries). A failed ring can be passed to ref_ring_free safely.
 */
#include "conform_ref.h"

/* The lowest free fd number: it must not change across a failed init. */
static int lowest_free_fd(void)
{
	int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);	/* TAP goes there */

	if (fd >= 0)
		close(fd);
	return fd;
}

/* A failed init leaves the ring empty and ref_ring_free harmless. */
static void expect_empty_after_failure(struct ref_ring *ring,
				       struct __test_metadata *_metadata)
{
	EXPECT_EQ(-1, ring->fd);
	EXPECT_EQ(NULL, ring->sq_map);
	EXPECT_EQ(NULL, ring->cq_map);
	EXPECT_EQ(NULL, ring->sqe_map);
	ref_ring_free(ring);
	EXPECT_EQ(-1, ring->fd);
}

/*
 * io_uring_setup(2) ERRORS: "EINVAL ... flags ... unsupported" - a flag bit
 * no kernel defines (bit 31) is refused with -EINVAL, no fd made (5.1).
 */
TEST(unknown_setup_flag_gets_einval)
{
	struct ref_ring_opts opts = { .flags = 1U << 31 };
	struct ref_ring ring;
	int before;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EINVAL");
	CONFORM_REQUIRE_URING();
	before = lowest_free_fd();
	EXPECT_EQ(-EINVAL, ref_ring_init(&ring, 4, &opts));
	EXPECT_EQ(before, lowest_free_fd());
	expect_empty_after_failure(&ring, _metadata);
}

/*
 * ring.c: "128-byte SQEs and 32-byte CQEs change every index computation
 * below; this ring does not implement them" - ref_ring_init returns
 * -EOPNOTSUPP for IORING_SETUP_SQE128 and IORING_SETUP_CQE32 (kernel 5.19
 * flags) before asking the kernel, on any kernel (so from 5.1).
 */
TEST(sqe128_and_cqe32_get_eopnotsupp)
{
	struct ref_ring_opts sqe128 = { .flags = IORING_SETUP_SQE128 };
	struct ref_ring_opts cqe32 = { .flags = IORING_SETUP_CQE32 };
	struct ref_ring ring;
	int before;

	CONFORM_DECLARE("5.1", "IORING_SETUP_SQE128/IORING_SETUP_CQE32",
			"ref/ring.c ref_ring_init: refuses SQE128 and CQE32 "
			"itself");
	CONFORM_REQUIRE_URING();
	before = lowest_free_fd();
	EXPECT_EQ(-EOPNOTSUPP, ref_ring_init(&ring, 4, &sqe128));
	expect_empty_after_failure(&ring, _metadata);
	EXPECT_EQ(-EOPNOTSUPP, ref_ring_init(&ring, 4, &cqe32));
	expect_empty_after_failure(&ring, _metadata);
	EXPECT_EQ(before, lowest_free_fd());
}

/*
 * io_uring_setup(2) ERRORS: "EINVAL The entries ... out of bounds" - 0
 * entries, and more than IORING_MAX_ENTRIES (32768) without
 * IORING_SETUP_CLAMP, are refused (since 5.1).
 */
TEST(entries_zero_or_too_many_get_einval)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EINVAL entries out of "
			"bounds");
	CONFORM_REQUIRE_URING();
	EXPECT_EQ(-EINVAL, ref_ring_init(&ring, 0, NULL));
	expect_empty_after_failure(&ring, _metadata);
	EXPECT_EQ(-EINVAL, ref_ring_init(&ring, 65536, NULL));
	expect_empty_after_failure(&ring, _metadata);
}

/*
 * io_uring_setup(2) IORING_SETUP_CQSIZE: cq_entries "must be greater than
 * entries"; a smaller one (or 0) is refused with -EINVAL (since 5.5).
 */
TEST(cqsize_smaller_than_sq_gets_einval)
{
	struct ref_ring_opts small = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 2 };
	struct ref_ring_opts zero = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.5", "IORING_SETUP_CQSIZE",
			"io_uring_setup(2) IORING_SETUP_CQSIZE");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQSIZE);
	EXPECT_EQ(-EINVAL, ref_ring_init(&ring, 8, &small));
	expect_empty_after_failure(&ring, _metadata);
	EXPECT_EQ(-EINVAL, ref_ring_init(&ring, 8, &zero));
	expect_empty_after_failure(&ring, _metadata);
}

/*
 * io_uring_setup(2) IORING_SETUP_CLAMP: entries above the maximum are
 * clamped instead of refused (since 5.6): 65536 gives a 32768-entry SQ
 * and a 65536-entry CQ (twice the SQ), and the ring works.
 */
TEST(clamp_turns_too_many_entries_into_maximum)
{
	struct ref_ring_opts opts = { .flags = IORING_SETUP_CLAMP };
	struct ref_ring ring;
	int ret;

	CONFORM_DECLARE("5.6", "IORING_SETUP_CLAMP",
			"io_uring_setup(2) IORING_SETUP_CLAMP");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CLAMP);
	ret = ref_ring_init(&ring, 65536, &opts);
	/* Before 5.12 ring memory counted against RLIMIT_MEMLOCK for users
	 * without CAP_IPC_LOCK (commit 26bfa89e25f4 moved it to memcg); 3 MB
	 * of ring exceeds the usual 64 KB. From 6.14 the rings are charged
	 * to RLIMIT_MEMLOCK again (io_create_region), until commit
	 * b59cabf9b4ac exempts them once more. */
	if (ret == -ENOMEM)
		SKIP(return, CONFORM_ENV "ENOMEM for a 32768-entry ring: RLIMIT_MEMLOCK too small");
	ASSERT_EQ(0, ret);
	EXPECT_EQ(32768u, ring.sq.entries);
	EXPECT_EQ(65536u, ring.cq.entries);
	EXPECT_TRUE(ref_prep_nop(&ring, 1));
	EXPECT_EQ(1, ref_ring_submit_and_wait(&ring, 1));
	EXPECT_EQ(1u, ref_ring_cq_ready(&ring));
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2): IORING_SETUP_DEFER_TASKRUN requires
 * IORING_SETUP_SINGLE_ISSUER; alone it gets EINVAL (6.1). Kernels before
 * 6.1 do not know the flag and give EINVAL too (io_uring_setup(2) ERRORS),
 * so every kernel agrees: this holds from 5.1.
 */
TEST(defer_taskrun_without_single_issuer_gets_einval)
{
	struct ref_ring_opts opts = { .flags = IORING_SETUP_DEFER_TASKRUN };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN and "
			"ERRORS EINVAL");
	CONFORM_REQUIRE_URING();
	EXPECT_EQ(-EINVAL, ref_ring_init(&ring, 4, &opts));
	EXPECT_EQ(-1, ring.fd);
}

TEST_HARNESS_MAIN
