// SPDX-License-Identifier: MIT
/*
 * posix-aio/listio-mixed: lio_listio lists that mix LIO_READ, LIO_WRITE and
 * LIO_NOP entries over several descriptors (two files, a socket, pipes):
 * each entry's data and aio_return, LIO_WAIT returning only once an entry
 * blocked on a pipe has completed (every status final by then), a pipe read
 * listed before the write that feeds it, LIO_NOWAIT returning while pipe
 * entries block, zero-length entries, and short reads counting as success.
 * Sources: POSIX.1-2017 XSH lio_listio() DESCRIPTION, RETURN VALUE, ERRORS
 * (entries submitted as if by aio_read()/aio_write(), their statuses those
 * of read()/write()); lio_listio(3); aio_init(3) (glibc's worker threads).
 *
 * Not asserted: the order in which entries of one list run, e.g. a write
 * and then a read of the same range of one file. POSIX says the requests
 * are submitted in an unspecified order, and lio_listio(3) that they are
 * executed in an unspecified order; glibc documents nothing more.
 *
 * Entries that must block read an empty pipe or write a full one; a helper
 * thread feeds the pipe once it has seen the test thread asleep in futex
 * (conform_wait_blocked_in: /proc/self/task/<tid>/syscall). No sleeps;
 * 5 s bounds.
 *
 * First kernel: glibc runs each entry in its worker threads (pread/pwrite,
 * read/write, futex): since is 2.6.0 in every declaration; a static glibc
 * 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "conform_posix_aio.h"

/* Read exactly len bytes from fd, each wait bounded by 5 s. 0 or -1. */
static int read_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		if (!conform_fd_readable(fd, 5000))
			return -1;
		n = read(fd, p + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/*
 * POSIX lio_listio() DESCRIPTION: LIO_READ and LIO_WRITE entries are
 * submitted as if by aio_read() and aio_write(), LIO_NOP entries are
 * ignored, NULL elements too; RETURN VALUE: LIO_WAIT returns 0 once all
 * completed successfully. One list: two reads of file A, two writes to file
 * B, a write to a socket, a NOP naming file B and a NULL. Each read returns
 * its count with A's bytes at its offset, each write its count with its
 * bytes in B (or at the peer), and B holds nothing where the NOP pointed.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(wait_mode_mixed_entries_across_fds_each_complete_right)
{
	static unsigned char ra[1000], rb[2000], wa[500], wb[700], ws[300];
	static unsigned char nop[100], back[4096], peer[300];
	struct aiocb cbs[6], *list[7];
	struct stat st;
	int a = conform_temp_file(8192, 0), b = conform_temp_file(0, 0), sv[2];

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: LIO_READ, "
			"LIO_WRITE as if by aio_read(), aio_write(), LIO_NOP "
			"and NULL elements ignored; RETURN VALUE 0 (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, conform_socketpair(sv));
	conform_fill_pattern(wa, sizeof(wa), 100000);
	conform_fill_pattern(wb, sizeof(wb), 200000);
	conform_fill_pattern(ws, sizeof(ws), 300000);
	conform_fill_pattern(nop, sizeof(nop), 400000);
	posix_aio_prep_lio(&cbs[0], LIO_READ, a, ra, sizeof(ra), 100);
	posix_aio_prep_lio(&cbs[1], LIO_WRITE, b, wa, sizeof(wa), 0);
	posix_aio_prep_lio(&cbs[2], LIO_NOP, b, nop, sizeof(nop), 2048);
	posix_aio_prep_lio(&cbs[3], LIO_WRITE, sv[0], ws, sizeof(ws), 0);
	posix_aio_prep_lio(&cbs[4], LIO_READ, a, rb, sizeof(rb), 5000);
	posix_aio_prep_lio(&cbs[5], LIO_WRITE, b, wb, sizeof(wb), 4096);
	list[0] = &cbs[0];
	list[1] = &cbs[1];
	list[2] = &cbs[2];
	list[3] = &cbs[3];
	list[4] = NULL;
	list[5] = &cbs[4];
	list[6] = &cbs[5];
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 7, NULL));
	for (int i = 0; i < 6; i++)
		if (i != 2)
			EXPECT_EQ(0, aio_error(&cbs[i]));
	EXPECT_EQ(1000, aio_return(&cbs[0]));
	EXPECT_EQ(500, aio_return(&cbs[1]));
	EXPECT_EQ(300, aio_return(&cbs[3]));
	EXPECT_EQ(2000, aio_return(&cbs[4]));
	EXPECT_EQ(700, aio_return(&cbs[5]));
	EXPECT_TRUE(conform_check_pattern(ra, sizeof(ra), 100));
	EXPECT_TRUE(conform_check_pattern(rb, sizeof(rb), 5000));
	ASSERT_EQ(0, fstat(b, &st));
	EXPECT_EQ(4096 + 700, st.st_size);
	ASSERT_EQ(500, pread(b, back, 500, 0));
	EXPECT_TRUE(conform_check_pattern(back, 500, 100000));
	ASSERT_EQ(700, pread(b, back, 700, 4096));
	EXPECT_TRUE(conform_check_pattern(back, 700, 200000));
	ASSERT_EQ(100, pread(b, back, 100, 2048));
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, back[i]);
	ASSERT_EQ(0, read_all(sv[1], peer, sizeof(peer)));
	EXPECT_TRUE(conform_check_pattern(peer, sizeof(peer), 300000));
	close(sv[0]);
	close(sv[1]);
	close(a);
	close(b);
}

/* A helper that writes len bytes to fd once thread tid sleeps in futex
 * (or when that cannot be seen: the TEST then skips). */
struct feeder {
	pid_t tid;
	int fd;
	const void *data;
	size_t len;
	int seen;
	atomic_int fed;
};

static void *feed_when_asleep(void *arg)
{
	struct feeder *f = arg;

	f->seen = conform_wait_blocked_in(f->tid, SYS_futex);
	atomic_store(&f->fed, 1);
	if (write(f->fd, f->data, f->len) != (ssize_t)f->len)
		f->seen = -2;
	return NULL;
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_WAIT "the function shall wait
 * until all I/O is complete". A list of a file write, a file read and a
 * read of an empty pipe: the test thread is seen asleep in the call, only
 * then does a helper write the pipe; when lio_listio returns 0 the helper
 * had written, and every entry has its final status (none EINPROGRESS) and
 * count.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read and futex in threads).
 */
TEST(wait_mode_returns_only_after_the_blocked_entry_completes)
{
	static unsigned char wbuf[600], rbuf[600], pbuf[16];
	struct aiocb cbs[3], *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	struct feeder f;
	pthread_t tid;
	int p[2], ret, fed, status[3], fd = conform_temp_file(8192, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_WAIT "
			"the function waits until all I/O is complete "
			"(glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep_lio(&cbs[0], LIO_WRITE, fd, wbuf, sizeof(wbuf), 8192);
	posix_aio_prep_lio(&cbs[1], LIO_READ, fd, rbuf, sizeof(rbuf), 1000);
	posix_aio_prep_lio(&cbs[2], LIO_READ, p[0], pbuf, sizeof(pbuf), 0);
	memset(&f, 0, sizeof(f));
	f.tid = gettid();
	f.fd = p[1];
	f.data = "sixteen bytes!!!";
	f.len = 16;
	ASSERT_EQ(0, pthread_create(&tid, NULL, feed_when_asleep, &f));
	ret = lio_listio(LIO_WAIT, list, 3, NULL);
	fed = atomic_load(&f.fed);
	for (int i = 0; i < 3; i++)
		status[i] = aio_error(&cbs[i]);
	ASSERT_EQ(0, pthread_join(tid, NULL));
	ASSERT_NE(-2, f.seen);
	if (f.seen == -1)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the test thread asleep in futex");
	if (f.seen != 1)
		SKIP(goto out, CONFORM_UNSEEN "the test thread was not seen asleep in futex within 5 s");
	EXPECT_EQ(0, ret);
	EXPECT_EQ(1, fed);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(0, status[i]);
	EXPECT_EQ(600, aio_return(&cbs[0]));
	EXPECT_EQ(600, aio_return(&cbs[1]));
	EXPECT_EQ(16, aio_return(&cbs[2]));
	EXPECT_TRUE(conform_check_pattern(rbuf, sizeof(rbuf), 1000));
	EXPECT_EQ(0, memcmp(pbuf, "sixteen bytes!!!", 16));
out:
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* A watchdog: unless *done is set within 5 s, write 64 bytes to fd (so
 * that a read listed there cannot hang the test) and note it. */
struct watchdog {
	int fd;
	int stop[2];
	int rescued;
};

static void *watch(void *arg)
{
	static const unsigned char zero[64];
	struct watchdog *w = arg;

	if (conform_fd_readable(w->stop[0], 5000))
		return NULL;
	w->rescued = 1;
	if (write(w->fd, zero, sizeof(zero)) != sizeof(zero))
		w->rescued = 2;
	return NULL;
}

/*
 * POSIX lio_listio() DESCRIPTION: the entries are submitted as if by
 * aio_read()/aio_write() "in an unspecified order"; glibc runs the requests
 * of different descriptors side by side in its worker threads (aio_init(3):
 * up to aio_threads, default 20). A LIO_WAIT list whose first entry reads
 * an empty pipe and whose second writes 64 bytes to that pipe returns 0:
 * the read gets the 64 bytes the write of the same list put there (a
 * watchdog would feed the read after 5 s, and fail the TEST).
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read/write in threads).
 */
TEST(wait_mode_pipe_read_listed_before_its_write_completes)
{
	unsigned char in[64], out[64];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct watchdog w;
	pthread_t tid;
	int p[2], ret;

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: entries as if "
			"by aio_read(), aio_write(), in an unspecified order "
			"(glibc: aio_init(3) worker threads run other "
			"descriptors' requests side by side)");
	ASSERT_EQ(0, conform_pipe(p));
	memset(&w, 0, sizeof(w));
	w.fd = p[1];
	ASSERT_EQ(0, conform_pipe(w.stop));
	ASSERT_EQ(0, pthread_create(&tid, NULL, watch, &w));
	conform_fill_pattern(out, sizeof(out), 64);
	posix_aio_prep_lio(&cbs[0], LIO_READ, p[0], in, sizeof(in), 0);
	posix_aio_prep_lio(&cbs[1], LIO_WRITE, p[1], out, sizeof(out), 0);
	ret = lio_listio(LIO_WAIT, list, 2, NULL);
	ASSERT_EQ(1, write(w.stop[1], "s", 1));
	ASSERT_EQ(0, pthread_join(tid, NULL));
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
	EXPECT_EQ(0, w.rescued);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(64, aio_return(&cbs[0]));
	EXPECT_EQ(64, aio_return(&cbs[1]));
	if (!w.rescued)
		EXPECT_TRUE(conform_check_pattern(in, sizeof(in), 64));
	close(w.stop[0]);
	close(w.stop[1]);
	close(p[0]);
	close(p[1]);
}

/*
 * POSIX lio_listio() DESCRIPTION: with LIO_NOWAIT "the function shall
 * return immediately"; RETURN VALUE 0 when queued. A list of a read of an
 * empty pipe, a 4096-byte write to a full pipe and a file write returns 0
 * while both pipe entries are still EINPROGRESS; once the first pipe is
 * written and the second drained, they complete with their counts, and
 * the reader of the second pipe gets the entry's bytes after the filler.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read/write in threads).
 */
TEST(nowait_returns_while_pipe_entries_block)
{
	static unsigned char in[32], out[4096], fbuf[512], drain[4096];
	struct aiocb cbs[3], *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	long filled;
	int p[2], q[2], fd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() DESCRIPTION: with LIO_NOWAIT "
			"the function returns immediately; RETURN VALUE 0 when "
			"queued (glibc/POSIX behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, conform_pipe(q));
	ASSERT_LT(0, filled = conform_fill_until_full(q[1]));
	conform_fill_pattern(out, sizeof(out), 4096);
	conform_fill_pattern(fbuf, sizeof(fbuf), 0);
	posix_aio_prep_lio(&cbs[0], LIO_READ, p[0], in, sizeof(in), 0);
	posix_aio_prep_lio(&cbs[1], LIO_WRITE, q[1], out, sizeof(out), 0);
	posix_aio_prep_lio(&cbs[2], LIO_WRITE, fd, fbuf, sizeof(fbuf), 0);
	ASSERT_EQ(0, lio_listio(LIO_NOWAIT, list, 3, NULL));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[0]));
	EXPECT_EQ(EINPROGRESS, aio_error(&cbs[1]));
	ASSERT_EQ(32, write(p[1], "thirty-two bytes for the reader.", 32));
	for (long left = filled; left > 0; ) {
		size_t n = left < (long)sizeof(drain) ? (size_t)left : sizeof(drain);

		ASSERT_EQ(0, read_all(q[0], drain, n));
		left -= n;
	}
	ASSERT_EQ(0, read_all(q[0], drain, sizeof(drain)));
	EXPECT_TRUE(conform_check_pattern(drain, sizeof(drain), 4096));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		EXPECT_EQ(0, aio_error(&cbs[i]));
	}
	EXPECT_EQ(32, aio_return(&cbs[0]));
	EXPECT_EQ(0, memcmp(in, "thirty-two bytes for the reader.", 32));
	EXPECT_EQ(4096, aio_return(&cbs[1]));
	EXPECT_EQ(512, aio_return(&cbs[2]));
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(fd);
}

/*
 * POSIX lio_listio() ERRORS: an entry's status and count are those of the
 * read() or write() it performs; read() and write() of zero bytes on a
 * regular file return 0 with no other result. A LIO_WAIT list of a
 * zero-byte read and a zero-byte write past the end of the file returns
 * 0, both entries return 0, and the file keeps its size.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(zero_length_entries_complete_with_zero)
{
	unsigned char rbuf[16], wbuf[16];
	struct aiocb cbs[2], *list[2] = { &cbs[0], &cbs[1] };
	struct stat st;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() ERRORS: entry statuses are "
			"those of read() or write(); zero-byte read() and "
			"write() return 0 with no other result (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	memset(rbuf, 0xa5, sizeof(rbuf));
	memset(wbuf, 0x5a, sizeof(wbuf));
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, rbuf, 0, 0);
	posix_aio_prep_lio(&cbs[1], LIO_WRITE, fd, wbuf, 0, 8192);
	ASSERT_EQ(0, lio_listio(LIO_WAIT, list, 2, NULL));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, aio_error(&cbs[i]));
		EXPECT_EQ(0, aio_return(&cbs[i]));
	}
	EXPECT_EQ(0xa5, rbuf[0]);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(4096, st.st_size);
	close(fd);
}

/*
 * POSIX lio_listio() RETURN VALUE: with LIO_WAIT, 0 when all operations
 * "have completed successfully" (EIO only when one failed); a read() that
 * meets end of file returns fewer bytes, or 0, and is no failure. A list
 * of a read across the end of a 4096-byte file (596 of 1000 bytes), a read
 * at its end (0) and a write returns 0, each entry with status 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on pread/pwrite in threads).
 */
TEST(wait_mode_short_reads_count_as_success)
{
	unsigned char across[1000], at_end[100], wbuf[200];
	struct aiocb cbs[3], *list[3] = { &cbs[0], &cbs[1], &cbs[2] };
	int fd = conform_temp_file(4096, 0), wfd = conform_temp_file(0, 0);

	CONFORM_DECLARE("2.6.0", "lio_listio",
			"POSIX.1-2017 lio_listio() RETURN VALUE: LIO_WAIT "
			"returns 0 when all completed successfully; short "
			"read() counts at end of file are success (glibc/POSIX "
			"behaviour)");
	ASSERT_LE(0, fd);
	ASSERT_LE(0, wfd);
	conform_fill_pattern(wbuf, sizeof(wbuf), 0);
	posix_aio_prep_lio(&cbs[0], LIO_READ, fd, across, sizeof(across), 3500);
	posix_aio_prep_lio(&cbs[1], LIO_READ, fd, at_end, sizeof(at_end), 4096);
	posix_aio_prep_lio(&cbs[2], LIO_WRITE, wfd, wbuf, sizeof(wbuf), 0);
	errno = 0;
	EXPECT_EQ(0, lio_listio(LIO_WAIT, list, 3, NULL));
	EXPECT_EQ(0, errno);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(0, aio_error(&cbs[i]));
	EXPECT_EQ(596, aio_return(&cbs[0]));
	EXPECT_TRUE(conform_check_pattern(across, 596, 3500));
	EXPECT_EQ(0, aio_return(&cbs[1]));
	EXPECT_EQ(200, aio_return(&cbs[2]));
	close(wfd);
	close(fd);
}

TEST_HARNESS_MAIN
