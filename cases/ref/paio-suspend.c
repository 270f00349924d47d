// SPDX-License-Identifier: MIT
/*
 * ref/paio-suspend: ref_paio_suspend (aio_suspend on io_uring,
 * ref/paio.c): 0 once any listed request is done (at once if one already
 * is), EAGAIN when the timeout passes first, EINTR when a signal handler
 * runs, NULL entries ignored; each as glibc's aio_suspend does
 * (posix-aio/suspend).
 * Pending requests are reads on empty pipes; timeouts are bounds only
 * (20 ms where the wait must time out, REF_CASE_BOUND_S where it must not).
 * Sources: POSIX.1-2017 XSH aio_suspend; aio_suspend(3); ref/paio.h.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#include "conform_ref_paio.h"

static const struct timespec brief = { 0, 20 * 1000 * 1000 };
static const struct timespec bound = { REF_CASE_BOUND_S, 0 };

/* POSIX aio_suspend: returns 0 once a listed request has completed; no
 * timeout needed. A file read: done, with its count (5.6). */
TEST(returns_zero_when_listed_request_completes)
{
	unsigned char buf[1024];
	const struct ref_aiocb *list[1];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	ssize_t v = 0;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend(): returns 0 once a listed request "
			"completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 2048);
	list[0] = &cb;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_suspend(&ctx, list, 1, NULL));
	EXPECT_EQ(0, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(1024, v);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2048));
	ref_paio_free(&ctx);
	close(fd);
}

/* POSIX aio_suspend: a completed request makes it return "without
 * suspending": even a zero timeout gives 0 (5.6). */
TEST(completed_request_returns_at_once_with_zero_timeout)
{
	const struct timespec zero = { 0, 0 };
	unsigned char buf[512];
	const struct ref_aiocb *list[1];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend(): returns without suspending when "
			"one completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, fd, buf, sizeof(buf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_suspend(&ctx, list, 1, &zero));
	ref_paio_free(&ctx);
	close(fd);
}

/* POSIX aio_suspend ERRORS: EAGAIN when nothing listed completed within
 * timeout; the read stays EINPROGRESS. glibc gives -1/EAGAIN (5.6). */
TEST(timeout_on_pending_request_gets_eagain)
{
	unsigned char buf[16], gbuf[16];
	const struct ref_aiocb *list[1];
	const struct aiocb *glist[1];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	struct aiocb gcb;
	int p[2], gp[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend() EAGAIN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(gp));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EAGAIN, ref_paio_suspend(&ctx, list, 1, &brief));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cb));

	posix_aio_prep(&gcb, gp[0], gbuf, sizeof(gbuf), 0);
	glist[0] = &gcb;
	ASSERT_EQ(0, aio_read(&gcb));
	errno = 0;
	EXPECT_EQ(-1, aio_suspend(glist, 1, &brief));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(16, write(gp[1], gbuf, sizeof(gbuf)));
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
	close(gp[0]);
	close(gp[1]);
}

/* POSIX aio_suspend: NULL entries "are ignored": around a pending read
 * they neither count as done nor fail the call (5.6). */
TEST(null_entries_are_ignored)
{
	unsigned char buf[16];
	const struct ref_aiocb *list[3];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend(): NULL entries are ignored");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	list[0] = NULL;
	list[1] = &cb;
	list[2] = NULL;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	EXPECT_EQ(-EAGAIN, ref_paio_suspend(&ctx, list, 3, &brief));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

/* ref/paio.h: a list of NULLs only (or none) waits for nothing and returns
 * 0 at once, as glibc's aio_suspend does (glibc 2.36) (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(list_of_only_nulls_returns_zero_like_glibc)
{
	const struct ref_aiocb *list[2] = { NULL, NULL };
	const struct aiocb *glist[2] = { NULL, NULL };
	struct ref_paio ctx;

	CONFORM_DECLARE("5.1", "aio_suspend",
			"ref/paio.h; glibc aio_suspend() with only NULLs "
			"returns 0 (glibc/POSIX behaviour)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	EXPECT_EQ(0, ref_paio_suspend(&ctx, list, 2, &brief));
	EXPECT_EQ(0, ref_paio_suspend(&ctx, list, 0, &brief));
	EXPECT_EQ(0, aio_suspend(glist, 2, &brief));
	EXPECT_EQ(-EINVAL, ref_paio_suspend(&ctx, list, -1, &brief));
	ref_paio_free(&ctx);
}

/* POSIX aio_suspend: "at least one" done is enough: a finished file read
 * ends the wait while a pipe read is still pending (5.6). */
TEST(returns_when_any_one_of_several_completed)
{
	unsigned char pbuf[16], fbuf[512];
	const struct ref_aiocb *list[2];
	struct ref_paio ctx;
	struct ref_aiocb pcb, fcb;
	ssize_t v = 0;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend(): at least one completed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	pcb = ref_paio_case_cb(LIO_READ, p[0], pbuf, sizeof(pbuf), 0);
	fcb = ref_paio_case_cb(LIO_READ, fd, fbuf, sizeof(fbuf), 0);
	list[0] = &pcb;
	list[1] = &fcb;
	ASSERT_EQ(0, ref_paio_read(&ctx, &pcb));
	ASSERT_EQ(0, ref_paio_read(&ctx, &fcb));
	EXPECT_EQ(0, ref_paio_suspend(&ctx, list, 2, &bound));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &pcb));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &fcb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &fcb, &v));
	EXPECT_EQ(512, v);
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * A thread that waits until the main thread sleeps in ppoll (ref's wait),
 * then wakes it: with SIGUSR1 if signal is set, else by writing 16 bytes
 * to wfd. When the main thread is not seen asleep it writes in any case:
 * that ends every wait, and the test then skips.
 */
struct waker {
	pid_t tid;		/* the main thread */
	pthread_t main;
	int wfd;
	bool signal;
	int seen;		/* conform_wait_blocked_in's answer; -2 no write */
};

static void *waker_run(void *arg)
{
	struct waker *w = arg;

	w->seen = conform_wait_blocked_in(w->tid, SYS_ppoll);
	if (w->signal && w->seen == 1)
		pthread_kill(w->main, SIGUSR1);
	else if (write(w->wfd, "0123456789abcdef", 16) != 16)
		w->seen = -2;
	return NULL;
}

/*
 * POSIX aio_suspend: a thread suspended on a pending request resumes with
 * 0 when it completes. Another thread feeds the pipe once this one is seen
 * asleep in ref's wait (5.6).
 */
TEST(pending_request_completion_ends_the_wait)
{
	unsigned char buf[16];
	const struct ref_aiocb *list[1];
	struct ref_paio ctx;
	struct ref_aiocb cb;
	struct waker w;
	pthread_t tid;
	ssize_t v = 0;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend(): resumes when a request "
			"completes");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	w = (struct waker){ .tid = gettid(), .main = pthread_self(), .wfd = p[1] };
	ASSERT_EQ(0, pthread_create(&tid, NULL, waker_run, &w));
	EXPECT_EQ(0, ref_paio_suspend(&ctx, list, 1, &bound));
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_NE(-2, w.seen);
	EXPECT_EQ(0, ref_paio_error(&ctx, &cb));
	EXPECT_EQ(0, ref_paio_return(&ctx, &cb, &v));
	EXPECT_EQ(16, v);
	EXPECT_EQ(0, memcmp(buf, "0123456789abcdef", 16));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
	if (w.seen != 1)
		SKIP(return, CONFORM_UNSEEN "the main thread was not seen asleep in ppoll "
		     "(/proc/self/task/<tid>/syscall unreadable): the wake-up "
		     "may have come before the wait");
}

/*
 * POSIX aio_suspend ERRORS: EINTR, "A signal interrupted the aio_suspend()
 * function". A SIGUSR1 (handler without SA_RESTART) sent once the caller
 * sleeps in ref's wait ends it with -EINTR; the read stays EINPROGRESS
 * (5.6).
 */
TEST(signal_ends_the_wait_with_eintr)
{
	unsigned char buf[16];
	const struct ref_aiocb *list[1];
	struct sigaction sa;
	struct ref_paio ctx;
	struct ref_aiocb cb;
	struct waker w;
	pthread_t tid;
	int p[2], ret;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_suspend() EINTR");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	cb = ref_paio_case_cb(LIO_READ, p[0], buf, sizeof(buf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, ref_paio_read(&ctx, &cb));
	w = (struct waker){ .tid = gettid(), .main = pthread_self(),
			    .wfd = p[1], .signal = true };
	ASSERT_EQ(0, pthread_create(&tid, NULL, waker_run, &w));
	/* No timeout: only the waker ends this wait. */
	ret = ref_paio_suspend(&ctx, list, 1, NULL);
	ASSERT_EQ(0, pthread_join(tid, NULL));
	if (w.seen != 1) {
		ref_paio_free(&ctx);
		close(p[0]);
		close(p[1]);
		SKIP(return, CONFORM_UNSEEN "the main thread was not seen asleep in ppoll "
		     "(/proc/self/task/<tid>/syscall unreadable)");
	}
	EXPECT_EQ(-EINTR, ret);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &cb));
	ref_paio_free(&ctx);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
