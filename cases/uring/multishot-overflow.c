// SPDX-License-Identifier: MIT
/*
 * uring/multishot-overflow: multishot requests when the CQ ring is full.
 * With IORING_FEAT_NODROP (5.5) a CQE that does not fit goes to the
 * overflow list and is reaped, in order, once there is room. Since 6.0 a
 * multishot request does not keep posting into the overflow list: the
 * CQE that finds the ring full is its last, without IORING_CQE_F_MORE
 * (commits a2da676376fe "io_uring: fix multishot poll on overflow" and
 * cbd25748545c "io_uring: fix multishot accept ordering"; the multishot
 * recv of the same release, and multishot timeouts (6.4), were written
 * that way). No man page states the rule: io_uring_multishot(7) only
 * asks to "ensure the CQ ring is large enough to avoid overflow", and a
 * CQE without F_MORE means "the operation has terminated". Covered:
 * POLL_ADD (IORING_POLL_ADD_MULTI), RECV (IORING_RECV_MULTISHOT, with a
 * provided-buffer ring), ACCEPT (IORING_ACCEPT_MULTISHOT) and TIMEOUT
 * (IORING_TIMEOUT_MULTISHOT) on a ring of 2 CQ entries; re-arming after
 * the end; cancelling (-ECANCELED, no F_MORE); and a multishot poll whose
 * mask is changed with IORING_POLL_UPDATE_EVENTS going on.
 * Before 6.0 (Debian's 5.10 carries the 5.15 io_uring) an overflowing
 * multishot poll stays armed and every CQE has F_MORE. No feature bit
 * tells; the probe is the multishot recv, which came in the same release
 * as the two fixes: where it exists the 6.0 rule is asserted, elsewhere
 * the old one, and the log says which.
 * Events come from pipes, sockets and connections the test makes, each
 * completion posted on the test's own return from the system call that
 * caused it, so the CQEs and their order are deterministic.
 */
#include <liburing.h>
#include <poll.h>
#include <sys/un.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum {
	TAG_MSHOT = 0x3e,
	TAG_CANCEL = 0x3f,
	TAG_REARM = 0x4e,	/* the multishot poll armed again */
	NR_EVENTS = 4,		/* events made while nothing is reaped */
	BUF_LEN = 64,
	NR_BUFS = 8,
	BGID = 5,
};

/*
 * A ring of 1 SQ entry and so 2 CQ entries (io_uring_setup(2): the CQ
 * ring is twice the SQ ring): a multishot request overflows it at its
 * third CQE.
 */
static void small_ring(struct __test_metadata *_metadata, struct io_uring *r)
{
	ASSERT_EQ(0, io_uring_queue_init(1, r, 0));
	ASSERT_EQ(2u, *r->cq.kring_entries);
}

static unsigned int sq_flags(struct io_uring *r)
{
	return io_uring_smp_load_acquire(r->sq.kflags);
}

/* Write one byte into the pipe and read it back: one POLLIN event. */
static void pipe_event(struct __test_metadata *_metadata, int p[2])
{
	char c;

	ASSERT_EQ(1, write(p[1], "e", 1));
	ASSERT_EQ(1, read(p[0], &c, 1));
}

/* Queue and submit a multishot POLLIN poll of fd, tagged tag. */
static void submit_poll_multishot(struct __test_metadata *_metadata,
				  struct io_uring *r, int fd, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);

	ASSERT_NE(NULL, sqe);
	io_uring_prep_poll_multishot(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, tag);
	ASSERT_EQ(1, io_uring_submit(r));
}

/* Submit an IORING_OP_ASYNC_CANCEL of user_data target, tagged TAG_CANCEL. */
static void submit_cancel(struct __test_metadata *_metadata,
			  struct io_uring *r, __u64 target)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);

	ASSERT_NE(NULL, sqe);
	io_uring_prep_cancel64(sqe, target, 0);
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
	ASSERT_EQ(1, io_uring_submit(r));
}

/*
 * Reap the cancel's CQE and the cancelled request's last CQE, in either
 * order: the cancel gets 0, the request -ECANCELED without F_MORE.
 */
static void expect_cancelled(struct __test_metadata *_metadata,
			     struct io_uring *r, __u64 target)
{
	bool seen_cancel = false, seen_target = false;

	for (int i = 0; i < 2; i++) {
		struct io_uring_cqe cqe;

		ASSERT_EQ(0, uring_reap_one(r, &cqe));
		if (cqe.user_data == TAG_CANCEL) {
			seen_cancel = true;
			EXPECT_EQ(0, cqe.res);
		} else {
			seen_target = true;
			EXPECT_EQ(target, cqe.user_data);
			EXPECT_EQ(-ECANCELED, cqe.res);
			EXPECT_EQ(0u, cqe.flags & IORING_CQE_F_MORE);
		}
	}
	EXPECT_TRUE(seen_cancel);
	EXPECT_TRUE(seen_target);
}

/*
 * NULL if a multishot poll is armed (IORING_POLL_ADD_MULTI, 5.13): on a
 * ring and pipe of their own, a write posts POLLIN with IORING_CQE_F_MORE.
 */
static const char *poll_multishot_missing(void)
{
	struct io_uring_cqe cqe;
	struct io_uring r;
	const char *why = NULL;
	int p[2];

	if (conform_pipe(p))
		return CONFORM_ENV "pipe failed in the multishot poll probe";
	if (io_uring_queue_init(4, &r, 0)) {
		close(p[0]);
		close(p[1]);
		return CONFORM_ENV "io_uring_queue_init failed in the multishot poll probe";
	}
	io_uring_prep_poll_multishot(io_uring_get_sqe(&r), p[0], POLLIN);
	if (io_uring_submit(&r) != 1 || write(p[1], "m", 1) != 1 ||
	    uring_reap_one(&r, &cqe)) {
		why = "IORING_POLL_ADD_MULTI: the probe (a multishot poll of a pipe) did not complete";
	} else if (cqe.res != POLLIN || !(cqe.flags & IORING_CQE_F_MORE)) {
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_POLL_ADD_MULTI: a multishot poll of a written pipe completes with %d, flags 0x%x",
			 cqe.res, cqe.flags);
		why = conform_why;
	}
	io_uring_queue_exit(&r);
	close(p[0]);
	close(p[1]);
	return why;
}

/* A ring, its provided-buffer ring (group BGID) and a socket pair. */
struct rx {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	unsigned char *bufs;
	int sv[2];
};

static void rx_free(struct rx *x)
{
	io_uring_queue_exit(&x->ring);
	uring_pbuf_ring_unmap(x->br, x->bufs, NR_BUFS, BUF_LEN);
	close(x->sv[0]);
	close(x->sv[1]);
}

/* Set *x up (ring of sq_entries) with all buffers provided: 0 or -1. */
static int rx_init(struct rx *x, unsigned int sq_entries)
{
	memset(x, 0, sizeof(*x));
	if (conform_socketpair(x->sv))
		return -1;
	if (io_uring_queue_init(sq_entries, &x->ring, 0)) {
		close(x->sv[0]);
		close(x->sv[1]);
		return -1;
	}
	if (uring_pbuf_ring_setup(&x->ring, NR_BUFS, BUF_LEN, BGID, NR_BUFS,
				  &x->br, &x->bufs)) {
		rx_free(x);
		return -1;
	}
	return 0;
}

/* Submit a multishot recv of sv[0] with buffers of group BGID. */
static int rx_submit(struct rx *x)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&x->ring);

	if (!sqe)
		return -1;
	io_uring_prep_recv_multishot(sqe, x->sv[0], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_sqe_set_data64(sqe, TAG_MSHOT);
	return io_uring_submit(&x->ring) == 1 ? 0 : -1;
}

/*
 * NULL if a multishot recv takes a pending byte and stays armed
 * (IORING_RECV_MULTISHOT, 6.0, with a provided-buffer ring, 5.19); else
 * why not. Also the probe for the 6.0 overflow rule (see the top).
 */
static const char *recv_multishot_missing(void)
{
	struct io_uring_cqe cqe;
	const char *why = NULL;
	struct rx x;

	why = uring_pbuf_ring_missing(NR_BUFS, BGID);
	if (why)
		return why;
	if (rx_init(&x, 4))
		return CONFORM_ENV "the multishot recv probe could not be set up";
	if (write(x.sv[1], "p", 1) != 1 || rx_submit(&x) ||
	    uring_reap_one(&x.ring, &cqe)) {
		why = "IORING_RECV_MULTISHOT: the probe (a multishot recv, one byte pending) did not complete";
	} else if (cqe.res != 1 || !(cqe.flags & IORING_CQE_F_MORE)) {
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_RECV_MULTISHOT: a multishot recv with one byte pending completes with %d, flags 0x%x",
			 cqe.res, cqe.flags);
		why = conform_why;
	}
	rx_free(&x);
	return why;
}

/* Whether this kernel ends a multishot request at CQ overflow (6.0). */
static bool overflow_ends_multishot(void)
{
	bool ends = recv_multishot_missing() == NULL;

	printf("# %s\n", ends ?
	       "kernel with IORING_RECV_MULTISHOT: the 6.0 rule, a multishot request ends at CQ overflow" :
	       "kernel without IORING_RECV_MULTISHOT: before 6.0, a multishot request posts into the overflow list and stays armed");
	fflush(stdout);
	return ends;
}

/*
 * Kernel commit a2da676376fe ("io_uring: fix multishot poll on overflow",
 * 6.0): on overflow a multishot poll is completed, its CQE without
 * IORING_CQE_F_MORE. On a ring of 2 CQ entries, four POLLIN events with
 * nothing reaped set IORING_SQ_CQ_OVERFLOW; reaping then gives, in order,
 * two CQEs with F_MORE and a third, from the overflow list, without; a
 * fifth event posts nothing. Before 6.0 (5.13 on) all four CQEs have
 * F_MORE, a fifth event posts a fifth, and the poll is removed by a
 * cancel. The variant follows the probe of the top comment.
 */
TEST(overflowed_multishot_poll_ends_with_the_cqe_that_overflowed)
{
	struct io_uring_cqe cqe;
	struct io_uring r;
	bool ends;
	int p[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"commit a2da676376fe (io_uring: fix multishot poll on overflow, 6.0); io_uring_setup(2) IORING_FEAT_NODROP; io_uring_enter(2) IORING_CQE_F_MORE");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE(poll_multishot_missing());
	ends = overflow_ends_multishot();
	small_ring(_metadata, &r);
	ASSERT_EQ(0, conform_pipe(p));
	submit_poll_multishot(_metadata, &r, p[0], TAG_MSHOT);
	for (int i = 0; i < NR_EVENTS; i++)
		pipe_event(_metadata, p);
	EXPECT_EQ((unsigned int)IORING_SQ_CQ_OVERFLOW,
		  sq_flags(&r) & IORING_SQ_CQ_OVERFLOW);
	for (int i = 0; i < (ends ? 3 : NR_EVENTS); i++) {
		bool last = ends && i == 2;

		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
		EXPECT_EQ((__u64)TAG_MSHOT, cqe.user_data);
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ(last ? 0u : (unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE)
			TH_LOG("CQE %d of the overflowed multishot poll", i + 1);
	}
	pipe_event(_metadata, p);
	if (ends) {
		EXPECT_EQ(-ETIME, uring_wait_briefly(&r));
	} else {
		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ((unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE);
		submit_cancel(_metadata, &r, TAG_MSHOT);
		expect_cancelled(_metadata, &r, TAG_MSHOT);
	}
	EXPECT_EQ(0u, sq_flags(&r) & IORING_SQ_CQ_OVERFLOW);
	io_uring_queue_exit(&r);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_multishot(7): a CQE without IORING_CQE_F_MORE means "the
 * operation has terminated ... may need to resubmit". After a multishot
 * poll ended at overflow (6.0) and its CQEs are reaped, a new multishot
 * poll of the same pipe is armed like the first: two events, two CQEs
 * with POLLIN and F_MORE; a cancel ends it (since 6.0).
 */
TEST(multishot_poll_rearmed_after_overflow_end_posts_again)
{
	struct io_uring_cqe cqe;
	struct io_uring r;
	int p[2];

	CONFORM_DECLARE("6.0", "IORING_POLL_ADD_MULTI",
			"io_uring_multishot(7) Handling multishot completions: resubmit; commit a2da676376fe (6.0)");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE(poll_multishot_missing());
	if (!overflow_ends_multishot())
		SKIP(return, "IORING_RECV_MULTISHOT: not supported by this kernel (probe of the 6.0 rule): an overflowed multishot poll does not end");
	small_ring(_metadata, &r);
	ASSERT_EQ(0, conform_pipe(p));
	submit_poll_multishot(_metadata, &r, p[0], TAG_MSHOT);
	for (int i = 0; i < NR_EVENTS; i++)
		pipe_event(_metadata, p);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
	ASSERT_EQ(0u, cqe.flags & IORING_CQE_F_MORE);
	submit_poll_multishot(_metadata, &r, p[0], TAG_REARM);
	for (int i = 0; i < 2; i++) {
		pipe_event(_metadata, p);
		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
		EXPECT_EQ((__u64)TAG_REARM, cqe.user_data);
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ((unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE);
	}
	submit_cancel(_metadata, &r, TAG_REARM);
	expect_cancelled(_metadata, &r, TAG_REARM);
	io_uring_queue_exit(&r);
	close(p[0]);
	close(p[1]);
}

/*
 * Kernel commit b3fdea6ecb55 ("io_uring: multishot recv", 6.0): the
 * receive posts with io_post_aux_cqe(..., allow_overflow false) and, when
 * that fails, completes with the data it has. On a ring of 2 CQ entries,
 * four one-byte sends (a, b, c, d) give CQEs for a and b with
 * IORING_CQE_F_MORE and IORING_CQE_F_BUFFER, and a last one for c with
 * F_BUFFER and without F_MORE, each buffer holding its byte; d stays in
 * the socket (a recv(2) gets it) and a fifth send posts nothing (since
 * 6.0).
 */
TEST(overflowed_multishot_recv_ends_with_data_in_its_last_cqe)
{
	struct io_uring_cqe cqe;
	struct rx x;
	char c = 0;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"commit b3fdea6ecb55 (io_uring: multishot recv); io_uring_prep_recv_multishot(3): a CQE without IORING_CQE_F_MORE ends it");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(recv_multishot_missing());
	ASSERT_EQ(0, rx_init(&x, 1));
	ASSERT_EQ(2u, *x.ring.cq.kring_entries);
	ASSERT_EQ(0, rx_submit(&x));
	for (int i = 0; i < NR_EVENTS; i++)
		ASSERT_EQ(1, write(x.sv[1], &(char){ (char)('a' + i) }, 1));
	EXPECT_EQ((unsigned int)IORING_SQ_CQ_OVERFLOW,
		  sq_flags(&x.ring) & IORING_SQ_CQ_OVERFLOW);
	for (int i = 0; i < 3; i++) {
		unsigned int bid;

		ASSERT_EQ(0, uring_reap_one(&x.ring, &cqe));
		EXPECT_EQ((__u64)TAG_MSHOT, cqe.user_data);
		ASSERT_EQ(1, cqe.res);
		EXPECT_EQ(i == 2 ? 0u : (unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE)
			TH_LOG("CQE %d of the overflowed multishot recv", i + 1);
		ASSERT_EQ((unsigned int)IORING_CQE_F_BUFFER,
			  cqe.flags & IORING_CQE_F_BUFFER);
		bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
		ASSERT_GT((unsigned int)NR_BUFS, bid);
		EXPECT_EQ('a' + i, x.bufs[bid * BUF_LEN]);
	}
	EXPECT_EQ(1, recv(x.sv[0], &c, 1, MSG_DONTWAIT));
	EXPECT_EQ('d', c);
	ASSERT_EQ(1, write(x.sv[1], "e", 1));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&x.ring));
	rx_free(&x);
}

/*
 * io_uring_multishot(7) Canceling multishot operations: "the multishot
 * operation generates a final CQE (typically with -ECANCELED) without
 * IORING_CQE_F_MORE set". An armed multishot recv that has posted one
 * CQE is cancelled by user_data: the cancel gets 0, the recv -ECANCELED
 * without F_MORE (since 6.0).
 */
TEST(cancelled_multishot_recv_ends_with_ecanceled_without_f_more)
{
	struct io_uring_cqe cqe;
	struct rx x;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_multishot(7) Canceling multishot operations; io_uring_prep_cancel(3)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(recv_multishot_missing());
	ASSERT_EQ(0, rx_init(&x, 4));
	ASSERT_EQ(0, rx_submit(&x));
	ASSERT_EQ(1, write(x.sv[1], "r", 1));
	ASSERT_EQ(0, uring_reap_one(&x.ring, &cqe));
	ASSERT_EQ(1, cqe.res);
	ASSERT_EQ((unsigned int)IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	submit_cancel(_metadata, &x.ring, TAG_MSHOT);
	expect_cancelled(_metadata, &x.ring, TAG_MSHOT);
	ASSERT_EQ(1, write(x.sv[1], "s", 1));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&x.ring));
	rx_free(&x);
}

/* A listening AF_UNIX socket at <tmpdir>/name; its address in *sun. */
static int unix_listener(struct __test_metadata *_metadata,
			 struct sockaddr_un *sun, socklen_t *len,
			 const char *name)
{
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	*len = uring_unix_addr(sun, name);
	EXPECT_LT(0, (int)*len);
	EXPECT_LE(0, l);
	EXPECT_EQ(0, bind(l, (struct sockaddr *)sun, *len));
	EXPECT_EQ(0, listen(l, 16));
	return l;
}

/* A new client socket connected to sun (queued on the listener), or -1. */
static int unix_connect(const struct sockaddr_un *sun, socklen_t len)
{
	int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (c >= 0 && connect(c, (const struct sockaddr *)sun, len)) {
		close(c);
		return -1;
	}
	return c;
}

/* Submit a multishot accept of l, tagged TAG_MSHOT. */
static void submit_accept_multishot(struct __test_metadata *_metadata,
				    struct io_uring *r, int l)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);

	ASSERT_NE(NULL, sqe);
	io_uring_prep_multishot_accept(sqe, l, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(sqe, TAG_MSHOT);
	ASSERT_EQ(1, io_uring_submit(r));
}

/*
 * NULL if a multishot accept is armed (IORING_ACCEPT_MULTISHOT, 5.19): on
 * a ring and listener of their own, a connection posts a new fd with
 * IORING_CQE_F_MORE; older kernels fail the ioprio flag with -EINVAL.
 */
static const char *accept_multishot_missing(void)
{
	struct io_uring_cqe cqe;
	struct sockaddr_un sun;
	struct io_uring r;
	socklen_t len = uring_unix_addr(&sun, "probe.sock");
	const char *why = NULL;
	int l, c = -1;

	l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!len || l < 0 || bind(l, (struct sockaddr *)&sun, len) ||
	    listen(l, 4) || io_uring_queue_init(4, &r, 0)) {
		if (l >= 0)
			close(l);
		return CONFORM_ENV "the multishot accept probe could not be set up";
	}
	io_uring_prep_multishot_accept(io_uring_get_sqe(&r), l, NULL, NULL,
				       SOCK_CLOEXEC);
	if (io_uring_submit(&r) != 1 || (c = unix_connect(&sun, len)) < 0 ||
	    uring_reap_one(&r, &cqe)) {
		why = "IORING_ACCEPT_MULTISHOT: the probe (a multishot accept, one connection) did not complete";
	} else if (cqe.res < 0 || !(cqe.flags & IORING_CQE_F_MORE)) {
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_ACCEPT_MULTISHOT: a multishot accept with a connection completes with %d, flags 0x%x",
			 cqe.res, cqe.flags);
		why = conform_why;
	} else {
		close(cqe.res);
	}
	io_uring_queue_exit(&r);
	if (c >= 0)
		close(c);
	close(l);
	unlink(sun.sun_path);
	return why;
}

/*
 * Kernel commit cbd25748545c ("io_uring: fix multishot accept ordering",
 * 6.0): "Similar to multishot poll, drop multishot accept when CQE
 * overflow occurs": the accept that cannot post with F_MORE completes
 * with its new fd. On a ring of 2 CQ entries, four connections give
 * CQEs with new fds, two with IORING_CQE_F_MORE and a third without; the
 * fourth connection stays queued (accept4(2) takes it) and a fifth posts
 * nothing. Before 6.0 (5.19) the four CQEs have F_MORE and the accept
 * stays armed (a cancel ends it). The variant follows the probe of the
 * top comment.
 */
TEST(overflowed_multishot_accept_ends_with_the_cqe_that_overflowed)
{
	struct io_uring_cqe cqe;
	struct sockaddr_un sun;
	struct io_uring r;
	socklen_t len;
	int l, cs[NR_EVENTS + 1], fd;
	bool ends;

	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"commit cbd25748545c (io_uring: fix multishot accept ordering, 6.0); io_uring_prep_multishot_accept(3)");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE(accept_multishot_missing());
	ends = overflow_ends_multishot();
	small_ring(_metadata, &r);
	l = unix_listener(_metadata, &sun, &len, "mshot.sock");
	ASSERT_LE(0, l);
	submit_accept_multishot(_metadata, &r, l);
	for (int i = 0; i < NR_EVENTS; i++) {
		cs[i] = unix_connect(&sun, len);
		ASSERT_LE(0, cs[i]);
	}
	EXPECT_EQ((unsigned int)IORING_SQ_CQ_OVERFLOW,
		  sq_flags(&r) & IORING_SQ_CQ_OVERFLOW);
	for (int i = 0; i < (ends ? 3 : NR_EVENTS); i++) {
		bool last = ends && i == 2;

		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
		EXPECT_EQ((__u64)TAG_MSHOT, cqe.user_data);
		ASSERT_LE(0, cqe.res);
		close(cqe.res);
		EXPECT_EQ(last ? 0u : (unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE)
			TH_LOG("CQE %d of the overflowed multishot accept", i + 1);
	}
	if (ends) {
		fd = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		EXPECT_LE(0, fd);
		if (fd >= 0)
			close(fd);
		cs[NR_EVENTS] = unix_connect(&sun, len);
		EXPECT_EQ(-ETIME, uring_wait_briefly(&r));
	} else {
		cs[NR_EVENTS] = -1;
		submit_cancel(_metadata, &r, TAG_MSHOT);
		expect_cancelled(_metadata, &r, TAG_MSHOT);
	}
	for (int i = 0; i <= NR_EVENTS; i++)
		if (cs[i] >= 0)
			close(cs[i]);
	io_uring_queue_exit(&r);
	close(l);
	unlink(sun.sun_path);
}

/*
 * io_uring_multishot(7) Canceling multishot operations: an armed
 * multishot accept that has posted one fd is cancelled by user_data: the
 * cancel gets 0, the accept -ECANCELED without IORING_CQE_F_MORE; a later
 * connection posts nothing (since 5.19).
 */
TEST(cancelled_multishot_accept_ends_with_ecanceled_without_f_more)
{
	struct io_uring_cqe cqe;
	struct sockaddr_un sun;
	struct io_uring r;
	socklen_t len;
	int l, c1, c2;

	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_multishot(7) Canceling multishot operations; io_uring_prep_multishot_accept(3)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE(accept_multishot_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &r, 0));
	l = unix_listener(_metadata, &sun, &len, "cancel.sock");
	ASSERT_LE(0, l);
	submit_accept_multishot(_metadata, &r, l);
	c1 = unix_connect(&sun, len);
	ASSERT_LE(0, c1);
	ASSERT_EQ(0, uring_reap_one(&r, &cqe));
	ASSERT_LE(0, cqe.res);
	close(cqe.res);
	ASSERT_EQ((unsigned int)IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	submit_cancel(_metadata, &r, TAG_MSHOT);
	expect_cancelled(_metadata, &r, TAG_MSHOT);
	c2 = unix_connect(&sun, len);
	ASSERT_LE(0, c2);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&r));
	close(c1);
	close(c2);
	io_uring_queue_exit(&r);
	close(l);
	unlink(sun.sun_path);
}

/* One period of the multishot timeout: 1 ms, meant to expire. */
static struct __kernel_timespec period_ts = { .tv_nsec = 1000 * 1000 };

/*
 * NULL if a multishot timeout of one period completes with a single
 * -ETIME (IORING_TIMEOUT_MULTISHOT, 6.4); older kernels fail the unknown
 * flag with -EINVAL. On a ring of its own.
 */
static const char *timeout_multishot_missing(void)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout(&sqe, &period_ts, 1, REF_IORING_TIMEOUT_MULTISHOT);
	return uring_flag_result_missing(&sqe, -ETIME, "a one-period timeout",
					 "IORING_TIMEOUT_MULTISHOT");
}

/*
 * Wait (2 s bound, 1 ms naps) for IORING_SQ_CQ_OVERFLOW: a state the
 * expiring timer reaches, waited for, not raced.
 */
static bool wait_overflow(struct io_uring *r)
{
	struct timespec ms = { .tv_nsec = 1000 * 1000 };

	for (int i = 0; i < 2000; i++) {
		if (sq_flags(r) & IORING_SQ_CQ_OVERFLOW)
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

/*
 * Kernel commit "io_uring: add support for multishot timeouts" (6.4): an
 * expiry posts -ETIME with IORING_CQE_F_MORE and re-arms only if that CQE
 * could be posted without overflow; else the timeout completes. An
 * unbounded multishot timeout of 1 ms on a ring of 2 CQ entries, nothing
 * reaped, sets IORING_SQ_CQ_OVERFLOW; reaping gives two -ETIME CQEs with
 * F_MORE and a third without, and then nothing more (20 periods).
 */
TEST(overflowed_multishot_timeout_ends_with_the_cqe_that_overflowed)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring r;

	CONFORM_DECLARE("6.4", "IORING_TIMEOUT_MULTISHOT",
			"commit io_uring: add support for multishot timeouts (6.4): io_timeout_complete()");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NODROP);
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	CONFORM_REQUIRE(timeout_multishot_missing());
	small_ring(_metadata, &r);
	sqe = io_uring_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_timeout(sqe, &period_ts, 0, REF_IORING_TIMEOUT_MULTISHOT);
	io_uring_sqe_set_data64(sqe, TAG_MSHOT);
	ASSERT_EQ(1, io_uring_submit(&r));
	ASSERT_TRUE(wait_overflow(&r));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
		EXPECT_EQ((__u64)TAG_MSHOT, cqe.user_data);
		EXPECT_EQ(-ETIME, cqe.res);
		EXPECT_EQ(i == 2 ? 0u : (unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE)
			TH_LOG("CQE %d of the overflowed multishot timeout", i + 1);
	}
	EXPECT_EQ(-ETIME, uring_wait_briefly(&r));
	io_uring_queue_exit(&r);
}

/*
 * io_uring_prep_poll_update(3) IORING_POLL_UPDATE_EVENTS: only the low 16
 * bits of the mask change, "settings like EPOLLONESHOT" are kept, so a
 * multishot poll updated to a new mask stays multishot, whether the
 * update also passes IORING_POLL_ADD_MULTI or not. A multishot POLLIN
 * poll of a pipe posts res POLLIN with IORING_CQE_F_MORE; updated to
 * POLLIN | POLLRDNORM (update res 0) it posts that mask, with F_MORE, at
 * each of the next two events (since 5.13).
 */
TEST(multishot_poll_updated_with_new_events_stays_multishot)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring r;
	int p[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_EVENTS",
			"io_uring_prep_poll_update(3) IORING_POLL_UPDATE_EVENTS; io_uring_enter(2) IORING_POLL_ADD_MULTI");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	CONFORM_REQUIRE(poll_multishot_missing());
	for (int v = 0; v < 2; v++) {
		unsigned int upd = IORING_POLL_UPDATE_EVENTS |
				   (v ? IORING_POLL_ADD_MULTI : 0);

		ASSERT_EQ(0, io_uring_queue_init(4, &r, 0));
		ASSERT_EQ(0, conform_pipe(p));
		submit_poll_multishot(_metadata, &r, p[0], TAG_MSHOT);
		pipe_event(_metadata, p);
		ASSERT_EQ(0, uring_reap_one(&r, &cqe));
		EXPECT_EQ(POLLIN, cqe.res);
		ASSERT_EQ((unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE);
		sqe = io_uring_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		io_uring_prep_poll_update(sqe, TAG_MSHOT, 0, POLLIN | POLLRDNORM,
					  upd);
		io_uring_sqe_set_data64(sqe, TAG_CANCEL);
		ASSERT_EQ(0, uring_submit_reap(&r, &cqe));
		EXPECT_EQ((__u64)TAG_CANCEL, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		for (int i = 0; i < 2; i++) {
			pipe_event(_metadata, p);
			ASSERT_EQ(0, uring_reap_one(&r, &cqe));
			EXPECT_EQ((__u64)TAG_MSHOT, cqe.user_data);
			EXPECT_EQ(POLLIN | POLLRDNORM, cqe.res)
				TH_LOG("update flags 0x%x", upd);
			EXPECT_EQ((unsigned int)IORING_CQE_F_MORE,
				  cqe.flags & IORING_CQE_F_MORE)
				TH_LOG("update flags 0x%x", upd);
		}
		io_uring_queue_exit(&r);
		close(p[0]);
		close(p[1]);
	}
}

TEST_HARNESS_MAIN
