// SPDX-License-Identifier: MIT
/*
 * ref/event-connect: the connect event of the reference driver
 * (ref/event_types.c) on a real ring with AF_UNIX stream sockets: it
 * connects to a listener (0), fails with the errno of connect(2) (-ENOENT
 * for a path with no socket, -ECONNREFUSED for a socket not listening), uses
 * its own copy of the address, and when cancelled before submission frees
 * that copy at once and leaves the socket unconnected.
 * Sources: io_uring_enter(2) IORING_OP_CONNECT (like connect(2), 5.5),
 * connect(2) and unix(7) (ECONNREFUSED, ENOENT), ref/event.h.
 */
#include <sys/un.h>

#include "conform_ref.h"

/* Connect a new socket to addr through the driver; *res gets the result. */
static void connect_via_driver(struct __test_metadata *_metadata,
			       const struct sockaddr_un *addr, int *sock, int *res)
{
	struct ref_connect_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	*sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, *sock);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_connect_event_init(&ev, *sock, (const struct sockaddr *)addr,
					    sizeof(*addr)));
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ref_connect_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_TRUE(ev.done);
	*res = ev.res;
	ref_connect_event_free(&ev);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/* connect(2): 0 on success; the listener then accepts the peer and bytes
 * sent arrive (IORING_OP_CONNECT, 5.5). */
TEST(connect_to_listener_succeeds)
{
	struct sockaddr_un addr;
	int lfd, sock, res, a;
	char buf[4];

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"io_uring_enter(2) IORING_OP_CONNECT; connect(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	lfd = ref_case_unix_listener("sock", &addr);
	ASSERT_LE(0, lfd);
	connect_via_driver(_metadata, &addr, &sock, &res);
	EXPECT_EQ(0, res);
	a = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_LE(0, a);
	ASSERT_EQ(3, write(sock, "hey", 3));
	EXPECT_EQ(3, read(a, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hey", 3));
	close(a);
	close(sock);
	close(lfd);
}

/* unix(7): connecting to a path where no socket exists fails with ENOENT;
 * the event completes with -ENOENT (5.5). */
TEST(connect_to_missing_path_gets_enoent)
{
	struct sockaddr_un addr;
	int sock, res;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"unix(7) ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	ASSERT_EQ(0, ref_case_unix_addr(&addr, "no-such-socket"));
	connect_via_driver(_metadata, &addr, &sock, &res);
	EXPECT_EQ(-ENOENT, res);
	close(sock);
}

/* connect(2) ECONNREFUSED: "No-one listening on the remote address"; a bound
 * AF_UNIX socket that never called listen() refuses (5.5). */
TEST(connect_to_socket_not_listening_gets_econnrefused)
{
	struct sockaddr_un addr;
	int bound, sock, res;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"connect(2) ECONNREFUSED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	bound = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, bound);
	ASSERT_EQ(0, ref_case_unix_addr(&addr, "bound-only"));
	ASSERT_EQ(0, bind(bound, (struct sockaddr *)&addr, sizeof(addr)));
	connect_via_driver(_metadata, &addr, &sock, &res);
	EXPECT_EQ(-ECONNREFUSED, res);
	close(sock);
	close(bound);
}

/* ref/event.h: the event owns a copy of the address: the caller's sockaddr
 * rewritten after init (even before submission) changes nothing (5.5). */
TEST(connect_uses_its_own_copy_of_the_address)
{
	struct sockaddr_un addr, scratch;
	struct ref_connect_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	int lfd, sock, a;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"ref/event.h: the event owns a copy of the address");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	lfd = ref_case_unix_listener("sock", &addr);
	ASSERT_LE(0, lfd);
	scratch = addr;
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sock);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_connect_event_init(&ev, sock, (struct sockaddr *)&scratch,
					    sizeof(scratch)));
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ref_connect_ops, &id));
	memset(scratch.sun_path, 'x', sizeof(scratch.sun_path) - 1);
	ASSERT_EQ(0, ref_case_drain(&drv));
	EXPECT_EQ(0, ev.res);
	a = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	EXPECT_LE(0, a);
	if (a >= 0)
		close(a);
	ref_connect_event_free(&ev);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	close(sock);
	close(lfd);
}

/* ref/event.h: a connect cancelled before submission never runs: its
 * address copy is released at once (once), and the socket stays unconnected
 * (getpeername(2): ENOTCONN) while the listener has no connection pending
 * (not readable, poll(2)) (5.5). */
TEST(connect_cancelled_before_submit_never_connects)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_connect_ops);
	struct sockaddr_un addr;
	struct ref_connect_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	struct sockaddr_un peer;
	socklen_t len = sizeof(peer);
	ref_event_id id;
	int lfd, sock;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT",
			"ref/event.h; getpeername(2) ENOTCONN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	lfd = ref_case_unix_listener("sock", &addr);
	ASSERT_LE(0, lfd);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sock);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_connect_event_init(&ev, sock, (struct sockaddr *)&addr,
					    sizeof(addr)));
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ops, &id));
	ASSERT_EQ(0, ref_driver_cancel(&drv, id, true));
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(NULL, ev.addr);
	EXPECT_EQ(1, ref_case_run(&drv, 1));	/* the NOP */
	EXPECT_EQ(1u, drv.stats.ignored);
	EXPECT_FALSE(ev.done);
	EXPECT_EQ(-1, getpeername(sock, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_FALSE(conform_fd_readable(lfd, 0));	/* no pending connection */
	ref_connect_event_free(&ev);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	close(sock);
	close(lfd);
}

TEST_HARNESS_MAIN
