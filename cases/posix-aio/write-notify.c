// SPDX-License-Identifier: MIT
/*
 * posix-aio/write-notify: how aio_write tells that it completed, through
 * aio_sigevent: SIGEV_NONE (nothing is sent), SIGEV_SIGNAL (si_signo,
 * si_code SI_ASYNCIO and si_value as given, the data already in the file
 * when the signal is taken, one queued signal per request), SIGEV_THREAD
 * (the function runs once, with sigev_value, in a new thread created with
 * sigev_notify_attributes), and what glibc does with a notification it
 * cannot send.
 * Sources: POSIX.1-2017 XSH aio_write() DESCRIPTION ("The aio_sigevent
 * member specifies the notification which occurs when the request is
 * completed"), 2.4.2 Realtime Signal Generation and Delivery (SIGEV_NONE,
 * SIGEV_SIGNAL, SIGEV_THREAD, sigev_notify_attributes, queued signals),
 * <signal.h> (SI_ASYNCIO), aio_error() DESCRIPTION, 2.8.2 Asynchronous I/O;
 * aio_write(3), sigevent(3type).
 * posix-aio/notify covers aio_read's SIGEV_SIGNAL and SIGEV_THREAD and the
 * si_code of an aio_write signal; this program does the rest for aio_write.
 *
 * Signals are blocked in the test thread and taken with sigtimedwait (5 s
 * bound): glibc's worker threads block every signal, so a queued signal
 * stays pending until taken. A SIGEV_THREAD function reports through a
 * pipe, read with a 5 s poll bound.
 *
 * First kernel: glibc 2.36 runs POSIX AIO in its own threads (pwrite,
 * rt_sigqueueinfo, pthread_create); nothing newer is asked of the kernel:
 * since is 2.6.0 in every declaration; a static glibc 2.36 binary itself
 * needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

/* The signal the SIGEV_SIGNAL tests ask for. */
#define WRITE_SIG (SIGRTMIN + 3)

/* What a SIGEV_THREAD function saw when it ran. */
struct thread_report {
	union sigval value;
	pthread_t self;
	int detach_state;	/* of the thread it ran in, or -1 */
	size_t stack_size;	/* of the thread it ran in, or 0 */
	int error;		/* aio_error of the watched request then */
};

/* Where the SIGEV_THREAD function writes its report, and what it watches. */
static int report_fd = -1;
static const struct aiocb *watched_cb;

static void report_from_thread(union sigval value)
{
	struct thread_report r;
	pthread_attr_t attr;

	memset(&r, 0, sizeof(r));
	r.value = value;
	r.self = pthread_self();
	r.detach_state = -1;
	if (pthread_getattr_np(r.self, &attr) == 0) {
		pthread_attr_getdetachstate(&attr, &r.detach_state);
		pthread_attr_getstacksize(&attr, &r.stack_size);
		pthread_attr_destroy(&attr);
	}
	r.error = watched_cb ? aio_error(watched_cb) : -1;
	if (write(report_fd, &r, sizeof(r)) != sizeof(r))
		abort();
}

/* Ask for SIGEV_THREAD into report_from_thread carrying value. */
static void want_thread(struct sigevent *sev, union sigval value,
			pthread_attr_t *attr)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_THREAD;
	sev->sigev_notify_function = report_from_thread;
	sev->sigev_notify_attributes = attr;
	sev->sigev_value = value;
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: with
 * SIGEV_NONE no asynchronous notification is delivered when the event of
 * interest occurs; aio_write() DESCRIPTION: aio_sigevent is the
 * notification at completion (2.8.2: with SIGEV_NONE the error and return
 * status are still set). aio_write with SIGEV_NONE completes (aio_error 0,
 * aio_return the count) and leaves no signal pending: every realtime signal
 * and SIGIO is blocked, so one sent by mistake would show in sigpending (an
 * unblocked realtime signal would kill the test).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_none_write_sends_no_signal)
{
	unsigned char buf[512];
	sigset_t all, pending;
	struct aiocb cb;
	int sig, fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SIGEV_NONE delivers no notification when "
			"the event occurs: an aio_write() completes with "
			"status 0 and its count and no signal is pending");
	ASSERT_LE(0, fd);
	sigemptyset(&all);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(&all, sig);
	sigaddset(&all, SIGIO);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &all, NULL));
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	ASSERT_EQ(0, sigpending(&pending));
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&all, sig) == 1 && sigismember(&pending, sig) == 1)
			break;
	EXPECT_EQ(NSIG, sig) TH_LOG("signal %d is pending", sig);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: with
 * SIGEV_SIGNAL a queued signal carrying the application-defined value is
 * generated when the event occurs: the signal sigev_signo, its si_value the
 * sigev_value given; <signal.h>: si_code SI_ASYNCIO for a signal from the
 * completion of an asynchronous I/O request. Here the value is an integer
 * (sival_int).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_signal_write_delivers_signo_code_and_sival_int)
{
	unsigned char buf[256];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SIGEV_SIGNAL generates the queued signal "
			"sigev_signo with the application's sigev_value, "
			"here sival_int, and si_code SI_ASYNCIO for an "
			"aio_write()");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(WRITE_SIG, &set));
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, WRITE_SIG, NULL);
	cb.aio_sigevent.sigev_value.sival_int = 0x3c0ffee;
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(WRITE_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(WRITE_SIG, info.si_signo);
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ(0x3c0ffee, info.si_value.sival_int);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: the
 * sigev_value delivered with the signal is the application's, so a pointer
 * (sival_ptr) comes back unchanged: here the address of the control block,
 * which identifies the request.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_signal_write_delivers_sival_ptr)
{
	unsigned char buf[100];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: the sigev_value queued with the "
			"SIGEV_SIGNAL signal is the application's, so a "
			"sival_ptr comes back unchanged");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(WRITE_SIG, &set));
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, WRITE_SIG, &cb);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(WRITE_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(WRITE_SIG, info.si_signo);
	EXPECT_EQ((void *)&cb, info.si_value.sival_ptr);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: aio_sigevent specifies the
 * notification which occurs when the request is completed, so once its
 * signal is taken the data is in the file at aio_offset (read back with
 * pread), aio_error is 0 and aio_return the byte count, without any
 * aio_suspend.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_signal_write_data_is_in_file_when_signal_is_taken)
{
	unsigned char wbuf[3000], rbuf[3000];
	struct aiocb cb;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: aio_sigevent "
			"gives the notification that occurs when the request "
			"is completed, so the data is in the file and the "
			"status final once the signal is taken");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(WRITE_SIG, &set));
	conform_fill_pattern(wbuf, sizeof(wbuf), 1000);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 1000);
	posix_aio_want_signal(&cb.aio_sigevent, WRITE_SIG, &cb);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(WRITE_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(3000, aio_return(&cb));
	ASSERT_EQ(3000, pread(fd, rbuf, sizeof(rbuf), 1000));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 1000));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: signals
 * generated with an application-defined value are queued, each with its own
 * value, not merged. Two aio_writes asking for the same realtime signal
 * give two signals, one carrying each request's value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(two_writes_queue_two_signals_with_their_values)
{
	unsigned char buf[2][128];
	bool seen[2] = { false, false };
	struct aiocb cbs[2];
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: signals generated with an "
			"application-defined value are queued one by one, "
			"each with its value, so two writes asking for one "
			"signal give two");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(WRITE_SIG, &set));
	for (int i = 0; i < 2; i++) {
		conform_fill_pattern(buf[i], 128, i * 128);
		posix_aio_prep(&cbs[i], fd, buf[i], 128, i * 128);
		posix_aio_want_signal(&cbs[i].aio_sigevent, WRITE_SIG, &cbs[i]);
	}
	ASSERT_EQ(0, aio_write(&cbs[0]));
	ASSERT_EQ(0, aio_write(&cbs[1]));
	for (int n = 0; n < 2; n++) {
		int i;

		ASSERT_EQ(WRITE_SIG, posix_aio_take_signal(&set, &info, 5000));
		for (i = 0; i < 2; i++)
			if (info.si_value.sival_ptr == (void *)&cbs[i])
				break;
		ASSERT_GT(2, i);
		EXPECT_FALSE(seen[i]);
		seen[i] = true;
		EXPECT_EQ(128, aio_return(&cbs[i]));
	}
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: with
 * SIGEV_THREAD a notification function is called, with sigev_value as its
 * only argument. For a completed aio_write it runs exactly once: after its
 * report, nothing more comes on the pipe within 200 ms (a bound on a pipe
 * expected to stay empty).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_thread_write_runs_function_once_with_sival_int)
{
	unsigned char buf[512];
	struct thread_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SIGEV_THREAD calls sigev_notify_function "
			"with sigev_value as its argument, once for a "
			"completed aio_write()");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_fd = p[1];
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	want_thread(&cb.aio_sigevent, (union sigval){ .sival_int = 0x5eed },
		    NULL);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_take_report(p[0], &r, sizeof(r)));
	EXPECT_EQ(0x5eed, r.value.sival_int);
	EXPECT_FALSE(conform_fd_readable(p[0], 200));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(512, aio_return(&cb));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: the
 * SIGEV_THREAD function runs as if it were the start routine of a newly
 * created thread: it runs in a thread other than the one that called
 * aio_write (pthread_self differs), and the write has completed when it
 * runs (aio_error 0 there, the data in the file).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_thread_write_runs_in_a_new_thread_after_completion)
{
	unsigned char wbuf[777], rbuf[777];
	struct thread_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: the SIGEV_THREAD function runs as the "
			"start routine of a newly created thread, here after "
			"the write has completed");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_fd = p[1];
	watched_cb = &cb;
	conform_fill_pattern(wbuf, sizeof(wbuf), 40);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 40);
	want_thread(&cb.aio_sigevent, (union sigval){ .sival_ptr = &cb }, NULL);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_take_report(p[0], &r, sizeof(r)));
	EXPECT_EQ((void *)&cb, r.value.sival_ptr);
	EXPECT_EQ(0, pthread_equal(r.self, pthread_self()));
	EXPECT_EQ(0, r.error);
	ASSERT_EQ(777, pread(fd, rbuf, sizeof(rbuf), 40));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 40));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(777, aio_return(&cb));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: the function
 * runs as the start routine of a newly created thread with the thread
 * attributes given by sigev_notify_attributes. Attributes asking for a 320
 * KiB stack (and detached, as POSIX wants of these threads) give the
 * notification thread that stack size (pthread_getattr_np inside it).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_thread_write_uses_notify_attributes)
{
	const size_t stack = 5 * 64 * 1024;
	unsigned char buf[64];
	struct thread_report r;
	pthread_attr_t attr;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: the SIGEV_THREAD thread is created with "
			"the attributes sigev_notify_attributes points to, "
			"here a 320 KiB stack");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_fd = p[1];
	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setdetachstate(&attr,
						 PTHREAD_CREATE_DETACHED));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, stack));
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	want_thread(&cb.aio_sigevent, (union sigval){ .sival_int = 7 }, &attr);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_take_report(p[0], &r, sizeof(r)));
	EXPECT_EQ(7, r.value.sival_int);
	EXPECT_EQ(stack, r.stack_size);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(64, aio_return(&cb));
	pthread_attr_destroy(&attr);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 2.4.2 Realtime Signal Generation and Delivery: with
 * SIGEV_THREAD and a NULL sigev_notify_attributes the thread behaves as if
 * created with detachstate PTHREAD_CREATE_DETACHED. Without attributes the
 * notification thread of an aio_write is detached (pthread_getattr_np
 * inside it).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_thread_without_attributes_is_detached)
{
	unsigned char buf[64];
	struct thread_report r;
	struct aiocb cb;
	int p[2], fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: with NULL sigev_notify_attributes the "
			"SIGEV_THREAD thread behaves as if created detached");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	report_fd = p[1];
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	want_thread(&cb.aio_sigevent, (union sigval){ .sival_int = 8 }, NULL);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_take_report(p[0], &r, sizeof(r)));
	EXPECT_EQ(8, r.value.sival_int);
	EXPECT_EQ(PTHREAD_CREATE_DETACHED, r.detach_state);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the error status "is the errno
 * value that would be set by the corresponding ... write()" (0 for a write
 * that succeeded). glibc 2.36 does otherwise when it cannot send the
 * notification: with sigev_signo SIGRTMAX + 1 (no such signal) the write
 * lands, but glibc replaces the status with the errno of the failed
 * rt_sigqueueinfo: aio_error EINVAL, aio_return -1. Asserted as glibc does
 * it (a finding; POSIX lists no aio_sigevent error for aio_write).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(invalid_signal_number_replaces_write_status_with_einval)
{
	unsigned char wbuf[200], rbuf[200];
	struct aiocb cb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_error() DESCRIPTION: the error "
			"status is the errno write() would set, 0 for a "
			"write that succeeded (glibc: undocumented; glibc "
			"2.36 sets EINVAL and -1 when rt_sigqueueinfo fails "
			"for sigev_signo SIGRTMAX + 1)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep(&cb, fd, wbuf, sizeof(wbuf), 0);
	posix_aio_want_signal(&cb.aio_sigevent, SIGRTMAX + 1, NULL);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	ASSERT_EQ(200, pread(fd, rbuf, sizeof(rbuf), 0));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 0));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

TEST_HARNESS_MAIN
