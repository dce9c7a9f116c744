/** The service processes against the worker registry: every job type has a worker, every human task escalates. */
import { describe, expect, it } from 'vitest';
import { loadProcessDefinitions } from '../../../server/processes/process-files';
import { workers } from '../../../workers/index';

describe('process models', () => {
  it('every job type of every process has a worker; every human task escalates and (except four-eyes releases) allows info requests', async () => {
    const defs = await loadProcessDefinitions(new URL('../../../processes', import.meta.url).pathname);
    for (const def of defs) {
      for (const type of def.serviceTaskTypes) expect(workers, `${def.serviceKey}: ${type}`).toHaveProperty([type]);
      for (const task of def.userTasks) {
        expect(task.jobWorker, `${def.serviceKey}/${task.id}`).toBe(true);
        expect(task.candidateGroups.length).toBeGreaterThan(0);
        // a four-eyes release (property fourEyes) decides on the file as the first person left it: no question to the applicant
        if (!task.properties.fourEyes) expect(task.properties.infoRequest, `${def.serviceKey}/${task.id}`).toBe('allowed');
        if (def.serviceKey === 'wohnsitzbestaetigung') continue;
        // a non-interrupting timer boundary event leads to escalate-to-teamlead
        const boundary = new RegExp(`<bpmn:boundaryEvent id="([^"]+)" name="[^"]*" cancelActivity="false" attachedToRef="${task.id}">`).exec(def.bpmnXml);
        expect(boundary, `${def.serviceKey}/${task.id} timer`).not.toBeNull();
        expect(def.bpmnXml).toContain('<zeebe:taskDefinition type="escalate-to-teamlead" />');
        expect(def.bpmnXml).toContain(`<bpmndi:BPMNShape id="${task.id}_di"`);
      }
    }
    expect(defs.map((d) => d.serviceKey).sort()).toEqual([
      'adressauskunft',
      'anwohnerparkkarte',
      'betreibungsregisterauszug',
      'datensperre',
      'fristerstreckung-steuern',
      'hundeanmeldung',
      'umzug',
      'wohnsitzbestaetigung',
    ]);
  });
});
