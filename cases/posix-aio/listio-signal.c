// SPDX-License-Identifier: MIT
/*
 * posix-aio/listio-signal: the SIGEV_SIGNAL notification of a LIO_NOWAIT
 * lio_listio list beyond posix-aio/notify, posix-aio/lio-notify and
 * posix-aio/listio-notify: delivered to an SA_SIGINFO handler with
 * si_signo, si_code SI_ASYNCIO and the list's sival_ptr, once; a SIGEV_NONE
 * sig naming a signal sends none; entries with signals of their own, each a
 * different one, besides the list's; two lists queue two signals; a call
 * refused with EINVAL sends no list signal; the sigevent may be reused
 * once the call has returned.
 * Sources: POSIX.1-2017 XSH lio_listio() DESCRIPTION (LIO_NOWAIT:
 * notification per sig "when all the requests in list have completed"),
 * ERRORS, sigaction() DESCRIPTION (SA_SIGINFO), XSH 2.4.2 Realtime Signal
 * Generation and Delivery (SIGEV_NONE, SIGEV_SIGNAL, queued realtime
 * signals with their values), XBD <signal.h> (SI_ASYNCIO); lio_listio(3),
 * sigevent(3type).
 *
 * Signals are blocked in the test thread and taken with sigtimedwait, or
 * delivered to a handler during a bounded ppoll(2) that unblocks them: 5 s
 * for a signal that must come, QUIET_MS (100 ms) to see none. glibc's
 * worker threads block all signals, so a queued signal waits for the test.
 *
 * First kernel: glibc queues the signal with rt_sigqueueinfo from a worker
 * thread: since is 2.6.0 in every declaration; a static glibc 2.36 binary
 * itself needs 3.2 to start.
 */
#include <aio.h>
#include <signal.h>

#include "conform_posix_aio.h"

#define LIST_SIG (SIGRTMIN + 5)
#define ENTRY_SIG_A (SIGRTMIN + 3)
#define ENTRY_SIG_B (SIGRTMIN + 4)

/* How long a signal that must not come is looked for (ms). */
#define QUIET_MS 100

/* What the SA_SIGINFO handler saw. */
static volatile sig_atomic_t handled;
static volatile int handled_signo, handled_code;
static void *volatile handled_ptr;

static void on_list_signal(int signo, siginfo_t *info, void *uc)
{
	(void)uc;
	handled++;
	handled_signo = info->si_signo;
	handled_code = info->si_code;
	handled_ptr = info->si_value.sival_ptr;
	(void)signo;
}

/* True when a signal of set is pending now or within QUIET_MS. */
static bool signal_comes(const sigset_t *set)
{
	siginfo_t info;

	return posix_aio_take_signal(set, &info, QUIET_MS) > 0;
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_NOWAIT the notification follows
 * sig when all the requests have completed; 2.4.2 / sigaction(): a handler
 * installed with SA_SIGINFO receives si_signo, si_code SI_ASYNCIO (<signal.h>:
 * completion of asynchronous I/O) and sigev_value in si_value. The list
 * signal, unblocked only during a ppoll bounded by 5 s, runs the handler
 * once with those fields (the list's sival_ptr); no second one comes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on rt_sigqueueinfo in threads).
 */
TEST(nowait_list_signal_reaches_an_sa_siginfo_handler)
{
	const struct timespec limit = { 5, 0 };
	unsigned char buf[2][200];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigaction sa;
	struct sigevent sev;
	sigset_t set, during;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies per sig when all requests completed; "
			"sigaction() SA_SIGINFO si_signo, si_code SI_ASYNCIO, "
			"si_value (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_list_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(LIST_SIG, &sa, NULL));
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, NULL, &during));
	ASSERT_EQ(0, sigdelset(&during, LIST_SIG));
	handled = 0;
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 200, i * 2000);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	errno = 0;
	EXPECT_EQ(-1, ppoll(NULL, 0, &limit, &during));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, handled);
	EXPECT_EQ(LIST_SIG, handled_signo);
	EXPECT_EQ(SI_ASYNCIO, handled_code);
	EXPECT_EQ((void *)list, handled_ptr);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(200, aio_return(&cbs[i]));
	}
	EXPECT_FALSE(signal_comes(&set));
	close(fd);
}

/*
 * POSIX 2.4.2: SIGEV_NONE: "No asynchronous notification is delivered";
 * lio_listio() DESCRIPTION: the LIO_NOWAIT notification follows sig. A sig
 * with SIGEV_NONE whose sigev_signo names a (blocked) realtime signal:
 * after the entries completed that signal is not pending, and does not
 * come within QUIET_MS.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no rt_sigqueueinfo).
 */
TEST(nowait_sigev_none_list_sends_no_signal)
{
	unsigned char buf[2][100];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct sigevent sev;
	sigset_t set, pending;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies as sig says; 2.4.2 SIGEV_NONE delivers no "
			"notification (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 100, i * 100);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	sev.sigev_notify = SIGEV_NONE;
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(100, aio_return(&cbs[i]));
	}
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(0, sigismember(&pending, LIST_SIG));
	EXPECT_FALSE(signal_comes(&set));
	close(fd);
}

/*
 * lio_listio(3): each entry's aio_sigevent notifies for its operation;
 * POSIX lio_listio() DESCRIPTION: the list's sig when all have completed.
 * Entry A asks for SIGRTMIN+3, entry B for SIGRTMIN+4, the list for
 * SIGRTMIN+5, each with its own value: each signal comes exactly once with
 * its value and SI_ASYNCIO, and when the list's is taken both entries are
 * complete.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on rt_sigqueueinfo in threads).
 */
TEST(nowait_entries_and_list_with_different_signals_each_come_once)
{
	unsigned char buf[2][300];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	int signals[3] = { ENTRY_SIG_A, ENTRY_SIG_B, LIST_SIG };
	void *values[3] = { &cbs[0], &cbs[1], list };
	int count[3] = { 0, 0, 0 };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT list "
			"signal when all requests completed, entries as if by "
			"aio_read() with their own aio_sigevent (glibc: "
			"lio_listio(3) individual notifications)");
	ASSERT_LE(0, fd);
	sigemptyset(&set);
	for (int i = 0; i < 3; i++)
		sigaddset(&set, signals[i]);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	for (int i = 0; i < 2; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 300, i * 300);
		posix_aio_want_signal(&cbs[i].aio_sigevent, signals[i], values[i]);
	}
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, &sev));
	for (int n = 0; n < 3; n++) {
		int sig = posix_aio_take_signal(&set, &info, 5000), i;

		ASSERT_LT(0, sig);
		for (i = 0; i < 3; i++)
			if (signals[i] == sig)
				break;
		ASSERT_GT(3, i);
		count[i]++;
		EXPECT_EQ(SI_ASYNCIO, info.si_code);
		EXPECT_EQ(values[i], info.si_value.sival_ptr);
		if (sig == LIST_SIG) {
			EXPECT_EQ(0, aio_error(&cbs[0]));
			EXPECT_EQ(0, aio_error(&cbs[1]));
		}
	}
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(1, count[i]);
	EXPECT_FALSE(signal_comes(&set));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(300, aio_return(&cbs[i]));
	}
	close(fd);
}

/*
 * POSIX 2.4.2: a realtime signal generated while blocked is queued, each
 * with its own value; lio_listio() DESCRIPTION: one notification per list.
 * Two LIO_NOWAIT lists asking for the same blocked realtime signal with
 * different values give two signals, one with each list's value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on rt_sigqueueinfo in threads).
 */
TEST(two_nowait_lists_queue_two_signals_with_their_values)
{
	unsigned char buf[2][128];
	struct aiocb cbs[2], *lists[2][1] = { { &cbs[0] }, { &cbs[1] } };
	struct sigevent sev;
	bool seen[2] = { false, false };
	siginfo_t info;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies per sig for each list; 2.4.2 realtime signals "
			"queued with their values (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	for (int i = 0; i < 2; i++) {
		posix_aio_prep_lio(&cbs[i], LIO_READ, fd, buf[i], 128, i * 700);
		posix_aio_want_signal(&sev, LIST_SIG, lists[i]);
		ASSERT_EQ(0, lio_listio(LIO_NOWAIT, lists[i], 1, &sev));
	}
	for (int n = 0; n < 2; n++) {
		int i;

		ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
		for (i = 0; i < 2; i++)
			if (info.si_value.sival_ptr == (void *)lists[i])
				break;
		ASSERT_GT(2, i);
		EXPECT_FALSE(seen[i]);
		seen[i] = true;
	}
	EXPECT_FALSE(signal_comes(&set));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(128, aio_return(&cbs[i]));
	}
	close(fd);
}

/*
 * POSIX lio_listio() ERRORS: EINVAL "The mode argument is not a proper
 * value", and with an error other than EAGAIN, EINTR or EIO no operation of
 * the list was initiated - so none completes, and no list notification is
 * due. lio_listio with mode LIO_WAIT + LIO_NOWAIT + 7 and a SIGEV_SIGNAL
 * sig fails with EINVAL, its read entry is never queued (status untouched)
 * and the list signal does not come within QUIET_MS.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: refused before any I/O).
 */
TEST(refused_call_sends_no_list_signal)
{
	unsigned char buf[64];
	struct aiocb cb, *list[1] = { &cb };
	struct sigevent sev;
	sigset_t set;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EINVAL mode not a "
			"proper value, nothing initiated; DESCRIPTION: the "
			"notification follows completion (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	posix_aio_prep_lio(&cb, LIO_READ, fd, buf, sizeof(buf), 0);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT + LIO_NOWAIT + 7, list, 1, &sev));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_FALSE(signal_comes(&set));
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: the behaviour is undefined if list, the
 * control blocks or their buffers become invalid before all I/O completed
 * and the notification was sent - sig is not among them, so the sigevent
 * may be reused once the call returns (glibc copies it at the call). The
 * list, held back by a read of an empty pipe, is notified with the signal
 * and value given at the call, although the sigevent was then rewritten to
 * SIGEV_NONE with another value and signal.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on rt_sigqueueinfo in threads).
 */
TEST(nowait_sig_may_be_reused_once_the_call_returned)
{
	unsigned char buf[4];
	struct aiocb cb, *list[1] = { &cb };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;
	int p[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: only list, the "
			"aiocbs and their buffers must stay valid until the "
			"notification, not sig (glibc: sig copied at the call)");
	ASSERT_EQ(0, conform_pipe(p));
	sigemptyset(&set);
	sigaddset(&set, LIST_SIG);
	sigaddset(&set, ENTRY_SIG_A);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	posix_aio_prep_lio(&cb, LIO_READ, p[0], buf, sizeof(buf), 0);
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 1, &sev));
	posix_aio_want_signal(&sev, ENTRY_SIG_A, &sev);
	sev.sigev_notify = SIGEV_NONE;
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(4, write(p[1], "sent", 4));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
	EXPECT_FALSE(signal_comes(&set));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(4, aio_return(&cb));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
