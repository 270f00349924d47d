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
};

struct ref_cq {
	unsigned int *khead, *ktail, *kflags, *koverflow;
	struct io_uring_cqe *cqes;
	unsigned int mask, entries;
};

struct ref_ring {
	int fd;
	unsigned int setup_flags;	/* as given to io_uring_setup */
	unsigned int features;		/* IORING_FEAT_* the kernel reported */
	struct ref_sq sq;
	struct ref_cq cq;
	void *sq_map, *cq_map, *sqe_map;
	size_t sq_map_len, cq_map_len, sqe_map_len;
};

/* ---- life cycle ---- */

/* Set up a ring of entries SQEs. 0, or the kernel's error (-EINVAL for an
 * unsupported flag, -ENOSYS, -EPERM when io_uring is disabled). */
int ref_ring_init(struct ref_ring *ring, unsigned int entries,
		  const struct ref_ring_opts *opts);
/* Unmap and close. Requests still in flight are the caller's business. */
void ref_ring_free(struct ref_ring *ring);

/* ---- submission ---- */

/* A zeroed SQE for the next request, or NULL when the SQ is full. */
struct io_uring_sqe *ref_ring_get_sqe(struct ref_ring *ring);
/* The SQE most recently handed out by ref_ring_get_sqe or a ref_prep_*. */
struct io_uring_sqe *ref_ring_last_sqe(struct ref_ring *ring);
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

/* CQEs ready to reap. */
unsigned int ref_ring_cq_ready(const struct ref_ring *ring);
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

bool ref_prep_nop(struct ref_ring *ring, uint64_t user_data);
bool ref_prep_read(struct ref_ring *ring, int fd, void *buf, unsigned int len,
		   uint64_t offset, uint64_t user_data);
bool ref_prep_write(struct ref_ring *ring, int fd, const void *buf,
		    unsigned int len, uint64_t offset, uint64_t user_data);
bool ref_prep_readv(struct ref_ring *ring, int fd, const struct iovec *iov,
		    unsigned int nr_iov, uint64_t offset, uint64_t user_data);
bool ref_prep_writev(struct ref_ring *ring, int fd, const struct iovec *iov,
		     unsigned int nr_iov, uint64_t offset, uint64_t user_data);
/* buf must lie inside registered buffer buf_index. */
bool ref_prep_read_fixed(struct ref_ring *ring, int fd, void *buf,
			 unsigned int len, uint64_t offset, int buf_index,
			 uint64_t user_data);
bool ref_prep_write_fixed(struct ref_ring *ring, int fd, const void *buf,
			  unsigned int len, uint64_t offset, int buf_index,
			  uint64_t user_data);
/* fsync_flags: 0 or IORING_FSYNC_DATASYNC. */
bool ref_prep_fsync(struct ref_ring *ring, int fd, unsigned int fsync_flags,
		    uint64_t user_data);
/* poll_mask: POLLIN etc.; multishot posts a CQE per event (5.13). */
bool ref_prep_poll_add(struct ref_ring *ring, int fd, unsigned int poll_mask,
		       bool multishot, uint64_t user_data);
/* Complete after *ts, or after count other completions if count > 0.
 * ts must stay valid until the SQE is submitted. */
bool ref_prep_timeout(struct ref_ring *ring, const struct __kernel_timespec *ts,
		      unsigned int count, unsigned int timeout_flags,
		      uint64_t user_data);
/* Bound the previous (IOSQE_IO_LINK-ed) request by *ts. */
bool ref_prep_link_timeout(struct ref_ring *ring,
			   const struct __kernel_timespec *ts,
			   unsigned int timeout_flags, uint64_t user_data);
/* Cancel the request whose user_data is target. flags: 0 or
 * IORING_ASYNC_CANCEL_ALL (5.19). */
bool ref_prep_cancel(struct ref_ring *ring, uint64_t target,
		     unsigned int flags, uint64_t user_data);
/* Cancel requests on fd (IORING_ASYNC_CANCEL_FD, 5.19); flags may add _ALL. */
bool ref_prep_cancel_fd(struct ref_ring *ring, int fd, unsigned int flags,
			uint64_t user_data);
/* Cancel any one request, or all with IORING_ASYNC_CANCEL_ALL (5.19). */
bool ref_prep_cancel_any(struct ref_ring *ring, unsigned int flags,
			 uint64_t user_data);
/* multishot: IORING_ACCEPT_MULTISHOT (5.19), one CQE per connection. */
bool ref_prep_accept(struct ref_ring *ring, int fd, struct sockaddr *addr,
		     socklen_t *addrlen, int accept_flags, bool multishot,
		     uint64_t user_data);
bool ref_prep_connect(struct ref_ring *ring, int fd,
		      const struct sockaddr *addr, socklen_t addrlen,
		      uint64_t user_data);
bool ref_prep_recv(struct ref_ring *ring, int fd, void *buf, size_t len,
		   int msg_flags, uint64_t user_data);
bool ref_prep_send(struct ref_ring *ring, int fd, const void *buf, size_t len,
		   int msg_flags, uint64_t user_data);
/* Multishot recv (6.0) into buffers picked from provided-buffer group bgid. */
bool ref_prep_recv_multishot(struct ref_ring *ring, int fd, uint16_t bgid,
			     int msg_flags, uint64_t user_data);
/* path must stay valid until the request completes. */
bool ref_prep_openat(struct ref_ring *ring, int dfd, const char *path,
		     int open_flags, unsigned int mode, uint64_t user_data);
bool ref_prep_close(struct ref_ring *ring, int fd, uint64_t user_data);

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
