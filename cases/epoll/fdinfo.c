// SPDX-License-Identifier: MIT
/*
 * epoll/fdinfo: /proc/self/fdinfo/<epfd> of an epoll instance (proc(5),
 * proc_pid_fdinfo(5)). After the common "pos:" and "flags:" lines (2.6.22)
 * the epoll fd has one "tfd:" line per entry of its interest list (3.8,
 * commit 138d22b58696 "fs, epoll: add procfs fdinfo helper"):
 *   tfd: <fd> events: <hex mask> data: <hex data>  pos:<dec> ino:<hex>
 *   sdev:<hex>
 * where pos, ino and sdev - the target file's offset, inode number and
 * device - came in 4.13 (commit 77493f04b74c "procfs: fdinfo: extend
 * information about epoll target files", for checkpoint/restore to tell
 * apart targets that share an fd number). Each TEST probes the fields it
 * needs before asserting them: a kernel without them skips.
 * Covered: no line for an empty instance and one per entry; events and data
 * as registered (plus EPOLLERR | EPOLLHUP, which the kernel adds); MOD
 * rewriting the line and DEL removing it; the flags line (O_RDWR, and
 * O_CLOEXEC from EPOLL_CLOEXEC); the epoll fd's own pos, 0; a target's
 * pos, ino and sdev; two entries with one fd
 * number told apart by ino.
 * (The mask of a disabled one-shot entry is in epoll/oneshot-rearm, the
 * EPOLLWAKEUP bit in epoll/wakeup, a closed fd's line lasting until its
 * last duplicate closes in epoll/dup-close.)
 * A test skips, saying so, where /proc is not mounted.
 * Sources: proc(5) / proc_pid_fdinfo(5) (epoll fds, since 3.8; flags and
 * O_CLOEXEC), epoll_create(2) EPOLL_CLOEXEC (2.6.27), epoll_ctl(2),
 * fs/eventpoll.c ep_show_fdinfo(), fs/proc/fd.c seq_show(), the commits
 * above.
 */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/sysmacros.h>

#include "conform_epoll.h"

/* One "tfd:" line of an epoll fd's fdinfo. */
struct tfd_line {
	int fd;
	unsigned int events;
	unsigned long long data;
	bool has_target;	/* pos:, ino: and sdev: present (4.13) */
	long long pos;
	unsigned long long ino;
	unsigned int sdev;
};

/* What /proc/self/fdinfo/<ep> holds, parsed. */
struct fdinfo {
	long long pos;		/* the "pos:" line, -1 if missing */
	long flags;		/* the "flags:" line (octal), -1 if missing */
	int n;			/* tfd lines */
	struct tfd_line tfd[8];
};

/* Read and parse /proc/self/fdinfo/<ep> into *fi: 0, or -1 when the file
 * cannot be opened (no /proc). */
static int read_fdinfo(int ep, struct fdinfo *fi)
{
	char path[64], line[512];
	FILE *f;

	memset(fi, 0, sizeof(*fi));
	fi->pos = -1;
	fi->flags = -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct tfd_line t = { 0 };
		long long pos;
		long flags;

		if (sscanf(line, "pos: %lld", &pos) == 1) {
			fi->pos = pos;
		} else if (sscanf(line, "flags: %lo", &flags) == 1) {
			fi->flags = flags;
		} else if (sscanf(line, "tfd: %d events: %x data: %llx",
				  &t.fd, &t.events, &t.data) == 3) {
			t.has_target = sscanf(strstr(line, "data:"),
					      "data: %*x pos:%lld ino:%llx sdev:%x",
					      &t.pos, &t.ino, &t.sdev) == 3;
			if (fi->n < (int)(sizeof(fi->tfd) / sizeof(fi->tfd[0])))
				fi->tfd[fi->n] = t;
			fi->n++;
		}
	}
	fclose(f);
	return 0;
}

/* The tfd line for fd in fi, or NULL. */
static const struct tfd_line *tfd_of(const struct fdinfo *fi, int fd)
{
	for (int i = 0; i < fi->n && i < 8; i++)
		if (fi->tfd[i].fd == fd)
			return &fi->tfd[i];
	return NULL;
}

/*
 * NULL when the fdinfo of an epoll fd lists its entries (with pos, ino and
 * sdev too when target is set); else why not. The probe registers a pipe
 * and looks for its line.
 */
static const char *fdinfo_missing(bool target)
{
	struct epoll_event ev = { .events = EPOLLIN };
	const struct tfd_line *t;
	struct fdinfo fi;
	int ep, p[2], r;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || conform_pipe(p) < 0) {
		if (ep >= 0)
			close(ep);
		return CONFORM_ENV "cannot make an epoll fd and a pipe for the fdinfo probe";
	}
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	r = read_fdinfo(ep, &fi);
	t = tfd_of(&fi, p[0]);
	close(p[0]);
	close(p[1]);
	close(ep);
	if (r < 0)
		return CONFORM_ENV "/proc/self/fdinfo/<epfd> cannot be opened (no /proc)";
	if (!t)
		return "/proc/self/fdinfo/<epfd> has no tfd: line for an entry (added in 3.8)";
	if (target && !t->has_target)
		return "tfd: line without pos:/ino:/sdev: (added in 4.13)";
	return NULL;
}

/*
 * proc_pid_fdinfo(5), epoll: each line beginning tfd: describes one of the
 * file descriptors the instance monitors (tfd: its number). A new instance has no tfd line;
 * with three pipes' read ends registered it has three, one per fd
 * (since 3.8).
 */
TEST(one_tfd_line_per_entry_and_none_when_empty)
{
	struct fdinfo fi;
	int ep, p[3][2];

	CONFORM_DECLARE("3.8", "epoll_ctl",
			"proc_pid_fdinfo(5) epoll: one tfd line per fd in the "
			"interest list (3.8)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	EXPECT_EQ(0, fi.n);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, conform_pipe(p[i]));
		ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[i][0], EPOLLIN,
					   i));
	}
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	EXPECT_EQ(3, fi.n);
	for (int i = 0; i < 3; i++)
		EXPECT_NE(NULL, tfd_of(&fi, p[i][0]));
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	close(ep);
}

/*
 * proc_pid_fdinfo(5), epoll: events is the (hexadecimal) mask of the events
 * monitored for the fd, data the data value associated with it. An entry added with EPOLLIN |
 * EPOLLRDHUP | EPOLLET and the 64-bit data 0xfedcba9876543210 shows those
 * bits, the input flag EPOLLET among them, plus EPOLLERR | EPOLLHUP, which
 * epoll_ctl(2) always waits for, and all 64 bits of data (since 3.8).
 */
TEST(events_and_data_are_shown_as_registered)
{
	const __u64 tag = 0xfedcba9876543210ULL;
	const struct tfd_line *t;
	struct fdinfo fi;
	int ep, s[2];

	CONFORM_DECLARE("3.8", "epoll_ctl",
			"proc_pid_fdinfo(5) epoll: events and data in hex "
			"(3.8); epoll_ctl(2) EPOLLERR, EPOLLHUP always waited for");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0],
				   EPOLLIN | EPOLLRDHUP | EPOLLET, tag));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_NE(NULL, t = tfd_of(&fi, s[0]));
	EXPECT_EQ(EPOLLIN | EPOLLRDHUP | EPOLLET | EPOLLERR | EPOLLHUP,
		  t->events);
	EXPECT_EQ(tag, t->data);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLL_CTL_MOD changes the settings of the entry; its fdinfo
 * line shows the new events and data (the line of another entry is left
 * alone) (since 3.8).
 */
TEST(mod_rewrites_the_line)
{
	const struct tfd_line *t;
	struct fdinfo fi;
	int ep, s[2];

	CONFORM_DECLARE("3.8", "EPOLL_CTL_MOD",
			"epoll_ctl(2) EPOLL_CTL_MOD; proc_pid_fdinfo(5) epoll "
			"tfd lines (3.8)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, 0x11));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[1], EPOLLIN, 0x22));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, s[0],
				   EPOLLOUT | EPOLLPRI, 0x33));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_NE(NULL, t = tfd_of(&fi, s[0]));
	EXPECT_EQ(EPOLLOUT | EPOLLPRI | EPOLLERR | EPOLLHUP, t->events);
	EXPECT_EQ(0x33, t->data);
	ASSERT_NE(NULL, t = tfd_of(&fi, s[1]));
	EXPECT_EQ(EPOLLIN | EPOLLERR | EPOLLHUP, t->events);
	EXPECT_EQ(0x22, t->data);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLL_CTL_DEL: "Remove (deregister) the target file
 * descriptor fd from the interest list"; its tfd line goes, the other
 * entry's stays (since 3.8).
 */
TEST(del_removes_the_line)
{
	struct fdinfo fi;
	int ep, s[2];

	CONFORM_DECLARE("3.8", "EPOLL_CTL_DEL",
			"epoll_ctl(2) EPOLL_CTL_DEL; proc_pid_fdinfo(5) epoll "
			"tfd lines (3.8)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[0], EPOLLIN, 1));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, s[1], EPOLLIN, 2));
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, s[0], NULL));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	EXPECT_EQ(1, fi.n);
	EXPECT_EQ(NULL, tfd_of(&fi, s[0]));
	EXPECT_NE(NULL, tfd_of(&fi, s[1]));
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * proc_pid_fdinfo(5): flags is the access mode and status flags, in octal,
 * with O_CLOEXEC included when the close-on-exec flag is set; epoll_create(2): EPOLL_CLOEXEC sets it. An instance from
 * epoll_create1(EPOLL_CLOEXEC) shows O_RDWR | O_CLOEXEC, one from
 * epoll_create1(0) O_RDWR without O_CLOEXEC (since 2.6.27, EPOLL_CLOEXEC).
 */
TEST(flags_line_shows_o_cloexec_from_epoll_cloexec)
{
	struct fdinfo fi;
	int ep;

	CONFORM_DECLARE("2.6.27", "EPOLL_CLOEXEC",
			"proc_pid_fdinfo(5) flags and O_CLOEXEC; "
			"epoll_create(2) EPOLL_CLOEXEC (2.6.27)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_LE(0, fi.flags);
	EXPECT_EQ(O_RDWR, fi.flags & O_ACCMODE);
	EXPECT_EQ(O_CLOEXEC, fi.flags & O_CLOEXEC);
	close(ep);
	ASSERT_LE(0, ep = epoll_create1(0));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_LE(0, fi.flags);
	EXPECT_EQ(O_RDWR, fi.flags & O_ACCMODE);
	EXPECT_EQ(0, fi.flags & O_CLOEXEC);
	close(ep);
}

/*
 * proc_pid_fdinfo(5): pos is the file offset, in decimal. An epoll fd has
 * no data to move through: its pos line reads 0, also once it has entries
 * and has been waited on (since 2.6.27, epoll_create1; the fdinfo pos line
 * is from 2.6.22).
 */
TEST(pos_line_of_epoll_fd_is_zero)
{
	struct epoll_event ev[2];
	struct fdinfo fi;
	int ep, p[2];

	CONFORM_DECLARE("2.6.27", "epoll_create1",
			"proc_pid_fdinfo(5) pos: the file offset");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	EXPECT_EQ(0, fi.pos);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	EXPECT_EQ(0, fi.pos);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * Commit 77493f04b74c (4.13) added the target file's "position, inode and
 * device number" to each tfd line. The target here is /proc/self/mounts,
 * which can be polled (proc(5): a mount or unmount marks it as having a
 * priority event, POLLPRI) and has an offset that reading moves: after reading 3
 * bytes its line shows pos:3, and ino: is its st_ino (since 4.13).
 */
TEST(tfd_pos_and_ino_are_the_target_offset_and_inode)
{
	const struct tfd_line *t;
	struct fdinfo fi;
	struct stat st;
	char buf[3];
	int ep, m;

	CONFORM_DECLARE("4.13", "epoll_ctl",
			"commit 77493f04b74c procfs: fdinfo: extend information "
			"about epoll target files (4.13)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(true));
	m = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC);
	if (m < 0)
		SKIP(return, CONFORM_ENV "/proc/self/mounts cannot be opened: %s", strerror(errno));
	ASSERT_LE(0, ep = epoll_new_watching(_metadata, m, EPOLLPRI, 7));
	ASSERT_EQ(3, read(m, buf, sizeof(buf)));
	ASSERT_EQ(0, fstat(m, &st));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_NE(NULL, t = tfd_of(&fi, m));
	ASSERT_TRUE(t->has_target);
	EXPECT_EQ(3, t->pos);
	EXPECT_EQ((unsigned long long)st.st_ino, t->ino);
	close(m);
	close(ep);
}

/*
 * Commit 77493f04b74c (4.13): sdev is the device of the target's
 * filesystem, as the kernel keeps it (MKDEV(major, minor)); for a pipe,
 * whose pipefs is an anonymous filesystem (major 0, stat(2) st_dev major()
 * is 0), that is its minor number. ino: is the pipe's st_ino; both read
 * ends of two pipes show one sdev and two inodes (since 4.13).
 */
TEST(tfd_sdev_is_the_target_filesystem_device)
{
	const struct tfd_line *a, *b;
	struct stat sa, sb;
	struct fdinfo fi;
	int ep, p[2], q[2];

	CONFORM_DECLARE("4.13", "epoll_ctl",
			"commit 77493f04b74c procfs: fdinfo: extend information "
			"about epoll target files (4.13)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(true));
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, q[0], EPOLLIN, 2));
	ASSERT_EQ(0, fstat(p[0], &sa));
	ASSERT_EQ(0, fstat(q[0], &sb));
	ASSERT_EQ(0u, major(sa.st_dev));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_NE(NULL, a = tfd_of(&fi, p[0]));
	ASSERT_NE(NULL, b = tfd_of(&fi, q[0]));
	ASSERT_TRUE(a->has_target);
	EXPECT_EQ(minor(sa.st_dev), a->sdev);
	EXPECT_EQ(a->sdev, b->sdev);
	EXPECT_EQ((unsigned long long)sa.st_ino, a->ino);
	EXPECT_EQ((unsigned long long)sb.st_ino, b->ino);
	EXPECT_NE(a->ino, b->ino);
	EXPECT_EQ(0, a->pos);
	close(q[0]);
	close(q[1]);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/*
 * Commit 77493f04b74c (4.13): "it is possbile to have same number in tfd
 * field (say file added, closed, then nother file dup'ed to same number and
 * added back)"; ino (with pos and sdev) tells such targets apart. A pipe's
 * read end is registered and its number closed while a dup keeps the file
 * (epoll(7) Q&A: the entry lives on), then another pipe's read end is
 * dup2()ed onto the number and registered: two tfd lines with that
 * number, one per pipe inode (since 4.13).
 */
TEST(two_entries_with_one_fd_number_are_told_apart_by_ino)
{
	struct stat sa, sb;
	struct fdinfo fi;
	int ep, p[2], q[2], keep, num;
	bool seen_a = false, seen_b = false;

	CONFORM_DECLARE("4.13", "epoll_ctl",
			"commit 77493f04b74c (4.13): same tfd number told apart "
			"by pos, ino, sdev; epoll(7) Q&A");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_missing(true));
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_EQ(0, fstat(p[0], &sa));
	ASSERT_EQ(0, fstat(q[0], &sb));
	num = p[0];
	ASSERT_LE(0, keep = dup(num));
	ASSERT_EQ(0, close(num));
	ASSERT_EQ(num, dup2(q[0], num));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, num, EPOLLIN, 2));
	ASSERT_EQ(0, read_fdinfo(ep, &fi));
	ASSERT_EQ(2, fi.n);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(num, fi.tfd[i].fd);
		ASSERT_TRUE(fi.tfd[i].has_target);
		if (fi.tfd[i].ino == (unsigned long long)sa.st_ino)
			seen_a = fi.tfd[i].data == 1;
		else if (fi.tfd[i].ino == (unsigned long long)sb.st_ino)
			seen_b = fi.tfd[i].data == 2;
	}
	EXPECT_TRUE(seen_a);
	EXPECT_TRUE(seen_b);
	close(num);
	close(keep);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(ep);
}

TEST_HARNESS_MAIN
