// SPDX-License-Identifier: MIT
/*
 * uring/epoll-ctl: IORING_OP_EPOLL_CTL (Linux 5.6), epoll_ctl(2) run
 * through the ring: EPOLL_CTL_ADD, _MOD and _DEL take effect as the system
 * call's do (seen with epoll_wait(2)), and the request fails with the
 * errors epoll_ctl(2) documents (EEXIST, ENOENT, EINVAL, EBADF, ELOOP),
 * as -errno in the CQE.
 */
#include <liburing.h>
#include <sys/epoll.h>

#include "conform_uring.h"

#define REQUIRE_EPOLL_CTL() CONFORM_REQUIRE_URING_OP(IORING_OP_EPOLL_CTL)

/* Run epoll_ctl(epfd, op, fd, {events, data}) through ring: the CQE res,
 * or INT_MIN when the request did not run. */
static int ring_epoll_ctl(struct io_uring *ring, int epfd, int op, int fd,
			  unsigned int events, __u64 data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_epoll_ctl(&sqe, epfd, fd, op, &ev);
	return uring_run_sqe_res(ring, &sqe);
}

/* A ring, an epoll instance and a pipe. */
struct ep {
	struct io_uring ring;
	int epfd, p[2];
};

static int ep_start(struct ep *t)
{
	if (conform_pipe(t->p) || io_uring_queue_init(4, &t->ring, 0))
		return -1;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	return t->epfd < 0 ? -1 : 0;
}

static void ep_end(struct ep *t)
{
	io_uring_queue_exit(&t->ring);
	close(t->epfd);
	close(t->p[0]);
	close(t->p[1]);
}

/* Start t, make its pipe readable, and add the read end for events (data 1). */
static void start_with_readable_pipe_added(struct __test_metadata *_metadata,
					   struct ep *t, unsigned int events)
{
	ASSERT_EQ(0, ep_start(t));
	ASSERT_EQ(1, write(t->p[1], "x", 1));
	ASSERT_EQ(0, ring_epoll_ctl(&t->ring, t->epfd, EPOLL_CTL_ADD, t->p[0],
				    events, 1));
}

/* Write to t's pipe: epoll_wait reports one EPOLLIN event carrying data. */
static void expect_write_reported(struct __test_metadata *_metadata,
				  struct ep *t, __u64 data)
{
	struct epoll_event out;

	ASSERT_EQ(1, write(t->p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(t->epfd, &out, 1, 1000));
	EXPECT_EQ(EPOLLIN, out.events);
	EXPECT_EQ(data, out.data.u64);
}

/*
 * io_uring_enter(2) IORING_OP_EPOLL_CTL "the same as epoll_ctl(2)":
 * EPOLL_CTL_ADD completes with 0 and the fd is then reported by
 * epoll_wait(2) with the events and data given (since 5.6).
 */
TEST(add_registers_fd_with_events_and_data)
{
	struct epoll_event out;
	struct ep t;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL",
			"io_uring_enter(2) IORING_OP_EPOLL_CTL; epoll_ctl(2) "
			"EPOLL_CTL_ADD");
	REQUIRE_EPOLL_CTL();
	ASSERT_EQ(0, ep_start(&t));
	EXPECT_EQ(0, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD, t.p[0],
				    EPOLLIN, 0xabcdef12345ULL));
	EXPECT_EQ(0, epoll_wait(t.epfd, &out, 1, 0));
	expect_write_reported(_metadata, &t, 0xabcdef12345ULL);
	ep_end(&t);
}

/*
 * IORING_OP_EPOLL_CTL with EPOLL_CTL_MOD; epoll_ctl(2): "change the
 * settings associated with fd": the new data and event mask replace the
 * old ones (since 5.6).
 */
TEST(mod_replaces_events_and_data)
{
	struct epoll_event out;
	struct ep t;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL",
			"epoll_ctl(2) EPOLL_CTL_MOD");
	REQUIRE_EPOLL_CTL();
	start_with_readable_pipe_added(_metadata, &t, EPOLLOUT);
	EXPECT_EQ(0, epoll_wait(t.epfd, &out, 1, 0));
	EXPECT_EQ(0, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_MOD, t.p[0],
				    EPOLLIN, 2));
	ASSERT_EQ(1, epoll_wait(t.epfd, &out, 1, 1000));
	EXPECT_EQ(EPOLLIN, out.events);
	EXPECT_EQ(2, out.data.u64);
	ep_end(&t);
}

/*
 * IORING_OP_EPOLL_CTL with EPOLL_CTL_DEL; epoll_ctl(2): "remove the
 * target fd from the interest list": a ready fd is no longer reported
 * (since 5.6). The event argument is ignored, so NULL is fine (since 2.6.9).
 */
TEST(del_removes_fd_from_interest_list)
{
	struct io_uring_sqe sqe;
	struct epoll_event out;
	struct ep t;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL",
			"epoll_ctl(2) EPOLL_CTL_DEL");
	REQUIRE_EPOLL_CTL();
	start_with_readable_pipe_added(_metadata, &t, EPOLLIN);
	ASSERT_EQ(1, epoll_wait(t.epfd, &out, 1, 0));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_epoll_ctl(&sqe, t.epfd, t.p[0], EPOLL_CTL_DEL, NULL);
	EXPECT_EQ(0, uring_run_sqe_res(&t.ring, &sqe));
	EXPECT_EQ(0, epoll_wait(t.epfd, &out, 1, 0));
	ep_end(&t);
}

/*
 * epoll_ctl(2) EEXIST "op was EPOLL_CTL_ADD, and the supplied file
 * descriptor fd is already registered", through IORING_OP_EPOLL_CTL:
 * -EEXIST (since 5.6).
 */
TEST(add_twice_gets_eexist)
{
	struct ep t;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL", "epoll_ctl(2) EEXIST");
	REQUIRE_EPOLL_CTL();
	ASSERT_EQ(0, ep_start(&t));
	ASSERT_EQ(0, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD, t.p[0],
				    EPOLLIN, 1));
	EXPECT_EQ(-EEXIST, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD,
					  t.p[0], EPOLLIN, 1));
	ep_end(&t);
}

/*
 * epoll_ctl(2) ENOENT "op was EPOLL_CTL_MOD or EPOLL_CTL_DEL, and fd is not
 * registered", through IORING_OP_EPOLL_CTL: -ENOENT for both (since 5.6).
 */
TEST(mod_or_del_of_unregistered_fd_gets_enoent)
{
	struct ep t;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL", "epoll_ctl(2) ENOENT");
	REQUIRE_EPOLL_CTL();
	ASSERT_EQ(0, ep_start(&t));
	EXPECT_EQ(-ENOENT, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_MOD,
					  t.p[0], EPOLLIN, 1));
	EXPECT_EQ(-ENOENT, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_DEL,
					  t.p[0], EPOLLIN, 1));
	ep_end(&t);
}

/*
 * epoll_ctl(2) EINVAL "epfd is not an epoll file descriptor, or fd is the
 * same as epfd, or the requested operation op is not supported", through
 * IORING_OP_EPOLL_CTL: -EINVAL for each (since 5.6).
 */
TEST(not_epoll_or_self_or_bad_op_gets_einval)
{
	struct ep t;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL", "epoll_ctl(2) EINVAL");
	REQUIRE_EPOLL_CTL();
	ASSERT_EQ(0, ep_start(&t));
	EXPECT_EQ(-EINVAL, ring_epoll_ctl(&t.ring, t.p[0], EPOLL_CTL_ADD,
					  t.p[1], EPOLLOUT, 1));
	EXPECT_EQ(-EINVAL, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD,
					  t.epfd, EPOLLIN, 1));
	EXPECT_EQ(-EINVAL, ring_epoll_ctl(&t.ring, t.epfd, 99, t.p[0],
					  EPOLLIN, 1));
	ep_end(&t);
}

/*
 * epoll_ctl(2) EBADF "epfd or fd is not a valid file descriptor", and
 * EPERM "the target file fd does not support epoll" (a regular file),
 * through IORING_OP_EPOLL_CTL: -EBADF, -EPERM (since 5.6).
 */
TEST(bad_fd_gets_ebadf_and_regular_file_gets_eperm)
{
	struct ep t;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL",
			"epoll_ctl(2) EBADF and EPERM");
	REQUIRE_EPOLL_CTL();
	ASSERT_EQ(0, ep_start(&t));
	EXPECT_EQ(-EBADF, ring_epoll_ctl(&t.ring, conform_bad_fd(),
					 EPOLL_CTL_ADD, t.p[0], EPOLLIN, 1));
	EXPECT_EQ(-EBADF, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD,
					 conform_bad_fd(), EPOLLIN, 1));
	fd = conform_temp_file(16, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EPERM, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD, fd,
					 EPOLLIN, 1));
	close(fd);
	ep_end(&t);
}

/*
 * epoll_ctl(2): an epoll fd may be added to another epoll instance, and
 * ELOOP "fd refers to an epoll instance and this EPOLL_CTL_ADD operation
 * would result in a circular loop": through IORING_OP_EPOLL_CTL, adding
 * inner to outer succeeds, then adding outer to inner gets -ELOOP
 * (since 5.6).
 */
TEST(nested_epoll_add_works_and_loop_gets_eloop)
{
	struct ep t;
	int inner;

	CONFORM_DECLARE("5.6", "IORING_OP_EPOLL_CTL", "epoll_ctl(2) ELOOP");
	REQUIRE_EPOLL_CTL();
	ASSERT_EQ(0, ep_start(&t));
	inner = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, inner);
	ASSERT_EQ(0, epoll_ctl(inner, EPOLL_CTL_ADD, t.p[0],
			       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_EQ(0, ring_epoll_ctl(&t.ring, t.epfd, EPOLL_CTL_ADD, inner,
				    EPOLLIN, 5));
	EXPECT_EQ(-ELOOP, ring_epoll_ctl(&t.ring, inner, EPOLL_CTL_ADD,
					 t.epfd, EPOLLIN, 6));
	expect_write_reported(_metadata, &t, 5);
	close(inner);
	ep_end(&t);
}

TEST_HARNESS_MAIN
