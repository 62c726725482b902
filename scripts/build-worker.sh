#!/usr/bin/env bash
# Build mediasoup-worker from the sources in node_modules/mediasoup/worker
# against Debian 12's own libraries, with Debian's meson and ninja, so that
# no step downloads anything. Usage: build-worker.sh OUTPUT_BINARY
#
# mediasoup's meson.build pulls every dependency with subproject('NAME') and
# then reads named variables from it. We replace each wrap file by a small
# subproject that declares those variables from the system library found with
# pkg-config. Variables that feed link_whole must be static libraries, so they
# are empty ones: the real library arrives through the dependency.
set -euo pipefail

output=${1:?usage: build-worker.sh OUTPUT_BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
source_dir="$root/node_modules/mediasoup/worker"
version=$(node -p "require('$root/node_modules/mediasoup/package.json').version")
build_root="$(dirname "$output")/build-$version"

[ -f "$source_dir/meson.build" ] || {
  echo "build-worker: $source_dir/meson.build is missing; run npm ci first" >&2
  exit 1
}

rm -rf "$build_root"
mkdir -p "$build_root"
cp -a "$source_dir/." "$build_root/src"
cd "$build_root/src"

# Debian 12 ships meson 1.0.1; the build uses nothing newer than 1.0.
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" meson.build
rm -f subprojects/*.wrap

# write_subproject NAME MESON_BODY [OPTIONS]
write_subproject() {
  local dir="subprojects/$1"
  mkdir -p "$dir"
  printf '' > "$dir/empty.c"
  printf "project('%s', 'c')\n%s\n" "$1" "$2" > "$dir/meson.build"
  printf '%s\n' "${3:-}" > "$dir/meson_options.txt"
}

empty_lib() { echo "$1 = static_library('podium_empty_$1', 'empty.c')"; }

write_subproject openssl "
openssl_dep = dependency('openssl', version: '>=3.0')
$(empty_lib libcrypto_lib)
$(empty_lib libssl_lib)"

write_subproject nlohmann_json "
nlohmann_json_dep = dependency('nlohmann_json', version: '>=3.10')"

write_subproject libuv "
libuv_dep = dependency('libuv', version: '>=1.44')
$(empty_lib libuv)" \
"option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)"

# Debian installs srtp.h under /usr/include/srtp2, which the worker includes
# as <srtp.h>.
write_subproject libsrtp2 "
libsrtp2_dep = declare_dependency(
  dependencies: dependency('libsrtp2', version: '>=2.4'),
  compile_args: ['-I/usr/include/srtp2'],
)
$(empty_lib libsrtp2)" \
"option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')"

write_subproject usrsctp "
usrsctp_dep = dependency('usrsctp')
$(empty_lib usrsctp)" \
"option('sctp_build_programs', type: 'boolean', value: false)"

write_subproject abseil-cpp "
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [
  dependency('absl_optional'),
  dependency('absl_memory'),
])
$(empty_lib absl_container_lib)"

# Only the worker's unit tests use catch2, and we do not build them.
write_subproject catch2 "catch2_dep = declare_dependency()"

meson setup --wrap-mode=nodownload --buildtype=release build >"$build_root/meson.log" 2>&1 || {
  tail -n 40 "$build_root/meson.log" >&2
  exit 1
}
ninja -C build mediasoup-worker

mkdir -p "$(dirname "$output")"
install -m 0755 build/mediasoup-worker "$output.tmp"
mv "$output.tmp" "$output"
cd /
rm -rf "$build_root"
echo "build-worker: built $output"
