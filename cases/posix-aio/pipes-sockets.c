// SPDX-License-Identifier: MIT
/*
 * posix-aio/pipes-sockets: aio_read and aio_write on descriptors that cannot
 * seek (pipes and AF_UNIX stream sockets): the data and byte counts of
 * read(2)/write(2), a read that stays in progress until data arrives, end
 * of file, and the read(2)/write(2) errors (EAGAIN on an empty nonblocking
 * pipe, EPIPE without a reader) reported through aio_error/aio_return.
 * aio_offset is 0 throughout.
 * Sources: POSIX.1-2017 XSH aio_read, aio_write ("the same as read()/
 * write()", errors as for read()/write()), aio_error, aio_return;
 * aio_read(3), aio_write(3); pipe(7); read(2), write(2) ERRORS.
 *
 * glibc 2.36 runs these requests in its worker threads (a pread/pwrite
 * that fails with ESPIPE on such a descriptor is redone as read/write);
 * nothing newer than threads and pipes is asked of the kernel: since is
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * Run op (aio_read or aio_write) of all of buf (len bytes) on fd to
 * completion, then expect aio_error to give err and aio_return ret.
 */
static void run_and_expect(struct __test_metadata *_metadata,
			   int (*op)(struct aiocb *), struct aiocb *cb, int fd,
			   void *buf, size_t len, int err, ssize_t ret)
{
	posix_aio_prep(cb, fd, buf, len, 0);
	ASSERT_EQ(0, op(cb));
	ASSERT_EQ(0, posix_aio_wait_done(cb));
	EXPECT_EQ(err, aio_error(cb));
	EXPECT_EQ(ret, aio_return(cb));
}

/*
 * POSIX aio_read: the request reads as read() would; from a pipe holding
 * 100 bytes a 4096-byte request returns those 100 bytes, exact, and
 * aio_error gives 0 (since 2.6).
 */
TEST(read_of_pipe_returns_the_bytes_it_holds)
{
	unsigned char wbuf[100], rbuf[4096];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read(): as read() would; read(2) "
			"(glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(100, write(p[1], wbuf, sizeof(wbuf)));
	run_and_expect(_metadata, aio_read, &cb, p[0], rbuf, sizeof(rbuf),
		       0, 100);
	EXPECT_TRUE(conform_check_pattern(rbuf, 100, 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_read and aio_error: the call returns once the request is queued
 * and aio_error gives EINPROGRESS "if the request has not been completed";
 * a read of an empty pipe (blocking, as read(2) would) stays in progress
 * while nothing is written, and completes with the bytes of the next write
 * (since 2.6).
 */
TEST(read_of_empty_pipe_completes_when_written)
{
	const struct aiocb *list[1];
	unsigned char wbuf[64], rbuf[256];
	struct timespec brief = { 0, 50 * 1000 * 1000 };
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() and aio_error(): EINPROGRESS while "
			"the request is not completed (glibc/POSIX "
			"behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], rbuf, sizeof(rbuf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(-1, aio_suspend(list, 1, &brief));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	conform_fill_pattern(wbuf, sizeof(wbuf), 7);
	ASSERT_EQ(64, write(p[1], wbuf, sizeof(wbuf)));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(64, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, 64, 7));
	close(p[0]);
	close(p[1]);
}

/*
 * read(2) on a pipe whose write end is closed and which holds nothing
 * returns 0 (end of file, pipe(7)); aio_read reports the same: aio_error 0,
 * aio_return 0 (since 2.6).
 */
TEST(read_of_pipe_without_writer_returns_zero)
{
	unsigned char rbuf[64];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read(); pipe(7) end of file (glibc/POSIX "
			"behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	close(p[1]);
	run_and_expect(_metadata, aio_read, &cb, p[0], rbuf, sizeof(rbuf),
		       0, 0);
	close(p[0]);
}

/*
 * read(2) ERRORS EAGAIN: an empty pipe opened O_NONBLOCK; POSIX aio_read
 * reports a read() error through aio_error (EAGAIN) and aio_return (-1)
 * (since 2.6).
 */
TEST(read_of_empty_nonblocking_pipe_fails_with_eagain)
{
	unsigned char rbuf[64];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() errors as for read(); read(2) "
			"EAGAIN (glibc/POSIX behaviour)");
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_NONBLOCK));
	run_and_expect(_metadata, aio_read, &cb, p[0], rbuf, sizeof(rbuf),
		       EAGAIN, -1);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_write: writes as write() would; 512 bytes to a pipe complete
 * with aio_return 512 and reach the read end exact (since 2.6).
 */
TEST(write_to_pipe_reaches_the_reader)
{
	unsigned char wbuf[512], rbuf[1024];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_write",
			"POSIX aio_write(): as write() would (glibc/POSIX "
			"behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(wbuf, sizeof(wbuf), 3);
	run_and_expect(_metadata, aio_write, &cb, p[1], wbuf, sizeof(wbuf),
		       0, 512);
	ASSERT_EQ(512, read(p[0], rbuf, sizeof(rbuf)));
	EXPECT_TRUE(conform_check_pattern(rbuf, 512, 3));
	close(p[0]);
	close(p[1]);
}

/*
 * write(2) ERRORS EPIPE: "fd is connected to a pipe whose reading end is
 * closed" (SIGPIPE ignored here, so the error is what remains); aio_write
 * reports EPIPE through aio_error and -1 through aio_return (since 2.6).
 */
TEST(write_to_pipe_without_reader_fails_with_epipe)
{
	unsigned char wbuf[16] = { 0 };
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_write",
			"POSIX aio_write() errors as for write(); write(2) "
			"EPIPE (glibc/POSIX behaviour)");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	close(p[0]);
	run_and_expect(_metadata, aio_write, &cb, p[1], wbuf, sizeof(wbuf),
		       EPIPE, -1);
	close(p[1]);
}

/*
 * POSIX aio_write on a stream socket: 1000 bytes written, aio_return 1000,
 * and the peer receives them exact (since 2.6).
 */
TEST(write_to_socket_reaches_the_peer)
{
	unsigned char wbuf[1000], rbuf[2000];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6", "aio_write",
			"POSIX aio_write() on a stream socket, as write() "
			"would (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_socketpair(sv));
	conform_fill_pattern(wbuf, sizeof(wbuf), 11);
	run_and_expect(_metadata, aio_write, &cb, sv[0], wbuf, sizeof(wbuf),
		       0, 1000);
	ASSERT_EQ(1000, recv(sv[1], rbuf, sizeof(rbuf), MSG_WAITALL | MSG_DONTWAIT));
	EXPECT_TRUE(conform_check_pattern(rbuf, 1000, 11));
	close(sv[0]);
	close(sv[1]);
}

/*
 * POSIX aio_read on a stream socket: returns what the peer sent (300 bytes
 * of a 4096-byte request), and 0 once the peer has closed and nothing is
 * left (since 2.6).
 */
TEST(read_of_socket_returns_peer_bytes_then_zero_at_close)
{
	unsigned char wbuf[300], rbuf[4096];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read() on a stream socket, as read() "
			"would (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_socketpair(sv));
	conform_fill_pattern(wbuf, sizeof(wbuf), 5);
	ASSERT_EQ(300, send(sv[1], wbuf, sizeof(wbuf), 0));
	run_and_expect(_metadata, aio_read, &cb, sv[0], rbuf, sizeof(rbuf),
		       0, 300);
	EXPECT_TRUE(conform_check_pattern(rbuf, 300, 5));
	close(sv[1]);
	run_and_expect(_metadata, aio_read, &cb, sv[0], rbuf, sizeof(rbuf),
		       0, 0);
	close(sv[0]);
}

TEST_HARNESS_MAIN
