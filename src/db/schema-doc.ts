// docs/schema.md, generated from REFERENCE_TABLES: the reference schema table by table,
// with leadlift's extension marked and the need each extension column or table serves.

import { REFERENCE_TABLES, type RefTable } from '../schema/reference.js';
import { ddlFilePath, TYPE_MAP } from './ddl.js';
import { DIALECTS } from './hooks.js';

/**
 * Why the extension exists: the facts DESIGN.md says the contract needs and the known
 * columns don't show, each with the extension columns and tables (`schema.table` or
 * `schema.table.column`) that carry it. Every extension item must be listed exactly once
 * (checked by src/db/generated-files.test.ts).
 */
export const EXTENSION_NEEDS: readonly {
  readonly need: string;
  readonly why: string;
  readonly items: readonly string[];
}[] = [
  {
    need: 'Lead source attribution and qualification status',
    why: 'Where a lead came from is a usual candidate predictor of booking and how managers read results, and qualification status is how sites segment leads; neither is among the known contact columns. Time zone and region let features use the lead’s local time.',
    items: [
      'education.contacts.lead_source',
      'education.contacts.lead_source_detail',
      'education.contacts.qualification_status',
      'education.contacts.timezone',
      'education.contacts.region',
    ],
  },
  {
    need: 'Joining the communication log and bookings to contacts',
    why: 'The log and bookings carry the CRM id (ghl_contact_id), not the contact id; the contact row must carry it too for messages to be attributed.',
    items: ['education.contacts.ghl_contact_id'],
  },
  {
    need: 'Step variants and decision points',
    why: 'Recommendations compare prompt variants and branches; without the variant used by each activity and the branch structure of steps there is nothing to compare or test.',
    items: [
      'education.campaign_step_variants',
      'education.campaign_steps.prompt_template_id',
      'education.campaign_steps.is_decision_point',
      'education.campaign_steps.branch_condition',
      'education.campaign_steps.next_step_id_if_true',
      'education.campaign_steps.next_step_id_if_false',
      'education.campaign_activities.variant_id',
    ],
  },
  {
    need: 'The text of inbound replies',
    why: 'Reply content (intent, objections) matters for scoring and prompt recommendations; the known log columns have only the subject.',
    items: ['dbo.Education_Cory_Communication_Log.body'],
  },
  {
    need: 'Qualification and conversion events, and booking credit',
    why: 'Targets T2 (qualified within 14 days) and T3 (converted within 30 days) need event times; bookings need the enrollment they are credited to when a contact is in more than one campaign.',
    items: ['education.lead_outcome_events', 'education.booking_appointments.enrollment_id'],
  },
  {
    need: 'Change tracking and creation times',
    why: 'Clean keeps the latest version of a duplicated row (updated_at), and campaign age is a feature (campaigns.created_at); contacts’ created_at also windows extraction.',
    items: [
      'education.campaigns.created_at',
      'education.contacts.created_at',
      'education.contacts.updated_at',
      'education.campaign_enrollments.updated_at',
      'education.campaign_activities.updated_at',
    ],
  },
];

/** Every extension item of `tables`: whole tables as `schema.table`, columns of other tables as `schema.table.column`. */
export function extensionItems(tables: readonly RefTable[] = REFERENCE_TABLES): string[] {
  const out: string[] = [];
  for (const t of tables) {
    if (t.extension) {
      out.push(`${t.schema}.${t.name}`);
      continue;
    }
    for (const c of t.columns) if (c.extension) out.push(`${t.schema}.${t.name}.${c.name}`);
  }
  return out;
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The text of docs/schema.md. */
export function schemaDocText(tables: readonly RefTable[] = REFERENCE_TABLES): string {
  const out: string[] = [];
  out.push(
    '# The reference schema',
    '',
    '<!-- Generated from src/schema/reference.ts by src/db/schema-doc.ts: do not edit by hand.',
    '     Regenerate with LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/db/generated-files.test.ts -->',
    '',
    'leadlift’s reference schema is the Agent Cory database as far as the earlier pipeline’s',
    'queries show it, plus a documented **extension** for facts the contract needs and those',
    'columns don’t show. The demo database is built on it, the shipped query packs read it, and',
    `the DDL for each dialect is committed as ${DIALECTS.map((d) => `\`${ddlFilePath(d)}\``).join(', ')}`,
    '(`leadlift schema --dialect <d>` prints it; `--create --target-url URL` applies it).',
    '',
    'A site whose database differs does not need to change it: it writes its own query pack',
    '(one SELECT per canonical entity) mapping its tables onto the canonical columns.',
    '',
    '## Names and types',
    '',
    'SQLite has no schemas, so `education.campaigns` is the table `education_campaigns` there',
    'and `dbo.Education_Cory_Communication_Log` is `dbo_Education_Cory_Communication_Log`.',
    '',
    `| logical type | ${DIALECTS.join(' | ')} |`,
    `|---|${DIALECTS.map(() => '---').join('|')}|`,
  );
  for (const type of Object.keys(TYPE_MAP.sqlite) as (keyof (typeof TYPE_MAP)['sqlite'])[]) {
    out.push(`| ${type} | ${DIALECTS.map((d) => `\`${TYPE_MAP[d][type]}\``).join(' | ')} |`);
  }
  out.push(
    '',
    'Timestamps are stored as the source writes them. In SQLite they are ISO-8601 text (UTC,',
    '`2024-05-01T13:45:00.000Z`), and query packs compare them as text, so a window bound',
    'matches stored text in the same form; rows written with another offset or format are',
    'compared by their text (good enough for the window, since clean re-checks exact times).',
    'PostgreSQL and SQL Server store zone-aware times (`timestamptz`, `DATETIMEOFFSET(3)`), and',
    'the adapters return every timestamp as an ISO-8601 UTC string.',
    '',
    'Columns are nullable unless marked NOT NULL: real data is messy, and `leadlift check`',
    'reports completeness instead of the database refusing rows.',
    '',
    '## Why the extension exists',
    '',
  );
  for (const n of EXTENSION_NEEDS) {
    out.push(`- **${n.need}**: ${n.why} (${n.items.map((i) => `\`${i}\``).join(', ')})`);
  }
  out.push('');
  for (const t of tables) {
    out.push(`## ${t.schema}.${t.name}${t.extension ? ' (extension)' : ''}`, '', t.doc, '');
    out.push('| column | type | key | extension | description |', '|---|---|---|---|---|');
    for (const c of t.columns) {
      const flags = [c.primaryKey ? 'PK' : '', c.notNull ? 'NOT NULL' : ''].filter(Boolean).join(', ');
      const ext = t.extension || c.extension ? 'yes' : '';
      out.push(`| \`${c.name}\` | ${c.type} | ${flags} | ${ext} | ${cell(c.doc)} |`);
    }
    if (t.indexes && t.indexes.length > 0) {
      out.push('', `Indexes: ${t.indexes.map((cols) => `(${cols.join(', ')})`).join(', ')}.`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
