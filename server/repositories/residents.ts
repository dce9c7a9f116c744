import type { Db } from '../db/database';
import type { MoveRecordAction, ReportedMove, Resident } from '../../model/types';

export type NewResident = Omit<Resident, 'id'>;

/** The demo resident register (in production this port talks to the municipality's register). */
export class ResidentRepository {
  constructor(private readonly db: Db) {}

  async find(q: { bfsNumber: number; firstName: string; lastName: string; dateOfBirth: string }): Promise<Resident[]> {
    const rows = await this.db('residents')
      .where({ bfs_number: q.bfsNumber, date_of_birth: q.dateOfBirth })
      .whereRaw('lower(first_name) = ?', [q.firstName.trim().toLowerCase()])
      .whereRaw('lower(last_name) = ?', [q.lastName.trim().toLowerCase()]);
    return rows.map(toResident);
  }

  /**
   * Residents of a municipality by name and, where given, birth date and street (the address
   * inquiry: a person named by name and birth date or by a last known address).
   */
  async search(q: { bfsNumber: number; firstName: string; lastName: string; dateOfBirth?: string; street?: string }): Promise<Resident[]> {
    const query = this.db('residents')
      .where({ bfs_number: q.bfsNumber })
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
   * Applies a reported move, idempotently (a retried job changes nothing twice): the person's
   * record in `fromBfs` moves to `toBfs` with the new address (or is inserted there when unknown);
   * with `toBfs` null the person leaves the canton and the record is removed.
   */
  async recordMove(move: ReportedMove): Promise<{ action: MoveRecordAction }> {
    const { person } = move;
    const find = (bfsNumber: number) => this.find({ bfsNumber, ...person });
    const values = (bfs: number) => ({
      bfs_number: bfs,
      street: move.newAddress!.street,
      house_number: move.newAddress!.houseNumber,
      postal_code: move.newAddress!.postalCode,
      town: move.newAddress!.town,
      residence_type: 'main',
      moved_in_on: move.movedOn,
    });
    if (move.toBfs === null) {
      if (move.fromBfs === null) return { action: 'none' };
      const ids = (await find(move.fromBfs)).map((r) => r.id);
      if (ids.length === 0) return { action: 'none' };
      await this.db('residents').whereIn('id', ids).delete();
      return { action: 'removed' };
    }
    const atTarget = await find(move.toBfs);
    const atSource = move.fromBfs !== null && move.fromBfs !== move.toBfs ? await find(move.fromBfs) : [];
    if (atTarget.length > 0) {
      await this.db('residents').where({ id: atTarget[0]!.id }).update(values(move.toBfs));
      if (atSource.length > 0)
        await this.db('residents')
          .whereIn(
            'id',
            atSource.map((r) => r.id),
          )
          .delete();
      return { action: 'updated' };
    }
    if (atSource.length > 0) {
      await this.db('residents').where({ id: atSource[0]!.id }).update(values(move.toBfs));
      return { action: 'updated' };
    }
    await this.db('residents').insert({ ...values(move.toBfs), first_name: person.firstName, last_name: person.lastName, date_of_birth: person.dateOfBirth, data_lock: false });
    return { action: 'inserted' };
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
