/* SPDX-License-Identifier: MIT */
/*
 * conform_uring_block.h - the blocking request types that
 * cases/uring/cancel-matrix.c and cases/uring/link-timeout-matrix.c share:
 * each made to wait on something that never comes by itself (an empty
 * pipe or socket pair, a listener, a long timeout, a futex, a live child,
 * an epoll fd, a full socket buffer), how to set it up, queue it, make it
 * ready and tear it down, and where it rests once submitted: in the ring's
 * poll hash (the PollList of the ring's fdinfo), asleep in an io-wq worker
 * (/proc/self/task/<tid>/wchan or stack), or on the list it joins before
 * io_uring_enter() returns. Included after conform_uring.h and ref/uapi.h.
 */
#ifndef AIOCONF_CONFORM_URING_BLOCK_H
#define AIOCONF_CONFORM_URING_BLOCK_H

#include <dirent.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum {
	TAG_REQ = 0x1000,	/* the blocking request */
	TAG_CANCEL = 0x2000,	/* an IORING_OP_ASYNC_CANCEL */
	TAG_LT = 0x3000,	/* an IORING_OP_LINK_TIMEOUT */
	TAG_NOP = 0x4000,	/* a NOP (drained, or the after-check) */
	PB_ENTRIES = 4,		/* provided-buffer ring: slots and buffers */
	PB_LEN = 64,		/* bytes per buffer */
	PB_BGID = 7,		/* its group */
};

/* The blocking request types. */
enum blocker_type {
	B_READ,		/* IORING_OP_READ of an empty pipe */
	B_RECV,		/* IORING_OP_RECV on an empty stream socket pair */
	B_POLL,		/* IORING_OP_POLL_ADD, POLLIN, of an empty pipe */
	B_POLL_MULTI,	/* the same with IORING_POLL_ADD_MULTI */
	B_ACCEPT,	/* IORING_OP_ACCEPT on an AF_UNIX listener */
	B_ACCEPT_MULTI,	/* the same with IORING_ACCEPT_MULTISHOT */
	B_TIMEOUT,	/* IORING_OP_TIMEOUT of 30 s, count 0 */
	B_READ_MULTI,	/* IORING_OP_READ_MULTISHOT of an empty pipe */
	B_RECV_MULTI,	/* IORING_OP_RECV with IORING_RECV_MULTISHOT */
	B_FUTEX,	/* IORING_OP_FUTEX_WAIT on a word holding its value */
	B_WAITID,	/* IORING_OP_WAITID, WEXITED, for a live child */
	B_EPOLL,	/* IORING_OP_EPOLL_WAIT on an epoll of an empty pipe */
	B_SPLICE,	/* IORING_OP_SPLICE from an empty pipe to another */
	B_SENDMSG,	/* IORING_OP_SENDMSG to a socket whose buffer is full */
	B_NR
};

/* Where a pending request of a type rests once submitted. */
enum rest_kind {
	AT_SUBMIT,	/* on a list of its own: timeout, futex, waitid */
	POLL_ARMED,	/* a poll on its file (io_uring's poll or apoll) */
	POLL_OR_IOWQ,	/* either, depending on the kernel (IOSQE_ASYNC) */
	IOWQ_ASLEEP,	/* asleep in an io-wq worker (splice) */
};

struct blocker {
	const char *name;
	unsigned char opcode;
	const char *opname;
	bool multishot;
	bool has_fd;
	enum rest_kind rest;
	/* Kernel functions an io-wq worker sleeps in for this request
	 * (wchan, or the top of /proc/<tid>/stack), NULL-terminated. */
	const char *const *where;
};

static const char *const where_pipe_read[] = { "pipe_read", NULL };
static const char *const where_unix_recv[] = {
	"unix_stream_read_generic", "unix_stream_data_wait", NULL
};
static const char *const where_splice[] = { "pipe_wait_readable", NULL };

static const struct blocker blockers[B_NR] = {
	[B_READ] = { "read", IORING_OP_READ, "IORING_OP_READ", false, true,
		     POLL_OR_IOWQ, where_pipe_read },
	[B_RECV] = { "recv", IORING_OP_RECV, "IORING_OP_RECV", false, true,
		     POLL_OR_IOWQ, where_unix_recv },
	[B_POLL] = { "poll", IORING_OP_POLL_ADD, "IORING_OP_POLL_ADD", false,
		     true, POLL_ARMED, NULL },
	[B_POLL_MULTI] = { "multishot poll", IORING_OP_POLL_ADD,
			   "IORING_OP_POLL_ADD", true, true, POLL_ARMED, NULL },
	[B_ACCEPT] = { "accept", IORING_OP_ACCEPT, "IORING_OP_ACCEPT", false,
		       true, POLL_ARMED, NULL },
	[B_ACCEPT_MULTI] = { "multishot accept", IORING_OP_ACCEPT,
			     "IORING_OP_ACCEPT", true, true, POLL_ARMED, NULL },
	[B_TIMEOUT] = { "timeout", IORING_OP_TIMEOUT, "IORING_OP_TIMEOUT",
			false, false, AT_SUBMIT, NULL },
	[B_READ_MULTI] = { "multishot read", REF_IORING_OP_READ_MULTISHOT,
			   "IORING_OP_READ_MULTISHOT", true, true, POLL_ARMED,
			   NULL },
	[B_RECV_MULTI] = { "multishot recv", IORING_OP_RECV, "IORING_OP_RECV",
			   true, true, POLL_ARMED, NULL },
	[B_FUTEX] = { "futex wait", REF_IORING_OP_FUTEX_WAIT,
		      "IORING_OP_FUTEX_WAIT", false, false, AT_SUBMIT, NULL },
	[B_WAITID] = { "waitid", REF_IORING_OP_WAITID, "IORING_OP_WAITID",
		       false, false, AT_SUBMIT, NULL },
	[B_EPOLL] = { "epoll wait", REF_IORING_OP_EPOLL_WAIT,
		      "IORING_OP_EPOLL_WAIT", false, true, POLL_ARMED, NULL },
	[B_SPLICE] = { "splice", IORING_OP_SPLICE, "IORING_OP_SPLICE", false,
		       true, IOWQ_ASLEEP, where_splice },
	[B_SENDMSG] = { "sendmsg", IORING_OP_SENDMSG, "IORING_OP_SENDMSG",
			false, true, POLL_ARMED, NULL },
};

/*
 * One blocking request and what it waits on: a pipe, socket pair or
 * listener in a[], a second pipe in b[] (splice's destination) or a
 * connected client, the child of a waitid, a futex word, an epoll fd, a
 * provided-buffer ring, and the 8-entry ring it is submitted on.
 */
struct blk {
	struct io_uring ring;
	bool ring_up;
	enum blocker_type type;
	int a[2], b[2];
	int epfd, release;
	int fd;			/* the fd the request names (IORING_ASYNC_CANCEL_FD) */
	pid_t child;
	unsigned int futex_word;
	char buf[PB_LEN];
	struct iovec iov;
	struct msghdr msg;
	struct __kernel_timespec ts;
	siginfo_t info;
	struct epoll_event ev[4];
	struct io_uring_buf_ring *br;
	unsigned char *bufs;
	struct sockaddr_un sun;
};

static inline void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static inline void blk_init(struct blk *t, enum blocker_type type)
{
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->a[0] = t->a[1] = t->b[0] = t->b[1] = -1;
	t->epfd = t->release = t->fd = -1;
	t->child = -1;
}

/* Release everything; the ring first, so that nothing is still pending. */
static inline void blk_end(struct blk *t)
{
	if (t->ring_up)
		io_uring_queue_exit(&t->ring);
	t->ring_up = false;
	uring_pbuf_ring_unmap(t->br, t->bufs, PB_ENTRIES, PB_LEN);
	t->br = NULL;
	t->bufs = NULL;
	close_fd(&t->release);
	if (t->child > 0)
		waitpid(t->child, NULL, 0);
	t->child = -1;
	close_fd(&t->epfd);
	close_fd(&t->a[0]);
	close_fd(&t->a[1]);
	close_fd(&t->b[0]);
	close_fd(&t->b[1]);
}

/* An AF_UNIX stream listener in the private directory, in a[0]. */
static inline int listen_unix(struct blk *t)
{
	if (!uring_unix_addr(&t->sun, "listen.sock"))
		return -1;
	unlink(t->sun.sun_path);
	t->a[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->a[0] < 0)
		return -1;
	return bind(t->a[0], (struct sockaddr *)&t->sun, sizeof(t->sun)) ||
	       listen(t->a[0], 4) ? -1 : 0;
}

/* A child that exits once *release (the write end of its pipe) closes. */
static inline pid_t child_until_eof(int *release)
{
	int p[2];
	pid_t pid;

	if (conform_pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*release = p[1];
	return pid;
}

/*
 * Set up the ring and what the request waits on. With room, a sendmsg's
 * socket is left with room in its buffer (so the request completes).
 * 0, or -1.
 */
static inline int blk_setup(struct blk *t, bool room)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 5 };

	if (io_uring_queue_init(8, &t->ring, 0))
		return -1;
	t->ring_up = true;
	switch (t->type) {
	case B_READ: case B_POLL: case B_POLL_MULTI: case B_READ_MULTI:
		if (conform_pipe(t->a))
			return -1;
		t->fd = t->a[0];
		break;
	case B_RECV: case B_RECV_MULTI:
		if (conform_socketpair(t->a))
			return -1;
		t->fd = t->a[0];
		break;
	case B_SENDMSG:
		if (conform_socketpair(t->a) ||
		    (!room && conform_fill_until_full(t->a[0]) <= 0))
			return -1;
		t->fd = t->a[0];
		break;
	case B_ACCEPT: case B_ACCEPT_MULTI:
		if (listen_unix(t))
			return -1;
		t->fd = t->a[0];
		break;
	case B_EPOLL:
		if (conform_pipe(t->a))
			return -1;
		t->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (t->epfd < 0 ||
		    epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->a[0], &ev))
			return -1;
		t->fd = t->epfd;
		break;
	case B_SPLICE:
		/* A splice names its destination in sqe->fd: that is the
		 * request's file, the one a cancel by fd matches. */
		if (conform_pipe(t->a) || conform_pipe(t->b))
			return -1;
		t->fd = t->b[1];
		break;
	case B_WAITID:
		t->child = child_until_eof(&t->release);
		if (t->child < 0)
			return -1;
		break;
	case B_TIMEOUT: case B_FUTEX: case B_NR:
		break;
	}
	if (t->type == B_READ_MULTI || t->type == B_RECV_MULTI)
		return uring_pbuf_ring_setup(&t->ring, PB_ENTRIES, PB_LEN,
					     PB_BGID, PB_ENTRIES, &t->br,
					     &t->bufs);
	return 0;
}

/* Fill sqe with the request, tagged TAG_REQ, with sqe_flags added. */
static inline void blk_prep(struct blk *t, struct io_uring_sqe *sqe,
		     unsigned char sqe_flags)
{
	memset(sqe, 0, sizeof(*sqe));
	switch (t->type) {
	case B_READ:
		io_uring_prep_read(sqe, t->fd, t->buf, sizeof(t->buf), 0);
		break;
	case B_RECV:
		io_uring_prep_recv(sqe, t->fd, t->buf, sizeof(t->buf), 0);
		break;
	case B_POLL: case B_POLL_MULTI:
		io_uring_prep_poll_add(sqe, t->fd, POLLIN);
		if (t->type == B_POLL_MULTI)
			sqe->len = IORING_POLL_ADD_MULTI;
		break;
	case B_ACCEPT: case B_ACCEPT_MULTI:
		io_uring_prep_accept(sqe, t->fd, NULL, NULL, SOCK_CLOEXEC);
		if (t->type == B_ACCEPT_MULTI)
			sqe->ioprio = IORING_ACCEPT_MULTISHOT;
		break;
	case B_TIMEOUT:
		t->ts.tv_sec = 30;
		io_uring_prep_timeout(sqe, &t->ts, 0, 0);
		break;
	case B_READ_MULTI:
		sqe->opcode = REF_IORING_OP_READ_MULTISHOT;
		sqe->fd = t->fd;
		sqe->flags = IOSQE_BUFFER_SELECT;
		sqe->buf_group = PB_BGID;
		break;
	case B_RECV_MULTI:
		io_uring_prep_recv(sqe, t->fd, NULL, 0, 0);
		sqe->ioprio = IORING_RECV_MULTISHOT;
		sqe->flags = IOSQE_BUFFER_SELECT;
		sqe->buf_group = PB_BGID;
		break;
	case B_FUTEX:
		/* addr: the word; addr2 (off): its expected value; addr3:
		 * the bitset mask; fd: the futex2 flags. */
		sqe->opcode = REF_IORING_OP_FUTEX_WAIT;
		sqe->fd = REF_FUTEX2_SIZE_U32 | REF_FUTEX2_PRIVATE;
		sqe->addr = (__u64)(uintptr_t)&t->futex_word;
		sqe->off = 0;
		sqe->addr3 = FUTEX_BITSET_MATCH_ANY;
		break;
	case B_WAITID:
		/* len: idtype; fd: id; file_index: options; addr2: infop. */
		sqe->opcode = REF_IORING_OP_WAITID;
		sqe->len = P_PID;
		sqe->fd = t->child;
		sqe->file_index = WEXITED;
		sqe->addr2 = (__u64)(uintptr_t)&t->info;
		break;
	case B_EPOLL:
		/* fd: the epoll fd; addr: events; len: maxevents. */
		sqe->opcode = REF_IORING_OP_EPOLL_WAIT;
		sqe->fd = t->fd;
		sqe->addr = (__u64)(uintptr_t)t->ev;
		sqe->len = 4;
		break;
	case B_SPLICE:
		io_uring_prep_splice(sqe, t->a[0], -1, t->b[1], -1,
				     sizeof(t->buf), 0);
		break;
	case B_SENDMSG:
		t->iov.iov_base = t->buf;
		t->iov.iov_len = sizeof(t->buf);
		t->msg.msg_iov = &t->iov;
		t->msg.msg_iovlen = 1;
		io_uring_prep_sendmsg(sqe, t->fd, &t->msg, 0);
		break;
	case B_NR:
		break;
	}
	sqe->flags |= sqe_flags;
	sqe->user_data = TAG_REQ;
}

/* Queue the request on the ring: false when the SQ ring is full. */
static inline bool blk_queue(struct blk *t, unsigned char sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

	if (!sqe)
		return false;
	blk_prep(t, sqe, sqe_flags);
	return true;
}

/*
 * Make the request complete at once when submitted: data in the pipe or
 * socket, a connection waiting, a futex word that no longer holds the
 * value, a child that has exited (waited for with WNOWAIT, so it stays
 * waitable). 0, or -1 (the timeout has nothing that ends it).
 */
static inline int blk_ready(struct blk *t)
{
	siginfo_t si;
	int c;

	switch (t->type) {
	case B_READ: case B_POLL: case B_POLL_MULTI: case B_READ_MULTI:
	case B_SPLICE: case B_EPOLL: case B_RECV: case B_RECV_MULTI:
		return write(t->a[1], "abc", 3) == 3 ? 0 : -1;
	case B_ACCEPT: case B_ACCEPT_MULTI:
		c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		t->b[0] = c;
		return c < 0 || connect(c, (struct sockaddr *)&t->sun,
					sizeof(t->sun)) ? -1 : 0;
	case B_FUTEX:
		t->futex_word = 1;
		return 0;
	case B_WAITID:
		close_fd(&t->release);
		memset(&si, 0, sizeof(si));
		return waitid(P_PID, (id_t)t->child, &si, WEXITED | WNOWAIT);
	case B_SENDMSG:		/* set up with room (blk_setup) */
		return 0;
	case B_TIMEOUT: case B_NR:
		break;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Probes: NULL when the kernel has what the request type needs         */
/* ------------------------------------------------------------------ */

/*
 * A multishot request made ready before it is submitted, on a ring of its
 * own: NULL when its first CQE carries IORING_CQE_F_MORE (the kernel
 * knows the multishot flag); kernels without it fail the request with
 * -EINVAL or complete it once.
 */
static const char *multishot_missing(enum blocker_type type, const char *flag)
{
	struct io_uring_cqe cqe;
	struct blk t;
	int ret = -1;

	blk_init(&t, type);
	if (!blk_setup(&t, true) && !blk_ready(&t) && blk_queue(&t, 0))
		ret = uring_submit_reap(&t.ring, &cqe);
	if (ret == 0 && type == B_ACCEPT_MULTI && cqe.res >= 0)
		close(cqe.res);
	blk_end(&t);
	if (ret) {
		snprintf(conform_why, sizeof(conform_why),
			 "%s: the probe (a multishot request made ready) did not complete", flag);
		return conform_why;
	}
	if (cqe.res >= 0 && (cqe.flags & IORING_CQE_F_MORE))
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "%s: a multishot request made ready completes with %d, flags 0x%x (flag unknown)",
		 flag, cqe.res, cqe.flags);
	return conform_why;
}

/* NULL when the kernel has the request type: its opcode, the provided-
 * buffer ring it selects from, its multishot flag; else why not. */
static const char *blocker_missing(enum blocker_type type)
{
	const struct blocker *b = &blockers[type];
	const char *why = conform_uring_op_missing(b->opcode, b->opname);

	if (why)
		return why;
	switch (type) {
	case B_POLL_MULTI:
		return multishot_missing(type, "IORING_POLL_ADD_MULTI");
	case B_ACCEPT_MULTI:
		return multishot_missing(type, "IORING_ACCEPT_MULTISHOT");
	case B_RECV_MULTI:
		why = uring_pbuf_ring_missing(PB_ENTRIES, PB_BGID);
		return why ? why : multishot_missing(type, "IORING_RECV_MULTISHOT");
	case B_READ_MULTI:
		return uring_pbuf_ring_missing(PB_ENTRIES, PB_BGID);
	default:
		return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Where a submitted request rests                                      */
/* ------------------------------------------------------------------ */

enum rest { REST_UNSEEN, REST_POLL, REST_IOWQ };

/*
 * /proc/self/fdinfo/<ring fd> lists the requests in the ring's poll hash,
 * one "op=<opcode>, ..." line each under "PollList:" (io_uring/fdinfo.c,
 * since 5.6). 1 when op is listed, 0 when not, -1 when the file or its
 * PollList section cannot be read.
 */
static inline int poll_list_has(int ring_fd, unsigned int op)
{
	char path[64], line[256];
	int in = 0, header = 0, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ring_fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned int o;

		if (!strncmp(line, "PollList:", 9)) {
			in = header = 1;
			continue;
		}
		if (in && sscanf(line, " op=%u", &o) == 1) {
			found |= o == op;
			continue;
		}
		in = 0;
	}
	fclose(f);
	return header ? found : -1;
}

/* /proc/self/task/<tid>/<name> into buf; true when something was read. */
static inline bool task_file(const char *tid, const char *name, char *buf,
		      size_t len)
{
	char path[300];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%s/%s", tid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0;
}

static inline bool name_in(const char *name, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && !strncmp(name, *list, len))
			return true;
	return false;
}

/*
 * Is an io-wq worker of this process (a thread named iou-wrk-*, since 5.12)
 * asleep in one of the kernel functions where[]? Its wchan names the
 * function; kernels whose wchan reads "0" (x86 ORC before 5.16, e.g.
 * Debian's 5.10) show it as the first frame of its stack (root only).
 */
static inline bool worker_asleep_in(const char *const *where)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *de;
	bool seen = false;

	while (dir && !seen && (de = readdir(dir))) {
		char comm[32], wchan[64], stack[512];
		const char *top;

		if (de->d_name[0] == '.' ||
		    !task_file(de->d_name, "comm", comm, sizeof(comm)) ||
		    strncmp(comm, "iou-wrk-", 8))
			continue;
		if (task_file(de->d_name, "wchan", wchan, sizeof(wchan)) &&
		    strcmp(wchan, "0")) {
			seen = name_in(wchan, strlen(wchan), where);
			continue;
		}
		if (!task_file(de->d_name, "stack", stack, sizeof(stack)))
			continue;
		/* "[<0>] pipe_read+0x2fa/0x400" */
		top = strstr(stack, "] ");
		top = top ? top + 2 : stack;
		seen = name_in(top, strcspn(top, "+\n"), where);
	}
	if (dir)
		closedir(dir);
	return seen;
}

/*
 * Wait (URING_REAP_BOUND_MS at most) until the submitted request of t rests
 * where its type rests: in the ring's poll hash (REST_POLL), or asleep in
 * an io-wq worker (REST_IOWQ); REST_UNSEEN when neither was seen, with
 * what was seen in why[]. A request resting on a list of its own
 * (AT_SUBMIT) is there once io_uring_enter() returns: REST_POLL is not
 * claimed for it, the caller does not call this.
 * A request that may wait either way (POLL_OR_IOWQ) is taken as asleep in
 * io-wq only when, at the end of the bound, its worker is still asleep
 * and the request was never seen poll-armed: on kernels whose worker
 * arms a poll for it, the worker can be seen asleep in the read function
 * for a moment before the poll is armed (seen on 6.1 and 6.12 under
 * QEMU: a few samples asleep, then poll-armed for good).
 */
static inline enum rest blk_settle(struct blk *t, char *why, size_t len)
{
	const struct blocker *b = &blockers[t->type];
	bool may_poll = b->rest == POLL_ARMED || b->rest == POLL_OR_IOWQ;
	struct timespec start, now;
	struct io_uring_cqe *cqe;
	bool asleep = false;
	int listed = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (may_poll) {
			listed = poll_list_has(t->ring.ring_fd, b->opcode);
			if (listed == 1)
				return REST_POLL;
		}
		asleep = b->where && worker_asleep_in(b->where);
		if (asleep && !may_poll)
			return REST_IOWQ;
		if (io_uring_peek_cqe(&t->ring, &cqe) == 0) {
			snprintf(why, len, "the %s completed (res %d) instead of waiting",
				 b->name, cqe->res);
			return REST_UNSEEN;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000 >= URING_REAP_BOUND_MS)
			break;
		sched_yield();
	}
	if (asleep)
		return REST_IOWQ;
	snprintf(why, len, "the %s was seen neither %s%s%s within %d ms",
		 b->name,
		 !may_poll ? "" : listed < 0 ? "in a PollList (/proc/self/fdinfo unreadable)" :
					       "in the ring's PollList (fdinfo)",
		 may_poll && b->where ? " nor " : "",
		 b->where ? "asleep in an io-wq worker (iou-wrk-* wchan/stack)" : "",
		 URING_REAP_BOUND_MS);
	return REST_UNSEEN;
}

/* The ring still works: nothing stray is left, and a NOP round trip. */
static inline void expect_ring_usable(struct __test_metadata *_metadata,
			       struct io_uring *ring)
{
	struct io_uring_cqe *stray;
	struct io_uring_cqe cqe;

	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(ring, &stray));
	ASSERT_NE(NULL, uring_queue_nop(ring, TAG_NOP, 0));
	ASSERT_EQ(0, uring_submit_reap(ring, &cqe));
	EXPECT_EQ((__u64)TAG_NOP, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
}

#endif /* AIOCONF_CONFORM_URING_BLOCK_H */
