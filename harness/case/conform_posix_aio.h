/* SPDX-License-Identifier: MIT */
/*
 * conform_posix_aio.h - helpers shared by the cases/posix-aio programs, on
 * top of conform.h.
 *
 * glibc runs POSIX AIO in its own worker threads (pread/pwrite/fsync), so
 * these helpers only fill control blocks, wait for requests through the
 * POSIX interface itself, and ask for and take notification signals; none
 * of them asserts anything.
 */
#ifndef AIOCONF_CONFORM_POSIX_AIO_H
#define AIOCONF_CONFORM_POSIX_AIO_H

#include "conform.h"

#include <aio.h>
#include <signal.h>
#include <time.h>

/*
 * A zeroed control block for fd, buf, len and the absolute offset off, with
 * SIGEV_NONE: the tests then read the outcome through aio_error/aio_return
 * only. Zeroing matters: aio_reqprio and aio_lio_opcode must start at 0.
 */
static inline void posix_aio_prep(struct aiocb *cb, int fd, void *buf,
				  size_t len, off_t off)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = fd;
	cb->aio_buf = buf;
	cb->aio_nbytes = len;
	cb->aio_offset = off;
	cb->aio_sigevent.sigev_notify = SIGEV_NONE;
}

/* posix_aio_prep, plus the aio_lio_opcode (LIO_READ, LIO_WRITE, LIO_NOP)
 * that lio_listio reads from each entry. */
static inline void posix_aio_prep_lio(struct aiocb *cb, int op, int fd,
				      void *buf, size_t len, off_t off)
{
	posix_aio_prep(cb, fd, buf, len, off);
	cb->aio_lio_opcode = op;
}

/*
 * Wait until cb is no longer EINPROGRESS, with aio_suspend (each wait
 * bounded by 5 s, so a request that never completes ends the wait with -1
 * instead of hanging the test). Returns 0, or -1 with errno. Tests call it
 * before they read aio_return, and before they leave, so that no worker
 * thread still uses their buffers.
 */
static inline int posix_aio_wait_done(struct aiocb *cb)
{
	const struct aiocb *list[1] = { cb };
	struct timespec limit = { 5, 0 };

	while (aio_error(cb) == EINPROGRESS)
		if (aio_suspend(list, 1, &limit) < 0 && errno != EINTR)
			return -1;
	return 0;
}

/* posix_aio_prep_lio for the LFS struct aiocb64 (64-bit aio_offset). */
static inline void posix_aio_prep64(struct aiocb64 *cb, int op, int fd,
				    void *buf, size_t len, off64_t off)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = op;
	cb->aio_fildes = fd;
	cb->aio_buf = buf;
	cb->aio_nbytes = len;
	cb->aio_offset = off;
	cb->aio_sigevent.sigev_notify = SIGEV_NONE;
}

/* posix_aio_wait_done through aio_error64/aio_suspend64. 0, or -1 (errno). */
static inline int posix_aio_wait_done64(struct aiocb64 *cb)
{
	const struct aiocb64 *list[1] = { cb };
	struct timespec limit = { 5, 0 };

	while (aio_error64(cb) == EINPROGRESS)
		if (aio_suspend64(list, 1, &limit) < 0 && errno != EINTR)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* SIGEV_SIGNAL notification, taken without handlers or sleeps          */
/* ------------------------------------------------------------------ */

/*
 * The notification tests block their signal in the test thread and take it
 * with sigtimedwait. glibc's AIO worker threads block every signal, so a
 * signal queued for a notification stays pending until taken: no handler,
 * no race.
 */

/* Block signo in the calling thread; *set then holds it alone. 0 or -1. */
static inline int posix_aio_block_signal(int signo, sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, signo);
	return sigprocmask(SIG_BLOCK, set, NULL);
}

/*
 * Take a pending signal of set within ms milliseconds, its details in
 * *info (zeroed first). Returns the signal number, or -1 with errno EAGAIN
 * when none came (a bound, e.g. 5000 for a signal that must come).
 */
static inline int posix_aio_take_signal(const sigset_t *set, siginfo_t *info,
					long ms)
{
	const struct timespec limit = { ms / 1000, (ms % 1000) * 1000000L };
	int sig;

	memset(info, 0, sizeof(*info));
	do
		sig = sigtimedwait(set, info, &limit);
	while (sig < 0 && errno == EINTR);
	return sig;
}

/* Fill *sev (zeroed first) to ask for SIGEV_SIGNAL signo carrying value. */
static inline void posix_aio_want_signal(struct sigevent *sev, int signo,
					 void *value)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_SIGNAL;
	sev->sigev_signo = signo;
	sev->sigev_value.sival_ptr = value;
}

/*
 * A SIGEV_THREAD function in a test reports what it saw by writing a
 * fixed-size record into a pipe; take the next one (len bytes into r) from
 * the pipe's read end fd within 5 s. 0, or -1 when none came.
 */
static inline int posix_aio_take_report(int fd, void *r, size_t len)
{
	if (!conform_fd_readable(fd, 5000))
		return -1;
	return read(fd, r, len) == (ssize_t)len ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* requests held back in glibc's queue                                 */
/* ------------------------------------------------------------------ */

/* True when cb is still in progress after a 50 ms aio_suspend ran out. */
static inline bool posix_aio_still_in_progress(const struct aiocb *cb)
{
	const struct aiocb *list[1] = { cb };
	const struct timespec brief = { 0, 50 * 1000 * 1000 };

	return aio_suspend(list, 1, &brief) == -1 && errno == EAGAIN &&
	       aio_error(cb) == EINPROGRESS;
}

/*
 * In a fresh test child, before any other AIO call: one worker thread at
 * most (aio_init), taken by hold, a one-byte read of the empty pipe p (made
 * here, into buf). Requests on other descriptors then wait in glibc's queue
 * until posix_aio_release_the_worker. 0, or -1 with errno.
 */
static inline int posix_aio_hold_the_only_worker(int p[2], struct aiocb *hold,
						 unsigned char *buf)
{
	struct aioinit init;

	memset(&init, 0, sizeof(init));
	init.aio_threads = 1;
	init.aio_num = 32;
	aio_init(&init);
	if (conform_pipe(p) < 0)
		return -1;
	posix_aio_prep(hold, p[0], buf, 1, 0);
	return aio_read(hold);
}

/* Let the held read complete (one byte), wait for it, close the pipe: the
 * read's aio_return (1), or -1. */
static inline ssize_t posix_aio_release_the_worker(int p[2], struct aiocb *hold)
{
	ssize_t ret = -1;

	if (write(p[1], "r", 1) == 1 && posix_aio_wait_done(hold) == 0)
		ret = aio_return(hold);
	close(p[0]);
	close(p[1]);
	return ret;
}

#endif /* AIOCONF_CONFORM_POSIX_AIO_H */
