// SPDX-License-Identifier: MIT
/*
 * posix-aio/largefile: the LFS variants aio_read64, aio_write64,
 * aio_error64, aio_return64, aio_suspend64, aio_cancel64 and lio_listio64
 * with struct aiocb64 at offsets above 4 GiB, in a sparse file.
 * Sources: POSIX.1-2017 XSH aio_read(), aio_write() and lio_listio()
 * DESCRIPTION, aio_cancel() RETURN VALUE, each through its LFS form; the
 * glibc manual (Asynchronous Reads/Writes, Cancel AIO Operations: the *64
 * forms take struct aiocb64, whose aio_offset is 64 bits); pread(2)/pwrite(2)
 * with 64-bit offsets.
 *
 * First kernel: glibc runs these in worker threads with pread64/pwrite64:
 * since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

#define FIVE_GIB (5ULL << 30)

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: without O_APPEND the write takes
 * place at the absolute offset aio_offset. Through the LFS form aio_write64
 * (glibc manual, Asynchronous Reads/Writes: struct aiocb64, 64-bit
 * aio_offset) the offset is 5 GiB + 4096, beyond a 32-bit off_t;
 * aio_return64 gives the byte count and the file ends there.
 * First kernel: 2.6.0 (glibc worker threads, pread64/pwrite64).
 */
TEST(write64_lands_above_4gib)
{
	unsigned char wbuf[4096], rbuf[4096];
	const off64_t off = FIVE_GIB + 4096;
	struct aiocb64 cb;
	struct stat64 st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write64",
			"POSIX.1-2017 aio_write() DESCRIPTION: without "
			"O_APPEND the data is written at the absolute offset "
			"aio_offset, here 5 GiB + 4096 via aio_write64 "
			"(glibc: manual Asynchronous Reads/Writes, the *64 "
			"forms take struct aiocb64 with a 64-bit aio_offset)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), off);
	posix_aio_prep64(&cb, LIO_WRITE, fd, wbuf, sizeof(wbuf), off);
	ASSERT_EQ(0, aio_write64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(0, aio_error64(&cb));
	EXPECT_EQ(4096, aio_return64(&cb));
	ASSERT_EQ(0, fstat64(fd, &st));
	EXPECT_EQ((off64_t)(off + 4096), st.st_size);
	ASSERT_EQ(4096, pread64(fd, rbuf, sizeof(rbuf), off));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), off));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: the read takes place at the absolute
 * offset aio_offset; via aio_read64 an offset above 4 GiB gives the exact
 * byte count and data.
 * First kernel: 2.6.0 (glibc worker threads, pread64/pwrite64).
 */
TEST(read64_reads_above_4gib)
{
	unsigned char wbuf[2048], rbuf[1000];
	const off64_t off = FIVE_GIB + 123;
	struct aiocb64 cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_read64",
			"POSIX.1-2017 aio_read() DESCRIPTION: the read takes "
			"place at the absolute offset aio_offset, here above "
			"4 GiB via aio_read64 (glibc: manual Asynchronous "
			"Reads/Writes, the *64 forms take struct aiocb64 "
			"with a 64-bit aio_offset)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), off);
	ASSERT_EQ((ssize_t)sizeof(wbuf), pwrite64(fd, wbuf, sizeof(wbuf), off));
	posix_aio_prep64(&cb, LIO_READ, fd, rbuf, sizeof(rbuf), off + 500);
	ASSERT_EQ(0, aio_read64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(0, aio_error64(&cb));
	EXPECT_EQ(1000, aio_return64(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), off + 500));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_WAIT the call waits until
 * all the listed I/O is complete (RETURN VALUE: 0 when it all succeeded).
 * Via lio_listio64, two writes at 0 and at 4 GiB + 8192 have both
 * completed, with their data, when it returns 0.
 * First kernel: 2.6.0 (glibc worker threads, pread64/pwrite64).
 */
TEST(lio_listio64_wait_completes_entries_across_4gib)
{
	unsigned char low[4096], high[4096], rbuf[4096];
	const off64_t hoff = (4ULL << 30) + 8192;
	struct aiocb64 lcb, hcb;
	struct aiocb64 *list[2] = { &lcb, &hcb };
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio64",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_WAIT the call returns once all the listed I/O "
			"is complete, here entries on both sides of 4 GiB "
			"via lio_listio64 (glibc: manual Asynchronous "
			"Reads/Writes, the *64 forms take struct aiocb64 "
			"with a 64-bit aio_offset)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(low, sizeof(low), 0);
	conform_fill_pattern(high, sizeof(high), hoff);
	posix_aio_prep64(&lcb, LIO_WRITE, fd, low, sizeof(low), 0);
	posix_aio_prep64(&hcb, LIO_WRITE, fd, high, sizeof(high), hoff);
	ASSERT_EQ(0, lio_listio64(LIO_WAIT, list, 2, NULL));
	EXPECT_EQ(0, aio_error64(&lcb));
	EXPECT_EQ(0, aio_error64(&hcb));
	EXPECT_EQ(4096, aio_return64(&lcb));
	EXPECT_EQ(4096, aio_return64(&hcb));
	ASSERT_EQ(4096, pread64(fd, rbuf, sizeof(rbuf), hoff));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), hoff));
	ASSERT_EQ(4096, pread64(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	close(fd);
}

/*
 * POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE when the requested
 * operation has already completed; via aio_cancel64 a finished write64 at 5
 * GiB gets AIO_ALLDONE and keeps status 0 and its count.
 * First kernel: 2.6.0 (glibc worker threads, pread64/pwrite64).
 */
TEST(cancel64_on_finished_request_gets_alldone)
{
	unsigned char wbuf[512];
	const off64_t off = FIVE_GIB;
	struct aiocb64 cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_cancel64",
			"POSIX.1-2017 aio_cancel() RETURN VALUE: AIO_ALLDONE "
			"when the operation has already completed, here a "
			"write64 at 5 GiB via aio_cancel64, its status left "
			"as it was (glibc: manual Cancel AIO Operations, "
			"aio_cancel64 takes a struct aiocb64)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), off);
	posix_aio_prep64(&cb, LIO_WRITE, fd, wbuf, sizeof(wbuf), off);
	ASSERT_EQ(0, aio_write64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(AIO_ALLDONE, aio_cancel64(fd, &cb));
	EXPECT_EQ(0, aio_error64(&cb));
	EXPECT_EQ(512, aio_return64(&cb));
	close(fd);
}

TEST_HARNESS_MAIN
