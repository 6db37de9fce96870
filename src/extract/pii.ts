// PII handling at the door: keyed hashes for identifiers, non-identifying facts derived
// before hashing, and masking of a contact's own PII (plus any email address or phone
// number) inside free text. Nothing here ever returns a raw identifier.

import { createHmac } from 'node:crypto';
import { LeadliftError } from '../errors.js';
import { HmacSha256 } from './hmac.js';

/** Minimum length of the PII key (characters). */
export const MIN_PII_KEY_LENGTH = 16;

/**
 * The key used for demo data only. Demo DBs are recognised by their marker table;
 * real sources must supply their own key through the environment.
 */
export const DEMO_PII_KEY = 'leadlift-demo-data-pii-key-not-secret';

/** Slots of a PiiHasher's cache of recent hashes (in memory only); a power of two. */
const RECENT_SLOTS = 1 << 16;

/** Keyed hashing of identifiers (HMAC-SHA256, 128 bits shown). */
export class PiiHasher {
  private readonly key: Buffer;
  /** The key's HMAC, in JavaScript: half the CPU of createHmac per short identifier. */
  private readonly hmac: HmacSha256;
  /** A short, non-reversible fingerprint of the key, for manifests. */
  readonly keyFingerprint: string;

  constructor(key: string) {
    if (key.length < MIN_PII_KEY_LENGTH) {
      throw new LeadliftError(
        'pii.keyTooShort',
        `The PII hashing key is ${key.length} characters long; use at least ${MIN_PII_KEY_LENGTH} random characters (for example \`openssl rand -hex 32\`).`,
      );
    }
    this.key = Buffer.from(key, 'utf8');
    this.hmac = new HmacSha256(this.key);
    this.keyFingerprint = createHmac('sha256', this.key)
      .update('leadlift:key-fingerprint')
      .digest('hex')
      .slice(0, 12);
  }

  /**
   * Hashes one identifier of the given kind, after normalizing it (emails lower-cased,
   * phones to digits) so the same person hashes alike across sources. Null for empty.
   */
  hash(kind: 'email' | 'phone' | 'id', value: unknown): string | null {
    const normalized = normalizeIdentifier(kind, value);
    if (normalized === null) return null;
    const input = `${kind}:${normalized}`;
    // Thread ids and CRM ids repeat from row to row; an HMAC costs ~2 µs, a lookup far less.
    // The cache is direct-mapped (one slot per input hash, the newest wins), and an input
    // is stored only the second time its hash is seen in its slot: unique ids (message
    // ids) then cost one integer store, where keeping every input alive in a Map made the
    // young-generation collector copy them all (which cost more than the HMACs).
    const h = fnv1a(input);
    const slot = h & (RECENT_SLOTS - 1);
    if (this.recentInputs[slot] === input) return this.recentDigests[slot]!;
    const digest = this.hmac.hex(input, 32);
    if (this.seen[slot] === h) {
      this.recentInputs[slot] = input;
      this.recentDigests[slot] = digest;
    } else this.seen[slot] = h;
    return digest;
  }

  private readonly seen = new Int32Array(RECENT_SLOTS);
  private readonly recentInputs = new Array<string>(RECENT_SLOTS).fill('');
  private readonly recentDigests = new Array<string>(RECENT_SLOTS).fill('');
}

/** FNV-1a over a string's UTF-16 code units, as a signed 32-bit integer. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 16);
}

function normalizeIdentifier(kind: 'email' | 'phone' | 'id', value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  if (s === '') return null;
  if (kind === 'email') return s.toLowerCase();
  if (kind === 'phone') {
    const digits = s.replace(/\D+/g, '');
    return digits === '' ? null : digits;
  }
  return s;
}

const FREE_EMAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
  'zoho.com',
  'yandex.com',
  'comcast.net',
  'att.net',
  'verizon.net',
  'sbcglobal.net',
]);
const DISPOSABLE_EMAIL_DOMAINS = new Set([
  'mailinator.com',
  'guerrillamail.com',
  '10minutemail.com',
  'tempmail.com',
  'temp-mail.org',
  'trashmail.com',
  'yopmail.com',
  'sharklasers.com',
]);
const TEST_EMAIL_DOMAINS = new Set(['example.com', 'example.org', 'example.net', 'test.com', 'test.test']);
const EMAIL_SHAPE = /^[^\s@]+@([^\s@]+\.[a-z]{2,})$/i;

/** Kind of an email's domain: missing, invalid, free, edu, gov, disposable, test or business. */
export function emailDomainType(email: unknown): string {
  if (email === null || email === undefined || String(email).trim() === '') return 'missing';
  const m = EMAIL_SHAPE.exec(String(email).trim());
  if (!m) return 'invalid';
  const domain = m[1]!.toLowerCase();
  if (TEST_EMAIL_DOMAINS.has(domain)) return 'test';
  if (FREE_EMAIL_DOMAINS.has(domain)) return 'free';
  if (DISPOSABLE_EMAIL_DOMAINS.has(domain)) return 'disposable';
  if (domain.endsWith('.edu') || /\.edu\.[a-z]{2}$/.test(domain) || /\.ac\.[a-z]{2}$/.test(domain))
    return 'edu';
  if (domain.endsWith('.gov') || domain.endsWith('.mil') || /\.gov\.[a-z]{2}$/.test(domain)) return 'gov';
  return 'business';
}

/** North American area code of a phone number, or null (a region, not a person). */
export function phoneAreaCode(phone: unknown): string | null {
  if (phone === null || phone === undefined) return null;
  let digits = String(phone).replace(/\D+/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length !== 10 || digits[0] === '0' || digits[0] === '1') return null;
  return digits.slice(0, 3);
}

/** True when a phone value has enough digits to be a phone number. */
export function hasPhone(phone: unknown): boolean {
  if (phone === null || phone === undefined) return false;
  return String(phone).replace(/\D+/g, '').length >= 7;
}

const TEST_NAME = /\b(test|testing|asdf|dummy|fake|qa)\b/i;

/** A contact that looks like a test record (test names, example domains, 555-01xx numbers). */
export function isTestContact(c: {
  first_name?: unknown;
  last_name?: unknown;
  full_name?: unknown;
  email?: unknown;
  phone?: unknown;
}): boolean {
  const names = [c.first_name, c.last_name, c.full_name]
    .filter((x) => x !== null && x !== undefined)
    .map(String);
  if (names.some((n) => TEST_NAME.test(n))) return true;
  if (emailDomainType(c.email) === 'test') return true;
  const email = c.email === null || c.email === undefined ? '' : String(c.email).toLowerCase();
  if (/^test[^@]*@/.test(email)) return true;
  const digits = c.phone === null || c.phone === undefined ? '' : String(c.phone).replace(/\D+/g, '');
  if (/55501\d\d$/.test(digits) || (digits.length >= 7 && /^(\d)\1+$/.test(digits))) return true;
  return false;
}

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Seven or more digits, optionally with a leading + and separators: phone-like runs.
const PHONE_IN_TEXT = /(?<![\w])\+?\d(?:[\s().-]*\d){6,14}(?![\w])/g;
// A cheap test that a text may hold a phone number: three digits, or two with a separator.
const PHONE_HINT = /\d(?:\d\d|[\s().-]\d)/;

/** The PII of one contact that free text may repeat. */
export interface ContactPii {
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly fullName: string | null;
}

/**
 * Masks PII in free text: any email address → [email], any phone-like number → [phone],
 * and the contact's own names → [first_name] / [last_name] / [full_name] (whole words,
 * case-insensitive). Returns null for null.
 */
export function redactText(text: unknown, contact: ContactPii | undefined): string | null {
  if (text === null || text === undefined) return null;
  const s = maskAddresses(String(text));
  return contact
    ? maskNames(
        s,
        s.toLowerCase(),
        unpackNameWords(packNameWords(contact.firstName, contact.lastName, contact.fullName)),
      )
    : s;
}

/** Any email address → [email], any phone-like number → [phone]: the part of masking that needs no contact. */
function maskAddresses(text: string): string {
  let s = text;
  if (s.indexOf('@') >= 0) s = s.replace(EMAIL_IN_TEXT, '[email]');
  if (PHONE_HINT.test(s)) s = s.replace(PHONE_IN_TEXT, '[phone]');
  return s;
}

/** The contact's names in `s` (whose lower-cased form is `lower`) → their tokens. */
function maskNames(s: string, lower: string, words: readonly (readonly [string, string])[]): string {
  for (const [word, token] of words) {
    // Most texts hold none of the names: one search on the lower-cased text decides.
    if (lower.indexOf(word) < 0) continue;
    s = replaceWord(s, lower, word, token);
    lower = s.toLowerCase();
  }
  return s;
}

/** The tokens of the words {@link packNameWords} packs, in its order. */
const NAME_TOKENS = ['[full_name]', '[first_name]', '[last_name]'] as const;

/**
 * A contact's masking words as one string: each name trimmed and lower-cased, or '' when
 * shorter than two characters, in the order of {@link NAME_TOKENS}. The one place of the
 * rule; extract keeps this string in memory per contact (a fraction of the objects of the
 * decoded words), and {@link unpackNameWords} decodes it.
 */
export function packNameWords(
  firstName: string | null,
  lastName: string | null,
  fullName: string | null,
): string {
  const words: string[] = [];
  for (const name of [fullName, firstName, lastName]) {
    const word = name?.trim().toLowerCase() ?? '';
    words.push(word.length >= 2 ? word : '');
  }
  return JSON.stringify(words);
}

/** The words {@link packNameWords} packed, each with its token, empty ones left out. */
function unpackNameWords(names: string): (readonly [string, string])[] {
  const packed = JSON.parse(names) as string[];
  const out: (readonly [string, string])[] = [];
  for (let i = 0; i < NAME_TOKENS.length; i++) {
    const word = packed[i] ?? '';
    if (word !== '') out.push([word, NAME_TOKENS[i]!]);
  }
  return out;
}

/** Texts a {@link TextMasker} remembers before it starts again. */
const MASKER_TEXTS = 1 << 14;
/** Characters of the texts a {@link TextMasker} remembers before it starts again. */
const MASKER_CHARS = 1 << 23;
/**
 * Longest text (characters) a {@link TextMasker} remembers: generated messages and
 * prompts are far shorter, and a long text (a pasted email thread) rarely repeats.
 */
export const MASKER_MAX_TEXT = 2048;

/**
 * {@link redactText} with a memory of the texts it has seen: generated messages and
 * prompts repeat from row to row (the demo's 750k generated messages hold 18k distinct
 * texts), and the address masking and lower-casing of a text depend on the text only, so
 * a repeat costs one map lookup and the search for the contact's names. Same results as
 * redactText. The raw texts stay in this thread's memory, are never written or logged;
 * only texts of at most {@link MASKER_MAX_TEXT} characters are kept, at most
 * {@link MASKER_TEXTS} of them and {@link MASKER_CHARS} characters of raw text in all (the memory is
 * emptied when full). Each text is kept with its masked and lower-cased forms, so one
 * masker holds up to about three times that (24–48 MiB); extract uses one per entity it
 * extracts, up to three at once.
 */
export class TextMasker {
  private readonly seen = new Map<string, { readonly masked: string; readonly lower: string }>();
  private seenChars = 0;
  // Contacts' words, decoded: the packed strings live as long as the extract's contact
  // map, so a lookup hashes nothing new. Bounded like the texts.
  private readonly decoded = new Map<string, readonly (readonly [string, string])[]>();

  /** Number of texts remembered (for tests). */
  get rememberedTexts(): number {
    return this.seen.size;
  }

  /**
   * Masks `text` for the contact whose words {@link packNameWords} packed into `names`
   * (undefined: addresses and numbers only).
   */
  mask(text: unknown, names: string | undefined): string | null {
    if (text === null || text === undefined) return null;
    const raw = String(text);
    let known = this.seen.get(raw);
    if (known === undefined) {
      const masked = maskAddresses(raw);
      known = { masked, lower: masked.toLowerCase() };
      if (raw.length <= MASKER_MAX_TEXT) {
        if (this.seen.size >= MASKER_TEXTS || this.seenChars + raw.length > MASKER_CHARS) {
          this.seen.clear();
          this.seenChars = 0;
        }
        this.seen.set(raw, known);
        this.seenChars += raw.length;
      }
    }
    return names === undefined ? known.masked : maskNames(known.masked, known.lower, this.words(names));
  }

  private words(names: string): readonly (readonly [string, string])[] {
    let words = this.decoded.get(names);
    if (words === undefined) {
      words = unpackNameWords(names);
      if (this.decoded.size >= MASKER_TEXTS) this.decoded.clear();
      this.decoded.set(names, words);
    }
    return words;
  }
}

/** Replaces whole-word, case-insensitive occurrences of `lowerWord` (already lower-cased) in `text`. */
function replaceWord(text: string, lowerText: string, lowerWord: string, token: string): string {
  let at = lowerText.indexOf(lowerWord);
  let out = '';
  let from = 0;
  while (at >= 0) {
    const before = at === 0 ? '' : lowerText[at - 1]!;
    const after = lowerText[at + lowerWord.length] ?? '';
    if (!isWordChar(before) && !isWordChar(after)) {
      out += text.slice(from, at) + token;
      from = at + lowerWord.length;
    }
    at = lowerText.indexOf(lowerWord, at + lowerWord.length);
  }
  return out + text.slice(from);
}

function isWordChar(ch: string): boolean {
  return ch !== '' && /[\p{L}\p{N}_]/u.test(ch);
}
