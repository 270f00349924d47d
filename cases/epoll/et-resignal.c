// SPDX-License-Identifier: MIT
/*
 * epoll/et-resignal: edge-triggered (EPOLLET) re-signalling, what event
 * loops rely on: every new arrival is a new edge even when the earlier data
 * is still unread (pipe, eventfd, datagram socket, and a thread already
 * asleep in epoll_wait), a write that adds nothing is no edge, and on the
 * write side each freeing of room in a full pipe or socket is a new
 * EPOLLOUT edge. (One arrival reported once, a partial read, a stream
 * socket's second chunk and a full drain of a pipe are in
 * epoll/edge-triggered.)
 * Pipes: before 5.5 every pipe write woke the readers; 5.5 (commit
 * 1b6b26ae7053 "pipe: fix and clarify pipe write wakeup logic") woke them
 * only when the pipe had been empty, which lost these edges; 5.14 restored
 * them (3a34b13a88ca "pipe: make pipe writes always wake up readers", also
 * taken into stable 5.10.y and 5.13.y in August 2021). Later commits narrowed
 * the extra wakeup without dropping it for epoll users: 3b844826b6c6
 * "pipe: avoid unnecessary EPOLLET wakeups under normal loads" (pipes that
 * were ever polled) and f1cebdec9739 "pipe: only enable the extra
 * wake_up(rd_wait) for EPOLLET consumers". So the pipe tests hold on 2.6 to
 * 5.4 and from 5.14 on (and 5.10.y with the backport), and fail on an
 * unfixed 5.5 to 5.13.
 * Sources: epoll(7) "Level-triggered and edge-triggered" ("multiple events
 * can be generated upon receipt of multiple chunks of data"), epoll_ctl(2)
 * EPOLLET, pipe(7) "I/O on pipes and FIFOs", eventfd(2).
 */
#include <sys/eventfd.h>

#include "conform_epoll.h"

enum { TAG = 0xe7, PAGE = 4096 };

/*
 * epoll(7): "multiple events can be generated upon receipt of multiple
 * chunks of data": with EPOLLET on a pipe, each of three writes after the
 * previous event is reported again although nothing was read; and a wait
 * with no new write finds nothing (since 2.6; see the header for the pipe
 * wakeup history: not on 5.5 to 5.13 without 3a34b13a88ca).
 */
TEST(pipe_each_write_with_data_unread_is_a_new_edge)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7): multiple events upon receipt of multiple "
			"chunks of data; commit 3a34b13a88ca pipe: make pipe "
			"writes always wake up readers");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, TAG);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(1, write(p[1], "x", 1));
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(TAG, ev[0].data.u64);
		EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	}
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * The event-loop case: a thread asleep in an edge-triggered epoll_wait
 * while the pipe already holds unread data is woken by the next write
 * (since 2.6; pipes: not on 5.5 to 5.13 without 3a34b13a88ca, the
 * regression that commit fixed).
 */
TEST(pipe_write_wakes_sleeping_edge_waiter_despite_unread_data)
{
	struct epoll_event ev[2];
	struct epoll_waiter w;
	int ep, p[2], seen;

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7) multiple chunks of data; commit "
			"3a34b13a88ca pipe: make pipe writes always wake up "
			"readers");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, TAG);
	ASSERT_EQ(1, write(p[1], "a", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	seen = epoll_waiter_start(_metadata, &w, ep);
	ASSERT_EQ(1, write(p[1], "b", 1));
	ASSERT_EQ(0, pthread_join(w.th, NULL));
	if (seen < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block");
	EXPECT_EQ(1, seen);
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(EPOLLIN, w.ev.events);
	EXPECT_EQ(TAG, w.ev.data.u64);
out:
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * pipe(7): a write of 0 bytes to a pipe transfers nothing; it is no new
 * arrival, so an edge-triggered entry whose first byte was reported sees
 * no new event (since 2.6: pipe_write() returns at once for a zero
 * length).
 */
TEST(pipe_zero_length_write_is_no_edge)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7) edge-triggered: events only when changes "
			"occur; fs/pipe.c pipe_write() zero length");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, TAG);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(0, write(p[1], "", 0));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * eventfd(2): a write adds to the counter, and the fd is readable while the
 * counter is above 0; under EPOLLET every write is a new arrival, reported
 * although the counter was never read (since 2.6.22, eventfd).
 */
TEST(eventfd_each_write_with_counter_unread_is_a_new_edge)
{
	struct epoll_event ev[2];
	eventfd_t value;
	int ep, efd;

	CONFORM_DECLARE("2.6.22", "EPOLLET",
			"epoll(7) multiple chunks of data; eventfd(2) write "
			"adds to the counter");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	ep = epoll_new_watching(_metadata, efd, EPOLLIN | EPOLLET, TAG);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, eventfd_write(efd, 1));
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	}
	ASSERT_EQ(0, eventfd_read(efd, &value));
	EXPECT_EQ(3, value);
	close(ep);
	close(efd);
}

/*
 * epoll(7) "multiple chunks of data", on a datagram socket: each datagram
 * sent while the earlier ones are unread is a new edge; both stay queued
 * (since 2.6).
 */
TEST(datagram_socket_each_datagram_is_a_new_edge)
{
	struct epoll_event ev[2];
	char buf[8];
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7): multiple events upon receipt of multiple "
			"chunks of data");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s));
	ep = epoll_new_watching(_metadata, s[0], EPOLLIN | EPOLLET, TAG);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(1, send(s[1], "d", 1, 0));
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	}
	EXPECT_EQ(1, recv(s[0], buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(1, recv(s[0], buf, sizeof(buf), MSG_DONTWAIT));
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll(7): with EPOLLET wait for an event "only after read(2) or write(2)
 * return EAGAIN". A full pipe whose reader takes one page has room again:
 * that is an EPOLLOUT edge; filling the room (write again EAGAIN) gives
 * none; freeing a page once more is another edge (since 2.6).
 */
TEST(pipe_each_freeing_of_room_is_a_new_epollout_edge)
{
	char page[PAGE];
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7): with EPOLLET wait only after read(2) or "
			"write(2) return EAGAIN; pipe(7) pipe capacity");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	ep = epoll_new_watching(_metadata, p[1], EPOLLOUT | EPOLLET, TAG);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_LT(0, conform_fill_until_full(p[1]));
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(PAGE, read(p[0], page, sizeof(page)));
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLOUT, ev[0].events);
		EXPECT_EQ(TAG, ev[0].data.u64);
		/* Fill the freed page: full again, and no edge for that. */
		ASSERT_LT(0, conform_fill_until_full(p[1]));
		EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	}
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Read everything queued on a nonblocking-read of fd. */
static void drain(struct __test_metadata *_metadata, int fd)
{
	char buf[PAGE];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	ASSERT_EQ(-1, n);
	ASSERT_EQ(EAGAIN, errno);
}

/*
 * epoll(7) "wait only after ... write(2) return EAGAIN", on a stream
 * socket: filled until send fails with EAGAIN, it becomes writable again
 * once the peer reads everything, an EPOLLOUT edge; filling and draining it
 * a second time gives a second edge (since 2.6).
 */
TEST(socket_each_freeing_of_room_is_a_new_epollout_edge)
{
	struct epoll_event ev[2];
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll(7): with EPOLLET wait only after read(2) or "
			"write(2) return EAGAIN");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_socketpair(s));
	ep = epoll_new_watching(_metadata, s[0], EPOLLOUT | EPOLLET, TAG);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	for (int i = 0; i < 2; i++) {
		ASSERT_LT(0, conform_fill_until_full(s[0]));
		ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
		drain(_metadata, s[1]);
		ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
		EXPECT_EQ(EPOLLOUT, ev[0].events);
		EXPECT_EQ(TAG, ev[0].data.u64);
		EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	}
	close(s[0]);
	close(s[1]);
	close(ep);
}

TEST_HARNESS_MAIN
