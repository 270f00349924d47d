// SPDX-License-Identifier: MIT
/*
 * bench/bench.h - what every bench program (bench/NAME-bench.c) needs
 * alike: an error exit, a clock, the median of the rounds, (for the read
 * workloads) a page-cached temp file, the rounds of two sides run side by
 * side, and the command line. Static: each bench is one program.
 */
#ifndef AIOCONF_BENCH_H
#define AIOCONF_BENCH_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Print "<program>: <message>" and exit 1. */
static void __attribute__((noreturn, cold, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n-1] (n > 0); sorts v. */
static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A size-byte file in $TMPDIR (else /tmp), unlinked at once, written in
 * chunk-byte pieces and read back once, so that every page is in the page
 * cache. Its fd. */
static __attribute__((unused)) int make_cached_file(unsigned int size, unsigned int chunk)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	unsigned char *buf = malloc(chunk);
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/%s.XXXXXX", dir, program_invocation_short_name);
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp %s: %s", path, strerror(errno));
	unlink(path);
	if (!buf)
		die("out of memory");
	for (unsigned int off = 0; off < size; off += chunk) {
		memset(buf, (int)(off / chunk), chunk);
		if (pwrite(fd, buf, chunk, off) != (ssize_t)chunk)
			die("pwrite: %s", strerror(errno));
	}
	for (unsigned int off = 0; off < size; off += chunk)
		if (pread(fd, buf, chunk, off) != (ssize_t)chunk)
			die("pread: %s", strerror(errno));
	free(buf);
	return fd;
}

/* Rounds at most (the per-round arrays are this long). */
#define MAX_ROUNDS 256

static bool verbose;	/* -v: per-round numbers on stderr */

/* ------------------------------------------------------------------ */
/* two sides in rounds                                                 */
/* ------------------------------------------------------------------ */

/*
 * Each bench sets the library it stands beside (side 0: liburing, libaio,
 * a plain epoll_wait loop) against ref (side 1). A side's loop runs iters
 * iterations of batch operations on ctx; each loop exists twice, as
 * warmup_* and measured_*, the same code under two names, so that
 * callgrind (--toggle-collect='measured_*') never counts a warm-up.
 */
enum { SIDE_LIB, SIDE_REF };
typedef void (*side_fn)(void *ctx, unsigned long iters);

/* Kept out of line and under their own names (extern, not cloned), so
 * that callgrind can toggle on them. */
#ifdef __clang__
#define OUT_OF_LINE __attribute__((noinline))
#else
#define OUT_OF_LINE __attribute__((noinline, noclone))
#endif

/*
 * measured_<side>_<wl_name> and warmup_<side>_<wl_name>: two side_fns
 * that run the bench's loop_<side>(ctx, wl, iters), an always-inline
 * function, with the workload wl constant, so that each is a loop with no
 * workload branch in it.
 */
#define INSTANTIATE(side, wl_name, wl)					\
	void OUT_OF_LINE measured_##side##_##wl_name(void *ctx, unsigned long iters); \
	void OUT_OF_LINE measured_##side##_##wl_name(void *ctx, unsigned long iters) \
	{								\
		loop_##side(ctx, wl, iters);				\
	}								\
	void OUT_OF_LINE warmup_##side##_##wl_name(void *ctx, unsigned long iters); \
	void OUT_OF_LINE warmup_##side##_##wl_name(void *ctx, unsigned long iters) \
	{								\
		loop_##side(ctx, wl, iters);				\
	}

/* The two loops of one workload, [SIDE_LIB] and [SIDE_REF]. */
struct loops {
	side_fn warmup[2], measured[2];
};

/* The struct loops of workload wl_name, from INSTANTIATE's functions. */
#define LOOPS(lib, wl_name) {						\
	.warmup = { warmup_##lib##_##wl_name, warmup_ref_##wl_name },	\
	.measured = { measured_##lib##_##wl_name, measured_ref_##wl_name }, \
}

/* What run_pair needs of a bench, all indexed as the bench's enum workload
 * and SIDE_*. */
struct pair {
	const struct loops *loops;		/* [workload] */
	const char *const *wl_name;		/* [workload] */
	const char *const *side_name;		/* [side] */
	/* Optional, around each measured run: start a counter, and read it
	 * (~0: nothing counted). ring-bench's instruction counter. */
	void (*count_start)(void);
	unsigned long long (*count_stop)(void);
};

/* A row of a bench's table: a workload at a batch size, both sides. */
struct row {
	int wl;			/* the bench's enum workload */
	unsigned int batch;
	unsigned int rounds;	/* as asked, or fewer when out of time */
	unsigned long iters;	/* iterations of each side in a round */
	double ops[2];		/* median ops/s over the rounds, [side] */
	double ratio;		/* median of the per-round ref/library ratios */
	double ratio_lo, ratio_hi;	/* their quartiles */
	unsigned long long min_count[2];	/* smallest count_stop(), or ~0 */
};

/* Run one side's measured loop for iters iterations: its seconds, and
 * *count. */
static double pair_run(const struct pair *p, void *ctx, int wl, int side,
		       unsigned long iters, unsigned long long *count)
{
	double start, secs;

	if (p->count_start)
		p->count_start();
	start = now();
	p->loops[wl].measured[side](ctx, iters);
	secs = now() - start;
	*count = p->count_stop ? p->count_stop() : ~0ULL;
	return secs;
}

/*
 * Row wl/batch of a bench: its two loops of workload wl on ctx, batch
 * operations an iteration, for rounds rounds of about round_secs a side.
 * Both sides warm up; a round's
 * iterations are sized from the library's speed, and both sides then run
 * that very number in every round, one straight after the other, the
 * library first in even rounds and ref first in odd ones, so that what
 * the machine does to one it mostly does to both. The per-round ratios
 * cancel that, so their median is steadier than the ratio of the medians.
 * If the machine slows down after calibrating, the rounds stop early (at
 * least 5) rather than run 2.5 times past their time.
 */
static __attribute__((unused)) void
run_pair(const struct pair *p, void *ctx, int wl, unsigned int batch,
	 struct row *row, unsigned int rounds, double round_secs)
{
	const struct loops *l = &p->loops[wl];
	const double budget = 2.5 * rounds * 2 * round_secs;
	double rate[2][MAX_ROUNDS], ratio[MAX_ROUNDS];
	unsigned long iters = 1;
	double t0, secs;

	l->warmup[SIDE_REF](ctx, 64);
	for (;;) {
		t0 = now();
		l->warmup[SIDE_LIB](ctx, iters);
		secs = now() - t0;
		if (secs >= 0.8 * round_secs || iters >= 1ul << 30)
			break;
		iters *= 2;
	}
	iters = (unsigned long)((double)iters * round_secs / secs);
	if (!iters)
		iters = 1;
	l->warmup[SIDE_REF](ctx, iters / 8 + 1);

	row->min_count[0] = row->min_count[1] = ~0ULL;
	t0 = now();
	for (unsigned int r = 0; r < rounds; r++) {
		if (r >= 5 && now() - t0 > budget) {
			fprintf(stderr, "%s: %s/%u: %u of %u rounds, out of time\n",
				program_invocation_short_name, p->wl_name[wl],
				batch, r, rounds);
			rounds = r;
			break;
		}
		for (unsigned int k = 0; k < 2; k++) {
			int side = (r + k) % 2 ? SIDE_REF : SIDE_LIB;
			unsigned long long count;

			rate[side][r] = (double)iters * batch /
					pair_run(p, ctx, wl, side, iters, &count);
			if (count < row->min_count[side])
				row->min_count[side] = count;
		}
		ratio[r] = rate[SIDE_REF][r] / rate[SIDE_LIB][r];
		if (verbose)
			fprintf(stderr, "%s/%u round %u (%s first): %s %.3f M, %s %.3f M, ratio %.3f\n",
				p->wl_name[wl], batch, r, p->side_name[r % 2],
				p->side_name[SIDE_LIB],
				rate[SIDE_LIB][r] / 1e6, p->side_name[SIDE_REF],
				rate[SIDE_REF][r] / 1e6, ratio[r]);
	}
	row->wl = wl;
	row->batch = batch;
	row->rounds = rounds;
	row->iters = iters;
	for (int side = 0; side < 2; side++)
		row->ops[side] = median(rate[side], rounds);
	row->ratio = median(ratio, rounds);	/* sorts ratio[] */
	row->ratio_lo = ratio[rounds / 4];
	row->ratio_hi = ratio[(3 * rounds) / 4];
}

/* The index of s in names[0..n-1]; else "WHAT must be A, B or C, not S". */
static __attribute__((unused)) int
pick(const char *what, const char *s, const char *const *names, int n)
{
	char all[256] = "";

	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	for (int i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
			 i == 0 ? "" : i == n - 1 ? " or " : ", ", names[i]);
	die("%s must be %s, not %s", what, all, s);
}

/* A batch size 1..max from s, or die. */
static __attribute__((unused)) unsigned int parse_batch(const char *s, unsigned int max)
{
	char *end;
	unsigned long batch = strtoul(s, &end, 10);

	if (*end || !batch || batch > max)
		die("batch must be 1..%u, not %s", max, s);
	return (unsigned int)batch;
}

/* What each bench defines, and bench_main calls. */
static int run_all(unsigned int rounds, unsigned int round_ms, bool strict);
static int callgrind_one(const char *wl_s, const char *batch_s,
			 const char *impl_s, unsigned long ops);
static void __attribute__((noreturn)) usage(void);

/*
 * The command line every bench takes:
 *   [--rounds N] [--round-ms MS] [-v|--verbose] [--strict]
 *   --callgrind-one WORKLOAD BATCH IMPL [--ops N]
 * 61 rounds of 25 ms by default; anything else is usage().
 */
static int bench_main(int argc, char **argv)
{
	unsigned int rounds = 61, round_ms = 25;
	unsigned long ops = 32768;
	bool strict = false;
	const char *one[3] = { NULL, NULL, NULL };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = (unsigned int)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--round-ms") && i + 1 < argc)
			round_ms = (unsigned int)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			ops = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--strict"))
			strict = true;
		else if (!strcmp(argv[i], "--callgrind-one") && i + 3 < argc) {
			one[0] = argv[++i];
			one[1] = argv[++i];
			one[2] = argv[++i];
		} else
			usage();
	}
	if (one[0])
		return callgrind_one(one[0], one[1], one[2], ops ? ops : 1);
	if (!rounds || rounds > MAX_ROUNDS || !round_ms)
		usage();
	return run_all(rounds, round_ms, strict);
}

#endif
