// SPDX-License-Identifier: MIT
/*
 * uring/link-timeout-matrix: IORING_OP_LINK_TIMEOUT (5.5) on every
 * blocking request type as the head of its link: IORING_OP_READ of an
 * empty pipe and IORING_OP_RECV on an empty socket pair (5.6; also with
 * IOSQE_ASYNC), IORING_OP_POLL_ADD (multishot with IORING_POLL_ADD_MULTI,
 * 5.13), IORING_OP_ACCEPT (multishot with IORING_ACCEPT_MULTISHOT, 5.19),
 * a long IORING_OP_TIMEOUT, IORING_OP_READ_MULTISHOT (6.7) and a
 * multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a
 * provided-buffer ring, IORING_OP_FUTEX_WAIT and IORING_OP_WAITID (6.7),
 * IORING_OP_EPOLL_WAIT (6.15), IORING_OP_SPLICE (5.7) and
 * IORING_OP_SENDMSG to a full socket buffer. Per type: a 10 ms timeout
 * fires because the request never completes (request -ECANCELED, timeout
 * -ETIME); a request ready when submitted completes first (timeout
 * -ECANCELED); IOSQE_CQE_SKIP_SUCCESS on the timeout (5.17) posts no CQE
 * either way; a multishot request that posted data is still ended by the
 * timeout; and an IOSQE_IO_DRAIN NOP after the link completes only after
 * both. The only wait on time is the expiry of the link timeout, which is
 * certain: nothing else ever completes the request.
 * Left out: a splice waiting in io-wq as the head of an expiring link
 * (the kernels disagree: 5.10 and 6.1 interrupt it, 6.12 and later never
 * fire the timeout while the splice blocks), and the pairs tested
 * elsewhere (a plain read: timeout.c, cqe-skip.c).
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
/* What the request completes with when blk_ready() made it ready. */
static int blk_ready_res(enum blocker_type type)
{
	switch (type) {
	case B_READ: case B_RECV: case B_SPLICE:
	case B_READ_MULTI: case B_RECV_MULTI:
		return 3;
	case B_POLL: case B_POLL_MULTI:
		return POLLIN;
	case B_EPOLL:
		return 1;
	case B_FUTEX:
		return -EAGAIN;
	case B_WAITID:
		return 0;
	case B_SENDMSG:
		return PB_LEN;
	default:
		return INT_MIN;	/* accept: a new fd, checked apart */
	}
}


/* ------------------------------------------------------------------ */
/* A blocking request at the head of a link with a link timeout         */
/* ------------------------------------------------------------------ */

enum lt_mode {
	LT_EXPIRES,		/* the head waits; a 10 ms link timeout fires */
	LT_SKIP_EXPIRES,	/* the same, IOSQE_CQE_SKIP_SUCCESS on the timeout */
	LT_HEAD_FIRST,		/* the head is ready at submit; a 10 s timeout */
	LT_SKIP_HEAD_FIRST,	/* the same, IOSQE_CQE_SKIP_SUCCESS on the timeout */
	LT_MULTISHOT_DATA,	/* a multishot head posts data, then 10 ms expire */
	LT_DRAIN,		/* LT_EXPIRES followed by an IOSQE_IO_DRAIN NOP */
};

/* The link timeouts: short ones fire (the head never completes by itself);
 * the long one is never reached (the head completes at once). An
 * IOSQE_ASYNC head gets 100 ms, see run_link(). */
static struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };
static struct __kernel_timespec async_ts = { .tv_nsec = 100 * 1000 * 1000 };
static struct __kernel_timespec long_ts = { .tv_sec = 10 };

/*
 * Where an IOSQE_ASYNC request of type waits on this kernel, seen on a
 * ring of its own (blk_settle()): poll-armed by its io-wq worker (since
 * 5.16, "io_uring: implement async hybrid mode for pollable requests"),
 * or asleep in the worker (Debian's 5.10). REST_UNSEEN with why[] when
 * neither was seen.
 */
static enum rest async_rest_probe(enum blocker_type type, char *why,
				  size_t len)
{
	enum rest rest = REST_UNSEEN;
	struct blk t;

	blk_init(&t, type);
	if (blk_setup(&t, false) || !blk_queue(&t, IOSQE_ASYNC) ||
	    io_uring_submit(&t.ring) != 1)
		snprintf(why, len, "the IOSQE_ASYNC probe could not be submitted");
	else
		rest = blk_settle(&t, why, len);
	blk_end(&t);
	return rest;
}

/*
 * Queue the request of t with IOSQE_IO_LINK (and sqe_flags), an
 * IORING_OP_LINK_TIMEOUT of ts tagged TAG_LT with lt_flags and, with
 * drain, an IOSQE_IO_DRAIN NOP tagged TAG_NOP; submit. Returns what the
 * submit returned.
 */
static int submit_link(struct blk *t, unsigned char sqe_flags,
		       struct __kernel_timespec *ts, unsigned char lt_flags,
		       bool drain)
{
	struct io_uring_sqe *sqe;

	if (!blk_queue(t, sqe_flags | IOSQE_IO_LINK))
		return -EBUSY;
	sqe = io_uring_get_sqe(&t->ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_link_timeout(sqe, ts, 0);
	sqe->flags = lt_flags;
	sqe->user_data = TAG_LT;
	if (drain && !uring_queue_nop(&t->ring, TAG_NOP, IOSQE_IO_DRAIN))
		return -EBUSY;
	return io_uring_submit(&t->ring);
}

/* Close the fd an accept's CQE carries (res >= 0). */
static void close_accepted(struct blk *t, const struct io_uring_cqe *cqe)
{
	if ((t->type == B_ACCEPT || t->type == B_ACCEPT_MULTI) && cqe->res >= 0)
		close(cqe->res);
}

/*
 * What a request made ready by blk_ready() completes with: res as
 * blk_ready_res() says (an accept: a new fd, >= 0).
 */
static void expect_ready_res(struct __test_metadata *_metadata,
			     enum blocker_type type, int res)
{
	if (type == B_ACCEPT || type == B_ACCEPT_MULTI) {
		EXPECT_LE(0, res);
	} else {
		EXPECT_EQ(blk_ready_res(type), res);
	}
}

/*
 * Run the request of type at the head of a link with a link timeout, in
 * mode, and check what io_uring_enter(2) IORING_OP_LINK_TIMEOUT says: the
 * timeout "will cancel the linked command, unless the linked command
 * completes before the timeout"; it "will complete with -ETIME if the
 * timer expired and the linked request was attempted canceled, or
 * -ECANCELED if the timer got canceled because of completion of the
 * linked request"; the cancelled request ends -ECANCELED and a multishot
 * one without IORING_CQE_F_MORE. With IOSQE_CQE_SKIP_SUCCESS on the
 * timeout "it's guaranteed to not post a CQE ... regardless whether it
 * timed out or was canceled" (io_uring_enter(2), 5.17). A drained NOP
 * after the link "will not be started before previously submitted SQEs
 * have completed" (IOSQE_IO_DRAIN): its CQE is the last.
 * Where the request waits decides how it ends: an IOSQE_ASYNC request
 * asleep in its io-wq worker (Debian's 5.10; async_rest_probe()) cannot
 * be cancelled outright, it is interrupted and ends -EINTR
 * (io_uring_prep_cancel(3) -EALREADY: "interrupted due to the
 * cancelation"); the timeout, which "attempted canceled" it, still ends
 * -ETIME.
 */
static void run_link(struct __test_metadata *_metadata,
		     enum blocker_type type, unsigned char sqe_flags,
		     enum lt_mode mode)
{
	const struct blocker *b = &blockers[type];
	bool skip = mode == LT_SKIP_EXPIRES || mode == LT_SKIP_HEAD_FIRST;
	bool ready = mode == LT_HEAD_FIRST || mode == LT_SKIP_HEAD_FIRST ||
		     mode == LT_MULTISHOT_DATA;
	int want_req = -ECANCELED, want_lt = -ETIME;
	struct __kernel_timespec *ts = &short_ts;
	struct io_uring_cqe cqe, req, lt;
	enum rest rest = REST_POLL;
	char why[256] = "";
	int nr = 0, seen_req = 0, seen_lt = 0;
	struct blk t;

	CONFORM_REQUIRE(blocker_missing(type));
	CONFORM_REQUIRE_URING_OP(IORING_OP_LINK_TIMEOUT);
	if (skip)
		CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CQE_SKIP);
	if (mode == LT_DRAIN)
		URING_REQUIRE_SQE_FLAG(IOSQE_IO_DRAIN);
	if (sqe_flags & IOSQE_ASYNC) {
		/* The timeout may start when the worker takes the request
		 * (6.1 io_wq_submit_work() arms it before the issue): 100 ms
		 * leave the worker far more than the time it needs to get to
		 * where it waits. */
		ts = &async_ts;
	}
	if ((sqe_flags & IOSQE_ASYNC) && !ready) {
		rest = async_rest_probe(type, why, sizeof(why));
		if (rest == REST_UNSEEN)
			SKIP(return, CONFORM_UNSEEN "%s", why);
		TH_LOG("an IOSQE_ASYNC %s waits %s on this kernel", b->name,
		       rest == REST_POLL ? "poll-armed by its worker" :
					   "asleep in its io-wq worker");
	}
	if (ready)
		ts = mode == LT_MULTISHOT_DATA ? &short_ts : &long_ts;
	if (rest == REST_IOWQ)
		want_req = -EINTR;

	blk_init(&t, type);
	ASSERT_EQ(0, blk_setup(&t, ready));
	if (ready)
		ASSERT_EQ(0, blk_ready(&t));
	ASSERT_EQ(mode == LT_DRAIN ? 3 : 2,
		  submit_link(&t, sqe_flags, ts,
			      skip ? IOSQE_CQE_SKIP_SUCCESS : 0,
			      mode == LT_DRAIN));

	if (mode == LT_MULTISHOT_DATA) {
		/* The data CQE comes first and keeps the request armed. */
		ASSERT_EQ(0, uring_reap_one(&t.ring, &cqe));
		EXPECT_EQ((__u64)TAG_REQ, cqe.user_data);
		expect_ready_res(_metadata, type, cqe.res);
		EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
		close_accepted(&t, &cqe);
	}
	/* The request's (last) CQE and the timeout's, in either order; a
	 * drained NOP's only after both. */
	memset(&req, 0, sizeof(req));
	memset(&lt, 0, sizeof(lt));
	for (int want = skip ? 1 : mode == LT_DRAIN ? 3 : 2; nr < want; nr++) {
		ASSERT_EQ(0, uring_reap_one(&t.ring, &cqe)) {
			TH_LOG("CQE %d of %d did not come within %d ms", nr + 1,
			       want, URING_REAP_BOUND_MS);
		}
		if (cqe.user_data == TAG_REQ) {
			req = cqe;
			seen_req++;
		} else if (cqe.user_data == TAG_LT) {
			lt = cqe;
			seen_lt++;
		} else {
			EXPECT_EQ((__u64)TAG_NOP, cqe.user_data);
			EXPECT_EQ(0, cqe.res);
			EXPECT_EQ(2, nr) {
				TH_LOG("the drained NOP completed before the link it follows");
			}
		}
	}
	EXPECT_EQ(1, seen_req);
	EXPECT_EQ(skip ? 0 : 1, seen_lt);
	/* An expired timeout that skips posts nothing later either. (One
	 * cancelled by its head's completion is done with it: a stray CQE
	 * would show in expect_ring_usable().) */
	if (mode == LT_SKIP_EXPIRES)
		EXPECT_EQ(-ETIME, uring_wait_briefly(&t.ring));
	if (mode == LT_HEAD_FIRST || mode == LT_SKIP_HEAD_FIRST) {
		expect_ready_res(_metadata, type, req.res);
		close_accepted(&t, &req);
		want_lt = -ECANCELED;
	} else {
		EXPECT_EQ(want_req, req.res);
	}
	EXPECT_EQ(0u, req.flags & IORING_CQE_F_MORE);
	if (seen_lt)
		EXPECT_EQ(want_lt, lt.res);
	expect_ring_usable(_metadata, &t.ring);
	blk_end(&t);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_READ of an empty pipe with IOSQE_ASYNC (5.6), issued from an
 * io-wq worker: poll-armed there since 5.16 ("io_uring: implement async
 * hybrid mode for pollable requests"), asleep in the worker before
 * (Debian's 5.10); which one is probed first, on a ring of its own, never
 * completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). Asleep in its worker, it
 * cannot be cancelled outright: it is interrupted and ends -EINTR
 * (io_uring_prep_cancel(3) -EALREADY: "interrupted due to the
 * cancelation"), and the timeout, which attempted to cancel it, still ends
 * -ETIME. Kernels that post the cancel's -EALREADY as the timeout's result
 * fail here: cases/known-failures.txt. The timeout is of 100 ms for such a
 * head. Since 5.6.
 */
TEST(link_timeout_expiry_ends_async_read_by_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_READ, IOSQE_ASYNC, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair, never completes by
 * itself, so the 10 ms timeout fires and cancels it: the request ends
 * -ECANCELED and the timeout -ETIME ("the timer expired and the linked
 * request was attempted canceled"). Since 5.6.
 */
TEST(link_timeout_expiry_cancels_pending_recv)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_RECV, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_RECV on an empty AF_UNIX stream pair with IOSQE_ASYNC (5.6),
 * issued from an io-wq worker: poll-armed there since 5.16, asleep in the
 * worker before (Debian's 5.10); which one is probed first, never completes
 * by itself, so the 10 ms timeout fires and cancels it: the request ends
 * -ECANCELED and the timeout -ETIME ("the timer expired and the linked
 * request was attempted canceled"). Asleep in its worker, it cannot be
 * cancelled outright: it is interrupted and ends -EINTR
 * (io_uring_prep_cancel(3) -EALREADY: "interrupted due to the
 * cancelation"), and the timeout, which attempted to cancel it, still ends
 * -ETIME. Kernels that post the cancel's -EALREADY as the timeout's result
 * fail here: cases/known-failures.txt. The timeout is of 100 ms for such a
 * head. Since 5.6.
 */
TEST(link_timeout_expiry_ends_async_recv_by_where_it_waits)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_RECV, IOSQE_ASYNC, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe, never completes by itself, so the 10
 * ms timeout fires and cancels it: the request ends -ECANCELED and the
 * timeout -ETIME ("the timer expired and the linked request was attempted
 * canceled"). Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_poll)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_POLL, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a
 * multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe,
 * never completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). A multishot request ends
 * with that CQE, without IORING_CQE_F_MORE. Since 5.13.
 */
TEST(link_timeout_expiry_cancels_pending_multishot_poll)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_POLL_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, never completes by itself,
 * so the 10 ms timeout fires and cancels it: the request ends -ECANCELED
 * and the timeout -ETIME ("the timer expired and the linked request was
 * attempted canceled"). Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_accept)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_ACCEPT, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a
 * multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener,
 * never completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). A multishot request ends
 * with that CQE, without IORING_CQE_F_MORE. Since 5.19.
 */
TEST(link_timeout_expiry_cancels_pending_multishot_accept)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a 30 s
 * IORING_OP_TIMEOUT (count 0), never completes by itself, so the 10 ms
 * timeout fires and cancels it: the request ends -ECANCELED and the timeout
 * -ETIME ("the timer expired and the linked request was attempted
 * canceled"). Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_timeout)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_TIMEOUT, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-buffer
 * ring, never completes by itself, so the 10 ms timeout fires and cancels
 * it: the request ends -ECANCELED and the timeout -ETIME ("the timer
 * expired and the linked request was attempted canceled"). A multishot
 * request ends with that CQE, without IORING_CQE_F_MORE. Since 6.7.
 */
TEST(link_timeout_expiry_cancels_pending_read_multishot)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_READ_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, a
 * multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a provided-
 * buffer ring, never completes by itself, so the 10 ms timeout fires and
 * cancels it: the request ends -ECANCELED and the timeout -ETIME ("the
 * timer expired and the linked request was attempted canceled"). A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 6.0.
 */
TEST(link_timeout_expiry_cancels_pending_multishot_recv)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_RECV_MULTI, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on, never
 * completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). Kernels that post the count
 * of the cancel the timeout made (1; io_uring/timeout.c
 * io_req_task_link_timeout() posts io_try_cancel()'s result unless it is 0)
 * instead of -ETIME fail here: cases/known-failures.txt. Since 6.7.
 */
TEST(link_timeout_expiry_cancels_pending_futex_wait)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_FUTEX, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_WAITID (6.7), WEXITED, for a live child, never completes by
 * itself, so the 10 ms timeout fires and cancels it: the request ends
 * -ECANCELED and the timeout -ETIME ("the timer expired and the linked
 * request was attempted canceled"). Kernels that post the count of the
 * cancel the timeout made (1; io_uring/timeout.c io_req_task_link_timeout()
 * posts io_try_cancel()'s result unless it is 0) instead of -ETIME fail
 * here: cases/known-failures.txt. Since 6.7.
 */
TEST(link_timeout_expiry_cancels_pending_waitid)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_WAITID, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe,
 * never completes by itself, so the 10 ms timeout fires and cancels it: the
 * request ends -ECANCELED and the timeout -ETIME ("the timer expired and
 * the linked request was attempted canceled"). Since 6.15.
 */
TEST(link_timeout_expiry_cancels_pending_epoll_wait)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_EPOLL, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the head of the link, an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full, never completes by itself, so the 10 ms timeout
 * fires and cancels it: the request ends -ECANCELED and the timeout -ETIME
 * ("the timer expired and the linked request was attempted canceled").
 * Since 5.5.
 */
TEST(link_timeout_expiry_cancels_pending_sendmsg)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ETIME, request -ECANCELED");
	run_link(_metadata, B_SENDMSG, 0, LT_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair: the only CQE is the
 * request's, -ECANCELED, and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_recv)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_RECV, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe: the only CQE is the request's,
 * -ECANCELED, and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_poll)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_POLL, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a multishot
 * POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty pipe: the only CQE
 * is the request's, -ECANCELED, and none follows. A multishot request ends
 * with that CQE, without IORING_CQE_F_MORE. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_multishot_poll)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_POLL_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener: the only CQE is the
 * request's, -ECANCELED, and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_accept)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_ACCEPT, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a multishot
 * accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX listener: the only
 * CQE is the request's, -ECANCELED, and none follows. A multishot request
 * ends with that CQE, without IORING_CQE_F_MORE. Since 5.19.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_multishot_accept)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a 30 s
 * IORING_OP_TIMEOUT (count 0): the only CQE is the request's, -ECANCELED,
 * and none follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_timeout)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_TIMEOUT, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-buffer
 * ring: the only CQE is the request's, -ECANCELED, and none follows. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_read_multishot)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_READ_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, a multishot
 * IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a provided-buffer ring:
 * the only CQE is the request's, -ECANCELED, and none follows. A multishot
 * request ends with that CQE, without IORING_CQE_F_MORE. Since 6.0.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_multishot_recv)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_RECV_MULTI, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on: the
 * only CQE is the request's, -ECANCELED, and none follows. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_futex_wait)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_FUTEX, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_WAITID (6.7), WEXITED, for a live child: the only CQE is the
 * request's, -ECANCELED, and none follows. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_waitid)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_WAITID, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe:
 * the only CQE is the request's, -ECANCELED, and none follows. Since 6.15.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_epoll_wait)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_EPOLL, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17): on a link timeout "it's
 * guaranteed to not post a CQE ... regardless whether it timed out or was
 * canceled". The timeout (10 ms) expires and cancels the head, an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full: the only CQE is the request's, -ECANCELED, and none
 * follows. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_it_cancels_pending_sendmsg)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_SENDMSG, 0, LT_SKIP_EXPIRES);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_READ of an empty pipe with IOSQE_ASYNC
 * (5.6), issued from an io-wq worker: poll-armed there since 5.16
 * ("io_uring: implement async hybrid mode for pollable requests"), asleep
 * in the worker before (Debian's 5.10); which one is probed first, on a
 * ring of its own, is ready when submitted (3 bytes wait in the pipe), so
 * it completes with its result and the 10 s timeout with -ECANCELED. Since
 * 5.6.
 */
TEST(link_timeout_of_async_read_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_READ, IOSQE_ASYNC, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_RECV (5.6) on an empty AF_UNIX stream
 * pair, is ready when submitted (3 bytes wait in the socket), so it
 * completes with its result and the 10 s timeout with -ECANCELED. Since
 * 5.6.
 */
TEST(link_timeout_of_recv_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_RECV, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_RECV on an empty AF_UNIX stream pair
 * with IOSQE_ASYNC (5.6), issued from an io-wq worker: poll-armed there
 * since 5.16, asleep in the worker before (Debian's 5.10); which one is
 * probed first, is ready when submitted (3 bytes wait in the socket), so it
 * completes with its result and the 10 s timeout with -ECANCELED. Since
 * 5.6.
 */
TEST(link_timeout_of_async_recv_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.6", "IOSQE_ASYNC",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_RECV, IOSQE_ASYNC, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, a POLLIN IORING_OP_POLL_ADD of an empty pipe, is
 * ready when submitted (3 bytes wait in the pipe (POLLIN)), so it completes
 * with its result and the 10 s timeout with -ECANCELED. Since 5.5.
 */
TEST(link_timeout_of_poll_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_POLL, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, is
 * ready when submitted (a connection waits), so it completes with its
 * result and the 10 s timeout with -ECANCELED. Since 5.5.
 */
TEST(link_timeout_of_accept_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_ACCEPT, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_FUTEX_WAIT (6.7) on a word holding the
 * value it waits on, is ready when submitted (the word no longer holds the
 * value (-EAGAIN, a failed head)), so it completes with its result and the
 * 10 s timeout with -ECANCELED. Since 6.7.
 */
TEST(link_timeout_of_futex_wait_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_FUTEX, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_WAITID (6.7), WEXITED, for a live child,
 * is ready when submitted (the child has exited (0)), so it completes with
 * its result and the 10 s timeout with -ECANCELED. Since 6.7.
 */
TEST(link_timeout_of_waitid_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_WAITID, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_EPOLL_WAIT (6.15) on an epoll instance
 * watching an empty pipe, is ready when submitted (3 bytes wait in the
 * watched pipe (1 event)), so it completes with its result and the 10 s
 * timeout with -ECANCELED. Since 6.15.
 */
TEST(link_timeout_of_epoll_wait_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_EPOLL, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_SPLICE (5.7) between two pipes, run in
 * io-wq, is ready when submitted (3 bytes wait in the source pipe (the
 * splice moves them)), so it completes with its result and the 10 s timeout
 * with -ECANCELED. Since 5.7.
 */
TEST(link_timeout_of_splice_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.7", "IORING_OP_SPLICE",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_SPLICE, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT: the timeout completes "with
 * -ECANCELED if the timer got canceled because of completion of the linked
 * request". The head, an IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX
 * stream socket whose send buffer is full, is ready when submitted (the
 * socket's buffer has room (64 bytes sent)), so it completes with its
 * result and the 10 s timeout with -ECANCELED. Since 5.5.
 */
TEST(link_timeout_of_sendmsg_that_completes_first_gets_ecanceled)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT -ECANCELED");
	run_link(_metadata, B_SENDMSG, 0, LT_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair, is ready when
 * submitted (3 bytes wait in the socket) and completes; the timeout,
 * cancelled with -ECANCELED, posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_recv_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_RECV, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, a POLLIN
 * IORING_OP_POLL_ADD of an empty pipe, is ready when submitted (3 bytes
 * wait in the pipe (POLLIN)) and completes; the timeout, cancelled with
 * -ECANCELED, posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_poll_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_POLL, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, is ready when submitted (a
 * connection waits) and completes; the timeout, cancelled with -ECANCELED,
 * posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_accept_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_ACCEPT, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on, is
 * ready when submitted (the word no longer holds the value (-EAGAIN, a
 * failed head)) and completes; the timeout, cancelled with -ECANCELED,
 * posts nothing. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_futex_wait_completes_first)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_FUTEX, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_WAITID (6.7), WEXITED, for a live child, is ready when
 * submitted (the child has exited (0)) and completes; the timeout,
 * cancelled with -ECANCELED, posts nothing. Since 6.7.
 */
TEST(skipping_link_timeout_posts_nothing_when_waitid_completes_first)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_WAITID, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty pipe,
 * is ready when submitted (3 bytes wait in the watched pipe (1 event)) and
 * completes; the timeout, cancelled with -ECANCELED, posts nothing. Since
 * 6.15.
 */
TEST(skipping_link_timeout_posts_nothing_when_epoll_wait_completes_first)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_EPOLL, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_SPLICE (5.7) between two pipes, run in io-wq, is ready when
 * submitted (3 bytes wait in the source pipe (the splice moves them)) and
 * completes; the timeout, cancelled with -ECANCELED, posts nothing. Since
 * 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_splice_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_SPLICE, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS (5.17) on a link timeout: no CQE
 * "regardless whether it timed out or was canceled". The head, an
 * IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket whose
 * send buffer is full, is ready when submitted (the socket's buffer has
 * room (64 bytes sent)) and completes; the timeout, cancelled with
 * -ECANCELED, posts nothing. Since 5.17.
 */
TEST(skipping_link_timeout_posts_nothing_when_sendmsg_completes_first)
{
	CONFORM_DECLARE("5.17", "IOSQE_CQE_SKIP_SUCCESS",
			"io_uring_enter(2) IOSQE_CQE_SKIP_SUCCESS linked timeout");
	run_link(_metadata, B_SENDMSG, 0, LT_SKIP_HEAD_FIRST);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, a multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty
 * pipe, finds 3 bytes wait in the pipe (POLLIN) and posts it with
 * IORING_CQE_F_MORE; the 10 ms timeout then still fires: the request ends
 * -ECANCELED without IORING_CQE_F_MORE and the timeout -ETIME. Since 5.13.
 */
TEST(link_timeout_ends_multishot_poll_after_its_data_cqe)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_POLL_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, a multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX
 * listener, finds a connection waits and posts it with IORING_CQE_F_MORE;
 * the 10 ms timeout then still fires: the request ends -ECANCELED without
 * IORING_CQE_F_MORE and the timeout -ETIME. Since 5.19.
 */
TEST(link_timeout_ends_multishot_accept_after_its_data_cqe)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, an IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-
 * buffer ring, finds 3 bytes wait in the pipe and posts it with
 * IORING_CQE_F_MORE; the 10 ms timeout then still fires: the request ends
 * -ECANCELED without IORING_CQE_F_MORE and the timeout -ETIME. Since 6.7.
 */
TEST(link_timeout_ends_read_multishot_after_its_data_cqe)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_READ_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IORING_OP_LINK_TIMEOUT cancels the linked command
 * "unless the linked command completes before the timeout"; a multishot
 * request that posts a CQE with IORING_CQE_F_MORE has not completed. The
 * head, a multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a
 * provided-buffer ring, finds 3 bytes wait in the socket and posts it with
 * IORING_CQE_F_MORE; the 10 ms timeout then still fires: the request ends
 * -ECANCELED without IORING_CQE_F_MORE and the timeout -ETIME. Since 6.0.
 */
TEST(link_timeout_ends_multishot_recv_after_its_data_cqe)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IORING_OP_LINK_TIMEOUT; IORING_CQE_F_MORE");
	run_link(_metadata, B_RECV_MULTI, 0, LT_MULTISHOT_DATA);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_READ (5.6) of an empty pipe, which waits, and a 10 ms
 * link timeout that ends it (request -ECANCELED, timeout -ETIME). The NOP's
 * CQE is the third, after both. Since 5.6.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_read)
{
	CONFORM_DECLARE("5.6", "IORING_OP_READ",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_READ, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_RECV (5.6) on an empty AF_UNIX stream pair, which waits,
 * and a 10 ms link timeout that ends it (request -ECANCELED, timeout
 * -ETIME). The NOP's CQE is the third, after both. Since 5.6.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_recv)
{
	CONFORM_DECLARE("5.6", "IORING_OP_RECV",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_RECV, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a POLLIN IORING_OP_POLL_ADD of an empty pipe, which waits, and a 10 ms
 * link timeout that ends it (request -ECANCELED, timeout -ETIME). The NOP's
 * CQE is the third, after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_poll)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_POLL, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a multishot POLLIN poll (IORING_POLL_ADD_MULTI, 5.13) of an empty
 * pipe, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 5.13.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_multishot_poll)
{
	CONFORM_DECLARE("5.13", "IORING_POLL_ADD_MULTI",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_POLL_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_ACCEPT (5.5) on an AF_UNIX listener, which waits, and a
 * 10 ms link timeout that ends it (request -ECANCELED, timeout -ETIME). The
 * NOP's CQE is the third, after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_accept)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_ACCEPT, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a multishot accept (IORING_ACCEPT_MULTISHOT, 5.19) on an AF_UNIX
 * listener, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 5.19.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_multishot_accept)
{
	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_ACCEPT_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a 30 s IORING_OP_TIMEOUT (count 0), which waits, and a 10 ms link
 * timeout that ends it (request -ECANCELED, timeout -ETIME). The NOP's CQE
 * is the third, after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_timeout)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_TIMEOUT, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_READ_MULTISHOT (6.7) of an empty pipe with a provided-
 * buffer ring, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both. A
 * multishot request ends with that CQE, without IORING_CQE_F_MORE. Since
 * 6.7.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_read_multishot)
{
	CONFORM_DECLARE("6.7", "IORING_OP_READ_MULTISHOT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_READ_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of a multishot IORING_OP_RECV (IORING_RECV_MULTISHOT, 6.0) with a
 * provided-buffer ring, which waits, and a 10 ms link timeout that ends it
 * (request -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after
 * both. A multishot request ends with that CQE, without IORING_CQE_F_MORE.
 * Since 6.0.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_multishot_recv)
{
	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_RECV_MULTI, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_FUTEX_WAIT (6.7) on a word holding the value it waits on,
 * which waits, and a 10 ms link timeout that ends it (request -ECANCELED,
 * timeout -ETIME). The NOP's CQE is the third, after both. Kernels that
 * post the count of the cancel the timeout made (1; io_uring/timeout.c
 * io_req_task_link_timeout() posts io_try_cancel()'s result unless it is 0)
 * instead of -ETIME fail here: cases/known-failures.txt. Since 6.7.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_futex_wait)
{
	CONFORM_DECLARE("6.7", "IORING_OP_FUTEX_WAIT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_FUTEX, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_WAITID (6.7), WEXITED, for a live child, which waits, and
 * a 10 ms link timeout that ends it (request -ECANCELED, timeout -ETIME).
 * The NOP's CQE is the third, after both. Kernels that post the count of
 * the cancel the timeout made (1; io_uring/timeout.c
 * io_req_task_link_timeout() posts io_try_cancel()'s result unless it is 0)
 * instead of -ETIME fail here: cases/known-failures.txt. Since 6.7.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_waitid)
{
	CONFORM_DECLARE("6.7", "IORING_OP_WAITID",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_WAITID, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_EPOLL_WAIT (6.15) on an epoll instance watching an empty
 * pipe, which waits, and a 10 ms link timeout that ends it (request
 * -ECANCELED, timeout -ETIME). The NOP's CQE is the third, after both.
 * Since 6.15.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_epoll_wait)
{
	CONFORM_DECLARE("6.15", "IORING_OP_EPOLL_WAIT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_EPOLL, 0, LT_DRAIN);
}

/*
 * io_uring_enter(2) IOSQE_IO_DRAIN: "the SQE will not be started before
 * previously submitted SQEs have completed". Before the drained NOP: a link
 * of an IORING_OP_SENDMSG (5.3) of 64 bytes on an AF_UNIX stream socket
 * whose send buffer is full, which waits, and a 10 ms link timeout that
 * ends it (request -ECANCELED, timeout -ETIME). The NOP's CQE is the third,
 * after both. Since 5.5.
 */
TEST(drained_nop_waits_until_link_timeout_ends_pending_sendmsg)
{
	CONFORM_DECLARE("5.5", "IORING_OP_LINK_TIMEOUT",
			"io_uring_enter(2) IOSQE_IO_DRAIN; IORING_OP_LINK_TIMEOUT");
	run_link(_metadata, B_SENDMSG, 0, LT_DRAIN);
}

TEST_HARNESS_MAIN
