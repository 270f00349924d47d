// SPDX-License-Identifier: MIT
/*
 * ref/ring-buf-ring: a provided-buffer ring (ref_buf_ring_*, registered with
 * IORING_REGISTER_PBUF_RING, 5.19) feeding a multishot recv
 * (ref_prep_recv_multishot, 6.0) on an AF_UNIX socketpair. Each message is
 * sent after the previous CQE was reaped, so one message fills one buffer.
 * Checked: buffer ids and data, recycling, running out (-ENOBUFS, no F_MORE),
 * re-arming, and the registration errors.
 */
#include "conform_ref.h"

enum { BGID = 7, BUF_SIZE = 64, MSG_LEN = 40, TAG_RECV = 1 };

/*
 * Tests with a multishot recv still armed free the ring first (closing it
 * ends the recv and drops the group), then ref_buf_ring_free only unmaps:
 * its unregister then fails on the closed ring, which is expected.
 */

/*
 * NULL if a provided-buffer ring can be registered (and unregistered): the
 * kernel refuses IORING_REGISTER_PBUF_RING with -EINVAL before 5.19. Probed
 * on a ring of its own.
 */
static const char *pbuf_ring_missing(void)
{
	static char why[160];
	struct ref_buf_ring bufs;
	struct ref_ring ring;
	int err;

	if (ref_ring_init(&ring, 4, NULL))
		return CONFORM_ENV "ring setup failed in the provided-buffer ring probe";
	err = ref_buf_ring_init(&ring, &bufs, 2, BUF_SIZE, BGID);
	if (!err)
		ref_buf_ring_free(&ring, &bufs);
	ref_ring_free(&ring);
	if (!err)
		return NULL;
	snprintf(why, sizeof(why), "IORING_REGISTER_PBUF_RING: %s", strerror(-err));
	return why;
}

/*
 * NULL if provided-buffer rings and multishot recv both work. The ring is
 * refused with -EINVAL before 5.19; multishot recv, 6.0, ends with -EINVAL
 * on 5.19. Probed on a ring and socketpair of their own.
 */
static const char *multishot_recv_missing(void)
{
	static char why[160];
	const char *ret = "the multishot recv probe did not complete";
	struct ref_case_cqe_log log = { 0 };
	struct ref_buf_ring bufs;
	struct ref_ring ring;
	int sv[2], err;

	if (conform_socketpair(sv))
		return CONFORM_ENV "socketpair failed in the multishot recv probe";
	if (ref_ring_init(&ring, 4, NULL)) {
		ret = CONFORM_ENV "ring setup failed in the multishot recv probe";
		goto out;
	}
	err = ref_buf_ring_init(&ring, &bufs, 2, BUF_SIZE, BGID);
	if (err) {
		snprintf(why, sizeof(why),
			 "IORING_REGISTER_PBUF_RING: %s", strerror(-err));
		ret = why;
	} else {
		if (write(sv[1], "p", 1) == 1 &&
		    ref_prep_recv_multishot(&ring, sv[0], BGID, 0, TAG_RECV) &&
		    ref_ring_submit(&ring) == 1 &&
		    ref_case_reap_until(&ring, &log, 1) == 0)
			ret = ref_case_res_of(&log, TAG_RECV) == -EINVAL ?
			      "IORING_RECV_MULTISHOT rejected with -EINVAL" : NULL;
		ref_buf_ring_free(&ring, &bufs);
	}
	ref_ring_free(&ring);
out:
	close(sv[0]);
	close(sv[1]);
	return ret;
}

/*
 * Send message number i (MSG_LEN bytes of the pattern at i * MSG_LEN) and
 * reap its CQE into log. 0 or -1.
 */
static int send_and_reap(int fd, struct ref_ring *ring,
			 struct ref_case_cqe_log *log, unsigned int i)
{
	char msg[MSG_LEN];

	conform_fill_pattern(msg, sizeof(msg), (unsigned long long)i * MSG_LEN);
	if (write(fd, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		return -1;
	return ref_case_reap_until(ring, log, log->n + 1) ? -1 : 0;
}

/* Send message number i, expecting no CQE for it: 0 or -1. */
static int send_and_reap_nothing(int fd, struct ref_ring *ring, unsigned int i)
{
	char msg[MSG_LEN];

	conform_fill_pattern(msg, sizeof(msg), (unsigned long long)i * MSG_LEN);
	if (write(fd, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		return -1;
	return ref_case_nothing_completes(ring) ? 0 : -1;
}

/* A socketpair and a 4-entry ring with nbufs provided buffers in group
 * BGID, and a multishot recv (TAG_RECV) armed on sv[0]. */
static void arm_multishot_recv(struct __test_metadata *_metadata, int sv[2],
			       struct ref_ring *ring, struct ref_buf_ring *bufs,
			       unsigned int nbufs)
{
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(ring, 4, NULL));
	ASSERT_EQ(0, ref_buf_ring_init(ring, bufs, nbufs, BUF_SIZE, BGID));
	ASSERT_TRUE(ref_prep_recv_multishot(ring, sv[0], BGID, 0, TAG_RECV));
	ASSERT_EQ(1, ref_ring_submit(ring));
}

/*
 * io_uring_prep_recv_multishot(3): each CQE has IORING_CQE_F_BUFFER with the
 * buffer id in the upper 16 bits of flags, the data is in that buffer, and
 * IORING_CQE_F_MORE says the recv stays armed (since 6.0). Three messages,
 * four buffers: three distinct ids, each buffer holding its message.
 */
TEST(multishot_recv_fills_provided_buffers)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_buf_ring bufs;
	struct ref_ring ring;
	bool used[4] = { false };
	int sv[2];

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_recv_multishot(3); commit "
			"b3fdea6ecb55 (6.0): io_uring: multishot recv");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(multishot_recv_missing());
	arm_multishot_recv(_metadata, sv, &ring, &bufs, 4);
	for (unsigned int i = 0; i < 3; i++) {
		const struct io_uring_cqe *cqe;
		int bid;

		ASSERT_EQ(0, send_and_reap(sv[1], &ring, &log, i));
		cqe = &log.cqe[i];
		EXPECT_EQ((uint64_t)TAG_RECV, cqe->user_data);
		EXPECT_EQ(MSG_LEN, cqe->res);
		EXPECT_TRUE(ref_cqe_has_more(cqe));
		bid = ref_cqe_buffer_id(cqe);
		ASSERT_LE(0, bid);
		ASSERT_GT(4, bid);
		EXPECT_FALSE(used[bid]);
		used[bid] = true;
		EXPECT_TRUE(conform_check_pattern(ref_buf_ring_buf(&bufs, bid),
						  MSG_LEN, (unsigned long long)i * MSG_LEN));
	}
	ref_ring_free(&ring);
	ref_buf_ring_free(&ring, &bufs);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_register_buf_ring(3): buffers given back to the ring (here by
 * ref_buf_ring_recycle after each CQE) are picked again, so a multishot recv
 * with 2 buffers goes on for 6 messages, all with F_MORE (since 6.0).
 */
TEST(recycled_buffers_keep_multishot_going)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_buf_ring bufs;
	struct ref_ring ring;
	int sv[2];

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_register_buf_ring(3); "
			"io_uring_prep_recv_multishot(3)");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(multishot_recv_missing());
	arm_multishot_recv(_metadata, sv, &ring, &bufs, 2);
	for (unsigned int i = 0; i < 6; i++) {
		const struct io_uring_cqe *cqe;
		int bid;

		ASSERT_EQ(0, send_and_reap(sv[1], &ring, &log, i));
		cqe = &log.cqe[i];
		ASSERT_EQ(MSG_LEN, cqe->res);
		EXPECT_TRUE(ref_cqe_has_more(cqe));
		bid = ref_cqe_buffer_id(cqe);
		ASSERT_LE(0, bid);
		ASSERT_GT(2, bid);
		EXPECT_TRUE(conform_check_pattern(ref_buf_ring_buf(&bufs, bid),
						  MSG_LEN, (unsigned long long)i * MSG_LEN));
		ref_buf_ring_recycle(&bufs, (uint16_t)bid);
	}
	ref_ring_free(&ring);
	ref_buf_ring_free(&ring, &bufs);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A multishot recv armed on 2 buffers that are not given back, fed messages
 * 0, 1, 2: the first two fill the buffers (F_MORE), then the recv ends with
 * -ENOBUFS. When it ends differs (source-visible), and is returned:
 * - 1 (6.1, 6.12): right after the CQE that used the last buffer, without a
 *   third message: after each CQE the recv at once takes the next buffer,
 *   before it looks for data (6.1 io_uring/net.c io_recv(): retry_multishot
 *   selects a buffer and returns -ENOBUFS when there is none);
 * - 0 (6.18, 7.2): only when message 2 arrives and finds no buffer.
 * On 6.1 the -ENOBUFS CQE is posted in the same task work run as message
 * 1's CQE, so it is reaped with it or seen by a brief bounded wait (which
 * runs out on the other kernels). Either way exactly three CQEs come and
 * message 2 stays queued. Returns 0 or 1 as above, -1 on a failure
 * (already reported).
 */
static int run_out_of_buffers(struct __test_metadata *_metadata, int sv[2],
			      struct ref_ring *ring, struct ref_case_cqe_log *log)
{
	char peek[MSG_LEN];
	int ends_at_once;

	EXPECT_EQ(0, send_and_reap(sv[1], ring, log, 0));
	EXPECT_EQ(1u, log->n);
	EXPECT_EQ(0, send_and_reap(sv[1], ring, log, 1));
	if (log->n < 2 || log->n > 3)
		return -1;
	ends_at_once = log->n == 3 || !ref_case_nothing_completes(ring);
	if (ends_at_once) {
		TH_LOG("-ENOBUFS came right after the last buffer was used (6.1, 6.12)");
		EXPECT_EQ(0, ref_case_reap_until(ring, log, 3));
		EXPECT_EQ(3u, log->n);
		EXPECT_EQ(0, send_and_reap_nothing(sv[1], ring, 2));
	} else {
		TH_LOG("-ENOBUFS came when the next message found no buffer (6.18, 7.2)");
		EXPECT_EQ(0, send_and_reap(sv[1], ring, log, 2));
		EXPECT_EQ(3u, log->n);
	}
	if (log->n != 3)
		return -1;
	for (unsigned int i = 0; i < 2; i++) {
		EXPECT_EQ(MSG_LEN, log->cqe[i].res);
		EXPECT_TRUE(ref_cqe_has_more(&log->cqe[i]));
	}
	EXPECT_EQ(-ENOBUFS, log->cqe[2].res);
	EXPECT_FALSE(ref_cqe_has_more(&log->cqe[2]));
	EXPECT_EQ(-1, ref_cqe_buffer_id(&log->cqe[2]));
	EXPECT_TRUE(ref_case_nothing_completes(ring));
	EXPECT_EQ(MSG_LEN, recv(sv[0], peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT));
	EXPECT_TRUE(conform_check_pattern(peek, MSG_LEN, 2 * MSG_LEN));
	return ends_at_once;
}

/*
 * io_uring_prep_recv_multishot(3): when no buffer is left the multishot recv
 * terminates with -ENOBUFS, a CQE without IORING_CQE_F_MORE (and without a
 * buffer); the data stays queued (since 6.0). 2 buffers, no recycling, 3
 * messages; when the -ENOBUFS comes differs (run_out_of_buffers()).
 */
TEST(out_of_buffers_ends_multishot_with_enobufs)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_buf_ring bufs;
	struct ref_ring ring;
	int sv[2];

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_recv_multishot(3): ENOBUFS ends the "
			"multishot recv");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(multishot_recv_missing());
	arm_multishot_recv(_metadata, sv, &ring, &bufs, 2);
	EXPECT_LE(0, run_out_of_buffers(_metadata, sv, &ring, &log));
	ref_ring_free(&ring);
	ref_buf_ring_free(&ring, &bufs);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_recv_multishot(3): after the final CQE the application
 * re-arms; with a buffer recycled, the new recv gets the message that was
 * left queued, with F_MORE again (since 6.0).
 */
TEST(rearm_after_enobufs_gets_queued_data)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_buf_ring bufs;
	struct ref_ring ring;
	int sv[2], bid;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_recv_multishot(3)");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(multishot_recv_missing());
	arm_multishot_recv(_metadata, sv, &ring, &bufs, 2);
	ASSERT_LE(0, run_out_of_buffers(_metadata, sv, &ring, &log));
	bid = ref_cqe_buffer_id(&log.cqe[0]);
	ASSERT_LE(0, bid);
	ref_buf_ring_recycle(&bufs, (uint16_t)bid);
	ASSERT_TRUE(ref_prep_recv_multishot(&ring, sv[0], BGID, 0, TAG_RECV + 1));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 4));
	EXPECT_EQ((uint64_t)TAG_RECV + 1, log.cqe[3].user_data);
	EXPECT_EQ(MSG_LEN, log.cqe[3].res);
	EXPECT_TRUE(ref_cqe_has_more(&log.cqe[3]));
	EXPECT_EQ(bid, ref_cqe_buffer_id(&log.cqe[3]));
	EXPECT_TRUE(conform_check_pattern(ref_buf_ring_buf(&bufs, bid),
					  MSG_LEN, 2 * MSG_LEN));
	ref_ring_free(&ring);
	ref_buf_ring_free(&ring, &bufs);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_register_buf_ring(3): ring_entries must be a power of two (at
 * most 32768), else -EINVAL; ring.h has ref_buf_ring_init check that. A
 * group id already registered gives -EEXIST (since 5.19). Needs the
 * buffer ring only, not multishot recv (6.0).
 */
TEST(buf_ring_bad_size_einval_and_duplicate_group_eexist)
{
	struct ref_buf_ring a, b;
	struct ref_ring ring;

	CONFORM_DECLARE("5.19", "IORING_REGISTER_PBUF_RING",
			"io_uring_register_buf_ring(3); commit c7fb19428d67 "
			"(5.19)");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(pbuf_ring_missing());
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	EXPECT_EQ(-EINVAL, ref_buf_ring_init(&ring, &b, 3, BUF_SIZE, BGID));
	EXPECT_EQ(-EINVAL, ref_buf_ring_init(&ring, &b, 65536, BUF_SIZE, BGID));
	ASSERT_EQ(0, ref_buf_ring_init(&ring, &a, 4, BUF_SIZE, BGID));
	EXPECT_EQ(-EEXIST, ref_buf_ring_init(&ring, &b, 4, BUF_SIZE, BGID));
	EXPECT_EQ(0, ref_buf_ring_free(&ring, &a));
	ASSERT_EQ(0, ref_buf_ring_init(&ring, &b, 4, BUF_SIZE, BGID));
	EXPECT_EQ(0, ref_buf_ring_free(&ring, &b));
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
