/* SPDX-License-Identifier: MIT */
/*
 * ref/paio.h - POSIX AIO (aio_read, aio_write, aio_fsync, aio_error,
 * aio_return, aio_cancel, aio_suspend, lio_listio) on a ref/ring io_uring.
 *
 * glibc runs POSIX AIO in its own worker threads with pread/pwrite; here the
 * kernel does the work: each request is one io_uring SQE, each result one
 * CQE, and a cancel is an IORING_OP_ASYNC_CANCEL. The POSIX names and
 * constants of <aio.h> are reused (LIO_READ, AIO_CANCELED, ...).
 *
 * Conventions (as in ref/ring.h): functions return 0 (or a value) or a
 * negative errno and never set errno. Where POSIX answers with a positive
 * error number (aio_error) so does ref_paio_error; its own failures are
 * negative. Nothing here is async-signal-safe (POSIX's aio_error,
 * aio_return and aio_suspend are): do not call ref_paio_* from a signal
 * handler.
 *
 * Threads: calls on one context may come from several threads; a lock in
 * the context takes them one at a time. Completions are collected by
 * whichever call comes next, and, once a request asking for a notification
 * has been queued, by a watcher thread the context starts for that (so a
 * notification comes even while nobody calls in). A request belongs to the
 * thread that queued it in the kernel's eyes (io_uring runs its blocking
 * work in that thread's io-wq): queue from threads that outlive their
 * requests, or a request may end ECANCELED or EINTR when its thread exits.
 *
 * Notifications (struct sigevent, as aio_sigevent): SIGEV_NONE; SIGEV_SIGNAL
 * queues sigev_signo to the process with si_code SI_ASYNCIO, si_value
 * sigev_value, si_pid and si_uid of the process (signal 0, what a zeroed
 * block holds, sends nothing, as in glibc); SIGEV_THREAD calls
 * sigev_notify_function(sigev_value) in a new thread, made with
 * sigev_notify_attributes (kept alive by the caller until then) or, when
 * NULL, detached, and with no signal blocked (as glibc). A notification
 * comes after the request's status is final, so aio_error in it tells.
 * While a ref_paio_* call runs, the calling thread blocks every signal (a
 * signal sent meanwhile, our notifications included, waits until the call
 * returns), except inside the waits of ref_paio_suspend and of
 * ref_paio_lio_listio(LIO_WAIT), which take signals as POSIX has them.
 *
 * Life of a control block, as POSIX has it:
 *   queued (error EINPROGRESS) -> done (error 0 or an errno)
 *     -> returned (ref_paio_return took the result; the block may be reused)
 * While a request is in progress its control block and buffer belong to it
 * (the kernel writes the buffer until the request's CQE): do not touch,
 * reuse or free either, until ref_paio_error says it is done, or
 * ref_paio_free has returned.
 */
#ifndef REF_PAIO_H
#define REF_PAIO_H

#include <aio.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ref/ring.h"

struct ref_paio_group;		/* private to ref/paio.c: a list's notice */

/*
 * A request, like struct aiocb. The caller fills the fields above priv;
 * zero the whole block before its first use (e.g. = { .fd = ... }), so that
 * the private state starts as "nothing queued" (and the notification is
 * signal 0: none).
 */
struct ref_aiocb {
	int fd;
	void *buf;
	size_t nbytes;		/* at most UINT_MAX (an SQE's len is 32 bits) */
	off_t offset;		/* absolute, >= 0 */
	int lio_opcode;		/* LIO_READ, LIO_WRITE or LIO_NOP (lio_listio) */
	int reqprio;		/* 0 .. AIO_PRIO_DELTA_MAX, as aio_reqprio */
	struct sigevent sigev;	/* what to do when it ends, as aio_sigevent */

	struct {		/* private to ref/paio.c */
		int state;
		int res;		/* the result: a count or -errno */
		int cancel_res;		/* own result of our ASYNC_CANCEL */
		bool cancel_sent;
		unsigned int owed;	/* CQEs still due: request, cancel */
		uint8_t opcode;		/* IORING_OP_READ, _WRITE, _FSYNC */
		unsigned int fsync_flags;
		struct sigevent notice;	/* sigev as it was when queued */
		struct ref_paio_group *group;	/* its lio_listio's, if any */
		bool due;		/* a notice (own, group's) is owed */
		struct ref_aiocb *prev, *next;	/* the context's queue */
		struct ref_aiocb *cancel_next;	/* targets of one cancel */
		struct ref_aiocb *due_next;	/* the context's due notices */
	} priv;
};

/* What the kernel answered to our cancels (for readers and tests). */
struct ref_paio_stats {
	uint64_t cancel_found;		/* ASYNC_CANCEL gave 0 */
	uint64_t cancel_running;	/* -EALREADY */
	uint64_t cancel_not_found;	/* -ENOENT */
	uint64_t interrupted;		/* cancelled targets that ended -EINTR */
};

struct ref_paio {
	struct ref_ring ring;
	unsigned int max;		/* requests in progress at most */
	unsigned int in_progress;	/* queued, not yet done */
	unsigned int owed;		/* CQEs the kernel still owes us */
	struct ref_aiocb *head, *tail;	/* requests in progress, oldest first */
	struct ref_aiocb *due_head, *due_tail;	/* done, notice not yet given */
	struct ref_paio_stats stats;
	pthread_mutex_t lock;		/* one call at a time */
	const sigset_t *caller_mask;	/* during a call: the caller's mask */
	bool watching;			/* the watcher thread runs */
	pthread_t watcher;
	int stop_fd;			/* an eventfd: the watcher's stop */
};

/* ---- life cycle ---- */

/*
 * A context for up to max requests in progress (1 .. 4096), on a ring of its
 * own. 0, -EINVAL for a bad max, or ref_ring_init's error (-ENOSYS,
 * -EPERM when io_uring is disabled, ...). Needs IORING_OP_READ/WRITE (5.6).
 */
int ref_paio_init(struct ref_paio *ctx, unsigned int max);

/*
 * Cancel every request in progress, wait until the kernel has completed
 * each one (the final CQE: only then are its buffer and control block no
 * longer written), then free the ring. Afterwards each of those control
 * blocks is done (ECANCELED, or the result it reached first), and
 * ref_paio_error/ref_paio_return still read it: for a done block they
 * touch nothing else. Their notifications are given before it returns
 * (POSIX: a cancelled request notifies), then the watcher is stopped. Call
 * it in the thread that called ref_paio_init (see ref_ring_free), with no
 * other call on the context running or to come but those two. A second
 * call does nothing.
 */
void ref_paio_free(struct ref_paio *ctx);

/* ---- queueing: 0, or a negative errno and nothing queued ---- */

/*
 * aio_read / aio_write: read or write cb->nbytes at cb->offset. The result
 * comes later (ref_paio_error), and cb->sigev says how to be told. Errors
 * at once: -EBUSY when cb is still in progress; -EINVAL for a negative
 * offset, nbytes > UINT_MAX, reqprio outside 0 .. AIO_PRIO_DELTA_MAX, or a
 * notification ref cannot give (a sigev_notify other than the three, a
 * signal number no signal has, SIGEV_THREAD without a function: glibc
 * takes these and later replaces the request's status with EINVAL);
 * -EAGAIN when max requests are in progress or the watcher thread could
 * not start. A bad fd, or one not open for the transfer, is reported later
 * (error EBADF), as glibc does. reqprio is checked, as glibc does, and
 * otherwise unused: io_uring starts every request at once, so there is no
 * queue in which to put one behind another. A notification that cannot be
 * given (the signal queue is full, no thread could be made) replaces the
 * request's status with that error (EAGAIN), as glibc does.
 */
int ref_paio_read(struct ref_paio *ctx, struct ref_aiocb *cb);
int ref_paio_write(struct ref_paio *ctx, struct ref_aiocb *cb);

/*
 * aio_fsync: op O_SYNC (fsync) or O_DSYNC (fdatasync) of cb->fd; only fd,
 * reqprio and sigev are read from cb. The sync runs only after every request queued earlier on
 * that fd is done (POSIX: it covers the I/O queued before it); until then
 * ref holds it back. Errors at once: -EINVAL for another op, -EBADF for a
 * bad fd, and those of ref_paio_read.
 */
int ref_paio_fsync(struct ref_paio *ctx, int op, struct ref_aiocb *cb);

/*
 * lio_listio: queue each non-NULL entry by its lio_opcode (LIO_NOP
 * entries are skipped). LIO_NOWAIT returns once all are queued; then sig
 * (NULL: none) is given once every queued entry is done, or at once when
 * none was queued. LIO_WAIT ignores sig and waits until all are done: 0 if
 * every one succeeded, -EIO if any failed (its own error says why), -EINTR
 * if a signal arrived first (the requests go on). In both modes each entry
 * also gives its own sigev, as in glibc. Checked first, with nothing queued
 * on failure: -EINVAL for another mode, n < 0, or an entry whose opcode or
 * fields are bad, or a bad sig with LIO_NOWAIT; -EBUSY for an entry still
 * in progress; -EAGAIN when the entries do not fit under max (or no memory
 * for sig's bookkeeping, or no watcher thread). An entry must appear once.
 */
int ref_paio_lio_listio(struct ref_paio *ctx, int mode,
			struct ref_aiocb *const list[], int n,
			const struct sigevent *sig);

/* ---- status ---- */

/*
 * aio_error: EINPROGRESS while the request runs, then 0 or its positive
 * error number (ECANCELED when cancelled). -EINVAL when cb holds no status:
 * never queued, or ref_paio_return already took it.
 */
int ref_paio_error(struct ref_paio *ctx, struct ref_aiocb *cb);

/*
 * aio_return: once done, *value = the byte count (0 for a sync), or -1 when
 * the request failed or was cancelled; returns 0 and the status is gone
 * (cb may be queued again). POSIX leaves a call before completion, or a
 * second call, undefined; here they fail and change nothing: -EINPROGRESS
 * while in progress, -EINVAL when there is no status (glibc returns the
 * stale value again instead).
 */
int ref_paio_return(struct ref_paio *ctx, struct ref_aiocb *cb,
		    ssize_t *value);

/* ---- cancel and wait ---- */

/*
 * aio_cancel(fd, cb), or every request on fd when cb is NULL. Returns
 * AIO_CANCELED (each request asked about was cancelled: its error is
 * ECANCELED, its return -1), AIO_NOTCANCELED (at least one was running and
 * ran to its end), AIO_ALLDONE (all were done already, or none was in
 * progress); -EBADF for a bad fd; -EINVAL when cb->fd is not fd. Unlike
 * glibc it returns only once every request asked about is done, so their
 * error already tells; and it can cancel a request that is running in the
 * kernel (glibc cannot stop a worker's pread).
 */
int ref_paio_cancel(struct ref_paio *ctx, int fd, struct ref_aiocb *cb);

/*
 * aio_suspend: 0 as soon as one listed request is done (at once if one
 * already is; a block with no status counts as done), -EAGAIN when timeout
 * (relative; NULL: none) passes first, -EINTR when a signal handler runs.
 * NULL entries are ignored; a list with none at all returns 0 at once, as
 * glibc does. -EINVAL for n < 0.
 */
int ref_paio_suspend(struct ref_paio *ctx, const struct ref_aiocb *const list[],
		     int n, const struct timespec *timeout);

#endif /* REF_PAIO_H */
