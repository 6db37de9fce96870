import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  emailDomainType,
  hasPhone,
  isTestContact,
  MASKER_MAX_TEXT,
  PiiHasher,
  packNameWords,
  phoneAreaCode,
  redactText,
  TextMasker,
} from './pii.js';

describe('PiiHasher', () => {
  const hasher = new PiiHasher('0123456789abcdef0123');

  it('when the same email differs only in case and spaces then the hashes are equal', () => {
    expect(hasher.hash('email', ' Maria.Lopez@Gmail.com ')).toBe(
      hasher.hash('email', 'maria.lopez@gmail.com'),
    );
  });

  it('when phones differ only in formatting then the hashes are equal', () => {
    expect(hasher.hash('phone', '(312) 555-0199')).toBe(hasher.hash('phone', '312.555.0199'));
  });

  it('when the key changes then the hash changes', () => {
    const other = new PiiHasher('another-key-of-enough-length');
    expect(other.hash('email', 'a@b.com')).not.toBe(hasher.hash('email', 'a@b.com'));
  });

  it('when the value is empty then the hash is null', () => {
    expect(hasher.hash('email', '  ')).toBeNull();
    expect(hasher.hash('phone', null)).toBeNull();
  });

  it('when the hash is made then it does not contain the value', () => {
    const h = hasher.hash('email', 'maria@example.com');
    expect(h).toMatch(/^[0-9a-f]{32}$/);
  });

  it('when ids repeat among many others (cached and evicted) then each hash is the HMAC of its own id', () => {
    const key = '0123456789abcdef0123';
    const fresh = new PiiHasher(key);
    const expected = (id: string) =>
      createHmac('sha256', Buffer.from(key)).update(`id:${id}`).digest('hex').slice(0, 32);
    // 30k distinct ids over 65,536 cache slots (thousands share a slot), each three times, in two orders.
    const ids = Array.from({ length: 30_000 }, (_, i) => `thread-${i % 3 === 0 ? i : i * 7919}`);
    const seen = new Map<string, string>();
    for (const round of [0, 1, 2]) {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[round === 1 ? ids.length - 1 - k : k]!;
        const h = fresh.hash('id', id)!;
        const before = seen.get(id);
        if (before === undefined) seen.set(id, h);
        else if (before !== h) throw new Error(`id ${id} hashed to ${before} then ${h}`);
      }
    }
    for (const id of ids.slice(0, 2000)) expect(seen.get(id)).toBe(expected(id));
  });

  it('when the key is short then it is refused with pii.keyTooShort', () => {
    expect(() => new PiiHasher('short')).toThrow(expect.objectContaining({ code: 'pii.keyTooShort' }));
  });
});

describe('emailDomainType', () => {
  it.each([
    [null, 'missing'],
    ['', 'missing'],
    ['not-an-email', 'invalid'],
    ['x@gmail.com', 'free'],
    ['x@state.edu', 'edu'],
    ['x@irs.gov', 'gov'],
    ['x@mailinator.com', 'disposable'],
    ['x@example.com', 'test'],
    ['x@acme-roofing.com', 'business'],
  ])('when the email is %s then the type is %s', (email, type) => {
    expect(emailDomainType(email)).toBe(type);
  });
});

describe('phoneAreaCode', () => {
  it('when the number is NANP with a country code then the area code is returned', () => {
    expect(phoneAreaCode('+1 (312) 555-0199')).toBe('312');
  });
  it('when the number is not NANP then it is null', () => {
    expect(phoneAreaCode('+44 20 7946 0958')).toBeNull();
    expect(phoneAreaCode(null)).toBeNull();
  });
  it('when the value has few digits then hasPhone is false', () => {
    expect(hasPhone('12')).toBe(false);
    expect(hasPhone('312-555-0199')).toBe(true);
  });
});

describe('isTestContact', () => {
  it('when the name says test then it is a test contact', () => {
    expect(isTestContact({ first_name: 'Test', last_name: 'Test', email: 'a@b.com' })).toBe(true);
  });
  it('when the phone is a 555-01xx number then it is a test contact', () => {
    expect(isTestContact({ first_name: 'Ann', phone: '(312) 555-0100' })).toBe(true);
  });
  it('when the contact is ordinary then it is not', () => {
    expect(
      isTestContact({ first_name: 'Ann', last_name: 'Lee', email: 'ann@lee.com', phone: '312-555-2190' }),
    ).toBe(false);
  });
});

describe('redactText', () => {
  const contact = { firstName: 'Maria', lastName: 'Lopez', fullName: 'Maria Lopez' };

  it('when the text greets the contact by name then the name is masked', () => {
    expect(redactText('Hi Maria, this is Cory. maria? MARIA!', contact)).toBe(
      'Hi [first_name], this is Cory. [first_name]? [first_name]!',
    );
  });

  it('when the name is part of a longer word then the word is kept', () => {
    expect(redactText('Mariachi band', contact)).toBe('Mariachi band');
  });

  it('when the text holds the full name then the full name token is used', () => {
    expect(redactText('Dear Maria Lopez,', contact)).toBe('Dear [full_name],');
  });

  it('when the text holds any email or phone then they are masked', () => {
    expect(redactText('write bob@corp.io or call +1 (415) 555-2671 today', undefined)).toBe(
      'write [email] or call [phone] today',
    );
  });

  it('when the text has short numbers then they are kept', () => {
    expect(redactText('2 slots: Tue 10:30 or Wed 3pm, 15 min', undefined)).toBe(
      '2 slots: Tue 10:30 or Wed 3pm, 15 min',
    );
  });

  it('when the text is null then null', () => {
    expect(redactText(null, contact)).toBeNull();
  });
});

describe('TextMasker', () => {
  const contacts = [
    { firstName: 'Maria', lastName: 'Lopez', fullName: 'Maria Lopez' },
    { firstName: 'Al', lastName: null, fullName: '  AL  ' },
    { firstName: 'Jo', lastName: 'Lee', fullName: null },
    { firstName: null, lastName: null, fullName: null },
  ];
  const texts = [
    'Hi Maria, this is Cory. maria? MARIA!',
    'Dear Maria Lopez, call +1 (415) 555-2671 or write maria@corp.io',
    'Hi Al, Jo and Lee: Mariachi at 10:30',
    'Hi Jo Lee, see you',
    '',
  ];

  it('when texts repeat across contacts then each result equals redactText', () => {
    const masker = new TextMasker();
    // Every text for every contact, twice: the second round reads the remembered texts.
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        for (const c of contacts) {
          const names = packNameWords(c.firstName, c.lastName, c.fullName);
          expect(masker.mask(text, names)).toBe(redactText(text, c));
        }
        expect(masker.mask(text, undefined)).toBe(redactText(text, undefined));
      }
    }
  });

  it('when texts are longer than the longest remembered then they bypass the memory and results equal redactText', () => {
    const masker = new TextMasker();
    const c = contacts[0]!;
    const names = packNameWords(c.firstName, c.lastName, c.fullName);
    const short = texts[1]!;
    const long = `${short} `.repeat(Math.ceil((MASKER_MAX_TEXT + 1) / (short.length + 1)));
    const edge = 'x'.repeat(MASKER_MAX_TEXT - short.length) + short;
    expect(long.length).toBeGreaterThan(MASKER_MAX_TEXT);
    expect(edge.length).toBe(MASKER_MAX_TEXT);
    for (let round = 0; round < 2; round++) {
      expect(masker.mask(long, names)).toBe(redactText(long, c));
      expect(masker.mask(long, undefined)).toBe(redactText(long, undefined));
      expect(masker.rememberedTexts).toBe(0);
    }
    expect(masker.mask(edge, names)).toBe(redactText(edge, c));
    expect(masker.mask(short, names)).toBe(redactText(short, c));
    expect(masker.rememberedTexts).toBe(2);
    expect(masker.mask(long, names)).toBe(redactText(long, c));
    expect(masker.rememberedTexts).toBe(2);
  });

  it('when the text is null then null', () => {
    expect(new TextMasker().mask(null, packNameWords('Maria', null, null))).toBeNull();
  });
});
