/* SPDX-License-Identifier: MIT */
/*
 * conform_epoll.h - helpers shared by the epoll case programs
 * (cases/epoll/, and the eventfd ones that use epoll), on top of
 * conform.h. Include it instead of conform.h.
 */
#ifndef AIOCONF_CONFORM_EPOLL_H
#define AIOCONF_CONFORM_EPOLL_H

#include "conform.h"

#include <pthread.h>
#include <sys/epoll.h>

/*
 * NULL unless epoll is missing or refused; else why. Every epoll test starts
 * from an instance, so a kernel without CONFIG_EPOLL (ENOSYS) or a seccomp
 * filter refusing epoll_create1 (ENOSYS or EPERM) makes the tests skip, not
 * fail. Any other error is left to the test's own assertions to report.
 */
static inline const char *epoll_unavailable(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep >= 0) {
		close(ep);
		return NULL;
	}
	if (errno == ENOSYS)
		return CONFORM_ENV "epoll_create1: ENOSYS (kernel without CONFIG_EPOLL, or a seccomp filter)";
	if (errno == EPERM)
		return CONFORM_ENV "epoll_create1: EPERM (refused here, e.g. by a seccomp filter)";
	return NULL;
}

/* Inside a TEST body: skip with the reason when epoll is unusable. */
#define EPOLL_REQUIRE() CONFORM_REQUIRE(epoll_unavailable())

/*
 * The system call glibc's epoll_wait() enters, as /proc/<tid>/syscall
 * shows it: epoll_wait, or epoll_pwait with a NULL mask where the
 * architecture has no epoll_wait (the asm-generic table of arm64 and
 * riscv64 has only epoll_pwait).
 */
#ifdef SYS_epoll_wait
#define CONFORM_NR_EPOLL_WAIT SYS_epoll_wait
#else
#define CONFORM_NR_EPOLL_WAIT SYS_epoll_pwait
#endif

/*
 * epoll_ctl() with the event built in place: events as the mask and tag as
 * data.u64, so a test can check which registration an event came from.
 * Returns what epoll_ctl() returns (0, or -1 with errno).
 */
static inline int epoll_ctl_tag(int ep, int op, int fd, unsigned int events,
				__u64 tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(ep, op, fd, &ev);
}

/*
 * The usual starting point: a new instance (EPOLL_CLOEXEC) in *ep and a new
 * pipe in p, with the read end p[0] added for events with data tag. Each step
 * is ASSERTed (ending the test on failure); the caller closes all three fds.
 */
static inline void epoll_new_watching_pipe(struct __test_metadata *_metadata,
					   int *ep, int p[2],
					   unsigned int events, __u64 tag)
{
	ASSERT_LE(0, *ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(*ep, EPOLL_CTL_ADD, p[0], events, tag));
}

/* A new epoll instance with fd added for events with data tag; returns it.
 * Each step is ASSERTed; the caller closes it. */
static inline int epoll_new_watching(struct __test_metadata *_metadata, int fd,
				     unsigned int events, __u64 tag)
{
	int ep;

	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, fd, events, tag));
	return ep;
}

/*
 * A thread asleep in epoll_pwait(ep, &ev, 1, 5000, NULL), for the tests of
 * what wakes a blocked wait. epoll_waiter_start() fills it in; the test
 * then does what should wake the thread, joins th, and checks ret (what
 * epoll_pwait returned) and ev. The 5 s timeout only ends a hang.
 */
struct epoll_waiter {
	int ep;
	pthread_t th;
	pid_t tid;
	int ret;	/* -3 starting, -2 about to wait, then the result */
	struct epoll_event ev;
};

static inline void *epoll_waiter_main(void *arg)
{
	struct epoll_waiter *w = arg;

	w->tid = gettid();
	__atomic_store_n(&w->ret, -2, __ATOMIC_RELEASE);
	w->ret = epoll_pwait(w->ep, &w->ev, 1, 5000, NULL);
	return NULL;
}

/*
 * Inside a TEST: start a waiter on ep (pthread_create is ASSERTed) and
 * return once it is seen asleep in epoll_pwait, so that what the test does
 * next acts on a blocked wait, with no race to win. Returns what
 * conform_wait_blocked_in() says: 1 seen, 0 not seen within 5 s (the thread
 * did not block), -1 cannot tell (no readable /proc/self/task/<tid>/syscall).
 * Whatever it returns, the test wakes the thread and joins it; on -1 it then
 * SKIPs, saying the waiter could not be seen blocking.
 */
static inline int epoll_waiter_start(struct __test_metadata *_metadata,
				     struct epoll_waiter *w, int ep)
{
	memset(w, 0, sizeof(*w));
	w->ep = ep;
	w->ret = -3;
	ASSERT_EQ(0, pthread_create(&w->th, NULL, epoll_waiter_main, w));
	while (__atomic_load_n(&w->ret, __ATOMIC_ACQUIRE) == -3)
		sched_yield();
	return conform_wait_blocked_in(w->tid, SYS_epoll_pwait);
}

#endif /* AIOCONF_CONFORM_EPOLL_H */
