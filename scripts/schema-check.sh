#!/usr/bin/env bash
# The schema checks .ci/run runs on schema.graphql (which a test keeps equal to the server's schema):
#  1. lint: descriptions everywhere, naming and enum style, Relay connections, and every deprecation with a
#     reason and a date (scripts/checks/.graphql-schema-linterrc, rules/ for Kartla's own rule);
#  2. breaking changes: the schema against the last release tag (v*), or before the first tag against the
#     previous commit (against HEAD while schema.graphql has uncommitted changes). A field, type, argument or
#     enum value removed or changed incompatibly fails, unless the base schema had already deprecated it.
#     KARTLA_SCHEMA_BASE=<git revision> compares with another base.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix scripts/checks --no-audit --no-fund --loglevel=error >/dev/null
bin="$PWD/scripts/checks/node_modules/.bin"

echo "== schema lint"
(cd scripts/checks && "$bin/graphql-schema-linter" ../../schema.graphql)

echo "== schema changes"
if [ -n "${KARTLA_SCHEMA_BASE:-}" ]; then
    base=$KARTLA_SCHEMA_BASE
elif base=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null); then
    :
elif ! git diff --quiet HEAD -- schema.graphql; then
    base=HEAD
else
    base=HEAD~1
fi
old=$(mktemp --suffix=.graphql)
trap 'rm -f "$old"' EXIT
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    echo "cannot compare the schema: $base is not a commit here (a shallow clone?); set KARTLA_SCHEMA_BASE" >&2
    exit 1
fi
if ! git show "$base:schema.graphql" >"$old" 2>/dev/null; then
    echo "$base has no schema.graphql: nothing to compare with"
    exit 0
fi
echo "comparing schema.graphql with $base ($(git rev-parse --short "$base"))"
"$bin/graphql-inspector" diff "$old" schema.graphql --rule suppressRemovalOfDeprecatedField
