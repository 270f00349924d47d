// SPDX-License-Identifier: MIT
/*
 * posix-aio/write-extend: where aio_write puts its bytes and what it does
 * to the file's size, beyond posix-aio/read-write (a write at aio_offset,
 * one O_APPEND write at the end): a write past the end leaves a gap that
 * reads as zeros, a zero-length write changes nothing, O_APPEND writes
 * queued together land at the end in the order of the calls, an O_APPEND
 * write goes to the end as it is when the write is performed, a write
 * through a write-only descriptor, writes on O_SYNC and O_DSYNC
 * descriptors, and an aio_lio_opcode that aio_write ignores.
 * Sources: POSIX.1-2017 XSH aio_write() DESCRIPTION (absolute position
 * aio_offset unless O_APPEND; with O_APPEND "write operations append to
 * the file in the same order as the calls were made"; synchronized I/O;
 * aio_lio_opcode ignored), write() and lseek() (a gap reads as zeros; a
 * count of 0 has no other result), open() O_APPEND, O_SYNC, O_DSYNC;
 * aio_write(3), pwrite(2) BUGS (pwrite appends on an O_APPEND descriptor).
 *
 * A request that must wait is held in glibc's queue without sleeps: the
 * TEST calls aio_init with aio_threads 1 first in its fresh child and
 * keeps that only worker busy with a read of an empty pipe.
 *
 * glibc 2.36 runs each request in a worker thread with pwrite, one at a
 * time per descriptor in queue order; nothing newer than threads and
 * pwrite is asked of the kernel: since is 2.6.0 in every declaration; a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * In a fresh test child, before any other AIO call: one worker thread at
 * most (aio_init), kept busy by a read of the empty pipe p into *buf, so
 * requests made next wait in glibc's queue until release_worker.
 */
static void hold_worker(struct __test_metadata *_metadata, int p[2],
			struct aiocb *hold, unsigned char *buf)
{
	struct aioinit init;

	memset(&init, 0, sizeof(init));
	init.aio_threads = 1;
	init.aio_num = 32;
	aio_init(&init);
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(hold, p[0], buf, 1, 0);
	ASSERT_EQ(0, aio_read(hold));
}

/* Let the held read have one byte, wait for it, close the pipe. */
static void release_worker(struct __test_metadata *_metadata, int p[2],
			   struct aiocb *hold)
{
	ASSERT_EQ(1, write(p[1], "r", 1));
	ASSERT_EQ(0, posix_aio_wait_done(hold));
	close(p[0]);
	close(p[1]);
}

/* The index of the first of len bytes at buf that is not val, or len. */
static size_t first_byte_not(const unsigned char *buf, size_t len, int val)
{
	size_t i = 0;

	while (i < len && buf[i] == val)
		i++;
	return i;
}

/* Write len bytes of the pattern of off from buf at off with aio_write,
 * wait for it and expect the whole count. */
static void write_and_wait(struct __test_metadata *_metadata, int fd,
			   unsigned char *buf, size_t len, off_t off)
{
	struct aiocb cb;

	conform_fill_pattern(buf, len, off);
	posix_aio_prep(&cb, fd, buf, len, off);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ((ssize_t)len, aio_return(&cb));
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: the write takes place at aio_offset
 * as if lseek() put the offset there; lseek(): data later written past the
 * end leaves a gap that reads as zero bytes. An aio_write of 500 bytes at
 * 10000 of a 100-byte file makes it 10500 bytes: the first 100 kept, 9900
 * zeros, then the new bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_past_end_leaves_a_gap_of_zeros)
{
	static unsigned char wbuf[500], rbuf[10500];
	struct stat st;
	int fd = conform_temp_file(100, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: written at "
			"aio_offset as if lseek() put the offset there, a gap "
			"past the old end reads as zeros (glibc: pwrite(2))");
	ASSERT_LE(0, fd);
	write_and_wait(_metadata, fd, wbuf, sizeof(wbuf), 10000);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(10500, st.st_size);
	ASSERT_EQ(10500, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, 100, 0));
	EXPECT_EQ(9900, first_byte_not(rbuf + 100, 9900, 0));
	EXPECT_TRUE(conform_check_pattern(rbuf + 10000, 500, 10000));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: aio_nbytes bytes are written, here
 * none; write(): a count of 0 on a regular file returns 0 and has no other
 * result. An aio_write of 0 bytes at 8192 of a 4096-byte file completes
 * with status 0 and return 0, and the size stays 4096.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(zero_length_write_past_end_leaves_size_alone)
{
	unsigned char buf[16] = { 0 };
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: aio_nbytes bytes "
			"are written, a count of 0 has no other result as for "
			"write() (glibc: pwrite(2))");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, 0, 8192);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: with O_APPEND set, write operations
 * append to the file in the same order as the calls were made. Eight
 * aio_writes of 100 bytes each on an O_APPEND descriptor (aio_offset 0),
 * all queued while the only worker is busy, each with its own bytes, make
 * the file 800 bytes holding them in call order.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(o_append_writes_land_in_call_order)
{
	enum { N = 8, LEN = 100 };
	unsigned char hbuf[1], wbuf[N][LEN], rbuf[N * LEN];
	struct aiocb hold, cbs[N];
	struct stat st;
	int p[2], fd = conform_temp_file(0, O_APPEND);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: with O_APPEND, "
			"writes append to the file in the order of the calls "
			"(glibc: aio_write(3), one request at a time per "
			"descriptor)");
	ASSERT_LE(0, fd);
	ASSERT_NE(0, fcntl(fd, F_GETFL) & O_APPEND);
	hold_worker(_metadata, p, &hold, hbuf);
	for (int i = 0; i < N; i++) {
		conform_fill_pattern(wbuf[i], LEN, i * LEN);
		posix_aio_prep(&cbs[i], fd, wbuf[i], LEN, 0);
		ASSERT_EQ(0, aio_write(&cbs[i]));
	}
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[0]));
	release_worker(_metadata, p, &hold);
	for (int i = 0; i < N; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(LEN, aio_return(&cbs[i]));
	}
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(N * LEN, st.st_size);
	ASSERT_EQ(N * LEN, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(fd);
}

/*
 * open() O_APPEND: the offset is set to the end of the file before each
 * write; aio_write() DESCRIPTION: with O_APPEND the request appends. The
 * end is the one of the moment the write is performed: an O_APPEND
 * aio_write queued while the only worker is busy, after which the file
 * grows from 4096 to 8192 bytes by a plain pwrite, lands at 8192.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(o_append_write_goes_to_the_end_when_it_runs)
{
	unsigned char hbuf[1], wbuf[300], more[4096], rbuf[300];
	struct aiocb hold, cb;
	struct stat st;
	int p[2], fd = conform_temp_file(4096, O_APPEND);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: with O_APPEND "
			"the write appends to the file (glibc: pwrite(2) "
			"BUGS, the end when the write is performed)");
	ASSERT_LE(0, fd);
	hold_worker(_metadata, p, &hold, hbuf);
	conform_fill_pattern(wbuf, sizeof(wbuf), 8192);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	conform_fill_pattern(more, sizeof(more), 4096);
	/* pwrite on an O_APPEND descriptor appends too (pwrite(2) BUGS). */
	ASSERT_EQ(4096, pwrite(fd, more, sizeof(more), 4096));
	release_worker(_metadata, p, &hold);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(300, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(8192 + 300, st.st_size);
	ASSERT_EQ(300, pread(fd, rbuf, sizeof(rbuf), 8192));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 8192));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EBADF only for a descriptor not open for
 * writing; one opened O_WRONLY is. An aio_write of 300 bytes at 50 through
 * a write-only descriptor of the file completes with 300, and the bytes
 * are there when read through the O_RDWR one.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_through_write_only_fd_succeeds)
{
	unsigned char wbuf[300], rbuf[300];
	int fd = conform_temp_file(4096, 0), wo;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EBADF only when not "
			"open for writing, O_WRONLY is (glibc: pwrite(2))");
	ASSERT_LE(0, fd);
	wo = conform_reopen(fd, O_WRONLY);
	if (wo < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file write-only through /proc/self/fd (no /proc?)");
	}
	ASSERT_EQ(O_WRONLY, fcntl(wo, F_GETFL) & O_ACCMODE);
	write_and_wait(_metadata, wo, wbuf, sizeof(wbuf), 50);
	ASSERT_EQ(300, pread(fd, rbuf, sizeof(rbuf), 50));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 50));
	close(wo);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: with synchronized I/O enabled on the
 * file the write follows synchronized I/O file integrity completion (open()
 * O_SYNC): the request completes, with its full count, only as the write
 * would on that descriptor. An aio_write of 8192 bytes at 4096 on an
 * O_SYNC descriptor completes with 8192 and the data in the file.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_on_o_sync_fd_completes)
{
	static unsigned char wbuf[8192], rbuf[8192];
	int fd = conform_temp_file(0, O_SYNC);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: with "
			"synchronized I/O enabled the write follows file "
			"integrity completion (glibc: pwrite(2) on an O_SYNC "
			"descriptor)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(O_SYNC, fcntl(fd, F_GETFL) & O_SYNC);
	write_and_wait(_metadata, fd, wbuf, sizeof(wbuf), 4096);
	ASSERT_EQ(8192, pread(fd, rbuf, sizeof(rbuf), 4096));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 4096));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: likewise for synchronized I/O data
 * integrity completion (open() O_DSYNC): an aio_write of 5000 bytes at 0
 * on an O_DSYNC descriptor completes with 5000 and the data in the file.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_on_o_dsync_fd_completes)
{
	static unsigned char wbuf[5000], rbuf[5000];
	int fd = conform_temp_file(0, 0), dfd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: with "
			"synchronized I/O enabled the write follows data "
			"integrity completion (glibc: pwrite(2) on an O_DSYNC "
			"descriptor)");
	ASSERT_LE(0, fd);
	dfd = conform_reopen(fd, O_RDWR | O_DSYNC);
	if (dfd < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file O_DSYNC through /proc/self/fd (no /proc?)");
	}
	ASSERT_EQ(O_DSYNC, fcntl(dfd, F_GETFL) & O_DSYNC);
	write_and_wait(_metadata, dfd, wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(5000, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(dfd);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: aio_write ignores the
 * aio_lio_opcode field. With aio_lio_opcode LIO_READ (and LIO_NOP) the
 * request still writes: the file gets the buffer's bytes and the buffer
 * keeps them (a read would have put the file's zeros there).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_ignores_aio_lio_opcode)
{
	static const int ops[2] = { LIO_READ, LIO_NOP };
	unsigned char wbuf[512], rbuf[512];
	struct aiocb cb;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: the "
			"aio_lio_opcode field is ignored by aio_write (glibc: "
			"aio_write(3))");
	for (int i = 0; i < 2; i++) {
		ASSERT_LE(0, fd = conform_temp_file(0, 0));
		ASSERT_EQ(0, ftruncate(fd, 4096));
		conform_fill_pattern(wbuf, sizeof(wbuf), 2048);
		posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 2048);
		cb.aio_lio_opcode = ops[i];
		ASSERT_EQ(0, aio_write(&cb));
		ASSERT_EQ(0, posix_aio_wait_done(&cb));
		EXPECT_EQ(0, aio_error(&cb));
		EXPECT_EQ(512, aio_return(&cb));
		EXPECT_TRUE(conform_check_pattern(wbuf, sizeof(wbuf), 2048));
		ASSERT_EQ(512, pread(fd, rbuf, sizeof(rbuf), 2048));
		EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 2048))
			TH_LOG("aio_lio_opcode %d", ops[i]);
		close(fd);
	}
}

TEST_HARNESS_MAIN
