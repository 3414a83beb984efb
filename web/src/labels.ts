const organisationKinds: Record<string, string> = {
  acute: 'Acute trust',
  community: 'Community trust',
  'mental-health': 'Mental health trust',
  'community-mental-health': 'Community and mental health trust',
  'gp-practice': 'GP practice',
  'gp-federation': 'GP federation',
  'primary-care-network': 'Primary care network',
  'social-care': 'Social care',
  'local-authority': 'Local authority',
  commissioner: 'Commissioner',
  ambulance: 'Ambulance trust',
  hospice: 'Hospice',
  other: 'Other',
};

export function organisationKind(kind: string): string {
  return organisationKinds[kind] ?? kind;
}

export function schedule(s: { every: string } | { cron: string }): string {
  return 'every' in s ? `every ${s.every}` : `cron ${s.cron}`;
}
