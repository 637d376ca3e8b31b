import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { describeStoreContract } from '../../support/store-contract.ts';

describeStoreContract('MemoryStore', async () => ({ store: new MemoryStore(), close: async () => undefined }));
