import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventPatterns, MEMBER_TEMPLATE_FILE, memberAccountTemplate, memberAccountTemplateText } from '../../../infra/member-account.ts';

interface Rule {
  Type: string;
  Properties: { EventPattern: unknown; Targets: { Arn: unknown; RoleArn: unknown; DeadLetterConfig: unknown }[] };
}

function rulesOf(template: Record<string, unknown>): Rule[] {
  return Object.values(template.Resources as Record<string, { Type: string }>).filter((resource): resource is Rule => resource.Type === 'AWS::Events::Rule');
}

describe('memberAccountTemplate', () => {
  it('is what infra/member-account.json holds (run `npm run member-template` after changing the patterns)', () => {
    expect(readFileSync(MEMBER_TEMPLATE_FILE, 'utf8')).toBe(memberAccountTemplateText());
  });

  it('forwards with exactly the patterns of event-patterns.json, each to the central bus through the forwarding role', () => {
    const rules = rulesOf(memberAccountTemplate());
    expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual(Object.values(eventPatterns()));
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { Ref: 'CentralEventBusArn' },
          RoleArn: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${ForwardingRoleName}' },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ForwardingDeadLetterQueue', 'Arn'] } },
        }),
      ]);
    }
  });

  it('fails loudly when a pattern has no forwarding rule or a rule has no pattern', () => {
    expect(() => memberAccountTemplate({ ...eventPatterns(), daemon: {} })).toThrow('event-patterns.json has patterns with no forwarding rule: daemon');
    const { task: _task, ...withoutTask } = eventPatterns();
    expect(() => memberAccountTemplate(withoutTask)).toThrow('event-patterns.json has no "task" pattern');
  });

  it('creates the global roles in one Region only, so a StackSet can span several', () => {
    const resources = memberAccountTemplate().Resources as Record<string, { Condition?: string }>;
    expect(resources.LookupRole?.Condition).toBe('CreateGlobalResources');
    expect(resources.ForwardingRole?.Condition).toBe('CreateGlobalResources');
    expect(resources.TaskEventsForwardingRule?.Condition).toBeUndefined();
  });
});
