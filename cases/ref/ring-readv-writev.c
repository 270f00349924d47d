// SPDX-License-Identifier: MIT
/*
 * ref/ring-readv-writev: IORING_OP_READV and IORING_OP_WRITEV through the
 * reference ring: gathering writes and scattering reads on a regular file, a
 * readv that waits on an empty pipe, and the iovec-count limit.
 */
#include "conform_ref.h"

/*
 * io_uring_enter(2) IORING_OP_WRITEV: like pwritev(2), the buffers are
 * written in array order at off (since 5.1). Three iovecs of 10, 0 and 90
 * bytes holding the pattern for 500..599 written at 500: res 100, and
 * pread(2) finds the pattern.
 */
TEST(writev_gathers_iovecs_in_order)
{
	char a[10], c[90], back[100];
	struct iovec iov[3] = {
		{ a, sizeof(a) }, { NULL, 0 }, { c, sizeof(c) },
	};
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_WRITEV",
			"io_uring_enter(2) IORING_OP_WRITEV; pwritev(2)");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(a, sizeof(a), 500);
	conform_fill_pattern(c, sizeof(c), 510);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_writev(&ring, fd, iov, 3, 500, 1));
	EXPECT_EQ(100, ref_case_run_one(&ring, 1));
	ASSERT_EQ(100, pread(fd, back, sizeof(back), 500));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 500));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IORING_OP_READV: like preadv(2), each buffer is filled
 * before the next (since 5.1). 64 + 4000 + 32 bytes from offset 4000.
 */
TEST(readv_scatters_into_iovecs_in_order)
{
	static char a[64], b[4000], c[32];
	struct iovec iov[3] = {
		{ a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) },
	};
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV",
			"io_uring_enter(2) IORING_OP_READV; preadv(2)");
	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_readv(&ring, fd, iov, 3, 4000, 1));
	EXPECT_EQ(4096, ref_case_run_one(&ring, 1));
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 4000));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 4064));
	EXPECT_TRUE(conform_check_pattern(c, sizeof(c), 8064));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * readv(2) on a pipe blocks until data is there and then returns what is
 * available; IORING_OP_READV completes only then (since 5.1). A brief wait
 * runs out; after 6 bytes are written the readv returns 6 split 4 + 2.
 */
TEST(readv_on_empty_pipe_completes_after_write)
{
	char a[4], b[8] = { 0 };
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_OP_READV",
			"readv(2) on a pipe; io_uring_enter(2) "
			"IORING_OP_READV");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_readv(&ring, p[0], iov, 2, 0, 1));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_TRUE(ref_case_nothing_completes(&ring));
	ASSERT_EQ(6, write(p[1], "abcdef", 6));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(6, ref_case_res_of(&log, 1));
	EXPECT_EQ(0, memcmp(a, "abcd", 4));
	EXPECT_EQ(0, memcmp(b, "ef", 2));
	ref_ring_free(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * readv(2) EINVAL: "iovcnt is less than zero or greater than the permitted
 * maximum" (UIO_MAXIOV, 1024); IORING_OP_READV gives res -EINVAL (5.1).
 */
TEST(readv_with_too_many_iovecs_gets_einval)
{
	enum { NR = 1025 };
	static struct iovec iov[NR];
	static char byte[NR];
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_OP_READV", "readv(2) EINVAL");
	CONFORM_REQUIRE_URING();
	for (int i = 0; i < NR; i++) {
		iov[i].iov_base = &byte[i];
		iov[i].iov_len = 1;
	}
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_readv(&ring, fd, iov, NR, 0, 1));
	EXPECT_EQ(-EINVAL, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
