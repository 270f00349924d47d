// SPDX-License-Identifier: MIT
/*
 * uring/send-zc: IORING_OP_SEND_ZC (6.0) and IORING_OP_SENDMSG_ZC (6.1),
 * zero-copy sends that complete in two steps: a first CQE with the byte
 * count and IORING_CQE_F_MORE, then a notification CQE (IORING_CQE_F_NOTIF,
 * res 0, same user_data) once the kernel no longer needs the buffer. Also
 * registered buffers (IORING_RECVSEND_FIXED_BUF), usage reporting
 * (IORING_SEND_ZC_REPORT_USAGE), and the errors for a protocol without
 * zero-copy (AF_UNIX) and an unknown flag. Sources: io_uring_enter(2)
 * IORING_OP_SEND_ZC, io_uring_prep_send_zc(3), <linux/io_uring.h>, and
 * Documentation/networking/msg_zerocopy.rst (data to a local socket is
 * copied). Runs on a TCP connection over 127.0.0.1: skipped when loopback
 * is not up.
 */
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/uio.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { ZC_LEN = 3000, TAG = 0x2c2c };

/* Read exactly len bytes from fd (blocking); true when all came. */
static bool read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/*
 * Reap the CQEs of one zero-copy send tagged TAG: the first into *first and,
 * when it has IORING_CQE_F_MORE, the notification into *notif (else *notif
 * is zeroed). Returns 0 or the wait's error.
 */
static int reap_zc(struct io_uring *ring, struct io_uring_cqe *first,
		   struct io_uring_cqe *notif)
{
	int ret = uring_reap_one(ring, first);

	memset(notif, 0, sizeof(*notif));
	if (ret || !(first->flags & IORING_CQE_F_MORE))
		return ret;
	return uring_reap_one(ring, notif);
}

/*
 * Queue len bytes of buf on fd as one IORING_OP_SEND_ZC with zc_flags,
 * tagged TAG; submit it and reap its CQEs into *first and *notif.
 */
static void send_zc_and_reap(struct __test_metadata *_metadata,
			     struct io_uring *ring, int fd, void *buf,
			     size_t len, unsigned int zc_flags,
			     struct io_uring_cqe *first,
			     struct io_uring_cqe *notif)
{
	struct io_uring_sqe *sqe;

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_send_zc(sqe, fd, buf, len, 0, zc_flags);
	io_uring_sqe_set_data64(sqe, TAG);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, reap_zc(ring, first, notif));
}

/*
 * io_uring_enter(2) IORING_OP_SEND_ZC: the first CQE "follows the usual
 * rules", res is the number of bytes sent, and IORING_CQE_F_MORE in its
 * flags announces the notification (since 6.0).
 */
TEST(first_cqe_has_byte_count_and_f_more)
{
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	static char buf[ZC_LEN];
	int tx, rx;

	CONFORM_DECLARE("6.0", "IORING_OP_SEND_ZC",
			"io_uring_enter(2) IORING_OP_SEND_ZC: first CQE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_zc_and_reap(_metadata, &ring, tx, buf, sizeof(buf), 0,
			 &first, &notif);
	EXPECT_EQ(TAG, first.user_data);
	EXPECT_EQ(ZC_LEN, first.res);
	EXPECT_EQ(IORING_CQE_F_MORE, first.flags & (IORING_CQE_F_MORE | IORING_CQE_F_NOTIF));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * io_uring_enter(2) IORING_OP_SEND_ZC: the second CQE is the notification,
 * "with the user_data field set to the same value", res "set to zero and
 * the flags field will contain IORING_CQE_F_NOTIF"; being the last CQE of
 * the request it has no IORING_CQE_F_MORE (since 6.0).
 */
TEST(notification_has_same_user_data_res_zero_and_f_notif)
{
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	static char buf[ZC_LEN];
	int tx, rx;

	CONFORM_DECLARE("6.0", "IORING_OP_SEND_ZC",
			"io_uring_enter(2) IORING_OP_SEND_ZC: notification CQE, IORING_CQE_F_NOTIF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_zc_and_reap(_metadata, &ring, tx, buf, sizeof(buf), 0,
			 &first, &notif);
	ASSERT_EQ(IORING_CQE_F_MORE, first.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(TAG, notif.user_data);
	EXPECT_EQ(0, notif.res);
	EXPECT_EQ(IORING_CQE_F_NOTIF, notif.flags & (IORING_CQE_F_NOTIF | IORING_CQE_F_MORE));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/* send(2) semantics through IORING_OP_SEND_ZC: the peer receives the exact
 * bytes, in order (since 6.0). */
TEST(peer_receives_exact_bytes)
{
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	static char buf[ZC_LEN], in[ZC_LEN];
	int tx, rx;

	CONFORM_DECLARE("6.0", "IORING_OP_SEND_ZC",
			"send(2) through io_uring_enter(2) IORING_OP_SEND_ZC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_zc_and_reap(_metadata, &ring, tx, buf, sizeof(buf), 0,
			 &first, &notif);
	ASSERT_EQ(ZC_LEN, first.res);
	ASSERT_TRUE(read_all(rx, in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * <linux/io_uring.h> IORING_RECVSEND_FIXED_BUF: the data comes from a
 * registered buffer, buf_index naming it, addr/len a range inside it
 * (since 6.0). 1000 bytes from offset 500 of buffer 1.
 */
TEST(fixed_buffer_send_sends_the_registered_range)
{
	static char bufs[2][4096], in[1000];
	struct iovec iov[2] = {
		{ bufs[0], sizeof(bufs[0]) }, { bufs[1], sizeof(bufs[1]) },
	};
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int tx, rx;

	CONFORM_DECLARE("6.0", "IORING_RECVSEND_FIXED_BUF",
			"<linux/io_uring.h> IORING_RECVSEND_FIXED_BUF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	conform_fill_pattern(bufs[1], sizeof(bufs[1]), 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers(&ring, iov, 2));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_send_zc_fixed(sqe, tx, bufs[1] + 500, sizeof(in), 0, 0, 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, reap_zc(&ring, &first, &notif));
	ASSERT_EQ((int)sizeof(in), first.res);
	ASSERT_TRUE(read_all(rx, in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 500));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * io_uring_enter(2) IORING_OP_SEND_ZC: "The request may also fail with
 * -EOPNOTSUPP, when a protocol doesn't support zerocopy" - AF_UNIX does not
 * (since 6.0). "Even errored requests may generate a notification": when the
 * failed CQE has IORING_CQE_F_MORE a notification follows, and when it has
 * not, nothing does.
 */
TEST(unix_socket_gets_eopnotsupp)
{
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	char buf[64] = { 0 };
	int sv[2];

	CONFORM_DECLARE("6.0", "IORING_OP_SEND_ZC",
			"io_uring_enter(2) IORING_OP_SEND_ZC: EOPNOTSUPP when the protocol has no zerocopy");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_zc_and_reap(_metadata, &ring, sv[0], buf, sizeof(buf), 0,
			 &first, &notif);
	EXPECT_EQ(-EOPNOTSUPP, first.res);
	if (first.flags & IORING_CQE_F_MORE) {
		EXPECT_EQ(TAG, notif.user_data);
		EXPECT_EQ(IORING_CQE_F_NOTIF, notif.flags & IORING_CQE_F_NOTIF);
	}
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * <linux/io_uring.h>: the zero-copy flags live in sqe->ioprio and are
 * checked; an unknown bit (1 << 15) fails the request with -EINVAL
 * (io_uring_enter(2) CQE ERRORS: "EINVAL ... the flags field ... is
 * invalid"), nothing is sent (since 6.0).
 */
TEST(unknown_zc_flag_gets_einval)
{
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	char buf[64] = { 0 };
	int tx, rx;

	CONFORM_DECLARE("6.0", "IORING_OP_SEND_ZC",
			"io_uring_enter(2) CQE ERRORS EINVAL: unknown flag in sqe->ioprio");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_zc_and_reap(_metadata, &ring, tx, buf, sizeof(buf), 1U << 15,
			 &first, &notif);
	EXPECT_EQ(-EINVAL, first.res);
	EXPECT_FALSE(conform_fd_readable(rx, 0));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * <linux/io_uring.h> IORING_SEND_ZC_REPORT_USAGE: the notification's res
 * reports whether the data was copied, IORING_NOTIF_USAGE_ZC_COPIED; data
 * sent to a local socket is always copied on delivery
 * (msg_zerocopy.rst, "Loopback"), so over 127.0.0.1 res is exactly that
 * bit. Since 6.2 (also in Debian's 6.1, whose uapi header has the flag);
 * older kernels refuse the flag with -EINVAL, which skips.
 */
TEST(report_usage_marks_loopback_data_as_copied)
{
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	static char buf[ZC_LEN], in[ZC_LEN];
	int tx, rx;

	CONFORM_DECLARE("6.2", "IORING_SEND_ZC_REPORT_USAGE",
			"<linux/io_uring.h> IORING_SEND_ZC_REPORT_USAGE; msg_zerocopy.rst Loopback");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_zc_and_reap(_metadata, &ring, tx, buf, sizeof(buf),
			 REF_IORING_SEND_ZC_REPORT_USAGE, &first, &notif);
	if (first.res == -EINVAL)
		SKIP(goto out, "IORING_SEND_ZC_REPORT_USAGE: a SEND_ZC with it completes with -EINVAL (flag unknown)");
	ASSERT_EQ(ZC_LEN, first.res);
	ASSERT_EQ(IORING_CQE_F_MORE, first.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(IORING_CQE_F_NOTIF, notif.flags & IORING_CQE_F_NOTIF);
	EXPECT_EQ(REF_IORING_NOTIF_USAGE_ZC_COPIED, (unsigned int)notif.res);
	ASSERT_TRUE(read_all(rx, in, sizeof(in)));
out:
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * io_uring_enter(2) IORING_OP_SENDMSG_ZC: the zero-copy sendmsg(2), with the
 * same two-CQE model as IORING_OP_SEND_ZC (since 6.1). Three iovecs are
 * gathered in order; the first CQE has the total and F_MORE, the
 * notification F_NOTIF.
 */
TEST(sendmsg_zc_gathers_iovecs_and_posts_notification)
{
	static char buf[ZC_LEN], in[ZC_LEN];
	struct iovec iov[3] = {
		{ buf, 100 }, { buf + 100, 1900 }, { buf + 2000, 1000 },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int tx, rx;

	CONFORM_DECLARE("6.1", "IORING_OP_SENDMSG_ZC",
			"io_uring_enter(2) IORING_OP_SENDMSG_ZC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_sendmsg_zc(sqe, tx, &msg, 0);
	io_uring_sqe_set_data64(sqe, TAG);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, reap_zc(&ring, &first, &notif));
	EXPECT_EQ(ZC_LEN, first.res);
	ASSERT_EQ(IORING_CQE_F_MORE, first.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(TAG, notif.user_data);
	EXPECT_EQ(0, notif.res);
	EXPECT_EQ(IORING_CQE_F_NOTIF, notif.flags & IORING_CQE_F_NOTIF);
	ASSERT_TRUE(read_all(rx, in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

TEST_HARNESS_MAIN
