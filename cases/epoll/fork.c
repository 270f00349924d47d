// SPDX-License-Identifier: MIT
/*
 * epoll/fork: an epoll fd inherited across fork(2) refers to the same
 * instance in parent and child: an entry the child adds, modifies or deletes
 * is added, modified or deleted for the parent too; an event the child
 * takes (edge-triggered, one-shot) is taken for both; closing copies in the
 * child removes nothing while the parent still holds the files; and a file
 * only the child held leaves the interest list when the child exits.
 * Sources: epoll(7) (the Q&A on closed fds and the note on children that
 * inherit the epoll fd), fork(2) (the child's fds refer to the same open
 * file descriptions), epoll_ctl(2).
 */
#include <sys/wait.h>

#include "conform_epoll.h"

enum { TAG = 0xf0, CHILD_TAG = 0xc41d };

/*
 * Run fn(ep, fd) in a forked child and return its exit status (fn's return
 * value, 0..255), or -1 when the child could not be run or did not exit.
 */
static int in_child(int (*fn)(int ep, int fd), int ep, int fd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(ep, fd));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int child_adds_fd(int ep, int fd)
{
	return epoll_ctl_tag(ep, EPOLL_CTL_ADD, fd, EPOLLIN, CHILD_TAG) ? 1 : 0;
}

/*
 * epoll(7) / fork(2): the child's copy of the epoll fd refers to the same
 * open file description, the same instance; a pipe the child adds (with its
 * tag) is reported by the parent's epoll_wait (since 2.6).
 */
TEST(entry_added_by_child_is_reported_to_parent)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"fork(2) shared open file descriptions; epoll(7) "
			"epoll instance shared through an inherited fd");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, in_child(child_adds_fd, ep, p[0]));
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(CHILD_TAG, ev[0].data.u64);
	/* And it is the parent's entry too: adding it again is EEXIST. */
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, TAG));
	EXPECT_EQ(EEXIST, errno);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static int child_deletes_fd(int ep, int fd)
{
	return epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) ? 1 : 0;
}

/*
 * epoll_ctl(2) EPOLL_CTL_DEL through the child's copy removes the entry from
 * the one instance: the parent's wait no longer reports the pipe, and its
 * EPOLL_CTL_MOD of it fails with ENOENT (since 2.6).
 */
TEST(entry_deleted_by_child_is_gone_for_parent)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLL_CTL_DEL",
			"epoll_ctl(2) EPOLL_CTL_DEL; fork(2) shared open "
			"file descriptions");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_EQ(0, in_child(child_deletes_fd, ep, p[0]));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, TAG));
	EXPECT_EQ(ENOENT, errno);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static int child_mods_fd(int ep, int fd)
{
	return epoll_ctl_tag(ep, EPOLL_CTL_MOD, fd, EPOLLIN, CHILD_TAG) ? 1 : 0;
}

/*
 * epoll_ctl(2) EPOLL_CTL_MOD: "Change the settings associated with fd in
 * the interest list"; made by the child, the new data is what the parent's
 * wait reports (since 2.6).
 */
TEST(entry_modified_by_child_reports_childs_data_to_parent)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD",
			"epoll_ctl(2) EPOLL_CTL_MOD; fork(2) shared open "
			"file descriptions");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLOUT, TAG);
	ASSERT_EQ(1, write(p[1], "k", 1));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, in_child(child_mods_fd, ep, p[0]));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(CHILD_TAG, ev[0].data.u64);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* Exit 0 when the child's wait takes exactly one EPOLLIN event tagged TAG. */
static int child_takes_event(int ep, int fd)
{
	struct epoll_event ev[2];

	(void)fd;
	if (epoll_wait(ep, ev, 2, 1000) != 1)
		return 1;
	return ev[0].events == EPOLLIN && ev[0].data.u64 == TAG ? 0 : 2;
}

/*
 * epoll_ctl(2) EPOLLET and epoll(7) (one wakeup per edge, across the threads
 * or processes sharing the epoll fd): an edge the child's wait has taken is
 * not reported again to the parent (since 2.6).
 */
TEST(edge_taken_by_child_is_not_reported_to_parent)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLET",
			"epoll_ctl(2) EPOLLET; epoll(7) one wakeup per edge "
			"across sharers of the epoll fd");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLET, TAG);
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_EQ(0, in_child(child_takes_event, ep, p[0]));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	/* A new arrival is a new edge, for whoever waits next. */
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2) EPOLLONESHOT (since 2.6.2): after one event the entry is
 * disabled; the event taken by the child disables it for the parent too,
 * until the parent re-arms it with EPOLL_CTL_MOD.
 */
TEST(oneshot_taken_by_child_stays_disabled_for_parent)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6.2", "EPOLLONESHOT",
			"epoll_ctl(2) EPOLLONESHOT (since 2.6.2)");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLONESHOT, TAG);
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_EQ(0, in_child(child_takes_event, ep, p[0]));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLONESHOT, TAG));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	close(ep);
	close(p[0]);
	close(p[1]);
}

static int child_closes_both(int ep, int fd)
{
	return close(fd) || close(ep) ? 1 : 0;
}

/*
 * epoll(7) Q&A: an fd is removed from the interest list only when every fd
 * referring to its open file description is closed; an instance lives while
 * any fd refers to it. The child closing its copies of the watched fd and
 * of the epoll fd leaves the parent's entry reporting (since 2.6).
 */
TEST(child_closing_its_copies_removes_nothing)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: removal only once all fds of the open "
			"file description are closed");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(0, in_child(child_closes_both, ep, p[0]));
	ASSERT_EQ(1, write(p[1], "k", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(TAG, ev[0].data.u64);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* Make a pipe of the child's own, add its read end and make it readable:
 * at exit its fds close and the pipe's files are released. */
static int child_adds_own_pipe(int ep, int fd)
{
	int q[2];

	(void)fd;
	if (pipe(q) || epoll_ctl_tag(ep, EPOLL_CTL_ADD, q[0], EPOLLIN, CHILD_TAG))
		return 1;
	if (write(q[1], "c", 1) != 1)
		return 2;
	/* Seen ready through the shared instance before the child exits. */
	return epoll_wait(ep, &(struct epoll_event){ 0 }, 1, 0) == 1 ? 0 : 3;
}

/*
 * epoll(7) Q&A: closing every fd of an open file description removes it
 * from all interest lists. A pipe that only the child held is closed when
 * the child exits, so its entry (ready in the child) is gone for the parent,
 * which then sees an empty instance (since 2.6).
 */
TEST(file_held_only_by_exited_child_leaves_interest_list)
{
	struct epoll_event ev[2];
	int ep;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll(7) Q&A: closing every fd of an open file "
			"description removes it from all interest lists");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, in_child(child_adds_own_pipe, ep, -1));
	EXPECT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(ep);
}

TEST_HARNESS_MAIN
