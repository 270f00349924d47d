// SPDX-License-Identifier: MIT
/*
 * epoll/exclusive-rules: EPOLLEXCLUSIVE (4.5) beyond epoll/exclusive - the
 * event bits it refuses one by one, the order of its checks (MOD with it is
 * refused before the fd is looked up), and the wake-one rule: with several
 * instances watching one eventfd exclusively, a write reaches "one or more"
 * of them, not all when each has a thread asleep in epoll_wait; with no
 * waiter anywhere every instance queues it; non-exclusive watchers of the
 * same fd always get it.
 * Sources: epoll_ctl(2) EPOLLEXCLUSIVE (since 4.5) and ERRORS; commits
 * df0108c5da56 "epoll: add EPOLLEXCLUSIVE flag" (4.5) and b6a515c8a0f6
 * "epoll: restrict EPOLLEXCLUSIVE to POLLIN and POLLOUT" (4.5-rc3).
 */
#include <sys/eventfd.h>

#include "conform_epoll.h"

/* Instances watching the same eventfd in the wake-one tests. */
enum { NR_EP = 3 };

#define EFD_TAG 0xef0ULL	/* the exclusive entry of the eventfd */
#define KICK_TAG 0x1c0ULL	/* the non-exclusive kick pipe, to end waits */

/* epoll_ctl_tag(ep, op, fd, events, tag) must fail with EINVAL. */
static void expect_ctl_einval(struct __test_metadata *_metadata, int ep,
			      int op, int fd, unsigned int events, __u64 tag)
{
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, op, fd, events, tag));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * epoll_ctl(2) EPOLLEXCLUSIVE: "The following values may be specified in
 * conjunction with EPOLLEXCLUSIVE: EPOLLIN, EPOLLOUT, EPOLLWAKEUP, and
 * EPOLLET. EPOLLHUP and EPOLLERR can also be specified"; ERRORS: "EINVAL An
 * invalid event type was specified along with EPOLLEXCLUSIVE". Each of the
 * other poll bits (EPOLLRDHUP, EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM,
 * EPOLLWRBAND, EPOLLMSG) is refused, alone and beside EPOLLIN
 * (EPOLLPRI and EPOLLONESHOT are in epoll/exclusive) (since 4.5:
 * b6a515c8a0f6 went into 4.5-rc3).
 */
TEST(each_other_poll_bit_with_exclusive_gets_einval)
{
	static const struct { unsigned int bit; const char *name; } bad[] = {
		{ EPOLLRDHUP, "EPOLLRDHUP" },	{ EPOLLRDNORM, "EPOLLRDNORM" },
		{ EPOLLRDBAND, "EPOLLRDBAND" },	{ EPOLLWRNORM, "EPOLLWRNORM" },
		{ EPOLLWRBAND, "EPOLLWRBAND" },	{ EPOLLMSG, "EPOLLMSG" },
	};
	int ep, s[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL an invalid event type was "
			"specified along with EPOLLEXCLUSIVE; commit "
			"b6a515c8a0f6");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TH_LOG("EPOLLEXCLUSIVE | %s", bad[i].name);
		expect_ctl_einval(_metadata, ep, EPOLL_CTL_ADD, s[0],
				  bad[i].bit | EPOLLEXCLUSIVE, i);
		expect_ctl_einval(_metadata, ep, EPOLL_CTL_ADD, s[0],
				  EPOLLIN | bad[i].bit | EPOLLEXCLUSIVE, i);
	}
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2): a refused EPOLLEXCLUSIVE add registers nothing:
 * EPOLL_CTL_DEL then fails with "ENOENT ... fd is not registered", and a
 * plain add of the same fd succeeds (since 4.5).
 */
TEST(refused_exclusive_add_registers_nothing)
{
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL with EPOLLEXCLUSIVE; ENOENT fd "
			"is not registered");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	expect_ctl_einval(_metadata, ep, EPOLL_CTL_ADD, p[0],
			  EPOLLIN | EPOLLRDHUP | EPOLLEXCLUSIVE, 1);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 2));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLEXCLUSIVE: EPOLLWAKEUP is one of the values that "may be
 * specified in conjunction with EPOLLEXCLUSIVE": the add succeeds (with or
 * without CAP_BLOCK_SUSPEND, which only decides whether the flag is kept)
 * and the entry reports the eventfd's readiness (since 4.5).
 */
TEST(exclusive_with_wakeup_is_accepted_and_reports)
{
	struct epoll_event ev[2];
	int ep, efd;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EPOLLEXCLUSIVE: EPOLLWAKEUP may be "
			"specified with it");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, efd,
				   EPOLLIN | EPOLLWAKEUP | EPOLLEXCLUSIVE,
				   EFD_TAG));
	ASSERT_EQ(0, eventfd_write(efd, 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(EFD_TAG, ev[0].data.u64);
	close(ep);
	close(efd);
}

/*
 * epoll_ctl(2): "EINVAL op was EPOLL_CTL_MOD and events included
 * EPOLLEXCLUSIVE". The kernel checks this before it looks the fd up
 * (fs/eventpoll.c do_epoll_ctl()), so a MOD with EPOLLEXCLUSIVE of an fd
 * that was never registered fails with EINVAL, not with the ENOENT a plain
 * MOD of it gives (since 4.5).
 */
TEST(mod_with_exclusive_of_unregistered_fd_gets_einval_not_enoent)
{
	int ep, p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL op was EPOLL_CTL_MOD and events "
			"included EPOLLEXCLUSIVE; fs/eventpoll.c "
			"do_epoll_ctl()");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	expect_ctl_einval(_metadata, ep, EPOLL_CTL_MOD, p[0],
			  EPOLLIN | EPOLLEXCLUSIVE, 1);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 1));
	EXPECT_EQ(ENOENT, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * The same eventfd watched through NR_EP instances, with an optional
 * non-exclusive kick pipe in each (so that every waiter can be released at
 * the end: a non-exclusive watcher is always woken).
 */
struct herd {
	int efd;
	int kick[2];
	int ep[NR_EP];
	struct epoll_waiter w[NR_EP];
};

static void herd_open(struct __test_metadata *_metadata, struct herd *h,
		      unsigned int efd_events)
{
	ASSERT_LE(0, h->efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(h->kick));
	for (int i = 0; i < NR_EP; i++) {
		ASSERT_LE(0, h->ep[i] = epoll_create1(EPOLL_CLOEXEC));
		ASSERT_EQ(0, epoll_ctl_tag(h->ep[i], EPOLL_CTL_ADD, h->efd,
					   efd_events, EFD_TAG));
		ASSERT_EQ(0, epoll_ctl_tag(h->ep[i], EPOLL_CTL_ADD,
					   h->kick[0], EPOLLIN, KICK_TAG));
	}
}

static void herd_close(struct herd *h)
{
	for (int i = 0; i < NR_EP; i++)
		close(h->ep[i]);
	close(h->kick[0]);
	close(h->kick[1]);
	close(h->efd);
}

/*
 * Start a waiter on each instance; returns 1 when all were seen asleep in
 * epoll_pwait, 0 or -1 as epoll_waiter_start() says for the first that was
 * not (the rest are started all the same, so that the caller joins them).
 */
static int herd_start(struct __test_metadata *_metadata, struct herd *h)
{
	int all = 1;

	for (int i = 0; i < NR_EP; i++) {
		int seen = epoll_waiter_start(_metadata, &h->w[i], h->ep[i]);

		if (seen != 1 && all == 1)
			all = seen;
	}
	return all;
}

/* Release every waiter through the kick pipe and join them all. */
static void herd_join(struct __test_metadata *_metadata, struct herd *h)
{
	ASSERT_EQ(1, write(h->kick[1], "k", 1));
	for (int i = 0; i < NR_EP; i++)
		ASSERT_EQ(0, pthread_join(h->w[i].th, NULL));
}

/* How many waiters returned the eventfd's event (each returns one event). */
static int herd_got_efd(struct __test_metadata *_metadata, struct herd *h)
{
	int n = 0;

	for (int i = 0; i < NR_EP; i++) {
		EXPECT_EQ(1, h->w[i].ret);
		if (h->w[i].ret == 1 && h->w[i].ev.data.u64 == EFD_TAG) {
			EXPECT_EQ(EPOLLIN, h->w[i].ev.events);
			n++;
		}
	}
	return n;
}

/*
 * epoll_ctl(2) EPOLLEXCLUSIVE: "When a wakeup event occurs and multiple
 * epoll file descriptors are attached to the same target file using
 * EPOLLEXCLUSIVE, one or more of the epoll file descriptors will receive an
 * event"; commit df0108c5da56: the kernel queues the event on each instance
 * "until it finds the first waiter that has threads blocked on it". With a
 * thread asleep on each of NR_EP instances, one write reaches at least one
 * and not all of them (since 4.5). The count is taken after every waiter
 * is released through a non-exclusive kick pipe, so it does not depend on
 * timing: a waiter whose instance queued the eventfd returns it first.
 */
TEST(one_write_reaches_one_or_more_but_not_all_exclusive_waiters)
{
	struct herd h;
	int seen, got;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EPOLLEXCLUSIVE: one or more of the epoll "
			"fds will receive an event; commit df0108c5da56");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	herd_open(_metadata, &h, EPOLLIN | EPOLLEXCLUSIVE);
	seen = herd_start(_metadata, &h);
	ASSERT_EQ(0, eventfd_write(h.efd, 1));
	herd_join(_metadata, &h);
	if (seen < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiters block");
	ASSERT_EQ(1, seen);
	got = herd_got_efd(_metadata, &h);
	TH_LOG("%d of %d exclusive waiters got the event", got, NR_EP);
	EXPECT_LE(1, got);
	EXPECT_GT(NR_EP, got);
out:
	herd_close(&h);
}

/*
 * Control for the test above: without EPOLLEXCLUSIVE "the default in this
 * scenario ... is for all epoll file descriptors to receive an event"
 * (epoll_ctl(2)): every one of the NR_EP waiters returns the eventfd's event
 * (since 2.6.22, eventfd).
 */
TEST(one_write_reaches_every_non_exclusive_waiter)
{
	struct herd h;
	int seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"epoll_ctl(2) EPOLLEXCLUSIVE: without it all epoll "
			"fds receive an event");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	herd_open(_metadata, &h, EPOLLIN);
	seen = herd_start(_metadata, &h);
	ASSERT_EQ(0, eventfd_write(h.efd, 1));
	herd_join(_metadata, &h);
	if (seen < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiters block");
	ASSERT_EQ(1, seen);
	EXPECT_EQ(NR_EP, herd_got_efd(_metadata, &h));
out:
	herd_close(&h);
}

/*
 * epoll_ctl(2) EPOLLEXCLUSIVE: "If the same file descriptor is in multiple
 * epoll instances, some with the EPOLLEXCLUSIVE flag, and others without,
 * then events will be provided to all epoll instances that did not specify
 * EPOLLEXCLUSIVE, and at least one of the epoll instances that did". Two
 * instances of NR_EP watch non-exclusively, the rest exclusively, each with
 * a thread asleep: both non-exclusive waiters get the event and at least
 * one exclusive one (since 4.5).
 */
TEST(mixed_watchers_all_non_exclusive_and_one_or_more_exclusive_get_it)
{
	struct herd h;
	int seen, excl = 0;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EPOLLEXCLUSIVE: all instances without "
			"it and at least one with it get the event");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	herd_open(_metadata, &h, EPOLLIN | EPOLLEXCLUSIVE);
	/* The first two instances watch the eventfd without the flag. */
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, epoll_ctl(h.ep[i], EPOLL_CTL_DEL, h.efd, NULL));
		ASSERT_EQ(0, epoll_ctl_tag(h.ep[i], EPOLL_CTL_ADD, h.efd,
					   EPOLLIN, EFD_TAG));
	}
	seen = herd_start(_metadata, &h);
	ASSERT_EQ(0, eventfd_write(h.efd, 1));
	herd_join(_metadata, &h);
	if (seen < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiters block");
	ASSERT_EQ(1, seen);
	for (int i = 0; i < NR_EP; i++) {
		EXPECT_EQ(1, h.w[i].ret);
		if (i < 2) {
			EXPECT_EQ(EFD_TAG, h.w[i].ev.data.u64);
		} else if (h.w[i].ev.data.u64 == EFD_TAG) {
			excl++;
		}
	}
	EXPECT_LE(1, excl);
out:
	herd_close(&h);
}

/*
 * Commit df0108c5da56 "epoll: add EPOLLEXCLUSIVE flag": the wakeup "queues
 * an event to each epfd, until it finds the first waiter that has threads
 * blocked on it via epoll_wait()". With no thread waiting anywhere, every
 * one of the NR_EP exclusive instances has the eventfd ready afterwards
 * (since 4.5).
 */
TEST(without_waiters_every_exclusive_instance_queues_the_event)
{
	struct epoll_event ev[2];
	struct herd h;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"commit df0108c5da56 epoll: add EPOLLEXCLUSIVE flag: "
			"queues to each epfd until one has a blocked waiter");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	herd_open(_metadata, &h, EPOLLIN | EPOLLEXCLUSIVE);
	ASSERT_EQ(0, eventfd_write(h.efd, 1));
	for (int i = 0; i < NR_EP; i++) {
		EXPECT_EQ(1, epoll_wait(h.ep[i], ev, 2, 0));
		EXPECT_EQ(EFD_TAG, ev[0].data.u64);
	}
	herd_close(&h);
}

TEST_HARNESS_MAIN
