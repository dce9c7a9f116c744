/**
 * Deploys every BPMN under processes/ at start-up. A file whose content was deployed before is
 * not sent again, so an unchanged file never creates a new process version.
 */
import type { Logger } from 'pino';
import type { Catalogue } from '../domain/catalogue';
import type { Repositories } from '../repositories';
import type { Engine } from './zeebe';

export async function deployProcesses(engine: Engine, catalogue: Catalogue, repos: Repositories, log: Logger): Promise<void> {
  for (const { definition } of catalogue.services()) {
    const known = await repos.deployments.find(definition.processId, definition.sha256);
    if (known) {
      log.info({ processId: definition.processId, version: known.version }, 'process unchanged, not redeployed');
      continue;
    }
    // Zeebe itself also answers an identical resource with the existing version
    const deployed = await engine.deployProcess(`${definition.serviceKey}.bpmn`, definition.bpmnXml);
    await repos.deployments.record({
      serviceKey: definition.serviceKey,
      processId: deployed.processId,
      resourceName: `${definition.serviceKey}.bpmn`,
      sha256: definition.sha256,
      version: deployed.version,
      processDefinitionKey: deployed.processDefinitionKey,
      deployedBy: 'system',
    });
    log.info({ processId: deployed.processId, version: deployed.version }, 'process deployed');
  }
}
