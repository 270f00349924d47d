/* SPDX-License-Identifier: MIT */
/*
 * ref/event.h - events and cancellation over ref/ring: the ringbahn model in C.
 *
 * An event is one operation through the ring. It supplies three things:
 *   prepare(sqe)      fill the SQE (the driver sets user_data);
 *   cancel() -> rec   the user lost interest: hand over everything the kernel
 *                     may still touch (buffers, fds, paths) in a cancellation
 *                     record;
 *   is_eager()        submit at once instead of waiting for the next submit.
 * and is told of its completions through complete(cqe).
 *
 * The driver owns every event in flight. Once prepared, an event's memory
 * belongs to the kernel until its final completion (the CQE without
 * IORING_CQE_F_MORE). Cancelling does not end that: the resources move into
 * the cancellation record, which the driver releases only when the kernel has
 * completed the operation, whatever the result (-ECANCELED, -EINTR, or a
 * normal result that must not be lost: an accepted fd is closed, a buffer id
 * recycled).
 *
 * States of an event (DESIGN.md section 7):
 *   inert -> prepared -> submitted -> completed
 *                  \          \-> cancel-requested -> (final CQE) -> released
 *                   \-> cancelled before submission: its SQE becomes a NOP
 *                       whose completion is ignored; released at once.
 */
#ifndef REF_EVENT_H
#define REF_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "ref/ring.h"

/* Resources of a cancelled event, kept until the kernel is done with them. */
struct ref_cancellation {
	void *data;
	/* Each CQE the cancelled operation still posts (may be NULL). */
	void (*completed)(void *data, const struct io_uring_cqe *cqe);
	/* The own result of the IORING_OP_ASYNC_CANCEL the driver sent, if it
	 * sent one: 0 found, -ENOENT, -EALREADY (may be NULL). */
	void (*cancel_result)(void *data, int res);
	/* Free data; called once, after the final CQE and the cancel's CQE. */
	void (*release)(void *data);
};

struct ref_event_ops {
	void (*prepare)(void *event, struct io_uring_sqe *sqe);
	/* Every CQE of a live event; the last has no IORING_CQE_F_MORE. */
	void (*complete)(void *event, const struct io_uring_cqe *cqe);
	struct ref_cancellation (*cancel)(void *event);
	bool (*is_eager)(const void *event);	/* NULL: not eager */
};

enum ref_event_state {
	REF_EVENT_INERT,		/* no such event (never started, or retired) */
	REF_EVENT_PREPARED,		/* SQE written, not yet consumed by the kernel */
	REF_EVENT_SUBMITTED,		/* the kernel has it */
	REF_EVENT_CANCEL_REQUESTED,	/* cancelled; waiting for its final CQE */
};

/* Slot index (low 32 bits) and generation; 0 is never a valid id. */
typedef uint64_t ref_event_id;

struct ref_event_slot;

struct ref_driver_stats {
	uint64_t completions;		/* CQEs delivered to live events */
	uint64_t cancelled_completions;	/* CQEs delivered to cancellations */
	uint64_t ignored;		/* NOPs that replaced unsubmitted SQEs */
	uint64_t stray;			/* CQEs naming no live slot (a bug) */
};

struct ref_driver {
	struct ref_ring *ring;
	struct ref_event_slot *slots;
	unsigned int nslots;
	unsigned int free_head;		/* first free slot, nslots when none */
	unsigned int in_flight;		/* slots not inert */
	struct ref_driver_stats stats;
};

/* A driver for up to max_events events in flight on ring. 0 or -ENOMEM. */
int ref_driver_init(struct ref_driver *drv, struct ref_ring *ring,
		    unsigned int max_events);
/* Teardown: cancel everything in flight, drain every final completion,
 * release every cancellation, then free the driver's memory. */
void ref_driver_free(struct ref_driver *drv);

/* Prepare event into an SQE (submitting first if the SQ is full). Eager
 * events are submitted at once. 0 with *id set; -EBUSY when every slot is
 * in use; a submit error. */
int ref_driver_start(struct ref_driver *drv, void *event,
		     const struct ref_event_ops *ops, ref_event_id *id);
/* Submit prepared events. Returns how many the kernel consumed, or -errno. */
int ref_driver_submit(struct ref_driver *drv);
/* Submit, wait until min_complete CQEs are ready (at most *timeout; NULL no
 * limit; min_complete 0 never waits), and deliver every ready CQE.
 * Returns the number delivered, or -errno (-ETIME when none came in time). */
int ref_driver_run(struct ref_driver *drv, unsigned int min_complete,
		   const struct __kernel_timespec *timeout);

/*
 * Cancel interest in id. Its resources move into its cancellation record.
 * If ask_kernel, an IORING_OP_ASYNC_CANCEL is sent too, and its own result
 * goes to the record's cancel_result. 0, or -ENOENT when id is not live.
 */
int ref_driver_cancel(struct ref_driver *drv, ref_event_id id, bool ask_kernel);

enum ref_event_state ref_driver_state(const struct ref_driver *drv,
				      ref_event_id id);

/* ------------------------------------------------------------------ */
/* Ready-made events (ref/event_types.c)                               */
/* ------------------------------------------------------------------ */

/*
 * Each event below owns the memory the kernel writes or reads (allocated by
 * its init function). After the final completion the user reads the result
 * and calls the event's free function; after a cancel the memory belongs to
 * the cancellation and the user only frees the event struct itself (the
 * free function then does nothing more).
 */
struct ref_io_event {		/* read and write */
	int fd;
	uint64_t offset;
	unsigned int len;
	unsigned char *buf;	/* owned; NULL once handed to a cancellation */
	int res;		/* the final CQE's res */
	bool done;
};
/* A read of len bytes at offset; buf is allocated. 0 or -ENOMEM. */
int ref_read_event_init(struct ref_io_event *ev, int fd, unsigned int len,
			uint64_t offset);
/* A write of a copy of data. 0 or -ENOMEM. */
int ref_write_event_init(struct ref_io_event *ev, int fd, const void *data,
			 unsigned int len, uint64_t offset);
void ref_io_event_free(struct ref_io_event *ev);
extern const struct ref_event_ops ref_read_ops, ref_write_ops;

struct ref_accept_event {
	int fd;			/* listening socket */
	int res;		/* the accepted fd, or -errno */
	bool done;
};
/* On cancel, an fd the kernel still accepts is closed, never leaked. */
extern const struct ref_event_ops ref_accept_ops;

struct ref_connect_event {
	int fd;
	struct sockaddr_storage *addr;	/* owned copy */
	socklen_t addrlen;
	int res;
	bool done;
};
int ref_connect_event_init(struct ref_connect_event *ev, int fd,
			   const struct sockaddr *addr, socklen_t addrlen);
void ref_connect_event_free(struct ref_connect_event *ev);
extern const struct ref_event_ops ref_connect_ops;

struct ref_close_event {
	int fd;
	int res;
	bool done;
};
extern const struct ref_event_ops ref_close_ops;

struct ref_openat_event {
	int dfd;
	char *path;		/* owned copy */
	int flags;
	unsigned int mode;
	int res;		/* the new fd, or -errno */
	bool done;
};
int ref_openat_event_init(struct ref_openat_event *ev, int dfd,
			  const char *path, int flags, unsigned int mode);
void ref_openat_event_free(struct ref_openat_event *ev);
/* On cancel, an fd the kernel still opens is closed, never leaked. */
extern const struct ref_event_ops ref_openat_ops;

/*
 * Multishot recv from a provided-buffer ring: on_data gets each buffer's
 * bytes; the event recycles the buffer after on_data returns. The event
 * ends with the CQE without IORING_CQE_F_MORE (res then tells why, e.g.
 * -ENOBUFS or 0 at EOF); start it again to re-arm.
 */
struct ref_recv_multishot_event {
	int fd;
	struct ref_buf_ring *bufs;
	void (*on_data)(void *arg, const void *data, size_t len);
	void *arg;
	unsigned int received;	/* CQEs with data */
	int res;		/* the final CQE's res */
	bool done;
};
/* On cancel, buffers named by CQEs still to come are recycled. */
extern const struct ref_event_ops ref_recv_multishot_ops;

#endif /* REF_EVENT_H */
