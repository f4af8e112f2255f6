#!/bin/sh
# Sets a new version everywhere it is declared: info.version of spec/openapi.yaml, the root
# pom.xml's <version> and every module's <parent> version (they move together; VersionAlignmentTest
# checks it). With --release, also makes spec/openapi.yaml the published baseline the gate
# compares against (spec/published/openapi.yaml). Run from anywhere; then run `mvn -B verify`.
#
#   spec/set-version.sh 3.0.0              # a new major version after a refused breaking change
#   spec/set-version.sh 2.1.0 --release    # release: version set and baseline replaced
set -eu

usage() { echo "usage: spec/set-version.sh MAJOR.MINOR.PATCH [--release]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
new=$1
release=no
if [ $# -eq 2 ]; then [ "$2" = "--release" ] || usage; release=yes; fi
echo "$new" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' || { echo "not MAJOR.MINOR.PATCH: $new" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
spec="$root/spec/openapi.yaml"
old=$(awk '/^info:/ {i=1; next} i && /^  version:/ {print $2; exit} i && /^[^ #]/ {exit}' "$spec")
[ -n "$old" ] || { echo "no info.version in $spec" >&2; exit 1; }

# info.version: the first `  version:` line of the info block, its comment kept.
awk -v new="$new" '
  /^info:/ {i=1}
  i && !done && /^  version:/ {sub(/version: [^ #]+/, "version: " new); done=1}
  /^[^ #]/ && !/^info:/ {i=0}
  {print}' "$spec" > "$spec.tmp" && mv "$spec.tmp" "$spec"

# Every pom.xml: the <version> right after <artifactId>wechatpay-partner-parent</artifactId>
# (the root's own version, each module's parent).
find "$root" -name pom.xml -not -path '*/node_modules/*' -not -path '*/target/*' | while read -r pom; do
  awk -v new="$new" '
    /<artifactId>wechatpay-partner-parent<\/artifactId>/ {next_version=1; print; next}
    next_version && /<version>[^<]*<\/version>/ {sub(/<version>[^<]*<\/version>/, "<version>" new "</version>"); next_version=0}
    {print}' "$pom" > "$pom.tmp" && mv "$pom.tmp" "$pom"
done

if [ "$release" = yes ]; then
  cp "$spec" "$root/spec/published/openapi.yaml"
  echo "spec/published/openapi.yaml is now the $new baseline"
fi
echo "version $old -> $new in spec/openapi.yaml and $(find "$root" -name pom.xml -not -path '*/node_modules/*' -not -path '*/target/*' | wc -l) pom.xml files"
# What else names the old version (docs, jar names): for a person to read, not to rewrite blindly.
grep -rIl --exclude-dir=target --exclude-dir=node_modules --exclude-dir=.git --exclude-dir=published --exclude=package-lock.json -F "$old" "$root" \
  | sed "s|^$root/|  still mentions $old: |" || true
