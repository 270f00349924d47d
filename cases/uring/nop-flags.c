// SPDX-License-Identifier: MIT
/*
 * uring/nop-flags: the flags of IORING_OP_NOP in sqe->nop_flags (the word
 * of rw_flags; the 6.1 header has no nop_flags name for it):
 *   IORING_NOP_INJECT_RESULT (6.10)  the CQE's res is sqe->len;
 *   IORING_NOP_FILE (6.13)           sqe->fd is looked up (-EBADF);
 *   IORING_NOP_FIXED_FILE (6.13)     ... in the registered file table;
 *   IORING_NOP_FIXED_BUFFER (6.13)   sqe->buf_index is looked up in the
 *                                    registered buffers (-EFAULT);
 *   IORING_NOP_TW (6.17)             the NOP completes from task work;
 *   IORING_NOP_CQE32 (6.18)          a 32-byte CQE carrying sqe->off and
 *                                    sqe->addr (CQE32 or CQE_MIXED rings).
 * An unknown nop flag fails with -EINVAL since 6.10 (commit 3d8f874bd620,
 * also in the 5.10 and 6.1 stable kernels); before, mainline ignored the
 * word. Until commit e97ff8b62d46 (7.1, and stable backports) a failed
 * lookup failed the request (its links are cancelled) but its res stayed
 * the injected result; since, res is the error. Each TEST probes its flag
 * by what a NOP with it does (IORING_NOP_INJECT_RESULT first: a kernel
 * without it cannot tell a flag apart from an ignored bit).
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum {
	PROBE_RES = 4242,	/* injected by probes; no errno is 4242 */
	TAG_NOP = 1,
	TAG_LINKED = 2,
};

/*
 * A NOP SQE with nop_flags and len, all else 0. sqe->nop_flags (6.10) is
 * the union word that the 6.1 header calls rw_flags.
 */
static void prep_nop(struct io_uring_sqe *sqe, unsigned int nop_flags,
		     __u32 len)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->rw_flags = (__kernel_rwf_t)nop_flags;
	sqe->len = len;
}

/* Init ring with 8 entries and setup flags: 0 or -errno. */
static int nop_ring(struct io_uring *ring, unsigned int setup)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = setup;
	return io_uring_queue_init_params(8, ring, &p);
}

/*
 * res of a NOP with IORING_NOP_INJECT_RESULT and len PROBE_RES (on a ring
 * of its own): PROBE_RES where the flag is known (6.10); -EINVAL where the
 * kernel checks nop_flags but lacks the flag (the stable backports of
 * commit 3d8f874bd620); 0 where nop_flags are ignored (mainline before
 * 6.10); INT_MIN if the NOP did not run.
 */
static int inject_probe_res(void)
{
	struct io_uring_sqe sqe;

	prep_nop(&sqe, REF_IORING_NOP_INJECT_RESULT, PROBE_RES);
	return uring_run_one_sqe_res(&sqe);
}

/* NULL if IORING_NOP_INJECT_RESULT is known; else why not. */
static const char *inject_missing(void)
{
	const char *why = conform_uring_unavailable();
	int res;

	if (why)
		return why;
	res = inject_probe_res();
	if (res == PROBE_RES)
		return NULL;
	snprintf(conform_why, sizeof(conform_why),
		 "IORING_NOP_INJECT_RESULT: a NOP with it and len %d completes with %d (%s)",
		 PROBE_RES, res,
		 res == 0 ? "sqe->nop_flags ignored" : "flag unknown");
	return conform_why;
}

/*
 * NULL if the kernel knows nop flag (named name): a NOP with it and
 * IORING_NOP_INJECT_RESULT, on a new ring with setup flags setup, does not
 * fail with -EINVAL (the request may fail its lookup: FIXED_BUFFER with no
 * buffers). sqe->fd is the ring's own fd, an open file for NOP_FILE.
 * INJECT_RESULT is probed first: where it is unknown, a kernel that
 * ignores nop_flags completes any flag with 0.
 */
static const char *nop_flag_missing(unsigned int flag, const char *name,
				    unsigned int setup)
{
	const char *why = inject_missing();
	struct io_uring ring;
	struct io_uring_sqe sqe;
	int res;

	if (why)
		return why;
	if (nop_ring(&ring, setup)) {
		snprintf(conform_why, sizeof(conform_why),
			 "%s: the probe's ring (setup flags 0x%x) cannot be made",
			 name, setup);
		return conform_why;
	}
	prep_nop(&sqe, flag | REF_IORING_NOP_INJECT_RESULT, PROBE_RES);
	sqe.fd = ring.ring_fd;
	res = uring_run_sqe_res(&ring, &sqe);
	io_uring_queue_exit(&ring);
	if (res != -EINVAL && res != INT_MIN)
		return NULL;
	if (res == INT_MIN)
		snprintf(conform_why, sizeof(conform_why),
			 "%s: the probe (a NOP with it) did not complete", name);
	else
		snprintf(conform_why, sizeof(conform_why),
			 "%s: a NOP with it completes with -EINVAL (flag unknown)",
			 name);
	return conform_why;
}

/* Skip unless the kernel knows nop flag IORING_NOP_<name> (kernel name). */
#define REQUIRE_NOP_FLAG(name) \
	CONFORM_REQUIRE(nop_flag_missing(REF_##name, #name, 0))

/*
 * Which variant of a failed lookup this kernel shows, probed with another
 * lookup than the one under test (probe_flag: NOP_FILE with a bad fd, or
 * NOP_FIXED_BUFFER with no buffers), both changed by the same one-line
 * commit e97ff8b62d46 ("io_uring/nop: pass all errors to userspace", 7.1):
 * true when the failed NOP's res is the error, false when it is the
 * injected result. Logged.
 */
static bool lookup_error_in_res(struct __test_metadata *_metadata,
				unsigned int probe_flag)
{
	struct io_uring_sqe sqe;
	int res;

	prep_nop(&sqe, probe_flag | REF_IORING_NOP_INJECT_RESULT, PROBE_RES);
	sqe.fd = conform_bad_fd();
	res = uring_run_one_sqe_res(&sqe);
	if (res == PROBE_RES) {
		TH_LOG("before commit e97ff8b62d46: a failed lookup keeps the injected res (probe 0x%x)",
		       probe_flag);
		return false;
	}
	TH_LOG("commit e97ff8b62d46 (7.1) present: a failed lookup's res is the error (probe 0x%x gave %d)",
	       probe_flag, res);
	return true;
}

/*
 * Submit a NOP (nop_flags | INJECT_RESULT, len PROBE_RES, fd, buf_index)
 * linked to a plain NOP on ring; store both results (res[0] the flagged
 * NOP's, res[1] the linked one's).
 */
static void run_linked_pair(struct __test_metadata *_metadata,
			    struct io_uring *ring, unsigned int nop_flags,
			    int fd, unsigned int buf_index, int res[2])
{
	const __u64 tags[2] = { TAG_NOP, TAG_LINKED };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	ASSERT_NE(NULL, sqe);
	prep_nop(sqe, nop_flags | REF_IORING_NOP_INJECT_RESULT, PROBE_RES);
	sqe->fd = fd;
	sqe->buf_index = (__u16)buf_index;
	sqe->flags = IOSQE_IO_LINK;
	sqe->user_data = TAG_NOP;
	ASSERT_NE(NULL, uring_queue_nop(ring, TAG_LINKED, 0));
	ASSERT_EQ(2, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_tagged(ring, 2, tags, res));
}

/*
 * EXPECT the results of run_linked_pair() for a NOP whose lookup failed
 * with err: its res is err (in_res) or the injected PROBE_RES, and in both
 * variants the request failed, so the linked NOP is cancelled.
 */
static void expect_failed_lookup(struct __test_metadata *_metadata,
				 const int res[2], bool in_res, int err)
{
	EXPECT_EQ(in_res ? err : PROBE_RES, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
}

/*
 * include/uapi/linux/io_uring.h: "IORING_NOP_INJECT_RESULT Inject result
 * from sqe->result" (the len field): the CQE's res is sqe->len, a positive
 * value or a negative errno alike (kernel commit deb1e496a835 "io_uring:
 * support to inject result for NOP", 6.10).
 */
TEST(inject_result_completes_with_sqe_len)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.10", "IORING_NOP_INJECT_RESULT",
			"io_uring.h IORING_NOP_INJECT_RESULT; commit deb1e496a835 (6.10): io_uring: support to inject result for NOP");
	CONFORM_REQUIRE(inject_missing());
	prep_nop(&sqe, REF_IORING_NOP_INJECT_RESULT, 12345);
	EXPECT_EQ(12345, uring_run_one_sqe_res(&sqe));
	prep_nop(&sqe, REF_IORING_NOP_INJECT_RESULT, (__u32)-ENOSPC);
	EXPECT_EQ(-ENOSPC, uring_run_one_sqe_res(&sqe));
	prep_nop(&sqe, 0, 12345);
	EXPECT_EQ(0, uring_run_one_sqe_res(&sqe));
}

/*
 * Kernel commit deb1e496a835 (6.10): an injected negative result fails the
 * request ("so that we can inject failure from userspace"), so a request
 * linked to it is cancelled: io_uring_enter(2) IOSQE_IO_LINK, the rest of
 * the chain completes with -ECANCELED.
 */
TEST(injected_error_cancels_linked_request)
{
	const __u64 tags[2] = { TAG_NOP, TAG_LINKED };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int res[2] = { 0, 0 };

	CONFORM_DECLARE("6.10", "IORING_NOP_INJECT_RESULT",
			"commit deb1e496a835 (6.10): io_uring: support to inject result for NOP; io_uring_enter(2) IOSQE_IO_LINK");
	CONFORM_REQUIRE(inject_missing());
	ASSERT_EQ(0, nop_ring(&ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_nop(sqe, REF_IORING_NOP_INJECT_RESULT, (__u32)-EIO);
	sqe->flags = IOSQE_IO_LINK;
	sqe->user_data = TAG_NOP;
	ASSERT_NE(NULL, uring_queue_nop(&ring, TAG_LINKED, 0));
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(-EIO, res[0]);
	EXPECT_EQ(-ECANCELED, res[1]);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit 3d8f874bd620 ("io_uring: fail NOP if non-zero op flags is
 * passed in", 6.10, Cc stable): a NOP with a nop flag the kernel does not
 * know fails with -EINVAL. Mainline before 6.10 ignored the word and
 * completed with 0; the stable kernels that took the commit (5.10, 6.1
 * among them) refuse every flag. The probe (a NOP with INJECT_RESULT)
 * tells the variants apart: its injected result or -EINVAL means the word
 * is checked, 0 that it is ignored; the variant is logged and asserted.
 */
TEST(unknown_nop_flag_gets_einval)
{
	struct io_uring_sqe sqe;
	int probe, res;

	CONFORM_DECLARE("6.10", "IORING_OP_NOP",
			"commit 3d8f874bd620 (6.10, stable): io_uring: fail NOP if non-zero op flags is passed in");
	CONFORM_REQUIRE_URING();
	probe = inject_probe_res();
	ASSERT_TRUE(probe == PROBE_RES || probe == -EINVAL || probe == 0)
		TH_LOG("the INJECT_RESULT probe completed with %d", probe);
	prep_nop(&sqe, 1U << 31, 0);
	res = uring_run_one_sqe_res(&sqe);
	if (probe == 0) {
		TH_LOG("sqe->nop_flags ignored (mainline before 6.10, no backport of 3d8f874bd620)");
		EXPECT_EQ(0, res);
		return;
	}
	TH_LOG("sqe->nop_flags checked (%s)", probe == PROBE_RES ?
	       "6.10 or later" : "the stable backport of 3d8f874bd620");
	EXPECT_EQ(-EINVAL, res);
}

/*
 * io_uring.h IORING_NOP_FILE: the NOP looks up sqe->fd as a file, as a
 * request that needs a file would; an open fd completes with the NOP's
 * result (kernel commit a85f31052bce "io_uring/nop: add support for testing
 * registered files and buffers", 6.13).
 */
TEST(nop_file_with_open_fd_completes)
{
	struct io_uring_sqe sqe;
	int p[2];

	CONFORM_DECLARE("6.13", "IORING_NOP_FILE",
			"commit a85f31052bce (6.13): io_uring/nop: add support for testing registered files and buffers");
	REQUIRE_NOP_FLAG(IORING_NOP_FILE);
	ASSERT_EQ(0, conform_pipe(p));
	prep_nop(&sqe, REF_IORING_NOP_FILE, 0);
	sqe.fd = p[0];
	EXPECT_EQ(0, uring_run_one_sqe_res(&sqe));
	prep_nop(&sqe, REF_IORING_NOP_FILE | REF_IORING_NOP_INJECT_RESULT, 77);
	sqe.fd = p[1];
	EXPECT_EQ(77, uring_run_one_sqe_res(&sqe));
	close(p[0]);
	close(p[1]);
}

/*
 * Kernel commit a85f31052bce (6.13): IORING_NOP_FILE with an fd that is
 * not open fails the request with -EBADF, so its link is cancelled. Its
 * res is -EBADF since commit e97ff8b62d46 (7.1, stable backports); before,
 * the injected result. The variant is probed with IORING_NOP_FIXED_BUFFER
 * (same commit) and asserted.
 */
TEST(nop_file_with_bad_fd_fails_with_ebadf)
{
	struct io_uring ring;
	int res[2] = { 0, 0 };
	bool in_res;

	CONFORM_DECLARE("6.13", "IORING_NOP_FILE",
			"commit a85f31052bce (6.13); commit e97ff8b62d46 (7.1): io_uring/nop: pass all errors to userspace");
	REQUIRE_NOP_FLAG(IORING_NOP_FILE);
	in_res = lookup_error_in_res(_metadata, REF_IORING_NOP_FIXED_BUFFER);
	ASSERT_EQ(0, nop_ring(&ring, 0));
	run_linked_pair(_metadata, &ring, REF_IORING_NOP_FILE, conform_bad_fd(),
			0, res);
	expect_failed_lookup(_metadata, res, in_res, -EBADF);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring.h IORING_NOP_FIXED_FILE: with IORING_NOP_FILE, sqe->fd is an
 * index into the registered file table; a slot holding a file completes
 * with the NOP's result (kernel commit a85f31052bce, 6.13).
 */
TEST(nop_fixed_file_with_registered_slot_completes)
{
	struct io_uring ring;
	struct io_uring_sqe sqe;
	int p[2], files[2];

	CONFORM_DECLARE("6.13", "IORING_NOP_FIXED_FILE",
			"commit a85f31052bce (6.13): io_uring/nop: add support for testing registered files and buffers");
	REQUIRE_NOP_FLAG(IORING_NOP_FIXED_FILE);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, nop_ring(&ring, 0));
	files[0] = -1;
	files[1] = p[0];
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	prep_nop(&sqe, REF_IORING_NOP_FILE | REF_IORING_NOP_FIXED_FILE |
		       REF_IORING_NOP_INJECT_RESULT, 55);
	sqe.fd = 1;
	EXPECT_EQ(55, uring_run_sqe_res(&ring, &sqe));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * Kernel commit a85f31052bce (6.13): IORING_NOP_FILE | IORING_NOP_FIXED_FILE
 * with an index whose slot is empty, or past the end of the table, fails
 * the request with -EBADF (its link is cancelled); res is -EBADF since
 * commit e97ff8b62d46 (7.1, stable backports), before, the injected result
 * (probed with IORING_NOP_FIXED_BUFFER, asserted).
 */
TEST(nop_fixed_file_with_empty_slot_fails_with_ebadf)
{
	struct io_uring ring;
	int p[2], files[2], res[2] = { 0, 0 };
	bool in_res;

	CONFORM_DECLARE("6.13", "IORING_NOP_FIXED_FILE",
			"commit a85f31052bce (6.13); commit e97ff8b62d46 (7.1): io_uring/nop: pass all errors to userspace");
	REQUIRE_NOP_FLAG(IORING_NOP_FIXED_FILE);
	in_res = lookup_error_in_res(_metadata, REF_IORING_NOP_FIXED_BUFFER);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, nop_ring(&ring, 0));
	files[0] = -1;
	files[1] = p[0];
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	run_linked_pair(_metadata, &ring,
			REF_IORING_NOP_FILE | REF_IORING_NOP_FIXED_FILE, 0, 0, res);
	expect_failed_lookup(_metadata, res, in_res, -EBADF);
	run_linked_pair(_metadata, &ring,
			REF_IORING_NOP_FILE | REF_IORING_NOP_FIXED_FILE, 2, 0, res);
	expect_failed_lookup(_metadata, res, in_res, -EBADF);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring.h IORING_NOP_FIXED_BUFFER: sqe->buf_index is looked up in the
 * registered buffers; a registered index completes with the NOP's result
 * (kernel commit a85f31052bce, 6.13).
 */
TEST(nop_fixed_buffer_with_registered_index_completes)
{
	struct io_uring ring;
	struct io_uring_sqe sqe;
	struct iovec iov[2];
	char *mem;

	CONFORM_DECLARE("6.13", "IORING_NOP_FIXED_BUFFER",
			"commit a85f31052bce (6.13): io_uring/nop: add support for testing registered files and buffers");
	REQUIRE_NOP_FLAG(IORING_NOP_FIXED_BUFFER);
	mem = uring_anon_buf(8192);
	ASSERT_NE(NULL, mem);
	iov[0].iov_base = mem;
	iov[0].iov_len = 4096;
	iov[1].iov_base = mem + 4096;
	iov[1].iov_len = 4096;
	ASSERT_EQ(0, nop_ring(&ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers(&ring, iov, 2));
	prep_nop(&sqe, REF_IORING_NOP_FIXED_BUFFER |
		       REF_IORING_NOP_INJECT_RESULT, 66);
	sqe.buf_index = 1;
	EXPECT_EQ(66, uring_run_sqe_res(&ring, &sqe));
	io_uring_queue_exit(&ring);
	munmap(mem, 8192);
}

/*
 * Kernel commit a85f31052bce (6.13): IORING_NOP_FIXED_BUFFER with a
 * buf_index past the registered buffers, or on a ring with none, fails the
 * request with -EFAULT (the error of every fixed-buffer lookup; its link
 * is cancelled); res is -EFAULT since commit e97ff8b62d46 (7.1, stable
 * backports), before, the injected result (probed with IORING_NOP_FILE,
 * asserted).
 */
TEST(nop_fixed_buffer_with_unregistered_index_fails_with_efault)
{
	struct io_uring ring;
	struct iovec iov;
	int res[2] = { 0, 0 };
	bool in_res;
	char *mem;

	CONFORM_DECLARE("6.13", "IORING_NOP_FIXED_BUFFER",
			"commit a85f31052bce (6.13); commit e97ff8b62d46 (7.1): io_uring/nop: pass all errors to userspace");
	REQUIRE_NOP_FLAG(IORING_NOP_FIXED_BUFFER);
	in_res = lookup_error_in_res(_metadata, REF_IORING_NOP_FILE);
	ASSERT_EQ(0, nop_ring(&ring, 0));
	run_linked_pair(_metadata, &ring, REF_IORING_NOP_FIXED_BUFFER, 0, 0, res);
	expect_failed_lookup(_metadata, res, in_res, -EFAULT);
	mem = uring_anon_buf(4096);
	ASSERT_NE(NULL, mem);
	iov.iov_base = mem;
	iov.iov_len = 4096;
	ASSERT_EQ(0, io_uring_register_buffers(&ring, &iov, 1));
	run_linked_pair(_metadata, &ring, REF_IORING_NOP_FIXED_BUFFER, 0, 1, res);
	expect_failed_lookup(_metadata, res, in_res, -EFAULT);
	io_uring_queue_exit(&ring);
	munmap(mem, 4096);
}

/*
 * Kernel commit cb9ccfb404e7 ("io_uring/nop: add IORING_NOP_TW completion
 * flag", 6.17): IORING_NOP_TW makes the NOP "signal completions through
 * task_work rather than complete them inline", with the same result. On an
 * IORING_SETUP_DEFER_TASKRUN ring task work runs only when the task waits
 * with IORING_ENTER_GETEVENTS (io_uring_setup(2)), so a NOP_TW's CQE is not
 * there after a submit-only io_uring_enter and is after a GETEVENTS one,
 * while a plain NOP's is there at once.
 */
TEST(nop_tw_completes_from_task_work)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	CONFORM_DECLARE("6.17", "IORING_NOP_TW",
			"commit cb9ccfb404e7 (6.17): io_uring/nop: add IORING_NOP_TW completion flag; io_uring_setup(2) IORING_SETUP_DEFER_TASKRUN");
	REQUIRE_NOP_FLAG(IORING_NOP_TW);
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_DEFER_TASKRUN |
				    IORING_SETUP_SINGLE_ISSUER);
	ASSERT_EQ(0, nop_ring(&ring, IORING_SETUP_DEFER_TASKRUN |
				     IORING_SETUP_SINGLE_ISSUER));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_nop(sqe, REF_IORING_NOP_INJECT_RESULT, 33);
	sqe->user_data = TAG_NOP;
	uring_publish_sq(&ring);
	ASSERT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring))
		TH_LOG("a plain NOP did not complete inline");
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(33, cqe.res);

	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_nop(sqe, REF_IORING_NOP_TW | REF_IORING_NOP_INJECT_RESULT, 44);
	sqe->user_data = TAG_LINKED;
	uring_publish_sq(&ring);
	ASSERT_EQ(1, uring_sys_enter(ring.ring_fd, 1, 0, 0));
	EXPECT_EQ(0u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, uring_sys_enter(ring.ring_fd, 0, 1,
				     IORING_ENTER_GETEVENTS));
	ASSERT_EQ(1u, io_uring_cq_ready(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((__u64)TAG_LINKED, cqe.user_data);
	EXPECT_EQ(44, cqe.res);
	io_uring_queue_exit(&ring);
}

/*
 * Kernel commit 806ecb209aa8 ("io_uring/nop: add support for
 * IORING_SETUP_CQE_MIXED", 6.18): with IORING_NOP_CQE32 "sqe->off is what will be posted as
 * cqe->big_cqe[0] and sqe->addr is what will be posted as cqe->big_cqe[1]";
 * on an IORING_SETUP_CQE32 ring. The CQ memory is filled with 0xff first.
 */
TEST(nop_cqe32_posts_off_and_addr_in_big_cqe)
{
	const __u64 off = 0x1122334455667788ULL, addr = 0x99aabbccddeeff00ULL;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;

	CONFORM_DECLARE("6.18", "IORING_NOP_CQE32",
			"commit 806ecb209aa8 (6.18): io_uring/nop: add support for IORING_SETUP_CQE_MIXED");
	CONFORM_REQUIRE(nop_flag_missing(REF_IORING_NOP_CQE32,
					 "IORING_NOP_CQE32",
					 IORING_SETUP_CQE32));
	ASSERT_EQ(0, nop_ring(&ring, IORING_SETUP_CQE32));
	memset(ring.cq.cqes, 0xff, (size_t)*ring.cq.kring_entries * 32);
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	prep_nop(sqe, REF_IORING_NOP_CQE32, 0);
	sqe->off = off;
	sqe->addr = addr;
	sqe->user_data = TAG_NOP;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_wait_cqe_ms(&ring, &cqe, URING_REAP_BOUND_MS));
	EXPECT_EQ((__u64)TAG_NOP, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(off, cqe->big_cqe[0]);
	EXPECT_EQ(addr, cqe->big_cqe[1]);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/*
 * io_nop_prep() since kernel commit 806ecb209aa8 (6.18), which added
 * IORING_NOP_CQE32: the
 * flag needs a ring that posts 32-byte CQEs, IORING_SETUP_CQE32 or
 * IORING_SETUP_CQE_MIXED; on a ring of 16-byte CQEs the NOP fails with
 * -EINVAL.
 */
TEST(nop_cqe32_on_16_byte_cqe_ring_gets_einval)
{
	struct io_uring_sqe sqe;

	CONFORM_DECLARE("6.18", "IORING_NOP_CQE32",
			"commit 806ecb209aa8 (6.18): io_uring/nop: add support for IORING_SETUP_CQE_MIXED (io_nop_prep)");
	CONFORM_REQUIRE(nop_flag_missing(REF_IORING_NOP_CQE32,
					 "IORING_NOP_CQE32",
					 IORING_SETUP_CQE32));
	prep_nop(&sqe, REF_IORING_NOP_CQE32, 0);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
	prep_nop(&sqe, REF_IORING_NOP_CQE32 | REF_IORING_NOP_INJECT_RESULT, 5);
	EXPECT_EQ(-EINVAL, uring_run_one_sqe_res(&sqe));
}

TEST_HARNESS_MAIN
