// SPDX-License-Identifier: MIT
/*
 * uring/file-lifetime: a request on a normal (not registered) file
 * descriptor holds the open file only while it is in flight. Once its CQE
 * is there, closing the last descriptor releases the file, as close(2)
 * says ("If fd is the last file descriptor referring to the underlying open
 * file description, the resources associated with the open file
 * description are freed"), and the other end of a pipe or socket sees it:
 * a writer gets EPIPE, a reader end of file.
 *
 * No io_uring page says "a request drops its file reference on completion"
 * in so many words: io_uring_register(2) says that registering files is
 * what "allows the kernel to take long term references", so a request on a
 * plain fd takes only a reference for its own duration, and
 * io_uring_enter(2) makes IORING_OP_READ/WRITE "the equivalent of" read(2)
 * and write(2), which keep none once they return. The ends are checked
 * with non-blocking calls, so a file kept open fails the test at once.
 */
#include <liburing.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>

#include "conform_uring.h"

/* Set O_NONBLOCK on fd: 0, or -1 with errno. */
static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * pipe(7): "If all file descriptors referring to the read end of a pipe
 * have been closed, then a write(2) will cause a SIGPIPE signal to be
 * generated for the calling process. If the calling process is ignoring
 * this signal, then write(2) fails with the error EPIPE" (ignored here).
 * An IORING_OP_READ of the read end that has completed leaves no reference
 * behind: once the read end's only fd is closed, a write to the pipe fails
 * with EPIPE (since 5.6, IORING_OP_READ).
 */
TEST(read_end_released_after_read_completes)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[8];
	int fds[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"close(2); pipe(7) EPIPE; io_uring_register(2) long "
			"term references only for registered files");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	ASSERT_EQ(3, uring_submit_res(&ring));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	ASSERT_EQ(0, close(fds[0]));
	EXPECT_EQ(-1, write(fds[1], "x", 1));
	EXPECT_EQ(EPIPE, errno);
	io_uring_queue_exit(&ring);
	close(fds[1]);
}

/*
 * pipe(7): "If all file descriptors referring to the write end of a pipe
 * have been closed, then an attempt to read(2) from the pipe will see end-
 * of-file (read(2) will return 0)". An IORING_OP_WRITE to the write end
 * that has completed leaves no reference behind: once the write end's only
 * fd is closed, the reader gets the bytes, then 0 (since 5.6,
 * IORING_OP_WRITE). The read end is non-blocking: a writer wrongly kept
 * shows as EAGAIN, not a hang.
 */
TEST(write_end_released_after_write_completes)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[8];
	int fds[2];

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"close(2); pipe(7) end-of-file; io_uring_register(2) "
			"long term references only for registered files");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, set_nonblock(fds[0]));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fds[1], "abc", 3, 0);
	ASSERT_EQ(3, uring_submit_res(&ring));
	ASSERT_EQ(0, close(fds[1]));
	EXPECT_EQ(3, read(fds[0], buf, sizeof(buf)));
	EXPECT_EQ(0, read(fds[0], buf, sizeof(buf)));
	io_uring_queue_exit(&ring);
	close(fds[0]);
}

/*
 * recv(2): "When a stream socket peer has performed an orderly shutdown,
 * the return value will be 0"; closing the last fd of a connected stream
 * socket frees it (close(2)), which shuts the connection down. An
 * IORING_OP_POLL_ADD on one end of a socketpair that has completed (POLLIN,
 * the peer wrote a byte) leaves no reference behind: once that end's only
 * fd is closed, a non-blocking recv on the peer returns 0 (since 5.1,
 * IORING_OP_POLL_ADD). The byte is read before the close: closing with
 * unread data would report ECONNRESET.
 */
TEST(socket_released_after_poll_completes)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char c;
	int sv[2];

	CONFORM_DECLARE("5.1", "IORING_OP_POLL_ADD",
			"close(2); recv(2) return 0 after the peer's orderly "
			"shutdown; io_uring_register(2) long term references "
			"only for registered files");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, sv[0], POLLIN);
	io_uring_sqe_set_data64(sqe, 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, write(sv[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1u, cqe.user_data);
	EXPECT_TRUE(cqe.res > 0 && (cqe.res & POLLIN));
	ASSERT_EQ(1, read(sv[0], &c, 1));
	ASSERT_EQ(0, close(sv[0]));
	EXPECT_EQ(0, recv(sv[1], &c, 1, MSG_DONTWAIT));
	io_uring_queue_exit(&ring);
	close(sv[1]);
}

TEST_HARNESS_MAIN
