// SPDX-License-Identifier: MIT
/*
 * aio/max-nr: the system-wide limit on native AIO events, the sysctls
 * fs.aio-nr and fs.aio-max-nr (/proc/sys/fs/aio-nr, aio-max-nr, since
 * 2.6.4), through the raw system calls. proc(5): "aio-nr is the running
 * total of the number of events specified by io_setup(2) calls for all
 * currently active AIO contexts. If aio-nr reaches aio-max-nr, then
 * io_setup(2) will fail with the error EAGAIN." fs/aio.c ioctx_alloc()
 * counts the nr_events passed to io_setup (since 4.12, commit 2a8a98673c13
 * "fs: aio: fix the increment of aio-nr and counting against
 * aio-max-nr"; before, the doubled ring size), not the ring it makes
 * (which is at least 8 per possible CPU and fills whole pages, see
 * ring-header.c), and gives them back in kill_ioctx(), on io_destroy or
 * when the process exits (since 3.11, commit 36f5588905c1 "aio:
 * refcounting cleanup"). The limit is checked only by io_setup: lowering
 * it does not touch live contexts. EAGAIN above aio-max-nr on its own and
 * EINVAL for nr_events 0 are in setup.c.
 * Every TEST reads or changes the system-wide counters, so it runs only
 * alone, in an aioconf guest (conform_not_alone()); a TEST that writes
 * aio-max-nr needs root and puts the old value back before it asserts.
 */
#include <sys/wait.h>

#include "conform_aio.h"

#define AIO_NR "/proc/sys/fs/aio-nr"
#define AIO_MAX_NR "/proc/sys/fs/aio-max-nr"

/* What every TEST needs: native AIO, and the machine to itself. */
#define REQUIRE_ALONE()                                                        \
	do {                                                                   \
		CONFORM_REQUIRE_AIO();                                         \
		CONFORM_REQUIRE(conform_not_alone("fs.aio-max-nr"));           \
	} while (0)

/* fs.aio-nr now. */
static long aio_nr(void)
{
	return conform_read_sysctl(AIO_NR);
}

/* Write v into fs.aio-max-nr: 0, or -1 with errno. */
static int set_aio_max_nr(long v)
{
	char text[32];
	int fd = open(AIO_MAX_NR, O_WRONLY | O_CLOEXEC);
	int len = snprintf(text, sizeof(text), "%ld\n", v);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	return n == len ? 0 : -1;
}

/*
 * Inside a TEST that changes aio-max-nr: root, and the current value in
 * *saved (the TEST sets it back with set_aio_max_nr() before asserting).
 */
#define SAVE_AIO_MAX_NR(saved)                                                 \
	do {                                                                   \
		CONFORM_REQUIRE_ROOT();                                        \
		*(saved) = conform_read_sysctl(AIO_MAX_NR);                    \
		ASSERT_LE(0, *(saved));                                        \
	} while (0)

/* io_setup(nr) into *ctx: 0, or the errno of the failure. */
static int setup_err(unsigned int nr, aio_context_t *ctx)
{
	*ctx = 0;
	return aio_sys_setup(nr, ctx) == 0 ? 0 : errno;
}

/*
 * proc(5): aio-nr is "the running total of the number of events specified
 * by io_setup(2) calls": a context adds exactly the nr_events it was
 * created with, not the ring's size: io_setup(1), whose ring holds at
 * least 8 events per possible CPU, adds 1, and io_setup(1000) adds 1000
 * (since 4.12, commit 2a8a98673c13; before, the doubled ring size).
 */
TEST(aio_nr_grows_by_the_nr_events_asked)
{
	aio_context_t small = 0, big = 0;
	long base;

	CONFORM_DECLARE("4.12", "io_setup",
			"proc(5) /proc/sys/fs/aio-nr: total of the events specified by io_setup(2) calls; commit 2a8a98673c13 (4.12): fs: aio: fix the increment of aio-nr and counting against aio-max-nr");
	REQUIRE_ALONE();
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, aio_sys_setup(1, &small));
	EXPECT_EQ(base + 1, aio_nr());
	TH_LOG("io_setup(1): ring nr %u, fs.aio-nr +%ld",
	       aio_ring_of(small)->nr, aio_nr() - base);
	EXPECT_LT(1U, aio_ring_of(small)->nr);
	ASSERT_EQ(0, aio_sys_setup(1000, &big));
	EXPECT_EQ(base + 1001, aio_nr());
	EXPECT_EQ(0, aio_sys_destroy(big));
	EXPECT_EQ(0, aio_sys_destroy(small));
}

/*
 * proc(5): only "currently active AIO contexts" count: io_destroy gives a
 * context's events back before it returns (fs/aio.c kill_ioctx(), since
 * 3.11, commit 36f5588905c1 "aio: refcounting cleanup"); with two
 * contexts live, destroying one takes aio-nr down to the other's share,
 * destroying the other back to where it was.
 */
TEST(destroy_gives_the_events_back)
{
	aio_context_t a = 0, b = 0;
	long base, both, one;

	CONFORM_DECLARE("3.11", "io_destroy",
			"proc(5) /proc/sys/fs/aio-nr: currently active contexts; fs/aio.c kill_ioctx(); commit 36f5588905c1 (3.11): aio: refcounting cleanup");
	REQUIRE_ALONE();
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, aio_sys_setup(250, &a));
	ASSERT_EQ(0, aio_sys_setup(40, &b));
	ASSERT_LT(base, both = aio_nr());
	EXPECT_EQ(0, aio_sys_destroy(a));
	/* Whatever a context counts (its nr_events since 4.12, its doubled
	 * ring size before), b's share is all that is left. */
	one = aio_nr();
	EXPECT_LT(base, one);
	EXPECT_GT(both, one);
	EXPECT_EQ(0, aio_sys_destroy(b));
	EXPECT_EQ(base, aio_nr());
	TH_LOG("fs.aio-nr: %ld, %ld with both contexts, %ld with one, %ld after both io_destroy",
	       base, both, one, aio_nr());
}

/*
 * A process that exits without io_destroy leaves no events counted:
 * fs/aio.c exit_aio() kills each of its contexts (kill_ioctx(), which
 * gives the events back) when its address space goes, before the parent
 * can reap it (since 3.11, commit 36f5588905c1). A child sets up a
 * context of 70 events, is seen holding them, and exits.
 */
TEST(exit_without_destroy_gives_events_back)
{
	int ready[2], go[2], status;
	long base, during;
	char byte;
	pid_t pid;

	CONFORM_DECLARE("3.11", "io_setup",
			"proc(5) /proc/sys/fs/aio-nr: currently active contexts; fs/aio.c exit_aio() -> kill_ioctx(); commit 36f5588905c1 (3.11): aio: refcounting cleanup");
	REQUIRE_ALONE();
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, conform_pipe(ready));
	ASSERT_EQ(0, conform_pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		aio_context_t ctx = 0;
		char ok = aio_sys_setup(70, &ctx) == 0 ? 'y' : 'n';

		close(ready[0]);
		close(go[1]);
		if (write(ready[1], &ok, 1) != 1)
			_exit(2);
		/* Wait until the parent has looked, then exit holding it. */
		(void)!read(go[0], &byte, 1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &byte, 1));
	during = aio_nr();
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(ready[0]);
	ASSERT_EQ('y', byte);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_LT(base, during);
	EXPECT_EQ(base, aio_nr());
	TH_LOG("fs.aio-nr: %ld, %ld while the child held a context, %ld after it exited",
	       base, during, aio_nr());
}

/*
 * io_setup(2) EAGAIN: "The specified nr_events exceeds the limit of
 * available events, as defined in /proc/sys/fs/aio-max-nr", counted with
 * what other contexts hold (fs/aio.c ioctx_alloc(): aio_nr + nr_events >
 * aio_max_nr). With aio-max-nr set to 100 above aio-nr, a context of 60
 * fits, one of 41 more does not, one of 40 (reaching the limit exactly)
 * does (since 4.12: contexts count their nr_events, commit 2a8a98673c13).
 */
TEST(setup_past_aio_max_nr_with_others_gets_eagain)
{
	aio_context_t a, b, c;
	long saved, base, after;
	int ea, eb, ec, restored;

	CONFORM_DECLARE("4.12", "io_setup",
			"io_setup(2) EAGAIN: nr_events exceeds the limit of available events in /proc/sys/fs/aio-max-nr; proc(5) aio-nr; commit 2a8a98673c13 (4.12): fs: aio: fix the increment of aio-nr and counting against aio-max-nr");
	REQUIRE_ALONE();
	SAVE_AIO_MAX_NR(&saved);
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, set_aio_max_nr(base + 100));
	ea = setup_err(60, &a);
	eb = setup_err(41, &b);
	ec = setup_err(40, &c);
	after = aio_nr();
	restored = set_aio_max_nr(saved);
	if (!ea)
		aio_sys_destroy(a);
	if (!eb)
		aio_sys_destroy(b);
	if (!ec)
		aio_sys_destroy(c);
	ASSERT_EQ(0, restored);
	EXPECT_EQ(0, ea);
	EXPECT_EQ(EAGAIN, eb);
	EXPECT_EQ(0, ec);
	EXPECT_EQ(base + 100, after);
	EXPECT_EQ(base, aio_nr());
}

/*
 * fs/aio.c ioctx_alloc(): the limit is checked before aio-nr is raised,
 * so an io_setup refused with EAGAIN leaves aio-nr as it was (proc(5):
 * only active contexts count). With aio-max-nr 30 above aio-nr and a
 * context of 20 live, io_setup(11) gets EAGAIN and aio-nr stays 20 above
 * where it started (since 4.12, commit 2a8a98673c13).
 */
TEST(refused_setup_leaves_aio_nr_unchanged)
{
	aio_context_t a, b;
	long saved, base, before, after;
	int ea, eb, restored;

	CONFORM_DECLARE("4.12", "io_setup",
			"proc(5) /proc/sys/fs/aio-nr; io_setup(2) EAGAIN; fs/aio.c ioctx_alloc() checks before adding; commit 2a8a98673c13 (4.12): fs: aio: fix the increment of aio-nr and counting against aio-max-nr");
	REQUIRE_ALONE();
	SAVE_AIO_MAX_NR(&saved);
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, set_aio_max_nr(base + 30));
	ea = setup_err(20, &a);
	before = aio_nr();
	eb = setup_err(11, &b);
	after = aio_nr();
	restored = set_aio_max_nr(saved);
	if (!ea)
		aio_sys_destroy(a);
	if (!eb)
		aio_sys_destroy(b);
	ASSERT_EQ(0, restored);
	EXPECT_EQ(0, ea);
	EXPECT_EQ(EAGAIN, eb);
	EXPECT_EQ(base + 20, before);
	EXPECT_EQ(before, after);
}

/*
 * io_setup(2) EAGAIN: with aio-max-nr 0 there are no events to give, and
 * every io_setup, even of 1 event, fails with EAGAIN (fs/aio.c
 * ioctx_alloc(); since 2.6).
 */
TEST(aio_max_nr_zero_refuses_every_setup)
{
	aio_context_t a;
	long saved, base, after;
	int ea, restored;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EAGAIN: nr_events exceeds the limit of available events in /proc/sys/fs/aio-max-nr");
	REQUIRE_ALONE();
	SAVE_AIO_MAX_NR(&saved);
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, set_aio_max_nr(0));
	ea = setup_err(1, &a);
	after = aio_nr();
	restored = set_aio_max_nr(saved);
	if (!ea)
		aio_sys_destroy(a);
	ASSERT_EQ(0, restored);
	EXPECT_EQ(EAGAIN, ea);
	EXPECT_EQ(base, after);
}

/*
 * io_setup(2) EAGAIN and proc(5) aio-max-nr: the limit is what io_setup
 * checks, and only io_setup: lowering aio-max-nr below aio-nr leaves a
 * live context working (a read submitted and reaped on it) and its
 * io_destroy succeeding, while any new io_setup gets EAGAIN; aio-nr may
 * stay above aio-max-nr meanwhile (fs/aio.c ioctx_alloc() is the only
 * check; since 2.6).
 */
TEST(lowered_aio_max_nr_leaves_live_context_working)
{
	static char buf[256];
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev = { 0 };
	aio_context_t live = 0, b;
	long saved, base, during, submitted, got;
	int eb, restored, destroyed, fd;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EAGAIN; proc(5) /proc/sys/fs/aio-max-nr; fs/aio.c ioctx_alloc() is the only check of the limit");
	REQUIRE_ALONE();
	SAVE_AIO_MAX_NR(&saved);
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, aio_sys_setup(50, &live));
	ASSERT_EQ(0, set_aio_max_nr(0));
	during = aio_nr();
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 256, 12);
	submitted = aio_sys_submit(live, 1, list);
	got = aio_sys_getevents(live, 1, 1, &ev, &bound);
	eb = setup_err(1, &b);
	destroyed = (int)aio_sys_destroy(live);
	restored = set_aio_max_nr(saved);
	if (!eb)
		aio_sys_destroy(b);
	ASSERT_EQ(0, restored);
	EXPECT_LT(base, during);
	EXPECT_EQ(1, submitted);
	EXPECT_EQ(1, got);
	EXPECT_EQ(12, ev.data);
	EXPECT_EQ((__s64)sizeof(buf), ev.res);
	EXPECT_EQ(EAGAIN, eb);
	EXPECT_EQ(0, destroyed);
	EXPECT_EQ(base, aio_nr());
	close(fd);
}

/*
 * io_setup(2) EAGAIN is relative to the current aio-max-nr: a context of
 * 70000 events (more than the default limit, 65536), refused while
 * aio-max-nr leaves room for one event less, is set up once aio-max-nr is
 * raised by one (proc(5): raising it preallocates nothing; since 2.6).
 */
TEST(raised_aio_max_nr_admits_a_bigger_context)
{
	enum { BIG = 70000 };
	aio_context_t a, b;
	long saved, base;
	int ea, eb, raised, restored;

	CONFORM_DECLARE("2.6", "io_setup",
			"io_setup(2) EAGAIN: limit of /proc/sys/fs/aio-max-nr; proc(5): raising aio-max-nr");
	REQUIRE_ALONE();
	SAVE_AIO_MAX_NR(&saved);
	ASSERT_LE(0, base = aio_nr());
	ASSERT_EQ(0, set_aio_max_nr(base + BIG - 1));
	ea = setup_err(BIG, &a);
	if (!ea)
		aio_sys_destroy(a);
	raised = set_aio_max_nr(base + BIG);
	eb = raised ? -1 : setup_err(BIG, &b);
	if (!eb)
		aio_sys_destroy(b);
	restored = set_aio_max_nr(saved);
	ASSERT_EQ(0, restored);
	ASSERT_EQ(0, raised);
	EXPECT_EQ(EAGAIN, ea);
	EXPECT_EQ(0, eb);
}

TEST_HARNESS_MAIN
