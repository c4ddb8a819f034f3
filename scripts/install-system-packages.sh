#!/usr/bin/env bash
# Installs the Debian packages the application needs, only when they are missing:
# Pango (WeasyPrint renders the enforcement documents to PDF with it), HarfBuzz's subsetter
# (without it WeasyPrint falls back to fontTools, which takes 2–3 s per PDF to subset a CJK font
# instead of 50 ms), Chromium for the browser tests, and a CJK font (without one, Chinese text in PDFs comes out as empty boxes).
# Quiet and fast when everything is there; never fails the set-up, only warns.
set -u

need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || need+=(libharfbuzz-subset0)
# The document tests read the PDFs back with pdftotext and pdffonts.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# The browser tests (tests/e2e) drive Debian's Chromium headless through Playwright.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ! command -v fc-list >/dev/null 2>&1; then
  need+=(fontconfig fonts-noto-cjk)
elif [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
  need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${need[*]}"
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"; then
    exit 0
  fi
fi
echo "WARNING: could not install ${need[*]}. PDFs may lack Chinese glyphs;" \
     "install them with your package manager (Debian/Ubuntu: apt-get install ${need[*]})." >&2
exit 0
