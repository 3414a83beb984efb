import request from 'supertest';

type App = Parameters<typeof request>[0];

/** What a browser holds after being shown a form: its cookie header and the form's `_csrf` value. */
export interface FormPass {
  cookie: string;
  csrf: string;
}

/** The `_csrf` value in a page's first form. */
export function csrfOf(page: string): string {
  const value = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!value) throw new Error(`the page has no _csrf field:\n${page.slice(0, 500)}`);
  return value;
}

/** Gets a page with a form, as a browser would before posting it: the cookie it is given and the field. */
export async function formPass(app: App, path = '/sign-in'): Promise<FormPass> {
  const page = await request(app).get(path);
  const set = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  const cookie = set.find((c) => /^(__Host-)?vantage_form=/.test(c))?.split(';')[0];
  if (!cookie) throw new Error(`GET ${path} set no form cookie (status ${page.status})`);
  return { cookie, csrf: csrfOf(page.text) };
}

/** The `vantage_session` cookie a sign-in set, as a request header value. */
export function sessionCookieOf(res: { headers: Record<string, unknown> }): string {
  const set = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const cookie = set.find((c) => /^(__Host-)?vantage_session=[^;]/.test(c))?.split(';')[0];
  if (!cookie) throw new Error(`no session cookie was set: ${JSON.stringify(set)}`);
  return cookie;
}
