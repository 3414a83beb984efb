import type { RequestListener } from 'node:http';
import request from 'supertest';

/**
 * Posts a server-rendered form as a browser would: its page is asked for first, and whatever the page
 * gave to prove the post comes from it (a hidden `_csrf` field, a cookie) goes back with the fields.
 */
export async function postForm(
  app: RequestListener,
  page: string,
  action: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
  /** The credentials the page is asked with, when not the post's own. */
  shownWith: Record<string, string> = headers,
): Promise<request.Response> {
  const shown = await request(app).get(page).set(shownWith);
  const csrf = /name="_csrf" value="([^"]*)"/.exec(shown.text)?.[1];
  const given = (shown.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookies = [headers.Cookie, ...given.map((cookie) => cookie.split(';')[0])].filter(Boolean);
  return request(app)
    .post(action)
    .set({ ...headers, ...(cookies.length > 0 ? { Cookie: cookies.join('; ') } : {}) })
    .type('form')
    .send({ ...fields, ...(csrf ? { _csrf: csrf } : {}) });
}
