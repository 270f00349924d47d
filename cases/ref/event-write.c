// SPDX-License-Identifier: MIT
/*
 * ref/event-write: the write event of the reference driver
 * (ref/event_types.c) on a real ring: it writes exactly its bytes at its
 * offset, sends its own copy of the data, fails with -EBADF on an fd not
 * open for writing and -EPIPE on a pipe without readers, and a write waiting
 * on a full pipe, cancelled with ask_kernel, ends with -ECANCELED having
 * written nothing, its buffer released once after both CQEs.
 * Sources: io_uring_enter(2) IORING_OP_WRITE (like pwrite(2), 5.6), write(2)
 * (EBADF, EPIPE), IORING_OP_ASYNC_CANCEL, ref/event.h.
 */
#include "conform_ref.h"

/* Write len bytes of data at off to fd through the driver; the result. */
static int write_via_driver(struct __test_metadata *_metadata, int fd,
			    const void *data, unsigned int len, uint64_t off)
{
	struct ref_io_event w;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_write_event_init(&w, fd, data, len, off));
	ASSERT_EQ(0, ref_driver_start(&drv, &w, &ref_write_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_TRUE(w.done);
	ref_io_event_free(&w);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	return w.res;
}

/* pwrite(2): writes len bytes at offset, leaving the file's other bytes as
 * they were; res is the count, 100 (IORING_OP_WRITE, 5.6). */
TEST(write_puts_exact_bytes_at_offset)
{
	unsigned char data[100], back[300];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"io_uring_enter(2) IORING_OP_WRITE; pwrite(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	memset(data, 0xa5, sizeof(data));
	EXPECT_EQ(100, write_via_driver(_metadata, fd, data, sizeof(data), 4096));
	ASSERT_EQ(300, pread(fd, back, sizeof(back), 4000));
	EXPECT_TRUE(conform_check_pattern(back, 96, 4000));
	for (int i = 96; i < 196; i++)
		EXPECT_EQ(0xa5, back[i]);
	EXPECT_TRUE(conform_check_pattern(back + 196, 104, 4196));
	close(fd);
}

/* ref/event.h: "A write of a copy of data": the caller's buffer rewritten
 * after init, before submission, does not change what is written (5.6). */
TEST(write_sends_its_own_copy_of_the_data)
{
	unsigned char data[64], back[64];
	struct ref_io_event w;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"ref/event.h: a write of a copy of data");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_write_event_init(&w, fd, data, sizeof(data), 0));
	ASSERT_EQ(0, ref_driver_start(&drv, &w, &ref_write_ops, &id));
	memset(data, 0, sizeof(data));
	ASSERT_EQ(0, ref_case_drain(&drv));
	EXPECT_EQ(64, w.res);
	ASSERT_EQ(64, pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	ref_io_event_free(&w);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	close(fd);
}

/* write(2) EBADF: "fd is not a valid file descriptor or is not open for
 * writing": the read end of a pipe (5.6). */
TEST(write_to_fd_not_open_for_writing_gets_ebadf)
{
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"write(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-EBADF, write_via_driver(_metadata, p[0], "x", 1, 0));
	close(p[0]);
	close(p[1]);
}

/* write(2) EPIPE: "fd is connected to a pipe ... whose reading end is
 * closed" (SIGPIPE is ignored here, so the write just fails) (5.6). */
TEST(write_to_pipe_without_readers_gets_epipe)
{
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"write(2) EPIPE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	close(p[0]);
	EXPECT_EQ(-EPIPE, write_via_driver(_metadata, p[1], "x", 1, 0));
	close(p[1]);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: a write waiting for room in a
 * full pipe is found (0) and ends with -ECANCELED; it wrote nothing: the
 * pipe holds exactly the bytes that filled it. ref/event.h: its buffer is
 * released once, after both CQEs (5.7: the write waits in io_uring's poll,
 * IORING_FEAT_FAST_POLL; on 5.6 it blocks in io-wq, where a cancel finds it
 * running).
 */
TEST(cancelled_write_on_full_pipe_writes_nothing)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_write_ops);
	unsigned char data[512], chunk[4096];
	struct ref_io_event w;
	struct ref_case_rig rig;
	ref_event_id id;
	long filled, drained = 0, nonzero = 0;

	CONFORM_DECLARE("5.7", "IORING_FEAT_FAST_POLL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL: 0 and "
			"-ECANCELED for a write waiting in poll "
			"(IORING_FEAT_FAST_POLL 5.7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_FAST_POLL);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	filled = conform_fill_until_full(rig.p[1]);
	ASSERT_LT(0, filled);
	memset(data, 0x5a, sizeof(data));
	ASSERT_EQ(0, ref_write_event_init(&w, rig.p[1], data, sizeof(data), 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &w, &ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, true));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	EXPECT_EQ(0, ref_case_seen.cancel_res);
	EXPECT_EQ(-ECANCELED, ref_case_seen.last_res);
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(1, ref_case_seen.completed_at_release);
	EXPECT_EQ(1, ref_case_seen.cancel_results_at_release);
	ASSERT_EQ(0, fcntl(rig.p[0], F_SETFL, O_NONBLOCK));
	for (;;) {
		ssize_t n = read(rig.p[0], chunk, sizeof(chunk));

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			nonzero += chunk[i] != 0;	/* the fill wrote zeros */
		drained += n;
	}
	EXPECT_EQ(filled, drained);
	EXPECT_EQ(0, nonzero);
	ref_io_event_free(&w);
	ref_case_rig_free(&rig);
}

TEST_HARNESS_MAIN
