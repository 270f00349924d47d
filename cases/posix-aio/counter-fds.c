// SPDX-License-Identifier: MIT
/*
 * posix-aio/counter-fds: aio_read and aio_write on the 8-byte counters of
 * eventfd and timerfd descriptors, where the request does what read(2) and
 * write(2) do on them: an eventfd read returns the counter and resets it
 * (1 in semaphore mode), waits while it is 0 (or fails with EAGAIN when
 * nonblocking), a write adds to it and waits while the sum would overflow;
 * a buffer under 8 bytes, or a write of 0xffffffffffffffff, fails with
 * EINVAL. A timerfd read completes after the timer expired with the count
 * of expirations; a buffer under 8 bytes fails with EINVAL, and a write
 * fails with EINVAL (a timerfd cannot be written).
 * Sources: POSIX.1-2017 XSH aio_read() and aio_write() DESCRIPTION (read
 * and write as read() and write() would; the call returns once the request
 * is queued, even when the data cannot be delivered at once), aio_error()
 * DESCRIPTION (the errno read() or write() would set); eventfd(2) read(2)
 * and write(2) paragraphs, EFD_SEMAPHORE, EFD_NONBLOCK; timerfd_create(2)
 * read(2) paragraph; write(2) EINVAL (an object unsuitable for writing).
 *
 * Requests that wait are shown waiting by a bounded aio_suspend that runs
 * out (they cannot complete before the counter changes), then released by
 * a plain read(2) or write(2) of the counter. The timer is armed for 1 ms,
 * one-shot, before the read is queued: the read returns whenever it runs,
 * after expiry, within the 5 s bound of the wait.
 *
 * glibc 2.36 runs each request in a worker thread with pread/pwrite, and
 * read/write where those give ESPIPE. First kernel: that of the file type
 * (eventfd 2.6.22, EFD_NONBLOCK 2.6.27, EFD_SEMAPHORE 2.6.30, timerfd
 * 2.6.25); a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

#include "conform_posix_aio.h"

/* Run op on cb to completion: 0, or -1 when the call itself failed. */
static int run_to_completion(int (*op)(struct aiocb *), struct aiocb *cb)
{
	if (op(cb) < 0)
		return -1;
	return posix_aio_wait_done(cb);
}

/* An eventfd with initval and flags (EFD_CLOEXEC added), or -1 with *why. */
static int make_eventfd(unsigned int initval, int flags, const char **why)
{
	int fd;

	*why = conform_eventfd_unavailable();
	if (*why)
		return -1;
	fd = eventfd(initval, flags | EFD_CLOEXEC);
	if (fd < 0)
		*why = errno == EINVAL
			? "eventfd: EINVAL for these flags (not in this kernel)"
			: CONFORM_ENV "eventfd failed (refused here)";
	return fd;
}

/*
 * A timerfd on CLOCK_MONOTONIC, or -1 with *why: ENOSYS (before 2.6.25, or
 * without CONFIG_TIMERFD) or refused.
 */
static int make_timerfd(const char **why)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	*why = NULL;
	if (fd < 0)
		*why = errno == ENOSYS
			? CONFORM_ENV "timerfd_create: ENOSYS (kernel without CONFIG_TIMERFD, or before 2.6.25)"
			: CONFORM_ENV "timerfd_create failed (refused here)";
	return fd;
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: reads as read() would; eventfd(2):
 * a read of a nonzero counter returns its value in 8 bytes and resets it
 * to 0. An aio_read of an eventfd made with 5 completes with 8 and the
 * value 5, and the eventfd is no longer readable.
 * First kernel: 2.6.22 (eventfd; glibc runs the read in a thread).
 */
TEST(eventfd_read_returns_the_counter_and_resets_it)
{
	uint64_t value = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.22", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: reads as read() "
			"would (glibc: pread, then read on ESPIPE; eventfd(2) "
			"read returns the counter and resets it)");
	fd = make_eventfd(5, 0, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &value, sizeof(value), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(8, aio_return(&cb));
	EXPECT_EQ(5, value);
	EXPECT_FALSE(conform_fd_readable(fd, 0));
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: the call returns once the request is
 * queued, even when the data cannot be delivered at once; eventfd(2): a
 * read of a zero counter blocks until it becomes nonzero. An aio_read of a
 * blocking eventfd at 0 stays in progress; after a write(2) of 3 it
 * completes with 8 and the value 3.
 * First kernel: 2.6.22 (eventfd; glibc runs the read in a thread).
 */
TEST(eventfd_read_of_zero_counter_waits_for_a_write)
{
	uint64_t value = 0, add = 3;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.22", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: returns once "
			"queued even when the data cannot be delivered at once "
			"(glibc: read in a worker; eventfd(2) read blocks at 0)");
	fd = make_eventfd(0, 0, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &value, sizeof(value), 0);
	ASSERT_EQ(0, aio_read(&cb));
	EXPECT_TRUE(posix_aio_still_in_progress(&cb));
	ASSERT_EQ(8, write(fd, &add, sizeof(add)));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(8, aio_return(&cb));
	EXPECT_EQ(3, value);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: as read() would; eventfd(2)
 * EFD_SEMAPHORE: a read returns 1 and decrements the counter by 1. An
 * aio_read of a semaphore eventfd at 3 gives 1, and a read(2) after it
 * finds 2 left (two more reads succeed).
 * First kernel: 2.6.30 (EFD_SEMAPHORE; glibc runs the read in a thread).
 */
TEST(eventfd_semaphore_read_returns_one)
{
	uint64_t value = 0, again = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.30", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: reads as read() "
			"would (glibc: read in a worker; eventfd(2) "
			"EFD_SEMAPHORE read returns 1 and decrements)");
	fd = make_eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &value, sizeof(value), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(8, aio_return(&cb));
	EXPECT_EQ(1, value);
	EXPECT_EQ(8, read(fd, &again, sizeof(again)));
	EXPECT_EQ(8, read(fd, &again, sizeof(again)));
	EXPECT_EQ(-1, read(fd, &again, sizeof(again)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno read() would set;
 * eventfd(2) EFD_NONBLOCK: a read of a zero counter fails with EAGAIN
 * instead of blocking. The aio_read completes with status EAGAIN and
 * return -1.
 * First kernel: 2.6.27 (EFD_NONBLOCK; glibc runs the read in a thread).
 */
TEST(eventfd_nonblocking_read_of_zero_counter_fails_with_eagain)
{
	uint64_t value = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.27", "aio_read",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno read() "
			"would set (glibc: read in a worker; eventfd(2) "
			"EFD_NONBLOCK read at 0 fails with EAGAIN)");
	fd = make_eventfd(0, EFD_NONBLOCK, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &value, sizeof(value), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(EAGAIN, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno read() would set;
 * eventfd(2): a read with a buffer under 8 bytes fails with EINVAL. An
 * aio_read of 4 bytes of an eventfd at 9 completes with status EINVAL and
 * return -1, and the counter is left at 9.
 * First kernel: 2.6.22 (eventfd; glibc runs the read in a thread).
 */
TEST(eventfd_read_shorter_than_8_bytes_fails_with_einval)
{
	uint64_t value = 0;
	uint32_t small = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.22", "aio_read",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno read() "
			"would set (glibc: read in a worker; eventfd(2) read "
			"under 8 bytes fails with EINVAL)");
	fd = make_eventfd(9, EFD_NONBLOCK, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &small, sizeof(small), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(8, read(fd, &value, sizeof(value)));
	EXPECT_EQ(9, value);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: writes as write() would;
 * eventfd(2): a write adds its 8-byte value to the counter. An aio_write
 * of 7 to an eventfd at 10 completes with 8, and the counter reads 17.
 * First kernel: 2.6.22 (eventfd; glibc runs the write in a thread).
 */
TEST(eventfd_write_adds_to_the_counter)
{
	uint64_t add = 7, value = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.22", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: writes as "
			"write() would (glibc: pwrite, then write on ESPIPE; "
			"eventfd(2) write adds to the counter)");
	fd = make_eventfd(10, EFD_NONBLOCK, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &add, sizeof(add), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(8, aio_return(&cb));
	ASSERT_EQ(8, read(fd, &value, sizeof(value)));
	EXPECT_EQ(17, value);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: returns once queued; eventfd(2): a
 * write that would take the counter past 0xfffffffffffffffe blocks until a
 * read makes room. With the counter at that maximum, an aio_write of 1
 * stays in progress; after a read(2) resets the counter it completes with
 * 8, and the counter is 1.
 * First kernel: 2.6.22 (eventfd; glibc runs the write in a thread).
 */
TEST(eventfd_write_that_would_overflow_waits_for_a_read)
{
	uint64_t max = UINT64_MAX - 1, one = 1, value = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.22", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: returns once "
			"queued (glibc: write in a worker; eventfd(2) write "
			"that would overflow blocks until a read)");
	fd = make_eventfd(0, 0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(8, write(fd, &max, sizeof(max)));
	posix_aio_prep(&cb, fd, &one, sizeof(one), 0);
	ASSERT_EQ(0, aio_write(&cb));
	EXPECT_TRUE(posix_aio_still_in_progress(&cb));
	ASSERT_EQ(8, read(fd, &value, sizeof(value)));
	EXPECT_EQ(UINT64_MAX - 1, value);
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(8, aio_return(&cb));
	ASSERT_EQ(8, read(fd, &value, sizeof(value)));
	EXPECT_EQ(1, value);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno write() would set;
 * eventfd(2): a write of under 8 bytes, or of the value
 * 0xffffffffffffffff, fails with EINVAL. Both aio_writes complete with
 * status EINVAL and return -1, and the counter stays at 4.
 * First kernel: 2.6.22 (eventfd; glibc runs the write in a thread).
 */
TEST(eventfd_short_or_all_ones_write_fails_with_einval)
{
	uint64_t ones = UINT64_MAX, value = 0;
	uint32_t small = 1;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.22", "aio_write",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno "
			"write() would set (glibc: write in a worker; "
			"eventfd(2) write under 8 bytes or of all ones fails "
			"with EINVAL)");
	fd = make_eventfd(4, EFD_NONBLOCK, &why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &small, sizeof(small), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	posix_aio_prep(&cb, fd, &ones, sizeof(ones), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	ASSERT_EQ(8, read(fd, &value, sizeof(value)));
	EXPECT_EQ(4, value);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: reads as read() would, the call
 * returning once queued; timerfd_create(2): a read returns the number of
 * expirations in 8 bytes, blocking until there is one. With a one-shot
 * timer armed for 1 ms, an aio_read completes (within the 5 s bound) with
 * 8 and the count 1.
 * First kernel: 2.6.25 (timerfd; glibc runs the read in a thread).
 */
TEST(timerfd_read_completes_after_expiry_with_the_count)
{
	const struct itimerspec once = { { 0, 0 }, { 0, 1000 * 1000 } };
	uint64_t count = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.25", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: reads as read() "
			"would, returning once queued (glibc: read in a worker; "
			"timerfd_create(2) read gives the expirations)");
	fd = make_timerfd(&why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(0, timerfd_settime(fd, 0, &once, NULL));
	posix_aio_prep(&cb, fd, &count, sizeof(count), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(8, aio_return(&cb));
	EXPECT_EQ(1, count);
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno read() would set;
 * timerfd_create(2): a read with a buffer under 8 bytes fails with EINVAL.
 * With the timer already expired (armed for 1 ns), an aio_read of 4 bytes
 * completes with status EINVAL and return -1.
 * First kernel: 2.6.25 (timerfd; glibc runs the read in a thread).
 */
TEST(timerfd_read_shorter_than_8_bytes_fails_with_einval)
{
	const struct itimerspec once = { { 0, 0 }, { 0, 1 } };
	uint32_t small = 0;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.25", "aio_read",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno read() "
			"would set (glibc: read in a worker; timerfd_create(2) "
			"read under 8 bytes fails with EINVAL)");
	fd = make_timerfd(&why);
	CONFORM_REQUIRE(why);
	ASSERT_EQ(0, timerfd_settime(fd, 0, &once, NULL));
	posix_aio_prep(&cb, fd, &small, sizeof(small), 0);
	ASSERT_EQ(0, run_to_completion(aio_read, &cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

/*
 * POSIX.1-2017 aio_error() DESCRIPTION: the errno write() would set;
 * write(2) EINVAL: the descriptor refers to an object unsuitable for
 * writing, as a timerfd is (timerfd_create(2) lists no write). An
 * aio_write of 8 bytes to a timerfd completes with status EINVAL and
 * return -1.
 * First kernel: 2.6.25 (timerfd; glibc runs the write in a thread).
 */
TEST(timerfd_write_fails_with_einval)
{
	uint64_t value = 1;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.25", "aio_write",
			"POSIX.1-2017 aio_error() DESCRIPTION: the errno "
			"write() would set (glibc: write in a worker; write(2) "
			"EINVAL, a timerfd is unsuitable for writing)");
	fd = make_timerfd(&why);
	CONFORM_REQUIRE(why);
	posix_aio_prep(&cb, fd, &value, sizeof(value), 0);
	ASSERT_EQ(0, run_to_completion(aio_write, &cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	close(fd);
}

TEST_HARNESS_MAIN
