// SPDX-License-Identifier: MIT
/*
 * guest-exit V - end the QEMU guest through isa-debug-exit (port 0xf4):
 * QEMU exits with status 2*V+1. Used by the initramfs's /init; the Debian
 * kernels have no /dev/port (CONFIG_DEVPORT is off), hence this program.
 * Returns only when the write did not end QEMU (no such device): status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	char *end;
	long v;

	if (argc != 2) {
		fprintf(stderr, "usage: guest-exit VALUE (0-255)\n");
		return 2;
	}
	v = strtol(argv[1], &end, 0);
	if (*end || v < 0 || v > 255) {
		fprintf(stderr, "guest-exit: '%s' is not 0-255\n", argv[1]);
		return 2;
	}
	if (ioperm(0xf4, 4, 1) < 0) {
		fprintf(stderr, "guest-exit: ioperm: %s\n", strerror(errno));
		return 1;
	}
	outb((unsigned char)v, 0xf4);
	fprintf(stderr, "guest-exit: no isa-debug-exit device at 0xf4\n");
	return 1;
}
