// SPDX-License-Identifier: MIT
/*
 * uring/link: request ordering flags of io_uring_enter(2): IOSQE_IO_LINK
 * chains (run in order, broken by an error or a short read, the rest then
 * -ECANCELED; broken at submission, the head too), IOSQE_IO_HARDLINK (not
 * broken by a failed result) and IOSQE_IO_DRAIN (waits for everything
 * submitted before it). Each TEST declares the first kernel of its flag
 * (DRAIN 5.2, LINK 5.3, HARDLINK 5.5) or of its behaviour (a head cancelled
 * by a later SQE's submission failure, 5.5); most requests in the chains
 * are IORING_OP_READ/IORING_OP_WRITE, which need 5.6, so before 5.6 those
 * tests skip on the opcode probe.
 */
#include <liburing.h>

#include "conform_uring.h"

/* The SQEs of a test are tagged 0, 1, 2 in submission order. */
static const __u64 tags[] = { 0, 1, 2 };

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "That next SQE will not be started before
 * the previous request completes" (since 5.3). A write linked to a read of
 * the same range of an empty file: the read sees all the written bytes.
 */
TEST(linked_read_sees_data_of_preceding_write)
{
	static char out[4096], in[4096];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, res[2] = { 1, 1 };

	CONFORM_DECLARE("5.3", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fd, out, sizeof(out), 0);
	sqe->flags = IOSQE_IO_LINK;
	io_uring_sqe_set_data64(sqe, 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, in, sizeof(in), 0);
	io_uring_sqe_set_data64(sqe, 1);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ((int)sizeof(out), res[0]);
	EXPECT_EQ((int)sizeof(in), res[1]);
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * A directory opened for reading: a read of it is taken by the submit and
 * then fails while it runs, with -EISDIR (read(2): "fd refers to a
 * directory"), on every kernel. An fd that is not open would not do: 5.10
 * looks fds up while consuming the SQE and fails the SQE there, and an SQE
 * that fails on submission fails its whole chain, hard links included (6.1
 * io_uring/io_uring.c io_queue_sqe_fallback(): "We don't submit, fail them
 * all, for that replace hardlinks with normal links"); 6.1 and later look
 * fds up when the request is issued. Returns the fd or -1.
 */
static int open_dir_to_read(void)
{
	return open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Queue a read of len bytes at offset 0 of fd into buf, tagged 0, with flags. */
static void queue_read_tagged_0(struct io_uring *ring, int fd, void *buf,
				unsigned int len, unsigned char flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_read(sqe, fd, buf, len, 0);
	io_uring_sqe_set_data64(sqe, 0);
	sqe->flags = flags;
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "A chain of SQEs will be broken, if any
 * request in that chain ends in error ... the remaining unstarted part of
 * the chain will be terminated and completed with -ECANCELED" (since 5.3).
 * Head: a read of a directory (-EISDIR when it runs), then two linked NOPs.
 */
TEST(failed_link_head_cancels_rest_of_chain)
{
	struct io_uring ring;
	int dfd, res[3] = { 1, 1, 1 };
	char buf[8];

	CONFORM_DECLARE("5.3", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK chain broken, rest "
			"-ECANCELED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	dfd = open_dir_to_read();
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_tagged_0(&ring, dfd, buf, sizeof(buf), IOSQE_IO_LINK);
	uring_queue_nop(&ring, 1, IOSQE_IO_LINK);
	uring_queue_nop(&ring, 2, 0);
	ASSERT_EQ(3, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 3, tags, res));
	EXPECT_EQ(-EISDIR, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	EXPECT_EQ(-ECANCELED, res[2]);
	io_uring_queue_exit(&ring);
	close(dfd);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "If a chain of SQE links is broken, the
 * remaining unstarted part of the chain will be terminated and completed
 * with -ECANCELED". A later SQE of the chain that fails at submission breaks
 * it before anything ran: that SQE completes with its own error and the
 * head, never started, with -ECANCELED, not with the later SQE's error
 * (since 5.5, when io_submit_sqe() began to prepare linked SQEs as they are
 * submitted and to fail the head on an error there, "fail even hard links
 * since we don't submit"; 5.3 and 5.4 prepared a linked SQE only once the
 * head had run). Head: a NOP; the later SQE: an IORING_OP_POLL_ADD with a
 * non-zero addr, -EINVAL (io_uring_enter(2) CQE ERRORS).
 */
TEST(later_sqe_failing_submission_cancels_link_head)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fds[2], res[2] = { 1, 1 };

	CONFORM_DECLARE("5.5", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK unstarted part "
			"-ECANCELED; CQE ERRORS EINVAL (POLL_ADD addr non-zero)");
	CONFORM_REQUIRE_URING();
	URING_REQUIRE_SQE_FLAG(IOSQE_IO_LINK);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	uring_queue_nop(&ring, 0, IOSQE_IO_LINK);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, fds[0], POLLIN);
	sqe->addr = 1;
	io_uring_sqe_set_data64(sqe, 1);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

/*
 * io_uring_enter(2) IOSQE_IO_LINK: "io_uring considers any unexpected result
 * an error. This means that, eg, a short read will also terminate the
 * remainder of the chain" (since 5.3). 8192 asked of a 4096-byte file.
 */
TEST(short_read_breaks_chain)
{
	static char buf[8192];
	struct io_uring ring;
	int fd, res[2] = { 1, 1 };

	CONFORM_DECLARE("5.3", "IOSQE_IO_LINK",
			"io_uring_enter(2) IOSQE_IO_LINK a short read "
			"terminates the chain");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_tagged_0(&ring, fd, buf, sizeof(buf), IOSQE_IO_LINK);
	uring_queue_nop(&ring, 1, 0);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(4096, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_enter(2) IOSQE_IO_HARDLINK: "Like IOSQE_IO_LINK, but it doesn't
 * sever regardless of the completion result" (since 5.5). Head: a read of
 * a directory, which completes -EISDIR when it runs; the NOP still runs.
 */
TEST(hardlink_continues_after_failed_result)
{
	struct io_uring ring;
	int dfd, res[2] = { 1, 1 };
	char buf[8];

	CONFORM_DECLARE("5.5", "IOSQE_IO_HARDLINK",
			"io_uring_enter(2) IOSQE_IO_HARDLINK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	URING_REQUIRE_SQE_FLAG(IOSQE_IO_HARDLINK);
	dfd = open_dir_to_read();
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_tagged_0(&ring, dfd, buf, sizeof(buf), IOSQE_IO_HARDLINK);
	uring_queue_nop(&ring, 1, 0);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(-EISDIR, res[0]);
	EXPECT_EQ(0, res[1]);
	io_uring_queue_exit(&ring);
	close(dfd);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed" (since 5.2). A read waits on an
 * empty pipe; a drained NOP after it stays without a CQE (bounded wait)
 * until the read is fed, and its CQE follows the read's.
 */
TEST(drain_waits_for_earlier_requests)
{
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int fds[2];
	char buf[8];

	CONFORM_DECLARE("5.2", "IOSQE_IO_DRAIN",
			"io_uring_enter(2) IOSQE_IO_DRAIN");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(fds));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_read_tagged_0(&ring, fds[0], buf, sizeof(buf), 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	uring_queue_nop(&ring, 1, IOSQE_IO_DRAIN);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(3, write(fds[1], "abc", 3));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0u, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(1u, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
	close(fds[0]);
	close(fds[1]);
}

TEST_HARNESS_MAIN
