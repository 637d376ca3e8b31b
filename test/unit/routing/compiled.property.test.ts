import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileRoutes } from '../../../lib/routing/config.ts';
import { readCompiledRoutes, routeAlert } from '../../../lib/routing/route.ts';
import { parseRoutesFile } from '../../../lib/routing/routes-file.ts';
import { routesFile, worldAlert } from './arbitraries.ts';

describe('compiled routes', () => {
  it('route every alert as the routes file they were compiled from does, in YAML and in JSON', () => {
    fc.assert(
      fc.property(routesFile({ simple: false }), fc.array(worldAlert, { minLength: 1, maxLength: 20 }), (file, alerts) => {
        const fromYaml = parseRoutesFile(stringify(file), 'routes.yml');
        const fromJson = parseRoutesFile(JSON.stringify(file), 'routes.json');
        const compiled = readCompiledRoutes(compileRoutes(fromYaml));
        expect(fromJson).toEqual(fromYaml);
        expect(compiled).toEqual(fromYaml);
        for (const alert of alerts) expect(routeAlert(alert, compiled)).toEqual(routeAlert(alert, fromYaml));
      }),
      { numRuns: 300 },
    );
  });
});
