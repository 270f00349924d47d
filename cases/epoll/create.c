// SPDX-License-Identifier: MIT
/*
 * epoll/create: epoll_create(2) and epoll_create1(2) - argument checking,
 * the EPOLL_CLOEXEC flag, and the state of a new instance.
 * Sources: epoll_create(2), epoll(7).
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/*
 * The raw system call, so that the kernel (not glibc) checks size. Newer
 * architectures (arm64, riscv) have only epoll_create1: ENOSYS there.
 */
static int sys_epoll_create(int size)
{
#ifdef __NR_epoll_create
	return (int)syscall(__NR_epoll_create, size);
#else
	(void)size;
	errno = ENOSYS;
	return -1;
#endif
}

/* Skip where the architecture itself has no epoll_create. */
#ifdef __NR_epoll_create
#define REQUIRE_EPOLL_CREATE() do { } while (0)
#else
#define REQUIRE_EPOLL_CREATE() \
	SKIP(return, CONFORM_ENV "epoll_create: this architecture has no such system call, only epoll_create1 (the asm-generic table of arm64 and riscv64)")
#endif

/*
 * epoll_create(2): size "is ignored, but must be greater than zero";
 * ERRORS "EINVAL size is not positive" (since 2.6.8).
 */
TEST(create_with_size_zero_gets_einval)
{
	CONFORM_DECLARE("2.6.8", "epoll_create",
			"epoll_create(2) EINVAL size is not positive (size "
			"ignored but must be positive since 2.6.8)");
	REQUIRE_EPOLL_CREATE();
	errno = 0;
	ASSERT_EQ(-1, sys_epoll_create(0));
	CONFORM_SKIP_IF_ENOSYS(errno, "epoll_create");
	EXPECT_EQ(EINVAL, errno);
}

/* epoll_create(2): EINVAL when size is not positive, here -1 (since 2.6.8). */
TEST(create_with_negative_size_gets_einval)
{
	CONFORM_DECLARE("2.6.8", "epoll_create",
			"epoll_create(2) EINVAL size is not positive (size "
			"ignored but must be positive since 2.6.8)");
	REQUIRE_EPOLL_CREATE();
	errno = 0;
	ASSERT_EQ(-1, sys_epoll_create(-1));
	CONFORM_SKIP_IF_ENOSYS(errno, "epoll_create");
	EXPECT_EQ(EINVAL, errno);
}

/*
 * epoll_create(2): any positive size is accepted (since 2.6; a sizing hint
 * before 2.6.8, ignored since).
 */
TEST(create_with_size_one_returns_epoll_fd)
{
	struct epoll_event ev;
	int ep = sys_epoll_create(1);

	CONFORM_DECLARE("2.6", "epoll_create",
			"epoll_create(2): size is a positive hint (ignored "
			"since 2.6.8)");
	REQUIRE_EPOLL_CREATE();
	if (ep < 0)
		CONFORM_SKIP_IF_ENOSYS(errno, "epoll_create");
	ASSERT_LE(0, ep);
	/* It is an epoll instance: epoll_wait accepts it. */
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);
}

/*
 * epoll_create(2): epoll_create1() fails with "EINVAL Invalid value
 * specified in flags"; EPOLL_CLOEXEC is the only flag (since 2.6.27).
 */
TEST(create1_with_unknown_flag_gets_einval)
{
	CONFORM_DECLARE("2.6.27", "epoll_create1",
			"epoll_create(2) EINVAL invalid value specified in "
			"flags (epoll_create1 since 2.6.27)");
	EPOLL_REQUIRE();
	errno = 0;
	ASSERT_EQ(-1, epoll_create1(O_NONBLOCK));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, epoll_create1(1));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * epoll_create(2): EPOLL_CLOEXEC sets "the close-on-exec (FD_CLOEXEC) flag
 * on the new file descriptor" (since 2.6.27).
 */
TEST(create1_cloexec_sets_fd_cloexec)
{
	int ep;

	CONFORM_DECLARE("2.6.27", "EPOLL_CLOEXEC",
			"epoll_create(2) EPOLL_CLOEXEC (epoll_create1 since "
			"2.6.27)");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	EXPECT_EQ(FD_CLOEXEC, fcntl(ep, F_GETFD));
	close(ep);
}

/*
 * epoll_create(2): with flags 0 epoll_create1() is the same as
 * epoll_create(), which leaves FD_CLOEXEC clear (since 2.6.27).
 */
TEST(create1_without_flags_leaves_fd_cloexec_clear)
{
	int ep;

	CONFORM_DECLARE("2.6.27", "epoll_create1",
			"epoll_create(2): epoll_create1() with flags 0 is "
			"epoll_create() (since 2.6.27)");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(0));
	EXPECT_EQ(0, fcntl(ep, F_GETFD));
	close(ep);
}

/*
 * epoll(7): a new instance has an empty interest list, so nothing is ready;
 * epoll_wait(2): a timeout of 0 returns at once, 0 meaning no fd ready
 * (since 2.6).
 */
TEST(new_instance_has_nothing_ready)
{
	struct epoll_event ev[4];
	int ep;

	CONFORM_DECLARE("2.6", "epoll_wait",
			"epoll(7) interest list; epoll_wait(2) RETURN VALUE "
			"zero when no fd is ready");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	EXPECT_EQ(0, epoll_wait(ep, ev, 4, 0));
	close(ep);
}

TEST_HARNESS_MAIN
