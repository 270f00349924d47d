// SPDX-License-Identifier: MIT
/*
 * epoll/smp-exclusive: EPOLLEXCLUSIVE (epoll_ctl(2), 4.5) with its waiters
 * on different CPUs. Two threads, each pinned (pthread_setaffinity_np) to
 * a CPU of its own and asleep in epoll_wait on an epoll instance of its
 * own; both instances watch one eventfd with EPOLLIN | EPOLLEXCLUSIVE. One
 * write wakes one of them, not both; once that one has returned, a second
 * write wakes the other. epoll/exclusive-rules has the same rule with the
 * waiters wherever the scheduler puts them; here the wakeup has to cross
 * from one CPU to another.
 * Sources: epoll_ctl(2) EPOLLEXCLUSIVE; commit df0108c5da56 "epoll: add
 * EPOLLEXCLUSIVE flag" (4.5): the wakeup "queues an event to each epfd,
 * until it finds the first waiter that has threads blocked on it via
 * epoll_wait()"; fs/eventpoll.c ep_poll_callback().
 */
#include <sys/eventfd.h>

#include "conform_epoll.h"

enum {
	/* Bound (ms) of a wait for a wakeup that must come. */
	WAKE_BOUND_MS = 10000,
	/* Timeout (ms) of the waiters' epoll_pwait: longer than any test's
	 * steps, it only ends a hang. */
	WAITER_TIMEOUT_MS = 25000,
};

#define EFD_TAG 0xef0ULL	/* the exclusive entry of the eventfd */
#define KICK_TAG 0x1c0ULL	/* the non-exclusive kick pipe, to end waits */

/*
 * A thread that pins itself to cpu, then sleeps in
 * epoll_pwait(ep, &ev, 1, WAITER_TIMEOUT_MS, NULL); on return it writes its
 * index into the done pipe, so that the test can wait for the first
 * return with a bounded poll(2).
 */
struct pinned_waiter {
	int ep, cpu, index, done_fd;
	pthread_t th;
	pid_t tid;
	int pin_err;	/* what pthread_setaffinity_np returned */
	int on_cpu;	/* sched_getcpu() once pinned */
	int phase;	/* 0 starting, 1 pinned and about to wait, 2 returned */
	int ret;	/* what epoll_pwait returned */
	int err;	/* and errno */
	struct epoll_event ev;
};

static void *pinned_waiter_main(void *arg)
{
	struct pinned_waiter *w = arg;
	char idx = (char)w->index;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	w->pin_err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	w->on_cpu = sched_getcpu();
	w->tid = gettid();
	w->ret = -1;
	__atomic_store_n(&w->phase, 1, __ATOMIC_RELEASE);
	if (w->pin_err == 0) {
		w->ret = epoll_pwait(w->ep, &w->ev, 1, WAITER_TIMEOUT_MS, NULL);
		w->err = errno;
	}
	__atomic_store_n(&w->phase, 2, __ATOMIC_RELEASE);
	if (write(w->done_fd, &idx, 1) != 1)
		w->err = errno;
	return NULL;
}

/*
 * The eventfd, a kick pipe, the done pipe, and two instances each watching
 * the eventfd exclusively and the kick pipe non-exclusively (a write to it
 * ends every wait still going), with a waiter for each on a CPU of its own.
 */
struct pair {
	int efd, kick[2], done[2];
	int ep[2];
	struct pinned_waiter w[2];
	bool started[2];
};

/* The first two CPUs this process may run on: 0, or -1. */
static int two_cpus(int cpu[2])
{
	cpu_set_t set;
	int n = 0;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			cpu[n++] = c;
	return n == 2 ? 0 : -1;
}

static void pair_open(struct __test_metadata *_metadata, struct pair *pr)
{
	int cpu[2];

	memset(pr, 0, sizeof(*pr));
	ASSERT_EQ(0, two_cpus(cpu));
	ASSERT_LE(0, pr->efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(pr->kick));
	ASSERT_EQ(0, conform_pipe(pr->done));
	for (int i = 0; i < 2; i++) {
		ASSERT_LE(0, pr->ep[i] = epoll_create1(EPOLL_CLOEXEC));
		ASSERT_EQ(0, epoll_ctl_tag(pr->ep[i], EPOLL_CTL_ADD, pr->efd,
					   EPOLLIN | EPOLLEXCLUSIVE, EFD_TAG));
		ASSERT_EQ(0, epoll_ctl_tag(pr->ep[i], EPOLL_CTL_ADD,
					   pr->kick[0], EPOLLIN, KICK_TAG));
		pr->w[i].ep = pr->ep[i];
		pr->w[i].cpu = cpu[i];
		pr->w[i].index = i;
		pr->w[i].done_fd = pr->done[1];
	}
}

/*
 * Start waiter i and return once it is seen asleep in epoll_pwait: 1 seen;
 * 0 not seen within 5 s while it still waits; -1 cannot tell (no readable
 * /proc/self/task/<tid>/syscall); -2 it could not pin itself; -3 it
 * returned from epoll_pwait before anything was written. Whatever it
 * returns, the waiter is joined by pair_join().
 */
static int pair_start(struct __test_metadata *_metadata, struct pair *pr,
		      int i)
{
	struct pinned_waiter *w = &pr->w[i];
	int seen;

	w->phase = 0;
	ASSERT_EQ(0, pthread_create(&w->th, NULL, pinned_waiter_main, w));
	pr->started[i] = true;
	while (__atomic_load_n(&w->phase, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	if (w->pin_err)
		return -2;
	seen = conform_wait_blocked_in(w->tid, SYS_epoll_pwait);
	if (seen == 0 && __atomic_load_n(&w->phase, __ATOMIC_ACQUIRE) == 2)
		return -3;
	return seen;
}

/*
 * Wait (WAKE_BOUND_MS) for the next waiter to return: its index, or -1
 * when none did.
 */
static int pair_next_return(struct pair *pr)
{
	char idx;

	if (!conform_fd_readable(pr->done[0], WAKE_BOUND_MS) ||
	    read(pr->done[0], &idx, 1) != 1)
		return -1;
	return idx;
}

/* End every wait still going (the kick pipe) and join the waiters. */
static void pair_join(struct __test_metadata *_metadata, struct pair *pr)
{
	ASSERT_EQ(1, write(pr->kick[1], "k", 1));
	for (int i = 0; i < 2; i++) {
		if (pr->started[i])
			ASSERT_EQ(0, pthread_join(pr->w[i].th, NULL));
		pr->started[i] = false;
	}
}

static void pair_close(struct pair *pr)
{
	close(pr->ep[0]);
	close(pr->ep[1]);
	close(pr->efd);
	close(pr->kick[0]);
	close(pr->kick[1]);
	close(pr->done[0]);
	close(pr->done[1]);
}

/*
 * After pair_join(): both waiters pinned to their CPUs and seen asleep
 * (seen[] from pair_start()); else fail, or SKIP when that could not be
 * seen (the fds are closed first).
 */
#define PAIR_REQUIRE_ASLEEP(pr, seen)                                          \
	do {                                                                   \
		for (int i_ = 0; i_ < 2; i_++) {                               \
			ASSERT_EQ(0, (pr).w[i_].pin_err)                       \
				TH_LOG("pthread_setaffinity_np to CPU %d",     \
				       (pr).w[i_].cpu);                        \
			EXPECT_EQ((pr).w[i_].cpu, (pr).w[i_].on_cpu);          \
			ASSERT_NE(-3, (seen)[i_])                              \
				TH_LOG("the waiter on CPU %d returned %d (errno %d) before any write", \
				       (pr).w[i_].cpu, (pr).w[i_].ret,         \
				       (pr).w[i_].err);                        \
		}                                                              \
		for (int i_ = 0; i_ < 2; i_++) {                               \
			if ((seen)[i_] == -1) {                                \
				pair_close(&(pr));                             \
				SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiters block"); \
			}                                                      \
			if ((seen)[i_] == 0) {                                 \
				pair_close(&(pr));                             \
				SKIP(return, CONFORM_UNSEEN "the waiter on CPU %d was not seen asleep in epoll_pwait within 5 s", \
				     (pr).w[i_].cpu);                          \
			}                                                      \
		}                                                              \
	} while (0)

/*
 * epoll_ctl(2) EPOLLEXCLUSIVE: "When a wakeup event occurs and multiple
 * epoll file descriptors are attached to the same target file using
 * EPOLLEXCLUSIVE, one or more of the epoll file descriptors will receive
 * an event with epoll_wait(2)" (since 4.5). The man page promises one or
 * more; this test asserts what the kernel does: with a waiter asleep on
 * each of the two instances, pinned to two CPUs, one write reaches exactly
 * one of them. ep_poll_callback() of an exclusive entry whose instance has
 * a waiter ends the wakeup walk of the eventfd's wait queue, which the
 * write runs before it returns. Both waiters are then released through
 * the non-exclusive kick pipe and each returns one event: the eventfd where
 * its instance had it queued (queued before the kick, so returned first),
 * the kick elsewhere, so the count does not depend on timing.
 */
TEST(one_write_wakes_one_of_two_waiters_on_two_cpus)
{
	struct pair pr;
	int seen[2], got = 0;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EPOLLEXCLUSIVE: one or more of the epoll "
			"fds will receive an event; commit df0108c5da56");
	CONFORM_REQUIRE_CPUS(2);
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	pair_open(_metadata, &pr);
	for (int i = 0; i < 2; i++)
		seen[i] = pair_start(_metadata, &pr, i);
	ASSERT_EQ(0, eventfd_write(pr.efd, 1));
	pair_join(_metadata, &pr);
	PAIR_REQUIRE_ASLEEP(pr, seen);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(1, pr.w[i].ret);
		if (pr.w[i].ret == 1 && pr.w[i].ev.data.u64 == EFD_TAG) {
			EXPECT_EQ(EPOLLIN, pr.w[i].ev.events);
			TH_LOG("the waiter on CPU %d got the eventfd", pr.w[i].cpu);
			got++;
		}
	}
	EXPECT_LE(1, got);
	EXPECT_EQ(1, got);
	pair_close(&pr);
}

/*
 * Commit df0108c5da56 "epoll: add EPOLLEXCLUSIVE flag" (4.5): a wakeup
 * "queues an event to each epfd, until it finds the first waiter that has
 * threads blocked on it via epoll_wait()". After the first write has
 * reached one of the two pinned waiters and that one has returned, the
 * other is still seen asleep (a woken thread shows "running" at once, so
 * the first write did not wake it); the eventfd is drained and written
 * again: the walk passes the instance that has no waiter any more and
 * wakes the other waiter, on the other CPU, with the eventfd (since 4.5).
 */
TEST(second_write_wakes_the_waiter_left_asleep_on_the_other_cpu)
{
	struct pair pr;
	eventfd_t val = 0;
	int seen[2], first = -1, second = -1, other = -1, still = -3;

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"commit df0108c5da56 epoll: add EPOLLEXCLUSIVE flag: "
			"queues to each epfd until one has a blocked waiter");
	CONFORM_REQUIRE_CPUS(2);
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	pair_open(_metadata, &pr);
	for (int i = 0; i < 2; i++)
		seen[i] = pair_start(_metadata, &pr, i);
	if (seen[0] == 1 && seen[1] == 1) {
		ASSERT_EQ(0, eventfd_write(pr.efd, 1));
		first = pair_next_return(&pr);
	}
	if (first >= 0) {
		other = 1 - first;
		ASSERT_EQ(0, eventfd_read(pr.efd, &val));
		still = conform_wait_blocked_in(pr.w[other].tid, SYS_epoll_pwait);
	}
	if (still == 1) {
		ASSERT_EQ(0, eventfd_write(pr.efd, 1));
		second = pair_next_return(&pr);
	}
	pair_join(_metadata, &pr);
	PAIR_REQUIRE_ASLEEP(pr, seen);
	ASSERT_LE(0, first)
		TH_LOG("no waiter returned within %d ms of the first write",
		       WAKE_BOUND_MS);
	TH_LOG("first write: the waiter on CPU %d returned first",
	       pr.w[first].cpu);
	EXPECT_EQ(1, pr.w[first].ret);
	EXPECT_EQ(EFD_TAG, pr.w[first].ev.data.u64);
	EXPECT_EQ((eventfd_t)1, val);
	if (still < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the second waiter block");
	ASSERT_EQ(1, still)
		TH_LOG("the waiter on CPU %d was not asleep after the first write (returned %d, tag 0x%llx)",
		       pr.w[other].cpu, pr.w[other].ret,
		       (unsigned long long)pr.w[other].ev.data.u64);
	ASSERT_EQ(other, second)
		TH_LOG("no waiter returned within %d ms of the second write",
		       WAKE_BOUND_MS);
	EXPECT_EQ(1, pr.w[other].ret);
	EXPECT_EQ(EFD_TAG, pr.w[other].ev.data.u64);
	EXPECT_EQ(EPOLLIN, pr.w[other].ev.events);
	pair_close(&pr);
}

TEST_HARNESS_MAIN
