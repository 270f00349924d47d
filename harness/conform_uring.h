/* SPDX-License-Identifier: MIT */
/*
 * conform_uring.h - what the io_uring case programs (cases/uring/, and
 * cases/eventfd/uring-*) share on top of conform.h: bounded waits for CQEs,
 * reaping by tag, a NOP round trip, raw io_uring_register, and a probe for
 * SQE flags.
 * Case programs include <liburing.h> first, then this header.
 */
#ifndef AIOCONF_CONFORM_URING_H
#define AIOCONF_CONFORM_URING_H

#include "conform.h"

#include <liburing.h>
#include <poll.h>
#include <time.h>

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
	struct io_uring_cqe cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	io_uring_prep_nop(sqe);
	sqe->flags |= sqe_flags;
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = uring_reap_one(ring, &cqe);
	return ret ? ret : cqe.res;
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
 * Run one request, a copy of *sqe, on a 2-entry ring of its own and copy its
 * CQE to *out: for probes that must not disturb the ring under test.
 * Returns 0, or -1 when the ring could not be made or the CQE did not come.
 */
static inline int uring_run_one_sqe(const struct io_uring_sqe *sqe,
				    struct io_uring_cqe *out)
{
	struct io_uring ring;
	struct io_uring_sqe *slot;
	int ret = -1;

	if (io_uring_queue_init(2, &ring, 0))
		return -1;
	slot = io_uring_get_sqe(&ring);
	if (slot) {
		*slot = *sqe;
		if (io_uring_submit(&ring) == 1 && !uring_reap_one(&ring, out))
			ret = 0;
	}
	io_uring_queue_exit(&ring);
	return ret;
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

#endif /* AIOCONF_CONFORM_URING_H */
