// SPDX-License-Identifier: MIT
/*
 * epoll/fd-tty: which EPOLL* bits the two ends of a UNIX 98 pseudoterminal
 * (posix_openpt(3), grantpt(3), unlockpt(3), ptsname(3); epoll on ttys
 * since 2.6) report, each entry registered for every readiness bit
 * (EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM,
 * EPOLLWRBAND, EPOLLMSG, EPOLLRDHUP) so that the exact set is seen. Both
 * ends are EPOLLOUT|EPOLLWRNORM at once; the slave becomes
 * EPOLLIN|EPOLLRDNORM after the master writes a complete line in canonical
 * mode (newline or the VEOF character) and after one byte in noncanonical
 * mode; the master becomes readable with what the slave writes. Closing the
 * slave gives the master EPOLLHUP (until a slave is opened again); closing
 * the master hangs the slave up (EPOLLIN|EPOLLOUT|EPOLLERR|EPOLLHUP with
 * the normal bits). Output stopped with tcflow(TCOOFF) takes the slave's
 * EPOLLOUT away, and in packet mode (TIOCPKT) the status change is
 * EPOLLPRI on the master.
 * Every test starts from a new pair with ECHO off (so that the master sees
 * only what the slave writes). Where /dev/pts has no devpts (the aioconf
 * guest's initramfs mounts none), the test child mounts a devpts instance
 * of its own on /dev/pts in a private mount namespace.
 * Sources: pty(7), pts(4), termios(3) (canonical and noncanonical mode,
 * VEOF, tcflow()), ioctl_tty(2) TIOCPKT; drivers/tty/n_tty.c n_tty_poll(),
 * drivers/tty/pty.c pty_close()/pty_open()/pty_write_room(),
 * drivers/tty/tty_io.c hung_up_tty_poll().
 */
#include <sys/epoll.h>
#include <sys/mount.h>
#include <termios.h>

#include "conform_epoll.h"

enum { TAG = 0x7777 };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)
/* n_tty_poll() sets these two together for writing. */
#define OUT_BITS (EPOLLOUT | EPOLLWRNORM)

/* A wait for an event that must come: a bound only. pty(7): data written
 * to one end reaches the other "promptly, but may not be available
 * immediately" (a work item moves it). */
#define WAIT_MS 2000

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
 * posix_openpt(), and where /dev/ptmx finds no devpts next to it (ENODEV:
 * nothing mounted on /dev/pts), a devpts instance of this test child's own,
 * mounted on /dev/pts in a private mount namespace (the mount is gone with
 * the child). The master fd, or -1 with the reason in conform_why.
 */
static int open_master(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m >= 0)
		return m;
	if (errno != ENODEV && errno != ENOENT) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "posix_openpt: %s", strerror(errno));
		return -1;
	}
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("devpts", "/dev/pts", "devpts", 0,
		  "newinstance,ptmxmode=0666,mode=0620") < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "posix_openpt: no devpts on /dev/pts, and mounting one in a private mount namespace failed: %s",
			 strerror(errno));
		return -1;
	}
	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "posix_openpt with a private devpts on /dev/pts: %s",
			 strerror(errno));
	return m;
}

/*
 * A new pseudoterminal: the master in *m (posix_openpt, grantpt, unlockpt)
 * and its slave in *s (opened by the name from ptsname), both O_NOCTTY and
 * CLOEXEC, the slave in canonical mode (icanon) or noncanonical with
 * VMIN 1, VTIME 0, and ECHO off. NULL, or why not (for CONFORM_REQUIRE).
 */
static const char *new_pty(int *m, int *s, bool icanon)
{
	struct termios t;
	const char *name;

	*s = -1;
	*m = open_master();
	if (*m < 0)
		return conform_why;
	if (grantpt(*m) < 0 || unlockpt(*m) < 0 || !(name = ptsname(*m))) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "grantpt/unlockpt/ptsname: %s", strerror(errno));
		goto fail;
	}
	*s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*s < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "open(%s): %s", name, strerror(errno));
		goto fail;
	}
	if (tcgetattr(*s, &t) < 0)
		goto fail_attr;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	if (icanon) {
		t.c_lflag |= ICANON;
	} else {
		t.c_lflag &= ~ICANON;
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
	}
	if (tcsetattr(*s, TCSANOW, &t) < 0)
		goto fail_attr;
	return NULL;
fail_attr:
	snprintf(conform_why, sizeof(conform_why), "tcgetattr/tcsetattr on the slave: %s",
		 strerror(errno));
fail:
	if (*s >= 0)
		close(*s);
	close(*m);
	*m = *s = -1;
	return conform_why;
}

#define REQUIRE_PTY(m, s, icanon) CONFORM_REQUIRE(new_pty(&(m), &(s), icanon))

/*
 * pty(7): the slave "behaves exactly like a classical terminal"; either end
 * can be written at once. Watched for every bit, an idle master and an
 * idle slave both report exactly EPOLLOUT|EPOLLWRNORM: nothing to read, no
 * EPOLLHUP, and no EPOLLPRI, EPOLLRDBAND, EPOLLWRBAND, EPOLLMSG or
 * EPOLLRDHUP (n_tty_poll(); since 2.6).
 */
TEST(idle_master_and_slave_report_exactly_epollout_epollwrnorm)
{
	int m, s, epm, eps;

	CONFORM_DECLARE("2.6", "posix_openpt",
			"pty(7); pts(4); drivers/tty/n_tty.c n_tty_poll()");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	epm = watch_all(_metadata, m);
	eps = watch_all(_metadata, s);
	EXPECT_EQ(OUT_BITS, wait_events(epm, 0));
	EXPECT_EQ(OUT_BITS, wait_events(eps, 0));
	close(eps);
	close(epm);
	close(s);
	close(m);
}

/*
 * termios(3) Canonical and noncanonical mode: in canonical mode "Input is
 * made available line by line. An input line is available when one of the
 * line delimiters is typed (NL, EOL, EOL2; or EOF at the start of line)".
 * Bytes without a newline written to the master leave the slave
 * unreadable (a poll(2) first makes the tty layer process what is queued);
 * the newline makes it EPOLLIN|EPOLLRDNORM, and read() returns the whole
 * line (since 2.6).
 */
TEST(canonical_slave_is_readable_only_after_the_newline)
{
	struct pollfd pfd;
	char b[16];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "ICANON",
			"termios(3) canonical mode: input available line by "
			"line; drivers/tty/n_tty.c n_tty_poll()");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ep = watch_all(_metadata, s);
	ASSERT_EQ(3, write(m, "abc", 3));
	pfd = (struct pollfd){ .fd = s, .events = POLLIN };
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(1, write(m, "\n", 1));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(4, read(s, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b, "abc\n", 4));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s);
	close(m);
}

/*
 * termios(3) VEOF: "More precisely: this character causes the pending tty
 * buffer to be sent to the waiting user program without waiting for
 * end-of-line." Bytes followed by the VEOF character (^D by default) make
 * the canonical slave EPOLLIN|EPOLLRDNORM, and read() returns the bytes
 * without the VEOF character (since 2.6).
 */
TEST(canonical_veof_character_makes_the_slave_readable)
{
	struct termios t;
	char b[16];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "VEOF",
			"termios(3) VEOF: pending buffer sent without waiting "
			"for end-of-line");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ASSERT_EQ(0, tcgetattr(s, &t));
	ep = watch_all(_metadata, s);
	ASSERT_EQ(2, write(m, "ab", 2));
	ASSERT_EQ(1, write(m, &t.c_cc[VEOF], 1));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(2, read(s, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b, "ab", 2));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s);
	close(m);
}

/*
 * termios(3) noncanonical mode: "input is available immediately (without
 * the user having to type a line-delimiter character)"; with MIN 1 and
 * TIME 0 a read returns as soon as one byte is there. One byte written to
 * the master makes the slave EPOLLIN|EPOLLRDNORM (since 2.6).
 */
TEST(noncanonical_slave_is_readable_after_one_byte)
{
	char b[4];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "ICANON",
			"termios(3) noncanonical mode: input available "
			"immediately; MIN > 0, TIME == 0");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, false);
	ep = watch_all(_metadata, s);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(1, write(m, "z", 1));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(1, read(s, b, sizeof(b)));
	EXPECT_EQ('z', b[0]);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s);
	close(m);
}

/*
 * pty(7): "anything that is written to the slave end of the pseudoterminal
 * can be read by the process that is connected to the master end". What
 * the slave writes makes the master EPOLLIN|EPOLLRDNORM until it is read
 * (since 2.6).
 */
TEST(slave_output_makes_the_master_readable_until_read)
{
	char b[8];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "posix_openpt",
			"pty(7) written to the slave can be read at the master");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ep = watch_all(_metadata, m);
	ASSERT_EQ(2, write(s, "xy", 2));
	EXPECT_EQ(IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(2, read(m, b, sizeof(b)));
	EXPECT_EQ(0, memcmp(b, "xy", 2));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s);
	close(m);
}

/*
 * epoll_ctl(2) EPOLLHUP "Hang up happened on the associated file
 * descriptor"; drivers/tty/pty.c pty_close() marks the master
 * TTY_OTHER_CLOSED when the last slave descriptor closes, and n_tty_poll()
 * reports that as EPOLLHUP. The master then reports exactly
 * EPOLLOUT|EPOLLWRNORM|EPOLLHUP (no EPOLLIN: nothing was written), and
 * read() on it fails with EIO (since 2.6).
 */
TEST(slave_close_reports_epollhup_at_the_master)
{
	char b[4];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"epoll_ctl(2) EPOLLHUP; drivers/tty/pty.c pty_close() "
			"TTY_OTHER_CLOSED; n_tty_poll()");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ep = watch_all(_metadata, m);
	ASSERT_EQ(0, close(s));
	EXPECT_EQ(OUT_BITS | EPOLLHUP, wait_events(ep, WAIT_MS));
	errno = 0;
	EXPECT_EQ(-1, read(m, b, sizeof(b)));
	EXPECT_EQ(EIO, errno);
	close(ep);
	close(m);
}

/*
 * drivers/tty/pty.c pty_open(): opening the slave clears the master's
 * TTY_OTHER_CLOSED. The EPOLLHUP a master reports after its slave closed
 * therefore ends when the slave is opened again (ptsname(3) gives the same
 * name): the master is back to EPOLLOUT|EPOLLWRNORM (since 2.6).
 */
TEST(master_epollhup_ends_when_the_slave_is_opened_again)
{
	char name[128];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"drivers/tty/pty.c pty_open() clears TTY_OTHER_CLOSED "
			"of the master; ptsname(3)");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ASSERT_EQ(0, ptsname_r(m, name, sizeof(name)));
	ep = watch_all(_metadata, m);
	ASSERT_EQ(0, close(s));
	EXPECT_EQ(OUT_BITS | EPOLLHUP, wait_events(ep, WAIT_MS));
	ASSERT_LE(0, s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s);
	close(m);
}

/*
 * Closing the master hangs the slave up (drivers/tty/pty.c pty_close():
 * tty_vhangup() of the slave): a hung-up tty file reports every condition
 * at once, EPOLLIN|EPOLLOUT|EPOLLERR|EPOLLHUP|EPOLLRDNORM|EPOLLWRNORM
 * (drivers/tty/tty_io.c hung_up_tty_poll()), read() returns 0 (end of
 * file) and write() fails with EIO (since 2.6).
 */
TEST(master_close_hangs_up_the_slave)
{
	char b[4];
	int m, s, ep;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"drivers/tty/pty.c pty_close() tty_vhangup(); "
			"drivers/tty/tty_io.c hung_up_tty_poll()");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ep = watch_all(_metadata, s);
	ASSERT_EQ(0, close(m));
	EXPECT_EQ(IN_BITS | OUT_BITS | EPOLLERR | EPOLLHUP,
		  wait_events(ep, WAIT_MS));
	EXPECT_EQ(0, read(s, b, sizeof(b)));
	errno = 0;
	EXPECT_EQ(-1, write(s, "x", 1));
	EXPECT_EQ(EIO, errno);
	close(ep);
	close(s);
}

/*
 * termios(3) tcflow(): "TCOOFF suspends output", "TCOON restarts suspended
 * output". A write to a stopped tty would block, so the slave loses
 * EPOLLOUT|EPOLLWRNORM while its output is suspended (pty_write_room() is
 * 0 for a stopped tty) and gets it back when output restarts (since 2.6).
 */
TEST(suspended_output_takes_epollout_from_the_slave)
{
	int m, s, ep;

	CONFORM_DECLARE("2.6", "tcflow",
			"termios(3) tcflow() TCOOFF/TCOON; drivers/tty/pty.c "
			"pty_write_room()");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ep = watch_all(_metadata, s);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(0, tcflow(s, TCOOFF));
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(0, tcflow(s, TCOON));
	EXPECT_EQ(OUT_BITS, wait_events(ep, WAIT_MS));
	close(ep);
	close(s);
	close(m);
}

/*
 * ioctl_tty(2) TIOCPKT: "While packet mode is in use, the presence of
 * control status information to be read from the master side may be
 * detected by ... a poll(2) for the POLLPRI event." With packet mode on,
 * suspending the slave's output makes the master
 * EPOLLPRI|EPOLLIN|EPOLLRDNORM; read() returns one control byte with
 * TIOCPKT_STOP set, after which EPOLLPRI and EPOLLIN are gone (since 2.6).
 */
TEST(packet_mode_status_change_reports_epollpri_at_the_master)
{
	int one = 1, m, s, ep;
	unsigned char b[8];

	CONFORM_DECLARE("2.6", "TIOCPKT",
			"ioctl_tty(2) TIOCPKT: control status detected by "
			"poll(2) POLLPRI");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ASSERT_EQ(0, ioctl(m, TIOCPKT, &one));
	ep = watch_all(_metadata, m);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(0, tcflow(s, TCOOFF));
	EXPECT_EQ(EPOLLPRI | IN_BITS | OUT_BITS, wait_events(ep, WAIT_MS));
	ASSERT_EQ(1, read(m, b, sizeof(b)));
	EXPECT_NE(0, b[0] & TIOCPKT_STOP);
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(0, tcflow(s, TCOON));
	close(ep);
	close(s);
	close(m);
}

/*
 * ioctl_tty(2) TIOCPKT: the control status is offered "While packet mode
 * is in use" only. Without packet mode, suspending and restarting the
 * slave's output gives the master no EPOLLPRI and nothing to read (since
 * 2.6).
 */
TEST(without_packet_mode_status_change_reports_nothing_at_the_master)
{
	int m, s, ep;

	CONFORM_DECLARE("2.6", "TIOCPKT",
			"ioctl_tty(2) TIOCPKT: control status only while "
			"packet mode is in use");
	EPOLL_REQUIRE();
	REQUIRE_PTY(m, s, true);
	ep = watch_all(_metadata, m);
	ASSERT_EQ(0, tcflow(s, TCOOFF));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	ASSERT_EQ(0, tcflow(s, TCOON));
	EXPECT_EQ(OUT_BITS, wait_events(ep, 0));
	close(ep);
	close(s);
	close(m);
}

TEST_HARNESS_MAIN
