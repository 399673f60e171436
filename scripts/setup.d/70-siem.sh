# shellcheck shell=bash
# SIEM delivery and CI gate prerequisites (sourced by scripts/setup.sh, which defines say, fail, $VP_TOOLS):
#  - rsyslog with its TLS driver and RELP input (test/siem starts its own rsyslogd on loopback: TCP, TLS, RELP)
#  - openssl (the tests mint a throwaway CA and server certificate)
#  - actionlint (test/ci lints .github/workflows/*.yml), pinned, installed into $VP_TOOLS/bin, and
#    ShellCheck, which actionlint runs over the scripts of the workflows (and test/ci over scripts/ci/*.sh)

SIEM_APT_PACKAGES=()
command -v rsyslogd >/dev/null 2>&1 || SIEM_APT_PACKAGES+=(rsyslog)
dpkg -s rsyslog-gnutls >/dev/null 2>&1 || SIEM_APT_PACKAGES+=(rsyslog-gnutls)
dpkg -s rsyslog-relp >/dev/null 2>&1 || SIEM_APT_PACKAGES+=(rsyslog-relp)
command -v openssl >/dev/null 2>&1 || SIEM_APT_PACKAGES+=(openssl)
command -v shellcheck >/dev/null 2>&1 || SIEM_APT_PACKAGES+=(shellcheck)
if [ ${#SIEM_APT_PACKAGES[@]} -eq 0 ]; then
  say "rsyslog, rsyslog-gnutls, rsyslog-relp, openssl and shellcheck already installed"
else
  say "installing Debian packages: ${SIEM_APT_PACKAGES[*]}"
  # The package's own service is not wanted: the tests start their own rsyslogd with their own config.
  if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
         DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${SIEM_APT_PACKAGES[@]}"; } >&2; then
    fail "rsyslog/rsyslog-gnutls/rsyslog-relp/openssl/shellcheck (apt-get install failed)"
  fi
fi
command -v rsyslogd >/dev/null 2>&1 || [ -x /usr/sbin/rsyslogd ] || fail "rsyslogd (not on PATH after install)"

ACTIONLINT_VERSION=v1.7.12
if [ -x "$VP_TOOLS/bin/actionlint" ] && "$VP_TOOLS/bin/actionlint" -version 2>/dev/null | head -1 | grep -qx "${ACTIONLINT_VERSION}"; then
  say "actionlint ${ACTIONLINT_VERSION} already installed"
else
  say "installing actionlint ${ACTIONLINT_VERSION} (go install)"
  if ! command -v go >/dev/null; then fail "actionlint (no Go toolchain on PATH)";
  elif ! GOBIN="$VP_TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}"; then fail "actionlint (go install failed)"; fi
fi
