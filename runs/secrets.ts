import { type Env, resolveEnv, type Secret, secretsIn } from '../common/env-references.js';
import { resultRedactor } from '../common/redact.js';
import type { Check } from '../probes/check-schema.js';
import type { ProbeResult } from '../probes/result.js';
import type { RunProbe } from './scheduler.js';

type Redact = (result: ProbeResult) => ProbeResult;

/**
 * Probes checks kept with their `${NAME}` references: each is resolved just before it is probed,
 * and its result redacted, so a message quoting a secret (a URL, an expected body) is stored, shown
 * and logged with the reference instead.
 */
export function resolvingRun(run: RunProbe, env: Env): RunProbe {
  // Worked out once per check object: the scheduler hands the same one to every run of a check.
  const prepared = new WeakMap<Check, { check: Check; redact: Redact | undefined }>();
  return (check, signal) => {
    let entry = prepared.get(check);
    if (!entry) {
      const secrets = secretsIn(check, env);
      entry =
        secrets.length > 0
          ? { check: resolveEnv(check, env), redact: resultRedactor(secrets) }
          : { check, redact: undefined };
      prepared.set(check, entry);
    }
    // Most checks hold no secret: their runs cost nothing more.
    return entry.redact ? run(entry.check, signal).then(entry.redact) : run(entry.check, signal);
  };
}

/** Probes checks already resolved (as an agent is sent them) and redacts the secrets they hold from each result. */
export function redactingRun(run: RunProbe, secrets: () => readonly Secret[]): RunProbe {
  let prepared: { for: readonly Secret[]; redact: Redact } | undefined;
  return (check, signal) => {
    const current = secrets();
    if (current.length === 0) return run(check, signal);
    if (prepared?.for !== current) prepared = { for: current, redact: resultRedactor(current) };
    return run(check, signal).then(prepared.redact);
  };
}
