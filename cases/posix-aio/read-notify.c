// SPDX-License-Identifier: MIT
/*
 * posix-aio/read-notify: how aio_read tells that it completed, through
 * aio_sigevent, beyond posix-aio/notify (si_signo and sival_ptr of a read's
 * SIGEV_SIGNAL, the request complete when that signal is taken, and the
 * sival_int passed to a read's SIGEV_THREAD function): SIGEV_NONE sends
 * nothing; SIGEV_SIGNAL for a read carries si_code SI_ASYNCIO and a
 * sival_int, comes only once the read has completed (not while it waits
 * for data), and two reads queue two signals; SIGEV_THREAD runs its
 * function exactly once, in a new thread, after the data is in the buffer,
 * with the thread attributes of sigev_notify_attributes or detached
 * without them; a read that fails is notified all the same, by signal and
 * by thread; and what glibc does with a signal it cannot send.
 * Sources: POSIX.1-2017 XSH aio_read() DESCRIPTION (aio_sigevent gives the
 * notification on completion), 2.4.2 Realtime Signal Generation and
 * Delivery (SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, sigev_notify_attributes,
 * queued signals), <signal.h> (SI_ASYNCIO), aio_error() DESCRIPTION;
 * aio_read(3), sigevent(3type). posix-aio/write-notify does the same for
 * aio_write.
 *
 * Signals are blocked in the test thread and taken with sigtimedwait (5 s
 * bound for one that must come, 0 s to see none): glibc's worker threads
 * block every signal, so a queued signal stays pending until taken. A
 * SIGEV_THREAD function reports through a pipe, read with a 5 s poll bound.
 *
 * First kernel: glibc 2.36 runs POSIX AIO in its own threads (pread,
 * rt_sigqueueinfo, pthread_create); nothing newer is asked of the kernel:
 * since is 2.6.0 in every declaration; a static glibc 2.36 binary itself
 * needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

/* The signal the SIGEV_SIGNAL tests ask for. */
#define READ_SIG (SIGRTMIN + 2)

/* What a SIGEV_THREAD function saw when it ran. */
struct read_report {
	union sigval value;
	pthread_t self;
	int detach_state;	/* of the thread it ran in, or -1 */
	size_t guard_size;	/* of the thread it ran in */
	int error;		/* aio_error of the watched request then */
	bool data_ok;		/* the watched buffer held the pattern then */
};

/* Where the SIGEV_THREAD function reports, and the request it looks at. */
static int report_wfd = -1;
static const struct aiocb *watched;
static unsigned long long watched_off;

static void report_read(union sigval value)
{
	struct read_report r;
	pthread_attr_t attr;

	memset(&r, 0, sizeof(r));
	r.value = value;
	r.self = pthread_self();
	r.detach_state = -1;
	if (pthread_getattr_np(r.self, &attr) == 0) {
		pthread_attr_getdetachstate(&attr, &r.detach_state);
		pthread_attr_getguardsize(&attr, &r.guard_size);
		pthread_attr_destroy(&attr);
	}
	r.error = -1;
	if (watched) {
		r.error = aio_error(watched);
		r.data_ok = conform_check_pattern((const void *)watched->aio_buf,
						  watched->aio_nbytes,
						  watched_off);
	}
	if (write(report_wfd, &r, sizeof(r)) != sizeof(r))
		abort();
}

/* One report from fd within 5 s: 0, or -1 when none came. */
static int take_read_report(int fd, struct read_report *r)
{
	if (!conform_fd_readable(fd, 5000))
		return -1;
	return read(fd, r, sizeof(*r)) == sizeof(*r) ? 0 : -1;
}

/* Ask for SIGEV_THREAD into report_read carrying value, with attr. */
static void want_report(struct sigevent *sev, union sigval value,
			pthread_attr_t *attr)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_THREAD;
	sev->sigev_notify_function = report_read;
	sev->sigev_notify_attributes = attr;
	sev->sigev_value = value;
}

/*
 * POSIX.1-2017 2.4.2: SIGEV_NONE means that no asynchronous notification is
 * delivered when the event occurs; aio_read() DESCRIPTION: the status is
 * still readable through aio_error/aio_return. An aio_read with SIGEV_NONE
 * completes with its count and data, and leaves no signal pending: every
 * realtime signal and SIGIO is blocked, so one sent by mistake would show
 * in sigpending.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_none_read_sends_no_signal)
{
	unsigned char buf[512];
	sigset_t all, pending;
	struct aiocb cb;
	int sig, fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SIGEV_NONE delivers no notification when "
			"the event occurs (glibc: aio_read(3), status through "
			"aio_error and aio_return)");
	ASSERT_LE(0, fd);
	sigemptyset(&all);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(&all, sig);
	sigaddset(&all, SIGIO);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &all, NULL));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 1024);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	ASSERT_EQ(0, sigpending(&pending));
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&all, sig) == 1 && sigismember(&pending, sig) == 1)
			break;
	EXPECT_EQ(NSIG, sig) TH_LOG("signal %d is pending", sig);
	close(fd);
}

/*
 * <signal.h>: si_code SI_ASYNCIO marks a signal generated by the completion
 * of an asynchronous I/O request; 2.4.2: SIGEV_SIGNAL generates a queued
 * signal carrying the application's sigev_value. The signal of an aio_read
 * has si_signo sigev_signo, si_code SI_ASYNCIO and the integer given in
 * sival_int.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_signal_read_has_si_asyncio_and_sival_int)
{
	unsigned char buf[256];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: si_code "
			"SI_ASYNCIO for a signal generated by completion of "
			"asynchronous I/O, si_value the sigev_value (glibc: "
			"aio_read(3), sigevent(3type))");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(READ_SIG, &set));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, READ_SIG, NULL);
	cb.aio_sigevent.sigev_value.sival_int = 0x7ead;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(READ_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(READ_SIG, info.si_signo);
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(0x7ead, info.si_value.sival_int);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(256, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: aio_sigevent gives the notification
 * that occurs when the request is completed, not when it is queued. A read
 * of an empty pipe cannot complete: no signal is pending while it waits
 * (aio_error EINPROGRESS); once 5 bytes are written the signal comes, and
 * the read is then complete with those bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(sigev_signal_read_comes_only_once_data_arrived)
{
	unsigned char buf[16];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_sigevent is "
			"the notification that occurs when the request is "
			"completed (glibc: aio_read(3))");
	ASSERT_EQ(0, posix_aio_block_signal(READ_SIG, &set));
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, READ_SIG, &cb);
	ASSERT_EQ(0, aio_read(&cb));
	errno = 0;
	EXPECT_EQ(-1, posix_aio_take_signal(&set, &info, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(5, write(p[1], "later", 5));
	ASSERT_EQ(READ_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)&cb, info.si_value.sival_ptr);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(5, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "later", 5));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 2.4.2: realtime signals generated while blocked are queued,
 * each with its own value, not merged. Two aio_reads asking for the same
 * realtime signal give two signals, one with each control block as value,
 * and each read has its own data.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(two_reads_queue_two_signals_with_their_values)
{
	unsigned char buf[2][300];
	bool seen[2] = { false, false };
	struct aiocb cbs[2];
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: signals generated by SIGEV_SIGNAL are "
			"queued, each with its value (glibc: aio_read(3))");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(READ_SIG, &set));
	for (int i = 0; i < 2; i++) {
		posix_aio_prep(&cbs[i], fd, buf[i], 300, 1000 + i * 1000);
		posix_aio_want_signal(&cbs[i].aio_sigevent, READ_SIG, &cbs[i]);
	}
	ASSERT_EQ(0, aio_read(&cbs[0]));
	ASSERT_EQ(0, aio_read(&cbs[1]));
	for (int n = 0; n < 2; n++) {
		int i;

		ASSERT_EQ(READ_SIG, posix_aio_take_signal(&set, &info, 5000));
		for (i = 0; i < 2; i++)
			if (info.si_value.sival_ptr == (void *)&cbs[i])
				break;
		ASSERT_GT(2, i);
		EXPECT_FALSE(seen[i]);
		seen[i] = true;
		EXPECT_EQ(300, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(buf[i], 300, 1000 + i * 1000));
	}
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2: with SIGEV_THREAD the notification function is called,
 * with sigev_value as its argument, for the one event. For a completed
 * aio_read it runs exactly once: after its report nothing more comes on
 * the pipe within 200 ms (a bound on a pipe expected to stay empty).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_thread_read_runs_function_once)
{
	unsigned char buf[128];
	struct read_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SIGEV_THREAD calls sigev_notify_function "
			"with sigev_value (glibc: aio_read(3), "
			"sigevent(3type))");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_wfd = p[1];
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	want_report(&cb.aio_sigevent, (union sigval){ .sival_ptr = &cb }, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, take_read_report(p[0], &r));
	EXPECT_EQ((void *)&cb, r.value.sival_ptr);
	EXPECT_FALSE(conform_fd_readable(p[0], 200));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(128, aio_return(&cb));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2: the SIGEV_THREAD function runs as the start routine
 * of a newly created thread; aio_read() DESCRIPTION: the notification is
 * for the completed request. It runs in a thread other than the caller's,
 * and when it runs the read is done (aio_error 0 there) and the data is
 * already in the buffer.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_thread_read_runs_in_new_thread_with_data_in_buffer)
{
	unsigned char buf[999];
	struct read_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(8192, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SIGEV_THREAD function runs as the start "
			"routine of a newly created thread (glibc: "
			"aio_read(3), notification on completion)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_wfd = p[1];
	watched = &cb;
	watched_off = 3333;
	memset(buf, 0, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 3333);
	want_report(&cb.aio_sigevent, (union sigval){ .sival_int = 31 }, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, take_read_report(p[0], &r));
	EXPECT_EQ(31, r.value.sival_int);
	EXPECT_EQ(0, pthread_equal(r.self, pthread_self()));
	EXPECT_EQ(0, r.error);
	EXPECT_TRUE(r.data_ok);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(999, aio_return(&cb));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2: the new thread is created with the thread attributes
 * that sigev_notify_attributes points to. Attributes asking for a guard
 * area of 3 pages (and detached) give the notification thread of an
 * aio_read that guard size (pthread_getattr_np inside it).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_thread_read_uses_notify_attributes)
{
	const size_t guard = 3 * (size_t)sysconf(_SC_PAGESIZE);
	unsigned char buf[64];
	struct read_report r;
	pthread_attr_t attr;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: the SIGEV_THREAD thread gets the attributes "
			"of sigev_notify_attributes (glibc: sigevent(3type))");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_wfd = p[1];
	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setdetachstate(&attr,
						 PTHREAD_CREATE_DETACHED));
	ASSERT_EQ(0, pthread_attr_setguardsize(&attr, guard));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	want_report(&cb.aio_sigevent, (union sigval){ .sival_int = 5 }, &attr);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, take_read_report(p[0], &r));
	EXPECT_EQ(5, r.value.sival_int);
	EXPECT_EQ(guard, r.guard_size);
	EXPECT_EQ(PTHREAD_CREATE_DETACHED, r.detach_state);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	pthread_attr_destroy(&attr);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2: with sigev_notify_attributes NULL the thread behaves
 * as if created with detachstate PTHREAD_CREATE_DETACHED. The notification
 * thread of an aio_read given no attributes is detached.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(sigev_thread_read_without_attributes_is_detached)
{
	unsigned char buf[64];
	struct read_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: NULL sigev_notify_attributes, as if "
			"created detached (glibc: sigevent(3type))");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_wfd = p[1];
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	want_report(&cb.aio_sigevent, (union sigval){ .sival_int = 6 }, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, take_read_report(p[0], &r));
	EXPECT_EQ(6, r.value.sival_int);
	EXPECT_EQ(PTHREAD_CREATE_DETACHED, r.detach_state);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: the notification occurs when the
 * request is completed, and a request that fails in the worker has
 * completed (aio_read() ERRORS: EBADF may be detected asynchronously). A
 * read of a write-only descriptor still sends its signal, with its value;
 * when it is taken aio_error gives EBADF and aio_return -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(failing_read_still_sends_its_signal)
{
	unsigned char buf[64];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0), wo;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_sigevent "
			"notification when the request completes, also with "
			"an error (glibc: EBADF found by pread in the worker)");
	ASSERT_LE(0, fd);
	wo = conform_reopen(fd, O_WRONLY);
	if (wo < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file write-only through /proc/self/fd (no /proc?)");
	}
	ASSERT_EQ(0, posix_aio_block_signal(READ_SIG, &set));
	posix_aio_prep(&cb, wo, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, READ_SIG, &cb);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(READ_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)&cb, info.si_value.sival_ptr);
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(EBADF, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(wo);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: as above, with SIGEV_THREAD: the
 * function of a read that fails (a negative aio_offset: EINVAL from pread,
 * aio_read() ERRORS EINVAL for an invalid implied offset) runs once, and
 * when it runs aio_error already gives EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(failing_read_still_runs_its_thread_function)
{
	unsigned char buf[64];
	struct read_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: aio_sigevent "
			"notification when the request completes, also with "
			"an error (glibc: EINVAL found by pread in the "
			"worker)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_wfd = p[1];
	watched = NULL;
	posix_aio_prep(&cb, fd, buf, sizeof(buf), -4096);
	want_report(&cb.aio_sigevent, (union sigval){ .sival_ptr = &cb }, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, take_read_report(p[0], &r));
	EXPECT_EQ((void *)&cb, r.value.sival_ptr);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	EXPECT_FALSE(conform_fd_readable(p[0], 200));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the error status is the errno the
 * corresponding read() would set, 0 for a read that succeeded. glibc 2.36
 * does otherwise when it cannot send the notification: with sigev_signo
 * SIGRTMAX + 1 (no such signal) the read fills the buffer, but glibc puts
 * the errno of the failed rt_sigqueueinfo in its place: aio_error EINVAL,
 * aio_return -1. Asserted as glibc does it (a finding, as for aio_write in
 * posix-aio/write-notify).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(invalid_signal_number_replaces_read_status_with_einval)
{
	unsigned char buf[200];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_error() DESCRIPTION: the status is "
			"the errno read() would set (glibc: 2.36 reports the "
			"failed notification instead)");
	ASSERT_LE(0, fd);
	memset(buf, 0, sizeof(buf));
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 100);
	posix_aio_want_signal(&cb.aio_sigevent, SIGRTMAX + 1, NULL);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 100));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

TEST_HARNESS_MAIN
