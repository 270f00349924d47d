// SPDX-License-Identifier: MIT
/*
 * uring/clone-buffers: IORING_REGISTER_CLONE_BUFFERS (6.12, struct
 * io_uring_clone_buffers), copying the registered-buffer table of a source
 * ring into another ring. Covered: a READ_FIXED on the destination lands
 * in the source's buffer memory, the clone outlives the source ring, a
 * source without buffers (ENXIO), a destination with buffers (EBUSY)
 * unless IORING_REGISTER_DST_REPLACE (6.13), the src_off / dst_off / nr
 * range (6.13) and its EINVAL / EOVERFLOW, IORING_REGISTER_SRC_REGISTERED
 * (6.12, src_fd is a registered ring index), a src_fd that is not open
 * (EBADF) or not a ring (EOPNOTSUPP), unknown flags, non-zero pad and
 * nr_args other than 1 (EINVAL). Sources: io_uring_clone_buffers(3),
 * io_uring_register(2), kernel commits 7cc2a6eadcd7 ("io_uring: add
 * IORING_REGISTER_COPY_BUFFERS method"), c1329532d5aa ("io_uring/rsrc:
 * allow cloning with node replacements"), io_uring/rsrc.c
 * io_register_clone_buffers / io_clone_buffers.
 */
#include <liburing.h>
#include <ref/uapi.h>
#include <sys/uio.h>

#include "conform_uring.h"

enum { NBUF = 4, BUF_LEN = 4096 };

/* NBUF page-sized buffers in one anonymous mapping, with their iovecs. */
struct bufs {
	unsigned char *mem;
	struct iovec iov[NBUF];
};

static int bufs_map(struct bufs *b)
{
	b->mem = uring_anon_buf((size_t)NBUF * BUF_LEN);
	if (!b->mem)
		return -1;
	for (int i = 0; i < NBUF; i++) {
		b->iov[i].iov_base = b->mem + (size_t)i * BUF_LEN;
		b->iov[i].iov_len = BUF_LEN;
	}
	return 0;
}

static void bufs_unmap(struct bufs *b)
{
	if (b->mem)
		munmap(b->mem, (size_t)NBUF * BUF_LEN);
}

/*
 * IORING_REGISTER_CLONE_BUFFERS on dst_fd from src_fd with the flags and
 * range given: as the system call returns (0, or -1 with errno).
 */
static int clone_raw(int dst_fd, unsigned int src_fd, unsigned int flags,
		     unsigned int src_off, unsigned int dst_off,
		     unsigned int nr)
{
	struct ref_io_uring_clone_buffers arg;

	memset(&arg, 0, sizeof(arg));
	arg.src_fd = src_fd;
	arg.flags = flags;
	arg.src_off = src_off;
	arg.dst_off = dst_off;
	arg.nr = nr;
	return conform_sys_io_uring_register(dst_fd,
					     REF_IORING_REGISTER_CLONE_BUFFERS,
					     &arg, 1);
}

/* A READ_FIXED of len bytes at file offset 0 into addr, buffer idx: the
 * CQE's res (or the submit's or wait's negative error). */
static int read_fixed(struct io_uring *ring, int fd, void *addr,
		      unsigned int len, int idx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_read_fixed(sqe, fd, addr, len, 0, idx);
	io_uring_sqe_set_data64(sqe, 0xc10e);
	return uring_submit_res_or_error(ring);
}

/*
 * The probe for a clone: NULL if, from a source ring with two registered
 * buffers, a clone with the flags and nr given succeeds on a destination
 * ring that has (dst_has_bufs) or has not buffers of its own; else why
 * not, naming what.
 */
static const char *clone_variant_missing(unsigned int flags, unsigned int nr,
					 bool dst_has_bufs, const char *what)
{
	const char *why = conform_uring_unavailable();
	struct io_uring src, dst;
	struct bufs b;
	int ret = -1, err = 0;

	if (why)
		return why;
	if (bufs_map(&b))
		return CONFORM_ENV "mmap of the probe's buffers failed";
	if (io_uring_queue_init(2, &src, 0)) {
		bufs_unmap(&b);
		return CONFORM_ENV "io_uring_queue_init failed";
	}
	if (io_uring_queue_init(2, &dst, 0)) {
		io_uring_queue_exit(&src);
		bufs_unmap(&b);
		return CONFORM_ENV "io_uring_queue_init failed";
	}
	if (uring_register_raw(&src, IORING_REGISTER_BUFFERS, b.iov, 2) ||
	    (dst_has_bufs &&
	     uring_register_raw(&dst, IORING_REGISTER_BUFFERS, &b.iov[2], 1))) {
		why = CONFORM_ENV "IORING_REGISTER_BUFFERS failed (RLIMIT_MEMLOCK?)";
	} else {
		ret = clone_raw(dst.ring_fd, src.ring_fd, flags, 0, 0, nr);
		err = errno;
	}
	io_uring_queue_exit(&dst);
	io_uring_queue_exit(&src);
	bufs_unmap(&b);
	if (why || ret == 0)
		return why;
	snprintf(conform_why, sizeof(conform_why),
		 "%s: a clone (flags 0x%x, nr %u) from a ring with 2 buffers onto one %s buffers failed: %s (not supported by this kernel)",
		 what, flags, nr, dst_has_bufs ? "with" : "without",
		 strerror(err));
	return conform_why;
}

#define REQUIRE_CLONE()                                                        \
	CONFORM_REQUIRE(clone_variant_missing(0, 0, false,                     \
					      "IORING_REGISTER_CLONE_BUFFERS"))
#define REQUIRE_DST_REPLACE()                                                  \
	REQUIRE_CLONE();                                                       \
	CONFORM_REQUIRE(clone_variant_missing(REF_IORING_REGISTER_DST_REPLACE, \
					      0, true,                         \
					      "IORING_REGISTER_DST_REPLACE"))
#define REQUIRE_CLONE_RANGE()                                                  \
	REQUIRE_CLONE();                                                       \
	CONFORM_REQUIRE(clone_variant_missing(0, 1, false,                     \
					      "IORING_REGISTER_CLONE_BUFFERS nr (range)"))

/*
 * The fixture most tests share: a patterned 16 KiB temp file, a source
 * ring with the first nsrc buffers of *b registered, and a destination
 * ring without buffers. Returns the file's fd.
 */
static int setup_pair(struct __test_metadata *_metadata, struct bufs *b,
		      unsigned int nsrc, struct io_uring *src,
		      struct io_uring *dst)
{
	int fd = conform_temp_file(16384, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bufs_map(b));
	ASSERT_EQ(0, io_uring_queue_init(4, src, 0));
	ASSERT_EQ(0, io_uring_queue_init(4, dst, 0));
	if (nsrc)
		ASSERT_EQ(0, uring_register_raw(src, IORING_REGISTER_BUFFERS,
						b->iov, nsrc));
	return fd;
}

static void teardown_pair(struct bufs *b, struct io_uring *src,
			  struct io_uring *dst, int fd)
{
	io_uring_queue_exit(dst);
	io_uring_queue_exit(src);
	bufs_unmap(b);
	close(fd);
}

/*
 * io_uring_clone_buffers(3): after the clone "src and dst will have the
 * same set of registered buffers"; a READ_FIXED on the destination ring,
 * which registered nothing itself, reads into the memory of the source's
 * buffer 1 (since 6.12).
 */
TEST(destination_reads_into_cloned_source_buffer)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring_clone_buffers(3)");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	ASSERT_EQ(0, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0, 0));
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[1].iov_base, BUF_LEN, 1));
	EXPECT_TRUE(conform_check_pattern(b.iov[1].iov_base, BUF_LEN, 0));
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring_clone_buffers(3): the clone "is identical to performing a
 * io_uring_register_buffers(3) operation on the dst ring": the
 * destination's table is its own, and stays usable after the source
 * unregisters its buffers and is closed (since 6.12).
 */
TEST(cloned_buffers_outlive_source_ring)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring_clone_buffers(3) identical to registering "
			"on dst");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	ASSERT_EQ(0, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0, 0));
	ASSERT_EQ(0, uring_register_raw(&src, IORING_UNREGISTER_BUFFERS,
					NULL, 0));
	io_uring_queue_exit(&src);
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[0].iov_base, BUF_LEN, 0));
	EXPECT_TRUE(conform_check_pattern(b.iov[0].iov_base, BUF_LEN, 0));
	/* teardown_pair() closes src again: make it a ring that exists. */
	ASSERT_EQ(0, io_uring_queue_init(2, &src, 0));
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring_clone_buffers(3) ERRORS: "-ENXIO The source ring doesn't have
 * any buffers registered" (since 6.12).
 */
TEST(source_without_buffers_gets_enxio)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring_clone_buffers(3) -ENXIO");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 0, &src, &dst);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0, 0));
	EXPECT_EQ(ENXIO, errno);
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring_clone_buffers(3) ERRORS: "-EBUSY The destination ring already
 * has buffers registered" (since 6.12).
 */
TEST(destination_with_buffers_gets_ebusy)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring_clone_buffers(3) -EBUSY");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	ASSERT_EQ(0, uring_register_raw(&dst, IORING_REGISTER_BUFFERS,
					&b.iov[3], 1));
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0, 0));
	EXPECT_EQ(EBUSY, errno);
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring_clone_buffers_offset(3) IORING_REGISTER_DST_REPLACE: "cloning
 * may happen for a destination ring that already has a buffer table
 * assigned. In that case, existing nodes that overlap with the specified
 * range will be released and replaced": the destination's slot 1 (its own
 * buffer 3) is replaced by the source's buffer 1, its slots 0 and 2
 * (outside the range) are kept (since 6.13, kernel commit c1329532d5aa;
 * slots after the range were dropped until commit 525916ce4966, "destination
 * entries after the cloned range are not copied over", 6.19 and 6.18.y).
 */
TEST(dst_replace_replaces_only_the_range)
{
	struct io_uring src, dst;
	struct iovec own[3];
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_DST_REPLACE",
			"io_uring_clone_buffers_offset(3) "
			"IORING_REGISTER_DST_REPLACE; kernel commit c1329532d5aa");
	REQUIRE_DST_REPLACE();
	CONFORM_REQUIRE(clone_variant_missing(0, 1, false,
					      "IORING_REGISTER_CLONE_BUFFERS nr (range)"));
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	/* The destination's own table: buffer 2, buffer 3, buffer 2. */
	own[0] = b.iov[2];
	own[1] = b.iov[3];
	own[2] = b.iov[2];
	ASSERT_EQ(0, uring_register_raw(&dst, IORING_REGISTER_BUFFERS, own, 3));
	ASSERT_EQ(0, clone_raw(dst.ring_fd, src.ring_fd,
			       REF_IORING_REGISTER_DST_REPLACE, 1, 1, 1));
	/* Slot 1 is now the source's buffer 1, no longer buffer 3. */
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[1].iov_base, BUF_LEN, 1));
	EXPECT_TRUE(conform_check_pattern(b.iov[1].iov_base, BUF_LEN, 0));
	EXPECT_EQ(-EFAULT, read_fixed(&dst, fd, b.iov[3].iov_base, BUF_LEN, 1));
	/* Slots 0 and 2 still hold the destination's buffer 2. */
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[2].iov_base, BUF_LEN, 0));
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[2].iov_base, BUF_LEN, 2))
		TH_LOG("the slot after the replaced range was dropped (fixed by kernel commit 525916ce4966)");
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring_clone_buffers_offset(3): "src_off indicates at what offset
 * cloning should start in the source, dst_off ... in the destination, and
 * nr indicates how many buffers to clone": source slots 1 and 2 become
 * destination slots 1 and 2; slots 0 and 3 of the destination stay empty,
 * and a READ_FIXED naming them fails with -EFAULT (since 6.13).
 */
TEST(range_clones_only_the_given_slots)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring_clone_buffers_offset(3) src_off dst_off nr");
	REQUIRE_CLONE_RANGE();
	fd = setup_pair(_metadata, &b, NBUF, &src, &dst);
	ASSERT_EQ(0, clone_raw(dst.ring_fd, src.ring_fd, 0, 1, 1, 2));
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[1].iov_base, BUF_LEN, 1));
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[2].iov_base, BUF_LEN, 2));
	EXPECT_EQ(-EFAULT, read_fixed(&dst, fd, b.iov[0].iov_base, BUF_LEN, 0));
	EXPECT_EQ(-EFAULT, read_fixed(&dst, fd, b.iov[3].iov_base, BUF_LEN, 3));
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring/rsrc.c io_clone_buffers: a range must lie inside the source's
 * table: nr larger than the table gets EINVAL, src_off + nr past its end
 * EOVERFLOW, offsets without nr EINVAL, and a dst_off + nr that wraps
 * around 32 bits EOVERFLOW; nothing is cloned (since 6.13, kernel commit
 * b16e920a1909 "io_uring/rsrc: allow cloning at an offset").
 */
TEST(range_outside_tables_gets_einval_or_eoverflow)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring/rsrc.c io_clone_buffers range checks; kernel "
			"commit b16e920a1909");
	REQUIRE_CLONE_RANGE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0, 3));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 1, 0, 2));
	EXPECT_EQ(EOVERFLOW, errno);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 1, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0xffffffffU, 1));
	EXPECT_EQ(EOVERFLOW, errno);
	EXPECT_EQ(-EFAULT, read_fixed(&dst, fd, b.iov[0].iov_base, BUF_LEN, 0));
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring/rsrc.c io_clone_buffers: a destination range that ends beyond
 * the largest buffer table a ring may have gets EINVAL rather than an
 * attempt to allocate it (since 6.16, kernel commit 1d27f11bf02b
 * "io_uring/rsrc: validate buffer count with offset for cloning"; from
 * 6.13 to 6.15 the allocation was tried, and failed with ENOMEM).
 */
TEST(dst_range_beyond_table_limit_gets_einval)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.16", "IORING_REGISTER_CLONE_BUFFERS",
			"kernel commit 1d27f11bf02b io_uring/rsrc: validate "
			"buffer count with offset for cloning");
	REQUIRE_CLONE_RANGE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 0, 0, 0x7fffffff, 1));
	EXPECT_EQ(EINVAL, errno);
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * <linux/io_uring.h> IORING_REGISTER_SRC_REGISTERED: "src_fd is a
 * registered ring index" (IORING_REGISTER_RING_FDS); the clone finds the
 * source through this task's slot (since 6.12).
 */
TEST(src_registered_takes_registered_ring_index)
{
	struct io_uring_rsrc_update up;
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_SRC_REGISTERED",
			"linux/io_uring.h IORING_REGISTER_SRC_REGISTERED; "
			"kernel commit 7cc2a6eadcd7");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	memset(&up, 0, sizeof(up));
	up.offset = -1U;
	up.data = (__u64)src.ring_fd;
	ASSERT_EQ(1, uring_register_raw(&src, IORING_REGISTER_RING_FDS, &up, 1));
	EXPECT_EQ(0, clone_raw(dst.ring_fd, up.offset,
			       REF_IORING_REGISTER_SRC_REGISTERED, 0, 0, 0));
	EXPECT_EQ(BUF_LEN, read_fixed(&dst, fd, b.iov[1].iov_base, BUF_LEN, 1));
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring/register.c io_uring_register_get_file: a src_fd that is not
 * open gets EBADF, one open on a file that is not an io_uring EOPNOTSUPP
 * (since 6.12).
 */
TEST(source_not_a_ring_gets_ebadf_or_eopnotsupp)
{
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring/register.c io_uring_register_get_file");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, (unsigned int)conform_bad_fd(),
				0, 0, 0, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, (unsigned int)fd, 0, 0, 0, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring/rsrc.c io_register_clone_buffers: flags other than
 * IORING_REGISTER_SRC_REGISTERED and IORING_REGISTER_DST_REPLACE get
 * EINVAL, as does a non-zero pad word (since 6.12; pad[2] of the 6.13
 * layout is pad[5] of 6.12's, reserved on both).
 */
TEST(unknown_flag_or_nonzero_pad_gets_einval)
{
	struct ref_io_uring_clone_buffers arg;
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring/rsrc.c io_register_clone_buffers flags pad");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	EXPECT_EQ(-1, clone_raw(dst.ring_fd, src.ring_fd, 1U << 7, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	memset(&arg, 0, sizeof(arg));
	arg.src_fd = src.ring_fd;
	arg.pad[2] = 1;
	EXPECT_EQ(-1, uring_register_raw(&dst, REF_IORING_REGISTER_CLONE_BUFFERS,
					 &arg, 1));
	EXPECT_EQ(EINVAL, errno);
	teardown_pair(&b, &src, &dst, fd);
}

/*
 * io_uring/register.c __io_uring_register: IORING_REGISTER_CLONE_BUFFERS
 * takes one argument block; nr_args other than 1, or no block, gets
 * EINVAL (since 6.12).
 */
TEST(nr_args_not_one_gets_einval)
{
	struct ref_io_uring_clone_buffers arg;
	struct io_uring src, dst;
	struct bufs b;
	int fd;

	CONFORM_DECLARE("6.12", "IORING_REGISTER_CLONE_BUFFERS",
			"io_uring/register.c __io_uring_register "
			"IORING_REGISTER_CLONE_BUFFERS");
	REQUIRE_CLONE();
	fd = setup_pair(_metadata, &b, 2, &src, &dst);
	memset(&arg, 0, sizeof(arg));
	arg.src_fd = src.ring_fd;
	EXPECT_EQ(-1, uring_register_raw(&dst, REF_IORING_REGISTER_CLONE_BUFFERS,
					 &arg, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&dst, REF_IORING_REGISTER_CLONE_BUFFERS,
					 &arg, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&dst, REF_IORING_REGISTER_CLONE_BUFFERS,
					 NULL, 1));
	EXPECT_EQ(EINVAL, errno);
	teardown_pair(&b, &src, &dst, fd);
}

TEST_HARNESS_MAIN
