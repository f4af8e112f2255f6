#!/usr/bin/env bash
# Renders the HTML reference in headless Chromium, saves a screenshot, and fails if the page made
# any network request. Run by hand after a build (never part of `mvn verify`):
#
#   spec/scripts/screenshot-reference.sh [page.html] [screenshot.png]
#
# defaults: spec/target/bundle/api-reference.html and /tmp/api-reference.png.
# Needs Chromium (Debian: apt-get install -y chromium) and python3. Chinese shows as boxes on a
# machine without a CJK font (Debian: apt-get install -y fonts-noto-cjk), as for any viewer.
#
# The request check reads Chromium's NetLog: every request the page starts carries the page's
# origin as its initiator, while the browser's own services (clock, spelling dictionary, sign-in)
# carry none, so those are not counted against the page.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
page="$(realpath "${1:-$here/../target/bundle/api-reference.html}")"
shot="${2:-/tmp/api-reference.png}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[[ -f "$page" ]] || { echo "no page at $page: run mvn -B -pl spec verify first" >&2; exit 2; }
[[ -n "$browser" ]] || { echo "no Chromium on PATH (Debian: apt-get install -y chromium)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --user-data-dir="$work/profile" \
  --log-net-log="$work/netlog.json" --hide-scrollbars \
  --screenshot="$shot" --window-size=1400,2400 "file://$page" \
  > "$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }

python3 - "$work/netlog.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
started = [e.get("params", {}) for e in log["events"] if names.get(e["type"]) == "URL_REQUEST_START_JOB"]
from_page = [p["url"] for p in started
             if p.get("url", "").split(":", 1)[0] in ("http", "https", "ws", "wss")
             and p.get("initiator") != "not an origin"]
if from_page:
    print("the page made network requests:", *from_page, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"{len(started)} request(s) in the NetLog, none started by the page")
PY
echo "screenshot: $shot"
