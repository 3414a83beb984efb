import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../server/api/types.js';
import type { EstateNames } from '../../web/src/estate-names.js';
import { entryText } from '../../web/src/pages/incident-timeline.js';

type Entry = IncidentView['timeline'][number];
const names = {
  organisation: (id: string | null) => (id === 'riverside' ? 'Riverside Trust' : String(id)),
} as EstateNames;
const entry = (kind: string, detail: Record<string, unknown>) =>
  ({ at: '2026-12-03T09:00:00Z', kind, detail }) as Entry;

describe('an incident timeline in words', () => {
  it('says a host’s incident handed to the system owner was handed over, not recovered', () => {
    const handed = entry('resolved', {
      why: 'handed over: now failing from at least half of the vantage points: the system owner’s',
      handedOver: { to: [{ incident: '12', organisation: 'riverside', role: 'owner', at: 0 }] },
    });
    expect(entryText(handed, names)).toEqual([
      'Handed over',
      "No longer theirs: now Riverside Trust's, as incident 12.",
    ]);
    expect(entryText(entry('resolved', {}), names)).toEqual([
      'Resolved',
      'Every check it covered recovered.',
    ]);
  });
});
