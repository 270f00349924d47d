// SPDX-License-Identifier: MIT
/*
 * ref/ring-setup-flags: ref/ring with the setup flags that change when and
 * where completions are posted: IORING_SETUP_COOP_TASKRUN and
 * IORING_SETUP_TASKRUN_FLAG (5.19), IORING_SETUP_SINGLE_ISSUER (6.0) and
 * IORING_SETUP_DEFER_TASKRUN (6.1). Each test reads from an empty pipe and
 * then writes to it, so the completion arrives through task work.
 */
#include <time.h>

#include "conform_ref.h"

#define PAYLOAD "taskrun"

/* Read from the empty pipe p[0] through ring, tagged ud: nothing completes. */
static int start_pipe_read(struct ref_ring *ring, int p[2], char *buf,
			   unsigned int len, uint64_t ud)
{
	if (conform_pipe(p) < 0)
		return -1;
	if (!ref_prep_read(ring, p[0], buf, len, 0, ud))
		return -1;
	return ref_ring_submit(ring) == 1 ? 0 : -1;
}

/* Watch the CQ for ms milliseconds without entering the kernel: true when
 * no CQE shows up (clock_gettime is a vDSO call, not a syscall). */
static bool cq_stays_empty_ms(const struct ref_ring *ring, long ms)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (ref_ring_cq_ready(ring))
			return false;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000L +
		 (now.tv_nsec - start.tv_nsec) / 1000000L < ms);
	return true;
}

/*
 * io_uring_setup(2) IORING_SETUP_COOP_TASKRUN: the kernel does not interrupt
 * the task to post a completion; it is posted when the task next enters the
 * kernel. ref_ring_wait enters, so the read completes with its bytes (5.19).
 */
TEST(coop_taskrun_read_completes_when_waited_for)
{
	struct ref_ring_opts opts = { .flags = IORING_SETUP_COOP_TASKRUN };
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16] = { 0 };
	int p[2];

	CONFORM_DECLARE("5.19", "IORING_SETUP_COOP_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_COOP_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, &opts));
	ASSERT_EQ(0, start_pipe_read(&ring, p, buf, sizeof(buf), 1));
	ASSERT_EQ((ssize_t)strlen(PAYLOAD), write(p[1], PAYLOAD, strlen(PAYLOAD)));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ((int)strlen(PAYLOAD), ref_case_res_of(&log, 1));
	EXPECT_EQ(0, memcmp(buf, PAYLOAD, strlen(PAYLOAD)));
	close(p[0]);
	close(p[1]);
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG (with COOP_TASKRUN): the kernel
 * sets IORING_SQ_TASKRUN while completions wait to be processed, so it is
 * clear once the read's completion has been reaped (5.19). (Whether the
 * flag can be seen set depends on scheduling: work queued while the task is
 * off the CPU runs on its way back to user space. So only the clear state
 * is asserted; ref_ring_for_each_completion enters whenever it is set.)
 */
TEST(taskrun_flag_ring_completes_and_clears_flag)
{
	struct ref_ring_opts opts = {
		.flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
	};
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16] = { 0 };
	int p[2];

	CONFORM_DECLARE("5.19", "IORING_SETUP_TASKRUN_FLAG",
			"io_uring_setup(2) IORING_SETUP_TASKRUN_FLAG");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, &opts));
	ASSERT_EQ(0, start_pipe_read(&ring, p, buf, sizeof(buf), 2));
	ASSERT_EQ((ssize_t)strlen(PAYLOAD), write(p[1], PAYLOAD, strlen(PAYLOAD)));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ((int)strlen(PAYLOAD), ref_case_res_of(&log, 2));
	EXPECT_EQ(0u, __atomic_load_n(ring.sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_TASKRUN);
	close(p[0]);
	close(p[1]);
	ref_ring_free(&ring);
}

/* io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER: a ring used from the task
 * that created it works as any other (6.0). */
TEST(single_issuer_ring_completes_reads)
{
	struct ref_ring_opts opts = { .flags = IORING_SETUP_SINGLE_ISSUER };
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16] = { 0 };
	int p[2];

	CONFORM_DECLARE("6.0", "IORING_SETUP_SINGLE_ISSUER",
			"io_uring_setup(2) IORING_SETUP_SINGLE_ISSUER");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, &opts));
	ASSERT_EQ(0, start_pipe_read(&ring, p, buf, sizeof(buf), 3));
	ASSERT_EQ((ssize_t)strlen(PAYLOAD), write(p[1], PAYLOAD, strlen(PAYLOAD)));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ((int)strlen(PAYLOAD), ref_case_res_of(&log, 3));
	close(p[0]);
	close(p[1]);
	ref_ring_free(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN: completion work is deferred
 * until io_uring_enter with IORING_ENTER_GETEVENTS. So after the write the
 * CQ stays empty while we only watch its memory, and the read completes
 * once ref_ring_wait enters with GETEVENTS (6.1).
 */
TEST(defer_taskrun_posts_only_when_entering_with_getevents)
{
	struct ref_ring_opts opts = {
		.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	};
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16] = { 0 };
	int p[2];

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, &opts));
	ASSERT_EQ(0, start_pipe_read(&ring, p, buf, sizeof(buf), 4));
	ASSERT_EQ((ssize_t)strlen(PAYLOAD), write(p[1], PAYLOAD, strlen(PAYLOAD)));
	EXPECT_TRUE(cq_stays_empty_ms(&ring, REF_CASE_BRIEF_MS));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ((int)strlen(PAYLOAD), ref_case_res_of(&log, 4));
	EXPECT_EQ(0, memcmp(buf, PAYLOAD, strlen(PAYLOAD)));
	close(p[0]);
	close(p[1]);
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
