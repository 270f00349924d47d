// SPDX-License-Identifier: MIT
/*
 * epoll/hup: the hang-up and error conditions - EPOLLHUP and EPOLLERR are
 * reported without being requested, EPOLLRDHUP only when requested.
 * Sources: epoll_ctl(2) EPOLLHUP, EPOLLERR, EPOLLRDHUP (since 2.6.17).
 */
#include <sys/epoll.h>

#include "conform_epoll.h"

/*
 * epoll_ctl(2) EPOLLHUP: "epoll_wait(2) will always wait for this event; it
 * is not necessary to set it in events": a pipe's read end registered with
 * an empty mask reports exactly EPOLLHUP once the write end is closed
 * (since 2.6).
 */
TEST(pipe_writer_close_reports_unrequested_epollhup)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"epoll_ctl(2) EPOLLHUP: always waited for, need not "
			"be set in events");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, 0, 0x48);
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[1]);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLHUP, ev[0].events);
	EXPECT_EQ(0x48, ev[0].data.u64);
	close(p[0]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLHUP: for a pipe it "merely indicates that the peer closed
 * its end ... Subsequent reads ... return 0 (end of file) only after all
 * outstanding data in the channel has been consumed": with data left,
 * EPOLLIN | EPOLLHUP, and the data is read back before EOF (since 2.6).
 */
TEST(pipe_writer_close_with_data_reports_epollin_and_epollhup)
{
	unsigned char buf[64], back[128];
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"epoll_ctl(2) EPOLLHUP: reads return 0 only after "
			"outstanding data is consumed");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, 1);
	conform_fill_pattern(buf, sizeof(buf), 0);
	ASSERT_EQ((ssize_t)sizeof(buf), write(p[1], buf, sizeof(buf)));
	close(p[1]);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN | EPOLLHUP, ev[0].events);
	ASSERT_EQ((ssize_t)sizeof(buf), read(p[0], back, sizeof(back)));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(buf), 0));
	EXPECT_EQ(0, read(p[0], back, sizeof(back)));
	close(p[0]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLERR: "also reported for the write end of a pipe when the
 * read end has been closed", and "epoll_wait(2) will always report for this
 * event": registered with an empty mask, exactly EPOLLERR (since 2.6).
 */
TEST(pipe_reader_close_reports_unrequested_epollerr)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("2.6", "EPOLLERR",
			"epoll_ctl(2) EPOLLERR: reported for the write end "
			"of a pipe when the read end is closed");
	EPOLL_REQUIRE();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[1], 0, 0x45));
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(p[0]);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLERR, ev[0].events);
	EXPECT_EQ(0x45, ev[0].data.u64);
	close(p[1]);
	close(ep);
}

/*
 * Like epoll_new_watching_pipe: a new epoll instance in *ep and a connected
 * socket pair in s, with s[0] added for events with data tag.
 */
static void epoll_new_watching_socket(struct __test_metadata *_metadata,
				      int *ep, int s[2], unsigned int events,
				      __u64 tag)
{
	ASSERT_LE(0, *ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, conform_socketpair(s));
	ASSERT_EQ(0, epoll_ctl_tag(*ep, EPOLL_CTL_ADD, s[0], events, tag));
}

/*
 * epoll_ctl(2) EPOLLRDHUP (since 2.6.17): "Stream socket peer closed
 * connection, or shut down writing half of connection": after the peer's
 * shutdown(SHUT_WR) the requested EPOLLIN | EPOLLRDHUP are both reported
 * (not EPOLLHUP: our own write half is still open), and read gives EOF.
 */
TEST(peer_shutdown_wr_reports_epollrdhup)
{
	struct epoll_event ev[2];
	char c;
	int ep, s[2];

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLRDHUP (since 2.6.17)");
	EPOLL_REQUIRE();
	epoll_new_watching_socket(_metadata, &ep, s, EPOLLIN | EPOLLRDHUP, 2);
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	ASSERT_EQ(0, shutdown(s[1], SHUT_WR));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN | EPOLLRDHUP, ev[0].events);
	EXPECT_EQ(0, read(s[0], &c, 1));
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2): EPOLLRDHUP is an ordinary event type, unlike EPOLLHUP and
 * EPOLLERR not reported unless set in events: the same shutdown seen with
 * only EPOLLIN requested gives exactly EPOLLIN (since 2.6.17).
 */
TEST(epollrdhup_is_not_reported_unless_requested)
{
	struct epoll_event ev[2];
	int ep, s[2];

	CONFORM_DECLARE("2.6.17", "EPOLLRDHUP",
			"epoll_ctl(2) EPOLLRDHUP (since 2.6.17) is not "
			"always-reported like EPOLLHUP and EPOLLERR");
	EPOLL_REQUIRE();
	epoll_new_watching_socket(_metadata, &ep, s, EPOLLIN, 3);
	ASSERT_EQ(0, shutdown(s[1], SHUT_WR));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	close(s[0]);
	close(s[1]);
	close(ep);
}

/*
 * epoll_ctl(2) EPOLLHUP: for a stream socket it indicates "that the peer
 * closed its end of the channel"; registered with an empty mask, a closed
 * peer gives exactly EPOLLHUP (since 2.6).
 */
TEST(socket_peer_close_reports_unrequested_epollhup)
{
	struct epoll_event ev[2];
	int ep, s[2];

	CONFORM_DECLARE("2.6", "EPOLLHUP",
			"epoll_ctl(2) EPOLLHUP: the peer closed its end of a "
			"stream socket");
	EPOLL_REQUIRE();
	epoll_new_watching_socket(_metadata, &ep, s, 0, 4);
	ASSERT_EQ(0, epoll_wait(ep, ev, 2, 0));
	close(s[1]);
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 1000));
	EXPECT_EQ(EPOLLHUP, ev[0].events);
	close(s[0]);
	close(ep);
}

TEST_HARNESS_MAIN
