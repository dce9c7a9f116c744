/**
 * Process owners: drafts, checks, deploy, version history, diff and export of a service's process
 * (BPMN + forms). Deploy makes the new version current in the catalogue: new submissions start it
 * and are validated against its start form; running cases stay on their version (Zeebe), and
 * their tasks keep the forms of that version (Catalogue.form by process definition key).
 */
import { sha256 } from '../lib/hash';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { strToU8, zipSync } from 'fflate';
import type { Engine } from '../engine/zeebe';
import { checkProcess, type Finding } from '../processes/process-checks';
import { contentForms, definitionFromContent, moddleFromXml, parseFormSchema, withFormsStamp, type ContentForm } from '../processes/process-files';
import type { Repositories } from '../repositories';
import type { DeploymentRecord } from '../repositories/deployments';
import type { User } from '../repositories/users';
import type { Catalogue } from '../processes/catalogue';
import { DomainError, forbidden, notFound, validationFailed, type FieldError } from './errors';

const require = createRequire(import.meta.url);
const { diff: bpmnDiff } = require('bpmn-js-differ') as { diff(a: unknown, b: unknown): any };

export const PROCESS_OWNER_ROLES = ['process_owner', 'admin'];

export interface ProcessContent {
  xml: string;
  forms: ContentForm[];
}

export class ProcessOwnerService {
  constructor(
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
    private readonly engine: Engine,
    private readonly workerTypes: Set<string>,
    private readonly log: Logger,
  ) {}

  authorize(user: User): void {
    if (!user.roles.some((r) => PROCESS_OWNER_ROLES.includes(r))) throw forbidden('Nur für Prozessverantwortliche');
  }

  private service(key: string) {
    const service = this.catalogue.get(key);
    if (!service) throw notFound(`Unbekannte Dienstleistung: ${key}`);
    return service;
  }

  async list() {
    const out = [];
    const running = await this.repos.deployments.runningCasesByDefinition();
    for (const { entry, definition } of this.catalogue.services()) {
      const deployments = await this.repos.deployments.forService(entry.key);
      const versions = deployments.map((d) => ({ ...versionDto(d), runningCases: running.get(d.processDefinitionKey) ?? 0 }));
      out.push({
        id: entry.key,
        key: entry.key,
        name: entry.name,
        processId: definition.processId,
        authority: entry.authority,
        currentVersion: versions[0]?.version ?? null,
        deployedAt: versions[0]?.deployedAt ?? null,
        runningCases: versions.reduce((n, v) => n + v.runningCases, 0),
        versions,
      });
    }
    return out;
  }

  async get(key: string) {
    const { entry, definition } = this.service(key);
    const deployments = await this.repos.deployments.forService(key);
    return {
      id: key,
      key,
      name: entry.name,
      processId: definition.processId,
      version: deployments[0]?.version ?? null,
      xml: definition.bpmnXml,
      forms: contentForms(definition),
      versions: deployments.map(versionDto),
      workerTypes: [...this.workerTypes].sort(),
    };
  }

  /** The content of a deployed version (by Zeebe version number). */
  async version(key: string, version: number): Promise<ProcessContent & { deployment: DeploymentRecord }> {
    this.service(key);
    const d = (await this.repos.deployments.forService(key)).find((x) => x.version === version);
    if (!d) throw notFound(`Version ${version} gibt es nicht`);
    if (!d.bpmnXml) throw notFound(`Der Inhalt von Version ${version} ist nicht gespeichert`);
    return { xml: d.bpmnXml, forms: (d.forms ?? []) as ContentForm[], deployment: d };
  }

  async saveDraft(user: User, key: string, body: unknown) {
    this.service(key);
    const content = parseContent(body);
    const comment = typeof (body as any)?.comment === 'string' ? String((body as any).comment).slice(0, 1000) : '';
    await readableOrFail(content.xml);
    const revision = await this.repos.processRevisions.create({ serviceKey: key, bpmnXml: content.xml, forms: content.forms as any, comment, author: user.username });
    return { id: revision.id, serviceKey: key, comment, author: revision.author, createdAt: revision.createdAt };
  }

  async drafts(key: string) {
    this.service(key);
    return this.repos.processRevisions.list(key);
  }

  async draft(key: string, id: number) {
    const r = await this.repos.processRevisions.get(key, id);
    if (!r) throw notFound('Entwurf nicht gefunden');
    return { id: r.id, serviceKey: key, xml: r.bpmnXml, forms: r.forms, comment: r.comment, author: r.author, createdAt: r.createdAt };
  }

  async lint(key: string, content: ProcessContent): Promise<Finding[]> {
    const { definition } = this.service(key);
    const findings: Finding[] = [];
    const formIds = new Set<string>();
    for (const f of content.forms) {
      try {
        formIds.add(parseFormSchema(JSON.stringify(f.schema), f.fileName).id);
      } catch (err) {
        findings.push({ path: `forms/${f.fileName}`, message: (err as Error).message, severity: 'error', rule: 'lu/form' });
      }
    }
    findings.push(...(await checkProcess(content.xml, { workerTypes: this.workerTypes, formIds, expectedProcessId: definition.processId })));
    if (!findings.some((f) => f.severity === 'error')) {
      // catalogue properties (fee format, authority, ...) as the catalogue reads them
      try {
        const { toServiceEntry } = await import('../processes/service-entry');
        toServiceEntry(await definitionFromContent(key, content.xml, content.forms));
      } catch (err) {
        findings.push({ path: definition.processId, message: (err as Error).message, severity: 'error', rule: 'lu/catalogue' });
      }
    }
    return findings;
  }

  async lintBody(key: string, body: unknown) {
    return this.lint(key, parseContent(body));
  }

  async deploy(user: User, key: string, draftId: number) {
    const draft = await this.repos.processRevisions.get(key, draftId);
    if (!draft) throw notFound('Entwurf nicht gefunden');
    const content: ProcessContent = { xml: draft.bpmnXml, forms: draft.forms as ContentForm[] };
    const findings = await this.lint(key, content);
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw new DomainError(
        422,
        'Unprocessable Content',
        'Die Prüfung hat Fehler gefunden; der Prozess wurde nicht bereitgestellt',
        errors.map((f): FieldError => ({ path: f.path, message: f.message })),
      );
    }
    const definition = await definitionFromContent(key, content.xml, content.forms);
    const xml = withFormsStamp(content.xml, content.forms);
    const deployed = await this.engine.deployProcess(`${key}.bpmn`, xml);
    await this.repos.deployments.record({
      serviceKey: key,
      processId: deployed.processId,
      resourceName: `${key}.bpmn`,
      sha256: sha256(xml),
      version: deployed.version,
      processDefinitionKey: deployed.processDefinitionKey,
      deployedBy: user.username,
      bpmnXml: xml,
      forms: content.forms as any,
      revisionId: draft.id,
    });
    this.catalogue.addVersion(deployed.processDefinitionKey, definition);
    this.catalogue.setCurrent(definition);
    this.log.info({ processId: deployed.processId, version: deployed.version, by: user.username }, 'process deployed from the back office');
    const record = await this.repos.deployments.byDefinitionKey(deployed.processDefinitionKey);
    return { ...versionDto(record!), warnings: findings.filter((f) => f.severity === 'warning') };
  }

  /**
   * What deploying a draft would affect: the running cases per version and per waiting step (open
   * human tasks, unresolved incidents), and the waiting steps the draft removes (bpmn-js-differ
   * between each running version and the draft). Zeebe keeps running instances on their own
   * version, so nothing breaks at once; the list says which cases could not be migrated to the
   * new version and which steps would vanish for later cases.
   */
  async impact(key: string, draftId: number) {
    this.service(key);
    const draft = await this.draft(key, draftId);
    const draftModel = await moddleFromXml(draft.xml).catch((err: Error) => {
      throw validationFailed([{ path: 'draftId', message: `BPMN des Entwurfs nicht lesbar: ${err.message}` }]);
    });
    const [deployments, running, waiting] = await Promise.all([this.repos.deployments.forService(key), this.repos.deployments.runningCasesByDefinition(), this.repos.deployments.waitingSteps(key)]);
    const versions = [];
    const removedWaiting = [];
    for (const d of deployments) {
      const runningCases = running.get(d.processDefinitionKey) ?? 0;
      if (runningCases === 0) continue;
      const steps = waiting.filter((w) => w.processDefinitionKey === d.processDefinitionKey).map(({ elementId, name, cases }) => ({ elementId, name, cases }));
      versions.push({ version: d.version, processDefinitionKey: d.processDefinitionKey, runningCases, waiting: steps });
      if (steps.length === 0) continue;
      const xml = d.bpmnXml ?? this.service(key).definition.bpmnXml;
      const removed = new Set(Object.keys(bpmnDiff((await moddleFromXml(xml)).rootElement, draftModel.rootElement)._removed));
      for (const step of steps) if (removed.has(step.elementId)) removedWaiting.push({ version: d.version, ...step });
    }
    return { draftId, runningCases: versions.reduce((n, v) => n + v.runningCases, 0), versions, removedWaiting };
  }

  /** `from`/`to`: "v<version>" (deployed), "d<draftId>" (draft) or "current". */
  async diff(key: string, from: string, to: string) {
    const [a, b] = await Promise.all([this.resolve(key, from), this.resolve(key, to)]);
    const [ma, mb] = await Promise.all([moddleFromXml(a.xml), moddleFromXml(b.xml)]);
    const result = bpmnDiff(ma.rootElement, mb.rootElement);
    const describe = (el: any) => ({ id: String(el.id), type: String(el.$type), name: el.name ?? null });
    return {
      from,
      to,
      added: Object.values(result._added).map(describe),
      removed: Object.values(result._removed).map(describe),
      changed: Object.values(result._changed).map((c: any) => ({ ...describe(c.model), attrs: Object.keys(c.attrs ?? {}) })),
      layoutChanged: Object.values(result._layoutChanged).map(describe),
      forms: diffForms(a.forms, b.forms),
    };
  }

  private async resolve(key: string, ref: string): Promise<ProcessContent> {
    if (ref === 'current') {
      const { definition } = this.service(key);
      return { xml: definition.bpmnXml, forms: contentForms(definition) };
    }
    const m = /^(v|d)?(\d+)$/.exec(ref);
    if (!m) throw validationFailed([{ path: 'from', message: 'erwartet v<Version>, d<Entwurf> oder current' }]);
    const n = Number(m[2]);
    if (m[1] === 'd') {
      const d = await this.draft(key, n);
      return { xml: d.xml, forms: d.forms as ContentForm[] };
    }
    return this.version(key, n);
  }

  /** A zip in the processes/<service>/ layout: the BPMN and the .form files. */
  async exportZip(key: string, version?: number): Promise<{ fileName: string; bytes: Uint8Array }> {
    const { definition } = this.service(key);
    const content = version ? await this.version(key, version) : { xml: definition.bpmnXml, forms: contentForms(definition) };
    const files: Record<string, Uint8Array> = { [`processes/${key}/${key}.bpmn`]: strToU8(content.xml) };
    for (const f of content.forms) files[`processes/${key}/${safeFileName(f.fileName)}`] = strToU8(`${JSON.stringify(f.schema, null, 2)}\n`);
    return { fileName: `${key}${version ? `-v${version}` : ''}.zip`, bytes: zipSync(files) };
  }
}

function versionDto(d: DeploymentRecord) {
  return { version: d.version, processDefinitionKey: d.processDefinitionKey, deployedAt: d.deployedAt, deployedBy: d.deployedBy, revisionId: d.revisionId, hasContent: d.bpmnXml !== null };
}

function safeFileName(name: string): string {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return base.endsWith('.form') ? base : `${base}.form`;
}

function diffForms(a: ContentForm[], b: ContentForm[]) {
  const byId = (list: ContentForm[]) => new Map(list.map((f) => [String(f.schema.id), JSON.stringify(f.schema)]));
  const ma = byId(a);
  const mb = byId(b);
  return {
    added: [...mb.keys()].filter((id) => !ma.has(id)),
    removed: [...ma.keys()].filter((id) => !mb.has(id)),
    changed: [...mb.keys()].filter((id) => ma.has(id) && ma.get(id) !== mb.get(id)),
  };
}

async function readableOrFail(xml: string): Promise<void> {
  try {
    await moddleFromXml(xml);
  } catch (err) {
    throw validationFailed([{ path: 'xml', message: `BPMN nicht lesbar: ${(err as Error).message}` }]);
  }
}

const MAX_XML = 2_000_000;

function parseContent(body: unknown): ProcessContent {
  const errors: FieldError[] = [];
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.xml !== 'string' || b.xml.trim() === '' || b.xml.length > MAX_XML) errors.push({ path: 'xml', message: 'BPMN-XML fehlt oder ist zu gross' });
  if (!Array.isArray(b.forms)) errors.push({ path: 'forms', message: 'Liste der Formulare erwartet' });
  const forms: ContentForm[] = [];
  if (Array.isArray(b.forms)) {
    b.forms.forEach((f: any, i: number) => {
      const schema = f?.schema;
      if (!schema || typeof schema !== 'object' || typeof schema.id !== 'string' || !Array.isArray(schema.components)) {
        errors.push({ path: `forms.${i}`, message: 'Formular mit id und components erwartet' });
        return;
      }
      const fileName = typeof f.fileName === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(f.fileName) ? f.fileName : `${schema.id.replace(/[^A-Za-z0-9._-]/g, '_')}.form`;
      forms.push({ fileName: fileName.endsWith('.form') ? fileName : `${fileName}.form`, schema });
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return { xml: b.xml as string, forms };
}
