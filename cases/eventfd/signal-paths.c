// SPDX-License-Identifier: MIT
/*
 * eventfd/signal-paths: an eventfd driven by the kernel's async I/O
 * interfaces, beyond eventfd/aio-resfd, eventfd/uring-rw and
 * eventfd/uring-eventfd*. Linux native AIO as the signaller
 * (IOCB_FLAG_RESFD): an EFD_SEMAPHORE counter counts completions one read
 * at a time, the signal may go past the write(2) maximum to
 * 0xffffffffffffffff and stops there, it releases a thread blocked in
 * read(2) and completes an io_uring read pending on the eventfd, and a
 * cancelled IOCB_CMD_POLL still signals. AIO on the eventfd itself:
 * IOCB_CMD_PREAD reads the counter (with ->read_iter, 5.8; -EINVAL for
 * under 8 bytes, -EAGAIN with RWF_NOWAIT at 0), IOCB_CMD_PWRITE is refused
 * (no ->write_iter). io_uring: the eventfd registered with
 * IORING_REGISTER_EVENTFD reaches the overflow too, and a linked
 * IORING_OP_WRITE then IORING_OP_READ pass a value through the counter.
 * Sources: io_submit(2) (IOCB_FLAG_RESFD, EINVAL), eventfd(2) (NOTES: KAIO
 * signal posts; EFD_SEMAPHORE 2.6.30), fs/eventfd.c eventfd_signal(),
 * io_uring_register(2) IORING_REGISTER_EVENTFD (5.2), io_uring_enter(2)
 * IORING_OP_READ/WRITE (5.6) and IOSQE_IO_LINK (5.3), kernel commit
 * 12aceb89b0bc ("eventfd: convert to f_op->read_iter()", 5.8).
 */
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_aio.h"
#include "conform_epoll.h"
#include "conform_uring.h"

/* eventfd(2): the largest value write(2) lets the counter hold. */
static const uint64_t counter_max = UINT64_MAX - 1;

enum { BLK = 512 };

/* Flag an iocb to signal efd at completion (io_submit(2) IOCB_FLAG_RESFD). */
static void set_resfd(struct iocb *cb, int efd)
{
	cb->aio_flags |= IOCB_FLAG_RESFD;
	cb->aio_resfd = efd;
}

/*
 * Inside a TEST: n BLK-byte buffered reads of a temporary file, each with
 * IOCB_FLAG_RESFD naming efd, submitted together on a new context and
 * reaped (res BLK each); the context is destroyed. A buffered read
 * completes within io_submit(2) (fs/aio.c aio_read() completes it when the
 * read returns), so efd has been signalled n times when this returns.
 */
static void aio_signal_n(struct __test_metadata *_metadata, int efd, int n)
{
	static char bufs[4][BLK];
	struct iocb cbs[4], *list[4];
	struct io_event ev[4];
	aio_context_t ctx = 0;
	struct timespec bound = { .tv_sec = 5 };
	int fd = conform_temp_file(4 * BLK, 0);

	ASSERT_GE(4, n);
	ASSERT_LE(0, fd);
	for (int i = 0; i < n; i++) {
		aio_prep_rw(&cbs[i], IOCB_CMD_PREAD, fd, bufs[i], BLK,
			    (long long)i * BLK, i);
		set_resfd(&cbs[i], efd);
		list[i] = &cbs[i];
	}
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ASSERT_EQ(n, aio_sys_submit(ctx, n, list));
	ASSERT_EQ(n, aio_sys_getevents(ctx, n, n, ev, &bound));
	for (int i = 0; i < n; i++)
		EXPECT_EQ(BLK, ev[i].res);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * io_submit(2) IOCB_FLAG_RESFD; eventfd(2) EFD_SEMAPHORE: each completion
 * adds 1 and each semaphore read takes 1. After three signalling reads
 * complete, three reads (each waited for with poll, 1 s bound) return 1,
 * and a fourth gets EAGAIN: the completions are counted one by one
 * (since 2.6.30).
 */
TEST(aio_resfd_semaphore_counts_completions_one_by_one)
{
	uint64_t v;
	int efd;

	CONFORM_DECLARE("2.6.30", "IOCB_FLAG_RESFD",
			"io_submit(2) IOCB_FLAG_RESFD; eventfd(2) EFD_SEMAPHORE (2.6.30): a read returns 1 and decrements by 1");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, efd);
	aio_signal_n(_metadata, efd, 3);
	for (int i = 0; i < 3; i++) {
		ASSERT_TRUE(conform_fd_readable(efd, 1000));
		v = 0;
		ASSERT_EQ(8, read(efd, &v, sizeof(v)));
		EXPECT_EQ((uint64_t)1, v);
	}
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(efd);
}

/*
 * fs/eventfd.c eventfd_signal(): "we allow the counter to reach the
 * ULLONG_MAX value" and no further (it adds at most ULLONG_MAX - count).
 * Two AIO signals on a full counter (0xfffffffffffffffe): the first takes
 * it to 0xffffffffffffffff, the second adds nothing (it does not wrap to
 * 0): the read returns 0xffffffffffffffff and the counter is then 0
 * (since 2.6.22).
 */
TEST(aio_signal_past_the_maximum_stops_at_all_ones)
{
	uint64_t v = counter_max;
	int efd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"fs/eventfd.c eventfd_signal(): the counter may reach ULLONG_MAX; eventfd(2) NOTES: KAIO signal posts");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	aio_signal_n(_metadata, efd, 2);
	v = 0;
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ(UINT64_MAX, v);
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(efd);
}

/* A thread that reads fd once. */
struct efd_reader {
	int fd;
	_Atomic pid_t tid;
	ssize_t ret;
	uint64_t value;
};

static void *efd_reader_main(void *arg)
{
	struct efd_reader *r = arg;

	atomic_store(&r->tid, gettid());
	r->ret = read(r->fd, &r->value, sizeof(r->value));
	return NULL;
}

/*
 * eventfd(2): a read of a zero counter "blocks until the counter becomes
 * nonzero"; the AIO completion signal (eventfd(2) NOTES) makes it so. A
 * thread seen asleep in read(2) returns 1 once a read submitted with
 * IOCB_FLAG_RESFD naming the eventfd completes (since 2.6.22).
 */
TEST(aio_completion_releases_reader_blocked_on_resfd)
{
	struct efd_reader r = { .fd = -1 };
	pthread_t th;
	int seen;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"eventfd(2) read blocks until nonzero; NOTES: kernel AIO signal posts; io_submit(2) IOCB_FLAG_RESFD");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	r.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(0, pthread_create(&th, NULL, efd_reader_main, &r));
	while (!atomic_load(&r.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&r.tid), SYS_read);
	aio_signal_n(_metadata, r.fd, 1);
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (seen < 0) {
		close(r.fd);
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the reader block");
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(8, r.ret);
	EXPECT_EQ((uint64_t)1, r.value);
	close(r.fd);
}

/*
 * fs/aio.c: a cancelled IOCB_CMD_POLL completes like any request (io_cancel
 * returns -EINPROGRESS and the event comes through the ring, 4.19), and
 * aio_complete() signals aio_resfd for every completion: while the poll on
 * an empty pipe waits the counter is 0; after io_cancel and the reaped
 * event it is 1 (since 4.19).
 */
TEST(aio_cancelled_poll_still_signals_resfd)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev, result;
	aio_context_t ctx = 0;
	uint64_t v = 0;
	int p[2], efd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_FLAG_RESFD signals upon completion; fs/aio.c io_cancel() -EINPROGRESS, the event through the ring; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(2, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 0xca;
	set_resfd(&cb, efd);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, aio_sys_cancel(ctx, &cb, &result));
	EXPECT_EQ(EINPROGRESS, errno);
	ASSERT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ((__u64)0xca, ev.data);
	ASSERT_TRUE(conform_fd_readable(efd, 1000));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(p[0]);
	close(p[1]);
	close(efd);
}

/*
 * Inside a TEST: submit cb alone on a new context; skip (context destroyed,
 * fd closed) when io_submit refuses IOCB_CMD_PREAD on an eventfd with
 * EINVAL, as before the eventfd had ->read_iter (5.8); else reap its event
 * into *ev (aio_submit_and_reap).
 */
#define PREAD_OR_SKIP(cb, ev, efd)                                             \
	do {                                                                   \
		long r_ = aio_submit_and_reap(_metadata, (cb), (ev));          \
		if (r_ < 0 && errno == EINVAL) {                               \
			close(efd);                                            \
			SKIP(return, "io_submit(IOCB_CMD_PREAD of an eventfd): EINVAL (no read_iter: before 5.8)"); \
		}                                                              \
		ASSERT_EQ(1, r_);                                              \
	} while (0)

/*
 * Commit 12aceb89b0bc ("eventfd: convert to f_op->read_iter()", 5.8) gives
 * Linux native AIO a read of the eventfd: IOCB_CMD_PREAD of 8 bytes
 * completes with res 8, the counter (9) in the buffer, and the counter
 * reset as by read(2) (eventfd(2)); the offset is ignored (since 5.8).
 */
TEST(aio_pread_of_eventfd_returns_and_resets_counter)
{
	struct iocb cb;
	struct io_event ev;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.8", "IOCB_CMD_PREAD",
			"eventfd(2) read; io_submit(2) IOCB_CMD_PREAD; commit 12aceb89b0bc (5.8) eventfd: convert to f_op->read_iter()");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(9, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, efd, &v, sizeof(v), 4096, 0x8);
	PREAD_OR_SKIP(&cb, &ev, efd);
	EXPECT_EQ(8, ev.res);
	EXPECT_EQ((uint64_t)9, v);
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(efd);
}

/*
 * eventfd(2) read: EINVAL "if the size of the supplied buffer is less than
 * 8 bytes"; through IOCB_CMD_PREAD (5.8) the check runs at completion: a
 * 7-byte read is queued and completes with res -EINVAL, the counter kept
 * (since 5.8).
 */
TEST(aio_pread_of_7_bytes_completes_with_einval)
{
	struct iocb cb;
	struct io_event ev;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.8", "IOCB_CMD_PREAD",
			"eventfd(2) read EINVAL under 8 bytes; commit 12aceb89b0bc (5.8) eventfd: convert to f_op->read_iter()");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(4, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, efd, &v, 7, 0, 0x7);
	PREAD_OR_SKIP(&cb, &ev, efd);
	EXPECT_EQ(-EINVAL, ev.res);
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)4, v);
	close(efd);
}

/*
 * io_submit(2) aio_rw_flags RWF_NOWAIT (4.14): do not wait; with commit
 * 12aceb89b0bc (5.8) the eventfd read honours it (FMODE_NOWAIT,
 * IOCB_NOWAIT): an IOCB_CMD_PREAD of a zero counter on a blocking eventfd
 * completes at once with res -EAGAIN instead of blocking io_submit
 * (since 5.8).
 */
TEST(aio_pread_nowait_of_zero_counter_completes_with_eagain)
{
	struct iocb cb;
	struct io_event ev;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.8", "RWF_NOWAIT",
			"io_submit(2) aio_rw_flags RWF_NOWAIT; eventfd(2) EAGAIN; commit 12aceb89b0bc (5.8) eventfd: convert to f_op->read_iter()");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, efd, &v, sizeof(v), 0, 0x9);
	cb.aio_rw_flags = RWF_NOWAIT;
	{
		long r = aio_submit_and_reap(_metadata, &cb, &ev);

		if (r < 0 && (errno == EINVAL || errno == EOPNOTSUPP)) {
			close(efd);
			SKIP(return, "io_submit(IOCB_CMD_PREAD, RWF_NOWAIT of an eventfd): %s (no read_iter or FMODE_NOWAIT: before 5.8)",
			     strerror(errno));
		}
		ASSERT_EQ(1, r);
	}
	EXPECT_EQ(-EAGAIN, ev.res);
	close(efd);
}

/*
 * io_submit(2) ERRORS: EINVAL when "the operation specified is invalid for
 * the file descriptor". The eventfd has a write(2) method but no
 * ->write_iter, which Linux native AIO writes need (fs/aio.c aio_write()):
 * IOCB_CMD_PWRITE of 8 bytes is refused at submission with EINVAL and
 * adds nothing (since 2.6.22).
 */
TEST(aio_pwrite_to_eventfd_gets_einval)
{
	struct iocb cb;
	struct io_event ev;
	uint64_t add = 3, v = 0;
	int efd;

	CONFORM_DECLARE("2.6.22", "IOCB_CMD_PWRITE",
			"io_submit(2) EINVAL: operation invalid for the fd; fs/aio.c aio_write() needs ->write_iter, fs/eventfd.c has only ->write");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, efd, &add, sizeof(add), 0, 0x3);
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(efd);
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD: the ring notifies the
 * eventfd of completions through eventfd_signal(), which (fs/eventfd.c)
 * may take the counter to 0xffffffffffffffff. On a full counter
 * (0xfffffffffffffffe) one NOP completion raises it to the overflow (any
 * further signal is capped). The notification is awaited as the next
 * report of an EPOLLIN|EPOLLET entry (1 s bound: io_uring may signal after
 * the CQE is posted); it shows EPOLLIN|EPOLLERR, and the read returns
 * 0xffffffffffffffff (since 5.2).
 */
TEST(uring_eventfd_signal_reaches_the_overflow)
{
	struct epoll_event ev[2];
	struct io_uring ring;
	uint64_t v = counter_max;
	int efd, ep;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register(2) IORING_REGISTER_EVENTFD; fs/eventfd.c eventfd_signal() may reach ULLONG_MAX; commit 9b402849e80c (5.2)");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	EPOLL_REQUIRE();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(8, write(efd, &v, sizeof(v)));
	ep = epoll_new_watching(_metadata, efd, EPOLLIN | EPOLLET, 0xe);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_EVENTFD, &efd, 1));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ((uint32_t)(EPOLLIN | EPOLLERR), ev[0].events);
	io_uring_queue_exit(&ring);
	v = 0;
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_EQ(UINT64_MAX, v);
	close(ep);
	close(efd);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK (5.3): the next SQE starts only after
 * this one completed. An IORING_OP_WRITE of 11 to an eventfd of 2 linked
 * to an IORING_OP_READ of it (5.6): the write adds (res 8), then the read
 * returns 13 and resets the counter (res 8) (since 5.6).
 */
TEST(uring_linked_write_then_read_pass_the_value)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	uint64_t add = 11, got = 0, v;
	const __u64 tags[2] = { 0x11, 0x12 };
	int res[2] = { INT_MIN, INT_MIN };
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IORING_OP_WRITE/READ (5.6) with IOSQE_IO_LINK (5.3); eventfd(2) write adds, read returns and resets");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(2, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_write(sqe, efd, &add, sizeof(add), 0);
	sqe->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data64(sqe, tags[0]);
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, efd, &got, sizeof(got), 0);
	io_uring_sqe_set_data64(sqe, tags[1]);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(8, res[0]);
	EXPECT_EQ(8, res[1]);
	EXPECT_EQ((uint64_t)13, got);
	ASSERT_EQ(0, fcntl(efd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * Two async interfaces on one eventfd: an IORING_OP_READ of a zero counter
 * (blocking eventfd) stays pending (5.6; eventfd/uring-rw), and the signal
 * of a Linux native AIO completion with IOCB_FLAG_RESFD makes the counter
 * 1: the io_uring read completes with res 8 and the value 1 (since 5.6).
 */
TEST(aio_signal_completes_pending_uring_read)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	uint64_t got = 0;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IORING_OP_READ (5.6) of an eventfd; io_submit(2) IOCB_FLAG_RESFD; eventfd(2) NOTES");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, efd, &got, sizeof(got), 0);
	io_uring_sqe_set_data64(sqe, 0x21);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	aio_signal_n(_metadata, efd, 1);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)0x21, cqe.user_data);
	EXPECT_EQ(8, cqe.res);
	EXPECT_EQ((uint64_t)1, got);
	io_uring_queue_exit(&ring);
	close(efd);
}

TEST_HARNESS_MAIN
