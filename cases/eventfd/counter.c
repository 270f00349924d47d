// SPDX-License-Identifier: MIT
/*
 * eventfd/counter: the 64-bit counter behind an eventfd in its default
 * (non-semaphore) mode: the initial value, read-and-reset, writes that add,
 * EAGAIN on an empty nonblocking read, a blocking read that waits for a
 * write, and a counter shared with a fork()ed child.
 * Source: eventfd(2).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include "conform.h"

struct efd_reader {
	int fd;
	_Atomic pid_t tid;
	_Atomic int done;
	ssize_t ret;
	uint64_t value;
};

static void *efd_reader_main(void *arg)
{
	struct efd_reader *r = arg;

	atomic_store(&r->tid, gettid());
	r->ret = read(r->fd, &r->value, sizeof(r->value));
	atomic_store(&r->done, 1);
	return NULL;
}

/* eventfd(2): the counter "is initialized with the value specified in ... initval"; a read returns it (since 2.6.22). */
TEST(initial_value_is_read_back)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): the counter is initialized with initval");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(42, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)42, v);
	close(fd);
}

/*
 * eventfd(2): without EFD_SEMAPHORE a read of a nonzero counter returns its
 * value "and the counter's value is reset to zero" (since 2.6.22).
 */
TEST(read_resets_counter_to_zero)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: returns the value and resets the counter to zero");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(7, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	ASSERT_EQ((uint64_t)7, v);
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/* eventfd(2): "A write(2) call adds the 8-byte integer value supplied in its buffer to the counter" (since 2.6.22). */
TEST(writes_add_to_counter)
{
	uint64_t one = 1, big = 0x100000000ULL, v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: adds the 8-byte value to the counter");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(5, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &one, sizeof(one)));
	ASSERT_EQ(8, write(fd, &big, sizeof(big)));
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)0x100000006ULL, v);
	close(fd);
}

/* eventfd(2): a read of a zero counter "fails with the error EAGAIN if the file descriptor has been made nonblocking" (since 2.6.22). */
TEST(read_on_zero_counter_nonblocking_gets_eagain)
{
	uint64_t v = 0xabababababababULL;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: EAGAIN on a nonblocking fd with counter 0");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ((uint64_t)0xabababababababULL, v);
	close(fd);
}

/*
 * eventfd(2): a read of a zero counter "blocks until the counter becomes
 * nonzero", then proceeds as usual (since 2.6.22). A thread blocks in read;
 * it is seen asleep in read(2) before the write that wakes it.
 */
TEST(blocking_read_waits_for_write)
{
	struct efd_reader r = { .fd = -1 };
	uint64_t val = 9;
	pthread_t th;
	int seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: blocks until the counter becomes nonzero");
	CONFORM_REQUIRE_EVENTFD();
	r.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(0, pthread_create(&th, NULL, efd_reader_main, &r));
	while (!atomic_load(&r.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&r.tid), SYS_read);
	if (seen < 0) {
		/* Release the thread before skipping. */
		ASSERT_EQ(8, write(r.fd, &val, sizeof(val)));
		pthread_join(th, NULL);
		close(r.fd);
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the reader block");
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(0, atomic_load(&r.done));
	ASSERT_EQ(8, write(r.fd, &val, sizeof(val)));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(8, r.ret);
	EXPECT_EQ((uint64_t)9, r.value);
	close(r.fd);
}

/*
 * eventfd(2): the fd is inherited across fork(2) and "the duplicate file
 * descriptor is associated with the same eventfd object" (since 2.6.22).
 */
TEST(fork_child_shares_counter)
{
	uint64_t v = 0;
	int fd, status;
	pid_t pid;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): a child created by fork(2) shares the eventfd object");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t add = 33;

		_exit(write(fd, &add, sizeof(add)) == 8 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)33, v);
	close(fd);
}

TEST_HARNESS_MAIN
