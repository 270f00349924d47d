// SPDX-License-Identifier: MIT
/*
 * posix-aio/lio-listio: lio_listio in LIO_WAIT and LIO_NOWAIT modes, LIO_NOP
 * and NULL entries, a failing entry, and an invalid mode.
 * Sources: POSIX.1-2017 XSH lio_listio; lio_listio(3).
 *
 * First kernel: glibc queues each entry like aio_read/aio_write to its
 * worker threads (pread/pwrite): since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_WAIT the function waits
 * until all the I/O is complete; RETURN VALUE: 0 when it all succeeded.
 * Right after it returns, each of three writes has status 0 and its byte
 * count, and the data is in the file.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(wait_mode_returns_after_all_complete)
{
	static unsigned char wbuf[3][4096], rbuf[3 * 4096];
	struct aiocb cbs[3];
	struct aiocb *list[3];
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_WAIT the call returns only when all the listed "
			"I/O is complete, so each entry already has status 0 "
			"and its count");
	ASSERT_LE(0, fd);
	for (int i = 0; i < 3; i++) {
		conform_fill_pattern(wbuf[i], 4096, i * 4096);
		posix_aio_prep_lio(&cbs[i], LIO_WRITE, fd, wbuf[i], 4096,
				   i * 4096);
		list[i] = &cbs[i];
	}
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 3, NULL));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(4096, aio_return(&cbs[i]));
	}
	ASSERT_EQ(3 * 4096, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() ERRORS: EIO when one or more of the individual
 * operations failed; RETURN VALUE: a failed request does not prevent the
 * others from completing, and each entry's error status tells its outcome.
 * Of a good read and a read of a descriptor that cannot be open
 * (conform_bad_fd), the list fails with EIO, the good read returns its
 * data, the bad one has status EBADF and return -1.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(wait_mode_with_failed_entry_gets_eio)
{
	unsigned char good[512], bad[512];
	struct aiocb gcb, bcb;
	struct aiocb *list[2] = { &gcb, &bcb };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EIO when one or "
			"more listed operations failed; the others still "
			"complete and each entry keeps its own error status, "
			"here EBADF (glibc: manual Asynchronous "
			"Reads/Writes, the bad descriptor is found by the "
			"worker)");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&gcb, LIO_READ, fd, good, sizeof(good), 512);
	posix_aio_prep_lio(&bcb, LIO_READ, conform_bad_fd(), bad, sizeof(bad),
			   0);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT, list, 2, NULL));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	ASSERT_EQ(0, posix_aio_wait_done(&bcb));
	EXPECT_EQ(0, aio_error(&gcb));
	EXPECT_EQ(512, aio_return(&gcb));
	EXPECT_TRUE(conform_check_pattern(good, sizeof(good), 512));
	EXPECT_EQ(EBADF, aio_error(&bcb));
	EXPECT_EQ(-1, aio_return(&bcb));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_NOWAIT the call returns
 * once the operations are queued (RETURN VALUE: 0), and an LIO_READ entry
 * is submitted as if by aio_read(): two reads then complete with their
 * counts and data (the sig given asks for SIGEV_NONE).
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(nowait_mode_queues_requests)
{
	unsigned char buf[2][1024];
	struct aiocb cbs[2];
	struct aiocb *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	int fd = conform_temp_file(8192, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_NOWAIT the call returns as soon as the "
			"operations are queued, and each LIO_READ entry then "
			"completes as an aio_read() request would");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, buf[0], 1024, 0);
	posix_aio_prep_lio(&cbs[1], LIO_READ, fd, buf[1], 1024, 6000);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[1]));
	EXPECT_EQ(1024, aio_return(&cbs[0]));
	EXPECT_EQ(1024, aio_return(&cbs[1]));
	EXPECT_TRUE(conform_check_pattern(buf[0], 1024, 0));
	EXPECT_TRUE(conform_check_pattern(buf[1], 1024, 6000));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: the LIO_NOP operation causes the
 * list entry to be ignored. A NOP entry whose descriptor is -1 would make
 * the list fail with EIO if it were run; ignored, the list returns 0 and
 * the read next to it completes.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(nop_entries_are_ignored)
{
	unsigned char buf[512], nbuf[512];
	struct aiocb cb, nop;
	struct aiocb *list[2] = { &nop, &cb };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: an LIO_NOP "
			"entry is ignored, so its invalid descriptor does "
			"not fail the list");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&nop, LIO_NOP, -1, nbuf, sizeof(nbuf), 0);
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 100);
	EXPECT_EQ(0, lio_listio(LIO_WAIT, list, 2, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 100));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: the array may contain NULL
 * elements, which are ignored: a list of NULL, a read, NULL returns 0 and
 * the read completes (lio_listio(3) says the same).
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(null_entries_are_ignored)
{
	unsigned char buf[512];
	struct aiocb cb;
	struct aiocb *list[3] = { NULL, &cb, NULL };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: NULL "
			"elements of list are ignored");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 3584);
	EXPECT_EQ(0, lio_listio(LIO_WAIT, list, 3, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 3584));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() ERRORS: the call fails with EINVAL when the
 * mode argument is not a proper value; LIO_WAIT + LIO_NOWAIT + 7 is neither
 * LIO_WAIT nor LIO_NOWAIT.
 * First kernel: 2.6.0 (glibc worker threads, pread/pwrite).
 */
TEST(invalid_mode_fails_with_einval)
{
	unsigned char buf[512];
	struct aiocb cb;
	struct aiocb *list[1] = { &cb };
	int fd = conform_temp_file(4096, 0);
	int mode = LIO_WAIT + LIO_NOWAIT + 7;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EINVAL when mode "
			"is not a proper value, neither LIO_WAIT nor "
			"LIO_NOWAIT");
	ASSERT_LE(0, fd);
	ASSERT_NE(LIO_WAIT, mode);
	ASSERT_NE(LIO_NOWAIT, mode);
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 0);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(mode, list, 1, NULL));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_HARNESS_MAIN
