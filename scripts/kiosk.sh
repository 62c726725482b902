#!/usr/bin/env bash
# The Podium kiosk: Chromium in kiosk mode on the appliance's own screens.
# Run by podium-kiosk.service (session) and podium-kiosk-venue.service
# (venue-configured, venue); settings come from /etc/podium/kiosk.env through
# the units' EnvironmentFile.
#
#   kiosk.sh session           start the X server on this tty with the console
#   kiosk.sh venue-configured  exit 0 when a venue screen URL is set, else 1
#   kiosk.sh venue             show the venue screen page on the second monitor
set -euo pipefail

console_url=${PODIUM_CONSOLE_URL:-http://127.0.0.1:8080/console}
venue_url=${PODIUM_VENUE_SCREEN_URL:-}
touch_output=${PODIUM_TOUCHSCREEN_OUTPUT:-}
venue_output=${PODIUM_VENUE_SCREEN_OUTPUT:-}
self=$(readlink -f "$0")

fail() {
  printf 'podium-kiosk: %s\n' "$*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null || fail "$1 not found; install the Debian package $2 (scripts/install.sh does)"
}

# Chromium flags shared by both screens: no first-run dialogs, no restore
# bubble after a power cut, no pinch or swipe navigation away from the page.
# Further arguments are passed on to Chromium.
chromium_kiosk() {
  local profile=$1 position=$2 url=$3
  shift 3

  exec chromium "$@" --kiosk --no-first-run --noerrdialogs --disable-infobars \
    --disable-session-crashed-bubble --disable-translate --disable-pinch \
    --overscroll-history-navigation=0 --password-store=basic \
    --user-data-dir="$HOME/$profile" --window-position="$position" "$url"
}

# Waits up to 90 s for Podium to respond, so that the kiosk does not show an
# error page after boot.
wait_for_podium() {
  for _ in $(seq 90); do
    node -e 'fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))' "$console_url" && return 0
    sleep 1
  done
  printf 'podium-kiosk: %s does not respond; showing it anyway\n' "$console_url" >&2
}

# Returns the X offset of an xrandr output, such as 1920 for "1920x1080+1920+0".
output_x() {
  xrandr --query | awk -v name="$1" '$1 == name && $2 == "connected" {
    for (i = 3; i <= NF; i++) if (split($i, g, "+") == 3) { print g[2]; exit }
  }'
}

case "${1:-}" in
  session)
    need xinit xinit
    need chromium chromium
    exec xinit "$self" x-client -- :0 "vt${XDG_VTNR:-7}" -nolisten tcp -nocursor
    ;;
  x-client)
    # Inside the X session started above: no screen blanking, the layout,
    # then the console.
    xset s off -dpms s noblank || true
    if [ -n "$touch_output" ] && [ -n "$venue_output" ]; then
      xrandr --output "$touch_output" --auto --pos 0x0 --output "$venue_output" --auto --right-of "$touch_output" ||
        printf 'podium-kiosk: xrandr could not place %s right of %s\n' "$venue_output" "$touch_output" >&2
    fi
    wait_for_podium
    chromium_kiosk chromium-console 0,0 "$console_url"
    ;;
  venue-configured)
    [ -n "$venue_url" ]
    ;;
  venue)
    [ -n "$venue_url" ] || fail "PODIUM_VENUE_SCREEN_URL is empty in /etc/podium/kiosk.env"
    need chromium chromium
    export DISPLAY=:0
    x=0
    if [ -n "$venue_output" ]; then
      x=$(output_x "$venue_output")
      [ -n "$x" ] || fail "the X output $venue_output is not connected; see DISPLAY=:0 xrandr"
    fi
    # The venue screen plays the remote voices to the PA without anyone touching it.
    chromium_kiosk chromium-venue "$x,0" "$venue_url" --autoplay-policy=no-user-gesture-required
    ;;
  *)
    fail "usage: kiosk.sh session | venue-configured | venue"
    ;;
esac
