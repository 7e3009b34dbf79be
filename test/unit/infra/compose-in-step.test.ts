import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_IMAGES, PROJECT_ROOT } from '../../../src/infra/tools';
import { DEFAULT_WORKER_HEAP_MIB } from '../../../src/infra/worker/worker-heap';

/**
 * docker-compose.yml cannot run in CI (no Docker engine), so this holds it to the script that is
 * tested (`npm run cluster`, `npm run test:cluster`): the same versions, config and exposure.
 */
const compose = readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');

/** The text of each top-level service, by name (the file's own two-space layout). */
const services = (): Map<string, string> => {
  const body = compose.slice(compose.indexOf('\nservices:\n'), compose.indexOf('\nvolumes:\n'));
  const blocks = body.split(/\n(?= {2}[a-z][a-z-]*:\n)/).slice(1);
  return new Map(blocks.map((block) => [/^ {2}([a-z-]+):/.exec(block)![1]!, block]));
};

describe('docker-compose.yml is in step with the tested cluster script', () => {
  it('uses exactly the pinned images: the tested server version, its admin tools, the UI, PostgreSQL', () => {
    const images = [...compose.matchAll(/^\s+image: (\S+)$/gm)].map((match) => match[1]);
    expect(new Set(images)).toEqual(new Set(Object.values(COMPOSE_IMAGES)));
  });

  it('starts the server from the checked-in config and dynamic config that npm run cluster uses', () => {
    const temporal = services().get('temporal')!;
    expect(temporal).toContain(`'--config', '/etc/approval/temporal/config', '--env', 'cluster'`);
    expect(temporal).toContain('./deploy/temporal:/etc/approval/temporal:ro');
    const dynamicConfig = /CLUSTER_DYNAMIC_CONFIG: \/etc\/approval\/temporal\/(\S+)/.exec(temporal)?.[1];
    expect(dynamicConfig && existsSync(path.join(PROJECT_ROOT, 'deploy/temporal', dynamicConfig))).toBe(true);
    const template = readFileSync(path.join(PROJECT_ROOT, 'deploy/temporal/config/cluster.yaml'), 'utf8');
    const required = [...template.matchAll(/env "(CLUSTER_[A-Z_]+)" }}/g)].map((match) => match[1]);
    for (const variable of required) expect(temporal, `${variable} has no default in the template`).toContain(`${variable}:`);
  });

  it('sets up both schemas with the same embedded schema names as the script', () => {
    const script = readFileSync(path.join(PROJECT_ROOT, 'src/infra/cluster/temporal-schema.ts'), 'utf8');
    for (const schema of ['temporal', 'visibility']) expect(script).toContain(`postgresql/v12/${schema}`);
    expect(services().get('temporal-schema')).toMatch(/temporal:temporal temporal_visibility:visibility/);
  });

  it('publishes Temporal (frontend, Web UI) on loopback only, and nothing of PostgreSQL', () => {
    const all = services();
    for (const name of ['temporal', 'temporal-ui']) {
      const ports = /ports: \[(.*)\]/.exec(all.get(name)!)?.[1] ?? '';
      expect(
        ports.split(',').every((entry) => entry.trim().startsWith("'127.0.0.1:")),
        `${name}: ${ports}`,
      ).toBe(true);
    }
    expect(all.get('postgresql')).not.toMatch(/ports:/);
    expect(all.get('temporal')).toContain('CLUSTER_FRONTEND_BIND_IP: 0.0.0.0');
  });

  it('gives the worker and the API the client certificate under the same variable names as the engine', () => {
    for (const name of ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_SERVER_NAME']) {
      expect(compose).toMatch(new RegExp(`x-engine-temporal:[^]*${name}: `));
    }
    for (const name of ['worker', 'api']) expect(services().get(name)).toContain('<<: *engine-temporal');
  });

  it('gives the worker the heap limit the scripts give it, and the API none', () => {
    expect(services().get('worker')).toContain(`NODE_OPTIONS: --max-old-space-size=${DEFAULT_WORKER_HEAP_MIB}`);
    expect(services().get('api')).not.toContain('max-old-space-size');
  });
});
