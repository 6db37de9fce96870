import { describe, expect, it } from 'vitest';
import {
  packContacts,
  packEnrollmentContacts,
  unpackContacts,
  unpackEnrollmentContacts,
  unpackEnrollmentNames,
} from './extract.js';
import { packNameWords } from './pii.js';

describe('unpackEnrollmentNames', () => {
  const contacts = new Map([
    ['1\u000010', packNameWords('Maria', 'Lopez', 'Maria Lopez')],
    ['1\u000011', packNameWords(null, null, null)],
    ['2\u000010', packNameWords('Jo', null, null)],
  ]);
  const enrollmentContact = new Map([
    ['100', '1\u000010'],
    ['101', '2\u000010'],
    ['102', '1\u000011'],
    ['103', '9\u000099'],
  ]);

  it('when the packed maps are joined then every enrollment gets what the two lookups give', () => {
    const names = unpackEnrollmentNames(packContacts(contacts), packEnrollmentContacts(enrollmentContact));
    const words = unpackContacts(packContacts(contacts));
    const byContact = unpackEnrollmentContacts(packEnrollmentContacts(enrollmentContact));
    for (const id of ['100', '101', '102', '103', '104']) {
      const contact = byContact.get(id);
      expect(names.get(id)).toBe(contact === undefined ? undefined : words.get(contact));
    }
    expect(names.get('101')).toBe(packNameWords('Jo', null, null));
    // An enrollment whose contact is unknown is left out: its texts are withheld.
    expect(names.has('103')).toBe(false);
  });
});
