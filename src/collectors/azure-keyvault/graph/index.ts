/**
 * The collector's Microsoft Graph step: after every vault's grants are known, the principals that
 * hold them are resolved through Graph (see resolve.ts); a failure of Graph as a whole leaves every
 * principal's methods unknown and records `graph:principals` incomplete, never a pass.
 */
import type { CollectionScope, Principal } from '../../../snapshot/types.js';
import { describeFailure } from '../failures.js';
import { GraphClient, type GraphClientOptions } from './client.js';
import { GRAPH_NEEDS, resolvePrincipals, type ResolveOptions } from './resolve.js';
import { unresolved } from './transform.js';

export { GraphClient, GRAPH_BATCH_LIMIT, graphGuardPolicy } from './client.js';
export { resolvePrincipals, GRAPH_NEEDS } from './resolve.js';

export async function principalsFromGraph(
  clientOptions: GraphClientOptions,
  principals: Record<string, Principal>,
  opts: ResolveOptions,
): Promise<{ principals: Record<string, Principal>; scopes: CollectionScope[] }> {
  if (Object.keys(principals).length === 0) return { principals, scopes: [{ provider: 'azure-keyvault', scope: 'graph:principals', status: 'complete' }] };
  try {
    return await resolvePrincipals(new GraphClient(clientOptions), principals, opts);
  } catch (err) {
    const out: Record<string, Principal> = {};
    for (const [id, p] of Object.entries(principals)) out[id] = unresolved(p, 'unreadable');
    return { principals: out, scopes: [{ provider: 'azure-keyvault', scope: 'graph:principals', status: 'incomplete', reason: `Microsoft Graph: ${describeFailure(err, GRAPH_NEEDS.objects)}` }] };
  }
}
