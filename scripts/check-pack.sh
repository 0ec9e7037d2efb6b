#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (its prepack compiles src/ to dist/), then
# `npm install ./nashboard-*.tgz` into an empty folder outside the repo, then the CLI, the library, its
# types and the dashboard's files from that install, on plain Node (no tsx: it is a devDependency, so
# the install has none). Run by .ci/run; by hand: npm run check:pack.
#
# Dependencies come from npm's cache (--prefer-offline): `npm ci` has put their tarballs there, and
# the registry is asked only for the metadata the cache lacks (after one run, none: --offline works).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/nashboard-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$repo"

echo "pack: npm pack"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
contents="$(tar -tzf "$tarball")"
for shipped in dist/index.js dist/index.d.ts dist/cli/main.js bin/nashboard.js web/index.html web/main.js \
  native/build.mjs native/binding.gyp native/src/addon.cc README.md LICENSE; do
  grep -qx "package/$shipped" <<<"$contents" || { echo "pack: $shipped is missing from $tarball" >&2; exit 1; }
done
# Sources, tests, benches and a local addon build stay home; .ts files ship only as declarations.
if grep -E '^package/(src|test|bench|scripts|runs|native/build)/|\.ts$' <<<"$contents" | grep -v '\.d\.ts$'; then
  echo "pack: the files above should not ship" >&2
  exit 1
fi
echo "pack: $(wc -l <<<"$contents") files in $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB"

app="$work/app"
mkdir "$app"
cd "$app"
printf '{ "name": "pack-check", "private": true, "type": "module" }\n' >package.json
echo "install: npm install $(basename "$tarball")"
npm install "$tarball" --prefer-offline --no-audit --no-fund --loglevel=error
[ ! -e node_modules/tsx ] || { echo "install: tsx was installed; it must stay a devDependency" >&2; exit 1; }
cat node_modules/nashboard/native/build/status.txt

echo "cli: npx nashboard --version"
version="$(npx --no-install nashboard --version)"
[ "$version" = "$(node -p "require('$repo/package.json').version")" ] || { echo "cli: version $version" >&2; exit 1; }

# Copied into the folder, so that "nashboard" resolves to the install, not to the checkout itself.
cp "$repo/scripts/check-pack-consumer.mjs" consumer.mjs
NASHBOARD_REPO="$repo" node consumer.mjs

echo "types: tsc on a consumer's file"
cp "$repo/scripts/check-pack-types.ts" check.ts
node "$repo/node_modules/typescript/bin/tsc" --noEmit --strict --skipLibCheck --target es2022 \
  --module nodenext --moduleResolution nodenext check.ts
echo "pack: the installed package works"
