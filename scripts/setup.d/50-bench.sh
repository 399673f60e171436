# shellcheck shell=bash
# Benchmark prerequisites (sourced by scripts/setup.sh, which defines say and fail):
#  - GNU time (/usr/bin/time): the bench harness measures each run's peak RSS with it, and the
#    harness smoke test in test/bench runs it.
if [ -x /usr/bin/time ]; then
  say "GNU time already installed"
else
  say "installing Debian package: time"
  if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends time; } >&2; then
    fail "time (apt-get install failed)"
  fi
fi
[ -x /usr/bin/time ] || fail "time (/usr/bin/time missing after install)"
