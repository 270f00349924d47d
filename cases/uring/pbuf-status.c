// SPDX-License-Identifier: MIT
/*
 * uring/pbuf-status: IORING_REGISTER_PBUF_STATUS (Linux 6.8), which tells
 * the head of a provided-buffer ring: the index of the next buffer the
 * kernel will take, 0 for a new ring, moved on by each buffer consumed.
 * Refusals: no such group (ENOENT), a group of legacy provided buffers,
 * reserved fields set, a wrong argument count (EINVAL). The 6.1 header
 * lacks the opcode and its argument, defined here.
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { ENTRIES = 4, BUF_LEN = 32, BGID = 9 };

/* IORING_REGISTER_PBUF_STATUS of group bgid on ring: 0 with the head in
 * *head, or -1 with errno, as the system call returns. */
static int pbuf_status(struct io_uring *ring, unsigned int bgid, __u32 *head)
{
	struct ref_io_uring_buf_status st;
	int ret;

	memset(&st, 0, sizeof(st));
	st.buf_group = bgid;
	st.head = 0xdead;
	ret = uring_register_raw(ring, REF_IORING_REGISTER_PBUF_STATUS, &st, 1);
	if (!ret)
		*head = st.head;
	return ret;
}

/* The probe: a group that does not exist gets ENOENT from a kernel that
 * knows the opcode, EINVAL from one that does not. */
static const char *pbuf_status_missing(void)
{
	const char *why = conform_uring_unavailable();
	struct io_uring ring;
	__u32 head;
	int ret, err;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	ret = pbuf_status(&ring, BGID, &head);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret < 0 && err == ENOENT)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_PBUF_STATUS: %s",
		 ret < 0 ? strerror(err) : "succeeded for a missing group");
	return conform_why;
}

#define REQUIRE_PBUF_STATUS() CONFORM_REQUIRE(pbuf_status_missing())

/* A ring with a buffer ring of ENTRIES buffers for group BGID, all given,
 * and a pipe to read from. */
struct ps {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	unsigned char *bufs;
	int p[2];
};

static int ps_start(struct ps *t)
{
	if (conform_pipe(t->p) || io_uring_queue_init(4, &t->ring, 0))
		return -1;
	return uring_pbuf_ring_setup(&t->ring, ENTRIES, BUF_LEN, BGID, ENTRIES,
				     &t->br, &t->bufs);
}

static void ps_end(struct ps *t)
{
	io_uring_queue_exit(&t->ring);
	uring_pbuf_ring_unmap(t->br, t->bufs, ENTRIES, BUF_LEN);
	close(t->p[0]);
	close(t->p[1]);
}

/* Read n bytes from the pipe into a buffer of group BGID: the CQE res, or
 * INT_MIN when the request did not run. */
static int read_selected(struct ps *t, unsigned int n)
{
	struct io_uring_sqe sqe;
	char data[BUF_LEN];

	conform_fill_pattern(data, n, 0);
	if (write(t->p[1], data, n) != (ssize_t)n)
		return INT_MIN;
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_read(&sqe, t->p[0], NULL, BUF_LEN, 0);
	sqe.flags = IOSQE_BUFFER_SELECT;
	sqe.buf_group = BGID;
	return uring_run_sqe_res(&t->ring, &sqe);
}

/*
 * io_uring_register(2) IORING_REGISTER_PBUF_STATUS: returns 0 and the head
 * of the group's buffer ring, which is 0 before any buffer is used
 * (since 6.8).
 */
TEST(new_buffer_ring_has_head_zero)
{
	struct ps t;
	__u32 head = 77;

	CONFORM_DECLARE("6.8", "IORING_REGISTER_PBUF_STATUS",
			"io_uring_register(2) IORING_REGISTER_PBUF_STATUS");
	REQUIRE_PBUF_STATUS();
	ASSERT_EQ(0, ps_start(&t));
	EXPECT_EQ(0, pbuf_status(&t.ring, BGID, &head));
	EXPECT_EQ(0, head);
	ps_end(&t);
}

/*
 * IORING_REGISTER_PBUF_STATUS: the head moves on by one for each buffer
 * the kernel takes from the ring (here one per read with
 * IOSQE_BUFFER_SELECT), so it tells how far consumption has gone (since
 * 6.8).
 */
TEST(head_advances_per_consumed_buffer)
{
	struct ps t;
	__u32 head = 77;

	CONFORM_DECLARE("6.8", "IORING_REGISTER_PBUF_STATUS",
			"io_uring_register(2) IORING_REGISTER_PBUF_STATUS");
	REQUIRE_PBUF_STATUS();
	ASSERT_EQ(0, ps_start(&t));
	ASSERT_EQ(5, read_selected(&t, 5));
	EXPECT_EQ(0, pbuf_status(&t.ring, BGID, &head));
	EXPECT_EQ(1, head);
	ASSERT_EQ(7, read_selected(&t, 7));
	EXPECT_EQ(0, pbuf_status(&t.ring, BGID, &head));
	EXPECT_EQ(2, head);
	EXPECT_TRUE(conform_check_pattern(t.bufs + BUF_LEN, 7, 0));
	ps_end(&t);
}

/*
 * IORING_REGISTER_PBUF_STATUS of a group with no buffer ring registered
 * fails with ENOENT (kernel io_register_pbuf_status, since 6.8).
 */
TEST(unknown_group_gets_enoent)
{
	struct ps t;
	__u32 head;

	CONFORM_DECLARE("6.8", "IORING_REGISTER_PBUF_STATUS",
			"io_uring/kbuf.c io_register_pbuf_status()");
	REQUIRE_PBUF_STATUS();
	ASSERT_EQ(0, ps_start(&t));
	EXPECT_EQ(-1, pbuf_status(&t.ring, BGID + 1, &head));
	EXPECT_EQ(ENOENT, errno);
	ps_end(&t);
}

/*
 * IORING_REGISTER_PBUF_STATUS works on buffer rings only: a group of
 * legacy buffers (IORING_OP_PROVIDE_BUFFERS) gets EINVAL (kernel
 * io_register_pbuf_status, since 6.8).
 */
TEST(legacy_provided_buffers_group_gets_einval)
{
	static char bufs[2][BUF_LEN];
	struct io_uring_sqe sqe;
	struct io_uring ring;
	__u32 head;

	CONFORM_DECLARE("6.8", "IORING_REGISTER_PBUF_STATUS",
			"io_uring/kbuf.c io_register_pbuf_status()");
	REQUIRE_PBUF_STATUS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_provide_buffers(&sqe, bufs, BUF_LEN, 2, BGID, 0);
	ASSERT_EQ(0, uring_run_sqe_res(&ring, &sqe));
	EXPECT_EQ(-1, pbuf_status(&ring, BGID, &head));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * IORING_REGISTER_PBUF_STATUS: the reserved words of struct
 * io_uring_buf_status must be zero, and nr_args must be 1; otherwise
 * EINVAL (kernel io_uring/register.c and kbuf.c, since 6.8).
 */
TEST(reserved_field_or_wrong_count_gets_einval)
{
	struct ref_io_uring_buf_status st;
	struct ps t;

	CONFORM_DECLARE("6.8", "IORING_REGISTER_PBUF_STATUS",
			"io_uring/kbuf.c io_register_pbuf_status(); "
			"io_uring/register.c");
	REQUIRE_PBUF_STATUS();
	ASSERT_EQ(0, ps_start(&t));
	memset(&st, 0, sizeof(st));
	st.buf_group = BGID;
	st.resv[7] = 1;
	EXPECT_EQ(-1, uring_register_raw(&t.ring, REF_IORING_REGISTER_PBUF_STATUS,
					 &st, 1));
	EXPECT_EQ(EINVAL, errno);
	st.resv[7] = 0;
	EXPECT_EQ(-1, uring_register_raw(&t.ring, REF_IORING_REGISTER_PBUF_STATUS,
					 &st, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, uring_register_raw(&t.ring, REF_IORING_REGISTER_PBUF_STATUS,
					&st, 1));
	ps_end(&t);
}

TEST_HARNESS_MAIN
