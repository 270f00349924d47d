// SPDX-License-Identifier: MIT
/*
 * ref/event.c - the event driver: slots, ids, submission and cancellation.
 * See ref/event.h for the model. Comments starting "Rule:" are the event and
 * cancellation semantics of ../shared/DESIGN.md section 7.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ref/event.h"

/*
 * Rule: an event is identified by slot index + generation in user_data.
 * Bits 0-31 hold the slot index, bits 32-61 its generation (never 0, so no
 * id is 0). Two flag bits mark CQEs that are not the event's own:
 */
#define UD_CANCEL	(1ULL << 63)	/* the ASYNC_CANCEL sent for the slot */
#define UD_IGNORE	(1ULL << 62)	/* a NOP that replaced an unsubmitted SQE */
#define GEN_MASK	0x3fffffffU

struct ref_event_slot {
	enum ref_event_state state;
	uint32_t generation;
	unsigned int next_free;
	void *event;
	const struct ref_event_ops *ops;
	unsigned int sq_counter;	/* where its SQE sits, while prepared */
	struct ref_cancellation cancellation;
	bool target_done;		/* cancelled: its final CQE has come */
	bool cancel_pending;		/* cancelled: its ASYNC_CANCEL's CQE is due */
};

static ref_event_id make_id(const struct ref_driver *drv,
			    const struct ref_event_slot *slot)
{
	return ((uint64_t)slot->generation << 32) | (uint64_t)(slot - drv->slots);
}

/* The live slot id names, or NULL (never started, or already retired). */
static struct ref_event_slot *lookup(const struct ref_driver *drv, ref_event_id id)
{
	uint32_t index = (uint32_t)id;
	uint32_t generation = (uint32_t)(id >> 32) & GEN_MASK;
	struct ref_event_slot *slot;

	if (index >= drv->nslots)
		return NULL;
	slot = &drv->slots[index];
	if (slot->state == REF_EVENT_INERT || slot->generation != generation)
		return NULL;
	return slot;
}

/* Rule: retire the id only after the final completion; the next event in
 * this slot gets a new generation, so a stale id never names it. */
static void retire(struct ref_driver *drv, struct ref_event_slot *slot)
{
	slot->state = REF_EVENT_INERT;
	slot->generation = (slot->generation + 1) & GEN_MASK;
	if (!slot->generation)
		slot->generation = 1;
	slot->event = NULL;
	slot->ops = NULL;
	memset(&slot->cancellation, 0, sizeof(slot->cancellation));
	slot->next_free = drv->free_head;
	drv->free_head = (unsigned int)(slot - drv->slots);
	drv->in_flight--;
}

/* A cancelled slot is done when its final CQE and its cancel's CQE came. */
static void release_if_done(struct ref_driver *drv, struct ref_event_slot *slot)
{
	if (!slot->target_done || slot->cancel_pending)
		return;
	/* Rule: cancel-requested holds the resources until the kernel's final
	 * completion, then frees them. */
	if (slot->cancellation.release)
		slot->cancellation.release(slot->cancellation.data);
	retire(drv, slot);
}

static unsigned int load_acquire(const unsigned int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Has the kernel consumed the SQE of this prepared slot? */
static bool sqe_consumed(const struct ref_driver *drv,
			 const struct ref_event_slot *slot)
{
	return (int32_t)(load_acquire(drv->ring->sq.khead) - slot->sq_counter) > 0;
}

/*
 * May we still rewrite the SQE of this prepared slot? Yes while it is not
 * published, and, without SQPOLL (where only io_uring_enter reads SQEs), while
 * it is published but not consumed. With SQPOLL a kernel thread may read a
 * published SQE at any moment.
 */
static bool sqe_still_ours(const struct ref_driver *drv,
			   const struct ref_event_slot *slot)
{
	const struct ref_ring *ring = drv->ring;

	if ((int32_t)(slot->sq_counter - *ring->sq.ktail) >= 0)
		return true;
	if (ring->setup_flags & IORING_SETUP_SQPOLL)
		return false;
	return !sqe_consumed(drv, slot);
}

static enum ref_event_state current_state(const struct ref_driver *drv,
					  const struct ref_event_slot *slot)
{
	if (slot->state == REF_EVENT_PREPARED && sqe_consumed(drv, slot))
		return REF_EVENT_SUBMITTED;
	return slot->state;
}

/* ------------------------------------------------------------------ */
/* completions                                                         */
/* ------------------------------------------------------------------ */

static void dispatch(const struct io_uring_cqe *cqe, void *arg)
{
	struct ref_driver *drv = arg;
	uint64_t ud = cqe->user_data;
	bool final = !(cqe->flags & IORING_CQE_F_MORE);
	struct ref_event_slot *slot;
	const struct ref_event_ops *ops;
	void *event;

	/* Rule: the NOP that replaced a cancelled, unsubmitted SQE is ignored. */
	if (ud & UD_IGNORE) {
		drv->stats.ignored++;
		return;
	}
	slot = lookup(drv, ud & ~UD_CANCEL);
	if (!slot) {
		drv->stats.stray++;
		return;
	}
	if (ud & UD_CANCEL) {
		/* The cancel request's own result: 0, -ENOENT, -EALREADY. */
		slot->cancel_pending = false;
		if (slot->cancellation.cancel_result)
			slot->cancellation.cancel_result(slot->cancellation.data,
							 cqe->res);
		release_if_done(drv, slot);
		return;
	}
	if (slot->state == REF_EVENT_CANCEL_REQUESTED) {
		/* Rule: the cancelled operation's result is not lost: the
		 * cancellation sees it (to close an fd, recycle a buffer). */
		drv->stats.cancelled_completions++;
		if (slot->cancellation.completed)
			slot->cancellation.completed(slot->cancellation.data, cqe);
		if (final) {
			slot->target_done = true;
			release_if_done(drv, slot);
		}
		return;
	}
	drv->stats.completions++;
	event = slot->event;
	ops = slot->ops;
	slot->state = REF_EVENT_SUBMITTED;	/* a CQE proves the kernel had it */
	/* Retire before complete() runs, so that complete() may start a new
	 * event (re-arm a multishot) in this very slot. */
	if (final)
		retire(drv, slot);
	ops->complete(event, cqe);
}

static int deliver(struct ref_driver *drv)
{
	return (int)ref_ring_for_each_completion(drv->ring, dispatch, drv);
}

/* ------------------------------------------------------------------ */
/* submission                                                          */
/* ------------------------------------------------------------------ */

int ref_driver_submit(struct ref_driver *drv)
{
	for (;;) {
		int ret = ref_ring_submit(drv->ring);

		if (ret != -EBUSY && ret != -EAGAIN)
			return ret;
		/* Rule: on -EBUSY/-EAGAIN reap, then retry: the kernel holds
		 * completions it cannot post, or lacks memory for requests.
		 * Every CQE reaped goes to its event, so nothing is lost. */
		if (deliver(drv) > 0)
			continue;
		if (!drv->in_flight)
			return ret;	/* nothing will complete to make room */
		ret = ref_ring_wait(drv->ring, 1, NULL);
		if (ret < 0)
			return ret;
		deliver(drv);
	}
}

/* An SQE for a new request, submitting first when the SQ is full. */
static int next_sqe(struct ref_driver *drv, struct io_uring_sqe **sqe)
{
	int ret;

	*sqe = ref_ring_get_sqe(drv->ring);
	if (*sqe)
		return 0;
	ret = ref_driver_submit(drv);
	if (ret < 0)
		return ret;
	*sqe = ref_ring_get_sqe(drv->ring);
	return *sqe ? 0 : -EAGAIN;	/* SQPOLL thread not caught up yet */
}

int ref_driver_start(struct ref_driver *drv, void *event,
		     const struct ref_event_ops *ops, ref_event_id *id)
{
	struct ref_event_slot *slot;
	struct io_uring_sqe *sqe;
	int ret;

	if (drv->free_head == drv->nslots)
		return -EBUSY;
	ret = next_sqe(drv, &sqe);
	if (ret < 0)
		return ret;
	/* next_sqe may have delivered completions, and a complete() callback
	 * may have started events: take the slot only now. */
	if (drv->free_head == drv->nslots) {
		sqe->opcode = IORING_OP_NOP;	/* keep the SQE harmless */
		sqe->user_data = UD_IGNORE;
		return -EBUSY;
	}
	slot = &drv->slots[drv->free_head];
	drv->free_head = slot->next_free;
	drv->in_flight++;
	slot->state = REF_EVENT_PREPARED;
	slot->event = event;
	slot->ops = ops;
	slot->sq_counter = drv->ring->sq.tail - 1;
	slot->target_done = false;
	slot->cancel_pending = false;
	ops->prepare(event, sqe);
	sqe->user_data = make_id(drv, slot);
	*id = make_id(drv, slot);
	if (ops->is_eager && ops->is_eager(event)) {
		ret = ref_driver_submit(drv);
		return ret < 0 ? ret : 0;
	}
	return 0;
}

int ref_driver_run(struct ref_driver *drv, unsigned int min_complete,
		   const struct __kernel_timespec *timeout)
{
	int ret = ref_driver_submit(drv);

	if (ret < 0)
		return ret;
	if (min_complete) {
		ret = ref_ring_wait(drv->ring, min_complete, timeout);
		if (ret < 0 && ret != -ETIME)
			return ret;
		if (ret == -ETIME) {
			int n = deliver(drv);

			return n ? n : -ETIME;
		}
	}
	return deliver(drv);
}

/* ------------------------------------------------------------------ */
/* cancellation                                                        */
/* ------------------------------------------------------------------ */

/* Queue an IORING_OP_ASYNC_CANCEL for a cancel-requested slot. */
static void ask_kernel_to_cancel(struct ref_driver *drv,
				 struct ref_event_slot *slot)
{
	ref_event_id id = make_id(drv, slot);
	struct io_uring_sqe *sqe;

	/* Mark the cancel due before next_sqe(): a submit inside it may
	 * deliver the final CQE, and the slot must then wait for our cancel's
	 * CQE too instead of being retired under it. */
	slot->cancel_pending = true;
	if (next_sqe(drv, &sqe) < 0) {
		/* The interest is gone all the same; the kernel isn't asked. */
		slot->cancel_pending = false;
		release_if_done(drv, slot);
		return;
	}
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = -1;
	sqe->addr = id;			/* the target's user_data */
	sqe->user_data = id | UD_CANCEL;
}

int ref_driver_cancel(struct ref_driver *drv, ref_event_id id, bool ask_kernel)
{
	struct ref_event_slot *slot = lookup(drv, id);
	struct io_uring_sqe *sqe;

	if (!slot || slot->state == REF_EVENT_CANCEL_REQUESTED)
		return -ENOENT;

	if (slot->state == REF_EVENT_PREPARED && sqe_still_ours(drv, slot)) {
		/* Rule: cancelling a prepared-but-unsubmitted event turns its
		 * SQE into a NOP whose completion is ignored. The kernel never
		 * saw the request, so its resources are released at once. */
		struct ref_cancellation c = slot->ops->cancel(slot->event);

		sqe = &drv->ring->sq.sqes[ref_ring_slot(slot->sq_counter,
							 drv->ring->sq.mask)];
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_NOP;
		sqe->user_data = UD_IGNORE;
		if (c.release)
			c.release(c.data);
		retire(drv, slot);
		return 0;
	}

	/* Rule: cancel-requested holds the resources (buffers, fds) until the
	 * kernel's final completion: they move into the cancellation now. */
	slot->state = REF_EVENT_CANCEL_REQUESTED;
	slot->cancellation = slot->ops->cancel(slot->event);
	slot->event = NULL;
	if (ask_kernel)
		ask_kernel_to_cancel(drv, slot);
	return 0;
}

enum ref_event_state ref_driver_state(const struct ref_driver *drv,
				      ref_event_id id)
{
	const struct ref_event_slot *slot = lookup(drv, id);

	return slot ? current_state(drv, slot) : REF_EVENT_INERT;
}

/* ------------------------------------------------------------------ */
/* life cycle                                                          */
/* ------------------------------------------------------------------ */

int ref_driver_init(struct ref_driver *drv, struct ref_ring *ring,
		    unsigned int max_events)
{
	memset(drv, 0, sizeof(*drv));
	if (!max_events)
		return -EINVAL;
	drv->slots = calloc(max_events, sizeof(*drv->slots));
	if (!drv->slots)
		return -ENOMEM;
	drv->ring = ring;
	drv->nslots = max_events;
	for (unsigned int i = 0; i < max_events; i++) {
		drv->slots[i].generation = 1;
		drv->slots[i].next_free = i + 1;
	}
	drv->free_head = 0;
	return 0;
}

/* Cancel, asking the kernel, every live event not yet cancelled, and ask
 * about those cancelled earlier without asking. */
static void cancel_everything(struct ref_driver *drv)
{
	for (unsigned int i = 0; i < drv->nslots; i++) {
		struct ref_event_slot *slot = &drv->slots[i];

		if (slot->state == REF_EVENT_INERT)
			continue;
		if (slot->state != REF_EVENT_CANCEL_REQUESTED)
			ref_driver_cancel(drv, make_id(drv, slot), true);
		else if (!slot->target_done && !slot->cancel_pending)
			ask_kernel_to_cancel(drv, slot);
	}
}

void ref_driver_free(struct ref_driver *drv)
{
	if (!drv->slots)
		return;
	/* Rule: teardown cancels everything and drains before memory is
	 * freed: the kernel may still write into what cancellations own.
	 * Each round cancels again: a complete() callback run by the drain
	 * may have started new events. */
	while (drv->in_flight) {
		cancel_everything(drv);
		if (ref_driver_run(drv, 1, NULL) < 0)
			break;
	}
	/* Only an io_uring_enter error ends the drain early; then what is
	 * still in flight is leaked on purpose rather than freed under the
	 * kernel's feet. */
	if (!drv->in_flight)
		free(drv->slots);
	drv->slots = NULL;
	drv->nslots = 0;
}
