// SPDX-License-Identifier: MIT
/*
 * runner - run aioconf case programs and say what happened to each.
 *
 *   runner [-j N] [-t SECS] [-o DIR] [--dmesg] [--known FILE] [--case-json] CASE...
 *
 * The same static binary runs on the host and as a QEMU guest's workload.
 * Contract: ../shared/DESIGN.md section 3. In short:
 * - every case runs in its own session and process group with stdout and
 *   stderr in DIR/<id>.tap; at most N run at once; at the timeout the whole
 *   session is killed;
 * - the working directory of each case is its own TMPDIR, removed when the
 *   case ends (tests that write into "." leave nothing behind);
 * - each case program is classified pass, fail, known (every failure is on
 *   the known list), skip (every test skipped), timeout, crash or error
 *   (no plan, malformed or truncated TAP, an exit code its TAP contradicts);
 * - a program that speaks no TAP (liburing's tests, automake tests: no line
 *   starts with "TAP version", "1..", "ok", "not ok" or "Bail out!") is
 *   judged by its exit status, as one test point named "exit-status":
 *   0 pass, 77 (automake) or 4 (KSFT_SKIP) skip, anything else fail with the
 *   last output attached; 126/127, timeouts and signals as for any case;
 * - test points are counted pass / fail / skip / xfail / known: a skip is
 *   never a pass, and a case that times out, crashes or errs counts as one
 *   failed point on top of its own;
 * - a known-failures entry whose reason starts "intermittent:" is expected
 *   to pass on most runs: its passes are only counted in the trailer;
 * - io_uring, AIO and epoll are probed at the start; a refused interface is
 *   named in the trailer and in summary.json's kernel.interfaces;
 * - stdout gets aggregate TAP 13, each case's lines nested behind "# ", a
 *   trailer of "# " lines (see print_trailer()) and last the plain line
 *   "N passed, N failed, N skipped";
 * - DIR/summary.json and DIR/run.tap are written atomically at the end.
 * Exit status: 0 no unexpected failure, 1 some, 2 usage or set-up error,
 * 130 interrupted (SIGINT/SIGTERM/SIGHUP; what finished is kept).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <elf.h>
#include <linux/aio_abi.h>
#include <linux/io_uring.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "case/skip_reasons.h"

/* Since 5.1 the same number on every architecture. */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif

/* Nested output per case on stdout is capped; the .tap file keeps it all. */
#define NEST_MAX_LINES 1000
#define LOG_MAX 2048

enum point_result { P_PASS, P_FAIL, P_SKIP, P_XFAIL, P_KNOWN };
static const char *const point_names[] = { "pass", "fail", "skip", "xfail", "known" };

enum case_status { S_PASS, S_FAIL, S_KNOWN, S_SKIP, S_TIMEOUT, S_CRASH, S_ERROR, S_NOTRUN };
static const char *const status_names[] = {
	"pass", "fail", "known", "skip", "timeout", "crash", "error", "notrun"
};

struct known {
	char *pattern;	/* <case>:<test>, fnmatch glob */
	char *release;	/* kernel release glob */
	char *reason;
	bool intermittent;	/* reason starts "intermittent:" */
};

/* A TEST's CONFORM_DECLARE line: "# conform-test: SINCE | FEATURE | SOURCE". */
struct decl {
	char *since, *feature, *source;
};

struct point {
	char *name;
	enum point_result result;
	char *reason;	/* skip reason, known-failure reason, directive text */
	char *log;	/* the test's "#" lines, kept for failures */
	const struct known *listed;	/* a pass that the known list expected to fail */
	struct decl decl;	/* what the TEST declared, if it did */
};

/* A foreign program without TAP is one test point of this name. */
#define EXIT_POINT "exit-status"

struct kase {
	const char *path;	/* as given: the id comes from it */
	char *exec;	/* absolute: the case runs in its TMPDIR */
	char *id;
	const char *abi;	/* "i386" for a 32-bit x86 program, else the
				 * machine's (uname -m): known-failures match it */
	pid_t pid;
	double start, duration;
	double cpu;	/* user + system seconds of the case and of the children
			 * it waited for (wait4): what a case costs a guest's
			 * emulated CPU, apart from the time it spends waiting */
	bool running, finished, timed_out;
	int wstatus;
	/* from the TAP */
	struct point *points;
	int npoints, plan;
	bool tap;	/* some line is TAP: judge the TAP, not the exit */
	bool have_plan, plan_skip, bailed;
	char *malformed;
	char since[32], feature[128];
	int counts[5];
	/* verdict */
	enum case_status status;
	char *diag;
	/* --dmesg */
	long taint_before;
	int kmsg_fd;
};

static struct {
	int jobs;
	double timeout;
	const char *outdir;
	bool dmesg;
	bool case_json;		/* each case's record in the TAP as well */
	const char *known_file;
	struct known *known;
	int nknown;
	struct utsname uts;
	bool progress;
	bool interrupted;
	char tmproot[PATH_MAX];	/* each case gets <tmproot>/<n> as TMPDIR */
	struct kase *cases;
} opt = { .jobs = 0, .timeout = 60, .outdir = "results/runner" };

/* The interfaces under test, probed once: a refused one explains skips. */
enum { IF_URING, IF_AIO, IF_EPOLL, IF_COUNT };
static struct {
	const char *name, *call;
	char *why;	/* NULL while available */
} ifaces[IF_COUNT] = {
	[IF_URING] = { "io_uring", "io_uring_setup", NULL },
	[IF_AIO] = { "aio", "io_setup", NULL },
	[IF_EPOLL] = { "epoll", "epoll_create1", NULL },
};

/* ------------------------------------------------------------------ */
/* small utilities                                                     */
/* ------------------------------------------------------------------ */

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "runner: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die(2, "out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die(2, "out of memory");
	return p;
}

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die(2, "out of memory");
	va_end(ap);
	return s;
}

/* Append to a malloc'd string, keeping it under LOG_MAX bytes. */
static void append(char **dst, const char *text)
{
	size_t have = *dst ? strlen(*dst) : 0, add = strlen(text);
	char *p;

	if (have >= LOG_MAX)
		return;
	if (have + add > LOG_MAX)
		add = LOG_MAX - have;
	p = realloc(*dst, have + add + 1);
	if (!p)
		die(2, "out of memory");
	memcpy(p + have, text, add);
	p[have + add] = '\0';
	*dst = p;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static long read_long_file(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* PATH made absolute against our working directory; symlinks are kept, so
 * a program that looks at its argv[0] sees the name it was given. */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return xstrdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		die(2, "cannot get the working directory: %s", strerror(errno));
	return xasprintf("%s/%s", cwd, path);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* known failures                                                      */
/* ------------------------------------------------------------------ */

/*
 * File format, one entry a line, '#' starts a comment:
 *   <case>:<test>   <kernel release glob>   <reason with a reference>
 * A glob "ABI:GLOB" (i386:*, x86_64:7.3*) holds only for programs of that
 * ABI; a plain glob for every ABI.
 * A reason that starts "intermittent:" marks a failure seen only on some
 * runs: its passes are expected, so they are counted, not noted per case.
 */
static void load_known(const char *path)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;

	if (!f)
		die(2, "cannot read known-failures list %s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *s = trim(line), *pat, *rel, *why;

		lineno++;
		if (!*s || *s == '#')
			continue;
		pat = strtok(s, " \t");
		rel = strtok(NULL, " \t");
		why = strtok(NULL, "");
		if (!pat || !rel || !why || !strchr(pat, ':'))
			die(2, "%s:%d: want '<case>:<test> <release-glob> <reason>'", path, lineno);
		opt.known = realloc(opt.known, (opt.nknown + 1) * sizeof(*opt.known));
		if (!opt.known)
			die(2, "out of memory");
		opt.known[opt.nknown].pattern = xstrdup(pat);
		opt.known[opt.nknown].release = xstrdup(rel);
		opt.known[opt.nknown].reason = xstrdup(trim(why));
		opt.known[opt.nknown].intermittent =
			!strncasecmp(opt.known[opt.nknown].reason, "intermittent:", 13);
		opt.nknown++;
	}
	free(line);
	fclose(f);
}

/* The ABI of a program: "i386" for a 32-bit x86 ELF (run through the
 * compat ABI of a 64-bit kernel), else this machine's (a script too). */
static const char *program_abi(const char *path)
{
	unsigned char h[EI_NIDENT + 4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, h, sizeof(h));

	if (fd >= 0)
		close(fd);
	if (n == (ssize_t)sizeof(h) && !memcmp(h, ELFMAG, SELFMAG) &&
	    h[EI_CLASS] == ELFCLASS32 && h[EI_NIDENT + 2] == EM_386 &&
	    h[EI_NIDENT + 3] == 0)
		return "i386";
	return opt.uts.machine;
}

/* Does an entry's release glob (plain, or ABI:GLOB) hold for case c? */
static bool release_matches(const char *glob, const struct kase *c)
{
	const char *colon = strchr(glob, ':');

	if (!colon)
		return !fnmatch(glob, opt.uts.release, 0);
	return strlen(c->abi) == (size_t)(colon - glob) &&
	       !strncmp(glob, c->abi, colon - glob) &&
	       !fnmatch(colon + 1, opt.uts.release, 0);
}

static const struct known *find_known(const struct kase *c, const char *test)
{
	char *full = xasprintf("%s:%s", c->id, test);
	const struct known *hit = NULL;

	for (int i = 0; i < opt.nknown && !hit; i++)
		if (!fnmatch(opt.known[i].pattern, full, 0) &&
		    release_matches(opt.known[i].release, c))
			hit = &opt.known[i];
	free(full);
	return hit;
}

/* A listed failure is known-failing; a listed pass is remembered for the
 * trailer, and noted in the case unless the entry is intermittent. */
static void apply_known(struct kase *c, struct point *p)
{
	const struct known *k;

	if (p->result != P_FAIL && p->result != P_PASS)
		return;
	k = find_known(c, p->name);
	if (!k)
		return;
	if (p->result == P_FAIL) {
		p->result = P_KNOWN;
		free(p->reason);
		p->reason = xstrdup(k->reason);
		return;
	}
	p->listed = k;
	if (!k->intermittent) {
		char *note = xasprintf("%s is on the known-failures list but passed\n", p->name);

		append(&c->diag, note);
		free(note);
	}
}

/* ------------------------------------------------------------------ */
/* interfaces                                                          */
/* ------------------------------------------------------------------ */

/* Why an interface is refused, e.g. "io_uring is disabled: io_uring_setup
 * gives EPERM (kernel.io_uring_disabled=2)", with the knob that may say why. */
static void refused(int which, int err)
{
	const char *errname = strerrorname_np(err);
	char num[32], extra[128] = "";

	if (!errname) {
		snprintf(num, sizeof(num), "errno %d", err);
		errname = num;
	}
	if (which == IF_URING) {
		long v = read_long_file("/proc/sys/kernel/io_uring_disabled");

		if (v >= 0)
			snprintf(extra, sizeof(extra), " (kernel.io_uring_disabled=%ld)", v);
	} else if (which == IF_AIO && err == EAGAIN) {
		snprintf(extra, sizeof(extra), " (fs.aio-nr %ld of fs.aio-max-nr %ld)",
			 read_long_file("/proc/sys/fs/aio-nr"),
			 read_long_file("/proc/sys/fs/aio-max-nr"));
	}
	ifaces[which].why = xasprintf("%s is disabled: %s gives %s%s", ifaces[which].name,
				      ifaces[which].call, errname, extra);
}

/*
 * Raw syscalls, as a container's seccomp filter or a sysctl sees them: a
 * refused interface turns its cases into skips, and the reader of the
 * results should see that once rather than in every skip reason.
 */
static void probe_interfaces(void)
{
	struct io_uring_params params;
	aio_context_t ctx = 0;
	long fd;

	memset(&params, 0, sizeof(params));
	fd = syscall(__NR_io_uring_setup, 1, &params);
	if (fd >= 0)
		close((int)fd);
	else
		refused(IF_URING, errno);
	if (syscall(__NR_io_setup, 1, &ctx) == 0)
		syscall(__NR_io_destroy, ctx);
	else
		refused(IF_AIO, errno);
	fd = syscall(__NR_epoll_create1, 0);
	if (fd >= 0)
		close((int)fd);
	else
		refused(IF_EPOLL, errno);
}

/* ------------------------------------------------------------------ */
/* starting and stopping cases                                         */
/* ------------------------------------------------------------------ */

/* uring/nop from build/cases/uring/nop; a foreign program by its name. */
static char *case_id(const char *path)
{
	const char *p = path, *hit = NULL;

	while ((p = strstr(p, "cases/"))) {
		if (p == path || p[-1] == '/')
			hit = p + strlen("cases/");
		p++;
	}
	if (!hit) {
		hit = strrchr(path, '/');
		hit = hit ? hit + 1 : path;
	}
	return xstrdup(hit);
}

/*
 * A case killed by a signal cannot clean up its temp files, so every case
 * gets a fresh TMPDIR of its own, removed when the case has ended.
 */
static char *case_tmpdir(const struct kase *c)
{
	return xasprintf("%s/%ld", opt.tmproot, (long)(c - opt.cases));
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	remove(path);
	return 0;
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *tap_path(const struct kase *c, bool partial)
{
	return xasprintf("%s/%s.tap%s", opt.outdir, c->id, partial ? ".part" : "");
}

static void dmesg_before(struct kase *c)
{
	c->taint_before = read_long_file("/proc/sys/kernel/tainted");
	c->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->kmsg_fd >= 0)
		lseek(c->kmsg_fd, 0, SEEK_END);	/* only what the case causes */
}

static void start_case(struct kase *c)
{
	char *part = tap_path(c, true);
	char *dir = xstrdup(part);
	char *tmp = case_tmpdir(c);
	pid_t pid;

	*strrchr(dir, '/') = '\0';
	if (mkdir_p(dir) < 0)
		die(2, "cannot create %s: %s", dir, strerror(errno));
	free(dir);
	if (mkdir(tmp, 0700) < 0)
		die(2, "cannot create %s: %s", tmp, strerror(errno));
	if (opt.dmesg)
		dmesg_before(c);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die(2, "fork: %s", strerror(errno));
	if (pid == 0) {
		sigset_t none;
		int out = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

		/* A session of its own: the harness moves each test into a
		 * new process group, so the group alone cannot find them all. */
		setsid();
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		/* Tests that create files in "." (liburing's do) write them
		 * into TMPDIR, which goes when the case ends; PWD follows so
		 * that a shell's pwd agrees. */
		if (out < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
		    dup2(out, 2) < 0 || setenv("TMPDIR", tmp, 1) < 0 ||
		    chdir(tmp) < 0 || setenv("PWD", tmp, 1) < 0)
			_exit(126);
		execl(c->exec, c->exec, (char *)NULL);
		if (errno == ENOEXEC) {
			/* A program this kernel cannot run at all (an i386 one
			 * without IA32 emulation): one skipped point that says
			 * what was tried and what came back, not an error. */
			dprintf(1, "TAP version 13\n1..1\nok 1 exec # SKIP "
				CONFORM_ENV "execve: %s: this kernel cannot run the program "
				"(an i386 program needs IA32 emulation: "
				"CONFIG_IA32_EMULATION, and not ia32_emulation=0)\n",
				strerror(ENOEXEC));
			_exit(4);
		}
		dprintf(2, "runner: cannot execute %s: %s\n", c->path, strerror(errno));
		_exit(127);
	}
	free(part);
	free(tmp);
	c->pid = pid;
	c->start = now();
	c->running = true;
}

/* Kill every process still in the case's session (sid == the case's pid). */
static void kill_session(pid_t sid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	kill(-sid, SIGKILL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[64], buf[512], *p;
		int pid = atoi(e->d_name), fd;
		ssize_t n;
		long ppid, pgrp, session;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strrchr(buf, ')');	/* the command name may hold anything */
		if (p && sscanf(p + 1, " %*c %ld %ld %ld", &ppid, &pgrp, &session) == 3 &&
		    session == sid)
			kill(pid, SIGKILL);
	}
	closedir(d);
}

/* ------------------------------------------------------------------ */
/* reading a case's TAP                                                */
/* ------------------------------------------------------------------ */

static struct point *add_point(struct kase *c)
{
	struct point *p;

	c->points = realloc(c->points, (c->npoints + 1) * sizeof(*c->points));
	if (!c->points)
		die(2, "out of memory");
	p = &c->points[c->npoints++];
	memset(p, 0, sizeof(*p));
	return p;
}

static void set_malformed(struct kase *c, const char *why)
{
	if (!c->malformed)
		c->malformed = xstrdup(why);
}

/* "ok 3 global.name # SKIP why" and the like, at the line's start. */
static void parse_result(struct kase *c, char *line, const char *last_run,
			 char **pending_log, struct decl *pending_decl)
{
	bool ok = strncmp(line, "ok", 2) == 0;
	char *s = line + (ok ? 2 : 6), *hash, *desc, *directive = NULL;
	struct point *p;
	long num;

	if (*s && !isspace((unsigned char)*s))
		return;		/* "okay ..." is not a result line */
	s = trim(s);
	num = isdigit((unsigned char)*s) ? strtol(s, &s, 10) : c->npoints + 1;
	if (num != c->npoints + 1)
		set_malformed(c, "test numbers out of sequence");
	hash = strchr(s, '#');
	if (hash) {
		*hash = '\0';
		directive = trim(hash + 1);
	}
	desc = trim(s);
	if (*desc == '-')
		desc = trim(desc + 1);
	/* kselftest prints skip lines without the test's name. */
	if (!*desc && last_run)
		desc = (char *)last_run;
	if (!strncmp(desc, "global.", 7))
		desc += 7;

	p = add_point(c);
	p->name = xstrdup(*desc ? desc : "(unnamed)");
	if (directive && !strncasecmp(directive, "skip", 4)) {
		p->result = P_SKIP;
		p->reason = xstrdup(trim(directive + 4));
	} else if (directive && !strncasecmp(directive, "xfail", 5)) {
		p->result = ok ? P_XFAIL : P_FAIL;
		p->reason = xstrdup(trim(directive + 5));
	} else if (directive && !strncasecmp(directive, "todo", 4) && !ok) {
		p->result = P_XFAIL;
		p->reason = xstrdup(trim(directive + 4));
	} else {
		p->result = ok ? P_PASS : P_FAIL;
		if (directive)
			p->reason = xstrdup(directive);
	}
	if (p->result == P_FAIL) {
		p->log = *pending_log;
		*pending_log = NULL;
	}
	p->decl = *pending_decl;
	memset(pending_decl, 0, sizeof(*pending_decl));
	apply_known(c, p);
	c->counts[p->result]++;
}

static void free_decl(struct decl *d)
{
	free(d->since);
	free(d->feature);
	free(d->source);
	memset(d, 0, sizeof(*d));
}

/* "SINCE | FEATURE | SOURCE" into d; a line without three fields is ignored. */
static void parse_decl(char *text, struct decl *d)
{
	char *bar1 = strstr(text, " | "), *bar2 = bar1 ? strstr(bar1 + 3, " | ") : NULL;

	if (!bar2)
		return;
	*bar1 = *bar2 = '\0';
	free_decl(d);
	d->since = xstrdup(trim(text));
	d->feature = xstrdup(trim(bar1 + 3));
	d->source = xstrdup(trim(bar2 + 3));
}

/* Dotted versions compared number by number: "5.10" comes after "5.9". */
static int version_cmp(const char *a, const char *b)
{
	for (;;) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*ea != '.' || *eb != '.')
			return (*ea == '.') - (*eb == '.');	/* 5.1 before 5.1.3 */
		a = ea + 1;
		b = eb + 1;
	}
}

/* Lines only a TAP producer prints ("okay" is not a result line). */
static bool tap_marker(const char *line)
{
	if (!strncmp(line, "not ok", 6))
		line += 4;
	if (!strncmp(line, "ok", 2))
		return !line[2] || isspace((unsigned char)line[2]);
	return !strncmp(line, "TAP version", 11) || !strncmp(line, "1..", 3) ||
	       !strncmp(line, "Bail out!", 9);
}

static void parse_tap(struct kase *c)
{
	char *path = tap_path(c, false);
	FILE *f = fopen(path, "re");
	char *line = NULL, *last_run = NULL, *pending_log = NULL;
	struct decl pending_decl = { 0 };
	size_t cap = 0;
	ssize_t len;

	free(path);
	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (tap_marker(line))
			c->tap = true;
		if (!strncmp(line, "ok", 2) || !strncmp(line, "not ok", 6)) {
			parse_result(c, line, last_run, &pending_log, &pending_decl);
			free(last_run);
			last_run = NULL;
			free(pending_log);
			pending_log = NULL;
		} else if (!strncmp(line, "1..", 3)) {
			char *end, *hash = strchr(line, '#');

			if (c->have_plan)
				set_malformed(c, "more than one plan line");
			c->have_plan = true;
			c->plan = (int)strtol(line + 3, &end, 10);
			if (end == line + 3)
				set_malformed(c, "plan line without a count");
			if (c->plan == 0 && hash && !strncasecmp(trim(hash + 1), "skip", 4)) {
				c->plan_skip = true;
				append(&c->diag, trim(hash + 1));
			}
		} else if (!strncmp(line, "Bail out!", 9)) {
			c->bailed = true;
			append(&c->diag, line);
			append(&c->diag, "\n");
		} else if (!strncmp(line, "# conform-test: ", 16)) {
			parse_decl(line + 16, &pending_decl);
		} else if (!strncmp(line, "#  RUN ", 7)) {
			char *name = trim(line + 7), *dots = strstr(name, " ...");

			if (dots)
				*dots = '\0';
			free(last_run);
			last_run = xstrdup(name);
			free(pending_log);
			pending_log = NULL;
		} else if (line[0] == '#' && last_run) {
			append(&pending_log, line);
			append(&pending_log, "\n");
		}
	}
	free(line);
	free(last_run);
	free(pending_log);
	free_decl(&pending_decl);
	fclose(f);
	/* A case's since is its earliest TEST's: the first kernel on which any
	 * of its behaviours holds. */
	for (int i = 0; i < c->npoints && !c->since[0]; i++) {
		const struct decl *d = &c->points[i].decl, *best = d;

		if (!d->since)
			continue;
		for (int j = i + 1; j < c->npoints; j++)
			if (c->points[j].decl.since &&
			    version_cmp(c->points[j].decl.since, best->since) < 0)
				best = &c->points[j].decl;
		snprintf(c->since, sizeof(c->since), "%s", best->since);
		snprintf(c->feature, sizeof(c->feature), "%s", best->feature);
	}
}

/* The last lines of the output (up to LOG_MAX bytes), or NULL. */
static char *tail_text(const struct kase *c, int nlines)
{
	char *path = tap_path(c, false);
	FILE *f = fopen(path, "re");
	char *ring[32] = { 0 }, *line = NULL, *text = NULL;
	size_t cap = 0;
	long n = 0;

	free(path);
	if (!f)
		return NULL;
	if (nlines > 32)
		nlines = 32;
	while (getline(&line, &cap, f) >= 0) {
		free(ring[n % nlines]);
		ring[n % nlines] = xstrdup(line);
		n++;
	}
	for (long i = n > nlines ? n - nlines : 0; i < n; i++)
		append(&text, ring[i % nlines]);
	for (int i = 0; i < nlines; i++)
		free(ring[i]);
	free(line);
	fclose(f);
	return text;
}

/* The last lines of the output, for crashes, timeouts and failures. */
static void attach_tail(struct kase *c, int nlines)
{
	char *text = tail_text(c, nlines);

	if (!text)
		return;		/* no output at all: nothing to show */
	append(&c->diag, "last output:\n");
	append(&c->diag, text);
	free(text);
}

/* ------------------------------------------------------------------ */
/* verdicts                                                            */
/* ------------------------------------------------------------------ */

static const char *const dmesg_patterns[] = {
	"WARNING:", "BUG:", "Oops", "KASAN", "UBSAN", "Call Trace"
};

/* With --dmesg: what the kernel logged and tainted while the case ran. */
static bool dmesg_after(struct kase *c)
{
	char rec[8192];
	bool bad = false;
	long taint = read_long_file("/proc/sys/kernel/tainted");

	if (c->kmsg_fd >= 0) {
		for (;;) {
			ssize_t n = read(c->kmsg_fd, rec, sizeof(rec) - 1);
			char *msg;

			if (n < 0 && errno == EPIPE)
				continue;	/* records were overwritten: go on */
			if (n <= 0)
				break;
			rec[n] = '\0';
			msg = strchr(rec, ';');
			msg = msg ? msg + 1 : rec;
			for (size_t i = 0; i < sizeof(dmesg_patterns) / sizeof(*dmesg_patterns); i++) {
				if (strstr(msg, dmesg_patterns[i])) {
					append(&c->diag, "kernel log: ");
					append(&c->diag, msg);
					bad = true;
					break;
				}
			}
		}
		close(c->kmsg_fd);
		c->kmsg_fd = -1;
	}
	if (taint >= 0 && c->taint_before >= 0 && (taint & ~c->taint_before)) {
		char *s = xasprintf("kernel taint: new bits 0x%lx (now 0x%lx)\n",
				    taint & ~c->taint_before, taint);

		append(&c->diag, s);
		free(s);
		bad = true;
	}
	return bad;
}

/*
 * A program that prints no TAP at all (liburing's tests, automake tests) is
 * one test point judged by its exit status, as automake and kselftest do:
 * 0 pass, 77 or 4 (KSFT_SKIP) skip, anything else fail.
 */
static void judge_exit(struct kase *c, int code)
{
	struct point *p = add_point(c);

	p->name = xstrdup(EXIT_POINT);
	if (code == 0) {
		p->result = P_PASS;
	} else if (code == 77 || code == 4) {
		p->result = P_SKIP;
		p->reason = xasprintf("exit %d (%s), no TAP output", code,
				      code == 77 ? "skip" : "KSFT_SKIP");
	} else {
		p->result = P_FAIL;
		p->reason = xasprintf("exit %d, no TAP output", code);
		p->log = tail_text(c, 15);
	}
	apply_known(c, p);
	c->counts[p->result]++;
	switch (p->result) {
	case P_PASS: c->status = S_PASS; break;
	case P_SKIP: c->status = S_SKIP; break;
	case P_KNOWN: c->status = S_KNOWN; break;
	default: c->status = S_FAIL; break;
	}
	if (p->result == P_FAIL || p->result == P_KNOWN) {
		char *s = xasprintf("exit %d, no TAP output\n", code);

		append(&c->diag, s);
		free(s);
		attach_tail(c, 15);
	}
}

/*
 * A skip on a kernel at or after the TEST's declared since is a failure
 * ("unexpected skip": a kernel that stops supporting a feature must not
 * pass), unless its reason puts the cause outside the kernel's version
 * (skip_reasons.h: CONFORM_ENV, CONFORM_UNSEEN). A known-failures entry can
 * list such a point like any failure.
 */
static void judge_skips(struct kase *c)
{
	int unexpected = 0;

	for (int i = 0; i < c->npoints; i++) {
		struct point *p = &c->points[i];
		const char *why = p->reason ? p->reason : "";
		char *text;

		if (p->result != P_SKIP || !p->decl.since ||
		    version_cmp(opt.uts.release, p->decl.since) < 0 ||
		    !strncmp(why, CONFORM_ENV, strlen(CONFORM_ENV)) ||
		    !strncmp(why, CONFORM_UNSEEN, strlen(CONFORM_UNSEEN)))
			continue;
		text = xasprintf("unexpected skip: kernel %s is at or after the test's since %s "
				 "(%s), and the reason names no cause outside the kernel: %s",
				 opt.uts.release, p->decl.since, p->decl.feature, why);
		c->counts[P_SKIP]--;
		p->result = P_FAIL;
		free(p->reason);
		p->reason = xstrdup(text);
		free(p->log);
		p->log = xasprintf("%s\n", text);
		apply_known(c, p);
		c->counts[p->result]++;
		if (p->result == P_FAIL) {
			append(&c->diag, text);
			append(&c->diag, "\n");
		}
		free(text);
		unexpected++;
	}
	if (!unexpected || (c->status != S_PASS && c->status != S_SKIP && c->status != S_KNOWN))
		return;
	c->status = c->counts[P_FAIL] ? S_FAIL : S_KNOWN;
}

static void classify(struct kase *c)
{
	int code = WIFEXITED(c->wstatus) ? WEXITSTATUS(c->wstatus) : -1;
	int fails, known;
	char *s = NULL;

	parse_tap(c);
	fails = c->counts[P_FAIL];
	known = c->counts[P_KNOWN];
	if (c->timed_out) {
		c->status = S_TIMEOUT;
		s = xasprintf("killed after the %.0f s timeout\n", opt.timeout);
	} else if (WIFSIGNALED(c->wstatus)) {
		c->status = S_CRASH;
		s = xasprintf("killed by signal %d (%s)\n", WTERMSIG(c->wstatus),
			      strsignal(WTERMSIG(c->wstatus)));
	} else if (code == 126 || code == 127) {
		c->status = S_ERROR;
		s = xasprintf("could not be executed (exit %d)\n", code);
	} else if (!c->tap) {
		judge_exit(c, code);
	} else if (c->bailed) {
		c->status = S_ERROR;
	} else if (!c->have_plan) {
		c->status = S_ERROR;
		s = xstrdup("no TAP plan line (1..N)\n");
	} else if (c->malformed) {
		c->status = S_ERROR;
		s = xasprintf("malformed TAP: %s\n", c->malformed);
	} else if (c->npoints != c->plan) {
		c->status = S_ERROR;
		s = xasprintf("truncated TAP: plan 1..%d but %d results\n", c->plan, c->npoints);
	} else if (code == 0 && fails + known > 0) {
		c->status = S_ERROR;
		s = xasprintf("exit 0 contradicts %d failed tests\n", fails + known);
	} else if (code == 4 && c->counts[P_SKIP] != c->npoints) {
		c->status = S_ERROR;
		s = xstrdup("exit 4 (KSFT_SKIP) but not every test was skipped\n");
	} else if (code != 0 && code != 4 && fails + known == 0) {
		c->status = S_ERROR;
		s = xasprintf("exit %d contradicts TAP with no failed test\n", code);
	} else if (fails) {
		c->status = S_FAIL;
	} else if (known) {
		c->status = S_KNOWN;
	} else if (c->plan_skip || c->counts[P_SKIP] == c->npoints) {
		c->status = S_SKIP;
	} else {
		c->status = S_PASS;
	}
	if (s) {
		append(&c->diag, s);
		free(s);
	}
	judge_skips(c);
	if (c->status == S_TIMEOUT || c->status == S_CRASH || c->status == S_ERROR)
		attach_tail(c, 15);
	if (opt.dmesg && dmesg_after(c) && c->status != S_TIMEOUT &&
	    c->status != S_CRASH && c->status != S_ERROR)
		c->status = S_FAIL;
}

/* Test points that count as failed: its own plus one for a broken case. */
static int failed_points(const struct kase *c)
{
	bool broken = c->status == S_TIMEOUT || c->status == S_CRASH ||
		      c->status == S_ERROR ||
		      (c->status == S_FAIL && c->counts[P_FAIL] == 0);

	return c->counts[P_FAIL] + (broken ? 1 : 0);
}

static bool unexpected(const struct kase *c)
{
	return c->status != S_PASS && c->status != S_SKIP && c->status != S_KNOWN;
}

/* ------------------------------------------------------------------ */
/* output                                                              */
/* ------------------------------------------------------------------ */

static FILE *tap_copy;	/* DIR/run.tap.part: the same TAP as stdout */
static void json_case(FILE *f, const struct kase *c);

static void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (tap_copy) {
		va_start(ap, fmt);
		vfprintf(tap_copy, fmt, ap);
		va_end(ap);
	}
}

static void clear_progress(void)
{
	if (opt.progress)
		fputs("\r\033[K", stderr);
}

static void print_case(const struct kase *c, int number)
{
	char *path = tap_path(c, false), *line = NULL;
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	long lines = 0;

	clear_progress();
	if (f) {
		while (getline(&line, &cap, f) >= 0) {
			if (++lines <= NEST_MAX_LINES)
				emit("# %s", line);
			if (lines <= NEST_MAX_LINES && line[strlen(line) - 1] != '\n')
				emit("\n");
		}
		if (lines > NEST_MAX_LINES)
			emit("# [%ld more lines in %s]\n", lines - NEST_MAX_LINES, path);
		fclose(f);
	}
	free(line);
	free(path);
	switch (c->status) {
	case S_PASS:
		emit("ok %d %s\n", number, c->id);
		break;
	case S_SKIP:
		emit("ok %d %s # SKIP %s\n", number, c->id,
		     c->npoints ? c->points[0].reason : "plan 1..0");
		break;
	case S_KNOWN:
		emit("not ok %d %s # TODO known-failing\n", number, c->id);
		break;
	case S_NOTRUN:
		emit("not ok %d %s # not run: interrupted\n", number, c->id);
		break;
	default:
		emit("not ok %d %s # %s\n", number, c->id, status_names[c->status]);
	}
	if (c->diag && c->status != S_PASS && c->status != S_SKIP) {
		char *copy = xstrdup(c->diag), *save = NULL;

		for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			emit("#   %s\n", l);
		free(copy);
	}
	if (opt.case_json) {
		/* A guest that panics never sends summary.json: these lines let
		 * the host rebuild every finished case from the TAP stream. */
		char *record = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&record, &len);

		if (!m)
			die(2, "out of memory");
		json_case(m, c);
		fclose(m);
		emit("# aioconf-case: %s\n", record);
		free(record);
	}
	fflush(stdout);
}

static void progress(const struct kase *cases, int n, int done)
{
	const char *name = "";

	if (!opt.progress)
		return;
	for (int i = 0; i < n; i++)
		if (cases[i].running) {
			name = cases[i].id;
			break;
		}
	fprintf(stderr, "\r\033[K[%d/%d] %s", done, n, name);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* One case as a JSON object on one line: in summary.json, and behind
 * "# aioconf-case: " in the TAP with --case-json. */
static void json_case(FILE *f, const struct kase *c)
{
	fprintf(f, "{\"id\": ");
	json_str(f, c->id);
	fprintf(f, ", \"status\": \"%s\", ", status_names[c->status]);
	if (WIFEXITED(c->wstatus) && c->finished)
		fprintf(f, "\"exit\": %d, ", WEXITSTATUS(c->wstatus));
	else if (WIFSIGNALED(c->wstatus) && c->finished)
		fprintf(f, "\"signal\": %d, ", WTERMSIG(c->wstatus));
	fprintf(f, "\"duration_s\": %.3f, \"cpu_s\": %.3f, \"since\": ", c->duration, c->cpu);
	json_str(f, c->since);
	fprintf(f, ", \"feature\": ");
	json_str(f, c->feature);
	fprintf(f, ", \"counts\": {");
	for (int r = P_PASS; r <= P_KNOWN; r++)
		fprintf(f, "%s\"%s\": %d", r ? ", " : "", point_names[r], c->counts[r]);
	fprintf(f, "}, \"diagnostics\": ");
	json_str(f, c->diag);
	fprintf(f, ", \"points\": [");
	for (int p = 0; p < c->npoints; p++) {
		fprintf(f, "%s{\"name\": ", p ? ", " : "");
		json_str(f, c->points[p].name);
		fprintf(f, ", \"result\": \"%s\"", point_names[c->points[p].result]);
		if (c->points[p].reason && *c->points[p].reason) {
			fprintf(f, ", \"reason\": ");
			json_str(f, c->points[p].reason);
		}
		if (c->points[p].log) {
			fprintf(f, ", \"log\": ");
			json_str(f, c->points[p].log);
		}
		if (c->points[p].decl.since) {
			fprintf(f, ", \"since\": ");
			json_str(f, c->points[p].decl.since);
			fprintf(f, ", \"feature\": ");
			json_str(f, c->points[p].decl.feature);
			fprintf(f, ", \"source\": ");
			json_str(f, c->points[p].decl.source);
		}
		fputc('}', f);
	}
	fprintf(f, "]}");
}

/* A few facts about the kernel that explain skips. */
static void json_kernel(FILE *f)
{
	static const char *const sysctls[][2] = {
		{ "io_uring_disabled", "/proc/sys/kernel/io_uring_disabled" },
		{ "aio_max_nr", "/proc/sys/fs/aio-max-nr" },
		{ "aio_nr", "/proc/sys/fs/aio-nr" },
		{ "epoll_max_user_watches", "/proc/sys/fs/epoll/max_user_watches" },
		{ "tainted", "/proc/sys/kernel/tainted" },
	};

	fprintf(f, "  \"kernel\": {\"release\": ");
	json_str(f, opt.uts.release);
	fprintf(f, ", \"version\": ");
	json_str(f, opt.uts.version);
	fprintf(f, ", \"machine\": ");
	json_str(f, opt.uts.machine);
	fprintf(f, ", \"euid\": %u", (unsigned)geteuid());
	for (size_t i = 0; i < sizeof(sysctls) / sizeof(*sysctls); i++)
		fprintf(f, ", \"%s\": %ld", sysctls[i][0], read_long_file(sysctls[i][1]));
	fprintf(f, ", \"interfaces\": {");
	for (int i = 0; i < IF_COUNT; i++) {
		fprintf(f, "%s\"%s\": ", i ? ", " : "", ifaces[i].name);
		json_str(f, ifaces[i].why ? ifaces[i].why : "available");
	}
	fprintf(f, "}},\n");
}

static void write_summary(struct kase *cases, int n, const int *totals,
			  int failed, double wall)
{
	char *tmp = xasprintf("%s/summary.json.part", opt.outdir);
	char *final = xasprintf("%s/summary.json", opt.outdir);
	FILE *f = fopen(tmp, "we");

	if (!f)
		die(2, "cannot write %s: %s", tmp, strerror(errno));
	fprintf(f, "{\n  \"format\": 1,\n  \"tool\": \"aioconf-runner\",\n");
	json_kernel(f);
	fprintf(f, "  \"options\": {\"jobs\": %d, \"timeout_s\": %g, \"dmesg\": %s, \"known_file\": ",
		opt.jobs, opt.timeout, opt.dmesg ? "true" : "false");
	json_str(f, opt.known_file);
	fprintf(f, "},\n  \"complete\": %s,\n  \"duration_s\": %.3f,\n",
		opt.interrupted ? "false" : "true", wall);
	fprintf(f, "  \"totals\": {\"passed\": %d, \"failed\": %d, \"skipped\": %d, "
		"\"xfail\": %d, \"known\": %d, \"cases\": {",
		totals[P_PASS], failed, totals[P_SKIP], totals[P_XFAIL], totals[P_KNOWN]);
	for (int s = S_PASS; s <= S_NOTRUN; s++) {
		int count = 0;

		for (int i = 0; i < n; i++)
			count += cases[i].status == (enum case_status)s;
		fprintf(f, "%s\"%s\": %d", s ? ", " : "", status_names[s], count);
	}
	fprintf(f, "}},\n  \"cases\": [\n");
	for (int i = 0; i < n; i++) {
		fprintf(f, "    ");
		json_case(f, &cases[i]);
		fprintf(f, "%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fflush(f) || ferror(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, final))
		die(2, "cannot write %s: %s", final, strerror(errno));
	free(tmp);
	free(final);
}

/* A comma-separated list of names, for one trailer line. */
struct list {
	char *text;
	size_t len;
	FILE *f;
	int count;
};

static void list_open(struct list *l)
{
	memset(l, 0, sizeof(*l));
	l->f = open_memstream(&l->text, &l->len);
	if (!l->f)
		die(2, "out of memory");
}

static void list_add(struct list *l, const char *fmt, ...)
{
	va_list ap;

	if (l->count++)
		fputs(", ", l->f);
	va_start(ap, fmt);
	vfprintf(l->f, fmt, ap);
	va_end(ap);
}

/* Print "PREFIX<list>" when the list has anything in it. */
static void list_emit(struct list *l, const char *prefix)
{
	fclose(l->f);
	if (l->count)
		emit("%s%s\n", prefix, l->text);
	free(l->text);
}

/*
 * The lines between the last case and "# results in DIR (T s)". A terminal
 * view reads them by their prefixes, so keep those as they are:
 *   # cases: N pass, N fail, ...                       always
 *   # test points: N xfail, N known-failing ...        always
 *   # known-failing: ID, ...                           cases with status known
 *   # unexpected: ID (STATUS), ...                     not pass, skip or known
 *   # disabled: WHY                                    one per refused interface
 *   # known-failures that passed: ID:TEST, ...         remove these entries
 *   # intermittent known-failures that did not show: N (ID:TEST, ...)
 * Each line after the first two only when it has something to list.
 */
static void print_trailer(const struct kase *cases, int n, const int *totals)
{
	int by_status[S_NOTRUN + 1] = { 0 };
	struct list known_cases, unexp, passed, quiet;

	for (int i = 0; i < n; i++)
		by_status[cases[i].status]++;
	emit("# cases: %d pass, %d fail, %d known-failing, %d skip, %d timeout, "
	     "%d crash, %d error, %d not run\n",
	     by_status[S_PASS], by_status[S_FAIL], by_status[S_KNOWN], by_status[S_SKIP],
	     by_status[S_TIMEOUT], by_status[S_CRASH], by_status[S_ERROR],
	     by_status[S_NOTRUN]);
	emit("# test points: %d xfail, %d known-failing (not counted as passed)\n",
	     totals[P_XFAIL], totals[P_KNOWN]);

	list_open(&known_cases);
	list_open(&unexp);
	list_open(&passed);
	list_open(&quiet);
	for (int i = 0; i < n; i++) {
		const struct kase *c = &cases[i];

		if (c->status == S_KNOWN)
			list_add(&known_cases, "%s", c->id);
		else if (unexpected(c))
			list_add(&unexp, "%s (%s)", c->id, status_names[c->status]);
		for (int p = 0; p < c->npoints; p++) {
			const struct point *pt = &c->points[p];

			if (pt->listed)
				list_add(pt->listed->intermittent ? &quiet : &passed,
					 "%s:%s", c->id, pt->name);
		}
	}
	list_emit(&known_cases, "# known-failing: ");
	list_emit(&unexp, "# unexpected: ");
	for (int i = 0; i < IF_COUNT; i++)
		if (ifaces[i].why)
			emit("# disabled: %s\n", ifaces[i].why);
	list_emit(&passed, "# known-failures that passed: ");
	fclose(quiet.f);
	if (quiet.count)
		emit("# intermittent known-failures that did not show: %d (%s)\n",
		     quiet.count, quiet.text);
	free(quiet.text);
}

/* ------------------------------------------------------------------ */
/* main loop                                                           */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: runner [-j N] [-t SECS] [-o DIR] [--dmesg] [--known FILE] [--case-json] CASE...\n"
		"  -j N          run at most N cases at once (default: number of CPUs)\n"
		"  -t SECS       kill a case's whole session after SECS seconds (default 60)\n"
		"  -o DIR        write DIR/<id>.tap, DIR/run.tap and DIR/summary.json\n"
		"  --dmesg       fail a case that logs WARNING/BUG/Oops/KASAN/UBSAN/Call Trace\n"
		"                or taints the kernel (needs /dev/kmsg; runs cases one at a time)\n"
		"  --known FILE  reviewed known failures: '<case>:<test> <release-glob> <reason>'\n"
		"  --case-json   after each case, its summary.json record as a TAP comment\n"
		"                \"# aioconf-case: {...}\" (a QEMU guest uses it: a panic loses\n"
		"                summary.json, not the TAP already sent)\n"
		"Each case runs in a fresh directory, also its TMPDIR, removed afterwards.\n"
		"A CASE that prints TAP is judged by its TAP. One that prints none (no line\n"
		"starting \"TAP version\", \"1..\", \"ok\", \"not ok\" or \"Bail out!\") is judged\n"
		"by its exit status as one test point \"%s\": 0 pass, 77 or 4 skip,\n"
		"anything else fail; 126 or 127 (could not run) is an error.\n"
		"Known-failures entries whose reason starts \"intermittent:\" may pass.\n",
		EXIT_POINT);
}

static double parse_timeout(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400)
		die(2, "-t wants a number of seconds above 0, not '%s'", s);
	return v;
}

static int parse_jobs(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > 1024)
		die(2, "-j wants a whole number from 1 to 1024, not '%s'", s);
	return (int)v;
}

static struct kase *by_pid(struct kase *cases, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (cases[i].running && cases[i].pid == pid)
			return &cases[i];
	return NULL;
}

static void finish_case(struct kase *c, int wstatus, const struct rusage *ru)
{
	char *part = tap_path(c, true), *final = tap_path(c, false);
	char *tmp = case_tmpdir(c);

	c->wstatus = wstatus;
	c->duration = now() - c->start;
	c->cpu = (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
		 (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
	c->running = false;
	c->finished = true;
	kill_session(c->pid);	/* leftovers that kept running */
	remove_tree(tmp);
	free(tmp);
	if (rename(part, final) < 0)
		die(2, "cannot rename %s: %s", part, strerror(errno));
	free(part);
	free(final);
	classify(c);
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "dmesg", no_argument, NULL, 'D' },
		{ "known", required_argument, NULL, 'K' },
		{ "case-json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct kase *cases;
	int n, ch, running = 0, next_start = 0, next_print = 0, done = 0;
	int totals[5] = { 0 }, failed = 0, unexpected_cases = 0;
	sigset_t wait_set;
	double t0 = now();
	char *tap_tmp, *tap_final;

	while ((ch = getopt_long(argc, argv, "j:t:o:h", longs, NULL)) != -1) {
		switch (ch) {
		case 'j': opt.jobs = parse_jobs(optarg); break;
		case 't': opt.timeout = parse_timeout(optarg); break;
		case 'o': opt.outdir = optarg; break;
		case 'D': opt.dmesg = true; break;
		case 'K': opt.known_file = optarg; break;
		case 'J': opt.case_json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	n = argc - optind;
	if (n <= 0) {
		usage(stderr);
		return 2;
	}
	uname(&opt.uts);
	probe_interfaces();
	if (opt.known_file)
		load_known(opt.known_file);
	if (opt.jobs == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		opt.jobs = cpus > 0 ? (int)cpus : 1;
	}
	if (opt.dmesg) {
		int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

		if (fd < 0)
			die(2, "--dmesg needs to read /dev/kmsg: %s", strerror(errno));
		close(fd);
		opt.jobs = 1;	/* a kernel message must name one case */
	}
	if (mkdir_p(opt.outdir) < 0)
		die(2, "cannot create %s: %s", opt.outdir, strerror(errno));
	cases = opt.cases = xcalloc(n, sizeof(*cases));
	for (int i = 0; i < n; i++) {
		cases[i].path = argv[optind + i];
		cases[i].exec = absolute(cases[i].path);
		cases[i].id = case_id(cases[i].path);
		cases[i].abi = program_abi(cases[i].exec);
		cases[i].status = S_NOTRUN;
		cases[i].kmsg_fd = -1;
		if (access(cases[i].path, X_OK) < 0)
			die(2, "%s: %s", cases[i].path, strerror(errno));
	}
	opt.progress = isatty(STDERR_FILENO);
	{
		const char *env = getenv("TMPDIR");
		/* Absolute: each case runs inside its own directory. */
		char *base = absolute(env && *env ? env : "/tmp");

		snprintf(opt.tmproot, sizeof(opt.tmproot), "%s/aioconf-run.XXXXXX", base);
		free(base);
		if (!mkdtemp(opt.tmproot))
			die(2, "cannot create a temporary directory %s: %s",
			    opt.tmproot, strerror(errno));
	}

	/* Orphaned test processes come back to us, so they can be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&wait_set);
	sigaddset(&wait_set, SIGCHLD);
	sigaddset(&wait_set, SIGINT);
	sigaddset(&wait_set, SIGTERM);
	sigaddset(&wait_set, SIGHUP);
	sigprocmask(SIG_BLOCK, &wait_set, NULL);
	signal(SIGPIPE, SIG_IGN);

	tap_tmp = xasprintf("%s/run.tap.part", opt.outdir);
	tap_final = xasprintf("%s/run.tap", opt.outdir);
	tap_copy = fopen(tap_tmp, "we");
	if (!tap_copy)
		die(2, "cannot write %s: %s", tap_tmp, strerror(errno));
	emit("TAP version 13\n1..%d\n", n);
	emit("# aioconf runner: kernel %s %s, %d cases, -j %d, timeout %g s%s\n",
	     opt.uts.release, opt.uts.machine, n, opt.jobs, opt.timeout,
	     opt.dmesg ? ", dmesg checked" : "");

	while (next_print < n && !opt.interrupted) {
		struct timespec wait;
		double deadline = 1e18, t;
		siginfo_t info;
		pid_t pid;
		int status, sig;
		struct rusage usage;

		while (running < opt.jobs && next_start < n) {
			start_case(&cases[next_start++]);
			running++;
		}
		progress(cases, n, done);
		for (int i = 0; i < n; i++)
			if (cases[i].running && !cases[i].timed_out &&
			    cases[i].start + opt.timeout < deadline)
				deadline = cases[i].start + opt.timeout;
		t = deadline - now();
		if (t < 0)
			t = 0;
		if (t > 1)
			t = 1;
		wait.tv_sec = (time_t)t;
		wait.tv_nsec = (long)((t - (double)wait.tv_sec) * 1e9);
		sig = sigtimedwait(&wait_set, &info, &wait);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			opt.interrupted = true;
			break;
		}
		while ((pid = wait4(-1, &status, WNOHANG, &usage)) > 0) {
			struct kase *c = by_pid(cases, n, pid);

			if (!c)
				continue;	/* an orphan the subreaper took in */
			finish_case(c, status, &usage);
			running--;
			done++;
		}
		t = now();
		for (int i = 0; i < n; i++) {
			struct kase *c = &cases[i];

			if (c->running && !c->timed_out && t >= c->start + opt.timeout) {
				c->timed_out = true;
				kill_session(c->pid);
			}
		}
		/* Print in the order given, whatever order they end in. */
		while (next_print < n && cases[next_print].finished) {
			print_case(&cases[next_print], next_print + 1);
			next_print++;
		}
	}

	if (opt.interrupted) {
		/* Keep what finished; the rest is marked, not lost. */
		for (int i = 0; i < n; i++) {
			if (!cases[i].running)
				continue;
			kill_session(cases[i].pid);
			waitpid(cases[i].pid, NULL, 0);
			cases[i].running = false;
			{
				char *tmp = case_tmpdir(&cases[i]);
				char *part = tap_path(&cases[i], true);
				char *final = tap_path(&cases[i], false);

				remove_tree(tmp);
				/* What it wrote up to now is worth keeping. */
				if (rename(part, final) < 0)
					fprintf(stderr, "runner: cannot rename %s: %s\n",
						part, strerror(errno));
				free(tmp);
				free(part);
				free(final);
			}
			append(&cases[i].diag, "interrupted while running\n");
		}
		for (int i = next_print; i < n; i++)
			print_case(&cases[i], i + 1);
		emit("# interrupted: %d of %d cases finished; results are incomplete\n", done, n);
	}
	clear_progress();

	for (int i = 0; i < n; i++) {
		for (int r = P_PASS; r <= P_KNOWN; r++)
			totals[r] += cases[i].counts[r];
		failed += failed_points(&cases[i]);
		unexpected_cases += unexpected(&cases[i]);
	}
	print_trailer(cases, n, totals);
	emit("# results in %s (%.1f s)\n", opt.outdir, now() - t0);
	emit("%d passed, %d failed, %d skipped\n", totals[P_PASS], failed, totals[P_SKIP]);
	fflush(stdout);

	remove_tree(opt.tmproot);
	write_summary(cases, n, totals, failed, now() - t0);
	if (fclose(tap_copy) || rename(tap_tmp, tap_final))
		die(2, "cannot write %s: %s", tap_final, strerror(errno));
	if (opt.interrupted)
		return 130;	/* like a shell: interrupted, results incomplete */
	return unexpected_cases ? 1 : 0;
}
