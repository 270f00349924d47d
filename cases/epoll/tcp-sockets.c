// SPDX-License-Identifier: MIT
/*
 * epoll/tcp-sockets: epoll on TCP sockets over 127.0.0.1, where readiness
 * carries more than data: a pending connection on a listener, urgent
 * (out-of-band) data as EPOLLPRI, the peer's half-close as EPOLLRDHUP, a
 * reset as the unrequested EPOLLERR|EPOLLHUP (with SO_ERROR telling which
 * error), and a refused nonblocking connect. AF_UNIX stream pairs are in
 * epoll/hup. Tests skip when loopback is not up.
 * Sources: epoll_ctl(2) EPOLLPRI, EPOLLRDHUP (since 2.6.17), EPOLLERR,
 * EPOLLHUP; poll(2) POLLPRI ("out-of-band data on a TCP socket"); tcp(7)
 * urgent data; accept(2) NOTES; connect(2) EINPROGRESS; socket(7) SO_ERROR,
 * SO_LINGER.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "conform_epoll.h"

enum { TAG = 0x7c9 };

/* A wait for an event that must come (or for nothing): a bound only. */
#define WAIT_MS 2000

#define REQUIRE_TCP_PAIR(c, s) CONFORM_REQUIRE(conform_tcp_pair(&(c), &(s)))

/* A new instance watching fd for events (tag TAG); ASSERTed. */
static int watch(struct __test_metadata *_metadata, int fd, unsigned int events)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, fd, events, TAG));
	return ep;
}

/*
 * accept(2) NOTES: to be notified of incoming connections, use epoll; a
 * readable event is delivered when a new connection is attempted. The
 * listener reports exactly EPOLLIN once a connect() has completed, and
 * nothing before (since 2.6).
 */
TEST(listener_reports_epollin_for_pending_connection)
{
	struct sockaddr_in sin;
	struct epoll_event ev[2];
	int lfd, cfd, afd, ep;

	CONFORM_DECLARE("2.6", "EPOLLIN",
			"accept(2) NOTES: readable event for an incoming "
			"connection");
	EPOLL_REQUIRE();
	lfd = conform_tcp_listener(&sin);
	if (lfd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch(_metadata, lfd, EPOLLIN | EPOLLOUT);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_LE(0, cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, WAIT_MS));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(TAG, ev[0].data.u64);
	ASSERT_LE(0, afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC));
	/* The backlog is empty again: no more reports. */
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(afd);
	close(cfd);
	close(ep);
	close(lfd);
}

/*
 * epoll_ctl(2) EPOLLPRI, poll(2) POLLPRI: "There is out-of-band data on a
 * TCP socket" (tcp(7) urgent data, sent with MSG_OOB). A receiver watching
 * only EPOLLPRI reports exactly EPOLLPRI once the urgent byte has arrived
 * (since 2.6).
 */
TEST(urgent_byte_reports_epollpri)
{
	struct epoll_event ev[2];
	int c, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLPRI",
			"epoll_ctl(2) EPOLLPRI; poll(2) POLLPRI out-of-band "
			"data on a TCP socket");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch(_metadata, s, EPOLLPRI);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, WAIT_MS));
	EXPECT_EQ(EPOLLPRI, ev[0].events);
	EXPECT_EQ(TAG, ev[0].data.u64);
	close(ep);
	close(c);
	close(s);
}

/*
 * tcp(7): without SO_OOBINLINE the urgent byte is read with recv(MSG_OOB);
 * once read, the exceptional condition is gone, so EPOLLPRI is no longer
 * reported while the normal bytes sent before it still give EPOLLIN
 * (since 2.6).
 */
TEST(reading_urgent_byte_clears_epollpri_keeps_epollin)
{
	struct epoll_event ev[2];
	char b[4] = { 0 };
	int c, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLPRI",
			"tcp(7) urgent data read with MSG_OOB; poll(2) "
			"POLLPRI");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch(_metadata, s, EPOLLIN | EPOLLPRI);
	ASSERT_EQ(2, send(c, "ab", 2, 0));
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	/* Wait (bounded) until the urgent byte, sent last, has arrived. */
	ASSERT_EQ(1, poll(&(struct pollfd){ .fd = s, .events = POLLPRI }, 1, WAIT_MS));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN | EPOLLPRI, ev[0].events);
	ASSERT_EQ(1, recv(s, b, 1, MSG_OOB));
	EXPECT_EQ('!', b[0]);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	ASSERT_EQ(2, recv(s, b, sizeof(b), 0));
	EXPECT_EQ(0, memcmp(b, "ab", 2));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
	close(c);
	close(s);
}

/*
 * epoll_ctl(2) EPOLLRDHUP (since 2.6.17): "Stream socket peer closed
 * connection, or shut down writing half of connection". On TCP the peer's
 * shutdown(SHUT_WR) sends a FIN; the receiver, which can still write,
 * reports EPOLLIN (end of file to read) | EPOLLRDHUP | EPOLLOUT and no
 * EPOLLHUP.
 */
TEST(peer_half_close_reports_epollrdhup_without_epollhup)
{
	struct epoll_event ev[2];
	char b;
	int c, s, ep;

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLRDHUP (since 2.6.17)");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch(_metadata, s, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
	/* The edge of the insert: writable, nothing to read yet. */
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, WAIT_MS));
	EXPECT_EQ(EPOLLIN | EPOLLOUT | EPOLLRDHUP, ev[0].events);
	EXPECT_EQ(0, read(s, &b, 1));
	/* The half-closed side still carries data the other way. */
	EXPECT_EQ(1, write(s, "x", 1));
	EXPECT_EQ(1, read(c, &b, 1));
	close(ep);
	close(c);
	close(s);
}

/*
 * epoll_ctl(2): EPOLLERR and EPOLLHUP are always reported, requested or not.
 * socket(7) SO_LINGER with a zero timeout makes close() reset the connection
 * (tcp(7)); the peer, registered with an empty mask, then reports exactly
 * EPOLLERR|EPOLLHUP, and SO_ERROR gives ECONNRESET (since 2.6).
 */
TEST(reset_reports_unrequested_epollerr_and_epollhup)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct epoll_event ev[2];
	socklen_t len = sizeof(int);
	int c, s, ep, err = 0;

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"epoll_ctl(2) EPOLLERR and EPOLLHUP always reported; "
			"socket(7) SO_LINGER");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch(_metadata, s, 0);
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(c));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, WAIT_MS));
	EXPECT_EQ(EPOLLERR | EPOLLHUP, ev[0].events);
	EXPECT_EQ(TAG, ev[0].data.u64);
	ASSERT_EQ(0, getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(ECONNRESET, err);
	close(ep);
	close(s);
}

/*
 * socket(7) SO_ERROR: "Get and clear the pending socket error". After a
 * reset, reading SO_ERROR clears the error, so EPOLLERR goes away while
 * EPOLLHUP (the connection is gone) stays (since 2.6).
 */
TEST(reading_so_error_clears_epollerr_keeps_epollhup)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct epoll_event ev[2];
	socklen_t len = sizeof(int);
	int c, s, ep, err = 0;

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"socket(7) SO_ERROR get and clear the pending socket "
			"error");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch(_metadata, s, 0);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(c));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, WAIT_MS));
	ASSERT_EQ(EPOLLERR | EPOLLHUP, ev[0].events);
	ASSERT_EQ(0, getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	ASSERT_EQ(ECONNRESET, err);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLHUP, ev[0].events);
	err = -1;
	ASSERT_EQ(0, getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(0, err);
	close(ep);
	close(s);
}

/*
 * connect(2) EINPROGRESS: a nonblocking connect completes in the background;
 * wait for the socket to become writable, then read SO_ERROR for the result.
 * Refused (a port bound but not listening answers with a reset), the socket
 * reports EPOLLOUT together with the unrequested EPOLLERR|EPOLLHUP, and
 * SO_ERROR is ECONNREFUSED (since 2.6).
 */
TEST(refused_nonblocking_connect_reports_epollout_epollerr_epollhup)
{
	struct sockaddr_in sin;
	struct epoll_event ev[2];
	socklen_t len = sizeof(sin);
	int closed_port, cfd, ep, ret, err = 0;

	CONFORM_DECLARE("2.6", "EPOLLOUT",
			"connect(2) EINPROGRESS; socket(7) SO_ERROR");
	EPOLL_REQUIRE();
	/* Reserve a port on which nobody listens. */
	ASSERT_LE(0, closed_port = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (!conform_loopback_up(closed_port)) {
		close(closed_port);
		SKIP(return, CONFORM_ENV "loopback interface lo is not up");
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(closed_port, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(closed_port);
		SKIP(return, CONFORM_ENV "cannot bind on 127.0.0.1 (%s): loopback not up",
		     strerror(errno));
	}
	ASSERT_EQ(0, getsockname(closed_port, (struct sockaddr *)&sin, &len));
	ASSERT_LE(0, cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
	/* The reset is processed only once connect() has released the
	 * socket, so a nonblocking connect always returns EINPROGRESS. */
	ret = connect(cfd, (struct sockaddr *)&sin, sizeof(sin));
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EINPROGRESS, errno);
	ep = watch(_metadata, cfd, EPOLLOUT);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, WAIT_MS));
	EXPECT_EQ(EPOLLOUT | EPOLLERR | EPOLLHUP, ev[0].events);
	len = sizeof(err);
	ASSERT_EQ(0, getsockopt(cfd, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(ECONNREFUSED, err);
	close(ep);
	close(cfd);
	close(closed_port);
}

TEST_HARNESS_MAIN
