// SPDX-License-Identifier: MIT
/*
 * eventfd/uring-eventfd: an eventfd registered with an io_uring instance
 * (IORING_REGISTER_EVENTFD) as its completion signal: a completion makes it
 * readable, only one can be registered, IORING_UNREGISTER_EVENTFD stops the
 * notifications, and the register call's argument checks.
 * Source: io_uring_register(2) IORING_REGISTER_EVENTFD and
 * IORING_UNREGISTER_EVENTFD (since 5.2); errno values from the kernel's
 * io_eventfd_register/io_eventfd_unregister (io_uring/eventfd.c, earlier
 * fs/io_uring.c).
 */
#include <liburing.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_uring.h"

/* A nonblocking eventfd registered with IORING_REGISTER_EVENTFD on a new 4-entry ring; returns the eventfd. */
static int ring_with_registered_eventfd(struct __test_metadata *_metadata,
					struct io_uring *ring)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	ASSERT_EQ(0, uring_register_raw(ring, IORING_REGISTER_EVENTFD,
					&efd, 1));
	return efd;
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD: an eventfd registered this
 * way is notified of completion events (since 5.2). The man page allows
 * batched and spurious notifications, so one NOP completion must leave a
 * counter of at least 1 (not exactly 1).
 */
TEST(nop_completion_signals_eventfd)
{
	struct io_uring ring;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register(2) IORING_REGISTER_EVENTFD; commit 9b402849e80c (5.2): io_uring: add support for eventfd notifications");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = ring_with_registered_eventfd(_metadata, &ring);
	ASSERT_FALSE(conform_fd_readable(efd, 0));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_TRUE(conform_fd_readable(efd, 1000));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_LE((uint64_t)1, v);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * Kernel io_eventfd_register(): a second IORING_REGISTER_EVENTFD while one
 * is registered fails with EBUSY (since 5.2; io_uring_register(2) says only
 * one eventfd is supported).
 */
TEST(second_register_gets_ebusy)
{
	struct io_uring ring;
	int efd, efd2;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring/eventfd.c io_eventfd_register(): EBUSY (fs/io_uring.c before 6.0); commit 9b402849e80c (5.2): io_uring: add support for eventfd notifications");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	efd2 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_REGISTER_EVENTFD,
					&efd, 1));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_EVENTFD,
					 &efd2, 1));
	EXPECT_EQ(EBUSY, errno);
	io_uring_queue_exit(&ring);
	close(efd2);
	close(efd);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_EVENTFD: "Unregister an eventfd
 * file descriptor to stop notifications" (since 5.2). After it returns 0, a
 * NOP completion leaves the counter at 0.
 */
TEST(unregister_stops_notifications)
{
	struct io_uring ring;
	uint64_t v;
	int efd;

	CONFORM_DECLARE("5.2", "IORING_UNREGISTER_EVENTFD",
			"io_uring_register(2) IORING_UNREGISTER_EVENTFD; commit 9b402849e80c (5.2): io_uring: add support for eventfd notifications");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = ring_with_registered_eventfd(_metadata, &ring);
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_EVENTFD,
					NULL, 0));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * Kernel io_eventfd_unregister(): IORING_UNREGISTER_EVENTFD on a ring with
 * no eventfd registered fails with ENXIO (since 5.2).
 */
TEST(unregister_without_eventfd_gets_enxio)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.2", "IORING_UNREGISTER_EVENTFD",
			"io_uring/eventfd.c io_eventfd_unregister(): ENXIO; commit 9b402849e80c (5.2): io_uring: add support for eventfd notifications");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_EVENTFD,
					 NULL, 0));
	EXPECT_EQ(ENXIO, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_EVENTFD: "nr_args must be 1"; the
 * kernel rejects 2 with EINVAL, and nothing is registered (since 5.2).
 */
TEST(register_with_nr_args_2_gets_einval)
{
	struct io_uring ring;
	int efd;

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register(2) IORING_REGISTER_EVENTFD: nr_args must be 1, EINVAL; commit 9b402849e80c (5.2): io_uring: add support for eventfd notifications");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_EVENTFD,
					 &efd, 2));
	EXPECT_EQ(EINVAL, errno);
	/* Not registered: unregistering finds nothing. */
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_EVENTFD,
					 NULL, 0));
	EXPECT_EQ(ENXIO, errno);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * io_uring_register(2) ERRORS: EBADF for an invalid fd; the kernel's eventfd
 * lookup (eventfd_ctx_fdget) of a number that is not open fails with EBADF
 * (since 5.2).
 */
TEST(register_unopened_fd_gets_ebadf)
{
	struct io_uring ring;
	int efd = conform_bad_fd();

	CONFORM_DECLARE("5.2", "IORING_REGISTER_EVENTFD",
			"io_uring_register(2) EBADF; eventfd_ctx_fdget(); commit 9b402849e80c (5.2): io_uring: add support for eventfd notifications");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_EVENTFD,
					 &efd, 1));
	EXPECT_EQ(EBADF, errno);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
