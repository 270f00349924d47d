// SPDX-License-Identifier: MIT
/*
 * posix-aio/odirect: aio_read and aio_write on a file opened O_DIRECT.
 * With buffer address, aio_offset and aio_nbytes all aligned (4096) the
 * requests transfer the data, and a read across the end of file returns
 * the bytes up to it; with any one of the three misaligned the request is
 * queued (the call returns 0) and fails later: aio_error gives EINVAL and
 * aio_return -1, as pread(2)/pwrite(2) give for O_DIRECT, and a failed
 * write leaves the file as it was.
 * Sources: POSIX.1-2017 XSH aio_read() and aio_write() DESCRIPTION (read
 * and write as read() and write() would) and ERRORS (EINVAL for an invalid
 * aio_offset or aio_nbytes, found at the call or later; later errors come
 * through aio_error), aio_error() DESCRIPTION; open(2) O_DIRECT and its
 * NOTES (alignment of the buffer, offset and length), pread(2)/pwrite(2)
 * and read(2)/write(2) EINVAL for misaligned O_DIRECT transfers;
 * aio_read(3) (glibc: EINVAL may be signaled asynchronously).
 *
 * What the filesystem of TMPDIR does is probed, never assumed: a file it
 * will not open O_DIRECT (tmpfs before 6.6: EINVAL) skips every TEST, and
 * a misalignment that a plain pread/pwrite of the same file accepts (tmpfs
 * since 6.6 goes through the page cache; some filesystems fall back to
 * buffered I/O) skips the TEST of that misalignment. The aioconf guests
 * give TMPDIR an ext4 disk, which enforces the logical block size.
 *
 * glibc 2.36 runs each request in a worker thread with pread/pwrite, so the
 * outcome is theirs; nothing newer is asked of the kernel: since is 2.6.0
 * in every declaration; a static glibc 2.36 binary itself needs 3.2 to
 * start.
 */
#include <aio.h>

#include "conform_posix_aio.h"

/* The alignment of every aligned transfer here: a page, above any
 * logical block size the filesystems of TMPDIR use. */
#define ALIGN 4096
/* The size of the test file: 16 aligned blocks. */
#define FILE_SIZE (16 * ALIGN)

/*
 * The test file (FILE_SIZE bytes of the pattern, or size when not 0)
 * opened O_RDWR | O_DIRECT, or -1 with *why: the filesystem of TMPDIR
 * refuses O_DIRECT.
 */
static int direct_file(size_t size, const char **why)
{
	int fd = conform_temp_file(size ? size : FILE_SIZE, O_DIRECT);

	*why = NULL;
	if (fd < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "the filesystem of TMPDIR does not open files O_DIRECT (%s)",
			 strerror(errno));
		*why = conform_why;
	}
	return fd;
}

/* An ALIGN-aligned buffer of len bytes (plus ALIGN spare), or NULL. */
static unsigned char *aligned_buffer(size_t len)
{
	void *p = NULL;

	return posix_memalign(&p, ALIGN, len + ALIGN) ? NULL : p;
}

/*
 * NULL when a plain pread (write false) or pwrite (write true) of len bytes
 * at off from buf on fd fails with EINVAL, as the misaligned TESTs need;
 * else the skip reason (what the filesystem did instead), with what named.
 * A pwrite that the filesystem accepts is undone by writing the pattern
 * back.
 */
static const char *misalignment_refused(int fd, bool write, void *buf,
					size_t len, off_t off, const char *what)
{
	ssize_t n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

	if (n < 0 && errno == EINVAL)
		return NULL;
	if (n < 0)
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "O_DIRECT %s with %s: plain %s fails with %s, not EINVAL",
			 write ? "write" : "read", what,
			 write ? "pwrite" : "pread", strerror(errno));
	else
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "the filesystem of TMPDIR accepts an O_DIRECT %s with %s (plain %s returned %zd)",
			 write ? "write" : "read", what,
			 write ? "pwrite" : "pread", n);
	return conform_why;
}

/*
 * Expect the misaligned request (op, len bytes at off from buf) to be
 * queued and to fail later with EINVAL; a write must leave the file's
 * pattern as it was (read back through a buffered descriptor).
 */
static void expect_later_einval(struct __test_metadata *_metadata,
				int (*op)(struct aiocb *), int fd, void *buf,
				size_t len, off_t off)
{
	unsigned char check[FILE_SIZE];
	struct aiocb cb;
	int bfd;

	posix_aio_prep(&cb, fd, buf, len, off);
	ASSERT_EQ(0, op(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(EINVAL, aio_error(&cb));
	EXPECT_EQ(-1, aio_return(&cb));
	if (op != aio_write)
		return;
	bfd = conform_reopen(fd, O_RDONLY);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(FILE_SIZE, pread(bfd, check, sizeof(check), 0));
	EXPECT_TRUE(conform_check_pattern(check, sizeof(check), 0));
	close(bfd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: reads as read() would; open(2)
 * O_DIRECT: a transfer with buffer, offset and length aligned is done
 * directly. An aio_read of 8192 bytes at 4096 into a page-aligned buffer
 * completes with 8192 and the file's bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(aligned_read_returns_the_data)
{
	unsigned char *buf;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: reads as read() "
			"would (glibc: pread(2); open(2) O_DIRECT with buffer, "
			"offset and length aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(2 * ALIGN));
	posix_aio_prep(&cb, fd, buf, 2 * ALIGN, ALIGN);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(2 * ALIGN, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, 2 * ALIGN, ALIGN));
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: writes as write() would, at
 * aio_offset; open(2) O_DIRECT. An aligned aio_write of 4096 bytes at
 * 12288 completes with 4096, and a buffered descriptor of the file then
 * reads those bytes there.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(aligned_write_lands_in_the_file)
{
	unsigned char *buf, check[ALIGN];
	struct aiocb cb;
	const char *why;
	int fd, bfd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: writes as "
			"write() would at aio_offset (glibc: pwrite(2); open(2) "
			"O_DIRECT with buffer, offset and length aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(ALIGN));
	/* Bytes the file does not hold there yet: those of offset 0. */
	conform_fill_pattern(buf, ALIGN, 0);
	posix_aio_prep(&cb, fd, buf, ALIGN, 3 * ALIGN);
	ASSERT_EQ(0, aio_write(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(ALIGN, aio_return(&cb));
	ASSERT_LE(0, bfd = conform_reopen(fd, O_RDONLY));
	ASSERT_EQ(ALIGN, pread(bfd, check, sizeof(check), 3 * ALIGN));
	EXPECT_TRUE(conform_check_pattern(check, sizeof(check), 0));
	close(bfd);
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() DESCRIPTION: as read() would, which returns the
 * bytes up to end of file. On a file of 4 blocks + 100 bytes, an aligned
 * aio_read of 2 blocks at block 3 completes with 4096 + 100 and their
 * bytes.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(aligned_read_across_end_of_file_returns_the_bytes_up_to_it)
{
	const size_t size = 4 * ALIGN + 100;
	unsigned char *buf;
	struct aiocb cb;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() DESCRIPTION: reads as read() "
			"would, the bytes up to end of file (glibc: pread(2) "
			"on an O_DIRECT descriptor)");
	fd = direct_file(size, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(2 * ALIGN));
	posix_aio_prep(&cb, fd, buf, 2 * ALIGN, 3 * ALIGN);
	ASSERT_EQ(0, aio_read(&cb));
	ASSERT_EQ(0, posix_aio_wait_done(&cb));
	EXPECT_EQ(0, aio_error(&cb));
	EXPECT_EQ(ALIGN + 100, aio_return(&cb));
	EXPECT_TRUE(conform_check_pattern(buf, ALIGN + 100, 3 * ALIGN));
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EINVAL may be found after queueing and
 * is then reported by aio_error; open(2) O_DIRECT NOTES, read(2) EINVAL:
 * the buffer address must be suitably aligned. An aio_read into a buffer
 * one byte past a page boundary is queued, then fails with EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_into_misaligned_buffer_fails_later_with_einval)
{
	unsigned char *buf;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL found after "
			"queueing comes through aio_error (glibc: pread(2) "
			"EINVAL for an O_DIRECT buffer not aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(ALIGN));
	why = misalignment_refused(fd, false, buf + 1, ALIGN, 0,
				   "a buffer at page + 1");
	if (why) {
		free(buf);
		close(fd);
	}
	CONFORM_REQUIRE(why);
	expect_later_einval(_metadata, aio_read, fd, buf + 1, ALIGN, 0);
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EINVAL for an invalid aio_offset, found
 * at the call or later; open(2) O_DIRECT NOTES: the file offset must be
 * aligned. An aio_read of 4096 bytes at offset 1 (aligned buffer) is
 * queued, then fails with EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_at_misaligned_offset_fails_later_with_einval)
{
	unsigned char *buf;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL for an invalid "
			"aio_offset, found later through aio_error (glibc: "
			"pread(2) EINVAL for an O_DIRECT offset not aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(ALIGN));
	why = misalignment_refused(fd, false, buf, ALIGN, 1, "offset 1");
	if (why) {
		free(buf);
		close(fd);
	}
	CONFORM_REQUIRE(why);
	expect_later_einval(_metadata, aio_read, fd, buf, ALIGN, 1);
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EINVAL when aio_nbytes is an invalid
 * value, found at the call or later; open(2) O_DIRECT NOTES: the length
 * must be aligned. An aio_read of 4097 bytes at 0 (aligned buffer) is
 * queued, then fails with EINVAL.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(read_of_misaligned_length_fails_later_with_einval)
{
	unsigned char *buf;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL for an invalid "
			"aio_nbytes, found later through aio_error (glibc: "
			"pread(2) EINVAL for an O_DIRECT length not aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(2 * ALIGN));
	why = misalignment_refused(fd, false, buf, ALIGN + 1, 0,
				   "length 4097");
	if (why) {
		free(buf);
		close(fd);
	}
	CONFORM_REQUIRE(why);
	expect_later_einval(_metadata, aio_read, fd, buf, ALIGN + 1, 0);
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: an error found after queueing comes
 * through aio_error; open(2) O_DIRECT NOTES, write(2) EINVAL: the buffer
 * must be aligned. An aio_write from a buffer one byte past a page
 * boundary is queued, then fails with EINVAL; the file is unchanged.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_from_misaligned_buffer_fails_later_with_einval)
{
	unsigned char *buf;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: an error found after "
			"queueing comes through aio_error (glibc: pwrite(2) "
			"EINVAL for an O_DIRECT buffer not aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(ALIGN));
	/* The file's own bytes: a write that got through changes nothing. */
	conform_fill_pattern(buf + 1, ALIGN, 0);
	why = misalignment_refused(fd, true, buf + 1, ALIGN, 0,
				   "a buffer at page + 1");
	if (why) {
		free(buf);
		close(fd);
	}
	CONFORM_REQUIRE(why);
	memset(buf + 1, 0x5a, ALIGN);
	expect_later_einval(_metadata, aio_write, fd, buf + 1, ALIGN, 0);
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EINVAL for an invalid aio_offset, found
 * at the call or later; open(2) O_DIRECT NOTES: the offset must be aligned.
 * An aio_write of 4096 bytes at offset 1 (aligned buffer) is queued, then
 * fails with EINVAL; the file is unchanged.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_at_misaligned_offset_fails_later_with_einval)
{
	unsigned char *buf;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EINVAL for an invalid "
			"aio_offset, found later through aio_error (glibc: "
			"pwrite(2) EINVAL for an O_DIRECT offset not aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(ALIGN));
	conform_fill_pattern(buf, ALIGN, 1);
	why = misalignment_refused(fd, true, buf, ALIGN, 1, "offset 1");
	if (why) {
		free(buf);
		close(fd);
	}
	CONFORM_REQUIRE(why);
	memset(buf, 0x5a, ALIGN);
	expect_later_einval(_metadata, aio_write, fd, buf, ALIGN, 1);
	free(buf);
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() ERRORS: EINVAL when aio_nbytes is an invalid
 * value, found at the call or later; open(2) O_DIRECT NOTES: the length
 * must be aligned. An aio_write of 4097 bytes at 0 (aligned buffer) is
 * queued, then fails with EINVAL; the file is unchanged.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(write_of_misaligned_length_fails_later_with_einval)
{
	unsigned char *buf;
	const char *why;
	int fd;

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() ERRORS: EINVAL for an invalid "
			"aio_nbytes, found later through aio_error (glibc: "
			"pwrite(2) EINVAL for an O_DIRECT length not aligned)");
	fd = direct_file(0, &why);
	CONFORM_REQUIRE(why);
	ASSERT_NE(NULL, buf = aligned_buffer(2 * ALIGN));
	conform_fill_pattern(buf, ALIGN + 1, 0);
	why = misalignment_refused(fd, true, buf, ALIGN + 1, 0, "length 4097");
	if (why) {
		free(buf);
		close(fd);
	}
	CONFORM_REQUIRE(why);
	memset(buf, 0x5a, ALIGN + 1);
	expect_later_einval(_metadata, aio_write, fd, buf, ALIGN + 1, 0);
	free(buf);
	close(fd);
}

TEST_HARNESS_MAIN
