// SPDX-License-Identifier: MIT
/*
 * ref/ring-cancel: IORING_OP_ASYNC_CANCEL through the reference ring:
 * ref_prep_cancel (by user_data, optionally IORING_ASYNC_CANCEL_ALL),
 * ref_prep_cancel_fd and ref_prep_cancel_any. Targets are reads waiting on an
 * empty pipe or recvs on an empty AF_UNIX socket; the flags added in 5.19
 * are probed (older kernels reject any cancel_flags with -EINVAL).
 */
#include "conform_ref.h"

enum { TAG_CANCEL = 100 };

/*
 * NULL if the kernel takes these cancel flags: on a ring of its own with
 * nothing to cancel, 5.19+ answers -ENOENT (or a count of 0 with _ALL); older
 * kernels reject cancel_flags with -EINVAL.
 */
static const char *cancel_flags_missing(unsigned int flags, const char *name)
{
	static char why[160];
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	bool ok;
	int res;

	if (ref_ring_init(&ring, 2, NULL))
		return CONFORM_ENV "ring setup failed in the cancel-flag probe";
	if (flags & IORING_ASYNC_CANCEL_FD)
		ok = ref_prep_cancel_fd(&ring, 0, flags & ~IORING_ASYNC_CANCEL_FD, 1);
	else if (flags & IORING_ASYNC_CANCEL_ANY)
		ok = ref_prep_cancel_any(&ring, flags & ~IORING_ASYNC_CANCEL_ANY, 1);
	else
		ok = ref_prep_cancel(&ring, 12345, flags, 1);
	ok = ok && ref_ring_submit(&ring) == 1 &&
	     ref_case_reap_until(&ring, &log, 1) == 0;
	res = ref_case_res_of(&log, 1);
	ref_ring_free(&ring);
	if (!ok)
		return "the cancel-flag probe did not complete";
	if (res != -EINVAL)
		return NULL;
	snprintf(why, sizeof(why), "%s rejected with -EINVAL", name);
	return why;
}

/* Submit n recvs on sock tagged first..first+n-1; they wait (no data). */
static int submit_recvs(struct ref_ring *ring, int sock, char *buf,
			unsigned int n, uint64_t first)
{
	for (unsigned int i = 0; i < n; i++)
		if (!ref_prep_recv(ring, sock, buf + 8 * i, 8, 0, first + i))
			return -1;
	return ref_ring_submit(ring) == (int)n ? 0 : -1;
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: found -> res 0 and the target
 * ends with -ECANCELED (ASYNC_CANCEL since 5.5; the target here is an
 * IORING_OP_READ, 5.6, so this test holds from 5.6). Documented variant: a
 * read already running in an io-wq worker gets the cancel -EALREADY and,
 * being interruptible, ends with -EINTR (DESIGN.md 7). Each pair exactly.
 */
TEST(cancel_of_waiting_pipe_read_by_user_data)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_read(&ring, p[0], buf, sizeof(buf), 0, 1));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_TRUE(ref_prep_cancel(&ring, 1, 0, TAG_CANCEL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	if (ref_case_res_of(&log, TAG_CANCEL) == -EALREADY) {
		TH_LOG("read was running in io-wq: cancel -EALREADY");
		EXPECT_EQ(-EINTR, ref_case_res_of(&log, 1));
	} else {
		EXPECT_EQ(0, ref_case_res_of(&log, TAG_CANCEL));
		EXPECT_EQ(-ECANCELED, ref_case_res_of(&log, 1));
	}
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "If not found, res will contain
 * -ENOENT" (ASYNC_CANCEL since 5.5); a pending request with another
 * user_data - an IORING_OP_RECV, so this test holds from 5.6 - is left
 * alone and completes normally later.
 */
TEST(cancel_of_unknown_user_data_gets_enoent)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[8];
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: ENOENT if "
			"not found");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, submit_recvs(&ring, sv[0], buf, 1, 1));
	ASSERT_TRUE(ref_prep_cancel(&ring, 0x5eed, 0, TAG_CANCEL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(-ENOENT, ref_case_res_of(&log, TAG_CANCEL));
	ASSERT_EQ(2, write(sv[1], "ok", 2));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(2, ref_case_res_of(&log, 1));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ALL: cancel every request
 * matching, res is the number cancelled (since 5.19). Three recvs sharing
 * user_data 7: res 3, all -ECANCELED.
 */
TEST(cancel_all_by_user_data_counts_every_match)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[32];
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ALL",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ALL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(cancel_flags_missing(IORING_ASYNC_CANCEL_ALL,
					     "IORING_ASYNC_CANCEL_ALL"));
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(&ring, 8, NULL));
	for (int i = 0; i < 3; i++)
		ASSERT_TRUE(ref_prep_recv(&ring, sv[0], buf + 8 * i, 8, 0, 7));
	ASSERT_EQ(3, ref_ring_submit(&ring));
	ASSERT_TRUE(ref_prep_cancel(&ring, 7, IORING_ASYNC_CANCEL_ALL, TAG_CANCEL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 4));
	EXPECT_EQ(4u, log.n);
	EXPECT_EQ(3, ref_case_res_of(&log, TAG_CANCEL));
	for (unsigned int i = 0; i < log.n; i++)
		if (log.cqe[i].user_data == 7)
			EXPECT_EQ(-ECANCELED, log.cqe[i].res);
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD: match by file descriptor
 * instead of user_data; with _ALL every request on it (since 5.19). Two
 * recvs on socket A and one on socket B: res 2; B's recv stays and later
 * completes normally.
 */
TEST(cancel_fd_all_cancels_only_requests_on_that_fd)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[32];
	int a[2], b[2];

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(cancel_flags_missing(IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL,
					     "IORING_ASYNC_CANCEL_FD|_ALL"));
	ASSERT_EQ(0, conform_socketpair(a));
	ASSERT_EQ(0, conform_socketpair(b));
	ASSERT_EQ(0, ref_ring_init(&ring, 8, NULL));
	ASSERT_EQ(0, submit_recvs(&ring, a[0], buf, 2, 1));
	ASSERT_EQ(0, submit_recvs(&ring, b[0], buf + 16, 1, 3));
	ASSERT_TRUE(ref_prep_cancel_fd(&ring, a[0], IORING_ASYNC_CANCEL_ALL, TAG_CANCEL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 3));
	EXPECT_EQ(2, ref_case_res_of(&log, TAG_CANCEL));
	EXPECT_EQ(-ECANCELED, ref_case_res_of(&log, 1));
	EXPECT_EQ(-ECANCELED, ref_case_res_of(&log, 2));
	EXPECT_EQ(REF_CASE_NO_CQE, ref_case_res_of(&log, 3));
	ASSERT_EQ(3, write(b[1], "abc", 3));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 4));
	EXPECT_EQ(3, ref_case_res_of(&log, 3));
	ref_ring_free(&ring);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY: match any request; with
 * _ALL, all of them; res is the count (since 5.19). Three recvs on two
 * sockets: res 3, each -ECANCELED.
 */
TEST(cancel_any_all_cancels_every_request)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[32];
	int a[2], b[2];

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; "
			"commit 970f256edb8c (5.19)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(cancel_flags_missing(IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL,
					     "IORING_ASYNC_CANCEL_ANY|_ALL"));
	ASSERT_EQ(0, conform_socketpair(a));
	ASSERT_EQ(0, conform_socketpair(b));
	ASSERT_EQ(0, ref_ring_init(&ring, 8, NULL));
	ASSERT_EQ(0, submit_recvs(&ring, a[0], buf, 2, 1));
	ASSERT_EQ(0, submit_recvs(&ring, b[0], buf + 16, 1, 3));
	ASSERT_TRUE(ref_prep_cancel_any(&ring, IORING_ASYNC_CANCEL_ALL, TAG_CANCEL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 4));
	EXPECT_EQ(3, ref_case_res_of(&log, TAG_CANCEL));
	for (uint64_t ud = 1; ud <= 3; ud++)
		EXPECT_EQ(-ECANCELED, ref_case_res_of(&log, ud));
	ref_ring_free(&ring);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD without _ALL: the first
 * matching request only; res 0, and -ENOENT when no request uses the fd
 * (since 5.19).
 */
TEST(cancel_fd_without_all_cancels_one_or_enoent)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[16];
	int a[2], b[2];

	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	CONFORM_REQUIRE(cancel_flags_missing(IORING_ASYNC_CANCEL_FD,
					     "IORING_ASYNC_CANCEL_FD"));
	ASSERT_EQ(0, conform_socketpair(a));
	ASSERT_EQ(0, conform_socketpair(b));
	ASSERT_EQ(0, ref_ring_init(&ring, 8, NULL));
	ASSERT_EQ(0, submit_recvs(&ring, a[0], buf, 2, 1));
	ASSERT_TRUE(ref_prep_cancel_fd(&ring, a[0], 0, TAG_CANCEL));
	ASSERT_TRUE(ref_prep_cancel_fd(&ring, b[0], 0, TAG_CANCEL + 1));
	ASSERT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 3));
	EXPECT_EQ(3u, log.n);
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_CANCEL));
	EXPECT_EQ(-ENOENT, ref_case_res_of(&log, TAG_CANCEL + 1));
	/* exactly one of the two recvs was cancelled */
	EXPECT_EQ(1, (ref_case_res_of(&log, 1) == -ECANCELED) +
		     (ref_case_res_of(&log, 2) == -ECANCELED));
	ref_ring_free(&ring);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

TEST_HARNESS_MAIN
