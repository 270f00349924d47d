// SPDX-License-Identifier: MIT
/*
 * ref/epoll-delete: deletion as cancellation. epoll has no cancel;
 * EPOLL_CTL_DEL (ref_epoll_del) is the equivalent: after it no wait reports
 * the fd, whatever its state, while the fd itself is untouched. What a wait
 * already copied out is not taken back: ref_epoll_dispatch still hands on
 * an event of a watch its callback deleted in the same batch.
 * Sources: DESIGN.md section 7, epoll_ctl(2) EPOLL_CTL_DEL, epoll(7) Q&A
 * ("If using an event cache..."), ref/epoll.h.
 * Every TEST goes through ref_epoll_init(), which calls epoll_create1(2)
 * (2.6.27): no TEST's first kernel is older (see its CONFORM_DECLARE); a
 * version after a cited call below is the kernel that call came in.
 */
#include <sys/epoll.h>

#include "conform_ref.h"
#include "conform_ref_epoll.h"

/*
 * DESIGN.md section 7: "epoll has no cancel; EPOLL_CTL_DEL is the
 * equivalent"; epoll_ctl(2) EPOLL_CTL_DEL: "Remove (deregister) the target
 * file descriptor fd from the interest list" (2.6). A level-triggered watch
 * with unread data, reported once, is deleted: no wait reports it, and the
 * data is still in the pipe.
 */
TEST(deleted_ready_watch_is_not_reported)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll_ctl(2) EPOLL_CTL_DEL");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(0, ref_epoll_del(&ep, p[0]));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_ctl(2) EPOLL_CTL_DEL: a watch deleted before its fd became ready
 * is never reported: data written after the delete brings no event (2.6).
 */
TEST(deleted_idle_watch_is_not_reported_later)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll_ctl(2) EPOLL_CTL_DEL");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN | EPOLLET, 1));
	EXPECT_EQ(0, ref_epoll_del(&ep, p[0]));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_ctl(2): ENOENT when "op was EPOLL_CTL_MOD or EPOLL_CTL_DEL, and fd
 * is not registered": a second delete, and a re-arm (MOD) of the deleted
 * watch, both get -ENOENT (2.6).
 */
TEST(deleted_watch_is_gone_for_del_and_mod)
{
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll_ctl(2) ENOENT");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	ASSERT_EQ(0, ref_epoll_del(&ep, p[0]));
	EXPECT_EQ(-ENOENT, ref_epoll_del(&ep, p[0]));
	EXPECT_EQ(-ENOENT, ref_epoll_mod(&ep, p[0], EPOLLIN, 2));
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_ctl(2): after EPOLL_CTL_DEL the fd may be added again (no EEXIST);
 * the new watch reports the still-ready fd with its new data (2.6).
 */
TEST(add_after_delete_reports_with_new_data)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll_ctl(2) EPOLL_CTL_ADD after EPOLL_CTL_DEL");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, ref_epoll_del(&ep, p[0]));
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 0xadd2));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0xadd2, ev[0].data.u64);
	ref_case_ep_close(&ep, p);
}

/* Two ready pipes; the callback of whichever comes first deletes the other. */
struct batch {
	struct ref_epoll *ep;
	int fd[2];		/* read ends; data of fd[i] is i */
	int first;		/* -1 until the first call */
	int calls;
	int del_res;
	uint64_t seen[4];
};

static void delete_the_other(void *arg, uint32_t events, uint64_t data)
{
	struct batch *b = arg;

	(void)events;
	if (b->calls < 4)
		b->seen[b->calls] = data;
	b->calls++;
	if (b->first < 0) {
		b->first = (int)data;
		b->del_res = ref_epoll_del(b->ep, b->fd[1 - b->first]);
	}
}

/*
 * ref/epoll.c Rule, after epoll(7) Q&A "If using an event cache...": the
 * events of one wait are a snapshot; deleting a watch cannot take back its
 * event from the array already filled. Both pipes ready: one dispatch calls
 * the callback twice, once per watch, though the first call deleted the
 * other watch (delete returned 0); the next dispatch has only the survivor.
 */
TEST(delete_does_not_withdraw_collected_events)
{
	struct batch b = { .first = -1, .del_res = 1 };
	struct ref_case_ep_log log = { 0 };
	struct ref_epoll ep;
	int p[2], q[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll(7) Q&A: If using an event cache");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, conform_pipe(q));
	b.ep = &ep;
	b.fd[0] = p[0];
	b.fd[1] = q[0];
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 0));
	ASSERT_EQ(0, ref_epoll_add(&ep, q[0], EPOLLIN, 1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, write(q[1], "y", 1));
	ASSERT_TRUE(conform_fd_readable(p[0], REF_CASE_EP_BOUND_MS));
	ASSERT_TRUE(conform_fd_readable(q[0], REF_CASE_EP_BOUND_MS));
	EXPECT_EQ(2, ref_epoll_dispatch(&ep, REF_CASE_EP_BOUND_MS,
					delete_the_other, &b));
	ASSERT_EQ(2, b.calls);
	EXPECT_EQ(0, b.del_res);
	EXPECT_EQ((uint64_t)b.first, b.seen[0]);
	EXPECT_EQ((uint64_t)(1 - b.first), b.seen[1]);
	/* Level-triggered, both still readable: only the survivor remains. */
	EXPECT_EQ(1, ref_epoll_dispatch(&ep, 0, ref_case_ep_log_event, &log));
	EXPECT_EQ((uint64_t)b.first, log.ev[0].data.u64);
	ref_case_ep_close(&ep, p);
	close(q[0]);
	close(q[1]);
}

TEST_HARNESS_MAIN
