// SPDX-License-Identifier: MIT
/*
 * posix-aio/suspend: aio_suspend returns once any listed request has
 * completed, at once if one already has, fails with EAGAIN when its timeout
 * passes first, and ignores NULL list entries.
 * Sources: POSIX.1-2017 XSH aio_suspend; aio_suspend(3).
 *
 * A request that cannot complete is an aio_read on an empty pipe; each test
 * writes to the pipe at the end and waits, so no worker stays blocked.
 * Timeouts are only bounds: 20 ms where the wait must time out, 5 s where it
 * must not.
 *
 * First kernel: glibc's aio_suspend waits on a futex that its worker
 * threads wake: since is
 * 2.6.0 in every declaration (nothing newer is asked of the kernel); a
 * static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>

#include "conform_posix_aio.h"

/* Complete a pipe read of len bytes and wait for it. 0 or -1. */
static int finish_pipe_read(int wfd, struct aiocb *cb, size_t len)
{
	char zero[64] = { 0 };

	if (len > sizeof(zero) || write(wfd, zero, len) != (ssize_t)len)
		return -1;
	return posix_aio_wait_done(cb);
}

/* Make a pipe and start an aio_read of len bytes into buf from its empty read end. */
static void start_read_of_empty_pipe(struct __test_metadata *_metadata,
				     int p[2], struct aiocb *cb, void *buf,
				     size_t len)
{
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(cb, p[0], buf, len, 0);
	ASSERT_EQ(0, aio_read(cb));
}

/* aio_suspend(list, n) with a 20 ms timeout must fail with EAGAIN. */
static void expect_suspend_times_out(struct __test_metadata *_metadata,
				     const struct aiocb *const list[], int n)
{
	const struct timespec limit = { 0, 20 * 1000 * 1000 };

	errno = 0;
	EXPECT_EQ(-1, aio_suspend(list, n, &limit));
	EXPECT_EQ(EAGAIN, errno);
}

/*
 * POSIX.1-2017 aio_suspend() RETURN VALUE: 0 when it returns after one or
 * more listed operations have completed; the request is then no longer
 * EINPROGRESS (here a file read with its full count). No timeout: the call
 * must not need one.
 * First kernel: 2.6.0 (glibc worker threads, futex wait).
 */
TEST(returns_zero_when_listed_request_completes)
{
	unsigned char buf[1024];
	const struct aiocb *list[1];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() RETURN VALUE: 0 when it "
			"returns after a listed operation has completed, "
			"which is then no longer EINPROGRESS");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 2048);
	list[0] = &cb;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, aio_suspend(list, 1, NULL));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(1024, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2048));
	close(fd);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: if a listed control block belongs
 * to an operation already completed at the time of the call, the function
 * returns without suspending the thread: even a zero timeout gives 0.
 * First kernel: 2.6.0 (glibc worker threads, futex wait).
 */
TEST(completed_request_returns_at_once_with_zero_timeout)
{
	unsigned char buf[512];
	const struct aiocb *list[1];
	const struct timespec zero = { 0, 0 };
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: a listed "
			"operation already complete at the time of the call "
			"makes it return without suspending, even with a "
			"zero timeout");
	ASSERT_LE(0, fd);
	posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_suspend(list, 1, &zero));
	EXPECT_EQ(512, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_suspend() ERRORS: EAGAIN when no listed I/O completed in
 * the interval the timeout gives (20 ms here); the request stays
 * EINPROGRESS.
 * First kernel: 2.6.0 (glibc worker threads, futex wait).
 */
TEST(timeout_on_pending_request_gets_eagain)
{
	unsigned char buf[16];
	const struct aiocb *list[1];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() ERRORS: EAGAIN when no "
			"listed operation completed within the timeout; the "
			"request stays EINPROGRESS");
	start_read_of_empty_pipe(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	expect_suspend_times_out(_metadata, list, 1);
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(0, finish_pipe_read(p[1], &cb, sizeof(buf)));
	EXPECT_EQ(16, aio_return(&cb));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: the list may contain null
 * pointers, which are ignored (aio_suspend(3) the same). NULLs around a
 * pending request neither count as completed nor fail the call: the wait
 * times out with EAGAIN.
 * First kernel: 2.6.0 (glibc worker threads, futex wait).
 */
TEST(null_entries_are_ignored)
{
	unsigned char buf[16];
	const struct aiocb *list[3];
	struct aiocb cb;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: null "
			"pointers in list are ignored, so a wait on a "
			"pending request among them runs out with EAGAIN");
	start_read_of_empty_pipe(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = NULL;
	list[1] = &cb;
	list[2] = NULL;
	expect_suspend_times_out(_metadata, list, 3);
	ASSERT_EQ(0, finish_pipe_read(p[1], &cb, sizeof(buf)));
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: it waits until at least one of
 * the listed operations has completed, so one finished entry is enough even
 * when the other is still pending.
 * First kernel: 2.6.0 (glibc worker threads, futex wait).
 */
TEST(returns_when_any_one_of_several_completed)
{
	unsigned char pbuf[16], fbuf[512];
	const struct aiocb *list[2];
	const struct timespec limit = { 5, 0 };
	struct aiocb pcb, fcb;
	int p[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: it waits "
			"until at least one listed operation has completed, "
			"so one finished entry is enough while another is "
			"pending");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	posix_aio_prep(&pcb, p[0], pbuf, sizeof(pbuf), 0);
	posix_aio_prep(&fcb, fd, fbuf, sizeof(fbuf), 0);
	list[0] = &pcb;
	list[1] = &fcb;
	ASSERT_EQ(0, aio_read(&pcb));
	ASSERT_EQ(0, aio_read(&fcb));
	EXPECT_EQ(0, aio_suspend(list, 2, &limit));
	EXPECT_EQ(EINPROGRESS, aio_error(&pcb));
	ASSERT_EQ(0, posix_aio_wait_done(&fcb));
	EXPECT_EQ(512, aio_return(&fcb));
	ASSERT_EQ(0, finish_pipe_read(p[1], &pcb, sizeof(pbuf)));
	close(p[0]);
	close(p[1]);
	close(fd);
}

struct writer_arg {
	int fd;
	unsigned char data[16];
};

static void *writer(void *arg)
{
	struct writer_arg *w = arg;

	if (write(w->fd, w->data, sizeof(w->data)) != sizeof(w->data))
		return (void *)1;
	return NULL;
}

/*
 * POSIX.1-2017 aio_suspend() DESCRIPTION: the calling thread is suspended
 * until at least one listed operation has completed; RETURN VALUE: then 0.
 * Another thread feeds the pipe the read waits on; the wait ends with 0 and
 * the read has its data.
 * First kernel: 2.6.0 (glibc worker threads, futex wait).
 */
TEST(pending_request_completion_ends_the_wait)
{
	unsigned char buf[16];
	const struct aiocb *list[1];
	const struct timespec limit = { 5, 0 };
	struct writer_arg w;
	struct aiocb cb;
	pthread_t tid;
	void *wret = (void *)1;
	int p[2];

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: the calling "
			"thread is suspended until a listed operation "
			"completes, then returns 0");
	start_read_of_empty_pipe(_metadata, p, &cb, buf, sizeof(buf));
	list[0] = &cb;
	w.fd = p[1];
	conform_fill_pattern(w.data, sizeof(w.data), 0);
	ASSERT_EQ(0, pthread_create(&tid, NULL, writer, &w));
	EXPECT_EQ(0, aio_suspend(list, 1, &limit));
	ASSERT_EQ(0, pthread_join(tid, &wret));
	ASSERT_EQ(NULL, wret);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(16, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
