const MAX_REASON = 500;

/**
 * A failure's reason as kept and shown: any address cut to its origin (a webhook's key is in its path
 * or query: Slack's, Teams', a generic one's), and short.
 */
export function safeReason(reason: string): string {
  // Punctuation after an address (its sentence's colon or full stop) is kept.
  const cut = reason.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@]*@)?([^\s/?#]+?)(?:[/?#]\S*?)?(?=[.,;:)]*(?:\s|$))/gi,
    '$1$2/…',
  );
  return cut.length > MAX_REASON ? `${cut.slice(0, MAX_REASON - 1)}…` : cut;
}
