// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', 'data/**', 'coverage/**', 'tests/artifacts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // The dependency rule (DESIGN.md): every arrow points at shared; the apps import shared and the
  // kit, never each other or the API; the kit imports only shared, React, Taro and NutUI; shared
  // runs inside WeChat and imports neither Node, Taro nor mongoose.
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'os'],
              message: 'shared runs in WeChat: no Node modules',
            },
            { group: ['@tarojs/*', 'react', 'react-dom', '@nutui/*'], message: 'shared has no UI or Taro imports' },
            {
              group: ['mongoose', 'mongodb', 'koa', '@koa/*', 'pino', 'jsonwebtoken'],
              message: 'shared has no server imports',
            },
            { group: ['@ygsa/*', '../../*'], message: 'shared depends on nothing of ours' },
          ],
        },
      ],
    },
  },
  {
    files: ['miniprogram-*/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ygsa/cloud-api', '@ygsa/miniprogram-*', '**/cloud-api/**', '**/miniprogram-*/**'],
              message: 'apps import only shared and the kit (@ygsa/kit)',
            },
            {
              group: ['mongoose', 'mongodb', 'koa', '@koa/*', 'pino', 'jsonwebtoken', 'node:*'],
              message: 'no server code in a mini-program',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['miniprogram-kit/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Anything but shared, React, Taro, NutUI, the kit's own files and its styles.
              regex: '^(?!(@ygsa/shared|react|@tarojs/taro|@tarojs/components|@nutui/nutui-react-taro)$)(?!\\.{1,2}/)',
              message: 'the kit imports only shared, react, Taro and NutUI',
            },
            { group: ['**/miniprogram-*/**', '**/cloud-api/**'], message: 'the kit knows no app and no API' },
          ],
        },
      ],
    },
  },
  {
    files: ['cloud-api/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ygsa/miniprogram-*', '**/miniprogram-*/**', '@tarojs/*', 'react'],
              message: 'the API imports only shared',
            },
          ],
        },
      ],
    },
  },
  // Writers publish shop events (src/events/shop-events.ts); only grading stores grades and only
  // the wiring clears the public cache, so no writer depends on them.
  {
    files: ['cloud-api/src/**/*.ts'],
    ignores: ['cloud-api/src/modules/grading/**', 'cloud-api/src/events/**', 'cloud-api/src/modules/public/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ygsa/miniprogram-*', '**/miniprogram-*/**', '@tarojs/*', 'react'],
              message: 'the API imports only shared',
            },
            {
              group: ['**/grading/grading.service'],
              importNames: ['recomputeGrade'],
              message: 'publish shopChanged(db, shopId, reason): grading subscribes and recomputes',
            },
            {
              group: ['**/public/profile-cache'],
              importNames: ['invalidateShop'],
              message: 'publish shopChanged(db, shopId, reason): the public cache subscribes',
            },
          ],
        },
      ],
    },
  },
  // A model is defined in its module's *.model.ts / *.models.ts, which the dependency rules guard.
  {
    files: ['cloud-api/src/modules/**/*.ts'],
    ignores: ['cloud-api/src/modules/**/*.model.ts', 'cloud-api/src/modules/**/*.models.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='defineModel']",
          message: "define the model in the module's *.model.ts, so that only its module may import it",
        },
      ],
    },
  },
  {
    files: ['scripts/**', '**/*.cjs', '**/*.mjs', 'jest.config.js', '**/babel.config.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['miniprogram-*/src/**/*.{ts,tsx}', 'miniprogram-kit/test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, defineAppConfig: 'readonly', definePageConfig: 'readonly' } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
