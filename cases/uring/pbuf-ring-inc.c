// SPDX-License-Identifier: MIT
/*
 * uring/pbuf-ring-inc: incrementally consumed provided-buffer rings,
 * IOU_PBUF_RING_INC (6.12): a read takes only the bytes it needs from the
 * head buffer, which stays at the head for the next read (the CQE says so
 * with IORING_CQE_F_BUF_MORE), the kernel moves the entry's addr and len
 * past the consumed bytes, and a buffer used up moves the head on; with
 * IOU_PBUF_RING_MMAP too; and the refusals around it: legacy
 * IORING_OP_PROVIDE_BUFFERS into its group (-EINVAL), an INC ring for a
 * group of legacy buffers (EEXIST), the flag given to unregister (EINVAL).
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { ENTRIES = 4, BGID = 1 };

/* A ring with an incrementally consumed buffer ring of group BGID. */
struct inc_ring {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	size_t br_len;
	int pipe[2];
};

/* Register mem as the buffer ring of group BGID, with flags; as the system
 * call returns (uring_register_pbuf_ring_raw()). */
static int reg_pbuf(struct io_uring *ring, void *mem, unsigned int flags)
{
	return uring_register_pbuf_ring_raw(ring, (__u64)(uintptr_t)mem, ENTRIES,
					    BGID, flags);
}

/* Set up ring, buffer ring (flags) and pipe; 0, or the errno. */
static int inc_ring_init(struct inc_ring *r, unsigned int flags)
{
	memset(r, 0, sizeof(*r));
	r->br_len = (size_t)sysconf(_SC_PAGESIZE);
	r->br = uring_anon_buf(r->br_len);
	if (!r->br)
		return ENOMEM;
	if (io_uring_queue_init(4, &r->ring, 0)) {
		munmap(r->br, r->br_len);
		return ENOMEM;
	}
	if (reg_pbuf(&r->ring, r->br, flags) < 0 || conform_pipe(r->pipe) < 0) {
		int err = errno;

		io_uring_queue_exit(&r->ring);
		munmap(r->br, r->br_len);
		return err;
	}
	return 0;
}

static void inc_ring_free(struct inc_ring *r)
{
	close(r->pipe[0]);
	close(r->pipe[1]);
	io_uring_queue_exit(&r->ring);
	munmap(r->br, r->br_len);
}

/* Give buffer bid of len bytes at addr to the kernel. */
static void add_buf(struct inc_ring *r, void *addr, unsigned int len, int bid)
{
	io_uring_buf_ring_add(r->br, addr, len, (unsigned short)bid,
			      io_uring_buf_ring_mask(ENTRIES), 0);
	io_uring_buf_ring_advance(r->br, 1);
}

/*
 * Write n pattern bytes (stream offset off) into the pipe, then read with a
 * buffer from group BGID (at most 256 bytes); the CQE goes to *cqe.
 */
static int pipe_read_selected(struct inc_ring *r, size_t n,
			      unsigned long long off, struct io_uring_cqe *cqe)
{
	char data[256];
	struct io_uring_sqe sqe;

	conform_fill_pattern(data, n, off);
	if (write(r->pipe[1], data, n) != (ssize_t)n)
		return -1;
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_read(&sqe, r->pipe[0], NULL, sizeof(data), 0);
	sqe.flags |= IOSQE_BUFFER_SELECT;
	sqe.buf_group = BGID;
	return uring_run_sqe(&r->ring, &sqe, cqe);
}

static const char *inc_missing(void)
{
	struct inc_ring r;
	int err;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	err = inc_ring_init(&r, REF_IOU_PBUF_RING_INC);
	if (!err) {
		inc_ring_free(&r);
		return NULL;
	}
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_PBUF_RING with IOU_PBUF_RING_INC: %s "
		 "(not supported by this kernel)", strerror(err));
	return conform_why;
}

#define REQUIRE_INC() CONFORM_REQUIRE(inc_missing())

/* NULL when a buffer ring without flags registers (5.19); else why not. */
static const char *pbuf_ring_missing(void)
{
	struct inc_ring r;
	int err;

	if (conform_uring_unavailable())
		return conform_uring_unavailable();
	err = inc_ring_init(&r, 0);
	if (!err) {
		inc_ring_free(&r);
		return NULL;
	}
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_PBUF_RING: %s (not supported by this kernel)",
		 strerror(err));
	return conform_why;
}

#define REQUIRE_PBUF_RING() CONFORM_REQUIRE(pbuf_ring_missing())

/* An IOU_PBUF_RING_INC ring, one 64-byte buffer (ID 9), 10 bytes read in; the buffer. */
static char *inc_ring_read_10(struct __test_metadata *_metadata,
			      struct inc_ring *r, struct io_uring_cqe *cqe)
{
	char *buf;

	ASSERT_EQ(0, inc_ring_init(r, REF_IOU_PBUF_RING_INC));
	buf = uring_anon_buf(64);
	ASSERT_NE(NULL, buf);
	add_buf(r, buf, 64, 9);
	ASSERT_EQ(0, pipe_read_selected(r, 10, 0, cqe));
	return buf;
}

/*
 * io_uring_setup_buf_ring(3) IOU_PBUF_RING_INC: a read that uses part of
 * the buffer consumes only those bytes; its CQE carries the buffer ID with
 * IORING_CQE_F_BUFFER and, since the buffer has room left and stays
 * current, IORING_CQE_F_BUF_MORE (since 6.12).
 */
TEST(partial_read_sets_buf_more_and_fills_buffer_start)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"io_uring_setup_buf_ring(3) IOU_PBUF_RING_INC");
	REQUIRE_INC();
	buf = inc_ring_read_10(_metadata, &r, &cqe);
	EXPECT_EQ(10, cqe.res);
	EXPECT_EQ(IORING_CQE_F_BUFFER | REF_IORING_CQE_F_BUF_MORE,
		  cqe.flags & (IORING_CQE_F_BUFFER | REF_IORING_CQE_F_BUF_MORE));
	EXPECT_EQ(9u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf, 10, 0));
	munmap(buf, 64);
	inc_ring_free(&r);
}

/*
 * io_uring_setup_buf_ring(3) IOU_PBUF_RING_INC: "each completion of a given
 * buffer ID will continue where the previous one left off": the second
 * read lands in the same buffer, right after the first one's bytes
 * (since 6.12).
 */
TEST(next_read_continues_in_same_buffer)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"io_uring_setup_buf_ring(3) IOU_PBUF_RING_INC");
	REQUIRE_INC();
	buf = inc_ring_read_10(_metadata, &r, &cqe);
	ASSERT_EQ(10, cqe.res);
	ASSERT_EQ(0, pipe_read_selected(&r, 12, 10, &cqe));
	EXPECT_EQ(12, cqe.res);
	EXPECT_EQ(9u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_EQ(REF_IORING_CQE_F_BUF_MORE, cqe.flags & REF_IORING_CQE_F_BUF_MORE);
	EXPECT_TRUE(conform_check_pattern(buf, 22, 0));
	munmap(buf, 64);
	inc_ring_free(&r);
}

/*
 * Kernel commit ae98dbf43d75 (6.12, "add support for incremental buffer
 * consumption"): the kernel tracks the current point by updating the ring
 * entry itself: addr moves past the consumed bytes and len shrinks by them,
 * while the ring's tail is the application's and stays.
 */
TEST(ring_entry_addr_and_len_advance_by_consumed_bytes)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"commit ae98dbf43d75 (6.12): add support for "
			"incremental buffer consumption");
	REQUIRE_INC();
	buf = inc_ring_read_10(_metadata, &r, &cqe);
	ASSERT_EQ(10, cqe.res);
	EXPECT_EQ((__u64)(uintptr_t)(buf + 10), r.br->bufs[0].addr);
	EXPECT_EQ(54u, r.br->bufs[0].len);
	EXPECT_EQ(9, r.br->bufs[0].bid);
	EXPECT_EQ(1, r.br->tail);
	munmap(buf, 64);
	inc_ring_free(&r);
}

/*
 * io_uring_setup_buf_ring(3) IOU_PBUF_RING_INC: a read that uses up the
 * rest of the buffer completes without IORING_CQE_F_BUF_MORE, and the next
 * read gets the next buffer of the ring (since 6.12).
 */
TEST(read_that_uses_up_buffer_clears_buf_more_and_moves_on)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"io_uring_setup_buf_ring(3) IOU_PBUF_RING_INC");
	REQUIRE_INC();
	ASSERT_EQ(0, inc_ring_init(&r, REF_IOU_PBUF_RING_INC));
	buf = uring_anon_buf(64);
	ASSERT_NE(NULL, buf);
	add_buf(&r, buf, 16, 1);
	add_buf(&r, buf + 32, 16, 2);
	ASSERT_EQ(0, pipe_read_selected(&r, 16, 0, &cqe));
	EXPECT_EQ(16, cqe.res);
	EXPECT_EQ((unsigned int)IORING_CQE_F_BUFFER,
		  cqe.flags & (IORING_CQE_F_BUFFER | REF_IORING_CQE_F_BUF_MORE));
	EXPECT_EQ(1u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_EQ(0, pipe_read_selected(&r, 4, 16, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(2u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf, 16, 0));
	EXPECT_TRUE(conform_check_pattern(buf + 32, 4, 16));
	munmap(buf, 64);
	inc_ring_free(&r);
}

/*
 * The contrast, a ring without IOU_PBUF_RING_INC: a short read consumes the
 * whole buffer (no IORING_CQE_F_BUF_MORE) and the next read takes the next
 * buffer (provided-buffer rings, since 5.19).
 */
TEST(ring_without_inc_consumes_whole_buffer_per_read)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	char *buf;

	CONFORM_DECLARE("5.19", "IORING_REGISTER_PBUF_RING",
			"io_uring_register_buf_ring(3); io_uring_enter(2) "
			"IOSQE_BUFFER_SELECT");
	REQUIRE_PBUF_RING();
	ASSERT_EQ(0, inc_ring_init(&r, 0));
	buf = uring_anon_buf(128);
	ASSERT_NE(NULL, buf);
	add_buf(&r, buf, 64, 1);
	add_buf(&r, buf + 64, 64, 2);
	ASSERT_EQ(0, pipe_read_selected(&r, 10, 0, &cqe));
	EXPECT_EQ(10, cqe.res);
	EXPECT_EQ(0u, cqe.flags & REF_IORING_CQE_F_BUF_MORE);
	EXPECT_EQ(1u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_EQ(0, pipe_read_selected(&r, 10, 10, &cqe));
	EXPECT_EQ(2u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf + 64, 10, 10));
	munmap(buf, 128);
	inc_ring_free(&r);
}

/*
 * io_uring_register(2) IORING_REGISTER_PBUF_RING: flags other than the
 * known IOU_PBUF_RING_* bits get EINVAL (since 5.19: the field, then
 * named pad, had to be zero; it became flags in 6.4. The probe for
 * IOU_PBUF_RING_INC relies on it).
 */
TEST(unknown_ring_flag_gets_einval)
{
	struct io_uring ring;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *mem;

	CONFORM_DECLARE("5.19", "IORING_REGISTER_PBUF_RING",
			"io_uring_register(2) IORING_REGISTER_PBUF_RING; "
			"io_uring/kbuf.c io_register_pbuf_ring()");
	REQUIRE_PBUF_RING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	mem = uring_anon_buf(page);
	ASSERT_NE(NULL, mem);
	EXPECT_EQ(-1, reg_pbuf(&ring, mem, 0x8000));
	EXPECT_EQ(EINVAL, errno);
	munmap(mem, page);
	io_uring_queue_exit(&ring);
}

/* IORING_OP_PROVIDE_BUFFERS of one len-byte buffer at addr, ID bid, to group
 * bgid, on ring: the CQE's res (1 when added), or INT_MIN. */
static int provide_one(struct io_uring *ring, void *addr, unsigned int len,
		       unsigned int bgid, unsigned int bid)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_provide_buffers(&sqe, addr, (int)len, 1, (int)bgid,
				      (int)bid);
	return uring_run_sqe_res(ring, &sqe);
}

/*
 * Kernel io_provide_buffers() / io_manage_buffers_legacy(): "can't add
 * buffers via this command for a mapped buffer ring"; IORING_OP_PROVIDE_BUFFERS
 * into the group of an IOU_PBUF_RING_INC ring fails with -EINVAL
 * (io_uring_prep_provide_buffers(3) -EINVAL), and the ring is untouched: the
 * next selected read takes the ring's buffer (ID 9), not the one offered
 * (ID 3). Since 6.12 (the flag; a legacy buffer into any ring's group has
 * been refused so since 5.19).
 */
TEST(provide_buffers_into_inc_ring_group_gets_einval)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"io_uring/kbuf.c: legacy buffers cannot go into a ring's group, -EINVAL");
	REQUIRE_INC();
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	ASSERT_EQ(0, inc_ring_init(&r, REF_IOU_PBUF_RING_INC));
	buf = uring_anon_buf(128);
	ASSERT_NE(NULL, buf);
	add_buf(&r, buf, 64, 9);
	EXPECT_EQ(-EINVAL, provide_one(&r.ring, buf + 64, 64, BGID, 3));
	ASSERT_EQ(0, pipe_read_selected(&r, 10, 0, &cqe));
	EXPECT_EQ(10, cqe.res);
	EXPECT_EQ(9u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_EQ(REF_IORING_CQE_F_BUF_MORE, cqe.flags & REF_IORING_CQE_F_BUF_MORE);
	munmap(buf, 128);
	inc_ring_free(&r);
}

/*
 * Kernel io_register_pbuf_ring(): "if mapped buffer ring OR classic
 * exists, don't allow": registering an IOU_PBUF_RING_INC ring for a group
 * that holds buffers given with IORING_OP_PROVIDE_BUFFERS fails with
 * EEXIST (since 6.12, the flag; the refusal itself is 5.19's).
 */
TEST(inc_ring_for_group_with_provided_buffers_gets_eexist)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct io_uring ring;
	void *mem;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"io_uring/kbuf.c io_register_pbuf_ring(): a group with classic buffers is EEXIST");
	REQUIRE_INC();
	CONFORM_REQUIRE_URING_OP(IORING_OP_PROVIDE_BUFFERS);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, mem = uring_anon_buf(page));
	ASSERT_NE(NULL, buf = uring_anon_buf(64));
	/* 1 (the count) before 5.18, 0 since: either way, added. */
	ASSERT_LE(0, provide_one(&ring, buf, 64, BGID, 0));
	EXPECT_EQ(-1, reg_pbuf(&ring, mem, REF_IOU_PBUF_RING_INC));
	EXPECT_EQ(EEXIST, errno);
	io_uring_queue_exit(&ring);
	munmap(buf, 64);
	munmap(mem, page);
}

/*
 * <linux/io_uring.h>: IOU_PBUF_RING_INC combines with IOU_PBUF_RING_MMAP
 * (the kernel checks only for flags outside the two): a kernel-allocated
 * ring, mapped at IORING_OFF_PBUF_RING | (bgid << IORING_OFF_PBUF_SHIFT),
 * is consumed incrementally like one in application memory: a 10-byte read
 * sets IORING_CQE_F_BUF_MORE and moves the entry's addr and len on
 * (since 6.12).
 */
TEST(inc_ring_allocated_by_kernel_is_consumed_incrementally)
{
	struct inc_ring r;
	struct io_uring_cqe cqe;
	void *map;
	char *buf;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"<linux/io_uring.h> IOU_PBUF_RING_INC, IOU_PBUF_RING_MMAP");
	REQUIRE_INC();
	memset(&r, 0, sizeof(r));
	r.br_len = (size_t)sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, io_uring_queue_init(4, &r.ring, 0));
	ASSERT_EQ(0, uring_register_pbuf_ring_raw(&r.ring, 0, ENTRIES, BGID,
						  REF_IOU_PBUF_RING_MMAP |
						  REF_IOU_PBUF_RING_INC))
		TH_LOG("register INC|MMAP: %s", strerror(errno));
	map = mmap(NULL, r.br_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   r.ring.ring_fd,
		   (off_t)(REF_IORING_OFF_PBUF_RING |
			   ((__u64)BGID << REF_IORING_OFF_PBUF_SHIFT)));
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	r.br = map;
	ASSERT_EQ(0, conform_pipe(r.pipe));
	ASSERT_NE(NULL, buf = uring_anon_buf(64));
	add_buf(&r, buf, 64, 5);
	ASSERT_EQ(0, pipe_read_selected(&r, 10, 0, &cqe));
	EXPECT_EQ(10, cqe.res);
	EXPECT_EQ(IORING_CQE_F_BUFFER | REF_IORING_CQE_F_BUF_MORE,
		  cqe.flags & (IORING_CQE_F_BUFFER | REF_IORING_CQE_F_BUF_MORE));
	EXPECT_EQ(5u, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(conform_check_pattern(buf, 10, 0));
	EXPECT_EQ((__u64)(uintptr_t)(buf + 10), r.br->bufs[0].addr);
	EXPECT_EQ(54u, r.br->bufs[0].len);
	munmap(buf, 64);
	inc_ring_free(&r);
}

/*
 * Kernel io_unregister_pbuf_ring(): IORING_UNREGISTER_PBUF_RING takes a
 * group ID and nothing else; the registration flags, IOU_PBUF_RING_INC
 * among them, are refused there with EINVAL (the word, "pad" before 6.4,
 * has had to be zero since 5.19), and the ring stays registered until
 * unregistered without them (since 6.12).
 */
TEST(unregister_with_inc_flag_gets_einval)
{
	struct io_uring_buf_reg reg;
	struct inc_ring r;

	CONFORM_DECLARE("6.12", "IOU_PBUF_RING_INC",
			"io_uring/kbuf.c io_unregister_pbuf_ring(): flags non-zero is EINVAL");
	REQUIRE_INC();
	ASSERT_EQ(0, inc_ring_init(&r, REF_IOU_PBUF_RING_INC));
	reg = uring_pbuf_reg(0, 0, BGID, REF_IOU_PBUF_RING_INC);
	EXPECT_EQ(-1, uring_register_raw(&r.ring, IORING_UNREGISTER_PBUF_RING,
					 &reg, 1));
	EXPECT_EQ(EINVAL, errno);
	reg = uring_pbuf_reg(0, 0, BGID, 0);
	EXPECT_EQ(0, uring_register_raw(&r.ring, IORING_UNREGISTER_PBUF_RING,
					&reg, 1));
	inc_ring_free(&r);
}

TEST_HARNESS_MAIN
