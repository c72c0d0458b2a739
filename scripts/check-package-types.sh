#!/usr/bin/env bash
# Are the types wrong? Packs each package and checks that every export resolves to its types
# the way consumers resolve it (@arethetypeswrong/cli). Run after the build (pnpm check:packages).
# core ships CommonJS and ES modules; nest and vue ship ES modules only (NestJS 12 and Vite are
# ES-module-first), so a require() of them is expected to fail and is not reported.
set -euo pipefail
cd "$(dirname "$0")/.."

attw() { (cd "packages/$1" && shift && pnpm exec attw --pack . --format table-flipped "$@"); }

attw core --profile node16
attw nest-helper --profile esm-only
# The stylesheet is CSS, not a module with types.
attw vue-helper --profile esm-only --exclude-entrypoints style.css
