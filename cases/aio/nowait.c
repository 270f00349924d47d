// SPDX-License-Identifier: MIT
/*
 * aio/nowait: RWF_NOWAIT in iocb.aio_rw_flags, "return -EAGAIN if the I/O
 * would block", through the raw system calls and <linux/aio_abi.h>, in the
 * cases that block deterministically: O_DIRECT writes that need block
 * allocation or must flush or drop cached pages, O_DIRECT reads of dirty
 * cached data, pipes and sockets with nothing to read or no room, and
 * buffered reads of data not in the page cache (whose outcome since 6.12
 * also depends on how fast the device is: both outcomes are asserted). aio/rw-flags has the eventfd
 * and a read of cached data.
 * io_submit(2) RWF_NOWAIT: "Don't wait if the I/O will block for operations
 * such as file block allocations, dirty page flush, mutex locks, or a
 * congested block device inside the kernel. If any of these conditions are
 * met, the control block is returned immediately with a return value of
 * -EAGAIN in the res field of the io_event structure."
 * Kernel history that the tests probe (never by version):
 *   4.13  RWF_NOWAIT, commit b745fafaf70c "fs: Introduce RWF_NOWAIT and
 *         FMODE_AIO_NOWAIT"; ext4/XFS O_DIRECT (4.14: buffered reads too,
 *         commit 91f9943e1c7b "fs: support RWF_NOWAIT for buffered reads");
 *   up to 6.11 a buffered read starts no I/O at all (since 5.9 through
 *         IOCB_NOIO, efa8480a8316 "fs: RWF_NOWAIT should imply IOCB_NOIO",
 *         which kept 5.9's readahead for io_uring away from RWF_NOWAIT);
 *   6.4   afed6271f5b0 "pipe: set FMODE_NOWAIT on pipes" (and "pipe: check
 *         for IOCB_NOWAIT alongside O_NONBLOCK", 6.4-rc2);
 *   6.5   fe34db062b80 "net: set FMODE_NOWAIT for sockets";
 *   6.12  "mm: allow read-ahead with IOCB_NOWAIT set" (Yafang Shao): a
 *         buffered read starts readahead and returns what is uptodate by
 *         then.
 * Before a file type has FMODE_NOWAIT, io_submit refuses RWF_NOWAIT on it
 * with EOPNOTSUPP (include/linux/fs.h kiocb_set_rw_flags()).
 * The O_DIRECT and page-cache tests need a TMPDIR filesystem with O_DIRECT
 * and RWF_NOWAIT (ext4 and XFS; the aioconf guests' scratch disk is ext4),
 * and skip as the environment elsewhere.
 */
#include <sys/uio.h>

#include "conform_aio.h"

#define BLK 4096
#define FILE_SIZE (16 * BLK)

static void *aligned_block(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, BLK, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

/* How many pages of [off, off + len) of fd are in the page cache, by
 * mincore(2) of a shared mapping; -1 when that cannot be told. */
static int pages_cached(int fd, long long off, size_t len)
{
	unsigned char vec[64];
	size_t n = len / BLK;
	int count = 0;
	void *map;

	if (n > sizeof(vec) || off % BLK)
		return -1;
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	if (map == MAP_FAILED)
		return -1;
	if (mincore(map, len, vec) < 0)
		count = -1;
	for (size_t i = 0; count >= 0 && i < n; i++)
		count += vec[i] & 1;
	munmap(map, len);
	return count;
}

/*
 * A file of FILE_SIZE bytes of the pattern, written back and dropped from
 * the page cache, open twice: *bfd buffered, *dfd with O_DIRECT (or -1 when
 * want_direct is false). NULL, or why not: O_DIRECT or RWF_NOWAIT refused
 * by the filesystem of TMPDIR (preadv2(RWF_NOWAIT) of the file gives
 * EOPNOTSUPP without FMODE_NOWAIT), or the pages would not leave the cache.
 */
static const char *nowait_file(bool want_direct, int *bfd, int *dfd)
{
	static char why[200];
	char probe[BLK];
	struct iovec iov = { probe, sizeof(probe) };
	int err;

	*dfd = -1;
	*bfd = conform_temp_file(FILE_SIZE, 0);
	if (*bfd < 0)
		return CONFORM_ENV "cannot make a temporary file";
	if (preadv2(*bfd, &iov, 1, 0, RWF_NOWAIT) < 0 && errno == EOPNOTSUPP) {
		close(*bfd);
		return CONFORM_ENV "preadv2(RWF_NOWAIT) of a TMPDIR file: EOPNOTSUPP (its filesystem has no FMODE_NOWAIT)";
	}
	if (want_direct) {
		*dfd = conform_reopen(*bfd, O_RDWR | O_DIRECT);
		if (*dfd < 0) {
			err = errno;
			close(*bfd);
			snprintf(why, sizeof(why),
				 CONFORM_ENV "open(O_DIRECT) of a TMPDIR file: %s", strerror(err));
			return why;
		}
	}
	if (fsync(*bfd) < 0 || posix_fadvise(*bfd, 0, 0, POSIX_FADV_DONTNEED) ||
	    pages_cached(*bfd, 0, FILE_SIZE) != 0) {
		if (*dfd >= 0)
			close(*dfd);
		close(*bfd);
		return CONFORM_UNSEEN "the file's pages stayed in the page cache after fsync and POSIX_FADV_DONTNEED";
	}
	return NULL;
}

/* Submit one O_DIRECT request op of len bytes at off with RWF_NOWAIT
 * alone and return its event's res (ASSERTing it was queued). */
static long long nowait_res(struct __test_metadata *_metadata, unsigned int op,
			    int fd, void *buf, size_t len, long long off)
{
	struct io_event ev;
	struct iocb cb;

	aio_prep_rw(&cb, op, fd, buf, len, off, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ev.res = LLONG_MIN;
	EXPECT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	return ev.res;
}

/*
 * io_submit(2) RWF_NOWAIT: a write that needs "file block allocations"
 * does not wait for them: an O_DIRECT write into a hole of a sparse file
 * completes with res -EAGAIN, and the hole still reads as zeros (since 4.13,
 * commit b745fafaf70c, with the filesystems' nowait support of the same
 * release).
 */
TEST(nowait_direct_write_into_hole_completes_with_eagain)
{
	char *buf, *back;
	int bfd, dfd;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res for file block allocations; commit b745fafaf70c (4.13): fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_file(true, &bfd, &dfd));
	ASSERT_EQ(0, ftruncate(bfd, 64 * BLK));
	buf = aligned_block(BLK);
	back = aligned_block(BLK);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, back);
	memset(buf, 0x5a, BLK);
	EXPECT_EQ(-EAGAIN, nowait_res(_metadata, IOCB_CMD_PWRITE, dfd, buf, BLK,
				      40 * BLK));
	ASSERT_EQ(BLK, pread(bfd, back, BLK, 40 * BLK));
	memset(buf, 0, BLK);
	EXPECT_EQ(0, memcmp(back, buf, BLK));
	free(buf);
	free(back);
	close(dfd);
	close(bfd);
}

/*
 * The same for a write past the end of the file, which must allocate
 * blocks and change the size: res -EAGAIN and the size is unchanged
 * (io_submit(2) RWF_NOWAIT; since 4.13).
 */
TEST(nowait_direct_write_extending_file_completes_with_eagain)
{
	struct stat st;
	char *buf;
	int bfd, dfd;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res for file block allocations; commit b745fafaf70c (4.13): fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_file(true, &bfd, &dfd));
	buf = aligned_block(BLK);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(-EAGAIN, nowait_res(_metadata, IOCB_CMD_PWRITE, dfd, buf, BLK,
				      FILE_SIZE));
	ASSERT_EQ(0, fstat(bfd, &st));
	EXPECT_EQ(FILE_SIZE, st.st_size);
	free(buf);
	close(dfd);
	close(bfd);
}

/*
 * The converse: an O_DIRECT overwrite of allocated, written blocks that
 * are not in the page cache needs nothing that blocks, so with RWF_NOWAIT
 * it completes with res the byte count and the data lands (io_submit(2)
 * RWF_NOWAIT; since 4.13).
 */
TEST(nowait_direct_overwrite_of_allocated_blocks_completes)
{
	char *buf, *back;
	int bfd, dfd;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: the request completes when nothing would block; commit b745fafaf70c (4.13): fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_file(true, &bfd, &dfd));
	buf = aligned_block(BLK);
	back = aligned_block(BLK);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, back);
	conform_fill_pattern(buf, BLK, 700000);
	EXPECT_EQ(BLK, nowait_res(_metadata, IOCB_CMD_PWRITE, dfd, buf, BLK,
				  3 * BLK));
	ASSERT_EQ(BLK, pread(dfd, back, BLK, 3 * BLK));
	EXPECT_TRUE(conform_check_pattern(back, BLK, 700000));
	free(buf);
	free(back);
	close(dfd);
	close(bfd);
}

/*
 * io_submit(2) RWF_NOWAIT, "dirty page flush": an O_DIRECT read must first
 * write back dirty cached pages of its range; with RWF_NOWAIT it completes
 * with res -EAGAIN instead and the buffer is untouched (since 4.13: the
 * direct I/O path returns -EAGAIN when the range has cached pages to
 * write back).
 */
TEST(nowait_direct_read_of_dirty_cached_range_completes_with_eagain)
{
	char *buf;
	int bfd, dfd;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res for a dirty page flush; commit b745fafaf70c (4.13): fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_file(true, &bfd, &dfd));
	buf = aligned_block(BLK);
	ASSERT_NE(NULL, buf);
	/* Rewrite block 5 through the page cache: now dirty there. */
	conform_fill_pattern(buf, BLK, 5 * BLK);
	ASSERT_EQ(BLK, pwrite(bfd, buf, BLK, 5 * BLK));
	memset(buf, 0xc3, BLK);
	EXPECT_EQ(-EAGAIN, nowait_res(_metadata, IOCB_CMD_PREAD, dfd, buf, BLK,
				      5 * BLK));
	for (int i = 0; i < BLK; i++)
		if ((unsigned char)buf[i] != 0xc3) {
			EXPECT_EQ(0xc3, (unsigned char)buf[i]) TH_LOG("byte %d", i);
			break;
		}
	free(buf);
	close(dfd);
	close(bfd);
}

/*
 * An O_DIRECT write must drop the cached pages of its range (after writing
 * back dirty ones); with RWF_NOWAIT it does not: res -EAGAIN, and the
 * cached data stays what it was (io_submit(2) RWF_NOWAIT; since 4.13,
 * commit b745fafaf70c: the direct write path returns -EAGAIN when the
 * range has cached pages).
 */
TEST(nowait_direct_write_over_cached_range_completes_with_eagain)
{
	char *buf, *back;
	int bfd, dfd;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res when the page cache must be flushed or invalidated; commit b745fafaf70c (4.13): fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_file(true, &bfd, &dfd));
	buf = aligned_block(BLK);
	back = aligned_block(BLK);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, back);
	/* Bring block 7 into the page cache, clean. */
	ASSERT_EQ(BLK, pread(bfd, back, BLK, 7 * BLK));
	memset(buf, 0x96, BLK);
	EXPECT_EQ(-EAGAIN, nowait_res(_metadata, IOCB_CMD_PWRITE, dfd, buf, BLK,
				      7 * BLK));
	ASSERT_EQ(BLK, pread(bfd, back, BLK, 7 * BLK));
	EXPECT_TRUE(conform_check_pattern(back, BLK, 7 * BLK));
	free(buf);
	free(back);
	close(dfd);
	close(bfd);
}

/*
 * Which of the two buffered-read behaviours this kernel has, probed with
 * preadv2(RWF_NOWAIT) of a hole of a sparse file (a hole needs no device
 * I/O, so the probe's outcome is exact): *reads_ahead false when it gets
 * EAGAIN (no I/O is started: 4.14 to 6.11, through IOCB_NOIO since 5.9),
 * true when it returns the zeros (readahead is started and a hole is
 * uptodate at once, since 6.12). NULL, or why it cannot be told.
 */
static const char *nowait_read_variant(bool *reads_ahead)
{
	static char why[160];
	char buf[2 * BLK];
	struct iovec iov = { buf, sizeof(buf) };
	ssize_t n;
	int fd, err;

	fd = conform_temp_file(0, 0);
	if (fd < 0 || ftruncate(fd, 64 * BLK) < 0) {
		if (fd >= 0)
			close(fd);
		return CONFORM_ENV "cannot make a sparse temporary file";
	}
	memset(buf, 0x11, sizeof(buf));
	n = preadv2(fd, &iov, 1, 16 * BLK, RWF_NOWAIT);
	err = errno;
	close(fd);
	if (n < 0 && err == EAGAIN) {
		*reads_ahead = false;
		return NULL;
	}
	if (n == (ssize_t)sizeof(buf) && buf[0] == 0 && buf[sizeof(buf) - 1] == 0) {
		*reads_ahead = true;
		return NULL;
	}
	if (n < 0 && err == EOPNOTSUPP)
		return CONFORM_ENV "preadv2(RWF_NOWAIT) of a TMPDIR file: EOPNOTSUPP (its filesystem has no FMODE_NOWAIT)";
	snprintf(why, sizeof(why),
		 CONFORM_UNSEEN "preadv2(RWF_NOWAIT) of a hole gave %zd (%s), neither EAGAIN nor the zeros",
		 n, n < 0 ? strerror(err) : "data");
	return why;
}

/*
 * preadv2(2) RWF_NOWAIT: the call "will return instantly if it would have
 * to read data from the backing storage ... If no bytes were read, it will
 * return -1 and set errno to EAGAIN"; through AIO, res -EAGAIN. A buffered
 * read of data written back and dropped from the page cache:
 *   4.14 to 6.11 (since 5.9 through IOCB_NOIO, efa8480a8316): no I/O at
 *     all: res -EAGAIN and the pages stay uncached;
 *   since 6.12 ("mm: allow read-ahead with IOCB_NOWAIT set"): readahead is
 *     started without waiting for it: res -EAGAIN, or the data when that
 *     readahead completed before the read looked again (a fast disk).
 * The variant is probed (nowait_read_variant()), then asserted exactly.
 * Buffered RWF_NOWAIT reads since 4.14 (commit 91f9943e1c7b).
 */
TEST(nowait_buffered_read_of_uncached_data_completes_with_eagain)
{
	static char buf[2 * BLK];
	struct io_event ev;
	struct iocb cb;
	bool reads_ahead;
	int bfd, dfd;

	CONFORM_DECLARE("4.14", "RWF_NOWAIT",
			"preadv2(2) RWF_NOWAIT: EAGAIN rather than read the backing storage; io_submit(2) RWF_NOWAIT; commit 91f9943e1c7b (4.14): fs: support RWF_NOWAIT for buffered reads; efa8480a8316 (5.9); mm: allow read-ahead with IOCB_NOWAIT set (6.12)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_read_variant(&reads_ahead));
	CONFORM_REQUIRE(nowait_file(false, &bfd, &dfd));
	TH_LOG("this kernel %s readahead for a RWF_NOWAIT read",
	       reads_ahead ? "starts" : "starts no");
	memset(buf, 0x22, sizeof(buf));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, bfd, buf, sizeof(buf), 2 * BLK, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	if (!reads_ahead) {
		EXPECT_EQ(-EAGAIN, ev.res);
		EXPECT_EQ(0, pages_cached(bfd, 2 * BLK, sizeof(buf)));
	} else if (ev.res != -EAGAIN) {
		EXPECT_EQ((__s64)sizeof(buf), ev.res);
		EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2 * BLK));
	}
	close(bfd);
}

/*
 * preadv2(2) RWF_NOWAIT: "If some data was successfully read, it will
 * return the number of bytes read": a buffered read whose first page is
 * in the page cache and whose second is not returns the first page only,
 * with its data (since 4.14). Since 6.12 the second page's readahead may
 * have completed by the time the read looks at it (see above): then both
 * pages come back.
 */
TEST(nowait_buffered_read_returns_the_cached_part)
{
	static char buf[2 * BLK];
	struct io_event ev;
	struct iocb cb;
	bool reads_ahead;
	int bfd, dfd;

	CONFORM_DECLARE("4.14", "RWF_NOWAIT",
			"preadv2(2) RWF_NOWAIT: returns the bytes read so far; commit 91f9943e1c7b (4.14): fs: support RWF_NOWAIT for buffered reads; mm: allow read-ahead with IOCB_NOWAIT set (6.12)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(nowait_read_variant(&reads_ahead));
	CONFORM_REQUIRE(nowait_file(false, &bfd, &dfd));
	/* Page 4 into the cache (rewritten with its own bytes), page 5 not. */
	conform_fill_pattern(buf, BLK, 4 * BLK);
	ASSERT_EQ(BLK, pwrite(bfd, buf, BLK, 4 * BLK));
	if (pages_cached(bfd, 4 * BLK, 2 * BLK) != 1) {
		close(bfd);
		SKIP(return, CONFORM_UNSEEN "not exactly the rewritten page of the two was in the page cache");
	}
	memset(buf, 0, sizeof(buf));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, bfd, buf, sizeof(buf), 4 * BLK, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	if (reads_ahead && ev.res == 2 * BLK) {
		EXPECT_TRUE(conform_check_pattern(buf, 2 * BLK, 4 * BLK));
	} else {
		EXPECT_EQ(BLK, ev.res);
		EXPECT_TRUE(conform_check_pattern(buf, BLK, 4 * BLK));
	}
	close(bfd);
}

/*
 * A buffered write with RWF_NOWAIT on a filesystem whose buffered writes
 * cannot avoid blocking (ext4: "if (iocb->ki_flags & IOCB_NOWAIT) return
 * -EOPNOTSUPP" in its buffered write path, since 4.13 commit 728fbc0e10b7
 * "ext4: nowait aio support") is refused by the write itself: through AIO,
 * io_submit accepts it and the event's res is -EOPNOTSUPP, nothing written.
 * Where the filesystem can (XFS, btrfs...), the write completes. Which
 * applies is probed with pwritev2(RWF_NOWAIT) of another file of TMPDIR.
 */
TEST(nowait_buffered_write_result_comes_in_res)
{
	static char out[BLK], back[BLK], probe[16];
	struct iovec iov = { probe, sizeof(probe) };
	struct io_event ev;
	struct iocb cb;
	ssize_t n;
	int fd, pfd, err;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT, result in the io_event res; commit 728fbc0e10b7 (4.13): ext4: nowait aio support (buffered writes -EOPNOTSUPP)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, pfd = conform_temp_file(BLK, 0));
	n = pwritev2(pfd, &iov, 1, 0, RWF_NOWAIT);
	err = errno;
	close(pfd);
	if (n < 0 && err != EOPNOTSUPP && err != EAGAIN)
		SKIP(return, CONFORM_UNSEEN "pwritev2(RWF_NOWAIT) of a TMPDIR file: %s", strerror(err));
	ASSERT_LE(0, fd = conform_temp_file(BLK, 0));
	memset(out, 0x4d, sizeof(out));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, sizeof(out), 0, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	ASSERT_EQ(BLK, pread(fd, back, sizeof(back), 0));
	if (n < 0 && err == EOPNOTSUPP) {
		TH_LOG("buffered RWF_NOWAIT writes refused on this filesystem: expecting res -EOPNOTSUPP");
		EXPECT_EQ(-EOPNOTSUPP, ev.res);
		EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	} else if (n < 0) {
		TH_LOG("pwritev2(RWF_NOWAIT) would block: expecting res -EAGAIN or the count");
		if (ev.res != -EAGAIN)
			EXPECT_EQ(BLK, ev.res);
	} else {
		TH_LOG("buffered RWF_NOWAIT writes accepted on this filesystem: expecting the count");
		EXPECT_EQ(BLK, ev.res);
		EXPECT_EQ(0, memcmp(back, out, sizeof(back)));
	}
	close(fd);
}

/*
 * NULL when the read end fd of a pipe or socket takes RWF_NOWAIT:
 * preadv2(RWF_NOWAIT) of one byte from it (empty) gives anything but
 * EOPNOTSUPP; else why not (the file type has no FMODE_NOWAIT on this
 * kernel, which then holds for both ends).
 */
static const char *stream_nowait_missing(int fd, const char *what)
{
	char byte;
	struct iovec iov = { &byte, 1 };

	if (preadv2(fd, &iov, 1, -1, RWF_NOWAIT) >= 0 || errno != EOPNOTSUPP)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "preadv2 with RWF_NOWAIT: EOPNOTSUPP: this kernel's %s have no FMODE_NOWAIT",
		 what);
	return conform_why;
}

/*
 * pipe(7): a read of an empty pipe blocks until a writer writes; with
 * RWF_NOWAIT the AIO read completes at once with res -EAGAIN (the pipe is
 * not O_NONBLOCK: without the flag io_submit itself would block), and the
 * pipe still works afterwards. Since 6.4 (afed6271f5b0 "pipe: set
 * FMODE_NOWAIT on pipes", with "pipe: check for IOCB_NOWAIT alongside
 * O_NONBLOCK"); before, io_submit refused the flag on a pipe (EOPNOTSUPP).
 */
TEST(nowait_read_of_empty_pipe_completes_with_eagain)
{
	static char in[64];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("6.4", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res; pipe(7); commit afed6271f5b0 (6.4): pipe: set FMODE_NOWAIT on pipes");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	if (stream_nowait_missing(p[0], "pipes")) {
		close(p[0]);
		close(p[1]);
		SKIP(return, "%s", conform_why);
	}
	aio_prep_rw(&cb, IOCB_CMD_PREAD, p[0], in, sizeof(in), 0, 4);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(4, ev.data);
	EXPECT_EQ(-EAGAIN, ev.res);
	ASSERT_EQ(2, write(p[1], "ok", 2));
	EXPECT_EQ(2, read(p[0], in, sizeof(in)));
	close(p[0]);
	close(p[1]);
}

/*
 * pipe(7): a write to a full pipe blocks until a reader makes room; with
 * RWF_NOWAIT the AIO write completes at once with res -EAGAIN and adds
 * nothing (since 6.4, as above).
 */
TEST(nowait_write_to_full_pipe_completes_with_eagain)
{
	static char out[64];
	struct io_event ev;
	struct iocb cb;
	long filled;
	int p[2], queued;

	CONFORM_DECLARE("6.4", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res; pipe(7) full pipe; commit afed6271f5b0 (6.4): pipe: set FMODE_NOWAIT on pipes");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	if (stream_nowait_missing(p[0], "pipes")) {
		close(p[0]);
		close(p[1]);
		SKIP(return, "%s", conform_why);
	}
	ASSERT_LT(0, filled = conform_fill_until_full(p[1]));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], out, sizeof(out), 0, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-EAGAIN, ev.res);
	ASSERT_EQ(0, ioctl(p[0], FIONREAD, &queued));
	EXPECT_EQ(filled, queued);
	close(p[0]);
	close(p[1]);
}

/*
 * unix(7) stream socket with nothing queued: a read would block; with
 * RWF_NOWAIT (net/socket.c turns IOCB_NOWAIT into MSG_DONTWAIT) the AIO
 * read completes with res -EAGAIN, and once the peer has written, the same
 * read returns the bytes. Since 6.5 (fe34db062b80 "net: set FMODE_NOWAIT
 * for sockets"); before, io_submit refused the flag (EOPNOTSUPP).
 */
TEST(nowait_read_of_empty_socket_completes_with_eagain)
{
	static char in[64];
	struct io_event ev;
	struct iocb cb;
	int sv[2];

	CONFORM_DECLARE("6.5", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res; recv(2) EAGAIN with MSG_DONTWAIT; commit fe34db062b80 (6.5): net: set FMODE_NOWAIT for sockets");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_socketpair(sv));
	if (stream_nowait_missing(sv[1], "sockets")) {
		close(sv[0]);
		close(sv[1]);
		SKIP(return, "%s", conform_why);
	}
	aio_prep_rw(&cb, IOCB_CMD_PREAD, sv[1], in, sizeof(in), 0, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-EAGAIN, ev.res);
	ASSERT_EQ(5, write(sv[0], "hello", 5));
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(5, ev.res);
	EXPECT_EQ(0, memcmp(in, "hello", 5));
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
