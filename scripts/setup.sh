#!/usr/bin/env bash
# Prepare a Debian 12 machine to run and test Podium: Debian packages, npm
# packages and the mediasoup worker. Safe to run again: a run with nothing to
# do takes seconds. Run as root or as a user with sudo.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

log() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ffmpeg and fonts serve the built-in test pattern. util-linux provides
# setpriv, which gives child processes a parent-death signal. v4l-utils
# (v4l2-ctl) and alsa-utils (arecord) list cameras and microphones. chromium runs
# the browser tests, and the rest builds the mediasoup worker and native npm
# modules. socat, nginx with its RTMP module and stunnel4 are the tests'
# stand-ins for a serial camera and for RTMP and RTMPS restream servers;
# socat also relays Podium's systemd notifications. coturn is the TURN
# server of the relay test and of sites that run one on the appliance, and
# systemd's systemd-analyze checks the unit files.
debian_packages=(
  ffmpeg fonts-dejavu-core util-linux v4l-utils alsa-utils chromium openssl ca-certificates
  build-essential python3 pkg-config meson ninja-build
  libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev nlohmann-json3-dev libabsl-dev
  socat nginx libnginx-mod-rtmp stunnel4 coturn systemd
)

install_debian_packages() {
  local missing=()

  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  # The tests start their own nginx and coturn; the packages' servers on
  # ports 80 and 3478 are not wanted.
  for service in nginx coturn; do
    if [[ " ${missing[*]} " == *" $service "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      as_root systemctl disable --now "$service.service" || log "could not disable $service.service; stop it by hand"
    fi
  done
}

# npm ci only when package-lock.json differs from the one last installed.
install_npm_packages() {
  local stamp=node_modules/.podium-lock.sha256
  local wanted

  wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    log "npm packages up to date"
    return
  fi
  log "installing npm packages"
  npm ci --no-audit --no-fund
  echo "$wanted" > "$stamp"
}

# The worker cache lives outside the checkout, so that a new clone reuses it.
cache_root() {
  if [ -n "${PODIUM_CACHE_DIR:-}" ]; then
    echo "$PODIUM_CACHE_DIR"
  elif [ "$(id -u)" -eq 0 ]; then
    echo /var/cache/podium
  else
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/podium"
  fi
}

# A usable worker started without its channel environment exits with 41
# (mediasoup's worker/src/main.cpp); anything else means it cannot run here.
worker_runs() {
  local status=0

  [ -x "$1" ] || return 1
  env -i "$1" >/dev/null 2>&1 || status=$?
  [ "$status" -eq 41 ]
}

# mediasoup's own postinstall downloads the prebuilt worker for this version
# and checks that it runs; without internet access it fails within seconds.
try_prebuilt_worker() {
  local target=$1
  local package=node_modules/mediasoup
  local downloaded=$package/worker/out/Release/mediasoup-worker

  log "trying mediasoup's prebuilt worker download"
  rm -f "$downloaded"
  if (cd "$package" && timeout 300 node npm-scripts.mjs postinstall >/dev/null 2>&1) && worker_runs "$downloaded"; then
    install -D -m 0755 "$downloaded" "$target"
    return 0
  fi

  return 1
}

provide_worker() {
  local version cached installed
  version=$(node -p "require('./node_modules/mediasoup/package.json').version")
  cached="$(cache_root)/mediasoup-worker/$version/mediasoup-worker"
  installed=node_modules/mediasoup/worker/out/Release/mediasoup-worker

  if worker_runs "$cached"; then
    log "mediasoup worker $version from cache $cached"
  elif try_prebuilt_worker "$cached"; then
    log "mediasoup worker $version downloaded to $cached"
  else
    log "building mediasoup worker $version against Debian's libraries (about 10 minutes on 2 cores)"
    bash scripts/build-worker.sh "$cached"
    worker_runs "$cached" || { echo "setup: the built worker $cached does not run" >&2; exit 1; }
  fi
  mkdir -p "$(dirname "$installed")"
  cmp -s "$cached" "$installed" 2>/dev/null || install -m 0755 "$cached" "$installed"
}

install_debian_packages
install_npm_packages
provide_worker
log "ready"
