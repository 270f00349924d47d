// SPDX-License-Identifier: MIT
/*
 * uring/enter-ext-arg: io_uring_enter(2) with IORING_ENTER_EXT_ARG (5.11,
 * IORING_FEAT_EXT_ARG): the argument is a struct io_uring_getevents_arg
 * carrying a timeout for the wait and a signal mask for its duration. A
 * wait that times out, one that ends at once because a CQE is there, a
 * submit-and-wait, a pending signal let through by the mask, and the
 * EINVAL / EFAULT cases of the argument block, the reserved pad field
 * included (min_wait_usec since 6.12).
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

/* io_uring_enter(2) with an argument block: as the system call returns. */
static int enter2(int fd, unsigned int to_submit, unsigned int min_complete,
		  unsigned int flags, const void *arg, size_t argsz)
{
	return (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			    flags, arg, argsz);
}

/* An argument block with a timeout of ms milliseconds in *ts. */
static void ext_arg(struct io_uring_getevents_arg *arg,
		    struct __kernel_timespec *ts, long ms)
{
	memset(arg, 0, sizeof(*arg));
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (ms % 1000) * 1000000L;
	arg->ts = (__u64)(uintptr_t)ts;
}

#define EXT_WAIT (IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG)
#define REQUIRE_EXT_ARG() CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_EXT_ARG)

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG: ts bounds the wait for
 * min_complete events; when it runs out with none there, the call fails
 * with ETIME (since 5.11).
 */
TEST(wait_on_empty_ring_times_out_with_etime)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG ETIME");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ext_arg(&arg, &ts, URING_BRIEF_WAIT_MS);
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg)));
	EXPECT_EQ(ETIME, errno);
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG: with min_complete events already
 * in the CQ ring the wait is satisfied: the call returns 0 (nothing
 * submitted) rather than ETIME, however long the timeout (since 5.11).
 */
TEST(wait_with_cqe_ready_returns_zero)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG min_complete");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, 3);
	ASSERT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	ext_arg(&arg, &ts, URING_REAP_BOUND_MS);
	EXPECT_EQ(0, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg)));
	EXPECT_EQ(1u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2): one call submits to_submit SQEs and waits for
 * min_complete completions; with IORING_ENTER_EXT_ARG it returns the number
 * submitted and the CQE is there (since 5.11).
 */
TEST(submit_and_wait_returns_submitted_count)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) return value");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, 8);
	ext_arg(&arg, &ts, URING_REAP_BOUND_MS);
	EXPECT_EQ(1, enter2(ring.ring_fd, 1, 1, EXT_WAIT, &arg, sizeof(arg)));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(8ULL, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG: sigmask is the signal mask in
 * force during the wait (as for pselect); a blocked pending signal that
 * the mask unblocks is delivered, and the wait fails with EINTR
 * (since 5.11).
 */
TEST(sigmask_lets_pending_signal_interrupt_wait_with_eintr)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;
	sigset_t open_mask;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG sigmask EINTR");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	conform_pend_signal(_metadata, SIGUSR1);
	sigemptyset(&open_mask);
	ext_arg(&arg, &ts, URING_REAP_BOUND_MS);
	arg.sigmask = (__u64)(uintptr_t)&open_mask;
	arg.sigmask_sz = _NSIG / 8;
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg)));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG: "argsz must be set to the size
 * of this structure"; another size gets EINVAL (since 5.11).
 */
TEST(wrong_argsz_gets_einval)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG argsz EINVAL");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ext_arg(&arg, &ts, URING_BRIEF_WAIT_MS);
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg) - 8));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG: the __u32 after sigmask_sz, "pad"
 * in struct io_uring_getevents_arg, is reserved: a non-zero value fails the
 * call with EINVAL (since 5.18, kernel commit d2347b9695da "io_uring: verify
 * pad field is 0 in io_get_ext_arg"; 5.11 to 5.17 ignored the field, and
 * there is no probe for the check). 6.12 gave the field a meaning,
 * min_wait_usec (commit 7ed9e09e2d13 "io_uring: wire up min batch wake
 * timeout"), announced by IORING_FEAT_MIN_TIMEOUT: on such a kernel a
 * non-zero value is a minimum wait, accepted, and a wait on an empty ring
 * still ends with ETIME when ts runs out. The feature bit picks the variant
 * asserted; the log says which.
 */
TEST(nonzero_pad_gets_einval)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;
	bool min_wait;

	CONFORM_DECLARE("5.18", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) io_uring_getevents_arg pad; kernel "
			"commits d2347b9695da (pad EINVAL, 5.18), 7ed9e09e2d13 "
			"(min_wait_usec, 6.12)");
	REQUIRE_EXT_ARG();
	min_wait = !conform_uring_feature_missing(REF_IORING_FEAT_MIN_TIMEOUT,
						  "IORING_FEAT_MIN_TIMEOUT");
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ext_arg(&arg, &ts, URING_BRIEF_WAIT_MS);
	arg.pad = 1000;
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg)));
	if (min_wait) {
		TH_LOG("IORING_FEAT_MIN_TIMEOUT: the field is min_wait_usec, "
		       "the wait runs out with ETIME");
		EXPECT_EQ(ETIME, errno);
	} else {
		TH_LOG("no IORING_FEAT_MIN_TIMEOUT: the field is reserved, EINVAL");
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2): sigmask_sz is the size of the kernel's signal set, as
 * for the sigsetsize of pselect6 and epoll_pwait; another size with a
 * sigmask gets EINVAL (since 5.11).
 */
TEST(wrong_sigmask_size_gets_einval)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;
	sigset_t mask;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) sigmask_sz EINVAL");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sigemptyset(&mask);
	ext_arg(&arg, &ts, URING_BRIEF_WAIT_MS);
	arg.sigmask = (__u64)(uintptr_t)&mask;
	arg.sigmask_sz = _NSIG / 8 / 2;
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg)));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2): an argument block, or a timeout, at an address that
 * cannot be read fails with EFAULT (since 5.11). The address is a page
 * that has just been unmapped.
 */
TEST(unreadable_argument_memory_gets_efault)
{
	struct io_uring ring;
	struct io_uring_getevents_arg arg;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *gone;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) EFAULT");
	REQUIRE_EXT_ARG();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	gone = uring_anon_buf(page);
	ASSERT_NE(NULL, gone);
	ASSERT_EQ(0, munmap(gone, page));
	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)gone;
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, &arg, sizeof(arg)));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, enter2(ring.ring_fd, 0, 1, EXT_WAIT, gone, sizeof(arg)));
	EXPECT_EQ(EFAULT, errno);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
