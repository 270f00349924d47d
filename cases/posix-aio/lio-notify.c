// SPDX-License-Identifier: MIT
/*
 * posix-aio/lio-notify: the notifications around lio_listio beyond the
 * single SIGEV_SIGNAL of posix-aio/notify: a list-wide SIGEV_THREAD
 * notification, a list notification after a failing entry, the sig argument
 * ignored in LIO_WAIT mode, and each entry's own aio_sigevent firing in both
 * modes.
 * Sources: POSIX.1-2017 XSH lio_listio ("If the mode argument is LIO_WAIT
 * ... the sig argument shall be ignored"; with LIO_NOWAIT "asynchronous
 * notification shall occur ... when all the requests in the list have
 * completed"), lio_listio(3) ("The aio_sigevent fields of each control
 * block can be used to specify notifications for the individual I/O
 * operations"), sigevent(3type) (SIGEV_THREAD).
 *
 * Signals are blocked and taken with sigtimedwait (5 s bound); glibc's
 * worker threads block all signals, so a queued signal stays pending.
 * First kernel: glibc runs the requests and the notifications in its own
 * threads (pread, rt_sigqueueinfo, pthread_create): since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <signal.h>

#include "conform_posix_aio.h"

#define NOTIFY_SIG (SIGRTMIN + 2)

/* What the SIGEV_THREAD function saw, and the pipe it reports through. */
struct thread_note {
	struct aiocb **list;
	int n;
	int errors[4];
	int pipe_w;
};

/* The SIGEV_THREAD function: records each entry's aio_error at the time
 * of the call, then writes the received value to the pipe. */
static void note_thread(union sigval v)
{
	struct thread_note *note = v.sival_ptr;

	for (int i = 0; i < note->n; i++)
		note->errors[i] = aio_error(note->list[i]);
	if (write(note->pipe_w, &v.sival_ptr, sizeof(v.sival_ptr)) < 0)
		note->n = -1;
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_NOWAIT the notification
 * that sig describes occurs when all the requests in the list have
 * completed; 2.4.2 Realtime Signal Generation and Delivery: SIGEV_THREAD
 * calls sigev_notify_function with sigev_value. The function sees aio_error
 * 0 for each of three reads, and the reads returned their data.
 * First kernel: 2.6.0 (glibc worker threads, pread, rt_sigqueueinfo,
 * pthread_create).
 */
TEST(nowait_list_sigev_thread_runs_after_all_complete)
{
	static unsigned char buf[3][1000];
	struct aiocb cbs[3], *list[3];
	struct thread_note note;
	struct sigevent sev;
	void *got = NULL;
	int fd, p[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_NOWAIT the notification sig asks for, here "
			"SIGEV_THREAD with its sigev_value, comes when all "
			"the listed requests have completed");
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	ASSERT_EQ(0, conform_pipe(p));
	for (int i = 0; i < 3; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 1000,
				   i * 2500);
		list[i] = &cbs[i];
	}
	memset(&note, 0, sizeof(note));
	note.list = list;
	note.n = 3;
	note.pipe_w = p[1];
	for (int i = 0; i < 3; i++)
		note.errors[i] = -1;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = note_thread;
	sev.sigev_value.sival_ptr = &note;
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, &sev));
	ASSERT_TRUE(conform_fd_readable(p[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(got), read(p[0], &got, sizeof(got)));
	EXPECT_EQ((void *)&note, got);
	EXPECT_EQ(3, note.n);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(0, note.errors[i]);
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(1000, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(buf[i], 1000, i * 2500));
	}
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_NOWAIT the list's
 * notification comes when all its requests have completed, whatever their
 * outcome: with one entry failing (a read of a write-only descriptor:
 * EBADF, return -1) the signal still arrives, with sig's sigev_value, and
 * the other entry succeeded.
 * First kernel: 2.6.0 (glibc worker threads, pread, rt_sigqueueinfo,
 * pthread_create).
 */
TEST(nowait_list_with_failing_entry_still_notifies)
{
	static unsigned char good[512], bad[512];
	struct aiocb cbs[2], *list[2];
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int fd, wo;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: the "
			"LIO_NOWAIT notification comes when all listed "
			"requests have completed, a failed one included, "
			"with sig's sigev_value");
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	wo = conform_reopen(fd, O_WRONLY);
	if (wo < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file write-only through /proc/self/fd (no /proc?)");
	}
	ASSERT_EQ(0, posix_aio_block_signal(NOTIFY_SIG, &set));
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, good, sizeof(good), 512);
	posix_aio_prep_lio(&cbs[1], LIO_READ, wo, bad, sizeof(bad), 0);
	list[0] = &cbs[0];
	list[1] = &cbs[1];
	posix_aio_want_signal(&sev, NOTIFY_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(NOTIFY_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[1]));
	EXPECT_EQ(0, aio_error(&cbs[0]));
	EXPECT_EQ((ssize_t)sizeof(good), aio_return(&cbs[0]));
	EXPECT_TRUE(conform_check_pattern(good, sizeof(good), 512));
	EXPECT_EQ(EBADF, aio_error(&cbs[1]));
	EXPECT_EQ(-1, aio_return(&cbs[1]));
	close(wo);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_WAIT the function waits
 * until all I/O is complete and the sig argument is ignored (lio_listio(3):
 * the sevp argument is ignored). After a LIO_WAIT call with a SIGEV_SIGNAL
 * sig has returned 0, no signal is pending, and none comes within a 200 ms
 * bound.
 * First kernel: 2.6.0 (glibc worker threads, pread, rt_sigqueueinfo,
 * pthread_create).
 */
TEST(wait_mode_ignores_sig)
{
	static unsigned char buf[2][256];
	struct aiocb cbs[2], *list[2];
	struct sigevent sev;
	siginfo_t info;
	sigset_t set, pending;
	int fd;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with "
			"LIO_WAIT the sig argument is ignored, so no list "
			"signal is ever queued");
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, posix_aio_block_signal(NOTIFY_SIG, &set));
	for (int i = 0; i < 2; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 256, i * 1024);
		list[i] = &cbs[i];
	}
	posix_aio_want_signal(&sev, NOTIFY_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 2, &sev));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(256, aio_return(&cbs[i]));
	}
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(0, sigismember(&pending, NOTIFY_SIG));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 200));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: an LIO_READ entry is submitted as
 * if by aio_read() with that control block, and aio_read()'s aio_sigevent
 * gives the notification at completion (lio_listio(3): each control block's
 * aio_sigevent notifies for its own operation). In LIO_NOWAIT mode with a
 * NULL sig, three entries asking for SIGEV_SIGNAL give three signals, each
 * carrying its entry's value, each entry complete when its signal is taken.
 * First kernel: 2.6.0 (glibc worker threads, pread, rt_sigqueueinfo,
 * pthread_create).
 */
TEST(nowait_entries_notify_individually)
{
	static unsigned char buf[3][300];
	struct aiocb cbs[3], *list[3];
	bool seen[3] = { false, false, false };
	siginfo_t info;
	sigset_t set;
	int fd;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: each "
			"LIO_READ entry is submitted as if by aio_read() on "
			"its control block, so its own aio_sigevent notifies "
			"for it (glibc: lio_listio(3), the aio_sigevent of "
			"each control block notifies for its operation)");
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, posix_aio_block_signal(NOTIFY_SIG, &set));
	for (int i = 0; i < 3; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 300, i * 1000);
		posix_aio_want_signal(&cbs[i].aio_sigevent, NOTIFY_SIG,
				      &cbs[i]);
		list[i] = &cbs[i];
	}
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, NULL));
	for (int n = 0; n < 3; n++) {
		int i;

		ASSERT_EQ(NOTIFY_SIG, posix_aio_take_signal(&set, &info, 5000));
		for (i = 0; i < 3; i++)
			if (info.si_value.sival_ptr == (void *)&cbs[i])
				break;
		ASSERT_GT(3, i);
		EXPECT_FALSE(seen[i]);
		seen[i] = true;
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(300, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(buf[i], 300, i * 1000));
	}
	close(fd);
}

/*
 * POSIX.1-2017 lio_listio() DESCRIPTION: in LIO_WAIT mode only the list's
 * sig is ignored; an LIO_WRITE entry is submitted as if by aio_write(),
 * whose aio_sigevent notifies at completion (lio_listio(3): per-entry
 * notifications). Both writes land and both entries' signals arrive, each
 * with its own value.
 * First kernel: 2.6.0 (glibc worker threads, pread, rt_sigqueueinfo,
 * pthread_create).
 */
TEST(wait_mode_still_sends_entry_notifications)
{
	static unsigned char buf[2][128];
	struct aiocb cbs[2], *list[2];
	bool seen[2] = { false, false };
	siginfo_t info;
	sigset_t set;
	int fd;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_WAIT "
			"ignores only sig; each LIO_WRITE entry is submitted "
			"as if by aio_write() and still notifies through its "
			"own aio_sigevent (glibc: lio_listio(3), per-entry "
			"aio_sigevent)");
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, posix_aio_block_signal(NOTIFY_SIG, &set));
	for (int i = 0; i < 2; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_WRITE, fd, buf[i], 128, i * 128);
		conform_fill_pattern(buf[i], 128, 9000 + i);
		posix_aio_want_signal(&cbs[i].aio_sigevent, NOTIFY_SIG,
				      &cbs[i]);
		list[i] = &cbs[i];
	}
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 2, NULL));
	for (int n = 0; n < 2; n++) {
		int i;

		ASSERT_EQ(NOTIFY_SIG, posix_aio_take_signal(&set, &info, 5000));
		for (i = 0; i < 2; i++)
			if (info.si_value.sival_ptr == (void *)&cbs[i])
				break;
		ASSERT_GT(2, i);
		EXPECT_FALSE(seen[i]);
		seen[i] = true;
		EXPECT_EQ(128, aio_return(&cbs[i]));
	}
	for (int i = 0; i < 2; i++) {
		unsigned char back[128];

		ASSERT_EQ(128, pread(fd, back, sizeof(back), i * 128));
		EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 9000 + i));
	}
	close(fd);
}

TEST_HARNESS_MAIN
