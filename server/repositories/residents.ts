import type { Db } from '../db/database';
import type { MoveRecordAction, MovingPerson, ReportedMove, Resident } from '../../model/types';

export type NewResident = Omit<Resident, 'id'>;

/** The demo resident register (in production this port talks to the municipality's register). */
export class ResidentRepository {
  constructor(private readonly db: Db) {}

  /** Residents (not moved out: RHG Art. 6 lit. r keeps them as history only) matching name and birth date. */
  async find(q: { bfsNumber: number; firstName: string; lastName: string; dateOfBirth: string }): Promise<Resident[]> {
    const rows = await this.db('residents')
      .where({ bfs_number: q.bfsNumber, date_of_birth: q.dateOfBirth })
      .whereNull('moved_out_on')
      .whereRaw('lower(first_name) = ?', [q.firstName.trim().toLowerCase()])
      .whereRaw('lower(last_name) = ?', [q.lastName.trim().toLowerCase()]);
    return rows.map(toResident);
  }

  /**
   * Residents of a municipality by name and, where given, birth date and street (the address
   * inquiry: a person named by name and birth date or by a last known address). Moved-out
   * persons are not residents and not found.
   */
  async search(q: { bfsNumber: number; firstName: string; lastName: string; dateOfBirth?: string; street?: string }): Promise<Resident[]> {
    const query = this.db('residents')
      .where({ bfs_number: q.bfsNumber })
      .whereNull('moved_out_on')
      .whereRaw('lower(first_name) = ?', [q.firstName.trim().toLowerCase()])
      .whereRaw('lower(last_name) = ?', [q.lastName.trim().toLowerCase()]);
    if (q.dateOfBirth) query.where({ date_of_birth: q.dateOfBirth });
    if (q.street) query.whereRaw('lower(street) = ?', [q.street.trim().toLowerCase()]);
    return (await query.orderBy('id')).map(toResident);
  }

  /** Sets or lifts the data lock of one record of a municipality; idempotent (`changed` false when it already was so). */
  async setDataLock(lock: { residentId: number; bfsNumber: number; locked: boolean }): Promise<{ changed: boolean }> {
    const n = await this.db('residents').where({ id: lock.residentId, bfs_number: lock.bfsNumber, data_lock: !lock.locked }).update({ data_lock: lock.locked });
    return { changed: Number(n) > 0 };
  }

  /**
   * Applies a reported move to each moving person (the applicant and every family member is a
   * person of the register), idempotently (a retried job changes nothing twice). After RHG
   * (SR 431.02) Art. 6: lit. q (arrival: date and previous municipality or country), lit. r
   * (leaving: date and destination municipality or country), lit. s (move within: date).
   * - The record in `toBfs` gets the new address and `moved_in_on` (inserted when unknown, with
   *   `arrived_from`).
   * - The record in `fromBfs` (another municipality, or `toBfs` null: leaving the canton) is not
   *   deleted: it keeps the person with `moved_out_on` and `moved_out_to` and is no longer found
   *   as a resident.
   * `action` is the applicant's (the first person's); `actions` one per person.
   */
  async recordMove(move: ReportedMove): Promise<{ action: MoveRecordAction; actions: MoveRecordAction[] }> {
    const actions: MoveRecordAction[] = [];
    for (const person of move.persons) actions.push(await this.recordPersonMove(move, person));
    return { action: actions[0] ?? 'none', actions };
  }

  private async recordPersonMove(move: ReportedMove, person: MovingPerson): Promise<MoveRecordAction> {
    const find = (bfsNumber: number) => this.find({ bfsNumber, ...person });
    const moveOut = async (bfs: number): Promise<boolean> => {
      const ids = (await find(bfs)).map((r) => r.id);
      if (ids.length === 0) return false;
      await this.db('residents')
        .whereIn('id', ids)
        .update({ moved_out_on: move.movedOn, moved_out_to: (move.destination ?? '').slice(0, 400) || null });
      return true;
    };
    if (move.toBfs === null) {
      if (move.fromBfs === null) return 'none';
      return (await moveOut(move.fromBfs)) ? 'moved_out' : 'none';
    }
    const address = move.newAddress!;
    const values = {
      bfs_number: move.toBfs,
      street: address.street,
      house_number: address.houseNumber,
      postal_code: address.postalCode,
      town: address.town,
      residence_type: 'main',
      moved_in_on: move.movedOn,
    };
    const atTarget = await find(move.toBfs);
    if (move.fromBfs !== null && move.fromBfs !== move.toBfs) await moveOut(move.fromBfs);
    if (atTarget.length > 0) {
      await this.db('residents').where({ id: atTarget[0]!.id }).update(values);
      return 'updated';
    }
    const arrivedFrom = move.origin ? (move.origin.foreignAddress ? JSON.stringify(move.origin.foreignAddress) : move.origin.text) : null;
    await this.db('residents').insert({ ...values, first_name: person.firstName, last_name: person.lastName, date_of_birth: person.dateOfBirth, data_lock: false, arrived_from: arrivedFrom });
    return 'inserted';
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db('residents').count({ n: '*' });
    return Number(n);
  }

  async insert(residents: NewResident[]): Promise<void> {
    await this.db('residents').insert(
      residents.map((r) => ({
        bfs_number: r.bfsNumber,
        first_name: r.firstName,
        last_name: r.lastName,
        date_of_birth: r.dateOfBirth,
        street: r.address.street,
        house_number: r.address.houseNumber,
        postal_code: r.address.postalCode,
        town: r.address.town,
        residence_type: r.residenceType,
        data_lock: r.dataLock,
        moved_in_on: r.movedInOn,
        ahv_number: r.ahvNumber ?? null,
      })),
    );
  }
}

function toResident(row: any): Resident {
  return {
    id: row.id,
    bfsNumber: row.bfs_number,
    firstName: row.first_name,
    lastName: row.last_name,
    dateOfBirth: row.date_of_birth,
    address: { street: row.street, houseNumber: row.house_number, postalCode: row.postal_code, town: row.town },
    residenceType: row.residence_type,
    dataLock: Boolean(row.data_lock),
    movedInOn: row.moved_in_on,
    ahvNumber: row.ahv_number ?? null,
  };
}
