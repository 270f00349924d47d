// SPDX-License-Identifier: MIT
/*
 * eventfd/limits: the edges of the eventfd(2) read/write interface beyond
 * eventfd/overflow, eventfd/counter and eventfd/invalid-io: the value
 * 0xffffffffffffffff refused even on a full counter, writes of 0 (also on a
 * full counter), the 32-bit initial value of eventfd2 and of the original
 * eventfd system call (2.6.22), writes longer than 8 bytes (used in part
 * before 6.9, refused since), reads of 0 bytes, vectored reads gathered
 * into two 4-byte halves and RWF_NOWAIT reads (both with ->read_iter, 5.8),
 * and a blocked write interrupted by a signal.
 * Sources: eventfd(2), signal(7), preadv2(2), kernel fs/eventfd.c and its
 * commits 12aceb89b0bc ("eventfd: convert to f_op->read_iter()", 5.8) and
 * 325e56e9236e ("eventfd: strictly check the count parameter of
 * eventfd_write to avoid inputting illegal strings", 6.9).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/uio.h>

#include "conform.h"
#include "ref/uapi.h"

/* eventfd(2): the largest value the counter holds. */
static const uint64_t counter_max = UINT64_MAX - 1;

/* A thread that writes value to fd once, for the blocking tests. */
struct efd_writer {
	int fd;
	uint64_t value;
	_Atomic pid_t tid;
	_Atomic int done;
	ssize_t ret;
	int err;
};

static void *efd_writer_main(void *arg)
{
	struct efd_writer *w = arg;

	atomic_store(&w->tid, gettid());
	w->ret = write(w->fd, &w->value, sizeof(w->value));
	w->err = errno;
	atomic_store(&w->done, 1);
	return NULL;
}

static void on_sigusr1(int signo)
{
	(void)signo;
}

/*
 * eventfd(2) ERRORS: a write fails with EINVAL "if an attempt is made to
 * write the value 0xffffffffffffffff", whatever the counter: on a
 * nonblocking fd whose counter is full (where any other value that does
 * not fit gets EAGAIN) the value check comes first, and the counter keeps
 * its maximum (since 2.6.22).
 */
TEST(write_of_all_ones_on_full_counter_gets_einval)
{
	uint64_t all = UINT64_MAX, v = counter_max;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: EINVAL for the value 0xffffffffffffffff");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	EXPECT_EQ(-1, write(fd, &all, sizeof(all)));
	EXPECT_EQ(EINVAL, errno);
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ(counter_max, v);
	close(fd);
}

/*
 * eventfd(2): a write "adds the 8-byte integer value supplied in its
 * buffer to the counter"; 0 is such a value: the write returns 8 and adds
 * nothing, so a zero counter stays unreadable (a nonblocking read gets
 * EAGAIN) (since 2.6.22).
 */
TEST(write_of_zero_returns_8_and_adds_nothing)
{
	uint64_t zero = 0, v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: adds the 8-byte value to the counter");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(8, write(fd, &zero, sizeof(zero)));
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): a write blocks (or gets EAGAIN) only "if the addition would
 * cause the counter's value to exceed the maximum"; adding 0 to a full
 * counter does not, so a nonblocking write of 0 there returns 8 and the
 * counter stays at its maximum (since 2.6.22).
 */
TEST(write_of_zero_on_full_counter_does_not_block)
{
	uint64_t zero = 0, v = counter_max;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: blocks or EAGAIN only if the maximum would be exceeded");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	EXPECT_EQ(8, write(fd, &zero, sizeof(zero)));
	v = 0;
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ(counter_max, v);
	close(fd);
}

/*
 * eventfd(2) SYNOPSIS: "int eventfd(unsigned int initval, int flags)": the
 * largest initial value is UINT_MAX, read back as 0xffffffff in the 64-bit
 * counter (since 2.6.22).
 */
TEST(initval_uint_max_is_read_back)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) SYNOPSIS: unsigned int initval; the counter is initialized with initval");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(UINT_MAX, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)UINT_MAX, v);
	close(fd);
}

/*
 * fs/eventfd.c SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags):
 * the system call itself takes a 32-bit count, so of a 64-bit register
 * holding 0x100000007 only 7 reaches the counter; no error (since 2.6.27).
 */
TEST(eventfd2_initval_keeps_only_low_32_bits)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.27", "eventfd2",
			"eventfd(2) unsigned int initval; fs/eventfd.c SYSCALL_DEFINE2(eventfd2, unsigned int, count, ...)");
	CONFORM_REQUIRE_EVENTFD();
	/* A 32-bit program passes each argument in a 32-bit register (the
	 * 64-bit value would spill into the flags argument). */
	if (sizeof(long) < 8)
		SKIP(return, CONFORM_ENV "a 32-bit program: a system call argument is 32 bits, so it cannot carry bits above them");
	fd = (int)syscall(SYS_eventfd2, 0x100000007ULL, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)7, v);
	close(fd);
}

/*
 * eventfd(2) NOTES: of the two system calls, "the former [eventfd()] does
 * not implement a flags argument": the original call (2.6.22) makes a
 * blocking eventfd without close-on-exec, its counter set from the 32-bit
 * initval (0x1ffffffff keeps 0xffffffff).
 */
TEST(original_eventfd_syscall_has_no_flags)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) C library/kernel differences: the original eventfd() has no flags; SYSCALL_DEFINE1(eventfd, unsigned int, count)");
	CONFORM_REQUIRE_EVENTFD();
#ifdef SYS_eventfd
	fd = (int)syscall(SYS_eventfd, 0x1ffffffffULL);
#else
	fd = -1;
	SKIP(return, CONFORM_ENV "eventfd: this architecture has no such system call, only eventfd2 (the asm-generic table of arm64 and riscv64)");
#endif
	if (fd < 0 && errno == ENOSYS)
		SKIP(return, CONFORM_ENV "SYS_eventfd: ENOSYS (the original call is not built or is filtered)");
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)0xffffffff, v);
	close(fd);
}

/*
 * eventfd(2): "A write(2) call adds the 8-byte integer value supplied in
 * its buffer". How a longer buffer is taken changed with commit
 * 325e56e9236e (6.9): until then only its first 8 bytes were used and the
 * write returned 8; since, the length must be exactly 8, else EINVAL and
 * nothing is added. No flag tells the two apart; the probe is RWF_NOAPPEND
 * (pwritev2(2), same vfs-6.9.misc pull): pwritev2 refuses it with
 * EOPNOTSUPP before 6.9. Each variant is asserted for a 16-byte write of
 * {5, 7} to a counter of 1, and logged.
 */
TEST(write_longer_than_8_bytes_gets_einval_or_uses_first_8)
{
	uint64_t buf[2] = { 5, 7 }, v = 0;
	struct iovec iov;
	char byte = 'x';
	int fd, tf;
	ssize_t ret;
	bool strict;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write: the 8-byte value in the buffer; commit 325e56e9236e (6.9) eventfd: strictly check the count parameter of eventfd_write (variant probed by RWF_NOAPPEND, same pull)");
	CONFORM_REQUIRE_EVENTFD();
	tf = conform_temp_file(0, 0);
	ASSERT_LE(0, tf);
	iov.iov_base = &byte;
	iov.iov_len = 1;
	ret = pwritev2(tf, &iov, 1, 0, REF_RWF_NOAPPEND);
	ASSERT_TRUE(ret == 1 || (ret == -1 && errno == EOPNOTSUPP))
		TH_LOG("pwritev2(RWF_NOAPPEND): %zd (%s)", ret, strerror(errno));
	close(tf);
	strict = ret == 1;
	TH_LOG("%s", strict ?
	       "RWF_NOAPPEND taken: 6.9 or later, a write must be exactly 8 bytes" :
	       "RWF_NOAPPEND refused: before 6.9, a longer write uses its first 8 bytes");
	fd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ret = write(fd, buf, sizeof(buf));
	if (strict) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(EINVAL, errno);
	} else {
		EXPECT_EQ(8, ret);
	}
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ(strict ? (uint64_t)1 : (uint64_t)6, v);
	close(fd);
}

/*
 * eventfd(2): "A read(2) fails with the error EINVAL if the size of the
 * supplied buffer is less than 8 bytes"; a read of 0 bytes is no
 * exception (it does not return 0 as on a regular file), and the counter
 * keeps its value (since 2.6.22).
 */
TEST(zero_length_read_gets_einval)
{
	uint64_t v = 0;
	int fd;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) read: EINVAL if the buffer is less than 8 bytes");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(12, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, read(fd, &v, 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)12, v);
	close(fd);
}

/*
 * Commit 12aceb89b0bc ("eventfd: convert to f_op->read_iter()", 5.8): the
 * read checks the total length of the request, and the file is opened
 * FMODE_NOWAIT. preadv2(2) RWF_NOWAIT: "If no data is available ... it
 * returns -1 with errno EAGAIN"; a file without FMODE_NOWAIT refuses the
 * flag with EOPNOTSUPP, as before 5.8. On a blocking eventfd with counter
 * 0 the read does not block: EAGAIN (since 5.8).
 */
TEST(preadv2_nowait_on_zero_counter_gets_eagain)
{
	uint64_t v = 0;
	struct iovec iov = { &v, sizeof(v) };
	ssize_t ret;
	int fd;

	CONFORM_DECLARE("5.8", "RWF_NOWAIT",
			"preadv2(2) RWF_NOWAIT: EAGAIN if no data is available; commit 12aceb89b0bc (5.8) eventfd: convert to f_op->read_iter() (FMODE_NOWAIT)");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ret = preadv2(fd, &iov, 1, -1, RWF_NOWAIT);
	if (ret < 0 && errno == EOPNOTSUPP) {
		close(fd);
		SKIP(return, "preadv2(RWF_NOWAIT) on an eventfd: EOPNOTSUPP (no FMODE_NOWAIT: eventfd without read_iter)");
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * readv(2) on an eventfd whose 8 bytes are split over two 4-byte iovecs.
 * Since commit 12aceb89b0bc (5.8) the read sees the whole request (8
 * bytes, not less than 8) and copies the counter across both halves;
 * before, each iovec was a read(2) of its own, and the first one's 4 bytes
 * failed with EINVAL. The variant is probed by RWF_NOWAIT, refused with
 * EOPNOTSUPP before the same commit; each is asserted and logged.
 */
TEST(readv_gathers_8_bytes_across_two_iovecs)
{
	uint32_t half[2] = { 0xaaaaaaaa, 0xaaaaaaaa };
	struct iovec iov[2] = { { &half[0], 4 }, { &half[1], 4 } };
	uint64_t v = 0, whole;
	struct iovec probe = { &v, sizeof(v) };
	bool iter;
	int fd;

	CONFORM_DECLARE("5.8", "eventfd",
			"eventfd(2) read: 8 bytes; commit 12aceb89b0bc (5.8) eventfd: convert to f_op->read_iter() (variant probed by RWF_NOWAIT, same commit)");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-1, preadv2(fd, &probe, 1, -1, RWF_NOWAIT));
	ASSERT_TRUE(errno == EAGAIN || errno == EOPNOTSUPP)
		TH_LOG("preadv2(RWF_NOWAIT): %s", strerror(errno));
	iter = errno == EAGAIN;
	TH_LOG("%s", iter ? "RWF_NOWAIT taken: read_iter (5.8), the iovecs are one read" :
			    "RWF_NOWAIT refused: before 5.8, each iovec is a read of its own");
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	whole = 0x0123456789abcdefULL;
	ASSERT_EQ(8, write(fd, &whole, sizeof(whole)));
	if (iter) {
		EXPECT_EQ(8, readv(fd, iov, 2));
		memcpy(&v, half, sizeof(v));
		EXPECT_EQ(whole, v);
		EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
		EXPECT_EQ(EAGAIN, errno);
	} else {
		EXPECT_EQ(-1, readv(fd, iov, 2));
		EXPECT_EQ(EINVAL, errno);
		ASSERT_EQ(8, read(fd, &v, sizeof(v)));
		EXPECT_EQ(whole, v);
	}
	close(fd);
}

/*
 * signal(7) "Interruption of system calls and library functions by signal
 * handlers": a read(2)/write(2) blocked on a "slow" device fails with
 * EINTR when a handler installed without SA_RESTART runs. A write of 1
 * seen asleep on a full counter (eventfd(2): it "blocks until a read(2) is
 * performed") is interrupted by SIGUSR1 sent to its thread: -1/EINTR, and
 * nothing was added: the counter is still the maximum (since 2.6.22).
 */
TEST(blocked_write_interrupted_by_signal_gets_eintr)
{
	struct efd_writer w = { .fd = -1, .value = 1 };
	uint64_t v = counter_max;
	struct sigaction sa;
	pthread_t th;
	int seen;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) write blocks on a full counter; signal(7): EINTR without SA_RESTART");
	CONFORM_REQUIRE_EVENTFD();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	w.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, w.fd);
	ASSERT_EQ(8, write(w.fd, &v, sizeof(v)));
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
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(-1, w.ret);
	EXPECT_EQ(EINTR, w.err);
	ASSERT_EQ(0, fcntl(w.fd, F_SETFL, O_NONBLOCK));
	v = 0;
	ASSERT_EQ(8, read(w.fd, &v, sizeof(v)));
	EXPECT_EQ(counter_max, v);
	EXPECT_EQ(-1, read(w.fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(w.fd);
}

TEST_HARNESS_MAIN
