#!/usr/bin/env bash
# Finds or provisions the Temporal CLI (dev server + embedded Web UI) and prints its path on stdout.
# Used by `npm start`, `npm test` and .ci/run. Messages go to stderr. The version is pinned here only.
#
# Order: $TEMPORAL_CLI_PATH; a `temporal` on PATH reporting the pinned server version or newer; the cache
# outside the clone; a one-time `go install` into that cache; else prints nothing (exit 3): the caller lets the
# Temporal SDK download the CLI (machines with internet access).
set -euo pipefail

CLI_VERSION="v1.5.1"      # the newest github.com/temporalio/cli that builds from the Go module proxy
SERVER_VERSION="1.29.1"   # what that CLI embeds

cache_root="${CLOUD_RELEASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-release}"
cache_dir="$cache_root/temporal-$CLI_VERSION"
cached="$cache_dir/temporal"

say() { echo "temporal-cli: $*" >&2; }

version_ge() { # $1 >= $2, dotted numbers
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || { say "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable"; exit 2; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi

if on_path=$(command -v temporal 2>/dev/null); then
  v=$("$on_path" --version 2>/dev/null | sed -n 's/.*Server \([0-9.]*\).*/\1/p')
  if [ -n "$v" ] && version_ge "$v" "$SERVER_VERSION"; then echo "$on_path"; exit 0; fi
  say "ignoring $on_path (server ${v:-unknown} < $SERVER_VERSION)"
fi

if [ -x "$cached" ]; then echo "$cached"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  say "no Temporal CLI found and no Go toolchain: the SDK will download the CLI"
  exit 3
fi

mkdir -p "$cache_dir"
# One builder at a time (parallel test files, CI, a second clone); the others wait, then find the binary.
exec 9>"$cache_dir/.lock"
flock 9
if [ ! -x "$cached" ]; then
  say "one-time build of the Temporal CLI $CLI_VERSION from its Go module (a few minutes) into $cache_dir"
  tmp=$(mktemp -d "$cache_dir/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" GOFLAGS="-mod=mod" go install "github.com/temporalio/cli/cmd/temporal@$CLI_VERSION" >&2
  mv "$tmp/temporal" "$cached"   # atomic within one filesystem: readers never see half a binary
  say "built $("$cached" --version)"
fi
echo "$cached"
