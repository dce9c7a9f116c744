/**
 * Reads the process folders: `processes/<service>/*.bpmn` and `processes/<service>/*.form`.
 *
 * Pure file reading and parsing (bpmn-moddle with the Zeebe extension); no database, no engine.
 * The result feeds deployment (bpmnXml, sha256), the service catalogue (properties, forms) and
 * the user-task projection (userTasks: form keys and candidate groups).
 */
import { sha256 } from '../lib/hash';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import BpmnModdle, { type ModdleElement } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { z } from 'zod';
import { assertUsableFormSchema, type FormSchema } from './form-validation.js';

export interface FormFile {
  id: string;
  /** absolute (or processesDir-relative, as passed in) path of the .form file */
  path: string;
  schema: FormSchema;
}

export interface UserTaskInfo {
  id: string;
  name: string | null;
  /** zeebe:formDefinition formKey (job-worker user tasks use a custom key, e.g. "wohnsitz-pruefen") */
  formKey: string | null;
  /** zeebe:formDefinition formId (linked Camunda form), if used instead of formKey */
  formId: string | null;
  /** static candidate groups (comma separated in the BPMN); empty when an expression is used */
  candidateGroups: string[];
  /** the raw FEEL expression when candidateGroups starts with "=" */
  candidateGroupsExpression: string | null;
  assignee: string | null;
  /** raw zeebe:taskSchedule dueDate (usually a FEEL expression) */
  dueDate: string | null;
  /** true for job-worker user tasks (no <zeebe:userTask/>), the kind the back office handles */
  jobWorker: boolean;
  /** zeebe:properties of the user task, e.g. infoRequest=allowed */
  properties: Record<string, string>;
}

export interface ServiceTaskInfo {
  id: string;
  name: string | null;
  /** zeebe:taskDefinition type = the job type a worker subscribes to */
  type: string;
  headers: Record<string, string>;
  /**
   * The error codes a BPMN error thrown here is caught by (boundary events of the task and of
   * its enclosing subprocesses, error event subprocesses of those scopes); 'all' for a catch
   * without a code. Anything else raises a Zeebe incident the gateway cannot list.
   */
  caughtErrors: string[] | 'all';
}

/** A flow node of the process (task, event, gateway, subprocess), subprocesses' nodes included. */
export interface FlowNodeInfo {
  id: string;
  /** the moddle type, e.g. `bpmn:StartEvent`, `bpmn:ExclusiveGateway` */
  type: string;
  name: string | null;
}

export interface SequenceFlowInfo {
  id: string;
  source: string;
  target: string;
}

export interface ParsedProcess {
  processId: string;
  processName: string;
  /** zeebe:properties of the process element (catalogue data such as service.name) */
  properties: Record<string, string>;
  userTasks: UserTaskInfo[];
  serviceTasks: ServiceTaskInfo[];
  /** distinct job types, in document order */
  serviceTaskTypes: string[];
  /** every flow node and sequence flow: the process graph (progress diagram, element names) */
  flowNodes: FlowNodeInfo[];
  sequenceFlows: SequenceFlowInfo[];
  /** bpmn-moddle import warnings (unknown elements, broken references) */
  warnings: string[];
}

export interface ProcessDefinitionFile extends ParsedProcess {
  /** the folder name below processes/ */
  serviceKey: string;
  bpmnPath: string;
  bpmnXml: string;
  /** hex SHA-256 of the BPMN file bytes */
  sha256: string;
  /** all forms of the service folder, by form id */
  forms: Map<string, FormFile>;
}

let moddle: BpmnModdle | undefined;
function getModdle(): BpmnModdle {
  moddle ??= new BpmnModdle({ zeebe: zeebeSchema });
  return moddle;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function extensions(element: ModdleElement, type: string): ModdleElement[] {
  const ext = element.extensionElements as ModdleElement | undefined;
  const values = (ext?.values ?? []) as ModdleElement[];
  return values.filter((v) => v.$type === type);
}

/** The flow elements of a process or subprocess, those of nested subprocesses included (document order). */
export function flowElements(container: ModdleElement): ModdleElement[] {
  const out: ModdleElement[] = [];
  for (const el of (container.flowElements ?? []) as ModdleElement[]) {
    out.push(el);
    if (el.$instanceOf('bpmn:SubProcess')) out.push(...flowElements(el));
  }
  return out;
}

/** Reads BPMN XML into the moddle tree (with the Zeebe extension). */
export async function moddleFromXml(xml: string) {
  return getModdle().fromXML(xml, 'bpmn:Definitions');
}

/** Parses one BPMN document; `source` names the file in error messages. */
export async function parseProcessXml(xml: string, source: string): Promise<ParsedProcess> {
  let result;
  try {
    result = await getModdle().fromXML(xml, 'bpmn:Definitions');
  } catch (err) {
    throw new Error(`${source}: not a readable BPMN document: ${(err as Error).message}`, { cause: err });
  }
  const warnings = result.warnings.map((w) => w.message);
  const definitions = result.rootElement;
  const processes = ((definitions.rootElements ?? []) as ModdleElement[]).filter((e) => e.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p.isExecutable === true);
  if (executable.length !== 1) {
    throw new Error(`${source}: expected exactly one executable bpmn:process, found ${executable.length}`);
  }
  const proc = executable[0]!;
  const processId = str(proc.id);
  if (!processId) throw new Error(`${source}: the process has no id`);

  const properties = zeebeProperties(proc);

  const userTasks: UserTaskInfo[] = [];
  const serviceTasks: ServiceTaskInfo[] = [];
  const flowNodes: FlowNodeInfo[] = [];
  const sequenceFlows: SequenceFlowInfo[] = [];
  const errorBoundaries = errorBoundariesByActivity(flowElements(proc));
  for (const el of flowElements(proc)) {
    const id = String(el.id);
    const name = str(el.name);
    if (el.$instanceOf('bpmn:SequenceFlow')) {
      const source = str((el.sourceRef as ModdleElement | undefined)?.id);
      const target = str((el.targetRef as ModdleElement | undefined)?.id);
      if (source && target) sequenceFlows.push({ id, source, target });
      continue;
    }
    if (el.$instanceOf('bpmn:FlowNode')) flowNodes.push({ id, type: el.$type, name });
    if (el.$instanceOf('bpmn:UserTask')) {
      const assignment = extensions(el, 'zeebe:AssignmentDefinition')[0];
      const form = extensions(el, 'zeebe:FormDefinition')[0];
      const schedule = extensions(el, 'zeebe:TaskSchedule')[0];
      const groupsRaw = str(assignment?.candidateGroups)?.trim() ?? null;
      const isExpression = groupsRaw?.startsWith('=') ?? false;
      userTasks.push({
        id,
        name,
        formKey: str(form?.formKey),
        formId: str(form?.formId),
        candidateGroups:
          groupsRaw && !isExpression
            ? groupsRaw
                .split(',')
                .map((g) => g.trim())
                .filter(Boolean)
            : [],
        candidateGroupsExpression: isExpression ? groupsRaw : null,
        assignee: str(assignment?.assignee),
        dueDate: str(schedule?.dueDate),
        jobWorker: extensions(el, 'zeebe:UserTask').length === 0,
        properties: zeebeProperties(el),
      });
      continue;
    }
    const taskDefinition = extensions(el, 'zeebe:TaskDefinition')[0];
    const type = str(taskDefinition?.type);
    if (!type) continue;
    const headerEntries: Array<[string, string]> = [];
    for (const headers of extensions(el, 'zeebe:TaskHeaders')) {
      for (const h of (headers.values ?? []) as ModdleElement[]) {
        const key = str(h.key);
        if (key) headerEntries.push([key, typeof h.value === 'string' ? h.value : '']);
      }
    }
    serviceTasks.push({
      id,
      name,
      type,
      headers: Object.fromEntries(headerEntries) as Record<string, string>,
      caughtErrors: caughtErrors(el, errorBoundaries),
    });
  }

  return {
    processId,
    processName: str(proc.name) ?? processId,
    properties,
    userTasks,
    serviceTasks,
    serviceTaskTypes: [...new Set(serviceTasks.map((t) => t.type))],
    flowNodes,
    sequenceFlows,
    warnings,
  };
}

/** the code an error event definition catches; undefined: every code (no error or no code, or an expression) */
function caughtCode(definition: ModdleElement): string | undefined {
  const code = str((definition.errorRef as ModdleElement | undefined)?.errorCode);
  return code && !code.startsWith('=') ? code : undefined;
}

function errorDefinitions(event: ModdleElement): ModdleElement[] {
  return ((event.eventDefinitions ?? []) as ModdleElement[]).filter((d) => d.$instanceOf('bpmn:ErrorEventDefinition'));
}

/** activity id → the codes its error boundary events catch (undefined: a catch-all) */
function errorBoundariesByActivity(elements: ModdleElement[]): Map<string, (string | undefined)[]> {
  const byActivity = new Map<string, (string | undefined)[]>();
  for (const el of elements) {
    if (!el.$instanceOf('bpmn:BoundaryEvent')) continue;
    const activity = str((el.attachedToRef as ModdleElement | undefined)?.id);
    if (!activity) continue;
    for (const d of errorDefinitions(el)) byActivity.set(activity, [...(byActivity.get(activity) ?? []), caughtCode(d)]);
  }
  return byActivity;
}

/** What catches a BPMN error thrown at `task`, scope by scope outwards (BPMN 2.0 §10.5.6 error propagation). */
function caughtErrors(task: ModdleElement, boundaries: Map<string, (string | undefined)[]>): string[] | 'all' {
  const codes = new Set<string>();
  for (let scope: ModdleElement | undefined = task; scope && !scope.$instanceOf('bpmn:Definitions'); scope = scope.$parent as ModdleElement | undefined) {
    const catches = [...(boundaries.get(String(scope.id)) ?? [])];
    for (const sub of (scope.flowElements ?? []) as ModdleElement[]) {
      if (!sub.$instanceOf('bpmn:SubProcess') || sub.triggeredByEvent !== true) continue;
      for (const start of (sub.flowElements ?? []) as ModdleElement[]) if (start.$instanceOf('bpmn:StartEvent')) catches.push(...errorDefinitions(start).map(caughtCode));
    }
    for (const code of catches) {
      if (code === undefined) return 'all';
      codes.add(code);
    }
  }
  return [...codes];
}

export function zeebeProperties(element: ModdleElement): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const props of extensions(element, 'zeebe:Properties')) {
    for (const p of (props.properties ?? []) as ModdleElement[]) {
      const name = str(p.name);
      if (name) entries.push([name, typeof p.value === 'string' ? p.value : '']);
    }
  }
  // Object.fromEntries defines own properties: a "__proto__" name cannot touch the prototype.
  return Object.fromEntries(entries) as Record<string, string>;
}

const formFileSchema = z
  .object({
    id: z.string().min(1),
    components: z.array(z.object({ type: z.string() }).passthrough()),
  })
  .passthrough();

/** Parses a Camunda Form (form-js JSON); `source` names the file in error messages. */
export function parseFormSchema(text: string, source: string): FormSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = formFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source}: not a Camunda form (${issues})`);
  }
  // keep the file's own object (key order as written) for clients that render it
  const schema = json as FormSchema;
  try {
    assertUsableFormSchema(schema);
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`, { cause: err });
  }
  return schema;
}

/** A form as kept with a process version: file name in the service folder and schema. */
export interface ContentForm {
  fileName: string;
  schema: FormSchema;
}

/**
 * Builds a definition from stored content (a deployed version or a draft): the same parsing and
 * checks as for files. `bpmnPath` is the file the content would have in processes/<service>/.
 */
export async function definitionFromContent(serviceKey: string, bpmnXml: string, forms: Array<{ fileName: string; schema: unknown }>): Promise<ProcessDefinitionFile> {
  const bpmnPath = `processes/${serviceKey}/${serviceKey}.bpmn`;
  const formMap = new Map<string, FormFile>();
  for (const f of forms) {
    const formPath = `processes/${serviceKey}/${f.fileName}`;
    const schema = parseFormSchema(JSON.stringify(f.schema), formPath);
    const existing = formMap.get(schema.id);
    if (existing) throw new Error(`${formPath}: form id "${schema.id}" is also used by ${existing.path}`);
    formMap.set(schema.id, { id: schema.id, path: formPath, schema });
  }
  const parsed = await parseProcessXml(bpmnXml, bpmnPath);
  return { serviceKey, bpmnPath, bpmnXml, sha256: sha256(bpmnXml), forms: formMap, ...parsed };
}

/** The forms of a definition as stored content (file names without folder). */
/**
 * Zeebe keeps one version per byte-identical BPMN resource, so a deploy that changes only forms
 * would get the existing version back and its forms would never be stored or reach the other
 * processes. The deployed bytes therefore end with a comment naming the forms' hash: the same
 * content deploys as the same version, new forms as a new one. bpmn-js drops the comment on import.
 */
export function withFormsStamp(xml: string, forms: unknown): string {
  const bare = xml.replace(/\s*<!-- lu:forms [0-9a-f]{64} -->\s*$/, '').trimEnd();
  return `${bare}\n<!-- lu:forms ${sha256(JSON.stringify(forms))} -->\n`;
}

export function contentForms(definition: Pick<ProcessDefinitionFile, 'forms'>): ContentForm[] {
  return [...definition.forms.values()].map((f) => ({ fileName: path.basename(f.path), schema: f.schema })).sort((a, b) => a.fileName.localeCompare(b.fileName));
}

/**
 * Scans `<processesDir>/<service>/` folders (sorted; dot folders skipped) and returns one entry
 * per BPMN file, each carrying all forms of its folder. Throws an Error naming the file for an
 * unreadable BPMN or form, and for two forms with the same id in one folder.
 */
export async function loadProcessDefinitions(processesDir: string): Promise<ProcessDefinitionFile[]> {
  const folders = (await readdir(processesDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();

  const result: ProcessDefinitionFile[] = [];
  for (const serviceKey of folders) {
    const dir = path.join(processesDir, serviceKey);
    const files = (await readdir(dir, { withFileTypes: true }))
      .filter((f) => f.isFile() && !f.name.startsWith('.'))
      .map((f) => f.name)
      .sort();

    const forms = new Map<string, FormFile>();
    for (const name of files.filter((f) => f.endsWith('.form'))) {
      const formPath = path.join(dir, name);
      const schema = parseFormSchema(await readFile(formPath, 'utf8'), formPath);
      const existing = forms.get(schema.id);
      if (existing) {
        throw new Error(`${formPath}: form id "${schema.id}" is also used by ${existing.path}`);
      }
      forms.set(schema.id, { id: schema.id, path: formPath, schema });
    }

    for (const name of files.filter((f) => f.endsWith('.bpmn'))) {
      const bpmnPath = path.join(dir, name);
      const bytes = await readFile(bpmnPath);
      const bpmnXml = bytes.toString('utf8');
      const parsed = await parseProcessXml(bpmnXml, bpmnPath);
      result.push({
        serviceKey,
        bpmnPath,
        bpmnXml,
        sha256: sha256(bytes),
        forms,
        ...parsed,
      });
    }
  }
  return result;
}
