// SPDX-License-Identifier: MIT
/*
 * posix-aio/read-offsets: what aio_read reads, given aio_offset and
 * aio_nbytes, beyond posix-aio/read-write (the absolute offset whatever the
 * file offset, end of file, a read across it): a zero-length read, a read
 * across a hole between written ranges, many reads of one descriptor at
 * distinct offsets queued together, one read of more than 1 MiB, a read
 * on an O_APPEND descriptor, the bytes of the buffer past aio_nbytes, an
 * aio_lio_opcode that aio_read ignores, and an offset whose end would
 * overflow off_t.
 * Sources: POSIX.1-2017 XSH aio_read() DESCRIPTION (aio_nbytes bytes read
 * into aio_buf "as if lseek() were called" with aio_offset and SEEK_SET;
 * aio_lio_opcode ignored), ERRORS (EINVAL for an invalid implied offset),
 * aio_return() RETURN VALUE (what read() returns); read(2), pread(2),
 * lseek(2) (holes read as zeros), open(2) O_APPEND; aio_read(3).
 *
 * glibc 2.36 runs each request in a worker thread with pread (one worker
 * at a time per descriptor), so the kernel's pread decides the outcome;
 * nothing newer than threads and pread is asked of it: since is 2.6.0 in
 * every declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <limits.h>

#include "conform_posix_aio.h"

/* The index of the first of len bytes at buf that is not val, or len. */
static size_t first_byte_not(const unsigned char *buf, size_t len, int val)
{
	size_t i = 0;

	while (i < len && buf[i] == val)
		i++;
	return i;
}

/*
 * POSIX.1-2017 aio_return() RETURN VALUE: the return status is what read()
 * would return; read() with a count of 0 returns 0 and has no other
 * result. An aio_read of 0 bytes inside a 4096-byte file completes with
 * status 0 and return 0, and the buffer is untouched.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(zero_length_read_returns_zero_and_leaves_buffer)
{
	unsigned char buf[64];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() RETURN VALUE: the status "
			"read() would return, 0 for a count of 0 (glibc: "
			"aio_read(3), pread(2))");
	ASSERT_LE(0, fd);
	memset(buf, 0xa5, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, 0, 100);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	EXPECT_EQ(sizeof(buf), first_byte_not(buf, sizeof(buf), 0xa5));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes bytes are read from
 * aio_offset as read() would; lseek(2): a gap left by writing past the end
 * reads as zero bytes until data is written there. With 1000 bytes at 0
 * and 1000 at 9000, one read of 10000 bytes from 0 returns all 10000: the
 * two written ranges and 8000 zeros between them.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_across_a_hole_gives_data_then_zeros_then_data)
{
	static unsigned char buf[10000];
	unsigned char chunk[1000];
	struct aiocb cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes read "
			"from aio_offset as read() would, a gap reads as zero "
			"bytes (glibc: pread(2); lseek(2) holes)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(chunk, sizeof(chunk), 0);
	ASSERT_EQ(1000, pwrite(fd, chunk, sizeof(chunk), 0));
	conform_fill_pattern(chunk, sizeof(chunk), 9000);
	ASSERT_EQ(1000, pwrite(fd, chunk, sizeof(chunk), 9000));
	memset(buf, 0xa5, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(10000, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, 1000, 0));
	EXPECT_EQ(8000, first_byte_not(buf + 1000, 8000, 0));
	EXPECT_TRUE(conform_check_pattern(buf + 9000, 1000, 9000));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: each request reads at its own
 * absolute aio_offset, as if lseek() to it came just before the read.
 * Sixteen aio_reads of one descriptor, all queued before any is waited
 * for, at sixteen distinct unaligned offsets, each get the bytes of their
 * own offset (the file offset, shared by all of them, plays no part).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sixteen_queued_reads_each_get_their_own_offset)
{
	enum { N = 16, LEN = 1000, STEP = 4099 };
	static unsigned char buf[N][LEN];
	struct aiocb cbs[N];
	int fd = conform_temp_file(N * STEP + LEN, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: the read takes "
			"place at the absolute position aio_offset (glibc: "
			"aio_read(3), pread(2))");
	ASSERT_LE(0, fd);
	for (int i = 0; i < N; i++) {
		posix_aio_prep(&cbs[i], fd, buf[i], LEN, (off_t)i * STEP + i);
		ASSERT_EQ(0, aio_read(&cbs[i]));
	}
	for (int i = 0; i < N; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(LEN, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(buf[i], LEN,
						  (off_t)i * STEP + i))
			TH_LOG("request %d", i);
	}
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes bytes are read; a regular
 * file gives all of them when they are there (read(2): fewer only at end
 * of file or on a signal). One aio_read of 3 MiB + 17 bytes returns the
 * whole count, each byte from its offset.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_larger_than_1mib_returns_every_byte)
{
	const size_t len = (3 << 20) + 17;
	unsigned char *buf;
	struct aiocb cb;
	int fd = conform_temp_file(len + 4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes bytes "
			"are read into aio_buf (glibc: pread(2), a regular "
			"file gives them all before end of file)");
	ASSERT_LE(0, fd);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	memset(buf, 0, len);
	posix_aio_prep(&cb, fd, buf, len, 4096);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ((ssize_t)len, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, len, 4096));
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: the read takes place at aio_offset;
 * open(2) O_APPEND moves the offset to the end before each write only. An
 * aio_read on an O_RDWR | O_APPEND descriptor reads from aio_offset (2048
 * of 8192), not from the end of the file.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_on_o_append_fd_uses_aio_offset)
{
	unsigned char buf[1024];
	struct aiocb cb;
	int fd = conform_temp_file(8192, 0), afd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: the read takes "
			"place at aio_offset; O_APPEND concerns writes only "
			"(glibc: pread(2), open(2) O_APPEND)");
	ASSERT_LE(0, fd);
	afd = conform_reopen(fd, O_RDWR | O_APPEND);
	if (afd < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file O_APPEND through /proc/self/fd (no /proc?)");
	}
	ASSERT_NE(0, fcntl(afd, F_GETFL) & O_APPEND);
	posix_aio_prep(&cb, afd, buf, sizeof(buf), 2048);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(1024, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2048));
	close(afd);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes bytes go into the buffer
 * at aio_buf, and a read stopped by end of file stores only what it read
 * (read(2)). A read of 100 bytes into a 300-byte buffer leaves bytes 100
 * on as they were; a read of 300 bytes 40 bytes before end of file stores
 * 40 and leaves the other 260.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_stores_no_byte_past_what_it_read)
{
	unsigned char buf[300];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes bytes "
			"are read into the buffer at aio_buf (glibc: pread(2) "
			"stores only the bytes it returns)");
	ASSERT_LE(0, fd);
	memset(buf, 0xa5, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, 100, 500);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(100, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, 100, 500));
	EXPECT_EQ(200, first_byte_not(buf + 100, 200, 0xa5));
	memset(buf, 0xa5, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 4096 - 40);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(40, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, 40, 4096 - 40));
	EXPECT_EQ(260, first_byte_not(buf + 40, 260, 0xa5));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: aio_read ignores the aio_lio_opcode
 * field. With aio_lio_opcode LIO_WRITE (and LIO_NOP) the request still
 * reads: the buffer gets the file's bytes and the file keeps its own (a
 * write of the buffer would have put 0x5a there).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_ignores_aio_lio_opcode)
{
	static const int ops[2] = { LIO_WRITE, LIO_NOP };
	unsigned char buf[512], check[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: the "
			"aio_lio_opcode field is ignored by aio_read (glibc: "
			"aio_read(3))");
	ASSERT_LE(0, fd);
	for (int i = 0; i < 2; i++) {
		memset(buf, 0x5a, sizeof(buf));
		posix_aio_prep(&cb, fd, buf, sizeof(buf), 1024);
		cb.aio_lio_opcode = ops[i];
		ASSERT_EQ(0, aio_read(&cb));
		ASSERT_EQ(0, posix_aio_wait_done(&cb));
		EXPECT_EQ(0, aio_error(&cb));
		EXPECT_EQ(512, aio_return(&cb));
		EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024))
			TH_LOG("aio_lio_opcode %d", ops[i]);
		ASSERT_EQ(512, pread(fd, check, sizeof(check), 1024));
		EXPECT_TRUE(conform_check_pattern(check, sizeof(check), 1024));
	}
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EINVAL when the file offset implied by
 * aio_offset would be invalid; reported through aio_error when found after
 * queueing. An aio_offset of LLONG_MAX - 10 with 100 bytes would end past
 * the largest off_t: the kernel's pread refuses it with EINVAL
 * (rw_verify_area), so aio_read returns 0, then aio_error gives EINVAL and
 * aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_whose_end_would_overflow_off_t_fails_later_with_einval)
{
	unsigned char buf[100];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL when the file "
			"offset implied by aio_offset would be invalid "
			"(glibc: found by pread in the worker)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), LLONG_MAX - 10);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

TEST_HARNESS_MAIN
