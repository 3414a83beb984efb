import type { ProbeResult } from '../../probes/result.js';
import { type Env, resolveEnv, type Secret, secretsIn } from '../config/resolve.js';
import type { Check } from '../config/schema.js';
import { resultRedactor } from '../config/secrets.js';
import type { RunProbe } from './scheduler.js';

/**
 * Probes checks kept with their `${NAME}` references: each is resolved just before it is probed,
 * and its result redacted, so a message quoting a secret (a URL, an expected body) is stored, shown
 * and logged with the reference instead.
 */
export function resolvingRun(run: RunProbe, env: Env): RunProbe {
  // Worked out once per check object: the scheduler hands the same one to every run of a check.
  const prepared = new WeakMap<Check, { check: Check; redact: (result: ProbeResult) => ProbeResult }>();
  return async (check, signal) => {
    let entry = prepared.get(check);
    if (!entry) {
      const secrets = secretsIn(check, env);
      entry = {
        check: secrets.length > 0 ? resolveEnv(check, env) : check,
        redact: resultRedactor(secrets),
      };
      prepared.set(check, entry);
    }
    return entry.redact(await run(entry.check, signal));
  };
}

/** Probes checks already resolved (as an agent is sent them) and redacts the secrets they hold from each result. */
export function redactingRun(run: RunProbe, secrets: () => readonly Secret[]): RunProbe {
  let redact: { for: readonly Secret[]; apply: (result: ProbeResult) => ProbeResult } | undefined;
  return async (check, signal) => {
    const result = await run(check, signal);
    const current = secrets();
    if (redact?.for !== current) redact = { for: current, apply: resultRedactor(current) };
    return redact.apply(result);
  };
}
