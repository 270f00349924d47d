// SPDX-License-Identifier: MIT
/*
 * uring/connect: IORING_OP_CONNECT (Linux 5.5), the asynchronous
 * connect(2): sqe->addr points at the address, sqe->off holds addrlen.
 * Covered: a TCP connect over 127.0.0.1 and an AF_UNIX stream connect
 * complete with 0 and the listener accepts the connection; a socket with
 * O_NONBLOCK still completes with 0 (io_uring waits for the handshake
 * instead of passing on connect(2)'s EINPROGRESS); and the errors:
 * ECONNREFUSED (no TCP listener on the port, an AF_UNIX socket that does
 * not listen), EISCONN, EFAULT, EINVAL (addrlen out of range, unused SQE
 * fields set), ENOTSOCK, ENOENT (AF_UNIX path missing). Only loopback and
 * AF_UNIX sockets in the private directory: no network needed. SQEs are
 * filled by hand.
 */
#include <liburing.h>
#include <sys/un.h>

#include "conform_uring.h"

/* An IORING_OP_CONNECT of fd to addr (addrlen bytes). */
static void prep_connect(struct io_uring_sqe *sqe, int fd, const void *addr,
			 socklen_t addrlen)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_CONNECT;
	sqe->fd = fd;
	sqe->addr = (__u64)(uintptr_t)addr;
	sqe->off = addrlen;
	sqe->user_data = 0xc0;
}

/* One CONNECT on a ring of its own: res, or INT_MIN when it did not run. */
static int uring_connect(int fd, const void *addr, socklen_t addrlen)
{
	struct io_uring_sqe sqe;

	prep_connect(&sqe, fd, addr, addrlen);
	return uring_run_one_sqe_res(&sqe);
}

/* A new TCP socket, blocking unless flags has SOCK_NONBLOCK; -1 on error. */
static int tcp_socket(int flags)
{
	return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
}

/*
 * A TCP socket bound to 127.0.0.1 with a port chosen by the kernel, that
 * does not listen: a SYN to its port gets a reset. Its address in *sin.
 * The fd, or -1 with the reason in conform_why (loopback down).
 */
static int tcp_bound_not_listening(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = tcp_socket(0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "socket(AF_INET): %s", strerror(errno));
		return -1;
	}
	if (!conform_loopback_up(fd)) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "loopback interface lo is not up");
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)sin, sizeof(*sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot bind on 127.0.0.1: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * An AF_UNIX stream socket bound to <tmpdir>/<name>, listening (backlog 4)
 * when listening; its address in *sun, its length in *len. -1 on error.
 */
static int unix_server(const char *name, bool listening,
		       struct sockaddr_un *sun, socklen_t *len)
{
	int fd;

	*len = uring_unix_addr(sun, name);
	if (!*len)
		return -1;
	unlink(sun->sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)sun, *len) < 0 ||
	    (listening && listen(fd, 4) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Accept the connection queued on listener lfd within the reap bound and
 * check that its peer is the socket cfd: the peer's local address equals
 * what the accepted socket sees as its peer (TCP: the port).
 */
static void expect_accepts_tcp_peer(struct __test_metadata *_metadata,
				    int lfd, int cfd)
{
	struct sockaddr_in local, peer;
	socklen_t ll = sizeof(local), pl = sizeof(peer);
	int afd;

	ASSERT_TRUE(conform_fd_readable(lfd, URING_REAP_BOUND_MS));
	afd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, getsockname(cfd, (struct sockaddr *)&local, &ll));
	EXPECT_EQ(local.sin_port, peer.sin_port);
	close(afd);
}

#define REQUIRE_CONNECT() CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT)

/*
 * io_uring_enter(2) IORING_OP_CONNECT: "Issue the equivalent of a
 * connect(2) system call"; connect(2) RETURN VALUE: "If the connection or
 * binding succeeds, zero is returned". A TCP connect to a listener on
 * 127.0.0.1 completes with 0, and the listener accepts that connection
 * (since 5.5).
 */
TEST(connect_to_tcp_listener_completes_zero_and_is_accepted)
{
	struct sockaddr_in sin;
	int lfd, cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"io_uring_enter(2) IORING_OP_CONNECT; connect(2) RETURN VALUE");
	REQUIRE_CONNECT();
	lfd = conform_tcp_listener(&sin);
	CONFORM_REQUIRE(lfd < 0 ? conform_why : NULL);
	cfd = tcp_socket(0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(0, uring_connect(cfd, &sin, sizeof(sin)));
	expect_accepts_tcp_peer(_metadata, lfd, cfd);
	close(cfd);
	close(lfd);
}

/*
 * connect(2) EINPROGRESS: "The socket is nonblocking and the connection
 * cannot be completed immediately"; kernel commit 87f80d623c6c
 * ("io_uring: handle connect -EINPROGRESS like -EAGAIN", 5.5): rather than
 * return it, which "means the application has to poll for the socket to be
 * writeable", io_uring waits for the connection itself (its retry fixed by
 * 3fb1bd688172, 6.1, for sockets whose re-connect fails). A TCP socket
 * with O_NONBLOCK, for which connect(2) gives EINPROGRESS, connects to a
 * listener on 127.0.0.1 through IORING_OP_CONNECT with res 0 (since 5.5).
 */
TEST(connect_on_nonblocking_socket_waits_for_the_connection)
{
	struct sockaddr_in sin;
	int lfd, cfd, plain;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"connect(2) EINPROGRESS; commit 87f80d623c6c (5.5): io_uring: handle connect -EINPROGRESS like -EAGAIN");
	REQUIRE_CONNECT();
	lfd = conform_tcp_listener(&sin);
	CONFORM_REQUIRE(lfd < 0 ? conform_why : NULL);
	plain = tcp_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, plain);
	EXPECT_EQ(-1, connect(plain, (struct sockaddr *)&sin, sizeof(sin)));
	EXPECT_EQ(EINPROGRESS, errno);
	expect_accepts_tcp_peer(_metadata, lfd, plain);
	cfd = tcp_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(0, uring_connect(cfd, &sin, sizeof(sin)));
	expect_accepts_tcp_peer(_metadata, lfd, cfd);
	close(cfd);
	close(plain);
	close(lfd);
}

/*
 * connect(2) ECONNREFUSED: "A connect() on a stream socket found no one
 * listening on the remote address": a port of 127.0.0.1 bound by a socket
 * that does not listen answers with a reset (since 5.5).
 */
TEST(connect_to_tcp_port_without_listener_gets_econnrefused)
{
	struct sockaddr_in sin;
	int bfd, cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "connect(2) ECONNREFUSED");
	REQUIRE_CONNECT();
	bfd = tcp_bound_not_listening(&sin);
	CONFORM_REQUIRE(bfd < 0 ? conform_why : NULL);
	cfd = tcp_socket(0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-ECONNREFUSED, uring_connect(cfd, &sin, sizeof(sin)));
	close(cfd);
	close(bfd);
}

/*
 * connect(2) EISCONN: "The socket is already connected": a second CONNECT
 * of a connected TCP socket, to its own peer, fails (since 5.5).
 */
TEST(connect_of_connected_socket_gets_eisconn)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int cfd, sfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "connect(2) EISCONN");
	REQUIRE_CONNECT();
	CONFORM_REQUIRE(conform_tcp_pair(&cfd, &sfd));
	ASSERT_EQ(0, getpeername(cfd, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(-EISCONN, uring_connect(cfd, &peer, sizeof(peer)));
	close(cfd);
	close(sfd);
}

/*
 * connect(2) EFAULT: "The socket structure address is outside the user's
 * address space": sqe->addr pointing at an unreadable page fails the
 * request (since 5.5).
 */
TEST(connect_with_unreadable_address_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *none;
	int cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "connect(2) EFAULT");
	REQUIRE_CONNECT();
	none = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	cfd = tcp_socket(0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-EFAULT, uring_connect(cfd, none, sizeof(struct sockaddr_in)));
	close(cfd);
	munmap(none, (size_t)page);
}

/*
 * connect(2) / ip(7) EINVAL: "Invalid argument passed": an addrlen below
 * sizeof(struct sockaddr_in) for an AF_INET socket, and one above
 * sizeof(struct sockaddr_storage) (kernel move_addr_to_kernel()), are
 * refused (since 5.5).
 */
TEST(connect_with_addrlen_out_of_range_gets_einval)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	int cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"ip(7) EINVAL; move_addr_to_kernel() addrlen above sockaddr_storage");
	REQUIRE_CONNECT();
	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = htons(9);
	cfd = tcp_socket(0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-EINVAL, uring_connect(cfd, &ss, sizeof(*sin) - 1));
	EXPECT_EQ(-EINVAL, uring_connect(cfd, &ss, sizeof(ss) + 1));
	close(cfd);
}

/*
 * connect(2) ENOTSOCK: "The file descriptor sockfd does not refer to a
 * socket": a CONNECT on a pipe fails (since 5.5).
 */
TEST(connect_on_non_socket_gets_enotsock)
{
	struct sockaddr_in sin;
	int p[2];

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "connect(2) ENOTSOCK");
	REQUIRE_CONNECT();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(9);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-ENOTSOCK, uring_connect(p[1], &sin, sizeof(sin)));
	close(p[0]);
	close(p[1]);
}

/*
 * unix(7): a stream connect to a listening AF_UNIX socket; connect(2)
 * returns zero. The CONNECT completes with 0 and the listener accepts the
 * connection, which carries data (since 5.5).
 */
TEST(connect_unix_stream_completes_zero_and_is_accepted)
{
	struct sockaddr_un sun;
	socklen_t len;
	int lfd, cfd, afd;
	char c = 0;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"unix(7) stream connect; connect(2) RETURN VALUE");
	REQUIRE_CONNECT();
	lfd = unix_server("listen.sock", true, &sun, &len);
	ASSERT_LE(0, lfd);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(0, uring_connect(cfd, &sun, len));
	ASSERT_TRUE(conform_fd_readable(lfd, URING_REAP_BOUND_MS));
	afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	ASSERT_LE(0, afd);
	ASSERT_EQ(1, write(cfd, "u", 1));
	EXPECT_EQ(1, read(afd, &c, 1));
	EXPECT_EQ('u', c);
	close(afd);
	close(cfd);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * unix(7) ERRORS: ENOENT "The pathname in the remote address specified to
 * connect(2) did not exist" (since 5.5).
 */
TEST(connect_unix_to_missing_path_gets_enoent)
{
	struct sockaddr_un sun;
	socklen_t len;
	int cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "unix(7) ENOENT");
	REQUIRE_CONNECT();
	len = uring_unix_addr(&sun, "nobody-here.sock");
	ASSERT_NE(0, len);
	unlink(sun.sun_path);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-ENOENT, uring_connect(cfd, &sun, len));
	close(cfd);
}

/*
 * unix(7) ERRORS: ECONNREFUSED "The remote address specified by connect(2)
 * was not a listening socket": an AF_UNIX stream socket bound to the path
 * that did not call listen(2) (since 5.5).
 */
TEST(connect_unix_to_socket_not_listening_gets_econnrefused)
{
	struct sockaddr_un sun;
	socklen_t len;
	int bfd, cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "unix(7) ECONNREFUSED");
	REQUIRE_CONNECT();
	bfd = unix_server("bound.sock", false, &sun, &len);
	ASSERT_LE(0, bfd);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-ECONNREFUSED, uring_connect(cfd, &sun, len));
	close(cfd);
	close(bfd);
	unlink(sun.sun_path);
}

/*
 * Kernel commit f8e85cf255ad ("io_uring: add support for IORING_OP_CONNECT",
 * 5.5), io_connect_prep(): the request uses fd, addr and off (addrlen);
 * a set len, buf_index, rw_flags or ioprio is refused with -EINVAL and no
 * connection is made (since 5.5).
 */
TEST(connect_with_unused_field_set_gets_einval)
{
	struct io_uring_sqe sqe;
	struct sockaddr_un sun;
	socklen_t len;
	int lfd, cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"commit f8e85cf255ad (5.5): io_uring: add support for IORING_OP_CONNECT; io_connect_prep()");
	REQUIRE_CONNECT();
	lfd = unix_server("fields.sock", true, &sun, &len);
	ASSERT_LE(0, lfd);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	prep_connect(&sqe, cfd, &sun, len);
	sqe.len = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_connect(&sqe, cfd, &sun, len);
	sqe.buf_index = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_connect(&sqe, cfd, &sun, len);
	sqe.rw_flags = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_connect(&sqe, cfd, &sun, len);
	sqe.ioprio = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_FALSE(conform_fd_readable(lfd, 0));
	close(cfd);
	close(lfd);
	unlink(sun.sun_path);
}

TEST_HARNESS_MAIN
