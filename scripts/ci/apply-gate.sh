#!/usr/bin/env bash
# The last step of the vaultproof GitHub Action: fail the job with the gate's exit code, after the
# uploads ran. Fails closed: no recorded exit code (the install or gate step did not finish), a
# code that is not a number, or a requested upload that failed ends the job non-zero with a
# one-line reason.
# Inputs (environment): VP_EXIT VP_VERDICT; for each upload, whether it was asked for
# (VP_SARIF_WANTED, VP_EVIDENCE_WANTED: true|false) and its step outcome (VP_SARIF_UPLOAD,
# VP_EVIDENCE_UPLOAD: success|failure|cancelled|skipped, empty when the step did not run).
set -uo pipefail

fail() { printf '::error title=vaultproof gate::%s\n' "$2"; exit "$1"; }

code="${VP_EXIT:-}"
if [ -z "$code" ]; then fail 2 "vaultproof did not run: no gate exit code was recorded (see the install and gate steps above)"; fi
case "$code" in *[!0-9]*) fail 2 "vaultproof gate: exit code '$code' is not a number";; esac
echo "${VP_VERDICT:-vaultproof exited with $code}"

check_upload() { # what wanted outcome
  [ "$2" = "true" ] || return 0
  case "$3" in
    success) ;;
    failure | cancelled)
      if [ "$code" -eq 0 ]; then code=2; fi
      printf '::error title=vaultproof gate::the %s failed (%s): the gate exits %s\n' "$1" "$3" "$code" ;;
    *) # skipped or not run: nothing to upload. Expected after a red gate; after a green one, fail closed.
      if [ "$code" -eq 0 ]; then
        code=2
        printf '::error title=vaultproof gate::the %s did not run (nothing to upload): the gate exits %s\n' "$1" "$code"
      fi ;;
  esac
}
check_upload "SARIF upload to code scanning" "${VP_SARIF_WANTED:-false}" "${VP_SARIF_UPLOAD:-}"
check_upload "evidence artifact upload" "${VP_EVIDENCE_WANTED:-false}" "${VP_EVIDENCE_UPLOAD:-}"
exit "$code"
