// SPDX-License-Identifier: MIT
/*
 * ref/epoll-differential: the reference epoll context (ref/epoll.c) against
 * the raw calls. The same watches are made through ref_epoll_* on one
 * instance and through epoll_ctl(2) on another, on the same fds; each wait
 * must give the same events with the same data, and each ctl the same
 * result (ref's -errno against the raw call's errno). ref_epoll_dispatch
 * must hand its callback what epoll_wait(2) returns.
 * Sources: epoll_ctl(2), epoll_wait(2), epoll(7), ref/epoll.h.
 * Every TEST goes through ref_epoll_init(), which calls epoll_create1(2)
 * (2.6.27): no TEST's first kernel is older (see its CONFORM_DECLARE); a
 * version after a cited call below is the kernel that call came in.
 */
#include <sys/epoll.h>

#include "conform_ref.h"
#include "conform_ref_epoll.h"

/* A ref context and a raw instance, each watching the same fds. */
struct pair {
	struct ref_epoll ref;
	int raw;
};

static void pair_init(struct __test_metadata *_metadata, struct pair *pr)
{
	ASSERT_EQ(0, ref_epoll_init(&pr->ref));
	ASSERT_LE(0, pr->raw = epoll_create1(EPOLL_CLOEXEC));
}

static void pair_free(struct pair *pr)
{
	ref_epoll_free(&pr->ref);
	close(pr->raw);
}

/* Add fd to both with the same mask and data. */
static void pair_add(struct __test_metadata *_metadata, struct pair *pr,
		     int fd, uint32_t events, uint64_t data)
{
	ASSERT_EQ(0, ref_epoll_add(&pr->ref, fd, events, data));
	ASSERT_EQ(0, epoll_ctl_tag(pr->raw, EPOLL_CTL_ADD, fd, events, data));
}

/*
 * Wait on both with the same timeout, check they give the same events and
 * data (in sorted order), and return the count; *out (sorted) gets ref's.
 */
static int pair_wait_same(struct __test_metadata *_metadata, struct pair *pr,
			  int timeout_ms, struct epoll_event out[8])
{
	struct epoll_event raw[8];
	int nref, nraw;

	nref = ref_epoll_wait(&pr->ref, out, 8, timeout_ms, NULL);
	nraw = epoll_wait(pr->raw, raw, 8, timeout_ms);
	EXPECT_EQ(nraw, nref);
	if (nref != nraw || nref < 0)
		return -1;
	ref_case_ep_sort(out, nref);
	ref_case_ep_sort(raw, nraw);
	for (int i = 0; i < nref; i++) {
		EXPECT_EQ(raw[i].events, out[i].events);
		EXPECT_EQ(raw[i].data.u64, out[i].data.u64);
	}
	return nref;
}

/*
 * epoll_wait(2): each returned event holds the ready events of its fd and
 * "the same data as was set in the most recent call to epoll_ctl" (2.6).
 * Five fds of four kinds, watched through ref and raw: a pipe with data
 * (EPOLLIN), its write end (EPOLLOUT), an empty pipe (nothing), a socket
 * with data (EPOLLIN | EPOLLOUT), a pipe whose writer is gone (EPOLLHUP,
 * reported whatever the mask). Both give exactly these four.
 */
TEST(mixed_watches_give_same_events_and_data)
{
	struct epoll_event ev[8];
	int a[2], b[2], c[2], s[2];
	struct pair pr;

	CONFORM_DECLARE("2.6.27", "epoll_wait",
			"epoll_wait(2): events and the data of the most "
			"recent epoll_ctl");
	EPOLL_REQUIRE();
	pair_init(_metadata, &pr);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, conform_pipe(c));
	ASSERT_EQ(0, conform_socketpair(s));
	pair_add(_metadata, &pr, a[0], EPOLLIN, 0x10);
	pair_add(_metadata, &pr, a[1], EPOLLOUT, 0x11);
	pair_add(_metadata, &pr, b[0], EPOLLIN, 0x20);
	pair_add(_metadata, &pr, s[0], EPOLLIN | EPOLLOUT, 0x30);
	pair_add(_metadata, &pr, c[0], EPOLLIN, 0x40);
	ASSERT_EQ(1, write(a[1], "x", 1));
	ASSERT_EQ(1, write(s[1], "y", 1));
	close(c[1]);
	ASSERT_EQ(4, pair_wait_same(_metadata, &pr, REF_CASE_EP_BOUND_MS, ev));
	EXPECT_EQ(0x10, ev[0].data.u64);
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0x11, ev[1].data.u64);
	EXPECT_EQ(EPOLLOUT, ev[1].events);
	EXPECT_EQ(0x30, ev[2].data.u64);
	EXPECT_EQ(EPOLLIN | EPOLLOUT, ev[2].events);
	EXPECT_EQ(0x40, ev[3].data.u64);
	EXPECT_EQ(EPOLLHUP, ev[3].events);
	pair_free(&pr);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	close(c[0]);
	close(s[0]);
	close(s[1]);
}

/*
 * epoll(7): an edge-triggered watch reports a change of state once. Step by
 * step (data arrives: 1 event; nothing new: 0; more data: 1), ref and raw
 * give the same answer each time (2.6).
 */
TEST(edge_triggered_steps_give_same_answers)
{
	struct epoll_event ev[8];
	struct pair pr;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"epoll(7) Level-triggered and edge-triggered");
	EPOLL_REQUIRE();
	pair_init(_metadata, &pr);
	ASSERT_EQ(0, conform_pipe(p));
	pair_add(_metadata, &pr, p[0], EPOLLIN | EPOLLET, 7);
	EXPECT_EQ(0, pair_wait_same(_metadata, &pr, 0, ev));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, pair_wait_same(_metadata, &pr, REF_CASE_EP_BOUND_MS, ev));
	EXPECT_EQ(0, pair_wait_same(_metadata, &pr, 0, ev));
	ASSERT_EQ(1, write(p[1], "y", 1));
	EXPECT_EQ(1, pair_wait_same(_metadata, &pr, REF_CASE_EP_BOUND_MS, ev));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(7, ev[0].data.u64);
	pair_free(&pr);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2) EPOLLONESHOT (2.6.2): one event, then the watch is disabled
 * until EPOLL_CTL_MOD re-arms it with new data. ref_epoll_mod and the raw
 * MOD give the same sequence: 1, 0, re-armed 1 with the new data, 0.
 */
TEST(oneshot_and_mod_give_same_answers)
{
	struct epoll_event ev[8];
	struct pair pr;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT");
	EPOLL_REQUIRE();
	pair_init(_metadata, &pr);
	ASSERT_EQ(0, conform_pipe(p));
	pair_add(_metadata, &pr, p[0], EPOLLIN | EPOLLONESHOT, 1);
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, pair_wait_same(_metadata, &pr, REF_CASE_EP_BOUND_MS, ev));
	EXPECT_EQ(0, pair_wait_same(_metadata, &pr, 0, ev));
	ASSERT_EQ(0, ref_epoll_mod(&pr.ref, p[0], EPOLLIN | EPOLLONESHOT, 2));
	ASSERT_EQ(0, epoll_ctl_tag(pr.raw, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLONESHOT, 2));
	EXPECT_EQ(1, pair_wait_same(_metadata, &pr, REF_CASE_EP_BOUND_MS, ev));
	EXPECT_EQ(2, ev[0].data.u64);
	EXPECT_EQ(0, pair_wait_same(_metadata, &pr, 0, ev));
	pair_free(&pr);
	close(p[0]);
	close(p[1]);
}

/* Run one ctl through ref and raw; return ref's result, check raw agrees. */
static int pair_ctl(struct __test_metadata *_metadata, struct pair *pr,
		    int op, int fd, uint32_t events, uint64_t data)
{
	int ref, raw;

	switch (op) {
	case EPOLL_CTL_ADD:
		ref = ref_epoll_add(&pr->ref, fd, events, data);
		break;
	case EPOLL_CTL_MOD:
		ref = ref_epoll_mod(&pr->ref, fd, events, data);
		break;
	default:
		ref = ref_epoll_del(&pr->ref, fd);
		break;
	}
	errno = 0;
	raw = epoll_ctl_tag(pr->raw, op, fd, events, data) < 0 ? -errno : 0;
	EXPECT_EQ(raw, ref)
		TH_LOG("op %d fd %d events 0x%x: raw %d, ref %d", op, fd,
		       events, raw, ref);
	return ref;
}

/*
 * epoll_ctl(2) ERRORS (2.6; EPOLLEXCLUSIVE 4.5): the same calls on the two
 * instances, in the same states, give the same result: ref returns -errno
 * where the raw call sets errno. Exact values as the man page lists them.
 */
TEST(ctl_results_match_raw_errno)
{
	int p[2], file, bad = conform_bad_fd();
	struct pair pr;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) ERRORS");
	EPOLL_REQUIRE();
	pair_init(_metadata, &pr);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, file = conform_temp_file(16, 0));
	EXPECT_EQ(0, pair_ctl(_metadata, &pr, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
	EXPECT_EQ(-EEXIST, pair_ctl(_metadata, &pr, EPOLL_CTL_ADD, p[0],
				    EPOLLIN, 1));
	EXPECT_EQ(0, pair_ctl(_metadata, &pr, EPOLL_CTL_MOD, p[0], EPOLLOUT, 2));
	EXPECT_EQ(-ENOENT, pair_ctl(_metadata, &pr, EPOLL_CTL_MOD, p[1],
				    EPOLLOUT, 3));
	EXPECT_EQ(-EINVAL, pair_ctl(_metadata, &pr, EPOLL_CTL_MOD, p[0],
				    EPOLLIN | EPOLLEXCLUSIVE, 4));
	EXPECT_EQ(-EBADF, pair_ctl(_metadata, &pr, EPOLL_CTL_ADD, bad,
				   EPOLLIN, 5));
	EXPECT_EQ(-EPERM, pair_ctl(_metadata, &pr, EPOLL_CTL_ADD, file,
				   EPOLLIN, 6));
	EXPECT_EQ(0, pair_ctl(_metadata, &pr, EPOLL_CTL_DEL, p[0], 0, 0));
	EXPECT_EQ(-ENOENT, pair_ctl(_metadata, &pr, EPOLL_CTL_DEL, p[0], 0, 0));
	EXPECT_EQ(0, pair_ctl(_metadata, &pr, EPOLL_CTL_ADD, p[1],
			      EPOLLOUT | EPOLLEXCLUSIVE, 7));
	EXPECT_EQ(-EINVAL, pair_ctl(_metadata, &pr, EPOLL_CTL_MOD, p[1],
				    EPOLLOUT, 8));
	pair_free(&pr);
	close(file);
	close(p[0]);
	close(p[1]);
}

/*
 * ref/epoll.h: ref_epoll_dispatch calls fn once per event with the mask
 * and data epoll_wait(2) gives. Three ready fds: the raw instance reports
 * three events and the callback gets the same three (2.6).
 */
TEST(dispatch_hands_fn_what_epoll_wait_returns)
{
	struct ref_case_ep_log log = { 0 };
	struct epoll_event raw[8];
	int a[2], b[2], s[2], nraw;
	struct pair pr;

	CONFORM_DECLARE("2.6.27", "epoll_wait",
			"epoll_wait(2); ref/epoll.h ref_epoll_dispatch");
	EPOLL_REQUIRE();
	pair_init(_metadata, &pr);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, conform_socketpair(s));
	pair_add(_metadata, &pr, a[0], EPOLLIN, 0xa);
	pair_add(_metadata, &pr, b[1], EPOLLOUT, 0xb);
	pair_add(_metadata, &pr, s[0], EPOLLIN | EPOLLOUT, 0xc);
	ASSERT_EQ(1, write(a[1], "x", 1));
	ASSERT_EQ(1, write(s[1], "y", 1));
	EXPECT_EQ(3, ref_epoll_dispatch(&pr.ref, REF_CASE_EP_BOUND_MS,
					ref_case_ep_log_event, &log));
	ASSERT_EQ(3, log.n);
	ASSERT_EQ(3, nraw = epoll_wait(pr.raw, raw, 8, REF_CASE_EP_BOUND_MS));
	ref_case_ep_sort(log.ev, log.n);
	ref_case_ep_sort(raw, nraw);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(raw[i].events, log.ev[i].events);
		EXPECT_EQ(raw[i].data.u64, log.ev[i].data.u64);
	}
	EXPECT_EQ(0xa, log.ev[0].data.u64);
	EXPECT_EQ(0xc, log.ev[2].data.u64);
	EXPECT_EQ(EPOLLIN | EPOLLOUT, log.ev[2].events);
	pair_free(&pr);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	close(s[0]);
	close(s[1]);
}

TEST_HARNESS_MAIN
