/**
 * The service catalogue: what the process files under processes/ say about each service
 * (name, authority, fee, forms). Loaded once at start-up; the BPMN is the single source.
 */
import { loadProcessDefinitions, type ProcessDefinitionFile } from '../processes/process-files';
import { toServiceEntry, type ServiceEntry } from '../processes/catalogue';

export interface CatalogueService {
  definition: ProcessDefinitionFile;
  entry: ServiceEntry;
}

export class Catalogue {
  private readonly byKey = new Map<string, CatalogueService>();
  private readonly forms = new Map<string, unknown>();
  private readonly elementNames = new Map<string, string>();

  static async load(processesDir: string): Promise<Catalogue> {
    const catalogue = new Catalogue();
    for (const definition of await loadProcessDefinitions(processesDir)) catalogue.add(definition);
    return catalogue;
  }

  private add(definition: ProcessDefinitionFile): void {
    const entry = toServiceEntry(definition);
    this.byKey.set(entry.key, { definition, entry });
    for (const [id, form] of definition.forms) this.forms.set(id, form.schema);
    // element names for timeline labels: jobs carry only the element id
    for (const m of definition.bpmnXml.matchAll(/<bpmn:\w+ id="([^"]+)" name="([^"]*)"/g)) {
      this.elementNames.set(`${definition.processId}/${m[1]}`, decodeXml(m[2]!));
    }
  }

  services(): CatalogueService[] {
    return [...this.byKey.values()].sort((a, b) => a.entry.name.localeCompare(b.entry.name, 'de'));
  }

  get(key: string): CatalogueService | undefined {
    return this.byKey.get(key);
  }

  byProcessId(processId: string): CatalogueService | undefined {
    return this.services().find((s) => s.definition.processId === processId);
  }

  form(formId: string | null | undefined): any | undefined {
    return formId ? this.forms.get(formId) : undefined;
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

  elementName(processId: string, elementId: string): string {
    return this.elementNames.get(`${processId}/${elementId}`) ?? elementId;
  }
}

function decodeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
