/**
 * Checks a process (BPMN + forms) before deploy: bpmnlint with the camunda-compat rules for the
 * pinned Zeebe version (8.5) plus the project's own rules. Errors block the deploy; warnings not.
 */
import { createRequire } from 'node:module';
import type { ModdleElement } from 'bpmn-moddle';
import { extensions, flowElements, moddleFromXml, zeebeProperties } from './process-files.js';
import { IDENTITY_LEVELS, REGISTER_RELEASING_JOB_TYPES, THIRD_PARTY_RELEASING_JOB_TYPES } from './service-entry.js';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: new (opts: unknown) => { lint(root: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: string }>>> } };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;

export const ZEEBE_COMPAT_CONFIG = 'plugin:camunda-compat/camunda-cloud-8-5';

export interface Finding {
  /** the BPMN element id (or "forms/<id>", "process") */
  path: string;
  message: string;
  severity: 'error' | 'warning';
  rule: string;
}

export interface CheckContext {
  /** job types with a registered worker */
  workerTypes: Set<string>;
  /** form ids available with the process */
  formIds: Set<string>;
  /** the process id the service must keep */
  expectedProcessId?: string;
}

let linter: { lint(root: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: string }>>> } | undefined;

function getLinter() {
  linter ??= new Linter({ config: { extends: [ZEEBE_COMPAT_CONFIG] }, resolver: new NodeResolver() });
  return linter;
}

export async function checkProcess(xml: string, ctx: CheckContext): Promise<Finding[]> {
  let definitions: ModdleElement;
  try {
    ({ rootElement: definitions } = await moddleFromXml(xml));
  } catch (err) {
    return [{ path: 'process', message: `BPMN nicht lesbar: ${(err as Error).message}`, severity: 'error', rule: 'parse' }];
  }
  const findings: Finding[] = [];
  const reports = await getLinter().lint(definitions);
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) {
      if (r.category === 'off' || r.category === 'info') continue;
      findings.push({ path: r.id ?? 'process', message: r.message, severity: r.category === 'error' || r.category === 'rule-error' ? 'error' : 'warning', rule });
    }
  }
  findings.push(...ownRules(definitions, ctx));
  return findings;
}

function ownRules(definitions: ModdleElement, ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const error = (path: string, rule: string, message: string) => out.push({ path, message, severity: 'error', rule });
  const processes = ((definitions.rootElements ?? []) as ModdleElement[]).filter((e) => e.$type === 'bpmn:Process' && e.isExecutable);
  if (processes.length !== 1) {
    error('process', 'lu/one-process', `Genau ein ausführbarer Prozess erwartet, gefunden: ${processes.length}`);
    return out;
  }
  const proc = processes[0]!;
  if (ctx.expectedProcessId && proc.id !== ctx.expectedProcessId) {
    error(String(proc.id), 'lu/process-id', `Die Prozess-ID muss «${ctx.expectedProcessId}» bleiben`);
  }
  const props = zeebeProperties(proc);
  const startForm = props['service.startForm'];
  if (!startForm) error(String(proc.id), 'lu/start-form', 'Die Prozess-Eigenschaft service.startForm (Startformular) fehlt');
  else if (!ctx.formIds.has(startForm)) error(String(proc.id), 'lu/start-form', `Das Startformular «${startForm}» existiert nicht`);
  for (const name of ['service.name', 'service.description', 'service.authority']) {
    if (!props[name]?.trim()) error(String(proc.id), 'lu/service-properties', `Die Prozess-Eigenschaft ${name} fehlt`);
  }

  checkIdentity(proc, props, error);
  checkFourEyes(proc, error);
  checkContainer(proc, ctx, error, true);
  return out;
}

/** service.identity and service.category (DESIGN.md §6): register data only to a verified identity. */
function checkIdentity(proc: ModdleElement, props: Record<string, string>, error: (path: string, rule: string, message: string) => void): void {
  const id = String(proc.id);
  const level = props['service.identity']?.trim();
  if (!level) error(id, 'lu/identity', 'Die Prozess-Eigenschaft service.identity (none, login oder verified) fehlt');
  else if (!(IDENTITY_LEVELS as readonly string[]).includes(level)) error(id, 'lu/identity', `service.identity «${level}» ist ungültig (none, login oder verified)`);
  if (!props['service.category']?.trim()) error(id, 'lu/service-properties', 'Die Prozess-Eigenschaft service.category (Lebenslage, z. B. wohnen) fehlt');
  if (level === 'verified') return;
  for (const el of flowElements(proc)) {
    const type = extensions(el, 'zeebe:TaskDefinition')[0]?.type;
    if (typeof type === 'string' && REGISTER_RELEASING_JOB_TYPES.has(type)) {
      error(String(el.id), 'lu/identity', `«${type}» gibt Registerdaten automatisch heraus: service.identity muss «verified» sein`);
    }
    // name and address of another person: the requester must at least be signed in (service-entry.ts)
    if (typeof type === 'string' && THIRD_PARTY_RELEASING_JOB_TYPES.has(type) && level !== 'login') {
      error(String(el.id), 'lu/identity', `«${type}» gibt die Adresse einer anderen Person heraus: service.identity muss «login» oder «verified» sein`);
    }
  }
}

/**
 * Four-eyes principle (user task property fourEyes=<element id>): the named element must be a user
 * task of the same process other than the task itself; whoever completed it in a case may then not
 * claim, be assigned or complete this task (domain/tasks.ts).
 */
function checkFourEyes(proc: ModdleElement, error: (path: string, rule: string, message: string) => void): void {
  const all = flowElements(proc);
  const byId = new Map(all.map((el) => [String(el.id), el]));
  for (const el of all) {
    if (!el.$instanceOf('bpmn:FlowNode')) continue;
    const props = zeebeProperties(el);
    if (!('fourEyes' in props)) continue;
    const id = String(el.id);
    const target = props.fourEyes!.trim();
    if (!el.$instanceOf('bpmn:UserTask')) error(id, 'lu/four-eyes', `fourEyes gilt nur für Benutzeraufgaben (${id} ist keine)`);
    else if (!target) error(id, 'lu/four-eyes', `${id}: fourEyes nennt keine Aufgabe`);
    else if (target === id) error(id, 'lu/four-eyes', `${id}: fourEyes darf nicht die Aufgabe selbst nennen`);
    else if (!byId.has(target)) error(id, 'lu/four-eyes', `${id}: fourEyes nennt «${target}», ein solches Element gibt es im Prozess nicht`);
    else if (!byId.get(target)!.$instanceOf('bpmn:UserTask')) error(id, 'lu/four-eyes', `${id}: fourEyes nennt «${target}», das ist keine Benutzeraufgabe`);
  }
}

function checkContainer(container: ModdleElement, ctx: CheckContext, error: (path: string, rule: string, message: string) => void, topLevel: boolean): void {
  const elements = (container.flowElements ?? []) as ModdleElement[];
  const nodes = elements.filter((e) => !e.$instanceOf('bpmn:SequenceFlow'));
  for (const el of nodes) {
    const id = String(el.id);
    if (el.$instanceOf('bpmn:UserTask')) {
      if (extensions(el, 'zeebe:UserTask').length > 0) error(id, 'lu/job-worker-user-task', 'Benutzeraufgaben müssen Job-Worker-Aufgaben sein (ohne zeebe:userTask)');
      const groups = String(extensions(el, 'zeebe:AssignmentDefinition')[0]?.candidateGroups ?? '').trim();
      if (!groups) error(id, 'lu/candidate-groups', 'Die Benutzeraufgabe hat keine Kandidatengruppen');
      const formKey = String(extensions(el, 'zeebe:FormDefinition')[0]?.formKey ?? '').trim();
      if (!formKey) error(id, 'lu/task-form', 'Die Benutzeraufgabe hat kein Formular (formKey)');
      else if (!ctx.formIds.has(formKey)) error(id, 'lu/task-form', `Das Formular «${formKey}» existiert nicht`);
    } else {
      const type = extensions(el, 'zeebe:TaskDefinition')[0]?.type;
      if (typeof type === 'string' && type && !type.startsWith('=') && !ctx.workerTypes.has(type)) {
        error(id, 'lu/worker', `Für den Aufgabentyp «${type}» ist kein Worker registriert`);
      }
    }
    if (el.$instanceOf('bpmn:SubProcess')) checkContainer(el, ctx, error, false);
  }
  // dead ends: every node except end events (and boundary-less compensation) needs an outgoing flow
  for (const el of nodes) {
    if (el.$instanceOf('bpmn:EndEvent')) continue;
    if (el.$instanceOf('bpmn:SubProcess') && el.triggeredByEvent) continue;
    if (((el.outgoing ?? []) as unknown[]).length === 0) error(String(el.id), 'lu/dead-end', 'Sackgasse: das Element hat keinen ausgehenden Fluss');
  }
  // reachability from the start events (and boundary events, which start with their host)
  const reached = new Set<string>();
  const queue = nodes.filter((e) => e.$instanceOf('bpmn:StartEvent'));
  if (queue.length === 0 && topLevel) error(String(container.id), 'lu/start-event', 'Der Prozess hat kein Startereignis');
  while (queue.length > 0) {
    const el = queue.shift()!;
    if (reached.has(String(el.id))) continue;
    reached.add(String(el.id));
    for (const flow of (el.outgoing ?? []) as ModdleElement[]) if (flow.targetRef) queue.push(flow.targetRef as ModdleElement);
    for (const b of nodes.filter((n) => n.$instanceOf('bpmn:BoundaryEvent') && (n.attachedToRef as ModdleElement | undefined)?.id === el.id)) queue.push(b);
  }
  for (const el of nodes) {
    if (el.$instanceOf('bpmn:SubProcess') && el.triggeredByEvent) continue;
    if (!reached.has(String(el.id))) error(String(el.id), 'lu/unreachable', 'Das Element ist von keinem Startereignis aus erreichbar');
  }
}
