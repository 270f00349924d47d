// SPDX-License-Identifier: MIT
/*
 * epoll/kcmp-tfd: kcmp(2) KCMP_EPOLL_TFD (4.13, commit 0791e3644e5e "kcmp:
 * add KCMP_EPOLL_TFD mode to compare epoll target files"), which tells
 * whether an fd of one process is the file registered in an epoll
 * instance under a target number, for checkpoint/restore: the file behind
 * an fd is not known from the number once the number was closed or reused
 * (epoll(7) Q&A). struct kcmp_epoll_slot names the instance (efd), the
 * target number (tfd) and which of the entries with that number (toff,
 * counted from 0).
 * Covered: 0 for the registered file (and for a dup of it: one open file
 * description); for another file the same ordering KCMP_FILE gives;
 * toff picking among entries that share a number; ENOENT for a number not
 * registered, a deleted entry, or toff past the last; EINVAL for an efd
 * that is not an epoll instance; EBADF for idx1 or efd not open; EFAULT
 * for an unreadable slot.
 * Both processes are this one (kcmp needs PTRACE_MODE_READ access, which a
 * process has to itself). A kernel without kcmp (CONFIG_KCMP, before 5.12
 * CONFIG_CHECKPOINT_RESTORE) gives ENOSYS: the tests skip.
 * Sources: kcmp(2) (KCMP_EPOLL_TFD, RETURN VALUE, ERRORS), <linux/kcmp.h>
 * struct kcmp_epoll_slot, kernel/kcmp.c kcmp_epoll_target(),
 * fs/eventpoll.c get_epoll_tfile_raw_ptr() (EINVAL, ENOENT).
 */
#include <sys/epoll.h>
#include <linux/kcmp.h>

#include "conform_epoll.h"

static long sys_kcmp(int type, unsigned long idx1, unsigned long idx2)
{
	return syscall(SYS_kcmp, getpid(), getpid(), type, idx1, idx2);
}

/* kcmp(KCMP_EPOLL_TFD) of fd against entry (tfd, toff) of epoll fd ep. */
static long kcmp_tfd(int fd, int ep, int tfd, unsigned int toff)
{
	struct kcmp_epoll_slot slot = { .efd = ep, .tfd = tfd, .toff = toff };

	return sys_kcmp(KCMP_EPOLL_TFD, fd, (unsigned long)&slot);
}

/*
 * NULL when KCMP_EPOLL_TFD can be used here; else why not. A pipe's read
 * end registered in an instance is compared with itself: ENOSYS means no
 * kcmp in this kernel's configuration, EPERM a refusal here (seccomp, an
 * LSM), EINVAL a kernel before 4.13 (an unknown type), EOPNOTSUPP a kernel
 * without CONFIG_EPOLL.
 */
static const char *kcmp_tfd_missing(void)
{
	static char why[160];
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], err;
	long r;

	if (ep < 0 || conform_pipe(p) < 0) {
		if (ep >= 0)
			close(ep);
		return CONFORM_ENV "cannot make an epoll fd and a pipe for the kcmp probe";
	}
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	r = kcmp_tfd(p[0], ep, p[0], 0);
	err = errno;
	close(p[0]);
	close(p[1]);
	close(ep);
	if (r >= 0)
		return NULL;
	switch (err) {
	case ENOSYS:
		return CONFORM_ENV "kcmp: ENOSYS (kernel without CONFIG_KCMP / CONFIG_CHECKPOINT_RESTORE, or a seccomp filter)";
	case EPERM:
		return CONFORM_ENV "kcmp: EPERM (refused here: seccomp or an LSM)";
	case EINVAL:
		return "kcmp: KCMP_EPOLL_TFD gets EINVAL (unknown type: added in 4.13)";
	default:
		snprintf(why, sizeof(why), "kcmp KCMP_EPOLL_TFD probe: %s",
			 strerror(err));
		return why;
	}
}

/*
 * kcmp(2) KCMP_EPOLL_TFD: checks whether fd idx1 "is present in the
 * epoll(7) instance described by idx2"; RETURN VALUE 0: the two are the
 * same resource. A pipe's read end registered under its number compares
 * equal (0) with itself and with a dup(2) of it, which shares the open
 * file description (since 4.13).
 */
TEST(registered_file_and_its_dup_compare_equal)
{
	int ep, p[2], d;

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD",
			"kcmp(2) KCMP_EPOLL_TFD (since 4.13); RETURN VALUE 0");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_LE(0, d = dup(p[0]));
	EXPECT_EQ(0, kcmp_tfd(p[0], ep, p[0], 0));
	EXPECT_EQ(0, kcmp_tfd(d, ep, p[0], 0));
	close(d);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * kcmp(2) RETURN VALUE: the result is the ordering of the kernel pointers
 * (1 less, 2 greater), "suitable for sorting". KCMP_EPOLL_TFD compares the
 * registered file as KCMP_FILE compares two fds (kernel/kcmp.c): for the
 * pipe's write end against the registered read end it is 1 or 2, and what
 * KCMP_FILE gives for the same two files (since 4.13).
 */
TEST(other_file_orders_as_kcmp_file_does)
{
	long tfd_ret, file_ret;
	int ep, p[2];

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD",
			"kcmp(2) KCMP_EPOLL_TFD; RETURN VALUE ordering 1 or 2");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	tfd_ret = kcmp_tfd(p[1], ep, p[0], 0);
	file_ret = sys_kcmp(KCMP_FILE, p[1], p[0]);
	EXPECT_TRUE(tfd_ret == 1 || tfd_ret == 2);
	EXPECT_EQ(file_ret, tfd_ret);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * kcmp(2): toff is the "target file offset counted from zero": several
 * targets may be registered under one number. A pipe's read end is
 * registered, its number closed while a dup keeps the entry (epoll(7)
 * Q&A), and another pipe's read end dup2()ed onto the number and
 * registered. Offsets 0 and 1 name the two files, one each; offset 2 gets
 * ENOENT, "The target file is not present" (since 4.13).
 */
TEST(toff_picks_among_entries_sharing_a_number)
{
	int ep, p[2], q[2], keep, num;
	long a0, a1, b0, b1;

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD",
			"kcmp(2) KCMP_EPOLL_TFD toff; ENOENT");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_EQ(0, conform_pipe(q));
	num = p[0];
	ASSERT_LE(0, keep = dup(num));
	ASSERT_EQ(0, close(num));
	ASSERT_EQ(num, dup2(q[0], num));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, num, EPOLLIN, 2));
	a0 = kcmp_tfd(keep, ep, num, 0);
	a1 = kcmp_tfd(keep, ep, num, 1);
	b0 = kcmp_tfd(q[0], ep, num, 0);
	b1 = kcmp_tfd(q[0], ep, num, 1);
	EXPECT_TRUE((a0 == 0 && b1 == 0 && a1 > 0 && b0 > 0) ||
		    (a1 == 0 && b0 == 0 && a0 > 0 && b1 > 0))
		TH_LOG("a0 %ld a1 %ld b0 %ld b1 %ld", a0, a1, b0, b1);
	errno = 0;
	EXPECT_EQ(-1, kcmp_tfd(keep, ep, num, 2));
	EXPECT_EQ(ENOENT, errno);
	close(num);
	close(keep);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(ep);
}

/*
 * kcmp(2) ERRORS: "ENOENT The target file is not present in epoll(7)
 * instance": a number never registered, and one whose entry was removed by
 * EPOLL_CTL_DEL (since 4.13).
 */
TEST(unregistered_or_deleted_target_gets_enoent)
{
	int ep, p[2];

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD", "kcmp(2) ERRORS ENOENT");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	errno = 0;
	EXPECT_EQ(-1, kcmp_tfd(p[1], ep, p[1], 0));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	errno = 0;
	EXPECT_EQ(-1, kcmp_tfd(p[0], ep, p[0], 0));
	EXPECT_EQ(ENOENT, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * kcmp(2): efd "is an epoll file descriptor returned from epoll_create(2)";
 * an efd that is open but not an epoll instance (a pipe) gets EINVAL
 * (fs/eventpoll.c get_epoll_tfile_raw_ptr(); kcmp(2) ERRORS name EINVAL
 * only for an invalid type) (since 4.13).
 */
TEST(efd_not_an_epoll_instance_gets_einval)
{
	int ep, p[2];

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD",
			"kcmp(2) KCMP_EPOLL_TFD efd; fs/eventpoll.c "
			"get_epoll_tfile_raw_ptr() EINVAL");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	errno = 0;
	EXPECT_EQ(-1, kcmp_tfd(p[0], p[1], p[0], 0));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * kernel/kcmp.c kcmp_epoll_target(): EBADF when idx1 is not an open fd of
 * pid1, or efd not an open fd of pid2 (kcmp(2) ERRORS give EBADF for
 * KCMP_FILE's fds; the same holds here) (since 4.13).
 */
TEST(idx1_or_efd_not_open_gets_ebadf)
{
	int ep, p[2], bad = conform_bad_fd();

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD",
			"kcmp(2) ERRORS EBADF; kernel/kcmp.c "
			"kcmp_epoll_target()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	errno = 0;
	EXPECT_EQ(-1, kcmp_tfd(bad, ep, p[0], 0));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, kcmp_tfd(p[0], bad, p[0], 0));
	EXPECT_EQ(EBADF, errno);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * kcmp(2) ERRORS: "EFAULT The epoll slot addressed by idx2 is outside of
 * the user's address space": a slot in a PROT_NONE page (since 4.13).
 */
TEST(unreadable_slot_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	int ep, p[2];
	void *none;

	CONFORM_DECLARE("4.13", "KCMP_EPOLL_TFD", "kcmp(2) ERRORS EFAULT");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(kcmp_tfd_missing());
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	errno = 0;
	EXPECT_EQ(-1, sys_kcmp(KCMP_EPOLL_TFD, p[0], (unsigned long)none));
	EXPECT_EQ(EFAULT, errno);
	munmap(none, page);
	close(p[0]);
	close(p[1]);
	close(ep);
}

TEST_HARNESS_MAIN
