/**
 * What a job does, in words (shared/ui/job-words.ts): the popup's Undo window and the toolbar
 * badge's title say it, in English and in French, counted right at 1 and at 2 or more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { courseCountOf, doingWords } from '../../src/shared/ui/job-words';
import { installI18n } from '../i18n';

afterEach(() => installI18n('en'));

describe('what a job does, in words', () => {
  it('says what, how many and where, in English', () => {
    expect(doingWords(undefined, 76, 4)).toBe('Revoking 76 pending invites in 4 courses');
    expect(doingWords(undefined, 1, 1)).toBe('Revoking 1 pending invite in 1 course');
    expect(doingWords(undefined, 3, 'every')).toBe('Revoking 3 pending invites in every course');
    expect(doingWords(undefined, 1)).toBe('Revoking 1 pending invite');
    expect(doingWords('reassign', 1)).toBe('Reassigning 1 invite');
    expect(doingWords('renew', 2)).toBe('Renewing 2 invites');
    expect(doingWords('make-room', 5)).toBe('Inviting 5 addresses and making room');
    expect(doingWords(undefined, 1250)).toBe('Revoking 1,250 pending invites');
  });

  it('says it in French, singular at 0 and 1, plural from 2', () => {
    installI18n('fr');
    expect(doingWords(undefined, 76, 4)).toBe('Révocation de 76 invitations en attente dans 4 cours');
    expect(doingWords(undefined, 1, 1)).toBe('Révocation de 1 invitation en attente dans 1 cours');
    expect(doingWords(undefined, 0)).toBe('Révocation de 0 invitation en attente');
    expect(doingWords(undefined, 2, 'every')).toBe(
      'Révocation de 2 invitations en attente dans tous les cours',
    );
    expect(doingWords('reassign', 1)).toBe('Réattribution de 1 invitation');
    expect(doingWords('reassign', 2)).toBe('Réattribution de 2 invitations');
    expect(doingWords('renew', 1)).toBe('Renouvellement de 1 invitation');
    expect(doingWords('renew', 3)).toBe('Renouvellement de 3 invitations');
    expect(doingWords('make-room', 1)).toBe('Invitation de 1 adresse et libération de places');
    expect(doingWords('make-room', 5)).toBe('Invitation de 5 adresses et libération de places');
    // Numbers as a French reader writes them (a narrow no-break space between thousands).
    expect(doingWords(undefined, 1250)).toBe('Révocation de 1\u202f250 invitations en attente');
  });

  it('names the courses of a revoke only when it spans several', () => {
    expect(courseCountOf({ kind: 'courses', courseIds: 'all' })).toBe('every');
    expect(courseCountOf({ kind: 'courses', courseIds: ['c-1', 'c-2'] })).toBe(2);
    expect(courseCountOf({ kind: 'course', courseId: 'c-1' })).toBeNull();
  });
});
