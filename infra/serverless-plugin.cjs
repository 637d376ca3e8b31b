// Checks the deploy parameters and the Region before serverless packages or deploys anything: a malformed value
// would otherwise package fine and fail silently in the account. The checks live in infra/*.ts (loaded through tsx).
const { require: tsRequire } = require('tsx/cjs/api');

const { checkParameters, PARAMETERS } = tsRequire('./parameters.ts', __filename);
const { NO_REGION, regionProblem, resolveRegion } = tsRequire('./region.ts', __filename);

class DeployParametersPlugin {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.hooks = { initialize: () => this.check() };
  }

  fail(message) {
    throw new this.serverless.classes.Error(message, 'ECS_NOTIFIER_INVALID_PARAMETER');
  }

  check() {
    const given = this.givenParameters();
    const unknown = Object.keys(given).filter((name) => !(name in PARAMETERS));
    if (unknown.length > 0) this.fail(`Unknown --param ${unknown.join(', ')}; the parameters are: ${Object.keys(PARAMETERS).join(', ')}`);
    const resolved = resolveRegion({ option: this.options.region, profileOption: this.options['aws-profile'], env: process.env });
    if (resolved === null) this.fail(NO_REGION);
    const problem = regionProblem(this.serverless.service.provider.region);
    if (problem !== null) this.fail(`${problem} (from ${resolved.source})`);
    const { errors, warnings } = checkParameters(this.serverless.service.custom.deployParameters ?? {});
    if (errors.length > 0) this.fail(errors.join('\n'));
    for (const warning of warnings) this.log.warning(warning);
    this.log.notice(`Region ${this.serverless.service.provider.region} (from ${resolved.source})`);
  }

  /** The `--param name=value` options as given on the command line. */
  givenParameters() {
    const raw = this.options.param ?? [];
    const list = Array.isArray(raw) ? raw : [raw];
    return Object.fromEntries(list.map((item) => {
      const at = String(item).indexOf('=');
      return at < 0 ? [String(item), ''] : [String(item).slice(0, at), String(item).slice(at + 1)];
    }));
  }
}

module.exports = DeployParametersPlugin;
