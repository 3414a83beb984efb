import { z } from 'zod';
import { strictObject, valueText } from '../../common/fields.js';
import type { PathIssue } from './references.js';

/** `Name <address>` or a bare address: what a From header may say. */
const FROM = /^(?:[^<>\r\n]{1,200} <[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

/**
 * How alert email leaves: the SMTP server, who it is from, and how the connection is protected.
 * `starttls` upgrades a plain connection and refuses a server that does not offer it (NHSmail on 587);
 * `implicit` is TLS from the first byte (465); `none` is plain SMTP, for a trusted relay such as
 * NHSmail's anonymous relay on HSCN. Without `tls`, port 465 is `implicit` and any other `starttls`.
 */
export const smtpSchema = strictObject({
  host: z.string().trim().min(1, 'must not be empty').max(253, 'must be at most 253 characters'),
  port: z.number().int().min(1, 'must be from 1 to 65535').max(65_535, 'must be from 1 to 65535'),
  from: z.string().regex(FROM, {
    error: (issue) =>
      `'${valueText(issue.input)}' is not a sender: give an address, or a name and address such as Vantage <vantage@nhs.net>`,
  }),
  user: z.string().min(1, 'must not be empty').optional(),
  /** Give it as ${NAME}: it is read from the environment. */
  password: z.string().min(1, 'must not be empty').optional(),
  tls: z.enum(['starttls', 'implicit', 'none']).optional(),
  /** PEM file of the certificate authorities to trust, for a relay with a private certificate. */
  ca: z.string().min(1, 'must not be empty').optional(),
}).superRefine((smtp, ctx) => {
  if (smtp.user !== undefined && smtp.password === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['user'],
      message:
        'a user signs in with a password: add password (from the environment, as $' + '{SMTP_PASSWORD})',
    });
  if (smtp.password !== undefined && smtp.user === undefined)
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'a password needs the user it belongs to' });
  if (smtp.password !== undefined && smtp.tls === 'none')
    ctx.addIssue({
      code: 'custom',
      path: ['tls'],
      message:
        'a password is never sent over plain SMTP: use tls: starttls or implicit, or a relay without sign-in',
    });
});

export type SmtpSettings = z.infer<typeof smtpSchema>;
export type SmtpTls = NonNullable<SmtpSettings['tls']>;

/** The protection a connection uses when `tls` is not given. */
export function tlsOf(smtp: SmtpSettings): SmtpTls {
  return smtp.tls ?? (smtp.port === 465 ? 'implicit' : 'starttls');
}

/** Email channels need an SMTP server to send through: each one is named when settings.smtp is missing. */
export function emailChannelIssues(raw: unknown): PathIssue[] {
  const document = raw as { channels?: unknown; settings?: { smtp?: unknown } } | null;
  if (!Array.isArray(document?.channels) || document.settings?.smtp !== undefined) return [];
  return document.channels.flatMap((channel: unknown, index): PathIssue[] => {
    if ((channel as { type?: unknown } | null)?.type !== 'email') return [];
    return [
      {
        path: ['channels', index],
        message:
          'an email channel needs an SMTP server to send through: add settings.smtp with host, port and from',
      },
    ];
  });
}
