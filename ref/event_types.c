// SPDX-License-Identifier: MIT
/*
 * ref/event_types.c - the ready-made events of ref/event.h: read, write,
 * accept, connect, close, openat and multishot recv.
 *
 * Each shows what its cancellation must keep alive and what it must do with
 * a result that arrives after the user stopped caring.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ref/event.h"

static void free_data(void *data)
{
	free(data);
}

/* A CQE that still brings a new fd after cancel: close it, never leak it. */
static void close_late_fd(void *data, const struct io_uring_cqe *cqe)
{
	(void)data;
	if (cqe->res >= 0)
		close(cqe->res);
}

/* ---- read and write: the buffer is the kernel's until the end ---- */

int ref_read_event_init(struct ref_io_event *ev, int fd, unsigned int len,
			uint64_t offset)
{
	memset(ev, 0, sizeof(*ev));
	ev->buf = calloc(1, len ? len : 1);
	if (!ev->buf)
		return -ENOMEM;
	ev->fd = fd;
	ev->len = len;
	ev->offset = offset;
	return 0;
}

int ref_write_event_init(struct ref_io_event *ev, int fd, const void *data,
			 unsigned int len, uint64_t offset)
{
	int ret = ref_read_event_init(ev, fd, len, offset);

	if (ret == 0)
		memcpy(ev->buf, data, len);
	return ret;
}

void ref_io_event_free(struct ref_io_event *ev)
{
	free(ev->buf);		/* NULL after a cancel: the cancellation owns it */
	ev->buf = NULL;
}

static void prep_io(struct ref_io_event *ev, struct io_uring_sqe *sqe,
		    uint8_t opcode)
{
	sqe->opcode = opcode;
	sqe->fd = ev->fd;
	sqe->addr = (uint64_t)(uintptr_t)ev->buf;
	sqe->len = ev->len;
	sqe->off = ev->offset;
}

static void read_prepare(void *event, struct io_uring_sqe *sqe)
{
	prep_io(event, sqe, IORING_OP_READ);
}

static void write_prepare(void *event, struct io_uring_sqe *sqe)
{
	prep_io(event, sqe, IORING_OP_WRITE);
}

static void io_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct ref_io_event *ev = event;

	ev->res = cqe->res;
	ev->done = true;
}

/* A read that is already running may still fill the buffer after the user
 * cancelled: the buffer goes to the cancellation and is freed at the end. */
static struct ref_cancellation io_cancel(void *event)
{
	struct ref_io_event *ev = event;
	struct ref_cancellation c = { .data = ev->buf, .release = free_data };

	ev->buf = NULL;
	return c;
}

const struct ref_event_ops ref_read_ops = {
	.prepare = read_prepare, .complete = io_complete, .cancel = io_cancel,
};
const struct ref_event_ops ref_write_ops = {
	.prepare = write_prepare, .complete = io_complete, .cancel = io_cancel,
};

/* ---- accept: a connection accepted after cancel must be closed ---- */

static void accept_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct ref_accept_event *ev = event;

	sqe->opcode = IORING_OP_ACCEPT;
	sqe->fd = ev->fd;
	sqe->accept_flags = SOCK_CLOEXEC;
}

static void fd_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct ref_accept_event *ev = event;

	ev->res = cqe->res;
	ev->done = true;
}

static struct ref_cancellation accept_cancel(void *event)
{
	struct ref_cancellation c = { .completed = close_late_fd };

	(void)event;
	return c;
}

const struct ref_event_ops ref_accept_ops = {
	.prepare = accept_prepare, .complete = fd_complete, .cancel = accept_cancel,
};

/* ---- connect: the kernel reads the address until the end ---- */

int ref_connect_event_init(struct ref_connect_event *ev, int fd,
			   const struct sockaddr *addr, socklen_t addrlen)
{
	memset(ev, 0, sizeof(*ev));
	if (addrlen > sizeof(*ev->addr))
		return -EINVAL;
	ev->addr = calloc(1, sizeof(*ev->addr));
	if (!ev->addr)
		return -ENOMEM;
	memcpy(ev->addr, addr, addrlen);
	ev->fd = fd;
	ev->addrlen = addrlen;
	return 0;
}

void ref_connect_event_free(struct ref_connect_event *ev)
{
	free(ev->addr);
	ev->addr = NULL;
}

static void connect_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct ref_connect_event *ev = event;

	sqe->opcode = IORING_OP_CONNECT;
	sqe->fd = ev->fd;
	sqe->addr = (uint64_t)(uintptr_t)ev->addr;
	sqe->off = ev->addrlen;
}

static void connect_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct ref_connect_event *ev = event;

	ev->res = cqe->res;
	ev->done = true;
}

static struct ref_cancellation connect_cancel(void *event)
{
	struct ref_connect_event *ev = event;
	struct ref_cancellation c = { .data = ev->addr, .release = free_data };

	ev->addr = NULL;
	return c;
}

const struct ref_event_ops ref_connect_ops = {
	.prepare = connect_prepare, .complete = connect_complete,
	.cancel = connect_cancel,
};

/* ---- close: owns nothing ---- */

static void close_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct ref_close_event *ev = event;

	sqe->opcode = IORING_OP_CLOSE;
	sqe->fd = ev->fd;
}

static void close_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct ref_close_event *ev = event;

	ev->res = cqe->res;
	ev->done = true;
}

static struct ref_cancellation nothing_to_keep(void *event)
{
	struct ref_cancellation c = { 0 };

	(void)event;
	return c;
}

const struct ref_event_ops ref_close_ops = {
	.prepare = close_prepare, .complete = close_complete,
	.cancel = nothing_to_keep,
};

/* ---- openat: the path is read until the end; a late fd is closed ---- */

int ref_openat_event_init(struct ref_openat_event *ev, int dfd,
			  const char *path, int flags, unsigned int mode)
{
	memset(ev, 0, sizeof(*ev));
	ev->path = strdup(path);
	if (!ev->path)
		return -ENOMEM;
	ev->dfd = dfd;
	ev->flags = flags;
	ev->mode = mode;
	return 0;
}

void ref_openat_event_free(struct ref_openat_event *ev)
{
	free(ev->path);
	ev->path = NULL;
}

static void openat_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct ref_openat_event *ev = event;

	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = ev->dfd;
	sqe->addr = (uint64_t)(uintptr_t)ev->path;
	sqe->len = ev->mode;
	sqe->open_flags = (uint32_t)ev->flags;
}

static void openat_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct ref_openat_event *ev = event;

	ev->res = cqe->res;
	ev->done = true;
}

static struct ref_cancellation openat_cancel(void *event)
{
	struct ref_openat_event *ev = event;
	struct ref_cancellation c = {
		.data = ev->path, .completed = close_late_fd, .release = free_data,
	};

	ev->path = NULL;
	return c;
}

const struct ref_event_ops ref_openat_ops = {
	.prepare = openat_prepare, .complete = openat_complete,
	.cancel = openat_cancel,
};

/* ---- multishot recv: every buffer the kernel picks goes back ---- */

static void recv_multishot_prepare(void *event, struct io_uring_sqe *sqe)
{
	struct ref_recv_multishot_event *ev = event;

	sqe->opcode = IORING_OP_RECV;
	sqe->fd = ev->fd;
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = ev->bufs->bgid;
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

static void recv_multishot_complete(void *event, const struct io_uring_cqe *cqe)
{
	struct ref_recv_multishot_event *ev = event;
	int bid = ref_cqe_buffer_id(cqe);

	if (bid >= 0) {
		if (cqe->res > 0) {
			ev->received++;
			if (ev->on_data)
				ev->on_data(ev->arg,
					    ref_buf_ring_buf(ev->bufs, (uint16_t)bid),
					    (size_t)cqe->res);
		}
		ref_buf_ring_recycle(ev->bufs, (uint16_t)bid);
	}
	/* Rule: multishot ends with a CQE without IORING_CQE_F_MORE. */
	if (!ref_cqe_has_more(cqe)) {
		ev->res = cqe->res;
		ev->done = true;
	}
}

/* After cancel the data is unwanted, but the buffers must go back. */
static void recycle_late_buffer(void *data, const struct io_uring_cqe *cqe)
{
	int bid = ref_cqe_buffer_id(cqe);

	if (bid >= 0)
		ref_buf_ring_recycle(data, (uint16_t)bid);
}

static struct ref_cancellation recv_multishot_cancel(void *event)
{
	struct ref_recv_multishot_event *ev = event;
	struct ref_cancellation c = {
		.data = ev->bufs, .completed = recycle_late_buffer,
	};

	return c;
}

const struct ref_event_ops ref_recv_multishot_ops = {
	.prepare = recv_multishot_prepare, .complete = recv_multishot_complete,
	.cancel = recv_multishot_cancel,
};
