// SPDX-License-Identifier: MIT
/*
 * eventfd/uring-eventfd-disabled: IORING_CQ_EVENTFD_DISABLED, the bit in
 * the CQ ring's flags word (at io_uring_params.cq_off.flags) with which the
 * application pauses the registered eventfd's notifications and resumes
 * them by clearing it.
 * Source: io_uring_register(2) IORING_REGISTER_EVENTFD: "An application can
 * temporarily disable notifications ... by setting the
 * IORING_CQ_EVENTFD_DISABLED bit in the flags field of the CQ ring.
 * Available since 5.8." Kernels before 5.8 leave cq_off.flags 0.
 */
#include <liburing.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_uring.h"

/* The CQ ring's flags word, from the offset the kernel gave. */
static unsigned int *cq_flags_word(struct io_uring *ring,
				   const struct io_uring_params *p)
{
	return (unsigned int *)((char *)ring->cq.ring_ptr + p->cq_off.flags);
}

static void set_eventfd_disabled(unsigned int *flags, bool disabled)
{
	unsigned int v = __atomic_load_n(flags, __ATOMIC_RELAXED);

	if (disabled)
		v |= IORING_CQ_EVENTFD_DISABLED;
	else
		v &= ~IORING_CQ_EVENTFD_DISABLED;
	__atomic_store_n(flags, v, __ATOMIC_RELEASE);
}

/*
 * Ring with an eventfd registered; skips when the CQ ring has no flags word
 * (cq_off.flags == 0, kernels before 5.8).
 */
#define SETUP_OR_SKIP(ring, p, efd)                                            \
	do {                                                                   \
		memset(&(p), 0, sizeof(p));                                    \
		ASSERT_EQ(0, io_uring_queue_init_params(4, (ring), &(p)));     \
		if (!(p).cq_off.flags) {                                       \
			io_uring_queue_exit(ring);                             \
			SKIP(return, "io_uring_params.cq_off.flags is 0: no CQ ring flags word for IORING_CQ_EVENTFD_DISABLED"); \
		}                                                              \
		(efd) = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);                \
		ASSERT_LE(0, (efd));                                           \
		ASSERT_EQ(0, uring_register_raw((ring),                        \
						IORING_REGISTER_EVENTFD,       \
						&(efd), 1));                   \
	} while (0)

/*
 * io_uring_register(2): notifications are on unless the application sets
 * IORING_CQ_EVENTFD_DISABLED, so a new ring has the bit clear (since 5.8).
 */
TEST(eventfd_disabled_bit_starts_clear)
{
	struct io_uring_params p;
	struct io_uring ring;
	int efd;

	CONFORM_DECLARE("5.8", "IORING_CQ_EVENTFD_DISABLED",
			"io_uring_register(2) IORING_REGISTER_EVENTFD: IORING_CQ_EVENTFD_DISABLED, available since 5.8");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	SETUP_OR_SKIP(&ring, p, efd);
	EXPECT_EQ(0u, __atomic_load_n(cq_flags_word(&ring, &p), __ATOMIC_ACQUIRE) &
			      IORING_CQ_EVENTFD_DISABLED);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * io_uring_register(2): with IORING_CQ_EVENTFD_DISABLED set, a NOP completion
 * does not signal the registered eventfd (since 5.8).
 */
TEST(disabled_bit_suppresses_notification)
{
	struct io_uring_params p;
	struct io_uring ring;
	int efd;

	CONFORM_DECLARE("5.8", "IORING_CQ_EVENTFD_DISABLED",
			"io_uring_register(2) IORING_REGISTER_EVENTFD: IORING_CQ_EVENTFD_DISABLED, available since 5.8");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	SETUP_OR_SKIP(&ring, p, efd);
	set_eventfd_disabled(cq_flags_word(&ring, &p), true);
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * io_uring_register(2): the disabling is "temporary": after the bit is
 * cleared again a NOP completion signals the eventfd (since 5.8).
 */
TEST(clearing_bit_restores_notification)
{
	struct io_uring_params p;
	struct io_uring ring;
	uint64_t v = 0;
	int efd;

	CONFORM_DECLARE("5.8", "IORING_CQ_EVENTFD_DISABLED",
			"io_uring_register(2) IORING_REGISTER_EVENTFD: IORING_CQ_EVENTFD_DISABLED, available since 5.8");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	SETUP_OR_SKIP(&ring, p, efd);
	set_eventfd_disabled(cq_flags_word(&ring, &p), true);
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_FALSE(conform_fd_readable(efd, 0));
	set_eventfd_disabled(cq_flags_word(&ring, &p), false);
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	ASSERT_TRUE(conform_fd_readable(efd, 1000));
	ASSERT_EQ(8, read(efd, &v, sizeof(v)));
	EXPECT_LE((uint64_t)1, v);
	io_uring_queue_exit(&ring);
	close(efd);
}

/*
 * io_uring_register(2): the bit disables the eventfd's notifications
 * whatever context completes the request: a NOP run in io-wq with
 * IOSQE_ASYNC completes (res 0) and the eventfd stays at 0 (since 5.8).
 */
TEST(disabled_bit_covers_iowq_completion)
{
	struct io_uring_params p;
	struct io_uring ring;
	int efd;

	CONFORM_DECLARE("5.8", "IORING_CQ_EVENTFD_DISABLED",
			"io_uring_register(2) IORING_REGISTER_EVENTFD: IORING_CQ_EVENTFD_DISABLED, available since 5.8; io_uring_enter(2) IOSQE_ASYNC");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE_EVENTFD();
	SETUP_OR_SKIP(&ring, p, efd);
	set_eventfd_disabled(cq_flags_word(&ring, &p), true);
	EXPECT_EQ(0, uring_run_nop(&ring, IOSQE_ASYNC));
	EXPECT_FALSE(conform_fd_readable(efd, 0));
	io_uring_queue_exit(&ring);
	close(efd);
}

TEST_HARNESS_MAIN
