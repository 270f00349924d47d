// SPDX-License-Identifier: MIT
/*
 * uring/send-zc: IORING_OP_SEND_ZC (6.0) and IORING_OP_SENDMSG_ZC (6.1),
 * zero-copy sends that complete in two steps: a first CQE with the byte
 * count and IORING_CQE_F_MORE, then a notification CQE (IORING_CQE_F_NOTIF,
 * res 0, same user_data) once the kernel no longer needs the buffer. Also
 * registered buffers (IORING_RECVSEND_FIXED_BUF), usage reporting
 * (IORING_SEND_ZC_REPORT_USAGE), and the errors for a protocol without
 * zero-copy (AF_UNIX), a non-socket (ENOTSOCK), an unknown flag (also on
 * SENDMSG_ZC), an unmapped msghdr (EFAULT), a fixed-buffer index with no
 * buffer registered (EFAULT), and IORING_SEND_ZC_REPORT_USAGE on a plain
 * IORING_OP_SEND (EINVAL). Sources: io_uring_enter(2)
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

/*
 * Copy *in into a new SQE of ring, tagged TAG, submit it and reap its CQEs
 * (reap_zc()): for the requests filled by hand.
 */
static void run_zc_sqe(struct __test_metadata *_metadata,
		       struct io_uring *ring, const struct io_uring_sqe *in,
		       struct io_uring_cqe *first, struct io_uring_cqe *notif)
{
	struct io_uring_sqe *sqe;

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	*sqe = *in;
	io_uring_sqe_set_data64(sqe, TAG);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, reap_zc(ring, first, notif));
}

/*
 * A zero-copy request that failed with err: io_uring_enter(2)
 * IORING_OP_SEND_ZC, "Even errored requests may generate a notification":
 * when the failed CQE has IORING_CQE_F_MORE, the notification (same
 * user_data, IORING_CQE_F_NOTIF) follows; after that, nothing.
 */
static void expect_zc_failed(struct __test_metadata *_metadata,
			     struct io_uring *ring,
			     const struct io_uring_cqe *first,
			     const struct io_uring_cqe *notif, int err)
{
	EXPECT_EQ(TAG, first->user_data);
	EXPECT_EQ(err, first->res);
	if (first->flags & IORING_CQE_F_MORE) {
		EXPECT_EQ(TAG, notif->user_data);
		EXPECT_EQ(IORING_CQE_F_NOTIF, notif->flags & IORING_CQE_F_NOTIF);
	}
	EXPECT_EQ(-ETIME, uring_wait_briefly(ring));
}

/*
 * io_uring_enter(2) CQE ERRORS: EFAULT, "buffer is outside of the
 * process' accessible address space": an IORING_OP_SENDMSG_ZC whose msghdr
 * (addr) points at an unmapped page fails with -EFAULT, and nothing is sent
 * (sendmsg(2) EFAULT: "An invalid user space address was specified for an
 * argument"; since 6.1).
 */
TEST(sendmsg_zc_with_unmapped_msghdr_gets_efault)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct io_uring_cqe first, notif;
	struct io_uring_sqe sqe;
	struct io_uring ring;
	void *gone;
	int tx, rx;

	CONFORM_DECLARE("6.1", "IORING_OP_SENDMSG_ZC",
			"io_uring_enter(2) CQE ERRORS EFAULT; sendmsg(2) EFAULT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	/* Unmapped last, so that no later mapping (the ring's) takes it. */
	ASSERT_NE(NULL, gone = uring_anon_buf(page));
	ASSERT_EQ(0, munmap(gone, page));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_sendmsg_zc(&sqe, tx, gone, 0);
	run_zc_sqe(_metadata, &ring, &sqe, &first, &notif);
	expect_zc_failed(_metadata, &ring, &first, &notif, -EFAULT);
	EXPECT_FALSE(conform_fd_readable(rx, 0));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * <linux/io_uring.h>: IORING_OP_SENDMSG_ZC takes the same zero-copy flags
 * in sqe->ioprio as IORING_OP_SEND_ZC and checks them the same way
 * (kernel io_send_zc_prep(), shared by both): an unknown bit (1 << 15)
 * fails the request with -EINVAL (io_uring_enter(2) CQE ERRORS: "EINVAL
 * ... the flags field ... is invalid"), nothing is sent (since 6.1).
 */
TEST(sendmsg_zc_with_unknown_flag_gets_einval)
{
	static char buf[64];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_cqe first, notif;
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int tx, rx;

	CONFORM_DECLARE("6.1", "IORING_OP_SENDMSG_ZC",
			"io_uring_enter(2) CQE ERRORS EINVAL: unknown flag in sqe->ioprio; io_uring/net.c io_send_zc_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SENDMSG_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_sendmsg_zc(&sqe, tx, &msg, 0);
	sqe.ioprio = 1U << 15;
	run_zc_sqe(_metadata, &ring, &sqe, &first, &notif);
	expect_zc_failed(_metadata, &ring, &first, &notif, -EINVAL);
	EXPECT_FALSE(conform_fd_readable(rx, 0));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * <linux/io_uring.h> IORING_RECVSEND_FIXED_BUF: "the index is stored in
 * the buf_index field"; an index past the registered buffers fails with
 * -EFAULT, as io_uring_enter(2) CQE ERRORS gives for fixed-buffer requests
 * whose buffer "was not registered" (since 6.0). One buffer registered
 * (index 0), index 1 asked for; nothing is sent.
 */
TEST(fixed_buffer_send_with_unregistered_index_gets_efault)
{
	struct io_uring_cqe first, notif;
	struct io_uring_sqe sqe;
	struct io_uring ring;
	struct iovec iov;
	int tx, rx;

	CONFORM_DECLARE("6.0", "IORING_RECVSEND_FIXED_BUF",
			"<linux/io_uring.h> IORING_RECVSEND_FIXED_BUF; io_uring_enter(2) CQE ERRORS EFAULT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	/* Anonymous memory: 6.1 refuses to register file-backed pages. */
	iov.iov_len = 4096;
	ASSERT_NE(NULL, iov.iov_base = uring_anon_buf(iov.iov_len));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &iov, 1));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_send_zc_fixed(&sqe, tx, iov.iov_base, 100, 0, 0, 1);
	run_zc_sqe(_metadata, &ring, &sqe, &first, &notif);
	expect_zc_failed(_metadata, &ring, &first, &notif, -EFAULT);
	EXPECT_FALSE(conform_fd_readable(rx, 0));
	io_uring_queue_exit(&ring);
	munmap(iov.iov_base, iov.iov_len);
	close(tx);
	close(rx);
}

/*
 * NULL when IORING_OP_SEND_ZC knows IORING_SEND_ZC_REPORT_USAGE: a SEND_ZC
 * with it on an AF_UNIX socket gets past the flag check (it then fails
 * with -EOPNOTSUPP, no zero-copy there); kernels without the flag refuse
 * it with -EINVAL. Probed on a ring and a socket pair of their own.
 */
static const char *report_usage_missing(void)
{
	struct io_uring_sqe sqe;
	const char *why;
	char buf[8] = { 0 };
	int sv[2];

	if (conform_socketpair(sv))
		return CONFORM_ENV "socketpair failed in the IORING_SEND_ZC_REPORT_USAGE probe";
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_send_zc(&sqe, sv[0], buf, sizeof(buf), 0,
			      REF_IORING_SEND_ZC_REPORT_USAGE);
	why = uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					"a SEND_ZC on an AF_UNIX socket",
					"IORING_SEND_ZC_REPORT_USAGE");
	close(sv[0]);
	close(sv[1]);
	return why;
}

/*
 * <linux/io_uring.h>: IORING_SEND_ZC_REPORT_USAGE is a flag of the
 * zero-copy sends only ("cqe.res for IORING_CQE_F_NOTIF if
 * IORING_SEND_ZC_REPORT_USAGE was requested"); a plain IORING_OP_SEND
 * checks its sqe->ioprio against its own flags (kernel io_sendmsg_prep(),
 * "sr->flags & ~SENDMSG_FLAGS") and fails with -EINVAL, sending nothing.
 * Since 6.2, the flag's release (Debian's 6.1 has it too); the check of
 * IORING_OP_SEND's flags is from 5.19.
 */
TEST(report_usage_on_plain_send_gets_einval)
{
	char buf[64] = { 0 };
	struct io_uring_sqe sqe;
	int tx, rx;

	CONFORM_DECLARE("6.2", "IORING_SEND_ZC_REPORT_USAGE",
			"<linux/io_uring.h> IORING_SEND_ZC_REPORT_USAGE; io_uring/net.c io_sendmsg_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	CONFORM_REQUIRE(report_usage_missing());
	CONFORM_REQUIRE(conform_tcp_pair(&tx, &rx));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_send(&sqe, tx, buf, sizeof(buf), 0);
	sqe.ioprio = REF_IORING_SEND_ZC_REPORT_USAGE;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(rx, 0));
	close(tx);
	close(rx);
}

/*
 * io_uring_enter(2) IORING_OP_SEND_ZC is send(2) "with zero copy":
 * send(2) ERRORS ENOTSOCK, "The file descriptor sockfd does not refer to
 * a socket": a SEND_ZC on a pipe fails with -ENOTSOCK, and nothing reaches
 * the pipe (since 6.0).
 */
TEST(send_zc_on_pipe_gets_enotsock)
{
	struct io_uring_cqe first, notif;
	struct io_uring_sqe sqe;
	struct io_uring ring;
	char buf[64] = { 0 };
	int p[2];

	CONFORM_DECLARE("6.0", "IORING_OP_SEND_ZC",
			"io_uring_enter(2) IORING_OP_SEND_ZC; send(2) ENOTSOCK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SEND_ZC);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_send_zc(&sqe, p[1], buf, sizeof(buf), 0, 0);
	run_zc_sqe(_metadata, &ring, &sqe, &first, &notif);
	expect_zc_failed(_metadata, &ring, &first, &notif, -ENOTSOCK);
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
