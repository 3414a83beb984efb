import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigCommand } from '../../server/cli/check-config.js';
import { demoFile, smallEstateYaml } from '../helpers/estates.js';

function checkConfig(file: string): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = checkConfigCommand([file], (line) => lines.push(line));
  return { code, lines };
}

function estateFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vantage-check-config-')), 'estate.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('vantage check-config summary', () => {
  it('counts the principles evaluated by metric, and the channels messages can be sent to', () => {
    const { code, lines } = checkConfig(demoFile);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/valid \(7 organisations, 12 sites, 8 systems, 15 checks, 2 surveys\)/);
    expect(lines[0]).toMatch(
      /; 6 principles evaluated \(2 availability, 1 latency, 1 survey-score, 1 survey-net, 1 survey-share\); 4 channels checked, messages can be sent to them \(2 email, 2 webhook\)$/,
    );
  });

  it('names only what the file has, and nothing when it has neither', () => {
    expect(checkConfig(estateFile(smallEstateYaml)).lines).toEqual([
      expect.stringMatching(/: valid \(2 organisations, 2 sites, 1 systems, 1 checks, 0 surveys\)$/),
    ]);
    const oneChannel = `${smallEstateYaml}channels:\n  - { id: riverside-it, organisation: riverside, type: email, to: [it@riverside.example.org] }\nsettings:\n  smtp: { host: mail.example.org, port: 587, from: vantage@example.org }\n`;
    expect(checkConfig(estateFile(oneChannel)).lines[0]).toMatch(
      /0 surveys\); 1 channel checked, messages can be sent to them \(1 email\)$/,
    );
  });

  it('refuses a time zone other than Europe/London, at its line, rather than ignoring it', () => {
    const file = estateFile(`${smallEstateYaml}settings:\n  timezone: America/New_York\n`);
    expect(checkConfig(file)).toEqual({
      code: 1,
      lines: [
        `${file}:19:13: settings.timezone: only Europe/London is supported yet: every time is shown and every day counted in London time`,
      ],
    });
    expect(checkConfig(estateFile(`${smallEstateYaml}settings:\n  timezone: Europe/London\n`)).code).toBe(0);
  });

  it('says how sign-in through OpenID Connect is set up, on a line of its own', () => {
    const file = estateFile(`${smallEstateYaml}access:
  oidc:
    issuer: https://login.microsoftonline.com/0b1c/v2.0
    clientId: app
    clientSecret: \${VANTAGE_CHECK_CONFIG_SECRET:-not-shown}
    emails: { cio@example.org: { role: admin } }
`);
    expect(checkConfig(file)).toEqual({
      code: 0,
      lines: [
        expect.stringMatching(/: valid \(2 organisations/),
        `${file}: sign-in with OpenID Connect at https://login.microsoftonline.com/0b1c/v2.0 (client app, secret from \${VANTAGE_CHECK_CONFIG_SECRET}); roles from app roles by convention (Vantage.Admin, Vantage.Viewer, Vantage.Partner.<organisation>), 1 email`,
      ],
    });
  });
});
