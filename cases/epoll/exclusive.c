// SPDX-License-Identifier: MIT
/*
 * epoll/exclusive: the EPOLLEXCLUSIVE input flag of epoll_ctl(2) - where it
 * is allowed, the EINVAL cases, and that an exclusive entry still reports.
 * Source: epoll_ctl(2), EPOLLEXCLUSIVE (since 4.5) and ERRORS.
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/* epoll_ctl_tag(ep, op, fd, events, tag) must fail with EINVAL. */
static void expect_ctl_einval(struct __test_metadata *_metadata, int ep,
			      int op, int fd, unsigned int events, __u64 tag)
{
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, op, fd, events, tag));
	EXPECT_EQ(EINVAL, errno);
}

/* Close both pipe ends and the epoll instance. */
static void close_pipe_and_epoll(int p[2], int ep)
{
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2): an EPOLLEXCLUSIVE entry still reports readiness: "one or more
 * of the epoll file descriptors will receive an event" (since 4.5).
 */
TEST(exclusive_entry_reports_readiness)
{
	const __u64 tag = 0x4558434c55534956ULL;
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EPOLLEXCLUSIVE (since 4.5)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLEXCLUSIVE,
				tag);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(tag, ev[0].data.u64);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "EINVAL op was EPOLL_CTL_MOD and events included
 * EPOLLEXCLUSIVE" - for an entry added without it (since 4.5).
 */
TEST(mod_with_exclusive_gets_einval)
{
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL op was EPOLL_CTL_MOD and events "
			"included EPOLLEXCLUSIVE");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	expect_ctl_einval(_metadata, ep, EPOLL_CTL_MOD, p[0],
			  EPOLLIN | EPOLLEXCLUSIVE, 1);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "EINVAL op was EPOLL_CTL_MOD and the EPOLLEXCLUSIVE flag has
 * previously been applied to this epfd, fd pair" - even a MOD without the
 * flag (since 4.5).
 */
TEST(mod_after_exclusive_add_gets_einval)
{
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL op was EPOLL_CTL_MOD and "
			"EPOLLEXCLUSIVE was applied to this epfd, fd pair");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLEXCLUSIVE, 1);
	expect_ctl_einval(_metadata, ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 2);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): only MOD is refused for an exclusive entry; EPOLL_CTL_DEL
 * removes it like any other, and the fd can then be added again (since 4.5).
 */
TEST(del_of_exclusive_entry_succeeds)
{
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EPOLLEXCLUSIVE and EPOLL_CTL_DEL");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLEXCLUSIVE, 1);
	EXPECT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 2));
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "EINVAL An invalid event type was specified along with
 * EPOLLEXCLUSIVE"; only EPOLLIN, EPOLLOUT, EPOLLWAKEUP, EPOLLET, EPOLLHUP and
 * EPOLLERR may go with it, so EPOLLONESHOT and EPOLLPRI are refused
 * (since 4.5).
 */
TEST(exclusive_with_oneshot_or_pri_gets_einval)
{
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL an invalid event type was "
			"specified along with EPOLLEXCLUSIVE");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	expect_ctl_einval(_metadata, ep, EPOLL_CTL_ADD, p[0],
			  EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 1);
	expect_ctl_einval(_metadata, ep, EPOLL_CTL_ADD, p[0],
			  EPOLLPRI | EPOLLEXCLUSIVE, 1);
	/* The allowed companions are accepted. */
	EXPECT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0],
				   EPOLLIN | EPOLLOUT | EPOLLET | EPOLLHUP |
				   EPOLLERR | EPOLLEXCLUSIVE, 1));
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "EINVAL EPOLLEXCLUSIVE was specified in event and fd refers
 * to an epoll instance" (since 4.5).
 */
TEST(exclusive_on_epoll_fd_gets_einval)
{
	int outer, inner;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL EPOLLEXCLUSIVE was specified "
			"and fd refers to an epoll instance");
	EPOLL_REQUIRE();
	ASSERT_LE(0, outer = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, inner = epoll_create1(EPOLL_CLOEXEC));
	expect_ctl_einval(_metadata, outer, EPOLL_CTL_ADD, inner,
			  EPOLLIN | EPOLLEXCLUSIVE, 1);
	close(inner);
	close(outer);
}

TEST_HARNESS_MAIN
