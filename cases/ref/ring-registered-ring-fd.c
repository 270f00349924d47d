// SPDX-License-Identifier: MIT
/*
 * ref/ring-registered-ring-fd: ref_ring_init registers the ring fd in the
 * calling thread's table (IORING_REGISTER_RING_FDS, 5.18) and then enters
 * with IORING_ENTER_REGISTERED_RING. io_uring_register_ring_fd(3) NOTES: the
 * table belongs to one thread, and another thread "may have a different
 * index" for the same ring. ring.c therefore enters by index only in the
 * registering thread of the registering process, and drops the
 * registration in ref_ring_free. The tests put a different ring at the same
 * index in another thread and in a forked child: the request must still
 * reach the ring it was made on.
 * The first test holds on every io_uring kernel (5.1, registered or not);
 * the others need IORING_REGISTER_RING_FDS (5.18, commit e7a6c00dc77a) and
 * skip before it.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "conform_ref.h"

/* The kernel's table size (IO_RINGFD_REG_MAX, 16 from 5.18 to 7.2). */
#define RING_FD_TABLE 16

/* NULL if IORING_REGISTER_RING_FDS works on this kernel; else why not. */
static const char *ring_fd_registration_missing(void)
{
	static char why[160];
	struct io_uring_rsrc_update reg = { .offset = -1U };
	struct io_uring_params p;
	const char *setup_why;
	int fd, ret, err;

	memset(&p, 0, sizeof(p));
	fd = conform_uring_open(1, &p, "io_uring_setup", &setup_why);
	if (fd < 0)
		return setup_why;
	reg.data = (uint64_t)fd;
	ret = conform_sys_io_uring_register(fd, IORING_REGISTER_RING_FDS, &reg, 1);
	err = errno;
	if (ret == 1) {	/* give the slot back: the tests count them */
		reg.data = 0;	/* unregistering wants only the offset */
		(void)conform_sys_io_uring_register(fd, IORING_UNREGISTER_RING_FDS,
						    &reg, 1);
	}
	close(fd);
	if (ret == 1)
		return NULL;
	snprintf(why, sizeof(why), "IORING_REGISTER_RING_FDS: %s",
		 strerror(err));
	return why;
}

/* Run one NOP tagged ud on ring; its res, or REF_CASE_NO_CQE. */
static int run_nop(struct ref_ring *ring, uint64_t ud)
{
	if (!ref_prep_nop(ring, ud))
		return REF_CASE_NO_CQE;
	return ref_case_run_one(ring, ud);
}

/*
 * What another thread or a forked child does with ring a: make ring b and
 * put it at a's index in its own table, then run a NOP on a through ref.
 * 0 when the NOP completed on a and b saw nothing; else a step number.
 */
static int use_ring_past_a_clash(struct ref_ring *a)
{
	struct io_uring_rsrc_update reg = { .offset = (unsigned int)a->reg_index };
	struct ref_ring b;
	int step = 0;

	if (ref_ring_init(&b, 4, NULL))
		return 1;
	if (b.reg_index != a->reg_index) {	/* make the clash if it is not there */
		reg.data = (uint64_t)b.fd;
		if (conform_sys_io_uring_register(b.fd, IORING_REGISTER_RING_FDS,
						  &reg, 1) != 1)
			step = 2;
	}
	if (!step && run_nop(a, 7) != 0)
		step = 3;
	if (!step && ref_ring_cq_ready(&b) != 0)
		step = 4;
	if (b.reg_index != a->reg_index) {
		reg.data = 0;	/* unregistering wants only the offset */
		(void)conform_sys_io_uring_register(b.fd, IORING_UNREGISTER_RING_FDS,
						    &reg, 1);
	}
	ref_ring_free(&b);
	return step;
}

static void *use_ring_past_a_clash_thread(void *arg)
{
	return (void *)(intptr_t)use_ring_past_a_clash(arg);
}

/*
 * io_uring_register(2) IORING_REGISTER_RING_FDS (5.18): where the kernel has
 * it, a ref ring is registered (reg_index >= 0); before 5.18 the kernel
 * refuses it and the ring enters by fd (reg_index -1). Either way it works,
 * so this holds from 5.1.
 */
TEST(ring_fd_registered_where_the_kernel_can)
{
	bool kernel_has_it;
	struct ref_ring ring;

	CONFORM_DECLARE("5.1", "IORING_REGISTER_RING_FDS",
			"io_uring_register(2) IORING_REGISTER_RING_FDS; "
			"commit e7a6c00dc77a (5.18)");
	CONFORM_REQUIRE_URING();
	kernel_has_it = ring_fd_registration_missing() == NULL;
	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	if (kernel_has_it) {
		EXPECT_LE(0, ring.reg_index);
		EXPECT_GT(RING_FD_TABLE, ring.reg_index);
	} else {
		EXPECT_EQ(-1, ring.reg_index);
	}
	EXPECT_EQ(0, run_nop(&ring, 1));
	ref_ring_free(&ring);
}

/*
 * io_uring_register_ring_fd(3) NOTES: each thread may have a different index
 * for the same ring. Another thread whose table holds ring b at ring a's
 * index still runs its request on a (ref enters a by fd there) (5.18).
 */
TEST(other_thread_reaches_the_ring_not_its_own_index)
{
	struct ref_ring a;
	pthread_t t;
	void *step;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register_ring_fd(3) NOTES: each thread may "
			"have a different index");
	CONFORM_REQUIRE(ring_fd_registration_missing());
	ASSERT_EQ(0, ref_ring_init(&a, 4, NULL));
	ASSERT_LE(0, a.reg_index);
	ASSERT_EQ(0, pthread_create(&t, NULL, use_ring_past_a_clash_thread, &a));
	ASSERT_EQ(0, pthread_join(t, &step));
	EXPECT_EQ(0, (int)(intptr_t)step);
	/* And the creating thread still enters by index. */
	EXPECT_EQ(0, run_nop(&a, 2));
	ref_ring_free(&a);
}

static void *make_ring_thread(void *arg)
{
	return (void *)(intptr_t)ref_ring_init(arg, 4, NULL);
}

/*
 * A thread that made a ring and exited took its table with it. A thread
 * started after it (glibc hands it the exited thread's memory and often its
 * pthread_t) and holding ring b at the same index still runs its request on
 * the ring: it is not mistaken for the thread that registered it (5.18:
 * commit e7a6c00dc77a registers ring fds with the task, and a thread is a
 * task of its own).
 */
TEST(ring_of_an_exited_thread_is_reached_from_the_next_thread)
{
	struct ref_ring a;
	pthread_t t;
	void *ret;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register_ring_fd(3) NOTES; commit "
			"e7a6c00dc77a (5.18): registered with the task");
	CONFORM_REQUIRE(ring_fd_registration_missing());
	ASSERT_EQ(0, pthread_create(&t, NULL, make_ring_thread, &a));
	ASSERT_EQ(0, pthread_join(t, &ret));
	ASSERT_EQ(0, (int)(intptr_t)ret);
	ASSERT_LE(0, a.reg_index);
	ASSERT_EQ(0, pthread_create(&t, NULL, use_ring_past_a_clash_thread, &a));
	ASSERT_EQ(0, pthread_join(t, &ret));
	EXPECT_EQ(0, (int)(intptr_t)ret);
	ref_ring_free(&a);
}

/*
 * A forked child starts with no table of its own (fork(2) does not copy the
 * io_uring task context). A child that registered ring b at the parent's
 * index for ring a still runs its request on a. (The parent does not use a
 * after that: the rings are shared memory, but each process has its own
 * copy of ref's local SQ tail, so a ring has one user at a time.) (5.18;
 * kernel/fork.c copy_process() starts the child with no io_uring context.)
 */
TEST(forked_child_reaches_the_ring_not_its_own_index)
{
	struct ref_ring a;
	int status;
	pid_t pid;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register_ring_fd(3) NOTES; kernel/fork.c "
			"copy_process() clears io_uring");
	CONFORM_REQUIRE(ring_fd_registration_missing());
	ASSERT_EQ(0, ref_ring_init(&a, 4, NULL));
	ASSERT_LE(0, a.reg_index);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(use_ring_past_a_clash(&a));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ref_ring_free(&a);
}

/*
 * The kernel's answer that makes the rule necessary: a thread that never
 * used io_uring has no table, and entering by another thread's index fails
 * before anything is done (-EINVAL; -EBADF for an empty slot of a table):
 * io_uring_enter() with IORING_ENTER_REGISTERED_RING looks the index up in
 * the calling task's io_uring context (5.18, commit e7a6c00dc77a).
 */
static void *enter_by_foreign_index(void *arg)
{
	const struct ref_ring *a = arg;
	long ret = syscall(__NR_io_uring_enter, a->reg_index, 0, 0,
			   IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING,
			   NULL, 0);

	return (void *)(intptr_t)(ret < 0 ? -errno : ret);
}

TEST(foreign_index_is_refused_by_the_kernel)
{
	struct ref_ring a;
	pthread_t t;
	void *res;

	CONFORM_DECLARE("5.18", "IORING_ENTER_REGISTERED_RING",
			"io_uring/io_uring.c io_uring_enter(): no task "
			"context gives EINVAL");
	CONFORM_REQUIRE(ring_fd_registration_missing());
	ASSERT_EQ(0, ref_ring_init(&a, 4, NULL));
	ASSERT_LE(0, a.reg_index);
	ASSERT_EQ(0, pthread_create(&t, NULL, enter_by_foreign_index, &a));
	ASSERT_EQ(0, pthread_join(t, &res));
	EXPECT_EQ(-EINVAL, (int)(intptr_t)res);
	ref_ring_free(&a);
}

/*
 * The table has RING_FD_TABLE slots per thread: a ring made when all are
 * taken is not registered (-EBUSY inside ref_ring_init) and enters by fd.
 * ref_ring_free gives its slot back, so the next ring is registered again
 * (io_uring_register(2) IORING_REGISTER_RING_FDS, 5.18).
 */
TEST(full_table_ring_enters_by_fd_and_free_gives_slots_back)
{
	struct ref_ring rings[RING_FD_TABLE + 1];
	unsigned int i;

	CONFORM_DECLARE("5.18", "IORING_REGISTER_RING_FDS",
			"io_uring_register(2) IORING_REGISTER_RING_FDS: "
			"EBUSY with no free slot");
	CONFORM_REQUIRE(ring_fd_registration_missing());
	for (i = 0; i < RING_FD_TABLE + 1; i++)
		ASSERT_EQ(0, ref_ring_init(&rings[i], 2, NULL));
	for (i = 0; i < RING_FD_TABLE; i++)
		EXPECT_LE(0, rings[i].reg_index);
	EXPECT_EQ(-1, rings[RING_FD_TABLE].reg_index);
	EXPECT_EQ(0, run_nop(&rings[RING_FD_TABLE], 1));

	ref_ring_free(&rings[3]);
	ASSERT_EQ(0, ref_ring_init(&rings[3], 2, NULL));
	EXPECT_LE(0, rings[3].reg_index);
	EXPECT_EQ(0, run_nop(&rings[3], 2));
	for (i = 0; i < RING_FD_TABLE + 1; i++)
		ref_ring_free(&rings[i]);
}

/*
 * Rings made and freed one after another never run out of slots: free
 * drops the registration (otherwise it would hold the ring open, and the
 * 17th ring would find the table full) (io_uring_register(2)
 * IORING_UNREGISTER_RING_FDS, 5.18).
 */
TEST(rings_made_and_freed_in_turn_stay_registered)
{
	struct ref_ring ring;

	CONFORM_DECLARE("5.18", "IORING_UNREGISTER_RING_FDS",
			"io_uring_register(2) IORING_UNREGISTER_RING_FDS");
	CONFORM_REQUIRE(ring_fd_registration_missing());
	for (unsigned int i = 0; i < 2 * RING_FD_TABLE; i++) {
		ASSERT_EQ(0, ref_ring_init(&ring, 2, NULL));
		EXPECT_LE(0, ring.reg_index);
		ref_ring_free(&ring);
	}
}

TEST_HARNESS_MAIN
