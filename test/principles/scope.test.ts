import { describe, expect, it } from 'vitest';
import type { Principle } from '../../server/config/schema.js';
import { inScope, pairsOf } from '../../server/principles/scope.js';
import { estateFrom } from '../helpers/estates.js';

const estate = estateFrom(`organisations:
  - { id: riverside, name: Riverside, kind: acute }
  - { id: eastfield, name: Eastfield, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's, host: riverside, tags: [acute-site] }
  - { id: marsh-lane, name: Marsh Lane, host: eastfield }
systems:
  - { id: epr, name: EPR, owner: riverside }
  - { id: mail, name: Mail, owner: eastfield, tags: [office] }
checks:
  - { id: epr-login, system: epr, type: tcp, target: "epr.example.org:443", from: [st-annes, marsh-lane] }
  - { id: mail-up, system: mail, type: tcp, target: "mail.example.org:443", from: [st-annes, marsh-lane], tags: [smtp] }
  - { id: epr-central, system: epr, type: tcp, target: "epr.example.org:443" }
`);

const taken = (scope: Principle['scope']) =>
  estate.checks.flatMap((check) =>
    pairsOf(estate, check)
      .filter((pair) => inScope(scope, pair))
      .map((pair) => `${check.id}@${pair.vantagePoint}`),
  );

describe('a principle’s scope', () => {
  it('takes every check at every vantage point, the central server included, when not given', () => {
    expect(taken(undefined)).toEqual([
      'epr-login@st-annes',
      'epr-login@marsh-lane',
      'mail-up@st-annes',
      'mail-up@marsh-lane',
      'epr-central@server',
    ]);
  });

  it('takes an organisation’s own systems everywhere and every system at the sites it hosts', () => {
    expect(taken({ organisations: ['eastfield'] })).toEqual([
      'epr-login@marsh-lane',
      'mail-up@st-annes',
      'mail-up@marsh-lane',
    ]);
  });

  it('takes tags of the check, its system or the site', () => {
    expect(taken({ tags: ['acute-site'] })).toEqual(['epr-login@st-annes', 'mail-up@st-annes']);
    expect(taken({ tags: ['office'] })).toEqual(['mail-up@st-annes', 'mail-up@marsh-lane']);
    expect(taken({ tags: ['smtp'] })).toEqual(['mail-up@st-annes', 'mail-up@marsh-lane']);
  });

  it('needs every part given to match', () => {
    expect(taken({ systems: ['epr'], sites: ['marsh-lane'] })).toEqual(['epr-login@marsh-lane']);
    expect(taken({ systems: ['epr'], organisations: ['eastfield'] })).toEqual(['epr-login@marsh-lane']);
    expect(taken({ systems: ['mail'], tags: ['acute-site'] })).toEqual(['mail-up@st-annes']);
  });
});
