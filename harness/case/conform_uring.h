/* SPDX-License-Identifier: MIT */
/*
 * conform_uring.h - what the io_uring case programs (cases/uring/, and
 * cases/eventfd/uring-*) share on top of conform.h: bounded waits for CQEs,
 * reaping by tag, running one request and getting its result, a NOP round
 * trip, raw io_uring_enter/io_uring_register, SQEs published without a
 * system call, probes for SQE flags, request flags and register opcodes,
 * and the small fixtures several programs need (pattern files, anonymous
 * buffers, AF_UNIX addresses, a call made from another thread, two pending
 * polls to cancel, provided-buffer ring registration, refused mmaps).
 * Case programs include <liburing.h> first, then this header.
 */
#ifndef AIOCONF_CONFORM_URING_H
#define AIOCONF_CONFORM_URING_H

#include "conform.h"

#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <time.h>
#include <sys/un.h>

enum {
	/* Bound of a wait for a CQE that is expected: a guard against a hang,
	 * not a timing check; loose enough for kernels emulated under QEMU. */
	URING_REAP_BOUND_MS = 2000,
	/* Wait of uring_wait_briefly(), expected to run out. */
	URING_BRIEF_WAIT_MS = 20,
};

/*
 * Wait at most ms milliseconds for a CQE and point *cqe at it (not marked
 * seen). Returns 0, -ETIME when none came, or another negative error.
 *
 * Why not io_uring_wait_cqe_timeout(): without IORING_FEAT_EXT_ARG (before
 * 5.11) liburing 2.3 passes the timeout as an IORING_OP_TIMEOUT SQE of its
 * own. That hidden request takes SQ and CQ slots, is held back behind an
 * IOSQE_IO_DRAIN request (so the wait never ends), and is refused with
 * -EBUSY while the CQ ring is overflowed. poll(2) on the ring fd, which is
 * readable while CQEs are ready (since 5.1), submits nothing.
 */
static inline int uring_wait_cqe_ms(struct io_uring *ring,
				    struct io_uring_cqe **cqe, int ms)
{
	struct pollfd pfd = { .fd = ring->ring_fd, .events = POLLIN };
	struct timespec now, end;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		long left;

		/* Peeking enters the kernel only to flush an overflow backlog. */
		ret = io_uring_peek_cqe(ring, cqe);
		if (ret != -EAGAIN)
			return ret;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000L +
		       (end.tv_nsec - now.tv_nsec) / 1000000L;
		if (left <= 0)
			return -ETIME;
		ret = poll(&pfd, 1, (int)left);
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

/*
 * Wait (URING_REAP_BOUND_MS) for one CQE, copy it to *out and mark it seen,
 * so that callers can look at it after reaping more. Returns 0, or the
 * negative error of the wait (-ETIME when none came).
 */
static inline int uring_reap_one(struct io_uring *ring,
				 struct io_uring_cqe *out)
{
	struct io_uring_cqe *cqe;
	int ret = uring_wait_cqe_ms(ring, &cqe, URING_REAP_BOUND_MS);

	if (ret)
		return ret;
	*out = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/*
 * True when io_uring_submit()'s return ret says the one queued SQE went to
 * the kernel. On an IORING_SETUP_SQPOLL ring liburing returns how many
 * SQEs the SQ thread has not taken yet (the SQ tail minus the kernel's
 * head, read after the tail is published), so a thread quick enough to
 * take it first makes that 0 (seen on 7.3-rt with four guests at once).
 */
static inline bool uring_submitted_one(const struct io_uring *ring, int ret)
{
	return ret == 1 || (ret == 0 && (ring->flags & IORING_SETUP_SQPOLL));
}

/*
 * Submit the one SQE queued on ring and reap its CQE into *out (bounded
 * wait, as uring_reap_one). Returns 0, or -1 when the submit did not take
 * exactly one SQE (uring_submitted_one) or no CQE came.
 */
static inline int uring_submit_reap(struct io_uring *ring,
				    struct io_uring_cqe *out)
{
	if (!uring_submitted_one(ring, io_uring_submit(ring)))
		return -1;
	return uring_reap_one(ring, out) ? -1 : 0;
}

/*
 * As uring_submit_reap(), but returns the CQE's res, or INT_MIN when the
 * submit or the wait failed: no request completes with INT_MIN, so a
 * request that never ran cannot pass for an expected -errno.
 */
static inline int uring_submit_res(struct io_uring *ring)
{
	struct io_uring_cqe cqe;

	return uring_submit_reap(ring, &cqe) ? INT_MIN : cqe.res;
}

/*
 * Submit the one SQE queued on ring and reap its CQE; returns its res, or
 * the submit's negative error (-EIO when it took nothing) or the wait's
 * (-ETIME when no CQE came). Unlike uring_submit_res(), a refused submit
 * shows as its own -errno: the convention of uring_run_nop() and of the
 * programs written on it, kept as they assert it.
 */
static inline int uring_submit_res_or_error(struct io_uring *ring)
{
	struct io_uring_cqe cqe;
	int ret = io_uring_submit(ring);

	if (!uring_submitted_one(ring, ret))
		return ret < 0 ? ret : -EIO;
	ret = uring_reap_one(ring, &cqe);
	return ret ? ret : cqe.res;
}

/*
 * Copy *sqe (prepared on the stack, e.g. by an io_uring_prep_*() call) into
 * the next free SQE of ring, submit it and reap its CQE into *out. Returns
 * 0, or -1 when the SQ ring is full, the submit took nothing or no CQE came.
 */
static inline int uring_run_sqe(struct io_uring *ring,
				const struct io_uring_sqe *sqe,
				struct io_uring_cqe *out)
{
	struct io_uring_sqe *slot = io_uring_get_sqe(ring);

	if (!slot)
		return -1;
	*slot = *sqe;
	return uring_submit_reap(ring, out);
}

/* As uring_run_sqe(): the CQE's res, or INT_MIN when it did not run. */
static inline int uring_run_sqe_res(struct io_uring *ring,
				    const struct io_uring_sqe *sqe)
{
	struct io_uring_cqe cqe;

	return uring_run_sqe(ring, sqe, &cqe) ? INT_MIN : cqe.res;
}

/*
 * Reap n CQEs whose completion order is not defined, and store the res of
 * the one whose user_data is tags[i] in res[i]. Returns 0, the wait's error
 * (-ETIME) if one did not come, or -ENOENT for a CQE with a tag not listed.
 */
static inline int uring_reap_tagged(struct io_uring *ring, unsigned int n,
				    const __u64 *tags, int *res)
{
	for (unsigned int k = 0; k < n; k++) {
		struct io_uring_cqe cqe;
		unsigned int i;
		int ret = uring_reap_one(ring, &cqe);

		if (ret)
			return ret;
		for (i = 0; i < n && tags[i] != cqe.user_data; i++)
			;
		if (i == n)
			return -ENOENT;
		res[i] = cqe.res;
	}
	return 0;
}

/*
 * Wait URING_BRIEF_WAIT_MS for a CQE that should not exist, to show that a
 * request is still pending; callers expect -ETIME. A CQE that did come is
 * left in the ring (returns 0) for the caller's next reap to show.
 */
static inline int uring_wait_briefly(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	return uring_wait_cqe_ms(ring, &cqe, URING_BRIEF_WAIT_MS);
}

/*
 * Submit one IORING_OP_NOP with sqe_flags (e.g. IOSQE_ASYNC) on ring and reap
 * its CQE (bounded wait, as uring_reap_one). Returns the CQE's res; -EBUSY
 * when the SQ ring is full, the submit's error (-EIO if it took nothing), or
 * the wait's error (-ETIME when no CQE came).
 */
static inline int uring_run_nop(struct io_uring *ring, unsigned int sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_nop(sqe);
	sqe->flags |= sqe_flags;
	return uring_submit_res_or_error(ring);
}

/*
 * io_uring_register(2) on a liburing ring, returning as the system call does
 * (0 or a positive result, or -1 with errno) rather than liburing's -errno,
 * so tests can check errno exactly as the man page states it.
 */
static inline int uring_register_raw(struct io_uring *ring, unsigned int op,
				     void *arg, unsigned int nr)
{
	return conform_sys_io_uring_register(ring->ring_fd, op, arg, nr);
}

/*
 * io_uring_enter(2) itself, without an argument block: 0 or more (SQEs
 * taken), or -1 with errno. For what liburing hides: a registered ring
 * index with IORING_ENTER_REGISTERED_RING, an enter from another thread,
 * exact errno values.
 */
static inline int uring_sys_enter(int fd, unsigned int to_submit,
				  unsigned int min_complete, unsigned int flags)
{
	return (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			    flags, NULL, 0);
}

/*
 * IORING_REGISTER_FILES_UPDATE of the nr fds in fds, from slot offset on;
 * returns as the system call does (the number updated, or -1 with errno).
 */
static inline int uring_files_update_raw(struct io_uring *ring,
					 unsigned int offset, int *fds,
					 unsigned int nr)
{
	struct io_uring_files_update up;

	memset(&up, 0, sizeof(up));
	up.offset = offset;
	up.fds = (__u64)(uintptr_t)fds;
	return uring_register_raw(ring, IORING_REGISTER_FILES_UPDATE, &up, nr);
}

/*
 * Make the SQEs got with io_uring_get_sqe() visible to the kernel by storing
 * the SQ tail, without a system call: what an application of an SQPOLL ring
 * does, and what a test needs that then enters by hand (uring_sys_enter())
 * or from another thread. liburing's own head is moved along, so a later
 * io_uring_submit() does not publish them again.
 */
static inline void uring_publish_sq(struct io_uring *ring)
{
	ring->sq.sqe_head = ring->sq.sqe_tail;
	io_uring_smp_store_release(ring->sq.ktail, ring->sq.sqe_tail);
}

/*
 * Queue (not submit) one NOP tagged tag, with the SQE flags given
 * (IOSQE_IO_LINK, IOSQE_IO_DRAIN, IOSQE_CQE_SKIP_SUCCESS...): the request
 * the tests of links, drains and skipped CQEs chain. Returns the SQE, or
 * NULL when the SQ ring is full (nothing queued).
 */
static inline struct io_uring_sqe *uring_queue_nop(struct io_uring *ring,
						   __u64 tag,
						   unsigned char flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return NULL;
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, tag);
	sqe->flags = flags;
	return sqe;
}

/* Put one NOP tagged tag in the SQ ring and publish it (uring_publish_sq). */
static inline void uring_publish_nop(struct io_uring *ring, __u64 tag)
{
	uring_queue_nop(ring, tag, 0);
	uring_publish_sq(ring);
}

/*
 * Run one request, a copy of *sqe, on a 2-entry ring of its own and copy its
 * CQE to *out: for probes that must not disturb the ring under test.
 * Returns 0, or -1 when the ring could not be made or the CQE did not come.
 */
static inline int uring_run_one_sqe(const struct io_uring_sqe *sqe,
				    struct io_uring_cqe *out)
{
	struct io_uring ring;
	int ret;

	if (io_uring_queue_init(2, &ring, 0))
		return -1;
	ret = uring_run_sqe(&ring, sqe, out);
	io_uring_queue_exit(&ring);
	return ret;
}

/*
 * As uring_run_one_sqe(): the CQE's res, or INT_MIN when the request did not
 * run. For the tests of one opcode that fill an SQE with an io_uring_prep_*()
 * helper (or by hand) and assert only its result.
 */
static inline int uring_run_one_sqe_res(const struct io_uring_sqe *sqe)
{
	struct io_uring_cqe cqe;

	return uring_run_one_sqe(sqe, &cqe) ? INT_MIN : cqe.res;
}

/*
 * NULL if a NOP carrying the SQE flag completes with res 0; else why not.
 * Kernels that do not know a flag complete the SQE with -EINVAL
 * (io_uring_enter(2) CQE ERRORS): there is no other probe for SQE flags.
 */
static inline const char *uring_sqe_flag_missing(unsigned char flag,
						 const char *name)
{
	static char why[128];
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_nop(&sqe);
	sqe.flags = flag;
	if (uring_run_one_sqe(&sqe, &cqe))
		return "the SQE flag probe (a NOP on a ring of its own) did not complete";
	if (cqe.res == 0)
		return NULL;
	snprintf(why, sizeof(why), "%s: a NOP with it completes with %d (flag unknown)",
		 name, cqe.res);
	return why;
}

/* In a TEST body: skip, with the reason, unless the kernel knows the flag. */
#define URING_REQUIRE_SQE_FLAG(flag) \
	CONFORM_REQUIRE(uring_sqe_flag_missing(flag, #flag))

/* known of uring_flag_result_missing(): any result but -EINVAL will do. */
#define URING_PROBE_NOT_EINVAL INT_MIN

/*
 * The probe for a request flag (or a field given a meaning) that neither
 * the opcode probe nor io_uring_params show: run *sqe, a request that uses
 * the flag and leaves nothing behind, on a ring of its own
 * (uring_run_one_sqe()). Kernels that do not know such a flag complete the
 * request with -EINVAL. NULL when it completes with known, the result the
 * flag's documented behaviour gives (-ENOENT for an update or a cancel
 * that matches nothing, -ETIME for a short timeout), or, with known
 * URING_PROBE_NOT_EINVAL, with anything but -EINVAL (for a request whose
 * result depends on more than the flag). Else why not, in conform_why:
 * what describes the request, name the flag, release the kernel that
 * added it.
 */
static inline const char *uring_flag_result_missing(
	const struct io_uring_sqe *sqe, int known, const char *what,
	const char *name)
{
	struct io_uring_cqe cqe;

	if (uring_run_one_sqe(sqe, &cqe)) {
		snprintf(conform_why, sizeof(conform_why),
			 "%s: the probe (%s, on a ring of its own) did not complete",
			 name, what);
		return conform_why;
	}
	if (known == URING_PROBE_NOT_EINVAL ? cqe.res != -EINVAL :
					      cqe.res == known)
		return NULL;
	if (cqe.res == -EINVAL)
		snprintf(conform_why, sizeof(conform_why),
			 "%s: %s with it gets -EINVAL (the flag is unknown)",
			 name, what);
	else
		snprintf(conform_why, sizeof(conform_why),
			 "%s: %s with it completes with %d, not %d",
			 name, what, cqe.res, known);
	return conform_why;
}

/*
 * The probe for a register opcode, or a flag in its argument, that the
 * opcode probe cannot show: NULL if io_uring_register(op, arg, nr) returns
 * 0 or more on a new 2-entry ring (then closed, which undoes what the call
 * set up); else why not, in conform_why, naming it name. A ring that
 * cannot be made (memlock limit) is CONFORM_ENV.
 */
static inline const char *uring_register_missing(unsigned int op, void *arg,
						 unsigned int nr,
						 const char *name)
{
	const char *why = conform_uring_unavailable();
	struct io_uring ring;
	int ret, err;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	ret = uring_register_raw(&ring, op, arg, nr);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret >= 0)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "%s: %s (not supported by this kernel)", name, strerror(err));
	return conform_why;
}

/* ------------------------------------------------------------------ */
/* Fixtures several io_uring programs need                             */
/* ------------------------------------------------------------------ */

/* The size of the file open as fd (fstat), or -1. */
static inline off_t uring_file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/*
 * A page-aligned anonymous mapping of len bytes (free it with munmap), or
 * NULL: memory to register as a fixed buffer. Kernels before 6.x refuse
 * file-backed memory there, and a static array can share a page with the
 * file-backed data segment.
 */
static inline void *uring_anon_buf(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Fill *sun with the AF_UNIX address <tmpdir>/<name>, inside the program's
 * private directory. Returns its exact length (for bind, connect, sendto, or
 * comparing a returned msg_namelen), or 0 when the path does not fit.
 */
static inline socklen_t uring_unix_addr(struct sockaddr_un *sun,
					const char *name)
{
	char path[300];

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	conform_tmppath(path, sizeof(path), name);
	if (strlen(path) >= sizeof(sun->sun_path))
		return 0;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   strlen(path) + 1);
}

/*
 * Inside a TEST: EXPECT that an mmap of a ring fd was refused because the
 * kernel has not allocated the region asked for (the rings of an
 * IORING_SETUP_NO_MMAP ring, a buffer ring in application memory or one
 * unregistered). map and err are what mmap returned and its errno; a
 * mapping wrongly made (len bytes) is unmapped again. The errno depends on
 * where the refusal is seen: io_uring_mmap() passes on its EINVAL, while
 * io_uring_get_unmapped_area(), which runs first wherever the ring file has
 * that hook, turns any refusal into ENOMEM. Each is accepted exactly, and
 * the log says which one this kernel gave.
 */
static inline void uring_expect_mmap_refused(struct __test_metadata *_metadata,
					     void *map, int err, size_t len)
{
	EXPECT_EQ(MAP_FAILED, map);
	if (map != MAP_FAILED) {
		munmap(map, len);
	} else if (err == EINVAL) {
		TH_LOG("refused by io_uring_mmap(): EINVAL");
	} else {
		TH_LOG("refused by io_uring_get_unmapped_area(): ENOMEM");
		EXPECT_EQ(ENOMEM, err);
	}
}

/*
 * The argument of IORING_REGISTER_PBUF_RING (5.19): a buffer ring of
 * entries entries for group bgid at addr (0 with IOU_PBUF_RING_MMAP, 6.4,
 * where the kernel allocates it), with the IOU_PBUF_RING_* flags. The 6.1
 * uapi header, and liburing 2.3's copy of it, still call the flags field
 * "pad" (6.4 named it "flags"): the same 16 bits, so this builds with
 * either.
 */
static inline struct io_uring_buf_reg uring_pbuf_reg(__u64 addr,
						     unsigned int entries,
						     unsigned int bgid,
						     unsigned int flags)
{
	struct io_uring_buf_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = addr;
	reg.ring_entries = entries;
	reg.bgid = (__u16)bgid;
	reg.pad = (__u16)flags;
	return reg;
}

/*
 * IORING_REGISTER_PBUF_RING of uring_pbuf_reg(addr, entries, bgid, flags)
 * on ring, returning as the system call does: 0, or -1 with errno, which
 * the tests assert exactly (liburing returns -errno, and 2.3 has no way to
 * pass the flags).
 */
static inline int uring_register_pbuf_ring_raw(struct io_uring *ring,
					       __u64 addr,
					       unsigned int entries,
					       unsigned int bgid,
					       unsigned int flags)
{
	struct io_uring_buf_reg reg = uring_pbuf_reg(addr, entries, bgid, flags);

	return uring_register_raw(ring, IORING_REGISTER_PBUF_RING, &reg, 1);
}

/*
 * The probe for IORING_REGISTER_PBUF_RING (5.19): NULL if a buffer ring of
 * entries slots for group bgid, in the application's memory, registers (on
 * a ring of its own); else why not.
 */
static inline const char *uring_pbuf_ring_missing(unsigned int entries,
						  unsigned int bgid)
{
	size_t len = entries * sizeof(struct io_uring_buf);
	void *mem = uring_anon_buf(len);
	struct io_uring_buf_reg reg;
	const char *why;

	if (!mem)
		return CONFORM_ENV "mmap of the probe's buffer ring failed";
	reg = uring_pbuf_reg((__u64)(uintptr_t)mem, entries, bgid, 0);
	why = uring_register_missing(IORING_REGISTER_PBUF_RING, &reg, 1,
				     "IORING_REGISTER_PBUF_RING");
	munmap(mem, len);
	return why;
}

/*
 * The MSG_WAITALL sequence of a stream receive (recv(2) MSG_WAITALL: "block
 * until the full request is satisfied"): a receive of 8 bytes into in,
 * named op, is queued and submitted on ring for sv[0] of an empty stream
 * pair. 4 bytes come from sv[1]: where the kernel retries a short receive
 * (retries: the probe's finding, kernel commit 7ba89d2af17a, 5.18) the
 * request stays pending, the next 4 bytes complete it with 8 and in holds
 * all 8 in order; where it does not (logged), it completes with the 4.
 */
static inline void uring_expect_waitall_recv(struct __test_metadata *_metadata,
					     struct io_uring *ring, int sv[2],
					     const char *in, bool retries,
					     const char *op)
{
	struct io_uring_cqe cqe;
	char out[8];

	conform_fill_pattern(out, sizeof(out), 0);
	ASSERT_EQ(-ETIME, uring_wait_briefly(ring));
	ASSERT_EQ(4, write(sv[1], out, 4));
	if (!retries) {
		TH_LOG("kernel shows pre-5.18 MSG_WAITALL (no retry on SOCK_SEQPACKET): the %s completes short", op);
		ASSERT_EQ(0, uring_reap_one(ring, &cqe));
		EXPECT_EQ(4, cqe.res);
		EXPECT_TRUE(conform_check_pattern(in, 4, 0));
		return;
	}
	ASSERT_EQ(-ETIME, uring_wait_briefly(ring))
		TH_LOG("the %s completed after 4 of 8 bytes, though this kernel retries MSG_WAITALL on a seqpacket socket", op);
	ASSERT_EQ(4, write(sv[1], out + 4, 4));
	ASSERT_EQ(0, uring_reap_one(ring, &cqe));
	EXPECT_EQ(8, cqe.res);
	EXPECT_TRUE(conform_check_pattern(in, 8, 0));
}

/*
 * A provided-buffer ring of entries slots (a power of two) in anonymous
 * memory, registered on ring as group bgid, and entries buffers of buf_len
 * bytes at *bufs, of which the first nbufs (ids 0..nbufs-1) are put in the
 * ring. 0, or -1; *br and *bufs are then what was mapped (or NULL), and
 * uring_pbuf_ring_unmap() releases them either way.
 */
static inline int uring_pbuf_ring_setup(struct io_uring *ring,
					unsigned int entries,
					unsigned int buf_len,
					unsigned short bgid, unsigned int nbufs,
					struct io_uring_buf_ring **br,
					unsigned char **bufs)
{
	*br = uring_anon_buf(entries * sizeof(struct io_uring_buf));
	*bufs = uring_anon_buf((size_t)entries * buf_len);
	if (!*br || !*bufs)
		return -1;
	io_uring_buf_ring_init(*br);
	if (uring_register_pbuf_ring_raw(ring, (__u64)(uintptr_t)*br, entries,
					 bgid, 0))
		return -1;
	for (unsigned int i = 0; i < nbufs; i++)
		io_uring_buf_ring_add(*br, *bufs + (size_t)i * buf_len, buf_len,
				      (unsigned short)i,
				      io_uring_buf_ring_mask(entries), (int)i);
	io_uring_buf_ring_advance(*br, (int)nbufs);
	return 0;
}

/* Unmap what uring_pbuf_ring_setup() mapped (NULL parts are skipped). */
static inline void uring_pbuf_ring_unmap(struct io_uring_buf_ring *br,
					 unsigned char *bufs,
					 unsigned int entries,
					 unsigned int buf_len)
{
	if (br)
		munmap(br, entries * sizeof(struct io_uring_buf));
	if (bufs)
		munmap(bufs, (size_t)entries * buf_len);
}

/*
 * Two requests that cannot finish by themselves, for the cancel tests: on
 * a new 8-entry ring, POLLIN polls on the read ends of two empty pipes,
 * tagged tag1 (pipe p1) and tag2 (pipe p2). With fixed, both read ends are
 * registered files, slots 0 and 1, and the polls name the slots
 * (IOSQE_FIXED_FILE). Writing a byte into p1[1] or p2[1] completes a poll.
 */
struct uring_two_polls {
	struct io_uring ring;
	int p1[2], p2[2];
};

static inline void uring_two_polls_end(struct uring_two_polls *t)
{
	io_uring_queue_exit(&t->ring);
	close(t->p1[0]);
	close(t->p1[1]);
	close(t->p2[0]);
	close(t->p2[1]);
}

/* Set up *t and submit both polls: 0, or -1 with everything released. */
static inline int uring_two_polls_start(struct uring_two_polls *t, bool fixed,
					__u64 tag1, __u64 tag2)
{
	const __u64 tags[2] = { tag1, tag2 };
	int files[2];

	if (conform_pipe(t->p1))
		return -1;
	if (conform_pipe(t->p2)) {
		close(t->p1[0]);
		close(t->p1[1]);
		return -1;
	}
	if (io_uring_queue_init(8, &t->ring, 0)) {
		close(t->p1[0]);
		close(t->p1[1]);
		close(t->p2[0]);
		close(t->p2[1]);
		return -1;
	}
	files[0] = t->p1[0];
	files[1] = t->p2[0];
	if (fixed && io_uring_register_files(&t->ring, files, 2)) {
		uring_two_polls_end(t);
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

		io_uring_prep_poll_add(sqe, fixed ? i : files[i], POLLIN);
		io_uring_sqe_set_data64(sqe, tags[i]);
		if (fixed)
			sqe->flags |= IOSQE_FIXED_FILE;
	}
	if (io_uring_submit(&t->ring) != 2) {
		uring_two_polls_end(t);
		return -1;
	}
	return 0;
}

/*
 * Run fn(arg) on a new thread of this process and wait for it to end: for
 * calls whose outcome depends on the calling task (a ring's single issuer,
 * the per-task table of registered ring fds). fn stores what it saw, errno
 * included, in *arg. Returns 0, or -1 when the thread could not be made or
 * joined.
 */
static inline int uring_run_in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t th;

	if (pthread_create(&th, NULL, fn, arg))
		return -1;
	return pthread_join(th, NULL) ? -1 : 0;
}

/*
 * The threads of this process other than the calling one (a test process
 * has none but those its test starts), read from /proc/self/task: how many
 * have a name that does not start with ignore (NULL: none ignored), and in
 * *named (when not NULL) how many are named exactly want (NULL: none). -1
 * when /proc/self/task cannot be read. A thread whose name cannot be read
 * has just exited and is not counted. A new io_uring thread (iou-wrk-<tid>,
 * iou-sqp-<pid>) shows under its creator's name until it first runs.
 */
static inline int uring_other_threads(const char *ignore, const char *want,
				      int *named)
{
	pid_t tids[CONFORM_MAX_THREADS];
	char path[64], comm[64];
	int n = 0, all = conform_thread_ids(tids);

	if (named)
		*named = 0;
	if (all < 0)
		return -1;
	for (int i = 0; i < all; i++) {
		ssize_t len;
		int fd;

		if (tids[i] == gettid())
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int)tids[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (len <= 0)
			continue;
		comm[len] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (want && named && strcmp(comm, want) == 0)
			(*named)++;
		if (!ignore || strncmp(comm, ignore, strlen(ignore)) != 0)
			n++;
	}
	return n;
}

#endif /* AIOCONF_CONFORM_URING_H */
