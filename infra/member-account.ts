import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The CloudFormation template each member account of an organisation runs (infra/member-account.json, deployable as
 * a StackSet to an organisational unit): rules that forward the account's ECS, Spot and Health events to the central
 * bus with exactly the central rules' patterns, the role EventBridge forwards with, a dead-letter queue for what it
 * could not forward, and the read-only role the central functions assume to enrich the account's alerts.
 *
 * IAM is global and rules are regional: a StackSet deployed to several Regions creates the roles only in
 * `GlobalResourcesRegion`, and every Region's rules name the forwarding role by its ARN.
 */

/** The event patterns of the central rules (serverless.yml reads the same file). */
export const EVENT_PATTERNS_FILE = fileURLToPath(new URL('./event-patterns.json', import.meta.url));
export const MEMBER_TEMPLATE_FILE = fileURLToPath(new URL('./member-account.json', import.meta.url));

/** The path of the central event functions' roles (serverless.yml); the lookup role trusts roles under it, nothing else. */
export const CENTRAL_LOOKUP_ROLE_PATH = '/ecs-incident-notifier/lookup/';

/**
 * The ECS read calls enrichment makes, and the resources each is scoped to in the member account. The deployment
 * test checks this list against the ECS commands in the central bundles, so a new lookup cannot ship without it.
 */
export const MEMBER_LOOKUP_STATEMENTS = [
  // DescribeTaskDefinition and ListClusters accept no resource narrower than `*` (ECS service authorization reference).
  { Effect: 'Allow', Action: ['ecs:DescribeTaskDefinition', 'ecs:ListClusters'], Resource: '*' },
  { Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service/*' } },
  // A failed deployment's rollback: ListServiceDeployments of the service, then DescribeServiceDeployments, which is
  // authorised on the service and on the service deployment (`service-deployment/CLUSTER/SERVICE/ID`):
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
  { Effect: 'Allow', Action: 'ecs:ListServiceDeployments', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service/*' } },
  {
    Effect: 'Allow',
    Action: 'ecs:DescribeServiceDeployments',
    Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service-deployment/*' }, { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service/*' }],
  },
  { Effect: 'Allow', Action: 'ecs:ListContainerInstances', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:cluster/*' } },
  // ListTasks of one container instance is authorised on the container instance, not on its cluster.
  { Effect: 'Allow', Action: 'ecs:ListTasks', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:container-instance/*' } },
  { Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:task/*' } },
  // The last lines of a crashed container's awslogs stream, only in the log groups under LogGroupPrefix (the notifier
  // parameter logGroupPrefix).
  { Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:${LogGroupPrefix}*' } },
];

/** Logical id of each forwarding rule, by the key of its pattern in event-patterns.json. */
const RULES: Record<string, { id: string; description: string }> = {
  task: { id: 'TaskEventsForwardingRule', description: 'ECS task stops, Fargate Spot warnings and sidecars that stop, to the central bus.' },
  service: { id: 'ServiceEventsForwardingRule', description: 'ECS service actions, deployment and lifecycle hook state changes, and managed daemon events, to the central bus.' },
  containerInstance: { id: 'ContainerInstanceEventsForwardingRule', description: 'ECS container instances leaving ACTIVE or losing their agent, and health changes, to the central bus.' },
  capacity: { id: 'CapacityEventsForwardingRule', description: 'EC2 Spot interruption warnings and AWS Health notices about ECS and EC2, to the central bus.' },
};

const NO_VALUE = { Ref: 'AWS::NoValue' };

export function eventPatterns(): Record<string, unknown> {
  return JSON.parse(readFileSync(EVENT_PATTERNS_FILE, 'utf8')) as Record<string, unknown>;
}

function forwardingRoleArn(): unknown {
  return { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${ForwardingRoleName}' };
}

/** The member-account template, as an object (JSON-serialisable). */
export function memberAccountTemplate(patterns: Record<string, unknown> = eventPatterns()): Record<string, unknown> {
  const unknownPatterns = Object.keys(patterns).filter((key) => RULES[key] === undefined);
  if (unknownPatterns.length > 0) throw new Error(`event-patterns.json has patterns with no forwarding rule: ${unknownPatterns.join(', ')}`);
  const rules: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(RULES)) {
    const pattern = patterns[key];
    if (pattern === undefined) throw new Error(`event-patterns.json has no "${key}" pattern`);
    rules[rule.id] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: rule.description,
        EventPattern: pattern,
        Targets: [
          {
            Id: 'central-bus',
            Arn: { Ref: 'CentralEventBusArn' },
            RoleArn: forwardingRoleArn(),
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ForwardingDeadLetterQueue', 'Arn'] } },
          },
        ],
      },
    };
  }
  const ruleIds = Object.values(RULES).map((rule) => rule.id);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'ecs-incident-notifier member account: forwards ECS, EC2 Spot and AWS Health events to the central bus, and lets the ' +
      'central functions read ECS to enrich alerts. Generated by `npm run member-template` from infra/event-patterns.json; do not edit.',
    Parameters: {
      CentralAccountId: { Type: 'String', AllowedPattern: '^\\d{12}$', Description: 'The account the notifier is deployed in.' },
      CentralEventBusArn: {
        Type: 'String',
        AllowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._/-]+$',
        Description: 'The central bus (stack output EventBusArn of the notifier).',
      },
      OrganizationId: {
        Type: 'String',
        Default: '',
        AllowedPattern: '^(o-[a-z0-9]{10,32})?$',
        Description: 'When set, only principals of this organisation may assume the lookup role.',
      },
      ExternalId: {
        Type: 'String',
        Default: '',
        NoEcho: true,
        AllowedPattern: '^([\\w+=,.@:/-]{2,1224})?$',
        Description: 'When set, the lookup role is assumed only with this external id (the notifier parameter memberLookupExternalId).',
      },
      LookupRoleName: {
        Type: 'String',
        Default: 'ecs-incident-notifier-lookup',
        AllowedPattern: '^[\\w+=,.@-]{1,64}$',
        Description: 'The notifier parameter memberLookupRoleName.',
      },
      LogGroupPrefix: {
        Type: 'String',
        Default: '/ecs/',
        AllowedPattern: '^[A-Za-z0-9_\\-/.#]{1,256}$',
        Description: 'The notifier parameter logGroupPrefix: the lookup role may read the log streams of groups whose names start with it.',
      },
      ForwardingRoleName: { Type: 'String', Default: 'ecs-incident-notifier-forwarding', AllowedPattern: '^[\\w+=,.@-]{1,64}$' },
      GlobalResourcesRegion: {
        Type: 'String',
        Default: 'us-east-1',
        AllowedPattern: '^[a-z]{2}(-[a-z]+)+-\\d$',
        Description: 'The one Region of the StackSet where the (global) IAM roles are created.',
      },
    },
    Conditions: {
      CreateGlobalResources: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'GlobalResourcesRegion' }] },
      HasOrganizationId: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OrganizationId' }, ''] }] },
      HasExternalId: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }] },
    },
    Resources: {
      ...rules,
      ForwardingDeadLetterQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
      },
      ForwardingDeadLetterQueuePolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: 'ForwardingDeadLetterQueue' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: { 'Fn::GetAtt': ['ForwardingDeadLetterQueue', 'Arn'] },
                Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
              },
            ],
          },
        },
      },
      ForwardingRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'CreateGlobalResources',
        Properties: {
          RoleName: { Ref: 'ForwardingRoleName' },
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'put-events-on-central-bus',
              PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'CentralEventBusArn' } }] },
            },
          ],
        },
      },
      LookupRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'CreateGlobalResources',
        Properties: {
          RoleName: { Ref: 'LookupRoleName' },
          Description: 'Read-only ECS and container-log lookups for the central ecs-incident-notifier functions (alert enrichment).',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${CentralAccountId}:root' } },
                Action: 'sts:AssumeRole',
                Condition: {
                  // Only the central event functions' roles (their path), not any principal of the central account.
                  ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${CentralAccountId}:role${CENTRAL_LOOKUP_ROLE_PATH}*` } },
                  StringEquals: {
                    'Fn::If': [
                      'HasOrganizationId',
                      {
                        'Fn::If': [
                          'HasExternalId',
                          { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' }, 'sts:ExternalId': { Ref: 'ExternalId' } },
                          { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } },
                        ],
                      },
                      { 'Fn::If': ['HasExternalId', { 'sts:ExternalId': { Ref: 'ExternalId' } }, NO_VALUE] },
                    ],
                  },
                },
              },
            ],
          },
          Policies: [{ PolicyName: 'ecs-read-for-alert-enrichment', PolicyDocument: { Version: '2012-10-17', Statement: MEMBER_LOOKUP_STATEMENTS } }],
        },
      },
    },
    Outputs: {
      LookupRoleArn: {
        Condition: 'CreateGlobalResources',
        Value: { 'Fn::GetAtt': ['LookupRole', 'Arn'] },
      },
      ForwardingDeadLetterQueueUrl: {
        Description: 'Events this account could not forward to the central bus.',
        Value: { Ref: 'ForwardingDeadLetterQueue' },
      },
    },
  };
}

/** The file as committed: two-space JSON and a final newline. */
export function memberAccountTemplateText(): string {
  return `${JSON.stringify(memberAccountTemplate(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(MEMBER_TEMPLATE_FILE, memberAccountTemplateText());
  process.stdout.write(`wrote ${MEMBER_TEMPLATE_FILE}\n`);
}
