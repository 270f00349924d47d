// SPDX-License-Identifier: MIT
/*
 * ref/ring.c - an io_uring ring on raw syscalls. See ref/ring.h for the API.
 *
 * Comments starting "Rule:" are the ring rules of ../shared/DESIGN.md
 * section 6, each next to the code that obeys it.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "ref/ring.h"

/* ------------------------------------------------------------------ */
/* syscalls and shared-memory access                                   */
/* ------------------------------------------------------------------ */

static int sys_setup(unsigned int entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

/*
 * io_uring_enter, returning -errno instead of setting errno. It is on the
 * hot path, so on x86-64 it is the syscall instruction itself (glibc's
 * syscall() adds an errno store and a call per submit: measured in bench/).
 */
static int sys_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		     unsigned int flags, void *arg, size_t argsz)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = (long)flags;
	register long r8 __asm__("r8") = (long)arg;
	register long r9 __asm__("r9") = (long)argsz;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)__NR_io_uring_enter), "D"((long)fd),
			   "S"((long)to_submit), "d"((long)min_complete),
			   "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return (int)ret;
#else
	int ret = (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			       flags, arg, argsz);

	return ret < 0 ? -errno : ret;
#endif
}

static int sys_register(int fd, unsigned int opcode, const void *arg,
			unsigned int nr)
{
	return (int)syscall(__NR_io_uring_register, fd, opcode, arg, nr);
}

/* What the kernel writes, we read with acquire: the data it wrote before
 * moving the index is then visible to us. */
static unsigned int load_acquire(const unsigned int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* What we publish, we write with release: the data we wrote before moving
 * the index is then visible to the kernel. */
static void store_release(unsigned int *p, unsigned int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ */
/* the registered ring fd                                              */
/* ------------------------------------------------------------------ */

/*
 * Rule: a registered ring fd (IORING_REGISTER_RING_FDS, 5.18) is an index
 * into a table that belongs to the task (thread) that registered it.
 * io_uring_enter takes the index with IORING_ENTER_REGISTERED_RING and skips
 * the fd table on every call. Another thread, or a forked child, has a table
 * of its own in which the same index names another ring or nothing, so they
 * must enter by fd.
 *
 * So a ring remembers which thread registered it by a serial number: given
 * to a thread when it first registers a ring, never given again. A new
 * thread starts with 0 (thread-local storage starts zeroed, even where the
 * thread reuses an exited thread's memory), and a forked child's thread is
 * set back to 0. (pthread_self() would not do: a new thread may get an
 * exited thread's pthread_t, and a forked child keeps its parent's.)
 */
static __thread uint64_t thread_serial;
static uint64_t serials_given;
static pthread_once_t fork_handler_once = PTHREAD_ONCE_INIT;

static void forget_thread_serial(void)
{
	thread_serial = 0;
}

static void install_fork_handler(void)
{
	pthread_atfork(NULL, NULL, forget_thread_serial);
}

static uint64_t this_thread_serial(void)
{
	if (!thread_serial)
		thread_serial = __atomic_add_fetch(&serials_given, 1,
						   __ATOMIC_RELAXED);
	return thread_serial;
}

/* Registered rings have a non-zero reg_thread: a thread with serial 0 never
 * registered anything, so it never matches. */
static bool enter_by_index(const struct ref_ring *ring)
{
	return ring->reg_index >= 0 && ring->reg_thread == thread_serial;
}

/* Register the ring fd in this thread's table. On kernels before 5.18
 * (-EINVAL) or with the table full (-EBUSY: 16 per thread) the ring simply
 * enters by fd. */
static void register_ring_fd(struct ref_ring *ring)
{
	struct io_uring_rsrc_update reg = {
		.offset = -1U,	/* any free slot; the kernel writes it back */
		.data = (uint64_t)ring->fd,
	};

	pthread_once(&fork_handler_once, install_fork_handler);
	if (sys_register(ring->fd, IORING_REGISTER_RING_FDS, &reg, 1) != 1)
		return;
	ring->reg_index = (int)reg.offset;
	ring->reg_thread = this_thread_serial();
}

/* Rule: the registration holds a reference to the ring of its own: close()
 * alone would leave the ring alive until the registering thread exits. Only
 * that thread can drop it. */
static void unregister_ring_fd(struct ref_ring *ring)
{
	struct io_uring_rsrc_update reg = { .offset = (unsigned int)ring->reg_index };

	if (enter_by_index(ring))
		(void)sys_register(ring->fd, IORING_UNREGISTER_RING_FDS, &reg, 1);
	ring->reg_index = -1;
}

/* One io_uring_enter, by index where this thread may use it. */
static int enter_once(struct ref_ring *ring, unsigned int to_submit,
		      unsigned int min_complete, unsigned int flags,
		      void *arg, size_t argsz)
{
	int fd = ring->fd;

	if (enter_by_index(ring)) {
		fd = ring->reg_index;
		flags |= IORING_ENTER_REGISTERED_RING;
	}
	return sys_enter(fd, to_submit, min_complete, flags, arg, argsz);
}

/* Enter the kernel; Rule: retry EINTR (nothing was submitted then). */
static int enter(struct ref_ring *ring, unsigned int to_submit,
		 unsigned int min_complete, unsigned int flags)
{
	int ret;

	do
		ret = enter_once(ring, to_submit, min_complete, flags, NULL, 0);
	while (ret == -EINTR);
	return ret;
}

/*
 * Rule: enter with IORING_ENTER_GETEVENTS when IORING_SQ_CQ_OVERFLOW is set
 * (completions wait in the kernel's backlog for room in the CQ) or
 * IORING_SQ_TASKRUN is set (task work must run to post completions).
 */
static bool cq_needs_enter(const struct ref_ring *ring)
{
	return load_acquire(ring->sq.kflags) &
	       (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN);
}

/* ------------------------------------------------------------------ */
/* life cycle                                                          */
/* ------------------------------------------------------------------ */

static void *map_ring(int fd, size_t len, off_t offset)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, fd, offset);

	return p == MAP_FAILED ? NULL : p;
}

static int map_rings(struct ref_ring *ring, const struct io_uring_params *p)
{
	struct ref_sq *sq = &ring->sq;
	struct ref_cq *cq = &ring->cq;
	unsigned char *sqm, *cqm;

	/* Rule: a ring set up with IORING_SETUP_NO_SQARRAY has no SQ index
	 * array; its SQ fields sit in the one mapping sized for the CQ ring. */
	if (p->flags & REF_IORING_SETUP_NO_SQARRAY)
		ring->sq_map_len = 0;
	else
		ring->sq_map_len = p->sq_off.array +
				   p->sq_entries * sizeof(unsigned int);
	ring->cq_map_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	/* Rule: one mapping serves both rings when IORING_FEAT_SINGLE_MMAP. */
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		if (ring->cq_map_len > ring->sq_map_len)
			ring->sq_map_len = ring->cq_map_len;
		ring->cq_map_len = ring->sq_map_len;
	}
	ring->sq_map = map_ring(ring->fd, ring->sq_map_len, IORING_OFF_SQ_RING);
	if (!ring->sq_map)
		return -errno;
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		ring->cq_map = ring->sq_map;
	} else {
		ring->cq_map = map_ring(ring->fd, ring->cq_map_len, IORING_OFF_CQ_RING);
		if (!ring->cq_map)
			return -errno;
	}
	/* Rule: the SQE array is a mapping of its own, at IORING_OFF_SQES. */
	ring->sqe_map_len = p->sq_entries * sizeof(struct io_uring_sqe);
	ring->sqe_map = map_ring(ring->fd, ring->sqe_map_len, IORING_OFF_SQES);
	if (!ring->sqe_map)
		return -errno;

	sqm = ring->sq_map;
	sq->khead = (unsigned int *)(sqm + p->sq_off.head);
	sq->ktail = (unsigned int *)(sqm + p->sq_off.tail);
	sq->kflags = (unsigned int *)(sqm + p->sq_off.flags);
	sq->kdropped = (unsigned int *)(sqm + p->sq_off.dropped);
	sq->array = NULL;
	if (!(p->flags & REF_IORING_SETUP_NO_SQARRAY))
		sq->array = (unsigned int *)(sqm + p->sq_off.array);
	sq->mask = *(unsigned int *)(sqm + p->sq_off.ring_mask);
	sq->entries = *(unsigned int *)(sqm + p->sq_off.ring_entries);
	sq->sqes = ring->sqe_map;
	sq->tail = *sq->ktail;
	sq->cached_head = *sq->khead;

	cqm = ring->cq_map;
	cq->khead = (unsigned int *)(cqm + p->cq_off.head);
	cq->ktail = (unsigned int *)(cqm + p->cq_off.tail);
	cq->kflags = (unsigned int *)(cqm + p->cq_off.flags);
	cq->koverflow = (unsigned int *)(cqm + p->cq_off.overflow);
	cq->cqes = (struct io_uring_cqe *)(cqm + p->cq_off.cqes);
	cq->mask = *(unsigned int *)(cqm + p->cq_off.ring_mask);
	cq->entries = *(unsigned int *)(cqm + p->cq_off.ring_entries);

	/* Rule: fill the SQ index array once: slot i always names SQE i, so
	 * preparing a request never touches the array again. */
	for (unsigned int i = 0; sq->array && i < sq->entries; i++)
		sq->array[i] = i;
	return 0;
}

/*
 * io_uring_setup, asking for IORING_SETUP_NO_SQARRAY (6.6) on top of the
 * caller's flags. Rule: without the index array the kernel takes SQE i for
 * ring index i, one load less per SQE. A kernel before 6.6 rejects the
 * unknown flag with -EINVAL; then set up again as asked, so that any error
 * returned is the kernel's answer to the caller's own flags.
 */
static int setup(unsigned int entries, struct io_uring_params *p)
{
	struct io_uring_params asked = *p;
	int fd;

	if (!(asked.flags & REF_IORING_SETUP_NO_SQARRAY)) {
		p->flags |= REF_IORING_SETUP_NO_SQARRAY;
		fd = sys_setup(entries, p);
		if (fd >= 0 || errno != EINVAL)
			return fd >= 0 ? fd : -errno;
		*p = asked;
	}
	fd = sys_setup(entries, p);
	return fd >= 0 ? fd : -errno;
}

int ref_ring_init(struct ref_ring *ring, unsigned int entries,
		  const struct ref_ring_opts *opts)
{
	struct io_uring_params p;
	int ret;

	memset(ring, 0, sizeof(*ring));
	ring->fd = -1;
	ring->reg_index = -1;
	memset(&p, 0, sizeof(p));
	if (opts) {
		p.flags = opts->flags;
		p.cq_entries = opts->cq_entries;
		p.sq_thread_idle = opts->sq_thread_idle;
	}
	/* 128-byte SQEs and 32-byte CQEs change every index computation
	 * below; this ring does not implement them. */
	if (p.flags & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
		return -EOPNOTSUPP;
	ret = setup(entries, &p);
	if (ret < 0)
		return ret;
	ring->fd = ret;
	ring->setup_flags = p.flags;
	ring->features = p.features;
	ret = map_rings(ring, &p);
	if (ret < 0) {
		ref_ring_free(ring);
		return ret;
	}
	register_ring_fd(ring);
	return 0;
}

void ref_ring_free(struct ref_ring *ring)
{
	if (ring->reg_index >= 0)
		unregister_ring_fd(ring);
	if (ring->sqe_map)
		munmap(ring->sqe_map, ring->sqe_map_len);
	if (ring->cq_map && ring->cq_map != ring->sq_map)
		munmap(ring->cq_map, ring->cq_map_len);
	if (ring->sq_map)
		munmap(ring->sq_map, ring->sq_map_len);
	if (ring->fd >= 0)
		close(ring->fd);
	memset(ring, 0, sizeof(*ring));
	ring->fd = -1;
	ring->reg_index = -1;
}

/* ------------------------------------------------------------------ */
/* submission                                                          */
/* ------------------------------------------------------------------ */

unsigned int ref_ring_sq_pending(const struct ref_ring *ring)
{
	return ring->sq.tail - *ring->sq.ktail;
}

unsigned int ref_ring_sq_space(const struct ref_ring *ring)
{
	return ref_ring_space(load_acquire(ring->sq.khead), ring->sq.tail,
			      ring->sq.entries);
}

/* Rule: publish the tail with a release store, after the SQEs are filled. */
static unsigned int publish_sqes(struct ref_ring *ring)
{
	unsigned int published = ring->sq.tail - *ring->sq.ktail;

	store_release(ring->sq.ktail, ring->sq.tail);
	return published;
}

static int submit(struct ref_ring *ring, unsigned int wait_nr)
{
	struct ref_sq *sq = &ring->sq;
	unsigned int published = publish_sqes(ring);
	unsigned int flags = 0;
	int ret;

	/* Rule: enter with IORING_ENTER_GETEVENTS when waiting, or when
	 * completions need the kernel's help to reach the CQ. */
	if (wait_nr || cq_needs_enter(ring))
		flags |= IORING_ENTER_GETEVENTS;

	if (!(ring->setup_flags & IORING_SETUP_SQPOLL)) {
		/* Everything published that the kernel has not consumed yet:
		 * after an -EBUSY earlier SQEs may still wait here. Without
		 * SQPOLL only io_uring_enter moves the head: a plain load. */
		unsigned int to_submit = sq->tail - *sq->khead;

		if (!to_submit && !flags)
			return 0;
		return enter(ring, to_submit, wait_nr, flags);
	}

	/* Rule: with SQPOLL a full fence comes between the tail store and
	 * reading IORING_SQ_NEED_WAKEUP. Otherwise the flag may be read stale
	 * while the thread falls asleep, and nobody wakes it for the SQEs just
	 * published. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(sq->kflags, __ATOMIC_RELAXED) & IORING_SQ_NEED_WAKEUP)
		flags |= IORING_ENTER_SQ_WAKEUP;
	if (!flags)
		return (int)published;	/* the thread takes them: no syscall */
	ret = enter(ring, published, wait_nr, flags);
	return ret < 0 ? ret : (int)published;
}

int ref_ring_submit(struct ref_ring *ring)
{
	return submit(ring, 0);
}

int ref_ring_submit_and_wait(struct ref_ring *ring, unsigned int wait_nr)
{
	return submit(ring, wait_nr);
}

static double monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for CQEs with a timeout: the kernel's own timeout where it has one
 * (IORING_FEAT_EXT_ARG, 5.11); before that, poll(2) on the ring fd, which is
 * readable while CQEs are ready. Either way no request is queued for it. */
static int wait_until(struct ref_ring *ring, unsigned int wait_nr, double deadline)
{
	double left = deadline - monotonic_now();
	int ret;

	if (left <= 0)
		return -ETIME;
	if (ring->features & IORING_FEAT_EXT_ARG) {
		struct __kernel_timespec ts = {
			.tv_sec = (long long)left,
			.tv_nsec = (long long)((left - (double)(long long)left) * 1e9),
		};
		struct io_uring_getevents_arg arg = {
			.sigmask_sz = _NSIG / 8,
			.ts = (uint64_t)(uintptr_t)&ts,
		};

		ret = enter_once(ring, 0, wait_nr,
				IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
				&arg, sizeof(arg));
		return ret < 0 && ret != -EINTR ? ret : 0;
	} else {
		struct pollfd pfd = { .fd = ring->fd, .events = POLLIN };

		ret = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (ret < 0 && errno != EINTR)
			return -errno;
		return ret == 0 ? -ETIME : 0;
	}
}

int ref_ring_wait(struct ref_ring *ring, unsigned int wait_nr,
		  const struct __kernel_timespec *timeout)
{
	double deadline = 0;

	if (timeout)
		deadline = monotonic_now() + (double)timeout->tv_sec +
			   (double)timeout->tv_nsec / 1e9;
	for (;;) {
		int ret;

		/* Enough ready: done. Flush a backlog once, but do not wait
		 * for it to clear: while the CQ is full IORING_SQ_CQ_OVERFLOW
		 * stays set until the caller reaps, and waiting for it would
		 * spin (to the deadline, or forever without a timeout). */
		if (ref_ring_cq_ready(ring) >= wait_nr) {
			if (cq_needs_enter(ring))
				(void)enter(ring, 0, 0, IORING_ENTER_GETEVENTS);
			return 0;
		}
		if (!timeout)
			ret = enter(ring, 0, wait_nr, IORING_ENTER_GETEVENTS);
		else
			ret = wait_until(ring, wait_nr, deadline);
		if (ret < 0)
			return ret;
		/* A wait woken with too few CQEs ready goes round again; the
		 * deadline stays where it was. */
	}
}

/* ------------------------------------------------------------------ */
/* completion                                                          */
/* ------------------------------------------------------------------ */

unsigned int ref_ring_for_each_completion(struct ref_ring *ring, ref_cqe_fn fn,
					  void *arg)
{
	struct ref_cq *cq = &ring->cq;
	unsigned int reaped = 0;

	for (;;) {
		unsigned int head = *cq->khead;
		unsigned int tail = load_acquire(cq->ktail);

		while (head != tail) {
			/* Copy the CQE: once the head passes it the kernel may
			 * write the slot again, and fn may submit and wait. */
			struct io_uring_cqe cqe = cq->cqes[ref_ring_slot(head, cq->mask)];

			head++;
			/* Rule: advance the head with release, after the CQE
			 * was read, so the kernel never overwrites it early. */
			store_release(cq->khead, head);
			fn(&cqe, arg);
			reaped++;
		}
		/* Rule: flush the overflow backlog (and pending task work):
		 * now that the CQ has room, GETEVENTS moves held-back CQEs in.
		 * With IORING_FEAT_NODROP nothing is lost this way. */
		if (!cq_needs_enter(ring))
			break;
		if (enter(ring, 0, 0, IORING_ENTER_GETEVENTS) < 0 ||
		    ref_ring_cq_ready(ring) == 0)
			break;
	}
	return reaped;
}

/* ------------------------------------------------------------------ */
/* registration                                                        */
/* ------------------------------------------------------------------ */

static int do_register(struct ref_ring *ring, unsigned int opcode,
		       const void *arg, unsigned int nr)
{
	return sys_register(ring->fd, opcode, arg, nr) < 0 ? -errno : 0;
}

int ref_ring_register_files(struct ref_ring *ring, const int *fds,
			    unsigned int nr)
{
	return do_register(ring, IORING_REGISTER_FILES, fds, nr);
}

int ref_ring_unregister_files(struct ref_ring *ring)
{
	return do_register(ring, IORING_UNREGISTER_FILES, NULL, 0);
}

int ref_ring_register_buffers(struct ref_ring *ring, const struct iovec *iov,
			      unsigned int nr)
{
	return do_register(ring, IORING_REGISTER_BUFFERS, iov, nr);
}

int ref_ring_unregister_buffers(struct ref_ring *ring)
{
	return do_register(ring, IORING_UNREGISTER_BUFFERS, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* provided-buffer rings                                               */
/* ------------------------------------------------------------------ */

/* Put buffer bid in the next ring entry; the kernel sees it once published. */
static void buf_ring_add(struct ref_buf_ring *b, uint16_t bid)
{
	struct io_uring_buf *buf = &b->br->bufs[b->tail & b->mask];

	buf->addr = (uint64_t)(uintptr_t)ref_buf_ring_buf(b, bid);
	buf->len = b->buf_size;
	buf->bid = bid;
	b->tail++;
}

/* Rule: the tail is a u16 at byte 14 of the ring, overlaying bufs[0].resv;
 * publish it with a release store so the entries written before are seen. */
static void buf_ring_publish(struct ref_buf_ring *b)
{
	__atomic_store_n(&b->br->tail, b->tail, __ATOMIC_RELEASE);
}

int ref_buf_ring_init(struct ref_ring *ring, struct ref_buf_ring *b,
		      unsigned int entries, unsigned int buf_size, uint16_t bgid)
{
	struct io_uring_buf_reg reg;
	void *mem;
	int ret;

	memset(b, 0, sizeof(*b));
	/* Rule: a power of two entries, at most 32768. */
	if (!entries || entries > 32768 || (entries & (entries - 1)) || !buf_size)
		return -EINVAL;
	/* Rule: the ring is page-aligned; mmap gives exactly that. */
	b->br_len = entries * sizeof(struct io_uring_buf);
	mem = mmap(NULL, b->br_len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	b->br = mem;
	mem = mmap(NULL, (size_t)entries * buf_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		ret = -errno;
		munmap(b->br, b->br_len);
		memset(b, 0, sizeof(*b));
		return ret;
	}
	b->bufs = mem;
	b->entries = entries;
	b->mask = entries - 1;
	b->buf_size = buf_size;
	b->bgid = bgid;

	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uint64_t)(uintptr_t)b->br;
	reg.ring_entries = entries;
	reg.bgid = bgid;
	ret = do_register(ring, IORING_REGISTER_PBUF_RING, &reg, 1);
	if (ret < 0) {
		munmap(b->bufs, (size_t)entries * buf_size);
		munmap(b->br, b->br_len);
		memset(b, 0, sizeof(*b));
		return ret;
	}
	for (unsigned int bid = 0; bid < entries; bid++)
		buf_ring_add(b, (uint16_t)bid);
	buf_ring_publish(b);
	return 0;
}

void ref_buf_ring_recycle(struct ref_buf_ring *b, uint16_t bid)
{
	buf_ring_add(b, bid);
	buf_ring_publish(b);
}

int ref_buf_ring_free(struct ref_ring *ring, struct ref_buf_ring *b)
{
	struct io_uring_buf_reg reg;
	int ret;

	if (!b->br)
		return 0;
	memset(&reg, 0, sizeof(reg));
	reg.bgid = b->bgid;
	ret = do_register(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
	munmap(b->bufs, (size_t)b->entries * b->buf_size);
	munmap(b->br, b->br_len);
	memset(b, 0, sizeof(*b));
	return ret;
}
