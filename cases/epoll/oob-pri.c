// SPDX-License-Identifier: MIT
/*
 * epoll/oob-pri: out-of-band data as EPOLLPRI, how long it lasts, and on
 * which sockets. TCP over 127.0.0.1 (urgent data, MSG_OOB, since 2.6 for
 * epoll): a MSG_PEEK of the urgent byte keeps EPOLLPRI, reading the
 * normal data past the urgent mark drops the byte and EPOLLPRI (MSG_OOB
 * then fails with EINVAL), and with SO_OOBINLINE the byte stays EPOLLPRI
 * until it is read in the stream while recv(MSG_OOB) fails with EINVAL.
 * AF_UNIX stream sockets (MSG_OOB since 5.15, CONFIG_AF_UNIX_OOB; probed:
 * EOPNOTSUPP before): an out-of-band byte is EPOLLPRI together with
 * EPOLLIN|EPOLLRDNORM, recv(MSG_OOB) takes EPOLLPRI away, SO_OOBINLINE
 * behaves as for TCP; AF_UNIX seqpacket sockets refuse MSG_OOB. Neither
 * family ever reports EPOLLRDBAND for it. The basic TCP cases (EPOLLPRI
 * alone, cleared by recv(MSG_OOB); EPOLLPRI|EPOLLIN with SO_OOBINLINE) are
 * in epoll/tcp-sockets and epoll/fd-inet. TCP tests skip when loopback is
 * not up.
 * Sources: tcp(7) urgent data, SO_OOBINLINE, "Sockets API" (MSG_PEEK of
 * out-of-band data); recv(2) MSG_OOB, MSG_PEEK; socket(7) SO_OOBINLINE;
 * unix(7); poll(2) POLLPRI; net/ipv4/tcp.c tcp_poll(), tcp_recv_urg(),
 * tcp_recvmsg(); net/unix/af_unix.c unix_poll(), unix_stream_recv_urg(),
 * commit "af_unix: Add OOB support" (5.15).
 */
#include <netinet/in.h>
#include <sys/epoll.h>

#include "conform_epoll.h"

enum { TAG = 0x00b1 };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)
/* What TCP (tcp_poll()) and AF_UNIX (unix_poll()) report for writing. */
#define TCP_OUT (EPOLLOUT | EPOLLWRNORM)
#define UNIX_OUT (EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND)

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

/*
 * An AF_UNIX stream pair (CLOEXEC) in sv whose sv[0] has sent the
 * out-of-band byte 'x' to sv[1] after the normal bytes pre (may be "").
 * NULL, or why not: send(MSG_OOB) fails with EOPNOTSUPP on kernels before
 * 5.15 or without CONFIG_AF_UNIX_OOB (not an environment reason: the
 * kernel lacks the feature).
 */
static const char *unix_pair_with_oob(int sv[2], const char *pre)
{
	size_t n = strlen(pre);

	if (conform_socketpair(sv) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "socketpair(AF_UNIX): %s", strerror(errno));
		return conform_why;
	}
	if (n && send(sv[0], pre, n, 0) != (ssize_t)n) {
		snprintf(conform_why, sizeof(conform_why), "send: %s",
			 strerror(errno));
		goto fail;
	}
	if (send(sv[0], "x", 1, MSG_OOB) == 1)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "send(MSG_OOB) on an AF_UNIX stream socket: %s (AF_UNIX out-of-band data needs 5.15 and CONFIG_AF_UNIX_OOB)",
		 strerror(errno));
fail:
	close(sv[0]);
	close(sv[1]);
	return conform_why;
}

/*
 * tcp(7) Sockets API: "It is possible to peek at out-of-band data using
 * the recv(2) MSG_PEEK flag." A peek leaves the urgent byte where it is:
 * recv(MSG_OOB|MSG_PEEK) returns it and the receiver still reports
 * EPOLLPRI (net/ipv4/tcp.c tcp_recv_urg() marks the byte read only
 * without MSG_PEEK); the recv(MSG_OOB) that follows returns it again and
 * takes EPOLLPRI away (since 2.6).
 */
TEST(tcp_peek_at_urgent_byte_keeps_epollpri)
{
	char b = 0;
	int c, s, ep;

	CONFORM_DECLARE("2.6", "MSG_OOB",
			"tcp(7) Sockets API: peek at out-of-band data with "
			"MSG_PEEK; net/ipv4/tcp.c tcp_recv_urg()");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ep = watch_all(_metadata, s);
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_TRUE(arrives(s, POLLPRI));
	EXPECT_EQ(EPOLLPRI | TCP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(s, &b, 1, MSG_OOB | MSG_PEEK));
	EXPECT_EQ('!', b);
	EXPECT_EQ(EPOLLPRI | TCP_OUT, wait_events(ep, 0));
	b = 0;
	ASSERT_EQ(1, recv(s, &b, 1, MSG_OOB));
	EXPECT_EQ('!', b);
	EXPECT_EQ(TCP_OUT, wait_events(ep, 0));
	close(ep);
	close(c);
	close(s);
}

/*
 * tcp(7): without SO_OOBINLINE urgent data "can be received only when the
 * MSG_OOB flag is set"; a normal read stops at the urgent mark
 * (SIOCATMARK). Once normal reads go past the mark without recv(MSG_OOB)
 * the urgent byte is skipped and gone: EPOLLPRI is no longer reported, and
 * recv(MSG_OOB) fails with EINVAL (net/ipv4/tcp.c tcp_recvmsg() clears the
 * urgent state past the mark, tcp_recv_urg() then has none). Sent: "ab",
 * urgent '!', "cd" (since 2.6).
 */
TEST(tcp_reading_past_the_mark_drops_urgent_byte_and_epollpri)
{
	struct timeval bound = { .tv_sec = WAIT_MS / 1000 };
	char b[8] = { 0 };
	int c, s, ep;

	CONFORM_DECLARE("2.6", "MSG_OOB",
			"tcp(7) urgent data received only with MSG_OOB; "
			"net/ipv4/tcp.c tcp_recvmsg() urgent mark, "
			"tcp_recv_urg() EINVAL");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof(bound)));
	ep = watch_all(_metadata, s);
	ASSERT_EQ(2, send(c, "ab", 2, 0));
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_EQ(2, send(c, "cd", 2, 0));
	ASSERT_TRUE(arrives(s, POLLPRI));
	/* The read stops at the mark: "ab" only. */
	ASSERT_EQ(2, recv(s, b, sizeof(b), 0));
	EXPECT_EQ(0, memcmp(b, "ab", 2));
	/* Past the mark (bounded by SO_RCVTIMEO until "cd" is there). */
	ASSERT_EQ(2, recv(s, b, 2, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(b, "cd", 2));
	EXPECT_EQ(TCP_OUT, wait_events(ep, 0));
	errno = 0;
	EXPECT_EQ(-1, recv(s, b, 1, MSG_OOB | MSG_DONTWAIT));
	EXPECT_EQ(EINVAL, errno);
	close(ep);
	close(c);
	close(s);
}

/*
 * tcp(7): "When the SO_OOBINLINE socket option is enabled, urgent data is
 * put into the normal data stream", and otherwise only is it "received
 * only when the MSG_OOB flag is set": with SO_OOBINLINE recv(MSG_OOB)
 * fails with EINVAL (net/ipv4/tcp.c tcp_recv_urg()), while the urgent
 * byte is still announced by EPOLLPRI (since 2.6).
 */
TEST(tcp_oobinline_recv_msg_oob_gets_einval)
{
	int one = 1, c, s, ep;
	char b;

	CONFORM_DECLARE("2.6", "SO_OOBINLINE",
			"tcp(7) SO_OOBINLINE urgent data in the normal stream; "
			"net/ipv4/tcp.c tcp_recv_urg() EINVAL");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
	ep = watch_all(_metadata, s);
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_TRUE(arrives(s, POLLPRI));
	errno = 0;
	EXPECT_EQ(-1, recv(s, &b, 1, MSG_OOB | MSG_DONTWAIT));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(EPOLLPRI | IN_BITS | TCP_OUT, wait_events(ep, 0));
	close(ep);
	close(c);
	close(s);
}

/*
 * tcp(7) SO_OOBINLINE: the urgent byte is read in the normal stream, and
 * "When out-of-band data is present ... poll(2) indicates a POLLPRI
 * event": reading the stream past the inline urgent byte ends its
 * presence. Sent: "ab", urgent '!': the first read stops at the mark
 * ("ab", EPOLLPRI still there), the next returns '!' and EPOLLPRI and
 * EPOLLIN are gone (since 2.6).
 */
TEST(tcp_inline_urgent_byte_keeps_epollpri_until_read_in_stream)
{
	int one = 1, c, s, ep;
	char b[8] = { 0 };

	CONFORM_DECLARE("2.6", "SO_OOBINLINE",
			"tcp(7) SO_OOBINLINE; poll(2) POLLPRI while "
			"out-of-band data is present");
	EPOLL_REQUIRE();
	REQUIRE_TCP_PAIR(c, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
	ep = watch_all(_metadata, s);
	ASSERT_EQ(2, send(c, "ab", 2, 0));
	ASSERT_EQ(1, send(c, "!", 1, MSG_OOB));
	ASSERT_TRUE(arrives(s, POLLPRI));
	ASSERT_EQ(2, recv(s, b, sizeof(b), 0));
	EXPECT_EQ(0, memcmp(b, "ab", 2));
	EXPECT_EQ(EPOLLPRI | IN_BITS | TCP_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(s, b, sizeof(b), 0));
	EXPECT_EQ('!', b[0]);
	EXPECT_EQ(TCP_OUT, wait_events(ep, 0));
	close(ep);
	close(c);
	close(s);
}

/*
 * Kernel commit "af_unix: Add OOB support" (5.15): AF_UNIX stream sockets
 * take MSG_OOB, one byte of out-of-band data as in TCP, announced as
 * EPOLLPRI (net/unix/af_unix.c unix_poll() while an out-of-band byte is
 * pending; poll(2) POLLPRI). Unlike TCP the byte sits in the receive
 * queue, so the receiver watched for every bit reports EPOLLIN|EPOLLRDNORM
 * with it, besides its write bits; never EPOLLRDBAND.
 */
TEST(unix_stream_oob_byte_reports_epollpri_with_epollin)
{
	int ep, sv[2];

	CONFORM_DECLARE("5.15", "MSG_OOB",
			"commit \"af_unix: Add OOB support\" (5.15); "
			"net/unix/af_unix.c unix_poll(); poll(2) POLLPRI");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(unix_pair_with_oob(sv, ""));
	ep = watch_all(_metadata, sv[1]);
	EXPECT_EQ(EPOLLPRI | IN_BITS | UNIX_OUT, wait_events(ep, WAIT_MS));
	close(ep);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2) MSG_OOB on an AF_UNIX stream socket (5.15) returns the
 * out-of-band byte and ends its presence: EPOLLPRI goes, while the normal
 * bytes sent before it ("ab") keep EPOLLIN|EPOLLRDNORM and are read
 * afterwards (net/unix/af_unix.c unix_stream_recv_urg()).
 */
TEST(unix_stream_recv_msg_oob_clears_epollpri_keeps_epollin)
{
	char b[8] = { 0 };
	int ep, sv[2];

	CONFORM_DECLARE("5.15", "MSG_OOB",
			"commit \"af_unix: Add OOB support\" (5.15); recv(2) "
			"MSG_OOB; net/unix/af_unix.c unix_stream_recv_urg()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(unix_pair_with_oob(sv, "ab"));
	ep = watch_all(_metadata, sv[1]);
	EXPECT_EQ(EPOLLPRI | IN_BITS | UNIX_OUT, wait_events(ep, WAIT_MS));
	ASSERT_EQ(1, recv(sv[1], b, 1, MSG_OOB | MSG_DONTWAIT));
	EXPECT_EQ('x', b[0]);
	EXPECT_EQ(IN_BITS | UNIX_OUT, wait_events(ep, 0));
	ASSERT_EQ(2, recv(sv[1], b, sizeof(b), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(b, "ab", 2));
	close(ep);
	close(sv[0]);
	close(sv[1]);
}

/*
 * socket(7) SO_OOBINLINE "out-of-band data is directly placed into the
 * receive data stream", honoured by AF_UNIX stream sockets since their
 * MSG_OOB support (5.15): recv(MSG_OOB) then fails with EINVAL
 * (unix_stream_recv_urg()), the byte stays announced by EPOLLPRI until a
 * normal read returns it, and then EPOLLPRI is gone.
 */
TEST(unix_stream_oobinline_byte_is_read_in_stream)
{
	int one = 1, ep, sv[2];
	char b[8] = { 0 };

	CONFORM_DECLARE("5.15", "SO_OOBINLINE",
			"socket(7) SO_OOBINLINE; commit \"af_unix: Add OOB "
			"support\" (5.15); net/unix/af_unix.c "
			"unix_stream_recv_urg()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, setsockopt(sv[1], SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)));
	if (send(sv[0], "x", 1, MSG_OOB) != 1) {
		int err = errno;

		close(sv[0]);
		close(sv[1]);
		SKIP(return, "send(MSG_OOB) on an AF_UNIX stream socket: %s (AF_UNIX out-of-band data needs 5.15 and CONFIG_AF_UNIX_OOB)",
		     strerror(err));
	}
	ep = watch_all(_metadata, sv[1]);
	EXPECT_EQ(EPOLLPRI | IN_BITS | UNIX_OUT, wait_events(ep, WAIT_MS));
	errno = 0;
	EXPECT_EQ(-1, recv(sv[1], b, 1, MSG_OOB | MSG_DONTWAIT));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(EPOLLPRI | IN_BITS | UNIX_OUT, wait_events(ep, 0));
	ASSERT_EQ(1, recv(sv[1], b, sizeof(b), MSG_DONTWAIT));
	EXPECT_EQ('x', b[0]);
	EXPECT_EQ(UNIX_OUT, wait_events(ep, 0));
	close(ep);
	close(sv[0]);
	close(sv[1]);
}

/*
 * unix(7) and net/unix/af_unix.c unix_dgram_sendmsg(): out-of-band data
 * exists for stream sockets only; a seqpacket socket refuses
 * send(MSG_OOB) with EOPNOTSUPP, and its peer reports no EPOLLPRI, only
 * its write bits (since 2.6.4, SOCK_SEQPACKET).
 */
TEST(unix_seqpacket_msg_oob_gets_eopnotsupp_and_no_epollpri)
{
	int ep, sv[2];

	CONFORM_DECLARE("2.6.4", "SOCK_SEQPACKET",
			"unix(7) SOCK_SEQPACKET (since 2.6.4); "
			"net/unix/af_unix.c unix_dgram_sendmsg() MSG_OOB "
			"EOPNOTSUPP");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
	ep = watch_all(_metadata, sv[1]);
	errno = 0;
	EXPECT_EQ(-1, send(sv[0], "x", 1, MSG_OOB));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(UNIX_OUT, wait_events(ep, 0));
	close(ep);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
