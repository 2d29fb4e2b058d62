#!/bin/sh
# The test suite on other kernels: boot each one under qemu (TCG; no KVM on
# our machines) with an initramfs of busybox-static, the static snoopbox and
# the tests, run the integration tests inside, read the results back from a
# serial port and print them in the host suites' format:
#   PASS: vm-RELEASE/name      FAIL: vm-RELEASE/name: why      N passed, N failed
#
# Settings (environment, or make check-vm VAR=...):
#   VM_KERNELS  (or VM_KERNEL) Debian kernel packages to boot, by name (default linux-image-amd64,
#               Debian stable's kernel; a metapackage is resolved to its image).
#   VM_BUILD    where `make STATIC=1` puts the static build (default build/static)
#   VM_DIR      cache of kernel packages and VM work files (default build/vm)
#   VM_TIMEOUT  seconds one VM may run in all, boot included (default 420); the
#               guest stops its suites 30 s before that and says where it hung
#   VM_MODULES  kernel modules the tests may need, loaded at boot
#   VM_SMP, VM_MEM  qemu CPUs and MiB (default 1, 1024)
#   VM_APPEND   more kernel command line
#   VM_SKIP_BUILD=1 use the binaries already in VM_BUILD
#   VM_SUITES   what runs inside (default "integration guest"; "cmd" runs $VM_CMD)
set -u
cd "$(dirname "$0")/../.." || exit 1
VM_KERNELS=${VM_KERNELS:-${VM_KERNEL:-linux-image-amd64}}
VM_BUILD=${VM_BUILD:-build/static}
VM_DIR=${VM_DIR:-build/vm}
VM_TIMEOUT=${VM_TIMEOUT:-420}
VM_MODULES=${VM_MODULES-veth sch_ingress cls_bpf act_bpf}
# One vCPU: with two, TCG stalled a vCPU for tens of seconds while tracepoints
# were being enabled (text_poke_bp waits on the other vCPU), seen twice as a
# soft lockup (execsnoop, then seven opensnoops attaching at once) on a
# loaded 2-core host.  The tests need no second CPU.
VM_SMP=${VM_SMP:-1}
VM_MEM=${VM_MEM:-1024}
VM_SUITES=${VM_SUITES:-integration guest}
pass=0 fail=0

ok() { echo "PASS: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1: $2"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
now() { date +%s.%N | cut -c1-14; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- host side: tools, build -------------------------------------------------
if ! SNOOPBOX_DEPS_VM=1 sh scripts/deps.sh; then
	bad vm/deps "cannot install busybox-static, qemu-system-x86 and cpio (run 'make deps' as root)"
	finish
fi
for t in qemu-system-x86_64 busybox cpio timeout apt-get dpkg-deb; do
	command -v "$t" >/dev/null || { bad vm/deps "'$t' is not installed"; finish; }
done
# The kernel unpacks the initramfs before any library could be found.
if LC_ALL=C readelf -l "$(command -v busybox)" 2>/dev/null | grep -q 'INTERP'; then
	bad vm/deps "$(command -v busybox) is dynamically linked; install busybox-static"
	finish
fi
if [ "${VM_SKIP_BUILD:-0}" != 1 ] && ! make -s STATIC=1 O="$VM_BUILD" all; then
	bad vm/build "make STATIC=1 O=$VM_BUILD failed"
	finish
fi
if LC_ALL=C readelf -l "$VM_BUILD/snoopbox" | grep -q 'INTERP'; then
	bad vm/build "$VM_BUILD/snoopbox is not statically linked"
	finish
fi
# sbhooks, the hook-kind probe of guest.sh, against the build's vmlinux.h.
hooks="$VM_BUILD/vm-hooks"
mkdir -p "$hooks"
if ! { clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$VM_BUILD/gen" \
		-c tests/vm/hooks.bpf.c -o "$hooks/hooks.bpf.o" &&
	bpftool gen skeleton "$hooks/hooks.bpf.o" name hooks_bpf >"$hooks/hooks.skel.h" &&
	cc -O2 -g -Wall -static -I"$hooks" -o "$hooks/sbhooks" tests/vm/hooks.c -lbpf -lelf -lz; }; then
	bad vm/build "cannot build tests/vm/hooks.c (sbhooks)"
	finish
fi

# ---- kernel packages ---------------------------------------------------------
# The image package a name stands for: linux-image-amd64 depends on the
# current linux-image-6.1.0-NN-amd64.  Remembered, so a machine without
# the network still boots the kernel it has in the cache.
resolve_kernel() {
	name=$1 memo="$VM_DIR/kernels/$1.resolved" real=""
	if ! apt-cache show "$name" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		apt-get update -q >/dev/null 2>&1
	fi
	real=$(apt-cache depends "$name" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$real" ] && apt-cache show "$name" >/dev/null 2>&1; then
		real=$name
	fi
	if [ -n "$real" ]; then
		mkdir -p "$VM_DIR/kernels" && echo "$real" >"$memo"
	elif [ -r "$memo" ]; then
		real=$(cat "$memo")
	fi
	echo "$real"
}

# Unpack the named files of a .deb into DIR (paths as the archive lists them).
deb_extract() {
	deb=$1 dir=$2; shift 2
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" "$@"
}

# Fetch PKG into $kdir (cached) and unpack vmlinuz, config and the modules we load.
fetch_kernel() {
	pkg=$1 kdir="$VM_DIR/kernels/$1"
	mkdir -p "$kdir"
	deb=$(ls "$kdir"/*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		echo "vm: downloading $pkg"
		(cd "$kdir" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null) ||
			return 1
		deb=$(ls "$kdir"/*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || return 1
	fi
	if [ ! -s "$kdir/files" ]; then
		dpkg-deb --fsys-tarfile "$deb" | tar -t >"$kdir/files.tmp" &&
			mv "$kdir/files.tmp" "$kdir/files" || return 1
	fi
	if [ ! -s "$kdir/vmlinuz" ]; then
		rm -rf "$kdir/root" && mkdir -p "$kdir/root"
		deb_extract "$deb" "$kdir/root" $(grep -E '^\./boot/(vmlinuz|config)-' "$kdir/files") ||
			return 1
		mv "$kdir"/root/boot/vmlinuz-* "$kdir/vmlinuz" &&
			mv "$kdir"/root/boot/config-* "$kdir/config" || return 1
	fi
	release=$(sed -n 's|^\./lib/modules/\([^/]*\)/kernel/.*|\1|p' "$kdir/files" | head -n 1)
	[ -n "$release" ] || release=$pkg
	return 0
}

# Modules $VM_MODULES and what they depend on, decompressed into
# $kdir/mod/NAME.ko, with $kdir/mod/order listing them dependencies first.
# Each module's own .modinfo names its dependencies, so no depmod is needed.
module_path() {
	n=$(echo "$1" | tr _ -)
	grep -E "/($1|$n|$(echo "$1" | tr - _))\.ko(\.xz|\.zst|\.gz)?$" "$kdir/files" | head -n 1
}
module_add() {
	name=$1
	grep -qx "$name.ko" "$kdir/mod/order.tmp" 2>/dev/null && return 0
	p=$(module_path "$name")
	[ -n "$p" ] || return 0  # built in, or absent: the test that needs it says so
	if [ ! -f "$kdir/mod/$name.ko" ]; then
		mkdir -p "$kdir/mod/x"
		deb_extract "$deb" "$kdir/mod/x" "$p" || return 1
		case $p in
		*.xz) xz -dc "$kdir/mod/x/$p" >"$kdir/mod/$name.ko" ;;
		*.zst) zstd -qdc "$kdir/mod/x/$p" >"$kdir/mod/$name.ko" ;;
		*.gz) gzip -dc "$kdir/mod/x/$p" >"$kdir/mod/$name.ko" ;;
		*) cp "$kdir/mod/x/$p" "$kdir/mod/$name.ko" ;;
		esac || return 1
		rm -rf "$kdir/mod/x"
	fi
	for d in $(tr '\0' '\n' <"$kdir/mod/$name.ko" | sed -n 's/^depends=//p' | tr , ' '); do
		module_add "$d" || return 1
	done
	echo "$name.ko" >>"$kdir/mod/order.tmp"
}
fetch_modules() {
	mkdir -p "$kdir/mod"
	rm -f "$kdir/mod/order.tmp"
	: >"$kdir/mod/order.tmp"
	for m in $VM_MODULES; do
		module_add "$m" || return 1
	done
	mv "$kdir/mod/order.tmp" "$kdir/mod/order"
}

# ---- initramfs ---------------------------------------------------------------
pack_initramfs() {
	root="$work/root"
	rm -rf "$root" && mkdir -p "$root/bin" "$root/snoopbox" "$root/src" "$root/etc" "$root/modules"
	cp "$(command -v busybox)" "$root/bin/busybox"
	cp tests/vm/init "$root/init" && chmod 755 "$root/init"
	# snoopbox, its tool symlinks and every test helper (sbtest, sb*): the
	# tests look for them next to snoopbox.
	for f in "$VM_BUILD"/*; do
		if [ -L "$f" ] || { [ -f "$f" ] && [ -x "$f" ]; }; then
			cp -P "$f" "$root/snoopbox/"
		fi
		if [ -f "$f" ] && [ -x "$f" ] && [ ! -L "$f" ] &&
			LC_ALL=C readelf -l "$f" 2>/dev/null | grep -q INTERP; then
			echo "    vm: $f is dynamically linked and will not run in the VM (link it -static)"
		fi
	done
	cp "$hooks/sbhooks" "$root/snoopbox/"
	cp -R tests "$root/src/"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
		>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	for m in $(cat "$kdir/mod/order"); do cp "$kdir/mod/$m" "$root/modules/"; done
	cp "$kdir/mod/order" "$root/modules.order"
	cat >"$root/vm.conf" <<-EOF
	VM_GUEST_TIMEOUT=$((VM_TIMEOUT - 30))
	VM_SUITES="$VM_SUITES"
	VM_TRACEFS=1
	VM_CMD='$(echo "${VM_CMD:-}" | sed "s/'/'\\\\''/g")'
	# Tests may allow for TCG being several times slower than the host.
	SNOOPBOX_VM=1
	SNOOPBOX_VM_KERNEL="$pkg"
	export SNOOPBOX_VM SNOOPBOX_VM_KERNEL
	EOF
	(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 >"$work/initrd.gz"
}

# ---- boot and read the results ---------------------------------------------
# A soft lockup panics (and so ends the run at once, with the stuck CPU's
# stack on the console) instead of using up VM_TIMEOUT; loglevel=5 lets
# those stacks through but not the boot chatter.
boot_vm() {
	rm -f "$work/console.log" "$work/results.log"
	t0=$(now)
	timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp "$VM_SMP" -m "$VM_MEM" \
		-nodefaults -no-user-config -display none -monitor none -no-reboot \
		-serial "file:$work/console.log" -serial "file:$work/results.log" \
		-kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 quiet panic=-1 loglevel=5 softlockup_panic=1 ${VM_APPEND:-}" \
		</dev/null >"$work/qemu.out" 2>&1
	qrc=$?
	vm_secs=$(elapsed "$t0")
}

console_tail() {
	tr -d '\r' <"$work/console.log" 2>/dev/null | tail -n "${1:-15}" | sed 's/^/    console: /'
}

report_vm() {
	k="vm-$release"
	tr -d '\r' <"$work/results.log" >"$work/results.txt" 2>/dev/null
	tr -d '\r' <"$work/console.log" >"$work/console.txt" 2>/dev/null
	if ! grep -q '^SNOOPBOX-VM-BEGIN' "$work/results.txt"; then
		if grep -q 'Kernel panic' "$work/console.txt"; then
			why="kernel panicked: $(grep -m1 'Kernel panic' "$work/console.txt")"
		elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
			why="no output from init within ${VM_TIMEOUT}s (kernel hung or too slow to boot)"
		elif [ ! -s "$work/console.txt" ]; then
			why="the kernel printed nothing (qemu status $qrc: $(head -c 300 "$work/qemu.out"))"
		else
			why="the VM stopped (qemu status $qrc) before init ran the tests"
		fi
		bad "$k/boot" "$why"
		console_tail
		return
	fi
	ok "$k/boot ($(sed -n 's/^SNOOPBOX-VM-UPTIME //p' "$work/results.txt")s to init)"
	sed -n 's/^SNOOPBOX-VM-INFO /    kernel: /p' "$work/results.txt"
	for s in $VM_SUITES; do
		sed -n "/^SNOOPBOX-VM-SUITE-BEGIN $s\$/,/^SNOOPBOX-VM-SUITE-END $s /p" "$work/results.txt" |
			sed '1d;/^SNOOPBOX-VM-SUITE-END/d' >"$work/$s.txt"
		if ! grep -q "^SNOOPBOX-VM-SUITE-BEGIN $s\$" "$work/results.txt"; then
			bad "$k/$s" "the suite never started"
			continue
		fi
		n_pass=$(grep -c '^PASS: ' "$work/$s.txt")
		n_fail=$(grep -c '^FAIL: ' "$work/$s.txt")
		# Everything the suite printed, its result lines renamed for this kernel.
		sed -e "s|^PASS: |PASS: $k/|" -e "s|^FAIL: |FAIL: $k/|" -e '/^SNOOPBOX-VM-/d' \
			-e '/^[0-9][0-9]* passed, [0-9][0-9]* failed/d' "$work/$s.txt"
		pass=$((pass + n_pass)); fail=$((fail + n_fail))
		end=$(grep "^SNOOPBOX-VM-SUITE-END $s " "$work/results.txt")
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/$s.txt" | tail -n 1)
		if [ -z "$end" ]; then
			if grep -q '^SNOOPBOX-VM-TIMEOUT' "$work/results.txt"; then
				why="did not finish within $((VM_TIMEOUT - 30))s"
			elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
				why="the VM was killed after ${VM_TIMEOUT}s"
			elif grep -q 'Kernel panic' "$work/console.txt"; then
				why="kernel panicked: $(grep -m1 'Kernel panic' "$work/console.txt")"
			else
				why="the VM stopped (qemu status $qrc)"
			fi
			bad "$k/$s" "$why; last output: $(grep -v '^SNOOPBOX-VM-' "$work/$s.txt" | tail -n 1)"
			console_tail 10
		elif [ -z "$line" ]; then
			bad "$k/$s" "suite ended (${end##* }) without a summary line"
		else
			f=${line#*passed, }; f=${f%% failed*}
			if [ "$f" != "$n_fail" ] || [ "${line%% passed*}" != "$n_pass" ]; then
				bad "$k/$s" "summary '$line' does not match its $n_pass PASS and $n_fail FAIL lines"
			elif [ "${end##*status=}" != 0 ] && [ "$f" = 0 ]; then
				bad "$k/$s" "suite exited with ${end##* } but reported no failure"
			fi
		fi
	done
	# A kernel warning or oops during the tests is a failure even if they pass.
	if grep -qE '(BUG:|Oops|WARNING:|Kernel panic|general protection fault)' "$work/console.txt"; then
		bad "$k/kernel-log" "$(grep -m1 -E '(BUG:|Oops|WARNING:|Kernel panic|general protection fault)' "$work/console.txt")"
		console_tail 20
	fi
	if ! grep -q '^SNOOPBOX-VM-END' "$work/results.txt"; then
		grep -q '^SNOOPBOX-VM-TIMEOUT' "$work/results.txt" ||
			bad "$k/poweroff" "init did not reach the end of its script (qemu status $qrc)"
	fi
	echo "    vm: $k ran ${vm_secs}s in qemu (TCG, $VM_SMP CPUs); logs in $work"
}

for pkg in $VM_KERNELS; do
	t_kernel=$(now)
	real=$(resolve_kernel "$pkg")
	if [ -z "$real" ]; then
		bad "vm-$pkg/fetch" "apt knows no package $pkg and none is cached (apt-get update?)"
		continue
	fi
	pkg=$real
	if ! fetch_kernel "$pkg"; then
		bad "vm-$pkg/fetch" "cannot download or unpack $pkg with apt-get download"
		continue
	fi
	work="$VM_DIR/run/$release"
	mkdir -p "$work"
	if ! fetch_modules; then
		bad "vm-$release/modules" "cannot unpack the modules '$VM_MODULES' from $pkg"
		continue
	fi
	pack_initramfs
	boot_vm
	report_vm
	echo "    vm: $k total ${vm_secs}s in the VM, $(elapsed "$t_kernel")s with fetching and packing"
done
finish
