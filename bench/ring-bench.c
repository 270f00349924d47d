// SPDX-License-Identifier: MIT
/*
 * bench/ring-bench.c - ref/ring against liburing, side by side.
 *
 * Built twice (Makefile): build/bench/ring-bench against the system's
 * liburing (2.3 on Debian 12), build/bench/ring-bench-sid against Debian
 * sid's static liburing (2.15 when written). A program can hold only one
 * liburing, as both define the same symbols.
 *
 * Workloads, each at batch 1, 8 and 32:
 *   nop   prepare batch NOP SQEs, submit_and_wait(batch), reap every CQE
 *         (res must be 0);
 *   read  the same with 4 KiB reads of a page-cached 1 MiB temp file at
 *         cycling offsets (res must be 4096).
 * Both implementations do the same work per operation and run the same
 * number of iterations per round. Rounds alternate (liburing first in even
 * rounds, ref first in odd ones) so that noise on a shared machine hits both
 * alike; the table shows the median ops/s of each and their ratio.
 *
 * Each library is set up at its best: its own defaults (liburing 2.6 and
 * later, like ref, ask for IORING_SETUP_NO_SQARRAY), and a registered ring
 * fd (liburing's io_uring_register_ring_fd; ref_ring_init registers its
 * own), so that the kernel does the same work for both.
 *
 * Instructions per operation are user-space instructions counted with
 * perf_event_open (PERF_COUNT_HW_INSTRUCTIONS, exclude_kernel) around each
 * measured loop, the smallest count of all rounds. Where the machine has no
 * such counter (most VMs) the columns say n/a; bench/instructions.sh then
 * counts them under callgrind with the --callgrind-one mode below.
 *
 * Usage:
 *   ring-bench [--rounds N] [--round-ms MS] [-v|--verbose] [--strict]
 *              [--liburing-default] [--setup-flags FLAG,...]
 *   ring-bench --callgrind-one nop|read BATCH ref|liburing [--ops N]
 *
 * --strict exits 2 when a target is missed; by default the verdict is only
 * printed (the machines are noisy, see bench/README.md).
 * --liburing-default leaves liburing's ring fd unregistered (its defaults).
 * --setup-flags gives both rings the same IORING_SETUP_* flags:
 * single-issuer, defer-taskrun (needs single-issuer), coop-taskrun.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include <liburing.h>

#include "bench.h"
#include "ref/ring.h"

#define CHUNK		4096u
#define FILE_SIZE	(1u << 20)	/* a power of two: offsets wrap by mask */
#define RING_ENTRIES	64u		/* room for the largest batch */
#define MAX_BATCH	32u

enum workload { W_NOP, W_READ };

/*
 * Targets of the issue; they live here and nowhere else. The throughput
 * target is for the nop workload, the one the issue gives batch sizes for.
 * The read rows are held to the same ratio for information only: with
 * about 300 ns of kernel work per 4 KiB read, the user-space part a ring
 * library can save is a few percent at most (bench/README.md).
 */
#define TARGET_WORKLOAD	W_NOP
#define TARGET_BATCH	32u
#define TARGET_RATIO	1.05
enum impl { I_LIBURING, I_REF };

/* The liburing this program is linked with ("Package Version"); the
 * Makefile passes it. */
#ifndef LIBURING_PACKAGE
#define LIBURING_PACKAGE "liburing (version unknown)"
#endif

/* The command line's set-up choices (main). */
static unsigned int setup_flags;	/* IORING_SETUP_*, for both rings */
static bool liburing_default;		/* leave liburing's ring fd alone */

static const char *const workload_name[] = { "nop", "read" };

struct bench {
	enum workload wl;
	unsigned int batch;
	int fd;			/* the temp file, for reads */
	unsigned char *bufs;	/* MAX_BATCH buffers of CHUNK bytes */
	uint64_t off[2];	/* next read offset, per implementation */
	struct io_uring lr;
	struct ref_ring rr;
};

/* ------------------------------------------------------------------ */
/* the measured loops                                                  */
/* ------------------------------------------------------------------ */

static inline int expected_res(enum workload wl)
{
	return wl == W_NOP ? 0 : (int)CHUNK;
}

/*
 * One iteration: prepare batch SQEs, submit and wait for batch CQEs, reap
 * them all checking res. wl is a constant at every call site, so each
 * instantiation below is a loop with no workload branch in it.
 */
static inline __attribute__((always_inline)) void
loop_ref(struct bench *b, enum workload wl, unsigned long iters)
{
	struct ref_ring *ring = &b->rr;
	const unsigned int batch = b->batch;
	uint64_t off = b->off[I_REF];

	const int expect = expected_res(wl);

	for (unsigned long it = 0; it < iters; it++) {
		unsigned int head, n, bad = 0;
		int ret, first_bad = 0;

		for (unsigned int i = 0; i < batch; i++) {
			bool ok;

			if (wl == W_NOP) {
				ok = ref_prep_nop(ring, i);
			} else {
				ok = ref_prep_read(ring, b->fd, b->bufs + i * CHUNK,
						   CHUNK, off, i);
				off = (off + CHUNK) & (FILE_SIZE - 1);
			}
			if (__builtin_expect(!ok, 0))
				die("ref: SQ full at %u of batch %u", i, batch);
		}
		ret = ref_ring_submit_and_wait(ring, batch);
		if (__builtin_expect(ret != (int)batch, 0))
			die("ref: submit_and_wait(%u) returned %d", batch, ret);
		/* Reap in place, as the liburing side does with its
		 * for_each_cqe + cq_advance. */
		n = ref_ring_cq_peek(ring, &head);
		for (unsigned int i = 0; i < n; i++) {
			int res = ref_ring_cqe_at(ring, head + i)->res;

			if (__builtin_expect(res != expect, 0) && !bad++)
				first_bad = res;
		}
		ref_ring_cq_advance(ring, n);
		if (__builtin_expect(n != batch || bad, 0))
			die("ref: reaped %u of %u CQEs, %u with res %d (expected %d)",
			    n, batch, bad, first_bad, expect);
	}
	b->off[I_REF] = off;
}

static inline __attribute__((always_inline)) void
loop_liburing(struct bench *b, enum workload wl, unsigned long iters)
{
	struct io_uring *ring = &b->lr;
	const unsigned int batch = b->batch;
	const int expect = expected_res(wl);
	uint64_t off = b->off[I_LIBURING];

	for (unsigned long it = 0; it < iters; it++) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0, bad = 0;
		int ret, first_bad = 0;

		for (unsigned int i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			if (__builtin_expect(!sqe, 0))
				die("liburing: SQ full at %u of batch %u", i, batch);
			if (wl == W_NOP) {
				io_uring_prep_nop(sqe);
			} else {
				io_uring_prep_read(sqe, b->fd, b->bufs + i * CHUNK,
						   CHUNK, off);
				off = (off + CHUNK) & (FILE_SIZE - 1);
			}
			sqe->user_data = i;
		}
		ret = io_uring_submit_and_wait(ring, batch);
		if (__builtin_expect(ret != (int)batch, 0))
			die("liburing: submit_and_wait(%u) returned %d", batch, ret);
		io_uring_for_each_cqe(ring, head, cqe) {
			if (__builtin_expect(cqe->res != expect, 0)) {
				if (!bad++)
					first_bad = cqe->res;
			}
			n++;
		}
		io_uring_cq_advance(ring, n);
		if (__builtin_expect(n != batch || bad, 0))
			die("liburing: reaped %u of %u CQEs, %u with res %d (expected %d)",
			    n, batch, bad, first_bad, expect);
	}
	b->off[I_LIBURING] = off;
}

/*
 * Out-of-line instantiations. The measured_* ones are what callgrind counts
 * (bench/instructions.sh: --toggle-collect='measured_*'); the warmup_* ones
 * are the same code under another name, so warming up (page faults, lazy PLT
 * binding, cold caches) is never counted. Extern, and not cloned, so that
 * their names survive as they are.
 */
#ifdef __clang__
#define OUT_OF_LINE __attribute__((noinline))
#else
#define OUT_OF_LINE __attribute__((noinline, noclone))
#endif

#define INSTANTIATE(impl, wl_name, wl)					\
	void OUT_OF_LINE						\
	measured_##impl##_##wl_name(struct bench *b, unsigned long iters); \
	void OUT_OF_LINE						\
	measured_##impl##_##wl_name(struct bench *b, unsigned long iters) \
	{								\
		loop_##impl(b, wl, iters);				\
	}								\
	void OUT_OF_LINE						\
	warmup_##impl##_##wl_name(struct bench *b, unsigned long iters); \
	void OUT_OF_LINE						\
	warmup_##impl##_##wl_name(struct bench *b, unsigned long iters)	\
	{								\
		loop_##impl(b, wl, iters);				\
	}

INSTANTIATE(ref, nop, W_NOP)
INSTANTIATE(ref, read, W_READ)
INSTANTIATE(liburing, nop, W_NOP)
INSTANTIATE(liburing, read, W_READ)

typedef void (*loop_fn)(struct bench *b, unsigned long iters);

/* [impl][workload] */
static const loop_fn measured[2][2] = {
	[I_LIBURING] = { measured_liburing_nop, measured_liburing_read },
	[I_REF] = { measured_ref_nop, measured_ref_read },
};
static const loop_fn warmup[2][2] = {
	[I_LIBURING] = { warmup_liburing_nop, warmup_liburing_read },
	[I_REF] = { warmup_ref_nop, warmup_ref_read },
};

/* ------------------------------------------------------------------ */
/* set-up                                                              */
/* ------------------------------------------------------------------ */

/* What each ring got, for the report: "NO_SQARRAY yes, ring fd registered". */
static char liburing_got[128], ref_got[128];

static void bench_init(struct bench *b, int fd)
{
	struct ref_ring_opts opts = { .flags = setup_flags };
	char lfd[64] = "not registered (--liburing-default)";
	int ret;

	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->bufs = mmap(NULL, (size_t)MAX_BATCH * CHUNK, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (b->bufs == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	/* Same entries and setup flags for both; each library adds its own
	 * defaults (NO_SQARRAY where it has it). */
	ret = io_uring_queue_init(RING_ENTRIES, &b->lr, setup_flags);
	if (ret < 0)
		die("io_uring_queue_init(%u, flags %#x): %s", RING_ENTRIES,
		    setup_flags, strerror(-ret));
	/* liburing at its best registers its ring fd (5.18 kernels on); it
	 * returns the number of fds registered, 1. */
	if (!liburing_default) {
		ret = io_uring_register_ring_fd(&b->lr);
		if (ret == 1)
			snprintf(lfd, sizeof(lfd), "registered");
		else
			snprintf(lfd, sizeof(lfd), "not registered: "
				 "io_uring_register_ring_fd: %s",
				 ret < 0 ? strerror(-ret) : "returned 0");
	}
	snprintf(liburing_got, sizeof(liburing_got), "NO_SQARRAY %s, ring fd %s",
		 b->lr.flags & REF_IORING_SETUP_NO_SQARRAY ? "yes" : "no", lfd);

	ret = ref_ring_init(&b->rr, RING_ENTRIES, &opts);
	if (ret < 0)
		die("ref_ring_init(%u, flags %#x): %s", RING_ENTRIES,
		    setup_flags, strerror(-ret));
	snprintf(ref_got, sizeof(ref_got), "NO_SQARRAY %s, ring fd %s",
		 b->rr.setup_flags & REF_IORING_SETUP_NO_SQARRAY ? "yes" : "no",
		 b->rr.reg_index >= 0 ? "registered" : "not registered");
}

static void bench_fini(struct bench *b)
{
	io_uring_queue_exit(&b->lr);
	ref_ring_free(&b->rr);
	munmap(b->bufs, (size_t)MAX_BATCH * CHUNK);
}

/* ------------------------------------------------------------------ */
/* instruction counter                                                 */
/* ------------------------------------------------------------------ */

static int perf_fd = -1;
static char perf_why[128];

static void perf_open(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	perf_fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	if (perf_fd < 0) {
		int e = errno;

		snprintf(perf_why, sizeof(perf_why),
			 "perf_event_open(PERF_COUNT_HW_INSTRUCTIONS): %s%s",
			 strerror(e),
			 e == ENOENT || e == EOPNOTSUPP || e == ENODEV ?
			 " (no hardware counter here)" :
			 e == EACCES || e == EPERM ?
			 " (see /proc/sys/kernel/perf_event_paranoid)" : "");
		return;
	}
	/* Some hypervisors accept the event and then never count. */
	{
		uint64_t v = 0;

		ioctl(perf_fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);
		for (int i = 0; i < 1000; i++)
			__asm__ volatile("" ::: "memory");
		ioctl(perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(perf_fd, &v, sizeof(v)) != sizeof(v) || v == 0) {
			snprintf(perf_why, sizeof(perf_why),
				 "perf_event_open: the instruction counter counts nothing");
			close(perf_fd);
			perf_fd = -1;
		}
	}
}

/* ------------------------------------------------------------------ */
/* rounds                                                              */
/* ------------------------------------------------------------------ */

struct sample {
	double secs;
	uint64_t instr;		/* UINT64_MAX: not counted */
};

static struct sample run_measured(struct bench *b, enum impl impl,
				  unsigned long iters)
{
	struct sample s = { .instr = UINT64_MAX };
	loop_fn fn = measured[impl][b->wl];
	double t0;

	if (perf_fd >= 0) {
		ioctl(perf_fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0);
	}
	t0 = now();
	fn(b, iters);
	s.secs = now() - t0;
	if (perf_fd >= 0) {
		uint64_t v;

		ioctl(perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(perf_fd, &v, sizeof(v)) == sizeof(v))
			s.instr = v;
	}
	return s;
}

struct row {
	enum workload wl;
	unsigned int batch;
	double ops[2];		/* median ops/s, [impl] */
	double instr[2];	/* instructions/op, < 0: n/a */
	double ratio;		/* median of the per-round ref/liburing ratios */
	double ratio_lo, ratio_hi;	/* their quartiles */
};

static void run_row(struct bench *b, struct row *row, unsigned int rounds,
		    double round_secs)
{
	/* If the machine slows down after calibrating, stop early rather
	 * than run past the time budget of `make bench`. */
	const double budget = 2.5 * rounds * 2 * round_secs;
	double rate[2][MAX_ROUNDS], ratio[MAX_ROUNDS];
	uint64_t min_instr[2] = { UINT64_MAX, UINT64_MAX };
	unsigned long iters = 1;
	double t0, secs;

	/* Warm both up; size a round from liburing's speed (both then do the
	 * very same number of iterations). */
	warmup[I_REF][b->wl](b, 64);
	for (;;) {
		t0 = now();
		warmup[I_LIBURING][b->wl](b, iters);
		secs = now() - t0;
		if (secs >= 0.02)
			break;
		iters *= 2;
	}
	iters = (unsigned long)((double)iters * round_secs / secs);
	if (!iters)
		iters = 1;
	warmup[I_REF][b->wl](b, iters / 8 + 1);

	t0 = now();
	for (unsigned int r = 0; r < rounds; r++) {
		if (r >= 5 && now() - t0 > budget) {
			fprintf(stderr, "ring-bench: %s/%u: %u of %u rounds, out of time\n",
				workload_name[b->wl], b->batch, r, rounds);
			rounds = r;
			break;
		}
		for (unsigned int k = 0; k < 2; k++) {
			enum impl impl = (r + k) % 2 ? I_REF : I_LIBURING;
			struct sample s = run_measured(b, impl, iters);

			rate[impl][r] = (double)iters * b->batch / s.secs;
			if (s.instr < min_instr[impl])
				min_instr[impl] = s.instr;
		}
		ratio[r] = rate[I_REF][r] / rate[I_LIBURING][r];
		if (verbose)
			fprintf(stderr, "%s/%u round %u: liburing %.2f M ref %.2f M ratio %.3f\n",
				workload_name[b->wl], b->batch, r,
				rate[I_LIBURING][r] / 1e6, rate[I_REF][r] / 1e6,
				ratio[r]);
	}

	row->wl = b->wl;
	row->batch = b->batch;
	for (int i = 0; i < 2; i++) {
		row->ops[i] = median(rate[i], rounds);
		row->instr[i] = min_instr[i] == UINT64_MAX ? -1 :
				(double)min_instr[i] / ((double)iters * b->batch);
	}
	/* Each round's two runs are adjacent in time, so their ratio cancels
	 * most of what the machine does to both; the median of those ratios
	 * is steadier than the ratio of the medians. */
	row->ratio = median(ratio, rounds);	/* sorts ratio[] */
	row->ratio_lo = ratio[rounds / 4];
	row->ratio_hi = ratio[(3 * rounds) / 4];
}

static void fmt_instr(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.1f", v);
}

static int run_all(unsigned int rounds, unsigned int round_ms, bool strict)
{
	static const unsigned int batches[] = { 1, 8, 32 };
	struct row rows[6];
	unsigned int nrows = 0;
	struct bench b;
	struct utsname u;
	int fd = make_cached_file(FILE_SIZE, CHUNK);
	double t_start = now();
	bool missed = false;

	perf_open();
	bench_init(&b, fd);
	for (int wl = W_NOP; wl <= W_READ; wl++) {
		for (unsigned int i = 0; i < 3; i++) {
			b.wl = (enum workload)wl;
			b.batch = batches[i];
			run_row(&b, &rows[nrows++], rounds, round_ms / 1000.0);
		}
	}
	bench_fini(&b);
	close(fd);

	uname(&u);
	printf("## ring-bench: ref/ring vs %s\n\n", LIBURING_PACKAGE);
	printf("Linux %s, %ld CPUs. Per row %u rounds; in each, liburing and "
	       "ref (alternately first) run the same number of ops (~%u ms "
	       "each). ops/s: median over rounds; ratio: median of the "
	       "per-round ref/liburing ratios; instr/op: user space.\n\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN), rounds, round_ms);
	printf("Set-up, %u entries, setup flags %#x: liburing %s; ref %s.\n\n",
	       RING_ENTRIES, setup_flags, liburing_got, ref_got);
	printf("| workload | batch | liburing ops/s | ref ops/s | ratio "
	       "| liburing instr/op | ref instr/op |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|\n");
	for (unsigned int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		char il[32], ir[32];

		fmt_instr(il, sizeof(il), r->instr[I_LIBURING]);
		fmt_instr(ir, sizeof(ir), r->instr[I_REF]);
		printf("| %s | %u | %.2f M | %.2f M | %.3f | %s | %s |\n",
		       workload_name[r->wl], r->batch,
		       r->ops[I_LIBURING] / 1e6, r->ops[I_REF] / 1e6,
		       r->ratio, il, ir);
	}
	printf("\nQuartiles of the per-round ratios (noise):");
	for (unsigned int i = 0; i < nrows; i++)
		printf("%s %s/%u %.2f-%.2f", i ? "," : "",
		       workload_name[rows[i].wl], rows[i].batch,
		       rows[i].ratio_lo, rows[i].ratio_hi);
	printf(".\n");
	if (perf_fd < 0)
		printf("Instructions/op n/a: %s; bench/instructions.sh counts "
		       "them under callgrind.\n", perf_why);

	printf("\nTargets:\n");
	for (unsigned int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		double ratio = r->ratio;

		if (r->batch != TARGET_BATCH)
			continue;
		if (r->wl == TARGET_WORKLOAD) {
			bool ok = ratio >= TARGET_RATIO;

			printf("- %s batch %u: ratio %.3f >= %.2f: %s\n",
			       workload_name[r->wl], r->batch, ratio,
			       TARGET_RATIO, ok ? "met" : "NOT MET");
			missed |= !ok;
		} else {
			printf("- (information, kernel-bound) %s batch %u: "
			       "ratio %.3f\n", workload_name[r->wl], r->batch,
			       ratio);
		}
	}
	if (perf_fd < 0)
		printf("- instr/op <= liburing: n/a here (bench/instructions.sh)\n");
	for (unsigned int i = 0; i < nrows && perf_fd >= 0; i++) {
		struct row *r = &rows[i];
		bool ok;

		if (r->instr[I_REF] < 0 || r->instr[I_LIBURING] < 0)
			continue;
		ok = r->instr[I_REF] <= r->instr[I_LIBURING];
		printf("- %s batch %u: instr/op %.1f <= %.1f: %s\n",
		       workload_name[r->wl], r->batch, r->instr[I_REF],
		       r->instr[I_LIBURING], ok ? "met" : "NOT MET");
		missed |= !ok;
	}
	printf("\n(%.1f s)\n", now() - t_start);
	return strict && missed ? 2 : 0;
}

/* ------------------------------------------------------------------ */
/* callgrind mode                                                      */
/* ------------------------------------------------------------------ */

static int callgrind_one(const char *wl_s, const char *batch_s,
			 const char *impl_s, unsigned long ops)
{
	struct bench b;
	enum workload wl;
	enum impl impl;
	unsigned long batch, iters;
	char *end;
	int fd;

	if (!strcmp(wl_s, "nop"))
		wl = W_NOP;
	else if (!strcmp(wl_s, "read"))
		wl = W_READ;
	else
		die("workload must be nop or read, not %s", wl_s);
	if (!strcmp(impl_s, "ref"))
		impl = I_REF;
	else if (!strcmp(impl_s, "liburing"))
		impl = I_LIBURING;
	else
		die("impl must be ref or liburing, not %s", impl_s);
	batch = strtoul(batch_s, &end, 10);
	if (*end || !batch || batch > MAX_BATCH)
		die("batch must be 1..%u, not %s", MAX_BATCH, batch_s);

	fd = make_cached_file(FILE_SIZE, CHUNK);
	bench_init(&b, fd);
	b.wl = wl;
	b.batch = (unsigned int)batch;
	iters = (ops + batch - 1) / batch;
	/* Not counted: first use of every path (faults, PLT binding). */
	warmup[impl][wl](&b, 16);
	measured[impl][wl](&b, iters);
	bench_fini(&b);
	close(fd);
	printf("ops %lu\n", iters * batch);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ring-bench [--rounds N] [--round-ms MS] [-v] [--strict]\n"
		"                  [--liburing-default] [--setup-flags FLAG,...]\n"
		"       ring-bench --callgrind-one nop|read BATCH ref|liburing [--ops N]\n"
		"FLAG: single-issuer, defer-taskrun, coop-taskrun\n"
		"liburing: " LIBURING_PACKAGE "\n");
	exit(2);
}

/* "single-issuer,defer-taskrun" -> IORING_SETUP_* bits; usage() otherwise. */
static unsigned int parse_setup_flags(char *list)
{
	static const struct { const char *name; unsigned int bit; } known[] = {
		{ "single-issuer", IORING_SETUP_SINGLE_ISSUER },
		{ "defer-taskrun", IORING_SETUP_DEFER_TASKRUN },
		{ "coop-taskrun", IORING_SETUP_COOP_TASKRUN },
	};
	unsigned int flags = 0;

	for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		size_t i;

		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (!strcmp(name, known[i].name))
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			usage();
		flags |= known[i].bit;
	}
	return flags;
}

int main(int argc, char **argv)
{
	int n = 1;

	/* Take ring-bench's own options out; bench_main parses the rest. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--liburing-default"))
			liburing_default = true;
		else if (!strcmp(argv[i], "--setup-flags") && i + 1 < argc)
			setup_flags = parse_setup_flags(argv[++i]);
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return bench_main(n, argv);
}
