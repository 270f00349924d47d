// SPDX-License-Identifier: MIT
/*
 * aio/rwf-new-flags: the per-request RWF_* flags newer than those of
 * aio/rw-flags, in iocb.aio_rw_flags of native AIO reads and writes, through
 * the raw system calls and <linux/aio_abi.h>:
 *   RWF_NOAPPEND (6.9): a write at aio_offset on an O_APPEND descriptor;
 *     EINVAL together with RWF_APPEND; EPERM on an append-only inode;
 *   RWF_ATOMIC (6.11): an untorn O_DIRECT write of a power-of-two length
 *     within the unit limits statx(2) STATX_WRITE_ATOMIC reports (EINVAL in
 *     res otherwise), EOPNOTSUPP for a read or a file without support;
 *   RWF_DONTCACHE (6.14): buffered I/O that leaves no cached copy of what
 *     it read; EOPNOTSUPP for a file whose filesystem lacks it (a pipe);
 *   RWF_NOSIGNAL (6.16): a write to a pipe or socket without reader gets
 *     -EPIPE in res and raises no SIGPIPE (which a plain write does).
 * A kernel without a flag refuses it like any unknown flag: io_submit
 * fails with EOPNOTSUPP (include/linux/fs.h kiocb_set_rw_flags(); an unknown
 * bit is in aio/rw-flags). The flags of ATOMIC and DONTCACHE also give
 * EOPNOTSUPP for a file that cannot do them, so whether the kernel knows
 * one is probed apart (rwf_unknown()).
 * Sources: the uapi comments of <linux/fs.h> (7.2), pwritev2(2) RWF_*
 * flags, io_submit(2) aio_rw_flags, statx(2) STATX_WRITE_ATOMIC, commits
 * 73fa7547c70b (6.9) "vfs: add RWF_NOAPPEND flag for pwritev2", c34fc6f26ab8
 * (6.11) "fs: Initial atomic write support", (6.14) "fs: add RWF_DONTCACHE
 * iocb and FOP_DONTCACHE file_operations flag", (6.16) "fs: add
 * RWF_NOSIGNAL flag for pwritev2".
 */
#include <sys/uio.h>
#include <linux/fs.h>
#include <ref/uapi.h>

#include "conform_aio.h"

/*
 * NULL when this kernel knows the RWF_* flag (a REF_RWF_* value), else why
 * not. The flag goes with RWF_APPEND | RWF_NOAPPEND on a 1-byte write to a
 * pipe: kiocb_set_rw_flags() first refuses bits it does not know
 * (EOPNOTSUPP), then that pair (EINVAL, since 6.9), and only then looks at
 * what the file supports (ATOMIC, DONTCACHE: EOPNOTSUPP again), so EINVAL
 * says the flag is known whatever the file. All four flags here are newer
 * than that check.
 */
static const char *rwf_unknown(unsigned int flag, const char *name)
{
	static char one[1] = { 'k' };
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	const char *why = conform_aio_unavailable();
	long ret;
	int p[2], err;

	if (why)
		return why;
	if (strncmp(name, "REF_", 4) == 0)
		name += 4;
	if (conform_pipe(p))
		return CONFORM_ENV "cannot make a pipe for the RWF_* probe";
	if (aio_sys_setup(1, &ctx) < 0) {
		close(p[0]);
		close(p[1]);
		return CONFORM_ENV "io_setup for the RWF_* probe failed";
	}
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], one, 1, 0, 0);
	cb.aio_rw_flags = flag | RWF_APPEND | REF_RWF_NOAPPEND;
	ret = aio_sys_submit(ctx, 1, list);
	err = errno;
	if (ret == 1)
		aio_sys_getevents(ctx, 1, 1, &ev, &bound);
	aio_sys_destroy(ctx);
	close(p[0]);
	close(p[1]);
	if (ret < 0 && err == EINVAL)
		return NULL;
	if (ret < 0 && err == EOPNOTSUPP)
		snprintf(conform_why, sizeof(conform_why),
			 "io_submit(PWRITE, %s | RWF_APPEND | RWF_NOAPPEND): EOPNOTSUPP, not the EINVAL of the APPEND/NOAPPEND pair: %s%s is unknown to this kernel",
			 name, name, strcmp(name, "RWF_NOAPPEND") ? " (or the older RWF_NOAPPEND)" : "");
	else
		snprintf(conform_why, sizeof(conform_why),
			 "io_submit(PWRITE, %s | RWF_APPEND | RWF_NOAPPEND) gave %ld (%s): cannot tell whether the kernel knows %s",
			 name, ret, ret < 0 ? strerror(err) : "queued", name);
	return conform_why;
}

#define REQUIRE_RWF(flag) CONFORM_REQUIRE(rwf_unknown(flag, #flag))

/* The SIGPIPE state of this test child: blocked, and whether one is
 * pending. Blocking it first keeps a wrongly raised signal from killing
 * the child before the test can report it. */
static void block_sigpipe(struct __test_metadata *_metadata)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
}

static bool sigpipe_pending(void)
{
	sigset_t pend;

	return sigpending(&pend) == 0 && sigismember(&pend, SIGPIPE) == 1;
}

/* ------------------------------------------------------------------ */
/* RWF_NOAPPEND (6.9)                                                   */
/* ------------------------------------------------------------------ */

/*
 * <linux/fs.h> RWF_NOAPPEND, "per-IO negation of O_APPEND" (6.9, commit
 * 73fa7547c70b): a write on an O_APPEND descriptor lands at aio_offset, as
 * POSIX pwrite() would, instead of at the end: res is the byte count, the
 * bytes at 1000 are replaced and the file keeps its size.
 */
TEST(noappend_write_on_o_append_fd_lands_at_offset)
{
	static char out[100], back[8192];
	struct io_event ev;
	struct iocb cb;
	struct stat st;
	int fd, afd;

	CONFORM_DECLARE("6.9", "RWF_NOAPPEND",
			"<linux/fs.h> RWF_NOAPPEND per-IO negation of O_APPEND; pwritev2(2); commit 73fa7547c70b (6.9): vfs: add RWF_NOAPPEND flag for pwritev2");
	REQUIRE_RWF(REF_RWF_NOAPPEND);
	ASSERT_LE(0, fd = conform_temp_file(8192, 0));
	afd = conform_reopen(fd, O_WRONLY | O_APPEND);
	if (afd < 0) {
		close(fd);
		SKIP(return, CONFORM_ENV "cannot reopen the file O_APPEND through /proc/self/fd: %s",
		     strerror(errno));
	}
	conform_fill_pattern(out, sizeof(out), 50000);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, afd, out, sizeof(out), 1000, 0);
	cb.aio_rw_flags = REF_RWF_NOAPPEND;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(8192, st.st_size);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, 1000, 0));
	EXPECT_TRUE(conform_check_pattern(back + 1000, sizeof(out), 50000));
	EXPECT_TRUE(conform_check_pattern(back + 1100, 8192 - 1100, 1100));
	close(afd);
	close(fd);
}

/*
 * include/linux/fs.h kiocb_set_rw_flags(): RWF_APPEND and RWF_NOAPPEND
 * contradict each other, and the pair is refused with EINVAL (added with
 * RWF_NOAPPEND, 6.9, commit 73fa7547c70b): io_submit fails and the file is
 * unchanged.
 */
TEST(append_with_noappend_gets_einval)
{
	static char out[100], back[4096];
	struct io_event ev;
	struct iocb cb;
	struct stat st;
	int fd;

	CONFORM_DECLARE("6.9", "RWF_NOAPPEND",
			"include/linux/fs.h kiocb_set_rw_flags(): RWF_APPEND with RWF_NOAPPEND is EINVAL; commit 73fa7547c70b (6.9): vfs: add RWF_NOAPPEND flag for pwritev2");
	REQUIRE_RWF(REF_RWF_NOAPPEND);
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	memset(out, 0xee, sizeof(out));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, sizeof(out), 0, 0);
	cb.aio_rw_flags = RWF_APPEND | REF_RWF_NOAPPEND;
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(fd);
}

/*
 * An append-only inode (chattr +a, FS_APPEND_FL) may only be written in
 * append mode; kiocb_set_rw_flags() therefore refuses RWF_NOAPPEND on an
 * O_APPEND descriptor of one with EPERM (6.9, commit 73fa7547c70b), and
 * the file keeps its size. Setting the attribute needs CAP_LINUX_IMMUTABLE
 * and a filesystem that has it.
 */
TEST(noappend_on_append_only_file_gets_eperm)
{
	static char out[100];
	struct io_event ev;
	struct iocb cb;
	struct stat st;
	int fd, afd, attr = 0, err;
	long ret;

	CONFORM_DECLARE("6.9", "RWF_NOAPPEND",
			"include/linux/fs.h kiocb_set_rw_flags(): RWF_NOAPPEND on an IS_APPEND inode opened O_APPEND is EPERM; commit 73fa7547c70b (6.9): vfs: add RWF_NOAPPEND flag for pwritev2");
	REQUIRE_RWF(REF_RWF_NOAPPEND);
	CONFORM_REQUIRE_ROOT();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	if (ioctl(fd, FS_IOC_GETFLAGS, &attr) < 0) {
		err = errno;
		close(fd);
		SKIP(return, CONFORM_ENV "FS_IOC_GETFLAGS on a file of %s: %s (no inode attributes on this filesystem)",
		     conform_tmpdir(), strerror(err));
	}
	attr |= FS_APPEND_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &attr) < 0) {
		err = errno;
		close(fd);
		SKIP(return, CONFORM_ENV "FS_IOC_SETFLAGS(FS_APPEND_FL) on a file of %s: %s",
		     conform_tmpdir(), strerror(err));
	}
	/* From here the attribute is cleared again before any assertion. */
	afd = conform_reopen(fd, O_WRONLY | O_APPEND);
	err = errno;
	ret = -2;
	if (afd >= 0) {
		aio_prep_rw(&cb, IOCB_CMD_PWRITE, afd, out, sizeof(out), 0, 0);
		cb.aio_rw_flags = REF_RWF_NOAPPEND;
		errno = 0;
		ret = aio_submit_and_reap(_metadata, &cb, &ev);
		err = errno;
		close(afd);
	}
	attr &= ~FS_APPEND_FL;
	EXPECT_EQ(0, ioctl(fd, FS_IOC_SETFLAGS, &attr));
	ASSERT_LE(0, afd) TH_LOG("reopen O_APPEND: %s", strerror(err));
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EPERM, err);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* RWF_ATOMIC (6.11)                                                    */
/* ------------------------------------------------------------------ */

/* The NVMe namespace of the aioconf guests, and the piece of it that is
 * this program's: MiB 8..9 is for the aio cases (aio/hipri uses its first
 * 64 KiB),
 * the namespace's first and last MiB belong to the uring cases. */
#define NVME_ATOMIC_OFFSET	((8LL << 20) + (512 << 10))

/* A file or device that takes untorn writes, as statx(2) reports it. */
struct atomic_target {
	int fd;			/* open O_RDWR | O_DIRECT */
	long long off;		/* where this program may write */
	unsigned int unit_min, unit_max, segments_max;
	char name[80];
};

/* statx(2) of fd with STATX_WRITE_ATOMIC: 0 with the unit limits (0 when
 * the file has no atomic writes), or -1 with errno. */
static int atomic_limits(int fd, unsigned int *min, unsigned int *max,
			 unsigned int *segs)
{
	struct statx stx;
	const char *raw = (const char *)&stx;

	memset(&stx, 0, sizeof(stx));
	if (statx(fd, "", AT_EMPTY_PATH, REF_STATX_WRITE_ATOMIC, &stx) < 0)
		return -1;
	*min = *max = *segs = 0;
	if (!(stx.stx_mask & REF_STATX_WRITE_ATOMIC))
		return 0;
	memcpy(min, raw + REF_STATX_ATOMIC_WRITE_UNIT_MIN_OFFSET, sizeof(*min));
	memcpy(max, raw + REF_STATX_ATOMIC_WRITE_UNIT_MAX_OFFSET, sizeof(*max));
	memcpy(segs, raw + REF_STATX_ATOMIC_WRITE_SEGMENTS_MAX_OFFSET, sizeof(*segs));
	return 0;
}

/*
 * NULL with *t set to something with atomic writes (a file of TMPDIR, or
 * the guests' NVMe namespace at NVME_ATOMIC_OFFSET), else why there is
 * none (the environment: neither reports atomic write units).
 */
static const char *atomic_target_missing(struct atomic_target *t)
{
	static char why[300];
	char file_why[100];
	int fd;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	fd = conform_temp_file(65536, O_DIRECT);
	if (fd < 0) {
		snprintf(file_why, sizeof(file_why), "O_DIRECT file: %s",
			 strerror(errno));
	} else if (atomic_limits(fd, &t->unit_min, &t->unit_max,
				 &t->segments_max) == 0 && t->unit_min) {
		t->fd = fd;
		snprintf(t->name, sizeof(t->name), "a file of TMPDIR");
		return NULL;
	} else {
		snprintf(file_why, sizeof(file_why), "file: no atomic write unit");
		close(fd);
	}
	if (conform_not_root() == NULL) {
		fd = open(CONFORM_NVME_NS, O_RDWR | O_DIRECT | O_CLOEXEC);
		if (fd >= 0 && atomic_limits(fd, &t->unit_min, &t->unit_max,
					     &t->segments_max) == 0 && t->unit_min) {
			t->fd = fd;
			t->off = NVME_ATOMIC_OFFSET;
			snprintf(t->name, sizeof(t->name), CONFORM_NVME_NS);
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	snprintf(why, sizeof(why),
		 CONFORM_ENV "nothing with atomic writes: statx(STATX_WRITE_ATOMIC) of a TMPDIR %s; %s absent, not openable (root) or without a unit",
		 file_why, CONFORM_NVME_NS);
	return why;
}

static void *aligned_block(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

/*
 * pwritev2(2) RWF_ATOMIC / statx(2) STATX_WRITE_ATOMIC: an O_DIRECT write
 * of a power-of-two length between stx_atomic_write_unit_min and _max, at
 * an offset aligned to that length, is written untorn; through AIO it
 * completes with res the byte count and the data reads back (6.11, commit
 * c34fc6f26ab8 "fs: Initial atomic write support": block devices; ext4 and
 * XFS files later). Skips where nothing reports atomic write units (the
 * aioconf guests' NVMe namespace does, with nvme.poll_queues=1 or not).
 */
TEST(atomic_write_of_one_unit_completes)
{
	struct atomic_target t;
	struct io_event ev;
	struct iocb cb;
	char *out, *back;

	CONFORM_DECLARE("6.11", "RWF_ATOMIC",
			"pwritev2(2) RWF_ATOMIC; statx(2) STATX_WRITE_ATOMIC unit limits; commit c34fc6f26ab8 (6.11): fs: Initial atomic write support");
	REQUIRE_RWF(REF_RWF_ATOMIC);
	CONFORM_REQUIRE(atomic_target_missing(&t));
	TH_LOG("atomic writes on %s: unit %u..%u, %u segment(s)", t.name,
	       t.unit_min, t.unit_max, t.segments_max);
	out = aligned_block(t.unit_max);
	back = aligned_block(t.unit_max);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, back);
	conform_fill_pattern(out, t.unit_max, t.off + 77);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, t.fd, out, t.unit_max, t.off, 0);
	cb.aio_rw_flags = REF_RWF_ATOMIC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)t.unit_max, ev.res);
	ASSERT_EQ((ssize_t)t.unit_max, pread(t.fd, back, t.unit_max, t.off));
	EXPECT_TRUE(conform_check_pattern(back, t.unit_max, t.off + 77));
	free(out);
	free(back);
	close(t.fd);
}

/*
 * pwritev2(2) RWF_ATOMIC EINVAL: the length must be a power of two within
 * the unit limits; fs/read_write.c generic_atomic_write_valid() and the
 * block device's own check refuse it in the write itself, so through AIO
 * the request is accepted and completes with res -EINVAL, writing nothing:
 * twice unit max, and three times unit min (not a power of two) (6.11).
 */
TEST(atomic_write_of_invalid_length_completes_with_einval)
{
	struct atomic_target t;
	struct io_event ev;
	struct iocb cb;
	size_t lens[2], span;
	char *out, *back;

	CONFORM_DECLARE("6.11", "RWF_ATOMIC",
			"pwritev2(2) RWF_ATOMIC EINVAL: length not a power of two or outside the unit limits; commit c34fc6f26ab8 (6.11): fs: Initial atomic write support");
	REQUIRE_RWF(REF_RWF_ATOMIC);
	CONFORM_REQUIRE(atomic_target_missing(&t));
	lens[0] = 2 * (size_t)t.unit_max;
	lens[1] = 3 * (size_t)t.unit_min;
	span = lens[0] > lens[1] ? lens[0] : lens[1];
	out = aligned_block(span);
	back = aligned_block(span);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, back);
	/* A known pattern first, so that a torn or wrongly accepted write
	 * would show. */
	conform_fill_pattern(out, span, t.off + 5);
	ASSERT_EQ((ssize_t)span, pwrite(t.fd, out, span, t.off));
	memset(out, 0x3c, span);
	for (int i = 0; i < 2; i++) {
		aio_prep_rw(&cb, IOCB_CMD_PWRITE, t.fd, out, lens[i], t.off, i);
		cb.aio_rw_flags = REF_RWF_ATOMIC;
		ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
		EXPECT_EQ(-EINVAL, ev.res) TH_LOG("length %zu", lens[i]);
	}
	ASSERT_EQ((ssize_t)span, pread(t.fd, back, span, t.off));
	EXPECT_TRUE(conform_check_pattern(back, span, t.off + 5));
	free(out);
	free(back);
	close(t.fd);
}

/*
 * statx(2) stx_atomic_write_segments_max: the most iovec segments an
 * atomic write may have. Where it is 1, an IOCB_CMD_PWRITEV of two halves
 * of one unit (a valid length and offset) is refused in the write: res
 * -EINVAL (6.11: generic_atomic_write_valid() wanted a single user buffer).
 */
TEST(atomic_write_of_more_segments_than_allowed_completes_with_einval)
{
	struct atomic_target t;
	struct io_event ev;
	struct iovec iov[2];
	struct iocb cb;
	char *out;

	CONFORM_DECLARE("6.11", "RWF_ATOMIC",
			"statx(2) stx_atomic_write_segments_max; pwritev2(2) RWF_ATOMIC EINVAL; commit c34fc6f26ab8 (6.11): fs: Initial atomic write support");
	REQUIRE_RWF(REF_RWF_ATOMIC);
	CONFORM_REQUIRE(atomic_target_missing(&t));
	if (t.segments_max != 1) {
		close(t.fd);
		SKIP(return, CONFORM_ENV "%s allows %u segments per atomic write: no two-segment limit to exceed",
		     t.name, t.segments_max);
	}
	out = aligned_block(t.unit_max);
	ASSERT_NE(NULL, out);
	iov[0] = (struct iovec){ out, t.unit_max / 2 };
	iov[1] = (struct iovec){ out + t.unit_max / 2, t.unit_max / 2 };
	aio_prep_rw(&cb, IOCB_CMD_PWRITEV, t.fd, iov, 2, t.off, 0);
	cb.aio_rw_flags = REF_RWF_ATOMIC;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-EINVAL, ev.res);
	free(out);
	close(t.fd);
}

/*
 * include/linux/fs.h kiocb_set_rw_flags(): RWF_ATOMIC is for writes only;
 * a read carrying it is refused with EOPNOTSUPP before the file is looked
 * at (6.11, commit c34fc6f26ab8). Any readable regular file will do.
 */
TEST(atomic_read_gets_eopnotsupp)
{
	static char buf[512];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("6.11", "RWF_ATOMIC",
			"include/linux/fs.h kiocb_set_rw_flags(): RWF_ATOMIC on a read is EOPNOTSUPP; commit c34fc6f26ab8 (6.11): fs: Initial atomic write support");
	REQUIRE_RWF(REF_RWF_ATOMIC);
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 0, 0);
	cb.aio_rw_flags = REF_RWF_ATOMIC;
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(fd);
}

/*
 * kiocb_set_rw_flags(): a file not opened with atomic write support
 * (FMODE_CAN_ATOMIC_WRITE, set only where statx(2) reports atomic write
 * units) refuses RWF_ATOMIC with EOPNOTSUPP at submit, and nothing is
 * written (6.11). Needs a TMPDIR file without atomic writes (the common
 * case: tmpfs, or ext4 on a disk without them).
 */
TEST(atomic_write_to_file_without_support_gets_eopnotsupp)
{
	unsigned int min, max, segs;
	struct io_event ev;
	struct iocb cb;
	char *out, *back;
	int fd;

	CONFORM_DECLARE("6.11", "RWF_ATOMIC",
			"include/linux/fs.h kiocb_set_rw_flags(): RWF_ATOMIC without FMODE_CAN_ATOMIC_WRITE is EOPNOTSUPP; statx(2) STATX_WRITE_ATOMIC; commit c34fc6f26ab8 (6.11): fs: Initial atomic write support");
	REQUIRE_RWF(REF_RWF_ATOMIC);
	fd = conform_temp_file(8192, O_DIRECT);
	if (fd < 0)
		fd = conform_temp_file(8192, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, atomic_limits(fd, &min, &max, &segs));
	if (min) {
		close(fd);
		SKIP(return, CONFORM_ENV "files of %s have atomic writes (unit %u..%u): none without to try",
		     conform_tmpdir(), min, max);
	}
	out = aligned_block(4096);
	back = aligned_block(4096);
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, back);
	memset(out, 0x77, 4096);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, 4096, 0, 0);
	cb.aio_rw_flags = REF_RWF_ATOMIC;
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(4096, pread(fd, back, 4096, 0));
	EXPECT_TRUE(conform_check_pattern(back, 4096, 0));
	free(out);
	free(back);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* RWF_DONTCACHE (6.14)                                                 */
/* ------------------------------------------------------------------ */

/*
 * NULL when a regular file of TMPDIR takes RWF_DONTCACHE (preadv2 of a
 * small file with it succeeds), else why not: the kernel knows the flag
 * (probed first), so a refusal is the filesystem's (no FOP_DONTCACHE).
 */
static const char *dontcache_file_missing(void)
{
	const char *why = rwf_unknown(REF_RWF_DONTCACHE, "RWF_DONTCACHE");
	char buf[512];
	struct iovec iov = { buf, sizeof(buf) };
	ssize_t n;
	int fd, err;

	if (why)
		return why;
	fd = conform_temp_file(sizeof(buf), 0);
	if (fd < 0)
		return CONFORM_ENV "cannot make a temporary file for the RWF_DONTCACHE probe";
	n = preadv2(fd, &iov, 1, 0, REF_RWF_DONTCACHE);
	err = errno;
	close(fd);
	if (n == (ssize_t)sizeof(buf))
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 CONFORM_ENV "preadv2(RWF_DONTCACHE) of a file of TMPDIR gave %zd (%s): its filesystem has no uncached buffered I/O",
		 n, n < 0 ? strerror(err) : "short");
	return conform_why;
}

/* How many of the pages of [off, off + len) of fd are in the page cache
 * (mincore(2) of a shared mapping); -1 when it cannot be told. */
static int pages_cached(int fd, long long off, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char vec[64];
	size_t n = len / page;
	int count = 0;
	void *map;

	if (n > sizeof(vec) || off % page)
		return -1;
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	if (map == MAP_FAILED)
		return -1;
	if (mincore(map, len, vec) < 0)
		count = -1;
	for (size_t i = 0; count >= 0 && i < n; i++)
		count += vec[i] & 1;
	munmap(map, len);
	return count;
}

/*
 * <linux/fs.h> RWF_DONTCACHE, "buffered IO that drops the cache after
 * reading or writing data" (6.14): a read of data not in the page cache
 * completes with the byte count and the data, and leaves none of the pages
 * it read in the cache (mincore(2)). Needs a TMPDIR filesystem with the
 * support (ext4 and XFS have it; 6.15 had it turned off for all).
 */
TEST(dontcache_read_returns_data_and_leaves_it_uncached)
{
	enum { LEN = 16384 };
	static char buf[LEN];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("6.14", "RWF_DONTCACHE",
			"<linux/fs.h> RWF_DONTCACHE: buffered IO that drops the cache after reading or writing data; commit (6.14): fs: add RWF_DONTCACHE iocb and FOP_DONTCACHE file_operations flag");
	CONFORM_REQUIRE(dontcache_file_missing());
	ASSERT_LE(0, fd = conform_temp_file(65536, 0));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	if (pages_cached(fd, 0, LEN) != 0) {
		close(fd);
		SKIP(return, CONFORM_UNSEEN "the file's pages stayed cached after fsync and POSIX_FADV_DONTNEED");
	}
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, LEN, 0, 0);
	cb.aio_rw_flags = REF_RWF_DONTCACHE;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(LEN, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, LEN, 0));
	EXPECT_EQ(0, pages_cached(fd, 0, LEN));
	close(fd);
}

/*
 * RWF_DONTCACHE on a buffered write (6.14): the write completes with the
 * byte count, like any buffered write, and the data reads back. (Dropping
 * the written pages waits for their writeback, so it is not asserted.)
 */
TEST(dontcache_write_completes_with_byte_count)
{
	static char out[5000], back[5000];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("6.14", "RWF_DONTCACHE",
			"<linux/fs.h> RWF_DONTCACHE; pwritev2(2); commit (6.14): fs: add RWF_DONTCACHE iocb and FOP_DONTCACHE file_operations flag");
	CONFORM_REQUIRE(dontcache_file_missing());
	ASSERT_LE(0, fd = conform_temp_file(16384, 0));
	conform_fill_pattern(out, sizeof(out), 90000);
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, fd, out, sizeof(out), 3000, 0);
	cb.aio_rw_flags = REF_RWF_DONTCACHE;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ((__s64)sizeof(out), ev.res);
	ASSERT_EQ((ssize_t)sizeof(back), pread(fd, back, sizeof(back), 3000));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 90000));
	close(fd);
}

/*
 * kiocb_set_rw_flags(): "file system must support it": a file whose
 * file_operations lack FOP_DONTCACHE, a pipe for one, refuses RWF_DONTCACHE
 * with EOPNOTSUPP at submit, and nothing reaches the pipe (6.14).
 */
TEST(dontcache_on_pipe_gets_eopnotsupp)
{
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("6.14", "RWF_DONTCACHE",
			"include/linux/fs.h kiocb_set_rw_flags(): RWF_DONTCACHE without FOP_DONTCACHE is EOPNOTSUPP; commit (6.14): fs: add RWF_DONTCACHE iocb and FOP_DONTCACHE file_operations flag");
	REQUIRE_RWF(REF_RWF_DONTCACHE);
	ASSERT_EQ(0, conform_pipe(p));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], "dc", 2, 0, 0);
	cb.aio_rw_flags = REF_RWF_DONTCACHE;
	errno = 0;
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_FALSE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
}

/* ------------------------------------------------------------------ */
/* RWF_NOSIGNAL (6.16)                                                  */
/* ------------------------------------------------------------------ */

/*
 * pipe(7): "If all file descriptors referring to the read end of a pipe
 * have been closed, then a write(2) will cause a SIGPIPE signal to be
 * generated for the calling process", and the write fails with EPIPE. An
 * AIO write to such a pipe runs in io_submit, so the submitter gets the
 * SIGPIPE and the event's res is -EPIPE (since 4.1, the read_iter/
 * write_iter path of fs/aio.c). The contrast for RWF_NOSIGNAL below.
 */
TEST(pipe_write_without_reader_raises_sigpipe)
{
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.1", "IOCB_CMD_PWRITE",
			"pipe(7): a write with no reader raises SIGPIPE and fails with EPIPE; fs/aio.c aio_write() through write_iter (4.1)");
	CONFORM_REQUIRE_AIO();
	block_sigpipe(_metadata);
	ASSERT_FALSE(sigpipe_pending());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, close(p[0]));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], "sig", 3, 0, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-EPIPE, ev.res);
	EXPECT_TRUE(sigpipe_pending());
	close(p[1]);
}

/*
 * <linux/fs.h> RWF_NOSIGNAL: "no SIGPIPE on EPIPE" (6.16, commit "fs: add
 * RWF_NOSIGNAL flag for pwritev2"; fs/pipe.c honours IOCB_NOSIGNAL): the
 * same AIO write to a pipe without reader completes with res -EPIPE and
 * no SIGPIPE is raised.
 */
TEST(nosignal_pipe_write_without_reader_gets_epipe_and_no_sigpipe)
{
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("6.16", "RWF_NOSIGNAL",
			"<linux/fs.h> RWF_NOSIGNAL: no SIGPIPE on EPIPE; pipe(7); commit (6.16): fs: add RWF_NOSIGNAL flag for pwritev2");
	REQUIRE_RWF(REF_RWF_NOSIGNAL);
	block_sigpipe(_metadata);
	ASSERT_FALSE(sigpipe_pending());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, close(p[0]));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, p[1], "sig", 3, 0, 0);
	cb.aio_rw_flags = REF_RWF_NOSIGNAL;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-EPIPE, ev.res);
	EXPECT_FALSE(sigpipe_pending());
	close(p[1]);
}

/*
 * RWF_NOSIGNAL on a socket: net/socket.c turns IOCB_NOSIGNAL into
 * MSG_NOSIGNAL (send(2): "don't generate a SIGPIPE signal if the peer on a
 * stream-oriented socket has closed the connection"), so an AIO write to a
 * unix(7) stream socket whose peer is closed completes with res -EPIPE and
 * raises no SIGPIPE (6.16).
 */
TEST(nosignal_socket_write_to_closed_peer_gets_epipe_and_no_sigpipe)
{
	struct io_event ev;
	struct iocb cb;
	int sv[2];

	CONFORM_DECLARE("6.16", "RWF_NOSIGNAL",
			"<linux/fs.h> RWF_NOSIGNAL; send(2) MSG_NOSIGNAL and EPIPE; commit (6.16): fs: add RWF_NOSIGNAL flag for pwritev2 (net/socket.c maps it to MSG_NOSIGNAL)");
	REQUIRE_RWF(REF_RWF_NOSIGNAL);
	block_sigpipe(_metadata);
	ASSERT_FALSE(sigpipe_pending());
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, close(sv[1]));
	aio_prep_rw(&cb, IOCB_CMD_PWRITE, sv[0], "sig", 3, 0, 0);
	cb.aio_rw_flags = REF_RWF_NOSIGNAL;
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(-EPIPE, ev.res);
	EXPECT_FALSE(sigpipe_pending());
	close(sv[0]);
}

TEST_HARNESS_MAIN
