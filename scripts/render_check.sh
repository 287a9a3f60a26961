#!/usr/bin/env bash
# Renders an lpdla HTML report in headless Chromium (Debian `chromium`) and checks the screenshot
# is not blank: the report must draw in a real browser without network access, not only parse.
# Usage: scripts/render_check.sh BUILD_DIR [REPORT.html]  (default: a report of a small sweep,
# made with BUILD_DIR/lpdla). Exit 0 = rendered with content, 1 = blank or failed, 77 = no chromium.
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "render_check: chromium not installed (scripts/setup.sh installs it)" >&2
    exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="${2:-}"
if [ -z "$report" ]; then
    report="$work/report.html"
    "$build/lpdla" report --devices arria10_gx1150,stratix10_gx2800 --networks alexnet \
        --precisions 2/ternary,8/int8 --k-vec 16:64:16 --c-vec 8,32 --q-vec 2,4 --lanes 1,2 \
        --quiet --out "$report" >/dev/null
fi
png="$work/shot.png"
# No network: a report that needed one would render incomplete. --no-sandbox: CI runs as root.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
    --user-data-dir="$work/profile" --window-size=1200,2400 --hide-scrollbars \
    --screenshot="$png" "file://$report" >"$work/chromium.log" 2>&1 || {
    echo "render_check: chromium failed:" >&2
    tail -20 "$work/chromium.log" >&2
    exit 1
}
[ -s "$png" ] || { echo "render_check: no screenshot written" >&2; exit 1; }
# Not blank: count pixels that are neither white nor near-white, and distinct colours.
python3 - "$png" <<'PY'
import struct, sys, zlib

def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, out = zlib.decompress(idat), width * bpp, bytearray(width * bpp), []
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        prev = line
    return width, height, bpp, out

w, h, bpp, rows = pixels(sys.argv[1])
ink, colours = 0, set()
for row in rows:
    for x in range(0, w * bpp, bpp * 2):  # every other pixel is plenty
        r, g, b = row[x], row[x + 1], row[x + 2]
        colours.add((r >> 4, g >> 4, b >> 4))
        ink += (r + g + b) < 600
share = ink / (h * w / 2)
print(f"render_check: {w}x{h} screenshot, {100 * share:.2f} % ink, {len(colours)} colours")
sys.exit(0 if share > 0.01 and len(colours) >= 8 else 1)
PY
