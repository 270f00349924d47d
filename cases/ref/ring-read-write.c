// SPDX-License-Identifier: MIT
/*
 * ref/ring-read-write: IORING_OP_READ and IORING_OP_WRITE through the
 * reference ring on a regular file (conform_temp_file, pattern-filled):
 * positioned transfers, short reads at end of file, the current-position
 * offset -1, and the errors for bad and wrong-mode fds.
 */
#include "conform_ref.h"

/*
 * io_uring_enter(2) IORING_OP_WRITE/READ: like pwrite(2)/pread(2) at offset
 * off; res is the byte count (since 5.6). 4096 bytes of the pattern for
 * offset 8192 written there and read back exactly.
 */
TEST(write_then_read_at_offset_roundtrips)
{
	static char out[4096], in[4096];
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ/IORING_OP_WRITE",
			"io_uring_enter(2) IORING_OP_READ and IORING_OP_WRITE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	conform_fill_pattern(out, sizeof(out), 8192);
	ASSERT_TRUE(ref_prep_write(&ring, fd, out, sizeof(out), 8192, 1));
	EXPECT_EQ((int)sizeof(out), ref_case_run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_read(&ring, fd, in, sizeof(in), 8192, 2));
	EXPECT_EQ((int)sizeof(in), ref_case_run_one(&ring, 2));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 8192));
	EXPECT_EQ(8192 + 4096, lseek(fd, 0, SEEK_END));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * pread(2), which IORING_OP_READ mirrors: reading across end of file returns
 * the bytes up to it; at or past it, 0 (since 5.6). File of 1000 bytes:
 * 4096 from 0 gives 1000; from 1000 gives 0.
 */
TEST(read_across_eof_is_short_and_at_eof_is_zero)
{
	static char buf[4096];
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"pread(2) RETURN VALUE; io_uring_enter(2) "
			"IORING_OP_READ");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(1000, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_read(&ring, fd, buf, sizeof(buf), 0, 1));
	EXPECT_EQ(1000, ref_case_run_one(&ring, 1));
	EXPECT_TRUE(conform_check_pattern(buf, 1000, 0));
	ASSERT_TRUE(ref_prep_read(&ring, fd, buf, sizeof(buf), 1000, 2));
	EXPECT_EQ(0, ref_case_run_one(&ring, 2));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_enter(2): off -1 means "use the current file position", which the
 * request advances, as read(2) does (IORING_FEAT_RW_CUR_POS, since 5.6).
 * Two reads of 100 with off -1 after lseek(300) return bytes 300..499.
 */
TEST(offset_minus_one_reads_from_file_position)
{
	char buf[100];
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_FEAT_RW_CUR_POS",
			"io_uring_setup(2) IORING_FEAT_RW_CUR_POS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RW_CUR_POS);
	fd = conform_temp_file(1000, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(300, lseek(fd, 300, SEEK_SET));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_read(&ring, fd, buf, sizeof(buf), (uint64_t)-1, 1));
	EXPECT_EQ(100, ref_case_run_one(&ring, 1));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 300));
	ASSERT_TRUE(ref_prep_read(&ring, fd, buf, sizeof(buf), (uint64_t)-1, 2));
	EXPECT_EQ(100, ref_case_run_one(&ring, 2));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 400));
	EXPECT_EQ(500, lseek(fd, 0, SEEK_CUR));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) CQE errors: "EBADF The fd field in the submission queue
 * entry is invalid" (since 5.6). An fd number above RLIMIT_NOFILE.
 */
TEST(read_on_bad_fd_gets_ebadf)
{
	char buf[16];
	struct ref_ring ring;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) CQE errors EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_read(&ring, conform_bad_fd(), buf, sizeof(buf), 0, 1));
	EXPECT_EQ(-EBADF, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
}

/*
 * write(2) EBADF: "fd is not ... open for writing"; IORING_OP_WRITE reports
 * it as res -EBADF (since 5.6). The read end of a pipe.
 */
TEST(write_on_read_only_fd_gets_ebadf)
{
	char buf[16] = "x";
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE", "write(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_write(&ring, p[0], buf, 1, 0, 1));
	EXPECT_EQ(-EBADF, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
