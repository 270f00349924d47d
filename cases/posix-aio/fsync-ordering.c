// SPDX-License-Identifier: MIT
/*
 * posix-aio/fsync-ordering: which I/O an aio_fsync covers, beyond
 * posix-aio/fsync (one write before an O_SYNC sync, not held back),
 * fsync-notify (the notification after one write; read-only descriptor;
 * pipe) and largefile64 (aio_fsync64): several writes really queued
 * before an O_DSYNC sync are complete when it completes; a write queued
 * after the sync is not waited for; SIGEV_NONE sends nothing; a socket
 * fails the sync later with EINVAL, a memfd syncs; an earlier write of
 * lower priority (aio_reqprio > 0) is covered too, and a failed earlier
 * write's error is the sync's status (glibc 2.36 breaks both: a sync
 * overtakes the lower-priority write, and reports only fsync's result;
 * those two TESTs fail there, glibc defects).
 * Sources: POSIX.1-2017 XSH aio_fsync() DESCRIPTION (I/O "queued at the
 * time of the call" is completed as by fsync()/fdatasync(); later I/O is
 * not covered; aio_sigevent), ERRORS (EINVAL: synchronized I/O not
 * supported for the file; a failed queued operation's error is the
 * sync's error status), 2.4.1 SIGEV_NONE; aio_fsync(3), fsync(2),
 * memfd_create(2).
 *
 * How "queued" and "not yet" are made, without sleeps: each TEST that
 * needs it calls aio_init with aio_threads 1 first in its fresh child and
 * holds that only worker with a read of an empty pipe; requests on the
 * file then wait in glibc's queue. glibc 2.36 serves the run list by
 * priority, first come first served among equals, and one descriptor's
 * requests in its queue order; a second held pipe read placed in the run
 * list keeps the worker from reaching a request that must stay pending.
 *
 * First kernel: glibc runs the sync in a worker thread with fsync(2) or
 * fdatasync(2): since is 2.6.0 in every declaration but the memfd one
 * (memfd_create, 3.17); a static glibc 2.36 binary itself needs 3.2 to
 * start.
 */
#include <aio.h>
#include <signal.h>
#include <sys/mman.h>

#include "conform_posix_aio.h"

#define SYNC_SIG (SIGRTMIN + 8)

/* Queue a one-byte read of the new empty pipe p (reqprio prio). */
static void queue_read(struct __test_metadata *_metadata, int p[2],
		       struct aiocb *cb, unsigned char *buf, int prio)
{
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(cb, p[0], buf, 1, 0);
	cb->aio_reqprio = prio;
	ASSERT_EQ(0, aio_read(cb));
}

/* Let the pipe read cb complete (one byte), wait for it, close the pipe. */
static void release_read(struct __test_metadata *_metadata, int p[2],
			 struct aiocb *cb)
{
	ASSERT_EQ(1, write(p[1], "r", 1));
	ASSERT_EQ(0, posix_aio_wait_done(cb));
	EXPECT_EQ(1, aio_return(cb));
	close(p[0]);
	close(p[1]);
}

/*
 * aio_error of cb once it has settled, or EINPROGRESS when it is still in
 * progress after waiting up to secs seconds (aio_suspend, EINTR retried).
 */
static int error_within(const struct aiocb *cb, time_t secs)
{
	const struct aiocb *list[1] = { cb };
	const struct timespec limit = { secs, 0 };

	while (aio_error(cb) == EINPROGRESS)
		if (aio_suspend(list, 1, &limit) < 0 && errno != EINTR)
			break;
	return aio_error(cb);
}

/*
 * POSIX aio_fsync() DESCRIPTION: with O_DSYNC all I/O queued at the time
 * of the call is completed as if by fdatasync(). Three writes of a file
 * queued (behind the held worker) before an O_DSYNC sync: when the sync
 * has completed (status 0, return 0), each write has too, with its count,
 * and the file holds their data; nothing had run before the worker was
 * released.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fdatasync in threads).
 */
TEST(o_dsync_sync_completes_after_every_write_queued_before_it)
{
	unsigned char hbuf[1], wbuf[3][1024], rbuf[3072];
	struct aiocb hold, wcbs[3], scb;
	int hp[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: O_DSYNC "
			"completes all I/O queued at the time of the call as "
			"by fdatasync() (glibc: aio_init(3) aio_threads)");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	for (int i = 0; i < 3; i++) {
		conform_fill_pattern(wbuf[i], 1024, i * 1024);
		posix_aio_prep(&wcbs[i], fd, wbuf[i], 1024, i * 1024);
		ASSERT_EQ(0, aio_write(&wcbs[i]));
	}
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_DSYNC, &scb));
	EXPECT_TRUE(posix_aio_still_in_progress(&scb));
	EXPECT_EQ(EINPROGRESS, aio_error(&wcbs[0]));
	release_read(_metadata, hp, &hold);
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	EXPECT_EQ(0, aio_error(&scb));
	EXPECT_EQ(0, aio_return(&scb));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(0, aio_error(&wcbs[i]));
		EXPECT_EQ(1024, aio_return(&wcbs[i]));
	}
	ASSERT_EQ(3072, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, posix_aio_wait_done(&wcbs[i]));
	close(fd);
}

/*
 * POSIX aio_fsync() DESCRIPTION: only the I/O queued at the time of the
 * call is covered; "the completion of subsequent I/O on the file
 * descriptor is not guaranteed". An O_SYNC sync, then a write of the same
 * file, both queued behind the held worker, and a second pipe read queued
 * after them: once released, the sync completes (status 0) while the
 * later write has not run (EINPROGRESS, file still empty), because the
 * worker went on to the second pipe read; releasing that lets the write
 * complete.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(o_sync_sync_does_not_wait_for_a_write_queued_after_it)
{
	unsigned char hbuf[1], h2buf[1], wbuf[512];
	struct aiocb hold, hold2, scb, wcb;
	struct stat st;
	int hp[2], hp2[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: only I/O queued "
			"at the time of the call is covered, later I/O is not "
			"(glibc: aio_init(3) aio_threads)");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_SYNC, &scb));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), 0);
	ASSERT_EQ(0, aio_write(&wcb));
	queue_read(_metadata, hp2, &hold2, h2buf, 0);
	release_read(_metadata, hp, &hold);
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	EXPECT_EQ(0, aio_error(&scb));
	EXPECT_EQ(0, aio_return(&scb));
	EXPECT_TRUE(posix_aio_still_in_progress(&wcb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	release_read(_metadata, hp2, &hold2);
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	EXPECT_EQ(0, aio_error(&wcb));
	EXPECT_EQ(512, aio_return(&wcb));
	close(fd);
}

/*
 * POSIX aio_fsync() DESCRIPTION: all I/O queued at the time of the call is
 * completed as by fsync(), whatever its aio_reqprio: when the sync has
 * completed, so has every write queued before it. With the only worker
 * held, a write (aio_reqprio 0), a write with aio_reqprio 5 and an O_SYNC
 * sync of a file are queued in that order, then a second pipe read
 * (aio_reqprio 2). Once the worker is released and the sync has completed
 * (status 0), both writes are complete (status 0, 512 bytes each). Should
 * the sync not complete within 2 s (a worker held by the second pipe read
 * before it reached the low-priority write), that read is released first.
 * glibc 2.36 breaks this (a glibc defect): it gives the sync priority 0
 * and queues it ahead of the descriptor's requests of lower priority, so
 * the sync completes while the aio_reqprio 5 write is still EINPROGRESS
 * (it runs after the second pipe read); the TEST then releases that read,
 * waits for the write, and fails.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(sync_covers_an_earlier_write_of_lower_priority)
{
	unsigned char hbuf[1], h2buf[1], wbuf[2][512];
	struct aiocb hold, hold2, first, low, scb;
	int hp[2], hp2[2], fd, low_err, sync_err;
	bool held2 = true;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: all I/O queued "
			"at the time of the call is completed, a write with "
			"aio_reqprio above 0 included");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	memset(wbuf, 'w', sizeof(wbuf));
	posix_aio_prep(&first, fd, wbuf[0], 512, 0);
	posix_aio_prep(&low, fd, wbuf[1], 512, 512);
	low.aio_reqprio = 5;
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_write(&first));
	ASSERT_EQ(0, aio_write(&low));
	ASSERT_EQ(0, aio_fsync(O_SYNC, &scb));
	queue_read(_metadata, hp2, &hold2, h2buf, 2);
	release_read(_metadata, hp, &hold);
	if (error_within(&scb, 2) == EINPROGRESS) {
		release_read(_metadata, hp2, &hold2);
		held2 = false;
	}
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	sync_err = aio_error(&scb);
	low_err = aio_error(&low);
	if (held2)
		release_read(_metadata, hp2, &hold2);
	ASSERT_EQ(0, posix_aio_wait_done(&low));
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	EXPECT_NE(EINPROGRESS, low_err)
		TH_LOG("glibc 2.36: the O_SYNC sync completed (status %d) "
		       "while the write with aio_reqprio 5 queued before it "
		       "was still EINPROGRESS: the sync overtook it",
		       sync_err);
	EXPECT_EQ(0, sync_err);
	EXPECT_EQ(0, aio_return(&scb));
	EXPECT_EQ(0, aio_error(&first));
	EXPECT_EQ(512, aio_return(&first));
	EXPECT_EQ(0, aio_error(&low));
	EXPECT_EQ(512, aio_return(&low));
	close(fd);
}

/*
 * POSIX aio_fsync() ERRORS: when any of the queued I/O operations fails,
 * aio_fsync shall give the error that read() or write() defines, as the
 * error status of the sync (read with aio_error). A write queued (behind
 * the held worker) before an O_SYNC sync fails with EINVAL (negative
 * offset, found in the worker: aio_write returned 0); the sync then ends
 * with that error: aio_error EINVAL, aio_return -1. glibc 2.36 breaks
 * this (a glibc defect): the sync reports only what fsync(2) returns,
 * status 0 and return 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(failed_earlier_write_is_reported_by_the_sync)
{
	unsigned char hbuf[1], wbuf[64] = { 0 };
	struct aiocb hold, wcb, scb;
	int hp[2], fd, err;
	ssize_t ret;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: a queued operation "
			"that fails gives its read()/write() error as the "
			"sync's error status");
	ASSERT_EQ(0, posix_aio_hold_the_only_worker(hp, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), -1);
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_write(&wcb));
	ASSERT_EQ(0, aio_fsync(O_SYNC, &scb));
	release_read(_metadata, hp, &hold);
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	EXPECT_EQ(EINVAL, aio_error(&wcb));
	EXPECT_EQ(-1, aio_return(&wcb));
	err = aio_error(&scb);
	ret = aio_return(&scb);
	close(fd);
	EXPECT_EQ(EINVAL, err)
		TH_LOG("glibc 2.36: the sync ended with status %d, return "
		       "%zd, though the write queued before it failed with "
		       "EINVAL", err, ret);
	EXPECT_EQ(-1, ret);
}

/*
 * POSIX aio_fsync() DESCRIPTION: aio_sigevent says how the sync's
 * completion is notified; 2.4.1: SIGEV_NONE, "no asynchronous
 * notification". A sync with SIGEV_NONE but sigev_signo set to a blocked
 * signal completes (status 0) and that signal never comes (200 ms bound).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(sigev_none_sync_sends_no_signal)
{
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: aio_sigevent "
			"decides the notification; 2.4.1 SIGEV_NONE sends "
			"none");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(SYNC_SIG, &set));
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	posix_aio_want_signal(&cb.aio_sigevent, SYNC_SIG, &cb);
	cb.aio_sigevent.sigev_notify = SIGEV_NONE;
	ASSERT_EQ(0, aio_fsync(O_SYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 200));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * POSIX aio_fsync() ERRORS: EINVAL "This implementation does not support
 * synchronized I/O for this file"; fsync(2): EINVAL for a socket. glibc
 * finds it in the worker: aio_fsync returns 0, and the O_SYNC request on
 * a socket fails with aio_error EINVAL and aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(socket_sync_fails_later_with_einval)
{
	struct aiocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: EINVAL synchronized "
			"I/O not supported for the file; fsync(2) EINVAL "
			"(glibc: detected in the worker)");
	ASSERT_EQ(0, conform_socketpair(sv));
	posix_aio_prep(&cb, sv[0], NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_SYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(sv[0]);
	close(sv[1]);
}

/*
 * POSIX aio_fsync() DESCRIPTION: the sync is done as by fsync() or
 * fdatasync(); memfd_create(2): the memfd is a tmpfs file, whose fsync
 * succeeds (nothing to write back). O_SYNC and O_DSYNC syncs of a memfd
 * written by aio_write complete with status 0 and return 0. Needs
 * memfd_create (3.17); ENOSYS skips.
 * First kernel: 3.17 (memfd_create; glibc/POSIX behaviour on fsync).
 */
TEST(memfd_sync_completes_with_zero)
{
	unsigned char wbuf[256];
	struct aiocb wcb, scb, dcb;
	int fd;

	CONFORM_DECLARE("3.17", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: sync as by "
			"fsync()/fdatasync(); memfd_create(2) tmpfs file");
	fd = memfd_create("aioconf-fsync", MFD_CLOEXEC);
	if (fd < 0 && errno == ENOSYS)
		SKIP(return, "memfd_create: ENOSYS (kernel without memfd)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	posix_aio_prep(&dcb, fd, NULL, 0, 0);
	ASSERT_EQ(0, aio_write(&wcb));
	ASSERT_EQ(0, aio_fsync(O_SYNC, &scb));
	ASSERT_EQ(0, aio_fsync(O_DSYNC, &dcb));
	ASSERT_EQ(0, posix_aio_wait_done(&dcb));
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	EXPECT_EQ(0, aio_error(&scb));
	EXPECT_EQ(0, aio_return(&scb));
	EXPECT_EQ(0, aio_error(&dcb));
	EXPECT_EQ(0, aio_return(&dcb));
	EXPECT_EQ(0, aio_error(&wcb));
	EXPECT_EQ(256, aio_return(&wcb));
	close(fd);
}

TEST_HARNESS_MAIN
