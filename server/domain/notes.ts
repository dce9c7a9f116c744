/** Internal case notes for staff (the "Dossier"); never shown to the applicant. */
import type { Repositories } from '../repositories';
import type { User } from '../repositories/users';
import { visibleCase } from './cases';
import { forbidden, notFound } from './errors';

export class NoteService {
  constructor(private readonly repos: Repositories) {}

  async list(user: User, reference: string) {
    const c = await visibleCase(this.repos, user, reference);
    const notes = await this.repos.notes.forCase(c.id);
    return notes.map(({ caseId: _c, ...n }) => ({ ...n, own: n.author === user.username }));
  }

  async add(user: User, reference: string, body: string) {
    const c = await visibleCase(this.repos, user, reference);
    const { caseId: _c, ...note } = await this.repos.notes.insert({ caseId: c.id, author: user.username, authorName: user.displayName, body });
    return { ...note, own: true };
  }

  async remove(user: User, reference: string, id: number): Promise<void> {
    const c = await visibleCase(this.repos, user, reference);
    const note = await this.repos.notes.get(c.id, id);
    if (!note) throw notFound('Notiz nicht gefunden');
    if (note.author !== user.username || !(await this.repos.notes.deleteOwn(c.id, id, user.username))) {
      throw forbidden('Nur die Verfasserin oder der Verfasser kann die Notiz löschen');
    }
  }
}
