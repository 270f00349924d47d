// SPDX-License-Identifier: MIT
/*
 * eventfd/uring-rw: an eventfd's counter read and written through io_uring
 * (IORING_OP_READ and IORING_OP_WRITE) instead of read(2)/write(2): the same
 * 8-byte semantics (read returns and resets, or in semaphore mode returns 1
 * and decrements; write adds), the same EINVAL cases as CQE results, a read
 * of a zero counter that stays pending until a write, and a write that
 * would overflow pending until a read. (An EFD_NONBLOCK eventfd is left out:
 * what io_uring does with a read that would block there is not documented,
 * and 6.18 waits for a write where older kernels may complete with -EAGAIN.)
 * Sources: eventfd(2); io_uring_enter(2) IORING_OP_READ, IORING_OP_WRITE
 * ("like pread(2)/pwrite(2)", since 5.6).
 */
#include <liburing.h>
#include <sys/eventfd.h>

#include "conform_uring.h"

#define EFD_MAX 0xfffffffffffffffeULL

/* Queue one IORING_OP_READ (or WRITE) of len bytes of buf on efd. */
static void prep_efd_rw(struct __test_metadata *_metadata,
			struct io_uring *ring, bool write, int efd, void *buf,
			unsigned int len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ASSERT_NE(NULL, sqe);
	if (write)
		io_uring_prep_write(sqe, efd, buf, len, 0);
	else
		io_uring_prep_read(sqe, efd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, write ? 0x3 : 0x2);
}

/* Read the counter with read(2) on a nonblocking eventfd: its value, or 0
 * when the read failed with EAGAIN (the counter is 0). */
static uint64_t counter_of(int efd)
{
	uint64_t v = 0;

	return read(efd, &v, sizeof(v)) == 8 ? v : 0;
}

/*
 * eventfd(2): a write adds its 8-byte value to the counter; io_uring_enter(2)
 * IORING_OP_WRITE does what write(2) does, so res is 8 and the counter holds
 * the sum (since 5.6).
 */
TEST(uring_write_adds_value_to_counter)
{
	struct io_uring ring;
	uint64_t add = 3;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"io_uring_enter(2) IORING_OP_WRITE; eventfd(2) write; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(5, EFD_CLOEXEC | EFD_NONBLOCK));
	prep_efd_rw(_metadata, &ring, true, efd, &add, sizeof(add));
	EXPECT_EQ(8, uring_submit_res(&ring));
	EXPECT_EQ(8, counter_of(efd));
	close(efd);
	io_uring_queue_exit(&ring);
}

/*
 * eventfd(2): a read returns the counter and resets it to 0; through
 * IORING_OP_READ res is 8, the buffer holds the value and a following read
 * finds the counter empty (since 5.6).
 */
TEST(uring_read_returns_counter_and_resets_it)
{
	struct io_uring ring;
	uint64_t val = 0;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IORING_OP_READ; eventfd(2) read; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(7, EFD_CLOEXEC));
	prep_efd_rw(_metadata, &ring, false, efd, &val, sizeof(val));
	EXPECT_EQ(8, uring_submit_res(&ring));
	EXPECT_EQ(7, val);
	ASSERT_EQ(0, fcntl(efd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(efd, &val, sizeof(val)));
	EXPECT_EQ(EAGAIN, errno);
	close(efd);
	io_uring_queue_exit(&ring);
}

/*
 * eventfd(2) EFD_SEMAPHORE (since 2.6.30): a read returns 1 and decrements
 * the counter by 1; IORING_OP_READ does the same (since 5.6).
 */
TEST(uring_semaphore_read_returns_one_and_decrements)
{
	struct io_uring ring;
	uint64_t val = 0;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"eventfd(2) EFD_SEMAPHORE (2.6.30) read; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE));
	prep_efd_rw(_metadata, &ring, false, efd, &val, sizeof(val));
	EXPECT_EQ(8, uring_submit_res(&ring));
	EXPECT_EQ(1, val);
	/* Two units left: two more semaphore reads, then EAGAIN. */
	EXPECT_EQ(1, counter_of(efd));
	EXPECT_EQ(1, counter_of(efd));
	EXPECT_EQ(0, counter_of(efd));
	close(efd);
	io_uring_queue_exit(&ring);
}

/*
 * eventfd(2): a read of a zero counter blocks until a write (blocking fd).
 * An IORING_OP_READ of it stays pending (no CQE) and completes with res 8
 * and the written value once a write(2) comes (since 5.6).
 */
TEST(uring_read_of_zero_counter_completes_when_written)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	uint64_t val = 0, add = 4;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"eventfd(2) read blocks until a write; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	prep_efd_rw(_metadata, &ring, false, efd, &val, sizeof(val));
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(8, write(efd, &add, sizeof(add)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(8, cqe.res);
	EXPECT_EQ(4, val);
	close(efd);
	io_uring_queue_exit(&ring);
}

/*
 * eventfd(2): a write that would take the counter past 0xfffffffffffffffe
 * blocks until a read. An IORING_OP_WRITE of 1 on a full counter stays
 * pending and completes with res 8 after a read(2) reset the counter, which
 * then holds 1 (since 5.6).
 */
TEST(uring_write_past_maximum_completes_when_read)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	uint64_t val = EFD_MAX, add = 1;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"eventfd(2) write past the maximum blocks until a read; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	ASSERT_EQ(8, write(efd, &val, sizeof(val)));
	prep_efd_rw(_metadata, &ring, true, efd, &add, sizeof(add));
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(8, read(efd, &val, sizeof(val)));
	EXPECT_EQ(EFD_MAX, val);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(8, cqe.res);
	ASSERT_EQ(0, fcntl(efd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(1, counter_of(efd));
	close(efd);
	io_uring_queue_exit(&ring);
}

/*
 * eventfd(2) ERRORS: a read whose buffer is smaller than 8 bytes fails with
 * EINVAL; through IORING_OP_READ res is -EINVAL and the counter is left
 * alone (since 5.6).
 */
TEST(uring_read_with_7_byte_buffer_gets_einval)
{
	struct io_uring ring;
	uint64_t val = 0;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"eventfd(2) read EINVAL for a buffer under 8 bytes; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(9, EFD_CLOEXEC | EFD_NONBLOCK));
	prep_efd_rw(_metadata, &ring, false, efd, &val, 7);
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	EXPECT_EQ(9, counter_of(efd));
	close(efd);
	io_uring_queue_exit(&ring);
}

/*
 * eventfd(2) ERRORS: writing the value 0xffffffffffffffff fails with EINVAL;
 * through IORING_OP_WRITE res is -EINVAL and nothing is added (since 5.6).
 */
TEST(uring_write_of_all_ones_gets_einval)
{
	struct io_uring ring;
	uint64_t bad = ~0ULL;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"eventfd(2) write EINVAL for 0xffffffffffffffff; IORING_OP_READ/WRITE since commit 3a6820f2bb8a (5.6): io_uring: add non-vectored read/write commands");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_LE(0, efd = eventfd(2, EFD_CLOEXEC | EFD_NONBLOCK));
	prep_efd_rw(_metadata, &ring, true, efd, &bad, sizeof(bad));
	EXPECT_EQ(-EINVAL, uring_submit_res(&ring));
	EXPECT_EQ(2, counter_of(efd));
	close(efd);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
