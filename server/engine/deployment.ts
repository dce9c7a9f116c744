/**
 * Deploys every BPMN under processes/ at start-up. A file whose content was deployed before is
 * not sent again, so an unchanged file never creates a new process version. The current version
 * of a service is its latest deployment: a version deployed from the browser stays current across
 * restarts until the file changes. Every deployment keeps its content (BPMN and forms).
 */
import type { Logger } from 'pino';
import type { Catalogue } from '../processes/catalogue';
import { contentForms, definitionFromContent } from '../processes/process-files';
import type { Repositories } from '../repositories';
import type { Engine } from './zeebe';
import { DependencyUnavailableError } from '../lib/unavailable';

const START_DEPLOY_ATTEMPTS = 6;

/** A freshly started or loaded broker times out the first commands: the start-up deploy waits for it (about a minute) instead of exiting. */
async function deployWhenReachable<T>(deploy: () => Promise<T>, log: Logger): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deploy();
    } catch (err) {
      if (!(err instanceof DependencyUnavailableError) || attempt >= START_DEPLOY_ATTEMPTS) throw err;
      log.warn({ attempt }, 'Zeebe not reachable for the start-up deploy; retrying');
      await new Promise((resolve) => setTimeout(resolve, err.retryAfterSeconds * 1000));
    }
  }
}

export async function deployProcesses(engine: Engine, catalogue: Catalogue, repos: Repositories, log: Logger): Promise<void> {
  for (const { definition } of catalogue.services()) {
    const known = await repos.deployments.find(definition.processId, definition.sha256);
    if (known) {
      if (known.bpmnXml === null) await repos.deployments.fillContent(known.id, definition.bpmnXml, contentForms(definition));
      log.info({ processId: definition.processId, version: known.version }, 'process unchanged, not redeployed');
      continue;
    }
    // Zeebe itself also answers an identical resource with the existing version
    const deployed = await deployWhenReachable(() => engine.deployProcess(`${definition.serviceKey}.bpmn`, definition.bpmnXml), log);
    await repos.deployments.record({
      serviceKey: definition.serviceKey,
      processId: deployed.processId,
      resourceName: `${definition.serviceKey}.bpmn`,
      sha256: definition.sha256,
      version: deployed.version,
      processDefinitionKey: deployed.processDefinitionKey,
      deployedBy: 'system',
      bpmnXml: definition.bpmnXml,
      forms: contentForms(definition),
    });
    log.info({ processId: deployed.processId, version: deployed.version }, 'process deployed');
  }
  await loadDeployedVersions(catalogue, repos, log);
}

/** Indexes every stored version by process definition key; the latest one becomes current. */
export async function loadDeployedVersions(catalogue: Catalogue, repos: Repositories, log: Logger): Promise<void> {
  const fileShas = new Map(catalogue.services().map((s) => [s.definition.serviceKey, s.definition.sha256]));
  // the latest version per service: one query per service, not one per stored version
  const latestIds = new Map<string, number | undefined>();
  for (const serviceKey of fileShas.keys()) latestIds.set(serviceKey, (await repos.deployments.latest(serviceKey))?.id);
  for (const d of await repos.deployments.withContent()) {
    try {
      const definition = await definitionFromContent(d.serviceKey, d.bpmnXml!, d.forms ?? []);
      catalogue.addVersion(d.processDefinitionKey, definition);
      if (latestIds.get(d.serviceKey) === d.id && fileShas.get(d.serviceKey) !== d.sha256) {
        catalogue.setCurrent(definition);
        log.info({ processId: d.processId, version: d.version }, 'current version deployed from the back office');
      }
    } catch (err) {
      log.error({ err, processId: d.processId, version: d.version }, 'stored process version unreadable');
    }
  }
}
