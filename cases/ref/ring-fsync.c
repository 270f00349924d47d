// SPDX-License-Identifier: MIT
/*
 * ref/ring-fsync: IORING_OP_FSYNC through the reference ring: plain and
 * IORING_FSYNC_DATASYNC on a written file, a write linked to an fsync
 * (IOSQE_IO_LINK set through ref_ring_last_sqe), and the errors for a bad
 * fd, an fd without fsync support and unknown fsync flags.
 */
#include "conform_ref.h"

/* io_uring_enter(2) IORING_OP_FSYNC: like fsync(2); res 0 (since 5.1). */
TEST(fsync_of_written_file_returns_zero)
{
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"io_uring_enter(2) IORING_OP_FSYNC");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, 0, 1));
	EXPECT_EQ(0, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_enter(2): fsync_flags IORING_FSYNC_DATASYNC gives fdatasync(2)
 * semantics; res 0 (since 5.1).
 */
TEST(fdatasync_of_written_file_returns_zero)
{
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_FSYNC_DATASYNC",
			"io_uring_enter(2) IORING_OP_FSYNC fsync_flags");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, IORING_FSYNC_DATASYNC, 1));
	EXPECT_EQ(0, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: the next SQE starts only after this one
 * completed successfully, which makes "write, then fsync" one submission
 * (links since 5.3; the write is IORING_OP_WRITE, 5.6, so this test holds
 * from 5.6). Both complete, the write first, with 4096 and 0.
 */
TEST(write_linked_to_fsync_both_complete_in_order)
{
	static char buf[4096];
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK; IORING_OP_WRITE "
			"(5.6)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_write(&ring, fd, buf, sizeof(buf), 0, 1));
	ref_ring_last_sqe(&ring)->flags |= IOSQE_IO_LINK;
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, 0, 2));
	ASSERT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(2u, log.n);
	EXPECT_EQ(1u, log.cqe[0].user_data);
	EXPECT_EQ(4096, log.cqe[0].res);
	EXPECT_EQ(2u, log.cqe[1].user_data);
	EXPECT_EQ(0, log.cqe[1].res);
	ref_ring_free(&ring);
	close(fd);
}

/* fsync(2) EBADF: fd is not a valid open file descriptor (since 5.1). */
TEST(fsync_on_bad_fd_gets_ebadf)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC", "fsync(2) EBADF");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, conform_bad_fd(), 0, 1));
	EXPECT_EQ(-EBADF, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
}

/*
 * fsync(2) EINVAL: "fd is bound to a special file (e.g., a pipe, FIFO, or
 * socket) which does not support synchronization" (since 5.1).
 */
TEST(fsync_on_pipe_gets_einval)
{
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC", "fsync(2) EINVAL");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, p[1], 0, 1));
	EXPECT_EQ(-EINVAL, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2): fsync_flags takes only IORING_FSYNC_DATASYNC; the
 * kernel rejects other bits with -EINVAL (since 5.1).
 */
TEST(fsync_with_unknown_flag_gets_einval)
{
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"io_uring_enter(2) IORING_OP_FSYNC fsync_flags");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(16, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, IORING_FSYNC_DATASYNC << 1, 1));
	EXPECT_EQ(-EINVAL, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
