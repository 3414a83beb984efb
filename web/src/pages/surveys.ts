import { getJson } from '../api.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';

import type { CampaignListed as Campaign } from './survey-year.js';

const STATE_WORDS = { upcoming: 'Not open yet', open: 'Open', closed: 'Closed' } as const;

/** The estate's survey campaigns: dates, state, responses so far, and where to see results. */
export async function surveysPage(main: HTMLElement): Promise<string> {
  const { items } = await getJson<{ items: Campaign[] }>('/api/v1/surveys');
  main.replaceChildren(
    h('h1', {}, 'Usability surveys'),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Each year staff rate the systems they use and the IT at their site, anonymously. Results appear once a campaign is published.',
    ),
    items.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No survey campaigns yet: add one under surveys: in the estate file.')
      : responsiveTable(
          'Survey campaigns',
          ['Campaign', 'Dates', 'State', 'Responses', 'Take part', 'Results'],
          items.map((campaign) => [
            campaign.title,
            `${campaign.opens} to ${campaign.closes}`,
            STATE_WORDS[campaign.state],
            count(campaign.responses),
            // The form itself is open to anyone (it is a server page, /survey/ID), while the campaign takes answers.
            campaign.state === 'open'
              ? h(
                  'a',
                  {
                    href: `/survey/${encodeURIComponent(campaign.id)}`,
                    'data-testid': `answer-${campaign.id}`,
                  },
                  `Answer ${campaign.title}`,
                )
              : campaign.state === 'upcoming'
                ? `Opens ${campaign.opens}`
                : 'Closed to answers',
            campaign.resultsPublished
              ? h(
                  'a',
                  { href: `/surveys/${encodeURIComponent(campaign.id)}` },
                  `Results of ${campaign.title}`,
                )
              : 'Published when it closes',
          ]),
        ),
  );
  return 'Usability surveys';
}
