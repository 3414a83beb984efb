/** The estate as configured: organisations, sites, systems, checks and where each check runs from. */
export const sql = `
CREATE TABLE organisations (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  ods TEXT,
  retired_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sites (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  host_key INTEGER NOT NULL REFERENCES organisations (key),
  kind TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  retired_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sites_host ON sites (host_key);

CREATE TABLE systems (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  owner_key INTEGER NOT NULL REFERENCES organisations (key),
  kind TEXT,
  supplier TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  retired_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX systems_owner ON systems (owner_key);

CREATE TABLE checks (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT,
  system_key INTEGER NOT NULL REFERENCES systems (key),
  type TEXT NOT NULL,
  target TEXT NOT NULL,
  definition TEXT NOT NULL,
  retired_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX checks_system ON checks (system_key);

CREATE TABLE check_sites (
  check_key INTEGER NOT NULL REFERENCES checks (key),
  site_key INTEGER NOT NULL REFERENCES sites (key),
  PRIMARY KEY (check_key, site_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX check_sites_site ON check_sites (site_key);
`;
