// SPDX-License-Identifier: MIT
/*
 * ref/ring-fsync: IORING_OP_FSYNC through the reference ring: plain and
 * IORING_FSYNC_DATASYNC on a written file, a write linked to an fsync
 * (IOSQE_IO_LINK set through ref_ring_last_sqe), and the errors for a bad
 * fd, an fd without fsync support and unknown fsync flags.
 */
#include <limits.h>

#include "ref/ring.h"

#include "conform.h"

CONFORM_SINCE("5.1", "IORING_OP_FSYNC");

/* ---- CQE collection (the same block in each cases/ref program) ---- */

enum { LOG_MAX = 64 };
#define NO_CQE INT_MIN	/* res_of() of a user_data that never completed */

struct cqe_log {
	unsigned int n;
	struct io_uring_cqe cqe[LOG_MAX];
};

static inline void log_cqe(const struct io_uring_cqe *cqe, void *arg)
{
	struct cqe_log *log = arg;

	if (log->n < LOG_MAX)
		log->cqe[log->n] = *cqe;
	log->n++;
}

/*
 * Reap into log until it holds n CQEs. Each wait is bounded by 2 s: a guard
 * against a hang, not a timing check. 0, or the wait's error (-ETIME).
 */
static inline int reap_until(struct ref_ring *ring, struct cqe_log *log,
			     unsigned int n)
{
	const struct __kernel_timespec bound = { .tv_sec = 2 };

	for (;;) {
		int ret;

		ref_ring_for_each_completion(ring, log_cqe, log);
		if (log->n >= n)
			return 0;
		ret = ref_ring_wait(ring, 1, &bound);
		if (ret)
			return ret;
	}
}

/* The first logged CQE with this user_data, or NULL. */
static inline const struct io_uring_cqe *cqe_of(const struct cqe_log *log,
						uint64_t ud)
{
	for (unsigned int i = 0; i < log->n && i < LOG_MAX; i++)
		if (log->cqe[i].user_data == ud)
			return &log->cqe[i];
	return NULL;
}

static inline int res_of(const struct cqe_log *log, uint64_t ud)
{
	const struct io_uring_cqe *cqe = cqe_of(log, ud);

	return cqe ? cqe->res : NO_CQE;
}

/* True when no CQE comes within 20 ms: what was submitted is still pending. */
static inline bool nothing_completes(struct ref_ring *ring)
{
	const struct __kernel_timespec brief = { .tv_nsec = 20 * 1000 * 1000 };

	return ref_ring_cq_ready(ring) == 0 &&
	       ref_ring_wait(ring, 1, &brief) == -ETIME;
}

static int run_one(struct ref_ring *ring, uint64_t ud)
{
	struct cqe_log log = { 0 };

	if (ref_ring_submit(ring) != 1 || reap_until(ring, &log, 1))
		return NO_CQE;
	return res_of(&log, ud);
}

/* io_uring_enter(2) IORING_OP_FSYNC: like fsync(2); res 0 (since 5.1). */
TEST(fsync_of_written_file_returns_zero)
{
	struct ref_ring ring;
	int fd;

	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, 0, 1));
	EXPECT_EQ(0, run_one(&ring, 1));
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

	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, IORING_FSYNC_DATASYNC, 1));
	EXPECT_EQ(0, run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: the next SQE starts only after this one
 * completed successfully, which makes "write, then fsync" one submission
 * (links since 5.3). Both complete, the write first, with 4096 and 0.
 */
TEST(write_linked_to_fsync_both_complete_in_order)
{
	static char buf[4096];
	struct cqe_log log = { 0 };
	struct ref_ring ring;
	int fd;

	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_write(&ring, fd, buf, sizeof(buf), 0, 1));
	ref_ring_last_sqe(&ring)->flags |= IOSQE_IO_LINK;
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, 0, 2));
	ASSERT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, reap_until(&ring, &log, 2));
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

	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, conform_bad_fd(), 0, 1));
	EXPECT_EQ(-EBADF, run_one(&ring, 1));
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

	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, p[1], 0, 1));
	EXPECT_EQ(-EINVAL, run_one(&ring, 1));
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

	CONFORM_REQUIRE_URING();
	fd = conform_temp_file(16, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_fsync(&ring, fd, IORING_FSYNC_DATASYNC << 1, 1));
	EXPECT_EQ(-EINVAL, run_one(&ring, 1));
	ref_ring_free(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
