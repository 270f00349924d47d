// SPDX-License-Identifier: MIT
/*
 * epoll/proc-files: files of /proc and cgroupfs whose readiness is a
 * change notification, not data.
 * - /proc/self/mounts and /proc/self/mountinfo (proc(5); EPOLLPRI since
 *   2.6.30): always EPOLLIN|EPOLLRDNORM, and EPOLLPRI|EPOLLERR once per
 *   change of the mount table of the descriptor's mount namespace made
 *   after the open, not for another namespace's. The mounts are made in a
 *   private mount namespace of the test child (unshare(CLONE_NEWNS):
 *   CAP_SYS_ADMIN, probed).
 * - PSI files /proc/pressure/{cpu,memory} (Documentation/accounting/psi.rst,
 *   triggers since 5.2): a descriptor without a trigger reports
 *   EPOLLERR|EPOLLPRI beside the default mask, one with a trigger the
 *   default mask until the trigger fires (EPOLLPRI, once), malformed
 *   triggers are EINVAL, a second trigger on a descriptor EBUSY (5.17),
 *   and windows under 500 ms are accepted since 6.5. Tests skip when
 *   /proc/pressure is missing (no CONFIG_PSI, or psi=0).
 * - cgroup v2 cgroup.events (Documentation/admin-guide/cgroup-v2.rst;
 *   4.5, frozen 5.2): EPOLLPRI|EPOLLERR until read after the open, and on
 *   each change of populated or frozen. The test child mounts cgroup2 in a
 *   private mount namespace (the aioconf guests mount none) and makes a
 *   child cgroup of the root, removed at the end.
 * Sources: proc(5) /proc/pid/mounts, mount_namespaces(7); psi.rst
 * "Monitoring for pressure thresholds"; cgroup-v2.rst cgroup.events and
 * cgroup.freeze; fs/proc_namespace.c mounts_poll(), kernel/sched/psi.c
 * psi_trigger_poll() and psi_write(), fs/kernfs/file.c
 * kernfs_generic_poll().
 */
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "conform_epoll.h"

enum { TAG = 0x9f0c };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)
/* fs/select.c DEFAULT_POLLMASK, what PSI and kernfs files report besides
 * their notifications. */
#define DEFAULT_MASK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)
#define CHANGED (EPOLLPRI | EPOLLERR)

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

/* A new instance watching fd for events; ASSERTed. */
static int watch(struct __test_metadata *_metadata, int fd, unsigned int events)
{
	return epoll_new_watching(_metadata, fd, events, TAG);
}

/* ------------------------------------------------------------------ */
/* Mount namespaces                                                    */
/* ------------------------------------------------------------------ */

/*
 * Move this test child into a mount namespace of its own whose mounts do
 * not propagate back (MS_REC|MS_PRIVATE on /). NULL, or why not.
 */
static const char *private_mount_ns(void)
{
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 CONFORM_ENV "unshare(CLONE_NEWNS) and a private /: %s (needs CAP_SYS_ADMIN)",
		 strerror(errno));
	return conform_why;
}

/* A new empty directory named name.<pid> in the private directory, its
 * path in path; ASSERTed. */
static void new_dir(struct __test_metadata *_metadata, char *path, size_t len,
		    const char *name)
{
	char leaf[64];

	snprintf(leaf, sizeof(leaf), "%s.%d", name, (int)getpid());
	conform_tmppath(path, len, leaf);
	ASSERT_EQ(0, mkdir(path, 0700));
}

/* Mount a small tmpfs on dir: the mount-table change of these tests. */
static int mount_tmpfs(const char *dir)
{
	return mount("aioconf", dir, "tmpfs", 0, "size=64k");
}

/*
 * proc(5) /proc/pid/mounts: "after opening the file for reading, a change
 * in this file (i.e., a filesystem mount or unmount) causes ... poll(2)
 * and epoll_wait(2) [to] mark the file as having a priority event
 * (POLLPRI)" (since 2.6.30; an error condition before). Watched for every
 * bit, the file reports EPOLLIN|EPOLLRDNORM alone while the table is
 * unchanged; after a tmpfs is mounted in its (private) namespace
 * EPOLLPRI|EPOLLERR as well, the kernel setting EPOLLERR too
 * (fs/proc_namespace.c mounts_poll()), and only once: the next wait is
 * back to EPOLLIN|EPOLLRDNORM.
 */
TEST(mounts_reports_epollpri_epollerr_once_per_mount)
{
	char dir[400];
	int fd, ep;

	CONFORM_DECLARE("2.6.30", "EPOLLPRI",
			"proc(5) /proc/pid/mounts pollable: a mount or unmount "
			"marks a priority event (since 2.6.30); "
			"fs/proc_namespace.c mounts_poll()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_mount_ns());
	new_dir(_metadata, dir, sizeof(dir), "mnt");
	ASSERT_LE(0, fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC));
	ep = watch(_metadata, fd, ALL_BITS);
	EXPECT_EQ(IN_BITS, wait_events(ep, 0));
	ASSERT_EQ(0, mount_tmpfs(dir));
	EXPECT_EQ(IN_BITS | CHANGED, wait_events(ep, WAIT_MS));
	EXPECT_EQ(IN_BITS, wait_events(ep, 0));
	EXPECT_EQ(0, umount(dir));
	close(ep);
	close(fd);
}

/*
 * proc(5) /proc/pid/mountinfo (since 2.6.26) is the same mount table, and
 * pollable the same way (fs/proc_namespace.c: both files use
 * mounts_poll()); the change reported is one made after the open. Opened
 * after a tmpfs was mounted, and watched for EPOLLPRI alone, mountinfo
 * reports nothing; a waiter is woken by the unmount with exactly
 * EPOLLPRI|EPOLLERR (since 2.6.30).
 */
TEST(mountinfo_wakes_a_waiter_on_an_unmount_after_its_open)
{
	char dir[400];
	int fd, ep;

	CONFORM_DECLARE("2.6.30", "EPOLLPRI",
			"proc(5) /proc/pid/mounts and mountinfo (since 2.6.26) "
			"pollable; fs/proc_namespace.c mounts_poll()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_mount_ns());
	new_dir(_metadata, dir, sizeof(dir), "mnt");
	ASSERT_EQ(0, mount_tmpfs(dir));
	ASSERT_LE(0, fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC));
	ep = watch(_metadata, fd, EPOLLPRI);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(0, umount(dir));
	EXPECT_EQ(CHANGED, wait_events(ep, WAIT_MS));
	close(ep);
	close(fd);
}

/*
 * proc(5): /proc/pid/mounts lists "the mounts in the process's mount
 * namespace" (mount_namespaces(7)); a descriptor keeps the namespace of its
 * open. One opened before this test child moved to a namespace of its own
 * reports no EPOLLPRI for a mount made in the new namespace (the initial
 * one did not change), while one opened in the new namespace does (since
 * 2.6.30).
 */
TEST(mounts_of_another_namespace_reports_no_change)
{
	int old_fd, new_fd, old_ep, new_ep;
	char dir[400];

	CONFORM_DECLARE("2.6.30", "EPOLLPRI",
			"proc(5) /proc/pid/mounts mounts of the process's mount "
			"namespace; mount_namespaces(7)");
	EPOLL_REQUIRE();
	ASSERT_LE(0, old_fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC));
	old_ep = watch(_metadata, old_fd, EPOLLPRI);
	CONFORM_REQUIRE(private_mount_ns());
	new_dir(_metadata, dir, sizeof(dir), "mnt");
	ASSERT_LE(0, new_fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC));
	new_ep = watch(_metadata, new_fd, EPOLLPRI);
	ASSERT_EQ(0, mount_tmpfs(dir));
	EXPECT_EQ(CHANGED, wait_events(new_ep, WAIT_MS));
	EXPECT_EQ(0, wait_events(old_ep, 0));
	EXPECT_EQ(0, umount(dir));
	close(new_ep);
	close(new_fd);
	close(old_ep);
	close(old_fd);
}

/* ------------------------------------------------------------------ */
/* PSI                                                                 */
/* ------------------------------------------------------------------ */

/*
 * Open /proc/pressure/<res> read-write, nonblocking; -1 with the reason
 * in conform_why (no /proc/pressure: kernel without CONFIG_PSI or booted
 * with psi=0).
 */
static int open_pressure(const char *res)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/pressure/%s", res);
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "open(%s): %s (kernel without CONFIG_PSI, or booted with psi=0)",
			 path, strerror(errno));
	return fd;
}

/* Write a trigger as psi.rst does: with its terminating NUL (psi_write()
 * overwrites the last byte written with one). */
static ssize_t write_trigger(int fd, const char *text)
{
	return write(fd, text, strlen(text) + 1);
}

/*
 * kernel/sched/psi.c psi_trigger_poll(): a PSI file descriptor without a
 * trigger returns "DEFAULT_POLLMASK | EPOLLERR | EPOLLPRI", so that a
 * monitor that forgot to register fails at once instead of waiting
 * forever. Watched for every bit, /proc/pressure/cpu reports
 * EPOLLIN|EPOLLOUT|EPOLLRDNORM|EPOLLWRNORM|EPOLLERR|EPOLLPRI (since 5.2).
 */
TEST(psi_file_without_trigger_reports_epollpri_epollerr)
{
	int fd, ep;

	CONFORM_DECLARE("5.2", "PSI",
			"kernel/sched/psi.c psi_trigger_poll() without a "
			"trigger; Documentation/accounting/psi.rst");
	EPOLL_REQUIRE();
	fd = open_pressure("cpu");
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch(_metadata, fd, ALL_BITS);
	EXPECT_EQ(DEFAULT_MASK | CHANGED, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * psi.rst "Userspace monitor usage": after the trigger is written, poll()
 * with POLLPRI waits for the threshold to be crossed. A memory trigger
 * that needs the whole 2 s window stalled ("some 2000000 2000000", a 2 s
 * window being allowed unprivileged as well) has not fired right after
 * its write: the descriptor reports the default mask alone, no EPOLLPRI
 * or EPOLLERR (since 5.2).
 */
TEST(psi_file_with_trigger_reports_only_the_default_mask)
{
	int fd, ep;

	CONFORM_DECLARE("5.2", "PSI",
			"Documentation/accounting/psi.rst trigger and poll "
			"POLLPRI; kernel/sched/psi.c psi_trigger_poll()");
	EPOLL_REQUIRE();
	fd = open_pressure("memory");
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_LT(0, write_trigger(fd, "some 2000000 2000000"));
	ep = watch(_metadata, fd, ALL_BITS);
	EXPECT_EQ(DEFAULT_MASK, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * psi.rst: the format is "<some|full> <stall amount in us> <time window in
 * us>" and "The kernel accepts window sizes ranging from 500ms to 10s"
 * (the lower bound is gone since 6.5, see below, but a zero window is
 * still refused); kernel/sched/psi.c psi_trigger_create() also refuses a
 * zero threshold or one larger than the window. Each malformed trigger is
 * refused with EINVAL, and the descriptor stays without a trigger
 * (EPOLLERR|EPOLLPRI) (since 5.2).
 */
TEST(psi_malformed_trigger_gets_einval)
{
	static const char *const bad[] = {
		"bogus 100000 2000000",	/* neither some nor full */
		"some 100000",		/* no window */
		"some 0 2000000",	/* zero threshold */
		"some 3000000 2000000",	/* threshold above the window */
		"some 0 0",		/* zero window */
		"some 100000 12000000",	/* window above 10 s */
	};
	int fd, ep;

	CONFORM_DECLARE("5.2", "PSI",
			"Documentation/accounting/psi.rst trigger format, "
			"windows from 500ms to 10s; kernel/sched/psi.c "
			"psi_trigger_create() EINVAL");
	EPOLL_REQUIRE();
	fd = open_pressure("memory");
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, write_trigger(fd, bad[i])) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("'%s'", bad[i]);
	}
	ep = watch(_metadata, fd, EPOLLPRI);
	EXPECT_EQ(CHANGED, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * psi.rst: "for each trigger a separate file descriptor is required ...
 * Write operations to a file descriptor with an already existing psi
 * trigger will fail with EBUSY" (kernel commit "psi: Fix uaf issue when
 * psi trigger is destroyed while being polled", 5.17, which replaced the
 * earlier silent replacement of the trigger; in stable 5.10.y and 5.15.y
 * as well).
 */
TEST(psi_second_trigger_on_a_descriptor_gets_ebusy)
{
	int fd;

	CONFORM_DECLARE("5.17", "PSI",
			"Documentation/accounting/psi.rst second trigger on a "
			"descriptor fails with EBUSY; commit \"psi: Fix uaf "
			"issue when psi trigger is destroyed while being "
			"polled\"");
	EPOLL_REQUIRE();
	fd = open_pressure("memory");
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_LT(0, write_trigger(fd, "some 2000000 2000000"));
	errno = 0;
	EXPECT_EQ(-1, write_trigger(fd, "some 1000000 2000000"));
	EXPECT_EQ(EBUSY, errno);
	close(fd);
}

/* Does this thread have CAP_SYS_RESOURCE in its effective set? */
static bool has_cap_sys_resource(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective &
	       CAP_TO_MASK(CAP_SYS_RESOURCE);
}

/*
 * Kernel commit "psi: remove 500ms min window size limitation for
 * triggers" (6.5): a writer with CAP_SYS_RESOURCE may use any window up
 * to 10 s (the commit left psi.rst saying "500ms to 10s"); before, windows
 * under 500 ms were refused with EINVAL. A 400 ms memory trigger is
 * accepted, and the descriptor then reports the default mask alone; a
 * kernel refusing it (EINVAL) predates the change and skips.
 * CAP_SYS_RESOURCE is probed: without it windows must be multiples of 2 s.
 */
TEST(psi_trigger_window_below_500ms_is_accepted)
{
	int fd, ep;

	CONFORM_DECLARE("6.5", "PSI",
			"kernel commit \"psi: remove 500ms min window size "
			"limitation for triggers\" (6.5)");
	EPOLL_REQUIRE();
	if (!has_cap_sys_resource())
		SKIP(return, CONFORM_ENV "no CAP_SYS_RESOURCE: unprivileged trigger windows must be multiples of 2 s");
	fd = open_pressure("memory");
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	if (write_trigger(fd, "some 100000 400000") < 0) {
		int err = errno;

		close(fd);
		if (err == EINVAL)
			SKIP(return, "a 400 ms trigger window gets EINVAL: kernel before 6.5 (500 ms minimum)");
		ASSERT_EQ(0, err);
	}
	ep = watch(_metadata, fd, ALL_BITS);
	EXPECT_EQ(DEFAULT_MASK, wait_events(ep, 0));
	close(ep);
	close(fd);
}

static volatile int spin_stop;

static void *spin(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&spin_stop, __ATOMIC_RELAXED))
		;
	return NULL;
}

/*
 * psi.rst: a trigger "describes the maximum cumulative stall time over a
 * specific time window"; the monitor is checked "10 times per tracking
 * window" and "Notifications to the userspace are rate-limited to one per
 * tracking window". Two threads spinning on the one CPU this test child is
 * pinned to keep one of them runnable but not running: a CPU "some" stall.
 * A trigger of 10 ms per 500 ms window on /proc/pressure/cpu then wakes a
 * waiter with EPOLLPRI, reported once (psi_trigger_poll() takes the event
 * as it reports it). Windows other than multiples of 2 s need
 * CAP_SYS_RESOURCE (unprivileged monitors, 6.4, are only evaluated every
 * 2 s): probed (since 5.2).
 */
TEST(psi_trigger_fires_epollpri_once_under_cpu_contention)
{
	pthread_t th[2];
	cpu_set_t set;
	int fd, ep, cpu;
	long got;

	CONFORM_DECLARE("5.2", "PSI",
			"Documentation/accounting/psi.rst trigger fires on "
			"stall over threshold within window, one notification "
			"per window");
	EPOLL_REQUIRE();
	if (!has_cap_sys_resource())
		SKIP(return, CONFORM_ENV "no CAP_SYS_RESOURCE: a 500 ms trigger window is refused, and 2 s unprivileged triggers are too slow for this test");
	fd = open_pressure("cpu");
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_LT(0, write_trigger(fd, "some 10000 500000"));
	ep = watch(_metadata, fd, EPOLLPRI);
	ASSERT_LE(0, cpu = sched_getcpu());
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, spin, NULL));
	got = wait_events(ep, WAIT_MS);
	__atomic_store_n(&spin_stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(EPOLLPRI, got);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* cgroup v2                                                           */
/* ------------------------------------------------------------------ */

/*
 * A cgroup v2 child cgroup of the root, for one test: this test child
 * moves to a private mount namespace, mounts cgroup2 on a directory of
 * the private directory and makes the cgroup aioconf-e2.<pid> there; its
 * path in path. NULL, or why not. cg_remove() takes it away again.
 */
static const char *new_cgroup(char *path, size_t len)
{
	char mnt[400], leaf[64];
	const char *why = private_mount_ns();

	if (why)
		return why;
	snprintf(leaf, sizeof(leaf), "cgroup2.%d", (int)getpid());
	conform_tmppath(mnt, sizeof(mnt), leaf);
	if (mkdir(mnt, 0700) < 0 ||
	    mount("cgroup2", mnt, "cgroup2", 0, NULL) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "mount -t cgroup2: %s (kernel without cgroup v2?)",
			 strerror(errno));
		return conform_why;
	}
	snprintf(path, len, "%s/aioconf-e2.%d", mnt, (int)getpid());
	if (mkdir(path, 0755) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot make a child cgroup: mkdir %s: %s",
			 path, strerror(errno));
		return conform_why;
	}
	return NULL;
}

/* Open file of the cgroup at cg with flags; -1 with errno. */
static int cg_open(const char *cg, const char *file, int flags)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return open(path, flags | O_CLOEXEC);
}

/* Write text to file of the cgroup at cg. 0, or -1 with errno. */
static int cg_write(const char *cg, const char *file, const char *text)
{
	int fd = cg_open(cg, file, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return ret;
}

/* Read the cgroup.events descriptor fd from offset 0 into buf (kernfs:
 * a read takes the change as seen); the value of key, or -1. */
static int events_value(int fd, const char *key)
{
	char buf[256], *at;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	at = strstr(buf, key);
	return at ? atoi(at + strlen(key) + 1) : -1;
}

/*
 * fs/kernfs/file.c, above kernfs_generic_poll(): "Kernfs attribute files
 * are pollable. The idea is that you read the content and then you use
 * 'poll' or 'select' to wait for the content to change"; a change shows
 * as EPOLLERR|EPOLLPRI. A cgroup.events descriptor not yet read counts as
 * changed: watched for every bit it reports the default mask with
 * EPOLLERR|EPOLLPRI, and after a read the default mask alone (since 4.5,
 * cgroup.events).
 */
TEST(cgroup_events_reports_a_change_until_first_read)
{
	char cg[600];
	int fd, ep;

	CONFORM_DECLARE("4.5", "cgroup.events",
			"fs/kernfs/file.c kernfs_generic_poll(): read the "
			"content, then poll for EPOLLERR and EPOLLPRI; "
			"cgroup-v2.rst cgroup.events");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_cgroup(cg, sizeof(cg)));
	fd = cg_open(cg, "cgroup.events", O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0) {
		ep = watch(_metadata, fd, ALL_BITS);
		EXPECT_EQ(DEFAULT_MASK | CHANGED, wait_events(ep, 0));
		EXPECT_EQ(0, events_value(fd, "populated"));
		EXPECT_EQ(DEFAULT_MASK, wait_events(ep, 0));
		close(ep);
		close(fd);
	}
	EXPECT_EQ(0, rmdir(cg));
}

/*
 * cgroup-v2.rst: "populated" is "1 if the cgroup or its descendants
 * contains any live processes; otherwise, 0", and "a value change in this
 * file generates a file modified event". A waiter on a read cgroup.events
 * is woken with EPOLLPRI|EPOLLERR when a process (a child blocked on a
 * pipe) is moved in (populated 1), and again once it has exited and been
 * reaped (populated 0) (since 4.5).
 */
TEST(cgroup_events_populated_change_reports_epollpri)
{
	int fd = -1, ep = -1, p[2], status;
	char cg[600], pid[32];
	pid_t child;

	CONFORM_DECLARE("4.5", "cgroup.events",
			"cgroup-v2.rst cgroup.events populated; a value change "
			"generates a file modified event");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_cgroup(cg, sizeof(cg)));
	ASSERT_EQ(0, conform_pipe(p));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		char b;

		close(p[1]);
		_exit(read(p[0], &b, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	fd = cg_open(cg, "cgroup.events", O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0) {
		EXPECT_EQ(0, events_value(fd, "populated"));
		ep = watch(_metadata, fd, EPOLLPRI);
		EXPECT_EQ(0, wait_events(ep, 0));
		snprintf(pid, sizeof(pid), "%d", (int)child);
		EXPECT_EQ(0, cg_write(cg, "cgroup.procs", pid));
		EXPECT_EQ(CHANGED, wait_events(ep, WAIT_MS));
		EXPECT_EQ(1, events_value(fd, "populated"));
		EXPECT_EQ(0, wait_events(ep, 0));
	}
	close(p[1]);
	EXPECT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, status);
	if (fd >= 0) {
		EXPECT_EQ(CHANGED, wait_events(ep, WAIT_MS));
		EXPECT_EQ(0, events_value(fd, "populated"));
		close(ep);
		close(fd);
	}
	EXPECT_EQ(0, rmdir(cg));
}

/*
 * cgroup-v2.rst cgroup.freeze (since 5.2): writing "1" freezes the
 * cgroup; "when this action is completed, the "frozen" value in the
 * cgroup.events control file will be updated to "1" and the corresponding
 * notification will be issued". An empty cgroup is frozen at once: a
 * waiter on its read cgroup.events is woken with EPOLLPRI|EPOLLERR and
 * reads frozen 1; the cgroup.freeze file is probed (missing before 5.2).
 */
TEST(cgroup_events_frozen_change_reports_epollpri)
{
	char cg[600];
	int fd, ep;

	CONFORM_DECLARE("5.2", "cgroup.freeze",
			"cgroup-v2.rst cgroup.freeze: frozen updated in "
			"cgroup.events with a notification");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_cgroup(cg, sizeof(cg)));
	fd = cg_open(cg, "cgroup.freeze", O_RDONLY);
	if (fd < 0) {
		int err = errno;

		rmdir(cg);
		SKIP(return, "no cgroup.freeze in a cgroup v2 cgroup (%s): kernel without the cgroup v2 freezer",
		     strerror(err));
	}
	close(fd);
	fd = cg_open(cg, "cgroup.events", O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0) {
		EXPECT_EQ(0, events_value(fd, "frozen"));
		ep = watch(_metadata, fd, EPOLLPRI);
		EXPECT_EQ(0, wait_events(ep, 0));
		EXPECT_EQ(0, cg_write(cg, "cgroup.freeze", "1"));
		EXPECT_EQ(CHANGED, wait_events(ep, WAIT_MS));
		EXPECT_EQ(1, events_value(fd, "frozen"));
		close(ep);
		close(fd);
	}
	EXPECT_EQ(0, rmdir(cg));
}

TEST_HARNESS_MAIN
