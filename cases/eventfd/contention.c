// SPDX-License-Identifier: MIT
/*
 * eventfd/contention: one eventfd used by several threads at once. Blocked
 * readers and blocked writers: a write wakes every reader but, without
 * EFD_SEMAPHORE, the first to run takes the whole count and the others
 * sleep on; with EFD_SEMAPHORE each unit releases one reader; a read of a
 * full counter releases every blocked writer, a semaphore read only as many
 * as the freed unit allows; a write of 0 releases nobody. Nonblocking
 * writers and readers racing on one counter: no unit is lost or taken
 * twice, and the maximum is never passed. Only outcomes that do not depend
 * on the scheduling are asserted (which of two readers wins is not).
 * Sources: eventfd(2) (read, write, EFD_SEMAPHORE since 2.6.30).
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <sys/eventfd.h>

#include "conform.h"

/* eventfd(2): the largest value the counter holds. */
static const uint64_t counter_max = UINT64_MAX - 1;

/* A thread making one blocking read(2) (value out) or write(2) (value in). */
struct worker {
	int fd;
	bool write;
	uint64_t value;
	pthread_t th;
	_Atomic pid_t tid;
	_Atomic int done;
	ssize_t ret;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	atomic_store(&w->tid, gettid());
	if (w->write)
		w->ret = write(w->fd, &w->value, sizeof(w->value));
	else
		w->ret = read(w->fd, &w->value, sizeof(w->value));
	atomic_store(&w->done, 1);
	return NULL;
}

/* How many of the n workers have returned from their call. */
static int workers_done(struct worker *w, int n)
{
	int done = 0;

	for (int i = 0; i < n; i++)
		done += atomic_load(&w[i].done);
	return done;
}

/*
 * Wait until at least want of the n workers have returned, at most 5 s (a
 * guard against a hang, not a delay: the caller has just done what makes
 * them return). Returns how many have.
 */
static int wait_workers_done(struct worker *w, int n, int want)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int done = workers_done(w, n);

		if (done >= want)
			return done;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return done;
		sched_yield();
	}
}

/*
 * Inside a TEST: start n workers on fd (each a read, or a write of value)
 * and wait until each is seen asleep in its call. Returns 1 when all were
 * seen, 0 when one was not seen within 5 s (it did not block), -1 when
 * /proc/self/task/<tid>/syscall cannot be read; on anything but 1 the
 * caller releases the workers and SKIPs (-1) or fails (0).
 */
static int start_blocked(struct __test_metadata *_metadata, struct worker *w,
			 int n, int fd, bool write, uint64_t value)
{
	int seen = 1;

	for (int i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].fd = fd;
		w[i].write = write;
		w[i].value = value;
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, worker_main, &w[i]));
	}
	for (int i = 0; i < n && seen == 1; i++) {
		while (!atomic_load(&w[i].tid))
			sched_yield();
		seen = conform_wait_blocked_in(atomic_load(&w[i].tid),
					       write ? SYS_write : SYS_read);
	}
	return seen;
}

/* The one worker of the n that has not returned, or NULL. */
static struct worker *still_waiting(struct worker *w, int n)
{
	for (int i = 0; i < n; i++)
		if (!atomic_load(&w[i].done))
			return &w[i];
	return NULL;
}

static void join_all(struct worker *w, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(w[i].th, NULL);
}

/* Releasing the threads of a test that skips: one write of v, or one read. */
static void put(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		return;
}

static void take(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return;
}

#define SEEN_OR_SKIP(seen, release)                                            \
	do {                                                                   \
		if ((seen) < 0) {                                              \
			release;                                               \
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the threads block"); \
		}                                                              \
		EXPECT_EQ(1, (seen));                                          \
	} while (0)

/*
 * eventfd(2): without EFD_SEMAPHORE a read "returns 8 bytes containing
 * that value, and the counter's value is reset to zero". Two readers seen
 * asleep on a zero counter, a write of 5: one reader returns 5, the other
 * finds 0 and sleeps on (seen asleep again); a write of 7 releases it with
 * 7. What was read adds up to what was written (since 2.6.22).
 */
TEST(write_releases_one_reader_with_the_whole_count)
{
	uint64_t five = 5, seven = 7;
	struct worker r[2], *other;
	int fd, seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: returns the counter and resets it to zero; blocks while it is zero");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	seen = start_blocked(_metadata, r, 2, fd, false, 0);
	SEEN_OR_SKIP(seen, ({ put(fd, 5); put(fd, 7); join_all(r, 2); close(fd); }));
	ASSERT_EQ(8, write(fd, &five, sizeof(five)));
	ASSERT_EQ(1, wait_workers_done(r, 2, 1));
	other = still_waiting(r, 2);
	ASSERT_NE(NULL, other);
	EXPECT_EQ(1, conform_wait_blocked_in(atomic_load(&other->tid), SYS_read));
	EXPECT_EQ(1, workers_done(r, 2));
	ASSERT_EQ(8, write(fd, &seven, sizeof(seven)));
	join_all(r, 2);
	EXPECT_EQ(8, r[0].ret);
	EXPECT_EQ(8, r[1].ret);
	EXPECT_EQ((uint64_t)7, other->value);
	EXPECT_EQ((uint64_t)12, r[0].value + r[1].value);
	close(fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE: a read takes 1. Two readers seen asleep, a
 * write of 1: exactly one returns (with 1), the other sleeps on; a second
 * write of 1 releases it (since 2.6.30).
 */
TEST(semaphore_write_of_1_releases_exactly_one_reader)
{
	uint64_t one = 1;
	struct worker r[2], *other;
	int fd, seen;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE: a read returns 1 and decrements the counter by 1");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	seen = start_blocked(_metadata, r, 2, fd, false, 0);
	SEEN_OR_SKIP(seen, ({ put(fd, 2); join_all(r, 2); close(fd); }));
	ASSERT_EQ(8, write(fd, &one, sizeof(one)));
	ASSERT_EQ(1, wait_workers_done(r, 2, 1));
	other = still_waiting(r, 2);
	ASSERT_NE(NULL, other);
	EXPECT_EQ(1, conform_wait_blocked_in(atomic_load(&other->tid), SYS_read));
	EXPECT_EQ(1, workers_done(r, 2));
	ASSERT_EQ(8, write(fd, &one, sizeof(one)));
	join_all(r, 2);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(8, r[i].ret);
		EXPECT_EQ((uint64_t)1, r[i].value);
	}
	close(fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE: one write of 2 makes the counter 2, enough for
 * two reads of 1: both readers seen asleep return 1, and the counter is 0
 * again (a nonblocking read gets EAGAIN) (since 2.6.30).
 */
TEST(semaphore_write_of_2_releases_two_readers)
{
	uint64_t two = 2, v;
	struct worker r[2];
	int fd, seen;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE: each read takes 1; write adds its value");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	seen = start_blocked(_metadata, r, 2, fd, false, 0);
	SEEN_OR_SKIP(seen, ({ put(fd, 2); join_all(r, 2); close(fd); }));
	ASSERT_EQ(8, write(fd, &two, sizeof(two)));
	join_all(r, 2);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(8, r[i].ret);
		EXPECT_EQ((uint64_t)1, r[i].value);
	}
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): a write that would pass the maximum "blocks until a read(2)
 * is performed". Two writers of 1 seen asleep on a full counter; one read
 * (which returns the maximum and resets the counter to 0) releases both,
 * and the counter is then 2 (since 2.6.22).
 */
TEST(read_of_full_counter_releases_every_blocked_writer)
{
	uint64_t v = counter_max;
	struct worker w[2];
	int fd, seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: blocks until a read(2) is performed on the file descriptor");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	seen = start_blocked(_metadata, w, 2, fd, true, 1);
	SEEN_OR_SKIP(seen, ({ take(fd); join_all(w, 2); close(fd); }));
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ(counter_max, v);
	join_all(w, 2);
	EXPECT_EQ(8, w[0].ret);
	EXPECT_EQ(8, w[1].ret);
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)2, v);
	close(fd);
}

/*
 * eventfd(2): an EFD_SEMAPHORE read takes only 1 from a full counter,
 * room for one write of 1. Two writers of 1 seen asleep: the first read
 * releases exactly one (the other sleeps on), the second read the other;
 * the counter ends full again: not writable (since 2.6.30).
 */
TEST(semaphore_read_releases_one_of_two_blocked_writers)
{
	struct pollfd pfd = { .events = POLLOUT };
	uint64_t v = counter_max;
	struct worker w[2], *other;
	int fd, seen;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE read decrements by 1; write blocks while it would pass the maximum");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	seen = start_blocked(_metadata, w, 2, fd, true, 1);
	SEEN_OR_SKIP(seen, ({ take(fd); take(fd); join_all(w, 2); close(fd); }));
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	ASSERT_EQ(1, wait_workers_done(w, 2, 1));
	other = still_waiting(w, 2);
	ASSERT_NE(NULL, other);
	EXPECT_EQ(1, conform_wait_blocked_in(atomic_load(&other->tid), SYS_write));
	EXPECT_EQ(1, workers_done(w, 2));
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	join_all(w, 2);
	EXPECT_EQ(8, w[0].ret);
	EXPECT_EQ(8, w[1].ret);
	pfd.fd = fd;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	close(fd);
}

/*
 * eventfd(2): a blocked read waits "until the counter becomes nonzero"; a
 * write of 0 leaves it 0. A reader seen asleep is still asleep after a
 * write of 0 (seen again), and returns the 3 of the next write: had the
 * write of 0 released it, it would hold 0 (since 2.6.22).
 */
TEST(write_of_zero_releases_no_reader)
{
	uint64_t zero = 0, three = 3;
	struct worker r[1];
	int fd, seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: blocks until the counter becomes nonzero");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	seen = start_blocked(_metadata, r, 1, fd, false, 0);
	SEEN_OR_SKIP(seen, ({ put(fd, 3); join_all(r, 1); close(fd); }));
	ASSERT_EQ(8, write(fd, &zero, sizeof(zero)));
	EXPECT_EQ(1, conform_wait_blocked_in(atomic_load(&r[0].tid), SYS_read));
	ASSERT_EQ(8, write(fd, &three, sizeof(three)));
	join_all(r, 1);
	EXPECT_EQ(8, r[0].ret);
	EXPECT_EQ((uint64_t)3, r[0].value);
	close(fd);
}

enum { RACERS = 4, ROUNDS = 1000 };

/* A thread of the nonblocking races: count successful calls of its kind. */
struct racer {
	int fd;
	bool write;
	int rounds;		/* writes to make; 0: read until EAGAIN */
	pthread_barrier_t *go;
	int ok;			/* calls that returned 8 */
	int again;		/* calls that failed with EAGAIN */
	int other;		/* any other outcome, or a read not of 1 */
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	uint64_t one = 1, v;

	pthread_barrier_wait(r->go);
	if (r->write) {
		for (int i = 0; i < r->rounds; i++) {
			ssize_t n = write(r->fd, &one, sizeof(one));

			if (n == 8)
				r->ok++;
			else if (n < 0 && errno == EAGAIN)
				r->again++;
			else
				r->other++;
		}
		return NULL;
	}
	for (;;) {
		ssize_t n = read(r->fd, &v, sizeof(v));

		if (n == 8 && v == 1) {
			r->ok++;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			r->again++;
		else
			r->other++;
		return NULL;
	}
}

/* Run RACERS racers as set up in r (go is set here) and join them. */
static void run_racers(struct __test_metadata *_metadata, struct racer *r)
{
	pthread_barrier_t go;
	pthread_t th[RACERS];

	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, RACERS));
	for (int i = 0; i < RACERS; i++) {
		r[i].go = &go;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, racer_main, &r[i]));
	}
	for (int i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
}

/*
 * eventfd(2): "A write(2) call adds the 8-byte integer value supplied in
 * its buffer to the counter". Four threads started together make 1000
 * nonblocking writes of 1 each; every write returns 8 and the counter is
 * then exactly 4000 (since 2.6.22).
 */
TEST(concurrent_writes_lose_no_unit)
{
	struct racer r[RACERS];
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: adds the 8-byte value to the counter");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	for (int i = 0; i < RACERS; i++)
		r[i] = (struct racer){ .fd = fd, .write = true, .rounds = ROUNDS };
	run_racers(_metadata, r);
	for (int i = 0; i < RACERS; i++) {
		EXPECT_EQ(ROUNDS, r[i].ok);
		EXPECT_EQ(0, r[i].again + r[i].other);
	}
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)(RACERS * ROUNDS), v);
	close(fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE: each read returns 1 and takes 1; a nonblocking
 * read of 0 gets EAGAIN. Four threads started together read a counter of
 * 4000 until EAGAIN: every read returns 1, and the reads add up to exactly
 * 4000: no unit is taken twice or left behind (since 2.6.30).
 */
TEST(concurrent_semaphore_reads_take_each_unit_once)
{
	struct racer r[RACERS];
	int fd, total = 0;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE: a read returns 1 and decrements by 1; EAGAIN at 0 when nonblocking");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(RACERS * ROUNDS, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	for (int i = 0; i < RACERS; i++)
		r[i] = (struct racer){ .fd = fd, .write = false };
	run_racers(_metadata, r);
	for (int i = 0; i < RACERS; i++) {
		total += r[i].ok;
		EXPECT_EQ(1, r[i].again);
		EXPECT_EQ(0, r[i].other);
	}
	EXPECT_EQ(RACERS * ROUNDS, total);
	close(fd);
}

/*
 * eventfd(2): a nonblocking write that would pass the maximum "fails with
 * the error EAGAIN". With room for 5 left below 0xfffffffffffffffe, four
 * threads racing 3 nonblocking writes of 1 each: exactly 5 of the 12
 * return 8, 7 get EAGAIN, and the counter ends at the maximum (since
 * 2.6.22).
 */
TEST(concurrent_writes_near_maximum_fill_it_exactly)
{
	uint64_t v = counter_max - 5;
	struct racer r[RACERS];
	int fd, ok = 0, again = 0;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EAGAIN on a nonblocking fd when the maximum would be exceeded");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	for (int i = 0; i < RACERS; i++)
		r[i] = (struct racer){ .fd = fd, .write = true, .rounds = 3 };
	run_racers(_metadata, r);
	for (int i = 0; i < RACERS; i++) {
		ok += r[i].ok;
		again += r[i].again;
		EXPECT_EQ(0, r[i].other);
	}
	EXPECT_EQ(5, ok);
	EXPECT_EQ(3 * RACERS - 5, again);
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ(counter_max, v);
	close(fd);
}

TEST_HARNESS_MAIN
