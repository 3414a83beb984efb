import { ApiFailure, getJson, sendJson } from './api.js';
import { h } from './dom.js';
import { londonTime } from './format.js';
import type { MeResponse, NotesResponse, NoteView } from './types.js';

type Kind = NoteView['subject']['kind'];
const PATH: Record<Kind, string> = { system: 'systems', site: 'sites' };

/** Whether the signed-in person may remove a note: its author, or an admin (the server decides again). */
function mayRemove(me: MeResponse | undefined, note: NoteView): boolean {
  return Boolean(me && (me.can.admin || (me.kind === 'user' && me.email === note.author)));
}

/**
 * The notes kept on a system or site: everyone who reads sees them; the form to add one is shown only
 * to those who may act on it (its owner's or host's partners, and admins).
 */
export async function notesSection(kind: Kind, id: string, me: MeResponse | undefined): Promise<HTMLElement> {
  const path = `/api/v1/${PATH[kind]}/${encodeURIComponent(id)}/notes`;
  const section = h('section', { 'aria-labelledby': 'notes', class: 'vantage-notes' });
  const mayAdd = Boolean(me && (kind === 'system' ? me.can.actOn.systems : me.can.actOn.sites).includes(id));

  const draw = async (problem?: string, draft = '') => {
    const { items } = await getJson<NotesResponse>(path);
    section.replaceChildren(
      h('h2', { id: 'notes' }, 'Notes'),
      items.length === 0
        ? h('p', { class: 'nhsuk-body', 'data-testid': 'notes-empty' }, 'No notes yet.')
        : h('ul', { class: 'nhsuk-list vantage-note-list', 'data-testid': 'notes' }, ...items.map(noteItem)),
      mayAdd ? addForm(problem, draft) : '',
    );
  };

  const act = async (work: () => Promise<unknown>, draft = '') => {
    try {
      await work();
      await draw();
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return;
      await draw(error instanceof Error ? error.message : 'The note could not be saved.', draft);
      section.querySelector<HTMLElement>('.nhsuk-error-message')?.scrollIntoView();
    }
  };

  function noteItem(note: NoteView): HTMLElement {
    const remove = mayRemove(me, note)
      ? h(
          'button',
          { class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small', type: 'button' },
          'Remove',
        )
      : '';
    if (remove) {
      remove.setAttribute('aria-label', `Remove the note by ${note.authorName} from ${londonTime(note.at)}`);
      remove.addEventListener('click', () => act(() => sendJson(me, 'DELETE', `/api/v1/notes/${note.id}`)));
    }
    return h(
      'li',
      { class: 'vantage-note-item', 'data-testid': `note-${note.id}` },
      h('p', { class: 'nhsuk-body vantage-note-text' }, note.text),
      h('p', { class: 'nhsuk-body-s vantage-note-by' }, `${note.authorName}, ${londonTime(note.at)}`),
      remove,
    );
  }

  function addForm(problem: string | undefined, draft: string): HTMLElement {
    const textarea = h(
      'textarea',
      {
        class: `nhsuk-textarea${problem ? ' nhsuk-textarea--error' : ''}`,
        id: 'note-text',
        name: 'text',
        rows: 3,
        maxlength: 2000,
        'aria-describedby': problem ? 'note-text-hint note-text-error' : 'note-text-hint',
      },
      draft,
    );
    const form = h(
      'form',
      { 'data-testid': 'note-form', novalidate: true },
      h(
        'div',
        { class: `nhsuk-form-group${problem ? ' nhsuk-form-group--error' : ''}` },
        h('label', { class: 'nhsuk-label nhsuk-label--s', for: 'note-text' }, 'Add a note'),
        h(
          'div',
          { class: 'nhsuk-hint', id: 'note-text-hint' },
          'Planned work, a known problem, who to contact. Up to 2,000 characters; everyone who reads Vantage sees it.',
        ),
        problem
          ? h(
              'span',
              { class: 'nhsuk-error-message', id: 'note-text-error' },
              h('span', { class: 'nhsuk-u-visually-hidden' }, 'Error: '),
              problem,
            )
          : '',
        textarea,
      ),
      h('button', { class: 'nhsuk-button', type: 'submit' }, 'Add note'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = textarea.value;
      void act(() => sendJson(me, 'POST', path, { text }), text);
    });
    return form;
  }

  await draw();
  return section;
}
