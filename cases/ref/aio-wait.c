// SPDX-License-Identifier: MIT
/*
 * ref/aio-wait: ref_aio_wait: at least min_nr events, up to nr, within a
 * relative timeout; ready events from the user ring first, the rest from
 * io_getevents; the count below min_nr only on timeout; argument errors;
 * and EINTR retried with the deadline kept. Interruptions are made by a
 * helper thread that signals the waiting thread only once it sees it asleep
 * in io_getevents (conform_ref_aio.h): no sleeping to win a race. Pending
 * requests are polls on empty pipes; ready ones are buffered reads.
 * Sources: io_getevents(2), fs/aio.c SYSCALL io_getevents (a wait ended
 * by a signal with no event returns -EINTR), ref/aio.h.
 */
#include "conform_ref.h"
#include "conform_ref_aio.h"

static const struct timespec brief = { .tv_nsec = 20 * 1000 * 1000 };

/* Submit n one-byte reads of fd (complete at once), data 100 + i. */
static int submit_reads(struct ref_aio *ctx, int fd, char *bytes, int n)
{
	struct iocb cb[8], *list[8];

	for (int i = 0; i < n; i++) {
		ref_aio_prep_pread(&cb[i], fd, &bytes[i], 1, i, 100 + i);
		list[i] = &cb[i];
	}
	return ref_aio_submit(ctx, list, (unsigned int)n);
}

/* io_getevents(2): "may be 0 ... if the timeout expired": nothing pending,
 * a 20 ms timeout: 0 events (since 2.6). */
TEST(nothing_pending_times_out_with_zero)
{
	struct io_event ev[2];
	struct ref_aio ctx;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) RETURN VALUE: 0 if the timeout "
			"expired");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	EXPECT_EQ(0, ref_aio_wait(&ctx, ev, 1, 2, &brief));
	EXPECT_EQ(0, ref_aio_wait(&ctx, ev, 1, 2, &(struct timespec){ 0 }));
	EXPECT_EQ(0, ref_aio_free(&ctx));
}

/* io_getevents(2): "up to nr events": three ready, nr 2: two now, the
 * third on the next call; min_nr 0 never waits (since 2.6). */
TEST(ready_events_are_returned_up_to_nr)
{
	char bytes[3];
	struct io_event ev[3];
	struct ref_aio ctx;
	unsigned int seen = 0;
	int fd;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2): up to nr events");
	CONFORM_REQUIRE_AIO();
	fd = conform_temp_file(3, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(3, submit_reads(&ctx, fd, bytes, 3));
	ASSERT_EQ(2, ref_aio_wait(&ctx, ev, 1, 2, NULL));
	ASSERT_EQ(1, ref_aio_wait(&ctx, &ev[2], 0, 2, NULL));
	for (int i = 0; i < 3; i++) {
		ASSERT_LE(100u, ev[i].data);
		ASSERT_GT(103u, ev[i].data);
		seen |= 1u << (ev[i].data - 100);
	}
	EXPECT_EQ(7u, seen);
	EXPECT_EQ(0, ref_aio_wait(&ctx, ev, 0, 3, NULL));
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
}

/* io_getevents(2): fewer than min_nr only when the timeout expired: one
 * ready, a poll pending on an empty pipe, min_nr 2, 20 ms: returns the
 * one (since 4.19 for the poll). */
TEST(timeout_returns_fewer_than_min_nr)
{
	char bytes[1];
	struct iocb pcb, *list[1] = { &pcb };
	struct io_event ev[2];
	struct ref_aio ctx;
	int fd, p[2];

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_getevents(2): fewer than min_nr only on timeout");
	AIO_REQUIRE_POLL();
	fd = conform_temp_file(1, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(1, submit_reads(&ctx, fd, bytes, 1));
	ref_aio_prep_poll(&pcb, p[0], POLLIN, 9);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	ASSERT_EQ(1, ref_aio_wait(&ctx, ev, 2, 2, &brief));
	EXPECT_EQ(100u, ev[0].data);
	EXPECT_EQ(1, ev[0].res);
	EXPECT_EQ(0, ref_aio_free(&ctx));	/* cancels the poll */
	close(fd);
	close(p[0]);
	close(p[1]);
}

/*
 * io_getevents(2) "at least min_nr": one event ready in the ring, min_nr
 * 2: the wait takes the ready one from the ring, then sleeps in
 * io_getevents until a helper thread, seeing it asleep there, writes the
 * pipe a poll waits on; both events, the poll's res POLLIN|POLLRDNORM
 * (from the pipe's wake-up) (since 4.19).
 */
static int wake_pipe;

static void *write_when_waiting(void *arg)
{
	pid_t tid = *(pid_t *)arg;

	if (conform_wait_blocked_in(tid, SYS_io_getevents) == 1)
		(void)!write(wake_pipe, "x", 1);
	return NULL;
}

TEST(min_nr_collects_from_ring_and_kernel)
{
	char bytes[1];
	struct iocb pcb, *list[1] = { &pcb };
	struct io_event ev[3];
	struct ref_aio ctx;
	pthread_t writer;
	pid_t me = gettid();
	int fd, p[2], n;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"io_getevents(2): at least min_nr events");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE(ref_aio_case_syscall_file_missing());
	fd = conform_temp_file(1, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(1, submit_reads(&ctx, fd, bytes, 1));
	ref_aio_prep_poll(&pcb, p[0], POLLIN | POLLRDNORM, 9);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	wake_pipe = p[1];
	ASSERT_EQ(0, pthread_create(&writer, NULL, write_when_waiting, &me));
	n = ref_aio_wait(&ctx, ev, 2, 3, &(struct timespec){ .tv_sec = 5 });
	pthread_join(writer, NULL);
	if (n == 1 && !conform_fd_readable(p[0], 0))
		SKIP(goto out, CONFORM_UNSEEN "the helper never saw the wait asleep in io_getevents (no /proc/self/task/<tid>/syscall?)");
	ASSERT_EQ(2, n);
	ref_aio_case_sort(ev, 2);
	EXPECT_EQ(9u, ev[0].data);
	EXPECT_EQ(POLLIN | POLLRDNORM, ev[0].res);
	EXPECT_EQ(100u, ev[1].data);
	EXPECT_EQ(1, ev[1].res);
out:
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* io_getevents(2) EINVAL "min_nr is out of range or nr is out of range"
 * (min_nr > nr); ref/aio.h: a timeout with tv_nsec outside [0, 1e9) or a
 * negative tv_sec is -EINVAL too (since 2.6). */
TEST(bad_arguments_get_einval)
{
	struct io_event ev[2];
	struct ref_aio ctx;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EINVAL: min_nr or nr out of range");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	EXPECT_EQ(-EINVAL, ref_aio_wait(&ctx, ev, 2, 1, &brief));
	EXPECT_EQ(-EINVAL, ref_aio_wait(&ctx, ev, 1, 2,
					&(struct timespec){ .tv_nsec = 1000000000 }));
	EXPECT_EQ(-EINVAL, ref_aio_wait(&ctx, ev, 1, 2,
					&(struct timespec){ .tv_nsec = -1 }));
	EXPECT_EQ(-EINVAL, ref_aio_wait(&ctx, ev, 1, 2,
					&(struct timespec){ .tv_sec = -1 }));
	EXPECT_EQ(0, ref_aio_free(&ctx));
}

/* io_getevents(2) EINVAL "ctx_id is invalid": a freed context gives
 * -EINVAL from both ref_aio_wait and ref_aio_reap (since 2.6). */
TEST(freed_context_gets_einval)
{
	struct io_event ev[2];
	struct ref_aio ctx, stale;

	CONFORM_DECLARE("2.6", "io_getevents",
			"io_getevents(2) EINVAL: ctx_id is invalid");
	CONFORM_REQUIRE_AIO();
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(0, ref_aio_free(&ctx));
	EXPECT_EQ(-EINVAL, ref_aio_wait(&ctx, ev, 1, 2, &brief));
	EXPECT_EQ(-EINVAL, ref_aio_reap(&ctx, ev, 2));
	/* A stale copy still points at the unmapped ring: ref must not be
	 * given it; with its ring pointer dropped it reaches the kernel. */
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	stale = ctx;
	ASSERT_EQ(0, ref_aio_free(&ctx));
	stale.ring = NULL;
	EXPECT_EQ(-EINVAL, ref_aio_wait(&stale, ev, 1, 2, &brief));
}

/*
 * fs/aio.c: io_getevents interrupted by a signal with no event fails with
 * EINTR (never restarted); ref/aio.h: ref_aio_wait retries it. The helper
 * thread signals the wait once it is asleep in io_getevents; the handler
 * then writes the pipe a poll waits on, so the event exists only after
 * the interrupted call returned: a wait that did not retry would return
 * -EINTR. One signal handled, one event (since 4.19 for the poll).
 */
static int handler_pipe = -1;

static void write_pipe_on_signal(int signo)
{
	conform_on_signal(signo);
	(void)!write(handler_pipe, "x", 1);
}

TEST(eintr_is_retried)
{
	struct ref_aio_case_signaller sig;
	struct iocb cb, *list[1] = { &cb };
	struct sigaction sa;
	struct io_event ev;
	struct ref_aio ctx;
	int p[2], n;

	CONFORM_DECLARE("4.19", "IOCB_CMD_POLL",
			"fs/aio.c io_getevents: a wait ended by a signal "
			"returns -EINTR; ref/aio.h retries");
	AIO_REQUIRE_POLL();
	CONFORM_REQUIRE(ref_aio_case_syscall_file_missing());
	ASSERT_EQ(0, conform_pipe(p));
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ref_aio_prep_poll(&cb, p[0], POLLIN | POLLRDNORM, 42);
	ASSERT_EQ(1, ref_aio_submit(&ctx, list, 1));
	handler_pipe = p[1];
	ASSERT_EQ(0, ref_aio_case_count_signal(SIGUSR1));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = write_pipe_on_signal;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, ref_aio_case_signaller_start(&sig, SIGUSR1, false));
	n = ref_aio_wait(&ctx, &ev, 1, 1, &(struct timespec){ .tv_sec = 5 });
	ref_aio_case_signaller_stop(&sig);
	if (sig.unreadable)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the wait asleep");
	ASSERT_EQ(1, sig.sent);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	ASSERT_EQ(1, n);
	EXPECT_EQ(42u, ev.data);
	EXPECT_EQ(POLLIN | POLLRDNORM, ev.res);
out:
	EXPECT_EQ(0, ref_aio_free(&ctx));
	close(p[0]);
	close(p[1]);
}

/*
 * ref/aio.h: the deadline is fixed once, so EINTR retries cannot extend
 * it. The helper thread signals the wait every time it sees it asleep in
 * io_getevents, for as long as it waits: a wait that restarted its full
 * timeout after each EINTR would never end (and the harness would time the
 * test out). Nothing can complete, so the wait ends by its 50 ms timeout
 * with 0 events, never -EINTR, after at least one signal (io_getevents
 * since 2.6; the helper reads /proc/<pid>/task/<tid>/syscall, 2.6.27, so
 * this TEST's first kernel is 2.6.27).
 */
TEST(eintr_retries_keep_the_deadline)
{
	const struct timespec timeout = { .tv_nsec = 50 * 1000 * 1000 };
	struct ref_aio_case_signaller sig;
	struct io_event ev;
	struct ref_aio ctx;
	int n, sent;

	CONFORM_DECLARE("2.6.27", "io_getevents",
			"io_getevents(2) EINTR; ref/aio.h keeps the deadline; "
			"proc(5) /proc/pid/syscall (2.6.27) to see the wait");
	CONFORM_REQUIRE_AIO();
	CONFORM_REQUIRE(ref_aio_case_syscall_file_missing());
	ASSERT_EQ(0, ref_aio_init(&ctx, 4));
	ASSERT_EQ(0, ref_aio_case_count_signal(SIGUSR1));
	ASSERT_EQ(0, ref_aio_case_signaller_start(&sig, SIGUSR1, true));
	n = ref_aio_wait(&ctx, &ev, 1, 1, &timeout);
	sent = ref_aio_case_signaller_stop(&sig);
	if (sig.unreadable)
		SKIP(goto out, CONFORM_ENV "/proc/self/task/<tid>/syscall unreadable: cannot see the wait asleep");
	if (sent == 0)
		SKIP(goto out, CONFORM_UNSEEN "the helper did not see the wait asleep within its 50 ms: nothing interrupted");
	EXPECT_EQ(0, n);
	/* Signals sent while one is still pending merge into it. */
	EXPECT_LE(1, conform_signal_count(SIGUSR1));
	EXPECT_GE(sent, conform_signal_count(SIGUSR1));
out:
	EXPECT_EQ(0, ref_aio_free(&ctx));
}

TEST_HARNESS_MAIN
