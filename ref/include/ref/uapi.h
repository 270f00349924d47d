/* SPDX-License-Identifier: MIT */
/*
 * ref/uapi.h - io_uring ABI numbers and layouts newer than the system
 * <linux/io_uring.h> (Debian bookworm ships the 6.1 uapi), up to the 7.2
 * uapi; the futex2 flags the io_uring futex opcodes take; the newer
 * RWF_* flags (AIO and io_uring take them), epoll's busy-poll ioctls and
 * the ioprio classes; and the NVMe command numbers the passthrough cases
 * send. Numbers are facts of the kernel ABI; each has the kernel's name with
 * a REF_ prefix and says the release that added it. Structures the 6.1
 * header lacks are here as struct ref_<kernel name>, field for field.
 * Include after <linux/io_uring.h>. Nothing else in the suite defines a
 * kernel constant: cases use these names.
 */
#ifndef REF_UAPI_H
#define REF_UAPI_H

#include <linux/io_uring.h>
#include <linux/time_types.h>
#include <linux/ioctl.h>
#include <fcntl.h>

/* ---- Opcodes after 6.1's IORING_OP_SENDMSG_ZC (48). ---- */
#define REF_IORING_OP_READ_MULTISHOT	49	/* 6.7 */
#define REF_IORING_OP_WAITID		50	/* 6.7 */
#define REF_IORING_OP_FUTEX_WAIT	51	/* 6.7 */
#define REF_IORING_OP_FUTEX_WAKE	52	/* 6.7 */
#define REF_IORING_OP_FUTEX_WAITV	53	/* 6.7 */
#define REF_IORING_OP_FIXED_FD_INSTALL	54	/* 6.8 */
#define REF_IORING_OP_FTRUNCATE		55	/* 6.9 */
#define REF_IORING_OP_BIND		56	/* 6.11 */
#define REF_IORING_OP_LISTEN		57	/* 6.11 */
#define REF_IORING_OP_RECV_ZC		58	/* 6.15 */
#define REF_IORING_OP_EPOLL_WAIT	59	/* 6.15 */
#define REF_IORING_OP_READV_FIXED	60	/* 6.15 */
#define REF_IORING_OP_WRITEV_FIXED	61	/* 6.15 */
#define REF_IORING_OP_PIPE		62	/* 6.16 */
#define REF_IORING_OP_NOP128		63	/* 6.19, needs SQE128 or SQE_MIXED */
#define REF_IORING_OP_URING_CMD128	64	/* 6.19, needs SQE128 or SQE_MIXED */

/* ---- io_uring_setup() flags after 6.1. ---- */
#define REF_IORING_SETUP_NO_MMAP	(1U << 14)	/* 6.5 */
#define REF_IORING_SETUP_REGISTERED_FD_ONLY (1U << 15)	/* 6.5 */
#define REF_IORING_SETUP_NO_SQARRAY	(1U << 16)	/* 6.6 */
#define REF_IORING_SETUP_HYBRID_IOPOLL	(1U << 17)	/* 6.13, needs IOPOLL */
#define REF_IORING_SETUP_CQE_MIXED	(1U << 18)	/* 6.18 */
#define REF_IORING_SETUP_SQE_MIXED	(1U << 19)	/* 6.19 */
#define REF_IORING_SETUP_SQ_REWIND	(1U << 20)	/* 7.0, needs NO_SQARRAY */

/* ---- Feature bits (params.features) after 6.1. ---- */
#define REF_IORING_FEAT_REG_REG_RING	(1U << 13)	/* 6.3 */
#define REF_IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)	/* 6.10 */
#define REF_IORING_FEAT_MIN_TIMEOUT	(1U << 15)	/* 6.12 */
#define REF_IORING_FEAT_RW_ATTR		(1U << 16)	/* 6.14 */
#define REF_IORING_FEAT_NO_IOWAIT	(1U << 17)	/* 6.15 */

/* ---- io_uring_enter() flags after 6.1. ---- */
#define REF_IORING_ENTER_ABS_TIMER	(1U << 5)	/* 6.12 */
#define REF_IORING_ENTER_EXT_ARG_REG	(1U << 6)	/* 6.13 */
#define REF_IORING_ENTER_NO_IOWAIT	(1U << 7)	/* 6.15 */

/* ---- Per-opcode flag words after 6.1. ---- */
/* sqe->timeout_flags */
#define REF_IORING_TIMEOUT_MULTISHOT	(1U << 6)	/* 6.4 */
#define REF_IORING_TIMEOUT_IMMEDIATE_ARG (1U << 7)	/* 7.1: sqe->addr holds nanoseconds */
/* sqe->cancel_flags (ASYNC_CANCEL and REGISTER_SYNC_CANCEL) */
#define REF_IORING_ASYNC_CANCEL_USERDATA (1U << 4)	/* 6.6 */
#define REF_IORING_ASYNC_CANCEL_OP	(1U << 5)	/* 6.6 */
/* sqe->ioprio of SEND/RECV/SENDMSG/RECVMSG/SEND_ZC */
#define REF_IORING_SEND_ZC_REPORT_USAGE	(1U << 3)	/* 6.2 */
#define REF_IORING_RECVSEND_BUNDLE	(1U << 4)	/* 6.10 */
#define REF_IORING_SEND_VECTORIZED	(1U << 5)	/* 6.17: SEND/SEND_ZC take an iovec */
/* cqe->res of a SEND_ZC notification with REPORT_USAGE: data was copied */
#define REF_IORING_NOTIF_USAGE_ZC_COPIED (1U << 31)	/* 6.2 */
/* sqe->ioprio of ACCEPT */
#define REF_IORING_ACCEPT_DONTWAIT	(1U << 1)	/* 6.10 */
#define REF_IORING_ACCEPT_POLL_FIRST	(1U << 2)	/* 6.10 */
/* sqe->msg_ring_flags */
#define REF_IORING_MSG_RING_FLAGS_PASS	(1U << 1)	/* 6.3: file_index is the CQE flags */
/* sqe->install_fd_flags of FIXED_FD_INSTALL */
#define REF_IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)	/* 6.8 */
/* sqe->nop_flags */
#define REF_IORING_NOP_INJECT_RESULT	(1U << 0)	/* 6.10: cqe->res = sqe->len */
#define REF_IORING_NOP_FILE		(1U << 1)	/* 6.13: look up sqe->fd */
#define REF_IORING_NOP_FIXED_FILE	(1U << 2)	/* 6.13 */
#define REF_IORING_NOP_FIXED_BUFFER	(1U << 3)	/* 6.13: look up sqe->buf_index */
#define REF_IORING_NOP_TW		(1U << 4)	/* 6.17: complete from task work */
#define REF_IORING_NOP_CQE32		(1U << 5)	/* 6.18: post a 32-byte CQE */
/* sqe->uring_cmd_flags */
#define REF_IORING_URING_CMD_MULTISHOT	(1U << 1)	/* 6.18 */
/* sqe->attr_type_mask of READ/WRITE (the sqe's addr3/__pad2 words in 6.1) */
#define REF_IORING_RW_ATTR_FLAG_PI	(1U << 0)	/* 6.14 */

struct ref_io_uring_attr_pi {		/* 6.14 */
	__u16	flags;
	__u16	app_tag;
	__u32	len;
	__u64	addr;
	__u64	seed;
	__u64	rsvd;
};

/* ---- CQE flags after 6.1. ---- */
#define REF_IORING_CQE_F_BUF_MORE	(1U << 4)	/* 6.12: buffer not used up (IOU_PBUF_RING_INC) */
#define REF_IORING_CQE_F_SKIP		(1U << 5)	/* 6.18: padding CQE of a CQE_MIXED ring */
#define REF_IORING_CQE_F_32		(1U << 15)	/* 6.18: a 32-byte CQE in a CQE_MIXED ring */
#define REF_IORING_TIMESTAMP_HW_SHIFT	16		/* 6.17 */
#define REF_IORING_TIMESTAMP_TYPE_SHIFT	(REF_IORING_TIMESTAMP_HW_SHIFT + 1)
#define REF_IORING_CQE_F_TSTAMP_HW	(1U << REF_IORING_TIMESTAMP_HW_SHIFT)

/* ---- mmap offsets and provided-buffer rings after 6.1. ---- */
#define REF_IORING_OFF_PBUF_RING	0x80000000ULL	/* 6.4 */
#define REF_IORING_OFF_PBUF_SHIFT	16		/* 6.4 */
#define REF_IOU_PBUF_RING_MMAP		1U		/* 6.4: the kernel allocates the ring */
#define REF_IOU_PBUF_RING_INC		2U		/* 6.12: incremental consumption */

/* ---- io_uring_register() opcodes after 6.1. ---- */
#define REF_IORING_REGISTER_PBUF_STATUS		26	/* 6.8 */
#define REF_IORING_REGISTER_NAPI		27	/* 6.9 */
#define REF_IORING_UNREGISTER_NAPI		28	/* 6.9 */
#define REF_IORING_REGISTER_CLOCK		29	/* 6.12 */
#define REF_IORING_REGISTER_CLONE_BUFFERS	30	/* 6.12 */
#define REF_IORING_REGISTER_SEND_MSG_RING	31	/* 6.13: ring fd -1 */
#define REF_IORING_REGISTER_ZCRX_IFQ		32	/* 6.15 */
#define REF_IORING_REGISTER_RESIZE_RINGS	33	/* 6.13 */
#define REF_IORING_REGISTER_MEM_REGION		34	/* 6.13 */
#define REF_IORING_REGISTER_QUERY		35	/* 6.18 */
#define REF_IORING_REGISTER_ZCRX_CTRL		36	/* 6.19 */
#define REF_IORING_REGISTER_BPF_FILTER		37	/* 7.0 */
/* Or-ed into the opcode: the fd argument is a registered ring index. */
#define REF_IORING_REGISTER_USE_REGISTERED_RING	(1U << 31)	/* 6.3 */

/* IORING_REGISTER_PBUF_STATUS */
struct ref_io_uring_buf_status {	/* 6.8 */
	__u32	buf_group;	/* in */
	__u32	head;		/* out */
	__u32	resv[8];
};

/* IORING_REGISTER_NAPI: opcode and tracking strategy (both 6.13; 0 before) */
#define REF_IO_URING_NAPI_REGISTER_OP		0
#define REF_IO_URING_NAPI_STATIC_ADD_ID		1
#define REF_IO_URING_NAPI_STATIC_DEL_ID		2
#define REF_IO_URING_NAPI_TRACKING_DYNAMIC	0
#define REF_IO_URING_NAPI_TRACKING_STATIC	1
#define REF_IO_URING_NAPI_TRACKING_INACTIVE	255

struct ref_io_uring_napi {		/* 6.9 */
	__u32	busy_poll_to;
	__u8	prefer_busy_poll;
	__u8	opcode;		/* 6.13; pad before */
	__u8	pad[2];
	__u32	op_param;	/* 6.13; resv before */
	__u32	resv;
};

/* IORING_REGISTER_CLOCK */
struct ref_io_uring_clock_register {	/* 6.12 */
	__u32	clockid;
	__u32	__resv[3];
};

/* IORING_REGISTER_CLONE_BUFFERS flags and argument */
#define REF_IORING_REGISTER_SRC_REGISTERED	(1U << 0)	/* 6.12 */
#define REF_IORING_REGISTER_DST_REPLACE		(1U << 1)	/* 6.13 */

struct ref_io_uring_clone_buffers {	/* 6.12; src_off/dst_off/nr 6.13 */
	__u32	src_fd;
	__u32	flags;
	__u32	src_off;
	__u32	dst_off;
	__u32	nr;
	__u32	pad[3];
};

/* IORING_REGISTER_MEM_REGION and the RESIZE_RINGS/ZCRX region descriptor */
#define REF_IORING_MEM_REGION_TYPE_USER		1	/* 6.13 */
#define REF_IORING_MEM_REGION_REG_WAIT_ARG	1	/* 6.13 */

struct ref_io_uring_region_desc {	/* 6.13 */
	__u64	user_addr;
	__u64	size;
	__u32	flags;
	__u32	id;
	__u64	mmap_offset;
	__u64	__resv[4];
};

struct ref_io_uring_mem_region_reg {	/* 6.13 */
	__u64	region_uptr;	/* struct ref_io_uring_region_desc * */
	__u64	flags;
	__u64	__resv[2];
};

/* A registered wait argument (IORING_ENTER_EXT_ARG_REG; 6.13) */
#define REF_IORING_REG_WAIT_TS			(1U << 0)

struct ref_io_uring_reg_wait {		/* 6.13 */
	struct __kernel_timespec ts;
	__u32	min_wait_usec;
	__u32	flags;
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	pad[3];
	__u64	pad2[2];
};

/* IORING_ENTER_EXT_ARG's argument; 6.1 names min_wait_usec "pad". */
struct ref_io_uring_getevents_arg {	/* 5.11; min_wait_usec 6.12 */
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	min_wait_usec;
	__u64	ts;
};

/* IORING_REGISTER_QUERY (linux/io_uring/query.h) */
#define REF_IO_URING_QUERY_OPCODES		0	/* 6.18 */
#define REF_IO_URING_QUERY_ZCRX			1	/* 6.19 */
#define REF_IO_URING_QUERY_SCQ			2	/* 6.19 */
#define REF_IO_URING_QUERY_ZCRX_EVENT		3	/* 7.2 */

struct ref_io_uring_query_hdr {		/* 6.18 */
	__u64	next_entry;
	__u64	query_data;
	__u32	query_op;
	__u32	size;
	__s32	result;
	__u32	__resv[3];
};

struct ref_io_uring_query_opcode {	/* 6.18 */
	__u32	nr_request_opcodes;
	__u32	nr_register_opcodes;
	__u64	feature_flags;
	__u64	ring_setup_flags;
	__u64	enter_flags;
	__u64	sqe_flags;
	__u32	nr_query_opcodes;	/* 6.18 */
	__u32	__pad;
};

struct ref_io_uring_query_scq {		/* 6.19 */
	__u64	hdr_size;
	__u64	hdr_alignment;
};

/* IORING_REGISTER_BPF_FILTER (linux/io_uring/bpf_filter.h) */
#define REF_IO_URING_BPF_CMD_FILTER		1	/* 7.0 */
#define REF_IO_URING_BPF_FILTER_DENY_REST	1	/* 7.0 */
#define REF_IO_URING_BPF_FILTER_SZ_STRICT	2	/* 7.0 */

struct ref_io_uring_bpf_filter {	/* 7.0 */
	__u32	opcode;
	__u32	flags;
	__u32	filter_len;	/* classic BPF instructions */
	__u8	pdu_size;
	__u8	resv[3];
	__u64	filter_ptr;	/* struct sock_filter * */
	__u64	resv2[5];
};

struct ref_io_uring_bpf {		/* 7.0 */
	__u16	cmd_type;
	__u16	cmd_flags;
	__u32	resv;
	union {
		struct ref_io_uring_bpf_filter filter;
	};
};

/* The data a filter sees (offsets of a BPF_LD|BPF_W|BPF_ABS) */
struct ref_io_uring_bpf_ctx {		/* 7.0 */
	__u64	user_data;
	__u8	opcode;
	__u8	sqe_flags;
	__u8	pdu_size;
	__u8	pad[5];
	union {				/* per-opcode data */
		struct {
			__u32	family;
			__u32	type;
			__u32	protocol;
		} socket;
		struct {
			__u64	flags;
			__u64	mode;
			__u64	resolve;
		} open;
		struct {
			__u32	family;
			__be16	port;
			__u8	pad[2];
			union {
				__be32	v4_addr;
				__u8	v6_addr[16];
			};
		} connect;
	};
};

/* IORING_REGISTER_ZCRX_IFQ (linux/io_uring/zcrx.h) */
#define REF_ZCRX_REG_IMPORT			1	/* 6.18 */
#define REF_ZCRX_REG_NODEV			2	/* 7.1: copy mode, no device */

struct ref_io_uring_zcrx_offsets {	/* 6.15 */
	__u32	head;
	__u32	tail;
	__u32	rqes;
	__u32	__resv2;
	__u64	__resv[2];
};

struct ref_io_uring_zcrx_area_reg {	/* 6.15 */
	__u64	addr;
	__u64	len;
	__u64	rq_area_token;
	__u32	flags;
	__u32	dmabuf_fd;
	__u64	__resv2[2];
};

struct ref_io_uring_zcrx_ifq_reg {	/* 6.15 */
	__u32	if_idx;
	__u32	if_rxq;
	__u32	rq_entries;
	__u32	flags;
	__u64	area_ptr;	/* struct ref_io_uring_zcrx_area_reg * */
	__u64	region_ptr;	/* struct ref_io_uring_region_desc * */
	struct ref_io_uring_zcrx_offsets offsets;
	__u32	zcrx_id;
	__u32	rx_buf_len;	/* 6.19 */
	__u64	event_desc;	/* 7.2 */
	__u64	__resv[2];
};

/* IORING_REGISTER_ZCRX_CTRL: struct zcrx_ctrl's op */
#define REF_ZCRX_CTRL_FLUSH_RQ			0	/* 6.19 */
#define REF_ZCRX_CTRL_EXPORT			1	/* 6.19 */
#define REF_ZCRX_CTRL_ARM_EVENT			2	/* 7.2 */

struct ref_zcrx_ctrl {			/* 6.19 */
	__u32	zcrx_id;
	__u32	op;
	__u64	__resv[2];
	__u32	data[12];	/* the op's arguments (export: zcrx_fd first) */
};

/* ---- URING_CMD on a socket: sqe->cmd_op (enum io_uring_socket_op) ---- */
#define REF_SOCKET_URING_OP_SIOCINQ		0	/* 6.7 */
#define REF_SOCKET_URING_OP_SIOCOUTQ		1	/* 6.7 */
#define REF_SOCKET_URING_OP_GETSOCKOPT		2	/* 6.7 */
#define REF_SOCKET_URING_OP_SETSOCKOPT		3	/* 6.7 */
#define REF_SOCKET_URING_OP_TX_TIMESTAMP	4	/* 6.17 */
#define REF_SOCKET_URING_OP_GETSOCKNAME		5	/* 6.19 */

/* ---- futex2 flags of FUTEX_WAIT/FUTEX_WAKE/FUTEX_WAITV (linux/futex.h) ---- */
#define REF_FUTEX2_SIZE_U32	0x02		/* 6.7 */
#define REF_FUTEX2_PRIVATE	128		/* 6.7, = FUTEX_PRIVATE_FLAG */
/* struct futex_waitv and FUTEX_WAITV_MAX (5.16) are in the 6.1 <linux/futex.h>. */

/* ---- Per-I/O flags (aio_rw_flags, sqe->rw_flags, preadv2/pwritev2)
 * after 6.1's RWF_APPEND (<linux/fs.h>). ---- */
#define REF_RWF_NOAPPEND	0x00000020	/* 6.9: ignore O_APPEND for this write */
#define REF_RWF_ATOMIC		0x00000040	/* 6.11: untorn write */
#define REF_RWF_DONTCACHE	0x00000080	/* 6.14: drop the pages after the I/O */
#define REF_RWF_NOSIGNAL	0x00000100	/* 6.16: no SIGPIPE on EPIPE */

/* ---- Linux AIO: the iocb opcode <linux/aio_abi.h> names only in a
 * comment ("4 was the experimental IOCB_CMD_PREADX"); no kernel
 * implements it. ---- */
#define REF_IOCB_CMD_PREADX	4

/* ---- Linux AIO: io_pgetevents(2)'s last argument (4.18), fs/aio.c's
 * struct __aio_sigset, which no uapi header defines: the mask to install
 * for the wait (a sigset_t) and its size, which must be the kernel's. ---- */
struct ref_aio_sigset {
	const void *sigmask;
	size_t sigsetsize;
};
#define REF_KERNEL_SIGSET_SIZE	8	/* the kernel's sigset_t: _NSIG 64 bits */

/* ---- statx(2) atomic-write fields (<linux/stat.h>, 6.11): the mask bit
 * and where the fields lie in struct statx (6.1 calls that __spare3). ---- */
#define REF_STATX_WRITE_ATOMIC			0x00010000U	/* 6.11 */
#define REF_STATX_ATOMIC_WRITE_UNIT_MIN_OFFSET	0xa8	/* __u32 stx_atomic_write_unit_min */
#define REF_STATX_ATOMIC_WRITE_UNIT_MAX_OFFSET	0xac	/* __u32 stx_atomic_write_unit_max */
#define REF_STATX_ATOMIC_WRITE_SEGMENTS_MAX_OFFSET 0xb0	/* __u32 stx_atomic_write_segments_max */

/* ---- epoll busy-poll parameters (<linux/eventpoll.h>, 6.9) ---- */
#define REF_EPOLL_IOC_TYPE	0x8A

struct ref_epoll_params {		/* 6.9 */
	__u32	busy_poll_usecs;
	__u16	busy_poll_budget;
	__u8	prefer_busy_poll;
	__u8	__pad;
};

/* The largest busy_poll_budget EPIOCSPARAMS takes without CAP_NET_ADMIN:
 * NAPI_POLL_WEIGHT of include/linux/netdevice.h (kernel-internal). */
#define REF_NAPI_POLL_WEIGHT	64

#define REF_EPIOCSPARAMS	_IOW(REF_EPOLL_IOC_TYPE, 0x01, struct ref_epoll_params)
#define REF_EPIOCGPARAMS	_IOR(REF_EPOLL_IOC_TYPE, 0x02, struct ref_epoll_params)

/* ---- pidfd_open(2) flags after 6.1's PIDFD_NONBLOCK (<linux/pidfd.h>) ---- */
#define REF_PIDFD_THREAD	O_EXCL		/* 6.9: a pidfd for a thread */

/* ---- I/O priority classes (<linux/ioprio.h>; ioprio_set(2), 2.6.13) ---- */
#define REF_IOPRIO_CLASS_SHIFT	13
#define REF_IOPRIO_CLASS_NONE	0
#define REF_IOPRIO_CLASS_RT	1
#define REF_IOPRIO_CLASS_BE	2
#define REF_IOPRIO_CLASS_IDLE	3
#define REF_IOPRIO_PRIO_VALUE(class, data) \
	((__u16)(((class) << REF_IOPRIO_CLASS_SHIFT) | (data)))
#define REF_IOPRIO_CLASS_INVALID	7	/* 6.5: the one class value never valid */
#define REF_IOPRIO_HINT_SHIFT		3	/* 6.5: hints sit above the 3 level bits */
#define REF_IOPRIO_HINT_DEV_DURATION_LIMIT_1	1	/* 6.5 */
#define REF_IOPRIO_HINT_DEV_DURATION_LIMIT_7	7	/* 6.5 */

/* ---- NVMe numbers sent through IORING_OP_URING_CMD passthrough ----
 * Not kernel uapi: the NVM Express Base and NVM Command Set specifications
 * (the kernel has them in include/linux/nvme.h). The passthrough command
 * layout itself, struct nvme_uring_cmd and NVME_URING_CMD_*, is in the 6.1
 * <linux/nvme_ioctl.h>. */
#define REF_NVME_CMD_WRITE		0x01	/* I/O: Write */
#define REF_NVME_CMD_READ		0x02	/* I/O: Read */
#define REF_NVME_ADMIN_IDENTIFY		0x06	/* admin: Identify */
#define REF_NVME_ADMIN_GET_FEATURES	0x0a	/* admin: Get Features */
#define REF_NVME_ID_CNS_NS		0x00	/* Identify CNS: namespace */
#define REF_NVME_FEAT_NUM_QUEUES	0x07	/* feature: Number of Queues */
#define REF_NVME_IDENTIFY_DATA_SIZE	4096
#define REF_NVME_ID_NS_NSZE		0	/* struct nvme_id_ns: nsze, le64 */
#define REF_NVME_ID_NS_FLBAS		26	/* flbas: format index in bits 3:0 */
#define REF_NVME_ID_NS_LBAF		128	/* lbaf[]: 4 bytes each, lbads at +2 */
#define REF_NVME_SC_INVALID_OPCODE	0x01	/* status code (SCT 0: generic) */

#endif /* REF_UAPI_H */
