// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { layers } from './layers.config.js'

/**
 * One zone per folder of src/: it may import only the folders its layer allows (layers.config.js),
 * so an upward import, or two folders importing each other, fails lint.
 */
const layerZones = Object.entries(layers).map(([folder, allowed]) => ({
  target: `./src/${folder}`,
  from: './src',
  except: [`./${folder}`, ...allowed.map((dep) => `./${dep}`)],
  message: `src/${folder} may import only ${allowed.length > 0 ? allowed.join(', ') : 'nothing of ours'} (layers.config.js)`,
}))

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.venv/**', 'coverage/**', 'bench/results/**', '.tmp/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
      // Fastify handlers and hooks are async by convention, whether or not they await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  {
    // The AWS SDK packages load on first use (docs/contributing.md, "Loading on first use"): values
    // come from src/aws/sdk, and only types are imported from the packages themselves.
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/client-*', '@aws-sdk/credential-providers'],
              allowTypeImports: true,
              message: 'Take commands, paginators and schemas from src/aws/sdk (loaded on first use); import only types from the package.',
            },
          ],
        },
      ],
    },
  },
  { files: ['eslint.config.js', 'layers.config.js'], ...tseslint.configs.disableTypeChecked },
)
