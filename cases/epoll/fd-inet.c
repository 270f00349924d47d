// SPDX-License-Identifier: MIT
/*
 * epoll/fd-inet: which EPOLL* bits TCP and UDP sockets over 127.0.0.1
 * report, each entry registered for every readiness bit (EPOLLIN,
 * EPOLLPRI, EPOLLOUT, EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND,
 * EPOLLMSG, EPOLLRDHUP) so that the exact set is seen. TCP: read and write
 * bits without EPOLLWRBAND, urgent data as EPOLLPRI (never EPOLLRDBAND;
 * EPOLLIN only when the urgent byte is inline), a reset as every bit with
 * EPOLLERR|EPOLLHUP, a socket never connected as EPOLLOUT|EPOLLHUP, a
 * listener as EPOLLIN|EPOLLRDNORM alone. UDP: the write bits with
 * EPOLLWRBAND, EPOLLIN per queued datagram, and ICMP port unreachable as
 * EPOLLERR (SO_ERROR ECONNREFUSED) for a connected socket or one with
 * IP_RECVERR, and as nothing for an unconnected one. The basic TCP cases
 * (EPOLLPRI alone, EPOLLRDHUP on half-close, EPOLLERR|EPOLLHUP on reset
 * with an empty mask, a refused connect) are in epoll/tcp-sockets. Tests
 * skip when loopback is not up.
 * Sources: epoll_ctl(2); poll(2) POLLPRI, POLLRDNORM, POLLRDBAND ("generally
 * unused on Linux"), POLLWRNORM, POLLWRBAND; tcp(7) urgent data and
 * SO_OOBINLINE; udp(7) "Error handling" and ERRORS; ip(7) IP_RECVERR;
 * socket(7) SO_ERROR and SO_LINGER; net/ipv4/tcp.c tcp_poll(),
 * net/core/datagram.c datagram_poll(), net/ipv4/udp.c __udp4_lib_err().
 */
#include <netinet/in.h>
#include <sys/epoll.h>

#include "conform_epoll.h"

/* After conform.h: <linux/errqueue.h> needs struct timespec declared. */
#include <linux/errqueue.h>

enum { TAG = 0x1e7 };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)
/* TCP reports these two for writing (net/ipv4/tcp.c tcp_poll()); datagram
 * sockets add EPOLLWRBAND (net/core/datagram.c datagram_poll()). */
#define TCP_OUT (EPOLLOUT | EPOLLWRNORM)
#define UDP_OUT (EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND)

/* A wait for an event that must come: a bound only. */
#define WAIT_MS 2000

#define REQUIRE_TCP_PAIR(c, s) CONFORM_REQUIRE(conform_tcp_pair(&(c), &(s)))

/*
 * The events of the single entry of ep that a wait of up to ms reports: 0
 * when nothing is reported, -1 when the wait fails or reports a foreign tag.
 */
static long wait_events(int ep, int ms)
{
	struct epoll_event ev[2];
	int n = epoll_wait(ep, ev, 2, ms);

	if (n == 0)
		return 0;
	if (n != 1 || ev[0].data.u64 != TAG)
		return -1;
	return ev[0].events;
}

/* A new instance watching fd for every readiness bit; ASSERTed. */
static int watch_all(struct __test_metadata *_metadata, int fd)
{
	return epoll_new_watching(_metadata, fd, ALL_BITS, TAG);
}

/* poll(2) shows one of events on fd within WAIT_MS: the bounded wait for
 * something sent over loopback to have arrived. */
static bool arrives(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	return poll(&pfd, 1, WAIT_MS) == 1 && (pfd.revents & events);
}

/* SO_ERROR of fd (read and cleared, socket(7)); -1 if getsockopt fails. */
static int so_error(int fd)
{
	socklen_t len = sizeof(int);
	int err = -1;

	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) ? -1 : err;
}

/*
 * A UDP socket (CLOEXEC) in *fd and, in *closed, 127.0.0.1 with a UDP port
 * nobody listens on (bound by a probe socket, then freed). NULL, or why
 * not (loopback not up).
 */
static const char *udp_socket_and_closed_port(int *fd, struct sockaddr_in *closed)
{
	socklen_t len = sizeof(*closed);
	int probe;

	*fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return CONFORM_ENV "socket(AF_INET, SOCK_DGRAM) failed";
	if (!conform_loopback_up(*fd)) {
		close(*fd);
		*fd = -1;
		return CONFORM_ENV "loopback interface lo is not up";
	}
	memset(closed, 0, sizeof(*closed));
	closed->sin_family = AF_INET;
	closed->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe < 0 || bind(probe, (struct sockaddr *)closed, sizeof(*closed)) ||
	    getsockname(probe, (struct sockaddr *)closed, &len)) {
		if (probe >= 0)
			close(probe);
		close(*fd);
		*fd = -1;
		return CONFORM_ENV "cannot bind a UDP socket on 127.0.0.1";
	}
	close(probe);
	return NULL;
}

/*
 * poll(2): POLLRDNORM and POLLWRNORM are "Equivalent to" POLLIN and
 * POLLOUT; TCP reports them with those, and never POLLWRBAND (net/ipv4/tcp.c
 * tcp_poll() sets EPOLLOUT|EPOLLWRNORM only). A connected TCP socket
 * watched for every bit reports EPOLLOUT|EPOLLWRNORM, and once the peer's
 * bytes have arrived EPOLLIN|EPOLLRDNORM too (since 2.6).
 */
TEST(tcp_reports_rdnorm_and_wrnorm_never_wrband)
{
	int c, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLWRNORM",
			"poll(2) POLLRDNORM POLLWRNORM equivalent to POLLIN "
			"POLLOUT; net/ipv4/tcp.c tcp_poll()");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch_all(_metadata, s);
	EXPECT_EQ(TCP_OUT, wait_events(ep, 0));
	ASSERT_EQ(2, send(c, "ab", 2, 0));
	ASSERT_TRUE(arrives(s, POLLIN));
	EXPECT_EQ(IN_BITS | TCP_OUT, wait_events(ep, 0));
	close(ep);
	close(c);
	close(s);
}

/*
 * tcp(7): without SO_OOBINLINE urgent data "can be received only when the
 * MSG_OOB flag is set", and poll(2) "indicates a POLLPRI event"; poll(2)
 * POLLRDBAND is "generally unused on Linux". An urgent byte sent alone is
 * therefore EPOLLPRI with no EPOLLIN (it is not normal data: tcp_poll()
 * does not count it as readable) and no EPOLLRDBAND; recv(MSG_OOB) gets
 * the byte, and EPOLLPRI goes with it (since 2.6).
 */
TEST(urgent_byte_alone_reports_epollpri_without_epollin_or_rdband)
{
	char b = 0;
	int c, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLPRI",
			"tcp(7) urgent data without SO_OOBINLINE; poll(2) "
			"POLLPRI, POLLRDBAND generally unused on Linux");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch_all(_metadata, s);
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_TRUE(arrives(s, POLLPRI));
	EXPECT_EQ(EPOLLPRI | TCP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(s, &b, 1, MSG_OOB));
	EXPECT_EQ('!', b);
	EXPECT_EQ(TCP_OUT, wait_events(ep, 0));
	close(ep);
	close(c);
	close(s);
}

/*
 * tcp(7): "When the SO_OOBINLINE socket option is enabled, urgent data is
 * put into the normal data stream"; it is still out-of-band data, so
 * poll(2) still "indicates a POLLPRI event". The urgent byte alone then
 * gives EPOLLPRI together with EPOLLIN|EPOLLRDNORM (still no EPOLLRDBAND),
 * and a plain recv() returns it (since 2.6).
 */
TEST(inline_urgent_byte_reports_epollpri_and_epollin)
{
	int one = 1, c, s, ep;
	char b = 0;

	CONFORM_DECLARE("2.6", "EPOLLPRI",
			"tcp(7) SO_OOBINLINE urgent data in the normal "
			"stream; poll(2) POLLPRI");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
	ep = watch_all(_metadata, s);
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_TRUE(arrives(s, POLLPRI));
	EXPECT_EQ(EPOLLPRI | IN_BITS | TCP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(s, &b, 1, 0));
	EXPECT_EQ('!', b);
	close(ep);
	close(c);
	close(s);
}

/*
 * epoll_ctl(2) EPOLLERR and EPOLLHUP, EPOLLRDHUP (since 2.6.17): a
 * connection reset by the peer (socket(7) SO_LINGER with a zero timeout
 * makes its close send a reset) leaves the socket with every bit set -
 * EPOLLIN|EPOLLRDNORM|EPOLLRDHUP (reading does not block: it reports the
 * error), EPOLLOUT|EPOLLWRNORM (nor does writing) - besides
 * EPOLLERR|EPOLLHUP, and SO_ERROR is ECONNRESET. Still no EPOLLPRI,
 * EPOLLRDBAND, EPOLLWRBAND or EPOLLMSG.
 */
TEST(reset_reports_err_hup_and_all_readiness_bits)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int c, s, ep;

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLERR EPOLLHUP EPOLLRDHUP (since "
			"2.6.17); socket(7) SO_LINGER; net/ipv4/tcp.c "
			"tcp_poll()");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch_all(_metadata, s);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(c));
	ASSERT_TRUE(arrives(s, POLLERR));
	EXPECT_EQ(IN_BITS | EPOLLRDHUP | TCP_OUT | EPOLLERR | EPOLLHUP,
		  wait_events(ep, 0));
	EXPECT_EQ(ECONNRESET, so_error(s));
	close(ep);
	close(s);
}

/*
 * net/ipv4/tcp.c tcp_poll(): "The goal is to prevent blocking on fresh
 * not-connected or disconnected socket": a TCP socket that was never
 * connected (state TCP_CLOSE) reports EPOLLHUP with EPOLLOUT|EPOLLWRNORM
 * (since 2.6).
 */
TEST(unconnected_tcp_socket_reports_epollout_and_epollhup)
{
	int fd, ep;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"net/ipv4/tcp.c tcp_poll(): prevent blocking on fresh "
			"not-connected socket");
	EPOLL_REQUIRE();
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(TCP_OUT | EPOLLHUP, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * accept(2) NOTES (a readable event for an incoming connection) and
 * POSIX.1-2017 poll() ("A file descriptor for a socket that is listening
 * for connections shall indicate that it is ready for reading, once
 * connections are available"): watched for every bit, an idle listener
 * reports nothing (no EPOLLHUP, no EPOLLOUT), and with a connection
 * pending exactly EPOLLIN|EPOLLRDNORM (net/ipv4/inet_connection_sock.c
 * inet_csk_listen_poll(); since 2.6).
 */
TEST(listener_reports_epollin_epollrdnorm_only)
{
	struct sockaddr_in sin;
	int lfd, cfd, ep;

	CONFORM_DECLARE("2.6", "EPOLLRDNORM",
			"accept(2) NOTES; POSIX.1-2017 poll() listening "
			"socket ready for reading once connections are "
			"available");
	EPOLL_REQUIRE();
	lfd = conform_tcp_listener(&sin);
	if (lfd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, lfd);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_LE(0, cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&sin, sizeof(sin)));
	EXPECT_EQ(IN_BITS, wait_events(ep, WAIT_MS));
	close(ep);
	close(cfd);
	close(lfd);
}

/*
 * poll(2) POLLWRBAND "Priority data may be written": datagram sockets
 * report it with EPOLLOUT|EPOLLWRNORM (net/core/datagram.c datagram_poll()),
 * and being connectionless, a UDP socket reports no EPOLLHUP while
 * unconnected. A datagram makes it EPOLLIN|EPOLLRDNORM until it is read,
 * one datagram at a time: with two queued, reading one leaves EPOLLIN, and
 * reading the second takes it away (udp(7); since 2.6).
 */
TEST(udp_reports_wrband_and_epollin_per_datagram)
{
	struct sockaddr_in self;
	socklen_t len = sizeof(self);
	int fd, ep;
	char b[4];

	CONFORM_DECLARE("2.6", "EPOLLWRBAND",
			"poll(2) POLLWRBAND; udp(7); net/core/datagram.c "
			"datagram_poll()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(udp_socket_and_closed_port(&fd, &self));
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(UDP_OUT, wait_events(ep, 0));
	self.sin_port = 0;
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&self, sizeof(self)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&self, &len));
	ASSERT_EQ(1, sendto(fd, "1", 1, 0, (struct sockaddr *)&self, len));
	ASSERT_EQ(1, sendto(fd, "2", 1, 0, (struct sockaddr *)&self, len));
	ASSERT_TRUE(arrives(fd, POLLIN));
	EXPECT_EQ(IN_BITS | UDP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(fd, b, sizeof(b), 0));
	EXPECT_EQ('1', b[0]);
	/* The second datagram (bounded wait in case it is still on its way). */
	ASSERT_TRUE(arrives(fd, POLLIN));
	EXPECT_EQ(IN_BITS | UDP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(fd, b, sizeof(b), 0));
	EXPECT_EQ('2', b[0]);
	EXPECT_EQ(UDP_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * udp(7) ERRORS: "ECONNREFUSED No receiver was associated with the
 * destination address. This might be caused by a previous packet sent over
 * the socket". A UDP socket connected to a port nobody listens on gets the
 * ICMP port unreachable as a pending error: EPOLLERR beside its write bits
 * (epoll_ctl(2) EPOLLERR); SO_ERROR returns ECONNREFUSED and clears it, and
 * EPOLLERR goes (since 2.6).
 */
TEST(connected_udp_port_unreachable_reports_epollerr)
{
	struct sockaddr_in closed;
	int fd, ep;

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"udp(7) ERRORS ECONNREFUSED; socket(7) SO_ERROR; "
			"epoll_ctl(2) EPOLLERR");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(udp_socket_and_closed_port(&fd, &closed));
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&closed, sizeof(closed)));
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(UDP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, send(fd, "u", 1, 0));
	ASSERT_TRUE(arrives(fd, POLLERR));
	EXPECT_EQ(UDP_OUT | EPOLLERR, wait_events(ep, 0));
	EXPECT_EQ(ECONNREFUSED, so_error(fd));
	EXPECT_EQ(UDP_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/* Keep this thread on the CPU it runs on, so that the datagrams it sends
 * over loopback, and the ICMP errors they cause, are handled in order by
 * that CPU's backlog. 0, or -1 with errno. */
static int pin_to_this_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * udp(7) "Error handling": "All fatal errors will be passed to the user as
 * an error return even when the socket is not connected. This includes
 * asynchronous errors received from the network." Linux does not do this
 * for ICMP port unreachable: an unconnected socket without IP_RECVERR gets
 * no error (net/ipv4/udp.c __udp4_lib_err(): "if (!inet->recverr) { if
 * (!harderr || sk->sk_state != TCP_ESTABLISHED) goto out;"). After a
 * datagram to a closed port, and once a connected socket's datagram sent
 * after it to the same port has brought its own error (the ordering
 * sentinel: both handled in order on this CPU), the unconnected socket
 * reports no EPOLLERR and SO_ERROR is 0. The kernel's behaviour is what is
 * asserted (since 2.6).
 */
TEST(unconnected_udp_port_unreachable_reports_no_epollerr)
{
	struct sockaddr_in closed;
	int fd, sentinel, ep, sep;

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"net/ipv4/udp.c __udp4_lib_err() (unconnected "
			"without IP_RECVERR: no error); contradicts udp(7) "
			"Error handling");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(udp_socket_and_closed_port(&fd, &closed));
	ASSERT_EQ(0, pin_to_this_cpu());
	ASSERT_LE(0, sentinel = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, connect(sentinel, (struct sockaddr *)&closed, sizeof(closed)));
	ep = watch_all(_metadata, fd);
	sep = watch_all(_metadata, sentinel);
	ASSERT_EQ(1, sendto(fd, "u", 1, 0, (struct sockaddr *)&closed,
			    sizeof(closed)));
	ASSERT_EQ(1, send(sentinel, "s", 1, 0));
	ASSERT_TRUE(arrives(sentinel, POLLERR));
	ASSERT_EQ(UDP_OUT | EPOLLERR, wait_events(sep, 0));
	EXPECT_EQ(UDP_OUT, wait_events(ep, 0));
	EXPECT_EQ(0, so_error(fd));
	close(sep);
	close(ep);
	close(sentinel);
	close(fd);
}

/*
 * ip(7) IP_RECVERR (since 2.2): "When enabled on a datagram socket, all
 * generated errors will be queued in a per-socket error queue", read with
 * recvmsg(MSG_ERRQUEUE) - also on an unconnected socket ("useful for
 * reliable error handling on unconnected sockets"). The queued ICMP port
 * unreachable makes the socket report EPOLLERR; the queued error is a
 * sock_extended_err from SO_EE_ORIGIN_ICMP with ee_errno ECONNREFUSED, and
 * once it is read EPOLLERR is gone (since 2.6).
 */
TEST(ip_recverr_unconnected_udp_reports_epollerr_until_queue_read)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) +
				    sizeof(struct sockaddr_in))];
		struct cmsghdr align;
	} control;
	struct sockaddr_in closed;
	struct sock_extended_err *ee = NULL;
	char data[8];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cm;
	int one = 1, fd, ep;

	CONFORM_DECLARE("2.6", "IP_RECVERR",
			"ip(7) IP_RECVERR (since 2.2) per-socket error queue, "
			"MSG_ERRQUEUE; epoll_ctl(2) EPOLLERR");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(udp_socket_and_closed_port(&fd, &closed));
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)));
	ep = watch_all(_metadata, fd);
	ASSERT_EQ(1, sendto(fd, "u", 1, 0, (struct sockaddr *)&closed,
			    sizeof(closed)));
	ASSERT_TRUE(arrives(fd, POLLERR));
	EXPECT_EQ(UDP_OUT | EPOLLERR, wait_events(ep, 0));
	ASSERT_LE(0, recvmsg(fd, &msg, MSG_ERRQUEUE));
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR)
			ee = (struct sock_extended_err *)CMSG_DATA(cm);
	ASSERT_NE(NULL, ee);
	EXPECT_EQ(SO_EE_ORIGIN_ICMP, ee->ee_origin);
	EXPECT_EQ(ECONNREFUSED, ee->ee_errno);
	EXPECT_EQ(UDP_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

TEST_HARNESS_MAIN
