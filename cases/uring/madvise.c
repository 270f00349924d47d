// SPDX-License-Identifier: MIT
/*
 * uring/madvise: IORING_OP_MADVISE (Linux 5.6), the asynchronous madvise(2)
 * on the submitter's address space. The SQE carries the address in addr,
 * the length in len (32 bits) and the advice in fadvise_advice; since 6.11
 * a nonzero off is a 64-bit length that replaces len (before, a set off is
 * refused with EINVAL). Covered: MADV_DONTNEED really dropping anonymous
 * private pages (they read back as zeros) over exactly addr..addr+len; res
 * 0 for the common advice values; the errors madvise(2) documents (EINVAL
 * unaligned address, EINVAL unknown advice, ENOMEM unmapped range) and the
 * kernel's (EINVAL set buf_index). Sources: madvise(2),
 * io_uring_prep_madvise(3), kernel commits "io_uring: add
 * IORING_OP_MADVISE" (c1ca757bd6f4, 5.6) and "io_uring/advise: support
 * 64-bit lengths" (3b87184f7eff, 6.11).
 */
#include <liburing.h>

#include "conform_uring.h"

#define REQUIRE_MADVISE() CONFORM_REQUIRE_URING_OP(IORING_OP_MADVISE)

enum { NPAGES = 6 };

/* An IORING_OP_MADVISE SQE: addr, len (32 bits), advice; all else 0. */
static void prep_madvise(struct io_uring_sqe *sqe, void *addr, __u32 len,
			 int advice)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_MADVISE;
	sqe->fd = -1;
	sqe->addr = (__u64)(uintptr_t)addr;
	sqe->len = len;
	sqe->fadvise_advice = (__u32)advice;
}

/* Run one madvise request (len64 goes to off) on a ring of its own. */
static int uring_madvise64(void *addr, __u32 len, __u64 len64, int advice)
{
	struct io_uring_sqe sqe;

	prep_madvise(&sqe, addr, len, advice);
	sqe.off = len64;
	return uring_run_one_sqe_res(&sqe);
}

static int uring_madvise(void *addr, __u32 len, int advice)
{
	return uring_madvise64(addr, len, 0, advice);
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* NPAGES anonymous private pages, each filled with the pattern; or NULL. */
static unsigned char *filled_pages(void)
{
	unsigned char *p = uring_anon_buf(NPAGES * page_size());

	if (p)
		conform_fill_pattern(p, NPAGES * page_size(), 0);
	return p;
}

/*
 * Which of the NPAGES pages at p read back as all zeros, as a bit mask
 * (bit i: page i); the others must still hold the pattern, else -1.
 */
static int zeroed_pages(const unsigned char *p)
{
	size_t ps = page_size();
	int mask = 0;

	for (int i = 0; i < NPAGES; i++) {
		const unsigned char *pg = p + i * ps;
		bool zero = true;

		for (size_t k = 0; k < ps && zero; k++)
			zero = pg[k] == 0;
		if (zero)
			mask |= 1 << i;
		else if (!conform_check_pattern(pg, ps, i * ps))
			return -1;
	}
	return mask;
}

/*
 * Which reading of sqe->off this kernel has, found with a request that
 * changes nothing (MADV_NORMAL, off one page, len 0): 1 when it completes
 * with 0 (off is a 64-bit length, 6.11), 0 when it gets -EINVAL (off must
 * be zero, 5.6 to 6.10), -1 for anything else.
 */
static int off_is_64bit_length(void)
{
	void *p = uring_anon_buf(page_size());
	int res;

	if (!p)
		return -1;
	res = uring_madvise64(p, 0, page_size(), MADV_NORMAL);
	munmap(p, page_size());
	return res == 0 ? 1 : res == -EINVAL ? 0 : -1;
}

/* Skip unless this kernel reads off as a 64-bit length (6.11). */
#define REQUIRE_MADVISE64()                                                    \
	do {                                                                   \
		REQUIRE_MADVISE();                                             \
		if (off_is_64bit_length() != 1)                                \
			SKIP(return, "IORING_OP_MADVISE with off set (a 64-bit length) and len 0 does not complete with 0: no 64-bit lengths (added in 6.11)"); \
	} while (0)

/*
 * madvise(2) MADV_DONTNEED: "subsequent accesses of pages in the range
 * will succeed, but will result in ... zero-fill-on-demand pages for
 * anonymous private mappings". Over pages 1..3 (addr one page in, len
 * three pages) of six filled pages: res 0, exactly those read back as
 * zeros and the others keep their data (IORING_OP_MADVISE, since 5.6).
 */
TEST(madvise_dontneed_zeroes_anonymous_private_pages_in_range)
{
	size_t ps = page_size();
	unsigned char *p;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"madvise(2) MADV_DONTNEED; io_uring_prep_madvise(3)");
	REQUIRE_MADVISE();
	ASSERT_NE(NULL, p = filled_pages());
	EXPECT_EQ(0, uring_madvise(p + ps, 3 * ps, MADV_DONTNEED));
	EXPECT_EQ(7 << 1, zeroed_pages(p));
	munmap(p, NPAGES * ps);
}

/*
 * madvise(2) RETURN VALUE: "On success, madvise() returns zero":
 * MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL and MADV_WILLNEED on an
 * anonymous and on a file mapping complete with 0 and leave the data
 * (IORING_OP_MADVISE, since 5.6).
 */
TEST(madvise_common_advice_on_mappings_gets_zero)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
	};
	size_t ps = page_size();
	unsigned char *anon, *file;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"madvise(2) RETURN VALUE; io_uring_prep_madvise(3)");
	REQUIRE_MADVISE();
	ASSERT_NE(NULL, anon = filled_pages());
	fd = conform_temp_file(NPAGES * ps, 0);
	ASSERT_LE(0, fd);
	file = mmap(NULL, NPAGES * ps, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, file);
	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		EXPECT_EQ(0, uring_madvise(anon, NPAGES * ps, advice[i]))
			TH_LOG("anonymous, advice %d", advice[i]);
		EXPECT_EQ(0, uring_madvise(file, NPAGES * ps, advice[i]))
			TH_LOG("file, advice %d", advice[i]);
	}
	EXPECT_EQ(0, zeroed_pages(anon));
	EXPECT_TRUE(conform_check_pattern(file, NPAGES * ps, 0));
	munmap(file, NPAGES * ps);
	close(fd);
	munmap(anon, NPAGES * ps);
}

/*
 * madvise(2) EINVAL: "addr is not page-aligned or length is negative";
 * the pages are left as they were (IORING_OP_MADVISE, since 5.6).
 */
TEST(madvise_unaligned_address_gets_einval)
{
	size_t ps = page_size();
	unsigned char *p;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"madvise(2) EINVAL addr not page-aligned");
	REQUIRE_MADVISE();
	ASSERT_NE(NULL, p = filled_pages());
	EXPECT_EQ(-EINVAL, uring_madvise(p + 1, ps, MADV_DONTNEED));
	EXPECT_EQ(0, zeroed_pages(p));
	munmap(p, NPAGES * ps);
}

/*
 * madvise(2) EINVAL: "advice is not valid" (IORING_OP_MADVISE, since 5.6).
 */
TEST(madvise_unknown_advice_gets_einval)
{
	size_t ps = page_size();
	unsigned char *p;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"madvise(2) EINVAL advice not valid");
	REQUIRE_MADVISE();
	ASSERT_NE(NULL, p = filled_pages());
	/* 12345: no MADV_* value. */
	EXPECT_EQ(-EINVAL, uring_madvise(p, ps, 12345));
	EXPECT_EQ(0, zeroed_pages(p));
	munmap(p, NPAGES * ps);
}

/*
 * madvise(2) ENOMEM: "Addresses in the specified range are not currently
 * mapped". The middle page of a three-page mapping is unmapped after the
 * ring exists (so that no ring mapping can take its place): madvise of
 * that page alone, and of the whole three pages, get -ENOMEM
 * (IORING_OP_MADVISE, since 5.6).
 */
TEST(madvise_unmapped_range_gets_enomem)
{
	size_t ps = page_size();
	struct io_uring ring;
	struct io_uring_sqe sqe;
	unsigned char *p;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"madvise(2) ENOMEM range not mapped");
	REQUIRE_MADVISE();
	ASSERT_EQ(0, io_uring_queue_init(2, &ring, 0));
	ASSERT_NE(NULL, p = uring_anon_buf(3 * ps));
	ASSERT_EQ(0, munmap(p + ps, ps));
	prep_madvise(&sqe, p + ps, ps, MADV_NORMAL);
	EXPECT_EQ(-ENOMEM, uring_run_sqe_res(&ring, &sqe));
	prep_madvise(&sqe, p, 3 * ps, MADV_DONTNEED);
	EXPECT_EQ(-ENOMEM, uring_run_sqe_res(&ring, &sqe));
	munmap(p, ps);
	munmap(p + 2 * ps, ps);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit c1ca757bd6f4 ("io_uring: add IORING_OP_MADVISE", 5.6):
 * the request uses no buffer; its prep refuses a set buf_index with
 * EINVAL (io_madvise_prep(), io_uring/advise.c; since 5.6).
 */
TEST(madvise_with_buf_index_set_gets_einval)
{
	size_t ps = page_size();
	struct io_uring_sqe sqe;
	unsigned char *p;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"commit c1ca757bd6f4 (5.6): io_madvise_prep refuses buf_index");
	REQUIRE_MADVISE();
	ASSERT_NE(NULL, p = filled_pages());
	prep_madvise(&sqe, p, ps, MADV_DONTNEED);
	sqe.buf_index = 1;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	EXPECT_EQ(0, zeroed_pages(p));
	munmap(p, NPAGES * ps);
}

/*
 * The off field changed meaning. From 5.6 (commit c1ca757bd6f4) it must be
 * zero: a set off is refused with EINVAL, whatever len holds. Since 6.11
 * (commit 3b87184f7eff: "Older kernels will return -EINVAL if 64-bit
 * support isn't available"; io_uring_prep_madvise(3) madvise64) a nonzero
 * off is the length. The variant is probed (MADV_NORMAL, off one page,
 * len 0); on a pre-6.11 kernel the test asserts the refusal of an
 * MADV_DONTNEED with len also set, which drops nothing; on a newer one
 * that it completes with 0.
 */
TEST(madvise_off_is_refused_or_read_as_64bit_length)
{
	size_t ps = page_size();
	unsigned char *p;
	int variant;

	CONFORM_DECLARE("5.6", "IORING_OP_MADVISE",
			"commit c1ca757bd6f4 (5.6); commit 3b87184f7eff (6.11): io_uring/advise: support 64-bit lengths");
	REQUIRE_MADVISE();
	variant = off_is_64bit_length();
	ASSERT_LE(0, variant) TH_LOG("off one page, len 0: neither 0 nor -EINVAL");
	ASSERT_NE(NULL, p = filled_pages());
	if (variant) {
		TH_LOG("kernel reads off as a 64-bit length (6.11 and later)");
		EXPECT_EQ(0, uring_madvise64(p, ps, ps, MADV_DONTNEED));
		EXPECT_EQ(1, zeroed_pages(p));
	} else {
		TH_LOG("kernel refuses a set off (before 6.11)");
		EXPECT_EQ(-EINVAL, uring_madvise64(p, ps, ps, MADV_DONTNEED));
		EXPECT_EQ(0, zeroed_pages(p));
	}
	munmap(p, NPAGES * ps);
}

/*
 * Commit 3b87184f7eff ("io_uring/advise: support 64-bit lengths", 6.11):
 * with off nonzero it is the length (io_uring_prep_madvise64(3) takes a
 * 64-bit length). MADV_DONTNEED at page 2 with off two pages (len 0)
 * zeroes pages 2..3 only (since 6.11).
 */
TEST(madvise_64bit_length_in_off_delimits_the_range)
{
	size_t ps = page_size();
	unsigned char *p;

	CONFORM_DECLARE("6.11", "IORING_OP_MADVISE",
			"io_uring_prep_madvise64(3); commit 3b87184f7eff (6.11)");
	REQUIRE_MADVISE64();
	ASSERT_NE(NULL, p = filled_pages());
	EXPECT_EQ(0, uring_madvise64(p + 2 * ps, 0, 2 * ps, MADV_DONTNEED));
	EXPECT_EQ(3 << 2, zeroed_pages(p));
	munmap(p, NPAGES * ps);
}

/*
 * Since 6.11 the kernel reads off before len (io_madvise_prep(): len is
 * used only when off is zero), although the commit message of
 * 3b87184f7eff says "If sqe->len is set, then that is used as the 32-bit
 * length". With both set, MADV_DONTNEED at page 1 with len one page and
 * off four pages zeroes pages 1..4: off wins (since 6.11).
 */
TEST(madvise_64bit_length_in_off_overrides_len)
{
	size_t ps = page_size();
	unsigned char *p;

	CONFORM_DECLARE("6.11", "IORING_OP_MADVISE",
			"io_uring/advise.c io_madvise_prep (6.11); commit 3b87184f7eff");
	REQUIRE_MADVISE64();
	ASSERT_NE(NULL, p = filled_pages());
	EXPECT_EQ(0, uring_madvise64(p + ps, ps, 4 * ps, MADV_DONTNEED));
	EXPECT_EQ(15 << 1, zeroed_pages(p));
	munmap(p, NPAGES * ps);
}

TEST_HARNESS_MAIN
