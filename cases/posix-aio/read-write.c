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
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX aio_write: the data is written at the absolute position aio_offset;
 * aio_return gives what write() would have returned (all nbytes), aio_error
 * gives 0 on success (glibc 2.1+).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(write_puts_nbytes_at_aio_offset)
{
	unsigned char wbuf[4096], rbuf[4096];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "aio_write",
			"POSIX aio_write(): written at the absolute position "
			"aio_offset; aio_return(3) (glibc/POSIX behaviour)");
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
 * aio_read(3): "The data is read starting at the absolute position
 * aiocbp->aio_offset, regardless of the file offset" (glibc 2.1+).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_uses_aio_offset_not_file_offset)
{
	unsigned char buf[1000];
	struct aiocb cb;
	int fd = conform_temp_file(16384, 0);

	CONFORM_DECLARE("2.6", "aio_read",
			"aio_read(3): read from the absolute position "
			"aio_offset regardless of the file offset "
			"(glibc/POSIX behaviour)");
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
 * aio_error(3): returns EINPROGRESS "if the request has not been completed
 * yet", 0 once it completed successfully. A read of an empty pipe cannot
 * complete until data is written (glibc 2.1+).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(error_is_einprogress_until_read_completes)
{
	unsigned char wbuf[16], rbuf[16];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "aio_error",
			"POSIX aio_error(): returns EINPROGRESS while the "
			"request is not completed; aio_error(3) (glibc/POSIX "
			"behaviour)");
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
 * POSIX aio_read: aio_return gives the value read() would have returned;
 * read(2) at end of file returns 0, and that is a success (aio_error 0).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_at_eof_returns_zero)
{
	unsigned char buf[512];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read(): aio_return gives what read() "
			"would; read(2) at end of file (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 4096);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(fd);
}

/*
 * POSIX aio_read / read(2): a read that crosses end of file returns only the
 * bytes up to EOF (here 4096 - 3000 = 1096), with the file's data.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read_across_eof_returns_bytes_up_to_eof)
{
	unsigned char buf[4096];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_read",
			"POSIX aio_read(); read(2) returns the bytes up to "
			"end of file (glibc/POSIX behaviour)");
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
 * aio_write(3): "If O_APPEND is set, data is written at the end of the
 * file", whatever aio_offset says (POSIX aio_write says the same; on Linux
 * pwrite(2) on an O_APPEND fd appends too, see its BUGS section).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(write_with_o_append_appends_at_end)
{
	unsigned char wbuf[100], rbuf[4196];
	struct aiocb cb;
	struct stat st;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "aio_write",
			"aio_write(3) O_APPEND; POSIX aio_write(); pwrite(2) "
			"BUGS (glibc/POSIX behaviour)");
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
