import type { Db } from '../db/database';
import type { Resident } from '../../model/types';

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
