// SPDX-License-Identifier: MIT
/*
 * uring/rename-unlink: IORING_OP_RENAMEAT and IORING_OP_UNLINKAT (Linux
 * 5.11), the asynchronous renameat2(2) and unlinkat(2): moving between
 * directory fds, replacing, RENAME_NOREPLACE and RENAME_EXCHANGE, removing
 * files and directories, and the ENOENT / EEXIST / ENOTEMPTY / EISDIR /
 * EINVAL errors.
 */
#include <liburing.h>

#include "conform_uring.h"

static int uring_renameat(int olddfd, const char *oldpath, int newdfd,
			  const char *newpath, unsigned int flags)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_renameat(&sqe, olddfd, oldpath, newdfd, newpath, flags);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_unlinkat(int dfd, const char *path, int flags)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_unlinkat(&sqe, dfd, path, flags);
	return uring_run_one_sqe_res(&sqe);
}

/* The inode number of path (lstat), or 0 when it does not exist. */
static ino_t inode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? 0 : st.st_ino;
}

/*
 * io_uring_enter(2) IORING_OP_RENAMEAT, rename(2): oldpath (relative to
 * olddirfd) is renamed to newpath (relative to newdirfd); the same inode now
 * has the new name only (since 5.11).
 */
TEST(renameat_moves_file_between_dirfds)
{
	char a[300], b[300], oldp[320], newp[320];
	int adfd, bdfd;
	ino_t ino;

	CONFORM_DECLARE("5.11", "IORING_OP_RENAMEAT",
			"io_uring_enter(2) IORING_OP_RENAMEAT, rename(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RENAMEAT);
	conform_tmppath(a, sizeof(a), "mv-a");
	conform_tmppath(b, sizeof(b), "mv-b");
	ASSERT_EQ(0, mkdir(a, 0700));
	ASSERT_EQ(0, mkdir(b, 0700));
	snprintf(oldp, sizeof(oldp), "%s/old", a);
	snprintf(newp, sizeof(newp), "%s/new", b);
	ASSERT_EQ(0, conform_pattern_file(oldp, 100));
	ino = inode_of(oldp);
	ASSERT_NE(0, ino);
	adfd = open(a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bdfd = open(b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, adfd);
	ASSERT_LE(0, bdfd);
	EXPECT_EQ(0, uring_renameat(adfd, "old", bdfd, "new", 0));
	EXPECT_EQ(0, inode_of(oldp));
	EXPECT_EQ(ino, inode_of(newp));
	close(adfd);
	close(bdfd);
	unlink(newp);
	unlink(oldp);
	rmdir(a);
	rmdir(b);
}

/*
 * rename(2): "If newpath already exists, it will be atomically replaced";
 * the target name then refers to the source's inode (IORING_OP_RENAMEAT,
 * since 5.11).
 */
TEST(renameat_replaces_existing_target)
{
	char src[300], dst[300];
	ino_t ino;

	CONFORM_DECLARE("5.11", "IORING_OP_RENAMEAT",
			"rename(2): newpath atomically replaced");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RENAMEAT);
	conform_tmppath(src, sizeof(src), "repl-src");
	conform_tmppath(dst, sizeof(dst), "repl-dst");
	ASSERT_EQ(0, conform_pattern_file(src, 10));
	ASSERT_EQ(0, conform_pattern_file(dst, 20));
	ino = inode_of(src);
	EXPECT_EQ(0, uring_renameat(AT_FDCWD, src, AT_FDCWD, dst, 0));
	EXPECT_EQ(0, inode_of(src));
	EXPECT_EQ(ino, inode_of(dst));
	unlink(src);
	unlink(dst);
}

/*
 * rename(2) RENAME_NOREPLACE: "Don't overwrite newpath ... Return an error
 * if newpath already exists" (EEXIST); both names stay as they were
 * (IORING_OP_RENAMEAT, since 5.11).
 */
TEST(renameat_noreplace_onto_existing_gets_eexist)
{
	char src[300], dst[300];
	ino_t ino_src, ino_dst;

	CONFORM_DECLARE("5.11", "IORING_OP_RENAMEAT",
			"rename(2) RENAME_NOREPLACE EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RENAMEAT);
	conform_tmppath(src, sizeof(src), "norepl-src");
	conform_tmppath(dst, sizeof(dst), "norepl-dst");
	ASSERT_EQ(0, conform_pattern_file(src, 10));
	ASSERT_EQ(0, conform_pattern_file(dst, 20));
	ino_src = inode_of(src);
	ino_dst = inode_of(dst);
	EXPECT_EQ(-EEXIST, uring_renameat(AT_FDCWD, src, AT_FDCWD, dst,
					  RENAME_NOREPLACE));
	EXPECT_EQ(ino_src, inode_of(src));
	EXPECT_EQ(ino_dst, inode_of(dst));
	unlink(src);
	unlink(dst);
}

/*
 * rename(2) RENAME_EXCHANGE: "Atomically exchange oldpath and newpath"; each
 * name then refers to the other's inode (IORING_OP_RENAMEAT, since 5.11).
 */
TEST(renameat_exchange_swaps_two_names)
{
	char x[300], y[300];
	ino_t ino_x, ino_y;
	int ret;

	CONFORM_DECLARE("5.11", "IORING_OP_RENAMEAT",
			"rename(2) RENAME_EXCHANGE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RENAMEAT);
	conform_tmppath(x, sizeof(x), "xchg-x");
	conform_tmppath(y, sizeof(y), "xchg-y");
	ASSERT_EQ(0, conform_pattern_file(x, 10));
	ASSERT_EQ(0, conform_pattern_file(y, 20));
	ino_x = inode_of(x);
	ino_y = inode_of(y);
	ret = uring_renameat(AT_FDCWD, x, AT_FDCWD, y, RENAME_EXCHANGE);
	if (ret == -EINVAL) {
		unlink(x);
		unlink(y);
		SKIP(return, CONFORM_ENV "rename(2) EINVAL: the filesystem of TMPDIR does not support RENAME_EXCHANGE");
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(ino_y, inode_of(x));
	EXPECT_EQ(ino_x, inode_of(y));
	unlink(x);
	unlink(y);
}

/* rename(2) ENOENT: "The link named by oldpath does not exist" (IORING_OP_RENAMEAT, since 5.11). */
TEST(renameat_missing_source_gets_enoent)
{
	char src[300], dst[300];

	CONFORM_DECLARE("5.11", "IORING_OP_RENAMEAT", "rename(2) ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RENAMEAT);
	conform_tmppath(src, sizeof(src), "missing-src");
	conform_tmppath(dst, sizeof(dst), "missing-dst");
	EXPECT_EQ(-ENOENT, uring_renameat(AT_FDCWD, src, AT_FDCWD, dst, 0));
	EXPECT_EQ(0, inode_of(dst));
}

/*
 * io_uring_enter(2) IORING_OP_UNLINKAT, unlink(2): the name is removed;
 * res is 0 and the path no longer exists (since 5.11).
 */
TEST(unlinkat_removes_file_relative_to_dirfd)
{
	char dir[300], path[320];
	int dfd;

	CONFORM_DECLARE("5.11", "IORING_OP_UNLINKAT",
			"io_uring_enter(2) IORING_OP_UNLINKAT, unlink(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_UNLINKAT);
	conform_tmppath(dir, sizeof(dir), "ul-dir");
	ASSERT_EQ(0, mkdir(dir, 0700));
	snprintf(path, sizeof(path), "%s/victim", dir);
	ASSERT_EQ(0, conform_pattern_file(path, 10));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(0, uring_unlinkat(dfd, "victim", 0));
	EXPECT_EQ(-1, access(path, F_OK));
	EXPECT_EQ(ENOENT, errno);
	close(dfd);
	unlink(path);
	rmdir(dir);
}

/*
 * unlinkat(2) AT_REMOVEDIR: "performs the equivalent of rmdir(2)"; an empty
 * directory is removed (IORING_OP_UNLINKAT, since 5.11).
 */
TEST(unlinkat_removedir_removes_empty_directory)
{
	char dir[300];

	CONFORM_DECLARE("5.11", "IORING_OP_UNLINKAT",
			"unlinkat(2) AT_REMOVEDIR");
	CONFORM_REQUIRE_URING_OP(IORING_OP_UNLINKAT);
	conform_tmppath(dir, sizeof(dir), "ul-empty");
	ASSERT_EQ(0, mkdir(dir, 0700));
	EXPECT_EQ(0, uring_unlinkat(AT_FDCWD, dir, AT_REMOVEDIR));
	EXPECT_EQ(0, inode_of(dir));
	rmdir(dir);
}

/*
 * rmdir(2) ENOTEMPTY: "pathname contains entries other than . and .."
 * (IORING_OP_UNLINKAT with AT_REMOVEDIR, since 5.11).
 */
TEST(unlinkat_removedir_nonempty_gets_enotempty)
{
	char dir[300], path[320];

	CONFORM_DECLARE("5.11", "IORING_OP_UNLINKAT", "rmdir(2) ENOTEMPTY");
	CONFORM_REQUIRE_URING_OP(IORING_OP_UNLINKAT);
	conform_tmppath(dir, sizeof(dir), "ul-full");
	ASSERT_EQ(0, mkdir(dir, 0700));
	snprintf(path, sizeof(path), "%s/entry", dir);
	ASSERT_EQ(0, conform_pattern_file(path, 1));
	EXPECT_EQ(-ENOTEMPTY, uring_unlinkat(AT_FDCWD, dir, AT_REMOVEDIR));
	EXPECT_NE(0, inode_of(path));
	unlink(path);
	rmdir(dir);
}

/*
 * unlink(2) EISDIR: "pathname refers to a directory" (the Linux value) when
 * AT_REMOVEDIR is not given (IORING_OP_UNLINKAT, since 5.11).
 */
TEST(unlinkat_directory_without_removedir_gets_eisdir)
{
	char dir[300];

	CONFORM_DECLARE("5.11", "IORING_OP_UNLINKAT", "unlink(2) EISDIR");
	CONFORM_REQUIRE_URING_OP(IORING_OP_UNLINKAT);
	conform_tmppath(dir, sizeof(dir), "ul-isdir");
	ASSERT_EQ(0, mkdir(dir, 0700));
	EXPECT_EQ(-EISDIR, uring_unlinkat(AT_FDCWD, dir, 0));
	EXPECT_NE(0, inode_of(dir));
	rmdir(dir);
}

/*
 * unlinkat(2) EINVAL: "An invalid flag value was specified in flags"; only
 * AT_REMOVEDIR is defined (IORING_OP_UNLINKAT, since 5.11).
 */
TEST(unlinkat_unknown_flag_gets_einval)
{
	char path[300];

	CONFORM_DECLARE("5.11", "IORING_OP_UNLINKAT",
			"unlinkat(2) EINVAL: invalid flag");
	CONFORM_REQUIRE_URING_OP(IORING_OP_UNLINKAT);
	conform_tmppath(path, sizeof(path), "ul-badflag");
	ASSERT_EQ(0, conform_pattern_file(path, 1));
	EXPECT_EQ(-EINVAL, uring_unlinkat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW));
	EXPECT_NE(0, inode_of(path));
	unlink(path);
}

TEST_HARNESS_MAIN
