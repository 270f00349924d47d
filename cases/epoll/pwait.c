// SPDX-License-Identifier: MIT
/*
 * epoll/pwait: the error returns of epoll_wait(2), and the signal mask of
 * epoll_pwait(2), which is set atomically for the duration of the wait.
 * Source: epoll_wait(2) (epoll_pwait since 2.6.19), signal(7).
 */
#include <signal.h>
#include <sys/epoll.h>

#include "conform_epoll.h"

/*
 * epoll_wait(2): "EINVAL ... maxevents is less than or equal to zero"
 * (since 2.6).
 */
TEST(wait_with_maxevents_zero_or_negative_gets_einval)
{
	/* volatile: keeps gcc's access attribute check off a negative count. */
	volatile int zero = 0, negative = -1;
	struct epoll_event ev[1];
	int ep;

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EINVAL maxevents is less than or "
			"equal to zero");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ev, zero, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ev, negative, 0));
	EXPECT_EQ(EINVAL, errno);
	close(ep);
}

/* epoll_wait(2): "EINVAL epfd is not an epoll file descriptor" (since 2.6). */
TEST(wait_on_non_epoll_fd_gets_einval)
{
	struct epoll_event ev[1];
	int p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EINVAL epfd is not an epoll file "
			"descriptor");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(p[0], ev, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_wait(2): "EBADF epfd is not a valid file descriptor"; here a number
 * that cannot be open (conform_bad_fd) (since 2.6).
 */
TEST(wait_on_invalid_fd_gets_ebadf)
{
	struct epoll_event ev[1];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EBADF epfd is not a valid file "
			"descriptor");
	EPOLL_REQUIRE();
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(conform_bad_fd(), ev, 1, 0));
	EXPECT_EQ(EBADF, errno);
}

/*
 * epoll_wait(2): "EFAULT The memory area pointed to by events is not
 * accessible with write permissions": a ready fd and an events buffer in a
 * PROT_READ mapping (since 2.6).
 */
TEST(wait_into_read_only_buffer_gets_efault)
{
	struct epoll_event *ro;
	long page = sysconf(_SC_PAGESIZE);
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EFAULT events not accessible with "
			"write permissions");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ro, 1, 1000));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, page);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2): epoll_pwait() is "equivalent to atomically" setting sigmask
 * around epoll_wait(); with EINTR when "interrupted by a signal handler
 * before ... any of the requested events occurred". A blocked, pending
 * SIGUSR1 unblocked by sigmask interrupts the wait at once and its handler
 * runs (since 2.6.19). The 10 s timeout is only a bound.
 */
TEST(pwait_sigmask_unblocking_pending_signal_gets_eintr)
{
	struct epoll_event ev[1];
	sigset_t none, now;
	int ep;

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) epoll_pwait() (since 2.6.19) sigmask "
			"and EINTR");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	conform_pend_signal(_metadata, SIGUSR1);
	sigemptyset(&none);
	errno = 0;
	EXPECT_EQ(-1, epoll_pwait(ep, ev, 1, 10000, &none));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	/* The original mask is back: SIGUSR1 blocked again. */
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, NULL, &now));
	EXPECT_EQ(1, sigismember(&now, SIGUSR1));
	close(ep);
}

/*
 * epoll_wait(2): a sigmask that keeps the signal blocked leaves it pending:
 * epoll_pwait() with timeout 0 returns 0, no handler runs (since 2.6.19).
 */
TEST(pwait_sigmask_keeping_signal_blocked_leaves_it_pending)
{
	struct epoll_event ev[1];
	sigset_t blocked, pending;
	int ep;

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) epoll_pwait() (since 2.6.19) sigmask");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	conform_pend_signal(_metadata, SIGUSR1);
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGUSR1);
	EXPECT_EQ(0, epoll_pwait(ep, ev, 1, 0, &blocked));
	EXPECT_EQ(0, conform_signal_count(SIGUSR1));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(1, sigismember(&pending, SIGUSR1));
	close(ep);
}

/*
 * epoll_wait(2): "The sigmask argument may be specified as NULL, in which
 * case epoll_pwait() is equivalent to epoll_wait()": a ready fd is returned
 * with its data (since 2.6.19).
 */
TEST(pwait_with_null_sigmask_reports_ready_fd)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6.19", "epoll_pwait",
			"epoll_wait(2) epoll_pwait() with NULL sigmask is "
			"epoll_wait()");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 0x99);
	ASSERT_EQ(0, epoll_pwait(ep, ev, 2, 0, NULL));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_pwait(ep, ev, 2, 1000, NULL));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0x99, ev[0].data.u64);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST_HARNESS_MAIN
