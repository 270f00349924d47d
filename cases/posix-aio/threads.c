// SPDX-License-Identifier: MIT
/*
 * posix-aio/threads: POSIX asynchronous I/O used from several threads of a
 * process, beyond posix-aio/error-threads (status seen from other threads,
 * requests of exited threads) and suspend-threads: requests queued by many
 * threads at once all complete with their own data; a thread canceled
 * while it waits in aio_suspend leaves the request to complete;
 * SIGEV_THREAD functions run once per request, a function may queue the
 * next request (a chain runs to its end), and a function that blocks does
 * not hold back the next request's function.
 * Sources: POSIX.1-2017 XSH aio_write() DESCRIPTION (each request writes
 * at its aio_offset), aio_suspend() DESCRIPTION, <signal.h> DESCRIPTION
 * (SIGEV_THREAD: the function is called as the start routine of a new
 * thread, with sigev_value), XSH 2.9.1 Thread-Safety (no aio function is
 * listed as unsafe), 2.9.5.2 Cancellation Points (aio_suspend() is one);
 * sigevent(7).
 *
 * Threads start together at a barrier; pending requests read empty pipes;
 * SIGEV_THREAD functions report through pipes read with a 5 s poll bound
 * (200 ms to see that nothing more comes).
 *
 * First kernel: glibc runs POSIX AIO and SIGEV_THREAD functions in its
 * own threads (pread, pwrite, read, pthread_create): since is 2.6.0 in
 * every declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <stdatomic.h>

#include "conform_posix_aio.h"

/* How many threads queue at once, and how many writes each queues. */
#define NR_QUEUERS 8
#define PER_QUEUER 8
#define CHUNK 512

/* One queuing thread's share of the file. */
struct queuer {
	pthread_barrier_t *start;
	int fd;
	int index;
	int failures;	/* requests that did not end with CHUNK bytes */
};

static void *queue_writes(void *arg)
{
	struct queuer *q = arg;
	static __thread unsigned char bufs[PER_QUEUER][CHUNK];
	struct aiocb cbs[PER_QUEUER];

	pthread_barrier_wait(q->start);
	for (int i = 0; i < PER_QUEUER; i++) {
		off_t off = (off_t)(q->index * PER_QUEUER + i) * CHUNK;

		conform_fill_pattern(bufs[i], CHUNK, off);
		posix_aio_prep(&cbs[i], q->fd, bufs[i], CHUNK, off);
		if (aio_write(&cbs[i]) != 0)
			cbs[i].aio_fildes = -1;
	}
	for (int i = 0; i < PER_QUEUER; i++)
		if (cbs[i].aio_fildes < 0 || posix_aio_wait_done(&cbs[i]) < 0 ||
		    aio_error(&cbs[i]) != 0 || aio_return(&cbs[i]) != CHUNK)
			q->failures++;
	return NULL;
}

/*
 * POSIX aio_write() DESCRIPTION: each request writes its aio_nbytes at its
 * own aio_offset; XSH 2.9.1: the aio functions are thread-safe. Eight
 * threads released together each queue eight 512-byte writes to their own
 * offsets of one file and wait for them: every write completes with 512,
 * and the file then holds the pattern everywhere.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(writes_queued_by_many_threads_at_once_all_land)
{
	struct queuer q[NR_QUEUERS];
	pthread_t tids[NR_QUEUERS];
	static unsigned char back[NR_QUEUERS * PER_QUEUER * CHUNK];
	pthread_barrier_t start;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: each request "
			"writes its data at its aio_offset, also when many "
			"threads queue at once (XSH 2.9.1: aio functions are "
			"thread-safe)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, NR_QUEUERS));
	for (int i = 0; i < NR_QUEUERS; i++) {
		q[i] = (struct queuer){ .start = &start, .fd = fd, .index = i };
		ASSERT_EQ(0, pthread_create(&tids[i], NULL, queue_writes, &q[i]));
	}
	for (int i = 0; i < NR_QUEUERS; i++) {
		ASSERT_EQ(0, pthread_join(tids[i], NULL));
		EXPECT_EQ(0, q[i].failures);
	}
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	pthread_barrier_destroy(&start);
	close(fd);
}

/* A thread that waits in aio_suspend (5 s bound) on one request; it
 * tells its tid first, and marks when aio_suspend returned. */
struct waiter {
	const struct aiocb *cb;
	int tid_fd;
	volatile int returned;
};

static void *wait_in_suspend(void *arg)
{
	struct waiter *w = arg;
	const struct aiocb *list[1] = { w->cb };
	const struct timespec limit = { 5, 0 };
	pid_t tid = gettid();

	if (write(w->tid_fd, &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	aio_suspend(list, 1, &limit);
	w->returned = 1;
	return NULL;
}

/*
 * POSIX aio_suspend() DESCRIPTION: it suspends the calling thread until a
 * listed request completes; XSH 2.9.5.2 makes aio_suspend() a cancellation
 * point. A thread asleep in aio_suspend on a read of an empty pipe (seen
 * asleep in futex(2)) is canceled: it ends there (PTHREAD_CANCELED, never
 * back from the call); the read is untouched - still in progress - and
 * completes with its data, found by the test thread's own aio_suspend.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on futex in threads).
 */
TEST(thread_canceled_in_aio_suspend_leaves_the_request_to_complete)
{
	const struct aiocb *list[1];
	const struct timespec brief = { 0, 50 * 1000 * 1000 };
	struct waiter w = { .returned = 0 };
	int p[2], t[2], seen;
	struct aiocb cb;
	void *retval = NULL;
	pid_t tid = 0;
	char buf[8];
	pthread_t th;

	CONFORM_DECLARE("2.6.0", "aio_suspend",
			"POSIX.1-2017 aio_suspend() DESCRIPTION: it suspends "
			"the calling thread, a cancellation point (XSH 2.9.5.2); "
			"canceling it there leaves the request to complete");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(t));
	posix_aio_prep(&cb, p[0], buf, sizeof(buf), 0);
	list[0] = &cb;
	ASSERT_EQ(0, aio_read(&cb));
	w.cb = &cb;
	w.tid_fd = t[1];
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_in_suspend, &w));
	ASSERT_TRUE(conform_fd_readable(t[0], 5000));
	ASSERT_EQ((ssize_t)sizeof(tid), read(t[0], &tid, sizeof(tid)));
	seen = conform_wait_blocked_in(tid, SYS_futex);
	if (seen != 1) {
		ASSERT_EQ(3, write(p[1], "end", 3));
		ASSERT_EQ(0, pthread_join(th, NULL));
		ASSERT_EQ(0, posix_aio_wait_done(&cb));
		SKIP(return, "%s", seen < 0 ?
		     CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the waiter block" :
		     CONFORM_UNSEEN "the waiting thread was not seen asleep in futex(2) within 5 s");
	}
	ASSERT_EQ(0, pthread_cancel(th));
	ASSERT_EQ(0, pthread_join(th, &retval));
	EXPECT_EQ(PTHREAD_CANCELED, retval);
	EXPECT_EQ(0, w.returned);
	EXPECT_EQ(-1, aio_suspend(list, 1, &brief));
	EXPECT_EQ(EINPROGRESS, aio_error(&cb));
	ASSERT_EQ(3, write(p[1], "end", 3));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(3, aio_return(&cb));
	EXPECT_EQ(0, memcmp(buf, "end", 3));
	close(p[0]);
	close(p[1]);
	close(t[0]);
	close(t[1]);
}

/* The SIGEV_THREAD chain: CHAIN_LEN writes, each queued by the function
 * of the one before; the last function reports on chain_done_fd. */
#define CHAIN_LEN 8
static struct aiocb chain_cbs[CHAIN_LEN];
static unsigned char chain_bufs[CHAIN_LEN][256];
static int chain_done_fd = -1;
static atomic_int chain_bad;

static void chain_next(union sigval value)
{
	int i = value.sival_int;
	char c = 'd';

	/* This request has completed: its function runs after that. */
	if (aio_error(&chain_cbs[i]) != 0 || aio_return(&chain_cbs[i]) != 256)
		atomic_fetch_add(&chain_bad, 1);
	if (i + 1 < CHAIN_LEN) {
		if (aio_write(&chain_cbs[i + 1]) != 0) {
			atomic_fetch_add(&chain_bad, 1);
			c = 'f';
		} else {
			return;
		}
	}
	if (write(chain_done_fd, &c, 1) != 1)
		atomic_fetch_add(&chain_bad, 1);
}

/*
 * <signal.h> DESCRIPTION, SIGEV_THREAD: the function runs as the start
 * routine of a new thread with sigev_value; aio_write() DESCRIPTION: any
 * thread may queue a request - a notification function too. Eight writes
 * of 256 bytes, each queued by the function of the write before it (its
 * value the index): the chain runs to its end, each function finding its
 * own write complete, and the file holds all eight in order.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(sigev_thread_function_queues_the_next_request_chain_completes)
{
	static unsigned char back[CHAIN_LEN * 256];
	int p[2], fd = conform_temp_file(0, 0);
	char c = 0;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGEV_THREAD "
			"calls the function with sigev_value in a new thread; "
			"aio_write() DESCRIPTION: a request queued from it runs");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	chain_done_fd = p[1];
	atomic_store(&chain_bad, 0);
	for (int i = 0; i < CHAIN_LEN; i++) {
		conform_fill_pattern(chain_bufs[i], 256, (off_t)i * 256);
		posix_aio_prep(&chain_cbs[i], fd, chain_bufs[i], 256,
			       (off_t)i * 256);
		chain_cbs[i].aio_sigevent.sigev_notify = SIGEV_THREAD;
		chain_cbs[i].aio_sigevent.sigev_notify_function = chain_next;
		chain_cbs[i].aio_sigevent.sigev_value.sival_int = i;
	}
	ASSERT_EQ(0, aio_write(&chain_cbs[0]));
	ASSERT_TRUE(conform_fd_readable(p[0], 5000));
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ('d', c);
	EXPECT_EQ(0, atomic_load(&chain_bad));
	for (int i = 0; i < CHAIN_LEN; i++)
		EXPECT_EQ(0, aio_error(&chain_cbs[i]));
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* The many-callbacks TEST: how often each function ran, and a pipe that
 * gets one byte per run. */
#define NR_CALLBACKS 32
static atomic_int runs[NR_CALLBACKS];
static int runs_fd = -1;

static void count_run(union sigval value)
{
	int i = value.sival_int;

	if (i >= 0 && i < NR_CALLBACKS)
		atomic_fetch_add(&runs[i], 1);
	if (write(runs_fd, "r", 1) != 1)
		abort();
}

/*
 * <signal.h> DESCRIPTION, SIGEV_THREAD: the function is called on
 * completion with the request's sigev_value. Thirty-two reads of one file,
 * each with SIGEV_THREAD and its index as value, queued at once: thirty-two
 * runs come, each index once, and no further run within 200 ms.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(functions_of_many_requests_each_run_once)
{
	static struct aiocb cbs[NR_CALLBACKS];
	static char bufs[NR_CALLBACKS][64];
	int p[2], got = 0, fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: SIGEV_THREAD "
			"calls the function, once per completed request, with "
			"that request's sigev_value");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	runs_fd = p[1];
	for (int i = 0; i < NR_CALLBACKS; i++) {
		atomic_store(&runs[i], 0);
		posix_aio_prep(&cbs[i], fd, bufs[i], 64, (off_t)i * 64);
		cbs[i].aio_sigevent.sigev_notify = SIGEV_THREAD;
		cbs[i].aio_sigevent.sigev_notify_function = count_run;
		cbs[i].aio_sigevent.sigev_value.sival_int = i;
	}
	for (int i = 0; i < NR_CALLBACKS; i++)
		ASSERT_EQ(0, aio_read(&cbs[i]));
	while (got < NR_CALLBACKS) {
		char drain[NR_CALLBACKS];
		ssize_t n;

		ASSERT_TRUE(conform_fd_readable(p[0], 5000));
		n = read(p[0], drain, NR_CALLBACKS - got);
		ASSERT_LT(0, n);
		got += n;
	}
	EXPECT_FALSE(conform_fd_readable(p[0], 200));
	for (int i = 0; i < NR_CALLBACKS; i++) {
		EXPECT_EQ(1, atomic_load(&runs[i]));
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(64, aio_return(&cbs[i]));
		EXPECT_TRUE(conform_check_pattern(bufs[i], 64, (off_t)i * 64));
	}
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* The blocking-function TEST: the first function waits on block_fd until
 * the second has reported on seen_fd. */
static int block_fd = -1, seen_fd = -1;

static void block_or_report(union sigval value)
{
	char c;

	if (value.sival_int == 0) {
		c = 'B';
		if (write(seen_fd, &c, 1) != 1)
			abort();
		/* Bounded: poll, never a bare read that could hang. */
		if (conform_fd_readable(block_fd, 5000) &&
		    read(block_fd, &c, 1) == 1)
			c = 'F';
		else
			c = 'T';
	} else {
		c = 'S';
	}
	if (write(seen_fd, &c, 1) != 1)
		abort();
}

/*
 * <signal.h> DESCRIPTION, SIGEV_THREAD: each notification calls the
 * function "as if it were the start routine of a newly created thread"
 * (sigevent(7)), so one function that blocks does not hold back another
 * request's. The first read's function says 'B' and then waits for a
 * byte on a pipe that only the test thread writes, after the second read
 * (queued once 'B' came) has had its function run: that one reports 'S',
 * then the first reports 'F' (not 'T', its 5 s timeout).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: pthread_create per function).
 */
TEST(blocked_function_does_not_hold_back_the_next_one)
{
	int blk[2], seen[2], fd = conform_temp_file(4096, 0);
	struct aiocb first, second;
	char b1[16], b2[16], c = 0;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 <signal.h> DESCRIPTION: each SIGEV_THREAD "
			"notification runs the function as a new thread's "
			"start routine: a blocked one holds back no other");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(blk));
	ASSERT_EQ(0, conform_pipe(seen));
	block_fd = blk[0];
	seen_fd = seen[1];
	posix_aio_prep(&first, fd, b1, sizeof(b1), 0);
	first.aio_sigevent.sigev_notify = SIGEV_THREAD;
	first.aio_sigevent.sigev_notify_function = block_or_report;
	first.aio_sigevent.sigev_value.sival_int = 0;
	second = first;
	second.aio_buf = b2;
	second.aio_sigevent.sigev_value.sival_int = 1;
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_TRUE(conform_fd_readable(seen[0], 5000));
	ASSERT_EQ(1, read(seen[0], &c, 1));
	ASSERT_EQ('B', c);
	ASSERT_EQ(0, aio_read(&second));
	ASSERT_TRUE(conform_fd_readable(seen[0], 5000));
	ASSERT_EQ(1, read(seen[0], &c, 1));
	EXPECT_EQ('S', c);
	ASSERT_EQ(1, write(blk[1], "b", 1));
	ASSERT_TRUE(conform_fd_readable(seen[0], 6000));
	ASSERT_EQ(1, read(seen[0], &c, 1));
	EXPECT_EQ('F', c);
	ASSERT_EQ(0, posix_aio_wait_done(&second));
	close(blk[0]);
	close(blk[1]);
	close(seen[0]);
	close(seen[1]);
	close(fd);
}

TEST_HARNESS_MAIN
