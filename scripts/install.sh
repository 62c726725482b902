#!/usr/bin/env bash
# Installs Podium as a service on a Debian 12 machine, from a checkout on
# which scripts/setup.sh has run. Run as root. docs/install.md describes every
# step and file.
#
#   scripts/install.sh                     install, or upgrade an installed Podium
#   scripts/install.sh --uninstall         remove code, units and rules; keep config and data
#   scripts/install.sh --uninstall --purge also remove /etc/podium and /var/lib/podium
#
# --prefix DIR puts every file under DIR instead of / and leaves out what
# changes the running system (packages, users, systemctl, udevadm); CI uses
# it. --no-build skips npm run build, --no-packages the Debian packages.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=""
action=install
purge=false
build=true
packages=true

log() { printf 'install: %s\n' "$*"; }
fail() { printf 'install: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a directory"; prefix=$(realpath -m "$2"); shift ;;
    --uninstall) action=uninstall ;;
    --purge) purge=true ;;
    --no-build) build=false ;;
    --no-packages) packages=false ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) fail "unknown option $1; see scripts/install.sh --help" ;;
  esac
  shift
done
[ "$purge" = false ] || [ "$action" = uninstall ] || fail "--purge only goes with --uninstall"

# On the real system (no prefix) the script changes users, packages and services.
live_system() { [ -z "$prefix" ]; }

code_dir=$prefix/opt/podium
config_dir=$prefix/etc/podium
data_dir=$prefix/var/lib/podium
unit_dir=$prefix/etc/systemd/system
udev_dir=$prefix/etc/udev/rules.d
bin_link=$prefix/usr/local/bin/podium
units=(podium.service podium-kiosk.service podium-kiosk-venue.service)
udev_rule=70-podium-ptz.rules

# Debian packages Podium needs at run time: ffmpeg and fonts for the capture
# and the test picture, setpriv (util-linux) and socat for child processes
# and systemd notifications, openssl for the certificate, and the kiosk's X
# server and Chromium.
runtime_packages=(ffmpeg fonts-dejavu-core util-linux socat openssl ca-certificates
  chromium xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils)

# podium.service runs /usr/bin/node, so that is the node to check, not the first on PATH.
check_node() {
  local major

  major=$(/usr/bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null) ||
    fail "/usr/bin/node not found; install Node.js 20 or newer there (the service runs /usr/bin/node)"
  [ "$major" -ge 20 ] || fail "/usr/bin/node is Node.js $major, Podium needs 20 or newer (Debian 12's own nodejs is 18)"
}

install_packages() {
  live_system && [ "$packages" = true ] || return 0
  log "installing Debian packages: ${runtime_packages[*]}"
  apt-get install -y -q --no-install-recommends "${runtime_packages[@]}" >/dev/null
}

create_users() {
  live_system || return 0
  getent group podium >/dev/null || addgroup --system podium
  id podium >/dev/null 2>&1 ||
    adduser --system --ingroup podium --home /var/lib/podium --no-create-home --shell /usr/sbin/nologin podium
  # video: cameras; audio: microphones; dialout: VISCA serial adapters. The
  # PTZ hidraw nodes get group podium from the udev rule.
  usermod -a -G video,audio,dialout podium
  id podium-kiosk >/dev/null 2>&1 ||
    adduser --system --group --home /var/lib/podium-kiosk --shell /usr/sbin/nologin podium-kiosk
  usermod -a -G video,input,render,tty podium-kiosk 2>/dev/null || usermod -a -G video,input,tty podium-kiosk
}

# Copies the code to a fresh directory beside the old one and swaps them, so
# that a failed copy leaves the installed version untouched.
install_code() {
  local staging=$code_dir.new

  [ -f "$root/dist/appliance/main.js" ] || fail "$root/dist is missing; run npm run build first, or leave out --no-build"
  log "copying the code to $code_dir"
  rm -rf "$staging"
  mkdir -p "$staging/capture/ptz" "$staging/scripts" "$staging/systemd"
  cp -a "$root/package.json" "$root/package-lock.json" "$root/podium.example.yaml" "$root/dist" "$root/bin" "$root/docs" "$staging/"
  cp -a "$root/capture/ptz/profiles" "$root/capture/ptz/input-profiles" "$staging/capture/ptz/"
  cp -a "$root/scripts/kiosk.sh" "$staging/scripts/"
  cp -a "$root/systemd/." "$staging/systemd/"
  # The trailing /. follows a checkout whose node_modules is a symbolic link.
  mkdir -p "$staging/node_modules"
  cp -a "$root/node_modules/." "$staging/node_modules/"
  (cd "$staging" && npm prune --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  [ -x "$staging/node_modules/mediasoup/worker/out/Release/mediasoup-worker" ] ||
    fail "the mediasoup worker is missing from node_modules; run scripts/setup.sh first"
  if [ -d "$code_dir" ]; then
    rm -rf "$code_dir.old"
    mv "$code_dir" "$code_dir.old"
  fi
  mv "$staging" "$code_dir"
  rm -rf "$code_dir.old"
  mkdir -p "$(dirname "$bin_link")"
  ln -sfn /opt/podium/bin/podium "$bin_link"
}

# Config is created once from the commented example and never overwritten;
# the example itself is refreshed on every install, for comparing.
install_config() {
  mkdir -p "$config_dir"
  install -m 0644 "$root/podium.example.yaml" "$config_dir/podium.example.yaml"
  if [ -e "$config_dir/podium.yaml" ]; then
    log "keeping $config_dir/podium.yaml"
  else
    log "creating $config_dir/podium.yaml"
    sed 's|^dataDir: data$|dataDir: /var/lib/podium|' "$root/podium.example.yaml" > "$config_dir/podium.yaml"
    grep -q '^dataDir: /var/lib/podium$' "$config_dir/podium.yaml" ||
      fail "podium.example.yaml has no line 'dataDir: data' to point at /var/lib/podium"
    chmod 0640 "$config_dir/podium.yaml"
    live_system && chgrp podium "$config_dir/podium.yaml"
  fi
  if [ ! -e "$config_dir/kiosk.env" ]; then
    install -m 0644 "$root/systemd/kiosk.env" "$config_dir/kiosk.env"
  fi
}

install_data_dir() {
  mkdir -p "$data_dir"
  chmod 0750 "$data_dir"
  live_system && chown podium:podium "$data_dir"
  return 0
}

install_units() {
  mkdir -p "$unit_dir" "$udev_dir"
  for unit in "${units[@]}"; do install -m 0644 "$root/systemd/$unit" "$unit_dir/$unit"; done
  install -m 0644 "$root/systemd/$udev_rule" "$udev_dir/$udev_rule"
  live_system || return 0
  udevadm control --reload || log "udevadm could not reload the rules; reboot to apply them"
  udevadm trigger --subsystem-match=hidraw || true
  systemd-analyze verify "${units[@]/#/$unit_dir/}" || log "systemd-analyze verify reported the problems above"
  systemctl daemon-reload
  systemctl enable podium.service podium-kiosk.service podium-kiosk-venue.service
  systemctl restart podium.service
  log "started podium.service; the kiosk starts at the next boot (or now: systemctl start podium-kiosk)"
}

uninstall() {
  if live_system; then
    systemctl disable --now podium-kiosk-venue.service podium-kiosk.service podium.service 2>/dev/null || true
  fi
  for unit in "${units[@]}"; do rm -f "$unit_dir/$unit"; done
  rm -f "$udev_dir/$udev_rule" "$bin_link"
  rm -rf "$code_dir" "$code_dir.new" "$code_dir.old"
  if [ "$purge" = true ]; then
    log "removing $config_dir and $data_dir (recordings included)"
    rm -rf "$config_dir" "$data_dir"
    live_system && { userdel podium 2>/dev/null || true; userdel podium-kiosk 2>/dev/null || true; rm -rf /var/lib/podium-kiosk; }
  else
    log "kept $config_dir and $data_dir; --uninstall --purge removes them"
  fi
  live_system && systemctl daemon-reload
  log "uninstalled"
}

if live_system && [ "$(id -u)" -ne 0 ]; then fail "run as root, or give --prefix DIR"; fi

if [ "$action" = uninstall ]; then
  uninstall
  exit 0
fi

check_node
install_packages
if [ "$build" = true ]; then (cd "$root" && npm run build >/dev/null); fi
create_users
install_code
install_config
install_data_dir
install_units
log "installed into ${prefix:-/}"
