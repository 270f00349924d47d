// SPDX-License-Identifier: MIT
/*
 * aio/direct-io: IOCB_CMD_PREAD/PWRITE on a file opened with O_DIRECT, the
 * case native AIO was designed for (the request really goes to the block
 * layer asynchronously), through the raw system calls. Buffers, offsets and
 * lengths are all 4096-aligned, which satisfies every filesystem's O_DIRECT
 * alignment. The file lives in the program's directory under $TMPDIR; when
 * that filesystem refuses O_DIRECT (open gives EINVAL, e.g. tmpfs before
 * Linux 6.6) the tests skip and say so.
 * Sources: io_submit(2), open(2) O_DIRECT (EINVAL "The filesystem does not
 * support the O_DIRECT flag"), pread(2)/pwrite(2) for the results.
 */
#include "conform_aio.h"

#define BLK 4096
#define FILE_SIZE (4 * BLK)

/*
 * Make a file of size bytes of the test pattern in the private directory and
 * open it twice: *direct with O_DIRECT, *buffered without; the name is then
 * unlinked. Returns NULL, or why not (O_DIRECT refused by the filesystem, or
 * a set-up error).
 */
static const char *open_direct_pair(size_t size, int *direct, int *buffered)
{
	static char why[400];
	char path[300], chunk[BLK];
	int err;

	*direct = -1;
	conform_tmppath(path, sizeof(path), "direct.XXXXXX");
	*buffered = mkostemp(path, O_CLOEXEC);
	if (*buffered < 0) {
		snprintf(why, sizeof(why), CONFORM_ENV "cannot create %s: %s", path,
			 strerror(errno));
		return why;
	}
	for (size_t off = 0; off < size; off += BLK) {
		conform_fill_pattern(chunk, BLK, off);
		if (pwrite(*buffered, chunk, BLK, off) != BLK) {
			unlink(path);
			close(*buffered);
			return CONFORM_ENV "cannot write the temporary file";
		}
	}
	*direct = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	err = errno;
	unlink(path);
	if (*direct >= 0)
		return NULL;
	close(*buffered);
	if (err == EINVAL)
		snprintf(why, sizeof(why),
			 CONFORM_ENV "open(O_DIRECT): EINVAL: the filesystem of %s does not support O_DIRECT",
			 conform_tmpdir());
	else
		snprintf(why, sizeof(why), CONFORM_ENV "open(O_DIRECT): %s", strerror(err));
	return why;
}

static void *aligned_buf(size_t len)
{
	void *p = NULL;

	return posix_memalign(&p, BLK, len) ? NULL : p;
}

/* io_submit(2) + pread(2): an aligned O_DIRECT read completes with res = the byte count and the file's exact data (since 2.6). */
TEST(direct_pread_returns_exact_data)
{
	struct iocb cb;
	struct io_event ev;
	int dfd, bfd;
	char *buf;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"io_submit(2) IOCB_CMD_PREAD with open(2) O_DIRECT; pread(2) RETURN VALUE");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(open_direct_pair(FILE_SIZE, &dfd, &bfd));
	buf = aligned_buf(2 * BLK);
	ASSERT_NE(NULL, buf);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, dfd, buf, 2 * BLK, BLK, 1);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(2 * BLK, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, 2 * BLK, BLK));
	free(buf);
	close(dfd);
	close(bfd);
}

/*
 * io_submit(2) + pwrite(2): an aligned O_DIRECT write completes with res =
 * the byte count, and a later buffered read of the same file sees exactly
 * the new data (open(2) O_DIRECT: the page cache is kept coherent) (since 2.6).
 */
TEST(direct_pwrite_is_seen_by_buffered_read)
{
	struct iocb cb;
	struct io_event ev;
	static char back[BLK];
	int dfd, bfd;
	char *buf;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PWRITE",
			"io_submit(2) IOCB_CMD_PWRITE; open(2) O_DIRECT (page cache kept coherent)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(open_direct_pair(FILE_SIZE, &dfd, &bfd));
	buf = aligned_buf(BLK);
	ASSERT_NE(NULL, buf);
	/* Load the old contents into the page cache first. */
	ASSERT_EQ(BLK, pread(bfd, back, BLK, 2 * BLK));
	/* Data that differs from what the file held at that offset. */
	conform_fill_pattern(buf, BLK, 100000);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, dfd, buf, BLK, 2 * BLK, 2);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(BLK, ev.res);
	EXPECT_EQ(BLK, pread(bfd, back, BLK, 2 * BLK));
	EXPECT_TRUE(conform_check_pattern(back, BLK, 100000));
	free(buf);
	close(dfd);
	close(bfd);
}

/* pread(2): at end of file no bytes are read: an O_DIRECT read there completes with res 0 (since 2.6). */
TEST(direct_pread_at_eof_returns_zero)
{
	struct iocb cb;
	struct io_event ev;
	int dfd, bfd;
	char *buf;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"pread(2): at or past end of file no bytes are read, returns zero");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(open_direct_pair(FILE_SIZE, &dfd, &bfd));
	buf = aligned_buf(BLK);
	ASSERT_NE(NULL, buf);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, dfd, buf, BLK, FILE_SIZE, 3);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(0, ev.res);
	free(buf);
	close(dfd);
	close(bfd);
}

/*
 * pread(2): a read that meets end of file returns the bytes up to it: an
 * aligned O_DIRECT read of a block of which only 100 bytes exist completes
 * with res 100 and those bytes (since 2.6).
 */
TEST(direct_pread_across_eof_returns_partial_count)
{
	struct iocb cb;
	struct io_event ev;
	int dfd, bfd;
	char *buf;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"pread(2): a read that meets end of file returns the bytes up to it");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(open_direct_pair(FILE_SIZE, &dfd, &bfd));
	/* Grow the file by 100 bytes of pattern past the last full block. */
	buf = aligned_buf(BLK);
	ASSERT_NE(NULL, buf);
	conform_fill_pattern(buf, 100, FILE_SIZE);
	ASSERT_EQ(100, pwrite(bfd, buf, 100, FILE_SIZE));
	ASSERT_EQ(0, fsync(bfd));
	memset(buf, 0, BLK);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, dfd, buf, BLK, FILE_SIZE, 4);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(100, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, 100, FILE_SIZE));
	free(buf);
	close(dfd);
	close(bfd);
}

/*
 * io_submit(2)/io_getevents(2): a batch of O_DIRECT reads submitted in one
 * call all complete, each event naming its own iocb (obj) and data, each
 * with its block's exact contents (since 2.6).
 */
TEST(direct_batch_completes_every_request)
{
	enum { N = 4 };
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb[N], *list[N];
	struct io_event ev[N];
	aio_context_t ctx = 0;
	unsigned int seen = 0;
	int dfd, bfd, got = 0;
	char *buf;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) and io_getevents(2): one io_event per iocb, with its obj and data");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(open_direct_pair(FILE_SIZE, &dfd, &bfd));
	buf = aligned_buf(N * BLK);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, aio_sys_setup(N, &ctx));
	/* Block i of the file into slot N-1-i of the buffer. */
	for (int i = 0; i < N; i++) {
		aio_prep_rw(&cb[i], IOCB_CMD_PREAD, dfd,
			    buf + (N - 1 - i) * BLK, BLK, (long long)i * BLK, i);
		list[i] = &cb[i];
	}
	ASSERT_EQ(N, aio_sys_submit(ctx, N, list));
	while (got < N) {
		long n = aio_sys_getevents(ctx, 1, N - got, ev + got, &bound);

		ASSERT_LT(0, n);
		got += n;
	}
	for (int i = 0; i < N; i++) {
		ASSERT_GT(N, ev[i].data);
		EXPECT_EQ((__u64)(unsigned long)&cb[ev[i].data], ev[i].obj);
		EXPECT_EQ(BLK, ev[i].res);
		seen |= 1U << ev[i].data;
	}
	EXPECT_EQ((1U << N) - 1, seen);
	for (int i = 0; i < N; i++)
		EXPECT_TRUE(conform_check_pattern(buf + (N - 1 - i) * BLK, BLK,
						  (unsigned long long)i * BLK));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	free(buf);
	close(dfd);
	close(bfd);
}

TEST_HARNESS_MAIN
