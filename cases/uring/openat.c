// SPDX-License-Identifier: MIT
/*
 * uring/openat: IORING_OP_OPENAT and IORING_OP_OPENAT2, the asynchronous
 * openat(2) and openat2(2): O_CREAT with a mode, paths relative to a dirfd,
 * the returned descriptor, the ENOENT / EEXIST / EBADF errors, and the
 * openat2 RESOLVE_* restrictions and struct open_how checks.
 */
#include <liburing.h>
#include <linux/openat2.h>

#include "conform_uring.h"

/* Prepare an OPENAT2 SQE with a zeroed struct open_how of size len. */
static void prep_openat2(struct io_uring_sqe *sqe, int dfd, const char *path,
			 struct open_how *how, unsigned int len)
{
	memset(sqe, 0, sizeof(*sqe));
	io_uring_prep_openat2(sqe, dfd, path, how);
	sqe->len = len;
}

enum { DIR_LEN = 300, PATH_LEN = 320 };

/*
 * A private directory <tmpdir>/<name> (its path in dir) holding a pattern
 * file <dir>/<file> of size bytes (its path in path), whose stat goes to
 * *want; the directory opened, its fd.
 */
static int dir_with_file(struct __test_metadata *_metadata,
			 char dir[DIR_LEN], const char *name,
			 char path[PATH_LEN], const char *file, size_t size,
			 struct stat *want)
{
	int dfd;

	conform_tmppath(dir, DIR_LEN, name);
	ASSERT_EQ(0, mkdir(dir, 0700));
	snprintf(path, PATH_LEN, "%s/%s", dir, file);
	ASSERT_EQ(0, conform_pattern_file(path, size));
	ASSERT_EQ(0, stat(path, want));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	return dfd;
}

/* fd, the result of an open, is valid and refers to the file want describes. */
static void expect_same_file(struct __test_metadata *_metadata, int fd,
			     const struct stat *want)
{
	struct stat st;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(want->st_ino, st.st_ino);
	EXPECT_EQ(want->st_dev, st.st_dev);
}

/*
 * io_uring_enter(2) IORING_OP_OPENAT, openat(2) O_CREAT: the file is created
 * with the mode given in len (less the umask), and res is a new descriptor
 * of it (since 5.6).
 */
TEST(openat_o_creat_makes_file_with_given_mode)
{
	struct io_uring_sqe sqe;
	char path[300];
	struct stat st;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"io_uring_enter(2) IORING_OP_OPENAT; openat(2) "
			"O_CREAT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	umask(0);
	conform_tmppath(path, sizeof(path), "creat-mode");
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_openat(&sqe, AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL,
			     0640);
	fd = uring_run_one_sqe_res(&sqe);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ((unsigned int)(S_IFREG | 0640), (unsigned int)st.st_mode);
	EXPECT_EQ(0, st.st_size);
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	close(fd);
	unlink(path);
}

/*
 * openat(2): a relative pathname is resolved against dirfd; the returned
 * descriptor refers to that file and reads its data (IORING_OP_OPENAT,
 * since 5.6).
 */
TEST(openat_relative_path_resolves_against_dirfd)
{
	struct io_uring_sqe sqe;
	char dir[DIR_LEN], path[PATH_LEN], buf[2000];
	struct stat want;
	int dfd, fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT", "openat(2) dirfd");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	dfd = dir_with_file(_metadata, dir, "reldir", path, "data", 5000,
			    &want);
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_openat(&sqe, dfd, "data", O_RDONLY, 0);
	fd = uring_run_one_sqe_res(&sqe);
	expect_same_file(_metadata, fd, &want);
	EXPECT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 1000));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1000));
	close(fd);
	close(dfd);
	unlink(path);
	rmdir(dir);
}

/* openat(2) ENOENT: O_CREAT is not set and the file does not exist (since 5.6). */
TEST(openat_missing_file_gets_enoent)
{
	struct io_uring_sqe sqe;
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT", "openat(2) ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(path, sizeof(path), "no-such-file");
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_openat(&sqe, AT_FDCWD, path, O_RDONLY, 0);
	EXPECT_EQ(-ENOENT, uring_run_one_sqe_res(&sqe));
}

/* openat(2) EEXIST: pathname exists and O_CREAT and O_EXCL were used (since 5.6). */
TEST(openat_o_excl_on_existing_file_gets_eexist)
{
	struct io_uring_sqe sqe;
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT", "openat(2) EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(path, sizeof(path), "excl");
	ASSERT_EQ(0, conform_pattern_file(path, 10));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_openat(&sqe, AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL,
			     0600);
	EXPECT_EQ(-EEXIST, uring_run_one_sqe_res(&sqe));
	unlink(path);
}

/*
 * openat(2) EBADF: pathname is relative but dirfd is neither AT_FDCWD nor a
 * valid file descriptor (IORING_OP_OPENAT, since 5.6).
 */
TEST(openat_relative_path_with_bad_dirfd_gets_ebadf)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT", "openat(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_openat(&sqe, conform_bad_fd(), "anything", O_RDONLY, 0);
	EXPECT_EQ(-EBADF, uring_run_one_sqe_res(&sqe));
}

/*
 * openat2(2) RESOLVE_IN_ROOT: the path is resolved as if dirfd were the root
 * directory, so an absolute "/name" opens dirfd's "name" (IORING_OP_OPENAT2,
 * since 5.6).
 */
TEST(openat2_resolve_in_root_treats_dirfd_as_root)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	char dir[DIR_LEN], path[PATH_LEN];
	struct stat want;
	int dfd, fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT2",
			"openat2(2) RESOLVE_IN_ROOT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT2);
	dfd = dir_with_file(_metadata, dir, "inroot", path, "name", 100,
			    &want);
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	how.resolve = RESOLVE_IN_ROOT;
	prep_openat2(&sqe, dfd, "/name", &how, sizeof(how));
	fd = uring_run_one_sqe_res(&sqe);
	expect_same_file(_metadata, fd, &want);
	close(fd);
	close(dfd);
	unlink(path);
	rmdir(dir);
}

/*
 * openat2(2) EXDEV: RESOLVE_BENEATH is set and resolution would leave dirfd
 * ("..") (IORING_OP_OPENAT2, since 5.6).
 */
TEST(openat2_resolve_beneath_dotdot_gets_exdev)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	char dir[300], outside[300];
	int dfd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT2",
			"openat2(2) EXDEV RESOLVE_BENEATH");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT2);
	conform_tmppath(dir, sizeof(dir), "beneath");
	conform_tmppath(outside, sizeof(outside), "outside");
	ASSERT_EQ(0, mkdir(dir, 0700));
	ASSERT_EQ(0, conform_pattern_file(outside, 10));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	how.resolve = RESOLVE_BENEATH;
	prep_openat2(&sqe, dfd, "../outside", &how, sizeof(how));
	EXPECT_EQ(-EXDEV, uring_run_one_sqe_res(&sqe));
	close(dfd);
	unlink(outside);
	rmdir(dir);
}

/*
 * openat2(2) ELOOP: RESOLVE_NO_SYMLINKS is set and a path component is a
 * symbolic link (IORING_OP_OPENAT2, since 5.6).
 */
TEST(openat2_resolve_no_symlinks_on_symlink_gets_eloop)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	char target[300], link[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT2",
			"openat2(2) ELOOP RESOLVE_NO_SYMLINKS");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT2);
	conform_tmppath(target, sizeof(target), "nosym-target");
	conform_tmppath(link, sizeof(link), "nosym-link");
	ASSERT_EQ(0, conform_pattern_file(target, 10));
	ASSERT_EQ(0, symlink(target, link));
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	how.resolve = RESOLVE_NO_SYMLINKS;
	prep_openat2(&sqe, AT_FDCWD, link, &how, sizeof(how));
	EXPECT_EQ(-ELOOP, uring_run_one_sqe_res(&sqe));
	unlink(link);
	unlink(target);
}

/*
 * openat2(2) EINVAL: "An unknown flag or invalid value was specified in
 * how": here a resolve bit no kernel defines (IORING_OP_OPENAT2, since 5.6).
 */
TEST(openat2_unknown_resolve_bit_gets_einval)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT2",
			"openat2(2) EINVAL unknown flag in how");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT2);
	conform_tmppath(path, sizeof(path), "badresolve");
	ASSERT_EQ(0, conform_pattern_file(path, 10));
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	how.resolve = 1ULL << 63;
	prep_openat2(&sqe, AT_FDCWD, path, &how, sizeof(how));
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	unlink(path);
}

/*
 * openat2(2) EINVAL: size (here the SQE's len) is smaller than any known
 * version of struct open_how (OPEN_HOW_SIZE_VER0 is 24) (since 5.6).
 */
TEST(openat2_open_how_size_below_ver0_gets_einval)
{
	struct io_uring_sqe sqe;
	struct open_how how;
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT2",
			"openat2(2) EINVAL size smaller than "
			"OPEN_HOW_SIZE_VER0");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT2);
	conform_tmppath(path, sizeof(path), "smallhow");
	ASSERT_EQ(0, conform_pattern_file(path, 10));
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	prep_openat2(&sqe, AT_FDCWD, path, &how, 16);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	unlink(path);
}

TEST_HARNESS_MAIN
