// SPDX-License-Identifier: MIT
/*
 * aio/destroy-inflight: io_destroy(2) of a context with requests still in
 * flight, through the raw system calls and <linux/aio_abi.h>. io_destroy
 * "will attempt to cancel all outstanding asynchronous I/O operations ...,
 * will block on the completion of all operations that could not be
 * canceled, and will destroy the ctx_id": an IOCB_CMD_POLL (4.19) is
 * cancelled, and its completion still signals its IOCB_FLAG_RESFD eventfd
 * before io_destroy returns, after which the pipe no longer has a waiter
 * from it; a read of a pipe, which Linux performs inside io_submit (a
 * pipe's read_iter blocks in the submitting thread: it is accepted, not
 * refused with EINVAL), keeps a concurrent io_destroy waiting until the
 * pipe is written; an O_DIRECT read (of the guest's NVMe namespace, or of
 * a file in TMPDIR) has filled its buffer and signalled its eventfd when
 * io_destroy returns. A destroyed context is gone for io_getevents.
 * Sources: io_destroy(2), io_getevents(2) EINVAL, io_submit(2)
 * IOCB_FLAG_RESFD, fs/aio.c (kill_ioctx(), free_ioctx_users(): cancel,
 * then wait for ctx->reqs), kernel commits bfe4037e722e "aio: implement
 * IOCB_CMD_POLL" (4.19) and e02ba72aabfa "aio: block io_destroy() until
 * all context requests are completed" (3.15: from 3.11 to 3.14 it did not
 * wait).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_aio.h"

/* This program's region of the namespace: MiB 10 to 11 (other cases use
 * the first and the last MiB). */
#define NVME_OFFSET (10LL << 20)
#define DIRECT_LEN 65536

/* The eventfd's counter, read without blocking: -1 if it is 0. */
static long long eventfd_count(int efd)
{
	uint64_t v = 0;

	return read(efd, &v, sizeof(v)) == sizeof(v) ? (long long)v : -1;
}

/* A nonblocking eventfd and a POLLIN poll of an empty pipe that signals it
 * (IOCB_FLAG_RESFD), submitted on a new context *ctx. */
static void submit_poll_with_resfd(struct __test_metadata *_metadata,
				   aio_context_t *ctx, struct iocb *cb,
				   int p[2], int *efd)
{
	struct iocb *list[1] = { cb };

	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, *efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	*ctx = 0;
	ASSERT_EQ(0, aio_sys_setup(4, ctx));
	aio_prep_poll(cb, p[0], POLLIN);
	cb->aio_flags = IOCB_FLAG_RESFD;
	cb->aio_resfd = (__u32)*efd;
	ASSERT_EQ(1, aio_sys_submit(*ctx, 1, list));
	/* Still pending: nothing signalled yet. */
	ASSERT_EQ(-1, eventfd_count(*efd));
}

/*
 * io_destroy(2): outstanding operations are cancelled; fs/aio.c
 * free_ioctx_users() cancels the pending IOCB_CMD_POLL, whose completion
 * (res 0) goes through aio_complete(), which signals the IOCB_FLAG_RESFD
 * eventfd, and io_destroy returns 0 only after the request is freed: the
 * eventfd holds 1 when io_destroy returns (since 4.19, IOCB_CMD_POLL).
 */
TEST(destroy_cancels_pending_poll_and_signals_its_eventfd)
{
	aio_context_t ctx;
	struct iocb cb;
	int p[2], efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_destroy(2): cancels outstanding operations, blocks until done; io_submit(2) IOCB_FLAG_RESFD; fs/aio.c free_ioctx_users() and aio_complete(); commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	submit_poll_with_resfd(_metadata, &ctx, &cb, p, &efd);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	EXPECT_EQ(1, eventfd_count(efd));
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * io_destroy(2) destroys the context with its requests: the cancelled
 * poll is off the pipe's wait queue (fs/aio.c aio_poll_cancel() and
 * aio_poll_complete_work() remove the waiter), so a later write to the
 * pipe completes nothing: the eventfd gets no second signal, and the byte
 * stays in the pipe for its reader (since 4.19).
 */
TEST(pipe_write_after_destroy_wakes_no_cancelled_poll)
{
	aio_context_t ctx;
	struct iocb cb;
	char byte = 0;
	int p[2], efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_destroy(2); fs/aio.c aio_poll_cancel()/aio_poll_complete_work() remove the poll's wait queue entry; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	submit_poll_with_resfd(_metadata, &ctx, &cb, p, &efd);
	ASSERT_EQ(0, aio_sys_destroy(ctx));
	ASSERT_EQ(1, eventfd_count(efd));
	ASSERT_EQ(1, write(p[1], "w", 1));
	EXPECT_EQ(-1, eventfd_count(efd));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	EXPECT_EQ(1, read(p[0], &byte, 1));
	EXPECT_EQ('w', byte);
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * io_getevents(2) EINVAL "ctx_id is invalid": after io_destroy the
 * context is gone with what its ring held, the completion of the poll it
 * cancelled included; io_getevents and io_cancel of that poll get EINVAL
 * (since 4.19, IOCB_CMD_POLL).
 */
TEST(destroyed_ctx_with_cancelled_poll_gets_einval)
{
	struct timespec zero = { 0, 0 };
	struct io_event ev, result;
	aio_context_t ctx;
	struct iocb cb;
	int p[2], efd, err_get, err_cancel;
	long got, cancelled;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_getevents(2) and io_cancel(2) EINVAL: ctx_id is invalid; io_destroy(2); commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	submit_poll_with_resfd(_metadata, &ctx, &cb, p, &efd);
	ASSERT_EQ(0, aio_sys_destroy(ctx));
	errno = 0;
	got = aio_sys_getevents(ctx, 0, 1, &ev, &zero);
	err_get = errno;
	errno = 0;
	cancelled = aio_sys_cancel(ctx, &cb, &result);
	err_cancel = errno;
	EXPECT_EQ(-1, got);
	EXPECT_EQ(EINVAL, err_get);
	EXPECT_EQ(-1, cancelled);
	EXPECT_EQ(EINVAL, err_cancel);
	close(efd);
	close(p[0]);
	close(p[1]);
}

/* A thread making one system call on a context; the main thread watches
 * it in /proc (conform_wait_blocked_in()). */
struct aio_thread {
	aio_context_t ctx;
	struct iocb *cb;	/* the read to submit (io_submit thread) */
	atomic_int tid;		/* gettid(), 0 until the thread runs */
	atomic_int done;	/* set when the call has returned */
	long ret;
	int err;
};

static void *submit_one(void *arg)
{
	struct aio_thread *t = arg;
	struct iocb *list[1] = { t->cb };

	atomic_store(&t->tid, (int)gettid());
	errno = 0;
	t->ret = aio_sys_submit(t->ctx, 1, list);
	t->err = errno;
	atomic_store(&t->done, 1);
	return NULL;
}

static void *destroy_ctx(void *arg)
{
	struct aio_thread *t = arg;

	atomic_store(&t->tid, (int)gettid());
	errno = 0;
	t->ret = aio_sys_destroy(t->ctx);
	t->err = errno;
	atomic_store(&t->done, 1);
	return NULL;
}

/* Start fn on t and wait until it is asleep in system call nr: 1 when
 * seen, else what conform_wait_blocked_in() said (0 or -1). */
static int start_and_see_blocked(struct __test_metadata *_metadata,
				 pthread_t *th, void *(*fn)(void *),
				 struct aio_thread *t, long nr)
{
	ASSERT_EQ(0, pthread_create(th, NULL, fn, t));
	while (!atomic_load(&t->tid))
		sched_yield();
	return conform_wait_blocked_in(atomic_load(&t->tid), nr);
}

/*
 * io_destroy(2) "will block on the completion of all operations that
 * could not be canceled". A read of an empty pipe is accepted by io_submit
 * (not refused) and runs in the submitting thread, which sleeps in
 * io_submit until data comes (fs/aio.c aio_read() calls the pipe's
 * read_iter; since 4.1). While it sleeps, io_destroy of the context from
 * another thread blocks; a write to the pipe completes the read: io_submit
 * returns 1 with the data read and the IOCB_FLAG_RESFD eventfd signalled,
 * and only then io_destroy returns 0 (waiting for requests since 3.15,
 * commit e02ba72aabfa). Both threads are seen asleep in their calls first.
 */
TEST(destroy_waits_for_pipe_read_blocked_in_io_submit)
{
	static char in[64];
	struct aio_thread reader = { 0 }, destroyer = { 0 };
	pthread_t rth, dth;
	struct iocb cb;
	int p[2], efd, seen_reader, seen_destroyer, destroyed_early;

	CONFORM_DECLARE("4.1", "io_destroy",
			"io_destroy(2): blocks on the completion of operations that could not be canceled; commit e02ba72aabfa (3.15): aio: block io_destroy() until all context requests are completed; fs/aio.c aio_read() through read_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	ASSERT_EQ(0, aio_sys_setup(4, &reader.ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 3);
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = (__u32)efd;
	reader.cb = &cb;
	destroyer.ctx = reader.ctx;
	seen_reader = start_and_see_blocked(_metadata, &rth, submit_one,
					    &reader, __NR_io_submit);
	if (seen_reader == 1)
		seen_destroyer = start_and_see_blocked(_metadata, &dth,
						       destroy_ctx, &destroyer,
						       __NR_io_destroy);
	else
		seen_destroyer = 0;
	destroyed_early = atomic_load(&destroyer.done);
	/* Release the reader (and with it the destroyer) in every case. */
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ASSERT_EQ(0, pthread_join(rth, NULL));
	if (seen_reader == 1) {
		ASSERT_EQ(0, pthread_join(dth, NULL));
	} else {
		EXPECT_EQ(0, aio_sys_destroy(reader.ctx));
	}
	if (seen_reader < 0 || seen_destroyer < 0)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the threads asleep");
	if (seen_reader == 0)
		SKIP(goto out, CONFORM_UNSEEN "the reader was not seen asleep in io_submit (it returned %ld, %s)",
		     reader.ret, strerror(reader.err));
	if (destroyed_early)
		TH_LOG("io_destroy returned %ld (%s) before the pipe was written",
		       destroyer.ret, strerror(destroyer.err));
	EXPECT_EQ(0, destroyed_early);
	EXPECT_EQ(1, seen_destroyer);
	EXPECT_EQ(1, reader.ret);
	EXPECT_EQ(0, destroyer.ret);
	EXPECT_EQ(0, memcmp(in, "abc", 3));
	EXPECT_EQ(1, eventfd_count(efd));
out:
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * Submit an O_DIRECT read of DIRECT_LEN bytes at off of fd (which holds
 * the pattern of offset seed there) into a buffer of other bytes, with an
 * IOCB_FLAG_RESFD eventfd, and io_destroy the context at once: when
 * io_destroy returns 0 the buffer must hold the data and the eventfd 1.
 */
static void read_then_destroy(struct __test_metadata *_metadata, int fd,
			      long long off, unsigned long long seed)
{
	struct iocb cb, *list[1] = { &cb };
	aio_context_t ctx = 0;
	unsigned int tail0;
	bool pending;
	void *buf = NULL;
	int efd;

	ASSERT_EQ(0, posix_memalign(&buf, 4096, DIRECT_LEN));
	memset(buf, 0xee, DIRECT_LEN);
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	tail0 = aio_ring_of(ctx)->tail;
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, DIRECT_LEN, off, 9);
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = (__u32)efd;
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	/* Only a note: the device may already have completed it. */
	pending = aio_ring_of(ctx)->tail == tail0;
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	TH_LOG("the read was %s when io_destroy was called",
	       pending ? "still in flight" : "already complete");
	EXPECT_TRUE(conform_check_pattern(buf, DIRECT_LEN, seed));
	EXPECT_EQ(1, eventfd_count(efd));
	close(efd);
	free(buf);
}

/*
 * io_destroy(2) blocks until the operations it cannot cancel (a read)
 * are complete; fs/aio.c io_destroy() says why: "Otherwise kernel keep
 * using user-space buffers even if user thinks the context is destroyed".
 * An O_DIRECT read of the guest's NVMe namespace (MiB 10, written with the
 * pattern first) submitted and destroyed at once has, when io_destroy
 * returns 0, filled its buffer and signalled its eventfd (since 3.15,
 * commit e02ba72aabfa). Needs the aioconf guest's NVMe namespace and root.
 */
TEST(destroy_waits_for_direct_read_of_nvme)
{
	void *pattern = NULL;
	int fd;

	CONFORM_DECLARE("3.15", "io_destroy",
			"io_destroy(2): blocks on the completion of operations that could not be canceled; commit e02ba72aabfa (3.15): aio: block io_destroy() until all context requests are completed");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	CONFORM_REQUIRE(conform_nvme_ns_missing());
	CONFORM_REQUIRE_ROOT();
	fd = open(CONFORM_NVME_NS, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", CONFORM_NVME_NS, strerror(errno));
	ASSERT_EQ(0, posix_memalign(&pattern, 4096, DIRECT_LEN));
	conform_fill_pattern(pattern, DIRECT_LEN, 4242);
	ASSERT_EQ(DIRECT_LEN, pwrite(fd, pattern, DIRECT_LEN, NVME_OFFSET));
	read_then_destroy(_metadata, fd, NVME_OFFSET, 4242);
	free(pattern);
	close(fd);
}

/*
 * The same for an O_DIRECT read of a file in TMPDIR (the guest's ext4
 * disk; a TMPDIR that refuses O_DIRECT, e.g. tmpfs before 6.6, skips):
 * when io_destroy returns 0 the read's buffer holds the file's data and
 * its eventfd has been signalled (since 3.15, commit e02ba72aabfa).
 */
TEST(destroy_waits_for_direct_read_of_file)
{
	int fd;

	CONFORM_DECLARE("3.15", "io_destroy",
			"io_destroy(2): blocks on the completion of operations that could not be canceled; commit e02ba72aabfa (3.15): aio: block io_destroy() until all context requests are completed");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	fd = conform_temp_file(2 * DIRECT_LEN, O_DIRECT);
	if (fd < 0 && errno == EINVAL)
		SKIP(return, CONFORM_ENV "open(O_DIRECT) in %s: EINVAL: its filesystem does not support O_DIRECT",
		     conform_tmpdir());
	ASSERT_LE(0, fd) TH_LOG("O_DIRECT temporary file: %s", strerror(errno));
	read_then_destroy(_metadata, fd, DIRECT_LEN, DIRECT_LEN);
	close(fd);
}

TEST_HARNESS_MAIN
