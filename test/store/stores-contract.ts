import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../server/store/stores.js';
import type { StoresFactory } from './estate-contract.js';

/** What every set of stores must do as a whole: say whether it takes writes, and close. */
export function storesContract(name: string, factory: StoresFactory): void {
  describe(`Stores contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('answers ping while open and refuses once closed', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
      store = await factory.reopen();
    });
  });
}
