// SPDX-License-Identifier: MIT
/*
 * uring/sync-file-range: IORING_OP_SYNC_FILE_RANGE (Linux 5.2), the
 * asynchronous sync_file_range(2): offset in the SQE's off field, nbytes in
 * len (an unsigned 32-bit field: a negative nbytes cannot be expressed), the
 * SYNC_FILE_RANGE_* flags in sync_range_flags. Covered: success with the
 * three flags, with no flag, on a directory; the errors sync_file_range(2)
 * documents (EINVAL for an unknown flag, a negative offset or a range past
 * the largest offset, EBADF, ESPIPE on a pipe); the SQE field the kernel's
 * prep refuses (addr); and ordering in a link after an IORING_OP_WRITE.
 * liburing 2.3's io_uring_prep_sync_file_range() exists, but the SQEs are
 * filled by hand so that every field is seen.
 */
#include <liburing.h>

#include "conform_uring.h"

/* The three flags sync_file_range(2) documents, all together. */
static const unsigned int all_flags = SYNC_FILE_RANGE_WAIT_BEFORE |
				      SYNC_FILE_RANGE_WRITE |
				      SYNC_FILE_RANGE_WAIT_AFTER;

#define REQUIRE_SFR() CONFORM_REQUIRE_URING_OP(IORING_OP_SYNC_FILE_RANGE)

/* An IORING_OP_SYNC_FILE_RANGE SQE: fd, off, len, flags; all else 0. */
static void prep_sfr(struct io_uring_sqe *sqe, int fd, __u64 off, __u32 len,
		     unsigned int flags)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_SYNC_FILE_RANGE;
	sqe->fd = fd;
	sqe->off = off;
	sqe->len = len;
	sqe->sync_range_flags = flags;
}

/* Run one sync_file_range request on a ring of its own: the CQE res. */
static int uring_sfr(int fd, __u64 off, __u32 len, unsigned int flags)
{
	struct io_uring_sqe sqe;

	prep_sfr(&sqe, fd, off, len, flags);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * sync_file_range(2): with SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE
 * | SYNC_FILE_RANGE_WAIT_AFTER the dirty pages of the range are written out
 * and waited for; RETURN VALUE: "On success, sync_file_range() returns 0".
 * The request completes with res 0 and the data stays as written
 * (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_with_all_three_flags_gets_zero)
{
	char buf[8192];
	int fd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) RETURN VALUE; io_uring_enter(2) IORING_OP_SYNC_FILE_RANGE");
	REQUIRE_SFR();
	fd = conform_temp_file(sizeof(buf), 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, uring_sfr(fd, 0, sizeof(buf), all_flags));
	ASSERT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 0));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	close(fd);
}

/*
 * sync_file_range(2): "nbytes ... if nbytes is zero, then all bytes from
 * offset through to the end of file are synchronized"; a range of the
 * whole file (offset 0, nbytes 0) with SYNC_FILE_RANGE_WRITE alone, and a
 * request with no flag at all (a permitted no-op), complete with res 0
 * (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_to_end_of_file_and_without_flags_gets_zero)
{
	int fd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) DESCRIPTION nbytes zero; flags");
	REQUIRE_SFR();
	fd = conform_temp_file(3 * 4096 + 100, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, uring_sfr(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
	EXPECT_EQ(0, uring_sfr(fd, 4096, 0, 0));
	close(fd);
}

/*
 * sync_file_range(2) ESPIPE: "fd refers to something other than a regular
 * file, a block device, or a directory": a directory is accepted, res 0
 * (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_on_directory_gets_zero)
{
	int dfd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) ESPIPE (a directory is allowed)");
	REQUIRE_SFR();
	dfd = open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(0, uring_sfr(dfd, 0, 0, all_flags));
	close(dfd);
}

/*
 * sync_file_range(2) EINVAL: "flags specifies an invalid bit": the bit
 * above SYNC_FILE_RANGE_WAIT_AFTER, alone and together with the valid
 * three (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_unknown_flag_gets_einval)
{
	/* The lowest bit above the three documented ones. */
	const unsigned int unknown = all_flags + 1;
	int fd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) EINVAL invalid bit in flags");
	REQUIRE_SFR();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_sfr(fd, 0, 4096, unknown));
	EXPECT_EQ(-EINVAL, uring_sfr(fd, 0, 4096, unknown | all_flags));
	close(fd);
}

/*
 * sync_file_range(2) EINVAL: "offset or nbytes is invalid": a negative
 * offset (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_negative_offset_gets_einval)
{
	int fd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) EINVAL offset invalid");
	REQUIRE_SFR();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_sfr(fd, (__u64)-4096, 4096, all_flags));
	close(fd);
}

/*
 * sync_file_range(2) EINVAL: "offset or nbytes is invalid": nbytes, an
 * unsigned 32-bit field of the SQE, cannot be negative, but a range whose
 * end (offset + nbytes) lies past the largest file offset is refused
 * (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_ending_past_largest_offset_gets_einval)
{
	int fd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) EINVAL nbytes invalid");
	REQUIRE_SFR();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_sfr(fd, (__u64)LLONG_MAX - 100, 4096,
				     all_flags));
	close(fd);
}

/*
 * sync_file_range(2) EBADF: "fd is not a valid file descriptor"; the
 * request completes with -EBADF (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_bad_fd_gets_ebadf)
{
	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) EBADF");
	REQUIRE_SFR();
	EXPECT_EQ(-EBADF, uring_sfr(conform_bad_fd(), 0, 0, all_flags));
}

/*
 * sync_file_range(2) ESPIPE: "fd refers to something other than a regular
 * file, a block device, or a directory": a pipe's write end
 * (IORING_OP_SYNC_FILE_RANGE, since 5.2).
 */
TEST(sync_range_on_pipe_gets_espipe)
{
	int p[2];

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"sync_file_range(2) ESPIPE");
	REQUIRE_SFR();
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-ESPIPE, uring_sfr(p[1], 0, 0, all_flags));
	close(p[0]);
	close(p[1]);
}

/*
 * Kernel commit "io_uring: add support for IORING_OP_SYNC_FILE_RANGE"
 * (5.2): the request takes no buffer, and its prep refuses a set addr
 * field with EINVAL (io_sfr_prep(), today in io_uring/sync.c; since 5.2).
 */
TEST(sync_range_with_addr_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.2", "IORING_OP_SYNC_FILE_RANGE",
			"commit io_uring: add support for IORING_OP_SYNC_FILE_RANGE (5.2); io_sfr_prep");
	REQUIRE_SFR();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	prep_sfr(&sqe, fd, 0, 4096, all_flags);
	sqe.addr = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(fd);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "the next SQE will not be started
 * before the previous request completes". An IORING_OP_WRITE linked to a
 * SYNC_FILE_RANGE of the range it writes: the write completes first with
 * its length, then the sync with 0, and the data is in the file (WRITE is
 * 5.6, links 5.3: since 5.6).
 */
TEST(sync_range_linked_after_write_completes_after_it)
{
	static const char data[] = "linked write then sync_file_range";
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char back[sizeof(data)];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_SYNC_FILE_RANGE",
			"io_uring_enter(2) IOSQE_IO_LINK; sync_file_range(2)");
	REQUIRE_SFR();
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_write(sqe, fd, data, sizeof(data), 4096);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 1;
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_sfr(sqe, fd, 4096, sizeof(data), all_flags);
	sqe->user_data = 2;
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ((int)sizeof(data), cqe.res);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 4096));
	EXPECT_EQ(0, memcmp(back, data, sizeof(data)));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "If a request fails, the remaining
 * requests in the chain are cancelled with -ECANCELED": a WRITE to an fd
 * open only for reading fails with -EBADF, and the SYNC_FILE_RANGE linked
 * to it completes with -ECANCELED without running (since 5.6, as above).
 */
TEST(sync_range_linked_after_failed_write_gets_ecanceled)
{
	static const char data[] = "never written";
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int fd, rfd;

	CONFORM_DECLARE("5.6", "IORING_OP_SYNC_FILE_RANGE",
			"io_uring_enter(2) IOSQE_IO_LINK -ECANCELED");
	REQUIRE_SFR();
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	rfd = conform_reopen(fd, O_RDONLY);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_write(sqe, rfd, data, sizeof(data), 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 1;
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_sfr(sqe, fd, 0, 4096, all_flags);
	sqe->user_data = 2;
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(-EBADF, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	io_uring_queue_exit(&ring);
	close(rfd);
	close(fd);
}

TEST_HARNESS_MAIN
