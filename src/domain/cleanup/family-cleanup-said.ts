import type { FamilyCleanup } from '../../workflows/cleanup/delete-task-definition-family.js'

/** What deleting a family's revisions did, as the operations' events say it. */
export function familyCleanupSaid(done: FamilyCleanup): string {
  return `deregistered ${done.deregistered.length} revision(s), deleted ${done.secrets.length} credential secret(s)`
}
