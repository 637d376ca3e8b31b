import { describe, expect, it } from 'vitest';
import { EVENTS_DIR } from '../../support/fixtures.ts';
import { replay, scenario } from '../../support/scenario-replay.ts';

// The stories whose scope is not a service: a managed daemon across its instances, a host and the tasks it took with it.

const path = (name: string): string => `${EVENTS_DIR}scenarios/${name}.jsonl`;

describe('daemon alerts', () => {
  it('are one story per daemon, across instances, titled by the daemon', async () => {
    const { sent } = await replay(scenario(path('daemon-failing-on-two-instances')));
    expect(sent.map((alert) => [alert.kind, alert.title, alert.facts.daemon])).toEqual([
      ['new', 'Daemon cannot start – daemon my-daemon (my-cluster)', 'my-daemon'],
      ['follow-up', 'Daemon cannot start – daemon my-daemon (my-cluster): 1 more task in 5 min', 'my-daemon'],
    ]);
  });

  it('page when a daemon rollout’s rollback fails', async () => {
    const { sent } = await replay(scenario(path('daemon-rollback-fails')));
    expect(sent.map((alert) => [alert.kind, alert.severity, alert.title])).toEqual([
      ['new', 'warning', 'Daemon deployment rolling back – daemon my-daemon (my-cluster)'],
      ['new', 'critical', 'Daemon rollback failed – daemon my-daemon (my-cluster)'],
    ]);
  });
});

describe('host loss', () => {
  it('tells the tasks a repaired host took with it as one alert for the host, whose follow-up names the rest', async () => {
    const { sent } = await replay(scenario(path('gpu-host-auto-repaired')));
    const host = sent.filter((alert) => alert.category === 'infrastructure_health_stop');
    expect(host.map((alert) => [alert.kind, alert.title, alert.key])).toEqual([
      ['new', 'Task stopped: host unhealthy – container instance a1b2c3d4 (my-cluster)', '123456789012|us-west-2|my-cluster|instance:a1b2c3d4e5f60718293a4b5c6d7e8f90|infrastructure_health_stop'],
      ['follow-up', 'Task stopped: host unhealthy – container instance a1b2c3d4 (my-cluster): 2 more tasks in 5 min', '123456789012|us-west-2|my-cluster|instance:a1b2c3d4e5f60718293a4b5c6d7e8f90|infrastructure_health_stop'],
    ]);
    expect(host[1]?.group.ids).toHaveLength(2);
  });
});
