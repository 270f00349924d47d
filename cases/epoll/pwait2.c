// SPDX-License-Identifier: MIT
/*
 * epoll/pwait2: epoll_pwait2(2), epoll_pwait() with a struct timespec
 * timeout - zero and NULL timeouts, an expiring timeout, invalid timespecs,
 * and the signal mask. Called through syscall(2) so that a kernel without it
 * (before 5.11) gives ENOSYS, which turns into a skip.
 * Source: epoll_wait(2) "epoll_pwait2()", which refers to pselect(2) and
 * ppoll(2) for the timeout.
 */
#include <signal.h>
#include <sys/epoll.h>
#include <linux/time_types.h>

#include "conform_epoll.h"

static int sys_epoll_pwait2(int ep, struct epoll_event *ev, int maxevents,
			    const struct __kernel_timespec *timeout,
			    const sigset_t *mask)
{
#ifdef __NR_epoll_pwait2
	return (int)syscall(__NR_epoll_pwait2, ep, ev, maxevents, timeout,
			    mask, mask ? (size_t)_NSIG / 8 : (size_t)0);
#else
	(void)ep; (void)ev; (void)maxevents; (void)timeout; (void)mask;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Skip the test when epoll_pwait2 does not exist: a call on fd -1 fails
 * with ENOSYS there and EBADF where it exists.
 */
#define REQUIRE_EPOLL_PWAIT2()                                                 \
	do {                                                                   \
		struct epoll_event probe_ev_;                                  \
		int probe_ret_ = sys_epoll_pwait2(-1, &probe_ev_, 1, NULL, NULL); \
		if (probe_ret_ < 0)                                            \
			CONFORM_SKIP_IF_ENOSYS(errno, "epoll_pwait2");         \
	} while (0)

/*
 * epoll_wait(2) epoll_pwait2: the timeout "functions the same as in
 * pselect(2) and ppoll(2)": a zero timespec returns immediately, 0 when
 * nothing is ready (since 5.11).
 */
TEST(zero_timespec_returns_zero_at_once)
{
	struct __kernel_timespec zero = { 0, 0 };
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) timeout "
			"as in pselect(2) and ppoll(2)");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	EXPECT_EQ(0, sys_epoll_pwait2(ep, ev, 2, &zero, NULL));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2) epoll_pwait2: "If timeout is NULL, then epoll_pwait2() can
 * block indefinitely" - but returns at once with a ready fd, and its data
 * (since 5.11).
 */
TEST(null_timeout_with_ready_fd_returns_event)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) NULL "
			"timeout");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 0x5711);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, sys_epoll_pwait2(ep, ev, 2, NULL, NULL));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0x5711, ev[0].data.u64);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): returns "zero if no file descriptor became ready during the
 * requested timeout"; a 1 ms timespec on an empty pipe expires with 0
 * (since 5.11). No duration is asserted.
 */
TEST(expired_timespec_returns_zero)
{
	struct __kernel_timespec ms = { 0, 1000000 };
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) RETURN "
			"VALUE zero on timeout");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	EXPECT_EQ(0, sys_epoll_pwait2(ep, ev, 2, &ms, NULL));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_pwait2's timeout works as in pselect(2), whose ERRORS give "EINVAL
 * ... the value contained within timeout is invalid": tv_nsec of 1e9 is out
 * of range (since 5.11).
 */
TEST(timespec_nsec_out_of_range_gets_einval)
{
	struct __kernel_timespec bad = { 0, 1000000000LL };
	struct epoll_event ev[2];
	int ep;

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11); "
			"pselect(2) EINVAL invalid timeout");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	errno = 0;
	EXPECT_EQ(-1, sys_epoll_pwait2(ep, ev, 2, &bad, NULL));
	EXPECT_EQ(EINVAL, errno);
	bad.tv_nsec = -1;
	errno = 0;
	EXPECT_EQ(-1, sys_epoll_pwait2(ep, ev, 2, &bad, NULL));
	EXPECT_EQ(EINVAL, errno);
	close(ep);
}

/*
 * ppoll(2) ERRORS: "EINVAL The timeout value expressed in *tmo_p is invalid
 * (negative)"; epoll_pwait2 takes its timeout the same way (since 5.11).
 */
TEST(negative_timespec_gets_einval)
{
	struct __kernel_timespec neg = { -1, 0 };
	struct epoll_event ev[2];
	int ep;

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11); ppoll(2) "
			"EINVAL negative timeout");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	errno = 0;
	EXPECT_EQ(-1, sys_epoll_pwait2(ep, ev, 2, &neg, NULL));
	EXPECT_EQ(EINVAL, errno);
	close(ep);
}

/*
 * epoll_wait(2): epoll_pwait2() "is equivalent to epoll_pwait() except for
 * the timeout argument": a blocked, pending SIGUSR1 unblocked by sigmask
 * makes the wait fail with EINTR at once, and the handler runs (since 5.11).
 * The 10 s timeout is only a bound.
 */
TEST(sigmask_unblocking_pending_signal_gets_eintr)
{
	struct __kernel_timespec bound = { 10, 0 };
	struct epoll_event ev[1];
	sigset_t none;
	int ep;

	CONFORM_DECLARE("5.11", "epoll_pwait2",
			"epoll_wait(2) epoll_pwait2() (since 5.11) sigmask "
			"and EINTR");
	EPOLL_REQUIRE();
	REQUIRE_EPOLL_PWAIT2();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	conform_pend_signal(_metadata, SIGUSR1);
	sigemptyset(&none);
	errno = 0;
	EXPECT_EQ(-1, sys_epoll_pwait2(ep, ev, 1, &bound, &none));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	close(ep);
}

TEST_HARNESS_MAIN
