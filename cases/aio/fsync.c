// SPDX-License-Identifier: MIT
/*
 * aio/fsync: IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC, fsync(2) and fdatasync(2)
 * submitted through io_submit(2), with the raw system calls and
 * <linux/aio_abi.h>: completion with res 0, the fields that must be zero,
 * and EINVAL for a file that has no fsync method (pipes, sockets).
 * Sources: io_submit(2) (opcodes IOCB_CMD_FSYNC/FDSYNC; EINVAL "the
 * operation specified is invalid for the file descriptor"), fsync(2)
 * (EINVAL for a special file that does not support synchronization), kernel
 * commit a3c0d439e727 "aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC"
 * (Linux 4.18; before it, almost no file supported the opcodes: EINVAL).
 * The refusal for pipes and sockets (EINVAL) and the EBADF for an unopened
 * fd hold since 2.6, so those tests need native AIO only.
 */
#include "conform_aio.h"

/* An fsync-type iocb on fd: only the opcode, fd and tag are set. */
static void prep_sync(struct iocb *cb, unsigned int op, int fd, __u64 data)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = op;
	cb->aio_fildes = fd;
	cb->aio_data = data;
}

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
	prep_sync(&cb, IOCB_CMD_FSYNC, fd, 0);
	why = aio_probe_submit(&cb, "IOCB_CMD_FSYNC",
			       "opcode not supported on a regular file");
	close(fd);
	return why;
}

#define REQUIRE_AIO_FSYNC() CONFORM_REQUIRE(aio_fsync_missing())

/* Submit cb alone and expect io_submit to refuse it: -1 with errno err. */
static void expect_submit_refused(struct __test_metadata *_metadata,
				  struct iocb *cb, int err)
{
	struct io_event ev;

	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, cb, &ev));
	EXPECT_EQ(err, errno);
}

/*
 * io_submit(2) IOCB_CMD_FSYNC on a regular file: the request completes
 * with res 0 and res2 0, carrying the iocb's address and aio_data, as
 * fsync(2) returns 0 (since 4.18).
 */
TEST(fsync_of_regular_file_completes_with_res_zero)
{
	const __u64 tag = 0x5eed0f5eed0f0001ULL;
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"io_submit(2) IOCB_CMD_FSYNC; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	REQUIRE_AIO_FSYNC();
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	ASSERT_EQ(5, pwrite(fd, "dirty", 5, 100));
	prep_sync(&cb, IOCB_CMD_FSYNC, fd, tag);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__u64)(unsigned long)&cb, ev.obj);
	EXPECT_EQ(tag, ev.data);
	EXPECT_EQ(0, ev.res);
	EXPECT_EQ(0, ev.res2);
	close(fd);
}

/*
 * io_submit(2) IOCB_CMD_FDSYNC: the fdatasync(2) form, completing with
 * res 0 on a regular file (since 4.18).
 */
TEST(fdsync_of_regular_file_completes_with_res_zero)
{
	const __u64 tag = 0x5eed0f5eed0f0002ULL;
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FDSYNC",
			"io_submit(2) IOCB_CMD_FDSYNC; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	REQUIRE_AIO_FSYNC();
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	ASSERT_EQ(5, pwrite(fd, "dirty", 5, 4000));
	prep_sync(&cb, IOCB_CMD_FDSYNC, fd, tag);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(tag, ev.data);
	EXPECT_EQ(0, ev.res);
	EXPECT_EQ(0, ev.res2);
	close(fd);
}

/*
 * fsync(2) needs no write access (its only EBADF is "not a valid open file
 * descriptor"), and fs/aio.c aio_fsync() checks none: IOCB_CMD_FSYNC on a
 * read-only descriptor completes with res 0 (since 4.18).
 */
TEST(fsync_of_read_only_fd_completes_with_res_zero)
{
	struct io_event ev;
	struct iocb cb;
	int fd, ro;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"fsync(2) EBADF only for a non-open fd; fs/aio.c aio_fsync() checks no write access; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	REQUIRE_AIO_FSYNC();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ro = conform_reopen(fd, O_RDONLY);
	if (ro < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file read-only through /proc/self/fd (no /proc?)");
	}
	prep_sync(&cb, IOCB_CMD_FSYNC, ro, 3);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(3, ev.data);
	EXPECT_EQ(0, ev.res);
	close(ro);
	close(fd);
}

/*
 * fsync(2) EINVAL: "fd is bound to a special file (e.g., a pipe, FIFO, or
 * socket) which does not support synchronization"; io_submit(2) EINVAL: the
 * operation is invalid for the descriptor. A pipe has no fsync method, so
 * io_submit itself fails with EINVAL for either opcode. This holds since
 * 2.6: before 4.18 fs/aio.c refused the sync opcodes at submit for any file
 * without an aio_fsync method, a pipe among them. Needs native AIO only.
 */
TEST(fsync_or_fdsync_of_pipe_gets_einval)
{
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("2.6", "IOCB_CMD_FSYNC",
			"io_submit(2) EINVAL: operation invalid for the fd; fsync(2) EINVAL for a pipe (fs/aio.c has refused the sync opcodes on a file without fsync support since 2.6)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_pipe(p));
	prep_sync(&cb, IOCB_CMD_FSYNC, p[1], 0);
	expect_submit_refused(_metadata, &cb, EINVAL);
	prep_sync(&cb, IOCB_CMD_FDSYNC, p[0], 0);
	expect_submit_refused(_metadata, &cb, EINVAL);
	close(p[0]);
	close(p[1]);
}

/* As above for a socket, the other special file fsync(2) names (since 2.6). */
TEST(fsync_of_socket_gets_einval)
{
	struct iocb cb;
	int sv[2];

	CONFORM_DECLARE("2.6", "IOCB_CMD_FSYNC",
			"io_submit(2) EINVAL: operation invalid for the fd; fsync(2) EINVAL for a socket (refused at submit since 2.6)");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, conform_socketpair(sv));
	prep_sync(&cb, IOCB_CMD_FSYNC, sv[0], 0);
	expect_submit_refused(_metadata, &cb, EINVAL);
	close(sv[0]);
	close(sv[1]);
}

/*
 * fs/aio.c aio_fsync(): the sync opcodes carry no buffer, length or offset,
 * and a request with aio_buf, aio_nbytes or aio_offset set is not properly
 * initialized: io_submit fails with EINVAL (io_submit(2) EINVAL "The iocb
 * ... is not properly initialized"; since 4.18). Each field is tried alone.
 */
TEST(fsync_with_buf_nbytes_or_offset_set_gets_einval)
{
	static char buf[64];
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"fs/aio.c aio_fsync(): aio_buf, aio_nbytes, aio_offset must be 0; io_submit(2) EINVAL; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	REQUIRE_AIO_FSYNC();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	prep_sync(&cb, IOCB_CMD_FSYNC, fd, 0);
	cb.aio_buf = (__u64)(unsigned long)buf;
	expect_submit_refused(_metadata, &cb, EINVAL);
	prep_sync(&cb, IOCB_CMD_FSYNC, fd, 0);
	cb.aio_nbytes = sizeof(buf);
	expect_submit_refused(_metadata, &cb, EINVAL);
	prep_sync(&cb, IOCB_CMD_FDSYNC, fd, 0);
	cb.aio_offset = 512;
	expect_submit_refused(_metadata, &cb, EINVAL);
	close(fd);
}

/*
 * fs/aio.c aio_fsync(): aio_rw_flags (the RWF_* flags of reads and writes)
 * must also be 0 for a sync request, else io_submit fails with EINVAL, not
 * the EOPNOTSUPP a read or write gives for a flag it rejects (since 4.18).
 */
TEST(fsync_with_rw_flags_set_gets_einval)
{
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_CMD_FSYNC",
			"fs/aio.c aio_fsync(): aio_rw_flags must be 0, EINVAL; commit a3c0d439e727 (4.18): aio: implement IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC");
	REQUIRE_AIO_FSYNC();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	prep_sync(&cb, IOCB_CMD_FSYNC, fd, 0);
	cb.aio_rw_flags = RWF_DSYNC;
	expect_submit_refused(_metadata, &cb, EINVAL);
	close(fd);
}

/*
 * io_submit(2): a sync request on an fd that is not open fails at submit
 * time with EBADF ("The file descriptor specified in the first iocb is
 * invalid"), before the opcode is looked at (since 2.6: fs/aio.c has always
 * looked the fd up first, so this needs native AIO only, not the 4.18 sync
 * opcodes).
 */
TEST(fsync_of_unopened_fd_gets_ebadf)
{
	struct iocb cb;

	CONFORM_DECLARE("2.6", "IOCB_CMD_FSYNC",
			"io_submit(2) EBADF: the fd in the iocb is invalid (looked up before the opcode since 2.6)");
	CONFORM_REQUIRE_AIO();
	prep_sync(&cb, IOCB_CMD_FSYNC, conform_bad_fd(), 0);
	expect_submit_refused(_metadata, &cb, EBADF);
}

TEST_HARNESS_MAIN
