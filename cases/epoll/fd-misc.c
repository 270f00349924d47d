// SPDX-License-Identifier: MIT
/*
 * epoll/fd-misc: which EPOLL* bits the kernel's special fds report, each
 * entry registered for every readiness bit (EPOLLIN, EPOLLPRI, EPOLLOUT,
 * EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG, EPOLLRDHUP)
 * so that the exact set is seen - they differ: eventfd (2.6.22), timerfd
 * (2.6.25) and signalfd (2.6.22) report plain EPOLLIN (and eventfd
 * EPOLLOUT) without EPOLLRDNORM/EPOLLWRNORM, while pidfd (5.3), inotify
 * (2.6.13), an epoll instance and an io_uring instance (5.1) add them; a
 * pidfd reports EPOLLHUP once the process is reaped (6.9). Files without a
 * poll method (/dev/null, /dev/zero) are refused with EPERM although
 * poll(2) calls them ready; regular files and directories are in
 * epoll/ctl-errors. What the plain EPOLLIN of these fds means over time is
 * in epoll/timerfd-signalfd, epoll/nesting, epoll/uring-fd and
 * cases/eventfd.
 * Sources: eventfd(2), timerfd_create(2), signalfd(2), pidfd_open(2),
 * inotify(7), epoll(7) Q&A, io_uring's poll method (io_uring_poll), poll(2)
 * POLLRDNORM/POLLWRNORM, epoll_ctl(2) EPERM; the poll methods eventfd_poll(),
 * timerfd_poll(), signalfd_poll(), pidfd_poll(), inotify_poll(),
 * ep_eventpoll_poll() and fs/select.c DEFAULT_POLLMASK.
 */
#include <liburing.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include "conform_epoll.h"
#include "ref/uapi.h"

enum { TAG = 0x3f1c };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)
#define OUT_BITS (EPOLLOUT | EPOLLWRNORM)

/* A wait for an event that must come: a bound only. */
#define WAIT_MS 5000

/*
 * The events of the single entry of ep that a wait of up to ms reports: 0
 * when nothing is reported, -1 when the wait fails or reports a foreign tag.
 */
static long wait_events(int ep, int ms)
{
	struct epoll_event ev[2];
	int n = epoll_wait(ep, ev, 2, ms);

	if (n == 0)
		return 0;
	if (n != 1 || ev[0].data.u64 != TAG)
		return -1;
	return ev[0].events;
}

/* A new instance watching fd for every readiness bit; ASSERTed. */
static int watch_all(struct __test_metadata *_metadata, int fd)
{
	return epoll_new_watching(_metadata, fd, ALL_BITS, TAG);
}

/*
 * eventfd(2): readable (POLLIN) "if the counter has a value greater than
 * 0", writable (POLLOUT) "if it is possible to write a value of at least 1
 * without blocking". Those are the only bits it reports (fs/eventfd.c
 * eventfd_poll()): EPOLLOUT alone at 0, EPOLLIN|EPOLLOUT after a write -
 * no EPOLLRDNORM or EPOLLWRNORM, unlike pipes and sockets (since 2.6.22).
 */
TEST(eventfd_reports_plain_epollin_and_epollout)
{
	uint64_t one = 1;
	int efd, ep;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2) poll(2), select(2) (and similar); "
			"fs/eventfd.c eventfd_poll()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_LE(0, efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	ep = watch_all(_metadata, efd);
	EXPECT_EQ(EPOLLOUT, wait_events(ep, 0));
	ASSERT_EQ(8, write(efd, &one, sizeof(one)));
	EXPECT_EQ(EPOLLIN | EPOLLOUT, wait_events(ep, WAIT_MS));
	close(ep);
	close(efd);
}

/*
 * timerfd_create(2): the fd is readable "if one or more timer expirations
 * have occurred"; it reports EPOLLIN alone (fs/timerfd.c timerfd_poll()):
 * a timer armed for an absolute time already past gives exactly EPOLLIN -
 * no EPOLLRDNORM, and never a write bit (since 2.6.25).
 */
TEST(expired_timerfd_reports_plain_epollin)
{
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = 1 } };
	int tfd, ep;

	CONFORM_DECLARE("2.6.25", "timerfd_create",
			"timerfd_create(2) poll(2): readable once expirations "
			"have occurred; fs/timerfd.c timerfd_poll()");
	EPOLL_REQUIRE();
	ASSERT_LE(0, tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ep = watch_all(_metadata, tfd);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(0, timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL));
	EXPECT_EQ(EPOLLIN, wait_events(ep, WAIT_MS));
	close(ep);
	close(tfd);
}

/*
 * signalfd(2): the fd is readable "if one or more of the signals in mask is
 * pending"; it reports EPOLLIN alone (fs/signalfd.c signalfd_poll()): with
 * SIGUSR1 blocked and raised, exactly EPOLLIN (since 2.6.22).
 */
TEST(signalfd_with_pending_signal_reports_plain_epollin)
{
	sigset_t set;
	int sfd, ep;

	CONFORM_DECLARE("2.6.22", "signalfd",
			"signalfd(2) poll(2): readable when a signal in mask "
			"is pending; fs/signalfd.c signalfd_poll()");
	EPOLL_REQUIRE();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, NULL));
	ASSERT_LE(0, sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
	ep = watch_all(_metadata, sfd);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(0, raise(SIGUSR1));
	EXPECT_EQ(EPOLLIN, wait_events(ep, WAIT_MS));
	close(ep);
	close(sfd);
}

/* pidfd_open(2) by its number (glibc 2.36 has no wrapper). */
static int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(__NR_pidfd_open, pid, flags);
}

/*
 * A child blocked reading the pipe p until its write end closes: its pid.
 * The child's copy of p[1] is closed, so closing the parent's makes the
 * child exit. ASSERTed.
 */
static pid_t blocked_child(struct __test_metadata *_metadata, int p[2])
{
	pid_t pid;
	char b;

	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, pid = fork());
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &b, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	return pid;
}

/* Let the child of blocked_child() exit and reap it. */
static void end_child(int p[2], pid_t pid)
{
	close(p[1]);
	waitpid(pid, NULL, 0);
}

/*
 * pidfd_open(2) (since 5.3): the fd can be monitored with poll(2), select(2)
 * and epoll(7); "When the process that it refers to terminates, these
 * interfaces indicate the file descriptor as readable". A pidfd of a
 * running child reports nothing; once the child has exited (a zombie, not
 * yet waited for) exactly EPOLLIN|EPOLLRDNORM (pidfd_poll(): kernel/fork.c,
 * fs/pidfs.c since 6.9).
 */
TEST(pidfd_reports_epollin_epollrdnorm_when_process_exits)
{
	int p[2], pidfd = -1, ep, status;
	pid_t pid;

	CONFORM_DECLARE("5.3", "pidfd_open",
			"pidfd_open(2) (since 5.3): readable when the process "
			"terminates; pidfd_poll()");
	EPOLL_REQUIRE();
	pid = blocked_child(_metadata, p);
	pidfd = sys_pidfd_open(pid, 0);
	if (pidfd < 0) {
		int err = errno;

		end_child(p, pid);
		CONFORM_SKIP_IF_ENOSYS(err, "pidfd_open");
		ASSERT_LE(0, pidfd) TH_LOG("pidfd_open: %s", strerror(err));
	}
	ep = watch_all(_metadata, pidfd);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(p[1]);
	EXPECT_EQ(IN_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(ep);
	close(pidfd);
}

/*
 * pidfd_open(2) (current man-pages): "When the task is reaped, these
 * interfaces produce a hangup event (EPOLLHUP)"; commit 43f0df54c96f
 * "pidfd_poll: report POLLHUP when pid_task() == NULL" (6.9). A pidfd whose
 * child has been waited for reports EPOLLIN|EPOLLRDNORM|EPOLLHUP. Probe:
 * pidfd_open(PIDFD_THREAD), added in the same release (6.9, commit
 * 64bef697d33b): refused with EINVAL by kernels before.
 */
TEST(pidfd_of_reaped_process_reports_epollhup)
{
	int p[2], pidfd = -1, self, ep;
	pid_t pid;

	CONFORM_DECLARE("6.9", "pidfd_open",
			"pidfd_open(2): EPOLLHUP when the task is reaped; "
			"commit 43f0df54c96f (6.9) pidfd_poll: report POLLHUP "
			"when pid_task() == NULL");
	EPOLL_REQUIRE();
	self = sys_pidfd_open(getpid(), REF_PIDFD_THREAD);
	if (self < 0) {
		CONFORM_SKIP_IF_ENOSYS(errno, "pidfd_open");
		ASSERT_EQ(EINVAL, errno);
		SKIP(return, "pidfd_open(PIDFD_THREAD): EINVAL (kernel before 6.9, where a reaped process's pidfd reports no EPOLLHUP)");
	}
	close(self);
	pid = blocked_child(_metadata, p);
	pidfd = sys_pidfd_open(pid, 0);
	if (pidfd < 0) {
		int err = errno;

		end_child(p, pid);
		ASSERT_LE(0, pidfd) TH_LOG("pidfd_open: %s", strerror(err));
	}
	ep = watch_all(_metadata, pidfd);
	close(p[1]);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(IN_BITS | EPOLLHUP, wait_events(ep, WAIT_MS));
	close(ep);
	close(pidfd);
}

/*
 * inotify(7): "Inotify file descriptors can be monitored using select(2),
 * poll(2), and epoll(7). When an event is available, the file descriptor
 * indicates as readable" - as EPOLLIN|EPOLLRDNORM (fs/notify/inotify/
 * inotify_user.c inotify_poll()). Nothing before a watched directory sees
 * a change, EPOLLIN|EPOLLRDNORM once a file is created in it, and nothing
 * again once the event is read (since 2.6.13).
 */
TEST(inotify_queued_event_reports_epollin_epollrdnorm)
{
	char buf[4096] __attribute__((aligned(8)));
	char path[300];
	int ifd, ep, fd;

	CONFORM_DECLARE("2.6.13", "inotify_init1",
			"inotify(7) (since 2.6.13): readable when an event is "
			"available; inotify_poll()");
	EPOLL_REQUIRE();
	ASSERT_NE(0, conform_tmpdir()[0]);
	ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (ifd < 0)
		CONFORM_SKIP_IF_ENOSYS(errno, "inotify_init1");
	ASSERT_LE(0, ifd);
	if (inotify_add_watch(ifd, conform_tmpdir(), IN_CREATE) < 0) {
		int err = errno;

		close(ifd);
		SKIP(return, CONFORM_ENV "inotify_add_watch on TMPDIR: %s",
		     strerror(err));
	}
	ep = watch_all(_metadata, ifd);
	EXPECT_EQ(0, wait_events(ep, 0));
	snprintf(path, sizeof(path), "%s/created.%d", conform_tmpdir(),
		 (int)getpid());
	ASSERT_LE(0, fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
			       0600));
	close(fd);
	unlink(path);
	EXPECT_EQ(IN_BITS, wait_events(ep, WAIT_MS));
	ASSERT_LT(0, read(ifd, buf, sizeof(buf)));
	EXPECT_EQ(0, wait_events(ep, 0));
	close(ep);
	close(ifd);
}

/*
 * epoll(7) Q&A: "If an epoll file descriptor has events waiting, then it
 * will indicate as being readable" - as EPOLLIN|EPOLLRDNORM
 * (fs/eventpoll.c ep_eventpoll_poll()), never a write bit: an outer
 * instance watching an inner one for every bit gets exactly that once the
 * inner one's pipe has data (since 2.6).
 */
TEST(epoll_fd_reports_epollin_epollrdnorm)
{
	int inner, outer, p[2];

	CONFORM_DECLARE("2.6", "epoll_create1",
			"epoll(7) Q&A: an epoll fd with events waiting is "
			"readable; fs/eventpoll.c ep_eventpoll_poll()");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &inner, p, EPOLLIN, 1);
	outer = watch_all(_metadata, inner);
	EXPECT_EQ(0, wait_events(outer, 0));
	ASSERT_EQ(1, write(p[1], "e", 1));
	EXPECT_EQ(IN_BITS, wait_events(outer, WAIT_MS));
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring's poll method (io_uring_poll, 5.1): the ring fd is writable
 * while the SQ ring has room and readable while CQEs wait, and reports
 * both with the *NORM bits: an idle ring gives EPOLLOUT|EPOLLWRNORM, and
 * once a NOP has completed EPOLLIN|EPOLLRDNORM as well (EPOLLIN/EPOLLOUT
 * requested alone are in epoll/uring-fd).
 */
TEST(io_uring_fd_reports_rdnorm_and_wrnorm)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int ep;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"fs/io_uring.c io_uring_poll() (5.1; "
			"io_uring/io_uring.c since 6.0); poll(2) POLLRDNORM "
			"POLLWRNORM");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE_URING();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ep = watch_all(_metadata, ring.ring_fd);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_nop(sqe);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	close(ep);
	io_uring_queue_exit(&ring);
}

/*
 * epoll_ctl(2) EPERM: "The target file fd does not support epoll". Device
 * files without a poll method, /dev/null and /dev/zero, are refused,
 * although poll(2) reports them ready for everything (fs/select.c: a file
 * without a poll method gets DEFAULT_POLLMASK, POLLIN|POLLOUT|POLLRDNORM|
 * POLLWRNORM) (since 2.6).
 */
TEST(devices_without_poll_method_get_eperm)
{
	static const char *const dev[] = { "/dev/null", "/dev/zero" };
	const short every = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	int ep;

	CONFORM_DECLARE("2.6", "epoll_ctl",
			"epoll_ctl(2) EPERM the target file fd does not "
			"support epoll; fs/select.c DEFAULT_POLLMASK");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++) {
		struct pollfd pfd = { .events = every };
		int fd = open(dev[i], O_RDWR | O_CLOEXEC);

		if (fd < 0) {
			int err = errno;

			close(ep);
			SKIP(return, CONFORM_ENV "cannot open %s: %s", dev[i],
			     strerror(err));
		}
		errno = 0;
		EXPECT_EQ(-1, epoll_ctl_tag(ep, EPOLL_CTL_ADD, fd, EPOLLIN, TAG))
			TH_LOG("%s", dev[i]);
		EXPECT_EQ(EPERM, errno) TH_LOG("%s", dev[i]);
		pfd.fd = fd;
		EXPECT_EQ(1, poll(&pfd, 1, 0));
		EXPECT_EQ(every, pfd.revents) TH_LOG("%s", dev[i]);
		close(fd);
	}
	close(ep);
}

TEST_HARNESS_MAIN
