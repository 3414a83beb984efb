// The API's own response types: the dashboard reads what the routes are typed by.
export type * from '../../server/api/types.js';
