// SPDX-License-Identifier: MIT
/*
 * epoll/fd-pipe: which EPOLL* bits pipes and FIFOs report, each entry
 * registered for every readiness bit (EPOLLIN, EPOLLPRI, EPOLLOUT,
 * EPOLLRDNORM, EPOLLRDBAND, EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG, EPOLLRDHUP)
 * so that the exact set is seen: EPOLLIN|EPOLLRDNORM while data is there,
 * EPOLLOUT|EPOLLWRNORM while a buffer slot is free, EPOLLHUP on the read end
 * once the last writer has gone (and EPOLLIN only while data remains),
 * EPOLLERR on the write end once the last reader has gone; never EPOLLPRI,
 * EPOLLRDBAND, EPOLLWRBAND, EPOLLMSG or EPOLLRDHUP. FIFOs: no hang-up
 * before a writer was ever seen, the hang-up state lasting until a writer
 * opens again (POSIX), and O_RDWR opens that are their own reader and
 * writer. The EPOLLHUP/EPOLLERR of a pipe registered with an empty mask are
 * in epoll/hup. All since 2.6 (the pipe poll method, fs/pipe.c pipe_poll(),
 * predates git).
 * Sources: epoll_ctl(2) EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP;
 * poll(2) POLLRDNORM "Equivalent to POLLIN", POLLWRNORM "Equivalent to
 * POLLOUT"; pipe(7); fifo(7); POSIX.1-2017 poll() POLLHUP.
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

enum { TAG = 0x919e };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

/* A wait for an event that must come: a bound only. */
#define WAIT_MS 1000

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
 * pipe(7), epoll_ctl(2) EPOLLOUT, poll(2) POLLWRNORM "Equivalent to
 * POLLOUT": the write end of an empty pipe is writable and reports exactly
 * EPOLLOUT|EPOLLWRNORM: nothing it was not asked for, and of the bits it was
 * asked for neither EPOLLWRBAND nor any read-side bit (since 2.6).
 */
TEST(empty_pipe_write_end_reports_epollout_and_epollwrnorm)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLWRNORM",
			"epoll_ctl(2) EPOLLOUT; poll(2) POLLWRNORM equivalent "
			"to POLLOUT; fs/pipe.c pipe_poll()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	ep = watch_all(_metadata, p[1]);
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM, wait_events(ep, 0));
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * pipe(7), epoll_ctl(2) EPOLLIN, poll(2) POLLRDNORM "Equivalent to POLLIN":
 * the read end of an empty pipe reports nothing; with data in it, exactly
 * EPOLLIN|EPOLLRDNORM - no EPOLLPRI, EPOLLRDBAND or EPOLLMSG (a pipe has
 * no urgent or priority data), no EPOLLRDHUP (since 2.6).
 */
TEST(pipe_with_data_reports_epollin_and_epollrdnorm_only)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLRDNORM",
			"epoll_ctl(2) EPOLLIN; poll(2) POLLRDNORM equivalent "
			"to POLLIN; fs/pipe.c pipe_poll()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	ep = watch_all(_metadata, p[0]);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(1, write(p[1], "d", 1));
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM, wait_events(ep, WAIT_MS));
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * poll(2) POLLOUT "Writing is now possible" and pipe(7) (a nonblocking
 * write of at most PIPE_BUF bytes either succeeds whole or fails with
 * EAGAIN): Linux keeps a pipe's data in page-sized buffers and reports
 * EPOLLOUT|EPOLLWRNORM while one of them is free (fs/pipe.c pipe_poll(),
 * "!pipe_full"). A pipe filled up reports no EPOLLOUT, and reading one byte
 * frees no buffer: still none, and a 1-byte nonblocking write agrees
 * (EAGAIN). Once a whole page has been read, EPOLLOUT|EPOLLWRNORM is back
 * and a PIPE_BUF write succeeds at once (since 2.6).
 */
TEST(full_pipe_reports_epollout_again_once_a_buffer_is_read)
{
	static char buf[PIPE_BUF];
	long page = sysconf(_SC_PAGESIZE);
	char *drain;
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLOUT",
			"poll(2) POLLOUT; pipe(7) PIPE_BUF and O_NONBLOCK; "
			"fs/pipe.c pipe_poll() writable while not pipe_full");
	EPOLL_REQUIRE();
	ASSERT_LT(0, page);
	ASSERT_NE(NULL, drain = malloc(page));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_NONBLOCK));
	ep = watch_all(_metadata, p[1]);
	ASSERT_LT(0, conform_fill_until_full(p[1]));
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(1, read(p[0], drain, 1));
	EXPECT_EQ(0, wait_events(ep, 0));
	errno = 0;
	EXPECT_EQ(-1, write(p[1], "w", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* The rest of the first page: its buffer is released. */
	ASSERT_EQ(page - 1, read(p[0], drain, page - 1));
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM, wait_events(ep, WAIT_MS));
	EXPECT_EQ(PIPE_BUF, write(p[1], buf, sizeof(buf)));
	free(drain);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2) EPOLLHUP: for a pipe it "merely indicates that the peer
 * closed its end"; reads return 0 only once the data is consumed. Watched
 * for every bit, the read end of a pipe whose last writer closed reports
 * EPOLLIN|EPOLLRDNORM|EPOLLHUP while data remains and EPOLLHUP alone once
 * it is drained (read() then gives end of file): EPOLLIN follows the data,
 * not the end of file. EPOLLRDHUP, "Stream socket peer closed connection",
 * is never reported for a pipe (since 2.6; EPOLLRDHUP exists since 2.6.17
 * and pipes never set it).
 */
TEST(writer_close_reports_epollhup_never_epollrdhup)
{
	char b[8];
	int ep, p[2];

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLHUP and EPOLLRDHUP (since "
			"2.6.17, stream sockets); fs/pipe.c pipe_poll()");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	ep = watch_all(_metadata, p[0]);
	ASSERT_EQ(3, write(p[1], "abc", 3));
	close(p[1]);
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM | EPOLLHUP, wait_events(ep, WAIT_MS));
	ASSERT_EQ(3, read(p[0], b, sizeof(b)));
	EXPECT_EQ(EPOLLHUP, wait_events(ep, WAIT_MS));
	EXPECT_EQ(0, read(p[0], b, sizeof(b)));
	close(ep);
	close(p[0]);
}

/*
 * POSIX.1-2017 poll() POLLHUP: "a pipe or FIFO has been closed by the last
 * process that had it open for writing". While another descriptor of the
 * write end (a dup(2)) stays open, closing one gives no EPOLLHUP; closing
 * the last one does (since 2.6).
 */
TEST(hup_waits_for_the_last_writer)
{
	int ep, p[2], w2;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"POSIX.1-2017 poll() POLLHUP closed by the last "
			"process that had it open for writing");
	EPOLL_REQUIRE();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_LE(0, w2 = dup(p[1]));
	ep = watch_all(_metadata, p[0]);
	close(p[1]);
	EXPECT_EQ(0, wait_events(ep, 0));
	close(w2);
	EXPECT_EQ(EPOLLHUP, wait_events(ep, WAIT_MS));
	close(ep);
	close(p[0]);
}

/*
 * epoll_ctl(2) EPOLLERR: "also reported for the write end of a pipe when the
 * read end has been closed". Watched for every bit, the write end of an
 * empty pipe then reports EPOLLERR together with EPOLLOUT|EPOLLWRNORM (its
 * buffers are free; a write does not block but fails with EPIPE, pipe(7)),
 * and no EPOLLHUP (since 2.6).
 */
TEST(reader_close_reports_epollerr_with_epollout)
{
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"epoll_ctl(2) EPOLLERR write end of a pipe whose read "
			"end is closed; pipe(7) EPIPE");
	EPOLL_REQUIRE();
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, conform_pipe(p));
	ep = watch_all(_metadata, p[1]);
	close(p[0]);
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM | EPOLLERR, wait_events(ep, WAIT_MS));
	errno = 0;
	EXPECT_EQ(-1, write(p[1], "x", 1));
	EXPECT_EQ(EPIPE, errno);
	close(ep);
	close(p[1]);
}

/* A new FIFO in the private directory, named after the test's process (each
 * TEST runs in a child of its own); its path in path. NULL, or why not (a
 * TMPDIR filesystem without FIFOs). The directory goes at exit. */
static const char *new_fifo(char *path, size_t len)
{
	static char why[128];
	char name[32];

	snprintf(name, sizeof(name), "fifo.%d", (int)getpid());
	conform_tmppath(path, len, name);
	if (mkfifo(path, 0600) == 0)
		return NULL;
	snprintf(why, sizeof(why), CONFORM_ENV "mkfifo in TMPDIR: %s",
		 strerror(errno));
	return why;
}

/*
 * POSIX.1-2017 poll(): POLLHUP means the FIFO "has been closed by the last
 * process that had it open for writing" - not that no writer has opened it
 * yet. A FIFO opened O_RDONLY|O_NONBLOCK (fifo(7): succeeds with no writer)
 * reports nothing; once a writer has opened and closed it, EPOLLHUP
 * (fs/pipe.c fifo_open(): "suppress EPOLLHUP until we have seen a writer";
 * since 2.6).
 */
TEST(fifo_reader_reports_no_hup_before_a_writer_was_seen)
{
	char path[300];
	int ep, r, w;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"POSIX.1-2017 poll() POLLHUP; fifo(7) O_NONBLOCK "
			"read-only open; fs/pipe.c fifo_open()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_fifo(path, sizeof(path)));
	ASSERT_LE(0, r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	ep = watch_all(_metadata, r);
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_LE(0, w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC));
	EXPECT_EQ(0, wait_events(ep, 0));
	close(w);
	EXPECT_EQ(EPOLLHUP, wait_events(ep, WAIT_MS));
	close(ep);
	close(r);
}

/*
 * POSIX.1-2017 poll() POLLHUP: "Once set, the hangup state of a FIFO shall
 * persist until some process opens the FIFO for writing": the reader's
 * EPOLLHUP goes away when a new writer opens the FIFO, its data then gives
 * EPOLLIN|EPOLLRDNORM, and the writer's close brings EPOLLHUP back
 * (since 2.6).
 */
TEST(fifo_hangup_lasts_until_a_writer_opens_again)
{
	char path[300];
	int ep, r, w;

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"POSIX.1-2017 poll() POLLHUP: the hangup state of a "
			"FIFO persists until some process opens it for "
			"writing");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_fifo(path, sizeof(path)));
	ASSERT_LE(0, r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	ASSERT_LE(0, w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC));
	ep = watch_all(_metadata, r);
	close(w);
	ASSERT_EQ(EPOLLHUP, wait_events(ep, WAIT_MS));
	ASSERT_LE(0, w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC));
	EXPECT_EQ(0, wait_events(ep, 0));
	ASSERT_EQ(1, write(w, "f", 1));
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM, wait_events(ep, WAIT_MS));
	close(w);
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM | EPOLLHUP, wait_events(ep, WAIT_MS));
	close(ep);
	close(r);
}

/*
 * fifo(7): "Under Linux, opening a FIFO for read and write will succeed both
 * in blocking and nonblocking mode"; the descriptor is then a reader and a
 * writer of its own. Alone on the FIFO it reports EPOLLOUT|EPOLLWRNORM, and
 * after writing to itself EPOLLIN|EPOLLRDNORM as well - never EPOLLHUP or
 * EPOLLERR, as there is always a reader and a writer (since 2.6).
 */
TEST(fifo_opened_rdwr_is_its_own_reader_and_writer)
{
	char path[300], b;
	int ep, rw;

	CONFORM_DECLARE("2.6", "EPOLLOUT",
			"fifo(7): under Linux opening a FIFO for read and "
			"write succeeds");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_fifo(path, sizeof(path)));
	ASSERT_LE(0, rw = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC));
	ep = watch_all(_metadata, rw);
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM, wait_events(ep, 0));
	ASSERT_EQ(1, write(rw, "s", 1));
	EXPECT_EQ(EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM,
		  wait_events(ep, WAIT_MS));
	ASSERT_EQ(1, read(rw, &b, 1));
	EXPECT_EQ('s', b);
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM, wait_events(ep, 0));
	close(ep);
	close(rw);
}

/*
 * fs/pipe.c pipe_poll(): "Most Unices do not set EPOLLERR for FIFOs but on
 * Linux they behave exactly like pipes for poll()" (epoll_ctl(2) EPOLLERR for
 * the write end of a pipe whose read end is closed): a FIFO's writer reports
 * EPOLLERR|EPOLLOUT|EPOLLWRNORM once its only reader has closed (since 2.6).
 */
TEST(fifo_writer_reports_epollerr_after_last_reader_closes)
{
	char path[300];
	int ep, r, w;

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"epoll_ctl(2) EPOLLERR; fs/pipe.c pipe_poll(): on "
			"Linux FIFOs behave exactly like pipes for poll()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(new_fifo(path, sizeof(path)));
	ASSERT_LE(0, r = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	ASSERT_LE(0, w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC));
	ep = watch_all(_metadata, w);
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM, wait_events(ep, 0));
	close(r);
	EXPECT_EQ(EPOLLOUT | EPOLLWRNORM | EPOLLERR, wait_events(ep, WAIT_MS));
	close(ep);
	close(w);
}

TEST_HARNESS_MAIN
