import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isServiceDefinition, toServiceEntry } from '../../../server/processes/service-entry.js';
import { loadProcessDefinitions, type FormFile } from '../../../server/processes/process-files.js';

const processesDir = fileURLToPath(new URL('../../../processes', import.meta.url));

const baseProperties: Record<string, string> = {
  'service.name': 'Testdienst',
  'service.description': 'Ein Dienst für Tests.',
  'service.authority': 'canton',
  'service.startForm': 'start',
  'service.identity': 'none',
  'service.category': 'wohnen',
};

function def(properties: Record<string, string>) {
  const forms = new Map<string, FormFile>([['start', { id: 'start', path: 'x/start.form', schema: { id: 'start', components: [] } }]]);
  return { serviceKey: 'test', bpmnPath: 'processes/test/test.bpmn', properties, forms };
}

describe('toServiceEntry', () => {
  it('builds the entry of the real wohnsitzbestaetigung process', async () => {
    const defs = await loadProcessDefinitions(processesDir);
    const d = defs.find((x) => x.serviceKey === 'wohnsitzbestaetigung')!;
    expect(isServiceDefinition(d)).toBe(true);
    expect(toServiceEntry(d)).toEqual({
      key: 'wohnsitzbestaetigung',
      name: 'Wohnsitzbestätigung',
      description: d.properties['service.description'],
      authority: 'municipality',
      fee: { amount: 30, currency: 'CHF' },
      feeIsDemo: true,
      targetDays: 2,
      startFormId: 'wohnsitzbestaetigung-start',
      identity: 'verified',
      category: 'wohnen',
      residenceBound: true,
      locatedAt: null,
      office: null,
    });
  });

  it('defaults optional properties: no fee, not demo, no target', () => {
    expect(toServiceEntry(def(baseProperties))).toEqual({
      key: 'test',
      name: 'Testdienst',
      description: 'Ein Dienst für Tests.',
      authority: 'canton',
      fee: null,
      feeIsDemo: false,
      targetDays: null,
      startFormId: 'start',
      identity: 'none',
      category: 'wohnen',
      residenceBound: false,
      locatedAt: null,
      office: null,
    });
    expect(toServiceEntry(def({ ...baseProperties, 'service.feeChf': '0.00' })).fee).toBeNull();
    expect(toServiceEntry(def({ ...baseProperties, 'service.feeChf': '' })).fee).toBeNull();
    expect(toServiceEntry(def({ ...baseProperties, 'service.feeChf': '17.5' })).fee).toEqual({
      amount: 17.5,
      currency: 'CHF',
    });
  });

  it('names the file and the missing property', () => {
    const { ['service.authority']: _omit, ...rest } = baseProperties;
    expect(() => toServiceEntry(def(rest))).toThrow(/processes\/test\/test\.bpmn: property "service\.authority" is missing/);
  });

  it('names the file and the invalid property', () => {
    expect(() => toServiceEntry(def({ ...baseProperties, 'service.authority': 'bund' }))).toThrow(/test\.bpmn: property "service\.authority" is invalid/);
    expect(() => toServiceEntry(def({ ...baseProperties, 'service.feeChf': '30,00' }))).toThrow(/property "service\.feeChf" is invalid/);
    expect(() => toServiceEntry(def({ ...baseProperties, 'service.targetDays': '1.5' }))).toThrow(/property "service\.targetDays" is invalid/);
    expect(() => toServiceEntry(def({ ...baseProperties, 'service.feeIsDemo': 'ja' }))).toThrow(/property "service\.feeIsDemo" is invalid/);
  });

  it('requires the start form to exist in the folder', () => {
    expect(() => toServiceEntry(def({ ...baseProperties, 'service.startForm': 'nope' }))).toThrow(/property "service\.startForm" names form "nope"/);
  });
});
