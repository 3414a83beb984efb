import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';
import { smallEstateYaml } from '../helpers/estates.js';

const env = { SMTP_PASSWORD: 'smtp-secret-3141', HOOK_SECRET: 'hook-signing-secret-2718' };

function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', env);
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

/** The 1-based line of the first line of `yaml` that holds `text`. */
const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((line) => line.includes(text)) + 1;

const emailChannel = `channels:\n  - { id: riverside-it, organisation: riverside, type: email, to: [it@riverside.example.org] }\n`;

describe('settings.smtp and the channels that need it', () => {
  it('refuses email channels with no SMTP server to send through, naming each channel', () => {
    const yaml = `${smallEstateYaml}${emailChannel}`;
    expect(errorsOf(yaml)).toEqual([
      `${lineOf(yaml, 'riverside-it')}:5: channel 'riverside-it': an email channel needs an SMTP server to send through: add settings.smtp with host, port and from`,
    ]);
  });

  it('takes NHSmail on 587 with sign-in (password from the environment) and resolves the password for sending', () => {
    const yaml = `${smallEstateYaml}${emailChannel}settings:
  smtp: { host: send.nhs.net, port: 587, from: "Vantage <vantage@nhs.net>", user: vantage@nhs.net, password: "\${SMTP_PASSWORD}" }
`;
    const result = parseEstate(yaml, 'estate.yaml', env);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    expect(result.estate.settings.smtp).toMatchObject({
      host: 'send.nhs.net',
      port: 587,
      password: 'smtp-secret-3141',
    });
    expect(result.secrets).toContainEqual({ name: 'SMTP_PASSWORD', value: 'smtp-secret-3141' });
  });

  it('takes an anonymous relay in plain SMTP, as on HSCN', () => {
    const yaml = `${smallEstateYaml}${emailChannel}settings:\n  smtp: { host: relay.nhs.net, port: 25, from: vantage@nhs.net, tls: none }\n`;
    expect(errorsOf(yaml)).toEqual([]);
  });

  it('says what is wrong with settings.smtp, at its line', () => {
    const cases: [string, string][] = [
      [
        '{ host: send.nhs.net, port: 587, from: vantage@nhs.net, user: vantage@nhs.net }',
        'settings.smtp.user: a user signs in with a password: add password (from the environment, as ${SMTP_PASSWORD})',
      ],
      [
        '{ host: send.nhs.net, port: 587, from: vantage@nhs.net, user: v@nhs.net, password: "${SMTP_PASSWORD}", tls: none }',
        'settings.smtp.tls: a password is never sent over plain SMTP: use tls: starttls or implicit, or a relay without sign-in',
      ],
      [
        '{ host: send.nhs.net, port: 587, from: vantage@nhs.net, user: v@nhs.net, password: hunter2 }',
        'settings.smtp.password: the SMTP password is written in the estate file: put it in an environment variable and write its name here, as ${SMTP_PASSWORD}',
      ],
      [
        '{ host: send.nhs.net, port: 587, from: "not an address" }',
        "settings.smtp.from: 'not an address' is not a sender: give an address, or a name and address such as Vantage <vantage@nhs.net>",
      ],
      [
        '{ host: send.nhs.net, port: 587, from: vantage@nhs.net, tls: ssl }',
        "settings.smtp.tls: 'ssl' is not one of starttls, implicit, none",
      ],
      [
        '{ host: send.nhs.net, port: 587, from: vantage@nhs.net, ca: /no/such/ca.pem }',
        'settings.smtp.ca: cannot read the CA file /no/such/ca.pem: no such file',
      ],
    ];
    for (const [smtp, message] of cases) {
      const yaml = `${smallEstateYaml}settings:\n  smtp: ${smtp}\n`;
      const errors = errorsOf(yaml);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^${lineOf(yaml, 'smtp:')}:\\d+: `));
      expect(errors[0]?.replace(/^\d+:\d+: /, '')).toBe(message);
    }
  });
});

describe("a webhook's signing secret", () => {
  const hook = (extra: string) =>
    `${smallEstateYaml}channels:\n  - { id: hook, organisation: riverside, type: webhook, url: "https://hooks.example.org/v", ${extra} }\n`;

  it('is kept as its reference, and refused when written in the file', () => {
    const result = parseEstate(hook('secret: "${HOOK_SECRET}"'), 'estate.yaml', env);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    expect(result.estate.channels[0]).toMatchObject({ secret: '${HOOK_SECRET}' });
    expect(errorsOf(hook('secret: a-secret-written-in-the-file'))).toEqual([
      expect.stringMatching(
        /channel 'hook' field 'secret': the signing secret is written in the estate file: put it in an environment variable and write its name here, as \$\{WEBHOOK_SECRET\}$/,
      ),
    ]);
  });

  it('refuses headers Vantage sets itself', () => {
    expect(errorsOf(hook('headers: { X-Api-Key: k }'))).toEqual([]);
    expect(errorsOf(hook('headers: { X-Vantage-Signature: forged }'))).toHaveLength(1);
    expect(errorsOf(hook('headers: { Idempotency-Key: x }'))).toEqual([
      expect.stringMatching(
        /channel 'hook' field 'headers': Content-Type, Idempotency-Key, User-Agent and X-Vantage-\* are set by Vantage itself; remove them from headers$/,
      ),
    ]);
  });
});
