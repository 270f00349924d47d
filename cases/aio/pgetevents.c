// SPDX-License-Identifier: MIT
/*
 * aio/pgetevents: io_pgetevents, the io_getevents variant that installs a
 * signal mask for the duration of the wait (as ppoll/pselect do), through the
 * raw system call. Signals are made pending before the call, so the wait is
 * interrupted (or not) deterministically.
 * Sources: kernel commit 7a074e96dee6 "aio: implement io_pgetevents" (Linux
 * 4.18: "the io_getevents equivalent of ppoll/pselect"), ppoll(2) for the
 * mask semantics, io_getevents(2).
 */
#include <signal.h>

#include "conform_aio.h"

/* NULL if io_pgetevents exists (4.18); else why not. */
static const char *pgetevents_missing(void)
{
	static char why[128];
	struct timespec zero = { 0 };
	struct io_event ev;
	aio_context_t ctx = 0;
	const char *aio_why = conform_aio_unavailable();
	long ret;
	int err;

	if (aio_why)
		return aio_why;
	if (aio_sys_setup(1, &ctx))
		return CONFORM_ENV "io_setup failed for the io_pgetevents probe";
	ret = aio_sys_pgetevents(ctx, 0, 1, &ev, &zero, NULL);
	err = errno;
	aio_sys_destroy(ctx);
	if (ret == 0)
		return NULL;
	snprintf(why, sizeof(why), "io_pgetevents: %s%s", strerror(err),
		 err == ENOSYS ? " (system call not available)" : "");
	return why;
}

/* 7a074e96dee6 (4.18): with a NULL signal argument io_pgetevents behaves as io_getevents and returns the completed event. */
TEST(null_sigmask_returns_completed_event)
{
	static char buf[1024];
	struct timespec bound = { .tv_sec = 1 };
	struct iocb cb, *list[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; a NULL usig acts as io_getevents(2)");
	CONFORM_REQUIRE(pgetevents_missing());
	fd = conform_temp_file(4096, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	aio_prep_rw(&cb, IOCB_CMD_PREAD, fd, buf, sizeof(buf), 2048, 77);
	ASSERT_EQ(1, aio_sys_submit(ctx, 1, list));
	ASSERT_EQ(1, aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, NULL));
	EXPECT_EQ(77, ev.data);
	EXPECT_EQ(sizeof(buf), (size_t)ev.res);
	EXPECT_TRUE(conform_check_pattern(buf, sizeof(buf), 2048));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
	close(fd);
}

/*
 * 7a074e96dee6 (4.18), as ppoll(2): the mask is installed for the wait, so
 * a pending signal that it unblocks interrupts the wait: -1 with EINTR when
 * no event was read, and the handler runs.
 */
TEST(mask_unblocking_pending_signal_gets_eintr)
{
	struct timespec bound = { .tv_sec = 1 };
	struct io_event ev;
	sigset_t none;
	struct ref_aio_sigset usig = { &none, REF_KERNEL_SIGSET_SIZE };
	aio_context_t ctx = 0;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2) EINTR with the mask installed");
	CONFORM_REQUIRE(pgetevents_missing());
	sigemptyset(&none);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	conform_pend_signal(_metadata, SIGUSR1);
	errno = 0;
	EXPECT_EQ(-1, aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, conform_signal_count(SIGUSR1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/* ppoll(2) semantics of the mask (7a074e96dee6, 4.18): the caller's original signal mask is back in force after the call. */
TEST(original_mask_is_restored_after_call)
{
	struct timespec bound = { .tv_sec = 1 };
	struct io_event ev;
	sigset_t none, now;
	struct ref_aio_sigset usig = { &none, REF_KERNEL_SIGSET_SIZE };
	aio_context_t ctx = 0;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2): the original mask is restored");
	CONFORM_REQUIRE(pgetevents_missing());
	sigemptyset(&none);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	conform_pend_signal(_metadata, SIGUSR1);
	ASSERT_EQ(-1, aio_sys_pgetevents(ctx, 1, 1, &ev, &bound, &usig));
	ASSERT_EQ(EINTR, errno);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_EQ(1, sigismember(&now, SIGUSR1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/*
 * ppoll(2) semantics (7a074e96dee6, 4.18): a pending signal that the mask
 * keeps blocked does not interrupt; the wait runs to its timeout and returns
 * 0 events. The 20 ms timeout is only the bound.
 */
TEST(mask_blocking_pending_signal_times_out)
{
	struct timespec shortwait = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_event ev;
	sigset_t usr1;
	struct ref_aio_sigset usig = { &usr1, REF_KERNEL_SIGSET_SIZE };
	aio_context_t ctx = 0;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2): a blocked signal does not interrupt");
	CONFORM_REQUIRE(pgetevents_missing());
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	conform_pend_signal(_metadata, SIGUSR1);
	EXPECT_EQ(0, aio_sys_pgetevents(ctx, 1, 1, &ev, &shortwait, &usig));
	EXPECT_EQ(0, conform_signal_count(SIGUSR1));
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

/* ppoll(2)-style mask argument (7a074e96dee6, 4.18): a sigsetsize other than the kernel's sigset size gets EINVAL. */
TEST(wrong_sigsetsize_gets_einval)
{
	struct timespec zero = { 0 };
	struct io_event ev;
	sigset_t none;
	struct ref_aio_sigset usig = { &none, REF_KERNEL_SIGSET_SIZE / 2 };
	aio_context_t ctx = 0;

	CONFORM_DECLARE("4.18", "io_pgetevents",
			"commit 7a074e96dee6 (4.18): aio: implement io_pgetevents; ppoll(2)-style sigsetsize check, EINVAL");
	CONFORM_REQUIRE(pgetevents_missing());
	sigemptyset(&none);
	ASSERT_EQ(0, aio_sys_setup(4, &ctx));
	errno = 0;
	EXPECT_EQ(-1, aio_sys_pgetevents(ctx, 0, 1, &ev, &zero, &usig));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, aio_sys_destroy(ctx));
}

TEST_HARNESS_MAIN
