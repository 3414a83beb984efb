import { getJson } from './api.js';
import { h } from './dom.js';
import { londonTime } from './format.js';
import type { MeResponse, NotificationsResponse, NotificationView } from './types.js';

/**
 * A channel's "Send a test message" button: a plain form posted to the API with the session's CSRF
 * value, so it works without this page's scripts; the server sends the browser back here, with the
 * test's notification in `?test=`, and `testFeedback` says how its delivery went.
 */
export function testButton(me: MeResponse, channel: { id: string; name: string | null }): HTMLElement {
  return h(
    'form',
    {
      method: 'post',
      action: `/api/v1/channels/${encodeURIComponent(channel.id)}/test`,
      class: 'vantage-inline-form',
    },
    h('input', { type: 'hidden', name: '_csrf', value: me.csrf ?? '' }),
    h(
      'button',
      {
        class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small',
        type: 'submit',
        'aria-label': `Send a test message to ${channel.name ?? channel.id}`,
      },
      'Send a test message',
    ),
  );
}

/** How long the page keeps asking while the test message is still waiting. */
const WATCH_MS = 60_000;
const EVERY_MS = 1_000;

/** Says where the test message `id` stands, and keeps saying it until it is delivered or given up. */
export function testFeedback(id: string): HTMLElement {
  const box = h('div', { class: 'nhsuk-inset-text', role: 'status', 'data-testid': 'test-feedback' });
  const started = Date.now();
  const show = async (): Promise<void> => {
    const item = await find(id).catch(() => undefined);
    box.replaceChildren(h('p', {}, words(id, item)));
    if ((!item || item.state === 'pending') && Date.now() - started < WATCH_MS)
      setTimeout(() => void show(), EVERY_MS);
  };
  box.append(h('p', {}, `Test message ${id}: queued.`));
  void show();
  return box;
}

async function find(id: string): Promise<NotificationView | undefined> {
  // Every state, newest first: a test just pressed is on the first page.
  const answer = await getJson<NotificationsResponse>('/api/v1/notifications?limit=100');
  return answer.items.find((item) => item.id === id);
}

function words(id: string, item: NotificationView | undefined): string {
  if (!item) return `Test message ${id}: queued; it is not shown yet.`;
  if (item.state === 'sent')
    return `Test message to ${item.channel}: delivered ${item.sentAt ? londonTime(item.sentAt) : ''}.`;
  if (item.state === 'undelivered')
    return `Test message to ${item.channel}: not delivered. ${item.lastError ?? ''}`;
  return item.lastError
    ? `Test message to ${item.channel}: waiting to be tried again. Last problem: ${item.lastError}`
    : `Test message to ${item.channel}: being delivered…`;
}
