// The layers of src/ (ARCHITECTURE.md draws them) and the lint rules that hold them:
//   vaultproof/layers      an import from one folder of src/ into another is allowed only downwards
//   vaultproof/no-process  only src/cli touches `process` (environment, exit, signals, stdio)
// The table is the single statement of the layering: the architecture test reads it too.

/** Folder of src/ → the folders of src/ it may import from. A folder may always import itself. */
export const LAYERS = {
  version: [],
  util: [],
  log: ['util'],
  snapshot: ['util'],
  findings: ['snapshot', 'util'],
  config: ['findings', 'snapshot', 'util'],
  ci: ['util'],
  collectors: ['config', 'snapshot', 'util', 'log', 'version'],
  ledger: ['collectors', 'snapshot', 'util', 'log'],
  engine: ['findings', 'config', 'snapshot', 'util', 'log'],
  renderers: ['findings', 'config', 'snapshot', 'util', 'version'],
  evidence: ['renderers', 'ledger', 'findings', 'config', 'snapshot', 'util', 'log', 'version'],
  review: ['renderers', 'findings', 'config', 'snapshot', 'util', 'log', 'version'],
  siem: ['renderers', 'findings', 'snapshot', 'util', 'log', 'version'],
  cli: ['*'],
};

/** The folder of src/ a path (relative to the repository, forward slashes) belongs to, or undefined. */
export function layerOfPath(path) {
  const m = /(?:^|\/)src\/([^/]+?)(?:\.ts|\.js)?(?:\/|$)/.exec(path);
  return m ? m[1] : undefined;
}

/** Why an import from layer `from` into layer `to` is refused, or undefined when it is allowed. */
export function layerViolation(from, to) {
  if (!from || !to || from === to) return undefined;
  const allowed = LAYERS[from];
  if (!allowed) return `src/${from} is not in the layer table (eslint-rules/layers.js, ARCHITECTURE.md): add it there`;
  if (allowed.includes('*') || allowed.includes(to)) return undefined;
  return `src/${from} may not import src/${to} (allowed: ${allowed.length ? allowed.map((l) => `src/${l}`).join(', ') : 'nothing of ours'}; see ARCHITECTURE.md)`;
}

const posix = (p) => p.split('\\').join('/');

function resolveSpecifier(filename, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const parts = posix(filename).split('/');
  parts.pop();
  for (const seg of specifier.split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

const layersRule = {
  meta: { type: 'problem', docs: { description: 'imports between folders of src/ follow the layer table' }, schema: [] },
  create(context) {
    const filename = posix(context.filename ?? context.getFilename());
    const from = layerOfPath(filename);
    if (!from || !/\/src\//.test(filename)) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const target = resolveSpecifier(filename, source.value);
      if (!target) return;
      const why = layerViolation(from, layerOfPath(target));
      if (why) context.report({ node, message: why });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

const noProcessRule = {
  meta: { type: 'problem', docs: { description: 'only src/cli touches process' }, schema: [] },
  create(context) {
    const filename = posix(context.filename ?? context.getFilename());
    // src/util/host-process.ts is the one exception (ARCHITECTURE.md): this process's pid and the
    // liveness of another, for lock files — identity, not environment, exit, signals or stdio.
    if (!/\/src\//.test(filename) || /\/src\/cli\//.test(filename) || /\/src\/util\/host-process\.ts$/.test(filename)) return {};
    return {
      Identifier(node) {
        if (node.name !== 'process') return;
        const parent = node.parent;
        // `process` as a property name (x.process) or an object key is not the global.
        if (parent && parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
        if (parent && ['Property', 'PropertyDefinition', 'TSPropertySignature', 'MethodDefinition'].includes(parent.type) && parent.key === node && !parent.computed) return;
        const scope = context.sourceCode.getScope(node);
        let s = scope;
        while (s) {
          const v = s.set.get('process');
          if (v && v.defs.length > 0) return; // a local binding named process, not the global
          s = s.upper;
        }
        context.report({ node, message: 'only src/cli touches process (environment, exit, signals, stdio): take the value as a parameter (see ARCHITECTURE.md)' });
      },
    };
  },
};

export default { rules: { layers: layersRule, 'no-process': noProcessRule } };
