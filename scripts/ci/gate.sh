#!/usr/bin/env bash
# The gate run of the vaultproof GitHub Action (action.yml), usable from any CI shell too.
# Writes findings.json (the gate), vaultproof.sarif and junit.xml (the same evaluation rendered
# again: evaluation is deterministic) and the evidence pack under $VP_OUT; records the gate's exit
# code and verdict as step outputs; always exits 0 so the upload steps run — the action's last step
# applies the exit code.
#
# Inputs (environment): VP_CONFIG VP_DEMO VP_SNAPSHOT VP_FAIL_ON VP_BASELINE VP_FAIL_ON_NEW
# VP_ALLOW_INCOMPLETE VP_ALLOW_ERRORS VP_CORRELATION_ID VP_SIEM_SINK VP_OUT VP_VERSION VP_COMMAND VP_EXTRA_ARGS
set -uo pipefail

out="${VP_OUT:-vaultproof-out}"
mkdir -p "$out"
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }

if [ -n "${VP_COMMAND:-}" ]; then
  read -r -a vp <<<"$VP_COMMAND"
else
  vp=(npx --yes "vaultproof@${VP_VERSION:-latest}")
fi

common=(--fail-on "${VP_FAIL_ON:-high}")
if [ -n "${VP_BASELINE:-}" ]; then common+=(--baseline "$VP_BASELINE"); fi
if [ "${VP_FAIL_ON_NEW:-false}" = "true" ]; then common+=(--fail-on-new); fi
if [ "${VP_ALLOW_INCOMPLETE:-false}" = "true" ]; then common+=(--allow-incomplete); fi
if [ "${VP_ALLOW_ERRORS:-false}" = "true" ]; then common+=(--allow-errors); fi
if [ -n "${VP_CORRELATION_ID:-}" ]; then common+=(--correlation-id "$VP_CORRELATION_ID"); fi

config="${VP_CONFIG:-vaultproof.yaml}"
if [ "${VP_DEMO:-false}" = "true" ]; then
  source_args=(scan --demo)
elif [ -n "${VP_SNAPSHOT:-}" ]; then
  source_args=(evaluate "$VP_SNAPSHOT")
  if [ -f "$config" ]; then common+=(--config "$config"); fi
else
  # Collect once; every rendering below evaluates the same snapshot. The status is read straight
  # from the command (`if ! cmd; then code=$?` would record the status of `!`, always 0: fail-open).
  "${vp[@]}" collect --config "$config" --out "$out/snapshot.json"
  code=$?
  if [ "$code" -ne 0 ] || [ ! -s "$out/snapshot.json" ]; then
    [ "$code" -ne 0 ] || code=2
    output exit-code "$code"
    output verdict "vaultproof collect failed (exit $code): no snapshot of $config"
    exit 0
  fi
  source_args=(evaluate "$out/snapshot.json")
  common+=(--config "$config")
fi

extra=()
if [ -n "${VP_EXTRA_ARGS:-}" ]; then read -r -a extra <<<"$VP_EXTRA_ARGS"; fi

gate_args=("${source_args[@]}" "${common[@]}" --format json --out "$out/findings.json")
if [ -n "${VP_SIEM_SINK:-}" ]; then gate_args+=(--siem-sink "$VP_SIEM_SINK"); fi
gate_args+=("${extra[@]}")

"${vp[@]}" "${gate_args[@]}" | tee "$out/gate.log"
code=${PIPESTATUS[0]}
verdict=$(tail -n 1 "$out/gate.log")
if [ "$code" -eq 0 ] && [ ! -s "$out/findings.json" ]; then
  # A zero exit without the findings it gates on proves nothing: fail closed.
  code=2
  verdict="vaultproof exited 0 but wrote no findings ($out/findings.json)"
fi
output exit-code "$code"
output verdict "${verdict:-vaultproof exited with $code}"

if [ -f "$out/findings.json" ]; then
  output findings-file "$out/findings.json"
  # These exit with the gate's code too; only whether the file was written matters here.
  "${vp[@]}" "${source_args[@]}" "${common[@]}" --format sarif --out "$out/vaultproof.sarif" >/dev/null || true
  if [ -f "$out/vaultproof.sarif" ]; then output sarif-file "$out/vaultproof.sarif"; fi
  "${vp[@]}" "${source_args[@]}" "${common[@]}" --format junit --out "$out/junit.xml" >/dev/null || true
  if [ -f "$out/junit.xml" ]; then output junit-file "$out/junit.xml"; fi
fi
exit 0
