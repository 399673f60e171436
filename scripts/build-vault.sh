#!/usr/bin/env bash
# Builds the open-source HashiCorp Vault server from its Go module: build-vault.sh VERSION OUTPUT.
# Used by scripts/setup.d/45-vault.sh; see there for why a patch is needed.
set -euo pipefail
version=$1
out=$2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/hashicorp/vault@${version}" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(!m.Dir){console.error(m.Error||"no Dir");process.exit(1)}console.log(m.Dir)})')
cp -r "$dir" "$work/vault"
chmod -R u+w "$work/vault"
cd "$work/vault"

# 2. The module zip has no api/ or sdk/ folders: use the published modules.
sed -i -E '/^replace github\.com\/hashicorp\/vault\/(api|sdk)[^ ]* => \.\//d' go.mod
if grep -qE '^replace github\.com/hashicorp/vault/(api|sdk)' go.mod; then
  echo "build-vault: unexpected replace directives left in go.mod" >&2
  exit 1
fi

# 3. The published sdk's signatures (three call sites).
patch_file() { # file, perl substitution, what
  local before
  before=$(sha256sum "$1")
  perl -0pi -e "$2" "$1"
  if [ "$before" = "$(sha256sum "$1")" ]; then echo "build-vault: patch did not apply: $3 ($1)" >&2; exit 1; fi
}
# ActivationFunc takes (ctx, req, string) in the published sdk.
patch_file vault/identity_store.go \
  's/ActivationFunc:\s*iStore\.activateDeduplication,/ActivationFunc: func(ctx context.Context, req *logical.Request, _ string) error { return iStore.activateDeduplication(ctx, req) },/' \
  'identity_store.go ActivationFunc'
patch_file vault/logical_system_activation_flags.go \
  's/\.ActivationFunc\(ctx, nil\)/.ActivationFunc(ctx, nil, "")/g' \
  'logical_system_activation_flags.go ActivationFunc call'
# RestorePolicy returns only an error in the published sdk: keep keyName as the restored name.
# (the $1/$2 are perl's capture groups, not shell expansions)
# shellcheck disable=SC2016
patch_file builtin/logical/transit/path_restore.go \
  's/(\w+), err := ([\w.]+)\.RestorePolicy\(/$1 := keyName\n\terr := $2.RestorePolicy(/' \
  'transit path_restore.go RestorePolicy'

mkdir -p "$(dirname "$out")"
GOFLAGS=-mod=mod go build -ldflags "-s -w" -o "$out.part" .
mv "$out.part" "$out"
"$out" version
