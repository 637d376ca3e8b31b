import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchesPattern } from '../support/event-pattern.ts';
import { evaluate } from '../../lib/pipeline/evaluate.ts';
import { EVENTS_DIR, fixturePaths, loadFixture } from '../support/fixtures.ts';
import { MEMBER_TEMPLATE_FILE } from '../../infra/member-account.ts';
import { sdkCommandsIn, type SdkCommand } from '../support/bundle-commands.ts';
import { resourcePolicyOf, simulateAssumeRole, simulateRoleRequest, simulateServiceRequest, simulationTally, type ContextValues } from '../support/iam-simulation.ts';
import { resolveTemplate, type Json, type ResolvedResource, type ResolvedTemplate } from '../support/intrinsics.ts';
import { SPEC_PACKAGE, validateTemplate } from '../support/resource-spec.ts';
import { packageService, resourcesOf, runServerless, type Packaged, type Resource, type Template } from '../support/template.ts';

// `serverless package`, offline as in CI, and what the template it writes proves: which rule each recorded event
// reaches, that nothing can be lost (dead letters, retries, alarms), that parameters and the Region are checked, and
// that every role holds only what it calls (simulated with a maintained IAM policy simulator).

const FUNCTIONS = ['TaskEvents', 'ServiceEvents', 'ContainerInstanceEvents', 'CapacityEvents', 'FlushAlerts', 'Deliver'];
const EVENT_FUNCTIONS = ['TaskEvents', 'ServiceEvents', 'ContainerInstanceEvents', 'CapacityEvents'];

/** The function each detail-type belongs to, when its handler needs the event at all. */
const HANDLER_OF: Record<string, string> = {
  'ECS Task State Change': 'TaskEvents',
  'ECS Service Action': 'ServiceEvents',
  'ECS Deployment State Change': 'ServiceEvents',
  'ECS Hook State Change': 'ServiceEvents',
  'ECS Daemon Service Action': 'ServiceEvents',
  'ECS Daemon Deployment State Change': 'ServiceEvents',
  'ECS Container Instance State Change': 'ContainerInstanceEvents',
  'ECS Container Instance Health Change': 'ContainerInstanceEvents',
  'EC2 Spot Instance Interruption Warning': 'CapacityEvents',
  'AWS Health Event': 'CapacityEvents',
};

const SLACK_KEY = 'arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The user's own key for the webhook, with the default key policy: the account's IAM policies decide its use. */
const SLACK_KEY_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] };

/** A full set-up: email, Slack by secret with its own key, routes, Amazon Q, an organisation and listed accounts, a custom bus. */
const FULL_PARAMS = {
  alertEmail: 'oncall@example.com',
  emailSeverities: 'critical,warning',
  slackWebhookSecret: 'ecs/slack',
  slackWebhookKmsKeyArn: SLACK_KEY,
  slackSeverities: 'critical',
  eventBusName: 'ecs-central',
  organizationId: 'o-abcdefghij',
  memberAccountIds: '222222222222,333333333333',
  memberLookupExternalId: 'notifier-7f3a',
  // Routes to Slack (webhook and bot), Teams, PagerDuty and email, and the Amazon Q topic.
  routes: 'infra/routes.example.yml',
  amazonQ: 'true',
};

/** The parameters and secrets infra/routes.example.yml names, as the delivery function reads them. */
const ROUTE_PARAMETERS = ['/ecs-notifier/pagerduty/payments', '/ecs-notifier/slack/payments'];
const ROUTE_SECRETS = ['ecs-notifier/slack-bot-AbC123', 'ecs-notifier/teams-platform-AbC123'];

let packaged: Packaged;
let full: Packaged;
let bySsm: Packaged;
let withParams: Template;

beforeAll(async () => {
  // One after the other: serverless-esbuild builds in the service folder, and two builds at once collide there.
  // Each names its Region another way: --region (default and full), AWS_REGION alone (bySsm).
  packaged = await packageService();
  full = await packageService(FULL_PARAMS, { region: 'eu-central-1' });
  withParams = full.template;
  bySsm = await packageService({ slackWebhookParameter: '/ecs/slack' }, { region: null, env: { AWS_REGION: 'ap-southeast-2' } });
}, 300_000);

function template(): Template {
  return packaged.template;
}

function resource(id: string): Resource {
  const found = template().Resources[id];
  if (found === undefined) throw new Error(`no resource ${id} in the template`);
  return found;
}

function rules(from: Template = template()): [string, Resource][] {
  return resourcesOf(from, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties.EventPattern !== undefined);
}

function ref(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if ('Ref' in value && typeof value.Ref === 'string') return value.Ref;
  if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) return String(value['Fn::GetAtt'][0]);
  return null;
}

function targetsOf(rule: Resource): Record<string, unknown>[] {
  return rule.Properties.Targets as Record<string, unknown>[];
}

/** Every recorded event: single fixtures and the lines of the scenarios, with where each comes from. */
function recordedEvents(): { name: string; event: Record<string, unknown> }[] {
  const single = fixturePaths().map((path) => ({ name: path, event: loadFixture(path) }));
  const folder = join(EVENTS_DIR, 'scenarios');
  const sequences = readdirSync(folder)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) =>
      readFileSync(join(folder, file), 'utf8')
        .trim()
        .split('\n')
        .map((line, index) => ({ name: `scenarios/${file}:${index + 1}`, event: JSON.parse(line) as Record<string, unknown> })),
    );
  return [...single, ...sequences];
}

/** The functions whose rules match an event, by the EventBridge semantics of test/support/event-pattern.ts */
function routed(event: Record<string, unknown>, from: Template = template()): string[] {
  return rules(from)
    .filter(([, rule]) => matchesPattern(rule.Properties.EventPattern, event))
    .flatMap(([, rule]) => targetsOf(rule).map((target) => (ref(target.Arn) ?? '').replace(/LambdaFunction$/, '')));
}

describe('serverless package', () => {
  it('writes a zip for every function, within what Lambda accepts', () => {
    for (const name of FUNCTIONS) {
      const zip = join(packaged.dir, `${name[0]!.toLowerCase()}${name.slice(1)}.zip`);
      expect(statSync(zip).size, zip).toBeLessThan(50 * 1024 * 1024);
    }
  });
});

describe('rules', () => {
  it('send every recorded event that alerts to exactly the function of its kind', () => {
    const alerting = recordedEvents().filter(({ event }) => evaluate(event, 'routing').verdict.alert);
    expect(alerting.length).toBeGreaterThan(50);
    for (const { name, event } of alerting) {
      const detailType = String(event['detail-type']);
      expect({ name, functions: routed(event) }).toEqual({ name, functions: [HANDLER_OF[detailType]] });
    }
  });

  it('send the events that resolve or track alerts (steady state, deployments, health OK)', () => {
    const needed = recordedEvents().filter(({ event }) =>
      [
        'service_steady_state',
        'deployment_in_progress',
        'deployment_completed',
        'container_instance_health_ok',
        // A hook that runs or passes ends its pause's alert; daemon rollouts are tracked like service deployments.
        'deployment_hook_in_progress',
        'deployment_hook_succeeded',
        'daemon_deployment_in_progress',
        'daemon_deployment_successful',
        'daemon_deployment_stopped',
      ].includes(evaluate(event, 'routing').verdict.category),
    );
    expect(needed.length).toBeGreaterThan(5);
    for (const { name, event } of needed) expect({ name, functions: routed(event) }).toEqual({ name, functions: [HANDLER_OF[String(event['detail-type'])]] });
  });

  it('send no lifecycle noise that no handler needs: running and pending tasks, rebalance advice, instance state changes', () => {
    const noise = recordedEvents().filter(({ event }) => {
      const verdict = evaluate(event, 'routing').verdict;
      const quietTask = verdict.category === 'task_lifecycle' && !verdict.spot;
      return quietTask || ['ec2_spot_rebalance_recommendation', 'ec2_instance_state_change', 'unsupported'].includes(verdict.category);
    });
    expect(noise.length).toBeGreaterThan(5);
    for (const { name, event } of noise) expect({ name, functions: routed(event) }).toEqual({ name, functions: [] });
  });

  it('catch the Fargate Spot warning, which arrives while the task is still RUNNING', () => {
    expect(routed(loadFixture('task/spot-warning-running.json'))).toEqual(['TaskEvents']);
    expect(routed(loadFixture('task/running-sidecar-crashed.json'))).toEqual(['TaskEvents']);
  });

  it('sit on the default bus, or on the bus --param eventBusName names', () => {
    expect(rules().map(([, rule]) => rule.Properties.EventBusName)).toEqual(EVENT_FUNCTIONS.map(() => 'default'));
    expect(rules(withParams).map(([, rule]) => rule.Properties.EventBusName)).toEqual(EVENT_FUNCTIONS.map(() => 'ecs-central'));
    const oom = loadFixture('task/stopped-oom.json');
    expect(routed(oom, withParams)).toEqual(['TaskEvents']);
  });
});

describe('nothing lost', () => {
  it('gives every rule target a retry policy and a dead-letter queue EventBridge may write to', () => {
    for (const [id, rule] of rules()) {
      for (const target of targetsOf(rule)) {
        expect(target.RetryPolicy, id).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
        expect(ref((target.DeadLetterConfig as { Arn: unknown }).Arn), id).toBe('RuleDeadLetterQueue');
      }
      expect(resourcesOf(template(), 'AWS::Lambda::Permission').some(([, permission]) => ref(permission.Properties.SourceArn) === id), id).toBe(true);
    }
    const policy = resource('RuleDeadLetterQueuePolicy').Properties.PolicyDocument as { Statement: { Principal: unknown; Action: string }[] };
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' });
  });

  it('gives every function an on-failure destination for its asynchronous invocations', () => {
    const configs = resourcesOf(template(), 'AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);
    for (const name of FUNCTIONS) {
      const config = configs.find((candidate) => ref(candidate.FunctionName) === `${name}LambdaFunction`);
      expect(config, name).toMatchObject({ Qualifier: '$LATEST', MaximumRetryAttempts: 2 });
      expect(ref((config?.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination), name).toBe('FunctionFailureQueue');
    }
  });

  it('encrypts the queues, the topic and the table', () => {
    for (const [id, queue] of resourcesOf(template(), 'AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
    expect(ref(resource('AlertTopic').Properties.KmsMasterKeyId)).toBe('AlertKey');
    expect(resource('AlertTable').Properties).toMatchObject({
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('raises alarms to the alert topic on dead letters, function errors and throttles of every function', () => {
    const alarms = resourcesOf(template(), 'AWS::CloudWatch::Alarm').map(([id, alarm]): Record<string, unknown> & { id: string } => ({ id, ...alarm.Properties }));
    for (const alarm of alarms) expect((alarm.AlarmActions as unknown[]).map(ref), alarm.id).toEqual(['AlertTopic']);
    const depth = alarms.filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible').map((alarm) => ref((alarm.Dimensions as { Value: unknown }[])[0]?.Value));
    expect(depth.sort()).toEqual(['FunctionFailureQueue', 'RuleDeadLetterQueue']);
    for (const metric of ['Errors', 'Throttles']) {
      const watched = alarms
        .flatMap((alarm) => (alarm.Metrics as Record<string, unknown>[] | undefined) ?? [])
        // The delivery function's metric is there only with it (`Fn::If [HasDelivery, metric, AWS::NoValue]`).
        .map((query) => (Array.isArray(query['Fn::If']) ? (query['Fn::If'][1] as Record<string, unknown>) : query) as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: unknown }[] } } })
        .filter((query) => query.MetricStat?.Metric.MetricName === metric)
        .map((query) => ref(query.MetricStat?.Metric.Dimensions[0]?.Value));
      expect(watched.sort(), metric).toEqual(FUNCTIONS.map((name) => `${name}LambdaFunction`).sort());
    }
  });

  it('lets CloudWatch alarms publish to the encrypted topic, through the key policy and the topic policy', () => {
    const statements = (resource('AlertKey').Properties.KeyPolicy as { Statement: { Principal: unknown; Action: string[] }[] }).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }));
    const topicPolicy = resource('AlertTopicPolicy').Properties.PolicyDocument as { Statement: { Principal: unknown; Action: string }[] };
    expect(topicPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }));
  });

  it('keeps every function’s logs for a bounded time', () => {
    const groups = resourcesOf(template(), 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(FUNCTIONS.length);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(30);
  });
});

describe('subscriptions', () => {
  it('create the email subscription and the delivery one only when their parameters are given', () => {
    expect(template().Conditions).toMatchObject({ HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] }, SlackFromParameter: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] }, SlackFromSecret: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] } });
    expect(withParams.Conditions).toMatchObject({
      HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': ['oncall@example.com', ''] }] },
      SlackFromSecret: { 'Fn::Not': [{ 'Fn::Equals': ['ecs/slack', ''] }] },
    });
    for (const id of ['DeliverSubscription', 'DeliverInvokePermission', 'DeliverLambdaFunction', 'DeliverRole', 'DeliverInvokeConfig', 'DeliverLogGroup']) expect(resource(id).Condition, id).toBe('HasDelivery');
    expect(template().Conditions?.HasDelivery).toEqual({ 'Fn::Or': [{ Condition: 'HasSlack' }, { Condition: 'HasRoutes' }, { Condition: 'HasAmazonQ' }] });
    expect(resource('AmazonQTopic').Condition).toBe('HasAmazonQ');
    expect(resource('EmailSubscription').Condition).toBe('HasAlertEmail');
  });

  it('filter the email on severity, critical only by default', () => {
    expect(resource('EmailSubscription').Properties).toMatchObject({ Protocol: 'email', FilterPolicyScope: 'MessageAttributes', FilterPolicy: { severity: { 'Fn::Split': [',', 'critical'] } } });
    expect(withParams.Resources.EmailSubscription?.Properties).toMatchObject({ Endpoint: 'oncall@example.com', FilterPolicy: { severity: { 'Fn::Split': [',', 'critical,warning'] } } });
  });

  it('filter chat on severity without a routes file, critical and warning by default, and leave it to the routes with one', () => {
    expect(resource('DeliverSubscription').Properties).toMatchObject({
      Protocol: 'lambda',
      FilterPolicyScope: { 'Fn::If': ['HasRoutes', { Ref: 'AWS::NoValue' }, 'MessageAttributes'] },
      FilterPolicy: { 'Fn::If': ['HasRoutes', { Ref: 'AWS::NoValue' }, { severity: { 'Fn::Split': [',', 'critical,warning'] } }] },
    });
    const [withoutRoutes, withRoutes, bySsmStack] = [deployed('default', packaged, 'eu-west-1'), deployed('full', full, 'eu-central-1'), deployed('by SSM', bySsm, 'ap-southeast-2')];
    expect(withoutRoutes.resolved.resources.DeliverSubscription).toBeUndefined();
    expect(bySsmStack.resolved.resources.DeliverSubscription?.properties).toMatchObject({ FilterPolicyScope: 'MessageAttributes', FilterPolicy: { severity: ['critical', 'warning'] } });
    expect(withRoutes.resolved.resources.DeliverSubscription?.properties).not.toHaveProperty('FilterPolicy');
    // The routes' email destination is a subscription of its own, filtered as its routes say.
    expect(Object.values(withRoutes.resolved.resources).filter((each) => each.type === 'AWS::SNS::Subscription' && each.properties.Protocol === 'email').map((each) => each.properties.Endpoint).sort()).toEqual(['oncall@example.com', 'payments-oncall@example.com']);
  });

  it('warn at package time when nobody would receive an alert, and not when someone does', () => {
    expect(packaged.output).toContain('Nobody is subscribed to the alerts');
    expect(full.output).not.toContain('Nobody is subscribed');
  });
});

describe('Region', () => {
  it('is the one --region names, else AWS_REGION, and the command says where it came from', () => {
    expect([packaged.region, full.region, bySsm.region]).toEqual(['eu-west-1', 'eu-central-1', 'ap-southeast-2']);
    expect(bySsm.output).toContain('Region ap-southeast-2 (from AWS_REGION)');
    expect(full.output).toContain('Region eu-central-1 (from --region)');
  });

  it('is given to every function by Lambda, never written into the template', () => {
    expect(JSON.stringify(template())).not.toMatch(/eu-west-1|us-east-1/);
  });

  it('tells the Region, the bus, the topic and the dead-letter queues in the stack outputs', () => {
    expect(Object.keys(template().Outputs ?? {})).toEqual(expect.arrayContaining(['Region', 'EventBusName', 'EventBusArn', 'AlertTopicArn', 'RuleDeadLetterQueueUrl', 'FunctionFailureQueueUrl']));
    expect(withParams.Outputs?.EventBusName).toMatchObject({ Value: 'ecs-central' });
  });
});

describe('parameters', () => {
  it('fail the command with one line naming the parameter, before anything is built, when a value cannot work', async () => {
    const runs = await Promise.all([
      runServerless(['package', '--region', 'eu-west-1', '--param', 'slackWebhookParameter=slack-webhook']),
      runServerless(['package', '--region', 'eu-west-1', '--param', 'slackWebhookParameter=/ecs/slack', '--param', 'slackWebhookSecret=ecs/slack']),
      runServerless(['package', '--region', 'eu-west-1', '--param', 'alertEmail=oncall@example.com', '--param', 'slackHook=/ecs/slack']),
      runServerless(['package']),
    ]);
    expect(runs.map((run) => run.code === 0)).toEqual([false, false, false, false]);
    expect(runs[0]!.output).toContain('\n--param slackWebhookParameter="slack-webhook" is not the name of an SSM SecureString parameter, starting with "/"');
    expect(runs[1]!.output).toContain('\n--param slackWebhookParameter and --param slackWebhookSecret are both set');
    expect(runs[2]!.output).toContain('\nUnknown --param slackHook; the parameters are: alertEmail, ');
    expect(runs[3]!.output).toContain('No AWS Region given: EventBridge rules only see the events of their own Region');
    for (const run of runs) expect(run.output).not.toContain('Service packaged');
  });
});

describe('organisation', () => {
  it('lets the organisation and the listed accounts put events on the central bus, only when they are given', () => {
    expect(withParams.Resources.OrganizationPutEvents).toMatchObject({
      Condition: 'HasOrganization',
      Properties: { EventBusName: 'ecs-central', Statement: { Principal: '*', Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } } },
    });
    expect(withParams.Resources.MemberAccountsPutEvents).toMatchObject({
      Condition: 'HasMemberAccounts',
      Properties: { Statement: { Principal: { AWS: { 'Fn::Split': [',', '222222222222,333333333333'] } }, Action: 'events:PutEvents' } },
    });
  });

  it('forwards from member accounts with exactly the central rules’ patterns', () => {
    const member = JSON.parse(readFileSync(MEMBER_TEMPLATE_FILE, 'utf8')) as Template;
    const central = rules().map(([, rule]) => rule.Properties.EventPattern);
    expect(rules(member).map(([, rule]) => rule.Properties.EventPattern)).toEqual(central);
  });
});

// --- The template as CloudFormation and IAM would see it ------------------------------------------------------------

const CENTRAL = '111111111111';
const MEMBER = '222222222222';
const STRANGER = '444444444444';

interface Deployed {
  name: string;
  packaged: Packaged;
  resolved: ResolvedTemplate;
}

function deployed(name: string, from: Packaged, region: string): Deployed {
  return { name, packaged: from, resolved: resolveTemplate(from.template, { accountId: CENTRAL, region, partition: 'aws', stackName: 'ecs-incident-notifier-dev' }) };
}

function resolvedResource(stack: Deployed, id: string): ResolvedResource {
  const found = stack.resolved.resources[id];
  if (found === undefined) throw new Error(`${stack.name}: no resource ${id}`);
  return found;
}

function arnOf(stack: Deployed, id: string): string {
  const found = resolvedResource(stack, id).arn;
  if (found === undefined) throw new Error(`${stack.name}: ${id} has no ARN`);
  return found;
}

function regionOf(stack: Deployed): string {
  return stack.packaged.region;
}

/** The member account's template, deployed in its roles' Region, trusting the central account of the full set-up. */
function memberStack(): ResolvedTemplate {
  const member = JSON.parse(readFileSync(MEMBER_TEMPLATE_FILE, 'utf8')) as unknown;
  return resolveTemplate(member, {
    accountId: MEMBER,
    region: 'eu-central-1',
    partition: 'aws',
    stackName: 'StackSet-ecs-incident-notifier-member-0a1b2c3d',
    parameters: {
      CentralAccountId: CENTRAL,
      CentralEventBusArn: `arn:aws:events:eu-central-1:${CENTRAL}:event-bus/ecs-central`,
      OrganizationId: FULL_PARAMS.organizationId,
      ExternalId: FULL_PARAMS.memberLookupExternalId,
      GlobalResourcesRegion: 'eu-central-1',
    },
  });
}

/** One request a function's code (or Lambda on its behalf) makes, on the concrete resource it touches. */
interface Call {
  action: string;
  resource: string;
  resourcePolicy?: unknown;
  context?: ContextValues;
}

/**
 * For every AWS call a function's bundle can make (found by sdkCommandsIn), the concrete request it makes in a
 * deployment; `null` when the set-up never makes it (it must then be denied). A command found in a bundle with no row
 * here fails the test: a new call cannot ship without its permission being simulated.
 */
const CALLS: Record<string, (stack: Deployed, fn: string) => Call[] | null> = {
  'dynamodb:GetItem': (stack) => [{ action: 'dynamodb:GetItem', resource: arnOf(stack, 'AlertTable') }],
  'dynamodb:PutItem': (stack) => [{ action: 'dynamodb:PutItem', resource: arnOf(stack, 'AlertTable') }],
  // The delivery function reads and writes whole records only (its ledger, the Slack threads).
  'dynamodb:UpdateItem': (stack, fn) => (fn === 'Deliver' ? null : [{ action: 'dynamodb:UpdateItem', resource: arnOf(stack, 'AlertTable') }]),
  // The due follow-ups are queried on the table's index.
  'dynamodb:Query': (stack, fn) => (fn === 'Deliver' ? null : [{ action: 'dynamodb:Query', resource: `${arnOf(stack, 'AlertTable')}/index/gsi1` }]),
  // Publishing to a topic encrypted with a customer managed key needs the key too (SNS calls KMS as the publisher).
  // The delivery function publishes Amazon Q's format to the Amazon Q topic, and only there.
  'sns:Publish': (stack, fn) =>
    fn === 'Deliver'
      ? stack.resolved.conditions.HasAmazonQ
        ? [
            { action: 'sns:Publish', resource: resolvedResource(stack, 'AmazonQTopic').ref },
            { action: 'kms:GenerateDataKey', resource: arnOf(stack, 'AlertKey'), resourcePolicy: resourcePolicyOf(stack.resolved, 'AlertKey') },
          ]
        : null
      : [
    { action: 'sns:Publish', resource: resolvedResource(stack, 'AlertTopic').ref, resourcePolicy: resourcePolicyOf(stack.resolved, 'AlertTopic') },
    { action: 'kms:GenerateDataKey', resource: arnOf(stack, 'AlertKey'), resourcePolicy: resourcePolicyOf(stack.resolved, 'AlertKey') },
    { action: 'kms:Decrypt', resource: arnOf(stack, 'AlertKey'), resourcePolicy: resourcePolicyOf(stack.resolved, 'AlertKey') },
  ],
  'ecs:DescribeTaskDefinition': () => [{ action: 'ecs:DescribeTaskDefinition', resource: '*' }],
  'ecs:ListClusters': () => [{ action: 'ecs:ListClusters', resource: '*' }],
  'ecs:DescribeServices': (stack) => [{ action: 'ecs:DescribeServices', resource: `arn:aws:ecs:${regionOf(stack)}:${CENTRAL}:service/prod/orders-api` }],
  // A failed deployment's rollback: the service's deployments are listed, then one is described by its ARN.
  'ecs:ListServiceDeployments': (stack) => [{ action: 'ecs:ListServiceDeployments', resource: `arn:aws:ecs:${regionOf(stack)}:${CENTRAL}:service/prod/orders-api` }],
  'ecs:DescribeServiceDeployments': (stack) => [
    { action: 'ecs:DescribeServiceDeployments', resource: `arn:aws:ecs:${regionOf(stack)}:${CENTRAL}:service-deployment/prod/orders-api/hT3kQ9vLmW2xRb7YpZ4nA` },
  ],
  'ecs:ListContainerInstances': (stack) => [{ action: 'ecs:ListContainerInstances', resource: `arn:aws:ecs:${regionOf(stack)}:${CENTRAL}:cluster/prod` }],
  'ecs:ListTasks': (stack) => [{ action: 'ecs:ListTasks', resource: `arn:aws:ecs:${regionOf(stack)}:${CENTRAL}:container-instance/prod/0b1e2a1c5d4e4f0a9c3b2d1e0f9a8b7c` }],
  'ecs:DescribeTasks': (stack) => [{ action: 'ecs:DescribeTasks', resource: `arn:aws:ecs:${regionOf(stack)}:${CENTRAL}:task/prod/3f1c2b4a5d6e7f8091a2b3c4d5e6f708` }],
  // The last lines of a crashed container's awslogs stream, in a group under --param logGroupPrefix (default /ecs/).
  'logs:GetLogEvents': (stack) => [
    { action: 'logs:GetLogEvents', resource: `arn:aws:logs:${regionOf(stack)}:${CENTRAL}:log-group:/ecs/orders-api:log-stream:ecs/orders-api/3f1c2b4a5d6e7f8091a2b3c4d5e6f708` },
  ],
  // Enrichment of a member account's event, only when the stack names member accounts.
  'sts:AssumeRole': (stack) => {
    if (!stack.resolved.conditions.HasMembers) return null;
    const lookupRole = memberStack().resources.LookupRole!;
    return [
      {
        action: 'sts:AssumeRole',
        resource: lookupRole.arn!,
        resourcePolicy: lookupRole.properties.AssumeRolePolicyDocument,
        context: { 'aws:PrincipalOrgID': FULL_PARAMS.organizationId, 'aws:ResourceOrgID': FULL_PARAMS.organizationId, 'sts:ExternalId': FULL_PARAMS.memberLookupExternalId },
      },
    ];
  },
  // The Slack webhook of the parameters, and the routes file's parameters and secrets.
  'ssm:GetParameter': (stack) => {
    const names = [...(stack.resolved.conditions.SlackFromParameter ? ['/ecs/slack'] : []), ...(stack.resolved.conditions.HasRoutes ? ROUTE_PARAMETERS : [])];
    return names.length === 0 ? null : names.map((name) => ({ action: 'ssm:GetParameter', resource: `arn:aws:ssm:${regionOf(stack)}:${CENTRAL}:parameter${name}` }));
  },
  'secretsmanager:GetSecretValue': (stack) => {
    const secret = (name: string): Call => ({ action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${regionOf(stack)}:${CENTRAL}:secret:${name}` });
    const routes = stack.resolved.conditions.HasRoutes ? ROUTE_SECRETS.map(secret) : [];
    if (!stack.resolved.conditions.SlackFromSecret) return routes.length === 0 ? null : routes;
    return [
      secret('ecs/slack-AbC123'),
      { action: 'kms:Decrypt', resource: SLACK_KEY, resourcePolicy: SLACK_KEY_POLICY, context: { 'kms:ViaService': `secretsmanager.${regionOf(stack)}.amazonaws.com` } },
      ...routes,
    ];
  },
};

/** What Lambda does with every function's role, whatever its code: its logs and its on-failure destination. */
function runtimeCalls(stack: Deployed, fn: string): Call[] {
  const group = resolvedResource(stack, `${fn}LogGroup`).ref;
  const stream = `arn:aws:logs:${regionOf(stack)}:${CENTRAL}:log-group:${group}:log-stream:2026/12/06/[$LATEST]0123456789abcdef0123456789abcdef`;
  return [
    { action: 'logs:CreateLogStream', resource: stream },
    { action: 'logs:PutLogEvents', resource: stream },
    { action: 'sqs:SendMessage', resource: arnOf(stack, 'FunctionFailureQueue') },
  ];
}

/** Calls no function may make, whatever it bundles. */
function forbiddenCalls(stack: Deployed): Call[] {
  const region = regionOf(stack);
  return [
    { action: 'sns:Publish', resource: `arn:aws:sns:${region}:${CENTRAL}:another-topic` },
    { action: 'dynamodb:PutItem', resource: `arn:aws:dynamodb:${region}:${CENTRAL}:table/another-table` },
    { action: 'dynamodb:Scan', resource: arnOf(stack, 'AlertTable') },
    { action: 'dynamodb:DeleteTable', resource: arnOf(stack, 'AlertTable') },
    { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${region}:${CENTRAL}:secret:ecs/another-AbC123` },
    { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${region}:${CENTRAL}:parameter/ecs/another` },
    { action: 'ecs:StopTask', resource: `arn:aws:ecs:${region}:${CENTRAL}:task/prod/3f1c2b4a5d6e7f8091a2b3c4d5e6f708` },
    { action: 'ecs:UpdateService', resource: `arn:aws:ecs:${region}:${CENTRAL}:service/prod/orders-api` },
    { action: 'iam:PassRole', resource: `arn:aws:iam::${CENTRAL}:role/Admin` },
    { action: 'iam:CreateRole', resource: `arn:aws:iam::${CENTRAL}:role/backdoor` },
    { action: 'iam:PutRolePolicy', resource: arnOf(stack, 'TaskEventsRole') },
    { action: 'kms:Decrypt', resource: `arn:aws:kms:${region}:${CENTRAL}:key/00000000-0000-0000-0000-000000000000` },
    // Log groups outside the prefix: another function's logs, and a group whose name only contains `/ecs/`.
    { action: 'logs:GetLogEvents', resource: `arn:aws:logs:${region}:${CENTRAL}:log-group:/aws/lambda/payments:log-stream:2026/12/06/[$LATEST]0123456789abcdef` },
    { action: 'logs:GetLogEvents', resource: `arn:aws:logs:${region}:${CENTRAL}:log-group:/prod/ecs/orders-api:log-stream:ecs/orders-api/3f1c2b4a5d6e7f8091a2b3c4d5e6f708` },
    { action: 'logs:GetLogEvents', resource: `arn:aws:logs:${region}:${STRANGER}:log-group:/ecs/orders-api:log-stream:ecs/orders-api/3f1c2b4a5d6e7f8091a2b3c4d5e6f708` },
    { action: 'logs:FilterLogEvents', resource: `arn:aws:logs:${region}:${CENTRAL}:log-group:/ecs/orders-api` },
    { action: 'sts:AssumeRole', resource: `arn:aws:iam::${STRANGER}:role/ecs-incident-notifier-lookup`, context: { 'aws:ResourceOrgID': 'o-zzzzzzzzzz', 'aws:ResourceAccount': STRANGER } },
  ];
}

/** The function names of a deployment, as in its template (Slack only when configured). */
function functionsOf(stack: Deployed): string[] {
  return FUNCTIONS.filter((name) => stack.resolved.resources[`${name}LambdaFunction`] !== undefined);
}

const commandCache = new Map<string, Promise<SdkCommand[]>>();
function bundledCommands(stack: Deployed, fn: string): Promise<SdkCommand[]> {
  const zip = join(stack.packaged.dir, `${fn[0]!.toLowerCase()}${fn.slice(1)}.zip`);
  let commands = commandCache.get(zip);
  if (commands === undefined) {
    commands = sdkCommandsIn(zip);
    commandCache.set(zip, commands);
  }
  return commands;
}

let stacks: Deployed[];
const checked = { resources: 0, properties: 0 };

describe('the template, as AWS would take it', () => {
  beforeAll(() => {
    simulationTally.reset();
    stacks = [deployed('default', packaged, 'eu-west-1'), deployed('full', full, 'eu-central-1'), deployed('by SSM', bySsm, 'ap-southeast-2')];
  });

  it('conforms to the CloudFormation resource specification: types, properties, required ones, enumerations, references', async () => {
    const member = JSON.parse(readFileSync(MEMBER_TEMPLATE_FILE, 'utf8')) as Template;
    for (const [name, template] of [...stacks.map((stack): [string, Template] => [stack.name, stack.packaged.template]), ['member account', member] as [string, Template]]) {
      const report = await validateTemplate(template);
      expect({ name, problems: report.problems }).toEqual({ name, problems: [] });
      checked.resources += report.resources;
      checked.properties += report.properties;
    }
    expect(checked.resources).toBeGreaterThan(150);
  }, 60_000);

  it('creates no role nobody uses, and no delivery function, role or alarm with nowhere to deliver', () => {
    for (const stack of stacks) {
      const roles = Object.entries(stack.resolved.resources).filter(([, resource]) => resource.type === 'AWS::IAM::Role').map(([id]) => id).sort();
      const used = Object.values(stack.resolved.resources).filter((resource) => resource.type === 'AWS::Lambda::Function').map((fn) => String(fn.properties.Role));
      expect({ stack: stack.name, roles: roles.map((id) => used.includes(arnOf(stack, id))) }).toEqual({ stack: stack.name, roles: roles.map(() => true) });
      expect(roles).not.toContain('IamRoleLambdaExecution');
    }
    const [withoutDelivery, withDelivery] = stacks;
    expect(Object.keys(withoutDelivery!.resolved.resources).filter((id) => id.startsWith('Deliver') || id.startsWith('AmazonQ'))).toEqual([]);
    expect(JSON.stringify(withoutDelivery!.resolved.resources.FunctionErrorsAlarm?.properties)).not.toContain('-deliver');
    expect(JSON.stringify(withDelivery!.resolved.resources.FunctionErrorsAlarm?.properties)).toContain('ecs-incident-notifier-dev-deliver');
  });

  it('bundles no client of the SDK’s default credential chain: Lambda’s credentials come from the environment', async () => {
    for (const stack of stacks) {
      for (const fn of functionsOf(stack)) {
        expect((await bundledCommands(stack, fn)).filter((command) => command.bundledFor === 'credential-provider'), `${stack.name} ${fn}`).toEqual([]);
      }
    }
  });

  it('allows every call each function’s bundle can make, on the resource it touches, and denies what the set-up never calls', async () => {
    const missingRows: string[] = [];
    for (const stack of stacks) {
      for (const fn of functionsOf(stack)) {
        const role = resolvedResource(stack, `${fn}Role`);
        const commands = (await bundledCommands(stack, fn)).filter((command) => command.bundledFor === undefined);
        expect(commands.length, `${stack.name} ${fn}`).toBeGreaterThan(0);
        const expected: { call: Call; allowed: boolean }[] = runtimeCalls(stack, fn).map((call) => ({ call, allowed: true }));
        for (const command of commands) {
          const row = CALLS[command.action];
          if (row === undefined) {
            missingRows.push(`${fn}: ${command.action}`);
            continue;
          }
          const calls = row(stack, fn);
          if (calls === null) expected.push({ call: { action: command.action, resource: deniedResourceOf(command.action, stack) }, allowed: false });
          else expected.push(...calls.map((call) => ({ call, allowed: true })));
        }
        expected.push(...forbiddenCalls(stack).map((call) => ({ call, allowed: false })));
        for (const { call, allowed } of expected) {
          const outcome = await simulateRoleRequest({ role, action: call.action, resourceArn: call.resource, resourcePolicy: call.resourcePolicy, context: call.context, sessionName: fn });
          expect({ stack: stack.name, fn, ...call, resourcePolicy: undefined, allowed: outcome.allowed, why: outcome.allowed === allowed ? '' : outcome.explain }).toEqual({
            stack: stack.name,
            fn,
            ...call,
            resourcePolicy: undefined,
            allowed,
            why: '',
          });
        }
      }
    }
    expect(missingRows).toEqual([]);
  }, 120_000);

  it('gives the delivery role exactly the parameters or secrets configured, and the customer managed key only through that store', async () => {
    const [, full, bySsm] = stacks;
    const slackOf = (stack: Deployed): ResolvedResource => resolvedResource(stack, 'DeliverRole');
    const fullRegion = regionOf(full!);
    const secret = (name: string): string => `arn:aws:secretsmanager:${fullRegion}:${CENTRAL}:secret:${name}`;
    const cases: [Deployed, Call, boolean][] = [
      [full!, { action: 'secretsmanager:GetSecretValue', resource: secret('ecs/slack-AbC123') }, true],
      [full!, { action: 'secretsmanager:GetSecretValue', resource: secret('ecs/slack-AbC1234') }, false],
      [full!, { action: 'secretsmanager:GetSecretValue', resource: secret('ecs/slack-extra-AbC123') }, false],
      [full!, { action: 'kms:Decrypt', resource: SLACK_KEY, context: { 'kms:ViaService': `secretsmanager.${fullRegion}.amazonaws.com` } }, true],
      [full!, { action: 'kms:Decrypt', resource: SLACK_KEY, context: { 'kms:ViaService': `s3.${fullRegion}.amazonaws.com` } }, false],
      [full!, { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${fullRegion}:${CENTRAL}:parameter/ecs/slack` }, false],
      ...ROUTE_PARAMETERS.map((name): [Deployed, Call, boolean] => [full!, { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${fullRegion}:${CENTRAL}:parameter${name}` }, true]),
      ...ROUTE_SECRETS.map((name): [Deployed, Call, boolean] => [full!, { action: 'secretsmanager:GetSecretValue', resource: secret(name) }, true]),
      [full!, { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${fullRegion}:${CENTRAL}:parameter/ecs-notifier/pagerduty/other` }, false],
      [full!, { action: 'secretsmanager:GetSecretValue', resource: secret('ecs-notifier/teams-platform-extra-AbC123') }, false],
      [bySsm!, { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${regionOf(bySsm!)}:${CENTRAL}:parameter/ecs/slack` }, true],
      [bySsm!, { action: 'ssm:GetParameter', resource: `arn:aws:ssm:${regionOf(bySsm!)}:${CENTRAL}:parameter/ecs/slack-other` }, false],
      [bySsm!, { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${regionOf(bySsm!)}:${CENTRAL}:secret:ecs/slack-AbC123` }, false],
      [bySsm!, { action: 'kms:Decrypt', resource: SLACK_KEY, context: { 'kms:ViaService': `ssm.${regionOf(bySsm!)}.amazonaws.com` } }, false],
    ];
    for (const [stack, call, allowed] of cases) {
      const resourcePolicy = call.action.startsWith('kms:') ? SLACK_KEY_POLICY : undefined;
      const outcome = await simulateRoleRequest({ role: slackOf(stack), action: call.action, resourceArn: call.resource, resourcePolicy, context: call.context, sessionName: 'slack' });
      expect({ stack: stack.name, ...call, allowed: outcome.allowed }).toEqual({ stack: stack.name, ...call, allowed });
    }
  });

  it('lets CloudWatch alarms of this account publish to the encrypted topic, and no one else', async () => {
    for (const stack of stacks) {
      const alarm = `arn:aws:cloudwatch:${regionOf(stack)}:${CENTRAL}:alarm:${resolvedResource(stack, 'RuleDeadLetterAlarm').ref}`;
      const topic = resolvedResource(stack, 'AlertTopic').ref;
      const key = arnOf(stack, 'AlertKey');
      const fromAlarm = { 'aws:SourceAccount': CENTRAL, 'aws:SourceArn': alarm };
      const requests: [string, string, string, ContextValues, unknown, boolean][] = [
        ['cloudwatch.amazonaws.com', 'sns:Publish', topic, fromAlarm, resourcePolicyOf(stack.resolved, 'AlertTopic'), true],
        ['cloudwatch.amazonaws.com', 'kms:GenerateDataKey', key, fromAlarm, resourcePolicyOf(stack.resolved, 'AlertKey'), true],
        ['cloudwatch.amazonaws.com', 'kms:Decrypt', key, fromAlarm, resourcePolicyOf(stack.resolved, 'AlertKey'), true],
        ['cloudwatch.amazonaws.com', 'sns:Publish', topic, { 'aws:SourceAccount': STRANGER, 'aws:SourceArn': alarm.replace(CENTRAL, STRANGER) }, resourcePolicyOf(stack.resolved, 'AlertTopic'), false],
        ['events.amazonaws.com', 'sns:Publish', topic, { 'aws:SourceAccount': CENTRAL }, resourcePolicyOf(stack.resolved, 'AlertTopic'), false],
        ['cloudwatch.amazonaws.com', 'kms:CreateGrant', key, fromAlarm, resourcePolicyOf(stack.resolved, 'AlertKey'), false],
      ];
      for (const [service, action, resource, context, resourcePolicy, allowed] of requests) {
        const outcome = await simulateServiceRequest({ service, action, resourceArn: resource, context, resourcePolicy });
        expect({ stack: stack.name, service, action, context, allowed: outcome.allowed }).toEqual({ stack: stack.name, service, action, context, allowed });
      }
    }
  });

  it('lets EventBridge send to the rules’ dead-letter queue and invoke each function only from their own rules', async () => {
    for (const stack of stacks) {
      const queue = arnOf(stack, 'RuleDeadLetterQueue');
      const queuePolicy = resourcePolicyOf(stack.resolved, 'RuleDeadLetterQueue');
      const otherRule = `arn:aws:events:${regionOf(stack)}:${CENTRAL}:rule/someone-elses-rule`;
      for (const fn of EVENT_FUNCTIONS) {
        const rule = arnOf(stack, `${fn}Rule`);
        const invoke = { service: 'events.amazonaws.com', action: 'lambda:InvokeFunction', resourceArn: arnOf(stack, `${fn}LambdaFunction`), resourcePolicy: resourcePolicyOf(stack.resolved, `${fn}LambdaFunction`) };
        const outcomes = [
          (await simulateServiceRequest({ service: 'events.amazonaws.com', action: 'sqs:SendMessage', resourceArn: queue, resourcePolicy: queuePolicy, context: { 'aws:SourceArn': rule, 'aws:SourceAccount': CENTRAL } })).allowed,
          (await simulateServiceRequest({ service: 'events.amazonaws.com', action: 'sqs:SendMessage', resourceArn: queue, resourcePolicy: queuePolicy, context: { 'aws:SourceArn': otherRule, 'aws:SourceAccount': CENTRAL } })).allowed,
          (await simulateServiceRequest({ ...invoke, context: { 'aws:SourceArn': rule, 'aws:SourceAccount': CENTRAL } })).allowed,
          (await simulateServiceRequest({ ...invoke, context: { 'aws:SourceArn': otherRule, 'aws:SourceAccount': CENTRAL } })).allowed,
        ];
        expect({ stack: stack.name, fn, outcomes }).toEqual({ stack: stack.name, fn, outcomes: [true, false, true, false] });
      }
    }
  });

  it('lets the member lookup role be assumed by the central event functions’ roles and by nobody else', async () => {
    const member = memberStack();
    const lookupRole = member.resources.LookupRole!;
    const central = stacks[1]!;
    const trusted = { 'aws:PrincipalOrgID': FULL_PARAMS.organizationId, 'sts:ExternalId': FULL_PARAMS.memberLookupExternalId };
    const assume = async (principalArn: string, context: ContextValues): Promise<boolean> => (await simulateAssumeRole({ principalArn, role: lookupRole, context })).allowed;
    for (const fn of EVENT_FUNCTIONS) expect({ fn, allowed: await assume(arnOf(central, `${fn}Role`), trusted) }).toEqual({ fn, allowed: true });
    const refused: [string, ContextValues][] = [
      [arnOf(central, 'FlushAlertsRole'), trusted],
      [arnOf(central, 'DeliverRole'), trusted],
      [`arn:aws:iam::${CENTRAL}:role/Admin`, trusted],
      [`arn:aws:iam::${CENTRAL}:root`, trusted],
      [`arn:aws:iam::${STRANGER}:role/ecs-incident-notifier/lookup/TaskEventsRole`, { ...trusted, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }],
      [arnOf(central, 'TaskEventsRole'), { 'aws:PrincipalOrgID': FULL_PARAMS.organizationId }],
      [arnOf(central, 'TaskEventsRole'), { ...trusted, 'sts:ExternalId': 'guessed' }],
      [arnOf(central, 'TaskEventsRole'), { ...trusted, 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }],
    ];
    for (const [principal, context] of refused) expect({ principal, context, allowed: await assume(principal, context) }).toEqual({ principal, context, allowed: false });
    // The central side of the same request: the function's own policy names the member role in the organisation.
    const outcome = await simulateRoleRequest({
      role: resolvedResource(central, 'TaskEventsRole'),
      action: 'sts:AssumeRole',
      resourceArn: lookupRole.arn!,
      resourcePolicy: lookupRole.properties.AssumeRolePolicyDocument,
      context: { ...trusted, 'aws:ResourceOrgID': FULL_PARAMS.organizationId },
    });
    expect(outcome.allowed).toBe(true);
  });

  it('lets the member lookup role make exactly the ECS reads the central functions bundle, and the forwarding role only put events on the central bus', async () => {
    const member = memberStack();
    const lookupRole = member.resources.LookupRole!;
    const central = stacks[1]!;
    const ecsReads = new Set<string>();
    for (const fn of EVENT_FUNCTIONS) for (const command of await bundledCommands(central, fn)) if (command.action.startsWith('ecs:') && command.bundledFor === undefined) ecsReads.add(command.action);
    const memberResource = (action: string): string => {
      const call = CALLS[action]?.(central, 'TaskEvents')?.[0];
      if (call === undefined) throw new Error(`no row for ${action}`);
      return call.resource.replace(`:${CENTRAL}:`, `:${MEMBER}:`);
    };
    for (const fn of EVENT_FUNCTIONS) for (const command of await bundledCommands(central, fn)) if (command.action.startsWith('logs:') && command.bundledFor === undefined) ecsReads.add(command.action);
    for (const action of [...ecsReads].sort()) {
      const outcome = await simulateRoleRequest({ role: lookupRole, action, resourceArn: memberResource(action), sessionName: 'ecs-incident-notifier' });
      expect({ action, allowed: outcome.allowed }).toEqual({ action, allowed: true });
    }
    expect(ecsReads.size).toBeGreaterThanOrEqual(7);
    expect(ecsReads.has('logs:GetLogEvents')).toBe(true);
    for (const [action, resource] of [
      ['ecs:StopTask', `arn:aws:ecs:eu-central-1:${MEMBER}:task/prod/3f1c2b4a5d6e7f8091a2b3c4d5e6f708`],
      ['ecs:UpdateService', `arn:aws:ecs:eu-central-1:${MEMBER}:service/prod/orders-api`],
      // Outside the member template's LogGroupPrefix (default /ecs/), and a read that is not GetLogEvents.
      ['logs:GetLogEvents', `arn:aws:logs:eu-central-1:${MEMBER}:log-group:/aws/lambda/payments:log-stream:x`],
      ['logs:FilterLogEvents', `arn:aws:logs:eu-central-1:${MEMBER}:log-group:/ecs/orders-api`],
      ['iam:PassRole', `arn:aws:iam::${MEMBER}:role/Admin`],
    ] as const) {
      const outcome = await simulateRoleRequest({ role: lookupRole, action, resourceArn: resource });
      expect({ action, allowed: outcome.allowed }).toEqual({ action, allowed: false });
    }
    const forwarding = member.resources.ForwardingRole!;
    const centralBus = `arn:aws:events:eu-central-1:${CENTRAL}:event-bus/ecs-central`;
    expect((await simulateRoleRequest({ role: forwarding, action: 'events:PutEvents', resourceArn: centralBus, resourcePolicy: busPolicyOf(central) })).allowed).toBe(true);
    expect((await simulateRoleRequest({ role: forwarding, action: 'events:PutEvents', resourceArn: centralBus.replace('ecs-central', 'other-bus') })).allowed).toBe(false);
    expect((await simulateAssumeRole({ principalArn: `arn:aws:iam::${MEMBER}:role/x`, role: forwarding })).allowed).toBe(false);
  });

  it('lets the organisation and the listed accounts put events on the central bus, and no stranger', async () => {
    const central = stacks[1]!;
    const bus = `arn:aws:events:eu-central-1:${CENTRAL}:event-bus/ecs-central`;
    const putEvents: Json = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] };
    const outcomes: boolean[] = [];
    for (const [account, orgId] of [
      [MEMBER, FULL_PARAMS.organizationId],
      ['555555555555', FULL_PARAMS.organizationId],
      ['333333333333', 'o-zzzzzzzzzz'],
      [STRANGER, 'o-zzzzzzzzzz'],
    ] as const) {
      const forwarding: ResolvedResource = { type: 'AWS::IAM::Role', properties: { Policies: [{ PolicyName: 'put', PolicyDocument: putEvents }] }, ref: 'f', arn: `arn:aws:iam::${account}:role/ecs-incident-notifier-forwarding`, attributes: {} };
      outcomes.push((await simulateRoleRequest({ role: forwarding, action: 'events:PutEvents', resourceArn: bus, resourcePolicy: busPolicyOf(central), context: { 'aws:PrincipalOrgID': orgId } })).allowed);
    }
    expect(outcomes).toEqual([true, true, true, false]);
  });

  it('names what it checked', ({ task }) => {
    expect(simulationTally.requests).toBeGreaterThan(300);
    const summary = `template checks: ${checked.resources} resources and ${checked.properties} properties valid against ${SPEC_PACKAGE.name} ${SPEC_PACKAGE.version}; ${simulationTally.summary()} (@cloud-copilot/iam-simulate)`;
    task.meta.summary = summary;
    expect(summary).toMatch(/^template checks: \d+ resources and \d+ properties valid .* \d+ simulated requests: \d+ allowed as expected, \d+ denied as expected/);
  });
});

/** The central bus's policy: every AWS::Events::EventBusPolicy statement of the stack. */
function busPolicyOf(stack: Deployed): Json {
  const statements = Object.values(stack.resolved.resources)
    .filter((resource) => resource.type === 'AWS::Events::EventBusPolicy')
    .map((policy): Json => ({ Sid: policy.properties.StatementId ?? null, ...(policy.properties.Statement as { [key: string]: Json }) }));
  return { Version: '2012-10-17', Statement: statements };
}

/** A resource of the kind `action` touches, for calls a set-up never makes and whose denial is checked. */
function deniedResourceOf(action: string, stack: Deployed): string {
  const region = regionOf(stack);
  switch (action) {
    case 'ssm:GetParameter':
      return `arn:aws:ssm:${region}:${CENTRAL}:parameter/ecs/slack`;
    case 'secretsmanager:GetSecretValue':
      return `arn:aws:secretsmanager:${region}:${CENTRAL}:secret:ecs/slack-AbC123`;
    case 'sts:AssumeRole':
      return `arn:aws:iam::${MEMBER}:role/ecs-incident-notifier-lookup`;
    case 'dynamodb:Query':
      return `${arnOf(stack, 'AlertTable')}/index/gsi1`;
    case 'dynamodb:UpdateItem':
      return arnOf(stack, 'AlertTable');
    case 'sns:Publish':
      return resolvedResource(stack, 'AlertTopic').ref;
    default:
      throw new Error(`no resource to check the denial of ${action}`);
  }
}
