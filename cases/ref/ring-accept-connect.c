// SPDX-License-Identifier: MIT
/*
 * ref/ring-accept-connect: IORING_OP_ACCEPT and IORING_OP_CONNECT through
 * the reference ring: an AF_UNIX listener in the program's private directory
 * (works without a network, e.g. in an initramfs), a TCP round on 127.0.0.1
 * port 0 (skipped when loopback is not up), multishot accept
 * (IORING_ACCEPT_MULTISHOT, probed), and the errors for a refused connect
 * and an accept on a non-socket.
 */
#include <netinet/in.h>
#include <sys/un.h>

#include "conform_ref.h"

enum { TAG_ACCEPT = 1, TAG_CONNECT = 2, TAG_CANCEL = 3 };

/*
 * NULL if multishot accept is accepted: IORING_ACCEPT_MULTISHOT is 5.19;
 * before, a non-zero ioprio makes the accept fail with -EINVAL. Probed with
 * one connection on a listener and ring of its own.
 */
static const char *multishot_accept_missing(void)
{
	const char *why = "the multishot accept probe did not complete";
	struct ref_case_cqe_log log = { 0 };
	struct sockaddr_un sun;
	struct ref_ring ring;
	int lfd, cfd = -1;

	lfd = ref_case_unix_listener("probe.sock", &sun);
	if (lfd < 0)
		return CONFORM_ENV "AF_UNIX listener failed in the multishot accept probe";
	if (ref_ring_init(&ring, 4, NULL) == 0) {
		cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (cfd >= 0 && connect(cfd, (struct sockaddr *)&sun, sizeof(sun)) == 0 &&
		    ref_prep_accept(&ring, lfd, NULL, NULL, SOCK_CLOEXEC, true, TAG_ACCEPT) &&
		    ref_ring_submit(&ring) == 1 &&
		    ref_case_reap_until(&ring, &log, 1) == 0) {
			int res = ref_case_res_of(&log, TAG_ACCEPT);

			if (res >= 0)
				close(res);
			why = res == -EINVAL ?
			      "IORING_ACCEPT_MULTISHOT rejected with -EINVAL" : NULL;
		}
		ref_ring_free(&ring);
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	unlink(sun.sun_path);
	return why;
}

/*
 * io_uring_enter(2) IORING_OP_ACCEPT/IORING_OP_CONNECT: like accept4(2) and
 * connect(2); accept's res is the new fd (since 5.5). The accept waits until
 * the connect arrives; the accepted socket carries what the client sends.
 */
TEST(accept_and_connect_on_unix_socket)
{
	struct ref_case_cqe_log log = { 0 };
	struct sockaddr_un sun;
	struct ref_ring ring;
	int lfd, cfd, afd;
	char buf[4];

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT/IORING_OP_CONNECT",
			"io_uring_enter(2) IORING_OP_ACCEPT and "
			"IORING_OP_CONNECT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	lfd = ref_case_unix_listener("a.sock", &sun);
	ASSERT_LE(0, lfd);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_accept(&ring, lfd, NULL, NULL, SOCK_CLOEXEC, false, TAG_ACCEPT));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	EXPECT_TRUE(ref_case_nothing_completes(&ring));
	ASSERT_TRUE(ref_prep_connect(&ring, cfd, (struct sockaddr *)&sun, sizeof(sun), TAG_CONNECT));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_CONNECT));
	afd = ref_case_res_of(&log, TAG_ACCEPT);
	ASSERT_LE(0, afd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(afd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(3, write(cfd, "abc", 3));
	EXPECT_EQ(3, read(afd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	close(afd);
	ref_ring_free(&ring);
	close(cfd);
	close(lfd);
}

/*
 * accept(2): addr receives the peer's address and *addrlen its length; on
 * TCP loopback that is 127.0.0.1 and the client's port (IORING_OP_ACCEPT
 * since 5.5). Listener on 127.0.0.1 port 0 (kernel-chosen port).
 */
TEST(tcp_accept_reports_peer_address)
{
	struct sockaddr_in srv = { .sin_family = AF_INET }, peer, cli;
	socklen_t len = sizeof(srv), peer_len = sizeof(peer);
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int lfd, cfd, afd;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT",
			"accept(2) addr and addrlen; io_uring_enter(2) "
			"IORING_OP_ACCEPT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, lfd);
	if (!conform_loopback_up(lfd)) {
		close(lfd);
		SKIP(return, CONFORM_ENV "loopback interface lo is not up");
	}
	if (bind(lfd, (struct sockaddr *)&srv, sizeof(srv))) {
		int err = errno;

		close(lfd);
		SKIP(return, CONFORM_ENV "bind to 127.0.0.1 failed (%s): loopback not up", strerror(err));
	}
	ASSERT_EQ(0, listen(lfd, 4));
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&srv, &len));
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	memset(&peer, 0xff, sizeof(peer));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_accept(&ring, lfd, (struct sockaddr *)&peer, &peer_len, 0, false, TAG_ACCEPT));
	ASSERT_TRUE(ref_prep_connect(&ring, cfd, (struct sockaddr *)&srv, sizeof(srv), TAG_CONNECT));
	ASSERT_EQ(2, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 2));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_CONNECT));
	afd = ref_case_res_of(&log, TAG_ACCEPT);
	ASSERT_LE(0, afd);
	len = sizeof(cli);
	ASSERT_EQ(0, getsockname(cfd, (struct sockaddr *)&cli, &len));
	EXPECT_EQ((socklen_t)sizeof(peer), peer_len);
	EXPECT_EQ(AF_INET, peer.sin_family);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), peer.sin_addr.s_addr);
	EXPECT_EQ(cli.sin_port, peer.sin_port);
	close(afd);
	ref_ring_free(&ring);
	close(cfd);
	close(lfd);
}

/*
 * connect(2) ECONNREFUSED: "No-one listening on the remote address"; for an
 * AF_UNIX path whose socket is bound but not listening, IORING_OP_CONNECT
 * gives -ECONNREFUSED (since 5.5).
 */
TEST(connect_to_non_listening_socket_gets_econnrefused)
{
	struct sockaddr_un sun;
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int sfd, cfd;

	CONFORM_DECLARE("5.5", "IORING_OP_CONNECT", "connect(2) ECONNREFUSED");
	CONFORM_REQUIRE_URING_OP(IORING_OP_CONNECT);
	ASSERT_EQ(0, ref_case_unix_addr(&sun, "bound.sock"));
	sfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, bind(sfd, (struct sockaddr *)&sun, sizeof(sun)));
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_connect(&ring, cfd, (struct sockaddr *)&sun, sizeof(sun), TAG_CONNECT));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(-ECONNREFUSED, ref_case_res_of(&log, TAG_CONNECT));
	ref_ring_free(&ring);
	close(cfd);
	close(sfd);
}

/* accept(2) ENOTSOCK: the fd does not refer to a socket (since 5.5). */
TEST(accept_on_non_socket_gets_enotsock)
{
	struct ref_case_cqe_log log = { 0 };
	struct ref_ring ring;
	int fd;

	CONFORM_DECLARE("5.5", "IORING_OP_ACCEPT", "accept(2) ENOTSOCK");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	fd = conform_temp_file(16, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_accept(&ring, fd, NULL, NULL, 0, false, TAG_ACCEPT));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 1));
	EXPECT_EQ(-ENOTSOCK, ref_case_res_of(&log, TAG_ACCEPT));
	ref_ring_free(&ring);
	close(fd);
}

/*
 * io_uring_prep_multishot_accept(3): one request accepts connection after
 * connection, each CQE a new fd with IORING_CQE_F_MORE; cancelling it ends it
 * with a CQE without F_MORE, -ECANCELED (since 5.19). Three clients.
 */
TEST(multishot_accept_posts_fd_per_connection)
{
	struct ref_case_cqe_log log = { 0 };
	const struct io_uring_cqe *last = NULL;
	struct sockaddr_un sun;
	struct ref_ring ring;
	int lfd, cfd[3];

	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_prep_multishot_accept(3)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE(multishot_accept_missing());
	lfd = ref_case_unix_listener("m.sock", &sun);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_TRUE(ref_prep_accept(&ring, lfd, NULL, NULL, SOCK_CLOEXEC, true, TAG_ACCEPT));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	for (unsigned int i = 0; i < 3; i++) {
		cfd[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ASSERT_LE(0, cfd[i]);
		ASSERT_EQ(0, connect(cfd[i], (struct sockaddr *)&sun, sizeof(sun)));
		ASSERT_EQ(0, ref_case_reap_until(&ring, &log, i + 1));
		EXPECT_EQ((uint64_t)TAG_ACCEPT, log.cqe[i].user_data);
		EXPECT_LE(0, log.cqe[i].res);
		EXPECT_TRUE(ref_cqe_has_more(&log.cqe[i]));
	}
	ASSERT_TRUE(ref_prep_cancel(&ring, TAG_ACCEPT, 0, TAG_CANCEL));
	ASSERT_EQ(1, ref_ring_submit(&ring));
	ASSERT_EQ(0, ref_case_reap_until(&ring, &log, 5));
	EXPECT_EQ(0, ref_case_res_of(&log, TAG_CANCEL));
	for (unsigned int i = 3; i < log.n && i < REF_CASE_LOG_MAX; i++)
		if (log.cqe[i].user_data == TAG_ACCEPT)
			last = &log.cqe[i];
	ASSERT_NE(NULL, last);
	EXPECT_EQ(-ECANCELED, last->res);
	EXPECT_FALSE(ref_cqe_has_more(last));
	for (unsigned int i = 0; i < 3; i++) {
		if (log.cqe[i].res >= 0)
			close(log.cqe[i].res);
		close(cfd[i]);
	}
	ref_ring_free(&ring);
	close(lfd);
}

TEST_HARNESS_MAIN
