/**
 * One issuing authority name per organisation (issue 16 item 4): the five Lucerne towns were
 * seeded as "Gemeinde …" while their certificates said "Stadt …". Renames the seeded name only
 * (an administrator's own name for the organisation stays).
 */
import type { Knex } from 'knex';
import { TOWN_BFS_NUMBERS } from '../model/authority';

export async function up(knex: Knex): Promise<void> {
  await retitleTowns(knex, 'Gemeinde ', 'Stadt ');
}

export async function down(knex: Knex): Promise<void> {
  await retitleTowns(knex, 'Stadt ', 'Gemeinde ');
}

/** Replaces the title of the towns whose name still starts with `from`. */
async function retitleTowns(knex: Knex, from: string, to: string): Promise<void> {
  const towns = await knex('organisations')
    .where({ kind: 'municipality' })
    .whereIn('bfs_number', [...TOWN_BFS_NUMBERS])
    .select('id', 'name');
  for (const town of towns as Array<{ id: string; name: string }>) {
    if (town.name.startsWith(from))
      await knex('organisations')
        .where({ id: town.id })
        .update({ name: `${to}${town.name.slice(from.length)}` });
  }
}
