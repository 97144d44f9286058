// 送达地址确认书: the owner's consent to electronic delivery.
import { type Connection } from 'mongoose';
import { MEMBER_ROLE_LABELS, type MemberRole } from '@ygsa/shared';
import { findEstablishment } from '../establishments/establishment.service';
import { createOnce } from '../../data/create-once';
import { audit, consentModel } from './enforcement.models';
import { type Actor, sha256 } from './enforcement.common';
import { CONSENT_TEXT } from './cases.service';

export async function consentOf(db: Connection, establishmentId: string, userId: string) {
  return consentModel(db).findById(`${establishmentId}:${userId}`).lean();
}

export async function consentStatus(db: Connection, establishmentId: string, userId: string, name = '＿＿＿＿') {
  const est = await findEstablishment(db, establishmentId);
  const c = await consentOf(db, establishmentId, userId);
  return {
    consented: !!c,
    at: c?.at.toISOString() ?? null,
    name: c?.name ?? null,
    text: c?.text ?? CONSENT_TEXT(est.name, name),
  };
}

/** 送达地址确认书: one-time, recorded with the text, time and identity. */
export async function giveConsent(
  db: Connection,
  establishmentId: string,
  input: { name: string },
  actor: Actor,
  now = new Date(),
) {
  const est = await findEstablishment(db, establishmentId);
  const id = `${establishmentId}:${actor.id}`;
  const text = CONSENT_TEXT(est.name, input.name);
  const { created } = await createOnce(
    consentModel(db),
    { _id: id },
    {
      _id: id,
      establishmentId: est._id,
      userId: actor.id,
      role: actor.role,
      name: input.name,
      text,
      textSha256: sha256(text),
      at: now,
    },
  );
  if (created) {
    await audit(db, {
      establishmentId: est._id,
      at: now,
      actor: actor.id,
      role: actor.role,
      action: 'consent.given',
      subject: { kind: 'consent', id },
      summary: `${input.name}（${MEMBER_ROLE_LABELS[actor.role as MemberRole] ?? actor.role}）签署送达地址确认书，同意电子送达`,
    });
  }
  return consentStatus(db, establishmentId, actor.id);
}
