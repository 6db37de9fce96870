// The clean rules: ids, what each does, and where it applies. docs/clean-rules.md is the
// long form; clean.json carries a count for every (rule, entity, column) listed here.

import type { EntityName } from '../schema/entities.js';
import { type ColumnKind, Effect, type SnapshotColumn } from '../snapshot/values.js';

/** Every clean rule, in the order clean.json lists them. */
export const CLEAN_RULE_IDS = [
  'clean.categoricalFold',
  'clean.placeholder',
  'clean.typeCoerced',
  'clean.typeInvalid',
  'clean.timestampFormat',
  'clean.timestampOffset',
  'clean.timestampNaive',
  'clean.timestampUnparseable',
  'clean.timezoneInvalid',
  'clean.negativeDuration',
  'clean.callTooLong',
  'clean.negativeWait',
  'clean.duplicateKey',
  'clean.testContact',
  'clean.orphanOfRemovedParent',
  'clean.afterWindow',
  'clean.beforeEnrollment',
] as const;
export type CleanRuleId = (typeof CLEAN_RULE_IDS)[number];

/** One-line description of each rule (the table in docs/clean-rules.md says more). */
export const CLEAN_RULE_DOCS: Readonly<Record<CleanRuleId, string>> = {
  'clean.categoricalFold': 'categorical value trimmed and lower-cased',
  'clean.placeholder':
    "placeholder ('', select, n/a, na, null, none, unknown, -; blank for ids and strings) set to null",
  'clean.typeCoerced': 'value converted to the column type without loss ("12" → 12, 12 → "12", "yes" → true)',
  'clean.typeInvalid': 'value not readable as the column type set to null',
  'clean.timestampFormat': 'UTC timestamp rewritten as YYYY-MM-DDTHH:MM:SS.mmmZ',
  'clean.timestampOffset': 'timestamp with a UTC offset converted to UTC',
  'clean.timestampNaive': 'timestamp without a zone read in naiveTimestampZone',
  'clean.timestampUnparseable': 'unparseable timestamp set to null',
  'clean.timezoneInvalid': 'time zone Intl does not know set to null',
  'clean.negativeDuration': 'negative call duration set to null',
  'clean.callTooLong': 'call longer than maxCallSeconds set to null',
  'clean.negativeWait': 'negative wait_before_ms set to null',
  'clean.duplicateKey': 'row with the key of a later row (by updatedColumn, then file order) dropped',
  'clean.testContact':
    'test contact (is_test_hint) dropped with its enrollments, their activities, its messages and outcomes',
  'clean.orphanOfRemovedParent': 'row whose parent row was dropped by another rule dropped',
  'clean.afterWindow': "event or outcome at or after the window's until dropped",
  'clean.beforeEnrollment':
    "activity more than beforeEnrollmentToleranceHours before its enrollment's created_at dropped",
};

/** The value rules that can fire on a column of each kind. */
export const VALUE_RULES_BY_KIND: Readonly<Record<ColumnKind, readonly CleanRuleId[]>> = {
  id: ['clean.placeholder', 'clean.typeCoerced', 'clean.typeInvalid'],
  string: ['clean.placeholder', 'clean.typeCoerced', 'clean.typeInvalid'],
  categorical: ['clean.categoricalFold', 'clean.placeholder', 'clean.typeCoerced', 'clean.typeInvalid'],
  text: ['clean.typeCoerced'],
  integer: ['clean.placeholder', 'clean.typeCoerced', 'clean.typeInvalid'],
  number: ['clean.placeholder', 'clean.typeCoerced', 'clean.typeInvalid'],
  boolean: ['clean.placeholder', 'clean.typeCoerced', 'clean.typeInvalid'],
  timestamp: [
    'clean.placeholder',
    'clean.timestampFormat',
    'clean.timestampOffset',
    'clean.timestampNaive',
    'clean.timestampUnparseable',
  ],
  timezone: ['clean.placeholder', 'clean.typeInvalid', 'clean.timezoneInvalid'],
};

/** Range rules on specific numeric columns. */
export const RANGE_RULES: readonly { entity: EntityName; column: string; rules: readonly CleanRuleId[] }[] = [
  {
    entity: 'activities',
    column: 'call_duration_sec',
    rules: ['clean.negativeDuration', 'clean.callTooLong'],
  },
  { entity: 'campaign_steps', column: 'wait_before_ms', rules: ['clean.negativeWait'] },
];

/** Row rules and the entities they run on. */
export const ROW_RULES: Readonly<Partial<Record<CleanRuleId, readonly EntityName[]>>> = {
  'clean.duplicateKey': [
    'contacts',
    'campaigns',
    'campaign_steps',
    'step_variants',
    'enrollments',
    'activities',
    'messages',
    'outcomes',
  ],
  'clean.testContact': ['contacts', 'enrollments', 'activities', 'messages', 'outcomes'],
  'clean.orphanOfRemovedParent': ['enrollments', 'activities', 'outcomes'],
  'clean.afterWindow': ['activities', 'messages', 'outcomes'],
  'clean.beforeEnrollment': ['activities'],
};

/** The value rule a reader effect counts under, for a column kind (undefined: not counted). */
export function ruleOfEffect(effect: Effect, kind: ColumnKind): CleanRuleId | undefined {
  switch (effect) {
    case Effect.folded:
      // A trimmed time zone is not a categorical fold; it is kept without a count.
      return kind === 'categorical' ? 'clean.categoricalFold' : undefined;
    case Effect.placeholder:
      return 'clean.placeholder';
    case Effect.coerced:
      return 'clean.typeCoerced';
    case Effect.invalid:
      return 'clean.typeInvalid';
    case Effect.timestampFormat:
      return 'clean.timestampFormat';
    case Effect.timestampOffset:
      return 'clean.timestampOffset';
    case Effect.timestampNaive:
      return 'clean.timestampNaive';
    case Effect.timestampUnparseable:
      return 'clean.timestampUnparseable';
    case Effect.timezoneInvalid:
      return 'clean.timezoneInvalid';
    default:
      return undefined;
  }
}

/** The value rules that run on a column (kind rules plus range rules). */
export function valueRulesOf(entity: EntityName, column: SnapshotColumn): CleanRuleId[] {
  const rules = [...VALUE_RULES_BY_KIND[column.kind]];
  for (const r of RANGE_RULES) if (r.entity === entity && r.column === column.name) rules.push(...r.rules);
  return rules;
}
