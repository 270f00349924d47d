// SPDX-License-Identifier: MIT
/*
 * uring/register-clock: IORING_REGISTER_CLOCK (6.12, struct
 * io_uring_clock_register), the clock a ring's waits for completions are
 * timed on, and IORING_ENTER_ABS_TIMER (6.12), which makes the timeout of
 * an IORING_ENTER_EXT_ARG wait an absolute time of that clock. Covered:
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME accepted, any other clock and a
 * non-zero __resv refused with EINVAL, the argument checks of the
 * register call, an absolute wait that runs out at its deadline (on the
 * default clock and on a registered CLOCK_BOOTTIME), a deadline already
 * past, and ABS_TIMER without EXT_ARG. Sources: io_uring_register(2)
 * IORING_REGISTER_CLOCK, io_uring_enter(2) IORING_ENTER_ABS_TIMER,
 * io_uring_register_clock(3), kernel commits d29cb3726f03 ("io_uring: add
 * absolute mode wait timeouts") and 2b8e976b9842 ("io_uring: user
 * registered clockid for wait timeouts"), io_uring/register.c.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

#define ABS_WAIT (IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | \
		  REF_IORING_ENTER_ABS_TIMER)

/* IORING_REGISTER_CLOCK of clockid (and resv0 in __resv[0]) on ring_fd:
 * as the system call returns (0, or -1 with errno). */
static int register_clock(int ring_fd, unsigned int clockid,
			  unsigned int resv0)
{
	struct ref_io_uring_clock_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.clockid = clockid;
	reg.__resv[0] = resv0;
	return conform_sys_io_uring_register(ring_fd, REF_IORING_REGISTER_CLOCK,
					     &reg, 0);
}

/* NULL if IORING_REGISTER_CLOCK of CLOCK_MONOTONIC works; else why not. */
static const char *clock_missing(void)
{
	struct ref_io_uring_clock_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.clockid = CLOCK_MONOTONIC;
	return uring_register_missing(REF_IORING_REGISTER_CLOCK, &reg, 0,
				      "IORING_REGISTER_CLOCK");
}

/*
 * io_uring_enter(2) waiting for min_complete CQEs until the absolute time
 * *deadline (IORING_ENTER_EXT_ARG | IORING_ENTER_ABS_TIMER): as the system
 * call returns.
 */
static int abs_wait(int ring_fd, const struct timespec *deadline)
{
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;

	ts.tv_sec = deadline->tv_sec;
	ts.tv_nsec = deadline->tv_nsec;
	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)&ts;
	return (int)syscall(__NR_io_uring_enter, ring_fd, 0, 1, ABS_WAIT, &arg,
			    sizeof(arg));
}

/*
 * NULL if io_uring_enter(2) knows IORING_ENTER_ABS_TIMER: a wait on a new
 * ring with the absolute deadline 0 (long past) ends with ETIME. A kernel
 * without the flag (or without IORING_ENTER_EXT_ARG) refuses it with
 * EINVAL.
 */
static const char *abs_timer_missing(void)
{
	const struct timespec zero = { 0, 0 };
	const char *why = conform_uring_unavailable();
	struct io_uring ring;
	int ret, err;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	ret = abs_wait(ring.ring_fd, &zero);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret == -1 && err == ETIME)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_ENTER_ABS_TIMER: a wait with a past deadline gave %d (%s), not ETIME (flag unknown)",
		 ret, ret < 0 ? strerror(err) : "no error");
	return conform_why;
}

/* now + ms milliseconds on clock clk. */
static struct timespec deadline_in(clockid_t clk, long ms)
{
	struct timespec t;

	clock_gettime(clk, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* a is not earlier than b. */
static bool not_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

static void on_guard_alarm(int sig)
{
	(void)sig;
}

/*
 * Bound the waits of this test child: a SIGALRM without SA_RESTART after
 * a few seconds interrupts a wait that would not end (EINTR), so that a
 * deadline the kernel misreads fails the test instead of hanging it.
 */
static void arm_guard(struct __test_metadata *_metadata)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_guard_alarm;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(URING_REAP_BOUND_MS / 1000 + 3);
}

/*
 * io_uring_register(2) IORING_REGISTER_CLOCK: "supports CLOCK_MONOTONIC",
 * the default clock; registering it succeeds with 0 (since 6.12).
 */
TEST(monotonic_clock_registers)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLOCK",
			"io_uring_register(2) IORING_REGISTER_CLOCK; "
			"io_uring_register_clock(3)");
	CONFORM_REQUIRE(clock_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(0, register_clock(ring.ring_fd, CLOCK_MONOTONIC, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_CLOCK: "supports ... and
 * CLOCK_BOOTTIME"; registering it succeeds with 0 (since 6.12).
 */
TEST(boottime_clock_registers)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLOCK",
			"io_uring_register(2) IORING_REGISTER_CLOCK; "
			"io_uring_register_clock(3)");
	CONFORM_REQUIRE(clock_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(0, register_clock(ring.ring_fd, CLOCK_BOOTTIME, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_clock(3): the valid sources are CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME; io_uring/register.c io_register_clock() refuses any
 * other clockid with EINVAL: CLOCK_REALTIME, CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_MONOTONIC_RAW, CLOCK_TAI and an id no clock has (since 6.12).
 */
TEST(other_clocks_get_einval)
{
	const unsigned int bad[] = { CLOCK_REALTIME, CLOCK_PROCESS_CPUTIME_ID,
				     CLOCK_MONOTONIC_RAW, CLOCK_TAI, 1000 };
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLOCK",
			"io_uring_register_clock(3) valid sources; "
			"io_uring/register.c io_register_clock");
	CONFORM_REQUIRE(clock_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, register_clock(ring.ring_fd, bad[i], 0))
			TH_LOG("clockid %u was accepted", bad[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register_clock(3): "The __resv fields must be filled with
 * zeroes"; a non-zero one gets EINVAL (since 6.12).
 */
TEST(nonzero_resv_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLOCK",
			"io_uring_register_clock(3) __resv; "
			"io_uring/register.c io_register_clock");
	CONFORM_REQUIRE(clock_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, register_clock(ring.ring_fd, CLOCK_MONOTONIC, 1));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/register.c: IORING_REGISTER_CLOCK takes its argument block with
 * nr_args 0; a non-zero nr_args, or no argument block, gets EINVAL (not
 * EFAULT) (since 6.12).
 */
TEST(nonzero_nr_args_or_null_argument_gets_einval)
{
	struct ref_io_uring_clock_register reg;
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLOCK",
			"io_uring/register.c __io_uring_register "
			"IORING_REGISTER_CLOCK");
	CONFORM_REQUIRE(clock_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&reg, 0, sizeof(reg));
	reg.clockid = CLOCK_MONOTONIC;
	EXPECT_EQ(-1, uring_register_raw(&ring, REF_IORING_REGISTER_CLOCK,
					 &reg, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, REF_IORING_REGISTER_CLOCK,
					 NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_ABS_TIMER: the timeout of
 * io_uring_getevents_arg is "an absolute time of the registered clock"
 * (CLOCK_MONOTONIC by default, io_uring_register(2)) "until which the
 * waiting should end": a wait on an empty ring fails with ETIME, and not
 * before the deadline (a bound, not a timing check) (since 6.12).
 */
TEST(abs_wait_times_out_with_etime_at_monotonic_deadline)
{
	struct timespec deadline, after;
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_ENTER_ABS_TIMER",
			"io_uring_enter(2) IORING_ENTER_ABS_TIMER; "
			"io_uring_register(2) default clock CLOCK_MONOTONIC");
	CONFORM_REQUIRE(abs_timer_missing());
	arm_guard(_metadata);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	deadline = deadline_in(CLOCK_MONOTONIC, URING_BRIEF_WAIT_MS);
	EXPECT_EQ(-1, abs_wait(ring.ring_fd, &deadline));
	EXPECT_EQ(ETIME, errno);
	clock_gettime(CLOCK_MONOTONIC, &after);
	EXPECT_TRUE(not_before(&after, &deadline))
		TH_LOG("the wait ended before its deadline");
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_CLOCK: "When used in conjunction
 * with IORING_ENTER_ABS_TIMER, interprets the timeout argument as absolute
 * time of the specified clock": with CLOCK_BOOTTIME registered, a deadline
 * read on CLOCK_BOOTTIME ends the wait with ETIME, not before it (since
 * 6.12). (On a machine that never slept the two clocks agree, so this
 * shows the registered clock in use for an absolute wait, not that
 * CLOCK_MONOTONIC would have given another end.)
 */
TEST(abs_wait_uses_registered_boottime_clock)
{
	struct timespec deadline, after;
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLOCK",
			"io_uring_register(2) IORING_REGISTER_CLOCK with "
			"IORING_ENTER_ABS_TIMER");
	CONFORM_REQUIRE(clock_missing());
	CONFORM_REQUIRE(abs_timer_missing());
	arm_guard(_metadata);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, register_clock(ring.ring_fd, CLOCK_BOOTTIME, 0));
	deadline = deadline_in(CLOCK_BOOTTIME, URING_BRIEF_WAIT_MS);
	EXPECT_EQ(-1, abs_wait(ring.ring_fd, &deadline));
	EXPECT_EQ(ETIME, errno);
	clock_gettime(CLOCK_BOOTTIME, &after);
	EXPECT_TRUE(not_before(&after, &deadline))
		TH_LOG("the wait ended before its CLOCK_BOOTTIME deadline");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_ABS_TIMER: a deadline that has already
 * passed ends the wait at once with ETIME; it is not taken as a relative
 * wait of that length (the guard alarm would end such a wait with EINTR)
 * (since 6.12).
 */
TEST(abs_wait_with_past_deadline_gets_etime_at_once)
{
	struct timespec deadline;
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_ENTER_ABS_TIMER",
			"io_uring_enter(2) IORING_ENTER_ABS_TIMER; kernel commit "
			"d29cb3726f03");
	CONFORM_REQUIRE(abs_timer_missing());
	arm_guard(_metadata);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	deadline = deadline_in(CLOCK_MONOTONIC, 0);
	ASSERT_LE(1, deadline.tv_sec);
	deadline.tv_sec -= 1;
	EXPECT_EQ(-1, abs_wait(ring.ring_fd, &deadline));
	EXPECT_EQ(ETIME, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_CLOCK: the clock "is only effective
 * if the timeout argument in struct io_uring_getevents_arg is passed,
 * ignored otherwise"; IORING_ENTER_ABS_TIMER without IORING_ENTER_EXT_ARG
 * carries no timeout and is accepted: a wait for one CQE that is already
 * there returns 0 (kernel commit d29cb3726f03 reads the flag only with an
 * EXT_ARG timeout; since 6.12, where the flag became known).
 */
TEST(abs_timer_without_ext_arg_is_ignored)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.12", "IORING_ENTER_ABS_TIMER",
			"io_uring_register(2) IORING_REGISTER_CLOCK ignored "
			"without a timeout; kernel commit d29cb3726f03");
	CONFORM_REQUIRE(abs_timer_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_publish_nop(&ring, 5);
	ASSERT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	EXPECT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 1,
				     IORING_ENTER_GETEVENTS |
				     REF_IORING_ENTER_ABS_TIMER));
	EXPECT_EQ(1u, io_uring_cq_ready(&ring));
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
