import { ApiFailure, getJson, sendJson } from '../api.js';
import { testButton, testFeedback } from '../channel-test.js';
import { h } from '../dom.js';
import { count, londonTime } from '../format.js';
import { responsiveTable } from '../table.js';
import type {
  ChannelDeliveryView,
  ChannelsResponse,
  ChannelView,
  MeResponse,
  NotificationsResponse,
  NotificationView,
} from '../types.js';
import { notForYou } from './not-for-you.js';

const TITLE = 'Notifications';
const STATES = [
  { state: 'undelivered', text: 'Undelivered' },
  { state: 'pending', text: 'Waiting to be delivered' },
  { state: 'sent', text: 'Delivered' },
] as const;
type State = (typeof STATES)[number]['state'];

const EVENT_WORDS: Record<string, string> = {
  opened: 'Opened',
  reminder: 'Reminder',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  'handed-over': 'Handed over',
  test: 'Test message',
};

/**
 * Where alert messages stand, for admins (every channel) and partners (their organisations'): each
 * channel's last delivery and what waits, and the messages by state; admins put an undelivered one back.
 * Each channel has its "Send a test message" button here: this is where a partner's IT team sees
 * whether their channels deliver, so it is where they check one does.
 */
export async function notificationsPage(
  main: HTMLElement,
  _id: string,
  me: MeResponse | undefined,
): Promise<string> {
  if (!me?.can.admin && me?.role !== 'partner')
    return notForYou(
      main,
      TITLE,
      "notifications are shown to admins, and to partners for their organisations' channels",
    );
  const params = new URLSearchParams(location.search);
  const asked = params.get('state');
  const tested = params.get('test');
  // Made once: it keeps watching the test message while the page is drawn again.
  const feedback = tested && /^[0-9]{1,16}$/.test(tested) ? testFeedback(tested) : undefined;
  const state: State = STATES.some((s) => s.state === asked) ? (asked as State) : 'undelivered';
  const retry = me.can.admin
    ? async (item: NotificationView) => {
        try {
          await sendJson(me, 'POST', `/api/v1/notifications/${encodeURIComponent(item.id)}/retry`);
          await draw(
            `${EVENT_WORDS[item.event] ?? item.event}: ${item.alert.title} is back in the queue of ${item.channel}.`,
          );
        } catch (error) {
          if (error instanceof ApiFailure && error.status === 401) return;
          await draw(
            undefined,
            error instanceof Error ? error.message : 'The message could not be put back.',
          );
          main.querySelector<HTMLElement>('.nhsuk-error-summary')?.focus();
        }
      }
    : undefined;

  const draw = async (done?: string, problem?: string) => {
    const [answer, known] = await Promise.all([
      getJson<NotificationsResponse>(`/api/v1/notifications?state=${state}&limit=100`),
      getJson<ChannelsResponse>('/api/v1/channels'),
    ]);
    main.replaceChildren(
      h('h1', {}, TITLE),
      h(
        'p',
        { class: 'nhsuk-lede-text' },
        'Every alert message is stored before it is sent and retried until its channel accepts it. A message a channel refuses, or that still fails after a day, is undelivered.',
      ),
      problem
        ? h(
            'div',
            { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1 },
            h('h2', { class: 'nhsuk-error-summary__title' }, 'The message could not be put back'),
            h('div', { class: 'nhsuk-error-summary__body' }, h('p', {}, problem)),
          )
        : '',
      done ? h('p', { class: 'nhsuk-body', role: 'status', 'data-testid': 'notification-done' }, done) : '',
      h('h2', { id: 'channels' }, 'Channels'),
      known.demoInbox
        ? h(
            'p',
            { class: 'nhsuk-body', 'data-testid': 'demo-inbox-link' },
            'In the demo, the channels deliver inside Vantage: read what they received in the ',
            h('a', { href: known.demoInbox }, 'demo inbox'),
            '.',
          )
        : '',
      feedback ?? '',
      channelsTable(answer.channels, known.items, me),
      h('h2', { id: 'messages' }, 'Messages'),
      h(
        'p',
        { class: 'nhsuk-body' },
        STATES.flatMap((s, i) => [
          i > 0 ? ' · ' : '',
          s.state === state
            ? h('strong', { 'aria-current': 'page' }, s.text)
            : h('a', { href: `/notifications?state=${s.state}` }, s.text),
        ]),
      ),
      messagesTable(answer.items, state, retry),
      answer.next ? h('p', { class: 'nhsuk-body' }, 'The newest 100 are shown.') : '',
    );
  };
  await draw();
  return TITLE;
}

function channelsTable(channels: ChannelDeliveryView[], known: ChannelView[], me: MeResponse): HTMLElement {
  const inEstate = new Map(known.map((channel) => [channel.id, channel]));
  if (channels.length === 0)
    return h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'channels' },
      'No channels: the estate file lists none for you.',
    );
  const last = (channel: ChannelDeliveryView) => {
    const delivery = channel.lastDelivery;
    if (!delivery) return 'Nothing sent yet';
    return h(
      'span',
      {},
      h('strong', {}, delivery.ok ? 'Delivered' : 'Failed'),
      ` ${londonTime(delivery.at)}`,
      delivery.reason ? h('span', { class: 'vantage-note' }, delivery.reason) : '',
    );
  };
  const table = responsiveTable(
    'Each channel’s last delivery',
    ['Channel', 'Organisation', 'Last delivery (London time)', 'Waiting', 'Undelivered', 'Sends to', 'Test'],
    channels.map((channel) => {
      const configured = inEstate.get(channel.id);
      return [
        h('span', { id: `channel-${channel.id}` }, channel.id),
        channel.organisation ?? 'no longer in the estate',
        last(channel),
        count(channel.pending),
        count(channel.undelivered),
        configured ? `${configured.type}: ${configured.destination}` : '—',
        configured && me.csrf ? testButton(me, configured) : '',
      ];
    }),
  );
  table.setAttribute('data-testid', 'channels');
  return table;
}

function messagesTable(
  items: NotificationView[],
  state: State,
  retry: ((item: NotificationView) => Promise<void>) | undefined,
): HTMLElement {
  if (items.length === 0) return h('p', { class: 'nhsuk-body', 'data-testid': 'messages' }, 'None.');
  const action = (item: NotificationView) => {
    if (!retry || item.state !== 'undelivered') return '';
    // The visible words begin the accessible name, which names the message.
    const button = h(
      'button',
      {
        class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small',
        type: 'button',
        'aria-label': `Try again: ${item.alert.title} to ${item.channel}`,
      },
      'Try again',
    );
    button.addEventListener('click', () => void retry(item));
    return button;
  };
  const when = (item: NotificationView) =>
    item.sentAt
      ? `delivered ${londonTime(item.sentAt)}`
      : item.nextAttemptAt
        ? `next try ${londonTime(item.nextAttemptAt)}`
        : '';
  const table = responsiveTable(
    `Messages: ${STATES.find((s) => s.state === state)?.text ?? state}, newest first`,
    [
      'Made (London time)',
      'Channel',
      'Message',
      'Tries',
      'Last problem',
      ...(retry && state === 'undelivered' ? ['Action'] : []),
    ],
    items.map((item) => [
      londonTime(item.createdAt),
      item.channel,
      h(
        'span',
        {},
        h('strong', {}, EVENT_WORDS[item.event] ?? item.event),
        ` ${item.alert.title}`,
        when(item) ? h('span', { class: 'vantage-note' }, when(item)) : '',
      ),
      count(item.attempts),
      item.lastError ?? '—',
      ...(retry && state === 'undelivered' ? [action(item)] : []),
    ]),
  );
  table.setAttribute('data-testid', 'messages');
  return table;
}
