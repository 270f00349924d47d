// SPDX-License-Identifier: MIT
/*
 * ref/ring-no-sqarray: ref_ring_init asks for IORING_SETUP_NO_SQARRAY (6.6)
 * on top of the caller's flags. io_uring_setup(2), IORING_SETUP_NO_SQARRAY:
 * the ring has no SQ index array, and the kernel takes SQEs from the SQE
 * array in ring order (sq_off.array is then 0). A kernel before 6.6
 * refuses the flag with -EINVAL and
 * ref sets up again without it, so the caller never sees that retry: every
 * error is the kernel's answer to the caller's own flags.
 * What the tests assert holds on every io_uring kernel (5.1): each says what
 * a kernel before and from 6.6 (commit 2af89abda7d9) does.
 */
#include "conform_ref.h"

/* Does this kernel accept IORING_SETUP_NO_SQARRAY on a plain ring? */
static bool kernel_has_no_sqarray(void)
{
	return conform_uring_setup_missing(REF_IORING_SETUP_NO_SQARRAY,
					   "IORING_SETUP_NO_SQARRAY") == NULL;
}

/* Run rounds batches of 3 NOPs on ring; 0 when every CQE came in order. */
static int run_nops_in_order(struct ref_ring *ring, unsigned int rounds)
{
	uint64_t ud = 0;

	for (unsigned int r = 0; r < rounds; r++) {
		struct ref_case_cqe_log log = { 0 };

		for (unsigned int i = 0; i < 3; i++)
			if (!ref_prep_nop(ring, ud + i))
				return -1;
		if (ref_ring_submit(ring) != 3 || ref_case_reap_until(ring, &log, 3))
			return -2;
		for (unsigned int i = 0; i < 3; i++)
			if (log.cqe[i].user_data != ud + i || log.cqe[i].res != 0)
				return -3;
		ud += 3;
	}
	return 0;
}

/*
 * Where the kernel has IORING_SETUP_NO_SQARRAY (6.6) a ref ring uses it;
 * before that it does not, and the ring fills the index array instead.
 * Either way SQEs run in ring order, round and round the 4-entry SQ
 * (io_uring_setup(2) IORING_SETUP_NO_SQARRAY; holds from 5.1).
 */
TEST(no_sqarray_used_where_the_kernel_has_it)
{
	bool kernel_has_it;
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_SETUP_NO_SQARRAY",
			"io_uring_setup(2) IORING_SETUP_NO_SQARRAY; commit "
			"2af89abda7d9 (6.6)");
	CONFORM_REQUIRE_URING();
	kernel_has_it = kernel_has_no_sqarray();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	EXPECT_EQ(kernel_has_it,
		  !!(ring.setup_flags & REF_IORING_SETUP_NO_SQARRAY));
	EXPECT_EQ(kernel_has_it, ring.sq.array == NULL);
	EXPECT_EQ(0, run_nops_in_order(&ring, 10));
	ref_ring_free(&ring);
}

/*
 * A caller that asks for IORING_SETUP_NO_SQARRAY itself gets it, or the
 * kernel's -EINVAL before 6.6 (io_uring_setup(2) ERRORS: EINVAL for an
 * unknown flag): ref does not quietly drop a flag it was given. Holds from
 * 5.1.
 */
TEST(caller_asking_for_no_sqarray_gets_it_or_einval)
{
	struct ref_ring_opts opts = { .flags = REF_IORING_SETUP_NO_SQARRAY };
	struct ref_ring ring;
	int ret;

	CONFORM_DECLARE("5.1", "IORING_SETUP_NO_SQARRAY",
			"io_uring_setup(2) IORING_SETUP_NO_SQARRAY and "
			"ERRORS EINVAL");
	CONFORM_REQUIRE_URING();
	ret = ref_ring_init(&ring, 4, &opts);
	if (kernel_has_no_sqarray()) {
		ASSERT_EQ(0, ret);
		EXPECT_TRUE(ring.setup_flags & REF_IORING_SETUP_NO_SQARRAY);
		EXPECT_EQ(0, run_nops_in_order(&ring, 3));
	} else {
		EXPECT_EQ(-EINVAL, ret);
		EXPECT_EQ(-1, ring.fd);
	}
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) ERRORS: flags the kernel refuses give the same -errno
 * through ref_ring_init as through the raw call, with or without the
 * NO_SQARRAY attempt in between: an unknown flag bit, DEFER_TASKRUN
 * without SINGLE_ISSUER (EINVAL since 6.1; unknown before), CQSIZE with
 * cq_entries 0 (EINVAL since 5.5; unknown before). Each is refused on
 * every kernel, so this holds from 5.1.
 */
TEST(refused_flags_get_the_kernels_own_error)
{
	static const struct ref_ring_opts refused[] = {
		{ .flags = 1U << 31 },
		{ .flags = IORING_SETUP_DEFER_TASKRUN },
		{ .flags = IORING_SETUP_CQSIZE, .cq_entries = 0 },
	};

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2) ERRORS EINVAL");
	CONFORM_REQUIRE_URING();
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct io_uring_params p;
		struct ref_ring ring;
		int raw_fd, raw_err;

		memset(&p, 0, sizeof(p));
		p.flags = refused[i].flags;
		p.cq_entries = refused[i].cq_entries;
		raw_fd = conform_sys_io_uring_setup(4, &p);
		raw_err = errno;
		ASSERT_GT(0, raw_fd)
			TH_LOG("flags 0x%x were accepted", refused[i].flags);
		EXPECT_EQ(-raw_err, ref_ring_init(&ring, 4, &refused[i]))
			TH_LOG("flags 0x%x", refused[i].flags);
		EXPECT_EQ(-1, ring.fd);
	}
}

TEST_HARNESS_MAIN
