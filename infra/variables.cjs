// Variables serverless.yml takes from infra/*.ts (`${file(./infra/variables.cjs):name}`); osls loads plain Node, so the
// TypeScript is loaded through tsx, a devDependency like osls itself.
const { require: tsRequire } = require('tsx/cjs/api');

const { NO_REGION, resolveRegion } = tsRequire('./region.ts', __filename);
const { slackSecretResource } = tsRequire('./parameters.ts', __filename);

/**
 * osls passes on a resolver's error unchanged (no stack trace around it) only when it is a ServerlessError whose
 * message starts with "Cannot resolve variable at"; it checks the class by name.
 */
class ServerlessError extends Error {}

module.exports = {
  /** `--region`, AWS_REGION, AWS_DEFAULT_REGION or the profile's; none fails the command with one line saying how to give one. */
  region: ({ options }) => {
    const resolved = resolveRegion({ option: options.region, profileOption: options['aws-profile'], env: process.env });
    if (resolved === null) throw new ServerlessError(`Cannot resolve variable at "provider.region": ${NO_REGION}`);
    return resolved.region;
  },
  slackSecretResource: async ({ resolveVariable }) => slackSecretResource(String(await resolveVariable('param:slackWebhookSecret'))),
};
