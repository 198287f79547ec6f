#!/usr/bin/env bash
# Install the few system programs Livestall needs, only when missing. Safe to run again.
#   runtime: ffmpeg + ffprobe (video), libfribidi (right-to-left text in Pillow's raqm layout),
#            a colour emoji font for clip text (Debian: fonts-noto-color-emoji; optional elsewhere)
#   tests:   chromium (overlay and web studio pages, driven by Playwright)
# Usage: scripts/system-deps.sh [runtime|test]
set -euo pipefail
want="${1:-runtime}"

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "$(uname -s)" = "Linux" ]; then
  ldconfig -p 2>/dev/null | grep -q 'libfribidi.so.0' || missing+=(libfribidi0)
  ldconfig -p 2>/dev/null | grep -q 'libraqm.so.0' || missing+=(libraqm0)
  if command -v apt-get >/dev/null 2>&1; then
    [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
  fi
fi
if [ "$want" = "test" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

# de-duplicate
read -r -a missing <<<"$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
if [ "$(uname -s)" = "Darwin" ]; then
  echo "Missing: ${missing[*]}. Install with: brew install ffmpeg fribidi libraqm (and Chromium for tests)." >&2
  exit 1
fi
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing system packages: ${missing[*]} — install them with your package manager." >&2
exit 1
