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
 * negative. There is no thread inside: completions are collected whenever a
 * ref_paio_* function is called on the context. A context is used by one
 * thread at a time, and nothing here is async-signal-safe (POSIX's
 * aio_error, aio_return and aio_suspend are). No sigevent notification:
 * wait with ref_paio_suspend, or look with ref_paio_error.
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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ref/ring.h"

/*
 * A request, like struct aiocb. The caller fills the first five fields;
 * zero the whole block before its first use (e.g. = { .fd = ... }), so that
 * the private state starts as "nothing queued".
 */
struct ref_aiocb {
	int fd;
	void *buf;
	size_t nbytes;		/* at most UINT_MAX (an SQE's len is 32 bits) */
	off_t offset;		/* absolute, >= 0 */
	int lio_opcode;		/* LIO_READ, LIO_WRITE or LIO_NOP (lio_listio) */

	struct {		/* private to ref/paio.c */
		int state;
		int res;		/* the result: a count or -errno */
		int cancel_res;		/* own result of our ASYNC_CANCEL */
		bool cancel_sent;
		unsigned int owed;	/* CQEs still due: request, cancel */
		uint8_t opcode;		/* IORING_OP_READ, _WRITE, _FSYNC */
		unsigned int fsync_flags;
		struct ref_aiocb *prev, *next;	/* the context's queue */
		struct ref_aiocb *cancel_next;	/* targets of one cancel */
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
	struct ref_paio_stats stats;
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
 * touch nothing else. Call it in the thread that called ref_paio_init (see
 * ref_ring_free). A second call does nothing.
 */
void ref_paio_free(struct ref_paio *ctx);

/* ---- queueing: 0, or a negative errno and nothing queued ---- */

/*
 * aio_read / aio_write: read or write cb->nbytes at cb->offset. The result
 * comes later (ref_paio_error). Errors at once: -EBUSY when cb is still in
 * progress, -EINVAL for a negative offset or nbytes > UINT_MAX, -EAGAIN when
 * max requests are in progress. A bad fd, or one not open for the transfer,
 * is reported later (error EBADF), as glibc does.
 */
int ref_paio_read(struct ref_paio *ctx, struct ref_aiocb *cb);
int ref_paio_write(struct ref_paio *ctx, struct ref_aiocb *cb);

/*
 * aio_fsync: op O_SYNC (fsync) or O_DSYNC (fdatasync) of cb->fd; only fd
 * is read from cb. The sync runs only after every request queued earlier on
 * that fd is done (POSIX: it covers the I/O queued before it); until then
 * ref holds it back. Errors at once: -EINVAL for another op, -EBADF for a
 * bad fd, and those of ref_paio_read.
 */
int ref_paio_fsync(struct ref_paio *ctx, int op, struct ref_aiocb *cb);

/*
 * lio_listio: queue each non-NULL entry by its lio_opcode (LIO_NOP
 * entries are skipped). LIO_NOWAIT returns once all are queued; LIO_WAIT
 * then waits until all are done: 0 if every one succeeded, -EIO if any
 * failed (its own error says why), -EINTR if a signal arrived first (the
 * requests go on). Checked first, with nothing queued on failure: -EINVAL
 * for another mode, n < 0, or an entry whose opcode or fields are bad;
 * -EBUSY for an entry still in progress; -EAGAIN when the entries do not fit
 * under max. An entry must appear once.
 */
int ref_paio_lio_listio(struct ref_paio *ctx, int mode,
			struct ref_aiocb *const list[], int n);

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
