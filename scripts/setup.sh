#!/usr/bin/env bash
# Installs everything vaultproof's build and tests need on a fresh Debian machine, from the registries:
# npm packages, the pinned `opa` binary (project-local, tools/bin), and each area's own prerequisites
# (scripts/setup.d/*.sh: Debian packages, Java test doubles, linters). Idempotent and fast when done.
# Prints what it could not install and exits non-zero then.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export VP_TOOLS="$ROOT/tools"
mkdir -p "$VP_TOOLS/bin"
FAILED=()
say() { printf 'setup: %s\n' "$*" >&2; }
fail() { say "COULD NOT INSTALL: $*"; FAILED+=("$1"); }

OPA_VERSION=v1.22.3
if [ -x "$VP_TOOLS/bin/opa" ] && "$VP_TOOLS/bin/opa" version 2>/dev/null | grep -q "^Version: ${OPA_VERSION#v}$"; then
  say "opa ${OPA_VERSION} already installed"
else
  say "installing opa ${OPA_VERSION} (go install, ~1-2 min)"
  if ! command -v go >/dev/null; then fail "opa (no Go toolchain on PATH)";
  elif ! GOBIN="$VP_TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/opa@${OPA_VERSION}"; then fail "opa (go install failed)"; fi
fi

if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  say "npm packages up to date"
else
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund || fail "npm packages (npm ci failed)"
fi

for part in scripts/setup.d/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck disable=SC1090
  source "$part"
done

say "building (policy bundle + TypeScript)"
if [ -x "$VP_TOOLS/bin/opa" ] && [ -d node_modules ]; then
  npm run --silent build || fail "build (npm run build failed)"
else
  fail "build (skipped: opa or npm packages missing)"
fi

if [ ${#FAILED[@]} -gt 0 ]; then
  say "FAILED to install: ${FAILED[*]}"
  exit 1
fi
say "all prerequisites installed"
