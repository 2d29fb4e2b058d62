#!/bin/sh
# Install what building and testing snoopbox needs, from Debian's archive only,
# and only the packages that are missing: a machine that has them all is not touched.
set -eu

# Build: clang/llvm for the BPF target, bpftool for vmlinux.h and skeletons,
# libbpf/libelf/zlib with their static archives for `make STATIC=1`.
# Test: libclang-rt for ASan/UBSan/libFuzzer under clang, libseccomp for
# syscall names, capstone for dump --jited (its .a serves STATIC=1),
# busybox-static/qemu/cpio for the second-kernel suite.
pkgs="clang llvm make pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev \
libseccomp-dev libcapstone-dev libclang-rt-14-dev help2man"
[ "${SNOOPBOX_DEPS_VM:-0}" = 1 ] && pkgs="$pkgs busybox-static qemu-system-x86 cpio"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run 'make deps' as root (it uses apt-get)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
