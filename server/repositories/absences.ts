/** Absences of staff with their deputies (migration 020); times are ISO 8601 UTC strings, compared as text. */
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface Absence {
  id: number;
  username: string;
  organisationId: string;
  deputy: string;
  from: string;
  to: string;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

export type NewAbsence = Omit<Absence, 'id' | 'createdAt'>;

/** Whose absences a caller sees: all (admins), or their own, those they stand in for and those of the organisations they manage. */
export type AbsenceScope = 'all' | { username: string; managedOrganisations: string[] };

export class AbsenceRepository {
  constructor(private readonly db: Db) {}

  async create(absence: NewAbsence): Promise<Absence> {
    const createdAt = nowIso();
    const [row] = await this.db('absences')
      .insert({
        username: absence.username,
        organisation_id: absence.organisationId,
        deputy: absence.deputy,
        starts_at: absence.from,
        ends_at: absence.to,
        note: absence.note,
        created_by: absence.createdBy,
        created_at: createdAt,
      })
      .returning('id');
    const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
    return { ...absence, id, createdAt };
  }

  async get(id: number): Promise<Absence | undefined> {
    const row = await this.db('absences').where({ id }).first();
    return row ? toAbsence(row) : undefined;
  }

  /** Absences not yet over at `now` (current and future), then the newest past ones, up to `limit`. */
  async list(scope: AbsenceScope, now: string, limit = 500): Promise<Absence[]> {
    const rows = await this.db('absences')
      .modify((b) => {
        if (scope === 'all') return;
        b.where((w) => {
          w.where('username', scope.username).orWhere('deputy', scope.username);
          if (scope.managedOrganisations.length > 0) w.orWhereIn('organisation_id', scope.managedOrganisations);
        });
      })
      .orderByRaw('case when ends_at > ? then 0 else 1 end', [now])
      .orderBy('starts_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit);
    return rows.map(toAbsence);
  }

  async delete(id: number): Promise<boolean> {
    return (await this.db('absences').where({ id }).delete()) === 1;
  }

  /** An absence of `username` in the organisation overlapping [from, to), if any. */
  async overlapping(username: string, organisationId: string, from: string, to: string): Promise<Absence | undefined> {
    const row = await this.db('absences').where({ username, organisation_id: organisationId }).where('starts_at', '<', to).where('ends_at', '>', from).first();
    return row ? toAbsence(row) : undefined;
  }

  /** An absence in the organisation overlapping [from, to) in which `deputy` stands in for someone, if any. */
  async overlappingAsDeputy(deputy: string, organisationId: string, from: string, to: string): Promise<Absence | undefined> {
    const row = await this.db('absences').where({ deputy, organisation_id: organisationId }).where('starts_at', '<', to).where('ends_at', '>', from).first();
    return row ? toAbsence(row) : undefined;
  }

  /** Every absence running at `now`. */
  async activeAt(now: string): Promise<Absence[]> {
    const rows = await this.db('absences').where('starts_at', '<=', now).where('ends_at', '>', now).orderBy('id');
    return rows.map(toAbsence);
  }

  /** The absence of `username` in the organisation running at `now`, if any. */
  async activeFor(username: string, organisationId: string, now: string): Promise<Absence | undefined> {
    const row = await this.db('absences').where({ username, organisation_id: organisationId }).where('starts_at', '<=', now).where('ends_at', '>', now).orderBy('id').first();
    return row ? toAbsence(row) : undefined;
  }
}

function toAbsence(row: any): Absence {
  return {
    id: Number(row.id),
    username: row.username,
    organisationId: row.organisation_id,
    deputy: row.deputy,
    from: row.starts_at,
    to: row.ends_at,
    note: row.note ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
