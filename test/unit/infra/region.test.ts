import { describe, expect, it } from 'vitest';
import { NO_REGION, profileRegion, regionProblem, resolveRegion } from '../../../infra/region.ts';

const CONFIG = ['[default]', 'region = us-west-2', 'output = json', '', '[profile prod]', 'sso_session = corp', 'region=eu-central-1', '[profile bare]', 'output = text'].join('\n');

function config(text: string | null): (path: string) => string | null {
  return () => text;
}

describe('resolveRegion', () => {
  it('takes --region before AWS_REGION, AWS_REGION before AWS_DEFAULT_REGION, and that before the profile', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-southeast-2' };
    expect(resolveRegion({ option: 'eu-central-1', env, readConfig: config(CONFIG) })).toEqual({ region: 'eu-central-1', source: '--region' });
    expect(resolveRegion({ env, readConfig: config(CONFIG) })).toEqual({ region: 'eu-west-1', source: 'AWS_REGION' });
    expect(resolveRegion({ env: { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'ap-southeast-2' }, readConfig: config(CONFIG) })).toEqual({ region: 'ap-southeast-2', source: 'AWS_DEFAULT_REGION' });
    expect(resolveRegion({ env: {}, readConfig: config(CONFIG) })).toEqual({ region: 'us-west-2', source: 'profile' });
  });

  it('reads the profile --aws-profile or AWS_PROFILE names, from AWS_CONFIG_FILE when set', () => {
    const paths: string[] = [];
    const read = (path: string): string => {
      paths.push(path);
      return CONFIG;
    };
    expect(resolveRegion({ env: { AWS_PROFILE: 'prod', AWS_CONFIG_FILE: '/etc/aws/config' }, readConfig: read })).toEqual({ region: 'eu-central-1', source: 'profile' });
    expect(resolveRegion({ profileOption: 'default', env: { AWS_PROFILE: 'prod' }, readConfig: read })?.region).toBe('us-west-2');
    expect(paths[0]).toBe('/etc/aws/config');
  });

  it('gives null, never a guessed Region, when nothing names one', () => {
    expect(resolveRegion({ env: { AWS_PROFILE: 'bare' }, readConfig: config(CONFIG) })).toBeNull();
    expect(resolveRegion({ env: {}, readConfig: config(null) })).toBeNull();
    expect(NO_REGION).toContain('Pass --region');
  });
});

describe('profileRegion', () => {
  it('does not mistake a profile whose name contains another for it', () => {
    expect(profileRegion('[profile prod-eu]\nregion = eu-west-3\n[profile prod]\nregion = eu-north-1', 'prod')).toBe('eu-north-1');
    expect(profileRegion('[profile a.b]\nregion = eu-west-3', 'a-b')).toBeNull();
  });
});

describe('regionProblem', () => {
  it('accepts Region codes and refuses anything else', () => {
    expect(regionProblem('eu-west-1')).toBeNull();
    expect(regionProblem('us-gov-west-1')).toBeNull();
    expect(regionProblem('Ireland')).toBe('the Region "Ireland" is not an AWS Region code such as eu-west-1');
  });
});
