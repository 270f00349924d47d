// SPDX-License-Identifier: MIT
/*
 * epoll/fd-unix: which EPOLL* bits AF_UNIX sockets report, each entry
 * registered for every readiness bit (EPOLLIN, EPOLLPRI, EPOLLOUT,
 * EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG, EPOLLRDHUP)
 * so that the exact set is seen. Stream, datagram and seqpacket socket
 * pairs: EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND while the send buffer has room
 * (none once it is full, or once a datagram receiver's queue is full),
 * EPOLLIN|EPOLLRDNORM while data is queued, EPOLLRDHUP on the peer's
 * shutdown(SHUT_WR), EPOLLHUP on its close for the connection-based types
 * and nothing of the kind for datagrams, EPOLLERR (ECONNRESET) only when
 * the peer closed with data unread, and the EPOLLHUP of a socket never
 * connected. The empty-mask EPOLLHUP and the EPOLLIN|EPOLLRDHUP of a stream
 * pair are in epoll/hup.
 * Sources: epoll_ctl(2) EPOLLIN, EPOLLOUT, EPOLLRDHUP (since 2.6.17),
 * EPOLLERR, EPOLLHUP; poll(2) POLLRDNORM, POLLWRNORM, POLLWRBAND; unix(7)
 * (SOCK_SEQPACKET since 2.6.4); net/unix/af_unix.c unix_poll() and
 * unix_dgram_poll().
 */
#include <sys/epoll.h>
#include <sys/un.h>

#include "conform_epoll.h"

enum { TAG = 0x0a1f };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

/* What an AF_UNIX socket reports for writing: net/unix/af_unix.c sets the
 * three together. */
#define OUT_BITS (EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND)
#define IN_BITS (EPOLLIN | EPOLLRDNORM)

/* A wait for an event that must come: a bound only. */
#define WAIT_MS 1000

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

/* An AF_UNIX socket pair of type (CLOEXEC); 0 or -1 with errno. */
static int unix_pair(int type, int sv[2])
{
	return socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv);
}

/* Read and drop everything queued on fd (nonblocking). 0, or -1. */
static int drain(int fd)
{
	char buf[8192];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0)
			continue;
		return n < 0 && errno == EAGAIN ? 0 : -1;
	}
}

/*
 * One socket of a new pair of type, watched for every bit: writable at
 * once (exactly the three write bits), and once the peer has sent a
 * message, readable too (EPOLLIN|EPOLLRDNORM); no EPOLLPRI, EPOLLRDBAND or
 * EPOLLMSG ever.
 */
static void idle_then_data(struct __test_metadata *_metadata, int type)
{
	int ep, s[2];

	ASSERT_EQ(0, unix_pair(type, s));
	ep = watch_all(_metadata, s[0]);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(2, send(s[1], "m1", 2, 0));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	close(ep);
	close(s[0]);
	close(s[1]);
}

/*
 * epoll_ctl(2) EPOLLIN/EPOLLOUT; poll(2) POLLRDNORM and POLLWRNORM
 * ("Equivalent to" POLLIN and POLLOUT), POLLWRBAND ("Priority data may be
 * written"): a connected AF_UNIX stream socket reports
 * EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND while idle, and adds
 * EPOLLIN|EPOLLRDNORM once the peer has written (net/unix/af_unix.c
 * unix_poll(); since 2.6).
 */
TEST(stream_pair_reports_write_bits_then_read_bits)
{
	CONFORM_DECLARE("2.6", "EPOLLWRBAND",
			"poll(2) POLLRDNORM POLLWRNORM POLLWRBAND; "
			"net/unix/af_unix.c unix_poll()");
	EPOLL_REQUIRE();
	idle_then_data(_metadata, SOCK_STREAM);
}

/*
 * unix(7) SOCK_SEQPACKET (since 2.6.4), polled like the stream type
 * (net/unix/af_unix.c unix_dgram_poll()): write bits while idle, read bits
 * once the peer has sent a record.
 */
TEST(seqpacket_pair_reports_write_bits_then_read_bits)
{
	CONFORM_DECLARE("2.6.4", "SOCK_SEQPACKET",
			"unix(7) SOCK_SEQPACKET (since 2.6.4); poll(2) "
			"POLLRDNORM POLLWRNORM POLLWRBAND");
	EPOLL_REQUIRE();
	idle_then_data(_metadata, SOCK_SEQPACKET);
}

/*
 * epoll_ctl(2) EPOLLIN "available for read(2)", for a datagram socket pair:
 * with two datagrams queued, reading one leaves EPOLLIN|EPOLLRDNORM (the
 * other is still there), reading the second takes it away; the write bits
 * stay throughout (net/unix/af_unix.c unix_dgram_poll(); since 2.6).
 */
TEST(dgram_epollin_lasts_until_the_last_datagram_is_read)
{
	char b[8];
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLIN",
			"epoll_ctl(2) EPOLLIN; unix(7) SOCK_DGRAM; "
			"net/unix/af_unix.c unix_dgram_poll()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, unix_pair(SOCK_DGRAM, s));
	ep = watch_all(_metadata, s[0]);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(1, send(s[1], "a", 1, 0));
	ASSERT_EQ(1, send(s[1], "b", 1, 0));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(1, recv(s[0], b, sizeof(b), 0));
	EXPECT_EQ('a', b[0]);
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(1, recv(s[0], b, sizeof(b), 0));
	EXPECT_EQ('b', b[0]);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s[0]);
	close(s[1]);
}

/*
 * epoll_ctl(2) EPOLLOUT "available for write(2)": a stream socket whose
 * writes fill the send buffer until they would block (EAGAIN) reports no
 * write bit - nor anything else, having nothing to read; once the peer has
 * read everything, EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND is reported again
 * (net/unix/af_unix.c unix_writable(); since 2.6).
 */
TEST(stream_full_send_buffer_reports_no_epollout_until_drained)
{
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLOUT",
			"epoll_ctl(2) EPOLLOUT; net/unix/af_unix.c "
			"unix_poll() unix_writable()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, unix_pair(SOCK_STREAM, s));
	ep = watch_all(_metadata, s[1]);
	ASSERT_LT(0, conform_fill_until_full(s[1]));
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(0, drain(s[0]));
	EXPECT_EQ(OUT_BITS, wait_events(ep, WAIT_MS));
	close(ep);
	close(s[0]);
	close(s[1]);
}

/*
 * epoll_ctl(2) EPOLLOUT, for a datagram socket connected to a receiver that
 * is not connected back: once the receiver's queue holds more than its
 * limit (net.unix.max_dgram_qlen) the sender's writes would block, and it
 * reports no EPOLLOUT although its own send buffer has room; when the
 * receiver takes one datagram, the sender is woken and reports
 * EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND again (net/unix/af_unix.c
 * unix_dgram_poll() and unix_dgram_peer_wake_me(): commit 7d267278a9ec
 * "unix: avoid use-after-free in ep_remove_wait_queue", 4.4).
 */
TEST(dgram_sender_to_full_receiver_reports_epollout_once_it_reads)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa_family_t);
	char b[8];
	int ep, rcv, snd, queued = 0;
	long qlen;

	CONFORM_DECLARE("4.4", "EPOLLOUT",
			"epoll_ctl(2) EPOLLOUT; net/unix/af_unix.c "
			"unix_dgram_poll(); commit 7d267278a9ec (4.4)");
	EPOLL_REQUIRE();
	ASSERT_LE(0, rcv = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_LE(0, snd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	/* unix(7) autobind: an address length of sizeof(sa_family_t) binds
	 * the receiver to a unique abstract address. */
	ASSERT_EQ(0, bind(rcv, (struct sockaddr *)&addr, len));
	len = sizeof(addr);
	ASSERT_EQ(0, getsockname(rcv, (struct sockaddr *)&addr, &len));
	ASSERT_EQ(0, connect(snd, (struct sockaddr *)&addr, len));
	ep = watch_all(_metadata, snd);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	/* One-byte datagrams, so that the receiver's queue limit and not
	 * the sender's buffer is what stops them. */
	while (send(snd, "q", 1, MSG_DONTWAIT) == 1)
		queued++;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_LT(0, queued);
	/* net.unix.max_dgram_qlen (Documentation/networking/ip-sysctl.rst):
	 * the receiver takes one datagram more than the limit before the
	 * sender blocks. */
	qlen = conform_read_sysctl("/proc/sys/net/unix/max_dgram_qlen");
	if (qlen > 0 && queued != qlen + 1) {
		close(ep);
		close(snd);
		close(rcv);
		SKIP(return, CONFORM_ENV "%d datagrams queued with max_dgram_qlen=%ld: the sender's buffer, not the receiver's queue, filled first",
		     queued, qlen);
	}
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_LT(0, recv(rcv, b, sizeof(b), 0));
	EXPECT_EQ(OUT_BITS, wait_events(ep, WAIT_MS));
	close(ep);
	close(snd);
	close(rcv);
}

/*
 * epoll_ctl(2) EPOLLRDHUP (since 2.6.17) and EPOLLHUP, stream pair: after
 * the peer's close the socket reports EPOLLRDHUP and EPOLLHUP, EPOLLIN|
 * EPOLLRDNORM (read gives end of file) and still the write bits
 * (net/unix/af_unix.c unix_poll(): "we set writable also when the other
 * side has shut down the connection"); no EPOLLERR, as the peer had read
 * all that was sent to it.
 */
TEST(stream_peer_close_reports_hup_rdhup_and_both_directions)
{
	char b;
	int ep, s[2];

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLRDHUP (since 2.6.17) and EPOLLHUP; "
			"net/unix/af_unix.c unix_poll()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, unix_pair(SOCK_STREAM, s));
	ep = watch_all(_metadata, s[0]);
	close(s[1]);
	EXPECT_EQ(IN_BITS | OUT_BITS | EPOLLRDHUP | EPOLLHUP,
		  wait_events(ep, WAIT_MS));
	EXPECT_EQ(0, read(s[0], &b, 1));
	close(ep);
	close(s[0]);
}

/*
 * epoll_ctl(2) EPOLLRDHUP: "shut down writing half of connection", for a
 * seqpacket pair: the peer's shutdown(SHUT_WR) gives EPOLLRDHUP with
 * EPOLLIN|EPOLLRDNORM (end of file to read) and the write bits, no
 * EPOLLHUP; the peer's close then adds EPOLLHUP (since 2.6.17).
 */
TEST(seqpacket_peer_shutdown_reports_rdhup_then_close_adds_hup)
{
	int ep, s[2];

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLRDHUP (since 2.6.17); unix(7) "
			"SOCK_SEQPACKET");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, unix_pair(SOCK_SEQPACKET, s));
	ep = watch_all(_metadata, s[0]);
	ASSERT_EQ(0, shutdown(s[1], SHUT_WR));
	EXPECT_EQ(IN_BITS | OUT_BITS | EPOLLRDHUP, wait_events(ep, WAIT_MS));
	close(s[1]);
	EXPECT_EQ(IN_BITS | OUT_BITS | EPOLLRDHUP | EPOLLHUP,
		  wait_events(ep, WAIT_MS));
	close(ep);
	close(s[0]);
}

/*
 * A datagram socket has no connection to hang up: after its peer of a
 * socket pair closes, it reports neither EPOLLHUP nor EPOLLRDHUP nor
 * EPOLLERR, only the write bits it had (net/unix/af_unix.c
 * unix_dgram_poll(): EPOLLHUP only for SOCK_SEQPACKET in TCP_CLOSE). The
 * first send then fails with ECONNREFUSED (unix(7) ERRORS: "ECONNREFUSED
 * The remote address specified by connect(2) was not a listening socket"
 * - the peer is gone), which disconnects it: the next gets ENOTCONN
 * (since 2.6).
 */
TEST(dgram_peer_close_reports_no_hup_and_send_gets_econnrefused)
{
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"net/unix/af_unix.c unix_dgram_poll() and "
			"unix_dgram_sendmsg(); unix(7) ECONNREFUSED");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, unix_pair(SOCK_DGRAM, s));
	ep = watch_all(_metadata, s[0]);
	close(s[1]);
	EXPECT_EQ(OUT_BITS, wait_events(ep, WAIT_MS));
	errno = 0;
	EXPECT_EQ(-1, send(s[0], "x", 1, MSG_DONTWAIT));
	EXPECT_EQ(ECONNREFUSED, errno);
	errno = 0;
	EXPECT_EQ(-1, send(s[0], "x", 1, MSG_DONTWAIT));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s[0]);
}

/*
 * EPOLLERR on an AF_UNIX stream socket: closing a socket that still has
 * unread data in its receive queue resets the connection - the peer gets
 * the error ECONNRESET (net/unix/af_unix.c unix_release_sock(): "if
 * (!skb_queue_empty(&sk->sk_receive_queue) ...) skpair->sk_err =
 * ECONNRESET"), so it reports EPOLLERR with the hang-up bits, and
 * getsockopt(SO_ERROR) (socket(7): "Get and clear the pending socket
 * error") returns ECONNRESET, after which EPOLLERR is gone (since 2.6).
 */
TEST(stream_peer_closing_with_unread_data_reports_epollerr)
{
	socklen_t len = sizeof(int);
	int ep, s[2], err = 0;

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"net/unix/af_unix.c unix_release_sock() ECONNRESET; "
			"socket(7) SO_ERROR");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, unix_pair(SOCK_STREAM, s));
	ep = watch_all(_metadata, s[0]);
	ASSERT_EQ(1, write(s[0], "u", 1));
	close(s[1]);
	EXPECT_EQ(IN_BITS | OUT_BITS | EPOLLRDHUP | EPOLLHUP | EPOLLERR,
		  wait_events(ep, WAIT_MS));
	ASSERT_EQ(0, getsockopt(s[0], SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(ECONNRESET, err);
	EXPECT_EQ(IN_BITS | OUT_BITS | EPOLLRDHUP | EPOLLHUP,
		  wait_events(ep, 0));
	close(ep);
	close(s[0]);
}

/*
 * A stream socket that was never connected reports EPOLLHUP (the hang-up
 * of a connection that does not exist, so that nobody blocks on it) with
 * the write bits (net/unix/af_unix.c unix_poll(): "Connection-based need
 * to check for termination and startup", TCP_CLOSE gives EPOLLHUP); since
 * 2.6.
 */
TEST(unconnected_stream_socket_reports_epollhup)
{
	int ep, s;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"net/unix/af_unix.c unix_poll(): connection-based "
			"socket in TCP_CLOSE reports EPOLLHUP");
	EPOLL_REQUIRE();
	ASSERT_LE(0, s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ep = watch_all(_metadata, s);
	EXPECT_EQ(OUT_BITS | EPOLLHUP, wait_events(ep, 0));
	close(ep);
	close(s);
}

TEST_HARNESS_MAIN
