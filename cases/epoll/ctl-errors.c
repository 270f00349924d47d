// SPDX-License-Identifier: MIT
/*
 * epoll/ctl-errors: the error returns of epoll_ctl(2) for EPOLL_CTL_ADD,
 * EPOLL_CTL_MOD and EPOLL_CTL_DEL (EPOLLEXCLUSIVE errors are in
 * epoll/exclusive). Sources: epoll_ctl(2) ERRORS, epoll(7) Q&A.
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/* epoll_ctl_tag(ep, op, fd, events, tag) must fail with errno err. */
static void expect_ctl_fails(struct __test_metadata *_metadata, int ep, int op,
			     int fd, unsigned int events, __u64 tag, int err)
{
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl_tag(ep, op, fd, events, tag));
	EXPECT_EQ(err, errno);
}

/* Close both pipe ends and the epoll instance. */
static void close_pipe_and_epoll(int p[2], int ep)
{
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * epoll_ctl(2): "EEXIST op was EPOLL_CTL_ADD, and the supplied file
 * descriptor fd is already registered with this epoll instance" (since 2.6).
 */
TEST(add_twice_gets_eexist)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLL_CTL_ADD", "epoll_ctl(2) EEXIST");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	expect_ctl_fails(_metadata, ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 2,
			 EEXIST);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "ENOENT op was EPOLL_CTL_MOD or EPOLL_CTL_DEL, and fd is not
 * registered with this epoll instance" - here MOD (since 2.6).
 */
TEST(mod_of_unregistered_fd_gets_enoent)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLL_CTL_MOD", "epoll_ctl(2) ENOENT");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	expect_ctl_fails(_metadata, ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 1,
			 ENOENT);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): ENOENT for EPOLL_CTL_DEL of an fd that is not registered;
 * here one that was registered and already deleted (since 2.6.9, for the
 * NULL event used here).
 */
TEST(del_of_unregistered_fd_gets_enoent)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6.9", "EPOLL_CTL_DEL",
			"epoll_ctl(2) ENOENT; BUGS: event may be NULL for "
			"EPOLL_CTL_DEL since 2.6.9");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	/* epoll_ctl(2): for DEL the event argument can be NULL (since 2.6.9). */
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	errno = 0;
	EXPECT_EQ(-1, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	EXPECT_EQ(ENOENT, errno);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "EBADF epfd or fd is not a valid file descriptor"; both
 * cases, with a number that cannot be open (conform_bad_fd) (since 2.6).
 */
TEST(invalid_epfd_or_fd_gets_ebadf)
{
	int ep, p[2], bad = conform_bad_fd();

	CONFORM_DECLARE("2.6", "epoll_ctl", "epoll_ctl(2) EBADF");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	expect_ctl_fails(_metadata, ep, EPOLL_CTL_ADD, bad, EPOLLIN, 1, EBADF);
	expect_ctl_fails(_metadata, bad, EPOLL_CTL_ADD, p[0], EPOLLIN, 1,
			 EBADF);
	close_pipe_and_epoll(p, ep);
}

/*
 * epoll_ctl(2): "EPERM The target file fd does not support epoll. This error
 * can occur if fd refers to, for example, a regular file or a directory"
 * (since 2.6).
 */
TEST(regular_file_or_directory_gets_eperm)
{
	int ep, file, dir;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EPERM the target file fd does not "
			"support epoll");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_LE(0, file = conform_temp_file(4096, 0));
	ASSERT_NE(0, conform_tmpdir()[0]);
	ASSERT_LE(0, dir = open(conform_tmpdir(),
				O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	expect_ctl_fails(_metadata, ep, EPOLL_CTL_ADD, file, EPOLLIN, 1, EPERM);
	expect_ctl_fails(_metadata, ep, EPOLL_CTL_ADD, dir, EPOLLIN, 1, EPERM);
	close(dir);
	close(file);
	close(ep);
}

/*
 * epoll_ctl(2): EINVAL when "fd is the same as epfd"; epoll(7): putting an
 * epoll fd into its own set "fails (EINVAL)" (since 2.6).
 */
TEST(epoll_fd_into_itself_gets_einval)
{
	int ep;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EINVAL fd is the same as epfd");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	expect_ctl_fails(_metadata, ep, EPOLL_CTL_ADD, ep, EPOLLIN, 1, EINVAL);
	close(ep);
}

/* epoll_ctl(2): "EINVAL epfd is not an epoll file descriptor" (since 2.6). */
TEST(non_epoll_epfd_gets_einval)
{
	int p[2], s[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EINVAL epfd is not an epoll file "
			"descriptor");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_socketpair(s));
	expect_ctl_fails(_metadata, p[0], EPOLL_CTL_ADD, s[0], EPOLLIN, 1,
			 EINVAL);
	close(s[0]);
	close(s[1]);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2): EINVAL when "the requested operation op is not supported by
 * this interface"; only ADD (1), DEL (2) and MOD (3) exist (since 2.6).
 */
TEST(unknown_op_gets_einval)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EINVAL the requested operation op is "
			"not supported");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	expect_ctl_fails(_metadata, ep, 0, p[0], EPOLLIN, 1, EINVAL);
	expect_ctl_fails(_metadata, ep, 4, p[0], EPOLLIN, 1, EINVAL);
	close_pipe_and_epoll(p, ep);
}

TEST_HARNESS_MAIN
