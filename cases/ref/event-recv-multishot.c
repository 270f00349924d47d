// SPDX-License-Identifier: MIT
/*
 * ref/event-recv-multishot: the multishot recv event of the reference driver
 * (ref/event_types.c) with a provided-buffer ring, on a real ring and an
 * AF_UNIX socketpair. One armed recv delivers a sequence of CQEs with
 * IORING_CQE_F_MORE, each naming a buffer that the event recycles; it ends
 * with -ENOBUFS (no F_MORE) when the kernel finds no buffer, and can be
 * started again; it ends with 0 at end-of-file; cancelled, the buffers named
 * by CQEs still to come are recycled by the cancellation.
 * Sources: io_uring_enter(2) IORING_OP_RECV with IORING_RECV_MULTISHOT (6.0:
 * "the request will repeatedly post completions ... IORING_CQE_F_MORE";
 * -ENOBUFS when no buffers are left), io_uring_register(2)
 * IORING_REGISTER_PBUF_RING (5.19), ref/event.h.
 */
#include "conform_ref.h"

enum { BUF_SIZE = 16, BGID = 7 };

/* The bytes on_data was given, in order. */
static unsigned char got[256];
static size_t got_len;
static unsigned int got_calls;

static void on_data(void *arg, const void *data, size_t len)
{
	(void)arg;
	got_calls++;
	if (got_len + len <= sizeof(got)) {
		memcpy(got + got_len, data, len);
		got_len += len;
	}
}

/* What the cancellation's completed() saw. */
static unsigned int late_cqes, late_with_more, late_with_buffer;
static int late_res;
static struct ref_cancellation (*plain_cancel)(void *event);

static void late_completed(void *data, const struct io_uring_cqe *cqe)
{
	struct ref_cancellation *inner = data;

	late_cqes++;
	late_res = cqe->res;
	late_with_more += !!(cqe->flags & IORING_CQE_F_MORE);
	late_with_buffer += !!(cqe->flags & IORING_CQE_F_BUFFER);
	inner->completed(inner->data, cqe);
}

static void late_release(void *data)
{
	free(data);
}

static struct ref_cancellation watched_cancel(void *event)
{
	struct ref_cancellation *inner = malloc(sizeof(*inner));
	struct ref_cancellation c = {
		.data = inner, .completed = late_completed, .release = late_release,
	};

	if (!inner)
		abort();
	*inner = plain_cancel(event);
	return c;
}

struct setup {
	struct ref_ring ring;
	struct ref_buf_ring bufs;
	struct ref_driver drv;
	struct ref_recv_multishot_event ev;
	ref_event_id id;
	int sv[2];
};

/* Ring, buffer ring of nbufs buffers, driver, socketpair. 0, or a reason to
 * skip (everything already freed). */
static const char *setup(struct __test_metadata *_metadata, struct setup *s,
			 unsigned int nbufs)
{
	int ret;

	ASSERT_EQ(0, conform_socketpair(s->sv));
	ASSERT_EQ(0, ref_ring_init(&s->ring, 8, NULL));
	ret = ref_buf_ring_init(&s->ring, &s->bufs, nbufs, BUF_SIZE, BGID);
	if (ret == -EINVAL) {
		ref_ring_free(&s->ring);
		close(s->sv[0]);
		close(s->sv[1]);
		return "IORING_REGISTER_PBUF_RING: -EINVAL";
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ref_driver_init(&s->drv, &s->ring, 2));
	memset(&s->ev, 0, sizeof(s->ev));
	s->ev.fd = s->sv[0];
	s->ev.bufs = &s->bufs;
	s->ev.on_data = on_data;
	return NULL;
}

static void teardown(struct setup *s)
{
	ref_driver_free(&s->drv);
	ref_buf_ring_free(&s->ring, &s->bufs);
	ref_ring_free(&s->ring);
	close(s->sv[0]);
	close(s->sv[1]);
}

/* Start (or re-arm) the event and submit it; false when the kernel refuses
 * IORING_RECV_MULTISHOT (its only CQE is -EINVAL). */
static bool arm(struct __test_metadata *_metadata, struct setup *s)
{
	s->ev.done = false;
	ASSERT_EQ(0, ref_driver_start(&s->drv, &s->ev, &ref_recv_multishot_ops,
				      &s->id));
	ASSERT_EQ(1, ref_driver_submit(&s->drv));
	ref_case_run(&s->drv, 0);
	return !(s->ev.done && s->ev.res == -EINVAL && s->ev.received == 0);
}

#define ARM_OR_SKIP(s)                                                         \
	do {                                                                   \
		if (!arm(_metadata, s)) {                                      \
			teardown(s);                                           \
			SKIP(return, "IORING_RECV_MULTISHOT: the recv ended -EINVAL"); \
		}                                                              \
	} while (0)

#define SETUP_OR_SKIP(s, n)                                                    \
	do {                                                                   \
		const char *why_ = setup(_metadata, s, n);                     \
		if (why_)                                                      \
			SKIP(return, "%s", why_);                              \
	} while (0)

/*
 * io_uring_enter(2) IORING_RECV_MULTISHOT (6.0): one request posts a CQE per
 * arrival, each with IORING_CQE_F_MORE and a provided buffer; the event
 * stays live and recycles each buffer, so 6 sends of 16 bytes go through a
 * ring of only 2 buffers, in order.
 */
TEST(multishot_recv_delivers_sequence_and_recycles_buffers)
{
	unsigned char data[BUF_SIZE * 6];
	struct setup s;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_RECV "
			"IORING_RECV_MULTISHOT: IORING_CQE_F_MORE per "
			"completion");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	SETUP_OR_SKIP(&s, 2);
	ARM_OR_SKIP(&s);
	conform_fill_pattern(data, sizeof(data), 0);
	for (int i = 0; i < 6; i++) {
		ASSERT_EQ(BUF_SIZE, send(s.sv[1], data + i * BUF_SIZE, BUF_SIZE, 0));
		ASSERT_EQ(1, ref_case_run(&s.drv, 1));
		EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&s.drv, s.id));
	}
	EXPECT_EQ(6u, s.ev.received);
	EXPECT_FALSE(s.ev.done);
	EXPECT_EQ(6u, got_calls);
	ASSERT_EQ(sizeof(data), got_len);
	EXPECT_TRUE(conform_check_pattern(got, got_len, 0));
	EXPECT_EQ(2u + 6u, s.bufs.tail);	/* 2 given at init, 6 recycled */
	teardown(&s);
}

/*
 * io_uring_enter(2): a multishot recv with no provided buffer left ends with
 * -ENOBUFS and no IORING_CQE_F_MORE (6.0). 64 bytes wait in the socket when
 * a recv with 2 buffers of 16 is armed: 16, 16, then -ENOBUFS, all posted
 * before the event could recycle; the event is retired.
 */
TEST(multishot_recv_ends_with_enobufs_when_buffers_run_out)
{
	unsigned char data[BUF_SIZE * 4];
	struct setup s;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_RECV "
			"IORING_RECV_MULTISHOT: -ENOBUFS when no buffers are "
			"left");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	SETUP_OR_SKIP(&s, 2);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), send(s.sv[1], data, sizeof(data), 0));
	ARM_OR_SKIP(&s);
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	EXPECT_TRUE(s.ev.done);
	EXPECT_EQ(-ENOBUFS, s.ev.res);
	EXPECT_EQ(2u, s.ev.received);
	ASSERT_EQ((size_t)2 * BUF_SIZE, got_len);
	EXPECT_TRUE(conform_check_pattern(got, got_len, 0));
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&s.drv, s.id));
	teardown(&s);
}

/*
 * ref/event.h: "start it again to re-arm": after -ENOBUFS (buffers recycled
 * by then) the same event started again receives the remaining bytes and
 * stays armed (6.0). 48 bytes wait for a recv with 2 buffers of 16: 16, 16,
 * -ENOBUFS; re-armed, it gets the last 16 with a buffer to spare. (With
 * both buffers used up again the re-armed recv would end with -ENOBUFS on
 * 6.1 and 6.12, which take the next buffer right after each CQE, but stay
 * armed on 6.18 and 7.2: see ref/ring-buf-ring.)
 */
TEST(multishot_recv_rearmed_after_enobufs_gets_the_rest)
{
	unsigned char data[BUF_SIZE * 3];
	struct setup s;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"ref/event.h: start it again to re-arm; "
			"io_uring_enter(2) IORING_OP_RECV "
			"IORING_RECV_MULTISHOT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	SETUP_OR_SKIP(&s, 2);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), send(s.sv[1], data, sizeof(data), 0));
	ARM_OR_SKIP(&s);
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	ASSERT_EQ(-ENOBUFS, s.ev.res);
	ASSERT_EQ(2u, s.ev.received);
	ARM_OR_SKIP(&s);
	while (got_len < sizeof(data))
		ASSERT_LT(0, ref_case_run(&s.drv, 1));
	EXPECT_TRUE(ref_case_nothing_completes(&s.ring));
	EXPECT_EQ(3u, s.ev.received);
	EXPECT_FALSE(s.ev.done);
	EXPECT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&s.drv, s.id));
	EXPECT_EQ(sizeof(data), got_len);
	EXPECT_TRUE(conform_check_pattern(got, got_len, 0));
	teardown(&s);
}

/* recv(2): 0 at end-of-file; the multishot recv then ends with res 0 and
 * no IORING_CQE_F_MORE, retiring the event (6.0). */
TEST(multishot_recv_ends_with_zero_at_eof)
{
	struct setup s;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"recv(2): 0 at end-of-file; io_uring_enter(2) "
			"IORING_OP_RECV IORING_RECV_MULTISHOT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	SETUP_OR_SKIP(&s, 2);
	ARM_OR_SKIP(&s);
	ASSERT_EQ(0, shutdown(s.sv[1], SHUT_WR));
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	EXPECT_TRUE(s.ev.done);
	EXPECT_EQ(0, s.ev.res);
	EXPECT_EQ(0u, s.ev.received);
	EXPECT_EQ(REF_EVENT_INERT, ref_driver_state(&s.drv, s.id));
	teardown(&s);
}

/*
 * ref/event.h: "On cancel, buffers named by CQEs still to come are
 * recycled." Cancelled without asking, the recv (2 buffers) goes on: 3
 * sends of 16 bytes each give a CQE with a buffer and IORING_CQE_F_MORE to
 * the cancellation; the third finds a buffer only because the cancellation
 * recycled one. Teardown then ends it with -ECANCELED (6.0).
 */
TEST(cancelled_multishot_recv_recycles_buffers_of_late_cqes)
{
	unsigned char data[BUF_SIZE];
	struct ref_event_ops ops = ref_recv_multishot_ops;
	struct setup s;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"ref/event.h: buffers named by CQEs still to come are "
			"recycled");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	SETUP_OR_SKIP(&s, 2);
	ARM_OR_SKIP(&s);
	/* Re-start the armed event under watched ops: cancel it first. */
	ASSERT_EQ(0, ref_driver_cancel(&s.drv, s.id, true));
	ASSERT_EQ(0, ref_case_drain(&s.drv));
	plain_cancel = ref_recv_multishot_ops.cancel;
	ops.cancel = watched_cancel;
	s.ev.done = false;
	ASSERT_EQ(0, ref_driver_start(&s.drv, &s.ev, &ops, &s.id));
	ASSERT_EQ(1, ref_driver_submit(&s.drv));
	ASSERT_EQ(0, ref_driver_cancel(&s.drv, s.id, false));
	conform_fill_pattern(data, sizeof(data), 0);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(BUF_SIZE, send(s.sv[1], data, sizeof(data), 0));
		ASSERT_EQ(1, ref_case_run(&s.drv, 1));
	}
	EXPECT_EQ(3u, late_cqes);
	EXPECT_EQ(3u, late_with_buffer);
	EXPECT_EQ(3u, late_with_more);
	EXPECT_EQ(BUF_SIZE, late_res);
	EXPECT_EQ(0u, got_calls);	/* on_data is the live event's */
	EXPECT_EQ(REF_EVENT_CANCEL_REQUESTED, ref_driver_state(&s.drv, s.id));
	ref_driver_free(&s.drv);
	EXPECT_EQ(4u, late_cqes);
	EXPECT_EQ(-ECANCELED, late_res);
	EXPECT_EQ(3u, late_with_more);
	ref_buf_ring_free(&s.ring, &s.bufs);
	ref_ring_free(&s.ring);
	close(s.sv[0]);
	close(s.sv[1]);
}

TEST_HARNESS_MAIN
