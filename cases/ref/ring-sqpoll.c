// SPDX-License-Identifier: MIT
/*
 * ref/ring-sqpoll: the reference ring with IORING_SETUP_SQPOLL, where a
 * kernel thread consumes the SQ: submission without a syscall while the
 * thread is awake, and the wake-up path (IORING_SQ_NEED_WAKEUP, answered by
 * ref_ring_submit with IORING_ENTER_SQ_WAKEUP) after it went idle. The idle
 * time is 1 ms; the tests wait for the flag itself (bounded), never sleep to
 * win a race. Skips when the kernel refuses SQPOLL: before 5.13 it needs
 * privilege (CAP_SYS_ADMIN from 5.1, commit 3ec482d15cb9; CAP_SYS_ADMIN or
 * CAP_SYS_NICE in 5.11 and 5.12, commit ce59fc69b1c2; none from 5.13,
 * commit 548d819d1eed). The first kernels below are for a privileged
 * caller.
 */
#include <time.h>

#include "conform_ref.h"

/* Make an SQPOLL ring, or skip saying why the kernel refused it. */
#define SQPOLL_RING(ring)                                                      \
	do {                                                                   \
		struct ref_ring_opts opts_ = {                                 \
			.flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 1,     \
		};                                                             \
		int ret_ = ref_ring_init((ring), 4, &opts_);                   \
		if (ret_ < 0)                                                  \
			SKIP(return, "%s", conform_uring_setup_why(            \
				"IORING_SETUP_SQPOLL", -ret_));                \
	} while (0)

static bool need_wakeup(const struct ref_ring *ring)
{
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE) &
	       IORING_SQ_NEED_WAKEUP;
}

static bool sq_all_free(const struct ref_ring *ring)
{
	return ref_ring_sq_space(ring) == ring->sq.entries;
}

/*
 * Wait until cond(ring) holds - a state the SQ thread reaches by itself -
 * checking every millisecond for at most 5 s (a bound, not a race). True
 * when it held.
 */
static bool wait_for(bool (*cond)(const struct ref_ring *), const struct ref_ring *ring)
{
	const struct timespec tick = { .tv_nsec = 1000 * 1000 };

	for (int i = 0; i < 5000; i++) {
		if (cond(ring))
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: a kernel thread polls the SQ, so
 * requests are consumed without io_uring_enter; ring.h: ref_ring_submit
 * returns the number published (since 5.1 with privilege; unprivileged
 * since 5.13, commit 548d819d1eed - 5.11 and 5.12 still need CAP_SYS_NICE).
 * Two NOPs come back with res 0.
 */
TEST(sqpoll_ring_completes_nops)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL; privileged "
			"until 5.13 (commit 548d819d1eed)");
	CONFORM_REQUIRE_URING();
	SQPOLL_RING(&ring);
	ASSERT_TRUE(ref_prep_nop(&ring, 1));
	ASSERT_TRUE(ref_prep_nop(&ring, 2));
	EXPECT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(0, ref_case_res_of(&log, 1));
	EXPECT_EQ(0, ref_case_res_of(&log, 2));
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "If the kernel thread is idle for
 * more than sq_thread_idle milliseconds, it will set the
 * IORING_SQ_NEED_WAKEUP bit in the flags field of the struct io_sq_ring"
 * (since 5.1). Nothing submitted: the flag appears.
 */
TEST(idle_sq_thread_sets_need_wakeup)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_SQ_NEED_WAKEUP",
			"io_uring_setup(2) IORING_SETUP_SQPOLL sq_thread_idle");
	CONFORM_REQUIRE_URING();
	SQPOLL_RING(&ring);
	EXPECT_TRUE(wait_for(need_wakeup, &ring));
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: once IORING_SQ_NEED_WAKEUP is set,
 * "the application must call io_uring_enter(2) ... with
 * IORING_ENTER_SQ_WAKEUP" to get new SQEs consumed; ref_ring_submit does
 * (since 5.1). After the thread went idle, a NOP still completes, and so do
 * NOPs submitted after it went idle a second time.
 */
TEST(submit_after_idle_wakes_the_thread)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_SQ_WAKEUP",
			"io_uring_setup(2) IORING_SETUP_SQPOLL; "
			"io_uring_enter(2) IORING_ENTER_SQ_WAKEUP");
	CONFORM_REQUIRE_URING();
	SQPOLL_RING(&ring);
	for (unsigned int round = 0; round < 2; round++) {
		ASSERT_TRUE(wait_for(need_wakeup, &ring));
		ASSERT_TRUE(ref_prep_nop(&ring, 10 + round));
		EXPECT_EQ(1, ref_ring_submit(&ring));
		ASSERT_EQ(0, ref_case_reap_until(&ring, &log, round + 1));
		EXPECT_EQ(0, ref_case_res_of(&log, 10 + round));
	}
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: the thread moves the SQ head as it
 * consumes SQEs, so the ring's space comes back without an io_uring_enter
 * from the application (ref_ring_sq_space loads the head with acquire).
 * Fill all 4 slots and submit: the 4 CQEs arrive, all 4 slots become free
 * (the thread publishes the head right after posting, so that is awaited,
 * bounded) and a prep succeeds again (since 5.1).
 */
TEST(sq_thread_frees_sq_slots)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE_URING();
	SQPOLL_RING(&ring);
	for (unsigned int i = 0; i < ring.sq.entries; i++)
		ASSERT_TRUE(ref_prep_nop(&ring, i));
	ASSERT_EQ(0u, ref_ring_sq_space(&ring));
	EXPECT_EQ((int)ring.sq.entries, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, ring.sq.entries));
	EXPECT_EQ(ring.sq.entries, log.n);
	/* The thread may post the CQEs just before it publishes the head. */
	EXPECT_TRUE(wait_for(sq_all_free, &ring));
	EXPECT_TRUE(ref_prep_nop(&ring, 99));
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_SQPOLL_NONFIXED: with SQPOLL, requests may
 * use plain fds, not only registered files (since 5.11; before, SQPOLL
 * requests need IOSQE_FIXED_FILE). A write and a read
 * on a regular file through the SQ thread move exact data.
 */
TEST(sqpoll_read_write_on_plain_fd)
{
	char out[512], in[512];
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.11", "IORING_FEAT_SQPOLL_NONFIXED",
			"io_uring_setup(2) IORING_FEAT_SQPOLL_NONFIXED");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_SQPOLL_NONFIXED);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	SQPOLL_RING(&ring);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(out, sizeof(out), 100);
	ASSERT_TRUE(ref_prep_write(&ring, fd, out, sizeof(out), 100, 1));
	ref_ring_last_sqe(&ring)->flags |= IOSQE_IO_LINK;
	ASSERT_TRUE(ref_prep_read(&ring, fd, in, sizeof(in), 100, 2));
	EXPECT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(512, ref_case_res_of(&log, 1));
	EXPECT_EQ(512, ref_case_res_of(&log, 2));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 100));
	ref_ring_free(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
