// SPDX-License-Identifier: MIT
/*
 * uring/sync-cancel: IORING_REGISTER_SYNC_CANCEL (Linux 6.0), cancellation
 * done inside io_uring_register(2) rather than by an SQE: by user_data, by
 * fd, by registered file slot, all matches, and its errors (ENOENT, EBADF,
 * EINVAL for unknown flags or non-zero padding). Requests to cancel are
 * polls for POLLIN on empty pipes. The raw system call is used, so results
 * are -1 with errno as io_uring_register(2) states them.
 */
#include <liburing.h>

#include "conform_uring.h"

enum { TAG_A = 0x10, TAG_B = 0x11 };

/* A sync-cancel argument for user_data addr with flags and fd; no timeout. */
static struct io_uring_sync_cancel_reg cancel_reg(__u64 addr, unsigned int flags,
						  int fd)
{
	struct io_uring_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.addr = addr;
	reg.flags = flags;
	reg.fd = fd;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	return reg;
}

/* NULL if a sync cancel of an unknown user_data fails with ENOENT. */
static const char *sync_cancel_missing(void)
{
	static char why[160];
	struct io_uring_sync_cancel_reg reg = cancel_reg(0x5eed, 0, 0);
	struct io_uring ring;
	int ret, err;

	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed for the sync-cancel probe";
	ret = uring_register_raw(&ring, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret < 0 && err == ENOENT)
		return NULL;
	snprintf(why, sizeof(why),
		 "IORING_REGISTER_SYNC_CANCEL: returns %d (%s), not ENOENT, for an unknown user_data",
		 ret, ret < 0 ? strerror(err) : "no error");
	return why;
}

#define REQUIRE_SYNC_CANCEL()                                                  \
	do {                                                                   \
		CONFORM_REQUIRE_URING();                                       \
		CONFORM_REQUIRE(sync_cancel_missing());                        \
	} while (0)

/* Sync-cancels by reg: 0, one -ECANCELED CQE for tag, then no more. */
static void expect_sync_cancel_cancels(struct __test_metadata *_metadata,
				       struct uring_two_polls *t,
				       struct io_uring_sync_cancel_reg *reg,
				       __u64 tag)
{
	struct io_uring_cqe cqe;

	EXPECT_EQ(0, uring_register_raw(&t->ring, IORING_REGISTER_SYNC_CANCEL,
					reg, 1));
	ASSERT_EQ(0, uring_reap_one(&t->ring, &cqe));
	EXPECT_EQ(tag, cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&t->ring));
}

/* Sync-cancels by reg, expecting -1 with errno err and no CQE. */
static void expect_sync_cancel_fails(struct __test_metadata *_metadata,
				     struct uring_two_polls *t,
				     struct io_uring_sync_cancel_reg *reg,
				     int err)
{
	errno = 0;
	EXPECT_EQ(-1, uring_register_raw(&t->ring, IORING_REGISTER_SYNC_CANCEL,
					 reg, 1));
	EXPECT_EQ(err, errno);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&t->ring));
}

/*
 * io_uring_register_sync_cancel(3): "performs a synchronous cancelation
 * request"; the return value is that of io_uring_prep_cancel(3): 0 when
 * found (since 6.0). The poll tagged TAG_A ends with -ECANCELED; the other
 * poll stays pending.
 */
TEST(sync_cancel_by_user_data_cancels_that_request)
{
	struct io_uring_sync_cancel_reg reg = cancel_reg(TAG_A, 0, 0);
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	expect_sync_cancel_cancels(_metadata, &t, &reg, TAG_A);
	uring_two_polls_end(&t);
}

/*
 * io_uring_register_sync_cancel(3) via io_uring_prep_cancel(3): a request
 * that cannot be located gives ENOENT (the system call: -1, errno ENOENT;
 * since 6.0). Both polls stay pending.
 */
TEST(sync_cancel_of_unknown_user_data_fails_enoent)
{
	struct io_uring_sync_cancel_reg reg = cancel_reg(0x5eed, 0, 0);
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_prep_cancel(3) ENOENT");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	expect_sync_cancel_fails(_metadata, &t, &reg, ENOENT);
	uring_two_polls_end(&t);
}

/*
 * io_uring_register_sync_cancel(3) with IORING_ASYNC_CANCEL_FD: the
 * request on that file descriptor is cancelled (0; since 6.0).
 */
TEST(sync_cancel_by_fd_cancels_request_on_that_fd)
{
	struct io_uring_sync_cancel_reg reg;
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_ASYNC_CANCEL_FD",
			"io_uring_register_sync_cancel(3) IORING_ASYNC_CANCEL_FD");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	reg = cancel_reg(0, IORING_ASYNC_CANCEL_FD, t.p2[0]);
	expect_sync_cancel_cancels(_metadata, &t, &reg, TAG_B);
	uring_two_polls_end(&t);
}

/*
 * io_uring_register_sync_cancel(3) with IORING_ASYNC_CANCEL_FD and
 * IORING_ASYNC_CANCEL_FD_FIXED: fd is a registered file slot; the poll on
 * slot 1 is cancelled (0; since 6.0).
 */
TEST(sync_cancel_by_fixed_slot_cancels_request_on_that_slot)
{
	struct io_uring_sync_cancel_reg reg;
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_ASYNC_CANCEL_FD_FIXED",
			"io_uring_register_sync_cancel(3) IORING_ASYNC_CANCEL_FD_FIXED");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, true, TAG_A, TAG_B));
	reg = cancel_reg(0, IORING_ASYNC_CANCEL_FD |
			 IORING_ASYNC_CANCEL_FD_FIXED, 1);
	expect_sync_cancel_cancels(_metadata, &t, &reg, TAG_B);
	uring_two_polls_end(&t);
}

/*
 * io_uring_register(2): EBADF for a file descriptor that is not open; a
 * sync cancel by an fd above RLIMIT_NOFILE fails so (since 6.0).
 */
TEST(sync_cancel_by_closed_fd_fails_ebadf)
{
	struct io_uring_sync_cancel_reg reg;
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register(2) EBADF");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	reg = cancel_reg(0, IORING_ASYNC_CANCEL_FD, conform_bad_fd());
	expect_sync_cancel_fails(_metadata, &t, &reg, EBADF);
	uring_two_polls_end(&t);
}

/*
 * io_uring_register_sync_cancel(3): the return value is as for
 * io_uring_prep_cancel(3), where matching several requests returns "how
 * many requests were found and canceled": IORING_ASYNC_CANCEL_ANY with two
 * pending polls returns 2, and both end -ECANCELED (since 6.0).
 */
TEST(sync_cancel_any_returns_count_of_cancelled)
{
	struct io_uring_sync_cancel_reg reg = cancel_reg(0, IORING_ASYNC_CANCEL_ANY, 0);
	struct io_uring_cqe cqe;
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_register_sync_cancel(3); io_uring_prep_cancel(3) count of cancelled");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	EXPECT_EQ(2, uring_register_raw(&t.ring, IORING_REGISTER_SYNC_CANCEL,
					&reg, 1));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, uring_reap_one(&t.ring, &cqe));
		EXPECT_EQ(-ECANCELED, cqe.res);
	}
	uring_two_polls_end(&t);
}

/*
 * io_uring_register_sync_cancel(3): "If an unknown value is set in the
 * request ... then -EINVAL is returned": an undefined flag bit (bit 30)
 * fails with EINVAL (since 6.0).
 */
TEST(sync_cancel_with_unknown_flag_fails_einval)
{
	struct io_uring_sync_cancel_reg reg = cancel_reg(TAG_A, 1U << 30, 0);
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3) EINVAL: unknown value");
	REQUIRE_SYNC_CANCEL();
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	expect_sync_cancel_fails(_metadata, &t, &reg, EINVAL);
	uring_two_polls_end(&t);
}

/*
 * io_uring_register_sync_cancel(3): "The pad values must be zero filled"
 * and otherwise "-EINVAL is returned" (since 6.0). The last pad word is
 * set (6.6 turned the first pad byte into an opcode; the last word is
 * padding in every layout).
 */
TEST(sync_cancel_with_nonzero_pad_fails_einval)
{
	struct io_uring_sync_cancel_reg reg = cancel_reg(TAG_A, 0, 0);
	struct uring_two_polls t;

	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3) EINVAL: pad not zero");
	REQUIRE_SYNC_CANCEL();
	reg.pad[3] = 1;
	ASSERT_EQ(0, uring_two_polls_start(&t, false, TAG_A, TAG_B));
	expect_sync_cancel_fails(_metadata, &t, &reg, EINVAL);
	uring_two_polls_end(&t);
}

TEST_HARNESS_MAIN
