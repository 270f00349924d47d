// SPDX-License-Identifier: MIT
/*
 * ref/ring-differential: the same request sequences run once through the
 * reference ring (ref/ring) and once through liburing 2.3 on rings of the
 * same size. The kernel sees the same requests either way, so the CQEs must
 * agree: same user_data set, and for each user_data the same res and flags
 * (compared after sorting by user_data), and the same bytes read. Sequences:
 * NOPs; write, read, readv on a file; a poll on a pipe written later;
 * timeouts; cancels of a pending poll and of nothing; error results.
 */
#include <liburing.h>
#include <poll.h>

#include "conform_uring.h"
#include "conform_ref.h"

enum { MAX_RES = 16, DATA_LEN = 256 };

struct result {
	uint64_t ud;
	int res;
	unsigned int flags;
};

/* What one run of a sequence produced. */
struct run {
	struct result r[MAX_RES];
	unsigned int n;
	unsigned char data[DATA_LEN];	/* bytes the sequence read */
	int err;			/* a step that failed: its line */
	int submits[3];			/* seq_errors: what each submit took */
};

/* The operations a sequence uses, once per ring implementation. */
struct backend {
	const char *name;
	int (*init)(void *ring, unsigned int entries);
	void (*exit)(void *ring);
	bool (*nop)(void *ring, uint64_t ud);
	bool (*read)(void *ring, int fd, void *buf, unsigned int len, uint64_t off, uint64_t ud);
	bool (*write)(void *ring, int fd, const void *buf, unsigned int len, uint64_t off, uint64_t ud);
	bool (*readv)(void *ring, int fd, const struct iovec *iov, unsigned int nr, uint64_t off, uint64_t ud);
	bool (*poll)(void *ring, int fd, unsigned int mask, uint64_t ud);
	bool (*timeout)(void *ring, struct __kernel_timespec *ts, unsigned int count, uint64_t ud);
	bool (*cancel)(void *ring, uint64_t target, uint64_t ud);
	int (*submit)(void *ring);
	/* Reap n CQEs into run (each wait bounded); 0 or -ETIME. */
	int (*reap)(void *ring, struct run *run, unsigned int n);
};

static void add_result(struct run *run, const struct io_uring_cqe *cqe)
{
	if (run->n < MAX_RES)
		run->r[run->n] = (struct result){ cqe->user_data, cqe->res, cqe->flags };
	run->n++;
}

/* ---- ref/ring ---- */

static int ref_init(void *r, unsigned int entries) { return ref_ring_init(r, entries, NULL); }
static void ref_exit(void *r) { ref_ring_free(r); }
static bool ref_nop(void *r, uint64_t ud) { return ref_prep_nop(r, ud); }

static bool ref_read(void *r, int fd, void *buf, unsigned int len, uint64_t off, uint64_t ud)
{
	return ref_prep_read(r, fd, buf, len, off, ud);
}

static bool ref_write(void *r, int fd, const void *buf, unsigned int len, uint64_t off, uint64_t ud)
{
	return ref_prep_write(r, fd, buf, len, off, ud);
}

static bool ref_readv(void *r, int fd, const struct iovec *iov, unsigned int nr, uint64_t off, uint64_t ud)
{
	return ref_prep_readv(r, fd, iov, nr, off, ud);
}

static bool ref_poll(void *r, int fd, unsigned int mask, uint64_t ud)
{
	return ref_prep_poll_add(r, fd, mask, false, ud);
}

static bool ref_timeout(void *r, struct __kernel_timespec *ts, unsigned int count, uint64_t ud)
{
	return ref_prep_timeout(r, ts, count, 0, ud);
}

static bool ref_cancel(void *r, uint64_t target, uint64_t ud)
{
	return ref_prep_cancel(r, target, 0, ud);
}

static int ref_submit(void *r) { return ref_ring_submit(r); }

static void ref_add(const struct io_uring_cqe *cqe, void *arg) { add_result(arg, cqe); }

static int ref_reap(void *r, struct run *run, unsigned int n)
{
	const struct __kernel_timespec bound = { .tv_sec = 2 };
	unsigned int want = run->n + n;

	for (;;) {
		int ret;

		ref_ring_for_each_completion(r, ref_add, run);
		if (run->n >= want)
			return 0;
		ret = ref_ring_wait(r, 1, &bound);
		if (ret)
			return ret;
	}
}

static const struct backend ref_backend = {
	"ref/ring", ref_init, ref_exit, ref_nop, ref_read, ref_write, ref_readv,
	ref_poll, ref_timeout, ref_cancel, ref_submit, ref_reap,
};

/* ---- liburing ---- */

/* An SQE carrying ud; the prep helper then fills the rest (prep keeps
 * user_data in liburing 2.3: io_uring_prep_rw leaves it alone). */
static struct io_uring_sqe *lu_sqe(void *r, uint64_t ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(r);

	if (sqe)
		sqe->user_data = ud;
	return sqe;
}

static int lu_init(void *r, unsigned int entries) { return io_uring_queue_init(entries, r, 0); }
static void lu_exit(void *r) { io_uring_queue_exit(r); }

static bool lu_nop(void *r, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_nop(sqe);
	return true;
}

static bool lu_read(void *r, int fd, void *buf, unsigned int len, uint64_t off, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_read(sqe, fd, buf, len, off);
	return true;
}

static bool lu_write(void *r, int fd, const void *buf, unsigned int len, uint64_t off, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_write(sqe, fd, buf, len, off);
	return true;
}

static bool lu_readv(void *r, int fd, const struct iovec *iov, unsigned int nr, uint64_t off, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_readv(sqe, fd, iov, nr, off);
	return true;
}

static bool lu_poll(void *r, int fd, unsigned int mask, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_poll_add(sqe, fd, mask);
	return true;
}

static bool lu_timeout(void *r, struct __kernel_timespec *ts, unsigned int count, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_timeout(sqe, ts, count, 0);
	return true;
}

static bool lu_cancel(void *r, uint64_t target, uint64_t ud)
{
	struct io_uring_sqe *sqe = lu_sqe(r, ud);

	if (!sqe)
		return false;
	io_uring_prep_cancel64(sqe, target, 0);
	return true;
}

static int lu_submit(void *r) { return io_uring_submit(r); }

static int lu_reap(void *r, struct run *run, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct io_uring_cqe cqe;
		int ret = uring_reap_one(r, &cqe);	/* bounded, conform_uring.h */

		if (ret)
			return ret;
		add_result(run, &cqe);
	}
	return 0;
}

static const struct backend uring_backend = {
	"liburing", lu_init, lu_exit, lu_nop, lu_read, lu_write, lu_readv,
	lu_poll, lu_timeout, lu_cancel, lu_submit, lu_reap,
};

/* Either ring, big enough for both implementations. */
union any_ring {
	struct ref_ring ref;
	struct io_uring uring;
};

/* Inside a sequence: record the failing line and give up. */
#define STEP(cond)                                                             \
	do {                                                                   \
		if (!(cond)) {                                                 \
			run->err = __LINE__;                                   \
			return;                                                \
		}                                                              \
	} while (0)

typedef void (*sequence_fn)(const struct backend *be, void *ring, struct run *run);

static int cmp_result(const void *a, const void *b)
{
	const struct result *x = a, *y = b;

	return x->ud < y->ud ? -1 : x->ud > y->ud;
}

/* Run seq through one backend on a fresh ring of 8 entries. */
static void run_with(const struct backend *be, sequence_fn seq, struct run *run)
{
	union any_ring ring;

	memset(run, 0, sizeof(*run));
	memset(&ring, 0, sizeof(ring));
	if (be->init(&ring, 8)) {
		run->err = -1;
		return;
	}
	seq(be, &ring, run);
	be->exit(&ring);
	qsort(run->r, run->n < MAX_RES ? run->n : MAX_RES, sizeof(run->r[0]), cmp_result);
}

/*
 * Run seq with both backends; expect both to finish, produce n_expected
 * CQEs, and agree CQE by CQE (user_data order) and in the data read.
 */
static struct run a_, b_;	/* the last runs of EXPECT_SAME_RUNS */

#define EXPECT_SAME_RUNS(seq, n_expected)                                      \
	do {                                                                   \
		run_with(&ref_backend, (seq), &a_);                            \
		run_with(&uring_backend, (seq), &b_);                          \
		ASSERT_EQ(0, a_.err) TH_LOG("ref/ring run failed at line %d", a_.err); \
		ASSERT_EQ(0, b_.err) TH_LOG("liburing run failed at line %d", b_.err); \
		ASSERT_EQ((unsigned int)(n_expected), a_.n);                   \
		ASSERT_EQ(a_.n, b_.n);                                         \
		for (unsigned int i_ = 0; i_ < a_.n; i_++) {                   \
			EXPECT_EQ(b_.r[i_].ud, a_.r[i_].ud);                   \
			EXPECT_EQ(b_.r[i_].res, a_.r[i_].res)                  \
				TH_LOG("user_data %llu: ref %d, liburing %d",  \
				       (unsigned long long)a_.r[i_].ud,        \
				       a_.r[i_].res, b_.r[i_].res);            \
			EXPECT_EQ(b_.r[i_].flags, a_.r[i_].flags);             \
		}                                                              \
		EXPECT_EQ(0, memcmp(a_.data, b_.data, DATA_LEN));              \
		EXPECT_EQ(0, memcmp(a_.submits, b_.submits, sizeof(a_.submits))); \
	} while (0)

/* ---- the sequences ---- */

static void seq_nops(const struct backend *be, void *ring, struct run *run)
{
	for (uint64_t ud = 1; ud <= 5; ud++)
		STEP(be->nop(ring, ud * 0x1111));
	STEP(be->submit(ring) == 5);
	STEP(be->reap(ring, run, 5) == 0);
}

static void seq_file_io(const struct backend *be, void *ring, struct run *run)
{
	unsigned char out[200];
	struct iovec iov[2] = {
		{ run->data + 100, 60 }, { run->data + 160, 96 },
	};
	int fd = conform_temp_file(1000, 0);

	STEP(fd >= 0);
	conform_fill_pattern(out, sizeof(out), 7777);
	STEP(be->write(ring, fd, out, sizeof(out), 900, 1));	/* extends to 1100 */
	STEP(be->submit(ring) == 1);
	STEP(be->reap(ring, run, 1) == 0);
	STEP(be->read(ring, fd, run->data, 100, 1050, 2));	/* short: 50 */
	STEP(be->readv(ring, fd, iov, 2, 300, 3));
	STEP(be->read(ring, fd, run->data, 100, 5000, 4));	/* past EOF: 0 */
	STEP(be->submit(ring) == 3);
	STEP(be->reap(ring, run, 3) == 0);
	close(fd);
}

static void seq_poll_written_later(const struct backend *be, void *ring, struct run *run)
{
	int p[2];

	STEP(conform_pipe(p) == 0);
	STEP(be->poll(ring, p[0], POLLIN, 1));
	STEP(be->poll(ring, p[1], POLLOUT, 2));		/* ready at once */
	STEP(be->submit(ring) == 2);
	STEP(be->reap(ring, run, 1) == 0);
	STEP(write(p[1], "later", 5) == 5);
	STEP(be->reap(ring, run, 1) == 0);
	STEP(be->read(ring, p[0], run->data, 16, 0, 3));
	STEP(be->submit(ring) == 1);
	STEP(be->reap(ring, run, 1) == 0);
	close(p[0]);
	close(p[1]);
}

static void seq_timeouts(const struct backend *be, void *ring, struct run *run)
{
	struct __kernel_timespec short_ts = { .tv_nsec = 10 * 1000 * 1000 };
	struct __kernel_timespec long_ts = { .tv_sec = 10 };

	STEP(be->timeout(ring, &short_ts, 0, 1));
	STEP(be->submit(ring) == 1);
	STEP(be->reap(ring, run, 1) == 0);
	STEP(be->timeout(ring, &long_ts, 1, 2));
	STEP(be->submit(ring) == 1);
	STEP(be->nop(ring, 3));
	STEP(be->submit(ring) == 1);
	STEP(be->reap(ring, run, 2) == 0);
}

static void seq_cancel(const struct backend *be, void *ring, struct run *run)
{
	int p[2];

	STEP(conform_pipe(p) == 0);
	STEP(be->poll(ring, p[0], POLLIN, 1));
	STEP(be->submit(ring) == 1);
	STEP(be->cancel(ring, 1, 2));
	STEP(be->cancel(ring, 0x5eed, 3));
	STEP(be->submit(ring) == 2);
	STEP(be->reap(ring, run, 3) == 0);
	close(p[0]);
	close(p[1]);
}

/*
 * Three SQEs that each fail. How many each submit takes depends on when the
 * kernel checks them (see error_results_agree): 3 at once, or 1, 1, 1.
 * Both rings must split alike.
 */
static void seq_errors(const struct backend *be, void *ring, struct run *run)
{
	static struct iovec many[1025];
	int p[2];

	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ run->data, 1 };
	STEP(conform_pipe(p) == 0);
	STEP(be->read(ring, conform_bad_fd(), run->data, 8, 0, 1));	/* -EBADF */
	STEP(be->write(ring, p[0], "x", 1, 0, 2));			/* -EBADF */
	STEP(be->readv(ring, p[0], many, 1025, 0, 3));		/* -EINVAL */
	/* Submit until the kernel has taken all three (each submit takes at
	 * least the SQE that fails on submission). */
	for (int i = 0, taken = 0; taken < 3; i++) {
		STEP(i < 3);
		run->submits[i] = be->submit(ring);
		STEP(run->submits[i] > 0);
		taken += run->submits[i];
	}
	STEP(be->reap(ring, run, 3) == 0);
	close(p[0]);
	close(p[1]);
}

/* io_uring_enter(2) IORING_OP_NOP: five NOPs, res 0 and user_data echoed by both (5.1). */
TEST(nops_agree)
{
	CONFORM_DECLARE("5.1", "IORING_OP_NOP",
			"io_uring_enter(2) IORING_OP_NOP");
	CONFORM_REQUIRE_URING();
	EXPECT_SAME_RUNS(seq_nops, 5);
}

/*
 * io_uring_enter(2) IORING_OP_WRITE/READ/READV behave like pwrite/pread/
 * preadv (since 5.6): a write extending a file, a short read across EOF, a
 * readv, a read past EOF - same results and bytes through both rings.
 */
TEST(file_write_read_readv_agree)
{
	CONFORM_DECLARE("5.6", "IORING_OP_READ/IORING_OP_WRITE",
			"io_uring_enter(2) IORING_OP_WRITE, IORING_OP_READ, "
			"IORING_OP_READV");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	EXPECT_SAME_RUNS(seq_file_io, 4);
}

/*
 * io_uring_enter(2) IORING_OP_POLL_ADD: completes with the ready mask when
 * the event triggers (since 5.1): a POLLIN poll on an empty pipe completes
 * after the write, a POLLOUT poll at once; then an IORING_OP_READ of the
 * data, so this test holds from 5.6.
 */
TEST(poll_on_pipe_written_later_agrees)
{
	CONFORM_DECLARE("5.6", "IORING_OP_POLL_ADD",
			"io_uring_enter(2) IORING_OP_POLL_ADD and "
			"IORING_OP_READ");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	EXPECT_SAME_RUNS(seq_poll_written_later, 3);
}

/*
 * io_uring_enter(2) IORING_OP_TIMEOUT: -ETIME on expiry, 0 when its count
 * of completions is reached first (since 5.4).
 */
TEST(timeouts_agree)
{
	CONFORM_DECLARE("5.4", "IORING_OP_TIMEOUT",
			"io_uring_enter(2) IORING_OP_TIMEOUT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_TIMEOUT);
	EXPECT_SAME_RUNS(seq_timeouts, 3);
}

/*
 * io_uring_enter(2) IORING_OP_ASYNC_CANCEL: a pending poll is found (0, the
 * poll -ECANCELED), an unknown user_data is not (-ENOENT) (since 5.5: commit
 * 47f467686ec0 made ASYNC_CANCEL find polls before 5.5 was released).
 */
TEST(cancels_agree)
{
	CONFORM_DECLARE("5.5", "IORING_OP_ASYNC_CANCEL",
			"io_uring_enter(2) IORING_OP_ASYNC_CANCEL; commit "
			"47f467686ec0 (5.5) lets it cancel polls");
	CONFORM_REQUIRE_URING_OP(IORING_OP_ASYNC_CANCEL);
	EXPECT_SAME_RUNS(seq_cancel, 3);
}

/*
 * io_uring_enter(2) CQE errors: -EBADF for a bad fd and for writing a read
 * end, -EINVAL for more than UIO_MAXIOV iovecs (since 5.6).
 * When the kernel finds the first two errors differs, and so does what each
 * submit takes (the CQEs are the same):
 * - 5.10 looks the fd up, and checks that the file is open for writing,
 *   while it consumes the SQE; the SQE fails there and submission stops
 *   after it (io_uring_setup(2) IORING_SETUP_SUBMIT_ALL, 5.18: "Normally
 *   io_uring stops submitting a batch of request, if one of these requests
 *   results in an error"): three submits take 1 SQE each;
 * - 6.1 and later do both when the request is issued (6.1
 *   io_uring/io_uring.c io_assign_file(), "Called for every request that is
 *   issued"; io_uring/rw.c io_rw_init_file() checks the file mode): one
 *   submit takes all 3, and each fails on issue.
 */
TEST(error_results_agree)
{
	CONFORM_DECLARE("5.6", "IORING_OP_READ/IORING_OP_WRITE",
			"io_uring_enter(2) CQE errors EBADF and EINVAL");
	CONFORM_REQUIRE_URING_OP(IORING_OP_READ);
	CONFORM_REQUIRE_URING_OP(IORING_OP_WRITE);
	EXPECT_SAME_RUNS(seq_errors, 3);
	if (a_.submits[0] == 1) {
		TH_LOG("submits took 1, 1, 1 SQEs: checked on submission (5.10)");
		EXPECT_EQ(1, a_.submits[1]);
		EXPECT_EQ(1, a_.submits[2]);
	} else {
		TH_LOG("one submit took all 3 SQEs: checked on issue (6.1 and later)");
		EXPECT_EQ(3, a_.submits[0]);
	}
	/* Sorted by user_data: 1, 2, 3. */
	EXPECT_EQ(-EBADF, a_.r[0].res);
	EXPECT_EQ(-EBADF, a_.r[1].res);
	EXPECT_EQ(-EINVAL, a_.r[2].res);
}

TEST_HARNESS_MAIN
