/** Typed errors of the engine: the CLI maps them to exit code 2 with one clear line. */

export class PolicyBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyBundleError';
  }
}

export class PolicyEvaluationError extends Error {
  constructor(
    message: string,
    /** Which shard was being evaluated (vault id or "fleet"). */
    readonly shard: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

/** The snapshot yielded nothing to evaluate: a gate must not pass on zero evaluated rules. */
export class NothingEvaluatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingEvaluatedError';
  }
}
