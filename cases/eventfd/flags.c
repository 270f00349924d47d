// SPDX-License-Identifier: MIT
/*
 * eventfd/flags: the flags argument of eventfd2 (what glibc's eventfd()
 * calls): EFD_CLOEXEC sets FD_CLOEXEC, EFD_NONBLOCK sets O_NONBLOCK, no flags
 * sets neither, and an unknown flag is rejected with EINVAL.
 * Source: eventfd(2), flags and ERRORS (EFD_CLOEXEC/EFD_NONBLOCK since 2.6.27).
 */
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform.h"

/* eventfd2 itself, so that the flags reach the kernel exactly as given. */
static int sys_eventfd2(unsigned int initval, int flags)
{
	return (int)syscall(SYS_eventfd2, initval, flags);
}

/* eventfd(2) EFD_CLOEXEC: "Set the close-on-exec (FD_CLOEXEC) flag on the new file descriptor" (since 2.6.27). */
TEST(efd_cloexec_sets_fd_cloexec)
{
	int fd;

	CONFORM_DECLARE("2.6.27", "EFD_CLOEXEC",
			"eventfd(2) EFD_CLOEXEC; eventfd2 (2.6.27)");
	CONFORM_REQUIRE_EVENTFD();
	fd = sys_eventfd2(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
}

/* eventfd(2) EFD_NONBLOCK: "Set the O_NONBLOCK file status flag on the open file description" (since 2.6.27). */
TEST(efd_nonblock_sets_o_nonblock)
{
	int fd;

	CONFORM_DECLARE("2.6.27", "EFD_NONBLOCK",
			"eventfd(2) EFD_NONBLOCK; eventfd2 (2.6.27)");
	CONFORM_REQUIRE_EVENTFD();
	fd = sys_eventfd2(0, EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	close(fd);
}

/*
 * eventfd(2): with flags 0 neither flag is set: the fd survives execve(2)
 * ("preserved across execve(2), unless the close-on-exec flag has been
 * set") and reads block (since 2.6.27).
 */
TEST(no_flags_sets_neither_cloexec_nor_nonblock)
{
	int fd;

	CONFORM_DECLARE("2.6.27", "eventfd2",
			"eventfd(2): without flags the fd survives execve(2) and blocks; eventfd2 (2.6.27)");
	CONFORM_REQUIRE_EVENTFD();
	fd = sys_eventfd2(0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
}

/*
 * eventfd(2) ERRORS: "EINVAL An unsupported value was specified in flags".
 * 0x2 (O_RDWR) is none of EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE
 * (since 2.6.27).
 */
TEST(unknown_flag_gets_einval)
{
	int fd;

	CONFORM_DECLARE("2.6.27", "eventfd2",
			"eventfd(2) EINVAL: an unsupported value was specified in flags; eventfd2 (2.6.27)");
	CONFORM_REQUIRE_EVENTFD();
	fd = sys_eventfd2(0, 0x2);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

/*
 * eventfd(2): the three documented flags may be ORed together; the result
 * has both FD_CLOEXEC and O_NONBLOCK and reads as a semaphore (since 2.6.30
 * for EFD_SEMAPHORE).
 */
TEST(all_documented_flags_together_accepted)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) flags ORed together; EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30)");
	CONFORM_REQUIRE_EVENTFD();
	fd = sys_eventfd2(2, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	close(fd);
}

TEST_HARNESS_MAIN
