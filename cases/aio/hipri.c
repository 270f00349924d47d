// SPDX-License-Identifier: MIT
/*
 * aio/hipri: RWF_HIPRI (4.13), "high priority request, poll if possible",
 * in iocb.aio_rw_flags of native AIO requests, through the raw system
 * calls and <linux/aio_abi.h>. Polled I/O completes only when someone
 * polls the device's poll queue, and nothing polls for an AIO request:
 * since 5.0 (the release that gave block devices separate poll queues)
 * fs/aio.c aio_prep_rw() accepts the flag and clears it again (commit
 * 154989e45fd8 "aio: clear IOCB_HIPRI": "no one is going to poll for this
 * I/O"). So on a device with polled queues, where a HIPRI request kept as
 * such would sit in a poll queue until the driver's timeout, an AIO
 * O_DIRECT request with RWF_HIPRI completes at once, through the ring and
 * its eventfd like any other; the 7.2 fs/aio.c still does so.
 * The polled device: the aioconf guests' NVMe namespace (nvme.poll_queues=1,
 * queue/io_poll 1); this program uses its MiB 8 (the first 64 KiB of it),
 * never the first or last MiB (the uring cases'). On a machine without a
 * device whose queue/io_poll reads 1 those tests skip; an O_DIRECT file of
 * TMPDIR covers the flag on a device without polling.
 * Sources: <linux/fs.h> RWF_HIPRI, io_submit(2) aio_rw_flags, preadv2(2)
 * RWF_HIPRI, commit 9830f4be159b (4.13) "fs: Use RWF_* flags for AIO
 * operations", commit 154989e45fd8 (5.0) "aio: clear IOCB_HIPRI".
 */
#include <dirent.h>
#include <sys/eventfd.h>
#include <linux/fs.h>

#include "conform_aio.h"

#define BLK 4096
/* MiB 8 of the polled device: the aio cases' (this program: 16 blocks). */
#define REGION ((long long)8 << 20)

/*
 * NULL if io_submit takes aio_rw_flags (a RWF_HIPRI read of a buffered
 * regular file is accepted); before 4.13 the field was reserved and had to
 * be 0 (EINVAL).
 */
static const char *rw_flags_missing(void)
{
	struct iocb cb;
	const char *why = conform_aio_unavailable();
	char buf[8];
	int fd;

	if (why)
		return why;
	fd = conform_temp_file(sizeof(buf), 0);
	if (fd < 0)
		return CONFORM_ENV "cannot make a temporary file for the aio_rw_flags probe";
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 0);
	cb.aio_rw_flags = RWF_HIPRI;
	why = aio_probe_submit(&cb, "aio_rw_flags=RWF_HIPRI",
			       "field reserved, must be 0");
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

/*
 * The first block device with polled queues (/sys/block/<dev>/queue/io_poll
 * reads 1) among NVMe namespaces and null_blk devices, opened O_RDWR |
 * O_DIRECT into *fd, at least 10 MiB large (REGION must lie inside). NULL,
 * or why not: none there (the environment: the host has none, the guests
 * have one), not root.
 */
static const char *polled_device_missing(int *fd, char *path, size_t len)
{
	static char why[200];
	unsigned long long size = 0;

	*fd = -1;
	if (conform_polled_bdev(path, len))
		return CONFORM_NO_POLLED_BDEV;
	if (conform_not_root())
		return conform_not_root();
	*fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(why, sizeof(why), CONFORM_ENV "open(%s, O_RDWR | O_DIRECT): %s",
			 path, strerror(errno));
		return why;
	}
	if (ioctl(*fd, BLKGETSIZE64, &size) < 0 || size < REGION + (2 << 20)) {
		close(*fd);
		*fd = -1;
		snprintf(why, sizeof(why), CONFORM_ENV "%s holds %llu bytes, not the 10 MiB this program writes into",
			 path, size);
		return why;
	}
	return NULL;
}

#define REQUIRE_POLLED_DEVICE(fd, path)                                        \
	do {                                                                   \
		CONFORM_REQUIRE_AIO();                                         \
		CONFORM_REQUIRE(polled_device_missing(&(fd), path,             \
						      sizeof(path)));          \
		TH_LOG("polled device: %s", path);                             \
	} while (0)

/*
 * On a device with polled queues, an O_DIRECT AIO write with RWF_HIPRI
 * completes on its own, with res the byte count, without anyone polling
 * (fs/aio.c aio_prep_rw() clears IOCB_HIPRI: commit 154989e45fd8, 5.0),
 * and the data is on the device.
 */
TEST(hipri_direct_write_on_polled_device_completes)
{
	char path[300], *out, *back;
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("5.0", "RWF_HIPRI",
			"io_submit(2) RWF_HIPRI; fs/aio.c aio_prep_rw() clears IOCB_HIPRI, commit 154989e45fd8 (5.0): aio: clear IOCB_HIPRI");
	REQUIRE_POLLED_DEVICE(fd, path);
	out = aligned_block(BLK);
	back = aligned_block(BLK);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, back);
	conform_fill_pattern(out, BLK, REGION + 11);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, BLK, REGION, 1);
	cb.aio_rw_flags = RWF_HIPRI;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(1, ev.data);
	EXPECT_EQ(BLK, ev.res);
	ASSERT_EQ(BLK, pread(fd, back, BLK, REGION));
	EXPECT_TRUE(conform_check_pattern(back, BLK, REGION + 11));
	free(out);
	free(back);
	close(fd);
}

/*
 * The same for an O_DIRECT AIO read with RWF_HIPRI: it completes with res
 * the byte count and the data the device holds (written beforehand with a
 * plain pwrite) (since 5.0).
 */
TEST(hipri_direct_read_on_polled_device_returns_data)
{
	char path[300], *out, *in;
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("5.0", "RWF_HIPRI",
			"io_submit(2) RWF_HIPRI; preadv2(2) RWF_HIPRI; fs/aio.c aio_prep_rw() clears IOCB_HIPRI, commit 154989e45fd8 (5.0): aio: clear IOCB_HIPRI");
	REQUIRE_POLLED_DEVICE(fd, path);
	out = aligned_block(2 * BLK);
	in = aligned_block(2 * BLK);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, in);
	conform_fill_pattern(out, 2 * BLK, REGION + BLK + 22);
	ASSERT_EQ(2 * BLK, pwrite(fd, out, 2 * BLK, REGION + BLK));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, in, 2 * BLK, REGION + BLK, 2);
	cb.aio_rw_flags = RWF_HIPRI;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(2, ev.data);
	EXPECT_EQ(2 * BLK, ev.res);
	EXPECT_TRUE(conform_check_pattern(in, 2 * BLK, REGION + BLK + 22));
	free(out);
	free(in);
	close(fd);
}

/*
 * Several RWF_HIPRI reads in flight at once on the polled device, from one
 * io_submit: every one completes (io_getevents(2) with min_nr 8 returns
 * within its bound), each event naming its own iocb with its block's data
 * (since 5.0: nothing is left waiting in a poll queue).
 */
TEST(hipri_batch_on_polled_device_all_complete)
{
	enum { N = 8 };
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb[N], *list[N];
	struct io_event ev[N];
	aio_context_t ctx = 0;
	unsigned int seen = 0;
	char path[300], *buf;
	long got = 0;
	int fd;

	CONFORM_DECLARE("5.0", "RWF_HIPRI",
			"io_submit(2) and io_getevents(2) with RWF_HIPRI requests; fs/aio.c aio_prep_rw() clears IOCB_HIPRI, commit 154989e45fd8 (5.0): aio: clear IOCB_HIPRI");
	REQUIRE_POLLED_DEVICE(fd, path);
	buf = aligned_block(N * BLK);
	ASSERT_NE(NULL, buf);
	conform_fill_pattern(buf, N * BLK, REGION + 4 * BLK);
	ASSERT_EQ(N * BLK, pwrite(fd, buf, N * BLK, REGION + 4 * BLK));
	memset(buf, 0, N * BLK);
	ASSERT_EQ(0, aio_sys_setup(N, &ctx));
	for (int i = 0; i < N; i++) {
		aio_prep_rw(&cb[i], IOCB_CMD_PREAD, fd, buf + i * BLK, BLK,
			    REGION + (4 + i) * BLK, i);
		cb[i].aio_rw_flags = RWF_HIPRI;
		list[i] = &cb[i];
	}
	ASSERT_EQ(N, aio_sys_submit(ctx, N, list));
	while (got < N) {
		long n = aio_sys_getevents(ctx, N - got, N - got, ev + got, &bound);

		ASSERT_LT(0, n) TH_LOG("%ld of %d HIPRI reads completed", got, N);
		got += n;
	}
	for (int i = 0; i < N; i++) {
		ASSERT_GT(N, ev[i].data);
		EXPECT_EQ((__u64)(unsigned long)&cb[ev[i].data], ev[i].obj);
		EXPECT_EQ(BLK, ev[i].res);
		seen |= 1U << ev[i].data;
	}
	EXPECT_EQ((1U << N) - 1, seen);
	EXPECT_TRUE(conform_check_pattern(buf, N * BLK, REGION + 4 * BLK));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	free(buf);
	close(fd);
}

/*
 * io_submit(2) IOCB_FLAG_RESFD: the completion of a RWF_HIPRI request on
 * the polled device is signalled like any other, adding 1 to the eventfd
 * named in aio_resfd, which a poll(2) of it sees without the program
 * calling into the AIO context at all (since 5.0).
 */
TEST(hipri_completion_on_polled_device_signals_resfd)
{
	struct io_event ev;
	struct iocb cb, *list[1] = { &cb };
	aio_context_t ctx = 0;
	char path[300], *buf;
	uint64_t count = 0;
	int fd, efd;

	CONFORM_DECLARE("5.0", "RWF_HIPRI",
			"io_submit(2) IOCB_FLAG_RESFD with RWF_HIPRI; eventfd(2); fs/aio.c aio_prep_rw() clears IOCB_HIPRI, commit 154989e45fd8 (5.0): aio: clear IOCB_HIPRI");
	REQUIRE_POLLED_DEVICE(fd, path);
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	buf = aligned_block(BLK);
	ASSERT_NE(NULL, buf);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, BLK, REGION + 2 * BLK, 3);
	cb.aio_rw_flags = RWF_HIPRI;
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = efd;
	ASSERT_EQ(0, aio_sys_setup(2, &ctx));
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	/* The bound only keeps a lost completion from hanging the test. */
	EXPECT_TRUE(conform_fd_readable(efd, 5000));
	ASSERT_EQ((ssize_t)sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(1, count);
	ASSERT_TRUE(aio_reap_and_destroy(_metadata, ctx, &ev));
	EXPECT_EQ(3, ev.data);
	EXPECT_EQ(BLK, ev.res);
	free(buf);
	close(efd);
	close(fd);
}

/*
 * preadv2(2) RWF_HIPRI is best effort ("poll if possible"): on a device
 * without polled queues (an O_DIRECT file of TMPDIR) the flag changes
 * nothing and an AIO O_DIRECT read with it completes with res the byte
 * count and the data (since 4.13, commit 9830f4be159b; a buffered read is
 * in aio/rw-flags).
 */
TEST(hipri_direct_read_of_regular_file_returns_data)
{
	struct io_event ev;
	struct iocb cb;
	char *buf;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_HIPRI",
			"preadv2(2) RWF_HIPRI: poll if possible; io_submit(2) RWF_HIPRI; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	CONFORM_REQUIRE(rw_flags_missing());
	fd = conform_temp_file(8 * BLK, O_DIRECT);
	if (fd < 0)
		SKIP(return, CONFORM_ENV "open(O_DIRECT) of a TMPDIR file: %s (no O_DIRECT on its filesystem)",
		     strerror(errno));
	buf = aligned_block(2 * BLK);
	ASSERT_NE(NULL, buf);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, 2 * BLK, 3 * BLK, 0);
	cb.aio_rw_flags = RWF_HIPRI;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(2 * BLK, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, 2 * BLK, 3 * BLK));
	free(buf);
	close(fd);
}

TEST_HARNESS_MAIN
