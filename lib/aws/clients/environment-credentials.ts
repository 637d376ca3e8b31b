import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential provider of the deployed functions' bundles, in place of `@aws-sdk/credential-provider-node`
 * (serverless.yml, `custom.esbuild.alias`). Lambda gives a function its role's credentials in the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), so the rest of the SDK's default chain (SSO,
 * shared ini files, credential processes, web identity, the instance metadata service) would only weigh on the
 * bundle and on every cold start. `npm run replay` and `npm run redrive` run unbundled and keep the whole chain, for a
 * person's profile. Member accounts' credentials are given to their clients explicitly and do not come through here.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
