#!/usr/bin/env bash
# The gate run of the vaultproof GitHub Action (action.yml), usable from any CI shell too.
# Writes findings.json (the gate), vaultproof.sarif and junit.xml (the same evaluation rendered
# again: evaluation is deterministic) and, with a signer, the evidence pack under $VP_OUT; records
# the gate's exit code and verdict as step outputs; writes ::error/::warning annotations and the
# step summary (scripts/ci/report.mjs). It exits 0 so that the upload steps run — the action's last
# step (scripts/ci/apply-gate.sh) applies the exit code. Every failure is recorded as a non-zero
# exit code with a one-line verdict (fail closed): a missing config or snapshot, a command that
# cannot run, a collect or evaluate failure, a zero exit without findings.
#
# Inputs (environment): VP_CONFIG VP_DEMO VP_SNAPSHOT VP_FAIL_ON VP_BASELINE VP_FAIL_ON_NEW
# VP_ALLOW_INCOMPLETE VP_ALLOW_ERRORS VP_CORRELATION_ID VP_SIEM_SINK VP_OUT VP_STATE_DIR VP_SIGNER
# VP_SIGNING_KEY VP_COMMAND VP_EXTRA_ARGS (see action.yml). VP_COMMAND defaults to the CLI of the
# checkout this script lives in (`node <checkout>/bin/vaultproof.js`), never to a registry package.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
checkout=$(cd "$here/../.." && pwd)
out="${VP_OUT:-vaultproof-out}"
state="${VP_STATE_DIR:-.vaultproof}"
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }
# Record a failure that stops the gate run: exit code, one-line verdict, an annotation; exit 0
# (the last step of the action fails the job with the code).
stop() {
  output exit-code "$1"
  output verdict "$2"
  printf '::error title=vaultproof gate::%s\n' "$2"
  exit 0
}

# The last line of a log, as one line of text: a JSON log line (--log-format json, the default in CI)
# gives its `msg`.
last_reason() {
  local line
  line=$(grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1)
  case "$line" in
    "{"*) node -e 'try { const m = JSON.parse(process.argv[1]).msg; process.stdout.write(typeof m === "string" ? m : process.argv[1]); } catch { process.stdout.write(process.argv[1]); }' "$line" ;;
    *) printf '%s' "$line" ;;
  esac
}

if ! mkdir -p "$out" 2>/dev/null; then stop 2 "vaultproof: cannot create the output directory $out"; fi

if [ -n "${VP_COMMAND:-}" ]; then
  read -r -a vp <<<"$VP_COMMAND"
else
  vp=(node "$checkout/bin/vaultproof.js")
fi
# The command must run at all: a broken install is a red gate with its reason, not a silent pass.
if ! version=$("${vp[@]}" --version 2>&1); then
  stop 2 "vaultproof could not run (${vp[*]} --version: $(printf '%s' "$version" | tail -n 1))"
fi

common=(--fail-on "${VP_FAIL_ON:-high}")
if [ "${VP_ALLOW_INCOMPLETE:-false}" = "true" ]; then common+=(--allow-incomplete); fi
if [ "${VP_ALLOW_ERRORS:-false}" = "true" ]; then common+=(--allow-errors); fi
if [ -n "${VP_CORRELATION_ID:-}" ]; then common+=(--correlation-id "$VP_CORRELATION_ID"); fi

# Baseline: a path, or `previous` for the findings of the last green run kept in the state dir
# (the action caches it between runs). Without one, --fail-on-new cannot tell new from old, so the
# gate judges every failure (fail closed) and says so.
previous="$state/previous-findings.json"
baseline="${VP_BASELINE:-}"
if [ "$baseline" = "previous" ]; then
  if [ -s "$previous" ]; then baseline="$previous"; else baseline=""; fi
elif [ -n "$baseline" ] && [ ! -f "$baseline" ]; then
  stop 2 "vaultproof: baseline $baseline not found"
fi
if [ -n "$baseline" ]; then common+=(--baseline "$baseline"); fi
if [ "${VP_FAIL_ON_NEW:-false}" = "true" ]; then
  if [ -n "$baseline" ]; then
    common+=(--fail-on-new)
  else
    echo "::warning title=vaultproof gate::no baseline findings yet: fail-on-new gates on every failure this run"
  fi
fi

config="${VP_CONFIG:-vaultproof.yaml}"
if [ "${VP_DEMO:-false}" = "true" ]; then
  source_args=(scan --demo)
elif [ -n "${VP_SNAPSHOT:-}" ]; then
  [ -f "$VP_SNAPSHOT" ] || stop 2 "vaultproof: snapshot $VP_SNAPSHOT not found"
  source_args=(evaluate "$VP_SNAPSHOT")
  if [ -f "$config" ]; then common+=(--config "$config"); fi
else
  [ -f "$config" ] || stop 2 "vaultproof: config $config not found (set the action's config input to your vaultproof.yaml)"
  # Collect once; every rendering below evaluates the same snapshot. The status is read straight
  # from the command (`if ! cmd; then code=$?` would record the status of `!`, always 0: fail-open).
  "${vp[@]}" collect --config "$config" --out "$out/snapshot.json" 2>&1 | tee "$out/collect.log"
  code=${PIPESTATUS[0]}
  if [ "$code" -ne 0 ] || [ ! -s "$out/snapshot.json" ]; then
    [ "$code" -ne 0 ] || code=2
    reason=$(last_reason "$out/collect.log")
    stop "$code" "vaultproof collect failed (exit $code): no snapshot of $config${reason:+ — $reason}"
  fi
  source_args=(evaluate "$out/snapshot.json")
  common+=(--config "$config")
fi

# The evidence pack: a signer spec (azure-keyvault:..., vault-transit:..., ed25519:FILE) or an
# Ed25519 private key (PEM) from a secret, written to a private temporary file for this run only.
pack_args=()
key_file=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { if [ -n "$key_file" ]; then rm -f "$key_file"; fi; }
trap cleanup EXIT
signer="${VP_SIGNER:-}"
if [ -n "${VP_SIGNING_KEY:-}" ]; then
  [ -z "$signer" ] || stop 2 "vaultproof: give either signing-key or signer, not both"
  key_file=$(umask 077 && mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/vaultproof-signing-XXXXXX")
  printf '%s\n' "$VP_SIGNING_KEY" >"$key_file"
  signer="ed25519:$key_file"
fi
if [ -n "$signer" ]; then
  pack_args=(--evidence-pack "$out/evidence-pack" --sign "$signer" --tar-gz --overwrite)
fi

siem_args=()
if [ -n "${VP_SIEM_SINK:-}" ]; then siem_args=(--siem-sink "$VP_SIEM_SINK" --spool-dir "$state/spool"); fi

extra=()
if [ -n "${VP_EXTRA_ARGS:-}" ]; then read -r -a extra <<<"$VP_EXTRA_ARGS"; fi

rm -f "$out/findings.json"
"${vp[@]}" "${source_args[@]}" "${common[@]}" --format json --out "$out/findings.json" \
  "${pack_args[@]}" "${siem_args[@]}" "${extra[@]}" 2>"$out/gate.err" | tee "$out/gate.log"
code=${PIPESTATUS[0]}
cat "$out/gate.err" >&2
verdict=$(grep -v '^[[:space:]]*$' "$out/gate.log" | tail -n 1)
# No verdict on stdout: the CLI stopped with an error; its first error line says why.
if [ -z "$verdict" ]; then verdict=$(grep -m 1 -E '^(vaultproof: )?error' "$out/gate.err" 2>/dev/null); fi
if [ -z "$verdict" ]; then verdict=$(grep -v '^[[:space:]]*$' "$out/gate.err" 2>/dev/null | tail -n 1); fi
if [ "$code" -eq 0 ] && [ ! -s "$out/findings.json" ]; then
  # A zero exit without the findings it gates on proves nothing: fail closed.
  code=2
  verdict="vaultproof exited 0 but wrote no findings ($out/findings.json)"
fi
verdict="${verdict:-vaultproof exited with $code}"
if [ "$code" -ne 0 ] && [ ! -s "$out/findings.json" ]; then
  printf '::error title=vaultproof gate::%s\n' "$verdict"
fi
output exit-code "$code"
output verdict "$verdict"

if [ -s "$out/findings.json" ]; then
  output findings-file "$out/findings.json"
  # These exit with the gate's code too; only whether the file was written matters here.
  "${vp[@]}" "${source_args[@]}" "${common[@]}" --format sarif --out "$out/vaultproof.sarif" >/dev/null 2>&1 || true
  if [ -s "$out/vaultproof.sarif" ]; then output sarif-file "$out/vaultproof.sarif"; fi
  "${vp[@]}" "${source_args[@]}" "${common[@]}" --format junit --out "$out/junit.xml" >/dev/null 2>&1 || true
  if [ -s "$out/junit.xml" ]; then output junit-file "$out/junit.xml"; fi
  if [ -n "$signer" ] && [ -f "$out/evidence-pack/manifest.json" ]; then output evidence-pack "$out/evidence-pack"; fi

  report=(node "$here/report.mjs" --findings "$out/findings.json" --fail-on "${VP_FAIL_ON:-high}" --verdict "$verdict" --exit-code "$code")
  if [ "${VP_ALLOW_ERRORS:-false}" = "true" ] || [ "${VP_ALLOW_INCOMPLETE:-false}" = "true" ]; then report+=(--allow-errors); fi
  if [[ " ${common[*]} " == *" --fail-on-new "* ]]; then report+=(--fail-on-new); fi
  if [ -f "$out/evidence-pack/summary.md" ]; then report+=(--summary "$out/evidence-pack/summary.md"); fi
  "${report[@]}" || echo "::warning title=vaultproof gate::could not write the annotations and step summary (report.mjs failed)"

  # The findings of a green run become the next run's baseline (state dir, cached by the action).
  # Only a green run: a red run's failures must not become "unchanged" and pass the next gate.
  if [ "$code" -eq 0 ] && mkdir -p "$state" 2>/dev/null; then cp "$out/findings.json" "$previous"; fi
fi
exit 0
