# Azure Key Vault collector test prerequisites (sourced by scripts/setup.sh: say, fail, $VP_TOOLS, $ROOT).
# - openssl CLI: the test servers' throwaway CA and server certificate.
# - Lowkey Vault app jar (Key Vault test double) from Maven Central, optional: the collector's tests run
#   against the project's own Key Vault data-plane test double (test/support/keyvault-test-server) because
#   Maven Central as reachable from here answers 404 for com.github.nagyesta.lowkey-vault:lowkey-vault-app.
#   When the jar becomes available it is fetched into $VP_TOOLS/lowkey-vault/.
if command -v openssl >/dev/null 2>&1; then
  say "openssl present"
else
  say "installing openssl (apt)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; } || fail "openssl (apt-get install failed)"
fi

LOWKEY_VERSION="${LOWKEY_VERSION:-3.4.33}"
LOWKEY_DIR="$VP_TOOLS/lowkey-vault"
LOWKEY_JAR="$LOWKEY_DIR/lowkey-vault-app-$LOWKEY_VERSION.jar"
if [ -s "$LOWKEY_JAR" ]; then
  say "Lowkey Vault $LOWKEY_VERSION jar present"
else
  mkdir -p "$LOWKEY_DIR"
  url="https://repo.maven.apache.org/maven2/com/github/nagyesta/lowkey-vault/lowkey-vault-app/$LOWKEY_VERSION/lowkey-vault-app-$LOWKEY_VERSION.jar"
  code=$(curl -s -o "$LOWKEY_JAR.part" -w '%{http_code}' --max-time 60 "$url" || echo 000)
  if [ "$code" = 200 ] && [ -s "$LOWKEY_JAR.part" ]; then
    mv "$LOWKEY_JAR.part" "$LOWKEY_JAR"
    say "Lowkey Vault $LOWKEY_VERSION jar downloaded"
  else
    rm -f "$LOWKEY_JAR.part"
    # Not a failure: the tests use the project's own Key Vault test double; say so clearly.
    say "NOTE: Lowkey Vault jar not available from Maven Central (HTTP $code for lowkey-vault-app $LOWKEY_VERSION); Azure tests use test/support/keyvault-test-server instead"
  fi
fi
