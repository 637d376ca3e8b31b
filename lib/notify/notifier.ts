import type { Alert } from '../alerts/alert.ts';

/** The one way alerts leave the system: SNS in AWS; the terminal, a file, SNS or Slack in the replay. */
export interface Notifier {
  publish(alert: Alert): Promise<void>;
}
