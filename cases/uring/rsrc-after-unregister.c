// SPDX-License-Identifier: MIT
/*
 * uring/rsrc-after-unregister: registered files and buffers once their
 * table is unregistered or a slot replaced. A new IOSQE_FIXED_FILE request
 * after IORING_UNREGISTER_FILES fails with -EBADF, a new READ_FIXED after
 * IORING_UNREGISTER_BUFFERS with -EFAULT (since 5.1). A request already in
 * flight keeps what it uses: it completes on its file, or into its buffer,
 * after the table is gone, and the file is closed only once it has
 * completed. IORING_REGISTER_FILES_UPDATE of a slot in use leaves the
 * request on the old file, which is closed after it completes (since 5.6,
 * IORING_OP_READ).
 *
 * How the kernel keeps an in-flight request's resources changed:
 * - up to 6.12, unregistering waits until the requests that use the table
 *   are done (kernel io_rsrc_ref_quiesce(); before 5.13 register
 *   operations quiesced the whole ring);
 * - since 6.13 (the io_uring/rsrc rework that gave every request a
 *   reference to its resource node and removed io_rsrc_ref_quiesce()),
 *   unregistering returns at once and the node keeps the file or buffer
 *   until the request lets go of it.
 * The tests see which one the kernel does (the unregistering thread found
 * asleep in io_uring_register(2), or already returned), log it, and assert
 * what both promise: the request completes on its old resource, and the
 * file is released only after it.
 */
#include <liburing.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#include "conform_uring.h"

enum {
	/* Step (ms) of the bounded waits for a release. */
	STEP_MS = 2,
};

/*
 * Wait, at most URING_REAP_BOUND_MS, until wfd, a pipe's write end, polls
 * POLLERR: poll(2) sets it "for a file descriptor referring to the write
 * end of a pipe when the read end has been closed". The state is checked
 * every STEP_MS (an empty pipe's write end is always writable, so poll
 * cannot sleep until then).
 */
static bool wait_reader_gone(int wfd)
{
	struct timespec step = { .tv_nsec = STEP_MS * 1000000L };

	for (int i = 0; i < URING_REAP_BOUND_MS / STEP_MS; i++) {
		struct pollfd pfd = { .fd = wfd, .events = POLLOUT };

		if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR))
			return true;
		nanosleep(&step, NULL);
	}
	return false;
}

/* Does the pipe write end wfd poll POLLERR (no reader) right now? */
static bool reader_gone_now(int wfd)
{
	struct pollfd pfd = { .fd = wfd, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR);
}

/*
 * io_uring_enter(2) CQE ERRORS: EBADF when "the IOSQE_FIXED_FILE flag was
 * set in the submission queue entry, but no files were registered";
 * io_uring_register(2) IORING_UNREGISTER_FILES: "All previously registered
 * files associated with the io_uring instance will be unregistered". A
 * POLL_ADD through slot 0 after the table was unregistered fails with
 * -EBADF, though slot 0 named an open pipe before (since 5.1).
 */
TEST(fixed_file_request_after_unregister_files_gets_ebadf)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_FILES",
			"io_uring_register(2) IORING_UNREGISTER_FILES; io_uring_enter(2) EBADF for IOSQE_FIXED_FILE without files");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &p[1], 1));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, 0, POLLOUT);
	sqe->flags |= IOSQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) CQE ERRORS: EFAULT for READ_FIXED when "buffers were
 * not registered for this io_uring instance"; io_uring_register(2)
 * IORING_UNREGISTER_BUFFERS unregisters them all. A READ_FIXED of buffer
 * index 0 after the table was unregistered fails with -EFAULT, though
 * index 0 was a registered buffer before (since 5.1).
 */
TEST(read_fixed_after_unregister_buffers_gets_efault)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct iovec iov;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_BUFFERS",
			"io_uring_register(2) IORING_UNREGISTER_BUFFERS; io_uring_enter(2) EFAULT without registered buffers");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	iov.iov_len = 4096;
	iov.iov_base = uring_anon_buf(iov.iov_len);
	ASSERT_NE(NULL, iov.iov_base);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &iov, 1));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_BUFFERS, NULL, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, iov.iov_base, 4096, 0, 0);
	EXPECT_EQ(-EFAULT, uring_submit_res(&ring));
	io_uring_queue_exit(&ring);
	munmap(iov.iov_base, iov.iov_len);
	close(fd);
}

/* An io_uring_register(2) call without argument, made by another thread. */
struct unreg_call {
	int ring_fd;
	unsigned int op;
	int done[2];		/* a byte is written when the call returned */
	pid_t tid;		/* set first thing, atomically */
	int ret, err;
};

static void *unreg_main(void *arg)
{
	struct unreg_call *u = arg;

	__atomic_store_n(&u->tid, gettid(), __ATOMIC_RELEASE);
	u->ret = conform_sys_io_uring_register(u->ring_fd, u->op, NULL, 0);
	u->err = u->ret < 0 ? errno : 0;
	if (write(u->done[1], "d", 1) != 1)
		u->err = -1;
	return NULL;
}

/* What a test saw of an unregister made while a request was in flight. */
struct unreg_view {
	int setup;		/* 0, or the set-up step that failed */
	int blocked;		/* conform_wait_blocked_in(): 1 waited, 0 returned */
	bool held_before;	/* the file still open before the completion */
	int res;		/* the request's CQE */
	bool data_ok;		/* its bytes are the ones written */
	bool returned;		/* the unregister returned in the bound */
	int ret, err;		/* and what it returned */
	bool released_after;	/* the file closed after the completion */
};

/*
 * Start u's unregister on a new thread (*th), and find out whether it
 * waits: 1 when the thread sleeps in io_uring_register(2), 0 when the call
 * returned, -1 when /proc cannot tell (see conform_wait_blocked_in()).
 */
static int start_unregister(struct unreg_call *u, pthread_t *th)
{
	struct timespec step = { .tv_nsec = STEP_MS * 1000000L };
	pid_t tid = 0;

	if (conform_pipe(u->done) || pthread_create(th, NULL, unreg_main, u))
		return -2;
	for (int i = 0; !tid && i < URING_REAP_BOUND_MS / STEP_MS; i++) {
		tid = __atomic_load_n(&u->tid, __ATOMIC_ACQUIRE);
		if (!tid)
			nanosleep(&step, NULL);
	}
	return tid ? conform_wait_blocked_in(tid, SYS_io_uring_register) : -2;
}

/* Join u's thread once its call returned (bounded); true if it did. */
static bool finish_unregister(struct unreg_call *u, pthread_t th)
{
	bool returned = conform_fd_readable(u->done[0], URING_REAP_BOUND_MS);

	if (returned)
		pthread_join(th, NULL);
	else
		pthread_detach(th);
	close(u->done[0]);
	close(u->done[1]);
	return returned;
}

/*
 * The scenario of the unregister-files tests: a pipe's read end is the
 * ring's registered file 0 (its fd closed, so the table holds the only
 * reference), an IOSQE_FIXED_FILE READ of 16 bytes is pending on it, and
 * another thread runs IORING_UNREGISTER_FILES. Then "abc" is written to
 * the pipe, the READ's CQE reaped, and the unregister waited for.
 */
static void unregister_files_in_flight(struct unreg_view *v)
{
	struct unreg_call u = { .op = IORING_UNREGISTER_FILES };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[16];
	pthread_t th;
	int p[2];

	memset(v, 0, sizeof(*v));
	if (conform_pipe(p)) {
		v->setup = 1;
		return;
	}
	if (io_uring_queue_init(4, &ring, 0) ||
	    io_uring_register_files(&ring, &p[0], 1) || close(p[0])) {
		v->setup = 2;
		goto out_pipe;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	if (io_uring_submit(&ring) != 1 || uring_wait_briefly(&ring) != -ETIME) {
		v->setup = 3;
		goto out_ring;
	}
	u.ring_fd = ring.ring_fd;
	v->blocked = start_unregister(&u, &th);
	if (v->blocked == -2) {
		v->setup = 4;
		goto out_ring;
	}
	v->held_before = !reader_gone_now(p[1]);
	if (write(p[1], "abc", 3) != 3 || uring_reap_one(&ring, &cqe)) {
		v->setup = 5;
		v->returned = finish_unregister(&u, th);
		goto out_ring;
	}
	v->res = cqe.res;
	v->data_ok = cqe.res == 3 && !memcmp(buf, "abc", 3);
	v->returned = finish_unregister(&u, th);
	v->ret = u.ret;
	v->err = u.err;
	v->released_after = wait_reader_gone(p[1]);
out_ring:
	io_uring_queue_exit(&ring);
out_pipe:
	close(p[1]);
}

/* Log which of the two designs the kernel showed. */
static void log_variant(struct __test_metadata *_metadata, int blocked,
			const char *what)
{
	if (blocked == 1)
		TH_LOG("%s waited for the request in flight (io_rsrc_ref_quiesce, up to 6.12)",
		       what);
	else if (blocked == 0)
		TH_LOG("%s returned at once; the request kept its resource node (6.13+)",
		       what);
	else
		TH_LOG("%s: /proc/self/task/<tid>/syscall unreadable, variant not seen",
		       what);
}

/*
 * io_uring_register(2): registered files are "long term references" of
 * the ring; a request in flight through one still has its file after
 * IORING_UNREGISTER_FILES: the READ pending on the registered pipe read
 * end completes with the 3 bytes written afterwards, and the unregister
 * returns 0, whether it waited for the request (up to 6.12) or not (6.13+)
 * (since 5.6, IORING_OP_READ).
 */
TEST(in_flight_fixed_file_read_completes_after_unregister)
{
	struct unreg_view v;

	CONFORM_DECLARE("5.6", "IORING_UNREGISTER_FILES",
			"io_uring_register(2) IORING_UNREGISTER_FILES, long term references; kernel io_rsrc_ref_quiesce() (to 6.12)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	unregister_files_in_flight(&v);
	ASSERT_EQ(0, v.setup)
		TH_LOG("set-up step %d failed (1 pipe, 2 ring, 3 READ not pending, 4 thread, 5 no CQE)",
		       v.setup);
	log_variant(_metadata, v.blocked, "IORING_UNREGISTER_FILES");
	EXPECT_EQ(3, v.res);
	EXPECT_TRUE(v.data_ok);
	ASSERT_TRUE(v.returned);
	EXPECT_EQ(0, v.ret);
	EXPECT_EQ(0, v.err);
}

/*
 * close(2): the open file description is freed with its last reference.
 * The unregistered table's reference to the pipe's read end is not the
 * last while a request uses the file: until the request completes the
 * read end stays open (its writer sees no POLLERR), and once it has
 * completed and the unregister returned, the read end is released and the
 * writer sees POLLERR (poll(2)) (since 5.6, IORING_OP_READ).
 */
TEST(unregistered_file_closed_only_after_request_completes)
{
	struct unreg_view v;

	CONFORM_DECLARE("5.6", "IORING_UNREGISTER_FILES",
			"close(2) last reference; poll(2) POLLERR on a pipe without reader; io_uring_register(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	unregister_files_in_flight(&v);
	ASSERT_EQ(0, v.setup)
		TH_LOG("set-up step %d failed (1 pipe, 2 ring, 3 READ not pending, 4 thread, 5 no CQE)",
		       v.setup);
	log_variant(_metadata, v.blocked, "IORING_UNREGISTER_FILES");
	EXPECT_TRUE(v.held_before);
	ASSERT_TRUE(v.returned);
	EXPECT_TRUE(v.released_after)
		TH_LOG("the read end is still open %d ms after the request completed",
		       URING_REAP_BOUND_MS);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES_UPDATE replaces slot 0 (pipe
 * a's read end, its fd closed) with pipe b's read end while an
 * IOSQE_FIXED_FILE READ is pending on slot 0. The update returns 1 at once
 * and the request stays on the file it started with: data written to b
 * does not complete it, data written to a does; a new READ of slot 0 then
 * reads b (since 5.6, IORING_OP_READ; the update is 5.5).
 */
TEST(files_update_leaves_in_flight_request_on_old_file)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char bufa[16], bufb[16];
	int a[2], b[2];

	CONFORM_DECLARE("5.6", "IORING_REGISTER_FILES_UPDATE",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE; kernel rsrc nodes (old file put when unused)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &a[0], 1));
	ASSERT_EQ(0, close(a[0]));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, bufa, sizeof(bufa), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, 0xa);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, uring_files_update_raw(&ring, 0, &b[0], 1));
	ASSERT_EQ(3, write(b[1], "bbb", 3));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(2, write(a[1], "aa", 2));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0xau, cqe.user_data);
	EXPECT_EQ(2, cqe.res);
	EXPECT_EQ(0, memcmp(bufa, "aa", 2));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, bufb, sizeof(bufb), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	EXPECT_EQ(3, uring_submit_res(&ring));
	EXPECT_EQ(0, memcmp(bufb, "bbb", 3));
	io_uring_queue_exit(&ring);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * The old file of a replaced slot is put only once the requests that use
 * it are done (kernel: the update queues the old file on the current
 * resource node, freed when its last user completes): pipe a's read end,
 * replaced in slot 0 while a READ is pending on it, stays open until that
 * READ completes, and is released after (the writer sees POLLERR, then
 * EPIPE) (since 5.6, IORING_OP_READ).
 */
TEST(replaced_file_closed_only_after_request_completes)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char buf[16];
	int a[2], b[2];

	CONFORM_DECLARE("5.6", "IORING_REGISTER_FILES_UPDATE",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE; close(2) last reference; poll(2) POLLERR");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(a));
	ASSERT_EQ(0, conform_pipe(b));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &a[0], 1));
	ASSERT_EQ(0, close(a[0]));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, uring_files_update_raw(&ring, 0, &b[0], 1));
	EXPECT_FALSE(reader_gone_now(a[1]));
	ASSERT_EQ(1, write(a[1], "a", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1, cqe.res);
	EXPECT_TRUE(wait_reader_gone(a[1]))
		TH_LOG("the replaced read end is still open %d ms after the request completed",
		       URING_REAP_BOUND_MS);
	EXPECT_EQ(-1, write(a[1], "x", 1));
	EXPECT_EQ(EPIPE, errno);
	io_uring_queue_exit(&ring);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_BUFFERS with a READ_FIXED in
 * flight: the request keeps its buffer (up to 6.12 the unregister waits
 * for it, since 6.13 the request's resource node keeps the pages), so the
 * READ_FIXED pending on an empty pipe completes into the registered
 * memory with the bytes written after the unregister, and the unregister
 * returns 0 (since 5.1).
 */
TEST(in_flight_read_fixed_completes_into_buffer_after_unregister)
{
	struct unreg_call u = { .op = IORING_UNREGISTER_BUFFERS };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	struct iovec iov;
	pthread_t th;
	int p[2], blocked;

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_BUFFERS",
			"io_uring_register(2) IORING_UNREGISTER_BUFFERS; kernel io_rsrc_ref_quiesce() (to 6.12)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	iov.iov_len = 4096;
	iov.iov_base = uring_anon_buf(iov.iov_len);
	ASSERT_NE(NULL, iov.iov_base);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &iov, 1));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, p[0], iov.iov_base, 16, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	u.ring_fd = ring.ring_fd;
	blocked = start_unregister(&u, &th);
	ASSERT_NE(-2, blocked);
	log_variant(_metadata, blocked, "IORING_UNREGISTER_BUFFERS");
	ASSERT_EQ(3, write(p[1], "xyz", 3));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(3, cqe.res);
	EXPECT_EQ(0, memcmp(iov.iov_base, "xyz", 3));
	ASSERT_TRUE(finish_unregister(&u, th));
	EXPECT_EQ(0, u.ret);
	EXPECT_EQ(0, u.err);
	io_uring_queue_exit(&ring);
	munmap(iov.iov_base, iov.iov_len);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
