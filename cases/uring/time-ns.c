// SPDX-License-Identifier: MIT
/*
 * uring/time-ns: io_uring timeouts taken inside a time namespace
 * (CLONE_NEWTIME, 5.6), whose CLOCK_MONOTONIC and CLOCK_BOOTTIME run ahead
 * of the host's by fixed offsets (here +1000 s and +2000 s, written to
 * /proc/self/timens_offsets before anything enters the namespace).
 *
 * time_namespaces(7): time namespaces "virtualize the values" of these
 * clocks, which "affects various APIs that measure against these clocks,
 * including: clock_gettime(2), clock_nanosleep(2), nanosleep(2),
 * timer_settime(2), timerfd_settime(2)". An offset shifts a clock's
 * values, not its rate: absolute times move with it, relative ones do not
 * (the kernel converts the absolute ones with timens_ktime_to_host()).
 * io_uring is not in that list. Its absolute times are those of
 * IORING_OP_TIMEOUT / IORING_OP_LINK_TIMEOUT / IORING_OP_TIMEOUT_REMOVE
 * (update) with IORING_TIMEOUT_ABS (5.4, 5.5, 5.11), also with
 * IORING_TIMEOUT_BOOTTIME (5.15), and the timeouts of waits of
 * io_uring_enter(2) with IORING_ENTER_EXT_ARG | IORING_ENTER_ABS_TIMER
 * (6.12) on the ring's clock (IORING_REGISTER_CLOCK, 6.12). Until 7.1 the
 * kernel armed its timer with the caller's value as if it were a host time:
 * an absolute deadline read on the namespace's clock then expires 1000 s
 * late here (or at once with a negative offset). Kernel commits
 * 9cc6bac1bebf ("io_uring/timeout: honour caller's time namespace for
 * IORING_TIMEOUT_ABS") and 45d2b37a37ab ("io_uring/wait: honour caller's
 * time namespace for IORING_ENTER_ABS_TIMER"), both 7.1 (io_uring-7.1
 * fixes, possibly backported to stable kernels), convert the deadline with
 * timens_ktime_to_host() on the request's clock.
 *
 * How a kernel's variant is told, without a sleep: the absolute request
 * (deadline 30 ms ahead on the namespace's clock) races a relative
 * IORING_OP_TIMEOUT of REFEREE_MS, which no namespace shifts. When the
 * absolute one completes first, the deadline was converted (7.1
 * semantics, then asserted not to have ended before its deadline on the
 * namespace's clock). The referee's coming first does not say the
 * opposite by itself: a vCPU held up for more than the 70 ms between the
 * two (a loaded host under emulation; seen with four guests on two cores)
 * lets both expire in one interrupt, where CLOCK_MONOTONIC's timers run
 * before CLOCK_BOOTTIME's and a wait's wake-up may see the referee's CQE.
 * So the absolute request is then made to tell: a timeout is removed (or
 * the poll a link timeout guards cancelled) and completes with -ETIME if
 * it had expired, -ECANCELED if it was still pending; a wait is made
 * again with the same deadline, now behind the namespace's clock, and
 * ends at once with ETIME if it is read on that clock. Only a deadline
 * still ahead is the pre-7.1 behaviour. Then the race is run again with
 * the deadline read on the host's clock (the namespace's minus the
 * offset), asserted to be won: the kernel read the namespace's time as a
 * host time; the test then skips naming the missing commit, so that a
 * kernel at or after 7.1 without it fails the run.
 *
 * Needs CAP_SYS_ADMIN (root) and CONFIG_TIME_NS; otherwise each TEST skips
 * with the reason. unshare(CLONE_NEWTIME) puts only later children in the
 * namespace; the test child moves itself in with setns(2) on
 * /proc/self/ns/time_for_children (time_namespaces(7): "A process can use
 * a file descriptor opened on this symbolic link in a call to setns(2) in
 * order to move into the namespace"), while it is single-threaded.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

enum {
	/* Offsets (seconds) of the namespace's clocks; unequal, so that a
	 * conversion on the wrong clock is 1000 s off too. */
	MONO_OFFSET_S = 1000,
	BOOT_OFFSET_S = 2000,
	/* How far ahead of the namespace's clock the deadlines lie. */
	DEADLINE_MS = 30,
	/* The relative timeout that ends the race when the absolute one
	 * does not complete first. */
	REFEREE_MS = 100,
	TAG_ABS = 1,
	TAG_REFEREE = 2,
	TAG_OTHER = 3,
	TAG_STOP = 4,	/* the TIMEOUT_REMOVE or ASYNC_CANCEL of race_result() */
};

#define ABS_WAIT (IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | \
		  REF_IORING_ENTER_ABS_TIMER)

/* Write text to path: 0, or the errno. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, (size_t)len) != len)
		err = errno;
	close(fd);
	return err;
}

/*
 * Move the calling test child into a new time namespace whose
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are MONO_OFFSET_S and BOOT_OFFSET_S
 * ahead: unshare(CLONE_NEWTIME) makes it (for children only), the offsets
 * are written while nothing is in it yet, and setns(2) on
 * time_for_children enters it. NULL, or why not (in conform_why).
 */
static const char *enter_time_ns(void)
{
	char offsets[64];
	int fd, err;

	if (unshare(CLONE_NEWTIME) < 0) {
		err = errno;
		snprintf(conform_why, sizeof(conform_why),
			 err == EPERM ? CONFORM_ENV "unshare(CLONE_NEWTIME): EPERM (needs CAP_SYS_ADMIN)" :
			 err == EINVAL ? CONFORM_ENV "unshare(CLONE_NEWTIME): EINVAL (kernel without CONFIG_TIME_NS)" :
			 CONFORM_ENV "unshare(CLONE_NEWTIME): %s", strerror(err));
		return conform_why;
	}
	snprintf(offsets, sizeof(offsets), "%d %d 0\n%d %d 0\n",
		 CLOCK_MONOTONIC, MONO_OFFSET_S, CLOCK_BOOTTIME, BOOT_OFFSET_S);
	err = write_file("/proc/self/timens_offsets", offsets);
	if (err) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot write /proc/self/timens_offsets: %s",
			 strerror(err));
		return conform_why;
	}
	fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot enter the new time namespace (/proc/self/ns/time_for_children): %s",
			 strerror(err));
		return conform_why;
	}
	close(fd);
	return NULL;
}

/*
 * In a TEST: enter the namespace (or skip) and check that the offsets
 * apply: the namespace's CLOCK_MONOTONIC reads at least MONO_OFFSET_S
 * more than the host's did just before.
 */
static void require_time_ns(struct __test_metadata *_metadata, bool *skipped)
{
	struct timespec host, inside;
	const char *why;

	*skipped = true;
	clock_gettime(CLOCK_MONOTONIC, &host);
	why = enter_time_ns();
	if (why)
		SKIP(return, "%s", why);
	clock_gettime(CLOCK_MONOTONIC, &inside);
	ASSERT_LE(host.tv_sec + MONO_OFFSET_S, inside.tv_sec)
		TH_LOG("the namespace's CLOCK_MONOTONIC is not offset");
	*skipped = false;
}

#define REQUIRE_TIME_NS()                                                      \
	do {                                                                   \
		bool skipped_;                                                 \
		require_time_ns(_metadata, &skipped_);                         \
		if (skipped_)                                                  \
			return;                                                \
	} while (0)

/* now + ms milliseconds on clock clk (in this task's time namespace). */
static struct __kernel_timespec deadline_in(clockid_t clk, long ms)
{
	struct __kernel_timespec out;
	struct timespec t;

	clock_gettime(clk, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	out.tv_sec = t.tv_sec;
	out.tv_nsec = t.tv_nsec;
	return out;
}

/* Clock clk now reads at least *deadline. */
static bool reached(clockid_t clk, const struct __kernel_timespec *deadline)
{
	struct timespec now;

	clock_gettime(clk, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec &&
		now.tv_nsec >= deadline->tv_nsec);
}

/*
 * Sleep until clock clk reads *deadline (clock_nanosleep(2) TIMER_ABSTIME,
 * on the namespace's clock). An hrtimer of the same clock and expiry has
 * fired by the time this returns: its callback runs from the interrupt
 * that ends the sleep, before the sleeper is scheduled.
 */
static void sleep_until(clockid_t clk, const struct __kernel_timespec *deadline)
{
	struct timespec t = { .tv_sec = (time_t)deadline->tv_sec,
			      .tv_nsec = (long)deadline->tv_nsec };

	while (clock_nanosleep(clk, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

static struct __kernel_timespec ms_span(long ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (ms % 1000) * 1000000L };

	return ts;
}

/* Queue an IORING_OP_TIMEOUT of *ts (count 0) with flags, tagged tag. */
static void queue_timeout(struct __test_metadata *_metadata,
			  struct io_uring *ring, struct __kernel_timespec *ts,
			  unsigned int flags, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ASSERT_NE(NULL, sqe);
	io_uring_prep_timeout(sqe, ts, 0, flags);
	io_uring_sqe_set_data64(sqe, tag);
}

/* NULL if IORING_TIMEOUT_BOOTTIME is known: a relative 1 ns BOOTTIME
 * timeout completes with -ETIME (5.15); older kernels give -EINVAL. */
static const char *boottime_flag_missing(void)
{
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 1 };
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout(&sqe, &ts, 0, IORING_TIMEOUT_BOOTTIME);
	return uring_flag_result_missing(&sqe, -ETIME,
					 "a relative 1 ns IORING_OP_TIMEOUT",
					 "IORING_TIMEOUT_BOOTTIME (5.15)");
}

/* NULL if IORING_TIMEOUT_UPDATE is known: updating a timeout that does not
 * exist completes with -ENOENT (5.11); older kernels give -EINVAL. */
static const char *update_flag_missing(void)
{
	struct __kernel_timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_timeout_update(&sqe, &ts, 0xdead, 0);
	return uring_flag_result_missing(&sqe, -ENOENT,
					 "an IORING_OP_TIMEOUT_REMOVE update of no timeout",
					 "IORING_TIMEOUT_UPDATE (5.11)");
}

/* io_uring_enter(2) waiting for one CQE with the timeout *ts and flags. */
static int ext_wait(int ring_fd, struct __kernel_timespec *ts,
		    unsigned int flags)
{
	struct io_uring_getevents_arg arg;

	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)ts;
	return (int)syscall(__NR_io_uring_enter, ring_fd, 0, 1, flags, &arg,
			    sizeof(arg));
}

/* NULL if IORING_ENTER_ABS_TIMER is known: a wait on a new ring until the
 * absolute time 0, long past, ends with ETIME (6.12); else EINVAL. */
static const char *abs_timer_missing(void)
{
	struct __kernel_timespec zero = { 0, 0 };
	const char *why = conform_uring_unavailable();
	struct io_uring ring;
	int ret, err;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	ret = ext_wait(ring.ring_fd, &zero, ABS_WAIT);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret == -1 && err == ETIME)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_ENTER_ABS_TIMER (6.12): a wait until time 0 gave %d (%s), not ETIME",
		 ret, ret < 0 ? strerror(err) : "no error");
	return conform_why;
}

/* NULL if IORING_REGISTER_CLOCK (6.12) takes CLOCK_BOOTTIME. */
static const char *register_clock_missing(void)
{
	struct ref_io_uring_clock_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.clockid = CLOCK_BOOTTIME;
	return uring_register_missing(REF_IORING_REGISTER_CLOCK, &reg, 0,
				      "IORING_REGISTER_CLOCK (6.12)");
}

/*
 * The absolute request's (TAG_ABS) CQE into *abs, after the race with the
 * referee. When the referee's CQE comes first, the absolute request is
 * ended once clock clk has reached *deadline (its deadline on the
 * namespace's clock): by a TIMEOUT_REMOVE of it, or with cancel_other by
 * an ASYNC_CANCEL of the TAG_OTHER request it guards as a link timeout.
 * Its CQE then says whether it had expired (-ETIME), as it has if the
 * kernel read the deadline on that clock, or was pending (-ECANCELED).
 * *other gets the result of a TAG_OTHER CQE seen on the way (1 when none
 * was). 0, or -1 when a CQE did not come within the reap bound or the
 * stop could not be submitted.
 */
static int race_result(struct io_uring *ring, bool cancel_other, clockid_t clk,
		       const struct __kernel_timespec *deadline,
		       struct io_uring_cqe *abs, int *other)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;

	*other = 1;
	for (;;) {
		if (uring_reap_one(ring, &cqe))
			return -1;
		if (cqe.user_data == TAG_ABS) {
			*abs = cqe;
			return 0;
		}
		if (cqe.user_data == TAG_OTHER)
			*other = cqe.res;
		if (cqe.user_data != TAG_REFEREE)
			continue;	/* TAG_STOP's own CQE, or the poll's */
		sleep_until(clk, deadline);
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			return -1;
		if (cancel_other)
			io_uring_prep_cancel64(sqe, TAG_OTHER, 0);
		else
			io_uring_prep_timeout_remove(sqe, TAG_ABS, 0);
		io_uring_sqe_set_data64(sqe, TAG_STOP);
		if (io_uring_submit(ring) != 1)
			return -1;
	}
}

/*
 * The pre-7.1 reading, confirmed: on a ring of its own, an absolute
 * IORING_OP_TIMEOUT (flags: the clock) whose deadline is 30 ms ahead of
 * the host's reading of clock clk (the namespace's minus offset_s) beats a
 * REFEREE_MS relative timeout. True when it does.
 */
static bool abs_timeout_reads_host_clock(clockid_t clk, unsigned int flags,
					 long offset_s)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct __kernel_timespec inside;	/* the deadline on the namespace's clock */
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;
	bool host = false;
	int other;

	if (io_uring_queue_init(4, &ring, 0))
		return false;
	inside = deadline_in(clk, DEADLINE_MS);
	deadline = inside;
	deadline.tv_sec -= offset_s;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &deadline, 0, IORING_TIMEOUT_ABS | flags);
	io_uring_sqe_set_data64(sqe, TAG_ABS);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &referee, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_REFEREE);
	if (io_uring_submit(&ring) == 2 &&
	    race_result(&ring, false, clk, &inside, &cqe, &other) == 0)
		host = cqe.res == -ETIME;
	io_uring_queue_exit(&ring);
	return host;
}

/*
 * The race's outcome (race_result() with cancel_other, clk, *deadline and
 * other): true, and the test goes on with the absolute request's CQE in
 * *abs, unless that request was still pending after the referee's
 * (-ECANCELED). Then the deadline was not converted; that it was read as
 * a host time is confirmed (abs_timeout_reads_host_clock() of clk, flags,
 * offset_s: an ASSERT) and the test skips with why, which names the path
 * and the commit.
 */
static bool referee_lost(struct __test_metadata *_metadata,
			 struct io_uring *ring, struct io_uring_cqe *abs,
			 bool cancel_other, int *other, clockid_t clk,
			 const struct __kernel_timespec *deadline,
			 unsigned int flags, long offset_s, const char *why)
{
	int seen;

	ASSERT_EQ(0, race_result(ring, cancel_other, clk, deadline, abs,
				 other ? other : &seen));
	if (abs->res != -ECANCELED)
		return true;
	io_uring_queue_exit(ring);
	ASSERT_TRUE(abs_timeout_reads_host_clock(clk, flags, offset_s))
		TH_LOG("the deadline was read on neither the namespace's clock nor the host's");
	TH_LOG("pre-7.1 variant: the absolute deadline is read on the host's clock");
	SKIP(return false, "%s", why);
}

/*
 * After an IORING_ENTER_ABS_TIMER wait until *deadline returned the
 * referee's CQE: once the namespace's clock clk reads *until (the
 * deadline on that clock; *deadline itself, or the namespace's time of a
 * deadline given as the host's reading), the same wait again, with that
 * CQE reaped and a new referee pending. A kernel that reads the deadline
 * on that clock ends the wait at once with ETIME; one that reads it as a
 * host time waits for the referee. The wait's return value (errno set),
 * or -2 when the referee could not be submitted.
 */
static int wait_again(struct io_uring *ring, clockid_t clk,
		      const struct __kernel_timespec *until,
		      struct __kernel_timespec *deadline)
{
	struct __kernel_timespec referee = ms_span(REFEREE_MS);
	struct io_uring_sqe *sqe;

	sleep_until(clk, until);
	io_uring_cq_advance(ring, io_uring_cq_ready(ring));
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return -2;
	io_uring_prep_timeout(sqe, &referee, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_REFEREE);
	if (io_uring_submit(ring) != 1)
		return -2;
	return ext_wait(ring->ring_fd, deadline, ABS_WAIT);
}

/*
 * The pre-7.1 reading of a wait, confirmed: on a ring of its own (with
 * CLOCK_BOOTTIME registered when clk is that), with a REFEREE_MS relative
 * timeout pending, an IORING_ENTER_ABS_TIMER wait until 30 ms ahead of the
 * host's reading of clk ends with ETIME and no CQE. True when it does.
 */
static bool abs_wait_reads_host_clock(clockid_t clk, long offset_s)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct __kernel_timespec inside;	/* the deadline on the namespace's clock */
	struct ref_io_uring_clock_register reg;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	bool host = false;
	int ret;

	if (io_uring_queue_init(4, &ring, 0))
		return false;
	memset(&reg, 0, sizeof(reg));
	reg.clockid = (__u32)clk;
	if (clk == CLOCK_BOOTTIME &&
	    uring_register_raw(&ring, REF_IORING_REGISTER_CLOCK, &reg, 0)) {
		io_uring_queue_exit(&ring);
		return false;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &referee, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_REFEREE);
	if (io_uring_submit(&ring) == 1) {
		inside = deadline_in(clk, DEADLINE_MS);
		deadline = inside;
		deadline.tv_sec -= offset_s;	/* the host's reading */
		ret = ext_wait(ring.ring_fd, &deadline, ABS_WAIT);
		if (ret == 0 && io_uring_cq_ready(&ring) == 1)
			ret = wait_again(&ring, clk, &inside, &deadline);
		host = ret == -1 && errno == ETIME;
	}
	io_uring_queue_exit(&ring);
	return host;
}

/*
 * time_namespaces(7): a time namespace shifts what its clocks read, not
 * how fast they run; a relative IORING_OP_TIMEOUT of 20 ms therefore
 * expires 20 ms later there too: it completes with -ETIME within the reap
 * bound, and not before 20 ms have passed on the namespace's clock
 * (io_uring_enter(2) IORING_OP_TIMEOUT; since 5.6, time namespaces).
 */
TEST(relative_timeout_is_not_shifted_by_namespace_offset)
{
	struct __kernel_timespec span = ms_span(20), end;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.6", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT relative; "
			"time_namespaces(7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	end = deadline_in(CLOCK_MONOTONIC, 20);
	queue_timeout(_metadata, &ring, &span, 0, TAG_OTHER);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	EXPECT_EQ(-ETIME, cqe.res);
	EXPECT_TRUE(reached(CLOCK_MONOTONIC, &end))
		TH_LOG("a 20 ms relative timeout ended early");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: with IORING_TIMEOUT_ABS the
 * timespec is an absolute CLOCK_MONOTONIC time; kernel commit 9cc6bac1bebf
 * ("io_uring/timeout: honour caller's time namespace for
 * IORING_TIMEOUT_ABS", 7.1) reads it on the submitter's time namespace,
 * as timer_settime(2) does: a deadline 30 ms ahead of the namespace's
 * clock expires with -ETIME before a 100 ms relative timeout, and not
 * before the namespace's clock reaches it. Kernels without the commit
 * read it as a host time (1000 s later here): the relative one completes
 * first, and the test skips saying so (since 7.1).
 */
TEST(abs_timeout_deadline_is_read_on_namespace_monotonic_clock)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_ABS",
			"kernel commit 9cc6bac1bebf io_uring/timeout: honour "
			"caller's time namespace for IORING_TIMEOUT_ABS; "
			"time_namespaces(7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	deadline = deadline_in(CLOCK_MONOTONIC, DEADLINE_MS);
	queue_timeout(_metadata, &ring, &deadline, IORING_TIMEOUT_ABS, TAG_ABS);
	queue_timeout(_metadata, &ring, &referee, 0, TAG_REFEREE);
	ASSERT_EQ(2, io_uring_submit(&ring));
	if (!referee_lost(_metadata, &ring, &cqe, false, NULL, CLOCK_MONOTONIC, &deadline, 0,
			  MONO_OFFSET_S,
			  "IORING_TIMEOUT_ABS in a time namespace: a deadline 30 ms ahead on the namespace's CLOCK_MONOTONIC was still pending after a 100 ms relative timeout (read as a host time: kernel without commit 9cc6bac1bebf, 7.1)"))
		return;
	EXPECT_EQ((__u64)TAG_ABS, cqe.user_data);
	EXPECT_EQ(-ETIME, cqe.res);
	EXPECT_TRUE(reached(CLOCK_MONOTONIC, &deadline))
		TH_LOG("the timeout expired before its deadline on the namespace's clock");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: IORING_TIMEOUT_BOOTTIME (5.15)
 * makes an IORING_TIMEOUT_ABS time one of CLOCK_BOOTTIME, which a time
 * namespace offsets on its own (2000 s here, the monotonic offset being
 * 1000 s); commit 9cc6bac1bebf (7.1) converts it with the request's clock:
 * a deadline 30 ms ahead of the namespace's CLOCK_BOOTTIME expires first
 * and not before that clock reaches it. Without the commit it is read as a
 * host time and the 100 ms relative timeout wins: skip (since 7.1).
 */
TEST(abs_boottime_timeout_deadline_is_read_on_namespace_boottime_clock)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_BOOTTIME",
			"kernel commit 9cc6bac1bebf io_uring/timeout: honour "
			"caller's time namespace for IORING_TIMEOUT_ABS; "
			"io_uring_enter(2) IORING_TIMEOUT_BOOTTIME");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	CONFORM_REQUIRE(boottime_flag_missing());
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	deadline = deadline_in(CLOCK_BOOTTIME, DEADLINE_MS);
	queue_timeout(_metadata, &ring, &deadline,
		      IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME, TAG_ABS);
	queue_timeout(_metadata, &ring, &referee, 0, TAG_REFEREE);
	ASSERT_EQ(2, io_uring_submit(&ring));
	if (!referee_lost(_metadata, &ring, &cqe, false, NULL, CLOCK_BOOTTIME, &deadline,
			  IORING_TIMEOUT_BOOTTIME, BOOT_OFFSET_S,
			  "IORING_TIMEOUT_BOOTTIME|ABS in a time namespace: a deadline 30 ms ahead on the namespace's CLOCK_BOOTTIME was still pending after a 100 ms relative timeout (read as a host time: kernel without commit 9cc6bac1bebf, 7.1)"))
		return;
	EXPECT_EQ((__u64)TAG_ABS, cqe.user_data);
	EXPECT_EQ(-ETIME, cqe.res);
	EXPECT_TRUE(reached(CLOCK_BOOTTIME, &deadline))
		TH_LOG("the timeout expired before its deadline on the namespace's CLOCK_BOOTTIME");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE
 * (5.11): the new time, with IORING_TIMEOUT_ABS, is absolute; since commit
 * 9cc6bac1bebf (7.1) it is parsed like the timeout's own (the update goes
 * through the same io_parse_user_time()), on the namespace's clock: a
 * pending 10 s timeout moved to 30 ms ahead of the namespace's
 * CLOCK_MONOTONIC expires before a 100 ms relative timeout, and not early.
 * Without the commit the new deadline is a host time: skip (since 7.1).
 */
TEST(abs_timeout_update_deadline_is_read_on_namespace_clock)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct __kernel_timespec first = ms_span(10000);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("7.1", "IORING_TIMEOUT_UPDATE",
			"kernel commit 9cc6bac1bebf io_uring/timeout: honour "
			"caller's time namespace for IORING_TIMEOUT_ABS; "
			"io_uring_enter(2) IORING_OP_TIMEOUT_REMOVE");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT_REMOVE);
	CONFORM_REQUIRE(update_flag_missing());
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(_metadata, &ring, &first, 0, TAG_ABS);
	queue_timeout(_metadata, &ring, &referee, 0, TAG_REFEREE);
	ASSERT_EQ(2, io_uring_submit(&ring));
	deadline = deadline_in(CLOCK_MONOTONIC, DEADLINE_MS);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_timeout_update(sqe, &deadline, TAG_ABS, IORING_TIMEOUT_ABS);
	io_uring_sqe_set_data64(sqe, TAG_OTHER);
	ASSERT_EQ(0, uring_submit_reap(&ring, &cqe));
	ASSERT_EQ((__u64)TAG_OTHER, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	if (!referee_lost(_metadata, &ring, &cqe, false, NULL, CLOCK_MONOTONIC, &deadline, 0,
			  MONO_OFFSET_S,
			  "IORING_TIMEOUT_UPDATE|ABS in a time namespace: a timeout moved to 30 ms ahead on the namespace's CLOCK_MONOTONIC was still pending after a 100 ms relative timeout (read as a host time: kernel without commit 9cc6bac1bebf, 7.1)"))
		return;
	EXPECT_EQ((__u64)TAG_ABS, cqe.user_data);
	EXPECT_EQ(-ETIME, cqe.res);
	EXPECT_TRUE(reached(CLOCK_MONOTONIC, &deadline))
		TH_LOG("the updated timeout expired before its new deadline");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT (5.5) takes the flags of
 * IORING_OP_TIMEOUT, IORING_TIMEOUT_ABS included, and is prepared by the
 * same code, which commit 9cc6bac1bebf (7.1) makes read the deadline on the
 * namespace's clock: a link timeout 30 ms ahead of the namespace's
 * CLOCK_MONOTONIC cancels the poll it guards (-ECANCELED) and completes
 * with -ETIME, both before a 100 ms relative timeout. Without the commit
 * the relative timeout comes first: skip (since 7.1).
 */
TEST(abs_link_timeout_deadline_is_read_on_namespace_clock)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int other, p[2];

	CONFORM_DECLARE("7.1", "IORING_OP_LINK_TIMEOUT",
			"kernel commit 9cc6bac1bebf io_uring/timeout: honour "
			"caller's time namespace for IORING_TIMEOUT_ABS; "
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_poll_add(sqe, p[0], POLLIN);
	io_uring_sqe_set_data64(sqe, TAG_OTHER);
	sqe->flags |= IOSQE_IO_LINK;
	deadline = deadline_in(CLOCK_MONOTONIC, DEADLINE_MS);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_link_timeout(sqe, &deadline, IORING_TIMEOUT_ABS);
	io_uring_sqe_set_data64(sqe, TAG_ABS);
	queue_timeout(_metadata, &ring, &referee, 0, TAG_REFEREE);
	ASSERT_EQ(3, io_uring_submit(&ring));
	if (!referee_lost(_metadata, &ring, &cqe, true, &other, CLOCK_MONOTONIC, &deadline, 0,
			  MONO_OFFSET_S,
			  "IORING_OP_LINK_TIMEOUT with IORING_TIMEOUT_ABS in a time namespace: a deadline 30 ms ahead on the namespace's CLOCK_MONOTONIC had not fired after a 100 ms relative timeout (read as a host time: kernel without commit 9cc6bac1bebf, 7.1)")) {
		close(p[0]);
		close(p[1]);
		return;
	}
	EXPECT_TRUE(reached(CLOCK_MONOTONIC, &deadline))
		TH_LOG("the link timeout fired before its deadline on the namespace's clock");
	EXPECT_EQ(-ETIME, cqe.res);
	/* The guarded poll's CQE, if it did not come before the timeout's. */
	while (other == 1) {
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		if (cqe.user_data == TAG_OTHER)
			other = cqe.res;
	}
	EXPECT_EQ(-ECANCELED, other);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_enter(2) IORING_ENTER_ABS_TIMER (6.12): the timeout of an
 * IORING_ENTER_EXT_ARG wait is an absolute time of the ring's clock
 * (CLOCK_MONOTONIC by default); kernel commit 45d2b37a37ab
 * ("io_uring/wait: honour caller's time namespace for
 * IORING_ENTER_ABS_TIMER", 7.1) reads it on the caller's namespace: a wait
 * until 30 ms ahead of the namespace's clock fails with ETIME, with no CQE,
 * while a 100 ms relative IORING_OP_TIMEOUT is still pending, and not
 * before the deadline. Without the commit the deadline is a host time, the
 * wait lasts until the relative timeout's CQE and returns 0: skip
 * (since 7.1).
 */
TEST(abs_timer_wait_deadline_is_read_on_namespace_clock)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct io_uring ring;
	int ret, err;

	CONFORM_DECLARE("7.1", "IORING_ENTER_ABS_TIMER",
			"kernel commit 45d2b37a37ab io_uring/wait: honour "
			"caller's time namespace for IORING_ENTER_ABS_TIMER; "
			"io_uring_enter(2) IORING_ENTER_ABS_TIMER");
	CONFORM_REQUIRE(abs_timer_missing());
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(_metadata, &ring, &referee, 0, TAG_REFEREE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	deadline = deadline_in(CLOCK_MONOTONIC, DEADLINE_MS);
	ret = ext_wait(ring.ring_fd, &deadline, ABS_WAIT);
	if (ret == 0 && io_uring_cq_ready(&ring) == 1)
		ret = wait_again(&ring, CLOCK_MONOTONIC, &deadline, &deadline);	/* see the top */
	err = errno;
	if (ret == 0 && io_uring_cq_ready(&ring) == 1) {
		io_uring_queue_exit(&ring);
		ASSERT_TRUE(abs_wait_reads_host_clock(CLOCK_MONOTONIC, MONO_OFFSET_S))
			TH_LOG("the deadline was read on neither the namespace's clock nor the host's");
		TH_LOG("pre-7.1 variant: the absolute deadline is read on the host's clock");
		SKIP(return, "IORING_ENTER_ABS_TIMER in a time namespace: a wait until 30 ms ahead on the namespace's CLOCK_MONOTONIC lasted until a 100 ms relative timeout completed (read as a host time: kernel without commit 45d2b37a37ab, 7.1)");
	}
	/* ETIME says the deadline ended the wait; the referee's CQE may be
	 * there as well when the vCPU was held up past both (see the top). */
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ETIME, err);
	EXPECT_TRUE(reached(CLOCK_MONOTONIC, &deadline))
		TH_LOG("the wait ended before its deadline on the namespace's clock");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_CLOCK (6.12) makes CLOCK_BOOTTIME
 * the clock of a ring's waits; commit 45d2b37a37ab (7.1) converts an
 * IORING_ENTER_ABS_TIMER deadline with that clock's namespace offset
 * (2000 s here, 1000 s for CLOCK_MONOTONIC): a wait until 30 ms ahead of
 * the namespace's CLOCK_BOOTTIME fails with ETIME before a 100 ms relative
 * timeout completes, and not before that clock reaches it. Without the
 * commit the wait lasts until the relative timeout's CQE: skip
 * (since 7.1).
 */
TEST(abs_timer_wait_on_registered_boottime_is_read_on_namespace_clock)
{
	struct __kernel_timespec deadline, referee = ms_span(REFEREE_MS);
	struct ref_io_uring_clock_register reg;
	struct io_uring ring;
	int ret, err;

	CONFORM_DECLARE("7.1", "IORING_REGISTER_CLOCK",
			"kernel commit 45d2b37a37ab io_uring/wait: honour "
			"caller's time namespace for IORING_ENTER_ABS_TIMER; "
			"io_uring_register(2) IORING_REGISTER_CLOCK");
	CONFORM_REQUIRE(abs_timer_missing());
	CONFORM_REQUIRE(register_clock_missing());
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&reg, 0, sizeof(reg));
	reg.clockid = CLOCK_BOOTTIME;
	ASSERT_EQ(0, uring_register_raw(&ring, REF_IORING_REGISTER_CLOCK, &reg, 0));
	queue_timeout(_metadata, &ring, &referee, 0, TAG_REFEREE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	deadline = deadline_in(CLOCK_BOOTTIME, DEADLINE_MS);
	ret = ext_wait(ring.ring_fd, &deadline, ABS_WAIT);
	if (ret == 0 && io_uring_cq_ready(&ring) == 1)
		ret = wait_again(&ring, CLOCK_BOOTTIME, &deadline, &deadline);	/* see the top */
	err = errno;
	if (ret == 0 && io_uring_cq_ready(&ring) == 1) {
		io_uring_queue_exit(&ring);
		ASSERT_TRUE(abs_wait_reads_host_clock(CLOCK_BOOTTIME, BOOT_OFFSET_S))
			TH_LOG("the deadline was read on neither the namespace's clock nor the host's");
		TH_LOG("pre-7.1 variant: the absolute deadline is read on the host's clock");
		SKIP(return, "IORING_ENTER_ABS_TIMER on CLOCK_BOOTTIME in a time namespace: a wait until 30 ms ahead on the namespace's CLOCK_BOOTTIME lasted until a 100 ms relative timeout completed (read as a host time: kernel without commit 45d2b37a37ab, 7.1)");
	}
	/* ETIME: the deadline ended the wait (the referee's CQE may be
	 * there as well, as above). */
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ETIME, err);
	EXPECT_TRUE(reached(CLOCK_BOOTTIME, &deadline))
		TH_LOG("the wait ended before its deadline on the namespace's CLOCK_BOOTTIME");
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) IORING_ENTER_EXT_ARG (5.11): without
 * IORING_ENTER_ABS_TIMER the timeout is relative, and a time namespace's
 * offset does not touch it: a 20 ms wait fails with ETIME, not before
 * 20 ms have passed, while a relative IORING_OP_TIMEOUT of the reap bound
 * (the guard that ends a wait shifted by the offset) is still pending
 * (since 5.11).
 */
TEST(relative_ext_arg_wait_is_not_shifted_by_namespace_offset)
{
	struct __kernel_timespec span = ms_span(20), end;
	struct __kernel_timespec guard = ms_span(URING_REAP_BOUND_MS);
	struct io_uring ring;
	int ret, err;

	CONFORM_DECLARE("5.11", "IORING_ENTER_EXT_ARG",
			"io_uring_enter(2) IORING_ENTER_EXT_ARG timeout; "
			"time_namespaces(7)");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_EXT_ARG);
	REQUIRE_TIME_NS();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	queue_timeout(_metadata, &ring, &guard, 0, TAG_REFEREE);
	ASSERT_EQ(1, io_uring_submit(&ring));
	end = deadline_in(CLOCK_MONOTONIC, 20);
	ret = ext_wait(ring.ring_fd, &span,
		       IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ETIME, err);
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	EXPECT_TRUE(reached(CLOCK_MONOTONIC, &end))
		TH_LOG("a 20 ms relative wait ended early");
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
