/* SPDX-License-Identifier: MIT */
/*
 * conform_ref_aio.h - what the cases/ref/aio-* programs (the reference
 * Linux AIO context of ref/aio.c, run against the kernel) share:
 * - fake completion rings in ordinary memory, filled the way the kernel
 *   fills a real one;
 * - finding and comparing events;
 * - a helper thread that signals the main thread each time it sees it
 *   asleep in io_getevents (to make a wait fail with EINTR, no sleeping).
 * Case programs include "conform_ref.h", then this header, which brings
 * ref/aio.h and conform_aio.h (the raw system calls, for differentials).
 */
#ifndef AIOCONF_CONFORM_REF_AIO_H
#define AIOCONF_CONFORM_REF_AIO_H

#include <pthread.h>
#include <stdint.h>

#include "conform_aio.h"
#include "ref/aio.h"

/* Bound on a wait for an event that is expected: a guard against a hang,
 * not a timing check. */
static const struct timespec ref_aio_case_bound = { .tv_sec = 2 };

/* ------------------------------------------------------------------ */
/* Fake rings                                                          */
/* ------------------------------------------------------------------ */

/* A ring of nr slots in ordinary memory, with a valid header, empty
 * (head == tail == 0). free() it. Aborts if out of memory. */
static inline struct ref_aio_ring *ref_aio_case_fake_ring(unsigned int nr)
{
	struct ref_aio_ring *r = calloc(1, sizeof(*r) + nr * sizeof(struct io_event));

	if (!r)
		abort();
	r->nr = nr;
	r->magic = REF_AIO_RING_MAGIC;
	r->header_length = sizeof(*r);
	return r;
}

/* Post one event at the tail of fake ring r, as fs/aio.c aio_complete()
 * does: the event first, then the tail moved on modulo nr with release. */
static inline void ref_aio_case_post(struct ref_aio_ring *r, uint64_t data,
				     int64_t res)
{
	struct io_event ev = {
		.data = data,
		.obj = data ^ 0xffffULL,	/* any value tied to data */
		.res = res,
		.res2 = -res,
	};

	r->io_events[r->tail] = ev;
	__atomic_store_n(&r->tail, r->tail + 1 == r->nr ? 0 : r->tail + 1,
			 __ATOMIC_RELEASE);
}

/* True when ev is what ref_aio_case_post(r, data, res) wrote. */
static inline bool ref_aio_case_is_posted(const struct io_event *ev,
					  uint64_t data, int64_t res)
{
	return ev->data == data && ev->obj == (data ^ 0xffffULL) &&
	       ev->res == res && ev->res2 == -res;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* The first of the n events with this data, or NULL. */
static inline const struct io_event *
ref_aio_case_event_of(const struct io_event *ev, int n, uint64_t data)
{
	for (int i = 0; i < n; i++)
		if (ev[i].data == data)
			return &ev[i];
	return NULL;
}

static inline int ref_aio_case_cmp_data(const void *a, const void *b)
{
	const struct io_event *x = a, *y = b;

	return x->data < y->data ? -1 : x->data > y->data;
}

/* Sort n events by data: completion order across requests is not fixed. */
static inline void ref_aio_case_sort(struct io_event *ev, int n)
{
	qsort(ev, (size_t)n, sizeof(*ev), ref_aio_case_cmp_data);
}

/* ------------------------------------------------------------------ */
/* Signalling a thread asleep in io_getevents                          */
/* ------------------------------------------------------------------ */

/*
 * A thread that waits until thread target is asleep in io_getevents, then
 * sends it signo with tgkill; once, or again each time it sees it asleep
 * there until stop is set. The signal is sent to a call already asleep, so
 * io_getevents fails with EINTR: there is no race to win. The caller
 * installs a handler without SA_RESTART.
 *
 * "Asleep in io_getevents" is read from /proc/self/task/<tid>/syscall as
 * conform_wait_blocked_in() does (the call's number appears only once the
 * thread sleeps in it); this loop also checks stop between reads, so that
 * stopping does not wait out conform_wait_blocked_in's 5 s bound.
 */
struct ref_aio_case_signaller {
	pthread_t thread;
	pid_t target;
	int signo;
	bool repeat;
	volatile bool stop;
	int sent;		/* signals sent */
	bool unreadable;	/* the /proc file could not be read */
};

/* 1: target asleep in io_getevents; 0: stop was set, or 5 s passed;
 * -1: /proc/self/task/<tid>/syscall unreadable. */
static inline int ref_aio_case_await_getevents(struct ref_aio_case_signaller *s)
{
	struct timespec start, now;
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)s->target);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!s->stop) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return -1;
		buf[n] = '\0';
		if (buf[0] != 'r' && strtol(buf, NULL, 10) == SYS_io_getevents)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
	return 0;
}

static inline void *ref_aio_case_signaller_main(void *arg)
{
	struct ref_aio_case_signaller *s = arg;

	do {
		int seen = ref_aio_case_await_getevents(s);

		s->unreadable = seen < 0;
		if (seen != 1)
			break;
		if (syscall(SYS_tgkill, getpid(), s->target, s->signo) == 0)
			s->sent++;
	} while (s->repeat);
	return NULL;
}

/* NULL if this thread's /proc/self/task/<tid>/syscall can be read (what
 * shows a thread asleep in a call); else why not, e.g. no /proc mounted. */
static inline const char *ref_aio_case_syscall_file_missing(void)
{
	char path[64], buf[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)gettid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CONFORM_ENV "/proc/self/task/<tid>/syscall cannot be opened (no /proc?): cannot see a thread asleep in io_getevents";
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? NULL : CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see a thread asleep in io_getevents";
}

/* Start signalling the calling thread. 0, or an errno from pthread. */
static inline int ref_aio_case_signaller_start(struct ref_aio_case_signaller *s,
					       int signo, bool repeat)
{
	memset(s, 0, sizeof(*s));
	s->target = gettid();
	s->signo = signo;
	s->repeat = repeat;
	return pthread_create(&s->thread, NULL, ref_aio_case_signaller_main, s);
}

/* Stop and join. Returns the number of signals sent. */
static inline int ref_aio_case_signaller_stop(struct ref_aio_case_signaller *s)
{
	s->stop = true;
	pthread_join(s->thread, NULL);
	return s->sent;
}

/* Install a counting handler (conform_on_signal) for signo, without
 * SA_RESTART, and zero its count. 0 or -1. */
static inline int ref_aio_case_count_signal(int signo)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	conform_signal_counts[signo] = 0;
	return sigaction(signo, &sa, NULL);
}

#endif /* AIOCONF_CONFORM_REF_AIO_H */
