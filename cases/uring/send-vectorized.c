// SPDX-License-Identifier: MIT
/*
 * uring/send-vectorized: IORING_SEND_VECTORIZED (6.17) in sqe->ioprio of
 * IORING_OP_SEND and IORING_OP_SEND_ZC: sqe->addr is then an array of
 * struct iovec and sqe->len their count, a writev(2)-like gather without a
 * msghdr. Covered: the data of all iovecs arrives in order (stream and,
 * with a destination address in addr2, one datagram), the zero-copy send
 * with its notification, the errors of the iovec import (EFAULT for an
 * unreadable array, EINVAL for more than IOV_MAX entries) and of the copy
 * (EFAULT for an unreadable iov_base), and the vectorized zero-copy send
 * from registered buffers (IORING_RECVSEND_FIXED_BUF, 7.1). A kernel
 * without the flag fails the send with -EINVAL (5.19 to 6.16, and stable
 * kernels with commit 73911426aaaa), or, mainline before 5.19, ignores
 * ioprio and sends the iovec array itself: both are probed.
 * Sources: <linux/io_uring.h> ("IORING_SEND_VECTORIZED If set, SEND[_ZC]
 * will take a pointer to a io_vec to allow vectorized send operations"),
 * writev(2), sendmsg(2), io_uring/net.c io_send_setup(), kernel commit
 * dce00c83035b "io_uring/net: allow vectorised regbuf send zc" (7.1).
 */
#include <liburing.h>
#include <limits.h>
#include <netinet/in.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG = 0x5e4d };

/* A send (or SEND_ZC) of the cnt iovecs at iov on fd, vectorized. */
static void prep_send_vec(struct io_uring_sqe *sqe, bool zc, int fd,
			  const struct iovec *iov, unsigned int cnt)
{
	if (zc)
		io_uring_prep_send_zc(sqe, fd, iov, cnt, 0, 0);
	else
		io_uring_prep_send(sqe, fd, iov, cnt, 0);
	sqe->ioprio |= REF_IORING_SEND_VECTORIZED;
	io_uring_sqe_set_data64(sqe, TAG);
}

/*
 * NULL when IORING_OP_SEND takes IORING_SEND_VECTORIZED (6.17): a send of
 * two iovecs of 2 and 3 bytes on a socketpair sends 5 bytes. Before 6.17
 * it gets -EINVAL; mainline before 5.19 ignores ioprio and sends the first
 * 2 bytes of the iovec array itself (res 2).
 */
static const char *send_vectorized_missing(void)
{
	const char *why = conform_uring_op_missing(IORING_OP_SEND,
						   "IORING_OP_SEND");
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	struct io_uring_sqe sqe;
	int sv[2];

	if (why)
		return why;
	if (conform_socketpair(sv))
		return CONFORM_ENV "socketpair(AF_UNIX) failed";
	prep_send_vec(&sqe, false, sv[0], iov, 2);
	why = uring_flag_result_missing(&sqe, 5, "a send of 2 iovecs of 5 bytes",
					"IORING_SEND_VECTORIZED");
	close(sv[0]);
	close(sv[1]);
	return why;
}

#define REQUIRE_SEND_VECTORIZED() CONFORM_REQUIRE(send_vectorized_missing())

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
 * Reap the CQEs of one zero-copy send: the first into *first and, when it
 * has IORING_CQE_F_MORE, the notification into *notif (else zeroed).
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
 * NULL when IORING_OP_SEND_ZC takes IORING_SEND_VECTORIZED (6.17), probed
 * on the TCP pair c -> s the test uses: a vectorized SEND_ZC of 2 iovecs
 * of 5 bytes sends 5 (the bytes are read off s again). Else why not.
 */
static const char *send_zc_vectorized_missing(int c, int s)
{
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	char buf[5];
	int ret;

	if (conform_uring_op_missing(IORING_OP_SEND_ZC, "IORING_OP_SEND_ZC"))
		return conform_why;
	if (io_uring_queue_init(4, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	sqe = io_uring_get_sqe(&ring);
	prep_send_vec(sqe, true, c, iov, 2);
	ret = io_uring_submit(&ring) == 1 ? reap_zc(&ring, &first, &notif) : -1;
	io_uring_queue_exit(&ring);
	if (ret)
		return "IORING_SEND_VECTORIZED: the SEND_ZC probe did not complete";
	if (first.res == 5 && read_all(s, buf, sizeof(buf)))
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_SEND_VECTORIZED: a SEND_ZC of 2 iovecs of 5 bytes with it completes with %d%s",
		 first.res, first.res == -EINVAL ? " (flag unknown to SEND_ZC)" : "");
	return conform_why;
}

/*
 * <linux/io_uring.h> IORING_SEND_VECTORIZED, writev(2): "Buffers are
 * processed in array order"; a vectorized IORING_OP_SEND of three iovecs
 * (one of them empty) completes with their total length and the peer reads
 * the bytes in iovec order (since 6.17).
 */
TEST(vectorized_send_sends_all_iovecs_in_order)
{
	struct iovec iov[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	char buf[16];
	int sv[2];

	CONFORM_DECLARE("6.17", "IORING_SEND_VECTORIZED",
			"<linux/io_uring.h> IORING_SEND_VECTORIZED; writev(2)");
	REQUIRE_SEND_VECTORIZED();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_send_vec(sqe, false, sv[0], iov, 3);
	ASSERT_EQ(8, uring_submit_res(&ring));
	ASSERT_TRUE(read_all(sv[1], buf, 8));
	EXPECT_EQ(0, memcmp(buf, "abcdefgh", 8));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * sendmsg(2)/sendto(2) on a datagram socket: the gathered data is one
 * datagram, sent to the address given. A vectorized IORING_OP_SEND with
 * the destination in addr2/addr_len (io_uring_prep_send_set_addr(3)) sends
 * the two iovecs as one datagram to an unconnected AF_UNIX datagram socket
 * (since 6.17).
 */
TEST(vectorized_send_with_address_sends_one_datagram)
{
	struct iovec iov[2] = { { "one", 3 }, { "gram", 4 } };
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	socklen_t slen;
	char buf[16];
	int rx, tx;

	CONFORM_DECLARE("6.17", "IORING_SEND_VECTORIZED",
			"<linux/io_uring.h> IORING_SEND_VECTORIZED; sendto(2)");
	REQUIRE_SEND_VECTORIZED();
	ASSERT_NE(0, slen = uring_unix_addr(&sun, "rx.sock"));
	ASSERT_LE(0, rx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, bind(rx, (struct sockaddr *)&sun, slen));
	ASSERT_LE(0, tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_send_vec(sqe, false, tx, iov, 2);
	io_uring_prep_send_set_addr(sqe, (struct sockaddr *)&sun, (__u16)slen);
	ASSERT_EQ(7, uring_submit_res(&ring));
	EXPECT_EQ(7, recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "onegram", 7));
	EXPECT_EQ(-1, recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
	unlink(sun.sun_path);
}

/*
 * <linux/io_uring.h> IORING_SEND_VECTORIZED on IORING_OP_SEND_ZC (since
 * 6.17): the first CQE has the total of the iovecs and IORING_CQE_F_MORE,
 * the notification follows (IORING_CQE_F_NOTIF), and the peer of the TCP
 * connection reads the bytes in iovec order.
 */
TEST(vectorized_send_zc_sends_all_iovecs_in_order)
{
	static char data[3000], in[3000];
	struct iovec iov[3];
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int c, s;

	CONFORM_DECLARE("6.17", "IORING_SEND_VECTORIZED",
			"<linux/io_uring.h> IORING_SEND_VECTORIZED, IORING_OP_SEND_ZC");
	REQUIRE_SEND_VECTORIZED();
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	CONFORM_REQUIRE(send_zc_vectorized_missing(c, s));
	conform_fill_pattern(data, sizeof(data), 0);
	iov[0] = (struct iovec){ data, 1000 };
	iov[1] = (struct iovec){ data + 1000, 1500 };
	iov[2] = (struct iovec){ data + 2500, 500 };
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_send_vec(sqe, true, c, iov, 3);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, reap_zc(&ring, &first, &notif));
	EXPECT_EQ(3000, first.res);
	EXPECT_EQ(IORING_CQE_F_MORE, first.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(TAG, notif.user_data);
	EXPECT_EQ(IORING_CQE_F_NOTIF, notif.flags & IORING_CQE_F_NOTIF);
	ASSERT_TRUE(read_all(s, in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(c);
	close(s);
}

/*
 * writev(2) EFAULT (and the iovec import of io_send_setup(), since 6.17):
 * an iovec array at an unmapped address fails the send with -EFAULT and
 * nothing is sent.
 */
TEST(vectorized_send_with_unreadable_iovec_array_gets_efault)
{
	struct io_uring_sqe sqe;
	void *gone;
	int sv[2];

	CONFORM_DECLARE("6.17", "IORING_SEND_VECTORIZED",
			"writev(2) EFAULT; io_uring/net.c io_send_setup()");
	REQUIRE_SEND_VECTORIZED();
	ASSERT_NE(MAP_FAILED, gone = mmap(NULL, 4096, PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	ASSERT_EQ(0, conform_socketpair(sv));
	prep_send_vec(&sqe, false, sv[0], gone, 2);
	EXPECT_EQ(-EFAULT, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	close(sv[0]);
	close(sv[1]);
	munmap(gone, 4096);
}

/*
 * send(2) EFAULT: "An invalid user space address was specified for an
 * argument"; a vectorized send whose only iovec points at unmapped memory
 * fails with -EFAULT when the data is copied, nothing sent (since 6.17).
 */
TEST(vectorized_send_with_unreadable_iov_base_gets_efault)
{
	struct iovec iov[1];
	struct io_uring_sqe sqe;
	void *gone;
	int sv[2];

	CONFORM_DECLARE("6.17", "IORING_SEND_VECTORIZED", "send(2) EFAULT");
	REQUIRE_SEND_VECTORIZED();
	ASSERT_NE(MAP_FAILED, gone = mmap(NULL, 4096, PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	ASSERT_EQ(0, conform_socketpair(sv));
	iov[0] = (struct iovec){ gone, 16 };
	prep_send_vec(&sqe, false, sv[0], iov, 1);
	EXPECT_EQ(-EFAULT, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	close(sv[0]);
	close(sv[1]);
	munmap(gone, 4096);
}

/*
 * writev(2) EINVAL: "The vector count, iovcnt, is less than zero or greater
 * than the permitted maximum" (IOV_MAX, the kernel's UIO_MAXIOV); a
 * vectorized send of IOV_MAX + 1 iovecs gets -EINVAL (since 6.17).
 */
TEST(vectorized_send_with_more_than_iov_max_iovecs_gets_einval)
{
	static struct iovec iov[IOV_MAX + 1];
	struct io_uring_sqe sqe;
	char byte = 'x';
	int sv[2];

	CONFORM_DECLARE("6.17", "IORING_SEND_VECTORIZED", "writev(2) EINVAL iovcnt");
	REQUIRE_SEND_VECTORIZED();
	for (int i = 0; i <= IOV_MAX; i++)
		iov[i] = (struct iovec){ &byte, 1 };
	ASSERT_EQ(0, conform_socketpair(sv));
	prep_send_vec(&sqe, false, sv[0], iov, IOV_MAX + 1);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	close(sv[0]);
	close(sv[1]);
}

/*
 * Kernel commit dce00c83035b "io_uring/net: allow vectorised regbuf send
 * zc" (7.1): IORING_SEND_VECTORIZED with IORING_RECVSEND_FIXED_BUF on
 * IORING_OP_SEND_ZC takes the iovecs as ranges of the registered buffer
 * buf_index; the peer reads them in order. Kernels 6.17 to 7.0 refuse the
 * combination with -EINVAL (io_send_setup()), probed here.
 */
TEST(vectorized_send_zc_from_registered_buffer_sends_the_ranges)
{
	static char in[3000];
	struct io_uring_cqe first, notif;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct iovec reg, iov[2];
	char *buf;
	int c, s;

	CONFORM_DECLARE("7.1", "IORING_SEND_VECTORIZED",
			"commit dce00c83035b io_uring/net: allow vectorised regbuf send zc");
	REQUIRE_SEND_VECTORIZED();
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	CONFORM_REQUIRE(send_zc_vectorized_missing(c, s));
	ASSERT_NE(NULL, buf = uring_anon_buf(8192));
	conform_fill_pattern(buf, 8192, 0);
	reg = (struct iovec){ buf, 8192 };
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &reg, 1));
	/* Bytes 5000..6999, then 0..999: out of buffer order on purpose. */
	iov[0] = (struct iovec){ buf + 5000, 2000 };
	iov[1] = (struct iovec){ buf, 1000 };
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_send_vec(sqe, true, c, iov, 2);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = 0;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, reap_zc(&ring, &first, &notif));
	if (first.res == -EINVAL) {
		io_uring_queue_exit(&ring);
		munmap(buf, 8192);
		close(c);
		close(s);
		SKIP(return, "IORING_SEND_VECTORIZED with IORING_RECVSEND_FIXED_BUF on SEND_ZC gets -EINVAL: no vectorised registered-buffer send (before 7.1)");
	}
	EXPECT_EQ(3000, first.res);
	EXPECT_EQ(IORING_CQE_F_NOTIF, notif.flags & IORING_CQE_F_NOTIF);
	ASSERT_TRUE(read_all(s, in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, 2000, 5000));
	EXPECT_TRUE(conform_check_pattern(in + 2000, 1000, 0));
	io_uring_queue_exit(&ring);
	munmap(buf, 8192);
	close(c);
	close(s);
}

TEST_HARNESS_MAIN
