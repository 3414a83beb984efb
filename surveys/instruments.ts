/** Survey instruments a campaign can use to rate a system, by the id the estate file uses. */
export const instruments = {
  sus: { name: 'System Usability Scale (SUS)', items: 10, scale: [1, 5] },
  'umux-lite': { name: 'UMUX-Lite', items: 2, scale: [1, 7] },
} as const;

export type InstrumentId = keyof typeof instruments;
export const instrumentIds = Object.keys(instruments) as InstrumentId[];
