/* SPDX-License-Identifier: MIT */
/*
 * skip_reasons.h - the two prefixes of a skip reason that explain a skip by
 * something outside the kernel's version. Shared by the case helpers
 * (conform.h) and the runner, which judges skips by them.
 *
 * A TEST that skips on a kernel at or after its since (CONFORM_DECLARE)
 * fails the run as an "unexpected skip", unless its reason starts with:
 *   CONFORM_ENV     this machine or guest: missing privilege or capability,
 *                   a sysctl, a seccomp filter or a config option that
 *                   refuses a whole interface (ENOSYS/EPERM), an rlimit, a
 *                   filesystem of TMPDIR without the feature, no /proc or
 *                   /sys, the loopback interface down;
 *   CONFORM_UNSEEN  the test could not bring about or see the state it needs
 *                   (a thread seen asleep, a race window), which load or
 *                   emulation can deny on any kernel.
 * Any other skip says the kernel lacks what the TEST needs: expected before
 * its since, a regression after it. The reports flag every skip at or after
 * since, explained or not.
 */
#ifndef AIOCONF_SKIP_REASONS_H
#define AIOCONF_SKIP_REASONS_H

#define CONFORM_ENV "environment: "
#define CONFORM_UNSEEN "not observed: "

#endif
