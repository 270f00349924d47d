// SPDX-License-Identifier: MIT
/*
 * uring/socket: IORING_OP_SOCKET (5.19), socket(2) through a ring: the
 * result is a new fd of the requested domain and type, SOCK_NONBLOCK and
 * SOCK_CLOEXEC in the type are honoured, errors are socket(2)'s
 * (EAFNOSUPPORT, EINVAL), rw_flags must be 0; and the direct variants put
 * the socket into the fixed file table, in a chosen slot (res 0) or one the
 * kernel picks (IORING_FILE_INDEX_ALLOC, res = slot; ENFILE when none is
 * free). Sources: io_uring_enter(2) IORING_OP_SOCKET, io_uring_prep_socket(3),
 * io_uring_prep_socket_direct(3), socket(2). AF_UNIX only.
 */
#include <liburing.h>
#include <sys/un.h>

#include "conform_uring.h"

static int sock_opt(int fd, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, SOL_SOCKET, opt, &val, &len) < 0)
		return -errno;
	return val;
}

/*
 * io_uring_enter(2) IORING_OP_SOCKET: "the equivalent of a socket(2)", fd
 * the domain, off the type, len the protocol; the result is the new fd
 * (since 5.19). SO_DOMAIN and SO_TYPE of it say AF_UNIX and SOCK_DGRAM.
 */
TEST(socket_returns_fd_of_requested_domain_and_type)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"io_uring_enter(2) IORING_OP_SOCKET, socket(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket(sqe, AF_UNIX, SOCK_DGRAM, 0, 0);
	fd = uring_submit_res(&ring);
	ASSERT_LE(0, fd);
	EXPECT_EQ(AF_UNIX, sock_opt(fd, SO_DOMAIN));
	EXPECT_EQ(SOCK_DGRAM, sock_opt(fd, SO_TYPE));
	close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * socket(2): SOCK_NONBLOCK sets O_NONBLOCK on the new file and SOCK_CLOEXEC
 * sets FD_CLOEXEC on the fd; through IORING_OP_SOCKET, too (since 5.19).
 * Without them neither is set.
 */
TEST(socket_honours_sock_nonblock_and_sock_cloexec)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int fd, plain;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"socket(2) SOCK_NONBLOCK, SOCK_CLOEXEC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket(sqe, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, 0);
	ASSERT_LE(0, fd = uring_submit_res(&ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket(sqe, AF_UNIX, SOCK_STREAM, 0, 0);
	ASSERT_LE(0, plain = uring_submit_res(&ring));

	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(plain, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(plain, F_GETFD) & FD_CLOEXEC);
	close(fd);
	close(plain);
	io_uring_queue_exit(&ring);
}

/*
 * On a ring of its own, an IORING_OP_SOCKET request for domain and type
 * with rw_flags completes with res (an error).
 */
static void expect_socket_request_res(struct __test_metadata *_metadata,
				      int domain, int type,
				      unsigned int rw_flags, int res)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket(sqe, domain, type, 0, rw_flags);
	EXPECT_EQ(res, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
}

/* socket(2): EAFNOSUPPORT "The implementation does not support the
 * specified address family" - domain 1000 (since 5.19 through the ring). */
TEST(unknown_domain_gets_eafnosupport)
{
	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET", "socket(2) EAFNOSUPPORT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	expect_socket_request_res(_metadata, 1000, SOCK_STREAM, 0, -EAFNOSUPPORT);
}

/* socket(2): EINVAL "Unknown protocol, or protocol family not available" /
 * "Invalid flags in type" - type 1000 is no socket type (since 5.19). */
TEST(invalid_type_gets_einval)
{
	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET", "socket(2) EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	expect_socket_request_res(_metadata, AF_UNIX, 1000, 0, -EINVAL);
}

/* io_uring_enter(2) IORING_OP_SOCKET: "rw_flags is currently unused and
 * must be set to zero"; 1 fails with -EINVAL (since 5.19). */
TEST(nonzero_rw_flags_gets_einval)
{
	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"io_uring_enter(2) IORING_OP_SOCKET: rw_flags must be zero");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	expect_socket_request_res(_metadata, AF_UNIX, SOCK_DGRAM, 1, -EINVAL);
}

/*
 * io_uring_enter(2) IORING_OP_SOCKET: with file_index set "the file won't
 * be installed into the normal file table ... but will be placed into the
 * fixed file table at index file_index - 1 ... the result will contain
 * either 0 on success" (since 5.19). The slot is then a working socket: a
 * datagram sent through it (IOSQE_FIXED_FILE, with a destination address)
 * arrives at a bound AF_UNIX socket.
 */
TEST(direct_socket_in_chosen_slot_gets_zero_and_works)
{
	int files[2] = { -1, -1 }, rx;
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	char buf[8];

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"io_uring_enter(2) IORING_OP_SOCKET with file_index");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_NE(0, uring_unix_addr(&sun, "rx.sock"));
	ASSERT_LE(0, rx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, bind(rx, (struct sockaddr *)&sun, sizeof(sun)));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket_direct(sqe, AF_UNIX, SOCK_DGRAM, 0, 1, 0);
	ASSERT_EQ(0, uring_submit_res(&ring));

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_connect(sqe, 1, (struct sockaddr *)&sun, sizeof(sun));
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(0, uring_submit_res(&ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_send(sqe, 1, "slot", 4, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, uring_submit_res(&ring));
	ASSERT_EQ(4, recv(rx, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "slot", 4));

	io_uring_queue_exit(&ring);
	close(rx);
	unlink(sun.sun_path);
}

/*
 * io_uring_prep_socket_direct(3): with IORING_FILE_INDEX_ALLOC "a free
 * entry in io_uring file table will be used automatically and the file
 * index will be returned as CQE res" (since 5.19). Slot 0 is taken, slot 1
 * is the only free one.
 */
TEST(direct_socket_alloc_returns_the_free_slot)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int pfd[2], files[2];

	CONFORM_DECLARE("5.19", "IORING_FILE_INDEX_ALLOC",
			"io_uring_prep_socket_direct(3) IORING_FILE_INDEX_ALLOC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, conform_pipe(pfd));
	files[0] = pfd[0];
	files[1] = -1;
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket_direct_alloc(sqe, AF_UNIX, SOCK_STREAM, 0, 0);
	EXPECT_EQ(1, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/* io_uring_prep_socket_direct(3): "-ENFILE is otherwise returned if there
 * is no free entries in the io_uring file table" (since 5.19). */
TEST(direct_socket_alloc_with_full_table_gets_enfile)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int pfd[2];

	CONFORM_DECLARE("5.19", "IORING_FILE_INDEX_ALLOC",
			"io_uring_prep_socket_direct(3) ENFILE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, pfd, 2));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket_direct_alloc(sqe, AF_UNIX, SOCK_STREAM, 0, 0);
	EXPECT_EQ(-ENFILE, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_HARNESS_MAIN
