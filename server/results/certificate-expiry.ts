/**
 * When the first certificate a run was sent expires: the earliest `validTo` of the leaf and of the chain
 * above it (UTC ms), or undefined when the run reported none. Details pushed by agents are any JSON, so
 * each part is looked at with care; an expiry that is not a time is passed over, not guessed at.
 */
export function earliestExpiry(details: unknown): number | undefined {
  if (!isRecord(details)) return undefined;
  const chain = Array.isArray(details.chain) ? details.chain : [];
  let earliest: number | undefined;
  for (const certificate of [details.certificate, ...chain]) {
    if (!isRecord(certificate) || typeof certificate.validTo !== 'string') continue;
    const at = Date.parse(certificate.validTo);
    if (Number.isFinite(at) && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
