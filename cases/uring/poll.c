// SPDX-License-Identifier: MIT
/*
 * uring/poll: IORING_OP_POLL_ADD and IORING_OP_POLL_REMOVE on pipes: the
 * returned event mask (POLLIN once written, POLLOUT at once, POLLHUP after
 * the writer closes), removal, and multishot mode (IORING_POLL_ADD_MULTI)
 * with IORING_CQE_F_MORE; the EINVAL of a poll add with a len flag that is
 * not IORING_POLL_ADD_MULTI (unknown, the IORING_POLL_UPDATE_* flags of
 * POLL_REMOVE, or IORING_POLL_ADD_LEVEL, disabled before its release), with
 * addr, ioprio, off or buf_index set, or multishot with
 * IOSQE_CQE_SKIP_SUCCESS;
 * and the ENOENT / EINVAL of a POLL_REMOVE carrying IORING_POLL_ADD_MULTI.
 */
#include <liburing.h>
#include <poll.h>

#include "conform_uring.h"

enum { TAG_POLL = 1, TAG_REMOVE = 2 };

static void queue_poll(struct io_uring *ring, int fd, unsigned int mask,
		       bool multishot)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (multishot)
		io_uring_prep_poll_multishot(sqe, fd, mask);
	else
		io_uring_prep_poll_add(sqe, fd, mask);
	io_uring_sqe_set_data64(sqe, TAG_POLL);
}

static void queue_poll_remove(struct io_uring *ring, __u64 target)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_poll_remove(sqe, target);
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
}

/* A pipe and a 4-entry ring. */
static void pipe_and_ring(struct __test_metadata *_metadata, int fds[2],
			  struct io_uring *ring)
{
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
}

/* A pipe and a ring with a single-shot poll for mask on fds[end] submitted. */
static void pipe_ring_polling(struct __test_metadata *_metadata, int fds[2],
			      struct io_uring *ring, int end,
			      unsigned int mask)
{
	pipe_and_ring(_metadata, fds, ring);
	queue_poll(ring, fds[end], mask, false);
	ASSERT_EQ(1, io_uring_submit(ring));
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD: works "like an async poll(2)" and
 * the result "is the returned mask of events": a poll for POLLIN on an
 * empty pipe completes only once it is written, with res POLLIN (since 5.1).
 */
TEST(poll_add_completes_with_pollin_once_written)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	pipe_ring_polling(_metadata, fds, &ring, 0, POLLIN);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD, as poll(2): only requested events
 * (plus POLLERR/POLLHUP) are reported. The write end of an empty pipe
 * polled for POLLIN|POLLOUT completes at once with res POLLOUT (since 5.1).
 */
TEST(poll_add_on_writable_pipe_reports_only_pollout)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD; poll(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	pipe_ring_polling(_metadata, fds, &ring, 1, POLLIN | POLLOUT);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(POLLOUT, cqe.res);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * poll(2): POLLHUP is returned even if not asked for; on a pipe it means
 * the write end was closed. IORING_OP_POLL_ADD for POLLIN on an empty pipe
 * whose writer then closes completes with res POLLHUP (since 5.1).
 */
TEST(poll_add_reports_pollhup_when_writer_closes)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"poll(2) POLLHUP; io_uring_enter(2) "
			"IORING_OP_POLL_ADD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	pipe_ring_polling(_metadata, fds, &ring, 0, POLLIN);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	close(fds[1]);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(POLLHUP, cqe.res);
	io_uring_queue_exit(&ring);
	close(fds[0]);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_REMOVE: "If found, the res field ... will
 * contain 0"; the removed poll completes with -ECANCELED (since 5.1).
 */
TEST(poll_remove_cancels_pending_poll)
{
	struct io_uring ring;
	const __u64 tags[2] = { TAG_POLL, TAG_REMOVE };
	int fds[2], res[2] = { 1, 1 };

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_REMOVE",
			"io_uring_enter(2) IORING_OP_POLL_REMOVE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	pipe_ring_polling(_metadata, fds, &ring, 0, POLLIN);
	queue_poll_remove(&ring, TAG_POLL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_REMOVE: "If not found, res will contain
 * -ENOENT" (since 5.1).
 */
TEST(poll_remove_of_unknown_gets_enoent)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_REMOVE",
			"io_uring_enter(2) IORING_OP_POLL_REMOVE -ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_poll_remove(&ring, 0x5eed);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_REMOVE, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * NULL if a multishot poll is accepted: 5.13 added IORING_POLL_ADD_MULTI,
 * older kernels complete a poll with a non-zero len with -EINVAL. Probed on
 * a ring and pipe of its own, all closed again.
 */
static const char *multishot_missing(void)
{
	const char *why = "IORING_POLL_ADD_MULTI rejected with -EINVAL";
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];

	if (conform_pipe(fds))
		return CONFORM_ENV "pipe failed in the multishot probe";
	if (io_uring_queue_init(4, &ring, 0)) {
		close(fds[0]);
		close(fds[1]);
		return CONFORM_ENV "io_uring_queue_init failed in the multishot probe";
	}
	queue_poll(&ring, fds[0], POLLIN, true);
	if (io_uring_submit(&ring) != 1 || write(fds[1], "a", 1) != 1 ||
	    uring_reap_one(&ring, &cqe))
		why = "the multishot poll probe did not complete";
	else if (cqe.res != -EINVAL)
		why = NULL;
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
	return why;
}

/* Start a multishot POLLIN poll on rfd and feed it one byte through wfd. */
static void start_multishot(struct io_uring *ring, int rfd, int wfd,
			    struct __test_metadata *_metadata)
{
	queue_poll(ring, rfd, POLLIN, true);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(1, write(wfd, "a", 1));
}

/*
 * io_uring_enter(2) IORING_POLL_ADD_MULTI: the poll "repeatedly trigger[s]
 * when the requested event becomes true"; each CQE has IORING_CQE_F_MORE
 * while more will follow (since 5.13). Two writes to an emptied pipe give
 * two CQEs, res POLLIN, both with F_MORE.
 */
TEST(multishot_poll_cqes_carry_f_more)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2];
	char c;

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_POLL_ADD_MULTI");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	CONFORM_REQUIRE(multishot_missing());
	pipe_and_ring(_metadata, fds, &ring);
	start_multishot(&ring, fds[0], fds[1], _metadata);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(POLLIN, cqe.res);
	EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(1, read(fds[0], &c, 1));
	ASSERT_EQ(1, write(fds[1], "b", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IORING_POLL_ADD_MULTI: a CQE without IORING_CQE_F_MORE
 * means "the poll request has been terminated"; removing a multishot poll
 * ends it with -ECANCELED and no F_MORE, and the remove gets 0 (since 5.13).
 */
TEST(multishot_poll_remove_ends_it_without_f_more)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int fds[2], remove_res = 1, last_res = 1;
	unsigned int last_flags = IORING_CQE_F_MORE;

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_POLL_ADD_MULTI "
			"IORING_CQE_F_MORE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	CONFORM_REQUIRE(multishot_missing());
	pipe_and_ring(_metadata, fds, &ring);
	start_multishot(&ring, fds[0], fds[1], _metadata);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	ASSERT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
	queue_poll_remove(&ring, TAG_POLL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int k = 0; k < 2; k++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		if (cqe.user_data == TAG_POLL) {
			last_res = cqe.res;
			last_flags = cqe.flags;
		} else {
			remove_res = cqe.res;
		}
	}
	EXPECT_EQ(0, remove_res);
	EXPECT_EQ(-ECANCELED, last_res);
	EXPECT_EQ(0u, last_flags & IORING_CQE_F_MORE);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Run one IORING_OP_POLL_ADD for POLLIN with the given len (its flags),
 * addr and sqe_flags on the read end of a new pipe holding a byte, on a
 * ring of its own: a poll that is accepted completes at once with POLLIN,
 * one that is refused with its error. The CQE's res, or INT_MIN.
 */
static int poll_add_res(unsigned int len, __u64 addr, unsigned char sqe_flags)
{
	struct io_uring_sqe sqe;
	int fds[2], res = INT_MIN;

	if (conform_pipe(fds))
		return INT_MIN;
	if (write(fds[1], "x", 1) == 1) {
		memset(&sqe, 0, sizeof(sqe));
		io_uring_prep_poll_add(&sqe, fds[0], POLLIN);
		sqe.len = len;
		sqe.addr = addr;
		sqe.flags = sqe_flags;
		res = uring_run_one_sqe_res(&sqe);
	}
	close(fds[0]);
	close(fds[1]);
	return res;
}

/*
 * io_uring_enter(2) CQE ERRORS: EINVAL when IORING_OP_POLL_ADD has "any of
 * ioprio, off, len, or buf_index" non-zero; since 5.13 len holds the
 * POLL_ADD flags (<linux/io_uring.h>: "the command flags for POLL_ADD are
 * stored in sqe->len"), and a bit that is not one of them (1 << 31) still
 * gets -EINVAL (since 5.1).
 */
TEST(poll_add_with_unknown_len_flag_gets_einval)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) CQE ERRORS EINVAL: IORING_OP_POLL_ADD with len non-zero");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, poll_add_res(1U << 31, 0, 0));
}

/*
 * <linux/io_uring.h>: IORING_POLL_UPDATE_EVENTS and
 * IORING_POLL_UPDATE_USER_DATA update "existing poll request[s]"; they are
 * flags of IORING_OP_POLL_REMOVE. IORING_OP_POLL_ADD takes only
 * IORING_POLL_ADD_MULTI in len (kernel io_poll_add_prep()), so a poll add
 * carrying the update flags fails with -EINVAL (io_uring_enter(2) CQE
 * ERRORS, len non-zero; since 5.1).
 */
TEST(poll_add_with_update_flags_gets_einval)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) CQE ERRORS EINVAL; io_uring/poll.c io_poll_add_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, poll_add_res(IORING_POLL_UPDATE_EVENTS |
					IORING_POLL_UPDATE_USER_DATA, 0, 0));
}

/*
 * io_uring_enter(2) CQE ERRORS: EINVAL when "IORING_OP_POLL_ADD was
 * specified ... and the addr field was non-zero" (since 5.1).
 */
TEST(poll_add_with_nonzero_addr_gets_einval)
{
	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) CQE ERRORS EINVAL: IORING_OP_POLL_ADD with addr non-zero");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, poll_add_res(0, 0x1000, 0));
}

/*
 * Kernel io_poll_add_prep() refuses "(flags & IORING_POLL_ADD_MULTI) &&
 * (req->flags & REQ_F_CQE_SKIP)": a multishot poll posts a CQE per event, which
 * IOSQE_CQE_SKIP_SUCCESS would hide; the pair is refused with -EINVAL
 * (since 5.17, the release of IOSQE_CQE_SKIP_SUCCESS).
 */
TEST(multishot_poll_with_cqe_skip_success_gets_einval)
{
	CONFORM_DECLARE("5.17", "IORING_POLL_ADD_MULTI",
			"io_uring/poll.c io_poll_add_prep(): IORING_POLL_ADD_MULTI with IOSQE_CQE_SKIP_SUCCESS is EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	CONFORM_REQUIRE(multishot_missing());
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CQE_SKIP);
	EXPECT_EQ(-EINVAL, poll_add_res(IORING_POLL_ADD_MULTI, 0,
					IOSQE_CQE_SKIP_SUCCESS));
}

/*
 * io_uring_prep_poll_update(3): "-ENOENT The request identified by
 * user_data could not be located"; an update that also asks for
 * IORING_POLL_ADD_MULTI (len IORING_POLL_ADD_MULTI |
 * IORING_POLL_UPDATE_EVENTS) of a user_data no poll carries gets the same
 * -ENOENT (since 5.13).
 */
TEST(multishot_update_of_unknown_user_data_gets_enoent)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_prep_poll_update(3) -ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	CONFORM_REQUIRE(multishot_missing());
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_poll_update(&sqe, 0x5eed, 0, POLLIN,
				  IORING_POLL_ADD_MULTI | IORING_POLL_UPDATE_EVENTS);
	EXPECT_EQ(-ENOENT, uring_run_one_sqe_res(&sqe));
}

/*
 * Kernel io_poll_remove_prep(): IORING_POLL_ADD_MULTI in the len of an
 * IORING_OP_POLL_REMOVE is "meaningless without update" (without
 * IORING_POLL_UPDATE_EVENTS or IORING_POLL_UPDATE_USER_DATA) and fails
 * with -EINVAL (io_uring_prep_poll_update(3) -EINVAL); the poll it names
 * is neither removed nor changed: it stays pending and completes once
 * written (since 5.13).
 */
TEST(poll_remove_with_add_multi_alone_gets_einval_and_leaves_poll)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int fds[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring/poll.c io_poll_remove_prep(): ADD_MULTI without update is EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_REMOVE);
	CONFORM_REQUIRE(multishot_missing());
	pipe_ring_polling(_metadata, fds, &ring, 0, POLLIN);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_poll_remove(sqe, TAG_POLL);
	sqe->len = IORING_POLL_ADD_MULTI;
	io_uring_sqe_set_data64(sqe, TAG_REMOVE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_REMOVE, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) CQE ERRORS: EINVAL when IORING_OP_POLL_ADD has "any of
 * ioprio, off, len, or buf_index" non-zero: each of ioprio, off and
 * buf_index on its own (len, which carries flags since 5.13, has tests of
 * its own) fails the poll with -EINVAL (since 5.1).
 */
TEST(poll_add_with_nonzero_ioprio_off_or_buf_index_gets_einval)
{
	static const char *const names[3] = { "ioprio", "off", "buf_index" };

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) CQE ERRORS EINVAL: IORING_OP_POLL_ADD with ioprio, off or buf_index non-zero");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	for (int field = 0; field < 3; field++) {
		struct io_uring_sqe sqe;
		int fds[2];

		ASSERT_EQ(0, conform_pipe(fds));
		ASSERT_EQ(1, write(fds[1], "x", 1));
		memset(&sqe, 0, sizeof(sqe));
		io_uring_prep_poll_add(&sqe, fds[0], POLLIN);
		if (field == 0)
			sqe.ioprio = 1;
		else if (field == 1)
			sqe.off = 1;
		else
			sqe.buf_index = 1;
		EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe))
			TH_LOG("%s non-zero", names[field]);
		close(fds[0]);
		close(fds[1]);
	}
}

/*
 * <linux/io_uring.h> still documents IORING_POLL_ADD_LEVEL, "Level
 * triggered poll", but kernel commit "io_uring/poll: disable level
 * triggered poll" disabled it at prep time before the release that was to
 * bring it (6.0): io_poll_add_prep() takes only IORING_POLL_ADD_MULTI in
 * len, and a poll add with IORING_POLL_ADD_LEVEL fails with -EINVAL
 * (io_uring_enter(2) CQE ERRORS, len non-zero), on every kernel so far
 * (5.10 to 7.2 here). Asserted as the kernels behave; since 6.0, the
 * flag's release (older kernels give the same -EINVAL for a bit they do
 * not know).
 */
TEST(poll_add_level_flag_gets_einval)
{
	CONFORM_DECLARE("6.0", "IORING_POLL_ADD_LEVEL",
			"<linux/io_uring.h> IORING_POLL_ADD_LEVEL; commit io_uring/poll: disable level triggered poll (6.0)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EXPECT_EQ(-EINVAL, poll_add_res(IORING_POLL_ADD_LEVEL, 0, 0));
}

TEST_HARNESS_MAIN
