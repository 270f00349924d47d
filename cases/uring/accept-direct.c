// SPDX-License-Identifier: MIT
/*
 * uring/accept-direct: IORING_OP_ACCEPT into io_uring's fixed file table
 * ("direct descriptors") instead of the process's fd table: a chosen slot
 * (5.15), a slot picked by the kernel with IORING_FILE_INDEX_ALLOC (5.19),
 * multishot accept into allocated slots (5.19), and the errors: no table,
 * slot out of range, no free slot, SOCK_CLOEXEC. Sources:
 * io_uring_prep_accept_direct(3), io_uring_enter(2), the kernel's
 * io_uring/net.c and io_uring/filetable.c. AF_UNIX sockets in the private
 * directory only: no network needed.
 */
#include <liburing.h>
#include <sys/un.h>

#include "conform_uring.h"

/* A listening AF_UNIX stream socket bound to <tmpdir>/<name>; -1 on error. */
static int unix_listener(const char *name, struct sockaddr_un *sun)
{
	int fd;

	if (!uring_unix_addr(sun, name))
		return -1;
	unlink(sun->sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)sun, sizeof(*sun)) < 0 ||
	    listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A client connected to the listener at sun (queued in its backlog). */
static int unix_client(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Run one direct accept of a queued connection on a ring of its own with a
 * one-slot sparse table, into slot file_index (or IORING_FILE_INDEX_ALLOC
 * when alloc). Returns the CQE res, or INT_MIN when the probe could not run.
 * A result > 0 is a regular fd (closed here): the kernel ignored file_index.
 */
static int direct_accept_probe(bool alloc)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int slot = -1, lfd, cfd, res = INT_MIN;

	lfd = unix_listener("probe.sock", &sun);
	if (lfd < 0)
		return INT_MIN;
	cfd = unix_client(&sun);
	if (cfd >= 0 && io_uring_queue_init(2, &ring, 0) == 0) {
		if (io_uring_register_files(&ring, &slot, 1) == 0) {
			sqe = io_uring_get_sqe(&ring);
			if (alloc) {
				io_uring_prep_accept(sqe, lfd, NULL, NULL, 0);
				sqe->file_index = IORING_FILE_INDEX_ALLOC;
			} else {
				io_uring_prep_accept_direct(sqe, lfd, NULL, NULL, 0, 0);
			}
			if (io_uring_submit(&ring) == 1 &&
			    uring_reap_one(&ring, &cqe) == 0) {
				res = cqe.res;
				if (res > 0)
					close(res);
			}
		}
		io_uring_queue_exit(&ring);
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	unlink(sun.sun_path);
	return res;
}

/* NULL when accept into a chosen slot works (5.15); else why not. */
static const char *direct_accept_missing(void)
{
	static char why[160];
	const char *no_uring = conform_uring_unavailable();
	int res;

	if (no_uring)
		return no_uring;
	if (conform_uring_op_missing(IORING_OP_ACCEPT, "IORING_OP_ACCEPT"))
		return conform_why;
	res = direct_accept_probe(false);
	if (res == 0)
		return NULL;
	if (res > 0)
		return "accept with file_index set returned a regular fd: the kernel ignores file_index";
	snprintf(why, sizeof(why), "the direct accept probe gave %d", res);
	return why;
}

/* NULL when IORING_FILE_INDEX_ALLOC works for accept (5.19); else why not. */
static const char *alloc_accept_missing(void)
{
	static char why[160];
	const char *no_direct = direct_accept_missing();
	int res;

	if (no_direct)
		return no_direct;
	res = direct_accept_probe(true);
	if (res == 0)
		return NULL;
	if (res == -EINVAL)
		return "accept with IORING_FILE_INDEX_ALLOC gets -EINVAL: slot allocation unknown";
	snprintf(why, sizeof(why), "the IORING_FILE_INDEX_ALLOC accept probe gave %d", res);
	return why;
}

/* Queue and submit one accept on lfd, target slot set by the caller. */
static struct io_uring_sqe *queue_accept(struct io_uring *ring, int lfd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (sqe)
		io_uring_prep_accept(sqe, lfd, NULL, NULL, 0);
	return sqe;
}

/* A listener at l.sock with one client queued on it, and a 4-entry ring. */
static void listener_client_ring(struct __test_metadata *_metadata,
				 struct sockaddr_un *sun, int *lfd, int *cfd,
				 struct io_uring *ring)
{
	ASSERT_LE(0, *lfd = unix_listener("l.sock", sun));
	ASSERT_LE(0, *cfd = unix_client(sun));
	ASSERT_EQ(0, io_uring_queue_init(4, ring, 0));
}

/* Accept one connection of lfd into slot file_index (flags as given); the CQE res. */
static int accept_direct_res(struct __test_metadata *_metadata,
			     struct io_uring *ring, int lfd, int flags,
			     unsigned int file_index)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	ASSERT_NE(NULL, sqe = queue_accept(ring, lfd));
	if (file_index == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		io_uring_prep_accept_direct(sqe, lfd, NULL, NULL, flags,
					    file_index);
	ASSERT_EQ(1, io_uring_submit(ring));
	ASSERT_EQ(0, uring_reap_one(ring, &cqe));
	return cqe.res;
}

/*
 * io_uring_prep_accept_direct(3): with file_index a specific slot, the
 * accepted socket goes into that slot of the registered table and the CQE
 * res is 0; it is then used with IOSQE_FIXED_FILE and the slot number as fd
 * (since 5.15). Checked by sending through the slot.
 */
TEST(accept_into_chosen_slot_gets_zero_and_slot_carries_connection)
{
	static const char msg[] = "through slot 1";
	int files[2] = { -1, -1 };
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[sizeof(msg)];
	int lfd, cfd;

	CONFORM_DECLARE("5.15", "IORING_OP_ACCEPT file_index",
			"io_uring_prep_accept_direct(3) file_index");
	CONFORM_REQUIRE(direct_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));

	ASSERT_EQ(0, accept_direct_res(_metadata, &ring, lfd, 0, 1));

	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_send(sqe, 1, msg, sizeof(msg), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ((int)sizeof(msg), cqe.res);
	ASSERT_EQ((ssize_t)sizeof(msg), read(cfd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, msg, sizeof(msg)));

	io_uring_queue_exit(&ring);
	close(cfd);
	close(lfd);
}

/*
 * io_uring_prep_accept_direct(3): "If the specified entry already contains
 * a file, the file will first be removed from the table and closed" (since
 * 5.15). A pipe's write end held only by slot 0 is replaced: the read end
 * then polls POLLHUP (pipe(7): all writers gone) and reads end of file. (The old file is put once the table no longer
 * references it; 2 s is a bound on that, not a delay.)
 */
TEST(accept_into_occupied_slot_closes_previous_file)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	struct pollfd pfd_hup = { .events = POLLIN };
	int pfd[2], lfd, cfd;
	char c;

	CONFORM_DECLARE("5.15", "IORING_OP_ACCEPT file_index",
			"io_uring_prep_accept_direct(3) existing entry is "
			"removed and closed");
	CONFORM_REQUIRE(direct_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	ASSERT_EQ(0, conform_pipe(pfd));
	pfd_hup.fd = pfd[0];
	ASSERT_EQ(0, io_uring_register_files(&ring, &pfd[1], 1));
	close(pfd[1]);
	ASSERT_EQ(0, poll(&pfd_hup, 1, 0));

	ASSERT_EQ(0, accept_direct_res(_metadata, &ring, lfd, 0, 0));
	ASSERT_EQ(1, poll(&pfd_hup, 1, URING_REAP_BOUND_MS));
	EXPECT_EQ(POLLHUP, pfd_hup.revents);
	EXPECT_EQ(0, read(pfd[0], &c, 1));

	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(cfd);
	close(lfd);
}

/*
 * Kernel io_uring (io_install_fixed_file, since 5.15): a direct accept on a
 * ring with no registered file table completes with -ENXIO, the error of a
 * fixed-file request without a table.
 */
TEST(accept_direct_without_file_table_gets_enxio)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	int lfd, cfd;

	CONFORM_DECLARE("5.15", "IORING_OP_ACCEPT file_index",
			"io_uring/filetable.c io_install_fixed_file(): -ENXIO "
			"without a file table");
	CONFORM_REQUIRE(direct_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	EXPECT_EQ(-ENXIO, accept_direct_res(_metadata, &ring, lfd, 0, 0));
	io_uring_queue_exit(&ring);
	close(cfd);
	close(lfd);
}

/*
 * Kernel io_uring (io_install_fixed_file, since 5.15): a slot index at or
 * beyond the size of the registered table completes with -EINVAL.
 */
TEST(accept_direct_into_slot_beyond_table_gets_einval)
{
	int files[2] = { -1, -1 };
	struct sockaddr_un sun;
	struct io_uring ring;
	int lfd, cfd;

	CONFORM_DECLARE("5.15", "IORING_OP_ACCEPT file_index",
			"io_uring/filetable.c io_install_fixed_file(): "
			"-EINVAL for a slot past the table");
	CONFORM_REQUIRE(direct_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	EXPECT_EQ(-EINVAL, accept_direct_res(_metadata, &ring, lfd, 0, 2));
	io_uring_queue_exit(&ring);
	close(cfd);
	close(lfd);
}

/*
 * Kernel io_uring (io_accept_prep, since 5.15): direct descriptors live in
 * no fd table, so there is nothing to close on exec; asking for SOCK_CLOEXEC
 * with a target slot completes with -EINVAL.
 */
TEST(accept_direct_with_sock_cloexec_gets_einval)
{
	int files[1] = { -1 };
	struct sockaddr_un sun;
	struct io_uring ring;
	int lfd, cfd;

	CONFORM_DECLARE("5.15", "IORING_OP_ACCEPT file_index",
			"io_uring/net.c io_accept_prep(): SOCK_CLOEXEC with a "
			"file_index is -EINVAL");
	CONFORM_REQUIRE(direct_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 1));
	EXPECT_EQ(-EINVAL, accept_direct_res(_metadata, &ring, lfd,
					     SOCK_CLOEXEC, 0));
	io_uring_queue_exit(&ring);
	close(cfd);
	close(lfd);
}

/*
 * io_uring_prep_accept_direct(3): with file_index IORING_FILE_INDEX_ALLOC
 * "an unused table index will be dynamically chosen and returned" (since
 * 5.19). Slots 0 and 2 are taken, 1 is the only free one: res is 1.
 */
TEST(accept_alloc_returns_the_free_slot_index)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	int pfd[2], files[3], lfd, cfd;

	CONFORM_DECLARE("5.19", "IORING_FILE_INDEX_ALLOC",
			"io_uring_prep_accept_direct(3) "
			"IORING_FILE_INDEX_ALLOC");
	CONFORM_REQUIRE(alloc_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	ASSERT_EQ(0, conform_pipe(pfd));
	files[0] = pfd[0];
	files[1] = -1;
	files[2] = pfd[1];
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 3));
	EXPECT_EQ(1, accept_direct_res(_metadata, &ring, lfd, 0,
				       IORING_FILE_INDEX_ALLOC));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
	close(cfd);
	close(lfd);
}

/*
 * io_uring_prep_accept_direct(3): "When a direct descriptor accept request
 * asks for a table slot to be dynamically chosen but there are no free
 * entries, -ENFILE is returned as the CQE res" (since 5.19).
 */
TEST(accept_alloc_with_full_table_gets_enfile)
{
	struct sockaddr_un sun;
	struct io_uring ring;
	int pfd[2], lfd, cfd;

	CONFORM_DECLARE("5.19", "IORING_FILE_INDEX_ALLOC",
			"io_uring_prep_accept_direct(3) -ENFILE when no free "
			"entry");
	CONFORM_REQUIRE(alloc_accept_missing());
	listener_client_ring(_metadata, &sun, &lfd, &cfd, &ring);
	ASSERT_EQ(0, conform_pipe(pfd));
	ASSERT_EQ(0, io_uring_register_files(&ring, pfd, 2));
	EXPECT_EQ(-ENFILE, accept_direct_res(_metadata, &ring, lfd, 0,
					     IORING_FILE_INDEX_ALLOC));
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
	close(cfd);
	close(lfd);
}

/*
 * io_uring_prep_multishot_accept_direct(3): each accepted connection gets a
 * dynamically chosen slot, returned in its CQE with IORING_CQE_F_MORE set
 * while the request stays armed (since 5.19). A two-slot table and two
 * connections: the results are slots 0 and 1, once each.
 */
TEST(multishot_accept_direct_posts_one_free_slot_per_connection)
{
	int files[2] = { -1, -1 };
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, cfd[2], seen = 0;

	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_prep_multishot_accept_direct(3)");
	CONFORM_REQUIRE(alloc_accept_missing());
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 2));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_multishot_accept_direct(sqe, lfd, NULL, NULL, 0);
	io_uring_sqe_set_data64(sqe, 7);
	ASSERT_EQ(1, io_uring_submit(&ring));

	for (int i = 0; i < 2; i++) {
		ASSERT_LE(0, cfd[i] = unix_client(&sun));
		ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
		EXPECT_EQ(7, cqe.user_data);
		ASSERT_TRUE(cqe.res == 0 || cqe.res == 1) {
			TH_LOG("connection %d: res %d, want slot 0 or 1", i, cqe.res);
		}
		EXPECT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);
		seen |= 1 << cqe.res;
	}
	EXPECT_EQ(3, seen);

	io_uring_queue_exit(&ring);
	close(cfd[0]);
	close(cfd[1]);
	close(lfd);
}

/*
 * io_uring_prep_multishot_accept_direct(3): with no free slot the CQE res is
 * -ENFILE; an error ends a multishot request, so that CQE comes without
 * IORING_CQE_F_MORE ("if this flag isn't set ... no further events",
 * io_uring_enter(2)) (since 5.19).
 */
TEST(multishot_accept_direct_ends_with_enfile_when_table_full)
{
	int files[1] = { -1 };
	struct sockaddr_un sun;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, cfd[2];

	CONFORM_DECLARE("5.19", "IORING_ACCEPT_MULTISHOT",
			"io_uring_prep_multishot_accept_direct(3) -ENFILE; "
			"io_uring_enter(2) IORING_CQE_F_MORE");
	CONFORM_REQUIRE(alloc_accept_missing());
	ASSERT_LE(0, lfd = unix_listener("l.sock", &sun));
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_files(&ring, files, 1));
	ASSERT_NE(NULL, sqe = io_uring_get_sqe(&ring));
	io_uring_prep_multishot_accept_direct(sqe, lfd, NULL, NULL, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));

	ASSERT_LE(0, cfd[0] = unix_client(&sun));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(IORING_CQE_F_MORE, cqe.flags & IORING_CQE_F_MORE);

	ASSERT_LE(0, cfd[1] = unix_client(&sun));
	ASSERT_EQ(0, uring_reap_one(&ring, &cqe));
	EXPECT_EQ(-ENFILE, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);

	io_uring_queue_exit(&ring);
	close(cfd[0]);
	close(cfd[1]);
	close(lfd);
}

TEST_HARNESS_MAIN
