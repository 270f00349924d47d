// SPDX-License-Identifier: MIT
/*
 * uring/statx: IORING_OP_STATX, the asynchronous statx(2): exact size, mode
 * and mask of a file named relative to a dirfd, AT_EMPTY_PATH on an open
 * (unlinked) file, symbolic links with and without AT_SYMLINK_NOFOLLOW, and
 * the ENOENT / EBADF / EINVAL errors.
 */
#include <liburing.h>

#include "conform_uring.h"

/* Run IORING_OP_STATX(dfd, path, flags, mask) into *stx; the CQE's res. */
static int uring_statx(int dfd, const char *path, int flags, unsigned int mask,
		       struct statx *stx)
{
	struct io_uring_sqe sqe;

	memset(stx, 0, sizeof(*stx));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_statx(&sqe, dfd, path, flags, mask, stx);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * io_uring_enter(2) IORING_OP_STATX, statx(2): res 0, and the buffer holds
 * the file's exact size and mode, with STATX_SIZE and STATX_MODE set in
 * stx_mask; a relative path is resolved against the dirfd (since 5.6).
 */
TEST(statx_reports_exact_size_and_mode_relative_to_dirfd)
{
	const unsigned int want_mask = STATX_TYPE | STATX_MODE | STATX_SIZE;
	char dir[300], path[320];
	struct statx stx;
	int dfd;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX",
			"io_uring_enter(2) IORING_OP_STATX, statx(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	conform_tmppath(dir, sizeof(dir), "sdir");
	ASSERT_EQ(0, mkdir(dir, 0700));
	snprintf(path, sizeof(path), "%s/f", dir);
	ASSERT_EQ(0, conform_pattern_file(path, 12345));
	ASSERT_EQ(0, chmod(path, 0604));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, uring_statx(dfd, "f", 0, STATX_BASIC_STATS, &stx));
	EXPECT_EQ(want_mask, stx.stx_mask & want_mask);
	EXPECT_EQ(12345ULL, (unsigned long long)stx.stx_size);
	EXPECT_EQ((unsigned int)(S_IFREG | 0604), (unsigned int)stx.stx_mode);
	EXPECT_EQ(1u, stx.stx_nlink);
	close(dfd);
	unlink(path);
	rmdir(dir);
}

/*
 * statx(2) AT_EMPTY_PATH: with an empty pathname the file referred to by
 * dirfd itself is described; here an unlinked file: its size, and 0 links
 * (IORING_OP_STATX, since 5.6).
 */
TEST(statx_empty_path_describes_the_dirfd_file)
{
	struct statx stx;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX", "statx(2) AT_EMPTY_PATH");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	fd = conform_temp_file(7000, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, uring_statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx));
	EXPECT_EQ(7000ULL, (unsigned long long)stx.stx_size);
	EXPECT_EQ((unsigned int)S_IFREG, stx.stx_mode & S_IFMT);
	EXPECT_EQ(0u, stx.stx_nlink);
	close(fd);
}

/*
 * statx(2): "If pathname is a symbolic link ... [it] is dereferenced" unless
 * AT_SYMLINK_NOFOLLOW is given; so without it the target is described
 * (IORING_OP_STATX, since 5.6).
 */
TEST(statx_follows_symlink_by_default)
{
	char target[300], link[300];
	struct statx stx;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX",
			"statx(2): symbolic links are dereferenced");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	conform_tmppath(target, sizeof(target), "follow-target");
	conform_tmppath(link, sizeof(link), "follow-link");
	ASSERT_EQ(0, conform_pattern_file(target, 333));
	ASSERT_EQ(0, symlink(target, link));
	ASSERT_EQ(0, uring_statx(AT_FDCWD, link, 0, STATX_BASIC_STATS, &stx));
	EXPECT_EQ((unsigned int)S_IFREG, stx.stx_mode & S_IFMT);
	EXPECT_EQ(333ULL, (unsigned long long)stx.stx_size);
	unlink(link);
	unlink(target);
}

/*
 * statx(2) AT_SYMLINK_NOFOLLOW: a symbolic link itself is described; its
 * size is the length of the target string (IORING_OP_STATX, since 5.6).
 */
TEST(statx_symlink_nofollow_describes_the_link)
{
	char target[300], link[300];
	struct statx stx;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX",
			"statx(2) AT_SYMLINK_NOFOLLOW");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	conform_tmppath(target, sizeof(target), "nofollow-target");
	conform_tmppath(link, sizeof(link), "nofollow-link");
	ASSERT_EQ(0, conform_pattern_file(target, 333));
	ASSERT_EQ(0, symlink(target, link));
	ASSERT_EQ(0, uring_statx(AT_FDCWD, link, AT_SYMLINK_NOFOLLOW,
				 STATX_BASIC_STATS, &stx));
	EXPECT_EQ((unsigned int)S_IFLNK, stx.stx_mode & S_IFMT);
	EXPECT_EQ((unsigned long long)strlen(target),
		  (unsigned long long)stx.stx_size);
	unlink(link);
	unlink(target);
}

/* statx(2) ENOENT: a component of pathname does not exist (since 5.6). */
TEST(statx_missing_path_gets_enoent)
{
	char path[300];
	struct statx stx;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX", "statx(2) ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	conform_tmppath(path, sizeof(path), "no-such-file");
	EXPECT_EQ(-ENOENT, uring_statx(AT_FDCWD, path, 0, STATX_BASIC_STATS,
				       &stx));
}

/*
 * statx(2) EBADF: pathname is relative and dirfd is neither AT_FDCWD nor an
 * open file descriptor (IORING_OP_STATX, since 5.6).
 */
TEST(statx_relative_path_with_bad_dirfd_gets_ebadf)
{
	struct statx stx;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX", "statx(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	EXPECT_EQ(-EBADF, uring_statx(conform_bad_fd(), "anything", 0,
				      STATX_BASIC_STATS, &stx));
}

/* statx(2) EINVAL: "Reserved flag specified in mask" (STATX__RESERVED) (since 5.6). */
TEST(statx_reserved_mask_bit_gets_einval)
{
	struct statx stx;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX",
			"statx(2) EINVAL: reserved flag in mask");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	fd = conform_temp_file(10, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_statx(fd, "", AT_EMPTY_PATH, STATX__RESERVED,
				       &stx));
	close(fd);
}

/*
 * statx(2) EINVAL: "Invalid flag specified in flags"; 0x10000000 is no AT_*
 * flag statx accepts (IORING_OP_STATX, since 5.6).
 */
TEST(statx_unknown_flag_gets_einval)
{
	char path[300];
	struct statx stx;

	CONFORM_DECLARE("5.6", "IORING_OP_STATX",
			"statx(2) EINVAL: invalid flag");
	CONFORM_REQUIRE_URING_OP(IORING_OP_STATX);
	conform_tmppath(path, sizeof(path), "badflag");
	ASSERT_EQ(0, conform_pattern_file(path, 10));
	EXPECT_EQ(-EINVAL, uring_statx(AT_FDCWD, path, 0x10000000,
				       STATX_BASIC_STATS, &stx));
	unlink(path);
}

TEST_HARNESS_MAIN
