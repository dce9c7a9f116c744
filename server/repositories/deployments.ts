import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface DeploymentRecord {
  serviceKey: string;
  processId: string;
  resourceName: string;
  sha256: string;
  version: number;
  processDefinitionKey: string;
  deployedAt: string;
  deployedBy: string;
}

export class DeploymentRepository {
  constructor(private readonly db: Db) {}

  async find(processId: string, sha256: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db('deployments').where({ process_id: processId, sha256 }).first();
    return row ? toDeployment(row) : undefined;
  }

  async record(d: Omit<DeploymentRecord, 'deployedAt'>): Promise<void> {
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
      })
      .onConflict(['process_id', 'sha256'])
      .ignore();
  }

  async forProcess(processId: string): Promise<DeploymentRecord[]> {
    const rows = await this.db('deployments').where({ process_id: processId }).orderBy('version', 'desc');
    return rows.map(toDeployment);
  }
}

function toDeployment(row: any): DeploymentRecord {
  return {
    serviceKey: row.service_key,
    processId: row.process_id,
    resourceName: row.resource_name,
    sha256: row.sha256,
    version: row.version,
    processDefinitionKey: row.process_definition_key,
    deployedAt: row.deployed_at,
    deployedBy: row.deployed_by,
  };
}
