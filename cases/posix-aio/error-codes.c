// SPDX-License-Identifier: MIT
/*
 * posix-aio/error-codes: aio_error's value (and aio_return's -1) for
 * failures of the underlying read(2)/write(2) that the other posix-aio
 * programs do not reach (errors, error-return, pipes-sockets, counter-fds,
 * special-files, odirect, read-offsets, write-limits cover EBADF of reads
 * and of writes to read-only or O_PATH descriptors, negative and
 * overflowing offsets of regular files, aio_reqprio, EISDIR, EFBIG, the
 * pipes' EAGAIN and EPIPE, eventfd, /dev/full, O_DIRECT alignment,
 * ECANCELED): a write on a descriptor that cannot be open (EBADF); offsets
 * on a pipe, where pread's ESPIPE never shows (glibc retries with read,
 * the offset ignored) and a negative offset is EINVAL first; an
 * inaccessible buffer (EFAULT, both ways); and the socket errors POSIX
 * lists for read() and write(): ECONNRESET (a pending read when the
 * AF_UNIX peer closes with data unread), ENOTCONN (a read of a TCP socket
 * never connected), EPIPE (a write to a socket shut down for writing).
 * Sources: POSIX.1-2017 XSH aio_error() DESCRIPTION (the errno the
 * corresponding read()/write() would set), aio_return() DESCRIPTION,
 * aio_read() and aio_write() ERRORS (EBADF, EINVAL, detected at the call
 * or later), read() ERRORS (ECONNRESET, ENOTCONN), write() ERRORS (EPIPE);
 * read(2), write(2), pread(2) ERRORS; unix(7); the glibc manual on
 * aio_read (errors "might also be signaled asynchronously").
 *
 * glibc 2.36 queues every one of these requests (the call returns 0) and
 * its worker gets the error from pread/pwrite (or read/write after an
 * ESPIPE), so each TEST submits, waits (aio_suspend, 5 s bound) and reads
 * aio_error and aio_return.
 *
 * First kernel: glibc runs POSIX AIO in its own threads and the kernel
 * errors used are old (AF_UNIX's ECONNRESET on release, TCP's ENOTCONN
 * for a closed socket): since is 2.6.0 in every declaration; a static
 * glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <signal.h>

#include "conform_posix_aio.h"

/* Submit cb as a read (write false) or a write, wait for it; 0 or -1. */
static int submit_and_wait(struct aiocb *cb, bool write)
{
	if ((write ? aio_write(cb) : aio_read(cb)) != 0)
		return -1;
	return posix_aio_wait_done(cb);
}

/*
 * A page the process cannot touch: mapped PROT_NONE, so that no later
 * mapping (a worker thread's stack) can take its place, as it could take an
 * unmapped one. NULL if mmap failed; the caller unmaps it.
 */
static void *inaccessible_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * POSIX aio_write() ERRORS: EBADF "The aio_fildes argument is not a valid
 * file descriptor open for writing", detected at the call or later. glibc
 * detects it later for a descriptor that cannot be open (above
 * RLIMIT_NOFILE): aio_write returns 0, aio_error EBADF, aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_on_invalid_fd_fails_later_with_ebadf)
{
	unsigned char buf[64] = { 0 };
	struct aiocb cb;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EBADF not a valid "
			"descriptor open for writing, at the call or later "
			"(glibc: later, from pwrite)");
	posix_aio_prep(&cb, conform_bad_fd(), buf, sizeof(buf), 0);
	ASSERT_EQ(0, submit_and_wait(&cb, true));
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
}

/*
 * POSIX aio_error() DESCRIPTION: the status is the errno the corresponding
 * read() would set. On a pipe, pread(2) fails with ESPIPE, and glibc
 * retries with read(2), which ignores the offset: a read of a pipe with
 * aio_offset 12345 gets no ESPIPE but the pipe's bytes (status 0, return
 * 5).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(read_of_pipe_ignores_a_nonzero_offset)
{
	unsigned char buf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno of the "
			"corresponding read() (glibc: pread's ESPIPE retried "
			"as read, the offset ignored)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(5, write(p[1], "pipe!", 5));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 12345);
	ASSERT_EQ(0, submit_and_wait(&cb, false));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(5, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "pipe!", 5));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_read() ERRORS: EINVAL for an invalid implied file offset;
 * pread(2) checks the offset's sign before the file, so a negative offset
 * on a pipe is EINVAL, not ESPIPE, and glibc does not retry it with
 * read(2): aio_error EINVAL, aio_return -1, and the pipe's byte is left.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_of_pipe_with_negative_offset_fails_with_einval)
{
	unsigned char buf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL invalid "
			"implied file offset; pread(2) EINVAL before ESPIPE "
			"(glibc: no read() retry)");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), -1);
	ASSERT_EQ(0, submit_and_wait(&cb, false));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX aio_error() DESCRIPTION: the errno read() would set; read(2):
 * EFAULT "buf is outside your accessible address space". A read of a file
 * into an inaccessible page (PROT_NONE) fails with aio_error EFAULT and
 * aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_into_inaccessible_buffer_fails_with_efault)
{
	struct aiocb cb;
	void *hole = inaccessible_page();
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno read() "
			"would set; read(2) EFAULT (glibc: from pread)");
	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, hole);
	posix_aio_prep(&cb, fd, hole, 512, 0);
	ASSERT_EQ(0, submit_and_wait(&cb, false));
	EXPECT_EQ(EFAULT, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	munmap(hole, 4096);
	close(fd);
}

/*
 * POSIX aio_error() DESCRIPTION: the errno write() would set; write(2):
 * EFAULT "buf is outside your accessible address space". A write from an
 * inaccessible page (PROT_NONE) fails with aio_error EFAULT, aio_return
 * -1, and the file
 * keeps its size and bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_from_inaccessible_buffer_fails_with_efault)
{
	unsigned char rbuf[4096];
	struct aiocb cb;
	struct stat st;
	void *hole = inaccessible_page();
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno "
			"write() would set; write(2) EFAULT (glibc: from "
			"pwrite)");
	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, hole);
	posix_aio_prep(&cb, fd, hole, 512, 4096);
	ASSERT_EQ(0, submit_and_wait(&cb, true));
	EXPECT_EQ(EFAULT, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	ASSERT_EQ(4096, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	munmap(hole, 4096);
	close(fd);
}

/*
 * POSIX read() ERRORS: ECONNRESET "A read was attempted on a socket and
 * the connection was forcibly closed by its peer"; unix(7)/AF_UNIX: a
 * stream socket closed with data still unread resets its peer. A read of
 * an empty AF_UNIX stream socket is pending; the test sends 6 bytes the
 * other way and closes the other end without reading them: the read fails
 * with aio_error ECONNRESET, aio_return -1 (SIGPIPE ignored).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(pending_socket_read_fails_with_econnreset_when_peer_drops_data)
{
	unsigned char buf[16];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno read() "
			"would set; read() ERRORS ECONNRESET, closed by the "
			"peer (glibc: from read after pread's ESPIPE)");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_socketpair(sv));
	posix_aio_prep(&cb, sv[0], buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(6, write(sv[0], "unread", 6));
	close(sv[1]);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(ECONNRESET, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(sv[0]);
}

/*
 * POSIX read() ERRORS: ENOTCONN "A read was attempted on a socket that is
 * not connected". A read of a TCP socket that was never connected (no
 * network needed) fails with aio_error ENOTCONN, aio_return -1. A kernel
 * without IPv4 sockets skips.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(read_of_unconnected_tcp_socket_fails_with_enotconn)
{
	unsigned char buf[16];
	struct aiocb cb;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno read() "
			"would set; read() ERRORS ENOTCONN, socket not "
			"connected (glibc: from read after pread's ESPIPE)");
	if (s < 0 && errno == EAFNOSUPPORT)
		SKIP(return, CONFORM_ENV "socket(AF_INET): EAFNOSUPPORT (kernel without IPv4)");
	ASSERT_LE(0, s);
	posix_aio_prep(&cb, s, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(ENOTCONN, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(s);
}

/*
 * POSIX write() ERRORS: EPIPE "An attempt is made to write to ... a
 * socket that is shut down for writing". After shutdown(SHUT_WR) of one
 * end of an AF_UNIX stream pair, an aio_write there fails with aio_error
 * EPIPE, aio_return -1 (SIGPIPE ignored), and the peer gets end of file,
 * no data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(write_to_socket_shut_down_for_writing_fails_with_epipe)
{
	unsigned char buf[16];
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno "
			"write() would set; write() ERRORS EPIPE, socket shut "
			"down for writing (glibc: from write after pwrite's "
			"ESPIPE)");
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	posix_aio_prep(&cb, sv[0], "never", 5, 0);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EPIPE, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	EXPECT_EQ(0, read(sv[1], buf, sizeof(buf)));
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
