import type { EcsEvent } from '../events/parse.ts';
import { classifyContainerInstance, classifyContainerInstanceHealth } from './container-instance.ts';
import { classifyDaemonDeployment } from './daemon-deployment.ts';
import { classifyDaemonServiceAction } from './daemon-service-action.ts';
import { classifyDeployment } from './deployment.ts';
import { classifyEc2 } from './ec2.ts';
import { buildClassification, type Finding, type Subject } from './finding.ts';
import { classifyHealth } from './health.ts';
import { classifyHook } from './hook.ts';
import { classifyServiceAction } from './service-action.ts';
import { classifyTask, type TaskContext } from './task.ts';
import type { Classification } from './verdict.ts';

export type ClassifyContext = TaskContext;

function decide(event: EcsEvent, context: ClassifyContext): { finding: Finding; subject: Subject } {
  switch (event.kind) {
    case 'task':
      return classifyTask(event, context);
    case 'serviceAction':
      return classifyServiceAction(event);
    case 'deployment':
      return classifyDeployment(event);
    case 'hook':
      return classifyHook(event);
    case 'daemonServiceAction':
      return classifyDaemonServiceAction(event);
    case 'daemonDeployment':
      return classifyDaemonDeployment(event);
    case 'containerInstance':
      return classifyContainerInstance(event);
    case 'containerInstanceHealth':
      return classifyContainerInstanceHealth(event);
    case 'ec2SpotInterruption':
    case 'ec2Rebalance':
    case 'ec2StateChange':
      return classifyEc2(event);
    case 'health':
      return classifyHealth(event);
    case 'unsupported':
      return {
        finding: { category: 'unsupported', cause: `This tool does not handle "${event.envelope.detailType}" events.` },
        subject: {},
      };
  }
}

/**
 * The verdict for one parsed event: category, severity, who is affected, why, and what to do. Pure.
 *
 * @example classify(parseEvent(event, 'stdin')).category // 'oom'
 */
export function classify(event: EcsEvent, context: ClassifyContext = {}): Classification {
  const { finding, subject } = decide(event, context);
  return buildClassification(event.envelope, finding, subject, event.warnings);
}
