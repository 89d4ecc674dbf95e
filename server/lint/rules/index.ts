// Every lint rule, in the order findings are listed (and docs/LINT-RULES.md is written).
import type { LintRule } from '../types';
import { FILE_RULES } from './files';
import { GENERAL_RULES } from './general';
import { LOCK_RULES } from './locks';

export const RULES: readonly LintRule[] = [...LOCK_RULES, ...FILE_RULES, ...GENERAL_RULES];
