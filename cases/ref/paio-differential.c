// SPDX-License-Identifier: MIT
/*
 * ref/paio-differential: the same POSIX AIO requests through ref/paio
 * (io_uring) and through glibc's aio_* (worker threads with pread/pwrite/
 * fsync): the same error and return values, the same bytes. Each TEST runs
 * the request through both, on separate but identical files, and asserts
 * the exact values for each. Where POSIX lets the two differ (when an
 * error is detected), both are asserted and the comment says so.
 * Sources: POSIX.1-2017 XSH aio_read, aio_write, aio_fsync, aio_error,
 * aio_return; pread(2), pwrite(2), fsync(2); io_uring_enter(2)
 * IORING_OP_READ/WRITE/FSYNC.
 */
#include "conform_ref_paio.h"

/* Run kind on a ref block and a glibc block built the same way from
 * (fd[0], rbuf) and (fd[1], gbuf); ASSERT both ran, return their outcomes. */
static void run_both(struct __test_metadata *_metadata, enum paio_case_kind kind,
		     const int fd[2], void *rbuf, void *gbuf, size_t len,
		     off_t off, struct paio_case_outcome out[2])
{
	struct ref_paio ctx;
	struct ref_aiocb rcb = ref_paio_case_cb(LIO_NOP, fd[0], rbuf, len, off);
	struct aiocb gcb;

	posix_aio_prep(&gcb, fd[1], gbuf, len, off);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	ASSERT_EQ(0, ref_paio_case_run(&ctx, kind, &rcb, &out[0]));
	ref_paio_free(&ctx);
	ASSERT_EQ(0, posix_aio_case_run(kind, &gcb, &out[1]));
}

/* Two identical files of size bytes of the pattern (conform_temp_file). */
static void two_files(struct __test_metadata *_metadata, size_t size, int fd[2])
{
	for (int i = 0; i < 2; i++) {
		fd[i] = conform_temp_file(size, 0);
		ASSERT_LE(0, fd[i]);
	}
}

static void close_both(const int fd[2])
{
	close(fd[0]);
	close(fd[1]);
}

/*
 * aio_write(3)/aio_read(3) with pwrite(2)/pread(2) semantics: 4096 bytes
 * written at 8192 give error 0, return 4096, and read back the same from
 * each file (5.6).
 */
TEST(write_then_read_back_same_as_glibc)
{
	static unsigned char out[4096], rin[4096], gin[4096];
	struct paio_case_outcome w[2], r[2];
	int fd[2];

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"POSIX aio_write(), aio_read(); pwrite(2), pread(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	two_files(_metadata, 0, fd);
	conform_fill_pattern(out, sizeof(out), 8192);
	run_both(_metadata, PAIO_WRITE, fd, out, out, sizeof(out), 8192, w);
	run_both(_metadata, PAIO_READ, fd, rin, gin, sizeof(rin), 8192, r);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, w[i].err);
		EXPECT_EQ(4096, w[i].ret);
		EXPECT_EQ(0, r[i].err);
		EXPECT_EQ(4096, r[i].ret);
		EXPECT_EQ(8192 + 4096, lseek(fd[i], 0, SEEK_END));
	}
	EXPECT_TRUE(conform_check_pattern(rin, sizeof(rin), 8192));
	EXPECT_TRUE(conform_check_pattern(gin, sizeof(gin), 8192));
	close_both(fd);
}

/* pread(2): a read across end of file returns the bytes up to it, one at
 * end of file returns 0; both the same way (5.6). */
TEST(short_read_and_read_at_eof_same_as_glibc)
{
	static unsigned char rbuf[4096], gbuf[4096];
	struct paio_case_outcome a[2], b[2];
	int fd[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"pread(2): short read, 0 at end of file");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	two_files(_metadata, 1000, fd);
	run_both(_metadata, PAIO_READ, fd, rbuf, gbuf, sizeof(rbuf), 0, a);
	EXPECT_TRUE(conform_check_pattern(rbuf, 1000, 0));
	EXPECT_TRUE(conform_check_pattern(gbuf, 1000, 0));
	run_both(_metadata, PAIO_READ, fd, rbuf, gbuf, sizeof(rbuf), 1000, b);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, a[i].err);
		EXPECT_EQ(1000, a[i].ret);
		EXPECT_EQ(0, b[i].err);
		EXPECT_EQ(0, b[i].ret);
	}
	close_both(fd);
}

/*
 * POSIX aio_read ERRORS: EBADF for a bad descriptor, detected now or later;
 * both report it later: error EBADF, return -1 (glibc: pread(2) in the
 * worker; io_uring: the CQE) (5.6).
 */
TEST(read_on_bad_fd_gets_ebadf_later_same_as_glibc)
{
	unsigned char rbuf[64], gbuf[64];
	struct paio_case_outcome o[2];
	const int fd[2] = { conform_bad_fd(), conform_bad_fd() };

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_read() EBADF, detected now or later");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	run_both(_metadata, PAIO_READ, fd, rbuf, gbuf, sizeof(rbuf), 0, o);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(EBADF, o[i].err);
		EXPECT_EQ(-1, o[i].ret);
	}
}

/* A regular file in the private dir opened with flags, already unlinked. */
static int open_unlinked(const char *name, int flags)
{
	char path[300];
	int fd;

	conform_tmppath(path, sizeof(path), name);
	fd = open(path, O_CREAT | O_EXCL | O_CLOEXEC | flags, 0600);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* POSIX aio_read/aio_write: EBADF for a descriptor not open for the
 * transfer (O_WRONLY for a read, O_RDONLY for a write); the file stays
 * empty after the write (5.6). */
TEST(transfer_against_open_mode_gets_ebadf_same_as_glibc)
{
	unsigned char rbuf[64], gbuf[64];
	struct paio_case_outcome r[2], w[2];
	int wo[2], ro[2];
	struct stat st;

	CONFORM_DECLARE("5.6", "IORING_OP_WRITE",
			"POSIX aio_read(), aio_write() EBADF: not open for "
			"the transfer");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	wo[0] = open_unlinked("wo0", O_WRONLY);
	wo[1] = open_unlinked("wo1", O_WRONLY);
	ro[0] = open_unlinked("ro0", O_RDONLY);
	ro[1] = open_unlinked("ro1", O_RDONLY);
	ASSERT_LE(0, wo[0]);
	ASSERT_LE(0, wo[1]);
	ASSERT_LE(0, ro[0]);
	ASSERT_LE(0, ro[1]);
	run_both(_metadata, PAIO_READ, wo, rbuf, gbuf, sizeof(rbuf), 0, r);
	conform_fill_pattern(rbuf, sizeof(rbuf), 0);
	run_both(_metadata, PAIO_WRITE, ro, rbuf, rbuf, sizeof(rbuf), 0, w);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(EBADF, r[i].err);
		EXPECT_EQ(-1, r[i].ret);
		EXPECT_EQ(EBADF, w[i].err);
		EXPECT_EQ(-1, w[i].ret);
		ASSERT_EQ(0, fstat(ro[i], &st));
		EXPECT_EQ(0, st.st_size);
	}
	close_both(wo);
	close_both(ro);
}

/* aio_fsync(3): O_SYNC and O_DSYNC requests end with error 0 and
 * return 0, like fsync(2) and fdatasync(2) (IORING_OP_FSYNC and
 * IORING_FSYNC_DATASYNC, 5.1). */
TEST(fsync_o_sync_and_o_dsync_same_as_glibc)
{
	struct paio_case_outcome s[2], d[2];
	int fd[2];

	CONFORM_DECLARE("5.1", "IORING_OP_FSYNC",
			"aio_fsync(3) O_SYNC, O_DSYNC; io_uring_enter(2) "
			"IORING_OP_FSYNC, IORING_FSYNC_DATASYNC");
	CONFORM_REQUIRE_URING_OP(IORING_OP_FSYNC);
	two_files(_metadata, 4096, fd);
	run_both(_metadata, PAIO_SYNC, fd, NULL, NULL, 0, 0, s);
	run_both(_metadata, PAIO_DSYNC, fd, NULL, NULL, 0, 0, d);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, s[i].err);
		EXPECT_EQ(0, s[i].ret);
		EXPECT_EQ(0, d[i].err);
		EXPECT_EQ(0, d[i].ret);
	}
	close_both(fd);
}

/* POSIX aio_fsync ERRORS (shall fail): EINVAL for an op other than
 * O_SYNC/O_DSYNC, EBADF for a bad descriptor; both fail at once (ref
 * -errno, glibc -1 with errno) (5.1: only
 * io_uring_setup, no request reaches the kernel). */
TEST(fsync_bad_op_and_bad_fd_fail_at_once_same_as_glibc)
{
	struct ref_paio ctx;
	struct ref_aiocb rcb;
	struct aiocb gcb;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("5.1", "aio_fsync",
			"POSIX aio_fsync() EINVAL, EBADF (glibc/POSIX "
			"behaviour, ref on io_uring_setup)");
	CONFORM_REQUIRE_URING();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	rcb = ref_paio_case_cb(LIO_NOP, fd, NULL, 0, 0);
	posix_aio_prep(&gcb, fd, NULL, 0, 0);
	EXPECT_EQ(-EINVAL, ref_paio_fsync(&ctx, O_RDWR, &rcb));
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_RDWR, &gcb));
	EXPECT_EQ(EINVAL, errno);
	rcb.fd = gcb.aio_fildes = conform_bad_fd();
	EXPECT_EQ(-EBADF, ref_paio_fsync(&ctx, O_SYNC, &rcb));
	errno = 0;
	EXPECT_EQ(-1, aio_fsync(O_SYNC, &gcb));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0u, ctx.in_progress);
	ref_paio_free(&ctx);
	close(fd);
}

/*
 * POSIX aio_fsync: the sync covers all I/O queued on the descriptor before
 * it, so it does not end before that I/O. A read pending on an empty pipe,
 * then an fsync of the same pipe: the fsync stays EINPROGRESS (a 20 ms
 * suspend on it times out) although fsync(2) of a pipe fails at once;
 * fed, the read ends with 8 and then the fsync with EINVAL (fsync(2): fd
 * "does not support synchronization"). glibc runs requests of one
 * descriptor in order; ref holds the fsync back (5.6).
 */
TEST(fsync_waits_for_earlier_read_on_its_fd_same_as_glibc)
{
	const struct timespec brief = { 0, 20 * 1000 * 1000 };
	unsigned char rbuf[8], gbuf[8];
	struct ref_paio ctx;
	struct ref_aiocb rread, rsync;
	struct aiocb gread, gsync;
	const struct ref_aiocb *rlist[1] = { &rsync };
	const struct aiocb *glist[1] = { &gsync };
	ssize_t v = 0;
	int rp[2], gp[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_fsync(): covers I/O queued before it; "
			"fsync(2) EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_FSYNC);
	ASSERT_EQ(0, conform_pipe(rp));
	ASSERT_EQ(0, conform_pipe(gp));
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	rread = ref_paio_case_cb(LIO_READ, rp[0], rbuf, sizeof(rbuf), 0);
	rsync = ref_paio_case_cb(LIO_NOP, rp[0], NULL, 0, 0);
	ASSERT_EQ(0, ref_paio_read(&ctx, &rread));
	ASSERT_EQ(0, ref_paio_fsync(&ctx, O_SYNC, &rsync));
	EXPECT_EQ(-EAGAIN, ref_paio_suspend(&ctx, rlist, 1, &brief));
	EXPECT_EQ(EINPROGRESS, ref_paio_error(&ctx, &rsync));

	posix_aio_prep(&gread, gp[0], gbuf, sizeof(gbuf), 0);
	posix_aio_prep(&gsync, gp[0], NULL, 0, 0);
	ASSERT_EQ(0, aio_read(&gread));
	ASSERT_EQ(0, aio_fsync(O_SYNC, &gsync));
	errno = 0;
	EXPECT_EQ(-1, aio_suspend(glist, 1, &brief));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(EINPROGRESS, aio_error(&gsync));

	ASSERT_EQ(8, write(rp[1], "rrrrrrrr", 8));
	ASSERT_EQ(8, write(gp[1], "gggggggg", 8));
	ASSERT_EQ(0, ref_paio_case_wait_done(&ctx, &rsync));
	EXPECT_EQ(0, ref_paio_error(&ctx, &rread));
	EXPECT_EQ(0, ref_paio_return(&ctx, &rread, &v));
	EXPECT_EQ(8, v);
	EXPECT_EQ(EINVAL, ref_paio_error(&ctx, &rsync));
	ASSERT_EQ(0, posix_aio_wait_done(&gsync));
	ASSERT_EQ(0, posix_aio_wait_done(&gread));
	EXPECT_EQ(8, aio_return(&gread));
	EXPECT_EQ(EINVAL, aio_error(&gsync));
	EXPECT_EQ(-1, aio_return(&gsync));
	ref_paio_free(&ctx);
	close_both(rp);
	close_both(gp);
}

/*
 * A read of a pipe that holds data: glibc's pread(2) fails with ESPIPE and
 * glibc falls back to read(2); io_uring ignores the offset of a stream.
 * Both give error 0, return 8 and the bytes (5.6).
 */
TEST(pipe_read_with_data_same_as_glibc)
{
	unsigned char rbuf[8], gbuf[8];
	struct paio_case_outcome o[2];
	int rp[2], gp[2], fd[2];

	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"POSIX aio_read(); read(2) of a pipe");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, conform_pipe(rp));
	ASSERT_EQ(0, conform_pipe(gp));
	ASSERT_EQ(8, write(rp[1], "abcdefgh", 8));
	ASSERT_EQ(8, write(gp[1], "abcdefgh", 8));
	fd[0] = rp[0];
	fd[1] = gp[0];
	run_both(_metadata, PAIO_READ, fd, rbuf, gbuf, sizeof(rbuf), 0, o);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, o[i].err);
		EXPECT_EQ(8, o[i].ret);
	}
	EXPECT_EQ(0, memcmp(rbuf, "abcdefgh", 8));
	EXPECT_EQ(0, memcmp(gbuf, "abcdefgh", 8));
	close_both(rp);
	close_both(gp);
}

/*
 * POSIX aio_read: EINVAL for an invalid offset "may be detected
 * synchronously ... or asynchronously". Here the two differ, both within
 * POSIX: ref refuses a negative offset at once (-EINVAL, nothing queued),
 * glibc queues it and reports EINVAL later (pread(2)) (5.1: only
 * io_uring_setup, no request reaches the kernel).
 */
TEST(negative_offset_einval_now_in_ref_later_in_glibc)
{
	unsigned char rbuf[64], gbuf[64];
	struct paio_case_outcome g;
	struct ref_paio ctx;
	struct ref_aiocb rcb;
	struct aiocb gcb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("5.1", "aio_read",
			"POSIX aio_read() EINVAL: invalid offset, detected "
			"now or later (glibc/POSIX behaviour, ref on "
			"io_uring_setup)");
	CONFORM_REQUIRE_URING();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_paio_init(&ctx, 4));
	rcb = ref_paio_case_cb(LIO_READ, fd, rbuf, sizeof(rbuf), -1);
	EXPECT_EQ(-EINVAL, ref_paio_read(&ctx, &rcb));
	posix_aio_prep(&gcb, fd, gbuf, sizeof(gbuf), -1);
	ASSERT_EQ(0, posix_aio_case_run(PAIO_READ, &gcb, &g));
	EXPECT_EQ(EINVAL, g.err);
	EXPECT_EQ(-1, g.ret);
	ref_paio_free(&ctx);
	close(fd);
}

TEST_HARNESS_MAIN
