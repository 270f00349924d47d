// SPDX-License-Identifier: MIT
/*
 * eventfd/semaphore: EFD_SEMAPHORE reads, which return 1 and decrement the
 * counter by 1 instead of returning and clearing it; writes still add.
 * Source: eventfd(2), EFD_SEMAPHORE (since Linux 2.6.30).
 */
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform.h"

/* An EFD_SEMAPHORE eventfd, or a skip when the kernel lacks the flag. */
static int sem_eventfd(unsigned int initval, int flags)
{
	return eventfd(initval, EFD_SEMAPHORE | EFD_CLOEXEC | flags);
}

#define SEM_OPEN_OR_SKIP(fd, initval, flags)                                   \
	do {                                                                   \
		(fd) = sem_eventfd((initval), (flags));                        \
		if ((fd) < 0 && errno == EINVAL)                               \
			SKIP(return, "eventfd(EFD_SEMAPHORE): EINVAL (flag not supported)"); \
		ASSERT_LE(0, (fd));                                            \
	} while (0)

/* eventfd(2) EFD_SEMAPHORE: a read of a nonzero counter returns "the value 1" (since 2.6.30). */
TEST(semaphore_read_returns_one)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE: a read returns the value 1; EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30)");
	CONFORM_REQUIRE_EVENTFD();
	SEM_OPEN_OR_SKIP(fd, 5, 0);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	close(fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE: each read decrements the counter by 1, so an
 * initial value of 3 allows exactly three reads; the fourth (nonblocking)
 * gets EAGAIN (since 2.6.30).
 */
TEST(semaphore_read_decrements_by_one)
{
	uint64_t v;
	int fd, i;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE: a read decrements the counter by 1; EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30)");
	CONFORM_REQUIRE_EVENTFD();
	SEM_OPEN_OR_SKIP(fd, 3, EFD_NONBLOCK);
	for (i = 0; i < 3; i++) {
		v = 0;
		ASSERT_EQ(8, read(fd, &v, sizeof(v)));
		ASSERT_EQ((uint64_t)1, v);
	}
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): write(2) adds its value to the counter whatever the mode, so
 * writing 2 to an empty semaphore allows two reads of 1 (since 2.6.30).
 */
TEST(semaphore_write_adds_value)
{
	uint64_t two = 2, v;
	int fd;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) write adds its value in every mode; EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30)");
	CONFORM_REQUIRE_EVENTFD();
	SEM_OPEN_OR_SKIP(fd, 0, EFD_NONBLOCK);
	ASSERT_EQ(8, write(fd, &two, sizeof(two)));
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): the fd is readable (POLLIN) while the counter is greater than
 * 0; a semaphore read leaves 1 of 2, so it stays readable, and the last read
 * makes it not readable (since 2.6.30).
 */
TEST(semaphore_stays_readable_until_zero)
{
	struct pollfd pfd = { .events = POLLIN };
	uint64_t v;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) POLLIN while the counter is above 0; EFD_SEMAPHORE (commit bcd0b235bf38, 2.6.30)");
	CONFORM_REQUIRE_EVENTFD();
	SEM_OPEN_OR_SKIP(pfd.fd, 2, EFD_NONBLOCK);
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents & POLLIN);
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	pfd.revents = 0;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents);
	close(pfd.fd);
}

TEST_HARNESS_MAIN
