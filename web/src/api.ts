/** A failed API call, with the message the server gave. */
export class ApiFailure extends Error {
  /** The HTTP status the server answered with; undefined when it could not be reached. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export async function getJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiFailure(
      'Vantage cannot be reached. Check that the server is running, then reload the page.',
    );
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok)
    throw new ApiFailure(body?.error?.message ?? `the server answered ${response.status}`, response.status);
  return body as T;
}
