/**
 * Asks again and again until the answer is accepted or the time is up, then returns the last answer,
 * so the test's own assertion says what was wrong.
 */
export async function until<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
