// SPDX-License-Identifier: MIT
/*
 * uring/recv-zc: zero-copy receive. IORING_REGISTER_ZCRX_IFQ (6.15,
 * struct io_uring_zcrx_ifq_reg with its struct io_uring_zcrx_area_reg and
 * struct io_uring_region_desc) binds an interface queue and a user memory
 * area to a ring; IORING_OP_RECV_ZC (6.15) receives TCP data into that
 * area and posts 32-byte CQEs whose second half gives the data's offset;
 * IORING_REGISTER_ZCRX_CTRL (6.19, struct zcrx_ctrl) controls an ifq.
 *
 * Real zero copy needs a NIC with header/data split and a queue to give
 * away, which neither the host nor the QEMU guests have. What is tested
 * here without one: every check the kernel makes before it needs the
 * device (io_uring/zcrx.c io_register_zcrx_ifq(): CAP_NET_ADMIN, a ring
 * with IORING_SETUP_DEFER_TASKRUN and IORING_SETUP_CQE32, the fields of the
 * registration, the interface lookup and its DMA device), RECV_ZC without
 * a registered ifq, and, with ZCRX_REG_NODEV (7.1: an ifq without a
 * device, where every byte is copied), a whole receive over a loopback TCP
 * connection, RECV_ZC without IORING_RECV_MULTISHOT or on a socket that is
 * not TCP, and the ZCRX_CTRL operations FLUSH_RQ and EXPORT (with
 * ZCRX_REG_IMPORT). Sources: <linux/io_uring/zcrx.h>, the kernel's
 * io_uring/zcrx.c and io_uring/net.c, Documentation/networking/iou-zcrx.rst.
 * The 6.1 header and liburing 2.3 know none of it: structures are
 * struct ref_* of ref/uapi.h, SQEs are filled by hand (zcrx_ifq_idx is
 * the SQE word the 6.1 header calls file_index).
 */
#include <liburing.h>
#include <linux/capability.h>

#include "conform_uring.h"
#include "ref/uapi.h"

/* The ring zero-copy receive needs (io_uring/zcrx.c). */
#define ZC_RING_FLAGS (IORING_SETUP_SINGLE_ISSUER |                           \
		       IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_CQE32)

enum {
	AREA_PAGES = 16,	/* the receive area */
	RQ_ENTRIES = 8,		/* refill queue entries asked for */
};

/* The memory and the three structures of one ZCRX_IFQ registration. */
struct zc_reg {
	size_t page;
	void *rq_mem;		/* one page: the refill queue region */
	unsigned char *area;	/* AREA_PAGES pages */
	struct ref_io_uring_region_desc rd;
	struct ref_io_uring_zcrx_area_reg area_reg;
	struct ref_io_uring_zcrx_ifq_reg reg;
};

static void zc_reg_free(struct zc_reg *z)
{
	if (z->rq_mem)
		munmap(z->rq_mem, z->page);
	if (z->area)
		munmap(z->area, AREA_PAGES * z->page);
	z->rq_mem = NULL;
	z->area = NULL;
}

/*
 * A valid registration for interface if_idx, queue 0, with flags: the
 * refill queue in a page of user memory (IORING_MEM_REGION_TYPE_USER), the
 * area in AREA_PAGES anonymous pages. 0, or -1 (nothing mapped).
 */
static int zc_reg_init(struct zc_reg *z, unsigned int if_idx,
		       unsigned int flags)
{
	memset(z, 0, sizeof(*z));
	z->page = (size_t)sysconf(_SC_PAGESIZE);
	z->rq_mem = uring_anon_buf(z->page);
	z->area = uring_anon_buf(AREA_PAGES * z->page);
	if (!z->rq_mem || !z->area) {
		zc_reg_free(z);
		return -1;
	}
	z->rd.user_addr = (__u64)(uintptr_t)z->rq_mem;
	z->rd.size = z->page;
	z->rd.flags = REF_IORING_MEM_REGION_TYPE_USER;
	z->area_reg.addr = (__u64)(uintptr_t)z->area;
	z->area_reg.len = AREA_PAGES * z->page;
	z->reg.if_idx = if_idx;
	z->reg.if_rxq = 0;
	z->reg.rq_entries = RQ_ENTRIES;
	z->reg.flags = flags;
	z->reg.area_ptr = (__u64)(uintptr_t)&z->area_reg;
	z->reg.region_ptr = (__u64)(uintptr_t)&z->rd;
	return 0;
}

/* IORING_REGISTER_ZCRX_IFQ of z on ring_fd: 0, or -1 with errno. */
static int zc_register(int ring_fd, struct zc_reg *z)
{
	return conform_sys_io_uring_register(ring_fd, REF_IORING_REGISTER_ZCRX_IFQ,
					     &z->reg, 1);
}

/* IORING_REGISTER_ZCRX_CTRL of *ctrl on ring_fd (nr_args nr): as the call. */
static int zc_ctrl(int ring_fd, struct ref_zcrx_ctrl *ctrl, unsigned int nr)
{
	return conform_sys_io_uring_register(ring_fd, REF_IORING_REGISTER_ZCRX_CTRL,
					     ctrl, nr);
}

/* A raw ring of 4 entries with setup flags (CQSIZE-free): fd or -1. */
static int raw_ring(unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return conform_sys_io_uring_setup(4, &p);
}

/* Whether this process has cap in its effective set (capget). */
static bool have_effective_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

/* Clear cap from this test child's effective set: 0, or -1 with errno. */
static int drop_effective_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * NULL when the kernel has zero-copy receive and this process may register
 * an ifq; else why not. The opcode probe for IORING_OP_RECV_ZC, then a
 * registration on a proper ring whose region_ptr is NULL: where zcrx is
 * built in, io_register_zcrx_ifq() gets as far as copying the region
 * descriptor and fails with EFAULT; EOPNOTSUPP is the stub of a kernel
 * built without CONFIG_IO_URING_ZCRX, EPERM a missing CAP_NET_ADMIN.
 */
static const char *zcrx_missing(void)
{
	const char *why = conform_uring_op_missing(REF_IORING_OP_RECV_ZC,
						   "IORING_OP_RECV_ZC");
	struct zc_reg z;
	int fd, ret, err;

	if (why)
		return why;
	if (!have_effective_cap(CAP_NET_ADMIN))
		return CONFORM_ENV "needs CAP_NET_ADMIN: io_uring/zcrx.c refuses an ifq registration without it (EPERM)";
	fd = raw_ring(ZC_RING_FLAGS);
	if (fd < 0)
		return conform_uring_setup_why("io_uring_setup(SINGLE_ISSUER|DEFER_TASKRUN|CQE32)",
					       errno);
	if (zc_reg_init(&z, 0, 0)) {
		close(fd);
		return CONFORM_ENV "mmap of the probe's area failed";
	}
	z.reg.region_ptr = 0;
	ret = zc_register(fd, &z);
	err = errno;
	close(fd);
	zc_reg_free(&z);
	if (ret < 0 && err == EFAULT)
		return NULL;
	if (ret < 0 && err == EOPNOTSUPP)
		return CONFORM_ENV "IORING_REGISTER_ZCRX_IFQ: EOPNOTSUPP (kernel built without CONFIG_IO_URING_ZCRX)";
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_ZCRX_IFQ with a NULL region_ptr: %s, not EFAULT (not supported by this kernel)",
		 ret < 0 ? strerror(err) : "accepted");
	return conform_why;
}

#define REQUIRE_ZCRX() CONFORM_REQUIRE(zcrx_missing())

/*
 * NULL when an ifq registers with ZCRX_REG_NODEV (on a ring of its own);
 * else why not. Kernels before 7.1 refuse the unknown flag with EINVAL.
 */
static const char *nodev_missing(void)
{
	const char *why = zcrx_missing();
	struct zc_reg z;
	int fd, ret, err;

	if (why)
		return why;
	fd = raw_ring(ZC_RING_FLAGS);
	if (fd < 0)
		return conform_uring_setup_why("io_uring_setup(SINGLE_ISSUER|DEFER_TASKRUN|CQE32)",
					       errno);
	if (zc_reg_init(&z, 0, REF_ZCRX_REG_NODEV)) {
		close(fd);
		return CONFORM_ENV "mmap of the probe's area failed";
	}
	ret = zc_register(fd, &z);
	err = errno;
	close(fd);
	zc_reg_free(&z);
	if (ret == 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_ZCRX_IFQ with ZCRX_REG_NODEV: %s (flag unknown: before 7.1)",
		 strerror(err));
	return conform_why;
}

#define REQUIRE_NODEV() CONFORM_REQUIRE(nodev_missing())

/*
 * NULL when IORING_REGISTER_ZCRX_CTRL exists: with a NULL argument it
 * fails with EFAULT where known (io_zcrx_ctrl() copies it first), EINVAL
 * where the register opcode is unknown (before 6.19).
 */
static const char *zcrx_ctrl_missing(void)
{
	const char *why = conform_uring_unavailable();
	int fd, ret, err;

	if (why)
		return why;
	fd = raw_ring(0);
	if (fd < 0)
		return conform_uring_setup_why("io_uring_setup", errno);
	ret = zc_ctrl(fd, NULL, 0);
	err = errno;
	close(fd);
	if (ret < 0 && err == EFAULT)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_ZCRX_CTRL with a NULL argument: %s, not EFAULT (opcode unknown: before 6.19)",
		 ret < 0 ? strerror(err) : "accepted");
	return conform_why;
}

/* A ring of ZC_RING_FLAGS with a NODEV ifq registered from *z: ASSERTed. */
static void nodev_ring(struct __test_metadata *_metadata, struct io_uring *ring,
		       struct zc_reg *z)
{
	ASSERT_EQ(0, io_uring_queue_init(8, ring, ZC_RING_FLAGS));
	ASSERT_EQ(0, zc_reg_init(z, 0, REF_ZCRX_REG_NODEV));
	ASSERT_EQ(0, zc_register(ring->ring_fd, z));
}

/*
 * Fill sqe (zeroed first) as an IORING_OP_RECV_ZC on fd through ifq, with
 * IORING_RECV_MULTISHOT (which io_recvzc_prep() requires) and len as the
 * number of bytes after which the request ends (0: no limit).
 */
static void prep_recv_zc(struct io_uring_sqe *sqe, int fd, unsigned int ifq,
			 unsigned int len, __u64 tag)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_RECV_ZC;
	sqe->fd = fd;
	sqe->len = len;
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->file_index = ifq;	/* zcrx_ifq_idx in the 6.15 header */
	sqe->user_data = tag;
}

/*
 * Wait (URING_REAP_BOUND_MS) for a CQE of a DEFER_TASKRUN ring, entering
 * with IORING_ENTER_GETEVENTS (liburing passes the bound with
 * IORING_ENTER_EXT_ARG, which every kernel with zcrx has). Points *cqe at
 * it, not yet seen. 0, or the wait's negative error.
 */
static int wait_defer(struct io_uring *ring, struct io_uring_cqe **cqe)
{
	struct __kernel_timespec ts = {
		.tv_sec = URING_REAP_BOUND_MS / 1000,
		.tv_nsec = (URING_REAP_BOUND_MS % 1000) * 1000000L,
	};

	return io_uring_wait_cqe_timeout(ring, cqe, &ts);
}

/*
 * io_uring/net.c io_recvzc_prep(): the request names a zcrx ifq by index
 * (sqe->zcrx_ifq_idx); with none registered under it the request fails
 * with -EINVAL, on any ring and socket (since 6.15).
 */
TEST(recv_zc_without_registered_ifq_gets_einval)
{
	struct io_uring_sqe sqe;
	int sv[2];

	CONFORM_DECLARE("6.15", "IORING_OP_RECV_ZC",
			"io_uring/net.c io_recvzc_prep(): no ifq, -EINVAL");
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_RECV_ZC,
						 "IORING_OP_RECV_ZC"));
	ASSERT_EQ(0, conform_socketpair(sv));
	prep_recv_zc(&sqe, sv[0], 0, 16, 0x2c);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring/zcrx.c io_register_zcrx_ifq(): "mandatory io_uring features for
 * zc rx": the ring must defer completions to its task
 * (IORING_SETUP_DEFER_TASKRUN) and post 32-byte CQEs (IORING_SETUP_CQE32;
 * 6.18 also takes IORING_SETUP_CQE_MIXED). A ring lacking either is refused
 * with EINVAL (since 6.15).
 */
TEST(ifq_needs_defer_taskrun_and_cqe32_ring)
{
	const unsigned int lacking[2] = {
		IORING_SETUP_CQE32,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	};
	struct zc_reg z;

	CONFORM_DECLARE("6.15", "IORING_REGISTER_ZCRX_IFQ",
			"io_uring/zcrx.c io_register_zcrx_ifq(): needs DEFER_TASKRUN and CQE32");
	REQUIRE_ZCRX();
	ASSERT_EQ(0, zc_reg_init(&z, 0, 0));
	for (int i = 0; i < 2; i++) {
		int fd = raw_ring(lacking[i]);

		ASSERT_LE(0, fd);
		EXPECT_EQ(-1, zc_register(fd, &z));
		EXPECT_EQ(EINVAL, errno) TH_LOG("ring flags 0x%x", lacking[i]);
		close(fd);
	}
	zc_reg_free(&z);
}

/*
 * io_uring/zcrx.c io_register_zcrx_ifq(): registering an ifq takes an
 * interface queue and can see other tasks' data, so it needs CAP_NET_ADMIN;
 * without it in the effective set the call fails with EPERM (since 6.15).
 */
TEST(ifq_without_cap_net_admin_gets_eperm)
{
	struct zc_reg z;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_REGISTER_ZCRX_IFQ",
			"io_uring/zcrx.c io_register_zcrx_ifq(): CAP_NET_ADMIN, else EPERM");
	REQUIRE_ZCRX();
	fd = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zc_reg_init(&z, 0, 0));
	ASSERT_EQ(0, drop_effective_cap(CAP_NET_ADMIN));
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EPERM, errno);
	close(fd);
	zc_reg_free(&z);
}

/*
 * io_uring/zcrx.c: the ifq is bound to interface if_idx of the caller's
 * network namespace; an index that names no interface fails with ENODEV
 * (since 6.15).
 */
TEST(ifq_for_unknown_interface_gets_enodev)
{
	char name[IF_NAMESIZE];
	unsigned int idx = 0x7ffffff0u;
	struct zc_reg z;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_REGISTER_ZCRX_IFQ",
			"io_uring/zcrx.c: netdev lookup of if_idx, ENODEV");
	REQUIRE_ZCRX();
	while (if_indextoname(idx, name))
		idx++;
	fd = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zc_reg_init(&z, idx, 0));
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	zc_reg_free(&z);
}

/*
 * io_uring/zcrx.c: the receive queue's memory is DMA-mapped for the
 * interface's device; an interface with no such device (the loopback
 * interface lo) is refused with EOPNOTSUPP before any queue is touched.
 * Documentation/networking/iou-zcrx.rst: zero copy needs a NIC with header
 * split and flow steering (since 6.15).
 */
TEST(ifq_on_interface_without_dma_device_gets_eopnotsupp)
{
	unsigned int lo = if_nametoindex("lo");
	struct zc_reg z;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_REGISTER_ZCRX_IFQ",
			"io_uring/zcrx.c: no DMA device for the queue, EOPNOTSUPP");
	REQUIRE_ZCRX();
	if (!lo)
		SKIP(return, CONFORM_ENV "no loopback interface lo in this network namespace");
	fd = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zc_reg_init(&z, lo, 0));
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(fd);
	zc_reg_free(&z);
}

/*
 * io_uring/zcrx.c io_register_zcrx_ifq(): EINVAL for if_rxq -1, no
 * refill-queue entries, more than the kernel's limit of them
 * (IO_RQ_MAX_ENTRIES, 32768) without IORING_SETUP_CLAMP, a flag it does
 * not know, a non-zero zcrx_id (an output) and non-zero reserved words;
 * checked before the interface is looked up, so lo's index is given
 * (since 6.15).
 */
TEST(malformed_ifq_registration_gets_einval)
{
	unsigned int lo = if_nametoindex("lo");
	struct zc_reg z;
	int fd;

	CONFORM_DECLARE("6.15", "IORING_REGISTER_ZCRX_IFQ",
			"io_uring/zcrx.c io_register_zcrx_ifq() EINVAL");
	REQUIRE_ZCRX();
	fd = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zc_reg_init(&z, lo ? lo : 1, 0));

	z.reg.if_rxq = (__u32)-1;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	z.reg.if_rxq = 0;

	z.reg.rq_entries = 0;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	z.reg.rq_entries = 32768 * 2;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	z.reg.rq_entries = RQ_ENTRIES;

	z.reg.flags = 1u << 7;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	z.reg.flags = 0;

	z.reg.zcrx_id = 1;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	z.reg.zcrx_id = 0;

	z.reg.__resv[1] = 1;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	zc_reg_free(&z);
}

/*
 * <linux/io_uring/zcrx.h> ZCRX_REG_NODEV: "Register a zcrx instance without
 * a net device. All data will be copied" (since 7.1). The registration
 * succeeds and writes back where the refill queue lives in the region
 * (offsets head, tail and rqes, distinct), and a second ifq on the same ring
 * gets another zcrx_id.
 */
TEST(nodev_ifq_registers_and_reports_refill_queue)
{
	struct zc_reg a, b;
	int fd;

	CONFORM_DECLARE("7.1", "ZCRX_REG_NODEV",
			"linux/io_uring/zcrx.h ZCRX_REG_NODEV; struct io_uring_zcrx_ifq_reg");
	REQUIRE_NODEV();
	fd = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zc_reg_init(&a, 0, REF_ZCRX_REG_NODEV));
	ASSERT_EQ(0, zc_reg_init(&b, 0, REF_ZCRX_REG_NODEV));
	ASSERT_EQ(0, zc_register(fd, &a));
	EXPECT_NE(a.reg.offsets.head, a.reg.offsets.tail);
	EXPECT_LT(a.reg.offsets.head, a.reg.offsets.rqes);
	EXPECT_LT(a.reg.offsets.tail, a.reg.offsets.rqes);
	EXPECT_GT(a.rd.size, (__u64)a.reg.offsets.rqes);
	ASSERT_EQ(0, zc_register(fd, &b));
	EXPECT_NE(a.reg.zcrx_id, b.reg.zcrx_id);
	close(fd);
	zc_reg_free(&a);
	zc_reg_free(&b);
}

/*
 * io_uring/zcrx.c (commit "io_uring/zcrx: implement device-less mode for
 * zcrx"): ZCRX_REG_NODEV with an interface index or queue is refused with
 * EINVAL (since 7.1).
 */
TEST(nodev_with_interface_gets_einval)
{
	struct zc_reg z;
	int fd;

	CONFORM_DECLARE("7.1", "ZCRX_REG_NODEV",
			"io_uring/zcrx.c: NODEV with if_idx or if_rxq, EINVAL");
	REQUIRE_NODEV();
	fd = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, zc_reg_init(&z, 1, REF_ZCRX_REG_NODEV));
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	z.reg.if_idx = 0;
	z.reg.if_rxq = 1;
	EXPECT_EQ(-1, zc_register(fd, &z));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	zc_reg_free(&z);
}

/*
 * IORING_OP_RECV_ZC with a ZCRX_REG_NODEV ifq over a loopback TCP
 * connection (since 7.1, the first kernel with a device-less ifq; the
 * receive path is 6.15's): the data arrives through 32-byte CQEs with
 * res = bytes and IORING_CQE_F_MORE whose second half (struct
 * io_uring_zcrx_cqe) holds its offset in the area (area token + offset);
 * a multishot request limited to len bytes ends, once they came, with a
 * CQE of res 0 and no flags. The bytes found at those offsets are those
 * sent, in order.
 */
TEST(nodev_recv_zc_copies_tcp_data_into_the_area)
{
	enum { LEN = 3000 };
	unsigned char sent[LEN], got[LEN];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct zc_reg z;
	size_t total = 0;
	int c, s, final_res = INT_MIN;
	unsigned int final_flags = ~0u;

	CONFORM_DECLARE("7.1", "IORING_OP_RECV_ZC",
			"linux/io_uring/zcrx.h ZCRX_REG_NODEV, struct io_uring_zcrx_cqe; io_uring/zcrx.c");
	REQUIRE_NODEV();
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	nodev_ring(_metadata, &ring, &z);
	conform_fill_pattern(sent, LEN, 0);
	ASSERT_EQ(LEN, write(c, sent, LEN));

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_recv_zc(sqe, s, z.reg.zcrx_id, LEN, 0x2c0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	for (int n = 0; n < 64; n++) {
		ASSERT_EQ(0, wait_defer(&ring, &cqe));
		EXPECT_EQ(0x2c0u, cqe->user_data);
		if (!(cqe->flags & IORING_CQE_F_MORE)) {
			final_res = cqe->res;
			final_flags = cqe->flags;
			io_uring_cqe_seen(&ring, cqe);
			break;
		}
		ASSERT_LT(0, cqe->res);
		ASSERT_GE((size_t)LEN, total + cqe->res);
		{
			__u64 off = cqe->big_cqe[0] - z.area_reg.rq_area_token;

			ASSERT_GE((__u64)AREA_PAGES * z.page, off + cqe->res);
			memcpy(got + total, z.area + off, cqe->res);
		}
		total += cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	EXPECT_EQ(0, final_res);
	EXPECT_EQ(0u, final_flags);
	EXPECT_EQ((size_t)LEN, total);
	EXPECT_TRUE(conform_check_pattern(got, total, 0));
	io_uring_queue_exit(&ring);
	zc_reg_free(&z);
	close(c);
	close(s);
}

/*
 * io_uring/net.c io_recvzc_prep(): RECV_ZC is a multishot request ("multishot
 * required"); without IORING_RECV_MULTISHOT in sqe->ioprio it fails with
 * -EINVAL even with a valid ifq and TCP socket (since 7.1, the first kernel
 * where an ifq can be had without a device; the rule is 6.15's).
 */
TEST(recv_zc_without_multishot_gets_einval)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct zc_reg z;
	int c, s;

	CONFORM_DECLARE("7.1", "IORING_OP_RECV_ZC",
			"io_uring/net.c io_recvzc_prep(): multishot required, -EINVAL");
	REQUIRE_NODEV();
	CONFORM_REQUIRE(conform_tcp_pair(&c, &s));
	ASSERT_EQ(4, write(c, "data", 4));
	nodev_ring(_metadata, &ring, &z);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_recv_zc(sqe, s, z.reg.zcrx_id, 4, 0x2c2);
	sqe->ioprio = 0;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_defer(&ring, &cqe));
	EXPECT_EQ(0x2c2u, cqe->user_data);
	EXPECT_EQ(-EINVAL, cqe->res);
	EXPECT_EQ(0u, cqe->flags & IORING_CQE_F_MORE);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	zc_reg_free(&z);
	close(c);
	close(s);
}

/*
 * io_uring/zcrx.c io_zcrx_recv(): zero-copy receive is implemented for TCP
 * only; RECV_ZC with a registered ifq on an AF_UNIX stream socket fails
 * with -EPROTONOSUPPORT (since 7.1, the first kernel where an ifq can be
 * had without a device; the check is 6.15's).
 */
TEST(recv_zc_on_non_tcp_socket_gets_eprotonosupport)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct zc_reg z;
	int sv[2];

	CONFORM_DECLARE("7.1", "IORING_OP_RECV_ZC",
			"io_uring/zcrx.c io_zcrx_recv(): TCP only, -EPROTONOSUPPORT");
	REQUIRE_NODEV();
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(4, write(sv[1], "data", 4));
	nodev_ring(_metadata, &ring, &z);
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	prep_recv_zc(sqe, sv[0], z.reg.zcrx_id, 4, 0x2c1);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_defer(&ring, &cqe));
	EXPECT_EQ(0x2c1u, cqe->user_data);
	EXPECT_EQ(-EPROTONOSUPPORT, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	zc_reg_free(&z);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring/zcrx.c io_zcrx_ctrl(): IORING_REGISTER_ZCRX_CTRL takes no
 * nr_args (else EINVAL), and a zcrx_id with no ifq behind it fails with
 * ENXIO (since 6.19).
 */
TEST(zcrx_ctrl_for_unknown_id_gets_enxio)
{
	struct ref_zcrx_ctrl ctrl;
	int fd;

	CONFORM_DECLARE("6.19", "IORING_REGISTER_ZCRX_CTRL",
			"io_uring/zcrx.c io_zcrx_ctrl(): ENXIO, EINVAL");
	CONFORM_REQUIRE(zcrx_ctrl_missing());
	fd = raw_ring(0);
	ASSERT_LE(0, fd);
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.op = REF_ZCRX_CTRL_FLUSH_RQ;
	EXPECT_EQ(-1, zc_ctrl(fd, &ctrl, 0));
	EXPECT_EQ(ENXIO, errno);
	EXPECT_EQ(-1, zc_ctrl(fd, &ctrl, 1));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * <linux/io_uring/zcrx.h> ZCRX_CTRL_FLUSH_RQ: refill queue entries "might
 * not be automatically consumed and need to be flushed" on a NODEV ifq;
 * the flush of an ifq succeeds (0), and io_zcrx_ctrl() answers an op it
 * does not know with EOPNOTSUPP (since 7.1 for the device-less ifq; the
 * operations are 6.19's).
 */
TEST(zcrx_ctrl_flush_rq_succeeds_and_unknown_op_gets_eopnotsupp)
{
	struct ref_zcrx_ctrl ctrl;
	struct io_uring ring;
	struct zc_reg z;

	CONFORM_DECLARE("7.1", "IORING_REGISTER_ZCRX_CTRL",
			"linux/io_uring/zcrx.h ZCRX_CTRL_FLUSH_RQ; io_uring/zcrx.c io_zcrx_ctrl()");
	REQUIRE_NODEV();
	CONFORM_REQUIRE(zcrx_ctrl_missing());
	nodev_ring(_metadata, &ring, &z);
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.zcrx_id = z.reg.zcrx_id;
	ctrl.op = REF_ZCRX_CTRL_FLUSH_RQ;
	EXPECT_EQ(0, zc_ctrl(ring.ring_fd, &ctrl, 0));
	ctrl.op = 99;
	EXPECT_EQ(-1, zc_ctrl(ring.ring_fd, &ctrl, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	io_uring_queue_exit(&ring);
	zc_reg_free(&z);
}

/*
 * <linux/io_uring/zcrx.h> ZCRX_CTRL_EXPORT ("zcrx_fd first" of the op's
 * arguments) and ZCRX_REG_IMPORT: exporting an ifq succeeds (0) and
 * leaves a new close-on-exec fd in data[0]; another ring registers the
 * same ifq by passing that fd as if_idx with ZCRX_REG_IMPORT and every
 * other field zero, and gets a zcrx_id of its own (since 7.1 for the
 * device-less ifq; export is 6.19's).
 */
TEST(zcrx_ctrl_export_gives_an_fd_another_ring_imports)
{
	struct ref_io_uring_zcrx_ifq_reg imp;
	struct ref_zcrx_ctrl ctrl;
	struct io_uring ring;
	struct zc_reg z;
	int box, other;

	CONFORM_DECLARE("7.1", "IORING_REGISTER_ZCRX_CTRL",
			"linux/io_uring/zcrx.h ZCRX_CTRL_EXPORT, ZCRX_REG_IMPORT");
	REQUIRE_NODEV();
	CONFORM_REQUIRE(zcrx_ctrl_missing());
	nodev_ring(_metadata, &ring, &z);
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.zcrx_id = z.reg.zcrx_id;
	ctrl.op = REF_ZCRX_CTRL_EXPORT;
	ASSERT_EQ(0, zc_ctrl(ring.ring_fd, &ctrl, 0));
	box = (int)ctrl.data[0];
	ASSERT_LE(0, box);
	EXPECT_EQ(FD_CLOEXEC, fcntl(box, F_GETFD) & FD_CLOEXEC);

	other = raw_ring(ZC_RING_FLAGS);
	ASSERT_LE(0, other);
	memset(&imp, 0, sizeof(imp));
	imp.flags = REF_ZCRX_REG_IMPORT;
	imp.if_idx = (__u32)box;
	EXPECT_EQ(0, conform_sys_io_uring_register(other, REF_IORING_REGISTER_ZCRX_IFQ,
						   &imp, 1));
	close(other);
	close(box);
	io_uring_queue_exit(&ring);
	zc_reg_free(&z);
}

TEST_HARNESS_MAIN
