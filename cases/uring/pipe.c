// SPDX-License-Identifier: MIT
/*
 * uring/pipe: IORING_OP_PIPE (Linux 6.16), the asynchronous pipe2(2). The
 * SQE carries in addr a pointer to an int[2] that receives the read end
 * (fds[0]) and the write end (fds[1]), the pipe2(2) flags in pipe_flags
 * (the union word that the 6.1 struct, used here, calls rw_flags), and in
 * file_index either 0 (regular descriptors), a slot + 1 (direct
 * descriptors at slot and slot + 1) or IORING_FILE_INDEX_ALLOC (two free
 * slots chosen by the kernel). Covered: the regular pipe and the data
 * through it, O_CLOEXEC and O_NONBLOCK, the direct variants (alloc, a
 * given slot, occupied slots, the last slot, O_CLOEXEC, no table), and the
 * errors: an unknown flag or a set fd/off/addr3 field (EINVAL), an
 * unwritable fds array (EFAULT, nothing left behind). The 6.1 header and
 * liburing 2.3 lack the opcode: SQEs are filled by hand.
 * Sources: io_uring_prep_pipe(3), pipe2(2), kernel commits "io_uring: add
 * support for IORING_OP_PIPE" (53db8a71ecb4, 6.16) and "io_uring/openclose:
 * fix io_pipe_fixed() slot tracking for specific slots" (f4d0668b38d8,
 * 7.0), io_uring/openclose.c.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

#define REQUIRE_PIPE() \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_PIPE, \
						 "IORING_OP_PIPE"))

enum { NSLOTS = 4 };

static const char msg[] = "through the io_uring pipe";

/* An IORING_OP_PIPE SQE: fds in addr, flags, file_index; all else 0. */
static void prep_pipe(struct io_uring_sqe *sqe, int *fds, unsigned int flags,
		      unsigned int file_index)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_PIPE;
	sqe->addr = (__u64)(uintptr_t)fds;
	sqe->rw_flags = flags;		/* pipe_flags in the 6.16 header */
	sqe->file_index = file_index;
}

/* Run one pipe request on ring: the CQE res (INT_MIN if it did not run). */
static int run_pipe(struct io_uring *ring, int *fds, unsigned int flags,
		    unsigned int file_index)
{
	struct io_uring_sqe sqe;

	prep_pipe(&sqe, fds, flags, file_index);
	return uring_run_sqe_res(ring, &sqe);
}

/* As run_pipe() on a ring of its own: for the regular-descriptor tests. */
static int uring_pipe(int *fds, unsigned int flags)
{
	struct io_uring_sqe sqe;

	prep_pipe(&sqe, fds, flags, 0);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * The lowest descriptor number not open in this process (what the next
 * open would get), found by duplicating fd: shows that a failed request
 * left no descriptor behind.
 */
static int lowest_free_fd(int fd)
{
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (d >= 0)
		close(d);
	return d;
}

/*
 * Data written into the write end comes out of the read end: both are
 * regular descriptors (fixed false) or slots of ring (fixed true), used
 * through IORING_OP_WRITE and IORING_OP_READ (IOSQE_FIXED_FILE for slots).
 */
static void expect_data_flows(struct __test_metadata *_metadata,
			      struct io_uring *ring, int rd, int wr, bool fixed)
{
	struct io_uring_sqe *sqe;
	char buf[sizeof(msg)];

	memset(buf, 0, sizeof(buf));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_write(sqe, wr, msg, sizeof(msg), 0);
	if (fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	EXPECT_EQ((int)sizeof(msg), uring_submit_res(ring));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_read(sqe, rd, buf, sizeof(buf), 0);
	if (fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	EXPECT_EQ((int)sizeof(msg), uring_submit_res(ring));
	EXPECT_EQ(0, memcmp(buf, msg, sizeof(msg)));
}

/*
 * What slot of ring holds: IORING_OP_FIXED_FD_INSTALL (6.8) of the slot
 * gives a regular descriptor of its file (returned; the caller closes it),
 * or -EBADF when the slot is empty.
 */
static int slot_file(struct io_uring *ring, int slot)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = REF_IORING_OP_FIXED_FD_INSTALL;
	sqe.fd = slot;
	sqe.flags = IOSQE_FIXED_FILE;
	return uring_run_sqe_res(ring, &sqe);
}

/* 1 when slot holds a file, 0 when it is empty, -1 on anything else. */
static int slot_used(struct io_uring *ring, int slot)
{
	int fd = slot_file(ring, slot);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return fd == -EBADF ? 0 : -1;
}

/* A file table of NSLOTS empty slots on a new 8-entry ring. */
static void ring_with_table(struct __test_metadata *_metadata,
			    struct io_uring *ring)
{
	ASSERT_EQ(0, io_uring_queue_init(8, ring, 0));
	ASSERT_EQ(0, io_uring_register_files_sparse(ring, NSLOTS));
}

/*
 * io_uring_prep_pipe(3): "the resulting input/read side of the pipe will
 * be stored in fds[0] and the output/write side of the pipe will be stored
 * in fds[1]"; pipe2(2): "Data written to the write end of the pipe is
 * buffered by the kernel until it is read from the read end". res 0, two
 * new descriptors of one FIFO, read-only and write-only, and data flows
 * (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_creates_connected_read_and_write_ends)
{
	struct io_uring ring;
	struct stat st0, st1;
	int fds[2] = { -1, -1 };

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"io_uring_prep_pipe(3) fds[0] read side, fds[1] write side; pipe2(2)");
	REQUIRE_PIPE();
	EXPECT_EQ(0, uring_pipe(fds, 0));
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	ASSERT_EQ(0, fstat(fds[0], &st0));
	ASSERT_EQ(0, fstat(fds[1], &st1));
	EXPECT_TRUE(S_ISFIFO(st0.st_mode));
	EXPECT_EQ(st0.st_ino, st1.st_ino);
	EXPECT_EQ(O_RDONLY, fcntl(fds[0], F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fcntl(fds[1], F_GETFL) & O_ACCMODE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	expect_data_flows(_metadata, &ring, fds[0], fds[1], false);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * pipe2(2) O_CLOEXEC: "Set the close-on-exec (FD_CLOEXEC) flag on the two
 * new file descriptors"; without it neither has the flag
 * (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_o_cloexec_sets_close_on_exec_on_both_ends)
{
	int fds[2] = { -1, -1 };

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE", "pipe2(2) O_CLOEXEC");
	REQUIRE_PIPE();
	ASSERT_EQ(0, uring_pipe(fds, 0));
	EXPECT_EQ(0, fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
	close(fds[0]);
	close(fds[1]);
	ASSERT_EQ(0, uring_pipe(fds, O_CLOEXEC));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
	close(fds[0]);
	close(fds[1]);
}

/*
 * pipe2(2) O_NONBLOCK: "Set the O_NONBLOCK file status flag on the open
 * file descriptions referred to by the new file descriptors"; a read of
 * the empty pipe then fails with EAGAIN at once. Without it neither end
 * has the flag (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_o_nonblock_makes_both_ends_nonblocking)
{
	int fds[2] = { -1, -1 };
	char c;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE", "pipe2(2) O_NONBLOCK");
	REQUIRE_PIPE();
	ASSERT_EQ(0, uring_pipe(fds, O_CLOEXEC));
	EXPECT_EQ(0, fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(fds[1], F_GETFL) & O_NONBLOCK);
	close(fds[0]);
	close(fds[1]);
	ASSERT_EQ(0, uring_pipe(fds, O_NONBLOCK | O_CLOEXEC));
	EXPECT_EQ(O_NONBLOCK, fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_NONBLOCK, fcntl(fds[1], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(-1, read(fds[0], &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(fds[0]);
	close(fds[1]);
}

/*
 * pipe2(2) EINVAL: "Invalid value in flags": O_APPEND, not one of the
 * pipe2 flags, is refused; no descriptor is made and fds is untouched
 * (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_unknown_flag_gets_einval_and_makes_no_fd)
{
	struct io_uring ring;
	int fds[2] = { -7, -7 }, lowest;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE", "pipe2(2) EINVAL invalid flags");
	REQUIRE_PIPE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	lowest = lowest_free_fd(ring.ring_fd);
	EXPECT_EQ(-EINVAL, run_pipe(&ring, fds, O_APPEND, 0));
	EXPECT_EQ(-EINVAL, run_pipe(&ring, fds, O_APPEND | O_CLOEXEC, 0));
	EXPECT_EQ(-7, fds[0]);
	EXPECT_EQ(-7, fds[1]);
	EXPECT_EQ(lowest, lowest_free_fd(ring.ring_fd));
	io_uring_queue_exit(&ring);
}

/*
 * Commit 53db8a71ecb4 ("io_uring: add support for IORING_OP_PIPE", 6.16):
 * io_pipe_prep() refuses a set fd, off or addr3 field with EINVAL (they
 * are reserved) (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_with_fd_off_or_addr3_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fds[2] = { -7, -7 };

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"commit 53db8a71ecb4 (6.16): io_pipe_prep refuses fd, off, addr3");
	REQUIRE_PIPE();
	prep_pipe(&sqe, fds, 0, 0);
	sqe.fd = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_pipe(&sqe, fds, 0, 0);
	sqe.off = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_pipe(&sqe, fds, 0, 0);
	sqe.addr3 = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_EQ(-7, fds[0]);
	EXPECT_EQ(-7, fds[1]);
}

/*
 * pipe2(2) EFAULT: "pipefd is not valid": an fds array in read-only memory
 * gets -EFAULT, and the two descriptors reserved for it are released
 * again, so no descriptor is left behind (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_unwritable_fds_array_gets_efault_and_makes_no_fd)
{
	struct io_uring ring;
	void *ro;
	int lowest;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE", "pipe2(2) EFAULT");
	REQUIRE_PIPE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	lowest = lowest_free_fd(ring.ring_fd);
	EXPECT_EQ(-EFAULT, run_pipe(&ring, ro, 0, 0));
	EXPECT_EQ(lowest, lowest_free_fd(ring.ring_fd));
	munmap(ro, 4096);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_pipe(3): with file_index IORING_FILE_INDEX_ALLOC
 * "io_uring [picks] any available descriptors for the read and write side
 * of the pipe", stored in fds[0] and fds[1]: two distinct slots of the
 * table, the data flows through them (IOSQE_FIXED_FILE), and no regular
 * descriptor is made (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_direct_alloc_puts_both_ends_in_free_slots)
{
	struct io_uring ring;
	int fds[2] = { -1, -1 }, lowest;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"io_uring_prep_pipe_direct(3) IORING_FILE_INDEX_ALLOC");
	REQUIRE_PIPE();
	ring_with_table(_metadata, &ring);
	lowest = lowest_free_fd(ring.ring_fd);
	EXPECT_EQ(0, run_pipe(&ring, fds, 0, IORING_FILE_INDEX_ALLOC));
	EXPECT_EQ(lowest, lowest_free_fd(ring.ring_fd));
	ASSERT_LE(0, fds[0]);
	ASSERT_GT(NSLOTS, fds[0]);
	ASSERT_LE(0, fds[1]);
	ASSERT_GT(NSLOTS, fds[1]);
	EXPECT_NE(fds[0], fds[1]);
	expect_data_flows(_metadata, &ring, fds[0], fds[1], true);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_pipe(3): "If a specific index is given, the read side of
 * the pipe will be created at that offset ... and the write side will be
 * created at the next (+1) index" (file_index = slot + 1 in the SQE).
 * Slot 1 gets the read end and slot 2 the write end: data written through
 * slot 2 comes out of slot 1; no regular descriptor is made
 * (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_direct_at_given_slot_uses_it_and_the_next)
{
	struct io_uring ring;
	int fds[2] = { -1, -1 }, lowest;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"io_uring_prep_pipe_direct(3) explicit file_index");
	REQUIRE_PIPE();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FIXED_FD_INSTALL,
						 "IORING_OP_FIXED_FD_INSTALL"));
	ring_with_table(_metadata, &ring);
	lowest = lowest_free_fd(ring.ring_fd);
	EXPECT_EQ(0, run_pipe(&ring, fds, 0, 1 + 1));
	EXPECT_EQ(lowest, lowest_free_fd(ring.ring_fd));
	expect_data_flows(_metadata, &ring, 1, 2, true);
	EXPECT_EQ(0, slot_used(&ring, 0));
	EXPECT_EQ(0, slot_used(&ring, 3));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_pipe(3): "the resulting input/read side of the pipe will
 * be stored in fds[0] and the output/write side ... in fds[1]", also for a
 * given slot: fds is {1, 2} for file_index 2. Kernels 6.16 to 6.19 stored
 * the return value of the slot install (0) instead; fixed by commit
 * f4d0668b38d8 ("io_uring/openclose: fix io_pipe_fixed() slot tracking
 * for specific slots", 7.0, backported to stable kernels) (since 7.0).
 */
TEST(pipe_direct_at_given_slot_reports_the_slots_in_fds)
{
	struct io_uring ring;
	int fds[2] = { -1, -1 };

	CONFORM_DECLARE("7.0", "IORING_OP_PIPE",
			"io_uring_prep_pipe_direct(3); commit f4d0668b38d8 (7.0)");
	REQUIRE_PIPE();
	ring_with_table(_metadata, &ring);
	ASSERT_EQ(0, run_pipe(&ring, fds, 0, 1 + 1));
	EXPECT_EQ(1, fds[0]);
	EXPECT_EQ(2, fds[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_prep_pipe(3) says of a given index: "Both of these must be
 * currently unused, or the operation will fail". The kernel does as for
 * every direct descriptor (io_uring_prep_accept_direct(3): "If a specified
 * entry already contains a file, the file will first be removed from the
 * table and closed"): res 0, the new ends take the slots and the old files
 * are released: the write end of an older pipe, held only by slot 2, is
 * closed and its read end sees end of file (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_direct_into_occupied_slots_replaces_their_files)
{
	struct io_uring ring;
	struct pollfd pfd;
	int old[2], files[NSLOTS] = { -1, -1, -1, -1 }, fds[2];
	char c;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"io_uring/openclose.c io_pipe_fixed; io_uring_prep_accept_direct(3) occupied entry");
	REQUIRE_PIPE();
	ASSERT_EQ(0, conform_pipe(old));
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	files[2] = old[1];
	ASSERT_EQ(0, io_uring_register_files(&ring, files, NSLOTS));
	close(old[1]);
	EXPECT_EQ(0, run_pipe(&ring, fds, 0, 1 + 1));
	pfd.fd = old[0];
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, URING_REAP_BOUND_MS));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(0, read(old[0], &c, 1));
	expect_data_flows(_metadata, &ring, 1, 2, true);
	close(old[0]);
	io_uring_queue_exit(&ring);
}

/*
 * A given slot whose next slot lies beyond the table: the read end is
 * installed, the write end cannot be (-EINVAL, as for any slot beyond the
 * table), and the request fails with -EINVAL after removing the read end
 * it installed, leaving the other slots alone. Before commit f4d0668b38d8
 * (7.0) the kernel removed slot 0 instead and left the read end in the
 * last slot. Slot 0 holds a file of its own here (since 7.0).
 */
TEST(pipe_direct_at_last_slot_gets_einval_and_undoes_its_install)
{
	struct io_uring ring;
	int other[2], files[NSLOTS] = { -1, -1, -1, -1 }, fds[2] = { -7, -7 };

	CONFORM_DECLARE("7.0", "IORING_OP_PIPE",
			"commit f4d0668b38d8 (7.0): io_pipe_fixed error path");
	REQUIRE_PIPE();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FIXED_FD_INSTALL,
						 "IORING_OP_FIXED_FD_INSTALL"));
	ASSERT_EQ(0, conform_pipe(other));
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	files[0] = other[0];
	ASSERT_EQ(0, io_uring_register_files(&ring, files, NSLOTS));
	EXPECT_EQ(-EINVAL, run_pipe(&ring, fds, 0, (NSLOTS - 1) + 1));
	EXPECT_EQ(0, slot_used(&ring, NSLOTS - 1));
	EXPECT_EQ(1, slot_used(&ring, 0));
	EXPECT_EQ(-7, fds[0]);
	close(other[0]);
	close(other[1]);
	io_uring_queue_exit(&ring);
}

/*
 * A direct descriptor cannot be close-on-exec: O_CLOEXEC with a file_index
 * gets -EINVAL and no slot is taken (io_uring/openclose.c io_pipe_fixed();
 * as io_uring_prep_accept_direct(3) for SOCK_CLOEXEC) (IORING_OP_PIPE,
 * since 6.16).
 */
TEST(pipe_direct_with_o_cloexec_gets_einval)
{
	struct io_uring ring;
	int fds[2] = { -7, -7 };

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"io_uring/openclose.c io_pipe_fixed: O_CLOEXEC refused");
	REQUIRE_PIPE();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FIXED_FD_INSTALL,
						 "IORING_OP_FIXED_FD_INSTALL"));
	ring_with_table(_metadata, &ring);
	EXPECT_EQ(-EINVAL, run_pipe(&ring, fds, O_CLOEXEC,
				    IORING_FILE_INDEX_ALLOC));
	EXPECT_EQ(-EINVAL, run_pipe(&ring, fds, O_CLOEXEC, 0 + 1));
	for (int i = 0; i < NSLOTS; i++)
		EXPECT_EQ(0, slot_used(&ring, i));
	io_uring_queue_exit(&ring);
}

/*
 * pipe2(2) EFAULT ("pipefd is not valid") for the direct variant: the
 * slots the kernel allocated are emptied again when fds cannot be written
 * (io_uring/openclose.c io_pipe_fixed()); the table is left as it was
 * (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_direct_alloc_unwritable_fds_gets_efault_and_frees_slots)
{
	struct io_uring ring;
	void *ro;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"pipe2(2) EFAULT; io_uring/openclose.c io_pipe_fixed");
	REQUIRE_PIPE();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FIXED_FD_INSTALL,
						 "IORING_OP_FIXED_FD_INSTALL"));
	ring_with_table(_metadata, &ring);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-EFAULT, run_pipe(&ring, ro, 0, IORING_FILE_INDEX_ALLOC));
	for (int i = 0; i < NSLOTS; i++)
		EXPECT_EQ(0, slot_used(&ring, i));
	munmap(ro, 4096);
	io_uring_queue_exit(&ring);
}

/*
 * Direct descriptors need a registered file table
 * (io_uring_prep_pipe_direct(3), io_uring_register_files(3)): without one,
 * a given slot gets -ENXIO and IORING_FILE_INDEX_ALLOC gets -ENFILE (no
 * free slot), as for every direct-descriptor opcode (io_uring/filetable.c)
 * (IORING_OP_PIPE, since 6.16).
 */
TEST(pipe_direct_without_file_table_fails)
{
	struct io_uring ring;
	int fds[2] = { -7, -7 }, lowest;

	CONFORM_DECLARE("6.16", "IORING_OP_PIPE",
			"io_uring/filetable.c: ENXIO without a table, ENFILE no free slot");
	REQUIRE_PIPE();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	lowest = lowest_free_fd(ring.ring_fd);
	EXPECT_EQ(-ENXIO, run_pipe(&ring, fds, 0, 0 + 1));
	EXPECT_EQ(-ENFILE, run_pipe(&ring, fds, 0, IORING_FILE_INDEX_ALLOC));
	EXPECT_EQ(lowest, lowest_free_fd(ring.ring_fd));
	EXPECT_EQ(-7, fds[0]);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
