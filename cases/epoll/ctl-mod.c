// SPDX-License-Identifier: MIT
/*
 * epoll/ctl-mod: EPOLL_CTL_MOD replacing an entry's events and data, and
 * the event pointer of epoll_ctl(2). MOD of an entry already queued as
 * ready changes what that queued event reports (new mask, new data, one
 * event); MOD from EPOLLIN to EPOLLOUT and back replaces the mask; MOD of
 * an edge-triggered entry to the same mask reports the fd's present
 * readiness again; MOD switches EPOLLET on and off; a MOD refused for
 * EPOLLEXCLUSIVE leaves the entry as it was. The event pointer: EFAULT for
 * ADD and MOD when it cannot be read (nothing registered or changed),
 * ignored by DEL (since 2.6.9).
 * (MOD's new data being reported is in epoll/level-triggered, re-arming a
 * disabled EPOLLONESHOT entry in epoll/oneshot and epoll/oneshot-rearm,
 * MOD to an empty mask in epoll/event-bits, the EPOLLEXCLUSIVE EINVALs in
 * epoll/exclusive, a MOD waking a blocked wait in epoll/wake-all.)
 * Sources: epoll_ctl(2) (EPOLL_CTL_MOD, EPOLLET, EFAULT, EINVAL, BUGS),
 * epoll(7), fs/eventpoll.c ep_modify() ("If the item is "hot" and it is not
 * registered inside the ready list, push it inside") and ep_send_events()
 * (each queued item is polled with its current mask when delivered).
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

enum { OLD_TAG = 0x01d, NEW_TAG = 0x2e3 };

/* A wait for an event that is already there: a bound only. */
#define WAIT_MS 1000

/* The events reported for the entry tagged tag by a wait of up to ms; 0 if
 * none is, -1 if the wait failed. *n gets how many events came back. */
static long events_of(int ep, __u64 tag, int ms, int *n)
{
	struct epoll_event ev[8];
	long found = 0;

	*n = epoll_wait(ep, ev, 8, ms);
	if (*n < 0)
		return -1;
	for (int i = 0; i < *n; i++)
		if (ev[i].data.u64 == tag)
			found = ev[i].events;
	return found;
}

/* A page that cannot be read: an event pointer the kernel cannot copy. */
static void *unreadable_page(struct __test_metadata *_metadata)
{
	void *none = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, none);
	return none;
}

/*
 * epoll_ctl(2) takes the settings from *event for EPOLL_CTL_ADD and
 * EPOLL_CTL_MOD; fs/eventpoll.c sys_epoll_ctl() copies it first, for every
 * op but DEL, and fails with EFAULT (errno(3) "Bad address") when it
 * cannot - an errno epoll_ctl(2) ERRORS does not list. EPOLL_CTL_ADD with
 * a NULL event fails so and registers nothing: a MOD of the fd then gets
 * ENOENT and the readable fd reports nothing (since 2.6).
 */
TEST(add_with_null_event_gets_efault_and_registers_nothing)
{
	struct epoll_event *volatile none = NULL;
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLL_CTL_ADD",
			"fs/eventpoll.c sys_epoll_ctl() EFAULT when the event "
			"cannot be copied (not in epoll_ctl(2) ERRORS)");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_ADD, p[0], none));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 1));
	EXPECT_EQ(ENOENT, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * As above for EPOLL_CTL_MOD (fs/eventpoll.c sys_epoll_ctl(): EFAULT, not
 * in epoll_ctl(2) ERRORS): an event pointer into an unreadable page, or
 * NULL, fails, and the entry keeps its events and data: the readable pipe
 * is still reported as before (since 2.6).
 */
TEST(mod_with_unreadable_event_gets_efault_and_keeps_entry)
{
	struct epoll_event *volatile none = NULL;
	void *page;
	int ep, p[2], n;

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"fs/eventpoll.c sys_epoll_ctl() EFAULT when the event "
			"cannot be copied (not in epoll_ctl(2) ERRORS)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, OLD_TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	page = unreadable_page(_metadata);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_MOD, p[0], none));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_MOD, p[0], page));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	EXPECT_EQ(1, n);
	munmap(page, sysconf(_SC_PAGESIZE));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLL_CTL_DEL: "The event argument is ignored and can be
 * NULL"; BUGS: before 2.6.9 DEL needed a non-null pointer. Ignored means
 * not read at all: a pointer into an unreadable page is accepted too, and
 * the entry is gone (since 2.6.9).
 */
TEST(del_ignores_an_unreadable_event_pointer)
{
	void *page;
	int ep, p[2];

	CONFORM_DECLARE("2.6.9", "EPOLL_CTL_DEL",
			"epoll_ctl(2) EPOLL_CTL_DEL the event argument is "
			"ignored; BUGS (2.6.9)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, OLD_TAG);
	page = unreadable_page(_metadata);
	EXPECT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], page));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], page));
	EXPECT_EQ(ENOENT, errno);
	munmap(page, sysconf(_SC_PAGESIZE));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLL_CTL_MOD: "Change the settings associated with fd ...
 * to the new settings specified in event". An entry already queued as
 * ready (added while its socket had data, not yet waited for) is not
 * queued twice by the MOD (fs/eventpoll.c ep_modify() queues only an item
 * not on the ready list), and the queued event is delivered with the new
 * mask and data: one event, EPOLLIN|EPOLLOUT, the new tag (since 2.6).
 */
TEST(mod_of_queued_entry_reports_new_mask_and_data_once)
{
	int ep, s[2], n;

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"epoll_ctl(2) EPOLL_CTL_MOD new settings; fs/eventpoll.c "
			"ep_modify() and ep_send_events()");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(1, write(s[1], "x", 1));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, OLD_TAG));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0], EPOLLIN | EPOLLOUT,
				   NEW_TAG));
	EXPECT_EQ(EPOLLIN | EPOLLOUT, events_of(ep, NEW_TAG, WAIT_MS, &n));
	EXPECT_EQ(1, n);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLL_CTL_MOD replaces the events mask, it does not add to
 * it: a socket with unread data and room to write, registered for EPOLLIN,
 * modified to EPOLLOUT reports EPOLLOUT alone (the queued EPOLLIN is not
 * delivered), and modified back to EPOLLIN reports EPOLLIN alone
 * (since 2.6).
 */
TEST(mod_from_epollin_to_epollout_replaces_the_mask)
{
	int ep, s[2], n;

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"epoll_ctl(2) EPOLL_CTL_MOD change the settings to "
			"the new settings");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, OLD_TAG));
	ASSERT_EQ(1, write(s[1], "x", 1));
	ASSERT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0], EPOLLOUT, NEW_TAG));
	EXPECT_EQ(EPOLLOUT, events_of(ep, NEW_TAG, WAIT_MS, &n));
	EXPECT_EQ(1, n);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0], EPOLLIN, OLD_TAG));
	EXPECT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	EXPECT_EQ(1, n);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll(7): an EPOLLET entry reports a change of state once; data left
 * unread is not reported again. EPOLL_CTL_MOD, even to the same mask and
 * data, looks at the fd's present state (fs/eventpoll.c ep_modify(): a
 * ready item not on the ready list is pushed inside), so the unread byte
 * is reported once more, once (since 2.6).
 */
TEST(mod_of_edge_triggered_entry_reports_present_readiness_again)
{
	struct epoll_event ev[2];
	int ep, p[2], n;

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"epoll(7) edge-triggered; fs/eventpoll.c ep_modify() "
			"queues an fd that is ready now");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, OLD_TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET,
				   OLD_TAG));
	EXPECT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	EXPECT_EQ(1, n);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2): EPOLLET is one of the "input flags" of the events mask that
 * EPOLL_CTL_MOD replaces. A level-triggered entry modified to EPOLLIN |
 * EPOLLET reports the unread byte once, then no more; modified back to
 * EPOLLIN it reports it on every wait again (since 2.6).
 */
TEST(mod_turns_edge_triggering_on_and_off)
{
	struct epoll_event ev[2];
	int ep, p[2], n;

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll_ctl(2) EPOLL_CTL_MOD; EPOLLET input flag");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, OLD_TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	ASSERT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET,
				   NEW_TAG));
	EXPECT_EQ(EPOLLIN, events_of(ep, NEW_TAG, WAIT_MS, &n));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, OLD_TAG));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2): "EINVAL op was EPOLL_CTL_MOD and events included
 * EPOLLEXCLUSIVE". The refused MOD changes nothing: the entry keeps its
 * mask (EPOLLIN, not the EPOLLOUT asked for) and its data (since 4.5).
 */
TEST(mod_refused_for_epollexclusive_leaves_entry_unchanged)
{
	int ep, s[2], n, ret;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL op was EPOLL_CTL_MOD and events "
			"included EPOLLEXCLUSIVE");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, OLD_TAG));
	ASSERT_EQ(1, write(s[1], "x", 1));
	errno = 0;
	ret = epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0], EPOLLOUT | EPOLLEXCLUSIVE,
			    NEW_TAG);
	if (ret == 0) {
		close(s[0]);
		close(s[1]);
		close(ep);
		SKIP(return, "EPOLL_CTL_MOD with EPOLLEXCLUSIVE accepted: the kernel does not know the flag (before 4.5)");
	}
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EINVAL, errno);
	EXPECT_EQ(EPOLLIN, events_of(ep, OLD_TAG, WAIT_MS, &n));
	EXPECT_EQ(1, n);
	close(s[0]);
	close(s[1]);
	close(ep);
}

TEST_HARNESS_MAIN
