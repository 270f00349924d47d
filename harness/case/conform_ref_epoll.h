/* SPDX-License-Identifier: MIT */
/*
 * conform_ref_epoll.h - what the cases/ref/epoll-* programs (the reference
 * epoll context of ref/epoll.c, run against the kernel) share on top of
 * conform_ref.h and conform_epoll.h: events put in a comparable order, a
 * pipe with a non-blocking read end, a log of dispatched events.
 */
#ifndef AIOCONF_CONFORM_REF_EPOLL_H
#define AIOCONF_CONFORM_REF_EPOLL_H

#include "conform_ref.h"
#include "conform_epoll.h"

#include "ref/epoll.h"

enum {
	/* Bound, in ms, of a wait expected to return at once: a guard
	 * against a hang, not a timing check. */
	REF_CASE_EP_BOUND_MS = 1000,
	/* Events a struct ref_case_ep_log keeps (it counts any beyond). */
	REF_CASE_EP_LOG_MAX = 16,
};

static inline int ref_case_ep_cmp(const void *a, const void *b)
{
	const struct epoll_event *x = a, *y = b;

	if (x->data.u64 != y->data.u64)
		return x->data.u64 < y->data.u64 ? -1 : 1;
	if (x->events != y->events)
		return x->events < y->events ? -1 : 1;
	return 0;
}

/*
 * Sort n events by data, then mask: the kernel's order of ready fds is not
 * documented, so two instances are compared in this order.
 */
static inline void ref_case_ep_sort(struct epoll_event *ev, int n)
{
	if (n > 1)
		qsort(ev, (size_t)n, sizeof(*ev), ref_case_ep_cmp);
}

/*
 * A pipe (conform_pipe) whose read end p[0] is O_NONBLOCK, as an
 * edge-triggered reader needs. 0, or -1 with errno.
 */
static inline int ref_case_ep_pipe_nb(int p[2])
{
	if (conform_pipe(p))
		return -1;
	if (fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK) == 0)
		return 0;
	close(p[0]);
	close(p[1]);
	return -1;
}

/*
 * What most ref/epoll-* TESTs work on: a ref epoll context and a pipe
 * (conform_pipe(): p[0] the read end, p[1] the write end), each step
 * ASSERTed as the TEST would; if one fails the TEST ends there, and what
 * the earlier step opened goes when the TEST's process exits.
 */
static inline void ref_case_ep_open(struct __test_metadata *_metadata,
				    struct ref_epoll *ep, int p[2])
{
	ASSERT_EQ(0, ref_epoll_init(ep));
	ASSERT_EQ(0, conform_pipe(p));
}

/* Free the context, then close both ends of the pipe. */
static inline void ref_case_ep_close(struct ref_epoll *ep, int p[2])
{
	ref_epoll_free(ep);
	close(p[0]);
	close(p[1]);
}

/* What ref_case_ep_log_event() saw, in call order; n counts all calls. */
struct ref_case_ep_log {
	int n;
	struct epoll_event ev[REF_CASE_EP_LOG_MAX];
};

/* A ref_epoll_fn: append (events, data) to the log arg. */
static inline void ref_case_ep_log_event(void *arg, uint32_t events,
					 uint64_t data)
{
	struct ref_case_ep_log *log = arg;

	if (log->n < REF_CASE_EP_LOG_MAX) {
		log->ev[log->n].events = events;
		log->ev[log->n].data.u64 = data;
	}
	log->n++;
}

#endif /* AIOCONF_CONFORM_REF_EPOLL_H */
