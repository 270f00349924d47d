// SPDX-License-Identifier: MIT
/*
 * aio/pgetevents-sigmask: the signal mask argument of io_pgetevents (4.18,
 * "the io_getevents equivalent of ppoll/pselect"), beyond pgetevents.c
 * (which covers a pending signal unblocked by the mask: EINTR; one kept
 * blocked: a timeout; the mask back after EINTR; a half-size sigsetsize:
 * EINVAL; a NULL usig). Here: signals that arrive while the call sleeps
 * (sent by another thread once it is seen asleep), the mask in force in
 * the handler and after a call that returns events, events and a signal
 * together, a usig whose sigmask is NULL, and the argument errors (other
 * sigsetsizes, unreadable usig or mask) that fail before any event is
 * taken.
 * The semantics are ppoll(2)'s: "the caller's signal mask is replaced by
 * the one pointed to by sigmask", restored when the call returns; a
 * signal handler interrupting the call runs with the call's mask, and the
 * caller's comes back when it returns (the pselect/ppoll design, commit
 * 9f72949f679d "[PATCH] Add pselect/ppoll system call implementation").
 * Sources: kernel commit 7a074e96dee6 "aio: implement io_pgetevents"
 * (4.18), ppoll(2), io_getevents(2), fs/aio.c io_pgetevents() and
 * kernel/signal.c set_user_sigmask().
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>

#include "conform_aio.h"

/* NULL if io_pgetevents exists (4.18); else why not. */
static const char *pgetevents_missing(void)
{
	static char why[128];
	struct timespec zero = { 0, 0 };
	struct io_event ev;
	aio_context_t ctx = 0;
	const char *aio_why = conform_aio_unavailable();
	long ret;
	int err;

	if (aio_why)
		return aio_why;
	if (aio_sys_setup(1, &ctx))
		return CONFORM_ENV "io_setup failed for the io_pgetevents probe";
	ret = aio_sys_pgetevents(ctx, 0, 1, &ev, &zero, NULL);
	err = errno;
	aio_sys_destroy(ctx);
	if (ret == 0)
		return NULL;
	snprintf(why, sizeof(why), "io_pgetevents: %s%s", strerror(err),
		 err == ENOSYS ? " (system call not available)" : "");
	return why;
}

#define REQUIRE_PGETEVENTS() CONFORM_REQUIRE(pgetevents_missing())

/* A set of the given signals (0-terminated). */
static sigset_t set_of(int sig, ...)
{
	va_list ap;
	sigset_t set;

	sigemptyset(&set);
	va_start(ap, sig);
	for (; sig; sig = va_arg(ap, int))
		sigaddset(&set, sig);
	va_end(ap);
	return set;
}

/* The calling thread's mask: is sig blocked? (-1 on error) */
static int is_blocked(int sig)
{
	sigset_t now;

	if (pthread_sigmask(SIG_BLOCK, NULL, &now))
		return -1;
	return sigismember(&now, sig);
}

/* Install a counting handler for sig (conform_on_signal(), without
 * SA_RESTART) and reset its count. */
static void count_signal(struct __test_metadata *_metadata, int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(sig, &sa, NULL));
	conform_signal_counts[sig] = 0;
}

/* A 4096-byte pattern file in *fd and a context in *ctx holding one
 * completed event (a buffered read, done inside io_submit), tagged 21. */
static void ctx_with_ready_event(struct __test_metadata *_metadata,
				 aio_context_t *ctx, int *fd, struct iocb *cb,
				 char *buf)
{
	struct iocb *list[1] = { cb };

	ASSERT_LE(0, *fd = conform_temp_file(4096, 0));
	*ctx = 0;
	ASSERT_EQ(0, aio_sys_setup(4, ctx));
	aio_prep_rw(cb, IOCB_CMD_PREAD, *fd, buf, 64, 128, 21);
	ASSERT_EQ(1, aio_sys_submit(*ctx, 1, list));
}

/* A thread waiting in io_pgetevents(ctx, 1, 1, 5 s bound, usig). */
struct waiter {
	aio_context_t ctx;
	struct ref_aio_sigset usig;
	atomic_int tid;
	atomic_int done;
	long ret;
	int err;
	int count_after;	/* SIGUSR1 handler runs seen on return */
	struct io_event ev;
};

static void *wait_with_mask(void *arg)
{
	struct waiter *w = arg;
	struct timespec bound = { .tv_sec = 5 };

	atomic_store(&w->tid, (int)gettid());
	errno = 0;
	w->ret = aio_sys_pgetevents(w->ctx, 1, 1, &w->ev, &bound, &w->usig);
	w->err = errno;
	w->count_after = conform_signal_count(SIGUSR1);
	atomic_store(&w->done, 1);
	return NULL;
}

/* Start the waiter and see it asleep in io_pgetevents: 1, 0 or -1 as
 * conform_wait_blocked_in(). */
static int start_waiter(struct __test_metadata *_metadata, pthread_t *th,
			struct waiter *w)
{
	ASSERT_EQ(0, pthread_create(th, NULL, wait_with_mask, w));
	while (!atomic_load(&w->tid))
		sched_yield();
	return conform_wait_blocked_in(atomic_load(&w->tid), __NR_io_pgetevents);
}

/*
 * ppoll(2) semantics (commit 7a074e96dee6, 4.18): the mask is in force for
 * the whole wait, not only at its start: a thread that blocks SIGUSR1 and
 * sleeps in io_pgetevents with an empty mask is woken by a SIGUSR1 sent to
 * it while it sleeps: -1 with EINTR, and the handler has run.
 */
TEST(signal_arriving_during_wait_unblocked_by_mask_gets_eintr)
{
	struct waiter w = { .ret = -2 };
	sigset_t none = set_of(0), usr1 = set_of(SIGUSR1, 0);
	pthread_t th;
	int seen;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2): the mask replaces the caller's for the call, EINTR");
	REQUIRE_PGETEVENTS();
	count_signal(_metadata, SIGUSR1);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &usr1, NULL));
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	w.usig.sigmask = &none;
	w.usig.sigsetsize = REF_KERNEL_SIGSET_SIZE;
	seen = start_waiter(_metadata, &th, &w);
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	if (seen < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter asleep");
	if (seen == 0)
		SKIP(return, CONFORM_UNSEEN "the waiter was not seen asleep in io_pgetevents (it returned %ld, %s)",
		     w.ret, strerror(w.err));
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	EXPECT_EQ(1, w.count_after);
}

/*
 * ppoll(2) semantics (7a074e96dee6, 4.18): a signal the call's mask
 * blocks stays pending while the call sleeps, even though the caller's
 * own mask lets it through: SIGUSR1 sent to the sleeping thread does not
 * end the wait, an event then does (io_pgetevents returns 1), and the
 * handler runs as the call returns and the caller's mask comes back.
 */
TEST(signal_arriving_during_wait_blocked_by_mask_waits_for_event)
{
	static char buf[64];
	struct waiter w = { .ret = -2 };
	struct iocb cb, *list[1] = { &cb };
	sigset_t usr1 = set_of(SIGUSR1, 0);
	pthread_t th;
	int seen, fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2): signals the mask blocks stay pending for the call");
	REQUIRE_PGETEVENTS();
	count_signal(_metadata, SIGUSR1);
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &w.ctx));
	w.usig.sigmask = &usr1;
	w.usig.sigsetsize = REF_KERNEL_SIGSET_SIZE;
	seen = start_waiter(_metadata, &th, &w);
	/* pthread_kill queues the signal before it returns: from here on it
	 * is pending for the sleeping waiter. */
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 22);
	ASSERT_EQ(1, aio_sys_submit(w.ctx, 1, list));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, aio_sys_destroy(w.ctx));
	close(fd);
	if (seen < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter asleep");
	if (seen == 0)
		SKIP(return, CONFORM_UNSEEN "the waiter was not seen asleep in io_pgetevents (it returned %ld, %s)",
		     w.ret, strerror(w.err));
	EXPECT_EQ(1, w.ret);
	EXPECT_EQ(22, w.ev.data);
	EXPECT_EQ(1, w.count_after);
}

/*
 * ppoll(2): the caller's mask is restored when the call returns, also
 * when it returns events: a thread blocking SIGUSR2 calls io_pgetevents
 * with a mask of SIGUSR1 only and gets the ready event; afterwards SIGUSR2
 * is blocked again and SIGUSR1 is not (7a074e96dee6, 4.18).
 */
TEST(mask_is_restored_after_call_returning_events)
{
	static char buf[64];
	struct timespec bound = { .tv_sec = 1 };
	sigset_t usr1 = set_of(SIGUSR1, 0), usr2 = set_of(SIGUSR2, 0);
	struct ref_aio_sigset usig = { &usr1, REF_KERNEL_SIGSET_SIZE };
	struct io_event ev;
	aio_context_t ctx;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2): the original mask is restored on return");
	REQUIRE_PGETEVENTS();
	ASSERT_EQ(0, pthread_sigmask(SIG_SETMASK, &usr2, NULL));
	ctx_with_ready_event(_metadata, &ctx, &fd, &cb, buf);
	EXPECT_EQ(1, aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig));
	EXPECT_EQ(21, ev.data);
	EXPECT_EQ(1, is_blocked(SIGUSR2));
	EXPECT_EQ(0, is_blocked(SIGUSR1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/* What the SIGUSR1 handler of handler_runs_under_the_calls_mask saw. */
static volatile sig_atomic_t usr2_blocked_in_handler = -1;

static void note_mask_in_handler(int sig)
{
	sigset_t now;

	(void)sig;
	if (sigprocmask(SIG_BLOCK, NULL, &now) == 0)
		usr2_blocked_in_handler = sigismember(&now, SIGUSR2);
}

/*
 * The pselect/ppoll design the call follows (commit 9f72949f679d: "signal
 * handlers must be invoked using the new, temporary signal mask. The old
 * signal mask must be restored ... upon returning from the invoked signal
 * handler"): a thread blocking SIGUSR1 calls io_pgetevents with a mask of
 * SIGUSR2 only while SIGUSR1 is pending; the handler runs with SIGUSR2
 * blocked (the call's mask), the call fails with EINTR, and afterwards
 * SIGUSR1 is blocked again and SIGUSR2 is not (7a074e96dee6, 4.18).
 */
TEST(handler_runs_under_the_calls_mask)
{
	struct timespec bound = { .tv_sec = 1 };
	sigset_t usr1 = set_of(SIGUSR1, 0), usr2 = set_of(SIGUSR2, 0);
	struct ref_aio_sigset usig = { &usr2, REF_KERNEL_SIGSET_SIZE };
	struct sigaction sa;
	struct io_event ev;
	aio_context_t ctx = 0;
	long ret;
	int err;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; commit 9f72949f679d: handlers run with the temporary mask, the old one restored after them");
	REQUIRE_PGETEVENTS();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_mask_in_handler;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_sigmask(SIG_SETMASK, &usr1, NULL));
	ASSERT_EQ(0, raise(SIGUSR1));
	ASSERT_EQ(-1, usr2_blocked_in_handler);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	errno = 0;
	ret = aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINTR, err);
	EXPECT_EQ(1, usr2_blocked_in_handler);
	EXPECT_EQ(1, is_blocked(SIGUSR1));
	EXPECT_EQ(0, is_blocked(SIGUSR2));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * fs/aio.c io_pgetevents(): the events read are returned even when a
 * signal the mask unblocks is pending (only a call that read nothing
 * reports EINTR), and that signal is delivered as the call returns: with
 * an event ready and SIGUSR1 pending and blocked by the caller, a call
 * with an empty mask returns 1 and the handler runs once (since 4.18,
 * commit 7a074e96dee6).
 */
TEST(ready_event_is_returned_and_pending_signal_delivered)
{
	static char buf[64];
	struct timespec bound = { .tv_sec = 1 };
	sigset_t none = set_of(0);
	struct ref_aio_sigset usig = { &none, REF_KERNEL_SIGSET_SIZE };
	struct io_event ev;
	aio_context_t ctx;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"fs/aio.c io_pgetevents(): -ERESTARTNOHAND only when no event was read, the pending signal delivered on return; commit 7a074e96dee6 (4.18): aio: implement io_pgetevents");
	REQUIRE_PGETEVENTS();
	ctx_with_ready_event(_metadata, &ctx, &fd, &cb, buf);
	conform_pend_signal(_metadata, SIGUSR1);
	EXPECT_EQ(1, aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig));
	EXPECT_EQ(21, ev.data);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(1, is_blocked(SIGUSR1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * ppoll(2): "If sigmask is NULL, then no signal mask manipulation is
 * performed"; io_pgetevents takes the mask through usig, and a usig whose
 * sigmask is NULL changes nothing: a pending SIGUSR1 the caller blocks
 * stays pending and unhandled, and the call waits out its 20 ms bound and
 * returns 0 (7a074e96dee6, 4.18).
 */
TEST(usig_with_null_sigmask_leaves_mask_unchanged)
{
	struct timespec shortwait = { .tv_nsec = 20 * 1000 * 1000 };
	struct ref_aio_sigset usig = { NULL, REF_KERNEL_SIGSET_SIZE };
	struct io_event ev;
	aio_context_t ctx = 0;
	sigset_t pending;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2): a NULL sigmask performs no mask manipulation");
	REQUIRE_PGETEVENTS();
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	conform_pend_signal(_metadata, SIGUSR1);
	EXPECT_EQ(0, aio_sys_pgetevents(ctx, 1, 1, &ev, &shortwait, &usig));
	EXPECT_EQ(0, conform_signal_count(SIGUSR1));
	ASSERT_EQ(0, sigpending(&pending));
	EXPECT_EQ(1, sigismember(&pending, SIGUSR1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * fs/aio.c io_pgetevents() and kernel/signal.c set_user_sigmask(): the
 * size is checked only when there is a mask; a usig of a NULL sigmask
 * with sigsetsize 0 is accepted and the call returns the ready event
 * (since 4.18: 7a074e96dee6 checked ksig.sigsetsize only under
 * ksig.sigmask too).
 */
TEST(null_sigmask_skips_the_sigsetsize_check)
{
	static char buf[64];
	struct timespec bound = { .tv_sec = 1 };
	struct ref_aio_sigset usig = { NULL, 0 };
	struct io_event ev;
	aio_context_t ctx;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"kernel/signal.c set_user_sigmask(): no mask, no size check; commit 7a074e96dee6 (4.18): aio: implement io_pgetevents");
	REQUIRE_PGETEVENTS();
	ctx_with_ready_event(_metadata, &ctx, &fd, &cb, buf);
	EXPECT_EQ(1, aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig));
	EXPECT_EQ(21, ev.data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * kernel/signal.c set_user_sigmask(): with a mask, sigsetsize must be the
 * kernel's sigset size (8); 0 and 16 get EINVAL, like the half size
 * pgetevents.c tries, and the call fails before it reads events: the ready
 * event is still there for io_getevents (since 4.18, 7a074e96dee6).
 */
TEST(other_sigsetsizes_get_einval_before_reaping)
{
	static char buf[64];
	static const size_t sizes[] = { 0, 2 * REF_KERNEL_SIGSET_SIZE };
	struct timespec zero = { 0, 0 };
	sigset_t none = set_of(0);
	struct io_event ev;
	aio_context_t ctx;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"kernel/signal.c set_user_sigmask(): sigsetsize != sizeof(sigset_t) gets EINVAL; commit 7a074e96dee6 (4.18): aio: implement io_pgetevents");
	REQUIRE_PGETEVENTS();
	ctx_with_ready_event(_metadata, &ctx, &fd, &cb, buf);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct ref_aio_sigset usig = { &none, sizes[i] };

		errno = 0;
		EXPECT_EQ(-1, aio_sys_pgetevents(ctx, 1, 1, &ev, &zero, &usig));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &zero));
	EXPECT_EQ(21, ev.data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * fs/aio.c io_pgetevents(): usig and the mask it points to are copied in
 * first: an unreadable usig, or a usig whose sigmask is unreadable, gets
 * EFAULT (as ppoll(2) EFAULT), before any event is read: the ready event
 * is still there for io_getevents (since 4.18, 7a074e96dee6).
 */
TEST(unreadable_usig_or_sigmask_gets_efault_before_reaping)
{
	static char buf[64];
	struct timespec zero = { 0, 0 };
	long page = sysconf(_SC_PAGESIZE);
	struct ref_aio_sigset usig;
	struct io_event ev;
	aio_context_t ctx;
	struct iocb cb;
	void *hole;
	int fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"fs/aio.c io_pgetevents() copy_from_user of usig, kernel/signal.c set_user_sigmask() of the mask: EFAULT; ppoll(2) EFAULT; commit 7a074e96dee6 (4.18): aio: implement io_pgetevents");
	REQUIRE_PGETEVENTS();
	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ctx_with_ready_event(_metadata, &ctx, &fd, &cb, buf);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_pgetevents(ctx, 1, 1, &ev, &zero, hole));
	EXPECT_EQ(EFAULT, errno);
	usig.sigmask = hole;
	usig.sigsetsize = REF_KERNEL_SIGSET_SIZE;
	errno = 0;
	EXPECT_EQ(-1, aio_sys_pgetevents(ctx, 1, 1, &ev, &zero, &usig));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &zero));
	EXPECT_EQ(21, ev.data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
	munmap(hole, page);
}

TEST_HARNESS_MAIN
