// SPDX-License-Identifier: MIT
/*
 * uring/big-entries: rings of big entries, IORING_SETUP_SQE128 (SQEs of 128
 * bytes) and IORING_SETUP_CQE32 (CQEs of 32 bytes), both since 5.19: the
 * stride at which the kernel reads SQEs and writes CQEs, the zeroed extra
 * half of a NOP's CQE, and the size of the SQE array mapping.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { CQE32_BYTES = 32, SQE128_BYTES = 128 };

/* The raw CQE at byte offset idx * 32 of a CQE32 ring's CQE array. */
static struct io_uring_cqe *big_cqe_at(struct io_uring *ring, unsigned int idx)
{
	return (struct io_uring_cqe *)((char *)ring->cq.cqes +
				       (size_t)idx * CQE32_BYTES);
}

/* Init a liburing ring of 4 entries with setup flags (0 or -errno). */
static int big_ring(struct io_uring *ring, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(4, ring, &p);
}

/* Fill the 32-byte CQ slots with 0xff and run a NOP tagged tag; its CQE, unseen. */
static struct io_uring_cqe *
run_nop_on_poisoned_cq(struct __test_metadata *_metadata,
		       struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;

	memset(ring->cq.cqes, 0xff, (size_t)*ring->cq.kring_entries * CQE32_BYTES);
	sqe = io_uring_get_sqe(ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, tag);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_wait_cqe_ms(ring, &cqe, URING_REAP_BOUND_MS));
	return cqe;
}

/*
 * io_uring_setup(2) IORING_SETUP_CQE32: CQEs are 32 bytes, the extra 16
 * (big_cqe[2]) carry opcode-specific data; a NOP has none, and the kernel
 * writes zeros there (since 5.19). The slot is filled with 0xff first so
 * that a kernel which left it alone would be seen.
 */
TEST(cqe32_nop_completes_with_zeroed_big_cqe)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	CONFORM_DECLARE("5.19", "IORING_SETUP_CQE32",
			"io_uring_setup(2) IORING_SETUP_CQE32");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQE32);
	ASSERT_EQ(0, big_ring(&ring, IORING_SETUP_CQE32));
	cqe = run_nop_on_poisoned_cq(_metadata, &ring, 0x1234);
	EXPECT_EQ(big_cqe_at(&ring, 0), cqe);
	EXPECT_EQ(0x1234ULL, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(0u, cqe->flags);
	EXPECT_EQ(0ULL, cqe->big_cqe[0]);
	EXPECT_EQ(0ULL, cqe->big_cqe[1]);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_CQE32: each CQE takes 32 bytes of the CQ
 * ring, so the second CQE starts 32 bytes after the first (since 5.19).
 */
TEST(cqe32_consecutive_cqes_are_32_bytes_apart)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.19", "IORING_SETUP_CQE32",
			"io_uring_setup(2) IORING_SETUP_CQE32");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_CQE32);
	ASSERT_EQ(0, big_ring(&ring, IORING_SETUP_CQE32));
	memset(ring.cq.cqes, 0, (size_t)*ring.cq.kring_entries * CQE32_BYTES);
	for (__u64 tag = 1; tag <= 2; tag++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ASSERT_NE(NULL, sqe);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, tag);
	}
	ASSERT_EQ(2, io_uring_submit_and_wait(&ring, 2));
	ASSERT_EQ(2u, io_uring_cq_ready(&ring));
	EXPECT_EQ(1ULL, big_cqe_at(&ring, 0)->user_data);
	EXPECT_EQ(2ULL, big_cqe_at(&ring, 1)->user_data);
	/* A 16-byte stride would have put the second CQE here. */
	EXPECT_EQ(0ULL, ((struct io_uring_cqe *)ring.cq.cqes + 1)->user_data);
	io_uring_cq_advance(&ring, 2);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQE128: SQEs are 128 bytes and the kernel
 * reads the next SQE 128 bytes further on (since 5.19). The second half of
 * the first slot holds an SQE of an unknown opcode: a kernel reading at a
 * 64-byte stride would complete it with -EINVAL instead of the second NOP.
 */
TEST(sqe128_second_sqe_is_read_128_bytes_further)
{
	struct io_uring ring;
	struct io_uring_sqe *first, *second, *decoy;
	__u64 tags[2] = { 11, 12 };
	int res[2] = { -1, -1 };

	CONFORM_DECLARE("5.19", "IORING_SETUP_SQE128",
			"io_uring_setup(2) IORING_SETUP_SQE128");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQE128);
	ASSERT_EQ(0, big_ring(&ring, IORING_SETUP_SQE128));
	first = io_uring_get_sqe(&ring);
	second = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, first);
	ASSERT_NE(NULL, second);
	ASSERT_EQ(SQE128_BYTES, (int)((char *)second - (char *)first));
	io_uring_prep_nop(first);
	io_uring_sqe_set_data64(first, tags[0]);
	decoy = first + 1;
	memset(decoy, 0, sizeof(*decoy));
	decoy->opcode = 0xff;
	decoy->user_data = 99;
	io_uring_prep_nop(second);
	io_uring_sqe_set_data64(second, tags[1]);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2): the SQE array is mapped at IORING_OFF_SQES with
 * sq_entries * sizeof(struct io_uring_sqe) bytes; with IORING_SETUP_SQE128
 * each entry is 128 bytes, so the array is twice as big (since 5.19).
 * A page's worth of 64-byte SQEs is used, so that the array needs 2 pages:
 * a second mapping of the array, as long as that, shares its last bytes
 * with liburing's mapping (memory the kernel did not allocate could not be
 * written through one mapping and read through the other).
 */
TEST(sqe128_sqe_array_spans_128_bytes_per_entry)
{
	unsigned int entries = (unsigned int)sysconf(_SC_PAGESIZE) / 64;
	size_t len = (size_t)entries * SQE128_BYTES;
	struct io_uring ring;
	struct io_uring_params p;
	unsigned char *map;

	CONFORM_DECLARE("5.19", "IORING_SETUP_SQE128",
			"io_uring_setup(2) IORING_OFF_SQES and "
			"IORING_SETUP_SQE128");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQE128);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128;
	ASSERT_EQ(0, io_uring_queue_init_params(entries, &ring, &p));
	ASSERT_EQ(entries, p.sq_entries);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ring.ring_fd,
		   IORING_OFF_SQES);
	ASSERT_NE(MAP_FAILED, map);
	conform_fill_pattern(map + len - SQE128_BYTES, SQE128_BYTES, 5);
	EXPECT_TRUE(conform_check_pattern((char *)ring.sq.sqes + len - SQE128_BYTES,
					  SQE128_BYTES, 5));
	munmap(map, len);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2): the two flags combine; a NOP on a ring with both
 * completes with res 0 in a 32-byte CQE with zeroed extra data (since 5.19).
 */
TEST(sqe128_and_cqe32_together_run_a_nop)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	CONFORM_DECLARE("5.19", "IORING_SETUP_SQE128",
			"io_uring_setup(2) IORING_SETUP_SQE128 and "
			"IORING_SETUP_CQE32");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	ASSERT_EQ(0, big_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	cqe = run_nop_on_poisoned_cq(_metadata, &ring, 77);
	EXPECT_EQ(77ULL, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(0ULL, cqe->big_cqe[0]);
	EXPECT_EQ(0ULL, cqe->big_cqe[1]);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
