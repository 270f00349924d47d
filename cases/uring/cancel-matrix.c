// SPDX-License-Identifier: MIT
/*
 * uring/cancel-matrix: every blocking request type under every kind of
 * cancel. The request types, each made to wait on something that never
 * comes by itself: IORING_OP_READ of an empty pipe and IORING_OP_RECV on
 * an empty socket pair (5.6; also with IOSQE_ASYNC, issued from io-wq),
 * IORING_OP_POLL_ADD (POLLIN; multishot with IORING_POLL_ADD_MULTI, 5.13),
 * IORING_OP_ACCEPT on a listener (5.5; multishot with
 * IORING_ACCEPT_MULTISHOT, 5.19), a long IORING_OP_TIMEOUT (5.4),
 * IORING_OP_READ_MULTISHOT (6.7) and a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) with a provided-buffer ring,
 * IORING_OP_FUTEX_WAIT and IORING_OP_WAITID (6.7), IORING_OP_EPOLL_WAIT
 * (6.15), IORING_OP_SPLICE from an empty pipe (5.7, always run in io-wq)
 * and IORING_OP_SENDMSG to a socket whose buffer is full (5.3). The cancel
 * kinds: IORING_OP_ASYNC_CANCEL by user_data (5.5), by fd
 * (IORING_ASYNC_CANCEL_FD, 5.19; for the requests that have one), by
 * opcode (IORING_ASYNC_CANCEL_OP, 6.6), of any request
 * (IORING_ASYNC_CANCEL_ANY, 5.19), and IORING_REGISTER_SYNC_CANCEL (6.0).
 * One TEST per (type, kind); each asserts the cancel's result, the
 * request's result, that a multishot request's last CQE has no
 * IORING_CQE_F_MORE, and that the ring still runs a NOP afterwards.
 * Pairs tested elsewhere are left out: a read by user_data and by fd, a
 * timeout by user_data (async-cancel), a poll by ANY (cancel-match) and
 * by sync cancel (sync-cancel), a futex wait by user_data (futex), a
 * splice by user_data (ref/event-cancel-enoent-ealready).
 * Determinism: the cancel is sent only once the request is seen where it
 * waits: in the ring's poll hash (the PollList of its fdinfo), asleep in
 * an io-wq worker (/proc/self/task/<tid>/wchan or stack; for a request
 * that may also be poll-armed, still asleep at the end of the bound), or
 * on the timeout/futex/waitid list it joins before io_uring_enter()
 * returns.
 */
#include <liburing.h>
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

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void blk_init(struct blk *t, enum blocker_type type)
{
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->a[0] = t->a[1] = t->b[0] = t->b[1] = -1;
	t->epfd = t->release = t->fd = -1;
	t->child = -1;
}

/* Release everything; the ring first, so that nothing is still pending. */
static void blk_end(struct blk *t)
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
static int listen_unix(struct blk *t)
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
static pid_t child_until_eof(int *release)
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
static int blk_setup(struct blk *t, bool room)
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
static void blk_prep(struct blk *t, struct io_uring_sqe *sqe,
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
static bool blk_queue(struct blk *t, unsigned char sqe_flags)
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
static int blk_ready(struct blk *t)
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
static int poll_list_has(int ring_fd, unsigned int op)
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
static bool task_file(const char *tid, const char *name, char *buf,
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

static bool name_in(const char *name, size_t len, const char *const *list)
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
static bool worker_asleep_in(const char *const *where)
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
static enum rest blk_settle(struct blk *t, char *why, size_t len)
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
static void expect_ring_usable(struct __test_metadata *_metadata,
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

/* ------------------------------------------------------------------ */
/* The cancel kinds                                                     */
/* ------------------------------------------------------------------ */

enum kind {
	BY_USER_DATA,	/* IORING_OP_ASYNC_CANCEL of the request's user_data */
	BY_FD,		/* ... with IORING_ASYNC_CANCEL_FD, the request's fd */
	BY_OPCODE,	/* ... with IORING_ASYNC_CANCEL_OP, its opcode */
	BY_ANY,		/* ... with IORING_ASYNC_CANCEL_ANY */
	BY_SYNC,	/* IORING_REGISTER_SYNC_CANCEL of its user_data */
};

/*
 * NULL if a cancel with flags (fd 0, opcode IORING_OP_NOP in len) of a
 * user_data nobody has gets anything but -EINVAL, on a ring of its own:
 * kernels that do not know a cancel flag refuse it with -EINVAL
 * (uring_flag_result_missing()).
 */
static const char *cancel_flags_missing(unsigned int flags, const char *name)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_cancel64(&sqe, 0x5eed, (int)flags);
	sqe.fd = 0;
	sqe.len = IORING_OP_NOP;
	return uring_flag_result_missing(&sqe, URING_PROBE_NOT_EINVAL,
					 "a cancel of an unknown user_data",
					 name);
}

/* The argument of IORING_REGISTER_SYNC_CANCEL for user_data, no timeout. */
static struct io_uring_sync_cancel_reg sync_reg(__u64 user_data)
{
	struct io_uring_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.addr = user_data;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	return reg;
}

/* NULL if IORING_REGISTER_SYNC_CANCEL of an unknown user_data fails with
 * ENOENT on a ring of its own (the register opcode exists, 6.0). */
static const char *sync_cancel_missing(void)
{
	struct io_uring_sync_cancel_reg reg = sync_reg(0x5eed);
	struct io_uring ring;
	int ret, err;

	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed for the sync-cancel probe";
	ret = uring_register_raw(&ring, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret < 0 && err == ENOENT)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_REGISTER_SYNC_CANCEL: returns %d (%s), not ENOENT, for an unknown user_data",
		 ret, ret < 0 ? strerror(err) : "no error");
	return conform_why;
}

static const char *kind_missing(enum kind kind)
{
	const char *why = conform_uring_op_missing(IORING_OP_ASYNC_CANCEL,
						   "IORING_OP_ASYNC_CANCEL");

	if (why)
		return why;
	switch (kind) {
	case BY_FD:
		return cancel_flags_missing(IORING_ASYNC_CANCEL_FD,
					    "IORING_ASYNC_CANCEL_FD");
	case BY_OPCODE:
		return cancel_flags_missing(REF_IORING_ASYNC_CANCEL_OP,
					    "IORING_ASYNC_CANCEL_OP");
	case BY_ANY:
		return cancel_flags_missing(IORING_ASYNC_CANCEL_ANY,
					    "IORING_ASYNC_CANCEL_ANY");
	case BY_SYNC:
		return sync_cancel_missing();
	case BY_USER_DATA:
		break;
	}
	return NULL;
}

/* Queue a cancel of kind (not BY_SYNC) aimed at the request of t. */
static void queue_cancel(struct blk *t, enum kind kind)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

	if (!sqe)	/* never: 8 entries, at most 2 queued */
		return;
	io_uring_prep_cancel64(sqe, TAG_REQ, 0);
	switch (kind) {
	case BY_FD:
		sqe->cancel_flags = IORING_ASYNC_CANCEL_FD;
		sqe->fd = t->fd;
		break;
	case BY_OPCODE:
		sqe->cancel_flags = REF_IORING_ASYNC_CANCEL_OP;
		sqe->len = blockers[t->type].opcode;
		break;
	case BY_ANY:
		sqe->cancel_flags = IORING_ASYNC_CANCEL_ANY;
		break;
	default:
		break;
	}
	sqe->user_data = TAG_CANCEL;
}

/* Reap n CQEs tagged as tags[] into out[] (res INT_MIN for one that never
 * came: each wait is bounded). */
static void reap_tags(struct io_uring *ring, unsigned int n, const __u64 *tags,
		      struct io_uring_cqe *out)
{
	for (unsigned int i = 0; i < n; i++) {
		out[i].res = INT_MIN;
		out[i].flags = 0;
	}
	for (unsigned int k = 0; k < n; k++) {
		struct io_uring_cqe cqe;

		if (uring_reap_one(ring, &cqe))
			return;
		for (unsigned int i = 0; i < n; i++)
			if (tags[i] == cqe.user_data)
				out[i] = cqe;
	}
}

/*
 * After an IORING_OP_ASYNC_CANCEL was submitted: reap until its CQE
 * (cqes[1], TAG_CANCEL) and the request's (cqes[0], TAG_REQ) are in; res
 * INT_MIN for one that never came. The cancel's CQE is posted by the time
 * the submit returns (io_uring_prep_cancel(3) NOTES). A cancel that found
 * nothing (-ENOENT) ends no request: the request's CQE is then only
 * looked for briefly (URING_BRIEF_WAIT_MS), unless it waits in io-wq,
 * where a request may have been interrupted all the same.
 */
static void reap_cancel_pair(struct io_uring *ring, enum rest rest,
			     struct io_uring_cqe *cqes)
{
	bool have_req = false, have_cancel = false;

	cqes[0].res = cqes[1].res = INT_MIN;
	cqes[0].flags = cqes[1].flags = 0;
	while (!have_req || !have_cancel) {
		struct io_uring_cqe *cqe;
		int ms = URING_REAP_BOUND_MS;

		if (have_cancel && cqes[1].res == -ENOENT && rest != REST_IOWQ)
			ms = URING_BRIEF_WAIT_MS;
		if (uring_wait_cqe_ms(ring, &cqe, ms))
			return;
		if (cqe->user_data == TAG_REQ) {
			cqes[0] = *cqe;
			/* A multishot request's last CQE is the one without
			 * IORING_CQE_F_MORE. */
			have_req = !(cqe->flags & IORING_CQE_F_MORE);
		} else if (cqe->user_data == TAG_CANCEL) {
			cqes[1] = *cqe;
			have_cancel = true;
		}
		io_uring_cqe_seen(ring, cqe);
	}
}

/* res is want; else say which result it was. */
static void expect_res(struct __test_metadata *_metadata, const char *what,
		       int res, int want)
{
	EXPECT_EQ(want, res) {
		if (res == INT_MIN)
			TH_LOG("%s: no CQE, want %d", what, want);
		else
			TH_LOG("%s: %d, want %d", what, res, want);
	}
}

/*
 * Submit the request of type (with sqe_flags), wait until it rests where
 * it waits, cancel it by kind, and check: the cancel's result, the
 * request's result, no IORING_CQE_F_MORE on the request's last CQE, and
 * that the ring then still runs a NOP. What each result must be, by where
 * the request waits (probed: blk_settle()):
 *   pending (in the poll hash, or on its own timeout, futex or waitid
 *   list): the request -ECANCELED; the cancel 0 (io_uring_enter(2)
 *   IORING_OP_ASYNC_CANCEL: "If found, the res field of the cqe will
 *   contain 0"; io_uring_prep_cancel(3): "If no flags are used to cancel
 *   multiple requests, 0 is returned on success"), 1 with
 *   IORING_ASYNC_CANCEL_ANY ("a positive value is returned indicating how
 *   many requests were found and canceled"); a sync cancel returns what
 *   the cancel would (io_uring_register_sync_cancel(3));
 *   asleep in an io-wq worker: the cancel -EALREADY (io_uring_enter(2):
 *   "If found and attempted canceled, the res field will contain
 *   -EALREADY"), and the request, interrupted, ends -EINTR; ANY counts 0
 *   (the request was not cancelled, only interrupted) and a sync cancel
 *   returns 0 once the request has ended.
 */
static void run_cancel(struct __test_metadata *_metadata,
		       enum blocker_type type, unsigned char sqe_flags,
		       enum kind kind)
{
	const struct blocker *b = &blockers[type];
	const __u64 tags[1] = { TAG_REQ };
	int want_req = -ECANCELED, want_cancel, cancel_res;
	struct io_uring_cqe cqes[2];
	enum rest rest = REST_POLL;
	char why[256] = "";
	struct blk t;

	CONFORM_REQUIRE(blocker_missing(type));
	CONFORM_REQUIRE(kind_missing(kind));
	blk_init(&t, type);
	ASSERT_EQ(0, blk_setup(&t, false));
	ASSERT_TRUE(blk_queue(&t, sqe_flags));
	ASSERT_EQ(1, io_uring_submit(&t.ring));
	if (b->rest != AT_SUBMIT)
		rest = blk_settle(&t, why, sizeof(why));
	if (rest == REST_UNSEEN && b->rest == POLL_ARMED &&
	    poll_list_has(t.ring.ring_fd, b->opcode) == 0) {
		blk_end(&t);
		ASSERT_NE(REST_UNSEEN, rest) {
			TH_LOG("%s", why);
		}
	}
	if (rest == REST_UNSEEN) {
		blk_end(&t);
		SKIP(return, CONFORM_UNSEEN "%s", why);
	}
	TH_LOG("the %s waits %s", b->name,
	       rest == REST_POLL ? (b->rest == AT_SUBMIT ? "on its own list" :
				    "poll-armed (fdinfo PollList)") :
				   "asleep in an io-wq worker");
	if (rest == REST_IOWQ) {
		want_req = -EINTR;
		want_cancel = kind == BY_ANY || kind == BY_SYNC ? 0 : -EALREADY;
	} else {
		want_cancel = kind == BY_ANY ? 1 : 0;
	}

	if (kind == BY_SYNC) {
		struct io_uring_sync_cancel_reg reg = sync_reg(TAG_REQ);

		cancel_res = uring_register_raw(&t.ring,
						IORING_REGISTER_SYNC_CANCEL,
						&reg, 1);
		if (cancel_res < 0)
			cancel_res = -errno;
		reap_tags(&t.ring, 1, tags, cqes);
	} else {
		queue_cancel(&t, kind);
		ASSERT_EQ(1, io_uring_submit(&t.ring));
		reap_cancel_pair(&t.ring, rest, cqes);
		cancel_res = cqes[1].res;
	}
	expect_res(_metadata, "the cancel", cancel_res, want_cancel);
	expect_res(_metadata, "the request", cqes[0].res, want_req);
	EXPECT_EQ(0u, cqes[0].flags & IORING_CQE_F_MORE);
	expect_ring_usable(_metadata, &t.ring);
	blk_end(&t);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_READ
 * (5.6) of an empty pipe, which waits poll-armed (seen in the ring's fdinfo
 * PollList). The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_read_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_READ, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_READ (5.6) of an empty
 * pipe, which waits poll-armed (seen in the ring's fdinfo PollList). The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts
 * 1. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_read_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_READ, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_READ (5.6) of
 * an empty pipe, which waits poll-armed (seen in the ring's fdinfo
 * PollList). The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel returns 0. The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_read_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_READ, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_READ of an empty
 * pipe with IOSQE_ASYNC, issued from an io-wq worker (5.6). Where it then
 * waits depends on the kernel: since 5.16 ("io_uring: implement async
 * hybrid mode for pollable requests") the worker arms a poll for it, seen
 * in the fdinfo PollList; older ones (Debian's 5.10) block in the worker,
 * seen asleep in pipe_read. The test waits until it sees the read poll-
 * armed, or until the bound (URING_REAP_BOUND_MS) ends with the worker
 * still asleep there. Poll-armed, the pair is that of a pending request:
 * the cancel 0, the request -ECANCELED; asleep in the worker, the cancel
 * gets -EALREADY and the request, interrupted, ends -EINTR
 * (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 5.6.
 */
TEST(cancel_by_user_data_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_READ of an empty pipe with IOSQE_ASYNC, issued from an io-wq
 * worker (5.6). Where it then waits depends on the kernel: since 5.16
 * ("io_uring: implement async hybrid mode for pollable requests") the
 * worker arms a poll for it, seen in the fdinfo PollList; older ones
 * (Debian's 5.10) block in the worker, seen asleep in pipe_read. The test
 * waits until it sees the read poll-armed, or until the bound
 * (URING_REAP_BOUND_MS) ends with the worker still asleep there. Poll-
 * armed, the pair is that of a pending request: the cancel 0, the request
 * -ECANCELED; asleep in the worker, the cancel gets -EALREADY and the
 * request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.19.
 */
TEST(cancel_by_fd_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_READ
 * of an empty pipe with IOSQE_ASYNC, issued from an io-wq worker (5.6).
 * Where it then waits depends on the kernel: since 5.16 ("io_uring:
 * implement async hybrid mode for pollable requests") the worker arms a
 * poll for it, seen in the fdinfo PollList; older ones (Debian's 5.10)
 * block in the worker, seen asleep in pipe_read. The test waits until it
 * sees the read poll-armed, or until the bound (URING_REAP_BOUND_MS) ends
 * with the worker still asleep there. Poll-armed, the pair is that of a
 * pending request: the cancel 0, the request -ECANCELED; asleep in the
 * worker, the cancel gets -EALREADY and the request, interrupted, ends
 * -EINTR (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_READ of an empty pipe
 * with IOSQE_ASYNC, issued from an io-wq worker (5.6). Where it then waits
 * depends on the kernel: since 5.16 ("io_uring: implement async hybrid mode
 * for pollable requests") the worker arms a poll for it, seen in the fdinfo
 * PollList; older ones (Debian's 5.10) block in the worker, seen asleep in
 * pipe_read. The test waits until it sees the read poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 1, the
 * request -ECANCELED; asleep in the worker, the cancel counts 0 and the
 * request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.19.
 */
TEST(cancel_any_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_READ of an
 * empty pipe with IOSQE_ASYNC, issued from an io-wq worker (5.6). Where it
 * then waits depends on the kernel: since 5.16 ("io_uring: implement async
 * hybrid mode for pollable requests") the worker arms a poll for it, seen
 * in the fdinfo PollList; older ones (Debian's 5.10) block in the worker,
 * seen asleep in pipe_read. The test waits until it sees the read poll-
 * armed, or until the bound (URING_REAP_BOUND_MS) ends with the worker
 * still asleep there. Poll-armed, the pair is that of a pending request:
 * the cancel 0, the request -ECANCELED; asleep in the worker, the cancel
 * returns 0 once it ended and the request, interrupted, ends -EINTR
 * (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_async_read_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_READ, IOSQE_ASYNC, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_RECV (5.6) on an
 * empty AF_UNIX stream socket pair, which waits poll-armed. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. The ring
 * then still runs a NOP. Since 5.6.
 */
TEST(cancel_by_user_data_of_pending_recv_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_RECV, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_RECV (5.6) on an empty AF_UNIX stream socket pair, which
 * waits poll-armed. The request ends -ECANCELED (io_uring_prep_cancel(3))
 * and the cancel gets 0. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_recv_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_RECV, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_RECV
 * (5.6) on an empty AF_UNIX stream socket pair, which waits poll-armed. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * The 6.1 stable line takes the flag but does not match poll-armed requests
 * by opcode (the cancel gets -ENOENT, the request stays): it fails here,
 * cases/known-failures.txt. The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_recv_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_RECV, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_RECV (5.6) on an empty
 * AF_UNIX stream socket pair, which waits poll-armed. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts 1. The ring
 * then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_recv_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_RECV, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_RECV (5.6) on
 * an empty AF_UNIX stream socket pair, which waits poll-armed. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns 0. The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_recv_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_RECV, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_RECV on an empty
 * AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq worker (5.6).
 * Where it then waits depends on the kernel: poll-armed by the worker
 * (since 5.16, "io_uring: implement async hybrid mode for pollable
 * requests"), or asleep in the worker in unix_stream_read_generic (Debian's
 * 5.10). The test waits until it sees the recv poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 0, the
 * request -ECANCELED; asleep in the worker, the cancel gets -EALREADY and
 * the request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.6.
 */
TEST(cancel_by_user_data_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_RECV on an empty AF_UNIX stream pair with IOSQE_ASYNC,
 * issued from an io-wq worker (5.6). Where it then waits depends on the
 * kernel: poll-armed by the worker (since 5.16, "io_uring: implement async
 * hybrid mode for pollable requests"), or asleep in the worker in
 * unix_stream_read_generic (Debian's 5.10). The test waits until it sees
 * the recv poll-armed, or until the bound (URING_REAP_BOUND_MS) ends with
 * the worker still asleep there. Poll-armed, the pair is that of a pending
 * request: the cancel 0, the request -ECANCELED; asleep in the worker, the
 * cancel gets -EALREADY and the request, interrupted, ends -EINTR
 * (io_uring_enter(2) IORING_OP_ASYNC_CANCEL: "requests that are
 * interruptible (like socket IO) will get canceled"). The log says which.
 * The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an IORING_OP_RECV
 * on an empty AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq
 * worker (5.6). Where it then waits depends on the kernel: poll-armed by
 * the worker (since 5.16, "io_uring: implement async hybrid mode for
 * pollable requests"), or asleep in the worker in unix_stream_read_generic
 * (Debian's 5.10). The test waits until it sees the recv poll-armed, or
 * until the bound (URING_REAP_BOUND_MS) ends with the worker still asleep
 * there. Poll-armed, the pair is that of a pending request: the cancel 0,
 * the request -ECANCELED; asleep in the worker, the cancel gets -EALREADY
 * and the request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 6.6.
 */
TEST(cancel_by_opcode_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_RECV on an empty
 * AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq worker (5.6).
 * Where it then waits depends on the kernel: poll-armed by the worker
 * (since 5.16, "io_uring: implement async hybrid mode for pollable
 * requests"), or asleep in the worker in unix_stream_read_generic (Debian's
 * 5.10). The test waits until it sees the recv poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 1, the
 * request -ECANCELED; asleep in the worker, the cancel counts 0 and the
 * request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 5.19.
 */
TEST(cancel_any_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_RECV on an
 * empty AF_UNIX stream pair with IOSQE_ASYNC, issued from an io-wq worker
 * (5.6). Where it then waits depends on the kernel: poll-armed by the
 * worker (since 5.16, "io_uring: implement async hybrid mode for pollable
 * requests"), or asleep in the worker in unix_stream_read_generic (Debian's
 * 5.10). The test waits until it sees the recv poll-armed, or until the
 * bound (URING_REAP_BOUND_MS) ends with the worker still asleep there.
 * Poll-armed, the pair is that of a pending request: the cancel 0, the
 * request -ECANCELED; asleep in the worker, the cancel returns 0 once it
 * ended and the request, interrupted, ends -EINTR (io_uring_enter(2)
 * IORING_OP_ASYNC_CANCEL: "requests that are interruptible (like socket IO)
 * will get canceled"). The log says which. The ring then still runs a NOP.
 * Since 6.0.
 */
TEST(sync_cancel_of_async_recv_gives_pair_for_where_it_waits)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_RECV, IOSQE_ASYNC, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a POLLIN IORING_OP_POLL_ADD of
 * an empty pipe (cancellable by IORING_OP_ASYNC_CANCEL since 5.5,
 * "io_uring: make ASYNC_CANCEL work with poll and timeout"). The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. The ring
 * then still runs a NOP. Since 5.5.
 */
TEST(cancel_by_user_data_of_pending_poll_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_POLL, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a POLLIN IORING_OP_POLL_ADD of an empty pipe (cancellable by
 * IORING_OP_ASYNC_CANCEL since 5.5, "io_uring: make ASYNC_CANCEL work with
 * poll and timeout"). The request ends -ECANCELED (io_uring_prep_cancel(3))
 * and the cancel gets 0. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_poll_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_POLL, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe (cancellable by
 * IORING_OP_ASYNC_CANCEL since 5.5, "io_uring: make ASYNC_CANCEL work with
 * poll and timeout"). The request ends -ECANCELED (io_uring_prep_cancel(3))
 * and the cancel gets 0. The 6.1 stable line takes the flag but does not
 * match poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_poll_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_POLL, 0, BY_OPCODE);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a multishot POLLIN poll
 * (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 5.13.
 */
TEST(cancel_by_user_data_of_pending_multishot_poll_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe.
 * The request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets
 * 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 5.19.
 */
TEST(cancel_by_fd_of_pending_multishot_poll_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a multishot POLLIN
 * poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_multishot_poll_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a multishot POLLIN poll
 * (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts 1. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_multishot_poll_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a multishot POLLIN poll
 * (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns 0. A
 * multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_multishot_poll_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_POLL_MULTI, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_ACCEPT (5.5) on an
 * AF_UNIX listener with no connection waiting, which waits poll-armed. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * The ring then still runs a NOP. Since 5.5.
 */
TEST(cancel_by_user_data_of_pending_accept_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_ACCEPT, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_ACCEPT (5.5) on an AF_UNIX listener with no connection
 * waiting, which waits poll-armed. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The ring then still runs
 * a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_accept_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_ACCEPT, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener with no connection waiting,
 * which waits poll-armed. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The 6.1 stable line
 * takes the flag but does not match poll-armed requests by opcode (the
 * cancel gets -ENOENT, the request stays): it fails here, cases/known-
 * failures.txt. The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_accept_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_ACCEPT, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_ACCEPT (5.5) on an
 * AF_UNIX listener with no connection waiting, which waits poll-armed. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts
 * 1. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_accept_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_ACCEPT, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_ACCEPT (5.5)
 * on an AF_UNIX listener with no connection waiting, which waits poll-
 * armed. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel returns 0. The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_accept_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_ACCEPT, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 5.19.
 */
TEST(cancel_by_user_data_of_pending_multishot_accept_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener
 * with no connection waiting. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_multishot_accept_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The 6.1 stable line takes the flag but
 * does not match poll-armed requests by opcode (the cancel gets -ENOENT,
 * the request stays): it fails here, cases/known-failures.txt. The ring
 * then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_multishot_accept_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel counts 1. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 5.19.
 */
TEST(cancel_any_of_pending_multishot_accept_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a multishot accept
 * (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener with no connection
 * waiting. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel returns 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 6.0.
 */
TEST(sync_cancel_of_pending_multishot_accept_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_ACCEPT_MULTI, 0, BY_SYNC);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a 30 s
 * IORING_OP_TIMEOUT (5.4), count 0, on the ring's timeout list. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. The ring
 * then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_timeout_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_TIMEOUT, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a 30 s IORING_OP_TIMEOUT (5.4),
 * count 0, on the ring's timeout list. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. The ring then still
 * runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_timeout_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_TIMEOUT, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a 30 s IORING_OP_TIMEOUT
 * (5.4), count 0, on the ring's timeout list. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. The ring then still
 * runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_timeout_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_TIMEOUT, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_READ_MULTISHOT
 * (6.7) of an empty pipe, with buffers from a provided-buffer ring. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * A multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_user_data_of_pending_read_multishot_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_READ_MULTISHOT (6.7) of an empty pipe, with buffers from a
 * provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_fd_of_pending_read_multishot_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_READ_MULTISHOT (6.7) of an empty pipe, with buffers from a
 * provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * 6.1 stable line takes the flag but does not match poll-armed requests by
 * opcode (the cancel gets -ENOENT, the request stays): it fails here,
 * cases/known-failures.txt. The ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_opcode_of_pending_read_multishot_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_READ_MULTISHOT (6.7)
 * of an empty pipe, with buffers from a provided-buffer ring. The request
 * ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts 1. A
 * multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.7.
 */
TEST(cancel_any_of_pending_read_multishot_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_READ_MULTISHOT
 * (6.7) of an empty pipe, with buffers from a provided-buffer ring. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns
 * 0. A multishot request ends with that CQE: it carries no
 * IORING_CQE_F_MORE (io_uring_enter(2): without it "the application should
 * not expect further CQE entries"). The ring then still runs a NOP. Since
 * 6.7.
 */
TEST(sync_cancel_of_pending_read_multishot_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_READ_MULTI, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream pair, with
 * buffers from a provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot request ends
 * with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(cancel_by_user_data_of_pending_multishot_recv_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * a multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) on an empty
 * AF_UNIX stream pair, with buffers from a provided-buffer ring. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * A multishot request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The ring then still runs a NOP. Since 6.0.
 */
TEST(cancel_by_fd_of_pending_multishot_recv_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of a multishot
 * IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream
 * pair, with buffers from a provided-buffer ring. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0. A multishot
 * request ends with that CQE: it carries no IORING_CQE_F_MORE
 * (io_uring_enter(2): without it "the application should not expect further
 * CQE entries"). The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_multishot_recv_ends_it_ecanceled_without_more)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream pair, with
 * buffers from a provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. A multishot request
 * ends with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(cancel_any_of_pending_multishot_recv_counts_one_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY; io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of a multishot IORING_OP_RECV
 * (IORING_RECV_MULTISHOT, 6.0) on an empty AF_UNIX stream pair, with
 * buffers from a provided-buffer ring. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. A multishot request
 * ends with that CQE: it carries no IORING_CQE_F_MORE (io_uring_enter(2):
 * without it "the application should not expect further CQE entries"). The
 * ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_multishot_recv_returns_zero_and_ends_it_without_more)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3); io_uring_enter(2) IORING_CQE_F_MORE");
	run_cancel(_metadata, B_RECV_MULTI, 0, BY_SYNC);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_FUTEX_WAIT (6.7) on a word that holds the value it waits on.
 * The request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets
 * 0. Kernels whose io_uring/futex.c io_futex_cancel() makes the cancel post
 * the number it cancelled (1) fail here: cases/known-failures.txt. The ring
 * then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_opcode_of_pending_futex_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_FUTEX, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_FUTEX_WAIT (6.7) on a
 * word that holds the value it waits on. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(cancel_any_of_pending_futex_wait_counts_one)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_FUTEX, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_FUTEX_WAIT
 * (6.7) on a word that holds the value it waits on. The request ends
 * -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns 0. Kernels
 * whose io_uring/futex.c io_futex_cancel() makes the cancel post the number
 * it cancelled (1) fail here: cases/known-failures.txt. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(sync_cancel_of_pending_futex_wait_returns_zero)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_FUTEX, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_WAITID (6.7),
 * WEXITED, for a child that has not exited. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. Kernels whose
 * io_uring/waitid.c io_waitid_cancel() makes the cancel post the number it
 * cancelled (1) fail here: cases/known-failures.txt. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(cancel_by_user_data_of_pending_waitid_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_WAITID, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_WAITID (6.7), WEXITED, for a child that has not exited. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * Kernels whose io_uring/waitid.c io_waitid_cancel() makes the cancel post
 * the number it cancelled (1) fail here: cases/known-failures.txt. The ring
 * then still runs a NOP. Since 6.7.
 */
TEST(cancel_by_opcode_of_pending_waitid_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_WAITID, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_WAITID (6.7), WEXITED,
 * for a child that has not exited. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel counts 1. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(cancel_any_of_pending_waitid_counts_one)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_WAITID, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_WAITID (6.7),
 * WEXITED, for a child that has not exited. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. Kernels whose
 * io_uring/waitid.c io_waitid_cancel() makes the cancel post the number it
 * cancelled (1) fail here: cases/known-failures.txt. The ring then still
 * runs a NOP. Since 6.7.
 */
TEST(sync_cancel_of_pending_waitid_returns_zero)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_WAITID, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_EPOLL_WAIT (6.15)
 * on an epoll instance watching an empty pipe, which waits poll-armed on
 * the epoll fd. The request ends -ECANCELED (io_uring_prep_cancel(3)) and
 * the cancel gets 0. The ring then still runs a NOP. Since 6.15.
 */
TEST(cancel_by_user_data_of_pending_epoll_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_EPOLL, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty
 * pipe, which waits poll-armed on the epoll fd. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The ring then still runs
 * a NOP. Since 6.15.
 */
TEST(cancel_by_fd_of_pending_epoll_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_EPOLL, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe,
 * which waits poll-armed on the epoll fd. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel gets 0. The 6.1 stable line
 * takes the flag but does not match poll-armed requests by opcode (the
 * cancel gets -ENOENT, the request stays): it fails here, cases/known-
 * failures.txt. The ring then still runs a NOP. Since 6.15.
 */
TEST(cancel_by_opcode_of_pending_epoll_wait_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_EPOLL, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_EPOLL_WAIT (6.15) on
 * an epoll instance watching an empty pipe, which waits poll-armed on the
 * epoll fd. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel counts 1. The ring then still runs a NOP. Since 6.15.
 */
TEST(cancel_any_of_pending_epoll_wait_counts_one)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_EPOLL, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_EPOLL_WAIT
 * (6.15) on an epoll instance watching an empty pipe, which waits poll-
 * armed on the epoll fd. The request ends -ECANCELED
 * (io_uring_prep_cancel(3)) and the cancel returns 0. The ring then still
 * runs a NOP. Since 6.15.
 */
TEST(sync_cancel_of_pending_epoll_wait_returns_zero)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_EPOLL, 0, BY_SYNC);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_SPLICE (5.7) from an empty pipe into another: io_uring hands
 * every splice to io-wq, where it sleeps; the cancel is sent once a worker
 * is seen asleep in pipe_wait_readable (workers are threads of the process,
 * seen in /proc/self/task, since 5.12). The cancel by the splice's fd (its
 * destination, sqe->fd) finds it running: -EALREADY (io_uring_enter(2): "If
 * found and attempted canceled, the res field will contain -EALREADY"), and
 * the worker is interrupted: the splice ends -EINTR. Kernels that end the
 * splice with the kernel-internal -ERESTARTSYS (512; include/linux/errno.h:
 * never to be seen by user programs), or answer the cancel with -ENOENT
 * although it found the splice, fail here: cases/known-failures.txt. The
 * ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_splice_asleep_in_io_wq_gets_ealready)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL -EALREADY; io_uring_prep_cancel(3)");
	run_cancel(_metadata, B_SPLICE, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_SPLICE (5.7) from an empty pipe into another: io_uring hands
 * every splice to io-wq, where it sleeps; the cancel is sent once a worker
 * is seen asleep in pipe_wait_readable (workers are threads of the process,
 * seen in /proc/self/task, since 5.12). The cancel by IORING_OP_SPLICE
 * finds it running: -EALREADY, and the splice ends -EINTR. Kernels that end
 * the splice with the kernel-internal -ERESTARTSYS (512;
 * include/linux/errno.h: never to be seen by user programs), or answer the
 * cancel with -ENOENT although it found the splice, fail here: cases/known-
 * failures.txt. The ring then still runs a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_splice_asleep_in_io_wq_gets_ealready)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL -EALREADY; io_uring_prep_cancel(3)");
	run_cancel(_metadata, B_SPLICE, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_SPLICE (5.7) from an
 * empty pipe into another: io_uring hands every splice to io-wq, where it
 * sleeps; the cancel is sent once a worker is seen asleep in
 * pipe_wait_readable (workers are threads of the process, seen in
 * /proc/self/task, since 5.12). The splice is interrupted (-EINTR), but it
 * is not counted: ANY counts "how many requests were found and canceled",
 * and a request past the point where cancelation is possible (-EALREADY) is
 * interrupted, not canceled: the count is 0 (io_uring/cancel.c
 * __io_async_cancel(), 6.1 to 7.2 alike). Kernels that end the splice with
 * the kernel-internal -ERESTARTSYS (512; include/linux/errno.h: never to be
 * seen by user programs) fail here: cases/known-failures.txt. The ring then
 * still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_splice_asleep_in_io_wq_interrupts_it_counting_zero)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) count; io_uring/cancel.c");
	run_cancel(_metadata, B_SPLICE, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_SPLICE (5.7)
 * from an empty pipe into another: io_uring hands every splice to io-wq,
 * where it sleeps; the cancel is sent once a worker is seen asleep in
 * pipe_wait_readable (workers are threads of the process, seen in
 * /proc/self/task, since 5.12). The call returns 0 once the interrupted
 * splice (-EINTR) has ended (io_uring/cancel.c io_sync_cancel() waits while
 * the answer is -EALREADY). Kernels that end the splice with the kernel-
 * internal -ERESTARTSYS (512; include/linux/errno.h: never to be seen by
 * user programs), or answer the cancel with -ENOENT although it found the
 * splice, fail here: cases/known-failures.txt. The ring then still runs a
 * NOP. Since 6.0.
 */
TEST(sync_cancel_of_splice_asleep_in_io_wq_returns_zero_once_it_ended)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_SPLICE, 0, BY_SYNC);
}

/*
 * IORING_OP_ASYNC_CANCEL by user_data (io_uring_enter(2): "If found, the
 * res field of the cqe will contain 0") of an IORING_OP_SENDMSG (5.3) of 64
 * bytes on an AF_UNIX stream socket whose send buffer is full
 * (conform_fill_until_full), which waits poll-armed for POLLOUT. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel gets 0.
 * The ring then still runs a NOP. Since 5.5.
 */
TEST(cancel_by_user_data_of_pending_sendmsg_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL");
	run_cancel(_metadata, B_SENDMSG, 0, BY_USER_DATA);
}

/*
 * IORING_ASYNC_CANCEL_FD (5.19; io_uring_prep_cancel(3): "Match based on
 * the file descriptor used in the original request"; one match gives 0) of
 * an IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full (conform_fill_until_full), which waits poll-armed for
 * POLLOUT. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_by_fd_of_pending_sendmsg_gets_ecanceled)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_FD",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_FD");
	run_cancel(_metadata, B_SENDMSG, 0, BY_FD);
}

/*
 * IORING_ASYNC_CANCEL_OP (6.6; <linux/io_uring.h>: "Match request based on
 * opcode", the opcode in sqe->len; one match gives 0) of an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full (conform_fill_until_full), which waits poll-armed for
 * POLLOUT. The request ends -ECANCELED (io_uring_prep_cancel(3)) and the
 * cancel gets 0. The 6.1 stable line takes the flag but does not match
 * poll-armed requests by opcode (the cancel gets -ENOENT, the request
 * stays): it fails here, cases/known-failures.txt. The ring then still runs
 * a NOP. Since 6.6.
 */
TEST(cancel_by_opcode_of_pending_sendmsg_gets_ecanceled)
{
	CONFORM_DECLARE("6.6", "IORING_ASYNC_CANCEL_OP",
			"linux/io_uring.h IORING_ASYNC_CANCEL_OP");
	run_cancel(_metadata, B_SENDMSG, 0, BY_OPCODE);
}

/*
 * IORING_ASYNC_CANCEL_ANY (5.19; io_uring_prep_cancel(3): "Match any
 * request in the ring"; flags that match several requests give "how many
 * requests were found and canceled") of an IORING_OP_SENDMSG (5.3) of 64
 * bytes on an AF_UNIX stream socket whose send buffer is full
 * (conform_fill_until_full), which waits poll-armed for POLLOUT. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel counts
 * 1. The ring then still runs a NOP. Since 5.19.
 */
TEST(cancel_any_of_pending_sendmsg_counts_one)
{
	CONFORM_DECLARE("5.19", "IORING_ASYNC_CANCEL_ANY",
			"io_uring_prep_cancel(3) IORING_ASYNC_CANCEL_ANY");
	run_cancel(_metadata, B_SENDMSG, 0, BY_ANY);
}

/*
 * IORING_REGISTER_SYNC_CANCEL by user_data (6.0;
 * io_uring_register_sync_cancel(3): the result of io_uring_prep_cancel(3),
 * given once the request has posted its CQE) of an IORING_OP_SENDMSG (5.3)
 * of 64 bytes on an AF_UNIX stream socket whose send buffer is full
 * (conform_fill_until_full), which waits poll-armed for POLLOUT. The
 * request ends -ECANCELED (io_uring_prep_cancel(3)) and the cancel returns
 * 0. The ring then still runs a NOP. Since 6.0.
 */
TEST(sync_cancel_of_pending_sendmsg_returns_zero)
{
	CONFORM_DECLARE("6.0", "IORING_REGISTER_SYNC_CANCEL",
			"io_uring_register_sync_cancel(3)");
	run_cancel(_metadata, B_SENDMSG, 0, BY_SYNC);
}

TEST_HARNESS_MAIN
