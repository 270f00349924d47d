// SPDX-License-Identifier: MIT
/*
 * Linked into the ASan+UBSan builds of case programs (-Wl,--wrap=_exit).
 *
 * kselftest runs every TEST in a forked child that ends with _exit(), and
 * _exit() skips LeakSanitizer's check at exit. So the check runs here first;
 * a test that leaked fails (exit 1), even one that had passed or skipped.
 */
#include <sanitizer/lsan_interface.h>

void __real__exit(int status) __attribute__((noreturn));
void __wrap__exit(int status) __attribute__((noreturn));

void __wrap__exit(int status)
{
	if (__lsan_do_recoverable_leak_check())
		status = 1;
	__real__exit(status);
}
