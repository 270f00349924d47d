// SPDX-License-Identifier: MIT
/*
 * aio/submit-errors: iocbs that io_submit(2) refuses with EINVAL before
 * anything is queued, through the raw system calls and <linux/aio_abi.h>:
 * an opcode the uapi names but Linux never implemented (IOCB_CMD_NOOP), and
 * a transfer length that does not fit in ssize_t.
 * Sources: io_submit(2) ERRORS (EINVAL: the iocb is not properly
 * initialized, the operation specified is invalid), linux/aio_abi.h,
 * fs/aio.c io_submit_one() and __io_submit_one().
 */
#include "conform_aio.h"

/*
 * linux/aio_abi.h names IOCB_CMD_NOOP (6), but fs/aio.c __io_submit_one()
 * has never handled it: like any opcode it does not implement, io_submit(2)
 * fails with EINVAL, "the operation specified is invalid", and nothing is
 * queued (since 2.6). Every other field is 0, the shape the fsync opcodes
 * accept, so the request could only be refused for its opcode.
 */
TEST(noop_opcode_gets_einval)
{
	struct io_event ev;
	struct iocb cb;
	long ret;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_NOOP",
			"io_submit(2) EINVAL: the operation specified is invalid; linux/aio_abi.h IOCB_CMD_NOOP, not handled by fs/aio.c __io_submit_one()");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(512, 0);
	ASSERT_LE(0, fd);
	memset(&cb, 0, sizeof(cb));
	cb.aio_lio_opcode = IOCB_CMD_NOOP;
	cb.aio_fildes = fd;
	errno = 0;
	ret = aio_submit_and_reap(_metadata, &cb, &ev);
	if (ret == 1)
		TH_LOG("IOCB_CMD_NOOP was queued and completed with res %lld",
		       (long long)ev.res);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * A buffer of one read-write page followed by an inaccessible page, so that
 * a kernel that wrongly took a length of nearly 2^64 could touch one page
 * only. The mapping (two pages) in *map, NULL on failure.
 */
static void *guarded_page(long page, void **map)
{
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*map = NULL;
	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + page, page, PROT_NONE) < 0) {
		munmap(p, 2 * page);
		return NULL;
	}
	*map = p;
	memset(p, 0, page);
	return p;
}

/*
 * Submit op (IOCB_CMD_PREAD or IOCB_CMD_PWRITE) of fd with aio_nbytes
 * nbytes into or from buf, alone on a new context, and EXPECT io_submit to
 * fail with EINVAL; a request wrongly queued is reaped and reported.
 */
static void expect_nbytes_einval(struct __test_metadata *_metadata,
				 unsigned int op, int fd, void *buf,
				 __u64 nbytes)
{
	struct io_event ev;
	struct iocb cb;
	long ret;

	aio_prep_rw(&cb, op, fd, buf, 0, 0, 0);
	cb.aio_nbytes = nbytes;
	errno = 0;
	ret = aio_submit_and_reap(_metadata, &cb, &ev);
	if (ret == 1)
		TH_LOG("aio_nbytes 0x%llx was queued and completed with res %lld",
		       (unsigned long long)nbytes, (long long)ev.res);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINVAL, errno);
}

/* The smallest and the largest aio_nbytes that do not fit in ssize_t. */
static const __u64 nbytes_too_big[] = { 0x8000000000000000ULL, ~0ULL };

/*
 * Each length of nbytes_too_big in an op (IOCB_CMD_PREAD or
 * IOCB_CMD_PWRITE) of a 512-byte temp file, from a guarded page: every one
 * gets EINVAL (expect_nbytes_einval). The file's size afterwards, or -1.
 */
static long nbytes_too_big_get_einval(struct __test_metadata *_metadata,
				      unsigned int op)
{
	long page = sysconf(_SC_PAGESIZE), size = -1;
	void *map, *buf;
	struct stat st;
	int fd;

	buf = guarded_page(page, &map);
	if (!buf)
		TH_LOG("mmap of the guarded page failed: %s", strerror(errno));
	fd = conform_temp_file(512, 0);
	if (buf && fd >= 0) {
		for (size_t i = 0; i < sizeof(nbytes_too_big) / sizeof(nbytes_too_big[0]); i++)
			expect_nbytes_einval(_metadata, op, fd, buf,
					     nbytes_too_big[i]);
		if (!fstat(fd, &st))
			size = (long)st.st_size;
	}
	if (fd >= 0)
		close(fd);
	if (map)
		munmap(map, 2 * page);
	return size;
}

/*
 * io_submit(2) EINVAL: "the iocb ... is not properly initialized": fs/aio.c
 * io_submit_one() refuses an aio_nbytes that is negative as a ssize_t
 * (its "prevent overflows" check, present since 2.6), before the request is
 * queued: an IOCB_CMD_PREAD of 2^63 or of 2^64 - 1 bytes gets EINVAL.
 */
TEST(pread_with_nbytes_above_ssize_max_gets_einval)
{
	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"io_submit(2) EINVAL: the iocb is not properly initialized; fs/aio.c io_submit_one() overflow check: (ssize_t)aio_nbytes < 0");
	CONFORM_REQUIRE_AIO();
	EXPECT_EQ(512, nbytes_too_big_get_einval(_metadata, IOCB_CMD_PREAD));
}

/*
 * The same check for IOCB_CMD_PWRITE: a write of 2^63 or of 2^64 - 1 bytes
 * gets EINVAL from io_submit(2) and the file is left as it was (since 2.6).
 */
TEST(pwrite_with_nbytes_above_ssize_max_gets_einval)
{
	CONFORM_DECLARE("2.6", "IOCB_CMD_PWRITE",
			"io_submit(2) EINVAL: the iocb is not properly initialized; fs/aio.c io_submit_one() overflow check: (ssize_t)aio_nbytes < 0");
	CONFORM_REQUIRE_AIO();
	EXPECT_EQ(512, nbytes_too_big_get_einval(_metadata, IOCB_CMD_PWRITE));
}

TEST_HARNESS_MAIN
