import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPEC_PACKAGE, loadResourceSpec, validateTemplate, type CfnTemplate, type TemplateResource } from '../../support/resource-spec.ts';

// Each template below is small and wrong in one way, so each test names the exact line a user of the validator reads.

function only(resources: Record<string, TemplateResource>, rest: Omit<CfnTemplate, 'Resources'> = {}): CfnTemplate {
  return { Resources: resources, ...rest };
}

async function problemsOf(template: CfnTemplate): Promise<string[]> {
  return (await validateTemplate(template)).problems;
}

const TOPIC: TemplateResource = { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } };

function ruleWithTarget(target: Record<string, unknown>): TemplateResource {
  return { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)', Targets: [{ Id: 'alerts', Arn: { Ref: 'Topic' }, ...target }] } };
}

/** An SNS topic, its policy, an email subscription that only exists with an address, and a rule sending ECS task events to the topic. */
const VALID: CfnTemplate = {
  Parameters: { AlertEmail: { Type: 'String', Default: '' } },
  Conditions: { HasAlertEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlertEmail' }, ''] }] } },
  Resources: {
    AlertTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: { 'Fn::Sub': '${AWS::StackName}-alerts' },
        KmsMasterKeyId: 'alias/aws/sns',
        Tags: [{ Key: 'service', Value: 'ecs-incident-notifier' }],
      },
    },
    AlertTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'AlertTopic' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'AlertTopic' } }],
        },
      },
    },
    EmailSubscription: {
      Type: 'AWS::SNS::Subscription',
      Condition: 'HasAlertEmail',
      Properties: { TopicArn: { Ref: 'AlertTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
    },
    DeadLetterQueue: { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain', Properties: { MessageRetentionPeriod: 1_209_600 } },
    TaskEventsRule: {
      Type: 'AWS::Events::Rule',
      DependsOn: 'AlertTopicPolicy',
      Properties: {
        State: 'ENABLED',
        EventPattern: { source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] },
        Targets: [
          {
            Id: 'alerts',
            Arn: { Ref: 'AlertTopic' },
            // A number written as a string, as CloudFormation accepts.
            RetryPolicy: { MaximumRetryAttempts: '4', MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { 'Fn::If': ['HasAlertEmail', { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } }, { Ref: 'AWS::NoValue' }] },
          },
        ],
      },
    },
  },
  Outputs: { AlertTopicArn: { Value: { Ref: 'AlertTopic' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-AlertTopicArn' } } } },
};

beforeAll(async () => {
  // The first load parses the whole spec (about a second); every test after it shares the database.
  await loadResourceSpec();
}, 30_000);

describe('validateTemplate', () => {
  it('finds no problem in a valid template and counts every property it checked, nested ones included', async () => {
    const report = await validateTemplate(VALID);

    expect(report.problems).toEqual([]);
    expect(report.resources).toBe(5);
    // Topic 3 + tag Key/Value 2, policy 2, subscription 3, queue 1, rule 3 + target 4 + retry policy 2 + dead-letter config 1.
    expect(report.properties).toBe(21);
  });

  describe('resource types and property names', () => {
    it('reports a resource type the spec does not have', async () => {
      const problems = await problemsOf(only({ Topic: { Type: 'AWS::SNS::Topics', Properties: { TopicName: 'alerts' } } }));

      expect(problems).toEqual(['Topic.Type: no such resource type AWS::SNS::Topics']);
    });

    it('reports a misspelled property', async () => {
      const problems = await problemsOf(only({ AlertTopic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyIdd: 'alias/aws/sns' } } }));

      expect(problems).toEqual(['AlertTopic.Properties.KmsMasterKeyIdd: no such property of AWS::SNS::Topic']);
    });

    it('reports a misspelled property of a nested type, with its path through lists', async () => {
      const template = only({ Topic: TOPIC, Rule: ruleWithTarget({ RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSecs: 3600 } }) });

      const problems = await problemsOf(template);

      expect(problems).toEqual(['Rule.Properties.Targets[0].RetryPolicy.MaximumEventAgeInSecs: no such property of AWS::Events::Rule.RetryPolicy']);
    });

    it('reports a key of a resource that CloudFormation does not know', async () => {
      const queue = { Type: 'AWS::SQS::Queue', Propertes: { DelaySeconds: 5 } };

      const problems = await problemsOf(only({ Queue: queue }));

      expect(problems).toEqual([
        'Queue.Propertes: not a key of a resource (Type, Properties, Condition, DependsOn, DeletionPolicy, UpdateReplacePolicy, Metadata, UpdatePolicy, CreationPolicy)',
      ]);
    });
  });

  describe('value shapes', () => {
    it('reports a list where a string is expected', async () => {
      const problems = await problemsOf(only({ Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: ['alerts'] } } }));

      expect(problems).toEqual(['Topic.Properties.TopicName: expected a string, got a list']);
    });

    it('reports a string where an object of a nested type is expected', async () => {
      const problems = await problemsOf(only({ Topic: TOPIC, Rule: ruleWithTarget({ RetryPolicy: 'three times' }) }));

      expect(problems).toEqual(['Rule.Properties.Targets[0].RetryPolicy: expected an object (AWS::Events::Rule.RetryPolicy), got a string ("three times")']);
    });

    it('accepts numbers and booleans written as strings, as CloudFormation does, and reports text that is neither', async () => {
      const queue: TemplateResource = { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: '5', FifoQueue: 'true', QueueName: 12, VisibilityTimeout: 'thirty' } };

      const problems = await problemsOf(only({ Queue: queue }));

      expect(problems).toEqual(['Queue.Properties.VisibilityTimeout: expected an integer, got a string ("thirty")']);
    });

    it('reports an intrinsic function that gives a single value where a list is expected', async () => {
      const template = only({
        Queue: { Type: 'AWS::SQS::Queue' },
        QueuePolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: { Ref: 'Queue' }, PolicyDocument: { Statement: [] } } },
      });

      const problems = await problemsOf(template);

      expect(problems).toEqual(['QueuePolicy.Properties.Queues: expected a list, got Ref (a single value)']);
    });
  });

  describe('required properties', () => {
    it('reports a missing required property of a resource', async () => {
      const problems = await problemsOf(only({ QueuePolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { PolicyDocument: { Statement: [] } } } }));

      expect(problems).toEqual(['QueuePolicy.Properties: missing required property Queues of AWS::SQS::QueuePolicy']);
    });

    it('reports a missing required property of a nested type', async () => {
      const rule: TemplateResource = { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)', Targets: [{ Arn: { Ref: 'Topic' } }] } };

      const problems = await problemsOf(only({ Topic: TOPIC, Rule: rule }));

      expect(problems).toEqual(['Rule.Properties.Targets[0]: missing required property Id of AWS::Events::Rule.Target']);
    });

    it('reports a required property that an Fn::If branch leaves out with AWS::NoValue', async () => {
      const template = only(
        {
          Topic: TOPIC,
          Subscription: {
            Type: 'AWS::SNS::Subscription',
            Properties: { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { 'Fn::If': ['HasTopic', { Ref: 'Topic' }, { Ref: 'AWS::NoValue' }] } },
          },
        },
        { Conditions: { HasTopic: { 'Fn::Equals': ['yes', 'yes'] } } },
      );

      const problems = await problemsOf(template);

      expect(problems).toEqual(['Subscription.Properties.TopicArn.Fn::If[2]: required property of AWS::SNS::Subscription is absent (AWS::NoValue)']);
    });
  });

  describe('allowed values', () => {
    it('reports a string the spec does not allow for the property', async () => {
      const rule: TemplateResource = { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)', State: 'ON' } };

      const problems = await problemsOf(only({ Rule: rule }));

      expect(problems).toEqual(['Rule.Properties.State: "ON" is not an allowed value (DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS)']);
    });

    it('reports a number the spec does not allow for the property', async () => {
      const problems = await problemsOf(only({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 10 } } }));

      expect(problems).toEqual([
        'Logs.Properties.RetentionInDays: 10 is not an allowed value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)',
      ]);
    });
  });

  describe('references', () => {
    it('reports a Ref to nothing in the template', async () => {
      const problems = await problemsOf(only({ Topic: TOPIC, Rule: ruleWithTarget({ Arn: { Ref: 'AlertTopik' } }) }));

      expect(problems).toEqual(['Rule.Properties.Targets[0].Arn: Ref AlertTopik: no such resource, parameter or pseudo parameter']);
    });

    it('reports a Fn::GetAtt of an attribute the resource type does not have', async () => {
      const problems = await problemsOf(only({ Topic: TOPIC, Rule: ruleWithTarget({ Arn: { 'Fn::GetAtt': ['Topic', 'Arn'] } }) }));

      expect(problems).toEqual(['Rule.Properties.Targets[0].Arn: Fn::GetAtt Topic.Arn: AWS::SNS::Topic has no attribute Arn (it has TopicArn, TopicName)']);
    });

    it('reports a ${Resource.Attribute} in Fn::Sub that names no resource, and passes escapes and variables', async () => {
      const arn = { 'Fn::Sub': ['${Missing.Arn}/${!Literal}/${Queue}/${AWS::Region}', { Queue: 'q' }] };

      const problems = await problemsOf(only({ Topic: TOPIC, Rule: ruleWithTarget({ Arn: arn }) }));

      expect(problems).toEqual(['Rule.Properties.Targets[0].Arn: Fn::Sub ${Missing.Arn}: no such resource Missing']);
    });

    it('reports a reference inside a free-form JSON value such as a policy document', async () => {
      const policy: TemplateResource = {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: { Topics: [{ Ref: 'Topic' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'Topik' } }] } },
      };

      const problems = await problemsOf(only({ Topic: TOPIC, Policy: policy }));

      expect(problems).toEqual(['Policy.Properties.PolicyDocument.Statement[0].Resource: Ref Topik: no such resource, parameter or pseudo parameter']);
    });

    it('reports a DependsOn naming no resource', async () => {
      const problems = await problemsOf(only({ Topic: { ...TOPIC, DependsOn: ['Key'] } }));

      expect(problems).toEqual(['Topic.DependsOn: no such resource Key']);
    });
  });

  describe('conditions', () => {
    it('reports a condition that is not defined, on a resource, in Fn::If and in another condition', async () => {
      const template = only(
        {
          Topic: { Type: 'AWS::SNS::Topic', Condition: 'HasSlak', Properties: { TopicName: { 'Fn::If': ['HasEmail', 'alerts', { Ref: 'AWS::NoValue' }] } } },
        },
        { Conditions: { HasSlack: { 'Fn::Not': [{ Condition: 'HasNoSlack' }] } } },
      );

      const problems = await problemsOf(template);

      expect(problems).toEqual([
        'Topic.Condition: no such condition HasSlak',
        'Topic.Properties.TopicName: Fn::If: no such condition HasEmail',
        'Conditions.HasSlack.Fn::Not[0].Condition: no such condition HasNoSlack',
      ]);
    });
  });
});

describe('SPEC_PACKAGE', () => {
  it('names the spec package and the version installed, the one package.json pins', () => {
    const manifest: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

    expect(SPEC_PACKAGE.name).toBe('@aws-cdk/aws-service-spec');
    expect(manifest).toMatchObject({ devDependencies: { [SPEC_PACKAGE.name]: SPEC_PACKAGE.version } });
  });
});
