// Contact attributes known when the lead entered: source, region, email domain type,
// whether a phone and an email exist, and the org as a category. Never
// qualification_status: it is the contact's current value and leaks the outcome.

import type { FeatureContext } from './context.js';
import { FamilyColumns } from './context.js';

export function contactFeatures(ctx: FeatureContext): FamilyColumns {
  const f = new FamilyColumns('contact', ctx.nRows);
  const c = ctx.data.contact;
  const n = ctx.nRows;
  const pick = (values: readonly number[]) => {
    const out = new Int32Array(n);
    for (let r = 0; r < n; r++) out[r] = values[ctx.data.enrContact[ctx.rowEnr[r]!]!] ?? -1;
    return out;
  };
  f.categorical(
    'ctc_lead_source',
    "The contact's lead_source (lower-cased by clean); missing when null.",
    pick(c.leadSource),
    ctx.data.dicts.leadSource.values,
  );
  f.categorical(
    'ctc_region',
    "The contact's region (state); missing when null.",
    pick(c.region),
    ctx.data.dicts.region.values,
  );
  f.categorical(
    'ctc_email_domain_type',
    'email_domain_type derived at extraction (free, business, …); missing when null.',
    pick(c.domainType),
    ctx.data.dicts.domainType.values,
  );
  const org = new Int32Array(n);
  for (let r = 0; r < n; r++) org[r] = ctx.data.dicts.org.get(ctx.data.orgId[ctx.rowEnr[r]!]!) ?? -1;
  f.categorical('ctc_org', 'The organization (org_id) as a category.', org, ctx.data.dicts.org.values);
  const hasPhone = f.num(
    'ctc_has_phone',
    '1 when the contact has a phone number, 0 when not; missing when unknown.',
    Number.NaN,
  );
  const hasEmail = f.num(
    'ctc_has_email',
    '1 when the contact has an email address, 0 when not; missing when unknown.',
    Number.NaN,
  );
  for (let r = 0; r < n; r++) {
    const ci = ctx.data.enrContact[ctx.rowEnr[r]!]!;
    hasPhone[r] = c.hasPhone[ci] ?? Number.NaN;
    hasEmail[r] = c.hasEmail[ci] ?? Number.NaN;
  }
  return f;
}
