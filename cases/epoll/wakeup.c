// SPDX-License-Identifier: MIT
/*
 * epoll/wakeup: what epoll_ctl(2) does with EPOLLWAKEUP, a flag that needs
 * a privilege: silently dropped without CAP_BLOCK_SUSPEND (kept with it,
 * where the kernel has wakeup sources), seen through the entry's line in
 * /proc/self/fdinfo/<epfd>.
 * Not tested here: ENOSPC at /proc/sys/fs/epoll/max_user_watches. The limit
 * is one system-wide value, and lowering it even for a moment makes every
 * other process of the same user (cases running alongside, the host's own
 * daemons when run as root) fail its EPOLL_CTL_ADD.
 * Sources: epoll_ctl(2) EPOLLWAKEUP (since 3.5) and BUGS; proc(5)
 * /proc/pid/fdinfo (epoll entries "tfd: ... events: ...", since 3.8).
 */
#include <linux/capability.h>

#include "conform_epoll.h"

enum { TAG = 0x11 };

/*
 * epoll_ctl(2): EPOLLERR and EPOLLHUP are always waited for; the kernel adds
 * them to the mask of every entry at EPOLL_CTL_ADD and EPOLL_CTL_MOD, and
 * fdinfo shows the mask so completed.
 */
#define ALWAYS (EPOLLERR | EPOLLHUP)

/*
 * The events mask of the entry for fd in /proc/self/fdinfo/<ep> (proc(5):
 * "tfd: <fd> events: <hex mask> data: ..."), or -1 when it cannot be read.
 */
static long fdinfo_events(int ep, int fd)
{
	char path[64], line[256];
	long events = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int tfd;
		unsigned int ev;

		if (sscanf(line, "tfd: %d events: %x", &tfd, &ev) == 2 && tfd == fd) {
			events = ev;
			break;
		}
	}
	fclose(f);
	return events;
}

/* NULL if the fdinfo of an epoll fd lists its entries; else why not. */
static const char *fdinfo_unusable(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2];
	long ev = -1;

	if (ep < 0 || conform_pipe(p)) {
		if (ep >= 0)
			close(ep);
		return CONFORM_ENV "cannot make an epoll fd and a pipe for the fdinfo probe";
	}
	if (epoll_ctl_tag(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, TAG) == 0)
		ev = fdinfo_events(ep, p[0]);
	close(ep);
	close(p[0]);
	close(p[1]);
	return ev == (EPOLLIN | ALWAYS) ? NULL :
	       CONFORM_ENV "/proc/self/fdinfo/<epfd> unreadable or without tfd lines (no /proc, or kernel before 3.8)";
}

/* Set (on) or clear CAP_BLOCK_SUSPEND in this process's effective set.
 * 0, or -1 with errno. Only in a test child: it stays so until it exits. */
static int set_block_suspend(bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int bit = CAP_TO_MASK(CAP_BLOCK_SUSPEND);
	int idx = CAP_TO_INDEX(CAP_BLOCK_SUSPEND);

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (on)
		data[idx].effective |= bit;
	else
		data[idx].effective &= ~bit;
	return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * epoll_ctl(2) BUGS: "If EPOLLWAKEUP is specified in flags, but the caller
 * does not have the CAP_BLOCK_SUSPEND capability, then the EPOLLWAKEUP flag
 * is silently ignored" (since 3.5): EPOLL_CTL_ADD succeeds and the entry's
 * mask, as fdinfo shows it, is the rest of what was asked (plus the
 * EPOLLERR|EPOLLHUP every entry gets). Seen through fdinfo: since 3.8.
 */
TEST(add_with_wakeup_without_cap_drops_the_flag)
{
	int ep, p[2];

	CONFORM_DECLARE("3.8", "EPOLLWAKEUP",
			"epoll_ctl(2) BUGS EPOLLWAKEUP silently ignored "
			"without CAP_BLOCK_SUSPEND (3.5); proc(5) fdinfo tfd "
			"lines (3.8)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_unusable());
	ASSERT_EQ(0, set_block_suspend(false));
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLWAKEUP, TAG);
	EXPECT_EQ(EPOLLIN | ALWAYS, fdinfo_events(ep, p[0]));
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2) BUGS (since 3.5): the same silent drop applies to
 * EPOLL_CTL_MOD: the modified entry holds the new mask without EPOLLWAKEUP
 * (seen through fdinfo: since 3.8).
 */
TEST(mod_with_wakeup_without_cap_drops_the_flag)
{
	int ep, p[2];

	CONFORM_DECLARE("3.8", "EPOLLWAKEUP",
			"epoll_ctl(2) BUGS EPOLLWAKEUP silently ignored "
			"without CAP_BLOCK_SUSPEND (3.5); proc(5) fdinfo tfd "
			"lines (3.8)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_unusable());
	ASSERT_EQ(0, set_block_suspend(false));
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN, TAG);
	ASSERT_EQ(0, epoll_ctl_tag(ep, EPOLL_CTL_MOD, p[0],
				   EPOLLIN | EPOLLOUT | EPOLLWAKEUP, TAG));
	EXPECT_EQ(EPOLLIN | EPOLLOUT | ALWAYS, fdinfo_events(ep, p[0]));
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2) EPOLLWAKEUP (since 3.5): with CAP_BLOCK_SUSPEND the flag is
 * kept on the entry (seen through fdinfo: since 3.8). Variant
 * (fs/eventpoll.c, ep_take_care_of_epollwakeup): a kernel without
 * CONFIG_PM_SLEEP has no wakeup sources and drops the flag
 * even for a capable caller; /sys/power/wakeup_count exists exactly when
 * CONFIG_PM_SLEEP is set, and the test asserts the matching variant.
 */
TEST(add_with_wakeup_with_cap_keeps_flag_where_pm_sleep_exists)
{
	bool pm_sleep;
	int ep, p[2];

	CONFORM_DECLARE("3.8", "EPOLLWAKEUP",
			"epoll_ctl(2) EPOLLWAKEUP (3.5); fs/eventpoll.c "
			"ep_take_care_of_epollwakeup(); proc(5) fdinfo tfd "
			"lines (3.8)");
	EPOLL_REQUIRE();
	CONFORM_REQUIRE(fdinfo_unusable());
	if (access("/sys/kernel", F_OK))
		SKIP(return, CONFORM_ENV "/sys not mounted: cannot tell whether the kernel has CONFIG_PM_SLEEP");
	if (set_block_suspend(true))
		SKIP(return, CONFORM_ENV "cannot raise CAP_BLOCK_SUSPEND (%s)", strerror(errno));
	pm_sleep = access("/sys/power/wakeup_count", F_OK) == 0;
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLWAKEUP, TAG);
	if (pm_sleep) {
		EXPECT_EQ(EPOLLIN | EPOLLWAKEUP | ALWAYS, fdinfo_events(ep, p[0]));
	} else {
		TH_LOG("no /sys/power/wakeup_count: kernel without CONFIG_PM_SLEEP drops EPOLLWAKEUP");
		EXPECT_EQ(EPOLLIN | ALWAYS, fdinfo_events(ep, p[0]));
	}
	close(ep);
	close(p[0]);
	close(p[1]);
}

/*
 * epoll_ctl(2): EPOLLWAKEUP is an input flag, not an event: an entry that
 * asked for it reports only the readiness (EPOLLIN), whether the flag was
 * kept or dropped (since 3.5).
 */
TEST(wakeup_entry_reports_plain_epollin)
{
	struct epoll_event ev[2];
	int ep, p[2];

	CONFORM_DECLARE("3.5", "EPOLLWAKEUP",
			"epoll_ctl(2) EPOLLWAKEUP (since 3.5) is an input "
			"flag");
	EPOLL_REQUIRE();
	epoll_new_watching_pipe(_metadata, &ep, p, EPOLLIN | EPOLLWAKEUP, TAG);
	ASSERT_EQ(1, write(p[1], "w", 1));
	ASSERT_EQ(1, epoll_wait(ep, ev, 2, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(TAG, ev[0].data.u64);
	close(ep);
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
