import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { AbsenceRepository } from './absences';
import { AuditRepository } from './audit';
import { CaseRepository } from './cases';
import { CitizenSessionRepository } from './citizen-sessions';
import { DeploymentRepository } from './deployments';
import { DocumentRepository } from './documents';
import type { DocumentStore } from './document-store';
import { FeeRepository } from './fees';
import { IncidentRepository } from './incidents';
import { InfoRequestRepository } from './info-requests';
import { InstallationRepository } from './installation';
import { MailRepository } from './mail';
import { NoteRepository } from './notes';
import { OperationsRepository } from './operations';
import { OrganisationRepository } from './organisations';
import { PortalClientRepository } from './portal-clients';
import { PostcodeRepository } from './postcodes';
import { ProcessRevisionRepository } from './process-revisions';
import { ResidentRepository } from './residents';
import { StaffSsoRepository } from './staff-sso';
import { StatusCallbackRepository } from './status-callbacks';
import { TaskRepository } from './tasks';
import { ThrottleRepository } from './throttles';
import { TimelineRepository } from './timeline';
import { UserRepository } from './users';
import { WorkloadRepository } from './workload';

/** A database transaction, handed to repository methods that take part in one. */
export type Transaction = Knex.Transaction;

export interface Repositories {
  /** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(work: (trx: Transaction) => Promise<T>): Promise<T>;
  absences: AbsenceRepository;
  audit: AuditRepository;
  cases: CaseRepository;
  citizenSessions: CitizenSessionRepository;
  deployments: DeploymentRepository;
  documents: DocumentRepository;
  fees: FeeRepository;
  incidents: IncidentRepository;
  infoRequests: InfoRequestRepository;
  installation: InstallationRepository;
  mail: MailRepository;
  notes: NoteRepository;
  operations: OperationsRepository;
  organisations: OrganisationRepository;
  portalClients: PortalClientRepository;
  postcodes: PostcodeRepository;
  processRevisions: ProcessRevisionRepository;
  residents: ResidentRepository;
  staffSso: StaffSsoRepository;
  statusCallbacks: StatusCallbackRepository;
  tasks: TaskRepository;
  throttles: ThrottleRepository;
  timeline: TimelineRepository;
  users: UserRepository;
  workload: WorkloadRepository;
}

/** `documentStore`: where document content lives; default the database itself. */
export function createRepositories(db: Db, documentStore?: DocumentStore): Repositories {
  return {
    transaction: (work) => db.transaction(work),
    absences: new AbsenceRepository(db),
    audit: new AuditRepository(db),
    cases: new CaseRepository(db),
    citizenSessions: new CitizenSessionRepository(db),
    deployments: new DeploymentRepository(db),
    documents: new DocumentRepository(db, documentStore),
    fees: new FeeRepository(db),
    incidents: new IncidentRepository(db),
    infoRequests: new InfoRequestRepository(db),
    installation: new InstallationRepository(db),
    mail: new MailRepository(db),
    notes: new NoteRepository(db),
    operations: new OperationsRepository(db),
    organisations: new OrganisationRepository(db),
    portalClients: new PortalClientRepository(db),
    postcodes: new PostcodeRepository(),
    processRevisions: new ProcessRevisionRepository(db),
    residents: new ResidentRepository(db),
    staffSso: new StaffSsoRepository(db),
    statusCallbacks: new StatusCallbackRepository(db),
    tasks: new TaskRepository(db),
    throttles: new ThrottleRepository(db),
    timeline: new TimelineRepository(db),
    users: new UserRepository(db),
    workload: new WorkloadRepository(db),
  };
}
