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
import { Poller } from '../lib/poller';
import type { Engine } from './zeebe';

/** how often every process looks for a deployment made by another process */
export const DEPLOYMENT_POLL_MS = 1000;

/** Returns the newest deployment id it has seen, where a DeploymentFollower takes over. */
export async function deployProcesses(engine: Engine, catalogue: Catalogue, repos: Repositories, log: Logger): Promise<number> {
  for (const { definition } of catalogue.services()) {
    const known = await repos.deployments.find(definition.processId, definition.sha256);
    if (known) {
      if (known.bpmnXml === null) await repos.deployments.fillContent(known.id, definition.bpmnXml, contentForms(definition));
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
      bpmnXml: definition.bpmnXml,
      forms: contentForms(definition),
    });
    log.info({ processId: deployed.processId, version: deployed.version }, 'process deployed');
  }
  return loadDeployedVersions(catalogue, repos, log);
}

/** Indexes every stored version by process definition key; the latest one becomes current. */
export async function loadDeployedVersions(catalogue: Catalogue, repos: Repositories, log: Logger): Promise<number> {
  // read before the versions: a deploy made while they load is picked up by the next poll
  const newestId = await repos.deployments.newestId();
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
  return newestId;
}

/**
 * Keeps this process's catalogue in step with deploys made through any process (DESIGN.md §8):
 * polls the newest deployment id, a primary-key lookup, and applies what is new. A new
 * deployment becomes current when it is its service's latest; forms, validation and the OpenAPI
 * document read the catalogue, so they follow.
 */
export class DeploymentFollower {
  private readonly loop: Poller;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly repos: Repositories,
    private readonly log: Logger,
    private seenId: number,
  ) {
    this.loop = new Poller(
      () => this.catchUp(),
      (err) => this.log.warn({ err }, 'could not look for new deployments'),
    );
  }

  start(intervalMs = DEPLOYMENT_POLL_MS): void {
    this.loop.start(intervalMs);
  }

  stop(): void {
    this.loop.stop();
  }

  async catchUp(): Promise<void> {
    if ((await this.repos.deployments.newestId()) <= this.seenId) return;
    for (const d of await this.repos.deployments.withContentAfter(this.seenId)) {
      try {
        const definition = await definitionFromContent(d.serviceKey, d.bpmnXml!, d.forms ?? []);
        this.catalogue.addVersion(d.processDefinitionKey, definition);
        // two deploys may commit out of order: only the service's latest becomes current
        if ((await this.repos.deployments.latest(d.serviceKey))?.id === d.id) {
          this.catalogue.setCurrent(definition);
          this.log.info({ processId: d.processId, version: d.version }, 'deployment made by another process is current');
        }
      } catch (err) {
        this.log.error({ err, processId: d.processId, version: d.version }, 'stored process version unreadable');
      }
      this.seenId = Math.max(this.seenId, d.id);
    }
  }
}
