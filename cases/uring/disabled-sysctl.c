// SPDX-License-Identifier: MIT
/*
 * uring/disabled-sysctl: kernel.io_uring_disabled and kernel.io_uring_group
 * (Linux 6.6), as Documentation/admin-guide/sysctl/kernel.rst states them:
 * 0 lets every process create io_uring instances; 1 lets only processes
 * with CAP_SYS_ADMIN or in the group io_uring_group create them (-1, the
 * default, names no group); 2 lets nobody, root included; io_uring_setup(2)
 * then fails with EPERM, and "existing io_uring instances can still be
 * used". The value is 0..2.
 *
 * These are system-wide settings: every TEST runs only alone, in an aioconf
 * guest (conform_not_alone), as root, and puts both values back before it
 * checks anything.
 */
#include <grp.h>
#include <sys/wait.h>

#include <liburing.h>

#include "conform_uring.h"

#define DISABLED_PATH "/proc/sys/kernel/io_uring_disabled"
#define GROUP_PATH "/proc/sys/kernel/io_uring_group"

/* An id no account of the guest has: the unprivileged child's uid and gid. */
enum { NOBODY = 65534, URING_GID = 4242 };

struct saved {
	long disabled;
	long group;
};

static const char *sysctl_missing(void)
{
	const char *why = conform_not_alone("kernel.io_uring_disabled");

	if (why)
		return why;
	why = conform_not_root();
	if (why)
		return why;
	if (access(DISABLED_PATH, F_OK) != 0)
		return "no " DISABLED_PATH " (kernel.io_uring_disabled, Linux 6.6)";
	return conform_uring_unavailable();
}

#define REQUIRE_SYSCTL() CONFORM_REQUIRE(sysctl_missing())

/* Write value to the sysctl at path; 0 or the errno of the write. */
static int write_sysctl(const char *path, long value)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int len, err = 0;

	if (fd < 0)
		return errno;
	len = snprintf(buf, sizeof(buf), "%ld\n", value);
	if (write(fd, buf, (size_t)len) != len)
		err = errno;
	close(fd);
	return err;
}

static void save(struct saved *s)
{
	s->disabled = conform_read_sysctl(DISABLED_PATH);
	s->group = conform_read_sysctl(GROUP_PATH);
}

static void restore(const struct saved *s)
{
	write_sysctl(DISABLED_PATH, s->disabled);
	write_sysctl(GROUP_PATH, s->group);
}

/* io_uring_setup(2) of a 4-entry ring: 0 (and the ring closed) or errno. */
static int try_setup(void)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = conform_sys_io_uring_setup(4, &p);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * In a child that drops to uid NOBODY with gid gid and no supplementary
 * groups (so without CAP_SYS_ADMIN), try io_uring_setup: 0 or its errno;
 * 255 when the child could not drop its ids.
 */
static int try_setup_as(gid_t gid)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(gid) || setuid(NOBODY))
			_exit(255);
		_exit(try_setup());
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * kernel.rst: io_uring_disabled 2: "io_uring_setup() will always fail
 * with -EPERM", root included (since 6.6).
 */
TEST(disabled_2_refuses_setup_with_eperm_even_for_root)
{
	struct saved s;
	int err;

	CONFORM_DECLARE("6.6", "kernel.io_uring_disabled",
			"Documentation/admin-guide/sysctl/kernel.rst io_uring_disabled");
	REQUIRE_SYSCTL();
	save(&s);
	err = write_sysctl(DISABLED_PATH, 2);
	if (!err)
		err = try_setup();
	restore(&s);
	EXPECT_EQ(EPERM, err);
	EXPECT_EQ(0, try_setup());
}

/*
 * kernel.rst: with creation disabled, "existing io_uring instances can
 * still be used": a ring made before the sysctl went to 2 runs a NOP
 * (since 6.6).
 */
TEST(disabled_2_leaves_existing_ring_working)
{
	struct io_uring ring;
	struct saved s;
	int err, res = 1;

	CONFORM_DECLARE("6.6", "kernel.io_uring_disabled",
			"Documentation/admin-guide/sysctl/kernel.rst io_uring_disabled");
	REQUIRE_SYSCTL();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	save(&s);
	err = write_sysctl(DISABLED_PATH, 2);
	if (!err)
		res = uring_run_nop(&ring, 0);
	restore(&s);
	EXPECT_EQ(0, err);
	EXPECT_EQ(0, res);
	io_uring_queue_exit(&ring);
}

/*
 * kernel.rst: io_uring_disabled 1: creation "is disabled for unprivileged
 * processes not in the io_uring_group group": root (CAP_SYS_ADMIN) still
 * creates rings (since 6.6).
 */
TEST(disabled_1_allows_cap_sys_admin)
{
	struct saved s;
	int err;

	CONFORM_DECLARE("6.6", "kernel.io_uring_disabled",
			"Documentation/admin-guide/sysctl/kernel.rst io_uring_disabled");
	REQUIRE_SYSCTL();
	save(&s);
	err = write_sysctl(DISABLED_PATH, 1);
	if (!err)
		err = write_sysctl(GROUP_PATH, -1);
	if (!err)
		err = try_setup();
	restore(&s);
	EXPECT_EQ(0, err);
}

/*
 * kernel.rst: io_uring_disabled 1 with io_uring_group -1 (no group): an
 * unprivileged process gets EPERM from io_uring_setup (since 6.6).
 */
TEST(disabled_1_refuses_unprivileged_with_eperm)
{
	struct saved s;
	int err, child = -2;

	CONFORM_DECLARE("6.6", "kernel.io_uring_disabled",
			"Documentation/admin-guide/sysctl/kernel.rst io_uring_disabled");
	REQUIRE_SYSCTL();
	save(&s);
	err = write_sysctl(DISABLED_PATH, 1);
	if (!err)
		err = write_sysctl(GROUP_PATH, -1);
	if (!err)
		child = try_setup_as(NOBODY);
	restore(&s);
	ASSERT_EQ(0, err);
	ASSERT_NE(255, child) TH_LOG("the child could not drop to uid %d", NOBODY);
	EXPECT_EQ(EPERM, child);
	/* With the sysctl back at 0 the same child may create rings. */
	if (s.disabled == 0)
		EXPECT_EQ(0, try_setup_as(NOBODY));
}

/*
 * kernel.rst io_uring_group: with io_uring_disabled 1, "a process must
 * either be privileged (CAP_SYS_ADMIN) or be in the io_uring_group group
 * in order to create an io_uring instance": an unprivileged process whose
 * group is io_uring_group creates one (since 6.6).
 */
TEST(disabled_1_allows_member_of_io_uring_group)
{
	struct saved s;
	int err, child = -2;

	CONFORM_DECLARE("6.6", "kernel.io_uring_group",
			"Documentation/admin-guide/sysctl/kernel.rst io_uring_group");
	REQUIRE_SYSCTL();
	save(&s);
	err = write_sysctl(DISABLED_PATH, 1);
	if (!err)
		err = write_sysctl(GROUP_PATH, URING_GID);
	if (!err)
		child = try_setup_as(URING_GID);
	restore(&s);
	ASSERT_EQ(0, err);
	ASSERT_NE(255, child) TH_LOG("the child could not drop to uid %d", NOBODY);
	EXPECT_EQ(0, child);
}

/*
 * kernel.rst: io_uring_disabled takes 0, 1 or 2 (proc_dointvec_minmax):
 * writing 3 fails with EINVAL and leaves the value as it was (since 6.6).
 */
TEST(value_outside_0_to_2_gets_einval)
{
	struct saved s;
	long after;
	int err;

	CONFORM_DECLARE("6.6", "kernel.io_uring_disabled",
			"Documentation/admin-guide/sysctl/kernel.rst io_uring_disabled");
	REQUIRE_SYSCTL();
	save(&s);
	err = write_sysctl(DISABLED_PATH, 3);
	after = conform_read_sysctl(DISABLED_PATH);
	restore(&s);
	EXPECT_EQ(EINVAL, err);
	EXPECT_EQ(s.disabled, after);
}

TEST_HARNESS_MAIN
