// SPDX-License-Identifier: MIT
/*
 * epoll/busy-poll: the per-instance busy-poll parameters of an epoll fd,
 * EPIOCSPARAMS and EPIOCGPARAMS (6.9, struct epoll_params): a new instance
 * reads all zero, set then get round-trips busy_poll_usecs,
 * busy_poll_budget and prefer_busy_poll, and each check of EPIOCSPARAMS
 * fails as the kernel says: __pad not zero, prefer_busy_poll above 1 and
 * busy_poll_usecs above S32_MAX (EINVAL), a budget above NAPI_POLL_WEIGHT
 * without CAP_NET_ADMIN (EPERM), unreadable or unwritable argument
 * (EFAULT); a refused set changes nothing; another ioctl on an epoll fd is
 * EINVAL; the ioctls on a pipe are ENOTTY.
 * Each test probes EPIOCGPARAMS on a new instance first: ENOTTY means a
 * kernel before 6.9 (no ioctl for epoll fds) and the test skips; EOPNOTSUPP
 * means a kernel built without CONFIG_NET_RX_BUSY_POLL (an environment
 * skip). Only the ioctls are tested: whether busy polling then happens
 * needs a NAPI network device (a real or emulated NIC with busy-poll
 * support and its sysctls), which the guests and the host loopback lack.
 * Sources: ioctl_eventpoll(2) (EPIOCSPARAMS, EPIOCGPARAMS, since 6.9);
 * <linux/eventpoll.h>; commit 18e2bf0edf4d "eventpoll: Add epoll ioctl for
 * epoll_params" (6.9); fs/eventpoll.c ep_eventpoll_bp_ioctl() and
 * ep_eventpoll_ioctl().
 */
#include <linux/capability.h>

#include <ref/uapi.h>

#include "conform_epoll.h"

static int get_params(int ep, struct ref_epoll_params *p)
{
	memset(p, 0xa5, sizeof(*p));
	return ioctl(ep, REF_EPIOCGPARAMS, p);
}

static int set_params(int ep, __u32 usecs, __u16 budget, __u8 prefer,
		      __u8 pad)
{
	struct ref_epoll_params p = {
		.busy_poll_usecs = usecs,
		.busy_poll_budget = budget,
		.prefer_busy_poll = prefer,
		.__pad = pad,
	};

	return ioctl(ep, REF_EPIOCSPARAMS, &p);
}

/* NULL when EPIOCGPARAMS works on an epoll fd; else why not. */
static const char *busy_poll_ioctls_missing(void)
{
	static char why[160];
	struct ref_epoll_params p;
	int ep = epoll_create1(EPOLL_CLOEXEC), ret, err;

	if (ep < 0)
		return CONFORM_ENV "epoll_create1 failed: cannot probe EPIOCGPARAMS";
	ret = get_params(ep, &p);
	err = errno;
	close(ep);
	if (ret == 0)
		return NULL;
	if (err == ENOTTY)
		return "EPIOCGPARAMS on an epoll fd: ENOTTY (kernel without the epoll ioctls, before 6.9)";
	if (err == EOPNOTSUPP)
		return CONFORM_ENV "EPIOCGPARAMS on an epoll fd: EOPNOTSUPP (kernel built without CONFIG_NET_RX_BUSY_POLL)";
	snprintf(why, sizeof(why), "EPIOCGPARAMS on an epoll fd: %s",
		 strerror(err));
	return why;
}

#define REQUIRE_BUSY_POLL_IOCTLS() CONFORM_REQUIRE(busy_poll_ioctls_missing())

/* Set (on) or clear CAP_NET_ADMIN in this process's effective set. 0, or
 * -1 with errno. Only in a test child: it stays so until it exits. */
static int set_net_admin(bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int bit = CAP_TO_MASK(CAP_NET_ADMIN);
	int idx = CAP_TO_INDEX(CAP_NET_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (on)
		data[idx].effective |= bit;
	else
		data[idx].effective &= ~bit;
	return (int)syscall(SYS_capset, &hdr, data);
}

/* EPIOCSPARAMS with these fields must fail with err. */
static void expect_set_fails(struct __test_metadata *_metadata, int ep,
			     __u32 usecs, __u16 budget, __u8 prefer, __u8 pad,
			     int err)
{
	errno = 0;
	EXPECT_EQ(-1, set_params(ep, usecs, budget, prefer, pad));
	EXPECT_EQ(err, errno);
}

/*
 * ioctl_eventpoll(2) EPIOCGPARAMS: a new epoll instance has busy polling
 * off: busy_poll_usecs, busy_poll_budget, prefer_busy_poll and __pad all
 * read 0 (since 6.9).
 */
TEST(new_instance_reads_all_zero)
{
	struct ref_epoll_params p;
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCGPARAMS",
			"ioctl_eventpoll(2) EPIOCGPARAMS (since 6.9)");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, get_params(ep, &p));
	EXPECT_EQ(0, p.busy_poll_usecs);
	EXPECT_EQ(0, p.busy_poll_budget);
	EXPECT_EQ(0, p.prefer_busy_poll);
	EXPECT_EQ(0, p.__pad);
	close(ep);
}

/*
 * ioctl_eventpoll(2): EPIOCSPARAMS sets the parameters, EPIOCGPARAMS reads
 * them back: two sets, the second with busy_poll_usecs at its limit
 * S32_MAX, a budget of NAPI_POLL_WEIGHT (allowed without privilege) and
 * prefer_busy_poll 1, each read back as set; the last set turns all off
 * again (since 6.9).
 */
TEST(set_then_get_round_trips)
{
	struct ref_epoll_params p;
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2) EPIOCSPARAMS and EPIOCGPARAMS "
			"(since 6.9)");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, set_params(ep, 150, 8, 0, 0));
	ASSERT_EQ(0, get_params(ep, &p));
	EXPECT_EQ(150, p.busy_poll_usecs);
	EXPECT_EQ(8, p.busy_poll_budget);
	EXPECT_EQ(0, p.prefer_busy_poll);
	EXPECT_EQ(0, p.__pad);
	ASSERT_EQ(0, set_params(ep, INT32_MAX, REF_NAPI_POLL_WEIGHT, 1, 0));
	ASSERT_EQ(0, get_params(ep, &p));
	EXPECT_EQ((__u32)INT32_MAX, p.busy_poll_usecs);
	EXPECT_EQ(REF_NAPI_POLL_WEIGHT, p.busy_poll_budget);
	EXPECT_EQ(1, p.prefer_busy_poll);
	EXPECT_EQ(0, p.__pad);
	ASSERT_EQ(0, set_params(ep, 0, 0, 0, 0));
	ASSERT_EQ(0, get_params(ep, &p));
	EXPECT_EQ(0, p.busy_poll_usecs);
	EXPECT_EQ(0, p.busy_poll_budget);
	EXPECT_EQ(0, p.prefer_busy_poll);
	close(ep);
}

/*
 * ioctl_eventpoll(2): struct epoll_params __pad "Must be zero";
 * fs/eventpoll.c ("pad byte must be zero") fails EPIOCSPARAMS with EINVAL
 * otherwise (since 6.9).
 */
TEST(nonzero_pad_gets_einval)
{
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2) __pad must be zero; "
			"fs/eventpoll.c ep_eventpoll_bp_ioctl()");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	expect_set_fails(_metadata, ep, 10, 8, 0, 1, EINVAL);
	expect_set_fails(_metadata, ep, 10, 8, 0, 0x80, EINVAL);
	close(ep);
}

/*
 * ioctl_eventpoll(2): prefer_busy_poll is a "Boolean preference";
 * fs/eventpoll.c fails EPIOCSPARAMS with EINVAL for a value above 1
 * (since 6.9).
 */
TEST(prefer_busy_poll_above_one_gets_einval)
{
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2) prefer_busy_poll is a Boolean; "
			"fs/eventpoll.c EINVAL above 1");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	expect_set_fails(_metadata, ep, 10, 8, 2, 0, EINVAL);
	expect_set_fails(_metadata, ep, 10, 8, 255, 0, EINVAL);
	close(ep);
}

/*
 * ioctl_eventpoll(2): busy_poll_usecs "cannot exceed INT_MAX";
 * fs/eventpoll.c fails EPIOCSPARAMS with EINVAL above S32_MAX (INT_MAX
 * itself is accepted: set_then_get_round_trips) (since 6.9).
 */
TEST(usecs_above_s32_max_gets_einval)
{
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2) busy_poll_usecs cannot exceed "
			"INT_MAX; fs/eventpoll.c ep_eventpoll_bp_ioctl()");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	expect_set_fails(_metadata, ep, (__u32)INT32_MAX + 1, 8, 0, 0, EINVAL);
	expect_set_fails(_metadata, ep, UINT32_MAX, 8, 0, 0, EINVAL);
	close(ep);
}

/*
 * ioctl_eventpoll(2): busy_poll_budget "cannot exceed NAPI_POLL_WEIGHT
 * (which is 64 as of Linux 6.9), unless" the caller has CAP_NET_ADMIN;
 * fs/eventpoll.c fails EPIOCSPARAMS with EPERM. The test clears
 * CAP_NET_ADMIN from its effective set first (a no-op for an unprivileged
 * run) (since 6.9).
 */
TEST(budget_above_napi_weight_without_cap_net_admin_gets_eperm)
{
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2) busy_poll_budget cannot exceed "
			"NAPI_POLL_WEIGHT without CAP_NET_ADMIN (EPERM)");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_EQ(0, set_net_admin(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	expect_set_fails(_metadata, ep, 10, REF_NAPI_POLL_WEIGHT + 1, 0, 0,
			 EPERM);
	expect_set_fails(_metadata, ep, 10, UINT16_MAX, 0, 0, EPERM);
	close(ep);
}

/*
 * ioctl_eventpoll(2): with CAP_NET_ADMIN a budget above NAPI_POLL_WEIGHT
 * is accepted and read back. Needs root (CAP_NET_ADMIN in the permitted
 * set) (since 6.9).
 */
TEST(budget_above_napi_weight_with_cap_net_admin_is_set)
{
	struct ref_epoll_params p;
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2) busy_poll_budget above "
			"NAPI_POLL_WEIGHT with CAP_NET_ADMIN");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	/* capable() asks the initial user namespace. */
	CONFORM_REQUIRE_ROOT();
	if (set_net_admin(true))
		SKIP(return, CONFORM_ENV "cannot raise CAP_NET_ADMIN (%s): not privileged", strerror(errno));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, set_params(ep, 10, REF_NAPI_POLL_WEIGHT + 1, 0, 0));
	ASSERT_EQ(0, get_params(ep, &p));
	EXPECT_EQ(REF_NAPI_POLL_WEIGHT + 1, p.busy_poll_budget);
	close(ep);
}

/*
 * fs/eventpoll.c ep_eventpoll_bp_ioctl(): every check comes before the
 * parameters are stored, so a refused EPIOCSPARAMS (each kind of EINVAL,
 * and EPERM) leaves what the last good one set (since 6.9).
 */
TEST(refused_set_changes_nothing)
{
	struct ref_epoll_params p;
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl_eventpoll(2); fs/eventpoll.c "
			"ep_eventpoll_bp_ioctl() checks before storing");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_EQ(0, set_net_admin(false));
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	ASSERT_EQ(0, set_params(ep, 77, 5, 1, 0));
	expect_set_fails(_metadata, ep, 1, 1, 0, 1, EINVAL);
	expect_set_fails(_metadata, ep, 1, 1, 2, 0, EINVAL);
	expect_set_fails(_metadata, ep, UINT32_MAX, 1, 0, 0, EINVAL);
	expect_set_fails(_metadata, ep, 1, REF_NAPI_POLL_WEIGHT + 1, 0, 0,
			 EPERM);
	ASSERT_EQ(0, get_params(ep, &p));
	EXPECT_EQ(77, p.busy_poll_usecs);
	EXPECT_EQ(5, p.busy_poll_budget);
	EXPECT_EQ(1, p.prefer_busy_poll);
	close(ep);
}

/*
 * ioctl(2) EFAULT "argp references an inaccessible memory area": a
 * PROT_NONE page as the argument of EPIOCSPARAMS (read) and of
 * EPIOCGPARAMS (written), and a read-only page for EPIOCGPARAMS
 * (since 6.9).
 */
TEST(inaccessible_argument_gets_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *none, *ro;
	int ep;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"ioctl(2) EFAULT; ioctl_eventpoll(2) (since 6.9)");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	errno = 0;
	EXPECT_EQ(-1, ioctl(ep, REF_EPIOCSPARAMS, none));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(ep, REF_EPIOCGPARAMS, none));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(ep, REF_EPIOCGPARAMS, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, page);
	munmap(none, page);
	close(ep);
}

/*
 * fs/eventpoll.c ep_eventpoll_ioctl(): an epoll fd knows only EPIOCSPARAMS
 * and EPIOCGPARAMS and answers any other command with EINVAL (not the
 * usual ENOTTY): here command number 3 of the same type and FIONREAD
 * (since 6.9; before it, ENOTTY).
 */
TEST(other_ioctl_on_epoll_fd_gets_einval)
{
	struct ref_epoll_params p;
	int ep, n;

	CONFORM_DECLARE("6.9", "EPIOCSPARAMS",
			"fs/eventpoll.c ep_eventpoll_ioctl(): other commands "
			"get EINVAL (commit 18e2bf0edf4d, 6.9)");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_LE(0, ep = epoll_create1(EPOLL_CLOEXEC));
	errno = 0;
	EXPECT_EQ(-1, ioctl(ep, _IOR(REF_EPOLL_IOC_TYPE, 0x03,
				     struct ref_epoll_params), &p));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(ep, FIONREAD, &n));
	EXPECT_EQ(EINVAL, errno);
	close(ep);
}

/*
 * ioctl(2) ENOTTY "The specified request does not apply to the kind of
 * object that the file descriptor fd references": EPIOCSPARAMS and
 * EPIOCGPARAMS on a pipe (since 6.9, the ioctls).
 */
TEST(params_ioctls_on_pipe_get_enotty)
{
	struct ref_epoll_params p;
	int fds[2];

	CONFORM_DECLARE("6.9", "EPIOCGPARAMS",
			"ioctl(2) ENOTTY; ioctl_eventpoll(2) (since 6.9)");
	EPOLL_REQUIRE();
	REQUIRE_BUSY_POLL_IOCTLS();
	ASSERT_EQ(0, conform_pipe(fds));
	errno = 0;
	EXPECT_EQ(-1, get_params(fds[0], &p));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, set_params(fds[0], 10, 8, 0, 0));
	EXPECT_EQ(ENOTTY, errno);
	close(fds[0]);
	close(fds[1]);
}

TEST_HARNESS_MAIN
