// SPDX-License-Identifier: MIT
/*
 * ref/epoll-triggering: level- and edge-triggered watches through the
 * reference epoll context (ref/epoll.c), and ref_epoll_drain, the helper
 * that reads an edge-triggered fd until EAGAIN: all the data in order, a
 * new event for data that comes after, end of file, and the refusal of a
 * blocking fd.
 * Sources: epoll(7) "Level-triggered and edge-triggered", its Q&A on
 * reading until EAGAIN, DESIGN.md section 7, ref/epoll.h.
 * Every TEST goes through ref_epoll_init(), which calls epoll_create1(2)
 * (2.6.27): no TEST's first kernel is older (see its CONFORM_DECLARE); a
 * version after a cited call below is the kernel that call came in.
 */
#include <sys/epoll.h>

#include "conform_ref.h"
#include "conform_ref_epoll.h"

/*
 * A context watching p[0] (a pipe with a non-blocking read end) for
 * EPOLLIN plus extra (0 or EPOLLET), data tag.
 */
static void watch_pipe(struct __test_metadata *_metadata, struct ref_epoll *ep,
		       int p[2], uint32_t extra, uint64_t tag)
{
	ASSERT_EQ(0, ref_epoll_init(ep));
	ASSERT_EQ(0, ref_case_ep_pipe_nb(p));
	ASSERT_EQ(0, ref_epoll_add(ep, p[0], EPOLLIN | extra, tag));
}

static void unwatch_pipe(struct ref_epoll *ep, int p[2])
{
	ref_epoll_free(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * DESIGN.md section 7 and epoll(7): level-triggered, "an unhandled event
 * makes every wait return at once": one byte left unread, three waits with
 * no time to wait (timeout 0) each report it, with the same mask and data
 * (2.6).
 */
TEST(level_unhandled_event_repeats_on_every_wait)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "epoll_wait",
			"epoll(7) Level-triggered and edge-triggered");
	EPOLL_REQUIRE();
	watch_pipe(_metadata, &ep, p, 0, 0x1e7e1);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_TRUE(conform_fd_readable(p[0], REF_CASE_EP_BOUND_MS));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, 0, NULL));
		EXPECT_EQ(EPOLLIN, ev[0].events);
		EXPECT_EQ(0x1e7e1, ev[0].data.u64);
	}
	unwatch_pipe(&ep, p);
}

/*
 * epoll(7): level-triggered epoll "is simply a faster poll(2)": once the
 * byte is read the fd is not ready, and the wait reports nothing (2.6).
 */
TEST(level_handled_event_is_not_reported_again)
{
	struct epoll_event ev[2];
	struct ref_epoll ep;
	char c;
	int p[2];

	CONFORM_DECLARE("2.6.27", "epoll_wait",
			"epoll(7) Level-triggered and edge-triggered");
	EPOLL_REQUIRE();
	watch_pipe(_metadata, &ep, p, 0, 1);
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	unwatch_pipe(&ep, p);
}

/*
 * epoll(7) edge-triggered, its own example: 2 kB arrive, 1 kB is read;
 * the next wait "might block indefinitely" although data is still there,
 * since "edge-triggered mode delivers events only when changes occur".
 * Here it reports nothing, twice, with the pipe still readable (2.6).
 */
TEST(edge_partial_read_brings_no_new_event)
{
	static char data[2048], back[1024];
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"epoll(7) Level-triggered and edge-triggered: the "
			"example");
	EPOLL_REQUIRE();
	watch_pipe(_metadata, &ep, p, EPOLLET, 0xed6e);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(p[1], data, sizeof(data)));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0xed6e, ev[0].data.u64);
	ASSERT_EQ((ssize_t)sizeof(back), read(p[0], back, sizeof(back)));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	unwatch_pipe(&ep, p);
}

/* What the drain's callback saw: the bytes in order, and end of file. */
struct sink {
	unsigned char buf[16384];
	size_t len;
	unsigned int chunks;
	bool eof;
};

static void collect(void *arg, const void *data, size_t len)
{
	struct sink *s = arg;

	if (len == 0) {
		s->eof = true;
		return;
	}
	if (s->len + len <= sizeof(s->buf))
		memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->chunks++;
}

/*
 * epoll(7) Q&A: "You must consider it ready until the next (nonblocking)
 * read/write yields EAGAIN"; ref/epoll.h: ref_epoll_drain reads until then.
 * 10000 bytes of the pattern: the drain returns 10000, hands them over in
 * order (in more than one chunk: its buffer is 4 kB), and a read after it
 * gets EAGAIN (2.6).
 */
TEST(drain_reads_everything_until_eagain)
{
	static char data[10000];
	static struct sink s;
	struct epoll_event ev[2];
	struct ref_epoll ep;
	char c;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"epoll(7) Q&A: ready until read yields EAGAIN");
	EPOLL_REQUIRE();
	watch_pipe(_metadata, &ep, p, EPOLLET, 1);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(p[1], data, sizeof(data)));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ((ssize_t)sizeof(data), ref_epoll_drain(p[0], collect, &s));
	ASSERT_EQ(sizeof(data), s.len);
	EXPECT_TRUE(conform_check_pattern(s.buf, s.len, 0));
	EXPECT_LE(3u, s.chunks);
	EXPECT_FALSE(s.eof);
	errno = 0;
	EXPECT_EQ(-1, read(p[0], &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	unwatch_pipe(&ep, p);
}

/*
 * epoll(7): edge-triggered, wait again "only after read(2) or write(2)
 * return EAGAIN": after a drain, data that arrives later is a new edge and
 * is reported once, with the watch's data (2.6).
 */
TEST(after_drain_new_data_is_a_new_event)
{
	static struct sink s;
	struct epoll_event ev[2];
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"epoll(7): wait only after read or write return "
			"EAGAIN");
	EPOLL_REQUIRE();
	watch_pipe(_metadata, &ep, p, EPOLLET, 0xa6a1);
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	ASSERT_EQ(3, ref_epoll_drain(p[0], collect, &s));
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	ASSERT_EQ(2, write(p[1], "de", 2));
	ASSERT_EQ(1, ref_epoll_wait(&ep, ev, 2, REF_CASE_EP_BOUND_MS, NULL));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0xa6a1, ev[0].data.u64);
	EXPECT_EQ(0, ref_epoll_wait(&ep, ev, 2, 0, NULL));
	EXPECT_EQ(2, ref_epoll_drain(p[0], collect, &s));
	ASSERT_EQ(5u, s.len);
	EXPECT_EQ(0, memcmp(s.buf, "abcde", 5));
	unwatch_pipe(&ep, p);
}

/*
 * read(2): 0 at end of file (the pipe's writer closed); ref/epoll.h: the
 * drain passes len 0 to its callback then and returns the bytes read
 * before: 5 bytes, then end of file (2.6).
 */
TEST(drain_reports_end_of_file)
{
	static struct sink s;
	struct ref_epoll ep;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"read(2): 0 at end of file; ref/epoll.h "
			"ref_epoll_drain");
	EPOLL_REQUIRE();
	watch_pipe(_metadata, &ep, p, EPOLLET, 1);
	ASSERT_EQ(5, write(p[1], "hello", 5));
	ASSERT_EQ(0, close(p[1]));
	EXPECT_EQ(5, ref_epoll_drain(p[0], collect, &s));
	EXPECT_EQ(5u, s.len);
	EXPECT_TRUE(s.eof);
	ref_epoll_free(&ep);
	close(p[0]);
}

/*
 * ref/epoll.c Rule: edge-triggered needs non-blocking fds (epoll(7): "An
 * application that employs the EPOLLET flag should use nonblocking file
 * descriptors"). ref_epoll_drain refuses a blocking fd with -EINVAL and
 * reads nothing: the byte is still there.
 */
TEST(drain_refuses_blocking_fd)
{
	static struct sink s;
	int p[2];

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"epoll(7): EPOLLET should use nonblocking fds; "
			"ref/epoll.h");
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(-EINVAL, ref_epoll_drain(p[0], collect, &s));
	EXPECT_EQ(0u, s.len);
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	close(p[0]);
	close(p[1]);
}

/*
 * fcntl(2) EBADF "fd is not an open file descriptor"; ref/epoll.h: the
 * drain returns -errno and calls nothing: -EBADF for a number that cannot
 * be open (conform_bad_fd).
 */
TEST(drain_of_bad_fd_gets_ebadf)
{
	static struct sink s;

	CONFORM_DECLARE("2.6.27", "EPOLLET",
			"fcntl(2) EBADF; ref/epoll.h ref_epoll_drain");
	EXPECT_EQ(-EBADF, ref_epoll_drain(conform_bad_fd(), collect, &s));
	EXPECT_EQ(0u, s.chunks);
	EXPECT_FALSE(s.eof);
}

TEST_HARNESS_MAIN
