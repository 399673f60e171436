#!/usr/bin/env bash
# Installs vaultproof from the checkout this script lives in (the action's own checkout,
# ${{ github.action_path }}), never from a registry package by name: `npm ci` with the committed
# lockfile, then `npm run build` (the policy bundle with opa, build time only; the TypeScript). With
# VP_INSTALL_CACHED=true (the action's cache of node_modules/dist/policies/dist was restored) it
# only checks that the restored build runs.
#
#   bash scripts/ci/install.sh            # --cache-key: print the cache key and paths instead
#
# Writes the step output `command` (how to run the CLI). Any failure exits 2 with one line saying
# what failed (fail closed: the gate never runs on a half-installed tool).
# Environment: VP_INSTALL_CACHED (true|false), OPA (an opa binary to use), RUNNER_OS/RUNNER_ARCH.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OPA_VERSION=v1.22.3
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }
fail() { printf '::error title=vaultproof install::vaultproof install failed: %s\n' "$1"; exit 2; }
# Run a build step quietly; on failure show its output and fail with one line.
run() {
  local what=$1; shift
  local log
  log=$(mktemp)
  if ! (cd "$root" && "$@") >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "$what ($*) exited non-zero"
  fi
  rm -f "$log"
}

if [ "${1:-}" = "--cache-key" ]; then
  # The key covers what the build depends on: the lockfile (dependencies), the sources and build
  # scripts (the outputs), the Node major and the platform. The cached paths are the build outputs.
  command -v sha256sum >/dev/null || fail "sha256sum not found"
  lock=$(sha256sum "$root/package-lock.json" | cut -c1-16) || fail "no package-lock.json in $root"
  tree=$(cd "$root" && find package.json tsconfig.json tsconfig.build.json bin src policies scripts -type f \
           ! -path 'policies/dist/*' ! -name '*.generated.ts' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || fail "node not found"
  output key "vaultproof-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-node${node_major}-${OPA_VERSION}-lock-${lock}-src-${tree}"
  output dir "$root"
  exit 0
fi

command -v node >/dev/null || fail "node not found on PATH (the action sets up Node 20 first)"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] 2>/dev/null || fail "Node $(node --version) is too old: vaultproof needs Node 20 or later"

if [ "${VP_INSTALL_CACHED:-false}" != "true" ]; then
  command -v npm >/dev/null || fail "npm not found on PATH"
  # Lifecycle scripts off: installing the dependencies runs none of their code.
  run "npm ci" npm ci --no-audit --no-fund --ignore-scripts
  opa="${OPA:-}"
  if [ -z "$opa" ] && [ -x "$root/tools/bin/opa" ]; then opa="$root/tools/bin/opa"; fi
  if [ -z "$opa" ] && command -v opa >/dev/null; then opa=$(command -v opa); fi
  if [ -z "$opa" ]; then
    # opa is needed to build the policy bundle only; Go verifies the module against its checksum database.
    command -v go >/dev/null || fail "opa is needed to build the policy bundle: put opa ${OPA_VERSION} on PATH, set OPA, or provide Go to install it"
    mkdir -p "$root/tools/bin"
    run "go install opa ${OPA_VERSION}" env GOBIN="$root/tools/bin" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/opa@${OPA_VERSION}"
    opa="$root/tools/bin/opa"
  fi
  # The project's own build, whatever steps it has: the policy bundle (opa check, test, build), templates, tsc.
  run "npm run build" env OPA="$opa" npm run --silent build
fi

for f in bin/vaultproof.js dist/cli/main.js policies/dist/policy.wasm policies/dist/rules.json; do
  [ -s "$root/$f" ] || fail "$f is missing after the build${VP_INSTALL_CACHED:+ (cache restored: ${VP_INSTALL_CACHED})}"
done
version=$(node "$root/bin/vaultproof.js" --version 2>&1) || fail "the built CLI does not run: $(printf '%s' "$version" | tail -n 1)"
echo "vaultproof ${version} installed from ${root}"
output command "node $root/bin/vaultproof.js"
