// SPDX-License-Identifier: MIT
/*
 * uring/files-update: the registered (fixed) file table: sparse entries,
 * IORING_REGISTER_FILES_UPDATE and IORING_OP_FILES_UPDATE filling, replacing
 * and clearing slots, reads through IOSQE_FIXED_FILE, and the EBADF / EINVAL /
 * EBUSY / ENXIO errors of registration and fixed-file lookups; the
 * EINVAL / ENXIO refusals of IORING_REGISTER_FILES_UPDATE2 (5.13): nr 0,
 * reserved words set, a wrong argument size, a range past the table, no
 * table.
 */
#include <liburing.h>

#include "conform_uring.h"

/* IORING_OP_READ of len bytes at off through fixed-file slot index. */
static int fixed_read(struct io_uring *ring, int index, void *buf,
		      unsigned int len, __u64 off)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_read(&sqe, index, buf, len, off);
	sqe.flags |= IOSQE_FIXED_FILE;
	return uring_run_sqe_res(ring, &sqe);
}

/* A 4-entry ring with the nr fds (-1: sparse) registered as its file table. */
static void ring_with_files(struct __test_metadata *_metadata,
			    struct io_uring *ring, int *fds, unsigned int nr)
{
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(0, uring_register_raw(ring, IORING_REGISTER_FILES, fds, nr));
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES: "The file set may be sparse,
 * meaning that the fd field in the array may be set to -1"; a fixed-file
 * request on such an empty slot fails with -EBADF (io_uring_enter(2): the
 * fd field is invalid) (since 5.5).
 */
TEST(sparse_slot_read_gets_ebadf)
{
	struct io_uring ring;
	int fds[2] = { -1, -1 };
	char buf[16];

	CONFORM_DECLARE("5.5", "IORING_REGISTER_FILES",
			"io_uring_register(2) IORING_REGISTER_FILES sparse "
			"set; io_uring_enter(2) EBADF");
	CONFORM_REQUIRE_URING();
	ring_with_files(_metadata, &ring, fds, 2);
	EXPECT_EQ(-EBADF, fixed_read(&ring, 0, buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES_UPDATE: turns a sparse entry
 * into a real one; the call returns the number of entries updated (1), and
 * the slot then reads the file (since 5.5).
 */
TEST(register_files_update_fills_sparse_slot)
{
	static char buf[1000];
	struct io_uring ring;
	int fds[2] = { -1, -1 };
	int fd;

	CONFORM_DECLARE("5.5", "IORING_REGISTER_FILES_UPDATE",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, fds, 2);
	EXPECT_EQ(1, uring_files_update_raw(&ring, 1, &fd, 1));
	EXPECT_EQ((int)sizeof(buf), fixed_read(&ring, 1, buf, sizeof(buf), 100));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 100));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES_UPDATE: a new fd of -1 removes
 * an existing entry; a fixed-file read on it then fails with -EBADF
 * (since 5.5).
 */
TEST(register_files_update_minus_one_removes_entry)
{
	struct io_uring ring;
	int fd, none = -1;
	char buf[16];

	CONFORM_DECLARE("5.5", "IORING_REGISTER_FILES_UPDATE",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, &fd, 1);
	ASSERT_EQ((int)sizeof(buf), fixed_read(&ring, 0, buf, sizeof(buf), 0));
	EXPECT_EQ(1, uring_files_update_raw(&ring, 0, &none, 1));
	EXPECT_EQ(-EBADF, fixed_read(&ring, 0, buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_FILES_UPDATE, io_uring_prep_files_update(3):
 * the same update as a request; "res will contain the number of
 * successfully updated file descriptors", and each slot then reads its own
 * file (since 5.6).
 */
TEST(op_files_update_res_is_count_and_slots_read_their_files)
{
	static char a[500], b[500];
	struct io_uring ring;
	struct io_uring_sqe sqe;
	int sparse[3] = { -1, -1, -1 };
	int fds[2];

	CONFORM_DECLARE("5.6", "IORING_OP_FILES_UPDATE",
			"io_uring_prep_files_update(3)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FILES_UPDATE);
	fds[0] = conform_temp_file(4096, 0);
	fds[1] = conform_temp_file(8192, 0);
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	ring_with_files(_metadata, &ring, sparse, 3);
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_files_update(&sqe, fds, 2, 1);
	EXPECT_EQ(2, uring_run_sqe_res(&ring, &sqe));
	EXPECT_EQ(-EBADF, fixed_read(&ring, 0, a, sizeof(a), 0));
	EXPECT_EQ((int)sizeof(a), fixed_read(&ring, 1, a, sizeof(a), 0));
	EXPECT_EQ((int)sizeof(b), fixed_read(&ring, 2, b, sizeof(b), 6000));
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 0));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 6000));
	/* The size shows which file each slot holds: 8192 only in slot 2. */
	EXPECT_EQ(0, fixed_read(&ring, 1, a, sizeof(a), 4096));
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_prep_files_update(3) -EINVAL: "One of the fields set in the SQE
 * was invalid": an update reaching past the end of the registered table
 * (IORING_OP_FILES_UPDATE, since 5.6).
 */
TEST(op_files_update_past_table_end_gets_einval)
{
	struct io_uring ring;
	struct io_uring_sqe sqe;
	int sparse[2] = { -1, -1 };
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FILES_UPDATE",
			"io_uring_prep_files_update(3) -EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FILES_UPDATE);
	fd = conform_temp_file(10, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, sparse, 2);
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_files_update(&sqe, &fd, 1, 2);
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&ring, &sqe));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) EBADF: a fixed-file index beyond the registered table is
 * not a valid fd field (since 5.1).
 */
TEST(fixed_index_past_table_end_gets_ebadf)
{
	struct io_uring ring;
	char buf[16];
	int fd;

	CONFORM_DECLARE("5.1", "IOSQE_FIXED_FILE", "io_uring_enter(2) EBADF");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, &fd, 1);
	EXPECT_EQ(-EBADF, fixed_read(&ring, 5, buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/* io_uring_register(2) EBADF: "One or more fds in the fd array are invalid" (since 5.1). */
TEST(register_files_with_invalid_fd_gets_ebadf)
{
	struct io_uring ring;
	int fds[2];

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_uring_register(2) EBADF");
	CONFORM_REQUIRE_URING();
	fds[0] = conform_temp_file(10, 0);
	fds[1] = conform_bad_fd();
	ASSERT_LE(0, fds[0]);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(EBADF, errno);
	io_uring_queue_exit(&ring);
	close(fds[0]);
}

/*
 * io_uring_register(2) EINVAL: "IORING_REGISTER_FILES was specified, but
 * nr_args is 0" (since 5.1).
 */
TEST(register_files_with_zero_count_gets_einval)
{
	struct io_uring ring;
	int fd = -1;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_uring_register(2) EINVAL");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_FILES, &fd, 0));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) EBUSY: IORING_REGISTER_FILES "was specified, but
 * there were already ... files ... registered" (since 5.1).
 */
TEST(register_files_twice_gets_ebusy)
{
	struct io_uring ring;
	int fds[1] = { -1 };

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_uring_register(2) EBUSY");
	CONFORM_REQUIRE_URING();
	ring_with_files(_metadata, &ring, fds, 1);
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_FILES, fds, 1));
	EXPECT_EQ(EBUSY, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ENXIO: "IORING_UNREGISTER_FILES was specified, but
 * there were no ... files registered"; after one unregister, a second one
 * finds none (since 5.1).
 */
TEST(unregister_files_without_table_gets_enxio)
{
	struct io_uring ring;
	int fds[1] = { -1 };

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_FILES",
			"io_uring_register(2) ENXIO");
	CONFORM_REQUIRE_URING();
	ring_with_files(_metadata, &ring, fds, 1);
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(ENXIO, errno);
	io_uring_queue_exit(&ring);
}

/*
 * IORING_REGISTER_FILES_UPDATE2 (5.13) of up, with nr_args as given (the
 * kernel wants the size of struct io_uring_rsrc_update2); as the system
 * call returns (the number updated, or -1 with errno).
 */
static int files_update2_raw(struct io_uring *ring,
			     struct io_uring_rsrc_update2 *up,
			     unsigned int size)
{
	return uring_register_raw(ring, IORING_REGISTER_FILES_UPDATE2, up, size);
}

/* An update2 of nr fds from fds, from slot offset on, without tags. */
static struct io_uring_rsrc_update2 update2_of(unsigned int offset, int *fds,
					       unsigned int nr)
{
	struct io_uring_rsrc_update2 up;

	memset(&up, 0, sizeof(up));
	up.offset = offset;
	up.data = (__u64)(uintptr_t)fds;
	up.nr = nr;
	return up;
}

/*
 * Kernel io_register_rsrc_update(), IORING_REGISTER_FILES_UPDATE2: "nr
 * must contain the number of descriptors in the passed in arrays"
 * (io_uring_register(2)); an update of none (nr 0) is refused with EINVAL
 * and the table is untouched (since 5.13).
 */
TEST(files_update2_with_zero_nr_gets_einval)
{
	struct io_uring_rsrc_update2 up;
	struct io_uring ring;
	char buf[16];
	int fd;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE2; io_register_rsrc_update(): nr 0 is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, &fd, 1);
	up = update2_of(0, (int[]){ -1 }, 0);
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, sizeof(up)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ((int)sizeof(buf), fixed_read(&ring, 0, buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel io_register_rsrc_update(): the reserved words of struct
 * io_uring_rsrc_update2 (resv, resv2) must be zero; either one set gets
 * EINVAL and the slot keeps its file (IORING_REGISTER_FILES_UPDATE2,
 * since 5.13).
 */
TEST(files_update2_with_nonzero_resv_gets_einval)
{
	struct io_uring_rsrc_update2 up;
	struct io_uring ring;
	int fd, none = -1;
	char buf[16];

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"io_register_rsrc_update(): resv or resv2 non-zero is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, &fd, 1);
	up = update2_of(0, &none, 1);
	up.resv = 1;
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, sizeof(up)));
	EXPECT_EQ(EINVAL, errno);
	up = update2_of(0, &none, 1);
	up.resv2 = 1;
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, sizeof(up)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ((int)sizeof(buf), fixed_read(&ring, 0, buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel io_register_rsrc_update(): nr_args is the size of struct
 * io_uring_rsrc_update2 ("keep it extendible"); any other size gets EINVAL
 * (IORING_REGISTER_FILES_UPDATE2, since 5.13). The count of fds, 1, in
 * nr_args as for IORING_REGISTER_FILES_UPDATE, is such a size.
 */
TEST(files_update2_with_wrong_arg_size_gets_einval)
{
	struct io_uring_rsrc_update2 up;
	struct io_uring ring;
	int sparse = -1, fd;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"io_register_rsrc_update(): nr_args other than sizeof(struct io_uring_rsrc_update2) is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fd = conform_temp_file(10, 0);
	ASSERT_LE(0, fd);
	ring_with_files(_metadata, &ring, &sparse, 1);
	up = update2_of(0, &fd, 1);
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, sizeof(up) + 8));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel __io_sqe_files_update(): an update reaching past the end of the
 * registered table (offset + nr > table size) is refused as a whole with
 * EINVAL; the slots inside the table are not touched either
 * (IORING_REGISTER_FILES_UPDATE2, since 5.13).
 */
TEST(files_update2_past_table_end_gets_einval)
{
	struct io_uring_rsrc_update2 up;
	struct io_uring ring;
	int sparse[2] = { -1, -1 };
	int fds[2];
	char buf[16];

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"__io_sqe_files_update(): offset + nr past the table is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fds[0] = conform_temp_file(4096, 0);
	fds[1] = conform_temp_file(4096, 0);
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	ring_with_files(_metadata, &ring, sparse, 2);
	up = update2_of(1, fds, 2);
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, sizeof(up)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EBADF, fixed_read(&ring, 1, buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Kernel __io_sqe_files_update(): with no file table registered there is
 * nothing to update: ENXIO, as io_uring_register(2) gives for
 * IORING_UNREGISTER_FILES without files (IORING_REGISTER_FILES_UPDATE2,
 * since 5.13).
 */
TEST(files_update2_without_table_gets_enxio)
{
	struct io_uring_rsrc_update2 up;
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"__io_sqe_files_update(): no file table is ENXIO; io_uring_register(2) ENXIO");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fd = conform_temp_file(10, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	up = update2_of(0, &fd, 1);
	EXPECT_EQ(-1, files_update2_raw(&ring, &up, sizeof(up)));
	EXPECT_EQ(ENXIO, errno);
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
