// SPDX-License-Identifier: MIT
/*
 * epoll/maxevents: the events buffer and maxevents of epoll_wait(2) - the
 * upper limit on maxevents (EP_MAX_EVENTS, INT_MAX / sizeof(struct
 * epoll_event), EINVAL above it, accepted at it), events left over by
 * maxevents staying queued also for edge-triggered entries, and what an
 * events buffer the kernel cannot write does: EFAULT up front for an area
 * outside user space; EFAULT at the first event that cannot be copied,
 * which then stays queued (level-triggered, edge-triggered and one-shot
 * entries alike, since 2.6.30); a fault after the first event returns the
 * events copied so far; a NULL buffer is refused only once there is an
 * event to copy.
 * (Zero and negative maxevents, a read-only buffer's EFAULT and the round
 * robin of successive waits are in epoll/pwait, epoll/wake-all and
 * epoll/level-triggered; a one-shot entry left out by maxevents in
 * epoll/oneshot-rearm.)
 * Sources: epoll_wait(2) (EINVAL, EFAULT, "up to maxevents"), epoll(7),
 * fs/eventpoll.c (EP_MAX_EVENTS, do_epoll_wait() access_ok(),
 * ep_send_events(): an item whose copy fails goes back on the list;
 * introduced by commit 5071f97ec6d7 "epoll: fix epoll's own poll", 2.6.30).
 */
#include <stdint.h>
#include <sys/epoll.h>

#include "conform_epoll.h"

/* A wait for an event that is already there: a bound only. */
#define WAIT_MS 1000

/*
 * fs/eventpoll.c EP_MAX_EVENTS: the largest maxevents epoll_wait takes,
 * INT_MAX / sizeof(struct epoll_event) (so that maxevents times the size
 * fits an int). Computed from the uapi struct's size, not a copied number.
 */
static int ep_max_events(void)
{
	return (int)(INT_MAX / sizeof(struct epoll_event));
}

/* A small buffer low in the address space (the static binary's .bss). */
static struct epoll_event low_events[2];

/* n pipes in p, their read ends added to ep with events and tags 100 + i,
 * and one byte written into each. */
static void ready_pipes(struct __test_metadata *_metadata, int ep,
			int p[][2], int n, unsigned int events)
{
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[i][0], events,
					   100 + i));
		ASSERT_EQ(1, write(p[i][1], "x", 1));
	}
}

static void close_pipes(int p[][2], int n)
{
	for (int i = 0; i < n; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

/* A page the process can read but not write: the events buffer that
 * cannot be copied to. */
static struct epoll_event *read_only_page(struct __test_metadata *_metadata)
{
	void *ro = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, ro);
	return ro;
}

/*
 * fs/eventpoll.c do_epoll_wait(): "if (maxevents <= 0 || maxevents >
 * EP_MAX_EVENTS) return -EINVAL", EP_MAX_EVENTS being INT_MAX /
 * sizeof(struct epoll_event); epoll_wait(2) documents only the lower bound.
 * EP_MAX_EVENTS + 1 and INT_MAX get EINVAL, even with an fd ready
 * (since 2.6: the check is in the first epoll).
 */
TEST(maxevents_above_ep_max_events_gets_einval)
{
	volatile int above = ep_max_events() + 1, max = INT_MAX;
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EINVAL maxevents; fs/eventpoll.c "
			"EP_MAX_EVENTS = INT_MAX / sizeof(struct epoll_event)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_EQ(1, write(p[1], "x", 1));
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ev, above, 0));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ev, max, 0));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * The limit itself is valid: maxevents == EP_MAX_EVENTS passes the checks
 * of do_epoll_wait() (the range access_ok() looks at is in user space), and
 * the kernel writes only the events it returns, so a two-entry buffer is
 * enough when one fd is ready (epoll_wait(2): "Up to maxevents are
 * returned") (since 2.6). The buffer is a static one, low in the address
 * space (the static binary's data), so that the 2 GiB range cannot reach
 * the top of user space, where a stack or mapping placed by address space
 * randomisation might end.
 */
TEST(maxevents_equal_to_ep_max_events_is_accepted)
{
	volatile int max = ep_max_events();
	struct epoll_event *ev = low_events;
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) up to maxevents are returned; "
			"fs/eventpoll.c EP_MAX_EVENTS");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 0x4d);
	EXPECT_EQ(0, epoll_wait(ep, ev, max, 0));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, max, WAIT_MS));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0x4d, ev[0].data.u64);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_wait(2) returns "up to maxevents"; the ready entries it leaves out
 * stay on the ready list (fs/eventpoll.c ep_send_events() puts the rest of
 * the list back). That holds for edge-triggered entries too, which are
 * reported only once: three readable EPOLLET pipes and maxevents 2 give
 * two, the next wait the third, and a third wait nothing (since 2.6).
 */
TEST(edge_triggered_events_beyond_maxevents_come_with_next_wait)
{
	struct epoll_event ev[4];
	int ep, p[3][2];
	__u64 seen = 0;

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) up to maxevents; fs/eventpoll.c "
			"ep_send_events() leaves the rest on the ready list");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ready_pipes(_metadata, ep, p, 3, EPOLLIN | EPOLLET);
	ASSERT_EQ(2, epoll_wait(ep, ev, 2, WAIT_MS));
	seen |= 1ULL << (ev[0].data.u64 - 100);
	seen |= 1ULL << (ev[1].data.u64 - 100);
	ASSERT_EQ(1, epoll_wait(ep, ev, 4, WAIT_MS));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	seen |= 1ULL << (ev[0].data.u64 - 100);
	EXPECT_EQ(7, seen);
	EXPECT_EQ(0, epoll_wait(ep, ev, 4, 0));
	close_pipes(p, 3);
	close(ep);
}

/*
 * epoll_wait(2) EFAULT: events "not accessible with write permissions";
 * fs/eventpoll.c ep_send_events() puts an item whose copy failed back on
 * the ready list, so a level-triggered event is not lost: after the EFAULT
 * (read-only buffer) the next wait returns it (since 2.6.30: before, the
 * item was dropped from the list).
 */
TEST(efault_keeps_level_triggered_event_queued)
{
	struct epoll_event ev[2], *ro;
	int ep, p[2];

	CONFORM_DECLARE("2.6.30", "epoll_wait",
			"epoll_wait(2) EFAULT; fs/eventpoll.c ep_send_events() "
			"requeues the item (commit 5071f97ec6d7, 2.6.30)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 0x1e);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ro = read_only_page(_metadata);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ro, 2, WAIT_MS));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0x1e, ev[0].data.u64);
	munmap(ro, sysconf(_SC_PAGESIZE));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * As above for an EPOLLET entry, which is reported once per edge: the edge
 * whose copy failed is not used up, the next wait returns it, once
 * (since 2.6.30).
 */
TEST(efault_keeps_edge_triggered_event_queued)
{
	struct epoll_event ev[2], *ro;
	int ep, p[2];

	CONFORM_DECLARE("2.6.30", "EPOLLET",
			"epoll_wait(2) EFAULT; fs/eventpoll.c ep_send_events() "
			"requeues the item (commit 5071f97ec6d7, 2.6.30)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, 0x2e);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ro = read_only_page(_metadata);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ro, 2, WAIT_MS));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0x2e, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	munmap(ro, sysconf(_SC_PAGESIZE));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLONESHOT disables the entry "after an event notified ...
 * by epoll_wait(2)"; an event that could not be copied was not notified:
 * the entry stays armed, the next wait returns the event and only then is
 * the entry disabled (since 2.6.30, fs/eventpoll.c ep_send_events()).
 */
TEST(efault_does_not_disable_oneshot_entry)
{
	struct epoll_event ev[2], *ro;
	int ep, p[2];

	CONFORM_DECLARE("2.6.30", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT; epoll_wait(2) EFAULT; "
			"fs/eventpoll.c ep_send_events() (2.6.30)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLONESHOT,
				0x3e);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ro = read_only_page(_metadata);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, ro, 2, WAIT_MS));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(0x3e, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	munmap(ro, sysconf(_SC_PAGESIZE));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * fs/eventpoll.c ep_send_events(): a fault after at least one event was
 * copied is not an error; the call returns the events copied so far and
 * the one that could not be copied stays queued. The buffer's first entry
 * ends at a page boundary and its second lies in a read-only page; two
 * ready EPOLLET pipes: the wait returns 1, the next wait (into a good
 * buffer) the other pipe, and nothing is left (since 2.6.30).
 */
TEST(fault_after_first_event_returns_it_and_keeps_the_next)
{
	long page = sysconf(_SC_PAGESIZE);
	struct epoll_event ev[4], *edge;
	int ep, p[2][2];
	__u64 first;
	char *map;

	CONFORM_DECLARE("2.6.30", "epoll_wait",
			"epoll_wait(2) EFAULT; fs/eventpoll.c ep_send_events() "
			"returns the count copied, requeues the rest (2.6.30)");
	EPOLL_REQUIRE();
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_READ));
	edge = (struct epoll_event *)(map + page - sizeof(struct epoll_event));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ready_pipes(_metadata, ep, p, 2, EPOLLIN | EPOLLET);
	ASSERT_EQ(1, epoll_wait(ep, edge, 2, WAIT_MS));
	first = edge[0].data.u64;
	EXPECT_TRUE(first == 100 || first == 101);
	ASSERT_EQ(1, epoll_wait(ep, ev, 4, 0));
	EXPECT_EQ(100 + 101 - first, ev[0].data.u64);
	EXPECT_EQ(0, epoll_wait(ep, ev, 4, 0));
	close_pipes(p, 2);
	close(ep);
	munmap(map, 2 * page);
}

/*
 * epoll_wait(2) EFAULT: events "not accessible with write permissions". A
 * NULL events pointer with maxevents > 0 and an fd ready: EFAULT, and the
 * event stays queued (since 2.6).
 */
TEST(null_events_with_ready_fd_gets_efault)
{
	struct epoll_event *volatile none = NULL;
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EFAULT events not accessible with "
			"write permissions");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 0x4e);
	ASSERT_EQ(1, write(p[1], "x", 1));
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, none, 1, WAIT_MS));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * fs/eventpoll.c do_epoll_wait() checks the buffer up front only with
 * access_ok(), which looks at the address range, not at the mapping; the
 * buffer is written when an event is copied. So a NULL events pointer with
 * nothing ready and timeout 0 returns 0, not EFAULT (the man page's EFAULT
 * says nothing of when it is checked) (since 2.6).
 */
TEST(null_events_with_nothing_ready_returns_zero)
{
	struct epoll_event *volatile none = NULL;
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EFAULT; fs/eventpoll.c do_epoll_wait() "
			"access_ok() range check, copy at delivery");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	EXPECT_EQ(0, epoll_wait(ep, none, 1, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * fs/eventpoll.c do_epoll_wait(): "Verify that the area passed by the user
 * is writeable": an events area in the kernel's half of the address space
 * fails access_ok() and gets EFAULT before anything is looked at, even
 * with nothing ready and timeout 0 (since 2.6). The address is the last
 * page of the address space, never a user address.
 */
TEST(events_outside_user_space_gets_efault_up_front)
{
	struct epoll_event *volatile kernel_half =
		(struct epoll_event *)(uintptr_t)-(intptr_t)sysconf(_SC_PAGESIZE);
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll_wait(2) EFAULT; fs/eventpoll.c do_epoll_wait() "
			"access_ok() on the events area");
	EPOLL_REQUIRE();
	/* A 32-bit program on a 64-bit kernel (the compat ABI) has all of
	 * its 4 GiB below the kernel's user-space limit: no such address. */
	if (sizeof(void *) < 8)
		SKIP(return, CONFORM_ENV "a 32-bit program: every address it can form is below the 64-bit kernel's user-space limit, so none is outside user space");
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	errno = 0;
	EXPECT_EQ(-1, epoll_wait(ep, kernel_half, 1, 0));
	EXPECT_EQ(EFAULT, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST_HARNESS_MAIN
