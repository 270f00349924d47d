// SPDX-License-Identifier: MIT
/*
 * ref/paio.c - POSIX AIO on a ref/ring io_uring. See ref/paio.h for the API.
 *
 * Each request is one SQE whose user_data is its control block's address;
 * the ASYNC_CANCEL sent for a request carries the same address with the low
 * bit set. Every public call holds the context's lock (enter(), leave());
 * a watcher thread, started for the first request that asks to be notified,
 * collects completions between calls. Comments starting "Rule:" are the POSIX semantics (XSH aio_*,
 * lio_listio) and the io_uring facts (DESIGN.md sections 6 and 7) this code
 * obeys.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

#include "ref/paio.h"

/* Control blocks are pointer-aligned, so bit 0 of their address is free. */
#define UD_CANCEL	1ULL	/* the ASYNC_CANCEL sent for the block */
#define UD_IGNORE	0ULL	/* a withdrawn SQE (a NOP): its CQE is ignored */

enum {
	CB_NO_STATUS,	/* never queued, or its result was returned */
	CB_HELD,	/* queued, no SQE yet: an fsync ref holds back behind
			 * earlier I/O on its fd (or, within a queueing call,
			 * any request until its SQE is prepared) */
	CB_IN_KERNEL,	/* its SQE was sent */
	CB_DONE,	/* its result is in priv.res */
};

static bool in_progress(const struct ref_aiocb *cb)
{
	return cb->priv.state == CB_HELD || cb->priv.state == CB_IN_KERNEL;
}

/* ------------------------------------------------------------------ */
/* the queue of requests in progress, oldest first                     */
/* ------------------------------------------------------------------ */

static void enqueue(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	cb->priv.prev = ctx->tail;
	cb->priv.next = NULL;
	if (ctx->tail)
		ctx->tail->priv.next = cb;
	else
		ctx->head = cb;
	ctx->tail = cb;
	ctx->in_progress++;
}

static void owe_notice(struct ref_paio *ctx, struct ref_aiocb *cb);

/* The request is done with result res (a count or -errno); its notices
 * are owed (given by deliver(), before the lock is let go). */
static void finish(struct ref_paio *ctx, struct ref_aiocb *cb, int res)
{
	if (cb->priv.prev)
		cb->priv.prev->priv.next = cb->priv.next;
	else
		ctx->head = cb->priv.next;
	if (cb->priv.next)
		cb->priv.next->priv.prev = cb->priv.prev;
	else
		ctx->tail = cb->priv.prev;
	cb->priv.prev = cb->priv.next = NULL;
	cb->priv.res = res;
	cb->priv.state = CB_DONE;
	ctx->in_progress--;
	owe_notice(ctx, cb);
}

/* ------------------------------------------------------------------ */
/* notifications                                                       */
/* ------------------------------------------------------------------ */

/* A lio_listio's own notification: given once its last entry is done. */
struct ref_paio_group {
	unsigned int left;		/* entries not yet done */
	struct sigevent notice;
};

/*
 * A number a signal has, or 0 (the null signal: nothing is sent).
 * Rule: glibc keeps the numbers between the standard signals and
 * SIGRTMIN (32 and 33) for itself; sending one would upset it.
 */
static bool valid_signo(int signo)
{
	if (signo < 0 || signo > SIGRTMAX)
		return false;
	return signo <= SIGSYS || signo >= SIGRTMIN;
}

/* Is ev a notification ref can give? */
static bool valid_notice(const struct sigevent *ev)
{
	switch (ev->sigev_notify) {
	case SIGEV_NONE:
		return true;
	case SIGEV_SIGNAL:
		return valid_signo(ev->sigev_signo);
	case SIGEV_THREAD:
		return ev->sigev_notify_function != NULL;
	default:
		return false;
	}
}

/* Does ev ask for something to be done? Signal 0 does not. */
static bool active_notice(const struct sigevent *ev)
{
	return ev->sigev_notify == SIGEV_THREAD ||
	       (ev->sigev_notify == SIGEV_SIGNAL && ev->sigev_signo != 0);
}

struct notice_call {
	void (*function)(union sigval);
	union sigval value;
};

static void *notice_thread(void *arg)
{
	struct notice_call call = *(struct notice_call *)arg;
	sigset_t none;

	free(arg);
	/* Rule: the function runs with no signal blocked, as in glibc's
	 * notification threads (this one was made with every one blocked). */
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	call.function(call.value);
	return NULL;
}

/* Give the notification ev asks for: 0, or a negative errno. */
static int give(const struct sigevent *ev)
{
	if (ev->sigev_notify == SIGEV_SIGNAL && ev->sigev_signo) {
		siginfo_t si;

		/*
		 * Rule (POSIX XSH 2.4.2): the signal of an asynchronous I/O
		 * completion carries si_code SI_ASYNCIO and the sigevent's
		 * value. sigqueue(3) would say SI_QUEUE, so the info is
		 * given whole to rt_sigqueueinfo(2), which lets a process
		 * send itself any negative si_code.
		 */
		memset(&si, 0, sizeof(si));
		si.si_signo = ev->sigev_signo;
		si.si_code = SI_ASYNCIO;
		si.si_pid = getpid();
		si.si_uid = getuid();
		si.si_value = ev->sigev_value;
		if (syscall(SYS_rt_sigqueueinfo, getpid(), ev->sigev_signo,
			    &si) < 0)
			return -errno;
	} else if (ev->sigev_notify == SIGEV_THREAD) {
		pthread_attr_t detached, *attr = ev->sigev_notify_attributes;
		struct notice_call *call = malloc(sizeof(*call));
		pthread_t thread;
		int ret;

		if (!call)
			return -EAGAIN;
		call->function = ev->sigev_notify_function;
		call->value = ev->sigev_value;
		if (!attr) {
			/* Rule: with no attributes nobody could join the
			 * thread, so it is made detached (as glibc does). */
			pthread_attr_init(&detached);
			pthread_attr_setdetachstate(&detached,
						    PTHREAD_CREATE_DETACHED);
			attr = &detached;
		}
		ret = pthread_create(&thread, attr, notice_thread, call);
		if (attr == &detached)
			pthread_attr_destroy(&detached);
		if (ret) {
			free(call);
			return -ret;
		}
	}
	return 0;
}

/* cb is done: owe its own notice and its list's, if it has either. */
static void owe_notice(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	if (!active_notice(&cb->priv.notice) && !cb->priv.group)
		return;
	cb->priv.due = true;
	cb->priv.due_next = NULL;
	if (ctx->due_tail)
		ctx->due_tail->priv.due_next = cb;
	else
		ctx->due_head = cb;
	ctx->due_tail = cb;
}

/* Take back what cb owes: it was refused, so it was never queued. */
static void unowe_notice(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	struct ref_aiocb **link = &ctx->due_head, *prev = NULL;

	if (!cb->priv.due)
		return;
	while (*link != cb) {
		prev = *link;
		link = &prev->priv.due_next;
	}
	*link = cb->priv.due_next;
	if (ctx->due_tail == cb)
		ctx->due_tail = prev;
	cb->priv.due = false;
}

/*
 * Give the notices owed, oldest first. Rule (POSIX): a request notifies
 * once its status is final (finish() set it), and a list once every entry
 * is done (after its last entry's own notice). Every call ends here before
 * it lets the lock go, so no control block owes anything between calls,
 * and none can have been returned or reused before its notice is given.
 */
static void deliver(struct ref_paio *ctx)
{
	struct ref_aiocb *cb;

	while ((cb = ctx->due_head)) {
		struct ref_paio_group *group = cb->priv.group;
		int ret = 0;

		ctx->due_head = cb->priv.due_next;
		if (!ctx->due_head)
			ctx->due_tail = NULL;
		cb->priv.due = false;
		cb->priv.group = NULL;
		if (active_notice(&cb->priv.notice))
			ret = give(&cb->priv.notice);
		/* Rule (as glibc): a notification that could not be given
		 * becomes the request's error status. */
		if (ret < 0)
			cb->priv.res = ret;
		if (group && --group->left == 0) {
			give(&group->notice);	/* no status to carry a failure */
			free(group);
		}
	}
}

/* ------------------------------------------------------------------ */
/* completions                                                         */
/* ------------------------------------------------------------------ */

static void on_cqe(const struct io_uring_cqe *cqe, void *arg)
{
	struct ref_paio *ctx = arg;
	struct ref_aiocb *cb;
	int res = cqe->res;

	if (cqe->user_data == UD_IGNORE)
		return;
	cb = (struct ref_aiocb *)(uintptr_t)(cqe->user_data & ~UD_CANCEL);
	cb->priv.owed--;
	ctx->owed--;
	if (cqe->user_data & UD_CANCEL) {
		/* The cancel's own result: 0 found, -EALREADY running,
		 * -ENOENT not found (done already). */
		cb->priv.cancel_res = res;
		if (res == 0)
			ctx->stats.cancel_found++;
		else if (res == -EALREADY)
			ctx->stats.cancel_running++;
		else if (res == -ENOENT)
			ctx->stats.cancel_not_found++;
		return;
	}
	/*
	 * Rule: a request we sent a cancel for that ends with -EINTR was
	 * running in an io-wq worker, and the cancel interrupted it (io-wq
	 * wakes the worker as a signal would; nothing else signals a worker).
	 * It transferred nothing: a read or write interrupted after some bytes
	 * returns their count instead. So the cancel did stop it: its status
	 * is ECANCELED, as POSIX has it for a cancelled request.
	 */
	if (cb->priv.cancel_sent && res == -EINTR) {
		ctx->stats.interrupted++;
		res = -ECANCELED;
	}
	finish(ctx, cb, res);
}

/* ------------------------------------------------------------------ */
/* submission                                                          */
/* ------------------------------------------------------------------ */

/* A request or cancel SQE the kernel refused, withdrawn: its owner learns. */
static void refused(struct ref_paio *ctx, uint64_t ud, int err)
{
	struct ref_aiocb *cb = (struct ref_aiocb *)(uintptr_t)(ud & ~UD_CANCEL);

	cb->priv.owed--;
	ctx->owed--;
	if (ud & UD_CANCEL) {
		cb->priv.cancel_sent = false;	/* the kernel was never asked */
		cb->priv.cancel_res = err;
	} else {
		finish(ctx, cb, err);
	}
}

/*
 * After a hard submit error, turn every SQE the kernel did not consume into
 * a NOP whose CQE is ignored (it goes with some later submit, harmlessly).
 * Rule: without SQPOLL only io_uring_enter reads SQEs, so one it has not
 * consumed may still be rewritten.
 */
static void withdraw_unconsumed(struct ref_paio *ctx, int err)
{
	struct ref_sq *sq = &ctx->ring.sq;

	for (unsigned int c = *sq->khead; c != sq->tail; c++) {
		struct io_uring_sqe *sqe = &sq->sqes[ref_ring_slot(c, sq->mask)];
		uint64_t ud = sqe->user_data;

		*sqe = (struct io_uring_sqe){ .opcode = IORING_OP_NOP,
					      .user_data = UD_IGNORE };
		if (ud != UD_IGNORE)
			refused(ctx, ud, err);
	}
}

static unsigned int progress(struct ref_paio *ctx);

/*
 * Send every prepared SQE. 0 once the kernel consumed them all; else the
 * error, with the rest withdrawn (their owners told by refused()).
 */
static int send_all(struct ref_paio *ctx)
{
	struct ref_ring *ring = &ctx->ring;

	while (*ring->sq.khead != ring->sq.tail) {
		int ret = ref_ring_submit(ring);

		if (ret > 0)
			continue;	/* a partial take: submit the rest */
		if (ret == 0)
			ret = -EAGAIN;	/* took none: as if short of memory */
		/* Rule: -EBUSY/-EAGAIN mean "reap completions, then retry"
		 * (DESIGN.md section 6): the kernel holds completions it
		 * cannot post, or lacks memory that finished requests free. */
		if ((ret == -EBUSY || ret == -EAGAIN) && ctx->owed) {
			if (progress(ctx))
				continue;
			ret = ref_ring_wait(ring, 1, NULL);
			if (ret == 0)
				continue;
		}
		withdraw_unconsumed(ctx, ret);
		return ret;
	}
	return 0;
}

/*
 * Prepare cb's request (sent later by send_all). false when the SQ is full,
 * which the sizing in ref_paio_init rules out (only SQEs withdrawn after a
 * hard submit error could still be taking room).
 */
static bool prep_request(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	struct io_uring_sqe *sqe = ref_ring_get_sqe(&ctx->ring);

	if (!sqe)
		return false;
	sqe->opcode = cb->priv.opcode;
	sqe->fd = cb->fd;
	if (cb->priv.opcode == IORING_OP_FSYNC) {
		sqe->fsync_flags = cb->priv.fsync_flags;
	} else {
		sqe->addr = (uint64_t)(uintptr_t)cb->buf;
		sqe->len = (unsigned int)cb->nbytes;
		sqe->off = (uint64_t)cb->offset;
	}
	sqe->user_data = (uint64_t)(uintptr_t)cb;
	cb->priv.state = CB_IN_KERNEL;
	cb->priv.owed++;
	ctx->owed++;
	return true;
}

/* Prepare an ASYNC_CANCEL for cb's request; false when the SQ is full. */
static bool prep_cancel(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	uint64_t target = (uint64_t)(uintptr_t)cb;

	if (!ref_prep_cancel(&ctx->ring, target, 0, target | UD_CANCEL))
		return false;
	cb->priv.cancel_sent = true;
	cb->priv.owed++;
	ctx->owed++;
	return true;
}

/* Is a request queued before cb on cb's fd still in progress? */
static bool earlier_on_fd(const struct ref_aiocb *cb)
{
	for (const struct ref_aiocb *c = cb->priv.prev; c; c = c->priv.prev)
		if (c->fd == cb->fd)
			return true;
	return false;
}

/*
 * Send the held fsyncs whose fd has nothing older in progress any more.
 * Rule (POSIX aio_fsync): the sync covers all I/O queued on the fd before
 * it, so it starts only when that I/O is done. io_uring alone would run it
 * at once, beside the earlier requests; IOSQE_IO_DRAIN would also wait for
 * requests on every other fd, and hold back every later one.
 */
static void start_held(struct ref_paio *ctx)
{
	bool prepared = false;
	struct ref_aiocb *cb, *next;

	for (cb = ctx->head; cb; cb = next) {
		next = cb->priv.next;
		if (cb->priv.state != CB_HELD || earlier_on_fd(cb))
			continue;
		if (prep_request(ctx, cb))
			prepared = true;
		else
			finish(ctx, cb, -EAGAIN);
	}
	if (prepared)
		send_all(ctx);	/* a refusal becomes the fsync's status */
}

/* Deliver every ready CQE, start the fsyncs no longer held back, and give
 * the notices owed. Returns the number of CQEs delivered. */
static unsigned int progress(struct ref_paio *ctx)
{
	unsigned int n = ref_ring_for_each_completion(&ctx->ring, on_cqe, ctx);

	if (n)
		start_held(ctx);
	deliver(ctx);
	return n;
}

/* ------------------------------------------------------------------ */
/* waiting                                                             */
/* ------------------------------------------------------------------ */

static struct timespec monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

/*
 * Wait until a CQE is ready, at most until *deadline (CLOCK_MONOTONIC;
 * NULL: no limit). 0, -EAGAIN at the deadline, -EINTR when a signal handler
 * ran. ppoll(2) on the ring fd (readable while CQEs are ready) because
 * ref_ring_wait retries EINTR, and POSIX wants aio_suspend to end on a
 * signal: ppoll waits with the caller's own signal mask (enter() blocked
 * every signal), so a signal the caller takes ends the wait, our own
 * notifications included. A CQE that task work still has to post interrupts ppoll without
 * a signal; the kernel then restarts it by itself.
 */
static int wait_cqe(struct ref_paio *ctx, const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = ctx->ring.fd, .events = POLLIN };
	struct timespec left, *tsp = NULL;
	int ret;

	if (deadline) {
		struct timespec now = monotonic_now();

		left.tv_sec = deadline->tv_sec - now.tv_sec;
		left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_nsec += 1000000000L;
			left.tv_sec--;
		}
		if (left.tv_sec < 0)
			return -EAGAIN;
		tsp = &left;
	}
	ret = ppoll(&pfd, 1, tsp, ctx->caller_mask);
	if (ret < 0)
		return -errno;
	return ret ? 0 : -EAGAIN;
}

/* Wait for CQEs and deliver them, without a limit and through signals. */
static int wait_and_progress(struct ref_paio *ctx)
{
	int ret = 0;

	if (!progress(ctx)) {
		ret = ref_ring_wait(&ctx->ring, 1, NULL);
		progress(ctx);
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* calls, and the watcher between them                                 */
/* ------------------------------------------------------------------ */

/*
 * Every public call runs between enter() and leave(): with the context's
 * lock, and with every signal blocked in the calling thread. Rule: a
 * notification signal we send while holding the lock must not run a
 * handler in this thread, which could call back in and wait for the lock
 * forever; blocked, it waits until leave() restores the caller's mask.
 */
static void enter(struct ref_paio *ctx, sigset_t *caller_mask)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, caller_mask);
	pthread_mutex_lock(&ctx->lock);
	ctx->caller_mask = caller_mask;
}

static void leave(struct ref_paio *ctx, const sigset_t *caller_mask)
{
	deliver(ctx);
	ctx->caller_mask = NULL;
	pthread_mutex_unlock(&ctx->lock);
	pthread_sigmask(SIG_SETMASK, caller_mask, NULL);
}

/*
 * The watcher: collects completions while no call runs, so that their
 * notifications are given without anybody calling in. Rule: it waits in
 * poll(2) on the ring fd, which is readable while CQEs are ready, and
 * takes the lock only to collect them; a call that holds the lock in a
 * wait collects them itself. It blocks every signal (it was made inside a
 * call, and a thread starts with its maker's mask), so the signals it
 * sends are handled by the application's threads.
 */
static void *watch(void *arg)
{
	struct ref_paio *ctx = arg;
	struct pollfd pfd[2] = {
		{ .fd = ctx->ring.fd, .events = POLLIN },
		{ .fd = ctx->stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			continue;	/* EINTR: task work ran */
		if (pfd[1].revents || (pfd[0].revents & (POLLERR | POLLNVAL)))
			return NULL;
		pthread_mutex_lock(&ctx->lock);
		progress(ctx);
		pthread_mutex_unlock(&ctx->lock);
	}
}

/* Start the watcher unless it runs: 0, or -EAGAIN. */
static int start_watcher(struct ref_paio *ctx)
{
	if (ctx->watching)
		return 0;
	ctx->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (ctx->stop_fd < 0)
		return -EAGAIN;
	if (pthread_create(&ctx->watcher, NULL, watch, ctx)) {
		close(ctx->stop_fd);
		ctx->stop_fd = -1;
		return -EAGAIN;
	}
	ctx->watching = true;
	return 0;
}

/* Stop the watcher, if it runs; called without the lock. */
static void stop_watcher(struct ref_paio *ctx)
{
	if (!ctx->watching)
		return;
	while (eventfd_write(ctx->stop_fd, 1) < 0 && errno == EINTR)
		;
	pthread_join(ctx->watcher, NULL);
	close(ctx->stop_fd);
	ctx->stop_fd = -1;
	ctx->watching = false;
}

/* ------------------------------------------------------------------ */
/* life cycle                                                          */
/* ------------------------------------------------------------------ */

int ref_paio_init(struct ref_paio *ctx, unsigned int max)
{
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ring.fd = -1;
	ctx->stop_fd = -1;
	/* The lock lives as long as ctx: ref_paio_error and ref_paio_return
	 * still take it after ref_paio_free. A default mutex holds nothing
	 * that needs pthread_mutex_destroy. */
	pthread_mutex_init(&ctx->lock, NULL);
	if (max < 1 || max > 4096)
		return -EINVAL;
	/*
	 * Rule: max requests and a cancel for each fit in the SQ, and their
	 * CQEs in the CQ (twice the SQ by default). Every SQE is sent before a
	 * call returns, so the SQ is empty between calls and an SQE is always
	 * free when one is needed; and the CQ never overflows.
	 */
	ret = ref_ring_init(&ctx->ring, max, NULL);
	if (ret < 0) {
		ctx->ring.fd = -1;
		return ret;
	}
	ctx->max = max;
	return 0;
}

void ref_paio_free(struct ref_paio *ctx)
{
	struct ref_aiocb *cb, *next;
	sigset_t mask;
	bool drained;

	if (ctx->ring.fd < 0)
		return;
	enter(ctx, &mask);
	progress(ctx);
	/*
	 * Rule: free cancels everything and drains before any memory goes:
	 * the kernel writes a request's buffer until its final CQE. Closing
	 * the ring would cancel too, but io-wq may still finish a request
	 * after close() has returned.
	 */
	for (cb = ctx->head; cb; cb = next) {
		next = cb->priv.next;
		if (cb->priv.state == CB_HELD)
			finish(ctx, cb, -ECANCELED);
		else if (!cb->priv.cancel_sent)
			prep_cancel(ctx, cb);
	}
	/* A cancel the kernel refused (a hard submit error) leaves its
	 * request to end by itself: the drain still waits for it. */
	send_all(ctx);
	while (ctx->owed)
		if (wait_and_progress(ctx) < 0)
			break;
	drained = !ctx->owed;
	leave(ctx, &mask);	/* gives the notices of the cancelled */
	stop_watcher(ctx);	/* it polls the ring fd: before closing it */
	/* Only an io_uring_enter error ends the drain early; then the ring
	 * is kept (leaked) rather than closed under requests still running. */
	if (drained)
		ref_ring_free(&ctx->ring);
	ctx->ring.fd = -1;
}

/* ------------------------------------------------------------------ */
/* queueing                                                            */
/* ------------------------------------------------------------------ */

/* What every request is checked for before it is queued. */
static int check(const struct ref_paio *ctx, const struct ref_aiocb *cb,
		 bool transfer)
{
	/* Rule: a control block in progress belongs to its request; POSIX
	 * leaves reusing it undefined, ref refuses. */
	if (in_progress(cb))
		return -EBUSY;
	/* Rule: POSIX EINVAL for aio_reqprio outside 0 .. AIO_PRIO_DELTA_MAX
	 * (glibc checks it at queueing too). */
	if (cb->reqprio < 0 || cb->reqprio > AIO_PRIO_DELTA_MAX)
		return -EINVAL;
	/* Rule: a notification we could not give is refused now, rather
	 * than turned into a failed request later as glibc does. */
	if (!valid_notice(&cb->sigev))
		return -EINVAL;
	if (transfer) {
		if (cb->nbytes > UINT_MAX)
			return -EINVAL;
		/* Rule: a negative offset is refused at once (POSIX lets
		 * EINVAL come now or later): io_uring would take -1 for "the
		 * file position" instead of failing as pread(2) does. */
		if (cb->offset < 0)
			return -EINVAL;
	}
	/* Rule: POSIX EAGAIN, "not queued due to system resource
	 * limitations": no more than max requests in progress. */
	if (ctx->in_progress >= ctx->max)
		return -EAGAIN;
	return 0;
}

/* Fill cb's private state for a new request and put it in the queue. */
static void take(struct ref_paio *ctx, struct ref_aiocb *cb, uint8_t opcode,
		 unsigned int fsync_flags)
{
	memset(&cb->priv, 0, sizeof(cb->priv));
	cb->priv.notice = cb->sigev;
	cb->priv.opcode = opcode;
	cb->priv.fsync_flags = fsync_flags;
	cb->priv.state = CB_HELD;	/* until prep_request */
	enqueue(ctx, cb);
}

static int queue(struct ref_paio *ctx, struct ref_aiocb *cb, uint8_t opcode,
		 unsigned int fsync_flags)
{
	int ret;

	if (active_notice(&cb->sigev) && start_watcher(ctx))
		return -EAGAIN;
	take(ctx, cb, opcode, fsync_flags);
	if (opcode == IORING_OP_FSYNC && earlier_on_fd(cb))
		return 0;	/* held; start_held() sends it */
	ret = prep_request(ctx, cb) ? send_all(ctx) : -EAGAIN;
	if (ret < 0) {
		/* Refused: nothing is queued, the caller hears why. */
		if (in_progress(cb))
			finish(ctx, cb, ret);
		unowe_notice(ctx, cb);
		cb->priv.state = CB_NO_STATUS;
	}
	return ret;
}

static int transfer(struct ref_paio *ctx, struct ref_aiocb *cb,
		    uint8_t opcode)
{
	sigset_t mask;
	int ret;

	enter(ctx, &mask);
	ret = check(ctx, cb, true);
	if (!ret)
		ret = queue(ctx, cb, opcode, 0);
	leave(ctx, &mask);
	return ret;
}

int ref_paio_read(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	return transfer(ctx, cb, IORING_OP_READ);
}

int ref_paio_write(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	return transfer(ctx, cb, IORING_OP_WRITE);
}

int ref_paio_fsync(struct ref_paio *ctx, int op, struct ref_aiocb *cb)
{
	sigset_t mask;
	int ret;

	/* Rule: POSIX aio_fsync "shall fail" with EINVAL for an op other
	 * than O_SYNC or O_DSYNC, and with EBADF for a bad descriptor. */
	if (op != O_SYNC && op != O_DSYNC)
		return -EINVAL;
	if (fcntl(cb->fd, F_GETFD) < 0)
		return -EBADF;
	enter(ctx, &mask);
	ret = check(ctx, cb, false);
	if (!ret)
		ret = queue(ctx, cb, IORING_OP_FSYNC,
			    op == O_DSYNC ? IORING_FSYNC_DATASYNC : 0);
	leave(ctx, &mask);
	return ret;
}

static bool all_done(struct ref_aiocb *const list[], int n)
{
	for (int i = 0; i < n; i++)
		if (list[i] && in_progress(list[i]))
			return false;
	return true;
}

static int queue_list(struct ref_paio *ctx, int mode,
		      struct ref_aiocb *const list[], int n,
		      const struct sigevent *sig)
{
	struct ref_paio_group *group = NULL;
	unsigned int count = 0;
	bool watch = false;
	int ret;

	if ((mode != LIO_WAIT && mode != LIO_NOWAIT) || n < 0)
		return -EINVAL;
	/* Rule (POSIX lio_listio): sig counts only with LIO_NOWAIT. */
	if (mode == LIO_WAIT)
		sig = NULL;
	if (sig && !valid_notice(sig))
		return -EINVAL;
	/* Rule: every entry is checked before any is queued, so a failing
	 * call leaves every control block as it was. */
	for (int i = 0; i < n; i++) {
		if (!list[i] || list[i]->lio_opcode == LIO_NOP)
			continue;	/* Rule: NULL and LIO_NOP are ignored */
		if (list[i]->lio_opcode != LIO_READ &&
		    list[i]->lio_opcode != LIO_WRITE)
			return -EINVAL;
		ret = check(ctx, list[i], true);
		if (ret && ret != -EAGAIN)
			return ret;
		watch |= active_notice(&list[i]->sigev);
		count++;
	}
	if (count > ctx->max - ctx->in_progress)
		return -EAGAIN;
	if (sig && active_notice(sig)) {
		/* Rule (as glibc): a list with nothing to queue is complete
		 * at once, and says so at once. */
		if (!count)
			return give(sig);
		group = malloc(sizeof(*group));
		if (!group)
			return -EAGAIN;
		group->left = count;
		group->notice = *sig;
		watch = true;
	}
	if (watch && start_watcher(ctx)) {
		free(group);
		return -EAGAIN;
	}

	/* One submit for the whole list. */
	for (int i = 0; i < n; i++) {
		struct ref_aiocb *cb = list[i];

		if (!cb || cb->lio_opcode == LIO_NOP)
			continue;
		take(ctx, cb, cb->lio_opcode == LIO_READ ? IORING_OP_READ :
							   IORING_OP_WRITE, 0);
		cb->priv.group = group;
		if (!prep_request(ctx, cb))
			finish(ctx, cb, -EAGAIN);
	}
	ret = send_all(ctx);	/* a refusal is each refused entry's status */
	if (mode == LIO_NOWAIT)
		return ret;

	/* Rule: LIO_WAIT returns when all are done; POSIX EIO when any
	 * failed, EINTR when a signal came first. */
	while (progress(ctx), !all_done(list, n)) {
		ret = wait_cqe(ctx, NULL);
		if (ret == -EINTR)
			return ret;
	}
	for (int i = 0; i < n; i++)
		if (list[i] && list[i]->lio_opcode != LIO_NOP &&
		    list[i]->priv.res < 0)
			return -EIO;
	return 0;
}

int ref_paio_lio_listio(struct ref_paio *ctx, int mode,
			struct ref_aiocb *const list[], int n,
			const struct sigevent *sig)
{
	sigset_t mask;
	int ret;

	enter(ctx, &mask);
	ret = queue_list(ctx, mode, list, n, sig);
	leave(ctx, &mask);
	return ret;
}

/* ------------------------------------------------------------------ */
/* status                                                              */
/* ------------------------------------------------------------------ */

static int error_status(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	if (in_progress(cb))
		progress(ctx);
	switch (cb->priv.state) {
	case CB_HELD:
	case CB_IN_KERNEL:
		return EINPROGRESS;
	case CB_DONE:
		return cb->priv.res < 0 ? -cb->priv.res : 0;
	default:
		return -EINVAL;
	}
}

int ref_paio_error(struct ref_paio *ctx, struct ref_aiocb *cb)
{
	sigset_t mask;
	int ret;

	enter(ctx, &mask);
	ret = error_status(ctx, cb);
	leave(ctx, &mask);
	return ret;
}

int ref_paio_return(struct ref_paio *ctx, struct ref_aiocb *cb, ssize_t *value)
{
	sigset_t mask;
	int err;

	enter(ctx, &mask);
	err = error_status(ctx, cb);
	if (err >= 0 && err != EINPROGRESS) {
		/* Rule: POSIX aio_return: the count, or -1 with the error
		 * status saying why; the status is retrieved once, then gone. */
		*value = cb->priv.res < 0 ? -1 : cb->priv.res;
		cb->priv.state = CB_NO_STATUS;
	}
	leave(ctx, &mask);
	if (err < 0 || err == EINPROGRESS)
		return err < 0 ? err : -EINPROGRESS;
	return 0;
}

/* ------------------------------------------------------------------ */
/* cancel and suspend                                                  */
/* ------------------------------------------------------------------ */

/*
 * What one cancelled request's two CQEs mean for POSIX.
 * Rule: the target's own result decides, not the cancel's:
 * - -ECANCELED (the kernel found it before it started, or waiting in a
 *   poll, and the cancel said 0; or flagged in io-wq before it started,
 *   and the cancel said -EALREADY), or -EINTR turned into -ECANCELED in
 *   on_cqe (running in io-wq and interrupted; the cancel said -EALREADY,
 *   or now and then -ENOENT): AIO_CANCELED;
 * - any other result after -ENOENT: it had completed before the cancel
 *   looked: AIO_ALLDONE;
 * - any other result after 0 or -EALREADY: it was running and ran to its
 *   end: AIO_NOTCANCELED (POSIX: it completes as if not cancelled).
 */
static int outcome(const struct ref_aiocb *cb)
{
	if (cb->priv.res == -ECANCELED)
		return AIO_CANCELED;
	if (cb->priv.cancel_res == -ENOENT)
		return AIO_ALLDONE;
	return AIO_NOTCANCELED;
}

/* Rule (POSIX aio_cancel): AIO_NOTCANCELED if any could not be cancelled,
 * else AIO_CANCELED if any was, else AIO_ALLDONE. */
static int combine(int so_far, int one)
{
	if (so_far == AIO_NOTCANCELED || one == AIO_NOTCANCELED)
		return AIO_NOTCANCELED;
	if (so_far == AIO_CANCELED || one == AIO_CANCELED)
		return AIO_CANCELED;
	return AIO_ALLDONE;
}

static int cancel(struct ref_paio *ctx, int fd, struct ref_aiocb *cb)
{
	struct ref_aiocb *targets = NULL, *c, *next;
	int answer = AIO_ALLDONE, ret;

	/* Rule: POSIX aio_cancel "shall fail" with EBADF for a bad fd. */
	if (fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	if (cb && cb->fd != fd)
		return -EINVAL;		/* unspecified in POSIX; glibc: EINVAL */
	progress(ctx);	/* a request whose CQE is ready is done, not cancelled */

	for (c = ctx->head; c; c = next) {
		next = c->priv.next;
		if (c->fd != fd || (cb && c != cb))
			continue;
		if (c->priv.state == CB_HELD) {
			/* Rule: an fsync ref holds back never reached the
			 * kernel: it is cancelled here and now. */
			finish(ctx, c, -ECANCELED);
			answer = combine(answer, AIO_CANCELED);
		} else if (prep_cancel(ctx, c)) {
			c->priv.cancel_next = targets;
			targets = c;
		} else {
			answer = combine(answer, AIO_NOTCANCELED);
		}
	}
	ret = send_all(ctx);

	/*
	 * Rule: wait for both CQEs of each target: the cancel's own, and the
	 * target's final one, whatever the cancel said (found: -ECANCELED
	 * follows; running: it is interrupted or ends by itself; not found:
	 * its CQE is posted or about to be). Only then is AIO_CANCELED true,
	 * with error() saying ECANCELED, and only then may the caller free
	 * the control block, which both CQEs name.
	 */
	for (c = targets; c; c = c->priv.cancel_next) {
		while (c->priv.owed && c->priv.cancel_sent) {
			int err = wait_and_progress(ctx);

			if (err < 0)
				return err;
		}
		/* A cancel refused by a hard submit error never reached the
		 * kernel: that request goes on. */
		answer = combine(answer, c->priv.cancel_sent ? outcome(c) :
							      AIO_NOTCANCELED);
	}
	return ret < 0 ? ret : answer;
}

int ref_paio_cancel(struct ref_paio *ctx, int fd, struct ref_aiocb *cb)
{
	sigset_t mask;
	int ret;

	enter(ctx, &mask);
	ret = cancel(ctx, fd, cb);
	leave(ctx, &mask);
	return ret;
}

static int suspend(struct ref_paio *ctx, const struct ref_aiocb *const list[],
		   int n, const struct timespec *timeout)
{
	struct timespec deadline;
	bool any = false;

	if (n < 0)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		any |= list[i] != NULL;
	if (!any)
		return 0;
	if (timeout) {
		deadline = monotonic_now();
		deadline.tv_sec += timeout->tv_sec;
		deadline.tv_nsec += timeout->tv_nsec;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_nsec -= 1000000000L;
			deadline.tv_sec++;
		}
	}
	for (;;) {
		int ret;

		progress(ctx);
		/* Rule (POSIX aio_suspend): return at once when any listed
		 * request is done; NULL entries are ignored. */
		for (int i = 0; i < n; i++)
			if (list[i] && !in_progress(list[i]))
				return 0;
		ret = wait_cqe(ctx, timeout ? &deadline : NULL);
		if (ret < 0)
			return ret;	/* -EAGAIN: timed out; -EINTR */
	}
}

int ref_paio_suspend(struct ref_paio *ctx, const struct ref_aiocb *const list[],
		     int n, const struct timespec *timeout)
{
	sigset_t mask;
	int ret;

	enter(ctx, &mask);
	ret = suspend(ctx, list, n, timeout);
	leave(ctx, &mask);
	return ret;
}
