/**
 * Folded tables print open: every closed <details> is opened before printing, and only those are
 * folded again after, so what someone had opened stays open.
 */
export function openFoldsForPrint(target: Window): void {
  let opened: HTMLDetailsElement[] = [];
  target.addEventListener('beforeprint', () => {
    // Added to, not replaced: a second beforeprint before the afterprint must not forget the first's.
    const closed = [...target.document.querySelectorAll<HTMLDetailsElement>('details:not([open])')];
    for (const details of closed) details.open = true;
    opened.push(...closed);
  });
  target.addEventListener('afterprint', () => {
    for (const details of opened) details.open = false;
    opened = [];
  });
}
