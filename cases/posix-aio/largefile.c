// SPDX-License-Identifier: MIT
/*
 * posix-aio/largefile: the LFS variants aio_read64, aio_write64,
 * aio_error64, aio_return64, aio_suspend64, aio_cancel64 and lio_listio64
 * with struct aiocb64 at offsets above 4 GiB, in a sparse file.
 * Sources: aio(7) and aio_read(3) (glibc provides the *64 forms of each
 * function, like read/pread64); the Large File Support interface of glibc
 * (<aio.h> with _LARGEFILE64_SOURCE); pread(2)/pwrite(2) with 64-bit offsets.
 *
 * First kernel: glibc runs these in worker threads with pread64/pwrite64:
 * since is
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

#define FIVE_GIB (5ULL << 30)

/*
 * aio_write(3) via aio_write64: the data goes to the absolute offset
 * aio_offset, here 5 GiB + 4096 (beyond what a 32-bit off_t can hold);
 * aio_return64 gives the byte count and the file grows to end there.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(write64_lands_above_4gib)
{
	unsigned char wbuf[4096], rbuf[4096];
	const off64_t off = FIVE_GIB + 4096;
	struct aiocb64 cb;
	struct stat64 st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "aio_write64",
			"aio_write(3) via the LFS aio_write64; pwrite(2) "
			"64-bit offsets (glibc/POSIX behaviour)");
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
 * aio_read(3) via aio_read64: reads from the absolute offset aio_offset
 * above 4 GiB, with the exact byte count and data.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(read64_reads_above_4gib)
{
	unsigned char wbuf[2048], rbuf[1000];
	const off64_t off = FIVE_GIB + 123;
	struct aiocb64 cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "aio_read64",
			"aio_read(3) via the LFS aio_read64; pread(2) 64-bit "
			"offsets (glibc/POSIX behaviour)");
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
 * lio_listio(3) via lio_listio64: LIO_WAIT returns 0 after every entry has
 * completed, for entries on both sides of the 4 GiB boundary.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(lio_listio64_wait_completes_entries_across_4gib)
{
	unsigned char low[4096], high[4096], rbuf[4096];
	const off64_t hoff = (4ULL << 30) + 8192;
	struct aiocb64 lcb, hcb;
	struct aiocb64 *list[2] = { &lcb, &hcb };
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "lio_listio64",
			"lio_listio(3) LIO_WAIT via the LFS lio_listio64 "
			"(glibc/POSIX behaviour)");
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
 * aio_cancel(3) via aio_cancel64: a request that already finished gives
 * AIO_ALLDONE, and its status is left as it was.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(cancel64_on_finished_request_gets_alldone)
{
	unsigned char wbuf[512];
	const off64_t off = FIVE_GIB;
	struct aiocb64 cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "aio_cancel64",
			"aio_cancel(3) AIO_ALLDONE via the LFS aio_cancel64 "
			"(glibc/POSIX behaviour)");
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
