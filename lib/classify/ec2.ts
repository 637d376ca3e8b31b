import type { EcsEvent } from '../events/parse.ts';
import type { Finding, Subject } from './finding.ts';

type Ec2Event = Extract<EcsEvent, { kind: 'ec2SpotInterruption' | 'ec2Rebalance' | 'ec2StateChange' }>;

const ACTION_WORDS: Record<string, string> = {
  terminate: 'terminated',
  stop: 'stopped',
  hibernate: 'hibernated (with no two-minute lead)',
};

/** Classifies the EC2 signals that explain ECS capacity loss: Spot warnings, rebalance advice and instance state changes. */
export function classifyEc2(event: Ec2Event): { finding: Finding; subject: Subject } {
  const instanceId = event.detail['instance-id'] ?? null;
  const subject: Subject = { ec2InstanceId: instanceId };
  switch (event.kind) {
    case 'ec2SpotInterruption': {
      const action = event.detail['instance-action'] ?? 'terminate';
      return {
        finding: {
          category: 'ec2_spot_interruption_warning',
          cause: `EC2 is reclaiming Spot instance ${instanceId ?? '(unknown id)'}: it will be ${(Object.hasOwn(ACTION_WORDS, action) ? ACTION_WORDS[action] : undefined) ?? action} in about two minutes, with every ECS task on it.`,
        },
        subject: { ...subject, status: action },
      };
    }
    case 'ec2Rebalance':
      return { finding: { category: 'ec2_spot_rebalance_recommendation' }, subject };
    case 'ec2StateChange':
      return {
        finding: {
          category: 'ec2_instance_state_change',
          cause: `EC2 instance ${instanceId ?? '(unknown id)'} is ${event.detail.state ?? 'in an unreported state'}.`,
        },
        subject: { ...subject, status: event.detail.state ?? null },
      };
  }
}
