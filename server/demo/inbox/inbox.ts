import type { Clock } from '../../../common/clock.js';

/** One message the demo's receivers took: an email from its SMTP sink, or a webhook's JSON. */
export type InboxMessage =
  | {
      id: number;
      kind: 'email';
      receivedAt: number;
      from: string;
      to: string[];
      subject: string;
      text: string | null;
      html: string | null;
    }
  | {
      id: number;
      kind: 'webhook';
      receivedAt: number;
      /** The channel, from the address it posted to. */
      channel: string;
      /** The message's title, when the body is a Vantage message. */
      title: string;
      idempotencyKey: string | null;
      json: unknown;
    };

type Incoming = InboxMessage extends infer M
  ? M extends InboxMessage
    ? Omit<M, 'id' | 'receivedAt'>
    : never
  : never;

/** How many messages the demo keeps: enough to look back over a session, bounded whatever is sent. */
export const INBOX_SIZE = 300;

/**
 * The demo's inbox, in memory: what its SMTP sink and webhook sink received, newest first. Only for
 * the demo, so what a channel would deliver can be seen without a mail server or a chat tool.
 */
export class DemoInbox {
  readonly #clock: Clock;
  readonly #size: number;
  #messages: InboxMessage[] = [];
  #next = 1;

  constructor(clock: Clock, size = INBOX_SIZE) {
    this.#clock = clock;
    this.#size = size;
  }

  add(message: Incoming): InboxMessage {
    const kept = { ...message, id: this.#next++, receivedAt: this.#clock.now() } as InboxMessage;
    this.#messages = [kept, ...this.#messages].slice(0, this.#size);
    return kept;
  }

  /** Newest first. */
  messages(): readonly InboxMessage[] {
    return this.#messages;
  }

  /** One message still kept, by its id. */
  message(id: number): InboxMessage | undefined {
    return this.#messages.find((m) => m.id === id);
  }
}
