// SPDX-License-Identifier: MIT
/*
 * eventfd/fork-exec: an eventfd across fork(2) and execve(2), beyond
 * eventfd/counter (a forked child's write read by the parent) and
 * eventfd/flags (the FD_CLOEXEC bit). fork(2): the child's fd refers to
 * the same open file description: its read resets the parent's counter,
 * and a file status flag it sets (O_NONBLOCK) applies to the parent's
 * reads. execve(2): EFD_CLOEXEC closes the fd in the new image; without
 * it the fd stays open on the same eventfd: its count, its EFD_SEMAPHORE
 * mode and its O_NONBLOCK go along, and what the new image writes the
 * parent reads.
 * Sources: eventfd(2) ("A copy of the file descriptor created by eventfd()
 * is inherited by the child produced by fork(2)... The file descriptor is
 * preserved across execve(2), unless the close-on-exec flag has been
 * set"; EFD_CLOEXEC/EFD_NONBLOCK since 2.6.27, EFD_SEMAPHORE since 2.6.30),
 * fork(2), execve(2), open(2) (open file descriptions).
 *
 * The exec tests run this program again through /proc/self/exe with
 * "--efd-exec <check> <fd> <value>": a constructor that runs before the
 * harness (and before conform.h's own) makes the check in the new image
 * and exits with its result.
 */
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include "conform.h"

#define EXEC_ARG "--efd-exec"

/* Exit codes of the exec'd check. */
enum {
	CHECK_PASSED = 0,
	CHECK_FAILED = 1,		/* the fd is not as the check wants */
	CHECK_USAGE = 2,
	EXEC_FAILED = 127,
};

/* Is fd open on an eventfd ("anon_inode:[eventfd]")? */
static bool fd_is_eventfd(int fd)
{
	char path[64], target[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0;
}

/*
 * The checks the new image makes on fd, with value (decimal):
 *   closed     the fd is not open (fcntl F_GETFD fails with EBADF);
 *   read       it is an eventfd, and a read returns value;
 *   write      it is an eventfd, and a write of value succeeds;
 *   eagain     it is an eventfd, and a read fails with EAGAIN.
 */
static int exec_check(const char *check, int fd, uint64_t value)
{
	uint64_t v = 0;

	if (!strcmp(check, "closed"))
		return fcntl(fd, F_GETFD) == -1 && errno == EBADF ?
		       CHECK_PASSED : CHECK_FAILED;
	if (!fd_is_eventfd(fd))
		return CHECK_FAILED;
	if (!strcmp(check, "read"))
		return read(fd, &v, sizeof(v)) == 8 && v == value ?
		       CHECK_PASSED : CHECK_FAILED;
	if (!strcmp(check, "write"))
		return write(fd, &value, sizeof(value)) == 8 ?
		       CHECK_PASSED : CHECK_FAILED;
	if (!strcmp(check, "eagain"))
		return read(fd, &v, sizeof(v)) == -1 && errno == EAGAIN ?
		       CHECK_PASSED : CHECK_FAILED;
	return CHECK_USAGE;
}

/*
 * glibc passes argc and argv to constructors. Priority 101 runs this one
 * before every constructor without a priority, conform_init() among them,
 * so the exec'd image makes no temporary directory.
 */
static void __attribute__((constructor(101))) exec_helper(int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[1], EXEC_ARG))
		return;
	_exit(exec_check(argv[2], atoi(argv[3]),
			 strtoull(argv[4], NULL, 10)));
}

/*
 * fork(2), and in the child exec this program to make check on fd with
 * value; the parent waits. Returns the child's exit code (EXEC_FAILED when
 * the exec failed), or -1 when it did not exit normally.
 */
static int run_exec_check(const char *check, int fd, uint64_t value)
{
	char num[16], val[24];
	int status;
	pid_t pid;

	snprintf(num, sizeof(num), "%d", fd);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)value);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/proc/self/exe", "efd-exec-check", EXEC_ARG, check, num,
		      val, (char *)NULL);
		_exit(EXEC_FAILED);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#define EXEC_OR_SKIP(code, fd)                                                 \
	do {                                                                   \
		if ((code) == EXEC_FAILED) {                                   \
			close(fd);                                             \
			SKIP(return, CONFORM_ENV "cannot exec /proc/self/exe (no /proc?)"); \
		}                                                              \
	} while (0)

/*
 * eventfd(2) EFD_CLOEXEC: "Set the close-on-exec (FD_CLOEXEC) flag on the
 * new file descriptor"; execve(2): such descriptors are closed. In the new
 * image of a child the fd number is not open (since 2.6.27).
 */
TEST(efd_cloexec_fd_is_closed_by_exec)
{
	int fd, code;

	CONFORM_DECLARE("2.6.27", "EFD_CLOEXEC",
			"eventfd(2) EFD_CLOEXEC; execve(2): close-on-exec descriptors are closed");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(3, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	code = run_exec_check("closed", fd, 0);
	EXEC_OR_SKIP(code, fd);
	EXPECT_EQ(CHECK_PASSED, code);
	close(fd);
}

/*
 * eventfd(2): "The file descriptor is preserved across execve(2), unless
 * the close-on-exec flag has been set". Without EFD_CLOEXEC the new image
 * has the fd open on an eventfd holding the count written before the
 * exec, 41 (nonblocking, so that a lost count cannot hang the check);
 * its read resets the counter the parent sees (since 2.6.22).
 */
TEST(eventfd_survives_exec_with_its_count)
{
	uint64_t v = 41;
	int fd, code;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): the file descriptor is preserved across execve(2) unless close-on-exec");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	code = run_exec_check("read", fd, 41);
	EXEC_OR_SKIP(code, fd);
	EXPECT_EQ(CHECK_PASSED, code);
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2): the fd kept across execve(2) is the same eventfd object: a
 * write of 7 made by the new image of a child is read by the parent
 * (since 2.6.22).
 */
TEST(exec_image_write_is_read_by_parent)
{
	uint64_t v = 0;
	int fd, code;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): preserved across execve(2); the copies refer to the same eventfd object");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	code = run_exec_check("write", fd, 7);
	EXEC_OR_SKIP(code, fd);
	EXPECT_EQ(CHECK_PASSED, code);
	ASSERT_EQ(8, read(fd, &v, sizeof(v)));
	EXPECT_EQ((uint64_t)7, v);
	close(fd);
}

/*
 * eventfd(2) EFD_SEMAPHORE belongs to the eventfd object, which the fd
 * kept across execve(2) still refers to: the new image's read of a counter
 * of 3 returns 1, and the parent finds 2 left (two reads of 1, then
 * EAGAIN) (since 2.6.30).
 */
TEST(semaphore_mode_survives_exec)
{
	uint64_t v;
	int fd, code;

	CONFORM_DECLARE("2.6.30", "EFD_SEMAPHORE",
			"eventfd(2) EFD_SEMAPHORE (2.6.30); the fd is preserved across execve(2)");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(3, EFD_NONBLOCK | EFD_SEMAPHORE);
	ASSERT_LE(0, fd);
	code = run_exec_check("read", fd, 1);
	EXEC_OR_SKIP(code, fd);
	EXPECT_EQ(CHECK_PASSED, code);
	for (int i = 0; i < 2; i++) {
		v = 0;
		ASSERT_EQ(8, read(fd, &v, sizeof(v)));
		EXPECT_EQ((uint64_t)1, v);
	}
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * eventfd(2) EFD_NONBLOCK sets O_NONBLOCK on the open file description;
 * execve(2) keeps the descriptor and so its description: in the new image
 * a read of the zero counter fails with EAGAIN instead of blocking (since
 * 2.6.27).
 */
TEST(nonblock_survives_exec)
{
	int fd, code;

	CONFORM_DECLARE("2.6.27", "EFD_NONBLOCK",
			"eventfd(2) EFD_NONBLOCK: O_NONBLOCK on the open file description; read EAGAIN; execve(2) keeps the fd");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	code = run_exec_check("eagain", fd, 0);
	EXEC_OR_SKIP(code, fd);
	EXPECT_EQ(CHECK_PASSED, code);
	close(fd);
}

/*
 * eventfd(2): the child produced by fork(2) has a copy of the fd referring
 * to the same eventfd object. The parent writes 5; the child's read
 * returns 5 and resets the counter, which the parent then finds empty
 * (since 2.6.22).
 */
TEST(child_read_resets_the_parent_counter)
{
	uint64_t v = 5;
	int fd, status;
	pid_t pid;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"eventfd(2): the fd inherited across fork(2) refers to the same eventfd object; read resets the counter");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, &v, sizeof(v)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t got = 0;

		_exit(read(fd, &got, sizeof(got)) == 8 && got == 5 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

/*
 * fork(2): the child's descriptors "refer to the same open file
 * descriptions ... share open file status flags"; open(2): O_NONBLOCK is
 * such a flag. The child sets O_NONBLOCK on its copy of a blocking
 * eventfd; the parent's read of the zero counter then fails with EAGAIN
 * instead of blocking (since 2.6.22).
 */
TEST(nonblock_set_in_child_applies_to_parent)
{
	uint64_t v = 0;
	int fd, status;
	pid_t pid;

	CONFORM_DECLARE("2.6.22", "eventfd",
			"fork(2): parent and child share open file status flags; eventfd(2) read EAGAIN when nonblocking");
	CONFORM_REQUIRE_EVENTFD();
	fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* Asserted: a blocking read of the zero counter would hang. */
	ASSERT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(-1, read(fd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST_HARNESS_MAIN
