// SPDX-License-Identifier: MIT
/*
 * uring/ring-exit: closing the last reference of a ring (io_uring_queue_exit:
 * the rings unmapped and the fd closed) with requests still in flight ends
 * them and releases what they hold: a READ on an empty pipe (inline and
 * with IOSQE_ASYNC), a RECV on a socketpair, a POLL_ADD, a multishot
 * POLL_ADD (IORING_POLL_ADD_MULTI, 5.13), an ACCEPT, a linked chain, a
 * READ with a provided buffer (IORING_OP_PROVIDE_BUFFERS, 5.7), a READ
 * through a registered file, and a long TIMEOUT (whose end lets the ring,
 * and with it its file table, go). The ring stays alive while its rings are
 * still mapped, and a process that exits with requests pending frees them
 * too (since 5.1 for POLL_ADD; 5.6 for IORING_OP_READ and IORING_OP_RECV).
 *
 * Every request here holds a file whose other end the test keeps, so the
 * release is seen from outside the ring: a writer of a pipe whose read end
 * only the ring held sees POLLERR and gets EPIPE (pipe(7), poll(2)), the
 * peer of a stream socket sees end of file (recv(2)), and a listener's
 * address becomes free again so that connect(2) gets ECONNREFUSED.
 *
 * The kernel ends a ring in two steps: the final close of the ring file
 * (io_uring_release) starts the teardown, and the ring's exit work, run
 * later on a kernel workqueue, cancels what is left and frees the ring
 * (kernel io_ring_ctx_wait_and_kill() and io_ring_exit_work()). The tests
 * therefore wait for the release they expect with a bound (2 s, checking
 * every 2 ms), a guard against a release that never comes, not a timing
 * check.
 */
#include <liburing.h>
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <sys/un.h>

#include "conform_uring.h"

enum {
	/* Step (ms) of the bounded waits for a release. */
	RELEASE_STEP_MS = 2,
	/* A timeout that outlives any test (s). */
	LONG_TIMEOUT_S = 600,
};

/*
 * Wait, at most URING_REAP_BOUND_MS, until wfd, the write end of a pipe,
 * polls POLLERR: poll(2) "This bit is also set for a file descriptor
 * referring to the write end of a pipe when the read end has been closed."
 * An empty pipe's write end is always writable, so poll(2) cannot sleep
 * until then: the state is checked every RELEASE_STEP_MS.
 */
static bool wait_reader_gone(int wfd)
{
	struct timespec step = { .tv_nsec = RELEASE_STEP_MS * 1000000L };

	for (int i = 0; i < URING_REAP_BOUND_MS / RELEASE_STEP_MS; i++) {
		struct pollfd pfd = { .fd = wfd, .events = POLLOUT };

		if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR))
			return true;
		nanosleep(&step, NULL);
	}
	return false;
}

/*
 * Inside a TEST: end ring with io_uring_queue_exit() and EXPECT that the
 * read end of the pipe written through wfd, whose only reference the ring
 * held, is released: the write end polls POLLERR within the bound, and a
 * write then fails with EPIPE (pipe(7); SIGPIPE is ignored).
 */
static void exit_and_expect_epipe(struct __test_metadata *_metadata,
				  struct io_uring *ring, int wfd)
{
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	io_uring_queue_exit(ring);
	EXPECT_TRUE(wait_reader_gone(wfd))
		TH_LOG("the read end is still open %d ms after the ring's exit",
		       URING_REAP_BOUND_MS);
	EXPECT_EQ(-1, write(wfd, "x", 1));
	EXPECT_EQ(EPIPE, errno);
}

/*
 * A 4-entry ring and an empty pipe p, with an IORING_OP_READ of 16 bytes
 * of p[0] into buf submitted (SQE flags sqe_flags) and seen pending; then
 * the test's own p[0] is closed, so the request holds the only reference
 * to the read end. 0, or -1.
 */
static int ring_with_pending_read(struct io_uring *ring, int p[2], char *buf,
				  unsigned char sqe_flags)
{
	struct io_uring_sqe *sqe;

	if (conform_pipe(p))
		return -1;
	if (io_uring_queue_init(4, ring, 0))
		return -1;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_read(sqe, p[0], buf, 16, 0);
	sqe->flags |= sqe_flags;
	io_uring_sqe_set_data64(sqe, 1);
	if (io_uring_submit(ring) != 1 || uring_wait_briefly(ring) != -ETIME)
		return -1;
	return close(p[0]);
}

/*
 * io_uring_setup(2): the ring is torn down when its file is released
 * (close(2) of the last reference); in-flight requests are cancelled by
 * the ring's exit (kernel io_ring_exit_work()) and drop their file
 * references: an IORING_OP_READ pending on an empty pipe whose read end
 * only it holds lets the read end go, and a writer gets EPIPE (pipe(7))
 * (since 5.6, IORING_OP_READ).
 */
TEST(exit_ends_pending_read_and_releases_pipe)
{
	struct io_uring ring;
	char buf[16];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_setup(2) ring torn down on close; pipe(7) EPIPE; kernel io_ring_exit_work()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, ring_with_pending_read(&ring, p, buf, 0));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IOSQE_ASYNC: the request is issued from an io-wq
 * worker. The ring's exit cancels io-wq work too (kernel
 * io_uring_try_cancel_requests() cancels the ring's io-wq work, a running
 * one by signalling its worker): the read end, held only by the async
 * READ, is released and a writer gets EPIPE (since 5.6, IOSQE_ASYNC and
 * IORING_OP_READ).
 */
TEST(exit_ends_async_read_and_releases_pipe)
{
	struct io_uring ring;
	char buf[16];
	int p[2];

	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IOSQE_ASYNC; pipe(7) EPIPE; kernel io_uring_try_cancel_requests()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	URING_REQUIRE_SQE_FLAG(IOSQE_ASYNC);
	ASSERT_EQ(0, ring_with_pending_read(&ring, p, buf, IOSQE_ASYNC));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/*
 * recv(2): "When a stream socket peer has performed an orderly shutdown,
 * the return value will be 0". An IORING_OP_RECV pending on sv[0] of a
 * socketpair, whose only reference it holds, is ended by the ring's exit;
 * the socket is then closed, and the peer sees end of file: sv[1] becomes
 * readable and recv returns 0 (since 5.6, IORING_OP_RECV). Nothing was
 * left unread on sv[0], so the close is an orderly one, not a reset.
 */
TEST(exit_ends_pending_recv_and_peer_sees_eof)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[16], c;
	int sv[2];

	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"recv(2) return 0 after the peer's orderly shutdown; kernel io_ring_exit_work()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv(sqe, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(0, close(sv[0]));
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	io_uring_queue_exit(&ring);
	EXPECT_TRUE(conform_fd_readable(sv[1], URING_REAP_BOUND_MS));
	EXPECT_EQ(0, recv(sv[1], &c, 1, MSG_DONTWAIT));
	close(sv[1]);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD: a poll request holds its file
 * while armed. The ring's exit removes it (kernel io_poll_remove_all() in
 * the exit path) and the pipe's read end, held only by the poll, is
 * released: a writer gets EPIPE (since 5.1).
 */
TEST(exit_ends_poll_add_and_releases_pipe)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD; pipe(7) EPIPE; kernel io_poll_remove_all() on ring exit");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(0, close(p[0]));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/*
 * NULL if a multishot poll is accepted: IORING_POLL_ADD_MULTI came in
 * 5.13; older kernels fail a poll with a non-zero len with -EINVAL. The
 * probe polls for POLLOUT on a pipe's write end (ready at once) on a ring
 * of its own, closed again with the pipe.
 */
static const char *multishot_poll_missing(void)
{
	struct io_uring_sqe sqe;
	const char *why;
	int p[2];

	if (conform_pipe(p))
		return CONFORM_ENV "pipe failed in the multishot poll probe";
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_poll_add(&sqe, p[1], POLLOUT);
	sqe.len = IORING_POLL_ADD_MULTI;
	why = uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					"a POLLOUT poll of a pipe",
					"IORING_POLL_ADD_MULTI (5.13)");
	close(p[0]);
	close(p[1]);
	return why;
}

/*
 * io_uring_enter(2) IORING_POLL_ADD_MULTI: the poll "will continue to
 * report events until the poll is canceled" (here one event, with
 * IORING_CQE_F_MORE); the ring's exit is such a cancellation, and the read
 * end the multishot poll held is released: a writer gets EPIPE (since
 * 5.13).
 */
TEST(exit_ends_multishot_poll_and_releases_pipe)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char c;
	int p[2];

	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_POLL_ADD_MULTI; pipe(7) EPIPE; kernel io_poll_remove_all() on ring exit");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(multishot_poll_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	sqe->len = IORING_POLL_ADD_MULTI;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_TRUE(cqe.res > 0 && (cqe.res & POLLIN));
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(1, read(p[0], &c, 1));
	ASSERT_EQ(0, close(p[0]));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/*
 * An AF_UNIX address in the abstract namespace (unix(7): "an abstract
 * socket address is distinguished ... by the fact that sun_path[0] is a
 * null byte"), named after this process and tag; its length.
 */
static socklen_t abstract_addr(struct sockaddr_un *sun, const char *tag)
{
	int n;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	n = snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1,
		     "aioconf-ring-exit-%d-%s", (int)getpid(), tag);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

/*
 * Wait, at most URING_REAP_BOUND_MS, until the abstract address is free:
 * unix(7) "The abstract socket namespace ... the name ... has no
 * connection with filesystem pathnames"; a bind(2) to a name in use fails
 * with EADDRINUSE, and the name is freed with its last socket. Checked
 * every RELEASE_STEP_MS; binding takes nothing from a listener still
 * there. Returns true once a bind succeeded (that socket is closed again).
 */
static bool wait_addr_free(const struct sockaddr_un *sun, socklen_t len)
{
	struct timespec step = { .tv_nsec = RELEASE_STEP_MS * 1000000L };

	for (int i = 0; i < URING_REAP_BOUND_MS / RELEASE_STEP_MS; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int ret;

		if (s < 0)
			return false;
		ret = bind(s, (const struct sockaddr *)sun, len);
		close(s);
		if (ret == 0)
			return true;
		if (errno != EADDRINUSE)
			return false;
		nanosleep(&step, NULL);
	}
	return false;
}

/*
 * connect(2) ECONNREFUSED: "No-one listening on the remote address". An
 * IORING_OP_ACCEPT pending on a listening AF_UNIX socket, whose only
 * reference it holds, is ended by the ring's exit; the listener is then
 * closed, its address free, and a connect to it is refused (since 5.5,
 * IORING_OP_ACCEPT). The release is watched through bind(2), which does not
 * connect: a connect while the ACCEPT was still armed would complete it.
 */
TEST(exit_ends_accept_and_listener_refuses_connect)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(&sun, "accept");
	int lfd, cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"connect(2) ECONNREFUSED; unix(7) abstract namespace; kernel io_ring_exit_work()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&sun, len));
	ASSERT_EQ(0, listen(lfd, 4));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(0, close(lfd));
	io_uring_queue_exit(&ring);
	ASSERT_TRUE(wait_addr_free(&sun, len))
		TH_LOG("the listener's address is still bound %d ms after the ring's exit",
		       URING_REAP_BOUND_MS);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-1, connect(cfd, (struct sockaddr *)&sun, len));
	EXPECT_EQ(ECONNREFUSED, errno);
	close(cfd);
}

/*
 * io_uring_register(2): registered files are the ring's "long term
 * references", dropped when the ring is freed (kernel io_ring_ctx_free()
 * unregisters the file table), and the ring is freed only once all its
 * requests are gone (io_ring_exit_work() waits for the ring's references).
 * With a 600 s IORING_OP_TIMEOUT in flight, the pipe read end registered
 * as the ring's only file (the fd closed) is still released soon after the
 * exit: the exit ends the timeout, and a writer gets EPIPE (since 5.4,
 * IORING_OP_TIMEOUT).
 */
TEST(exit_ends_long_timeout_and_frees_registered_file)
{
	struct __kernel_timespec ts = { .tv_sec = LONG_TIMEOUT_S };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int p[2];

	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_register(2) long term references; kernel io_ring_exit_work(), io_ring_ctx_free()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &p[0], 1));
	ASSERT_EQ(0, close(p[0]));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "If an error occurs ... the next SQE in
 * the chain ... will be cancelled"; the ring's exit cancels the head (an
 * IORING_OP_READ pending on pipe a) and with it the chain: the linked
 * IORING_OP_WRITE of a byte into pipe b never runs. The head's read end
 * is released (a writer gets EPIPE), and b's reader, once b's write end
 * (held by nobody but the never-issued write) is gone, polls POLLHUP and
 * reads end of file, not the byte (pipe(7): "an attempt to read(2) from
 * the pipe will see end-of-file") (since 5.6, IORING_OP_READ and
 * IORING_OP_WRITE).
 */
TEST(exit_cancels_linked_chain_without_running_the_link)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct pollfd pfd;
	char buf[16], c;
	int a[2], b[2];

	CONFORM_DECLARE("5.6", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK; pipe(7) EPIPE and end of file");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, a[0], buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, b[1], "x", 1, 0);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(0, close(a[0]));
	ASSERT_EQ(0, close(b[1]));
	exit_and_expect_epipe(_metadata, &ring, a[1]);
	pfd = (struct pollfd){ .fd = b[0], .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, URING_REAP_BOUND_MS));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(0, read(b[0], &c, 1));
	close(a[1]);
	close(b[0]);
}

/*
 * io_uring_prep_provide_buffers(3): a read with IOSQE_BUFFER_SELECT takes
 * a buffer of the group when it has data. One pending on an empty pipe
 * (it has taken no buffer yet) is ended by the ring's exit like any other,
 * and its read end is released: a writer gets EPIPE (since 5.7,
 * IORING_OP_PROVIDE_BUFFERS).
 */
TEST(exit_ends_provided_buffer_read_and_releases_pipe)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char bufs[2][16];
	int p[2];

	CONFORM_DECLARE("5.7", "IORING_OP_PROVIDE_BUFFERS",
			"io_uring_prep_provide_buffers(3); pipe(7) EPIPE; kernel io_ring_exit_work()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_provide_buffers(sqe, bufs, sizeof(bufs[0]), 2, 7, 0);
	ASSERT_LE(0, uring_submit_res(&ring));	/* 2, or 0 since 5.18 */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, p[0], NULL, sizeof(bufs[0]), 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = 7;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(0, close(p[0]));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES: the table holds "long term
 * references" until it is unregistered or the ring goes. A ring that exits
 * with an IOSQE_FIXED_FILE read pending on its registered pipe read end
 * (the fd closed, so the table and the request hold the only references)
 * leaks neither: the read end is released and a writer gets EPIPE (since
 * 5.6, IORING_OP_READ).
 */
TEST(exit_with_fixed_file_read_frees_registered_file)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[16];
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_REGISTER_FILES",
			"io_uring_register(2) IORING_REGISTER_FILES long term references; pipe(7) EPIPE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &p[0], 1));
	ASSERT_EQ(0, close(p[0]));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	exit_and_expect_epipe(_metadata, &ring, p[1]);
	close(p[1]);
}

/* Peek (bounded, as uring_wait_cqe_ms, but without the ring fd) for a CQE. */
static int peek_cqe_bounded(struct io_uring *ring, struct io_uring_cqe *out)
{
	struct timespec step = { .tv_nsec = RELEASE_STEP_MS * 1000000L };

	for (int i = 0; i < URING_REAP_BOUND_MS / RELEASE_STEP_MS; i++) {
		unsigned int tail = io_uring_smp_load_acquire(ring->cq.ktail);
		unsigned int head = *ring->cq.khead;

		if (tail != head) {
			*out = ring->cq.cqes[head & *ring->cq.kring_mask];
			io_uring_smp_store_release(ring->cq.khead, head + 1);
			return 0;
		}
		nanosleep(&step, NULL);
	}
	return -ETIME;
}

/*
 * mmap(2): "After the mmap() call has returned, the file descriptor, fd,
 * can be closed immediately without invalidating the mapping": a mapping
 * holds its own reference to the ring file, so closing the ring fd while
 * the rings are mapped does not end the ring. A READ pending on pipe b
 * completes into the still-mapped CQ ring once b is written, and the read
 * end of pipe a stays held by its pending READ; only the munmap of the
 * last mapping ends the ring and releases a's read end (since 5.6,
 * IORING_OP_READ).
 */
TEST(mapped_rings_keep_ring_alive_after_fd_close)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char bufa[16], bufb[16];
	struct pollfd pfd;
	int a[2], b[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"mmap(2) the fd can be closed without invalidating the mapping; io_uring_setup(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, a[0], bufa, sizeof(bufa), 0);
	io_uring_sqe_set_data64(sqe, 0xa);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, b[0], bufb, sizeof(bufb), 0);
	io_uring_sqe_set_data64(sqe, 0xb);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(0, close(a[0]));
	ASSERT_EQ(0, close(b[0]));
	ASSERT_EQ(0, close(ring.ring_fd));
	ring.ring_fd = -1;	/* io_uring_queue_exit() then only unmaps */
	ASSERT_EQ(3, write(b[1], "abc", 3));
	ASSERT_EQ(0, peek_cqe_bounded(&ring, &cqe));
	EXPECT_EQ(0xbu, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	EXPECT_EQ(0, memcmp(bufb, "abc", 3));
	pfd = (struct pollfd){ .fd = a[1], .events = POLLOUT };
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents & POLLERR);
	exit_and_expect_epipe(_metadata, &ring, a[1]);
	close(a[1]);
	close(b[1]);
}

/*
 * exit(2)/_exit(2) close the process's file descriptors, the last
 * reference of a ring only the process held; the kernel also cancels the
 * exiting task's requests (kernel commit 0f2122045b94 "io_uring: don't
 * rely on weak ->files references", 5.10: "When the tasks execs or exits
 * ... we cancel requests"). A child that exits, without io_uring_queue_exit,
 * with a READ pending on a pipe whose read end only that READ holds, leaks
 * nothing: the parent, which kept the write end, then gets EPIPE (since
 * 5.6, IORING_OP_READ).
 */
TEST(process_exit_with_pending_read_releases_pipe)
{
	int p[2], status;
	pid_t pid;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"_exit(2) closes the fds; kernel commit 0f2122045b94 (cancel on exec or exit); pipe(7) EPIPE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring_sqe *sqe;
		struct io_uring ring;
		char buf[16];

		close(p[1]);
		if (io_uring_queue_init(4, &ring, 0))
			_exit(1);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, p[0], buf, sizeof(buf), 0);
		if (io_uring_submit(&ring) != 1)
			_exit(2);
		if (uring_wait_briefly(&ring) != -ETIME)
			_exit(3);
		close(p[0]);
		_exit(0);
	}
	ASSERT_EQ(0, close(p[0]));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child failed at step %d (1 setup, 2 submit, 3 READ not pending)",
		       WEXITSTATUS(status));
	EXPECT_TRUE(wait_reader_gone(p[1]))
		TH_LOG("the read end is still open %d ms after the child exited",
		       URING_REAP_BOUND_MS);
	EXPECT_EQ(-1, write(p[1], "x", 1));
	EXPECT_EQ(EPIPE, errno);
	close(p[1]);
}

TEST_HARNESS_MAIN
