# aioconf build. Everything built lands in build/; see README.md.
#
#   make deps    install missing packages, extract the kselftest headers
#   make         libref.a, the runner and every case program
#   make check   build, the project's own tests, then ./run.sh on this kernel
#   make clean

BUILD    := build
KSFT_INC := $(BUILD)/ksft

CC      ?= gcc
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra $(WERROR)

# Case programs are static so the same binary runs in a busybox initramfs.
# -isystem: the 6.1 harness itself is not -Wextra clean (unused "variant").
CASE_CPPFLAGS := -isystem $(KSFT_INC) -Iharness -Iref/include
CASE_LDFLAGS  := -static
CASE_LDLIBS   := $(BUILD)/libref.a -luring -laio -lpthread

REF_SRCS  := $(wildcard ref/*.c)
REF_OBJS  := $(patsubst ref/%.c,$(BUILD)/ref/%.o,$(REF_SRCS))
CASE_SRCS := $(sort $(wildcard cases/*/*.c))
CASE_BINS := $(patsubst cases/%.c,$(BUILD)/cases/%,$(CASE_SRCS))
FIXTURE_SRCS := $(sort $(wildcard tests/fixtures/*.c))
FIXTURE_BINS := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(FIXTURE_SRCS))
KSFT_HDRS := $(KSFT_INC)/kselftest_harness.h $(KSFT_INC)/kselftest.h

.PHONY: all deps cases fixtures check clean
.DELETE_ON_ERROR:

all: $(BUILD)/libref.a $(BUILD)/runner cases

cases: $(CASE_BINS)

deps:
	harness/deps.sh
	@$(MAKE) --no-print-directory $(KSFT_HDRS)

# kselftest_harness.h is not committed: it comes from Debian's linux-source-6.1
# (or from $KSFT_DIR, a kernel tree's tools/testing/selftests).
$(KSFT_HDRS): harness/ksft-headers.sh
	harness/ksft-headers.sh $(KSFT_INC)

$(BUILD)/ref/%.o: ref/%.c $(wildcard ref/include/ref/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iref/include -c -o $@ $<

# An archive with no members is valid; ref/ grows in its own issue.
$(BUILD)/libref.a: $(REF_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $(REF_OBJS)

$(BUILD)/runner: harness/runner.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $<

$(BUILD)/cases/%: cases/%.c $(wildcard harness/*.h) $(KSFT_HDRS) $(BUILD)/libref.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CASE_CPPFLAGS) $(CASE_LDFLAGS) -o $@ $< $(CASE_LDLIBS)

$(BUILD)/fixtures/%: tests/fixtures/%.c $(wildcard harness/*.h) $(KSFT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CASE_CPPFLAGS) -static -o $@ $<

fixtures: $(FIXTURE_BINS)

# The project's own tests (tests/*.t, TAP, run by prove), then every case on
# this kernel. Each step stops the check when it fails.
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) all fixtures
	prove tests/
	./run.sh

clean:
	rm -rf $(BUILD)
