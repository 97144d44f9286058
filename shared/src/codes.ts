// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/**
 * Letters and digits of shop codes and invitation codes: none that a person reading a code aloud
 * or off a screen could mistake for another (no 0/O, 1/I/L).
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

/**
 * An invitation code as typed: case and spaces do not matter; characters the alphabet leaves out
 * are named in the message, since 0 and O, 1 and I look alike on a phone.
 */
export const InvitationCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .superRefine((code, ctx) => {
    const foreign = [...new Set([...code].filter((c) => !CODE_ALPHABET.includes(c)))];
    if (foreign.length) {
      ctx.addIssue({
        code: 'custom',
        message: `邀请码中没有「${foreign.join('、')}」：邀请码只用字母和数字 2–9，不含 0、1、I、L、O，请核对后重新输入`,
      });
    } else if (code.length !== CODE_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `邀请码为 ${CODE_LENGTH} 位，您输入了 ${code.length} 位` });
    }
  });
