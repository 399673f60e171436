# syntax=docker/dockerfile:1
# vaultproof as a container image: `docker build -t vaultproof .` then
#   docker run --rm vaultproof scan --demo --allow-errors
#   docker run --rm -v "$PWD:/work" vaultproof scan --config vaultproof.yaml --format sarif --out vaultproof.sarif
# Multi-stage: opa (built from its Go module, checked against Go's checksum database) compiles the
# policy bundle in the build stage only; the runtime image holds Node 20, the production
# dependencies installed with the lockfile, and exactly the files `npm pack` ships — no opa, no
# compiler, no sources, no tests. It runs as the unprivileged `node` user (uid 1000).
# Pin the base images by digest in your registry mirror for reproducible builds.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG GO_IMAGE=golang:1.26-bookworm

FROM ${GO_IMAGE} AS opa
ARG OPA_VERSION=v1.22.3
RUN CGO_ENABLED=0 GOBIN=/out go install "github.com/open-policy-agent/opa@${OPA_VERSION}"

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY policies ./policies
COPY scripts ./scripts
COPY schemas ./schemas
COPY fixtures/demo ./fixtures/demo
COPY README.md ./
# The rule docs (docs/rules.md, docs/rules/<ID>.md): the bundle build checks they match the policies.
COPY docs ./docs
COPY --from=opa /out/opa /usr/local/bin/opa
# The project's own build: the policy bundle (opa check, opa test, opa build -t wasm), templates, tsc.
RUN OPA=/usr/local/bin/opa npm run --silent build
# Stage what `npm pack` ships (package.json "files"), then its production dependencies from the lockfile.
RUN npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir -p /opt/vaultproof \
 && tar -xzf /tmp/vaultproof-*.tgz -C /opt/vaultproof --strip-components=1 \
 && cp package-lock.json /opt/vaultproof/
WORKDIR /opt/vaultproof
RUN chmod 0755 bin/vaultproof.js \
 && npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm package-lock.json \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
COPY --from=build /opt/vaultproof /opt/vaultproof
RUN ln -s /opt/vaultproof/bin/vaultproof.js /usr/local/bin/vaultproof \
 && mkdir -p /work \
 && chown 1000:1000 /work
# The official image's unprivileged `node` user, by id.
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["node", "/opt/vaultproof/bin/vaultproof.js"]
CMD ["--help"]
