// SPDX-License-Identifier: MIT
/*
 * aio/fork: a Linux native AIO context belongs to the memory map of the
 * process that set it up, through the raw system calls and
 * <linux/aio_abi.h>. fork(2): the child "does not inherit any
 * asynchronous I/O contexts from its parent": in a forked child,
 * io_getevents, io_submit, io_cancel and io_destroy of the parent's
 * context id fail with EINVAL and leave the parent's context as it was,
 * while io_setup gives the child a context of its own. A request pending
 * across fork completes in the parent only, even when the child is the
 * one that makes it complete. A child that exits with requests in flight
 * (a pending poll, a pipe read asleep in io_submit) exits at once and
 * disturbs nothing of the parent's. The ring's mapping is another matter:
 * a forked child gets a mapping of the parent's ring pages (shared with
 * the parent) unless the kernel marks it do-not-copy (7.1). A clone(2)
 * child that shares the memory map (CLONE_VM) shares the contexts too.
 * Sources: fork(2) (contexts and outstanding AIO are not inherited),
 * io_getevents(2), io_submit(2), io_cancel(2), io_destroy(2) (EINVAL: the
 * context is invalid), clone(2) CLONE_VM; fs/aio.c (mm->ioctx_table,
 * emptied for the child by mm_init_aio(); exit_aio(); aio_setup_ring()
 * maps the ring MAP_SHARED, commit 36bc08cc01 "fs/aio: Add support to aio
 * ring pages migration", 3.12); kernel commits bfe4037e722e "aio:
 * implement IOCB_CMD_POLL" (4.19) and c03ce4173c7b "fs: aio: set
 * VMA_DONTCOPY_BIT in mmap to fix NULL-pointer-dereference error" (7.1).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "conform_aio.h"

/* What a child reports to the test: call results and words it read. */
struct report {
	long ret[4];
	int err[4];
	unsigned long word[4];
};

/* In the child: record call i's result (ret, errno). */
static void note(struct report *r, int i, long ret)
{
	r->ret[i] = ret;
	r->err[i] = ret < 0 ? errno : 0;
}

/* In the child: send the report on fd and leave (no atexit handlers, no
 * return into the harness). */
static void __attribute__((noreturn)) report_and_exit(int fd,
						       const struct report *r)
{
	if (write(fd, r, sizeof(*r)) != sizeof(*r))
		_exit(2);
	_exit(0);
}

/* waitpid(pid, WNOHANG) for at most 5 s: pid once it has exited, 0 if
 * not, -1 on error. */
static pid_t wait_exit_bounded(pid_t pid, int *status)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t got = waitpid(pid, status, WNOHANG);

		if (got != 0)
			return got;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 5)
			return 0;
		sched_yield();
	}
}

/*
 * In the test: read the child's report from fd (5 s bound) and see the
 * child exit with status 0 (5 s bound; a child that hangs is killed and
 * the test fails).
 */
static void collect(struct __test_metadata *_metadata, pid_t pid, int fd,
		    struct report *r)
{
	bool readable = conform_fd_readable(fd, 5000);
	ssize_t n = readable ? read(fd, r, sizeof(*r)) : -1;
	int status = 0;
	pid_t got = wait_exit_bounded(pid, &status);

	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ASSERT_TRUE(readable) TH_LOG("no report from the child within 5 s");
	ASSERT_EQ((ssize_t)sizeof(*r), n);
	ASSERT_EQ(pid, got) TH_LOG("the child did not exit within 5 s");
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Fork with a report pipe: the child gets 0 and *wfd; the test gets the
 * pid and *rfd. */
static pid_t fork_with_report(struct __test_metadata *_metadata, int *rfd,
			      int *wfd)
{
	int r[2];
	pid_t pid;

	ASSERT_EQ(0, conform_pipe(r));
	pid = fork();
	ASSERT_LE(0, pid);
	*rfd = r[0];
	*wfd = r[1];
	return pid;
}

static unsigned char buf64[64];

/* One buffered read of 64 bytes of fd (completes inside io_submit). */
static long submit_read(aio_context_t ctx, struct iocb *cb, int fd,
			void *buf, __u64 tag)
{
	struct iocb *list[1] = { cb };

	aio_prep_rw(cb, IOCB_CMD_PREAD, fd, buf, 64, 192, tag);
	return aio_sys_submit(ctx, 1, list);
}

/* io_getevents(ctx, 0, 1) with a zero timeout. */
static long peek(aio_context_t ctx, struct io_event *ev)
{
	struct timespec zero = { 0, 0 };

	return aio_sys_getevents(ctx, 0, 1, ev, &zero);
}

/*
 * fork(2): the child does not inherit the parent's AIO contexts;
 * io_getevents(2) EINVAL "ctx_id is invalid": in the child, io_getevents
 * on the parent's context id (one completed event waiting) fails with
 * EINVAL (the child's memory map has no contexts: fs/aio.c
 * mm_init_aio()), and the event is still there for the parent (since
 * 2.6).
 */
TEST(child_getevents_on_parent_context_gets_einval)
{
	struct report rep;
	struct iocb cb;
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd, rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("2.6", "io_getevents",
			"fork(2): the child does not inherit AIO contexts; io_getevents(2) EINVAL: ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ASSERT_EQ(1, submit_read(ctx, &cb, fd, buf64, 1));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, peek(ctx, &ev));
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(-1, rep.ret[0]);
	EXPECT_EQ(EINVAL, rep.err[0]);
	EXPECT_EQ(1, peek(ctx, &ev));
	EXPECT_EQ(1, ev.data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(fd);
}

/*
 * fork(2); io_submit(2) EINVAL "The AIO context specified by ctx_id is
 * invalid": in the child, io_submit of a read on the parent's context id
 * fails with EINVAL, the read is not done (its buffer keeps its bytes)
 * and the parent's context gets no event (since 2.6).
 */
TEST(child_submit_on_parent_context_gets_einval)
{
	static unsigned char untouched[64];
	struct report rep;
	struct iocb cb;
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd, rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("2.6", "io_submit",
			"fork(2): the child does not inherit AIO contexts; io_submit(2) EINVAL: the AIO context specified by ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		memset(&rep, 0, sizeof(rep));
		memset(untouched, 0xee, sizeof(untouched));
		note(&rep, 0, submit_read(ctx, &cb, fd, untouched, 2));
		rep.word[0] = untouched[0] == 0xee && untouched[63] == 0xee;
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(-1, rep.ret[0]);
	EXPECT_EQ(EINVAL, rep.err[0]);
	EXPECT_EQ(1, rep.word[0]);
	EXPECT_EQ(0, peek(ctx, &ev));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(fd);
}

/*
 * fork(2); io_destroy(2) EINVAL "The AIO context specified by ctx_id is
 * invalid": the child cannot destroy the parent's context: io_destroy
 * fails with EINVAL, and the context works on in the parent (a read is
 * queued and reaped, io_destroy succeeds) (since 2.6).
 */
TEST(child_destroy_of_parent_context_gets_einval)
{
	struct timespec bound = { .tv_sec = 5 };
	struct report rep;
	struct iocb cb;
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd, rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("2.6", "io_destroy",
			"fork(2): the child does not inherit AIO contexts; io_destroy(2) EINVAL: the AIO context specified by ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, aio_sys_destroy(ctx));
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(-1, rep.ret[0]);
	EXPECT_EQ(EINVAL, rep.err[0]);
	EXPECT_EQ(1, submit_read(ctx, &cb, fd, buf64, 3));
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(3, ev.data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(fd);
}

/*
 * fork(2): outstanding asynchronous I/O is not inherited; io_cancel(2)
 * EINVAL "ctx_id is invalid": the child's io_cancel of the parent's
 * pending poll fails with EINVAL, and the poll stays pending in the
 * parent until its pipe is written (since 4.19, IOCB_CMD_POLL).
 */
TEST(child_cancel_on_parent_context_gets_einval)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev, result;
	struct report rep;
	aio_context_t ctx = 0;
	int p[2], rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("4.19", "io_cancel",
			"fork(2): outstanding AIO is not inherited; io_cancel(2) EINVAL: ctx_id is invalid; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 4;
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, aio_sys_cancel(ctx, &cb, &result));
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(-1, rep.ret[0]);
	EXPECT_EQ(EINVAL, rep.err[0]);
	EXPECT_EQ(0, peek(ctx, &ev));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(4, ev.data);
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(p[0]);
	close(p[1]);
}

/*
 * fork(2) (contexts not inherited) and io_setup(2): the child sets up a
 * context of its own, queues and reaps a read there and destroys it; the
 * parent's context is untouched (nothing ready, io_destroy succeeds).
 * The child's id may even equal the parent's: where the parent's ring is
 * not mapped in the child (VM_DONTCOPY, 7.1) the child's ring can land at
 * the same address; it is another context all the same (since 2.6).
 */
TEST(child_sets_up_a_context_of_its_own)
{
	struct timespec bound = { .tv_sec = 5 };
	struct report rep;
	struct iocb cb;
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd, rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("2.6", "io_setup",
			"fork(2): the child does not inherit AIO contexts; io_setup(2)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		aio_context_t mine = 0;

		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, aio_sys_setup(4, &mine));
		rep.word[0] = mine;
		if (rep.ret[0] == 0) {
			note(&rep, 1, submit_read(mine, &cb, fd, buf64, 5));
			note(&rep, 2, aio_sys_getevents(mine, 1, 1, &ev, &bound));
			rep.word[1] = ev.data;
			rep.word[2] = conform_check_pattern(buf64, 64, 192);
			note(&rep, 3, aio_sys_destroy(mine));
		}
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(0, rep.ret[0]);
	EXPECT_NE(0, rep.word[0]);
	TH_LOG("child's context id %s the parent's",
	       rep.word[0] == ctx ? "equals" : "differs from");
	EXPECT_EQ(1, rep.ret[1]);
	EXPECT_EQ(1, rep.ret[2]);
	EXPECT_EQ(5, rep.word[1]);
	EXPECT_EQ(1, rep.word[2]);
	EXPECT_EQ(0, rep.ret[3]);
	EXPECT_EQ(0, peek(ctx, &ev));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(fd);
}

/*
 * fork(2): outstanding asynchronous I/O belongs to the parent: a poll
 * pending across fork completes in the parent's context even when the
 * child is the one that writes the pipe (the wakeup runs in the child,
 * the event goes to the parent's ring); the child cannot reap it
 * (EINVAL), the parent does (since 4.19, IOCB_CMD_POLL).
 */
TEST(request_pending_across_fork_completes_in_the_parent)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	struct report rep;
	aio_context_t ctx = 0;
	int p[2], rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fork(2): outstanding AIO is not inherited; io_getevents(2) EINVAL; commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 6;
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, write(p[1], "c", 1));
		note(&rep, 1, peek(ctx, &ev));
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(1, rep.ret[0]);
	EXPECT_EQ(-1, rep.ret[1]);
	EXPECT_EQ(EINVAL, rep.err[1]);
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(6, ev.data);
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(p[0]);
	close(p[1]);
}

/*
 * Does /proc/self/smaps list the mapping at addr with the VmFlags bit
 * "dc" (VM_DONTCOPY: not copied on fork)? 1 yes, 0 no, -1 unknown (no
 * /proc, or no such mapping).
 */
static int mapping_is_dontcopy(unsigned long addr)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool inside = false;
	int answer = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			inside = start == addr;
			continue;
		}
		if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			answer = strstr(line, " dc") ? 1 : 0;
			break;
		}
	}
	fclose(f);
	return answer;
}

/*
 * fs/aio.c aio_setup_ring() maps the ring MAP_SHARED from the context's
 * own file (since 3.12, commit 36bc08cc01): a forked child gets a mapping
 * of the same pages at the same address, although not the context
 * (fork(2)): it sees the header (magic) and, after the parent completes a
 * read, the tail the parent's completion moved. Since 7.1 (commit
 * c03ce4173c7b "fs: aio: set VMA_DONTCOPY_BIT in mmap to fix
 * NULL-pointer-dereference error", also in stable kernels) the mapping is
 * VM_DONTCOPY and the child has nothing at that address. Which applies is
 * probed in the parent's /proc/self/smaps (VmFlags "dc" of the ring), and
 * the child's view is asserted for that variant.
 */
TEST(child_sees_the_parent_ring_unless_it_is_dontcopy)
{
	struct report rep;
	struct iocb cb;
	aio_context_t ctx = 0;
	int fd, rfd, wfd, go[2], dontcopy;
	unsigned int tail0;
	pid_t pid;

	CONFORM_DECLARE("3.12", "io_setup",
			"fs/aio.c aio_setup_ring() MAP_SHARED ring file, commit 36bc08cc01 (3.12): fs/aio: Add support to aio ring pages migration; commit c03ce4173c7b (7.1): fs: aio: set VMA_DONTCOPY_BIT in mmap; fork(2); proc(5) smaps VmFlags dc");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	dontcopy = mapping_is_dontcopy(ctx);
	if (dontcopy < 0) {
		EXPECT_EQ(0, aio_sys_destroy(ctx));
		close(fd);
		SKIP(return, CONFORM_ENV "no VmFlags for the ring in /proc/self/smaps (no /proc?): cannot tell which variant applies");
	}
	TH_LOG("the ring's mapping is %s", dontcopy ? "VM_DONTCOPY (not inherited)" : "copied on fork");
	tail0 = aio_ring_of(ctx)->tail;
	ASSERT_EQ(0, conform_pipe(go));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		unsigned char vec;
		char byte;

		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, mincore((void *)(unsigned long)ctx,
				      (size_t)sysconf(_SC_PAGESIZE), &vec));
		if (rep.ret[0] == 0)
			rep.word[0] = aio_ring_of(ctx)->magic;
		/* Wait for the parent's completion, then look again. */
		if (conform_fd_readable(go[0], 5000) &&
		    read(go[0], &byte, 1) == 1 && rep.ret[0] == 0)
			rep.word[1] = aio_ring_of(ctx)->tail;
		report_and_exit(wfd, &rep);
	}
	ASSERT_EQ(1, submit_read(ctx, &cb, fd, buf64, 7));
	ASSERT_EQ(1, write(go[1], "g", 1));
	collect(_metadata, pid, rfd, &rep);
	if (dontcopy) {
		EXPECT_EQ(-1, rep.ret[0]);
		EXPECT_EQ(ENOMEM, rep.err[0]);
	} else {
		EXPECT_EQ(0, rep.ret[0]);
		EXPECT_EQ(0xa10a10a1UL, rep.word[0]);
		EXPECT_EQ((tail0 + 1) % aio_ring_of(ctx)->nr, rep.word[1]);
	}
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(go[0]);
	close(go[1]);
	close(fd);
}

/*
 * fs/aio.c exit_aio(): when the child's memory map goes, its contexts are
 * killed and their pending requests cancelled: a child that exits with a
 * poll of an empty pipe pending on its own context (no io_destroy) exits
 * at once (seen within 5 s); the parent's context, with its own poll of
 * the same pipe set up before fork, is untouched: still pending until
 * the pipe is written, then complete (since 4.19, IOCB_CMD_POLL).
 */
TEST(child_exiting_with_a_pending_poll_leaves_the_parent_untouched)
{
	struct timespec bound = { .tv_sec = 5 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	struct report rep;
	aio_context_t ctx = 0;
	int p[2], rfd, wfd;
	pid_t pid;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c exit_aio() kills the exiting mm's contexts; fork(2); commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL");
	AIO_REQUIRE_POLL();
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_poll(&cb, p[0], POLLIN);
	cb.aio_data = 8;
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		aio_context_t mine = 0;

		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, aio_sys_setup(4, &mine));
		aio_prep_poll(&cb, p[0], POLLIN);
		cb.aio_data = 9;
		if (rep.ret[0] == 0)
			note(&rep, 1, aio_sys_submit(mine, 1, list));
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	EXPECT_EQ(0, rep.ret[0]);
	EXPECT_EQ(1, rep.ret[1]);
	EXPECT_EQ(0, peek(ctx, &ev));
	ASSERT_EQ(1, write(p[1], "x", 1));
	EXPECT_EQ(1, aio_sys_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(8, ev.data);
	EXPECT_EQ(POLLIN, ev.res & POLLIN);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(rfd);
	close(wfd);
	close(p[0]);
	close(p[1]);
}

/* A thread of the child that reads an empty pipe through io_submit. */
struct pipe_reader {
	aio_context_t ctx;
	struct iocb cb;
	char buf[8];
	atomic_int tid;
};

static void *read_pipe_in_thread(void *arg)
{
	struct pipe_reader *r = arg;
	struct iocb *list[1] = { &r->cb };

	atomic_store(&r->tid, (int)gettid());
	aio_sys_submit(r->ctx, 1, list);
	return NULL;
}

/*
 * A read of an empty pipe sleeps inside io_submit (fs/aio.c aio_read()
 * runs the pipe's read_iter in the submitting thread). A child whose
 * thread sleeps there and whose main thread then exits (exit_group)
 * exits at once all the same: the fatal signal ends the pipe read, and
 * exit_aio() kills the child's context. Nothing of the pipe is consumed:
 * a byte written afterwards is read by the parent, and the parent's
 * context keeps the event it had before fork (read_iter path since 4.1).
 */
TEST(child_exiting_with_a_read_asleep_in_io_submit_does_not_hang)
{
	struct io_event ev;
	struct iocb cb;
	struct report rep;
	aio_context_t ctx = 0;
	int fd, p[2], rfd, wfd;
	char byte = 0;
	pid_t pid;

	CONFORM_DECLARE("4.1", "io_submit",
			"fs/aio.c aio_read() runs read_iter in the submitting thread (4.1); exit_aio() at exit; pipe(7)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	ASSERT_EQ(1, submit_read(ctx, &cb, fd, buf64, 10));
	pid = fork_with_report(_metadata, &rfd, &wfd);
	if (pid == 0) {
		static struct pipe_reader r;
		pthread_t th;

		memset(&rep, 0, sizeof(rep));
		note(&rep, 0, aio_sys_setup(4, &r.ctx));
		aio_prep_rw(&r.cb, IOCB_CMD_PREAD, p[0], r.buf, sizeof(r.buf),
			    0, 11);
		if (rep.ret[0] == 0 &&
		    pthread_create(&th, NULL, read_pipe_in_thread, &r) == 0) {
			while (!atomic_load(&r.tid))
				sched_yield();
			rep.ret[1] = conform_wait_blocked_in(atomic_load(&r.tid),
							     __NR_io_submit);
		}
		report_and_exit(wfd, &rep);
	}
	collect(_metadata, pid, rfd, &rep);
	close(rfd);
	close(wfd);
	if (rep.ret[0] == 0 && rep.ret[1] != 1) {
		EXPECT_EQ(0, aio_sys_destroy(ctx));
		close(p[0]);
		close(p[1]);
		close(fd);
		if (rep.ret[1] < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable in the child: its reader was not seen asleep");
		SKIP(return, CONFORM_UNSEEN "the child's reader was not seen asleep in io_submit");
	}
	EXPECT_EQ(0, rep.ret[0]);
	ASSERT_EQ(1, write(p[1], "q", 1));
	EXPECT_TRUE(conform_fd_readable(p[0], 0));
	EXPECT_EQ(1, read(p[0], &byte, 1));
	EXPECT_EQ('q', byte);
	EXPECT_EQ(1, peek(ctx, &ev));
	EXPECT_EQ(10, ev.data);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* What the CLONE_VM child does and reports (in the shared memory). */
struct vm_child {
	aio_context_t ctx;
	long ret;
	int err;
	__u64 data;
	atomic_int done;
};

static int reap_in_vm_child(void *arg)
{
	struct vm_child *c = arg;
	struct timespec zero = { 0, 0 };
	struct io_event ev = { 0 };

	c->ret = aio_sys_getevents(c->ctx, 0, 1, &ev, &zero);
	c->err = c->ret < 0 ? errno : 0;
	c->data = ev.data;
	atomic_store(&c->done, 1);
	return 0;
}

/*
 * clone(2) CLONE_VM: "the calling process and the child process run in
 * the same memory space"; the contexts live in that memory map (fs/aio.c
 * mm->ioctx_table), so a clone child with CLONE_VM (a process, not a
 * thread) reaps the event waiting on its parent's context, unlike a
 * forked child (since 2.6).
 */
TEST(clone_vm_child_shares_the_contexts)
{
	static struct vm_child c;
	long stack_len = 256 * 1024;
	struct io_event ev;
	struct iocb cb;
	void *stack;
	int fd, status = 0;
	pid_t pid, got;

	CONFORM_DECLARE("2.6", "io_getevents",
			"clone(2) CLONE_VM: same memory space; fs/aio.c keeps contexts in mm->ioctx_table; fork(2)");
	CONFORM_REQUIRE_AIO();
	ASSERT_LE(0, fd = conform_temp_file(4096, 0));
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, aio_sys_setup(4, &c.ctx));
	ASSERT_EQ(1, submit_read(c.ctx, &cb, fd, buf64, 12));
	stack = mmap(NULL, stack_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	ASSERT_NE(MAP_FAILED, stack);
	pid = clone(reap_in_vm_child, (char *)stack + stack_len,
		    CLONE_VM | SIGCHLD, &c);
	ASSERT_LT(0, pid);
	got = wait_exit_bounded(pid, &status);
	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ASSERT_EQ(pid, got);
	EXPECT_EQ(1, atomic_load(&c.done));
	EXPECT_EQ(1, c.ret) TH_LOG("io_getevents in the CLONE_VM child: %s",
				   strerror(c.err));
	EXPECT_EQ(12, c.data);
	EXPECT_EQ(0, peek(c.ctx, &ev));
	EXPECT_EQ(0, aio_sys_destroy(c.ctx));
	munmap(stack, stack_len);
	close(fd);
}

TEST_HARNESS_MAIN
