# METADATA
# title: The current version of every credential is active
# description: |
#   Secrets are consumed only when their metadata says Active, and the rotation job verifies
#   SecretVersionActive before enabling dependent services. For every enabled object the current
#   version must be enabled, not expired, and already valid (not-before in the past). Disabled
#   objects are not in use and are not judged.
# custom:
#   id: VP-ROT-008
#   severity: high
#   control: secrets-management §4 (rotation process 2), §7.1
#   metric: SecretVersionActive
#   remediation: |
#     Rotate the credential so that a valid, enabled version is current, or disable the object if
#     nothing should use it; check why the rotation job enabled dependants on an inactive version.
#   references:
#     - "secrets-management §4: rotation job verifies SecretVersionActive"
#     - "secrets-management §7.1: secrets consumed only when Status = Active"
package vaultproof.rules.rotation.secret_version_active

import data.vaultproof.lib
import rego.v1

metric_name := "SecretVersionActive"

findings[out.resource.id] := out if {
	some o in input.vault.objects
	o.enabled == true
	cv := lib.current_version(o)
	problems := {p | p := disabled(cv)} | {p | p := expired(cv)} | {p | p := not_yet_valid(cv)}
	ok := count(problems) == 0
	status := lib.status_bool(ok)
	msg := message(o, problems)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

disabled(cv) := "disabled" if cv.enabled == false

expired(cv) := concat("", ["expired ", lib.num_str(lib.days_between(cv.expires, input.now)), " days ago"]) if {
	is_number(cv.expires)
	cv.expires <= input.now
}

not_yet_valid(cv) := concat("", ["not valid for another ", lib.num_str(lib.days_until(cv.not_before, input.now)), " days"]) if {
	is_number(cv.not_before)
	cv.not_before > input.now
}

message(o, problems) := concat("", ["current version ", o.current_version, " of '", o.path, "' is active"]) if count(problems) == 0

message(o, problems) := concat("", ["current version ", o.current_version, " of '", o.path, "' is ", concat(", ", sort(problems))]) if count(problems) > 0
