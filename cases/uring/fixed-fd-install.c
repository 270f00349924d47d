// SPDX-License-Identifier: MIT
/*
 * uring/fixed-fd-install: IORING_OP_FIXED_FD_INSTALL (Linux 6.8), which
 * installs a registered (fixed) file into the process's file table as a
 * normal fd: O_CLOEXEC by default, IORING_FIXED_FD_NO_CLOEXEC to leave it
 * off, the same open file description as the slot's, and the refusals
 * (no IOSQE_FIXED_FILE, no file table, an empty slot, unknown flags, each
 * unused SQE field set, a personality).
 * The 6.1 header and liburing 2.3 lack the opcode and the flag: SQEs are
 * filled by hand (fd: the slot, install_fd_flags: the rw_flags word).
 */
#include <liburing.h>

#include "conform_uring.h"
#include "ref/uapi.h"

#define REQUIRE_FD_INSTALL()                                                   \
	CONFORM_REQUIRE(conform_uring_op_missing(REF_IORING_OP_FIXED_FD_INSTALL, \
						 "IORING_OP_FIXED_FD_INSTALL"))

/* A request installing slot; sqe_flags normally IOSQE_FIXED_FILE. */
static void prep_install(struct io_uring_sqe *sqe, int slot,
			 unsigned char sqe_flags, unsigned int flags)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = REF_IORING_OP_FIXED_FD_INSTALL;
	sqe->fd = slot;
	sqe->flags = sqe_flags;
	sqe->rw_flags = flags;
	sqe->user_data = 0x1d;
}

/* A ring with a pipe's write end in slot 0, slot 1 left empty. */
struct inst {
	struct io_uring ring;
	int p[2];
};

static int inst_start(struct inst *t)
{
	int files[2];

	if (conform_pipe(t->p) || io_uring_queue_init(4, &t->ring, 0))
		return -1;
	files[0] = t->p[1];
	files[1] = -1;
	return io_uring_register_files(&t->ring, files, 2) ? -1 : 0;
}

static void inst_end(struct inst *t)
{
	io_uring_queue_exit(&t->ring);
	close(t->p[0]);
	close(t->p[1]);
}

/* Start t and install its slot 0 with flags (the request left in sqe); the fd. */
static int start_and_install_slot_0(struct __test_metadata *_metadata,
				    struct inst *t, struct io_uring_sqe *sqe,
				    unsigned int flags)
{
	int fd;

	ASSERT_EQ(0, inst_start(t));
	prep_install(sqe, 0, IOSQE_FIXED_FILE, flags);
	fd = uring_run_sqe_res(&t->ring, sqe);
	ASSERT_LE(0, fd) TH_LOG("install: %s", strerror(-fd));
	return fd;
}

/*
 * io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL: completes with a new fd
 * for the registered file; it is close-on-exec by default (since 6.8),
 * and a write through it reaches the pipe.
 */
TEST(installs_fixed_file_as_cloexec_fd)
{
	struct io_uring_sqe sqe;
	struct inst t;
	char buf[8];
	int fd;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL");
	REQUIRE_FD_INSTALL();
	fd = start_and_install_slot_0(_metadata, &t, &sqe, 0);
	EXPECT_NE(t.p[1], fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	conform_fill_pattern(buf, sizeof(buf), 0);
	EXPECT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ((ssize_t)sizeof(buf), read(t.p[0], buf, sizeof(buf)));
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 0));
	close(fd);
	inst_end(&t);
}

/*
 * io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL with
 * IORING_FIXED_FD_NO_CLOEXEC: the new fd is not close-on-exec (since 6.8).
 */
TEST(no_cloexec_flag_leaves_fd_inheritable)
{
	struct io_uring_sqe sqe;
	struct inst t;
	int fd;

	CONFORM_DECLARE("6.8", "IORING_FIXED_FD_NO_CLOEXEC",
			"io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL");
	REQUIRE_FD_INSTALL();
	fd = start_and_install_slot_0(_metadata, &t, &sqe, REF_IORING_FIXED_FD_NO_CLOEXEC);
	EXPECT_EQ(0, fcntl(fd, F_GETFD));
	close(fd);
	inst_end(&t);
}

/*
 * IORING_OP_FIXED_FD_INSTALL installs the registered file itself: the fd
 * shares its open file description with the one registered, so a status
 * flag set through one shows through the other; the slot stays registered,
 * and closing the new fd leaves it usable (since 6.8).
 */
TEST(installed_fd_shares_the_open_file_and_slot_stays)
{
	struct io_uring_sqe sqe;
	struct inst t;
	int fd, fd2;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL");
	REQUIRE_FD_INSTALL();
	fd = start_and_install_slot_0(_metadata, &t, &sqe, 0);
	EXPECT_EQ(0, fcntl(t.p[1], F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(O_NONBLOCK, fcntl(t.p[1], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, close(fd));
	fd2 = uring_run_sqe_res(&t.ring, &sqe);
	ASSERT_LE(0, fd2) TH_LOG("second install: %s", strerror(-fd2));
	EXPECT_EQ(O_NONBLOCK, fcntl(fd2, F_GETFL) & O_NONBLOCK);
	close(fd2);
	inst_end(&t);
}

/*
 * io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL works on fixed files only:
 * without IOSQE_FIXED_FILE the request fails with -EBADF (since 6.8).
 */
TEST(without_fixed_file_flag_gets_ebadf)
{
	struct io_uring_sqe sqe;
	struct inst t;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring_enter(2) IORING_OP_FIXED_FD_INSTALL fixed "
			"files only");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, inst_start(&t));
	prep_install(&sqe, t.p[1], 0, 0);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&t.ring, &sqe));
	inst_end(&t);
}

/*
 * io_uring_enter(2) CQE errors: a fixed-file request naming an empty slot,
 * or a slot past the table, fails with -EBADF; so does
 * IORING_OP_FIXED_FD_INSTALL (since 6.8).
 */
TEST(empty_or_out_of_range_slot_gets_ebadf)
{
	struct io_uring_sqe sqe;
	struct inst t;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring_enter(2) EBADF");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, inst_start(&t));
	prep_install(&sqe, 1, IOSQE_FIXED_FILE, 0);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&t.ring, &sqe));
	prep_install(&sqe, 2, IOSQE_FIXED_FILE, 0);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&t.ring, &sqe));
	inst_end(&t);
}

/*
 * IORING_OP_FIXED_FD_INSTALL knows only IORING_FIXED_FD_NO_CLOEXEC: any
 * other flag bit, or a field it does not use (sqe->off), gives -EINVAL
 * (kernel io_uring/openclose.c io_install_fixed_fd_prep, since 6.8).
 */
TEST(unknown_flag_or_used_field_gets_einval)
{
	struct io_uring_sqe sqe;
	struct inst t;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring/openclose.c io_install_fixed_fd_prep()");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, inst_start(&t));
	prep_install(&sqe, 0, IOSQE_FIXED_FILE, 2);
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&t.ring, &sqe));
	prep_install(&sqe, 0, IOSQE_FIXED_FILE, 0);
	sqe.off = 1;
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&t.ring, &sqe));
	inst_end(&t);
}

/*
 * IORING_OP_FIXED_FD_INSTALL installs with the submitting task's
 * credentials: a request carrying a registered personality (sqe
 * personality) is refused with -EPERM (kernel io_install_fixed_fd_prep,
 * since 6.8).
 */
TEST(with_personality_gets_eperm)
{
	struct io_uring_sqe sqe;
	struct inst t;
	int id;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring/openclose.c io_install_fixed_fd_prep()");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, inst_start(&t));
	id = io_uring_register_personality(&t.ring);
	ASSERT_LT(0, id) TH_LOG("register personality: %s", strerror(-id));
	prep_install(&sqe, 0, IOSQE_FIXED_FILE, 0);
	sqe.personality = (__u16)id;
	EXPECT_EQ(-EPERM, uring_run_sqe_res(&t.ring, &sqe));
	inst_end(&t);
}

/* The lowest fd number free now: what the next fd would get. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

/*
 * Kernel io_install_fixed_fd_prep() (6.8): the request uses only fd (the
 * slot) and install_fd_flags; "sqe->off || sqe->addr || sqe->len ||
 * sqe->buf_index || sqe->splice_fd_in || sqe->addr3" non-zero gets
 * -EINVAL (io_uring_enter(2) CQE ERRORS: a field of the SQE is invalid).
 * Each of addr, len, buf_index, splice_fd_in and addr3 on its own (off is
 * in unknown_flag_or_used_field_gets_einval), on an otherwise valid
 * install of slot 0.
 */
TEST(each_unused_field_nonzero_gets_einval)
{
	struct io_uring_sqe sqe;
	struct inst t;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring/openclose.c io_install_fixed_fd_prep(); io_uring_enter(2) CQE ERRORS EINVAL");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, inst_start(&t));
	for (int field = 0; field < 5; field++) {
		static const char *const names[5] = {
			"addr", "len", "buf_index", "splice_fd_in", "addr3",
		};

		prep_install(&sqe, 0, IOSQE_FIXED_FILE, 0);
		if (field == 0)
			sqe.addr = 0x1000;
		else if (field == 1)
			sqe.len = 1;
		else if (field == 2)
			sqe.buf_index = 1;
		else if (field == 3)
			sqe.splice_fd_in = 1;
		else
			sqe.addr3 = 1;
		EXPECT_EQ(-EINVAL, uring_run_sqe_res(&t.ring, &sqe))
			TH_LOG("%s non-zero", names[field]);
	}
	inst_end(&t);
}

/*
 * <linux/io_uring.h>: IORING_FIXED_FD_NO_CLOEXEC is the only
 * install_fd_flags bit; with an unknown one beside it (1 << 31) the install
 * fails with -EINVAL (kernel io_install_fixed_fd_prep()) and no fd is
 * made: the lowest free fd number is the same after (since 6.8).
 */
TEST(unknown_flag_beside_no_cloexec_gets_einval_and_installs_nothing)
{
	struct io_uring_sqe sqe;
	struct inst t;
	int before;

	CONFORM_DECLARE("6.8", "IORING_FIXED_FD_NO_CLOEXEC",
			"<linux/io_uring.h> IORING_FIXED_FD_NO_CLOEXEC; io_install_fixed_fd_prep()");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, inst_start(&t));
	before = lowest_free_fd();
	ASSERT_LE(0, before);
	prep_install(&sqe, 0, IOSQE_FIXED_FILE,
		     REF_IORING_FIXED_FD_NO_CLOEXEC | (1U << 31));
	EXPECT_EQ(-EINVAL, uring_run_sqe_res(&t.ring, &sqe));
	EXPECT_EQ(before, lowest_free_fd());
	inst_end(&t);
}

/*
 * io_uring_enter(2) CQE ERRORS: EBADF when "the IOSQE_FIXED_FILE flag was
 * set in the submission queue entry, but no files were registered";
 * IORING_OP_FIXED_FD_INSTALL on a ring without a file table gets it
 * (since 6.8).
 */
TEST(install_without_registered_files_gets_ebadf)
{
	struct io_uring_sqe sqe;
	struct io_uring ring;

	CONFORM_DECLARE("6.8", "IORING_OP_FIXED_FD_INSTALL",
			"io_uring_enter(2) CQE ERRORS EBADF: IOSQE_FIXED_FILE without registered files");
	REQUIRE_FD_INSTALL();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	prep_install(&sqe, 0, IOSQE_FIXED_FILE, 0);
	EXPECT_EQ(-EBADF, uring_run_sqe_res(&ring, &sqe));
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
