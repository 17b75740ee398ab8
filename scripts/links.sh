#!/usr/bin/env bash
# Checks every link in README.md, CHANGELOG.md, docs/ and examples/ that points inside the repository: the
# file must exist and, for `file.md#heading`, so must the heading (remark-validate-links). Links to other
# sites are not checked: CI has no internet.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix scripts/checks --no-audit --no-fund --loglevel=error >/dev/null
checks="$PWD/scripts/checks/node_modules"
"$checks/.bin/remark" --use "$checks/remark-validate-links/index.js=repository:false" \
    --frail --quiet --no-stdout README.md CHANGELOG.md docs examples/typescript/*.md examples/python/*.md
echo "every link inside the repository resolves"
