// SPDX-License-Identifier: MIT
/*
 * uring/nvme-passthru: IORING_OP_URING_CMD (5.19) NVMe passthrough, the
 * commands of <linux/nvme_ioctl.h> carried in the SQE's command area:
 * NVME_URING_CMD_IO and NVME_URING_CMD_IO_VEC on the namespace's generic
 * char device /dev/ngXnY (both 5.19), NVME_URING_CMD_ADMIN on the
 * controller's char device /dev/nvmeX (5.19), on rings of IORING_SETUP_SQE128
 * and IORING_SETUP_CQE32 (5.19): cqe->res is the NVMe status, big_cqe[0] the
 * command's result dword. Then IORING_URING_CMD_FIXED (registered buffers,
 * 6.1), polled completion in an IORING_SETUP_IOPOLL ring (6.1), and
 * IORING_OP_URING_CMD128 in an IORING_SETUP_SQE_MIXED ring (6.19); the
 * errors the kernel returns for rings without big entries, the other
 * device's commands, bad command fields, the block device, unregistered
 * buffers.
 *
 * Needs an NVMe namespace: the QEMU guests of ./run.sh --kernel have one
 * (/dev/nvme0n1, /dev/ng0n1, controller /dev/nvme0, one polled queue);
 * elsewhere the tests skip. The namespace is shared by all cases of a guest
 * run: this program uses LBAs in its last 1 MiB only, and assumes nothing
 * about their content at start.
 */
#include <liburing.h>
#include <endian.h>
#include <linux/nvme_ioctl.h>
#include <sys/mount.h>
#include <sys/uio.h>

#include "conform_uring.h"
#include "ref/uapi.h"

/*
 * An I/O opcode of the NVM command set that no specification assigns
 * (0x7c: reserved, below the vendor-specific range 0x80-0xff): the test's
 * choice of an unknown command, not a kernel number.
 */
#define UNASSIGNED_IO_OPCODE		0x7c

#define NG_PATH		"/dev/ng0n1"	/* namespace generic char device */
#define BDEV_PATH	CONFORM_NVME_NS	/* namespace block device */
#define CTRL_PATH	"/dev/nvme0"	/* controller char device */

/* The program's LBA region: the namespace's last 1 MiB, and the slots of
 * the tests in it (in LBAs from its start). */
enum {
	REGION_BYTES = 1 << 20,
	SLOT_ROUND_TRIP = 0,
	SLOT_FIXED = 8,
	SLOT_VEC = 16,
	SLOT_IOPOLL = 24,
	SLOT_CANCEL = 32,
	SLOT_MIXED = 40,
	SLOT_ERRORS = 48,
};

/*
 * The NVMe namespace, or why there is none: NULL when the generic char
 * device exists. A guest whose kernel has the block device but not the char
 * device (before 5.13) lacks it by its version; a machine with neither has
 * no NVMe namespace at all (the host), which is the environment.
 */
static const char *nvme_missing(void)
{
	struct stat st;

	if (stat(NG_PATH, &st) == 0 && S_ISCHR(st.st_mode))
		return NULL;
	if (stat(BDEV_PATH, &st) == 0 && S_ISBLK(st.st_mode))
		return "kernel without NVMe generic char devices (/dev/ngXnY, 5.13): "
		       BDEV_PATH " present, " NG_PATH " missing";
	return CONFORM_ENV "no NVMe namespace (" NG_PATH " missing): runs in a guest";
}

/* What every passthrough test needs: the device, root (CAP_SYS_ADMIN, which
 * the driver asks of passthrough), the opcode and the big-entry ring. */
#define REQUIRE_PASSTHRU()                                                     \
	do {                                                                   \
		CONFORM_REQUIRE(nvme_missing());                               \
		CONFORM_REQUIRE_ROOT();                                        \
		CONFORM_REQUIRE_URING_OP(IORING_OP_URING_CMD);                 \
		CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQE128 |              \
					    IORING_SETUP_CQE32);               \
	} while (0)

/* The namespace as the tests use it. */
struct ns {
	int ng;		/* generic char device, O_RDWR */
	int bdev;	/* block device, O_RDWR | O_DIRECT */
	__u32 nsid;	/* namespace id (NVME_IOCTL_ID) */
	__u32 lba;	/* LBA size in bytes (BLKSSZGET) */
	__u64 nlba;	/* LBAs in the namespace */
	__u64 base;	/* first LBA of the program's region */
	size_t page;
};

static void ns_open(struct __test_metadata *_metadata, struct ns *ns)
{
	unsigned long long bytes = 0;
	int lba = 0, id;

	memset(ns, 0, sizeof(*ns));
	ns->page = (size_t)sysconf(_SC_PAGESIZE);
	ns->ng = open(NG_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ns->ng) TH_LOG("open %s: %s", NG_PATH, strerror(errno));
	ns->bdev = open(BDEV_PATH, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, ns->bdev) TH_LOG("open %s: %s", BDEV_PATH, strerror(errno));
	id = ioctl(ns->ng, NVME_IOCTL_ID);
	ASSERT_LT(0, id) TH_LOG("NVME_IOCTL_ID: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(ns->bdev, BLKSSZGET, &lba));
	ASSERT_EQ(0, ioctl(ns->bdev, BLKGETSIZE64, &bytes));
	ASSERT_LT(0, lba);
	ASSERT_GE((size_t)lba, 512u);
	ASSERT_LE((size_t)lba, ns->page);
	ASSERT_LE((unsigned long long)REGION_BYTES * 2, bytes);
	ns->nsid = (__u32)id;
	ns->lba = (__u32)lba;
	ns->nlba = bytes / (unsigned)lba;
	ns->base = ns->nlba - REGION_BYTES / (unsigned)lba;
}

static void ns_close(struct ns *ns)
{
	close(ns->ng);
	close(ns->bdev);
}

/*
 * A Read or Write of n LBAs from slba, with buf (n * LBA size bytes) as
 * the data buffer; for NVME_URING_CMD_IO_VEC pass the iovec array as buf
 * and set data_len to the number of iovecs.
 */
static struct nvme_uring_cmd rw_cmd(const struct ns *ns, __u8 opcode,
				    __u64 slba, unsigned int n, void *buf)
{
	struct nvme_uring_cmd c;

	memset(&c, 0, sizeof(c));
	c.opcode = opcode;
	c.nsid = ns->nsid;
	c.addr = (__u64)(uintptr_t)buf;
	c.data_len = n * ns->lba;
	c.cdw10 = (__u32)slba;		/* SLBA, low 32 bits */
	c.cdw11 = (__u32)(slba >> 32);	/* SLBA, high 32 bits */
	c.cdw12 = n - 1;		/* NLB, 0-based */
	return c;
}

/* A ring of 8 entries with the setup flags; 0 or -errno. */
static int pt_ring(struct io_uring *ring, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(8, ring, &p);
}

/*
 * Queue one IORING_OP_URING_CMD of fd with cmd_op, tagged tag. The command
 * goes into the SQE's command area (sqe->cmd), 80 bytes in a ring of
 * 128-byte SQEs; a ring of 64-byte SQEs has only 16 bytes there, so cmd is
 * left out (all-zero) on such rings: the kernel refuses them before it
 * reads it. Returns the SQE, or NULL when the SQ ring is full.
 */
static struct io_uring_sqe *queue_cmd(struct io_uring *ring, int fd,
				      __u32 cmd_op,
				      const struct nvme_uring_cmd *cmd,
				      __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	bool big = ring->flags & IORING_SETUP_SQE128;

	if (!sqe)
		return NULL;
	memset(sqe, 0, (big ? 2 : 1) * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	sqe->user_data = tag;
	if (big && cmd)
		memcpy(sqe->cmd, cmd, sizeof(*cmd));
	return sqe;
}

/* What a passthrough completion carried. */
struct pt_done {
	__u64 tag;
	int res;	/* NVMe status (>= 0) or -errno */
	__u64 dw0;	/* big_cqe[0]: the command's result dword */
	__u64 extra;	/* big_cqe[1] */
};

/* Fill the CQ ring of a CQE32 ring with 0xff, so that the kernel is seen
 * writing all of a big CQE. */
static void poison_cq(struct io_uring *ring)
{
	size_t sz = sizeof(struct io_uring_cqe);

	if (ring->flags & IORING_SETUP_CQE32)
		sz *= 2;
	memset(ring->cq.cqes, 0xff, (size_t)*ring->cq.kring_entries * sz);
}

static void take_cqe(struct io_uring *ring, struct io_uring_cqe *cqe,
		     struct pt_done *d)
{
	d->tag = cqe->user_data;
	d->res = cqe->res;
	d->dw0 = d->extra = ~0ULL;
	if (ring->flags & IORING_SETUP_CQE32) {
		d->dw0 = cqe->big_cqe[0];
		d->extra = cqe->big_cqe[1];
	}
	io_uring_cqe_seen(ring, cqe);
}

/* Wait (URING_REAP_BOUND_MS) for one CQE of a ring without IOPOLL. */
static int reap(struct io_uring *ring, struct pt_done *d)
{
	struct io_uring_cqe *cqe;
	int ret = uring_wait_cqe_ms(ring, &cqe, URING_REAP_BOUND_MS);

	if (ret)
		return ret;
	take_cqe(ring, cqe, d);
	return 0;
}

/*
 * Run one passthrough command on ring (no IOPOLL): queue it with the
 * uring_cmd_flags and buf_index given, submit, reap its CQE into *d.
 * 0, or -1 when it could not be queued, submitted or reaped.
 */
static int run_cmd(struct io_uring *ring, int fd, __u32 cmd_op,
		   const struct nvme_uring_cmd *cmd, __u32 uring_cmd_flags,
		   __u16 buf_index, struct pt_done *d)
{
	struct io_uring_sqe *sqe = queue_cmd(ring, fd, cmd_op, cmd, 0x5a);

	if (!sqe)
		return -1;
	sqe->uring_cmd_flags = uring_cmd_flags;
	sqe->buf_index = buf_index;
	poison_cq(ring);
	if (io_uring_submit(ring) != 1)
		return -1;
	return reap(ring, d) ? -1 : 0;
}

/*
 * Reap one CQE of an IORING_SETUP_IOPOLL ring by polling: io_uring_enter
 * with IORING_ENTER_GETEVENTS and min_complete 0 polls the device once;
 * the completion runs as task_work on the way back, and the next poll
 * posts the CQE. Bounded by URING_REAP_BOUND_MS. 0, or -ETIME.
 */
static int iopoll_reap(struct io_uring *ring, struct pt_done *d)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct io_uring_cqe *cqe;

		if (io_uring_cq_ready(ring) && io_uring_peek_cqe(ring, &cqe) == 0) {
			take_cqe(ring, cqe, d);
			return 0;
		}
		if (uring_sys_enter(ring->ring_fd, 0, 0,
				    IORING_ENTER_GETEVENTS) < 0 &&
		    errno != EINTR && errno != EAGAIN)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000L +
		    (now.tv_nsec - start.tv_nsec) / 1000000L > URING_REAP_BOUND_MS)
			return -ETIME;
		sched_yield();
	}
}

/*
 * Queue a Read of one LBA into buf on an IOPOLL ring, tagged tag, and submit
 * it with a bare io_uring_enter (no GETEVENTS, so nothing polls). Then wait
 * URING_BRIEF_WAIT_MS: returns 0 when no CQE came (the request is in
 * flight, as it should be), 1 with the CQE in *early when one did, -1 when
 * the submit failed.
 */
static int iopoll_start_read(struct io_uring *ring, const struct ns *ns,
			     __u64 lba, void *buf, __u64 tag,
			     struct pt_done *early)
{
	struct nvme_uring_cmd c = rw_cmd(ns, REF_NVME_CMD_READ, lba, 1, buf);
	struct pollfd pfd = { .fd = ring->ring_fd, .events = POLLIN };
	struct io_uring_cqe *cqe;

	if (!queue_cmd(ring, ns->ng, NVME_URING_CMD_IO, &c, tag))
		return -1;
	uring_publish_sq(ring);
	if (uring_sys_enter(ring->ring_fd, 1, 0, 0) != 1)
		return -1;
	poll(&pfd, 1, URING_BRIEF_WAIT_MS);
	if (!io_uring_cq_ready(ring))
		return 0;
	if (io_uring_peek_cqe(ring, &cqe))
		return -1;
	take_cqe(ring, cqe, early);
	return 1;
}

/* n LBAs from lba through the block device (O_DIRECT): the test pattern
 * from offset seed, or zeros with zero. 0, or -1. */
static int bdev_write(const struct ns *ns, __u64 lba, unsigned int n,
		      unsigned long long seed, bool zero)
{
	size_t len = (size_t)n * ns->lba;
	size_t map = (len + ns->page - 1) / ns->page * ns->page;
	unsigned char *buf = uring_anon_buf(map);
	ssize_t done;

	if (!buf)
		return -1;
	if (!zero)
		conform_fill_pattern(buf, len, seed);
	done = pwrite(ns->bdev, buf, len, (off_t)(lba * ns->lba));
	munmap(buf, map);
	return done == (ssize_t)len ? 0 : -1;
}

/* Do n LBAs from lba, read through the block device (O_DIRECT), hold the
 * pattern from offset seed? */
static bool bdev_holds(const struct ns *ns, __u64 lba, unsigned int n,
		       unsigned long long seed)
{
	size_t len = (size_t)n * ns->lba;
	size_t map = (len + ns->page - 1) / ns->page * ns->page;
	unsigned char *buf = uring_anon_buf(map);
	bool ok;

	if (!buf)
		return false;
	ok = pread(ns->bdev, buf, len, (off_t)(lba * ns->lba)) == (ssize_t)len &&
	     conform_check_pattern(buf, len, seed);
	munmap(buf, map);
	return ok;
}

/* True when len bytes at p all equal byte. */
static bool all_bytes(const void *p, size_t len, unsigned char byte)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != byte)
			return false;
	return true;
}

/*
 * NULL if the kernel knows IORING_URING_CMD_FIXED (6.1): a URING_CMD with
 * it, of a pipe, on a ring with no registered buffers, completes with
 * anything but the -EINVAL of an unknown sqe->uring_cmd_flags bit (-EFAULT
 * where the buffer is looked up at prep, -EOPNOTSUPP where the pipe's
 * missing ->uring_cmd is seen first).
 */
static const char *fixed_flag_missing(void)
{
	struct io_uring_sqe sqe;
	const char *why;
	int p[2];

	if (conform_pipe(p))
		return CONFORM_ENV "pipe2 failed";
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_URING_CMD;
	sqe.fd = p[0];
	sqe.cmd_op = NVME_URING_CMD_IO;
	sqe.uring_cmd_flags = IORING_URING_CMD_FIXED;
	why = uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					"a URING_CMD of a pipe, no buffers registered",
					"IORING_URING_CMD_FIXED");
	close(p[0]);
	close(p[1]);
	return why;
}

/*
 * Kernel commit "nvme: wire-up uring-cmd support for io-passthru on
 * char-device." (5.19): NVME_URING_CMD_IO on the generic char device runs
 * the struct nvme_uring_cmd of the SQE's command area as an NVMe command;
 * the CQE's res is the NVMe status (0: success) and, in a CQE32 ring,
 * big_cqe[0] the command's result dword (0 for a Read or Write) and
 * big_cqe[1] 0. A Write of one LBA then a Read of it round-trip the data,
 * and the block device reads what the Write put there (since 5.19).
 */
TEST(io_write_then_read_round_trips_one_lba)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *wbuf, *rbuf;
	__u64 lba;

	CONFORM_DECLARE("5.19", "NVME_URING_CMD_IO",
			"kernel commit nvme: wire-up uring-cmd support for "
			"io-passthru on char-device");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	lba = ns.base + SLOT_ROUND_TRIP;
	wbuf = uring_anon_buf(ns.page);
	rbuf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, wbuf);
	ASSERT_NE(NULL, rbuf);
	ASSERT_EQ(0, bdev_write(&ns, lba, 1, 0, true));
	conform_fill_pattern(wbuf, ns.lba, 1001);
	memset(rbuf, 0xaa, ns.lba);
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));

	c = rw_cmd(&ns, REF_NVME_CMD_WRITE, lba, 1, wbuf);
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(0, d.res);
	EXPECT_EQ(0ULL, d.dw0);
	EXPECT_EQ(0ULL, d.extra);
	EXPECT_TRUE(bdev_holds(&ns, lba, 1, 1001));

	c = rw_cmd(&ns, REF_NVME_CMD_READ, lba, 1, rbuf);
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(0, d.res);
	EXPECT_EQ(0ULL, d.dw0);
	EXPECT_EQ(0ULL, d.extra);
	EXPECT_TRUE(conform_check_pattern(rbuf, ns.lba, 1001));

	io_uring_queue_exit(&ring);
	munmap(wbuf, ns.page);
	munmap(rbuf, ns.page);
	ns_close(&ns);
}

/*
 * Kernel commit "nvme: enable uring-passthrough for admin commands" (5.19):
 * NVME_URING_CMD_ADMIN on the controller's char device /dev/nvmeX runs an
 * admin command. Identify Namespace (CNS 0) returns the namespace data
 * structure: its nsze (size in LBAs) times the LBA size of its current
 * format is the size of the block device (the guest's 64 MiB), and that
 * LBA size is the block device's logical block size (since 5.19).
 */
TEST(admin_identify_namespace_reports_namespace_size)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *id;
	__u64 nsze;
	unsigned int fmt, lbads;
	int ctrl;

	CONFORM_DECLARE("5.19", "NVME_URING_CMD_ADMIN",
			"kernel commit nvme: enable uring-passthrough for admin "
			"commands");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	ctrl = open(CTRL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ctrl) TH_LOG("open %s: %s", CTRL_PATH, strerror(errno));
	id = uring_anon_buf(REF_NVME_IDENTIFY_DATA_SIZE);
	ASSERT_NE(NULL, id);
	memset(&c, 0, sizeof(c));
	c.opcode = REF_NVME_ADMIN_IDENTIFY;
	c.nsid = ns.nsid;
	c.addr = (__u64)(uintptr_t)id;
	c.data_len = REF_NVME_IDENTIFY_DATA_SIZE;
	c.cdw10 = REF_NVME_ID_CNS_NS;
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, run_cmd(&ring, ctrl, NVME_URING_CMD_ADMIN, &c, 0, 0, &d));
	ASSERT_EQ(0, d.res);
	memcpy(&nsze, id + REF_NVME_ID_NS_NSZE, sizeof(nsze));
	nsze = le64toh(nsze);
	fmt = id[REF_NVME_ID_NS_FLBAS] & 0xf;
	lbads = id[REF_NVME_ID_NS_LBAF + 4 * fmt + 2];
	TH_LOG("nsze %llu LBAs of %u bytes (format %u): %llu bytes",
	       (unsigned long long)nsze, 1u << lbads, fmt,
	       (unsigned long long)(nsze << lbads));
	EXPECT_EQ(ns.nlba, nsze);
	EXPECT_EQ(ns.lba, 1u << lbads);
	io_uring_queue_exit(&ring);
	munmap(id, REF_NVME_IDENTIFY_DATA_SIZE);
	close(ctrl);
	ns_close(&ns);
}

/*
 * Kernel commit "io_uring: store add. return values for CQE32" and
 * "nvme: wire-up uring-cmd support for io-passthru on char-device." (5.19):
 * the command's result dword, which NVME_IOCTL_ADMIN_CMD returns in its
 * result field, comes back in big_cqe[0], and big_cqe[1] is 0. Get
 * Features (Number of Queues) has a non-trivial result; the CQ ring is
 * filled with 0xff first, so that the kernel is seen writing both.
 */
TEST(admin_result_dword_comes_back_in_big_cqe)
{
	struct nvme_admin_cmd ioc;
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	int ctrl;

	CONFORM_DECLARE("5.19", "IORING_SETUP_CQE32",
			"kernel commit io_uring: store add. return values for "
			"CQE32; nvme: enable uring-passthrough for admin commands");
	REQUIRE_PASSTHRU();
	ctrl = open(CTRL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ctrl) TH_LOG("open %s: %s", CTRL_PATH, strerror(errno));
	memset(&ioc, 0, sizeof(ioc));
	ioc.opcode = REF_NVME_ADMIN_GET_FEATURES;
	ioc.cdw10 = REF_NVME_FEAT_NUM_QUEUES;
	ASSERT_EQ(0, ioctl(ctrl, NVME_IOCTL_ADMIN_CMD, &ioc))
		TH_LOG("NVME_IOCTL_ADMIN_CMD: %s", strerror(errno));
	memset(&c, 0, sizeof(c));
	c.opcode = REF_NVME_ADMIN_GET_FEATURES;
	c.cdw10 = REF_NVME_FEAT_NUM_QUEUES;
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, run_cmd(&ring, ctrl, NVME_URING_CMD_ADMIN, &c, 0, 0, &d));
	TH_LOG("Number of Queues: ioctl result 0x%x, big_cqe[0] 0x%llx",
	       ioc.result, (unsigned long long)d.dw0);
	EXPECT_EQ(0, d.res);
	EXPECT_EQ((__u64)ioc.result, d.dw0);
	EXPECT_EQ(0ULL, d.extra);
	io_uring_queue_exit(&ring);
	close(ctrl);
}

/*
 * Kernel commit "nvme: wire-up uring-cmd support for io-passthru on
 * char-device." (5.19): res is the NVMe status of the completion (status
 * field without its phase bit: SC in bits 7:0, SCT in bits 10:8, DNR in
 * bit 14), not a -errno: a command of an opcode the controller does not
 * implement completes with a positive res whose SC is Invalid Command
 * Opcode (0x01) of the generic SCT 0 (since 5.19).
 */
TEST(unknown_io_opcode_completes_with_invalid_opcode_status)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;

	CONFORM_DECLARE("5.19", "NVME_URING_CMD_IO",
			"kernel commit nvme: wire-up uring-cmd support for "
			"io-passthru on char-device; NVMe Invalid Command Opcode");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	memset(&c, 0, sizeof(c));
	c.opcode = UNASSIGNED_IO_OPCODE;
	c.nsid = ns.nsid;
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
	TH_LOG("opcode 0x%x: res 0x%x", UNASSIGNED_IO_OPCODE, (unsigned)d.res);
	EXPECT_LT(0, d.res);
	EXPECT_EQ(REF_NVME_SC_INVALID_OPCODE, d.res & 0xff);
	EXPECT_EQ(0, (d.res >> 8) & 0x7);
	io_uring_queue_exit(&ring);
	ns_close(&ns);
}

/*
 * Kernel commit "nvme: helper for uring-passthrough checks" (5.19): "NVMe
 * passthrough requires big SQE/CQE support": in a ring without
 * IORING_SETUP_SQE128, or without IORING_SETUP_CQE32, the driver refuses
 * the command with -EOPNOTSUPP (not -EINVAL), before it reads it; nothing
 * is read into the buffer (since 5.19).
 */
TEST(ring_without_sqe128_or_cqe32_gets_eopnotsupp)
{
	static const struct {
		unsigned int flags;
		const char *name;
	} rings[] = {
		{ 0, "neither" },
		{ IORING_SETUP_SQE128, "SQE128 only" },
		{ IORING_SETUP_CQE32, "CQE32 only" },
	};
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *buf;

	CONFORM_DECLARE("5.19", "IORING_OP_URING_CMD",
			"kernel commit nvme: helper for uring-passthrough checks");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	c = rw_cmd(&ns, REF_NVME_CMD_READ, ns.base + SLOT_ERRORS, 1, buf);
	for (size_t i = 0; i < sizeof(rings) / sizeof(rings[0]); i++) {
		struct io_uring ring;
		struct pt_done d;

		ASSERT_EQ(0, pt_ring(&ring, rings[i].flags));
		ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
		EXPECT_EQ(-EOPNOTSUPP, d.res) TH_LOG("ring with %s", rings[i].name);
		io_uring_queue_exit(&ring);
	}
	EXPECT_TRUE(all_bytes(buf, ns.page, 0xaa));
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * Kernel commits "nvme: wire-up uring-cmd support for io-passthru on
 * char-device." and "nvme: enable uring-passthrough for admin commands"
 * (5.19): each device takes its own commands and answers any other cmd_op
 * with -ENOTTY, as an unknown ioctl: NVME_URING_CMD_ADMIN on the namespace
 * char device, NVME_URING_CMD_IO on the controller char device (since 5.19).
 */
TEST(other_device_cmd_op_gets_enotty)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	int ctrl;

	CONFORM_DECLARE("5.19", "NVME_URING_CMD_ADMIN",
			"kernel commit nvme: enable uring-passthrough for admin "
			"commands");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	ctrl = open(CTRL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ctrl) TH_LOG("open %s: %s", CTRL_PATH, strerror(errno));
	memset(&c, 0, sizeof(c));
	c.opcode = REF_NVME_ADMIN_GET_FEATURES;
	c.cdw10 = REF_NVME_FEAT_NUM_QUEUES;
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_ADMIN, &c, 0, 0, &d));
	EXPECT_EQ(-ENOTTY, d.res) TH_LOG("NVME_URING_CMD_ADMIN on %s", NG_PATH);
	ASSERT_EQ(0, run_cmd(&ring, ctrl, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(-ENOTTY, d.res) TH_LOG("NVME_URING_CMD_IO on %s", CTRL_PATH);
	io_uring_queue_exit(&ring);
	close(ctrl);
	ns_close(&ns);
}

/*
 * Kernel commit "nvme: wire-up uring-cmd support for io-passthru on
 * char-device." (5.19), nvme_uring_cmd_io(): the driver checks the command
 * header before it sends anything: non-zero flags (fused operations, PSDT)
 * and an nsid other than the namespace's own get -EINVAL (since 5.19).
 */
TEST(io_bad_flags_or_nsid_gets_einval)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *buf;

	CONFORM_DECLARE("5.19", "NVME_URING_CMD_IO",
			"kernel commit nvme: wire-up uring-cmd support for "
			"io-passthru on char-device");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	c = rw_cmd(&ns, REF_NVME_CMD_READ, ns.base + SLOT_ERRORS, 1, buf);
	c.flags = 1;
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(-EINVAL, d.res) TH_LOG("flags 1");
	c = rw_cmd(&ns, REF_NVME_CMD_READ, ns.base + SLOT_ERRORS, 1, buf);
	c.nsid = ns.nsid + 1;
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(-EINVAL, d.res) TH_LOG("nsid %u of namespace %u", c.nsid, ns.nsid);
	EXPECT_TRUE(all_bytes(buf, ns.page, 0xaa));
	io_uring_queue_exit(&ring);
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * io_uring_enter(2) IORING_OP_URING_CMD: the command goes to the file's
 * ->uring_cmd(); NVMe passthrough is a command of the char devices only.
 * The namespace's block device refuses NVME_URING_CMD_IO, in one of two
 * ways by kernel, told apart by a probe (a URING_CMD of the block device
 * with a non-zero sqe->len): before 6.12 block devices have no ->uring_cmd
 * and io_uring answers -EOPNOTSUPP; from 6.12 (kernel commit "block:
 * implement async io_uring discard cmd") they have one, which knows only
 * its own commands and answers -EINVAL (the probe: -EINVAL for the len).
 * Either way nothing is read (since 5.19).
 */
TEST(io_cmd_on_block_device_is_refused)
{
	struct io_uring_sqe probe;
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *buf;
	int seen;

	CONFORM_DECLARE("5.19", "IORING_OP_URING_CMD",
			"io_uring_enter(2) IORING_OP_URING_CMD; kernel commit "
			"block: implement async io_uring discard cmd");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	memset(&probe, 0, sizeof(probe));
	probe.opcode = IORING_OP_URING_CMD;
	probe.fd = ns.bdev;
	probe.len = 1;
	seen = uring_run_one_sqe_res(&probe);
	ASSERT_TRUE(seen == -EOPNOTSUPP || seen == -EINVAL)
		TH_LOG("probe: URING_CMD of %s with len 1 completed with %d",
		       BDEV_PATH, seen);
	TH_LOG("%s", seen == -EINVAL ?
	       "block device has ->uring_cmd (6.12+): expect -EINVAL" :
	       "block device has no ->uring_cmd (before 6.12): expect -EOPNOTSUPP");
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	c = rw_cmd(&ns, REF_NVME_CMD_READ, ns.base + SLOT_ERRORS, 1, buf);
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, run_cmd(&ring, ns.bdev, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(seen, d.res);
	EXPECT_TRUE(all_bytes(buf, ns.page, 0xaa));
	io_uring_queue_exit(&ring);
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * io_uring.h "IORING_URING_CMD_FIXED use registered buffer; pass this flag
 * along with setting sqe->buf_index"; kernel commit "nvme: wire up fixed
 * buffer support for nvme passthrough" (6.1): the command's addr then lies
 * in registered buffer buf_index. A Write from one half of a registered
 * buffer and a Read into its other half round-trip the data, and the block
 * device reads what was written (since 6.1).
 */
TEST(fixed_buffer_write_then_read_round_trips)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct iovec iov;
	struct ns ns;
	unsigned char *reg;
	__u64 lba;

	CONFORM_DECLARE("6.1", "IORING_URING_CMD_FIXED",
			"io_uring.h IORING_URING_CMD_FIXED; kernel commit nvme: "
			"wire up fixed buffer support for nvme passthrough");
	REQUIRE_PASSTHRU();
	CONFORM_REQUIRE(fixed_flag_missing());
	ns_open(_metadata, &ns);
	lba = ns.base + SLOT_FIXED;
	reg = uring_anon_buf(2 * ns.page);
	ASSERT_NE(NULL, reg);
	conform_fill_pattern(reg, ns.lba, 2002);
	memset(reg + ns.page, 0xaa, ns.page);
	ASSERT_EQ(0, bdev_write(&ns, lba, 1, 0, true));
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	iov.iov_base = reg;
	iov.iov_len = 2 * ns.page;
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &iov, 1));

	c = rw_cmd(&ns, REF_NVME_CMD_WRITE, lba, 1, reg);
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c,
			     IORING_URING_CMD_FIXED, 0, &d));
	EXPECT_EQ(0, d.res);
	EXPECT_TRUE(bdev_holds(&ns, lba, 1, 2002));
	c = rw_cmd(&ns, REF_NVME_CMD_READ, lba, 1, reg + ns.page);
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c,
			     IORING_URING_CMD_FIXED, 0, &d));
	EXPECT_EQ(0, d.res);
	EXPECT_TRUE(conform_check_pattern(reg + ns.page, ns.lba, 2002));

	io_uring_queue_exit(&ring);
	munmap(reg, 2 * ns.page);
	ns_close(&ns);
}

/*
 * io_uring_enter(2) CQE ERRORS "EFAULT ... IORING_OP_READ_FIXED or
 * IORING_OP_WRITE_FIXED was specified, but buffers were not registered"
 * (kernel commit "io_uring: introduce fixed buffer support for
 * io_uring_cmd", 6.1, which applies the same check to
 * IORING_URING_CMD_FIXED): a buf_index with no registered buffer behind it
 * gets -EFAULT, and nothing is read into the (registered) buffer (since
 * 6.1).
 */
TEST(fixed_unregistered_buf_index_gets_efault)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct iovec iov;
	struct ns ns;
	unsigned char *reg;

	CONFORM_DECLARE("6.1", "IORING_URING_CMD_FIXED",
			"io_uring_enter(2) EFAULT buffers not registered; kernel "
			"commit io_uring: introduce fixed buffer support for "
			"io_uring_cmd");
	REQUIRE_PASSTHRU();
	CONFORM_REQUIRE(fixed_flag_missing());
	ns_open(_metadata, &ns);
	reg = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, reg);
	memset(reg, 0xaa, ns.page);
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	iov.iov_base = reg;
	iov.iov_len = ns.page;
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &iov, 1));
	c = rw_cmd(&ns, REF_NVME_CMD_READ, ns.base + SLOT_ERRORS, 1, reg);
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c,
			     IORING_URING_CMD_FIXED, 1, &d));
	EXPECT_EQ(-EFAULT, d.res);
	EXPECT_TRUE(all_bytes(reg, ns.page, 0xaa));
	io_uring_queue_exit(&ring);
	munmap(reg, ns.page);
	ns_close(&ns);
}

/*
 * Kernel commit "nvme: add vectored-io support for uring-cmd" (5.19):
 * NVME_URING_CMD_IO_VEC takes "cmd.addr as base address of user iovec
 * array" and "cmd.data_len as count of iovec array elements". A Read of two
 * LBAs into two iovecs, the second LBA's buffer placed first in memory,
 * scatters each LBA into its own buffer (since 5.19).
 */
TEST(io_vec_read_scatters_lbas_into_iovecs)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct iovec iov[2];
	struct ns ns;
	unsigned char *mem;
	__u64 lba;

	CONFORM_DECLARE("5.19", "NVME_URING_CMD_IO_VEC",
			"kernel commit nvme: add vectored-io support for uring-cmd");
	REQUIRE_PASSTHRU();
	ns_open(_metadata, &ns);
	lba = ns.base + SLOT_VEC;
	mem = uring_anon_buf(2 * ns.page);
	ASSERT_NE(NULL, mem);
	memset(mem, 0xaa, 2 * ns.page);
	ASSERT_EQ(0, bdev_write(&ns, lba, 2, 3003, false));
	iov[0].iov_base = mem + ns.page;	/* LBA lba */
	iov[0].iov_len = ns.lba;
	iov[1].iov_base = mem;			/* LBA lba + 1 */
	iov[1].iov_len = ns.lba;
	c = rw_cmd(&ns, REF_NVME_CMD_READ, lba, 2, iov);
	c.data_len = 2;
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO_VEC, &c, 0, 0, &d));
	EXPECT_EQ(0, d.res);
	EXPECT_TRUE(conform_check_pattern(mem + ns.page, ns.lba, 3003));
	EXPECT_TRUE(conform_check_pattern(mem, ns.lba, 3003 + ns.lba));
	io_uring_queue_exit(&ring);
	munmap(mem, 2 * ns.page);
	ns_close(&ns);
}

/*
 * io_uring_setup(2) IORING_SETUP_IOPOLL: "Perform busy-waiting for an I/O
 * completion ... the application must actively find completions with
 * io_uring_enter(2) IORING_ENTER_GETEVENTS"; kernel commit "nvme: wire up
 * async polling for io passthrough commands" (6.1): a passthrough Read in
 * an IOPOLL ring goes to a polled queue; no CQE comes while nobody polls
 * (a bare submit, then a wait), and polling with GETEVENTS reaps it, with
 * the data (since 6.1).
 */
TEST(iopoll_ring_passthru_is_reaped_by_polling)
{
	struct io_uring ring;
	struct pt_done d;
	struct ns ns;
	unsigned char *buf;
	__u64 lba;
	int started;

	CONFORM_DECLARE("6.1", "IORING_SETUP_IOPOLL",
			"io_uring_setup(2) IORING_SETUP_IOPOLL; kernel commit "
			"nvme: wire up async polling for io passthrough commands");
	REQUIRE_PASSTHRU();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL | IORING_SETUP_SQE128 |
				    IORING_SETUP_CQE32);
	ns_open(_metadata, &ns);
	lba = ns.base + SLOT_IOPOLL;
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	ASSERT_EQ(0, bdev_write(&ns, lba, 1, 4004, false));
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_IOPOLL | IORING_SETUP_SQE128 |
				    IORING_SETUP_CQE32));
	started = iopoll_start_read(&ring, &ns, lba, buf, 77, &d);
	ASSERT_LE(0, started);
	if (started == 1 && d.res == -EOPNOTSUPP)
		SKIP(goto out, "IOPOLL passthrough: a Read in an IOPOLL ring gets -EOPNOTSUPP (not supported by this kernel)");
	ASSERT_EQ(0, started)
		TH_LOG("a CQE (res %d) came without polling", d.res);
	ASSERT_EQ(0, iopoll_reap(&ring, &d));
	EXPECT_EQ(77ULL, d.tag);
	EXPECT_EQ(0, d.res);
	EXPECT_TRUE(conform_check_pattern(buf, ns.lba, 4004));
out:
	io_uring_queue_exit(&ring);
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * io_uring_register(2) IORING_REGISTER_SYNC_CANCEL, io_uring_prep_cancel(3)
 * "-ENOENT The request identified by user_data could not be located":
 * an NVMe passthrough command in flight is not cancelable (the driver does
 * not mark it so: only io-wq work, polls, timeouts... are found), so a
 * synchronous cancel of it, held in flight in an IOPOLL ring that nobody
 * polls, finds nothing (-ENOENT, not -EALREADY), and the command then
 * completes normally (since 6.1: IOPOLL passthrough).
 */
TEST(sync_cancel_of_inflight_passthru_gets_enoent)
{
	struct io_uring_sync_cancel_reg reg;
	struct io_uring ring;
	struct pt_done d;
	struct ns ns;
	unsigned char *buf;
	__u64 lba;
	int started, ret;

	CONFORM_DECLARE("6.1", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register(2) IORING_REGISTER_SYNC_CANCEL; "
			"io_uring_prep_cancel(3) ENOENT");
	REQUIRE_PASSTHRU();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL | IORING_SETUP_SQE128 |
				    IORING_SETUP_CQE32);
	ns_open(_metadata, &ns);
	lba = ns.base + SLOT_CANCEL;
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	ASSERT_EQ(0, bdev_write(&ns, lba, 1, 5005, false));
	ASSERT_EQ(0, pt_ring(&ring, IORING_SETUP_IOPOLL | IORING_SETUP_SQE128 |
				    IORING_SETUP_CQE32));
	started = iopoll_start_read(&ring, &ns, lba, buf, 88, &d);
	ASSERT_LE(0, started);
	if (started == 1 && d.res == -EOPNOTSUPP)
		SKIP(goto out, "IOPOLL passthrough: a Read in an IOPOLL ring gets -EOPNOTSUPP (not supported by this kernel)");
	ASSERT_EQ(0, started)
		TH_LOG("a CQE (res %d) came without polling", d.res);
	memset(&reg, 0, sizeof(reg));
	reg.addr = 88;
	reg.fd = -1;
	reg.timeout.tv_sec = 1;
	ret = uring_register_raw(&ring, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, iopoll_reap(&ring, &d));
	EXPECT_EQ(88ULL, d.tag);
	EXPECT_EQ(0, d.res);
	EXPECT_TRUE(conform_check_pattern(buf, ns.lba, 5005));
out:
	io_uring_queue_exit(&ring);
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * io_uring.h IORING_SETUP_SQE_MIXED "Allow both 64b and 128b SQEs. If a 128b
 * SQE is posted, it will have a 128b opcode" (kernel commit "io_uring: add
 * support for IORING_SETUP_SQE_MIXED", 6.19): in a mixed ring of 64-byte
 * slots (with CQE32 for the result), IORING_OP_URING_CMD128 takes two
 * consecutive slots, its command area running into the second, and the
 * driver gets the whole command: the Read returns the data, one CQE for
 * the two slots (since 6.19).
 */
TEST(uring_cmd128_in_mixed_ring_reads_one_lba)
{
	struct io_uring_sqe *first, *second;
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *buf;
	__u64 lba;

	CONFORM_DECLARE("6.19", "IORING_OP_URING_CMD128",
			"io_uring.h IORING_SETUP_SQE_MIXED; kernel commit "
			"io_uring: add support for IORING_SETUP_SQE_MIXED");
	REQUIRE_PASSTHRU();
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_URING_CMD128,
						 "IORING_OP_URING_CMD128"));
	CONFORM_REQUIRE(conform_uring_setup_missing(REF_IORING_SETUP_SQE_MIXED |
						    IORING_SETUP_CQE32,
						    "IORING_SETUP_SQE_MIXED"));
	ns_open(_metadata, &ns);
	lba = ns.base + SLOT_MIXED;
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	ASSERT_EQ(0, bdev_write(&ns, lba, 1, 6006, false));
	ASSERT_EQ(0, pt_ring(&ring, REF_IORING_SETUP_SQE_MIXED | IORING_SETUP_CQE32));
	first = io_uring_get_sqe(&ring);
	second = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, first);
	ASSERT_EQ(first + 1, second);
	memset(first, 0, 2 * sizeof(*first));
	first->opcode = REF_IORING_OP_URING_CMD128;
	first->fd = ns.ng;
	first->cmd_op = NVME_URING_CMD_IO;
	first->user_data = 99;
	c = rw_cmd(&ns, REF_NVME_CMD_READ, lba, 1, buf);
	memcpy(first->cmd, &c, sizeof(c));
	poison_cq(&ring);
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, reap(&ring, &d));
	EXPECT_EQ(99ULL, d.tag);
	EXPECT_EQ(0, d.res);
	EXPECT_EQ(0ULL, d.dw0);
	EXPECT_TRUE(conform_check_pattern(buf, ns.lba, 6006));
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring));
	io_uring_queue_exit(&ring);
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * Kernel commit "io_uring: add support for IORING_SETUP_SQE_MIXED" (6.19):
 * in a mixed ring the 64-byte IORING_OP_URING_CMD keeps its 64-byte SQE
 * (only the 128 opcode has the big command area), so the driver sees no
 * SQE128 and refuses NVMe passthrough with -EOPNOTSUPP (since 6.19).
 */
TEST(uring_cmd_in_mixed_ring_gets_eopnotsupp)
{
	struct io_uring ring;
	struct pt_done d;
	struct nvme_uring_cmd c;
	struct ns ns;
	unsigned char *buf;

	CONFORM_DECLARE("6.19", "IORING_SETUP_SQE_MIXED",
			"kernel commit io_uring: add support for "
			"IORING_SETUP_SQE_MIXED");
	REQUIRE_PASSTHRU();
	CONFORM_REQUIRE(conform_uring_setup_missing(REF_IORING_SETUP_SQE_MIXED |
						    IORING_SETUP_CQE32,
						    "IORING_SETUP_SQE_MIXED"));
	ns_open(_metadata, &ns);
	buf = uring_anon_buf(ns.page);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xaa, ns.page);
	c = rw_cmd(&ns, REF_NVME_CMD_READ, ns.base + SLOT_ERRORS, 1, buf);
	ASSERT_EQ(0, pt_ring(&ring, REF_IORING_SETUP_SQE_MIXED | IORING_SETUP_CQE32));
	/* queue_cmd() sees a ring of 64-byte SQEs and leaves cmd out. */
	ASSERT_EQ(0, run_cmd(&ring, ns.ng, NVME_URING_CMD_IO, &c, 0, 0, &d));
	EXPECT_EQ(-EOPNOTSUPP, d.res);
	EXPECT_TRUE(all_bytes(buf, ns.page, 0xaa));
	io_uring_queue_exit(&ring);
	munmap(buf, ns.page);
	ns_close(&ns);
}

/*
 * Kernel commit "io_uring: add support for IORING_SETUP_SQE_MIXED" (6.19):
 * a 128-byte opcode in a ring set up without IORING_SETUP_SQE_MIXED (here a
 * ring of plain 64-byte SQEs) completes with -EINVAL before its file is
 * looked at: no device needed, the SQE names a pipe (since 6.19).
 */
TEST(uring_cmd128_without_sqe_mixed_gets_einval)
{
	struct io_uring_sqe sqe;
	int p[2];

	CONFORM_DECLARE("6.19", "IORING_OP_URING_CMD128",
			"kernel commit io_uring: add support for "
			"IORING_SETUP_SQE_MIXED");
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_URING_CMD128,
						 "IORING_OP_URING_CMD128"));
	ASSERT_EQ(0, conform_pipe(p));
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = REF_IORING_OP_URING_CMD128;
	sqe.fd = p[0];
	sqe.cmd_op = NVME_URING_CMD_IO;
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
