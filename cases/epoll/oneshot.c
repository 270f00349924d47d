// SPDX-License-Identifier: MIT
/*
 * epoll/oneshot: EPOLLONESHOT - one report, then the entry is disabled but
 * stays in the interest list until EPOLL_CTL_MOD re-arms it.
 * Sources: epoll_ctl(2) EPOLLONESHOT, epoll(7).
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/* Set up ep with p[0] registered EPOLLIN | EPOLLONESHOT and one event taken. */
static void fire_oneshot(struct __test_metadata *_metadata, int *ep, int p[2],
			 __u64 tag)
{
	struct epoll_event ev[2];

	epoll_new_watching_pipe(_metadata, ep, p, EPOLLIN | EPOLLONESHOT, tag);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(*ep, ev, 2, 1000));
	ASSERT_EQ(EPOLLIN, ev[0].events);
	ASSERT_EQ(tag, ev[0].data.u64);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: "after an event notified for the file descriptor
 * by epoll_wait(2), the file descriptor is disabled in the interest list":
 * the unread data, which level-triggered mode would report again, is not
 * (since 2.6.2).
 */
TEST(unread_data_is_not_reported_after_first_event)
{
	struct epoll_event ev[2];
	int ep = -1, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT (since 2.6.2)");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p, 1);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: once disabled "no other events will be reported
 * by the epoll interface" - not even for new data (since 2.6.2).
 */
TEST(new_data_is_not_reported_while_disabled)
{
	struct epoll_event ev[2];
	int ep = -1, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: no other events are "
			"reported once disabled");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p, 1);
	ASSERT_EQ(1, write(p[1], "y", 1));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: "The user must call epoll_ctl() with
 * EPOLL_CTL_MOD to rearm the file descriptor with a new event mask"; the
 * still-ready pipe is then reported with the new data (since 2.6.2).
 */
TEST(mod_rearms_the_entry)
{
	const __u64 rearmed = 0x5245415244ULL;
	struct epoll_event ev[2];
	int ep = -1, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: rearm with EPOLL_CTL_MOD");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p, 1);
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLONESHOT, rearmed));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(rearmed, ev[0].data.u64);
	/* Re-armed as one-shot again: disabled after this report. */
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: the fd is "disabled in the interest list", not
 * removed: adding it again fails with EEXIST (since 2.6.2).
 */
TEST(disabled_entry_add_gets_eexist)
{
	int ep = -1, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT (disabled, not removed) "
			"and EEXIST");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p, 1);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 2));
	EXPECT_EQ(EEXIST, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2): a disabled one-shot entry is still registered, so
 * EPOLL_CTL_DEL removes it (returns 0, not ENOENT) (since 2.6.2).
 */
TEST(disabled_entry_can_be_deleted)
{
	int ep = -1, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT (disabled, not removed) "
			"and EPOLL_CTL_DEL");
	EPOLL_REQUIRE();
	fire_oneshot(_metadata, &ep, p, 1);
	EXPECT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_EQ(ENOENT, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST_HARNESS_MAIN
