// SPDX-License-Identifier: MIT
/*
 * eventfd/invalid-io: the read(2) and write(2) arguments an eventfd rejects
 * (buffers shorter than 8 bytes, the value 0xffffffffffffffff), that a
 * rejected call leaves the counter alone, and that a read into a larger
 * buffer still transfers exactly 8 bytes.
 * Source: eventfd(2).
 */
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform.h"

/* eventfd(2): "A read(2) fails with the error EINVAL if the size of the supplied buffer is less than 8 bytes" (since 2.6.22). */
TEST(read_with_7_byte_buffer_gets_einval)
{
	unsigned char buf[7];
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: EINVAL if the buffer is less than 8 bytes");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(3, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * eventfd(2): the short read fails with EINVAL; only a successful read
 * resets the counter, so the value is still there afterwards (since 2.6.22).
 */
TEST(short_read_leaves_counter_unchanged)
{
	unsigned char buf[7];
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: EINVAL for a buffer under 8 bytes; only a successful read resets the counter");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)3, v);
	close(fd);
}

/* eventfd(2): "A write(2) fails with the error EINVAL if the size of the supplied buffer is less than 8 bytes" (since 2.6.22). */
TEST(write_with_7_byte_buffer_gets_einval)
{
	unsigned char buf[7] = { 1, 0, 0, 0, 0, 0, 0 };
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EINVAL if the buffer is less than 8 bytes");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	/* Nothing was added. */
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/* eventfd(2): write(2) fails with EINVAL "if an attempt is made to write the value 0xffffffffffffffff" (since 2.6.22). */
TEST(write_of_all_ones_gets_einval)
{
	uint64_t all = 0xffffffffffffffffULL;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EINVAL for the value 0xffffffffffffffff");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, &all, sizeof(all)));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * eventfd(2): the rejected all-ones write adds nothing: the counter keeps
 * its value, and it fails with EINVAL even on a blocking fd whose counter
 * could never take it (since 2.6.22).
 */
TEST(rejected_all_ones_write_leaves_counter_unchanged)
{
	uint64_t all = 0xffffffffffffffffULL, v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EINVAL for 0xffffffffffffffff, nothing added");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(11, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, write(fd, &all, sizeof(all)));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)11, v);
	close(fd);
}

/*
 * eventfd(2): "Each successful read(2) returns an 8-byte integer": a 16-byte
 * buffer gets 8 bytes, the rest is left untouched (since 2.6.22).
 */
TEST(read_with_16_byte_buffer_returns_8_bytes)
{
	uint64_t buf[2] = { 0, 0x5a5a5a5a5a5a5a5aULL };
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: each successful read returns an 8-byte integer");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(77, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(8, read(fd, buf, sizeof(buf)));
	EXPECT_EQ((uint64_t)77, buf[0]);
	EXPECT_EQ((uint64_t)0x5a5a5a5a5a5a5a5aULL, buf[1]);
	close(fd);
}

TEST_HARNESS_MAIN
