// SPDX-License-Identifier: MIT
/*
 * epoll/fd-uffd-fanotify: epoll on three notification fds whose events are
 * raised by other operations of the process, each entry registered for
 * every readiness bit (EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLRDNORM,
 * EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG, EPOLLRDHUP) so that the
 * exact set is seen.
 * - userfaultfd (4.3): EPOLLERR before UFFDIO_API and, always, without
 *   O_NONBLOCK; with O_NONBLOCK a plain EPOLLIN while a page fault of a
 *   thread (UFFD_EVENT_PAGEFAULT) or an event (UFFD_EVENT_REMOVE, 4.11)
 *   waits to be read - the fault is resolved later with UFFDIO_COPY.
 *   Probed: the syscall (ENOSYS without CONFIG_USERFAULTFD, EPERM when
 *   vm.unprivileged_userfaultfd refuses).
 * - fanotify (2.6.37): EPOLLIN|EPOLLRDNORM while an event is queued
 *   (FAN_OPEN at the open, FAN_CLOSE_WRITE only at the close), nothing
 *   once the mark is removed. Probed: fanotify_init (CAP_SYS_ADMIN).
 *   Permission events (FAN_OPEN_PERM) are left out: Debian's kernels
 *   taint themselves when a group marks one ("Using fanotify permission
 *   checks may lead to deadlock; tainting kernel"), which the runner
 *   counts as a failure.
 * - perf_event_open (2.6.31): EPOLLHUP for an event without a ring buffer
 *   and for one whose task exited (3.18), EPOLLIN once per wakeup of a
 *   sampling event (with EPOLLRDNORM since 6.15). Probed: perf_event_open
 *   (perf_event_paranoid, ENOSYS).
 * Sources: userfaultfd(2), ioctl_userfaultfd(2); fanotify(7),
 * fanotify_init(2), fanotify_mark(2); perf_event_open(2) "Overflow
 * handling"; fs/userfaultfd.c userfaultfd_poll(), fs/notify/fanotify/
 * fanotify_user.c fanotify_poll(), kernel/events/core.c perf_poll().
 */
#include <sys/epoll.h>
#include <sys/wait.h>
#include <linux/fanotify.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>

#include "conform_epoll.h"

enum { TAG = 0x0ff5 };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)

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

/* ------------------------------------------------------------------ */
/* userfaultfd                                                          */
/* ------------------------------------------------------------------ */

/*
 * A new userfaultfd (O_CLOEXEC plus flags); -1 with the reason in
 * conform_why. Only a missing (ENOSYS) or refused (EPERM) call is a
 * reason to skip; any other error is reported with what it was.
 */
static int new_uffd(int flags)
{
	int fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | flags);

	if (fd < 0)
		snprintf(conform_why, sizeof(conform_why), "%suserfaultfd: %s%s",
			 errno == ENOSYS || errno == EPERM ? CONFORM_ENV : "",
			 strerror(errno),
			 errno == ENOSYS ? " (kernel without CONFIG_USERFAULTFD, or a seccomp filter)" :
			 errno == EPERM ? " (refused: vm.unprivileged_userfaultfd and no CAP_SYS_PTRACE)" : "");
	return fd;
}

/* UFFDIO_API with features; 0, or -1 with errno. */
static int uffd_api(int fd, __u64 features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	return ioctl(fd, UFFDIO_API, &api);
}

/* Register [addr, addr + len) for missing-page faults; 0 or -1. */
static int uffd_register(int fd, void *addr, size_t len)
{
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	return ioctl(fd, UFFDIO_REGISTER, &reg);
}

/*
 * userfaultfd(2): "the UFFDIO_API ioctl(2) operation" must come first
 * ("the application must enable the userfaultfd object using the
 * UFFDIO_API ioctl"); until then fs/userfaultfd.c userfaultfd_poll()
 * reports EPOLLERR and nothing else, also with O_NONBLOCK (since 4.3).
 */
TEST(uffd_before_uffdio_api_reports_only_epollerr)
{
	int fd, ep;

	CONFORM_DECLARE("4.3", "userfaultfd",
			"userfaultfd(2) UFFDIO_API first; fs/userfaultfd.c "
			"userfaultfd_poll() before the handshake");
	EPOLL_REQUIRE();
	fd = new_uffd(O_NONBLOCK);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(EPOLLERR, wait_events(ep, 0));
	ASSERT_EQ(0, uffd_api(fd, 0));
	EXPECT_EQ(0, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * userfaultfd(2): "If the O_NONBLOCK flag is not enabled, then poll(2)
 * (always) indicates the file as having a POLLERR condition". A blocking
 * userfaultfd, after UFFDIO_API, reports exactly EPOLLERR (since 4.3).
 */
TEST(blocking_uffd_always_reports_epollerr)
{
	int fd, ep;

	CONFORM_DECLARE("4.3", "userfaultfd",
			"userfaultfd(2) without O_NONBLOCK poll(2) always "
			"indicates POLLERR");
	EPOLL_REQUIRE();
	fd = new_uffd(0);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_EQ(0, uffd_api(fd, 0));
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(EPOLLERR, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/* A thread reading the first byte of a registered page: blocks in the
 * fault until the monitor resolves it. */
struct toucher {
	volatile char *addr;
	char seen;
};

static void *touch_page(void *arg)
{
	struct toucher *t = arg;

	t->seen = t->addr[0];
	return NULL;
}

/*
 * userfaultfd(2): with O_NONBLOCK, "When events are available, the file
 * descriptor indicates as readable". A thread faulting on a registered
 * missing page makes the userfaultfd report a plain EPOLLIN (no
 * EPOLLRDNORM); the UFFD_EVENT_PAGEFAULT message names the address.
 * Readiness follows the unread messages, not the unresolved faults
 * (userfaultfd_poll() looks at the pending queue only): once the message
 * is read the fd reports nothing while the thread still waits, and
 * UFFDIO_COPY then resolves the fault, the thread reading the copied byte
 * (since 4.3).
 */
TEST(page_fault_reports_epollin_until_its_message_is_read)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_copy copy;
	struct uffd_msg msg;
	struct toucher t;
	pthread_t th;
	char *area, *src;
	int fd, ep;

	CONFORM_DECLARE("4.3", "UFFD_EVENT_PAGEFAULT",
			"userfaultfd(2) O_NONBLOCK readable when events are "
			"available; ioctl_userfaultfd(2) UFFDIO_COPY; "
			"fs/userfaultfd.c userfaultfd_poll()");
	EPOLL_REQUIRE();
	fd = new_uffd(O_NONBLOCK);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_EQ(0, uffd_api(fd, 0));
	area = mmap(NULL, page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	src = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, src);
	memset(src, 'u', page);
	ASSERT_EQ(0, uffd_register(fd, area, page));
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(0, wait_events(ep, 0));
	t.addr = area;
	t.seen = 0;
	ASSERT_EQ(0, pthread_create(&th, NULL, touch_page, &t));
	EXPECT_EQ(EPOLLIN, wait_events(ep, WAIT_MS));
	ASSERT_EQ((ssize_t)sizeof(msg), read(fd, &msg, sizeof(msg)));
	EXPECT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);
	EXPECT_EQ((unsigned long)area,
		  msg.arg.pagefault.address & ~(unsigned long)(page - 1));
	EXPECT_EQ(0, wait_events(ep, 0));
	memset(&copy, 0, sizeof(copy));
	copy.dst = (unsigned long)area;
	copy.src = (unsigned long)src;
	copy.len = page;
	ASSERT_EQ(0, ioctl(fd, UFFDIO_COPY, &copy));
	EXPECT_EQ(page, copy.copy);
	pthread_join(th, NULL);
	EXPECT_EQ('u', t.seen);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(ep);
	munmap(src, page);
	munmap(area, page);
	close(fd);
}

struct dropper {
	void *addr;
	size_t len;
	int ret;
};

static void *drop_pages(void *arg)
{
	struct dropper *d = arg;

	d->ret = madvise(d->addr, d->len, MADV_DONTNEED);
	return NULL;
}

/*
 * ioctl_userfaultfd(2) UFFD_FEATURE_EVENT_REMOVE (since 4.11): "the kernel
 * will generate UFFD_EVENT_REMOVE event" when pages of a registered range
 * are dropped with madvise(MADV_DONTNEED); userfaultfd(2): "the faulting
 * thread is stopped" until the event is read. While a thread's madvise()
 * waits, the userfaultfd reports a plain EPOLLIN; the message names the
 * range, reading it releases the thread and the fd reports nothing again.
 * The feature is probed (UFFDIO_API EINVAL before 4.11).
 */
TEST(remove_event_reports_epollin_until_read)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uffd_msg msg;
	struct dropper d;
	pthread_t th;
	char *area;
	int fd, ep;

	CONFORM_DECLARE("4.11", "UFFD_FEATURE_EVENT_REMOVE",
			"ioctl_userfaultfd(2) UFFD_FEATURE_EVENT_REMOVE "
			"(since 4.11); userfaultfd(2) O_NONBLOCK readable when "
			"events are available");
	EPOLL_REQUIRE();
	fd = new_uffd(O_NONBLOCK);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	if (uffd_api(fd, UFFD_FEATURE_EVENT_REMOVE) < 0) {
		int err = errno;

		close(fd);
		SKIP(return, "UFFDIO_API with UFFD_FEATURE_EVENT_REMOVE: %s",
		     strerror(err));
	}
	area = mmap(NULL, page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	area[0] = 1;
	ASSERT_EQ(0, uffd_register(fd, area, page));
	ep = watch_all(_metadata, fd);
	d = (struct dropper){ .addr = area, .len = page, .ret = -2 };
	ASSERT_EQ(0, pthread_create(&th, NULL, drop_pages, &d));
	EXPECT_EQ(EPOLLIN, wait_events(ep, WAIT_MS));
	ASSERT_EQ((ssize_t)sizeof(msg), read(fd, &msg, sizeof(msg)));
	EXPECT_EQ(UFFD_EVENT_REMOVE, msg.event);
	EXPECT_EQ((unsigned long)area, msg.arg.remove.start);
	EXPECT_EQ((unsigned long)area + page, msg.arg.remove.end);
	pthread_join(th, NULL);
	EXPECT_EQ(0, d.ret);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(ep);
	munmap(area, page);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* fanotify                                                            */
/* ------------------------------------------------------------------ */

/*
 * A new fanotify group (FAN_CLASS_NOTIF), nonblocking, marked for mask on
 * the file path; -1 with the reason in conform_why (ENOSYS: no
 * CONFIG_FANOTIFY; EPERM: no CAP_SYS_ADMIN; a failing mark is no
 * environment reason).
 */
static int new_fanotify(__u64 mask, const char *path)
{
	int fd = (int)syscall(__NR_fanotify_init,
			      FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
			      O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 "%sfanotify_init: %s%s",
			 errno == ENOSYS || errno == EPERM ? CONFORM_ENV : "",
			 strerror(errno),
			 errno == ENOSYS ? " (kernel without CONFIG_FANOTIFY)" :
			 errno == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
		return -1;
	}
	if (syscall(__NR_fanotify_mark, fd, FAN_MARK_ADD, mask, AT_FDCWD,
		    path) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 "fanotify_mark(FAN_MARK_ADD, 0x%llx) on a file of TMPDIR: %s",
			 (unsigned long long)mask, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* A new file of 16 bytes in the private directory, its path in path;
 * ASSERTed. */
static void new_file(struct __test_metadata *_metadata, char *path, size_t len)
{
	char leaf[32];

	snprintf(leaf, sizeof(leaf), "watched.%d", (int)getpid());
	conform_tmppath(path, len, leaf);
	ASSERT_EQ(0, conform_pattern_file(path, 16));
}

/*
 * fanotify(7) "Monitoring an fanotify file descriptor for events": "When
 * an fanotify event occurs, the fanotify file descriptor indicates as
 * readable when passed to epoll(7)". A group marking FAN_OPEN on a file
 * reports nothing until the file is opened, then EPOLLIN|EPOLLRDNORM
 * until the event (FAN_OPEN, with an fd of the file) is read (since
 * 2.6.37).
 */
TEST(fanotify_event_reports_epollin_until_read)
{
	struct fanotify_event_metadata ev[4];
	char path[400];
	int fd, ep, f;

	CONFORM_DECLARE("2.6.37", "fanotify_init",
			"fanotify(7) the fanotify fd indicates as readable "
			"when an event occurs");
	EPOLL_REQUIRE();
	new_file(_metadata, path, sizeof(path));
	fd = new_fanotify(FAN_OPEN, path);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_LE(0, f = open(path, O_RDONLY | O_CLOEXEC));
	EXPECT_EQ(IN_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), read(fd, ev, sizeof(ev)));
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, ev[0].event_len);
	EXPECT_EQ(FAN_OPEN, ev[0].mask);
	EXPECT_EQ(getpid(), ev[0].pid);
	if (ev[0].fd >= 0)
		close(ev[0].fd);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(f);
	close(ep);
	close(fd);
}

/*
 * fanotify(7) FAN_CLOSE_WRITE: "A file that was opened for writing
 * (O_WRONLY or O_RDWR) was closed". A group marking only FAN_CLOSE_WRITE
 * on a file reports nothing while the file is opened for writing and
 * written, and EPOLLIN|EPOLLRDNORM once it is closed; the event read is
 * FAN_CLOSE_WRITE (since 2.6.37).
 */
TEST(fanotify_close_write_reports_epollin_only_at_the_close)
{
	struct fanotify_event_metadata ev[4];
	char path[400];
	int fd, ep, f;

	CONFORM_DECLARE("2.6.37", "FAN_CLOSE_WRITE",
			"fanotify(7) FAN_CLOSE_WRITE a file opened for writing "
			"was closed; the fanotify fd indicates as readable");
	EPOLL_REQUIRE();
	new_file(_metadata, path, sizeof(path));
	fd = new_fanotify(FAN_CLOSE_WRITE, path);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	ASSERT_LE(0, f = open(path, O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(1, write(f, "w", 1));
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(0, close(f));
	EXPECT_EQ(IN_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), read(fd, ev, sizeof(ev)));
	EXPECT_EQ(FAN_CLOSE_WRITE, ev[0].mask);
	if (ev[0].fd >= 0)
		close(ev[0].fd);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * fanotify_mark(2) FAN_MARK_REMOVE: "The events in mask will be removed
 * from the mark mask". Once the FAN_OPEN mark of a file is removed,
 * opening the file queues nothing and the group stays unready (since
 * 2.6.37).
 */
TEST(fanotify_removed_mark_reports_nothing)
{
	char path[400];
	int fd, ep, f;

	CONFORM_DECLARE("2.6.37", "FAN_MARK_REMOVE",
			"fanotify_mark(2) FAN_MARK_REMOVE removes the events "
			"from the mark mask; fanotify(7)");
	EPOLL_REQUIRE();
	new_file(_metadata, path, sizeof(path));
	fd = new_fanotify(FAN_OPEN, path);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_EQ(0, syscall(__NR_fanotify_mark, fd, FAN_MARK_REMOVE,
			     (__u64)FAN_OPEN, AT_FDCWD, path));
	ep = watch_all(_metadata, fd);
	ASSERT_LE(0, f = open(path, O_RDONLY | O_CLOEXEC));
	EXPECT_EQ(0, wait_events(ep, 0));
	close(f);
	close(ep);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* perf_event_open                                                      */
/* ------------------------------------------------------------------ */

/*
 * perf_event_open(attr, pid, cpu -1) of a software event; -1 with the
 * reason in conform_why (ENOSYS: no CONFIG_PERF_EVENTS; EACCES/EPERM:
 * kernel.perf_event_paranoid or missing CAP_PERFMON; ENOENT/ENODEV: the
 * event is not available here).
 */
static int new_perf(struct perf_event_attr *attr, pid_t pid)
{
	int fd;

	attr->size = sizeof(*attr);
	attr->type = PERF_TYPE_SOFTWARE;
	fd = (int)syscall(__NR_perf_event_open, attr, pid, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "perf_event_open(PERF_TYPE_SOFTWARE): %s (perf events unavailable or refused here: CONFIG_PERF_EVENTS, kernel.perf_event_paranoid=%ld)",
			 strerror(errno),
			 conform_read_sysctl("/proc/sys/kernel/perf_event_paranoid"));
	return fd;
}

/*
 * kernel/events/core.c perf_poll() starts from EPOLLHUP and replaces it
 * with the ring buffer's state only when one is mapped: a counting event
 * (PERF_COUNT_SW_DUMMY on this process) without a ring buffer reports
 * exactly EPOLLHUP - there will never be anything to wait for (since 3.18;
 * before, POLL_HUP, the signal code, was returned as the mask).
 */
TEST(perf_event_without_ring_buffer_reports_epollhup)
{
	struct perf_event_attr attr;
	int fd, ep;

	CONFORM_DECLARE("3.18", "perf_event_open",
			"kernel/events/core.c perf_poll() EPOLLHUP without a "
			"ring buffer; perf_event_open(2) Overflow handling");
	EPOLL_REQUIRE();
	memset(&attr, 0, sizeof(attr));
	attr.config = PERF_COUNT_SW_DUMMY;
	fd = new_perf(&attr, 0);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(EPOLLHUP, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * perf_event_open(2) Overflow handling: "Starting with Linux 3.18,
 * POLL_HUP is indicated if the event being monitored is attached to a
 * different process and that process exits." An event on a child (with a
 * ring buffer mapped, so that nothing is reported before) wakes a waiter
 * with exactly EPOLLHUP when the child exits.
 */
TEST(perf_event_of_an_exited_process_reports_epollhup)
{
	long page = sysconf(_SC_PAGESIZE);
	struct perf_event_attr attr;
	int fd, ep, p[2], status;
	void *rb;
	pid_t child;

	CONFORM_DECLARE("3.18", "perf_event_open",
			"perf_event_open(2) Overflow handling: POLL_HUP when "
			"the monitored process exits (since 3.18)");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		char b;

		close(p[1]);
		_exit(read(p[0], &b, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	memset(&attr, 0, sizeof(attr));
	attr.config = PERF_COUNT_SW_CONTEXT_SWITCHES;
	fd = new_perf(&attr, child);
	if (fd < 0) {
		close(p[1]);
		waitpid(child, NULL, 0);
		SKIP(return, "%s", conform_why);
	}
	rb = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, rb);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(p[1]);
	EXPECT_EQ(EPOLLHUP, wait_events(ep, WAIT_MS));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
	close(ep);
	munmap(rb, 2 * page);
	close(fd);
}

/*
 * A sampling event of this process's page faults (sample_period 1,
 * wakeup_events 1) with a ring buffer, watched for mask: what a wait
 * reports before a fresh page is touched (*before), after it (*first, a
 * bounded wait) and right after that (*second); *head is the ring
 * buffer's data_head then. NULL, or why the event cannot be opened.
 */
static const char *page_fault_samples(struct __test_metadata *_metadata,
				      unsigned int mask, long *before,
				      long *first, long *second,
				      unsigned long long *head)
{
	long page = sysconf(_SC_PAGESIZE);
	struct perf_event_mmap_page *meta;
	struct perf_event_attr attr;
	volatile char *fresh;
	int fd, ep;

	memset(&attr, 0, sizeof(attr));
	attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	attr.sample_period = 1;
	attr.sample_type = PERF_SAMPLE_IP;
	attr.wakeup_events = 1;
	attr.disabled = 1;
	fd = new_perf(&attr, 0);
	if (fd < 0)
		return conform_why;
	meta = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, meta);
	fresh = mmap(NULL, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, fresh);
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, fd, mask, TAG));
	*before = wait_events(ep, 0);
	ASSERT_EQ(0, ioctl(fd, PERF_EVENT_IOC_ENABLE, 0));
	fresh[0] = 1;
	ASSERT_EQ(0, ioctl(fd, PERF_EVENT_IOC_DISABLE, 0));
	*first = wait_events(ep, WAIT_MS);
	*second = wait_events(ep, 0);
	*head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	close(ep);
	munmap((void *)fresh, page);
	munmap(meta, 2 * page);
	close(fd);
	return NULL;
}

/*
 * perf_event_open(2) Overflow handling: with wakeup_events set, overflow
 * notifications come through poll(2) and epoll(7). A page-fault sampling
 * event watched for EPOLLIN reports nothing until a fresh page is
 * touched; then EPOLLIN, once: kernel/events/core.c perf_poll() takes the
 * pending wakeup as it reports it (atomic_xchg(&rb->poll, 0)), so the
 * next wait reports nothing although the sample is still unread in the
 * ring buffer (since 2.6.31).
 */
TEST(perf_sample_wakeup_reports_epollin_once)
{
	unsigned long long head;
	long before, first, second;

	CONFORM_DECLARE("2.6.31", "PERF_COUNT_SW_PAGE_FAULTS",
			"perf_event_open(2) Overflow handling, wakeup_events; "
			"kernel/events/core.c perf_poll() atomic_xchg");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(page_fault_samples(_metadata, EPOLLIN, &before,
					   &first, &second, &head));
	EXPECT_EQ(0, before);
	EXPECT_EQ(EPOLLIN, first);
	EXPECT_EQ(0, second);
	EXPECT_LT(0, head);
}

/*
 * Kernel commit "perf/ring_buffer: Allow the EPOLLRDNORM flag for poll"
 * (6.15, also in the stable kernels): the wakeup of a sampling event's
 * ring buffer is EPOLLIN|EPOLLRDNORM, so that a poller asking for
 * POLLRDNORM is woken too; before, EPOLLIN alone. Watched for every bit,
 * the page-fault sample reports exactly EPOLLIN|EPOLLRDNORM; a kernel
 * reporting EPOLLIN alone lacks the change and skips.
 */
TEST(perf_sample_wakeup_reports_epollrdnorm)
{
	unsigned long long head;
	long before, first, second;

	CONFORM_DECLARE("6.15", "PERF_COUNT_SW_PAGE_FAULTS",
			"kernel commit \"perf/ring_buffer: Allow the "
			"EPOLLRDNORM flag for poll\"");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(page_fault_samples(_metadata, ALL_BITS, &before,
					   &first, &second, &head));
	EXPECT_EQ(0, before);
	if (first == EPOLLIN)
		SKIP(return, "the sample wakeup is EPOLLIN without EPOLLRDNORM: kernel without \"perf/ring_buffer: Allow the EPOLLRDNORM flag for poll\" (6.15)");
	EXPECT_EQ(IN_BITS, first);
	EXPECT_EQ(0, second);
}

TEST_HARNESS_MAIN
