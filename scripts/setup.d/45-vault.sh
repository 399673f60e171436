# shellcheck shell=bash
# HashiCorp Vault, the real open-source server, for the integration tests that start `vault server -dev`
# (sourced by scripts/setup.sh, which defines say, fail, $VP_TOOLS).
#
# `go install github.com/hashicorp/vault@v1.21.4` is refused (its go.mod has replace directives), but the
# module builds from the Go module proxy with a small patch:
#   1. fetch the module (`go mod download -json`) and copy it to a writable temp folder;
#   2. drop the `replace` lines for ./api and ./sdk (the module zip has neither folder: the published
#      api and sdk modules are used instead);
#   3. the published sdk differs from the in-tree one in two signatures: patch the three call sites;
#   4. build with -mod=mod into tools/bin/vault.
# A cold build takes 10+ minutes on 2 cores (about 1.5 min with a warm Go cache); skipped when the pinned
# version is already installed.
VAULT_VERSION=v1.21.4
vp_vault_bin="$VP_TOOLS/bin/vault"
if [ -x "$vp_vault_bin" ] && "$vp_vault_bin" version 2>/dev/null | grep -qE "^Vault ${VAULT_VERSION}([, ]|$)"; then
  say "vault ${VAULT_VERSION} already installed"
elif ! command -v go >/dev/null; then
  fail "vault (no Go toolchain on PATH)"
else
  say "building vault ${VAULT_VERSION} from its Go module (10+ min cold, ~1.5 min with a warm Go cache)"
  if ! bash "$ROOT/scripts/build-vault.sh" "$VAULT_VERSION" "$vp_vault_bin"; then
    fail "vault (build from the Go module failed: see the output above)"
  fi
fi
unset vp_vault_bin
