// SPDX-License-Identifier: MIT
/*
 * uring/smp-affinity: where io_uring's own threads may run, on a machine
 * where this process may use two CPUs or more. The SQ poll thread of an
 * IORING_SETUP_SQ_AFF ring is allowed on sq_thread_cpu alone and runs
 * there; an io-wq worker started after IORING_REGISTER_IOWQ_AFF is allowed
 * on the registered CPUs alone; IORING_UNREGISTER_IOWQ_AFF lifts that for
 * the workers started after it and leaves a worker already running as it
 * was. The threads are found by name in /proc/self/task (iou-sqp-<tid>,
 * iou-wrk-<tid>: threads of the process since 5.12), their CPUs read from
 * /proc/self/task/<tid>/status (Cpus_allowed_list) and stat (processor).
 * The CPU bound to is the second one this process may use (CPU 1 on a
 * machine of two), so that a thread merely left where its creator runs
 * does not pass.
 */
#include <liburing.h>

#include "conform_uring.h"

enum {
	/* Bound (ms) of a wait for a thread to appear or to reach a state:
	 * a guard against a hang, loose enough for emulated guests. */
	STATE_BOUND_MS = 10000,
	/* Idle time (ms) of an SQ thread that must stay awake in a test. */
	AWAKE_IDLE_MS = 10000,
	/* Threads of one name a test keeps track of. */
	MAX_NAMED = 8,
};

#define SPLICE1_TAG 0x5b11ce01ULL
#define SPLICE2_TAG 0x5b11ce02ULL

/* The first two CPUs this process may run on, *a < *b: 0, or -1. */
static int two_cpus(int *a, int *b)
{
	cpu_set_t set;
	int n = 0;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (int cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (n++ == 0)
			*a = cpu;
		else
			*b = cpu;
	}
	return n == 2 ? 0 : -1;
}

/* Milliseconds of CLOCK_MONOTONIC since *start. */
static long ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L +
	       (now.tv_nsec - start->tv_nsec) / 1000000L;
}

/* One millisecond's pause between two looks at a state in /proc. */
static void pause_1ms(void)
{
	struct timespec ms = { .tv_nsec = 1000 * 1000 };

	nanosleep(&ms, NULL);
}

/*
 * /proc/self/task/<tid>/<name> into buf, NUL-terminated: its length, or -1
 * when it cannot be read (the thread has gone, or no /proc).
 */
static ssize_t task_file(pid_t tid, const char *name, char *buf, size_t len)
{
	char path[96];
	ssize_t n = 0, total = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)total < len - 1 &&
	       (n = read(fd, buf + total, len - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return n < 0 ? -1 : total;
}

/*
 * The CPUs thread tid may run on: Cpus_allowed_list of its status, parsed
 * ("0-3,5") into *set and copied as text into list. 0, or -1.
 */
static int task_allowed(pid_t tid, cpu_set_t *set, char *list, size_t len)
{
	static const char key[] = "\nCpus_allowed_list:";
	char buf[4096], *p, *end;

	CPU_ZERO(set);
	list[0] = '\0';
	if (task_file(tid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, key);
	if (!p)
		return -1;
	p += strlen(key);
	p += strspn(p, " \t");
	snprintf(list, len, "%.*s", (int)strcspn(p, "\n"), p);
	for (;;) {
		long lo = strtol(p, &end, 10), hi;

		if (end == p || lo < 0)
			return -1;
		hi = lo;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			if (end == p + 1 || hi < lo)
				return -1;
			p = end;
		}
		for (long cpu = lo; cpu <= hi && cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, set);
		if (*p != ',')
			break;
		p++;
	}
	return *p == '\n' || *p == '\0' ? 0 : -1;
}

/* True when set holds cpu and no other CPU. */
static bool only_cpu(const cpu_set_t *set, int cpu)
{
	return CPU_COUNT(set) == 1 && CPU_ISSET(cpu, set);
}

/* True when set holds a CPU other than cpu. */
static bool other_cpu(const cpu_set_t *set, int cpu)
{
	return CPU_COUNT(set) > (CPU_ISSET(cpu, set) ? 1 : 0);
}

/*
 * Field nr (numbered as in proc(5), nr >= 3) of /proc/self/task/<tid>/stat,
 * as text in out. The fields are counted from the last ')', which ends the
 * command name whatever it holds. 0, or -1.
 */
static int task_stat_field(pid_t tid, int nr, char *out, size_t len)
{
	char buf[1024], *p;

	if (task_file(tid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	for (int field = 3;; field++) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " \n");
		if (!n)
			return -1;
		if (field == nr) {
			snprintf(out, len, "%.*s", (int)n, p);
			return 0;
		}
		p += n;
	}
}

/*
 * The threads of this process named exactly name, up to max of them in
 * tids: how many there are, or -1 when /proc/self/task cannot be read. A
 * new io_uring thread shows its creator's name until it first runs and
 * names itself.
 */
static int threads_named(const char *name, pid_t *tids, int max)
{
	pid_t all[CONFORM_MAX_THREADS];
	char comm[64];
	int n = 0, nall = conform_thread_ids(all);

	if (nall < 0)
		return -1;
	for (int i = 0; i < nall; i++) {
		if (task_file(all[i], "comm", comm, sizeof(comm)) <= 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, name))
			continue;
		if (n < max)
			tids[n] = all[i];
		n++;
	}
	return n;
}

/*
 * Wait (STATE_BOUND_MS) for a thread named name whose tid is none of the
 * nknown in known, and put its tid in *tid. 1 when one came, 0 when none
 * did, -1 when /proc/self/task cannot be read.
 */
static int wait_new_thread(const char *name, const pid_t *known, int nknown,
			   pid_t *tid)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t tids[MAX_NAMED];
		int n = threads_named(name, tids, MAX_NAMED);

		if (n < 0)
			return -1;
		for (int i = 0; i < n && i < MAX_NAMED; i++) {
			int k = 0;

			while (k < nknown && known[k] != tids[i])
				k++;
			if (k == nknown) {
				*tid = tids[i];
				return 1;
			}
		}
		if (ms_since(&start) >= STATE_BOUND_MS)
			return 0;
		pause_1ms();
	}
}

/*
 * Wait (STATE_BOUND_MS) for thread tid to show state want (field 3 of its
 * stat: 'S' is asleep, interruptibly). 1 seen, 0 not within the bound,
 * -1 unreadable.
 */
static int wait_task_state(pid_t tid, char want)
{
	struct timespec start;
	char state[8];

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (task_stat_field(tid, 3, state, sizeof(state)))
			return -1;
		if (state[0] == want)
			return 1;
		if (ms_since(&start) >= STATE_BOUND_MS)
			return 0;
		pause_1ms();
	}
}

/* The probe for IORING_REGISTER_IOWQ_AFF (5.14): its undoing, which takes
 * no argument, on a new ring. */
static const char *iowq_aff_missing(void)
{
	return uring_register_missing(IORING_UNREGISTER_IOWQ_AFF, NULL, 0,
				      "IORING_UNREGISTER_IOWQ_AFF");
}

/* IORING_REGISTER_IOWQ_AFF of the mask {cpu}: as the system call returns. */
static int register_iowq_cpu(struct io_uring *ring, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return uring_register_raw(ring, IORING_REGISTER_IOWQ_AFF, &set,
				  sizeof(set));
}

/*
 * A splice of one byte from the empty pipe in to the pipe out, forced to
 * io-wq (IOSQE_ASYNC), for a worker that blocks in it. Splice, not read:
 * a read forced to io-wq on a pollable file is, on kernels that do so
 * (6.1's io_wq_submit_work()), turned into an armed poll and the worker
 * goes idle; io_splice() refuses to run non-blocking, so its worker always
 * sleeps in the pipe until a byte comes.
 */
struct splice_pipes {
	int in[2], out[2];
	bool started;
};

/* Open both pipes, queue the splice tagged tag and submit it: 0 or -1. */
static int splice_start(struct io_uring *ring, struct splice_pipes *sp,
			__u64 tag)
{
	struct io_uring_sqe *sqe;

	sp->started = false;
	sp->in[0] = sp->in[1] = sp->out[0] = sp->out[1] = -1;
	if (conform_pipe(sp->in) || conform_pipe(sp->out))
		return -1;
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		return -1;
	io_uring_prep_splice(sqe, sp->in[0], -1, sp->out[1], -1, 1, 0);
	sqe->flags |= IOSQE_ASYNC;
	io_uring_sqe_set_data64(sqe, tag);
	if (io_uring_submit(ring) != 1)
		return -1;
	sp->started = true;
	return 0;
}

/* Give a started splice its byte, so that it completes with 1. */
static int splice_feed(struct splice_pipes *sp)
{
	return sp->started && write(sp->in[1], "x", 1) == 1 ? 0 : -1;
}

static void splice_close(struct splice_pipes *sp)
{
	for (int i = 0; i < 2; i++) {
		if (sp->in[i] >= 0)
			close(sp->in[i]);
		if (sp->out[i] >= 0)
			close(sp->out[i]);
	}
}

/*
 * On a new ring of this task, register the io-wq mask {cpu}, start a
 * splice (tag SPLICE1_TAG) that a worker runs and sleeps in, and look for
 * that worker: name gets its name (iou-wrk-<tid>), *w its tid. Returns
 * what wait_new_thread() did (1 found), and *asleep what
 * wait_task_state() did (1 seen asleep; 0 when not looked for).
 */
static int start_masked_worker(struct __test_metadata *_metadata,
			       struct io_uring *ring, struct splice_pipes *sp,
			       int cpu, char *name, size_t len, pid_t *w,
			       int *asleep)
{
	int found;

	*asleep = 0;
	ASSERT_EQ(0, io_uring_queue_init(8, ring, 0));
	ASSERT_EQ(0, uring_run_nop(ring, 0));
	ASSERT_EQ(0, register_iowq_cpu(ring, cpu));
	ASSERT_EQ(0, splice_start(ring, sp, SPLICE1_TAG));
	snprintf(name, len, "iou-wrk-%d", (int)gettid());
	found = wait_new_thread(name, NULL, 0, w);
	if (found == 1)
		*asleep = wait_task_state(*w, 'S');
	return found;
}

/*
 * io_uring_setup(2) IORING_SETUP_SQ_AFF: "If this flag is specified, then
 * the poll thread will be bound to the cpu set in the sq_thread_cpu field
 * of the struct io_uring_params" (since 5.1). With sq_thread_cpu the second
 * CPU this process may use, the SQ thread, a thread of the process named
 * iou-sqp-<tid> since 5.12 (before, a kernel thread: the test skips), has
 * that CPU alone in the Cpus_allowed_list of its status, and once it has
 * run a NOP (it binds itself before it takes an SQE), the processor field
 * of its stat, "CPU number last executed on" (proc(5), field 39), is that
 * CPU. The test therefore holds since 5.12.
 */
TEST(sq_aff_thread_is_allowed_on_and_runs_on_sq_thread_cpu)
{
	struct io_uring_params p;
	struct io_uring ring;
	cpu_set_t allowed;
	char name[32], list[256], processor[32];
	pid_t tids[MAX_NAMED];
	struct timespec start;
	int a, b, ret, n;

	CONFORM_DECLARE("5.12", "IORING_SETUP_SQ_AFF",
			"io_uring_setup(2) IORING_SETUP_SQ_AFF; proc(5) "
			"/proc/pid/stat processor; iou-sqp thread of the "
			"process since 5.12");
	CONFORM_REQUIRE_CPUS(2);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_SQPOLL);
	ASSERT_EQ(0, two_cpus(&a, &b));
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	p.sq_thread_cpu = (unsigned int)b;
	ret = io_uring_queue_init_params(4, &ring, &p);
	if (ret)
		SKIP(return, "%s", conform_uring_setup_why("IORING_SETUP_SQPOLL|IORING_SETUP_SQ_AFF", -ret));
	ASSERT_EQ(0, uring_run_nop(&ring, 0));
	/*
	 * The thread has named itself before it ran the NOP. The probe
	 * ring's SQ thread, of the same name, may still be exiting (its
	 * ring's teardown runs in a kernel work item): wait until one
	 * thread of the name is left, this ring's. (While that one exits,
	 * conform_thread_ids keeps it from hiding this one.)
	 */
	snprintf(name, sizeof(name), "iou-sqp-%d", (int)gettid());
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((n = threads_named(name, tids, MAX_NAMED)) > 1 &&
	       ms_since(&start) < STATE_BOUND_MS)
		pause_1ms();
	if (n != 1) {
		io_uring_queue_exit(&ring);
		if (n < 0)
			SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the SQ thread");
		if (n > 1)
			SKIP(return, CONFORM_UNSEEN "%d threads named %s for %d ms: the probe ring's SQ thread did not exit",
			     n, name, STATE_BOUND_MS);
		SKIP(return, "no %s thread in /proc/self/task: the SQ thread is not a thread of this process",
		     name);
	}
	ASSERT_EQ(0, task_allowed(tids[0], &allowed, list, sizeof(list)));
	TH_LOG("sq_thread_cpu %d: %s (tid %d) has Cpus_allowed_list %s",
	       b, name, (int)tids[0], list);
	EXPECT_TRUE(only_cpu(&allowed, b));
	ASSERT_EQ(0, task_stat_field(tids[0], 39, processor, sizeof(processor)));
	EXPECT_EQ(b, atoi(processor));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_IOWQ_AFF: "By default, async workers
 * created by io_uring will inherit the CPU mask of its parent ... the
 * application may explicitly tell io_uring what CPUs the async workers may
 * run on" (since 5.14). After the mask of the second CPU this process may
 * use is registered, the worker started for a splice forced to io-wq
 * (iou-wrk-<tid>, seen asleep in it) has that CPU alone in its
 * Cpus_allowed_list. A byte written into the pipe then completes the
 * splice with 1.
 */
TEST(iowq_aff_binds_a_worker_started_after_it)
{
	struct io_uring ring;
	struct io_uring_cqe cqe;
	struct splice_pipes sp = { .in = { -1, -1 }, .out = { -1, -1 } };
	cpu_set_t allowed;
	char name[32], list[256];
	int a, b, found, asleep = 0;
	pid_t w = 0;

	CONFORM_DECLARE("5.14", "IORING_REGISTER_IOWQ_AFF",
			"io_uring_register(2) IORING_REGISTER_IOWQ_AFF");
	CONFORM_REQUIRE_CPUS(2);
	CONFORM_REQUIRE(iowq_aff_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	ASSERT_EQ(0, two_cpus(&a, &b));
	found = start_masked_worker(_metadata, &ring, &sp, b, name,
				    sizeof(name), &w, &asleep);
	if (found == 1 && asleep == 1) {
		ASSERT_EQ(0, task_allowed(w, &allowed, list, sizeof(list)));
		TH_LOG("mask {%d}: %s (tid %d) has Cpus_allowed_list %s",
		       b, name, (int)w, list);
		EXPECT_TRUE(only_cpu(&allowed, b));
	}
	/* Whatever was seen, the splice is completed and reaped. */
	ASSERT_EQ(0, splice_feed(&sp));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(SPLICE1_TAG, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	io_uring_queue_exit(&ring);
	splice_close(&sp);
	if (found < 0 || asleep < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the io-wq worker");
	ASSERT_EQ(1, found)
		TH_LOG("no %s thread within %d ms of a splice forced to io-wq",
		       name, STATE_BOUND_MS);
	if (asleep != 1)
		SKIP(return, CONFORM_UNSEEN "worker %d not seen asleep in the splice within %d ms",
		     (int)w, STATE_BOUND_MS);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_IOWQ_AFF: "Undoes a CPU mask
 * previously set with IORING_REGISTER_IOWQ_AFF" (since 5.14). What it
 * undoes is the mask that workers get when they start: a worker started
 * after it (for a second splice, while the first worker sleeps in its own)
 * may run on more than the registered CPU, while the worker started under
 * the mask keeps the registered CPU alone. The kernel only ever sets a
 * worker's CPUs when it starts it (io-wq.c: create_io_worker() /
 * io_init_new_worker(); io_wq_cpu_affinity() changes the mask alone), on
 * every kernel since 5.14; the man page does not say so.
 */
TEST(iowq_unaff_frees_only_workers_started_after_it)
{
	struct io_uring ring;
	struct splice_pipes sp1 = { .in = { -1, -1 }, .out = { -1, -1 } };
	struct splice_pipes sp2 = { .in = { -1, -1 }, .out = { -1, -1 } };
	const __u64 tags[2] = { SPLICE1_TAG, SPLICE2_TAG };
	int res[2] = { INT_MIN, INT_MIN };
	cpu_set_t first, second;
	char name[32], list1[256], list2[256];
	int a, b, found1, found2 = 0, asleep = 0;
	pid_t w1 = 0, w2 = 0;

	CONFORM_DECLARE("5.14", "IORING_UNREGISTER_IOWQ_AFF",
			"io_uring_register(2) IORING_UNREGISTER_IOWQ_AFF; "
			"io_uring/io-wq.c io_init_new_worker()");
	CONFORM_REQUIRE_CPUS(2);
	CONFORM_REQUIRE(iowq_aff_missing());
	CONFORM_REQUIRE_URING_OP(IORING_OP_SPLICE);
	ASSERT_EQ(0, two_cpus(&a, &b));
	found1 = start_masked_worker(_metadata, &ring, &sp1, b, name,
				     sizeof(name), &w1, &asleep);
	if (found1 == 1 && asleep == 1) {
		ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_IOWQ_AFF,
						NULL, 0));
		ASSERT_EQ(0, splice_start(&ring, &sp2, SPLICE2_TAG));
		found2 = wait_new_thread(name, &w1, 1, &w2);
	}
	if (found2 == 1) {
		ASSERT_EQ(0, task_allowed(w1, &first, list1, sizeof(list1)));
		ASSERT_EQ(0, task_allowed(w2, &second, list2, sizeof(list2)));
		TH_LOG("after unregister: worker %d (started under mask {%d}) has %s, worker %d (started after) has %s",
		       (int)w1, b, list1, (int)w2, list2);
		EXPECT_TRUE(only_cpu(&first, b));
		EXPECT_TRUE(other_cpu(&second, b));
	}
	/* Whatever was seen, the splices are completed and reaped. */
	ASSERT_EQ(0, splice_feed(&sp1));
	if (sp2.started)
		ASSERT_EQ(0, splice_feed(&sp2));
	ASSERT_EQ(0, uring_reap_tagged(&ring, sp2.started ? 2 : 1, tags, res));
	EXPECT_EQ(1, res[0]);
	if (sp2.started)
		EXPECT_EQ(1, res[1]);
	io_uring_queue_exit(&ring);
	splice_close(&sp1);
	splice_close(&sp2);
	if (found1 < 0 || asleep < 0 || found2 < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the io-wq workers");
	ASSERT_EQ(1, found1)
		TH_LOG("no %s thread within %d ms of a splice forced to io-wq",
		       name, STATE_BOUND_MS);
	if (asleep != 1)
		SKIP(return, CONFORM_UNSEEN "worker %d not seen asleep in the first splice within %d ms",
		     (int)w1, STATE_BOUND_MS);
	ASSERT_EQ(1, found2)
		TH_LOG("no second %s thread within %d ms of a second splice forced to io-wq while the first worker sleeps",
		       name, STATE_BOUND_MS);
}

TEST_HARNESS_MAIN
