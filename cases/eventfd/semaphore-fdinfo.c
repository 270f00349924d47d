// SPDX-License-Identifier: MIT
/*
 * eventfd/semaphore-fdinfo: the state of an eventfd as /proc/self/fdinfo
 * shows it, and EFD_SEMAPHORE reads checked against it: "eventfd-count:"
 * (the counter in hex, since 3.8), "eventfd-id:" (an id per eventfd
 * object, since 5.2), "eventfd-semaphore:" (0 or 1, since 6.5) and the
 * generic "flags:" line; a semaphore read at the top of the counter, and a
 * blocked semaphore read woken by a write of more than 1.
 * Sources: proc_pid_fdinfo(5) (eventfd-count, flags), eventfd(2)
 * (EFD_SEMAPHORE since 2.6.30), kernel fs/eventfd.c eventfd_show_fdinfo()
 * (the eventfd fdinfo lines since 3.8, proc_pid_fdinfo(5)) and commits
 * b556db17b0e7 ("eventfd: present id to userspace via fdinfo", 5.2) and
 * 33d8b5d7824c ("eventfd: show the EFD_SEMAPHORE flag in fdinfo", 6.5).
 * Each line is probed on its own: a kernel without it skips the TESTs that
 * need it.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform.h"

/* eventfd(2): the largest value the counter holds. */
static const uint64_t counter_max = UINT64_MAX - 1;

/* What fdinfo_field() found. */
enum { FDINFO_UNREADABLE = -1, FDINFO_ABSENT = 0, FDINFO_FOUND = 1 };

/*
 * Find the line of /proc/self/fdinfo/<fd> that starts with key (e.g.
 * "eventfd-count:") and copy what follows the key, without the newline,
 * into val. FDINFO_FOUND, FDINFO_ABSENT when no line has the key, or
 * FDINFO_UNREADABLE when the file cannot be read (no /proc).
 */
static int fdinfo_field(int fd, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = FDINFO_ABSENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return FDINFO_UNREADABLE;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(val, len, "%s", line + klen);
		ret = FDINFO_FOUND;
		break;
	}
	fclose(f);
	return ret;
}

/*
 * Inside a TEST: the value of fd's fdinfo line key into val, or a skip
 * (fd closed first) when /proc cannot be read (environment) or the line is
 * missing (the kernel predates it: what names the line's commit).
 */
#define FDINFO_OR_SKIP(fd, key, val, what)                                     \
	do {                                                                   \
		int r_ = fdinfo_field((fd), (key), (val), sizeof(val));        \
		if (r_ != FDINFO_FOUND)                                        \
			close(fd);                                             \
		if (r_ == FDINFO_UNREADABLE)                                   \
			SKIP(return, CONFORM_ENV "/proc/self/fdinfo/<fd> unreadable (no /proc?)"); \
		if (r_ == FDINFO_ABSENT)                                       \
			SKIP(return, "no \"%s\" line in /proc/self/fdinfo/<eventfd> (%s)", \
			     (key), (what));                                   \
	} while (0)

#define NO_COUNT_LINE "eventfd_show_fdinfo() before 3.8"
#define NO_ID_LINE "eventfd id in fdinfo before 5.2"
#define NO_SEM_LINE "EFD_SEMAPHORE in fdinfo before 6.5"

/* The counter as "eventfd-count:" shows it; UINT64_MAX marks a malformed
 * line (the counter never shows that value in these tests). */
static uint64_t count_of(int fd)
{
	char val[64], *end;
	uint64_t v;

	if (fdinfo_field(fd, "eventfd-count:", val, sizeof(val)) != FDINFO_FOUND)
		return UINT64_MAX;
	v = strtoull(val, &end, 16);
	return *end == '\0' && end != val ? v : UINT64_MAX;
}

/*
 * proc_pid_fdinfo(5): for an eventfd (since 3.8) "eventfd-count is the
 * current value of the eventfd counter, in hexadecimal"; the kernel prints
 * it as "%16llx" after "eventfd-count: " (a field 16 wide, padded with
 * spaces): the initial value 0x2a shows as 14 spaces and "2a".
 */
TEST(fdinfo_count_shows_counter_in_hex)
{
	char val[64];
	int fd;

	CONFORM_DECLARE("3.8", "eventfd",
			"proc_pid_fdinfo(5) eventfd (since Linux 3.8): eventfd-count in hexadecimal; fs/eventfd.c eventfd_show_fdinfo() %16llx");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0x2a, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	FDINFO_OR_SKIP(fd, "eventfd-count:", val, NO_COUNT_LINE);
	EXPECT_STREQ("               2a", val);
	close(fd);
}

/*
 * proc_pid_fdinfo(5) eventfd-count is "the current value of the eventfd
 * counter": eventfd(2) writes add to it, a read resets it to 0. After
 * writes of 0x1234 and 0xffff0000 it shows 0xffff1234, after the read 0
 * (since 3.8).
 */
TEST(fdinfo_count_follows_writes_and_read)
{
	uint64_t a = 0x1234, b = 0xffff0000, v = 0;
	char val[64];
	int fd;

	CONFORM_DECLARE("3.8", "eventfd",
			"proc_pid_fdinfo(5) eventfd (since Linux 3.8): eventfd-count is the current value of the counter");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	FDINFO_OR_SKIP(fd, "eventfd-count:", val, NO_COUNT_LINE);
	EXPECT_EQ((uint64_t)0, count_of(fd));
	ASSERT_EQ(8, write(fd, &a, sizeof(a)));
	EXPECT_EQ((uint64_t)0x1234, count_of(fd));
	ASSERT_EQ(8, write(fd, &b, sizeof(b)));
	EXPECT_EQ((uint64_t)0xffff1234, count_of(fd));
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)0xffff1234, v);
	EXPECT_EQ((uint64_t)0, count_of(fd));
	close(fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE: a read "returns 8 bytes containing the value
 * 1, and the counter's value is decremented by 1"; fdinfo shows each step:
 * 3, then 2, 1 and 0 after three reads of 1 (since 3.8 for the line;
 * EFD_SEMAPHORE since 2.6.30).
 */
TEST(fdinfo_count_drops_by_one_per_semaphore_read)
{
	char val[64];
	uint64_t v;
	int fd;

	CONFORM_DECLARE("3.8", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE read decrements by 1 (2.6.30); proc_pid_fdinfo(5) eventfd-count (3.8)");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	FDINFO_OR_SKIP(fd, "eventfd-count:", val, NO_COUNT_LINE);
	EXPECT_EQ((uint64_t)3, count_of(fd));
	for (uint64_t left = 2; left != UINT64_MAX; left--) {
		v = 0;
		ASSERT_EQ(8, read(fd, &v, sizeof(v)));
		EXPECT_EQ((uint64_t)1, v);
		EXPECT_EQ(left, count_of(fd));
	}
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): a full counter (0xfffffffffffffffe) is not writable; an
 * EFD_SEMAPHORE read takes 1 from it, which makes room for exactly a write
 * of 1: POLLOUT comes back, a nonblocking write of 1 succeeds and the next
 * one gets EAGAIN (since 2.6.30).
 */
TEST(semaphore_read_of_full_counter_frees_one_unit)
{
	struct pollfd pfd = { .events = POLLOUT };
	uint64_t v = counter_max, one = 1;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE read decrements by 1; write EAGAIN past the maximum; POLLOUT if a write of 1 fits");
	CONFORM_REQUIRE_EVENTFD();
	pfd.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(8, write(pfd.fd, &v, sizeof(v)));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	v = 0;
	ASSERT_EQ(8, read(pfd.fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)1, v);
	pfd.revents = 0;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	EXPECT_EQ(8, write(pfd.fd, &one, sizeof(one)));
	EXPECT_EQ(-1, write(pfd.fd, &one, sizeof(one)));
	EXPECT_EQ(EAGAIN, errno);
	close(pfd.fd);
}

/* A thread that reads fd once, for the blocking test. */
struct efd_reader {
	int fd;
	_Atomic pid_t tid;
	ssize_t ret;
	uint64_t value;
};

static void *efd_reader_main(void *arg)
{
	struct efd_reader *r = arg;

	atomic_store(&r->tid, gettid());
	r->ret = read(r->fd, &r->value, sizeof(r->value));
	return NULL;
}

/*
 * eventfd(2): a read of a zero counter blocks "until the counter becomes
 * nonzero (at which time, the read(2) proceeds as described above)": with
 * EFD_SEMAPHORE a reader seen asleep returns 1 when a write of 3 comes,
 * and leaves 2: fdinfo shows 2, and two nonblocking reads of 1 empty it
 * (since 3.8 for the line; EFD_SEMAPHORE since 2.6.30).
 */
TEST(blocked_semaphore_read_takes_one_of_a_write)
{
	struct efd_reader r = { .fd = -1 };
	uint64_t three = 3, v;
	char val[64];
	pthread_t th;
	int seen;

	CONFORM_DECLARE("3.8", "EFD_SEMAPHORE",
			"eventfd(2) read blocks until nonzero, then EFD_SEMAPHORE returns 1 and decrements (2.6.30); proc_pid_fdinfo(5) eventfd-count (3.8)");
	CONFORM_REQUIRE_EVENTFD();
	r.fd = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE);
	ASSERT_LE(0, r.fd);
	FDINFO_OR_SKIP(r.fd, "eventfd-count:", val, NO_COUNT_LINE);
	ASSERT_EQ(0, pthread_create(&th, NULL, efd_reader_main, &r));
	while (!atomic_load(&r.tid))
		sched_yield();
	seen = conform_wait_blocked_in(atomic_load(&r.tid), SYS_read);
	ASSERT_EQ(8, write(r.fd, &three, sizeof(three)));
	ASSERT_EQ(0, pthread_join(th, NULL));
	if (seen < 0) {
		close(r.fd);
		SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the reader block");
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(8, r.ret);
	EXPECT_EQ((uint64_t)1, r.value);
	EXPECT_EQ((uint64_t)2, count_of(r.fd));
	ASSERT_EQ(0, fcntl(r.fd, F_SETFL, O_NONBLOCK));
	for (int i = 0; i < 2; i++) {
		v = 0;
		ASSERT_EQ(8, read(r.fd, &v, sizeof(v)));
		EXPECT_EQ((uint64_t)1, v);
	}
	EXPECT_EQ(-1, read(r.fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(r.fd);
}

/*
 * Commit b556db17b0e7 ("eventfd: present id to userspace via fdinfo",
 * 5.2): "eventfd-id:" is an id allocated per eventfd object, so that
 * "the same eventfd" can be told across fds: two eventfds show different
 * ids, a dup(2) of one (the same object) shows its id (since 5.2).
 */
TEST(fdinfo_id_names_the_eventfd_object)
{
	char id1[32], id2[32], iddup[32];
	int fd1, fd2, fdd;

	CONFORM_DECLARE("5.2", "eventfd",
			"fs/eventfd.c eventfd_show_fdinfo() eventfd-id; commit b556db17b0e7 (5.2) eventfd: present id to userspace via fdinfo");
	CONFORM_REQUIRE_EVENTFD();
	fd1 = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd1);
	FDINFO_OR_SKIP(fd1, "eventfd-id:", id1, NO_ID_LINE);
	fd2 = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd2);
	fdd = fcntl(fd1, F_DUPFD_CLOEXEC, 0);
	ASSERT_LE(0, fdd);
	ASSERT_EQ(FDINFO_FOUND, fdinfo_field(fd2, "eventfd-id:", id2, sizeof(id2)));
	ASSERT_EQ(FDINFO_FOUND, fdinfo_field(fdd, "eventfd-id:", iddup, sizeof(iddup)));
	EXPECT_STRNE(id1, id2);
	EXPECT_STREQ(id1, iddup);
	EXPECT_LE(0, atoi(id1));
	close(fdd);
	close(fd2);
	close(fd1);
}

/*
 * Commit 33d8b5d7824c ("eventfd: show the EFD_SEMAPHORE flag in fdinfo",
 * 6.5): "eventfd-semaphore: 1" for an eventfd made with EFD_SEMAPHORE,
 * the one place the mode can be read back (F_GETFL does not show it).
 */
TEST(fdinfo_semaphore_is_1_with_efd_semaphore)
{
	char val[16];
	int fd;

	CONFORM_DECLARE("6.5", "EFD_SEMAPHORE",
			"fs/eventfd.c eventfd_show_fdinfo() eventfd-semaphore; commit 33d8b5d7824c (6.5) eventfd: show the EFD_SEMAPHORE flag in fdinfo");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	FDINFO_OR_SKIP(fd, "eventfd-semaphore:", val, NO_SEM_LINE);
	EXPECT_STREQ(" 1", val);
	close(fd);
}

/*
 * Commit 33d8b5d7824c (6.5): an eventfd made without EFD_SEMAPHORE shows
 * "eventfd-semaphore: 0", also when its other flags (EFD_NONBLOCK) are set.
 */
TEST(fdinfo_semaphore_is_0_without_it)
{
	char val[16];
	int fd;

	CONFORM_DECLARE("6.5", "EFD_SEMAPHORE",
			"fs/eventfd.c eventfd_show_fdinfo() eventfd-semaphore; commit 33d8b5d7824c (6.5) eventfd: show the EFD_SEMAPHORE flag in fdinfo");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(5, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	FDINFO_OR_SKIP(fd, "eventfd-semaphore:", val, NO_SEM_LINE);
	EXPECT_STREQ(" 0", val);
	close(fd);
}

/*
 * proc_pid_fdinfo(5) "flags: the file access mode and file status flags"
 * in octal; an eventfd is opened read-write (fs/eventfd.c do_eventfd():
 * O_RDWR, as proc_pid_fdinfo(5)'s eventfd example "flags: 02" shows) and
 * EFD_NONBLOCK adds O_NONBLOCK: 04002 without close-on-exec (since 2.6.27).
 */
TEST(fdinfo_flags_show_rdwr_and_nonblock)
{
	char val[32];
	int fd;

	CONFORM_DECLARE("2.6.27", "EFD_NONBLOCK",
			"proc_pid_fdinfo(5) flags; fs/eventfd.c do_eventfd() O_RDWR; eventfd(2) EFD_NONBLOCK (2.6.27)");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	FDINFO_OR_SKIP(fd, "flags:", val, "no flags line");
	EXPECT_EQ((long)(O_RDWR | O_NONBLOCK), strtol(val, NULL, 8))
		TH_LOG("flags:%s", val);
	close(fd);
}

TEST_HARNESS_MAIN
