import { describe, expect, it } from 'vitest';
import {
  comment,
  infrastructureItems,
  instrumentIds,
  instrumentItems,
  instruments,
  itemText,
  staffGroups,
} from '../../surveys/instruments.js';

/** SURVEY.md's wording, copied by hand so a change to either shows up here. */
const SUS = [
  'I think that I would like to use this system frequently.',
  'I found the system unnecessarily complex.',
  'I thought the system was easy to use.',
  'I think that I would need the support of a technical person to be able to use this system.',
  'I found the various functions in this system were well integrated.',
  'I thought there was too much inconsistency in this system.',
  'I would imagine that most people would learn to use this system very quickly.',
  'I found the system very cumbersome to use.',
  'I felt very confident using the system.',
  'I needed to learn a lot of things before I could get going with this system.',
];
const UMUX_LITE = ["[System]'s capabilities meet my requirements.", '[System] is easy to use.'];

const allItems = [
  ...instrumentItems('sus'),
  ...instrumentItems('umux-lite'),
  ...infrastructureItems,
  comment,
];

describe('survey instruments', () => {
  it('keeps the instrument ids the estate file names', () => {
    expect(instrumentIds).toEqual(['sus', 'umux-lite']);
    expect(instruments.sus.scale).toEqual([1, 5]);
    expect(instruments['umux-lite'].scale).toEqual([1, 7]);
  });

  it('words SUS exactly as Brooke did once "this system" or "the system" is put back', () => {
    const items = instrumentItems('sus');
    expect(items.map((item) => item.id)).toEqual(SUS.map((_, i) => `sus${i + 1}`));
    items.forEach((item, i) => {
      const filled = ['this system', 'the system'].map((phrase) => itemText(item, phrase));
      expect(filled.filter((text) => text === SUS[i])).toHaveLength(1);
    });
  });

  it('words UMUX-Lite exactly as published once "[System]" is put back', () => {
    const items = instrumentItems('umux-lite');
    expect(items.map((item) => item.id)).toEqual(['umux1', 'umux2']);
    expect(items.map((item) => itemText(item, '[System]'))).toEqual(UMUX_LITE);
  });

  it('labels the standard scales at their ends only, as the published forms do', () => {
    expect(instrumentItems('sus')[0]?.options.map((option) => option.label)).toEqual([
      'Strongly disagree',
      null,
      null,
      null,
      'Strongly agree',
    ]);
    expect(instrumentItems('umux-lite')[1]?.options.map((option) => option.value)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('puts the system name in as written, even one that looks like a replacement pattern', () => {
    expect(itemText(instrumentItems('umux-lite')[1] ?? comment, 'eRecord')).toBe('eRecord is easy to use.');
    expect(itemText(instrumentItems('sus')[2] ?? comment, 'A$&B')).toBe('I thought A$&B was easy to use.');
  });

  it('gives every item a unique id', () => {
    const ids = allItems.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of infrastructureItems) expect(item.id).toMatch(/^infra\.[a-zA-Z]+$/);
  });

  it('gives every infrastructure item at least two answers with unique values and a label each', () => {
    for (const item of infrastructureItems) {
      const options = item.options;
      expect(options.filter((option) => !('optOut' in option)).length, item.id).toBeGreaterThanOrEqual(2);
      expect(new Set(options.map((option) => option.value)).size, item.id).toBe(options.length);
    }
  });

  it('marks the opt-outs SURVEY.md lists, and only those', () => {
    const optOuts = infrastructureItems.flatMap((item) =>
      item.options.filter((option) => 'optOut' in option).map((option) => `${item.id}: ${option.label}`),
    );
    expect(optOuts).toEqual([
      "infra.timeToRecord: I don't know",
      'infra.workingDevice: Not applicable',
      "infra.partnerSiteLogin: I don't work at other sites",
    ]);
  });

  it('counts 4–5 as agree and 1–2 as disagree on the agreement items', () => {
    const agreement = infrastructureItems.filter((item) => 'net' in item);
    expect(agreement.map((item) => item.id)).toEqual([
      'infra.available',
      'infra.responsive',
      'infra.fixedPromptly',
    ]);
    for (const item of agreement) {
      expect(item.options.map((option) => option.value)).toEqual([1, 2, 3, 4, 5]);
      expect(item.net).toEqual({ agree: [4, 5], disagree: [1, 2] });
    }
  });

  it('asks per system exactly the items that name a system', () => {
    for (const item of infrastructureItems)
      expect(item.perSystem, item.id).toBe(/\{system\}/i.test(item.text));
    expect(
      infrastructureItems.filter((item) => item.perSystem).map((item) => itemText(item, '[System]')),
    ).toEqual(['[System] is available when I need it.', '[System] responds quickly enough for my work.']);
  });

  it('asks for one optional comment of up to 1,000 characters, warning against names and patient details', () => {
    expect(comment.text).toBe('What one IT change would most help you at work?');
    expect(comment.hint).toMatch(/names/);
    expect(comment.hint).toMatch(/patient details/);
    expect(comment.maxLength).toBe(1000);
  });

  it('lists the staff groups', () => {
    expect(staffGroups.map((group) => [group.id, group.label])).toEqual([
      ['medical', 'Medical and dental'],
      ['nursing', 'Nursing and midwifery'],
      ['ahp', 'Allied health professional'],
      ['admin', 'Admin and clerical'],
      ['social-care', 'Social care'],
      ['other', 'Other'],
    ]);
  });
});
