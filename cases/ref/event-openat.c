// SPDX-License-Identifier: MIT
/*
 * ref/event-openat: the openat event of the reference driver
 * (ref/event_types.c) on a real ring: it opens the file (the new fd reads
 * its bytes), fails with the errno of openat(2) (-ENOENT, -EEXIST), works
 * from its own copy of the path, and when cancelled without asking after
 * submission the fd the kernel still opens is closed by the cancellation and
 * the path copy released once.
 * Sources: io_uring_enter(2) IORING_OP_OPENAT (like openat(2), 5.6),
 * openat(2) (ENOENT, EEXIST), ref/event.h ("an fd the kernel still opens is
 * closed, never leaked").
 */
#include "conform_ref.h"

/* <tmpdir>/name holding 256 bytes of pattern; path gets its name. */
static void make_file(struct __test_metadata *_metadata, const char *name,
		      char *path, size_t len)
{
	unsigned char data[256];
	int fd;

	conform_tmppath(path, len, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	conform_fill_pattern(data, sizeof(data), 0);
	ASSERT_EQ(256, write(fd, data, sizeof(data)));
	close(fd);
}

/* Open path with flags through the driver; the event's result. */
static int openat_via_driver(struct __test_metadata *_metadata,
			     const char *path, int flags)
{
	struct ref_openat_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;

	ASSERT_EQ(0, ref_ring_init(&ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(&drv, &ring, 2));
	ASSERT_EQ(0, ref_openat_event_init(&ev, AT_FDCWD, path, flags, 0600));
	ASSERT_EQ(0, ref_driver_start(&drv, &ev, &ref_openat_ops, &id));
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_TRUE(ev.done);
	ref_openat_event_free(&ev);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
	return ev.res;
}

/* <tmpdir>/file made (path gets its name), a ring and a driver on it, and
 * an O_RDONLY openat of the file started with ops. */
static void start_openat_of_new_file(struct __test_metadata *_metadata,
				     struct ref_ring *ring,
				     struct ref_driver *drv,
				     struct ref_openat_event *ev,
				     char *path, size_t len,
				     const struct ref_event_ops *ops,
				     ref_event_id *id)
{
	make_file(_metadata, "file", path, len);
	ASSERT_EQ(0, ref_ring_init(ring, 4, NULL));
	ASSERT_EQ(0, ref_driver_init(drv, ring, 2));
	ASSERT_EQ(0, ref_openat_event_init(ev, AT_FDCWD, path,
					   O_RDONLY | O_CLOEXEC, 0));
	ASSERT_EQ(0, ref_driver_start(drv, ev, ops, id));
}

/* openat(2): returns a new fd for the file; reading it gives the file's
 * bytes (IORING_OP_OPENAT, 5.6). */
TEST(openat_completes_with_fd_of_the_file)
{
	unsigned char back[256];
	char path[300];
	int fd;

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"io_uring_enter(2) IORING_OP_OPENAT; openat(2)");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	make_file(_metadata, "file", path, sizeof(path));
	fd = openat_via_driver(_metadata, path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(256, read(fd, back, sizeof(back)));
	EXPECT_TRUE(conform_check_pattern(back, sizeof(back), 0));
	close(fd);
}

/* openat(2) ENOENT: "O_CREAT is not set and the named file does not
 * exist" (5.6). */
TEST(openat_of_missing_path_gets_enoent)
{
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"openat(2) ENOENT");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	conform_tmppath(path, sizeof(path), "missing");
	EXPECT_EQ(-ENOENT, openat_via_driver(_metadata, path, O_RDONLY | O_CLOEXEC));
}

/* openat(2) EEXIST: "pathname already exists and O_CREAT and O_EXCL were
 * used" (5.6). */
TEST(openat_excl_of_existing_path_gets_eexist)
{
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"openat(2) EEXIST");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	make_file(_metadata, "file", path, sizeof(path));
	EXPECT_EQ(-EEXIST, openat_via_driver(_metadata, path,
					     O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC));
}

/* ref/event.h: the event owns a copy of the path: the caller's string
 * rewritten after init, before submission, changes nothing (5.6). */
TEST(openat_uses_its_own_copy_of_the_path)
{
	struct ref_openat_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"ref/event.h: the event owns a copy of the path");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	start_openat_of_new_file(_metadata, &ring, &drv, &ev, path, sizeof(path),
				 &ref_openat_ops, &id);
	strcpy(path, "/nonexistent/elsewhere");
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_LE(0, ev.res);
	close(ev.res);
	ref_openat_event_free(&ev);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

/*
 * ref/event.h: an openat cancelled without asking after it was submitted
 * still opens the file; that fd reaches the cancellation, which closes it
 * (the number is no longer open afterwards); the path copy is released
 * once, after the final CQE (5.6).
 */
TEST(fd_opened_after_cancel_is_closed_and_path_released)
{
	struct ref_event_ops ops = ref_case_watched_ops(&ref_openat_ops);
	struct ref_openat_event ev;
	struct ref_driver drv;
	struct ref_ring ring;
	ref_event_id id;
	char path[300];

	CONFORM_DECLARE("5.6", "IORING_OP_OPENAT",
			"ref/event.h: an fd the kernel still opens is closed");
	CONFORM_REQUIRE_URING_OP(IORING_OP_OPENAT);
	start_openat_of_new_file(_metadata, &ring, &drv, &ev, path, sizeof(path),
				 &ops, &id);
	ASSERT_EQ(1, ref_driver_submit(&drv));
	ASSERT_EQ(0, ref_driver_cancel(&drv, id, false));
	EXPECT_EQ(NULL, ev.path);
	EXPECT_EQ(0, ref_case_seen.releases);
	ASSERT_EQ(0, ref_case_drain(&drv));
	ASSERT_EQ(1, ref_case_seen.completed);
	ASSERT_LE(0, ref_case_seen.last_res);
	EXPECT_EQ(-1, fcntl(ref_case_seen.last_res, F_GETFD));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(1, ref_case_seen.releases);
	EXPECT_EQ(1, ref_case_seen.completed_at_release);
	EXPECT_FALSE(ev.done);
	ref_openat_event_free(&ev);
	ref_driver_free(&drv);
	ref_ring_free(&ring);
}

TEST_HARNESS_MAIN
