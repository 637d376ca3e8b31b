import { describe, expect, it } from 'vitest';
import { resolveTemplate, resolveValue, type Deployment } from '../../support/intrinsics.ts';

const DEPLOYMENT: Deployment = { accountId: '111111111111', region: 'eu-west-1', partition: 'aws', stackName: 'ecs-incident-notifier-dev' };

/** Alerting in miniature: the shapes serverless.yml writes (conditions on params, Fn::If with AWS::NoValue, rules on a bus). */
const TEMPLATE = {
  Parameters: {
    AlertEmail: { Type: 'String', Default: '' },
    EventBusName: { Type: 'String', Default: 'default' },
    Stage: { Type: 'String', Default: 'dev' },
  },
  Conditions: {
    HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlertEmail' }, ''] }] },
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    ProdWithEmail: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'HasAlertEmail' }] },
    ProdOrEmail: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'HasAlertEmail' }] },
  },
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': '${AWS::StackName}-alerts' } } },
    EmailSubscription: {
      Type: 'AWS::SNS::Subscription',
      Condition: 'HasAlertEmail',
      Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::If': ['IsProd', 'prod-failures', { Ref: 'AWS::NoValue' }] }, SqsManagedSseEnabled: true } },
    Handler: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: { 'Fn::Sub': '${AWS::StackName}-taskEvents' } } },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'task-events',
        EventBusName: { Ref: 'EventBusName' },
        Targets: [
          { Id: 'handler', Arn: { 'Fn::GetAtt': ['Handler', 'Arn'] } },
          { 'Fn::If': ['HasAlertEmail', { Id: 'topic', Arn: { Ref: 'Topic' } }, { Ref: 'AWS::NoValue' }] },
        ],
      },
    },
  },
  Outputs: {
    SubscriptionArn: { Condition: 'HasAlertEmail', Value: { Ref: 'EmailSubscription' } },
    RuleName: { Value: { 'Fn::Select': [1, { 'Fn::Split': ['|', { 'Fn::Join': ['|', ['bus', { Ref: 'Rule' }]] }] }] } },
  },
};

describe('resolveTemplate', () => {
  it('removes a resource whose Condition is false, and keeps it when a parameter makes the Condition true', () => {
    const withoutEmail = resolveTemplate(TEMPLATE, DEPLOYMENT);
    const withEmail = resolveTemplate(TEMPLATE, { ...DEPLOYMENT, parameters: { AlertEmail: 'oncall@example.com' } });

    expect(withoutEmail.conditions).toEqual({ HasAlertEmail: false, IsProd: false, ProdWithEmail: false, ProdOrEmail: false });
    expect(Object.keys(withoutEmail.resources)).toEqual(['Topic', 'Queue', 'Handler', 'Rule']);
    expect(withoutEmail.outputs).toEqual({ RuleName: { Value: 'task-events' } });
    expect(withEmail.outputs.SubscriptionArn).toEqual({ Value: 'arn:aws:sns:eu-west-1:111111111111:ecs-incident-notifier-dev-alerts:47ab644b-4ccc-43be-9101-3910595f5d49' });
    expect(withEmail.conditions).toEqual({ HasAlertEmail: true, IsProd: false, ProdWithEmail: false, ProdOrEmail: true });
    expect(withEmail.resources.EmailSubscription).toEqual({
      type: 'AWS::SNS::Subscription',
      properties: { TopicArn: 'arn:aws:sns:eu-west-1:111111111111:ecs-incident-notifier-dev-alerts', Protocol: 'email', Endpoint: 'oncall@example.com' },
      ref: 'arn:aws:sns:eu-west-1:111111111111:ecs-incident-notifier-dev-alerts:47ab644b-4ccc-43be-9101-3910595f5d49',
      arn: 'arn:aws:sns:eu-west-1:111111111111:ecs-incident-notifier-dev-alerts:47ab644b-4ccc-43be-9101-3910595f5d49',
      attributes: { Arn: 'arn:aws:sns:eu-west-1:111111111111:ecs-incident-notifier-dev-alerts:47ab644b-4ccc-43be-9101-3910595f5d49' },
    });
  });

  it('picks the Fn::If branch of its condition and drops the key or list element that AWS::NoValue leaves', () => {
    const dev = resolveTemplate(TEMPLATE, DEPLOYMENT);
    const prodWithEmail = resolveTemplate(TEMPLATE, { ...DEPLOYMENT, parameters: { Stage: 'prod', AlertEmail: 'oncall@example.com' } });

    expect(dev.resources.Queue?.properties).toEqual({ SqsManagedSseEnabled: true });
    expect(dev.resources.Queue?.attributes.QueueName).toBe('ecs-incident-notifier-dev-Queue-G58D8UUZOEJG');
    expect(dev.resources.Rule?.properties.Targets).toEqual([{ Id: 'handler', Arn: 'arn:aws:lambda:eu-west-1:111111111111:function:ecs-incident-notifier-dev-taskEvents' }]);
    expect(prodWithEmail.conditions.ProdWithEmail).toBe(true);
    expect(prodWithEmail.resources.Queue?.properties).toEqual({ QueueName: 'prod-failures', SqsManagedSseEnabled: true });
    expect(prodWithEmail.resources.Queue?.ref).toBe('https://sqs.eu-west-1.amazonaws.com/111111111111/prod-failures');
    expect(prodWithEmail.resources.Rule?.properties.Targets).toEqual([
      { Id: 'handler', Arn: 'arn:aws:lambda:eu-west-1:111111111111:function:ecs-incident-notifier-dev-taskEvents' },
      { Id: 'topic', Arn: 'arn:aws:sns:eu-west-1:111111111111:ecs-incident-notifier-dev-alerts' },
    ]);
  });

  it('gives a rule on a custom bus the bus in its ARN and `bus|name` as its Ref, and a rule on the default bus neither', () => {
    const onDefault = resolveTemplate(TEMPLATE, DEPLOYMENT).resources.Rule;
    const onCustom = resolveTemplate(TEMPLATE, { ...DEPLOYMENT, parameters: { EventBusName: 'ops' } });

    expect(onDefault).toMatchObject({ ref: 'task-events', arn: 'arn:aws:events:eu-west-1:111111111111:rule/task-events' });
    expect(onCustom.resources.Rule).toMatchObject({ ref: 'ops|task-events', arn: 'arn:aws:events:eu-west-1:111111111111:rule/ops/task-events' });
    expect(onCustom.outputs.RuleName).toEqual({ Value: 'ops' });
  });

  it('gives Ref, the ARN and Fn::GetAtt attributes per resource type as the CloudFormation reference documents them', () => {
    const template = {
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'alerts', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } },
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        KeyAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/alerts', TargetKeyId: { Ref: 'Key' } } },
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'notifier', Path: '/service/' } },
        Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'read-alerts' } },
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'ops' } },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/f' } },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'failures' } },
        Dashboard: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: 'ops' } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'f' } },
        Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
        Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: { LayerName: 'deps' } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'failures.fifo', FifoQueue: true } },
      },
    };

    const { resources } = resolveTemplate(template, DEPLOYMENT);
    const identities = Object.fromEntries(Object.entries(resources).map(([logicalId, { ref, arn, attributes }]) => [logicalId, { ref, arn, attributes }]));

    expect(identities).toEqual({
      Table: {
        ref: 'alerts',
        arn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/alerts',
        attributes: { Arn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/alerts', StreamArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/alerts/stream/1970-01-01T00:00:00.000' },
      },
      Key: {
        ref: 'c7734208-3d73-44db-a395-48f47ac65340',
        arn: 'arn:aws:kms:eu-west-1:111111111111:key/c7734208-3d73-44db-a395-48f47ac65340',
        attributes: { Arn: 'arn:aws:kms:eu-west-1:111111111111:key/c7734208-3d73-44db-a395-48f47ac65340', KeyId: 'c7734208-3d73-44db-a395-48f47ac65340' },
      },
      KeyAlias: { ref: 'alias/alerts', arn: 'arn:aws:kms:eu-west-1:111111111111:alias/alerts', attributes: {} },
      Role: { ref: 'notifier', arn: 'arn:aws:iam::111111111111:role/service/notifier', attributes: { Arn: 'arn:aws:iam::111111111111:role/service/notifier', RoleId: 'AROAYKZTCEQBSDA6OPRQP' } },
      Policy: {
        ref: 'arn:aws:iam::111111111111:policy/read-alerts',
        arn: 'arn:aws:iam::111111111111:policy/read-alerts',
        attributes: { PolicyArn: 'arn:aws:iam::111111111111:policy/read-alerts', PolicyId: 'ANPADPUOCSJA2YHJAT55M', DefaultVersionId: 'v1', IsAttachable: 'true' },
      },
      Bus: { ref: 'ops', arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/ops', attributes: { Arn: 'arn:aws:events:eu-west-1:111111111111:event-bus/ops', Name: 'ops' } },
      Logs: { ref: '/aws/lambda/f', arn: 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/f:*', attributes: { Arn: 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/f:*' } },
      Alarm: { ref: 'failures', arn: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:failures', attributes: { Arn: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:failures' } },
      Dashboard: { ref: 'ops', arn: 'arn:aws:cloudwatch::111111111111:dashboard/ops', attributes: {} },
      Fn: { ref: 'f', arn: 'arn:aws:lambda:eu-west-1:111111111111:function:f', attributes: { Arn: 'arn:aws:lambda:eu-west-1:111111111111:function:f' } },
      Version: {
        ref: 'arn:aws:lambda:eu-west-1:111111111111:function:f:1',
        arn: 'arn:aws:lambda:eu-west-1:111111111111:function:f:1',
        attributes: { Version: '1', FunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:f:1' },
      },
      Layer: {
        ref: 'arn:aws:lambda:eu-west-1:111111111111:layer:deps:1',
        arn: 'arn:aws:lambda:eu-west-1:111111111111:layer:deps:1',
        attributes: { LayerVersionArn: 'arn:aws:lambda:eu-west-1:111111111111:layer:deps:1' },
      },
      Queue: {
        ref: 'https://sqs.eu-west-1.amazonaws.com/111111111111/failures.fifo',
        arn: 'arn:aws:sqs:eu-west-1:111111111111:failures.fifo',
        attributes: {
          Arn: 'arn:aws:sqs:eu-west-1:111111111111:failures.fifo',
          QueueName: 'failures.fifo',
          QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/failures.fifo',
        },
      },
    });
  });

  it('generates the same `<stack>-<LogicalId>-<suffix>` name on every resolution, distinct per logical id and cut to the type\'s limit', () => {
    const template = {
      Resources: {
        Alerts: { Type: 'AWS::SNS::Topic', Properties: {} },
        Ordered: { Type: 'AWS::SNS::Topic', Properties: { FifoTopic: true } },
        FlushAlertsEventsRuleSchedule1: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)' } },
      },
    };

    const first = resolveTemplate(template, DEPLOYMENT).resources;
    const second = resolveTemplate(template, DEPLOYMENT).resources;

    expect(first.Alerts?.attributes.TopicName).toBe('ecs-incident-notifier-dev-Alerts-MH6CIG99VYXN');
    expect(first.Ordered?.attributes.TopicName).toBe('ecs-incident-notifier-dev-Ordered-8DZ1GZ779HGW.fifo');
    expect(first.FlushAlertsEventsRuleSchedule1?.ref).toBe('ecs-incident-notifier-dev-FlushAlertsEventsRuleSche-WC9MUPY5H5SR');
    expect(first.FlushAlertsEventsRuleSchedule1?.ref).toHaveLength(64);
    expect(second).toEqual(first);
  });

  it('throws naming a resource type or attribute it does not model, and a reference to a resource its condition removes', () => {
    const vpc = { Resources: { Network: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } } };
    const attribute = { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: {} }, Out: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::GetAtt': ['Topic', 'Arn'] } } } } };
    const removed = {
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Condition: 'Never', Properties: {} },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Select': [0, [{ Ref: 'Topic' }]] } } },
      },
    };

    expect(() => resolveTemplate(vpc, DEPLOYMENT)).toThrow('Resources.Network: resource type AWS::EC2::VPC is not modelled by test/support/intrinsics.ts');
    expect(() => resolveTemplate(attribute, DEPLOYMENT)).toThrow('attribute Arn of Topic (AWS::SNS::Topic) is not modelled');
    expect(() => resolveTemplate(removed, DEPLOYMENT)).toThrow('refers to Topic, which its condition Never removes from this deployment');
  });
});

describe('resolveValue', () => {
  it('resolves both Fn::Sub forms: pseudo parameters, ${Logical}, ${Logical.Attr}, variables and ${!Literal}', () => {
    const context = { ...DEPLOYMENT, template: TEMPLATE };

    const short = resolveValue({ 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/${Handler}:*' }, context);
    const attribute = resolveValue({ 'Fn::Sub': '${Queue.QueueName} in ${AWS::StackName}, ${!NotSubstituted}' }, context);
    const long = resolveValue({ 'Fn::Sub': ['${Topic}/${Name}', { Name: { 'Fn::GetAtt': ['Rule', 'Arn'] }, Topic: 'shadowed' }] }, context);

    expect(short).toBe('arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/ecs-incident-notifier-dev-taskEvents:*');
    expect(attribute).toBe('ecs-incident-notifier-dev-Queue-G58D8UUZOEJG in ecs-incident-notifier-dev, ${NotSubstituted}');
    expect(long).toBe('shadowed/arn:aws:events:eu-west-1:111111111111:rule/task-events');
  });

  it('resolves Fn::Join, Fn::Split and Fn::Select, and gives undefined for AWS::NoValue', () => {
    const context = { ...DEPLOYMENT, parameters: { Zones: 'a,b' } };

    const joined = resolveValue({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'sns', { Ref: 'AWS::Region' }]] }, context);
    const selected = resolveValue({ 'Fn::Select': ['1', { 'Fn::Split': [',', { Ref: 'Zones' }] }] }, context);
    const nothing = resolveValue({ Ref: 'AWS::NoValue' }, context);

    expect(joined).toBe('arn:aws:sns:eu-west-1');
    expect(selected).toBe('b');
    expect(nothing).toBeUndefined();
  });

  it('throws on an intrinsic function it does not support rather than passing it through', () => {
    expect(() => resolveValue({ 'Fn::ImportValue': 'shared-topic' }, DEPLOYMENT)).toThrow('$.Fn::ImportValue: intrinsic function Fn::ImportValue is not supported');
  });
});

