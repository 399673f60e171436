#!/usr/bin/env bash
# The release tarball installs and runs on a clean machine with only Node 20: `npm pack` (its
# prepack builds the policy bundle and the TypeScript), check what the tarball carries (everything
# the CLI needs; no tests, no keys), install it into an empty folder with a normal `npm install`
# (dependencies from the registry), then `npx vaultproof scan --demo --allow-errors` with a PATH
# that holds node and the system tools only (no opa, no checkout) and check its exit code and verdict.
#
#   bash scripts/ci/pack-install-test.sh [--no-build]   # --no-build: pack the tree as built (no prepack)
#
# Ends with `pack-install-test: OK ...` and exit 0, or one `pack-install-test: FAIL: <reason>` line
# and exit 1. Called by .ci/run.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vp-pack-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "pack-install-test: FAIL: $1" >&2; exit 1; }
say() { echo "pack-install-test: $1"; }

pack_flags=()
if [ "${1:-}" = "--no-build" ]; then pack_flags=(--ignore-scripts); fi

say "npm pack ${pack_flags[*]:-(prepack: npm run build)}"
(cd "$root" && npm pack --silent --pack-destination "$work" "${pack_flags[@]}") >"$work/pack.log" 2>&1 || { tail -n 20 "$work/pack.log" >&2; fail "npm pack failed"; }
tarball=$(find "$work" -maxdepth 1 -name 'vaultproof-*.tgz' | head -n 1)
[ -n "$tarball" ] || fail "npm pack wrote no vaultproof-*.tgz"
version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
[ "$(basename "$tarball")" = "vaultproof-$version.tgz" ] || fail "tarball $(basename "$tarball") does not match package.json version $version"

tar -tzf "$tarball" | sed 's|^package/||' | LC_ALL=C sort >"$work/contents.txt" || fail "cannot list $tarball"
for needed in bin/vaultproof.js dist/cli/main.js dist/engine/worker.js policies/dist/policy.wasm policies/dist/rules.json \
              policies/dist/defaults.json policies/standard/requirements.yaml fixtures/demo/snapshot.json schemas/findings-v1.schema.json \
              dist/evidence/templates.generated.js package.json README.md; do
  grep -qx "$needed" "$work/contents.txt" || fail "the tarball lacks $needed"
done
# No tests, TypeScript sources, build scripts, local tools or key material (data files under src/ that
# package.json "files" names, such as the scanning policy, are fine).
unwanted=$(grep -E '^(test|scripts|tools|bench|node_modules|\.github|\.ci)/|^src/.*\.[cm]?[jt]s$|(^|/)\.env|\.(key|pem|p12|pfx)$|\.test\.[cm]?[jt]s$' "$work/contents.txt" | head -n 5)
[ -z "$unwanted" ] || fail "the tarball carries files it must not: $(echo "$unwanted" | tr '\n' ' ')"
# Key material by content, whatever the file name.
if tar -xzOf "$tarball" 2>/dev/null | grep -aq -- '-----BEGIN [A-Z ]*PRIVATE KEY-----'; then fail "the tarball contains a private key"; fi
say "$(basename "$tarball"): $(wc -l <"$work/contents.txt") files, $(du -k "$tarball" | cut -f1) KiB"

# A clean machine: an empty folder, and a PATH with node/npm and the system tools only.
app="$work/app"
mkdir -p "$app" "$work/home"
node_dir=$(dirname "$(command -v node)")
clean_env=(env -i HOME="$work/home" PATH="$node_dir:/usr/bin:/bin" TMPDIR="$work"
           npm_config_cache="${npm_config_cache:-$HOME/.npm}" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false)
if "${clean_env[@]}" sh -c 'command -v opa' >/dev/null 2>&1; then fail "opa is on the clean PATH; the test would not prove the tarball runs without it"; fi
"${clean_env[@]}" node --version | grep -q '^v20\.' || say "warning: not Node 20 ($("${clean_env[@]}" node --version))"

say "npm install $(basename "$tarball") into an empty folder"
(cd "$app" && "${clean_env[@]}" npm init -y >/dev/null && "${clean_env[@]}" npm install --no-package-lock "$tarball") >"$work/install.log" 2>&1 \
  || { tail -n 20 "$work/install.log" >&2; fail "npm install of the tarball failed"; }

got=$(cd "$app" && "${clean_env[@]}" npx --no -- vaultproof --version 2>&1) || fail "npx vaultproof --version failed: $got"
case "$(printf "%s" "$got" | head -n 1)" in *"$version"*) ;; *) fail "npx vaultproof --version printed '$got', expected $version" ;; esac

say "npx vaultproof scan --demo --allow-errors"
(cd "$app" && "${clean_env[@]}" npx --no -- vaultproof scan --demo --allow-errors --format json --out findings.json) >"$work/scan.log" 2>&1
code=$?
verdict=$(grep -v '^[[:space:]]*$' "$work/scan.log" | tail -n 1)
# The demo fleet violates every rule on purpose: exit 1 with a FAIL verdict (3 would mean checks
# could not be judged despite --allow-errors; 2 a broken install).
[ "$code" -eq 1 ] || { cat "$work/scan.log" >&2; fail "scan --demo --allow-errors exited $code, expected 1 (violations)"; }
case "$verdict" in FAIL:*"(exit 1)") ;; *) fail "unexpected verdict: $verdict" ;; esac
node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!Array.isArray(d.findings) || d.findings.length === 0 || !(d.summary && d.summary.fail > 0)) process.exit(1);
' "$app/findings.json" || fail "findings.json from the installed package has no failing findings"
# The compliance map reads the requirement catalog shipped in the package (policies/standard).
(cd "$app" && "${clean_env[@]}" npx --no -- vaultproof compliance --demo --allow-errors --format json --out compliance.json) >"$work/compliance.log" 2>&1
map_code=$?
[ "$map_code" -eq 1 ] || { cat "$work/compliance.log" >&2; fail "compliance --demo --allow-errors exited $map_code, expected 1 (violations)"; }
node -e '
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!(m.summary && m.summary.requirements > 0 && m.requirements.length === m.summary.requirements)) process.exit(1);
' "$app/compliance.json" || fail "compliance.json from the installed package has no requirements"
say "OK: installed $(basename "$tarball") runs scan --demo (exit $code): $verdict; compliance --demo maps $(node -p 'require(process.argv[1]).summary.requirements' "$app/compliance.json") requirements"
