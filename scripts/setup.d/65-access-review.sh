# shellcheck shell=bash
# Access review (issue 9): precompiles reports/access-review/ into src/review/templates.generated.ts
# (until `npm run build` chains scripts/precompile-review-templates.mjs). Its browser test uses the
# Chromium that 60-chromium.sh installs. Sourced by scripts/setup.sh; idempotent.
if node scripts/precompile-review-templates.mjs --check 2>/dev/null; then
  say "access review templates up to date"
else
  node scripts/precompile-review-templates.mjs || fail "access review templates (scripts/precompile-review-templates.mjs failed)"
fi
