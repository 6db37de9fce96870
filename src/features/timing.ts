// Timing before the cutoff: speed to lead, local hour and weekday of the first touch in
// the contact's time zone, gaps between touches, time since the last inbound message.

import type { FeatureContext } from './context.js';
import { FamilyColumns } from './context.js';
import { KIND_ACTIVITY, KIND_IN_MESSAGE } from './load.js';

/** UTC offset (ms) of a time zone at a time, cached per zone and UTC hour. */
export class ZoneOffsets {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();
  private readonly cache = new Map<string, number>();

  offset(zone: string, t: number): number {
    const hour = Math.floor(t / 3_600_000);
    const k = `${zone}\u0000${hour}`;
    let off = this.cache.get(k);
    if (off === undefined) {
      let fmt = this.formats.get(zone);
      if (!fmt) {
        fmt = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
        });
        this.formats.set(zone, fmt);
      }
      const at = hour * 3_600_000;
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(at))
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - at;
      this.cache.set(k, off);
    }
    return off;
  }
}

export function timingFeatures(ctx: FeatureContext): FamilyColumns {
  const f = new FamilyColumns('timing', ctx.nRows);
  const ev = ctx.data.events;
  const zones = new ZoneOffsets();
  const speed = f.num(
    'tim_speed_to_lead_min',
    'Minutes from the enrollment created_at to its decision time (first outbound touch); missing without created_at.',
    Number.NaN,
  );
  const hour = f.num(
    'tim_first_touch_local_hour',
    "Hour (0–23) of the first outbound touch in the contact's IANA time zone; missing without a time zone.",
    Number.NaN,
  );
  const weekday = f.num(
    'tim_first_touch_local_weekday',
    "Weekday (0 = Monday … 6 = Sunday) of the first outbound touch in the contact's time zone; missing without a time zone.",
    Number.NaN,
  );
  const gapMean = f.num(
    'tim_touch_gap_mean_min',
    'Mean minutes between consecutive outbound activities before the cutoff; missing with fewer than two.',
    Number.NaN,
  );
  const gapMin = f.num(
    'tim_touch_gap_min_min',
    'Shortest gap in minutes between consecutive outbound activities before the cutoff; missing with fewer than two.',
    Number.NaN,
  );
  const sinceInbound = f.num(
    'tim_since_last_inbound_min',
    'Minutes from the last inbound message to the cutoff; missing when none came before the cutoff.',
    Number.NaN,
  );
  const tz = ctx.data.dicts.timezone.values;
  for (let r = 0; r < ctx.nRows; r++) {
    const e = ctx.rowEnr[r]!;
    const d = ctx.decision[r]!;
    const created = ctx.data.enrCreated[e]!;
    if (!Number.isNaN(created)) speed[r] = (d - created) / 60_000;
    const zc = ctx.data.contact.timezone[ctx.data.enrContact[e]!] ?? -1;
    if (zc >= 0) {
      let local: number;
      try {
        local = d + zones.offset(tz[zc]!, d);
      } catch {
        local = Number.NaN; // a zone Intl rejects (clean nulls these; keep going)
      }
      if (!Number.isNaN(local)) {
        const dt = new Date(local);
        hour[r] = dt.getUTCHours();
        weekday[r] = (dt.getUTCDay() + 6) % 7;
      }
    }
    let prev = Number.NaN;
    let gaps = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let lastIn = Number.NaN;
    for (let k = ctx.start[r]!; k < ctx.start[r + 1]!; k++) {
      const i = ctx.events[k]!;
      const t = ev.t[i]!;
      if (ev.kind[i] === KIND_ACTIVITY) {
        if (!Number.isNaN(prev)) {
          const g = (t - prev) / 60_000;
          gaps++;
          sum += g;
          if (g < min) min = g;
        }
        prev = t;
      } else if (ev.kind[i] === KIND_IN_MESSAGE) lastIn = t;
    }
    if (gaps > 0) {
      gapMean[r] = sum / gaps;
      gapMin[r] = min;
    }
    if (!Number.isNaN(lastIn)) sinceInbound[r] = (ctx.cutoff[r]! - lastIn) / 60_000;
  }
  return f;
}
