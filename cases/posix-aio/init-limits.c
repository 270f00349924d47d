// SPDX-License-Identifier: MIT
/*
 * posix-aio/init-limits: glibc's aio_init (a GNU extension) beyond
 * posix-aio/request-queue - a call after the first request is ignored, and
 * the default thread limit of 20 - and the POSIX limits and options of
 * asynchronous I/O: sysconf of _SC_AIO_MAX, _SC_AIO_LISTIO_MAX,
 * _SC_AIO_PRIO_DELTA_MAX, _SC_ASYNCHRONOUS_IO and _SC_PRIORITIZED_IO
 * against <limits.h> and <unistd.h>, an aio_reqprio above
 * AIO_PRIO_DELTA_MAX, and prioritized I/O ordering the queue of a
 * descriptor.
 * Sources: aio_init(3) and the glibc manual "Configuration of AIO" (struct
 * aioinit; "to be effective, it must be called before employing any other
 * functions in the POSIX AIO API"; aio_threads "The default value is 20");
 * POSIX.1-2017 XBD <limits.h> (Runtime Invariant Values, Possibly
 * Indeterminate: AIO_LISTIO_MAX, AIO_MAX, AIO_PRIO_DELTA_MAX; Minimum
 * Values: _POSIX_AIO_LISTIO_MAX 2, _POSIX_AIO_MAX 1), <unistd.h>
 * (_POSIX_ASYNCHRONOUS_IO, _POSIX_PRIORITIZED_IO 200809L); XSH sysconf()
 * RETURN VALUE, aio_read() DESCRIPTION and ERRORS (aio_reqprio).
 *
 * Each TEST runs in a fresh child of a process that made no AIO call, so
 * an aio_init there can come first. Requests that must stay pending read
 * empty pipes; one that must not have run is shown by a bounded
 * aio_suspend running out (EAGAIN).
 *
 * First kernel: glibc runs POSIX AIO in its own threads, and sysconf
 * answers these names from its own constants: since is 2.6.0 in every
 * declaration; a static glibc 2.36 binary itself needs 3.2 to start.
 */
#include <aio.h>
#include <limits.h>
#include <unistd.h>

#include "conform_posix_aio.h"

/*
 * glibc aio_init(3) DESCRIPTION: "to be effective, it must be called before employing any
 * other functions in the POSIX AIO API" (glibc keeps the values it had once
 * its request table exists). After a first request has completed,
 * aio_init with aio_threads 1 changes nothing: two reads of two empty
 * pipes still run side by side - the second completes when its pipe is
 * written while the first still waits.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(aio_init_after_the_first_request_is_ignored)
{
	unsigned char fbuf[64], b1[4], b2[4];
	struct aiocb first, c1, c2;
	struct aioinit init;
	int p1[2], p2[2], fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_init",
			"glibc aio_init(3) DESCRIPTION: to take effect it "
			"must be called before any other POSIX AIO function; "
			"called after a first request, aio_threads 1 changes "
			"nothing");
	ASSERT_LE(0, fd);
	posix_aio_prep(&first, fd, fbuf, sizeof(fbuf), 0);
	ASSERT_EQ(0, aio_read(&first));
	ASSERT_EQ(0, posix_aio_wait_done(&first));
	memset(&init, 0, sizeof(init));
	init.aio_threads = 1;
	init.aio_num = 32;
	aio_init(&init);
	ASSERT_EQ(0, conform_pipe(p1));
	ASSERT_EQ(0, conform_pipe(p2));
	posix_aio_prep(&c1, p1[0], b1, sizeof(b1), 0);
	posix_aio_prep(&c2, p2[0], b2, sizeof(b2), 0);
	ASSERT_EQ(0, aio_read(&c1));
	ASSERT_EQ(0, aio_read(&c2));
	ASSERT_EQ(2, write(p2[1], "c2", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&c2));
	EXPECT_EQ(2, aio_return(&c2));
	EXPECT_EQ(EINPROGRESS, aio_error(&c1));
	ASSERT_EQ(2, write(p1[1], "c1", 2));
	ASSERT_EQ(0, posix_aio_wait_done(&c1));
	EXPECT_EQ(2, aio_return(&c1));
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	close(fd);
}

/*
 * glibc aio_init(3) DESCRIPTION: aio_threads, "If the number of outstanding I/O operations
 * exceeds this limit, then excess operations will be queued until a
 * worker thread becomes free ... The default value is 20." Without
 * aio_init, 20 reads of 20 empty pipes take the 20 workers; a 21st read,
 * of a pipe that already holds data, waits; it runs once one of the 20
 * is done.
 * First kernel: 2.6.0 (glibc/POSIX behaviour on read in threads).
 */
TEST(default_thread_limit_is_twenty)
{
	static unsigned char bufs[21][4];
	static struct aiocb cbs[21];
	int p[21][2];

	CONFORM_DECLARE("2.6.0", "aio_init",
			"glibc aio_init(3) DESCRIPTION: aio_threads defaults "
			"to 20 worker threads; with 20 requests blocked a "
			"21st waits until one is free");
	for (int i = 0; i < 21; i++)
		ASSERT_EQ(0, conform_pipe(p[i]));
	ASSERT_EQ(4, write(p[20][1], "last", 4));
	for (int i = 0; i < 21; i++) {
		posix_aio_prep(&cbs[i], p[i][0], bufs[i], 4, 0);
		ASSERT_EQ(0, aio_read(&cbs[i]));
	}
	EXPECT_TRUE(posix_aio_still_in_progress(&cbs[20]));
	ASSERT_EQ(1, write(p[0][1], "0", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[0]));
	ASSERT_EQ(0, posix_aio_wait_done(&cbs[20]));
	EXPECT_EQ(4, aio_return(&cbs[20]));
	EXPECT_EQ(0, memcmp(bufs[20], "last", 4));
	for (int i = 1; i < 20; i++) {
		EXPECT_EQ(EINPROGRESS, aio_error(&cbs[i]));
		ASSERT_EQ(1, write(p[i][1], "x", 1));
	}
	for (int i = 0; i < 21; i++) {
		ASSERT_EQ(0, posix_aio_wait_done(&cbs[i]));
		close(p[i][0]);
		close(p[i][1]);
	}
}

/*
 * POSIX.1-2017 sysconf() RETURN VALUE: for a <limits.h> maximum that has no
 * limit, sysconf() returns -1 without changing errno; otherwise a value no
 * more restrictive than <limits.h> gives. <limits.h>: AIO_MAX, the maximum
 * number of outstanding asynchronous I/O operations, is at least
 * _POSIX_AIO_MAX (1) and omitted where indeterminate. glibc defines no
 * AIO_MAX: sysconf(_SC_AIO_MAX) is -1, errno 0. Where AIO_MAX is defined,
 * sysconf gives it, at least _POSIX_AIO_MAX.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(sysconf_aio_max_matches_limits_h)
{
	long v;

	CONFORM_DECLARE("2.6.0", "sysconf",
			"POSIX.1-2017 sysconf() RETURN VALUE: -1 with errno "
			"unchanged for a limit without a fixed value, here "
			"_SC_AIO_MAX as glibc's <limits.h> defines no "
			"AIO_MAX; else AIO_MAX, at least _POSIX_AIO_MAX (1)");
	EXPECT_EQ(1, _POSIX_AIO_MAX);
	errno = 0;
	v = sysconf(_SC_AIO_MAX);
#ifdef AIO_MAX
	EXPECT_EQ(AIO_MAX, v);
	EXPECT_LE(_POSIX_AIO_MAX, v);
#else
	EXPECT_EQ(-1, v);
	EXPECT_EQ(0, errno);
#endif
}

/*
 * POSIX.1-2017 sysconf() RETURN VALUE: -1 without changing errno for a
 * limit with no fixed value. <limits.h>: AIO_LISTIO_MAX, the maximum number
 * of operations in one list I/O call, is at least _POSIX_AIO_LISTIO_MAX (2)
 * and omitted where indeterminate. glibc defines none:
 * sysconf(_SC_AIO_LISTIO_MAX) is -1, errno 0.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(sysconf_aio_listio_max_matches_limits_h)
{
	long v;

	CONFORM_DECLARE("2.6.0", "sysconf",
			"POSIX.1-2017 sysconf() RETURN VALUE: -1 with errno "
			"unchanged for a limit without a fixed value, here "
			"_SC_AIO_LISTIO_MAX as glibc defines no "
			"AIO_LISTIO_MAX; else that value, at least "
			"_POSIX_AIO_LISTIO_MAX (2)");
	EXPECT_EQ(2, _POSIX_AIO_LISTIO_MAX);
	errno = 0;
	v = sysconf(_SC_AIO_LISTIO_MAX);
#ifdef AIO_LISTIO_MAX
	EXPECT_EQ(AIO_LISTIO_MAX, v);
	EXPECT_LE(_POSIX_AIO_LISTIO_MAX, v);
#else
	EXPECT_EQ(-1, v);
	EXPECT_EQ(0, errno);
#endif
}

/*
 * POSIX.1-2017 sysconf() RETURN VALUE: the current value of the variable,
 * not more restrictive than the one <limits.h> gives. <limits.h>:
 * AIO_PRIO_DELTA_MAX, the most a process can lower its asynchronous I/O
 * priority below its own scheduling priority, at least 0. glibc defines it
 * (20) and sysconf(_SC_AIO_PRIO_DELTA_MAX) gives the same.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(sysconf_aio_prio_delta_max_matches_limits_h)
{
	CONFORM_DECLARE("2.6.0", "sysconf",
			"POSIX.1-2017 sysconf() RETURN VALUE: the current "
			"value, no more restrictive than <limits.h> gives: "
			"_SC_AIO_PRIO_DELTA_MAX equals AIO_PRIO_DELTA_MAX, "
			"at least 0 (20 in glibc)");
	EXPECT_LE(0, AIO_PRIO_DELTA_MAX);
	EXPECT_EQ(AIO_PRIO_DELTA_MAX, sysconf(_SC_AIO_PRIO_DELTA_MAX));
}

/*
 * POSIX.1-2017 sysconf() RETURN VALUE: the current value of the variable
 * named. <unistd.h>: _POSIX_ASYNCHRONOUS_IO says asynchronous input and
 * output is supported and is always 200809L; sysconf(_SC_ASYNCHRONOUS_IO)
 * gives the same.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(sysconf_asynchronous_io_is_200809)
{
	CONFORM_DECLARE("2.6.0", "sysconf",
			"POSIX.1-2017 sysconf() RETURN VALUE: the value of "
			"the option variable, here _SC_ASYNCHRONOUS_IO equal "
			"to _POSIX_ASYNCHRONOUS_IO, which <unistd.h> always "
			"sets to 200809L");
	EXPECT_EQ(200809L, _POSIX_ASYNCHRONOUS_IO);
	EXPECT_EQ(200809L, sysconf(_SC_ASYNCHRONOUS_IO));
}

/*
 * POSIX.1-2017 sysconf() RETURN VALUE: the current value of the variable
 * named. <unistd.h>: _POSIX_PRIORITIZED_IO, the Prioritized Input and
 * Output option, is -1, 0 or 200809L; glibc supports it (200809L) and
 * sysconf(_SC_PRIORITIZED_IO) gives the same.
 * First kernel: 2.6.0 (glibc/POSIX behaviour: no kernel call at all).
 */
TEST(sysconf_prioritized_io_is_200809)
{
	CONFORM_DECLARE("2.6.0", "sysconf",
			"POSIX.1-2017 sysconf() RETURN VALUE: the value of "
			"the option variable, here _SC_PRIORITIZED_IO equal "
			"to glibc's _POSIX_PRIORITIZED_IO, 200809L");
	EXPECT_EQ(200809L, _POSIX_PRIORITIZED_IO);
	EXPECT_EQ(200809L, sysconf(_SC_PRIORITIZED_IO));
}

/*
 * POSIX.1-2017 aio_read() ERRORS: EINVAL "aio_reqprio is not a valid
 * value"; DESCRIPTION: "If an error condition is encountered during
 * queuing, the function call shall return without having initiated or
 * queued the request." aio_reqprio AIO_PRIO_DELTA_MAX + 1 and INT_MIN:
 * aio_read returns -1 with EINVAL, the buffer is untouched; glibc also sets
 * the block's status to EINVAL and its return to -1 (POSIX leaves the
 * status of a request never queued open).
 * First kernel: 2.6.0 (glibc/POSIX behaviour: refused before any I/O).
 */
TEST(reqprio_out_of_range_is_refused_with_einval)
{
	const int bad[2] = { AIO_PRIO_DELTA_MAX + 1, INT_MIN };
	unsigned char buf[64];
	struct aiocb cb;
	int fd = conform_temp_file(4096, 0);

	CONFORM_DECLARE("2.6.0", "aio_read",
			"POSIX.1-2017 aio_read() ERRORS: EINVAL for an "
			"aio_reqprio that is not valid, above "
			"AIO_PRIO_DELTA_MAX or INT_MIN; the call fails, "
			"nothing is read (glibc: aio(7) ERRORS; glibc also "
			"sets the block's status to EINVAL and its return to "
			"-1)");
	ASSERT_LE(0, fd);
	for (int i = 0; i < 2; i++) {
		memset(buf, 0xa5, sizeof(buf));
		posix_aio_prep(&cb, fd, buf, sizeof(buf), 0);
		cb.aio_reqprio = bad[i];
		errno = 0;
		EXPECT_EQ(-1, aio_read(&cb));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(EINVAL, aio_error(&cb));
		EXPECT_EQ(-1, aio_return(&cb));
		for (size_t j = 0; j < sizeof(buf); j++)
			ASSERT_EQ(0xa5, buf[j]);
	}
	close(fd);
}

/*
 * POSIX.1-2017 aio_write() DESCRIPTION: "If prioritized I/O is supported
 * for this file, then the asynchronous operation shall be submitted at a
 * priority equal to a base scheduling priority minus aiocbp->aio_reqprio."
 * Two writes of one byte each queue on a socket behind a read of it that
 * waits for data: "A" with aio_reqprio 5 first, then "B" with 0. When the
 * read completes, B (the higher priority) is written before A: the peer
 * receives "BA".
 * First kernel: 2.6.0 (glibc/POSIX behaviour on write in threads).
 */
TEST(higher_priority_request_overtakes_a_queued_lower_one)
{
	unsigned char rbuf[4], peer[4];
	struct aiocb rcb, acb, bcb;
	int sv[2];

	CONFORM_DECLARE("2.6.0", "aio_write",
			"POSIX.1-2017 aio_write() DESCRIPTION: with "
			"prioritized I/O a request is submitted at the base "
			"priority minus aio_reqprio, so a queued write with "
			"aio_reqprio 0 goes before one with 5 (glibc: manual "
			"Perform I/O Operations in Parallel, aio_reqprio "
			"lowers the priority of a request)");
	ASSERT_EQ(0, conform_socketpair(sv));
	posix_aio_prep(&rcb, sv[0], rbuf, sizeof(rbuf), 0);
	posix_aio_prep(&acb, sv[0], "A", 1, 0);
	acb.aio_reqprio = 5;
	posix_aio_prep(&bcb, sv[0], "B", 1, 0);
	bcb.aio_reqprio = 0;
	ASSERT_EQ(0, aio_read(&rcb));
	ASSERT_EQ(0, aio_write(&acb));
	ASSERT_EQ(0, aio_write(&bcb));
	EXPECT_TRUE(posix_aio_still_in_progress(&acb));
	ASSERT_EQ(1, write(sv[1], "r", 1));
	ASSERT_EQ(0, posix_aio_wait_done(&rcb));
	ASSERT_EQ(0, posix_aio_wait_done(&acb));
	ASSERT_EQ(0, posix_aio_wait_done(&bcb));
	EXPECT_EQ(1, aio_return(&acb));
	EXPECT_EQ(1, aio_return(&bcb));
	ASSERT_EQ(2, recv(sv[1], peer, sizeof(peer), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(peer, "BA", 2));
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
