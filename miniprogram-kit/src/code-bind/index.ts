export { CodeBindForm } from './CodeBindForm';
