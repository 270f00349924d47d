// SPDX-License-Identifier: MIT
/*
 * eventfd/uring-eventfd-async: IORING_REGISTER_EVENTFD_ASYNC, an io_uring
 * completion eventfd that is only notified for requests that complete
 * asynchronously (here: in an io-wq worker, forced with IOSQE_ASYNC), not
 * for those that complete inline while being submitted.
 * Source: io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC (since 5.6),
 * io_uring_enter(2) IOSQE_ASYNC (since 5.6).
 */
#include <liburing.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_uring.h"

/*
 * Register efd with IORING_REGISTER_EVENTFD_ASYNC; skip if the kernel does
 * not know the opcode (EINVAL before 5.6).
 */
#define REGISTER_ASYNC_OR_SKIP(ring, efd)                                      \
	do {                                                                   \
		if (uring_register_raw((ring), IORING_REGISTER_EVENTFD_ASYNC, \
				       &(efd), 1) < 0) {                       \
			int err_ = errno;                                      \
			io_uring_queue_exit(ring);                             \
			close(efd);                                            \
			if (err_ == EINVAL)                                    \
				SKIP(return, "IORING_REGISTER_EVENTFD_ASYNC: EINVAL (not supported by this kernel)"); \
			ASSERT_EQ(0, err_);                                    \
		}                                                              \
	} while (0)

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC: "events that complete
 * inline while being submitted do not trigger a notification event"; a NOP
 * completes inline (since 5.6).
 */
TEST(inline_nop_completion_does_not_signal)
{
	struct io_uring ring;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_EVENTFD_ASYNC",
			"io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC: inline completions do not notify; commit f2842ab5b72d (5.6): io_uring: enable option to only trigger eventfd for async completions");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	REGISTER_ASYNC_OR_SKIP(&ring, efd);
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC: notifications "are
 * only posted for events that complete in an async manner"; a NOP with
 * IOSQE_ASYNC (io_uring_enter(2): always issued from async context) is one,
 * so the eventfd becomes readable with a count of at least 1 (since 5.6).
 */
TEST(iowq_completion_signals)
{
	struct io_uring ring;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_EVENTFD_ASYNC",
			"io_uring_register(2) IORING_REGISTER_EVENTFD_ASYNC; io_uring_enter(2) IOSQE_ASYNC (5.6); commit f2842ab5b72d (5.6): io_uring: enable option to only trigger eventfd for async completions");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	REGISTER_ASYNC_OR_SKIP(&ring, efd);
	ASSERT_EQ(0, uring_run_nop(&ring, IOSQE_ASYNC));
	ASSERT_TRUE(conform_fd_readable(efd, 1000));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_LE((uint64_t)1, v);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * Kernel io_eventfd_register(): the async variant shares the single eventfd
 * slot, so IORING_REGISTER_EVENTFD_ASYNC while an eventfd is registered
 * fails with EBUSY (since 5.6).
 */
TEST(register_async_over_registered_gets_ebusy)
{
	struct io_uring ring;
	int efd, efd2;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_EVENTFD_ASYNC",
			"io_uring/eventfd.c io_eventfd_register(): EBUSY when one is registered; commit f2842ab5b72d (5.6): io_uring: enable option to only trigger eventfd for async completions");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	efd2 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	REGISTER_ASYNC_OR_SKIP(&ring, efd);
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_EVENTFD_ASYNC,
					 &efd2, 1));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_EVENTFD,
					 &efd2, 1));
	EXPECT_EQ(EBUSY, errno);
	io_uring_queue_exit(&ring);
	close(efd2);
	close(efd);
}

/*
 * io_uring_register(2): IORING_UNREGISTER_EVENTFD also removes an eventfd
 * registered with the async variant: it returns 0 and an io-wq completion
 * no longer signals (since 5.6).
 */
TEST(unregister_removes_async_eventfd)
{
	struct io_uring ring;
	int efd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_EVENTFD_ASYNC",
			"io_uring_register(2) IORING_UNREGISTER_EVENTFD; commit f2842ab5b72d (5.6): io_uring: enable option to only trigger eventfd for async completions");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	REGISTER_ASYNC_OR_SKIP(&ring, efd);
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_EVENTFD,
					NULL, 0));
	ASSERT_EQ(0, uring_run_nop(&ring, IOSQE_ASYNC));
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	io_uring_queue_exit(&ring);
	close(efd);
}

TEST_HARNESS_MAIN
