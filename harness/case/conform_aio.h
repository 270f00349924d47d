/* SPDX-License-Identifier: MIT */
/*
 * conform_aio.h - what the cases/aio programs that drive Linux native AIO
 * through the raw system calls share: the io_* syscall wrappers, iocb
 * set-up, one request submitted and reaped on a context of its own (in a
 * test, at once or after it was seen pending, and in a probe), the
 * completion ring header, and the IOCB_CMD_POLL probe.
 *
 * For raw-syscall cases only. <linux/aio_abi.h>, which this header includes,
 * and <libaio.h> both define struct iocb and struct io_event, so a case that
 * uses libaio includes <libaio.h> and then "conform.h", never this header.
 *
 * The wrappers return what syscall(2) returns: -1 with errno on failure.
 */
#include "conform.h"

#ifndef AIOCONF_CONFORM_AIO_H
#define AIOCONF_CONFORM_AIO_H

#ifdef __LIBAIO_H
#error "conform_aio.h is for raw-syscall AIO cases: a libaio case includes <libaio.h> and conform.h only"
#endif

#include <poll.h>
#include <time.h>
#include <linux/aio_abi.h>

#include "ref/uapi.h"

/* ------------------------------------------------------------------ */
/* The system calls (glibc has no wrappers for them)                    */
/* ------------------------------------------------------------------ */

/* io_setup(2): *ctx must be 0 on entry; on success it holds the context. */
static inline long aio_sys_setup(unsigned int nr, aio_context_t *ctx)
{
	return syscall(__NR_io_setup, nr, ctx);
}

/* io_destroy(2): cancels what it can, waits for the rest, frees the ring. */
static inline long aio_sys_destroy(aio_context_t ctx)
{
	return syscall(__NR_io_destroy, ctx);
}

/* io_submit(2): returns how many of the nr iocbs in list were queued. */
static inline long aio_sys_submit(aio_context_t ctx, long nr,
				  struct iocb **list)
{
	return syscall(__NR_io_submit, ctx, nr, list);
}

/* io_getevents(2): reaps between min_nr and nr events; ts bounds the wait. */
static inline long aio_sys_getevents(aio_context_t ctx, long min_nr, long nr,
				     struct io_event *ev, struct timespec *ts)
{
	return syscall(__NR_io_getevents, ctx, min_nr, nr, ev, ts);
}

/* io_pgetevents(2) (4.18): io_getevents with usig's mask installed for the
 * wait (NULL usig: none). */
static inline long aio_sys_pgetevents(aio_context_t ctx, long min_nr, long nr,
				      struct io_event *ev, struct timespec *ts,
				      const struct ref_aio_sigset *usig)
{
	return syscall(__NR_io_pgetevents, ctx, min_nr, nr, ev, ts, usig);
}

/* io_cancel(2): result is no longer written; the event comes via the ring. */
static inline long aio_sys_cancel(aio_context_t ctx, struct iocb *cb,
				  struct io_event *result)
{
	return syscall(__NR_io_cancel, ctx, cb, result);
}

/* ------------------------------------------------------------------ */
/* Preparing iocbs: every field not named is zero, as io_submit wants   */
/* ------------------------------------------------------------------ */

/*
 * A read or write iocb (IOCB_CMD_PREAD/PWRITE) of len bytes at off, tagged
 * with data (returned in io_event.data). For the vectored opcodes
 * (IOCB_CMD_PREADV/PWRITEV) buf is the struct iovec array and len is the
 * number of its entries.
 */
static inline void aio_prep_rw(struct iocb *cb, unsigned int op, int fd,
			       const void *buf, size_t len, long long off,
			       __u64 data)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = op;
	cb->aio_fildes = fd;
	cb->aio_buf = (__u64)(unsigned long)buf;
	cb->aio_nbytes = len;
	cb->aio_offset = off;
	cb->aio_data = data;
}

/* A one-shot IOCB_CMD_POLL for the poll(2) events mask (held in aio_buf). */
static inline void aio_prep_poll(struct iocb *cb, int fd, unsigned int events)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = IOCB_CMD_POLL;
	cb->aio_fildes = fd;
	cb->aio_buf = events;
}

/* ------------------------------------------------------------------ */
/* The completion ring mapped at the context address                    */
/* ------------------------------------------------------------------ */

/*
 * The header of the ring the kernel maps at the context address, laid out
 * as fs/aio.c struct aio_ring (the user ABI libaio reads): valid only with
 * magic 0xa10a10a1, incompat_features 0 and header_length 32 (DESIGN.md
 * section 6). head and tail wrap modulo nr.
 */
struct aio_ring_header {
	unsigned int id;
	unsigned int nr;
	unsigned int head;
	unsigned int tail;
	unsigned int magic;
	unsigned int compat_features;
	unsigned int incompat_features;
	unsigned int header_length;
};

/* The ring of a live context: the context id is its address. Volatile, as
 * the kernel moves tail (and io_getevents head) behind the program's back. */
static inline const volatile struct aio_ring_header *
aio_ring_of(aio_context_t ctx)
{
	return (const volatile struct aio_ring_header *)(unsigned long)ctx;
}

/* ------------------------------------------------------------------ */
/* One request on a context of its own                                  */
/* ------------------------------------------------------------------ */

/*
 * Inside a TEST: reap the one event of the context ctx into *ev, then
 * destroy ctx; both are EXPECTed. The reap is bounded by 5 s (a sync or a
 * read may run in a kernel worker), only so that a lost completion fails
 * instead of hanging. Returns true when the event came.
 */
static inline bool aio_reap_and_destroy(struct __test_metadata *_metadata,
					aio_context_t ctx, struct io_event *ev)
{
	struct timespec bound = { .tv_sec = 5 };
	long got = aio_sys_getevents(ctx, 1, 1, ev, &bound);

	EXPECT_EQ(1, got);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	return got == 1;
}

/*
 * Inside a TEST: submit cb alone on a new context, reap its event into *ev
 * and destroy the context (aio_reap_and_destroy()), for tests that check
 * one request's outcome either way: an io_submit error (errno) or the
 * event's res. Returns io_submit's result with its errno; on -1 nothing
 * was queued and *ev is untouched. io_setup is ASSERTed.
 */
static inline long aio_submit_and_reap(struct __test_metadata *_metadata,
				       struct iocb *cb, struct io_event *ev)
{
	struct iocb *list[1] = { cb };
	aio_context_t ctx = 0;
	long ret;
	int err;

	ASSERT_EQ(0, aio_sys_setup(2, &ctx));
	ret = aio_sys_submit(ctx, 1, list);
	err = errno;
	if (ret == 1)
		aio_reap_and_destroy(_metadata, ctx, ev);
	else
		EXPECT_EQ(0, aio_sys_destroy(ctx));
	errno = err;
	return ret;
}

/*
 * Inside a TEST, for a request that must be seen waiting before the test
 * makes it complete (a poll of an fd not ready yet): submit cb alone on a
 * new context *ctx (io_setup and io_submit ASSERTed) and EXPECT that
 * io_getevents with a zero timeout finds no event. The test then makes the
 * request complete and ends with aio_reap_and_destroy(*ctx).
 */
static inline void aio_submit_pending(struct __test_metadata *_metadata,
				      aio_context_t *ctx, struct iocb *cb)
{
	struct timespec zero = { 0, 0 };
	struct iocb *list[1] = { cb };
	struct io_event ev;

	*ctx = 0;
	ASSERT_EQ(0, aio_sys_setup(2, ctx));
	ASSERT_EQ(1, aio_sys_submit(*ctx, 1, list));
	EXPECT_EQ(0, aio_sys_getevents(*ctx, 1, 1, &ev, &zero));
}

/*
 * For the probes (outside a TEST, asserting nothing): NULL if io_submit
 * queues cb, else why not. cb goes alone on a new one-entry context; its
 * event is reaped if it was queued (5 s bound) and the context destroyed.
 * The reason, in conform_why, names the request as what
 * ("io_submit(<what>): <error>"), and adds einval_means, what an EINVAL
 * means here (e.g. "opcode refused"), when that is the error: what was
 * probed and what was seen, never a kernel version. A failed io_setup
 * (aio-max-nr reached, ...) is the machine's doing: CONFORM_ENV.
 */
static inline const char *aio_probe_submit(struct iocb *cb, const char *what,
					   const char *einval_means)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb *list[1] = { cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	long ret;
	int err;

	if (aio_sys_setup(1, &ctx) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "io_setup for the %s probe: %s", what, strerror(errno));
		return conform_why;
	}
	ret = aio_sys_submit(ctx, 1, list);
	err = errno;
	if (ret == 1)
		aio_sys_getevents(ctx, 1, 1, &ev, &bound);
	aio_sys_destroy(ctx);
	if (ret == 1)
		return NULL;
	if (err == EINVAL)
		snprintf(conform_why, sizeof(conform_why),
			 "io_submit(%s): %s (%s)", what, strerror(err),
			 einval_means);
	else
		snprintf(conform_why, sizeof(conform_why), "io_submit(%s): %s",
			 what, strerror(err));
	return conform_why;
}

/* ------------------------------------------------------------------ */
/* Probes                                                               */
/* ------------------------------------------------------------------ */

/*
 * NULL if io_submit accepts IOCB_CMD_POLL (Linux 4.19); else why not. Polls
 * a pipe that already holds a byte, so the request completes at once;
 * kernels without it reject the opcode with EINVAL.
 */
static inline const char *aio_poll_missing(void)
{
	struct iocb cb;
	const char *why = conform_aio_unavailable();
	int p[2];

	if (why)
		return why;
	if (conform_pipe(p))
		return CONFORM_ENV "cannot make a pipe for the IOCB_CMD_POLL probe";
	if (write(p[1], "x", 1) != 1) {
		close(p[0]);
		close(p[1]);
		return CONFORM_ENV "cannot write the pipe for the IOCB_CMD_POLL probe";
	}
	aio_prep_poll(&cb, p[0], POLLIN);
	why = aio_probe_submit(&cb, "IOCB_CMD_POLL",
			       "the opcode is refused");
	close(p[0]);
	close(p[1]);
	return why;
}

/* Inside a TEST body: skip, with the reason, unless IOCB_CMD_POLL works. */
#define AIO_REQUIRE_POLL() CONFORM_REQUIRE(aio_poll_missing())

#endif /* AIOCONF_CONFORM_AIO_H */
