import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../http/page-routes.js';
import { loadConfig, parseConfig } from './load.js';

describe('podium.example.yaml', () => {
  it('is valid and states every default', () => {
    const example = loadConfig(join(projectRoot(), 'podium.example.yaml'));

    expect(example).toEqual(parseConfig({}));
  });
});
