# METADATA
# title: Secrets declare their content type
# description: |
#   The content type tells consumers and reviewers what a secret holds (password, PEM/PFX
#   certificate, token) and feeds classification. Every enabled Azure secret must have a content
#   type set.
# custom:
#   id: VP-AZ-013
#   severity: low
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: []
#   beyond_standard: true
#   metric: ContentTypeSet
#   remediation: |
#     `az keyvault secret set-attributes --vault-name <vault> --name <secret> --content-type
#     <type>`, and set it in the job that writes new versions.
#   references:
#     - "Azure Policy: Secrets should have content type set"
package vaultproof.rules.azure.content_type_set

import data.vaultproof.lib
import rego.v1

metric_name := "ContentTypeSet"

findings[out.resource.id] := out if {
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "secret"
	o.enabled == true
	ok := has_type(o)
	status := lib.status_bool(ok)
	msg := message(o, ok)
	out := lib.finding(status, lib.object_resource(v, o), lib.metric(metric_name, ok, "==", true), msg)
}

has_type(o) := true if {
	is_string(o.content_type)
	o.content_type != ""
}

has_type(o) := false if not typed(o)

typed(o) if {
	is_string(o.content_type)
	o.content_type != ""
}

message(o, true) := concat("", ["secret '", o.path, "' has content type ", o.content_type])

message(o, false) := concat("", ["secret '", o.path, "' has no content type"])
