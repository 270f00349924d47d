// SPDX-License-Identifier: MIT
/*
 * uring/feature-bits: what the io_uring_params.features bits promise
 * (io_uring_setup(2), "features"), each TEST gated on its bit:
 * IORING_FEAT_SUBMIT_STABLE (5.5: data of a request is consumed at submit),
 * IORING_FEAT_FAST_POLL (5.7: a request on a not-ready file waits by poll,
 * with no io-wq worker; seen as threads since 5.12),
 * IORING_FEAT_POLL_32BITS (5.9: the 32-bit poll mask, whose high bit
 * EPOLLEXCLUSIVE gives exclusive wakeups), IORING_FEAT_NATIVE_WORKERS
 * (5.12: io-wq workers are threads of the process, iou-wrk-<pid>),
 * IORING_FEAT_LINKED_FILE (5.17: the file of a linked request is assigned
 * when it starts, so it can use a direct descriptor opened by the request
 * before it), and IORING_FEAT_RW_ATTR (6.14: READ/WRITE take attributes,
 * sqe->attr_ptr and sqe->attr_type_mask, the 6.1 header's addr3 and
 * __pad2[0]; IORING_RW_ATTR_FLAG_PI with a struct io_uring_attr_pi), whose
 * error paths need no integrity-capable device: a file without integrity
 * metadata (-EOPNOTSUPP on 6.14 to 6.16, -EINVAL since 6.17), an unknown
 * attribute (-EINVAL), a nonzero rsvd (-EINVAL), an unreadable attribute
 * (-EFAULT). The PI success path needs a block device with an integrity
 * profile (e.g. NVMe formatted with metadata) opened O_DIRECT, which
 * neither the host nor the guests have.
 */
#include <liburing.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/uio.h>

#include "conform_uring.h"
#include "ref/uapi.h"

enum { TAG_READ = 1, TAG_OPEN = 2, TAG_POLL_A = 3, TAG_POLL_B = 4 };

/* Bound of a wait for a thread to show up in /proc/self/task. */
enum { THREAD_WAIT_MS = 5000 };

/*
 * Wait (THREAD_WAIT_MS bound, 1 ms steps) until a thread named want is in
 * /proc/self/task: a new io-wq worker names itself when it starts running,
 * so this waits for a state, it does not race. 1 seen, 0 not seen, -1 no
 * /proc/self/task.
 */
static int wait_thread_named(const char *want)
{
	struct timespec ms = { .tv_nsec = 1000 * 1000 };

	for (int i = 0; i < THREAD_WAIT_MS; i++) {
		int found;

		if (uring_other_threads(NULL, want, &found) < 0)
			return -1;
		if (found)
			return 1;
		nanosleep(&ms, NULL);
	}
	return 0;
}

/*
 * io_uring_setup(2) IORING_FEAT_SINGLE_MMAP: "the two SQ and CQ rings can
 * be mapped with a single mmap(2) call" (since 5.4). The ring is driven by
 * hand: one mapping at IORING_OFF_SQ_RING, as long as the longer of the
 * two rings, plus the SQE array; a NOP submitted through the SQ ring's
 * fields comes back in the CQ ring's fields of the same mapping.
 */
TEST(single_mmap_maps_sq_and_cq_ring_together)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	size_t sq_len, cq_len, len;
	char *rings;
	int fd;

	CONFORM_DECLARE("5.4", "IORING_FEAT_SINGLE_MMAP",
			"io_uring_setup(2) IORING_FEAT_SINGLE_MMAP");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_SINGLE_MMAP);
	memset(&p, 0, sizeof(p));
	fd = conform_sys_io_uring_setup(4, &p);
	ASSERT_LE(0, fd);
	sq_len = p.sq_off.array + p.sq_entries * sizeof(__u32);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	len = sq_len > cq_len ? sq_len : cq_len;
	rings = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		     fd, IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, rings);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	ASSERT_NE(MAP_FAILED, sqes);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_NOP;
	sqes[0].user_data = 0x5a5a;
	((__u32 *)(rings + p.sq_off.array))[0] = 0;
	__atomic_store_n((__u32 *)(rings + p.sq_off.tail), 1, __ATOMIC_RELEASE);
	ASSERT_EQ(1, uring_sys_enter(fd, 1, 1, IORING_ENTER_GETEVENTS));
	EXPECT_EQ(1u, __atomic_load_n((__u32 *)(rings + p.cq_off.tail),
				      __ATOMIC_ACQUIRE) -
			      *(__u32 *)(rings + p.cq_off.head));
	cqe = (struct io_uring_cqe *)(rings + p.cq_off.cqes);
	EXPECT_EQ(0x5a5aULL, cqe[0].user_data);
	EXPECT_EQ(0, cqe[0].res);
	munmap(sqes, p.sq_entries * sizeof(*sqes));
	munmap(rings, len);
	close(fd);
}

/*
 * io_uring_setup(2) IORING_FEAT_SUBMIT_STABLE: "If this flag is set,
 * applications can be certain that any data for async offload has been
 * consumed when the kernel has consumed the SQE" (since 5.5). A READV of an
 * empty pipe cannot complete at submit; once io_uring_enter(2) has
 * returned, its iovec array is pointed at another buffer. The data written
 * next still lands in the buffer the array named at submit, and the other
 * is untouched.
 */
TEST(submit_stable_read_uses_iovec_as_it_was_at_submit)
{
	char first[8], second[8], data[8];
	struct iovec iov[1];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int p[2];

	CONFORM_DECLARE("5.5", "IORING_FEAT_SUBMIT_STABLE",
			"io_uring_setup(2) IORING_FEAT_SUBMIT_STABLE");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_SUBMIT_STABLE);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(first, 0, sizeof(first));
	memset(second, 0, sizeof(second));
	iov[0].iov_base = first;
	iov[0].iov_len = sizeof(first);
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_readv(sqe, p[0], iov, 1, 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	ASSERT_EQ(1, io_uring_submit(&ring));
	iov[0].iov_base = second;
	iov[0].iov_len = sizeof(second) / 2;
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(p[1], data, sizeof(data)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(first), cqe.res);
	EXPECT_TRUE(conform_check_pattern(first, sizeof(first), 0));
	for (size_t i = 0; i < sizeof(second); i++)
		EXPECT_EQ(0, second[i]);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_setup(2) IORING_FEAT_FAST_POLL: "requests that cannot read or
 * write data to a file no longer need to be punted to an async thread for
 * handling, instead they will begin operation when the file is ready"
 * (since 5.7). Io-wq workers are threads of the process since 5.12
 * (IORING_FEAT_NATIVE_WORKERS), where this becomes visible: while a RECV
 * of an empty socket waits, the process has no thread but the caller
 * (5.12's io-wq manager, iou-mgr-<pid>, aside); data then completes it.
 */
TEST(fast_poll_recv_waits_without_io_worker_thread)
{
	char buf[8], data[8];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int sv[2], n;

	CONFORM_DECLARE("5.12", "IORING_FEAT_FAST_POLL",
			"io_uring_setup(2) IORING_FEAT_FAST_POLL, "
			"IORING_FEAT_NATIVE_WORKERS");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_FAST_POLL);
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NATIVE_WORKERS);
	if (uring_other_threads(NULL, NULL, NULL) < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the threads");
	ASSERT_EQ(0, conform_socketpair(sv));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_recv(sqe, sv[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	n = uring_other_threads("iou-mgr-", NULL, NULL);
	EXPECT_EQ(0, n) TH_LOG("%d thread(s) besides the caller while the RECV waits", n);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(sv[1], data, sizeof(data)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(data), cqe.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

/*
 * io_uring_setup(2) IORING_FEAT_POLL_32BITS: "the IORING_OP_POLL_ADD
 * command accepts the full 32-bit range of epoll based flags. Most notably
 * EPOLLEXCLUSIVE which allows exclusive (waking single waiters) behavior"
 * (since 5.9: poll32_events, commit 5769a351b89c "io_uring: change the
 * poll type to be 32-bits", and the EPOLLEXCLUSIVE support beside it).
 * With two POLLIN | EPOLLEXCLUSIVE (bit 28) polls on an empty pipe, one
 * write wakes exactly one of them and the other stays pending; once the
 * byte is read out, a second write wakes the other.
 */
TEST(poll32_epollexclusive_wakes_one_poll_per_event)
{
	const __u64 tags[2] = { TAG_POLL_A, TAG_POLL_B };
	struct io_uring ring;
	struct io_uring_cqe first, second;
	char c;
	int p[2];

	CONFORM_DECLARE("5.9", "IORING_FEAT_POLL_32BITS",
			"io_uring_setup(2) IORING_FEAT_POLL_32BITS; commit "
			"5769a351b89c (5.9); epoll_ctl(2) EPOLLEXCLUSIVE");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_POLL_32BITS);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	for (int i = 0; i < 2; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		ASSERT_NE(NULL, sqe);
		io_uring_prep_poll_add(sqe, p[0], POLLIN | EPOLLEXCLUSIVE);
		io_uring_sqe_set_data64(sqe, tags[i]);
	}
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(-ETIME, uring_wait_briefly(&ring));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &first));
	EXPECT_TRUE(first.res > 0 && (first.res & POLLIN))
		TH_LOG("first poll res 0x%x", first.res);
	EXPECT_EQ(-ETIME, uring_wait_briefly(&ring))
		TH_LOG("one write woke both EPOLLEXCLUSIVE polls");
	ASSERT_EQ(1, read(p[0], &c, 1));
	ASSERT_EQ(1, write(p[1], "y", 1));
	ASSERT_EQ(0, uring_reap_one(&ring, &second));
	EXPECT_NE(first.user_data, second.user_data);
	EXPECT_TRUE(second.res > 0 && (second.res & POLLIN))
		TH_LOG("second poll res 0x%x", second.res);
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_setup(2) IORING_FEAT_NATIVE_WORKERS: "io_uring is using native
 * workers for its async helpers ... later kernels will actively create
 * what looks more like regular process threads instead" (since 5.12): the
 * io-wq workers are threads of the submitting process, named
 * iou-wrk-<pid of the submitter> (io_uring/io-wq.c). A READ
 * of an empty pipe with IOSQE_ASYNC is handed to such a worker, and a
 * thread of that name appears in /proc/self/task; data then completes the
 * read.
 */
TEST(native_worker_is_a_thread_named_iou_wrk_pid)
{
	char buf[8], data[8], name[32];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe cqe;
	int p[2], seen;

	CONFORM_DECLARE("5.12", "IORING_FEAT_NATIVE_WORKERS",
			"io_uring_setup(2) IORING_FEAT_NATIVE_WORKERS");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_NATIVE_WORKERS);
	if (uring_other_threads(NULL, NULL, NULL) < 0)
		SKIP(return, CONFORM_ENV "/proc/self/task unreadable: cannot see the threads");
	snprintf(name, sizeof(name), "iou-wrk-%d", (int)gettid());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, p[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, io_uring_submit(&ring));
	seen = wait_thread_named(name);
	EXPECT_EQ(1, seen) TH_LOG("no thread named %s within %d ms", name,
				  THREAD_WAIT_MS);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ((ssize_t)sizeof(data), write(p[1], data, sizeof(data)));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(data), cqe.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/*
 * io_uring_setup(2) IORING_FEAT_LINKED_FILE: "If this flag is set, then
 * the kernel will defer file assignment until execution of a given request
 * is started", so a request linked after one that installs a direct
 * descriptor can use it (since 5.17).
 * An OPENAT into direct descriptor slot 0 (of a table registered empty),
 * linked to a READ of fixed file 0: the open completes with 0 and the read
 * returns the file's 64 bytes, where earlier kernels looked the slot up at
 * submit and failed the read with -EBADF.
 */
TEST(linked_read_uses_direct_descriptor_opened_before_it)
{
	const __u64 tags[2] = { TAG_OPEN, TAG_READ };
	char path[300], buf[64];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int res[2] = { INT_MIN, INT_MIN };
	int empty = -1;

	CONFORM_DECLARE("5.17", "IORING_FEAT_LINKED_FILE",
			"io_uring_setup(2) IORING_FEAT_LINKED_FILE");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_LINKED_FILE);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(path, sizeof(path), "linked-file");
	ASSERT_EQ(0, conform_pattern_file(path, sizeof(buf)));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, &empty, 1));
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, path, O_RDONLY, 0, 0);
	io_uring_sqe_set_data64(sqe, TAG_OPEN);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(&ring);
	ASSERT_NE(NULL, sqe);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, TAG_READ);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_tagged(&ring, 2, tags, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ((int)sizeof(buf), res[1]);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	io_uring_queue_exit(&ring);
	unlink(path);
}

/*
 * A READ of len bytes from fd into buf carrying attributes: sqe->attr_ptr
 * is the 6.1 header's addr3, sqe->attr_type_mask its __pad2[0]. Its res,
 * or INT_MIN when it did not run.
 */
static int read_with_attr(int fd, void *buf, unsigned int len,
			  const void *attr, __u64 mask)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_read(&sqe, fd, buf, len, 0);
	sqe.addr3 = (__u64)(uintptr_t)attr;
	sqe.__pad2[0] = mask;
	return uring_run_one_sqe_res(&sqe);
}

/* A PI attribute over a metadata buffer of len bytes at meta. */
static struct ref_io_uring_attr_pi pi_attr(void *meta, unsigned int len)
{
	struct ref_io_uring_attr_pi pi;

	memset(&pi, 0, sizeof(pi));
	pi.addr = (__u64)(uintptr_t)meta;
	pi.len = len;
	return pi;
}

/*
 * A WRITE of n bytes from buf to fd carrying attr: as read_with_attr().
 */
static int write_with_attr(int fd, const void *buf, unsigned int len,
			   const void *attr, __u64 mask)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_write(&sqe, fd, buf, len, 0);
	sqe.addr3 = (__u64)(uintptr_t)attr;
	sqe.__pad2[0] = mask;
	return uring_run_one_sqe_res(&sqe);
}

/*
 * IORING_FEAT_RW_ATTR (6.14, commit 59a7d12a7fb5 "io_uring: introduce
 * attributes for read/write and PI support"): READ/WRITE take
 * IORING_RW_ATTR_FLAG_PI with a struct io_uring_attr_pi, for files that
 * carry integrity metadata; io_rw_init_file() refuses others. The refusal
 * changed: 6.14 to 6.16 check only O_DIRECT (the metadata shares its space
 * with the buffered-read wait state) and fail a buffered file with
 * -EOPNOTSUPP, but pass metadata on to any O_DIRECT file, which ignores it;
 * 6.17 (commit 9cae6f7ce9ba "fs: add a FMODE_ flag to indicate
 * IOCB_HAS_METADATA availability", a fix that stable kernels may carry)
 * first requires FMODE_HAS_METADATA, set only by block devices with an
 * integrity profile, and fails every other file with -EINVAL. Per kernel,
 * told by a WRITE with a PI attribute into an O_DIRECT (packet) pipe: 8
 * bytes written without the check, -EINVAL with it. Then a READ with a PI
 * attribute of a buffered regular file fails with that kernel's error and
 * reads nothing.
 */
TEST(pi_attr_on_file_without_metadata_is_refused)
{
	struct ref_io_uring_attr_pi pi;
	char buf[64], meta[8];
	int fd, p[2], probe;

	CONFORM_DECLARE("6.14", "IORING_FEAT_RW_ATTR",
			"commit 59a7d12a7fb5 (6.14): io_uring: introduce attributes "
			"for read/write and PI support; commit 9cae6f7ce9ba (6.17)");
	CONFORM_REQUIRE(conform_uring_feature_missing(REF_IORING_FEAT_RW_ATTR,
						      "IORING_FEAT_RW_ATTR"));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_DIRECT));
	memset(buf, 0, sizeof(buf));
	pi = pi_attr(meta, sizeof(meta));
	probe = write_with_attr(p[1], "12345678", 8, &pi,
				REF_IORING_RW_ATTR_FLAG_PI);
	close(p[0]);
	close(p[1]);
	fd = conform_temp_file(sizeof(buf), 0);
	ASSERT_LE(0, fd);
	if (probe == -EINVAL) {
		TH_LOG("FMODE_HAS_METADATA checked (6.17 and later): -EINVAL expected");
		EXPECT_EQ(-EINVAL, read_with_attr(fd, buf, sizeof(buf), &pi,
						  REF_IORING_RW_ATTR_FLAG_PI));
	} else {
		TH_LOG("only O_DIRECT checked (6.14 to 6.16): -EOPNOTSUPP expected");
		ASSERT_EQ(8, probe)
			TH_LOG("the O_DIRECT pipe probe completed with %d", probe);
		EXPECT_EQ(-EOPNOTSUPP, read_with_attr(fd, buf, sizeof(buf), &pi,
						      REF_IORING_RW_ATTR_FLAG_PI));
	}
	for (size_t i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(0, buf[i]);
	close(fd);
}

/*
 * The attribute checks below run when the request is prepared, before its
 * file is looked up (io_uring/rw.c __io_prep_rw(), io_prep_rw_pi()): each
 * is shown on a READ of an fd that is not open, where a well-formed PI
 * attribute gets as far as the lookup and its -EBADF, and every kernel
 * since 6.17 would fail the file itself with -EINVAL.
 */

/*
 * IORING_FEAT_RW_ATTR: sqe->attr_type_mask names the attributes at
 * attr_ptr; IORING_RW_ATTR_FLAG_PI is the only one (io_uring.h; 6.14) and
 * __io_prep_rw() refuses any other bit with -EINVAL at prep: bit 63 alone,
 * and bit 63 with the PI bit; the PI bit alone reaches the fd (-EBADF).
 */
TEST(unknown_attr_type_bit_gets_einval)
{
	struct ref_io_uring_attr_pi pi;
	char buf[64], meta[8];
	int bad = conform_bad_fd();

	CONFORM_DECLARE("6.14", "IORING_FEAT_RW_ATTR",
			"io_uring.h IORING_RW_ATTR_FLAG_PI; io_uring/rw.c "
			"__io_prep_rw() -EINVAL");
	CONFORM_REQUIRE(conform_uring_feature_missing(REF_IORING_FEAT_RW_ATTR,
						      "IORING_FEAT_RW_ATTR"));
	pi = pi_attr(meta, sizeof(meta));
	EXPECT_EQ(-EBADF, read_with_attr(bad, buf, sizeof(buf), &pi,
					 REF_IORING_RW_ATTR_FLAG_PI));
	EXPECT_EQ(-EINVAL, read_with_attr(bad, buf, sizeof(buf), &pi,
					  1ULL << 63));
	EXPECT_EQ(-EINVAL, read_with_attr(bad, buf, sizeof(buf), &pi,
					  (1ULL << 63) |
					  REF_IORING_RW_ATTR_FLAG_PI));
}

/*
 * struct io_uring_attr_pi ends with a reserved word, rsvd; io_prep_rw_pi()
 * refuses a nonzero one with -EINVAL at prep, where the same attribute
 * with rsvd 0 reaches the fd (-EBADF) (since 6.14).
 */
TEST(pi_attr_with_nonzero_rsvd_gets_einval)
{
	struct ref_io_uring_attr_pi pi;
	char buf[64], meta[8];
	int bad = conform_bad_fd();

	CONFORM_DECLARE("6.14", "IORING_FEAT_RW_ATTR",
			"io_uring.h struct io_uring_attr_pi rsvd; io_uring/rw.c "
			"io_prep_rw_pi() -EINVAL");
	CONFORM_REQUIRE(conform_uring_feature_missing(REF_IORING_FEAT_RW_ATTR,
						      "IORING_FEAT_RW_ATTR"));
	pi = pi_attr(meta, sizeof(meta));
	EXPECT_EQ(-EBADF, read_with_attr(bad, buf, sizeof(buf), &pi,
					 REF_IORING_RW_ATTR_FLAG_PI));
	pi.rsvd = 1;
	EXPECT_EQ(-EINVAL, read_with_attr(bad, buf, sizeof(buf), &pi,
					  REF_IORING_RW_ATTR_FLAG_PI));
}

/*
 * The PI attribute is copied from sqe->attr_ptr at prep; an address the
 * kernel cannot read (the top page) fails the request with -EFAULT before
 * the fd is looked at (io_prep_rw_pi(); since 6.14).
 */
TEST(unreadable_pi_attr_gets_efault)
{
	char buf[64];

	CONFORM_DECLARE("6.14", "IORING_FEAT_RW_ATTR",
			"io_uring/rw.c io_prep_rw_pi() -EFAULT");
	CONFORM_REQUIRE(conform_uring_feature_missing(REF_IORING_FEAT_RW_ATTR,
						      "IORING_FEAT_RW_ATTR"));
	EXPECT_EQ(-EFAULT, read_with_attr(conform_bad_fd(), buf, sizeof(buf),
					  (const void *)(uintptr_t)-4096,
					  REF_IORING_RW_ATTR_FLAG_PI));
}

TEST_HARNESS_MAIN
