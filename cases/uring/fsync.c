// SPDX-License-Identifier: MIT
/*
 * uring/fsync: IORING_OP_FSYNC (Linux 5.1), the asynchronous fsync(2), with
 * IORING_FSYNC_DATASYNC for fdatasync(2) and the range form (sqe->off and
 * sqe->len: vfs_fsync_range(off, off + len), the whole file when len is
 * 0): res 0 after a write, on a read-only fd and on a directory; a linked
 * WRITE -> FSYNC chain completes in order; and the errors: EBADF (no such
 * fd), EINVAL (unknown fsync_flags, unused fields set, a pipe or socket,
 * which cannot be synced, a negative offset since 7.0). SQEs are filled by
 * hand. (An FSYNC on an IOPOLL ring is uring/iopoll's.)
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_WRITE = 0x417e, TAG_FSYNC = 0xf5c };

/* An IORING_OP_FSYNC of fd with fsync_flags flags over [off, off + len). */
static void prep_fsync(struct io_uring_sqe *sqe, int fd, unsigned int flags,
		       __u64 off, unsigned int len)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_FSYNC;
	sqe->fd = fd;
	sqe->fsync_flags = flags;
	sqe->off = off;
	sqe->len = len;
	sqe->user_data = TAG_FSYNC;
}

/* One FSYNC on a ring of its own: res or INT_MIN. */
static int uring_fsync(int fd, unsigned int flags, __u64 off, unsigned int len)
{
	struct io_uring_sqe sqe;

	prep_fsync(&sqe, fd, flags, off, len);
	return uring_run_one_sqe_res(&sqe);
}

#define REQUIRE_FSYNC() CONFORM_REQUIRE_URING_OP(IORING_OP_FSYNC)

/*
 * io_uring_enter(2) IORING_OP_FSYNC: "File sync. See also fsync(2)";
 * fsync(2) RETURN VALUE: 0 on success. After a write to a temporary file
 * the FSYNC completes with 0 and the data reads back (since 5.1).
 */
TEST(fsync_after_write_completes_zero)
{
	char buf[4096];
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"io_uring_enter(2) IORING_OP_FSYNC; fsync(2)");
	REQUIRE_FSYNC();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_write_pattern(fd, 3 * sizeof(buf)));
	EXPECT_EQ(0, uring_fsync(fd, 0, 0, 0));
	ASSERT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 4096));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	close(fd);
}

/*
 * io_uring_prep_fsync(3): "If IORING_FSYNC_DATASYNC is set in the flags
 * argument, then it behaves like fdatasync(2)": the FSYNC completes with
 * 0 (since 5.1).
 */
TEST(fsync_datasync_completes_zero)
{
	int fd;

	CONFORM_DECLARE("5.1", "IORING_FSYNC_DATASYNC",
			"io_uring_prep_fsync(3) IORING_FSYNC_DATASYNC; fdatasync(2)");
	REQUIRE_FSYNC();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, uring_fsync(fd, IORING_FSYNC_DATASYNC, 0, 0));
	close(fd);
}

/*
 * io_uring_prep_fsync(3): "It's possible to specify a range to sync ... If
 * the off field of the SQE is set to non-zero, then that indicates the
 * offset to start syncing at. If len is set in the SQE, then that
 * indicates the size in bytes to sync from the offset" (kernel io_fsync():
 * vfs_fsync_range(off, off + len)). Syncing bytes 4096..8191 of a 16 KiB
 * file, with and without IORING_FSYNC_DATASYNC, completes with 0 (since
 * 5.1). Against io_uring_enter(2) CQE ERRORS, which list EINVAL for an
 * FSYNC with "any of addr, ioprio, off, len, or buf_index" set: off and
 * len are accepted.
 */
TEST(fsync_of_a_range_completes_zero)
{
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"io_uring_prep_fsync(3) range; io_fsync() vfs_fsync_range()");
	REQUIRE_FSYNC();
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, uring_fsync(fd, 0, 4096, 4096));
	EXPECT_EQ(0, uring_fsync(fd, IORING_FSYNC_DATASYNC, 4096, 4096));
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_FSYNC: "an application which places a write
 * I/O followed by an fsync in the submission queue cannot expect the fsync
 * to apply to the write"; IOSQE_IO_LINK: "That next SQE will not be started
 * before the previous request completes". A WRITE linked to an FSYNC: the
 * WRITE's CQE comes first with all bytes written, then the FSYNC's with 0
 * (since 5.3, IOSQE_IO_LINK).
 */
TEST(linked_write_then_fsync_complete_in_order)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	char buf[8192], back[8192];
	int fd;

	CONFORM_DECLARE("5.3", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK; IORING_OP_FSYNC");
	REQUIRE_FSYNC();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_write(sqe, fd, buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_WRITE);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_fsync(sqe, fd, 0, 0, 0);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_WRITE, cqe.user_data);
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_FSYNC, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel commit c992fe2925d7 ("io_uring: add fsync support", 5.1),
 * io_prep_fsync(): fsync_flags other than IORING_FSYNC_DATASYNC are
 * refused with -EINVAL (since 5.1).
 */
TEST(fsync_unknown_flag_gets_einval)
{
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"commit c992fe2925d7 (5.1): io_uring: add fsync support; fsync_flags");
	REQUIRE_FSYNC();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_fsync(fd, IORING_FSYNC_DATASYNC << 1, 0, 0));
	EXPECT_EQ(-EINVAL, uring_fsync(fd, 1U << 31, 0, 0));
	close(fd);
}

/*
 * fsync(2) EBADF: "fd is not a valid open file descriptor" (io_uring_enter(2)
 * CQE errors: EBADF for the fd field) (since 5.1).
 */
TEST(fsync_bad_fd_gets_ebadf)
{
	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC", "fsync(2) EBADF");
	REQUIRE_FSYNC();
	EXPECT_EQ(-EBADF, uring_fsync(conform_bad_fd(), 0, 0, 0));
}

/*
 * Kernel commit c992fe2925d7 ("io_uring: add fsync support", 5.1): the
 * request does not use addr, buf_index or ioprio; set, each is refused
 * with -EINVAL (since 5.1).
 */
TEST(fsync_with_unused_field_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"commit c992fe2925d7 (5.1): io_uring: add fsync support; io_prep_fsync()");
	REQUIRE_FSYNC();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	prep_fsync(&sqe, fd, 0, 0, 0);
	sqe.addr = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_fsync(&sqe, fd, 0, 0, 0);
	sqe.buf_index = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_fsync(&sqe, fd, 0, 0, 0);
	sqe.ioprio = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(fd);
}

/*
 * Kernel commit 26578cda3db9 ("io_uring: add ->splice_fd_in checks",
 * 5.15; in 5.10.65 stable): requests that do not splice refuse a set
 * splice_fd_in with -EINVAL, FSYNC among them (since 5.15).
 */
TEST(fsync_with_splice_fd_in_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.15", "IORING_OP_FSYNC",
			"commit 26578cda3db9 (5.15): io_uring: add ->splice_fd_in checks");
	REQUIRE_FSYNC();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	prep_fsync(&sqe, fd, 0, 0, 0);
	sqe.splice_fd_in = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(fd);
}

/*
 * fsync(2) ERRORS, EROFS, EINVAL: "fd is bound to a special file (e.g., a
 * pipe, FIFO, or socket) which does not support synchronization": a
 * pipe's write end and a socket get -EINVAL, with and without
 * IORING_FSYNC_DATASYNC (since 5.1).
 */
TEST(fsync_on_pipe_or_socket_gets_einval)
{
	int p[2], sv[2];

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"fsync(2) EINVAL special file which does not support synchronization");
	REQUIRE_FSYNC();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_socketpair(sv));
	EXPECT_EQ(-EINVAL, uring_fsync(p[1], 0, 0, 0));
	EXPECT_EQ(-EINVAL, uring_fsync(p[1], IORING_FSYNC_DATASYNC, 0, 0));
	EXPECT_EQ(-EINVAL, uring_fsync(sv[0], 0, 0, 0));
	EXPECT_EQ(-EINVAL, uring_fsync(sv[0], IORING_FSYNC_DATASYNC, 0, 0));
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * fsync(2) lists no error for a file open read-only (its EBADF is only
 * "not a valid open file descriptor", unlike write(2)'s "not open for
 * writing"): an FSYNC of a read-only fd of a regular file completes with
 * 0 (since 5.1).
 */
TEST(fsync_on_read_only_fd_completes_zero)
{
	int fd, ro;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"fsync(2) ERRORS: no error for a read-only fd");
	REQUIRE_FSYNC();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ro = conform_reopen(fd, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(0, uring_fsync(ro, 0, 0, 0));
	EXPECT_EQ(0, uring_fsync(ro, IORING_FSYNC_DATASYNC, 0, 0));
	close(ro);
	close(fd);
}

/*
 * fsync(2): "Calling fsync() does not necessarily ensure that the entry in
 * the directory containing the file has also reached disk. For that an
 * explicit fsync() on a file descriptor for the directory is also needed":
 * an FSYNC of a directory fd (open O_RDONLY) completes with 0 (since 5.1).
 */
TEST(fsync_on_directory_completes_zero)
{
	int dfd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"fsync(2) DESCRIPTION: fsync() on a file descriptor for the directory");
	REQUIRE_FSYNC();
	dfd = open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(0, uring_fsync(dfd, 0, 0, 0));
	close(dfd);
}

/*
 * Kernel commit "io_uring/sync: validate passed in offset" (mainline 7.0,
 * also taken into the 6.1, 6.12 and other stable series): an FSYNC whose
 * off is negative as a file offset is refused with -EINVAL, "like it would
 * be for sync_file_range(2)" (since 7.0). A kernel without the check syncs
 * and completes with 0: the test then skips, saying so.
 */
TEST(fsync_negative_offset_gets_einval)
{
	int fd, res;

	CONFORM_DECLARE("7.0", "IORING_OP_FSYNC",
			"commit io_uring/sync: validate passed in offset (7.0)");
	REQUIRE_FSYNC();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	res = uring_fsync(fd, 0, (__u64)-1, 0);
	close(fd);
	if (res == 0)
		SKIP(return, "IORING_OP_FSYNC with off -1 completes with 0: no offset check (io_uring/sync: validate passed in offset)");
	EXPECT_EQ(-EINVAL, res);
}

TEST_HARNESS_MAIN
