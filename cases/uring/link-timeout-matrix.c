// SPDX-License-Identifier: MIT
/*
 * uring/link-timeout-matrix: IORING_OP_LINK_TIMEOUT (5.5) on every
 * blocking request type as the head of its link: IORING_OP_READ of an
 * empty pipe and IORING_OP_RECV on an empty socket pair (5.6; also with
 * IOSQE_ASYNC), IORING_OP_POLL_ADD (multishot with IORING_POLL_ADD_MULTI,
 * 5.13), IORING_OP_ACCEPT (multishot with IORING_ACCEPT_MULTISHOT, 5.19),
 * a long IORING_OP_TIMEOUT, IORING_OP_READ_MULTISHOT (6.7) and a
 * multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a
 * provided-buffer ring, IORING_OP_FUTEX_WAIT and IORING_OP_WAITID (6.7),
 * IORING_OP_EPOLL_WAIT (6.15), IORING_OP_SPLICE (5.7) and
 * IORING_OP_SENDMSG to a full socket buffer. Per type: a 10 ms timeout
 * fires because the request never completes (request -ECANCELED, timeout
 * -ETIME); a request ready when submitted completes first (timeout
 * -ECANCELED); IOSQE_CQE_SKIP_SUCCESS on the timeout (5.17) posts no CQE
 * either way; a multishot request that posted data is still ended by the
 * timeout; and an IOSQE_IO_DRAIN NOP after the link completes only after
 * both. The only wait on time is the expiry of the link timeout, which is
 * certain: nothing else ever completes the request.
 * Left out: a splice waiting in io-wq as the head of an expiring link
 * (the kernels disagree: 5.10 and 6.1 interrupt it, 6.12 and later never
 * fire the timeout while the splice blocks), and the pairs tested
 * elsewhere (a plain read: timeout.c, cqe-skip.c).
 */
#include <liburing.h>

#include "conform_uring_block.h"
/* What the request completes with when blk_ready() made it ready. */
static int blk_ready_res(enum blocker_type type)
{
	switch (type) {
	case B_READ: case B_RECV: case B_SPLICE:
	case B_READ_MULTI: case B_RECV_MULTI:
		return 3;
	case B_POLL: case B_POLL_MULTI:
		return POLLIN;
	case B_EPOLL:
		return 1;
	case B_FUTEX:
		return -EAGAIN;
	case B_WAITID:
		return 0;
	case B_SENDMSG:
		return PB_LEN;
	default:
		return INT_MIN;	/* accept: a new fd, checked apart */
	}
}


/* ------------------------------------------------------------------ */
/* A blocking request at the head of a link with a link timeout         */
/* ------------------------------------------------------------------ */

enum lt_mode {
	LT_EXPIRES,		/* the head waits; a 10 ms link timeout fires */
	LT_SKIP_EXPIRES,	/* the same, IOSQE_CQE_SKIP_SUCCESS on the timeout */
	LT_HEAD_FIRST,		/* the head is ready at submit; a 10 s timeout */
	LT_SKIP_HEAD_FIRST,	/* the same, IOSQE_CQE_SKIP_SUCCESS on the timeout */
	LT_MULTISHOT_DATA,	/* a multishot head posts data, then 10 ms expire */
	LT_DRAIN,		/* LT_EXPIRES followed by an IOSQE_IO_DRAIN NOP */
};

/* The link timeouts: short ones fire (the head never completes by itself);
 * the long one is never reached (the head completes at once). An
 * IOSQE_ASYNC head gets 100 ms, see run_link(). */
static struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };
static struct __kernel_timespec async_ts = { .tv_nsec = 100 * 1000 * 1000 };
static struct __kernel_timespec long_ts = { .tv_sec = 10 };

/*
 * Where an IOSQE_ASYNC request of type waits on this kernel, seen on a
 * ring of its own (blk_settle()): poll-armed by its io-wq worker (since
 * 5.16, "io_uring: implement async hybrid mode for pollable requests"),
 * or asleep in the worker (Debian's 5.10). REST_UNSEEN with why[] when
 * neither was seen.
 */
static enum rest async_rest_probe(enum blocker_type type, char *why,
				  size_t len)
{
	enum rest rest = REST_UNSEEN;
	struct blk t;

	blk_init(&t, type);
	if (blk_setup(&t, false) || !blk_queue(&t, IOSQE_ASYNC) ||
	    io_uring_submit(&t.ring) != 1)
		snprintf(why, len, "the IOSQE_ASYNC probe could not be submitted");
	else
		rest = blk_settle(&t, why, len);
	blk_end(&t);
	return rest;
}

/*
 * Queue the request of t with IOSQE_IO_LINK (and sqe_flags), an
 * IORING_OP_LINK_TIMEOUT of ts tagged TAG_LT with lt_flags and, with
 * drain, an IOSQE_IO_DRAIN NOP tagged TAG_NOP; submit. Returns what the
 * submit returned.
 */
static int submit_link(struct blk *t, unsigned char sqe_flags,
		       struct __kernel_timespec *ts, unsigned char lt_flags,
		       bool drain)
{
	struct io_uring_sqe *sqe;

	if (!blk_queue(t, sqe_flags | IOSQE_IO_LINK))
		return -EBUSY;
	sqe = io_uring_get_sqe(&t->ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_link_timeout(sqe, ts, 0);
	sqe->flags = lt_flags;
	sqe->user_data = TAG_LT;
	if (drain && !uring_queue_nop(&t->ring, TAG_NOP, IOSQE_IO_DRAIN))
		return -EBUSY;
	return io_uring_submit(&t->ring);
}

/* Close the fd an accept's CQE carries (res >= 0). */
static void close_accepted(struct blk *t, const struct io_uring_cqe *cqe)
{
	if ((t->type == B_ACCEPT || t->type == B_ACCEPT_MULTI) && cqe->res >= 0)
		close(cqe->res);
}

/*
 * What a request made ready by blk_ready() completes with: res as
 * blk_ready_res() says (an accept: a new fd, >= 0).
 */
static void expect_ready_res(struct __test_metadata *_metadata,
			     enum blocker_type type, int res)
{
	if (type == B_ACCEPT || type == B_ACCEPT_MULTI) {
		EXPECT_LE(0, res);
	} else {
		EXPECT_EQ(blk_ready_res(type), res);
	}
}

/*
 * Run the request of type at the head of a link with a link timeout, in
 * mode, and check what io_uring_enter(2) IORING_OP_LINK_TIMEOUT says: the
 * timeout "will cancel the linked command, unless the linked command
 * completes before the timeout"; it "will complete with -ETIME if the
 * timer expired and the linked request was attempted canceled, or
 * -ECANCELED if the timer got canceled because of completion of the
 * linked request"; the cancelled request ends -ECANCELED and a multishot
 * one without IORING_CQE_F_MORE. With IOSQE_CQE_SKIP_SUCCESS on the
 * timeout "it's guaranteed to not post a CQE ... regardless whether it
 * timed out or was canceled" (io_uring_enter(2), 5.17). A drained NOP
 * after the link "will not be started before previously submitted SQEs
 * have completed" (IOSQE_IO_DRAIN): its CQE is the last.
 * Where the request waits decides how it ends: an IOSQE_ASYNC request
 * asleep in its io-wq worker (Debian's 5.10; async_rest_probe()) cannot
 * be cancelled outright, it is interrupted and ends -EINTR
 * (io_uring_prep_cancel(3) -EALREADY: "interrupted due to the
 * cancelation"); the timeout, which "attempted canceled" it, still ends
 * -ETIME.
 */
static void run_link(struct __test_metadata *_metadata,
		     enum blocker_type type, unsigned char sqe_flags,
		     enum lt_mode mode)
{
	const struct blocker *b = &blockers[type];
	bool skip = mode == LT_SKIP_EXPIRES || mode == LT_SKIP_HEAD_FIRST;
	bool ready = mode == LT_HEAD_FIRST || mode == LT_SKIP_HEAD_FIRST ||
		     mode == LT_MULTISHOT_DATA;
	int want_req = -ECANCELED, want_lt = -ETIME;
	struct __kernel_timespec *ts = &short_ts;
	struct io_uring_cqe cqe, req, lt;
	enum rest rest = REST_POLL;
	char why[256] = "";
	int nr = 0, seen_req = 0, seen_lt = 0;
	struct blk t;

	CONFORM_REQUIRE(blocker_missing(type));
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	if (skip)
		CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CQE_SKIP);
	if (mode == LT_DRAIN)
		URING_REQUIRE_SQE_FLAG(IOSQE_IO_DRAIN);
	if (sqe_flags & IOSQE_ASYNC) {
		/* The timeout may start when the worker takes the request
		 * (6.1 io_wq_submit_work() arms it before the issue): 100 ms
		 * leave the worker far more than the time it needs to get to
		 * where it waits. */
		ts = &async_ts;
	}
	if ((sqe_flags & IOSQE_ASYNC) && !ready) {
		rest = async_rest_probe(type, why, sizeof(why));
		if (rest == REST_UNSEEN)
			SKIP(return, CONFORM_UNSEEN "%s", why);
		TH_LOG("an IOSQE_ASYNC %s waits %s on this kernel", b->name,
		       rest == REST_POLL ? "poll-armed by its worker" :
					   "asleep in its io-wq worker");
	}
	if (ready)
		ts = mode == LT_MULTISHOT_DATA ? &short_ts : &long_ts;
	if (rest == REST_IOWQ)
		want_req = -EINTR;

	blk_init(&t, type);
	ASSERT_EQ(0, blk_setup(&t, ready));
	if (ready)
		ASSERT_EQ(0, blk_ready(&t));
	ASSERT_EQ(mode == LT_DRAIN ? 3 : 2,
		  submit_link(&t, sqe_flags, ts,
			      skip ? IOSQE_CQE_SKIP_SUCCESS : 0,
			      mode == LT_DRAIN));

	if (mode == LT_MULTISHOT_DATA) {
		/* The data CQE comes first and keeps the request armed. */
		ASSERT_EQ(0, uring_reap_one(&t.ring, &cqe));
		EXPECT_EQ((__u64)TAG_REQ, cqe.user_data);
		expect_ready_res(_metadata, type, cqe.res);
		EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
		close_accepted(&t, &cqe);
	}
	/* The request's (last) CQE and the timeout's, in either order; a
	 * drained NOP's only after both. */
	memset(&req, 0, sizeof(req));
	memset(&lt, 0, sizeof(lt));
	for (int want = skip ? 1 : mode == LT_DRAIN ? 3 : 2; nr < want; nr++) {
		ASSERT_EQ(0, uring_reap_one(&t.ring, &cqe)) {
			TH_LOG("CQE %d of %d did not come within %d ms", nr + 1,
			       want, URING_REAP_BOUND_MS);
		}
		if (cqe.user_data == TAG_REQ) {
			req = cqe;
			seen_req++;
		} else if (cqe.user_data == TAG_LT) {
			lt = cqe;
			seen_lt++;
		} else {
			EXPECT_EQ((__u64)TAG_NOP, cqe.user_data);
			EXPECT_EQ(0, cqe.res);
			EXPECT_EQ(2, nr) {
				TH_LOG("the drained NOP completed before the link it follows");
			}
		}
	}
	EXPECT_EQ(1, seen_req);
	EXPECT_EQ(skip ? 0 : 1, seen_lt);
	/* An expired timeout that skips posts nothing later either. (One
	 * cancelled by its head's completion is done with it: a stray CQE
	 * would show in expect_ring_usable().) */
	if (mode == LT_SKIP_EXPIRES)
		EXPECT_EQ(-ETIME, uring_wait_briefly(&t.ring));
	if (mode == LT_HEAD_FIRST || mode == LT_SKIP_HEAD_FIRST) {
		expect_ready_res(_metadata, type, req.res);
		close_accepted(&t, &req);
		want_lt = -ECANCELED;
	} else {
		EXPECT_EQ(want_req, req.res);
	}
	EXPECT_EQ(0u, req.flags & IORING_CQE_F_MORE);
	if (seen_lt)
		EXPECT_EQ(want_lt, lt.res);
	expect_ring_usable(_metadata, &t.ring);
	blk_end(&t);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_READ of an empty pipe with IOSQE_ASYNC (5.6), issued from an
 * io-wq worker: poll-armed there since 5.16 ("io_uring: implement async
 * hybrid mode for pollable requests"), asleep in the worker before
 * (Debian's 5.10); which one is probed first, on a ring of its own, never
 * completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). Asleep in its worker, it
 * cannot be cancelled outright: it is interrupted and ends -EINTR
 * (io_uring_prep_cancel(3) -EALREADY: "interrupted due to the
 * cancelation"), and the timeout, which attempted to cancel it, still ends
 * -ETIME. Kernels that post the cancel's -EALREADY as the timeout's result
 * fail here: cases/known-failures.txt. The timeout is of 100 ms for such a
 * head. Since 5.6.
 */
TEST(link_timeout_expiry_ends_async_read_by_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_READ, IOSQE_ASYNC, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair, never completes by
 * itself, so the 10 ms timeout fires and cancels it: the request ends
 * -ECANCELED and the timeout -ETIME ("the timer expired and the linked
 * request was attempted canceled"). Since 5.6.
 */
TEST(link_timeout_expiry_cancels_pending_recv)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_RECV, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_RECV on an empty AF_UNIX stream pair with IOSQE_ASYNC (5.6),
 * issued from an io-wq worker: poll-armed there since 5.16, asleep in the
 * worker before (Debian's 5.10); which one is probed first, never completes
 * by itself, so the 10 ms timeout fires and cancels it: the request ends
 * -ECANCELED and the timeout -ETIME ("the timer expired and the linked
 * request was attempted canceled"). Asleep in its worker, it cannot be
 * cancelled outright: it is interrupted and ends -EINTR
 * (io_uring_prep_cancel(3) -EALREADY: "interrupted due to the
 * cancelation"), and the timeout, which attempted to cancel it, still ends
 * -ETIME. Kernels that post the cancel's -EALREADY as the timeout's result
 * fail here: cases/known-failures.txt. The timeout is of 100 ms for such a
 * head. Since 5.6.
 */
TEST(link_timeout_expiry_ends_async_recv_by_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_RECV, IOSQE_ASYNC, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe, never completes by itself, so the 10
 * ms timeout fires and cancels it: the request ends -ECANCELED and the
 * timeout -ETIME ("the timer expired and the linked request was attempted
 * canceled"). Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_poll)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_POLL, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a
 * multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe,
 * never completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). A multishot request ends
 * with that CQE, without IORING_CQE_F_MORE. Since 5.13.
 */
TEST(link_timeout_expiry_cancels_pending_multishot_poll)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_POLL_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, never completes by itself,
 * so the 10 ms timeout fires and cancels it: the request ends -ECANCELED
 * and the timeout -ETIME ("the timer expired and the linked request was
 * attempted canceled"). Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_accept)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_ACCEPT, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a
 * multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener,
 * never completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). A multishot request ends
 * with that CQE, without IORING_CQE_F_MORE. Since 5.19.
 */
TEST(link_timeout_expiry_cancels_pending_multishot_accept)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a 30 s
 * IORING_OP_TIMEOUT (count 0), never completes by itself, so the 10 ms
 * timeout fires and cancels it: the request ends -ECANCELED and the timeout
 * -ETIME ("the timer expired and the linked request was attempted
 * canceled"). Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_timeout)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_TIMEOUT, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-buffer
 * ring, never completes by itself, so the 10 ms timeout fires and cancels
 * it: the request ends -ECANCELED and the timeout -ETIME ("the timer
 * expired and the linked request was attempted canceled"). A multishot
 * request ends with that CQE, without IORING_CQE_F_MORE. Since 6.7.
 */
TEST(link_timeout_expiry_cancels_pending_read_multishot)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_READ_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a
 * multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a provided-
 * buffer ring, never completes by itself, so the 10 ms timeout fires and
 * cancels it: the request ends -ECANCELED and the timeout -ETIME ("the
 * timer expired and the linked request was attempted canceled"). A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 6.0.
 */
TEST(link_timeout_expiry_cancels_pending_multishot_recv)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_RECV_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on, never
 * completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). Kernels that post the count
 * of the cancel the timeout made (1; io_uring/timeout.c
 * io_req_task_link_timeout() posts io_try_cancel()'s result unless it is 0)
 * instead of -ETIME fail here: cases/known-failures.txt. Since 6.7.
 */
TEST(link_timeout_expiry_cancels_pending_futex_wait)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_FUTEX, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_WAITID (6.7), WEXITED, for a live child, never completes by
 * itself, so the 10 ms timeout fires and cancels it: the request ends
 * -ECANCELED and the timeout -ETIME ("the timer expired and the linked
 * request was attempted canceled"). Kernels that post the count of the
 * cancel the timeout made (1; io_uring/timeout.c io_req_task_link_timeout()
 * posts io_try_cancel()'s result unless it is 0) instead of -ETIME fail
 * here: cases/known-failures.txt. Since 6.7.
 */
TEST(link_timeout_expiry_cancels_pending_waitid)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_WAITID, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe,
 * never completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). Since 6.15.
 */
TEST(link_timeout_expiry_cancels_pending_epoll_wait)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_EPOLL, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full, never completes by itself, so the 10 ms timeout
 * fires and cancels it: the request ends -ECANCELED and the timeout -ETIME
 * ("the timer expired and the linked request was attempted canceled").
 * Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_sendmsg)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_SENDMSG, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair: the only CQE is the
 * request's, -ECANCELED, and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_recv)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_RECV, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe: the only CQE is the request's,
 * -ECANCELED, and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_poll)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_POLL, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a multishot
 * POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe: the only CQE
 * is the request's, -ECANCELED, and none follows. A multishot request ends
 * with that CQE, without IORING_CQE_F_MORE. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_multishot_poll)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_POLL_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener: the only CQE is the
 * request's, -ECANCELED, and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_accept)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_ACCEPT, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a multishot
 * accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener: the only
 * CQE is the request's, -ECANCELED, and none follows. A multishot request
 * ends with that CQE, without IORING_CQE_F_MORE. Since 5.19.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_multishot_accept)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a 30 s
 * IORING_OP_TIMEOUT (count 0): the only CQE is the request's, -ECANCELED,
 * and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_timeout)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_TIMEOUT, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-buffer
 * ring: the only CQE is the request's, -ECANCELED, and none follows. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_read_multishot)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_READ_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a multishot
 * IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a provided-buffer ring:
 * the only CQE is the request's, -ECANCELED, and none follows. A multishot
 * request ends with that CQE, without IORING_CQE_F_MORE. Since 6.0.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_multishot_recv)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_RECV_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on: the
 * only CQE is the request's, -ECANCELED, and none follows. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_futex_wait)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_FUTEX, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_WAITID (6.7), WEXITED, for a live child: the only CQE is the
 * request's, -ECANCELED, and none follows. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_waitid)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_WAITID, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe:
 * the only CQE is the request's, -ECANCELED, and none follows. Since 6.15.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_epoll_wait)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_EPOLL, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full: the only CQE is the request's, -ECANCELED, and none
 * follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_sendmsg)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_SENDMSG, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_READ of an empty pipe with IOSQE_ASYNC
 * (5.6), issued from an io-wq worker: poll-armed there since 5.16
 * ("io_uring: implement async hybrid mode for pollable requests"), asleep
 * in the worker before (Debian's 5.10); which one is probed first, on a
 * ring of its own, is ready when submitted (3 bytes wait in the pipe), so
 * it completes with its result and the 10 s timeout with -ECANCELED. Since
 * 5.6.
 */
TEST(link_timeout_of_async_read_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_READ, IOSQE_ASYNC, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_RECV (5.6) on an empty AF_UNIX stream
 * pair, is ready when submitted (3 bytes wait in the socket), so it
 * completes with its result and the 10 s timeout with -ECANCELED. Since
 * 5.6.
 */
TEST(link_timeout_of_recv_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_RECV, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_RECV on an empty AF_UNIX stream pair
 * with IOSQE_ASYNC (5.6), issued from an io-wq worker: poll-armed there
 * since 5.16, asleep in the worker before (Debian's 5.10); which one is
 * probed first, is ready when submitted (3 bytes wait in the socket), so it
 * completes with its result and the 10 s timeout with -ECANCELED. Since
 * 5.6.
 */
TEST(link_timeout_of_async_recv_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_RECV, IOSQE_ASYNC, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, a POLLIN IORING_OP_POLL_ADD of an empty pipe, is
 * ready when submitted (3 bytes wait in the pipe (POLLIN)), so it completes
 * with its result and the 10 s timeout with -ECANCELED. Since 5.5.
 */
TEST(link_timeout_of_poll_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_POLL, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, is
 * ready when submitted (a connection waits), so it completes with its
 * result and the 10 s timeout with -ECANCELED. Since 5.5.
 */
TEST(link_timeout_of_accept_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_ACCEPT, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_FUTEX_WAIT (6.7) on a word holding the
 * value it waits on, is ready when submitted (the word no longer holds the
 * value (-EAGAIN, a failed head)), so it completes with its result and the
 * 10 s timeout with -ECANCELED. Since 6.7.
 */
TEST(link_timeout_of_futex_wait_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_FUTEX, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_WAITID (6.7), WEXITED, for a live child,
 * is ready when submitted (the child has exited (0)), so it completes with
 * its result and the 10 s timeout with -ECANCELED. Since 6.7.
 */
TEST(link_timeout_of_waitid_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_WAITID, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_EPOLL_WAIT (6.15) on an epoll instance
 * watching an empty pipe, is ready when submitted (3 bytes wait in the
 * watched pipe (1 event)), so it completes with its result and the 10 s
 * timeout with -ECANCELED. Since 6.15.
 */
TEST(link_timeout_of_epoll_wait_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_EPOLL, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_SPLICE (5.7) between two pipes, run in
 * io-wq, is ready when submitted (3 bytes wait in the source pipe (the
 * splice moves them)), so it completes with its result and the 10 s timeout
 * with -ECANCELED. Since 5.7.
 */
TEST(link_timeout_of_splice_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_SPLICE, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX
 * stream socket whose send buffer is full, is ready when submitted (the
 * socket's buffer has room (64 bytes sent)), so it completes with its
 * result and the 10 s timeout with -ECANCELED. Since 5.5.
 */
TEST(link_timeout_of_sendmsg_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_SENDMSG, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair, is ready when
 * submitted (3 bytes wait in the socket) and completes; the timeout,
 * cancelled with -ECANCELED, posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_recv_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_RECV, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe, is ready when submitted (3 bytes
 * wait in the pipe (POLLIN)) and completes; the timeout, cancelled with
 * -ECANCELED, posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_poll_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_POLL, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, is ready when submitted (a
 * connection waits) and completes; the timeout, cancelled with -ECANCELED,
 * posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_accept_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_ACCEPT, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on, is
 * ready when submitted (the word no longer holds the value (-EAGAIN, a
 * failed head)) and completes; the timeout, cancelled with -ECANCELED,
 * posts nothing. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_futex_wait_completes_first)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_FUTEX, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_WAITID (6.7), WEXITED, for a live child, is ready when
 * submitted (the child has exited (0)) and completes; the timeout,
 * cancelled with -ECANCELED, posts nothing. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_waitid_completes_first)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_WAITID, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe,
 * is ready when submitted (3 bytes wait in the watched pipe (1 event)) and
 * completes; the timeout, cancelled with -ECANCELED, posts nothing. Since
 * 6.15.
 */
TEST(skipping_link_timeout_posts_nothing_when_epoll_wait_completes_first)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_EPOLL, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_SPLICE (5.7) between two pipes, run in io-wq, is ready when
 * submitted (3 bytes wait in the source pipe (the splice moves them)) and
 * completes; the timeout, cancelled with -ECANCELED, posts nothing. Since
 * 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_splice_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_SPLICE, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full, is ready when submitted (the socket's buffer has
 * room (64 bytes sent)) and completes; the timeout, cancelled with
 * -ECANCELED, posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_sendmsg_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_SENDMSG, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, a multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty
 * pipe, finds 3 bytes wait in the pipe (POLLIN) and posts it with
 * IORING_CQE_F_MORE; the 10 ms timeout then still fires: the request ends
 * -ECANCELED without IORING_CQE_F_MORE and the timeout -ETIME. Since 5.13.
 */
TEST(link_timeout_ends_multishot_poll_after_its_data_cqe)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_POLL_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, a multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX
 * listener, finds a connection waits and posts it with IORING_CQE_F_MORE;
 * the 10 ms timeout then still fires: the request ends -ECANCELED without
 * IORING_CQE_F_MORE and the timeout -ETIME. Since 5.19.
 */
TEST(link_timeout_ends_multishot_accept_after_its_data_cqe)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, an IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-
 * buffer ring, finds 3 bytes wait in the pipe and posts it with
 * IORING_CQE_F_MORE; the 10 ms timeout then still fires: the request ends
 * -ECANCELED without IORING_CQE_F_MORE and the timeout -ETIME. Since 6.7.
 */
TEST(link_timeout_ends_read_multishot_after_its_data_cqe)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_READ_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, a multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a
 * provided-buffer ring, finds 3 bytes wait in the socket and posts it with
 * IORING_CQE_F_MORE; the 10 ms timeout then still fires: the request ends
 * -ECANCELED without IORING_CQE_F_MORE and the timeout -ETIME. Since 6.0.
 */
TEST(link_timeout_ends_multishot_recv_after_its_data_cqe)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_RECV_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_READ (5.6) of an empty pipe, which waits, and a 10 ms
 * link timeout that ends it (request -ECANCELED, timeout -ETIME). The NOP's
 * CQE is the third, after both. Since 5.6.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_read)
{
	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_READ, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair, which waits,
 * and a 10 ms link timeout that ends it (request -ECANCELED, timeout
 * -ETIME). The NOP's CQE is the third, after both. Since 5.6.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_recv)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_RECV, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a POLLIN IORING_OP_POLL_ADD of an empty pipe, which waits, and a 10 ms
 * link timeout that ends it (request -ECANCELED, timeout -ETIME). The NOP's
 * CQE is the third, after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_poll)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_POLL, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty
 * pipe, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 5.13.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_multishot_poll)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_POLL_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, which waits, and a
 * 10 ms link timeout that ends it (request -ECANCELED, timeout -ETIME). The
 * NOP's CQE is the third, after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_accept)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_ACCEPT, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX
 * listener, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 5.19.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_multishot_accept)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a 30 s IORING_OP_TIMEOUT (count 0), which waits, and a 10 ms link
 * timeout that ends it (request -ECANCELED, timeout -ETIME). The NOP's CQE
 * is the third, after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_timeout)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_TIMEOUT, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-
 * buffer ring, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 6.7.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_read_multishot)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_READ_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a
 * provided-buffer ring, which waits, and a 10 ms link timeout that ends it
 * (request -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after
 * both. A multishot request ends with that CQE, without IORING_CQE_F_MORE.
 * Since 6.0.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_multishot_recv)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_RECV_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on,
 * which waits, and a 10 ms link timeout that ends it (request -ECANCELED,
 * timeout -ETIME). The NOP's CQE is the third, after both. Kernels that
 * post the count of the cancel the timeout made (1; io_uring/timeout.c
 * io_req_task_link_timeout() posts io_try_cancel()'s result unless it is 0)
 * instead of -ETIME fail here: cases/known-failures.txt. Since 6.7.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_futex_wait)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_FUTEX, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_WAITID (6.7), WEXITED, for a live child, which waits, and
 * a 10 ms link timeout that ends it (request -ECANCELED, timeout -ETIME).
 * The NOP's CQE is the third, after both. Kernels that post the count of
 * the cancel the timeout made (1; io_uring/timeout.c
 * io_req_task_link_timeout() posts io_try_cancel()'s result unless it is 0)
 * instead of -ETIME fail here: cases/known-failures.txt. Since 6.7.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_waitid)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_WAITID, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty
 * pipe, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both.
 * Since 6.15.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_epoll_wait)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_EPOLL, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket
 * whose send buffer is full, which waits, and a 10 ms link timeout that
 * ends it (request -ECANCELED, timeout -ETIME). The NOP's CQE is the third,
 * after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_sendmsg)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_SENDMSG, 0, LT_DRAIN);
}

TEST_HARNESS_MAIN
