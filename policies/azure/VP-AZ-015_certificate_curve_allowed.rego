# METADATA
# title: Certificate elliptic-curve keys use an allowed curve
# description: |
#   The key a certificate's issuance policy creates is judged like a Key Vault key (VP-AZ-010, which
#   judges keys only): an EC certificate key must use one of the curves in `allowed_key_curves`
#   (P-256, P-384, P-521 by default). Judged on every enabled Azure certificate; a certificate whose
#   key type or curve was not collected (no readable issuance policy) yields error.
# custom:
#   id: VP-AZ-015
#   severity: medium
#   control: Azure Policy Key Vault built-ins (peer)
#   requirements: [SM-2-a]
#   metric: CertificateKeyCurveAllowed
#   settings:
#     - thresholds.allowed_key_curves
#   remediation: |
#     Set the certificate policy's curve to an allowed one (`keyProperties.curve`: P-256 or stronger),
#     issue a new version and move consumers to it.
#   references:
#     - "Azure Policy: Certificates using elliptic curve cryptography should have allowed curve names"
package vaultproof.rules.azure.certificate_curve_allowed

import data.vaultproof.lib
import rego.v1

metric_name := "CertificateKeyCurveAllowed"

allowed := concat(",", data.config.thresholds.allowed_key_curves)

# An array: each object appears once, and a set would hash every whole object.
certificates := [o |
	v := input.vault
	v.provider == "azure-keyvault"
	some o in v.objects
	o.kind == "certificate"
	o.enabled == true
]

ec_certificates := [o |
	some o in certificates
	startswith(upper(o.key.type), "EC")
]

findings[out.resource.id] := out if {
	some o in ec_certificates
	is_string(o.key.curve)
	ok := o.key.curve in data.config.thresholds.allowed_key_curves
	status := lib.status_bool(ok)
	msg := concat("", ["the EC key of certificate '", o.path, "' uses curve ", o.key.curve])
	out := lib.finding(status, lib.object_resource(input.vault, o), lib.metric(metric_name, o.key.curve, "==", allowed), msg)
}

findings[out.resource.id] := out if {
	some o in ec_certificates
	not curve_known(o)
	msg := concat("", ["the curve of the EC key of certificate '", o.path, "' could not be read"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", allowed), msg)
}

curve_known(o) if is_string(o.key.curve)

# A certificate whose key type could not be read (its issuance policy was not read) may hold an EC key.
findings[out.resource.id] := out if {
	some o in certificates
	not type_known(o)
	msg := concat("", ["the key type of certificate '", o.path, "' could not be read: whether it holds an EC key, and its curve, is unknown"])
	out := lib.finding("error", lib.object_resource(input.vault, o), lib.metric(metric_name, null, "==", allowed), msg)
}

type_known(o) if is_string(o.key.type)
