// SPDX-License-Identifier: MIT
/*
 * ref/event-accept: the accept event of the reference driver
 * (ref/event_types.c) on a real ring with AF_UNIX stream sockets: it
 * completes with a connected fd (SOCK_CLOEXEC); cancelled while waiting it
 * ends with -ECANCELED and takes no connection; cancelled without asking when
 * a connection then comes in, the fd the kernel still accepts is closed by
 * the cancellation, never leaked; on a socket that is not listening it fails
 * with -EINVAL.
 * Sources: ref/event.h ("on cancel, an fd the kernel still accepts is
 * closed"), io_uring_enter(2) IORING_OP_ACCEPT (like accept4(2), 5.5),
 * accept(2) (EINVAL: socket is not listening).
 */
#include <sys/un.h>

#include "conform_ref.h"

/* A new AF_UNIX stream socket connected to addr, or -1. */
static int unix_client(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct setup {
	struct sockaddr_un addr;
	struct ref_accept_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	int lfd;
};

/* A listener and an accept event on it, submitted (no connection yet). */
static void start_accept(struct __test_metadata *_metadata, struct setup *s,
			 const struct ref_event_ops *ops)
{
	s->lfd = ref_case_unix_listener("sock", &s->addr);
	ASSERT_LE(0, s->lfd);
	ASSERT_EQ(0, ref_ring_init(&s->ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&s->drv, &s->ring, 2));
	memset(&s->ev, 0, sizeof(s->ev));
	s->ev.fd = s->lfd;
	ASSERT_EQ(0, ref_driver_start(&s->drv, &s->ev, ops, &s->id));
	ASSERT_EQ(1, ref_driver_submit(&s->drv));
}

static void teardown(struct setup *s)
{
	ref_driver_free(&s->drv);
	ref_ring_free(&s->ring);
	close(s->lfd);
}

/* io_uring_enter(2) IORING_OP_ACCEPT (5.5): completes with the fd of the new
 * connection; bytes the client sends arrive on it. */
TEST(accept_completes_with_connected_fd)
{
	struct setup s;
	char buf[8];
	int c;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"io_uring_enter(2) IORING_OP_ACCEPT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	start_accept(_metadata, &s, &ref_accept_ops);
	c = unix_client(&s.addr);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	ASSERT_TRUE(s.ev.done);
	ASSERT_LE(0, s.ev.res);
	ASSERT_EQ(4, write(c, "ping", 4));
	EXPECT_EQ(4, read(s.ev.res, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	close(s.ev.res);
	close(c);
	teardown(&s);
}

/* io_uring_enter(2): accept_flags are accept4(2)'s; the event asks for
 * SOCK_CLOEXEC, so the new fd has FD_CLOEXEC (5.5). */
TEST(accepted_fd_is_cloexec)
{
	struct setup s;
	int c;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"io_uring_enter(2) IORING_OP_ACCEPT: accept_flags as "
			"accept4(2) SOCK_CLOEXEC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	start_accept(_metadata, &s, &ref_accept_ops);
	c = unix_client(&s.addr);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	ASSERT_LE(0, s.ev.res);
	EXPECT_EQ(FD_CLOEXEC, fcntl(s.ev.res, F_GETFD) & FD_CLOEXEC);
	close(s.ev.res);
	close(c);
	teardown(&s);
}

/* io_uring_enter(2) IORING_OP_ASYNC_CANCEL: a waiting accept is found (0)
 * and completes with -ECANCELED; it took nothing, so a connection made
 * afterwards waits in the backlog for accept4(2) (5.7: the accept waits in
 * io_uring's poll, IORING_FEAT_FAST_POLL; on 5.5 and 5.6 it blocks in io-wq,
 * where a cancel finds it running). */
TEST(cancel_of_waiting_accept_gets_ecanceled_and_takes_nothing)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_accept_ops);
	struct setup s;
	int c, a;

	CONFORM_DECLARE("5.7", "IORING_FEAT_FAST_POLL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: 0 and "
			"-ECANCELED for an accept waiting in io_uring's poll "
			"(IORING_FEAT_FAST_POLL 5.7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_FAST_POLL);
	start_accept(_metadata, &s, &ops);
	ASSERT_EQ(0, ref_driver_cancel(&s.drv, s.id, true));
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	EXPECT_EQ(0, ref_case_seen.cancel_res);
	EXPECT_EQ(1, ref_case_seen.completed);
	EXPECT_EQ(-ECANCELED, ref_case_seen.last_res);
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_FALSE(s.ev.done);
	c = unix_client(&s.addr);
	ASSERT_LE(0, c);
	a = accept4(s.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	EXPECT_LE(0, a);
	if (a >= 0)
		close(a);
	close(c);
	teardown(&s);
}

/*
 * ref/event.h: "On cancel, an fd the kernel still accepts is closed, never
 * leaked." Cancelled without asking, the accept still takes the connection
 * that comes next; its fd reaches the cancellation and is closed there: the
 * number is no longer open, and the client sees end-of-file (5.5).
 */
TEST(fd_accepted_after_cancel_is_closed)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_accept_ops);
	struct setup s;
	char buf[4];
	int c;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"ref/event.h: an fd the kernel still accepts is "
			"closed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	start_accept(_metadata, &s, &ops);
	ASSERT_EQ(0, ref_driver_cancel(&s.drv, s.id, false));
	c = unix_client(&s.addr);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	ASSERT_EQ(1, ref_case_seen.completed);
	ASSERT_LE(0, ref_case_seen.last_res);
	EXPECT_EQ(-1, fcntl(ref_case_seen.last_res, F_GETFD));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, read(c, buf, sizeof(buf)));
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_FALSE(s.ev.done);
	close(c);
	teardown(&s);
}

/* accept(2): EINVAL "Socket is not listening for connections"; the event
 * completes with -EINVAL (5.5). */
TEST(accept_on_socket_not_listening_gets_einval)
{
	struct ref_accept_event ev = { 0 };
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	int fd;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"accept(2) EINVAL: socket is not listening");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ev.fd = fd;
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ref_accept_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	EXPECT_TRUE(ev.done);
	EXPECT_EQ(-EINVAL, ev.res);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
