// SPDX-License-Identifier: MIT
/*
 * uring/netns: IORING_OP_SOCKET (5.19) and network namespaces. socket(2)
 * creates a socket in the network namespace of the calling process, and
 * io_uring_enter(2) calls IORING_OP_SOCKET "the equivalent of a socket(2)".
 * The test child leaves the namespace it started in with
 * unshare(CLONE_NEWNET) (needs CAP_SYS_ADMIN; skipped otherwise) and looks
 * at where io_uring's sockets land, comparing the namespace of each socket
 * (ioctl SIOCGSKNS, socket(7), since 4.9, gives an fd of it; its inode
 * names the namespace) with those of sockets socket(2) made before and
 * after the unshare. No /proc is needed.
 *
 * What the kernels show (all that have IORING_OP_SOCKET; none documents
 * the io-wq and SQPOLL cases, so they are asserted as observed, and kernel
 * source says why): a request issued inline by the submitter uses its
 * current namespace, also on a ring made before the unshare. A request
 * run by an io-wq worker uses the worker's namespace: io-wq workers are
 * threads copied from the task when they are made (create_io_thread() in
 * io_uring/io-wq.c) and keep the namespaces it had then; a worker made
 * after the unshare creates the socket in the new namespace, one made
 * before it (kept by IORING_REGISTER_IOWQ_MAX_WORKERS at one worker) in the
 * old one. A request of an SQPOLL ring is issued by its SQ thread, made at
 * io_uring_setup(2), which has the namespace of that moment. Credentials,
 * unlike namespaces, are taken per request at submission (uring/userns).
 */
#include <liburing.h>
#include <linux/sockios.h>
#include <stddef.h>
#include <sys/un.h>

#include "conform_uring.h"

/* Idle time (ms) of SQ threads that must not fall asleep in a test. */
enum { AWAKE_IDLE_MS = 10000 };

/*
 * The network namespace of socket fd, as the inode number of the nsfs file
 * SIOCGSKNS opens (socket(7)); 0 when it cannot be had (errno).
 */
static unsigned long netns_of(int fd)
{
	struct stat st;
	int nsfd = ioctl(fd, SIOCGSKNS);

	if (nsfd < 0)
		return 0;
	if (fstat(nsfd, &st) < 0)
		st.st_ino = 0;
	close(nsfd);
	return (unsigned long)st.st_ino;
}

/* The network namespace socket(2) creates sockets in now; 0 on failure. */
static unsigned long current_netns(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	unsigned long ino;

	if (fd < 0)
		return 0;
	ino = netns_of(fd);
	close(fd);
	return ino;
}

/*
 * In a TEST: the namespace of the test child (in *old), then
 * unshare(CLONE_NEWNET) and the new one (in *new); skips when the unshare
 * is refused or SIOCGSKNS does not work. Returns false when skipped.
 */
static bool leave_netns(struct __test_metadata *_metadata,
			unsigned long *old, unsigned long *new)
{
	int err;

	*old = current_netns();
	if (!*old)
		SKIP(return false, CONFORM_ENV "ioctl(SIOCGSKNS) on a socket failed: %s",
		     strerror(errno));
	if (unshare(CLONE_NEWNET) < 0) {
		err = errno;
		if (err == EPERM)
			SKIP(return false, CONFORM_ENV "unshare(CLONE_NEWNET): EPERM (needs CAP_SYS_ADMIN)");
		SKIP(return false, CONFORM_ENV "unshare(CLONE_NEWNET): %s (kernel without CONFIG_NET_NS?)",
		     strerror(err));
	}
	*new = current_netns();
	ASSERT_NE(0ul, *new);
	ASSERT_NE(*old, *new) TH_LOG("unshare(CLONE_NEWNET) left the namespace as it was");
	return true;
}

#define LEAVE_NETNS(old, new)                                                  \
	do {                                                                   \
		if (!leave_netns(_metadata, old, new))                         \
			return;                                                \
	} while (0)

/*
 * IORING_OP_SOCKET of an AF_UNIX datagram socket (or AF_INET with inet)
 * on ring, with the SQE flags given: the fd (the CQE's res), negative on
 * failure.
 */
static int uring_socket(struct io_uring *ring, unsigned char sqe_flags,
			bool inet)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_socket(sqe, inet ? AF_INET : AF_UNIX,
			     SOCK_DGRAM | SOCK_CLOEXEC, 0, 0);
	sqe->flags |= sqe_flags;
	return uring_submit_res(ring);
}

/* The namespace of a socket made by IORING_OP_SOCKET; 0 on failure. */
static unsigned long uring_socket_netns(struct __test_metadata *_metadata,
					struct io_uring *ring,
					unsigned char sqe_flags)
{
	unsigned long ino;
	int fd = uring_socket(ring, sqe_flags, false);

	EXPECT_LE(0, fd);
	if (fd < 0)
		return 0;
	ino = netns_of(fd);
	close(fd);
	return ino;
}

static int sqpoll_ring(struct io_uring *ring)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	return io_uring_queue_init_params(4, ring, &p);
}

/*
 * io_uring_enter(2) IORING_OP_SOCKET, "the equivalent of a socket(2)";
 * socket(2) creates the socket in the caller's network namespace: after
 * unshare(CLONE_NEWNET) a ring's socket is in the new namespace, not the
 * old one, and (a fresh namespace having its loopback interface down,
 * network_namespaces(7)) an AF_INET socket from it sees lo down
 * (since 5.19).
 */
TEST(socket_after_unshare_is_in_new_netns)
{
	unsigned long old, new;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"io_uring_enter(2) IORING_OP_SOCKET; socket(2); "
			"network_namespaces(7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	LEAVE_NETNS(&old, &new);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(new, uring_socket_netns(_metadata, &ring, 0));
	fd = uring_socket(&ring, 0, true);
	ASSERT_LE(0, fd);
	EXPECT_FALSE(conform_loopback_up(fd))
		TH_LOG("lo is up for a socket of the new namespace");
	close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * A ring made before unshare(CLONE_NEWNET) does not keep its creator's
 * namespace: IORING_OP_SOCKET issued inline by the submitter after the
 * unshare creates the socket in the submitter's current (new) namespace,
 * as socket(2) would (io_uring/net.c io_socket() calls __sys_socket_file()
 * in the submitter's context) (since 5.19).
 */
TEST(ring_made_before_unshare_makes_socket_in_current_netns)
{
	unsigned long old, new;
	struct io_uring ring;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"io_uring_enter(2) IORING_OP_SOCKET; socket(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(current_netns(), uring_socket_netns(_metadata, &ring, 0));
	LEAVE_NETNS(&old, &new);
	EXPECT_EQ(new, uring_socket_netns(_metadata, &ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * IOSQE_ASYNC (io_uring_enter(2)) has an io-wq worker run the request. The
 * task's first worker, made after unshare(CLONE_NEWNET), is a copy of the
 * task as it is then (io_uring/io-wq.c create_io_worker() ->
 * create_io_thread()) and creates the socket in the new namespace, as
 * socket(2) would (since 5.19).
 */
TEST(async_socket_from_worker_made_after_unshare_is_in_new_netns)
{
	unsigned long old, new;
	struct io_uring ring;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"io_uring_enter(2) IORING_OP_SOCKET, IOSQE_ASYNC; "
			"io_uring/io-wq.c create_io_worker()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	LEAVE_NETNS(&old, &new);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(new, uring_socket_netns(_metadata, &ring, IOSQE_ASYNC));
	io_uring_queue_exit(&ring);
}

/*
 * Observed, not documented (io_uring_enter(2) calls IORING_OP_SOCKET the
 * equivalent of socket(2), which would use the caller's namespace): an
 * io-wq worker keeps the namespaces of the task at the time it was made.
 * With the task's io-wq limited to one worker (IORING_REGISTER_IOWQ_MAX_WORKERS,
 * 5.15) and that worker made by an IOSQE_ASYNC socket before
 * unshare(CLONE_NEWNET), an IOSQE_ASYNC socket submitted after it is
 * created in the OLD namespace; one issued inline lands in the new one
 * (since 5.19, every kernel with IORING_OP_SOCKET).
 */
TEST(async_socket_from_worker_made_before_unshare_is_in_old_netns)
{
	unsigned int limits[2] = { 1, 1 };
	unsigned long old, new;
	struct io_uring ring;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"observed; io_uring/io-wq.c create_io_thread() copies the "
			"task's namespaces when the worker is made");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_IOWQ_MAX_WORKERS,
					limits, 2))
		TH_LOG("IORING_REGISTER_IOWQ_MAX_WORKERS: %s", strerror(errno));
	/* The one worker, made now: */
	EXPECT_EQ(current_netns(),
		  uring_socket_netns(_metadata, &ring, IOSQE_ASYNC));
	LEAVE_NETNS(&old, &new);
	EXPECT_EQ(old, uring_socket_netns(_metadata, &ring, IOSQE_ASYNC))
		TH_LOG("the worker made before the unshare created the socket elsewhere (new: %lu)",
		       new);
	EXPECT_EQ(new, uring_socket_netns(_metadata, &ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * Observed, not documented: an SQPOLL ring's requests are issued by its SQ
 * thread, made by io_uring_setup(2) (io_uring/sqpoll.c
 * io_sq_offload_create()) with the namespaces the task had then. A ring
 * set up before unshare(CLONE_NEWNET) creates sockets in the old
 * namespace after it; one set up after the unshare in the new one
 * (since 5.19).
 */
TEST(sqpoll_socket_is_in_netns_of_ring_setup)
{
	struct io_uring before, after;
	unsigned long old, new;

	CONFORM_DECLARE("5.19", "IORING_SETUP_SQPOLL",
			"observed; io_uring/sqpoll.c io_sq_offload_create() "
			"makes the SQ thread at setup");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, sqpoll_ring(&before));
	LEAVE_NETNS(&old, &new);
	ASSERT_EQ(0, sqpoll_ring(&after));
	EXPECT_EQ(old, uring_socket_netns(_metadata, &before, 0));
	EXPECT_EQ(new, uring_socket_netns(_metadata, &after, 0));
	io_uring_queue_exit(&before);
	io_uring_queue_exit(&after);
}

/*
 * network_namespaces(7): each namespace has its own abstract UNIX socket
 * namespace (unix(7)). A datagram socket made by IORING_OP_SOCKET after
 * unshare(CLONE_NEWNET) cannot reach an abstract address bound in the old
 * namespace: IORING_OP_CONNECT (5.5) to it completes with -ECONNREFUSED,
 * as for an address no socket has (unix(7) ERRORS), while a socket made
 * before the unshare connects (since 5.19).
 */
TEST(socket_in_new_netns_cannot_reach_old_abstract_address)
{
	struct sockaddr_un sun;
	struct io_uring_sqe *sqe;
	unsigned long old, new;
	struct io_uring ring;
	socklen_t len;
	int bound, early, fd;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"network_namespaces(7) abstract UNIX sockets; unix(7) "
			"ECONNREFUSED; io_uring_enter(2) IORING_OP_CONNECT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			  snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
				   "aioconf-netns-%d", (int)getpid()));
	bound = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, bound);
	ASSERT_EQ(0, bind(bound, (struct sockaddr *)&sun, len));
	early = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, early);
	LEAVE_NETNS(&old, &new);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	fd = uring_socket(&ring, 0, false);
	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_connect(sqe, fd, (struct sockaddr *)&sun, len);
	EXPECT_EQ(-ECONNREFUSED, uring_submit_res(&ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_connect(sqe, early, (struct sockaddr *)&sun, len);
	EXPECT_EQ(0, uring_submit_res(&ring));
	close(fd);
	close(early);
	close(bound);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
