// SPDX-License-Identifier: MIT
/*
 * ref/ring-recv-send: IORING_OP_SEND and IORING_OP_RECV through the
 * reference ring on AF_UNIX stream socketpairs: data and byte counts, a recv
 * that waits for data, end of stream, MSG_PEEK, and the errors for a send
 * after shutdown and for a non-socket.
 */
#include <limits.h>

#include "ref/ring.h"

#include "conform.h"

CONFORM_SINCE("5.6", "IORING_OP_SEND/IORING_OP_RECV");

/* ---- CQE collection (the same block in each cases/ref program) ---- */

enum { LOG_MAX = 64 };
#define NO_CQE INT_MIN	/* res_of() of a user_data that never completed */

struct cqe_log {
	unsigned int n;
	struct io_uring_cqe cqe[LOG_MAX];
};

static inline void log_cqe(const struct io_uring_cqe *cqe, void *arg)
{
	struct cqe_log *log = arg;

	if (log->n < LOG_MAX)
		log->cqe[log->n] = *cqe;
	log->n++;
}

/*
 * Reap into log until it holds n CQEs. Each wait is bounded by 2 s: a guard
 * against a hang, not a timing check. 0, or the wait's error (-ETIME).
 */
static inline int reap_until(struct ref_ring *ring, struct cqe_log *log,
			     unsigned int n)
{
	const struct __kernel_timespec bound = { .tv_sec = 2 };

	for (;;) {
		int ret;

		ref_ring_for_each_completion(ring, log_cqe, log);
		if (log->n >= n)
			return 0;
		ret = ref_ring_wait(ring, 1, &bound);
		if (ret)
			return ret;
	}
}

/* The first logged CQE with this user_data, or NULL. */
static inline const struct io_uring_cqe *cqe_of(const struct cqe_log *log,
						uint64_t ud)
{
	for (unsigned int i = 0; i < log->n && i < LOG_MAX; i++)
		if (log->cqe[i].user_data == ud)
			return &log->cqe[i];
	return NULL;
}

static inline int res_of(const struct cqe_log *log, uint64_t ud)
{
	const struct io_uring_cqe *cqe = cqe_of(log, ud);

	return cqe ? cqe->res : NO_CQE;
}

/* True when no CQE comes within 20 ms: what was submitted is still pending. */
static inline bool nothing_completes(struct ref_ring *ring)
{
	const struct __kernel_timespec brief = { .tv_nsec = 20 * 1000 * 1000 };

	return ref_ring_cq_ready(ring) == 0 &&
	       ref_ring_wait(ring, 1, &brief) == -ETIME;
}

static int run_one(struct ref_ring *ring, uint64_t ud)
{
	struct cqe_log log = { 0 };

	if (ref_ring_submit(ring) != 1 || reap_until(ring, &log, 1))
		return NO_CQE;
	return res_of(&log, ud);
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

	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND);
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_send(&ring, sv[0], out, sizeof(out), 0, 1));
	EXPECT_EQ(300, run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], in, sizeof(in), 0, 2));
	EXPECT_EQ(300, run_one(&ring, 2));
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
	struct cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[64];
	int sv[2];

	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], buf, sizeof(buf), 0, 1));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_TRUE(nothing_completes(&ring));
	ASSERT_EQ(7, write(sv[0], "payload", 7));
	ASSERT_EQ(0, reap_until(&ring, &log, 1));
	EXPECT_EQ(7, res_of(&log, 1));
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
	struct cqe_log log = { 0 };
	struct ref_ring ring;
	char buf[64];
	int sv[2];

	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], buf, sizeof(buf), 0, 1));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_TRUE(nothing_completes(&ring));
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	ASSERT_EQ(0, reap_until(&ring, &log, 1));
	EXPECT_EQ(0, res_of(&log, 1));
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

	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(5, write(sv[0], "peek!", 5));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], a, sizeof(a), MSG_PEEK, 1));
	EXPECT_EQ(5, run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_recv(&ring, sv[1], b, sizeof(b), 0, 2));
	EXPECT_EQ(5, run_one(&ring, 2));
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

	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_send(&ring, sv[0], "x", 1, MSG_NOSIGNAL, 1));
	EXPECT_EQ(-EPIPE, run_one(&ring, 1));
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

	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_recv(&ring, p[0], buf, sizeof(buf), 0, 1));
	EXPECT_EQ(-ENOTSOCK, run_one(&ring, 1));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
