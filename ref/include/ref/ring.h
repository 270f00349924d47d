/* SPDX-License-Identifier: MIT */
/*
 * ref/ring.h - a minimal io_uring ring on raw syscalls, written to be read.
 *
 * The rules a ring must obey (../shared/DESIGN.md section 6) are stated in
 * ring.c next to the code that obeys them. Conventions here:
 * - functions that can fail return 0 (or a count) or a negative errno, like
 *   the kernel; nothing sets errno;
 * - every ref_prep_* takes the request's user_data last and returns false,
 *   touching nothing, when the submission queue is full: submit, then retry;
 * - ref_ring_last_sqe() reaches the SQE just prepared, to add IOSQE_* flags
 *   (links, drain, fixed files, buffer selection).
 *
 * Preparing requests and reaping CQEs is the hot path, so those functions
 * are static inline here (measured in bench/: a call per SQE costs more than
 * the work itself); the rest lives in ring.c.
 */
#ifndef REF_RING_H
#define REF_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/io_uring.h>

#include "ref/ring_index.h"
#include "ref/uapi.h"

/* Options for ref_ring_init; zero means "kernel default". */
struct ref_ring_opts {
	unsigned int flags;		/* IORING_SETUP_* */
	unsigned int cq_entries;	/* with IORING_SETUP_CQSIZE */
	unsigned int sq_thread_idle;	/* ms, with IORING_SETUP_SQPOLL */
};

/* The submission queue as mapped from the kernel, plus our local tail. */
struct ref_sq {
	unsigned int *khead, *ktail, *kflags, *kdropped, *array;
	struct io_uring_sqe *sqes;
	unsigned int mask, entries;
	unsigned int tail;	/* prepared up to here; *ktail is what is published */
	unsigned int cached_head; /* a head seen earlier: never ahead of *khead */
};

struct ref_cq {
	unsigned int *khead, *ktail, *kflags, *koverflow;
	struct io_uring_cqe *cqes;
	unsigned int mask, entries;
};

struct ref_ring {
	int fd;
	unsigned int setup_flags;	/* as the kernel accepted them */
	unsigned int features;		/* IORING_FEAT_* the kernel reported */
	/* The ring fd's index in the registering thread's table of ring fds
	 * (IORING_REGISTER_RING_FDS), or -1; reg_thread is that thread's
	 * serial number (ring.c). */
	int reg_index;
	uint64_t reg_thread;
	struct ref_sq sq;
	struct ref_cq cq;
	void *sq_map, *cq_map, *sqe_map;
	size_t sq_map_len, cq_map_len, sqe_map_len;
};

/* ---- life cycle ---- */

/*
 * Set up a ring of entries SQEs. 0, or the kernel's error (-EINVAL for an
 * unsupported flag, -ENOSYS, -EPERM when io_uring is disabled).
 *
 * Where the kernel has them, two more things save kernel work on every
 * submit: the ring is set up with IORING_SETUP_NO_SQARRAY (6.6; then in
 * setup_flags), and its fd is registered in the calling thread's table of
 * ring fds (5.18; reg_index >= 0). Any thread may use the ring; the one
 * that created it enters by index, the others by fd.
 */
int ref_ring_init(struct ref_ring *ring, unsigned int entries,
		  const struct ref_ring_opts *opts);
/* Drop the fd registration, unmap and close. Free a ring in the thread that
 * created it: only that thread can drop the registration, which otherwise
 * keeps the ring (and its requests) alive until that thread exits. Requests
 * still in flight are the caller's business. */
void ref_ring_free(struct ref_ring *ring);

/* ---- submission ---- */

/*
 * The next SQE slot, not yet zeroed; NULL when the SQ is full.
 * Rule: the SQ is full when tail - head >= entries, with the head loaded with
 * acquire (with SQPOLL a kernel thread moves it while we run). The head is
 * cached: a stale head only understates the free space, so the shared one is
 * read again only when the cached one says "full".
 */
static inline struct io_uring_sqe *ref_ring_next_sqe(struct ref_ring *ring)
{
	struct ref_sq *sq = &ring->sq;

	if (ref_ring_full(sq->cached_head, sq->tail, sq->entries)) {
		sq->cached_head = __atomic_load_n(sq->khead, __ATOMIC_ACQUIRE);
		if (ref_ring_full(sq->cached_head, sq->tail, sq->entries))
			return NULL;
	}
	return &sq->sqes[ref_ring_slot(sq->tail++, sq->mask)];
}

/* A zeroed SQE for the next request, or NULL when the SQ is full.
 * Rule: zero each SQE before use: a reused slot still holds the last
 * request's fields, and a stale flag or field changes the request. */
static inline struct io_uring_sqe *ref_ring_get_sqe(struct ref_ring *ring)
{
	struct io_uring_sqe *sqe = ref_ring_next_sqe(ring);

	if (sqe)
		*sqe = (struct io_uring_sqe){ 0 };
	return sqe;
}

/* The SQE most recently handed out by ref_ring_get_sqe or a ref_prep_*. */
static inline struct io_uring_sqe *ref_ring_last_sqe(struct ref_ring *ring)
{
	return &ring->sq.sqes[ref_ring_slot(ring->sq.tail - 1, ring->sq.mask)];
}

/* SQEs prepared and not yet published to the kernel. */
unsigned int ref_ring_sq_pending(const struct ref_ring *ring);
/* Free SQ slots. */
unsigned int ref_ring_sq_space(const struct ref_ring *ring);

/* Publish prepared SQEs and enter the kernel. Returns how many the kernel
 * consumed, or -errno; -EBUSY/-EAGAIN mean "reap completions, then retry". */
int ref_ring_submit(struct ref_ring *ring);
/* The same, then wait until at least wait_nr CQEs are ready. */
int ref_ring_submit_and_wait(struct ref_ring *ring, unsigned int wait_nr);
/* Wait until wait_nr CQEs are ready, at most *timeout (NULL: no limit).
 * 0, -ETIME on timeout, -EINTR is retried. Submits nothing. */
int ref_ring_wait(struct ref_ring *ring, unsigned int wait_nr,
		  const struct __kernel_timespec *timeout);

/* ---- completion ---- */

/* CQEs ready to reap. Rule: the CQ tail is loaded with acquire (the CQEs
 * before it are then complete); only we write the head. */
static inline unsigned int ref_ring_cq_ready(const struct ref_ring *ring)
{
	return ref_ring_used(*ring->cq.khead,
			     __atomic_load_n(ring->cq.ktail, __ATOMIC_ACQUIRE));
}

/*
 * Reaping in place, without a call per CQE:
 *	unsigned int head, n = ref_ring_cq_peek(ring, &head);
 *	for (unsigned int i = 0; i < n; i++)
 *		use(ref_ring_cqe_at(ring, head + i));
 *	ref_ring_cq_advance(ring, n);
 * The CQEs stay valid until ref_ring_cq_advance. This does not flush the
 * kernel's overflow backlog: ref_ring_for_each_completion does.
 */
static inline unsigned int ref_ring_cq_peek(const struct ref_ring *ring,
					    unsigned int *head)
{
	*head = *ring->cq.khead;
	return ref_ring_used(*head, __atomic_load_n(ring->cq.ktail, __ATOMIC_ACQUIRE));
}

static inline const struct io_uring_cqe *ref_ring_cqe_at(const struct ref_ring *ring,
							 unsigned int counter)
{
	return &ring->cq.cqes[ref_ring_slot(counter, ring->cq.mask)];
}

/* Rule: advance the CQ head with release, after the CQEs were read, so the
 * kernel never overwrites one still being read. */
static inline void ref_ring_cq_advance(struct ref_ring *ring, unsigned int n)
{
	__atomic_store_n(ring->cq.khead, *ring->cq.khead + n, __ATOMIC_RELEASE);
}
/* Call fn on every ready CQE (copied, so fn may submit), mark them seen, and
 * flush the kernel's overflow backlog too. Returns the number reaped. */
typedef void (*ref_cqe_fn)(const struct io_uring_cqe *cqe, void *arg);
unsigned int ref_ring_for_each_completion(struct ref_ring *ring, ref_cqe_fn fn,
					  void *arg);

/* IORING_CQE_F_MORE: the request will post more CQEs (multishot). */
static inline bool ref_cqe_has_more(const struct io_uring_cqe *cqe)
{
	return cqe->flags & IORING_CQE_F_MORE;
}

/* The provided buffer's id, or -1 if the CQE carries none. */
static inline int ref_cqe_buffer_id(const struct io_uring_cqe *cqe)
{
	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return -1;
	return (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
}

/* ---- requests: each returns false when the SQ is full ---- */

/*
 * The fields most requests share. The whole SQE is written at once: the
 * compound literal zeroes every field not named (the "zero each SQE" rule)
 * in the same stores that fill the named ones.
 */
static inline struct io_uring_sqe *ref_prep(struct ref_ring *ring,
					    uint8_t opcode, int fd,
					    const void *addr, unsigned int len,
					    uint64_t offset, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_ring_next_sqe(ring);

	if (sqe)
		*sqe = (struct io_uring_sqe){
			.opcode = opcode,
			.fd = fd,
			.off = offset,
			.addr = (uint64_t)(uintptr_t)addr,
			.len = len,
			.user_data = user_data,
		};
	return sqe;
}

static inline bool ref_prep_nop(struct ref_ring *ring, uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_NOP, -1, NULL, 0, 0, user_data);
}

static inline bool ref_prep_read(struct ref_ring *ring, int fd, void *buf,
				 unsigned int len, uint64_t offset,
				 uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_READ, fd, buf, len, offset, user_data);
}

static inline bool ref_prep_write(struct ref_ring *ring, int fd,
				  const void *buf, unsigned int len,
				  uint64_t offset, uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_WRITE, fd, buf, len, offset, user_data);
}

static inline bool ref_prep_readv(struct ref_ring *ring, int fd,
				  const struct iovec *iov, unsigned int nr_iov,
				  uint64_t offset, uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_READV, fd, iov, nr_iov, offset, user_data);
}

static inline bool ref_prep_writev(struct ref_ring *ring, int fd,
				   const struct iovec *iov, unsigned int nr_iov,
				   uint64_t offset, uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_WRITEV, fd, iov, nr_iov, offset, user_data);
}

/* buf must lie inside registered buffer buf_index. */
static inline bool ref_prep_read_fixed(struct ref_ring *ring, int fd, void *buf,
				       unsigned int len, uint64_t offset,
				       int buf_index, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_READ_FIXED, fd, buf,
					    len, offset, user_data);

	if (sqe)
		sqe->buf_index = (uint16_t)buf_index;
	return sqe;
}

static inline bool ref_prep_write_fixed(struct ref_ring *ring, int fd,
					const void *buf, unsigned int len,
					uint64_t offset, int buf_index,
					uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_WRITE_FIXED, fd, buf,
					    len, offset, user_data);

	if (sqe)
		sqe->buf_index = (uint16_t)buf_index;
	return sqe;
}

/* fsync_flags: 0 or IORING_FSYNC_DATASYNC. */
static inline bool ref_prep_fsync(struct ref_ring *ring, int fd,
				  unsigned int fsync_flags, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_FSYNC, fd, NULL, 0, 0,
					    user_data);

	if (sqe)
		sqe->fsync_flags = fsync_flags;
	return sqe;
}

/* poll_mask: POLLIN etc.; multishot posts a CQE per event (5.13). */
static inline bool ref_prep_poll_add(struct ref_ring *ring, int fd,
				     unsigned int poll_mask, bool multishot,
				     uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_POLL_ADD, fd, NULL,
					    multishot ? IORING_POLL_ADD_MULTI : 0,
					    0, user_data);

	if (!sqe)
		return false;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	/* The kernel reads the 32-bit mask as two swapped 16-bit halves. */
	poll_mask = (poll_mask << 16) | (poll_mask >> 16);
#endif
	sqe->poll32_events = poll_mask;
	return true;
}

/* Complete after *ts, or after count other completions if count > 0.
 * ts must stay valid until the SQE is submitted. len is the number of
 * timespecs (1); off carries the count. */
static inline bool ref_prep_timeout(struct ref_ring *ring,
				    const struct __kernel_timespec *ts,
				    unsigned int count, unsigned int timeout_flags,
				    uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_TIMEOUT, -1, ts, 1,
					    count, user_data);

	if (sqe)
		sqe->timeout_flags = timeout_flags;
	return sqe;
}

/* Bound the previous (IOSQE_IO_LINK-ed) request by *ts. */
static inline bool ref_prep_link_timeout(struct ref_ring *ring,
					 const struct __kernel_timespec *ts,
					 unsigned int timeout_flags,
					 uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_LINK_TIMEOUT, -1, ts,
					    1, 0, user_data);

	if (sqe)
		sqe->timeout_flags = timeout_flags;
	return sqe;
}

/* An IORING_OP_ASYNC_CANCEL; the target's user_data travels in addr. */
static inline bool ref_prep_cancel_request(struct ref_ring *ring, int fd,
					   uint64_t target, unsigned int flags,
					   uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_ASYNC_CANCEL, fd,
					    NULL, 0, 0, user_data);

	if (!sqe)
		return false;
	sqe->addr = target;
	sqe->cancel_flags = flags;
	return true;
}

/* Cancel the request whose user_data is target. flags: 0 or
 * IORING_ASYNC_CANCEL_ALL (5.19). */
static inline bool ref_prep_cancel(struct ref_ring *ring, uint64_t target,
				   unsigned int flags, uint64_t user_data)
{
	return ref_prep_cancel_request(ring, -1, target, flags, user_data);
}

/* Cancel requests on fd (IORING_ASYNC_CANCEL_FD, 5.19); flags may add _ALL. */
static inline bool ref_prep_cancel_fd(struct ref_ring *ring, int fd,
				      unsigned int flags, uint64_t user_data)
{
	return ref_prep_cancel_request(ring, fd, 0, flags | IORING_ASYNC_CANCEL_FD,
				       user_data);
}

/* Cancel any one request, or all with IORING_ASYNC_CANCEL_ALL (5.19). */
static inline bool ref_prep_cancel_any(struct ref_ring *ring,
				       unsigned int flags, uint64_t user_data)
{
	return ref_prep_cancel_request(ring, -1, 0, flags | IORING_ASYNC_CANCEL_ANY,
				       user_data);
}

/* multishot: IORING_ACCEPT_MULTISHOT (5.19), one CQE per connection.
 * off carries the address of the addrlen in/out argument. */
static inline bool ref_prep_accept(struct ref_ring *ring, int fd,
				   struct sockaddr *addr, socklen_t *addrlen,
				   int accept_flags, bool multishot,
				   uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_ACCEPT, fd, addr, 0,
					    (uint64_t)(uintptr_t)addrlen, user_data);

	if (!sqe)
		return false;
	sqe->accept_flags = (uint32_t)accept_flags;
	if (multishot)
		sqe->ioprio |= IORING_ACCEPT_MULTISHOT;
	return true;
}

/* off carries addrlen itself here, not its address. */
static inline bool ref_prep_connect(struct ref_ring *ring, int fd,
				    const struct sockaddr *addr,
				    socklen_t addrlen, uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_CONNECT, fd, addr, 0, addrlen, user_data);
}

static inline bool ref_prep_recv(struct ref_ring *ring, int fd, void *buf,
				 size_t len, int msg_flags, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_RECV, fd, buf,
					    (unsigned int)len, 0, user_data);

	if (sqe)
		sqe->msg_flags = (uint32_t)msg_flags;
	return sqe;
}

static inline bool ref_prep_send(struct ref_ring *ring, int fd,
				 const void *buf, size_t len, int msg_flags,
				 uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_SEND, fd, buf,
					    (unsigned int)len, 0, user_data);

	if (sqe)
		sqe->msg_flags = (uint32_t)msg_flags;
	return sqe;
}

/* Multishot recv (6.0) into buffers picked from provided-buffer group bgid.
 * No buffer of its own: each CQE names the one the kernel picked. */
static inline bool ref_prep_recv_multishot(struct ref_ring *ring, int fd,
					   uint16_t bgid, int msg_flags,
					   uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_RECV, fd, NULL, 0, 0,
					    user_data);

	if (!sqe)
		return false;
	sqe->msg_flags = (uint32_t)msg_flags;
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	sqe->ioprio |= IORING_RECV_MULTISHOT;
	return true;
}

/* path must stay valid until the request completes. */
static inline bool ref_prep_openat(struct ref_ring *ring, int dfd,
				   const char *path, int open_flags,
				   unsigned int mode, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ref_prep(ring, IORING_OP_OPENAT, dfd, path,
					    mode, 0, user_data);

	if (sqe)
		sqe->open_flags = (uint32_t)open_flags;
	return sqe;
}

static inline bool ref_prep_close(struct ref_ring *ring, int fd,
				  uint64_t user_data)
{
	return ref_prep(ring, IORING_OP_CLOSE, fd, NULL, 0, 0, user_data);
}

/* ---- registration ---- */

int ref_ring_register_files(struct ref_ring *ring, const int *fds,
			    unsigned int nr);
int ref_ring_unregister_files(struct ref_ring *ring);
int ref_ring_register_buffers(struct ref_ring *ring, const struct iovec *iov,
			      unsigned int nr);
int ref_ring_unregister_buffers(struct ref_ring *ring);

/* ---- provided-buffer rings (IORING_REGISTER_PBUF_RING, 5.19) ---- */

struct ref_buf_ring {
	struct io_uring_buf_ring *br;	/* page-aligned ring shared with the kernel */
	size_t br_len;
	unsigned char *bufs;		/* entries buffers of buf_size bytes */
	unsigned int entries, mask, buf_size;
	uint16_t bgid;
	uint16_t tail;			/* local; published with a release store */
};

/* Register entries (a power of two, <= 32768) buffers of buf_size bytes
 * under group bgid, all handed to the kernel. 0 or -errno. */
int ref_buf_ring_init(struct ref_ring *ring, struct ref_buf_ring *bufs,
		      unsigned int entries, unsigned int buf_size, uint16_t bgid);
/* Give buffer bid back to the kernel. */
void ref_buf_ring_recycle(struct ref_buf_ring *bufs, uint16_t bid);
/* The memory of buffer bid. */
static inline void *ref_buf_ring_buf(const struct ref_buf_ring *bufs, uint16_t bid)
{
	return bufs->bufs + (size_t)bid * bufs->buf_size;
}
/* Unregister the group and unmap everything. */
int ref_buf_ring_free(struct ref_ring *ring, struct ref_buf_ring *bufs);

#endif /* REF_RING_H */
