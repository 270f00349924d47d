// SPDX-License-Identifier: MIT
/*
 * posix-aio/lio-listio: lio_listio in LIO_WAIT and LIO_NOWAIT modes, LIO_NOP
 * and NULL entries, a failing entry, and an invalid mode.
 * Sources: POSIX.1-2017 XSH lio_listio; lio_listio(3).
 *
 * First kernel: glibc queues each entry like aio_read/aio_write to its
 * worker threads (pread/pwrite): since is
 * 2.6 in every declaration (glibc/POSIX behaviour: nothing newer is asked
 * of the kernel); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/*
 * lio_listio(3): with LIO_WAIT "the call blocks until all operations are
 * complete" and returns 0 when all completed successfully. So right after
 * it returns, every entry has aio_error 0 and its byte count, and the data
 * is in the file.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(wait_mode_returns_after_all_complete)
{
	static unsigned char wbuf[3][4096], rbuf[3 * 4096];
	struct aiocb cbs[3];
	struct aiocb *list[3];
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6", "lio_listio",
			"lio_listio(3) LIO_WAIT blocks until all operations "
			"are complete; POSIX lio_listio() (glibc/POSIX "
			"behaviour)");
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
 * lio_listio(3) ERRORS: EIO "One or more of the operations specified by
 * aiocb_list failed"; the other operations still complete, and the failed
 * one has its own error status (a read from a descriptor that cannot be
 * open, conform_bad_fd: EBADF, which glibc reports through aio_error).
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(wait_mode_with_failed_entry_gets_eio)
{
	unsigned char good[512], bad[512];
	struct aiocb gcb, bcb;
	struct aiocb *list[2] = { &gcb, &bcb };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "lio_listio",
			"lio_listio(3) ERRORS EIO one or more of the "
			"operations failed; POSIX lio_listio() (glibc/POSIX "
			"behaviour)");
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
 * lio_listio(3): with LIO_NOWAIT "the I/O operations are queued for
 * processing and the call returns immediately" (0 when all were queued);
 * with a SIGEV_NONE sigevent no notification occurs. The requests then
 * complete like aio_read/aio_write requests.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(nowait_mode_queues_requests)
{
	unsigned char buf[2][1024];
	struct aiocb cbs[2];
	struct aiocb *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	int fd = conform_temp_file(8192, 0);

	CONFORM_DECLARE("2.6", "lio_listio",
			"lio_listio(3) LIO_NOWAIT queues the operations and "
			"returns; POSIX lio_listio() (glibc/POSIX behaviour)");
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
 * lio_listio(3): "LIO_NOP Ignore this control block." A NOP entry whose
 * descriptor is invalid would fail the list (EIO) if it were run; ignored,
 * the list succeeds.
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(nop_entries_are_ignored)
{
	unsigned char buf[512], nbuf[512];
	struct aiocb cb, nop;
	struct aiocb *list[2] = { &nop, &cb };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "lio_listio",
			"lio_listio(3) LIO_NOP ignore this control block "
			"(glibc/POSIX behaviour)");
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
 * lio_listio(3): "Null pointers in aiocb_list are ignored." (POSIX: the
 * list may contain NULL elements, which shall be ignored.)
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(null_entries_are_ignored)
{
	unsigned char buf[512];
	struct aiocb cb;
	struct aiocb *list[3] = { NULL, &cb, NULL };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6", "lio_listio",
			"lio_listio(3) null pointers in aiocb_list are "
			"ignored; POSIX lio_listio() (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 3584);
	EXPECT_EQ(0, lio_listio(LIO_WAIT, list, 3, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 3584));
	close(fd);
}

/*
 * POSIX lio_listio ERRORS (shall fail): EINVAL "The mode argument is not a
 * proper value"; lio_listio(3): "mode is invalid".
 * First kernel: 2.6 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(invalid_mode_fails_with_einval)
{
	unsigned char buf[512];
	struct aiocb cb;
	struct aiocb *list[1] = { &cb };
	int fd = conform_temp_file(4096, 0);
	int mode = LIO_WAIT + LIO_NOWAIT + 7;

	CONFORM_DECLARE("2.6", "lio_listio",
			"POSIX lio_listio() ERRORS EINVAL mode is not a "
			"proper value; lio_listio(3) (glibc/POSIX behaviour)");
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
