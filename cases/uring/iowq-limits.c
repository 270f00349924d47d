// SPDX-License-Identifier: MIT
/*
 * uring/iowq-limits: the io-wq worker pool of a ring's task,
 * IORING_REGISTER_IOWQ_MAX_WORKERS (5.15: query and set the bounded and
 * unbounded worker limits, previous values written back) and
 * IORING_REGISTER_IOWQ_AFF / IORING_UNREGISTER_IOWQ_AFF (5.14: the CPU
 * affinity of the workers), with their argument errors.
 */
#include <liburing.h>

#include "conform_uring.h"

/*
 * A 4-entry ring on which a NOP has run: the task's io_uring context, and
 * with it the io-wq whose limits the calls read and write, exists from the
 * first submission on.
 */
static int worker_ring(struct io_uring *ring)
{
	if (io_uring_queue_init(4, ring, 0))
		return -1;
	if (uring_run_nop(ring, 0) != 0) {
		io_uring_queue_exit(ring);
		return -1;
	}
	return 0;
}

/* IORING_REGISTER_IOWQ_MAX_WORKERS on vals[2] (in/out), nr arguments. */
static int max_workers(struct io_uring *ring, __u32 *vals, unsigned int nr)
{
	return uring_register_raw(ring, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, nr);
}

static const char *max_workers_missing(void)
{
	struct io_uring ring;
	__u32 vals[2] = { 0, 0 };
	int ret, err;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	if (worker_ring(&ring))
		return CONFORM_ENV "ring with a completed NOP could not be set up";
	ret = max_workers(&ring, vals, 2);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_IOWQ_MAX_WORKERS: %s (not supported by this kernel)",
		 strerror(err));
	return conform_why;
}

static const char *iowq_aff_missing(void)
{
	return uring_register_missing(IORING_UNREGISTER_IOWQ_AFF, NULL, 0,
				      "IORING_UNREGISTER_IOWQ_AFF");
}

#define REQUIRE_MAX_WORKERS() CONFORM_REQUIRE(max_workers_missing())
#define REQUIRE_IOWQ_AFF() CONFORM_REQUIRE(iowq_aff_missing())

/*
 * io_uring_register_iowq_max_workers(3): a value of 0 leaves that limit
 * as it is, and the array gets the current values back; two queries in a
 * row therefore read the same non-zero limits (since 5.15).
 */
TEST(zero_query_returns_current_limits_and_changes_nothing)
{
	struct io_uring ring;
	__u32 first[2] = { 0, 0 }, second[2] = { 0, 0 };

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3)");
	REQUIRE_MAX_WORKERS();
	ASSERT_EQ(0, worker_ring(&ring));
	ASSERT_EQ(0, max_workers(&ring, first, 2));
	ASSERT_EQ(0, max_workers(&ring, second, 2));
	EXPECT_NE(0u, first[0]);
	EXPECT_NE(0u, first[1]);
	EXPECT_EQ(first[0], second[0]);
	EXPECT_EQ(first[1], second[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_iowq_max_workers(3): setting new limits writes the
 * previous ones back into the array, and a query then reads the new ones
 * (since 5.15).
 */
TEST(set_returns_previous_limits_and_query_reads_new_ones)
{
	struct io_uring ring;
	__u32 before[2] = { 0, 0 }, set[2] = { 2, 3 }, after[2] = { 0, 0 };

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3)");
	REQUIRE_MAX_WORKERS();
	ASSERT_EQ(0, worker_ring(&ring));
	ASSERT_EQ(0, max_workers(&ring, before, 2));
	ASSERT_EQ(0, max_workers(&ring, set, 2));
	EXPECT_EQ(before[0], set[0]);
	EXPECT_EQ(before[1], set[1]);
	ASSERT_EQ(0, max_workers(&ring, after, 2));
	EXPECT_EQ(2u, after[0]);
	EXPECT_EQ(3u, after[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_iowq_max_workers(3): setting only the unbounded limit
 * (bounded 0) leaves the bounded one as it was (since 5.15).
 */
TEST(zero_entry_keeps_that_limit_while_other_is_set)
{
	struct io_uring ring;
	__u32 set[2] = { 5, 6 }, only[2] = { 0, 9 }, after[2] = { 0, 0 };

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3)");
	REQUIRE_MAX_WORKERS();
	ASSERT_EQ(0, worker_ring(&ring));
	ASSERT_EQ(0, max_workers(&ring, set, 2));
	ASSERT_EQ(0, max_workers(&ring, only, 2));
	EXPECT_EQ(5u, only[0]);
	EXPECT_EQ(6u, only[1]);
	ASSERT_EQ(0, max_workers(&ring, after, 2));
	EXPECT_EQ(5u, after[0]);
	EXPECT_EQ(9u, after[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_IOWQ_MAX_WORKERS: arg is an array of
 * two values and nr_args must be 2; another count gets EINVAL (since 5.15).
 */
TEST(max_workers_with_nr_args_not_two_gets_einval)
{
	struct io_uring ring;
	__u32 vals[2] = { 0, 0 };

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register(2) "
			"IORING_REGISTER_IOWQ_MAX_WORKERS");
	REQUIRE_MAX_WORKERS();
	ASSERT_EQ(0, worker_ring(&ring));
	EXPECT_EQ(-1, max_workers(&ring, vals, 1));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * A request forced to io-wq (IOSQE_ASYNC) still completes under limits of
 * one worker each: the limits cap the pool, they do not stop it (5.15).
 */
TEST(async_request_completes_with_one_worker_limits)
{
	struct io_uring ring;
	__u32 set[2] = { 1, 1 };

	CONFORM_DECLARE("5.15", "IORING_REGISTER_IOWQ_MAX_WORKERS",
			"io_uring_register_iowq_max_workers(3)");
	REQUIRE_MAX_WORKERS();
	ASSERT_EQ(0, worker_ring(&ring));
	ASSERT_EQ(0, max_workers(&ring, set, 2));
	EXPECT_EQ(0, uring_run_nop(&ring, IOSQE_ASYNC));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_iowq_aff(3): binding the io-wq workers to a CPU set
 * (here the set this task may run on) returns 0, and
 * IORING_UNREGISTER_IOWQ_AFF, with no argument, returns 0 (since 5.14).
 */
TEST(iowq_aff_register_and_unregister_return_zero)
{
	struct io_uring ring;
	cpu_set_t set;

	CONFORM_DECLARE("5.14", "IORING_REGISTER_IOWQ_AFF",
			"io_uring_register_iowq_aff(3)");
	REQUIRE_IOWQ_AFF();
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	ASSERT_EQ(0, worker_ring(&ring));
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_IOWQ_AFF, &set,
					sizeof(set)));
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_IOWQ_AFF,
					NULL, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_IOWQ_AFF: nr_args is the byte size
 * of the CPU mask; 0 gets EINVAL (since 5.14).
 */
TEST(iowq_aff_with_zero_size_gets_einval)
{
	struct io_uring ring;
	cpu_set_t set;

	CONFORM_DECLARE("5.14", "IORING_REGISTER_IOWQ_AFF",
			"io_uring_register(2) IORING_REGISTER_IOWQ_AFF");
	REQUIRE_IOWQ_AFF();
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	ASSERT_EQ(0, worker_ring(&ring));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_IOWQ_AFF, &set, 0));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_IOWQ_AFF: "Must not have arg or
 * nr_args set"; with them the call fails with EINVAL (since 5.14).
 */
TEST(iowq_unaff_with_argument_gets_einval)
{
	struct io_uring ring;
	cpu_set_t set;

	CONFORM_DECLARE("5.14", "IORING_UNREGISTER_IOWQ_AFF",
			"io_uring_register(2) IORING_UNREGISTER_IOWQ_AFF");
	REQUIRE_IOWQ_AFF();
	ASSERT_EQ(0, worker_ring(&ring));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_IOWQ_AFF, &set,
					 sizeof(set)));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
