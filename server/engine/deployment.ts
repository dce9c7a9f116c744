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

/**
 * Deploys the files that are not deployed yet, then loads every stored version. A server starting
 * while Zeebe does not answer still starts (intake stays open, DESIGN.md §8): the deploy goes on in
 * the background until it succeeds, and the DeploymentFollower loads what it records.
 * Returns that background loop (stopped when done) so shutdown can stop it.
 */
export async function deployProcesses(engine: Engine, catalogue: Catalogue, repos: Repositories, log: Logger): Promise<{ stop(): void }> {
  let retry: Poller | undefined;
  try {
    await deployFiles(engine, catalogue, repos, log);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'Zeebe does not answer: starting anyway, processes are deployed once it does');
    retry = new Poller(
      async () => {
        await deployFiles(engine, catalogue, repos, log);
        retry?.stop();
        log.info('processes deployed after Zeebe answered again');
      },
      (e) => log.warn({ err: (e as Error).message }, 'deploy still failing, retrying'),
    );
    retry.start(DEPLOY_RETRY_MS);
  }
  await loadDeployedVersions(catalogue, repos, log);
  return { stop: () => retry?.stop() };
}

/** how often a process that started while Zeebe was down tries to deploy again */
const DEPLOY_RETRY_MS = 5000;

async function deployFiles(engine: Engine, catalogue: Catalogue, repos: Repositories, log: Logger): Promise<void> {
  for (const { definition } of catalogue.services()) {
    const known = await repos.deployments.find(definition.processId, definition.sha256);
    if (known) {
      if (known.bpmnXml === null) await repos.deployments.fillContent(known.id, definition.bpmnXml, contentForms(definition));
      log.info({ processId: definition.processId, version: known.version }, 'process unchanged, not redeployed');
      continue;
    }
    // a busy broker is retried inside deployProcess; Zeebe answers an identical resource with the
    // existing version, so a repeated deploy never creates a second version
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

/**
 * Keeps this process's catalogue in step with deploys made through any process (DESIGN.md §8):
 * polls the deployments' count and newest id (one cheap aggregate over a small table) and loads
 * the rows it has not seen. Ids, not "newer than the last id": two deploys may commit out of id
 * order. A new deployment becomes current when it is its service's latest; forms, validation,
 * task names and the OpenAPI document read the catalogue, so they follow.
 */
export class DeploymentFollower {
  private readonly loop: Poller;

  private constructor(
    private readonly catalogue: Catalogue,
    private readonly repos: Repositories,
    private readonly log: Logger,
    private seenState: string,
    private readonly seenIds: Set<number>,
  ) {
    this.loop = new Poller(
      () => this.catchUp(),
      (err) => this.log.warn({ err }, 'could not look for new deployments'),
    );
  }

  /** What is deployed now counts as seen: create it before the catalogue loads the stored versions. */
  static async fromNow(catalogue: Catalogue, repos: Repositories, log: Logger): Promise<DeploymentFollower> {
    const state = await repos.deployments.state();
    return new DeploymentFollower(catalogue, repos, log, state, new Set(await repos.deployments.ids()));
  }

  start(intervalMs = DEPLOYMENT_POLL_MS): void {
    this.loop.start(intervalMs);
  }

  stop(): void {
    this.loop.stop();
  }

  async catchUp(): Promise<void> {
    const state = await this.repos.deployments.state();
    if (state === this.seenState) return;
    const unseen = (await this.repos.deployments.ids()).filter((id) => !this.seenIds.has(id));
    for (const d of await this.repos.deployments.withContentAmong(unseen)) {
      try {
        const definition = await definitionFromContent(d.serviceKey, d.bpmnXml!, d.forms ?? []);
        this.catalogue.addVersion(d.processDefinitionKey, definition);
        if ((await this.repos.deployments.latest(d.serviceKey))?.id === d.id) {
          this.catalogue.setCurrent(definition);
          this.log.info({ processId: d.processId, version: d.version }, 'deployment made by another process is current');
        }
      } catch (err) {
        this.log.error({ err, processId: d.processId, version: d.version }, 'stored process version unreadable');
      }
    }
    for (const id of unseen) this.seenIds.add(id);
    this.seenState = state;
  }
}
