#!/usr/bin/env bash
# Builds the Temporal server itself (not the dev server) and its SQL schema tool, at the version the CLI embeds,
# for `npm run test:cluster`. Prints on stdout, one `key=value` a line:
#   server=<temporal-server binary>  sql=<temporal-sql-tool binary>  schema=<the module's schema/ directory>
# Messages go to stderr. Needs Go (the binaries are built from the go.temporal.io/server module, once, into the
# same cache as scripts/temporal-cli.sh; parallel callers wait on a lock and never see half a binary).
set -euo pipefail

say() { echo "temporal-server: $*" >&2; }

# The version is pinned in temporal-cli.sh only: the server run here must be the one the CLI embeds.
SERVER_VERSION=$(sed -n 's/^SERVER_VERSION="\([0-9.]*\)".*/\1/p' "$(dirname "$0")/temporal-cli.sh")
[ -n "$SERVER_VERSION" ] || { say "could not read SERVER_VERSION from scripts/temporal-cli.sh"; exit 2; }
module="go.temporal.io/server@v$SERVER_VERSION"

command -v go >/dev/null 2>&1 || { say "Go is needed to build the Temporal server $SERVER_VERSION (https://go.dev/dl/)"; exit 2; }

cache_root="${CLOUD_RELEASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloud-release}"
cache_dir="$cache_root/temporal-server-v$SERVER_VERSION"
server="$cache_dir/temporal-server"
sql="$cache_dir/temporal-sql-tool"

mkdir -p "$cache_dir"
exec 9>"$cache_dir/.lock"
flock 9
if [ ! -x "$server" ] || [ ! -x "$sql" ]; then
  say "one-time build of the Temporal server $SERVER_VERSION and its SQL tool from $module (a few minutes) into $cache_dir"
  tmp=$(mktemp -d "$cache_dir/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" GOFLAGS="-mod=mod" go install "go.temporal.io/server/cmd/server@v$SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@v$SERVER_VERSION" >&2
  # The names Temporal's own images use. mv is atomic within one filesystem.
  mv "$tmp/sql" "$sql"
  mv "$tmp/server" "$server"
  say "built $("$server" --version)"
fi

# The schema SQL ships inside the module (already downloaded by the build above).
dir=$(GOFLAGS="-mod=mod" go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[ -d "$dir/schema/postgresql/v12" ] || { say "no schema/postgresql/v12 in $module (${dir:-not downloaded})"; exit 2; }

echo "server=$server"
echo "sql=$sql"
echo "schema=$dir/schema"
