/* SPDX-License-Identifier: MIT */
/*
 * conform_ref_paio.h - what the cases/ref/paio-* programs share on top of
 * conform_ref.h and conform_posix_aio.h: control blocks for ref/paio, a
 * bounded wait for one request, running one request to its end through
 * ref/paio and through glibc (for differentials), and a read forced to
 * sleep in an io-wq worker. None of them asserts anything.
 */
#ifndef AIOCONF_CONFORM_REF_PAIO_H
#define AIOCONF_CONFORM_REF_PAIO_H

#include <sys/inotify.h>
#include <sys/stat.h>

#include "conform_ref.h"
#include "conform_posix_aio.h"

#include "ref/paio.h"

/* A zeroed ref control block: op (LIO_READ, LIO_WRITE, LIO_NOP) on fd, len
 * bytes of buf at offset off. Zeroing starts the private state empty. */
static inline struct ref_aiocb ref_paio_case_cb(int op, int fd, void *buf,
						size_t len, off_t off)
{
	struct ref_aiocb cb = {
		.fd = fd, .buf = buf, .nbytes = len, .offset = off,
		.lio_opcode = op,
	};

	return cb;
}

/*
 * Wait until cb is no longer in progress, with ref_paio_suspend (each wait
 * bounded by REF_CASE_BOUND_S: a guard against a hang). 0, or suspend's
 * error (-EAGAIN when it did not end in time, -EINTR).
 */
static inline int ref_paio_case_wait_done(struct ref_paio *ctx,
					  struct ref_aiocb *cb)
{
	const struct timespec bound = { .tv_sec = REF_CASE_BOUND_S };
	const struct ref_aiocb *list[1] = { cb };

	while (ref_paio_error(ctx, cb) == EINPROGRESS) {
		int ret = ref_paio_suspend(ctx, list, 1, &bound);

		if (ret < 0)
			return ret;
	}
	return 0;
}

/* What a request ended with: aio_error's and aio_return's answers. */
struct paio_case_outcome {
	int err;	/* 0 or the positive error number */
	ssize_t ret;	/* the byte count, or -1 */
};

/* The kinds of request the runners below know. */
enum paio_case_kind { PAIO_READ, PAIO_WRITE, PAIO_SYNC, PAIO_DSYNC };

/*
 * Queue cb as kind through ref/paio, wait for its end, and take its error
 * and return value into *out. 0; the queueing call's error (nothing
 * queued, *out untouched); or -ETIME when it did not end in time.
 */
static inline int ref_paio_case_run(struct ref_paio *ctx,
				    enum paio_case_kind kind,
				    struct ref_aiocb *cb,
				    struct paio_case_outcome *out)
{
	int ret;

	switch (kind) {
	case PAIO_READ:
		ret = ref_paio_read(ctx, cb);
		break;
	case PAIO_WRITE:
		ret = ref_paio_write(ctx, cb);
		break;
	default:
		ret = ref_paio_fsync(ctx, kind == PAIO_SYNC ? O_SYNC : O_DSYNC,
				     cb);
		break;
	}
	if (ret < 0)
		return ret;
	if (ref_paio_case_wait_done(ctx, cb) < 0)
		return -ETIME;
	out->err = ref_paio_error(ctx, cb);
	return ref_paio_return(ctx, cb, &out->ret);
}

/*
 * The same through glibc's aio_read/aio_write/aio_fsync. 0; -errno of
 * the queueing call (nothing queued); or -ETIME when it did not end.
 */
static inline int posix_aio_case_run(enum paio_case_kind kind,
				     struct aiocb *cb,
				     struct paio_case_outcome *out)
{
	int ret;

	switch (kind) {
	case PAIO_READ:
		ret = aio_read(cb);
		break;
	case PAIO_WRITE:
		ret = aio_write(cb);
		break;
	default:
		ret = aio_fsync(kind == PAIO_SYNC ? O_SYNC : O_DSYNC, cb);
		break;
	}
	if (ret < 0)
		return -errno;
	if (posix_aio_wait_done(cb) < 0)
		return -ETIME;
	out->err = aio_error(cb);
	out->ret = aio_return(cb);
	return 0;
}

/* ------------------------------------------------------------------ */
/* a read asleep in an io-wq worker                                    */
/* ------------------------------------------------------------------ */

/*
 * Two reads of one inotify fd (watching a directory in the private dir),
 * and one event to share. Reads of an inotify fd are polled by io_uring and,
 * once the poll fires, reissued in an io-wq worker, where they block:
 * the kernel has no non-blocking read for that file (no FMODE_NOWAIT, 6.18).
 * The event wakes both polls; one read takes it, the other sleeps in its
 * worker (wchan wait_woken) on the now empty queue.
 */
struct paio_case_iowq {
	int fd;			/* the inotify fd */
	char dir[300];
	unsigned char buf[2][256];
	struct ref_aiocb cb[2];
	struct ref_aiocb *done, *sleeping;	/* which is which */
	char why[160];		/* not seen asleep: what was seen instead */
};

/*
 * Set that up on ctx and wait (bounded) until one read is done and the
 * other is seen asleep in a worker (ref_case_wait_worker_asleep_in(), which
 * reads wchan and, where wchan reads "0", the top of /proc stack). 1 when
 * seen; 0 when not, with w->why saying what was seen instead, the detail
 * of the caller's skip reason (which starts with CONFORM_UNSEEN): the
 * second read was not in progress, or no worker was seen asleep in
 * wait_woken (wchan reads "0" on some kernels, e.g. Debian's 5.10 with the
 * ORC unwinder, and the stack fallback needs root; no iou-wrk-* thread;
 * /proc missing; or the kernel blocks elsewhere); -1 when a step failed.
 * On 0 the reads are still in progress or done; the caller cleans up with
 * paio_case_iowq_end after ref_paio_free or cancel.
 */
static inline int paio_case_iowq_start(struct ref_paio *ctx,
				       struct paio_case_iowq *w)
{
	const struct ref_aiocb *list[2];
	const struct timespec bound = { .tv_sec = REF_CASE_BOUND_S };
	char path[340];
	int fd;

	memset(w, 0, sizeof(*w));
	conform_tmppath(w->dir, sizeof(w->dir), "iowq-dir");
	if (mkdir(w->dir, 0700) < 0 && errno != EEXIST)
		return -1;
	w->fd = inotify_init1(IN_CLOEXEC);
	if (w->fd < 0 || inotify_add_watch(w->fd, w->dir, IN_CREATE) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		w->cb[i] = ref_paio_case_cb(LIO_READ, w->fd, w->buf[i],
					    sizeof(w->buf[i]), 0);
		if (ref_paio_read(ctx, &w->cb[i]) < 0)
			return -1;
		list[i] = &w->cb[i];
	}
	snprintf(path, sizeof(path), "%s/created", w->dir);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	if (ref_paio_suspend(ctx, list, 2, &bound) < 0)
		return -1;
	if (ref_paio_error(ctx, &w->cb[0]) != EINPROGRESS) {
		w->done = &w->cb[0];
		w->sleeping = &w->cb[1];
	} else {
		w->done = &w->cb[1];
		w->sleeping = &w->cb[0];
	}
	if (ref_paio_error(ctx, w->sleeping) != EINPROGRESS) {
		snprintf(w->why, sizeof(w->why), "the second inotify read was "
			 "not in progress (aio_error %d)",
			 ref_paio_error(ctx, w->sleeping));
		return 0;
	}
	return ref_case_wait_worker_asleep_in("wait_woken", w->why,
					      sizeof(w->why));
}

static inline void paio_case_iowq_end(struct paio_case_iowq *w)
{
	if (w->fd > 0)
		close(w->fd);
	rmdir(w->dir);
}

#endif /* AIOCONF_CONFORM_REF_PAIO_H */
