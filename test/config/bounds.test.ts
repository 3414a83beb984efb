import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { certificate } from '../probes/certificates.js';

const tmp = useTmpDir();

/** "LINE:COL: message" for each error, or [] when the estate is valid. */
function errorsOf(yaml: string): string[] {
  const result = parseEstate(yaml, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

/** The small estate's check (line 10 on) with its expect line (line 17) replaced by `lines`. */
const withCheck = (lines: string) =>
  smallEstateYaml.replace('    expect: { status: [200], bodyContains: Sign in, degradedMs: 2000 }\n', lines);

/** A check the server runs itself (no `from`), of `type`, with `lines` added: line 16 on. */
const serverCheck = (type: string, target: string, lines: string) =>
  withCheck('')
    .replace('    from: [st-annes, marsh-lane]\n', '')
    .replace('type: http', `type: ${type}`)
    .replace('target: https://epr.example.org/login', `target: ${target}`) + lines;

describe('estate file bounds', () => {
  it.each([
    [
      '    maxBodyBytes: 1e15\n',
      "17:19: check 'epr-login' field 'maxBodyBytes': must be at most 16,777,216 bytes",
    ],
    ['    maxBodyBytes: 0\n', "17:19: check 'epr-login' field 'maxBodyBytes': must be at least 1 byte"],
    ['    maxRedirects: 1000\n', "17:19: check 'epr-login' field 'maxRedirects': must be at most 20"],
    [
      '    expect: { degradedMs: 1e12 }\n',
      "17:27: check 'epr-login' field 'expect.degradedMs': must be at most 600,000 ms",
    ],
    [
      '    expect: { bodyMatches: "(a)\\\\1" }\n',
      "17:28: check 'epr-login' field 'expect.bodyMatches': '(a)\\1' is not a pattern Vantage can match in linear time (invalid escape sequence: `\\1`); patterns use RE2 syntax, without backreferences or lookaround",
    ],
  ])('refuses %s where it is', (line, error) => {
    expect(errorsOf(withCheck(line))).toEqual([error]);
  });

  it('bounds the tls and dns checks numbers too', () => {
    expect(
      errorsOf(serverCheck('tls', 'epr.example.org', '    expect: { minDaysToExpiry: 100000 }\n')),
    ).toEqual(["16:32: check 'epr-login' field 'expect.minDaysToExpiry': must be at most 3,650 days"]);
    expect(errorsOf(serverCheck('dns', 'epr.example.org', '    expect: { degradedMs: 0 }\n'))).toEqual([
      "16:27: check 'epr-login' field 'expect.degradedMs': must be at least 1 ms",
    ]);
  });

  it.each([
    ['every: 1m', 'every: 500ms', "14:12: check 'epr-login' field 'every': must be at least 1s, not 500ms"],
    ['every: 1m', 'every: 30d', "14:12: check 'epr-login' field 'every': must be at most 1d, not 30d"],
    ['timeout: 10s', 'timeout: 1h', "15:14: check 'epr-login' field 'timeout': must be at most 10m, not 1h"],
    [
      'timeout: 10s',
      'timeout: 5ms',
      "15:14: check 'epr-login' field 'timeout': must be at least 10ms, not 5ms",
    ],
  ])('bounds durations: %s as %s', (from, to, error) => {
    expect(errorsOf(smallEstateYaml.replace(from, to))).toEqual([error]);
  });

  it('refuses port 0 in an http target, which would otherwise be dialled as port 80', () => {
    expect(
      errorsOf(smallEstateYaml.replace('https://epr.example.org/login', 'http://epr.example.org:0/')),
    ).toEqual([
      "13:13: check 'epr-login' field 'target': 'http://epr.example.org:0/' has an invalid port (1 to 65535); for example https://epr.example.org/login",
    ]);
  });

  it('takes durations in ms', () => {
    expect(errorsOf(smallEstateYaml.replace('timeout: 10s', 'timeout: 500ms'))).toEqual([]);
  });

  it('bounds the settings and principles', () => {
    const settings = `${smallEstateYaml}settings:\n  retention: { raw: 5000d }\n  survey: { minGroupSize: 1000000, rateLimitPerMinute: 1e9 }\n`;
    expect(errorsOf(settings)).toEqual([
      '19:21: settings.retention.raw: must be at most 400d, not 5000d',
      '20:27: settings.survey.minGroupSize: must be at most 10,000',
      '20:56: settings.survey.rateLimitPerMinute: must be at most 100,000',
    ]);
    const principle = (target: string, window = '30d') =>
      `${smallEstateYaml}principles:\n  - { id: up, title: Up, metric: availability, target: ${target}, window: ${window} }\n`;
    expect(errorsOf(principle('99.9%'))).toEqual([]);
    expect(errorsOf(principle('150%'))).toEqual([
      "19:56: principle 'up' field 'target': target '150%' is out of range: a percentage is from -100% to 100%, a time at most 86400s",
    ]);
    expect(errorsOf(principle('1e12'))).toEqual([
      "19:56: principle 'up' field 'target': must be at most 1,000,000",
    ]);
    expect(errorsOf(principle('99%', '20y'))[0]).toMatch(/field 'window': invalid duration '20y'/);
    expect(errorsOf(principle('99%', '1000d'))[0]).toMatch(/field 'window': must be at most 400d, not 1000d/);
  });

  it('refuses header names that are not tokens and values with line breaks or NUL', () => {
    const yaml = withCheck(
      '    headers:\n      Bad Name: x\n      X-Ok: fine\n      X-Split: "a\\r\\nInjected: yes"\n      X-Nul: "a\\0b"\n',
    );
    expect(errorsOf(yaml)).toEqual([
      "18:17: check 'epr-login' field 'headers.Bad Name': 'Bad Name' is not a header name: use letters, digits and - (such as X-Api-Key), no spaces or colons",
      "20:16: check 'epr-login' field 'headers.X-Split': the value of header 'X-Split' holds a line break or NUL, which a header cannot carry",
      "21:14: check 'epr-login' field 'headers.X-Nul': the value of header 'X-Nul' holds a line break or NUL, which a header cannot carry",
    ]);
    const channel = `${smallEstateYaml}channels:\n  - { id: hook, organisation: riverside, type: webhook, url: "https://hooks.example.org/", headers: { "a:b": x } }\n`;
    expect(errorsOf(channel)[0]).toMatch(
      /^19:\d+: channel 'hook' field 'headers.a:b': 'a:b' is not a header name/,
    );
  });

  it('reads each server-run check’s CA file: missing, unreadable or not PEM is a located error', async () => {
    const dir = tmp();
    const good = join(dir, 'ca.pem');
    writeFileSync(good, (await certificate({})).cert);
    const notPem = join(dir, 'notes.txt');
    writeFileSync(notPem, 'not a certificate\n');
    const missing = join(dir, 'missing.pem');
    const check = (ca: string) => serverCheck('tls', 'epr.example.org', `    ca: ${ca}\n`);
    expect(errorsOf(check(good))).toEqual([]);
    expect(errorsOf(check(missing))).toEqual([
      `16:9: check 'epr-login' field 'ca': cannot read the CA file ${missing}: no such file`,
    ]);
    expect(errorsOf(check(notPem))).toEqual([
      `16:9: check 'epr-login' field 'ca': the CA file ${notPem} holds no PEM certificate`,
    ]);
    expect(errorsOf(check(dir))).toEqual([
      `16:9: check 'epr-login' field 'ca': cannot read the CA file ${dir}: it is a folder, not a file`,
    ]);
    if (process.getuid?.() !== 0) {
      chmodSync(good, 0o000);
      expect(errorsOf(check(good))[0]).toMatch(/permission denied$/);
    }
    // A check run by agents reads its CA file on their machines, not this one.
    expect(errorsOf(withCheck(`    ca: ${missing}\n`))).toEqual([]);
  });
});
