// SPDX-License-Identifier: MIT
/*
 * eventfd/overflow: the top of the counter. The largest value it holds is
 * 0xfffffffffffffffe; a write that would go past it fails with EAGAIN on a
 * nonblocking fd (adding nothing) and blocks until a read otherwise, and the
 * fd is writable (POLLOUT) only while a write of 1 fits.
 * Source: eventfd(2), write(2) and poll(2) paragraphs.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform.h"

#define EFD_MAX 0xfffffffffffffffeULL

struct efd_writer {
	int fd;
	uint64_t value;
	_Atomic pid_t tid;
	_Atomic int done;
	ssize_t ret;
};

static void *efd_writer_main(void *arg)
{
	struct efd_writer *w = arg;

	atomic_store(&w->tid, gettid());
	w->ret = write(w->fd, &w->value, sizeof(w->value));
	atomic_store(&w->done, 1);
	return NULL;
}

/* eventfd(2): "The maximum value that may be stored in the counter is ... 0xfffffffffffffffe" (since 2.6.22). */
TEST(write_up_to_maximum_succeeds)
{
	uint64_t max = EFD_MAX, v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): the maximum counter value is 0xfffffffffffffffe");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &max, sizeof(max)));
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)EFD_MAX, v);
	close(fd);
}

/*
 * eventfd(2): if the addition "would cause the counter's value to exceed the
 * maximum", a nonblocking write "fails with the error EAGAIN" (since 2.6.22).
 */
TEST(nonblocking_write_past_maximum_gets_eagain)
{
	uint64_t max = EFD_MAX, one = 1;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EAGAIN on a nonblocking fd when the maximum would be exceeded");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &max, sizeof(max)));
	EXPECT_EQ(-1, write(fd, &one, sizeof(one)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): a write is all or nothing: 5 + (0xfffffffffffffffe - 4) would
 * exceed the maximum by one, fails with EAGAIN, and the counter stays 5
 * (since 2.6.22).
 */
TEST(overflowing_write_adds_nothing)
{
	uint64_t add = EFD_MAX - 4, v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EAGAIN when the maximum would be exceeded, counter unchanged");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(5, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, write(fd, &add, sizeof(add)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)5, v);
	close(fd);
}

/*
 * eventfd(2): the fd is writable (POLLOUT) "if it is possible to write a
 * value of at least 1 without blocking": set at maximum - 1, clear at the
 * maximum (since 2.6.22).
 */
TEST(pollout_clear_when_counter_full)
{
	struct pollfd pfd = { .events = POLLOUT };
	uint64_t almost = EFD_MAX - 1, one = 1;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) poll(2) paragraph: writable if a value of at least 1 can be written");
	CONFORM_REQUIRE_EVENTFD();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(8, write(pfd.fd, &almost, sizeof(almost)));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	ASSERT_EQ(8, write(pfd.fd, &one, sizeof(one)));
	pfd.revents = 0;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents);
	close(pfd.fd);
}

/*
 * eventfd(2): reading a full counter resets it to 0, which makes the fd
 * writable again (since 2.6.22).
 */
TEST(read_of_full_counter_restores_pollout)
{
	struct pollfd pfd = { .events = POLLOUT };
	uint64_t max = EFD_MAX, v = 0;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): a read resets the counter, the fd is writable again");
	CONFORM_REQUIRE_EVENTFD();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(8, write(pfd.fd, &max, sizeof(max)));
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)EFD_MAX, v);
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	close(pfd.fd);
}

/*
 * eventfd(2): on a blocking fd, a write that would exceed the maximum
 * "blocks until a read(2) is performed on the file descriptor" (since
 * 2.6.22). A thread's write of 1 is seen asleep in write(2) on the full
 * counter; the read returns the maximum, then the write lands: 8 bytes,
 * counter 1.
 */
TEST(blocking_write_on_full_counter_waits_for_read)
{
	struct efd_writer w = { .fd = -1, .value = 1 };
	uint64_t max = EFD_MAX, v = 0;
	pthread_t th;
	int seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: blocks until a read(2) is performed");
	CONFORM_REQUIRE_EVENTFD();
	w.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, w.fd);
	ASSERT_EQ(8, write(w.fd, &max, sizeof(max)));
	ASSERT_EQ(0, pthread_create(&th, NULL, efd_writer_main, &w));
	while (!atomic_load(&w.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&w.tid), SYS_write);
	if (seen < 0) {
		/* Release the thread before skipping. */
		ASSERT_EQ(8, read(w.fd, &v, sizeof(v)));
		pthread_join(th, NULL);
		close(w.fd);
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the writer block");
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(0, atomic_load(&w.done));
	ASSERT_EQ(8, read(w.fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)EFD_MAX, v);
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(8, w.ret);
	v = 0;
	ASSERT_EQ(8, read(w.fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	close(w.fd);
}

TEST_HARNESS_MAIN
