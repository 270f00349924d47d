// SPDX-License-Identifier: MIT
/*
 * uring/seccomp: io_uring under seccomp filters (seccomp(2)
 * SECCOMP_SET_MODE_FILTER, after prctl(2) PR_SET_NO_NEW_PRIVS). Each TEST
 * installs a classic BPF program written here that fails chosen system
 * calls with SECCOMP_RET_ERRNO(EPERM) and allows every other; filters are
 * inherited and cannot be removed, so each is installed in the TEST's own
 * process (the harness forks one per TEST) and dies with it.
 *
 * Covered: a filter on io_uring_setup(2) makes it fail with EPERM and
 * leaves other calls, and rings made before, working; a filter on
 * io_uring_enter(2) refuses the call, but the SQ thread of an SQPOLL ring
 * takes requests without it; a filter on openat(2) (and open, openat2)
 * or socket(2) does not reach IORING_OP_OPENAT or IORING_OP_SOCKET, inline
 * or run by io-wq: io_uring requests are not system calls, and seccomp
 * sees only system calls. No man page says this last point; the kernel's
 * own account is the 7.0 pull "io_uring-bpf-restrictions" ("seccomp and
 * io_uring don't play along nicely ... can't filter io_uring operations"),
 * which added IORING_REGISTER_BPF_FILTER for it (uring/bpf-filter). It is
 * asserted as observed.
 */
#include <stddef.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <liburing.h>

#include "conform_uring.h"

/* Idle time (ms) of SQ threads that must not fall asleep in a test. */
enum { AWAKE_IDLE_MS = 10000 };

/* The audit architecture of this build's system calls, checked first (as
 * seccomp(2) advises) so that another ABI's numbers are not misread. */
#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

/*
 * Install a filter that fails the n system calls nrs[] with EPERM and
 * allows everything else: 0, or -1 with errno. The program: load the
 * architecture, allow a foreign one; load the call number; for each
 * denied call a compare that jumps to the EPERM return; else allow.
 */
static int deny_calls(const int *nrs, unsigned int n)
{
	struct sock_filter prog[32];
	struct sock_fprog fprog;
	unsigned int len = 0;

	if (n > 16)
		return -1;
#ifdef NATIVE_ARCH
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, arch));
	prog[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		NATIVE_ARCH, 1, 0);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ALLOW);
#endif
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, nr));
	for (unsigned int i = 0; i < n; i++)
		/* On a match jump over the other compares and the ALLOW. */
		prog[len++] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, (__u32)nrs[i],
			(__u8)(n - i), 0);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ALLOW);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	fprog.len = (unsigned short)len;
	fprog.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
}

/* In a TEST: install the filter denying the listed calls, or skip. */
#define DENY(...)                                                              \
	do {                                                                   \
		const int nrs_[] = { __VA_ARGS__ };                            \
		if (deny_calls(nrs_, sizeof(nrs_) / sizeof(nrs_[0])) < 0)      \
			SKIP(return, CONFORM_ENV "cannot install a seccomp filter: %s", \
			     strerror(errno));                                 \
	} while (0)

/* The open calls a filter must deny to stop every open(2) of this libc. */
#ifdef __NR_open
#define OPEN_CALLS __NR_open, __NR_openat, __NR_openat2
#else
#define OPEN_CALLS __NR_openat, __NR_openat2
#endif

/*
 * IORING_OP_OPENAT of path, read-only, with the SQE flags given, on ring:
 * the CQE's res (an fd, left open), or INT_MIN.
 */
static int uring_open(struct io_uring *ring, const char *path,
		      unsigned char sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return INT_MIN;
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	sqe->flags |= sqe_flags;
	return uring_submit_res(ring);
}

/* A file of 64 pattern bytes at <tmpdir>/<name>, its path in path. */
static void make_file(struct __test_metadata *_metadata, char *path,
		      size_t len, const char *name)
{
	conform_tmppath(path, len, name);
	ASSERT_EQ(0, conform_pattern_file(path, 64));
}

/*
 * seccomp(2) SECCOMP_RET_ERRNO: "results in the ... value ... being
 * returned to user space as the errno value without executing the system
 * call": with io_uring_setup(2) filtered it fails with EPERM and makes no
 * ring, while other calls (getpid, pipe2) still work (since 5.1).
 */
TEST(filtered_setup_fails_with_eperm)
{
	struct io_uring_params p;
	int fds[2];

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"seccomp(2) SECCOMP_SET_MODE_FILTER, SECCOMP_RET_ERRNO");
	CONFORM_REQUIRE_URING();
	DENY(__NR_io_uring_setup);
	memset(&p, 0, sizeof(p));
	EXPECT_EQ(-1, conform_sys_io_uring_setup(4, &p));
	EXPECT_EQ(EPERM, errno);
	EXPECT_LT(0, getpid());
	ASSERT_EQ(0, conform_pipe(fds));
	close(fds[0]);
	close(fds[1]);
}

/*
 * seccomp(2) filters system calls; a ring made before a filter on
 * io_uring_setup(2) is an open file: io_uring_enter(2) on it still submits
 * a NOP, which completes with 0 (since 5.1).
 */
TEST(filtered_setup_leaves_existing_ring_working)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"seccomp(2) SECCOMP_SET_MODE_FILTER; io_uring_enter(2)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	DENY(__NR_io_uring_setup);
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * seccomp(2) SECCOMP_RET_ERRNO on io_uring_enter(2): the call fails with
 * EPERM without running, so a NOP published in the SQ ring of a ring
 * without SQPOLL is not submitted: no CQE comes (since 5.1).
 */
TEST(filtered_enter_fails_with_eperm_and_submits_nothing)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "io_uring_enter",
			"seccomp(2) SECCOMP_RET_ERRNO; io_uring_enter(2)");
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	DENY(__NR_io_uring_enter);
	uring_publish_nop(&ring, 0xe1);
	EXPECT_EQ(-1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "the application can submit and
 * reap I/Os without doing a single system call"; seccomp(2) sees only
 * system calls. With io_uring_enter(2) filtered (EPERM), a NOP published in
 * the SQ ring of an SQPOLL ring whose thread is awake is taken by the
 * thread and completes with 0; the CQE is waited for with poll(2) (since
 * 5.1). The thread is woken (io_uring_submit) before the filter and given
 * AWAKE_IDLE_MS of idle time; were it asleep, nothing could wake it:
 * IORING_SQ_NEED_WAKEUP is checked first and makes the test skip.
 */
TEST(sqpoll_ring_submits_despite_filtered_enter)
{
	struct io_uring_params p;
	struct io_uring_cqe cqe;
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL without a system "
			"call; seccomp(2)");
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	ASSERT_EQ(0, io_uring_queue_init_params(4, &ring, &p));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	DENY(__NR_io_uring_enter);
	ASSERT_EQ(-1, uring_sys_enter(ring.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP));
	ASSERT_EQ(EPERM, errno);
	if (io_uring_smp_load_acquire(ring.sq.kflags) & IORING_SQ_NEED_WAKEUP) {
		io_uring_queue_exit(&ring);
		SKIP(return, CONFORM_UNSEEN "the SQ thread fell asleep before the submission (IORING_SQ_NEED_WAKEUP), and io_uring_enter is filtered");
	}
	uring_publish_nop(&ring, 0x5ec);
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(0x5ecu, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * Observed (no man page says it; see the header): IORING_OP_OPENAT is not a
 * system call, so a filter that fails open(2), openat(2) and openat2(2)
 * with EPERM does not reach it: openat(2) of a file fails with EPERM, the
 * same open through the ring returns an fd that reads the file (since 5.6).
 */
TEST(filtered_openat_does_not_stop_ioring_op_openat)
{
	struct io_uring ring;
	char path[300], buf[64];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"observed; 7.0 pull io_uring-bpf-restrictions: seccomp "
			"cannot filter io_uring operations");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	make_file(_metadata, path, sizeof(path), "seccomp-openat");
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	DENY(OPEN_CALLS);
	EXPECT_EQ(-1, openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
	EXPECT_EQ(EPERM, errno);
	fd = uring_open(&ring, path, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(64, read(fd, buf, sizeof(buf)));
	EXPECT_TRUE(conform_check_pattern(buf, 64, 0));
	close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * Observed, as above: an io-wq worker (IOSQE_ASYNC), a thread copied from
 * the filtered task that never enters the kernel by a system call, opens
 * the file as well: the filter does not reach IORING_OP_OPENAT run
 * asynchronously (since 5.6).
 */
TEST(filtered_openat_does_not_stop_async_openat)
{
	struct io_uring ring;
	char path[300];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"observed; io_uring_enter(2) IOSQE_ASYNC; 7.0 pull "
			"io_uring-bpf-restrictions");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	make_file(_metadata, path, sizeof(path), "seccomp-async");
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	DENY(OPEN_CALLS);
	fd = uring_open(&ring, path, IOSQE_ASYNC);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * Observed, as above: with socket(2) filtered, socket(2) fails with EPERM
 * while IORING_OP_SOCKET (5.19) still creates the socket: its fd is an
 * AF_UNIX socket (SO_DOMAIN) (since 5.19).
 */
TEST(filtered_socket_does_not_stop_ioring_op_socket)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	socklen_t len = sizeof(int);
	int fd, domain = -1;

	CONFORM_DECLARE("5.19", "IORING_OP_SOCKET",
			"observed; io_uring_enter(2) IORING_OP_SOCKET; 7.0 pull "
			"io_uring-bpf-restrictions");
	CONFORM_REQUIRE_URING_OP(IORING_OP_SOCKET);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	DENY(__NR_socket);
	/* The system call itself: glibc's i386 socket() goes through
	 * socketcall(2), which the filter leaves alone. */
	EXPECT_EQ(-1, syscall(__NR_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	EXPECT_EQ(EPERM, errno);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_socket(sqe, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0);
	fd = uring_submit_res(&ring);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len));
	EXPECT_EQ(AF_UNIX, domain);
	close(fd);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
