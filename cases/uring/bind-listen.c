// SPDX-License-Identifier: MIT
/*
 * uring/bind-listen: IORING_OP_BIND and IORING_OP_LISTEN (both 6.11),
 * bind(2) and listen(2) through a ring. BIND takes the address in
 * sqe->addr and its length in sqe->addr2; LISTEN the backlog in sqe->len.
 * Covered: a TCP socket bound to 127.0.0.1 and an AF_UNIX socket bound to a
 * path, made listening sockets that connect(2) reaches; the backlog of
 * sqe->len bounding the AF_UNIX accept queue; bind(2)'s EADDRINUSE and
 * EINVAL (socket already bound, address length too long), EFAULT for an
 * unreadable address, ENOTSOCK for a regular file, EBADF, listen(2)'s
 * EOPNOTSUPP on an unbound UDP socket, the fields that must be zero, and
 * both on a direct descriptor made by IORING_OP_SOCKET with a file_index
 * (IOSQE_FIXED_FILE). Sources: bind(2), listen(2), io_uring_prep_bind(3),
 * io_uring_prep_listen(3), kernel commits "io_uring: Introduce
 * IORING_OP_BIND" and "io_uring: Introduce IORING_OP_LISTEN" (6.11),
 * io_uring/net.c io_bind_prep()/io_listen_prep(). liburing 2.3 has no prep
 * helper for either: the SQEs are filled by hand.
 */
#include <liburing.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "conform_uring.h"
#include "ref/uapi.h"

#define REQUIRE_BIND() \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_BIND, \
						 "IORING_OP_BIND"))
#define REQUIRE_LISTEN() \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_LISTEN, \
						 "IORING_OP_LISTEN"))

/* An IORING_OP_BIND SQE: fd, the address in addr, its length in addr2. */
static void prep_bind(struct io_uring_sqe *sqe, int fd, const void *addr,
		      socklen_t len)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_BIND;
	sqe->fd = fd;
	sqe->addr = (__u64)(uintptr_t)addr;
	sqe->addr2 = len;
}

/* An IORING_OP_LISTEN SQE: fd, the backlog in len. */
static void prep_listen(struct io_uring_sqe *sqe, int fd, unsigned int backlog)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_LISTEN;
	sqe->fd = fd;
	sqe->len = backlog;
}

static int uring_bind(int fd, const void *addr, socklen_t len)
{
	struct io_uring_sqe sqe;

	prep_bind(&sqe, fd, addr, len);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_listen(int fd, unsigned int backlog)
{
	struct io_uring_sqe sqe;

	prep_listen(&sqe, fd, backlog);
	return uring_run_one_sqe_res(&sqe);
}

/* 127.0.0.1, port port (network order). */
static struct sockaddr_in loopback_addr(in_port_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = port;
	return sin;
}

/* NULL when lo is up (connect(2) over 127.0.0.1 can work); else why not. */
static const char *loopback_missing(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up;

	if (fd < 0)
		return CONFORM_ENV "socket(AF_INET) failed";
	up = conform_loopback_up(fd);
	close(fd);
	return up ? NULL : CONFORM_ENV "loopback interface lo is not up";
}

static int sock_int_opt(int fd, int level, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	return getsockopt(fd, level, opt, &val, &len) < 0 ? -errno : val;
}

/* A non-blocking AF_UNIX stream socket connected to sun: 0, or -errno. */
static int unix_connect_nonblock(const struct sockaddr_un *sun, socklen_t len,
				 int *fd)
{
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return -errno;
	if (connect(*fd, (const struct sockaddr *)sun, len) < 0) {
		int err = -errno;

		close(*fd);
		*fd = -1;
		return err;
	}
	return 0;
}

/*
 * bind(2): "assigns the address specified by addr to the socket"; through
 * IORING_OP_BIND (io_uring_prep_bind(3), since 6.11) the result is 0 and
 * getsockname(2) then shows 127.0.0.1 with the port the kernel chose for
 * port 0.
 */
TEST(tcp_bind_assigns_the_address)
{
	struct sockaddr_in sin = loopback_addr(0), got;
	socklen_t len = sizeof(got);
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND",
			"io_uring_prep_bind(3); bind(2)");
	REQUIRE_BIND();
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	EXPECT_EQ(0, uring_bind(fd, &sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(AF_INET, got.sin_family);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), got.sin_addr.s_addr);
	EXPECT_NE(0, got.sin_port);
	close(fd);
}

/*
 * listen(2): "marks the socket referred to by sockfd as a passive socket,
 * that is, as a socket that will be used to accept incoming connection
 * requests"; through IORING_OP_LISTEN (io_uring_prep_listen(3), since 6.11)
 * on a TCP socket bound by IORING_OP_BIND: res 0, SO_ACCEPTCONN is 1, and
 * connect(2) to its address succeeds and is accepted.
 */
TEST(tcp_listen_makes_a_socket_that_accepts_connections)
{
	struct sockaddr_in sin = loopback_addr(0);
	socklen_t len = sizeof(sin);
	int lfd, cfd, afd;

	CONFORM_DECLARE("6.11", "IORING_OP_LISTEN",
			"io_uring_prep_listen(3); listen(2)");
	REQUIRE_BIND();
	REQUIRE_LISTEN();
	CONFORM_REQUIRE(loopback_missing());
	ASSERT_LE(0, lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, uring_bind(lfd, &sin, sizeof(sin)));
	EXPECT_EQ(0, sock_int_opt(lfd, SOL_SOCKET, SO_ACCEPTCONN));
	ASSERT_EQ(0, uring_listen(lfd, 4));
	EXPECT_EQ(1, sock_int_opt(lfd, SOL_SOCKET, SO_ACCEPTCONN));
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&sin, &len));
	ASSERT_LE(0, cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	EXPECT_EQ(0, connect(cfd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_TRUE(conform_fd_readable(lfd, URING_REAP_BOUND_MS));
	EXPECT_LE(0, afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC));
	if (afd >= 0)
		close(afd);
	close(cfd);
	close(lfd);
}

/*
 * unix(7): a stream socket bound to a pathname creates the socket file and
 * "listen(2)" lets clients connect(2) to that path; through IORING_OP_BIND
 * and IORING_OP_LISTEN (since 6.11) both complete with 0, the path exists
 * as a socket, and a client's connect(2) is accepted.
 */
TEST(unix_bind_and_listen_accept_connections_on_the_path)
{
	struct sockaddr_un sun;
	socklen_t slen;
	struct stat st;
	int lfd, cfd, afd;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND",
			"io_uring_prep_bind(3), io_uring_prep_listen(3); unix(7)");
	REQUIRE_BIND();
	REQUIRE_LISTEN();
	ASSERT_NE(0, slen = uring_unix_addr(&sun, "bound.sock"));
	ASSERT_LE(0, lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, uring_bind(lfd, &sun, slen));
	ASSERT_EQ(0, stat(sun.sun_path, &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	ASSERT_EQ(0, uring_listen(lfd, 4));
	ASSERT_EQ(0, unix_connect_nonblock(&sun, slen, &cfd));
	EXPECT_LE(0, afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK));
	if (afd >= 0)
		close(afd);
	close(cfd);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * listen(2): "The backlog argument defines the maximum length to which the
 * queue of pending connections for sockfd may grow"; IORING_OP_LISTEN takes
 * it from sqe->len (since 6.11). An AF_UNIX listener refuses a connection
 * once more than backlog are queued (unix_recvq_full()), so with backlog 1
 * two non-blocking connect(2)s succeed and the third fails with EAGAIN.
 */
TEST(listen_backlog_in_len_bounds_the_unix_accept_queue)
{
	struct sockaddr_un sun;
	socklen_t slen;
	int lfd, cfd[3] = { -1, -1, -1 };

	CONFORM_DECLARE("6.11", "IORING_OP_LISTEN",
			"listen(2) backlog; io_uring_prep_listen(3)");
	REQUIRE_LISTEN();
	ASSERT_NE(0, slen = uring_unix_addr(&sun, "backlog.sock"));
	ASSERT_LE(0, lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&sun, slen));
	ASSERT_EQ(0, uring_listen(lfd, 1));
	EXPECT_EQ(0, unix_connect_nonblock(&sun, slen, &cfd[0]));
	EXPECT_EQ(0, unix_connect_nonblock(&sun, slen, &cfd[1]));
	EXPECT_EQ(-EAGAIN, unix_connect_nonblock(&sun, slen, &cfd[2]));
	for (int i = 0; i < 3; i++)
		if (cfd[i] >= 0)
			close(cfd[i]);
	close(lfd);
	unlink(sun.sun_path);
}

/*
 * bind(2) EADDRINUSE: "The given address is already in use"; a TCP socket
 * asked for the 127.0.0.1 port another socket holds (no SO_REUSEADDR) gets
 * -EADDRINUSE from IORING_OP_BIND (since 6.11).
 */
TEST(bind_to_address_in_use_gets_eaddrinuse)
{
	struct sockaddr_in sin = loopback_addr(0);
	socklen_t len = sizeof(sin);
	int a, b;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND", "bind(2) EADDRINUSE");
	REQUIRE_BIND();
	ASSERT_LE(0, a = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_LE(0, b = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, bind(a, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(a, (struct sockaddr *)&sin, &len));
	EXPECT_EQ(-EADDRINUSE, uring_bind(b, &sin, sizeof(sin)));
	close(a);
	close(b);
}

/*
 * bind(2) EINVAL: "The socket is already bound to an address"; a second
 * IORING_OP_BIND of a bound TCP socket gets -EINVAL (since 6.11), and the
 * socket keeps its first address.
 */
TEST(bind_of_bound_socket_gets_einval)
{
	struct sockaddr_in sin = loopback_addr(0), first, now;
	socklen_t len = sizeof(first);
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND", "bind(2) EINVAL already bound");
	REQUIRE_BIND();
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, uring_bind(fd, &sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&first, &len));
	EXPECT_EQ(-EINVAL, uring_bind(fd, &sin, sizeof(sin)));
	len = sizeof(now);
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&now, &len));
	EXPECT_EQ(first.sin_port, now.sin_port);
	close(fd);
}

/*
 * bind(2) EFAULT: "addr points outside the user's accessible address
 * space", and EINVAL: "addrlen is wrong". IORING_OP_BIND copies the address
 * when it is prepared (move_addr_to_kernel()): an unmapped pointer gets
 * -EFAULT, a length beyond struct sockaddr_storage -EINVAL (since 6.11).
 */
TEST(bind_address_unreadable_gets_efault_too_long_gets_einval)
{
	struct sockaddr_storage big;
	struct sockaddr_in *sin = (struct sockaddr_in *)&big;
	void *gone;
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND", "bind(2) EFAULT, EINVAL addrlen");
	REQUIRE_BIND();
	ASSERT_NE(MAP_FAILED, gone = mmap(NULL, 4096, PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	memset(&big, 0, sizeof(big));
	*sin = loopback_addr(0);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	EXPECT_EQ(-EFAULT, uring_bind(fd, gone, sizeof(struct sockaddr_in)));
	EXPECT_EQ(-EINVAL, uring_bind(fd, &big, sizeof(big) + 1));
	/* Neither bound it. */
	EXPECT_EQ(0, uring_bind(fd, sin, sizeof(*sin)));
	close(fd);
	munmap(gone, 4096);
}

/*
 * bind(2), listen(2) ENOTSOCK: "The file descriptor sockfd does not refer
 * to a socket"; IORING_OP_BIND and IORING_OP_LISTEN on a regular file both
 * complete with -ENOTSOCK (io_bind()/io_listen(): sock_from_file(), since
 * 6.11).
 */
TEST(bind_and_listen_on_regular_file_get_enotsock)
{
	struct sockaddr_in sin = loopback_addr(0);
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND", "bind(2), listen(2) ENOTSOCK");
	REQUIRE_BIND();
	REQUIRE_LISTEN();
	ASSERT_LE(0, fd = conform_temp_file(16, 0));
	EXPECT_EQ(-ENOTSOCK, uring_bind(fd, &sin, sizeof(sin)));
	EXPECT_EQ(-ENOTSOCK, uring_listen(fd, 4));
	close(fd);
}

/*
 * bind(2), listen(2) EBADF: "sockfd is not a valid file descriptor"; both
 * opcodes on an fd that is not open complete with -EBADF (since 6.11).
 */
TEST(bind_and_listen_on_bad_fd_get_ebadf)
{
	struct sockaddr_in sin = loopback_addr(0);

	CONFORM_DECLARE("6.11", "IORING_OP_BIND", "bind(2), listen(2) EBADF");
	REQUIRE_BIND();
	REQUIRE_LISTEN();
	EXPECT_EQ(-EBADF, uring_bind(conform_bad_fd(), &sin, sizeof(sin)));
	EXPECT_EQ(-EBADF, uring_listen(conform_bad_fd(), 4));
}

/*
 * listen(2) EOPNOTSUPP: "The socket is not of a type that supports the
 * listen() operation"; IORING_OP_LISTEN on an unbound UDP socket gets
 * -EOPNOTSUPP (since 6.11).
 */
TEST(listen_on_unbound_udp_socket_gets_eopnotsupp)
{
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_LISTEN", "listen(2) EOPNOTSUPP");
	REQUIRE_LISTEN();
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	EXPECT_EQ(-EOPNOTSUPP, uring_listen(fd, 4));
	close(fd);
}

/*
 * io_uring/net.c io_bind_prep(): "if (sqe->len || sqe->buf_index ||
 * sqe->rw_flags || sqe->splice_fd_in) return -EINVAL", and io_listen_prep()
 * the same for addr, addr2, buf_index, rw_flags and splice_fd_in: a BIND
 * with len 1 and a LISTEN with addr set get -EINVAL and the socket stays
 * unbound (since 6.11).
 */
TEST(bind_and_listen_with_unused_field_set_get_einval)
{
	struct sockaddr_in sin = loopback_addr(0), got;
	socklen_t len = sizeof(got);
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND",
			"io_uring/net.c io_bind_prep(), io_listen_prep()");
	REQUIRE_BIND();
	REQUIRE_LISTEN();
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	prep_bind(&sqe, fd, &sin, sizeof(sin));
	sqe.len = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(0, got.sin_port);
	prep_listen(&sqe, fd, 4);
	sqe.addr = (__u64)(uintptr_t)&sin;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_EQ(0, sock_int_opt(fd, SOL_SOCKET, SO_ACCEPTCONN));
	close(fd);
}

/*
 * What the opcodes are for (kernel commits "io_uring: Introduce
 * IORING_OP_BIND"/"...LISTEN": a direct descriptor has no fd for bind(2)
 * and listen(2)): an AF_UNIX socket made straight
 * into slot 0 of the fixed file table (IORING_OP_SOCKET with file_index,
 * 5.19) is bound and made listening through IOSQE_FIXED_FILE (since 6.11);
 * a client's connect(2) to the path succeeds, and an IORING_OP_ACCEPT on
 * the slot returns the connection.
 */
TEST(direct_socket_binds_and_listens_through_fixed_file)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int slots[1] = { -1 }, cfd, afd;
	socklen_t slen;

	CONFORM_DECLARE("6.11", "IORING_OP_BIND",
			"io_uring_prep_bind(3), io_uring_prep_socket_direct(3)");
	REQUIRE_BIND();
	REQUIRE_LISTEN();
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_NE(0, slen = uring_unix_addr(&sun, "direct.sock"));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, slots, 1));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket_direct(sqe, AF_UNIX, SOCK_STREAM, 0, 0, 0);
	ASSERT_EQ(0, uring_submit_res(&ring));

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_bind(sqe, 0, &sun, slen);
	sqe->flags = IOSQE_FIXED_FILE;
	EXPECT_EQ(0, uring_submit_res(&ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_listen(sqe, 0, 4);
	sqe->flags = IOSQE_FIXED_FILE;
	EXPECT_EQ(0, uring_submit_res(&ring));

	ASSERT_EQ(0, unix_connect_nonblock(&sun, slen, &cfd));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_accept(sqe, 0, NULL, NULL, SOCK_CLOEXEC);
	sqe->flags = IOSQE_FIXED_FILE;
	EXPECT_LE(0, afd = uring_submit_res(&ring));
	if (afd >= 0)
		close(afd);
	close(cfd);
	io_uring_queue_exit(&ring);
	unlink(sun.sun_path);
}

TEST_HARNESS_MAIN
