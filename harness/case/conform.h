/* SPDX-License-Identifier: MIT */
/*
 * conform.h - what every aioconf case program uses on top of the kernel's
 * kselftest_harness.h (from linux-source-6.1, extracted into build/ksft).
 *
 * A case program is one file cases/<area>/<topic>.c:
 *
 *	#include "conform.h"
 *
 *	// io_uring_enter(2): "IORING_OP_NOP ... does nothing" (since 5.1)
 *	TEST(nop_completes_with_zero) {
 *		CONFORM_DECLARE("5.1", "IORING_OP_NOP",
 *				"io_uring_enter(2) IORING_OP_NOP");
 *		CONFORM_REQUIRE_URING();
 *		...
 *	}
 *
 *	TEST_HARNESS_MAIN
 *
 * Each TEST runs in its own child process (forked by the harness); ASSERT_*
 * ends that child only. Requirements are probed at run time and turn into a
 * SKIP with the reason printed: never compare kernel version numbers.
 *
 * kselftest 6.1 quirk: SKIP() inside FIXTURE_SETUP does not stop the test
 * body from running, so put CONFORM_REQUIRE_* at the top of the TEST body.
 */
#ifndef AIOCONF_CONFORM_H
#define AIOCONF_CONFORM_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/io_uring.h>

#include "kselftest_harness.h"

/* ------------------------------------------------------------------ */
/* What the program is about                                           */
/* ------------------------------------------------------------------ */

/*
 * CONFORM_DECLARE(since, feature, source) - the first statement of every
 * TEST body (after its variable declarations), three string literals:
 *   since    the first mainline kernel on which the behaviour this TEST
 *            asserts holds ("5.1"), from the uapi history (man pages are
 *            wrong for several: ../shared/DESIGN.md section 8);
 *   feature  what the TEST needs, as the kernel or libc names it: a uapi
 *            name ("IORING_OP_NOP", "IORING_SETUP_SQPOLL"), a syscall
 *            ("io_setup") or a function ("aio_read");
 *   source   where the behaviour is documented: a man page and the entry
 *            ("io_uring_enter(2) IORING_OP_NOP"), a POSIX clause, a commit.
 * It prints the TAP diagnostic "# conform-test: <since> | <feature> |
 * <source>" at the start of the test, so the runner gives the test point
 * these three whether it then passes, fails or skips. No '|' in a field.
 * tests/declarations.t fails when a TEST has none.
 */
#define CONFORM_DECLARE(since, feature, source)                                \
	do {                                                                    \
		/* A test child leaves with _exit(): flush it now. */           \
		printf("# conform-test: %s | %s | %s\n", since, feature, source); \
		fflush(stdout);                                                 \
	} while (0)

/* Skip reasons that explain a skip by something outside the kernel's version
 * start with CONFORM_ENV or CONFORM_UNSEEN (see skip_reasons.h). */
#include "skip_reasons.h"

/* ------------------------------------------------------------------ */
/* Private temporary directory                                         */
/* ------------------------------------------------------------------ */

/*
 * The main process makes one directory under $TMPDIR (default /tmp) before
 * any test runs and removes it, with everything in it, when it exits. A test
 * child that dies on an ASSERT therefore leaks nothing it put there.
 */
static pid_t conform_main_pid;
static char conform_tmpdir_path[256];

/* The reason a probe or fixture gives for being unusable, returned to the
 * caller as a const char * (for CONFORM_REQUIRE()); the next call reuses it. */
static char conform_why[256];

static void __attribute__((constructor)) conform_init(void)
{
	const char *base = getenv("TMPDIR");

	conform_main_pid = getpid();
	if (!base || !*base)
		base = "/tmp";
	snprintf(conform_tmpdir_path, sizeof(conform_tmpdir_path),
		 "%s/aioconf.XXXXXX", base);
	if (!mkdtemp(conform_tmpdir_path))
		conform_tmpdir_path[0] = '\0';
}

static int conform_rm_entry(const char *path, const struct stat *st,
			    int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	remove(path);
	return 0;
}

static void __attribute__((destructor)) conform_fini(void)
{
	if (getpid() != conform_main_pid || !conform_tmpdir_path[0])
		return;
	nftw(conform_tmpdir_path, conform_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The program's private directory; "" if it could not be made. */
static inline const char *conform_tmpdir(void)
{
	return conform_tmpdir_path;
}

/* Write "<tmpdir>/<name>" into buf. Returns buf. */
static inline char *conform_tmppath(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", conform_tmpdir_path, name);
	return buf;
}

/* The byte at offset off of the test pattern: lets a reader check offsets. */
static inline unsigned char conform_pattern_byte(unsigned long long off)
{
	return (unsigned char)((off * 31 + (off >> 8) + 7) & 0xff);
}

static inline void conform_fill_pattern(void *buf, size_t len,
					unsigned long long off)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = conform_pattern_byte(off + i);
}

/* True when buf holds the pattern as it stands at file offset off. */
static inline bool conform_check_pattern(const void *buf, size_t len,
					 unsigned long long off)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		if (p[i] != conform_pattern_byte(off + i))
			return false;
	return true;
}

/* Write size bytes of the pattern to fd from offset 0. 0, or -1 with errno. */
static inline int conform_write_pattern(int fd, size_t size)
{
	char chunk[4096];

	for (size_t off = 0; off < size; off += sizeof(chunk)) {
		size_t n = size - off < sizeof(chunk) ? size - off : sizeof(chunk);

		conform_fill_pattern(chunk, n, off);
		if (pwrite(fd, chunk, n, off) != (ssize_t)n)
			return -1;
	}
	return 0;
}

/*
 * Open the file behind fd again, with other flags (O_RDONLY, O_WRONLY,
 * O_DIRECT...; O_CLOEXEC is added), through /proc/self/fd: a new open file
 * description of the same file, which works for unlinked files too. The new
 * fd, or -1 with errno (no /proc, for one).
 */
static inline int conform_reopen(int fd, int flags)
{
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	return open(self, flags | O_CLOEXEC);
}

/*
 * An anonymous regular file of size bytes of the test pattern, in the private
 * directory, already unlinked: closing the fd (or dying) frees it.
 * flags are added to O_RDWR | O_CLOEXEC (e.g. O_DIRECT). Returns fd or -1.
 */
static inline int conform_temp_file(size_t size, int flags)
{
	char path[300];
	int fd;

	conform_tmppath(path, sizeof(path), "file.XXXXXX");
	fd = mkostemp(path, O_CLOEXEC | (flags & ~O_DIRECT));
	if (fd < 0)
		return -1;
	unlink(path);
	if (conform_write_pattern(fd, size) < 0) {
		close(fd);
		return -1;
	}
	if (flags & O_DIRECT) {
		/* The file must exist before it can be opened O_DIRECT. */
		int dfd;

		fsync(fd);
		dfd = conform_reopen(fd, O_RDWR | flags);
		close(fd);
		return dfd;
	}
	return fd;
}

/*
 * Create path (it must not exist yet) holding size bytes of the pattern,
 * for calls that take a path rather than an fd (conform_temp_file() gives an
 * unlinked file). Returns 0, or -1 with errno.
 */
static inline int conform_pattern_file(const char *path, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (conform_write_pattern(fd, size) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * An fd number that is not open and cannot become open in this process: it
 * lies above RLIMIT_NOFILE, so calls given it fail with EBADF. (A number
 * freed by close() is no good: the next pipe or ring takes it again.)
 */
static inline int conform_bad_fd(void)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_cur >= INT_MAX - 1000)
		return INT_MAX - 1;
	return (int)lim.rlim_cur + 1000;
}

/* ------------------------------------------------------------------ */
/* Forcing blocking, and seeing it: pipes, sockets, threads            */
/* ------------------------------------------------------------------ */

/* Both return 0 or -1 with errno, like the calls they wrap. Ends are CLOEXEC. */
static inline int conform_pipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC);
}

static inline int conform_socketpair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
}

/* Is the loopback interface up? sock: any socket, for the ioctl. */
static inline bool conform_loopback_up(int sock)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	return ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
}

/*
 * A TCP listener on 127.0.0.1 with a port chosen by the kernel (backlog 4):
 * the fd, with its address in *sin for connect(2); or -1 with the reason in
 * conform_why. In a bare guest whose loopback interface is not up the bind
 * or listen fails: callers then SKIP with that reason rather than fail.
 */
static inline int conform_tcp_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0) {
		snprintf(conform_why, sizeof(conform_why), CONFORM_ENV "socket(AF_INET): %s",
			 strerror(errno));
		return -1;
	}
	/* Binding to 127.0.0.1 works even with lo down (a fresh network
	 * namespace); connecting then fails with ENETUNREACH. So ask lo. */
	if (!conform_loopback_up(lfd)) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "loopback interface lo is not up");
		close(lfd);
		return -1;
	}
	if (bind(lfd, (struct sockaddr *)sin, sizeof(*sin)) < 0 ||
	    listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)sin, &len) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot listen on 127.0.0.1 (%s): loopback not up",
			 strerror(errno));
		close(lfd);
		return -1;
	}
	return lfd;
}

/*
 * A connected TCP pair over 127.0.0.1 (conform_tcp_listener()), for what
 * AF_UNIX sockets lack (urgent data, resets, zero-copy sends): *c is the
 * connecting end, *s the accepted one, both blocking and CLOEXEC; the
 * listener is closed again. NULL, or why not with both -1: meant for
 * CONFORM_REQUIRE(), so that a guest without loopback skips.
 */
static inline const char *conform_tcp_pair(int *c, int *s)
{
	struct sockaddr_in sin;
	int lfd = conform_tcp_listener(&sin);

	*c = *s = -1;
	if (lfd < 0)
		return conform_why;
	*c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    (*s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot connect over 127.0.0.1 (%s): loopback not up",
			 strerror(errno));
		if (*c >= 0)
			close(*c);
		*c = -1;
		close(lfd);
		return conform_why;
	}
	close(lfd);
	return NULL;
}

/*
 * Write into fd (a pipe's write end or a socket) until the kernel would
 * block, so that the next write really blocks. Returns the bytes written,
 * or -1. The fd's O_NONBLOCK flag is restored.
 */
static inline long conform_fill_until_full(int fd)
{
	char chunk[4096] = { 0 };
	int fl = fcntl(fd, F_GETFL);
	long total = 0;

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	for (;;) {
		ssize_t n = write(fd, chunk, sizeof(chunk));

		if (n > 0) {
			total += n;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			break;
		total = -1;
		break;
	}
	fcntl(fd, F_SETFL, fl);
	return total;
}

/*
 * POLLIN on fd within ms milliseconds (0: right now). ms is a bound on a
 * wait expected to end at once, or the time given to an fd expected to stay
 * unreadable; never a delay to win a race.
 */
static inline bool conform_fd_readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms) == 1 && (pfd.revents & POLLIN);
}

/*
 * Wait until thread tid (of this process, from gettid()) is asleep inside
 * system call nr, e.g. SYS_read, so that the caller can then do what should
 * wake it, knowing that it acts on a blocked call.
 *
 * How it proves the thread blocked, without sleeping to win a race: the
 * first field of /proc/self/task/<tid>/syscall is "running" while the thread
 * is runnable (also when merely preempted) and the number of the call it is
 * in only once it has put itself to sleep there; a blocking call puts itself
 * on the wait queue before it sleeps, so anything the caller does after
 * seeing the number wakes it. The file is polled with sched_yield() in
 * between; the 5 s limit only guards against a hang.
 *
 * Returns 1 when seen; 0 when not seen within 5 s, or when the thread has
 * exited (it returned without blocking); -1 when the file cannot be read:
 * no /proc mounted (e.g. a bare initramfs), a /proc of another pid
 * namespace, or a kernel without that file. On -1 the caller releases its
 * thread and SKIPs with a reason such as "/proc/self/task/<tid>/syscall
 * unreadable: cannot see the reader block"; that is not a failure.
 */
static inline int conform_wait_blocked_in(pid_t tid, long nr)
{
	struct timespec start, now;
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0) {
			int err = errno;
			char self[64];

			/* Our own entry is there: this /proc is ours, so
			 * tid's has gone because the thread exited. */
			snprintf(self, sizeof(self), "/proc/self/task/%d",
				 (int)gettid());
			return err == ENOENT && access(self, F_OK) == 0 ? 0 : -1;
		}
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return -1;
		buf[n] = '\0';
		if (buf[0] != 'r' && strtol(buf, NULL, 10) == nr)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/* Threads conform_thread_ids lists at most. */
enum { CONFORM_MAX_THREADS = 64 };

/* One listing of /proc/self/task into tids: how many, or -1 (unreadable,
 * or more than CONFORM_MAX_THREADS). */
static inline int conform_thread_ids_once(pid_t tids[CONFORM_MAX_THREADS])
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == CONFORM_MAX_THREADS) {
			n = -1;
			break;
		}
		tids[n++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	return n;
}

/*
 * The tids of this process's threads, from /proc/self/task: how many, or
 * -1 when it cannot be read (or has more than CONFORM_MAX_THREADS).
 * Rule: a listing of /proc/self/task stops at a thread that exits while it
 * is read (fs/proc/base.c next_tid() ends the walk at a task no longer
 * alive) and leaves out the threads after it, e.g. a ring's SQ thread
 * behind a probe ring's exiting one. An exited thread is unlinked from the
 * list, so two listings in a row that agree are whole: this lists until
 * they do (at most 100 times, 1 ms apart; then the last listing).
 */
static inline int conform_thread_ids(pid_t tids[CONFORM_MAX_THREADS])
{
	const struct timespec ms = { .tv_nsec = 1000 * 1000 };
	pid_t again[CONFORM_MAX_THREADS];
	int n = conform_thread_ids_once(tids);

	for (int i = 0; i < 100; i++) {
		int m = conform_thread_ids_once(again);

		if (m == n && (n <= 0 || !memcmp(again, tids, sizeof(pid_t) * (size_t)n)))
			break;
		n = m;
		if (m > 0)
			memcpy(tids, again, sizeof(pid_t) * (size_t)m);
		nanosleep(&ms, NULL);
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Signals made pending before a call                                   */
/* ------------------------------------------------------------------ */

/* Runs of conform_on_signal() per signal since conform_pend_signal(). */
static volatile sig_atomic_t conform_signal_counts[NSIG];

static inline void conform_on_signal(int signo)
{
	if (signo > 0 && signo < NSIG)
		conform_signal_counts[signo]++;
}

/* How often the handler of conform_pend_signal() ran for signo. */
static inline int conform_signal_count(int signo)
{
	return signo > 0 && signo < NSIG ? conform_signal_counts[signo] : -1;
}

/*
 * Block signo, install a handler that counts its deliveries (without
 * SA_RESTART, so an interrupted call fails with EINTR) and raise signo, so
 * that it is pending and not delivered: conform_signal_count(signo) is 0.
 * A call that unblocks it through a sigmask argument (epoll_pwait,
 * io_pgetevents, ppoll...) must then run the handler and fail with EINTR at
 * once: there is no race to win. Each step is ASSERTed. Only for a test
 * child: the mask and handler stay as set for the rest of the test.
 */
static inline void conform_pend_signal(struct __test_metadata *_metadata,
				       int signo)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = conform_on_signal;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(signo, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, signo);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	conform_signal_counts[signo] = 0;
	ASSERT_EQ(0, raise(signo));
	ASSERT_EQ(0, conform_signal_count(signo));
}

/* ------------------------------------------------------------------ */
/* Probes: each returns NULL when usable, else the reason it is not     */
/* ------------------------------------------------------------------ */

static inline int conform_sys_io_uring_setup(unsigned int entries,
					     struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

static inline int conform_sys_io_uring_register(int fd, unsigned int op,
						void *arg, unsigned int nr)
{
	return (int)syscall(__NR_io_uring_register, fd, op, arg, nr);
}

static inline long conform_read_sysctl(const char *path)
{
	char buf[64] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* Why an io_uring_setup(flags) failed, in words (errno is the cause). */
static inline const char *conform_uring_setup_why(const char *what, int err)
{
	long disabled;

	switch (err) {
	case ENOSYS:
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "%s: ENOSYS (kernel without CONFIG_IO_URING, or a seccomp filter)",
			 what);
		break;
	case EPERM:
		disabled = conform_read_sysctl("/proc/sys/kernel/io_uring_disabled");
		if (disabled > 0)
			snprintf(conform_why, sizeof(conform_why),
				 CONFORM_ENV "%s: EPERM (io_uring disabled: kernel.io_uring_disabled=%ld)",
				 what, disabled);
		else
			snprintf(conform_why, sizeof(conform_why),
				 CONFORM_ENV "%s: EPERM (not permitted here: privilege or a seccomp filter)",
				 what);
		break;
	case EINVAL:
		snprintf(conform_why, sizeof(conform_why),
			 "%s: EINVAL (not supported by this kernel)", what);
		break;
	default:
		snprintf(conform_why, sizeof(conform_why), "%s: %s", what,
			 strerror(err));
	}
	return conform_why;
}

/*
 * io_uring_setup(entries, p): the ring fd, or -1 with *why saying why not
 * (name is the call or flag the reason should mention).
 */
static inline int conform_uring_open(unsigned int entries,
				     struct io_uring_params *p,
				     const char *name, const char **why)
{
	int fd = conform_sys_io_uring_setup(entries, p);

	*why = fd < 0 ? conform_uring_setup_why(name, errno) : NULL;
	return fd;
}

/* NULL if a plain io_uring_setup works; else why not. */
static inline const char *conform_uring_unavailable(void)
{
	struct io_uring_params p;
	const char *why;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = conform_uring_open(1, &p, "io_uring_setup", &why);
	if (fd >= 0)
		close(fd);
	return why;
}

/*
 * NULL if io_uring_setup accepts these setup flags; else why not.
 * IORING_SETUP_CQSIZE gets cq_entries = 8; SQPOLL gets a 10 ms idle.
 */
static inline const char *conform_uring_setup_missing(unsigned int flags,
						      const char *name)
{
	struct io_uring_params p;
	const char *why;
	int fd;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	if (flags & IORING_SETUP_CQSIZE)
		p.cq_entries = 8;
	if (flags & IORING_SETUP_SQPOLL)
		p.sq_thread_idle = 10;
	fd = conform_uring_open(4, &p, name, &why);
	if (fd >= 0)
		close(fd);
	return why;
}

/* NULL if io_uring_setup reports this IORING_FEAT_* bit; else why not. */
static inline const char *conform_uring_feature_missing(unsigned int feat,
							const char *name)
{
	struct io_uring_params p;
	const char *why;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = conform_uring_open(1, &p, "io_uring_setup", &why);
	if (fd < 0)
		return why;
	close(fd);
	if (p.features & feat)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "%s not in io_uring_params.features (0x%x)", name, p.features);
	return conform_why;
}

/* NULL if the opcode probe (IORING_REGISTER_PROBE) lists op as supported. */
static inline const char *conform_uring_op_missing(unsigned int op,
						   const char *name)
{
	enum { NR_OPS = 256 };
	size_t len = sizeof(struct io_uring_probe) +
		     NR_OPS * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *probe;
	struct io_uring_params p;
	const char *why;
	int fd, ret, err;

	memset(&p, 0, sizeof(p));
	fd = conform_uring_open(1, &p, "io_uring_setup", &why);
	if (fd < 0)
		return why;
	probe = calloc(1, len);
	if (!probe) {
		close(fd);
		return "out of memory for the opcode probe";
	}
	ret = conform_sys_io_uring_register(fd, IORING_REGISTER_PROBE, probe,
					    NR_OPS);
	err = errno;
	close(fd);
	if (ret < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 "IORING_REGISTER_PROBE failed (%s): cannot tell whether %s exists",
			 strerror(err), name);
	} else if (op > probe->last_op ||
		   !(probe->ops[op].flags & IO_URING_OP_SUPPORTED)) {
		snprintf(conform_why, sizeof(conform_why),
			 "%s not supported by this kernel (opcode probe, last_op %u)",
			 name, probe->last_op);
	} else {
		free(probe);
		return NULL;
	}
	free(probe);
	return conform_why;
}

/* NULL if Linux native AIO (io_setup) works; else why not. */
static inline const char *conform_aio_unavailable(void)
{
	/* aio_context_t, declared without <linux/aio_abi.h>: that header and
	 * <libaio.h> both define struct iocb, so cases choose one of them. */
	unsigned long ctx = 0;

	if (syscall(__NR_io_setup, 1, &ctx) == 0) {
		syscall(__NR_io_destroy, ctx);
		return NULL;
	}
	switch (errno) {
	case ENOSYS:
		return CONFORM_ENV "io_setup: ENOSYS (kernel without CONFIG_AIO, or a seccomp filter)";
	case EPERM:
		return CONFORM_ENV "io_setup: EPERM (refused here, e.g. by a seccomp filter)";
	case EAGAIN:
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "io_setup: EAGAIN (fs.aio-nr reached fs.aio-max-nr=%ld)",
			 conform_read_sysctl("/proc/sys/fs/aio-max-nr"));
		return conform_why;
	default:
		snprintf(conform_why, sizeof(conform_why), "io_setup: %s",
			 strerror(errno));
		return conform_why;
	}
}

/*
 * NULL if eventfd2 works; else why not. Only a missing (ENOSYS: no
 * CONFIG_EVENTFD, or a seccomp filter) or refused (EPERM) call makes eventfd
 * tests skip; any other error is left to the test's own assertions. The raw
 * call, with O_CLOEXEC (the value of EFD_CLOEXEC), is what glibc's eventfd()
 * makes, and keeps <sys/eventfd.h> out of this header.
 */
static inline const char *conform_eventfd_unavailable(void)
{
	int fd = (int)syscall(__NR_eventfd2, 0, O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	if (errno == ENOSYS)
		return CONFORM_ENV "eventfd2: ENOSYS (kernel without CONFIG_EVENTFD, or a seccomp filter)";
	if (errno == EPERM)
		return CONFORM_ENV "eventfd2: EPERM (refused here, e.g. by a seccomp filter)";
	return NULL;
}

/*
 * NULL when running as the real root: euid 0 in the initial user
 * namespace. uid 0 inside another user namespace (unshare -r, rootless
 * containers) lacks what root tests need (CAP_SYS_ADMIN over the system,
 * switching to ids outside its map), so it counts as not root. The initial
 * namespace maps every id to itself: /proc/self/uid_map "0 0 4294967295".
 * Without /proc the namespace cannot be told: euid 0 is taken as root.
 */
static inline const char *conform_not_root(void)
{
	unsigned long inside, outside, count;
	FILE *f;
	int n;

	if (geteuid() != 0)
		return CONFORM_ENV "needs root (euid 0)";
	f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return NULL;
	n = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	fclose(f);
	if (n == 3 && inside == 0 && outside == 0 && count == 4294967295UL)
		return NULL;
	return CONFORM_ENV "needs root of the initial user namespace (euid 0 here is root of a user namespace only)";
}

/*
 * The aioconf guests' NVMe namespace (kernels/boot.sh: an empty 64 MiB QEMU
 * NVMe device with one polled queue; the host has none). The programs that
 * write it keep to regions of their own, so that none depends on what
 * another left: uring/iopoll its first MiB, aio/hipri MiB 8
 * (aio/rwf-new-flags from 8 MiB + 512 KiB), aio/destroy-inflight and
 * aio/blocking MiB 10 and 11, uring/nvme-passthru its last MiB.
 */
#define CONFORM_NVME_NS "/dev/nvme0n1"

/* NULL when CONFORM_NVME_NS is there (a block device), else why not. */
static inline const char *conform_nvme_ns_missing(void)
{
	struct stat st;

	if (stat(CONFORM_NVME_NS, &st) == 0 && S_ISBLK(st.st_mode))
		return NULL;
	return CONFORM_ENV "no NVMe namespace (" CONFORM_NVME_NS " missing): runs in an aioconf guest";
}

/*
 * The first block device with polled queues (/sys/block/<dev>/queue/io_poll
 * reads 1) among the NVMe namespaces (nvme*n*) and null_blk devices
 * (nullb*): its /dev path in path. 0, or -1 when there is none.
 */
static inline int conform_polled_bdev(char *path, size_t len)
{
	DIR *d = opendir("/sys/block");
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while (found < 0 && (e = readdir(d))) {
		char attr[300];

		if (strncmp(e->d_name, "nullb", 5) &&
		    !(strncmp(e->d_name, "nvme", 4) == 0 &&
		      strchr(e->d_name + 4, 'n')))
			continue;
		snprintf(attr, sizeof(attr), "/sys/block/%s/queue/io_poll",
			 e->d_name);
		if (conform_read_sysctl(attr) != 1)
			continue;
		snprintf(path, len, "/dev/%s", e->d_name);
		found = 0;
	}
	closedir(d);
	return found;
}

/* Why conform_polled_bdev() found none: the reason of a skip. */
#define CONFORM_NO_POLLED_BDEV \
	CONFORM_ENV "no block device with polled queues: no /sys/block/nvme*n*/queue/io_poll or /sys/block/nullb*/queue/io_poll reading 1 (the aioconf guests have one)"

/*
 * NULL when this case program runs alone on a machine of its own: an
 * aioconf QEMU guest (kernels/boot.sh puts aioconf.timeout= on its kernel
 * command line; its runner runs one case at a time). A TEST that changes a
 * setting every process of the system sees (a sysctl such as
 * kernel.io_uring_disabled) needs that: on a host, the other cases running
 * beside it and the user's own programs would see the change. what names
 * the setting in the reason.
 */
static inline const char *conform_not_alone(const char *what)
{
	char line[4096] = { 0 };
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = read(fd, line, sizeof(line) - 1);
		close(fd);
	}
	if (n > 0 && (strncmp(line, "aioconf.timeout=", 16) == 0 ||
		      strstr(line, " aioconf.timeout=")))
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 CONFORM_ENV "changes the system-wide %s: runs only alone, in an aioconf guest (./run.sh --kernel K)",
		 what);
	return conform_why;
}

/*
 * NULL when this process may run on at least n CPUs (sched_getaffinity,
 * so a taskset or cgroup limit counts, not the machine's CPU count). A
 * case program that uses CONFORM_REQUIRE_CPUS(n) is run by run.sh in a
 * guest of n vCPUs of its own when the kernel's guest has fewer (the
 * "smp" boot of a column): run.sh finds it by that macro in its source.
 */
static inline const char *conform_cpus_missing(int n)
{
	cpu_set_t set;
	int have;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "sched_getaffinity failed: %s", strerror(errno));
		return conform_why;
	}
	have = CPU_COUNT(&set);
	if (have >= n)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 CONFORM_ENV "needs %d CPUs, this process may run on %d (sched_getaffinity); run.sh gives such a case a guest of %d vCPUs",
		 n, have, n);
	return conform_why;
}

/* ------------------------------------------------------------------ */
/* Requirements: inside a TEST body, skip with the reason when unmet   */
/* ------------------------------------------------------------------ */

#define CONFORM_REQUIRE(why_expr)                                              \
	do {                                                                   \
		const char *conform_req_why_ = (why_expr);                     \
		if (conform_req_why_)                                          \
			SKIP(return, "%s", conform_req_why_);                  \
	} while (0)

#define CONFORM_REQUIRE_URING() CONFORM_REQUIRE(conform_uring_unavailable())
#define CONFORM_REQUIRE_URING_OP(op) \
	CONFORM_REQUIRE(conform_uring_op_missing(op, #op))
#define CONFORM_REQUIRE_URING_FEATURE(feat) \
	CONFORM_REQUIRE(conform_uring_feature_missing(feat, #feat))
#define CONFORM_REQUIRE_URING_SETUP(flags) \
	CONFORM_REQUIRE(conform_uring_setup_missing(flags, #flags))
#define CONFORM_REQUIRE_AIO() CONFORM_REQUIRE(conform_aio_unavailable())
#define CONFORM_REQUIRE_EVENTFD() CONFORM_REQUIRE(conform_eventfd_unavailable())
#define CONFORM_REQUIRE_ROOT() CONFORM_REQUIRE(conform_not_root())
/* n: a literal number (run.sh reads it from the source). */
#define CONFORM_REQUIRE_CPUS(n) CONFORM_REQUIRE(conform_cpus_missing(n))

/*
 * After a call that failed with err: skip when the interface is missing
 * (ENOSYS) rather than fail. what names the call in the reason.
 */
#define CONFORM_SKIP_IF_ENOSYS(err, what)                                      \
	do {                                                                   \
		if ((err) == ENOSYS)                                           \
			SKIP(return, "%s: ENOSYS (not available on this kernel)", \
			     what);                                            \
	} while (0)

#endif /* AIOCONF_CONFORM_H */
