import type { AlertMessage } from '../message.js';
import { factsOf, headline, londonTime } from './render.js';

/** Every list in full: an email has no size limit worth cutting a list for, short of thousands. */
const MAX_ITEMS = 50;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The plain-text body, read by clients that show no HTML and by people who prefer it. */
export function emailText(message: AlertMessage): string {
  const { alert } = message;
  const facts = factsOf(message, MAX_ITEMS).map((fact) => `${fact.title}: ${fact.value}`);
  const lines = [headline(message), '', alert.summary, '', ...facts, '', `Incident: ${alert.url}`];
  if (alert.ackUrl !== undefined) lines.push(`Acknowledge: ${alert.ackUrl}`);
  lines.push('', `Sent by Vantage at ${londonTime(message.at)}.`);
  return `${lines.join('\n')}\n`;
}

/** The HTML body: the same words, as a table mail clients render without styles of their own. */
export function emailHtml(message: AlertMessage): string {
  const { alert } = message;
  const rows = factsOf(message, MAX_ITEMS)
    .map(
      (fact) =>
        `<tr><th align="left" valign="top" style="padding:2px 12px 2px 0">${escapeHtml(fact.title)}</th>` +
        `<td style="padding:2px 0">${escapeHtml(fact.value)}</td></tr>`,
    )
    .join('\n');
  const links = [`<a href="${escapeHtml(alert.url)}">Open the incident</a>`];
  if (alert.ackUrl !== undefined) links.push(`<a href="${escapeHtml(alert.ackUrl)}">Acknowledge</a>`);
  return [
    '<!doctype html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    `<title>${escapeHtml(headline(message))}</title></head>`,
    '<body style="font-family:Arial,sans-serif;font-size:15px;color:#212b32">',
    `<h1 style="font-size:20px">${escapeHtml(headline(message))}</h1>`,
    `<p>${escapeHtml(alert.summary)}</p>`,
    `<table role="presentation" cellspacing="0" cellpadding="0">\n${rows}\n</table>`,
    `<p>${links.join(' · ')}</p>`,
    `<p style="color:#4c6272;font-size:13px">Sent by Vantage at ${escapeHtml(londonTime(message.at))}.</p>`,
    '</body></html>',
  ].join('\n');
}
