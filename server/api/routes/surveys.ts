import { Router } from 'express';
import { z } from 'zod';
import { londonDateOf } from '../../../common/calendar.js';
import type { Clock } from '../../../common/clock.js';
import {
  campaignState,
  closedToResponses,
  notPublishedYet,
  resultsPublished,
} from '../../../surveys/campaign.js';
import { checkResponse } from '../../../surveys/response.js';
import { RESULTS_BY } from '../../../surveys/results.js';
import { allow, anyone, publicPart, read } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import type { SurveyStore } from '../../store/survey.js';
import { campaignComments, campaignComparison, campaignResults } from '../../survey/figures.js';
import { surveyTargets } from '../../survey/targets.js';
import { jsonBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';
import type { RateLimiter } from '../rate-limit.js';

/**
 * Survey responses: one per POST, from the form's server, an assisted entry or an import. Nothing
 * about the sender is kept; the client address is used only to limit how fast one address can send,
 * and only in memory.
 */
export function surveyRoutes(deps: {
  store: SurveyStore;
  clock: Clock;
  estate: () => Estate | undefined;
  limiter: RateLimiter;
}): Router {
  const router = Router();

  router.post('/surveys/:id/responses', allow(anyone), jsonBody(RESPONSE_BODY), async (req, res) => {
    const estate = deps.estate();
    const now = deps.clock.now();
    const wait = deps.limiter(req.ip ?? 'unknown', now);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new ApiError('too_many_requests', `too many responses from one address; try again in ${wait} s`);
    }
    const survey = estate?.surveys.find((s) => s.id === req.params.id);
    if (!estate || !survey) throw new ApiError('not_found', `no survey '${req.params.id}'`);
    // A closed campaign's results are published: a late response would change them (409).
    const closed = closedToResponses(survey, now);
    if (closed) throw new ApiError('conflict', `${closed}.`);
    const state = campaignState(survey, now);
    if (state.state !== 'open') throw new ApiError('invalid', `${state.message} It takes no responses now.`);
    const checked = checkResponse(req.body ?? {}, survey, estate, londonDateOf(now));
    if (!checked.ok) {
      throw new ApiError(
        'invalid',
        `${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}; nothing was stored`,
        checked.problems,
      );
    }
    await deps.store.addResponses([checked.response]);
    res.status(201).json({ status: 'received', message: 'Thank you. Your answers were received.' });
  });

  router.get('/surveys', allow(publicPart('surveys')), async (_req, res) => {
    const estate = deps.estate();
    const now = deps.clock.now();
    const items = await Promise.all(
      (estate?.surveys ?? []).map(async (survey) => ({
        id: survey.id,
        title: survey.title,
        opens: survey.opens,
        closes: survey.closes,
        publish: survey.publish ?? 'on-close',
        state: campaignState(survey, now).state,
        message: campaignState(survey, now).message,
        resultsPublished: resultsPublished(survey, now),
        responses: await deps.store.responseCount(survey.id),
        systems: survey.systems,
      })),
    );
    res.json({ items });
  });

  /** A campaign whose results may be read now: 404 for none, 403 saying when for one not yet published. */
  const published = (id: string) => {
    const estate = deps.estate();
    const survey = estate?.surveys.find((s) => s.id === id);
    if (!estate || !survey) throw new ApiError('not_found', `no survey '${id}'`);
    if (!resultsPublished(survey, deps.clock.now())) {
      throw new ApiError('forbidden', notPublishedYet(survey));
    }
    return { estate, survey };
  };

  router.get('/surveys/:id/results', allow(publicPart('surveys')), async (req, res) => {
    const { by = 'organisation' } = parseInput(resultsQuery, req.query, 'query');
    const { estate, survey } = published(req.params.id);
    res.json(await campaignResults(deps.store, survey, estate, by));
  });

  router.get('/surveys/:id/comments', allow(read), async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const { estate, survey } = published(req.params.id);
    res.json(await campaignComments(deps.store, survey, estate));
  });

  // The principles' targets are read like the principles themselves: by anyone signed in.
  router.get('/surveys/:id/targets', allow(read), async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const estate = deps.estate();
    const survey = estate?.surveys.find((s) => s.id === req.params.id);
    if (!estate || !survey) throw new ApiError('not_found', `no survey '${req.params.id}'`);
    res.json({ items: surveyTargets(estate, survey) });
  });

  router.get('/surveys/:id/compare', allow(publicPart('surveys')), async (req, res) => {
    const { with: other } = parseInput(compareQuery, req.query, 'query');
    // Both must exist before either is refused as unpublished, so a wrong id is named as such.
    const estate = deps.estate();
    for (const id of [req.params.id, other]) {
      if (!estate?.surveys.some((s) => s.id === id)) throw new ApiError('not_found', `no survey '${id}'`);
    }
    const { survey: after } = published(req.params.id);
    const { survey: before, estate: current } = published(other);
    res.json(await campaignComparison(deps.store, before, after, current));
  });

  return router;
}

/**
 * One response is a few KB: its largest part, a 1,000-character comment, is 6 KB even were every
 * character escaped as \uXXXX. It nests three deep (the response, its answers, a system's items), and
 * one more level is let through so that a list given for an answer is named as a wrong answer.
 */
const RESPONSE_BODY = { bytes: 16 * 1024, depth: 4 };

const noQuery = z.strictObject({});

const compareQuery = z.strictObject({ with: z.string().min(1, 'name the campaign to compare with') });

const resultsQuery = z.strictObject({
  by: z.enum(RESULTS_BY).optional(),
});
