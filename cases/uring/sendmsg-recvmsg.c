// SPDX-License-Identifier: MIT
/*
 * uring/sendmsg-recvmsg: IORING_OP_SENDMSG and IORING_OP_RECVMSG (5.3),
 * sendmsg(2)/recvmsg(2) through a ring: gather and scatter over iovecs,
 * passing a file descriptor as SCM_RIGHTS ancillary data, a control buffer
 * too short for it (MSG_CTRUNC), the sender's address of a datagram
 * (msg_name), a datagram longer than the buffer (MSG_TRUNC), and ENOTSOCK.
 * Sources: io_uring_enter(2) IORING_OP_SENDMSG/RECVMSG, sendmsg(2),
 * recvmsg(2), unix(7), cmsg(3). AF_UNIX sockets only.
 */
#include <liburing.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "conform_uring.h"

/* Run one sendmsg (send) or recvmsg of msg on fd with flags; res or INT_MIN. */
static int run_msg(struct io_uring *ring, bool send, int fd,
		   struct msghdr *msg, unsigned int flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return INT_MIN;
	if (send)
		io_uring_prep_sendmsg(sqe, fd, msg, flags);
	else
		io_uring_prep_recvmsg(sqe, fd, msg, flags);
	return uring_submit_res(ring);
}

/*
 * sendmsg(2): the data are taken from the msg_iov array in order; the result
 * is the number of bytes sent (since 5.3). 7 + 1000 + 3093 bytes, read back
 * as one stream of the pattern.
 */
TEST(sendmsg_gathers_iovecs_in_order)
{
	static char buf[4100], in[4100];
	struct iovec iov[3] = {
		{ buf, 7 }, { buf + 7, 1000 }, { buf + 1007, 3093 },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };
	struct io_uring ring;
	size_t got = 0;
	int sv[2];

	CONFORM_DECLARE("5.3", "IORING_OP_SENDMSG",
			"sendmsg(2), io_uring_enter(2) IORING_OP_SENDMSG");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(4100, run_msg(&ring, true, sv[0], &msg, 0));
	while (got < sizeof(in)) {
		ssize_t n = read(sv[1], in + got, sizeof(in) - got);

		ASSERT_LT(0, n);
		got += (size_t)n;
	}
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recvmsg(2): received data are scattered over msg_iov, each buffer filled
 * before the next (since 5.3). 300 bytes into 100 + 50 + 150.
 */
TEST(recvmsg_scatters_into_iovecs_in_order)
{
	char out[300], a[100], b[50], c[150];
	struct iovec iov[3] = { { a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };
	struct io_uring ring;
	int sv[2];

	CONFORM_DECLARE("5.3", "IORING_OP_RECVMSG",
			"recvmsg(2), io_uring_enter(2) IORING_OP_RECVMSG");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECVMSG);
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ((ssize_t)sizeof(out), write(sv[1], out, sizeof(out)));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(300, run_msg(&ring, false, sv[0], &msg, 0));
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 0));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 100));
	EXPECT_TRUE(conform_check_pattern(c, sizeof(c), 150));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Set up ring and pass fd from sv[0] to sv[1] as one SOL_SOCKET/SCM_RIGHTS
 * message in out's control buffer (closing ours once sent); receive it into
 * in with recv_flags.
 */
static void pass_fd_through_ring(struct __test_metadata *_metadata,
				 struct io_uring *ring, int sv[2],
				 struct msghdr *out, struct msghdr *in, int fd,
				 int recv_flags)
{
	struct cmsghdr *cm = CMSG_FIRSTHDR(out);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(1, run_msg(ring, true, sv[0], out, 0));
	close(fd);
	ASSERT_EQ(1, run_msg(ring, false, sv[1], in, recv_flags));
}

/*
 * unix(7) SCM_RIGHTS: a set of open file descriptors sent in ancillary data
 * arrives as new descriptors of the same open files, through the ring both
 * ways since 5.10: commit 583bbf0624df (5.10) lifted the ban on ancillary
 * data that commit d69e07793f89 put on io_uring's sendmsg/recvmsg in 5.5
 * (5.3 and 5.4 passed it; 5.5 to 5.9 fail it with EINVAL). A pipe's write end is sent; the received fd writes into
 * that pipe; the control message is SOL_SOCKET/SCM_RIGHTS of
 * CMSG_LEN(sizeof(int)).
 */
TEST(scm_rights_passes_a_working_fd)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl_out, ctl_in;
	char byte = 'R', got;
	struct iovec iov_out = { &byte, 1 }, iov_in = { &got, 1 };
	struct msghdr out = {
		.msg_iov = &iov_out, .msg_iovlen = 1,
		.msg_control = ctl_out.buf, .msg_controllen = sizeof(ctl_out.buf),
	};
	struct msghdr in = {
		.msg_iov = &iov_in, .msg_iovlen = 1,
		.msg_control = ctl_in.buf, .msg_controllen = sizeof(ctl_in.buf),
	};
	struct cmsghdr *cm;
	struct io_uring ring;
	int sv[2], pfd[2], newfd;
	char c;

	CONFORM_DECLARE("5.10", "IORING_OP_SENDMSG",
			"unix(7) SCM_RIGHTS; commit 583bbf0624df (5.10) lifted the cmsg ban of d69e07793f89 (5.5)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECVMSG);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, conform_pipe(pfd));
	memset(ctl_in.buf, 0, sizeof(ctl_in.buf));
	pass_fd_through_ring(_metadata, &ring, sv, &out, &in, pfd[1],
			     MSG_CMSG_CLOEXEC);
	EXPECT_EQ('R', got);
	EXPECT_EQ(0, in.msg_flags & MSG_CTRUNC);
	ASSERT_NE(NULL, cm = CMSG_FIRSTHDR(&in));
	EXPECT_EQ(SOL_SOCKET, cm->cmsg_level);
	EXPECT_EQ(SCM_RIGHTS, cm->cmsg_type);
	ASSERT_EQ(CMSG_LEN(sizeof(int)), cm->cmsg_len);
	memcpy(&newfd, CMSG_DATA(cm), sizeof(int));
	ASSERT_EQ(1, write(newfd, "p", 1));
	ASSERT_EQ(1, read(pfd[0], &c, 1));
	EXPECT_EQ('p', c);
	EXPECT_EQ(FD_CLOEXEC, fcntl(newfd, F_GETFD) & FD_CLOEXEC);
	close(newfd);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recvmsg(2): MSG_CTRUNC in msg_flags "indicates that some control data
 * were discarded due to lack of space in the buffer for ancillary data";
 * unix(7): descriptors that do not fit are closed, not installed. A control
 * buffer with room for no descriptor (through the ring since 5.10, as for
 * the test above: ancillary data was refused from 5.5 to 5.9): the data
 * byte arrives, msg_flags has MSG_CTRUNC, and the sent pipe end is gone
 * (the read end sees POLLHUP once ours is closed).
 */
TEST(scm_rights_without_room_sets_msg_ctrunc)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl_out;
	union { char buf[sizeof(struct cmsghdr)]; struct cmsghdr align; } ctl_in;
	char byte = 'T', got = 0;
	struct iovec iov_out = { &byte, 1 }, iov_in = { &got, 1 };
	struct msghdr out = {
		.msg_iov = &iov_out, .msg_iovlen = 1,
		.msg_control = ctl_out.buf, .msg_controllen = sizeof(ctl_out.buf),
	};
	struct msghdr in = {
		.msg_iov = &iov_in, .msg_iovlen = 1,
		.msg_control = ctl_in.buf, .msg_controllen = sizeof(ctl_in.buf),
	};
	struct pollfd hup = { .events = POLLIN };
	struct io_uring ring;
	int sv[2], pfd[2];

	CONFORM_DECLARE("5.10", "IORING_OP_RECVMSG",
			"recvmsg(2) MSG_CTRUNC; commit 583bbf0624df (5.10) lifted the cmsg ban of d69e07793f89 (5.5)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECVMSG);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, conform_pipe(pfd));
	hup.fd = pfd[0];
	pass_fd_through_ring(_metadata, &ring, sv, &out, &in, pfd[1], 0);
	EXPECT_EQ('T', got);
	EXPECT_EQ(MSG_CTRUNC, in.msg_flags & MSG_CTRUNC);
	ASSERT_EQ(1, poll(&hup, 1, URING_REAP_BOUND_MS));
	EXPECT_EQ(POLLHUP, hup.revents);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recvmsg(2): on an unconnected socket msg_name receives the source
 * address and msg_namelen its length; unix(7): a bound socket's address is
 * offsetof(sun_path) + the path with its NUL. sendmsg(2) with msg_name
 * sends to that address (since 5.3 through the ring, both ways).
 */
TEST(datagram_carries_sender_address_in_msg_name)
{
	struct sockaddr_un a_addr, b_addr, from;
	socklen_t a_len, b_len;
	char data[5] = "hello", in[8];
	struct iovec iov_out = { data, sizeof(data) }, iov_in = { in, sizeof(in) };
	struct msghdr out = {
		.msg_name = &b_addr, .msg_iov = &iov_out, .msg_iovlen = 1,
	};
	struct msghdr msg_in = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov_in, .msg_iovlen = 1,
	};
	struct io_uring ring;
	int a, b;

	CONFORM_DECLARE("5.3", "IORING_OP_RECVMSG",
			"recvmsg(2) msg_name, unix(7) addresses");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECVMSG);
	ASSERT_NE(0, a_len = uring_unix_addr(&a_addr, "a.sock"));
	ASSERT_NE(0, b_len = uring_unix_addr(&b_addr, "b.sock"));
	out.msg_namelen = b_len;
	ASSERT_LE(0, a = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_LE(0, b = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, bind(a, (struct sockaddr *)&a_addr, a_len));
	ASSERT_EQ(0, bind(b, (struct sockaddr *)&b_addr, b_len));
	memset(&from, 0, sizeof(from));

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(5, run_msg(&ring, true, a, &out, 0));
	ASSERT_EQ(5, run_msg(&ring, false, b, &msg_in, 0));
	EXPECT_EQ(0, memcmp(in, "hello", 5));
	EXPECT_EQ(a_len, msg_in.msg_namelen);
	EXPECT_EQ(AF_UNIX, from.sun_family);
	EXPECT_STREQ(a_addr.sun_path, from.sun_path);
	io_uring_queue_exit(&ring);
	close(a);
	close(b);
	unlink(a_addr.sun_path);
	unlink(b_addr.sun_path);
}

/*
 * recvmsg(2): MSG_TRUNC in msg_flags "indicates that the trailing portion
 * of a datagram was discarded because the datagram was larger than the
 * buffer supplied"; the result is the bytes copied (since 5.3 through the
 * ring). A 100-byte datagram into 40 bytes.
 */
TEST(long_datagram_sets_msg_trunc_and_returns_copied_bytes)
{
	char out[100], in[40];
	struct iovec iov = { in, sizeof(in) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring ring;
	int sv[2];

	CONFORM_DECLARE("5.3", "IORING_OP_RECVMSG",
			"recvmsg(2) MSG_TRUNC in msg_flags");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECVMSG);
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ((ssize_t)sizeof(out), write(sv[1], out, sizeof(out)));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(40, run_msg(&ring, false, sv[0], &msg, 0));
	EXPECT_EQ(MSG_TRUNC, msg.msg_flags & MSG_TRUNC);
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Whether this kernel's io_uring retries a short MSG_WAITALL recvmsg, seen
 * on an AF_UNIX SOCK_SEQPACKET pair. Kernel commit 7ba89d2af17a (5.18)
 * added that retry for SOCK_STREAM and SOCK_SEQPACKET sockets alike (one
 * test of the socket type, io_net_retry()); a seqpacket recvmsg(2) itself
 * returns one record however long the buffer, so with two 4-byte records
 * pending a MSG_WAITALL recvmsg of 8 completes with 8 only where io_uring
 * retries, and with 4 where it does not. Returns that res (INT_MIN if it
 * did not run).
 */
static int seqpacket_waitall_recvmsg_res(void)
{
	char in[8];
	struct iovec iov = { in, sizeof(in) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring ring;
	int sv[2], res = INT_MIN;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return INT_MIN;
	if (write(sv[1], "1234", 4) == 4 && write(sv[1], "5678", 4) == 4 &&
	    !io_uring_queue_init(4, &ring, 0)) {
		res = run_msg(&ring, false, sv[0], &msg, MSG_WAITALL);
		io_uring_queue_exit(&ring);
	}
	close(sv[0]);
	close(sv[1]);
	return res;
}

/*
 * recvmsg(2) takes the flags of recv(2), where MSG_WAITALL "requests that
 * the operation block until the full request is satisfied". Kernel commit
 * 7ba89d2af17a ("io_uring: ensure recv and recvmsg handle MSG_WAITALL
 * correctly", 5.18, also in 5.10.y and 5.15.y) made io_uring's RECVMSG on a
 * stream socket, without control data, retry a short receive until
 * msg_iov is full; before, it completed with the first bytes. The variant
 * is probed on a seqpacket pair (seqpacket_waitall_recvmsg_res, the same
 * retry) and asserted on a stream pair: a recvmsg into iovecs of 3 and 5
 * waits on an empty socket; 4 bytes come, then 4 more: with the retry it
 * is still pending after the first 4 and completes with 8, the bytes in
 * order across both iovecs; without it (logged) it completes with 4. Both
 * variants asserted: since 5.3.
 */
TEST(recvmsg_waitall_waits_for_full_length)
{
	char in[8];
	struct iovec iov[2] = { { in, 3 }, { in + 3, 5 } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int sv[2], probe;

	CONFORM_DECLARE("5.3", "IORING_OP_RECVMSG",
			"recv(2) MSG_WAITALL through recvmsg(2); commit 7ba89d2af17a (5.18) waits for the full length, older kernels complete short (probed on SOCK_SEQPACKET, logged)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECVMSG);
	probe = seqpacket_waitall_recvmsg_res();
	ASSERT_TRUE(probe == 8 || probe == 4)
		TH_LOG("the SOCK_SEQPACKET MSG_WAITALL probe completed with %d", probe);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_recvmsg(sqe, sv[0], &msg, MSG_WAITALL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	uring_expect_waitall_recv(_metadata, &ring, sv, in, probe == 8, "recvmsg");
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/* recvmsg(2)/sendmsg(2): ENOTSOCK "The file descriptor sockfd does not
 * refer to a socket" - a pipe (since 5.3 through the ring). */
TEST(sendmsg_on_pipe_gets_enotsock)
{
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring ring;
	int pfd[2];

	CONFORM_DECLARE("5.3", "IORING_OP_SENDMSG", "sendmsg(2) ENOTSOCK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ENOTSOCK, run_msg(&ring, true, pfd[1], &msg, 0));
	EXPECT_FALSE(conform_fd_readable(pfd[0], 0));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_HARNESS_MAIN
