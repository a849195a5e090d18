# authscope — build, test, check, demo, install, fuzz, bench.
# Sources are found by wildcard: adding a .c file under src/<floor>/ needs no
# edit here. src/cli/main.c is the program; everything else is libauthscope.a,
# which the unit tests and fuzz harnesses link against.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
SAN     ?=
OPT     ?= -O2

PKGS     := libpcre2-8 libpcap ncursesw zlib libarchive libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
           -Wno-format-nonliteral -Wvla
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SAN) -Isrc -I$(BUILD)/gen \
           -DAUTHSCOPE_VERSION='"$(VERSION)"' \
           -DAUTHSCOPE_RULEDIR='"$(PREFIX)/share/authscope/rules"' \
           $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(SAN) $(LDFLAGS)

FLOORS  := core ingest parsers decoders rules report tui cli
LIB_SRC := $(filter-out src/cli/main.c,$(foreach f,$(FLOORS),$(wildcard src/$(f)/*.c)))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/pack.o
MAIN_OBJ := $(BUILD)/obj/cli/main.o
PACK    := $(sort $(wildcard rules/*.rules))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz-replay/%)

.PHONY: all test unit check demo install uninstall fuzz bench clean deps \
        check-gcc check-clang lint-floors
all: $(BUILD)/authscope

$(BUILD)/authscope: $(MAIN_OBJ) $(BUILD)/libauthscope.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/libauthscope.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c | deps-ok
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in rule pack is embedded as data (tools/embed.sh writes a C array).
$(BUILD)/gen/pack.c: $(PACK) tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $(PACK) > $@
$(BUILD)/obj/gen/pack.o: $(BUILD)/gen/pack.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libauthscope.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(BUILD)/libauthscope.a $(ALL_LDFLAGS) \
	    $(CMOCKA_LIBS) $(PKG_LIBS) -lm

# Fuzz harnesses built with a plain main() that replays their seed corpus.
$(BUILD)/fuzz-replay/%: fuzz/%.c fuzz/replay_main.c $(BUILD)/libauthscope.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< fuzz/replay_main.c $(BUILD)/libauthscope.a \
	    $(ALL_LDFLAGS) $(PKG_LIBS) -lm

# Fails with the exact apt-get line when a library is missing.
.PHONY: deps-ok
deps-ok:
	@sh tools/deps.sh check

deps:
	@sh tools/deps.sh install

# make test: unit tests (cmocka), fuzz corpus replay, golden files, traces.
test: all $(UNIT_BIN) $(REPLAY_BIN)
	@sh tests/run.sh $(BUILD)

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

# make check: everything under ASan+UBSan, once with gcc, once with clang.
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: check-gcc check-clang
check-gcc:
	$(MAKE) BUILD=build/asan-gcc CC=gcc OPT=-O1 SAN="$(SANFLAGS)" test
check-clang:
	@if command -v clang >/dev/null; then \
	  $(MAKE) BUILD=build/asan-clang CC=clang OPT=-O1 SAN="$(SANFLAGS)" test; \
	else echo "check-clang: clang not installed (apt-get install clang); skipped"; fi

demo:
	@sh tools/deps.sh install
	@$(MAKE) --no-print-directory all
	@echo
	@echo "== authscope analyze testdata/bundles/demo/ =="
	@$(BUILD)/authscope analyze --fail-on none testdata/bundles/demo/

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/authscope/rules \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BUILD)/authscope $(DESTDIR)$(PREFIX)/bin/authscope
	install -m 644 man/authscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/authscope-rules.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 $(PACK) $(DESTDIR)$(PREFIX)/share/authscope/rules/
	if [ -f tools/authscope.bash ]; then install -m 644 tools/authscope.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/authscope; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/authscope $(DESTDIR)$(PREFIX)/share/man/man1/authscope.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5/authscope-rules.5 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/authscope
	rm -rf $(DESTDIR)$(PREFIX)/share/authscope

fuzz:
	@sh fuzz/run.sh

bench: all
	@sh bench/run.sh $(BUILD)

lint-floors:
	@sh tools/check-floors.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# used by fuzz/run.sh
print-cflags:
	@echo $(ALL_CFLAGS)
print-libs:
	@echo $(PKG_LIBS) -lm
