// SPDX-License-Identifier: MIT
/*
 * uring/cancel-matrix: every blocking request type under every kind of
 * cancel. The request types, each made to wait on something that never
 * comes by itself: IORING_OP_READ of an empty pipe and IORING_OP_RECV on
 * an empty socket pair (5.6; also with IOSQE_ASYNC, issued from io-wq),
 * IORING_OP_POLL_ADD (POLLIN; multishot with IORING_POLL_ADD_MULTI, 5.13),
 * IORING_OP_ACCEPT on a listener (5.5; multishot with
 * IORING_ACCEPT_MULTISHOT, 5.19), a long IORING_OP_TIMEOUT (5.4),
 * IORING_OP_READ_MULTISHOT (6.7) and a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) with a provided-buffer ring,
 * IORING_OP_FUTEX_WAIT and IORING_OP_WAITID (6.7), IORING_OP_EPOLL_WAIT
 * (6.15), IORING_OP_SPLICE from an empty pipe (5.7, always run in io-wq)
 * and IORING_OP_SENDMSG to a socket whose buffer is full (5.3). The cancel
 * kinds: IORING_OP_ASYNC_CANCEL by user_data (5.5), by fd
 * (IORING_ASYNC_CANCEL_FD, 5.19; for the requests that have one), by
 * opcode (IORING_ASYNC_CANCEL_OP, 6.6), of any request
 * (IORING_ASYNC_CANCEL_ANY, 5.19), and IORING_REGISTER_SYNC_CANCEL (6.0).
 * One TEST per (type, kind); each asserts the cancel's result, the
 * request's result, that a multishot request's last CQE has no
 * IORING_CQE_F_MORE, and that the ring still runs a NOP afterwards.
 * Pairs tested elsewhere are left out: a read by user_data and by fd, a
 * timeout by user_data (async-cancel), a poll by ANY (cancel-match) and
 * by sync cancel (sync-cancel), a futex wait by user_data (futex), a
 * splice by user_data (ref/event-cancel-enoent-ealready).
 * Determinism: the cancel is sent only once the request is seen where it
 * waits: in the ring's poll hash (the PollList of its fdinfo), asleep in
 * an io-wq worker (/proc/self/task/<tid>/wchan or stack; for a request
 * that may also be poll-armed, still asleep at the end of the bound), or
 * on the timeout/futex/waitid list it joins before io_uring_enter()
 * returns.
 */
#include <liburing.h>

#include "conform_uring_block.h"

/* ------------------------------------------------------------------ */
/* The cancel kinds                                                     */
/* ------------------------------------------------------------------ */

enum kind {
	BY_USER_DATA,	/* IORING_OP_ASYNC_CANCEL of the request's user_data */
	BY_FD,		/* ... with IORING_ASYNC_CANCEL_FD, the request's fd */
	BY_OPCODE,	/* ... with IORING_ASYNC_CANCEL_OP, its opcode */
	BY_ANY,		/* ... with IORING_ASYNC_CANCEL_ANY */
	BY_SYNC,	/* IORING_REGISTER_SYNC_CANCEL of its user_data */
};

/*
 * NULL if a cancel with flags (fd 0, opcode IORING_OP_NOP in len) of a
 * user_data nobody has gets anything but -EINVAL, on a ring of its own:
 * kernels that do not know a cancel flag refuse it with -EINVAL
 * (uring_flag_result_missing()).
 */
static const char *cancel_flags_missing(unsigned int flags, const char *name)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_cancel64(&sqe, 0x5eed, (int)flags);
	sqe.fd = 0;
	sqe.len = IORING_OP_NOP;
	return uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					 "a cancel of an unknown user_data",
					 name);
}

/* The argument of IORING_REGISTER_SYNC_CANCEL for user_data, no timeout. */
static struct io_uring_sync_cancel_reg sync_reg(__u64 user_data)
{
	struct io_uring_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.addr = user_data;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	return reg;
}

/* NULL if IORING_REGISTER_SYNC_CANCEL of an unknown user_data fails with
 * ENOENT on a ring of its own (the register opcode exists, 6.0). */
static const char *sync_cancel_missing(void)
{
	struct io_uring_sync_cancel_reg reg = sync_reg(0x5eed);
	struct io_uring ring;
	int ret, err;

	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed for the sync-cancel probe";
	ret = uring_register_raw(&ring, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret < 0 && err == ENOENT)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_SYNC_CANCEL: returns %d (%s), not ENOENT, for an unknown user_data",
		 ret, ret < 0 ? strerror(err) : "no error");
	return conform_why;
}

static const char *kind_missing(enum kind kind)
{
	const char *why = conform_uring_op_missing(IORING_OP_ASYNC_CANCEL,
						   "IORING_OP_ASYNC_CANCEL");

	if (why)
		return why;
	switch (kind) {
	case BY_FD:
		return cancel_flags_missing(IORING_ASYNC_CANCEL_FD,
					    "IORING_ASYNC_CANCEL_FD");
	case BY_OPCODE:
		return cancel_flags_missing(REF_IORING_ASYNC_CANCEL_OP,
					    "IORING_ASYNC_CANCEL_OP");
	case BY_ANY:
		return cancel_flags_missing(IORING_ASYNC_CANCEL_ANY,
					    "IORING_ASYNC_CANCEL_ANY");
	case BY_SYNC:
		return sync_cancel_missing();
	case BY_USER_DATA:
		break;
	}
	return NULL;
}

/* Queue a cancel of kind (not BY_SYNC) aimed at the request of t. */
static void queue_cancel(struct blk *t, enum kind kind)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

	if (!sqe)	/* never: 8 entries, at most 2 queued */
		return;
	io_uring_prep_cancel64(sqe, TAG_REQ, 0);
	switch (kind) {
	case BY_FD:
		sqe->cancel_flags = IORING_ASYNC_CANCEL_FD;
		sqe->fd = t->fd;
		break;
	case BY_OPCODE:
		sqe->cancel_flags = REF_IORING_ASYNC_CANCEL_OP;
		sqe->len = blockers[t->type].opcode;
		break;
	case BY_ANY:
		sqe->cancel_flags = IORING_ASYNC_CANCEL_ANY;
		break;
	default:
		break;
	}
	sqe->user_data = TAG_CANCEL;
}

/* Reap n CQEs tagged as tags[] into out[] (res INT_MIN for one that never
 * came: each wait is bounded). */
static void reap_tags(struct io_uring *ring, unsigned int n, const __u64 *tags,
		      struct io_uring_cqe *out)
{
	for (unsigned int i = 0; i < n; i++) {
		out[i].res = INT_MIN;
		out[i].flags = 0;
	}
	for (unsigned int k = 0; k < n; k++) {
		struct io_uring_cqe cqe;

		if (uring_reap_one(ring, &cqe))
			return;
		for (unsigned int i = 0; i < n; i++)
			if (tags[i] == cqe.user_data)
				out[i] = cqe;
	}
}

/*
 * After an IORING_OP_ASYNC_CANCEL was submitted: reap until its CQE
 * (cqes[1], TAG_CANCEL) and the request's (cqes[0], TAG_REQ) are in; res
 * INT_MIN for one that never came. The cancel's CQE is posted by the time
 * the submit returns (io_uring_prep_cancel(3) NOTES). A cancel that found
 * nothing (-ENOENT) ends no request: the request's CQE is then only
 * looked for briefly (URING_BRIEF_WAIT_MS), unless it waits in io-wq,
 * where a request may have been interrupted all the same.
 */
static void reap_cancel_pair(struct io_uring *ring, enum rest rest,
			     struct io_uring_cqe *cqes)
{
	bool have_req = false, have_cancel = false;

	cqes[0].res = cqes[1].res = INT_MIN;
	cqes[0].flags = cqes[1].flags = 0;
	while (!have_req || !have_cancel) {
		struct io_uring_cqe *cqe;
		int ms = URING_REAP_BOUND_MS;

		if (have_cancel && cqes[1].res == -ENOENT && rest != REST_IOWQ)
			ms = URING_BRIEF_WAIT_MS;
		if (uring_wait_cqe_ms(ring, &cqe, ms))
			return;
		if (cqe->user_data == TAG_REQ) {
			cqes[0] = *cqe;
			/* A multishot request's last CQE is the one without
			 * IORING_CQE_F_MORE. */
			have_req = !(cqe->flags & IORING_CQE_F_MORE);
		} else if (cqe->user_data == TAG_CANCEL) {
			cqes[1] = *cqe;
			have_cancel = true;
		}
		io_uring_cqe_seen(ring, cqe);
	}
}

/* res is want; else say which result it was. */
static void expect_res(struct __test_metadata *_metadata, const char *what,
		       int res, int want)
{
	EXPECT_EQ(want, res) {
		if (res == INT_MIN)
			TH_LOG("%s: no CQE, want %d", what, want);
		else
			TH_LOG("%s: %d, want %d", what, res, want);
	}
}

/*
 * Submit the request of type (with sqe_flags), wait until it rests where
 * it waits, cancel it by kind, and check: the cancel's result, the
 * request's result, no IORING_CQE_F_MORE on the request's last CQE, and
 * that the ring then still runs a NOP. What each result must be, by where
 * the request waits (probed: blk_settle()):
 *   pending (in the poll hash, or on its own timeout, futex or waitid
 *   list): the request -ECANCELED; the cancel 0 (io_uring_enter(2)
 *   IORING_OP_ASYNC_CANCEL: "If found, the res field of the cqe will
 *   contain 0"; io_uring_prep_cancel(3): "If no flags are used to cancel
 *   multiple requests, 0 is returned on success"), 1 with
 *   IORING_ASYNC_CANCEL_ANY ("a positive value is returned indicating how
 *   many requests were found and canceled"); a sync cancel returns what
 *   the cancel would (io_uring_register_sync_cancel(3));
 *   asleep in an io-wq worker: the cancel -EALREADY (io_uring_enter(2):
 *   "If found and attempted canceled, the res field will contain
 *   -EALREADY"), and the request, interrupted, ends -EINTR; ANY counts 0
 *   (the request was not cancelled, only interrupted) and a sync cancel
 *   returns 0 once the request has ended.
 */
static void run_cancel(struct __test_metadata *_metadata,
		       enum blocker_type type, unsigned char sqe_flags,
		       enum kind kind)
{
	const struct blocker *b = &blockers[type];
	const __u64 tags[1] = { TAG_REQ };
	int want_req = -ECANCELED, want_cancel, cancel_res;
	struct io_uring_cqe cqes[2];
	enum rest rest = REST_POLL;
	char why[256] = "";
	struct blk t;

	CONFORM_REQUIRE(blocker_missing(type));
	CONFORM_REQUIRE(kind_missing(kind));
	blk_init(&t, type);
	ASSERT_EQ(0, blk_setup(&t, false));
	ASSERT_TRUE(blk_queue(&t, sqe_flags));
	ASSERT_EQ(1, io_uring_submit(&t.ring));
	if (b->rest != AT_SUBMIT)
		rest = blk_settle(&t, why, sizeof(why));
	if (rest == REST_UNSEEN && b->rest == POLL_ARMED &&
	    poll_list_has(t.ring.ring_fd, b->opcode) == 0) {
		blk_end(&t);
		ASSERT_NE(REST_UNSEEN, rest) {
			TH_LOG("%s", why);
		}
	}
	if (rest == REST_UNSEEN) {
		blk_end(&t);
		SKIP(return, CONFORM_UNSEEN "%s", why);
	}
	TH_LOG("the %s waits %s", b->name,
	       rest == REST_POLL ? (b->rest == AT_SUBMIT ? "on its own list" :
				    "poll-armed (fdinfo PollList)") :
				   "asleep in an io-wq worker");
	if (rest == REST_IOWQ) {
		want_req = -EINTR;
		want_cancel = kind == BY_ANY || kind == BY_SYNC ? 0 : -EALREADY;
	} else {
		want_cancel = kind == BY_ANY ? 1 : 0;
	}

	if (kind == BY_SYNC) {
		struct io_uring_sync_cancel_reg reg = sync_reg(TAG_REQ);

		cancel_res = uring_register_raw(&t.ring,
						IORING_REGISTER_SYNC_CANCEL,
						&reg, 1);
		if (cancel_res < 0)
			cancel_res = -errno;
		reap_tags(&t.ring, 1, tags, cqes);
	} else {
		queue_cancel(&t, kind);
		ASSERT_EQ(1, io_uring_submit(&t.ring));
		reap_cancel_pair(&t.ring, rest, cqes);
		cancel_res = cqes[1].res;
	}
	expect_res(_metadata, "the cancel", cancel_res, want_cancel);
	expect_res(_metadata, "the request", cqes[0].res, want_req);
	EXPECT_EQ(0u, cqes[0].flags & IORING_CQE_F_MORE);
	expect_ring_usable(_metadata, &t.ring);
	blk_end(&t);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_READ
 * (5.6) of an empty pipe, which waits poll-armed (seen in the ring's fdinfo
 * PollList). The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_read_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_READ, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_READ (5.6) of an empty
 * pipe, which waits poll-armed (seen in the ring's fdinfo PollList). The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts
 * 1. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_read_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_READ, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_READ (5.6) of
 * an empty pipe, which waits poll-armed (seen in the ring's fdinfo
 * PollList). The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel returns 0. The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_read_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_READ, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_READ of an empty
 * pipe with IOSQE_ASYNC, issued from an io-wq worker (5.6). Where it then
 * waits depends on the kernel: since 5.16 ("io_uring: implement async
 * hybrid mode for pollable requests") the worker arms a poll for it, seen
 * in the fdinfo PollList; older ones (Debian's 5.10) block in the worker,
 * seen asleep in pipe_read. The test waits until it sees the read poll-
 * armed, or until the bound (URING_REAP_BOUND_MS) ends with the worker
 * still asleep there. Poll-armed, the pair is that of a pending request:
 * the cancel 0, the request -ECANCELED; asleep in the worker, the cancel
 * gets -EALREADY and the request, interrupted, ends -EINTR
 * (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 5.6.
 */
TEST(cancel_by_user_data_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_READ of an empty pipe with IOSQE_ASYNC, issued from an io-wq
 * worker (5.6). Where it then waits depends on the kernel: since 5.16
 * ("io_uring: implement async hybrid mode for pollable requests") the
 * worker arms a poll for it, seen in the fdinfo PollList; older ones
 * (Debian's 5.10) block in the worker, seen asleep in pipe_read. The test
 * waits until it sees the read poll-armed, or until the bound
 * (URING_REAP_BOUND_MS) ends with the worker still asleep there. Poll-
 * armed, the pair is that of a pending request: the cancel 0, the request
 * -ECANCELED; asleep in the worker, the cancel gets -EALREADY and the
 * request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.19.
 */
TEST(cancel_by_fd_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_READ
 * of an empty pipe with IOSQE_ASYNC, issued from an io-wq worker (5.6).
 * Where it then waits depends on the kernel: since 5.16 ("io_uring:
 * implement async hybrid mode for pollable requests") the worker arms a
 * poll for it, seen in the fdinfo PollList; older ones (Debian's 5.10)
 * block in the worker, seen asleep in pipe_read. The test waits until it
 * sees the read poll-armed, or until the bound (URING_REAP_BOUND_MS) ends
 * with the worker still asleep there. Poll-armed, the pair is that of a
 * pending request: the cancel 0, the request -ECANCELED; asleep in the
 * worker, the cancel gets -EALREADY and the request, interrupted, ends
 * -EINTR (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_READ of an empty pipe
 * with IOSQE_ASYNC, issued from an io-wq worker (5.6). Where it then waits
 * depends on the kernel: since 5.16 ("io_uring: implement async hybrid mode
 * for pollable requests") the worker arms a poll for it, seen in the fdinfo
 * PollList; older ones (Debian's 5.10) block in the worker, seen asleep in
 * pipe_read. The test waits until it sees the read poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 1, the
 * request -ECANCELED; asleep in the worker, the cancel counts 0 and the
 * request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.19.
 */
TEST(cancel_any_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_READ of an
 * empty pipe with IOSQE_ASYNC, issued from an io-wq worker (5.6). Where it
 * then waits depends on the kernel: since 5.16 ("io_uring: implement async
 * hybrid mode for pollable requests") the worker arms a poll for it, seen
 * in the fdinfo PollList; older ones (Debian's 5.10) block in the worker,
 * seen asleep in pipe_read. The test waits until it sees the read poll-
 * armed, or until the bound (URING_REAP_BOUND_MS) ends with the worker
 * still asleep there. Poll-armed, the pair is that of a pending request:
 * the cancel 0, the request -ECANCELED; asleep in the worker, the cancel
 * returns 0 once it ended and the request, interrupted, ends -EINTR
 * (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_RECV (5.6) on an
 * empty AF_UNIX stream socket pair, which waits poll-armed. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. The ring
 * then still runs a NOP. Since 5.6.
 */
TEST(cancel_by_user_data_of_pending_recv_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_RECV, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_RECV (5.6) on an empty AF_UNIX stream socket pair, which
 * waits poll-armed. The request ends -ECANCELED (io_uring_prep_cancel(3))
 * and the cancel gets 0. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_recv_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_RECV, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_RECV
 * (5.6) on an empty AF_UNIX stream socket pair, which waits poll-armed. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * The 6.1 stable line takes the flag but does not match poll-armed requests
 * by opcode (the cancel gets -ENOENT, the request stays): it fails here,
 * cases/known-failures.txt. The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_recv_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_RECV, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_RECV (5.6) on an empty
 * AF_UNIX stream socket pair, which waits poll-armed. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts 1. The ring
 * then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_recv_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_RECV, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_RECV (5.6) on
 * an empty AF_UNIX stream socket pair, which waits poll-armed. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns 0. The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_recv_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_RECV, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_RECV on an empty
 * AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq worker (5.6).
 * Where it then waits depends on the kernel: poll-armed by the worker
 * (since 5.16, "io_uring: implement async hybrid mode for pollable
 * requests"), or asleep in the worker in unix_stream_read_generic (Debian's
 * 5.10). The test waits until it sees the recv poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 0, the
 * request -ECANCELED; asleep in the worker, the cancel gets -EALREADY and
 * the request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.6.
 */
TEST(cancel_by_user_data_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_RECV on an empty AF_UNIX stream pair with IOSQE_ASYNC,
 * issued from an io-wq worker (5.6). Where it then waits depends on the
 * kernel: poll-armed by the worker (since 5.16, "io_uring: implement async
 * hybrid mode for pollable requests"), or asleep in the worker in
 * unix_stream_read_generic (Debian's 5.10). The test waits until it sees
 * the recv poll-armed, or until the bound (URING_REAP_BOUND_MS) ends with
 * the worker still asleep there. Poll-armed, the pair is that of a pending
 * request: the cancel 0, the request -ECANCELED; asleep in the worker, the
 * cancel gets -EALREADY and the request, interrupted, ends -EINTR
 * (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_RECV
 * on an empty AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq
 * worker (5.6). Where it then waits depends on the kernel: poll-armed by
 * the worker (since 5.16, "io_uring: implement async hybrid mode for
 * pollable requests"), or asleep in the worker in unix_stream_read_generic
 * (Debian's 5.10). The test waits until it sees the recv poll-armed, or
 * until the bound (URING_REAP_BOUND_MS) ends with the worker still asleep
 * there. Poll-armed, the pair is that of a pending request: the cancel 0,
 * the request -ECANCELED; asleep in the worker, the cancel gets -EALREADY
 * and the request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 6.6.
 */
TEST(cancel_by_opcode_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_RECV on an empty
 * AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq worker (5.6).
 * Where it then waits depends on the kernel: poll-armed by the worker
 * (since 5.16, "io_uring: implement async hybrid mode for pollable
 * requests"), or asleep in the worker in unix_stream_read_generic (Debian's
 * 5.10). The test waits until it sees the recv poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 1, the
 * request -ECANCELED; asleep in the worker, the cancel counts 0 and the
 * request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.19.
 */
TEST(cancel_any_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_RECV on an
 * empty AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq worker
 * (5.6). Where it then waits depends on the kernel: poll-armed by the
 * worker (since 5.16, "io_uring: implement async hybrid mode for pollable
 * requests"), or asleep in the worker in unix_stream_read_generic (Debian's
 * 5.10). The test waits until it sees the recv poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 0, the
 * request -ECANCELED; asleep in the worker, the cancel returns 0 once it
 * ended and the request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 6.0.
 */
TEST(sync_cancel_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a POLLIN IORING_OP_POLL_ADD of
 * an empty pipe (cancellable by IORING_OP_ASYNC_CANCEL since 5.5,
 * "io_uring: make ASYNC_CANCEL work with poll and timeout"). The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. The ring
 * then still runs a NOP. Since 5.5.
 */
TEST(cancel_by_user_data_of_pending_poll_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_POLL, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a POLLIN IORING_OP_POLL_ADD of an empty pipe (cancellable by
 * IORING_OP_ASYNC_CANCEL since 5.5, "io_uring: make ASYNC_CANCEL work with
 * poll and timeout"). The request ends -ECANCELED (io_uring_prep_cancel(3))
 * and the cancel gets 0. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_poll_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_POLL, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe (cancellable by
 * IORING_OP_ASYNC_CANCEL since 5.5, "io_uring: make ASYNC_CANCEL work with
 * poll and timeout"). The request ends -ECANCELED (io_uring_prep_cancel(3))
 * and the cancel gets 0. The 6.1 stable line takes the flag but does not
 * match poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_poll_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_POLL, 0, BY_OPCODE);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a multishot POLLIN poll
 * (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 5.13.
 */
TEST(cancel_by_user_data_of_pending_multishot_poll_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe.
 * The request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets
 * 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 5.19.
 */
TEST(cancel_by_fd_of_pending_multishot_poll_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a multishot POLLIN
 * poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_multishot_poll_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a multishot POLLIN poll
 * (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts 1. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_multishot_poll_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a multishot POLLIN poll
 * (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns 0. A
 * multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_multishot_poll_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_ACCEPT (5.5) on an
 * AF_UNIX listener with no connection waiting, which waits poll-armed. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * The ring then still runs a NOP. Since 5.5.
 */
TEST(cancel_by_user_data_of_pending_accept_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_ACCEPT, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_ACCEPT (5.5) on an AF_UNIX listener with no connection
 * waiting, which waits poll-armed. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The ring then still runs
 * a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_accept_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_ACCEPT, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener with no connection waiting,
 * which waits poll-armed. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The 6.1 stable line
 * takes the flag but does not match poll-armed requests by opcode (the
 * cancel gets -ENOENT, the request stays): it fails here, cases/known-
 * failures.txt. The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_accept_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_ACCEPT, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_ACCEPT (5.5) on an
 * AF_UNIX listener with no connection waiting, which waits poll-armed. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts
 * 1. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_accept_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_ACCEPT, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_ACCEPT (5.5)
 * on an AF_UNIX listener with no connection waiting, which waits poll-
 * armed. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel returns 0. The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_accept_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_ACCEPT, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 5.19.
 */
TEST(cancel_by_user_data_of_pending_multishot_accept_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener
 * with no connection waiting. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_multishot_accept_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The 6.1 stable line takes the flag but
 * does not match poll-armed requests by opcode (the cancel gets -ENOENT,
 * the request stays): it fails here, cases/known-failures.txt. The ring
 * then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_multishot_accept_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel counts 1. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 5.19.
 */
TEST(cancel_any_of_pending_multishot_accept_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel returns 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 6.0.
 */
TEST(sync_cancel_of_pending_multishot_accept_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_SYNC);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a 30 s
 * IORING_OP_TIMEOUT (5.4), count 0, on the ring's timeout list. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. The ring
 * then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_timeout_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_TIMEOUT, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a 30 s IORING_OP_TIMEOUT (5.4),
 * count 0, on the ring's timeout list. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. The ring then still
 * runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_timeout_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_TIMEOUT, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a 30 s IORING_OP_TIMEOUT
 * (5.4), count 0, on the ring's timeout list. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. The ring then still
 * runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_timeout_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_TIMEOUT, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_READ_MULTISHOT
 * (6.7) of an empty pipe, with buffers from a provided-buffer ring. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * A multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_user_data_of_pending_read_multishot_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_READ_MULTISHOT (6.7) of an empty pipe, with buffers from a
 * provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_fd_of_pending_read_multishot_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_READ_MULTISHOT (6.7) of an empty pipe, with buffers from a
 * provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * 6.1 stable line takes the flag but does not match poll-armed requests by
 * opcode (the cancel gets -ENOENT, the request stays): it fails here,
 * cases/known-failures.txt. The ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_opcode_of_pending_read_multishot_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_READ_MULTISHOT (6.7)
 * of an empty pipe, with buffers from a provided-buffer ring. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts 1. A
 * multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_any_of_pending_read_multishot_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_READ_MULTISHOT
 * (6.7) of an empty pipe, with buffers from a provided-buffer ring. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns
 * 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 6.7.
 */
TEST(sync_cancel_of_pending_read_multishot_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream pair, with
 * buffers from a provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(cancel_by_user_data_of_pending_multishot_recv_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) on an empty
 * AF_UNIX stream pair, with buffers from a provided-buffer ring. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * A multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.0.
 */
TEST(cancel_by_fd_of_pending_multishot_recv_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a multishot
 * IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream
 * pair, with buffers from a provided-buffer ring. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_multishot_recv_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream pair, with
 * buffers from a provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. A multishot request
 * ends with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(cancel_any_of_pending_multishot_recv_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream pair, with
 * buffers from a provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. A multishot request
 * ends with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_multishot_recv_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_SYNC);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_FUTEX_WAIT (6.7) on a word that holds the value it waits on.
 * The request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets
 * 0. Kernels whose io_uring/futex.c io_futex_cancel() makes the cancel post
 * the number it cancelled (1) fail here: cases/known-failures.txt. The ring
 * then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_opcode_of_pending_futex_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_FUTEX, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_FUTEX_WAIT (6.7) on a
 * word that holds the value it waits on. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(cancel_any_of_pending_futex_wait_counts_one)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_FUTEX, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_FUTEX_WAIT
 * (6.7) on a word that holds the value it waits on. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns 0. Kernels
 * whose io_uring/futex.c io_futex_cancel() makes the cancel post the number
 * it cancelled (1) fail here: cases/known-failures.txt. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(sync_cancel_of_pending_futex_wait_returns_zero)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_FUTEX, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_WAITID (6.7),
 * WEXITED, for a child that has not exited. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. Kernels whose
 * io_uring/waitid.c io_waitid_cancel() makes the cancel post the number it
 * cancelled (1) fail here: cases/known-failures.txt. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(cancel_by_user_data_of_pending_waitid_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_WAITID, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_WAITID (6.7), WEXITED, for a child that has not exited. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * Kernels whose io_uring/waitid.c io_waitid_cancel() makes the cancel post
 * the number it cancelled (1) fail here: cases/known-failures.txt. The ring
 * then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_opcode_of_pending_waitid_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_WAITID, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_WAITID (6.7), WEXITED,
 * for a child that has not exited. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(cancel_any_of_pending_waitid_counts_one)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_WAITID, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_WAITID (6.7),
 * WEXITED, for a child that has not exited. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. Kernels whose
 * io_uring/waitid.c io_waitid_cancel() makes the cancel post the number it
 * cancelled (1) fail here: cases/known-failures.txt. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(sync_cancel_of_pending_waitid_returns_zero)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_WAITID, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_EPOLL_WAIT (6.15)
 * on an epoll instance watching an empty pipe, which waits poll-armed on
 * the epoll fd. The request ends -ECANCELED (io_uring_prep_cancel(3)) and
 * the cancel gets 0. The ring then still runs a NOP. Since 6.15.
 */
TEST(cancel_by_user_data_of_pending_epoll_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_EPOLL, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty
 * pipe, which waits poll-armed on the epoll fd. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The ring then still runs
 * a NOP. Since 6.15.
 */
TEST(cancel_by_fd_of_pending_epoll_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_EPOLL, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe,
 * which waits poll-armed on the epoll fd. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The 6.1 stable line
 * takes the flag but does not match poll-armed requests by opcode (the
 * cancel gets -ENOENT, the request stays): it fails here, cases/known-
 * failures.txt. The ring then still runs a NOP. Since 6.15.
 */
TEST(cancel_by_opcode_of_pending_epoll_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_EPOLL, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_EPOLL_WAIT (6.15) on
 * an epoll instance watching an empty pipe, which waits poll-armed on the
 * epoll fd. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel counts 1. The ring then still runs a NOP. Since 6.15.
 */
TEST(cancel_any_of_pending_epoll_wait_counts_one)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_EPOLL, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_EPOLL_WAIT
 * (6.15) on an epoll instance watching an empty pipe, which waits poll-
 * armed on the epoll fd. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. The ring then still
 * runs a NOP. Since 6.15.
 */
TEST(sync_cancel_of_pending_epoll_wait_returns_zero)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_EPOLL, 0, BY_SYNC);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_SPLICE (5.7) from an empty pipe into another: io_uring hands
 * every splice to io-wq, where it sleeps; the cancel is sent once a worker
 * is seen asleep in pipe_wait_readable (workers are threads of the process,
 * seen in /proc/self/task, since 5.12). The cancel by the splice's fd (its
 * destination, sqe->fd) finds it running: -EALREADY (io_uring_enter(2): "If
 * found and attempted canceled, the res field will contain -EALREADY"), and
 * the worker is interrupted: the splice ends -EINTR. Kernels that end the
 * splice with the kernel-internal -ERESTARTSYS (512; include/linux/errno.h:
 * never to be seen by user programs), or answer the cancel with -ENOENT
 * although it found the splice, fail here: cases/known-failures.txt. The
 * ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_splice_asleep_in_io_wq_gets_ealready)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL -EALREADY; io_uring_prep_cancel(3)");
	run_cancel(_metadata, B_SPLICE, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_SPLICE (5.7) from an empty pipe into another: io_uring hands
 * every splice to io-wq, where it sleeps; the cancel is sent once a worker
 * is seen asleep in pipe_wait_readable (workers are threads of the process,
 * seen in /proc/self/task, since 5.12). The cancel by IORING_OP_SPLICE
 * finds it running: -EALREADY, and the splice ends -EINTR. Kernels that end
 * the splice with the kernel-internal -ERESTARTSYS (512;
 * include/linux/errno.h: never to be seen by user programs), or answer the
 * cancel with -ENOENT although it found the splice, fail here: cases/known-
 * failures.txt. The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_splice_asleep_in_io_wq_gets_ealready)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL -EALREADY; io_uring_prep_cancel(3)");
	run_cancel(_metadata, B_SPLICE, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_SPLICE (5.7) from an
 * empty pipe into another: io_uring hands every splice to io-wq, where it
 * sleeps; the cancel is sent once a worker is seen asleep in
 * pipe_wait_readable (workers are threads of the process, seen in
 * /proc/self/task, since 5.12). The splice is interrupted (-EINTR), but it
 * is not counted: ANY counts "how many requests were found and canceled",
 * and a request past the point where cancelation is possible (-EALREADY) is
 * interrupted, not canceled: the count is 0 (io_uring/cancel.c
 * __io_async_cancel(), 6.1 to 7.2 alike). Kernels that end the splice with
 * the kernel-internal -ERESTARTSYS (512; include/linux/errno.h: never to be
 * seen by user programs) fail here: cases/known-failures.txt. The ring then
 * still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_splice_asleep_in_io_wq_interrupts_it_counting_zero)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) count; io_uring/cancel.c");
	run_cancel(_metadata, B_SPLICE, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_SPLICE (5.7)
 * from an empty pipe into another: io_uring hands every splice to io-wq,
 * where it sleeps; the cancel is sent once a worker is seen asleep in
 * pipe_wait_readable (workers are threads of the process, seen in
 * /proc/self/task, since 5.12). The call returns 0 once the interrupted
 * splice (-EINTR) has ended (io_uring/cancel.c io_sync_cancel() waits while
 * the answer is -EALREADY). Kernels that end the splice with the kernel-
 * internal -ERESTARTSYS (512; include/linux/errno.h: never to be seen by
 * user programs), or answer the cancel with -ENOENT although it found the
 * splice, fail here: cases/known-failures.txt. The ring then still runs a
 * NOP. Since 6.0.
 */
TEST(sync_cancel_of_splice_asleep_in_io_wq_returns_zero_once_it_ended)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_SPLICE, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_SENDMSG (5.3) of 64
 * bytes on an AF_UNIX stream socket whose send buffer is full
 * (conform_fill_until_full), which waits poll-armed for POLLOUT. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * The ring then still runs a NOP. Since 5.5.
 */
TEST(cancel_by_user_data_of_pending_sendmsg_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_SENDMSG, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full (conform_fill_until_full), which waits poll-armed for
 * POLLOUT. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_sendmsg_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_SENDMSG, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full (conform_fill_until_full), which waits poll-armed for
 * POLLOUT. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_sendmsg_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_SENDMSG, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_SENDMSG (5.3) of 64
 * bytes on an AF_UNIX stream socket whose send buffer is full
 * (conform_fill_until_full), which waits poll-armed for POLLOUT. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts
 * 1. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_sendmsg_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_SENDMSG, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_SENDMSG (5.3)
 * of 64 bytes on an AF_UNIX stream socket whose send buffer is full
 * (conform_fill_until_full), which waits poll-armed for POLLOUT. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns
 * 0. The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_sendmsg_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_SENDMSG, 0, BY_SYNC);
}

TEST_HARNESS_MAIN
