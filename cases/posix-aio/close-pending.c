// SPDX-License-Identifier: MIT
/*
 * posix-aio/close-pending: close() of a descriptor with POSIX asynchronous
 * I/O outstanding on it. A read a worker has started keeps going after the
 * close and completes with its data and its notification; a read still
 * queued behind it is canceled or done on the pipe, never on what the
 * number names next (glibc 2.36 runs it later on whatever the number then
 * names - EBADF when it is closed, the new file when an open has taken
 * the number: those two TESTs fail there, glibc defects). aio_cancel on
 * the closed number fails with EBADF and leaves the requests alone; on the
 * reused number it cancels the request queued for the old file.
 * Sources: POSIX.1-2017 XSH close() DESCRIPTION (outstanding cancelable
 * operations "may be canceled"; those not canceled complete as if close()
 * had not occurred, as if it blocked until they completed), aio_cancel()
 * DESCRIPTION and ERRORS (EBADF: fildes is not a valid descriptor), open()
 * DESCRIPTION (the lowest-numbered unused descriptor); close(2) NOTES
 * ("Multithreaded processes and close()": on Linux a blocked I/O call
 * holds the open file description, and may complete after the close).
 * glibc documents nothing about close and its queue; where POSIX allows
 * two outcomes (canceled, or completed as if not closed) the TEST accepts
 * exactly those two.
 *
 * States are forced without sleeps: each TEST runs in a fresh child whose
 * first aio_read (of an empty pipe) gets a new worker thread; the test
 * waits until that worker is seen asleep in read(2) (its tid from
 * /proc/self/task, conform_wait_blocked_in) before it closes the pipe; a
 * second read of the pipe waits behind the first (glibc runs one request
 * per descriptor at a time).
 *
 * First kernel: glibc runs POSIX AIO in its own threads (pread, read);
 * a blocked read keeping its file open across close() is old Linux
 * behaviour: since is 2.6.0 in every declaration; a static glibc 2.36
 * binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <dirent.h>
#include <signal.h>

#include "conform_posix_aio.h"

/* The signal the notification TEST asks for. */
#define CLOSE_SIG (SIGRTMIN + 3)

/*
 * The thread of this process other than the caller (in a test child that
 * queued one request: glibc's worker), waited for up to 5 s. Its tid; 0
 * when none came; -1 when /proc/self/task cannot be read.
 */
static pid_t other_thread(void)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		pid_t found = 0;

		if (!d)
			return -1;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && atoi(e->d_name) != gettid())
				found = atoi(e->d_name);
		closedir(d);
		if (found)
			return found;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/*
 * Wait until the worker of the only request queued so far is asleep in
 * read(2). NULL, or the reason (for SKIP) it could not be seen.
 */
static const char *worker_asleep_in_read(void)
{
	pid_t worker = other_thread();
	int seen = worker > 0 ? conform_wait_blocked_in(worker, SYS_read) : -1;

	if (seen == 1)
		return NULL;
	return seen < 0 ?
	       CONFORM_ENV "/proc/self/task unreadable: cannot see the AIO worker block" :
	       CONFORM_UNSEEN "the AIO worker was not seen asleep in read(2) within 5 s";
}

/* Skip when the worker is not seen asleep, after ending the reads of p. */
#define REQUIRE_WORKER_ASLEEP(p, first, second)                                \
	do {                                                                   \
		const char *why_ = worker_asleep_in_read();                    \
		if (why_) {                                                    \
			ASSERT_EQ(2, write((p)[1], "zz", 2));                  \
			ASSERT_EQ(0, posix_aio_wait_done(first));              \
			ASSERT_EQ(0, posix_aio_wait_done(second));             \
			SKIP(return, "%s", why_);                              \
		}                                                              \
	} while (0)

/*
 * POSIX close() DESCRIPTION: an outstanding operation "may be canceled";
 * one that is not completes "as if the close() operation had not yet
 * occurred". glibc's close() leaves its queue alone, and on Linux the
 * worker's read(2) holds the pipe open (close(2) NOTES). With the worker
 * asleep reading an empty pipe (SIGEV_SIGNAL CLOSE_SIG), close() of the
 * read end returns 0 at once, the read is still in progress, and when the
 * pipe is written it completes - status 0, its 4 bytes - and its signal
 * comes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(started_read_completes_after_close_with_its_notification)
{
	struct aiocb cb;
	siginfo_t info;
	char buf[8];
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 close() DESCRIPTION: an operation not "
			"canceled completes as if close() had not occurred "
			"(glibc: close(2) leaves its queue alone; close(2) NOTES: "
			"the blocked read holds the file)");
	ASSERT_EQ(0, posix_aio_block_signal(CLOSE_SIG, &set));
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, CLOSE_SIG, &cb);
	ASSERT_EQ(0, aio_read(&cb));
	{
		const char *why = worker_asleep_in_read();

		if (why) {
			ASSERT_EQ(4, write(p[1], "skip", 4));
			ASSERT_EQ(0, posix_aio_wait_done(&cb));
			SKIP(return, "%s", why);
		}
	}
	EXPECT_EQ(0, close(p[0]));
	EXPECT_TRUE(posix_aio_still_in_progress(&cb));
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(CLOSE_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)&cb, info.si_value.sival_ptr);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(4, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "data", 4));
	close(p[1]);
}

/*
 * POSIX close() DESCRIPTION: an outstanding cancelable operation may be
 * canceled; one that is not completes as if close() had not yet
 * occurred. A read of a pipe queued behind a started one (the worker
 * asleep in read(2)), then close() of the read end: once "12" is written
 * and the write end closed, the started read gets '1' and the queued read
 * ends one of the two ways POSIX allows: canceled (ECANCELED, return -1)
 * or done on the pipe (status 0, return 1, the byte '2'). glibc 2.36
 * does neither (a glibc defect): the queued read is not canceled and runs
 * later on the closed number, failing with EBADF, return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(queued_read_is_canceled_or_reads_the_pipe_after_close)
{
	struct aiocb first, second;
	char b1[4], b2[4] = { 0 };
	int p[2], err;
	ssize_t ret;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 close() DESCRIPTION: an outstanding "
			"operation may be canceled, else completes as if "
			"close() had not yet occurred");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&first, p[0], b1, 1, 0);
	posix_aio_prep(&second, p[0], b2, 1, 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&second));
	REQUIRE_WORKER_ASLEEP(p, &first, &second);
	ASSERT_EQ(0, close(p[0]));
	ASSERT_EQ(2, write(p[1], "12", 2));
	close(p[1]);
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	ASSERT_EQ(0, posix_aio_wait_done(&second));
	EXPECT_EQ(0, aio_error(&first));
	EXPECT_EQ(1, aio_return(&first));
	EXPECT_EQ('1', b1[0]);
	err = aio_error(&second);
	ret = aio_return(&second);
	if (err == ECANCELED) {
		EXPECT_EQ(-1, ret);
		return;
	}
	ASSERT_EQ(0, err)
		TH_LOG("glibc 2.36: the queued read of the closed pipe was "
		       "neither canceled nor done on the pipe: it ran on the "
		       "closed number, status %d (%s), return %zd",
		       err, strerror(err), ret);
	EXPECT_EQ(1, ret);
	EXPECT_EQ('2', b2[0]);
}

/*
 * POSIX close() DESCRIPTION, as above: the queued read of the pipe is
 * canceled or completes as if close() had not yet occurred, that is on
 * the pipe; open() DESCRIPTION: a file opened right after the close gets
 * the lowest unused number, the pipe's read end's. Once "1pipe" is
 * written and the write end closed, the started read gets '1' and the
 * queued read (64-byte buffer) ends canceled (ECANCELED, return -1) or
 * with the pipe's "pipe" (status 0, return 4) - never with the new file's
 * data. glibc 2.36 breaks this (a glibc defect): it keeps only the
 * number, and the queued read reads 64 bytes of the new file.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(queued_read_does_not_read_the_file_that_reuses_the_number)
{
	struct aiocb first, second;
	char b1[4], b2[64] = { 0 };
	bool read_the_file;
	int p[2], fd, err;
	ssize_t ret;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 close() DESCRIPTION: an outstanding "
			"operation may be canceled, else completes as if "
			"close() had not yet occurred, not on a reused number");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&first, p[0], b1, 1, 0);
	posix_aio_prep(&second, p[0], b2, sizeof(b2), 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&second));
	REQUIRE_WORKER_ASLEEP(p, &first, &second);
	ASSERT_EQ(0, close(p[0]));
	fd = conform_temp_file(4096, 0);
	ASSERT_EQ(p[0], fd);
	ASSERT_EQ(5, write(p[1], "1pipe", 5));
	close(p[1]);
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	ASSERT_EQ(0, posix_aio_wait_done(&second));
	close(fd);
	EXPECT_EQ(0, aio_error(&first));
	EXPECT_EQ(1, aio_return(&first));
	EXPECT_EQ('1', b1[0]);
	err = aio_error(&second);
	ret = aio_return(&second);
	if (err == ECANCELED) {
		EXPECT_EQ(-1, ret);
		return;
	}
	read_the_file = err == 0 && ret == (ssize_t)sizeof(b2) &&
			conform_check_pattern(b2, sizeof(b2), 0);
	ASSERT_FALSE(read_the_file)
		TH_LOG("glibc 2.36: the queued read of the closed pipe read "
		       "the file that took its number: status %d, %zd bytes "
		       "of the file's data", err, ret);
	EXPECT_EQ(0, err);
	EXPECT_EQ(4, ret);
	EXPECT_EQ(0, memcmp(b2, "pipe", 4));
}

/*
 * POSIX aio_cancel() ERRORS: EBADF "The fildes argument is not a valid file
 * descriptor" - also when requests queued on that number are still
 * outstanding: after close() of the pipe's read end, aio_cancel with the
 * queued read's control block and with NULL both fail with EBADF, and the
 * queued read is left as it was (EINPROGRESS, not ECANCELED).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: fcntl F_GETFL).
 */
TEST(cancel_after_close_gets_ebadf_and_leaves_requests_alone)
{
	struct aiocb first, second;
	char b1[4], b2[4];
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() ERRORS: EBADF, fildes is not "
			"a valid file descriptor, also with requests of the "
			"closed number outstanding");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&first, p[0], b1, 1, 0);
	posix_aio_prep(&second, p[0], b2, 1, 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&second));
	REQUIRE_WORKER_ASLEEP(p, &first, &second);
	ASSERT_EQ(0, close(p[0]));
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(p[0], &second));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, aio_cancel(p[0], NULL));
	EXPECT_EQ(EBADF, errno);
	EXPECT_TRUE(posix_aio_still_in_progress(&second));
	EXPECT_TRUE(posix_aio_still_in_progress(&first));
	ASSERT_EQ(2, write(p[1], "12", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	ASSERT_EQ(0, posix_aio_wait_done(&second));
	EXPECT_NE(ECANCELED, aio_error(&second));
	close(p[1]);
}

/*
 * POSIX aio_cancel() DESCRIPTION: it cancels the request aiocbp names when
 * fildes has "the same value as the file descriptor with which the
 * asynchronous operation was initiated". After the pipe's read end is
 * closed and a new file takes its number, aio_cancel of that number with
 * the pipe's queued read gets AIO_CANCELED: the read's status is
 * ECANCELED and its return -1 (glibc finds requests by number); the
 * started read is left to complete on the pipe.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(cancel_through_the_reused_number_cancels_the_old_request)
{
	struct aiocb first, second;
	char b1[4], b2[4];
	int p[2], fd;

	CONFORM_DECLARE("2.6.0", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: the request "
			"initiated with the same descriptor value is canceled "
			"(glibc: matched by number, also once it names a new "
			"file)");
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&first, p[0], b1, 1, 0);
	posix_aio_prep(&second, p[0], b2, 1, 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, aio_read(&second));
	REQUIRE_WORKER_ASLEEP(p, &first, &second);
	ASSERT_EQ(0, close(p[0]));
	fd = conform_temp_file(4096, 0);
	ASSERT_EQ(p[0], fd);
	EXPECT_EQ(AIO_CANCELED, aio_cancel(fd, &second));
	EXPECT_EQ(ECANCELED, aio_error(&second));
	EXPECT_EQ(-1, aio_return(&second));
	EXPECT_TRUE(posix_aio_still_in_progress(&first));
	ASSERT_EQ(1, write(p[1], "1", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	EXPECT_EQ(0, aio_error(&first));
	EXPECT_EQ(1, aio_return(&first));
	close(fd);
	close(p[1]);
}

TEST_HARNESS_MAIN
