import { comment } from '../../../surveys/instruments.js';
import { ApiFailure, getJson } from '../api.js';
import { h, plural } from '../dom.js';

/** What staff wrote in answer to the survey's one open question, by site (already redacted). */

interface CommentsResponse {
  campaign: string;
  title: string;
  minGroupSize: number;
  items: { key: string; n: number; comments: string[] }[];
  /** Sites whose comments are withheld because too few there responded. */
  withheld: number;
}

function siteComments(key: string, site: string, comments: string[]): HTMLElement {
  return h(
    'details',
    { class: 'nhsuk-details', 'data-testid': `comments-${key}` },
    h(
      'summary',
      { class: 'nhsuk-details__summary' },
      h(
        'span',
        { class: 'nhsuk-details__summary-text' },
        `${plural(comments.length, 'comment')} from ${site}`,
      ),
    ),
    h(
      'div',
      { class: 'nhsuk-details__text' },
      h('ul', { class: 'nhsuk-list nhsuk-list--bullet' }, ...comments.map((text) => h('li', {}, text))),
    ),
  );
}

/** The section headed by the comment question, holding what is given. */
const section = (...children: (HTMLElement | string)[]) =>
  h(
    'section',
    { 'aria-labelledby': 'survey-comments' },
    h('h2', { id: 'survey-comments' }, comment.text),
    ...children,
  );

/** The comments section; nothing when the server has no comments to give (404). */
export async function commentsSection(
  id: string,
  siteName: (id: string) => string,
  mark: string,
): Promise<HTMLElement | ''> {
  let answer: CommentsResponse;
  try {
    answer = await getJson<CommentsResponse>(`/api/v1/surveys/${encodeURIComponent(id)}/comments`);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return '';
    return section(
      h(
        'div',
        { class: 'nhsuk-inset-text', 'data-testid': 'comments-problem' },
        h(
          'p',
          {},
          `The comments cannot be shown: ${error instanceof Error ? error.message : 'the server gave no reason'}.`,
        ),
      ),
    );
  }
  const sites = answer.items
    .filter((site) => site.comments.length > 0)
    .map((site) => ({ key: site.key, name: siteName(site.key), comments: site.comments }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const withheld =
    answer.withheld === 0
      ? 'No site’s comments are withheld.'
      : `Comments from ${plural(answer.withheld, 'site')} are withheld.`;
  return section(
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'comments-rule' },
      `Comments are shown only for sites with at least ${answer.minGroupSize} responses. ${withheld} NHS numbers, email addresses and phone numbers were taken out when the comments were stored.${mark ? ' These include comments from generated demo responses.' : ''}`,
    ),
    sites.length === 0 ? h('p', { class: 'nhsuk-body' }, 'No comments to show.') : '',
    ...sites.map((site) => siteComments(site.key, site.name, site.comments)),
  );
}
