/** SUS answers (sus1 … sus10) scoring exactly `score`, a multiple of 10 from 0 to 100. */
export function susFor(score: number): Record<string, number> {
  const points = score / 2.5; // 0–40, spread over ten items of 0–4
  const answers: Record<string, number> = {};
  for (let i = 1; i <= 10; i++) {
    const part = Math.min(4, Math.max(0, points - (i - 1) * 4));
    answers[`sus${i}`] = i % 2 === 1 ? 1 + part : 5 - part;
  }
  return answers;
}
