// SPDX-License-Identifier: MIT
/*
 * aio/ioprio: IOCB_FLAG_IOPRIO, which makes io_submit(2) read aio_reqprio
 * as an I/O priority (class << 13 | level, as ioprio_set(2) takes it),
 * through the raw system calls and <linux/aio_abi.h>: valid priorities are
 * accepted, an invalid class or level is EINVAL, the real-time class needs
 * CAP_SYS_ADMIN (EPERM), and without the flag aio_reqprio is not looked at.
 * Sources: io_submit(2) (IOCB_FLAG_IOPRIO since 4.18; EINVAL "the value in
 * the aio_reqprio field is invalid"; EPERM for IOPRIO_CLASS_RT without
 * CAP_SYS_ADMIN), ioprio_set(2) (the classes and the levels 0..7),
 * block/ioprio.c ioprio_check_cap() (the same check as ioprio_set's; newer
 * kernels, 6.1 among them, also grant the real-time class to CAP_SYS_NICE).
 */
#include <linux/capability.h>

#include "conform_aio.h"

/* ioprio_set(2) values, spelled out: <linux/ioprio.h> is not in every
 * set of installed kernel headers. */
#define PRIO_CLASS_SHIFT 13
#define PRIO_VALUE(class, level) ((__s16)(((class) << PRIO_CLASS_SHIFT) | (level)))
#define PRIO_CLASS_NONE 0
#define PRIO_CLASS_RT 1
#define PRIO_CLASS_BE 2
#define PRIO_CLASS_IDLE 3
#define PRIO_CLASS_UNDEFINED 4 /* no kernel defines class 4 */

/*
 * Read 512 bytes at offset 1024 of fd with the given aio_flags and
 * aio_reqprio through aio_submit_and_reap (alone on a new context, reaping
 * into *ev). Returns io_submit's result; on -1, errno is io_submit's.
 */
static long read_with_prio(struct __test_metadata *_metadata, int fd,
			   void *buf, unsigned int flags, __s16 prio,
			   struct io_event *ev)
{
	struct iocb cb;

	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, 512, 1024, 0);
	cb.aio_flags = flags;
	cb.aio_reqprio = prio;
	return aio_submit_and_reap(_metadata, &cb, ev);
}

/*
 * Clear CAP_SYS_ADMIN and CAP_SYS_NICE from this (test child) process's
 * effective set, which any process may do. 0, or -1 with errno.
 */
static int drop_prio_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data) < 0)
		return -1;
	data[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_NICE / 32].effective &= ~(1u << (CAP_SYS_NICE % 32));
	return (int)syscall(__NR_capset, &hdr, data);
}

/*
 * io_submit(2) IOCB_FLAG_IOPRIO with a best-effort priority at each end of
 * the level range (0 and 7, ioprio_set(2)): the read is accepted and
 * completes with its byte count and data (since 4.18).
 */
TEST(best_effort_priorities_are_accepted)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) IOCB_FLAG_IOPRIO (4.18, commit 'fs: Add aio iopriority support'); ioprio_set(2) levels 0-7");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	for (int level = 0; level <= 7; level += 7) {
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ(1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO,
					    PRIO_VALUE(PRIO_CLASS_BE, level),
					    &ev));
		EXPECT_EQ(512, ev.res);
		EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	}
	close(fd);
}

/*
 * ioprio_set(2): the idle class takes no level, and needs no privilege;
 * with IOCB_FLAG_IOPRIO the read is accepted and completes (since 4.18).
 */
TEST(idle_class_is_accepted)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) IOCB_FLAG_IOPRIO (4.18, commit 'fs: Add aio iopriority support'); ioprio_set(2) IOPRIO_CLASS_IDLE");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, drop_prio_caps());
	ASSERT_EQ(1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO,
				    PRIO_VALUE(PRIO_CLASS_IDLE, 0), &ev));
	EXPECT_EQ(512, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	close(fd);
}

/*
 * io_submit(2) EINVAL: "the value in the aio_reqprio field is invalid";
 * ioprio_set(2) EINVAL for an invalid class. Class 4 exists in no kernel:
 * io_submit fails with EINVAL (since 4.18).
 */
TEST(undefined_class_gets_einval)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EINVAL: aio_reqprio invalid; block/ioprio.c ioprio_check_cap() (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	errno = 0;
	EXPECT_EQ(-1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO,
				     PRIO_VALUE(PRIO_CLASS_UNDEFINED, 0), &ev));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_NONE means "no
 * priority set" and carries no level, so class NONE with level 1 is an
 * invalid aio_reqprio: EINVAL (io_submit(2) EINVAL; since 4.18).
 */
TEST(none_class_with_level_gets_einval)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_NONE with a level is EINVAL; io_submit(2) EINVAL (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	errno = 0;
	EXPECT_EQ(-1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO,
				     PRIO_VALUE(PRIO_CLASS_NONE, 1), &ev));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * io_submit(2) EPERM: "The aio_reqprio field is set with the class
 * IOPRIO_CLASS_RT, but the submitting context does not have the
 * CAP_SYS_ADMIN capability" (since 4.18; newer kernels also accept
 * CAP_SYS_NICE, so both are dropped from the effective set first).
 */
TEST(rt_class_without_capability_gets_eperm)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EPERM: IOPRIO_CLASS_RT without CAP_SYS_ADMIN (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, drop_prio_caps());
	errno = 0;
	EXPECT_EQ(-1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO,
				     PRIO_VALUE(PRIO_CLASS_RT, 4), &ev));
	EXPECT_EQ(EPERM, errno);
	close(fd);
}

/*
 * The same real-time priority with CAP_SYS_ADMIN (root) is accepted, and
 * the read completes with its byte count and data (io_submit(2) EPERM
 * paragraph, converse; since 4.18).
 */
TEST(rt_class_with_cap_sys_admin_is_accepted)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EPERM paragraph, converse: IOPRIO_CLASS_RT with CAP_SYS_ADMIN (4.18)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_ROOT();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO,
				    PRIO_VALUE(PRIO_CLASS_RT, 4), &ev));
	EXPECT_EQ(512, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	close(fd);
}

/*
 * io_submit(2): only IOCB_FLAG_IOPRIO makes the kernel "interpret the
 * aio_reqprio field" (the flag since 4.18): without the flag, an
 * aio_reqprio that would be invalid (class 4) is not looked at and the read
 * completes. Kernels before 4.18 never read aio_reqprio, so this holds
 * since 2.6.
 */
TEST(reqprio_without_flag_is_ignored)
{
	static char buf[512];
	struct io_event ev;
	int fd;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2): aio_reqprio is interpreted only with IOCB_FLAG_IOPRIO (4.18); earlier kernels never read it");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(1, read_with_prio(_metadata, fd, buf, 0,
				    PRIO_VALUE(PRIO_CLASS_UNDEFINED, 0), &ev));
	EXPECT_EQ(512, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	close(fd);
}

TEST_HARNESS_MAIN
