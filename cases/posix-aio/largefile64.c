// SPDX-License-Identifier: MIT
/*
 * posix-aio/largefile64: the LFS variants with struct aiocb64 at offsets
 * above 4 GiB in a sparse file, beyond posix-aio/largefile (write64,
 * read64, lio_listio64 LIO_WAIT, cancel64 of a finished request):
 * aio_fsync64 and a notification after write64, reads across the 4 GiB
 * boundary, of a hole and at end of file, aio_cancel64 and aio_suspend64
 * on a request still queued, aio_error64/aio_return64 of a failed write64,
 * and lio_listio64 in LIO_NOWAIT mode with a list signal.
 * Sources: the glibc manual "Asynchronous I/O" (each function has a *64
 * form taking struct aiocb64, the LFS interface of <aio.h> with
 * _LARGEFILE64_SOURCE); POSIX.1-2017 XSH aio_read(), aio_write(),
 * aio_fsync(), aio_cancel(), aio_suspend(), aio_error(), aio_return(),
 * lio_listio() (the *64 forms behave as these); read(2) (end of file,
 * holes read as zeros).
 *
 * The file is made sparse by ftruncate64 to 6 GiB; a filesystem of TMPDIR
 * that refuses that size skips the TEST (CONFORM_ENV). A request that must
 * still be queued waits behind the only worker thread (aio_init with
 * aio_threads 1, first in the fresh test child), held by a read of an
 * empty pipe.
 *
 * First kernel: glibc runs these in worker threads with pread64/pwrite64/
 * fsync: since is 2.6.0 in every declaration; a static glibc 2.36 binary
 * itself needs 3.2 to start.
 */
#include <aio.h>
#include <signal.h>

#include "conform_posix_aio.h"

#define GIB (1ULL << 30)
#define LARGE_SIG (SIGRTMIN + 7)

/*
 * An unlinked temp file that the filesystem lets grow to 6 GiB (left at
 * size bytes), or -1 with *why set: a skip reason.
 */
static int sparse_file(off64_t size, const char **why)
{
	int fd = conform_temp_file(0, 0);

	*why = NULL;
	if (fd < 0) {
		*why = CONFORM_ENV "cannot make a temp file in TMPDIR";
		return -1;
	}
	if (ftruncate64(fd, (off64_t)(6 * GIB)) < 0) {
		*why = CONFORM_ENV "the filesystem of TMPDIR refuses a 6 GiB sparse file (ftruncate64)";
		close(fd);
		return -1;
	}
	if (ftruncate64(fd, size) < 0) {
		close(fd);
		*why = CONFORM_ENV "ftruncate64 back failed";
		return -1;
	}
	return fd;
}

/* In a fresh test child, before any other AIO call: one worker thread at
 * most, taken by a read of the empty pipe p. */
static void hold_the_only_worker(struct __test_metadata *_metadata, int p[2],
				 struct aiocb64 *hold, unsigned char *buf)
{
	struct aioinit init;

	memset(&init, 0, sizeof(init));
	init.aio_threads = 1;
	init.aio_num = 32;
	aio_init(&init);
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep64(hold, LIO_READ, p[0], buf, 1, 0);
	ASSERT_EQ(0, aio_read64(hold));
}

/* Let the held read complete, wait for it, close the pipe. */
static void release_the_worker(struct __test_metadata *_metadata, int p[2],
			       struct aiocb64 *hold)
{
	ASSERT_EQ(1, write(p[1], "r", 1));
	ASSERT_EQ(0, posix_aio_wait_done64(hold));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION, via aio_fsync64: the sync completes
 * the I/O queued before it "as if by a call to fsync()", and its
 * aio_sigevent notification comes when it has completed. After aio_write64
 * of 4096 bytes at 5 GiB and aio_fsync64(O_SYNC) asking for a signal, once
 * the signal is taken both requests are done (aio_error64 0) and the file
 * ends at 5 GiB + 4096 with the data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite64/fsync in threads).
 */
TEST(fsync64_after_write64_above_4gib_signals_when_both_done)
{
	const off64_t off = 5 * GIB;
	unsigned char wbuf[4096], rbuf[4096];
	struct aiocb64 wcb, scb;
	struct stat64 st;
	const char *why;
	siginfo_t info;
	sigset_t set;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_fsync64",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: the sync "
			"completes the I/O queued before it and notifies "
			"once that is done, here aio_fsync64 after an "
			"aio_write64 at 5 GiB (glibc: manual Synchronizing "
			"AIO Operations, aio_fsync64 takes a struct aiocb64)");
	fd = sparse_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(0, posix_aio_block_signal(LARGE_SIG, &set));
	conform_fill_pattern(wbuf, sizeof(wbuf), off);
	posix_aio_prep64(&wcb, LIO_WRITE, fd, wbuf, sizeof(wbuf), off);
	posix_aio_prep64(&scb, LIO_NOP, fd, NULL, 0, 0);
	posix_aio_want_signal(&scb.aio_sigevent, LARGE_SIG, &scb);
	ASSERT_EQ(0, aio_write64(&wcb));
	ASSERT_EQ(0, aio_fsync64(O_SYNC, &scb));
	ASSERT_EQ(LARGE_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)&scb, info.si_value.sival_ptr);
	EXPECT_EQ(0, aio_error64(&scb));
	EXPECT_EQ(0, aio_return64(&scb));
	EXPECT_EQ(0, aio_error64(&wcb));
	EXPECT_EQ(4096, aio_return64(&wcb));
	ASSERT_EQ(0, fstat64(fd, &st));
	EXPECT_EQ((off64_t)(off + 4096), st.st_size);
	ASSERT_EQ(4096, pread64(fd, rbuf, sizeof(rbuf), off));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), off));
	ASSERT_EQ(0, posix_aio_wait_done64(&wcb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION, via aio_read64: aio_nbytes are read
 * from the absolute aio_offset; a read that starts 1000 bytes below 4 GiB
 * and ends 1000 bytes above it returns all 2000 bytes, each from its
 * offset.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread64 in threads).
 */
TEST(read64_across_the_4gib_boundary)
{
	const off64_t off = 4 * GIB - 1000;
	unsigned char wbuf[2000], rbuf[2000];
	struct aiocb64 cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read64",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes are "
			"read from the absolute offset aio_offset, here 2000 "
			"bytes across 4 GiB via aio_read64 (glibc: manual "
			"Asynchronous Reads/Writes, aio_read64 takes a "
			"64-bit aio_offset)");
	fd = sparse_file(0, &why);
	CONFORM_REQUIRE(why);
	conform_fill_pattern(wbuf, sizeof(wbuf), off);
	ASSERT_EQ(2000, pwrite64(fd, wbuf, sizeof(wbuf), off));
	posix_aio_prep64(&cb, LIO_READ, fd, rbuf, sizeof(rbuf), off);
	ASSERT_EQ(0, aio_read64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(0, aio_error64(&cb));
	EXPECT_EQ(2000, aio_return64(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), off));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION, via aio_read64, as read() would: the unwritten
 * part of a sparse file (a hole) reads as zero bytes; a read of 4096 bytes
 * at 5 GiB of a 6 GiB file that has nothing written returns 4096 zeros.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread64 in threads).
 */
TEST(read64_of_a_hole_above_4gib_gives_zeros)
{
	unsigned char buf[4096];
	struct aiocb64 cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read64",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_nbytes are "
			"read from the file at aio_offset, as read() would, "
			"so a hole of a sparse file at 5 GiB reads as zeros "
			"via aio_read64 (glibc: manual Asynchronous "
			"Reads/Writes, aio_read64)");
	fd = sparse_file((off64_t)(6 * GIB), &why);
	CONFORM_REQUIRE(why);
	memset(buf, 0x5a, sizeof(buf));
	posix_aio_prep64(&cb, LIO_READ, fd, buf, sizeof(buf), 5 * GIB);
	ASSERT_EQ(0, aio_read64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(0, aio_error64(&cb));
	EXPECT_EQ(4096, aio_return64(&cb));
	for (size_t i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(0, buf[i]);
	close(fd);
}

/*
 * POSIX.1-2017 aio_return() DESCRIPTION, via aio_read64 and aio_return64:
 * the return status is what read() would give, 0 at end of file: a read at
 * 5 GiB + 1 of a file of 5 GiB + 1 bytes completes with status 0 and return
 * 0, and a read starting 10 bytes before that end returns those 10 bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread64 in threads).
 */
TEST(read64_at_end_of_file_above_4gib)
{
	const off64_t end = 5 * GIB + 1;
	unsigned char buf[100];
	struct aiocb64 cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read64",
			"POSIX.1-2017 aio_return() DESCRIPTION: the return "
			"status is what read() would return, 0 at an end of "
			"file above 4 GiB and the 10 bytes just before it, "
			"via aio_read64 and aio_return64 (glibc: manual "
			"Status of AIO Operations, aio_return64)");
	fd = sparse_file(end, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep64(&cb, LIO_READ, fd, buf, sizeof(buf), end);
	ASSERT_EQ(0, aio_read64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(0, aio_error64(&cb));
	EXPECT_EQ(0, aio_return64(&cb));
	posix_aio_prep64(&cb, LIO_READ, fd, buf, sizeof(buf), end - 10);
	ASSERT_EQ(0, aio_read64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(10, aio_return64(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_cancel() DESCRIPTION, via aio_cancel64: a canceled
 * request gets status ECANCELED and return -1; RETURN VALUE: AIO_CANCELED
 * for a request not yet started. A write64 at 5 GiB that waits behind the
 * only worker is canceled: aio_error64 ECANCELED, aio_return64 -1, and the
 * file never grows, even after the worker is free again.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite64 in threads).
 */
TEST(cancel64_cancels_a_queued_write64_above_4gib)
{
	unsigned char hbuf[1], wbuf[512];
	struct aiocb64 hold, cb;
	struct stat64 st;
	const char *why;
	int p[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_cancel64",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a canceled "
			"operation gets ECANCELED and -1 and the call "
			"AIO_CANCELED, here a write64 at 5 GiB queued behind "
			"the only worker, via aio_cancel64; the file never "
			"grows (glibc: manual Cancel AIO Operations, "
			"aio_cancel64)");
	fd = sparse_file(0, &why);
	CONFORM_REQUIRE(why);
	hold_the_only_worker(_metadata, p, &hold, hbuf);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep64(&cb, LIO_WRITE, fd, wbuf, sizeof(wbuf), 5 * GIB);
	ASSERT_EQ(0, aio_write64(&cb));
	EXPECT_EQ(AIO_CANCELED, aio_cancel64(fd, &cb));
	EXPECT_EQ(ECANCELED, aio_error64(&cb));
	EXPECT_EQ(-1, aio_return64(&cb));
	release_the_worker(_metadata, p, &hold);
	ASSERT_EQ(0, fstat64(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 aio_suspend() ERRORS and RETURN VALUE, via aio_suspend64:
 * EAGAIN when no listed request completes within the timeout, 0 once one
 * has. A read64 at 5 GiB waits behind the only worker: aio_error64
 * EINPROGRESS and a 50 ms aio_suspend64 gives EAGAIN; once the worker is
 * free, aio_suspend64 (5 s bound) returns 0 and the read has its data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread64 in threads).
 */
TEST(suspend64_on_a_queued_read64_times_out_then_returns)
{
	const off64_t off = 5 * GIB + 300;
	const struct timespec brief = { 0, 50 * 1000 * 1000 }, limit = { 5, 0 };
	unsigned char hbuf[1], wbuf[600], rbuf[600];
	struct aiocb64 hold, cb;
	const struct aiocb64 *list[1] = { &cb };
	const char *why;
	int p[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_suspend64",
			"POSIX.1-2017 aio_suspend() ERRORS: EAGAIN when no "
			"listed operation completes within the timeout, then "
			"0 once one has, via aio_suspend64 for a queued "
			"read64 (glibc: manual Synchronizing AIO Operations, "
			"aio_suspend64)");
	fd = sparse_file(0, &why);
	CONFORM_REQUIRE(why);
	conform_fill_pattern(wbuf, sizeof(wbuf), off);
	ASSERT_EQ(600, pwrite64(fd, wbuf, sizeof(wbuf), off));
	hold_the_only_worker(_metadata, p, &hold, hbuf);
	posix_aio_prep64(&cb, LIO_READ, fd, rbuf, sizeof(rbuf), off);
	ASSERT_EQ(0, aio_read64(&cb));
	EXPECT_EQ(EINPROGRESS, aio_error64(&cb));
	errno = 0;
	EXPECT_EQ(-1, aio_suspend64(list, 1, &brief));
	EXPECT_EQ(EAGAIN, errno);
	release_the_worker(_metadata, p, &hold);
	EXPECT_EQ(0, aio_suspend64(list, 1, &limit));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(600, aio_return64(&cb));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), off));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS (asynchronous) via aio_write64: EBADF
 * when aio_fildes is not "open for writing"; aio_error64 gives EBADF and
 * aio_return64 -1 for a write64 at 5 GiB on a read-only descriptor, and the
 * file does not grow.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite64 in threads).
 */
TEST(write64_on_read_only_fd_fails_later_with_ebadf)
{
	unsigned char buf[256];
	struct aiocb64 cb;
	struct stat64 st;
	const char *why;
	int fd, ro;

	CONFORM_DECLARE("2.6.0", "aio_error64",
			"POSIX.1-2017 aio_write() ERRORS: EBADF for a "
			"descriptor not open for writing, reported "
			"asynchronously: aio_error64 EBADF and aio_return64 "
			"-1 for a write64 at 5 GiB (glibc: manual "
			"Asynchronous Reads/Writes, need not be recognized "
			"before enqueueing)");
	fd = sparse_file(0, &why);
	CONFORM_REQUIRE(why);
	ro = conform_reopen(fd, O_RDONLY);
	if (ro < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file read-only through /proc/self/fd (no /proc?)");
	}
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep64(&cb, LIO_WRITE, ro, buf, sizeof(buf), 5 * GIB);
	ASSERT_EQ(0, aio_write64(&cb));
	ASSERT_EQ(0, posix_aio_wait_done64(&cb));
	EXPECT_EQ(EBADF, aio_error64(&cb));
	EXPECT_EQ(-1, aio_return64(&cb));
	ASSERT_EQ(0, fstat64(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(ro);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION via lio_listio64: with LIO_NOWAIT
 * the call returns once the entries are queued, and the list's signal comes
 * when all have completed: two write64 entries, at 4 GiB + 4096 and at 5
 * GiB + 8192, are both done, with their data in the file, when the signal
 * carrying the list's value is taken.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite64 in threads).
 */
TEST(lio_listio64_nowait_signals_after_entries_above_4gib)
{
	const off64_t offs[2] = { 4 * GIB + 4096, 5 * GIB + 8192 };
	unsigned char wbuf[2][1024], rbuf[1024];
	struct aiocb64 cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	const char *why;
	siginfo_t info;
	sigset_t set;
	int fd;

	CONFORM_DECLARE("2.6.0", "lio_listio64",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_NOWAIT the call returns once the entries are "
			"queued and sig's notification comes when all have "
			"completed, via lio_listio64 above 4 GiB (glibc: "
			"manual Asynchronous Reads/Writes, lio_listio64)");
	fd = sparse_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(0, posix_aio_block_signal(LARGE_SIG, &set));
	for (int i = 0; i < 2; i++) {
		conform_fill_pattern(wbuf[i], 1024, offs[i]);
		posix_aio_prep64(&cbs[i], LIO_WRITE, fd, wbuf[i], 1024, offs[i]);
	}
	posix_aio_want_signal(&sev, LARGE_SIG, list);
	ASSERT_EQ(0, lio_listio64(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(LARGE_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, aio_error64(&cbs[i]));
		EXPECT_EQ(1024, aio_return64(&cbs[i]));
		ASSERT_EQ(1024, pread64(fd, rbuf, sizeof(rbuf), offs[i]));
		EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), offs[i]));
		ASSERT_EQ(0, posix_aio_wait_done64(&cbs[i]));
	}
	close(fd);
}

TEST_HARNESS_MAIN
