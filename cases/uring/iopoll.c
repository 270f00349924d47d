// SPDX-License-Identifier: MIT
/*
 * uring/iopoll: rings with IORING_SETUP_IOPOLL (5.1), whose reads and
 * writes complete by busy-polling the device, and IORING_SETUP_HYBRID_IOPOLL
 * (6.13), which sleeps before it polls. A polled O_DIRECT read of a block
 * device with polled queues (queue/io_poll 1 in sysfs: an NVMe namespace
 * or a null_blk device; the QEMU guests have an NVMe namespace with
 * nvme.poll_queues=1) completes; a read of a file without polling support
 * (a buffered regular file, a pipe) gets EOPNOTSUPP; requests that cannot
 * be polled (POLL_ADD, FSYNC) get EINVAL, NOP too before 5.19; HYBRID
 * without IOPOLL gets EINVAL; IOPOLL combines with DEFER_TASKRUN (6.1).
 *
 * An IOPOLL ring's completions are reaped by io_uring_enter(2) with
 * IORING_ENTER_GETEVENTS, which polls; poll(2) on the ring fd would not
 * run the poll loop, so the helpers here enter the kernel themselves.
 */
#include <liburing.h>
#include <dirent.h>
#include <sys/uio.h>
#include <ref/uapi.h>

#include "conform_uring.h"

static int iopoll_ring(struct io_uring *ring, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_IOPOLL | flags;
	return io_uring_queue_init_params(4, ring, &p);
}

/*
 * Reap one CQE of an IOPOLL ring into *out: peek, and while there is none
 * enter with IORING_ENTER_GETEVENTS (min_complete 1), which polls for the
 * requests in flight and returns at once when none is; bounded by
 * URING_REAP_BOUND_MS. 0, or -ETIME / the enter's -errno.
 */
static int iopoll_reap(struct io_uring *ring, struct io_uring_cqe *out)
{
	struct timespec start, now;
	struct io_uring_cqe *cqe;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (io_uring_peek_cqe(ring, &cqe) == 0) {
			*out = *cqe;
			io_uring_cqe_seen(ring, cqe);
			return 0;
		}
		if (uring_sys_enter(ring->ring_fd, 0, 1,
				    IORING_ENTER_GETEVENTS) < 0 &&
		    errno != EINTR && errno != EAGAIN)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000L +
		    (now.tv_nsec - start.tv_nsec) / 1000000L >
		    URING_REAP_BOUND_MS)
			return -ETIME;
	}
}

/* Submit the one SQE queued on an IOPOLL ring and reap its CQE: its res,
 * or INT_MIN when the submit or the reap failed. */
static int iopoll_submit_res(struct io_uring *ring)
{
	struct io_uring_cqe cqe;

	if (io_uring_submit(ring) != 1)
		return INT_MIN;
	return iopoll_reap(ring, &cqe) ? INT_MIN : cqe.res;
}

/* Run one READV of len bytes at offset 0 of fd into buf on ring. */
static int iopoll_readv_res(struct io_uring *ring, int fd, void *buf,
			    size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	if (!sqe)
		return INT_MIN;
	io_uring_prep_readv(sqe, fd, &iov, 1, 0);
	return iopoll_submit_res(ring);
}

/* Run one request of opcode op (all else zero but fd) on ring. */
static int iopoll_op_res(struct io_uring *ring, unsigned char op, int fd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return INT_MIN;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	return iopoll_submit_res(ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_IOPOLL: "The file system (if any) and
 * block device must support polling ... usable only on a file descriptor
 * opened using the O_DIRECT flag". A read of a regular file opened without
 * O_DIRECT fails with EOPNOTSUPP (kernel: no IOCB_DIRECT or no ->iopoll,
 * checked in io_prep_rw() on early kernels, io_rw_init_file() on later
 * ones) (since 5.1).
 */
TEST(iopoll_read_of_buffered_file_gets_eopnotsupp)
{
	struct io_uring ring;
	char buf[64];
	int fd;

	CONFORM_DECLARE("5.1", "IORING_SETUP_IOPOLL",
			"io_uring_setup(2) IORING_SETUP_IOPOLL O_DIRECT only");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	fd = conform_temp_file(sizeof(buf), 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&ring, 0));
	EXPECT_EQ(-EOPNOTSUPP, iopoll_readv_res(&ring, fd, buf, sizeof(buf)));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_setup(2) IORING_SETUP_IOPOLL: a pipe supports no polled I/O; a
 * read of one that holds data, so that a plain read would succeed at once,
 * fails with EOPNOTSUPP and leaves the data there (since 5.1).
 */
TEST(iopoll_read_of_pipe_gets_eopnotsupp)
{
	struct io_uring ring;
	char buf[4];
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_SETUP_IOPOLL",
			"io_uring_setup(2) IORING_SETUP_IOPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, iopoll_ring(&ring, 0));
	EXPECT_EQ(-EOPNOTSUPP, iopoll_readv_res(&ring, p[0], buf, sizeof(buf)));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) ERRORS: "EINVAL IORING_OP_POLL_ADD ... was specified
 * ..., but the io_uring instance was configured for busy-wait polling
 * (IORING_SETUP_IOPOLL)" (since 5.1).
 */
TEST(poll_add_on_iopoll_ring_gets_einval)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int p[2];

	CONFORM_DECLARE("5.1", "IORING_SETUP_IOPOLL",
			"io_uring_enter(2) ERRORS EINVAL IORING_OP_POLL_ADD with IORING_SETUP_IOPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, iopoll_ring(&ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	EXPECT_EQ(-EINVAL, iopoll_submit_res(&ring));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) ERRORS: "EINVAL ... IORING_OP_FSYNC was specified ...,
 * but the io_uring instance was configured for IOPOLLing" (since 5.1).
 */
TEST(fsync_on_iopoll_ring_gets_einval)
{
	struct io_uring ring;
	int fd;

	CONFORM_DECLARE("5.1", "IORING_SETUP_IOPOLL",
			"io_uring_enter(2) ERRORS EINVAL IORING_OP_FSYNC with IORING_SETUP_IOPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	fd = conform_temp_file(64, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&ring, 0));
	EXPECT_EQ(-EINVAL, iopoll_op_res(&ring, IORING_OP_FSYNC, fd));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) ERRORS: "EINVAL IORING_OP_NOP was specified ..., but
 * the io_uring context was setup for polling". Kernel commit ebbe59f49556
 * ("io_uring: allow NOP opcode in IOPOLL mode", 5.19) lifted that: a NOP
 * then completes with res 0. No probe shows that change; IORING_SETUP_CQE32,
 * merged for the same release (for-5.19/io_uring), picks the variant
 * asserted, and the log says which (since 5.1).
 */
TEST(nop_on_iopoll_ring_einval_before_5_19_then_completes)
{
	struct io_uring ring;
	bool allowed;

	CONFORM_DECLARE("5.1", "IORING_SETUP_IOPOLL",
			"io_uring_enter(2) ERRORS EINVAL IORING_OP_NOP with IOPOLL; kernel commit ebbe59f49556 (5.19)");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	allowed = !conform_uring_setup_missing(IORING_SETUP_CQE32,
					       "IORING_SETUP_CQE32");
	ASSERT_EQ(0, iopoll_ring(&ring, 0));
	if (allowed) {
		TH_LOG("IORING_SETUP_CQE32 known (5.19+): NOP allowed on IOPOLL");
		EXPECT_EQ(0, iopoll_op_res(&ring, IORING_OP_NOP, -1));
	} else {
		TH_LOG("no IORING_SETUP_CQE32 (before 5.19): NOP refused on IOPOLL");
		EXPECT_EQ(-EINVAL, iopoll_op_res(&ring, IORING_OP_NOP, -1));
	}
	io_uring_queue_exit(&ring);
}

/*
 * uapi io_uring.h IORING_SETUP_HYBRID_IOPOLL (kernel commit 01ee194d1aba
 * "io_uring: add support for hybrid IOPOLL"): only valid with
 * IORING_SETUP_IOPOLL; alone, io_uring_setup(2) fails with EINVAL (since
 * 6.13).
 */
TEST(hybrid_iopoll_without_iopoll_gets_einval)
{
	struct io_uring_params p;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_SETUP_HYBRID_IOPOLL",
			"uapi io_uring.h IORING_SETUP_HYBRID_IOPOLL; kernel commit 01ee194d1aba");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL |
				    REF_IORING_SETUP_HYBRID_IOPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = REF_IORING_SETUP_HYBRID_IOPOLL;
	fd = conform_sys_io_uring_setup(4, &p);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

/*
 * uapi io_uring.h IORING_SETUP_HYBRID_IOPOLL: with IORING_SETUP_IOPOLL the
 * ring is an IOPOLL ring: a read of a file without polled I/O (a pipe with
 * data) gets EOPNOTSUPP there too (since 6.13).
 */
TEST(hybrid_iopoll_ring_refuses_unpollable_read)
{
	struct io_uring ring;
	char buf[4];
	int p[2];

	CONFORM_DECLARE("6.13", "IORING_SETUP_HYBRID_IOPOLL",
			"uapi io_uring.h IORING_SETUP_HYBRID_IOPOLL; io_uring_setup(2) IORING_SETUP_IOPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL |
				    REF_IORING_SETUP_HYBRID_IOPOLL);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, iopoll_ring(&ring, REF_IORING_SETUP_HYBRID_IOPOLL));
	EXPECT_EQ(-EOPNOTSUPP, iopoll_readv_res(&ring, p[0], buf, sizeof(buf)));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_setup(2): IORING_SETUP_DEFER_TASKRUN (6.1, with
 * IORING_SETUP_SINGLE_ISSUER) is not exclusive of IORING_SETUP_IOPOLL; the
 * ring is created and runs a NOP to res 0 (since 6.1).
 */
TEST(iopoll_with_defer_taskrun_is_accepted)
{
	struct io_uring ring;

	CONFORM_DECLARE("6.1", "IORING_SETUP_DEFER_TASKRUN",
			"io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN with IORING_SETUP_IOPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SINGLE_ISSUER |
				    IORING_SETUP_DEFER_TASKRUN);
	ASSERT_EQ(0, iopoll_ring(&ring, IORING_SETUP_SINGLE_ISSUER |
					IORING_SETUP_DEFER_TASKRUN));
	EXPECT_EQ(0, iopoll_op_res(&ring, IORING_OP_NOP, -1));
	io_uring_queue_exit(&ring);
}

/* The polled device's first MiB is this program's (uring/nvme-passthru
 * uses the last one); each TEST its own 4 KiB block in it. */
enum { BLOCK = 4096, BLOCK_PLAIN = 0, BLOCK_HYBRID = 1 };

/*
 * On a ring made with setup flags (IORING_SETUP_IOPOLL and more): a polled
 * O_DIRECT WRITE of a pattern to block blk of a block device with polled
 * queues, then a polled READ of it back; both complete with BLOCK and the
 * data round-trips. Skips when no such device is there.
 */
static void polled_round_trip(struct __test_metadata *_metadata,
			      unsigned int flags, unsigned int blk)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char path[320];
	void *buf;
	int fd;

	if (conform_polled_bdev(path, sizeof(path)))
		SKIP(return, CONFORM_NO_POLLED_BDEV);
	CONFORM_REQUIRE_ROOT();
	fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, CONFORM_ENV "open(%s, O_RDWR | O_DIRECT): %s", path,
		     strerror(errno));
	buf = uring_anon_buf(BLOCK);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, iopoll_ring(&ring, flags));
	TH_LOG("polled device: %s", path);
	conform_fill_pattern(buf, BLOCK, blk * BLOCK);
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_write(sqe, fd, buf, BLOCK, (__u64)blk * BLOCK);
	EXPECT_EQ(BLOCK, iopoll_submit_res(&ring));
	memset(buf, 0, BLOCK);
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, fd, buf, BLOCK, (__u64)blk * BLOCK);
	EXPECT_EQ(BLOCK, iopoll_submit_res(&ring));
	EXPECT_TRUE(conform_check_pattern(buf, BLOCK, blk * BLOCK));
	io_uring_queue_exit(&ring);
	munmap(buf, BLOCK);
	close(fd);
}

/*
 * io_uring_setup(2) IORING_SETUP_IOPOLL: "Perform busy-waiting for an I/O
 * completion": an O_DIRECT write and read of a block device with polled
 * queues complete with their length, reaped by io_uring_enter(2) with
 * IORING_ENTER_GETEVENTS, and the data round-trips (since 5.1).
 */
TEST(iopoll_odirect_write_and_read_of_polled_block_device_round_trip)
{
	CONFORM_DECLARE("5.1", "IORING_SETUP_IOPOLL",
			"io_uring_setup(2) IORING_SETUP_IOPOLL");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	polled_round_trip(_metadata, 0, BLOCK_PLAIN);
}

/*
 * io_uring_setup(2) IORING_SETUP_HYBRID_IOPOLL: "a hybrid poll mode: sleep
 * for part of the expected completion time, then poll" — the same polled
 * O_DIRECT write and read complete and round-trip on a hybrid IOPOLL ring
 * (since 6.13).
 */
TEST(hybrid_iopoll_write_and_read_of_polled_block_device_round_trip)
{
	CONFORM_DECLARE("6.13", "IORING_SETUP_HYBRID_IOPOLL",
			"io_uring_setup(2) IORING_SETUP_HYBRID_IOPOLL; kernel commit 01ee194d1aba");
	CONFORM_REQUIRE(conform_uring_setup_missing(
		IORING_SETUP_IOPOLL | REF_IORING_SETUP_HYBRID_IOPOLL,
		"IORING_SETUP_HYBRID_IOPOLL"));
	polled_round_trip(_metadata, REF_IORING_SETUP_HYBRID_IOPOLL, BLOCK_HYBRID);
}

TEST_HARNESS_MAIN
