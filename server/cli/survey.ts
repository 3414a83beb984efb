import { readFileSync } from 'node:fs';
import { londonDateOf } from '../../common/calendar.js';
import { didYouMean } from '../../common/suggest.js';
import { closedToResponses, notPublishedYet, resultsPublished } from '../../surveys/campaign.js';
import type { StoredResponse } from '../../surveys/counts.js';
import { checkResponse, type ResponseInput } from '../../surveys/response.js';
import { RESULTS_BY, type ResultsBy, type surveyResults } from '../../surveys/results.js';
import type { Estate } from '../config/schema.js';
import { campaignResults } from '../survey/figures.js';
import { CommandError, loadEstate, withStore } from './store.js';
import { parseCommand, UsageError } from './usage.js';

type Out = (line: string) => void;

/**
 * `vantage survey import ID FILE.csv` adds responses gathered elsewhere (paper, an assisted session)
 * through the same checks as the form, all or none, and only while the campaign is open; `vantage survey export ID` prints results as the
 * API gives them, aggregated and with small groups withheld: never a row per respondent.
 */
export async function surveyCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'import' && action !== 'export') {
    throw new UsageError(
      action === undefined
        ? 'vantage survey: say import or export'
        : `vantage survey: unknown action '${action}'${didYouMean(action, ['import', 'export'])}`,
    );
  }
  const { values, positionals } = parseCommand(
    `survey ${action}`,
    rest,
    {
      config: { type: 'string', default: 'vantage.yaml' },
      db: { type: 'string', default: 'data/vantage.db' },
      by: { type: 'string', default: 'site' },
      format: { type: 'string', default: 'csv' },
    },
    action === 'import' ? 2 : 1,
  );
  const id = positionals[0];
  if (!id) throw new UsageError(`vantage survey ${action}: give the survey id`);
  try {
    const estate = loadEstate(values.config, err);
    const survey = estate.surveys.find((s) => s.id === id);
    if (!survey) {
      throw new CommandError(
        `no survey '${id}' in ${values.config}${didYouMean(
          id,
          estate.surveys.map((s) => s.id),
        )}`,
      );
    }
    if (action === 'import') {
      const file = positionals[1];
      if (!file) throw new UsageError('vantage survey import: give the CSV file to import');
      // Published figures never change: late rows would, and one could be read back exactly.
      const closed = closedToResponses(survey, Date.now());
      if (closed) throw new CommandError(`${closed}; nothing was imported`);
      const responses = importCsv(readText(file), file, survey, estate);
      await withStore(values.db, async (store) => {
        await store.survey.addResponses(responses);
      });
      out(
        `imported ${responses.length} ${responses.length === 1 ? 'response' : 'responses'} into ${survey.id}`,
      );
      return 0;
    }
    const by = values.by;
    if (!isResultsBy(by)) {
      throw new UsageError(`vantage survey export: --by is ${listOr(RESULTS_BY)}, not '${by}'`);
    }
    if (values.format !== 'csv' && values.format !== 'json') {
      throw new UsageError(`vantage survey export: --format is csv or json, not '${values.format}'`);
    }
    if (!resultsPublished(survey, Date.now())) throw new CommandError(notPublishedYet(survey));
    await withStore(
      values.db,
      async (store) => {
        const results = await campaignResults(store.survey, survey, estate, by);
        if (values.format === 'json') out(JSON.stringify(results, null, 2));
        else for (const line of resultsCsv(results, Object.keys(survey.systems))) out(line);
      },
      // Export only reads: a missing database is a wrong --db, not an empty campaign.
      { create: false },
    );
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      err(`vantage survey ${action}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

const isResultsBy = (by: string): by is ResultsBy => (RESULTS_BY as readonly string[]).includes(by);

/** "organisation, site, staffGroup or system". */
const listOr = (words: readonly string[]) => `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/**
 * Responses from CSV: a header of `organisation`, `site`, `staffGroup`, optional `date` (YYYY-MM-DD,
 * within the campaign; today when absent), `<system>.<item>` and `infra.<item>` columns and
 * `comments`; an empty cell is not answered. Every row is checked as the form checks a response, and
 * one bad row stops the import, naming its line, with nothing stored.
 */
function importCsv(
  text: string,
  file: string,
  survey: Estate['surveys'][number],
  estate: Estate,
): StoredResponse[] {
  const rows = parseCsv(text);
  const header = rows[0]?.cells;
  if (!header || header.length === 0)
    throw new CommandError(`${file}: empty; the first line names the columns`);
  const problems: string[] = [];
  const responses: StoredResponse[] = [];
  const today = londonDateOf(Date.now());
  for (const row of rows.slice(1)) {
    if (row.cells.every((cell) => cell === '')) continue;
    const record = Object.fromEntries(header.map((name, i) => [name.trim(), row.cells[i] ?? '']));
    const input: ResponseInput & { answers: Record<string, Record<string, number | string>> } = {
      organisation: record.organisation,
      site: record.site,
      staffGroup: record.staffGroup,
      answers: {},
      ...(record.comments ? { comments: record.comments } : {}),
    };
    for (const [name, value] of Object.entries(record)) {
      if (value === '' || ['organisation', 'site', 'staffGroup', 'date', 'comments'].includes(name)) continue;
      const dot = name.indexOf('.');
      const [group, item] = name.startsWith('infra.')
        ? ['infra', name]
        : [name.slice(0, dot), name.slice(dot + 1)];
      if (dot < 0 || !group || !item) {
        problems.push(`${file}:${row.line}: unknown column '${name}'`);
        continue;
      }
      // Ratings are numbers; the other answers are option ids such as under-10s, none of them all digits.
      input.answers[group] ??= {};
      (input.answers[group] as Record<string, number | string>)[item] = /^\d+$/.test(value)
        ? Number(value)
        : value;
    }
    const day = record.date || today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < survey.opens || day > survey.closes) {
      problems.push(
        `${file}:${row.line}: date '${day}' is not a day of ${survey.id} (${survey.opens} to ${survey.closes})`,
      );
      continue;
    }
    const checked = checkResponse(input, survey, estate, day);
    if (checked.ok) responses.push(checked.response);
    else for (const p of checked.problems) problems.push(`${file}:${row.line}: ${p.path}: ${p.message}`);
  }
  if (problems.length > 0) {
    throw new CommandError(
      `${problems.join('\n')}\n${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; nothing was imported`,
    );
  }
  return responses;
}

/** RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside quotes. */
function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

/** Results as CSV: one row per group, each system's n, mean, interval and grade (or SUS equivalent). */
function resultsCsv(results: ReturnType<typeof surveyResults>, systems: string[]): string[] {
  const header = ['group', 'responses', 'withheld'];
  for (const system of systems)
    header.push(
      `${system} n`,
      `${system} mean`,
      `${system} ci95 low`,
      `${system} ci95 high`,
      `${system} grade or SUS equivalent`,
    );
  const lines = [header.map(csvCell).join(',')];
  for (const item of results.items as {
    key: string;
    n: number | null;
    withheld: boolean;
    reason?: string;
    scores: Record<string, unknown>;
  }[]) {
    const cells: (string | number | null)[] = [
      item.key,
      item.n,
      item.withheld ? (item.reason ?? 'withheld') : '',
    ];
    for (const system of systems) {
      const score = item.scores[system] as
        | { n: number | null; mean?: number; ci95?: [number, number]; grade?: string; susEquivalent?: number }
        | undefined;
      cells.push(
        score?.n ?? null,
        score?.mean ?? null,
        score?.ci95?.[0] ?? null,
        score?.ci95?.[1] ?? null,
        score?.grade ?? score?.susEquivalent ?? null,
      );
    }
    lines.push(cells.map((cell) => csvCell(cell === null ? '' : String(cell))).join(','));
  }
  return lines;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
