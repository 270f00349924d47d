// SPDX-License-Identifier: MIT
/*
 * aio/resfd: IOCB_FLAG_RESFD, completion notification through an eventfd,
 * driven through libaio (io_set_eventfd; libaio returns -errno instead of
 * setting errno). Each completion adds 1 to the eventfd counter, so a
 * program can wait on the eventfd with poll/epoll and then reap.
 * Sources: io_submit(2) (IOCB_FLAG_RESFD, aio_resfd), eventfd(2) (KAIO
 * eventfd support came with eventfd itself in Linux 2.6.22).
 */
#include <libaio.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "conform.h"

static void prep_read_resfd(struct iocb *cb, int fd, void *buf, size_t len,
			    long long off, int efd)
{
	io_prep_pread(cb, fd, buf, len, off);
	io_set_eventfd(cb, efd);
}

/* A 4096-byte pattern file in *fd, a nonblocking eventfd in *efd and a 4-event libaio queue in *ctx. */
static void open_file_eventfd_and_queue(struct __test_metadata *_metadata,
					int *fd, int *efd, io_context_t *ctx)
{
	*fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, *fd);
	*efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, *efd);
	ASSERT_EQ(0, io_queue_init(4, ctx));
}

/* Read the eventfd's counter and expect it to be n. */
static void expect_eventfd_count(struct __test_metadata *_metadata, int efd,
				 uint64_t n)
{
	uint64_t count = 0;

	EXPECT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(n, count);
}

/* Release the libaio queue (expecting success), then close efd and fd. */
static void release_queue_and_close(struct __test_metadata *_metadata,
				    io_context_t ctx, int efd, int fd)
{
	EXPECT_EQ(0, io_queue_release(ctx));
	close(efd);
	close(fd);
}

/* io_submit(2) IOCB_FLAG_RESFD: the kernel signals aio_resfd when the request completes; eventfd(2): the read returns 1 (since 2.6.22). */
TEST(completion_signals_eventfd)
{
	static char buf[2048];
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	int fd, efd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) IOCB_FLAG_RESFD (2.6.22, commit 'signal/timer/event: KAIO eventfd support example'); eventfd(2) read");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	open_file_eventfd_and_queue(_metadata, &fd, &efd, &ctx);
	prep_read_resfd(&cb, fd, buf, sizeof(buf), 1024, efd);
	ASSERT_EQ(1, io_submit(ctx, 1, list));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(sizeof(buf), ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	expect_eventfd_count(_metadata, efd, 1);
	release_queue_and_close(_metadata, ctx, efd, fd);
}

/* IOCB_FLAG_RESFD + eventfd(2): every completion adds 1, so three requests sharing one eventfd leave the counter at 3 (since 2.6.22). */
TEST(each_completion_adds_one)
{
	static char buf[3][512];
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct iocb cb[3], *list[3] = { &cb[0], &cb[1], &cb[2] };
	struct io_event ev[3];
	int fd, efd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) IOCB_FLAG_RESFD (2.6.22, commit 'signal/timer/event: KAIO eventfd support example'); each completion adds 1");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	open_file_eventfd_and_queue(_metadata, &fd, &efd, &ctx);
	for (int i = 0; i < 3; i++)
		prep_read_resfd(&cb[i], fd, buf[i], sizeof(buf[i]), 512 * i, efd);
	ASSERT_EQ(3, io_submit(ctx, 3, list));
	ASSERT_EQ(3, io_getevents(ctx, 3, 3, ev, &bound));
	expect_eventfd_count(_metadata, efd, 3);
	release_queue_and_close(_metadata, ctx, efd, fd);
}

/*
 * IOCB_FLAG_RESFD: a request that completes with an error is still a
 * completion and signals the eventfd; a read into an inaccessible buffer
 * completes with res -EFAULT, as read(2) documents EFAULT (since 2.6.22).
 */
TEST(failed_completion_still_signals_eventfd)
{
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	long page = sysconf(_SC_PAGESIZE);
	void *hole;
	int fd, efd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) IOCB_FLAG_RESFD (2.6.22, commit 'signal/timer/event: KAIO eventfd support example'); read(2) EFAULT as the event res");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	open_file_eventfd_and_queue(_metadata, &fd, &efd, &ctx);
	prep_read_resfd(&cb, fd, hole, 512, 0, efd);
	ASSERT_EQ(1, io_submit(ctx, 1, list));
	ASSERT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
	EXPECT_EQ(-EFAULT, (long)ev.res);
	expect_eventfd_count(_metadata, efd, 1);
	release_queue_and_close(_metadata, ctx, efd, fd);
	munmap(hole, page);
}

/*
 * IOCB_FLAG_RESFD: the eventfd is signalled at completion, not at
 * submission: while an IOCB_CMD_POLL (4.19) waits on an empty pipe the
 * counter stays 0 (eventfd(2): a nonblocking read of 0 gets EAGAIN); after
 * the pipe is written it becomes readable with value 1.
 */
TEST(eventfd_signalled_only_at_completion)
{
	struct timespec bound = { .tv_sec = 1 };
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	struct pollfd pfd;
	uint64_t count = 0;
	int p[2], efd, ret;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) IOCB_FLAG_RESFD (2.6.22, commit 'signal/timer/event: KAIO eventfd support example') on a pending IOCB_CMD_POLL (commit bfe4037e722e (4.19): aio: implement IOCB_CMD_POLL)");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	ASSERT_EQ(0, conform_pipe(p));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	io_prep_poll(&cb, p[0], POLLIN);
	io_set_eventfd(&cb, efd);
	ret = io_submit(ctx, 1, list);
	if (ret == -EINVAL)
		SKIP(goto out, "io_submit(IOCB_CMD_POLL): EINVAL (opcode not supported)");
	ASSERT_EQ(1, ret);
	errno = 0;
	EXPECT_EQ(-1, read(efd, &count, sizeof(count)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, write(p[1], "x", 1));
	pfd = (struct pollfd){ .fd = efd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	expect_eventfd_count(_metadata, efd, 1);
	EXPECT_EQ(1, io_getevents(ctx, 1, 1, &ev, &bound));
out:
	EXPECT_EQ(0, io_queue_release(ctx));
	close(efd);
	close(p[0]);
	close(p[1]);
}

/* io_submit(2) EINVAL "the iocb ... is not properly initialized": an aio_resfd that is not an eventfd (a pipe) is rejected (since 2.6.22). */
TEST(resfd_not_an_eventfd_gets_einval)
{
	static char buf[64];
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	int fd, p[2];

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) EINVAL: iocb not properly initialized; fs/eventfd.c refuses a non-eventfd (2.6.22)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	prep_read_resfd(&cb, fd, buf, sizeof(buf), 0, p[0]);
	EXPECT_EQ(-EINVAL, io_submit(ctx, 1, list));
	EXPECT_EQ(0, io_queue_release(ctx));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* IOCB_FLAG_RESFD with an aio_resfd that is not an open descriptor: io_submit(2) gets EBADF (since 2.6.22). */
TEST(resfd_closed_fd_gets_ebadf)
{
	static char buf[64];
	io_context_t ctx = 0;
	struct iocb cb, *list[1] = { &cb };
	int fd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) EBADF; fs/eventfd.c lookup of aio_resfd fails with EBADF (2.6.22)");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, io_queue_init(4, &ctx));
	prep_read_resfd(&cb, fd, buf, sizeof(buf), 0, conform_bad_fd());
	EXPECT_EQ(-EBADF, io_submit(ctx, 1, list));
	EXPECT_EQ(0, io_queue_release(ctx));
	close(fd);
}

TEST_HARNESS_MAIN
