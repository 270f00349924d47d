// SPDX-License-Identifier: MIT
/*
 * posix-aio/listio-thread: the SIGEV_THREAD notification of a LIO_NOWAIT
 * lio_listio list beyond posix-aio/lio-notify and posix-aio/listio-notify:
 * the function is called once, in a thread of its own, only after the last
 * entry has completed; it runs with the thread attributes of
 * sigev_notify_attributes, detached without them; entries with their own
 * SIGEV_THREAD each get their call besides the list's; a list whose entries
 * all fail still notifies; SIGEV_NONE calls nothing; a NULL sig queues no
 * signal; LIO_WAIT ignores a SIGEV_THREAD sig.
 * Sources: POSIX.1-2017 XSH lio_listio() DESCRIPTION (LIO_NOWAIT: notified
 * per sig when all requests have completed, no notification for a NULL
 * sig; LIO_WAIT: sig ignored), XSH 2.4.2 Realtime Signal Generation and
 * Delivery (SIGEV_NONE, SIGEV_THREAD: the function as the start routine of
 * a new thread with sigev_notify_attributes, detached when NULL);
 * lio_listio(3), sigevent(3type).
 *
 * Each notification function reports through a pipe what it saw (its
 * value, thread, the entries' statuses, its thread attributes); the test
 * reads the pipe with 5 s bounds, and looks for a call that must not come
 * for QUIET_MS (100 ms). An entry that must hold the notification back
 * reads an empty pipe.
 *
 * First kernel: glibc starts the function with pthread_create from a
 * worker thread: since is 2.6.0 in every declaration; a static glibc 2.36
 * binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <signal.h>

#include "conform_posix_aio.h"

/* How long a call or signal that must not come is looked for (ms). */
#define QUIET_MS 100

/* What a notification function saw. */
struct report {
	union sigval value;
	pthread_t self;
	pid_t tid;
	int errors[4];
	size_t stack_size;
	int detach_state;
};

/* Where the functions report, and the entries whose statuses they read. */
static int report_fd = -1;
static struct aiocb *watched[4];
static int n_watched;

static void notify(union sigval value)
{
	struct report r;
	pthread_attr_t attr;

	memset(&r, 0, sizeof(r));
	r.value = value;
	r.self = pthread_self();
	r.tid = gettid();
	for (int i = 0; i < n_watched; i++)
		r.errors[i] = aio_error(watched[i]);
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getstacksize(&attr, &r.stack_size);
		pthread_attr_getdetachstate(&attr, &r.detach_state);
		pthread_attr_destroy(&attr);
	}
	if (write(report_fd, &r, sizeof(r)) != sizeof(r))
		abort();
}

/* Ask for SIGEV_THREAD notify(value) with attributes attr (or NULL). */
static void want_thread(struct sigevent *sev, union sigval value,
			pthread_attr_t *attr)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_THREAD;
	sev->sigev_notify_function = notify;
	sev->sigev_value = value;
	sev->sigev_notify_attributes = attr;
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_NOWAIT the notification comes
 * "when all the requests in list have completed"; 2.4.2: SIGEV_THREAD calls
 * the function as the start routine of a new thread, with sigev_value.
 * With a file read and a read of an empty pipe, no call comes while the
 * pipe is empty (100 ms); after the pipe is written, exactly one call,
 * with the list's value, in a thread other than the caller's, seeing both
 * entries complete (status 0); no second call within 100 ms.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create in threads).
 */
TEST(nowait_function_runs_once_after_the_last_entry)
{
	unsigned char fbuf[500], pbuf[4];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	struct report r;
	int rp[2], p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies when all requests have completed; 2.4.2 "
			"SIGEV_THREAD function started as a new thread with "
			"sigev_value (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	ASSERT_EQ(0, conform_pipe(p));
	report_fd = rp[1];
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, fbuf, sizeof(fbuf), 100);
	posix_aio_prep_lio(&cbs[1], LIO_READ, p[0], pbuf, sizeof(pbuf), 0);
	watched[0] = &cbs[0];
	watched[1] = &cbs[1];
	n_watched = 2;
	want_thread(&sev, (union sigval){ .sival_ptr = list }, NULL);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	EXPECT_FALSE(conform_fd_readable(rp[0], QUIET_MS));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[1]));
	ASSERT_EQ(4, write(p[1], "done", 4));
	ASSERT_EQ(0, posix_aio_take_report(rp[0], &r, sizeof(r)));
	EXPECT_EQ((void *)list, r.value.sival_ptr);
	EXPECT_NE(gettid(), r.tid);
	EXPECT_EQ(0, pthread_equal(r.self, pthread_self()));
	EXPECT_EQ(0, r.errors[0]);
	EXPECT_EQ(0, r.errors[1]);
	EXPECT_FALSE(conform_fd_readable(rp[0], QUIET_MS));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[1]));
	EXPECT_EQ(500, aio_return(&cbs[0]));
	EXPECT_EQ(4, aio_return(&cbs[1]));
	close(p[0]);
	close(p[1]);
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION (LIO_NOWAIT notification per sig); 2.4.2:
 * the function runs "with thread attributes specified by
 * sigev_notify_attributes". The list's attributes ask for a detached
 * thread with a 384 KiB stack: the function's thread has that stack size
 * (pthread_getattr_np inside it) and is detached.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create in threads).
 */
TEST(nowait_function_uses_the_notify_attributes)
{
	const size_t stack = 6 * 64 * 1024;
	unsigned char buf[256];
	struct aiocb cb, *list[1] = { &cb };
	pthread_attr_t attr;
	struct sigevent sev;
	struct report r;
	int rp[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies per sig; 2.4.2 SIGEV_THREAD thread created "
			"with sigev_notify_attributes (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	n_watched = 0;
	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setdetachstate(&attr,
						 PTHREAD_CREATE_DETACHED));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, stack));
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 0);
	want_thread(&sev, (union sigval){ .sival_int = 42 }, &attr);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 1, &sev));
	ASSERT_EQ(0, posix_aio_take_report(rp[0], &r, sizeof(r)));
	EXPECT_EQ(42, r.value.sival_int);
	EXPECT_EQ(stack, r.stack_size);
	EXPECT_EQ(PTHREAD_CREATE_DETACHED, r.detach_state);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(256, aio_return(&cb));
	pthread_attr_destroy(&attr);
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX 2.4.2 SIGEV_THREAD: "If sigev_notify_attributes is NULL, the
 * behavior shall be as if the thread were created with the detachstate
 * attribute set to PTHREAD_CREATE_DETACHED"; lio_listio() DESCRIPTION:
 * the list notification follows sig. Without attributes the list
 * function's thread is detached.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create in threads).
 */
TEST(nowait_function_without_attributes_runs_detached)
{
	unsigned char buf[256];
	struct aiocb cb, *list[1] = { &cb };
	struct sigevent sev;
	struct report r;
	int rp[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies per sig; 2.4.2 SIGEV_THREAD with NULL "
			"sigev_notify_attributes runs detached (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	n_watched = 0;
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 1024);
	want_thread(&sev, (union sigval){ .sival_int = 9 }, NULL);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 1, &sev));
	ASSERT_EQ(0, posix_aio_take_report(rp[0], &r, sizeof(r)));
	EXPECT_EQ(9, r.value.sival_int);
	EXPECT_EQ(PTHREAD_CREATE_DETACHED, r.detach_state);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * lio_listio(3): "The aio_sigevent fields of each control block can be used
 * to specify notifications for the individual I/O operations"; POSIX
 * lio_listio() DESCRIPTION: the list's notification when all have
 * completed. Three entries with their own SIGEV_THREAD (values 0, 1, 2) and
 * a list SIGEV_THREAD (value 100): four calls, each value once; the list's
 * call sees all three entries complete; no fifth call within 100 ms.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create in threads).
 */
TEST(nowait_entry_and_list_functions_each_run_once)
{
	unsigned char buf[3][300];
	struct aiocb cbs[3], *list[3];
	struct sigevent sev;
	struct report r;
	int seen[3] = { 0, 0, 0 }, list_calls = 0;
	int rp[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies per sig when all requests have completed, "
			"entries as if by aio_read() with their own aio_sigevent "
			"(glibc: lio_listio(3) individual notifications)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	for (int i = 0; i < 3; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 300, i * 1200);
		want_thread(&cbs[i].aio_sigevent, (union sigval){ .sival_int = i },
			    NULL);
		list[i] = &cbs[i];
		watched[i] = &cbs[i];
	}
	n_watched = 3;
	want_thread(&sev, (union sigval){ .sival_int = 100 }, NULL);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, &sev));
	for (int n = 0; n < 4; n++) {
		ASSERT_EQ(0, posix_aio_take_report(rp[0], &r, sizeof(r)));
		if (r.value.sival_int == 100) {
			list_calls++;
			for (int i = 0; i < 3; i++)
				EXPECT_EQ(0, r.errors[i]);
			continue;
		}
		ASSERT_LE(0, r.value.sival_int);
		ASSERT_GT(3, r.value.sival_int);
		seen[r.value.sival_int]++;
	}
	EXPECT_EQ(1, list_calls);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(1, seen[i]);
	EXPECT_FALSE(conform_fd_readable(rp[0], QUIET_MS));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(300, aio_return(&cbs[i]));
	}
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: the LIO_NOWAIT notification comes when
 * all the requests have completed, which a failed request has. A list of a
 * read of a descriptor that cannot be open (EBADF) and a read of a
 * write-only one (EBADF): the list function is still called, once, and
 * sees both entries with status EBADF.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create in threads).
 */
TEST(nowait_list_of_failing_entries_still_runs_the_function)
{
	unsigned char buf[2][64];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	struct report r;
	int rp[2], wo, fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies when all requests have completed, failed ones "
			"too (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	wo = conform_reopen(fd, O_WRONLY);
	if (wo < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file write-only through /proc/self/fd (no /proc?)");
	}
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	posix_aio_prep_lio(&cbs[0], LIO_READ, conform_bad_fd(), buf[0], 64, 0);
	posix_aio_prep_lio(&cbs[1], LIO_READ, wo, buf[1], 64, 0);
	watched[0] = &cbs[0];
	watched[1] = &cbs[1];
	n_watched = 2;
	want_thread(&sev, (union sigval){ .sival_ptr = &sev }, NULL);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	ASSERT_EQ(0, posix_aio_take_report(rp[0], &r, sizeof(r)));
	EXPECT_EQ((void *)&sev, r.value.sival_ptr);
	EXPECT_EQ(EBADF, r.errors[0]);
	EXPECT_EQ(EBADF, r.errors[1]);
	EXPECT_FALSE(conform_fd_readable(rp[0], QUIET_MS));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(-1, aio_return(&cbs[i]));
	}
	close(rp[0]);
	close(rp[1]);
	close(wo);
	close(fd);
}

/*
 * POSIX 2.4.2: SIGEV_NONE "No asynchronous notification is delivered when
 * the event of interest occurs"; lio_listio() DESCRIPTION: the list
 * notification is as sig says. A LIO_NOWAIT sig with SIGEV_NONE but a
 * sigev_notify_function set: the function is never called (100 ms after
 * the entries completed).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no thread started).
 */
TEST(nowait_sigev_none_calls_no_function)
{
	unsigned char buf[2][128];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	int rp[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies as sig says; 2.4.2 SIGEV_NONE delivers no "
			"notification (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	n_watched = 0;
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 128, i * 128);
	want_thread(&sev, (union sigval){ .sival_int = 5 }, NULL);
	sev.sigev_notify = SIGEV_NONE;
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(128, aio_return(&cbs[i]));
	}
	EXPECT_FALSE(conform_fd_readable(rp[0], QUIET_MS));
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: "If sig is NULL, then no asynchronous
 * notification shall occur" (lio_listio(3) likewise). With every signal
 * blocked in the test thread (glibc's workers block all), a LIO_NOWAIT
 * list of two reads with SIGEV_NONE entries and a NULL sig completes and
 * leaves no signal pending, none arriving within 100 ms.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no signal queued).
 */
TEST(nowait_null_sig_queues_no_signal)
{
	const struct timespec brief = { 0, QUIET_MS * 1000 * 1000 };
	unsigned char buf[2][128];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	sigset_t all, pending;
	siginfo_t info;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with a NULL sig "
			"no asynchronous notification occurs (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sigfillset(&all));
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &all, NULL));
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 128, i * 512);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, NULL));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(128, aio_return(&cbs[i]));
	}
	ASSERT_EQ(0, sigpending(&pending));
	for (int sig = 1; sig < NSIG; sig++)
		EXPECT_NE(1, sigismember(&pending, sig));
	errno = 0;
	EXPECT_EQ(-1, sigtimedwait(&all, &info, &brief));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_WAIT "the sig argument shall be
 * ignored" (lio_listio(3): "The sevp argument is ignored"). A LIO_WAIT
 * list with a SIGEV_THREAD sig returns 0 with its read done, and the
 * function is never called (100 ms).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no thread started).
 */
TEST(wait_mode_ignores_a_sigev_thread_sig)
{
	unsigned char buf[200];
	struct aiocb cb, *list[1] = { &cb };
	struct sigevent sev;
	int rp[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_WAIT "
			"the sig argument is ignored (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(rp));
	report_fd = rp[1];
	n_watched = 0;
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 0);
	want_thread(&sev, (union sigval){ .sival_int = 1 }, NULL);
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 1, &sev));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(200, aio_return(&cb));
	EXPECT_FALSE(conform_fd_readable(rp[0], QUIET_MS));
	close(rp[0]);
	close(rp[1]);
	close(fd);
}

TEST_HARNESS_MAIN
