// SPDX-License-Identifier: MIT
/*
 * uring/fadvise: IORING_OP_FADVISE (Linux 5.6), the asynchronous
 * posix_fadvise(2). The SQE carries the offset in off, the length in len
 * (32 bits) and the advice in fadvise_advice; since 6.11 a nonzero addr is
 * a 64-bit length that replaces len (before, a set addr is refused with
 * EINVAL). Covered: res 0 for each POSIX_FADV_* advice; off and len (and
 * addr) delimiting the range, seen through POSIX_FADV_DONTNEED dropping
 * exactly those cached pages (mincore(2)); the errors posix_fadvise(2)
 * documents (EINVAL unknown advice, ESPIPE on a pipe, EBADF) and the
 * kernel's (EINVAL negative length, a set buf_index). Sources:
 * posix_fadvise(2), io_uring_prep_fadvise(3), kernel commits "io_uring:
 * add IORING_OP_FADVISE" (4840e418c2fc, 5.6) and "io_uring/advise:
 * support 64-bit lengths" (3b87184f7eff, 6.11), mm/fadvise.c.
 */
#include <liburing.h>

#include "conform_uring.h"

#define REQUIRE_FADVISE() CONFORM_REQUIRE_URING_OP(IORING_OP_FADVISE)

enum { NPAGES = 8 };

/* An IORING_OP_FADVISE SQE: fd, off, len (32 bits), advice; all else 0. */
static void prep_fadvise(struct io_uring_sqe *sqe, int fd, __u64 off,
			 __u32 len, int advice)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_FADVISE;
	sqe->fd = fd;
	sqe->off = off;
	sqe->len = len;
	sqe->fadvise_advice = (__u32)advice;
}

/* Run one fadvise request (len64 goes to addr) on a ring of its own. */
static int uring_fadvise64(int fd, __u64 off, __u32 len, __u64 len64,
			   int advice)
{
	struct io_uring_sqe sqe;

	prep_fadvise(&sqe, fd, off, len, advice);
	sqe.addr = len64;
	return uring_run_one_sqe_res(&sqe);
}

static int uring_fadvise(int fd, __u64 off, __u32 len, int advice)
{
	return uring_fadvise64(fd, off, len, 0, advice);
}

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/*
 * A file of NPAGES pages of the pattern in the private directory, written
 * back (fsync) so that its cached pages are clean and POSIX_FADV_DONTNEED
 * can drop them. The fd, or -1.
 */
static int clean_cached_file(void)
{
	int fd = conform_temp_file((size_t)NPAGES * page_size(), 0);

	if (fd >= 0 && fsync(fd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Which of the file's NPAGES pages are in the page cache, as a bit mask
 * (bit i: page i), through mincore(2) on a fresh read-only mapping (which
 * maps nothing by itself); -1 on error.
 */
static int cached_pages(int fd)
{
	size_t len = (size_t)NPAGES * page_size();
	unsigned char vec[NPAGES];
	void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	int mask = 0;

	if (map == MAP_FAILED)
		return -1;
	if (mincore(map, len, vec) < 0) {
		munmap(map, len);
		return -1;
	}
	munmap(map, len);
	for (int i = 0; i < NPAGES; i++)
		if (vec[i] & 1)
			mask |= 1 << i;
	return mask;
}

/* Read the whole file so that every page is cached again. */
static int cache_all(int fd)
{
	char buf[4096];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0)
		off += n;
	return n < 0 ? -1 : 0;
}

/*
 * NULL when POSIX_FADV_DONTNEED through posix_fadvise(2) itself drops the
 * clean cached pages of a file in TMPDIR (a disk filesystem such as ext4
 * does; tmpfs and DAX ignore the advice); else why not (CONFORM_ENV).
 */
static const char *dontneed_unseen(void)
{
	int fd = clean_cached_file(), before, after;

	if (fd < 0)
		return CONFORM_ENV "cannot make a written-back file in TMPDIR";
	before = cache_all(fd) ? -1 : cached_pages(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	after = cached_pages(fd);
	close(fd);
	if (before == (1 << NPAGES) - 1 && after == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 CONFORM_ENV "posix_fadvise(2) POSIX_FADV_DONTNEED does not drop the cached pages of a file in TMPDIR (cached before 0x%x, after 0x%x): the filesystem ignores it",
		 before, after);
	return conform_why;
}

/*
 * Which reading of sqe->addr this kernel has, found with a request that
 * leaves nothing behind (POSIX_FADV_NORMAL, addr 4096, len 0): 1 when it
 * completes with 0 (addr is a 64-bit length, 6.11), 0 when it gets -EINVAL
 * (addr must be zero, 5.6 to 6.10), -1 for anything else.
 */
static int addr_is_64bit_length(void)
{
	int fd = conform_temp_file(4096, 0), res;

	if (fd < 0)
		return -1;
	res = uring_fadvise64(fd, 0, 0, 4096, POSIX_FADV_NORMAL);
	close(fd);
	return res == 0 ? 1 : res == -EINVAL ? 0 : -1;
}

/* Skip unless this kernel reads addr as a 64-bit length (6.11). */
#define REQUIRE_FADVISE64()                                                    \
	do {                                                                   \
		REQUIRE_FADVISE();                                             \
		if (addr_is_64bit_length() != 1)                               \
			SKIP(return, "IORING_OP_FADVISE with addr set (a 64-bit length) and len 0 does not complete with 0: no 64-bit lengths (added in 6.11)"); \
	} while (0)

/*
 * posix_fadvise(2): advice is one of POSIX_FADV_NORMAL, _SEQUENTIAL,
 * _RANDOM, _NOREUSE, _WILLNEED, _DONTNEED; RETURN VALUE: "On success, zero
 * is returned". Each completes with res 0 on a regular file
 * (IORING_OP_FADVISE, since 5.6).
 */
TEST(fadvise_each_advice_gets_zero)
{
	static const int advice[] = {
		POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
		POSIX_FADV_NOREUSE, POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,
	};
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE",
			"posix_fadvise(2) DESCRIPTION and RETURN VALUE; io_uring_prep_fadvise(3)");
	REQUIRE_FADVISE();
	fd = conform_temp_file(4 * 4096, 0);
	ASSERT_LE(0, fd);
	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		EXPECT_EQ(0, uring_fadvise(fd, 0, 4 * 4096, advice[i]))
			TH_LOG("advice %d", advice[i]);
	}
	close(fd);
}

/*
 * io_uring_prep_fadvise(3): the request "start[s] an fadvise operation at
 * offset and of len length in bytes": off is the offset, len the length.
 * POSIX_FADV_DONTNEED over pages 2..4 of a written-back file drops just
 * those pages from the page cache (mincore(2)) and leaves the others
 * (IORING_OP_FADVISE, since 5.6).
 */
TEST(fadvise_dontneed_drops_only_the_off_len_range)
{
	long ps = page_size();
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE",
			"io_uring_prep_fadvise(3) offset and len; posix_fadvise(2) POSIX_FADV_DONTNEED");
	REQUIRE_FADVISE();
	CONFORM_REQUIRE(dontneed_unseen());
	fd = clean_cached_file();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, cache_all(fd));
	ASSERT_EQ((1 << NPAGES) - 1, cached_pages(fd));
	EXPECT_EQ(0, uring_fadvise(fd, 2 * ps, 3 * ps, POSIX_FADV_DONTNEED));
	EXPECT_EQ(((1 << NPAGES) - 1) & ~(7 << 2), cached_pages(fd));
	close(fd);
}

/*
 * posix_fadvise(2) EINVAL: "An invalid value was specified for advice"
 * (IORING_OP_FADVISE, since 5.6).
 */
TEST(fadvise_unknown_advice_gets_einval)
{
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE",
			"posix_fadvise(2) EINVAL invalid advice");
	REQUIRE_FADVISE();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	/* 12345: no POSIX_FADV_* value. */
	EXPECT_EQ(-EINVAL, uring_fadvise(fd, 0, 4096, 12345));
	close(fd);
}

/*
 * posix_fadvise(2) ESPIPE: "The specified file descriptor refers to a pipe
 * or FIFO" (IORING_OP_FADVISE, since 5.6).
 */
TEST(fadvise_on_pipe_gets_espipe)
{
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE", "posix_fadvise(2) ESPIPE");
	REQUIRE_FADVISE();
	ASSERT_EQ(0, conform_pipe(p));
	EXPECT_EQ(-ESPIPE, uring_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL));
	EXPECT_EQ(-ESPIPE, uring_fadvise(p[1], 0, 0, POSIX_FADV_DONTNEED));
	close(p[0]);
	close(p[1]);
}

/*
 * posix_fadvise(2) EBADF: "The fd argument was not a valid file
 * descriptor" (IORING_OP_FADVISE, since 5.6).
 */
TEST(fadvise_bad_fd_gets_ebadf)
{
	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE", "posix_fadvise(2) EBADF");
	REQUIRE_FADVISE();
	EXPECT_EQ(-EBADF, uring_fadvise(conform_bad_fd(), 0, 0,
					POSIX_FADV_NORMAL));
}

/*
 * Kernel commit 4840e418c2fc ("io_uring: add IORING_OP_FADVISE", 5.6):
 * the request uses no buffer; its prep refuses a set buf_index with EINVAL
 * (io_fadvise_prep(), io_uring/advise.c; since 5.6).
 */
TEST(fadvise_with_buf_index_set_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE",
			"commit 4840e418c2fc (5.6): io_fadvise_prep refuses buf_index");
	REQUIRE_FADVISE();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	prep_fadvise(&sqe, fd, 0, 4096, POSIX_FADV_NORMAL);
	sqe.buf_index = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(fd);
}

/*
 * The addr field changed meaning. From 5.6 (commit 4840e418c2fc) it must
 * be zero: a set addr is refused with EINVAL, whatever len holds. Since
 * 6.11 (commit 3b87184f7eff, "Older kernels will return -EINVAL if 64-bit
 * support isn't available"; io_uring_prep_fadvise(3) fadvise64) a nonzero
 * addr is the length. The variant is probed (addr 4096, len 0); on a
 * pre-6.11 kernel the test asserts the refusal also with len set, on a
 * newer one that the same request with len set completes with 0.
 */
TEST(fadvise_addr_is_refused_or_read_as_64bit_length)
{
	int fd, variant;

	CONFORM_DECLARE("5.6", "IORING_OP_FADVISE",
			"commit 4840e418c2fc (5.6); commit 3b87184f7eff (6.11): io_uring/advise: support 64-bit lengths");
	REQUIRE_FADVISE();
	variant = addr_is_64bit_length();
	ASSERT_LE(0, variant) TH_LOG("addr 4096, len 0: neither 0 nor -EINVAL");
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	if (variant) {
		TH_LOG("kernel reads addr as a 64-bit length (6.11 and later)");
		EXPECT_EQ(0, uring_fadvise64(fd, 0, 4096, 4096,
					     POSIX_FADV_NORMAL));
	} else {
		TH_LOG("kernel refuses a set addr (before 6.11)");
		EXPECT_EQ(-EINVAL, uring_fadvise64(fd, 0, 4096, 4096,
						   POSIX_FADV_NORMAL));
	}
	close(fd);
}

/*
 * Commit 3b87184f7eff ("io_uring/advise: support 64-bit lengths", 6.11):
 * with addr nonzero it is the length (io_uring_prep_fadvise64(3) "takes a
 * 64-bit length"). POSIX_FADV_DONTNEED with off at page 1 and addr three
 * pages (len 0) drops pages 1..3 only (since 6.11).
 */
TEST(fadvise_64bit_length_in_addr_delimits_the_range)
{
	long ps = page_size();
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_FADVISE",
			"io_uring_prep_fadvise64(3); commit 3b87184f7eff (6.11)");
	REQUIRE_FADVISE64();
	CONFORM_REQUIRE(dontneed_unseen());
	fd = clean_cached_file();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, cache_all(fd));
	ASSERT_EQ((1 << NPAGES) - 1, cached_pages(fd));
	EXPECT_EQ(0, uring_fadvise64(fd, ps, 0, 3 * ps, POSIX_FADV_DONTNEED));
	EXPECT_EQ(((1 << NPAGES) - 1) & ~(7 << 1), cached_pages(fd));
	close(fd);
}

/*
 * Since 6.11 the kernel reads addr before len (io_fadvise_prep(): len is
 * used only when addr is zero), although the commit message of
 * 3b87184f7eff says "If sqe->len is set, then that is used as the 32-bit
 * length". With both set, POSIX_FADV_DONTNEED at page 1 with len one page
 * and addr four pages drops pages 1..4: addr wins (since 6.11).
 */
TEST(fadvise_64bit_length_in_addr_overrides_len)
{
	long ps = page_size();
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_FADVISE",
			"io_uring/advise.c io_fadvise_prep (6.11); commit 3b87184f7eff");
	REQUIRE_FADVISE64();
	CONFORM_REQUIRE(dontneed_unseen());
	fd = clean_cached_file();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, cache_all(fd));
	ASSERT_EQ((1 << NPAGES) - 1, cached_pages(fd));
	EXPECT_EQ(0, uring_fadvise64(fd, ps, ps, 4 * ps, POSIX_FADV_DONTNEED));
	EXPECT_EQ(((1 << NPAGES) - 1) & ~(15 << 1), cached_pages(fd));
	close(fd);
}

/*
 * mm/fadvise.c generic_fadvise(): a negative length is refused with
 * EINVAL. Only the 64-bit length in addr (6.11) can be negative: addr
 * (__u64)-1 gets -EINVAL (since 6.11).
 */
TEST(fadvise_negative_64bit_length_gets_einval)
{
	int fd;

	CONFORM_DECLARE("6.11", "IORING_OP_FADVISE",
			"mm/fadvise.c generic_fadvise len < 0; commit 3b87184f7eff (6.11)");
	REQUIRE_FADVISE64();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_fadvise64(fd, 0, 0, (__u64)-1,
					   POSIX_FADV_NORMAL));
	close(fd);
}

TEST_HARNESS_MAIN
