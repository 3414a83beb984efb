import type { RunRecord } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import { isStorageFailure } from '../db/failure.js';
import { type Db, openDatabase } from '../db/open.js';
import { type AgentBeat, agentsRepo, type TokenRow } from '../db/repos/agents.js';
import { checksRepo } from '../db/repos/checks.js';
import { organisationsRepo } from '../db/repos/organisations.js';
import { sitesRepo } from '../db/repos/sites.js';
import { type StoredResponse, type SurveyGrouping, surveyRepo } from '../db/repos/survey.js';
import { systemsRepo } from '../db/repos/systems.js';
import { diffEntities } from '../estate/diff.js';
import { type EstateRows, estateRows, type Retirable, type StoredEstate } from '../estate/rows.js';
import { sqliteResults } from './sqlite-results.js';
import type {
  KindReport,
  RecordReport,
  ResultPage,
  ResultsQuery,
  RollupSlice,
  Store,
  SyncReport,
} from './store.js';

interface Repo<Row extends { id: string }> {
  all(): Retirable<Row>[];
  upsert(row: Row, at: number): unknown;
  retire(id: string, at: number): unknown;
}

export class SqliteStore implements Store {
  readonly #db: Db;
  readonly #repos;
  readonly #results;
  readonly #agents;
  readonly #survey;
  #closed = false;
  #generation = 0;
  /** The last write the disk refused, until a write succeeds again: readiness reports it. */
  #writeFailure: Error | undefined;

  constructor(db: Db) {
    this.#db = db;
    this.#repos = {
      organisations: organisationsRepo(db),
      sites: sitesRepo(db),
      systems: systemsRepo(db),
      checks: checksRepo(db),
    };
    this.#results = sqliteResults(db);
    this.#agents = agentsRepo(db);
    this.#survey = surveyRepo(db);
  }

  /** Opens a database file (creating and migrating it as needed). */
  static open(file: string): SqliteStore {
    return new SqliteStore(openDatabase(file));
  }

  get db(): Db {
    return this.#db;
  }

  async syncEstate(estate: Estate, at: number): Promise<SyncReport> {
    const rows = estateRows(estate);
    this.#generation += 1;
    // A database written before secrets were kept as ${NAME} holds their values in the checks' rows:
    // rewritten now, the old bytes are overwritten rather than left in free space.
    const secureDelete = this.#db.pragma('secure_delete', { simple: true }) as number;
    this.#db.pragma('secure_delete = ON');
    try {
      return this.#writing(() => this.#syncRows(rows, at));
    } finally {
      this.#db.pragma(`secure_delete = ${secureDelete}`);
    }
  }

  #syncRows(rows: EstateRows, at: number): SyncReport {
    const repos = this.#repos;
    return this.#db.transaction(() => ({
      // Referenced kinds first, so that a new site's host exists before the site does.
      organisations: sync(repos.organisations, rows.organisations, at, (r) =>
        JSON.stringify([r.name, r.kind, r.ods]),
      ),
      sites: sync(repos.sites, rows.sites, at, (r) => JSON.stringify([r.name, r.host, r.kind, r.tags])),
      systems: sync(repos.systems, rows.systems, at, (r) =>
        JSON.stringify([r.name, r.owner, r.kind, r.supplier, r.tags]),
      ),
      checks: sync(repos.checks, rows.checks, at, (r) => JSON.stringify(r.definition)),
    }))();
  }

  estateGeneration(): number {
    return this.#generation;
  }

  async readEstate(options: { includeRetired?: boolean } = {}): Promise<StoredEstate> {
    const keep = <Row extends { retiredAt: number | null }>(rows: Row[]) =>
      options.includeRetired ? rows : rows.filter((row) => row.retiredAt === null);
    return this.#db.transaction(() => ({
      organisations: keep(this.#repos.organisations.all()),
      sites: keep(this.#repos.sites.all()),
      systems: keep(this.#repos.systems.all()),
      checks: keep(this.#repos.checks.all()),
    }))();
  }

  async activeCheckIds(): Promise<string[]> {
    return this.#repos.checks.activeIds();
  }

  async recordRuns(runs: RunRecord[]): Promise<RecordReport> {
    return this.#writing(() => this.#results.record(runs));
  }

  async getCheck(checkId: string) {
    return this.#repos.checks.get(checkId);
  }

  async latestResultsAll() {
    return this.#results.latestAll();
  }

  async latestResults(checkId: string) {
    return this.#results.latest(checkId);
  }

  async firstRunAt(
    checkId: string,
    vantagePoint: string,
    from: number,
    to: number,
  ): Promise<number | undefined> {
    return this.#results.firstRunAt(checkId, vantagePoint, from, to);
  }

  async listResults(checkId: string, query: ResultsQuery): Promise<ResultPage> {
    return this.#results.list(checkId, query);
  }

  async rollups(
    checkId: string,
    resolution: 'hourly' | 'daily',
    from: number,
    to: number,
  ): Promise<RollupSlice[]> {
    return this.#results.rollups(checkId, resolution, from, to);
  }

  async spanRollups(checkId: string, firstDay: number, endDay: number): Promise<RollupSlice[]> {
    return this.#results.spanRollups(checkId, firstDay, endDay);
  }

  async refreshSpans(firstDay: number, endDay: number, limit: number): Promise<number> {
    return this.#writing(() => this.#results.refreshSpans(firstDay, endDay, limit));
  }

  async pruneBatch(before: { raw: number; hourlyBucket: number }, limit: number) {
    return this.#writing(() => this.#results.prune(before, limit));
  }

  async addToken(token: Omit<TokenRow, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
    this.#writing(() => this.#agents.addToken(token));
  }

  async token(id: string): Promise<TokenRow | undefined> {
    return this.#agents.token(id);
  }

  async tokens(): Promise<TokenRow[]> {
    return this.#agents.tokens();
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    return this.#writing(() => this.#agents.revoke(id, at));
  }

  async recordHeartbeat(beat: AgentBeat): Promise<void> {
    this.#writing(() =>
      this.#db.transaction(() => {
        this.#agents.beat(beat);
        this.#agents.used(beat.tokenId, beat.at);
      })(),
    );
  }

  async agents(): Promise<AgentBeat[]> {
    return this.#agents.agents();
  }

  async addSurveyResponses(responses: StoredResponse[]): Promise<void> {
    this.#writing(() => this.#survey.add(responses));
  }

  async surveyScoreSums(campaign: string, by: SurveyGrouping | 'all') {
    return this.#survey.scoreSums(campaign, by);
  }

  async surveyScoreCells(campaign: string) {
    return this.#survey.scoreCells(campaign);
  }

  async surveyCells(campaign: string) {
    return this.#survey.cells(campaign);
  }

  async surveyAnswerCounts(campaign: string) {
    return this.#survey.answerCounts(campaign);
  }

  async surveyItemCounts(campaign: string) {
    return this.#survey.itemCounts(campaign);
  }

  async surveyComments(campaign: string) {
    return this.#survey.comments(campaign);
  }

  async surveyDemoCount(campaign: string): Promise<number> {
    return this.#survey.demoCount(campaign);
  }

  async surveyResponseCount(campaign: string): Promise<number> {
    return this.#survey.count(campaign);
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new Error('the store is closed');
    // A full disk lets a transaction begin and fails only when pages are written, so the last real
    // write's outcome is what says whether writes work.
    if (this.#writeFailure) throw this.#writeFailure;
    // Taking the write lock proves the database can be written without writing anything.
    this.#db.exec('BEGIN IMMEDIATE');
    this.#db.exec('ROLLBACK');
  }

  /** Runs a write, remembering whether the database refused it for want of space or a working disk. */
  #writing<T>(write: () => T): T {
    try {
      const result = write();
      this.#writeFailure = undefined;
      return result;
    } catch (error) {
      if (isStorageFailure(error)) this.#writeFailure = error as Error;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

function sync<Row extends { id: string }>(
  repo: Repo<Row>,
  desired: Row[],
  at: number,
  fingerprint: (row: Row) => string,
): KindReport {
  const changes = diffEntities(repo.all(), desired, fingerprint);
  for (const row of [...changes.added, ...changes.changed, ...changes.restored]) repo.upsert(row, at);
  for (const id of changes.retired) repo.retire(id, at);
  const ids = (rows: Row[]) => rows.map((row) => row.id);
  return {
    added: ids(changes.added),
    changed: ids(changes.changed),
    restored: ids(changes.restored),
    retired: changes.retired,
  };
}
