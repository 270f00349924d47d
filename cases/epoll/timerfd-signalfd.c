// SPDX-License-Identifier: MIT
/*
 * epoll/timerfd-signalfd: epoll watching a timerfd and a signalfd, the two
 * fds that turn timers and signals into readiness: EPOLLIN once a timer has
 * expired or a signal of the mask is pending, none before or after the
 * expirations/signal are read or the timer is re-set, and the documented
 * quirk that a signalfd added to epoll reports only the signals of the
 * process that added it.
 * Sources: timerfd_create(2) (read(2) and poll(2) paragraphs; timerfd since
 * 2.6.25), signalfd(2) ("poll(2), select(2) (and similar)" and "epoll(7)
 * semantics"; signalfd since 2.6.22).
 */
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include "conform_epoll.h"

/* A CLOCK_MONOTONIC timerfd, armed (one-shot) for an absolute time that has
 * already passed, so that it has expired once when this returns. */
static int expired_timerfd(struct __test_metadata *_metadata)
{
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = 1 } };
	int tfd;

	ASSERT_LE(0, tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ASSERT_EQ(0, timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL));
	return tfd;
}

/*
 * timerfd_create(2): the fd is readable "if one or more timer expirations
 * have occurred", and supports epoll(7). A one-shot timer armed for an
 * absolute time already past expires at once: epoll reports EPOLLIN with
 * the entry's tag, and the read returns 1 expiration (since 2.6.25).
 */
TEST(expired_timer_reports_epollin)
{
	struct epoll_event ev[2];
	uint64_t n = 0;
	int ep, tfd;

	CONFORM_DECLARE("2.6.25", "timerfd_create",
			"timerfd_create(2) read(2) and poll(2) paragraphs "
			"(timerfd since 2.6.25)");
	EPOLL_REQUIRE();
	tfd = expired_timerfd(_metadata);
	ep = epoll_new_watching(_metadata, tfd, EPOLLIN, 11);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(11, ev[0].data.u64);
	ASSERT_EQ(8, read(tfd, &n, sizeof(n)));
	EXPECT_EQ(1, n);
	close(ep);
	close(tfd);
}

/*
 * timerfd_create(2): a new timer is disarmed and a timer set far in the
 * future has not expired: neither is readable, and epoll reports nothing
 * (since 2.6.25).
 */
TEST(disarmed_or_pending_timer_reports_nothing)
{
	struct itimerspec far = { .it_value = { .tv_sec = 3600 } };
	struct epoll_event ev[2];
	int ep, t1, t2;

	CONFORM_DECLARE("2.6.25", "timerfd_create",
			"timerfd_create(2) poll(2) paragraph: readable only "
			"after an expiration");
	EPOLL_REQUIRE();
	ASSERT_LE(0, t1 = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ASSERT_LE(0, t2 = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ASSERT_EQ(0, timerfd_settime(t2, 0, &far, NULL));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, t1, EPOLLIN, 1));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, t2, EPOLLIN, 2));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(t1);
	close(t2);
}

/*
 * timerfd_create(2) read(2): the read returns the expirations since the
 * last successful read, so after reading them the fd is no longer ready:
 * the next (level-triggered) wait returns 0 (since 2.6.25).
 */
TEST(reading_expirations_clears_epollin)
{
	struct epoll_event ev[2];
	uint64_t n = 0;
	int ep, tfd;

	CONFORM_DECLARE("2.6.25", "timerfd_create",
			"timerfd_create(2) read(2) paragraph");
	EPOLL_REQUIRE();
	tfd = expired_timerfd(_metadata);
	ep = epoll_new_watching(_metadata, tfd, EPOLLIN, 1);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(8, read(tfd, &n, sizeof(n)));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(tfd);
}

/*
 * timerfd_create(2) read(2): the count is of expirations "since its
 * settings were last modified using timerfd_settime()"; disarming an
 * expired, unread timer (it_value zero) therefore leaves nothing to read:
 * epoll reports nothing and a nonblocking read gets EAGAIN (since 2.6.25).
 */
TEST(disarming_expired_timer_clears_epollin)
{
	struct itimerspec off = { 0 };
	struct epoll_event ev[2];
	uint64_t n = 0;
	int ep, tfd;

	CONFORM_DECLARE("2.6.25", "timerfd_settime",
			"timerfd_create(2) read(2): expirations since "
			"settings were last modified");
	EPOLL_REQUIRE();
	tfd = expired_timerfd(_metadata);
	ep = epoll_new_watching(_metadata, tfd, EPOLLIN, 1);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(0, timerfd_settime(tfd, 0, &off, NULL));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, fcntl(tfd, F_SETFL, O_NONBLOCK));
	errno = 0;
	EXPECT_EQ(-1, read(tfd, &n, sizeof(n)));
	EXPECT_EQ(EAGAIN, errno);
	close(ep);
	close(tfd);
}

/* A signalfd for SIGUSR1, which is blocked (as signalfd(2) advises). */
static int usr1_signalfd(struct __test_metadata *_metadata)
{
	sigset_t set;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	ASSERT_LE(0, sfd = signalfd(-1, &set, SFD_CLOEXEC));
	return sfd;
}

/*
 * signalfd(2): the fd is readable when "one or more of the signals in mask
 * is pending for the process", and supports epoll(7): after raise(SIGUSR1)
 * epoll reports EPOLLIN with the tag, and not before (since 2.6.22).
 */
TEST(pending_signal_reports_epollin)
{
	struct epoll_event ev[2];
	int ep, sfd;

	CONFORM_DECLARE("2.6.22", "signalfd",
			"signalfd(2) poll(2), select(2) (and similar) "
			"(signalfd since 2.6.22)");
	EPOLL_REQUIRE();
	sfd = usr1_signalfd(_metadata);
	ep = epoll_new_watching(_metadata, sfd, EPOLLIN, 21);
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, raise(SIGUSR1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(21, ev[0].data.u64);
	close(ep);
	close(sfd);
}

/*
 * signalfd(2): only signals in the fd's mask make it readable: a pending
 * SIGUSR2 (blocked, not in the mask) leaves a SIGUSR1 signalfd unready
 * (since 2.6.22).
 */
TEST(signal_outside_mask_reports_nothing)
{
	struct epoll_event ev[2];
	sigset_t set;
	int ep, sfd;

	CONFORM_DECLARE("2.6.22", "signalfd",
			"signalfd(2) poll(2): readable when a signal in mask "
			"is pending");
	EPOLL_REQUIRE();
	sfd = usr1_signalfd(_metadata);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	ep = epoll_new_watching(_metadata, sfd, EPOLLIN, 1);
	ASSERT_EQ(0, raise(SIGUSR2));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(sfd);
}

/*
 * signalfd(2) read(2): reading returns a signalfd_siginfo for the pending
 * signal and consumes it; the signal is then no longer pending and the fd
 * no longer ready (since 2.6.22).
 */
TEST(reading_signal_consumes_it_and_clears_epollin)
{
	struct signalfd_siginfo si;
	struct epoll_event ev[2];
	sigset_t pending;
	int ep, sfd;

	CONFORM_DECLARE("2.6.22", "signalfd",
			"signalfd(2) read(2) consumes the pending signal");
	EPOLL_REQUIRE();
	sfd = usr1_signalfd(_metadata);
	ep = epoll_new_watching(_metadata, sfd, EPOLLIN, 1);
	ASSERT_EQ(0, raise(SIGUSR1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ((ssize_t)sizeof(si), read(sfd, &si, sizeof(si)));
	EXPECT_EQ(SIGUSR1, (int)si.ssi_signo);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(0, sigismember(&pending, SIGUSR1));
	close(ep);
	close(sfd);
}

/*
 * signalfd(2) "epoll(7) semantics": epoll_wait "returns events only for
 * signals sent to" the process that added the signalfd; a fork(2)ed child
 * can read(2) its own signals from the inherited fd, but epoll_wait on the
 * inherited instance does not show it ready (since 2.6.22). The child
 * reports through its exit status: 0 when both hold.
 */
TEST(forked_child_signal_is_not_reported_through_parents_entry)
{
	struct epoll_event ev[2];
	int ep, sfd, status;
	pid_t pid;

	CONFORM_DECLARE("2.6.22", "signalfd", "signalfd(2) epoll(7) semantics");
	EPOLL_REQUIRE();
	sfd = usr1_signalfd(_metadata);
	ep = epoll_new_watching(_metadata, sfd, EPOLLIN, 1);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct signalfd_siginfo si;
		int n;

		if (raise(SIGUSR1))
			_exit(10);
		n = epoll_wait(ep, ev, 2, 0);
		if (n != 0)
			_exit(n < 0 ? 11 : 12);
		if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			_exit(13);
		_exit(si.ssi_signo == SIGUSR1 ? 0 : 14);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	/* 12: epoll reported the child's signal; 13/14: the child could
	 * not read it; 10/11: raise or epoll_wait failed in the child. */
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Nothing is pending for this process. */
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(sfd);
}

TEST_HARNESS_MAIN
