// SPDX-License-Identifier: MIT
/*
 * posix-aio/pipes-sockets: aio_read and aio_write on descriptors that cannot
 * seek (pipes and AF_UNIX stream sockets): the data and byte counts of
 * read(2)/write(2), a read that stays in progress until data arrives, end
 * of file, and the read(2)/write(2) errors (EAGAIN on an empty nonblocking
 * pipe, EPIPE without a reader) reported through aio_error/aio_return.
 * aio_offset is 0 throughout.
 * Sources: POSIX.1-2017 XSH aio_return() DESCRIPTION (the return status is
 * read()'s or write()'s), aio_read() and aio_write() ERRORS (a failed
 * request gets the error status read() or write() would set), aio_write()
 * DESCRIPTION (on a device that cannot seek, writes append in call order),
 * aio_read() DESCRIPTION (queued even when no data can be delivered yet);
 * aio_read(3), aio_write(3) (the asynchronous analogs of read(2) and
 * write(2)); pipe(7); read(2), write(2) ERRORS.
 *
 * glibc 2.36 runs these requests in its worker threads (a pread/pwrite
 * that fails with ESPIPE on such a descriptor is redone as read/write);
 * nothing newer than threads and pipes is asked of the kernel: since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
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
 * POSIX.1-2017 aio_return() DESCRIPTION: the return status of the request
 * is the value the corresponding read() would return. POSIX says no more
 * for aio_offset on a descriptor that cannot seek; aio_read(3) calls
 * aio_read the asynchronous analog of read(2), and glibc reads the pipe.
 * From a pipe holding 100 bytes a 4096-byte request returns those 100
 * bytes, exact, with aio_error 0.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(read_of_pipe_returns_the_bytes_it_holds)
{
	unsigned char wbuf[100], rbuf[4096];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is what the corresponding read() would "
			"return, here the 100 bytes a pipe holds for a "
			"4096-byte request (glibc: aio_read(3), the "
			"asynchronous analog of read(2))");
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
 * POSIX.1-2017 aio_read() DESCRIPTION: the call returns when the read has
 * been initiated or queued, even when the data cannot be delivered
 * immediately; aio_error() RETURN VALUE: EINPROGRESS until it completes. A
 * read of an empty pipe stays in progress (a 50 ms aio_suspend runs out)
 * while nothing is written, and completes with the bytes of the next write.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(read_of_empty_pipe_completes_when_written)
{
	const struct aiocb *list[1];
	unsigned char wbuf[64], rbuf[256];
	struct timespec brief = { 0, 50 * 1000 * 1000 };
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: the call "
			"returns once the read is queued, even when no data "
			"can be delivered yet; the request stays in progress "
			"until data arrives");
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
 * POSIX.1-2017 aio_return() DESCRIPTION: the return status is what the
 * corresponding read() would return; read() of an empty pipe whose write
 * end is closed returns 0 (end of file, pipe(7)); aio_read reports the
 * same: aio_error 0, aio_return 0.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(read_of_pipe_without_writer_returns_zero)
{
	unsigned char rbuf[64];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is what read() would return, 0 for an empty "
			"pipe without a writer (end of file), with error "
			"status 0 (glibc: aio_read(3), the asynchronous "
			"analog of read(2))");
	ASSERT_EQ(0, conform_pipe(p));
	close(p[1]);
	run_and_expect(_metadata, aio_read, &cb, p[0], rbuf, sizeof(rbuf),
		       0, 0);
	close(p[0]);
}

/*
 * POSIX.1-2017 aio_read() ERRORS: when a queued read encounters an error,
 * its error status is one read() would set and its return status what
 * read() returns. read(2) of an empty O_NONBLOCK pipe fails with EAGAIN:
 * aio_error EAGAIN, aio_return -1.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(read_of_empty_nonblocking_pipe_fails_with_eagain)
{
	unsigned char rbuf[64];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: a queued read that "
			"fails gets the error status read() would set, here "
			"EAGAIN of an empty O_NONBLOCK pipe, and return "
			"status -1 (glibc: aio_read(3), the asynchronous "
			"analog of read(2))");
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_NONBLOCK));
	run_and_expect(_metadata, aio_read, &cb, p[0], rbuf, sizeof(rbuf),
		       EAGAIN, -1);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: on a descriptor associated with a
 * device incapable of seeking, writes append in the order of the calls; the
 * return status is write()'s. 512 bytes written to a pipe complete with
 * aio_return 512 and reach the read end exact.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(write_to_pipe_reaches_the_reader)
{
	unsigned char wbuf[512], rbuf[1024];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: on a "
			"descriptor incapable of seeking the writes append "
			"in call order, here 512 bytes reach the pipe's "
			"reader, return status 512 (glibc: aio_write(3), the "
			"asynchronous analog of write(2))");
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
 * POSIX.1-2017 aio_write() ERRORS: when a queued write encounters an error,
 * its error status is one write() would set. write(2) to a pipe whose read
 * end is closed fails with EPIPE (SIGPIPE is ignored here): aio_error
 * EPIPE, aio_return -1.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(write_to_pipe_without_reader_fails_with_epipe)
{
	unsigned char wbuf[16] = { 0 };
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: a queued write "
			"that fails gets the error status write() would set, "
			"here EPIPE with no reader (SIGPIPE ignored), and "
			"return status -1 (glibc: aio_write(3), the "
			"asynchronous analog of write(2))");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	close(p[0]);
	run_and_expect(_metadata, aio_write, &cb, p[1], wbuf, sizeof(wbuf),
		       EPIPE, -1);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: a stream socket cannot seek, so the
 * write appends to the stream: 1000 bytes written, aio_return 1000, and the
 * peer receives them exact.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(write_to_socket_reaches_the_peer)
{
	unsigned char wbuf[1000], rbuf[2000];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: on a stream "
			"socket, which cannot seek, the data is appended in "
			"call order: 1000 bytes reach the peer, return "
			"status 1000 (glibc: aio_write(3), the asynchronous "
			"analog of write(2))");
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
 * POSIX.1-2017 aio_return() DESCRIPTION: the return status is what the
 * corresponding read() would return: on a stream socket, what the peer sent
 * (300 bytes of a 4096-byte request), and 0 once the peer has closed and
 * nothing is left.
 * First kernel: 2.6.0 (glibc worker threads, read/write after pread/pwrite
 * give ESPIPE).
 */
TEST(read_of_socket_returns_peer_bytes_then_zero_at_close)
{
	unsigned char wbuf[300], rbuf[4096];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is what read() would return on a stream "
			"socket: the 300 bytes the peer sent, then 0 once "
			"the peer has closed (glibc: aio_read(3), the "
			"asynchronous analog of read(2))");
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
