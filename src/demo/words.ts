// Word lists the demo generator draws fake but realistic-looking facts from: names, email
// domains, regions with their time zones and area codes, lead sources, and the businesses
// the demo organizations run. None of it refers to real people.

import type { Zone } from './time.js';

export const FIRST_NAMES: readonly string[] = (
  'Maria James Aisha Robert Linda Michael Priya David Jennifer Carlos Emily Daniel Sofia Joseph ' +
  'Olivia Thomas Grace Kevin Hannah Luis Megan Brian Fatima Jason Rachel Andre Laura Steven Mei ' +
  'Eric Nicole Jose Amanda Tyler Keisha Ryan Samantha Omar Julia Marcus Chloe Anthony Isabella ' +
  'Derek Natalie Hector Brittany Wei Lauren Gregory Ana Patrick Tiffany Ahmed Victoria Sean Jasmine ' +
  'Raj Heather Diego Kimberly Nathan Yesenia Cody Monica Terrence Erin Jamal Christina Ethan ' +
  'Gabriela Dustin Alicia Kwame Rebecca Trevor Lucia Malik Stephanie Connor Deborah Minh Vanessa ' +
  'Roberto Crystal Scott Imani Paul Kayla Ivan Sarah Juan Melissa Darnell Angela Kyle Leticia Jorge ' +
  'Holly Samuel'
).split(' ');

export const LAST_NAMES: readonly string[] = (
  'Lopez Johnson Khan Williams Nguyen Smith Patel Brown Garcia Miller Davis Rodriguez Martinez ' +
  'Hernandez Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Perez Thompson White Harris ' +
  'Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Hill Flores ' +
  'Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Chen Okafor Kim Singh ' +
  'Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz ' +
  'Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster ' +
  'Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes Fisher ' +
  'Henderson Coleman Simmons Mensah'
).split(' ');

/** Free-mail domains with relative weights; business addresses use BUSINESS_WORDS. */
export const FREE_EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 46],
  ['yahoo.com', 14],
  ['outlook.com', 8],
  ['hotmail.com', 8],
  ['icloud.com', 9],
  ['aol.com', 4],
  ['comcast.net', 2],
  ['msn.com', 1],
];

export const BUSINESS_WORDS: readonly string[] = (
  'acme summit bluebird granite pioneer cedar keystone harbor redwood lakeside northstar ironwood ' +
  'meridian copper silverline oakridge horizon prairie falcon beacon'
).split(' ');
export const BUSINESS_SUFFIXES: readonly string[] = [
  'group',
  'co',
  'llc',
  'partners',
  'builders',
  'realty',
  'labs',
];

/** A region (US state or Canadian province), its time zone and a few real area codes. */
export interface Region {
  readonly code: string;
  readonly zone: Zone;
  readonly areaCodes: readonly number[];
  readonly weight: number;
}

const z = (name: string, standardOffset: number, dst: 'us' | 'eu' | 'none' = 'us'): Zone => ({
  name,
  standardOffset,
  dst,
});
export const ZONES = {
  newYork: z('America/New_York', -300),
  chicago: z('America/Chicago', -360),
  denver: z('America/Denver', -420),
  phoenix: z('America/Phoenix', -420, 'none'),
  losAngeles: z('America/Los_Angeles', -480),
  anchorage: z('America/Anchorage', -540),
  honolulu: z('Pacific/Honolulu', -600, 'none'),
  toronto: z('America/Toronto', -300),
} as const;

const r = (code: string, zone: Zone, areaCodes: number[], weight: number): Region => ({
  code,
  zone,
  areaCodes,
  weight,
});
export const REGIONS: readonly Region[] = [
  r('NY', ZONES.newYork, [212, 718, 917, 516, 585], 6),
  r('NJ', ZONES.newYork, [201, 973, 732], 3),
  r('PA', ZONES.newYork, [215, 412, 610], 4),
  r('MA', ZONES.newYork, [617, 508, 781], 2),
  r('FL', ZONES.newYork, [305, 407, 813, 904, 561], 7),
  r('GA', ZONES.newYork, [404, 678, 770], 3),
  r('NC', ZONES.newYork, [704, 919, 336], 3),
  r('VA', ZONES.newYork, [703, 804, 757], 3),
  r('OH', ZONES.newYork, [216, 614, 513], 3),
  r('MI', ZONES.newYork, [313, 248, 616], 3),
  r('IL', ZONES.chicago, [312, 773, 630, 847], 4),
  r('TX', ZONES.chicago, [214, 512, 713, 210, 817], 9),
  r('MN', ZONES.chicago, [612, 651], 2),
  r('WI', ZONES.chicago, [414, 608], 2),
  r('MO', ZONES.chicago, [314, 816], 2),
  r('TN', ZONES.chicago, [615, 901], 2),
  r('LA', ZONES.chicago, [504, 225], 1),
  r('CO', ZONES.denver, [303, 720, 719], 2),
  r('UT', ZONES.denver, [801, 385], 1),
  r('NM', ZONES.denver, [505], 1),
  r('AZ', ZONES.phoenix, [480, 602, 520], 3),
  r('CA', ZONES.losAngeles, [213, 310, 415, 619, 916, 408, 714], 11),
  r('WA', ZONES.losAngeles, [206, 425, 253], 3),
  r('OR', ZONES.losAngeles, [503, 541], 1),
  r('NV', ZONES.losAngeles, [702, 775], 1),
  r('AK', ZONES.anchorage, [907], 0.3),
  r('HI', ZONES.honolulu, [808], 0.4),
  r('ON', ZONES.toronto, [416, 647, 905], 1),
];

/** Lead sources with relative weights and their finer attribution values. */
export const LEAD_SOURCES: readonly {
  readonly value: string;
  readonly weight: number;
  readonly details: readonly string[];
}[] = [
  {
    value: 'facebook_ads',
    weight: 28,
    details: ['fb_leadform_spring', 'fb_retargeting_30d', 'fb_lookalike_1pct'],
  },
  { value: 'google_ads', weight: 20, details: ['gads_search_brand', 'gads_search_generic', 'gads_pmax'] },
  { value: 'website_form', weight: 18, details: ['contact_page', 'pricing_page', 'chat_widget'] },
  { value: 'referral', weight: 14, details: ['customer_referral', 'partner_referral', 'employee_referral'] },
  { value: 'webinar', weight: 8, details: ['webinar_live', 'webinar_replay'] },
  { value: 'instagram_ads', weight: 7, details: ['ig_story', 'ig_reels'] },
  { value: 'cold_list', weight: 5, details: ['purchased_list_2024', 'trade_show_booth'] },
];

/** What a demo organization sells; its name, domain and deal size. */
export interface OrgProfile {
  readonly name: string;
  readonly domain: string;
  readonly product: string;
  /** The call the agent tries to book. */
  readonly callName: string;
  readonly dealMedian: number;
}

export const ORG_PROFILES: readonly OrgProfile[] = [
  {
    name: 'Brightside Solar',
    domain: 'brightsidesolar.com',
    product: 'rooftop solar',
    callName: 'free solar assessment',
    dealMedian: 18_000,
  },
  {
    name: 'Summit Dental Group',
    domain: 'summitdentalgroup.com',
    product: 'dental implants',
    callName: 'free implant consultation',
    dealMedian: 4_200,
  },
  {
    name: 'Harbor Home Loans',
    domain: 'harborhomeloans.com',
    product: 'a home refinance',
    callName: 'rate review call',
    dealMedian: 3_100,
  },
  {
    name: 'Northwind Insurance',
    domain: 'northwind-insurance.com',
    product: 'Medicare Advantage plans',
    callName: 'plan review call',
    dealMedian: 900,
  },
  {
    name: 'Evergreen Fitness',
    domain: 'evergreenfit.com',
    product: 'personal training',
    callName: 'free intro session',
    dealMedian: 1_400,
  },
  {
    name: 'Cornerstone Remodeling',
    domain: 'cornerstoneremodel.com',
    product: 'a kitchen remodel',
    callName: 'design consultation',
    dealMedian: 24_000,
  },
  {
    name: 'Lumen Learning Academy',
    domain: 'lumenacademy.org',
    product: 'the data analytics bootcamp',
    callName: 'admissions call',
    dealMedian: 7_500,
  },
  {
    name: 'Pinecrest Senior Living',
    domain: 'pinecrestliving.com',
    product: 'assisted living',
    callName: 'community tour',
    dealMedian: 5_800,
  },
];

/** Names of test leads that slip into real CRMs. */
export const TEST_NAMES: readonly (readonly [string, string])[] = [
  ['Test', 'Test'],
  ['test', 'lead'],
  ['Test', 'User'],
  ['QA', 'Tester'],
  ['Asdf', 'Asdf'],
];
export const TEST_EMAILS: readonly string[] = [
  'test@test.com',
  'qa+lead@example.com',
  'test.user@example.com',
  'asdf@test.com',
];
export const TEST_PHONES: readonly string[] = ['555-0100', '(555) 555-0100', '+15555550100'];
