// SPDX-License-Identifier: MIT
/*
 * uring/accept-flags: the IORING_OP_ACCEPT flags of sqe->ioprio added in
 * 6.10. IORING_ACCEPT_DONTWAIT: an accept with nothing pending completes
 * with -EAGAIN at once instead of waiting (a pending connection is still
 * taken); IORING_ACCEPT_POLL_FIRST: the accept is not tried first but
 * waits for poll to report a connection (a pending one is still taken);
 * IORING_ACCEPT_MULTISHOT (5.19) with DONTWAIT takes what is pending and
 * then ends with -EAGAIN; IORING_CQE_F_SOCK_NONEMPTY on an accept CQE
 * while more connections are queued (6.10); and an unknown ioprio bit,
 * which every kernel refuses with -EINVAL (that is also how a kernel
 * without the 6.10 flags is probed). Sources: io_uring_prep_accept(3),
 * <linux/io_uring.h>, kernel commits "io_uring/net: add
 * IORING_ACCEPT_DONTWAIT flag", "io_uring/net: add IORING_ACCEPT_POLL_FIRST
 * flag" (d3da8e985926) and "io_uring/net: wire up
 * IORING_CQE_F_SOCK_NONEMPTY for accept" (ac287da2e0ea), all 6.10. AF_UNIX
 * listeners, and TCP over 127.0.0.1 where the kernel reports the queue
 * state (TCP only).
 */
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/un.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG = 0xacc };

/* A listening AF_UNIX stream socket at <tmpdir>/<name>; -1 on error. */
static int unix_listener(const char *name, struct sockaddr_un *sun)
{
	int fd;

	if (!uring_unix_addr(sun, name))
		return -1;
	unlink(sun->sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)sun, sizeof(*sun)) < 0 ||
	    listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A client connected to sun: AF_UNIX connects are queued synchronously. */
static int unix_client(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* An accept of lfd with the IORING_ACCEPT_* flags in ioprio, tagged TAG. */
static void prep_accept_flags(struct io_uring_sqe *sqe, int lfd,
			      unsigned int ioprio)
{
	memset(sqe, 0, sizeof(*sqe));
	io_uring_prep_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
	sqe->ioprio = (__u16)ioprio;
	io_uring_sqe_set_data64(sqe, TAG);
}

/*
 * The probe of an accept flag: on a ring of its own, an accept with ioprio
 * of an AF_UNIX listener, with a connection pending when pending. Returns
 * the CQE res (an accepted fd is closed), or INT_MIN when it could not run
 * or did not complete.
 */
static int accept_probe(unsigned int ioprio, bool pending)
{
	struct sockaddr_un sun;
	struct io_uring_sqe sqe;
	int lfd, cfd = -1, res = INT_MIN;

	lfd = unix_listener("probe.sock", &sun);
	if (lfd < 0)
		return INT_MIN;
	if (!pending || (cfd = unix_client(&sun)) >= 0) {
		prep_accept_flags(&sqe, lfd, ioprio);
		res = uring_run_one_sqe_res(&sqe);
		if (res >= 0)
			close(res);
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	unlink(sun.sun_path);
	return res;
}

/* NULL when the kernel knows the accept flag flag (6.10); else why not. */
static const char *accept_flag_missing(unsigned int flag, const char *name)
{
	const char *why = conform_uring_op_missing(IORING_OP_ACCEPT,
						   "IORING_OP_ACCEPT");
	int res;

	if (why)
		return why;
	/* With a connection pending both flags accept it. */
	res = accept_probe(flag, true);
	if (res >= 0)
		return NULL;
	if (res == -EINVAL)
		snprintf(conform_why, sizeof(conform_why),
			 "%s: an accept with it gets -EINVAL (flag unknown)", name);
	else
		snprintf(conform_why, sizeof(conform_why),
			 "%s: the accept probe gave %d", name, res);
	return conform_why;
}

/* flag: the kernel name, IORING_ACCEPT_X; its number is REF_ flag. */
#define REQUIRE_ACCEPT_FLAG(flag) \
	CONFORM_REQUIRE(accept_flag_missing(REF_##flag, #flag))

/*
 * Wait (bounded) until TCP listener lfd has n connections in its accept
 * queue: for a listening socket, TCP_INFO's tcpi_unacked is the accept
 * queue length (tcp_get_info()). The handshake ends in softirq context,
 * maybe after connect(2) has returned. true when seen.
 */
static bool tcp_accept_queue_reaches(int lfd, unsigned int n)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);

		if (getsockopt(lfd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
			return false;
		if (ti.tcpi_unacked >= n)
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 2)
			return false;
		sched_yield();
	}
}

/*
 * Kernel commit "io_uring/net: add IORING_ACCEPT_DONTWAIT flag" (6.10): a
 * non-blocking accept attempt, like MSG_DONTWAIT for a receive; when the
 * accept would block, its -EAGAIN is passed back instead of arming poll
 * and retrying (io_accept()). An accept of a listener with nothing pending
 * completes with -EAGAIN at once (since 6.10).
 */
TEST(dontwait_accept_with_nothing_pending_gets_eagain_at_once)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int lfd;

	CONFORM_DECLARE("6.10", "IORING_ACCEPT_DONTWAIT",
			"io_uring_prep_accept(3); commit io_uring/net: add IORING_ACCEPT_DONTWAIT flag");
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_DONTWAIT);
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_accept_flags(sqe, lfd, REF_IORING_ACCEPT_DONTWAIT);
	EXPECT_EQ(-EAGAIN, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * IORING_ACCEPT_DONTWAIT only changes what happens when nothing is
 * pending (since 6.10): with a connection queued the accept returns a new
 * fd, connected to the client (a byte written by it is read there).
 */
TEST(dontwait_accept_takes_a_pending_connection)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int lfd, cfd, afd;
	char c = 0;

	CONFORM_DECLARE("6.10", "IORING_ACCEPT_DONTWAIT",
			"io_uring_prep_accept(3); commit io_uring/net: add IORING_ACCEPT_DONTWAIT flag");
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_DONTWAIT);
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_LE(0, cfd = unix_client(&sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_accept_flags(sqe, lfd, REF_IORING_ACCEPT_DONTWAIT);
	ASSERT_LE(0, afd = uring_submit_res(&ring));
	ASSERT_EQ(1, write(cfd, "d", 1));
	EXPECT_EQ(1, read(afd, &c, 1));
	EXPECT_EQ('d', c);
	close(afd);
	close(cfd);
	io_uring_queue_exit(&ring);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * <linux/io_uring.h>, kernel commit d3da8e985926 "io_uring/net: add
 * IORING_ACCEPT_POLL_FIRST flag": "tells accept to only initiate the
 * accept request if poll says we have something to accept" (since 6.10).
 * With nothing pending the request waits (no CQE); a connect(2) then
 * completes it with the new fd.
 */
TEST(poll_first_accept_waits_for_a_connection)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, cfd;

	CONFORM_DECLARE("6.10", "IORING_ACCEPT_POLL_FIRST",
			"commit d3da8e985926 io_uring/net: add IORING_ACCEPT_POLL_FIRST flag");
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_POLL_FIRST);
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_accept_flags(sqe, lfd, REF_IORING_ACCEPT_POLL_FIRST);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_LE(0, cfd = unix_client(&sun));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(TAG, cqe.user_data);
	EXPECT_LE(0, cqe.res);
	if (cqe.res >= 0)
		close(cqe.res);
	close(cfd);
	io_uring_queue_exit(&ring);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * IORING_ACCEPT_POLL_FIRST skips only the first attempt (since 6.10): with
 * a connection already queued, poll reports it at once and the accept
 * completes with the new fd.
 */
TEST(poll_first_accept_takes_a_pending_connection)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int lfd, cfd, afd;

	CONFORM_DECLARE("6.10", "IORING_ACCEPT_POLL_FIRST",
			"commit d3da8e985926 io_uring/net: add IORING_ACCEPT_POLL_FIRST flag");
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_POLL_FIRST);
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_LE(0, cfd = unix_client(&sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_accept_flags(sqe, lfd, REF_IORING_ACCEPT_POLL_FIRST);
	EXPECT_LE(0, afd = uring_submit_res(&ring));
	if (afd >= 0)
		close(afd);
	close(cfd);
	io_uring_queue_exit(&ring);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * io_uring/net.c io_accept_prep(): ioprio bits outside the known
 * IORING_ACCEPT_* flags fail with -EINVAL; kernels before 5.19 refuse any
 * non-zero ioprio on an accept (since 5.5, when IORING_OP_ACCEPT came).
 * Bit 7 is no flag on any kernel.
 */
TEST(unknown_accept_ioprio_bit_gets_einval)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"io_uring/net.c io_accept_prep() EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	EXPECT_EQ(-EINVAL, accept_probe(1U << 7, false));
}

/*
 * IORING_ACCEPT_MULTISHOT (5.19) with IORING_ACCEPT_DONTWAIT: the
 * multishot accept does not arm poll when nothing is pending, so with an
 * empty queue it ends at once with one CQE, res -EAGAIN and no
 * IORING_CQE_F_MORE (since 6.10).
 */
TEST(multishot_dontwait_with_nothing_pending_ends_with_eagain)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd;

	CONFORM_DECLARE("6.10", "IORING_ACCEPT_DONTWAIT",
			"io_uring_prep_multishot_accept(3); commit io_uring/net: add IORING_ACCEPT_DONTWAIT flag");
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_DONTWAIT);
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_accept_flags(sqe, lfd, IORING_ACCEPT_MULTISHOT |
				    REF_IORING_ACCEPT_DONTWAIT);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(-EAGAIN, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * IORING_ACCEPT_MULTISHOT with IORING_ACCEPT_DONTWAIT takes every queued
 * connection, one CQE each with a new fd and IORING_CQE_F_MORE, and then,
 * with the queue empty, ends with a CQE of -EAGAIN without F_MORE instead
 * of waiting for more (since 6.10).
 */
TEST(multishot_dontwait_takes_pending_connections_then_ends)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, cfd[2];

	CONFORM_DECLARE("6.10", "IORING_ACCEPT_DONTWAIT",
			"io_uring_prep_multishot_accept(3); commit io_uring/net: add IORING_ACCEPT_DONTWAIT flag");
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_DONTWAIT);
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_LE(0, cfd[0] = unix_client(&sun));
	ASSERT_LE(0, cfd[1] = unix_client(&sun));
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_accept_flags(sqe, lfd, IORING_ACCEPT_MULTISHOT |
				    REF_IORING_ACCEPT_DONTWAIT);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		EXPECT_LE(0, cqe.res);
		EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
		if (cqe.res >= 0)
			close(cqe.res);
	}
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-EAGAIN, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	close(cfd[0]);
	close(cfd[1]);
	io_uring_queue_exit(&ring);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * Kernel commit ac287da2e0ea "io_uring/net: wire up
 * IORING_CQE_F_SOCK_NONEMPTY for accept": "If the given protocol supports
 * passing back whether or not we had more pending accept post this one ...
 * setting IORING_CQE_F_SOCK_NONEMPTY in the CQE flags" (since 6.10; TCP
 * reports it). With two connections queued, the first accept's CQE has
 * the flag and the second's, which empties the queue, has not.
 */
TEST(accept_cqe_has_sock_nonempty_while_connections_remain)
{
	struct sockaddr_in sin;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, cfd[2] = { -1, -1 };

	CONFORM_DECLARE("6.10", "IORING_CQE_F_SOCK_NONEMPTY",
			"commit ac287da2e0ea io_uring/net: wire up IORING_CQE_F_SOCK_NONEMPTY for accept");
	/* Came with the accept flags: probed by them. */
	REQUIRE_ACCEPT_FLAG(IORING_ACCEPT_DONTWAIT);
	lfd = conform_tcp_listener(&sin);
	CONFORM_REQUIRE(lfd < 0 ? conform_why : NULL);
	for (int i = 0; i < 2; i++) {
		ASSERT_LE(0, cfd[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
		ASSERT_EQ(0, connect(cfd[i], (struct sockaddr *)&sin, sizeof(sin)));
	}
	ASSERT_TRUE(tcp_accept_queue_reaches(lfd, 2));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	for (int i = 0; i < 2; i++) {
		ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
		prep_accept_flags(sqe, lfd, 0);
		ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
		ASSERT_LE(0, cqe.res);
		close(cqe.res);
		EXPECT_EQ(i == 0 ? IORING_CQE_F_SOCK_NONEMPTY : 0,
			  cqe.flags & IORING_CQE_F_SOCK_NONEMPTY);
	}
	close(cfd[0]);
	close(cfd[1]);
	io_uring_queue_exit(&ring);
	close(lfd);
}

TEST_HARNESS_MAIN
