// SPDX-License-Identifier: MIT
/*
 * uring/xattr: IORING_OP_FSETXATTR, IORING_OP_SETXATTR, IORING_OP_FGETXATTR
 * and IORING_OP_GETXATTR (Linux 5.19), the asynchronous fsetxattr(2),
 * setxattr(2), fgetxattr(2) and getxattr(2). SQE layout: addr the name,
 * addr2 the value buffer, len its size, xattr_flags the flags, and for the
 * path variants addr3 the path; fd for the fd variants. Covered: set then
 * get round trips (fd and path), the size query (size 0), and the errors
 * of the man pages (EEXIST with XATTR_CREATE, ENODATA with XATTR_REPLACE
 * and on get, ERANGE for a small buffer and a long name, EBADF, ENOENT)
 * and of the kernel's io_uring/xattr.c and fs/xattr.c (EINVAL for flags
 * other than XATTR_CREATE | XATTR_REPLACE on set and for any flag on get,
 * E2BIG for a value over XATTR_SIZE_MAX). Each test works on a file of the
 * private directory, after probing with setxattr(2) that its filesystem
 * takes user.* attributes (else an environment skip with the errno).
 * Sources: setxattr(2), getxattr(2), io_uring_prep_setxattr(3),
 * io_uring_prep_getxattr(3), kernel merge "for-5.19/io_uring-xattr".
 */
#include <liburing.h>
#include <sys/xattr.h>

#include "conform_uring.h"

#define REQUIRE_OP(op) CONFORM_REQUIRE(conform_uring_op_missing(op, #op))

static const char attr_name[] = "user.aioconf";
static const char attr_value[] = "value of user.aioconf";

/*
 * Make <tmpdir>/<name> (4096 bytes of the pattern) and write its path into
 * path. NULL, or why the test cannot run: the file cannot be made
 * (CONFORM_ENV), or the filesystem refuses user.* attributes (probed with
 * setxattr(2) and removexattr(2) of a probe attribute; CONFORM_ENV with
 * the errno).
 */
static const char *xattr_file(char *path, size_t len, const char *name)
{
	conform_tmppath(path, len, name);
	if (conform_pattern_file(path, 4096) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot create %s: %s", path, strerror(errno));
		return conform_why;
	}
	if (setxattr(path, "user.aioconf.probe", "p", 1, 0) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "the filesystem of TMPDIR refuses user.* extended attributes: setxattr(2): %s",
			 strerror(errno));
		unlink(path);
		return conform_why;
	}
	removexattr(path, "user.aioconf.probe");
	return NULL;
}

/*
 * A FSETXATTR (fd >= 0, path NULL) or SETXATTR (path) SQE; op is the one
 * of the four; value/size/flags as setxattr(2).
 */
static void prep_xattr(struct io_uring_sqe *sqe, unsigned char op, int fd,
		       const char *path, const char *name, const void *value,
		       unsigned int size, unsigned int flags)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = path ? -1 : fd;
	sqe->addr = (__u64)(uintptr_t)name;
	sqe->addr2 = (__u64)(uintptr_t)value;
	sqe->len = size;
	sqe->xattr_flags = flags;
	sqe->addr3 = (__u64)(uintptr_t)path;
}

static int uring_fsetxattr(int fd, const char *name, const void *value,
			   unsigned int size, unsigned int flags)
{
	struct io_uring_sqe sqe;

	prep_xattr(&sqe, IORING_OP_FSETXATTR, fd, NULL, name, value, size,
		   flags);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_setxattr(const char *path, const char *name,
			  const void *value, unsigned int size,
			  unsigned int flags)
{
	struct io_uring_sqe sqe;

	prep_xattr(&sqe, IORING_OP_SETXATTR, -1, path, name, value, size,
		   flags);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_fgetxattr(int fd, const char *name, void *value,
			   unsigned int size)
{
	struct io_uring_sqe sqe;

	prep_xattr(&sqe, IORING_OP_FGETXATTR, fd, NULL, name, value, size, 0);
	return uring_run_one_sqe_res(&sqe);
}

static int uring_getxattr(const char *path, const char *name, void *value,
			  unsigned int size)
{
	struct io_uring_sqe sqe;

	prep_xattr(&sqe, IORING_OP_GETXATTR, -1, path, name, value, size, 0);
	return uring_run_one_sqe_res(&sqe);
}

/*
 * io_uring_prep_fsetxattr(3), fsetxattr(2): "On success, zero is returned";
 * io_uring_prep_fgetxattr(3), fgetxattr(2): "On success, these calls
 * return a nonnegative value which is the size (in bytes) of the extended
 * attribute value". A value set through FSETXATTR comes back through
 * FGETXATTR, and through fgetxattr(2) (IORING_OP_FSETXATTR and
 * IORING_OP_FGETXATTR, since 5.19).
 */
TEST(fsetxattr_then_fgetxattr_returns_value)
{
	char path[300], back[64];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_FSETXATTR",
			"fsetxattr(2) and fgetxattr(2) RETURN VALUE; io_uring_prep_fsetxattr(3); io_uring_prep_fgetxattr(3)");
	REQUIRE_OP(IORING_OP_FSETXATTR);
	REQUIRE_OP(IORING_OP_FGETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "fd-round-trip"));
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, uring_fsetxattr(fd, attr_name, attr_value,
				     sizeof(attr_value), 0));
	memset(back, 0, sizeof(back));
	EXPECT_EQ((int)sizeof(attr_value),
		  uring_fgetxattr(fd, attr_name, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, attr_value, sizeof(attr_value)));
	memset(back, 0, sizeof(back));
	EXPECT_EQ((ssize_t)sizeof(attr_value),
		  fgetxattr(fd, attr_name, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, attr_value, sizeof(attr_value)));
	close(fd);
	unlink(path);
}

/*
 * io_uring_prep_setxattr(3), io_uring_prep_getxattr(3): the same through a
 * path (addr3); the value set by SETXATTR is seen by getxattr(2) and comes
 * back through GETXATTR (IORING_OP_SETXATTR and IORING_OP_GETXATTR, since
 * 5.19).
 */
TEST(setxattr_then_getxattr_by_path_returns_value)
{
	char path[300], back[64];

	CONFORM_DECLARE("5.19", "IORING_OP_SETXATTR",
			"setxattr(2) and getxattr(2) RETURN VALUE; io_uring_prep_setxattr(3); io_uring_prep_getxattr(3)");
	REQUIRE_OP(IORING_OP_SETXATTR);
	REQUIRE_OP(IORING_OP_GETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "path-round-trip"));
	EXPECT_EQ(0, uring_setxattr(path, attr_name, attr_value,
				    sizeof(attr_value), 0));
	memset(back, 0, sizeof(back));
	EXPECT_EQ((ssize_t)sizeof(attr_value),
		  getxattr(path, attr_name, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, attr_value, sizeof(attr_value)));
	memset(back, 0, sizeof(back));
	EXPECT_EQ((int)sizeof(attr_value),
		  uring_getxattr(path, attr_name, back, sizeof(back)));
	EXPECT_EQ(0, memcmp(back, attr_value, sizeof(attr_value)));
	unlink(path);
}

/*
 * getxattr(2): "If size is specified as zero, these calls return the
 * current size of the named extended attribute (and leave value
 * unchanged)": GETXATTR and FGETXATTR with len 0 complete with the size
 * and write nothing (since 5.19).
 */
TEST(getxattr_with_size_zero_returns_value_size)
{
	char path[300], back[8];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_GETXATTR",
			"getxattr(2) DESCRIPTION size zero");
	REQUIRE_OP(IORING_OP_GETXATTR);
	REQUIRE_OP(IORING_OP_FGETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "size-query"));
	ASSERT_EQ(0, setxattr(path, attr_name, attr_value, sizeof(attr_value), 0));
	memset(back, 'x', sizeof(back));
	EXPECT_EQ((int)sizeof(attr_value),
		  uring_getxattr(path, attr_name, back, 0));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ((int)sizeof(attr_value), uring_fgetxattr(fd, attr_name, back, 0));
	for (size_t i = 0; i < sizeof(back); i++)
		EXPECT_EQ('x', back[i]);
	close(fd);
	unlink(path);
}

/*
 * setxattr(2) EEXIST: "XATTR_CREATE was specified, and the attribute
 * exists already"; the old value stays (FSETXATTR and SETXATTR, since
 * 5.19).
 */
TEST(setxattr_create_on_existing_attribute_gets_eexist)
{
	char path[300], back[64];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_FSETXATTR",
			"setxattr(2) EEXIST XATTR_CREATE");
	REQUIRE_OP(IORING_OP_FSETXATTR);
	REQUIRE_OP(IORING_OP_SETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "create-existing"));
	ASSERT_EQ(0, setxattr(path, attr_name, attr_value, sizeof(attr_value), 0));
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EEXIST, uring_fsetxattr(fd, attr_name, "new", 3, XATTR_CREATE));
	EXPECT_EQ(-EEXIST, uring_setxattr(path, attr_name, "new", 3, XATTR_CREATE));
	EXPECT_EQ((ssize_t)sizeof(attr_value),
		  getxattr(path, attr_name, back, sizeof(back)));
	close(fd);
	unlink(path);
}

/*
 * setxattr(2) ENODATA: "XATTR_REPLACE was specified, and the attribute
 * does not exist"; nothing is created (FSETXATTR and SETXATTR, since
 * 5.19).
 */
TEST(setxattr_replace_on_missing_attribute_gets_enodata)
{
	char path[300];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_FSETXATTR",
			"setxattr(2) ENODATA XATTR_REPLACE");
	REQUIRE_OP(IORING_OP_FSETXATTR);
	REQUIRE_OP(IORING_OP_SETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "replace-missing"));
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENODATA, uring_fsetxattr(fd, attr_name, "new", 3,
					    XATTR_REPLACE));
	EXPECT_EQ(-ENODATA, uring_setxattr(path, attr_name, "new", 3,
					   XATTR_REPLACE));
	EXPECT_EQ(-1, getxattr(path, attr_name, NULL, 0));
	EXPECT_EQ(ENODATA, errno);
	close(fd);
	unlink(path);
}

/*
 * getxattr(2) ENODATA: "The named attribute does not exist, or the process
 * has no access to this attribute" (GETXATTR and FGETXATTR, since 5.19).
 */
TEST(getxattr_missing_attribute_gets_enodata)
{
	char path[300], back[64];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_GETXATTR", "getxattr(2) ENODATA");
	REQUIRE_OP(IORING_OP_GETXATTR);
	REQUIRE_OP(IORING_OP_FGETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "get-missing"));
	EXPECT_EQ(-ENODATA, uring_getxattr(path, attr_name, back, sizeof(back)));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENODATA, uring_fgetxattr(fd, attr_name, back, sizeof(back)));
	close(fd);
	unlink(path);
}

/*
 * getxattr(2) ERANGE: "The size of the value buffer is too small to hold
 * the result" (GETXATTR and FGETXATTR, since 5.19).
 */
TEST(getxattr_with_too_small_buffer_gets_erange)
{
	char path[300], back[4];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_GETXATTR", "getxattr(2) ERANGE");
	REQUIRE_OP(IORING_OP_GETXATTR);
	REQUIRE_OP(IORING_OP_FGETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "small-buffer"));
	ASSERT_EQ(0, setxattr(path, attr_name, attr_value, sizeof(attr_value), 0));
	EXPECT_EQ(-ERANGE, uring_getxattr(path, attr_name, back, sizeof(back)));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ERANGE, uring_fgetxattr(fd, attr_name, back, sizeof(back)));
	close(fd);
	unlink(path);
}

/*
 * setxattr(2) ERANGE: "The size of name or value exceeds a
 * filesystem-specific limit": a name of 300 bytes, longer than
 * XATTR_NAME_MAX (255, <linux/limits.h>), is refused before the
 * filesystem is asked, on set and on get (fs/xattr.c; SETXATTR and
 * GETXATTR, since 5.19).
 */
TEST(xattr_name_too_long_gets_erange)
{
	char path[300], name[XATTR_NAME_MAX + 46], back[8];

	CONFORM_DECLARE("5.19", "IORING_OP_SETXATTR",
			"setxattr(2) ERANGE; getxattr(2) ERANGE");
	REQUIRE_OP(IORING_OP_SETXATTR);
	REQUIRE_OP(IORING_OP_GETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "long-name"));
	memcpy(name, "user.", 5);
	memset(name + 5, 'n', sizeof(name) - 6);
	name[sizeof(name) - 1] = '\0';
	EXPECT_EQ(-ERANGE, uring_setxattr(path, name, "v", 1, 0));
	EXPECT_EQ(-ERANGE, uring_getxattr(path, name, back, sizeof(back)));
	unlink(path);
}

/*
 * fs/xattr.c setxattr_copy() (the kernel's io_uring/xattr.c uses it): a
 * value longer than XATTR_SIZE_MAX (65536 bytes, <linux/limits.h>) is
 * refused with E2BIG before the filesystem is asked (FSETXATTR, since
 * 5.19).
 */
TEST(fsetxattr_value_over_size_max_gets_e2big)
{
	const size_t big = XATTR_SIZE_MAX + 1;
	char path[300];
	void *value;
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_FSETXATTR",
			"fs/xattr.c setxattr_copy: size > XATTR_SIZE_MAX gets E2BIG");
	REQUIRE_OP(IORING_OP_FSETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "too-big"));
	ASSERT_NE(NULL, value = calloc(1, big));
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-E2BIG, uring_fsetxattr(fd, attr_name, value, big, 0));
	close(fd);
	free(value);
	unlink(path);
}

/*
 * fsetxattr(2), fgetxattr(2) EBADF (the fd operations fail like any call
 * given a closed descriptor; io_uring_enter(2) CQE errors: EBADF
 * "The fd field in the submission queue entry is invalid")
 * (FSETXATTR and FGETXATTR, since 5.19).
 */
TEST(fxattr_bad_fd_gets_ebadf)
{
	char back[8];
	int bad;

	CONFORM_DECLARE("5.19", "IORING_OP_FGETXATTR",
			"io_uring_enter(2) EBADF; fgetxattr(2) EBADF");
	REQUIRE_OP(IORING_OP_FSETXATTR);
	REQUIRE_OP(IORING_OP_FGETXATTR);
	bad = conform_bad_fd();
	EXPECT_EQ(-EBADF, uring_fsetxattr(bad, attr_name, "v", 1, 0));
	EXPECT_EQ(-EBADF, uring_fgetxattr(bad, attr_name, back, sizeof(back)));
}

/*
 * setxattr(2), getxattr(2) ENOENT (path_resolution(7)): a path that does
 * not exist (SETXATTR and GETXATTR, since 5.19).
 */
TEST(xattr_missing_path_gets_enoent)
{
	char path[300], back[8];

	CONFORM_DECLARE("5.19", "IORING_OP_GETXATTR",
			"setxattr(2) and getxattr(2): errors of path resolution, ENOENT");
	REQUIRE_OP(IORING_OP_SETXATTR);
	REQUIRE_OP(IORING_OP_GETXATTR);
	conform_tmppath(path, sizeof(path), "no-such-file");
	EXPECT_EQ(-ENOENT, uring_setxattr(path, attr_name, "v", 1, 0));
	EXPECT_EQ(-ENOENT, uring_getxattr(path, attr_name, back, sizeof(back)));
}

/*
 * fs/xattr.c setxattr_copy(): flags other than XATTR_CREATE and
 * XATTR_REPLACE get EINVAL (setxattr(2) lists only those two); nothing is
 * set (FSETXATTR and SETXATTR, since 5.19).
 */
TEST(setxattr_unknown_flag_gets_einval)
{
	/* The lowest bit above the two documented flags. */
	const unsigned int unknown = (XATTR_CREATE | XATTR_REPLACE) + 1;
	char path[300];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_SETXATTR",
			"setxattr(2) flags; fs/xattr.c setxattr_copy EINVAL");
	REQUIRE_OP(IORING_OP_FSETXATTR);
	REQUIRE_OP(IORING_OP_SETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "set-bad-flag"));
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, uring_fsetxattr(fd, attr_name, "v", 1, unknown));
	EXPECT_EQ(-EINVAL, uring_setxattr(path, attr_name, "v", 1, unknown));
	EXPECT_EQ(-1, getxattr(path, attr_name, NULL, 0));
	EXPECT_EQ(ENODATA, errno);
	close(fd);
	unlink(path);
}

/*
 * Kernel io_uring/xattr.c __io_getxattr_prep() (commit "io_uring: add
 * fgetxattr and getxattr support", 5.19): getxattr takes no flags, and a
 * nonzero xattr_flags, even XATTR_CREATE, is refused with EINVAL
 * (GETXATTR and FGETXATTR, since 5.19).
 */
TEST(getxattr_with_flags_set_gets_einval)
{
	struct io_uring_sqe sqe;
	char path[300], back[64];
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_FGETXATTR",
			"io_uring/xattr.c __io_getxattr_prep: xattr_flags must be 0");
	REQUIRE_OP(IORING_OP_GETXATTR);
	REQUIRE_OP(IORING_OP_FGETXATTR);
	CONFORM_REQUIRE(xattr_file(path, sizeof(path), "get-flags"));
	ASSERT_EQ(0, setxattr(path, attr_name, attr_value, sizeof(attr_value), 0));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	prep_xattr(&sqe, IORING_OP_FGETXATTR, fd, NULL, attr_name, back,
		   sizeof(back), XATTR_CREATE);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_xattr(&sqe, IORING_OP_GETXATTR, -1, path, attr_name, back,
		   sizeof(back), 1U << 31);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(fd);
	unlink(path);
}

TEST_HARNESS_MAIN
