/**
 * Demo data (DEMO_MODE=true only): staff users with the DEMO_PASSWORD, a small resident register
 * for Luzern, Emmen and Kriens, and per-municipality fees. All values here are invented for the
 * demo; fees are marked as demo values.
 */
import { hash } from '@node-rs/argon2';
import type { Db } from '../../server/db/database';
import type { Repositories } from '../../server/repositories';
import type { Role } from '../../server/repositories/users';
import type { NewResident } from '../../server/repositories/residents';
import { municipalityOrganisationId as org } from '../../server/repositories/organisations';
import { cantonalOffices } from './reference';
import { DEBT_OFFICE, PARKING_OFFICE, TAX_OFFICE } from '../../model/responsible-offices';
import { swissIban } from '../../model/payment-reference';

export const demoUsers: Array<{ username: string; displayName: string; roles: Role[]; groups: string[]; organisations: string[] }> = [
  { username: 'admin', displayName: 'Administrator', roles: ['admin'], groups: [], organisations: [] },
  { username: 'luzern.einwohnerdienste', displayName: 'Lea Meier (Einwohnerdienste Luzern)', roles: ['clerk'], groups: ['einwohnerdienste'], organisations: [org(1061)] },
  { username: 'emmen.einwohnerdienste', displayName: 'Marco Bucher (Einwohnerdienste Emmen)', roles: ['clerk'], groups: ['einwohnerdienste'], organisations: [org(1024)] },
  { username: 'luzern.teamlead', displayName: 'Sandra Amrein (Teamleitung Luzern)', roles: ['teamlead', 'clerk'], groups: ['einwohnerdienste'], organisations: [org(1061)] },
  { username: 'emmen.teamlead', displayName: 'Roman Kaufmann (Teamleitung Emmen)', roles: ['teamlead', 'clerk'], groups: ['einwohnerdienste'], organisations: [org(1024)] },
  { username: 'steuern.sachbearbeitung', displayName: 'Nadia Frei (Dienststelle Steuern)', roles: ['clerk'], groups: ['steuern'], organisations: ['canton:steuerverwaltung'] },
  { username: 'steuern.teamlead', displayName: 'Thomas Bucher (Teamleitung Steuern)', roles: ['teamlead', 'clerk'], groups: ['steuern'], organisations: ['canton:steuerverwaltung'] },
  // one inbox per responsible office (model/responsible-offices.ts)
  { username: 'betreibungsamt.sachbearbeitung', displayName: 'Martina Graf (Betreibungsamt Luzern)', roles: ['clerk'], groups: ['betreibungsamt'], organisations: [DEBT_OFFICE.ofMunicipality(1061)] },
  {
    username: 'betreibungsamt.teamlead',
    displayName: 'Urs Schmid (Teamleitung Betreibungsamt Luzern)',
    roles: ['teamlead', 'clerk'],
    groups: ['betreibungsamt'],
    organisations: [DEBT_OFFICE.ofMunicipality(1061)],
  },
  { username: 'emmen.betreibungsamt', displayName: 'Irene Lang (Betreibungsamt Emmen)', roles: ['clerk'], groups: ['betreibungsamt'], organisations: [DEBT_OFFICE.ofMunicipality(1024)] },
  { username: 'entlebuch.betreibungsamt', displayName: 'Josef Studer (Regionales Betreibungsamt Entlebuch)', roles: ['clerk'], groups: ['betreibungsamt'], organisations: [DEBT_OFFICE.regions[0].id] },
  { username: 'luzern.steueramt', displayName: 'Karin Arnold (Steueramt Luzern)', roles: ['clerk'], groups: ['steuern'], organisations: [TAX_OFFICE.ofMunicipality(1061)] },
  { username: 'emmen.steueramt', displayName: 'Stefan Huber (Steueramt Emmen)', roles: ['clerk'], groups: ['steuern'], organisations: [TAX_OFFICE.ofMunicipality(1024)] },
  {
    username: 'emmen.steueramt.teamlead',
    displayName: 'Monika Zihlmann (Teamleitung Steueramt Emmen)',
    roles: ['teamlead', 'clerk'],
    groups: ['steuern'],
    organisations: [TAX_OFFICE.ofMunicipality(1024)],
  },
  { username: 'luzern.parkkarten', displayName: 'Reto Birrer (Stadtraum und Veranstaltungen)', roles: ['clerk'], groups: ['parkkarten'], organisations: [PARKING_OFFICE.id] },
  { username: 'prozess.owner', displayName: 'Peter Wicki (Prozessverantwortung)', roles: ['process_owner'], groups: [], organisations: [org(1061), ...cantonalOffices.map((o) => o.id)] },
];

const address = (street: string, houseNumber: string, postalCode: string, town: string) => ({ street, houseNumber, postalCode, town });

export const demoResidents: NewResident[] = [
  {
    bfsNumber: 1061,
    firstName: 'Anna',
    lastName: 'Muster',
    dateOfBirth: '1985-04-12',
    address: address('Pilatusstrasse', '12', '6003', 'Luzern'),
    residenceType: 'main',
    dataLock: false,
    movedInOn: '2012-09-01',
    ahvNumber: '756.1234.5678.97',
  },
  {
    bfsNumber: 1061,
    firstName: 'Beat',
    lastName: 'Zimmermann',
    dateOfBirth: '1972-11-03',
    address: address('Haldenstrasse', '8', '6006', 'Luzern'),
    residenceType: 'main',
    dataLock: true,
    movedInOn: '1999-03-15',
  },
  {
    bfsNumber: 1061,
    firstName: 'Chiara',
    lastName: 'Rossi',
    dateOfBirth: '1996-07-21',
    address: address('Bruchstrasse', '41', '6003', 'Luzern'),
    residenceType: 'secondary',
    dataLock: false,
    movedInOn: '2021-02-01',
  },
  {
    bfsNumber: 1061,
    firstName: 'Daniel',
    lastName: 'Steiner',
    dateOfBirth: '1990-01-30',
    address: address('Baselstrasse', '17', '6003', 'Luzern'),
    residenceType: 'main',
    dataLock: false,
    movedInOn: '2018-06-01',
  },
  {
    bfsNumber: 1024,
    firstName: 'Elena',
    lastName: 'Huber',
    dateOfBirth: '1988-09-09',
    address: address('Gerliswilstrasse', '53', '6020', 'Emmenbrücke'),
    residenceType: 'main',
    dataLock: false,
    movedInOn: '2015-04-01',
  },
  {
    bfsNumber: 1024,
    firstName: 'Fabian',
    lastName: 'Wyss',
    dateOfBirth: '1979-05-14',
    address: address('Seetalstrasse', '2', '6032', 'Emmen'),
    residenceType: 'main',
    dataLock: false,
    movedInOn: '2005-08-15',
  },
  {
    bfsNumber: 1059,
    firstName: 'Gabriela',
    lastName: 'Bühler',
    dateOfBirth: '1983-12-24',
    address: address('Luzernerstrasse', '21', '6010', 'Kriens'),
    residenceType: 'main',
    dataLock: false,
    movedInOn: '2010-01-01',
  },
  {
    bfsNumber: 1059,
    firstName: 'Hans',
    lastName: 'Portmann',
    dateOfBirth: '1955-02-28',
    address: address('Schachenstrasse', '5', '6010', 'Kriens'),
    residenceType: 'main',
    dataLock: false,
    movedInOn: '1980-05-01',
  },
];

/**
 * Demo fees per municipality. Residence certificate: no Lucerne tariff found (Zürich charges CHF
 * 30). Address inquiry (adressauskunft): no Lucerne tariff found either; Schwyz municipalities
 * charge CHF 10 (gersau.ch, feusisberg.ch: "Adressauskunft"), so the values are invented around
 * that and marked as demo.
 */
const demoFees = [
  { serviceKey: 'wohnsitzbestaetigung', bfsNumber: 1061, amountCents: 3000 },
  { serviceKey: 'wohnsitzbestaetigung', bfsNumber: 1024, amountCents: 2500 },
  { serviceKey: 'wohnsitzbestaetigung', bfsNumber: 1059, amountCents: 2000 },
  { serviceKey: 'adressauskunft', bfsNumber: 1061, amountCents: 1500 },
  { serviceKey: 'adressauskunft', bfsNumber: 1024, amountCents: 1000 },
  { serviceKey: 'adressauskunft', bfsNumber: 1059, amountCents: 1200 },
];

/**
 * Issuer and creditor data of the organisations for documents and QR-bill invoices. Addresses of
 * the demo municipalities and offices are plausible, all IBANs are invented demo QR-IBANs
 * (institution id 30808, valid check digits) and marked iban_is_demo.
 */
const demoOrganisationDetails: Record<string, { department: string | null; street: string; houseNumber: string; postalCode: string; town: string }> = {
  [org(1061)]: { department: 'Einwohnerdienste', street: 'Hirschengraben', houseNumber: '17', postalCode: '6002', town: 'Luzern' },
  [org(1024)]: { department: 'Einwohnerdienste', street: 'Rüeggisingerstrasse', houseNumber: '22', postalCode: '6020', town: 'Emmenbrücke' },
  [org(1059)]: { department: 'Einwohnerdienste', street: 'Schachenstrasse', houseNumber: '13', postalCode: '6010', town: 'Kriens' },
  'canton:steuerverwaltung': { department: 'Veranlagung natürliche Personen', street: 'Buobenmatt', houseNumber: '1', postalCode: '6002', town: 'Luzern' },
  [PARKING_OFFICE.id]: { department: 'Parkkarten', street: 'Winkelriedstrasse', houseNumber: '12a', postalCode: '6002', town: 'Luzern' },
  'canton:veterinaerdienst': { department: null, street: 'Meyerstrasse', houseNumber: '20', postalCode: '6002', town: 'Luzern' },
  'canton:strassenverkehrsamt': { department: null, street: 'Arsenalstrasse', houseNumber: '45', postalCode: '6010', town: 'Kriens' },
};

async function seedDemoOrganisationDetails(db: Db, repos: Repositories): Promise<void> {
  const municipalities = await repos.organisations.listMunicipalities();
  const rows = await db('organisations').select('id', 'kind', 'bfs_number');
  for (const [i, row] of rows.entries()) {
    const m = municipalities.find((x) => x.bfsNumber === row.bfs_number);
    const details = demoOrganisationDetails[row.id] ?? {
      department: row.kind === 'municipality' ? 'Gemeindeverwaltung' : null,
      street: 'Gemeindehaus',
      houseNumber: '',
      postalCode: m?.postalCodes[0] ?? '6002',
      town: m?.name ?? 'Luzern',
    };
    // a municipality's own account by its BFS number; its offices and the cantonal ones by position
    const account = row.id === org(row.bfs_number) ? `1${String(row.bfs_number).padStart(6, '0')}` : `2${String(i).padStart(6, '0')}`;
    await db('organisations')
      .where({ id: row.id })
      .update({
        department: details.department,
        street: details.street,
        house_number: details.houseNumber,
        postal_code: details.postalCode,
        town: details.town,
        iban: swissIban('30808', account),
        iban_is_demo: true,
      });
  }
}

export async function seedDemoData(db: Db, repos: Repositories, demoPassword: string): Promise<void> {
  const passwordHash = await hash(demoPassword); // @node-rs/argon2 defaults to argon2id
  for (const user of demoUsers) {
    await repos.users.upsert({ ...user, email: `${user.username}@demo.lu.ch`, passwordHash });
  }
  if ((await repos.residents.count()) === 0) await repos.residents.insert(demoResidents);
  for (const fee of demoFees) await repos.fees.setMunicipalityFee(fee.serviceKey, fee.bfsNumber, fee.amountCents, true);
  await seedDemoOrganisationDetails(db, repos);
}
