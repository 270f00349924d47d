// SPDX-License-Identifier: MIT
/*
 * uring/pbuf-ring-mmap: provided-buffer rings whose memory the kernel
 * allocates, IOU_PBUF_RING_MMAP (6.4): registration without a ring
 * address, the ring mapped from the ring fd at IORING_OFF_PBUF_RING plus
 * the group ID shifted by IORING_OFF_PBUF_SHIFT, a read served from it,
 * and the refusals: bad ring sizes, a taken group, mapping a group that
 * is not kernel-allocated or is gone.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { ENTRIES = 8, BUF_LEN = 64 };

static int unreg_pbuf(struct io_uring *ring, unsigned int bgid)
{
	struct io_uring_buf_reg reg = uring_pbuf_reg(0, 0, bgid, 0);

	return uring_register_raw(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

static size_t ring_bytes(void)
{
	return (size_t)ENTRIES * sizeof(struct io_uring_buf);
}

/* mmap the buffer ring of group bgid: the mapping, or MAP_FAILED with
 * *err = errno. */
static void *map_pbuf(struct io_uring *ring, unsigned int bgid, int *err)
{
	void *p = mmap(NULL, ring_bytes(), PROT_READ | PROT_WRITE, MAP_SHARED,
		       ring->ring_fd,
		       (off_t)(REF_IORING_OFF_PBUF_RING | ((__u64)bgid << REF_IORING_OFF_PBUF_SHIFT)));

	*err = p == MAP_FAILED ? errno : 0;
	return p;
}

static const char *mmap_flag_missing(void)
{
	struct io_uring_buf_reg reg = uring_pbuf_reg(0, ENTRIES, 1, REF_IOU_PBUF_RING_MMAP);

	return uring_register_missing(IORING_REGISTER_PBUF_RING, &reg, 1,
				      "IORING_REGISTER_PBUF_RING with IOU_PBUF_RING_MMAP");
}

#define REQUIRE_PBUF_MMAP() CONFORM_REQUIRE(mmap_flag_missing())

/* A buffer ring in the application's memory registers (5.19). */
#define REQUIRE_PBUF_RING() CONFORM_REQUIRE(uring_pbuf_ring_missing(ENTRIES, 1))

/* A 4-entry ring with a kernel-allocated buffer ring for bgid; its mapping. */
static struct io_uring_buf_ring *
ring_with_mapped_pbuf(struct __test_metadata *_metadata, struct io_uring *ring,
		      unsigned int bgid)
{
	struct io_uring_buf_ring *br;
	int err;

	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(0, uring_register_pbuf_ring_raw(ring, 0, ENTRIES, bgid,
						  REF_IOU_PBUF_RING_MMAP));
	br = map_pbuf(ring, bgid, &err);
	ASSERT_NE(MAP_FAILED, (void *)br) TH_LOG("mmap: %s", strerror(err));
	return br;
}

/*
 * io_uring_register(2) IORING_REGISTER_PBUF_RING, IOU_PBUF_RING_MMAP: the
 * kernel allocates the ring and the application maps it at
 * IORING_OFF_PBUF_RING | (bgid << IORING_OFF_PBUF_SHIFT); it starts empty,
 * every entry and the tail zero (since 6.4).
 */
TEST(kernel_allocated_ring_maps_at_group_offset_and_starts_empty)
{
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	unsigned char zero[ENTRIES * sizeof(struct io_uring_buf)];

	CONFORM_DECLARE("6.4", "IOU_PBUF_RING_MMAP",
			"io_uring_register(2) IORING_REGISTER_PBUF_RING "
			"IOU_PBUF_RING_MMAP");
	REQUIRE_PBUF_MMAP();
	br = ring_with_mapped_pbuf(_metadata, &ring, 7);
	memset(zero, 0, sizeof(zero));
	EXPECT_EQ(0, memcmp(br, zero, sizeof(zero)));
	EXPECT_EQ(0, br->tail);
	munmap(br, ring_bytes());
	io_uring_queue_exit(&ring);
}

/*
 * IOU_PBUF_RING_MMAP: a buffer added through the mapping is selected by a
 * read with IOSQE_BUFFER_SELECT on that group: the CQE has
 * IORING_CQE_F_BUFFER and the buffer ID, and the data is in that buffer
 * (since 6.4).
 */
TEST(buffer_added_through_mapping_serves_a_read)
{
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	char data[10], *buf;
	int p[2];

	CONFORM_DECLARE("6.4", "IOU_PBUF_RING_MMAP",
			"io_uring_register(2) IOU_PBUF_RING_MMAP; "
			"io_uring_enter(2) IOSQE_BUFFER_SELECT");
	REQUIRE_PBUF_MMAP();
	br = ring_with_mapped_pbuf(_metadata, &ring, 3);
	buf = uring_anon_buf(BUF_LEN);
	ASSERT_NE(NULL, buf);
	io_uring_buf_ring_add(br, buf, BUF_LEN, 5,
			      io_uring_buf_ring_mask(ENTRIES), 0);
	io_uring_buf_ring_advance(br, 1);
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(p[1], data, sizeof(data)));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_read(&sqe, p[0], NULL, BUF_LEN, 0);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = 3;
	ASSERT_EQ(0, uring_run_sqe(&ring, &sqe, &cqe));
	EXPECT_EQ((int)sizeof(data), cqe.res);
	EXPECT_EQ((unsigned int)IORING_CQE_F_BUFFER, cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_EQ(5u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(data), 0));
	close(p[0]);
	close(p[1]);
	munmap(buf, BUF_LEN);
	munmap(br, ring_bytes());
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_PBUF_RING: ring_entries must be a
 * power of two, with or without IOU_PBUF_RING_MMAP; 6 gets EINVAL. Checked
 * for a ring in the application's memory (since 5.19) and, where the flag
 * registers, for a kernel-allocated one (IOU_PBUF_RING_MMAP, since 6.4);
 * without the flag the log says what its probe saw.
 */
TEST(mmap_flag_with_non_power_of_two_entries_gets_einval)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct io_uring ring;
	const char *no_mmap;
	void *mem;

	CONFORM_DECLARE("5.19", "IORING_REGISTER_PBUF_RING",
			"io_uring_register_buf_ring(3) ring_entries power of "
			"two; io_uring/kbuf.c io_register_pbuf_ring()");
	REQUIRE_PBUF_RING();
	no_mmap = mmap_flag_missing();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	mem = uring_anon_buf(page);
	ASSERT_NE(NULL, mem);
	EXPECT_EQ(-1, uring_register_pbuf_ring_raw(&ring, (__u64)(uintptr_t)mem,
						   6, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	if (no_mmap) {
		TH_LOG("kernel-allocated variant not run: %s", no_mmap);
	} else {
		EXPECT_EQ(-1, uring_register_pbuf_ring_raw(&ring, 0, 6, 1,
							   REF_IOU_PBUF_RING_MMAP));
		EXPECT_EQ(EINVAL, errno);
	}
	munmap(mem, page);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_PBUF_RING: a group ID that already
 * has a ring gets EEXIST, kernel-allocated or not. Checked for rings in the
 * application's memory (since 5.19) and, where the flag registers, for
 * kernel-allocated ones (IOU_PBUF_RING_MMAP, since 6.4); without the flag
 * the log says what its probe saw.
 */
TEST(second_ring_for_same_group_gets_eexist)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct io_uring ring;
	const char *no_mmap;
	void *mem[2];

	CONFORM_DECLARE("5.19", "IORING_REGISTER_PBUF_RING",
			"io_uring_register_buf_ring(3); io_uring/kbuf.c "
			"io_register_pbuf_ring(): -EEXIST for a group with a "
			"ring");
	REQUIRE_PBUF_RING();
	no_mmap = mmap_flag_missing();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	mem[0] = uring_anon_buf(page);
	ASSERT_NE(NULL, mem[0]);
	mem[1] = uring_anon_buf(page);
	ASSERT_NE(NULL, mem[1]);
	ASSERT_EQ(0, uring_register_pbuf_ring_raw(&ring, (__u64)(uintptr_t)mem[0],
						  ENTRIES, 2, 0));
	EXPECT_EQ(-1, uring_register_pbuf_ring_raw(&ring, (__u64)(uintptr_t)mem[1],
						   ENTRIES, 2, 0));
	EXPECT_EQ(EEXIST, errno);
	if (no_mmap) {
		TH_LOG("kernel-allocated variant not run: %s", no_mmap);
	} else {
		ASSERT_EQ(0, uring_register_pbuf_ring_raw(&ring, 0, ENTRIES, 3,
							  REF_IOU_PBUF_RING_MMAP));
		EXPECT_EQ(-1, uring_register_pbuf_ring_raw(&ring, 0, ENTRIES, 3,
							   REF_IOU_PBUF_RING_MMAP));
		EXPECT_EQ(EEXIST, errno);
	}
	io_uring_queue_exit(&ring);
	munmap(mem[0], page);
	munmap(mem[1], page);
}

/*
 * Kernel io_uring_validate_mmap_request (6.4): only a kernel-allocated
 * buffer ring can be mapped; the offset of a group registered with the
 * application's own memory is refused.
 */
TEST(user_memory_ring_cannot_be_mapped)
{
	struct io_uring ring;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *mem, *map;
	int err;

	CONFORM_DECLARE("6.4", "IOU_PBUF_RING_MMAP",
			"io_uring/io_uring.c io_uring_validate_mmap_request()");
	REQUIRE_PBUF_MMAP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	mem = uring_anon_buf(page);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, uring_register_pbuf_ring_raw(&ring, (__u64)(uintptr_t)mem,
						  ENTRIES, 4, 0));
	map = map_pbuf(&ring, 4, &err);
	uring_expect_mmap_refused(_metadata, map, err, ring_bytes());
	EXPECT_EQ(0, unreg_pbuf(&ring, 4));
	munmap(mem, page);
	io_uring_queue_exit(&ring);
}

/*
 * IORING_UNREGISTER_PBUF_RING frees the kernel-allocated ring: its offset
 * can no longer be mapped (kernel io_uring_validate_mmap_request, 6.4).
 */
TEST(unregistered_group_cannot_be_mapped)
{
	struct io_uring ring;
	void *map;
	int err;

	CONFORM_DECLARE("6.4", "IOU_PBUF_RING_MMAP",
			"io_uring/io_uring.c io_uring_validate_mmap_request()");
	REQUIRE_PBUF_MMAP();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_pbuf_ring_raw(&ring, 0, ENTRIES, 6,
						  REF_IOU_PBUF_RING_MMAP));
	ASSERT_EQ(0, unreg_pbuf(&ring, 6));
	map = map_pbuf(&ring, 6, &err);
	uring_expect_mmap_refused(_metadata, map, err, ring_bytes());
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
