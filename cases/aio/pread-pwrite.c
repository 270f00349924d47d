// SPDX-License-Identifier: MIT
/*
 * aio/pread-pwrite: IOCB_CMD_PREAD and IOCB_CMD_PWRITE on a regular file,
 * driven through libaio (io_queue_init, io_prep_pread/pwrite, io_submit,
 * io_getevents). libaio's wrappers do not set errno: they return the negated
 * error number, so errors are asserted as -EXXX return values.
 * Sources: io_submit(2), io_getevents(2), pread(2)/pwrite(2) for the result
 * of each transfer.
 */
#include <libaio.h>

#include "conform.h"

#define FILE_SIZE 16384

/* Submit one prepared iocb and reap its event (1 s bound). 0 or -errno. */
static int submit_and_wait(io_context_t ctx, struct iocb *iocb,
			   struct io_event *ev)
{
	struct timespec bound = { .tv_sec = 1 };
	struct iocb *list[1] = { iocb };
	int ret;

	ret = io_submit(ctx, 1, list);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_getevents(ctx, 1, 1, ev, &bound);
	if (ret != 1)
		return ret < 0 ? ret : -ETIMEDOUT;
	return 0;
}

/* A temporary file of size pattern bytes and a 4-event libaio queue in *ctx; returns the file's fd. */
static int open_file_and_queue(struct __test_metadata *_metadata, size_t size,
			       io_context_t *ctx)
{
	int fd = conform_temp_file(size, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_queue_init(4, ctx));
	return fd;
}

/* Release the libaio queue (expecting success) and close fd. */
static void release_queue_and_close(struct __test_metadata *_metadata,
				    io_context_t ctx, int fd)
{
	EXPECT_EQ(0, io_queue_release(ctx));
	close(fd);
}

/*
 * io_submit(2)/io_getevents(2): a completed read reports its result in
 * io_event.res, which for IOCB_CMD_PREAD is the byte count as pread(2)
 * returns it; data is copied verbatim and obj points at the iocb (since 2.6).
 */
TEST(pread_returns_byte_count_and_data)
{
	static char buf[4096];
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb iocb;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"io_getevents(2) io_event.res; pread(2) RETURN VALUE");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, FILE_SIZE, &ctx);
	io_prep_pread(&iocb, fd, buf, sizeof(buf), 1000);
	iocb.data = (void *)0x5eed;
	ASSERT_EQ(0, submit_and_wait(ctx, &iocb, &ev));
	EXPECT_EQ(sizeof(buf), ev.res);
	EXPECT_EQ(0, ev.res2);
	EXPECT_EQ((void *)0x5eed, ev.data);
	EXPECT_EQ(&iocb, ev.obj);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1000));
	release_queue_and_close(_metadata, ctx, fd);
}

/* io_submit(2) IOCB_CMD_PWRITE: res is the byte count and the data lands at aio_offset, as pwrite(2) (since 2.6). */
TEST(pwrite_writes_exact_data_at_offset)
{
	static char out[3000], back[3000];
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb iocb;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PWRITE",
			"io_submit(2) IOCB_CMD_PWRITE; pwrite(2) RETURN VALUE");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, 0, &ctx);
	conform_fill_pattern(out, sizeof(out), 5000);
	io_prep_pwrite(&iocb, fd, out, sizeof(out), 5000);
	ASSERT_EQ(0, submit_and_wait(ctx, &iocb, &ev));
	EXPECT_EQ(sizeof(out), ev.res);
	EXPECT_EQ(sizeof(back), pread(fd, back, sizeof(back), 5000));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 5000));
	/* The write extended the file to exactly its end. */
	EXPECT_EQ(5000 + (off_t)sizeof(out), lseek(fd, 0, SEEK_END));
	release_queue_and_close(_metadata, ctx, fd);
}

/* pread(2): "If the file offset is at or past the end of file, no bytes are read, and pread() returns zero": res 0 (since 2.6). */
TEST(pread_at_eof_returns_zero)
{
	static char buf[512];
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb iocb;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"pread(2): at or past end of file no bytes are read, returns zero");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, FILE_SIZE, &ctx);
	io_prep_pread(&iocb, fd, buf, sizeof(buf), FILE_SIZE);
	ASSERT_EQ(0, submit_and_wait(ctx, &iocb, &ev));
	EXPECT_EQ(0, ev.res);
	release_queue_and_close(_metadata, ctx, fd);
}

/* pread(2): a read spanning end of file returns only the bytes up to it (partial count, data exact) (since 2.6). */
TEST(pread_across_eof_returns_partial_count)
{
	static char buf[4096];
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb iocb;
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"pread(2): a read that meets end of file returns the bytes up to it");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, FILE_SIZE, &ctx);
	io_prep_pread(&iocb, fd, buf, sizeof(buf), FILE_SIZE - 100);
	ASSERT_EQ(0, submit_and_wait(ctx, &iocb, &ev));
	EXPECT_EQ(100, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, 100, FILE_SIZE - 100));
	release_queue_and_close(_metadata, ctx, fd);
}

/*
 * io_submit(2) ERRORS: EBADF "The file descriptor specified in the first
 * iocb is invalid"; libaio returns it negated (since 2.6).
 */
TEST(submit_with_bad_fd_gets_ebadf)
{
	static char buf[64];
	io_context_t ctx = 0;
	struct iocb iocb, *list[1] = { &iocb };
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EBADF: the fd in the first iocb is invalid");
	CONFORM_REQUIRE_AIO();
	fd = conform_bad_fd();
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	io_prep_pread(&iocb, fd, buf, sizeof(buf), 0);
	EXPECT_EQ(-EBADF, io_submit(ctx, 1, list));
	EXPECT_EQ(0, io_queue_release(ctx));
}

/* pread(2) EBADF "fd is not ... open for reading", reported by io_submit(2) for IOCB_CMD_PREAD on a write-only fd (since 2.6). */
TEST(pread_on_write_only_fd_gets_ebadf)
{
	static char buf[64];
	char path[300];
	io_context_t ctx = 0;
	struct iocb iocb, *list[1] = { &iocb };
	int fd;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"pread(2) EBADF: fd not open for reading, reported by io_submit(2)");
	CONFORM_REQUIRE_AIO();
	conform_tmppath(path, sizeof(path), "write-only");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	io_prep_pread(&iocb, fd, buf, sizeof(buf), 0);
	EXPECT_EQ(-EBADF, io_submit(ctx, 1, list));
	release_queue_and_close(_metadata, ctx, fd);
}

/* io_submit(2) ERRORS: EINVAL when "the operation specified is invalid" (an opcode outside the IOCB_CMD_* set) (since 2.6). */
TEST(submit_with_unknown_opcode_gets_einval)
{
	static char buf[64];
	io_context_t ctx = 0;
	struct iocb iocb, *list[1] = { &iocb };
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EINVAL: the operation specified is invalid");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, 4096, &ctx);
	io_prep_pread(&iocb, fd, buf, sizeof(buf), 0);
	iocb.aio_lio_opcode = 0x7f;
	EXPECT_EQ(-EINVAL, io_submit(ctx, 1, list));
	release_queue_and_close(_metadata, ctx, fd);
}

/*
 * pread(2) EINVAL "the offset is negative" -> io_submit(2) fails with EINVAL
 * for IOCB_CMD_PREAD (since 3.5: commit a70b52ec1aae "vfs: make AIO use the
 * proper rw_verify_area() area helpers" checks the offset at submit; before
 * it, "aio: negative offset should return -EINVAL" checked it only when the
 * request ran, past io_submit's own checks).
 */
TEST(pread_at_negative_offset_gets_einval)
{
	static char buf[64];
	io_context_t ctx = 0;
	struct iocb iocb, *list[1] = { &iocb };
	int fd;

	CONFORM_DECLARE("3.5", "IOCB_CMD_PREAD",
			"pread(2) EINVAL negative offset; checked at submit since commit a70b52ec1aae (3.5): vfs: make AIO use the proper rw_verify_area() area helpers");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, 4096, &ctx);
	io_prep_pread(&iocb, fd, buf, sizeof(buf), -4096);
	EXPECT_EQ(-EINVAL, io_submit(ctx, 1, list));
	release_queue_and_close(_metadata, ctx, fd);
}

/*
 * io_submit(2) RETURN VALUE: the number of iocbs submitted, "which may be
 * less than nr": a batch whose second iocb has a bad fd submits the first
 * only, returns 1, and the first still completes (since 2.6).
 */
TEST(batch_stops_at_first_bad_iocb)
{
	static char buf[256], bad[16];
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct io_event ev;
	struct iocb good, broken, *list[2] = { &good, &broken };
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) RETURN VALUE: the number of iocbs submitted, may be less than nr");
	CONFORM_REQUIRE_AIO();
	fd = open_file_and_queue(_metadata, 4096, &ctx);
	io_prep_pread(&good, fd, buf, sizeof(buf), 256);
	io_prep_pread(&broken, -1, bad, sizeof(bad), 0);
	EXPECT_EQ(1, io_submit(ctx, 2, list));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(&good, ev.obj);
	EXPECT_EQ(sizeof(buf), ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 256));
	release_queue_and_close(_metadata, ctx, fd);
}

TEST_HARNESS_MAIN
