import { describe, expect, it } from 'vitest';
import { signInSummary } from '../../server/cli/check-config.js';
import { parseEstate } from '../../server/config/load.js';
import { smallEstateYaml } from '../helpers/estates.js';

const env = { VANTAGE_OIDC_SECRET: 's3cret-from-the-environment' };

function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', env);
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

const oidcBlock = (lines: string) => `${smallEstateYaml}access:
  oidc:
    issuer: https://login.microsoftonline.com/0b1c4e6a-0000-4000-8000-000000000001/v2.0
    clientId: 5f3a
${lines}`;

describe('access.oidc in the estate file', () => {
  it('keeps the client secret as its ${NAME} reference, never its value', () => {
    const result = parseEstate(oidcBlock('    clientSecret: ${VANTAGE_OIDC_SECRET}\n'), 'estate.yaml', env);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.estate.access.oidc?.clientSecret).toBe('${VANTAGE_OIDC_SECRET}');
    expect(JSON.stringify(result.estate)).not.toContain(env.VANTAGE_OIDC_SECRET);
    expect(result.secrets.map((s) => s.value)).toContain(env.VANTAGE_OIDC_SECRET);
  });

  it('refuses a client secret written in the file, at its line, saying to use an environment variable', () => {
    const errors = errorsOf(oidcBlock('    clientSecret: hunter2-literal\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^2[0-9]:\d+: access\.oidc\.clientSecret: .*environment variable/);
    expect(errors[0]).not.toContain('hunter2-literal');
  });

  it('says which variable is unset', () => {
    expect(errorsOf(oidcBlock('    clientSecret: ${VANTAGE_OIDC_MISSING}\n'))[0]).toMatch(
      /environment variable VANTAGE_OIDC_MISSING is not set/,
    );
  });

  it('refuses an unknown organisation in a grant, where it is, with a did-you-mean', () => {
    const errors = errorsOf(
      oidcBlock(`    clientSecret: \${VANTAGE_OIDC_SECRET}
    roles:
      IT.Riverside: { role: partner, organisations: [rivreside] }
    groups:
      a3c1e0d2-1111: { role: partner, organisations: [eastfield, nowhere] }
    emails:
      ada@example.org: { role: viewer }
`),
    );
    expect(errors).toEqual([
      "24:54: access.oidc.roles.IT.Riverside.organisations[0]: unknown organisation 'rivreside' (did you mean 'riverside'?)",
      "26:66: access.oidc.groups.a3c1e0d2-1111.organisations[1]: unknown organisation 'nowhere'",
    ]);
  });

  it('refuses a partner with no organisation and a viewer with some', () => {
    const errors = errorsOf(
      oidcBlock(`    clientSecret: \${VANTAGE_OIDC_SECRET}
    roles:
      Partner.None: { role: partner }
      Viewer.Some: { role: viewer, organisations: [riverside] }
`),
    );
    expect(errors.join('\n')).toMatch(/a partner acts for at least one organisation/);
    expect(errors.join('\n')).toMatch(/only a partner has organisations/);
  });

  it('is summarised by check-config: where people sign in and what decides their role', () => {
    const result = parseEstate(
      oidcBlock(`    clientSecret: \${VANTAGE_OIDC_SECRET:-unused}
    groups:
      a3c1e0d2-1111: { role: viewer }
`),
      'estate.yaml',
      env,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const oidc = result.estate.access.oidc;
    if (!oidc) throw new Error('no access.oidc');
    const summary = signInSummary(oidc);
    expect(summary).toBe(
      'sign-in with OpenID Connect at https://login.microsoftonline.com/0b1c4e6a-0000-4000-8000-000000000001/v2.0 ' +
        '(client 5f3a, secret from ${VANTAGE_OIDC_SECRET}); roles from app roles by convention ' +
        '(Vantage.Admin, Vantage.Viewer, Vantage.Partner.<organisation>), 1 group',
    );
    expect(summary).not.toContain(env.VANTAGE_OIDC_SECRET);
  });
});
