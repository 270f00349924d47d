// SPDX-License-Identifier: MIT
/*
 * uring/userns: io_uring and credentials: user namespaces (CLONE_NEWUSER,
 * user_namespaces(7)) and ids switched with setresuid(2).
 *
 * Covered: io_uring_setup(2) and a request inside a new user namespace;
 * IORING_SETUP_SQPOLL without privileges (io_uring_setup(2): CAP_SYS_ADMIN
 * before 5.11, CAP_SYS_NICE in 5.11 and 5.12, nothing since 5.13), for a
 * process without capabilities and inside a user namespace whose root has
 * none in the initial namespace; IORING_REGISTER_PERSONALITY (5.6) called
 * inside a user namespace, whose id carries that namespace's credentials
 * (root of the namespace, mapped to nobody) to the ring's other users;
 * requests that io-wq runs (IOSQE_ASYNC) with the submitter's credentials
 * of the time of submission, not the worker's; and an SQPOLL ring's
 * requests, which run with the credentials of the ring's creator.
 *
 * Cases that need ids other than the caller's need root (real root of the
 * initial user namespace: CONFORM_REQUIRE_ROOT); user namespaces refused by
 * the system (kernel.unprivileged_userns_clone=0, user.max_user_namespaces
 * 0, an LSM) are skips with the reason. Files are made in the program's
 * private directory, opened to others for search (0711) and opened
 * relative to an fd of it, so that file modes alone decide who may open
 * them. Personalities in general: uring/personality.
 */
#include <dirent.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <liburing.h>

#include "conform_uring.h"

/* nobody, the owner of the user namespace tests' ids; and an id that is
 * neither root nor nobody. */
enum { NOBODY = 65534, OTHER = 65533 };

/* Idle time (ms) of SQ threads that must not fall asleep in a test. */
enum { AWAKE_IDLE_MS = 10000 };

/* Write text to path: 0, or the errno. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = (ssize_t)strlen(text);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, (size_t)len) != len)
		err = errno;
	close(fd);
	return err;
}

/*
 * Make the calling process a member of a new user namespace in which it is
 * root (uid and gid 0), mapped to its ids outside: unshare(CLONE_NEWUSER),
 * then "deny" to setgroups and one-line uid and gid maps
 * (user_namespaces(7): what an unprivileged process may write). NULL, or
 * why not.
 */
static const char *enter_user_ns(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int err;

	if (unshare(CLONE_NEWUSER) < 0) {
		err = errno;
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "unshare(CLONE_NEWUSER) as uid %u: %s (user namespaces refused here: kernel.unprivileged_userns_clone=%ld, user.max_user_namespaces=%ld, or an LSM)",
			 (unsigned int)uid, strerror(err),
			 conform_read_sysctl("/proc/sys/kernel/unprivileged_userns_clone"),
			 conform_read_sysctl("/proc/sys/user/max_user_namespaces"));
		return conform_why;
	}
	err = write_file("/proc/self/setgroups", "deny");
	if (!err) {
		snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
		err = write_file("/proc/self/uid_map", map);
	}
	if (!err) {
		snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
		err = write_file("/proc/self/gid_map", map);
	}
	if (err) {
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "cannot write the id maps of the new user namespace: %s",
			 strerror(err));
		return conform_why;
	}
	return NULL;
}

/*
 * Drop every id of the caller to uid (and gid uid), no groups; capabilities
 * go with uid 0 (capabilities(7)). The change of ids makes the process
 * non-dumpable, which would leave its /proc/self files (the id maps)
 * owned by root (proc(5)): it is made dumpable again. 0 or -1.
 */
static int become(uid_t uid)
{
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0 || prctl(PR_SET_DUMPABLE, 1) < 0)
		return -1;
	return 0;
}

/*
 * The program's private directory, made searchable (0711) for everyone,
 * as an O_PATH fd that the opens below start from (the walk then checks
 * no directory above it, whatever TMPDIR is); and in it a new empty file
 * name owned by owner with mode 0600 (root needed when owner is not the
 * caller). The fd, or -1.
 */
static int dir_with_file(const char *name, uid_t owner)
{
	int dir, fd;

	if (chmod(conform_tmpdir(), 0711) < 0)
		return -1;
	dir = open(conform_tmpdir(), O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	fd = openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || fchown(fd, owner, owner) < 0) {
		if (fd >= 0)
			close(fd);
		close(dir);
		return -1;
	}
	close(fd);
	return dir;
}

/* Another such file in the directory dir: 0 or -1. */
static int add_file(int dir, const char *name, uid_t owner)
{
	int fd = openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
			0600);

	if (fd < 0)
		return -1;
	if (fchown(fd, owner, owner) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * IORING_OP_OPENAT of name in the directory dir, read-only, with
 * personality id and the SQE flags given: the CQE's res (an fd, closed
 * here: then 0), or INT_MIN.
 */
static int try_open(struct io_uring *ring, int dir, const char *name,
		    unsigned int id, unsigned char sqe_flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	int res;

	if (!sqe)
		return INT_MIN;
	io_uring_prep_openat(sqe, dir, name, O_RDONLY | O_CLOEXEC, 0);
	sqe->personality = (__u16)id;
	sqe->flags |= sqe_flags;
	res = uring_submit_res(ring);
	if (res >= 0) {
		close(res);
		res = 0;
	}
	return res;
}

/* An SQPOLL ring whose thread stays awake AWAKE_IDLE_MS: setup's result. */
static int sqpoll_setup(struct io_uring *ring)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = AWAKE_IDLE_MS;
	return io_uring_queue_init_params(4, ring, &p);
}

/*
 * In a TEST: that a plain ring can be made here (else skip: io_uring
 * refused to this process), then an SQPOLL ring runs a NOP; a kernel that
 * refuses SQPOLL with EPERM (before 5.13: CAP_SYS_ADMIN, then
 * CAP_SYS_NICE) is a skip saying so. where names the credentials.
 */
static void expect_sqpoll_works(struct __test_metadata *_metadata,
				const char *where)
{
	struct io_uring ring;
	int ret;

	CONFORM_REQUIRE(conform_uring_unavailable());
	ret = sqpoll_setup(&ring);
	if (ret == -EPERM)
		SKIP(return, "IORING_SETUP_SQPOLL %s: EPERM (this kernel wants CAP_SYS_ADMIN or CAP_SYS_NICE for it: before 5.13)",
		     where);
	ASSERT_EQ(0, ret) TH_LOG("SQPOLL setup %s: %s", where, strerror(-ret));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * user_namespaces(7): a process in a new user namespace is root there and
 * has every capability in it (none outside). io_uring_setup(2) needs no
 * privilege: inside a new user namespace (uid 0 there) a ring is made and
 * runs a NOP (since 5.1).
 */
TEST(ring_works_in_new_user_namespace)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.1", "io_uring_setup",
			"io_uring_setup(2); user_namespaces(7)");
	CONFORM_REQUIRE_URING();
	CONFORM_REQUIRE(enter_user_ns());
	ASSERT_EQ(0u, getuid());
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(0, uring_run_nop(&ring, 0));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL: "5.11 also allows using this as
 * non-root, if the user has the CAP_SYS_NICE capability. In 5.13 this
 * requirement was also relaxed, and no special privileges are needed":
 * after root drops to nobody (no capabilities left) an SQPOLL ring is made
 * and runs a NOP (since 5.13; older kernels refuse with EPERM: skip).
 */
TEST(sqpoll_works_without_privileges)
{
	CONFORM_DECLARE("5.13", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL: no special "
			"privileges since 5.13");
	if (geteuid() == 0)
		ASSERT_EQ(0, become(NOBODY));
	expect_sqpoll_works(_metadata, "as nobody, without capabilities");
}

/*
 * io_uring_setup(2) IORING_SETUP_SQPOLL needs no privilege since 5.13, and
 * user_namespaces(7): capabilities held in a child user namespace give
 * none in the initial one, which is where the checks of 5.11 and 5.12
 * looked. A user namespace made by nobody (as an unprivileged user does),
 * whose root therefore has no capability outside, makes an SQPOLL ring
 * that runs a NOP (since 5.13; older kernels: EPERM, skip).
 */
TEST(sqpoll_works_in_user_namespace_of_unprivileged_user)
{
	CONFORM_DECLARE("5.13", "IORING_SETUP_SQPOLL",
			"io_uring_setup(2) IORING_SETUP_SQPOLL; "
			"user_namespaces(7) capabilities");
	if (geteuid() == 0)
		ASSERT_EQ(0, become(NOBODY));
	CONFORM_REQUIRE(enter_user_ns());
	expect_sqpoll_works(_metadata,
			    "as root of a user namespace made by nobody");
}

/*
 * io_uring_register(2) IORING_REGISTER_PERSONALITY registers "the
 * credentials of the running application", and a request naming the id
 * "will be issued with these credentials". Registered by a process that
 * is root of a user namespace made by nobody (on a ring it shares with
 * its parent), the id carries those credentials, nobody's as seen from
 * outside with capabilities that count inside that namespace only. A real
 * root submitter using it cannot open a root-only (0600) file: -EACCES,
 * though its own credentials can; once the submitter runs as a third uid
 * the id opens nobody's 0600 file, which the submitter's own credentials
 * cannot (since 5.6).
 */
TEST(personality_from_user_namespace_carries_its_credentials)
{
	struct io_uring ring;
	int status, id, msg[2], dir;
	char why[256];
	pid_t pid;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_register(2) IORING_REGISTER_PERSONALITY; "
			"user_namespaces(7)");
	CONFORM_REQUIRE_ROOT();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	ASSERT_LE(0, dir = dir_with_file("pers-root", 0));
	ASSERT_EQ(0, add_file(dir, "pers-nobody", NOBODY));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, conform_pipe(msg));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Exit status: the id; 0 with the reason in the pipe when
		 * user namespaces are refused; 255 on another failure. */
		const char *why;

		close(msg[0]);
		if (become(NOBODY))
			_exit(255);
		why = enter_user_ns();
		if (why) {
			if (write(msg[1], why, strlen(why)) < 0)
				_exit(255);
			_exit(0);
		}
		id = uring_register_raw(&ring, IORING_REGISTER_PERSONALITY,
					NULL, 0);
		_exit(id > 0 && id < 255 ? id : 255);
	}
	close(msg[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	id = WEXITSTATUS(status);
	memset(why, 0, sizeof(why));
	if (read(msg[0], why, sizeof(why) - 1) < 0)
		why[0] = '\0';
	close(msg[0]);
	if (id == 0) {
		io_uring_queue_exit(&ring);
		close(dir);
		SKIP(return, "%s", why);
	}
	ASSERT_NE(255, id)
		TH_LOG("the child (nobody, root of its user namespace) could not register a personality");
	/* Real root, with the namespace's credentials: refused. */
	EXPECT_EQ(-EACCES, try_open(&ring, dir, "pers-root", id, 0));
	EXPECT_EQ(0, try_open(&ring, dir, "pers-root", 0, 0));
	/* A third uid, with them: nobody's own file opens. */
	ASSERT_EQ(0, become(OTHER));
	EXPECT_EQ(-EACCES, try_open(&ring, dir, "pers-nobody", 0, 0));
	EXPECT_EQ(0, try_open(&ring, dir, "pers-nobody", id, 0));
	io_uring_queue_exit(&ring);
	close(dir);
}

/*
 * io_uring_setup(2) IORING_FEAT_CUR_PERSONALITY: requests are issued "with
 * the personality of the application that submitted them", even when run
 * later by io-wq (IOSQE_ASYNC): the kernel takes the submitter's
 * credentials at submission (io_uring.c io_prep_async_work()). On a ring
 * made by root, an IOSQE_ASYNC IORING_OP_OPENAT of a root-only (0600) file
 * opens it while the task is root, and fails with -EACCES once the task has
 * switched every id to nobody with setresuid(2), though the worker that
 * runs it was made while the task was root (since 5.6).
 */
TEST(async_request_runs_with_credentials_of_submission)
{
	struct io_uring ring;
	int dir;

	CONFORM_DECLARE("5.6", "IORING_FEAT_CUR_PERSONALITY",
			"io_uring_setup(2) IORING_FEAT_CUR_PERSONALITY; "
			"io_uring_enter(2) IOSQE_ASYNC");
	CONFORM_REQUIRE_ROOT();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	ASSERT_LE(0, dir = dir_with_file("async-root", 0));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(0, try_open(&ring, dir, "async-root", 0, IOSQE_ASYNC));
	ASSERT_EQ(0, become(NOBODY));
	EXPECT_EQ(-EACCES, try_open(&ring, dir, "async-root", 0, IOSQE_ASYNC));
	EXPECT_EQ(-EACCES, try_open(&ring, dir, "async-root", 0, 0));
	io_uring_queue_exit(&ring);
	close(dir);
}

/*
 * An SQPOLL ring's requests are issued by its SQ thread, which runs with
 * the credentials its creator had at io_uring_setup(2) (io_uring/sqpoll.c:
 * ctx->sq_creds = get_current_cred() at setup, override_creds() in the
 * thread; no man page says so): after the creator, root, switches every id
 * to nobody, an IORING_OP_OPENAT of a root-only (0600) file through the SQ
 * ring still opens it, while the same open on a ring without SQPOLL fails
 * with -EACCES (since 5.11, IORING_FEAT_SQPOLL_NONFIXED: before it SQPOLL
 * took registered files only).
 */
TEST(sqpoll_request_runs_with_credentials_of_ring_creator)
{
	struct io_uring sq, plain;
	int dir;

	CONFORM_DECLARE("5.11", "IORING_SETUP_SQPOLL",
			"io_uring/sqpoll.c io_sq_offload_create() sq_creds; "
			"io_uring_setup(2) IORING_SETUP_SQPOLL");
	CONFORM_REQUIRE_ROOT();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_SQPOLL_NONFIXED);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	ASSERT_LE(0, dir = dir_with_file("sqpoll-root", 0));
	ASSERT_EQ(0, sqpoll_setup(&sq));
	ASSERT_EQ(0, io_uring_queue_init(4, &plain, 0));
	ASSERT_EQ(0, become(NOBODY));
	EXPECT_EQ(0, try_open(&sq, dir, "sqpoll-root", 0, 0));
	EXPECT_EQ(-EACCES, try_open(&plain, dir, "sqpoll-root", 0, 0));
	io_uring_queue_exit(&sq);
	io_uring_queue_exit(&plain);
	close(dir);
}

/* The number of threads of this process (/proc/self/task); -1 without
 * /proc. */
static int thread_count(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

/* 0 when a forked child, single-threaded, can enter a new user namespace;
 * else its reason in why. */
static int userns_possible(char *why, size_t len)
{
	int msg[2], status;
	pid_t pid;

	memset(why, 0, len);
	if (conform_pipe(msg))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char *err = enter_user_ns();

		close(msg[0]);
		if (err && write(msg[1], err, strlen(err)) < 0)
			_exit(2);
		_exit(err ? 1 : 0);
	}
	close(msg[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		close(msg[0]);
		return -1;
	}
	if (read(msg[0], why, len - 1) < 0)
		why[0] = '\0';
	close(msg[0]);
	return WEXITSTATUS(status) ? -1 : 0;
}

/*
 * unshare(2) CLONE_NEWUSER: "requires that the calling process is not
 * threaded" (it implies CLONE_THREAD; EINVAL otherwise). Since 5.12 the
 * SQ thread of an SQPOLL ring is a thread of the process that made the
 * ring ("iou-sqp-<pid>" in /proc/self/task: kernel commit 37d1e2e3642e
 * "io_uring: move SQPOLL thread io-wq forked worker"), so while the
 * ring exists unshare(CLONE_NEWUSER) fails with EINVAL, where a child of
 * the same process, without the ring's thread, succeeds (since 5.12;
 * before it the SQ thread was a kernel thread outside the process: skip).
 */
TEST(unshare_user_ns_gets_einval_while_sq_thread_lives)
{
	struct io_uring ring;
	char why[256];
	int before, after;

	CONFORM_DECLARE("5.12", "IORING_SETUP_SQPOLL",
			"unshare(2) CLONE_NEWUSER not threaded, EINVAL; SQ "
			"thread an io thread of the task since 5.12");
	CONFORM_REQUIRE_URING();
	if (userns_possible(why, sizeof(why)))
		SKIP(return, "%s", why[0] ? why : CONFORM_ENV "a child could not enter a user namespace");
	before = thread_count();
	if (before < 0)
		SKIP(return, CONFORM_ENV "no /proc/self/task: cannot see the SQ thread");
	ASSERT_EQ(0, sqpoll_setup(&ring));
	after = thread_count();
	if (after == before) {
		io_uring_queue_exit(&ring);
		SKIP(return, "the SQ thread is not a thread of this process (/proc/self/task has %d entries with the SQPOLL ring as without): a kernel thread, before 5.12",
		     after);
	}
	EXPECT_EQ(before + 1, after);
	EXPECT_EQ(-1, unshare(CLONE_NEWUSER));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
