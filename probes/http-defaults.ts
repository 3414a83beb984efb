/** Redirects followed unless a check says otherwise. */
export const DEFAULT_MAX_REDIRECTS = 5;
/** Body bytes read unless a check says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The most body bytes a check may ask to read. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
