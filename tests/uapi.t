#!/usr/bin/env bash
# Every io_uring uapi number lives once, in ref/include/ref/uapi.h (as
# REF_<kernel name>): no case program or case helper defines a kernel
# constant or copies a uapi structure of its own.
. "$(dirname "$0")/lib.sh"
plan 3

uapi=ref/include/ref/uapi.h
kernel_names='(IORING|IOSQE|IOU|IO_URING|SOCKET_URING_OP|FUTEX2|ZCRX)_[A-Z0-9_]+'

# A #define of such a name, or one whose comment says it stands for one.
grep -nE "^[[:space:]]*#[[:space:]]*define[[:space:]]+(REF_)?$kernel_names\b|^[[:space:]]*#[[:space:]]*define[[:space:]]+[A-Z0-9_]+[[:space:]].*/\*.*\b$kernel_names\b" \
	cases/*/*.c harness/case/*.h >"$TMP/defs"
[ ! -s "$TMP/defs" ]
ok $? "no case or case helper defines an io_uring uapi number ($uapi has them)" || sed 's/^/# /' "$TMP/defs"

# A structure with the name of an io_uring uapi structure.
grep -nE "^[[:space:]]*struct[[:space:]]+(io_uring|io_sqring|io_cqring|futex_waitv)[a-z0-9_]*[[:space:]]*\{" \
	cases/*/*.c harness/case/*.h >"$TMP/structs"
[ ! -s "$TMP/structs" ]
ok $? "no case or case helper declares a uapi structure of its own" || sed 's/^/# /' "$TMP/structs"

# Each REF_ name is defined once.
grep -oE "^#define[[:space:]]+REF_[A-Z0-9_]+" "$uapi" | awk '{print $2}' | sort | uniq -d >"$TMP/dups"
[ ! -s "$TMP/dups" ]
ok $? "each REF_ name is defined once in $uapi ($(grep -cE '^#define[[:space:]]+REF_' "$uapi") names)" || sed 's/^/# /' "$TMP/dups"
finish
