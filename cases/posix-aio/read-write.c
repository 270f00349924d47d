// SPDX-License-Identifier: MIT
/*
 * posix-aio/read-write: aio_read and aio_write data paths, with aio_error
 * and aio_return as the status interface: absolute offsets, exact byte
 * counts, EOF, O_APPEND and the EINPROGRESS state.
 * Sources: POSIX.1-2017 XSH aio_read, aio_write, aio_error, aio_return;
 * aio_read(3), aio_write(3), aio_error(3), aio_return(3), aio(7).
 *
 * glibc 2.36 runs POSIX AIO in its own worker threads with pread/pwrite (it
 * never uses the kernel's io_submit), so the kernel adds nothing newer than
 * threads, futexes and pread/pwrite: since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: without O_APPEND the write takes
 * place at the absolute position aio_offset, as if after lseek(SEEK_SET);
 * aio_return() DESCRIPTION: the return status is what write() returns (all
 * 4096 bytes), and aio_error gives 0. The file grows to 8192 with the data
 * at 4096.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(write_puts_nbytes_at_aio_offset)
{
	unsigned char wbuf[4096], rbuf[4096];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: without "
			"O_APPEND the write takes place at the absolute "
			"offset aio_offset; the return status is write()'s "
			"count and the error status 0");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), 4096);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 4096);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(4096, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(8192, st.st_size);
	ASSERT_EQ(4096, pread(fd, rbuf, sizeof(rbuf), 4096));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 4096));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: the read takes place at the absolute
 * position aio_offset, as if lseek() with SEEK_SET were called just before
 * it: with the file offset at 100, a read with aio_offset 5000 returns the
 * bytes at 5000.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_uses_aio_offset_not_file_offset)
{
	unsigned char buf[1000];
	struct aiocb cb;
	int fd = conform_temp_file(16384, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: the read takes "
			"place at the absolute offset aio_offset, as if "
			"after lseek(SEEK_SET), whatever the file offset was");
	ASSERT_LE(0, fd);
	ASSERT_EQ(100, lseek(fd, 100, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 5000);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(1000, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 5000));
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() RETURN VALUE: EINPROGRESS while the operation
 * has not completed, 0 once it completed successfully. A read of an empty
 * pipe cannot complete until data is written.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(error_is_einprogress_until_read_completes)
{
	unsigned char wbuf[16], rbuf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_error",
			"POSIX.1-2017 aio_error() RETURN VALUE: EINPROGRESS "
			"while the operation has not completed, 0 once it "
			"has completed successfully");
	ASSERT_EQ(0, conform_pipe(p));
	memset(rbuf, 0, sizeof(rbuf));
	posix_aio_prep(&cb, p[0], rbuf, sizeof(rbuf), 0);
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(16, write(p[1], wbuf, sizeof(wbuf)));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_return() DESCRIPTION: the return status is the value the
 * corresponding read() would return; read() at end of file returns 0, and
 * that is a success (aio_error 0).
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_at_eof_returns_zero)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is what read() would return, 0 for a read at "
			"end of file, with error status 0");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 4096);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_return() DESCRIPTION: the return status is what read()
 * would return: a read that crosses end of file returns only the bytes up
 * to it (here 4096 - 3000 = 1096), with the file's data.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(read_across_eof_returns_bytes_up_to_eof)
{
	unsigned char buf[4096];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is what read() would return, only the bytes "
			"up to end of file for a read that crosses it");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 3000);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(1096, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, 1096, 3000));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: when O_APPEND is set for the
 * descriptor, writes append to the file in the order of the calls, so
 * aio_offset 0 is not used (aio_write(3) the same; on Linux pwrite(2) on an
 * O_APPEND descriptor appends too, see its BUGS section). The 100 bytes
 * land after the 4096 there were.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(write_with_o_append_appends_at_end)
{
	unsigned char wbuf[100], rbuf[4196];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: with O_APPEND "
			"set on the descriptor the write appends to the "
			"file, whatever aio_offset says");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_APPEND));
	conform_fill_pattern(wbuf, sizeof(wbuf), 4096);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(100, aio_return(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4196, st.st_size);
	ASSERT_EQ(4196, pread(fd, rbuf, sizeof(rbuf), 0));
	/* The old bytes at offset 0 are untouched; the new ones follow. */
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(fd);
}

TEST_HARNESS_MAIN
