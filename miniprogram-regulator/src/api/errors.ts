// The wording of failures is shared by both apps (shared/src/api-client.ts).
export { fieldErrorsOf, messageOf } from '@ygsa/shared';
