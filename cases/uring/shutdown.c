// SPDX-License-Identifier: MIT
/*
 * uring/shutdown: IORING_OP_SHUTDOWN (5.11), shutdown(2) through a ring:
 * SHUT_WR gives the peer end of file (also waking a recv already waiting
 * there), and later sends fail with EPIPE; SHUT_RD makes reads return 0;
 * and the errors of shutdown(2): EINVAL for a bad how, ENOTSOCK, ENOTCONN,
 * EBADF. Sources: io_uring_enter(2) IORING_OP_SHUTDOWN,
 * io_uring_prep_shutdown(3), shutdown(2), send(2), unix(7).
 */
#include <liburing.h>
#include <netinet/in.h>

#include "conform_uring.h"

enum { TAG_SHUT = 1, TAG_IO = 2 };

/* Run one IORING_OP_SHUTDOWN of fd with how; the CQE res, or INT_MIN. */
static int uring_shutdown(struct io_uring *ring, int fd, int how)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return INT_MIN;
	io_uring_prep_shutdown(sqe, fd, how);
	io_uring_sqe_set_data64(sqe, TAG_SHUT);
	return uring_submit_res(ring);
}

/*
 * io_uring_enter(2) IORING_OP_SHUTDOWN is "the equivalent of a shutdown(2)";
 * shutdown(2): SHUT_WR disallows further transmissions, so the peer reads
 * end of file (0) once the queue is empty; the result is 0 (since 5.11).
 */
TEST(shut_wr_completes_with_zero_and_peer_reads_eof)
{
	struct io_uring ring;
	int sv[2];
	char c;

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN",
			"io_uring_enter(2) IORING_OP_SHUTDOWN, shutdown(2) SHUT_WR");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_shutdown(&ring, sv[0], SHUT_WR));
	ASSERT_TRUE(conform_fd_readable(sv[1], 0));
	EXPECT_EQ(0, read(sv[1], &c, 1));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * shutdown(2) SHUT_WR through the ring wakes a recv that is already waiting
 * on the peer (IORING_OP_RECV, pending on an empty socket): it completes
 * with 0, end of file (recv(2): "0 ... when the peer has performed an
 * orderly shutdown") (since 5.11).
 */
TEST(shut_wr_ends_pending_peer_recv_with_zero)
{
	const __u64 tags[2] = { TAG_SHUT, TAG_IO };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int sv[2], res[2] = { 1, 1 };
	char buf[16];

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN",
			"shutdown(2) SHUT_WR; recv(2) returns 0 after an orderly shutdown");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_recv(sqe, sv[1], buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_IO);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_shutdown(sqe, sv[0], SHUT_WR);
	io_uring_sqe_set_data64(sqe, TAG_SHUT);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * send(2): EPIPE "The local end has been shut down on a connection oriented
 * socket" (MSG_NOSIGNAL: no SIGPIPE). After IORING_OP_SHUTDOWN with SHUT_WR
 * a send on that end fails with -EPIPE (since 5.11).
 */
TEST(send_after_shut_wr_gets_epipe)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int sv[2];

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN",
			"send(2) EPIPE after shutdown(2) SHUT_WR");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_shutdown(&ring, sv[0], SHUT_WR));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_send(sqe, sv[0], "z", 1, MSG_NOSIGNAL);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-EPIPE, cqe.res);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * shutdown(2) SHUT_RD: "further receptions will be disallowed"; on an
 * AF_UNIX stream socket with nothing queued a read then returns 0 at once
 * instead of blocking (since 5.11 through the ring).
 */
TEST(shut_rd_makes_recv_return_zero_at_once)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[8];
	int sv[2];

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN", "shutdown(2) SHUT_RD");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_shutdown(&ring, sv[0], SHUT_RD));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_recv(sqe, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/* shutdown(2): EINVAL "An invalid value was specified in how" - 3 (since
 * 5.11 through the ring). */
TEST(invalid_how_gets_einval)
{
	struct io_uring ring;
	int sv[2];

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN", "shutdown(2) EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EINVAL, uring_shutdown(&ring, sv[0], 3));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/* shutdown(2): ENOTSOCK "The file descriptor sockfd does not refer to a
 * socket" - a pipe (since 5.11 through the ring). */
TEST(pipe_gets_enotsock)
{
	struct io_uring ring;
	int pfd[2];

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN", "shutdown(2) ENOTSOCK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ENOTSOCK, uring_shutdown(&ring, pfd[1], SHUT_WR));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * shutdown(2): ENOTCONN "The specified socket is not connected" - a fresh
 * TCP socket (no network needed: it is never bound or connected) (since
 * 5.11 through the ring).
 */
TEST(unconnected_tcp_socket_gets_enotconn)
{
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN", "shutdown(2) ENOTCONN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		SKIP(return, CONFORM_ENV "socket(AF_INET, SOCK_STREAM): %s", strerror(errno));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-ENOTCONN, uring_shutdown(&ring, fd, SHUT_RDWR));
	io_uring_queue_exit(&ring);
	close(fd);
}

/* shutdown(2): EBADF "sockfd is not a valid file descriptor"; through the
 * ring the request completes with -EBADF (since 5.11). */
TEST(bad_fd_gets_ebadf)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.11", "IORING_OP_SHUTDOWN", "shutdown(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SHUTDOWN);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EBADF, uring_shutdown(&ring, conform_bad_fd(), SHUT_RDWR));
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
