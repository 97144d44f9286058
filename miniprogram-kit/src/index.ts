// The mini-programs' shared kit: compiled from source by each app's Taro build
// (scripts/taro/app-config.cjs adds this folder to compile.include).
export * from './client';
export * from './code-bind';
export * from './drafts';
export * from './page-state';
export * from './photos';
export * from './sign-in-and-health';
export * from './signature';
export * from './status-panel';
export * from './status-tag';
export * from './submit';
