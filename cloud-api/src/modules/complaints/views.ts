import {
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_STATUS_LABELS,
  COMPLAINT_TYPE_LABELS,
  chinaDate,
  type ComplaintView,
  type OperatorComplaint,
  type SimilarComplaint,
} from '@ygsa/shared';
import type { ComplaintDoc } from './complaint.model';

/**
 * What a complaint looks like to each audience, decided here and nowhere else. The filer's
 * identity (name, phone, address, WeChat account) and the position they filed from reach
 * regulators only; the shop never learns who complained or reads their words; other diners see
 * that a complaint exists, not what it says; open data carries the shop's place, never the filer's.
 * Each view is tested field by field (test/complaint-views.test.ts).
 */

type Category = ComplaintView['category'];
const categoryLabel = (c: ComplaintDoc) => COMPLAINT_CATEGORY_LABELS[c.category as Category];

function deadlineLabel(c: Pick<ComplaintDoc, 'status' | 'type'>): string | null {
  if (c.status === 'submitted') return c.type === 'complaint' ? '受理决定期限' : '立案决定期限';
  if (c.status === 'accepted' || c.status === 'in_progress') return c.type === 'complaint' ? '调解期限' : null;
  return null;
}

/**
 * The filer's own record (a party who joined sees theirs): what they sent and how it moves. The
 * outcome is withheld from anonymous reporters, as SAMR Order No. 20 says; `others` counts the
 * other parties to the same matter.
 */
export function filerView(c: ComplaintDoc, others: number, today = chinaDate(new Date())): ComplaintView {
  const showOutcome = c.complainant !== null;
  return {
    id: String(c._id),
    number: c.number,
    type: c.type,
    typeLabel: COMPLAINT_TYPE_LABELS[c.type],
    category: c.category as Category,
    categoryLabel: categoryLabel(c),
    description: c.description,
    photos: c.photos,
    establishmentId: c.establishmentId ? String(c.establishmentId) : null,
    shopName: c.shopName,
    office: c.office,
    status: c.status,
    statusLabel: COMPLAINT_STATUS_LABELS[c.status],
    deadline: c.deadline,
    deadlineLabel: deadlineLabel(c),
    overdue: !!c.deadline && today > c.deadline,
    timeline: c.timeline.map((t) => ({
      status: t.status,
      statusLabel: COMPLAINT_STATUS_LABELS[t.status],
      at: t.at.toISOString(),
      note: showOutcome ? t.note : '',
    })),
    createdAt: c.createdAt.toISOString(),
    joinedCount: others,
  };
}

/** Distances are shown in 10 m steps: near enough to recognise the matter, too coarse to place a person. */
const roughMetres = (m: number) => Math.max(10, Math.ceil(m / 10) * 10);

/** Another diner's view before filing (similar open complaints nearby): kind, state, how near, when. */
export function dinerView(c: ComplaintDoc, distanceM: number, parties: number): SimilarComplaint {
  return {
    id: String(c._id),
    categoryLabel: categoryLabel(c),
    statusLabel: COMPLAINT_STATUS_LABELS[c.status],
    distanceM: roughMetres(distanceM),
    createdAt: c.createdAt.toISOString(),
    parties,
  };
}

/** Which complaints the shop sees at all: accepted 投诉 (a 举报 could warn it before an inspection). */
export function operatorMaySee(c: Pick<ComplaintDoc, 'type' | 'status'>): boolean {
  return c.type === 'complaint' && !['submitted', 'not_accepted'].includes(c.status);
}

/** The shop's view: what the office did and wrote; no identity, words, photos or position. */
export function operatorView(c: ComplaintDoc): OperatorComplaint {
  return {
    id: String(c._id),
    number: c.number,
    category: c.category as Category,
    categoryLabel: categoryLabel(c),
    status: c.status,
    statusLabel: COMPLAINT_STATUS_LABELS[c.status],
    createdAt: c.createdAt.toISOString(),
    deadline: c.deadline,
    deadlineLabel: deadlineLabel(c),
    // The filing step's note is the system's (routing); later steps are the office's.
    steps: c.timeline
      .filter((t) => t.by !== 'public')
      .map((t) => ({ statusLabel: COMPLAINT_STATUS_LABELS[t.status], at: t.at.toISOString(), note: t.note })),
  };
}

/** For regulators: every field, identity and position included, and every party to the matter. */
export function regulatorView(c: ComplaintDoc, parties: ComplaintDoc[] = []) {
  return {
    ...filerView(c, parties.length),
    // Regulators see the outcome notes even of anonymous reports.
    timeline: c.timeline.map((t) => ({
      status: t.status,
      statusLabel: COMPLAINT_STATUS_LABELS[t.status],
      at: t.at.toISOString(),
      by: t.by,
      note: t.note,
    })),
    complainant: c.complainant
      ? {
          name: c.complainant.name ?? null,
          phone: c.complainant.phone ?? null,
          phoneVerified: c.complainant.phoneVerified ?? false,
          address: c.complainant.address ?? null,
          request: c.complainant.request ?? null,
        }
      : null,
    anonymous: c.complainant === null,
    descriptionCheck: c.descriptionCheck ?? 'pass',
    location: c.location,
    district: c.district,
    outsideDistricts: c.outsideDistricts,
    deadlineComplete: c.deadlineComplete,
    upheld: c.upheld,
    /** The matter this one joined (我也遇到), or null for the first report. */
    groupId: c.groupId ? String(c.groupId) : null,
    parties: parties.map((p) => ({
      id: String(p._id),
      number: p.number,
      type: p.type,
      status: p.status,
      statusLabel: COMPLAINT_STATUS_LABELS[p.status],
      createdAt: p.createdAt.toISOString(),
    })),
  };
}

/** Open data keeps at most this many decimals of a position (≈ 1 km) when no shop's place is known. */
const COARSE = 100;
const coarse = (v: number) => Math.round(v * COARSE) / COARSE;

/** Open311 GeoReport v2: no personal data; the shop's public position, never the filer's. */
export function openDataView(c: ComplaintDoc, shopLocation: { lng: number; lat: number } | null) {
  const at = shopLocation ?? { lng: coarse(c.location.lng), lat: coarse(c.location.lat) };
  // A place not listed is named by the filer's own words, which may say who they are: open data
  // names it only as such, at the coarse position.
  const place = c.establishmentId ? c.shopName : '未登记经营场所';
  return {
    service_request_id: c.number,
    status: ['resolved', 'not_accepted', 'mediation_ended'].includes(c.status) ? 'closed' : 'open',
    status_notes: COMPLAINT_STATUS_LABELS[c.status],
    service_name: categoryLabel(c),
    service_code: c.category,
    description: `${COMPLAINT_TYPE_LABELS[c.type]}：${place}`,
    agency_responsible: c.office,
    requested_datetime: c.createdAt.toISOString(),
    updated_datetime: c.updatedAt.toISOString(),
    expected_datetime: c.deadline ? `${c.deadline}T23:59:59+08:00` : null,
    address: place,
    lat: at.lat,
    long: at.lng,
  };
}
