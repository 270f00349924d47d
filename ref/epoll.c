// SPDX-License-Identifier: MIT
/*
 * ref/epoll.c - an epoll context. See ref/epoll.h for the API. Comments
 * starting "Rule:" are the facts of epoll(7), epoll_ctl(2), signal(7) and
 * ../shared/DESIGN.md section 7, each next to the code that obeys it.
 */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "ref/epoll.h"

#define NS_PER_MS 1000000LL

/* ------------------------------------------------------------------ */
/* life cycle                                                          */
/* ------------------------------------------------------------------ */

int ref_epoll_init(struct ref_epoll *ep)
{
	/* Close-on-exec: a program started by exec has no use for it. */
	ep->fd = epoll_create1(EPOLL_CLOEXEC);
	return ep->fd < 0 ? -errno : 0;
}

void ref_epoll_free(struct ref_epoll *ep)
{
	if (ep->fd >= 0)
		close(ep->fd);
	ep->fd = -1;
}

/* ------------------------------------------------------------------ */
/* watches                                                             */
/* ------------------------------------------------------------------ */

static int ctl(struct ref_epoll *ep, int op, int fd, uint32_t events,
	       uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep->fd, op, fd, &ev) < 0 ? -errno : 0;
}

/*
 * Rule: without EPOLLET a watch is level-triggered: as long as the fd is
 * ready (data left unread), every wait reports it again at once. An event
 * a user does not handle therefore turns each wait into a busy loop.
 */
int ref_epoll_add(struct ref_epoll *ep, int fd, uint32_t events, uint64_t data)
{
	return ctl(ep, EPOLL_CTL_ADD, fd, events, data);
}

int ref_epoll_mod(struct ref_epoll *ep, int fd, uint32_t events, uint64_t data)
{
	/* Rule: EPOLLEXCLUSIVE is accepted only with EPOLL_CTL_ADD; the
	 * kernel refuses it with MOD (EINVAL, since 4.5). Refused here too,
	 * so the answer does not depend on the kernel. */
	if (events & EPOLLEXCLUSIVE)
		return -EINVAL;
	/* Rule: an EPOLLONESHOT watch is disabled after its first event (it
	 * stays registered: ADD says EEXIST) until EPOLL_CTL_MOD re-arms it;
	 * the new mask sees what is ready now. */
	return ctl(ep, EPOLL_CTL_MOD, fd, events, data);
}

/*
 * Rule: epoll has no cancel; EPOLL_CTL_DEL is the equivalent: after it no
 * wait reports the fd. It cannot take back events an earlier wait already
 * copied out (see ref_epoll_dispatch).
 */
int ref_epoll_del(struct ref_epoll *ep, int fd)
{
	/* The event argument may be NULL for DEL since 2.6.9. */
	return epoll_ctl(ep->fd, EPOLL_CTL_DEL, fd, NULL) < 0 ? -errno : 0;
}

/*
 * Rule: a watch belongs to the open file description (keyed by it and the
 * fd number), not to the fd: close() removes it only when the last fd of
 * that file closes. Closing one fd of a dup'd (or inherited) file leaves the
 * watch reporting, and it can then no longer be deleted: the closed number
 * gives EBADF, the duplicate ENOENT. So delete first, then close.
 */
int ref_epoll_close(struct ref_epoll *ep, int fd)
{
	int ret = ref_epoll_del(ep, fd);

	/* close() frees the number even when it fails: never retried. */
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

/* ------------------------------------------------------------------ */
/* waiting                                                             */
/* ------------------------------------------------------------------ */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Milliseconds from now to deadline, rounded up (a wait that ends before
 * the deadline would be one more round); 0 once it has passed. */
static int ms_until(int64_t deadline)
{
	int64_t left = deadline - now_ns();

	return left <= 0 ? 0 : (int)((left + NS_PER_MS - 1) / NS_PER_MS);
}

int ref_epoll_wait(struct ref_epoll *ep, struct epoll_event *events, int max,
		   int timeout_ms, const sigset_t *sigmask)
{
	int64_t deadline = 0;
	int left = timeout_ms;

	if (timeout_ms > 0)
		deadline = now_ns() + timeout_ms * NS_PER_MS;
	for (;;) {
		int n = epoll_pwait(ep->fd, events, max, left, sigmask);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -errno;
		/*
		 * Rule: epoll_wait is never restarted after a signal handler,
		 * even one installed with SA_RESTART (signal(7)): it fails with
		 * EINTR. Retry, with only what is left of the time: restarting
		 * with the whole timeout would let a stream of signals stretch
		 * the wait without end. A wait that had no time left was the
		 * last look; the time ran out.
		 */
		if (left == 0)
			return 0;
		if (timeout_ms > 0)
			left = ms_until(deadline);
	}
}

/*
 * Rule: the events of one wait are a snapshot. If fn deletes (or closes)
 * another watched fd, that fd's event may still come later in this batch
 * (epoll(7), "If using an event cache"): fn must check its own state.
 */
int ref_epoll_dispatch(struct ref_epoll *ep, int timeout_ms, ref_epoll_fn fn,
		       void *arg)
{
	struct epoll_event ev[REF_EPOLL_BATCH];
	int n = ref_epoll_wait(ep, ev, REF_EPOLL_BATCH, timeout_ms, NULL);

	for (int i = 0; i < n; i++)
		fn(arg, ev[i].events, ev[i].data.u64);
	return n;
}

/*
 * Rule: edge-triggered (EPOLLET): an event is reported when the fd becomes
 * ready, not while it stays ready. Read until EAGAIN before waiting again:
 * data left behind now brings no further event. That needs a non-blocking
 * fd (epoll(7)); on a blocking one the read after the last byte would hang,
 * so it is refused.
 */
ssize_t ref_epoll_drain(int fd, ref_epoll_data_fn fn, void *arg)
{
	char buf[4096];
	ssize_t total = 0;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK))
		return -EINVAL;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			fn(arg, buf, (size_t)n);
			total += n;
		} else if (n == 0) {
			fn(arg, buf, 0);	/* end of file */
			return total;
		} else if (errno == EAGAIN) {
			return total;
		} else if (errno != EINTR) {
			return -errno;
		}
	}
}
