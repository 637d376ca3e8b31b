// Variables serverless.yml takes from infra/*.ts (`${file(./infra/variables.cjs):name}`); osls loads plain Node, so the
// TypeScript is loaded through tsx, a devDependency like osls itself.
const { require: tsRequire } = require('tsx/cjs/api');

const { NO_REGION, resolveRegion } = tsRequire('./region.ts', __filename);
const { slackSecretResource } = tsRequire('./parameters.ts', __filename);
const { emailRouteResources, routeSecretStatements, routesEnvironment } = tsRequire('./routes.ts', __filename);
const path = require('node:path');

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
  /** ALERT_ROUTES: the routes file of `--param routes` compiled to compact JSON; '' without one. Prints the file's warnings. */
  routes: async ({ resolveVariable }) => {
    const { value, warnings } = withRoutesFile(await routesInputs(resolveVariable), routesEnvironment);
    for (const warning of warnings) warn(warning);
    return value;
  },
  /** The SNS email subscriptions (with their filter policies) of the routes file's email destinations; {} without any. */
  emailRouteResources: async ({ resolveVariable }) => {
    const inputs = await routesInputs(resolveVariable);
    const resources = withRoutesFile(inputs, emailRouteResources, { listed: true });
    // Two subscription resources of one address would manage the same SNS subscription: the stack could not settle.
    const alertEmail = String((await resolveVariable('param:alertEmail')) ?? '').trim().toLowerCase();
    if (alertEmail !== '' && Object.values(resources).some((resource) => String(resource.Properties.Endpoint).toLowerCase() === alertEmail)) {
      throw new ServerlessError(`Cannot resolve variable at "--param routes=${inputs.file}": ${alertEmail} is both --param alertEmail and an email destination of the routes file; keep one`);
    }
    return resources;
  },
  /** IAM statements reading exactly the parameters and secrets the routes file's destinations name; [] without a file. */
  routeSecretStatements: async ({ resolveVariable }) => withRoutesFile(await routesInputs(resolveVariable), routeSecretStatements, { listed: true }),
  /** 'true' when the routes file names parameters or secrets (the condition of the role policy that reads them), else 'false'. */
  routeSecretsNeeded: async ({ resolveVariable }) =>
    String(withRoutesFile(await routesInputs(resolveVariable), routeSecretStatements, { listed: true }).length > 0),
};

async function routesInputs(resolveVariable) {
  const file = await resolveVariable('param:routes');
  return { file: file === null || file === undefined ? '' : String(file), serviceDir: path.resolve(path.dirname(__filename), '..') };
}

/**
 * Runs `read` on the routes file; a file that cannot be used fails the command with its lines and reasons, nothing
 * else. osls lists the error of every variable that failed, so only ALERT_ROUTES lists the problems (the problems the
 * email subscriptions alone find excepted); the other variables say where to look (`listed`).
 */
function withRoutesFile(inputs, read, { listed = false } = {}) {
  const where = `Cannot resolve variable at "--param routes=${inputs.file}"`;
  try {
    if (listed) routesEnvironment(inputs);
  } catch (error) {
    if (error instanceof Error && error.name === 'RoutesFileError') throw new ServerlessError(`${where}: the routes file cannot be used (its problems are listed with ALERT_ROUTES)`);
    throw error;
  }
  try {
    return read(inputs);
  } catch (error) {
    // The class comes from a module tsx loaded, so it is recognised by name.
    if (error instanceof Error && error.name === 'RoutesFileError') throw new ServerlessError(`${where}: the routes file cannot be used:\n${error.message}`);
    throw error;
  }
}

/** serverless's own warning output when it is there (the command's log), else stderr. */
function warn(line) {
  try {
    require('osls/lib/utils/serverless-utils/log').log.warning(line);
  } catch {
    process.stderr.write(`Warning: ${line}\n`);
  }
}
