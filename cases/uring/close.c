// SPDX-License-Identifier: MIT
/*
 * uring/close: IORING_OP_CLOSE (Linux 5.6), the asynchronous close(2), and
 * its direct-descriptor form (5.15) that empties a slot of the registered
 * file table named by sqe->file_index (slot + 1). Covered: a closed fd is
 * gone (fcntl EBADF, a pipe reader sees end of file), a closed slot is
 * empty (IOSQE_FIXED_FILE use gets -EBADF), a pending read on the closed
 * fd keeps its own reference and completes, and the errors: EBADF (no such
 * fd, empty slot, a ring fd, IOSQE_FIXED_FILE), EINVAL (unused fields set,
 * fd and file_index both set, a slot past the table, an IOPOLL ring) and
 * ENXIO (no table). SQEs are filled by hand.
 */
#include <liburing.h>
#include <sys/wait.h>

#include "conform_uring.h"

enum { TAG_READ = 0x5ead, TAG_CLOSE = 0xc105e };

/* An IORING_OP_CLOSE of fd (file_index 0: the fd form). */
static void prep_close(struct io_uring_sqe *sqe, int fd)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_CLOSE;
	sqe->fd = fd;
	sqe->user_data = TAG_CLOSE;
}

/* An IORING_OP_CLOSE of registered slot slot (file_index slot + 1, fd 0). */
static void prep_close_slot(struct io_uring_sqe *sqe, unsigned int slot)
{
	prep_close(sqe, 0);
	sqe->file_index = slot + 1;
}

/* Close fd with IORING_OP_CLOSE on a ring of its own: res or INT_MIN. */
static int uring_close(int fd)
{
	struct io_uring_sqe sqe;

	prep_close(&sqe, fd);
	return uring_run_one_sqe_res(&sqe);
}

/* Is fd open in this process? */
static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* Is fd closed, as fcntl(2) EBADF shows? */
static bool fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/*
 * Queue a READ (write false) or WRITE of len bytes at offset 0 on fd, or on
 * registered slot fd with fixed, tagged TAG_READ.
 */
static void queue_rw(struct io_uring *ring, bool write, int fd, void *buf,
		     unsigned int len, bool fixed)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (write)
		io_uring_prep_write(sqe, fd, buf, len, 0);
	else
		io_uring_prep_read(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	if (fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
}

/*
 * The probe child of close_direct_missing(): fd 0 is made a pipe's read
 * end, slot 0 of a one-slot table holds the write end, and a CLOSE with
 * fd 0 and file_index 1 runs. Exit 0: the slot was closed (res 0, fd 0
 * still open); 1: fd 0 was closed instead (file_index ignored); 2: res
 * -EINVAL; 3: anything else.
 */
static int close_direct_probe_child(void)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int p[2], res;

	if (pipe(p) || dup2(p[0], 0) != 0 || io_uring_queue_init(2, &ring, 0) ||
	    io_uring_register_files(&ring, &p[1], 1))
		return 3;
	prep_close_slot(&sqe, 0);
	res = uring_run_sqe_res(&ring, &sqe);
	if (!fd_open(0))
		return 1;
	if (res == 0)
		return 0;
	return res == -EINVAL ? 2 : 3;
}

/*
 * NULL when IORING_OP_CLOSE closes a registered slot named by file_index
 * (5.15); else why not. A kernel without it ignores file_index and closes
 * the fd field instead, so the probe runs in a child process of its own.
 */
static const char *close_direct_missing(void)
{
	const char *why = conform_uring_op_missing(IORING_OP_CLOSE,
						   "IORING_OP_CLOSE");
	int status;
	pid_t pid;

	if (why)
		return why;
	pid = fork();
	if (pid < 0)
		return CONFORM_ENV "fork for the close-direct probe failed";
	if (pid == 0)
		_exit(close_direct_probe_child());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return "the close-direct probe child did not exit";
	switch (WEXITSTATUS(status)) {
	case 0:
		return NULL;
	case 1:
		return "IORING_OP_CLOSE file_index: ignored (the fd field was closed instead of the slot)";
	case 2:
		return "IORING_OP_CLOSE file_index: -EINVAL (field unknown)";
	default:
		return "IORING_OP_CLOSE file_index: the probe could not run or closed nothing";
	}
}

#define REQUIRE_CLOSE() CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE)
#define REQUIRE_CLOSE_DIRECT() CONFORM_REQUIRE(close_direct_missing())

/*
 * io_uring_enter(2) IORING_OP_CLOSE: "Issue the equivalent of a close(2)
 * system call"; close(2): the fd "no longer refers to any file": res 0,
 * and fcntl(F_GETFD) on the number then fails with EBADF (since 5.6).
 */
TEST(close_frees_the_descriptor)
{
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"io_uring_enter(2) IORING_OP_CLOSE; close(2)");
	REQUIRE_CLOSE();
	fd = conform_temp_file(100, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, uring_close(fd));
	EXPECT_TRUE(fd_closed(fd));
}

/*
 * close(2): "If fd is the last file descriptor referring to the underlying
 * open file description, the resources associated with the open file
 * description are freed"; pipe(7): "If all file descriptors referring to
 * the write end of a pipe have been closed, then an attempt to read(2)
 * from the pipe will see end-of-file". Closing the only write end through
 * IORING_OP_CLOSE gives the reader end of file (since 5.6).
 */
TEST(close_of_pipe_write_end_gives_reader_eof)
{
	char c;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"close(2) last reference freed; pipe(7) end-of-file");
	REQUIRE_CLOSE();
	ASSERT_EQ(0, conform_pipe(p));
	/* Non-blocking: with a writer left the read gets EAGAIN, not EOF. */
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(0, uring_close(p[1]));
	EXPECT_EQ(0, read(p[0], &c, 1));
	close(p[0]);
}

/*
 * close(2) EBADF: "fd isn't a valid open file descriptor"; the CQE gets
 * -EBADF (io_uring_enter(2) CQE errors) (since 5.6).
 */
TEST(close_of_bad_fd_gets_ebadf)
{
	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE", "close(2) EBADF");
	REQUIRE_CLOSE();
	EXPECT_EQ(-EBADF, uring_close(conform_bad_fd()));
}

/*
 * Kernel commit b5dba59e0cf7 ("io_uring: add support for IORING_OP_CLOSE",
 * 5.6), io_close_prep(): the request uses only fd (and, from 5.15,
 * file_index); a set off, addr, len, rw_flags, buf_index or ioprio field is
 * refused with -EINVAL and the fd stays open (since 5.6).
 */
TEST(close_with_unused_field_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"commit b5dba59e0cf7 (5.6): io_uring: add support for IORING_OP_CLOSE; io_close_prep()");
	REQUIRE_CLOSE();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	prep_close(&sqe, fd);
	sqe.off = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_close(&sqe, fd);
	sqe.addr = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_close(&sqe, fd);
	sqe.len = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_close(&sqe, fd);
	sqe.rw_flags = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_close(&sqe, fd);
	sqe.buf_index = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_close(&sqe, fd);
	sqe.ioprio = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_TRUE(fd_open(fd));
	close(fd);
}

/*
 * io_close_prep() (kernel io_uring/openclose.c; fs/io_uring.c before
 * 5.19): IORING_OP_CLOSE takes no registered file, so IOSQE_FIXED_FILE on
 * it is refused, with -EBADF (the first posting of the 5.6 patch answered
 * -EINVAL; the merged code checks REQ_F_FIXED_FILE and answers -EBADF);
 * the fd stays open (since 5.6).
 */
TEST(close_with_fixed_file_flag_gets_ebadf)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"io_close_prep(): REQ_F_FIXED_FILE refused with -EBADF");
	REQUIRE_CLOSE();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &fd, 1));
	prep_close(&sqe, 0);
	sqe.flags = IOSQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&ring, &sqe));
	EXPECT_TRUE(fd_open(fd));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel io_close() (io_uring/openclose.c, io_is_uring_fops()): an io_uring
 * fd cannot be closed with IORING_OP_CLOSE, neither the ring's own fd nor
 * another ring's: -EBADF, and the ring goes on working (since 5.6, where
 * io_close_prep() refused the io_uring_fops file).
 */
TEST(close_of_io_uring_fd_gets_ebadf)
{
	struct io_uring_sqe sqe;
	struct io_uring ring, other;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"io_close(): io_is_uring_fops() refused with -EBADF");
	REQUIRE_CLOSE();
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_EQ(0, io_uring_queue_init(2, &other, 0));
	prep_close(&sqe, ring.ring_fd);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&ring, &sqe));
	prep_close(&sqe, other.ring_fd);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&ring, &sqe));
	EXPECT_TRUE(fd_open(ring.ring_fd));
	EXPECT_TRUE(fd_open(other.ring_fd));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	EXPECT_EQ(0, uring_run_nop(&other, 0));
	io_uring_queue_exit(&other);
	io_uring_queue_exit(&ring);
}

/*
 * close(2) NOTES, multithreaded processes: on Linux "the blocking I/O
 * system call holds a reference to the underlying open file description,
 * and this reference keeps the description open until the I/O system call
 * completes". An io_uring READ pending on a pipe's read end holds one too
 * (it took the file when it was submitted): IORING_OP_CLOSE of that fd
 * completes with 0 and does not cancel the read, which stays pending and
 * completes with the data written afterwards (since 5.6).
 */
TEST(close_does_not_cancel_pending_read_on_the_fd)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[8] = { 0 };
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"close(2) NOTES: blocking I/O holds a reference to the open file description");
	REQUIRE_CLOSE();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_rw(&ring, false, p[0], buf, sizeof(buf), false);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_close(sqe, p[0]);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_CLOSE, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_TRUE(fd_closed(p[0]));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(5, write(p[1], "late", 5));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_READ, cqe.user_data);
	EXPECT_EQ(5, cqe.res);
	EXPECT_STREQ("late", buf);
	io_uring_queue_exit(&ring);
	close(p[1]);
}

/*
 * io_uring_setup(2) IORING_SETUP_IOPOLL: "it is illegal to mix and match
 * polled and non-polled I/O on an io_uring instance"; a CLOSE on an IOPOLL
 * ring is refused with -EINVAL (io_close_prep() up to 5.19, the opcode
 * table's iopoll bit since) and the fd stays open (since 5.6).
 */
TEST(close_on_iopoll_ring_gets_einval)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"io_uring_setup(2) IORING_SETUP_IOPOLL; io_close_prep()");
	REQUIRE_CLOSE();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, IORING_SETUP_IOPOLL));
	prep_close(&sqe, fd);
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&ring, &sqe));
	EXPECT_TRUE(fd_open(fd));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_CLOSE: "If the file_index field is set to a
 * positive number, this command can be used to close files that were
 * direct opened ... The direct close feature is available since the 5.15
 * kernel"; io_uring_prep_close_direct(3): "This is identical to
 * unregistering the direct descriptor". Slot 0 (file_index 1) is then
 * empty, so a request naming it with IOSQE_FIXED_FILE gets -EBADF, while
 * the process's own fd for the same file stays open and usable (since
 * 5.15, commit 7df778be2f61).
 */
TEST(close_direct_empties_the_slot)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[4];
	int p[2];

	CONFORM_DECLARE("5.15", "IORING_OP_CLOSE file_index",
			"io_uring_enter(2) IORING_OP_CLOSE file_index; io_uring_prep_close_direct(3)");
	REQUIRE_CLOSE_DIRECT();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &p[0], 1));
	prep_close_slot(&sqe, 0);
	EXPECT_EQ(0, uring_run_sqe_res(&ring, &sqe));
	queue_rw(&ring, false, 0, buf, sizeof(buf), true);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(-EBADF, cqe.res);
	ASSERT_EQ(3, write(p[1], "abc", 3));
	EXPECT_EQ(3, read(p[0], buf, sizeof(buf)));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_prep_close_direct(3) / kernel io_fixed_fd_remove(): closing a
 * slot of the table that holds no file gets -EBADF, as close(2) of an fd
 * that is not open does (since 5.15).
 */
TEST(close_direct_of_empty_slot_gets_ebadf)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int files[2] = { -1, -1 };

	CONFORM_DECLARE("5.15", "IORING_OP_CLOSE file_index",
			"io_uring_prep_close_direct(3); io_fixed_fd_remove() -EBADF");
	REQUIRE_CLOSE_DIRECT();
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	prep_close_slot(&sqe, 1);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&ring, &sqe));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_fixed_fd_remove() (io_close_fixed() in 5.15): a file_index
 * past the end of the registered table is refused with -EINVAL (since
 * 5.15).
 */
TEST(close_direct_past_table_end_gets_einval)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;
	int files[2] = { -1, -1 };

	CONFORM_DECLARE("5.15", "IORING_OP_CLOSE file_index",
			"io_fixed_fd_remove(): offset >= nr_user_files -EINVAL");
	REQUIRE_CLOSE_DIRECT();
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	prep_close_slot(&sqe, 2);
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&ring, &sqe));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_fixed_fd_remove() (io_close_fixed() in 5.15): on a ring with
 * no registered file table a direct close gets -ENXIO, as
 * IORING_UNREGISTER_FILES does when no files are registered
 * (io_uring_register(2) ERRORS ENXIO) (since 5.15).
 */
TEST(close_direct_without_file_table_gets_enxio)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("5.15", "IORING_OP_CLOSE file_index",
			"io_fixed_fd_remove(): no file table -ENXIO");
	REQUIRE_CLOSE_DIRECT();
	prep_close_slot(&sqe, 0);
	EXPECT_EQ(-ENXIO, uring_run_one_sqe_res(&sqe));
}

/*
 * io_uring_enter(2) IORING_OP_CLOSE: "Note that only one of the descriptor
 * fields may be set"; kernel commit 7df778be2f61 ("io_uring: make OP_CLOSE
 * consistent with direct open", 5.15), io_close_prep(): with both fd and
 * file_index set the CLOSE is refused with -EINVAL and neither the fd nor
 * the slot is closed (since 5.15).
 */
TEST(close_with_fd_and_file_index_gets_einval)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[4];
	int p[2];

	CONFORM_DECLARE("5.15", "IORING_OP_CLOSE file_index",
			"io_uring_enter(2) IORING_OP_CLOSE only one of the descriptor fields; commit 7df778be2f61 (5.15)");
	REQUIRE_CLOSE_DIRECT();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &p[1], 1));
	prep_close_slot(&sqe, 0);
	sqe.fd = p[0];
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&ring, &sqe));
	EXPECT_TRUE(fd_open(p[0]));
	/* The slot still holds the write end: a write through it arrives. */
	memcpy(buf, "xy", 2);
	queue_rw(&ring, true, 0, buf, 2, true);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(2, cqe.res);
	EXPECT_EQ(2, read(p[0], buf, sizeof(buf)));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
