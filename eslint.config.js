// ESLint runs only the two type-aware promise rules Biome cannot match (its nursery versions miss
// async callbacks handed to Node APIs and flag `Promise | undefined` checks); Biome lints the rest.
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores([
    '**/dist/',
    '**/coverage/',
    '**/.data/',
    '**/screenshots/',
    'test-results/',
    'bench-results.json',
  ]),
  {
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: {
          // files outside every tsconfig: vitest and build configs, type fixtures, browser scripts
          allowDefaultProject: [
            '*.js',
            '*.ts',
            'packages/elements/custom-elements-manifest.config.js',
            'packages/*/bin/*.js',
            'packages/elements/test/types/*.{ts,tsx}',
            'e2e/*.ts',
            'scripts/*.ts',
            'demo/public/*.js',
          ],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  }
)
