import { h } from './dom.js';
import type { AgentState } from './types.js';

const TAGS = {
  ok: ['nhsuk-tag--green', 'Up'],
  degraded: ['nhsuk-tag--yellow', 'Slow'],
  fail: ['nhsuk-tag--red', 'Down'],
  skipped: ['nhsuk-tag--grey', 'Skipped'],
  // No recent result: silence, never a failure.
  unknown: ['nhsuk-tag--grey', 'Unknown'],
} as const;

/** A run's state as an NHS tag, in words rather than colour alone. */
export function stateTag(state: keyof typeof TAGS): HTMLElement {
  const [modifier, text] = TAGS[state];
  return h('strong', { class: `nhsuk-tag ${modifier}` }, text);
}

const AGENT_TAGS: Record<AgentState, [string, string]> = {
  online: ['nhsuk-tag--green', 'Online'],
  silent: ['nhsuk-tag--orange', 'Silent'],
  'never-seen': ['nhsuk-tag--grey', 'Never seen'],
};

/** A site's agent's state as an NHS tag, in words. */
export function agentTag(state: AgentState): HTMLElement {
  const [modifier, text] = AGENT_TAGS[state];
  return h('strong', { class: `nhsuk-tag ${modifier}` }, text);
}
