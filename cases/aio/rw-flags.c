// SPDX-License-Identifier: MIT
/*
 * aio/rw-flags: the per-request RWF_* flags of native AIO reads and writes
 * (iocb.aio_rw_flags), through the raw system calls and <linux/aio_abi.h>:
 * RWF_APPEND, RWF_DSYNC/RWF_SYNC, RWF_HIPRI, RWF_NOWAIT (-EAGAIN in the
 * event's res, or EOPNOTSUPP at submit for a file that cannot do it) and an
 * unknown flag.
 * Sources: io_submit(2) aio_rw_flags (RWF_HIPRI, RWF_DSYNC, RWF_SYNC since
 * 4.13, RWF_NOWAIT since 4.13 (the man page says 4.14; DESIGN.md section
 * 8), RWF_APPEND since 4.16), preadv2(2) (the
 * flags' meaning; EOPNOTSUPP for an unknown flag), include/linux/fs.h
 * kiocb_set_rw_flags() (shared by preadv2 and AIO: EOPNOTSUPP for an
 * unknown flag, and for RWF_NOWAIT on a file without FMODE_NOWAIT).
 */
#include <sys/eventfd.h>
#include <sys/uio.h>

#include "conform_aio.h"

/* A bit no kernel up to 7.2 defines as an RWF_* flag. */
#define RWF_UNKNOWN_BIT 0x80000000u

/*
 * NULL if io_submit takes aio_rw_flags (a RWF_HIPRI read of a regular file
 * is accepted); before 4.13 the field was reserved and had to be 0
 * (EINVAL).
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

#define REQUIRE_RW_FLAGS() CONFORM_REQUIRE(rw_flags_missing())

/*
 * NULL if io_submit takes RWF_APPEND: a 1-byte IOCB_CMD_PWRITE with it to
 * a temporary file is accepted; a kernel that has aio_rw_flags but not this
 * flag refuses it as unknown (EOPNOTSUPP). Else why not.
 */
static const char *rwf_append_missing(void)
{
	static char byte[1] = { 'x' };
	struct iocb cb;
	const char *why = rw_flags_missing();
	int fd;

	if (why)
		return why;
	fd = conform_temp_file(0, 0);
	if (fd < 0)
		return CONFORM_ENV "cannot make a temporary file for the RWF_APPEND probe";
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, byte, sizeof(byte), 0, 0);
	cb.aio_rw_flags = RWF_APPEND;
	why = aio_probe_submit(&cb, "IOCB_CMD_PWRITE with RWF_APPEND",
			       "flag refused");
	close(fd);
	return why;
}

/*
 * preadv2(2) EOPNOTSUPP "An unknown flag is specified in flags"; AIO checks
 * aio_rw_flags with the same kernel function, so io_submit fails with
 * EOPNOTSUPP for a read carrying an unknown flag (since 4.13).
 */
TEST(unknown_rw_flag_gets_eopnotsupp)
{
	static char buf[64];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.13", "aio_rw_flags",
			"preadv2(2) EOPNOTSUPP: unknown flag; include/linux/fs.h kiocb_set_rw_flags(); commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(sizeof(buf), 0));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 0);
	cb.aio_rw_flags = RWF_UNKNOWN_BIT;
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(fd);
}

/*
 * io_submit(2) RWF_APPEND: "Append data to the end of the file ... The
 * aio_offset field is ignored. The file offset is not changed." (since
 * 4.16). The write lands after the last byte, the bytes at aio_offset keep
 * their content, and the descriptor's offset stays 0.
 */
TEST(rwf_append_write_lands_at_end_ignoring_offset)
{
	static char out[100], back[4096 + 100];
	struct io_event ev;
	struct iocb cb;
	struct stat st;
	int fd;

	CONFORM_DECLARE("4.16", "RWF_APPEND",
			"io_submit(2) RWF_APPEND: aio_offset ignored, file offset unchanged (4.16, commit 'fs: add RWF_APPEND')");
	CONFORM_REQUIRE(rwf_append_missing());
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	conform_fill_pattern(out, sizeof(out), 4096);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, sizeof(out), 0, 9);
	cb.aio_rw_flags = RWF_APPEND;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(9, ev.data);
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096 + (off_t)sizeof(out), st.st_size);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	/* The head is the original pattern, the tail what was appended: the
	 * whole file is one continuous pattern from offset 0. */
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/*
 * io_submit(2) RWF_DSYNC and RWF_SYNC (since 4.13): a write completes
 * according to synchronized I/O data (resp. file) integrity; the request
 * itself still completes with the byte count and writes exactly its data
 * at aio_offset.
 */
TEST(rwf_dsync_and_rwf_sync_writes_complete_with_byte_count)
{
	static const unsigned int flags[2] = { RWF_DSYNC, RWF_SYNC };
	static char out[2][300], back[300];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_DSYNC",
			"io_submit(2) RWF_DSYNC and RWF_SYNC; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	for (int i = 0; i < 2; i++) {
		long long off = 1000 + 3000 * i;

		/* Write the pattern of a different offset, so that the data
		 * read back can only have come from this write. */
		conform_fill_pattern(out[i], sizeof(out[i]), off + 7);
		aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out[i], sizeof(out[i]),
			    off, i);
		cb.aio_rw_flags = flags[i];
		ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
		EXPECT_EQ((__s64)sizeof(out[i]), ev.res);
		ASSERT_EQ((ssize_t)sizeof(back),
			  pread(fd, back, sizeof(back), off));
		EXPECT_TRUE(conform_check_pattern(back, sizeof(back), off + 7));
	}
	close(fd);
}

/*
 * io_submit(2) RWF_HIPRI (since 4.13) only asks for polling where possible;
 * fs/aio.c drops it for AIO (nothing polls for an AIO completion), so a
 * buffered read with it completes normally with the byte count and data.
 */
TEST(rwf_hipri_buffered_read_returns_data)
{
	static char buf[1500];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.13", "RWF_HIPRI",
			"io_submit(2) RWF_HIPRI; preadv2(2) RWF_HIPRI is best effort; commit 9830f4be159b (4.13): fs: Use RWF_* flags for AIO operations");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 2000, 0);
	cb.aio_rw_flags = RWF_HIPRI;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(buf), ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2000));
	close(fd);
}

/*
 * NULL if a nonblocking-capable read of an empty eventfd is there:
 * preadv2(RWF_NOWAIT) on an empty, blocking eventfd fails with EAGAIN
 * (the eventfd needs read_iter and FMODE_NOWAIT, which older kernels'
 * eventfd lacks: the probe decides, no version is assumed); else why not.
 */
static const char *eventfd_nowait_missing(void)
{
	struct iovec iov;
	uint64_t v;
	int efd, err;
	ssize_t n;

	if (conform_eventfd_unavailable())
		return conform_eventfd_unavailable();
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return CONFORM_ENV "eventfd() failed";
	iov.iov_base = &v;
	iov.iov_len = sizeof(v);
	n = preadv2(efd, &iov, 1, -1, RWF_NOWAIT);
	err = errno;
	close(efd);
	if (n < 0 && err == EAGAIN)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "preadv2(eventfd, RWF_NOWAIT) gave %zd (%s), not EAGAIN: this kernel's eventfd has no RWF_NOWAIT read",
		 n, n < 0 ? strerror(err) : "no error");
	return conform_why;
}

/*
 * io_submit(2) RWF_NOWAIT (since 4.13): when the I/O would block, "the
 * control block is returned immediately with a return value of -EAGAIN in
 * the res field of the io_event structure". A read of an eventfd whose
 * counter is 0 would block (eventfd(2)); the request is accepted and
 * completes with res -EAGAIN, and the counter is unchanged. An eventfd
 * takes RWF_NOWAIT (read_iter and FMODE_NOWAIT) since 5.8 ("eventfd:
 * convert to f_op->read_iter()"), so this holds since 5.8.
 */
TEST(rwf_nowait_read_that_would_block_completes_with_eagain)
{
	struct io_event ev;
	struct iocb cb;
	uint64_t v = 0x1111;
	int efd;

	CONFORM_DECLARE("5.8", "RWF_NOWAIT",
			"io_submit(2) RWF_NOWAIT: -EAGAIN in res (RWF_NOWAIT in the uapi since 4.13 (commit b745fafaf70c: fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT)); eventfd read_iter with FMODE_NOWAIT since 5.8 (Jens Axboe: eventfd: convert to f_op->read_iter())");
	REQUIRE_RW_FLAGS();
	CONFORM_REQUIRE(eventfd_nowait_missing());
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, efd, &v, sizeof(v), 0, 77);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(77, ev.data);
	EXPECT_EQ(-EAGAIN, ev.res);
	EXPECT_EQ(0x1111, v);
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	close(efd);
}

/*
 * RWF_NOWAIT changes nothing when the I/O need not block: a read of an
 * eventfd holding 5 completes with res 8 and the value 5, and resets the
 * counter (eventfd(2) read; io_submit(2) RWF_NOWAIT since 4.13, for an
 * eventfd where the probe finds RWF_NOWAIT support: since 5.8).
 */
TEST(rwf_nowait_read_that_need_not_block_returns_data)
{
	struct io_event ev;
	struct iocb cb;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.8", "RWF_NOWAIT",
			"eventfd(2) read; io_submit(2) RWF_NOWAIT (RWF_NOWAIT in the uapi since 4.13 (commit b745fafaf70c: fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT)); eventfd read_iter with FMODE_NOWAIT since 5.8 (Jens Axboe: eventfd: convert to f_op->read_iter())");
	REQUIRE_RW_FLAGS();
	CONFORM_REQUIRE(eventfd_nowait_missing());
	ASSERT_LE(0, efd = eventfd(5, EFD_CLOEXEC));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, efd, &v, sizeof(v), 0, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(8, ev.res);
	EXPECT_EQ(5, v);
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	close(efd);
}

/*
 * include/linux/fs.h kiocb_set_rw_flags(), used by both preadv2(2) and AIO:
 * RWF_NOWAIT on a file whose filesystem does not support it (no
 * FMODE_NOWAIT, e.g. tmpfs up to at least 6.18) is refused with EOPNOTSUPP; where
 * it is supported, a read of data just written (so in the page cache) need
 * not block and returns it. The two variants, as preadv2 reports them for
 * the same file: EOPNOTSUPP from io_submit, or the exact bytes in res
 * (RWF_NOWAIT since 4.13).
 */
TEST(rwf_nowait_read_of_cached_file_returns_data_or_eopnotsupp)
{
	static char buf[2048], probe_buf[2048];
	struct iovec iov = { probe_buf, sizeof(probe_buf) };
	struct io_event ev;
	struct iocb cb;
	ssize_t n;
	int fd, err;

	CONFORM_DECLARE("4.13", "RWF_NOWAIT",
			"include/linux/fs.h kiocb_set_rw_flags(): EOPNOTSUPP without FMODE_NOWAIT; preadv2(2) RWF_NOWAIT; RWF_NOWAIT in the uapi since 4.13 (commit b745fafaf70c: fs: Introduce RWF_NOWAIT and FMODE_AIO_NOWAIT)");
	REQUIRE_RW_FLAGS();
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	n = preadv2(fd, &iov, 1, 4096, RWF_NOWAIT);
	err = errno;
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 4096, 0);
	cb.aio_rw_flags = RWF_NOWAIT;
	if (n < 0 && err == EOPNOTSUPP) {
		TH_LOG("this file's filesystem has no RWF_NOWAIT support: expecting EOPNOTSUPP");
		errno = 0;
		EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
		EXPECT_EQ(EOPNOTSUPP, errno);
	} else if (n == (ssize_t)sizeof(probe_buf)) {
		TH_LOG("this file's filesystem supports RWF_NOWAIT: expecting the data");
		ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
		EXPECT_EQ((__s64)sizeof(buf), ev.res);
		EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	} else {
		close(fd);
		SKIP(return, CONFORM_UNSEEN "preadv2(RWF_NOWAIT) of cached data gave %zd (%s): cannot tell which variant applies",
		     n, n < 0 ? strerror(err) : "short");
	}
	close(fd);
}

TEST_HARNESS_MAIN
