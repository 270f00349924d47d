// SPDX-License-Identifier: MIT
/*
 * ref/epoll-errors: the error returns of the reference epoll context
 * (ref/epoll.c): each is the kernel's errno, negated, as the return value;
 * ref_epoll_mod refuses EPOLLEXCLUSIVE itself. Also what init and free
 * promise: a close-on-exec instance, and a freed context that fails cleanly.
 * Sources: epoll_ctl(2) ERRORS and EPOLLEXCLUSIVE (4.5), epoll_wait(2)
 * ERRORS, epoll_create1(2), epoll(7) Q&A, ref/epoll.h.
 * Every TEST goes through ref_epoll_init(), which calls epoll_create1(2)
 * (2.6.27): no TEST's first kernel is older (see its CONFORM_DECLARE); a
 * version after a cited call below is the kernel that call came in.
 */
#include <sys/epoll.h>

#include "conform_ref.h"
#include "conform_ref_epoll.h"

/*
 * epoll_ctl(2): "EBADF ... fd is not a valid file descriptor" (2.6):
 * -EBADF for a number that cannot be open (conform_bad_fd).
 */
TEST(add_of_bad_fd_gets_ebadf)
{
	struct ref_epoll ep;

	CONFORM_DECLARE("2.6.27", "epoll_ctl",
			"epoll_ctl(2) EBADF");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, ref_epoll_init(&ep));
	EXPECT_EQ(-EBADF, ref_epoll_add(&ep, conform_bad_fd(), EPOLLIN, 1));
	ref_epoll_free(&ep);
}

/*
 * epoll_ctl(2): EINVAL when "fd is the same as epfd"; epoll(7): putting an
 * epoll fd into its own set "fails (EINVAL)" (2.6).
 */
TEST(add_of_the_instance_itself_gets_einval)
{
	struct ref_epoll ep;

	CONFORM_DECLARE("2.6.27", "epoll_ctl",
			"epoll_ctl(2) EINVAL: fd is the same as epfd");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, ref_epoll_init(&ep));
	EXPECT_EQ(-EINVAL, ref_epoll_add(&ep, ep.fd, EPOLLIN, 1));
	ref_epoll_free(&ep);
}

/*
 * epoll_ctl(2): "EPERM The target file fd does not support epoll. This
 * error can occur if fd refers to, for example, a regular file or a
 * directory" (2.6): -EPERM for an (unlinked) regular file.
 */
TEST(add_of_regular_file_gets_eperm)
{
	struct ref_epoll ep;
	int file;

	CONFORM_DECLARE("2.6.27", "epoll_ctl",
			"epoll_ctl(2) EPERM");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, ref_epoll_init(&ep));
	ASSERT_LE(0, file = conform_temp_file(4096, 0));
	EXPECT_EQ(-EPERM, ref_epoll_add(&ep, file, EPOLLIN, 1));
	ref_epoll_free(&ep);
	close(file);
}

/*
 * epoll_ctl(2): "EEXIST op was EPOLL_CTL_ADD, and the supplied file
 * descriptor fd is already registered with this epoll instance" (2.6); the
 * first watch keeps its data.
 */
TEST(add_twice_gets_eexist)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_ADD",
			"epoll_ctl(2) EEXIST");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	EXPECT_EQ(-EEXIST, ref_epoll_add(&ep, p[0], EPOLLIN, 2));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(1, ev[0].data.u64);
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_ctl(2): "ENOENT op was EPOLL_CTL_MOD or EPOLL_CTL_DEL, and fd is
 * not registered with this epoll instance" (2.6): delete and modify of an
 * open pipe never added.
 */
TEST(del_or_mod_of_unknown_fd_gets_enoent)
{
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLL_CTL_DEL",
			"epoll_ctl(2) ENOENT");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	EXPECT_EQ(-ENOENT, ref_epoll_del(&ep, p[0]));
	EXPECT_EQ(-ENOENT, ref_epoll_mod(&ep, p[0], EPOLLIN, 1));
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_ctl(2): "EINVAL op was EPOLL_CTL_MOD and events included
 * EPOLLEXCLUSIVE" (4.5); ref/epoll.c Rule: ref_epoll_mod refuses it before
 * asking the kernel. The watch is unchanged: it still reports with its old
 * data.
 */
TEST(mod_with_exclusive_gets_einval_and_changes_nothing)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL: EPOLL_CTL_MOD with "
			"EPOLLEXCLUSIVE (4.5), refused by ref/epoll.c itself");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	EXPECT_EQ(-EINVAL, ref_epoll_mod(&ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 2));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(1, ev[0].data.u64);
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_ctl(2): "EINVAL op was EPOLL_CTL_MOD and the EPOLLEXCLUSIVE flag
 * has previously been applied to this epfd, fd pair" (4.5): a watch added
 * through ref_epoll_add with EPOLLEXCLUSIVE cannot be modified, even
 * without the flag; it can be deleted.
 */
TEST(mod_of_exclusive_watch_gets_einval)
{
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("4.5", "EPOLLEXCLUSIVE",
			"epoll_ctl(2) EINVAL: EPOLLEXCLUSIVE previously "
			"applied to this fd");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ASSERT_EQ(0, ref_epoll_add(&ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
	EXPECT_EQ(-EINVAL, ref_epoll_mod(&ep, p[0], EPOLLIN, 2));
	EXPECT_EQ(0, ref_epoll_del(&ep, p[0]));
	ref_case_ep_close(&ep, p);
}

/*
 * epoll_wait(2): "EINVAL ... maxevents is less than or equal to zero"
 * (2.6); ref_epoll_wait passes it on as -EINVAL, at once (the retry loop
 * is only for EINTR), even with no time limit.
 */
TEST(wait_with_max_zero_gets_einval)
{
	struct epoll_event ev[1];
	struct ref_epoll ep;
	volatile int zero = 0;	/* keeps gcc's access check quiet */

	CONFORM_DECLARE("2.6.27", "epoll_wait",
			"epoll_wait(2) EINVAL: maxevents <= 0");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, ref_epoll_init(&ep));
	EXPECT_EQ(-EINVAL, ref_epoll_wait(&ep, ev, zero, -1, NULL));
	ref_epoll_free(&ep);
}

/*
 * epoll_create1(2): EPOLL_CLOEXEC sets close-on-exec on the new fd
 * (2.6.27); ref/epoll.h: ref_epoll_init makes its instance with it.
 */
TEST(init_gives_close_on_exec_instance)
{
	struct ref_epoll ep;

	CONFORM_DECLARE("2.6.27", "EPOLL_CLOEXEC",
			"epoll_create1(2) EPOLL_CLOEXEC");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, ref_epoll_init(&ep));
	ASSERT_LE(0, ep.fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(ep.fd, F_GETFD) & FD_CLOEXEC);
	ref_epoll_free(&ep);
}

/*
 * ref/epoll.h: ref_epoll_free closes the instance and is "safe to call
 * twice"; the freed context (fd -1) fails every call with -EBADF
 * (epoll_ctl(2), epoll_wait(2): "EBADF epfd is not a valid file
 * descriptor").
 */
TEST(freed_context_gets_ebadf)
{
	struct epoll_event ev[1];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "epoll_ctl",
			"epoll_ctl(2), epoll_wait(2) EBADF: epfd is not valid");
	EPOLL_REQUIRE();
	ref_case_ep_open(_metadata, &ep, p);
	ref_epoll_free(&ep);
	ref_epoll_free(&ep);
	EXPECT_EQ(-1, ep.fd);
	EXPECT_EQ(-EBADF, ref_epoll_add(&ep, p[0], EPOLLIN, 1));
	EXPECT_EQ(-EBADF, ref_epoll_del(&ep, p[0]));
	EXPECT_EQ(-EBADF, ref_epoll_wait(&ep, ev, 1, 0, NULL));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
