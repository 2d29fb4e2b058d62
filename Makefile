# snoopbox build.  `make` builds build/snoopbox and one symlink per tool;
# `make check` runs the whole test suite; `make deps` installs build deps.
#
#   make STATIC=1      fully static binary (copy one file, run anywhere with BTF)
#   make SAN=1         user space built with ASan+UBSan (into build/san)
#   make VMLINUX_BTF=/path/to/vmlinux   vmlinux.h from another kernel's BTF

VERSION    := 0.1.0
CLANG      ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL    ?= bpftool
CC         ?= cc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(SAN),1)
O          ?= build/san
CC         := $(CLANG)
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(STATIC),1)
O          ?= build/static
else
O          ?= build
endif

CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -std=gnu11 $(SANFLAGS)
CPPFLAGS   += -Isrc -I$(O)/gen -DSNOOPBOX_VERSION='"$(VERSION)"'
LDFLAGS    += $(SANFLAGS)
LDLIBS     := -lbpf -lelf -lz -lseccomp
# Only dump --jited uses capstone.  Linked into the dynamic binary, it cost
# every tool ~3 MiB of RSS at start-up, so there dump dlopen()s it on first
# use (dlopen is in glibc's libc since 2.34: no -ldl).  Static glibc cannot
# dlopen, so the static build links it and calls it directly
# (src/tools/dump/cslib.h).
ifeq ($(STATIC),1)
LDFLAGS    += -static
LDLIBS     += -lcapstone
CPPFLAGS   += -DSNOOPBOX_CAPSTONE_LINKED
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
              -I$(O)/gen -Isrc -I/usr/include/$(shell uname -m)-linux-gnu

# TOOLS="a b" builds a subset.
TOOLS      ?= $(sort $(notdir $(wildcard src/tools/*)))
BPF_SRCS   := $(foreach t,$(TOOLS),$(wildcard src/tools/$(t)/*.bpf.c))
BPF_OBJS   := $(patsubst src/tools/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS      := $(foreach s,$(BPF_SRCS),$(O)/gen/$(notdir $(s:.bpf.c=.skel.h)))
CORE_SRCS  := $(wildcard src/core/*.c)
TOOL_SRCS  := $(filter-out %.bpf.c,$(foreach t,$(TOOLS),$(wildcard src/tools/$(t)/*.c)))
APP_OBJS   := $(patsubst src/%.c,$(O)/obj/%.o,src/main.c $(CORE_SRCS) $(TOOL_SRCS))
CORE_OBJS  := $(patsubst src/%.c,$(O)/obj/%.o,$(CORE_SRCS))
BPF_HDRS   := $(wildcard src/bpf/*.h) $(wildcard src/tools/*/*.h)

.PHONY: all clean deps check check-unit check-integration check-san bench fuzz man
all: deps $(O)/snoopbox $(addprefix $(O)/,$(TOOLS)) $(O)/sbtest $(O)/sbseccomp $(O)/sbprog $(O)/sbopen32 man

deps:
	sh scripts/deps.sh

$(O)/gen/vmlinux.h:
	@mkdir -p $(@D)
	@test -r $(VMLINUX_BTF) || { echo "no kernel BTF at $(VMLINUX_BTF); pass VMLINUX_BTF=/path/to/vmlinux"; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

# Tool registry, generated from the directories under src/tools so that a
# new tool needs no edit outside its own directory.
# Rewritten (only when it changes) on every run: TOOLS= may differ.
$(O)/gen/tools.inc: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(foreach t,$(TOOLS),'SNOOPBOX_TOOL($(t))') > $@.tmp && \
		{ cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@; }

# A .bpf.c may include another (opensnoop_fullpath includes opensnoop).
$(O)/bpf/%.bpf.o: src/tools/%.bpf.c $(BPF_SRCS) $(BPF_HDRS) $(O)/gen/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# Skeletons are named after the object file (opensnoop_fullpath.bpf.o ->
# opensnoop_fullpath_bpf); we only use their embedded ELF bytes.  They embed
# the object without its DWARF: the kernel and our tools need only the BTF
# (which keeps the source lines), and the DWARF was 85% of the bytes, which
# the page cache's large folios mapped into every tool's memory.  The full
# objects stay in $(O)/bpf for llvm-objdump -S.
define skel_rule
$(O)/gen/$(notdir $(1:.bpf.c=.skel.h)): $(patsubst src/tools/%.bpf.c,$(O)/bpf/%.bpf.o,$(1))
	$$(LLVM_STRIP) -g -o $$@.o $$<
	$$(BPFTOOL) gen skeleton $$@.o name $(notdir $(1:.bpf.c=))_bpf > $$@.tmp && mv $$@.tmp $$@
	rm -f $$@.o
endef
$(foreach s,$(BPF_SRCS),$(eval $(call skel_rule,$(s))))

$(O)/obj/%.o: src/%.c $(SKELS) $(O)/gen/tools.inc $(wildcard src/core/*.h) $(wildcard src/tools/*/*.h) $(wildcard src/bpf/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(O)/snoopbox: $(APP_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(addprefix $(O)/,$(TOOLS)): $(O)/snoopbox
	ln -sf snoopbox $@

# Man pages are generated from --help and --version, so they cannot drift
# from the options the code accepts.
man: $(addprefix $(O)/man/,$(addsuffix .8,$(TOOLS)))
$(O)/man/%.8: $(O)/snoopbox | $(O)/%
	@mkdir -p $(@D)
	help2man --no-info --section 8 --output $@ \
		--name "$$($(O)/snoopbox --list | awk '$$1 == "$*" { $$1 = ""; sub(/^ +/, ""); print }')" $(O)/$*

# Test helper that causes events with known parameters; static so it runs
# in the busybox VM too.
$(O)/sbtest: tests/helpers/sbtest.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -static -o $@ $<

# Installs a seccomp profile from its JSON and execs a command, as a
# container runtime does: the seccomp tool's tests check its profiles so.
$(O)/sbseccomp: tests/helpers/sbseccomp.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -static -o $@ $< -lseccomp

# BPF programs with exactly known runs and bpf_printk output, for the
# tracepipe and top tests; raw bpf(2), so static with nothing else.
$(O)/sbprog: tests/helpers/sbprog.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -static -o $@ $<

# A 32-bit program that opens a file, for opensnoop's raw_tp variant; in
# assembly with no libc, so no 32-bit libraries are needed to build it.
$(O)/sbopen32: tests/helpers/sbopen32.S
	@mkdir -p $(@D)
	$(CC) -m32 -nostdlib -static -o $@ $<

# ---- tests ----------------------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/*.c)
$(O)/unit-tests: $(UNIT_SRCS) $(CORE_OBJS) $(wildcard tests/unit/*.h)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $(UNIT_SRCS) $(CORE_OBJS) $(LDLIBS)

# ---- fuzzing: libFuzzer under clang, built into $(O)/fuzz ---------------
# `make fuzz` builds every fuzz/fuzz_NAME.c and runs each for FUZZ_SECONDS
# from its seed corpus fuzz/corpus/fuzz_NAME; new inputs it finds are kept
# in $(O)/fuzz/corpus/fuzz_NAME, crashes as $(O)/fuzz/fuzz_NAME-crash-*.
FUZZERS      := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all -Wall -Wextra -Wno-unused-parameter \
                -Wno-missing-field-initializers -std=gnu11
FUZZ_CORE    := $(patsubst src/%.c,$(O)/fuzz/obj/%.o,$(CORE_SRCS))

$(O)/fuzz/obj/%.o: src/%.c $(wildcard src/core/*.h) $(wildcard src/tools/*/*.h) $(wildcard src/bpf/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# A tool's fuzzer links that tool alone, which needs only its own
# skeletons: another tool's kernel object does not hold up the fuzzers.
$(O)/fuzz/obj/tools/opensnoop/opensnoop.o: $(filter $(O)/gen/opensnoop%,$(SKELS))
$(O)/fuzz/fuzz_opensnoop_event: $(O)/fuzz/obj/tools/opensnoop/opensnoop.o

# Named only in pattern rules, they would be deleted as intermediate files.
.SECONDARY: $(FUZZ_CORE)
$(O)/fuzz/fuzz_%: fuzz/fuzz_%.c $(wildcard fuzz/*.h) $(FUZZ_CORE)
	$(CLANG) $(CPPFLAGS) -Ifuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(filter %.o,$^) $(LDLIBS)

.PHONY: fuzz-build
fuzz-build: $(addprefix $(O)/fuzz/,$(FUZZERS))

fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		mkdir -p $(O)/fuzz/corpus/$$f fuzz/corpus/$$f; \
		echo "== $$f ($(FUZZ_SECONDS)s)"; \
		$(O)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(O)/fuzz/$$f- $(O)/fuzz/corpus/$$f fuzz/corpus/$$f \
			|| exit 1; \
	done

check:
	sh tests/check.sh

check-unit: $(O)/unit-tests
	$(O)/unit-tests

check-integration: all
	sh tests/integration/run.sh $(O)

# The suite on other kernels, booted under qemu (tests/vm/README.md):
#   make check-vm [VM_KERNELS="linux-image-amd64 OTHER-PACKAGE"] [VM_TIMEOUT=s]
.PHONY: check-vm
check-vm:
	sh tests/vm/run.sh

# ---- benchmark ----------------------------------------------------------------
# make bench: build the workload, the floor (empty BPF programs) and the
# runner, then measure opensnoop against them (bench/README.md).  The
# helpers are static, like sbtest, so they can be copied to a test VM.
BENCH_BINS := $(O)/bench/sbbench-open $(O)/bench/sbbench-floor $(O)/bench/sbbench-run

bench: $(O)/snoopbox $(BENCH_BINS)
	sh bench/run.sh $(O)

$(O)/bench/floor.bpf.o: bench/floor.bpf.c
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bench/floor.skel.h: $(O)/bench/floor.bpf.o
	$(BPFTOOL) gen skeleton $< name floor_bpf > $@.tmp && mv $@.tmp $@

$(O)/bench/sbbench-floor: bench/floor.c $(O)/bench/floor.skel.h
	$(CC) -O2 -g -Wall -static -I$(O)/bench -o $@ $< -lbpf -lelf -lz

$(O)/bench/sbbench-open $(O)/bench/sbbench-run: $(O)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -static -o $@ $<

clean:
	rm -rf build

.PHONY: FORCE
FORCE:
