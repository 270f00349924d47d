// SPDX-License-Identifier: MIT
/*
 * ref/epoll-dup-close: a watch belongs to the open file description, not to
 * the fd number (ref/epoll.c Rule). Closing one fd of a dup'd pipe leaves
 * the watch reporting, and it can no longer be deleted; ref_epoll_close()
 * deletes first, then closes, so nothing is reported after it. Closing the
 * last fd of a file removes its watch.
 * Sources: epoll(7) Questions and answers (the key of an interest list
 * entry; "Will closing a file descriptor cause it to be removed from all
 * epoll interest lists?"), epoll_ctl(2) EBADF and ENOENT, ref/epoll.h.
 * Every TEST goes through ref_epoll_init(), which calls epoll_create1(2)
 * (2.6.27): no TEST's first kernel is older (see its CONFORM_DECLARE); a
 * version after a cited call below is the kernel that call came in.
 */
#include <sys/epoll.h>

#include "conform_ref.h"
#include "conform_ref_epoll.h"

/* A context watching p[0] (EPOLLIN, data tag), and d a dup of p[0]. */
static void watch_and_dup(struct __test_metadata *_metadata,
			  struct ref_epoll *ep, int p[2], int *d, uint64_t tag)
{
	ASSERT_EQ(0, ref_epoll_init(ep));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_epoll_add(ep, p[0], EPOLLIN, tag));
	ASSERT_LE(0, *d = dup(p[0]));
}

/*
 * epoll(7): "even after a file descriptor that is part of an interest list
 * has been closed, events may be reported for that file descriptor if other
 * file descriptors referring to the same underlying file description remain
 * open" (2.6). p[0] watched, dup'd, closed; data written: the watch
 * reports EPOLLIN with its data, on every wait (level-triggered).
 */
TEST(closing_one_fd_of_a_dup_keeps_the_watch_reporting)
{
	const uint64_t tag = 0xd0bbedULL;
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2], d;

	CONFORM_DECLARE("2.6.27", "epoll_ctl",
			"epoll(7) Q&A: events reported after close while a "
			"duplicate is open");
	EPOLL_REQUIRE();
	watch_and_dup(_metadata, &ep, p, &d, tag);
	ASSERT_EQ(0, close(p[0]));
	ASSERT_EQ(1, write(p[1], "x", 1));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS,
					    NULL));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(tag, ev[0].data.u64);
	}
	ref_epoll_free(&ep);
	close(d);
	close(p[1]);
}

/*
 * epoll(7): "The key is the combination of the file descriptor number and
 * the open file description"; epoll_ctl(2): EBADF when "fd is not a valid
 * file descriptor", ENOENT when "fd is not registered" (2.6). After the
 * close, deleting by the closed number gives -EBADF and by the duplicate
 * -ENOENT (that number was never registered); the watch keeps reporting.
 */
TEST(closed_number_and_duplicate_cannot_delete_the_watch)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2], d, closed;

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll(7) Q&A: the key is fd number and open file "
			"description; epoll_ctl(2) EBADF, ENOENT");
	EPOLL_REQUIRE();
	watch_and_dup(_metadata, &ep, p, &d, 9);
	closed = p[0];
	ASSERT_EQ(0, close(p[0]));
	EXPECT_EQ(-EBADF, ref_epoll_del(&ep, closed));
	EXPECT_EQ(-ENOENT, ref_epoll_del(&ep, d));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(9, ev[0].data.u64);
	ref_epoll_free(&ep);
	close(d);
	close(p[1]);
}

/*
 * ref/epoll.h Rule (delete before close) and epoll(7) ("the file
 * descriptor must be explicitly removed from the interest list (using
 * epoll_ctl(2) EPOLL_CTL_DEL)"): ref_epoll_close(p[0]) returns 0 and closes
 * it; with the duplicate still open and readable, no wait reports it.
 */
TEST(ref_close_deletes_before_closing)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2], d, closed;

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll(7) Q&A: the fd must be removed explicitly with "
			"EPOLL_CTL_DEL");
	EPOLL_REQUIRE();
	watch_and_dup(_metadata, &ep, p, &d, 1);
	closed = p[0];
	EXPECT_EQ(0, ref_epoll_close(&ep, p[0]));
	errno = 0;
	EXPECT_EQ(-1, fcntl(closed, F_GETFD));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_TRUE(conform_fd_readable(d, REF_CASE_EP_BOUND_MS));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	ref_epoll_free(&ep);
	close(d);
	close(p[1]);
}

/*
 * ref/epoll.h: ref_epoll_close closes fd even when the delete fails, and
 * returns the delete's result: an fd never watched gives -ENOENT and is
 * closed all the same (epoll_ctl(2) ENOENT, 2.6).
 */
TEST(ref_close_of_unwatched_fd_gets_enoent_and_closes)
{
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll_ctl(2) ENOENT");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	EXPECT_EQ(-ENOENT, ref_epoll_close(&ep, p[0]));
	errno = 0;
	EXPECT_EQ(-1, fcntl(p[0], F_GETFD));
	EXPECT_EQ(EBADF, errno);
	ref_epoll_free(&ep);
	close(p[1]);
}

/*
 * epoll(7): closing a file descriptor removes it from all interest lists
 * once no other fd refers to its open file description (2.6). The only fd
 * of a ready pipe closed: no event; a new pipe that gets the same number
 * can be added (no EEXIST: the old entry is gone).
 */
TEST(closing_the_last_fd_removes_the_watch)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2], q[2], number;

	CONFORM_DECLARE("2.6.27", "epoll_ctl",
			"epoll(7) Q&A: closing the last fd removes it from "
			"all interest lists");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	number = p[0];
	ASSERT_EQ(0, close(p[0]));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	/* The lowest free number is the one just closed. */
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(number, q[0]);
	EXPECT_EQ(0, ref_epoll_add(&ep, q[0], EPOLLIN, 2));
	ref_epoll_free(&ep);
	close(q[0]);
	close(q[1]);
	close(p[1]);
}

TEST_HARNESS_MAIN
