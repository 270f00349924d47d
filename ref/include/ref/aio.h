/* SPDX-License-Identifier: MIT */
/*
 * ref/aio.h - a Linux native AIO context on the raw system calls (io_setup,
 * io_submit, io_getevents, io_cancel, io_destroy), written to be read.
 *
 * Conventions, as in ref/ring.h:
 * - functions that can fail return 0 (or a count) or a negative errno, like
 *   the kernel; nothing sets errno;
 * - every ref_aio_prep_* zeroes the whole iocb and takes the request's user
 *   data last; the kernel hands that back in io_event.data, and the iocb's
 *   address in io_event.obj.
 *
 * What is asynchronous: only O_DIRECT transfers on files and devices that
 * support them, and IOCB_CMD_POLL. A buffered read or write, an fsync, or a
 * read of an empty pipe is done inside io_submit, which returns only once it
 * is finished (its event is then already in the ring). To have something
 * pending in a test, poll an empty pipe.
 *
 * <linux/aio_abi.h> and <libaio.h> both define struct iocb and struct
 * io_event: this header uses the kernel's, so a file that includes it
 * cannot include <libaio.h>.
 *
 * The rules a context obeys (../shared/DESIGN.md sections 6 and 7) are
 * stated in aio.c, and here where the caller must obey them too.
 */
#ifndef REF_AIO_H
#define REF_AIO_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <linux/aio_abi.h>

/*
 * The completion ring io_setup maps at the context address (fs/aio.c struct
 * aio_ring, the user ABI). The kernel writes events at tail and moves tail;
 * the reaper reads events at head and moves head. Both are indices in
 * [0, nr), and nr is not a power of two.
 */
struct ref_aio_ring {
	unsigned int id;		/* the kernel's own index; not ours */
	unsigned int nr;		/* slots in io_events[] */
	unsigned int head;		/* next event to reap: the reaper moves it */
	unsigned int tail;		/* next slot to fill: the kernel moves it */
	unsigned int magic;		/* REF_AIO_RING_MAGIC */
	unsigned int compat_features;
	unsigned int incompat_features;	/* must be 0 */
	unsigned int header_length;	/* must be sizeof(struct ref_aio_ring) */
	struct io_event io_events[];
};

#define REF_AIO_RING_MAGIC 0xa10a10a1U

struct ref_aio {
	aio_context_t id;	/* what io_setup wrote: the ring's address */
	/* The ring header at id. Reaping goes through this pointer only, so a
	 * test may point it at a ring of its own making. */
	struct ref_aio_ring *ring;
	/* The ring's size as its header says it: often more than asked (the
	 * kernel rounds up to whole pages and scales with the CPU count). */
	unsigned int nr_events;
};

/* ---- life cycle ---- */

/*
 * io_setup for at least nr_events events. 0, or the kernel's error: -EINVAL
 * (0, or more than the kernel's cap), -EAGAIN (beyond fs.aio-max-nr),
 * -ENOSYS (no CONFIG_AIO), -ENOMEM. ctx->nr_events is what the ring holds.
 */
int ref_aio_init(struct ref_aio *ctx, unsigned int nr_events);

/*
 * io_destroy. It cancels what can be cancelled (polls), then BLOCKS until
 * every request in flight has completed: a read or write that never
 * finishes keeps it waiting. Events not reaped are dropped with the ring,
 * which is unmapped. Once it returns, the kernel no longer touches any
 * iocb, buffer or eventfd of the context. 0 or -EINVAL (not a live
 * context); *ctx is cleared either way.
 */
int ref_aio_free(struct ref_aio *ctx);

/* ---- requests ---- */

/* The fields every request has; all others zero. Others (aio_rw_flags
 * RWF_*, aio_reqprio with IOCB_FLAG_IOPRIO) may be set after the prep.
 * Rule: zero the whole iocb before each use: a field left over from an
 * earlier request changes the new one (a stale IOCB_FLAG_RESFD, offset or
 * aio_rw_flags), and a non-zero aio_reserved2 is refused with -EINVAL. */
static inline void ref_aio_prep(struct iocb *cb, unsigned int opcode, int fd,
				uint64_t buf, uint64_t nbytes, int64_t offset,
				uint64_t data)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = (__u16)opcode;
	cb->aio_fildes = (__u32)fd;
	cb->aio_buf = buf;
	cb->aio_nbytes = nbytes;
	cb->aio_offset = offset;
	cb->aio_data = data;
}

/* pread(2)/pwrite(2) of len bytes at offset; res is the byte count or -errno. */
static inline void ref_aio_prep_pread(struct iocb *cb, int fd, void *buf,
				      size_t len, int64_t offset, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_PREAD, fd, (uintptr_t)buf, len, offset, data);
}

static inline void ref_aio_prep_pwrite(struct iocb *cb, int fd, const void *buf,
				       size_t len, int64_t offset, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_PWRITE, fd, (uintptr_t)buf, len, offset, data);
}

/* preadv(2)/pwritev(2): aio_buf is the iovec array, aio_nbytes its length.
 * io_submit copies the array; the buffers it names are the kernel's until
 * the event. */
static inline void ref_aio_prep_preadv(struct iocb *cb, int fd,
				       const struct iovec *iov, int iovcnt,
				       int64_t offset, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_PREADV, fd, (uintptr_t)iov, (uint64_t)iovcnt,
		     offset, data);
}

static inline void ref_aio_prep_pwritev(struct iocb *cb, int fd,
					const struct iovec *iov, int iovcnt,
					int64_t offset, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_PWRITEV, fd, (uintptr_t)iov, (uint64_t)iovcnt,
		     offset, data);
}

/* fsync(2)/fdatasync(2) as a request (Linux 4.18; -EINVAL before). */
static inline void ref_aio_prep_fsync(struct iocb *cb, int fd, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_FSYNC, fd, 0, 0, 0, data);
}

static inline void ref_aio_prep_fdsync(struct iocb *cb, int fd, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_FDSYNC, fd, 0, 0, 0, data);
}

/*
 * A one-shot poll(2) for events (POLLIN...; Linux 4.18). res is the ready
 * mask; POLLERR and POLLHUP are always added. Rule: the mask travels in
 * aio_buf and must fit 16 bits; offset, nbytes and aio_rw_flags stay 0.
 */
static inline void ref_aio_prep_poll(struct iocb *cb, int fd,
				     unsigned int events, uint64_t data)
{
	ref_aio_prep(cb, IOCB_CMD_POLL, fd, events, 0, 0, data);
}

/* Also add 1 to eventfd efd when the request completes (IOCB_FLAG_RESFD,
 * 2.6.22), whatever its result. Call after the prep. */
static inline void ref_aio_set_eventfd(struct iocb *cb, int efd)
{
	cb->aio_flags |= IOCB_FLAG_RESFD;
	cb->aio_resfd = (__u32)efd;
}

/* ---- submission ---- */

/*
 * io_submit of cbs[0..n). Returns how many the kernel took, counted from
 * cbs[0]; or -errno when it took none.
 * Rule (io_submit's partial submission): the kernel takes iocbs in order
 * and stops at the first it rejects. It returns an error only when that is
 * cbs[0]; otherwise it returns the count and the error is lost. So when
 * ret < n, cbs[ret] and all after it were NOT submitted: the caller owns
 * them still, and submitting cbs + ret again either takes them (the kernel
 * was only out of room: -EAGAIN then means "reap, then retry") or returns
 * cbs[ret]'s error. The kernel also takes at most nr_events per call.
 * Each iocb taken will produce exactly one event; until then it and its
 * buffers belong to the kernel.
 */
int ref_aio_submit(struct ref_aio *ctx, struct iocb **cbs, unsigned int n);

/* ---- completion ---- */

/* True when the reaper may read this ring: magic REF_AIO_RING_MAGIC,
 * incompat_features 0 and header_length 32 (the Rule is in aio.c). */
bool ref_aio_ring_usable(const struct ref_aio_ring *ring);

/*
 * Reap up to nr events from the ring header ring into ev, without a system
 * call. The count (0: none ready), or -EOPNOTSUPP when the header does not
 * pass ref_aio_ring_usable (or head/tail are out of range): then the ring
 * is left untouched and the caller must use io_getevents. Takes any memory
 * laid out as a ring, so it can be tested without the kernel.
 */
int ref_aio_ring_reap(struct ref_aio_ring *ring, struct io_event *ev,
		      unsigned int nr);

/*
 * Reap up to nr ready events without waiting: from the user-space ring,
 * or, when its header does not pass, io_getevents with a zero timeout.
 * The count, or -errno.
 * Rule: one reaper at a time. Reaping the ring takes no lock, while
 * io_getevents takes the kernel's: two threads reaping at once, by either
 * path, can both take the same event. The caller serialises reaping.
 */
int ref_aio_reap(struct ref_aio *ctx, struct io_event *ev, unsigned int nr);

/*
 * Wait until at least min_nr events are reaped into ev (at most nr), or
 * *timeout has passed (relative; NULL: no limit). Ready events come from
 * the ring first; the rest from io_getevents. Returns the count, which is
 * below min_nr only when the timeout expired (0: none came); or -errno:
 * -EINVAL (min_nr > nr, a timeout out of range, not a live context).
 * An interrupted wait (-EINTR) is resumed with what is left of the timeout.
 * Events already reaped are never dropped: an error after some were
 * reaped returns their count.
 */
int ref_aio_wait(struct ref_aio *ctx, struct io_event *ev, unsigned int min_nr,
		 unsigned int nr, const struct timespec *timeout);

/* ---- cancellation ---- */

/*
 * io_cancel of a submitted iocb.
 * Rule: only a request that registered a cancel method can be cancelled:
 * IOCB_CMD_POLL (and the reads and writes of a few drivers, e.g. USB
 * functionfs). Reads, writes and syncs on files, pipes and sockets cannot:
 * they give -EINVAL and run to their normal completion.
 * Returns
 *   0        the cancellation is under way (the kernel says -EINPROGRESS);
 *            the request's event still arrives through ref_aio_reap or
 *            ref_aio_wait (a cancelled poll: res 0), never through
 *            io_cancel's result argument, which is not written. Keep the
 *            iocb until that event.
 *   -EINVAL  cannot be cancelled: not cancellable (a read or write), not
 *            in flight (never submitted, completed, already cancelled), or
 *            not a live context.
 *   -EFAULT  cb is not readable memory.
 */
int ref_aio_cancel(struct ref_aio *ctx, struct iocb *cb);

#endif /* REF_AIO_H */
