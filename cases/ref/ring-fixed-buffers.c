// SPDX-License-Identifier: MIT
/*
 * ref/ring-fixed-buffers: registered buffers (IORING_REGISTER_BUFFERS) with
 * IORING_OP_READ_FIXED / IORING_OP_WRITE_FIXED through the reference ring:
 * a round trip inside a registered buffer, transfers outside it or naming a
 * buffer index that does not exist, and the register/unregister errors.
 */
#include "conform_ref.h"

enum { BUF_LEN = 8192 };

/* An anonymous mapping for a registered buffer; NULL on failure. */
static void *map_buf(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * io_uring_enter(2) IORING_OP_WRITE_FIXED/READ_FIXED: addr and len must lie
 * inside registered buffer buf_index; otherwise like pwrite/pread (5.1).
 * 1000 bytes from the middle of buffer 1 written at 3000, read back into
 * buffer 0 at its start.
 */
TEST(write_fixed_then_read_fixed_roundtrips)
{
	struct iovec iov[2];
	struct ref_ring ring;
	unsigned char *b0, *b1;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITE_FIXED/IORING_OP_READ_FIXED",
			"io_uring_enter(2) IORING_OP_READ_FIXED, "
			"IORING_OP_WRITE_FIXED");
	CONFORM_REQUIRE_URING();
	b0 = map_buf(BUF_LEN);
	b1 = map_buf(BUF_LEN);
	ASSERT_NE(NULL, b0);
	ASSERT_NE(NULL, b1);
	iov[0] = (struct iovec){ b0, BUF_LEN };
	iov[1] = (struct iovec){ b1, BUF_LEN };
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_buffers(&ring, iov, 2));
	conform_fill_pattern(b1 + 100, 1000, 3000);
	ASSERT_TRUE(ref_prep_write_fixed(&ring, fd, b1 + 100, 1000, 3000, 1, 1));
	EXPECT_EQ(1000, ref_case_run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_read_fixed(&ring, fd, b0, 1000, 3000, 0, 2));
	EXPECT_EQ(1000, ref_case_run_one(&ring, 2));
	EXPECT_TRUE(conform_check_pattern(b0, 1000, 3000));
	EXPECT_EQ(0, ref_ring_unregister_buffers(&ring));
	ref_ring_free(&ring);
	close(fd);
	munmap(b0, BUF_LEN);
	munmap(b1, BUF_LEN);
}

/*
 * io_uring_register(2) IORING_REGISTER_BUFFERS: a fixed transfer must stay
 * within the registered buffer; the kernel ends one reaching past its end
 * with -EFAULT (since 5.1). 100 bytes starting 50 before the end.
 */
TEST(read_fixed_past_buffer_end_gets_efault)
{
	struct iovec iov;
	struct ref_ring ring;
	unsigned char *b;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) IORING_REGISTER_BUFFERS");
	CONFORM_REQUIRE_URING();
	b = map_buf(2 * BUF_LEN);
	ASSERT_NE(NULL, b);
	iov = (struct iovec){ b, BUF_LEN };
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_buffers(&ring, &iov, 1));
	ASSERT_TRUE(ref_prep_read_fixed(&ring, fd, b + BUF_LEN - 50, 100, 0, 0, 1));
	EXPECT_EQ(-EFAULT, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
	munmap(b, 2 * BUF_LEN);
}

/*
 * io_uring_register(2): buf_index names one of the registered buffers; an
 * index past the last one ends the request with -EFAULT, and so does any
 * index once the buffers are unregistered (since 5.1).
 */
TEST(read_fixed_with_unregistered_index_gets_efault)
{
	struct iovec iov;
	struct ref_ring ring;
	unsigned char *b;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) IORING_REGISTER_BUFFERS "
			"buf_index");
	CONFORM_REQUIRE_URING();
	b = map_buf(BUF_LEN);
	ASSERT_NE(NULL, b);
	iov = (struct iovec){ b, BUF_LEN };
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_buffers(&ring, &iov, 1));
	ASSERT_TRUE(ref_prep_read_fixed(&ring, fd, b, 100, 0, 1, 1));
	EXPECT_EQ(-EFAULT, ref_case_run_one(&ring, 1));
	ASSERT_EQ(0, ref_ring_unregister_buffers(&ring));
	ASSERT_TRUE(ref_prep_read_fixed(&ring, fd, b, 100, 0, 0, 2));
	EXPECT_EQ(-EFAULT, ref_case_run_one(&ring, 2));
	ref_ring_free(&ring);
	close(fd);
	munmap(b, BUF_LEN);
}

/*
 * io_uring_register(2) ERRORS: "EBUSY IORING_REGISTER_BUFFERS ... was
 * specified, but there were already buffers ... registered" (since 5.1).
 */
TEST(register_buffers_twice_gets_ebusy)
{
	struct iovec iov;
	struct ref_ring ring;
	unsigned char *b;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_BUFFERS",
			"io_uring_register(2) EBUSY");
	CONFORM_REQUIRE_URING();
	b = map_buf(BUF_LEN);
	ASSERT_NE(NULL, b);
	iov = (struct iovec){ b, BUF_LEN };
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_ring_register_buffers(&ring, &iov, 1));
	EXPECT_EQ(-EBUSY, ref_ring_register_buffers(&ring, &iov, 1));
	ref_ring_free(&ring);
	munmap(b, BUF_LEN);
}

/*
 * io_uring_register(2) ERRORS: "ENXIO IORING_UNREGISTER_BUFFERS ... was
 * specified, but there were no buffers ... registered" (since 5.1).
 */
TEST(unregister_buffers_without_any_gets_enxio)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_BUFFERS",
			"io_uring_register(2) ENXIO");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	EXPECT_EQ(-ENXIO, ref_ring_unregister_buffers(&ring));
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
