/* SPDX-License-Identifier: MIT */
/*
 * ref/uapi.h - io_uring ABI numbers newer than the system <linux/io_uring.h>
 * (Debian bookworm ships the 6.1 uapi). Numbers are facts of the kernel ABI;
 * each says the release that added it. Include after <linux/io_uring.h>.
 */
#ifndef REF_UAPI_H
#define REF_UAPI_H

#include <linux/io_uring.h>

/* Opcodes after 6.1's IORING_OP_SENDMSG_ZC (48). */
#define REF_IORING_OP_READ_MULTISHOT	49	/* 6.7 */
#define REF_IORING_OP_WAITID		50	/* 6.7 */
#define REF_IORING_OP_FUTEX_WAIT	51	/* 6.7 */
#define REF_IORING_OP_FUTEX_WAKE	52	/* 6.7 */
#define REF_IORING_OP_FUTEX_WAITV	53	/* 6.7 */
#define REF_IORING_OP_FIXED_FD_INSTALL	54	/* 6.8 */
#define REF_IORING_OP_FTRUNCATE		55	/* 6.9 */
#define REF_IORING_OP_BIND		56	/* 6.11 */
#define REF_IORING_OP_LISTEN		57	/* 6.11 */

/* Setup flags after 6.1. */
#define REF_IORING_SETUP_NO_MMAP	(1U << 14)	/* 6.5 */
#define REF_IORING_SETUP_REGISTERED_FD_ONLY (1U << 15)	/* 6.5 */
#define REF_IORING_SETUP_NO_SQARRAY	(1U << 16)	/* 6.6 */

/* Feature bits after 6.1. */
#define REF_IORING_FEAT_REG_REG_RING	(1U << 13)	/* 6.3 */
#define REF_IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)	/* 6.10 */
#define REF_IORING_FEAT_MIN_TIMEOUT	(1U << 15)	/* 6.12 */

/* Provided-buffer ring status query (6.8). */
#define REF_IORING_REGISTER_PBUF_STATUS	26

/* Multishot accept/recv end with a CQE without IORING_CQE_F_MORE; the flag
 * values used for them are in the 6.1 header already. */

#endif /* REF_UAPI_H */
