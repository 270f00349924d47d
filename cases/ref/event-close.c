// SPDX-License-Identifier: MIT
/*
 * ref/event-close: the close event of the reference driver
 * (ref/event_types.c) on a real ring: it closes the fd (0, the number is no
 * longer open), fails with -EBADF on a number that is not open, closing the
 * last write end of a pipe ends a read event waiting on it with 0
 * (end-of-file), and a close cancelled before submission leaves the fd open.
 * Sources: io_uring_enter(2) IORING_OP_CLOSE (like close(2), 5.6), close(2)
 * (EBADF), pipe(7) (read of a pipe with no writers sees end-of-file),
 * ref/event.h.
 */
#include "conform_ref.h"

/* Close fd through the driver; returns the event's result. */
static int close_via_driver(struct __test_metadata *_metadata, int fd)
{
	struct ref_close_event ev = { .fd = fd };
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ref_close_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_TRUE(ev.done);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	return ev.res;
}

/* close(2) returns 0 and the fd is no longer open: fcntl(2) F_GETFD on it
 * fails with EBADF (IORING_OP_CLOSE, 5.6). */
TEST(close_completes_and_fd_is_gone)
{
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"io_uring_enter(2) IORING_OP_CLOSE; fcntl(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE);
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(0, close_via_driver(_metadata, p[0]));
	EXPECT_EQ(-1, fcntl(p[0], F_GETFD));
	EXPECT_EQ(EBADF, errno);
	close(p[1]);
}

/* close(2) EBADF: "fd isn't a valid open file descriptor" (5.6). */
TEST(close_of_fd_not_open_gets_ebadf)
{
	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"close(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE);
	EXPECT_EQ(-EBADF, close_via_driver(_metadata, conform_bad_fd()));
}

/*
 * pipe(7): when every write end is closed a read sees end-of-file (0). A
 * read event waiting on an empty pipe ends with 0 once a close event closes
 * the only write end (both through one driver, 5.6).
 */
TEST(close_of_write_end_ends_waiting_read_with_eof)
{
	struct ref_close_event cl = { 0 };
	struct ref_io_event r;
	struct ref_case_rig rig;
	ref_event_id rid, cid;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"pipe(7): a read with no writers sees end-of-file");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ASSERT_EQ(0, ref_read_event_init(&r, rig.p[0], 8, 0));
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &r, &ref_read_ops, &rid));
	ASSERT_EQ(1, ref_driver_submit(&rig.drv));
	ASSERT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&rig.drv, rid));
	cl.fd = rig.p[1];
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &cl, &ref_close_ops, &cid));
	ASSERT_EQ(0, ref_case_drain(&rig.drv));
	rig.p[1] = -1;		/* the close event closed it */
	EXPECT_EQ(0, cl.res);
	EXPECT_TRUE(r.done);
	EXPECT_EQ(0, r.res);
	ref_io_event_free(&r);
	ref_case_rig_free(&rig);
}

/* ref/event.h: a close cancelled before submission becomes an ignored NOP:
 * the fd stays open and usable (5.6). */
TEST(close_cancelled_before_submit_leaves_fd_open)
{
	struct ref_close_event ev = { 0 };
	struct ref_case_rig rig;
	ref_event_id id;
	char c;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"ref/event.h: a cancelled prepared event becomes an "
			"ignored NOP");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE);
	ref_case_rig_init(_metadata, &rig, 4, 2);
	ev.fd = rig.p[1];
	ASSERT_EQ(0, ref_driver_start(&rig.drv, &ev, &ref_close_ops, &id));
	ASSERT_EQ(0, ref_driver_cancel(&rig.drv, id, true));
	EXPECT_EQ(1, ref_case_run(&rig.drv, 1));
	EXPECT_EQ(1u, rig.drv.stats.ignored);
	EXPECT_FALSE(ev.done);
	EXPECT_EQ(FD_CLOEXEC, fcntl(rig.p[1], F_GETFD));
	EXPECT_EQ(1, write(rig.p[1], "z", 1));
	EXPECT_EQ(1, read(rig.p[0], &c, 1));
	ref_case_rig_free(&rig);
}

TEST_HARNESS_MAIN
