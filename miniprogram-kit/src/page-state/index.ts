export { PageState, type Loaded } from './PageState';
export { useLoadable } from './use-loadable';
