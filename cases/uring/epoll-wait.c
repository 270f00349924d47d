// SPDX-License-Identifier: MIT
/*
 * uring/epoll-wait: IORING_OP_EPOLL_WAIT (Linux 6.15), the asynchronous
 * epoll_wait(2): the epoll fd in sqe->fd, the event array at sqe->addr,
 * maxevents in sqe->len. It completes with the number of events copied
 * once one is ready, at once when one is ready at submit, never with more
 * than maxevents; it fails with the errors of epoll_wait(2) (EBADF,
 * EINVAL for maxevents 0 or a file that is not an epoll instance, EFAULT
 * for an event array outside user memory), with -EINVAL for the SQE fields
 * it does not use (off, rw_flags, buf_index, splice_fd_in: io_uring/epoll.c
 * io_epoll_wait_prep()), and a pending wait is cancelled with -ECANCELED.
 * liburing 2.3 has no prep helper for it: SQEs are filled by hand.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "conform_epoll.h"
#include "ref/uapi.h"

enum { TAG_WAIT = 0xe1, TAG_CANCEL = 0xe2, TAG_PIPE_A = 0xa, TAG_PIPE_B = 0xb };

#define REQUIRE_EPOLL_WAIT()                                                   \
	do {                                                                   \
		CONFORM_REQUIRE(conform_uring_op_missing(                      \
			REF_IORING_OP_EPOLL_WAIT, "IORING_OP_EPOLL_WAIT"));    \
		EPOLL_REQUIRE();                                               \
	} while (0)

/* An IORING_OP_EPOLL_WAIT SQE: epfd, events, maxevents; all else 0. */
static void prep_epoll_wait(struct io_uring_sqe *sqe, int epfd,
			    struct epoll_event *events, unsigned int maxevents)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_EPOLL_WAIT;
	sqe->fd = epfd;
	sqe->addr = (__u64)(uintptr_t)events;
	sqe->len = maxevents;
	sqe->user_data = TAG_WAIT;
}

/* Queue an EPOLL_WAIT on ring and submit it. */
static int submit_epoll_wait(struct io_uring *ring, int epfd,
			     struct epoll_event *events,
			     unsigned int maxevents)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	prep_epoll_wait(sqe, epfd, events, maxevents);
	return io_uring_submit(ring);
}

/* Run one EPOLL_WAIT on a ring of its own: its res, or INT_MIN. */
static int run_epoll_wait(int epfd, struct epoll_event *events,
			  unsigned int maxevents)
{
	struct io_uring_sqe sqe;

	prep_epoll_wait(&sqe, epfd, events, maxevents);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * Two pipes added to a new epoll instance, read ends for EPOLLIN with data
 * TAG_PIPE_A and TAG_PIPE_B. Each step is ASSERTed; close_two() closes all.
 */
struct two {
	int ep, a[2], b[2];
};

static void open_two(struct __test_metadata *_metadata, struct two *t)
{
	epoll_new_watching_pipe(_metadata, &t->ep, t->a, EPOLLIN, TAG_PIPE_A);
	ASSERT_EQ(0, conform_pipe(t->b));
	ASSERT_EQ(0, epoll_ctl_tag(t->ep, EPOLL_CTL_ADD, t->b[0], EPOLLIN,
				   TAG_PIPE_B));
}

static void close_two(struct two *t)
{
	close(t->ep);
	close(t->a[0]);
	close(t->a[1]);
	close(t->b[0]);
	close(t->b[1]);
}

/*
 * io_uring_prep_epoll_wait(3): "an async epoll_wait(2) request"; epoll_wait
 * "returns the number of file descriptors ready" and waits until one is
 * (since 6.15). With nothing ready the request stays pending; a write to
 * the watched pipe completes it with 1, the event (EPOLLIN, data of the
 * registration) stored in the array.
 */
TEST(epoll_wait_completes_with_count_once_fd_becomes_ready)
{
	struct epoll_event ev[2];
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct two t;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_prep_epoll_wait(3); epoll_wait(2) RETURN VALUE");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	memset(ev, 0, sizeof(ev));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, submit_epoll_wait(&ring, t.ep, ev, 2));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, write(t.a[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_WAIT, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	EXPECT_EQ((__u32)EPOLLIN, ev[0].events);
	EXPECT_EQ((__u64)TAG_PIPE_A, ev[0].data.u64);
	io_uring_queue_exit(&ring);
	close_two(&t);
}

/*
 * epoll_wait(2): with fds already ready the call does not wait and returns
 * how many are ready; the IORING_OP_EPOLL_WAIT submitted after both pipes
 * became readable completes with 2, one event per registration
 * (since 6.15).
 */
TEST(epoll_wait_with_events_ready_at_submit_completes_at_once)
{
	struct epoll_event ev[4];
	struct two t;
	__u64 seen = 0;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_prep_epoll_wait(3); epoll_wait(2) RETURN VALUE");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	memset(ev, 0, sizeof(ev));
	ASSERT_EQ(1, write(t.a[1], "x", 1));
	ASSERT_EQ(1, write(t.b[1], "y", 1));
	ASSERT_EQ(2, run_epoll_wait(t.ep, ev, 4));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ((__u32)EPOLLIN, ev[i].events);
		seen |= ev[i].data.u64;
	}
	EXPECT_EQ((__u64)(TAG_PIPE_A | TAG_PIPE_B), seen);
	close_two(&t);
}

/*
 * epoll_wait(2): "Up to maxevents are returned by epoll_wait()": with two
 * fds ready and sqe->len 1, the request completes with 1 and writes one
 * event only; the second slot of the array is left as it was (since 6.15).
 */
TEST(epoll_wait_returns_at_most_maxevents)
{
	struct epoll_event ev[2];
	struct two t;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"epoll_wait(2) DESCRIPTION: up to maxevents are returned");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	memset(ev, 0xa5, sizeof(ev));
	ASSERT_EQ(1, write(t.a[1], "x", 1));
	ASSERT_EQ(1, write(t.b[1], "y", 1));
	ASSERT_EQ(1, run_epoll_wait(t.ep, ev, 1));
	EXPECT_EQ((__u32)EPOLLIN, ev[0].events);
	EXPECT_EQ(0xa5a5a5a5u, ev[1].events);
	close_two(&t);
}

/*
 * epoll_wait(2) ERRORS: EBADF "epfd is not a valid file descriptor"; the
 * request's fd is looked up like any other, and the CQE carries -EBADF
 * (since 6.15).
 */
TEST(epoll_wait_on_bad_fd_gets_ebadf)
{
	struct epoll_event ev;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"epoll_wait(2) ERRORS EBADF");
	REQUIRE_EPOLL_WAIT();
	EXPECT_EQ(-EBADF, run_epoll_wait(conform_bad_fd(), &ev, 1));
}

/*
 * epoll_wait(2) ERRORS: EINVAL "epfd is not an epoll file descriptor": a
 * pipe's read end as sqe->fd fails the request with -EINVAL (since 6.15).
 */
TEST(epoll_wait_on_non_epoll_fd_gets_einval)
{
	struct epoll_event ev;
	int p[2];

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"epoll_wait(2) ERRORS EINVAL: not an epoll fd");
	REQUIRE_EPOLL_WAIT();
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-EINVAL, run_epoll_wait(p[0], &ev, 1));
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_wait(2) ERRORS: EINVAL "maxevents is less than or equal to zero":
 * sqe->len 0 fails the request with -EINVAL, even with an fd ready
 * (since 6.15).
 */
TEST(epoll_wait_with_zero_maxevents_gets_einval)
{
	struct epoll_event ev;
	struct two t;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"epoll_wait(2) ERRORS EINVAL: maxevents <= 0");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	ASSERT_EQ(1, write(t.a[1], "x", 1));
	EXPECT_EQ(-EINVAL, run_epoll_wait(t.ep, &ev, 0));
	close_two(&t);
}

/*
 * epoll_wait(2) ERRORS: EFAULT "The memory area pointed to by events is not
 * accessible with write permissions": an event array at a kernel address
 * (the top page of the address space) fails the request with -EFAULT
 * before any event is consumed (since 6.15).
 */
TEST(epoll_wait_with_events_outside_user_memory_gets_efault)
{
	struct epoll_event *kernel_addr = (struct epoll_event *)(uintptr_t)-4096;
	struct epoll_event ev;
	struct two t;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"epoll_wait(2) ERRORS EFAULT");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	ASSERT_EQ(1, write(t.a[1], "x", 1));
	EXPECT_EQ(-EFAULT, run_epoll_wait(t.ep, kernel_addr, 1));
	/* The event was not consumed: the next wait still reports it. */
	EXPECT_EQ(1, run_epoll_wait(t.ep, &ev, 1));
	close_two(&t);
}

/*
 * io_uring/epoll.c io_epoll_wait_prep(): the request takes no offset, no
 * flags (rw_flags), no buffer index and no splice_fd_in; each set to a
 * nonzero value fails the request with -EINVAL (since 6.15).
 */
TEST(epoll_wait_with_unused_sqe_field_set_gets_einval)
{
	static const char *const names[] = {
		"off", "rw_flags", "buf_index", "splice_fd_in",
	};
	struct epoll_event ev;
	struct two t;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring/epoll.c io_epoll_wait_prep() -EINVAL");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	ASSERT_EQ(1, write(t.a[1], "x", 1));
	for (int field = 0; field < 4; field++) {
		struct io_uring_sqe sqe;

		prep_epoll_wait(&sqe, t.ep, &ev, 1);
		switch (field) {
		case 0:
			sqe.off = 1;
			break;
		case 1:
			sqe.rw_flags = 1;
			break;
		case 2:
			sqe.buf_index = 1;
			break;
		default:
			sqe.splice_fd_in = 1;
			break;
		}
		EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe))
			TH_LOG("sqe->%s = 1", names[field]);
	}
	close_two(&t);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: a pending request that is found
 * is cancelled, the cancel's res is 0 and the request completes with
 * -ECANCELED; an EPOLL_WAIT with nothing ready is such a request
 * (since 6.15).
 */
TEST(cancelled_epoll_wait_gets_ecanceled)
{
	const __u64 tags[2] = { TAG_WAIT, TAG_CANCEL };
	struct epoll_event ev;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { 1, 1 };
	struct two t;

	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	REQUIRE_EPOLL_WAIT();
	open_two(_metadata, &t);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, submit_epoll_wait(&ring, t.ep, &ev, 1));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cancel64(sqe, TAG_WAIT, 0);
	io_uring_sqe_set_data64(sqe, TAG_CANCEL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-ECANCELED, res[0]);
	io_uring_queue_exit(&ring);
	close_two(&t);
}

TEST_HARNESS_MAIN
