/**
 * Settings of the property-based tests (test/properties): a fixed seed, so CI runs the same cases
 * every time, and a run budget that fits CI, both overridable for a longer local search:
 *
 *   VP_PROPERTY_SEED=123 VP_PROPERTY_RUNS=5000 npm run test:jest -- test/properties
 *
 * VP_PROPERTY_RUNS scales every property's budget (its CI default is `ciRuns`); the seed is printed
 * with the counterexample when a property fails (fast-check's report), and re-running with it
 * replays the failure.
 */
import type { Parameters as FcParameters } from 'fast-check';

export const PROPERTY_SEED = Number(process.env.VP_PROPERTY_SEED ?? 20261129);

/** The CI budget of the largest property; the others are given as a share of it. */
const CI_RUNS = 240;
const RUNS = Number(process.env.VP_PROPERTY_RUNS ?? CI_RUNS);

export function propertyParameters<T>(share: number): FcParameters<T> {
  if (!Number.isInteger(PROPERTY_SEED)) throw new Error(`VP_PROPERTY_SEED must be an integer, found ${process.env.VP_PROPERTY_SEED}`);
  if (!Number.isFinite(RUNS) || RUNS < 1) throw new Error(`VP_PROPERTY_RUNS must be a positive number, found ${process.env.VP_PROPERTY_RUNS}`);
  // endOnFailure: report the first counterexample (every case costs a policy evaluation; shrinking
  // would multiply the time of a failing run for little: the counterexample names path and statuses).
  return { seed: PROPERTY_SEED, numRuns: Math.max(1, Math.round(RUNS * share)), endOnFailure: true };
}
