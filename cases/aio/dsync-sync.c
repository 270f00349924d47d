// SPDX-License-Identifier: MIT
/*
 * aio/dsync-sync: RWF_DSYNC and RWF_SYNC (4.13), the per-request
 * O_DSYNC/O_SYNC, in iocb.aio_rw_flags of native AIO requests, and
 * IOCB_CMD_FSYNC/FDSYNC (4.18) in the same io_submit batch as writes,
 * through the raw system calls and <linux/aio_abi.h>. Durability cannot be
 * observed without pulling the power, so the tests assert what can be: the
 * request completes with its byte count and the data (and the size it set)
 * reads back, for the paths aio/rw-flags leaves out: O_DIRECT, a write that
 * extends the file, a read, a pipe, several writes in one batch. The
 * iocbs of one batch are independent requests: io_submit(2) promises no
 * order among their completions, so none is asserted.
 * Sources: io_submit(2) aio_rw_flags RWF_DSYNC/RWF_SYNC and the fsync
 * opcodes, pwritev2(2) ("meaningful only for pwritev2()", "its effect
 * applies only to the data range written"), open(2) O_DSYNC/O_SYNC, commit
 * 9830f4be159b (4.13) "fs: Use RWF_* flags for AIO operations", commit
 * a3c0d439e727 (4.18) "aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC".
 */
#include "conform_aio.h"

#define BLK 4096

/*
 * NULL if io_submit takes aio_rw_flags (a RWF_DSYNC write of a regular
 * file is accepted); before 4.13 the field was reserved and had to be 0
 * (EINVAL).
 */
static const char *rw_flags_missing(void)
{
	static char byte[1] = { 'd' };
	struct iocb cb;
	const char *why = conform_aio_unavailable();
	int fd;

	if (why)
		return why;
	fd = conform_temp_file(0, 0);
	if (fd < 0)
		return CONFORM_ENV "cannot make a temporary file for the aio_rw_flags probe";
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, byte, 1, 0, 0);
	cb.aio_rw_flags = RWF_DSYNC;
	why = aio_probe_submit(&cb, "aio_rw_flags=RWF_DSYNC",
			       "field reserved, must be 0");
	close(fd);
	return why;
}

#define REQUIRE_RW_FLAGS() CONFORM_REQUIRE(rw_flags_missing())

/* As rw_flags_missing() for the fsync opcodes (4.18). */
static const char *aio_fsync_missing(void)
{
	struct iocb cb;
	const char *why = conform_aio_unavailable();
	int fd;

	if (why)
		return why;
	fd = conform_temp_file(16, 0);
	if (fd < 0)
		return CONFORM_ENV "cannot make a temporary file for the IOCB_CMD_FSYNC probe";
	aio_prep_rw(&cb, IOCB_CMD_FSYNC, fd, NULL, 0, 0, 0);
	why = aio_probe_submit(&cb, "IOCB_CMD_FSYNC", "opcode not supported");
	close(fd);
	return why;
}

static void *aligned_block(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, BLK, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

/* A file of size pattern bytes of TMPDIR opened O_DIRECT: the fd, or -1
 * with the reason in conform_why (the filesystem refuses O_DIRECT). */
static int direct_file(size_t size)
{
	int fd = conform_temp_file(size, O_DIRECT);

	if (fd < 0)
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "open(O_DIRECT) of a TMPDIR file: %s (no O_DIRECT on its filesystem)",
			 strerror(errno));
	return fd;
}

/* Reap exactly n events of ctx into ev (5 s bound overall). */
static long reap_n(aio_context_t ctx, struct io_event *ev, long n)
{
	struct timespec bound = { .tv_sec = 5 };
	long got = 0;

	while (got < n) {
		long r = aio_sys_getevents(ctx, 1, n - got, ev + got, &bound);

		if (r <= 0)
			break;
		got += r;
	}
	return got;
}

/*
 * io_submit(2) RWF_DSYNC, "the write operation will complete according to
 * the requirements of synchronized I/O data integrity" (open(2) O_DSYNC),
 * on an O_DIRECT write, where the data bypasses the page cache and the
 * flag asks for the device's own cache to be flushed (or FUA): the request
 * completes with the byte count and an O_DIRECT read sees the data (since
 * 4.13).
 */
TEST(rwf_dsync_direct_write_completes_with_byte_count)
{
	struct io_event ev;
	struct iocb cb;
	char *out, *back;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_DSYNC",
			"io_submit(2) RWF_DSYNC; open(2) O_DSYNC and O_DIRECT; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	fd = direct_file(4 * BLK);
	CONFORM_REQUIRE(fd < 0 ? conform_why : NULL);
	out = aligned_block(BLK);
	back = aligned_block(BLK);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, back);
	conform_fill_pattern(out, BLK, 333333);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, BLK, 2 * BLK, 0);
	cb.aio_rw_flags = RWF_DSYNC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(BLK, ev.res);
	ASSERT_EQ(BLK, pread(fd, back, BLK, 2 * BLK));
	EXPECT_TRUE(conform_check_pattern(back, BLK, 333333));
	free(out);
	free(back);
	close(fd);
}

/*
 * io_submit(2) RWF_SYNC, synchronized I/O file integrity (open(2) O_SYNC:
 * the metadata needed to retrieve the data too, the size among it): an
 * O_DIRECT write at the end of the file extends it; the request completes
 * with the byte count, the size includes the new block and the data reads
 * back (since 4.13).
 */
TEST(rwf_sync_direct_extending_write_updates_size)
{
	struct io_event ev;
	struct iocb cb;
	struct stat st;
	char *out, *back;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_SYNC",
			"io_submit(2) RWF_SYNC; open(2) O_SYNC: file integrity includes the size; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	fd = direct_file(2 * BLK);
	CONFORM_REQUIRE(fd < 0 ? conform_why : NULL);
	out = aligned_block(BLK);
	back = aligned_block(BLK);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, back);
	conform_fill_pattern(out, BLK, 2 * BLK);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, BLK, 2 * BLK, 0);
	cb.aio_rw_flags = RWF_SYNC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(BLK, ev.res);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(3 * BLK, st.st_size);
	ASSERT_EQ(BLK, pread(fd, back, BLK, 2 * BLK));
	EXPECT_TRUE(conform_check_pattern(back, BLK, 2 * BLK));
	free(out);
	free(back);
	close(fd);
}

/*
 * The buffered counterpart: a RWF_SYNC write past the end of the file,
 * leaving a gap, completes with the byte count; the size is the end of the
 * write, the gap reads as zeros and the data as written (pwrite(2) past
 * end of file; io_submit(2) RWF_SYNC; since 4.13).
 */
TEST(rwf_sync_buffered_write_past_end_updates_size)
{
	static char out[1000], back[3000];
	struct io_event ev;
	struct iocb cb;
	struct stat st;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_SYNC",
			"io_submit(2) RWF_SYNC; pwrite(2) past end of file leaves a hole that reads as zeros; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(1000, 0));
	conform_fill_pattern(out, sizeof(out), 3000);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, sizeof(out), 3000, 0);
	cb.aio_rw_flags = RWF_SYNC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4000, st.st_size);
	ASSERT_EQ(2000, pread(fd, back, 2000, 1000));
	for (int i = 0; i < 2000; i++)
		if (back[i]) {
			EXPECT_EQ(0, back[i]) TH_LOG("gap byte %d", 1000 + i);
			break;
		}
	ASSERT_EQ((ssize_t)sizeof(out), pread(fd, back, sizeof(out), 3000));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(out), 3000));
	close(fd);
}

/*
 * pwritev2(2): RWF_DSYNC and RWF_SYNC are "meaningful only for
 * pwritev2()"; a read carrying them is not refused, the flags have nothing
 * to do: IOCB_CMD_PREAD with both completes with the byte count and the
 * data (since 4.13).
 */
TEST(rwf_dsync_and_sync_on_read_are_accepted_and_ignored)
{
	static char buf[1500];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_DSYNC",
			"pwritev2(2) RWF_DSYNC/RWF_SYNC meaningful only for writes; io_submit(2) aio_rw_flags; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 777, 0);
	cb.aio_rw_flags = RWF_DSYNC | RWF_SYNC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(buf), ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 777));
	close(fd);
}

/*
 * A pipe has no storage to synchronize: RWF_DSYNC (or RWF_SYNC) on an AIO
 * write to a pipe is accepted and the write completes like any other, the
 * reader getting exactly the bytes (pipe(7); io_submit(2) RWF_DSYNC; since
 * 4.13).
 */
TEST(rwf_dsync_write_to_pipe_completes_with_byte_count)
{
	static char out[300], in[600];
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.13", "RWF_DSYNC",
			"io_submit(2) RWF_DSYNC; pipe(7); commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(out, sizeof(out), 42);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], out, sizeof(out), 0, 0);
	cb.aio_rw_flags = RWF_DSYNC | RWF_SYNC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	ASSERT_EQ((ssize_t)sizeof(out), read(p[0], in, sizeof(in)));
	EXPECT_TRUE(conform_check_pattern(in, sizeof(out), 42));
	close(p[0]);
	close(p[1]);
}

/*
 * io_submit(2): each iocb of a batch is its own request, completing on its
 * own. Four RWF_DSYNC writes to distinct ranges in one io_submit all
 * complete, each event naming its iocb (obj, data) with its byte count, in
 * whatever order, and the file holds all four (since 4.13).
 */
TEST(rwf_dsync_writes_in_one_batch_each_complete)
{
	enum { N = 4, LEN = 1500 };
	static char out[N][LEN], back[N * LEN];
	struct iocb cb[N], *list[N];
	struct io_event ev[N];
	aio_context_t ctx = 0;
	unsigned int seen = 0;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_DSYNC",
			"io_submit(2) batch of iocbs, one io_event each; RWF_DSYNC; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	ASSERT_EQ(0, aio_sys_setup(N, &ctx));
	for (int i = 0; i < N; i++) {
		conform_fill_pattern(out[i], LEN, (unsigned long long)i * LEN);
		aio_prep_rw(&cb[i], IOCB_CMD_PWRITE, fd, out[i], LEN,
			    (long long)i * LEN, i);
		cb[i].aio_rw_flags = i % 2 ? RWF_SYNC : RWF_DSYNC;
		list[i] = &cb[i];
	}
	ASSERT_EQ(N, aio_sys_submit(ctx, N, list));
	ASSERT_EQ(N, reap_n(ctx, ev, N));
	for (int i = 0; i < N; i++) {
		ASSERT_GT(N, ev[i].data);
		EXPECT_EQ((__u64)(unsigned long)&cb[ev[i].data], ev[i].obj);
		EXPECT_EQ(LEN, ev[i].res);
		seen |= 1U << ev[i].data;
	}
	EXPECT_EQ((1U << N) - 1, seen);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(fd);
}

/*
 * A write, an IOCB_CMD_FSYNC and an IOCB_CMD_FDSYNC of the same file in
 * one io_submit: all three complete, the write with its byte count and the
 * syncs with res 0, each event naming its iocb. io_submit(2) documents no
 * ordering between the iocbs of a batch (a sync may run before or after
 * the write reaches the page cache; only one submitted after the write's
 * event covers it), so the order of the events is not asserted; the data
 * reads back either way (since 4.18, commit a3c0d439e727).
 */
TEST(write_fsync_and_fdsync_in_one_batch_all_complete)
{
	static char out[2 * BLK], back[2 * BLK];
	struct iocb cb[3], *list[3] = { &cb[0], &cb[1], &cb[2] };
	struct io_event ev[3];
	aio_context_t ctx = 0;
	unsigned int seen = 0;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"io_submit(2): one io_event per iocb, no order among a batch; IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	CONFORM_REQUIRE(aio_fsync_missing());
	ASSERT_LE(0, fd = conform_temp_file(BLK, 0));
	conform_fill_pattern(out, sizeof(out), 55555);
	aio_prep_rw(&cb[0], IOCB_CMD_PWRITE, fd, out, sizeof(out), BLK, 0);
	aio_prep_rw(&cb[1], IOCB_CMD_FSYNC, fd, NULL, 0, 0, 1);
	aio_prep_rw(&cb[2], IOCB_CMD_FDSYNC, fd, NULL, 0, 0, 2);
	ASSERT_EQ(0, aio_sys_setup(3, &ctx));
	ASSERT_EQ(3, aio_sys_submit(ctx, 3, list));
	ASSERT_EQ(3, reap_n(ctx, ev, 3));
	for (int i = 0; i < 3; i++) {
		ASSERT_GT(3, ev[i].data);
		EXPECT_EQ((__u64)(unsigned long)&cb[ev[i].data], ev[i].obj);
		EXPECT_EQ(ev[i].data == 0 ? (__s64)sizeof(out) : 0, ev[i].res)
			TH_LOG("iocb %llu", (unsigned long long)ev[i].data);
		seen |= 1U << ev[i].data;
	}
	EXPECT_EQ(7U, seen);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), BLK));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 55555));
	close(fd);
}

TEST_HARNESS_MAIN
