// SPDX-License-Identifier: MIT
/*
 * uring/personality: IORING_REGISTER_PERSONALITY /
 * IORING_UNREGISTER_PERSONALITY and sqe->personality: ids, the -EINVAL of
 * an unknown id, the argument checks, and (as root) that a request runs
 * with the registered credentials rather than the submitter's current
 * ones, an IORING_OP_OPENAT of a file only root may open.
 */
#include <liburing.h>

#include "conform_uring.h"

/* An unprivileged uid/gid for the credential tests (nobody). */
enum { NOBODY = 65534 };

/* Run a NOP whose SQE carries personality id; its CQE's res. */
static int nop_as(struct io_uring *ring, unsigned int id)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_nop(sqe);
	sqe->personality = (__u16)id;
	return uring_submit_res_or_error(ring);
}

/* IORING_OP_OPENAT of path (read-only) as personality id; its CQE's res. */
static int open_as(struct io_uring *ring, const char *path, unsigned int id)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	sqe->personality = (__u16)id;
	return uring_submit_res_or_error(ring);
}

/*
 * A file in the private directory (mode 0700, owned by root) that only
 * root can open; its path goes to path.
 */
static int make_root_only_file(char *path, size_t len)
{
	int fd;

	conform_tmppath(path, len, "root-only");
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* A 4-entry ring with the caller's credentials registered; the personality id. */
static int ring_with_personality(struct __test_metadata *_metadata,
				 struct io_uring *ring)
{
	int id;

	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
	id = uring_register_raw(ring, IORING_REGISTER_PERSONALITY, NULL, 0);
	ASSERT_LT(0, id);
	return id;
}

/* Switch the effective ids to nobody; the saved uid stays 0 (the test child ends). */
static void become_nobody(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, setresgid(-1, NOBODY, -1));
	ASSERT_EQ(0, setresuid(-1, NOBODY, -1));
}

/* A root-only file (its path in path) and a 4-entry ring. */
static void root_only_file_and_ring(struct __test_metadata *_metadata,
				    char *path, size_t len,
				    struct io_uring *ring)
{
	ASSERT_EQ(0, make_root_only_file(path, len));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
}

/*
 * io_uring_register(2) IORING_REGISTER_PERSONALITY: "returns an id
 * associated with these credentials"; id 0 means the submitter's own
 * (io_uring_enter(2)), so the ids handed out are nonzero and distinct
 * (since 5.6).
 */
TEST(register_personality_returns_distinct_nonzero_ids)
{
	struct io_uring ring;
	int a, b;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_register(2) IORING_REGISTER_PERSONALITY");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	a = uring_register_raw(&ring, IORING_REGISTER_PERSONALITY, NULL, 0);
	b = uring_register_raw(&ring, IORING_REGISTER_PERSONALITY, NULL, 0);
	EXPECT_LT(0, a);
	EXPECT_LT(0, b);
	EXPECT_NE(a, b);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2): "personality is the credentials id to use for this
 * operation"; a NOP issued with a registered id completes with 0
 * (since 5.6).
 */
TEST(nop_with_registered_personality_completes)
{
	struct io_uring ring;
	int id;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_enter(2) personality");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	id = ring_with_personality(_metadata, &ring);
	EXPECT_EQ(0, nop_as(&ring, id));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_enter(2) CQE ERRORS: EINVAL when "The personality field in a
 * submission queue entry is invalid": an id never registered (since 5.6).
 */
TEST(unknown_personality_completes_einval)
{
	struct io_uring ring;
	int id;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_enter(2) EINVAL personality field invalid");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	id = ring_with_personality(_metadata, &ring);
	EXPECT_EQ(-EINVAL, nop_as(&ring, id + 1));
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_UNREGISTER_PERSONALITY: "nr_args must be set
 * to the id in question"; once unregistered, an SQE naming it is invalid,
 * -EINVAL (since 5.6).
 */
TEST(unregistered_personality_completes_einval)
{
	struct io_uring ring;
	int id;

	CONFORM_DECLARE("5.6", "IORING_UNREGISTER_PERSONALITY",
			"io_uring_register(2) IORING_UNREGISTER_PERSONALITY");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	id = ring_with_personality(_metadata, &ring);
	EXPECT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_PERSONALITY, NULL, id));
	EXPECT_EQ(-EINVAL, nop_as(&ring, id));
	io_uring_queue_exit(&ring);
}

/*
 * Kernel io_unregister_personality() (since 5.6): an id that is not
 * registered (here: one already unregistered) is refused with EINVAL.
 */
TEST(unregister_unknown_personality_gets_einval)
{
	struct io_uring ring;
	int id;

	CONFORM_DECLARE("5.6", "IORING_UNREGISTER_PERSONALITY",
			"io_uring/register.c io_unregister_personality()");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	id = ring_with_personality(_metadata, &ring);
	ASSERT_EQ(0, uring_register_raw(&ring, IORING_UNREGISTER_PERSONALITY, NULL, id));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_UNREGISTER_PERSONALITY, NULL, id));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_PERSONALITY: "Must be invoked with
 * arg set to NULL and nr_args set to zero"; kernel __io_uring_register()
 * refuses anything else with EINVAL (since 5.6).
 */
TEST(register_personality_with_nr_args_gets_einval)
{
	struct io_uring ring;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_register(2) IORING_REGISTER_PERSONALITY arg "
			"NULL and nr_args 0");
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, IORING_REGISTER_PERSONALITY, NULL, 1));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_PERSONALITY: "If set, that
 * particular sqe will be issued with these credentials": root's personality,
 * used after the task switched its effective ids to nobody, opens a file
 * only root may open (since 5.6; IORING_OP_OPENAT since 5.6).
 */
TEST(registered_personality_grants_its_credentials)
{
	struct io_uring ring;
	char path[300];
	int id, fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_register(2) IORING_REGISTER_PERSONALITY");
	CONFORM_REQUIRE_ROOT();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	ASSERT_EQ(0, make_root_only_file(path, sizeof(path)));
	id = ring_with_personality(_metadata, &ring);
	become_nobody(_metadata);
	ASSERT_EQ(-1, open(path, O_RDONLY | O_CLOEXEC));
	ASSERT_EQ(EACCES, errno);
	fd = open_as(&ring, path, id);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_setup(2) IORING_FEAT_CUR_PERSONALITY: requests are issued "with
 * the personality of the application that submitted them", also when run
 * later: with personality 0 the same open fails with -EACCES for nobody
 * (since 5.6).
 */
TEST(submission_without_personality_uses_current_credentials)
{
	struct io_uring ring;
	char path[300];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_FEAT_CUR_PERSONALITY",
			"io_uring_setup(2) IORING_FEAT_CUR_PERSONALITY");
	CONFORM_REQUIRE_ROOT();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	root_only_file_and_ring(_metadata, path, sizeof(path), &ring);
	become_nobody(_metadata);
	fd = open_as(&ring, path, 0);
	EXPECT_EQ(-EACCES, fd);
	if (fd >= 0)
		close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring_register(2) IORING_REGISTER_PERSONALITY registers "credentials
 * of the running application": registered while the task runs as nobody,
 * the personality does not gain root's rights after the task switches
 * back, -EACCES (since 5.6).
 */
TEST(personality_keeps_credentials_of_registration_time)
{
	struct io_uring ring;
	char path[300];
	int id, fd;

	CONFORM_DECLARE("5.6", "IORING_REGISTER_PERSONALITY",
			"io_uring_register(2) IORING_REGISTER_PERSONALITY "
			"credentials of the running application");
	CONFORM_REQUIRE_ROOT();
	CONFORM_REQUIRE_URING_FEATURE(IORING_FEAT_CUR_PERSONALITY);
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	root_only_file_and_ring(_metadata, path, sizeof(path), &ring);
	become_nobody(_metadata);
	id = uring_register_raw(&ring, IORING_REGISTER_PERSONALITY, NULL, 0);
	ASSERT_LT(0, id);
	ASSERT_EQ(0, setresuid(-1, 0, -1));
	ASSERT_EQ(0, setresgid(-1, 0, -1));
	fd = open_as(&ring, path, id);
	EXPECT_EQ(-EACCES, fd);
	if (fd >= 0)
		close(fd);
	/* And root's own submission opens it. */
	fd = open_as(&ring, path, 0);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
