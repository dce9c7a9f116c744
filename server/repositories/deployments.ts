import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

/** A form as stored with a process version: its file name in processes/<service>/ and its schema. */
export interface StoredForm {
  fileName: string;
  schema: { id: string; components: unknown[]; [key: string]: unknown };
}

export interface DeploymentRecord {
  id: number;
  serviceKey: string;
  processId: string;
  resourceName: string;
  sha256: string;
  version: number;
  processDefinitionKey: string;
  deployedAt: string;
  deployedBy: string;
  /** the deployed BPMN and forms; null for rows recorded before content was stored */
  bpmnXml: string | null;
  forms: StoredForm[] | null;
  revisionId: number | null;
}

export type NewDeployment = Omit<DeploymentRecord, 'id' | 'deployedAt' | 'bpmnXml' | 'forms' | 'revisionId'> & {
  bpmnXml?: string;
  forms?: StoredForm[];
  revisionId?: number | null;
};

export class DeploymentRepository {
  constructor(private readonly db: Db) {}

  async find(processId: string, sha256: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db('deployments').where({ process_id: processId, sha256 }).orderBy('version', 'desc').first();
    return row ? toDeployment(row) : undefined;
  }

  async record(d: NewDeployment): Promise<void> {
    await this.db('deployments')
      .insert({
        service_key: d.serviceKey,
        process_id: d.processId,
        resource_name: d.resourceName,
        sha256: d.sha256,
        version: d.version,
        process_definition_key: d.processDefinitionKey,
        deployed_at: nowIso(),
        deployed_by: d.deployedBy,
        bpmn_xml: d.bpmnXml ?? null,
        forms_json: d.forms ? JSON.stringify(d.forms) : null,
        revision_id: d.revisionId ?? null,
      })
      .onConflict(['process_definition_key'])
      .ignore();
  }

  /** Stores the content of a deployment recorded before content was kept. */
  async fillContent(id: number, bpmnXml: string, forms: StoredForm[]): Promise<void> {
    await this.db('deployments')
      .where({ id })
      .whereNull('bpmn_xml')
      .update({ bpmn_xml: bpmnXml, forms_json: JSON.stringify(forms) });
  }

  async forService(serviceKey: string): Promise<DeploymentRecord[]> {
    const rows = await this.db('deployments').where({ service_key: serviceKey }).orderBy('version', 'desc');
    return rows.map(toDeployment);
  }

  async latest(serviceKey: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db('deployments').where({ service_key: serviceKey }).orderBy('version', 'desc').first();
    return row ? toDeployment(row) : undefined;
  }

  /** The process id and version of a service's latest deployment, without its content (read at every process start). */
  async currentVersion(serviceKey: string): Promise<{ processId: string; version: number } | undefined> {
    const row = await this.db('deployments').where({ service_key: serviceKey }).orderBy('version', 'desc').first('process_id', 'version');
    return row ? { processId: row.process_id, version: Number(row.version) } : undefined;
  }

  async byDefinitionKey(processDefinitionKey: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db('deployments').where({ process_definition_key: processDefinitionKey }).first();
    return row ? toDeployment(row) : undefined;
  }

  /** Changes with every recorded deployment: their count and newest id (a poll by every process). */
  async state(): Promise<string> {
    const row = await this.db('deployments').count({ n: '*' }).max({ id: 'id' }).first();
    return `${row?.n ?? 0}:${row?.id ?? 0}`;
  }

  async ids(): Promise<number[]> {
    return (await this.db('deployments').pluck('id')).map(Number);
  }

  /** The deployments with these ids that carry content, oldest first. */
  async withContentAmong(ids: number[]): Promise<DeploymentRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db('deployments').whereIn('id', ids).whereNotNull('bpmn_xml').orderBy('id', 'asc');
    return rows.map(toDeployment);
  }

  /** All deployments that carry content (to index forms and names per process definition). */
  async withContent(): Promise<DeploymentRecord[]> {
    const rows = await this.db('deployments').whereNotNull('bpmn_xml').orderBy('version', 'asc');
    return rows.map(toDeployment);
  }

  /** Running (not closed) cases per process definition key (keys are unique across services). */
  /**
   * Where the running cases of a service wait, per process version: open human tasks and
   * unresolved incidents, by element id (cases counted once per element).
   */
  async waitingSteps(serviceKey: string): Promise<Array<{ processDefinitionKey: string; elementId: string; name: string; cases: number }>> {
    const running = (q: Knex.QueryBuilder) => q.where('cases.service_key', serviceKey).whereNotIn('cases.status', ['completed', 'rejected', 'withdrawn']).whereNotNull('cases.process_definition_key');
    const tasks = await this.db('tasks')
      .join('cases', 'cases.id', 'tasks.case_id')
      .where('tasks.state', 'open')
      .modify(running)
      .groupBy('cases.process_definition_key', 'tasks.element_id', 'tasks.name')
      .select('cases.process_definition_key', 'tasks.element_id', 'tasks.name')
      .countDistinct({ n: 'cases.id' });
    const incidents = await this.db('incidents')
      .join('cases', 'cases.id', 'incidents.case_id')
      .whereIn('incidents.state', ['open', 'retrying'])
      .modify(running)
      .groupBy('cases.process_definition_key', 'incidents.element_id', 'incidents.step')
      .select('cases.process_definition_key', 'incidents.element_id', { name: 'incidents.step' })
      .countDistinct({ n: 'cases.id' });
    return [...tasks, ...incidents].map((r: any) => ({ processDefinitionKey: String(r.process_definition_key), elementId: r.element_id, name: r.name, cases: Number(r.n) }));
  }

  async runningCasesByDefinition(): Promise<Map<string, number>> {
    const rows = await this.db('cases')
      .whereNotIn('status', ['completed', 'rejected', 'withdrawn'])
      .whereNotNull('process_definition_key')
      .groupBy('process_definition_key')
      .select('process_definition_key')
      .count({ n: '*' });
    return new Map(rows.map((r: any) => [String(r.process_definition_key), Number(r.n)]));
  }
}

function toDeployment(row: any): DeploymentRecord {
  return {
    id: row.id,
    serviceKey: row.service_key,
    processId: row.process_id,
    resourceName: row.resource_name,
    sha256: row.sha256,
    version: row.version,
    processDefinitionKey: row.process_definition_key,
    deployedAt: row.deployed_at,
    deployedBy: row.deployed_by,
    bpmnXml: row.bpmn_xml ?? null,
    forms: row.forms_json ? JSON.parse(row.forms_json) : null,
    revisionId: row.revision_id ?? null,
  };
}
