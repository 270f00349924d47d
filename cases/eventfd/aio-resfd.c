// SPDX-License-Identifier: MIT
/*
 * eventfd/aio-resfd: an eventfd as the completion signal of Linux native AIO
 * (IOCB_FLAG_RESFD with aio_resfd): every completed iocb that asks for it
 * adds 1 to the counter, iocbs without the flag add nothing, the completion
 * is already reapable when the eventfd shows it, and io_submit rejects an
 * aio_resfd that is not an open eventfd.
 * Source: io_submit(2) IOCB_FLAG_RESFD / aio_resfd, linux/aio_abi.h, eventfd(2)
 * NOTES (kernel AIO signalling an eventfd), kernel fs/aio.c (since 2.6.22).
 */
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform_aio.h"

#define BLK 512

/* A BLK-byte pread of fd at off into buf, tagged with data. */
static void prep_read(struct iocb *cb, int fd, void *buf, long long off,
		      __u64 data)
{
	aio_prep_rw(cb, IOCB_CMD_PREAD, fd, buf, BLK, off, data);
}

static void set_resfd(struct iocb *cb, int efd)
{
	cb->aio_flags |= IOCB_FLAG_RESFD;
	cb->aio_resfd = efd;
}

/* A pattern file of size bytes in *fd, a nonblocking eventfd in *efd and an 8-event AIO context in *ctx. */
static void open_file_eventfd_and_ctx(struct __test_metadata *_metadata,
				      size_t size, int *fd, int *efd,
				      aio_context_t *ctx)
{
	*fd = conform_temp_file(size, 0);
	ASSERT_LE(0, *fd);
	*efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, *efd);
	ASSERT_EQ(0, aio_sys_setup(8, ctx));
}

/* Destroy the AIO context, then close efd and fd. */
static void destroy_ctx_and_close(aio_context_t ctx, int efd, int fd)
{
	aio_sys_destroy(ctx);
	close(efd);
	close(fd);
}

/*
 * Read the eventfd until its counts add up to at least want, waiting at
 * most 1 s for each (a bound, not a delay). Returns the sum.
 */
static uint64_t efd_collect(int efd, uint64_t want)
{
	uint64_t sum = 0;

	while (sum < want) {
		struct pollfd pfd = { .fd = efd, .events = POLLIN };
		uint64_t v;

		if (poll(&pfd, 1, 1000) != 1 || read(efd, &v, sizeof(v)) != 8)
			break;
		sum += v;
	}
	return sum;
}

/*
 * io_submit(2) IOCB_FLAG_RESFD: AIO "must signal the file descriptor
 * mentioned in aio_resfd upon completion"; each signal adds 1 (eventfd(2)
 * NOTES counts KAIO "signal posts"). Three reads give exactly 3, and each
 * read still returns its data (since 2.6.22).
 */
TEST(each_completion_adds_one)
{
	static char bufs[3][BLK];
	struct iocb cbs[3], *list[3];
	struct io_event ev[3];
	aio_context_t ctx = 0;
	int fd, efd, i;
	uint64_t v;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) IOCB_FLAG_RESFD (2.6.22, commit 'signal/timer/event: KAIO eventfd support example'); eventfd(2) NOTES");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	open_file_eventfd_and_ctx(_metadata, 4 * BLK, &fd, &efd, &ctx);
	for (i = 0; i < 3; i++) {
		prep_read(&cbs[i], fd, bufs[i], (long long)i * BLK, i);
		set_resfd(&cbs[i], efd);
		list[i] = &cbs[i];
	}
	ASSERT_EQ(3, aio_sys_submit(ctx, 3, list));
	EXPECT_EQ((uint64_t)3, efd_collect(efd, 3));
	ASSERT_EQ(3, aio_sys_getevents(ctx, 3, 3, ev, NULL));
	for (i = 0; i < 3; i++) {
		ASSERT_GT((__u64)3, ev[i].data);
		EXPECT_EQ(BLK, ev[i].res);
		EXPECT_TRUE(conform_check_pattern(bufs[ev[i].data],
						  BLK, ev[i].data * BLK));
	}
	/* No further signal after all three are reaped. */
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	destroy_ctx_and_close(ctx, efd, fd);
}

/*
 * io_submit(2): the signal is asked for by IOCB_FLAG_RESFD in aio_flags; an
 * iocb without the flag does not signal even with aio_resfd set. Of two
 * reads, only the flagged one counts: the counter is exactly 1 (since 2.6.22).
 */
TEST(iocb_without_resfd_flag_does_not_signal)
{
	static char bufs[2][BLK];
	struct iocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct io_event ev[2];
	aio_context_t ctx = 0;
	int fd, efd;
	uint64_t v = 0;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2): aio_resfd is used only with IOCB_FLAG_RESFD (2.6.22)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	open_file_eventfd_and_ctx(_metadata, 2 * BLK, &fd, &efd, &ctx);
	prep_read(&cbs[0], fd, bufs[0], 0, 0);
	set_resfd(&cbs[0], efd);
	prep_read(&cbs[1], fd, bufs[1], BLK, 1);
	cbs[1].aio_resfd = efd; /* but no IOCB_FLAG_RESFD */
	ASSERT_EQ(2, aio_sys_submit(ctx, 2, list));
	ASSERT_EQ(2, aio_sys_getevents(ctx, 2, 2, ev, NULL));
	EXPECT_EQ((uint64_t)1, efd_collect(efd, 1));
	EXPECT_EQ(-1, read(efd, &v, sizeof(v)));
	EXPECT_EQ(EAGAIN, errno);
	destroy_ctx_and_close(ctx, efd, fd);
}

/*
 * Kernel fs/aio.c aio_complete(): the io_event is put in the completion
 * ring before the eventfd is signalled, so once the eventfd shows a
 * completion, io_getevents(2) with a zero timeout returns it (the usage
 * eventfd(2) NOTES describe; since 2.6.22).
 */
TEST(signalled_completion_is_reapable_at_once)
{
	static char buf[BLK];
	struct timespec zero = { 0, 0 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev[1];
	aio_context_t ctx = 0;
	int fd, efd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"fs/aio.c aio_complete(): the event is in the ring before the eventfd is signalled; eventfd(2) NOTES (2.6.22)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	open_file_eventfd_and_ctx(_metadata, BLK, &fd, &efd, &ctx);
	prep_read(&cb, fd, buf, 0, 0x77);
	set_resfd(&cb, efd);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	ASSERT_EQ((uint64_t)1, efd_collect(efd, 1));
	ASSERT_EQ(1, aio_sys_getevents(ctx, 0, 1, ev, &zero));
	EXPECT_EQ((__u64)0x77, ev[0].data);
	EXPECT_EQ((__u64)(uintptr_t)&cb, ev[0].obj);
	EXPECT_EQ(BLK, ev[0].res);
	destroy_ctx_and_close(ctx, efd, fd);
}

/*
 * io_submit(2) ERRORS EBADF; kernel fs/aio.c looks aio_resfd up with
 * eventfd_ctx_fdget(), which fails with EBADF for a number that is not
 * open, and io_submit returns -1/EBADF when it is the first iocb (since
 * 2.6.22).
 */
TEST(resfd_unopened_fd_gets_ebadf)
{
	static char buf[BLK];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) EBADF; fs/aio.c eventfd_ctx_fdget() of aio_resfd (2.6.22)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(BLK, 0);
	ASSERT_LE(0, fd);
	prep_read(&cb, fd, buf, 0, 0);
	set_resfd(&cb, conform_bad_fd());
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

/*
 * io_submit(2) ERRORS EINVAL ("iocb ... not properly initialized"); kernel
 * eventfd_ctx_fileget() refuses a file that is not an eventfd with EINVAL.
 * aio_resfd naming the data file itself is rejected (since 2.6.22).
 */
TEST(resfd_non_eventfd_gets_einval)
{
	static char buf[BLK];
	struct io_event ev;
	struct iocb cb;
	int fd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) EINVAL: iocb not properly initialized; fs/eventfd.c refuses a non-eventfd (2.6.22)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(BLK, 0);
	ASSERT_LE(0, fd);
	prep_read(&cb, fd, buf, 0, 0);
	set_resfd(&cb, fd);
	EXPECT_EQ(-1, aio_submit_and_reap(_metadata, &cb, &ev));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_HARNESS_MAIN
