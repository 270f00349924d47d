// SPDX-License-Identifier: MIT
/*
 * epoll/fd-netlink-packet: which EPOLL* bits netlink (NETLINK_ROUTE) and
 * packet (AF_PACKET) sockets report, each entry registered for every
 * readiness bit (EPOLLIN, EPOLLPRI, EPOLLOUT, EPOLLRDNORM, EPOLLRDBAND,
 * EPOLLWRNORM, EPOLLWRBAND, EPOLLMSG, EPOLLRDHUP) so that the exact set is
 * seen. Both are datagram sockets (net/core/datagram.c datagram_poll()):
 * EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND while idle, EPOLLIN|EPOLLRDNORM while a
 * message is queued. Netlink: the reply of an RTM_GETLINK dump until its
 * NLMSG_DONE is read, an NLMSG_ERROR reply, a multicast notification
 * (RTMGRP_LINK), and a receive-buffer overrun as EPOLLERR with ENOBUFS
 * (netlink(7)), which NETLINK_NO_ENOBUFS (2.6.30) suppresses. Packet: a
 * frame seen on lo, and EPOLLERR with ENETDOWN when the interface the
 * socket is bound to goes down.
 * The tests that change links or need a quiet lo run in a network namespace
 * of their own (unshare(CLONE_NEWNET) in the test child: CAP_SYS_ADMIN),
 * where lo is the only link; packet sockets need CAP_NET_RAW. Both are
 * probed; the UDP ICMP-error case (EPOLLERR, ECONNREFUSED) is in
 * epoll/fd-inet.
 * Sources: netlink(7) (NLMSG_DONE, NLMSG_ERROR, ENOBUFS, NETLINK_NO_ENOBUFS),
 * rtnetlink(7) (RTM_GETLINK, RTMGRP_LINK), packet(7) (ENETDOWN),
 * epoll_ctl(2); net/netlink/af_netlink.c netlink_overrun(),
 * net/packet/af_packet.c packet_notifier(), net/core/datagram.c
 * datagram_poll().
 */
#include <sys/epoll.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "conform_epoll.h"

enum { TAG = 0x4e7 };

/* Every readiness bit an entry can ask for (EPOLLERR and EPOLLHUP come
 * anyway, epoll_ctl(2)). */
#define ALL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		  EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)

#define IN_BITS (EPOLLIN | EPOLLRDNORM)
/* datagram_poll() sets the three together. */
#define DGRAM_OUT (EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND)

/* A wait for an event that must come: a bound only. */
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

/* SO_ERROR of fd (read and cleared, socket(7)); -1 if getsockopt fails. */
static int so_error(int fd)
{
	socklen_t len = sizeof(int);
	int err = -1;

	return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) ? -1 : err;
}

/*
 * A NETLINK_ROUTE socket (CLOEXEC) bound to the multicast groups, with
 * the kernel's port id; -1 with the reason in conform_why.
 */
static int route_socket(unsigned int groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "socket/bind(AF_NETLINK, NETLINK_ROUTE): %s",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send an RTM_GETLINK request with flags (NLM_F_REQUEST added) for ifindex
 * (0 for a dump) to the kernel. 0, or -1 with errno. */
static int send_getlink(int fd, unsigned int flags, int ifindex, unsigned int seq)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	req.nh.nlmsg_seq = seq;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = ifindex;
	return sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		      sizeof(kernel)) == (ssize_t)req.nh.nlmsg_len ? 0 : -1;
}

/*
 * Move this test child into a network namespace of its own (lo, down, is
 * its only link). NULL, or why not: CAP_SYS_ADMIN missing (EPERM), or a
 * kernel without CONFIG_NET_NS (EINVAL).
 */
static const char *private_netns(void)
{
	if (unshare(CLONE_NEWNET) == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 CONFORM_ENV "unshare(CLONE_NEWNET): %s (needs CAP_SYS_ADMIN and CONFIG_NET_NS)",
		 strerror(errno));
	return conform_why;
}

/* Set lo of the current network namespace up or down (SIOCSIFFLAGS). 0, or
 * -1 with errno. */
static int set_lo(bool up)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		if (up)
			ifr.ifr_flags |= IFF_UP;
		else
			ifr.ifr_flags &= ~IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

/*
 * A packet socket (SOCK_DGRAM, ETH_P_IP, CLOEXEC) bound to lo, whose
 * index goes to *ifindex; -1 with the reason in conform_why (no
 * CAP_NET_RAW: EPERM; no CONFIG_PACKET: EAFNOSUPPORT).
 */
static int packet_socket_on_lo(int *ifindex)
{
	struct sockaddr_ll sll;
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));

	if (fd < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "socket(AF_PACKET): %s (needs CAP_NET_RAW and CONFIG_PACKET)",
			 strerror(errno));
		return -1;
	}
	*ifindex = (int)if_nametoindex("lo");
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = *ifindex;
	if (!*ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "bind(AF_PACKET) to lo: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * netlink(7): netlink is "a datagram-oriented service"; its sockets use
 * datagram_poll(). An idle NETLINK_ROUTE socket reports exactly
 * EPOLLOUT|EPOLLWRNORM|EPOLLWRBAND: a request can be sent at once, there
 * is nothing to read and no EPOLLHUP (since 2.6).
 */
TEST(idle_route_socket_reports_exactly_the_write_bits)
{
	int fd, ep;

	CONFORM_DECLARE("2.6", "NETLINK_ROUTE",
			"netlink(7) datagram-oriented service; "
			"net/core/datagram.c datagram_poll()");
	EPOLL_REQUIRE();
	fd = route_socket(0);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * rtnetlink(7) RTM_GETLINK with NLM_F_DUMP; netlink(7): a multipart
 * message ends with NLMSG_DONE. Once a dump of the links has been
 * requested the socket is EPOLLIN|EPOLLRDNORM; it is read message by
 * message (the kernel queues the next part as the previous one is read),
 * at least one RTM_NEWLINK (lo) comes before NLMSG_DONE, and once that is
 * read the socket is back to the write bits alone (since 2.6).
 */
TEST(link_dump_reports_epollin_until_nlmsg_done_is_read)
{
	static char buf[32768];
	int fd, ep, links = 0, reads = 0;
	bool done = false;

	CONFORM_DECLARE("2.6", "RTM_GETLINK",
			"rtnetlink(7) RTM_GETLINK NLM_F_DUMP; netlink(7) "
			"NLMSG_DONE ends a multipart message");
	EPOLL_REQUIRE();
	fd = route_socket(0);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	ASSERT_EQ(0, send_getlink(fd, NLM_F_DUMP, 0, 7));
	EXPECT_EQ(IN_BITS | DGRAM_OUT, wait_events(ep, WAIT_MS));
	while (!done && reads++ < 1000) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		ssize_t n;

		ASSERT_TRUE(conform_fd_readable(fd, WAIT_MS));
		n = recv(fd, buf, sizeof(buf), 0);
		ASSERT_LT(0, n);
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			ASSERT_EQ(7, nh->nlmsg_seq);
			ASSERT_NE(NLMSG_ERROR, nh->nlmsg_type);
			if (nh->nlmsg_type == NLMSG_DONE)
				done = true;
			else if (nh->nlmsg_type == RTM_NEWLINK)
				links++;
		}
	}
	ASSERT_TRUE(done);
	EXPECT_LE(1, links);
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * netlink(7) NLMSG_ERROR: an error reply carries "Negative errno". An
 * RTM_GETLINK for an interface index that does not exist is answered with
 * an NLMSG_ERROR of -ENODEV: the socket is EPOLLIN|EPOLLRDNORM until that
 * reply is read, then back to the write bits (since 2.6).
 */
TEST(error_reply_reports_epollin_until_read)
{
	char buf[4096];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct nlmsgerr *err;
	int fd, ep;
	ssize_t n;

	CONFORM_DECLARE("2.6", "NLMSG_ERROR",
			"netlink(7) NLMSG_ERROR negative errno; rtnetlink(7) "
			"RTM_GETLINK");
	EPOLL_REQUIRE();
	fd = route_socket(0);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	ASSERT_EQ(0, send_getlink(fd, 0, INT_MAX, 9));
	EXPECT_EQ(IN_BITS | DGRAM_OUT, wait_events(ep, WAIT_MS));
	n = recv(fd, buf, sizeof(buf), 0);
	ASSERT_TRUE(NLMSG_OK(nh, n));
	ASSERT_EQ(NLMSG_ERROR, nh->nlmsg_type);
	err = NLMSG_DATA(nh);
	EXPECT_EQ(-ENODEV, err->error);
	EXPECT_EQ(9, nh->nlmsg_seq);
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * rtnetlink(7): a socket bound to the RTMGRP_LINK multicast group gets the
 * RTM_NEWLINK notifications of link changes. In a network namespace of its
 * own, setting lo up makes the member EPOLLIN|EPOLLRDNORM with an
 * RTM_NEWLINK for lo (since 2.6).
 */
TEST(link_change_notification_reports_epollin_to_a_group_member)
{
	char buf[8192];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	int fd, ep;
	ssize_t n;

	CONFORM_DECLARE("2.6", "RTMGRP_LINK",
			"rtnetlink(7) RTMGRP_LINK notifications; netlink(7) "
			"nl_groups");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_netns());
	fd = route_socket(RTMGRP_LINK);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	ASSERT_EQ(0, set_lo(true));
	EXPECT_EQ(IN_BITS | DGRAM_OUT, wait_events(ep, WAIT_MS));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_TRUE(NLMSG_OK(nh, n));
	EXPECT_EQ(RTM_NEWLINK, nh->nlmsg_type);
	EXPECT_EQ((int)if_nametoindex("lo"),
		  ((struct ifinfomsg *)NLMSG_DATA(nh))->ifi_index);
	close(ep);
	close(fd);
}

/* Set lo down and up again `times` times, each change notified to the
 * RTMGRP_LINK members. 0, or -1 with errno. */
static int toggle_lo(int times)
{
	for (int i = 0; i < times; i++)
		if (set_lo(true) < 0 || set_lo(false) < 0)
			return -1;
	return 0;
}

/*
 * netlink(7): when the receive buffer is full the kernel drops the message
 * and the application learns it "via the ENOBUFS error returned by
 * recvmsg(2)". A group member with the smallest receive buffer that misses
 * notifications (lo set up and down 8 times) reports EPOLLERR beside
 * EPOLLIN (net/netlink/af_netlink.c netlink_overrun() sets sk_err); the
 * next recv() fails with ENOBUFS, which clears EPOLLERR while the queued
 * notifications keep EPOLLIN (since 2.6).
 */
TEST(overrun_reports_epollerr_until_recv_returns_enobufs)
{
	char buf[8192];
	int one = 1, fd, ep;

	CONFORM_DECLARE("2.6", "NETLINK_ROUTE",
			"netlink(7) ENOBUFS returned by recvmsg when messages "
			"were dropped; net/netlink/af_netlink.c "
			"netlink_overrun()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_netns());
	fd = route_socket(RTMGRP_LINK);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	/* socket(7) SO_RCVBUF: the kernel raises it to its minimum. */
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)));
	ep = watch_all(_metadata, fd);
	ASSERT_EQ(0, toggle_lo(8));
	EXPECT_EQ(IN_BITS | DGRAM_OUT | EPOLLERR, wait_events(ep, WAIT_MS));
	errno = 0;
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(IN_BITS | DGRAM_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

/*
 * netlink(7) NETLINK_NO_ENOBUFS (since 2.6.30): "This flag can be used by
 * unicast and broadcast listeners to avoid receiving ENOBUFS errors". The
 * same overrun as above then reports no EPOLLERR: only EPOLLIN, and recv()
 * returns a notification.
 */
TEST(netlink_no_enobufs_suppresses_the_overrun_epollerr)
{
	char buf[8192];
	int one = 1, fd, ep;

	CONFORM_DECLARE("2.6.30", "NETLINK_NO_ENOBUFS",
			"netlink(7) NETLINK_NO_ENOBUFS (since 2.6.30) avoids "
			"ENOBUFS errors");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_netns());
	fd = route_socket(RTMGRP_LINK);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one,
				sizeof(one)));
	ep = watch_all(_metadata, fd);
	ASSERT_EQ(0, toggle_lo(8));
	EXPECT_EQ(IN_BITS | DGRAM_OUT, wait_events(ep, WAIT_MS));
	EXPECT_LT(0, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, so_error(fd));
	close(ep);
	close(fd);
}

/*
 * packet(7): a packet socket bound to an interface receives the frames of
 * its protocol that arrive there (SOCK_DGRAM: without the link-level
 * header). In a network namespace of its own, with lo up, a socket bound
 * to lo for ETH_P_IP reports only the datagram write bits until a UDP
 * datagram is sent to 127.0.0.1; then EPOLLIN|EPOLLRDNORM, and recvfrom()
 * gives the frame with sll_ifindex of lo and sll_protocol ETH_P_IP (since
 * 2.6).
 */
TEST(packet_socket_reports_epollin_for_a_frame_on_lo)
{
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct sockaddr_ll from;
	socklen_t len = sizeof(from);
	char buf[2048];
	int fd, ep, udp, lo;

	CONFORM_DECLARE("2.6", "AF_PACKET",
			"packet(7) SOCK_DGRAM packet socket bound with "
			"sockaddr_ll; net/core/datagram.c datagram_poll()");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_netns());
	ASSERT_EQ(0, set_lo(true));
	fd = packet_socket_on_lo(&lo);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	ASSERT_LE(0, udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(1, sendto(udp, "p", 1, 0, (struct sockaddr *)&dst, sizeof(dst)));
	EXPECT_EQ(IN_BITS | DGRAM_OUT, wait_events(ep, WAIT_MS));
	ASSERT_LT(0, recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			      (struct sockaddr *)&from, &len));
	EXPECT_EQ(lo, from.sll_ifindex);
	EXPECT_EQ(htons(ETH_P_IP), from.sll_protocol);
	close(udp);
	close(ep);
	close(fd);
}

/*
 * packet(7) ERRORS: "ENETDOWN Interface is not up". A packet socket bound
 * to an interface that goes down gets ENETDOWN as a pending error
 * (net/packet/af_packet.c packet_notifier(), NETDEV_DOWN): EPOLLERR beside
 * its write bits; SO_ERROR returns ENETDOWN and clears it (since 2.6).
 */
TEST(packet_socket_reports_epollerr_enetdown_when_its_interface_goes_down)
{
	int fd, ep, lo;

	CONFORM_DECLARE("2.6", "AF_PACKET",
			"packet(7) ERRORS ENETDOWN; net/packet/af_packet.c "
			"packet_notifier() NETDEV_DOWN");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(private_netns());
	ASSERT_EQ(0, set_lo(true));
	fd = packet_socket_on_lo(&lo);
	if (fd < 0)
		SKIP(return, "%s", conform_why);
	ep = watch_all(_metadata, fd);
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	ASSERT_EQ(0, set_lo(false));
	EXPECT_EQ(DGRAM_OUT | EPOLLERR, wait_events(ep, WAIT_MS));
	EXPECT_EQ(ENETDOWN, so_error(fd));
	EXPECT_EQ(DGRAM_OUT, wait_events(ep, 0));
	close(ep);
	close(fd);
}

TEST_HARNESS_MAIN
