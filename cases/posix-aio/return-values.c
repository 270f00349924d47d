// SPDX-License-Identifier: MIT
/*
 * posix-aio/return-values: what aio_return gives - the value the
 * corresponding read(), write() or fsync() returns when the request is
 * performed - beyond posix-aio/read-write (full, short and zero reads at
 * end of file, a write's count), read-offsets and write-extend
 * (zero-length requests on regular files), fsync (0 for a sync),
 * error-return (reuse of a control block, a second aio_return) and the -1
 * of the failure cases: a zero-length read of an empty pipe (0 at once,
 * no wait), a blocking pipe write larger than the pipe (the full count
 * once drained), reads of message sockets (one message, truncated to
 * aio_nbytes, the rest discarded), a read queued while the file shrinks
 * (the count of the file as it is when the read runs), and a write's
 * control block reused for aio_fsync (aio_return 0, not the write's
 * count).
 * Sources: POSIX.1-2017 XSH aio_return() DESCRIPTION and RETURN VALUE
 * (the value read(), write() or fsync() would return; a block used for
 * another operation reports that one), aio_read() DESCRIPTION (done as if
 * lseek() were called just before the read), read() DESCRIPTION (nbyte 0
 * returns zero and has no other results; end of file; message-based
 * sockets), write() DESCRIPTION (a blocking write to a pipe returns
 * nbyte), recv() DESCRIPTION (SOCK_SEQPACKET, SOCK_DGRAM: a message too
 * long for the buffer has its excess discarded); aio_return(3),
 * aio_fsync(3), aio_init(3).
 *
 * glibc 2.36 runs each request in a worker thread with pread/pwrite (read
 * or write after pread's ESPIPE on pipes and sockets) and fsync; each TEST
 * waits for its request with aio_suspend (5 s bound) before aio_return. A
 * request that must wait is queued behind the only worker (aio_init with
 * aio_threads 1, first in the fresh test child), held by a read of an
 * empty pipe.
 *
 * First kernel: nothing newer than pipes, AF_UNIX sockets and threads is
 * asked of the kernel, except SOCK_SEQPACKET for AF_UNIX (2.6.4): since is
 * 2.6.0 elsewhere; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX read() DESCRIPTION: nbyte 0 returns zero with no other results -
 * also on a pipe, where a read of more would wait for data. A zero-length
 * aio_read of an empty pipe (writer open) completes at once (well within
 * the 5 s bound) with status 0 and return 0, and takes nothing: bytes
 * written afterwards are all still there.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(zero_length_read_of_empty_pipe_returns_zero_at_once)
{
	unsigned char buf[8];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() RETURN VALUE: what read() "
			"returns; read() DESCRIPTION: nbyte 0 returns zero, no "
			"other results");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, 0, 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ASSERT_EQ(3, read(p[0], buf, sizeof(buf)));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX write() DESCRIPTION: on a pipe with O_NONBLOCK clear a write may
 * block, "but on normal completion it shall return nbyte". An aio_write of
 * 256 KiB to a pipe (64 KiB of room by default) can only finish while
 * the test reads; once all 256 KiB have been read, it completes with
 * status 0 and return 262144 - not the partial count of a pipeful.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(pipe_write_larger_than_the_pipe_returns_the_full_count)
{
	enum { TOTAL = 256 * 1024 };
	static unsigned char wbuf[TOTAL], rbuf[TOTAL];
	struct aiocb cb;
	size_t got = 0;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() RETURN VALUE: what write() "
			"returns; write() DESCRIPTION: a blocking pipe write "
			"returns nbyte on normal completion");
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&cb, p[1], wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	while (got < sizeof(rbuf)) {
		ssize_t n;

		ASSERT_TRUE(conform_fd_readable(p[0], 5000));
		n = read(p[0], rbuf + got, sizeof(rbuf) - got);
		ASSERT_LT(0, n);
		got += n;
	}
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(TOTAL, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX read() DESCRIPTION: on a socket read() is recv() without flags;
 * recv() DESCRIPTION: for message-based sockets (SOCK_SEQPACKET) a whole
 * message is read at once and, if it is longer than the buffer, "the
 * excess bytes shall be discarded". An aio_read of 3 bytes from an AF_UNIX
 * seqpacket socket holding the messages "abcdefgh" and "XY" returns 3
 * ("abc"); the next aio_read (of 16) returns 2: the second message, the
 * first one's rest gone.
 * First kernel: 2.6.4 (AF_UNIX SOCK_SEQPACKET; glibc/POSIX behaviour on
 * read in threads).
 */
TEST(seqpacket_read_returns_nbytes_and_discards_the_rest)
{
	unsigned char buf[16];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.4", "aio_return",
			"POSIX.1-2017 aio_return() RETURN VALUE: what read() "
			"returns; recv() DESCRIPTION: message-based sockets, "
			"excess bytes discarded");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ASSERT_EQ(EPROTONOSUPPORT, errno);
		SKIP(return, "socketpair(AF_UNIX, SOCK_SEQPACKET): EPROTONOSUPPORT");
	}
	ASSERT_EQ(8, write(sv[1], "abcdefgh", 8));
	ASSERT_EQ(2, write(sv[1], "XY", 2));
	posix_aio_prep(&cb, sv[0], buf, 3, 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(3, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	posix_aio_prep(&cb, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(2, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "XY", 2));
	close(sv[0]);
	close(sv[1]);
}

/*
 * POSIX read() DESCRIPTION: for message-based sockets a read takes one
 * message; recv(): "the entire message shall be read in a single
 * operation". Two datagrams of 5 and 7 bytes queued on an AF_UNIX
 * SOCK_DGRAM socket: an aio_read with room for 64 bytes returns 5 (the
 * first message only), the next one 7.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(datagram_read_returns_one_message)
{
	unsigned char buf[64];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() RETURN VALUE: what read() "
			"returns; recv() DESCRIPTION: one whole message per "
			"read on message-based sockets");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(5, write(sv[1], "first", 5));
	ASSERT_EQ(7, write(sv[1], "seconds", 7));
	posix_aio_prep(&cb, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(5, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "first", 5));
	posix_aio_prep(&cb, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(7, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "seconds", 7));
	close(sv[0]);
	close(sv[1]);
}

/*
 * POSIX aio_read() DESCRIPTION: the read takes place as if lseek() to
 * aio_offset were called just before it; aio_return() RETURN VALUE: what
 * that read() returns. A read of 1024 bytes at offset 1024 of a 4096-byte
 * file, queued behind the held worker, while the file is cut to 1500
 * bytes: once it runs it returns 476 - the bytes up to the end of file as
 * it is then - and holds them.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(queued_read_returns_the_count_of_the_file_when_it_runs)
{
	unsigned char hbuf[1], buf[1024];
	struct aiocb hold, cb;
	int hp[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() RETURN VALUE: what read() "
			"returns; aio_read() DESCRIPTION: as if lseek() were "
			"called just before the read (glibc: aio_init(3))");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 1024);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(0, ftruncate(fd, 1500));
	EXPECT_EQ(1, posix_aio_release_the_worker(hp, &hold));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(476, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, 476, 1024));
	close(fd);
}

/*
 * POSIX aio_return() DESCRIPTION: a control block used to submit another
 * operation reports that operation; RETURN VALUE: for a sync, what fsync()
 * returns (0). The block of a completed 4096-byte write (aio_return 4096),
 * its aio_buf and aio_nbytes left as they were, is given to aio_fsync
 * (which ignores them, aio_fsync(3)): aio_return is then 0, not 4096.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(write_block_reused_for_fsync_returns_zero)
{
	unsigned char wbuf[4096];
	struct aiocb cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_return",
			"POSIX.1-2017 aio_return() DESCRIPTION: a block used "
			"for another operation reports that one; RETURN VALUE: "
			"what fsync() returns");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	ASSERT_EQ(4096, aio_return(&cb));
	ASSERT_EQ(0, aio_fsync(O_DSYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

TEST_HARNESS_MAIN
