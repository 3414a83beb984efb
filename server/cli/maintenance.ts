import { didYouMean } from '../../common/suggest.js';
import type { Estate } from '../config/schema.js';
import { adHocId, draftWindow, instantOf } from '../principles/ad-hoc.js';
import { allWindows, type Window } from '../principles/windows.js';
import { auditCli, cliActor } from './grant-options.js';
import { CommandError, loadEstate, WHERE_OPTIONS, whereOf, withStore } from './store.js';
import { iso, table } from './table.js';
import { parseCommand, UsageError } from './usage.js';

type Out = (line: string) => void;

const DAY_MS = 86_400_000;
const EXISTING = { create: false } as const;
const ACTIONS = ['add', 'list', 'end'];
const TIME_FORMS = 'give YYYY-MM-DDTHH:MM (London time) or ISO 8601 with Z or an offset';

/** A time given on the command line, or a usage mistake naming the option. */
function timeOption(text: string, option: string): number {
  const at = instantOf(text);
  if (at === undefined)
    throw new UsageError(`vantage maintenance list: ${option} '${text}' is not a time: ${TIME_FORMS}`);
  return at;
}

/** One line per window: its id, where it came from, its time in the period, and what it covers. */
function windowRows(windows: Window[]): string[][] {
  return windows.map((w) => [
    w.id,
    w.source,
    w.spans.map((s) => `${iso(s.from)} to ${iso(s.to)}`).join(', ') || '(none in the period)',
    Object.entries(w.scope)
      .map(([kind, ids]) => `${kind}: ${(ids ?? []).join(' ')}`)
      .join('; '),
    w.title,
  ]);
}

const HEADER = ['ID', 'SOURCE', 'TIME (UTC)', 'SCOPE', 'TITLE'];

/**
 * `vantage maintenance add | list | end ID`: ad hoc maintenance windows from the command line, on the
 * same database and estate file as `serve` (which may be running). Whoever runs it on the server acts as
 * an admin would, and the audit log names them as `cli:<user>`.
 */
export async function maintenanceCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseCommand(
    `maintenance ${action ?? ''}`.trim(),
    rest,
    {
      title: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      system: { type: 'string', multiple: true },
      site: { type: 'string', multiple: true },
      check: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      ...WHERE_OPTIONS,
    },
    action === 'end' ? 1 : 0,
  );
  const { dbFile, configFile } = whereOf(values);
  const estate = (): Estate => loadEstate(configFile, err, 'windows are checked against it');

  try {
    switch (action) {
      case 'add': {
        const missing = (['title', 'start', 'end'] as const).filter((name) => values[name] === undefined);
        if (missing.length > 0)
          throw new UsageError(
            `vantage maintenance add: give ${missing.map((name) => `--${name}`).join(', ')}`,
          );
        const drafted = draftWindow(
          {
            title: values.title ?? '',
            start: values.start ?? '',
            end: values.end ?? '',
            scope: {
              ...(values.system ? { systems: values.system } : {}),
              ...(values.site ? { sites: values.site } : {}),
              ...(values.check ? { checks: values.check } : {}),
              ...(values.tag ? { tags: values.tag } : {}),
            },
          },
          estate(),
          Date.now(),
        );
        if (!drafted.ok) throw new CommandError(`${optionOf(drafted.field)}: ${drafted.message}`);
        await withStore(dbFile, async (store) => {
          const at = Date.now();
          const row = { id: adHocId(), ...drafted.draft, createdBy: cliActor(), createdAt: at };
          await store.maintenance.add(row);
          await auditCli(store, {
            at,
            action: 'maintenance-added',
            subject: `maintenance:${row.id}`,
            detail: {
              title: row.title,
              start: new Date(row.start).toISOString(),
              end: new Date(row.end).toISOString(),
              scope: row.scope,
            },
          });
          out(row.id);
          err(`maintenance window ${row.id} added: ${iso(row.start)} to ${iso(row.end)} (UTC)`);
        });
        return 0;
      }
      case 'list': {
        const now = Date.now();
        const to = values.to === undefined ? now : timeOption(values.to, '--to');
        const from = values.from === undefined ? to - 7 * DAY_MS : timeOption(values.from, '--from');
        if (to <= from) throw new UsageError('vantage maintenance list: --to is not after --from');
        if (to - from > 366 * DAY_MS)
          throw new UsageError('vantage maintenance list: the period is at most 366 days');
        const current = estate();
        await withStore(
          dbFile,
          async (store) => {
            const windows = await allWindows(current, store.maintenance, from, to);
            out(`windows from ${iso(from)} to ${iso(to)}:`);
            for (const line of table(HEADER, windowRows(windows))) out(line);
            const ahead = (await allWindows(current, store.maintenance, now, now + 7 * DAY_MS)).filter(
              (w) => w.spans.length > 0,
            );
            out('');
            out(`coming up in the next 7 days:${ahead.length === 0 ? ' none' : ''}`);
            if (ahead.length > 0) for (const line of table(HEADER, windowRows(ahead))) out(line);
          },
          EXISTING,
        );
        return 0;
      }
      case 'end': {
        const id = positionals[0];
        if (!id)
          throw new UsageError(
            'vantage maintenance end: give the id of the window (see vantage maintenance list)',
          );
        const fileIds = existsInFile(configFile, id);
        await withStore(
          dbFile,
          async (store) => {
            const row = await store.maintenance.window(id);
            if (!row) {
              if (fileIds)
                throw new CommandError(
                  `window '${id}' is in the estate file ${configFile}: edit the file to change or remove it`,
                );
              throw new CommandError(`no ad hoc maintenance window '${id}' (see vantage maintenance list)`);
            }
            const at = Date.now();
            if (row.endedAt !== null)
              throw new CommandError(`window '${id}' was already ended at ${iso(row.endedAt)}`);
            if (row.end <= at)
              throw new CommandError(`window '${id}' is already over (it ended at ${iso(row.end)})`);
            await store.maintenance.end(id, at, cliActor());
            const ended = (await store.maintenance.window(id)) ?? row;
            await auditCli(store, {
              at,
              action: 'maintenance-ended',
              subject: `maintenance:${id}`,
              detail: {
                title: row.title,
                end: new Date(ended.end).toISOString(),
                plannedEnd: new Date(row.end).toISOString(),
              },
            });
            out(`maintenance window ${id} ended at ${iso(ended.end)} (it was to end at ${iso(row.end)})`);
          },
          EXISTING,
        );
        return 0;
      }
      default:
        throw new UsageError(
          action === undefined
            ? 'vantage maintenance: say add, list or end'
            : `vantage maintenance: unknown action '${action}'${didYouMean(action, ACTIONS)}`,
        );
    }
  } catch (error) {
    if (error instanceof CommandError) {
      err(`vantage maintenance ${action}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** The option a field of the window came from, as the person typed it. */
function optionOf(field: string): string {
  const options: Record<string, string> = {
    start: '--start',
    end: '--end',
    scope: '--system, --site, --check or --tag',
    'scope.systems': '--system',
    'scope.sites': '--site',
    'scope.checks': '--check',
    'scope.tags': '--tag',
  };
  return options[field] ?? `--${field}`;
}

/** Whether the estate file names this window; a missing or broken file only means it cannot say. */
function existsInFile(file: string, id: string): boolean {
  try {
    return loadEstate(file, () => {}).maintenance.some((w) => w.id === id);
  } catch {
    return false;
  }
}
