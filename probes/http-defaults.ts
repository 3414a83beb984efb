/** Redirects followed unless a check says otherwise. */
export const DEFAULT_MAX_REDIRECTS = 5;
/** Body bytes read unless a check says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
