// Every conformance group, in the order a run takes them (CheckFileInfo first: the others read it).
import type { CheckGroup } from '../types';

export const ALL_GROUPS: readonly CheckGroup[] = [];
