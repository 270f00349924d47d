// SPDX-License-Identifier: MIT
/*
 * epoll/uring-fd: an io_uring instance and epoll used together. The ring fd
 * under epoll (EPOLLIN while CQEs wait in the CQ ring, EPOLLOUT while the SQ
 * ring has room, a blocked epoll_wait woken by a completion), an epoll fd
 * polled by the ring (IORING_OP_POLL_ADD), and the eventfd registered with
 * IORING_REGISTER_EVENTFD watched by epoll.
 * Sources: the ring's poll method (io_uring_poll in fs/io_uring.c, 5.1;
 * io_uring/io_uring.c since 6.0), io_uring_enter(2) IORING_OP_POLL_ADD,
 * io_uring_register(2) IORING_REGISTER_EVENTFD, epoll(7).
 */
#include <liburing.h>
#include <sys/eventfd.h>

#include "conform_uring.h"
#include "conform_epoll.h"

enum { RING_TAG = 0x5249, PIPE_TAG = 0x50, EFD_TAG = 0xefd };

/* A new 4-entry ring and a new epoll instance watching its fd for events (tag RING_TAG); returns the epoll fd. */
static int new_ring_watched_by_epoll(struct __test_metadata *_metadata,
				     struct io_uring *ring, uint32_t events)
{
	int ep;

	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, ring->ring_fd, events,
				   RING_TAG));
	return ep;
}

/* Queue one IORING_OP_NOP and submit it. */
static void submit_nop(struct __test_metadata *_metadata, struct io_uring *ring)
{
	struct io_uring_sqe *sqe;

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_nop(sqe);
	ASSERT_EQ(1, io_uring_submit(ring));
}

/* Close the epoll fd and both pipe ends, then tear the ring down. */
static void close_epoll_pipe_and_ring(int ep, int p[2], struct io_uring *ring)
{
	close(ep);
	close(p[0]);
	close(p[1]);
	io_uring_queue_exit(ring);
}

/*
 * io_uring_poll (5.1): the ring fd reports EPOLLOUT while the SQ ring is not
 * full and EPOLLIN only once a CQE is ready, so a new ring watched for both
 * reports exactly EPOLLOUT.
 */
TEST(empty_ring_reports_epollout_only)
{
	struct io_uring ring;
	struct epoll_event ev[2];
	int ep;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"fs/io_uring.c io_uring_poll() (5.1; "
			"io_uring/io_uring.c since 6.0)");
	CONFORM_REQUIRE_URING();
	EPOLL_REQUIRE();
	ep = new_ring_watched_by_epoll(_metadata, &ring, EPOLLIN | EPOLLOUT);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	EXPECT_EQ(RING_TAG, ev[0].data.u64);
	close(ep);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_poll (5.1): a CQE waiting in the CQ ring makes the ring fd
 * readable: a completed NOP turns an EPOLLIN watch ready.
 */
TEST(ready_cqe_reports_epollin)
{
	struct io_uring ring;
	struct epoll_event ev[2];
	int ep;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"fs/io_uring.c io_uring_poll() (5.1): EPOLLIN while "
			"CQEs wait");
	CONFORM_REQUIRE_URING();
	EPOLL_REQUIRE();
	ep = new_ring_watched_by_epoll(_metadata, &ring, EPOLLIN);
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	submit_nop(_metadata, &ring);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(RING_TAG, ev[0].data.u64);
	close(ep);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_poll (5.1) with epoll(7) level-triggered reporting: once the
 * application has consumed every CQE (CQ head moved up to the tail) the
 * ring fd is no longer readable, and the next wait reports nothing.
 */
TEST(reaped_cq_ring_stops_reporting_epollin)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct epoll_event ev[2];
	int ep;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"fs/io_uring.c io_uring_poll() (5.1); epoll(7) "
			"level-triggered");
	CONFORM_REQUIRE_URING();
	EPOLL_REQUIRE();
	ep = new_ring_watched_by_epoll(_metadata, &ring, EPOLLIN);
	submit_nop(_metadata, &ring);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	/* Level-triggered: still ready while the CQE is there. */
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	io_uring_queue_exit(&ring);
}

/* The poll(2) revents of fd for events, right now; -1 if poll failed. */
static int revents_now(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	return poll(&pfd, 1, 0) < 0 ? -1 : pfd.revents;
}

/*
 * io_uring_poll (5.1): POLLOUT is reported only while the SQ ring is not
 * full (the SQ tail the application published is less than sq_entries ahead
 * of the kernel's head). Four NOPs published on a 4-entry ring and not yet
 * submitted take POLLOUT away; submitting them gives it back. Checked with
 * poll(2): the ring wakes its poll waiters only for CQ events (with key
 * EPOLLIN), not when SQ room frees, so an epoll watch that saw the ring
 * full is not re-checked by a submit; what epoll shows is the first report
 * (empty_ring_reports_epollout_only).
 */
TEST(full_sq_ring_clears_pollout_until_submitted)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"fs/io_uring.c io_uring_poll() (5.1): POLLOUT only "
			"while the SQ ring is not full");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(4, *ring.sq.kring_entries);
	EXPECT_EQ(POLLOUT, revents_now(ring.ring_fd, POLLIN | POLLOUT));
	for (int i = 0; i < 4; i++)
		uring_publish_nop(&ring, i);
	EXPECT_EQ(0, revents_now(ring.ring_fd, POLLOUT));
	ASSERT_EQ(4, uring_sys_enter(ring.ring_fd, 4, 0, 0));
	/* The four NOPs completed inline: CQEs ready and SQ room again. */
	EXPECT_EQ(POLLIN | POLLOUT, revents_now(ring.ring_fd, POLLIN | POLLOUT));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_poll (5.1) with epoll_wait(2): a completion posted while a thread
 * sleeps in epoll_wait on the ring fd wakes it. The request is a POLL_ADD on
 * an empty pipe, completed by a write made once the waiter is seen blocked.
 */
TEST(completion_wakes_blocked_epoll_wait)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct epoll_waiter w;
	int ep, p[2], seen;

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"fs/io_uring.c io_uring_poll() (5.1); epoll_wait(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EPOLL_REQUIRE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, ring.ring_fd, EPOLLIN,
				   RING_TAG));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	ASSERT_EQ(1, io_uring_submit(&ring));
	seen = epoll_waiter_start(_metadata, &w, ep);
	ASSERT_EQ(1, write(p[1], "w", 1));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block");
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(RING_TAG, w.ev.data.u64);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(POLLIN, cqe.res);
out:
	close_epoll_pipe_and_ring(ep, p, &ring);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD "works like an async poll(2)" (since
 * 5.1) on any pollable fd, an epoll instance included, which epoll(7) says
 * is readable when it has ready events: a ring polling an epoll fd whose
 * pipe holds data completes at once with res POLLIN.
 */
TEST(poll_add_on_epoll_fd_with_ready_entry_completes_with_pollin)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int ep, p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD; epoll(7) Q&A "
			"epoll fd readable");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EPOLL_REQUIRE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, PIPE_TAG);
	ASSERT_EQ(1, write(p[1], "r", 1));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_poll_add(sqe, ep, POLLIN);
	EXPECT_EQ(POLLIN, uring_submit_res(&ring));
	close_epoll_pipe_and_ring(ep, p, &ring);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD (since 5.1) on an epoll fd with
 * nothing ready stays pending; it completes with POLLIN once a watched fd
 * turns ready (epoll(7): the instance becomes readable).
 */
TEST(poll_add_on_idle_epoll_fd_completes_when_entry_turns_ready)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int ep, p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD; epoll(7) Q&A "
			"epoll fd readable");
	CONFORM_REQUIRE_URING_OP(IORING_OP_POLL_ADD);
	EPOLL_REQUIRE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, PIPE_TAG);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_poll_add(sqe, ep, POLLIN);
	io_uring_sqe_set_data64(sqe, 0x77);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, write(p[1], "r", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x77, cqe.user_data);
	EXPECT_EQ(POLLIN, cqe.res);
	close_epoll_pipe_and_ring(ep, p, &ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD (since 5.2): the registered
 * eventfd is notified of completions, so epoll watching it reports EPOLLIN
 * after a NOP completes, and a read gives the counter 1 (eventfd(2)).
 */
TEST(registered_eventfd_under_epoll_reports_completion)
{
	struct io_uring ring;
	struct epoll_event ev[2];
	uint64_t val = 0;
	int ep, efd;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register(2) IORING_REGISTER_EVENTFD (since "
			"5.2); eventfd(2)");
	CONFORM_REQUIRE_URING();
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	if (uring_register_raw(&ring, IORING_REGISTER_EVENTFD, &efd, 1) < 0) {
		int err = errno;

		close(efd);
		io_uring_queue_exit(&ring);
		ASSERT_EQ(EINVAL, err)
			TH_LOG("IORING_REGISTER_EVENTFD: %s", strerror(err));
		SKIP(return, "IORING_REGISTER_EVENTFD: EINVAL");
	}
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, efd, EPOLLIN, EFD_TAG));
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(EFD_TAG, ev[0].data.u64);
	EXPECT_EQ(8, read(efd, &val, sizeof(val)));
	EXPECT_EQ(1, val);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(efd);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
