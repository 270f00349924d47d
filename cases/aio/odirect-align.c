// SPDX-License-Identifier: MIT
/*
 * aio/odirect-align: the alignment rules of O_DIRECT as native AIO meets
 * them, through the raw system calls and <linux/aio_abi.h>, on a file in
 * TMPDIR (the guests' ext4 disk). open(2) O_DIRECT: the flag "may impose
 * alignment restrictions on the length and address of user-space buffers
 * and the file offset of I/Os", misaligned I/O "can either fail with
 * EINVAL or fall back to buffered I/O" (ext4 fails it), and on block
 * filesystems "the file offset and the length and memory address of all
 * I/O segments" must be multiples of, since 2.6.0, "the logical block
 * size of the block device"; statx(2) STATX_DIOALIGN (6.1) reports what a
 * file needs (stx_dio_mem_align for memory, stx_dio_offset_align for
 * offsets and lengths). A misaligned read or write is accepted by
 * io_submit and completes with res -EINVAL, the read(2)/write(2) EINVAL:
 * fs/aio.c hands whatever the file's read_iter/write_iter returns to the
 * event (aio_rw_done()); the alignment is checked there, not at
 * submission. Aligned transfers are in
 * direct-io.c (4096-aligned); here they are aligned to exactly what the
 * rules ask. tmpfs is skipped: it refuses O_DIRECT before 6.6 and
 * ignores alignment since.
 * Sources: open(2) O_DIRECT, read(2)/write(2) EINVAL, statx(2)
 * STATX_DIOALIGN (commit 825cf206ed51 "statx: add direct I/O alignment
 * information", 6.1), readv(2), fs/aio.c aio_read()/aio_write().
 */
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <linux/magic.h>

#include "conform_aio.h"

#define FILE_SIZE (256 << 10)
#define BUF_SIZE (64 << 10)

/* The O_DIRECT file of a test and the alignments it needs. */
struct dio_file {
	int fd;			/* O_RDWR | O_DIRECT */
	int bfd;		/* the same file, buffered */
	unsigned int lbs;	/* logical block size of the device, 0 unknown */
	unsigned int mem_align;	/* from statx, else lbs */
	unsigned int off_align;	/* from statx, else lbs */
	bool from_statx;	/* STATX_DIOALIGN reported */
	bool ext4;		/* TMPDIR is ext4 */
	long fs_block;		/* st_blksize */
	unsigned char *mem;	/* 2 * BUF_SIZE + 4096 bytes, 4096-aligned */
};

/* An unsigned number from a sysfs file, or 0. */
static unsigned int sysfs_number(const char *path)
{
	long v = conform_read_sysctl(path);

	return v > 0 ? (unsigned int)v : 0;
}

/* The logical block size of the device of st_dev (the disk, or the disk
 * of a partition), from sysfs; 0 when unknown. */
static unsigned int logical_block_size(dev_t dev)
{
	char path[128];
	unsigned int v;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/logical_block_size",
		 major(dev), minor(dev));
	v = sysfs_number(path);
	if (v)
		return v;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/logical_block_size",
		 major(dev), minor(dev));
	return sysfs_number(path);
}

/*
 * Make FILE_SIZE bytes of the pattern in TMPDIR, open it O_DIRECT and
 * buffered, and find the alignments it needs: NULL, or why not (tmpfs,
 * O_DIRECT refused, alignments unknown). The name is unlinked.
 */
static const char *dio_open(struct dio_file *f)
{
	static char why[400];
	struct statx stx;
	struct statfs sfs;
	struct stat st;
	char path[300];
	void *mem = NULL;
	int err;

	memset(f, 0, sizeof(*f));
	f->fd = f->bfd = -1;
	conform_tmppath(path, sizeof(path), "odirect.XXXXXX");
	if (statfs(conform_tmpdir(), &sfs) == 0 && sfs.f_type == TMPFS_MAGIC)
		return CONFORM_ENV "TMPDIR is tmpfs: O_DIRECT there is refused (before 6.6) or has no alignment rules";
	f->ext4 = sfs.f_type == EXT4_SUPER_MAGIC;
	f->bfd = mkostemp(path, O_CLOEXEC);
	if (f->bfd < 0 || conform_write_pattern(f->bfd, FILE_SIZE) < 0 ||
	    fsync(f->bfd) < 0) {
		snprintf(why, sizeof(why), CONFORM_ENV "cannot make %s: %s", path,
			 strerror(errno));
		if (f->bfd >= 0) {
			unlink(path);
			close(f->bfd);
		}
		return why;
	}
	f->fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	err = errno;
	unlink(path);
	if (f->fd < 0) {
		close(f->bfd);
		snprintf(why, sizeof(why), CONFORM_ENV "open(O_DIRECT) in %s: %s",
			 conform_tmpdir(), strerror(err));
		return why;
	}
	if (fstat(f->fd, &st) == 0) {
		f->lbs = logical_block_size(st.st_dev);
		f->fs_block = st.st_blksize;
	}
	memset(&stx, 0, sizeof(stx));
	if (statx(f->fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) == 0 &&
	    (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align) {
		f->from_statx = true;
		f->mem_align = stx.stx_dio_mem_align;
		f->off_align = stx.stx_dio_offset_align;
	} else {
		f->mem_align = f->off_align = f->lbs;
	}
	if (!f->off_align || posix_memalign(&mem, 4096, 2 * BUF_SIZE + 4096)) {
		close(f->fd);
		close(f->bfd);
		return CONFORM_ENV "cannot tell the O_DIRECT alignment: no STATX_DIOALIGN and no /sys/dev/block/<dev>/queue/logical_block_size";
	}
	f->mem = mem;
	return NULL;
}

static void dio_close(struct dio_file *f)
{
	free(f->mem);
	close(f->fd);
	close(f->bfd);
}

/* Submit one iocb alone and return its event's res (the event is
 * ASSERTed to come); io_submit must accept it. */
static long long submit_res(struct __test_metadata *_metadata, struct iocb *cb)
{
	struct io_event ev;
	long ret = aio_submit_and_reap(_metadata, cb, &ev);

	if (ret != 1)
		TH_LOG("io_submit refused the request: %s", strerror(errno));
	EXPECT_EQ(1, ret);
	return ret == 1 ? (long long)ev.res : LLONG_MIN;
}

/*
 * open(2) O_DIRECT: "In Linux 2.6.0, this was relaxed to the logical block
 * size of the block device (typically 512 bytes)": a read of
 * one logical block, at an offset that is a multiple of it but not of the
 * filesystem's block size, into a buffer aligned to it but not to a page,
 * completes with the block's data (since 2.6). Needs a device whose
 * logical block is smaller than the filesystem block (the guests' disk:
 * 512 and 4096).
 */
TEST(logical_block_alignment_suffices)
{
	struct dio_file f;
	struct iocb cb;
	unsigned int lbs;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"open(2) O_DIRECT: in Linux 2.6.0 relaxed to the logical block size of the block device");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	lbs = f.lbs;
	if (!lbs || (long)lbs >= f.fs_block || (f.from_statx && f.mem_align > lbs)) {
		dio_close(&f);
		SKIP(return, CONFORM_ENV "logical block %u, filesystem block %ld, memory alignment %u: no alignment between them to try",
		     lbs, f.fs_block, f.mem_align);
	}
	aio_prep_rw(&cb, IOCB_CMD_PREAD, f.fd, f.mem + lbs, lbs, 3 * lbs, 1);
	EXPECT_EQ(lbs, submit_res(_metadata, &cb));
	EXPECT_TRUE(conform_check_pattern(f.mem + lbs, lbs, 3 * lbs));
	dio_close(&f);
}

/*
 * statx(2) STATX_DIOALIGN (6.1): I/O whose buffer is aligned to
 * stx_dio_mem_align and whose offset and length are multiples of
 * stx_dio_offset_align is supported: a write then a read, each of
 * stx_dio_offset_align bytes at that offset, from and into buffers aligned
 * to exactly stx_dio_mem_align (not to twice it, when that is below a
 * page), complete with the byte count and the data round-trips (since
 * 6.1, when ext4 reports it).
 */
TEST(statx_dioalign_alignment_suffices)
{
	struct dio_file f;
	struct iocb cb;
	unsigned int mem, off;
	unsigned char *out, *in;

	CONFORM_DECLARE("6.1", "STATX_DIOALIGN",
			"statx(2) STATX_DIOALIGN: stx_dio_mem_align, stx_dio_offset_align; commit 825cf206ed51 (6.1): statx: add direct I/O alignment information");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	if (!f.from_statx) {
		dio_close(&f);
		if (f.ext4)
			SKIP(return, "statx reports no STATX_DIOALIGN for an ext4 file (ext4 has it since 6.1)");
		SKIP(return, CONFORM_ENV "statx reports no STATX_DIOALIGN for a file of TMPDIR's filesystem");
	}
	mem = f.mem_align ? f.mem_align : 1;
	off = f.off_align;
	TH_LOG("stx_dio_mem_align %u, stx_dio_offset_align %u", mem, off);
	ASSERT_LE(off, BUF_SIZE);
	/* mem past a 4096 boundary is aligned to mem, not to 2 * mem when
	 * that is at most 4096. */
	out = f.mem + (mem < 4096 ? mem : 0);
	in = f.mem + BUF_SIZE + 4096 + (mem < 4096 ? mem : 0);
	conform_fill_pattern(out, off, 123456);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, f.fd, out, off, 5 * off, 2);
	EXPECT_EQ(off, submit_res(_metadata, &cb));
	memset(in, 0, off);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, f.fd, in, off, 5 * off, 3);
	EXPECT_EQ(off, submit_res(_metadata, &cb));
	EXPECT_TRUE(conform_check_pattern(in, off, 123456));
	dio_close(&f);
}

/* A length of at least two pages and a whole number of alignment units. */
static unsigned int two_pages(const struct dio_file *f)
{
	unsigned int len = 8192;

	return (len + f->off_align - 1) / f->off_align * f->off_align;
}

/*
 * read(2) EINVAL: "the file was opened with the O_DIRECT flag, and either
 * the address specified in buf, the value specified in count, or the file
 * offset is not suitably aligned". A buffer one byte past an aligned
 * address, for a read of two pages: io_submit accepts the read and its
 * event carries res -EINVAL (fs/aio.c aio_rw_done() reports the
 * read_iter's error in the event), and the buffer is untouched (since
 * 2.6). The read spans pages because a kernel may accept a misaligned
 * buffer whose transfer stays inside one page (the suite's 6.18 host
 * does); see misaligned_buffer_inside_a_page_matches_pread.
 */
TEST(misaligned_buffer_read_completes_with_einval)
{
	struct dio_file f;
	struct iocb cb;
	unsigned int len;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"read(2) EINVAL: O_DIRECT with buf not suitably aligned; open(2) O_DIRECT; fs/aio.c aio_rw_done() puts the error in res");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	if (f.mem_align <= 1) {
		dio_close(&f);
		SKIP(return, CONFORM_ENV "stx_dio_mem_align is %u: any buffer address is aligned", f.mem_align);
	}
	len = two_pages(&f);
	ASSERT_GE(2 * BUF_SIZE, len + 1);
	memset(f.mem, 0x5a, len + 1);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, f.fd, f.mem + 1, len, 0, 4);
	EXPECT_EQ(-EINVAL, submit_res(_metadata, &cb));
	for (unsigned int i = 1; i <= len; i++)
		if (f.mem[i] != 0x5a) {
			TH_LOG("buffer byte %u was written", i);
			EXPECT_EQ(0x5a, f.mem[i]);
			break;
		}
	dio_close(&f);
}

/*
 * The same misalignment for a read that stays inside one page: one
 * alignment unit into a buffer one byte past a page start. 5.10, 6.1,
 * 6.12 and 7.2 refuse it (EINVAL, as read(2) documents); the 6.18 kernel
 * of the suite's host accepts it (there only the pieces a transfer is cut
 * into at page boundaries must be whole units, though statx reports
 * stx_dio_mem_align 512). Whichever applies,
 * IOCB_CMD_PREAD must do what pread(2) does on the same file, as fs/aio.c
 * aio_read() calls the same read_iter: res -EINVAL, or the byte count
 * with the data (since 2.6).
 */
TEST(misaligned_buffer_inside_a_page_matches_pread)
{
	struct dio_file f;
	struct iocb cb;
	unsigned int len;
	long long res;
	ssize_t sync;
	int err;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"read(2) EINVAL: O_DIRECT with buf not suitably aligned; fs/aio.c aio_read() calls read_iter as pread(2) does");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	len = f.off_align;
	if (f.mem_align <= 1 || len + 1 > 4096) {
		dio_close(&f);
		SKIP(return, CONFORM_ENV "stx_dio_mem_align %u, offset alignment %u: no misaligned read fits in a page",
		     f.mem_align, len);
	}
	errno = 0;
	sync = pread(f.fd, f.mem + 1, len, 2 * len);
	err = errno;
	memset(f.mem, 0, len + 1);
	aio_prep_rw(&cb, IOCB_CMD_PREAD, f.fd, f.mem + 1, len, 2 * len, 9);
	res = submit_res(_metadata, &cb);
	if (sync < 0) {
		TH_LOG("pread: %s: the buffer address must be aligned", strerror(err));
		EXPECT_EQ(EINVAL, err);
		EXPECT_EQ(-EINVAL, res);
	} else {
		TH_LOG("pread: %zd bytes: a misaligned buffer inside one page is accepted",
		       sync);
		EXPECT_EQ(len, sync);
		EXPECT_EQ(len, res);
		EXPECT_TRUE(conform_check_pattern(f.mem + 1, len, 2 * len));
	}
	dio_close(&f);
}

/*
 * read(2) EINVAL for an O_DIRECT count that is not suitably aligned: a
 * read of one and a half alignment units at an aligned offset into an
 * aligned buffer completes with res -EINVAL (since 2.6).
 */
TEST(misaligned_length_read_completes_with_einval)
{
	struct dio_file f;
	struct iocb cb;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"read(2) EINVAL: O_DIRECT with count not suitably aligned; fs/aio.c aio_rw_done() puts the error in res");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, f.fd, f.mem, f.off_align + f.off_align / 2,
		    f.off_align, 5);
	EXPECT_EQ(-EINVAL, submit_res(_metadata, &cb));
	dio_close(&f);
}

/*
 * read(2) EINVAL for an O_DIRECT file offset that is not suitably
 * aligned: a read of one alignment unit at half a unit completes with res
 * -EINVAL (since 2.6).
 */
TEST(misaligned_offset_read_completes_with_einval)
{
	struct dio_file f;
	struct iocb cb;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PREAD",
			"read(2) EINVAL: O_DIRECT with the file offset not suitably aligned; fs/aio.c aio_rw_done() puts the error in res");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, f.fd, f.mem, f.off_align,
		    f.off_align / 2, 6);
	EXPECT_EQ(-EINVAL, submit_res(_metadata, &cb));
	dio_close(&f);
}

/*
 * write(2) EINVAL: "fd ... was opened with the O_DIRECT flag, and either
 * the address specified in buf, the value specified in count, or the file
 * offset is not suitably aligned". An O_DIRECT write at a misaligned
 * offset completes with res -EINVAL and writes nothing: the file keeps its
 * bytes and its size (since 2.6).
 */
TEST(misaligned_write_completes_with_einval_and_writes_nothing)
{
	static unsigned char back[8192];
	struct dio_file f;
	struct iocb cb;
	struct stat st;
	unsigned int off;

	CONFORM_DECLARE("2.6", "IOCB_CMD_PWRITE",
			"write(2) EINVAL: O_DIRECT with the file offset not suitably aligned; fs/aio.c aio_rw_done() puts the error in res");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	off = f.off_align;
	ASSERT_LE(2 * off, sizeof(back));
	memset(f.mem, 0xa5, off);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, f.fd, f.mem, off, off + off / 2, 7);
	EXPECT_EQ(-EINVAL, submit_res(_metadata, &cb));
	ASSERT_EQ((ssize_t)(2 * off), pread(f.bfd, back, 2 * off, off));
	EXPECT_TRUE(conform_check_pattern(back, 2 * off, off));
	ASSERT_EQ(0, fstat(f.bfd, &st));
	EXPECT_EQ(FILE_SIZE, st.st_size);
	dio_close(&f);
}

/*
 * open(2) O_DIRECT: "the length and memory address of all I/O segments"
 * must be aligned. A vector of two segments, each in an aligned buffer,
 * whose lengths are half a unit and one and a half units (a whole-unit
 * total): kernels refuse it (EINVAL); a kernel that accepted segments
 * which only add up to an aligned length would read it. Whichever applies, IOCB_CMD_PREADV must do what
 * preadv(2) does on the same file: fs/aio.c aio_read() passes the same
 * iovec to the same read_iter. The variant preadv shows is asserted: res
 * -EINVAL, or res = the total with the data in both segments (PREADV
 * since 2.6.19).
 */
TEST(vector_of_misaligned_segments_matches_preadv)
{
	struct dio_file f;
	struct iovec iov[2];
	struct iocb cb;
	unsigned int half;
	ssize_t sync;
	long long res;
	int err;

	CONFORM_DECLARE("2.6.19", "IOCB_CMD_PREADV",
			"open(2) O_DIRECT: length and address of all I/O segments aligned; readv(2); fs/aio.c aio_read() hands the iovec to read_iter as preadv(2) does");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(dio_open(&f));
	half = f.off_align / 2;
	iov[0].iov_base = f.mem;
	iov[0].iov_len = half;
	iov[1].iov_base = f.mem + BUF_SIZE;
	iov[1].iov_len = f.off_align + half;
	errno = 0;
	sync = preadv(f.fd, iov, 2, 2 * f.off_align);
	err = errno;
	memset(f.mem, 0, 2 * BUF_SIZE);
	aio_prep_rw(&cb, IOCB_CMD_PREADV, f.fd, iov, 2, 2 * f.off_align, 8);
	res = submit_res(_metadata, &cb);
	if (sync < 0) {
		TH_LOG("preadv: %s: segments must each be aligned", strerror(err));
		EXPECT_EQ(EINVAL, err);
		EXPECT_EQ(-EINVAL, res);
	} else {
		TH_LOG("preadv: %zd bytes: segments need only add up to an aligned length",
		       sync);
		EXPECT_EQ(2 * f.off_align, sync);
		EXPECT_EQ(2 * f.off_align, res);
		EXPECT_TRUE(conform_check_pattern(f.mem, half, 2 * f.off_align));
		EXPECT_TRUE(conform_check_pattern(f.mem + BUF_SIZE, f.off_align + half,
						  2 * f.off_align + half));
	}
	dio_close(&f);
}

TEST_HARNESS_MAIN
