/* SPDX-License-Identifier: MIT */
/*
 * ref/epoll.h - an epoll context, written to be read.
 *
 * A thin layer over epoll_create1/epoll_ctl/epoll_pwait that states the
 * rules an epoll user must know, each as a "Rule:" comment in epoll.c next
 * to the code that obeys it or helps with it. Conventions as in ref/ring.h:
 * functions return 0 (or a count) or a negative errno; errors never come
 * back through errno (its value after a call means nothing).
 *
 * What a user must know (epoll(7), epoll_ctl(2), DESIGN.md section 7):
 * - epoll has no cancel: EPOLL_CTL_DEL (ref_epoll_del) is the equivalent.
 *   Once it returns, no later wait reports the fd.
 * - A watch belongs to the open file description, not to the fd number:
 *   closing one fd of a dup'd file removes nothing, and events keep coming
 *   (with the registered data) until every fd of that file is closed. The
 *   closed number can no longer be deleted (EBADF, or ENOENT once reused)
 *   and a duplicate was never registered (ENOENT). So delete, then close:
 *   ref_epoll_close() does both in that order.
 * - Level-triggered (the default): an event that is not handled (data left
 *   unread) makes every wait report it again at once.
 * - Edge-triggered (EPOLLET): an event is reported once per change of
 *   state; read until EAGAIN before waiting again, or no further event
 *   comes for the data already there. ref_epoll_drain() does that reading.
 * - EPOLLONESHOT: after one event the watch is disabled (still registered)
 *   until ref_epoll_mod() re-arms it.
 * - EPOLLEXCLUSIVE (4.5) only with ref_epoll_add(); ref_epoll_mod() refuses
 *   it with -EINVAL, as the kernel does.
 */
#ifndef REF_EPOLL_H
#define REF_EPOLL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/types.h>

struct ref_epoll {
	int fd;		/* the epoll instance; -1 once freed */
};

/* A new epoll instance (close-on-exec). 0, or -errno (-EMFILE, -ENOMEM...). */
int ref_epoll_init(struct ref_epoll *ep);
/* Close the instance; every watch in it goes with it. Safe to call twice. */
void ref_epoll_free(struct ref_epoll *ep);

/*
 * Watch fd for events (EPOLLIN, EPOLLOUT, ... plus EPOLLET, EPOLLONESHOT,
 * EPOLLEXCLUSIVE); data comes back in every event of this watch.
 * 0, or -errno: -EEXIST already watched, -EBADF, -EPERM for an fd epoll
 * cannot watch (a regular file, a directory), -EINVAL for the instance's
 * own fd or a flag combination EPOLLEXCLUSIVE does not allow, -ELOOP.
 */
int ref_epoll_add(struct ref_epoll *ep, int fd, uint32_t events, uint64_t data);
/*
 * Change the events and data of the watch on fd; re-arms an EPOLLONESHOT
 * watch. 0, or -errno: -ENOENT not watched, -EINVAL with EPOLLEXCLUSIVE
 * (refused here, before the kernel is asked) or for a watch added with it.
 */
int ref_epoll_mod(struct ref_epoll *ep, int fd, uint32_t events, uint64_t data);
/*
 * Stop watching fd: the cancel of epoll. Events of fd collected by an
 * earlier wait are not withdrawn from that wait's array. 0, or -errno:
 * -ENOENT not watched (under this number and open file description).
 */
int ref_epoll_del(struct ref_epoll *ep, int fd);
/*
 * Delete the watch on fd, then close fd, in that order (the fd is closed
 * even when the delete fails). Returns the delete's result, or close's
 * error if only that failed. Use this, not close(), on a watched fd.
 */
int ref_epoll_close(struct ref_epoll *ep, int fd);

/*
 * Wait up to timeout_ms milliseconds (-1: no limit; 0: do not wait) for
 * events; store up to max of them in events. With sigmask non-NULL it is
 * the signal mask during the wait (epoll_pwait). Returns the number of
 * events, 0 when the time ran out, or -errno (-EINVAL for max <= 0).
 *
 * A signal handler interrupting the wait does not end it: the wait goes on
 * until the same deadline. To be woken by a signal, have its handler make
 * a watched fd ready (write to a pipe or an eventfd in the set).
 */
int ref_epoll_wait(struct ref_epoll *ep, struct epoll_event *events, int max,
		   int timeout_ms, const sigset_t *sigmask);

/* Called by ref_epoll_dispatch for each event: its mask and its data. */
typedef void (*ref_epoll_fn)(void *arg, uint32_t events, uint64_t data);

/* Events ref_epoll_dispatch takes from one wait at most. */
#define REF_EPOLL_BATCH 32

/*
 * Wait once (as ref_epoll_wait, no sigmask) for up to REF_EPOLL_BATCH
 * events and call fn for each, in the order the kernel gave them.
 * Returns the number of calls made (0 when the time ran out), or -errno.
 * A watch fn deletes may still have an event later in the same batch.
 */
int ref_epoll_dispatch(struct ref_epoll *ep, int timeout_ms, ref_epoll_fn fn,
		       void *arg);

/* Called by ref_epoll_drain for each chunk read; len 0 at end of file. */
typedef void (*ref_epoll_data_fn)(void *arg, const void *data, size_t len);

/*
 * Read fd until read(2) says EAGAIN (or end of file), passing each chunk
 * to fn: what an edge-triggered watch needs before the next wait. fd must
 * be non-blocking (-EINVAL otherwise: once empty, a blocking read would
 * hang). Returns the bytes read, or -errno of a failed read.
 */
ssize_t ref_epoll_drain(int fd, ref_epoll_data_fn fn, void *arg);

#endif /* REF_EPOLL_H */
