# Makefile — build, test, run and install cchc.
#
#   make run      install missing packages, build, create the sample database, open the UI
#   make test     install missing packages, build, run every test (SAN=1: sanitizer build)
#   make bench    benchmarks (not part of make test)
#   make install  PREFIX=/usr/local DESTDIR= (honoured)
#
# Objects go to build/ (build-san/ with SAN=1); the sample database to var/db.
# Both are git-ignored.

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share/cchc
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
DBDIR     ?= /var/lib/cchc
DESTDIR   ?=

SAN       ?= 0
WERROR    ?= 0
ifeq ($(SAN),1)
BUILD     ?= build-san
else
BUILD     ?= build
endif

CC        ?= cc
PKGS       = ncursesw lmdb yaml-0.1
# ncursesw's pkg-config adds feature macros that clash with ours: keep ours.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS    ?= -O2 -g
CFLAGS    += -std=c17 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wno-unused-parameter -Wformat=2 -fno-common
ifeq ($(WERROR),1)
CFLAGS    += -Werror
endif
ifeq ($(SAN),1)
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
endif
CPPFLAGS  += -Iinclude -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -D_XOPEN_SOURCE_EXTENDED \
             -DNCURSES_WIDECHAR=1 $(PKG_CFLAGS) \
             -DCCHC_VERSION='"$(VERSION)"' -DCCHC_SYSCONFDIR='"$(SYSCONFDIR)"' \
             -DCCHC_DATADIR='"$(DATADIR)"' -DCCHC_DBDIR='"$(DBDIR)"'
# LMDB, libyaml and libunistring are linked statically, from the same
# Debian -dev packages: each shared library costs a start some 0.1-0.2 ms
# to map and relocate, a tenth of the first screen (README, Benchmarks).
# After a security update of one of them, rebuild and reinstall cchc; or
# link them as shared libraries with SHARED_DEPS=1.
SHARED_DEPS ?= 0
ifeq ($(SHARED_DEPS),1)
LDLIBS    += $(PKG_LIBS) -lunistring
else
LDLIBS    += $(shell pkg-config --libs ncursesw 2>/dev/null) \
             -Wl,-Bstatic -llmdb -lyaml -lunistring -Wl,-Bdynamic -lpthread
endif

SRCS       = $(sort $(wildcard src/*.c))
LIB_OBJS   = $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRCS)))
UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))
TEST_BINS  = $(UNIT_TESTS) $(BUILD)/tests/screen_test

BUILD_DEPS = gcc make pkg-config libncurses-dev liblmdb-dev libyaml-dev libunistring-dev
TEST_DEPS  = $(BUILD_DEPS) libcmocka-dev tmux lmdb-utils mandoc clang libclang-rt-dev
RUN_DB     = var/db
RUN_CONFIG = config/cchc.yaml

.PHONY: FORCE all run test check-tests deps deps-test bench install uninstall clean lint format

all: $(BUILD)/cchc

$(BUILD)/cchc: $(BUILD)/main.o $(BUILD)/libcchc.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Tests link against the archive, so each pulls in only the modules it uses.
$(BUILD)/libcchc.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: src/%.c $(BUILD)/flags | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Rebuild everything when the flags change (e.g. make install PREFIX=/usr
# after a build with the default PREFIX): the paths are compiled in.
$(BUILD)/flags: FORCE | $(BUILD)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)' | cmp -s - $@ || \
	  echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)' > $@

FORCE:

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcchc.a tests/unit/testutil.h tests/unit/testraw.h | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(BUILD)/libcchc.a $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/tests/screen_test: tests/screen/screen_test.c $(BUILD)/libcchc.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libcchc.a $(LDFLAGS) $(LDLIBS)

-include $(wildcard $(BUILD)/*.d)

# Install what is missing (as root, or through sudo), then build again in a
# fresh make so that pkg-config sees the new packages.
define install_missing
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	  done; \
	else \
	  pkg-config --exists $(PKGS) || { echo "cchc: not a Debian system; install the development files for: $(PKGS) libunistring cmocka, and tmux" >&2; exit 1; }; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "cchc: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "cchc: missing packages:$$missing; run: apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_DEPS))

deps-test:
	$(call install_missing,$(TEST_DEPS))

run: deps
	@$(MAKE) --no-print-directory all
	@if [ ! -e $(RUN_DB)/data.mdb ]; then \
	  ./$(BUILD)/cchc --config $(RUN_CONFIG) --db $(RUN_DB) init && echo "cchc: sample database created in $(RUN_DB)"; \
	fi
	./$(BUILD)/cchc --config $(RUN_CONFIG) --db $(RUN_DB)

test: deps-test
	@$(MAKE) --no-print-directory check-tests

check-tests: all $(TEST_BINS) fuzz
	@BUILD=$(BUILD) SAN=$(SAN) bash tests/run

# Benchmarks (tests/bench/bench.sh): programs built against the archive,
# the national data set generated once into $(BUILD)/bench.
BENCH_BINS = $(BUILD)/bench/gen $(BUILD)/bench/inproc $(BUILD)/bench/ptyrun $(BUILD)/bench/trivial \
             $(BUILD)/bench/tmuxrun

$(BUILD)/bench:
	mkdir -p $@

$(BUILD)/bench/gen $(BUILD)/bench/inproc: $(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libcchc.a | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libcchc.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/trivial: tests/bench/trivial.c | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/bench/ptyrun: tests/bench/ptyrun.c | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS) -lutil

$(BUILD)/bench/tmuxrun: tests/bench/tmuxrun.c | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS)

bench: deps-test
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@BUILD=$(BUILD) bash tests/bench/bench.sh

# ---- fuzzing (tests/fuzz): clang with libFuzzer, ASan and UBSan ----
# make test builds the targets and runs each briefly (tests/run); longer runs
# by hand: make fuzz && tests/fuzz/run.sh -t 3600 -j 2
FUZZ_BUILD   = build-fuzz
FUZZ_CC      = clang
FUZZ_CFLAGS  = $(filter-out -Werror -fsanitize=%,$(CFLAGS)) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJS    = $(patsubst src/%.c,$(FUZZ_BUILD)/%.o,$(filter-out src/main.c,$(SRCS)))
FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS)

$(FUZZ_BUILD):
	mkdir -p $@

$(FUZZ_BUILD)/%.o: src/%.c | $(FUZZ_BUILD)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libcchc.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_BUILD)/libcchc.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libcchc.a $(LDLIBS)

-include $(wildcard $(FUZZ_BUILD)/*.d)

lint:
	cppcheck --quiet --enable=warning,portability --std=c11 -Iinclude src
	mandoc -Tlint -W warning man/*.[0-9]

format:
	clang-format -i src/*.c include/cchc/*.h tests/unit/*.c tests/screen/*.c tests/bench/*.c tests/fuzz/*.c tests/fuzz/*.h

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(SYSCONFDIR)/cchc $(DESTDIR)$(DATADIR)/data
	install -m 755 $(BUILD)/cchc $(DESTDIR)$(BINDIR)/cchc
	install -m 644 man/cchc.1 $(DESTDIR)$(MANDIR)/man1/cchc.1
	install -m 644 man/cchc.yaml.5 $(DESTDIR)$(MANDIR)/man5/cchc.yaml.5
	install -m 644 data/*.yaml data/README.md $(DESTDIR)$(DATADIR)/data/
	for f in config/*.yaml; do \
	  t=$(DESTDIR)$(SYSCONFDIR)/cchc/$$(basename $$f); \
	  [ -e $$t ] || install -m 644 $$f $$t; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cchc $(DESTDIR)$(MANDIR)/man1/cchc.1 $(DESTDIR)$(MANDIR)/man5/cchc.yaml.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz
