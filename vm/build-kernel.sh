#!/usr/bin/env bash
# Prints the path of a guest kernel (bzImage) built with CONFIG_USER_EVENTS=y from Debian's
# linux-source-6.12 and vm/kernel.config, building it first if no cached copy exists.
# Keyed by the first 16 hex digits of sha256(kernel.config). Lookup order:
#   1. $USEREVENTS_KERNEL_CACHE/<key>/bzImage      (default cache: /var/cache/userevents-kernel)
#   2. <repo>/../shared/vm-recipe/prebuilt/<key>/bzImage  (found when kernel.config is byte-identical
#      to the recipe's; since CONFIG_HIST_TRIGGERS=y it is not, and 3 runs once per machine)
#   3. build it (about 19 minutes on 2 cores, apt installs included) and store it as in 1.
# Progress goes to stderr; stdout is only the path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${USEREVENTS_KERNEL_CACHE:-/var/cache/userevents-kernel}
key=$(sha256sum "$here/kernel.config" | cut -c1-16)
out="$cache/$key/bzImage"
prebuilt="$repo/../shared/vm-recipe/prebuilt/$key/bzImage"
if [ -f "$out" ]; then echo "$out"; exit 0; fi
if [ -f "$prebuilt" ]; then (cd "$(dirname "$prebuilt")" && echo "$(pwd)/bzImage"); exit 0; fi

mkdir -p "$cache/$key"
# Two runs at once (parallel checkouts, CI jobs) must not both spend 19 minutes: the second waits.
exec 9>"$cache/$key/.lock"
flock 9
if [ -f "$out" ]; then echo "$out"; exit 0; fi

echo "build-kernel: no cached kernel for config $key; building one (about 19 minutes)" >&2
# shellcheck source=../scripts/lib-prereqs.sh
. "$repo/scripts/lib-prereqs.sh"
prereqs_apt_install linux-source-6.12 xz-utils bc flex bison libelf-dev libssl-dev build-essential
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf /usr/src/linux-source-6.12.tar.xz
src="$work/linux-source-6.12"
make -C "$src" defconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$src" "$src/.config" "$here/kernel.config" >/dev/null
make -C "$src" olddefconfig >/dev/null
grep -q '^CONFIG_USER_EVENTS=y' "$src/.config" || { echo "CONFIG_USER_EVENTS did not stick" >&2; exit 1; }
make -C "$src" -j"$(nproc)" bzImage >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }
cp "$src/.config" "$cache/$key/config"
cp "$src/arch/x86/boot/bzImage" "$out.tmp" && mv "$out.tmp" "$out"
echo "build-kernel: cached $out" >&2
echo "$out"
