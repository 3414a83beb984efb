import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEstate } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const demoFile = join(repoRoot, 'examples', 'demo-estate.yaml');
export const demoText = () => readFileSync(demoFile, 'utf8');

/** A small valid estate, as YAML, for tests to start from and change. */
export const smallEstateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - id: epr-login
    system: epr
    type: http
    target: https://epr.example.org/login
    every: 1m
    timeout: 10s
    from: [st-annes, marsh-lane]
    expect: { status: [200], bodyContains: Sign in, degradedMs: 2000 }
`;

export function estateFrom(yaml: string): Estate {
  const result = parseEstate(yaml, 'test.yaml', {});
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  return result.estate;
}
