// SPDX-License-Identifier: MIT
/*
 * posix-aio/fsync-notify: the notification of aio_fsync requests (O_SYNC
 * and O_DSYNC, SIGEV_SIGNAL and SIGEV_THREAD) comes only once the sync, and
 * the write queued before it, have completed; a call refused for its op or
 * its descriptor queues nothing and notifies nothing; a descriptor that
 * cannot be synced (a pipe) fails the call with EINVAL; glibc accepts a
 * descriptor not open for writing.
 * Sources: POSIX.1-2017 XSH aio_fsync() DESCRIPTION ("The aio_sigevent
 * member determines the asynchronous notification to occur ... when all
 * operations have achieved synchronized I/O completion"), RETURN VALUE,
 * ERRORS, APPLICATION USAGE; 2.4.2 Realtime Signal Generation and Delivery
 * (SIGEV_SIGNAL, SIGEV_THREAD); aio_fsync(3), fsync(2).
 * posix-aio/fsync covers the sync results, O_RDWR as op and a bad
 * descriptor without notification.
 *
 * How "not yet" is shown without sleeps: each notification TEST calls
 * aio_init with aio_threads 1 in its fresh child (no AIO call was made
 * before) and holds that only worker with a read of an empty pipe; the
 * write and the sync on the file then wait in glibc's queue, so neither can
 * have run nor notified. Writing one byte to the pipe lets the worker go on.
 * Signals are blocked and taken with sigtimedwait (0 s to see none, 5 s
 * for one that must come).
 *
 * First kernel: glibc 2.36 runs the sync in a worker thread with fsync(2)
 * or fdatasync(2) and notifies with rt_sigqueueinfo or pthread_create:
 * since is 2.6.0 in every declaration; a static glibc 2.36 binary itself
 * needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

#define SYNC_SIG (SIGRTMIN + 4)

/*
 * The SIGEV_SIGNAL tests: with the worker held, aio_write 4096 bytes and
 * aio_fsync(op) with SYNC_SIG on a file; no signal may come and the sync is
 * EINPROGRESS while the worker is held; after release the signal comes
 * with the sync's value, and by then the sync and the write are complete.
 */
static void sync_signal_after_completion(struct __test_metadata *_metadata,
					 int op)
{
	unsigned char hbuf[1], wbuf[4096], rbuf[4096];
	struct aiocb hold, wcb, scb;
	siginfo_t info;
	sigset_t set;
	int p[2], fd;

	ASSERT_EQ(0, posix_aio_hold_the_only_worker(p, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	ASSERT_EQ(0, posix_aio_block_signal(SYNC_SIG, &set));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	posix_aio_want_signal(&scb.aio_sigevent, SYNC_SIG, &scb);
	ASSERT_EQ(0, aio_write(&wcb));
	ASSERT_EQ(0, aio_fsync(op, &scb));
	EXPECT_EQ(EINPROGRESS, aio_error(&scb));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, posix_aio_release_the_worker(p, &hold));
	ASSERT_EQ(SYNC_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ((void *)&scb, info.si_value.sival_ptr);
	EXPECT_EQ(0, aio_error(&scb));
	EXPECT_EQ(0, aio_error(&wcb));
	EXPECT_EQ(0, aio_return(&scb));
	EXPECT_EQ(4096, aio_return(&wcb));
	ASSERT_EQ(4096, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	close(fd);
}

/* What the SIGEV_THREAD function saw: its value, its thread, and the
 * status of the sync and of the write queued before it. */
struct sync_report {
	union sigval value;
	pthread_t self;
	int sync_error, write_error;
};

static int report_fd = -1;
static const struct aiocb *report_sync, *report_write;

static void report_sync_done(union sigval value)
{
	struct sync_report r;

	r.value = value;
	r.self = pthread_self();
	r.sync_error = report_sync ? aio_error(report_sync) : -1;
	r.write_error = report_write ? aio_error(report_write) : -1;
	if (write(report_fd, &r, sizeof(r)) != sizeof(r))
		abort();
}

/*
 * The SIGEV_THREAD tests: as sync_signal_after_completion, with the
 * function reporting through a pipe; the pipe stays empty while the worker
 * is held; the function then runs once, in a thread other than the test's,
 * with sigev_value, and sees both requests complete (aio_error 0).
 */
static void sync_thread_after_completion(struct __test_metadata *_metadata,
					 int op)
{
	unsigned char hbuf[1], wbuf[2048];
	struct aiocb hold, wcb, scb;
	struct sync_report r;
	int p[2], rp[2], fd;

	ASSERT_EQ(0, posix_aio_hold_the_only_worker(p, &hold, hbuf));
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	report_sync = &scb;
	report_write = &wcb;
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&wcb, fd, wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&scb, fd, NULL, 0, 0);
	scb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	scb.aio_sigevent.sigev_notify_function = report_sync_done;
	scb.aio_sigevent.sigev_value.sival_int = 0x51c;
	ASSERT_EQ(0, aio_write(&wcb));
	ASSERT_EQ(0, aio_fsync(op, &scb));
	EXPECT_FALSE(conform_fd_readable(rp[0], 0));
	EXPECT_EQ(1, posix_aio_release_the_worker(p, &hold));
	ASSERT_TRUE(conform_fd_readable(rp[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(r), read(rp[0], &r, sizeof(r)));
	EXPECT_EQ(0x51c, r.value.sival_int);
	EXPECT_EQ(0, pthread_equal(r.self, pthread_self()));
	EXPECT_EQ(0, r.sync_error);
	EXPECT_EQ(0, r.write_error);
	EXPECT_FALSE(conform_fd_readable(rp[0], 100));
	ASSERT_EQ(0, posix_aio_wait_done(&scb));
	ASSERT_EQ(0, posix_aio_wait_done(&wcb));
	EXPECT_EQ(0, aio_return(&scb));
	EXPECT_EQ(2048, aio_return(&wcb));
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION: with O_SYNC the queued I/O
 * completes "as if by a call to fsync()", and aio_sigevent's notification
 * occurs once that is done: a SIGEV_SIGNAL (si_code SI_ASYNCIO,
 * sigev_value) comes after the sync and the earlier write have completed,
 * never before.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(o_sync_signal_comes_after_the_sync_completes)
{
	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: "
			"aio_sigevent's notification occurs when all "
			"operations have reached synchronized I/O "
			"completion; with O_SYNC the SIGEV_SIGNAL comes "
			"after the sync and the earlier write have completed");
	sync_signal_after_completion(_metadata, O_SYNC);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION: with O_DSYNC, "as if by a call to
 * fdatasync()"; the SIGEV_SIGNAL notification likewise comes only after the
 * sync and the earlier write have completed.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fdatasync in threads).
 */
TEST(o_dsync_signal_comes_after_the_sync_completes)
{
	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: "
			"aio_sigevent's notification occurs when all "
			"operations have reached synchronized I/O "
			"completion; with O_DSYNC the SIGEV_SIGNAL comes "
			"after the sync and the earlier write have completed");
	sync_signal_after_completion(_metadata, O_DSYNC);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION and 2.4.2 SIGEV_THREAD: for an
 * O_SYNC sync the notification function runs, in a new thread and with
 * sigev_value, only once the sync and the write queued before it have
 * completed.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(o_sync_thread_runs_after_the_sync_completes)
{
	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: "
			"aio_sigevent's notification occurs when all "
			"operations have reached synchronized I/O "
			"completion; with O_SYNC the SIGEV_THREAD function "
			"runs, with sigev_value, after the sync and the "
			"earlier write");
	sync_thread_after_completion(_metadata, O_SYNC);
}

/*
 * POSIX.1-2017 aio_fsync() DESCRIPTION and 2.4.2 SIGEV_THREAD: the same for
 * an O_DSYNC sync.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fdatasync in threads).
 */
TEST(o_dsync_thread_runs_after_the_sync_completes)
{
	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: "
			"aio_sigevent's notification occurs when all "
			"operations have reached synchronized I/O "
			"completion; with O_DSYNC the SIGEV_THREAD function "
			"runs, with sigev_value, after the sync and the "
			"earlier write");
	sync_thread_after_completion(_metadata, O_DSYNC);
}

/*
 * POSIX.1-2017 aio_fsync() ERRORS: EINVAL "A value of op other than O_DSYNC
 * or O_SYNC was specified"; RETURN VALUE: -1 "if the operation is not
 * successfully queued". With op 0 the call fails with EINVAL, nothing is
 * queued (aio_error is not EINPROGRESS: glibc leaves the zeroed status
 * alone) and the SIGEV_SIGNAL asked for never comes (200 ms bound).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(op_zero_fails_with_einval_and_notifies_nothing)
{
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: EINVAL for an op "
			"other than O_DSYNC or O_SYNC, here 0; the call "
			"returns -1, nothing is queued and no notification "
			"comes");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(SYNC_SIG, &set));
	posix_aio_prep(&cb, fd, NULL, 0, 0);
	posix_aio_want_signal(&cb.aio_sigevent, SYNC_SIG, &cb);
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(0, &cb));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_error(&cb));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 200));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() ERRORS: EBADF "The aio_fildes member ... is not
 * a valid file descriptor". POSIX lists it among the errors of the call;
 * glibc checks it (fcntl F_GETFL) before queueing, so the call fails with
 * -1 and EBADF rather than the request failing later, and the SIGEV_THREAD
 * function asked for never runs (its pipe stays empty, 200 ms bound).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(bad_fd_fails_at_call_with_ebadf_and_notifies_nothing)
{
	struct aiocb cb;
	int rp[2];

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: EBADF, an error of "
			"the call itself, when aio_fildes is not a valid "
			"file descriptor; the SIGEV_THREAD asked for never "
			"runs");
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	posix_aio_prep(&cb, conform_bad_fd(), NULL, 0, 0);
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb.aio_sigevent.sigev_notify_function = report_sync_done;
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_DSYNC, &cb));
	EXPECT_EQ(EBADF, errno);
	EXPECT_FALSE(conform_fd_readable(rp[0], 200));
	close(rp[0]);
	close(rp[1]);
}

/*
 * POSIX.1-2017 aio_fsync() APPLICATION USAGE: even when the descriptor is
 * not open for writing, pending writes on the file are completed by the
 * sync; ERRORS: EBADF only when aio_fildes is not a valid file descriptor.
 * aio_fsync(3) lists EBADF for a descriptor "not open for writing"; glibc
 * 2.36 only checks that the descriptor is open, and fsync(2) of a read-only
 * descriptor succeeds on Linux: the call returns 0 and the sync completes
 * with status 0 and return 0. Asserted as POSIX and glibc do it (a finding
 * against the man page).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fsync in threads).
 */
TEST(read_only_fd_is_accepted_by_glibc)
{
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0), ro;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() APPLICATION USAGE: a "
			"descriptor not open for writing can be synced, "
			"EBADF being only for an invalid one (glibc: "
			"aio_fsync(3) lists EBADF for a descriptor not open "
			"for writing, yet glibc 2.36 accepts it and the sync "
			"succeeds)");
	ASSERT_LE(0, fd);
	ro = conform_reopen(fd, O_RDONLY);
	if (ro < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file read-only through /proc/self/fd (no /proc?)");
	}
	posix_aio_prep(&cb, ro, NULL, 0, 0);
	ASSERT_EQ(0, aio_fsync(O_SYNC, &cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(0, aio_return(&cb));
	close(ro);
	close(fd);
}

/*
 * POSIX.1-2017 aio_fsync() ERRORS: the function "shall fail" with EINVAL
 * when the implementation does not support synchronized I/O for the file
 * and when aio_fildes refers to a file on which fsync() is not possible;
 * RETURN VALUE: 0 only if the operation is successfully queued, otherwise
 * -1 with errno. fsync(2) gives EINVAL for a pipe, so aio_fsync(O_DSYNC)
 * of a pipe's write end must itself return -1 with EINVAL (aio_fsync(3)
 * lists the same EINVAL). glibc 2.36 checks only that the descriptor is
 * open: it returns 0, queues the sync and the worker's fdatasync fails
 * later (aio_error EINVAL): the TEST then fails (a glibc defect); the
 * queued request is waited for (5 s bound) before the TEST ends.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on fdatasync in threads).
 */
TEST(pipe_sync_fails_at_call_with_einval)
{
	struct aiocb cb;
	int p[2], ret, err, status;

	CONFORM_DECLARE("2.6.0", "aio_fsync",
			"POSIX.1-2017 aio_fsync() ERRORS: the call itself "
			"fails with -1 and EINVAL for a descriptor whose "
			"file cannot be synced, here a pipe "
			"(glibc: aio_fsync(3) ERRORS EINVAL for a file "
			"without synchronized I/O)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[1], NULL, 0, 0);
	errno = 0;
	ret = aio_fsync(O_DSYNC, &cb);
	err = errno;
	if (ret == 0) {
		/* Queued after all: let the request end before the test. */
		ASSERT_EQ(0, posix_aio_wait_done(&cb));
		status = aio_error(&cb);
		TH_LOG("glibc 2.36: aio_fsync(O_DSYNC) of a pipe returned 0 "
		       "and queued the sync, which failed later with "
		       "aio_error %d (%s) and aio_return %zd, instead of the "
		       "call failing with -1 and EINVAL",
		       status, strerror(status), aio_return(&cb));
	}
	EXPECT_EQ(-1, ret);
	if (ret == -1) {
		EXPECT_EQ(EINVAL, err);
	}
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
