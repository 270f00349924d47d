// SPDX-License-Identifier: MIT
/*
 * aio/preadv-pwritev: vectored IOCB_CMD_PREADV and IOCB_CMD_PWRITEV on a
 * regular file, through the raw system calls and <linux/aio_abi.h>: aio_buf
 * points at an array of struct iovec and aio_nbytes is the count of entries.
 * Sources: io_submit(2) (aio_lio_opcode values), readv(2)/writev(2) for the
 * transfer results and iovec errors, Linux 2.6.19 (vectored AIO opcodes).
 */
#include <sys/uio.h>

#include "conform_aio.h"

#define FILE_SIZE 8192

/* writev(2): buffers are written in array order as one contiguous run; IOCB_CMD_PWRITEV res is the total (since 2.6.19). */
TEST(pwritev_gathers_buffers_in_order)
{
	static char a[100], c[3000], back[3100];
	struct iovec iov[3];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PWRITEV",
			"writev(2): buffers written in array order; IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(0, 0);
	ASSERT_LE(0, fd);
	conform_fill_pattern(a, sizeof(a), 512);
	conform_fill_pattern(c, sizeof(c), 512 + sizeof(a));
	iov[0] = (struct iovec){ a, sizeof(a) };
	iov[1] = (struct iovec){ NULL, 0 };	/* an empty segment is skipped */
	iov[2] = (struct iovec){ c, sizeof(c) };
	aio_prep_rw(&cb, IOCB_CMD_PWRITEV, fd, iov, 3, 512, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(sizeof(a) + sizeof(c), (size_t)ev.res);
	EXPECT_EQ(sizeof(back), pread(fd, back, sizeof(back), 512));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 512));
	close(fd);
}

/* readv(2): data is read into the buffers in array order, each filled before the next; res is the total (since 2.6.19). */
TEST(preadv_scatters_in_order)
{
	static char a[10], b[1000], c[3000];
	struct iovec iov[3] = {
		{ a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) },
	};
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"readv(2): buffers filled in array order; IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(FILE_SIZE, 0);
	ASSERT_LE(0, fd);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, fd, iov, 3, 7, 0);
	cb.aio_data = 0xabcdef0123456789ULL;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(sizeof(a) + sizeof(b) + sizeof(c), (size_t)ev.res);
	EXPECT_EQ(0xabcdef0123456789ULL, ev.data);
	EXPECT_EQ((__u64)(unsigned long)&cb, ev.obj);
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 7));
	EXPECT_TRUE(conform_check_pattern(b, sizeof(b), 7 + sizeof(a)));
	EXPECT_TRUE(conform_check_pattern(c, sizeof(c), 7 + sizeof(a) + sizeof(b)));
	close(fd);
}

/*
 * readv(2): a vectored read that meets end of file returns fewer bytes than
 * requested, filling the buffers in order up to it (since 2.6.19).
 */
TEST(preadv_across_eof_fills_in_order)
{
	static char a[3000], b[3000];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"readv(2): a short read fills the buffers in order; IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	memset(b, 0xee, sizeof(b));
	aio_prep_rw(&cb, IOCB_CMD_PREADV, fd, iov, 2, 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(4096, ev.res);
	EXPECT_TRUE(conform_check_pattern(a, sizeof(a), 0));
	EXPECT_TRUE(conform_check_pattern(b, 4096 - sizeof(a), sizeof(a)));
	/* Nothing written past the short count. */
	EXPECT_EQ((char)0xee, b[4096 - sizeof(a)]);
	close(fd);
}

/* readv(2) EINVAL: "iovcnt is ... greater than the permitted maximum" (UIO_MAXIOV, 1024); io_submit(2) returns it (since 2.6.19). */
TEST(preadv_with_too_many_iovecs_gets_einval)
{
	enum { COUNT = 1025 };	/* UIO_MAXIOV + 1 */
	static char byte[COUNT];
	struct iovec *iov;
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"readv(2) EINVAL: iovcnt above UIO_MAXIOV; IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	iov = calloc(COUNT, sizeof(*iov));
	ASSERT_NE(NULL, iov);
	for (int i = 0; i < COUNT; i++)
		iov[i] = (struct iovec){ &byte[i], 1 };
	fd = conform_temp_file(FILE_SIZE, 0);
	ASSERT_LE(0, fd);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, fd, iov, COUNT, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	free(iov);
}

/* readv(2) EINVAL: "The sum of the iov_len values overflows an ssize_t value" (a single SIZE_MAX length) (since 2.6.19). */
TEST(preadv_with_oversized_iov_len_gets_einval)
{
	static char buf[16];
	struct iovec iov[1] = { { buf, SIZE_MAX } };
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"readv(2) EINVAL: the sum of iov_len overflows ssize_t; IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(FILE_SIZE, 0);
	ASSERT_LE(0, fd);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, fd, iov, 1, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/* io_submit(2) EFAULT: "One of the data structures points to invalid data": an iovec array in inaccessible (PROT_NONE) memory (since 2.6.19). */
TEST(preadv_with_inaccessible_iovec_array_gets_efault)
{
	struct io_event ev;
	struct iocb cb;
	long page = sysconf(_SC_PAGESIZE);
	void *hole;
	int fd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"io_submit(2) EFAULT: a data structure points to invalid data; IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	/* Kept mapped but inaccessible, so no later mapping can reuse it. */
	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	fd = conform_temp_file(FILE_SIZE, 0);
	ASSERT_LE(0, fd);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, fd, hole, 2, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
	munmap(hole, page);
}

/* writev(2) EBADF: fd not open for writing; io_submit(2) returns EBADF for IOCB_CMD_PWRITEV on a read-only fd (since 2.6.19). */
TEST(pwritev_on_read_only_fd_gets_ebadf)
{
	static char buf[64];
	struct iovec iov[1] = { { buf, sizeof(buf) } };
	struct io_event ev;
	struct iocb cb;
	int fd, rfd;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PWRITEV",
			"writev(2) EBADF: fd not open for writing, reported by io_submit(2); IOCB_CMD_PREADV/PWRITEV since 2.6.19 (Add vector AIO support)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(FILE_SIZE, 0);
	ASSERT_LE(0, fd);
	rfd = conform_reopen(fd, O_RDONLY);
	if (rfd < 0)
		SKIP(close(fd); return, CONFORM_ENV "cannot reopen through /proc/self/fd: %s",
		     strerror(errno));
	aio_prep_rw(&cb, IOCB_CMD_PWRITEV, rfd, iov, 1, 0, 0);
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EBADF, errno);
	close(rfd);
	close(fd);
}

TEST_HARNESS_MAIN
