// Every conformance group, in the order a run takes them (CheckFileInfo first: the others read it).
import type { CheckGroup } from '../types';
import { checkFileInfoSchema } from './check-file-info';
import { deleteFileGroup } from './delete-file';
import { editFlows } from './edit-flows';
import { fileIdsAndTokensGroup, tokenScopeGroup } from './file-ids-and-tokens';
import { fileVersion } from './file-version';
import { extendedLockLength, getLock, locks } from './locks';
import { proofKeysGroup } from './proof-keys';
import { putRelativeFileGroup, putRelativeFileUnsupportedGroup } from './put-relative-file';
import { putUserInfoGroup } from './put-user-info';
import { renameFileGroup } from './rename-file';
import { lockHeadersGroup, maxExpectedSizeGroup } from './request-headers';
import { baseWopiViewing } from './viewing';

export const ALL_GROUPS: readonly CheckGroup[] = [
  checkFileInfoSchema,
  baseWopiViewing,
  locks,
  getLock,
  extendedLockLength,
  editFlows,
  fileVersion,
  putRelativeFileGroup,
  putRelativeFileUnsupportedGroup,
  renameFileGroup,
  putUserInfoGroup,
  deleteFileGroup,
  fileIdsAndTokensGroup,
  tokenScopeGroup,
  lockHeadersGroup,
  maxExpectedSizeGroup,
  proofKeysGroup,
];
