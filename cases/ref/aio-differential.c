// SPDX-License-Identifier: MIT
/*
 * ref/aio-differential: the same operations once through the raw system
 * calls (iocbs filled by hand, io_submit, io_getevents) and once through
 * ref/aio (its prep helpers, ref_aio_submit, ref_aio_wait reaping the user
 * ring) give the same events: obj, data, res and res2, compared after
 * sorting by data. Both sides use the same iocb array, so obj (the iocb's
 * address) matches too. The iocbs the helpers build are also compared with
 * the hand-made ones, byte for byte.
 * Sources: io_submit(2), io_getevents(2), fs/aio.c, ref/aio.h.
 */
#include <sys/eventfd.h>

#include "conform_ref.h"
#include "conform_ref_aio.h"

enum { NOPS = 7 };

/* One run's operations: on a file of 16 KiB of the pattern, write 1 KiB of
 * the pattern for 20480 at 20480 (extending it), read 4 KiB at 4096, read
 * 3 KiB at 8192 into three buffers, write 2 KiB in two buffers at 24576,
 * fsync, fdatasync, and poll a pipe that holds a byte. */
struct run {
	int fd, p[2];
	char wbuf[1024], rbuf[4096], v[3][1024], wv[2][1024];
	struct iovec riov[3], wiov[2];
	struct iocb *cb;	/* NOPS iocbs, maybe shared with another run */
	struct io_event ev[NOPS];
};

static void run_open(struct __test_metadata *_metadata, struct run *r,
		     struct iocb *cbs)
{
	memset(r, 0, sizeof(*r));
	r->cb = cbs;
	r->fd = conform_temp_file(16384, 0);
	ASSERT_LE(0, r->fd);
	ASSERT_EQ(0, conform_pipe(r->p));
	ASSERT_EQ(1, write(r->p[1], "x", 1));
	conform_fill_pattern(r->wbuf, sizeof(r->wbuf), 20480);
	for (int i = 0; i < 3; i++)
		r->riov[i] = (struct iovec){ r->v[i], sizeof(r->v[i]) };
	for (int i = 0; i < 2; i++) {
		conform_fill_pattern(r->wv[i], sizeof(r->wv[i]), 24576 + 1024 * i);
		r->wiov[i] = (struct iovec){ r->wv[i], sizeof(r->wv[i]) };
	}
}

static void run_close(struct run *r)
{
	close(r->fd);
	close(r->p[0]);
	close(r->p[1]);
}

/* The operations with the raw iocb layout, filled by hand (conform_aio.h). */
static void prep_by_hand(struct run *r)
{
	aio_prep_rw(&r->cb[0], IOCB_CMD_PWRITE, r->fd, r->wbuf, sizeof(r->wbuf), 20480, 10);
	aio_prep_rw(&r->cb[1], IOCB_CMD_PREAD, r->fd, r->rbuf, sizeof(r->rbuf), 4096, 11);
	aio_prep_rw(&r->cb[2], IOCB_CMD_PREADV, r->fd, r->riov, 3, 8192, 12);
	aio_prep_rw(&r->cb[3], IOCB_CMD_PWRITEV, r->fd, r->wiov, 2, 24576, 13);
	aio_prep_rw(&r->cb[4], IOCB_CMD_FSYNC, r->fd, NULL, 0, 0, 14);
	aio_prep_rw(&r->cb[5], IOCB_CMD_FDSYNC, r->fd, NULL, 0, 0, 15);
	aio_prep_poll(&r->cb[6], r->p[0], POLLIN);
	r->cb[6].aio_data = 16;
}

static void prep_by_ref(struct run *r)
{
	ref_aio_prep_pwrite(&r->cb[0], r->fd, r->wbuf, sizeof(r->wbuf), 20480, 10);
	ref_aio_prep_pread(&r->cb[1], r->fd, r->rbuf, sizeof(r->rbuf), 4096, 11);
	ref_aio_prep_preadv(&r->cb[2], r->fd, r->riov, 3, 8192, 12);
	ref_aio_prep_pwritev(&r->cb[3], r->fd, r->wiov, 2, 24576, 13);
	ref_aio_prep_fsync(&r->cb[4], r->fd, 14);
	ref_aio_prep_fdsync(&r->cb[5], r->fd, 15);
	ref_aio_prep_poll(&r->cb[6], r->p[0], POLLIN, 16);
}

/* The raw run: io_submit of all, io_getevents until all are in. */
static void run_raw(struct __test_metadata *_metadata, struct run *r)
{
	struct timespec bound = { .tv_sec = 2 };
	struct iocb *list[NOPS];
	aio_context_t ctx = 0;

	for (int i = 0; i < NOPS; i++)
		list[i] = &r->cb[i];
	ASSERT_EQ(0, aio_sys_setup(NOPS, &ctx));
	ASSERT_EQ(NOPS, aio_sys_submit(ctx, NOPS, list));
	ASSERT_EQ(NOPS, aio_sys_getevents(ctx, NOPS, NOPS, r->ev, &bound));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	ref_aio_case_sort(r->ev, NOPS);
}

static void run_ref(struct __test_metadata *_metadata, struct run *r)
{
	struct iocb *list[NOPS];
	struct ref_aio ctx;

	for (int i = 0; i < NOPS; i++)
		list[i] = &r->cb[i];
	ASSERT_EQ(0, ref_aio_init(&ctx, NOPS));
	ASSERT_EQ(NOPS, ref_aio_submit(&ctx, list, NOPS));
	ASSERT_EQ(NOPS, ref_aio_wait(&ctx, r->ev, NOPS, NOPS, &ref_aio_case_bound));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	ref_aio_case_sort(r->ev, NOPS);
}

/* io_submit(2) "struct iocb": the fields each opcode uses, everything else
 * zero. ref's helpers build byte-identical iocbs to hand-made ones
 * (POLL: the mask in aio_buf, since 4.19). */
TEST(prep_helpers_build_the_iocbs_made_by_hand)
{
	static struct iocb hand[NOPS], ref[NOPS];
	static struct run a;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2) struct iocb; fs/aio.c aio_poll(): the "
			"poll mask in aio_buf");
	run_open(_metadata, &a, hand);
	memset(hand, 0x5a, sizeof(hand));
	memset(ref, 0xa5, sizeof(ref));	/* the helpers must zero it all */
	prep_by_hand(&a);
	a.cb = ref;
	prep_by_ref(&a);
	for (int i = 0; i < NOPS; i++) {
		EXPECT_EQ(0, memcmp(&hand[i], &ref[i], sizeof(hand[i])))
			TH_LOG("iocb %d differs", i);
	}
	run_close(&a);
}

/*
 * io_submit(2)/io_getevents(2): pwrite, pread, preadv, pwritev, fsync,
 * fdatasync and poll give the same seven events through ref as through the
 * raw calls, and the expected ones: byte counts 1024, 4096, 3072, 2048;
 * 0 for the syncs; POLLIN for the poll; res2 0 (FSYNC/FDSYNC since 4.18,
 * POLL since 4.19, the rest since 2.6).
 */
TEST(seven_operations_give_the_same_events)
{
	static const int64_t want[NOPS] = { 1024, 4096, 3072, 2048, 0, 0, POLLIN };
	static struct iocb cbs[NOPS];
	static struct run raw, ref;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_submit(2), io_getevents(2); fs/aio.c "
			"IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC (4.18) and IOCB_CMD_POLL "
			"(4.19)");
	CONFORM_REQUIRE_AIO();
	AIO_REQUIRE_POLL();
	/* Both runs use the same iocbs (each on a file of its own), so obj
	 * must match as well. */
	run_open(_metadata, &raw, cbs);
	prep_by_hand(&raw);
	run_raw(_metadata, &raw);
	run_open(_metadata, &ref, cbs);
	prep_by_ref(&ref);
	run_ref(_metadata, &ref);
	for (int i = 0; i < NOPS; i++) {
		EXPECT_EQ(raw.ev[i].obj, ref.ev[i].obj);
		EXPECT_EQ(raw.ev[i].data, ref.ev[i].data);
		EXPECT_EQ(raw.ev[i].res, ref.ev[i].res);
		EXPECT_EQ(raw.ev[i].res2, ref.ev[i].res2);
		EXPECT_EQ((uint64_t)(uintptr_t)&cbs[i], ref.ev[i].obj);
		EXPECT_EQ(10u + i, ref.ev[i].data);
		EXPECT_EQ(want[i], ref.ev[i].res) TH_LOG("operation %d", i);
		EXPECT_EQ(0, ref.ev[i].res2);
	}
	EXPECT_TRUE(conform_check_pattern(ref.rbuf, sizeof(ref.rbuf), 4096));
	for (int i = 0; i < 3; i++)
		EXPECT_TRUE(conform_check_pattern(ref.v[i], sizeof(ref.v[i]), 8192 + 1024 * i));
	EXPECT_EQ(26624, lseek(raw.fd, 0, SEEK_END));
	EXPECT_EQ(26624, lseek(ref.fd, 0, SEEK_END));
	run_close(&raw);
	run_close(&ref);
}

/*
 * The same iocbs, submitted raw and then through ref: identical events,
 * errors included. A read of an empty O_NONBLOCK pipe completes with res
 * -EAGAIN (read(2) EAGAIN), a read at end of file with 0, a read inside
 * the file with its length (since 2.6).
 */
TEST(same_iocbs_give_identical_events_including_errors)
{
	struct timespec bound = { .tv_sec = 2 };
	static char buf[512], pbuf[16];
	struct iocb cb[3], *list[3] = { &cb[0], &cb[1], &cb[2] };
	struct io_event raw[3], ref[3];
	aio_context_t id = 0;
	struct ref_aio ctx;
	int fd, p[2];

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2), io_getevents(2); read(2) EAGAIN");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC | O_NONBLOCK));
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);

	aio_prep_rw(&cb[0], IOCB_CMD_PREAD, p[0], pbuf, sizeof(pbuf), 0, 1);
	aio_prep_rw(&cb[1], IOCB_CMD_PREAD, fd, buf, sizeof(buf), 4096, 2);
	aio_prep_rw(&cb[2], IOCB_CMD_PREAD, fd, buf, sizeof(buf), 1024, 3);
	ASSERT_EQ(0, aio_sys_setup(4, &id));
	ASSERT_EQ(3, aio_sys_submit(id, 3, list));
	ASSERT_EQ(3, aio_sys_getevents(id, 3, 3, raw, &bound));
	EXPECT_EQ(0, aio_sys_destroy(id));

	ref_aio_prep_pread(&cb[0], p[0], pbuf, sizeof(pbuf), 0, 1);
	ref_aio_prep_pread(&cb[1], fd, buf, sizeof(buf), 4096, 2);
	ref_aio_prep_pread(&cb[2], fd, buf, sizeof(buf), 1024, 3);
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(3, ref_aio_submit(&ctx, list, 3));
	ASSERT_EQ(3, ref_aio_wait(&ctx, ref, 3, 3, &ref_aio_case_bound));
	EXPECT_EQ(0, ref_aio_free(&ctx));

	ref_aio_case_sort(raw, 3);
	ref_aio_case_sort(ref, 3);
	EXPECT_EQ(0, memcmp(raw, ref, sizeof(raw)));
	EXPECT_EQ(-EAGAIN, ref[0].res);
	EXPECT_EQ(0, ref[1].res);
	EXPECT_EQ(512, ref[2].res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 1024));
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* io_submit(2) ERRORS: EBADF "Invalid file descriptor" for the first
 * iocb: the raw call fails with errno EBADF, ref returns -EBADF (since
 * 2.6). */
TEST(bad_fd_is_refused_alike)
{
	char buf[16];
	struct iocb cb, *list[1] = { &cb };
	aio_context_t id = 0;
	struct ref_aio ctx;

	CONFORM_DECLARE("2.6", "io_submit",
			"io_submit(2) EBADF");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, aio_sys_setup(4, &id));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, conform_bad_fd(), buf, sizeof(buf), 0, 1);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_submit(id, 1, list));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, aio_sys_destroy(id));

	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_pread(&cb, conform_bad_fd(), buf, sizeof(buf), 0, 1);
	EXPECT_EQ(-EBADF, ref_aio_submit(&ctx, list, 1));
	EXPECT_EQ(0, ref_aio_free(&ctx));
}

/*
 * io_submit(2) IOCB_FLAG_RESFD: the eventfd is signalled once per
 * completion; ref_aio_set_eventfd builds the same iocb as setting
 * aio_flags/aio_resfd by hand, and three reads leave the counter at 3
 * through either path (since 2.6.22).
 */
TEST(eventfd_notification_counts_alike)
{
	static char buf[3][256];
	struct timespec bound = { .tv_sec = 2 };
	struct iocb hand, cb[3], *list[3] = { &cb[0], &cb[1], &cb[2] };
	struct io_event ev[3];
	aio_context_t id = 0;
	struct ref_aio ctx;
	uint64_t count;
	int fd, efd;

	CONFORM_DECLARE("2.6.22", "IOCB_FLAG_RESFD",
			"io_submit(2) IOCB_FLAG_RESFD");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE_EVENTFD();
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);

	aio_prep_rw(&hand, IOCB_CMD_PREAD, fd, buf[0], sizeof(buf[0]), 0, 0);
	hand.aio_flags = IOCB_FLAG_RESFD;
	hand.aio_resfd = (__u32)efd;
	ref_aio_prep_pread(&cb[0], fd, buf[0], sizeof(buf[0]), 0, 0);
	ref_aio_set_eventfd(&cb[0], efd);
	EXPECT_EQ(0, memcmp(&hand, &cb[0], sizeof(hand)));

	for (int i = 0; i < 3; i++) {
		aio_prep_rw(&cb[i], IOCB_CMD_PREAD, fd, buf[i], sizeof(buf[i]), 256 * i, i);
		cb[i].aio_flags = IOCB_FLAG_RESFD;
		cb[i].aio_resfd = (__u32)efd;
	}
	ASSERT_EQ(0, aio_sys_setup(4, &id));
	ASSERT_EQ(3, aio_sys_submit(id, 3, list));
	ASSERT_EQ(3, aio_sys_getevents(id, 3, 3, ev, &bound));
	EXPECT_EQ(0, aio_sys_destroy(id));
	count = 0;
	EXPECT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(3u, count);

	for (int i = 0; i < 3; i++) {
		ref_aio_prep_pread(&cb[i], fd, buf[i], sizeof(buf[i]), 256 * i, i);
		ref_aio_set_eventfd(&cb[i], efd);
	}
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(3, ref_aio_submit(&ctx, list, 3));
	ASSERT_EQ(3, ref_aio_wait(&ctx, ev, 3, 3, &ref_aio_case_bound));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	count = 0;
	EXPECT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(3u, count);
	close(efd);
	close(fd);
}

TEST_HARNESS_MAIN
