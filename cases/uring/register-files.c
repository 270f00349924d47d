// SPDX-License-Identifier: MIT
/*
 * uring/register-files: what uring/files-update does not cover of
 * IORING_REGISTER_FILES / IORING_UNREGISTER_FILES and IOSQE_FIXED_FILE: the
 * table's own reference to a file whose fd was closed, IOSQE_FIXED_FILE on
 * a ring without a table, IORING_REGISTER_FILES_SKIP in updates (and, not
 * being -1, refused in the array of IORING_REGISTER_FILES), the EMFILE /
 * EINVAL / EBADF limits of registration (too many files, arguments to
 * unregister, a ring fd in its own table), and the tags of
 * IORING_REGISTER_FILES_UPDATE2: refused with fd -1 or SKIP, taken on a
 * table registered without tags.
 */
#include <liburing.h>

#include "conform_uring.h"

/* Read 4096 bytes at offset 4096 through fixed file idx; the CQE's res. */
static int read_fixed_file(struct io_uring *ring, int idx, char *buf)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_read(sqe, idx, buf, 4096, 4096);
	sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, 0xf11e);
	return uring_submit_res_or_error(ring);
}

/*
 * io_uring_register(2): registering lets "the kernel ... take long term
 * references" to the files: the table entry still works after the
 * application closes its fd (since 5.1; the read here is IORING_OP_READ,
 * so 5.6).
 */
TEST(fixed_file_usable_after_fd_is_closed)
{
	struct io_uring ring;
	char buf[4096];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_FILES",
			"io_uring_register(2) IORING_REGISTER_FILES: long term references");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_FILES, &fd, 1));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(4096, read_fixed_file(&ring, 0, buf));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) CQE ERRORS: EBADF when "the IOSQE_FIXED_FILE flag was
 * set in the submission queue entry, but no files were registered"
 * (since 5.1; the read here is IORING_OP_READ, so 5.6).
 */
TEST(fixed_file_without_registered_files_gets_ebadf)
{
	struct io_uring ring;
	char buf[4096];

	CONFORM_DECLARE("5.6", "IOSQE_FIXED_FILE",
			"io_uring_enter(2) CQE ERRORS EBADF: IOSQE_FIXED_FILE without registered files");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EBADF, read_fixed_file(&ring, 0, buf));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES_UPDATE: an fd set to
 * IORING_REGISTER_FILES_SKIP "will not touch the file associated with the
 * previous fd at that index" (since 5.12, commit 4e0377a1c5c6; before,
 * -2 is taken as an fd and the update fails with EBADF, which this test
 * reports as a skip).
 */
TEST(files_update_skip_keeps_slot)
{
	struct io_uring ring;
	char buf[4096];
	int fd, pfd[2], upd[2], fds[2], ret;

	CONFORM_DECLARE("5.12", "IORING_REGISTER_FILES_SKIP",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE; commit 4e0377a1c5c6 (5.12)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	fds[0] = fd;
	fds[1] = -1;
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_FILES, fds, 2));
	upd[0] = IORING_REGISTER_FILES_SKIP;
	upd[1] = pfd[0];
	ret = uring_files_update_raw(&ring, 0, upd, 2);
	if (ret == -1 && errno == EBADF) {
		io_uring_queue_exit(&ring);
		close(fd);
		close(pfd[0]);
		close(pfd[1]);
		SKIP(return, "IORING_REGISTER_FILES_SKIP: an update with it gets EBADF (taken as an fd)");
	}
	EXPECT_EQ(2, ret);
	EXPECT_EQ(4096, read_fixed_file(&ring, 0, buf));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 4096));
	io_uring_queue_exit(&ring);
	close(fd);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring_register(2) ERRORS: EMFILE when IORING_REGISTER_FILES' "nr_args
 * exceeds the maximum allowed number of files in a fixed file set"
 * (IORING_MAX_FIXED_FILES: 1 << 15 before 5.15, 1 << 20 since); 2^20 + 1
 * is above both, so the array is never read (since 5.1).
 */
TEST(register_too_many_files_gets_emfile)
{
	struct io_uring ring;
	int fd = 0;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_uring_register(2) ERRORS EMFILE");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_FILES, &fd,
					 (1U << 20) + 1));
	EXPECT_EQ(EMFILE, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) ERRORS: EINVAL when IORING_UNREGISTER_FILES "was
 * specified, and nr_args is non-zero or arg is non-NULL"; the table stays
 * (since 5.1).
 */
TEST(unregister_files_with_nonzero_nr_args_gets_einval)
{
	struct io_uring ring;
	int pfd[2];

	CONFORM_DECLARE("5.1", "IORING_UNREGISTER_FILES",
			"io_uring_register(2) ERRORS EINVAL: nr_args non-zero");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_FILES, pfd, 2));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * Kernel io_sqe_files_register() (since 5.1): io_uring instances are not
 * allowed in a fixed file table (a ring in its own table would be a
 * reference cycle); the ring's fd is refused like an invalid fd, EBADF
 * (io_uring_register(2) ERRORS: "One or more fds in the fd array are
 * invalid").
 */
TEST(register_ring_fd_in_file_table_gets_ebadf)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_sqe_files_register(): io_uring fds are refused, EBADF");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_FILES, &ring.ring_fd, 1));
	EXPECT_EQ(EBADF, errno);
	io_uring_queue_exit(&ring);
}

/* IORING_REGISTER_FILES_UPDATE2 (5.13) of nr fds with their tags (tags may
 * be NULL) from slot offset on; as the system call returns. */
static int files_update2_tagged(struct io_uring *ring, unsigned int offset,
				int *fds, __u64 *tags, unsigned int nr)
{
	struct io_uring_rsrc_update2 up;

	memset(&up, 0, sizeof(up));
	up.offset = offset;
	up.data = (__u64)(uintptr_t)fds;
	up.tags = (__u64)(uintptr_t)tags;
	up.nr = nr;
	return uring_register_raw(ring, IORING_REGISTER_FILES_UPDATE2, &up,
				  sizeof(up));
}

/*
 * Kernel io_sqe_files_register(): only -1 makes a sparse slot ("allow
 * sparse sets"); IORING_REGISTER_FILES_SKIP means "skip" in updates only
 * (io_uring_register(2) IORING_REGISTER_FILES_UPDATE), and in the array of
 * IORING_REGISTER_FILES it is taken as an fd, an invalid one: EBADF ("One
 * or more fds in the fd array are invalid"), and no table is registered
 * (IORING_UNREGISTER_FILES then finds none, ENXIO). -2 has been refused
 * this way since 5.1; it got the name IORING_REGISTER_FILES_SKIP in 5.12.
 */
TEST(files_skip_in_register_array_gets_ebadf)
{
	struct io_uring ring;
	int fds[2];

	CONFORM_DECLARE("5.1", "IORING_REGISTER_FILES",
			"io_sqe_files_register(): only -1 is sparse; io_uring_register(2) ERRORS EBADF");
	CONFORM_REQUIRE_URING();
	fds[0] = conform_temp_file(10, 0);
	ASSERT_LE(0, fds[0]);
	fds[1] = IORING_REGISTER_FILES_SKIP;
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(ENXIO, errno);
	io_uring_queue_exit(&ring);
	close(fds[0]);
}

/*
 * Kernel __io_sqe_files_update(): a tag belongs to a file; an
 * IORING_REGISTER_FILES_UPDATE2 entry that empties its slot (fd -1) with a
 * nonzero tag is refused with EINVAL, and the slot keeps its file
 * (since 5.13).
 */
TEST(files_update2_tag_on_removal_gets_einval)
{
	struct io_uring ring;
	__u64 tag = 0x7a9;
	char buf[4096];
	int fd, none = -1;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"__io_sqe_files_update(): a tag with fd -1 is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_FILES, &fd, 1));
	EXPECT_EQ(-1, files_update2_tagged(&ring, 0, &none, &tag, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(4096, read_fixed_file(&ring, 0, buf));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * Kernel __io_sqe_files_update(): IORING_REGISTER_FILES_SKIP leaves the
 * slot as it is, so a tag for it has nothing to name: SKIP with a nonzero
 * tag is refused with EINVAL (IORING_REGISTER_FILES_UPDATE2, since 5.13).
 */
TEST(files_update2_skip_with_tag_gets_einval)
{
	struct io_uring ring;
	__u64 tag = 0x5c1;
	char buf[4096];
	int fd, skip = IORING_REGISTER_FILES_SKIP;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_SKIP",
			"__io_sqe_files_update(): a tag with IORING_REGISTER_FILES_SKIP is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_FILES, &fd, 1));
	EXPECT_EQ(-1, files_update2_tagged(&ring, 0, &skip, &tag, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(4096, read_fixed_file(&ring, 0, buf));
	io_uring_queue_exit(&ring);
	close(fd);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES_UPDATE2: "tags points to an
 * array of tags", with no condition on how the table was registered: a
 * table registered without tags (IORING_REGISTER_FILES) takes a tagged
 * update (1), and when that file is later replaced its tag is posted,
 * res 0 and flags 0 (IORING_REGISTER_BUFFERS2 tagging; since 5.13).
 */
TEST(files_update2_tag_on_untagged_table_is_posted_on_replacement)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	__u64 tag = 0x7a6;
	int pfd[2], none = -1, sparse = -1;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES_UPDATE2",
			"io_uring_register(2) IORING_REGISTER_FILES_UPDATE2, IORING_REGISTER_BUFFERS2 tags");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_FILES, &sparse, 1));
	EXPECT_EQ(1, files_update2_tagged(&ring, 0, &pfd[0], &tag, 1));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	EXPECT_EQ(1, files_update2_tagged(&ring, 0, &none, NULL, 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(tag, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0u, cqe.flags);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_HARNESS_MAIN
