// SPDX-License-Identifier: MIT
/*
 * ref/ring-openat-close: IORING_OP_OPENAT and IORING_OP_CLOSE through the
 * reference ring, inside the program's private directory: creating a file
 * with a mode, opening relative to a directory fd, the ENOENT/EEXIST errors,
 * and closing (an fd closed by the ring is gone; a bad fd gives EBADF).
 */
#include "conform_ref.h"

/*
 * io_uring_enter(2) IORING_OP_OPENAT: like openat(2), res is the new fd;
 * O_CREAT takes the mode from len (since 5.6). Mode 0600 (not reduced by a
 * usual umask of 022); fstat shows a regular file with that mode.
 */
TEST(openat_creates_file_with_mode)
{
	char path[300];
	struct ref_ring ring;
	struct stat st;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"io_uring_enter(2) IORING_OP_OPENAT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(path, sizeof(path), "created");
	umask(022);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_openat(&ring, AT_FDCWD, path,
				    O_CREAT | O_RDWR | O_CLOEXEC, 0600, 1));
	fd = ref_case_run_one(&ring, 1);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0600u, st.st_mode & 07777);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	ref_ring_free(&ring);
	unlink(path);
}

/*
 * openat(2): a relative pathname is resolved relative to dirfd
 * (IORING_OP_OPENAT since 5.6). A file made in the private directory is
 * opened through an O_DIRECTORY fd by its bare name and has its content.
 */
TEST(openat_resolves_relative_to_dirfd)
{
	char path[300], buf[8];
	struct ref_ring ring;
	int dfd, wfd, fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT", "openat(2) dirfd");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(path, sizeof(path), "rel");
	wfd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(4, write(wfd, "data", 4));
	close(wfd);
	dfd = open(conform_tmpdir(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_openat(&ring, dfd, "rel", O_RDONLY | O_CLOEXEC, 0, 1));
	fd = ref_case_run_one(&ring, 1);
	ASSERT_LE(0, fd);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "data", 4));
	close(fd);
	close(dfd);
	ref_ring_free(&ring);
	unlink(path);
}

/*
 * openat(2) ENOENT: "O_CREAT is not set and the named file does not exist";
 * EEXIST: "pathname already exists and O_CREAT and O_EXCL were used"
 * (IORING_OP_OPENAT since 5.6).
 */
TEST(openat_missing_enoent_and_existing_excl_eexist)
{
	char missing[300], existing[300];
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"openat(2) ENOENT and EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(missing, sizeof(missing), "no-such-file");
	conform_tmppath(existing, sizeof(existing), "exists");
	fd = open(existing, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_openat(&ring, AT_FDCWD, missing, O_RDONLY, 0, 1));
	EXPECT_EQ(-ENOENT, ref_case_run_one(&ring, 1));
	ASSERT_TRUE(ref_prep_openat(&ring, AT_FDCWD, existing,
				    O_CREAT | O_EXCL | O_WRONLY, 0600, 2));
	EXPECT_EQ(-EEXIST, ref_case_run_one(&ring, 2));
	ref_ring_free(&ring);
	unlink(existing);
}

/*
 * io_uring_enter(2) IORING_OP_CLOSE: like close(2), res 0, and the fd is
 * closed for the process: fcntl then fails with EBADF (since 5.6).
 */
TEST(close_closes_the_fd)
{
	struct ref_ring ring;
	int p[2];

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE",
			"io_uring_enter(2) IORING_OP_CLOSE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_close(&ring, p[1], 1));
	EXPECT_EQ(0, ref_case_run_one(&ring, 1));
	errno = 0;
	EXPECT_EQ(-1, fcntl(p[1], F_GETFD));
	EXPECT_EQ(EBADF, errno);
	ref_ring_free(&ring);
	close(p[0]);
}

/* close(2) EBADF: "fd isn't a valid open file descriptor" (5.6). */
TEST(close_of_bad_fd_gets_ebadf)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.6", "IORING_OP_CLOSE", "close(2) EBADF");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CLOSE);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_close(&ring, conform_bad_fd(), 1));
	EXPECT_EQ(-EBADF, ref_case_run_one(&ring, 1));
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
