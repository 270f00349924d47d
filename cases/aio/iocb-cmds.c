// SPDX-License-Identifier: MIT
/*
 * aio/iocb-cmds: the opcodes of <linux/aio_abi.h> (aio_lio_opcode), through
 * the raw system calls: which numbers io_submit(2) refuses (the never
 * implemented 4, once IOCB_CMD_PREADX, and anything past IOCB_CMD_PWRITEV;
 * IOCB_CMD_NOOP (6) is in aio/submit-errors), and, for the opcodes Linux
 * implements, what the other aio cases leave out: res2 0 for
 * IOCB_CMD_PWRITE/PREADV/PWRITEV (2.6 / 2.6.19), IOCB_CMD_POLL of a regular
 * file and its field checks (4.19), IOCB_CMD_FSYNC of a directory (4.18), and
 * the errors every opcode shares: EBADF for an O_PATH descriptor (2.6.39) or
 * the wrong access mode, EINVAL for a read of a directory (no read_iter) or
 * a nonzero aio_reserved2, and the order of the fd and opcode checks (5.1).
 * Sources: io_submit(2) (opcodes; EINVAL "the iocb ... is not properly
 * initialized", "the operation specified is invalid for the file
 * descriptor"; EBADF), linux/aio_abi.h, fs/aio.c io_submit_one(),
 * __io_submit_one(), aio_read()/aio_write(), aio_poll(), open(2) O_PATH,
 * poll(2).
 */
#include <sys/uio.h>

#include "conform_aio.h"
#include "ref/uapi.h"

/*
 * NULL if io_submit accepts IOCB_CMD_FSYNC on a regular file of the
 * program's directory; else why not (EINVAL: kernel before 4.18).
 */
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
	why = aio_probe_submit(&cb, "IOCB_CMD_FSYNC of a regular file",
			       "opcode not supported");
	close(fd);
	return why;
}

/* Submit cb alone and EXPECT io_submit to refuse it with err; a request
 * wrongly queued is reaped and its res reported. */
static void expect_refused(struct __test_metadata *_metadata, struct iocb *cb,
			   int err)
{
	struct io_event ev;
	long ret;

	errno = 0;
	ret = aio_submit_and_reap(_metadata, cb, &ev);
	if (ret == 1)
		TH_LOG("opcode %u was queued and completed with res %lld",
		       cb->aio_lio_opcode, (long long)ev.res);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(err, errno);
}

/*
 * linux/aio_abi.h: "4 was the experimental IOCB_CMD_PREADX"; no mainline
 * kernel implemented it, and fs/aio.c __io_submit_one() refuses an opcode it
 * does not handle: io_submit(2) EINVAL, "the operation specified is
 * invalid", on a read-write regular file with a valid buffer (since 2.6).
 */
TEST(opcode_4_once_preadx_gets_einval)
{
	static char buf[64];
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: the operation specified is invalid; linux/aio_abi.h: 4 was the experimental IOCB_CMD_PREADX");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	aio_prep_rw(&cb, REF_IOCB_CMD_PREADX, fd, buf, sizeof(buf), 0, 0);
	expect_refused(_metadata, &cb, EINVAL);
	close(fd);
}

/*
 * IOCB_CMD_PWRITEV (8) is the last opcode <linux/aio_abi.h> defines (7.2
 * too): the next number, and the largest an aio_lio_opcode (__u16) can
 * hold, get EINVAL from io_submit(2) (since 2.6; 7 and 8 became valid in
 * 2.6.19).
 */
TEST(opcode_after_pwritev_gets_einval)
{
	static const unsigned int ops[] = { IOCB_CMD_PWRITEV + 1, 0xffff };
	static char buf[64];
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: the operation specified is invalid; linux/aio_abi.h ends at IOCB_CMD_PWRITEV (8)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		aio_prep_rw(&cb, ops[i], fd, buf, sizeof(buf), 0, 0);
		expect_refused(_metadata, &cb, EINVAL);
	}
	close(fd);
}

/*
 * fs/aio.c __io_submit_one() looks the descriptor up before it looks at the
 * opcode, so an unknown opcode on an fd that is not open gets EBADF, not
 * EINVAL (io_submit(2) documents both). Since 5.1, commit 84c4e1f89fef
 * "aio: simplify - and fix - fget/fput for io_submit()"; from 4.18 to 5.0
 * each opcode's prep function took the fd itself, so an unknown opcode got
 * EINVAL first (2.6 to 4.17 looked the fd up first, as now).
 */
TEST(unknown_opcode_on_unopened_fd_gets_ebadf)
{
	static char buf[64];
	struct iocb cb;

	CONFORM_DECLARE("5.1", "io_submit",
			"io_submit(2) EBADF and EINVAL; fs/aio.c __io_submit_one() fget() before the opcode switch, commit 84c4e1f89fef (5.1): aio: simplify - and fix - fget/fput for io_submit()");
	CONFORM_REQUIRE_AIO();
	aio_prep_rw(&cb, IOCB_CMD_PWRITEV + 1, conform_bad_fd(), buf,
		    sizeof(buf), 0, 0);
	expect_refused(_metadata, &cb, EBADF);
	aio_prep_rw(&cb, REF_IOCB_CMD_PREADX, conform_bad_fd(), buf,
		    sizeof(buf), 0, 0);
	expect_refused(_metadata, &cb, EBADF);
}

/*
 * fs/aio.c io_submit_one(): "enforce forwards compatibility on users": an
 * iocb whose aio_reserved2 is not 0 is not properly initialized, and
 * io_submit(2) fails with EINVAL for an otherwise valid IOCB_CMD_PREAD
 * (since 2.6).
 */
TEST(nonzero_reserved2_gets_einval)
{
	static char buf[64];
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: the iocb is not properly initialized; fs/aio.c io_submit_one(): aio_reserved2 must be 0");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 0);
	cb.aio_reserved2 = 1;
	expect_refused(_metadata, &cb, EINVAL);
	close(fd);
}

/*
 * The implemented read and write opcodes complete with io_event.res2 0
 * (the second result is unused for files: io_getevents(2)) and res the
 * byte count: IOCB_CMD_PWRITE (since 2.6), IOCB_CMD_PREADV and
 * IOCB_CMD_PWRITEV (since 2.6.19). The other opcodes' res2 is checked in
 * aio/pread-pwrite (PREAD), aio/fsync (FSYNC, FDSYNC) and below (POLL).
 */
TEST(pwrite_preadv_pwritev_complete_with_res2_zero)
{
	static char out[700], in[700];
	struct iovec wv[2] = { { out + 300, 150 }, { out + 450, 250 } };
	struct iovec rv[2] = { { in, 500 }, { in + 500, 200 } };
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PWRITEV",
			"io_getevents(2) io_event res and res2; io_submit(2) IOCB_CMD_PWRITE (2.6), IOCB_CMD_PREADV/PWRITEV (2.6.19: Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	conform_fill_pattern(out, sizeof(out), 0);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, 300, 0, 1);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(300, ev.res);
	EXPECT_EQ(0, ev.res2);
	/* The rest of the pattern after it, from two segments. */
	aio_prep_rw(&cb, IOCB_CMD_PWRITEV, fd, wv, 2, 300, 2);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(400, ev.res);
	EXPECT_EQ(0, ev.res2);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, fd, rv, 2, 0, 3);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(700, ev.res);
	EXPECT_EQ(0, ev.res2);
	EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 0));
	close(fd);
}

/*
 * open(2) O_PATH: operations other than the few it lists "fail with the
 * error EBADF". fs/aio.c takes the fd with fget(), which does not return an
 * O_PATH file, so every opcode (a read, an fsync, a poll) fails at submit
 * with EBADF on an O_PATH descriptor (O_PATH since 2.6.39).
 */
TEST(o_path_fd_gets_ebadf_for_every_opcode)
{
	static char buf[64];
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.39", "io_submit",
			"open(2) O_PATH: other operations fail with EBADF; io_submit(2) EBADF; fs/aio.c fget() skips FMODE_PATH files");
	CONFORM_REQUIRE_AIO();
	fd = open(conform_tmpdir(), O_PATH | O_CLOEXEC);
	ASSERT_LE(0, fd);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 0);
	expect_refused(_metadata, &cb, EBADF);
	aio_prep_rw(&cb, IOCB_CMD_FSYNC, fd, NULL, 0, 0, 0);
	expect_refused(_metadata, &cb, EBADF);
	aio_prep_poll(&cb, fd, POLLIN);
	expect_refused(_metadata, &cb, EBADF);
	close(fd);
}

/*
 * read(2) on a directory gives EISDIR, but a directory has no read_iter
 * method, and fs/aio.c aio_read() refuses a file without one: io_submit(2)
 * fails with EINVAL, "the operation specified is invalid for the file
 * descriptor", for IOCB_CMD_PREAD and IOCB_CMD_PREADV alike (since 2.6:
 * before 4.1 the test was on the aio_read method, which directories never
 * had either).
 */
TEST(read_of_directory_gets_einval)
{
	static char buf[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct iocb cb;
	int dfd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"io_submit(2) EINVAL: operation invalid for the fd; fs/aio.c aio_read(): no read_iter (before 4.1: no aio_read), EINVAL");
	CONFORM_REQUIRE_AIO();
	dfd = open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, dfd, buf, sizeof(buf), 0, 0);
	expect_refused(_metadata, &cb, EINVAL);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, dfd, &iov, 1, 0, 0);
	expect_refused(_metadata, &cb, EINVAL);
	close(dfd);
}

/*
 * write(2) EBADF: "fd is not ... open for writing": IOCB_CMD_PWRITE on a
 * read-only descriptor fails at submit with EBADF (fs/aio.c aio_write()
 * checks FMODE_WRITE; since 2.6), and the file is unchanged. (PREAD on a
 * write-only fd is in aio/pread-pwrite, PWRITEV on a read-only one in
 * aio/preadv-pwritev.)
 */
TEST(pwrite_on_read_only_fd_gets_ebadf)
{
	static char out[64], back[64];
	struct iocb cb;
	int fd, ro;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PWRITE",
			"write(2) EBADF: fd not open for writing, reported by io_submit(2); fs/aio.c aio_write() FMODE_WRITE check");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ro = conform_reopen(fd, O_RDONLY);
	if (ro < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file read-only through /proc/self/fd: %s",
		     strerror(errno));
	}
	memset(out, 0xa5, sizeof(out));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, ro, out, sizeof(out), 0, 0);
	expect_refused(_metadata, &cb, EBADF);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(ro);
	close(fd);
}

/*
 * read(2) EBADF: "fd is not ... open for reading": IOCB_CMD_PREADV on a
 * write-only descriptor fails at submit with EBADF (fs/aio.c aio_read()
 * checks FMODE_READ; vectored opcodes since 2.6.19).
 */
TEST(preadv_on_write_only_fd_gets_ebadf)
{
	static char buf[64];
	struct iovec iov = { buf, sizeof(buf) };
	struct iocb cb;
	int fd, wo;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"readv(2) EBADF: fd not open for reading, reported by io_submit(2); IOCB_CMD_PREADV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	wo = conform_reopen(fd, O_WRONLY);
	if (wo < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file write-only through /proc/self/fd: %s",
		     strerror(errno));
	}
	aio_prep_rw(&cb, IOCB_CMD_PREADV, wo, &iov, 1, 0, 0);
	expect_refused(_metadata, &cb, EBADF);
	close(wo);
	close(fd);
}

/*
 * poll(2): regular files are always ready for reading and writing (the
 * default mask of a file without a poll method); IOCB_CMD_POLL for
 * POLLIN|POLLOUT on a regular file completes at once with exactly those
 * bits in res and res2 0 (since 4.19, commit bfe4037e722e "aio: implement
 * IOCB_CMD_POLL").
 */
TEST(poll_of_regular_file_completes_at_once_with_pollin_pollout)
{
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"poll(2): regular files are always readable and writable; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	aio_prep_poll(&cb, fd, POLLIN | POLLOUT);
	cb.aio_data = 0x9011;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(0x9011, ev.data);
	EXPECT_EQ(POLLIN | POLLOUT, ev.res);
	EXPECT_EQ(0, ev.res2);
	close(fd);
}

/*
 * fs/aio.c aio_poll(): the events mask travels in aio_buf and must fit in
 * 16 bits ("reject any unknown events outside the normal event mask"), and
 * the fields a poll has no use for, aio_nbytes and aio_rw_flags, must be 0
 * ("reject fields that are not defined for poll"); otherwise io_submit(2)
 * fails with EINVAL (since 4.19; a nonzero aio_offset is in aio/poll).
 */
TEST(poll_with_wide_mask_nbytes_or_rw_flags_gets_einval)
{
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c aio_poll(): (u16)aio_buf != aio_buf, aio_nbytes or aio_rw_flags set: EINVAL; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_buf |= 0x10000;
	expect_refused(_metadata, &cb, EINVAL);
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_nbytes = 1;
	expect_refused(_metadata, &cb, EINVAL);
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_rw_flags = RWF_HIPRI;
	expect_refused(_metadata, &cb, EINVAL);
	/* The byte is still there: nothing consumed it. */
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
}

/*
 * fsync(2): a directory can be synced (its EINVAL is only for special
 * files that cannot); IOCB_CMD_FSYNC on a directory descriptor opened
 * read-only completes with res 0 (since 4.18, commit a3c0d439e727 "aio:
 * implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC").
 */
TEST(fsync_of_directory_completes_with_res_zero)
{
	struct io_event ev;
	struct iocb cb;
	int dfd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"fsync(2) of a directory; io_submit(2) IOCB_CMD_FSYNC; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	CONFORM_REQUIRE(aio_fsync_missing());
	dfd = open(conform_tmpdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	aio_prep_rw(&cb, IOCB_CMD_FSYNC, dfd, NULL, 0, 0, 7);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(7, ev.data);
	EXPECT_EQ(0, ev.res);
	EXPECT_EQ(0, ev.res2);
	close(dfd);
}

TEST_HARNESS_MAIN
