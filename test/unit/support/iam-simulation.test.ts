import { beforeEach, describe, expect, it } from 'vitest';
import { resourcePolicyOf, simulateAssumeRole, simulateRoleRequest, simulateServiceRequest, simulationTally } from '../../support/iam-simulation.ts';
import { resolveTemplate, type ResolvedResource } from '../../support/intrinsics.ts';

const DEPLOYMENT = { accountId: '111111111111', region: 'eu-west-1', partition: 'aws', stackName: 'ecs-incident-notifier-dev' };

const TEMPLATE = {
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts', KmsMasterKeyId: { Ref: 'Key' } } },
    TopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'Topic' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: 'Topic' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      },
    },
    Rule: { Type: 'AWS::Events::Rule', Properties: { Name: 'task-events' } },
    OtherRule: { Type: 'AWS::Events::Rule', Properties: { Name: 'other' } },
    DeadLetters: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'rule-dead-letters' } },
    DeadLettersPolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'DeadLetters' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['DeadLetters', 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': [{ 'Fn::GetAtt': ['Rule', 'Arn'] }] } },
            },
          ],
        },
      },
    },
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'AccountGrantsThroughIam', Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' },
          ],
        },
      },
    },
    ClosedKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'AdminOnly', Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/admin' } }, Action: 'kms:*', Resource: '*' }],
        },
      },
    },
    Handler: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'task-events' } },
    HandlerPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: { Ref: 'Handler' }, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] } },
    },
    HandlerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'task-events-role',
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] },
        Policies: [
          {
            PolicyName: 'alerting',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['sns:Publish'], Resource: { Ref: 'Topic' } },
                { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [{ 'Fn::GetAtt': ['Key', 'Arn'] }, { 'Fn::GetAtt': ['ClosedKey', 'Arn'] }] },
              ],
            },
          },
        ],
      },
    },
    AuditRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'audit',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::222222222222:root' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': 'ext-123', 'aws:PrincipalOrgID': 'o-abc123' } },
            },
          ],
        },
      },
    },
  },
};

const deployed = resolveTemplate(TEMPLATE, DEPLOYMENT);
const resource = (logicalId: string): ResolvedResource => deployed.resources[logicalId]!;
const SHARED_TOPIC = 'arn:aws:sns:eu-west-1:222222222222:shared';
const PUBLISH_TO_SHARED = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: SHARED_TOPIC }] };
const SHARED_TOPIC_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/task-events-role' }, Action: 'sns:Publish', Resource: SHARED_TOPIC }],
};

describe('simulateRoleRequest', () => {
  it('allows the action an inline policy grants on the resource and denies one no policy grants', async () => {
    const role = resource('HandlerRole');
    const topic = resource('Topic').ref;

    const publish = await simulateRoleRequest({ role, action: 'sns:Publish', resourceArn: topic, resourcePolicy: resourcePolicyOf(deployed, 'Topic'), sessionName: 'task-events' });
    const subscribe = await simulateRoleRequest({ role, action: 'sns:Subscribe', resourceArn: topic, resourcePolicy: resourcePolicyOf(deployed, 'Topic'), sessionName: 'task-events' });

    expect(publish).toEqual({
      allowed: true,
      explain:
        'arn:aws:sts::111111111111:assumed-role/task-events-role/task-events sns:Publish on arn:aws:sns:eu-west-1:111111111111:alerts: Allowed (same account; identity policies: Allowed; resource policy: ImplicitlyDenied; allowed by identity alerting statement 1)',
    });
    expect(subscribe).toEqual({
      allowed: false,
      explain:
        'arn:aws:sts::111111111111:assumed-role/task-events-role/task-events sns:Subscribe on arn:aws:sns:eu-west-1:111111111111:alerts: ImplicitlyDenied (same account; identity policies: ImplicitlyDenied; resource policy: ImplicitlyDenied; no Allow in identity policies, no Allow in resource policies)',
    });
  });

  it('allows a cross-account request only when both its identity policies and the resource policy allow it', async () => {
    const role = resource('HandlerRole');

    const bothAllow = await simulateRoleRequest({ role, managedPolicies: [PUBLISH_TO_SHARED], action: 'sns:Publish', resourceArn: SHARED_TOPIC, resourcePolicy: SHARED_TOPIC_POLICY });
    const noResourcePolicy = await simulateRoleRequest({ role, managedPolicies: [PUBLISH_TO_SHARED], action: 'sns:Publish', resourceArn: SHARED_TOPIC });
    const noIdentityAllow = await simulateRoleRequest({ role, action: 'sns:Publish', resourceArn: SHARED_TOPIC, resourcePolicy: SHARED_TOPIC_POLICY });

    expect([bothAllow.allowed, noResourcePolicy.allowed, noIdentityAllow.allowed]).toEqual([true, false, false]);
    expect(noIdentityAllow.explain).toContain('(cross-account; identity policies: ImplicitlyDenied; resource policy: Allowed; no Allow in identity policies)');
  });

  it('denies kms:Decrypt on a key whose key policy does not let the account grant access through IAM, though the role allows it', async () => {
    const role = resource('HandlerRole');

    const trusting = await simulateRoleRequest({ role, action: 'kms:Decrypt', resourceArn: resource('Key').arn!, resourcePolicy: resourcePolicyOf(deployed, 'Key') });
    const closed = await simulateRoleRequest({ role, action: 'kms:Decrypt', resourceArn: resource('ClosedKey').arn!, resourcePolicy: resourcePolicyOf(deployed, 'ClosedKey') });

    expect([trusting.allowed, closed.allowed]).toEqual([true, false]);
  });

  it('throws on a context key that does not apply to the action instead of letting the simulator drop it', async () => {
    const request = simulateRoleRequest({ role: resource('HandlerRole'), action: 'sns:Publish', resourceArn: resource('Topic').ref, context: { 'sqs:MessageGroupId': 'g' } });

    await expect(request).rejects.toThrow('context key(s) sqs:MessageGroupId do not apply to sns:Publish');
  });
});

describe('simulateServiceRequest', () => {
  it('allows CloudWatch to publish from its own account and denies it from another account or another service', async () => {
    const topic = resource('Topic').ref;
    const policy = resourcePolicyOf(deployed, 'Topic');

    const ownAccount = await simulateServiceRequest({ service: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resourceArn: topic, resourcePolicy: policy, context: { 'aws:SourceAccount': '111111111111' } });
    const otherAccount = await simulateServiceRequest({ service: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resourceArn: topic, resourcePolicy: policy, context: { 'aws:SourceAccount': '999999999999' } });
    const otherService = await simulateServiceRequest({ service: 'events.amazonaws.com', action: 'sns:Publish', resourceArn: topic, resourcePolicy: policy, context: { 'aws:SourceAccount': '111111111111' } });

    expect([ownAccount.allowed, otherAccount.allowed, otherService.allowed]).toEqual([true, false, false]);
    expect(otherAccount.explain).toBe(
      'cloudwatch.amazonaws.com sns:Publish on arn:aws:sns:eu-west-1:111111111111:alerts: ImplicitlyDenied (service principal; resource policy: ImplicitlyDenied; no Allow in resource policies; resource statement CloudWatchAlarmsPublish unmet condition StringEquals aws:SourceAccount)',
    );
  });

  it('allows EventBridge to send a dead letter and invoke the function for the rule the policies name, and denies another rule', async () => {
    const queue = resource('DeadLetters').arn!;
    const handler = resource('Handler').arn!;
    const rule = { 'aws:SourceArn': resource('Rule').arn!, 'aws:SourceAccount': '111111111111' };
    const otherRule = { 'aws:SourceArn': resource('OtherRule').arn!, 'aws:SourceAccount': '111111111111' };

    const outcomes = await Promise.all([
      simulateServiceRequest({ service: 'events.amazonaws.com', action: 'sqs:SendMessage', resourceArn: queue, resourcePolicy: resourcePolicyOf(deployed, 'DeadLetters'), context: rule }),
      simulateServiceRequest({ service: 'events.amazonaws.com', action: 'sqs:SendMessage', resourceArn: queue, resourcePolicy: resourcePolicyOf(deployed, 'DeadLetters'), context: otherRule }),
      simulateServiceRequest({ service: 'events.amazonaws.com', action: 'lambda:InvokeFunction', resourceArn: handler, resourcePolicy: resourcePolicyOf(deployed, 'Handler'), context: rule }),
      simulateServiceRequest({ service: 'events.amazonaws.com', action: 'lambda:InvokeFunction', resourceArn: handler, resourcePolicy: resourcePolicyOf(deployed, 'Handler'), context: otherRule }),
    ]);

    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, false, true, false]);
  });

  it('throws when the service principal is not the bare service name iam-simulate matches', async () => {
    const request = simulateServiceRequest({ service: 'service:events.amazonaws.com', action: 'sqs:SendMessage', resourceArn: resource('DeadLetters').arn!, resourcePolicy: {} });

    await expect(request).rejects.toThrow('a service principal is a bare service name such as events.amazonaws.com, not service:events.amazonaws.com');
  });
});

describe('simulateAssumeRole', () => {
  it('allows the trusted account with the external id from the right organization, and denies every other combination', async () => {
    const role = resource('AuditRole');
    const principalArn = 'arn:aws:iam::222222222222:role/auditor';
    const trusted = { 'sts:ExternalId': 'ext-123', 'aws:PrincipalOrgID': 'o-abc123' };

    const outcomes = await Promise.all([
      simulateAssumeRole({ principalArn, role, context: trusted }),
      simulateAssumeRole({ principalArn, role, context: { ...trusted, 'aws:PrincipalOrgID': 'o-other' } }),
      simulateAssumeRole({ principalArn, role, context: { 'aws:PrincipalOrgID': 'o-abc123' } }),
      simulateAssumeRole({ principalArn, role, context: trusted, callerPolicies: [] }),
      simulateAssumeRole({ principalArn: 'arn:aws:iam::333333333333:role/auditor', role, context: trusted }),
    ]);

    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, false, false, false, false]);
    expect(outcomes[1]?.explain).toBe(
      'arn:aws:sts::222222222222:assumed-role/auditor/simulation sts:AssumeRole on arn:aws:iam::111111111111:role/audit: ImplicitlyDenied (cross-account; identity policies: Allowed; resource policy: ImplicitlyDenied; no Allow in resource policies; resource statement 1 unmet condition StringEquals aws:PrincipalOrgID)',
    );
  });

  it('lets Lambda assume the execution role through its trust policy', async () => {
    const outcome = await simulateServiceRequest({ service: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resourceArn: resource('HandlerRole').arn!, resourcePolicy: resourcePolicyOf(deployed, 'HandlerRole') });

    expect(outcome.allowed).toBe(true);
  });
});

describe('resourcePolicyOf', () => {
  it('writes the function policy its Lambda permissions add up to, as AddPermission does', () => {
    expect(resourcePolicyOf(deployed, 'Handler')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: resource('HandlerPermission').ref,
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:task-events',
          Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:111111111111:rule/task-events' } },
        },
      ],
    });
  });

  it('throws for a resource type whose policy it does not know where to find', () => {
    expect(() => resourcePolicyOf(deployed, 'Rule')).toThrow('resourcePolicyOf does not know where AWS::Events::Rule keeps its resource policy');
  });
});

describe('simulationTally', () => {
  beforeEach(() => {
    simulationTally.reset();
  });

  it('counts every simulation with its outcome for the closing summary', async () => {
    const role = resource('HandlerRole');
    const topic = resource('Topic').ref;

    await simulateRoleRequest({ role, action: 'sns:Publish', resourceArn: topic });
    await simulateRoleRequest({ role, action: 'sns:DeleteTopic', resourceArn: topic });
    await simulateRoleRequest({ role, action: 'sns:Subscribe', resourceArn: topic });

    expect(simulationTally.summary()).toBe('3 simulated requests: 1 allowed as expected, 2 denied as expected');
  });
});
