// SPDX-License-Identifier: MIT
/*
 * uring/enter-flags: the io_uring_enter(2) flags beyond submit-and-wait:
 * IORING_ENTER_SQ_WAIT (5.10), which returns once the SQ ring of an SQPOLL
 * ring has room and is ignored on a ring without SQPOLL, as
 * IORING_ENTER_SQ_WAKEUP (5.1) is; IORING_ENTER_NO_IOWAIT (6.15, reported
 * by IORING_FEAT_NO_IOWAIT), a wait not accounted as iowait that otherwise
 * completes like any wait, and refused with EINVAL where the feature bit is
 * absent; an undefined flag bit (EINVAL, 5.1); and IORING_ENTER_GETEVENTS
 * with min_complete above the CQ ring size, which the kernel caps at
 * cq_entries (5.1).
 */
#include <liburing.h>
#include <sys/time.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_NOP = 0x51, TAG_TIMEOUT = 0x52 };

/* Idle time (ms) of an SQ thread that must stay awake during a test, and
 * the guard of a wait for it: loose, as a guest of four on two CPUs under
 * emulation can leave a new SQ thread unscheduled for over 2 s. */
enum { AWAKE_IDLE_MS = 10000, GUARD_MS = 10000 };

/* A flag bit no kernel up to 7.2 defines (the last one is bit 7). */
#define UNDEFINED_ENTER_FLAG (1U << 31)

/*
 * The guard of a wait that the kernel should end by itself: SIGALRM after
 * GUARD_MS, with a handler installed without SA_RESTART, so a wait that
 * does not end fails with EINTR instead of hanging the test. guard_fired()
 * says whether it came: a wait it ended proves nothing either way.
 */
static void guard_wait(struct __test_metadata *_metadata)
{
	struct itimerval it = { 0 };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	it.it_value.tv_sec = GUARD_MS / 1000;
	it.it_value.tv_usec = (GUARD_MS % 1000) * 1000;
	conform_signal_counts[SIGALRM] = 0;
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
}

static bool guard_fired(void)
{
	return conform_signal_count(SIGALRM) > 0;
}

static void unguard_wait(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * io_uring_enter(2) IORING_ENTER_SQ_WAIT: on a ring created with
 * IORING_SETUP_SQPOLL the call waits until at least one entry of the SQ
 * ring is free (since 5.10, commit 90554200724d "io_uring: provide
 * IORING_ENTER_SQ_WAIT for SQPOLL SQ ring waits"). All 4
 * SQ slots are filled with published NOPs; an enter with SQ_WAKEUP |
 * SQ_WAIT returns to_submit (0) only once the SQ thread has taken at least
 * one, so the ring has room when it returns; the 4 NOPs complete. The
 * kernel's wait (io_sqpoll_wait_sq()) also ends at a pending signal: when
 * the guard's SIGALRM ended it, the SQ thread had taken nothing in
 * GUARD_MS and the test skips as not observed.
 */
TEST(sq_wait_returns_once_sqpoll_ring_has_room)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.10", "IORING_ENTER_SQ_WAIT",
			"io_uring_enter(2) IORING_ENTER_SQ_WAIT");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	ASSERT_EQ(0, io_uring_queue_init_params(4, &ring, &p));
	for (unsigned int i = 0; i < 4; i++)
		ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_NOP + i, 0));
	ASSERT_EQ(0u, io_uring_sq_space_left(&ring));
	uring_publish_sq(&ring);
	guard_wait(_metadata);
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 0,
				     IORING_ENTER_SQ_WAKEUP |
				     IORING_ENTER_SQ_WAIT))
		TH_LOG("enter with SQ_WAIT: %s", strerror(errno));
	unguard_wait();
	if (guard_fired()) {
		for (unsigned int i = 0; i < 4; i++)
			uring_reap_one(&ring, &cqe);
		io_uring_queue_exit(&ring);
		SKIP(return, CONFORM_UNSEEN "the SQ thread took no entry within %d ms: the guard's SIGALRM ended the wait",
		     GUARD_MS);
	}
	EXPECT_LT(0u, io_uring_sq_space_left(&ring));
	for (unsigned int i = 0; i < 4; i++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		EXPECT_EQ(0, cqe.res);
	}
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_SQ_WAIT acts on a ring created with
 * IORING_SETUP_SQPOLL; the kernel looks at it only in the
 * SQPOLL branch of io_uring_enter(), so on a plain ring it is ignored: the
 * enter submits the published NOP and returns 1 (since 5.10).
 */
TEST(sq_wait_on_ring_without_sqpoll_is_ignored)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.10", "IORING_ENTER_SQ_WAIT",
			"io_uring_enter(2) IORING_ENTER_SQ_WAIT (SQPOLL only)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, TAG_NOP);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0,
				     IORING_ENTER_SQ_WAIT))
		TH_LOG("enter with SQ_WAIT: %s", strerror(errno));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_NOP, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_SQ_WAKEUP: "If the ring has been created
 * with IORING_SETUP_SQPOLL, then this flag asks the kernel to wakeup the SQ
 * kernel thread"; without SQPOLL there is no thread and the flag is
 * ignored: the enter submits the published NOP itself and returns 1
 * (since 5.1).
 */
TEST(sq_wakeup_on_ring_without_sqpoll_is_ignored)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.1", "IORING_ENTER_SQ_WAKEUP",
			"io_uring_enter(2) IORING_ENTER_SQ_WAKEUP (SQPOLL only)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, TAG_NOP);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0,
				     IORING_ENTER_SQ_WAKEUP))
		TH_LOG("enter with SQ_WAKEUP: %s", strerror(errno));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_NOP, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) ERRORS: EINVAL when "flags contains an invalid flag"
 * (IORING_ENTER_* is checked against the known set first; since 5.1). Bit
 * 31 is defined by no kernel; the published NOP is not submitted.
 */
TEST(undefined_enter_flag_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_GETEVENTS",
			"io_uring_enter(2) ERRORS EINVAL: invalid flag");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, TAG_NOP);
	EXPECT_EQ(-1, uring_sys_enter(ring.ring_fd, 1, 0,
				      UNDEFINED_ENTER_FLAG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_GETEVENTS waits for min_complete events;
 * the kernel caps min_complete at the CQ ring size ("min_complete =
 * min(min_complete, ctx->cq_entries)" in io_uring_enter() since 5.1), as
 * no more CQEs than that can be waiting. With the CQ ring full (8 NOP
 * CQEs), a wait for twice as many returns 0 at once, rather than waiting
 * for events that cannot fit (a guard alarm would end a wrong wait with
 * EINTR).
 */
TEST(getevents_min_complete_above_cq_size_is_capped)
{
	struct io_uring_params p;
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "IORING_ENTER_GETEVENTS",
			"io_uring_enter(2) IORING_ENTER_GETEVENTS min_complete; "
			"io_uring_enter() caps min_complete at cq_entries");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, io_uring_queue_init_params(4, &ring, &p));
	ASSERT_EQ(8u, p.cq_entries);
	for (unsigned int batch = 0; batch < 2; batch++) {
		for (unsigned int i = 0; i < 4; i++)
			ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_NOP, 0));
		ASSERT_EQ(4, io_uring_submit(&ring));
	}
	guard_wait(_metadata);
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 2 * p.cq_entries,
				     IORING_ENTER_GETEVENTS))
		TH_LOG("wait for %u events: %s", 2 * p.cq_entries,
		       strerror(errno));
	unguard_wait();
	EXPECT_EQ(p.cq_entries, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_set_iowait(3): without iowait accounting "the submit functions
 * will set IORING_ENTER_NO_IOWAIT", which the kernel marks supported with
 * IORING_FEAT_NO_IOWAIT ("Available since kernel 6.15"). The flag changes
 * only whether the waiting task counts as in iowait: an enter that
 * submits a 10 ms timeout and waits for 1 event sleeps until it expires
 * and returns 1 (submitted), with the timeout's CQE (-ETIME) in the ring.
 */
TEST(no_iowait_wait_completes_like_a_normal_wait)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.15", "IORING_ENTER_NO_IOWAIT",
			"io_uring_set_iowait(3) IORING_ENTER_NO_IOWAIT");
	CONFORM_REQUIRE(conform_uring_feature_missing(REF_IORING_FEAT_NO_IOWAIT,
						      "IORING_FEAT_NO_IOWAIT"));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_TIMEOUT);
	uring_publish_sq(&ring);
	guard_wait(_metadata);
	EXPECT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 1,
				     IORING_ENTER_GETEVENTS |
				     REF_IORING_ENTER_NO_IOWAIT))
		TH_LOG("enter with NO_IOWAIT: %s", strerror(errno));
	unguard_wait();
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_TIMEOUT, cqe.user_data);
	EXPECT_EQ(-ETIME, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_set_iowait(3): "If the kernel supports this feature, it will be
 * marked by having the IORING_FEAT_NO_IOWAIT feature flag set" (both since
 * 6.15). Per kernel: where the bit is reported, an
 * enter with the flag (and GETEVENTS, min_complete 0) returns 0; where it
 * is not, the flag is an invalid one and the enter fails with EINVAL
 * (io_uring_enter(2) ERRORS; the feature word exists since 5.4).
 */
TEST(no_iowait_is_accepted_exactly_where_feature_bit_is_reported)
{
	struct io_uring_params p;
	struct io_uring ring;
	int ret;

	CONFORM_DECLARE("5.4", "IORING_ENTER_NO_IOWAIT",
			"io_uring_set_iowait(3) IORING_FEAT_NO_IOWAIT; "
			"io_uring_enter(2) ERRORS EINVAL: invalid flag");
	CONFORM_REQUIRE_URING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, io_uring_queue_init_params(4, &ring, &p));
	ret = uring_sys_enter(ring.ring_fd, 0, 0,
			      IORING_ENTER_GETEVENTS |
			      REF_IORING_ENTER_NO_IOWAIT);
	if (p.features & REF_IORING_FEAT_NO_IOWAIT) {
		TH_LOG("IORING_FEAT_NO_IOWAIT reported: the flag must be accepted");
		EXPECT_EQ(0, ret) TH_LOG("enter: %s", strerror(errno));
	} else {
		TH_LOG("IORING_FEAT_NO_IOWAIT not reported (features 0x%x): the flag must get EINVAL",
		       p.features);
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(EINVAL, errno);
	}
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
