// SPDX-License-Identifier: MIT
/*
 * bench/epoll-bench.c - ref/epoll's dispatch loop against a plain
 * epoll_wait loop, side by side.
 *
 * The question (issue #15): does the wrapper cost anything measurable?
 * ref_epoll_dispatch waits once (ref_epoll_wait: epoll_pwait with a NULL
 * sigmask, retried on EINTR) into an array of REF_EPOLL_BATCH events on its
 * stack and calls a callback per event. The plain loop calls epoll_wait
 * into an array of 64 and calls the same handler for each event directly.
 *
 * Workloads:
 *   eventfd   single-threaded, at batch 1, 8 and 32. NFDS eventfds are
 *             watched (level-triggered EPOLLIN). Each iteration writes 1 to
 *             `batch` of them (cycling through all NFDS), then one wait must
 *             return exactly `batch` events, and the handler reads (clears)
 *             each eventfd, checking the value and that the fd was one of
 *             those written. No other thread is involved, so no scheduling
 *             noise: these are the rows the verdict is about.
 *   pingpong  two threads, batch 1, for information: the bench thread
 *             writes a byte into pipe A; an echo thread (a plain epoll_wait
 *             loop, the same for both sides) reads it and writes it into
 *             pipe B; the bench thread's wait (plain or ref) must return
 *             that one event, and the handler reads the byte. Here the
 *             wait really sleeps: each op is two wake-ups and two context
 *             switches. Both threads are pinned to one CPU for this row
 *             (see pin_together); it is still noisier than the others.
 *
 * Both sides use the same epoll instance and the same fds (set up through
 * ref_epoll_init/ref_epoll_add; the plain side calls epoll_wait on ep.fd),
 * so the kernel work is the same object for object and only the user-space
 * path (and epoll_pwait with a NULL mask against epoll_wait) differs. One op
 * is one event handled.
 *
 * Rounds as in ring-bench: in each, both sides run the same number of
 * iterations (~round-ms each), one straight after the other, the one that
 * goes first alternating from round to round. ops/s columns: median over
 * the rounds; ratio: median of the per-round ref/epoll_wait ratios, with
 * their quartiles.
 *
 * Usage:
 *   epoll-bench [--rounds N] [--round-ms MS] [-v|--verbose] [--strict]
 *   epoll-bench --callgrind-one eventfd|pingpong BATCH ref|epoll_wait [--ops N]
 *
 * --strict exits 2 when an eventfd row's ratio is outside the expected
 * band; by default the verdict is only printed. --callgrind-one runs one
 * case for a fixed number of ops in measured_* (after a warm-up in
 * warmup_*), for valgrind --tool=callgrind --toggle-collect='measured_*'.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/utsname.h>

#include "bench.h"
#include "ref/epoll.h"

#define NFDS		64u	/* eventfds watched; one bit each in a mask */
#define PLAIN_MAX	64	/* the plain loop's events array */
#define MAX_BATCH	32u	/* <= REF_EPOLL_BATCH: one dispatch takes all */
#define PING		'x'
#define QUIT		'q'

#if MAX_BATCH > REF_EPOLL_BATCH
#error "a batch must fit in one ref_epoll_dispatch"
#endif

/* The expected answer of the issue, and where it lives. */
#define EXPECT_LO	0.98
#define EXPECT_HI	1.02

enum workload { W_EVENTFD, W_PINGPONG };
enum impl { I_PLAIN = SIDE_LIB, I_REF = SIDE_REF };

static const char *const workload_name[] = { "eventfd", "pingpong" };
static const char *const impl_name[] = { "epoll_wait", "ref" };

struct bench {
	enum workload wl;
	unsigned int batch;
	unsigned int next;	/* next eventfd to make ready (cycles) */
	uint64_t pending;	/* bit i: fd i made ready, not yet handled */
	int efd[NFDS];		/* eventfds; event data = index */
	int ping[2];		/* pipe A: bench thread -> echo thread */
	int pong[2];		/* pipe B: echo thread -> bench thread */
	struct ref_epoll ep[2];	/* [workload], shared by both sides */
	int echo_epfd;		/* the echo thread's own, plain */
	pthread_t echo;
	bool echo_running;
};


/* ------------------------------------------------------------------ */
/* handlers: the same functions for both sides                        */
/* ------------------------------------------------------------------ */

/*
 * Extern and out of line, so that the plain loop's direct call and ref's
 * call through a pointer reach the very same code (the compiler can neither
 * inline it into the plain loop nor specialise it).
 */
void OUT_OF_LINE on_eventfd(void *arg, uint32_t events, uint64_t data);
void OUT_OF_LINE on_eventfd(void *arg, uint32_t events, uint64_t data)
{
	struct bench *b = arg;
	uint64_t v = 0;

	if (__builtin_expect(events != EPOLLIN || data >= NFDS ||
			     !(b->pending & (1ull << data)), 0))
		die("eventfd: unexpected event %#x for data %llu (pending %#llx)",
		    events, (unsigned long long)data,
		    (unsigned long long)b->pending);
	if (__builtin_expect(read(b->efd[data], &v, sizeof(v)) != sizeof(v) ||
			     v != 1, 0))
		die("eventfd %llu: read gave %llu: %s", (unsigned long long)data,
		    (unsigned long long)v, strerror(errno));
	b->pending &= ~(1ull << data);
}

void OUT_OF_LINE on_pong(void *arg, uint32_t events, uint64_t data);
void OUT_OF_LINE on_pong(void *arg, uint32_t events, uint64_t data)
{
	struct bench *b = arg;
	char c = 0;

	if (__builtin_expect(events != EPOLLIN || data != 0 || !b->pending, 0))
		die("pingpong: unexpected event %#x for data %llu (pending %#llx)",
		    events, (unsigned long long)data,
		    (unsigned long long)b->pending);
	if (__builtin_expect(read(b->pong[0], &c, 1) != 1 || c != PING, 0))
		die("pingpong: read gave %#x: %s", c, strerror(errno));
	b->pending = 0;
}

/* ------------------------------------------------------------------ */
/* the measured loops                                                  */
/* ------------------------------------------------------------------ */

/* Make batch fds ready: write 1 to the next batch eventfds, or one byte
 * into pipe A (the echo thread makes pipe B ready). */
static inline __attribute__((always_inline)) void
arm(struct bench *b, enum workload wl, unsigned int batch)
{
	if (wl == W_EVENTFD) {
		unsigned int next = b->next;

		for (unsigned int i = 0; i < batch; i++) {
			static const uint64_t one = 1;
			unsigned int k = (next + i) % NFDS;

			if (__builtin_expect(write(b->efd[k], &one,
						   sizeof(one)) != sizeof(one), 0))
				die("eventfd %u: write: %s", k, strerror(errno));
			b->pending |= 1ull << k;
		}
		b->next = (next + batch) % NFDS;
	} else {
		static const char ping = PING;

		if (__builtin_expect(write(b->ping[1], &ping, 1) != 1, 0))
			die("pingpong: write: %s", strerror(errno));
		b->pending = 1;
	}
}

/* After the wait: exactly batch events, each of a different fd made ready
 * (the handler dies on any other), so nothing may be left pending. */
static inline __attribute__((always_inline)) void
check(struct bench *b, enum impl impl, int n, unsigned int batch)
{
	if (__builtin_expect(n != (int)batch || b->pending, 0))
		die("%s: wait gave %d of %u events%s%s (pending %#llx)",
		    impl_name[impl], n, batch, n < 0 ? ": " : "",
		    n < 0 ? strerror(-n) : "", (unsigned long long)b->pending);
}

/*
 * wl is a constant at every call site, so each instantiation below is a
 * loop with no workload branch in it.
 */
static inline __attribute__((always_inline)) void
loop_plain(struct bench *b, enum workload wl, unsigned long iters)
{
	struct epoll_event ev[PLAIN_MAX];
	const int epfd = b->ep[wl].fd;
	const unsigned int batch = b->batch;

	for (unsigned long it = 0; it < iters; it++) {
		int n;

		arm(b, wl, batch);
		n = epoll_wait(epfd, ev, PLAIN_MAX, -1);
		if (__builtin_expect(n < 0, 0))
			n = -errno;
		for (int i = 0; i < n; i++) {
			if (wl == W_EVENTFD)
				on_eventfd(b, ev[i].events, ev[i].data.u64);
			else
				on_pong(b, ev[i].events, ev[i].data.u64);
		}
		check(b, I_PLAIN, n, batch);
	}
}

static inline __attribute__((always_inline)) void
loop_ref(struct bench *b, enum workload wl, unsigned long iters)
{
	struct ref_epoll *ep = &b->ep[wl];
	const ref_epoll_fn fn = wl == W_EVENTFD ? on_eventfd : on_pong;
	const unsigned int batch = b->batch;

	for (unsigned long it = 0; it < iters; it++) {
		int n;

		arm(b, wl, batch);
		n = ref_epoll_dispatch(ep, -1, fn, b);
		check(b, I_REF, n, batch);
	}
}

/* The loops as callgrind sees them (bench.h INSTANTIATE). */
INSTANTIATE(plain, eventfd, W_EVENTFD)
INSTANTIATE(plain, pingpong, W_PINGPONG)
INSTANTIATE(ref, eventfd, W_EVENTFD)
INSTANTIATE(ref, pingpong, W_PINGPONG)

/* [workload] */
static const struct loops loops[2] = {
	[W_EVENTFD] = LOOPS(plain, eventfd),
	[W_PINGPONG] = LOOPS(plain, pingpong),
};

/* ------------------------------------------------------------------ */
/* set-up                                                              */
/* ------------------------------------------------------------------ */

/* The other end of the ping-pong: a plain epoll_wait loop on pipe A that
 * echoes every byte into pipe B, until it reads QUIT. */
static void *echo_main(void *arg)
{
	struct bench *b = arg;

	for (;;) {
		struct epoll_event ev;
		char c;
		int n = epoll_wait(b->echo_epfd, &ev, 1, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			die("echo: epoll_wait gave %d: %s", n,
			    n < 0 ? strerror(errno) : "no event");
		if (read(b->ping[0], &c, 1) != 1)
			die("echo: read: %s", strerror(errno));
		if (c == QUIT)
			return NULL;
		if (write(b->pong[1], &c, 1) != 1)
			die("echo: write: %s", strerror(errno));
	}
}

static void bench_init(struct bench *b)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	int ret;

	memset(b, 0, sizeof(*b));
	for (int i = 0; i < 2; i++) {
		ret = ref_epoll_init(&b->ep[i]);
		if (ret < 0)
			die("ref_epoll_init: %s", strerror(-ret));
	}
	/* Level-triggered EPOLLIN, the default a dispatch loop is used with. */
	for (unsigned int i = 0; i < NFDS; i++) {
		b->efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (b->efd[i] < 0)
			die("eventfd: %s", strerror(errno));
		ret = ref_epoll_add(&b->ep[W_EVENTFD], b->efd[i], EPOLLIN, i);
		if (ret < 0)
			die("ref_epoll_add eventfd: %s", strerror(-ret));
	}

	if (pipe2(b->ping, O_NONBLOCK | O_CLOEXEC) < 0 ||
	    pipe2(b->pong, O_NONBLOCK | O_CLOEXEC) < 0)
		die("pipe2: %s", strerror(errno));
	ret = ref_epoll_add(&b->ep[W_PINGPONG], b->pong[0], EPOLLIN, 0);
	if (ret < 0)
		die("ref_epoll_add pipe: %s", strerror(-ret));
	b->echo_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b->echo_epfd < 0 ||
	    epoll_ctl(b->echo_epfd, EPOLL_CTL_ADD, b->ping[0], &ev) < 0)
		die("echo epoll: %s", strerror(errno));
	ret = pthread_create(&b->echo, NULL, echo_main, b);
	if (ret)
		die("pthread_create: %s", strerror(ret));
	b->echo_running = true;
}

/*
 * The ping-pong's two threads on one CPU, so that every wake-up is a switch
 * on that CPU. Across CPUs each op waits for the other vCPU to wake from
 * idle, and on these VMs that takes 15 to 60 us or almost nothing from one
 * round to the next (16 k or 400 k ops/s): the row would measure that.
 */
static void pin_together(struct bench *b, cpu_set_t *saved)
{
	cpu_set_t one;
	int cpu = sched_getcpu(), ret;

	if (cpu < 0)
		die("sched_getcpu: %s", strerror(errno));
	ret = pthread_getaffinity_np(pthread_self(), sizeof(*saved), saved);
	if (ret)
		die("pthread_getaffinity_np: %s", strerror(ret));
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	ret = pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	if (!ret)
		ret = pthread_setaffinity_np(b->echo, sizeof(one), &one);
	if (ret)
		die("pthread_setaffinity_np: %s", strerror(ret));
}

static void unpin(const cpu_set_t *saved)
{
	int ret = pthread_setaffinity_np(pthread_self(), sizeof(*saved), saved);

	if (ret)
		die("pthread_setaffinity_np: %s", strerror(ret));
}

static void bench_fini(struct bench *b)
{
	if (b->echo_running) {
		static const char quit = QUIT;

		if (write(b->ping[1], &quit, 1) != 1)
			die("pingpong: write: %s", strerror(errno));
		pthread_join(b->echo, NULL);
		b->echo_running = false;
	}
	for (unsigned int i = 0; i < NFDS; i++)
		ref_epoll_close(&b->ep[W_EVENTFD], b->efd[i]);
	ref_epoll_close(&b->ep[W_PINGPONG], b->pong[0]);
	close(b->pong[1]);
	close(b->ping[0]);
	close(b->ping[1]);
	close(b->echo_epfd);
	ref_epoll_free(&b->ep[W_EVENTFD]);
	ref_epoll_free(&b->ep[W_PINGPONG]);
}

/* ------------------------------------------------------------------ */
/* rounds                                                              */
/* ------------------------------------------------------------------ */

/* The loops and names run_pair needs. */
static const struct pair pair = {
	.loops = loops,
	.wl_name = workload_name,
	.side_name = impl_name,
};

/* ops/s in M, or in k below a million (the ping-pong row). */
static void fmt_rate(char *buf, size_t len, double v)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.3f M", v / 1e6);
	else
		snprintf(buf, len, "%.1f k", v / 1e3);
}

static int run_all(unsigned int rounds, unsigned int round_ms, bool strict)
{
	static const struct {
		enum workload wl;
		unsigned int batch;
	} cases[] = {
		{ W_EVENTFD, 1 }, { W_EVENTFD, 8 }, { W_EVENTFD, 32 },
		{ W_PINGPONG, 1 },
	};
	const unsigned int ncases = sizeof(cases) / sizeof(cases[0]);
	struct row rows[sizeof(cases) / sizeof(cases[0])];
	struct bench b;
	struct utsname u;
	double t_start = now();
	bool ok = true;
	const char *sep = "";

	bench_init(&b);
	for (unsigned int i = 0; i < ncases; i++) {
		cpu_set_t saved;

		b.wl = cases[i].wl;
		b.batch = cases[i].batch;
		if (b.wl == W_PINGPONG)
			pin_together(&b, &saved);
		run_pair(&pair, &b, b.wl, b.batch, &rows[i],
			 rounds, round_ms / 1000.0);
		if (b.wl == W_PINGPONG)
			unpin(&saved);
	}
	bench_fini(&b);

	uname(&u);
	printf("## epoll-bench: ref_epoll_dispatch vs a plain epoll_wait loop\n\n");
	printf("Linux %s, %ld CPUs. Per row %u rounds; in each, epoll_wait and "
	       "ref (alternately first) run the same number of iterations "
	       "(~%u ms each). One op is one event handled. ops/s: median over "
	       "rounds; ratio: median of the per-round ref/epoll_wait ratios; "
	       "quartiles: of those ratios.\n\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), rounds, round_ms);
	printf("| workload | batch | epoll_wait ops/s | ref ops/s | ratio | quartiles |\n");
	printf("|---|---:|---:|---:|---:|---:|\n");
	for (unsigned int i = 0; i < ncases; i++) {
		struct row *r = &rows[i];
		char rp[32], rr[32];

		fmt_rate(rp, sizeof(rp), r->ops[I_PLAIN]);
		fmt_rate(rr, sizeof(rr), r->ops[I_REF]);
		printf("| %s | %u | %s | %s | %.3f | %.3f-%.3f |\n",
		       workload_name[r->wl], r->batch, rp, rr,
		       r->ratio, r->ratio_lo, r->ratio_hi);
	}

	/* The verdict is about the single-threaded rows; the ping-pong row
	 * crosses threads and is printed for information. */
	printf("\nexpected: ratio within %.2f-%.2f (the wrapper costs nothing "
	       "measurable): ", EXPECT_LO, EXPECT_HI);
	for (unsigned int i = 0; i < ncases; i++)
		if (rows[i].wl == W_EVENTFD)
			ok &= rows[i].ratio >= EXPECT_LO &&
			      rows[i].ratio <= EXPECT_HI;
	printf("%s (got", ok ? "yes" : "no");
	for (unsigned int i = 0; i < ncases; i++) {
		if (rows[i].wl != W_EVENTFD)
			continue;
		printf("%s eventfd/%u %.3f", sep, rows[i].batch, rows[i].ratio);
		sep = ",";
	}
	printf(")\n");
	for (unsigned int i = 0; i < ncases; i++)
		if (rows[i].wl == W_PINGPONG)
			printf("(information, two threads on one CPU) pingpong/%u: ratio %.3f\n",
			       rows[i].batch, rows[i].ratio);
	printf("\n(%.1f s)\n", now() - t_start);
	return strict && !ok ? 2 : 0;
}

/* ------------------------------------------------------------------ */
/* callgrind mode                                                      */
/* ------------------------------------------------------------------ */

static int callgrind_one(const char *wl_s, const char *batch_s,
			 const char *impl_s, unsigned long ops)
{
	struct bench b;
	enum workload wl = pick("workload", wl_s, workload_name, 2);
	enum impl impl = pick("impl", impl_s, impl_name, 2);
	unsigned int batch = parse_batch(batch_s, MAX_BATCH);
	unsigned long iters;

	if (wl == W_PINGPONG && batch != 1)
		die("pingpong has batch 1 only");

	bench_init(&b);
	b.wl = wl;
	b.batch = batch;
	iters = (ops + batch - 1) / batch;
	/* Not counted: first use of every path (PLT binding, cold caches). */
	loops[wl].warmup[impl](&b, 16);
	loops[wl].measured[impl](&b, iters);
	bench_fini(&b);
	printf("ops %lu\n", iters * batch);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: epoll-bench [--rounds N] [--round-ms MS] [-v] [--strict]\n"
		"       epoll-bench --callgrind-one eventfd|pingpong BATCH ref|epoll_wait [--ops N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	return bench_main(argc, argv);
}
