# aioconf build. Everything built lands in build/; see README.md.
#
#   make deps    install missing packages, extract the kselftest headers
#   make         libref.a, the runner and every case program
#   make cases32 every case program again as an i386 program (build/i386/)
#   make cases-arm64  the runner and every case program for arm64, and the
#                arm64 busybox (build/arm64/; needs harness/deps.sh --for-arm64)
#   make check   build, the project's own tests, then ./run.sh on this kernel
#   make bench   ref/ring against liburing (the system's and sid's), ref/aio's
#                reap against libaio, ref/epoll's dispatch against epoll_wait,
#                side by side (bench/)
#   make bench-matrix  the QEMU matrix's boots, CPU utilisation and per-case
#                cost in a guest (bench/matrix-bench.py, ~7 minutes)
#   make baseline  a full kernel matrix (--matrix all: the arm64 kernels too)
#                into results/baseline/ (committed)
#   make uapi-coverage  which io_uring uapi names of the newest Debian uapi
#                the cases use (results/uapi-coverage.md)
#   make clean

BUILD    := build
KSFT_INC := $(BUILD)/ksft

CC      ?= gcc
# Quiet by default: one "  CC  target" line per program (run.sh counts them
# for its progress line); V=1 prints the commands.
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra $(WERROR)

# Case programs are static so the same binary runs in a busybox initramfs.
# -isystem: the 6.1 harness itself is not -Wextra clean (unused "variant").
CASE_CPPFLAGS := -isystem $(KSFT_INC) -Iharness/case -Iref/include
CASE_LDFLAGS  := -static
CASE_LDLIBS   := $(BUILD)/libref.a -luring -laio -lpthread

REF_SRCS  := $(wildcard ref/*.c)
REF_OBJS  := $(patsubst ref/%.c,$(BUILD)/ref/%.o,$(REF_SRCS))
CASE_SRCS := $(sort $(wildcard cases/*/*.c))
CASE_BINS := $(patsubst cases/%.c,$(BUILD)/cases/%,$(CASE_SRCS))
FIXTURE_SRCS := $(sort $(wildcard tests/fixtures/*.c))
FIXTURE_BINS := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(FIXTURE_SRCS))
KSFT_HDRS := $(KSFT_INC)/kselftest_harness.h $(KSFT_INC)/kselftest.h
REF_HDRS  := $(wildcard ref/include/ref/*.h)

# The project's own unit tests of ref/ (tests/unit/*.c, TAP on stdout).
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
# libFuzzer targets (tests/fuzz/*.c), each linked with ref/ sources.
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_CC   ?= clang-14
BENCH_SRCS := $(sort $(wildcard bench/*.c))
# ring-bench once more against the newest liburing (below): ring-bench-sid.
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS)) $(BUILD)/bench/ring-bench-sid

# The newest uapi: Debian's linux-libc-dev of UAPI_SUITE (sid by default),
# unpacked under build/uapi/ once; `kernels/fetch.sh --refresh --package`
# takes a newer one. uapi-coverage reads it.
UAPI_SUITE ?= sid

# ring-bench's second anchor: the newest liburing, Debian's static one of
# LIBURING_SUITE (sid: 2.15 when written), unpacked by kernels/fetch.sh
# under build/bench/pkg/ (nothing is installed). Its liburing.h includes
# <linux/blkdev.h>, a uapi header Debian 12's linux-libc-dev (6.1) lacks;
# that one comes from the newest uapi (UAPI_SUITE, above), searched only
# after the system's headers.
LIBURING_SUITE ?= sid
NEW_LIBURING   := $(BUILD)/bench/pkg/liburing-dev
MULTIARCH      := $(shell $(CC) -print-multiarch)
SYS_LIBURING   := $(shell dpkg-query -W -f='$${Package} $${Version}' liburing-dev:$$(dpkg --print-architecture) 2>/dev/null)

# ref/ and cases/ref again under ASan+UBSan. Sanitizers need dynamic linking,
# so these binaries are not static; they run on the host only.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
REF_CASE_SRCS := $(sort $(wildcard cases/ref/*.c))
SAN_CASE_BINS := $(patsubst cases/%.c,$(BUILD)/san/cases/%,$(REF_CASE_SRCS))
SAN_REF_OBJS := $(patsubst ref/%.c,$(BUILD)/san/ref/%.o,$(REF_SRCS))

# The same cases as 32-bit x86 programs, for the compat ABI of a 64-bit
# kernel (./run.sh --abi i386): 64-bit file offsets, as Debian builds i386
# programs, and 32-bit time_t, the i386 ABI; i386 liburing and libaio.
I386_FLAGS     := -m32 -D_FILE_OFFSET_BITS=64
I386_REF_OBJS  := $(patsubst ref/%.c,$(BUILD)/i386/ref/%.o,$(REF_SRCS))
I386_CASE_BINS := $(patsubst cases/%.c,$(BUILD)/i386/cases/%,$(CASE_SRCS))

# The same cases for arm64 (./run.sh --kernel 6.1-arm64, --matrix all),
# cross-built with clang: bookworm's gcc-aarch64-linux-gnu conflicts with
# gcc-multilib (the i386 build). Static, against Debian's arm64 liburing
# and libaio of this machine's suite, which kernels/fetch.sh unpacks into
# build/arm64/pkg/ (nothing is installed); the guest's busybox comes the
# same way.
ARM64_CC       ?= clang-14 --target=aarch64-linux-gnu
ARM64_AR       ?= aarch64-linux-gnu-ar
ARM64_SUITE    ?= $(shell . /etc/os-release 2>/dev/null && echo $$VERSION_CODENAME)
ARM64_PKG      := $(BUILD)/arm64/pkg
ARM64_LIBPKGS  := $(ARM64_PKG)/liburing-dev $(ARM64_PKG)/libaio-dev
ARM64_INCLUDES := $(foreach d,$(ARM64_LIBPKGS),-isystem $(d)/usr/include)
ARM64_LIBDIRS  := $(foreach d,$(ARM64_LIBPKGS),-L$(d)/usr/lib/aarch64-linux-gnu)
# clang, unlike gcc, reports what the kselftest harness's macros expand to
# inside the case file: TEST()'s unused "variant" parameter, the ordered
# comparisons ASSERT_NE(SIG_ERR, signal(...)) makes of function pointers,
# the handler loop after an ASSERT with an empty body.
ARM64_CASE_CFLAGS := -Wno-unused-parameter -Wno-ordered-compare-function-pointers -Wno-empty-body
ARM64_REF_OBJS := $(patsubst ref/%.c,$(BUILD)/arm64/ref/%.o,$(REF_SRCS))
ARM64_CASE_BINS := $(patsubst cases/%.c,$(BUILD)/arm64/cases/%,$(CASE_SRCS))

.PHONY: all deps cases cases32 cases-arm64 guest-arm64 fixtures unit fuzz bench bench-matrix sanitize check baseline mutate uapi-coverage posix-trace clean
.DELETE_ON_ERROR:

all: $(BUILD)/libref.a $(BUILD)/runner $(BUILD)/kernels/guest-exit cases

cases: $(CASE_BINS)

deps:
	harness/deps.sh
	@$(MAKE) --no-print-directory $(KSFT_HDRS)

# kselftest_harness.h is not committed: it comes from Debian's linux-source-6.1
# (or from $KSFT_DIR, a kernel tree's tools/testing/selftests).
$(KSFT_HDRS): harness/ksft-headers.sh
	harness/ksft-headers.sh $(KSFT_INC)

$(BUILD)/ref/%.o: ref/%.c $(REF_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -Iref/include -c -o $@ $<

# An archive with no members is valid; ref/ grows in its own issue.
$(BUILD)/libref.a: $(REF_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(REF_OBJS)

# Ends a QEMU guest through isa-debug-exit (Debian kernels have no /dev/port).
$(BUILD)/kernels/guest-exit: kernels/guest-exit.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -static -Os -o $@ $<

$(BUILD)/runner: harness/runner.c harness/case/skip_reasons.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -static -o $@ $<

$(BUILD)/cases/%: cases/%.c $(wildcard harness/case/*.h) $(KSFT_HDRS) $(BUILD)/libref.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(CASE_CPPFLAGS) $(CASE_LDFLAGS) -o $@ $< $(CASE_LDLIBS)

cases32: $(I386_CASE_BINS)

$(BUILD)/i386/ref/%.o: ref/%.c $(REF_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(I386_FLAGS) -Iref/include -c -o $@ $<

$(BUILD)/i386/libref.a: $(I386_REF_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $(I386_REF_OBJS)

$(BUILD)/i386/cases/%: cases/%.c $(wildcard harness/case/*.h) $(KSFT_HDRS) $(BUILD)/i386/libref.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(I386_FLAGS) $(CASE_CPPFLAGS) $(CASE_LDFLAGS) -o $@ $< \
		$(BUILD)/i386/libref.a -luring -laio -lpthread

# Named here, the packages are no intermediate files that make removes.
ARM64_PKGS := $(ARM64_PKG)/liburing-dev/package $(ARM64_PKG)/libaio-dev/package \
	$(ARM64_PKG)/busybox-static/package
cases-arm64: guest-arm64 $(ARM64_PKGS) $(ARM64_CASE_BINS)

# What an arm64 guest needs besides the programs (run.sh -- PROG).
guest-arm64: $(BUILD)/arm64/runner $(ARM64_PKG)/busybox-static/package

# kernels/fetch.sh writes DIR/package last: its presence means unpacked.
$(ARM64_PKG)/%/package:
	@echo "  FETCH   $(@D) (arm64, $(ARM64_SUITE))"
	$(Q)kernels/fetch.sh --arch arm64 --package $(ARM64_SUITE) $* $(@D) >/dev/null

$(BUILD)/arm64/ref/%.o: ref/%.c $(REF_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(ARM64_CC) $(CFLAGS) -Iref/include -c -o $@ $<

$(BUILD)/arm64/libref.a: $(ARM64_REF_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(ARM64_AR) rcs $@ $(ARM64_REF_OBJS)

$(BUILD)/arm64/runner: harness/runner.c harness/case/skip_reasons.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(ARM64_CC) $(CFLAGS) -static -o $@ $<

$(BUILD)/arm64/cases/%: cases/%.c $(wildcard harness/case/*.h) $(KSFT_HDRS) $(BUILD)/arm64/libref.a \
		| $(ARM64_PKG)/liburing-dev/package $(ARM64_PKG)/libaio-dev/package
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(ARM64_CC) $(CFLAGS) $(ARM64_CASE_CFLAGS) $(ARM64_INCLUDES) $(CASE_CPPFLAGS) $(CASE_LDFLAGS) -o $@ $< \
		$(BUILD)/arm64/libref.a $(ARM64_LIBDIRS) -luring -laio -lpthread

$(BUILD)/fixtures/%: tests/fixtures/%.c $(wildcard harness/case/*.h) $(KSFT_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(CASE_CPPFLAGS) -static -o $@ $<

fixtures: $(FIXTURE_BINS)

$(BUILD)/unit/%: tests/unit/%.c $(REF_HDRS) $(BUILD)/libref.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -Iref/include -o $@ $< $(BUILD)/libref.a

unit: $(UNIT_BINS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(REF_SRCS) $(REF_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(FUZZ_CC) -g -O1 -Wall -Wextra -D_GNU_SOURCE -Iref/include \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(REF_SRCS)

fuzz: $(FUZZ_BINS)

$(BUILD)/bench/%: bench/%.c bench/bench.h $(REF_HDRS) $(BUILD)/libref.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -Iref/include -DLIBURING_PACKAGE='"$(SYS_LIBURING) (system)"' \
		-o $@ $< $(BUILD)/libref.a -luring -laio -lpthread

$(BUILD)/bench/ring-bench-sid: bench/ring-bench.c bench/bench.h $(REF_HDRS) $(BUILD)/libref.a \
		| $(NEW_LIBURING)/package $(BUILD)/uapi/$(UAPI_SUITE)/package
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -Iref/include -isystem $(NEW_LIBURING)/usr/include \
		-idirafter $(BUILD)/uapi/$(UAPI_SUITE)/usr/include \
		-DLIBURING_PACKAGE='"'"$$(cat $(NEW_LIBURING)/package)"' ($(LIBURING_SUITE), static)"' \
		-o $@ $< $(BUILD)/libref.a $(NEW_LIBURING)/usr/lib/$(MULTIARCH)/liburing.a -laio -lpthread

# kernels/fetch.sh writes DIR/package last: its presence means unpacked.
$(NEW_LIBURING)/package:
	@echo "  FETCH   $(@D) ($(LIBURING_SUITE))"
	$(Q)kernels/fetch.sh --package $(LIBURING_SUITE) liburing-dev $(@D) >/dev/null

$(BUILD)/uapi/$(UAPI_SUITE)/package:
	@echo "  FETCH   $(@D)"
	$(Q)kernels/fetch.sh --package $(UAPI_SUITE) linux-libc-dev $(@D) >/dev/null

# Each bench prints its table and its targets' verdicts; instructions.sh
# counts ring-bench's user-space instructions per op under callgrind for
# both liburings (these VMs have no hardware counter).
bench: $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b || exit 1; echo; done
	@for b in ring-bench ring-bench-sid; do bench/instructions.sh -b $(BUILD)/bench/$$b || exit 1; echo; done

# The matrix's efficiency: boots one at a time, the whole default matrix's
# CPU utilisation, each case in a guest against the host (~7 minutes).
bench-matrix: all cases32
	/usr/bin/python3 bench/matrix-bench.py

$(BUILD)/san/ref/%.o: ref/%.c $(REF_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -Iref/include -c -o $@ $<

$(BUILD)/san/libref.a: $(SAN_REF_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@
	@echo "  AR      $@"
	$(Q)ar rcs $@ $(SAN_REF_OBJS)

# Test children end with _exit(), which skips LeakSanitizer: san-exit.c runs
# the leak check first.
$(BUILD)/san/cases/%: cases/%.c harness/case/san-exit.c $(wildcard harness/case/*.h) $(KSFT_HDRS) $(BUILD)/san/libref.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(CASE_CPPFLAGS) -Wl,--wrap=_exit -o $@ $< harness/case/san-exit.c \
		$(BUILD)/san/libref.a -luring -laio -lpthread

# valgrind cannot replace malloc in a static binary: a dynamic build for it.
$(BUILD)/dyn/cases/%: cases/%.c $(wildcard harness/case/*.h) $(KSFT_HDRS) $(BUILD)/libref.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(CASE_CPPFLAGS) -o $@ $< $(BUILD)/libref.a -luring -laio -lpthread

DYN_CASE_BINS := $(patsubst cases/%.c,$(BUILD)/dyn/cases/%,$(REF_CASE_SRCS))

sanitize: $(SAN_CASE_BINS) $(DYN_CASE_BINS)

# The project's own tests (tests/*.t, TAP, run by prove), then every case on
# this kernel. Each step stops the check when it fails.
check:
	harness/deps.sh --for-tests
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) all cases32 fixtures unit fuzz sanitize $(BENCH_BINS)
	prove tests/
	./run.sh; s=$$?; /usr/bin/python3 harness/report/compare_host.py results/latest \
		--baseline results/baseline; exit $$s

# Regenerate results/baseline/ (committed) from a full matrix run. Failures
# (exit 1) still make a baseline; a set-up error or an interrupt does not.
baseline:
	./run.sh --matrix all; s=$$?; [ $$s -le 1 ] || exit $$s
	harness/report/baseline.sh "$$(ls -d results/*-matrix* | sort | tail -n 1)"

# The mutation campaign (kernels/mutate.py): seeds the faults of
# kernels/mutants.txt into linux-source-6.1 one at a time, builds, boots and
# runs the cases, and writes results/mutation/. Resumable; options go in
# MUTATE_ARGS (e.g. MUTATE_ARGS='--only aio-cancel-returns-zero').
mutate:
	harness/deps.sh --for-build
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) all
	/usr/bin/python3 kernels/mutate.py $(MUTATE_ARGS)

uapi-coverage:
	kernels/fetch.sh --package $(UAPI_SUITE) linux-libc-dev $(BUILD)/uapi/$(UAPI_SUITE)
	@mkdir -p results
	/usr/bin/python3 harness/uapi-coverage.py \
		--header $(BUILD)/uapi/$(UAPI_SUITE)/usr/include/linux/io_uring.h >results/uapi-coverage.md
	@sed -n '5p' results/uapi-coverage.md

# The POSIX clauses the cases/posix-aio TESTs cite (tests/declarations.t
# checks that the committed table is current).
posix-trace:
	@mkdir -p results
	/usr/bin/python3 harness/posix-trace.py >results/posix-trace.md
	@tail -n 2 results/posix-trace.md

clean:
	rm -rf $(BUILD)
