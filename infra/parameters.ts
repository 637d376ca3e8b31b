/**
 * Every deploy parameter of serverless.yml (`--param name=value`), with its default and the form it must have.
 * `serverless package` and `deploy` check them all before anything is built (infra/serverless-plugin.cjs): a value
 * of the wrong form would otherwise package fine and fail silently in the account, as an IAM ARN that names nothing,
 * a filter policy that matches no message, or a rule on a bus that does not exist.
 */

export const SEVERITIES = ['critical', 'warning', 'info'] as const;

/** The retention periods CloudWatch Logs accepts (AWS::Logs::LogGroup RetentionInDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface ParameterSpec {
  default: string;
  /** The expected form, as the error message states it. */
  form: string;
  /** True when `value` (already trimmed, never empty unless the default is empty) has the expected form. */
  valid: (value: string) => boolean;
}

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
/** SSM parameter names: a full path, at most 2048 characters, not in the reserved aws/ssm namespaces. */
const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_.\-/]{1,2047}$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A complete Secrets Manager ARN ends with a hyphen and the six random characters AWS appends to the name. */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;
const EVENT_BUS_NAME = /^[A-Za-z0-9._\-/]{1,256}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * A prefix of log group names (letters, digits and `_-/.#`, what a group name may hold), at most 256 characters and no
 * `*` or `?`: it goes into an IAM resource ARN before a `*`, where a wildcard of its own would widen the grant.
 */
const LOG_GROUP_PREFIX = /^[A-Za-z0-9_\-/.#]{1,256}$/;
const TAG_KEY = /^[\p{L}\p{N} +\-=._:/@]{1,128}$/u;
/** A file path without line breaks or NUL, ending in an extension the routes reader takes. */
const ROUTES_FILE = /^[^\0\r\n]{1,1000}\.(ya?ml|json)$/i;

function tagKeyValid(value: string): boolean {
  return TAG_KEY.test(value) && !/^aws:/i.test(value);
}

function optional(valid: (value: string) => boolean): (value: string) => boolean {
  return (value) => value === '' || valid(value);
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

function severityList(value: string): boolean {
  const items = list(value);
  return items.length > 0 && items.every((item) => (SEVERITIES as readonly string[]).includes(item)) && new Set(items).size === items.length;
}

function numberWithin(low: number, high: number): (value: string) => boolean {
  return (value) => /^\d+(\.\d+)?$/.test(value) && Number(value) >= low && Number(value) <= high;
}

function ssmParameterName(value: string): boolean {
  return SSM_PARAMETER_NAME.test(value) && !/^\/(aws|ssm)/i.test(value) && !value.includes('//');
}

function secretNameOrArn(value: string): boolean {
  return value.startsWith('arn:') ? SECRET_ARN.test(value) : SECRET_NAME.test(value);
}

export const PARAMETERS = {
  alertEmail: { default: '', form: 'one e-mail address (name@example.com)', valid: optional((value) => EMAIL.test(value)) },
  emailSeverities: { default: 'critical', form: `a comma-separated list of ${SEVERITIES.join(', ')}`, valid: severityList },
  slackWebhookParameter: {
    default: '',
    form: 'the name of an SSM SecureString parameter, starting with "/" (/ecs-incident-notifier/slack-webhook); not a URL, not an ARN',
    valid: optional(ssmParameterName),
  },
  slackWebhookSecret: {
    default: '',
    form: 'a Secrets Manager secret name (ecs-incident-notifier/slack) or its complete ARN (ending in -xxxxxx); not a URL',
    valid: optional(secretNameOrArn),
  },
  slackWebhookKmsKeyArn: {
    default: '',
    form: 'the ARN of the customer managed KMS key that encrypts the webhook (arn:aws:kms:<region>:<account>:key/<id>); empty for the AWS managed key',
    valid: optional((value) => KMS_KEY_ARN.test(value)),
  },
  slackSeverities: { default: 'critical,warning', form: `a comma-separated list of ${SEVERITIES.join(', ')}`, valid: severityList },
  eventBusName: { default: 'default', form: 'the name of an event bus in this account and Region (not an ARN)', valid: (value) => EVENT_BUS_NAME.test(value) },
  alertWindowMinutes: { default: '5', form: 'a number of minutes from 1 to 1440', valid: numberWithin(1, 1440) },
  alertRepeatHours: { default: '4', form: 'a number of hours from 1 to 168', valid: numberWithin(1, 168) },
  logRetentionDays: { default: '30', form: `one of the retention periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')})`, valid: (value) => (LOG_RETENTION_DAYS as readonly number[]).map(String).includes(value) },
  organizationId: { default: '', form: 'an AWS Organizations id (o-xxxxxxxxxx)', valid: optional((value) => ORGANIZATION_ID.test(value)) },
  memberAccountIds: { default: '', form: 'a comma-separated list of 12-digit account ids', valid: optional((value) => list(value).every((item) => ACCOUNT_ID.test(item))) },
  memberLookupRoleName: { default: 'ecs-incident-notifier-lookup', form: 'an IAM role name (letters, digits and +=,.@_- , at most 64)', valid: (value) => ROLE_NAME.test(value) },
  memberLookupExternalId: { default: '', form: 'an external id of 2 to 1224 characters (letters, digits and +=,.@:/_-)', valid: optional((value) => EXTERNAL_ID.test(value)) },
  logGroupPrefix: {
    default: '/ecs/',
    form: 'the start of the CloudWatch Logs group names whose streams the alerts may quote (/ecs/), starting with "/" or a letter; letters, digits and _-/.#',
    valid: (value) => LOG_GROUP_PREFIX.test(value),
  },
  notifyDeployments: { default: 'failures', form: 'failures or all', valid: (value) => value === 'failures' || value === 'all' },
  runbookTagKey: { default: 'runbook', form: 'an ECS tag key (1 to 128 letters, digits, spaces and +-=._:/@, not aws:…)', valid: (value) => tagKeyValid(value) },
  ownerTagKey: { default: 'owner', form: 'an ECS tag key (1 to 128 letters, digits, spaces and +-=._:/@, not aws:…)', valid: (value) => tagKeyValid(value) },
  // Which alert goes to which destination (infra/routes.example.yml); its content is checked when it is packaged (infra/routes.ts).
  routes: {
    default: '',
    form: 'the path of a routes file (.yml, .yaml or .json) relative to serverless.yml (infra/routes.yml); empty for every alert to the Slack webhook',
    valid: optional((value) => ROUTES_FILE.test(value)),
  },
  // A topic of Amazon Q's own format for Amazon Q Developer in chat applications (Slack, Teams, Chime); lib/notify/amazon-q.ts.
  amazonQ: { default: 'false', form: 'true or false', valid: (value) => value === 'true' || value === 'false' },
} as const satisfies Record<string, ParameterSpec>;

export type ParameterName = keyof typeof PARAMETERS;
export type ParameterValues = Record<ParameterName, string>;

export interface ParameterCheck {
  /** One line per problem; any one fails the package. */
  errors: string[];
  /** One line per set-up that deploys but is probably not what was meant. */
  warnings: string[];
}

/** The parameters with their defaults filled in and surrounding blanks removed; unknown names are kept for the check. */
export function withDefaults(given: Record<string, unknown>): ParameterValues & Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(PARAMETERS)) values[name] = spec.default;
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && value !== null) values[name] = String(value).trim();
  }
  return values as ParameterValues & Record<string, string>;
}

/**
 * Checks every parameter's form and the combinations: at most one webhook store, a KMS key only with a webhook, the
 * lookup role and external id only with member accounts. Says, as a warning, when no one is subscribed.
 *
 * @example
 * checkParameters({ slackWebhookParameter: 'slack-webhook' }).errors;
 * // ['--param slackWebhookParameter="slack-webhook" is not the name of an SSM SecureString parameter, starting with "/" …']
 */
export function checkParameters(given: Record<string, unknown>): ParameterCheck {
  const values = withDefaults(given);
  const errors: string[] = [];
  for (const [name, spec] of Object.entries(PARAMETERS)) {
    const value = values[name] ?? '';
    if (!spec.valid(value)) errors.push(`--param ${name}=${JSON.stringify(value)} is not ${spec.form}`);
  }
  if (values.slackWebhookParameter !== '' && values.slackWebhookSecret !== '') {
    errors.push('--param slackWebhookParameter and --param slackWebhookSecret are both set: keep the webhook in one store and set only that one');
  }
  if (values.slackWebhookKmsKeyArn !== '' && !slackConfigured(values)) {
    errors.push('--param slackWebhookKmsKeyArn is set without a webhook: set slackWebhookParameter or slackWebhookSecret too');
  }
  if (values.memberLookupExternalId !== '' && !hasMembers(values)) {
    errors.push('--param memberLookupExternalId is set without member accounts: set organizationId or memberAccountIds too');
  }
  const warnings: string[] = [];
  if (values.alertEmail === '' && !slackConfigured(values) && values.routes === '' && values.amazonQ !== 'true') {
    warnings.push(
      'Nobody is subscribed to the alerts: none of --param alertEmail, a Slack webhook, routes or amazonQ is set. Alerts still reach the topic ' +
        '(stack output AlertTopicArn); subscribe later with `aws sns subscribe --topic-arn <AlertTopicArn> --protocol email ' +
        '--notification-endpoint you@example.com`, or deploy again with --param alertEmail=…',
    );
  }
  return { errors, warnings };
}

export function slackConfigured(values: ParameterValues): boolean {
  return values.slackWebhookParameter !== '' || values.slackWebhookSecret !== '';
}

export function hasMembers(values: ParameterValues): boolean {
  return values.organizationId !== '' || values.memberAccountIds !== '';
}

/**
 * What the Slack function's role may read for `secretNameOrArn`: the secret's complete ARN as given, or for a name
 * the ARN Secrets Manager gives it, whose last part is the name, a hyphen and six random characters (`-??????`
 * matches exactly those six, nothing wider). The empty string when no secret is set.
 *
 * @example
 * slackSecretResource('ecs/slack'); // 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ecs/slack-??????'
 */
export function slackSecretResource(secretNameOrArn: string): string {
  const value = secretNameOrArn.trim();
  if (value === '') return '';
  if (value.startsWith('arn:')) return value;
  return `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${value}-??????`;
}
