# shellcheck shell=bash
# CLI conveniences (issue 19.6): zsh and fish, so test/cli/completion.test.ts parses (and, with fish,
# runs) the completion scripts `vaultproof completion zsh|fish` prints, as bash's is run.
# Sourced by scripts/setup.sh (which defines `say` and `fail`); idempotent.
vp_shell_pkgs=()
command -v zsh >/dev/null || vp_shell_pkgs+=(zsh)
command -v fish >/dev/null || vp_shell_pkgs+=(fish)
if [ ${#vp_shell_pkgs[@]} -eq 0 ]; then
  say "zsh and fish already installed"
else
  say "installing ${vp_shell_pkgs[*]} (apt-get)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${vp_shell_pkgs[@]}" >/dev/null; }; then
    fail "${vp_shell_pkgs[*]} (apt-get install failed)"
  fi
fi
