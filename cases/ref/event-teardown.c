// SPDX-License-Identifier: MIT
/*
 * ref/event-teardown: ref_driver_free() of the reference driver
 * (ref/event.c) with operations in flight on a real ring: blocked reads, a
 * read cancelled earlier without asking, a read prepared but never
 * submitted, an accept waiting, an accept whose connection came in but whose
 * CQE was not reaped, and a multishot recv. Teardown cancels everything,
 * drains every final completion and releases every cancellation exactly
 * once; nothing stays in flight and no fd is leaked (built with ASan, no
 * memory either).
 * Sources: ref/event.h ("Teardown: cancel everything in flight, drain every
 * final completion, release every cancellation"), DESIGN.md section 7,
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL.
 */
#include <sys/un.h>

#include "conform_ref.h"

/* Per event kind: releases and what its cancellation saw. */
enum { K_READ, K_ACCEPT, K_RECV, NKINDS };
static int releases[NKINDS], late_cqes[NKINDS], late_ecanceled[NKINDS];
static int late_fds[4], nlate_fds;

struct watched {
	int kind;
	struct ref_cancellation inner;
};

static void watched_completed(void *data, const struct io_uring_cqe *cqe)
{
	struct watched *w = data;

	late_cqes[w->kind]++;
	late_ecanceled[w->kind] += cqe->res == -ECANCELED;
	if (w->kind == K_ACCEPT && cqe->res >= 0 && nlate_fds < 4)
		late_fds[nlate_fds++] = cqe->res;
	if (w->inner.completed)
		w->inner.completed(w->inner.data, cqe);
}

static void watched_release(void *data)
{
	struct watched *w = data;

	releases[w->kind]++;
	if (w->inner.release)
		w->inner.release(w->inner.data);
	free(w);
}

static struct ref_cancellation watch(int kind, struct ref_cancellation inner)
{
	struct watched *w = malloc(sizeof(*w));
	struct ref_cancellation c = {
		.data = w, .completed = watched_completed, .release = watched_release,
	};

	if (!w)
		abort();
	w->kind = kind;
	w->inner = inner;
	return c;
}

static struct ref_cancellation read_cancel(void *event)
{
	return watch(K_READ, ref_read_ops.cancel(event));
}

static struct ref_cancellation accept_cancel(void *event)
{
	return watch(K_ACCEPT, ref_accept_ops.cancel(event));
}

static struct ref_cancellation recv_cancel(void *event)
{
	return watch(K_RECV, ref_recv_multishot_ops.cancel(event));
}

enum { NREADS = 4 };

struct scene {
	struct ref_ring ring;
	struct ref_driver drv;
	struct ref_event_ops rops, aops;
	struct ref_io_event reads[NREADS];
	struct ref_accept_event acc[2];
	struct sockaddr_un addr;
	int p[2], lfd, client;
	int fds_before;
};

/*
 * Reads 0,1 blocked on an empty pipe; read 2 blocked, cancelled without
 * asking; read 3 prepared, never submitted; accept 0 waiting; accept 1 with
 * its connection in (CQE posted, not reaped).
 */
static void build_scene(struct __test_metadata *_metadata, struct scene *s)
{
	struct __kernel_timespec ts = { .tv_sec = 2 };
	ref_event_id id;

	s->fds_before = ref_case_count_open_fds();
	ASSERT_EQ(0, conform_pipe(s->p));
	s->lfd = ref_case_unix_listener("sock", &s->addr);
	ASSERT_LE(0, s->lfd);
	ASSERT_EQ(0, ref_ring_init(&s->ring, 16, NULL));
	ASSERT_EQ(0, ref_driver_init(&s->drv, &s->ring, 16));
	s->rops = ref_read_ops;
	s->rops.cancel = read_cancel;
	s->aops = ref_accept_ops;
	s->aops.cancel = accept_cancel;
	for (int i = 0; i < NREADS; i++)
		ASSERT_EQ(0, ref_read_event_init(&s->reads[i], s->p[0], 8, 0));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, ref_driver_start(&s->drv, &s->reads[i], &s->rops, &id));
	ASSERT_EQ(3, ref_driver_submit(&s->drv));
	ASSERT_EQ(0, ref_driver_cancel(&s->drv, id, false));	/* read 2 */
	memset(s->acc, 0, sizeof(s->acc));
	s->acc[0].fd = s->acc[1].fd = s->lfd;
	ASSERT_EQ(0, ref_driver_start(&s->drv, &s->acc[0], &s->aops, &id));
	ASSERT_EQ(1, ref_driver_submit(&s->drv));
	ASSERT_EQ(0, ref_driver_start(&s->drv, &s->acc[1], &s->aops, &id));
	ASSERT_EQ(1, ref_driver_submit(&s->drv));
	s->client = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, s->client);
	ASSERT_EQ(0, connect(s->client, (struct sockaddr *)&s->addr, sizeof(s->addr)));
	/* The accept's CQE is posted; it stays unreaped (ref_ring_wait only
	 * waits). */
	ASSERT_EQ(0, ref_ring_wait(&s->ring, 1, &ts));
	ASSERT_EQ(1u, ref_ring_cq_ready(&s->ring));
	ASSERT_EQ(0, ref_driver_start(&s->drv, &s->reads[3], &s->rops, &id));
	ASSERT_EQ(6u, s->drv.in_flight);
}

static void free_scene(struct scene *s)
{
	for (int i = 0; i < NREADS; i++)
		ref_io_event_free(&s->reads[i]);
	ref_ring_free(&s->ring);
	close(s->p[0]);
	close(s->p[1]);
	close(s->lfd);
	close(s->client);
}

/* ref/event.h: teardown releases every cancellation exactly once: 4 reads
 * (blocked, cancelled before, prepared) and 2 accepts (5.6). */
TEST(free_releases_every_cancellation_once)
{
	struct scene s;

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"ref/event.h Teardown: release every cancellation");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	build_scene(_metadata, &s);
	ref_driver_free(&s.drv);
	EXPECT_EQ(NREADS, releases[K_READ]);
	EXPECT_EQ(2, releases[K_ACCEPT]);
	free_scene(&s);
}

/* ref/event.h: teardown drains every final completion: nothing is in flight
 * after, and the driver's memory is freed (slots NULL). The read cancelled
 * earlier without asking is asked now: all 3 submitted reads and the
 * waiting accept end with -ECANCELED; the prepared read never ran (5.7:
 * they wait in io_uring's poll, IORING_FEAT_FAST_POLL; 5.6 blocks them in
 * io-wq, where a cancel ends them with -EINTR). */
TEST(free_drains_everything_in_flight)
{
	struct scene s;

	CONFORM_DECLARE("5.7", "IORING_FEAT_FAST_POLL",
			"ref/event.h Teardown; io_uring_enter(2) "
			"IORING_OP_ASYNC_CANCEL: waiting reads and accept end "
			"-ECANCELED (in poll, IORING_FEAT_FAST_POLL 5.7)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_FAST_POLL);
	build_scene(_metadata, &s);
	ref_driver_free(&s.drv);
	EXPECT_EQ(0u, s.drv.in_flight);
	EXPECT_EQ(NULL, s.drv.slots);
	EXPECT_EQ(3, late_cqes[K_READ]);
	EXPECT_EQ(3, late_ecanceled[K_READ]);
	EXPECT_EQ(2, late_cqes[K_ACCEPT]);
	EXPECT_EQ(1, late_ecanceled[K_ACCEPT]);
	for (int i = 0; i < NREADS; i++)
		EXPECT_FALSE(s.reads[i].done);
	free_scene(&s);
}

/* ref/event.h: the connection accepted but not reaped at teardown is
 * closed, never leaked: after everything is closed the process has exactly
 * the fds it had before the scene (5.6). */
TEST(free_leaks_no_fd)
{
	struct scene s;

	CONFORM_DECLARE("5.6", "IORING_OP_ASYNC_CANCEL",
			"ref/event.h Teardown: an accepted fd is closed, "
			"never leaked");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ACCEPT);
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	build_scene(_metadata, &s);
	ref_driver_free(&s.drv);
	ASSERT_EQ(1, nlate_fds);
	EXPECT_EQ(-1, fcntl(late_fds[0], F_GETFD));
	free_scene(&s);
	EXPECT_EQ(s.fds_before, ref_case_count_open_fds());
}

/*
 * ref/event.h: a multishot recv in flight at teardown is cancelled (its
 * final CQE -ECANCELED reaches the cancellation) and released once; its
 * provided-buffer ring can then be unregistered (IORING_RECV_MULTISHOT 6.0,
 * IORING_REGISTER_PBUF_RING 5.19).
 */
TEST(free_cancels_multishot_recv)
{
	struct ref_recv_multishot_event ev;
	struct ref_event_ops ops = ref_recv_multishot_ops;
	struct ref_buf_ring bufs;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	int sv[2], ret;

	CONFORM_DECLARE("6.0", "IORING_RECV_MULTISHOT",
			"ref/event.h Teardown; io_uring_enter(2) "
			"IORING_OP_RECV IORING_RECV_MULTISHOT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_RECV);
	ops.cancel = recv_cancel;
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ret = ref_buf_ring_init(&ring, &bufs, 4, 64, 3);
	if (ret == -EINVAL) {
		ref_ring_free(&ring);
		close(sv[0]);
		close(sv[1]);
		SKIP(return, "IORING_REGISTER_PBUF_RING: -EINVAL");
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	memset(&ev, 0, sizeof(ev));
	ev.fd = sv[0];
	ev.bufs = &bufs;
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ops, &id));
	ASSERT_EQ(1, ref_driver_submit(&drv));
	/* One delivery proves it armed (and multishot recv exists). */
	ASSERT_EQ(2, send(sv[1], "hi", 2, 0));
	ASSERT_EQ(1, ref_case_run(&drv, 1));
	if (ev.done && ev.res == -EINVAL) {
		ref_driver_free(&drv);
		ref_buf_ring_free(&ring, &bufs);
		ref_ring_free(&ring);
		close(sv[0]);
		close(sv[1]);
		SKIP(return, "IORING_RECV_MULTISHOT: the recv ended -EINVAL");
	}
	ASSERT_EQ(1u, ev.received);
	ASSERT_EQ(REF_EVENT_SUBMITTED, ref_driver_state(&drv, id));
	ref_driver_free(&drv);
	EXPECT_EQ(0u, drv.in_flight);
	EXPECT_EQ(1, releases[K_RECV]);
	EXPECT_EQ(1, late_cqes[K_RECV]);
	EXPECT_EQ(1, late_ecanceled[K_RECV]);
	EXPECT_EQ(0, ref_buf_ring_free(&ring, &bufs));
	ref_ring_free(&ring);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
