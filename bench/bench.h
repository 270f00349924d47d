// SPDX-License-Identifier: MIT
/*
 * bench/bench.h - what every bench program (bench/NAME-bench.c) needs
 * alike: an error exit, a clock, the median of the rounds, and (for the
 * read workloads) a page-cached temp file. Static: each bench is one
 * program.
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

/* Rounds at most (each bench's per-round arrays are this long). */
#define MAX_ROUNDS 256

static bool verbose;	/* -v: per-round numbers on stderr */

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
