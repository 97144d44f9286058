export { useSignInAndHealth, type Loadable, type SignInAndHealthClient } from './use-sign-in-and-health';
