// SPDX-License-Identifier: MIT
/*
 * ref/paio-notify: ref/paio's notifications beside glibc's. Each TEST runs
 * the same requests through ref_paio_* (io_uring, with the context's
 * watcher thread) and through glibc's aio_* (worker threads), records what
 * the notification showed, and asserts the same, exact values for both:
 * SIGEV_SIGNAL's signal with si_code SI_ASYNCIO, si_value and si_pid, taken
 * while the test calls nothing, after the status is final; SIGEV_THREAD's
 * function, once, in a new detached thread with no signal blocked;
 * SIGEV_NONE nothing; a lio_listio list's notice once after its last entry,
 * and each entry's own. Where ref differs on purpose (it refuses a
 * notification it could not give), the TEST asserts each and says so.
 * Sources: POSIX.1-2017 XSH 2.4.2 Realtime Signal Generation and Delivery,
 * <signal.h> (SIGEV_*, SI_ASYNCIO), aio_read(), aio_write(), aio_fsync(),
 * aio_cancel(), lio_listio(); glibc aio(7); ref/paio.h.
 */
#include <pthread.h>
#include <sys/eventfd.h>

#include "conform_ref_paio.h"

#define SIG_A (SIGRTMIN + 1)
#define SIG_B (SIGRTMIN + 2)
#define BOUND_MS (REF_CASE_BOUND_S * 1000)

/* What one notification showed. */
struct seen {
	int signo;		/* the signal taken (0: none came) */
	int code;		/* its si_code */
	pid_t pid;		/* its si_pid */
	union sigval value;	/* its si_value, or the function's argument */
	int err;		/* the request's error status at that time */
	ssize_t ret;		/* its return status, taken afterwards */
	int calls;		/* SIGEV_THREAD: times the function ran */
	bool other_thread;	/* it ran in a thread other than the test's */
	bool detached;		/* ... a detached one */
	bool unblocked;		/* ... with SIG_A not blocked */
	size_t stack;		/* ... with this stack size */
};

/* ------------------------------------------------------------------ */
/* the SIGEV_THREAD function                                           */
/* ------------------------------------------------------------------ */

/* What the function reads and writes; one request's at a time. */
static struct {
	int efd;			/* counts the calls */
	pthread_t test_thread;
	struct ref_paio *ctx;		/* ref's request, or */
	struct ref_aiocb *rcb;
	struct aiocb *gcb;		/* glibc's, or neither (a list) */
	struct seen seen;
} fn;

static void on_notice(union sigval value)
{
	struct seen *s = &fn.seen;
	pthread_attr_t attr;
	sigset_t mask;
	int state;

	s->value = value;
	s->other_thread = !pthread_equal(pthread_self(), fn.test_thread);
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	s->unblocked = !sigismember(&mask, SIG_A);
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getdetachstate(&attr, &state);
		s->detached = state == PTHREAD_CREATE_DETACHED;
		pthread_attr_getstacksize(&attr, &s->stack);
		pthread_attr_destroy(&attr);
	}
	/* ref's function may call back in: the context's lock is free. */
	if (fn.rcb)
		s->err = ref_paio_error(fn.ctx, fn.rcb);
	else if (fn.gcb)
		s->err = aio_error(fn.gcb);
	__atomic_add_fetch(&s->calls, 1, __ATOMIC_SEQ_CST);
	eventfd_write(fn.efd, 1);
}

/* Get ready for a function call about ref's rcb or glibc's gcb. */
static void fn_arm(struct ref_paio *ctx, struct ref_aiocb *rcb,
		   struct aiocb *gcb)
{
	if (fn.efd <= 0)
		fn.efd = eventfd(0, EFD_CLOEXEC);
	memset(&fn.seen, 0, sizeof(fn.seen));
	fn.test_thread = pthread_self();
	fn.ctx = ctx;
	fn.rcb = rcb;
	fn.gcb = gcb;
}

/* Wait (bounded) until the function has run calls times in all. */
static bool fn_wait(int calls)
{
	struct pollfd pfd = { .fd = fn.efd, .events = POLLIN };

	while (__atomic_load_n(&fn.seen.calls, __ATOMIC_SEQ_CST) < calls)
		if (poll(&pfd, 1, BOUND_MS) <= 0)
			return false;
		else
			eventfd_read(fn.efd, &(eventfd_t){ 0 });
	return true;
}

static void want_thread(struct sigevent *ev, int value,
			pthread_attr_t *attr)
{
	memset(ev, 0, sizeof(*ev));
	ev->sigev_notify = SIGEV_THREAD;
	ev->sigev_notify_function = on_notice;
	ev->sigev_notify_attributes = attr;
	ev->sigev_value.sival_int = value;
}

/* ------------------------------------------------------------------ */
/* signals                                                             */
/* ------------------------------------------------------------------ */

/* Take SIG_A (blocked by the test) within the bound into *s. */
static void take_signal(struct seen *s)
{
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIG_A);
	if (posix_aio_take_signal(&set, &si, BOUND_MS) != SIG_A)
		return;
	s->signo = si.si_signo;
	s->code = si.si_code;
	s->pid = si.si_pid;
	s->value = si.si_value;
}

static bool pending(int signo)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, signo);
}

/* Block SIG_A and SIG_B in the test thread: taken by sigtimedwait only. */
static void block_ours(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIG_A);
	sigaddset(&set, SIG_B);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* ------------------------------------------------------------------ */
/* one request, either way                                             */
/* ------------------------------------------------------------------ */

/* Queue one request of kind through ref: its queueing call's answer. */
static int ref_queue(struct ref_paio *ctx, enum paio_case_kind kind,
		     struct ref_aiocb *cb)
{
	switch (kind) {
	case PAIO_READ:
		return ref_paio_read(ctx, cb);
	case PAIO_WRITE:
		return ref_paio_write(ctx, cb);
	default:
		return ref_paio_fsync(ctx, kind == PAIO_SYNC ? O_SYNC : O_DSYNC,
				      cb);
	}
}

static int glibc_queue(enum paio_case_kind kind, struct aiocb *cb)
{
	int ret;

	switch (kind) {
	case PAIO_READ:
		ret = aio_read(cb);
		break;
	case PAIO_WRITE:
		ret = aio_write(cb);
		break;
	default:
		ret = aio_fsync(kind == PAIO_SYNC ? O_SYNC : O_DSYNC, cb);
		break;
	}
	return ret < 0 ? -errno : 0;
}

/*
 * Queue kind on fd (len bytes of buf at 0) with notification ev through
 * ref then glibc; after each, write poke (if any) into pipe_w, then take
 * the signal (SIGEV_SIGNAL) or wait for the function (SIGEV_THREAD), and
 * read the status. out[0] is ref's, out[1] glibc's.
 */
static void run_both(struct __test_metadata *_metadata,
		     enum paio_case_kind kind, int fd, void *buf, size_t len,
		     const struct sigevent *ev, int pipe_w, const char *poke,
		     struct seen out[2])
{
	struct ref_paio ctx;
	struct ref_aiocb rcb = ref_paio_case_cb(LIO_NOP, fd, buf, len, 0);
	struct aiocb gcb;

	memset(out, 0, 2 * sizeof(*out));
	rcb.sigev = *ev;
	posix_aio_prep(&gcb, fd, buf, len, 0);
	gcb.aio_sigevent = *ev;

	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	fn_arm(&ctx, &rcb, NULL);
	ASSERT_EQ(0, ref_queue(&ctx, kind, &rcb));
	if (poke)
		ASSERT_EQ((ssize_t)strlen(poke),
			  write(pipe_w, poke, strlen(poke)));
	/* No ref call until the notification has come: the watcher. */
	if (ev->sigev_notify == SIGEV_SIGNAL) {
		take_signal(&out[0]);
		out[0].err = ref_paio_error(&ctx, &rcb);
	} else {
		EXPECT_TRUE(fn_wait(1));
		out[0].calls = fn.seen.calls;
		out[0].value = fn.seen.value;
		out[0].err = fn.seen.err;
		out[0].other_thread = fn.seen.other_thread;
		out[0].detached = fn.seen.detached;
		out[0].unblocked = fn.seen.unblocked;
		out[0].stack = fn.seen.stack;
	}
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &rcb));
	ASSERT_EQ(0, ref_paio_return(&ctx, &rcb, &out[0].ret));
	ref_paio_free(&ctx);

	fn_arm(NULL, NULL, &gcb);
	ASSERT_EQ(0, glibc_queue(kind, &gcb));
	if (poke)
		ASSERT_EQ((ssize_t)strlen(poke),
			  write(pipe_w, poke, strlen(poke)));
	if (ev->sigev_notify == SIGEV_SIGNAL) {
		take_signal(&out[1]);
		out[1].err = aio_error(&gcb);
	} else {
		EXPECT_TRUE(fn_wait(1));
		out[1].calls = fn.seen.calls;
		out[1].value = fn.seen.value;
		out[1].err = fn.seen.err;
		out[1].other_thread = fn.seen.other_thread;
		out[1].detached = fn.seen.detached;
		out[1].unblocked = fn.seen.unblocked;
		out[1].stack = fn.seen.stack;
	}
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	out[1].ret = aio_return(&gcb);
}

/*
 * POSIX XSH 2.4.2 and aio_read(): SIGEV_SIGNAL queues sigev_signo with
 * si_code SI_ASYNCIO and si_value sigev_value once the read is done; it
 * comes while the program calls nothing (a read of a pipe, written after
 * it was queued), and aio_error is final when it is taken. ref gives it
 * from its watcher thread (5.6: IORING_OP_READ).
 */
TEST(signal_after_pipe_read_while_nothing_is_called_same_as_glibc)
{
	char buf[8];
	struct sigevent ev;
	struct seen s[2];
	int p[2];

	CONFORM_DECLARE("5.6", "SIGEV_SIGNAL",
			"POSIX.1-2017 2.4.2 Realtime Signal Generation and "
			"Delivery: SI_ASYNCIO, sigev_value; aio_read() "
			"DESCRIPTION: notification when the read completes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	block_ours();
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_want_signal(&ev, SIG_A, NULL);
	ev.sigev_value.sival_int = 42;
	run_both(_metadata, PAIO_READ, p[0], buf, 5, &ev, p[1], "hello", s);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(SIG_A, s[i].signo);
		EXPECT_EQ(SI_ASYNCIO, s[i].code);
		EXPECT_EQ(getpid(), s[i].pid);
		EXPECT_EQ(42, s[i].value.sival_int);
		EXPECT_EQ(0, s[i].err);
		EXPECT_EQ(5, s[i].ret);
	}
	close(p[0]);
	close(p[1]);
}

/* The same for aio_write with a pointer in si_value (5.6: IORING_OP_WRITE). */
TEST(signal_after_write_carries_sival_ptr_same_as_glibc)
{
	static char marker;
	char buf[512];
	struct sigevent ev;
	struct seen s[2];
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("5.6", "SIGEV_SIGNAL",
			"POSIX.1-2017 aio_write() DESCRIPTION: notification "
			"by aio_sigevent when the write completes; <signal.h> "
			"sival_ptr");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_LE(0, fd);
	block_ours();
	memset(buf, 'w', sizeof(buf));
	posix_aio_want_signal(&ev, SIG_A, &marker);
	run_both(_metadata, PAIO_WRITE, fd, buf, sizeof(buf), &ev, -1, NULL,
		 s);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(SIG_A, s[i].signo);
		EXPECT_EQ(SI_ASYNCIO, s[i].code);
		EXPECT_EQ(&marker, s[i].value.sival_ptr);
		EXPECT_EQ(0, s[i].err);
		EXPECT_EQ(512, s[i].ret);
	}
	close(fd);
}

/* aio_fsync: O_SYNC and O_DSYNC notify like a transfer; return 0 (5.6). */
TEST(signal_after_fsync_and_fdatasync_same_as_glibc)
{
	struct sigevent ev;
	struct seen s[2];
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "SIGEV_SIGNAL",
			"POSIX.1-2017 aio_fsync() DESCRIPTION: aio_sigevent "
			"notification when the synchronization completes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FSYNC);
	ASSERT_LE(0, fd);
	block_ours();
	posix_aio_want_signal(&ev, SIG_A, NULL);
	for (int kind = PAIO_SYNC; kind <= PAIO_DSYNC; kind++) {
		ev.sigev_value.sival_int = kind;
		run_both(_metadata, kind, fd, NULL, 0, &ev, -1, NULL, s);
		for (int i = 0; i < 2; i++) {
			EXPECT_EQ(SIG_A, s[i].signo);
			EXPECT_EQ(SI_ASYNCIO, s[i].code);
			EXPECT_EQ(kind, s[i].value.sival_int);
			EXPECT_EQ(0, s[i].err);
			EXPECT_EQ(0, s[i].ret);
		}
	}
	close(fd);
}

/*
 * <signal.h> SIGEV_THREAD: the function runs with sigev_value as if it
 * started a new thread; with no attributes glibc makes it detached and
 * (aio(7) implementation, glibc's notification threads) with no signal
 * blocked; aio_error is final inside it. ref does the same, and its
 * function can call back into the context (5.6).
 */
TEST(thread_notice_runs_once_detached_unblocked_same_as_glibc)
{
	char buf[100];
	struct sigevent ev;
	struct seen s[2];
	int fd = conform_temp_file(100, 0);

	CONFORM_DECLARE("5.6", "SIGEV_THREAD",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGEV_THREAD "
			"calls sigev_notify_function(sigev_value) as the start "
			"of a new thread (glibc: detached, no signal blocked)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	block_ours();
	want_thread(&ev, 7, NULL);
	run_both(_metadata, PAIO_READ, fd, buf, sizeof(buf), &ev, -1, NULL,
		 s);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(1, s[i].calls);
		EXPECT_EQ(7, s[i].value.sival_int);
		EXPECT_EQ(0, s[i].err);
		EXPECT_TRUE(s[i].other_thread);
		EXPECT_TRUE(s[i].detached);
		EXPECT_TRUE(s[i].unblocked);
		EXPECT_EQ(100, s[i].ret);
	}
	close(fd);
}

/* <signal.h>: sigev_notify_attributes are the new thread's attributes:
 * a stack size asked for is the one it gets (at least) (5.6). */
TEST(thread_notice_uses_notify_attributes_same_as_glibc)
{
	const size_t stack = 1 << 20;
	char buf[10];
	pthread_attr_t attr;
	struct sigevent ev;
	struct seen s[2];
	int fd = conform_temp_file(10, 0);

	CONFORM_DECLARE("5.6", "SIGEV_THREAD",
			"POSIX.1-2017 <signal.h> DESCRIPTION: "
			"sigev_notify_attributes are the notification "
			"thread's attributes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setdetachstate(&attr,
						 PTHREAD_CREATE_DETACHED));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, stack));
	want_thread(&ev, 3, &attr);
	run_both(_metadata, PAIO_READ, fd, buf, sizeof(buf), &ev, -1, NULL,
		 s);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(1, s[i].calls);
		EXPECT_EQ(3, s[i].value.sival_int);
		EXPECT_TRUE(s[i].detached);
		EXPECT_LE(stack, s[i].stack);
	}
	pthread_attr_destroy(&attr);
	close(fd);
}

/*
 * <signal.h> SIGEV_NONE: no notification. A SIGEV_NONE read (its
 * sigev_signo set to SIG_B all the same) and, behind it on the same pipe,
 * a SIGEV_SIGNAL read (SIG_A): once SIG_A is taken and both are done,
 * SIG_B is not pending (glibc runs one fd's requests in order, so the
 * first one's notification step is over by then; ref gives its notices
 * before a status is seen) (5.6).
 */
TEST(sigev_none_sends_nothing_same_as_glibc)
{
	char buf[2][4];
	struct sigevent none, sig;
	int p[2];

	CONFORM_DECLARE("5.6", "SIGEV_NONE",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGEV_NONE, no "
			"asynchronous notification is delivered");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	block_ours();
	ASSERT_EQ(0, conform_pipe(p));
	memset(&none, 0, sizeof(none));
	none.sigev_notify = SIGEV_NONE;
	none.sigev_signo = SIG_B;
	posix_aio_want_signal(&sig, SIG_A, NULL);

	for (int impl = 0; impl < 2; impl++) {
		struct ref_paio ctx;
		struct ref_aiocb r[2] = {
			ref_paio_case_cb(LIO_NOP, p[0], buf[0], 3, 0),
			ref_paio_case_cb(LIO_NOP, p[0], buf[1], 3, 0),
		};
		struct aiocb g[2];
		struct seen s = { 0 };

		if (impl == 0) {
			r[0].sigev = none;
			r[1].sigev = sig;
			ASSERT_EQ(0, ref_paio_init(&ctx, 4));
			ASSERT_EQ(0, ref_paio_read(&ctx, &r[0]));
			ASSERT_EQ(0, ref_paio_read(&ctx, &r[1]));
		} else {
			for (int i = 0; i < 2; i++)
				posix_aio_prep(&g[i], p[0], buf[i], 3, 0);
			g[0].aio_sigevent = none;
			g[1].aio_sigevent = sig;
			ASSERT_EQ(0, aio_read(&g[0]));
			ASSERT_EQ(0, aio_read(&g[1]));
		}
		ASSERT_EQ(6, write(p[1], "abcdef", 6));
		take_signal(&s);
		EXPECT_EQ(SIG_A, s.signo);
		if (impl == 0) {
			for (int i = 0; i < 2; i++)
				ASSERT_EQ(0, ref_paio_case_wait_done(&ctx,
								     &r[i]));
			EXPECT_FALSE(pending(SIG_B));
			ref_paio_free(&ctx);
		} else {
			for (int i = 0; i < 2; i++)
				ASSERT_EQ(0, posix_aio_wait_done(&g[i]));
			EXPECT_FALSE(pending(SIG_B));
		}
	}
	close(p[0]);
	close(p[1]);
}

/* ------------------------------------------------------------------ */
/* lio_listio                                                          */
/* ------------------------------------------------------------------ */

/*
 * One lio_listio(LIO_NOWAIT) of two file reads and a read of an empty
 * pipe, with list notification ev, through ref (impl 0) or glibc (1).
 * Before the pipe is written nothing is notified; then *s gets what came
 * (signal or function), with err the first entry's status then... and
 * done the number of entries done at that time.
 */
struct list_rig {
	int fd, p[2];
	char buf[3][16];
	struct ref_paio ctx;
	struct ref_aiocb r[3];
	struct aiocb g[3];
};

static void list_queue(struct __test_metadata *_metadata,
		       struct list_rig *rig, int impl, int mode,
		       const struct sigevent *list_ev,
		       const struct sigevent entry_ev[3])
{
	const int fds[3] = { rig->fd, rig->fd, rig->p[0] };

	if (impl == 0) {
		struct ref_aiocb *list[3];

		ASSERT_EQ(0, ref_paio_init(&rig->ctx, 8));
		for (int i = 0; i < 3; i++) {
			rig->r[i] = ref_paio_case_cb(LIO_READ, fds[i],
						     rig->buf[i], 4, i * 4);
			if (entry_ev)
				rig->r[i].sigev = entry_ev[i];
			list[i] = &rig->r[i];
		}
		ASSERT_EQ(0, ref_paio_lio_listio(&rig->ctx, mode, list, 3,
						 list_ev));
	} else {
		struct aiocb *list[3];

		for (int i = 0; i < 3; i++) {
			posix_aio_prep_lio(&rig->g[i], LIO_READ, fds[i],
					   rig->buf[i], 4, i * 4);
			if (entry_ev)
				rig->g[i].aio_sigevent = entry_ev[i];
			list[i] = &rig->g[i];
		}
		ASSERT_EQ(0, lio_listio(mode, list, 3,
					(struct sigevent *)list_ev));
	}
}

/* How many of the rig's entries are done (their status final). */
static int list_done(struct list_rig *rig, int impl)
{
	int n = 0;

	for (int i = 0; i < 3; i++)
		n += (impl == 0 ? ref_paio_error(&rig->ctx, &rig->r[i]) :
				  aio_error(&rig->g[i])) != EINPROGRESS;
	return n;
}

static void list_finish(struct __test_metadata *_metadata,
			struct list_rig *rig, int impl)
{
	for (int i = 0; i < 3; i++) {
		if (impl == 0) {
			ASSERT_EQ(0, ref_paio_case_wait_done(&rig->ctx,
							     &rig->r[i]));
		} else {
			ASSERT_EQ(0, posix_aio_wait_done(&rig->g[i]));
		}
	}
	if (impl == 0)
		ref_paio_free(&rig->ctx);
}

static void list_rig_open(struct __test_metadata *_metadata,
			  struct list_rig *rig)
{
	rig->fd = conform_temp_file(64, 0);
	ASSERT_LE(0, rig->fd);
	ASSERT_EQ(0, conform_pipe(rig->p));
}

static void list_rig_close(struct list_rig *rig)
{
	close(rig->fd);
	close(rig->p[0]);
	close(rig->p[1]);
}

/*
 * POSIX lio_listio(): with LIO_NOWAIT, sig is given once all the list's
 * requests are done: not while the pipe read waits, once after it (5.6).
 */
TEST(list_signal_comes_once_after_the_last_entry_same_as_glibc)
{
	static struct list_rig rig;
	struct sigevent ev;

	CONFORM_DECLARE("5.6", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT, "
			"sig notifies when all the I/O requests have "
			"completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	block_ours();
	list_rig_open(_metadata, &rig);
	posix_aio_want_signal(&ev, SIG_A, NULL);
	ev.sigev_value.sival_int = 9;
	for (int impl = 0; impl < 2; impl++) {
		struct seen s = { 0 };

		list_queue(_metadata, &rig, impl, LIO_NOWAIT, &ev, NULL);
		EXPECT_FALSE(pending(SIG_A));
		ASSERT_EQ(4, write(rig.p[1], "pipe", 4));
		take_signal(&s);
		EXPECT_EQ(SIG_A, s.signo);
		EXPECT_EQ(SI_ASYNCIO, s.code);
		EXPECT_EQ(9, s.value.sival_int);
		EXPECT_EQ(3, list_done(&rig, impl));
		list_finish(_metadata, &rig, impl);
		EXPECT_FALSE(pending(SIG_A));
	}
	list_rig_close(&rig);
}

/* The same with SIGEV_THREAD for the list: the function runs once (5.6). */
TEST(list_thread_notice_runs_once_after_the_last_entry_same_as_glibc)
{
	static struct list_rig rig;
	struct sigevent ev;

	CONFORM_DECLARE("5.6", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT, "
			"sig (SIGEV_THREAD) when all requests have completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	list_rig_open(_metadata, &rig);
	want_thread(&ev, 11, NULL);
	for (int impl = 0; impl < 2; impl++) {
		fn_arm(NULL, NULL, NULL);
		list_queue(_metadata, &rig, impl, LIO_NOWAIT, &ev, NULL);
		EXPECT_EQ(0, __atomic_load_n(&fn.seen.calls, __ATOMIC_SEQ_CST));
		ASSERT_EQ(4, write(rig.p[1], "pipe", 4));
		EXPECT_TRUE(fn_wait(1));
		EXPECT_EQ(11, fn.seen.value.sival_int);
		EXPECT_EQ(3, list_done(&rig, impl));
		list_finish(_metadata, &rig, impl);
		EXPECT_EQ(1, __atomic_load_n(&fn.seen.calls, __ATOMIC_SEQ_CST));
	}
	list_rig_close(&rig);
}

/*
 * lio_listio(LIO_WAIT) ignores sig (POSIX), yet each entry gives its own
 * aio_sigevent (glibc aio(7) implementation; ref follows it): three SIG_A
 * with the entries' values, and no SIG_B (5.6).
 */
TEST(wait_mode_gives_entry_notices_and_ignores_sig_same_as_glibc)
{
	static struct list_rig rig;
	struct sigevent list_ev, entry_ev[3];

	CONFORM_DECLARE("5.6", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_WAIT "
			"ignores sig (glibc: each entry's aio_sigevent still "
			"notifies)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	block_ours();
	list_rig_open(_metadata, &rig);
	posix_aio_want_signal(&list_ev, SIG_B, NULL);
	for (int i = 0; i < 3; i++) {
		posix_aio_want_signal(&entry_ev[i], SIG_A, NULL);
		entry_ev[i].sigev_value.sival_int = 1 << i;
	}
	/* The pipe read must not block a LIO_WAIT: data first. */
	for (int impl = 0; impl < 2; impl++) {
		int values = 0;

		ASSERT_EQ(4, write(rig.p[1], "pipe", 4));
		list_queue(_metadata, &rig, impl, LIO_WAIT, &list_ev,
			   entry_ev);
		for (int i = 0; i < 3; i++) {
			struct seen s = { 0 };

			take_signal(&s);
			EXPECT_EQ(SIG_A, s.signo);
			EXPECT_EQ(SI_ASYNCIO, s.code);
			values |= s.value.sival_int;
		}
		EXPECT_EQ(7, values);
		list_finish(_metadata, &rig, impl);
		EXPECT_FALSE(pending(SIG_B));
	}
	list_rig_close(&rig);
}

/* ------------------------------------------------------------------ */
/* cancel, and what ref does its own way                               */
/* ------------------------------------------------------------------ */

/*
 * POSIX aio_cancel(): "normal asynchronous notification shall occur" for a
 * cancelled request, whose status is then ECANCELED. The second of two
 * reads of an empty pipe is cancelled in both (glibc: still queued behind
 * the first, which blocks its worker; ref: armed in the kernel) (5.6).
 */
TEST(cancelled_request_notifies_with_ecanceled_same_as_glibc)
{
	char buf[2][4];
	struct sigevent ev;
	int p[2];

	CONFORM_DECLARE("5.6", "aio_cancel",
			"POSIX.1-2017 aio_cancel() DESCRIPTION: a cancelled "
			"request gets its normal asynchronous notification, "
			"error status ECANCELED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	block_ours();
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_want_signal(&ev, SIG_A, NULL);
	ev.sigev_value.sival_int = 5;
	for (int impl = 0; impl < 2; impl++) {
		struct ref_paio ctx;
		struct ref_aiocb r[2] = {
			ref_paio_case_cb(LIO_NOP, p[0], buf[0], 1, 0),
			ref_paio_case_cb(LIO_NOP, p[0], buf[1], 1, 0),
		};
		struct aiocb g[2];
		struct seen s = { 0 };
		int err;

		if (impl == 0) {
			r[1].sigev = ev;
			ASSERT_EQ(0, ref_paio_init(&ctx, 4));
			ASSERT_EQ(0, ref_paio_read(&ctx, &r[0]));
			ASSERT_EQ(0, ref_paio_read(&ctx, &r[1]));
			EXPECT_EQ(AIO_CANCELED,
				  ref_paio_cancel(&ctx, p[0], &r[1]));
		} else {
			for (int i = 0; i < 2; i++)
				posix_aio_prep(&g[i], p[0], buf[i], 1, 0);
			g[1].aio_sigevent = ev;
			ASSERT_EQ(0, aio_read(&g[0]));
			ASSERT_EQ(0, aio_read(&g[1]));
			EXPECT_EQ(AIO_CANCELED, aio_cancel(p[0], &g[1]));
		}
		take_signal(&s);
		EXPECT_EQ(SIG_A, s.signo);
		EXPECT_EQ(5, s.value.sival_int);
		err = impl == 0 ? ref_paio_error(&ctx, &r[1]) :
				  aio_error(&g[1]);
		EXPECT_EQ(ECANCELED, err);
		/* Let the first read end. */
		ASSERT_EQ(1, write(p[1], "x", 1));
		if (impl == 0) {
			ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &r[0]));
			ref_paio_free(&ctx);
		} else {
			ASSERT_EQ(0, posix_aio_wait_done(&g[0]));
		}
	}
	close(p[0]);
	close(p[1]);
}

/*
 * ref_paio_free cancels what is in progress and gives those requests'
 * notifications before it returns (ref/paio.h; POSIX aio_cancel: a
 * cancelled request notifies): the function runs, with ECANCELED (5.6).
 */
TEST(free_gives_the_notices_of_the_requests_it_cancels)
{
	char buf[4];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int p[2];

	CONFORM_DECLARE("5.6", "SIGEV_THREAD",
			"ref/paio.h ref_paio_free: cancelled requests notify; "
			"POSIX.1-2017 aio_cancel() DESCRIPTION");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	ASSERT_EQ(0, conform_pipe(p));
	cb = ref_paio_case_cb(LIO_NOP, p[0], buf, sizeof(buf), 0);
	want_thread(&cb.sigev, 13, NULL);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	fn_arm(&ctx, &cb, NULL);
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ref_paio_free(&ctx);
	EXPECT_TRUE(fn_wait(1));
	EXPECT_EQ(13, fn.seen.value.sival_int);
	EXPECT_EQ(ECANCELED, fn.seen.err);
	close(p[0]);
	close(p[1]);
}

/*
 * Checks at queueing. POSIX aio_read() ERRORS: EINVAL for aio_reqprio
 * outside 0 .. AIO_PRIO_DELTA_MAX: both refuse at once. A signal number no
 * signal has: glibc queues the request and later makes its status EINVAL
 * (the sigqueue fails); ref refuses it at once with -EINVAL (ref/paio.h),
 * nothing queued (5.6).
 */
TEST(bad_reqprio_refused_by_both_bad_signal_refused_by_ref_at_once)
{
	char rbuf[8], gbuf[8];
	struct ref_paio ctx;
	struct ref_aiocb rcb;
	struct aiocb gcb;
	int fd = conform_temp_file(8, 0);

	CONFORM_DECLARE("5.6", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL for an "
			"invalid aio_reqprio; ref/paio.h: -EINVAL for a "
			"notification it cannot give");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	rcb = ref_paio_case_cb(LIO_NOP, fd, rbuf, 8, 0);
	posix_aio_prep(&gcb, fd, gbuf, 8, 0);
	rcb.reqprio = gcb.aio_reqprio = AIO_PRIO_DELTA_MAX + 1;
	EXPECT_EQ(-EINVAL, ref_paio_read(&ctx, &rcb));
	EXPECT_EQ(-1, aio_read(&gcb));
	EXPECT_EQ(EINVAL, errno);

	rcb.reqprio = gcb.aio_reqprio = 0;
	posix_aio_want_signal(&rcb.sigev, 200, NULL);
	gcb.aio_sigevent = rcb.sigev;
	EXPECT_EQ(-EINVAL, ref_paio_read(&ctx, &rcb));
	EXPECT_EQ(-EINVAL, ref_paio_error(&ctx, &rcb));	/* never queued */
	ASSERT_EQ(0, aio_read(&gcb));
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	EXPECT_EQ(EINVAL, aio_error(&gcb));
	EXPECT_EQ(-1, aio_return(&gcb));
	ref_paio_free(&ctx);
	close(fd);
}

TEST_HARNESS_MAIN
