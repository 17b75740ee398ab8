#!/usr/bin/env bash
# Refreshes the GraphiQL files Kartla serves (assets/graphiql) from the npm registry. GraphiQL 5 ships ES
# modules only; 4.x is the last line with a UMD bundle the page can load with plain <script> tags.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent graphiql@4 react@18 react-dom@18 >/dev/null && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}" --strip-components 1; done)
out=assets/graphiql
cp "$work"/graphiql-*/dist/index.umd.js "$out/graphiql.min.js"
cp "$work"/graphiql-*/dist/style.css "$out/graphiql.min.css"
cp "$work"/react-1*/umd/react.production.min.js "$out/"
cp "$work"/react-dom-*/umd/react-dom.production.min.js "$out/"
sed -i '/^\/\/# sourceMappingURL=/d' "$out/graphiql.min.js"
ls "$work"/*.tgz
echo "Updated $out; update the versions in $out/THIRD_PARTY_LICENSES.md."
