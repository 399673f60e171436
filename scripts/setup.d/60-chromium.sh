# shellcheck shell=bash
# Evidence packs (issue 7): headless Chromium for `--pdf` and the browser test of index.html
# (driven by playwright-core, which downloads no browser of its own here), and openssl, which the
# signer tests use to mint a throwaway TLS certificate for their local Key Vault fake.
# Sourced by scripts/setup.sh (which defines `say` and `fail`); idempotent.
vp_evidence_pkgs=()
[ -x /usr/bin/chromium ] || vp_evidence_pkgs+=(chromium)
command -v openssl >/dev/null || vp_evidence_pkgs+=(openssl)
if [ ${#vp_evidence_pkgs[@]} -eq 0 ]; then
  say "chromium and openssl already installed"
else
  say "installing ${vp_evidence_pkgs[*]} (apt-get)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${vp_evidence_pkgs[@]}" >/dev/null; }; then
    fail "${vp_evidence_pkgs[*]} (apt-get install failed)"
  fi
fi
# Chromium without fonts renders boxes; a basic font set keeps screenshots readable.
if ! fc-list 2>/dev/null | grep -qi dejavu; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null || fail "fonts-dejavu-core (apt-get install failed)"
fi
[ -x /usr/bin/chromium ] || fail "chromium (/usr/bin/chromium missing after install)"
unset vp_evidence_pkgs
