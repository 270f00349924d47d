// SPDX-License-Identifier: MIT
/*
 * aio/stream-fds: native AIO reads and writes of pipes and sockets, through
 * the raw system calls and <linux/aio_abi.h>. Linux runs them through the
 * file's read_iter/write_iter like read(2)/write(2): data, byte counts, EOF
 * and EAGAIN come back in the event's res. A blocking read of an empty pipe
 * would block io_submit itself, so the tests only read pipes and sockets
 * that hold data, are at EOF, or are O_NONBLOCK.
 * Sources: io_submit(2) (IOCB_CMD_PREAD/PWRITE, EBADF/EINVAL), read(2) and
 * write(2) for the results (EAGAIN on an empty O_NONBLOCK pipe, 0 at EOF),
 * pipe(7), unix(7); net/socket.c sock_read_iter()/sock_write_iter(): a
 * socket has no file position, a nonzero offset gives -ESPIPE (as pread(2)
 * ESPIPE); fs/aio.c aio_read()/aio_write() use read_iter/write_iter since
 * Linux 4.1.
 */
#include "conform_aio.h"

/*
 * read(2) on a pipe holding fewer bytes than asked returns what is there:
 * IOCB_CMD_PREAD of 4096 bytes from a pipe holding 300 completes with res
 * 300 and exactly those bytes, leaving the pipe empty (since 4.1).
 */
TEST(pread_of_pipe_returns_the_bytes_it_holds)
{
	static char out[300], in[4096];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"read(2) on a pipe returns what it holds; pipe(7); fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ((ssize_t)sizeof(out), write(p[1], out, sizeof(out)));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 1);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(1, ev.data);
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	EXPECT_TRUE(conform_check_pattern(in, sizeof(out), 0));
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
}

/*
 * write(2) to a pipe with room: IOCB_CMD_PWRITE of 1000 bytes completes
 * with res 1000 and the reader gets exactly those bytes (since 4.1).
 */
TEST(pwrite_to_pipe_reaches_the_reader)
{
	static char out[1000], in[2000];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PWRITE",
			"write(2) to a pipe; pipe(7); fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(out, sizeof(out), 50);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], out, sizeof(out), 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	ASSERT_EQ((ssize_t)sizeof(out), read(p[0], in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(out), 50));
	close(p[0]);
	close(p[1]);
}

/*
 * read(2) EAGAIN: the descriptor is O_NONBLOCK and the read would block.
 * IOCB_CMD_PREAD of an empty O_NONBLOCK pipe is accepted and completes at
 * once with res -EAGAIN (since 4.1).
 */
TEST(pread_of_empty_nonblocking_pipe_completes_with_eagain)
{
	static char in[64];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"read(2) EAGAIN on an empty O_NONBLOCK pipe, as the event res; fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_NONBLOCK));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 2);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(2, ev.data);
	EXPECT_EQ(-EAGAIN, ev.res);
	close(p[0]);
	close(p[1]);
}

/*
 * read(2): 0 means end of file; pipe(7): a read from a pipe whose write
 * ends are all closed sees end-of-file. IOCB_CMD_PREAD completes with
 * res 0 (since 4.1).
 */
TEST(pread_of_pipe_without_writer_completes_with_zero)
{
	static char in[64];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"pipe(7): end of file when no writer is left; read(2) returns 0; fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, close(p[1]));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(0, ev.res);
	close(p[0]);
}

/*
 * io_submit(2) EBADF: a read on a descriptor not open for reading (the
 * pipe's write end) fails at submit time (read(2) EBADF "not open for
 * reading"; since 4.1).
 */
TEST(pread_of_pipe_write_end_gets_ebadf)
{
	static char in[64];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"io_submit(2) EBADF; read(2) EBADF: not open for reading; fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[1], in, sizeof(in), 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EBADF, errno);
	close(p[0]);
	close(p[1]);
}

/*
 * unix(7) stream socket: IOCB_CMD_PWRITE at offset 0 sends the bytes to
 * the peer (res = byte count), and IOCB_CMD_PREAD on the peer returns
 * exactly them (since 4.1).
 */
TEST(socket_write_and_read_carry_exact_bytes)
{
	static char out[700], in[4096];
	struct io_event ev;
	struct iocb cb;
	int sv[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PWRITE",
			"unix(7) stream socket; net/socket.c sock_read_iter()/sock_write_iter(); fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_socketpair(sv));
	conform_fill_pattern(out, sizeof(out), 300);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, sv[0], out, sizeof(out), 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, sv[1], in, sizeof(in), 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	EXPECT_TRUE(conform_check_pattern(in, sizeof(out), 300));
	close(sv[0]);
	close(sv[1]);
}

/*
 * net/socket.c sock_read_iter()/sock_write_iter(): a socket has no file
 * position, and a request at a nonzero offset completes with res -ESPIPE
 * (as pread(2)/pwrite(2) ESPIPE for a socket), transferring nothing: the
 * byte already queued stays readable and nothing reaches the peer (since
 * 4.1, the read_iter/write_iter path of fs/aio.c).
 */
TEST(socket_request_at_nonzero_offset_completes_with_espipe)
{
	static char in[64], out[64];
	struct io_event ev;
	struct iocb cb;
	int sv[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"net/socket.c sock_read_iter()/sock_write_iter(): nonzero offset gives -ESPIPE; pread(2) ESPIPE; fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(1, write(sv[0], "z", 1));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, sv[1], in, sizeof(in), 1, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-ESPIPE, ev.res);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, sv[0], out, sizeof(out), 4096, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-ESPIPE, ev.res);
	/* Exactly the one byte written with write(2) is queued. */
	ASSERT_EQ(1, recv(sv[1], in, sizeof(in), MSG_DONTWAIT));
	EXPECT_EQ('z', in[0]);
	EXPECT_FALSE(conform_fd_readable(sv[1], 0));
	close(sv[0]);
	close(sv[1]);
}

/*
 * unix(7)/recv(2): after the peer closes a stream socket, a read returns 0
 * (orderly shutdown); IOCB_CMD_PREAD completes with res 0 (since 4.1).
 */
TEST(socket_read_after_peer_close_completes_with_zero)
{
	static char in[64];
	struct io_event ev;
	struct iocb cb;
	int sv[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PREAD",
			"recv(2): 0 after an orderly shutdown; unix(7); fs/aio.c aio_read()/aio_write() through read_iter/write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, close(sv[0]));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, sv[1], in, sizeof(in), 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(0, ev.res);
	close(sv[1]);
}

TEST_HARNESS_MAIN
