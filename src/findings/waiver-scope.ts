/** What a waiver's resource pattern covers, as the engine applies it and the evidence pack shows it. */

/** A resource glob made only of wildcards and separators: it matches every resource of the rule. */
export function isCatchAll(resource: string): boolean {
  return /^[*?/#\s]+$/.test(resource) && resource.includes('*');
}
