// SPDX-License-Identifier: MIT
/*
 * ref/ring-poll: IORING_OP_POLL_ADD through the reference ring
 * (ref_prep_poll_add), one-shot and multishot (IORING_POLL_ADD_MULTI): a poll
 * on an empty pipe waits for a write, a ready fd completes at once, each
 * multishot CQE but the last has IORING_CQE_F_MORE (ref_cqe_has_more), and
 * IORING_OP_POLL_REMOVE (filled by hand: ring.h has no helper) ends it.
 */
#include <poll.h>

#include "conform_ref.h"

enum { TAG_POLL = 1, TAG_REMOVE = 2 };

/* IORING_OP_POLL_REMOVE of the poll whose user_data is target. */
static bool prep_poll_remove(struct ref_ring *ring, uint64_t target, uint64_t ud)
{
	struct io_uring_sqe *sqe = ref_ring_get_sqe(ring);

	if (!sqe)
		return false;
	sqe->opcode = IORING_OP_POLL_REMOVE;
	sqe->fd = -1;
	sqe->addr = target;
	sqe->user_data = ud;
	return true;
}

/*
 * NULL if a multishot poll is accepted: IORING_POLL_ADD_MULTI is 5.13;
 * older kernels end a poll with a non-zero len with -EINVAL. Probed on a
 * ring and pipe of its own.
 */
static const char *multishot_missing(void)
{
	const char *why = "multishot poll probe did not complete";
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int p[2];

	if (conform_pipe(p))
		return CONFORM_ENV "pipe failed in the multishot probe";
	if (ref_ring_init(&ring, 4, NULL) == 0) {
		if (ref_prep_poll_add(&ring, p[0], POLLIN, true, TAG_POLL) &&
		    ref_ring_submit(&ring) == 1 && write(p[1], "a", 1) == 1 &&
		    ref_case_reap_until(&ring, &log, 1) == 0)
			why = ref_case_res_of(&log, TAG_POLL) == -EINVAL ?
			      "IORING_POLL_ADD_MULTI rejected with -EINVAL" : NULL;
		ref_ring_free(&ring);
	}
	close(p[0]);
	close(p[1]);
	return why;
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD: "The poll request completes when
 * the ... events are triggered"; res is the ready mask, and a one-shot poll
 * has no IORING_CQE_F_MORE (since 5.1). Empty pipe: pending until written.
 */
TEST(poll_on_empty_pipe_completes_after_write)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_poll_add(&ring, p[0], POLLIN, false, TAG_POLL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_TRUE(ref_case_nothing_completes(&ring));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ((uint64_t)TAG_POLL, log.cqe[0].user_data);
	EXPECT_EQ(POLLIN, log.cqe[0].res);
	EXPECT_FALSE(ref_cqe_has_more(&log.cqe[0]));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD: a poll on an fd already ready
 * completes at once with the ready events masked by the request: POLLOUT on
 * an empty pipe's write end (since 5.1).
 */
TEST(poll_on_ready_fd_completes_with_mask)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_poll_add(&ring, p[1], POLLOUT | POLLIN, false, TAG_POLL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(POLLOUT, log.cqe[0].res);
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IORING_POLL_ADD_MULTI: the poll "will repeatedly trigger
 * when the requested event becomes true", each CQE with IORING_CQE_F_MORE
 * while the request stays armed (since 5.13). Three writes, each after
 * draining the pipe: three CQEs, res POLLIN, all with F_MORE.
 */
TEST(multishot_poll_posts_a_cqe_per_event_with_more)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int p[2];
	char c;

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_POLL_ADD_MULTI");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(multishot_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_poll_add(&ring, p[0], POLLIN, true, TAG_POLL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	for (unsigned int i = 0; i < 3; i++) {
		ASSERT_EQ(1, write(p[1], "x", 1));
		ASSERT_EQ(0, ref_case_reap_until(&ring, &log, i + 1));
		ASSERT_EQ(1, read(p[0], &c, 1));
		EXPECT_EQ((uint64_t)TAG_POLL, log.cqe[i].user_data);
		EXPECT_EQ(POLLIN, log.cqe[i].res);
		EXPECT_TRUE(ref_cqe_has_more(&log.cqe[i]));
	}
	EXPECT_EQ(3u, log.n);
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2): IORING_OP_POLL_REMOVE of an armed multishot poll gets
 * res 0, and the poll's last CQE has -ECANCELED and no IORING_CQE_F_MORE
 * ("the poll request has been terminated"); nothing follows (since 5.13).
 */
TEST(poll_remove_ends_multishot_without_more)
{
	struct ref_case_cqe_log log = { 0 };
	const struct io_uring_cqe *last;
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_POLL_REMOVE and "
			"IORING_POLL_ADD_MULTI");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	CONFORM_REQUIRE(multishot_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_poll_add(&ring, p[0], POLLIN, true, TAG_POLL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	ASSERT_TRUE(ref_cqe_has_more(&log.cqe[0]));
	log.n = 0;
	ASSERT_TRUE(prep_poll_remove(&ring, TAG_POLL, TAG_REMOVE));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_REMOVE));
	last = ref_case_cqe_of(&log, TAG_POLL);
	ASSERT_NE(NULL, last);
	EXPECT_EQ(-ECANCELED, last->res);
	EXPECT_FALSE(ref_cqe_has_more(last));
	EXPECT_EQ(2u, log.n);
	ASSERT_EQ(1, write(p[1], "y", 1));
	EXPECT_TRUE(ref_case_nothing_completes(&ring));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_REMOVE: res is -ENOENT when no poll with
 * that user_data is pending (since 5.1).
 */
TEST(poll_remove_of_unknown_poll_gets_enoent)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_REMOVE",
			"io_uring_enter(2) IORING_OP_POLL_REMOVE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(prep_poll_remove(&ring, 0x5eed, TAG_REMOVE));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(-ENOENT, ref_case_res_of(&log, TAG_REMOVE));
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
