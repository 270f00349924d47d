/* SPDX-License-Identifier: MIT */
/*
 * conform_ref.h - what the cases/ref programs (the reference ring and event
 * driver of ref/, run against the kernel) share on top of conform.h:
 * - ring-*: a log of reaped CQEs filled with bounded waits, lookups in it by
 *   user_data, "nothing completes", and a one-request round trip;
 * - event-*: the usual pipe + ring + driver of a TEST, set up and torn down
 *   in one call each; running a driver until nothing is in flight
 *   (bounded), a cancellation wrapper that records what the driver hands
 *   it, a NOP event;
 * - helpers that are not about ref/ (an AF_UNIX address and listener,
 *   counting open fds, seeing an io-wq worker asleep), kept here for now.
 * Case programs include system headers first, then this header (which brings
 * conform.h, ref/ring.h and ref/event.h).
 */
#ifndef AIOCONF_CONFORM_REF_H
#define AIOCONF_CONFORM_REF_H

#include "conform.h"

#include <dirent.h>
#include <sys/un.h>

#include "ref/ring.h"
#include "ref/event.h"

enum {
	/* CQEs a struct ref_case_cqe_log keeps (it counts any beyond). */
	REF_CASE_LOG_MAX = 64,
	/* Bound, in seconds, of a wait for a CQE that is expected: a guard
	 * against a hang, not a timing check. */
	REF_CASE_BOUND_S = 2,
	/* Wait of ref_case_nothing_completes(), expected to run out. */
	REF_CASE_BRIEF_MS = 20,
};

/* ------------------------------------------------------------------ */
/* ring-*: CQEs reaped into a log                                      */
/* ------------------------------------------------------------------ */

/* ref_case_res_of() of a user_data that never completed. */
#define REF_CASE_NO_CQE INT_MIN

/* Copies of reaped CQEs in reaping order; n counts all, even past the end. */
struct ref_case_cqe_log {
	unsigned int n;
	struct io_uring_cqe cqe[REF_CASE_LOG_MAX];
};

/* A ref_cqe_fn for ref_ring_for_each_completion(): append cqe to the log arg. */
static inline void ref_case_log_cqe(const struct io_uring_cqe *cqe, void *arg)
{
	struct ref_case_cqe_log *log = arg;

	if (log->n < REF_CASE_LOG_MAX)
		log->cqe[log->n] = *cqe;
	log->n++;
}

/*
 * Reap into log until it holds n CQEs (n counts what it held before too).
 * Each wait is bounded by REF_CASE_BOUND_S. 0, or the wait's error (-ETIME).
 */
static inline int ref_case_reap_until(struct ref_ring *ring,
				      struct ref_case_cqe_log *log,
				      unsigned int n)
{
	const struct __kernel_timespec bound = { .tv_sec = REF_CASE_BOUND_S };

	for (;;) {
		int ret;

		ref_ring_for_each_completion(ring, ref_case_log_cqe, log);
		if (log->n >= n)
			return 0;
		ret = ref_ring_wait(ring, 1, &bound);
		if (ret)
			return ret;
	}
}

/* The first logged CQE with this user_data, or NULL. */
static inline const struct io_uring_cqe *
ref_case_cqe_of(const struct ref_case_cqe_log *log, uint64_t ud)
{
	for (unsigned int i = 0; i < log->n && i < REF_CASE_LOG_MAX; i++)
		if (log->cqe[i].user_data == ud)
			return &log->cqe[i];
	return NULL;
}

/* The res of the first logged CQE with this user_data, or REF_CASE_NO_CQE. */
static inline int ref_case_res_of(const struct ref_case_cqe_log *log,
				  uint64_t ud)
{
	const struct io_uring_cqe *cqe = ref_case_cqe_of(log, ud);

	return cqe ? cqe->res : REF_CASE_NO_CQE;
}

/*
 * True when no CQE is ready and none comes within REF_CASE_BRIEF_MS: what
 * was submitted is still pending. A CQE that did come stays in the ring.
 */
static inline bool ref_case_nothing_completes(struct ref_ring *ring)
{
	const struct __kernel_timespec brief = {
		.tv_nsec = REF_CASE_BRIEF_MS * 1000L * 1000L,
	};

	return ref_ring_cq_ready(ring) == 0 &&
	       ref_ring_wait(ring, 1, &brief) == -ETIME;
}

/*
 * Submit the one request prepared on ring and reap its CQE (bounded wait).
 * Returns the res of the CQE with user_data ud; REF_CASE_NO_CQE when the
 * submit did not take exactly one SQE or no CQE with ud came.
 */
static inline int ref_case_run_one(struct ref_ring *ring, uint64_t ud)
{
	struct ref_case_cqe_log log = { 0 };

	if (ref_ring_submit(ring) != 1 || ref_case_reap_until(ring, &log, 1))
		return REF_CASE_NO_CQE;
	return ref_case_res_of(&log, ud);
}

/* ------------------------------------------------------------------ */
/* event-*: a pipe, a ring and a driver                                */
/* ------------------------------------------------------------------ */

/*
 * What most event-* TESTs work on: a pipe (conform_pipe(): p[0] the read
 * end, p[1] the write end), a ring, and a driver on that ring.
 */
struct ref_case_rig {
	int p[2];
	struct ref_ring ring;
	struct ref_driver drv;
};

/*
 * Open the pipe, set up a ring of ring_entries SQEs (kernel defaults) and a
 * driver of max_events slots on it, ASSERTing each step as the TEST would.
 * If a step fails the TEST ends there; what the earlier steps opened goes
 * when the TEST's process exits.
 */
static inline void ref_case_rig_init(struct __test_metadata *_metadata,
				     struct ref_case_rig *rig,
				     unsigned int ring_entries,
				     unsigned int max_events)
{
	ASSERT_EQ(0, conform_pipe(rig->p));
	ASSERT_EQ(0, ref_ring_init(&rig->ring, ring_entries, NULL));
	ASSERT_EQ(0, ref_driver_init(&rig->drv, &rig->ring, max_events));
}

/*
 * Free the driver, then the ring, then close the pipe. The driver goes
 * first: ref_driver_free() cancels and drains what is still in flight,
 * which needs the ring (and the pipe, whose requests it waits for). A pipe
 * end the TEST closed itself is set to -1 and skipped.
 */
static inline void ref_case_rig_free(struct ref_case_rig *rig)
{
	ref_driver_free(&rig->drv);
	ref_ring_free(&rig->ring);
	for (int i = 0; i < 2; i++)
		if (rig->p[i] >= 0)
			close(rig->p[i]);
}

/* ------------------------------------------------------------------ */
/* event-*: running the driver                                         */
/* ------------------------------------------------------------------ */

/*
 * ref_driver_run(drv, min_complete) with the wait bounded by
 * REF_CASE_BOUND_S: the number of CQEs delivered, or -errno (-ETIME when
 * none came).
 */
static inline int ref_case_run(struct ref_driver *drv, unsigned int min_complete)
{
	const struct __kernel_timespec bound = { .tv_sec = REF_CASE_BOUND_S };

	return ref_driver_run(drv, min_complete, &bound);
}

/* Run the driver until nothing is in flight; each wait bounded. 0 or -errno. */
static inline int ref_case_drain(struct ref_driver *drv)
{
	while (drv->in_flight) {
		int ret = ref_case_run(drv, 1);

		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* event-*: a watched cancellation                                     */
/* ------------------------------------------------------------------ */

/*
 * What the driver handed the cancellations made by ref_case_watch(). Each
 * TEST runs in a process of its own, so the counts start at 0 in each.
 */
static struct {
	int completed;			/* CQEs handed to the cancellation */
	int last_res;			/* res and flags of the last of them */
	unsigned int last_flags;
	int cancel_results;		/* calls of cancel_result */
	int cancel_res;			/* its last res */
	int releases;			/* calls of release */
	int completed_at_release;	/* the two counts when release ran */
	int cancel_results_at_release;
} ref_case_seen;

/* The record ref_case_watch() puts around an event type's cancellation. */
struct ref_case_watched {
	struct ref_cancellation inner;
};

static inline void ref_case_watched_completed(void *data,
					      const struct io_uring_cqe *cqe)
{
	struct ref_case_watched *w = data;

	ref_case_seen.completed++;
	ref_case_seen.last_res = cqe->res;
	ref_case_seen.last_flags = cqe->flags;
	if (w->inner.completed)
		w->inner.completed(w->inner.data, cqe);
}

static inline void ref_case_watched_cancel_result(void *data, int res)
{
	struct ref_case_watched *w = data;

	ref_case_seen.cancel_results++;
	ref_case_seen.cancel_res = res;
	if (w->inner.cancel_result)
		w->inner.cancel_result(w->inner.data, res);
}

static inline void ref_case_watched_release(void *data)
{
	struct ref_case_watched *w = data;

	ref_case_seen.releases++;
	ref_case_seen.completed_at_release = ref_case_seen.completed;
	ref_case_seen.cancel_results_at_release = ref_case_seen.cancel_results;
	if (w->inner.release)
		w->inner.release(w->inner.data);
	free(w);
}

/*
 * inner (an event type's cancellation) wrapped so that every call the driver
 * makes on it is recorded in ref_case_seen, then passed on to inner. The
 * wrapper frees itself in release, so ASan and valgrind also see whether
 * the driver releases exactly once.
 */
static inline struct ref_cancellation ref_case_watch(struct ref_cancellation inner)
{
	struct ref_case_watched *w = malloc(sizeof(*w));
	struct ref_cancellation c = {
		.data = w, .completed = ref_case_watched_completed,
		.cancel_result = ref_case_watched_cancel_result,
		.release = ref_case_watched_release,
	};

	if (!w)
		abort();
	w->inner = inner;
	return c;
}

/* The ops whose cancel() ref_case_watched_ops() wraps. */
static const struct ref_event_ops *ref_case_watched_base;

static inline struct ref_cancellation ref_case_watched_cancel(void *event)
{
	return ref_case_watch(ref_case_watched_base->cancel(event));
}

/*
 * A copy of base (e.g. &ref_read_ops) whose cancel() is watched through
 * ref_case_watch(). cancel() has no argument to say which base it wraps,
 * so one base per TEST: the last one given here.
 */
static inline struct ref_event_ops
ref_case_watched_ops(const struct ref_event_ops *base)
{
	struct ref_event_ops ops = *base;

	ref_case_watched_base = base;
	ops.cancel = ref_case_watched_cancel;
	return ops;
}

/* ------------------------------------------------------------------ */
/* event-*: a NOP event                                                */
/* ------------------------------------------------------------------ */

/* An IORING_OP_NOP event that records its completions (NOP since 5.1). */
struct ref_case_nop_event {
	unsigned int calls;	/* complete() calls */
	int res;		/* res of the last */
};

static inline void ref_case_nop_prepare(void *event, struct io_uring_sqe *sqe)
{
	(void)event;
	sqe->opcode = IORING_OP_NOP;
}

static inline void ref_case_nop_complete(void *event,
					 const struct io_uring_cqe *cqe)
{
	struct ref_case_nop_event *ev = event;

	ev->calls++;
	ev->res = cqe->res;
}

/* A NOP holds nothing the kernel could touch: an empty cancellation. */
static inline struct ref_cancellation ref_case_nop_cancel(void *event)
{
	struct ref_cancellation c = { 0 };

	(void)event;
	return c;
}

static const struct ref_event_ops ref_case_nop_ops = {
	.prepare = ref_case_nop_prepare,
	.complete = ref_case_nop_complete,
	.cancel = ref_case_nop_cancel,
};

/* ------------------------------------------------------------------ */
/* Not about ref/ (candidates for conform.h)                           */
/* ------------------------------------------------------------------ */

/* *addr = the AF_UNIX address <tmpdir>/name. 0, or -1 if it does not fit. */
static inline int ref_case_unix_addr(struct sockaddr_un *addr, const char *name)
{
	char path[300];

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	conform_tmppath(path, sizeof(path), name);
	if (strlen(path) >= sizeof(addr->sun_path))
		return -1;
	memcpy(addr->sun_path, path, strlen(path) + 1);
	return 0;
}

/*
 * An AF_UNIX stream socket bound to <tmpdir>/name and listening (backlog
 * 8), *addr set to its address; a socket file of that name left by an
 * earlier test of the program is removed first. Works without a network
 * (e.g. in an initramfs). The fd, or -1.
 */
static inline int ref_case_unix_listener(const char *name,
					 struct sockaddr_un *addr)
{
	int fd;

	if (ref_case_unix_addr(addr, name))
		return -1;
	unlink(addr->sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) < 0 ||
	    listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Open fds among 0..1023, by fcntl(F_GETFD): needs no /proc. */
static inline int ref_case_count_open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* /proc/self/task/<tid>/<name> into buf (NUL-terminated); true if it read. */
static inline bool ref_case_read_task_file(const char *tid, const char *name,
					   char *buf, size_t len)
{
	char path[300];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%s/%s", tid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0;
}

/*
 * Wait until an io-wq worker of this process (a thread named iou-wrk-*;
 * workers are threads of the process since 5.12, IORING_FEAT_NATIVE_WORKERS)
 * sleeps in the kernel function `where`. /proc/self/task/<tid>/wchan names
 * that function where the kernel can tell; x86 kernels built with the ORC
 * unwinder (no frame pointers) could not before 5.16 and print "0" for every
 * task (Debian's 5.10 does: its workers are threads, iou-wrk-*, and
 * /proc/<tid>/stack shows them in `where`, but wchan reads "0"). So when
 * wchan reads "0", the first frame of /proc/self/task/<tid>/stack is taken
 * instead; that file is readable by root only, so without root such a
 * kernel shows nothing. Polls with sched_yield() for up to 2 s (the bound
 * guards against a hang). 1 when seen; 0 when not, with what was seen last
 * in seen[] (len bytes, NUL-terminated; seen may be NULL with len 0) for the
 * caller's skip reason: no iou-wrk-* thread, its wchan, "0" and its stack
 * top, or which /proc file could not be read. Callers skip on 0, with a
 * reason that starts with CONFORM_UNSEEN (seen[] is only its detail).
 */
static inline int ref_case_wait_worker_asleep_in(const char *where,
						 char *seen, size_t len)
{
	size_t wlen = strlen(where);
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		DIR *dir = opendir("/proc/self/task");
		struct dirent *de;
		int workers = 0;

		if (!dir) {
			snprintf(seen, len, "/proc/self/task: %s",
				 strerror(errno));
			return 0;
		}
		while ((de = readdir(dir))) {
			char comm[32], wchan[64], stack[512];
			const char *top;

			if (de->d_name[0] == '.' ||
			    !ref_case_read_task_file(de->d_name, "comm", comm,
						     sizeof(comm)) ||
			    strncmp(comm, "iou-wrk-", 8))
				continue;
			workers++;
			if (!ref_case_read_task_file(de->d_name, "wchan", wchan,
						     sizeof(wchan))) {
				snprintf(seen, len, "iou-wrk-* %.15s: wchan "
					 "unreadable", de->d_name);
				continue;
			}
			if (!strcmp(wchan, where)) {
				closedir(dir);
				return 1;
			}
			if (strcmp(wchan, "0")) {
				snprintf(seen, len, "iou-wrk-* wchan \"%.60s\"",
					 wchan);
				continue;
			}
			if (!ref_case_read_task_file(de->d_name, "stack", stack,
						     sizeof(stack))) {
				snprintf(seen, len, "iou-wrk-* wchan \"0\", "
					 "/proc/self/task/<tid>/stack unreadable "
					 "(root only)");
				continue;
			}
			/* "[<0>] pipe_wait_readable+0xd5/0xf0": the symbol. */
			stack[strcspn(stack, "\n")] = '\0';
			top = strstr(stack, "] ");
			top = top ? top + 2 : stack;
			if (!strncmp(top, where, wlen) && top[wlen] == '+') {
				closedir(dir);
				return 1;
			}
			snprintf(seen, len, "iou-wrk-* wchan \"0\", stack top "
				 "\"%.80s\"", top);
		}
		closedir(dir);
		if (!workers)
			snprintf(seen, len, "no iou-wrk-* thread in "
				 "/proc/self/task");
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 2)
			return 0;
		sched_yield();
	}
}

#endif /* AIOCONF_CONFORM_REF_H */
