// SPDX-License-Identifier: MIT
/*
 * uring/file-alloc-range: IORING_REGISTER_FILE_ALLOC_RANGE (6.0), which
 * limits the fixed-file slots the kernel picks for IORING_FILE_INDEX_ALLOC
 * to [off, off + len): picks inside the range, ENFILE once the range is
 * full though slots outside are free, a freed slot picked again, and the
 * registration errors. Slots are picked through IORING_OP_FILES_UPDATE
 * with offset IORING_FILE_INDEX_ALLOC, which writes the picked slots back
 * into the fd array.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TABLE = 8 };

/* IORING_REGISTER_FILE_ALLOC_RANGE as the system call returns it. */
static int alloc_range(struct io_uring *ring, __u32 off, __u32 len, __u64 resv)
{
	struct io_uring_file_index_range range;

	memset(&range, 0, sizeof(range));
	range.off = off;
	range.len = len;
	range.resv = resv;
	return uring_register_raw(ring, IORING_REGISTER_FILE_ALLOC_RANGE,
				  &range, 0);
}

/*
 * Install fd in a slot the kernel picks (IORING_OP_FILES_UPDATE with
 * IORING_FILE_INDEX_ALLOC). Returns the CQE's res (1 when installed) and
 * stores the slot in *slot.
 */
static int alloc_slot(struct io_uring *ring, int fd, int *slot)
{
	struct io_uring_sqe sqe;

	*slot = fd;
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_files_update(&sqe, slot, 1, (int)IORING_FILE_INDEX_ALLOC);
	return uring_run_sqe_res(ring, &sqe);
}

/* A ring with a sparse table of TABLE slots, and a pipe to install. */
static int range_setup(struct io_uring *ring, int p[2])
{
	if (io_uring_queue_init(4, ring, 0))
		return -1;
	if (io_uring_register_files_sparse(ring, TABLE) || conform_pipe(p)) {
		io_uring_queue_exit(ring);
		return -1;
	}
	return 0;
}

static void range_teardown(struct io_uring *ring, int p[2])
{
	close(p[0]);
	close(p[1]);
	io_uring_queue_exit(ring);
}

#define REQUIRE_ALLOC_RANGE() \
	CONFORM_REQUIRE(alloc_range_missing())

static const char *alloc_range_missing(void)
{
	struct io_uring ring;
	int p[2], ret, err;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	if (range_setup(&ring, p))
		return CONFORM_ENV "ring with a sparse file table could not be set up";
	ret = alloc_range(&ring, 0, TABLE, 0);
	err = errno;
	range_teardown(&ring, p);
	if (ret == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_FILE_ALLOC_RANGE: %s (not supported by this kernel)",
		 strerror(err));
	return conform_why;
}

/* Set up, limit allocation to slots 4 and 5, and fill both with p[0]. */
static void fill_range_of_slots_4_and_5(struct __test_metadata *_metadata,
					struct io_uring *ring, int p[2])
{
	int slot;

	ASSERT_EQ(0, range_setup(ring, p));
	ASSERT_EQ(0, alloc_range(ring, 4, 2, 0));
	ASSERT_EQ(1, alloc_slot(ring, p[0], &slot));
	ASSERT_EQ(1, alloc_slot(ring, p[0], &slot));
}

/* On a fresh sparse table, registering this range must fail with errno err. */
static void expect_range_refused(struct __test_metadata *_metadata, __u32 off,
				 __u32 len, __u64 resv, int err)
{
	struct io_uring ring;
	int p[2];

	ASSERT_EQ(0, range_setup(&ring, p));
	EXPECT_EQ(-1, alloc_range(&ring, off, len, resv));
	EXPECT_EQ(err, errno);
	range_teardown(&ring, p);
}

/*
 * io_uring_register_file_alloc_range(3): "the kernel will only allocate
 * file slots within the given range" [off, off + len): the first pick is
 * slot off, the next off + 1 (since 6.0).
 */
TEST(alloc_picks_slots_from_start_of_range)
{
	struct io_uring ring;
	int p[2], slot;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_FILE_ALLOC_RANGE",
			"io_uring_register_file_alloc_range(3)");
	REQUIRE_ALLOC_RANGE();
	ASSERT_EQ(0, range_setup(&ring, p));
	ASSERT_EQ(0, alloc_range(&ring, 4, 2, 0));
	EXPECT_EQ(1, alloc_slot(&ring, p[0], &slot));
	EXPECT_EQ(4, slot);
	EXPECT_EQ(1, alloc_slot(&ring, p[1], &slot));
	EXPECT_EQ(5, slot);
	range_teardown(&ring, p);
}

/*
 * io_uring_register_file_alloc_range(3): once the range is full the kernel
 * picks no slot outside it: the request fails with ENFILE, although slots
 * 0..3 are free (since 6.0).
 */
TEST(full_range_gets_enfile_though_other_slots_are_free)
{
	struct io_uring ring;
	int p[2], slot;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_FILE_ALLOC_RANGE",
			"io_uring_register_file_alloc_range(3); ENFILE");
	REQUIRE_ALLOC_RANGE();
	fill_range_of_slots_4_and_5(_metadata, &ring, p);
	EXPECT_EQ(-ENFILE, alloc_slot(&ring, p[0], &slot));
	range_teardown(&ring, p);
}

/*
 * IORING_FILE_INDEX_ALLOC with a range: a slot of the range freed again
 * (IORING_REGISTER_FILES_UPDATE with -1) is picked by the next allocation
 * (kernel io_file_bitmap_get wraps to the range start, since 6.0).
 */
TEST(freed_slot_in_range_is_picked_again)
{
	struct io_uring ring;
	int p[2], slot, minus_one = -1;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_FILE_ALLOC_RANGE",
			"io_uring/filetable.c io_file_bitmap_get()");
	REQUIRE_ALLOC_RANGE();
	fill_range_of_slots_4_and_5(_metadata, &ring, p);
	ASSERT_EQ(1, uring_files_update_raw(&ring, 4, &minus_one, 1));
	EXPECT_EQ(1, alloc_slot(&ring, p[1], &slot));
	EXPECT_EQ(4, slot);
	range_teardown(&ring, p);
}

/*
 * io_uring_register_file_alloc_range(3) / kernel
 * io_register_file_alloc_range: a range that ends past the registered
 * table gets EINVAL (since 6.0).
 */
TEST(range_past_table_end_gets_einval)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_FILE_ALLOC_RANGE",
			"io_uring/filetable.c io_register_file_alloc_range()");
	REQUIRE_ALLOC_RANGE();
	expect_range_refused(_metadata, 6, 3, 0, EINVAL);
}

/* Kernel io_register_file_alloc_range: off + len overflowing 32 bits gets
 * EOVERFLOW (since 6.0). */
TEST(range_end_overflow_gets_eoverflow)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_FILE_ALLOC_RANGE",
			"io_uring/filetable.c io_register_file_alloc_range()");
	REQUIRE_ALLOC_RANGE();
	expect_range_refused(_metadata, 4, UINT_MAX, 0, EOVERFLOW);
}

/* Kernel io_register_file_alloc_range: a non-zero resv gets EINVAL (6.0). */
TEST(nonzero_resv_gets_einval)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_FILE_ALLOC_RANGE",
			"io_uring/filetable.c io_register_file_alloc_range()");
	REQUIRE_ALLOC_RANGE();
	expect_range_refused(_metadata, 0, 2, 1, EINVAL);
}

TEST_HARNESS_MAIN
