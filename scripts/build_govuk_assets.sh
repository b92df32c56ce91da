#!/bin/sh
# Rebuild the committed GOV.UK Frontend assets under src/cpqa/web/static/govuk/.
#
# Only a maintainer upgrading GOV.UK Frontend runs this (it needs Node, npm and the npm
# registry); installing or running cpqa never does, because the output is committed.
#
# Why compile rather than copy the precompiled CSS: the precompiled file uses the GDS
# Transport font, which is licensed for GOV.UK only, and expects assets at /assets/. A council
# service uses Arial and the generic header, and serves its assets under Django's /static/.
#
# Usage: scripts/build_govuk_assets.sh [scratch-dir]   (run from the repository root)
set -eu

GOVUK_FRONTEND_VERSION=6.6.0
SASS_EMBEDDED_VERSION=1.105.0

repo_root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${1:-$(mktemp -d)}
target="$repo_root/src/cpqa/web/static/govuk"

mkdir -p "$scratch"
cd "$scratch"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact \
    "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass-embedded@$SASS_EMBEDDED_VERSION" >/dev/null

dist=node_modules/govuk-frontend/dist/govuk
cat > cpqa-govuk.scss <<'SCSS'
@use "node_modules/govuk-frontend/dist/govuk" with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-assets-path: "/static/govuk/assets/"
);
SCSS

rm -rf "$target"
mkdir -p "$target"
npx sass --style=compressed --no-source-map --quiet-deps cpqa-govuk.scss "$target/govuk-frontend.min.css"
cp "$dist/govuk-frontend.min.js" "$target/govuk-frontend.min.js"
# No images are copied: every image in the package (favicons, icons, crest, opengraph image)
# carries the GOV.UK crown or crest, which a council service may not use. cpqa's own favicon
# lives in static/web/. The CSS's one url() (the crest) is only used by the footer copyright
# logo, which cpqa's footer does not show.

if grep -q "GDS Transport" "$target/govuk-frontend.min.css"; then
    echo "build_govuk_assets: the compiled CSS still names GDS Transport" >&2
    exit 1
fi

cat > "$target/VERSION" <<NOTE
govuk-frontend $GOVUK_FRONTEND_VERSION (npm), compiled with sass-embedded $SASS_EMBEDDED_VERSION
Sass settings: \$govuk-font-family: arial, sans-serif; \$govuk-assets-path: "/static/govuk/assets/"
Built by scripts/build_govuk_assets.sh. No GDS Transport fonts, crown or crest are included.
NOTE

cat > "$target/LICENSE-govuk-frontend.txt" <<'LICENSE'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENSE

echo "GOV.UK Frontend $GOVUK_FRONTEND_VERSION assets written to src/cpqa/web/static/govuk/"
