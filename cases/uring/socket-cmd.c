// SPDX-License-Identifier: MIT
/*
 * uring/socket-cmd: IORING_OP_URING_CMD (5.19) on a socket, whose
 * sqe->cmd_op is a SOCKET_URING_OP_* (enum io_uring_socket_op): SIOCINQ
 * and SIOCOUTQ (6.7) return the protocol ioctl's count as res; GETSOCKOPT
 * and SETSOCKOPT (6.7) take the level in sqe->level, the option in
 * sqe->optname, the value pointer in sqe->optval (the addr3 word) and its
 * length in sqe->optlen, GETSOCKOPT only at SOL_SOCKET and returning the
 * length as res; TX_TIMESTAMP (6.17) is a multishot request on a ring
 * with 32-byte CQEs that posts one CQE per transmit timestamp of the
 * socket's error queue; GETSOCKNAME (6.19) is getsockname(2) or, with
 * sqe->optlen 1, getpeername(2). Errors: an unknown cmd_op, a socket whose
 * protocol has no ioctl (AF_UNIX) and a file without ->uring_cmd
 * (-EOPNOTSUPP), unknown uring_cmd_flags, a non-zero __pad1, and
 * IORING_URING_CMD_MULTISHOT without buffer selection or with
 * IORING_URING_CMD_FIXED (-EINVAL). Each cmd_op is probed by behaviour: a
 * kernel that does not know it completes it with -EOPNOTSUPP. Sources:
 * io_uring_prep_cmd_sock(3) (io_uring_prep_cmd(3)), <linux/io_uring.h>,
 * tcp(7)/udp(7) SIOCINQ/SIOCOUTQ, getsockopt(2), getsockname(2),
 * getpeername(2), Documentation/networking/timestamping.rst, io_uring/
 * cmd_net.c and uring_cmd.c. liburing 2.3 has no io_uring_prep_cmd_sock():
 * the SQEs are filled by hand. The 6.1 uapi header has no sqe->level,
 * optname, optval or optlen names: level and optname are the two 32-bit
 * halves of sqe->addr (level first), optval is sqe->addr3 and optlen
 * sqe->file_index, as the 7.2 header's unions place them.
 */
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG = 0x50c };

/* An IORING_OP_URING_CMD of socket command op on fd, tagged TAG. */
static void prep_sock_cmd(struct io_uring_sqe *sqe, int fd, unsigned int op)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	io_uring_sqe_set_data64(sqe, TAG);
}

/*
 * The option fields of GETSOCKOPT/SETSOCKOPT: sqe->level and sqe->optname
 * share the sqe->addr word (level the lower address), sqe->optval is the
 * addr3 word and sqe->optlen the file_index word.
 */
static void set_sockopt_fields(struct io_uring_sqe *sqe, __u32 level,
			       __u32 optname, void *optval, __u32 optlen)
{
	__u32 words[2] = { level, optname };

	memcpy(&sqe->addr, words, sizeof(words));
	sqe->addr3 = (__u64)(uintptr_t)optval;
	sqe->file_index = optlen;
}

/* GETSOCKNAME: the address buffer in addr, the int length in addr3, peer
 * (0 or 1) in optlen. */
static void prep_getsockname(struct io_uring_sqe *sqe, int fd, void *addr,
			     int *len, unsigned int peer)
{
	prep_sock_cmd(sqe, fd, REF_SOCKET_URING_OP_GETSOCKNAME);
	sqe->addr = (__u64)(uintptr_t)addr;
	sqe->addr3 = (__u64)(uintptr_t)len;
	sqe->file_index = peer;
}

/*
 * NULL when the socket command prepared in *sqe (on a socket) completes
 * with anything but -EOPNOTSUPP, the answer of a kernel whose sockets have
 * no ->uring_cmd (before 6.7) or that does not know the cmd_op
 * (io_uring_cmd_sock()'s default case). Else why not.
 */
static const char *cmd_op_missing(const struct io_uring_sqe *sqe,
				  const char *name)
{
	const char *why = conform_uring_op_missing(IORING_OP_URING_CMD,
						   "IORING_OP_URING_CMD");
	int res;

	if (why)
		return why;
	res = uring_run_one_sqe_res(sqe);
	if (res == INT_MIN) {
		snprintf(conform_why, sizeof(conform_why),
			 "%s: the probe on a UDP socket did not complete", name);
		return conform_why;
	}
	if (res != -EOPNOTSUPP)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "%s on a UDP socket gets -EOPNOTSUPP: this kernel does not know the socket command",
		 name);
	return conform_why;
}

/*
 * Probe socket command op on a new UDP socket with harmless arguments
 * (GETSOCKOPT of SO_TYPE, SETSOCKOPT of SO_KEEPALIVE 0, GETSOCKNAME into
 * a buffer; TX_TIMESTAMP on a ring without 32-byte CQEs gets -EINVAL).
 */
static const char *sock_cmd_missing(unsigned int op, const char *name)
{
	struct sockaddr_storage ss;
	struct io_uring_sqe sqe;
	int fd, val = 0, len = sizeof(ss);
	const char *why;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return CONFORM_ENV "socket(AF_INET, SOCK_DGRAM) failed";
	if (op == REF_SOCKET_URING_OP_GETSOCKNAME) {
		prep_getsockname(&sqe, fd, &ss, &len, 0);
	} else {
		prep_sock_cmd(&sqe, fd, op);
		if (op == REF_SOCKET_URING_OP_GETSOCKOPT)
			set_sockopt_fields(&sqe, SOL_SOCKET, SO_TYPE, &val, sizeof(val));
		if (op == REF_SOCKET_URING_OP_SETSOCKOPT)
			set_sockopt_fields(&sqe, SOL_SOCKET, SO_KEEPALIVE, &val, sizeof(val));
	}
	why = cmd_op_missing(&sqe, name);
	close(fd);
	return why;
}

/* op: the kernel name, SOCKET_URING_OP_X; its number is REF_ op. */
#define REQUIRE_SOCK_CMD(op) CONFORM_REQUIRE(sock_cmd_missing(REF_##op, #op))

/* Run one socket command, a copy of *sqe, on a ring of its own: its res. */
static int run_cmd(const struct io_uring_sqe *sqe)
{
	return uring_run_one_sqe_res(sqe);
}

static int sock_int_opt(int fd, int level, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	return getsockopt(fd, level, opt, &val, &len) < 0 ? -errno : val;
}

/*
 * tcp(7) SIOCINQ: "Returns the amount of queued unread data in the receive
 * buffer"; SOCKET_URING_OP_SIOCINQ returns that count as res (since 6.7):
 * 100 once all 100 bytes written by the peer are queued.
 */
TEST(siocinq_returns_bytes_queued_to_read)
{
	struct io_uring_sqe sqe;
	struct timespec start, now;
	int c, s, inq = 0;
	char data[100] = { 0 };

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_SIOCINQ",
			"io_uring_prep_cmd_sock(3); tcp(7) SIOCINQ");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SIOCINQ);
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	ASSERT_EQ(100, write(c, data, sizeof(data)));
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ioctl(s, SIOCINQ, &inq) == 0 && inq < 100) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ASSERT_GT(2, now.tv_sec - start.tv_sec);
		conform_fd_readable(s, 10);
	}
	prep_sock_cmd(&sqe, s, REF_SOCKET_URING_OP_SIOCINQ);
	EXPECT_EQ(100, run_cmd(&sqe));
	close(c);
	close(s);
}

/*
 * tcp(7) SIOCINQ: "The socket must not be in LISTEN state, otherwise an
 * error (EINVAL) is returned"; the protocol ioctl's error is the result of
 * SOCKET_URING_OP_SIOCINQ (since 6.7).
 */
TEST(siocinq_on_listening_tcp_socket_gets_einval)
{
	struct sockaddr_in sin;
	struct io_uring_sqe sqe;
	int lfd;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_SIOCINQ", "tcp(7) SIOCINQ EINVAL");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SIOCINQ);
	lfd = conform_tcp_listener(&sin);
	CONFORM_REQUIRE(lfd < 0 ? conform_why : NULL);
	prep_sock_cmd(&sqe, lfd, REF_SOCKET_URING_OP_SIOCINQ);
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	close(lfd);
}

/*
 * udp(7) SIOCOUTQ: "Returns the number of data bytes in the local send
 * queue" (what Linux counts is the send buffer memory in use,
 * sk_wmem_alloc); SOCKET_URING_OP_SIOCOUTQ returns the same as the
 * ioctl(2) (since 6.7). A UDP socket with UDP_CORK holds a 100-byte send
 * in its queue, so the count is non-zero and does not change.
 */
TEST(siocoutq_returns_what_the_send_queue_holds)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct io_uring_sqe sqe;
	int rx, tx, one = 1, outq = -1, res;
	char data[100] = { 0 };

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_SIOCOUTQ",
			"io_uring_prep_cmd_sock(3); udp(7) SIOCOUTQ");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SIOCOUTQ);
	ASSERT_LE(0, rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	CONFORM_REQUIRE(conform_loopback_up(rx) ? NULL :
			CONFORM_ENV "loopback interface lo is not up");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(rx, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(rx, (struct sockaddr *)&sin, &len));
	ASSERT_LE(0, tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, connect(tx, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, setsockopt(tx, IPPROTO_UDP, UDP_CORK, &one, sizeof(one)));
	ASSERT_EQ(100, send(tx, data, sizeof(data), 0));
	ASSERT_EQ(0, ioctl(tx, SIOCOUTQ, &outq));
	ASSERT_LE(100, outq);
	prep_sock_cmd(&sqe, tx, REF_SOCKET_URING_OP_SIOCOUTQ);
	res = run_cmd(&sqe);
	EXPECT_EQ(outq, res);
	close(tx);
	close(rx);
}

/*
 * io_uring_prep_cmd_sock(3) SOCKET_URING_OP_GETSOCKOPT: getsockopt(2)
 * "optval ... optlen" with the option value stored at optval; the
 * kernel's io_uring_cmd_getsockopt() returns the option length as res
 * ("On success, return optlen", since 6.7): SO_TYPE of a UDP socket is
 * SOCK_DGRAM, res 4.
 */
TEST(getsockopt_stores_the_value_and_returns_its_length)
{
	struct io_uring_sqe sqe;
	int fd, val = -1;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_GETSOCKOPT",
			"io_uring_prep_cmd_sock(3); getsockopt(2); io_uring/cmd_net.c");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_GETSOCKOPT);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_GETSOCKOPT);
	set_sockopt_fields(&sqe, SOL_SOCKET, SO_TYPE, &val, sizeof(val));
	EXPECT_EQ((int)sizeof(val), run_cmd(&sqe));
	EXPECT_EQ(SOCK_DGRAM, val);
	close(fd);
}

/*
 * io_uring/cmd_net.c io_uring_cmd_getsockopt(): "if (level != SOL_SOCKET)
 * return -EOPNOTSUPP" - only socket-level options can be read (since 6.7):
 * TCP_NODELAY at IPPROTO_TCP gets -EOPNOTSUPP and optval is untouched.
 */
TEST(getsockopt_at_other_level_than_sol_socket_gets_eopnotsupp)
{
	struct io_uring_sqe sqe;
	int fd, val = -7;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_GETSOCKOPT",
			"io_uring/cmd_net.c io_uring_cmd_getsockopt() EOPNOTSUPP");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_GETSOCKOPT);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_GETSOCKOPT);
	set_sockopt_fields(&sqe, IPPROTO_TCP, TCP_NODELAY, &val, sizeof(val));
	EXPECT_EQ(-EOPNOTSUPP, run_cmd(&sqe));
	EXPECT_EQ(-7, val);
	close(fd);
}

/*
 * io_uring_prep_cmd_sock(3) SOCKET_URING_OP_SETSOCKOPT: setsockopt(2) at
 * any level (since 6.7): SO_KEEPALIVE at SOL_SOCKET and IP_TTL at
 * IPPROTO_IP both complete with 0 and getsockopt(2) then reads the values
 * set.
 */
TEST(setsockopt_sets_the_option)
{
	struct io_uring_sqe sqe;
	int fd, on = 1, ttl = 42;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_SETSOCKOPT",
			"io_uring_prep_cmd_sock(3); setsockopt(2)");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SETSOCKOPT);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	ASSERT_EQ(0, sock_int_opt(fd, SOL_SOCKET, SO_KEEPALIVE));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SETSOCKOPT);
	set_sockopt_fields(&sqe, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	EXPECT_EQ(0, run_cmd(&sqe));
	EXPECT_EQ(1, sock_int_opt(fd, SOL_SOCKET, SO_KEEPALIVE));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SETSOCKOPT);
	set_sockopt_fields(&sqe, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	EXPECT_EQ(0, run_cmd(&sqe));
	EXPECT_EQ(42, sock_int_opt(fd, IPPROTO_IP, IP_TTL));
	close(fd);
}

/*
 * io_uring/cmd_net.c io_uring_cmd_sock(): "default: return -EOPNOTSUPP" -
 * a cmd_op that is no SOCKET_URING_OP_* fails (since 6.7): 1000 on a UDP
 * socket. This is also what a kernel answers for a command it does not
 * know yet, the probe of every other TEST here.
 */
TEST(unknown_cmd_op_gets_eopnotsupp)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_SIOCINQ",
			"io_uring/cmd_net.c io_uring_cmd_sock() EOPNOTSUPP");
	/* Socket commands exist at all (6.7), or 1000 would prove nothing. */
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SIOCINQ);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	prep_sock_cmd(&sqe, fd, 1000);
	EXPECT_EQ(-EOPNOTSUPP, run_cmd(&sqe));
	close(fd);
}

/*
 * io_uring/cmd_net.c io_uring_cmd_sock(): SIOCINQ and SIOCOUTQ go to the
 * protocol's ioctl, "if (!prot || !prot->ioctl) return -EOPNOTSUPP"; the
 * AF_UNIX protocols have none, so both fail on a socketpair (since 6.7),
 * though ioctl(2) SIOCINQ works there (unix(7)).
 */
TEST(siocinq_siocoutq_on_unix_socket_get_eopnotsupp)
{
	struct io_uring_sqe sqe;
	int sv[2], inq = -1;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_SIOCINQ",
			"io_uring/cmd_net.c io_uring_cmd_sock() EOPNOTSUPP");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SIOCINQ);
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(1, write(sv[1], "q", 1));
	ASSERT_EQ(0, ioctl(sv[0], SIOCINQ, &inq));
	EXPECT_EQ(1, inq);
	prep_sock_cmd(&sqe, sv[0], REF_SOCKET_URING_OP_SIOCINQ);
	EXPECT_EQ(-EOPNOTSUPP, run_cmd(&sqe));
	prep_sock_cmd(&sqe, sv[0], REF_SOCKET_URING_OP_SIOCOUTQ);
	EXPECT_EQ(-EOPNOTSUPP, run_cmd(&sqe));
	close(sv[0]);
	close(sv[1]);
}

/*
 * GETSOCKOPT and SETSOCKOPT do not need the protocol ioctl (io_uring/
 * cmd_net.c: do_sock_getsockopt()/do_sock_setsockopt(), as the system
 * calls): on an AF_UNIX socketpair, where SIOCINQ fails, GETSOCKOPT of
 * SO_TYPE gives SOCK_STREAM with res 4 and SETSOCKOPT of SO_KEEPALIVE
 * takes effect (since 6.7).
 */
TEST(getsockopt_setsockopt_work_on_unix_socket)
{
	struct io_uring_sqe sqe;
	int sv[2], val = -1, on = 1;

	CONFORM_DECLARE("6.7", "SOCKET_URING_OP_GETSOCKOPT",
			"io_uring_prep_cmd_sock(3); getsockopt(2), setsockopt(2); unix(7)");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_GETSOCKOPT);
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_SETSOCKOPT);
	ASSERT_EQ(0, conform_socketpair(sv));
	prep_sock_cmd(&sqe, sv[0], REF_SOCKET_URING_OP_GETSOCKOPT);
	set_sockopt_fields(&sqe, SOL_SOCKET, SO_TYPE, &val, sizeof(val));
	EXPECT_EQ((int)sizeof(val), run_cmd(&sqe));
	EXPECT_EQ(SOCK_STREAM, val);
	prep_sock_cmd(&sqe, sv[0], REF_SOCKET_URING_OP_SETSOCKOPT);
	set_sockopt_fields(&sqe, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	EXPECT_EQ(0, run_cmd(&sqe));
	EXPECT_EQ(1, sock_int_opt(sv[0], SOL_SOCKET, SO_KEEPALIVE));
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_prep_cmd(3): the command goes to the file's ->uring_cmd();
 * io_uring/uring_cmd.c io_uring_cmd(): "if (!file->f_op->uring_cmd) return
 * -EOPNOTSUPP" - a regular file has none (since 5.19).
 */
TEST(uring_cmd_on_regular_file_gets_eopnotsupp)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_URING_CMD",
			"io_uring/uring_cmd.c io_uring_cmd() EOPNOTSUPP");
	CONFORM_REQUIRE_URING_OP(IORING_OP_URING_CMD);
	ASSERT_LE(0, fd = conform_temp_file(16, 0));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SIOCINQ);
	EXPECT_EQ(-EOPNOTSUPP, run_cmd(&sqe));
	close(fd);
}

/*
 * io_uring/uring_cmd.c io_uring_cmd_prep(): "if (sqe->__pad1) return
 * -EINVAL" and "if (ioucmd->flags & ~IORING_URING_CMD_MASK) return
 * -EINVAL" (since 5.19): a socket command with __pad1 set, or with bit 7
 * of uring_cmd_flags (no flag), fails before it reaches the socket.
 */
TEST(unknown_uring_cmd_flag_or_pad1_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.19", "IORING_OP_URING_CMD",
			"io_uring/uring_cmd.c io_uring_cmd_prep() EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_URING_CMD);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SIOCINQ);
	sqe.uring_cmd_flags = 1U << 7;
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SIOCINQ);
	sqe.__pad1 = 1;
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	close(fd);
}

/*
 * <linux/io_uring.h>: "IORING_URING_CMD_MULTISHOT must be used with buffer
 * select, like other multishot commands. Not compatible with
 * IORING_URING_CMD_FIXED, for now" (6.18, io_uring_cmd_prep() -EINVAL). On
 * a socket command, MULTISHOT without IOSQE_BUFFER_SELECT, and MULTISHOT
 * with FIXED, get -EINVAL. Kernels before 6.18 do not know the MULTISHOT
 * bit and refuse it as an unknown flag (IORING_URING_CMD_MASK), also
 * -EINVAL: the result is the same since 5.19.
 */
TEST(multishot_without_buffer_select_or_with_fixed_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("5.19", "IORING_URING_CMD_MULTISHOT",
			"<linux/io_uring.h> IORING_URING_CMD_MULTISHOT; io_uring_cmd_prep()");
	CONFORM_REQUIRE_URING_OP(IORING_OP_URING_CMD);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SIOCINQ);
	sqe.uring_cmd_flags = REF_IORING_URING_CMD_MULTISHOT;
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_SIOCINQ);
	sqe.uring_cmd_flags = REF_IORING_URING_CMD_MULTISHOT |
			      IORING_URING_CMD_FIXED;
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	close(fd);
}

/*
 * io_uring/cmd_net.c io_uring_cmd_timestamp(): "if (!(issue_flags &
 * IO_URING_F_CQE32)) return -EINVAL" - the timestamps are posted as
 * 32-byte CQEs, so on a ring without IORING_SETUP_CQE32 (or CQE_MIXED)
 * SOCKET_URING_OP_TX_TIMESTAMP fails with -EINVAL (since 6.17).
 */
TEST(tx_timestamp_on_ring_without_big_cqes_gets_einval)
{
	struct io_uring_sqe sqe;
	int fd;

	CONFORM_DECLARE("6.17", "SOCKET_URING_OP_TX_TIMESTAMP",
			"io_uring/cmd_net.c io_uring_cmd_timestamp() EINVAL");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_TX_TIMESTAMP);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	prep_sock_cmd(&sqe, fd, REF_SOCKET_URING_OP_TX_TIMESTAMP);
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	close(fd);
}

/*
 * A UDP socket tx connected over 127.0.0.1 to a bound receiver; 0, or -1
 * with *why set (loopback down is CONFORM_ENV).
 */
static int udp_pair(int *tx, int *rx, const char **why)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	*tx = *rx = -1;
	*why = NULL;
	*rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*rx < 0)
		return -1;
	if (!conform_loopback_up(*rx)) {
		*why = CONFORM_ENV "loopback interface lo is not up";
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(*rx, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(*rx, (struct sockaddr *)&sin, &len) < 0)
		return -1;
	*tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*tx < 0 || connect(*tx, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -1;
	return 0;
}

/* Cancel the request tagged TAG on ring and check that it ends -ECANCELED. */
static void cancel_tagged(struct __test_metadata *_metadata,
			  struct io_uring *ring)
{
	const __u64 tags[2] = { TAG, 0xcc };
	struct io_uring_sqe *sqe;
	int res[2];

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(ring));
	io_uring_prep_cancel64(sqe, TAG, 0);
	io_uring_sqe_set_data64(sqe, 0xcc);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
	EXPECT_EQ(-ECANCELED, res[0]);
	EXPECT_EQ(0, res[1]);
}

/*
 * SOCKET_URING_OP_TX_TIMESTAMP (6.17, io_uring_cmd_timestamp()): a
 * multishot request that waits for EPOLLERR and posts, per transmit
 * timestamp queued on the socket's error queue, a 32-byte CQE with
 * IORING_CQE_F_MORE, res the timestamp key (ee_data; with
 * SOF_TIMESTAMPING_OPT_ID 0, 1, ... per send), the SCM_TSTAMP_* type at
 * IORING_TIMESTAMP_TYPE_SHIFT of flags, IORING_CQE_F_TSTAMP_HW clear for a
 * software stamp, and struct io_timespec (tv_sec, tv_nsec; CLOCK_REALTIME)
 * in the second half. Software TX stamps (SOF_TIMESTAMPING_TX_SOFTWARE,
 * only without payload: SOF_TIMESTAMPING_OPT_TSONLY) of two UDP sends over
 * loopback give keys 0 and 1 of type SCM_TSTAMP_SND (timestamping.rst).
 */
TEST(tx_timestamp_posts_one_cqe32_per_software_timestamp)
{
	unsigned int tsflags = SOF_TIMESTAMPING_TX_SOFTWARE |
			       SOF_TIMESTAMPING_SOFTWARE |
			       SOF_TIMESTAMPING_OPT_TSONLY |
			       SOF_TIMESTAMPING_OPT_ID;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct timespec before, after;
	const char *why;
	int tx, rx;

	CONFORM_DECLARE("6.17", "SOCKET_URING_OP_TX_TIMESTAMP",
			"<linux/io_uring.h> SOCKET_URING_OP_TX_TIMESTAMP; io_uring/cmd_net.c; timestamping.rst");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_TX_TIMESTAMP);
	if (udp_pair(&tx, &rx, &why) < 0) {
		CONFORM_REQUIRE(why);
		ASSERT_TRUE(false) TH_LOG("UDP pair over 127.0.0.1: %s", strerror(errno));
	}
	ASSERT_EQ(0, setsockopt(tx, SOL_SOCKET, SO_TIMESTAMPING, &tsflags,
				sizeof(tsflags)));
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_CQE32));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_sock_cmd(sqe, tx, REF_SOCKET_URING_OP_TX_TIMESTAMP);
	ASSERT_EQ(1, io_uring_submit(&ring));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	for (int key = 0; key < 2; key++) {
		clock_gettime(CLOCK_REALTIME, &before);
		ASSERT_EQ(1, send(tx, "t", 1, 0));
		ASSERT_EQ(0, uring_wait_cqe_ms(&ring, &cqe, URING_REAP_BOUND_MS));
		clock_gettime(CLOCK_REALTIME, &after);
		EXPECT_EQ(TAG, cqe->user_data);
		EXPECT_EQ(key, cqe->res);
		EXPECT_EQ(IORING_CQE_F_MORE, cqe->flags & IORING_CQE_F_MORE);
		EXPECT_EQ(0, cqe->flags & REF_IORING_CQE_F_TSTAMP_HW);
		EXPECT_EQ(SCM_TSTAMP_SND, cqe->flags >> REF_IORING_TIMESTAMP_TYPE_SHIFT);
		/* big_cqe[0], [1]: struct io_timespec's tv_sec, tv_nsec. */
		EXPECT_LE((__u64)before.tv_sec, cqe->big_cqe[0]);
		EXPECT_GE((__u64)after.tv_sec, cqe->big_cqe[0]);
		EXPECT_GT(1000000000ULL, cqe->big_cqe[1]);
		io_uring_cqe_seen(&ring, cqe);
	}
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	cancel_tagged(_metadata, &ring);
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * Without SO_TIMESTAMPING no timestamp is ever queued on the error queue,
 * so SOCKET_URING_OP_TX_TIMESTAMP posts nothing, sends or not: it stays
 * armed (no CQE) until it is cancelled, then completes with -ECANCELED
 * (io_uring_prep_cancel(3); since 6.17).
 */
TEST(tx_timestamp_without_timestamping_waits_until_cancelled)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	const char *why;
	int tx, rx;

	CONFORM_DECLARE("6.17", "SOCKET_URING_OP_TX_TIMESTAMP",
			"io_uring/cmd_net.c io_uring_cmd_timestamp(); io_uring_prep_cancel(3)");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_TX_TIMESTAMP);
	if (udp_pair(&tx, &rx, &why) < 0) {
		CONFORM_REQUIRE(why);
		ASSERT_TRUE(false) TH_LOG("UDP pair over 127.0.0.1: %s", strerror(errno));
	}
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, IORING_SETUP_CQE32));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_sock_cmd(sqe, tx, REF_SOCKET_URING_OP_TX_TIMESTAMP);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(1, send(tx, "t", 1, 0));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	cancel_tagged(_metadata, &ring);
	io_uring_queue_exit(&ring);
	close(tx);
	close(rx);
}

/*
 * SOCKET_URING_OP_GETSOCKNAME (kernel commit "io_uring: Introduce
 * getsockname io_uring cmd", 6.19): getsockname(2) with the address buffer
 * in sqe->addr and the int length in sqe->addr3 (value-result); with
 * sqe->optlen 1 it is getpeername(2). On the accepted end of a TCP
 * connection both complete with 0 and give what the system calls give.
 */
TEST(getsockname_returns_local_or_peer_address)
{
	struct sockaddr_in got, want;
	socklen_t wlen;
	struct io_uring_sqe sqe;
	int c, s, len;

	CONFORM_DECLARE("6.19", "SOCKET_URING_OP_GETSOCKNAME",
			"commit io_uring: Introduce getsockname io_uring cmd; getsockname(2), getpeername(2)");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_GETSOCKNAME);
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	for (unsigned int peer = 0; peer < 2; peer++) {
		memset(&got, 0, sizeof(got));
		len = sizeof(got);
		prep_getsockname(&sqe, s, &got, &len, peer);
		EXPECT_EQ(0, run_cmd(&sqe));
		wlen = sizeof(want);
		ASSERT_EQ(0, peer ? getpeername(s, (struct sockaddr *)&want, &wlen) :
				    getsockname(s, (struct sockaddr *)&want, &wlen));
		EXPECT_EQ((int)wlen, len);
		EXPECT_EQ(AF_INET, got.sin_family);
		EXPECT_EQ(want.sin_addr.s_addr, got.sin_addr.s_addr);
		EXPECT_EQ(want.sin_port, got.sin_port);
	}
	close(c);
	close(s);
}

/*
 * SOCKET_URING_OP_GETSOCKNAME errors (since 6.19): io_uring_cmd_getsockname()
 * "if (sqe->ioprio || sqe->__pad1 || sqe->len || sqe->rw_flags) return
 * -EINVAL" and "if (peer > 1) return -EINVAL"; and getpeername(2)
 * ENOTCONN "The socket is not connected" for the peer form on an
 * unconnected socket.
 */
TEST(getsockname_bad_fields_get_einval_unconnected_peer_enotconn)
{
	struct sockaddr_storage ss;
	struct io_uring_sqe sqe;
	int fd, len;

	CONFORM_DECLARE("6.19", "SOCKET_URING_OP_GETSOCKNAME",
			"io_uring/cmd_net.c io_uring_cmd_getsockname(); getpeername(2) ENOTCONN");
	REQUIRE_SOCK_CMD(SOCKET_URING_OP_GETSOCKNAME);
	ASSERT_LE(0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	len = sizeof(ss);
	prep_getsockname(&sqe, fd, &ss, &len, 2);
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	prep_getsockname(&sqe, fd, &ss, &len, 0);
	sqe.len = 1;
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	prep_getsockname(&sqe, fd, &ss, &len, 0);
	sqe.ioprio = 1;
	EXPECT_EQ(-EINVAL, run_cmd(&sqe));
	prep_getsockname(&sqe, fd, &ss, &len, 1);
	EXPECT_EQ(-ENOTCONN, run_cmd(&sqe));
	close(fd);
}

TEST_HARNESS_MAIN
