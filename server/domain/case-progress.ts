/**
 * A case's progress through its process: the BPMN (from the catalogue) with the elements already
 * passed and the ones waiting now, derived from the case's tasks and timeline. The process graph
 * (flow nodes, sequence flows) comes from bpmn-moddle (processes/process-files.ts).
 */
import type { Catalogue } from '../processes/catalogue';
import type { ProcessDefinitionFile, SequenceFlowInfo } from '../processes/process-files';
import type { Repositories } from '../repositories';
import type { User } from '../repositories/users';
import { visibleCase } from './cases';

export async function caseProgress(repos: Repositories, catalogue: Catalogue, user: User, reference: string) {
  const c = await visibleCase(repos, user, reference);
  const service = catalogue.get(c.serviceKey);
  if (!service) return { processId: c.processId, xml: null, completed: [], active: [], flows: [] };
  const def = service.definition;
  const [tasks, timeline] = await Promise.all([repos.tasks.forCase(c.id), repos.timeline.forCase(c.id)]);
  const completed = new Set<string>();
  const active = new Set<string>();
  for (const t of tasks) {
    if (t.state === 'open') active.add(t.elementId);
    else if (t.state === 'completed') completed.add(t.elementId);
  }
  const flows = def.sequenceFlows;
  for (const e of timeline) {
    if (e.type !== 'worker.completed') continue;
    const elementId = typeof e.details?.elementId === 'string' ? e.details.elementId : undefined;
    if (elementId) {
      completed.add(elementId);
      continue;
    }
    // older events carry only the job type and the step name in the label
    const candidates = def.serviceTasks.filter((s) => s.type === e.details?.jobType && e.label.endsWith(`: ${s.name ?? s.id}`));
    if (candidates.length === 1) completed.add(candidates[0]!.id);
    else if (candidates.length > 1) {
      // same type and name twice (e.g. notify on both branches): take one whose predecessor is done
      const pick = candidates.find((s) => flows.some((f) => f.target === s.id && completed.has(f.source))) ?? candidates.find((s) => !completed.has(s.id));
      if (pick) completed.add(pick.id);
    }
  }
  const started = c.processInstanceKey !== null || timeline.some((e) => e.type === 'process.started');
  if (started) for (const id of nodesOfType(def, 'bpmn:StartEvent')) completed.add(id);
  passGatewaysAndEnds(def, flows, completed, active, ['completed', 'rejected'].includes(c.status));
  const takenFlows = flows.filter((f) => completed.has(f.source) && (completed.has(f.target) || active.has(f.target))).map((f) => f.id);
  return { processId: def.processId, xml: def.bpmnXml, completed: [...completed], active: [...active], flows: takenFlows };
}

/** Gateways and end events between passed elements count as passed (an end event once the case is closed). */
function passGatewaysAndEnds(def: ProcessDefinitionFile, flows: SequenceFlowInfo[], completed: Set<string>, active: Set<string>, closed: boolean): void {
  const endEvents = new Set(nodesOfType(def, 'bpmn:EndEvent'));
  const passThrough = new Set([...nodesOfType(def, 'bpmn:ExclusiveGateway'), ...nodesOfType(def, 'bpmn:ParallelGateway'), ...endEvents]);
  for (let changed = true; changed;) {
    changed = false;
    for (const f of flows) {
      if (!completed.has(f.source) || completed.has(f.target) || !passThrough.has(f.target)) continue;
      const isEnd = endEvents.has(f.target);
      const leadsOn = flows.some((g) => g.source === f.target && (completed.has(g.target) || active.has(g.target)));
      if ((isEnd && closed) || leadsOn) {
        completed.add(f.target);
        changed = true;
      }
    }
  }
}

function nodesOfType(def: ProcessDefinitionFile, type: string): string[] {
  return def.flowNodes.filter((n) => n.type === type).map((n) => n.id);
}
