import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchesPattern } from '../../lib/eventbridge/pattern.ts';
import { evaluate } from '../../lib/pipeline.ts';
import { EVENTS_DIR, fixturePaths, loadFixture } from '../support/fixtures.ts';
import { actionsOf, packageService, resourcesOf, statementsOf, type Packaged, type Resource, type Template } from '../support/template.ts';

// `serverless package`, offline as in CI, and what the template it writes proves: which rule each recorded event
// reaches, that nothing can be lost (dead letters, retries, alarms), and that every role holds only what it calls.

const FUNCTIONS = ['TaskEvents', 'ServiceEvents', 'ContainerInstanceEvents', 'CapacityEvents', 'FlushAlerts', 'Slack'];
const EVENT_FUNCTIONS = ['TaskEvents', 'ServiceEvents', 'ContainerInstanceEvents', 'CapacityEvents'];

/** The function each detail-type belongs to, when its handler needs the event at all. */
const HANDLER_OF: Record<string, string> = {
  'ECS Task State Change': 'TaskEvents',
  'ECS Service Action': 'ServiceEvents',
  'ECS Deployment State Change': 'ServiceEvents',
  'ECS Container Instance State Change': 'ContainerInstanceEvents',
  'ECS Container Instance Health Change': 'ContainerInstanceEvents',
  'EC2 Spot Instance Interruption Warning': 'CapacityEvents',
  'AWS Health Event': 'CapacityEvents',
};

const ALERTING = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'sns:Publish', 'kms:GenerateDataKey', 'kms:Decrypt', 'sqs:SendMessage'];
const LOGS = ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'];

/** Exactly the actions each function's role may hold: what its code calls, and no more. */
const ACTIONS_OF: Record<string, string[]> = {
  TaskEvents: [...LOGS, ...ALERTING, 'ecs:DescribeTaskDefinition', 'ecs:DescribeServices'],
  ServiceEvents: [...LOGS, ...ALERTING, 'ecs:DescribeServices'],
  ContainerInstanceEvents: [...LOGS, ...ALERTING, 'ecs:ListContainerInstances', 'ecs:ListTasks', 'ecs:DescribeTasks'],
  CapacityEvents: [...LOGS, ...ALERTING, 'ecs:ListClusters', 'ecs:ListContainerInstances', 'ecs:ListTasks', 'ecs:DescribeTasks'],
  FlushAlerts: [...LOGS, ...ALERTING],
  Slack: [...LOGS, 'ssm:GetParameter', 'sqs:SendMessage'],
};

/** ECS calls that accept no resource narrower than `*` (ECS service authorization reference). */
const UNSCOPABLE = new Set(['ecs:DescribeTaskDefinition', 'ecs:ListClusters']);

let packaged: Packaged;
let withParams: Template;

beforeAll(async () => {
  // One after the other: serverless-esbuild builds in the service folder, and two builds at once collide there.
  packaged = await packageService();
  ({ template: withParams } = await packageService({
    alertEmail: 'oncall@example.com',
    emailSeverities: 'critical,warning',
    slackWebhookParameter: '/ecs-incident-notifier/slack-webhook',
    eventBusName: 'ecs-central',
  }));
}, 240_000);

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

/** The functions whose rules match an event, by the EventBridge semantics of lib/eventbridge. */
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
      ['service_steady_state', 'deployment_in_progress', 'deployment_completed', 'container_instance_health_ok'].includes(evaluate(event, 'routing').verdict.category),
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
        .flatMap((alarm) => (alarm.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: unknown }[] } } }[] | undefined) ?? [])
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
  it('create the email subscription and the Slack one only when their parameters are given', () => {
    expect(template().Conditions).toEqual({ HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] }, HasSlack: { 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] } });
    expect(withParams.Conditions).toEqual({
      HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': ['oncall@example.com', ''] }] },
      HasSlack: { 'Fn::Not': [{ 'Fn::Equals': ['/ecs-incident-notifier/slack-webhook', ''] }] },
    });
    expect(resource('EmailSubscription').Condition).toBe('HasAlertEmail');
    expect(resource('SlackSubscription').Condition).toBe('HasSlack');
    expect(resource('SlackInvokePermission').Condition).toBe('HasSlack');
  });

  it('filter the email on severity, critical only by default', () => {
    expect(resource('EmailSubscription').Properties).toMatchObject({ Protocol: 'email', FilterPolicyScope: 'MessageAttributes', FilterPolicy: { severity: { 'Fn::Split': [',', 'critical'] } } });
    expect(withParams.Resources.EmailSubscription?.Properties).toMatchObject({ Endpoint: 'oncall@example.com', FilterPolicy: { severity: { 'Fn::Split': [',', 'critical,warning'] } } });
  });
});

describe('least privilege', () => {
  function roleOf(name: string, from: Template = template()): Resource {
    const role = from.Resources[`${name}IamRoleLambdaExecution`];
    if (role === undefined) throw new Error(`no role for ${name}`);
    return role;
  }

  it('gives each function a role of its own, holding exactly the actions its code calls', () => {
    for (const name of FUNCTIONS) {
      expect(ref(resource(`${name}LambdaFunction`).Properties.Role), name).toBe(`${name}IamRoleLambdaExecution`);
      const actions = [...new Set(statementsOf(roleOf(name)).flatMap(actionsOf))].sort();
      expect({ name, actions }).toEqual({ name, actions: [...new Set(ACTIONS_OF[name])].sort() });
    }
  });

  it('grants no wildcard action anywhere, and `*` resources only for the ECS calls that allow nothing narrower', () => {
    const policies: { where: string; statements: { Action: string | string[]; Resource?: unknown }[]; resourcePolicy: boolean }[] = [
      ...resourcesOf(template(), 'AWS::IAM::Role').map(([id, role]) => ({ where: id, statements: statementsOf(role), resourcePolicy: false })),
      { where: 'AlertKey', statements: (resource('AlertKey').Properties.KeyPolicy as { Statement: { Action: string[] }[] }).Statement, resourcePolicy: true },
      { where: 'AlertTopicPolicy', statements: (resource('AlertTopicPolicy').Properties.PolicyDocument as { Statement: { Action: string }[] }).Statement, resourcePolicy: true },
      { where: 'RuleDeadLetterQueuePolicy', statements: (resource('RuleDeadLetterQueuePolicy').Properties.PolicyDocument as { Statement: { Action: string }[] }).Statement, resourcePolicy: true },
    ];
    for (const { where, statements, resourcePolicy } of policies) {
      for (const statement of statements) {
        const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        for (const action of actions) expect({ where, action }).not.toEqual({ where, action: expect.stringMatching(/(^|:)\*$/) });
        // In a key policy `*` is the key itself; elsewhere it means every resource of the account.
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        if (!resourcePolicy && resources.includes('*')) expect({ where, actions }).toEqual({ where, actions: actions.filter((action) => UNSCOPABLE.has(action)) });
      }
    }
  });

  it('publishes only to the one topic, writes only to the one table, and reads only the one parameter', () => {
    for (const name of FUNCTIONS) {
      for (const statement of statementsOf(roleOf(name))) {
        const actions = actionsOf(statement);
        const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) as unknown[];
        if (actions.includes('sns:Publish')) expect(resources.map(ref)).toEqual(['AlertTopic']);
        if (actions.some((action) => action.startsWith('dynamodb:'))) expect(JSON.stringify(resources)).not.toMatch(/"\*"/);
        if (actions.some((action) => action.startsWith('kms:'))) expect(resources.map(ref)).toEqual(['AlertKey']);
      }
    }
    const ssm = statementsOf(roleOf('Slack', withParams)).find((statement) => actionsOf(statement).includes('ssm:GetParameter'));
    expect(JSON.stringify(ssm?.Resource)).toContain(':parameter/ecs-incident-notifier/slack-webhook');
  });
});
