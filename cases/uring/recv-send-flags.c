// SPDX-License-Identifier: MIT
/*
 * uring/recv-send-flags: the MSG_* flags of IORING_OP_RECV and
 * IORING_OP_SEND (5.6), which io_uring passes to recv(2)/send(2):
 * MSG_DONTWAIT makes a request that would wait fail with EAGAIN instead of
 * being parked; MSG_WAITALL makes a stream recv wait for the full length;
 * MSG_TRUNC on a datagram returns its real length; without it the rest of
 * a long datagram is discarded; MSG_NOSIGNAL turns a broken connection into
 * EPIPE without SIGPIPE. Sources: io_uring_enter(2) IORING_OP_SEND/RECV,
 * recv(2), send(2), unix(7), kernel commit 7ba89d2af17a (5.18) for
 * MSG_WAITALL. AF_UNIX socketpairs only.
 */
#include <liburing.h>

#include "conform_uring.h"

/* Queue and submit one recv (or send) of buf/len with flags, tagged tag. */
static int queue_io(struct io_uring *ring, bool send, int fd, void *buf,
		    size_t len, int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	if (send)
		io_uring_prep_send(sqe, fd, buf, len, flags);
	else
		io_uring_prep_recv(sqe, fd, buf, len, flags);
	return io_uring_submit(ring);
}

/* Run one recv or send and return its CQE res, or INT_MIN. */
static int run_io(struct io_uring *ring, bool send, int fd, void *buf,
		  size_t len, int flags)
{
	struct io_uring_cqe cqe;

	if (queue_io(ring, send, fd, buf, len, flags) != 1 ||
	    uring_reap_one(ring, &cqe))
		return INT_MIN;
	return cqe.res;
}

/*
 * recv(2) MSG_DONTWAIT: "If the operation would block, the call fails with
 * the error EAGAIN or EWOULDBLOCK". io_uring honours it: a recv on an empty
 * socket completes with -EAGAIN instead of waiting for data (since 5.6).
 */
TEST(recv_dontwait_on_empty_socket_gets_eagain)
{
	struct io_uring ring;
	char buf[8];
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV", "recv(2) MSG_DONTWAIT EAGAIN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EAGAIN, run_io(&ring, false, sv[0], buf, sizeof(buf), MSG_DONTWAIT));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * send(2) MSG_DONTWAIT: a send that would block fails with EAGAIN; through
 * the ring on a socket whose buffer is full, -EAGAIN rather than a request
 * parked until there is room (since 5.6).
 */
TEST(send_dontwait_on_full_socket_gets_eagain)
{
	struct io_uring ring;
	char buf[512] = { 0 };
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_SEND", "send(2) MSG_DONTWAIT EAGAIN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_LT(0, conform_fill_until_full(sv[0]));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EAGAIN, run_io(&ring, true, sv[0], buf, sizeof(buf), MSG_DONTWAIT));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Whether this kernel's io_uring retries a short MSG_WAITALL recv, seen on
 * an AF_UNIX SOCK_SEQPACKET pair. Kernel commit 7ba89d2af17a (5.18) added
 * that retry for SOCK_STREAM and SOCK_SEQPACKET sockets alike (one test of
 * the socket type, io_net_retry()); a seqpacket recv(2) itself returns one
 * record however long the buffer, so with two 4-byte records pending a
 * MSG_WAITALL recv of 8 completes with 8 only where io_uring retries, and
 * with 4 where it does not. Returns that res (INT_MIN if it did not run).
 */
static int seqpacket_waitall_recv_res(void)
{
	struct io_uring ring;
	char in[8];
	int sv[2], res = INT_MIN;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return INT_MIN;
	if (write(sv[1], "1234", 4) == 4 && write(sv[1], "5678", 4) == 4 &&
	    !io_uring_queue_init(4, &ring, 0)) {
		res = run_io(&ring, false, sv[0], in, sizeof(in), MSG_WAITALL);
		io_uring_queue_exit(&ring);
	}
	close(sv[0]);
	close(sv[1]);
	return res;
}

/*
 * recv(2) MSG_WAITALL: "requests that the operation block until the full
 * request is satisfied". Kernel commit 7ba89d2af17a ("io_uring: ensure recv
 * and recvmsg handle MSG_WAITALL correctly", 5.18, also in 5.10.y and
 * 5.15.y) made io_uring retry a short stream recv until the length is
 * reached; before, the recv completed with the first bytes. Which variant
 * the kernel has is probed on a seqpacket pair (seqpacket_waitall_recv_res,
 * the same retry), and that variant is asserted on a stream pair: a recv
 * of 8 waits on an empty socket; 4 bytes come, then 4 more: with the retry
 * it is still pending after the first 4 and completes with 8; without it
 * (logged) it completes with 4. Both variants asserted: since 5.6.
 */
TEST(recv_waitall_waits_for_full_length)
{
	struct io_uring ring;
	char in[8];
	int sv[2], probe;

	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"recv(2) MSG_WAITALL; commit 7ba89d2af17a (5.18) waits for the full length, older kernels complete short (probed on SOCK_SEQPACKET, logged)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	probe = seqpacket_waitall_recv_res();
	ASSERT_TRUE(probe == 8 || probe == 4)
		TH_LOG("the SOCK_SEQPACKET MSG_WAITALL probe completed with %d", probe);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(1, queue_io(&ring, false, sv[0], in, sizeof(in), MSG_WAITALL));
	uring_expect_waitall_recv(_metadata, &ring, sv, in, probe == 8, "recv");
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2) MSG_TRUNC: "For raw (AF_PACKET), Internet datagram, netlink, and
 * UNIX datagram sockets: return the real length of the packet or datagram,
 * even when it was longer than the passed buffer" (since 5.6 through the
 * ring; AF_UNIX since Linux 3.4). 100 bytes into 10: res 100.
 */
TEST(recv_trunc_on_datagram_returns_real_length)
{
	char out[100], in[10];
	struct io_uring ring;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"recv(2) MSG_TRUNC on a UNIX datagram socket");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ((ssize_t)sizeof(out), write(sv[1], out, sizeof(out)));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(100, run_io(&ring, false, sv[0], in, sizeof(in), MSG_TRUNC));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2): "If a message is too long to fit in the supplied buffer, excess
 * bytes may be discarded depending on the type of socket"; for a datagram
 * socket the rest is dropped: without MSG_TRUNC res is the 10 bytes copied,
 * and the next recv gets the next datagram (since 5.6 through the ring).
 */
TEST(recv_of_long_datagram_discards_the_rest)
{
	char out[100], in[10], next[4];
	struct io_uring ring;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"recv(2): excess bytes of a datagram are discarded");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ((ssize_t)sizeof(out), write(sv[1], out, sizeof(out)));
	ASSERT_EQ(3, write(sv[1], "two", 3));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(10, run_io(&ring, false, sv[0], in, sizeof(in), 0));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	EXPECT_EQ(3, run_io(&ring, false, sv[0], next, sizeof(next), 0));
	EXPECT_EQ(0, memcmp(next, "two", 3));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * send(2): EPIPE "The local end has been shut down on a connection oriented
 * socket. In this case, the process will also receive a SIGPIPE unless
 * MSG_NOSIGNAL is set". With MSG_NOSIGNAL, a send to a closed peer
 * completes with -EPIPE and no SIGPIPE is raised (blocked here, so it would
 * stay pending) (since 5.6 through the ring).
 */
TEST(send_nosignal_to_closed_peer_gets_epipe_without_sigpipe)
{
	struct io_uring ring;
	sigset_t set, pending;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_SEND",
			"send(2) EPIPE with MSG_NOSIGNAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	ASSERT_EQ(0, conform_socketpair(sv));
	close(sv[1]);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EPIPE, run_io(&ring, true, sv[0], "x", 1, MSG_NOSIGNAL));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(0, sigismember(&pending, SIGPIPE));
	io_uring_queue_exit(&ring);
	close(sv[0]);
}

TEST_HARNESS_MAIN
