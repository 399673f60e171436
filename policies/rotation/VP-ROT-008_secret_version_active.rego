# METADATA
# title: The current version of every credential is active
# description: |
#   Secrets are consumed only when their metadata says Active, and the rotation job verifies
#   SecretVersionActive before enabling dependent services. For every enabled object the current
#   version must be enabled, not expired, not deleted (a KV v2 scheduled deletion,
#   `delete_version_after`, is an expiry), and already valid (not-before in the past). An object
#   whose current version was soft-deleted or destroyed is still in the vault (older versions may be
#   live) and fails. Disabled objects are not in use and are not judged.
# custom:
#   id: VP-ROT-008
#   severity: high
#   control: secrets-management §4 (rotation process 2), §7.1
#   requirements: [SM-4.2-b, SM-7.1-a]
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

# Objects judged: the enabled ones, and those whose current version was deleted or destroyed (the
# collector marks them disabled, but the secret is still there; reads of it fail).
judged contains id if {
	some id, o in input.vault.objects
	o.enabled == true
}

judged contains id if {
	some id, o in input.vault.objects
	o.enabled != true
	removed(lib.current_version(o))
}

removed(cv) if cv.destroyed == true

removed(cv) if {
	is_number(cv.deleted_at)
	cv.deleted_at <= input.now
}

findings[out.resource.id] := out if {
	some id in judged
	o := input.vault.objects[id]
	cv := lib.current_version(o)
	state_known(cv)
	problems := {p | p := disabled(cv)} | {p | p := expired(cv)} | {p | p := not_yet_valid(cv)} | {p | p := deleted(cv)} | {p | p := destroyed(cv)}
	ok := count(problems) == 0
	status := lib.status_bool(ok)
	msg := message(o, problems)
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, ok, "==", true), msg)
}

# The current version's enabled flag was not collected: whether it is active is unknown.
findings[out.resource.id] := out if {
	some id in judged
	o := input.vault.objects[id]
	not state_known(lib.current_version(o))
	msg := concat("", ["the state (enabled) of current version ", o.current_version, " of '", o.path, "' was not collected"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", true), msg)
}

state_known(cv) if is_boolean(cv.enabled)

# (A deleted or destroyed version is reported as such, not also as disabled.)
disabled(cv) := "disabled" if {
	cv.enabled == false
	not removed(cv)
}

deleted(cv) := concat("", ["deleted ", lib.num_str(lib.days_between(cv.deleted_at, input.now)), " days ago"]) if {
	not cv.destroyed == true
	is_number(cv.deleted_at)
	cv.deleted_at <= input.now
}

destroyed(cv) := "destroyed" if cv.destroyed == true

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
