// SPDX-License-Identifier: MIT
/*
 * posix-aio/listio-errors: the errors of lio_listio beyond
 * posix-aio/lio-listio and posix-aio/listio-notify: a list of zero entries
 * in both modes, EAGAIN when no worker thread can be created (both modes,
 * each entry's own EAGAIN), an entry with a bad descriptor queued by
 * LIO_NOWAIT and failing later with EBADF, an entry's EFBIG past the file
 * size limit under LIO_WAIT, LIO_WAIT with every entry refused at queueing,
 * and an entry canceled while LIO_WAIT waits (EIO, ECANCELED).
 * Sources: POSIX.1-2017 XSH lio_listio() DESCRIPTION, RETURN VALUE, ERRORS
 * (also the error statuses of individual entries listed there),
 * aio_cancel() DESCRIPTION; lio_listio(3); write(2) EFBIG.
 *
 * Already covered elsewhere, so not repeated here: an invalid mode and
 * nent beyond AIO_LISTIO_MAX (glibc has no such limit), EIO with LIO_WAIT
 * and an entry's EBADF or EINVAL, EINTR in LIO_WAIT, and LIO_NOWAIT with an
 * entry refused at queueing (posix-aio/lio-listio, posix-aio/listio-notify).
 *
 * EAGAIN needs resources to lack deterministically: glibc queues a request
 * only if it can start a worker thread (or one runs already); the TEST makes
 * thread creation fail with EAGAIN - what clone(2) returns at RLIMIT_NPROC -
 * through a seccomp filter on clone and clone3 in its own fresh child,
 * where no AIO worker exists yet.
 *
 * First kernel: glibc queues each entry to its own worker threads
 * (pread/pwrite, futex, rt_sigqueueinfo, pthread_create): since is 2.6.0 in
 * every declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 * The seccomp filter (SECCOMP_MODE_FILTER, 3.5) is a test tool, probed.
 */
#include <aio.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "conform_posix_aio.h"

#define LIST_SIG (SIGRTMIN + 7)

static void *no_op_thread(void *arg)
{
	return arg;
}

/*
 * Make clone(2) and clone3(2) fail with EAGAIN in this (single-threaded)
 * test child from now on, so that pthread_create fails as at RLIMIT_NPROC;
 * then check that it does. NULL, or why the filter could not be had.
 */
static const char *forbid_new_threads(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | (EAGAIN & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};
	pthread_t tid;
	int ret;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "prctl(PR_SET_NO_NEW_PRIVS): %s",
			 strerror(errno));
		return conform_why;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER): %s (no CONFIG_SECCOMP_FILTER?)",
			 strerror(errno));
		return conform_why;
	}
	ret = pthread_create(&tid, NULL, no_op_thread, NULL);
	if (ret == 0) {
		pthread_join(tid, NULL);
		return CONFORM_ENV "pthread_create still works under a seccomp filter refusing clone and clone3";
	}
	if (ret != EAGAIN) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "pthread_create under the filter failed with %s, not EAGAIN",
			 strerror(ret));
		return conform_why;
	}
	return NULL;
}

/*
 * POSIX lio_listio() DESCRIPTION: the list holds nent elements; with nent 0
 * it holds none, so there is nothing to wait for. glibc returns 0 at once
 * in LIO_WAIT mode and does not look at the array: a write entry there is
 * not queued (its status untouched, the file still empty).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no request queued).
 */
TEST(wait_mode_zero_entries_returns_zero_and_queues_nothing)
{
	unsigned char buf[64];
	struct aiocb cb, *list[1] = { &cb };
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: the array holds "
			"nent elements, LIO_WAIT waits for all of them (glibc: "
			"nent 0 returns 0 at once, nothing queued)");
	ASSERT_LE(0, fd);
	conform_fill_pattern(buf, sizeof(buf), 0);
	posix_aio_prep_lio(&cb, LIO_WRITE, fd, buf, sizeof(buf), 0);
	errno = 0;
	EXPECT_EQ(0, lio_listio(LIO_WAIT, list, 0, NULL));
	EXPECT_EQ(0, errno);
	EXPECT_EQ(0, aio_error(&cb));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_NOWAIT the notification of sig
 * comes "when all the requests in list have completed". A list of nent 0
 * has none left to complete: glibc returns 0 and queues the list signal at
 * once (pending within the 5 s bound), SI_ASYNCIO with the list's value.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: rt_sigqueueinfo).
 */
TEST(nowait_zero_entries_sends_the_list_signal_at_once)
{
	struct aiocb *list[1] = { NULL };
	struct sigevent sev;
	siginfo_t info;
	sigset_t set;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_NOWAIT "
			"notifies per sig when all requests in the list have "
			"completed (glibc: at once for nent 0)");
	ASSERT_EQ(0, posix_aio_block_signal(LIST_SIG, &set));
	posix_aio_want_signal(&sev, LIST_SIG, list);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 0, &sev));
	ASSERT_EQ(LIST_SIG, posix_aio_take_signal(&set, &info, 5000));
	EXPECT_EQ(SI_ASYNCIO, info.si_code);
	EXPECT_EQ((void *)list, info.si_value.sival_ptr);
}

/*
 * lio_listio(LIO_WAIT or LIO_NOWAIT) of two writes to two files with thread
 * creation refused: -1 with EAGAIN, each entry's status EAGAIN, both files
 * still empty.
 */
static void no_worker_gets_eagain(struct __test_metadata *_metadata, int mode)
{
	unsigned char buf[2][256];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct stat st;
	int fd[2];

	for (int i = 0; i < 2; i++) {
		ASSERT_LE(0, fd[i] = conform_temp_file(0, 0));
		conform_fill_pattern(buf[i], sizeof(buf[i]), i);
		posix_aio_prep_lio(&cbs[i], LIO_WRITE, fd[i], buf[i],
				   sizeof(buf[i]), 0);
	}
	CONFORM_REQUIRE(forbid_new_threads());
	errno = 0;
	EXPECT_EQ(-1, lio_listio(mode, list, 2, NULL));
	EXPECT_EQ(EAGAIN, errno);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(EAGAIN, aio_error(&cbs[i]));
		ASSERT_EQ(0, fstat(fd[i], &st));
		EXPECT_EQ(0, st.st_size);
		close(fd[i]);
	}
}

/*
 * POSIX lio_listio() ERRORS: EAGAIN "The resources necessary to queue all
 * the I/O requests were not available", and each entry's error status
 * then tells which requests failed (per-entry EAGAIN: not queued due to
 * resource limitations). glibc needs a worker thread per request: with
 * clone refused (EAGAIN) and no worker running, a LIO_WAIT list of two
 * writes fails with EAGAIN, both entries have status EAGAIN, and nothing
 * was written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create).
 */
TEST(wait_mode_without_worker_threads_gets_eagain)
{
	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EAGAIN resources to "
			"queue the requests not available, each entry's status "
			"EAGAIN (glibc: no worker thread can be created)");
	no_worker_gets_eagain(_metadata, LIO_WAIT);
}

/*
 * POSIX lio_listio() ERRORS EAGAIN, as above, in LIO_NOWAIT mode: the call
 * itself fails with EAGAIN (RETURN VALUE: 0 only if all were queued), both
 * entries have status EAGAIN, nothing was written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pthread_create).
 */
TEST(nowait_without_worker_threads_gets_eagain)
{
	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EAGAIN resources to "
			"queue the requests not available, with LIO_NOWAIT too "
			"(glibc: no worker thread can be created)");
	no_worker_gets_eagain(_metadata, LIO_NOWAIT);
}

/*
 * POSIX lio_listio() RETURN VALUE: with LIO_NOWAIT, 0 when the requests
 * were queued; ERRORS: an entry's own error (EBADF, "aio_fildes ... is
 * invalid") shows in its error status. glibc checks the descriptor only
 * when its worker reads, so a list with a read of a descriptor that cannot
 * be open (conform_bad_fd) is queued: 0; that entry then ends with EBADF
 * and aio_return -1, the other read succeeds.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread in threads).
 */
TEST(nowait_bad_fd_entry_is_queued_then_fails_with_ebadf)
{
	unsigned char good[400], bad[400];
	struct aiocb gcb, bcb, *list[2] = { &bcb, &gcb };
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() RETURN VALUE: LIO_NOWAIT "
			"returns 0 once queued; ERRORS: an entry's EBADF is in "
			"its error status (glibc: found by the worker)");
	ASSERT_LE(0, fd);
	posix_aio_prep_lio(&bcb, LIO_READ, conform_bad_fd(), bad, sizeof(bad), 0);
	posix_aio_prep_lio(&gcb, LIO_READ, fd, good, sizeof(good), 2000);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 2, NULL));
	ASSERT_EQ(0, posix_aio_wait_done(&bcb));
	ASSERT_EQ(0, posix_aio_wait_done(&gcb));
	EXPECT_EQ(EBADF, aio_error(&bcb));
	EXPECT_EQ(-1, aio_return(&bcb));
	EXPECT_EQ(0, aio_error(&gcb));
	EXPECT_EQ(400, aio_return(&gcb));
	EXPECT_TRUE(conform_check_pattern(good, sizeof(good), 2000));
	close(fd);
}

/*
 * POSIX lio_listio() ERRORS: an entry can meet the errors of the write()
 * it performs, its status then holding that error; write() EFBIG: beyond
 * the file size limit of the process (SIGXFSZ ignored); EIO: one or more
 * operations failed. With RLIMIT_FSIZE 4096, a LIO_WAIT list writing at 0
 * and at 4096 fails with EIO: the first write lands, the second has status
 * EFBIG and return -1, and the file does not grow.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pwrite in threads).
 */
TEST(wait_mode_write_past_the_file_size_limit_gets_eio_and_efbig)
{
	const struct rlimit lim = { 4096, 4096 };
	unsigned char wbuf[2][100], back[100];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct stat st;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EIO, an entry's "
			"status is the error write() gives, EFBIG past the file "
			"size limit (glibc: pwrite in the worker)");
	ASSERT_LE(0, fd);
	ASSERT_NE(SIG_ERR, signal(SIGXFSZ, SIG_IGN));
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	for (int i = 0; i < 2; i++) {
		conform_fill_pattern(wbuf[i], sizeof(wbuf[i]), 7000 + i);
		posix_aio_prep_lio(&cbs[i], LIO_WRITE, fd, wbuf[i],
				   sizeof(wbuf[i]), i * 4096);
	}
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT, list, 2, NULL));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, aio_error(&cbs[0]));
	EXPECT_EQ(100, aio_return(&cbs[0]));
	EXPECT_EQ(EFBIG, aio_error(&cbs[1]));
	EXPECT_EQ(-1, aio_return(&cbs[1]));
	ASSERT_EQ(100, pread(fd, back, sizeof(back), 0));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 7000));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	close(fd);
}

/*
 * POSIX lio_listio() ERRORS: when the call fails with an error other than
 * EAGAIN, EINTR or EIO, no operation of the list was initiated; each entry
 * is submitted as if by aio_write(), whose ERRORS has EINVAL for an invalid
 * aio_reqprio. glibc refuses such an entry when it queues it; when every
 * entry is refused (aio_reqprio -1 and AIO_PRIO_DELTA_MAX + 1), LIO_WAIT
 * has nothing to wait for and returns -1 with that EINVAL - not EIO, which
 * it gives when another entry did run - the entries have status EINVAL,
 * and nothing was written.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: refused before any I/O).
 */
TEST(wait_mode_every_entry_refused_gets_einval_and_initiates_nothing)
{
	unsigned char buf[2][64];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct stat st;
	int fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: another error than "
			"EAGAIN, EINTR or EIO initiates nothing; aio_write() "
			"ERRORS EINVAL aio_reqprio (glibc: EINVAL when every "
			"entry is refused)");
	ASSERT_LE(0, fd);
	for (int i = 0; i < 2; i++) {
		conform_fill_pattern(buf[i], sizeof(buf[i]), i);
		posix_aio_prep_lio(&cbs[i], LIO_WRITE, fd, buf[i],
				   sizeof(buf[i]), i * 64);
	}
	cbs[0].aio_reqprio = -1;
	cbs[1].aio_reqprio = AIO_PRIO_DELTA_MAX + 1;
	errno = 0;
	EXPECT_EQ(-1, lio_listio(LIO_WAIT, list, 2, NULL));
	EXPECT_EQ(EINVAL, errno);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(EINVAL, aio_error(&cbs[i]));
		EXPECT_EQ(-1, aio_return(&cbs[i]));
	}
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/* The helper of the cancel TEST: once the test thread sleeps in futex,
 * cancel the queued entry, then feed the pipe the running entry reads; if
 * that sleep cannot be seen, feed both entries instead (the TEST skips). */
struct canceler {
	pid_t tid;
	int fd;
	int wfd;
	struct aiocb *victim;
	int seen;
	int canceled;
};

static void *cancel_when_asleep(void *arg)
{
	struct canceler *c = arg;

	c->seen = conform_wait_blocked_in(c->tid, SYS_futex);
	if (c->seen != 1) {
		if (write(c->wfd, "1234567812345678", 16) != 16)
			c->seen = -2;
		return NULL;
	}
	c->canceled = aio_cancel(c->fd, c->victim);
	if (write(c->wfd, "12345678", 8) != 8)
		c->seen = -2;
	return NULL;
}

/*
 * POSIX lio_listio() ERRORS: EIO "One or more of the individual I/O
 * operations failed", and an entry's status ECANCELED when it "was
 * canceled before the I/O completed due to an explicit aio_cancel()
 * request"; aio_cancel() DESCRIPTION: a canceled request gets ECANCELED.
 * A LIO_WAIT list of two reads of one empty pipe (the second queued behind
 * the first): while the test thread waits, another thread cancels the
 * second (AIO_CANCELED) and then writes the pipe. lio_listio returns -1
 * with EIO; the first read has its 8 bytes, the second ECANCELED and -1.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read and futex in threads).
 */
TEST(wait_mode_entry_canceled_meanwhile_gets_eio_and_ecanceled)
{
	unsigned char buf[2][8];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct canceler c;
	pthread_t tid;
	int p[2], ret, err;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: EIO, an entry's "
			"status ECANCELED after an explicit aio_cancel(); "
			"aio_cancel() DESCRIPTION (glibc/POSIX behaviour)");
	ASSERT_EQ(0, conform_pipe(p));
	for (int i = 0; i < 2; i++)
		posix_aio_prep_lio(&cbs[i], LIO_READ, p[0], buf[i], 8, 0);
	memset(&c, 0, sizeof(c));
	c.tid = gettid();
	c.fd = p[0];
	c.wfd = p[1];
	c.victim = &cbs[1];
	ASSERT_EQ(0, pthread_create(&tid, NULL, cancel_when_asleep, &c));
	errno = 0;
	ret = lio_listio(LIO_WAIT, list, 2, NULL);
	err = errno;
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_NE(-2, c.seen);
	if (c.seen != 1) {
		for (int i = 0; i < 2; i++)
			ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		close(p[0]);
		close(p[1]);
		if (c.seen < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the test thread asleep in futex");
		SKIP(return, CONFORM_UNSEEN "the test thread was not seen asleep in futex within 5 s");
	}
	EXPECT_EQ(AIO_CANCELED, c.canceled);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EIO, err);
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	EXPECT_EQ(0, aio_error(&cbs[0]));
	EXPECT_EQ(8, aio_return(&cbs[0]));
	EXPECT_EQ(0, memcmp(buf[0], "12345678", 8));
	EXPECT_EQ(ECANCELED, aio_error(&cbs[1]));
	EXPECT_EQ(-1, aio_return(&cbs[1]));
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
