// SPDX-License-Identifier: MIT
/*
 * posix-aio/listio-notify: lio_listio beyond posix-aio/lio-listio and
 * posix-aio/lio-notify: LIO_WAIT with an entry of an unknown opcode or a
 * refused aio_reqprio (EIO, the entry's own EINVAL), LIO_WAIT interrupted
 * by a signal (EINTR, requests not canceled), the LIO_NOWAIT list
 * notification held back by a blocked entry and sent once, with a canceled
 * entry counted as complete, and at once for a list of LIO_NOP entries;
 * per-entry SIGEV_THREAD; LIO_NOWAIT with an entry refused at queueing;
 * list length (glibc has no AIO_LISTIO_MAX); an invalid mode initiating
 * nothing; opcodes past LIO_NOP.
 * Sources: POSIX.1-2017 XSH lio_listio() DESCRIPTION, RETURN VALUE, ERRORS
 * (and the per-entry error statuses listed there), RATIONALE ("the
 * aio_lio_opcode field is invalid, and aio_error() returns [EINVAL]");
 * <limits.h> AIO_LISTIO_MAX, _POSIX_AIO_LISTIO_MAX; lio_listio(3).
 *
 * A list notification that must not come yet is held back by an entry
 * reading an empty pipe; signals are blocked and taken with sigtimedwait
 * (5 s for one that must come, 0-200 ms to see none). Where POSIX is not
 * followed or leaves the result open, the TEST asserts what glibc 2.36
 * does and says so.
 *
 * First kernel: glibc queues each entry like aio_read/aio_write to its
 * worker threads (pread/pwrite, futex, rt_sigqueueinfo, pthread_create):
 * since is 2.6.0 in every declaration; a static glibc 2.36 binary itself
 * needs 3.2 to start.
 */
#include <aio.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#include "conform_posix_aio.h"

#define LIST_SIG (SIGRTMIN + 6)

/*
 * lio_listio(LIO_WAIT) with an entry whose aio_lio_opcode is op and a good
 * read: -1 with EIO, the odd entry with status EINVAL and return -1, the
 * read done.
 */
static void wait_mode_bad_entry_gets_eio(struct __test_metadata *_metadata,
					 int op, int reqprio)
{
	unsigned char good[256], bad[256];
	struct aiocb gcb, bcb;
	struct aiocb *list[2] = { &bcb, &gcb };
	int fd = conform_temp_file(4096, 0);

	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&bcb, op, fd, bad, sizeof(bad), 0);
	bcb.aio_reqprio = reqprio;
	posix_aio_prep_lio(&gcb, LIO_READ, fd, good, sizeof(good), 1000);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT, list, 2, NULL));
	EXPECT_EQ(EIO, errno);
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	ASSERT_EQ(0, posix_aio_wait_done(&bcb));
	EXPECT_EQ(EINVAL, aio_error(&bcb));
	EXPECT_EQ(-1, aio_return(&bcb));
	EXPECT_EQ(0, aio_error(&gcb));
	EXPECT_EQ(256, aio_return(&gcb));
	EXPECT_TRUE(conform_check_pattern(good, sizeof(good), 1000));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() RATIONALE: EIO applies to "a badly formulated
 * request (for example, the aio_lio_opcode field is invalid, and
 * aio_error() returns [EINVAL])"; DESCRIPTION: "The supported operations
 * are LIO_READ, LIO_WRITE, and LIO_NOP"; ERRORS EIO "One or more of the
 * individual I/O operations failed". An entry with opcode 77 fails with
 * EINVAL (glibc finds it in the worker), the list gets EIO, the other entry
 * is done.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(wait_mode_unknown_opcode_entry_gets_eio_and_einval)
{
	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() RATIONALE: an entry with "
			"an invalid aio_lio_opcode fails with aio_error() "
			"EINVAL and makes the list fail with EIO; the other "
			"entry completes");
	wait_mode_bad_entry_gets_eio(_metadata, 77, 0);
}

/*
 * POSIX.1-2017 lio_listio() ERRORS: EIO for a failed operation;
 * DESCRIPTION: an LIO_READ entry "is submitted as if by a call to
 * aio_read()", whose ERRORS has EINVAL for an aio_reqprio that "is not a
 * valid value". An entry with aio_reqprio -1 is refused when glibc queues
 * it (status EINVAL, return -1); the list waits for the other entry and
 * fails with EIO.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(wait_mode_entry_with_bad_reqprio_gets_eio_and_einval)
{
	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EIO when an entry "
			"failed, here one submitted as if by aio_read() with "
			"aio_reqprio -1, status EINVAL and return -1; the "
			"other entry completes (glibc: aio(7) ERRORS EINVAL "
			"for aio_reqprio below 0)");
	wait_mode_bad_entry_gets_eio(_metadata, LIO_READ, -1);
}

/* NULL when /proc/self/task/<tid>/syscall of this thread can be read. */
static const char *blocked_state_unreadable(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)gettid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the test thread asleep in futex";
	close(fd);
	return NULL;
}

/* The helper of the EINTR test: once the test thread sleeps in futex, send
 * it SIGUSR1; if it is never seen asleep, end its reads instead. */
struct interrupter {
	pid_t tid;
	int wfd[2];
	int seen;
};

static void *interrupt_when_asleep(void *arg)
{
	struct interrupter *it = arg;

	it->seen = conform_wait_blocked_in(it->tid, SYS_futex);
	if (it->seen == 1) {
		syscall(SYS_tgkill, getpid(), it->tid, SIGUSR1);
		return NULL;
	}
	for (int i = 0; i < 2; i++)
		if (write(it->wfd[i], "x", 1) != 1)
			it->seen = -2;
	return NULL;
}

/*
 * POSIX.1-2017 lio_listio() ERRORS: EINTR "A signal was delivered while
 * waiting for all I/O requests to complete during an LIO_WAIT operation ...
 * Outstanding I/O requests are not canceled". A SIGUSR1 with a handler (no
 * SA_RESTART), sent while the test thread waits on two reads of empty
 * pipes, makes lio_listio return -1 with EINTR; both reads are still in
 * progress (not ECANCELED). glibc 2.36 leaves its on-stack wait entries
 * linked to those requests after EINTR, and completing them later writes
 * into the returned frame (a finding: a SIGSEGV was seen). So the reads are
 * left pending and their pipes open: the test child's exit ends them with
 * everything else.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(wait_mode_interrupted_gets_eintr_requests_not_canceled)
{
	static unsigned char buf[2][8];
	struct sigaction sa;
	struct interrupter it;
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	sigset_t set, old;
	pthread_t tid;
	int p[2][2], ret, err;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EINTR when a "
			"signal is delivered during a LIO_WAIT wait; the "
			"outstanding requests are not canceled and stay in "
			"progress");
	CONFORM_REQUIRE(blocked_state_unreadable());
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	conform_signal_counts[SIGUSR1] = 0;
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[i][0], buf[i], 8, 0);
		it.wfd[i] = p[i][1];
	}
	it.tid = gettid();
	it.seen = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, &old));
	ASSERT_EQ(0, pthread_create(&tid, NULL, interrupt_when_asleep, &it));
	ASSERT_EQ(0, pthread_sigmask(SIG_SETMASK, &old, NULL));
	errno = 0;
	ret = lio_listio(LIO_WAIT, list, 2, NULL);
	err = errno;
	ASSERT_EQ(0, pthread_join(tid, NULL));
	if (it.seen != 1) {
		for (int i = 0; i < 2; i++) {
			ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
			close(p[i][0]);
			close(p[i][1]);
		}
		SKIP(return, CONFORM_UNSEEN "the test thread was not seen asleep in futex (%d)", it.seen);
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINTR, err);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[0]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[1]));
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_NOWAIT "asynchronous
 * notification occurs ... when all the requests in list have completed".
 * With a file read and a read of an empty pipe, the list signal does not
 * come once the file read is done (200 ms bound) - only after the pipe is
 * written; it carries the list's value and SI_ASYNCIO, and comes once (no
 * second within 200 ms).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(nowait_list_signal_waits_for_the_last_entry_and_comes_once)
{
	unsigned char fbuf[512], pbuf[8];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_NOWAIT the notification comes when all requests "
			"in the list have completed, not before the last, "
			"once, with sig's value and SI_ASYNCIO");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, fbuf, sizeof(fbuf), 0);
	posix_aio_prep_lio(&cbs[1], LIO_READ, p[0], pbuf, sizeof(pbuf), 0);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	EXPECT_EQ(512, aio_return(&cbs[0]));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 200));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[1]));
	ASSERT_EQ(8, write(p[1], "complete", 8));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	EXPECT_EQ(0, aio_error(&cbs[1]));
	EXPECT_EQ(8, aio_return(&cbs[1]));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 200));
	EXPECT_EQ(EAGAIN, errno);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: the list notification comes "when
 * all the requests in list have completed"; aio_cancel() DESCRIPTION: a
 * canceled request gets ECANCELED and its normal notification. A LIO_NOWAIT
 * list of two reads of one empty pipe (the second queued behind the first):
 * canceling the second does not send the list signal while the first is
 * pending; completing the first does, so the canceled entry counted as
 * complete.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(nowait_canceled_entry_counts_as_complete_for_the_list)
{
	unsigned char buf[2][8];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: the "
			"LIO_NOWAIT notification waits for all requests of "
			"the list; a canceled entry counts as completed, so "
			"the signal comes when the other entry completes");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[0], buf[i], 8, 0);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(AIO_CANCELED, aio_cancel(p[0], &cbs[1]));
	EXPECT_EQ(ECANCELED, aio_error(&cbs[1]));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 200));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(3, write(p[1], "end", 3));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	EXPECT_EQ(0, aio_error(&cbs[0]));
	EXPECT_EQ(3, aio_return(&cbs[0]));
	EXPECT_EQ(-1, aio_return(&cbs[1]));
	close(p[0]);
	close(p[1]);
}

static int entry_report_fd = -1;
static struct aiocb *entry_cbs;

/* Per-entry SIGEV_THREAD function: reports its value (the entry's index)
 * and that entry's status when it runs. */
static void report_entry(union sigval value)
{
	int msg[2] = { value.sival_int,
		       entry_cbs ? aio_error(&entry_cbs[value.sival_int]) : -1 };

	if (write(entry_report_fd, msg, sizeof(msg)) != sizeof(msg))
		abort();
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: each entry "is submitted as if by
 * a call to aio_read()", so its own aio_sigevent notifies for it; with
 * SIGEV_THREAD (2.4.2) each entry's function runs once with that entry's
 * sigev_value, and the entry has completed by then (LIO_NOWAIT, no list
 * notification).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(nowait_entries_sigev_thread_run_once_each)
{
	unsigned char buf[3][200];
	struct aiocb cbs[3], *list[3];
	int seen[3] = { 0, 0, 0 };
	int rp[2], msg[2];
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: each entry "
			"is submitted as if by aio_read(), so its own "
			"aio_sigevent, here SIGEV_THREAD, runs once with its "
			"sigev_value after it completed (glibc: "
			"lio_listio(3), per-entry aio_sigevent)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	entry_report_fd = rp[1];
	entry_cbs = cbs;
	for (int i = 0; i < 3; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 200, i * 1000);
		cbs[i].aio_sigevent.sigev_notify = SIGEV_THREAD;
		cbs[i].aio_sigevent.sigev_notify_function = report_entry;
		cbs[i].aio_sigevent.sigev_value.sival_int = i;
		list[i] = &cbs[i];
	}
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, NULL));
	for (int n = 0; n < 3; n++) {
		ASSERT_TRUE(conform_fd_readable(rp[0], 5000));
		ASSERT_EQ((ssize_t)sizeof(msg), read(rp[0], msg, sizeof(msg)));
		ASSERT_LE(0, msg[0]);
		ASSERT_GT(3, msg[0]);
		seen[msg[0]]++;
		EXPECT_EQ(0, msg[1]);
	}
	EXPECT_FALSE(conform_fd_readable(rp[0], 200));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(1, seen[i]);
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(200, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(buf[i], 200, i * 1000));
	}
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: "The LIO_NOP operation causes the
 * list entry to be ignored", and with LIO_NOWAIT the notification occurs
 * "when all the requests in list have completed". With only LIO_NOP (and
 * NULL) entries there is no request: glibc returns 0 and sends the list
 * signal at once (it is pending within the 5 s bound), with the list's
 * value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo).
 */
TEST(nowait_list_of_nop_entries_notifies_at_once)
{
	unsigned char buf[16];
	struct aiocb nop, *list[2] = { &nop, NULL };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOP "
			"entries are ignored, so a LIO_NOWAIT list of only "
			"NOP and NULL entries has no request to wait for "
			"(glibc: undocumented; glibc 2.36 returns 0 and "
			"sends the list signal at once)");
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	posix_aio_prep_lio(&nop, LIO_NOP, -1, buf, sizeof(buf), 0);
	posix_aio_want_signal(&sev, LIST_SIG, &nop);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ((void *)&nop, info.si_value.sival_ptr);
	EXPECT_EQ(0, aio_error(&nop));
}

/*
 * POSIX.1-2017 lio_listio() RETURN VALUE: with LIO_NOWAIT the call returns
 * 0 if the operations are successfully queued, otherwise -1 with errno;
 * ERRORS: after a failure with an error other than EAGAIN, EINTR or EIO
 * "no operations from the list shall have been initiated", and EIO is for
 * "One or more of the individual I/O operations failed" (RATIONALE: EIO
 * applies to any individual operation that fails, aio_error() giving the
 * reason). lio_listio(3) says the same (only EAGAIN, EINTR and EIO may
 * leave operations initiated). An LIO_READ entry is submitted as if by
 * aio_read(), which glibc refuses at the call for aio_reqprio -1 (aio(7)
 * ERRORS EINVAL): that entry is not queued, so the call returns -1, the
 * entry's status is EINVAL and its return -1; the other entry is initiated
 * and reads its 300 bytes, so errno must be EIO. glibc 2.36 returns -1 with
 * EINVAL (the refused entry's errno) though it initiated the other entry:
 * the TEST then fails (a glibc defect).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(nowait_refused_entry_fails_list_with_eio_when_others_run)
{
	unsigned char good[300], bad[300];
	struct aiocb gcb, bcb, *list[2] = { &bcb, &gcb };
	ssize_t gret;
	int ret, err, gerr;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: an entry refused "
			"at queueing (aio_reqprio -1, status EINVAL) makes a "
			"LIO_NOWAIT call fail with -1 and EIO, the only "
			"fitting error once the other entry was initiated, "
			"as any other error means none was (glibc: "
			"lio_listio(3) the same)");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&bcb, LIO_READ, fd, bad, sizeof(bad), 0);
	bcb.aio_reqprio = -1;
	posix_aio_prep_lio(&gcb, LIO_READ, fd, good, sizeof(good), 600);
	errno = 0;
	ret = lio_listio(LIO_NOWAIT, list, 2, NULL);
	err = errno;
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	gerr = aio_error(&gcb);
	gret = aio_return(&gcb);
	EXPECT_EQ(-1, ret);
	if (ret == -1 && err != EIO)
		TH_LOG("glibc 2.36: lio_listio(LIO_NOWAIT) failed with errno "
		       "%d (%s), yet the other entry was %s (status %d, "
		       "return %zd); with an error other than EAGAIN, EINTR "
		       "or EIO no entry may have been initiated",
		       err, strerror(err),
		       gerr == 0 && gret == 300 ? "initiated and read its "
		       "300 bytes" : "not seen to run", gerr, gret);
	if (ret == -1) {
		EXPECT_EQ(EIO, err);
	}
	EXPECT_EQ(EINVAL, aio_error(&bcb));
	EXPECT_EQ(-1, aio_return(&bcb));
	EXPECT_EQ(0, gerr);
	EXPECT_EQ(300, gret);
	EXPECT_TRUE(conform_check_pattern(good, sizeof(good), 600));
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() ERRORS: EINVAL when "the value of nent was
 * greater than {AIO_LISTIO_MAX}"; <limits.h>: AIO_LISTIO_MAX is at least
 * _POSIX_AIO_LISTIO_MAX (2), and is left undefined where the limit is
 * indeterminate, sysconf(_SC_AIO_LISTIO_MAX) then returning -1. glibc
 * defines none, so there is no length to exceed: a LIO_WAIT list of 64
 * writes (32 times the minimum) is accepted and all complete. Where a limit
 * is defined, a list one longer must fail with EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(list_length_is_limited_only_by_aio_listio_max)
{
	static unsigned char bytes[64];
	static struct aiocb cbs[65];
	static struct aiocb *list[65];
	long max;
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EINVAL only for "
			"an nent above AIO_LISTIO_MAX, so a LIO_WAIT list of "
			"64 writes is accepted and all complete (glibc: "
			"lio_listio(3) the same; glibc defines no "
			"AIO_LISTIO_MAX)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(2, _POSIX_AIO_LISTIO_MAX);
	errno = 0;
	max = sysconf(_SC_AIO_LISTIO_MAX);
#ifdef AIO_LISTIO_MAX
	ASSERT_EQ(AIO_LISTIO_MAX, max);
#else
	ASSERT_EQ(-1, max);
	ASSERT_EQ(0, errno);
#endif
	for (int i = 0; i < 65; i++) {
		bytes[i % 64] = (unsigned char)i;
		posix_aio_prep_lio(&cbs[i], LIO_WRITE, fd, &bytes[i % 64], 1, i);
		list[i] = &cbs[i];
	}
	if (max > 0 && max < 65) {
		errno = 0;
		EXPECT_EQ(-1, lio_listio(LIO_WAIT, list, max + 1, NULL));
		EXPECT_EQ(EINVAL, errno);
		close(fd);
		return;
	}
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 64, NULL));
	for (int i = 0; i < 64; i++)
		EXPECT_EQ(1, aio_return(&cbs[i]));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(64, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() ERRORS: EINVAL "The mode argument is not a
 * proper value", and with an error other than EAGAIN, EINTR or EIO "no
 * operations from the list shall have been initiated": a write entry of a
 * list given mode LIO_WAIT + LIO_NOWAIT + 7 is not queued (its status is
 * untouched, not EINPROGRESS) and the file stays empty.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no request queued).
 */
TEST(invalid_mode_initiates_nothing)
{
	unsigned char buf[128];
	struct aiocb cb, *list[1] = { &cb };
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EINVAL for a mode "
			"that is not a proper value, and with that error no "
			"operation of the list is initiated");
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep_lio(&cb, LIO_WRITE, fd, buf, sizeof(buf), 0);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT + LIO_NOWAIT + 7, list, 1, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_error(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: the supported operations are
 * LIO_READ, LIO_WRITE and LIO_NOP; RATIONALE: an entry that fails, "for
 * example, the aio_lio_opcode field is invalid", makes the list fail with
 * EIO and its aio_error returns EINVAL. So entries with aio_lio_opcode
 * LIO_NOP + 1 and LIO_NOP + 2 fail: LIO_WAIT returns -1 with EIO, each
 * entry's status is EINVAL and its return -1. glibc 2.36's x86-64 (non-LFS)
 * lio_listio takes those two values for its own sync requests and runs them
 * as fdatasync and fsync (cases/known-failures.txt); its lio_listio64, which
 * an i386 program with 64-bit offsets calls, refuses them as POSIX says.
 * First kernel: 2.6.0 (glibc's POSIX AIO in threads).
 */
TEST(opcodes_past_lio_nop_fail_with_einval)
{
	unsigned char buf[8];
	struct aiocb cbs[3], *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() RATIONALE: an invalid "
			"aio_lio_opcode fails that entry (aio_error EINVAL) "
			"and the list with EIO; DESCRIPTION: the supported "
			"operations are LIO_READ, LIO_WRITE and LIO_NOP");
	ASSERT_LE(0, fd);
	for (int i = 0; i < 3; i++)
		posix_aio_prep_lio(&cbs[i], LIO_NOP + 1 + i, fd, buf,
				   sizeof(buf), 0);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT, list, 3, NULL));
	EXPECT_EQ(EIO, errno);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(EINVAL, aio_error(&cbs[i]))
			TH_LOG("aio_lio_opcode LIO_NOP + %d: status %d (%s)",
			       i + 1, aio_error(&cbs[i]),
			       strerror(aio_error(&cbs[i])));
		EXPECT_EQ(-1, aio_return(&cbs[i]));
	}
	close(fd);
}

TEST_HARNESS_MAIN
