// SPDX-License-Identifier: MIT
/*
 * ref/ring-recv-send: IORING_OP_SEND and IORING_OP_RECV through the
 * reference ring on AF_UNIX stream socketpairs: data and byte counts, a recv
 * that waits for data, end of stream, MSG_PEEK, and the errors for a send
 * after shutdown and for a non-socket.
 */
#include "conform_ref.h"

/* A socketpair and a 4-entry ring with a recv (user_data 1) into buf
 * submitted on sv[1], still waiting after a brief wait. */
static void recv_waiting_on_socketpair(struct __test_metadata *_metadata,
				       int sv[2], struct ref_ring *ring,
				       char *buf, size_t len)
{
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(ring, sv[1], buf, len, 0, 1));
	ASSERT_EQ(1, ref_ring_submit(ring));
	EXPECT_TRUE(ref_case_nothing_completes(ring));
}

/*
 * io_uring_enter(2) IORING_OP_SEND/RECV: like send(2)/recv(2); res is the
 * byte count (since 5.6). 300 pattern bytes sent, the same 300 received.
 */
TEST(send_then_recv_moves_exact_bytes)
{
	char out[300], in[512];
	struct ref_ring ring;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_SEND/IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_SEND and IORING_OP_RECV");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_send(&ring, sv[0], out, sizeof(out), 0, 1));
	EXPECT_EQ(300, ref_case_run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], in, sizeof(in), 0, 2));
	EXPECT_EQ(300, ref_case_run_one(&ring, 2));
	EXPECT_TRUE(conform_check_pattern(in, 300, 0));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2): "If no messages are available at the socket, the receive calls
 * wait for a message to arrive"; IORING_OP_RECV completes when data comes
 * (since 5.6). A brief wait runs out; a write of 7 bytes completes it.
 */
TEST(recv_waits_for_data)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[64];
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"recv(2) DESCRIPTION: waits for a message");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	recv_waiting_on_socketpair(_metadata, sv, &ring, buf, sizeof(buf));
	ASSERT_EQ(7, write(sv[0], "payload", 7));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(7, ref_case_res_of(&log, 1));
	EXPECT_EQ(0, memcmp(buf, "payload", 7));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2): "When a stream socket peer has performed an orderly shutdown, the
 * return value will be 0" (IORING_OP_RECV since 5.6); a recv already waiting
 * when the peer shuts down completes with 0.
 */
TEST(recv_after_peer_shutdown_returns_zero)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[64];
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"recv(2) RETURN VALUE: 0 after orderly shutdown");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	recv_waiting_on_socketpair(_metadata, sv, &ring, buf, sizeof(buf));
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(0, ref_case_res_of(&log, 1));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2) MSG_PEEK: "returns data from the beginning of the receive queue
 * without removing that data from the queue" (IORING_OP_RECV since 5.6):
 * a peek and then a plain recv both return the same 5 bytes.
 */
TEST(recv_msg_peek_leaves_data_queued)
{
	char a[16], b[16];
	struct ref_ring ring;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV", "recv(2) MSG_PEEK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(5, write(sv[0], "peek!", 5));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], a, sizeof(a), MSG_PEEK, 1));
	EXPECT_EQ(5, ref_case_run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], b, sizeof(b), 0, 2));
	EXPECT_EQ(5, ref_case_run_one(&ring, 2));
	EXPECT_EQ(0, memcmp(a, "peek!", 5));
	EXPECT_EQ(0, memcmp(b, "peek!", 5));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * send(2) EPIPE: "The local end has been shut down on a connection oriented
 * socket"; with MSG_NOSIGNAL no SIGPIPE is raised (IORING_OP_SEND, 5.6).
 */
TEST(send_after_shutdown_gets_epipe)
{
	struct ref_ring ring;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_SEND", "send(2) EPIPE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_send(&ring, sv[0], "x", 1, MSG_NOSIGNAL, 1));
	EXPECT_EQ(-EPIPE, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * recv(2) ENOTSOCK: "The file descriptor sockfd does not refer to a socket"
 * (IORING_OP_RECV since 5.6). A pipe's read end.
 */
TEST(recv_on_non_socket_gets_enotsock)
{
	struct ref_ring ring;
	char buf[8];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV", "recv(2) ENOTSOCK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, p[0], buf, sizeof(buf), 0, 1));
	EXPECT_EQ(-ENOTSOCK, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
