// SPDX-License-Identifier: MIT
/*
 * ref/aio.c - a Linux native AIO context on raw system calls. See ref/aio.h
 * for the API. Comments starting "Rule:" are the rules of
 * ../shared/DESIGN.md section 6 (the user ring) and section 7 (cancellation),
 * and those of the system calls themselves (fs/aio.c), each next to the
 * code that obeys it.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "ref/aio.h"
#include "ref/ring_index.h"

#define NSEC_PER_SEC 1000000000LL

/* ------------------------------------------------------------------ */
/* system calls (glibc has no wrappers): a result or -errno            */
/* ------------------------------------------------------------------ */

static int sys_result(long ret)
{
	return ret < 0 ? -errno : (int)ret;
}

/*
 * io_getevents, reaping between min_nr and nr events. ts is relative; NULL
 * waits without limit. The kernel turns a wait ended by a signal with no
 * event into -EINTR (never restarted, whatever SA_RESTART says).
 */
static int sys_getevents(aio_context_t id, unsigned int min_nr,
			 unsigned int nr, struct io_event *ev,
			 struct timespec *ts)
{
	return sys_result(syscall(__NR_io_getevents, id, (long)min_nr, (long)nr,
				  ev, ts));
}

/* ------------------------------------------------------------------ */
/* life cycle                                                          */
/* ------------------------------------------------------------------ */

int ref_aio_init(struct ref_aio *ctx, unsigned int nr_events)
{
	/* Rule: io_setup wants *ctx_idp to be 0 on entry (-EINVAL else). */
	aio_context_t id = 0;

	memset(ctx, 0, sizeof(*ctx));
	if (syscall(__NR_io_setup, nr_events, &id) < 0)
		return -errno;
	ctx->id = id;
	/* The context id is the address of the ring the kernel mapped. */
	ctx->ring = (struct ref_aio_ring *)(uintptr_t)id;
	/* Rule: the kernel may give more than asked (it sizes the ring in
	 * whole pages, and by the number of possible CPUs): record what the
	 * ring header says, not what was asked. */
	ctx->nr_events = ref_aio_ring_usable(ctx->ring) ? ctx->ring->nr
							: nr_events;
	return 0;
}

int ref_aio_free(struct ref_aio *ctx)
{
	/* Rule: io_destroy cancels what it can, then waits for every request
	 * still in flight to complete before it returns, and unmaps the ring:
	 * the pointer to it is dead from here on. */
	int ret = sys_result(syscall(__NR_io_destroy, ctx->id));

	memset(ctx, 0, sizeof(*ctx));
	return ret < 0 ? ret : 0;
}

/* ------------------------------------------------------------------ */
/* submission                                                          */
/* ------------------------------------------------------------------ */

int ref_aio_submit(struct ref_aio *ctx, struct iocb **cbs, unsigned int n)
{
	/* Rule: io_submit returns how many it took, in order from cbs[0]; an
	 * error only when cbs[0] itself was refused (ref/aio.h says what the
	 * caller does with the rest). Nothing to add here: the kernel's
	 * answer is already the count or the first iocb's error. */
	if (n > INT_MAX)
		n = INT_MAX;
	return sys_result(syscall(__NR_io_submit, ctx->id, (long)n, cbs));
}

/* ------------------------------------------------------------------ */
/* the user-space completion ring                                      */
/* ------------------------------------------------------------------ */

bool ref_aio_ring_usable(const struct ref_aio_ring *ring)
{
	/* Rule: the ring is usable only if magic is 0xa10a10a1,
	 * incompat_features is 0 and header_length is 32. A kernel that
	 * changed the layout would say so here; then only io_getevents
	 * knows how to read it. */
	return ring && ring->magic == REF_AIO_RING_MAGIC &&
	       ring->incompat_features == 0 &&
	       ring->header_length == sizeof(struct ref_aio_ring);
}

int ref_aio_ring_reap(struct ref_aio_ring *ring, struct io_event *ev,
		      unsigned int nr)
{
	unsigned int size, head, tail, n;

	if (!ref_aio_ring_usable(ring))
		return -EOPNOTSUPP;
	size = ring->nr;	/* the kernel never changes it */
	/* Rule: load the tail with acquire: the kernel writes an event, then
	 * moves the tail past it, so every event before the tail we saw is
	 * complete. */
	tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	/* Only the reaper writes head (one reaper at a time: ref/aio.h). */
	head = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	/* Rule: head and tail are indices in [0, nr). Any other value means
	 * the page was written by someone else: leave it to the kernel, which
	 * takes head modulo nr. */
	if (head >= size || tail >= size)
		return -EOPNOTSUPP;
	/* Rule: head and tail wrap modulo nr, which is not a power of two:
	 * no masking, the distance and the next index are computed modulo nr
	 * (ref/ring_index.h). head == tail is an empty ring, so a full one
	 * holds nr - 1 events. */
	n = ref_aio_ring_ready(head, tail, size);
	if (n > nr)
		n = nr;
	if (n > INT_MAX)
		n = INT_MAX;
	for (unsigned int i = 0; i < n; i++) {
		ev[i] = ring->io_events[head];
		head = ref_aio_ring_next(head, size);
	}
	/* Rule: store the head with release, after the events were copied:
	 * the kernel may fill those slots again as soon as it sees the new
	 * head. It does read it back (to count free slots), so reaping here
	 * makes room for io_submit just as io_getevents does. */
	if (n)
		__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
	return (int)n;
}

int ref_aio_reap(struct ref_aio *ctx, struct io_event *ev, unsigned int nr)
{
	struct timespec zero = { 0 };
	int ret = ref_aio_ring_reap(ctx->ring, ev, nr);

	if (ret != -EOPNOTSUPP)
		return ret;
	/* Rule: when the header does not pass, fall back to io_getevents with
	 * a zero timeout: the same "what is ready now", through the kernel. */
	if (nr > INT_MAX)
		nr = INT_MAX;
	do
		ret = sys_getevents(ctx->id, 0, nr, ev, &zero);
	while (ret == -EINTR);	/* even a zero wait reports a signal so */
	return ret;
}

/* ------------------------------------------------------------------ */
/* waiting                                                             */
/* ------------------------------------------------------------------ */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* now + ts, saturating at INT64_MAX ("never") for huge timeouts. */
static int64_t deadline_after(const struct timespec *ts)
{
	int64_t now = now_ns();

	if ((int64_t)ts->tv_sec >= (INT64_MAX - now) / NSEC_PER_SEC - 1)
		return INT64_MAX;
	return now + (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

int ref_aio_wait(struct ref_aio *ctx, struct io_event *ev, unsigned int min_nr,
		 unsigned int nr, const struct timespec *timeout)
{
	int64_t deadline = 0;
	int got;

	/* io_getevents takes min_nr > nr as -EINVAL; it does not check the
	 * timeout, but a deadline needs a valid one. */
	if (min_nr > nr || (timeout && (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
					timeout->tv_nsec >= NSEC_PER_SEC)))
		return -EINVAL;
	if (nr > INT_MAX)
		nr = INT_MAX;
	if (min_nr > nr)
		min_nr = nr;
	if (timeout)
		deadline = deadline_after(timeout);

	/* What is ready costs no system call. */
	got = ref_aio_reap(ctx, ev, nr);
	if (got < 0)
		return got;
	while ((unsigned int)got < min_nr) {
		struct timespec left, *ts = NULL;
		int ret;

		if (timeout) {
			int64_t ns = deadline - now_ns();

			/* Past the deadline: one last look that does not wait. */
			if (ns < 0)
				ns = 0;
			left.tv_sec = (time_t)(ns / NSEC_PER_SEC);
			left.tv_nsec = (long)(ns % NSEC_PER_SEC);
			ts = &left;
		}
		ret = sys_getevents(ctx->id, min_nr - (unsigned int)got,
				    nr - (unsigned int)got, ev + got, ts);
		/* Rule: retry EINTR, with what is left of the timeout: the
		 * deadline is fixed once, so a stream of signals cannot keep
		 * the wait alive past it. */
		if (ret == -EINTR)
			continue;
		if (ret < 0)
			return got ? got : ret;
		got += ret;
		/* Fewer than asked only when the timeout expired: done. */
		break;
	}
	return got;
}

/* ------------------------------------------------------------------ */
/* cancellation                                                        */
/* ------------------------------------------------------------------ */

int ref_aio_cancel(struct ref_aio *ctx, struct iocb *cb)
{
	/* Rule: the result argument is not written (since 3.11): a
	 * cancelled request's event comes through the ring like any other. */
	struct io_event unused;
	long ret = syscall(__NR_io_cancel, ctx->id, cb, &unused);

	/* Rule: only IOCB_CMD_POLL (and a few drivers' reads and writes)
	 * can be cancelled: the kernel answers -EINPROGRESS, "under way",
	 * and the event follows. Reads and writes on files, pipes and
	 * sockets give -EINVAL and complete normally. */
	if (ret == 0 || (ret < 0 && errno == EINPROGRESS))
		return 0;
	return -errno;
}
