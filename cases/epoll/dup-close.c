// SPDX-License-Identifier: MIT
/*
 * epoll/dup-close: the interest list is keyed by the pair (fd number, open
 * file description), and an entry lives as long as the description. After
 * the registered fd is closed while a dup(2) keeps the description open:
 * EPOLL_CTL_DEL with the closed number fails (EBADF), with the dup's
 * number too (ENOENT: another key), fdinfo still lists the old number, and
 * giving the old number back to the same description (dup2) makes the entry
 * removable again; the number reused by another file is a separate entry.
 * Two registered dups are two entries: deleting one leaves the other, and
 * closing one of the two fds leaves both. (The closed fd still reporting,
 * and its entry going with the last fd, are in epoll/close-and-nesting;
 * a dup registered beside the original is in epoll/level-triggered.)
 * Sources: epoll(7) Q&A (Q1: a duplicate can be added; Q6: removal only
 * after all fds of the open file description are closed), epoll_ctl(2)
 * EBADF and ENOENT, proc(5) /proc/pid/fdinfo (epoll "tfd:" lines, since
 * 3.8), dup(2).
 */
#include "conform_epoll.h"

enum { TAG = 0xd1, DUP_TAG = 0xd2, OTHER_TAG = 0xd3 };

/*
 * The fd numbers listed in /proc/self/fdinfo/<ep> ("tfd: <fd> ..."), up to
 * max, into fds; the count, or -1 when the file cannot be read.
 */
static int fdinfo_tfds(int ep, int *fds, int max)
{
	char path[64], line[256];
	int n = 0, tfd;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "tfd: %d", &tfd) == 1 && n < max)
			fds[n++] = tfd;
	fclose(f);
	return n;
}

/*
 * ep watching p[0] (tag TAG, level-triggered EPOLLIN), a dup *d of p[0],
 * and p[0] closed: its number is kept in *closed (and p[0] set to -1).
 */
static void register_dup_and_close(struct __test_metadata *_metadata,
				   int *ep, int p[2], int *d, int *closed)
{
	epoll_new_watching_pipe(_metadata, ep, p, EPOLLIN, TAG);
	ASSERT_LE(0, *d = dup(p[0]));
	*closed = p[0];
	ASSERT_EQ(0, close(p[0]));
	p[0] = -1;
}

static void close_all(int ep, int p[2], int d)
{
	if (p[0] >= 0)
		close(p[0]);
	close(p[1]);
	if (d >= 0)
		close(d);
	close(ep);
}

/*
 * epoll_ctl(2): "EBADF ... fd is not a valid file descriptor". The entry
 * for the closed fd survives (epoll(7) Q6) but can no longer be named:
 * EPOLL_CTL_DEL and EPOLL_CTL_MOD with its number fail with EBADF, and
 * the entry still reports (since 2.6).
 */
TEST(ctl_with_closed_number_gets_ebadf_and_entry_stays)
{
	struct epoll_event ev[2];
	int ep, p[2], d, closed;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EBADF fd is not a valid file "
			"descriptor; epoll(7) Q&A Q6");
	EPOLL_REQUIRE();
	register_dup_and_close(_metadata, &ep, p, &d, &closed);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_DEL, closed, NULL));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_MOD, closed, EPOLLIN, 9));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(TAG, ev[0].data.u64);
	close_all(ep, p, d);
}

/*
 * epoll(7): the interest list holds "the file descriptor ... and a
 * reference to the corresponding open file description"; the dup has the
 * same description under another number, so it names no entry:
 * EPOLL_CTL_DEL and EPOLL_CTL_MOD with the dup's number fail with
 * epoll_ctl(2) "ENOENT ... fd is not registered with this epoll instance"
 * (since 2.6).
 */
TEST(ctl_with_dup_number_gets_enoent)
{
	int ep, p[2], d, closed;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) ENOENT fd is not registered; epoll(7) "
			"interest list entries hold fd and open file "
			"description");
	EPOLL_REQUIRE();
	register_dup_and_close(_metadata, &ep, p, &d, &closed);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_MOD, d, EPOLLIN, DUP_TAG));
	EXPECT_EQ(ENOENT, errno);
	/* The dup may be added as an entry of its own (epoll(7) Q1). */
	EXPECT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, d, EPOLLIN, DUP_TAG));
	close_all(ep, p, d);
}

/*
 * epoll(7) Q6: "A file descriptor is removed from an interest list only
 * after all the file descriptors referring to the underlying open file
 * description have been closed". proc(5) fdinfo lists the entry, under the
 * closed fd's number, while the dup is open, and no entry once the dup is
 * closed too (since 3.8, the fdinfo lines).
 */
TEST(fdinfo_lists_closed_number_until_last_fd_closes)
{
	int ep, p[2], d, closed, fds[4], n;

	CONFORM_DECLARE("3.8", "epoll_ctl",
			"epoll(7) Q&A Q6; proc(5) /proc/pid/fdinfo epoll tfd "
			"lines (3.8)");
	EPOLL_REQUIRE();
	register_dup_and_close(_metadata, &ep, p, &d, &closed);
	n = fdinfo_tfds(ep, fds, 4);
	if (n < 0) {
		close_all(ep, p, d);
		SKIP(return, CONFORM_ENV "/proc/self/fdinfo/<epfd> unreadable (no /proc)");
	}
	ASSERT_EQ(1, n);
	EXPECT_EQ(closed, fds[0]);
	ASSERT_EQ(0, close(d));
	d = -1;
	EXPECT_EQ(0, fdinfo_tfds(ep, fds, 4));
	close_all(ep, p, d);
}

/*
 * The key is the pair: dup2(2) of the dup back onto the closed number gives
 * that number the same open file description again, so (number,
 * description) names the surviving entry once more: EPOLL_CTL_DEL with it
 * succeeds and the pipe is no longer reported (since 2.6).
 */
TEST(dup2_back_onto_closed_number_makes_entry_deletable)
{
	struct epoll_event ev[2];
	int ep, p[2], d, closed;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) interest list entries hold fd and open "
			"file description; dup(2) dup2");
	EPOLL_REQUIRE();
	register_dup_and_close(_metadata, &ep, p, &d, &closed);
	ASSERT_EQ(closed, dup2(d, closed));
	p[0] = closed;
	EXPECT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, closed, NULL));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close_all(ep, p, d);
}

/*
 * epoll_ctl(2) EEXIST is for "the supplied file descriptor fd is already
 * registered"; the closed number, reused by open(2)-ing another file (here
 * a new pipe's read end, dup2'ed onto it), is another pair: EPOLL_CTL_ADD
 * succeeds, and both entries report, each with its data (since 2.6).
 */
TEST(closed_number_reused_by_other_file_is_a_separate_entry)
{
	struct epoll_event ev[4];
	bool seen_old = false, seen_new = false;
	int ep, p[2], q[2], d, closed, n;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EEXIST fd already registered; epoll(7) "
			"entries hold fd and open file description");
	EPOLL_REQUIRE();
	register_dup_and_close(_metadata, &ep, p, &d, &closed);
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(closed, dup2(q[0], closed));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, closed, EPOLLIN,
				   OTHER_TAG));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, write(q[1], "y", 1));
	n = epoll_wait(ep, ev, 4, 1000);
	ASSERT_EQ(2, n);
	for (int i = 0; i < n; i++) {
		seen_old |= ev[i].data.u64 == TAG;
		seen_new |= ev[i].data.u64 == OTHER_TAG;
	}
	EXPECT_TRUE(seen_old);
	EXPECT_TRUE(seen_new);
	close(closed);
	close(q[0]);
	close(q[1]);
	close_all(ep, p, d);
}

/* The data tags of what epoll_wait(ep) reports right now (the entries are
 * level-triggered and the data was written before: they are on the ready
 * list already), as a bit set: 1 for TAG, 2 for DUP_TAG; -1 when the wait
 * fails. */
static int reported(int ep)
{
	struct epoll_event ev[4];
	int n = epoll_wait(ep, ev, 4, 0), set = 0;

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		set |= ev[i].data.u64 == TAG ? 1 :
		       ev[i].data.u64 == DUP_TAG ? 2 : 4;
	return set;
}

/*
 * epoll(7) Q1: a dup of a registered fd added to the same instance is an
 * entry of its own; EPOLL_CTL_DEL of one of the two (by its number) leaves
 * the other, which keeps reporting (since 2.6).
 */
TEST(deleting_one_of_two_dup_entries_leaves_the_other)
{
	int ep, p[2], d;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A Q1: a duplicate fd can be added to the "
			"same epoll instance");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_LE(0, d = dup(p[0]));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, d, EPOLLIN, DUP_TAG));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1 | 2, reported(ep));
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_EQ(2, reported(ep));
	close_all(ep, p, d);
}

/*
 * epoll(7) Q1 and Q6 together: with the fd and its dup both registered,
 * closing one fd closes no description, so both entries stay and report;
 * closing the other too removes both (since 2.6).
 */
TEST(closing_one_of_two_registered_dups_leaves_both_entries)
{
	int ep, p[2], d;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A Q1 and Q6: removal only after all fds "
			"of the description are closed");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_LE(0, d = dup(p[0]));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, d, EPOLLIN, DUP_TAG));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, close(p[0]));
	p[0] = -1;
	EXPECT_EQ(1 | 2, reported(ep));
	ASSERT_EQ(0, close(d));
	d = -1;
	EXPECT_EQ(0, reported(ep));
	close_all(ep, p, d);
}

TEST_HARNESS_MAIN
