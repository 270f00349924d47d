// SPDX-License-Identifier: MIT
/*
 * epoll/nesting: epoll instances watching epoll instances beyond the basic
 * case of epoll/close-and-nesting: readiness through three levels, a
 * blocked wait on the outer instance woken by the innermost fd, readiness
 * that goes away when the source is drained, the EPOLLIN-only readiness of
 * an epoll fd, edge-triggered watching of an instance, and the nesting depth
 * limit (ELOOP), whichever end the chain is built from (kernels
 * from 5.10 to 7.2 count that depth in two ways; each is asserted exactly).
 * Sources: epoll(7) Q&A ("Is the epoll file descriptor itself
 * poll/epoll/selectable? Yes. If an epoll file descriptor has events
 * waiting, then it will indicate as being readable."), epoll_ctl(2) ELOOP
 * ("... or a nesting depth of epoll instances greater than 5").
 */
#include <pthread.h>

#include "conform_epoll.h"

/*
 * epoll(7) Q&A: an epoll fd with events waiting indicates as readable, so
 * readiness climbs any number of levels: outer watches mid watches inner
 * watches a pipe, and a byte in the pipe makes outer report EPOLLIN with
 * mid's tag; once the byte is read, no level reports anything (since 2.6).
 */
TEST(readiness_climbs_three_levels_and_clears_when_drained)
{
	struct epoll_event ev[2];
	int outer, mid, inner, p[2];
	char c;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: an epoll fd with events waiting "
			"indicates as readable");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &inner, p, EPOLLIN, 1);
	ASSERT_LE(0, mid = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, outer = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(mid, EPOLL_CTL_ADD, inner, EPOLLIN, 2));
	ASSERT_EQ(0, epoll_ctl_tag(outer, EPOLL_CTL_ADD, mid, EPOLLIN, 3));
	ASSERT_EQ(0, epoll_wait(outer, ev, 2, 0));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(outer, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(3, ev[0].data.u64);
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ(0, epoll_wait(outer, ev, 2, 0));
	EXPECT_EQ(0, epoll_wait(mid, ev, 2, 0));
	EXPECT_EQ(0, epoll_wait(inner, ev, 2, 0));
	close(outer);
	close(mid);
	close(inner);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll(7) Q&A, epoll_wait(2) ("blocks until ... a file descriptor
 * delivers an event"): a thread asleep in epoll_pwait on an outer instance
 * that watches an inner one is woken when the pipe the inner instance
 * watches becomes readable, and gets EPOLLIN with the inner's tag (since
 * 2.6).
 */
TEST(blocked_outer_wait_is_woken_by_inner_fd)
{
	struct epoll_waiter w;
	int outer, inner, p[2], seen;

	CONFORM_DECLARE("2.6", "epoll_pwait",
			"epoll(7) Q&A: nested epoll fd readable; "
			"epoll_wait(2) blocks until an fd delivers an event");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &inner, p, EPOLLIN, 1);
	ASSERT_LE(0, outer = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 7));
	seen = epoll_waiter_start(_metadata, &w, outer);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block");
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(7, w.ev.data.u64);
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll(7) Q&A: an epoll fd "will indicate as being readable" - it is never
 * writable. An outer instance asking for EPOLLIN|EPOLLOUT on an inner one
 * whose only entry is ready for writing (a pipe's empty write end) gets
 * EPOLLIN alone (since 2.6).
 */
TEST(epoll_fd_reports_epollin_never_epollout)
{
	struct epoll_event ev[2];
	int outer, inner, p[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: an epoll fd with events waiting "
			"indicates as being readable");
	EPOLL_REQUIRE();
	ASSERT_LE(0, inner = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, outer = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(inner, EPOLL_CTL_ADD, p[1], EPOLLOUT, 1));
	ASSERT_EQ(0, epoll_ctl_tag(outer, EPOLL_CTL_ADD, inner,
				   EPOLLIN | EPOLLOUT, 2));
	ASSERT_EQ(1, epoll_wait(outer, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(2, ev[0].data.u64);
	/* The inner instance's own event is EPOLLOUT for the write end. */
	ASSERT_EQ(1, epoll_wait(inner, ev, 2, 0));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	EXPECT_EQ(1, ev[0].data.u64);
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll(7) edge-triggered mode applies to an epoll fd like any other: an
 * outer EPOLLET entry on an inner instance reports its readiness once; the
 * next wait, with nothing new having happened, returns 0 although the
 * inner instance is still readable (since 2.6).
 */
TEST(edge_triggered_watch_of_instance_reports_once)
{
	struct epoll_event ev[2];
	int outer, inner, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7) edge-triggered mode applied to a nested "
			"epoll fd");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &inner, p, EPOLLIN, 1);
	ASSERT_LE(0, outer = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(outer, EPOLL_CTL_ADD, inner,
				   EPOLLIN | EPOLLET, 2));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(outer, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0, epoll_wait(outer, ev, 2, 0));
	EXPECT_TRUE(conform_fd_readable(inner, 0));
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

#define CHAIN 8

/*
 * Link the CHAIN new instances in e[] one after the other, each link i
 * (1..) being "e[i] watches e[i-1]" when on_top, else "e[i-1] watches e[i]"
 * (the chain grows at its bottom). Returns the index of the first link that
 * failed (errno left as epoll_ctl set it), or CHAIN if all were accepted.
 */
static int grow_chain(int e[CHAIN], bool on_top)
{
	for (int i = 1; i < CHAIN; i++) {
		int r = on_top ?
			epoll_ctl_tag(e[i], EPOLL_CTL_ADD, e[i - 1], EPOLLIN, i) :
			epoll_ctl_tag(e[i - 1], EPOLL_CTL_ADD, e[i], EPOLLIN, i);

		if (r < 0)
			return i;
	}
	return CHAIN;
}

/*
 * Check the link where a chain stopped: epoll_ctl(2) ELOOP for "a nesting
 * depth of epoll instances greater than 5". Kernels count that depth in two
 * ways, both seen on the kernels this suite runs on: Debian's 6.1.0-56,
 * 6.12, 6.18 and 7.2 refuse the link that makes a sixth instance (link 5);
 * 5.10.0-46 accepts the sixth and refuses the seventh (link 6). Each
 * variant is asserted exactly, with ELOOP.
 */
static void expect_depth_eloop(struct __test_metadata *_metadata, int link,
			       int err)
{
	if (link == 5)
		TH_LOG("ELOOP at the 6th instance (as 6.1.0-56 and later)");
	else if (link == 6)
		TH_LOG("ELOOP at the 7th instance (as 5.10.0-46)");
	else if (link == CHAIN)
		TH_LOG("no link refused: a chain of %d instances was accepted",
		       CHAIN);
	else
		TH_LOG("first refused link: %d (expected 5 or 6)", link);
	EXPECT_TRUE(link == 5 || link == 6);
	if (link < CHAIN)
		EXPECT_EQ(ELOOP, err);
}

/*
 * epoll_ctl(2) ELOOP (nesting depth greater than 5; limit since 2.6.38,
 * commit 22bacca48a17):
 * growing a chain on top (each new instance watches the previous top), the
 * first five instances are accepted, and the sixth (or, on 5.10, the
 * seventh) gets ELOOP.
 */
TEST(chain_grown_on_top_gets_eloop_past_depth_limit)
{
	int e[CHAIN], link, err;

	CONFORM_DECLARE("2.6.38", "epoll_ctl",
			"epoll_ctl(2) ELOOP nesting depth greater than 5; "
			"commit 22bacca48a17 (2.6.38)");
	EPOLL_REQUIRE();
	for (int i = 0; i < CHAIN; i++)
		ASSERT_LE(0, e[i] = epoll_create1(EPOLL_CLOEXEC));
	errno = 0;
	link = grow_chain(e, true);
	err = errno;
	expect_depth_eloop(_metadata, link, err);
	for (int i = 0; i < CHAIN; i++)
		close(e[i]);
}

/*
 * The same limit when the chain grows at its bottom (each new link makes
 * the deepest instance watch a new one): epoll_ctl(2) bounds the nesting
 * depth, not the order of the calls. 5.10.0-46 accepts a chain of eight
 * instances built this way (its loop check seems to look only downwards
 * from the instance being added): the documented limit does not hold
 * there, this test fails, and cases/known-failures.txt lists it. Mainline
 * counts the depth upwards too only since 6.17 (commit f2e467a48287
 * "eventpoll: Fix semi-unbounded recursion", backported to stable
 * kernels such as Debian's 6.1.0-56).
 */
TEST(chain_grown_at_bottom_gets_eloop_past_depth_limit)
{
	int e[CHAIN], link, err;

	CONFORM_DECLARE("6.17", "epoll_ctl",
			"epoll_ctl(2) ELOOP nesting depth greater than 5; "
			"commit f2e467a48287 (6.17) eventpoll: Fix "
			"semi-unbounded recursion");
	EPOLL_REQUIRE();
	for (int i = 0; i < CHAIN; i++)
		ASSERT_LE(0, e[i] = epoll_create1(EPOLL_CLOEXEC));
	errno = 0;
	link = grow_chain(e, false);
	err = errno;
	expect_depth_eloop(_metadata, link, err);
	for (int i = 0; i < CHAIN; i++)
		close(e[i]);
}

/*
 * Deleting an entry takes its level out of the chain: once a chain grown
 * on top has hit ELOOP, removing its bottom link (EPOLL_CTL_DEL) makes the
 * refused add succeed (epoll_ctl(2) EPOLL_CTL_DEL and ELOOP; since 2.6.38).
 */
TEST(deleting_a_link_lifts_the_depth_limit)
{
	int e[CHAIN], link;

	CONFORM_DECLARE("2.6.38", "epoll_ctl",
			"epoll_ctl(2) EPOLL_CTL_DEL and ELOOP; commit "
			"22bacca48a17 (2.6.38)");
	EPOLL_REQUIRE();
	for (int i = 0; i < CHAIN; i++)
		ASSERT_LE(0, e[i] = epoll_create1(EPOLL_CLOEXEC));
	link = grow_chain(e, true);
	ASSERT_GT(CHAIN, link);
	ASSERT_EQ(ELOOP, errno);
	ASSERT_EQ(0, epoll_ctl(e[1], EPOLL_CTL_DEL, e[0], NULL));
	EXPECT_EQ(0, epoll_ctl_tag(e[link], EPOLL_CTL_ADD, e[link - 1],
				   EPOLLIN, link));
	for (int i = 0; i < CHAIN; i++)
		close(e[i]);
}

TEST_HARNESS_MAIN
