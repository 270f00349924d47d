// SPDX-License-Identifier: MIT
/*
 * ref/epoll-oneshot: EPOLLONESHOT watches through the reference epoll
 * context (ref/epoll.c): one event, then disabled (still registered) until
 * ref_epoll_mod re-arms the watch, with new data and a new mask.
 * Sources: epoll_ctl(2) EPOLLONESHOT (since 2.6.2), ref/epoll.h.
 * Every TEST goes through ref_epoll_init(), which calls epoll_create1(2)
 * (2.6.27): no TEST's first kernel is older (see its CONFORM_DECLARE); a
 * version after a cited call below is the kernel that call came in.
 */
#include <sys/epoll.h>

#include "conform_ref.h"
#include "conform_ref_epoll.h"

/*
 * A context watching p[0] with EPOLLIN | EPOLLONESHOT and data tag, one
 * byte written and its event taken: the watch is now disabled.
 */
static void fire(struct __test_metadata *_metadata, struct ref_epoll *ep,
		 int p[2], uint64_t tag)
{
	struct epoll_event ev[2];

	ASSERT_EQ(0, ref_epoll_init(ep));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_epoll_add(ep, p[0], EPOLLIN | EPOLLONESHOT, tag));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	ASSERT_EQ(EPOLLIN, ev[0].events);
	ASSERT_EQ(tag, ev[0].data.u64);
}

static void done(struct ref_epoll *ep, int p[2])
{
	ref_epoll_free(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: after one event "the file descriptor is
 * disabled in the interest list and no other events will be reported":
 * neither the unread byte nor a new one is reported (2.6.2).
 */
TEST(one_event_then_nothing_until_rearmed)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT");
	EPOLL_REQUIRE();
	fire(_metadata, &ep, p, 1);
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	ASSERT_EQ(1, write(p[1], "y", 1));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	done(&ep, p);
}

/*
 * epoll_ctl(2) EPOLLONESHOT: "The user must call epoll_ctl() with
 * EPOLL_CTL_MOD to rearm the file descriptor with a new event mask"
 * (2.6.2). ref_epoll_mod re-arms with new data: the still-ready pipe is
 * reported once with that data, then the watch is disabled again.
 */
TEST(mod_rearms_with_new_data)
{
	const uint64_t rearmed = 0x2ea2edULL;
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: rearm with EPOLL_CTL_MOD");
	EPOLL_REQUIRE();
	fire(_metadata, &ep, p, 1);
	ASSERT_EQ(0, ref_epoll_mod(&ep, p[0], EPOLLIN | EPOLLONESHOT, rearmed));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(rearmed, ev[0].data.u64);
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	done(&ep, p);
}

/*
 * epoll_ctl(2) EPOLL_CTL_MOD "Change the settings associated with fd ...
 * to the new settings specified in event": re-armed with EPOLLOUT on the
 * read end of a pipe, which is never writable, nothing is reported although
 * a byte is unread; re-armed with EPOLLIN again, it is (2.6.2).
 */
TEST(rearm_uses_the_new_mask)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLL_CTL_MOD");
	EPOLL_REQUIRE();
	fire(_metadata, &ep, p, 1);
	ASSERT_EQ(0, ref_epoll_mod(&ep, p[0], EPOLLOUT | EPOLLONESHOT, 2));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	ASSERT_EQ(0, ref_epoll_mod(&ep, p[0], EPOLLIN | EPOLLONESHOT, 3));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(3, ev[0].data.u64);
	done(&ep, p);
}

/*
 * epoll_ctl(2): the fd is "disabled in the interest list", not removed:
 * ref_epoll_add gives -EEXIST, ref_epoll_del 0 and then -ENOENT (2.6.2).
 */
TEST(disabled_watch_is_still_registered)
{
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT: disabled in the interest "
			"list");
	EPOLL_REQUIRE();
	fire(_metadata, &ep, p, 1);
	EXPECT_EQ(-EEXIST, ref_epoll_add(&ep, p[0], EPOLLIN, 2));
	EXPECT_EQ(0, ref_epoll_del(&ep, p[0]));
	EXPECT_EQ(-ENOENT, ref_epoll_del(&ep, p[0]));
	done(&ep, p);
}

/*
 * epoll_ctl(2): re-arming without EPOLLONESHOT turns the watch into a plain
 * level-triggered one: the unread byte is then reported on every wait
 * (2.6.2).
 */
TEST(rearm_without_oneshot_is_level_triggered)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLL_CTL_MOD");
	EPOLL_REQUIRE();
	fire(_metadata, &ep, p, 1);
	ASSERT_EQ(0, ref_epoll_mod(&ep, p[0], EPOLLIN, 4));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, 0, NULL));
		EXPECT_EQ(4, ev[0].data.u64);
	}
	done(&ep, p);
}

TEST_HARNESS_MAIN
