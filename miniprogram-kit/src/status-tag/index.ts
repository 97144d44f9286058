export { StatusTag, TONES, type Tone } from './StatusTag';
