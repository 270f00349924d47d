// SPDX-License-Identifier: MIT
/*
 * uring/mkdir-link: IORING_OP_MKDIRAT, IORING_OP_SYMLINKAT and
 * IORING_OP_LINKAT (Linux 5.15), the asynchronous mkdirat(2), symlinkat(2)
 * and linkat(2): what each creates (mode, link text, shared inode),
 * AT_SYMLINK_FOLLOW, and the EEXIST / ENOENT / EPERM errors.
 */
#include <liburing.h>

#include "conform_uring.h"

static int uring_mkdirat(int dfd, const char *path, mode_t mode)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_mkdirat(&sqe, dfd, path, mode);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_symlinkat(const char *target, int dfd, const char *linkpath)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_symlinkat(&sqe, target, dfd, linkpath);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_linkat(int olddfd, const char *oldpath, int newdfd,
			const char *newpath, int flags)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_linkat(&sqe, olddfd, oldpath, newdfd, newpath, flags);
	return uring_run_one_sqe_res(&sqe);
}

enum { DIR_LEN = 300, PATH_LEN = 320 };

/*
 * A new private directory <tmpdir>/<name> (its path in dir), opened; the
 * path <dir>/<entry> in path; the directory's fd.
 */
static int new_dir_open(struct __test_metadata *_metadata, char dir[DIR_LEN],
			const char *name, char path[PATH_LEN],
			const char *entry)
{
	int dfd;

	conform_tmppath(dir, DIR_LEN, name);
	ASSERT_EQ(0, mkdir(dir, 0700));
	snprintf(path, PATH_LEN, "%s/%s", dir, entry);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	return dfd;
}

/*
 * io_uring_enter(2) IORING_OP_MKDIRAT, mkdir(2): a directory is created
 * relative to dirfd with mode (len field) less the umask (since 5.15).
 */
TEST(mkdirat_creates_directory_with_mode)
{
	char dir[DIR_LEN], path[PATH_LEN];
	struct stat st;
	int dfd;

	CONFORM_DECLARE("5.15", "IORING_OP_MKDIRAT",
			"io_uring_enter(2) IORING_OP_MKDIRAT; mkdir(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MKDIRAT);
	umask(0);
	dfd = new_dir_open(_metadata, dir, "md-parent", path, "child");
	EXPECT_EQ(0, uring_mkdirat(dfd, "child", 0751));
	ASSERT_EQ(0, lstat(path, &st));
	EXPECT_EQ((unsigned int)(S_IFDIR | 0751), (unsigned int)st.st_mode);
	close(dfd);
	rmdir(path);
	rmdir(dir);
}

/* mkdir(2) EEXIST: "pathname already exists" (IORING_OP_MKDIRAT, since 5.15). */
TEST(mkdirat_existing_path_gets_eexist)
{
	char path[300];

	CONFORM_DECLARE("5.15", "IORING_OP_MKDIRAT", "mkdir(2) EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MKDIRAT);
	conform_tmppath(path, sizeof(path), "md-exists");
	ASSERT_EQ(0, conform_pattern_file(path, 1));
	EXPECT_EQ(-EEXIST, uring_mkdirat(AT_FDCWD, path, 0700));
	unlink(path);
}

/*
 * mkdir(2) ENOENT: "A directory component in pathname does not exist"
 * (IORING_OP_MKDIRAT, since 5.15).
 */
TEST(mkdirat_missing_parent_gets_enoent)
{
	char path[300];

	CONFORM_DECLARE("5.15", "IORING_OP_MKDIRAT", "mkdir(2) ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_MKDIRAT);
	conform_tmppath(path, sizeof(path), "md-no-parent/child");
	EXPECT_EQ(-ENOENT, uring_mkdirat(AT_FDCWD, path, 0700));
}

/*
 * io_uring_enter(2) IORING_OP_SYMLINKAT, symlink(2): a symbolic link named
 * linkpath (relative to newdirfd) is created holding the target string
 * verbatim; the target need not exist (since 5.15).
 */
TEST(symlinkat_creates_link_holding_target_text)
{
	static const char target[] = "../does/not/need/to/exist";
	char dir[DIR_LEN], path[PATH_LEN], text[128];
	struct stat st;
	int dfd;

	CONFORM_DECLARE("5.15", "IORING_OP_SYMLINKAT",
			"io_uring_enter(2) IORING_OP_SYMLINKAT; symlink(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SYMLINKAT);
	dfd = new_dir_open(_metadata, dir, "sl-dir", path, "link");
	EXPECT_EQ(0, uring_symlinkat(target, dfd, "link"));
	ASSERT_EQ(0, lstat(path, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	memset(text, 0, sizeof(text));
	EXPECT_EQ((ssize_t)strlen(target), readlink(path, text, sizeof(text) - 1));
	EXPECT_STREQ(target, text);
	close(dfd);
	unlink(path);
	rmdir(dir);
}

/*
 * symlink(2) EEXIST: "newpath already exists"; the existing file is left
 * alone (IORING_OP_SYMLINKAT, since 5.15).
 */
TEST(symlinkat_existing_linkpath_gets_eexist)
{
	char path[300];
	struct stat st;

	CONFORM_DECLARE("5.15", "IORING_OP_SYMLINKAT", "symlink(2) EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SYMLINKAT);
	conform_tmppath(path, sizeof(path), "sl-exists");
	ASSERT_EQ(0, conform_pattern_file(path, 7));
	EXPECT_EQ(-EEXIST, uring_symlinkat("anything", AT_FDCWD, path));
	ASSERT_EQ(0, lstat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(7, st.st_size);
	unlink(path);
}

/*
 * io_uring_enter(2) IORING_OP_LINKAT, link(2): "creates a new link (also
 * known as a hard link) to an existing file"; both names share the inode,
 * whose link count is now 2 (since 5.15).
 */
TEST(linkat_creates_hard_link_to_same_inode)
{
	char oldp[300], newp[300];
	struct stat a, b;

	CONFORM_DECLARE("5.15", "IORING_OP_LINKAT",
			"io_uring_enter(2) IORING_OP_LINKAT; link(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINKAT);
	conform_tmppath(oldp, sizeof(oldp), "ln-old");
	conform_tmppath(newp, sizeof(newp), "ln-new");
	ASSERT_EQ(0, conform_pattern_file(oldp, 42));
	EXPECT_EQ(0, uring_linkat(AT_FDCWD, oldp, AT_FDCWD, newp, 0));
	ASSERT_EQ(0, lstat(oldp, &a));
	ASSERT_EQ(0, lstat(newp, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(2u, (unsigned int)b.st_nlink);
	EXPECT_EQ(42, b.st_size);
	unlink(newp);
	unlink(oldp);
}

/* link(2) EEXIST: "newpath already exists" (IORING_OP_LINKAT, since 5.15). */
TEST(linkat_existing_newpath_gets_eexist)
{
	char oldp[300], newp[300];
	struct stat st;

	CONFORM_DECLARE("5.15", "IORING_OP_LINKAT", "link(2) EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINKAT);
	conform_tmppath(oldp, sizeof(oldp), "lnx-old");
	conform_tmppath(newp, sizeof(newp), "lnx-new");
	ASSERT_EQ(0, conform_pattern_file(oldp, 1));
	ASSERT_EQ(0, conform_pattern_file(newp, 2));
	EXPECT_EQ(-EEXIST, uring_linkat(AT_FDCWD, oldp, AT_FDCWD, newp, 0));
	ASSERT_EQ(0, lstat(oldp, &st));
	EXPECT_EQ(1u, (unsigned int)st.st_nlink);
	unlink(newp);
	unlink(oldp);
}

/* link(2) EPERM: "oldpath is a directory" (IORING_OP_LINKAT, since 5.15). */
TEST(linkat_directory_gets_eperm)
{
	char oldp[300], newp[300];

	CONFORM_DECLARE("5.15", "IORING_OP_LINKAT", "link(2) EPERM");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINKAT);
	conform_tmppath(oldp, sizeof(oldp), "lnd-dir");
	conform_tmppath(newp, sizeof(newp), "lnd-new");
	ASSERT_EQ(0, mkdir(oldp, 0700));
	EXPECT_EQ(-EPERM, uring_linkat(AT_FDCWD, oldp, AT_FDCWD, newp, 0));
	EXPECT_EQ(-1, access(newp, F_OK));
	rmdir(oldp);
}

/*
 * linkat(2): by default a symbolic link oldpath is not dereferenced (the
 * new name is a link to the symlink itself); with AT_SYMLINK_FOLLOW it is,
 * and the new name shares the target's inode (IORING_OP_LINKAT, since 5.15).
 */
TEST(linkat_symlink_follow_links_the_target)
{
	char target[300], sym[300], plain[300], followed[300];
	struct stat t, s, p, f;

	CONFORM_DECLARE("5.15", "IORING_OP_LINKAT",
			"linkat(2) AT_SYMLINK_FOLLOW");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINKAT);
	conform_tmppath(target, sizeof(target), "lnf-target");
	conform_tmppath(sym, sizeof(sym), "lnf-sym");
	conform_tmppath(plain, sizeof(plain), "lnf-plain");
	conform_tmppath(followed, sizeof(followed), "lnf-followed");
	ASSERT_EQ(0, conform_pattern_file(target, 5));
	ASSERT_EQ(0, symlink(target, sym));
	ASSERT_EQ(0, lstat(target, &t));
	ASSERT_EQ(0, lstat(sym, &s));
	EXPECT_EQ(0, uring_linkat(AT_FDCWD, sym, AT_FDCWD, plain, 0));
	EXPECT_EQ(0, uring_linkat(AT_FDCWD, sym, AT_FDCWD, followed,
				  AT_SYMLINK_FOLLOW));
	ASSERT_EQ(0, lstat(plain, &p));
	ASSERT_EQ(0, lstat(followed, &f));
	EXPECT_TRUE(S_ISLNK(p.st_mode));
	EXPECT_EQ(s.st_ino, p.st_ino);
	EXPECT_TRUE(S_ISREG(f.st_mode));
	EXPECT_EQ(t.st_ino, f.st_ino);
	unlink(followed);
	unlink(plain);
	unlink(sym);
	unlink(target);
}

TEST_HARNESS_MAIN
