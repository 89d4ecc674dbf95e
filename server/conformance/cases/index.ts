// Every conformance group, in the order a run takes them (CheckFileInfo first: the others read it).
import type { CheckGroup } from '../types';
import { checkFileInfoSchema } from './check-file-info';
import { editFlows } from './edit-flows';
import { fileVersion } from './file-version';
import { extendedLockLength, getLock, locks } from './locks';
import { baseWopiViewing } from './viewing';

export const ALL_GROUPS: readonly CheckGroup[] = [
  checkFileInfoSchema,
  baseWopiViewing,
  locks,
  getLock,
  extendedLockLength,
  editFlows,
  fileVersion,
];
