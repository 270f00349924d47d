#!/usr/bin/env bash
# Every io_uring uapi number lives once, in ref/include/ref/uapi.h (as
# REF_<kernel name>): no case program or case helper defines a kernel
# constant or copies a uapi structure of its own.
. "$(dirname "$0")/lib.sh"
plan 6

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

# harness/uapi-coverage.py on a small header and two programs: a name used
# bare, one as REF_, one through a liburing prep helper, one through a case
# helper, one only in a comment (not used), *_BIT left out.
mkdir -p "$TMP/cov/cases/uring"
cat >"$TMP/cov/io_uring.h" <<'H'
enum io_uring_op { IORING_OP_NOP, IORING_OP_READV, IORING_OP_PIPE, IORING_OP_LAST };
#define IORING_SETUP_IOPOLL (1U << 0)
#define IORING_SETUP_SQPOLL (1U << 1)
#define IORING_FEAT_X (1U << 3) /* IORING_FEAT_IN_COMMENT */
enum { IOSQE_FIXED_FILE_BIT };
H
cat >"$TMP/cov/liburing.h" <<'H'
static inline void io_uring_prep_rw(int op) { (void)op; }
static inline void io_uring_prep_readv(void) { io_uring_prep_rw(IORING_OP_READV); }
H
printf 'static inline unsigned int sq_flags(void)\n{\n\treturn IORING_SETUP_SQPOLL;\n}\n' >"$TMP/cov/helpers.h"
printf 'int a = IORING_OP_NOP | REF_IORING_SETUP_IOPOLL; /* IORING_OP_PIPE */\n' >"$TMP/cov/cases/uring/a.c"
printf 'void b(void) { io_uring_prep_readv(); sq_flags(); } const char *s = "IORING_FEAT_X";\n' >"$TMP/cov/cases/uring/b.c"
"$PY" harness/uapi-coverage.py --header "$TMP/cov/io_uring.h" --cases "$TMP/cov/cases" \
	--liburing "$TMP/cov/liburing.h" --case-helpers "$TMP/cov" >"$TMP/cov/out" 2>&1
grep -q '^\*\*4 of 6 names used (66.7%)' "$TMP/cov/out"
ok $? "uapi-coverage counts bare, REF_, prep-helper and case-helper uses, not comments or strings" || sed 's/^/# /' "$TMP/cov/out"
"$PY" harness/uapi-coverage.py --header "$TMP/cov/io_uring.h" --cases "$TMP/cov/cases" \
	--liburing "$TMP/cov/liburing.h" --case-helpers "$TMP/cov" --list-missing >"$TMP/cov/missing"
is "$(tr '\n' ' ' <"$TMP/cov/missing")" "IORING_FEAT_X IORING_OP_PIPE " "and lists the unused names"
"$PY" harness/uapi-coverage.py --header "$TMP/cov/nonexistent.h" >/dev/null 2>&1
is "$?" 2 "a missing header is exit 2"
finish
