// SPDX-License-Identifier: MIT
/*
 * uring/poll-update: IORING_OP_POLL_REMOVE with IORING_POLL_UPDATE_EVENTS
 * and IORING_POLL_UPDATE_USER_DATA (5.13), which change a pending poll in
 * place instead of removing it: its event mask or its user_data (but not,
 * whatever IORING_POLL_ADD_MULTI promises, single-shot into multishot).
 * The update's own CQE
 * has res 0, -ENOENT when no such poll is pending, -EINVAL for an unknown
 * flag. Sources: io_uring_enter(2) IORING_OP_POLL_ADD and
 * io_uring_prep_poll_update(3). Sockets from socketpair(2): an empty one is
 * writable but not readable.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_POLL = 0x10, TAG_NEW = 0x20, TAG_UPDATE = 0x30 };

/*
 * NULL when the kernel knows poll updates; else why not. Before 5.13
 * IORING_OP_POLL_REMOVE takes no flags in len and fails with -EINVAL; since,
 * an update of a user_data that matches nothing gets -ENOENT
 * (uring_flag_result_missing()).
 */
static const char *poll_update_missing(void)
{
	struct io_uring_sqe sqe;

	if (conform_uring_op_missing(IORING_OP_POLL_REMOVE, "IORING_OP_POLL_REMOVE"))
		return conform_why;
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_poll_update(&sqe, 0x9999, 0, POLLIN, IORING_POLL_UPDATE_EVENTS);
	return uring_flag_result_missing(&sqe, -ENOENT,
					 "an update of an unknown poll",
					 "IORING_POLL_UPDATE_EVENTS");
}

/* Queue a single-shot poll for events on fd, tagged TAG_POLL. */
static int queue_poll(struct io_uring *ring, int fd, unsigned int events)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, fd, events);
	io_uring_sqe_set_data64(sqe, TAG_POLL);
	return io_uring_submit(ring);
}

/* Queue an update of the poll tagged old, itself tagged TAG_UPDATE. */
static int queue_update(struct io_uring *ring, __u64 old, __u64 new_data,
			unsigned int events, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_update(sqe, old, new_data, events, flags);
	io_uring_sqe_set_data64(sqe, TAG_UPDATE);
	return io_uring_submit(ring);
}

/* A socket pair and a 4-entry ring with a poll for events on sv[0] submitted. */
static void socketpair_ring_polling(struct __test_metadata *_metadata,
				    int sv[2], struct io_uring *ring,
				    unsigned int events)
{
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(1, queue_poll(ring, sv[0], events));
}

/*
 * io_uring_prep_poll_update(3) IORING_POLL_UPDATE_EVENTS: "replace the
 * existing events being waited for with the ones specified"; success is
 * res 0 (since 5.13). A POLLIN poll on an empty socket waits; changed to
 * POLLOUT it completes at once with exactly POLLOUT, keeping its user_data.
 */
TEST(update_events_rearms_pending_poll_with_new_mask)
{
	const __u64 tags[2] = { TAG_UPDATE, TAG_POLL };
	struct io_uring ring;
	int sv[2], res[2] = { 1, 1 };

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_EVENTS",
			"io_uring_prep_poll_update(3) "
			"IORING_POLL_UPDATE_EVENTS");
	CONFORM_REQUIRE(poll_update_missing());
	socketpair_ring_polling(_metadata, sv, &ring, POLLIN);
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, queue_update(&ring, TAG_POLL, 0, POLLOUT,
				  IORING_POLL_UPDATE_EVENTS));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(POLLOUT, res[1]);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_poll_update(3) IORING_POLL_UPDATE_USER_DATA: "update the
 * existing user_data of the request with the value passed in as the
 * new_user_data" (since 5.13). The update completes with 0 and the poll
 * stays pending; when data arrives its CQE carries the new user_data.
 */
TEST(update_user_data_relabels_pending_poll)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int sv[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_USER_DATA",
			"io_uring_prep_poll_update(3) "
			"IORING_POLL_UPDATE_USER_DATA");
	CONFORM_REQUIRE(poll_update_missing());
	socketpair_ring_polling(_metadata, sv, &ring, POLLIN);
	ASSERT_EQ(1, queue_update(&ring, TAG_POLL, TAG_NEW, 0,
				  IORING_POLL_UPDATE_USER_DATA));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG_UPDATE, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));

	ASSERT_EQ(1, write(sv[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG_NEW, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_poll_update(3): "-ENOENT The request identified by
 * user_data could not be located" - here an identifier never used (since
 * 5.13).
 */
TEST(update_of_unknown_user_data_gets_enoent)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_EVENTS",
			"io_uring_prep_poll_update(3) -ENOENT");
	CONFORM_REQUIRE(poll_update_missing());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, queue_update(&ring, 0x5151, TAG_NEW, POLLIN,
				  IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_poll_update(3): -ENOENT also when the poll "completed before
 * the cancelation request was issued" (since 5.13).
 */
TEST(update_of_completed_poll_gets_enoent)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int sv[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_EVENTS",
			"io_uring_prep_poll_update(3) -ENOENT");
	CONFORM_REQUIRE(poll_update_missing());
	socketpair_ring_polling(_metadata, sv, &ring, POLLOUT);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	ASSERT_EQ(TAG_POLL, cqe.user_data);
	ASSERT_EQ(POLLOUT, cqe.res);
	ASSERT_EQ(1, queue_update(&ring, TAG_POLL, 0, POLLIN,
				  IORING_POLL_UPDATE_EVENTS));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG_UPDATE, cqe.user_data);
	EXPECT_EQ(-ENOENT, cqe.res);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_poll_update(3) contradicts itself here. Its
 * IORING_POLL_ADD_MULTI paragraph says the flag (with
 * IORING_POLL_UPDATE_EVENTS) turns a single-shot poll into a multishot one.
 * Its IORING_POLL_UPDATE_EVENTS paragraph (in newer liburing releases; the
 * 2.3 page of Debian 12 lacks it) says only the low 16 bits of the mask can
 * be updated, and that settings like EPOLLONESHOT are internal state that
 * cannot be modified: cancel and re-arm instead. Every kernel from 5.13 to
 * 7.2 does the latter: the update is accepted (res 0), but the poll still
 * fires once, without IORING_CQE_F_MORE, and is then gone.
 */
TEST(update_with_add_multi_keeps_poll_single_shot)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int sv[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_EVENTS",
			"io_uring_prep_poll_update(3) "
			"IORING_POLL_UPDATE_EVENTS low 16 bits only");
	CONFORM_REQUIRE(poll_update_missing());
	socketpair_ring_polling(_metadata, sv, &ring, POLLIN);
	ASSERT_EQ(1, queue_update(&ring, TAG_POLL, 0, POLLIN,
				  IORING_POLL_UPDATE_EVENTS | IORING_POLL_ADD_MULTI));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	ASSERT_EQ(TAG_UPDATE, cqe.user_data);
	ASSERT_EQ(0, cqe.res);

	ASSERT_EQ(1, write(sv[1], "y", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG_POLL, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	/* Finished: more data posts nothing. */
	ASSERT_EQ(1, write(sv[1], "z", 1));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_poll_update(3): "-EINVAL One of the fields set in the SQE
 * was invalid"; the flags in len are limited to UPDATE_EVENTS,
 * UPDATE_USER_DATA and ADD_MULTI, and another bit (1 << 5) fails the update
 * and leaves the poll pending (since 5.13).
 */
TEST(update_with_unknown_flag_gets_einval_and_leaves_poll)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int sv[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_UPDATE_EVENTS",
			"io_uring_prep_poll_update(3) -EINVAL");
	CONFORM_REQUIRE(poll_update_missing());
	socketpair_ring_polling(_metadata, sv, &ring, POLLIN);
	ASSERT_EQ(1, queue_update(&ring, TAG_POLL, 0, POLLOUT,
				  IORING_POLL_UPDATE_EVENTS | (1U << 5)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG_UPDATE, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
