// SPDX-License-Identifier: MIT
/*
 * uring/poll-level: the flags of IORING_OP_POLL_ADD in sqe->len, and what
 * its default, edge-triggered mode means for a multishot poll.
 * IORING_POLL_ADD_LEVEL ("Level triggered poll", <linux/io_uring.h>) came
 * with commit b9ba8a4463cd ("io_uring: add support for level triggered
 * poll", 6.0 merge window) and was switched off again before 6.0 was
 * released ("io_uring/poll: disable level triggered poll", pull
 * io_uring-6.0-2022-09-29): io_poll_add_prep() accepts only
 * IORING_POLL_ADD_MULTI, so no released kernel takes the flag, neither on
 * a poll nor on a poll update; the header still defines it. Also covered:
 * an edge-triggered multishot poll posts once per readiness event, not
 * while the file stays ready; unknown len bits, the update flags and the
 * unused sqe fields of a POLL_ADD fail with -EINVAL (since 5.1), and a
 * multishot poll cannot skip its CQEs (IOSQE_CQE_SKIP_SUCCESS, 5.17).
 * Pipes written from the test make every completion deterministic.
 */
#include <liburing.h>
#include <poll.h>

#include "conform_uring.h"

enum { TAG_POLL = 0x1e, TAG_UPDATE = 0x2e };

/* A ring of 4 entries and a pipe, with one byte in it when readable. */
struct lvl {
	struct io_uring ring;
	int p[2];
};

static int lvl_init(struct lvl *l, bool readable)
{
	if (conform_pipe(l->p))
		return -1;
	if (io_uring_queue_init(4, &l->ring, 0)) {
		close(l->p[0]);
		close(l->p[1]);
		return -1;
	}
	if (readable && write(l->p[1], "r", 1) != 1)
		return -1;
	return 0;
}

static void lvl_free(struct lvl *l)
{
	io_uring_queue_exit(&l->ring);
	close(l->p[0]);
	close(l->p[1]);
}

/*
 * The POLLIN poll of the read end, tagged TAG_POLL, with len flags; the
 * caller may change more fields before it submits.
 */
static struct io_uring_sqe *queue_poll(struct lvl *l, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&l->ring);

	if (!sqe)
		return NULL;
	io_uring_prep_poll_add(sqe, l->p[0], POLLIN);
	sqe->len = flags;
	io_uring_sqe_set_data64(sqe, TAG_POLL);
	return sqe;
}

/*
 * On a pipe with a byte in it, submit a POLLIN poll with len flags and
 * return its CQE's res (INT_MIN when it could not run): an accepted poll
 * completes at once with POLLIN, a refused one with its error.
 */
static int readable_poll_res(unsigned int flags)
{
	struct lvl l;
	int res = INT_MIN;

	if (lvl_init(&l, true))
		return INT_MIN;
	if (queue_poll(&l, flags))
		res = uring_submit_res(&l.ring);
	lvl_free(&l);
	return res;
}

/* As readable_poll_res(), for a poll with one unused sqe field set. */
enum field { F_ADDR, F_OFF, F_BUF_INDEX };

static int readable_poll_with_field_res(enum field f)
{
	struct io_uring_sqe *sqe;
	struct lvl l;
	int res = INT_MIN;

	if (lvl_init(&l, true))
		return INT_MIN;
	sqe = queue_poll(&l, 0);
	if (sqe) {
		if (f == F_ADDR)
			sqe->addr = 0x1000;
		else if (f == F_OFF)
			sqe->off = 1;
		else
			sqe->buf_index = 1;
		res = uring_submit_res(&l.ring);
	}
	lvl_free(&l);
	return res;
}

/*
 * NULL if a multishot poll is armed (IORING_POLL_ADD_MULTI, 5.13): on an
 * empty pipe written once it posts POLLIN with IORING_CQE_F_MORE; kernels
 * without it fail the non-zero len with -EINVAL.
 */
static const char *multishot_missing(void)
{
	struct io_uring_cqe cqe;
	struct lvl l;
	const char *why = NULL;

	if (lvl_init(&l, false))
		return CONFORM_ENV "pipe or io_uring_queue_init failed in the multishot probe";
	if (!queue_poll(&l, IORING_POLL_ADD_MULTI) ||
	    io_uring_submit(&l.ring) != 1 || write(l.p[1], "m", 1) != 1 ||
	    uring_reap_one(&l.ring, &cqe)) {
		why = "IORING_POLL_ADD_MULTI: the probe (a multishot poll of a pipe) did not complete";
	} else if (cqe.res != POLLIN || !(cqe.flags & IORING_CQE_F_MORE)) {
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_POLL_ADD_MULTI: a multishot poll of a written pipe completes with %d, flags 0x%x",
			 cqe.res, cqe.flags);
		why = conform_why;
	}
	lvl_free(&l);
	return why;
}

/*
 * <linux/io_uring.h> defines IORING_POLL_ADD_LEVEL, "Level triggered
 * poll", but the flag was disabled before 6.0 was released (commit
 * "io_uring/poll: disable level triggered poll"): io_poll_add_prep()
 * refuses any len bit but IORING_POLL_ADD_MULTI. A single-shot POLL_ADD
 * with IORING_POLL_ADD_LEVEL on a readable pipe completes with -EINVAL
 * instead of POLLIN, on every kernel (before 5.13 any non-zero len was
 * refused; since 5.1).
 */
TEST(level_poll_add_gets_einval)
{
	CONFORM_DECLARE("5.1", "IORING_POLL_ADD_LEVEL",
			"<linux/io_uring.h> IORING_POLL_LEVEL; commit \"io_uring/poll: disable level triggered poll\" (6.0-rc8): io_poll_add_prep() takes only IORING_POLL_ADD_MULTI");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, readable_poll_res(IORING_POLL_ADD_LEVEL));
}

/*
 * As level_poll_add_gets_einval, for a multishot poll: with
 * IORING_POLL_ADD_MULTI | IORING_POLL_ADD_LEVEL the poll of a readable
 * pipe completes once, with -EINVAL and without IORING_CQE_F_MORE, and
 * posts nothing more when the pipe is written again (since 5.1).
 */
TEST(level_multishot_poll_add_gets_einval_and_is_not_armed)
{
	struct io_uring_cqe cqe;
	struct lvl l;

	CONFORM_DECLARE("5.1", "IORING_POLL_ADD_LEVEL",
			"<linux/io_uring.h> IORING_POLL_LEVEL; commit \"io_uring/poll: disable level triggered poll\" (6.0-rc8)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	ASSERT_EQ(0, lvl_init(&l, true));
	ASSERT_NE(NULL, queue_poll(&l, IORING_POLL_ADD_MULTI |
					IORING_POLL_ADD_LEVEL));
	ASSERT_EQ(0, uring_submit_reap(&l.ring, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	EXPECT_EQ(0u, cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(1, write(l.p[1], "s", 1));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&l.ring));
	lvl_free(&l);
}

/*
 * io_uring_prep_poll_update(3) -EINVAL; io_poll_remove_prep() takes only
 * IORING_POLL_UPDATE_EVENTS, IORING_POLL_UPDATE_USER_DATA and
 * IORING_POLL_ADD_MULTI in len: an update that asks for
 * IORING_POLL_ADD_LEVEL fails with -EINVAL and leaves the pending poll as
 * it was, which then completes on a write with POLLIN (since 5.1: before
 * 5.13 POLL_REMOVE takes no len flag at all).
 */
TEST(level_poll_update_gets_einval_and_leaves_poll)
{
	const __u64 tags[2] = { TAG_POLL, TAG_UPDATE };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int res[2] = { 1, 1 };
	struct lvl l;

	CONFORM_DECLARE("5.1", "IORING_POLL_ADD_LEVEL",
			"io_uring_prep_poll_update(3) -EINVAL; io_uring/poll.c io_poll_remove_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	ASSERT_EQ(0, lvl_init(&l, false));
	ASSERT_NE(NULL, queue_poll(&l, 0));
	ASSERT_EQ(1, io_uring_submit(&l.ring));
	sqe = io_uring_get_sqe(&l.ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_poll_update(sqe, TAG_POLL, 0, POLLIN,
				  IORING_POLL_UPDATE_EVENTS |
				  IORING_POLL_ADD_LEVEL);
	io_uring_sqe_set_data64(sqe, TAG_UPDATE);
	ASSERT_EQ(0, uring_submit_reap(&l.ring, &cqe));
	EXPECT_EQ((__u64)TAG_UPDATE, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&l.ring));
	ASSERT_EQ(1, write(l.p[1], "w", 1));
	ASSERT_EQ(0, uring_reap_tagged(&l.ring, 1, tags, res));
	EXPECT_EQ(POLLIN, res[0]);
	lvl_free(&l);
}

/*
 * io_uring_prep_poll_multishot(3) / io_uring_multishot(7): multishot
 * operations "are edge-triggered conceptually - they generate completions
 * when events occur, not continuously while conditions are true". A
 * multishot POLLIN poll of a pipe that is readable when it is armed posts
 * one CQE (POLLIN, IORING_CQE_F_MORE), then nothing while the pipe stays
 * readable; once the pipe is emptied and written again, one more CQE with
 * IORING_CQE_F_MORE (since 5.13). Three CQEs are reaped in all, then the
 * poll is removed: it ends with -ECANCELED.
 */
TEST(edge_multishot_poll_posts_per_event_not_while_readable)
{
	const __u64 tags[2] = { TAG_POLL, TAG_UPDATE };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int res[2] = { 1, 1 };
	struct lvl l;
	char c;

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_multishot(7) NOTES: edge-triggered conceptually; io_uring_enter(2) IORING_POLL_ADD_MULTI");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	CONFORM_REQUIRE(multishot_missing());
	ASSERT_EQ(0, lvl_init(&l, true));
	ASSERT_NE(NULL, queue_poll(&l, IORING_POLL_ADD_MULTI));
	ASSERT_EQ(0, uring_submit_reap(&l.ring, &cqe));
	EXPECT_EQ(POLLIN, cqe.res);
	EXPECT_EQ((unsigned int)IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	/* Still readable, no new event: nothing. */
	EXPECT_EQ(-ETIME, uring_wait_briefly(&l.ring));
	for (int k = 0; k < 2; k++) {
		ASSERT_EQ(1, read(l.p[0], &c, 1));
		ASSERT_EQ(1, write(l.p[1], "e", 1));
		ASSERT_EQ(0, uring_reap_one(&l.ring, &cqe));
		EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ((unsigned int)IORING_CQE_F_MORE,
			  cqe.flags & IORING_CQE_F_MORE);
		EXPECT_EQ(-ETIME, uring_wait_briefly(&l.ring));
	}
	sqe = io_uring_get_sqe(&l.ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_poll_remove(sqe, TAG_POLL);
	io_uring_sqe_set_data64(sqe, TAG_UPDATE);
	ASSERT_EQ(1, io_uring_submit(&l.ring));
	ASSERT_EQ(0, uring_reap_tagged(&l.ring, 2, tags, res));
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(0, res[1]);
	lvl_free(&l);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD: len holds the poll flags, of which
 * IORING_POLL_ADD_MULTI is the only one a POLL_ADD takes; an undefined bit
 * (1 << 4, the lowest one <linux/io_uring.h> does not name, and 1 << 31)
 * fails the poll of a readable pipe with -EINVAL (since 5.1, when len had
 * to be 0).
 */
TEST(unknown_poll_add_flag_gets_einval)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD -EINVAL; io_uring/poll.c io_poll_add_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, readable_poll_res(1U << 4));
	EXPECT_EQ(-EINVAL, readable_poll_res(1U << 31));
}

/*
 * io_uring_prep_poll_update(3): IORING_POLL_UPDATE_EVENTS and
 * IORING_POLL_UPDATE_USER_DATA are flags of IORING_OP_POLL_REMOVE (since
 * 5.13, commit "io_uring: move poll update into remove not add"); in the
 * len of a POLL_ADD each fails the poll with -EINVAL (since 5.1).
 */
TEST(update_flags_in_poll_add_get_einval)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_prep_poll_update(3); io_uring/poll.c io_poll_add_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, readable_poll_res(IORING_POLL_UPDATE_EVENTS));
	EXPECT_EQ(-EINVAL, readable_poll_res(IORING_POLL_UPDATE_USER_DATA));
}

/*
 * io_uring_enter(2) -EINVAL for fields a request does not use:
 * io_poll_add_prep() fails a POLL_ADD whose addr, off or buf_index is not
 * zero, here on a readable pipe that would otherwise complete with POLLIN
 * (since 5.1).
 */
TEST(poll_add_with_unused_field_set_gets_einval)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD; io_uring/poll.c io_poll_add_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, readable_poll_with_field_res(F_ADDR));
	EXPECT_EQ(-EINVAL, readable_poll_with_field_res(F_OFF));
	EXPECT_EQ(-EINVAL, readable_poll_with_field_res(F_BUF_INDEX));
}

/*
 * Kernel commit 04c76b41ca97 ("io_uring: add option to skip CQE posting",
 * 5.17): a multishot poll cannot be combined with IOSQE_CQE_SKIP_SUCCESS,
 * io_poll_add_prep() fails it with -EINVAL (the error is posted, as every
 * failure of a skip-success request); a single-shot poll with the flag is
 * accepted and its success posts nothing (since 5.17).
 */
TEST(multishot_poll_with_cqe_skip_success_gets_einval)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct lvl l;

	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"commit 04c76b41ca97 (io_uring: add option to skip CQE posting): io_poll_add_prep()");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CQE_SKIP);
	CONFORM_REQUIRE(multishot_missing());
	ASSERT_EQ(0, lvl_init(&l, true));
	sqe = queue_poll(&l, IORING_POLL_ADD_MULTI);
	ASSERT_NE(NULL, sqe);
	sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(0, uring_submit_reap(&l.ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	sqe = queue_poll(&l, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(1, io_uring_submit(&l.ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&l.ring));
	lvl_free(&l);
}

TEST_HARNESS_MAIN
