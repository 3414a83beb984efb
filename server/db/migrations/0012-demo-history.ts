/**
 * The demo's generated history: the span of time whose state timeline and rollups were simulated
 * rather than measured, so every answer over that span can say so. At most one row. `generated_at` is
 * null while the history is being written, newest month first, and `done_from` says how far back it
 * got, so a start that was stopped part way carries on (generation is deterministic from `seed`)
 * instead of writing twice.
 */
export const sql = `
CREATE TABLE demo_history (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  done_from INTEGER NOT NULL,
  generated_at INTEGER,
  CHECK (to_ms > from_ms)
) STRICT;
`;
