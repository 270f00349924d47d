// SPDX-License-Identifier: MIT
/*
 * ref/ring-registered-files: registered files (IORING_REGISTER_FILES) used
 * with IOSQE_FIXED_FILE, set on the SQE through ref_ring_last_sqe(): sqe->fd
 * is then an index into the registered table. Covers reads through an
 * index, a file that stays usable after its fd is closed, indexes out of
 * range or naming an empty (-1) slot, and the register/unregister errors.
 */
#include "conform_ref.h"

/* Prepare a read of registered file index idx. */
static bool prep_fixed_read(struct ref_ring *ring, int idx, void *buf,
			    unsigned int len, uint64_t off, uint64_t ud)
{
	if (!ref_prep_read(ring, idx, buf, len, off, ud))
		return false;
	ref_ring_last_sqe(ring)->flags |= IOSQE_FIXED_FILE;
	return true;
}

/*
 * io_uring_enter(2) IOSQE_FIXED_FILE: "fd is an index into the files array
 * registered with ... IORING_REGISTER_FILES" (since 5.1; READ 5.6). Table
 * {pipe read end, file}: index 1 reads the file, index 0 the pipe.
 */
TEST(fixed_file_index_selects_registered_file)
{
	char buf[200];
	struct ref_ring ring;
	int p[2], fd, table[2];

	CONFORM_DECLARE("5.6", "IOSQE_FIXED_FILE",
			"io_uring_enter(2) IOSQE_FIXED_FILE; IORING_OP_READ "
			"(5.6)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(p));
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	table[0] = p[0];
	table[1] = fd;
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_files(&ring, table, 2));
	ASSERT_TRUE(prep_fixed_read(&ring, 1, buf, 200, 1000, 1));
	EXPECT_EQ(200, ref_case_run_one(&ring, 1));
	EXPECT_TRUE(conform_check_pattern(buf, 200, 1000));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ASSERT_TRUE(prep_fixed_read(&ring, 0, buf, sizeof(buf), 0, 2));
	EXPECT_EQ(3, ref_case_run_one(&ring, 2));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(0, ref_ring_unregister_files(&ring));
	ref_ring_free(&ring);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES: registering takes a reference
 * on each file, so the file stays usable through its index after the
 * process closes its own fd (since 5.1; the read through the index is an
 * IORING_OP_READ, so this test holds from 5.6).
 */
TEST(registered_file_outlives_closed_fd)
{
	char buf[64];
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_FILES",
			"io_uring_register(2) IORING_REGISTER_FILES; "
			"IORING_OP_READ (5.6)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_files(&ring, &fd, 1));
	ASSERT_EQ(0, close(fd));
	ASSERT_TRUE(prep_fixed_read(&ring, 0, buf, sizeof(buf), 64, 1));
	EXPECT_EQ(64, ref_case_run_one(&ring, 1));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 64));
	ref_ring_free(&ring);
}

/*
 * io_uring_enter(2) CQE errors: EBADF when "IOSQE_FIXED_FILE was set ... but
 * no files were registered" or the index is invalid; an index past the table
 * and an index whose slot was registered as -1 (an empty slot, 5.5) both
 * give -EBADF. Empty slots are probed through IORING_OP_FILES_UPDATE (5.6),
 * the opcode that fills them; with IORING_OP_READ (5.6) this test holds
 * from 5.6.
 */
TEST(fixed_index_out_of_range_or_empty_gets_ebadf)
{
	char buf[16];
	struct ref_ring ring;
	int table[2];

	CONFORM_DECLARE("5.6", "IOSQE_FIXED_FILE",
			"io_uring_enter(2) CQE errors EBADF; IORING_OP_READ "
			"(5.6)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_FILES_UPDATE);
	table[0] = conform_temp_file(16, 0);
	ASSERT_LE(0, table[0]);
	table[1] = -1;
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_files(&ring, table, 2));
	ASSERT_TRUE(prep_fixed_read(&ring, 2, buf, sizeof(buf), 0, 1));
	EXPECT_EQ(-EBADF, ref_case_run_one(&ring, 1));
	ASSERT_TRUE(prep_fixed_read(&ring, 1, buf, sizeof(buf), 0, 2));
	EXPECT_EQ(-EBADF, ref_case_run_one(&ring, 2));
	ref_ring_free(&ring);
	close(table[0]);
}

/*
 * io_uring_register(2) ERRORS: EBUSY when files are registered already;
 * ENXIO for IORING_UNREGISTER_FILES with none registered (since 5.1).
 */
TEST(register_twice_ebusy_and_unregister_none_enxio)
{
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_uring_register(2) EBUSY and ENXIO");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(16, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	EXPECT_EQ(-ENXIO, ref_ring_unregister_files(&ring));
	ASSERT_EQ(0, ref_ring_register_files(&ring, &fd, 1));
	EXPECT_EQ(-EBUSY, ref_ring_register_files(&ring, &fd, 1));
	EXPECT_EQ(0, ref_ring_unregister_files(&ring));
	EXPECT_EQ(-ENXIO, ref_ring_unregister_files(&ring));
	ref_ring_free(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
