// SPDX-License-Identifier: MIT
/*
 * uring/rsrc-tags: resource tags of IORING_REGISTER_BUFFERS2 /
 * IORING_REGISTER_FILES2 and their updates (IORING_REGISTER_BUFFERS_UPDATE,
 * IORING_REGISTER_FILES_UPDATE2): the CQE carrying a tag once the tagged
 * buffer or file is replaced or unregistered, no CQE for tag 0, the EINVAL
 * for a tag on an empty slot, and sparse buffer tables
 * (IORING_RSRC_REGISTER_SPARSE) whose empty slots fail with -EFAULT.
 */
#include <liburing.h>
#include <sys/uio.h>

#include "conform_uring.h"

/* The ring gets this many CQEs' worth of room; the tests post few. */
enum { RING_ENTRIES = 8 };

/* io_uring_register(2) with a struct io_uring_rsrc_register (BUFFERS2/FILES2). */
static int register2(struct io_uring *ring, unsigned int op, unsigned int nr,
		     unsigned int flags, const void *data, const __u64 *tags)
{
	struct io_uring_rsrc_register rr;

	memset(&rr, 0, sizeof(rr));
	rr.nr = nr;
	rr.flags = flags; /* a reserved word before 5.19 */
	rr.data = (__u64)(uintptr_t)data;
	rr.tags = (__u64)(uintptr_t)tags;
	return uring_register_raw(ring, op, &rr, sizeof(rr));
}

/* io_uring_register(2) with a struct io_uring_rsrc_update2. */
static int update2(struct io_uring *ring, unsigned int op, unsigned int off,
		   unsigned int nr, const void *data, const __u64 *tags)
{
	struct io_uring_rsrc_update2 up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.nr = nr;
	up.data = (__u64)(uintptr_t)data;
	up.tags = (__u64)(uintptr_t)tags;
	return uring_register_raw(ring, op, &up, sizeof(up));
}

/*
 * io_uring_register(2) IORING_REGISTER_BUFFERS2: once a tagged buffer "had
 * been unregistered and it's not used anymore, a CQE will be posted with
 * user_data set to the specified tag and all other fields zeroed";
 * IORING_REGISTER_BUFFERS_UPDATE replaces it and returns the number of
 * entries updated (since 5.13).
 */
TEST(buffers_update_posts_tag_of_replaced_buffer)
{
	const __u64 tag_a = 0x1111, tag_b = 0x2222;
	struct iovec iov_a = { uring_anon_buf(4096), 4096 };
	struct iovec iov_b = { uring_anon_buf(4096), 4096 };
	struct io_uring ring;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_BUFFERS2",
			"io_uring_register(2) IORING_REGISTER_BUFFERS2 tags, IORING_REGISTER_BUFFERS_UPDATE");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_NE(NULL, iov_a.iov_base);
	ASSERT_NE(NULL, iov_b.iov_base);
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	ASSERT_EQ(0, register2(&ring, IORING_REGISTER_BUFFERS2, 1, 0, &iov_a, &tag_a));
	EXPECT_EQ(1, update2(&ring, IORING_REGISTER_BUFFERS_UPDATE, 0, 1, &iov_b, &tag_b));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(tag_a, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0u, cqe.flags);
	io_uring_queue_exit(&ring);
	munmap(iov_a.iov_base, 4096);
	munmap(iov_b.iov_base, 4096);
}

/*
 * io_uring_register(2) IORING_REGISTER_FILES2 / FILES_UPDATE2: "See
 * IORING_REGISTER_BUFFERS2 for more info on resource tagging"; replacing a
 * tagged file posts its tag with res 0 and flags 0 (since 5.13).
 */
TEST(files_update2_posts_tag_of_replaced_file)
{
	const __u64 tag_old = 0xf00d, tag_new = 0xbeef;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int pfd[2];

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES2",
			"io_uring_register(2) IORING_REGISTER_FILES2, IORING_REGISTER_FILES_UPDATE2");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	ASSERT_EQ(0, register2(&ring, IORING_REGISTER_FILES2, 1, 0, &pfd[0], &tag_old));
	EXPECT_EQ(1, update2(&ring, IORING_REGISTER_FILES_UPDATE2, 0, 1, &pfd[1], &tag_new));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(tag_old, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0u, cqe.flags);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * io_uring_register(2) IORING_REGISTER_BUFFERS2: "If a tag is zero, then
 * tagging for this particular resource ... is disabled": unregistering a
 * table tagged {0xa, 0, 0xb} posts exactly the CQEs 0xa and 0xb. Tags came
 * in 5.13, but until 6.12 only entries replaced by an update posted theirs;
 * unregistering posts them since 6.13 (commit 7029acd8a950, which frees
 * each resource node on its own and posts its tag then). Debian's 5.10,
 * 6.1 and 6.12 post none (cases/known-failures.txt); 6.18 and 7.2 do.
 */
TEST(unregister_buffers_posts_only_nonzero_tags)
{
	const __u64 tags[3] = { 0xa, 0, 0xb };
	struct iovec iov[3];
	struct io_uring ring;
	struct io_uring_cqe c1, c2;

	CONFORM_DECLARE("6.13", "IORING_REGISTER_BUFFERS2",
			"io_uring_register(2) IORING_REGISTER_BUFFERS2; commit 7029acd8a950 (6.13) posts a tag when its node is freed, unregister included");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	for (int i = 0; i < 3; i++) {
		iov[i] = (struct iovec){ uring_anon_buf(4096), 4096 };
		ASSERT_NE(NULL, iov[i].iov_base);
	}
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	ASSERT_EQ(0, register2(&ring, IORING_REGISTER_BUFFERS2, 3, 0, iov, tags));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_BUFFERS, NULL, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &c1));
	ASSERT_EQ(0, uring_reap_one(&ring, &c2));
	/* Their order is not documented. */
	EXPECT_EQ(0xa + 0xb, c1.user_data + c2.user_data);
	EXPECT_TRUE((c1.user_data == 0xa && c2.user_data == 0xb) ||
		    (c1.user_data == 0xb && c2.user_data == 0xa));
	EXPECT_EQ(0, c1.res);
	EXPECT_EQ(0, c2.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	for (int i = 0; i < 3; i++)
		munmap(iov[i].iov_base, 4096);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_FILES on a table registered with
 * IORING_REGISTER_FILES2: each tagged file, once unregistered and unused,
 * posts its tag (since 6.13, commit 7029acd8a950; from 5.13 to 6.12 only
 * updates post tags). Debian's 5.10, 6.1 and 6.12 post none
 * (cases/known-failures.txt); 6.18 and 7.2 do.
 */
TEST(unregister_files_posts_tag)
{
	const __u64 tag = 0x7a6;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int pfd[2];

	CONFORM_DECLARE("6.13", "IORING_REGISTER_FILES2",
			"io_uring_register(2) IORING_REGISTER_FILES2; commit 7029acd8a950 (6.13) posts a tag when its node is freed, unregister included");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	ASSERT_EQ(0, register2(&ring, IORING_REGISTER_FILES2, 1, 0, &pfd[0], &tag));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(tag, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

/*
 * Kernel io_sqe_files_register() (since 5.13): a tag only makes sense for a
 * file; a sparse entry (fd -1) given a nonzero tag is refused with EINVAL
 * and nothing is registered.
 */
TEST(tag_on_sparse_file_slot_gets_einval)
{
	const __u64 tags[2] = { 0, 0x55 };
	int fds[2] = { -1, -1 };
	struct io_uring ring;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_FILES2",
			"io_sqe_files_register(): a tag on fd -1 is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	EXPECT_EQ(-1, register2(&ring, IORING_REGISTER_FILES2, 2, 0, fds, tags));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(ENXIO, errno);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_sqe_buffers_register() (since 5.13): in IORING_REGISTER_BUFFERS2
 * an iovec with a NULL base and length 0 is an empty slot; a nonzero tag
 * on it is refused with EINVAL.
 */
TEST(tag_on_empty_buffer_slot_gets_einval)
{
	const __u64 tags[2] = { 0x1, 0x2 };
	struct iovec iov[2] = { { uring_anon_buf(4096), 4096 }, { NULL, 0 } };
	struct io_uring ring;

	CONFORM_DECLARE("5.13", "IORING_REGISTER_BUFFERS2",
			"io_sqe_buffers_register(): a tag on an empty slot is EINVAL");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_NE(NULL, iov[0].iov_base);
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	EXPECT_EQ(-1, register2(&ring, IORING_REGISTER_BUFFERS2, 2, 0, iov, tags));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
	munmap(iov[0].iov_base, 4096);
}

/*
 * io_uring_register_buffers_sparse(3) / IORING_RSRC_REGISTER_SPARSE:
 * registers a table of empty buffer slots (data 0) that updates fill in
 * later; a READ_FIXED naming an empty slot fails like one naming no buffer,
 * -EFAULT (io_uring_enter(2) CQE ERRORS). The flag is new in 5.19: before
 * that the word was reserved and the call fails with EINVAL (a skip here).
 */
TEST(read_fixed_on_sparse_buffer_slot_gets_efault)
{
	char *buf = uring_anon_buf(4096);
	struct iovec iov = { buf, 4096 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	int fd, ret;

	CONFORM_DECLARE("5.19", "IORING_RSRC_REGISTER_SPARSE",
			"io_uring_register_buffers_sparse(3); io_uring_enter(2) CQE ERRORS EFAULT");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_RSRC_TAGS);
	ASSERT_NE(NULL, buf);
	fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_uring_queue_init(RING_ENTRIES, &ring, 0));
	ret = register2(&ring, IORING_REGISTER_BUFFERS2, 2,
			IORING_RSRC_REGISTER_SPARSE, NULL, NULL);
	if (ret == -1 && errno == EINVAL) {
		io_uring_queue_exit(&ring);
		close(fd);
		munmap(buf, 4096);
		SKIP(return, "IORING_RSRC_REGISTER_SPARSE: IORING_REGISTER_BUFFERS2 with it gets EINVAL (flag unknown)");
	}
	ASSERT_EQ(0, ret);
	/* Slot 1 gets a buffer; slot 0 stays empty. */
	ASSERT_EQ(1, update2(&ring, IORING_REGISTER_BUFFERS_UPDATE, 1, 1, &iov, NULL));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, buf, 4096, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, buf, 4096, 0, 1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(4096, cqe.res);
	EXPECT_TRUE(conform_check_pattern(buf, 4096, 0));
	io_uring_queue_exit(&ring);
	close(fd);
	munmap(buf, 4096);
}

TEST_HARNESS_MAIN
