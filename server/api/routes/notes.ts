import { type Request, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { audit } from '../../access/audit.js';
import { actorOf, type Principal, principalOf, roleOf } from '../../access/principal.js';
import { actOn, allow, read } from '../../access/rules.js';
import type { AccessStore, NoteRow } from '../../store/access.js';
import type { EstateStore } from '../../store/estate.js';
import { noteView } from '../access-views.js';
import { jsonBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';
import type { NotesResponse, NoteView } from '../types.js';

const NOTE_BODY = { bytes: 16 * 1024, depth: 2 };
const noteInput = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(2_000, 'must be at most 2,000 characters'),
});

type Kind = NoteRow['subjectKind'];
const kinds = [
  { kind: 'system', path: 'systems' },
  { kind: 'site', path: 'sites' },
] as const satisfies { kind: Kind; path: string }[];

/** How a note's author is shown beside it. */
function authorName(principal: Principal): string {
  if (principal.kind === 'user') return principal.name;
  if (principal.kind === 'api-token') return principal.label ?? `API token ${principal.tokenId}`;
  return actorOf(principal);
}

/**
 * Notes partners keep on what they answer for (a system their organisation owns, a site it hosts):
 * everyone who reads may read them; only those who may act on the subject add one.
 */
export function noteRoutes(stores: { access: AccessStore; estate: EstateStore }, clock: Clock): Router {
  const router = Router();
  const { access } = stores;

  const exists = async (kind: Kind, id: string) => {
    const estate = await stores.estate.readEstate();
    const list: { id: string }[] = kind === 'system' ? estate.systems : estate.sites;
    if (!list.some((s) => s.id === id)) throw new ApiError('not_found', `no ${kind} with id '${id}'`);
  };

  for (const { kind, path } of kinds) {
    router.get(`/${path}/:id/notes`, allow(read), async (req, res) => {
      await exists(kind, req.params.id);
      res.json({
        items: (await access.notes(kind, req.params.id)).map(noteView),
      } satisfies NotesResponse);
    });

    router.post(
      `/${path}/:id/notes`,
      allow(actOn('adding a note', (req: Request) => ({ kind, id: String(req.params.id) }))),
      jsonBody(NOTE_BODY),
      async (req, res) => {
        const { text } = parseInput(noteInput, req.body, 'body');
        const subjectId = String(req.params.id);
        await exists(kind, subjectId);
        const principal = principalOf(req);
        const note = await access.addNote({
          subjectKind: kind,
          subjectId,
          author: actorOf(principal),
          authorName: authorName(principal),
          text,
          at: clock.now(),
        });
        await audit(access, clock, req, {
          action: 'note-added',
          subject: `${kind}:${note.subjectId}`,
          detail: { note: note.id, text },
        });
        res.status(201).json(noteView(note) satisfies NoteView);
      },
    );
  }

  // Read is the rule: whose note it is decides, which only the note itself can say.
  router.delete('/notes/:id', allow(read), async (req, res) => {
    const id = /^\d{1,15}$/.test(req.params.id) ? Number(req.params.id) : undefined;
    const note = id === undefined ? undefined : await access.note(id);
    if (!note) throw new ApiError('not_found', `no note with id '${req.params.id}'`);
    const principal = principalOf(req);
    const role = roleOf(principal);
    if (role !== 'admin' && note.author !== actorOf(principal))
      throw new ApiError('forbidden', 'removing a note needs its author, or the admin role', {
        needs: 'the note’s author or admin',
        have: role,
      });
    await access.removeNote(note.id);
    await audit(access, clock, req, {
      action: 'note-removed',
      subject: `${note.subjectKind}:${note.subjectId}`,
      detail: { note: note.id, author: note.author, text: note.text },
    });
    res.status(204).end();
  });

  return router;
}
