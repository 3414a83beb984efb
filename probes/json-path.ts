const STEP = /\.([\w-]+)|\[(\d+)\]/g;

export type Found = { found: true; value: unknown } | { found: false };

/** The value at a path such as `$.items[0].name` (the schema allows only keys and indexes). */
export function readJsonPath(root: unknown, path: string): Found {
  let current = root;
  for (const [, key, index] of path.slice(1).matchAll(STEP)) {
    if (key !== undefined) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, key)) return { found: false };
      current = (current as Record<string, unknown>)[key];
    } else {
      const position = Number(index);
      if (!Array.isArray(current) || position >= current.length) return { found: false };
      current = current[position];
    }
  }
  return { found: true, value: current };
}
