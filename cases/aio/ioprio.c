// SPDX-License-Identifier: MIT
/*
 * aio/ioprio: IOCB_FLAG_IOPRIO (4.18), which makes io_submit(2) read
 * aio_reqprio as an I/O priority (class << 13 | data, as ioprio_set(2)
 * takes it), through the raw system calls and <linux/aio_abi.h>: the
 * best-effort, idle and "none" classes are accepted, classes past
 * IOPRIO_CLASS_IDLE (IOPRIO_CLASS_INVALID among them) and "none" with a
 * level are EINVAL, the real-time class needs CAP_SYS_ADMIN or (5.10)
 * CAP_SYS_NICE (EPERM without), the data bits above the level are a level
 * out of range before 6.5 and I/O hints since (IOPRIO_HINT_*), every
 * read/write opcode checks the priority while IOCB_CMD_FSYNC, FDSYNC and
 * POLL ignore it, and without the flag aio_reqprio is not looked at.
 * Sources: io_submit(2) (IOCB_FLAG_IOPRIO; EINVAL "the value in the
 * aio_reqprio field is invalid"; EPERM for IOPRIO_CLASS_RT without
 * CAP_SYS_ADMIN), ioprio_set(2) (the classes and the levels 0..7),
 * <linux/ioprio.h>, block/ioprio.c ioprio_check_cap() (the one check
 * ioprio_set(2) and IOCB_FLAG_IOPRIO share), fs/aio.c aio_prep_rw() (the
 * only place that reads aio_reqprio), commits "fs: Add aio iopriority
 * support" (4.18), "block: grant IOPRIO_CLASS_RT to CAP_SYS_NICE" (5.10),
 * "scsi: block: ioprio: Clean up interface definition" and "scsi: block:
 * Introduce ioprio hints" (6.5).
 *
 * Where the check changed between kernels the variant is probed with
 * ioprio_set(IOPRIO_WHO_PROCESS, 0, value) on the test child itself (the
 * same ioprio_check_cap()), never with a version; stable kernels got the
 * 6.5 change backported (Debian's 6.1 among them). Capabilities are
 * dropped from the effective set of the test child, which the harness
 * forks for each TEST.
 */
#include <linux/capability.h>
#include <linux/ioprio.h> /* IOPRIO_WHO_PROCESS, IOPRIO_NR_LEVELS */

#include "conform_aio.h"
#include "ref/uapi.h"

/* An aio_reqprio of class, level and hint, laid out as ioprio_value()
 * of <linux/ioprio.h> lays it out. */
static __u16 prio_with_hint(int class, int level, int hint)
{
	return REF_IOPRIO_PRIO_VALUE(class, (hint << REF_IOPRIO_HINT_SHIFT) | level);
}

/*
 * Submit op (a read or write of 512 bytes at offset 1024 of fd, from or
 * into buf) with the given aio_flags and aio_reqprio through
 * aio_submit_and_reap (alone on a new context, reaping into *ev). Returns
 * io_submit's result; on -1, errno is io_submit's.
 */
static long rw_with_prio(struct __test_metadata *_metadata, unsigned int op,
			 int fd, void *buf, unsigned int flags, __u16 prio,
			 struct io_event *ev)
{
	struct iovec iov = { buf, 512 };
	bool vectored = op == IOCB_CMD_PREADV || op == IOCB_CMD_PWRITEV;
	struct iocb cb;

	if (vectored)
		aio_prep_rw(&cb, op, fd, &iov, 1, 1024, 0);
	else
		aio_prep_rw(&cb, op, fd, buf, 512, 1024, 0);
	cb.aio_flags = flags;
	cb.aio_reqprio = (__s16)prio;
	return aio_submit_and_reap(_metadata, &cb, ev);
}

/* rw_with_prio of an IOCB_CMD_PREAD. */
static long read_with_prio(struct __test_metadata *_metadata, int fd,
			   void *buf, unsigned int flags, __u16 prio,
			   struct io_event *ev)
{
	return rw_with_prio(_metadata, IOCB_CMD_PREAD, fd, buf, flags, prio,
			    ev);
}

/*
 * Read with IOCB_FLAG_IOPRIO and prio and expect it accepted: io_submit
 * queues it and it completes with its 512 bytes of the file's data.
 */
static void expect_read_accepted(struct __test_metadata *_metadata, int fd,
				 __u16 prio)
{
	static char buf[512];
	struct io_event ev;

	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO, prio,
				    &ev)) TH_LOG("aio_reqprio 0x%04x", prio);
	EXPECT_EQ(512, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
}

/* Read with IOCB_FLAG_IOPRIO and prio and expect io_submit to fail with
 * err, queueing nothing. */
static void expect_read_refused(struct __test_metadata *_metadata, int fd,
				__u16 prio, int err)
{
	static char buf[512];
	struct io_event ev;

	errno = 0;
	EXPECT_EQ(-1, read_with_prio(_metadata, fd, buf, IOCB_FLAG_IOPRIO, prio,
				     &ev)) TH_LOG("aio_reqprio 0x%04x", prio);
	EXPECT_EQ(err, errno) TH_LOG("aio_reqprio 0x%04x", prio);
}

/* Toggle the capability cap in this (test child) process's effective set;
 * keep the others. 0, or -1 with errno. */
static int set_effective_cap(int cap, bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data) < 0)
		return -1;
	if (on)
		data[cap / 32].effective |= 1u << (cap % 32);
	else
		data[cap / 32].effective &= ~(1u << (cap % 32));
	return (int)syscall(__NR_capset, &hdr, data);
}

/* True when cap is in this process's effective set. */
static bool has_effective_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

/*
 * Clear CAP_SYS_ADMIN and CAP_SYS_NICE from this (test child) process's
 * effective set, which any process may do. 0, or -1 with errno.
 */
static int drop_prio_caps(void)
{
	if (set_effective_cap(CAP_SYS_ADMIN, false) < 0)
		return -1;
	return set_effective_cap(CAP_SYS_NICE, false);
}

/*
 * What this kernel's ioprio_check_cap() says of prio, asked through
 * ioprio_set(2) for the calling process (the test child, whose own I/O
 * priority changes when it is accepted): 0 when accepted, else the errno.
 */
static int ioprio_set_verdict(__u16 prio)
{
	if (syscall(__NR_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)prio) == 0)
		return 0;
	return errno;
}

/*
 * io_submit(2) IOCB_FLAG_IOPRIO with a best-effort priority at each end of
 * the level range (0 and 7, ioprio_set(2)): the read is accepted and
 * completes with its byte count and data (since 4.18).
 */
TEST(best_effort_priorities_are_accepted)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) IOCB_FLAG_IOPRIO (4.18, commit 'fs: Add aio iopriority support'); ioprio_set(2) levels 0-7");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	for (int level = 0; level <= 7; level += 7)
		expect_read_accepted(_metadata, fd,
				     REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_BE, level));
	close(fd);
}

/*
 * ioprio_set(2): the idle class takes no level, and needs no privilege;
 * with IOCB_FLAG_IOPRIO the read is accepted and completes, with
 * CAP_SYS_ADMIN and CAP_SYS_NICE dropped (since 4.18).
 */
TEST(idle_class_is_accepted)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) IOCB_FLAG_IOPRIO (4.18, commit 'fs: Add aio iopriority support'); ioprio_set(2) IOPRIO_CLASS_IDLE");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, drop_prio_caps());
	expect_read_accepted(_metadata, fd,
			     REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_IDLE, 0));
	close(fd);
}

/*
 * block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_NONE with level 0 (an
 * aio_reqprio of 0) means "no priority set" and is valid: with
 * IOCB_FLAG_IOPRIO the read is accepted and completes (since 4.18).
 */
TEST(none_class_without_level_is_accepted)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_NONE with level 0 is valid; io_submit(2) IOCB_FLAG_IOPRIO (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	expect_read_accepted(_metadata, fd,
			     REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_NONE, 0));
	close(fd);
}

/*
 * io_submit(2) EINVAL: "the value in the aio_reqprio field is invalid";
 * ioprio_set(2) EINVAL for an invalid class. Class 4 exists in no kernel:
 * io_submit fails with EINVAL (since 4.18).
 */
TEST(undefined_class_gets_einval)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EINVAL: aio_reqprio invalid; block/ioprio.c ioprio_check_cap() (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	expect_read_refused(_metadata, fd, REF_IOPRIO_PRIO_VALUE(4, 0), EINVAL);
	close(fd);
}

/*
 * io_submit(2) EINVAL for an invalid aio_reqprio: every class past
 * IOPRIO_CLASS_IDLE is refused by ioprio_check_cap(), 5 and 6 (no kernel
 * defines them) and 7, which <linux/ioprio.h> names IOPRIO_CLASS_INVALID
 * since 6.5 and which no kernel ever accepted; so is an aio_reqprio of -1
 * (all 16 bits set: class 7). Since 4.18.
 */
TEST(classes_past_idle_up_to_invalid_get_einval)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EINVAL: aio_reqprio invalid; block/ioprio.c ioprio_check_cap() default and IOPRIO_CLASS_INVALID cases (4.18; the name since 6.5)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	expect_read_refused(_metadata, fd, REF_IOPRIO_PRIO_VALUE(5, 0), EINVAL);
	expect_read_refused(_metadata, fd, REF_IOPRIO_PRIO_VALUE(6, 3), EINVAL);
	expect_read_refused(_metadata, fd,
			    REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_INVALID, 0),
			    EINVAL);
	expect_read_refused(_metadata, fd, (__u16)-1, EINVAL);
	close(fd);
}

/*
 * block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_NONE means "no
 * priority set" and carries no level, so class NONE with level 1 is an
 * invalid aio_reqprio: EINVAL (io_submit(2) EINVAL; since 4.18).
 */
TEST(none_class_with_level_gets_einval)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_NONE with a level is EINVAL; io_submit(2) EINVAL (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	expect_read_refused(_metadata, fd,
			    REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_NONE, 1), EINVAL);
	close(fd);
}

/*
 * ioprio_set(2) takes levels 0..7 (IOPRIO_NR_LEVELS of them); what the
 * data bits above the level mean changed:
 *   4.18 to 6.4: the whole 13-bit data is the level, so best-effort data 8
 *     is a level out of range: io_submit fails with EINVAL;
 *   since 6.5 ("scsi: block: ioprio: Clean up interface definition",
 *     "scsi: block: Introduce ioprio hints"): only bits 0-2 are the level
 *     and bits 3-12 an I/O hint, so data 8 is level 0 with hint 1, which
 *     ioprio_check_cap() does not check: the read is accepted and
 *     completes. Stable kernels have this backported (Debian's 6.1).
 * The variant is probed with ioprio_set(2), which runs the same
 * ioprio_check_cap(), then asserted exactly for io_submit.
 */
TEST(best_effort_data_past_the_level_bits_is_checked_as_by_ioprio_set)
{
	const __u16 prio = REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_BE,
						 IOPRIO_NR_LEVELS);
	int fd, verdict;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EINVAL: aio_reqprio invalid; ioprio_set(2) levels 0-7; block/ioprio.c ioprio_check_cap() (4.18); commits 'scsi: block: ioprio: Clean up interface definition', 'scsi: block: Introduce ioprio hints' (6.5)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	verdict = ioprio_set_verdict(prio);
	ASSERT_TRUE(verdict == 0 || verdict == EINVAL)
		TH_LOG("ioprio_set(IOPRIO_CLASS_BE, data 8): %s", strerror(verdict));
	TH_LOG("this kernel reads best-effort data 8 as %s",
	       verdict ? "a level out of range (EINVAL)" : "level 0 with hint 1");
	if (verdict)
		expect_read_refused(_metadata, fd, prio, EINVAL);
	else
		expect_read_accepted(_metadata, fd, prio);
	close(fd);
}

/*
 * <linux/ioprio.h> (6.5, "scsi: block: Introduce ioprio hints"): bits
 * 3-12 of an I/O priority are a hint, IOPRIO_HINT_DEV_DURATION_LIMIT_1 to
 * _7 the command duration limits of ATA and SCSI devices, with no effect
 * on other devices; ioprio_check_cap() checks the class and level only.
 * With IOCB_FLAG_IOPRIO a read carrying hint 1 or 7 with best-effort level
 * 7 or the idle class is accepted and completes on a file. Kernels
 * without hints are probed with ioprio_set(2) and skipped.
 */
TEST(duration_limit_hints_are_accepted)
{
	const __u16 prios[] = {
		prio_with_hint(REF_IOPRIO_CLASS_BE, 7,
			       REF_IOPRIO_HINT_DEV_DURATION_LIMIT_1),
		prio_with_hint(REF_IOPRIO_CLASS_BE, 7,
			       REF_IOPRIO_HINT_DEV_DURATION_LIMIT_7),
		prio_with_hint(REF_IOPRIO_CLASS_IDLE, 0,
			       REF_IOPRIO_HINT_DEV_DURATION_LIMIT_7),
	};
	int fd, verdict;

	CONFORM_DECLARE("6.5", "IOPRIO_HINT_DEV_DURATION_LIMIT_1",
			"<linux/ioprio.h> I/O hints, IOPRIO_HINT_DEV_DURATION_LIMIT_1-7; commit 'scsi: block: Introduce ioprio hints' (6.5); io_submit(2) IOCB_FLAG_IOPRIO");
	CONFORM_REQUIRE_AIO();
	verdict = ioprio_set_verdict(prios[0]);
	if (verdict)
		SKIP(return, "ioprio_set(IOPRIO_CLASS_BE, level 7, hint IOPRIO_HINT_DEV_DURATION_LIMIT_1): %s: no I/O priority hints",
		     strerror(verdict));
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	for (size_t i = 0; i < sizeof(prios) / sizeof(prios[0]); i++)
		expect_read_accepted(_metadata, fd, prios[i]);
	close(fd);
}

/*
 * io_submit(2) EPERM: "The aio_reqprio field is set with the class
 * IOPRIO_CLASS_RT, but the submitting context does not have the
 * CAP_SYS_ADMIN capability" (since 4.18; since 5.10 CAP_SYS_NICE also
 * grants it, so both are dropped from the effective set first).
 */
TEST(rt_class_without_capability_gets_eperm)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EPERM: IOPRIO_CLASS_RT without CAP_SYS_ADMIN (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, drop_prio_caps());
	expect_read_refused(_metadata, fd,
			    REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_RT, 4), EPERM);
	close(fd);
}

/*
 * The same real-time priority with CAP_SYS_ADMIN (root) is accepted, and
 * the read completes with its byte count and data (io_submit(2) EPERM
 * paragraph, converse; since 4.18).
 */
TEST(rt_class_with_cap_sys_admin_is_accepted)
{
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EPERM paragraph, converse: IOPRIO_CLASS_RT with CAP_SYS_ADMIN (4.18)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_ROOT();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	expect_read_accepted(_metadata, fd,
			     REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_RT, 4));
	close(fd);
}

/*
 * block/ioprio.c ioprio_check_cap() since 5.10 ("block: grant
 * IOPRIO_CLASS_RT to CAP_SYS_NICE"): CAP_SYS_NICE alone also allows the
 * real-time class. With CAP_SYS_ADMIN dropped from the effective set and
 * CAP_SYS_NICE kept, a real-time read is accepted and completes.
 * io_submit(2) and ioprio_set(2) still name CAP_SYS_ADMIN only.
 */
TEST(rt_class_with_only_cap_sys_nice_is_accepted)
{
	int fd;

	CONFORM_DECLARE("5.10", "IOCB_FLAG_IOPRIO",
			"block/ioprio.c ioprio_check_cap(): IOPRIO_CLASS_RT with CAP_SYS_NICE; commit 'block: grant IOPRIO_CLASS_RT to CAP_SYS_NICE' (5.10)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_ROOT();
	if (!has_effective_cap(CAP_SYS_NICE))
		SKIP(return, CONFORM_ENV "CAP_SYS_NICE is not in the effective set of root here");
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, set_effective_cap(CAP_SYS_ADMIN, false));
	ASSERT_FALSE(has_effective_cap(CAP_SYS_ADMIN));
	expect_read_accepted(_metadata, fd,
			     REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_RT, 0));
	close(fd);
}

/*
 * fs/aio.c aio_prep_rw() checks the priority for every read and write
 * opcode: with IOCB_FLAG_IOPRIO, IOCB_CMD_PWRITE and IOCB_CMD_PREADV
 * with class 4 get EINVAL, IOCB_CMD_PWRITEV with the real-time class and
 * no capability EPERM, as IOCB_CMD_PREAD does (io_submit(2) EINVAL and
 * EPERM; since 4.18). Nothing is written.
 */
TEST(write_and_vectored_opcodes_check_the_priority_too)
{
	static char buf[512];
	struct io_event ev;
	struct stat st;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"io_submit(2) EINVAL and EPERM for aio_reqprio; fs/aio.c aio_prep_rw() for IOCB_CMD_PREAD/PWRITE/PREADV/PWRITEV (4.18)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(0, 0));
	memset(buf, 0x5a, sizeof(buf));
	errno = 0;
	EXPECT_EQ(-1, rw_with_prio(_metadata, IOCB_CMD_PWRITE, fd, buf,
				   IOCB_FLAG_IOPRIO,
				   REF_IOPRIO_PRIO_VALUE(4, 0), &ev));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, rw_with_prio(_metadata, IOCB_CMD_PREADV, fd, buf,
				   IOCB_FLAG_IOPRIO,
				   REF_IOPRIO_PRIO_VALUE(4, 0), &ev));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, drop_prio_caps());
	errno = 0;
	EXPECT_EQ(-1, rw_with_prio(_metadata, IOCB_CMD_PWRITEV, fd, buf,
				   IOCB_FLAG_IOPRIO,
				   REF_IOPRIO_PRIO_VALUE(REF_IOPRIO_CLASS_RT, 0),
				   &ev));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * fs/aio.c reads aio_reqprio in aio_prep_rw() only, which IOCB_CMD_FSYNC
 * and IOCB_CMD_FDSYNC do not use: with IOCB_FLAG_IOPRIO and an invalid
 * class (4) both syncs are accepted and complete with res 0 (io_submit(2)
 * IOCB_FLAG_IOPRIO; since 4.18).
 */
TEST(fsync_and_fdsync_ignore_the_priority)
{
	const unsigned int ops[2] = { IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC };
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("4.18", "IOCB_FLAG_IOPRIO",
			"fs/aio.c: aio_reqprio is read by aio_prep_rw() only, not by aio_fsync() (4.18, commit 'fs: Add aio iopriority support')");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	for (int i = 0; i < 2; i++) {
		memset(&cb, 0, sizeof(cb));
		cb.aio_lio_opcode = ops[i];
		cb.aio_fildes = fd;
		cb.aio_flags = IOCB_FLAG_IOPRIO;
		cb.aio_reqprio = (__s16)REF_IOPRIO_PRIO_VALUE(4, 0);
		ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev))
			TH_LOG("opcode %u", ops[i]);
		EXPECT_EQ(0, ev.res) TH_LOG("opcode %u", ops[i]);
	}
	close(fd);
}

/*
 * fs/aio.c aio_poll() does not read aio_reqprio either: an IOCB_CMD_POLL
 * for POLLIN with IOCB_FLAG_IOPRIO and an invalid class (4) is accepted
 * and completes with POLLIN for a pipe that holds a byte (io_submit(2)
 * IOCB_FLAG_IOPRIO; IOCB_CMD_POLL since 4.19).
 */
TEST(poll_ignores_the_priority)
{
	struct io_event ev;
	struct iocb cb;
	int p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c: aio_reqprio is read by aio_prep_rw() only, not by aio_poll(); IOCB_CMD_POLL (4.19)");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_flags = IOCB_FLAG_IOPRIO;
	cb.aio_reqprio = (__s16)REF_IOPRIO_PRIO_VALUE(4, 0);
	ASSERT_EQ(1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	close(p[0]);
	close(p[1]);
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
				    REF_IOPRIO_PRIO_VALUE(4, 0), &ev));
	EXPECT_EQ(512, ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	close(fd);
}

TEST_HARNESS_MAIN
