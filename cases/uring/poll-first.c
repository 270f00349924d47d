// SPDX-License-Identifier: MIT
/*
 * uring/poll-first: IORING_RECVSEND_POLL_FIRST (5.19) in sqe->ioprio of
 * IORING_OP_SEND, SENDMSG, RECV and RECVMSG: the request does not try the
 * transfer first but arms poll and runs when poll reports the socket
 * ready; data already queued (or room to send) is therefore still handled
 * at once, and an empty (or full) socket makes it wait. Also
 * IORING_CQE_F_SOCK_NONEMPTY (5.19), set on a receive CQE when data is
 * left in the socket and clear when the receive drained it (TCP reports
 * it), and -EINVAL for unknown ioprio bits of a receive. Sources:
 * <linux/io_uring.h> (IORING_RECVSEND_POLL_FIRST: "instead of first
 * attempting to send or receive and arm poll if that yields an -EAGAIN
 * result, arm poll upfront and skip the initial transfer attempt";
 * IORING_CQE_F_SOCK_NONEMPTY: "more data to read after socket recv"),
 * io_uring_prep_recv(3), kernel commit f548a12efd5a "io_uring: return hint
 * on whether more data is available after receive" (5.19). AF_UNIX
 * socketpairs, and TCP over 127.0.0.1 for SOCK_NONEMPTY.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG = 0x9f1 };

/* NULL when IORING_RECVSEND_POLL_FIRST is known (5.19); else why not. */
static const char *poll_first_missing(void)
{
	const char *why = conform_uring_op_missing(IORING_OP_RECV,
						   "IORING_OP_RECV");
	struct io_uring_sqe sqe;
	char c;
	int sv[2];

	if (why)
		return why;
	if (conform_socketpair(sv))
		return CONFORM_ENV "socketpair(AF_UNIX) failed";
	if (write(sv[1], "p", 1) != 1) {
		close(sv[0]);
		close(sv[1]);
		return CONFORM_ENV "write to a socketpair failed";
	}
	io_uring_prep_recv(&sqe, sv[0], &c, 1, 0);
	sqe.ioprio = IORING_RECVSEND_POLL_FIRST;
	why = uring_flag_result_missing(&sqe, 1, "a recv of a queued byte",
					"IORING_RECVSEND_POLL_FIRST");
	close(sv[0]);
	close(sv[1]);
	return why;
}

#define REQUIRE_POLL_FIRST() CONFORM_REQUIRE(poll_first_missing())

/* Queue one recv of len bytes into buf on fd with ioprio, tagged TAG. */
static struct io_uring_sqe *queue_recv(struct io_uring *ring, int fd,
				       void *buf, size_t len,
				       unsigned int ioprio)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (sqe) {
		io_uring_prep_recv(sqe, fd, buf, len, 0);
		sqe->ioprio = (__u16)ioprio;
		io_uring_sqe_set_data64(sqe, TAG);
	}
	return sqe;
}

/* Read from fd without blocking until it is empty; the bytes read. */
static long drain(int fd)
{
	char buf[4096];
	long total = 0;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		total += n;
	return total;
}

/* Read exactly len bytes from fd (blocking reads); true when all came. */
static bool read_exact(int fd, size_t len)
{
	char buf[4096];

	while (len > 0) {
		ssize_t n = read(fd, buf, len < sizeof(buf) ? len : sizeof(buf));

		if (n <= 0)
			return false;
		len -= (size_t)n;
	}
	return true;
}

/*
 * <linux/io_uring.h> IORING_RECVSEND_POLL_FIRST (since 5.19): only the
 * first attempt is skipped; poll finds the queued data at once, so a recv
 * of a socket with 5 bytes queued completes with them.
 */
TEST(recv_poll_first_with_data_queued_completes_with_it)
{
	struct io_uring ring;
	char buf[16];
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"<linux/io_uring.h> IORING_RECVSEND_POLL_FIRST");
	REQUIRE_POLL_FIRST();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(5, write(sv[1], "hello", 5));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_recv(&ring, sv[0], buf, sizeof(buf),
				   IORING_RECVSEND_POLL_FIRST));
	ASSERT_EQ(5, uring_submit_res(&ring));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * IORING_RECVSEND_POLL_FIRST (since 5.19): on an empty socket the recv
 * waits for poll (no CQE), and completes with the data once the peer
 * writes it.
 */
TEST(recv_poll_first_on_empty_socket_waits_for_data)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	char buf[16];
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"<linux/io_uring.h> IORING_RECVSEND_POLL_FIRST");
	REQUIRE_POLL_FIRST();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_recv(&ring, sv[0], buf, sizeof(buf),
				   IORING_RECVSEND_POLL_FIRST));
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(3, write(sv[1], "abc", 3));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * IORING_RECVSEND_POLL_FIRST applies to IORING_OP_RECVMSG too (since
 * 5.19): a recvmsg of an empty socket waits, then scatters the data that
 * arrives.
 */
TEST(recvmsg_poll_first_waits_for_data)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct msghdr msg;
	struct iovec iov;
	char buf[16];
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"<linux/io_uring.h> IORING_RECVSEND_POLL_FIRST");
	REQUIRE_POLL_FIRST();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_recvmsg(sqe, sv[0], &msg, 0);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(4, write(sv[1], "msg!", 4));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "msg!", 4));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * IORING_RECVSEND_POLL_FIRST on IORING_OP_SEND (since 5.19): a socket with
 * room is reported writable at once, so the send completes with its byte
 * count and the peer reads the data.
 */
TEST(send_poll_first_on_writable_socket_sends)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	char buf[8];
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"<linux/io_uring.h> IORING_RECVSEND_POLL_FIRST");
	REQUIRE_POLL_FIRST();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_send(sqe, sv[0], "sent", 4, 0);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	ASSERT_EQ(4, uring_submit_res(&ring));
	ASSERT_EQ(4, read(sv[1], buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "sent", 4));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * IORING_RECVSEND_POLL_FIRST on IORING_OP_SENDMSG (since 5.19): with the
 * socket's send buffer full the request waits for poll to report room; once
 * the peer has read everything it completes with its byte count.
 */
TEST(sendmsg_poll_first_on_full_socket_waits_for_room)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct msghdr msg;
	struct iovec iov;
	long filled;
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"<linux/io_uring.h> IORING_RECVSEND_POLL_FIRST");
	REQUIRE_POLL_FIRST();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_LT(0, filled = conform_fill_until_full(sv[0]));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	iov.iov_base = "room";
	iov.iov_len = 4;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_sendmsg(sqe, sv[0], &msg, 0);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_TRUE(read_exact(sv[1], (size_t)filled));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(4, drain(sv[1]));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A POLL_FIRST recv waiting on its poll is a pending request like any
 * other: IORING_OP_ASYNC_CANCEL of its user_data finds it (res 0) and the
 * recv completes with -ECANCELED (io_uring_prep_cancel(3); since 5.19).
 */
TEST(waiting_poll_first_recv_is_cancelled)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	__u64 tags[2] = { TAG, 0xcc };
	int res[2];
	char buf[8];
	int sv[2];

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"io_uring_prep_cancel(3); <linux/io_uring.h> IORING_RECVSEND_POLL_FIRST");
	REQUIRE_POLL_FIRST();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_recv(&ring, sv[0], buf, sizeof(buf),
				   IORING_RECVSEND_POLL_FIRST));
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_cancel64(sqe, TAG, 0);
	io_uring_sqe_set_data64(sqe, 0xcc);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A connected TCP pair over 127.0.0.1 with len bytes written from *c,
 * all of them queued on *s (FIONREAD, bounded wait): the state the
 * SOCK_NONEMPTY tests need. Skips without loopback.
 */
static void tcp_pair_with_queued(struct __test_metadata *_metadata, int *c,
				 int *s, size_t len)
{
	char data[256];
	struct timespec start, now;
	int inq = 0;

	ASSERT_GE(sizeof(data), len);
	conform_fill_pattern(data, len, 0);
	ASSERT_EQ((ssize_t)len, write(*c, data, len));
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ioctl(*s, FIONREAD, &inq) == 0 && inq < (int)len) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ASSERT_GT(2, now.tv_sec - start.tv_sec);
		conform_fd_readable(*s, 10);
	}
	ASSERT_EQ((int)len, inq);
}

/*
 * <linux/io_uring.h>: "IORING_CQE_F_SOCK_NONEMPTY If set, more data to
 * read after socket recv" (commit f548a12efd5a, since 5.19; TCP passes the
 * hint back). A recv of 10 of 100 queued bytes has it set.
 */
TEST(recv_cqe_has_sock_nonempty_while_data_remains)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	char buf[10];
	int c, s;

	CONFORM_DECLARE("5.19", "IORING_CQE_F_SOCK_NONEMPTY",
			"<linux/io_uring.h> IORING_CQE_F_SOCK_NONEMPTY; commit f548a12efd5a");
	/* Came in the same 5.19 series as the receive flags: probed by
	 * IORING_RECVSEND_POLL_FIRST. */
	REQUIRE_POLL_FIRST();
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	tcp_pair_with_queued(_metadata, &c, &s, 100);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_recv(&ring, s, buf, sizeof(buf), 0));
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(10, cqe.res);
	EXPECT_EQ(IORING_CQE_F_SOCK_NONEMPTY,
		  cqe.flags & IORING_CQE_F_SOCK_NONEMPTY);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(c);
	close(s);
}

/*
 * IORING_CQE_F_SOCK_NONEMPTY is a hint of data left (since 5.19): a recv
 * whose buffer takes all 100 queued bytes leaves the socket empty, and its
 * CQE does not have the flag.
 */
TEST(recv_that_drains_the_socket_has_no_sock_nonempty)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	char buf[200];
	int c, s;

	CONFORM_DECLARE("5.19", "IORING_CQE_F_SOCK_NONEMPTY",
			"<linux/io_uring.h> IORING_CQE_F_SOCK_NONEMPTY; commit f548a12efd5a");
	REQUIRE_POLL_FIRST();
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	tcp_pair_with_queued(_metadata, &c, &s, 100);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_recv(&ring, s, buf, sizeof(buf), 0));
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(100, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_SOCK_NONEMPTY);
	EXPECT_TRUE(conform_check_pattern(buf, 100, 0));
	io_uring_queue_exit(&ring);
	close(c);
	close(s);
}

/*
 * io_uring/net.c io_recvmsg_prep(): "if (sr->flags & ~RECVMSG_FLAGS)
 * return -EINVAL" - ioprio bits that are no receive flag fail the recv
 * (since 5.19, when ioprio became the flags word; mainline before it
 * ignored ioprio there, stable kernels got the check by commit
 * 73911426aaaa "io_uring: ensure that send/sendmsg and recv/recvmsg check
 * sqe->ioprio"). Bit 7 is no flag; the queued byte stays unread. A kernel
 * that receives the byte ignores ioprio: skipped, with that said.
 */
TEST(unknown_recv_ioprio_bit_gets_einval)
{
	struct io_uring ring;
	char buf[8];
	int sv[2], res;

	CONFORM_DECLARE("5.19", "IORING_RECVSEND_POLL_FIRST",
			"io_uring/net.c io_recvmsg_prep() EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(1, write(sv[1], "u", 1));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, queue_recv(&ring, sv[0], buf, sizeof(buf), 1U << 7));
	res = uring_submit_res(&ring);
	io_uring_queue_exit(&ring);
	if (res == 1) {
		close(sv[0]);
		close(sv[1]);
		SKIP(return, "a recv with unknown ioprio bit 7 received the byte: this kernel ignores sqe->ioprio of a receive (no receive flags)");
	}
	EXPECT_EQ(-EINVAL, res);
	EXPECT_EQ(1, drain(sv[0]));
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
