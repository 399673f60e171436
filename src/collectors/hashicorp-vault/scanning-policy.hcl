# vaultproof: minimal read-only scanning policy (metadata only).
# Covers exactly the calls the HashiCorp Vault collector makes; it never grants a KV data/ path.
# Mount-level paths use "+", so KV v2 and PKI mounts must sit at a single path segment
# (e.g. "secret/", "pki/"); add explicit paths for deeper mounts.

# Who am I (scan identity) — part of the built-in "default" policy too.
path "auth/token/lookup-self" { capabilities = ["read"] }

# Mount table, auth methods, barrier key status, Enterprise replication and namespaces.
path "sys/mounts" { capabilities = ["read"] }
path "sys/auth" { capabilities = ["read"] }
path "sys/key-status" { capabilities = ["read"] }
path "sys/replication/status" { capabilities = ["read"] }
path "sys/namespaces" { capabilities = ["list"] }

# Audit devices: Vault requires sudo to read sys/audit. Without it the audit scope is incomplete.
path "sys/audit" { capabilities = ["read", "sudo"] }

# ACL policies (text, parsed by vaultproof).
path "sys/policies/acl" { capabilities = ["list"] }
path "sys/policies/acl/*" { capabilities = ["read"] }

# Identity entities and groups.
path "identity/entity/id" { capabilities = ["list"] }
path "identity/entity/id/*" { capabilities = ["read"] }
path "identity/group/id" { capabilities = ["list"] }
path "identity/group/id/*" { capabilities = ["read"] }

# Root token detection: listing accessors needs sudo; lookup-accessor returns no token id.
path "auth/token/accessors" { capabilities = ["list", "sudo"] }
path "auth/token/lookup-accessor" { capabilities = ["update"] }

# Auth roles (approle, kubernetes, azure, jwt/oidc), cert roles and userpass users: metadata only.
path "auth/+/role/" { capabilities = ["list"] }
path "auth/+/role/+" { capabilities = ["read"] }
path "auth/+/certs/" { capabilities = ["list"] }
path "auth/+/certs/+" { capabilities = ["read"] }
path "auth/+/users/" { capabilities = ["list"] }
path "auth/+/users/+" { capabilities = ["read"] }

# KV v2: metadata and mount config only (never data/).
path "+/metadata/*" { capabilities = ["read", "list"] }
path "+/config" { capabilities = ["read"] }

# KV v1 mounts (type kv version 1, or the old "generic"): a read on a KV v1 path returns the VALUE,
# so grant LIST only, one line per KV v1 mount (not "+/*", which would grant on every path):
#   path "<kv1 mount>/*" { capabilities = ["list"] }
# Without it the mount's scope is recorded incomplete and its secrets are judged error.

# PKI: issuers and issued certificates (public material).
path "+/issuers/" { capabilities = ["list"] }
path "+/issuer/+" { capabilities = ["read"] }
path "+/certs/" { capabilities = ["list"] }
path "+/cert/+" { capabilities = ["read"] }
