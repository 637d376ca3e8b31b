import { describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../../lib/aws/clients/environment-credentials.ts';

// The deployed bundles' credential provider (serverless.yml custom.esbuild.alias): the role's credentials Lambda puts
// in the environment, and a clear error where there are none.
describe('the bundles’ credential provider', () => {
  it('reads the credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEEXAMPLE01');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-example');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session-example');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-example', sessionToken: 'session-example' });
  });

  it('fails naming the environment when it holds none, rather than trying other sources', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment/i);
  });
});
