/**
 * The service catalogue: what the process definitions say about each service (name, authority,
 * fee, forms). Loaded from processes/ at start-up; the current version of a service is its latest
 * deployment (a version deployed from the browser replaces the file's content, see
 * engine/deployment.ts). Every deployed version stays known by its process definition key, so a
 * running case's tasks keep the forms and names of their own version.
 */
import { loadProcessDefinitions, type ProcessDefinitionFile } from './process-files';
import { toServiceEntry, type ServiceEntry } from './service-entry';

export interface CatalogueService {
  definition: ProcessDefinitionFile;
  entry: ServiceEntry;
}

interface VersionContent {
  forms: Map<string, unknown>;
  elementNames: Map<string, string>;
  /** service task id → the BPMN error codes caught there */
  caughtErrors: Map<string, string[] | 'all'>;
  /** user task id -> the earlier user task whose completer may not handle it (property fourEyes) */
  fourEyes: Map<string, string>;
}

export class Catalogue {
  private readonly byKey = new Map<string, CatalogueService>();
  private readonly forms = new Map<string, unknown>();
  private readonly elementNames = new Map<string, string>();
  private readonly versions = new Map<string, VersionContent>();
  private currentRevision = 0;

  /** Counts changes of the current versions: what is derived from them (OpenAPI) is rebuilt when it moves. */
  get revision(): number {
    return this.currentRevision;
  }

  static async load(processesDir: string): Promise<Catalogue> {
    const catalogue = new Catalogue();
    for (const definition of await loadProcessDefinitions(processesDir)) catalogue.setCurrent(definition);
    return catalogue;
  }

  /** Makes `definition` the current version of its service (throws when its catalogue data is invalid). */
  setCurrent(definition: ProcessDefinitionFile): void {
    const entry = toServiceEntry(definition);
    const previous = this.byKey.get(entry.key);
    if (previous) {
      for (const id of previous.definition.forms.keys()) this.forms.delete(id);
      for (const k of [...this.elementNames.keys()]) if (k.startsWith(`${previous.definition.processId}/`)) this.elementNames.delete(k);
    }
    this.byKey.set(entry.key, { definition, entry });
    this.currentRevision++;
    for (const [id, form] of definition.forms) this.forms.set(id, form.schema);
    // element names for timeline labels: jobs carry only the element id
    for (const [id, name] of elementNamesOf(definition)) this.elementNames.set(`${definition.processId}/${id}`, name);
  }

  /** Remembers a deployed version's forms and element names by its process definition key. */
  addVersion(processDefinitionKey: string, definition: ProcessDefinitionFile): void {
    this.versions.set(processDefinitionKey, {
      forms: new Map([...definition.forms].map(([id, f]) => [id, f.schema])),
      elementNames: elementNamesOf(definition),
      caughtErrors: new Map(definition.serviceTasks.map((t) => [t.id, t.caughtErrors])),
      fourEyes: fourEyesOf(definition),
    });
  }

  services(): CatalogueService[] {
    return [...this.byKey.values()].sort((a, b) => a.entry.name.localeCompare(b.entry.name, 'de'));
  }

  get(key: string): CatalogueService | undefined {
    return this.byKey.get(key);
  }

  /** A form by id: of the given process version when known, else of the current versions. */
  form(formId: string | null | undefined, processDefinitionKey?: string | null): any | undefined {
    if (!formId) return undefined;
    const version = processDefinitionKey ? this.versions.get(processDefinitionKey) : undefined;
    return version?.forms.get(formId) ?? this.forms.get(formId);
  }

  startForm(key: string): any | undefined {
    const service = this.get(key);
    return service ? this.form(service.entry.startFormId) : undefined;
  }

  /** Whether staff may ask the applicant for information from this user task. */
  allowsInfoRequest(serviceKey: string, elementId: string): boolean {
    const task = this.get(serviceKey)?.definition.userTasks.find((t) => t.id === elementId);
    return task?.properties.infoRequest === 'allowed';
  }

  /** A user task's processing budget in Lucerne working days (user task property task.workingDays), or null. */
  taskWorkingDays(serviceKey: string, elementId: string): number | null {
    const value = this.get(serviceKey)?.definition.userTasks.find((t) => t.id === elementId)?.properties['task.workingDays'];
    const days = Number(value);
    return value !== undefined && Number.isInteger(days) && days >= 0 ? days : null;
  }

  /**
   * Whether the model catches a BPMN error with this code thrown at the service task. A version
   * or element this process does not know counts as catching it: Zeebe decides, as without this check.
   */
  catchesError(elementId: string, code: string, processDefinitionKey: string): boolean {
    const caught = this.versions.get(processDefinitionKey)?.caughtErrors.get(elementId);
    return caught === undefined || caught === 'all' || caught.includes(code);
  }

  /**
   * The four-eyes rule of a user task (user task property fourEyes=<element id of an earlier user
   * task>): of the task's own process version when known, else of the current version; null if none.
   */
  fourEyes(serviceKey: string, elementId: string, processDefinitionKey?: string | null): string | null {
    const version = processDefinitionKey ? this.versions.get(processDefinitionKey) : undefined;
    if (version) return version.fourEyes.get(elementId) ?? null;
    const current = this.get(serviceKey)?.definition;
    return current ? (fourEyesOf(current).get(elementId) ?? null) : null;
  }

  elementName(processId: string, elementId: string, processDefinitionKey?: string | null): string {
    const version = processDefinitionKey ? this.versions.get(processDefinitionKey) : undefined;
    return version?.elementNames.get(elementId) ?? this.elementNames.get(`${processId}/${elementId}`) ?? elementId;
  }
}

/** Names of the flow nodes (as bpmn-moddle read them, entities decoded), by element id. */
function elementNamesOf(definition: ProcessDefinitionFile): Map<string, string> {
  return new Map(definition.flowNodes.flatMap((n) => (n.name === null ? [] : [[n.id, n.name] as const])));
}

/** The fourEyes property of each user task that has one (trimmed, empty values ignored). */
export function fourEyesOf(definition: Pick<ProcessDefinitionFile, 'userTasks'>): Map<string, string> {
  return new Map(definition.userTasks.flatMap((t) => (t.properties.fourEyes?.trim() ? [[t.id, t.properties.fourEyes.trim()] as const] : [])));
}
