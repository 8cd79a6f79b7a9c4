#!/usr/bin/env bash
# Installs lectern's desktop entry and icon for the current user (or under PREFIX), so that
# lectern appears in the desktop's menu with its icon. With --autostart, also writes an XDG
# autostart entry that opens a room's projector full screen after login.
#
#   scripts/install-desktop.sh
#   scripts/install-desktop.sh --autostart ~/program.json "Hall A"
#   PREFIX=/usr/local scripts/install-desktop.sh          (for every user; run as root)
#
# The lectern binary itself comes from `cargo install --path .` (into ~/.cargo/bin) or the
# Debian package; this script only adds what a desktop needs to show it.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${PREFIX:-${XDG_DATA_HOME:-$HOME/.local/share}}
[ -n "${PREFIX:-}" ] && prefix="$PREFIX/share"
applications="$prefix/applications"
icons="$prefix/icons/hicolor/scalable/apps"
mkdir -p "$applications" "$icons"
install -m 0644 assets/desktop/lectern.desktop "$applications/lectern.desktop"
install -m 0644 assets/desktop/lectern.svg "$icons/lectern.svg"
echo "installed $applications/lectern.desktop and $icons/lectern.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$applications" || true

if [ "${1:-}" = "--autostart" ]; then
  if [ $# -ne 3 ]; then
    echo "usage: $0 --autostart SCHEDULE ROOM" >&2
    exit 2
  fi
  schedule=$(realpath "$2")
  room=$3
  # Quoted as the desktop entry specification asks: inside double quotes, escape \ " ` $.
  # Each backslash becomes four (the Exec level doubles it, the string level doubles both);
  # each of " ` $ gets two before it.
  quote() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')"; }
  autostart="${XDG_CONFIG_HOME:-$HOME/.config}/autostart"
  mkdir -p "$autostart"
  {
    echo "[Desktop Entry]"
    echo "Type=Application"
    echo "Name=lectern (room display)"
    echo "Comment=Starts this room's projector full screen after login"
    echo "Exec=lectern $(quote "$schedule") --room $(quote "$room") --fullscreen"
    echo "Icon=lectern"
    echo "Terminal=false"
    echo "X-GNOME-Autostart-enabled=true"
  } > "$autostart/lectern.desktop"
  echo "installed $autostart/lectern.desktop: $room from $schedule, full screen, at login"
fi
